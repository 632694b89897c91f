"""STAR structure: which stretch of a behavioural answer is the Situation, Task, Action, Result.

The answer is cut into units (sentences, also cut before a strong cue in mid-sentence: "At my last
job, I was responsible for …" is a Situation then a Task; a run-on sentence of more than 30
tokens, as a transcript without full stops gives, is also cut into clauses before
"and"/"so"/"but"/"then" and a subject: "… and my manager asked me …", "… so I started …"). Each
unit scores each part by cues:

- Situation: openers that set a scene ("at my last job", "my previous school" and any "my
  last/previous/first/current/old/former …", "two years ago", "two summers ago", "when I was",
  "I joined", "I worked at/as/in/on/for", "I work at/as/in/for", "I volunteer", "where I worked",
  "during my", "back then", a year, "there was", "our team"), a unit that opens on a time
  ("during the outbreak …", "when the practice next door closed …", "while …") or leads back
  ("before that …", "it started when …", "that was after …"), and, weaker, a place or a role ("at
  a/an …", "as a/an …", "in my …": "I was sous chef at an Italian restaurant") and the tenses of
  a scene: the past progressive ("we were losing money", not "was going to") and the past perfect
  ("the compressors had been the bottleneck", "she'd been referred"; not "had to").
- Task: any statement of a goal, need, obligation, assignment or intention, whoever has it
  (:func:`task_cue`): a want or need ("I wanted turnaround under a day", "the owner wanted
  seventy"), an obligation on a person ("my crew had to …", not "… had to be packed"), a task
  given or intended ("the trustees asked our team to …", "I was seconded … to", "I was only
  meant to …", "gave me three days to"; not the speaker asking others: "I asked the staff to …",
  nor "I wasn't asked to"), a goal noun after a possessive ("my target for the year", "our orders
  were to", "triage was my call", "my main goal", "the brief was"), "responsible", "in charge",
  "down to me", and the fixed phrases ("my goal", "I was responsible", "put me in charge", "fell to
  me"). A sentence is also cut where such a clause starts ("I was the account manager | and it
  was down to me to keep them"), unless a question word or "that" just before makes it a
  relative clause ("… what support she needed").
- Action: "I" (or, for less, "we") followed by a past-tense verb that is not a state ("I called",
  "I set up", "we rebuilt", hedged too: "I might have cut"; also a word then an "-ed" verb: "we
  load tested"; not "I was", "I had", "I felt"; "did", "found" and "got" are actions before an
  object: "I did a full check", "I found them a sailing"), "first I", "then I", "so I" (not
  before a state: "after that I think"), and a clause cut off with "and"/"then" and a past verb,
  which goes on with the actions ("…, and suggested a shelf layout").
- Result: "as a result", "in the end", "which meant", "ended up", "by Wednesday", "the
  following summer", "within two months", a change by an amount ("dropped by ten minutes",
  "cut costs by a third"), change verbs (reduced, saved, improved), comparatives and outcomes
  (faster, happier, stopped, stayed, passed, won, again), quantities (%, money), and any number
  in a unit after the first ("manual resets fell to about 40 a week").

Closings at the end ("Thank you for your attention", "That's it", fragments under three words
that are not a clause: "Thanks all.") are no part of the story and are left out. The parts are
told in order, so the labelling is the in-order assignment of parts to units with the highest
total cue score (a unit with no cue takes the part before it; an opening unit with no cue is the
Situation), with these exceptions:

- A result said first is the Result and the rest is labelled in order: an opening unit with a
  change verb and a number, or with a result cue and no scene or action cue, followed by a unit
  that sets the scene ("The short version is I saved the trust half a million pounds a year. I
  was a procurement officer …", "Our complaints halved. That was at …"); or an opening unit with
  an action or result cue and no scene or task cue, followed by a unit that goes back in time
  (:func:`_goes_back`: "We got an extra 1,500 barrels a day out of the platform. The gas
  compressors had been the bottleneck for years …", "We recovered 85 thousand dollars … It
  started when I noticed …").
- When no Result is found, a last unit after the actions that is not the speaker's own action is
  the Result: one with no first-person action verb ("Afterwards people could find a free
  table"), or one whose only actions are "we" ones and in which someone else does or is
  something in a clause of its own ("We kept the contract and they added another site").
- When no Action is found, the first Result unit that has a first-person action verb, with
  another Result unit after it, is the Action (the result words in it say what the action was
  for: "I jetted the drain … so it could be cleared quicker next time").
- A part said inside another one (:func:`_told_within`): a part still not labelled, whose
  evidence is in a unit labelled with a part that other units carry too, takes that unit. The
  speaker's goal ("so triage was my call"), the speaker's own action told with the scene ("I
  kind of just made a booking system"), an outcome said in the opening units ("Our on-time
  departures went up eight points …"), a last unit ending on what others then did ("… and they
  renewed"), and a scene that opens the answer without the speaker ("A caller rang in
  shouting because …"). This is the coach's rule for the verdict: a part is said to be missing
  only when the answer gives evidence of its absence (it opens straight on the speaker's task or
  action, it ends on the speaker's actions, no goal or action of the speaker's is said anywhere).

Rules v9 read the response and its outcome however the story is told (terse notes, transcripts,
non-native English), by the role of the clause rather than by phrases:

- An action told without its subject ("Pulled the server off the network.", "Then rebuilt the
  index.": :func:`_clipped_action`), or, after the opening, told in the present ("I call the
  ambulance, I stay with him": :func:`_told_in_present`), is an Action; an opening participle
  before its noun and verb is a subject, not an action ("Missed rooms dropped to two").
- A need told first (someone else's, "a client wanted …") followed by the speaker's or the
  team's own goal ("My job was …", "Our goal was …") is the Situation then the Task; "we kept
  getting …", "we struggled to …" set a scene. A note's heading ("Goal: …", "Task: …"), "set
  out to", "decided to", "was tasked with", "had two weeks to", "I owned the fix", "I must"
  state a task.
- After the speaker's own actions, a last unit with an outcome in it and no action of the
  speaker's ("… and we saved eighty thousand a year", "Passed the retest.") is the Result; so
  are changes without a verb ("rework down from 12 percent to 2"), "by the time …", "by the
  evening", and a last clause whose subject (up to three words: "the joint project reached …")
  is someone or something else. A run-on clause also opens on a noun and its past verb ("… and
  overtime dropped …").

Rules v11 (after the misses of all 47 parts of the labelled set):

- A sentence that tells the speaker's action ("I"/"we" and a past verb) and then, after
  "and"/"but"/"then" and a subject, in a clause of its own that is no action of theirs, how
  things ended (a strong result phrase or a change with a number; a number alone is not: "and
  the driver brought it back at three in the morning") is cut there (:func:`_ends_on_outcome`:
  "I sorted them by supplier each morning | and the pile shrank to five boxes by March"); not
  before "so …", which says what the action was for ("so the two urgent files had someone full
  time").
- A last sentence of two words that is a subject and its past verb ("He agreed.", "We won.") is
  part of the story, not a closing fragment.
- An answer of one sentence told in the present ("I call each new client every Monday") is an
  Action, as after the opening.
- "my first/last …" sets a scene ("my first job"), but not before a goal noun ("my first task
  was …"): that states a task.

The bar and the verdict are one decision: a part is *present* when a stretch of the answer is
labelled with it, *missing* otherwise. Shares are of the time spoken, against the budget
15/10/55/20 %; a part is *too long* when it takes more than its budget plus 20 points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from practice.analysis.coaching.specifics import changed_by, is_quantity, measured_outcome
from practice.analysis.coaching.tokens import Sentence, Token, has, past_form, word_set

PartName = Literal["situation", "task", "action", "result"]
PARTS: tuple[PartName, ...] = ("situation", "task", "action", "result")
BUDGET: dict[PartName, float] = {"situation": 0.15, "task": 0.10, "action": 0.55, "result": 0.20}
CLOSING_FRAGMENT = 3
"""A last sentence of fewer words than this is a fragment, no part of the story."""
RUN_ON = 30
"""A unit of more tokens than this is cut into its clauses (see :func:`units`)."""
CLAUSE = 5
"""The fewest tokens on each side of a clause cut."""
_TAIL = 8
"""The last words of an answer, where it says how things ended."""
_OPENING = 2
"""The first units of an answer, where a result said first stands."""
TOO_LONG_OVER = 0.20
"""A part is too long when its share is more than its budget plus this."""


def _phrases(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(line.split()) for line in text.strip().splitlines() if line.strip())


_STRONG = 2.0
_CUES: dict[PartName, dict[tuple[str, ...], float]] = {
    "situation": {
        **dict.fromkeys(
            _phrases("""
            i joined
            a few years ago
            a couple of years ago
            a few months ago
            last year
            back in
            when i was
            when i worked
            while i was
            i was working
            i worked at
            i worked as
            i worked in
            i worked on
            i worked for
            i work in
            i work at
            i work as
            i work for
            i volunteer
            where i worked
            back then
            i was a
            i was the
            at the time
            at that time
            the situation was
            during my
            """),
            _STRONG,
        ),
        **dict.fromkeys(
            _phrases("""
            there was
            there were
            we had
            our team
            the team
            the company
            the project
            we were
            it was
            at a
            at an
            as a
            as an
            in my
            """),
            1.0,
        ),
    },
    "task": dict.fromkeys(
        _phrases("""
        my goal
        our goal
        i was given
        asked me to
        wanted me to
        told me to
        expected me to
        needed me to
        got me to
        put me in charge
        fell to me
        the brief
        the task of
        i was handed
        i was put in charge
        my brief was
        the job of
        i wanted to
        we wanted to
        i set out to
        i owned the
        i owned it
        on me to
        set out to
        set a target
        had a target
        was tasked with
        were tasked with
        were given
        decided to
        took it on
        i took on
        was sent to
        were sent to
        the challenge was
        we were asked to
        i volunteered to
        the goal was
        the goal
        my task
        the task was
        my job was
        my role was
        my aim
        the aim was
        my responsibility
        i was responsible
        i was in charge
        i was asked to
        i was tasked
        i had been asked
        i was expected to
        i was supposed to
        i was hired to
        i was brought in
        it was my job
        it was up to me
        i needed to
        i had to
        we needed to
        we had to
        needed to
        """),
        _STRONG,
    ),
    "action": dict.fromkeys(
        _phrases("""
        first i
        then i
        so i
        next i
        after that i
        i decided
        i started
        i began
        i made sure
        i took
        i went
        i set up
        i reached out
        i sat down
        """),
        _STRONG,
    ),
    "result": {
        **dict.fromkeys(
            _phrases("""
            as a result
            in the end
            which meant
            that meant
            this meant
            the result
            the outcome
            resulted in
            ended up
            by the end
            since then
            in the end
            the upshot
            eventually
            at the end
            it worked
            that worked
            i learned
            i learnt
            the lesson
            we delivered
            we shipped
            we launched
            we hit
            we met
            we made it
            we finished
            was adopted
            got promoted
            afterwards
            afterward
            from then on
            by then
            it helped
            this helped
            that helped
            led to
            the impact
            the effect
            went up
            went down
            went from
            on time
            a success
            successful
            paid off
            """),
            _STRONG,
        ),
        **dict.fromkeys(
            _phrases("""
            saved
            reduced
            improved
            increased
            decreased
            dropped
            doubled
            halved
            grew
            faster
            quicker
            better
            cheaper
            easier
            happier
            happy
            pleased
            fewer
            stopped
            stayed
            passed
            won
            again
            thanked
            renewed
            survived
            zero
            no more
            became
            showed
            later
            now
            still
            since
            """),
            1.0,
        ),
    },
}
_STRONG_RESULTS = tuple(phrase for phrase, weight in _CUES["result"].items() if weight >= _STRONG)
"""The strong result phrases ("went from", "the result", "in the end")."""
_STATES = word_set(
    "was were had felt thought knew wanted needed liked loved hoped realised realized "
    "noticed saw heard found got became used did seemed guess mean think been"
)
_BETWEEN = word_set(
    "then also first quickly immediately personally actually just finally maybe probably really "
    "sort kind of basically might may have"
)
_DOING = word_set("did found got")
_OBJECTS = word_set(
    "a an the them him her every some my our his their this these those both everyone everybody"
)
_QUESTION_WORDS = word_set("what which who whom whose where when why how that")
"""Just before a clause, these make it a relative one ("… what support she needed"): no cut."""
_QUANTITY = frozenset({"percent", "%"})
_TIME_UNITS = word_set(
    "year years month months week weeks day days time while quarter quarters spring summer "
    "summers autumn fall winter winters term terms semester"
)
_JOINS = word_set("and so but then")

_FILLERS = word_set("um uh er erm like yeah basically")
_SUBJECTS = word_set(
    "i we they he she it my our their the everyone nobody people on after within over by"
)
"""Words that start a clause after "and"/"so" (a subject, or a time: "and after about three
months …", "and on black friday …")."""
_EARLIER_PLACE = word_set("last previous first current old former")
"""'my' and one of these sets a scene: "my last job", "my previous school", "my first team"."""
_AFTER = word_set("following within next")
"""Followed by a span of time within three words, these tell what came after: "the following
summer", "within two months", "the next quarter"."""
_WHEN_NAMES = word_set(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december then spring summer autumn winter "
    "morning afternoon evening weekend"
)

_GOAL_NOUNS = word_set(
    "goal aim target job task brief orders role responsibility remit duty mission objective "
    "priority challenge assignment call"
)
"""After "my"/"our"/"the promoter's" (or "the" and then "was"), these state a task: "my target for
the year was …", "our orders were to …", "triage was my call"."""
_OWNERS = word_set("my our his her their")
_MAIN = word_set("main real only own whole biggest first")
_WANTING = word_set("want wants wanted need needs needed")
"""A want or need states a goal, whoever has it: "I wanted turnaround under a day", "my manager
wanted that rate up", "the client wanted it done before …"."""
_ASKING = word_set(
    "asked told challenged expected supposed meant required seconded tasked hoped planned aimed "
    "trying handed ask"
)
"""Followed within a few words by "to", these give or intend a task: "the trustees asked our team
to …", "I was seconded from customer services to …", "I was only meant to be …"."""
_NEGATIONS = word_set("not never wasn't weren't didn't")
_MINE = word_set("i me my myself us")
"""A goal in a unit with one of these is the speaker's."""
_MODALS = word_set("could would should might must")
_PERSONS = word_set("i we you he she they it")
_DOWN_TO = ("down", "to", "me")
_OBLIGED = word_set("had have has")
"""Followed by "to": an obligation ("my crew had to redo the layout")."""
_REACH = 8
"""The most words between an asking word and its "to"."""
_LEAD_IN = word_set("i we it they he she was were got been kind sort of just also then only")
"""Words that lead into a task cue and belong to its clause ("I was kind of put …")."""


def task_cue(texts: Sequence[str], at: int) -> bool:
    """Whether a statement of a goal, need, obligation, assignment or intention starts at
    ``at``: a possessive and a goal noun ("my job", "our aim", "the brief was"), a want or need
    ("wanted", "needed"), an obligation ("had to"), a task given or intended ("asked … to",
    "supposed to"), "responsible", "in charge", "down to me"."""
    text = texts[at]
    nxt = texts[at + 1] if at + 1 < len(texts) else ""
    after = texts[at + 2] if at + 2 < len(texts) else ""
    if nxt in _MAIN and after in _GOAL_NOUNS:
        nxt, after = after, texts[at + 3] if at + 3 < len(texts) else ""  # "my main goal"
    if at == 0 and text in _GOAL_NOUNS | {"scope"} and nxt not in {"was", "were", "is"}:
        return True  # a note's heading: "Goal: cut test time …", "Task: patch the routers"
    if nxt in _GOAL_NOUNS and (
        text in _OWNERS or text.endswith("'s") or (text == "the" and after in {"was", "were", "of"})
    ):
        return at == 0 or texts[at - 1] not in {"at", "in", "on", "from", "into", "during"}
    if text == "gave":
        return nxt in {"me", "us"} and "to" in texts[at + 2 : at + 2 + _REACH]
    if text in _WANTING:
        return True
    if text == "must" and at and texts[at - 1] in {"i", "we"}:
        return nxt not in {"have", "be"}  # an obligation: "I must bring him …", not "must have"
    if text in _OBLIGED:
        if _TIME_UNITS & set(texts[at + 1 : at + 4]):  # a time to do it in: "we had two weeks to"
            return "to" in texts[at + 2 : at + 5]
        return nxt == "to" and after != "be"  # not a need of things: "… had to be packed"
    if text in _ASKING:
        # given to the speaker: not "I asked the staff to …", not "I wasn't asked to"
        given = at == 0 or texts[at - 1] not in {"i", "we"}
        given = given and not set(texts[max(0, at - 2) : at]) & _NEGATIONS
        return given and "to" in texts[at + 1 : at + 2 + _REACH]
    return text == "responsible" or (text, nxt) == ("in", "charge") or has(texts, _DOWN_TO, at)


def _clause_start(texts: Sequence[str], at: int, begin: int) -> int:
    """The start of the clause that a cue at ``at`` is in: back over "I was kind of …"."""
    while at > begin and texts[at - 1] in _LEAD_IN:
        at -= 1
    if at - 2 >= begin and texts[at - 2] in _OWNERS | {"the"}:
        at -= 2  # the subject: "my manager challenged me to …"
    return at


@dataclass(frozen=True, slots=True)
class Part:
    part: PartName
    start: float
    end: float
    words: tuple[int, int]
    """First and last word of the answer in this part (inclusive)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "words": list(self.words),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Part:
        part = str(data["part"])
        if part not in PARTS:
            raise ValueError(f"unknown STAR part {part!r}")
        words = data.get("words", (0, 0))
        return cls(part, float(data["start"]), float(data["end"]), (int(words[0]), int(words[1])))


@dataclass(frozen=True, slots=True)
class Structure:
    parts: tuple[Part, ...]
    """The answer's stretches, in order; consecutive units of one part make one stretch."""
    missing: tuple[PartName, ...]
    shares: dict[str, float]
    """Each part's share of the time spoken (0 for a missing part)."""

    @property
    def too_long(self) -> tuple[PartName, ...]:
        return tuple(p for p in PARTS if self.shares.get(p, 0.0) > BUDGET[p] + TOO_LONG_OVER)

    def to_json(self) -> dict[str, Any]:
        return {
            "parts": [part.to_json() for part in self.parts],
            "missing": list(self.missing),
            "shares": {name: round(share, 3) for name, share in self.shares.items()},
            "too_long": list(self.too_long),
            "budget": dict(BUDGET),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Structure:
        missing = [str(part) for part in data.get("missing", ())]
        return cls(
            tuple(Part.from_json(part) for part in data.get("parts", ())),
            tuple(part for part in PARTS if part in missing),
            {str(k): float(v) for k, v in data.get("shares", {}).items()},
        )


def units(sentences: Sequence[Sentence]) -> list[tuple[Token, ...]]:
    """The sentences, each also cut before a strong cue that starts three or more tokens in, and
    a run-on sentence (more than :data:`RUN_ON` tokens: a transcript without full stops) also
    before each clause: "and"/"so"/"but"/"then" followed by a subject ("… and my manager asked
    me …", "… so I started …"), when both sides have at least :data:`CLAUSE` tokens."""
    result: list[tuple[Token, ...]] = []
    for sentence in sentences:
        texts = sentence.texts
        run_on = len(texts) > RUN_ON
        begin = 0
        for at in range(3, len(texts) - 2):
            strong = (
                phrase
                for _part, phrase, weight in _BY_FIRST.get(texts[at], ())
                if weight >= _STRONG and len(phrase) >= 2
            )
            cue = at - begin >= 3 and any(has(texts, phrase, at) for phrase in strong)
            clause = run_on and at - begin >= CLAUSE and len(texts) - at >= CLAUSE
            cut = at
            if not cue and task_cue(texts, at):
                cut = _clause_start(texts, at, begin)
                cue = (
                    cut - begin >= 3
                    and (texts[cut] in _SUBJECTS | _OWNERS or texts[cut - 1] in _JOINS)
                    and not _QUESTION_WORDS & set(texts[cut - 2 : cut])
                )
            ending = (
                not run_on
                and at - begin >= CLAUSE
                and len(texts) - at >= CLAUSE
                and texts[at] != "so"  # "so the files had …": what the action was for
                and _clause(texts, at)
                and _ends_on_outcome(texts[begin:at], texts[at:])
            )
            if cue or ending or (clause and _clause(texts, at)):
                result.append(sentence.tokens[begin:cut])
                begin = cut
        result.append(sentence.tokens[begin:])
    return [unit for unit in result if unit]


def _ends_on_outcome(before: Sequence[str], after: Sequence[str]) -> bool:
    """Whether a sentence tells the speaker's action ("I"/"we" and a past verb) and then, in a
    clause of its own that is no action of theirs, how things ended: a strong result phrase or a
    change with a number ("I sorted them by supplier each morning | and the pile shrank to five
    boxes by March"), not a number alone ("… and after fifteen minutes her parents came")."""

    def acted(texts: Sequence[str]) -> bool:
        return any(
            text in {"i", "we"} and _past_verb(texts, at + 1) for at, text in enumerate(texts)
        )

    return _states_outcome(after) and acted(before) and not acted(after)


def _clause(texts: Sequence[str], at: int) -> bool:
    """Whether a clause starts at ``at``: a joining word, then maybe "then"/"after that", then a
    subject."""
    if texts[at] not in _JOINS:
        return False
    nxt = at + 1
    while nxt < len(texts) and texts[nxt] in _JOINS | _FILLERS:
        nxt += 1
    if nxt + 1 >= len(texts):
        return False
    # a subject, or a noun and its past verb: "… and overtime dropped by forty percent"
    return texts[nxt] in _SUBJECTS | _OTHER_SUBJECTS or (
        texts[nxt].isalpha()
        and not past_form(texts[nxt])
        and past_form(texts[nxt + 1])
        and texts[nxt + 1] not in _STATES
    )


_OTHER_SUBJECTS = word_set("his her its this that these those some most all every each one")
"""Words that also open a clause after "and"/"so" in a run-on: "… and her mom made it"."""


_SCENES = tuple(phrase for phrase in _CUES["situation"] if phrase[0] == "i")
"""The first-person scene cues ("I joined", "I worked at"): no action of the story."""
_BY_FIRST: dict[str, list[tuple[PartName, tuple[str, ...], float]]] = {}
for _part, _cues in _CUES.items():
    for _phrase, _weight in _cues.items():
        _BY_FIRST.setdefault(_phrase[0], []).append((_part, _phrase, _weight))


def cue_scores(texts: Sequence[str]) -> dict[PartName, float]:
    """How strongly a unit's words point to each part."""
    scores: dict[PartName, float] = dict.fromkeys(PARTS, 0.0)
    for at, text in enumerate(texts):
        for part, phrase, weight in _BY_FIRST.get(text, ()):
            if has(texts, phrase, at) and not _stative(texts, phrase, at):
                scores[part] += weight
    for at, text in enumerate(texts):
        if text.isdigit() and len(text) == 4 and text[:2] in {"19", "20"}:
            scores["situation"] += _STRONG
        elif text == "ago" and _TIME_UNITS & {w.rstrip("s") for w in texts[max(0, at - 3) : at]}:
            scores["situation"] += _STRONG  # "two years ago", "some months ago"
        elif (
            text == "my"
            and at + 2 < len(texts)
            and texts[at + 1] in _EARLIER_PLACE
            and texts[at + 2] not in _GOAL_NOUNS - {"job", "role"}  # "my first task was …"
        ):
            scores["situation"] += _STRONG  # "at my last job", "in my previous school"
        elif text == "by" and _WHEN_NAMES & set(texts[at + 1 : at + 3]) | {"time"} & set(
            texts[at + 2 : at + 3]
        ):
            scores["result"] += _STRONG  # "By Wednesday …", "by March"
        elif text == "by" and changed_by(texts, at):
            scores["result"] += _STRONG  # "waiting times drop by ten minutes"
        elif text in _AFTER and _TIME_UNITS & set(texts[at + 1 : at + 4]):
            scores["result"] += _STRONG  # "the following summer", "within two months"
        elif not set(texts[:at]) - _OPENING_FILLERS and (
            text in {"during", "when", "while"} or any(has(texts, back, at) for back in _BACK)
        ):
            scores["situation"] += _STRONG  # opens on a time or leads back: "during the outbreak"
        elif (
            text in {"down", "up"}
            and at
            and texts[at - 1] not in _MINE | {"we", "set"}
            and (
                at + 1 < len(texts)
                and (texts[at + 1] in {"from", "by"} or is_quantity(texts[at + 1]))
            )
        ):
            scores["result"] += _STRONG  # a change by an amount: "rework down from 12 % to 2"
        elif text in _QUANTITY or text.endswith("%") or text.startswith("$"):
            scores["result"] += 1.0
        if _progressive(texts, at) or _perfect(texts, at):
            scores["situation"] += 1.0  # what was going on, or had gone before
        if task_cue(texts, at):
            scores["task"] += _STRONG
        if text in {"i", "we"}:
            verb = _past_verb(texts, at + 1)
            if verb:
                scores["action"] += 1.5 if text == "i" else 0.75
    if len(texts) > 2 and texts[0] in {"and", "then"}:
        subject = 1 + (texts[1] in {"i", "we"})
        if _past_verb(texts, subject):
            scores["action"] += _STRONG  # a further action: "…, and suggested a shelf layout"
    elif _clipped_action(texts):
        scores["action"] += _STRONG  # an action told without its subject: "Pulled the server …"
    return scores


_NOT_VERBS = word_set("red hundred bed shed seed need speed feed sacred naked wicked")
"""Words ending in "-ed" that are no past verb."""
_CLIPPED_NOT = word_set("based born called named left used supposed meant")
"""Past forms that open a description, not an action ("Based in Leeds", "Left alone …")."""


def _clipped_action(texts: Sequence[str]) -> bool:
    """Whether a unit opens (after fillers, "then", "also", "first") on a past-tense verb with
    no subject, as a terse or note-like answer tells its actions: "Pulled the server off the
    network.", "Wrote the rollout script.", "Then rebuilt the index."; not a state ("Had no
    budget"), not a want ("Needed …"), nor a participle opening a description ("Based in …")."""
    at = 0
    while at < len(texts) and texts[at] in _OPENING_FILLERS | {"then", "also", "first", "next"}:
        at += 1
    if at + 1 >= len(texts):
        return False
    word = texts[at].replace("-", "")  # "re-tightened"
    if any(
        has(texts, phrase, at) and part != "action" and weight >= _STRONG
        for part, phrase, weight in _BY_FIRST.get(word, ())
    ):
        return False  # a cue of another part, where a sentence was cut: "… | went from 9 to 2"
    if not (
        (past_form(word) or word in _MORE_PAST)
        and word not in (_STATES - _DOING) | _WANTING | _NOT_VERBS | _CLIPPED_NOT
        and len(word) > 3
        and not word.endswith("ly")
        and texts[at + 1] not in {"by", "to", "that"}
    ):
        return False
    # a participle before its noun, then the verb, is a subject: "Missed rooms dropped to two"
    return not any(
        (texts[j].endswith("ed") or texts[j] in _SUBJECT_VERBS)
        and texts[j - 1] not in _OBJECTS | _NOT_VERBS
        for j in range(at + 1, min(at + 5, len(texts)))
    )


_SUBJECT_VERBS = word_set("fell rose went grew was were")
"""Verbs that, a few words after an opening participle, make it part of the subject."""


_NOT_DOING = word_set(
    "am 'm are is was were be have has had do does don't didn't think know guess mean feel want "
    "need like love hope believe remember suppose must can can't could would should will may "
    "might just also really always still usually often never sometimes work live enjoy see hate "
    "wish prefer understand agree get got"
)
"""After "I"/"we", words that are no action told in the present (a state, an auxiliary, an
adverb, or the work the speaker usually does: "I work in a factory")."""


def _told_in_present(texts: Sequence[str]) -> float:
    """How strongly a unit after the opening tells actions in the present, as non-native
    speakers and storytellers do ("I call the ambulance, I stay with him", "we change the
    bags"): "I"/"we" then a verb (a word that is no state, auxiliary or adverb) each count."""
    found = 0.0
    for at, text in enumerate(texts[:-1]):
        verb = texts[at + 1]
        doing = text in {"i", "we"} and verb.isalpha() and verb not in _NOT_DOING
        if doing and not verb.endswith(("ly", "ing", "ed")) and not past_form(verb):
            found = max(found, 1.0 if text == "i" else 0.5)
    return found


_MORE_PAST = word_set("split cast ground quit bid")
"""Past forms that :func:`past_form` does not know (the same as their present)."""


def _progressive(texts: Sequence[str], at: int) -> bool:
    """Whether the past progressive starts at ``at``: what was going on ("we were losing a
    client", "the queue was growing"), not a future in the past ("was going to")."""
    if texts[at] in {"kept", "struggled"} and at + 1 < len(texts):
        return texts[at + 1].endswith("ing") or texts[at + 1] == "to"  # "we kept getting …"
    if texts[at] not in {"was", "were"} or at + 1 >= len(texts):
        return False
    verb = texts[at + 1 + (texts[at + 1] in _BETWEEN and at + 2 < len(texts))]
    return verb.endswith("ing") and len(verb) > 4 and verb != "going"


def _perfect(texts: Sequence[str], at: int) -> bool:
    """Whether the past perfect starts at ``at``: what had gone before ("the compressors had
    been the bottleneck", "she'd been referred"), not an obligation ("had to")."""
    text = texts[at]
    if text != "had" and not (text.endswith("'d") and text[:-2] in _PERSONS):
        return False
    nxt = at + 1
    while nxt < len(texts) and texts[nxt] in _BETWEEN | _NEGATIONS | {"already", "ever"}:
        nxt += 1
    return nxt < len(texts) and texts[nxt] != "to" and past_form(texts[nxt])


def _stative(texts: Sequence[str], phrase: Sequence[str], at: int) -> bool:
    """Whether an action cue ending in "I" is followed by a state verb ("after that I think")."""
    after = at + len(phrase)
    return phrase[-1] == "i" and after < len(texts) and texts[after] in _STATES


def _past_verb(texts: Sequence[str], at: int) -> bool:
    """Whether a past-tense action verb follows (skipping an adverb such as "then"), or a word
    and then an "-ed" verb ("we load tested it", "we all agreed")."""
    while at < len(texts) and texts[at] in _BETWEEN:
        at += 1
    if at >= len(texts):
        return False
    if texts[at] in _STATES:
        # "I did a rapid triage", "I found them a sailing": a state verb with an object acts
        return texts[at] in _DOING and at + 1 < len(texts) and texts[at + 1] in _OBJECTS
    if past_form(texts[at]):
        return True
    nxt = texts[at + 1] if at + 1 < len(texts) else ""
    return nxt.endswith("ed") and nxt not in _STATES and past_form(nxt)


def find_structure(sentences: Sequence[Sentence]) -> Structure | None:
    """The STAR parts of an answer; None when it has no words."""
    pieces = units(sentences)
    while len(pieces) > 1 and _closing(pieces[-1]):
        pieces.pop()
    if not pieces:
        return None
    scores = [cue_scores([t.text for t in unit]) for unit in pieces]
    for score, unit in zip(scores[1:], pieces[1:], strict=True):
        if any(is_quantity(token.text) for token in unit):
            score["result"] += 1.0  # a measured outcome after the opening: "fell to 40 a week"
        if not score["action"]:
            score["action"] += _told_in_present([token.text for token in unit])
    if len(pieces) == 1 and not scores[0]["action"]:
        scores[0]["action"] += _told_in_present([token.text for token in pieces[0]])
    first: list[PartName] = []
    texts = [[t.text for t in unit] for unit in pieces]
    if (
        len(pieces) > 2
        and scores[0]["action"] + scores[0]["result"] > 0
        and not scores[0]["situation"]
        and not scores[0]["task"]
        and scores[1]["situation"] >= scores[1]["action"]
        and _goes_back(texts[1])
        and any(score["action"] > 0 for score in scores[2:])
    ) or (
        len(pieces) > 2
        and (
            measured_outcome(texts[0])
            or (scores[0]["result"] > 0 and not scores[0]["situation"] and not scores[0]["action"])
        )
        and scores[1]["situation"] > 0
    ):
        first = ["result"]  # the result said first, then the scene: "… I saved £500,000. I was …"
    labels = first + _in_order(scores[len(first) :])
    _closing_outcome(scores, labels, texts)
    _said_actions(scores, labels)
    _told_within(scores, labels, texts)
    # One decision for the bar and the verdict: a part is present when a stretch is drawn as it
    spans: list[Part] = []
    present: set[PartName] = set()
    seconds: dict[str, float] = dict.fromkeys(PARTS, 0.0)
    for unit, label in zip(pieces, labels, strict=True):
        present.add(label)
        seconds[label] += unit[-1].end - unit[0].start
        if spans and spans[-1].part == label:
            last = spans[-1]
            spans[-1] = Part(label, last.start, unit[-1].end, (last.words[0], unit[-1].word))
        else:
            spans.append(Part(label, unit[0].start, unit[-1].end, (unit[0].word, unit[-1].word)))
    total = sum(seconds.values()) or 1.0
    shares: dict[str, float] = {part: seconds[part] / total for part in PARTS}
    missing = tuple(part for part in PARTS if part not in present)
    return Structure(tuple(spans), missing, shares)


_BACK = _phrases("""
    before that
    it started
    it all started
    that was
    this was
    """)


def _goes_back(texts: Sequence[str]) -> bool:
    """Whether a unit goes back in time: the past perfect ("the compressors had been the
    bottleneck for years") or an opening that leads back ("before that …", "it started when …",
    "that was after …")."""
    opening = texts[1:] if texts and texts[0] in _JOINS | _FILLERS else texts
    return any(has(opening, phrase, 0) for phrase in _BACK) or any(
        _perfect(texts, at) for at in range(len(texts))
    )


_SPEAKER_OPENS = word_set("i my first then so")
"""An answer that opens on one of these goes straight into the speaker's task or actions."""
_OPENING_FILLERS = word_set("um uh er erm so well right okay ok yeah and")


def _opening_word(texts: Sequence[str]) -> str:
    """The first word of a unit after fillers and discourse words ("um so yeah …")."""
    for text in texts:
        if text not in _OPENING_FILLERS:
            return text
    return ""


def _outcome(score: dict[PartName, float], texts: Sequence[str]) -> bool:
    """Whether a unit's words state an outcome above all: its result cues are stronger than its
    scene, task or action cues and one of them is a strong result phrase ("went from", "the
    result", "in the end") or a change with a number ("cut injuries by a third"), not a number
    alone ("our home had high staff turnover, forty percent a year")."""
    return _STRONG <= score["result"] > max(score[p] for p in PARTS[:3]) and _states_outcome(texts)


def _states_outcome(texts: Sequence[str]) -> bool:
    """Whether words state an outcome: a strong result phrase ("went from", "in the end") or a
    change with a number ("cut injuries by a third"), not a number alone."""
    return measured_outcome(texts) or any(
        has(texts, phrase, at) for phrase in _STRONG_RESULTS for at in range(len(texts))
    )


def _closing(unit: Sequence[Token]) -> bool:
    """A closing that is no part of the story: thanks ("Thank you for your attention"), "that's
    it", or a fragment of fewer than three words."""
    texts = [token.text for token in unit]
    return (
        (len(texts) < CLOSING_FRAGMENT and not _short_clause(texts))
        or texts[0] in {"thank", "thanks"}
        or any(has(texts, ("that's", end), 0) for end in ("it", "all"))
    )


def _short_clause(texts: Sequence[str]) -> bool:
    """Whether two words are a clause of their own, a subject and its past verb ("He agreed.",
    "We won."): a short sentence of the story, not a closing fragment ("Thanks all.")."""
    return (
        len(texts) == 2
        and texts[0] in _PERSONS | _OTHERS
        and past_form(texts[1])
        and texts[1] not in _STATES
    )


def _closing_outcome(
    scores: list[dict[PartName, float]], labels: list[PartName], others: Sequence[Sequence[str]]
) -> None:
    """With no Result found: a last unit after the actions that is not itself the speaker's
    action states how things ended, and is the Result: it has no first-person action verb and no
    action cue, or its only actions are "we" ones and someone else does something in it too ("we
    kept the contract and they added another site", "the board went with my option and we
    kept the hotline")."""
    last = len(labels) - 1
    if "result" in labels[1:] or "action" not in labels[:last]:
        return
    speaker_acted = any(_own_action(words) for words in others[:-1])
    texts = others[-1]
    if (
        scores[last]["action"] > 0
        and not (_others_did(texts) and not _own_action(texts))
        and not (scores[last]["result"] > 0 and _clipped_action(texts))
        and not (speaker_acted and scores[last]["result"] > 0 and not _own_action(texts))
    ):
        return  # a clipped last unit with an outcome in it says how it ended: "Passed the retest."
    labels[last] = "result"


_OTHERS = word_set("they he she it everyone everybody nobody people")
_SUBORDINATE = word_set("so that while until when because as if before after once")


def _others_did(texts: Sequence[str]) -> bool:
    """Whether a clause of its own (at the start, or after "and"/"but"/"then") says that someone
    other than the speaker did or was something: "they renewed", "… and the paramedics were on
    the platform", "the board went with …"."""
    for at, text in enumerate(texts):
        if at and texts[at - 1] not in _JOINS - {"so"}:
            continue  # a clause of its own, not a purpose ("so they learned") or a relative one
        if text in _OTHERS:
            verb = at + 1
        elif text in {"the"} | _OWNERS - {"our"} and at + 2 < len(texts):
            # the subject's noun and up to two words before it: "the joint project reached …"
            verb = next(
                (v for v in range(at + 2, min(at + 4, len(texts))) if past_form(texts[v])), at + 2
            )
            if any(past_form(texts[w]) for w in range(at + 1, verb)):
                continue
        else:
            continue
        while verb < len(texts) and texts[verb] in _BETWEEN - {"have", "may", "might"}:
            verb += 1
        if verb < len(texts) and (
            texts[verb] in {"was", "were"}
            or (past_form(texts[verb]) and texts[verb] not in _MODALS)
        ):
            return True
    return False


def _own_action(texts: Sequence[str]) -> bool:
    """Whether the speaker ("I") does something in the unit, or it opens with an action cue; not
    a scene told in the first person: "when I joined …", "where I worked", "I worked at …"."""
    for at, text in enumerate(texts):
        if text != "i" or not _past_verb(texts, at + 1):
            continue
        scene = any(has(texts, phrase, at) for phrase in _SCENES)
        if not scene and (at == 0 or texts[at - 1] not in _SUBORDINATE | {"where"}):
            return True
    return any(has(texts, phrase, 0) for phrase in _CUES["action"])


def _told_within(
    scores: Sequence[dict[PartName, float]], labels: list[PartName], texts: Sequence[Sequence[str]]
) -> None:
    """A part not labelled by order, whose evidence is in a unit labelled with a part that other
    units carry too, takes that unit (so the bar draws what the verdict finds):

    - Task: a unit whose task cue is at least as strong as its other cues and that has the speaker
      in it ("I was the senior clinician there, so triage was my call").
    - Action: a unit in which the speaker does something (:func:`_own_action`), not a scene told
      in the first person ("when I joined …").
    - Result: an outcome said in the opening units (:func:`_outcome`), or a last unit that ends on
      what others then did (:func:`_others_did`: "… and they renewed") and not on the speaker's
      own action.
    - Situation: an opening unit with a scene cue at least as strong as its task cue that does not
      open on the speaker ("I", "my", "first", "then", "so").
    """
    last = len(labels) - 1
    opening_scene = 0 < scores[0]["situation"] >= scores[0]["task"]
    ends_on_others = _others_did(texts[last]) and not _own_action(texts[last][-_TAIL:])
    evidence: dict[PartName, list[int]] = {
        "task": [
            i
            for i, score in enumerate(scores)
            if score["task"] > 0 and score["task"] >= max(score.values()) and _MINE & set(texts[i])
        ],
        "action": [i for i, words in enumerate(texts) if _own_action(words)],
        "result": [i for i, score in enumerate(scores[:_OPENING]) if _outcome(score, texts[i])]
        + ([last] if ends_on_others else []),
        "situation": [0]
        if (opening_scene and _opening_word(texts[0]) not in _SPEAKER_OPENS)
        or (last and _others_did(texts[0]) and not scores[0]["task"])
        else [],
    }
    if (
        len(labels) > 2
        and labels[:2] == ["task", "task"]
        and (_MINE | {"our", "we"}) & set(texts[1])
        and scores[1]["task"] >= max(scores[1].values())
    ):
        evidence["situation"] = [0]  # a need first, then the speaker's own goal: the scene
    for part, found in evidence.items():
        for i in found:
            if part not in labels and labels.count(labels[i]) > 1:
                labels[i] = part


def _said_actions(scores: list[dict[PartName, float]], labels: list[PartName]) -> None:
    """With no Action labelled: the first Result unit that has a first-person action verb, when
    a Result unit follows it, is the Action (the result cues in it describe what the action was
    for: "I jetted the drain … so it could be cleared quicker next time")."""
    if "action" in labels or "result" not in labels:
        return
    first = labels.index("result")
    if scores[first]["action"] > 0 and "result" in labels[first + 1 :]:
        labels[first] = "action"


def _in_order(scores: Sequence[dict[PartName, float]]) -> list[PartName]:
    """The labels, in S-T-A-R order, with the highest total score; ties keep the earlier part
    going (a unit without cues continues the part before it)."""
    count = len(scores)
    best = [[0.0] * 4 for _ in range(count)]
    back = [[0] * 4 for _ in range(count)]
    for i in range(count):
        for p in range(4):
            own = scores[i][PARTS[p]]
            if i == 0:
                best[i][p] = own - 1e-6 * p
                continue
            q = max(range(p + 1), key=lambda k: (best[i - 1][k], k))
            back[i][p] = q
            best[i][p] = best[i - 1][q] + own - (1e-6 if q != p else 0.0)
    p = max(range(4), key=lambda k: (best[-1][k], -k))
    labels = [PARTS[p]]
    for i in range(count - 1, 0, -1):
        p = back[i][p]
        labels.append(PARTS[p])
    return labels[::-1]
