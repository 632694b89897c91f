"""Specifics: a quantified result, "I" against "we", and phrases said more than once.

- A *quantity* is a token with a digit (not a year such as 2019), a percent or money sign, or a
  number word as speech is transcribed: zero, two to a billion (also joined: "twenty-five",
  "threefold"), half, twice, double(d), triple(d), halved, percent, "per cent", dozen(s), and
  money words (dollars, pounds, euros, cents, bucks, grand). "one" is not counted (it is mostly
  a pronoun); fractions are ("a third", "two quarters").
- A *measured change* is "from" a quantity "to" a quantity within six words ("cut it from ten
  pages to two"), or a change verb (drop, cut, grow, …, in any tense) then "by" a quantity
  ("searches dropped by half"): a result put in numbers wherever in the answer it is said.
- "I" counts i, i'm, i've, i'd, i'll; "we" counts we, we're, we've, we'd, we'll. The answer is
  *we-heavy* when "we" is said more often than "I" and either three or more times, or the
  speaker never says "I" at all and tells an action with "we" (a short answer: "We re-laid the
  drain, tested it, and backfilled." is told by the team, however few its words).
- A *repeated phrase* is three to six words said at least twice, not overlapping, with at least
  one word of three or more letters that is not a common word; of repeats that overlap (nested,
  or shifted by a word) only the first of the longest is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from practice.analysis.coaching.tokens import Token, lemma, word_set

_NUMBER_WORDS = word_set(
    """zero two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred hundreds thousand thousands million millions billion half twice double doubled
    triple tripled halved quadrupled percent dozen dozens"""
)
_MONEY = word_set("dollars pounds euros cents cent bucks grand")
"""Said with a figure ("five grand", "twenty per cent"), these name an amount."""
_CHANGE_VERBS = word_set(
    "drop fall cut reduce increase grow rise go improve shrink speed slow save lower raise "
    "shorten lengthen decrease climb jump double halve"
)
_FRACTIONS = word_set("third quarter fifth tenth")
_COUNTS = word_set("a one")
_YEAR = re.compile(r"(19|20)\d\d")
_I = frozenset({"i", "i'm", "i've", "i'd", "i'll"})
_WE = frozenset({"we", "we're", "we've", "we'd", "we'll"})
WE_HEAVY_AT_LEAST = 3
_COMMON = word_set(
    """about after again also because been before being could does doing from have having here
    into just like made make more most much only other over same should some such than that
    their them then there these they this those through very want were what when where which
    while will with would your yours really well thing things know mean yeah okay right going
    think the and but for was you are not all any can had her his its our out she too who did
    get got has him how may now say see way yes let put own"""
)


def is_quantity(text: str) -> bool:
    if text in _NUMBER_WORDS or text in _MONEY or "%" in text or text.startswith("$"):
        return True
    if "-" in text:  # "twenty-five", "forty-percent"
        return any(is_quantity(part) for part in text.split("-") if part)
    if text.endswith("fold") and text[:-4] in _NUMBER_WORDS:  # "threefold"
        return True
    return any(c.isdigit() for c in text) and not _YEAR.fullmatch(text)


def quantities(tokens: Sequence[Token]) -> tuple[Token, ...]:
    """The quantities said, with fractions ("a third", "two quarters") too."""
    found = []
    for at, token in enumerate(tokens):
        before = tokens[at - 1].text if at else ""
        fraction = token.text.rstrip("s") in _FRACTIONS and (
            before in _COUNTS or is_quantity(before)
        )
        if fraction or is_quantity(token.text):
            found.append(token)
    return tuple(found)


def changed_by(texts: Sequence[str], at: int) -> bool:
    """Whether "by" at ``at`` gives the size of a change: a change verb in any tense among the
    three words before it and a quantity among the four after ("drop by more or less 10
    minutes", "cut costs by a third")."""
    if texts[at] != "by":
        return False
    changed = any(lemma(word) in _CHANGE_VERBS for word in texts[max(0, at - 3) : at])
    return changed and any(is_quantity(word) for word in texts[at + 1 : at + 5])


def measured_outcome(texts: Sequence[str]) -> bool:
    """Whether the words state a change with a number: a change verb in any tense and a
    quantity after it ("I saved the trust around half a million pounds a year")."""
    for at, word in enumerate(texts):
        if lemma(word) in _CHANGE_VERBS and any(is_quantity(w) for w in texts[at + 1 :]):
            return True
    return False


def measured_change(tokens: Sequence[Token]) -> bool:
    """Whether the tokens say "from" a quantity "to" a quantity, or change by a quantity (see
    the module docstring)."""
    texts = [token.text for token in tokens]
    if any(changed_by(texts, at) for at in range(len(texts))):
        return True
    counted = {token.word for token in quantities(tokens)}
    for at, text in enumerate(texts):
        if text != "from" or at + 1 >= len(texts) or tokens[at + 1].word not in counted:
            continue
        ahead = texts[at + 2 : at + 7]
        if "to" in ahead:
            after = at + 2 + ahead.index("to") + 1
            if any(t.word in counted for t in tokens[after : after + 3]):
                return True
    return False


@dataclass(frozen=True, slots=True)
class IWe:
    i: int
    we: int
    we_acted: bool = False
    """The speaker never says "I" and tells an action with "we"."""

    @property
    def we_heavy(self) -> bool:
        return self.we > self.i and (self.we >= WE_HEAVY_AT_LEAST or self.we_acted)

    def to_json(self) -> dict[str, Any]:
        return {
            "i": self.i,
            "we": self.we,
            "we_acted": self.we_acted,
            "we_heavy": self.we_heavy,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IWe:
        return cls(int(data["i"]), int(data["we"]), bool(data.get("we_acted", False)))


def i_we(
    tokens: Sequence[Token], actions: Sequence[Token] = (), every: Sequence[Token] = ()
) -> IWe:
    """ "I" against "we" in ``tokens`` (the answer after its scene); ``actions`` are the tokens of
    its actions and ``every`` the whole answer, to tell whether the speaker never says "I" and
    tells an action with "we"."""
    return IWe(
        sum(token.text in _I for token in tokens),
        sum(token.text in _WE for token in tokens),
        not any(token.text in _I for token in every)
        and any(token.text in _WE for token in actions),
    )


@dataclass(frozen=True, slots=True)
class Repeat:
    text: str
    count: int
    starts: tuple[float, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "count": self.count,
            "starts": [round(s, 3) for s in self.starts],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Repeat:
        return cls(str(data["text"]), int(data["count"]), tuple(float(s) for s in data["starts"]))


def repeats(tokens: Sequence[Token], shortest: int = 3, longest: int = 6) -> tuple[Repeat, ...]:
    """Phrases said at least twice (see the module docstring)."""
    texts = [token.text for token in tokens]
    found: dict[tuple[str, ...], list[int]] = {}
    covered: set[int] = set()
    for size in range(longest, shortest - 1, -1):
        seen: dict[tuple[str, ...], list[int]] = {}
        for at in range(len(texts) - size + 1):
            gram = tuple(texts[at : at + size])
            if not any(len(w) >= 3 and w not in _COMMON and w.isalpha() for w in gram):
                continue
            places = seen.setdefault(gram, [])
            if not places or at >= places[-1] + size:
                places.append(at)
        for gram, places in seen.items():
            spots = set(range(places[0], places[0] + size))
            if len(places) < 2 or spots & covered:
                continue
            found[gram] = places
            covered |= {at + i for at in places for i in range(size)}
    result = [
        Repeat(" ".join(gram), len(places), tuple(tokens[at].start for at in places))
        for gram, places in found.items()
    ]
    return tuple(sorted(result, key=lambda r: r.starts[0]))
