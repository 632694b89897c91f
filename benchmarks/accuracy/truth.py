"""What a rendered answer really contains, with exact times (seconds from the start of the file)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.accuracy.script import canonical_type, words_of


@dataclass(frozen=True, slots=True)
class Segment:
    """One rendered part: ``kind`` is "words" (plain words), "filler" or "pause" (inserted)."""

    kind: str
    start: float
    end: float
    text: str = ""
    type: str = ""

    @property
    def words(self) -> tuple[str, ...]:
        return words_of(self.text)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "start": self.start, "end": self.end}
        if self.text:
            data["text"] = self.text
        if self.type:
            data["type"] = self.type
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Segment:
        """A saved segment; a filler's type is read as its canonical name, so that audio cached
        before a spelling such as "repeat" was canonicalised scores as "repetition"."""
        kind = str(data.get("type", ""))
        return cls(
            str(data["kind"]),
            float(data["start"]),
            float(data["end"]),
            str(data.get("text", "")),
            (canonical_type(kind) or kind) if kind else "",
        )


@dataclass(frozen=True, slots=True)
class Truth:
    """The exact content of one script rendered by one voice."""

    script: str
    voice: str
    duration_s: float
    segments: tuple[Segment, ...]

    def _of(self, kind: str) -> tuple[Segment, ...]:
        return tuple(segment for segment in self.segments if segment.kind == kind)

    @property
    def chunks(self) -> tuple[Segment, ...]:
        """Runs of plain words."""
        return self._of("words")

    @property
    def fillers(self) -> tuple[Segment, ...]:
        return self._of("filler")

    @property
    def pauses(self) -> tuple[Segment, ...]:
        """Inserted silences (the natural 0-150 ms gaps between chunks are not listed)."""
        return self._of("pause")

    @property
    def words(self) -> tuple[str, ...]:
        """The plain words in order (fillers excluded)."""
        return tuple(word for chunk in self.chunks for word in chunk.words)

    @property
    def spoken(self) -> tuple[str, ...]:
        """Every word spoken, fillers included, in order (the reference for WER)."""
        return tuple(
            word for segment in self.segments if segment.kind != "pause" for word in segment.words
        )

    @property
    def wpm(self) -> float:
        """practice's definition: plain words ÷ minutes from the first plain word's start to the
        last plain word's end."""
        chunks = self.chunks
        minutes = (chunks[-1].end - chunks[0].start) / 60.0
        return len(self.words) / minutes

    def to_json(self) -> dict[str, Any]:
        return {
            "script": self.script,
            "voice": self.voice,
            "duration_s": self.duration_s,
            "wpm": round(self.wpm, 2),
            "words": list(self.words),
            "segments": [segment.to_json() for segment in self.segments],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Truth:
        return cls(
            str(data["script"]),
            str(data["voice"]),
            float(data["duration_s"]),
            tuple(Segment.from_json(item) for item in data["segments"]),
        )


COMMITTED = Path(__file__).with_name("truth.jsonl")
"""The committed truth: per script and clean voice, the duration and every segment's times (in
the order of the script's parts). Rendering is deterministic, so a fresh rendering matches it;
if it does not, a script was edited or an engine changed."""


def _times(truth: Truth) -> dict[str, Any]:
    return {
        "script": truth.script,
        "voice": truth.voice,
        "duration_s": truth.duration_s,
        "times": [[segment.start, segment.end] for segment in truth.segments],
    }


def read_committed(path: Path = COMMITTED) -> dict[tuple[str, str], dict[str, Any]]:
    if not path.is_file():
        return {}
    entries = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {(entry["script"], entry["voice"]): entry for entry in entries}


def differing(truths: Iterable[Truth], path: Path = COMMITTED) -> list[Truth]:
    """The truths whose timeline differs from the committed one (ones not committed are fine)."""
    committed = read_committed(path)
    return [
        truth
        for truth in truths
        if (key := (truth.script, truth.voice)) in committed and committed[key] != _times(truth)
    ]


def write_committed(truths: Iterable[Truth], path: Path = COMMITTED) -> None:
    """Add or replace these truths in the committed file (sorted by script, then voice)."""
    committed = read_committed(path)
    committed.update({(truth.script, truth.voice): _times(truth) for truth in truths})
    lines = [json.dumps(committed[key], separators=(",", ":")) for key in sorted(committed)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
