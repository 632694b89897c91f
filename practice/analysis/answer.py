"""From samples to an :class:`AnswerReport`: the whole analysis of one answer."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from practice.analysis.audio import Samples, load_samples
from practice.analysis.events import HESITATIONS, TRANSCRIPT, FillerEvent
from practice.analysis.fillers import find_fillers
from practice.analysis.hesitations import find_hesitations
from practice.analysis.pace import measure_pace
from practice.analysis.pauses import MIN_PAUSE_SECONDS, Activity, Pause
from practice.analysis.restarts import find_restarts
from practice.analysis.scoring import AnswerReport, Targets, score_parts
from practice.analysis.signal import Signal, detect_activity, measure
from practice.analysis.transcript import Transcriber, Word

MIN_SPEECH_SECONDS = 0.2
"""Less speech than this is treated as no speech: Whisper is not even asked."""
MARGIN_SECONDS = 0.5
"""Audio kept around the speech when it is cut out for transcription."""
MAX_PIECE_SECONDS = 28.0
"""The longest piece of audio transcribed at once: one Whisper window (30 s), so that the
decoding settings (the verbatim prompt) hold for all of it."""
_MIN_PIECE_SECONDS = 10.0
"""A long answer is cut in a pause at least this far into a piece."""
_ASIDE_SECONDS = 0.1
"""A word this far or farther from any speech (by the signal and the VAD) was made up by the
engine."""
_STRETCHED_SECONDS = 2.0
"""A word over this much speech is Whisper skipping the speech after it."""
_DOUBTED = 0.1
"""A word the engine gave less probability than this, mostly outside speech, was made up."""


def analyze_samples(
    samples: np.ndarray | Samples | Signal,
    transcriber: Transcriber,
    targets: Targets | None = None,
    *,
    file: str | None = None,
    cancel: threading.Event | None = None,
) -> AnswerReport:
    """Analyse 16 kHz mono samples of one spoken answer (float32, held, or already measured:
    :func:`practice.analysis.signal.measure`)."""
    signal = measure(samples)
    duration = signal.duration
    activity = detect_activity(signal, MIN_PAUSE_SECONDS)
    start, end = activity.speech_start, activity.speech_end
    words: tuple[Word, ...] = ()
    fillers: list[FillerEvent] | None = None
    if start is not None and end is not None and activity.speech_seconds >= MIN_SPEECH_SECONDS:
        # Only the speech goes to the engine, in pieces cut in pauses: an hour of silence costs
        # nothing, Whisper has less silence to invent words for, and each piece gets the same
        # decoding (the verbatim prompt).
        found: list[Word] = []
        for piece_start, piece_end in speech_pieces(activity, duration):
            found += _transcribed(signal, (piece_start, piece_end), activity, transcriber, cancel)
        words = _heard(found, activity.speech)
        # Two channels: what the transcript says, and what it left out (held sounds, restarts).
        lexical = find_fillers(words, [(pause.start, pause.end) for pause in activity.pauses])
        heard = find_hesitations(
            signal, words, lexical, activity.threshold_db, voice=activity.voice
        )
        fillers = merge_fillers(lexical, heard)
        restarts = find_restarts(
            signal, words, fillers, activity.threshold_db, voice=activity.voice
        )
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


def speech_pieces(activity: Activity, duration: float) -> list[tuple[float, float]]:
    """The stretches (start, end in seconds) of the recording that the engine transcribes, one
    at a time: from ``MARGIN_SECONDS`` before the first speech to as long after the last, cut
    into pieces of at most ``MAX_PIECE_SECONDS`` in the middle of the longest pause that leaves
    a piece at least ``_MIN_PIECE_SECONDS`` long (or of any pause, or, with none, at the
    longest length)."""
    if activity.speech_start is None or activity.speech_end is None:
        return []
    start = window_start(activity.speech_start)
    stop = min(duration, activity.speech_end + MARGIN_SECONDS)
    pieces = []
    while stop - start > MAX_PIECE_SECONDS:
        limit = start + MAX_PIECE_SECONDS
        middles = [
            (pause.duration, (pause.start + pause.end) / 2)
            for pause in activity.pauses
            if start < (pause.start + pause.end) / 2 < limit
        ]
        late = [pair for pair in middles if pair[1] >= start + _MIN_PIECE_SECONDS]
        cut = max(late or middles)[1] if middles else limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, stop))
    return pieces


def transcribe_piece(
    piece: np.ndarray,
    offset: float,
    transcriber: Transcriber,
    cancel: threading.Event | None = None,
) -> list[Word]:
    """The words of one piece of 16 kHz samples that starts ``offset`` seconds into the
    recording, with their times in the recording."""
    transcript = transcriber.transcribe(piece, cancel)
    return [
        replace(word, start=word.start + offset, end=word.end + offset) for word in transcript.words
    ]


def _transcribed(
    signal: Signal,
    piece: tuple[float, float],
    activity: Activity,
    transcriber: Transcriber,
    cancel: threading.Event | None,
) -> list[Word]:
    """The words of one piece. Whisper sometimes stops early and stretches its last word over
    the rest of the piece ("so that" lasting 9 s over two sentences): from the first word that
    lasts at least ``_STRETCHED_SECONDS`` over as much speech, the rest of the piece is
    transcribed again (once)."""
    start, end = piece
    words = transcribe_piece(signal.read(start, end), start, transcriber, cancel)
    for index, word in enumerate(words):
        spoken = sum(max(0.0, min(word.end, b) - max(word.start, a)) for a, b in activity.speech)
        if spoken >= _STRETCHED_SECONDS and word.start > start + _STRETCHED_SECONDS:
            rest = signal.read(word.start, end)
            return [*words[:index], *transcribe_piece(rest, word.start, transcriber, cancel)]
    return words


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
    "Targets",
    "Word",
    "analyze_file",
    "analyze_samples",
    "build_report",
    "speech_pieces",
    "transcribe_piece",
    "window_start",
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
