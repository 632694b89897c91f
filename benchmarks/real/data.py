"""The real recordings in ``../shared/data/real`` and what is known about them.

Two kinds of truth are read:

- ``truth.json``'s files (the monologue and the TalkBank test) have a reference transcript,
  hesitations and discourse markers *with times*, and a count of restarts;
- ``mfa-clips/transcripts.tsv`` has each acted clip's reference transcript and its filler tokens
  *without times*: um/uh/er/ah/hm tokens are hesitations, other plain words a discourse marker
  ("you know", "what's called"); ``<hes-…>`` (a word drawn out) and ``<cutoff-…>`` (a word cut
  off) are not fillers. A clip whose tokens hold no hesitation and no marker "has no fillers".
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import shared_data
from benchmarks.accuracy.score import Event
from benchmarks.accuracy.script import canonical_type, words_of
from practice.analysis.events import HESITATIONS
from practice.errors import PracticeError

ENV_VAR = "PRACTICE_REAL_DATA"


class DataError(PracticeError):
    """The real-speech folder is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Item:
    """One recording and its truth."""

    name: str
    """Its path inside the data folder."""
    path: Path
    kind: str
    """``spontaneous`` (truth.json's files) or ``acted`` (the MFA clips)."""
    reference: str | None
    """The reference transcript (None when the source gives none)."""
    timed: bool
    """Whether ``hesitations`` and ``markers`` have real times (else only their count and type
    matter: their times are 0)."""
    hesitations: tuple[Event, ...]
    markers: tuple[Event, ...]
    restarts: int | None
    """Restarts and repetitions in the truth; None when the source does not count them."""

    @property
    def has_fillers(self) -> bool:
        return bool(self.hesitations or self.markers)


def default_folder() -> Path:
    """``$PRACTICE_REAL_DATA``, else ``shared/data/real`` next to the checkout or one of its
    parents (so a worktree finds it too)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return shared_data("real")


def load_items(folder: Path) -> list[Item]:
    """Every recording with its truth: truth.json's files first, then the MFA clips."""
    if not (folder / "truth.json").is_file():
        raise DataError(f"{folder}: no truth.json (the real-speech set is absent)")
    try:
        data = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataError(f"{folder / 'truth.json'}: cannot read its files ({error})") from None
    items = [_timed_item(folder, entry) for entry in files]
    clips = folder / "mfa-clips" / "transcripts.tsv"
    if clips.is_file():
        items.extend(_clips(clips))
    return items


def _timed_item(folder: Path, entry: dict[str, Any]) -> Item:
    try:
        name = str(entry["file"])
        return Item(
            name=name,
            path=folder / name,
            kind="spontaneous",
            reference=str(entry["reference"]),
            timed=True,
            hesitations=tuple(_event(e) for e in entry.get("hesitations", ())),
            markers=tuple(_event(e) for e in entry.get("markers", ())),
            restarts=int(entry["restarts"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise DataError(
            f"truth.json: malformed entry {entry.get('file', '?')!r} ({error})"
        ) from None


def _event(entry: dict[str, Any]) -> Event:
    kind = str(entry["type"])
    return Event(canonical_type(kind) or kind, float(entry["start"]), float(entry["end"]))


def _clips(path: Path) -> list[Item]:
    items = []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    for number, row in enumerate(rows[1:], 2):
        if len(row) < 4:
            raise DataError(f"{path}:{number}: expected 4 tab-separated columns")
        name, _seconds, reference, tokens = row[:4]
        hesitations, marker = clip_fillers(tokens)
        items.append(
            Item(
                name=f"mfa-clips/{name}",
                path=path.parent / name,
                kind="acted",
                reference=None if reference.startswith("(") else reference,
                timed=False,
                hesitations=tuple(Event(kind, 0.0, 0.0) for kind in hesitations),
                markers=() if marker is None else (Event(marker, 0.0, 0.0),),
                restarts=None,
            )
        )
    return items


def clip_fillers(tokens: str) -> tuple[list[str], str | None]:
    """A clip's filler column → its hesitation types and its discourse marker (if any)."""
    hesitations: list[str] = []
    other: list[str] = []
    for token in tokens.split():
        if token == "-" or token.startswith("<"):
            continue
        kind = canonical_type(token)
        if kind in HESITATIONS:
            hesitations.append(kind)
        else:
            other.append(token)
    marker = " ".join(words_of(" ".join(other)))
    return hesitations, (canonical_type(marker) or marker) if marker else None
