"""Hedges and weak words: the phrases that make a speaker sound unsure of what they did.

Always a hedge: "I guess", "I suppose", "maybe", "perhaps", "hopefully", "probably", "somewhat",
"more or less", "pretty much", "I don't know if/whether", "as far as I know", "if I remember
right" (rightly, correctly), "a little bit" (not "a little bit of …"), "fairly" before a word it
weakens ("fairly easily", not "treated fairly"), "might have"/"may have"/"could have" after
I/we before a past participle ("we might have cut", not "we could have a unit the next day"),
"just" straight after I/we ("I just helped") or after another hedge ("I kind of just
stayed"), "just" between "was"/"am" and a task or a request ("my job was just to …", "I was just
wondering"), "may be" between I/we and a past form ("I may be helped": how a transcript may
write "I maybe helped"), and "mostly" closing a sentence ("that fixed it mostly").
"kinda"/"sorta" are reported as "kind of"/"sort of", that "may be" as "maybe".

By context (after the linguistics of hedging: an epistemic phrase is a hedge when it weakens a
claim of fact, not when it marks an opinion, a feeling or a plan):

- "kind of"/"sort of" are hedges except as nouns: after a determiner or "what"/"which"/"some"/
  "any"/"every"/"same"/"different" ("what kind of team"); "a sort of backlog", "that sort of
  fixed it" and "is that sort of a problem" are hedges.
- "I think", "I believe", "I feel (like)", "I'd say", "I hope", "I want to say" hedge a fact:
  when they close their clause ("It went well, I think."), sit inside a claim ("which I think
  worked", "we ended up with I think six"), or the claim after them (up to six words, to "and"/
  "but"/"so"/"because") reports the past, a figure or holds another hedge ("I think it helped",
  "I think about two thirds", "I think I maybe helped"). Otherwise they give an opinion or a plan
  and are fine ("I think the best teams …", "I think I'd be good at it"), and so is a claim that
  evaluates ("I think the real problem was …", "I'd say the best part was …").
- "not sure" (also "not really sure", "not a hundred percent sure") doubts the facts when it
  closes its clause, before of/about/by/exactly ("I'm not sure of the exact figure"), about the
  answer's own example ("I'm not sure this counts"), or before a claim about the past ("I'm not
  sure anything else came of it"); not about a plan or an opinion ("I am not sure this field is
  right for me", "I'm not sure if I want to stay in research").
- "I don't know" (or "I dunno") standing alone before a new clause is a hedge ("I don't know, I
  moved some of the work"); with an object it is not ("I don't know anyone there").
- "a bit" weakens a result: before a comparative ("a bit better") or after a verb of change ("it
  helped a bit", "it went up a bit"); not a feeling or a quantity ("I'm a bit nervous", "a bit of
  time", "quite a bit", "for a bit").
- "should probably" before explain/say/mention/start organises the talk ("I should probably
  explain where I'm coming from"), no hedge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
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
        "i dont know if",
        "i dont know whether",
        "as far as i know",
        "as far as i can remember",
        "if i remember right",
        "if i remember rightly",
        "if i remember correctly",
        "if i recall correctly",
        "if i recall",
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
    ("i", "want", "to", "say"),
    ("i", "hope"),
)
_NOT_SURE = (("i'm", "not"), ("i", "am", "not"), ("im", "not"), ("not",))
_SURE_DEGREE = word_set(
    "really entirely totally completely quite a hundred percent 100% 100 that so"
)
"""Between "not" and "sure" ("I'm not really sure", "I'm not a hundred percent sure")."""
_DONT_KNOW = (("i", "don't", "know"), ("i", "dont", "know"), ("i", "dunno"))
_NEW_CLAUSE = word_set("i he she we they i'm he's she's we're they're it's maybe")
"""After "I don't know", these start a new clause: the phrase stands alone as a hedge ("I don't
know, I moved some of the work …")."""
_BREAK = word_set("and but so because cause though although while whereas")
"""Where the claim that an opinion phrase qualifies ends."""
_INSIDE = word_set(
    "is was were are be been which that with of about by for to at in on after before than "
    "took takes"
)
"""Before an opinion phrase, these put it inside a claim ("which I think worked", "it was I think
the second highest", "full time after I think four weeks")."""
_SELF = word_set("i we")
_UNSURE_OF = word_set("of about by exactly")
"""After "not sure", these make it doubt about the facts of what was done."""
_ABOUT_ANSWER = word_set("example counts count relevant")
"""After "not sure", doubt about the answer's own example ("I'm not sure this counts")."""
_MODAL = (("might", "have"), ("may", "have"), ("could", "have"), ("might", "not"))


def _perfect_after(texts: Sequence[str], at: int) -> bool:
    """Whether a past participle follows "might/may/could have" (up to two adverbs between):
    a guess about the past ("we might have cut", "I could have probably saved"), not "have" as
    a verb of its own ("we could have a loan unit the next day")."""
    for word in texts[at : at + 3]:
        if past_form(word) or word == "been":
            return True
        if not word.endswith("ly") and word not in {"just", "also", "even", "maybe"}:
            return False
    return False


_NUMBERS = word_set(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
    "fifty sixty hundred thousand half third quarter dozen first second twice double"
)
_NOT_PAST = word_set("am are is be me us him them her i my our their mine")
"""Words the lemma test would take for past forms ("are" → "be", "me" → "I")."""
_COMPARATIVE = word_set("more less better worse")
_CHANGE = word_set(
    "helped improved dropped fell rose grew went came increased decreased reduced changed got "
    "picked sped"
)
"""Verbs of a result: "a bit" after them weakens it ("it helped a bit", "it went up a bit")."""
_PARTICLES = word_set("up down out off back")
_SPEECH_ACTS = word_set("explain say mention start add introduce give set")
"""After "should probably", these organise the talk ("I should probably explain where I'm coming
from"), not doubt a claim."""
_EVALUATIVE = word_set(
    "best worst most least favourite favorite main real key bigger better biggest hardest "
    "right wrong"
)
"""After "the", these make the claim an evaluation ("I think the real problem was …")."""


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
    if (
        texts[at] == "probably"
        and at
        and texts[at - 1] == "should"
        and _at(texts, at + 1) in _SPEECH_ACTS
    ):
        return 0  # "I should probably explain where I'm coming from"
    if texts[at] == "mostly" and at == len(texts) - 1 and at:
        return 1  # "that fixed it mostly": a closing approximation
    for phrase in _ALWAYS:
        if has(texts, phrase, at):
            return len(phrase)
    word = texts[at]
    before = texts[at - 1] if at else ""
    if word in {"kind", "sort"} and has(texts, (word, "of"), at):
        nxt = _at(texts, at + 2)
        if nxt in {"a", "an"} or (before in {"that", "this"} and past_form(nxt)):
            return 2  # "is that sort of a problem", "that sort of fixed it"
        noun = before in _NOUN_BEFORE - {"a", "an"} or before.endswith("'s")
        return 0 if noun else 2
    if has(texts, ("a", "little", "bit"), at):
        return 0 if has(texts, ("of",), at + 3) else 3
    if has(texts, ("a", "bit"), at) and before not in {"little", "quite"}:
        return 2 if _downtones(texts, at) else 0
    if word == "fairly" and _at(texts, at + 1) not in {"", "and", "or", "but"}:
        return 1  # "fairly easily", not "treated fairly"
    if word == "just" and (before in _SELF or _just_weakens(texts, at)):
        return 1
    if before in _SELF and has(texts, ("may", "be"), at) and past_form(_at(texts, at + 2)):
        return 2  # "I may be helped": "maybe" as a transcript writes it
    if before in _SELF:
        for modal in _MODAL:
            if has(texts, modal, at) and (modal[1] != "have" or _perfect_after(texts, at + 2)):
                return len(modal)
    for phrase in _DONT_KNOW:
        if has(texts, phrase, at) and _at(texts, at + len(phrase)) in _NEW_CLAUSE | {""}:
            return len(phrase)  # "I don't know, I moved some of the work"
    for phrase in _OPINION:
        if has(texts, phrase, at):
            return len(phrase) if _qualifies_a_fact(texts, at, len(phrase)) else 0
    for phrase in _NOT_SURE:
        if has(texts, phrase, at) and (end := _sure_end(texts, at + len(phrase))) is not None:
            return end - at if _unsure_of_facts(texts, at, end - at) else 0
    return 0


def _qualifies_a_fact(texts: Sequence[str], at: int, length: int) -> bool:
    """Whether "I think" (or "I believe", "I'd say" …) at ``at`` hedges a fact about what happened
    rather than give an opinion: it closes its clause ("It went well, I think."), sits inside a
    claim ("which I think worked", "full time I think after four weeks"), or the claim after it
    reports the past, a figure or another hedge ("I think it helped", "I think about two thirds",
    "I think I maybe helped"); a claim with a superlative is an evaluation ("I'd say the best part
    was the people")."""
    after = _claim(texts, at + length)
    if not after:
        return True
    if at and texts[at - 1] in _INSIDE:
        return True
    if any(_hedge_at(after, i) for i in range(len(after))):
        return True
    clause = _claim(texts, at + length, 10)
    if any(
        word == "the" and (nxt in _EVALUATIVE or nxt.endswith("est"))
        for word, nxt in pairwise(clause)
    ):
        return False  # "I think the real problem was …", "I'd say the best part was …"
    return _reports(after)


def _claim(texts: Sequence[str], at: int, most: int = 6) -> list[str]:
    """The words from ``at`` to the end of the clause, at most ``most``."""
    claim = []
    for word in texts[at : at + most]:
        if word in _BREAK:
            break
        claim.append(word)
    return claim


def _reports(claim: Sequence[str]) -> bool:
    """Whether a claim reports the past, a figure or holds another hedge."""
    for i, word in enumerate(claim):
        if _hedge_at(claim, i):
            return True
        if word in _NUMBERS or any(c.isdigit() for c in word):
            return True
        perfect = i and claim[i - 1] in {"i've", "we've", "you've", "have", "has"}
        if _past(word) and not perfect:
            return True  # "I think it helped", not "I feel like I've got the skills"
    return False


def _past(word: str) -> bool:
    """Whether a word is a past form of a verb (not a comparative, "are" or "me")."""
    return word == "was" or (past_form(word) and not word.endswith("er") and word not in _NOT_PAST)


def _sure_end(texts: Sequence[str], at: int) -> int | None:
    """Where "sure" ends a "not … sure" that continues at ``at`` ("not really sure", "not a
    hundred percent sure"); None when "sure" does not follow."""
    for end in range(at, min(at + 4, len(texts))):
        if texts[end] == "sure":
            return end + 1
        if texts[end] not in _SURE_DEGREE:
            return None
    return None


def _unsure_of_facts(texts: Sequence[str], at: int, length: int) -> bool:
    """Whether "I'm not sure" doubts the facts of what was done: it closes its clause ("It
    helped, I'm not sure."), asks after a figure or detail ("not sure of the exact figure", "… by
    how much"), doubts the answer's own example ("I'm not sure this counts"), or the claim after
    it reports the past ("I'm not sure anything else came of it"); not an opinion or a plan ("I
    am not sure this field is right for me", "I'm not sure if I want to stay")."""
    after = _claim(texts, at + length)
    if not after:
        return True
    if after[0] in _UNSURE_OF or any(w in _ABOUT_ANSWER for w in after[:5]):
        return True
    return _reports(after)


def _downtones(texts: Sequence[str], at: int) -> bool:
    """Whether "a bit" at ``at`` weakens a result: before a comparative ("a bit better", "a bit
    faster") or after a verb of change ("it helped a bit", "it went up a bit"); not as a quantity
    or a plain description ("a bit of time", "I was a bit nervous", "for a bit")."""
    nxt = _at(texts, at + 2)
    if nxt in _COMPARATIVE or (nxt.endswith("er") and past_form(nxt)):
        return True
    verb = texts[at - 1] if at else ""
    if verb in _PARTICLES and at > 1:
        verb = texts[at - 2]
    return verb in _CHANGE


def _just_weakens(texts: Sequence[str], at: int) -> bool:
    """Whether "just" at ``at`` belittles the speaker's own part: after another hedge ("I kind of
    just stayed calm") or after "was"/"am" before a task or a request ("my job was just to deal
    with the complaints", "I was just wondering")."""
    if at >= 2 and tuple(texts[at - 2 : at]) in {("kind", "of"), ("sort", "of")}:
        return True
    return texts[at - 1] in {"was", "i'm", "am", "were"} and (
        _at(texts, at + 1) in {"to", "wondering", "asked", "asking", "kind", "sort"}
    )
