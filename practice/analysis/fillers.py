"""Filler words (placeholder until the lexical channel lands)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from practice.analysis.transcribe import Word

COUNTED = 0.5


@dataclass(frozen=True, slots=True)
class FillerEvent:
    type: str
    start: float
    end: float
    source: str
    confidence: float
    words: tuple[int, ...] = ()

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
            str(data["type"]),
            float(data["start"]),
            float(data["end"]),
            str(data["source"]),
            float(data.get("confidence", 1.0)),
            tuple(int(index) for index in data.get("words", ())),
        )


def find_fillers(
    words: Sequence[Word], silences: Sequence[tuple[float, float]] = ()
) -> list[FillerEvent]:
    events = []
    for index, word in enumerate(words):
        token = word.text.lower().strip(".,!?;:-")
        if token in {"um", "uh", "umm", "uhh", "er", "ah", "hmm"}:
            events.append(
                FillerEvent(token[:2], word.start, word.end, "transcript", 0.95, (index,))
            )
    return events
