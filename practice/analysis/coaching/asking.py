"""Asking questions (informational interviews): did the turn end in one clear, open question?

- A *question* is a sentence that ends with "?" (its kind from the first question opener in it,
  after any lead-in), or one that announces a question ("to ask", "my question is") and has an
  opener after it, or one that opens like a question without "?": a question word (what, how,
  why, which, who, where, when; contracted "what's", also spelled "whats"), an auxiliary then a
  pronoun ("do you", "could you", "is there"), a form of "be" or "do" before anything ("Is
  shorthand still …", "And did having a broadcaster …"), another auxiliary before a determiner,
  a quantifier or a plural noun ("Do most planners …", "Do studios …"), or a request ("tell me",
  "walk me through", "I'd love to hear", "I was wondering", "can I ask", "I'd be grateful if you
  could", with an intensifier or "kind of" inside too: "I'm sort of wondering how …"); a request
  of curiosity ("I'm curious", "I'd be interested", "I was wondering") asks only when a question
  follows it ("I'm curious how …", "… about your route"; not "I'm curious about patent work"),
  and "wondering whether to …" is thinking aloud. Spoken lead-in words before the opener are
  skipped ("um so yeah what …", "sorry, is the …", "and roughly how many …"), and so is "if
  that's okay" after an announcement ("I wanted to ask, if that's okay, what …"). A question
  word with a person or a possessed noun straight after it, in statement order, opens a clause,
  not a question: the question is the one after it ("When you took over the farm, what did you
  change first?", "Thinking about where the industry is going, what skills …"), skipping
  relative clauses ("a child who's bilingual") and other statement-order clauses; without a
  later one and without "?" the sentence is no question ("What I do now is mostly admin.").
- A sentence without "?" (a transcript drops it or runs the question on from its lead-in) is
  also a question when a clause in it is in question word order: an auxiliary then
  you/there/it/they ("…, so do you still enjoy it"; not after an auxiliary or a subject: "whether
  I could do it"), after a lead word also an auxiliary then I/we/people, a determiner or a
  quantifier ("… and um would I be able to …", "… so is the part-time route …"); a question word,
  "do"/"be" and a subject or a determiner ("…, and what did you learn", "… what does a planner
  do", "… what was the hardest part"), a contracted question word before a subject or a
  determiner ("… so what's the balance like"), after a lead word a question word, up to six
  words of its noun, an auxiliary and a subject ("so yeah what kind of reports would I be
  writing"), an auxiliary with a subject or a determiner after a question word and up to three
  words of its noun ("In your experience, how much does the setting change …"), after "but" a
  question word or "do" and a subject ("…, but do game designers need to code"), a question word
  after "is" that closes a statement-order clause ("what I'm really trying to work out is, what
  separates …"), "what"/"who" as the subject with "you" as the
  object ("… is like what made you pick nursing"), or a first-person request run on after a
  lead word ("…, and um I was wondering what you studied"); not after "to" ("… possible to do it
  part-time") nor reported ("she asked what do you need"). A sentence without "?" that opens as
  a relative clause ("…, which is a lot for me") is no question.
- A question sentence holds several questions when it goes on, after "and"/"or"/a comma, with
  another question opener, spoken lead-in words skipped ("What do you enjoy, and what is
  hardest?", "… and um do you get to work from home"), with "like"/"so"/"but" and an auxiliary
  and a pronoun ("how did you cope, like did you have supervision"), or with a question word
  followed (up to three words on) by an auxiliary and a subject, which is direct word order and
  so a question of its own ("What's the pay like, how fast does it go up …"); a "?" sentence also
  ends in another when "and" is followed by an auxiliary, a noun and at most two more words
  ("…, and is overtime paid?"). After "or" only a question word opens another question: "Do
  you …, or is it …?" offers a choice and is one question; "… or not" is one question. A
  question word after "and" that is not in direct order joins an earlier clause rather than
  asking again: the object of a request ("Could you walk me through what went wrong and how the
  team recovered?") or a clause with the same question word inside the question ("How do you
  decide what goes in and what stays?"); a different one asks its own thing ("How do you choose
  which topics to research, and who decides?"). The question word a request announces is the
  request's question ("I wanted to know, like, what do you wish …" is one).
- The turn *asked* when its last question is the last sentence, or only a short closing (eight
  words or fewer, such as "Thanks.") follows it; in a sentence without "?", what follows
  "because"/"cause" or "I mean" after the question counts as following it ("so how do people get
  in I mean I know it's mostly networking …").
- *Stacked*: more than one question in the final run of questions (the questions at the end with
  at most a short sentence between them, unless that sentence takes the first back: "Actually,
  sorry, let me ask something else."); a question sentence that opens with "or" offers a choice
  in the one before it ("Do you …? Or is it …?") and is not counted.
- *Open* or *closed*, by how the first question of the final run opens: a question word or a
  request is open ("What surprised you…", "Could you tell me how…", "Could you say a bit more
  …", "I was wondering if you could tell me …"); "how many"/"how long" ask for a figure and are
  closed, and so is an auxiliary then a subject ("Do you like…", "Is there…", "Would you
  recommend…", "Would you say …"), and a request or an announcement followed by "if"/"whether"
  ("I was wondering whether the hours are flexible") or by an auxiliary and a subject ("I was
  wondering, do you need …").
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
    "what're how'd what'd who'd where'd why'd whats hows wheres whos"
)
_CONTRACTED_WH = word_set("what's how's where's why's when's whats hows wheres")
"""A question word with "is" in it: before a subject it is direct word order ("… so what's the
balance like")."""
_AUX = word_set(
    "do does did is are was were can could would will should have has had may might "
    "shall isn't aren't don't doesn't didn't wasn't wouldn't couldn't"
)
_INVERTED_SUBJECTS = word_set("you there it they")
_BE = word_set("is are was were")
_RELATIVE = word_set("who who's whos whom whose which where when")
"""Question words that also open relative clauses ("a child who's bilingual")."""
_DO = word_set("do does did")
_ALLOWED = {
    (it, ok)
    for it in ("that's", "it's", "thats", "its")
    for ok in ("okay", "ok", "alright", "fine")
}
_NOT_A_SUBJECT = word_set(
    "not it so too well this that a an the everything anything something what all more"
)
_TELLING = word_set("well really not loads lots everything nothing")
_QUANTIFIERS = word_set("most many some all any those these both each")
_POSSESSED = word_set("the your my our their")
"""After a question word, these begin a subject in statement order ("where the industry is
going, …", "what your day looks like")."""
_PERSONS = word_set(
    "i you we they he she i'm you're we're they're he's she's i've you've we've they've i'd "
    "you'd we'd they'd"
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
        "can i ask",
        "could i ask",
        "may i ask",
        "i would appreciate",
        "i would really appreciate",
        "i'd really appreciate",
    )
)
_INTENSIFIERS = word_set("really very so just genuinely particularly quite also kind sort of")
"""Skipped inside a request ("I'd be really interested to hear …")."""
_LEAD_WORDS = word_set(
    "so and but or well then also um uh er erm yeah okay ok like right please sorry anyway oh "
    "hmm mm roughly"
)
"""Words skipped before a question opener ("um so yeah what …")."""
_NEEDS_OBJECT = word_set("know understand out")
"""A request ending in one of these asks only when a question word, "if" or "whether" follows
("I wanted to know how…")."""
_NEEDS_QUESTION = word_set("curious interested wondering wonder")
"""A request ending in one of these asks only when a question follows it ("I'm curious how…",
"I was wondering, do you…", "I'd be interested to hear…", "I'm curious about your route")."""
_YES_NO = word_set("if whether")
"""After a request or an announcement, these open a closed question ("I was wondering whether the
hours are flexible")."""
_ANNOUNCE = (("to", "ask"), ("question", "is"), ("question", "was"), ("question", "for", "you"))
"""A sentence with one of these is a question when a question opens after it, even without "?"
("I wanted to ask, … what skills matter most.")."""
_DETERMINERS = word_set("a an the any this that these those my your their our his her")
_CONTRACTED_THEN = _SUBJECTS | _DETERMINERS | _LEAD_WORDS
"""After a question word with "is" in it, these show direct word order ("what's the pay like")."""
_REPORTING = word_set("know knew asked ask wondered wonder said tell told sure about explain see")
_ASK_VERBS = word_set("tell describe explain walk talk share give")
_MORE = word_set("more a something")
_HOW_COUNT = word_set("many long")
"""After "how", these ask for a figure: a closed question ("How many people apply?")."""
_DO_MODAL = word_set("do did can could would will should")
_NOT_PLURAL = word_set("is was this has does his its us as yes")


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
        nxt = texts[at + 1] if at + 1 < len(texts) else ""
        return "closed" if word == "how" and nxt in _HOW_COUNT else "open"
    for request in _REQUESTS:
        if (after := _request_end(texts, request, at)) is not None:
            after = _skip_lead(texts, after) if after < len(texts) else after
            nxt = texts[after] if after < len(texts) else ""
            if request[-1] in _NEEDS_OBJECT and nxt not in _WH | _YES_NO:
                continue  # "I wanted to know more about it" is not a question
            if request[-1] in _NEEDS_QUESTION and not _asks_after(texts, after):
                continue  # "I'm curious about patent work" tells, it does not ask
            if nxt in _AUX and after + 1 < len(texts) and texts[after + 1] in _SUBJECTS:
                return "closed"  # "I was wondering, do you need a licence first"
            if nxt in _YES_NO and _polite(texts, after + 1):
                return "open"  # "I was wondering if you could tell me how …" asks for an account
            if nxt in _YES_NO and after + 1 < len(texts) and texts[after + 1] == "to":
                continue  # "I'm wondering whether to switch": thinking aloud, not asking
            return "closed" if nxt in _YES_NO else "open"
    if word in _DO_MODAL and at + 2 < len(texts) and _plural_noun(texts[at + 1]):
        return "closed"  # "Do newsrooms still take on …", "… but do employers care …"
    if word in _AUX and at + 1 < len(texts) and texts[at + 1] in _SUBJECTS:
        verb = texts[at + 2] if at + 2 < len(texts) else ""
        more = texts[at + 3] if at + 3 < len(texts) else ""
        if texts[at + 1] == "you" and (verb in _ASK_VERBS or (verb == "say" and more in _MORE)):
            return "open"  # "could you tell me how…", "could you say a bit more about …"
        return "closed"
    return None


def _asks_after(texts: Sequence[str], at: int) -> bool:
    """Whether a question follows a request of curiosity at ``at`` (see ``_NEEDS_QUESTION``)."""
    nxt = texts[at] if at < len(texts) else ""
    after = texts[at + 1] if at + 1 < len(texts) else ""
    if nxt in _WH | _YES_NO or (nxt in _AUX and after in _SUBJECTS):
        return True
    if nxt == "about":
        return after in _WH | {"you", "your", "how"}
    return nxt in {"to", "in"} and after in {"hear", "know", "learn", "understand", "hearing"}


def _plural_noun(word: str) -> bool:
    """Whether a word after an auxiliary may be a plural noun subject ("do studios …")."""
    return word.endswith("s") and len(word) > 2 and word not in _NOT_PLURAL and "'" not in word


def _polite(texts: Sequence[str], at: int) -> bool:
    """Whether "you could/would/can" and an asking verb follow at ``at`` ("… if you could tell
    me …")."""
    return (
        tuple(texts[at : at + 1]) == ("you",)
        and at + 2 < len(texts)
        and texts[at + 1] in {"could", "would", "can", "might"}
        and texts[at + 2] in _ASK_VERBS
    )


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
    embedded: set[str] = set()  # question words inside the question, objects of a verb
    own = _skip_lead(texts, opened[1])
    for at in range(1, len(texts) - 2):
        word = _skip_lead(texts, at + 1)
        nxt = texts[word]
        if at < opened[1] or (nxt in _WH and _statement_order(texts, word)):
            continue  # "… and what I really want to know is, what's …": the lead-in
        if texts[at] == "and" or (texts[at] == "or" and nxt in _WH):
            # "… or is it all maintenance?" offers a choice: one question
            kind = _opener(texts, at + 1)
            if kind is None and sentence.question_mark and _yes_no_on(texts, at + 1):
                kind = "closed"  # "…, and is overtime paid?"
            if (request or nxt in embedded) and nxt in _WH and not _direct(texts, word):
                continue  # "… walk me through what went wrong and how the team recovered"
            if kind is not None and (nxt in _WH or nxt in _AUX or nxt in _ASK_VERBS):
                found.append((kind, at + 1))
        elif (
            texts[at] in {"like", "so", "but"}
            and at > own + 3
            and not _request_ends_at(texts, at)
            and texts[at + 1] in _AUX
            and texts[at + 2] in _INVERTED_SUBJECTS
            and at + 4 < len(texts)
        ):
            found.append(("closed", at + 1))  # "how did you cope, like did you have supervision"
        elif at > own and texts[at] in _WH and texts[at - 1] not in {"and", "or"}:
            back = at
            while back > 0 and texts[back - 1] in _LEAD_WORDS:
                back -= 1
            if _request_ends_at(texts, back):
                continue  # "I wanted to know, like, what do you wish …" asks once
            if _direct(texts, at):
                found.append(("open", at))  # "What's the pay like, how fast does it go up …"
            else:
                embedded.add(texts[at])  # "How do you decide what goes in … and what stays …"
    # one question per opener: "um so how did you …" is found at its lead-in and at "how"
    opens: dict[int, tuple[QuestionKind, int]] = {}
    for kind, at in found:
        opens.setdefault(_skip_lead(texts, at), (kind, at))
    return list(opens.values())


def _request_ends_at(texts: Sequence[str], at: int) -> bool:
    """Whether a request ends just before ``at`` ("I was wondering | like do you …")."""
    return any(
        _request_end(texts, request, start) == at
        for start in range(max(0, at - 8), at)
        for request in _REQUESTS
    )


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
    lead = _skip_lead(texts, 0)
    if len(texts) > lead + 3 and _aux_first(texts, lead):
        return "closed", 0  # a sentence that opens with an auxiliary: "so is the pay …"
    # "So my question is, what …": the question opens after a lead-in
    after = 1 if sentence.question_mark else _announced(texts)
    if has(texts, ("if",), after) and texts[after + 1 : after + 3] in _ALLOWED:
        after += 3  # "I just wanted to ask, if that's okay, what …"
    if after < len(texts) and texts[after] in _YES_NO:
        return "closed", after  # "my question is whether …"
    for at in range(after, len(texts)):
        if (kind := _opener(texts, at)) is not None:
            return _after_subordinate(texts, at) or (kind, at)
    if sentence.question_mark:
        return "closed", 0
    for at in range(1, len(texts)):
        if (kind := _inverted(texts, at)) is not None or (kind := _asked_on(texts, at)):
            return kind, at
    return None


def _asked_on(texts: Sequence[str], at: int) -> QuestionKind | None:
    """A request in the first person or to tell, run on from a lead-in without "?" ("…, and um I
    was wondering what you studied", "… so I'd love to hear like what that looked like"), with a
    question word, "if"/"whether", "about" or "more" after it."""
    if texts[at - 1] not in _LEAD_WORDS | {"and", "guess", "suppose"}:
        return None
    if texts[at] not in {"i", "i'd", "i'm", "tell"}:
        return None
    for request in _REQUESTS:
        if (after := _request_end(texts, request, at)) is not None and after < len(texts):
            nxt = texts[_skip_lead(texts, after)]
            if nxt in _WH | _YES_NO | {"about", "more"}:
                return _opener(texts, at)
    return None


def _aux_first(texts: Sequence[str], at: int) -> bool:
    """Whether an auxiliary at ``at`` opens a question in a sentence that starts with it: a form
    of "be" or "do" before anything ("Is shorthand still …", "And did having a broadcaster …"),
    another before a subject, a determiner, a quantifier or a plural noun ("Could most …")."""
    word, nxt = texts[at], texts[at + 1]
    if word in _BE | _DO:
        return nxt not in _TELLING  # not "Did well in my exams." with its subject left out
    return word in _AUX and (nxt in _SUBJECTS | _DETERMINERS | _QUANTIFIERS or _plural_noun(nxt))


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
            if texts[later] in _WH and _statement_order(texts, later):
                continue  # "what I can't get is what the day-to-day feels like, so could you …"
            relative = texts[later] in _RELATIVE and texts[later - 1] not in _LEAD_WORDS | _BE
            if relative and not _direct(texts, later):
                continue  # "when you're assessing a child who's bilingual, how do you …"
            return kind, later
    return None


def _statement_order(texts: Sequence[str], at: int) -> bool:
    """Whether a question word at ``at`` (after any lead-in) has a person straight after it, in
    statement order ("when you took over …", "what I want to know is …")."""
    word = _skip_lead(texts, at)
    return (
        texts[word] in _WH
        and word + 1 < len(texts)
        and texts[word + 1] in _PERSONS | _POSSESSED
        and texts[word] not in _CONTRACTED_WH
    )


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
    for aux in range(at + 1, min(at + 4, len(texts) - 1)):
        if texts[aux] in _AUX and texts[aux + 1] in _SUBJECTS:
            return texts[at - 1] not in _REPORTING
        if texts[aux] in _AUX | _PERSONS | _WH:
            return False
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
    boundary = texts[at - 1] in _LEAD_WORDS | {"and"} and texts[at - 2 : at] != ("and", "so")
    if word in _CONTRACTED_WH and at + 3 < len(texts) and texts[at + 1] in _CONTRACTED_THEN:
        return "open"  # "… so what's the balance actually like for you"
    if word in _WH and at + 2 < len(texts) and texts[at + 1] in _AUX:
        subject = texts[at + 2]
        if subject in _SUBJECTS and at + 3 < len(texts):
            return "open"
        if texts[at + 1] in _DO and subject not in _AUX and at + 3 < len(texts):
            return "open"  # "… but how do wind farm engineers spend their days"
        if subject in _DETERMINERS - {"that", "this"} and word not in {"which", "who", "whom"}:
            return "open"  # "… and what was the hardest part", "what does a planner do"
        if word in {"how", "why", "where"} and texts[at + 1] in _BE and at + 4 < len(texts):
            return "open"  # "… how is working on one game different"
        return None
    if word in {"what", "who"} and at + 3 < len(texts) and texts[at + 2] in {"you", "your"}:
        return "open"  # the question word as subject: "… is like what made you pick nursing"
    if word in _WH and boundary:
        # "so yeah what kind of reports would I be writing": a question word, up to six
        # words of its noun, an auxiliary and a subject
        for aux in range(at + 2, min(at + 8, len(texts) - 2)):
            if texts[aux] in _AUX and texts[aux + 1] in _SUBJECTS | _DETERMINERS:
                return "open"
            if texts[aux] in _AUX | _PERSONS | _WH | _LEAD_WORDS:
                break
    if word in _WH and texts[at - 1] in {"is", "was"} and _free_relative_before(texts, at):
        return "open"  # "I guess what I'm really trying to work out is, what separates …"
    if word in _AUX and at + 2 < len(texts) and _asked_from_before(texts, at):
        return "open"  # "…, how much does the setting change …", "…, what skills do you …"
    if word in _WH and texts[at - 1] == "but" and not _statement_order(texts, at):
        return _opener(texts, at)  # "…, but how much of your job is in the field"
    if word in _DO and texts[at - 1] == "but" and texts[at + 1] not in _NOT_A_SUBJECT:
        return "closed"  # "…, but do game designers need to code"
    if word in _AUX and at + 3 < len(texts) and texts[at + 1] in _INVERTED_SUBJECTS:
        if texts[at - 1] in _AUX | _SUBJECTS | _PERSONS:
            return None  # "… whether I could do it properly", "if I don't do it now"
        if word in {"do", "does", "did"} and texts[at + 1] == "it" and not boundary:
            return None  # "… the education team does it"
        return _opener(texts, at)
    if word in _AUX and boundary and at + 3 < len(texts):
        if texts[at + 1] in _PERSONS | {"people", "someone", "anyone"}:
            return _opener(texts, at)  # "… and um would I be able to get some experience"
        if texts[at + 1] in _DETERMINERS - {"that", "this"} and texts[at - 1] != "and":
            return "closed"  # "… so um is the part time route looked at the same"
        if texts[at + 1] in _QUANTIFIERS or (
            word in _DO_MODAL and texts[at - 1] == "but" and _plural_noun(texts[at + 1])
        ):
            return "closed"  # "…, but do lecturers get to choose what they teach"
    return None


def _asked_from_before(texts: Sequence[str], at: int) -> bool:
    """Whether an auxiliary at ``at``, with a subject or a determiner after it, closes a question
    word and up to three words of its noun before it ("how much does the …", "what skills do
    you …")."""
    if texts[at + 1] not in _SUBJECTS | _DETERMINERS:
        return False
    for back in range(at - 1, max(0, at - 4), -1):
        if texts[back] in _WH:
            return back > 0 and texts[back - 1] not in _REPORTING and back + 1 < at
        if texts[back] in _AUX | _PERSONS | _LEAD_WORDS | _DETERMINERS:
            return False
    return False


def _free_relative_before(texts: Sequence[str], at: int) -> bool:
    """Whether a question word in statement order comes before ``at`` ("what I'm wondering is")."""
    return any(_statement_order(texts, before) for before in range(at - 1))


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
    after += _told_after(sentences[last], max(at for _, at in asks[last]))
    asked = after <= CLOSING_WORDS
    first = last
    while first - 1 >= 0 and (
        asks[first - 1] or (first - 2 >= 0 and asks[first - 2] and _bridge(sentences[first - 1]))
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


def _bridge(sentence: Sentence) -> bool:
    """Whether a sentence between two questions keeps them in one run: it is short and does not
    take the first one back ("Actually, sorry, let me ask something more specific.")."""
    texts = sentence.texts
    taken_back = texts[0] in {"actually", "sorry"} or any(
        has(texts, phrase, at) for at in range(len(texts)) for phrase in _TAKE_BACK
    )
    return len(texts) <= CLOSING_WORDS and not taken_back


_TAKE_BACK = (("let", "me"), ("scratch", "that"), ("never", "mind"))
_REASONS = word_set("because cause 'cause cos coz")


def _told_after(sentence: Sentence, opens: int) -> int:
    """The words that tell, not ask, after the question in a sentence without "?" (a transcript
    runs on): from "because" or "I mean" after the question to the end ("so how do people get
    into indie studios I mean I know it's mostly networking …"); 0 with "?"."""
    texts = sentence.texts
    if sentence.question_mark:
        return 0
    for at in range(opens + 2, len(texts)):
        if texts[at] in _REASONS or has(texts, ("i", "mean"), at):
            return len(texts) - at
    return 0
