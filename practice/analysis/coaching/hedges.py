"""Hedges and weak words: the phrases that make a speaker sound unsure of what they did.

Always a hedge: "I guess", "I suppose", "maybe", "perhaps", "hopefully", "probably", "somewhat",
"more or less", "pretty much", "I don't know if/whether", "a little bit" and "a bit" (not "a
(little) bit of …", "a bit about me"), "fairly" before a word it weakens ("fairly easily", not
"treated fairly"), "might have"/"may have"/"could have" after I/we, and "just" straight after
I/we ("I just helped"), and "may be" between I/we and a past form ("I may be helped": how a
transcript may write "I maybe helped"). "kinda"/"sorta" are reported as "kind of"/"sort of",
that "may be" as "maybe".

By context:

- "kind of"/"sort of" are hedges except as nouns: after a determiner or "what"/"which"/"some"/
  "any"/"every"/"that"/"this"/"the"/"a"/"same"/"different" ("what kind of team").
- "I think", "I believe", "I feel (like)", "I'd say", "I'm not sure" are fine as an opinion or a
  plain statement ("I think the best teams …", "I am not sure this field is right for me"). They
  are hedges about the speaker's own part: when "I"/"we"/"my"/"our" or another hedge follows
  within three words ("I think I maybe helped", "I'm not sure if I did"), when they close a
  sentence ("It went well, I'd say."), and "not sure" followed by of/about/by/if/whether/exactly
  ("I'm not sure of the exact figure", "I'm not sure by how much").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from practice.analysis.coaching.tokens import Sentence, has, past_form, word_set


@dataclass(frozen=True, slots=True)
class Hedge:
    text: str
    start: float
    end: float
    words: tuple[int, ...]
    """The answer's words it covers."""

    @property
    def said(self) -> str:
        """The text for people: "I" in capitals ("I think")."""
        return " ".join("I" + word[1:] if word in _I_FORMS else word for word in self.text.split())

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "words": list(self.words),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Hedge:
        return cls(
            str(data["text"]),
            float(data["start"]),
            float(data["end"]),
            tuple(int(w) for w in data.get("words", ())),
        )


_ALWAYS = tuple(
    tuple(phrase.split())
    for phrase in (
        "i don't know if",
        "i don't know whether",
        "more or less",
        "pretty much",
        "i guess",
        "i suppose",
        "maybe",
        "perhaps",
        "hopefully",
        "probably",
        "somewhat",
        "kinda",
        "sorta",
    )
)
_I_FORMS = frozenset({"i", "i'm", "i've", "i'd", "i'll"})
_SPELLED = {"kinda": "kind of", "sorta": "sort of", "may be": "maybe"}
"""Hedges written as one word are reported as the two; "may be" before a past form ("I may be
helped", as a transcript may write "I maybe helped") as "maybe"."""
_NOUN_BEFORE = word_set(
    "a an the this that these those what which some any every same different other one "
    "each no certain"
)
_OPINION = (
    ("i", "think"),
    ("i", "believe"),
    ("i", "feel", "like"),
    ("i", "feel"),
    ("i'd", "say"),
    ("i", "would", "say"),
    ("i'm", "not", "sure"),
    ("i", "am", "not", "sure"),
    ("not", "sure"),
)
_OWN = word_set("i we my our i'm i've we've we're i'd we'd")
_SELF = word_set("i we")
_UNSURE_OF = word_set("of about by if whether exactly")
"""After "not sure", these make it doubt about the facts of what was done."""
_MODAL = (("might", "have"), ("may", "have"), ("could", "have"), ("might", "not"))


def find_hedges(sentences: Sequence[Sentence]) -> tuple[Hedge, ...]:
    """Every hedge, in order (see the module docstring for the rules)."""
    found: list[Hedge] = []
    for sentence in sentences:
        texts = sentence.texts
        taken: set[int] = set()
        at = 0
        while at < len(texts):
            length = _hedge_at(texts, at)
            if length and not taken & set(range(at, at + length)):
                tokens = sentence.tokens[at : at + length]
                said = " ".join(texts[at : at + length])
                found.append(
                    Hedge(
                        _SPELLED.get(said, said),
                        tokens[0].start,
                        tokens[-1].end,
                        tuple(dict.fromkeys(token.word for token in tokens)),
                    )
                )
                taken |= set(range(at, at + length))
                at += length
            else:
                at += 1
    return tuple(found)


def _at(texts: Sequence[str], at: int) -> str:
    return texts[at] if at < len(texts) else ""


def _hedge_at(texts: Sequence[str], at: int) -> int:
    """The number of tokens of a hedge starting at ``at``, or 0."""
    for phrase in _ALWAYS:
        if has(texts, phrase, at):
            return len(phrase)
    word = texts[at]
    before = texts[at - 1] if at else ""
    if word in {"kind", "sort"} and has(texts, (word, "of"), at):
        return 0 if before in _NOUN_BEFORE or before.endswith("'s") else 2
    if has(texts, ("a", "little", "bit"), at):
        return 0 if has(texts, ("of",), at + 3) else 3
    if has(texts, ("a", "bit"), at) and before != "little":
        return 0 if _at(texts, at + 2) in {"of", "about"} else 2  # not "a bit about me"
    if word == "fairly" and _at(texts, at + 1) not in {"", "and", "or", "but"}:
        return 1  # "fairly easily", not "treated fairly"
    if word == "just" and before in _SELF:
        return 1
    if before in _SELF and has(texts, ("may", "be"), at) and past_form(_at(texts, at + 2)):
        return 2  # "I may be helped": "maybe" as a transcript writes it
    if before in _SELF:
        for modal in _MODAL:
            if has(texts, modal, at):
                return len(modal)
    for phrase in _OPINION:
        if has(texts, phrase, at):
            after = texts[at + len(phrase) : at + len(phrase) + 3]
            if not after or any(w in _OWN or _hedge_at(after, i) for i, w in enumerate(after)):
                return len(phrase)
            if phrase[-1] == "sure" and after[0] in _UNSURE_OF:
                return len(phrase)  # "I'm not sure of the exact figure", "… by how much"
            return 0
    return 0
