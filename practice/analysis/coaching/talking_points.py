"""Which of a question's talking points an answer covers, by the forms of words.

A point's *keywords* are its words of four letters or more that are not common words (a label
such as "Result:" at its start is left out). A word of
the answer matches a keyword when they share a lemma ("led" and "leading" are "lead"; "teams" is
"team") or a crude stem (``-ing``, ``-ed``, ``-es``, ``-s``, ``-ly`` removed: "decisions" and
"decision"). A bank may give a point synonyms: a synonym (a word or a phrase) is found when all of
its words are, and counts as one more keyword found. A point is covered when at least half of
its keywords (rounded up) are found, or one when it has one or two. It is a hint for the speaker,
not a judgement; the words of the answer that covered the point are shown with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from practice.analysis.coaching.tokens import Token, lemma, word_set

_WORD = re.compile(r"[a-z][a-z'-]*")
_SUFFIXES = ("ing", "ed", "es", "ly", "s")
_COMMON = word_set(
    """about above after again also because been before being below between both could does
    doing down during each even every from further have having here into just like made make
    more most much must only other over same should some such than that their them then there
    these they this those through under until very want were what when where which while will
    with would your yours you're they're it's something things thing really well good"""
)


@dataclass(frozen=True, slots=True)
class PointCheck:
    point: str
    mentioned: bool
    found: tuple[str, ...]
    """The words of the answer that covered it, as said."""

    def to_json(self) -> dict[str, Any]:
        return {"point": self.point, "covered": self.mentioned, "words": list(self.found)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PointCheck:
        return cls(str(data["point"]), bool(data["covered"]), tuple(map(str, data["words"])))


def stem(word: str) -> str:
    word = word.strip("'-")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _forms(word: str) -> frozenset[str]:
    return frozenset({lemma(word), stem(word), word})


def keywords(text: str) -> tuple[str, ...]:
    """The distinct meaningful words of ``text``, in order; a label of one or two words before a
    colon ("Situation: …", "Result: …") is a heading, not content, and is left out."""
    head, colon, rest = text.partition(":")
    if colon and _WORD.search(rest.lower()) and 1 <= len(head.split()) <= 2:
        text = rest
    seen: dict[str, None] = {}
    for found in _WORD.findall(text.lower()):
        word = found.strip("'-")
        if len(word) >= 4 and word not in _COMMON:
            seen.setdefault(word, None)
    return tuple(seen)


def check_points(
    points: Sequence[str],
    said: Sequence[Token] | str,
    synonyms: Sequence[Sequence[str]] = (),
) -> tuple[PointCheck, ...]:
    """For each talking point, whether the answer covers it (see the module docstring)."""
    words = _WORD.findall(said.lower()) if isinstance(said, str) else [t.text for t in said]
    by_form: dict[str, str] = {}
    for word in words:
        for form in _forms(word.strip("'-")):
            by_form.setdefault(form, word)
    checks = []
    for index, point in enumerate(points):
        wanted = keywords(point)
        found = [_said(keyword, by_form) for keyword in wanted]
        covered = [word for word in found if word is not None]
        extra = synonyms[index] if index < len(synonyms) else ()
        for synonym in extra:
            parts = tuple(word.strip("'-") for word in _WORD.findall(synonym.lower()))
            heard = [_said(part, by_form) for part in parts]
            if parts and all(heard):
                covered.append(" ".join(word for word in heard if word is not None))
                found.append(heard[0])
        hits = sum(word is not None for word in found)
        needed = 1 if len(wanted) <= 2 else math.ceil(len(wanted) / 2)
        checks.append(
            PointCheck(point, bool(wanted) and hits >= needed, tuple(dict.fromkeys(covered)))
        )
    return tuple(checks)


def _said(keyword: str, by_form: dict[str, str]) -> str | None:
    for form in _forms(keyword):
        if form in by_form:
            return by_form[form]
    return None
