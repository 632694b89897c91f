"""How fast the answer is spoken.

- ``wpm``: words that are not fillers, divided by the minutes from the first such word's start to
  the last one's end (trimmed to where the signal has speech, since Whisper stretches words over
  silences): fillers before the first word or after the last are not part of the pace. Pauses
  inside the answer count, as a listener hears them.
- ``articulation_sps``: syllables of those words per second of speech, pauses excluded.
- ``windows``: the same WPM over consecutive 15 s windows, to show speeding up or slowing down.

Pace is not judged on answers shorter than 20 s or 40 words (RESEARCH.md): the number is shown,
the score ignores it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from practice.analysis.pauses import Pause
from practice.analysis.transcript import Word

WINDOW_SECONDS = 15.0
MIN_JUDGED_SECONDS = 20.0
MIN_JUDGED_WORDS = 40
_LETTERS = re.compile(r"[^a-z']")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True, slots=True)
class PaceWindow:
    start: float
    end: float
    words: int

    @property
    def wpm(self) -> float:
        minutes = (self.end - self.start) / 60.0
        return self.words / minutes if minutes > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "words": self.words,
            "wpm": round(self.wpm, 1),
        }


@dataclass(frozen=True, slots=True)
class Pace:
    words: int
    """Words that are not fillers."""
    span_s: float
    """Seconds from the first word that is not a filler to the last."""
    speaking_s: float
    """``span_s`` less the pauses inside it."""
    syllables: int
    windows: tuple[PaceWindow, ...]

    @property
    def wpm(self) -> float:
        return self.words / (self.span_s / 60.0) if self.span_s > 0 else 0.0

    @property
    def articulation_sps(self) -> float:
        return self.syllables / self.speaking_s if self.speaking_s > 0 else 0.0

    @property
    def judged(self) -> bool:
        """Long enough for the pace to mean something."""
        return self.span_s >= MIN_JUDGED_SECONDS and self.words >= MIN_JUDGED_WORDS

    def to_json(self) -> dict[str, Any]:
        return {
            "wpm": round(self.wpm, 1),
            "articulation_sps": round(self.articulation_sps, 2),
            "words": self.words,
            "span_s": round(self.span_s, 3),
            "speaking_s": round(self.speaking_s, 3),
            "syllables": self.syllables,
            "judged": self.judged,
            "windows": [window.to_json() for window in self.windows],
        }


def syllables(word: str) -> int:
    """Estimated syllables of an English word (vowel groups, with the usual silent-e rules)."""
    letters = _LETTERS.sub("", word.lower())
    if not letters:
        return 0 if not any(ch.isdigit() for ch in word) else max(1, len(word) // 2)
    count = len(_VOWEL_GROUPS.findall(letters))
    if letters.endswith("e") and not letters.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if letters.endswith(("es", "ed")) and count > 1 and not letters.endswith(("ted", "ded")):
        count -= 1
    return max(1, count)


def measure_pace(
    words: Sequence[Word],
    fillers: Sequence[int],
    pauses: Sequence[Pause] = (),
    speech: tuple[float, float] | None = None,
) -> Pace:
    """Pace of ``words`` excluding the word indices in ``fillers``.

    ``speech`` is where the signal has speech (start, end): the span is trimmed to it.
    """
    skip = set(fillers)
    spoken = [word for index, word in enumerate(words) if index not in skip]
    if not spoken:
        return Pace(0, 0.0, 0.0, 0, ())
    start, end = spoken[0].start, spoken[-1].end
    if speech is not None:
        start, end = max(start, speech[0]), min(end, speech[1])
    span = round(max(0.0, end - start), 3)  # milliseconds, as the JSON keeps them
    paused = sum(max(0.0, min(pause.end, end) - max(pause.start, start)) for pause in pauses)
    windows: list[PaceWindow] = []
    edge = start
    while edge < end:
        right = round(edge + WINDOW_SECONDS, 3)
        if end - right < WINDOW_SECONDS / 3:  # a short tail joins the last window
            right = end
        count = sum(1 for word in spoken if edge <= (word.start + word.end) / 2 < right)
        windows.append(PaceWindow(edge, right, count))
        edge = right
    return Pace(
        words=len(spoken),
        span_s=span,
        speaking_s=round(max(0.0, span - paused), 3),
        syllables=sum(syllables(word.text) for word in spoken),
        windows=tuple(windows),
    )
