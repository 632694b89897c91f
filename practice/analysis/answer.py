"""From samples to an :class:`AnswerReport`: the whole analysis of one answer."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import numpy as np

from practice.analysis.audio import SAMPLE_RATE, load_audio
from practice.analysis.feedback import AnswerReport, Targets, score_parts
from practice.analysis.fillers import COUNTED, find_fillers
from practice.analysis.pace import Pace, measure_pace
from practice.analysis.pauses import MIN_PAUSE_SECONDS, detect_activity
from practice.analysis.transcribe import Transcriber, Word

MIN_SPEECH_SECONDS = 0.2
"""Less speech than this (by the signal) is treated as no speech: Whisper is not even asked."""
_MARGIN_SECONDS = 0.5
"""Audio kept around the speech when it is cut out for transcription."""


def analyze_samples(
    samples: np.ndarray,
    transcriber: Transcriber,
    targets: Targets | None = None,
    *,
    file: str | None = None,
    cancel: threading.Event | None = None,
) -> AnswerReport:
    """Analyse 16 kHz mono float32 samples of one spoken answer."""
    targets = targets or Targets()
    duration = len(samples) / SAMPLE_RATE
    activity = detect_activity(samples, SAMPLE_RATE, MIN_PAUSE_SECONDS)
    empty = AnswerReport(
        duration_s=duration,
        engine=transcriber.name,
        model=transcriber.model,
        words=(),
        fillers=(),
        pauses=(),
        speech=None,
        pace=Pace(0, 0.0, 0.0, 0, ()),
        parts=(),
        targets=targets,
        file=file,
    )
    start, end = activity.speech_start, activity.speech_end
    if start is None or end is None or activity.speech_seconds < MIN_SPEECH_SECONDS:
        return empty
    # Only the speech goes to the engine: an hour of silence costs nothing, and Whisper has
    # less silence to invent words for.
    offset = max(0.0, start - _MARGIN_SECONDS)
    stop = min(duration, end + _MARGIN_SECONDS)
    window = samples[round(offset * SAMPLE_RATE) : round(stop * SAMPLE_RATE)]
    transcript = transcriber.transcribe(window, cancel)
    words = tuple(
        replace(word, start=word.start + offset, end=word.end + offset) for word in transcript.words
    )
    if not words:
        return empty
    silences = [(pause.start, pause.end) for pause in activity.pauses]
    fillers = tuple(find_fillers(words, silences))
    counted = sorted({i for event in fillers if event.confidence >= COUNTED for i in event.words})
    pace = measure_pace(words, counted, activity.pauses, speech=(start, end))
    return replace(
        empty,
        words=words,
        fillers=fillers,
        pauses=activity.pauses,
        speech=(start, end),
        pace=pace,
        parts=score_parts(pace, fillers, activity.pauses, len(words), end - start, targets),
    )


def analyze_file(
    path: str | Path,
    transcriber: Transcriber,
    targets: Targets | None = None,
    *,
    cancel: threading.Event | None = None,
) -> AnswerReport:
    """Decode and analyse one recorded answer."""
    return analyze_samples(load_audio(path), transcriber, targets, file=str(path), cancel=cancel)


__all__ = ["AnswerReport", "Targets", "Word", "analyze_file", "analyze_samples"]
