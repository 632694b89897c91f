"""From samples to an :class:`AnswerReport`: the whole analysis of one answer."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from practice.analysis.audio import SAMPLE_RATE, load_audio
from practice.analysis.feedback import AnswerReport, Targets, score_parts
from practice.analysis.fillers import FillerEvent, find_fillers
from practice.analysis.hesitations import find_hesitations, merge_fillers
from practice.analysis.pace import measure_pace
from practice.analysis.pauses import MIN_PAUSE_SECONDS, Pause, detect_activity
from practice.analysis.restarts import find_restarts
from practice.analysis.transcribe import Transcriber, Word

MIN_SPEECH_SECONDS = 0.2
"""Less speech than this (by the signal) is treated as no speech: Whisper is not even asked."""
MARGIN_SECONDS = 0.5
"""Audio kept around the speech when it is cut out for transcription."""
_ASIDE_SECONDS = 0.1
"""A word this far or farther from any speech (by the signal) was made up by the engine."""


def analyze_samples(
    samples: np.ndarray,
    transcriber: Transcriber,
    targets: Targets | None = None,
    *,
    file: str | None = None,
    cancel: threading.Event | None = None,
) -> AnswerReport:
    """Analyse 16 kHz mono float32 samples of one spoken answer."""
    duration = len(samples) / SAMPLE_RATE
    activity = detect_activity(samples, SAMPLE_RATE, MIN_PAUSE_SECONDS)
    start, end = activity.speech_start, activity.speech_end
    words: tuple[Word, ...] = ()
    fillers: list[FillerEvent] | None = None
    if start is not None and end is not None and activity.speech_seconds >= MIN_SPEECH_SECONDS:
        # Only the speech goes to the engine: an hour of silence costs nothing, and Whisper has
        # less silence to invent words for.
        offset = window_start(start)
        stop = min(duration, end + MARGIN_SECONDS)
        window = samples[round(offset * SAMPLE_RATE) : round(stop * SAMPLE_RATE)]
        transcript = transcriber.transcribe(window, cancel)
        words = _heard(
            [
                replace(word, start=word.start + offset, end=word.end + offset)
                for word in transcript.words
            ],
            activity.speech,
        )
        # Two channels: what the transcript says, and what it left out (held sounds, restarts).
        lexical = find_fillers(words, [(pause.start, pause.end) for pause in activity.pauses])
        heard = find_hesitations(samples, words, lexical, activity.threshold_db)
        fillers = merge_fillers(lexical, heard)
        restarts = find_restarts(samples, words, fillers, activity.threshold_db)
        fillers = sorted([*fillers, *restarts], key=lambda event: (event.start, event.words))
    return build_report(
        words,
        activity.pauses,
        (start, end) if start is not None and end is not None else None,
        duration_s=duration,
        engine=(transcriber.name, transcriber.model),
        targets=targets,
        file=file,
        fillers=fillers,
    )


def window_start(speech_start: float) -> float:
    """Where the audio cut out for the engine starts (its word times count from here):
    ``MARGIN_SECONDS`` before the speech."""
    return max(0.0, speech_start - MARGIN_SECONDS)


def _heard(words: Sequence[Word], speech: Sequence[tuple[float, float]]) -> tuple[Word, ...]:
    """The words that the signal has speech for: Whisper invents text for silence ("Thank you
    for watching"), and such words lie wholly in it, more than ``_ASIDE_SECONDS`` from speech."""
    starts = np.array([start - _ASIDE_SECONDS for start, _end in speech])
    ends = np.array([end + _ASIDE_SECONDS for _start, end in speech])
    return tuple(word for word in words if np.any((starts <= word.end) & (word.start <= ends)))


def build_report(
    words: Sequence[Word],
    pauses: Sequence[Pause],
    speech: tuple[float, float] | None,
    *,
    duration_s: float,
    engine: tuple[str, str],
    targets: Targets | None = None,
    file: str | None = None,
    fillers: Sequence[FillerEvent] | None = None,
) -> AnswerReport:
    """The report on timed words and the pauses and speech measured on the signal.

    ``fillers`` defaults to what :func:`find_fillers` finds in ``words``. With no words or no
    speech, the report says "no speech detected".
    """
    targets = targets or Targets()
    if not words or speech is None:
        words, pauses, speech, fillers = (), (), None, ()
    elif fillers is None:
        fillers = find_fillers(words, [(pause.start, pause.end) for pause in pauses])
    fillers = tuple(fillers or ())
    counted = sorted({index for event in fillers if event.counted for index in event.words})
    pace = measure_pace(words, counted, pauses, speech=speech)
    length = 0.0 if speech is None else speech[1] - speech[0]
    return AnswerReport(
        duration_s=duration_s,
        engine=engine[0],
        model=engine[1],
        words=tuple(words),
        fillers=fillers,
        pauses=tuple(pauses),
        speech=speech,
        pace=pace,
        parts=score_parts(pace, fillers, pauses, words, length, targets) if words else (),
        targets=targets,
        file=file,
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


__all__ = [
    "AnswerReport",
    "Targets",
    "Word",
    "analyze_file",
    "analyze_samples",
    "build_report",
    "window_start",
]
