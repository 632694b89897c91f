"""The words of a transcript as the lexical filler rules (``fillers.py``) read them: each word's
core and punctuation, the breaks between words (punctuation, measured pauses, fillers found so
far), and the events claimed so far."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from practice.analysis.events import HESITATIONS, TRANSCRIPT, FillerEvent, FillerType
from practice.analysis.transcript import Word

MIN_PAUSE_S = 0.2
"""Silences shorter than this are not treated as pauses by the timing rules."""


class Break(IntEnum):
    """What separates two neighbouring words, weakest first."""

    NONE = 0
    PAUSE = 1
    FILLER = 2
    COMMA = 3
    SENTENCE = 4


_PARTS = re.compile(r"^(?P<lead>[^\w']*)(?P<core>.*?)(?P<trail>[^\w']*)$", re.DOTALL)
_QUOTES = '"\u201c\u201d\u00ab\u00bb'
_UNQUOTE = str.maketrans("", "", _QUOTES)


@dataclass(frozen=True, slots=True)
class Token:
    core: str
    lead: str  # punctuation before the word, quotation marks left out (they are no pause)
    trail: str  # punctuation after the word, likewise
    quoted: bool  # the word is in quotation marks: mentioned, not used ('press "OK"')
    capital: bool  # the word is written with a capital letter

    @classmethod
    def parse(cls, text: str) -> Token:
        text = text.strip().replace("\u2019", "'").replace("\u2018", "'")
        match = _PARTS.match(text)
        assert match is not None  # the pattern matches every string
        lead, trail = match["lead"], match["trail"]
        quoted = any(mark in lead for mark in _QUOTES) and any(mark in trail for mark in _QUOTES)
        return cls(
            match["core"].lower().strip("'"),
            lead.translate(_UNQUOTE),
            trail.translate(_UNQUOTE),
            quoted,
            match["core"][:1].isupper(),
        )


class Scan:
    """The words of one transcript, their breaks, and the events claimed so far.

    A word's *core* is its text lower-cased, without the punctuation before and after it (curly
    apostrophes straightened, outer apostrophes dropped: ``"'cause"`` is ``cause``). Between two
    words there is a *break*, from weakest to strongest: none; a *pause* (a measured silence of at
    least 0.2 s; each silence belongs to the word gap it overlaps or, when a word's timestamps
    swallowed it, to the nearer edge of that word); a *filler* (the neighbour is a counted filler
    found earlier); a *comma* (``, ; : - — ( )`` or an ellipsis); a *sentence* end (``. ? !``,
    or the start or end of the transcript, or before a one-word marker written with a capital
    letter: Whisper starts a sentence so where it leaves out the full stop, "…a vendor So rather
    than…"). Quotation marks are no break, and a word in
    quotation marks is mentioned, not used: it is never a filler ('press "OK"'). "Clause-initial"
    means a break of at least a pause before the word. The word *before* a marker is read
    through hesitation sounds (``"and um so"`` reads as ``"and so"``) but never through
    punctuation."""

    def __init__(
        self,
        words: Sequence[Word],
        silences: Sequence[tuple[float, float]],
        markers: Collection[str] = (),
    ) -> None:
        """``markers``: the one-word markers, which start a sentence when written with a capital
        letter where Whisper left out the full stop ("…a vendor So rather than…")."""
        self.words = words
        self.markers = frozenset(markers)
        self.tokens = [Token.parse(word.text) for word in words]
        self.paused = paused_gaps(words, silences)
        self.owner: list[FillerEvent | None] = [None] * len(words)

    def __len__(self) -> int:
        return len(self.tokens)

    def core(self, index: int) -> str:
        return self.tokens[index].core if 0 <= index < len(self.tokens) else ""

    def free(self, index: int) -> bool:
        """Whether the word can still become (part of) an event."""
        return (
            0 <= index < len(self.tokens)
            and self.owner[index] is None
            and not self.tokens[index].quoted
        )

    def punctuation(self, gap: int) -> Break:
        """The punctuation between word ``gap - 1`` and word ``gap``."""
        if gap <= 0 or gap >= len(self.tokens):
            return Break.SENTENCE
        marks = self.tokens[gap - 1].trail + self.tokens[gap].lead
        if not marks:
            following = self.tokens[gap]
            starts = following.capital and following.core in self.markers
            return Break.SENTENCE if starts else Break.NONE
        if "?" in marks or "!" in marks or ("." in marks and "..." not in marks):
            return Break.SENTENCE
        return Break.COMMA

    def gap(self, gap: int) -> Break:
        """The strongest break between word ``gap - 1`` and word ``gap``."""
        found = self.punctuation(gap)
        if found >= Break.COMMA:
            return found
        if self.counted(gap - 1) or self.counted(gap):
            return Break.FILLER
        if self.paused[gap]:
            return Break.PAUSE
        return found

    def before(self, index: int) -> Break:
        return self.gap(index)

    def after(self, index: int) -> Break:
        return self.gap(index + 1)

    def question(self, index: int) -> bool:
        return "?" in self.tokens[index].trail

    def previous(self, index: int) -> str:
        """The word before ``index`` read through hesitation sounds, "" across punctuation."""
        gap = index
        while gap > 0 and self.hesitation(gap - 1):
            gap -= 1
        if gap <= 0 or self.tokens[gap - 1].trail or self.tokens[gap].lead:
            return ""
        return self.tokens[gap - 1].core

    def following(self, index: int) -> str:
        """The word right after ``index`` when no punctuation separates them, else ""."""
        if self.punctuation(index + 1) is not Break.NONE:
            return ""
        return self.core(index + 1)

    def next_content(self, index: int) -> str:
        """The first word after ``index`` that no counted filler claims (across punctuation)."""
        for later in range(index + 1, len(self.tokens)):
            if not self.counted(later):
                return self.tokens[later].core
        return ""

    def claim(self, kind: FillerType, indices: Iterable[int], confidence: float) -> None:
        claimed = tuple(indices)
        start = min(self.words[i].start for i in claimed)
        end = max(start, *(self.words[i].end for i in claimed))
        event = FillerEvent(kind, start, end, TRANSCRIPT, confidence, claimed)
        for index in claimed:
            self.owner[index] = event

    def events(self) -> list[FillerEvent]:
        unique = {id(event): event for event in self.owner if event is not None}
        return sorted(unique.values(), key=lambda event: (event.start, event.words))

    def counted(self, index: int) -> bool:
        if not 0 <= index < len(self.tokens):
            return False
        event = self.owner[index]
        return event is not None and event.counted

    def hesitation(self, index: int) -> bool:
        event = self.owner[index]
        return event is not None and event.type in HESITATIONS


def paused_gaps(words: Sequence[Word], silences: Sequence[tuple[float, float]]) -> list[bool]:
    """For each gap (before word 0, …, after the last word), whether a silence falls there."""
    paused = [False] * (len(words) + 1)
    if not words:
        return paused
    starts = np.array([word.start for word in words], dtype=np.float64)
    ends = np.array([word.end for word in words], dtype=np.float64)
    left = np.concatenate(([-np.inf], ends))
    right = np.concatenate((starts, [np.inf]))
    low, high = np.fmin(left, right), np.fmax(left, right)
    for start, end in silences:
        if not (math.isfinite(start) and math.isfinite(end) and end - start >= MIN_PAUSE_S):
            continue
        distance = np.maximum(0.0, np.maximum(start - high, low - end))
        if np.isnan(distance).all():
            continue
        nearest = np.nanmin(distance)
        gaps = np.flatnonzero(distance == 0) if nearest == 0 else [np.nanargmin(distance)]
        for gap in gaps:
            paused[int(gap)] = True
    return paused
