"""Text from files made safe to show: no control character ever reaches the terminal raw.

Bank files, ``session.json`` and file names come from anywhere (a downloaded bank, a shared
folder, a Latin-1 zip). :func:`printable` replaces what a terminal would obey instead of show
(C0 controls but tab and newline, DEL, C1 controls, bidirectional overrides) and what cannot be
encoded (lone surrogates from undecodable file names) with a visible ``\\uXXXX``; the escape is
also valid inside a JSON string, so it is safe for JSON output too. It is the one sanitiser:
banks and sessions pass their text through it when they are read, and the CLI through
:class:`PrintableStream`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, TextIO

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (tab and newline kept), DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides
    "\ud800-\udfff]"  # lone surrogates (undecodable bytes of a file name)
)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str) -> str:
    """``text`` with every control character, bidirectional override and lone surrogate shown
    as ``\\uXXXX`` (tab and newline are kept)."""
    return _UNSAFE.sub(_escape, text)


def printable_line(text: str) -> str:
    """:func:`printable` on one line: newlines and tabs become spaces too."""
    return printable(text.replace("\n", " ").replace("\t", " "))


def clean(data: Any) -> Any:
    """Every string inside parsed JSON or TOML data (dicts, lists, strings) made
    :func:`printable`; other values are returned as they are."""
    if isinstance(data, str):
        return printable(data)
    if isinstance(data, dict):
        return {key: clean(value) for key, value in data.items()}
    if isinstance(data, list):
        return [clean(item) for item in data]
    return data


def clean_json(text: str) -> Any:
    """``json.loads(text)`` with every string in it made :func:`printable`. Only text that can
    hold such a character (an escape, or one left raw, which JSON allows for C1 and bidi marks)
    is walked: practice's own files rarely do, so reading them stays fast."""
    data = json.loads(text)
    return clean(data) if "\\u" in text or _UNSAFE.search(text) else data


class PrintableStream:
    """A text stream that passes everything written through :func:`printable` (``unfiltered``
    is the stream underneath, for practice's own cursor control)."""

    def __init__(self, stream: TextIO) -> None:
        self.unfiltered = stream

    def write(self, text: str) -> int:
        self.unfiltered.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.unfiltered, name)


def points_text(points: float, possible: float) -> str:
    """``27/30``: points won (down to a tenth, so a part that lost any points never reads as
    full marks: ``29.6/30``, not ``30/30``) out of points possible."""
    won = math.floor(round(points, 6) * 10) / 10
    return f"{won:g}/{possible:g}"
