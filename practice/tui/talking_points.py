"""Which of a question's talking points an answer mentions: a simple, explainable keyword match.

A talking point's *keywords* are its words of four letters or more that are not common words,
reduced to a crude stem (``-ing``, ``-ed``, ``-es``, ``-s``, ``-ly`` removed). A point counts as
mentioned when the answer contains at least half of its keywords (rounded up), or any keyword
when it has one or two. It is a hint for the speaker, not a judgement: synonyms are missed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"[a-z][a-z'-]*")
_SUFFIXES = ("ing", "ed", "es", "ly", "s")
_COMMON = frozenset(
    re.findall(
        r"\S+",
        """
    about above after again also because been before being below between both could does doing
    down during each even every from further have having here into just like made make more most
    much must only other over same should some such than that their them then there these they
    this those through under until very want were what when where which while will with would
    your yours you're they're it's something things thing really well good
    """,
    )
)


@dataclass(frozen=True, slots=True)
class PointCheck:
    point: str
    mentioned: bool
    found: tuple[str, ...]
    """The keywords the answer contains."""


def stem(word: str) -> str:
    word = word.strip("'-")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def keywords(text: str) -> tuple[str, ...]:
    """The distinct stems of ``text``'s meaningful words, in order."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        if len(word) >= 4 and word not in _COMMON:
            seen.setdefault(stem(word), None)
    return tuple(seen)


def check_points(points: Iterable[str], answer: str) -> tuple[PointCheck, ...]:
    """For each talking point, whether ``answer`` mentions it."""
    said = {stem(word) for word in _WORD.findall(answer.lower())}
    checks = []
    for point in points:
        wanted = keywords(point)
        found = tuple(word for word in wanted if word in said)
        needed = 1 if len(wanted) <= 2 else math.ceil(len(wanted) / 2)
        checks.append(PointCheck(point, bool(wanted) and len(found) >= needed, found))
    return tuple(checks)
