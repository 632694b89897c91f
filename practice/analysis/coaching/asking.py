"""Asking questions (informational interviews): did the turn end in one clear, open question?

- A *question* is a sentence that ends with "?" (its kind from the first question opener in it,
  after any lead-in), or one that announces a question ("to ask", "my question is") and has an
  opener after it, or one that opens like a question without "?": a question word (what, how,
  why, which, who, where, when), an auxiliary then a pronoun ("do you", "could you", "is there"),
  or a request ("tell me", "walk me through", "I'd love to hear", "I was wondering", "I'm
  curious", "I'd be interested", "I wanted to know", "I was hoping to find out", "I'd be grateful
  if you could", with an intensifier inside too: "I'd be really interested to hear"); question
  words may be contracted ("what's", "how's"), and spoken lead-in words before the opener are
  skipped ("um so yeah what …", "please tell me"); an opener is one question however many lead-in
  words come before it. A question word with a person straight after it, in statement order,
  opens a clause, not a question: the question is the one after it ("When you took over the farm,
  what did you change first?", "What I really want to know is, how did you …"), and without a
  later one and without "?" the sentence is no question ("What I do now is mostly admin."). A
  sentence without "?" (a transcript may drop it or run the question on from its lead-in) is
  also a question when a clause in it is in question word order: an
  auxiliary then you/there/it/they ("…, so do you still enjoy it"), a question word, an
  auxiliary and a subject ("…, and what did you learn from it"), or "what"/"who" as the subject
  with "you" as the object ("… is like what made you pick nursing"); not after "to" ("… possible
  to do it part-time"). A sentence without "?"
  that opens as a relative clause ("…, which is a lot for me") is no question; one that opens
  with an auxiliary and a determiner is ("Is a PhD necessary for research roles here.").
- A question sentence holds several questions when it goes on, after "and"/"or"/a comma, with
  another question opener, spoken lead-in words skipped ("What do you enjoy, and what is
  hardest?", "… and um do you get to work from home"), or with a question word
  followed (at most one word on) by an auxiliary and a subject, which is direct word order and so a
  question of its own ("What's the pay like, how fast does it go up …"); a "?" sentence also
  ends in another when "and" is followed by an auxiliary, a noun and at most two more words
  ("…, and is overtime paid?"). After "or" only a question word opens another question: "Do
  you …, or is it …?" offers a choice and is one question; "… or not" is one question,
  and so is a request with several question-word clauses as its objects ("Could you walk me
  through what went wrong and how the team recovered?"): after a request, a question word opens
  another question only when an auxiliary follows it ("… and how did you recover?").
- The turn *asked* when its last question is the last sentence, or only a short closing (eight
  words or fewer, such as "Thanks.") follows it.
- *Stacked*: more than one question in the final run of questions (the questions at the end with
  at most a short sentence between them); a question sentence that opens with "or" offers a
  choice in the one before it ("Do you …? Or is it …?") and is not counted.
- *Open* or *closed*, by how the first question of the final run opens: a question word or a
  request is open ("What surprised you…", "Could you tell me how…"); an auxiliary then a subject
  is closed ("Do you like…", "Is there…", "Would you recommend…"), and so is a request or an
  announcement followed by "if"/"whether" ("I was wondering whether the hours are flexible").
- The *preamble* is the time from the first word to where the first question of that final run
  opens (inside its sentence, when a transcript runs the question on from its lead-in); over 15 s
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

_WH = word_set(
    "what how why which who whom whose where when what's how's why's who's where's when's "
    "what're how'd what'd who'd where'd why'd"
)
_AUX = word_set(
    "do does did is are was were can could would will should have has had may might "
    "shall isn't aren't don't doesn't didn't wasn't wouldn't couldn't"
)
_INVERTED_SUBJECTS = word_set("you there it they")
_PERSONS = word_set("i you we they he she")
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
        "i'm wondering",
        "i am wondering",
        "i'm curious",
        "i am curious",
        "i was curious",
        "i'd be curious",
        "i would be curious",
        "i'd be interested",
        "i would be interested",
        "i'm interested to",
        "i want to know",
        "i wanted to know",
        "i'd like to understand",
        "i would like to understand",
        "i was hoping to find out",
        "i'm hoping to find out",
        "i am hoping to find out",
        "i wanted to find out",
        "i want to find out",
        "i'd like to find out",
        "i would like to find out",
        "i'd be grateful if you could",
        "i would be grateful if you could",
        "it would be great if you could",
        "i'd appreciate",
        "i would appreciate",
        "i would really appreciate",
        "i'd really appreciate",
    )
)
_INTENSIFIERS = word_set("really very so just genuinely particularly quite also")
"""Skipped inside a request ("I'd be really interested to hear …")."""
_LEAD_WORDS = word_set("so and but or well then also um uh er erm yeah okay ok like right please")
"""Words skipped before a question opener ("um so yeah what …")."""
_NEEDS_OBJECT = word_set("know understand out")
"""A request ending in one of these asks only when a question word, "if" or "whether" follows
("I wanted to know how…")."""
_YES_NO = word_set("if whether")
"""After a request or an announcement, these open a closed question ("I was wondering whether the
hours are flexible")."""
_ANNOUNCE = (("to", "ask"), ("question", "is"), ("question", "was"), ("question", "for", "you"))
"""A sentence with one of these is a question when a question opens after it, even without "?"
("I wanted to ask, … what skills matter most.")."""
_DETERMINERS = word_set("a an the any this that these those my your their our his her")
_REPORTING = word_set("know knew asked ask wondered wonder said tell told sure about explain see")
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
    while at < len(texts) and texts[at] in _LEAD_WORDS:
        at += 1
    if at >= len(texts):
        return None
    word = texts[at]
    if word in _WH:
        return "open"
    for request in _REQUESTS:
        if (after := _request_end(texts, request, at)) is not None:
            nxt = texts[after] if after < len(texts) else ""
            if request[-1] in _NEEDS_OBJECT and nxt not in _WH | _YES_NO:
                continue  # "I wanted to know more about it" is not a question
            return "closed" if nxt in _YES_NO else "open"
    if word in _AUX and at + 1 < len(texts) and texts[at + 1] in _SUBJECTS:
        verb = texts[at + 2] if at + 2 < len(texts) else ""
        if texts[at + 1] == "you" and verb in _ASK_VERBS:
            return "open"  # "could you tell me how…" asks for an account
        return "closed"
    return None


def _request_end(texts: Sequence[str], request: Sequence[str], at: int) -> int | None:
    """Where a request that starts at ``at`` ends, past any intensifier inside it ("I'd be
    really interested to hear …"); None when it does not start there."""
    for word in request:
        while at < len(texts) and texts[at] in _INTENSIFIERS and word not in _INTENSIFIERS:
            at += 1
        if at >= len(texts) or texts[at] != word:
            return None
        at += 1
    return at


def _questions_in(sentence: Sentence) -> list[tuple[QuestionKind, int]]:
    """The questions a sentence holds, each by kind and the token it opens at (empty: not a
    question)."""
    texts = sentence.texts
    opened = _first_question(sentence)
    if opened is None:
        return []
    found = [opened]
    request = _is_request(texts)
    for at in range(1, len(texts) - 2):
        nxt = texts[_skip_lead(texts, at + 1)]
        if texts[at] == "and" or (texts[at] == "or" and nxt in _WH):
            # "… or is it all maintenance?" offers a choice: one question
            kind = _opener(texts, at + 1)
            if kind is None and sentence.question_mark and _yes_no_on(texts, at + 1):
                kind = "closed"  # "…, and is overtime paid?"
            if request and nxt in _WH and texts[at + 2] not in _AUX:
                continue  # "… walk me through what went wrong and how the team recovered"
            if kind is not None and (nxt in _WH or nxt in _AUX or nxt in _ASK_VERBS):
                found.append((kind, at + 1))
        elif (
            at > opened[1]
            and texts[at] in _WH
            and texts[at - 1] not in {"and", "or"}
            and _direct(texts, at)
        ):
            found.append(("open", at))  # "What's the pay like, how fast does it go up …"
    # one question per opener: "um so how did you …" is found at its lead-in and at "how"
    opens: dict[int, tuple[QuestionKind, int]] = {}
    for kind, at in found:
        opens.setdefault(_skip_lead(texts, at), (kind, at))
    return list(opens.values())


def _skip_lead(texts: Sequence[str], at: int) -> int:
    """The first token from ``at`` that is not a spoken lead-in word ("um so yeah …")."""
    while at < len(texts) - 1 and texts[at] in _LEAD_WORDS:
        at += 1
    return at


def _first_question(sentence: Sentence) -> tuple[QuestionKind, int] | None:
    """The first question in a sentence: its kind and the token it opens at."""
    texts = sentence.texts
    if not sentence.question_mark and _relative(texts):
        return None  # "…, which is a lot for me right now"
    first = _opener(texts, 0)
    if first is not None:
        later = _after_subordinate(texts, 0)
        if later is None and not sentence.question_mark and _statement_order(texts, 0):
            return None  # "What I do now is mostly admin."
        return later if later is not None else (first, 0)
    if len(texts) > 3 and texts[0] in _AUX and texts[1] in _DETERMINERS:
        return "closed", 0  # a sentence that opens with an auxiliary: "Is a PhD necessary here."
    # "So my question is, what …": the question opens after a lead-in
    after = 1 if sentence.question_mark else _announced(texts)
    if after < len(texts) and texts[after] in _YES_NO:
        return "closed", after  # "my question is whether …"
    for at in range(after, len(texts)):
        if (kind := _opener(texts, at)) is not None:
            return _after_subordinate(texts, at) or (kind, at)
    if sentence.question_mark:
        return "closed", 0
    for at in range(1, len(texts)):
        if (kind := _inverted(texts, at)) is not None:
            return kind, at
    return None


def _after_subordinate(texts: Sequence[str], at: int) -> tuple[QuestionKind, int] | None:
    """The question after an opening clause that only looks like one: a question word then a
    subject, in statement order ("When you took over the farm, what did you change first?",
    "What I really want to know is, how did you …"); None when the sentence opens otherwise or
    no question follows."""
    if not _statement_order(texts, at):
        return None
    word = _skip_lead(texts, at)
    for later in range(word + 2, len(texts)):
        if texts[later] in _WH | _AUX and (kind := _opener(texts, later)) is not None:
            return kind, later
    return None


def _statement_order(texts: Sequence[str], at: int) -> bool:
    """Whether a question word at ``at`` (after any lead-in) has a person straight after it, in
    statement order ("when you took over …", "what I want to know is …")."""
    word = _skip_lead(texts, at)
    return texts[word] in _WH and word + 1 < len(texts) and texts[word + 1] in _PERSONS


def _relative(texts: Sequence[str]) -> bool:
    """Whether a sentence without "?" opens with a relative clause, not a question: "which"/
    "who" and an auxiliary with no subject after it ("which is a lot for me")."""
    return (
        len(texts) > 2
        and texts[0] in {"which", "who"}
        and texts[1] in _AUX
        and texts[2] not in _SUBJECTS
    )


def _yes_no_on(texts: Sequence[str], at: int) -> bool:
    """Whether a yes/no question with a noun as its subject ends the sentence at ``at``: an
    auxiliary, a noun and at most two words more ("… and is overtime paid?")."""
    return (
        texts[at] in _AUX
        and len(texts) - at <= 4
        and texts[at + 1] not in _AUX | _LEAD_WORDS
        and not texts[at + 1].endswith("ly")
    )


def _direct(texts: Sequence[str], at: int) -> bool:
    """Whether a question word inside a sentence opens a direct question of its own: an
    auxiliary and a subject follow, at most one word on ("…, how fast does it go up"), so it is not
    the object of a verb ("tell me how the team recovered")."""
    for aux in range(at + 1, min(at + 3, len(texts) - 1)):
        if texts[aux] in _AUX and texts[aux + 1] in _SUBJECTS:
            return texts[at - 1] not in _REPORTING
    return False


def _is_request(texts: Sequence[str]) -> bool:
    """Whether the sentence asks by a request ("tell me", "could you walk me through", "I'd
    love to hear") rather than by a direct question."""
    for at in range(len(texts)):
        if any(_request_end(texts, request, at) is not None for request in _REQUESTS):
            return True
        if texts[at] in _AUX and has(texts, ("you",), at + 1):
            return at + 2 < len(texts) and texts[at + 2] in _ASK_VERBS
        if texts[at] in _WH:
            return False
    return False


def _inverted(texts: Sequence[str], at: int) -> QuestionKind | None:
    """A question in word order inside a sentence with no "?" (a transcript drops it, or runs
    it on from the lead-in: "I have read your post, so do you still enjoy the work"): an
    auxiliary then you/there/it/they ("do you …", "is there …"), a question word, an auxiliary
    and a subject ("what did you …"), with at least two words after them, or "what"/"who" as the
    subject of a verb with "you" as its object ("what made you pick …"); not after
    "neither"/"nor"/"than"/"as" ("… and so do they") nor reported ("she asked what do you
    need")."""
    if texts[at - 1] in {
        "neither",
        "nor",
        "than",
        "as",
        "asked",
        "said",
        "wondered",
        "asking",
        "to",
    }:
        return None  # "… and so do they", "my manager asked what do you need"
    if texts[at - 1] in _WH:
        return None  # the question word's clause was judged at the question word
    word = texts[at]
    if word in _WH and at + 2 < len(texts) and texts[at + 1] in _AUX:
        inverted = texts[at + 2] in _SUBJECTS and at + 4 < len(texts)
        return "open" if inverted else None
    if word in {"what", "who"} and at + 3 < len(texts) and texts[at + 2] in {"you", "your"}:
        return "open"  # the question word as subject: "… is like what made you pick nursing"
    if word in _AUX and at + 3 < len(texts) and texts[at + 1] in _INVERTED_SUBJECTS:
        return _opener(texts, at)
    return None


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
    # "Do you design? Or is it all maintenance?": a sentence opening with "or" offers a choice
    count -= sum(
        1 for at in range(first + 1, last + 1) if asks[at] and sentences[at].texts[0] == "or"
    )
    kind, opens = asks[first][0]
    text = " ".join(sentences[last].texts)
    preamble = sentences[first].tokens[opens].start - sentences[0].start
    return QuestionCheck(asked, count, kind, preamble, text)


def _short(sentence: Sentence) -> bool:
    return len(sentence.tokens) <= CLOSING_WORDS
