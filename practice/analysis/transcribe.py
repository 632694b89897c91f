"""The engine registry: each speech-to-text engine by name, built lazily, so that choosing one
imports only its own library."""

from __future__ import annotations

from collections.abc import Callable

from practice.analysis.transcript import Transcriber, TranscriptionError

DEFAULT_ENGINE = "faster-whisper"


EngineFactory = Callable[[str | None, str | None, int], Transcriber]
"""Builds an engine from (model, compute_type, cpu_threads); ``None`` or 0 means that engine's
default."""


def _faster_whisper(model: str | None, compute_type: str | None, cpu_threads: int) -> Transcriber:
    from practice.analysis.engines.faster import FasterWhisperTranscriber

    return FasterWhisperTranscriber(model, compute_type or "int8", cpu_threads=cpu_threads)


def _openai_whisper(model: str | None, compute_type: str | None, cpu_threads: int) -> Transcriber:
    from practice.analysis.engines.openai import OpenAIWhisperTranscriber

    return OpenAIWhisperTranscriber(model, compute_type or "float32", cpu_threads=cpu_threads)


ENGINES: dict[str, EngineFactory] = {
    "faster-whisper": _faster_whisper,
    "openai-whisper": _openai_whisper,
}


def create_transcriber(
    engine: str = DEFAULT_ENGINE,
    model: str | None = None,
    compute_type: str | None = None,
    cpu_threads: int = 0,
) -> Transcriber:
    """Build the named engine; the model is loaded later, on first use. ``cpu_threads``: the
    engine's threads (0: :func:`~practice.analysis.transcript.default_threads`)."""
    try:
        factory = ENGINES[engine]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise TranscriptionError(f"unknown engine {engine!r} (known: {known})") from None
    return factory(model, compute_type, cpu_threads)
