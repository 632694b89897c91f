"""A filler event, the result type shared by the filler channels: the lexical one
(``fillers.py``) and the acoustic ones (``hesitations.py``, ``restarts.py``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final, Literal, cast, get_args

COUNTED_CONFIDENCE = 0.5
"""Events at or above this confidence are counted; lower ones are "likely" fillers."""

FillerType = Literal[
    "um",
    "uh",
    "er",
    "ah",
    "hmm",
    "like",
    "you know",
    "i mean",
    "so",
    "basically",
    "actually",
    "literally",
    "kind of",
    "sort of",
    "well",
    "right",
    "okay",
    "repetition",
]
"""Every canonical filler type."""
FillerSource = Literal["transcript", "audio"]
"""How a filler was found: in the transcript's words, or heard in the audio."""

TRANSCRIPT: Final = "transcript"
AUDIO: Final = "audio"

REPETITION: Final = "repetition"
HESITATIONS: tuple[FillerType, ...] = ("um", "uh", "er", "ah", "hmm")
"""The types of hesitation sounds (filled pauses), the kind the audio channel can hear."""
SOUND_WORDS = frozenset(("yeah", "yeh", "yea", "huh"))
"""Words Whisper writes for a held sound it heard as one (its "Yeah," over a held "er"): such a
word is that sound, not a word said."""
LAUGHTER = re.compile(
    r"[(\[]laugh\w*[)\]]|(?:ha|hah|heh)(?:[- ]?(?:ha|hah|heh|he))*|he(?:[- ]?he)+"
)
"""How Whisper writes a laugh ("Ha ha ha.", "(laughs)", "[laughter]"), read on a word without its
punctuation, lower-cased: laughter, never a word said again nor a filler."""


def is_laughter(text: str) -> bool:
    """Whether a written word is laughter (:data:`LAUGHTER`)."""
    return LAUGHTER.fullmatch(text.strip(" ,.?!;:\"'").lower()) is not None


TYPES: tuple[FillerType, ...] = get_args(FillerType)
"""Every canonical event type, hesitation sounds first."""


@dataclass(frozen=True, slots=True)
class FillerEvent:
    """One filler: its canonical type, when it was said, how it was found and how sure we are."""

    type: FillerType
    start: float
    end: float
    source: FillerSource
    confidence: float
    words: tuple[int, ...] = ()

    @property
    def counted(self) -> bool:
        """Whether reports count this event (otherwise it is only a likely filler)."""
        return self.confidence >= COUNTED_CONFIDENCE

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "source": self.source,
            "confidence": round(self.confidence, 3),
            "words": list(self.words),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FillerEvent:
        return cls(
            cast(FillerType, str(data["type"])),
            float(data["start"]),
            float(data["end"]),
            cast(FillerSource, str(data["source"])),
            float(data.get("confidence", 1.0)),
            tuple(int(index) for index in data.get("words", ())),
        )
