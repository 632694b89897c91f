"""Repeated starts the transcript left out (repetitions heard in the audio).

When a speaker restarts ("I, I applied", "and, and third"), Whisper mostly writes the word once:
it drops the abandoned first copy or stretches the word over both. The lexical channel cannot
count what is not written, so this module listens for it: a *restart* is a stretch of speech that
no word accounts for and that sounds like the start of the word said right after it.

Islands
    The recording's 10 ms frames above the speech threshold form *islands* (runs of speaking
    frames). A word that ends in a released stop ("but", "not") is often two islands: the word,
    a silent closure, then the release burst. So an islet of at most ``MAX_BURST_S`` (0.06 s)
    that starts within ``MAX_CLOSURE_S`` (0.06 s) of the island before it is joined to that
    island. A restart's first copy is an island ``A`` of ``MIN_COPY_S``-``MAX_COPY_S``
    (0.15-0.6 s) followed within ``MAX_BREAK_S`` (0.35 s) by the next island ``B``, where the
    word is said again.

Unexplained
    The *word said again* is the first word that starts before ``B`` ends and ends more than
    0.03 s after ``B`` starts. ``A`` is left unexplained by the words when the other words cover
    at most 70 % of it (Whisper often stretches the word before over the pause and into ``A``)
    and either

    - the word said again overlaps ``A`` by less than 0.03 s or a quarter of ``A`` (Whisper
      dropped the first copy; its word edges are often a few tens of ms off, so one that reaches
      a little into ``A`` still leaves it unexplained), or
    - it covers ``A`` too (Whisper stretched it over both copies) and its speech (by the signal)
      lasts at least 0.1 s longer than its letters need
      (:func:`~practice.analysis.transcript.least_seconds`: 0.04 s + 0.045 s a letter).

Not another channel's
    ``A`` must be a voice: Silero VAD's mean speech probability over it is at least 0.5 (see
    :mod:`~practice.analysis.pauses`; a breath, a click or a lip smack before a word is not). The
    word said again must not be a hesitation the transcript has ("uh, uh": hesitations, each its
    own event), nor laughter (:func:`~practice.analysis.events.is_laughter`: "Ha ha ha" is a
    laugh, not a word said again), and it must be said over ``B``: it overlaps ``B`` by at least
    0.05 s (or half of a shorter ``B``). Two sounds that no word explains, one like the other, are
    a laugh's "ha ha" (or a cough's bursts) more often than a restart. ``A`` must overlap no
    filler found already (the lexical channel's events and the held sounds of
    :mod:`~practice.analysis.hesitations`), and no repetition found in the words
    may lie between ``A``'s start and ``B``'s end (Whisper sometimes writes both copies late, so
    that the first seems missing). ``A`` must not be more than half a held, steady sound
    (:func:`~practice.analysis.frames.sustained_runs`): an "uh" before a word is a
    hesitation, not a copy of the word. And at least 60 % of ``A``'s frames must be voiced
    (voicing > 0.5): the words people restart on (I, and, we, but, not) are, while the hissed
    end of the word before ("databa*se*, so") is not.

Sounding alike
    ``A``'s log-mel cepstra (c1-c13, :func:`~practice.analysis.frames.frame_features`) are
    compared with the frames from ``B``'s start. Only the *bodies* take part: the edges of ``A``
    and the start of ``B`` more than ``EDGE_DB`` (20 dB) below their island's loudest frame are
    left out (breath, the fade into and out of the threshold: their cepstra are mostly noise),
    and so is the last ``1 - BODY_SHARE`` (15 %) of ``A``'s body. A word said on its own ends
    differently from the same word run into the next one (it is drawn out and falls away, where
    the run-on one glides into the next sound), so its ending is not evidence either way.

    The bodies are aligned by dynamic time warping: ``A``'s first frame with ``B``'s first, then
    each frame of ``A`` moves on 0, 1 or 2 frames in ``B``, and ``B``'s side ends anywhere from
    half ``A``'s length (or ``B``'s own, if that is shorter: a word said again briefly, then a
    pause) to twice ``A``'s length plus 50 ms. The *distance* is the mean Euclidean distance
    between aligned frames. The cepstra leave out the level (c0), so a quieter copy still
    matches.

Deciding
    The confidence is ``0.5 + 0.1 × (SAME_LIMIT - distance)`` with ``SAME_LIMIT`` 4.5, at most
    0.9: a copy within 4.5 is counted (>= 0.5), one within 5.5 is reported as likely (>= 0.4),
    anything further is not reported. The event is a ``repetition`` from the ``audio`` spanning
    ``A``, with no words.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence, Set

import numpy as np

from practice.analysis.audio import SAMPLE_RATE
from practice.analysis.events import AUDIO, HESITATIONS, REPETITION, FillerEvent, is_laughter
from practice.analysis.frames import Frames, frame_features, sustained_runs
from practice.analysis.pauses import (
    FRAME_SECONDS,
    HEARD,
    loud_frames,
    speech_seconds,
    true_runs,
    voice_share,
)
from practice.analysis.signal import Signal, measure
from practice.analysis.transcript import Word, least_seconds, word_overlap

MIN_COPY_S = 0.15
MAX_COPY_S = 0.6
MAX_BREAK_S = 0.35
MAX_BURST_S = 0.06
MAX_CLOSURE_S = 0.06
SAME_LIMIT = 4.5
"""Largest cepstral distance at which a copy is counted (see the module docstring)."""
EDGE_DB = 20.0
"""Frames this far below their island's loudest are its edges (see the module docstring)."""
BODY_SHARE = 0.85
"""The share of ``A``'s body compared: its ending is left out (see the module docstring)."""
_MAX_COVERED = 0.7
_DROPPED_SHARE = 0.25
_RUN_ON_S = 0.03
_SAID_AGAIN_S = 0.05
_MIN_EXCESS_S = 0.1
_MAX_HELD = 0.5
_VOICED = 0.5
_MIN_VOICED = 0.6
_LEAST_CONFIDENCE = 0.4
_SLACK_FRAMES = 5
"""Frames of ``B`` beyond twice ``A``'s length that the alignment may reach."""


def find_restarts(
    samples: np.ndarray | Signal,
    words: Sequence[Word],
    known: Sequence[FillerEvent] = (),
    threshold_db: float | None = None,
    rate: int = SAMPLE_RATE,
    voice: np.ndarray | None = None,
) -> list[FillerEvent]:
    """Repetitions whose first copy the words leave out; none overlaps an event of ``known``.
    ``voice``: the VAD's speech probability per 10 ms frame (computed when not given)."""
    hop = round(rate * FRAME_SECONDS)
    signal = measure(samples)
    speaking = loud_frames(signal.levels, threshold_db)
    islands = _released(true_runs(speaking))
    shortest, longest = round(MIN_COPY_S / FRAME_SECONDS), round(MAX_COPY_S / FRAME_SECONDS)
    longest_break = round(MAX_BREAK_S / FRAME_SECONDS)
    starts = [word.start for word in words]
    ends = list(itertools.accumulate((word.end for word in words), max))
    spelled = {
        id(words[index]) for event in known if event.type in HESITATIONS for index in event.words
    }
    events = []
    for (a0, a1), (b0, b1) in itertools.pairwise(islands):
        if not (shortest <= a1 - a0 <= longest and b0 - a1 <= longest_break):
            continue
        first, second, again, stop = (frame * FRAME_SECONDS for frame in (a0, a1, b0, b1))
        if _known(known, first, second, stop):
            continue
        voice = signal.voice if voice is None else voice
        if voice_share(voice, first, second) < HEARD:
            continue  # a breath, a click, a lip smack: no voice
        near = words[bisect.bisect_left(ends, first) : bisect.bisect_right(starts, stop)]
        if not _unexplained(near, speaking, (first, second, again, stop), spelled):
            continue
        n = a1 - a0
        end = min(len(speaking), b0 + 2 * n + _SLACK_FRAMES)
        frames = frame_features(signal.samples.read(a0 * hop, end * hop), rate)
        held = sum(max(0, min(run[1], n) - run[0]) for run in sustained_runs(frames))
        voiced = float(np.mean(frames.voicing[:n] > _VOICED))
        if held > _MAX_HELD * n or voiced < _MIN_VOICED or len(frames) - (b0 - a0) < n // 2 + 1:
            continue
        distance = _distance(frames, n, b0 - a0, b1 - b0)
        confidence = 0.5 + 0.1 * (SAME_LIMIT - distance)
        if confidence >= _LEAST_CONFIDENCE:
            events.append(FillerEvent(REPETITION, first, second, AUDIO, min(confidence, 0.9)))
    return events


def _released(islands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``islands`` with each stop's release burst joined to the island before it: an islet of at
    most ``MAX_BURST_S`` that starts within ``MAX_CLOSURE_S`` of the island before it."""
    burst, closure = round(MAX_BURST_S / FRAME_SECONDS), round(MAX_CLOSURE_S / FRAME_SECONDS)
    joined: list[tuple[int, int]] = []
    for start, end in islands:
        if joined and end - start <= burst and start - joined[-1][1] <= closure:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _known(known: Sequence[FillerEvent], first: float, second: float, stop: float) -> bool:
    """Whether an event found already covers island ``A`` (``first``-``second``), or a
    repetition the words have lies anywhere up to the end of ``B`` (``stop``): Whisper may write
    both copies late, so that the first one seems to be missing."""
    return any(
        event.start < (stop if event.type == REPETITION else second) and first < event.end
        for event in known
    )


def _unexplained(
    words: Sequence[Word],
    speaking: np.ndarray,
    times: tuple[float, float, float, float],
    spelled: Set[int] = frozenset(),
) -> bool:
    """Whether the words leave island ``A`` unexplained (see the module docstring).

    ``times``: ``A``'s start and end, ``B``'s start and end; ``spelled``: the ids of the
    words that are hesitations (a hesitation said again is hesitations, not a restart)."""
    first, second, again, stop = times
    length = second - first
    repeated = next(
        (word for word in words if word.start < stop and word.end > again + _RUN_ON_S), None
    )
    if repeated is None or id(repeated) in spelled or is_laughter(repeated.text):
        return False
    if word_overlap(repeated, again, stop) < min(_SAID_AGAIN_S, 0.5 * (stop - again)):
        return False  # no word over ``B`` either: two sounds no word explains (a laugh's "ha ha")
    others = sum(word_overlap(word, first, second) for word in words if word is not repeated)
    if others > _MAX_COVERED * length:
        return False
    if word_overlap(repeated, first, second) < max(_RUN_ON_S, _DROPPED_SHARE * length):
        return True  # the first copy was dropped
    # The word said again was stretched over the first copy too: too long for its letters.
    spoken = speech_seconds(speaking, repeated.start, repeated.end)
    return spoken - least_seconds(repeated) >= _MIN_EXCESS_S


def _distance(frames: Frames, length: int, offset: int, second: int) -> float:
    """Mean frame distance of copy ``A`` (the first ``length`` frames) aligned with the start of
    ``B`` (``second`` frames from ``offset``), as the module docstring describes."""
    first, last = _body(frames.level_db, 0, length)
    last = first + max(1, round((last - first) * BODY_SHARE))
    start = _body(frames.level_db, offset, offset + second)[0]
    n = last - first
    return _aligned(
        frames.cepstra[first:last],
        frames.cepstra[start : start + 2 * n + _SLACK_FRAMES],
        min(n // 2, offset + second - start - 1),
    )


def _body(levels: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """Frames ``start``-``end`` less the edges more than ``EDGE_DB`` below their loudest."""
    loud = np.flatnonzero(levels[start:end] >= np.max(levels[start:end]) - EDGE_DB)
    return start + int(loud[0]), start + int(loud[-1]) + 1


def _aligned(copy: np.ndarray, following: np.ndarray, shortest: int) -> float:
    """Mean frame distance of ``copy`` aligned with the start of ``following``: each step of
    ``copy`` moves on 0, 1 or 2 frames in ``following``, which ends after at least
    ``shortest`` + 1 frames."""
    if len(following) <= shortest:
        return float("inf")
    costs = np.linalg.norm(copy[:, None, :] - following[None, :, :], axis=2)
    total = np.full(len(following), np.inf)
    total[0] = costs[0, 0]
    for row in costs[1:]:
        best = total.copy()
        best[1:] = np.minimum(best[1:], total[:-1])
        best[2:] = np.minimum(best[2:], total[:-2])
        total = row + best
    return float(np.min(total[max(0, shortest) :]) / len(copy))
