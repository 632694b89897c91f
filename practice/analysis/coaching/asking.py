"""Asking questions (informational interviews): did the turn end in one clear, open question?

- A *question* is a sentence that ends with "?" (its kind from the first question opener in it,
  after any lead-in), or one that announces a question ("to ask", "my question is") and has an
  opener after it, or one that opens like a question without "?": a question word (what, how,
  why, which, who, where, when), an auxiliary then a pronoun ("do you", "could you", "is there"),
  or a request ("tell me", "walk me through", "I'd love to hear", "I was wondering", "I'm
  curious").
- A question sentence holds several questions when it goes on, after "and"/"or"/a comma, with
  another question opener ("What do you enjoy, and what is hardest?"). "… or not" is one question.
- The turn *asked* when its last question is the last sentence, or only a short closing (eight
  words or fewer, such as "Thanks.") follows it.
- *Stacked*: more than one question in the final run of questions (the questions at the end with
  at most a short sentence between them).
- *Open* or *closed*, by how the first question of the final run opens: a question word or a
  request is open ("What surprised you…", "Could you tell me how…"); an auxiliary then a subject
  is closed ("Do you like…", "Is there…", "Would you recommend…").
- The *preamble* is the time from the first word to the first word of that final run; over 15 s
  it is long (an asking turn has a 30-50 s target).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from practice.analysis.coaching.tokens import Sentence, has, word_set

QuestionKind = Literal["open", "closed"]
PREAMBLE_LONG_S = 15.0
CLOSING_WORDS = 8
"""At most this many words may follow the last question for the turn to end in it."""

_WH = word_set("what how why which who whom whose where when")
_AUX = word_set(
    "do does did is are was were can could would will should have has had may might "
    "shall isn't aren't don't doesn't didn't wasn't wouldn't couldn't"
)
_SUBJECTS = word_set("you your there it they that this i we he she people someone anyone")
_REQUESTS = tuple(
    tuple(phrase.split())
    for phrase in (
        "tell me",
        "walk me through",
        "talk me through",
        "describe",
        "explain",
        "share",
        "i'd love to hear",
        "i'd love to know",
        "i would love to hear",
        "i would love to know",
        "i'd like to hear",
        "i'd like to know",
        "i was wondering",
        "i wonder",
        "i'm curious",
        "i am curious",
    )
)
_ANNOUNCE = (("to", "ask"), ("question", "is"), ("question", "was"), ("question", "for", "you"))
"""A sentence with one of these is a question when a question opens after it, even without "?"
("I wanted to ask, … what skills matter most.")."""
_ASK_VERBS = word_set("tell describe explain walk talk share give")


@dataclass(frozen=True, slots=True)
class QuestionCheck:
    asked: bool
    """The turn ended in a clear question."""
    count: int
    """Questions in the final run (more than one: stacked)."""
    kind: QuestionKind | None
    """How the final run's first question opens; None when there is none."""
    preamble_s: float | None
    """Seconds from the first word to the final run of questions."""
    text: str | None = None
    """The last question, as said."""

    @property
    def stacked(self) -> bool:
        return self.count > 1

    @property
    def long_preamble(self) -> bool:
        return self.preamble_s is not None and self.preamble_s > PREAMBLE_LONG_S

    def to_json(self) -> dict[str, Any]:
        return {
            "asked": self.asked,
            "count": self.count,
            "kind": self.kind,
            "stacked": self.stacked,
            "preamble_s": None if self.preamble_s is None else round(self.preamble_s, 2),
            "long_preamble": self.long_preamble,
            "text": self.text,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QuestionCheck:
        kind = data.get("kind")
        preamble = data.get("preamble_s")
        return cls(
            bool(data["asked"]),
            int(data["count"]),
            "open" if kind == "open" else "closed" if kind == "closed" else None,
            None if preamble is None else float(preamble),
            data.get("text"),
        )


def _opener(texts: Sequence[str], at: int) -> QuestionKind | None:
    """Whether a question opens at ``at``, and of which kind."""
    while at < len(texts) and texts[at] in {"so", "and", "but", "or", "well", "then", "also"}:
        at += 1
    if at >= len(texts):
        return None
    word = texts[at]
    if word in _WH:
        return "open"
    if any(has(texts, request, at) for request in _REQUESTS):
        return "open"
    if word in _AUX and at + 1 < len(texts) and texts[at + 1] in _SUBJECTS:
        verb = texts[at + 2] if at + 2 < len(texts) else ""
        if texts[at + 1] == "you" and verb in _ASK_VERBS:
            return "open"  # "could you tell me how…" asks for an account
        return "closed"
    return None


def _questions_in(sentence: Sentence) -> list[QuestionKind]:
    """The questions a sentence holds, each by kind (empty: not a question)."""
    texts = sentence.texts
    first = _opener(texts, 0)
    if first is None:
        # "So my question is, what …": the question opens after a lead-in
        after = 1 if sentence.question_mark else _announced(texts)
        first = next(
            (kind for at in range(after, len(texts)) if (kind := _opener(texts, at)) is not None),
            "closed" if sentence.question_mark else None,
        )
    if first is None:
        return []
    found = [first]
    for at in range(1, len(texts) - 2):
        if texts[at] in {"and", "or"} and texts[at + 1] not in {"not"}:
            kind = _opener(texts, at + 1)
            nxt = texts[at + 1]
            if kind is not None and (nxt in _WH or nxt in _AUX or nxt in _ASK_VERBS):
                found.append(kind)
    return found


def _announced(texts: Sequence[str]) -> int:
    """Where a question may open after an announcement ("to ask", "question is"); past the end
    when there is none."""
    for at in range(len(texts)):
        for phrase in _ANNOUNCE:
            if has(texts, phrase, at):
                return at + len(phrase)
    return len(texts)


def check_question(sentences: Sequence[Sentence]) -> QuestionCheck:
    """What the turn asked (see the module docstring for the rules)."""
    if not sentences:
        return QuestionCheck(False, 0, None, None)
    asks = [_questions_in(sentence) for sentence in sentences]
    positions = [i for i, found in enumerate(asks) if found]
    if not positions:
        return QuestionCheck(False, 0, None, None)
    last = positions[-1]
    after = sum(len(s.tokens) for s in sentences[last + 1 :])
    asked = after <= CLOSING_WORDS
    first = last
    while first - 1 >= 0 and (
        asks[first - 1] or (first - 2 >= 0 and asks[first - 2] and _short(sentences[first - 1]))
    ):
        first -= 1 if asks[first - 1] else 2
    count = sum(len(found) for found in asks[first : last + 1])
    kind = asks[first][0]
    text = " ".join(sentences[last].texts)
    preamble = sentences[first].start - sentences[0].start
    return QuestionCheck(asked, count, kind, preamble, text)


def _short(sentence: Sentence) -> bool:
    return len(sentence.tokens) <= CLOSING_WORDS
