"""From samples to an :class:`AnswerReport`: the whole analysis of one answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from practice.analysis.audio import Samples, load_samples
from practice.analysis.events import HESITATIONS, TRANSCRIPT, FillerEvent
from practice.analysis.fillers import find_fillers
from practice.analysis.hesitations import find_hesitations, supported_runs
from practice.analysis.pace import measure_pace
from practice.analysis.pauses import MIN_PAUSE_SECONDS, Pause
from practice.analysis.pieces import Chunker
from practice.analysis.restarts import find_restarts
from practice.analysis.scoring import AnswerReport, Targets, score_parts
from practice.analysis.signal import Signal, detect_activity, measure
from practice.analysis.transcript import Transcriber, Word
from practice.analysis.verdict import confirm_hesitations

MIN_SPEECH_SECONDS = 0.2
"""Less speech than this is treated as no speech: Whisper is not even asked."""
_ASIDE_SECONDS = 0.1
"""A word this far or farther from any speech (by the signal and the VAD) was made up by the
engine."""
_DOUBTED = 0.1
"""A word the engine gave less probability than this, mostly outside speech, was made up."""


class Steps:
    """The wall and CPU time of each step of one analysis (for a timing trace): each done step
    is a dict with ``step`` (its name), ``began`` (``time.monotonic()``), ``wall`` and ``cpu``
    (seconds, the CPU of the thread that ran it), ``process_cpu`` (the whole process's: the
    engine computes on threads of its own) and whatever the step added."""

    def __init__(self) -> None:
        self.done: list[dict[str, object]] = []

    @contextmanager
    def step(self, name: str, **fields: object) -> Iterator[dict[str, object]]:
        """Time the ``with`` block as step ``name``; the block may add fields to the dict."""
        record: dict[str, object] = {"step": name, "began": time.monotonic(), **fields}
        wall, cpu, process = time.perf_counter(), time.thread_time(), time.process_time()
        try:
            yield record
        finally:
            record["wall"] = round(time.perf_counter() - wall, 4)
            record["cpu"] = round(time.thread_time() - cpu, 4)
            record["process_cpu"] = round(time.process_time() - process, 4)
            self.done.append(record)


def analyze_samples(
    samples: np.ndarray | Samples | Signal,
    transcriber: Transcriber,
    targets: Targets | None = None,
    *,
    file: str | None = None,
    cancel: threading.Event | None = None,
    chunks: Chunker | None = None,
    steps: Steps | None = None,
) -> AnswerReport:
    """Analyse 16 kHz mono samples of one spoken answer (float32, held, or already measured:
    :func:`practice.analysis.signal.measure`).

    The engine hears the speech in pieces cut as the answer is fed (:class:`Chunker`):
    ``chunks`` is the chunker that was fed ``samples`` as they were spoken (its pieces
    transcribed so far are kept); without it, ``samples`` are fed to a new one. ``steps``
    records how long each step took."""
    steps = steps or Steps()
    with steps.step("activity"):
        signal = measure(samples)
        duration = signal.duration
        activity = detect_activity(signal, MIN_PAUSE_SECONDS)
    start, end = activity.speech_start, activity.speech_end
    words: tuple[Word, ...] = ()
    fillers: list[FillerEvent] | None = None
    if start is not None and end is not None and activity.speech_seconds >= MIN_SPEECH_SECONDS:
        chunks = chunks or Chunker.of(signal.samples)
        with steps.step("words"):
            words = _heard(chunks.words(activity, transcriber, cancel), activity.speech)
        # Two channels: what the transcript says, and what it left out (held sounds, restarts).
        with steps.step("hesitations"):
            lexical = find_fillers(words, [(pause.start, pause.end) for pause in activity.pauses])
            heard = find_hesitations(
                signal, words, lexical, activity.threshold_db, voice=activity.voice
            )
            fillers = merge_fillers(lexical, heard)
        with steps.step("verdict"):
            fillers = confirm_hesitations(
                signal.samples,
                words,
                fillers,
                activity.voice,
                activity.speech,
                transcriber,
                cancel,
                pieces=[(piece.start, piece.end) for piece in chunks.planned],
            )
        with steps.step("runs"):
            fillers = supported_runs(fillers, words, signal, activity.threshold_db)
        with steps.step("restarts"):
            restarts = find_restarts(
                signal, words, fillers, activity.threshold_db, voice=activity.voice
            )
        fillers = sorted([*fillers, *restarts], key=lambda event: (event.start, event.words))
    with steps.step("report"):
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


def _heard(words: Sequence[Word], speech: Sequence[tuple[float, float]]) -> tuple[Word, ...]:
    """The words over speech (by the signal or the VAD). Whisper invents text for silence: words
    that lie wholly in it, more than ``_ASIDE_SECONDS`` from speech ("Thank you for watching"),
    and words it doubts (probability < ``_DOUBTED``) that lie mostly in it (a "Thank you." or
    "Okay." after the last word). A word mostly over speech is never dropped."""
    starts = np.array([start for start, _end in speech])
    ends = np.array([end for _start, end in speech])
    kept = []
    for word in words:
        near = np.any((starts - _ASIDE_SECONDS <= word.end) & (word.start <= ends + _ASIDE_SECONDS))
        shared = np.sum(
            np.clip(np.minimum(ends, word.end) - np.maximum(starts, word.start), 0, None)
        )
        inside = (
            shared >= 0.5 * (word.end - word.start)
            if word.end > word.start
            else bool(np.any((starts <= word.start) & (word.start <= ends)))
        )
        if near and (inside or word.probability >= _DOUBTED):
            kept.append(word)
    return tuple(kept)


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
    return analyze_samples(load_samples(path), transcriber, targets, file=str(path), cancel=cancel)


__all__ = [
    "AnswerReport",
    "Steps",
    "Targets",
    "Word",
    "analyze_file",
    "analyze_samples",
    "build_report",
]


def merge_fillers(
    lexical: Sequence[FillerEvent], acoustic: Sequence[FillerEvent]
) -> list[FillerEvent]:
    """Both channels' events, sorted by start: a transcript event that the audio timed anew
    (see :func:`find_hesitations`) takes its new times; an acoustic event that overlaps a
    lexical hesitation is that event, not another one."""
    moved = {event.words: event for event in acoustic if event.source == TRANSCRIPT}
    lexical = [moved.get(event.words, event) for event in lexical]
    known = [event for event in lexical if event.type in HESITATIONS]
    kept = [
        event
        for event in acoustic
        if event.source != TRANSCRIPT
        and not any(other.start < event.end and event.start < other.end for other in known)
    ]
    return sorted([*lexical, *kept], key=lambda event: (event.start, event.words))
