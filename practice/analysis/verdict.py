"""Whisper's own verdict on short stretches of an answer, decoded again.

Whisper, even asked for verbatim text, leaves out some hesitations, writes a run of them as one
("erm" over "uh um uh"), or writes one after the sound. The audio channel hears held sounds but
cannot tell a hesitation from a word drawn out or a laugh. Heard again with a little context and
the verbatim prompt, a short stretch is often written as what it is: "um" for a hesitation, a
word for a word drawn out, "Ha ha" for a laugh. The evidence is Whisper's, not a rule about one
voice.

First, a hesitation Whisper wrote (and the audio channel did not time anew) moves onto the voice
no word explains just before it (:func:`moved_to_voice`). Then the candidates
(:func:`candidates`):

- ``event``: the acoustic channel's hesitations, to be confirmed or rejected;
- ``long``: a hesitation Whisper wrote that lasts at least 0.8 s: it may stand for several.

A ``long`` candidate inside one of the pieces the answer was transcribed in is heard in that
piece decoded without the prompt (:func:`unprompted_pieces`): the same audio, so the engine
reuses its encoder pass (and the unprompted decoding itself when it checked that piece's words),
and no new window is encoded; unprompted, Whisper writes a run of hesitations one by one. The
other candidates are each cut with ``CONTEXT_S`` of audio on either side (overlapping cuts are
one piece), the pieces are joined with ``GAP_S`` of silence into one stretch of at most
``WINDOW_S`` (one Whisper window: one more encoder pass; candidates beyond it are left out), and
the stretch is transcribed once by the same engine with the same decoding
(:func:`decode_pieces`). With no candidate, nothing is decoded. Each word the engine writes is
read back to the recording's time through the piece it falls in; a written word belongs to the
candidate it overlaps most (or whose span holds its middle: Whisper gives some words no length).

Deciding (:func:`judge`): a hesitation is a written um/uh/er/ah/hmm spelling (not a backchannel
such as "mm-hmm", nor "eh").

- A ``long`` candidate over which the engine writes n > 1 hesitations adds n - 1 events (source
  "audio", confidence 0.7): "uh um uh" that Whisper first wrote as one "erm".
- An ``event`` candidate over which the engine writes a word or laughter (within ``NEAR_S``) and
  no hesitation (within ``KEEP_S``) is dropped: a word drawn out, a laugh. Written nothing, or
  written as "Yeah" or "Huh" (Whisper's spelling of a held sound it hears as a word), it stands.

Voice that no word explains is not a candidate: decoded again, such stretches (0.15 s or more)
came back as "um" or "er" for laughs, coughs and words Whisper had dropped as often as for
hesitations, and they made the extra decoding as long as the answer's own (see
``benchmarks/accuracy/README.md``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from practice.analysis import filler_words as lexicon
from practice.analysis.audio import SAMPLE_RATE, Samples
from practice.analysis.events import AUDIO, HESITATIONS, SOUND_WORDS, FillerEvent, FillerType
from practice.analysis.pauses import FRAME_SECONDS, HEARD
from practice.analysis.transcript import DecodeOptions, Transcriber, Word, unprompted

CONTEXT_S = 0.3
VERDICT_DECODING = DecodeOptions(temperature_fallback=False, check_words=False, short_window=True)
"""How the stretches are decoded again: the verbatim prompt, beam 5, one temperature, only the
joined stretches encoded (a call on 1-2 s of audio: a third of a whole window's CPU; on the real
recordings and the held-out synthesised answers the verdicts were the same or better)."""

GAP_S = 0.5
WINDOW_S = 28.0
NEAR_S = 0.2
KEEP_S = 0.5
_LONG_HESITATION_S = 0.8
_CONFIDENCE = 0.7
_SURE_SPELLING = 0.9
_MOVED_MIN_S = 0.15
_MOVED_GAP_S = 0.3


@dataclass(frozen=True, slots=True)
class Stretch:
    """A candidate: where (seconds in the recording) and why."""

    start: float
    end: float
    origin: str
    """``event`` (an acoustic hesitation) or ``long`` (a long written one)."""


@dataclass(frozen=True, slots=True)
class Heard:
    """A word the engine wrote when the stretches were decoded again, in the recording's time."""

    text: str
    start: float
    end: float
    type: FillerType | None
    """The hesitation it spells, if any (a laugh, "(laughs)" or "Ha ha", is a word here)."""


def spelled_hesitation(text: str) -> FillerType | None:
    """The hesitation type a written word spells (um, uh, er, ah, hmm), if it surely is one: not
    a backchannel ("mm-hmm", "uh-huh": yes or no) nor "eh"."""
    core = _core(text)
    for pattern, kind, confidence in lexicon.HESITATION_SPELLINGS:
        if pattern.fullmatch(core):
            return kind if confidence >= _SURE_SPELLING else None
    return None


def candidates(events: Sequence[FillerEvent], words: Sequence[Word]) -> list[Stretch]:
    """The stretches to decode again (see the module docstring), in time order."""
    found = [
        Stretch(event.start, event.end, "event")
        for event in events
        if event.source == AUDIO and event.type in HESITATIONS
    ]
    spelled = {i for event in events if event.type in HESITATIONS for i in event.words}
    found += [
        Stretch(word.start, word.end, "long")
        for index, word in enumerate(words)
        if index in spelled and word.end - word.start >= _LONG_HESITATION_S
    ]
    return sorted(found, key=lambda stretch: stretch.start)


def _unworded(
    taken: Sequence[tuple[float, float]],
    voice: np.ndarray,
    speech: Sequence[tuple[float, float]],
) -> list[tuple[float, float]]:
    """Runs of at least ``_MOVED_MIN_S`` inside speech where the VAD hears a voice
    (:data:`~practice.analysis.pauses.HEARD`) and nothing in ``taken`` lies."""
    count = voice.size
    mask = np.zeros(count, dtype=bool)
    for start, end in speech:
        mask[int(start / FRAME_SECONDS) : int(np.ceil(end / FRAME_SECONDS))] = True
    mask &= voice >= HEARD
    for start, end in taken:
        mask[int(start / FRAME_SECONDS) : int(np.ceil(end / FRAME_SECONDS))] = False
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [
        (round(a * FRAME_SECONDS, 3), round(b * FRAME_SECONDS, 3))
        for a, b in zip(edges[::2], edges[1::2], strict=True)
        if (b - a) * FRAME_SECONDS >= _MOVED_MIN_S
    ]


def decode_pieces(
    samples: np.ndarray | Samples,
    stretches: Sequence[Stretch],
    transcriber: Transcriber,
    cancel: threading.Event | None = None,
    rate: int = SAMPLE_RATE,
) -> tuple[list[Heard], list[Stretch]]:
    """Decode ``stretches`` (each with context) again in one stretch of audio; the words the
    engine wrote, in the recording's time, and the stretches that fitted in the window."""
    duration = len(samples) / rate
    pieces: list[tuple[float, float]] = []
    kept: list[Stretch] = []
    used = 0.0
    for stretch in stretches:
        start = max(0.0, stretch.start - CONTEXT_S)
        end = min(duration, stretch.end + CONTEXT_S)
        if pieces and start <= pieces[-1][1]:
            grown = max(end, pieces[-1][1]) - pieces[-1][1]
            if used + grown > WINDOW_S:
                break
            pieces[-1] = (pieces[-1][0], max(end, pieces[-1][1]))
            used += grown
        else:
            grown = end - start + (GAP_S if pieces else 0.0)
            if used + grown > WINDOW_S:
                break
            pieces.append((start, end))
            used += grown
        kept.append(stretch)
    if not pieces:
        return [], []
    gap = np.zeros(round(GAP_S * rate), dtype=np.float32)
    parts: list[np.ndarray] = []
    offsets: list[tuple[float, float, float]] = []  # (joined start, joined end, recording start)
    at = 0.0
    for start, end in pieces:
        if isinstance(samples, Samples):
            cut = samples.read(round(start * rate), round(end * rate))
        else:
            cut = np.asarray(samples[round(start * rate) : round(end * rate)], dtype=np.float32)
        if parts:
            parts.append(gap)
            at += GAP_S
        offsets.append((at, at + len(cut) / rate, start))
        parts.append(cut)
        at += len(cut) / rate
    # One pass per window, no temperature fallback: the stretches are short and the question is
    # only which words Whisper hears there; falling back to higher temperatures (a window of
    # held sounds often trips its repetition check) cost about as much as the whole answer's
    # transcription and wrote the same words.
    transcript = transcriber.transcribe(np.concatenate(parts), cancel, options=VERDICT_DECODING)
    heard: list[Heard] = []
    for word in _joined(transcript.words):
        middle = (word.start + word.end) / 2
        # the piece whose span is nearest the word's middle
        low, high, origin = min(
            offsets, key=lambda piece: max(0.0, piece[0] - middle, middle - piece[1])
        )
        shift = origin - low
        start = float(np.clip(word.start, low, high)) + shift
        end = float(np.clip(word.end, low, high)) + shift
        heard.append(Heard(word.text, start, end, spelled_hesitation(word.text)))
    return heard, kept


def _joined(words: Sequence[Word]) -> list[Word]:
    """The engine's words with a piece that continues the one before it ("Mm" "-hmm.") joined
    to it."""
    joined: list[Word] = []
    for word in words:
        if joined and word.text.startswith("-"):
            last = joined[-1]
            joined[-1] = Word(last.text + word.text, last.start, word.end, last.probability)
        else:
            joined.append(word)
    return joined


def judge(
    events: Sequence[FillerEvent],
    stretches: Sequence[Stretch],
    heard: Sequence[Heard],
    plain: Sequence[Heard] = (),
) -> list[FillerEvent]:
    """``events`` with the verdict applied (see the module docstring); ``plain``: the words of
    whole pieces decoded without the prompt, heard for ``long`` candidates only."""
    owner = {
        id(word): max(inside, key=lambda stretch: _overlap(word, stretch))
        for word in heard
        if word.type is not None
        and (inside := [stretch for stretch in stretches if _within(word, stretch)])
    }
    # A whole piece decoded without the prompt times its quick hesitations loosely (zero-length
    # words at a stretch's edge): they are heard over a stretch with its ``CONTEXT_S``, as the
    # cut-out stretches are decoded with it.
    owner |= {
        id(word): max(inside, key=lambda stretch: _overlap(word, stretch))
        for word in plain
        if word.type is not None
        and (inside := [stretch for stretch in stretches if _within(word, _widened(stretch))])
    }
    added: list[FillerEvent] = []
    for stretch in stretches:
        said = [word for word in [*heard, *plain] if owner.get(id(word)) is stretch]
        if stretch.origin == "long":
            # a written hesitation that stands for several: the ones beyond the first
            added += [_event(word, stretch) for word in said[1:]]
    kept = [event for event in events if not _written_as_word(event, heard)]
    return sorted([*kept, *added], key=lambda event: (event.start, event.words))


def _written_as_word(event: FillerEvent, heard: Sequence[Heard]) -> bool:
    """Whether an acoustic hesitation, decoded again, is written as a word or a laugh: a word
    over it (within ``NEAR_S``) that is not one Whisper writes for a held sound ("Yeah", "Huh"),
    and no hesitation within ``KEEP_S`` of it (Whisper's times in the joined stretch drift:
    "But, um…" over a held "uh" puts the "um" after it)."""
    if event.source != AUDIO or event.type not in HESITATIONS:
        return False
    over = [w for w in heard if w.start < event.end + NEAR_S and event.start - NEAR_S < w.end]
    nearby = [w for w in heard if w.start < event.end + KEEP_S and event.start - KEEP_S < w.end]
    worded = any(w.type is None and _core(w.text) not in SOUND_WORDS for w in over)
    return worded and not any(w.type for w in nearby)


def _core(text: str) -> str:
    return text.strip(" ,.?!;:\"'()[]").lower()


def _overlap(word: Heard, stretch: Stretch) -> float:
    return min(word.end, stretch.end) - max(word.start, stretch.start)


def _widened(stretch: Stretch) -> Stretch:
    return replace(stretch, start=stretch.start - CONTEXT_S, end=stretch.end + CONTEXT_S)


def _within(word: Heard, stretch: Stretch) -> bool:
    """Whether the engine wrote ``word`` over ``stretch``: they overlap, or its middle lies in it
    (Whisper gives some words no length). A word within several stretches belongs to the one it
    overlaps most."""
    middle = (word.start + word.end) / 2
    return _overlap(word, stretch) > 0 or stretch.start <= middle <= stretch.end


def _event(word: Heard, stretch: Stretch) -> FillerEvent:
    assert word.type is not None
    return FillerEvent(word.type, stretch.start, stretch.end, AUDIO, _CONFIDENCE)


def moved_to_voice(
    words: Sequence[Word],
    events: Sequence[FillerEvent],
    voice: np.ndarray,
    speech: Sequence[tuple[float, float]],
) -> list[FillerEvent]:
    """``events`` with each hesitation that Whisper wrote (and the audio channel did not time
    anew) moved onto the voice no word explains just before it: at least ``_MOVED_MIN_S`` of it,
    ending at most ``_MOVED_GAP_S`` before the written word, with no other word between.
    Whisper often writes a hesitation it first left out just before the next word, after the
    sound itself ("say, | um, here's" with the "um" said 0.5 s before Whisper's)."""
    taken = [(word.start, word.end) for word in words]
    taken += [(event.start, event.end) for event in events if event.source == AUDIO]
    free = _unworded(taken, voice, speech)
    moved = []
    for event in events:
        written = (
            event.source != AUDIO
            and event.type in HESITATIONS
            and bool(event.words)
            and (event.start, event.end)
            == (words[event.words[0]].start, words[event.words[-1]].end)
        )
        before = [
            (start, end)
            for start, end in free
            if written
            and 0.0 <= event.start - end <= _MOVED_GAP_S
            and not any(end < (w.start + w.end) / 2 < event.start for w in words)
        ]
        moved.append(replace(event, start=before[-1][0], end=before[-1][1]) if before else event)
    return moved


def confirm_hesitations(
    samples: np.ndarray | Samples,
    words: Sequence[Word],
    events: Sequence[FillerEvent],
    voice: np.ndarray,
    speech: Sequence[tuple[float, float]],
    transcriber: Transcriber,
    cancel: threading.Event | None = None,
    pieces: Sequence[tuple[float, float]] = (),
) -> list[FillerEvent]:
    """The verdict step: candidates decoded again and judged. ``long`` candidates inside one of
    the ``pieces`` the words were decoded from (start, end in seconds) are heard in that piece
    decoded without the prompt (:func:`unprompted_pieces`); the others, and every ``event``
    candidate, in one stretch of their own (:func:`decode_pieces`)."""
    events = moved_to_voice(words, events, voice, speech)
    stretches = candidates(events, words)
    if not stretches:
        return list(events)
    inside = [
        stretch
        for stretch in stretches
        if stretch.origin == "long"
        and any(a <= stretch.start and stretch.end <= b for a, b in pieces)
    ]
    rest = [stretch for stretch in stretches if stretch not in inside]
    heard, kept = decode_pieces(samples, rest, transcriber, cancel) if rest else ([], [])
    plain = unprompted_pieces(samples, inside, pieces, transcriber, cancel)
    return judge(events, [*kept, *inside], heard, plain)


def unprompted_pieces(
    samples: np.ndarray | Samples,
    stretches: Sequence[Stretch],
    pieces: Sequence[tuple[float, float]],
    transcriber: Transcriber,
    cancel: threading.Event | None = None,
    rate: int = SAMPLE_RATE,
) -> list[Heard]:
    """The words of each piece that holds one of ``stretches``, decoded without the prompt, in
    the recording's time. The piece's own audio, so the engine reuses its encoder pass (and the
    decoding itself when it checked that piece's words): no new window. Unprompted, Whisper
    writes a run of hesitations one by one ("uh, um, uh, mmm, mmm, um") where the prompted
    decoding wrote one long "erm"."""
    heard: list[Heard] = []
    for start, end in pieces:
        if not any(start <= stretch.start and stretch.end <= end for stretch in stretches):
            continue
        if isinstance(samples, Samples):
            cut = samples.read(round(start * rate), round(end * rate))
        else:
            cut = np.asarray(samples[round(start * rate) : round(end * rate)], dtype=np.float32)
        options = unprompted(DecodeOptions())
        for word in _joined(transcriber.transcribe(cut, cancel, options=options).words):
            heard.append(
                Heard(
                    word.text, word.start + start, word.end + start, spelled_hesitation(word.text)
                )
            )
    return heard


__all__ = [
    "Heard",
    "Stretch",
    "candidates",
    "confirm_hesitations",
    "decode_pieces",
    "judge",
    "unprompted_pieces",
]
