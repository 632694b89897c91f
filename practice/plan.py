"""The practice plan: when each question should be rehearsed next, and why.

Every question answered before gets a next date from a spaced-repetition scheduler (FSRS, the
``fsrs`` package), fed with how its attempts went. Nothing is stored: the plan is worked out from
the saved sessions each time, so deleting a session changes it at once.

**From attempts to reviews.** A question's attempts are grouped by the day they were made (local
time); each day is one review, rated from the day's last analysed attempt (the one a session's
score counts), else its last typed answer:

- **Again**: no speech, a failed analysis, a score under 75, or a weakest part under 25 % of its
  points: the answer is not there yet;
- **Hard**: a score under 85, a weakest part under 50 %, or a typed answer (its delivery was not
  heard, so it comes back soon to be said aloud);
- **Good**: a score under 95, or a weakest part under 80 %;
- **Easy**: the rest (95 or more, every part at 80 % or more).

A rating is lowered by one step (never below Again) when the score fell by :data:`SLIPPED` points
or more since the question's previous review, and when the answer missed what the question asks
for (:attr:`Outcome.missing`: a STAR part the coaching found missing, or no talking point
covered; see :func:`missing_of`).

The score is read as a list of parts with points won and possible (:func:`parts_of`), whatever the
parts are called. The scheduler runs on whole days: its learning and relearning step is one day
(an answer rated Again comes back the next day) and it does no fuzzing, so the same sessions
always give the same plan.

**The queue.** Questions due today or earlier come first: those whose last review was rated lowest
first (the weakest), then, within a rating, the least likely to be remembered now (FSRS
retrievability: the stalest). Questions never answered, from the banks the person has
rehearsed, are mixed in a few a day (:data:`NEW_PER_DAY`), one after every two due questions.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from fsrs import Card, Rating, Scheduler

from practice.records import Attempt, Session
from practice.sessions import SessionError, SessionStore
from practice.text import points_text

if TYPE_CHECKING:
    from practice.analysis.scoring import AnswerReport
    from practice.banks import Bank, Question

NEW_PER_DAY = 3
"""How many never-answered questions join a day's queue."""
STALE_DAYS = 7
"""A question not rehearsed for this many days says so."""
SLIPPED = 10
"""A score this many points under the previous review's lowers the rating a step."""
PART_SLIPPED = 0.15
"""A part that lost this share of its points since the previous review is named as a reason."""
DUE_BETWEEN_NEW = 2
"""A never-answered question follows every this many due ones."""

_DAY = (timedelta(days=1),)
_SCHEDULER = Scheduler(learning_steps=_DAY, relearning_steps=_DAY, enable_fuzzing=False)


# Reading an attempt ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Part:
    """One part of an answer's score."""

    name: str
    points: float
    possible: float

    @property
    def fraction(self) -> float:
        return self.points / self.possible if self.possible > 0 else 1.0

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "points": round(self.points, 1), "possible": self.possible}


def parts_of(report: AnswerReport) -> tuple[Part, ...]:
    """The parts of a report's score, read generically (names are not interpreted here)."""
    return tuple(Part(part.name, part.points, part.max_points) for part in report.parts)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one attempt went, as the plan sees it."""

    session_id: str
    number: int
    when: datetime
    """When it was made (aware, local time as saved)."""
    score: int | None
    """None for a typed answer or a failed analysis."""
    parts: tuple[Part, ...]
    spoken: bool
    """True for a recorded answer with speech in it."""
    typed: bool
    transcript: str
    clean_words: tuple[str, ...] = ()
    """The words said, counted fillers taken out (a typed answer: its words)."""
    missing: tuple[str, ...] = ()
    """What the answer should have said and did not (from the coaching, when it reports it)."""

    @property
    def weakest(self) -> Part | None:
        """The part with the smallest share of its points (the first such, on a tie)."""
        return min(self.parts, key=lambda part: part.fraction, default=None)

    def part(self, name: str) -> Part | None:
        return next((part for part in self.parts if part.name == name), None)

    def to_json(self) -> dict[str, Any]:
        weakest = self.weakest
        return {
            "session": self.session_id,
            "attempt": self.number,
            "when": self.when.isoformat(timespec="seconds"),
            "score": self.score,
            "typed": self.typed,
            "weakest": None if weakest is None else weakest.to_json(),
            "parts": [part.to_json() for part in self.parts],
            "missing": list(self.missing),
        }


def missing_of(report: object) -> tuple[str, ...]:
    """What the coaching says the answer left out: the STAR parts it found missing, and "the
    talking points" when none of them came up. Reports saved without coaching have none.

    The coaching is read by its shape (``report.coaching.structure.missing``,
    ``report.coaching.points[].mentioned``), since it is being added to the report alongside.
    """
    coaching = getattr(report, "coaching", None)
    if coaching is None:
        return ()
    structure = getattr(coaching, "structure", None)
    found = [f"the {part}" for part in getattr(structure, "missing", None) or ()]
    points = getattr(coaching, "points", None) or ()
    if points and not any(getattr(point, "mentioned", False) for point in points):
        found.append("the talking points")
    return tuple(found)


def outcome(session: Session, attempt: Attempt) -> Outcome:
    """How ``attempt`` (of ``session``) went."""
    report = attempt.report
    spoken = report is not None and not report.no_speech and attempt.error is None
    return Outcome(
        session_id=session.id,
        number=attempt.number,
        when=_moment(attempt.recorded_at, session.started),
        score=None if report is None or attempt.error is not None else report.score,
        parts=() if report is None or not spoken else parts_of(report),
        spoken=spoken,
        typed=attempt.typed_text is not None and report is None,
        transcript=(attempt.typed_text or "") if report is None else report.transcript,
        missing=() if report is None else missing_of(report),
        clean_words=tuple((attempt.typed_text or "").split())
        if report is None
        else tuple(
            word.text.strip()
            for index, word in enumerate(report.words)
            if index not in report.filler_words and word.text.strip()
        ),
    )


def rating(result: Outcome, previous: Outcome | None = None) -> Rating:
    """The FSRS rating of an attempt, given the question's previous review (the rule is in the
    module docstring)."""
    weakest = result.weakest
    share = 1.0 if weakest is None else weakest.fraction
    if result.typed:
        chosen = Rating.Hard
    elif not result.spoken or result.score is None or result.score < 75 or share < 0.25:
        chosen = Rating.Again
    elif result.score < 85 or share < 0.5:
        chosen = Rating.Hard
    elif result.score < 95 or share < 0.8:
        chosen = Rating.Good
    else:
        chosen = Rating.Easy
    before = None if previous is None else previous.score
    steps = int(result.missing != ()) + int(
        result.score is not None and before is not None and result.score <= before - SLIPPED
    )
    return Rating(max(Rating.Again, chosen - steps))


# A question's attempts over time ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Track:
    """Every attempt at one question of one bank, oldest first."""

    bank_id: str
    bank_name: str
    question_id: str
    text: str
    category: str | None
    outcomes: tuple[Outcome, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.bank_id, self.question_id)

    @property
    def last(self) -> Outcome:
        return self.outcomes[-1]

    def reviews(self) -> list[Outcome]:
        """One outcome per day it was rehearsed: the day's last analysed attempt, else its last
        attempt."""
        by_day: dict[date, list[Outcome]] = {}
        for result in self.outcomes:
            by_day.setdefault(result.when.date(), []).append(result)
        chosen = []
        for results in by_day.values():
            scored = [result for result in results if result.score is not None]
            chosen.append((scored or results)[-1])
        return chosen

    def best(self) -> Outcome | None:
        """The best-scored spoken attempt (the latest on a tie), else the latest spoken one too
        short to score, else the latest typed one."""
        spoken = [result for result in self.outcomes if result.spoken and result.score is not None]
        if spoken:
            return max(reversed(spoken), key=lambda result: result.score or 0)
        short = [result for result in self.outcomes if result.spoken and result.transcript]
        if short:
            return short[-1]
        typed = [result for result in self.outcomes if result.typed and result.transcript]
        return typed[-1] if typed else None

    def to_json(self) -> dict[str, Any]:
        return {
            "bank": self.bank_id,
            "bank_name": self.bank_name,
            "question": self.question_id,
            "text": self.text,
            "trend": trend(self),
            "attempts": [result.to_json() for result in self.outcomes],
        }


def read_sessions(store: SessionStore) -> list[Session]:
    """Every readable session, oldest first (damaged ones are left out; history lists them)."""
    sessions = []
    for summary in reversed(store.history()):
        if summary.damaged is None:
            with contextlib.suppress(SessionError):
                sessions.append(store.load(summary.id))
    return sessions


def tracks(sessions: Iterable[Session]) -> list[Track]:
    """Every question answered in ``sessions``, with its attempts in time order; a question is
    its bank and its id, across sessions."""
    found: dict[tuple[str, str], list[Outcome]] = {}
    about: dict[tuple[str, str], tuple[str, str, str | None]] = {}
    for session in sessions:
        for attempt in session.attempts:
            question = session.questions[attempt.question]
            key = (session.bank_id, question.id)
            found.setdefault(key, []).append(outcome(session, attempt))
            about[key] = (session.bank_name, question.text, question.category)
    result = []
    for key, outcomes in found.items():
        bank_name, text, category = about[key]
        ordered = tuple(sorted(outcomes, key=lambda item: (item.when, item.number)))
        result.append(Track(key[0], bank_name, key[1], text, category, ordered))
    return sorted(result, key=lambda track: (track.bank_id, track.last.when))


# The plan ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    """One question in the plan."""

    bank_id: str
    bank_name: str
    question_id: str
    text: str
    due: date
    today: bool
    """In today's queue (due today or earlier, or a new question picked for today)."""
    reasons: tuple[str, ...]
    attempts: int
    last: Outcome | None
    retrievability: float | None
    """FSRS's estimate, now, that the answer is still fresh (None for a new question)."""
    rating: Rating | None = None
    """How the last review was rated (None for a new question)."""

    @property
    def new(self) -> bool:
        return self.last is None

    def to_json(self) -> dict[str, Any]:
        last = self.last
        weakest = None if last is None else last.weakest
        return {
            "bank": self.bank_id,
            "bank_name": self.bank_name,
            "question": self.question_id,
            "text": self.text,
            "due": self.due.isoformat(),
            "today": self.today,
            "new": self.new,
            "reasons": list(self.reasons),
            "attempts": self.attempts,
            "last": None if last is None else last.when.isoformat(timespec="seconds"),
            "last_score": None if last is None else last.score,
            "weakest": None if weakest is None else weakest.to_json(),
            "retrievability": None
            if self.retrievability is None
            else round(self.retrievability, 3),
            "rating": None if self.rating is None else self.rating.name,
        }


@dataclass(frozen=True, slots=True)
class Plan:
    items: tuple[Item, ...]
    """Today's queue first (in the order to rehearse), then the rest by due date."""
    now: datetime

    @property
    def today(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.today)

    def next_session(self, count: int | None = None) -> tuple[str, tuple[str, ...]] | None:
        """The bank and question ids of the next session on today's queue: a session is on one
        bank, so the bank of the first question due and its questions due today, in order, at
        most ``count``; None when nothing is due."""
        today = self.today
        if not today:
            return None
        bank_id = today[0].bank_id
        ids = tuple(item.question_id for item in today if item.bank_id == bank_id)
        return bank_id, ids[:count]

    def to_json(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(timespec="seconds"),
            "today": len(self.today),
            "items": [item.to_json() for item in self.items],
        }


def make_plan(
    sessions: Sequence[Session],
    banks: Iterable[Bank],
    now: datetime | None = None,
    *,
    bank_id: str | None = None,
) -> Plan:
    """The plan for the questions of ``banks`` from ``sessions`` (one bank with ``bank_id``).

    Questions no longer in their bank are left out: they cannot be rehearsed.
    """
    now = (now or _now()).astimezone()
    today = now.date()
    current = {bank.id: bank for bank in banks if bank_id is None or bank.id == bank_id}
    answered: list[Item] = []
    for track in tracks(sessions):
        bank = current.get(track.bank_id)
        question = None if bank is None else _question(bank, track.question_id)
        if bank is None or question is None:
            continue
        answered.append(_scheduled(track, bank.name, question.text, now))
    due = sorted(
        (item for item in answered if item.today),
        key=lambda item: (item.rating or 0, item.retrievability or 0.0, item.due),
    )
    later = sorted(
        (item for item in answered if not item.today), key=lambda item: (item.due, item.text)
    )
    seen = {(item.bank_id, item.question_id) for item in answered}
    practised = list(dict.fromkeys(session.bank_id for session in sessions))
    fresh = [
        Item(
            bank.id,
            bank.name,
            question.id,
            question.text,
            today,
            True,
            ("never answered",),
            0,
            None,
            None,
        )
        for bank in (current[b] for b in practised if b in current)
        for question in bank.questions
        if (bank.id, question.id) not in seen
    ]
    picked = fresh[:NEW_PER_DAY]
    queue: list[Item] = []
    for index, item in enumerate(due):
        queue.append(item)
        if picked and (index + 1) % DUE_BETWEEN_NEW == 0:
            queue.append(picked.pop(0))
    queue += picked
    rest = [_later_new(item, today) for item in fresh[NEW_PER_DAY:]]
    return Plan((*queue, *later, *rest), now)


def _later_new(item: Item, today: date) -> Item:
    """A never-answered question beyond today's few: it comes up on a later day."""
    reason = "never answered; a few new questions join each day"
    return replace(item, due=today + timedelta(days=1), today=False, reasons=(reason,))


def _question(bank: Bank, question_id: str) -> Question | None:
    return next((question for question in bank.questions if question.id == question_id), None)


def _scheduled(track: Track, bank_name: str, text: str, now: datetime) -> Item:
    card = Card(card_id=1)
    previous = None
    rated = Rating.Again
    for review in track.reviews():
        at = datetime.combine(review.when.date(), time(12), UTC)
        rated = rating(review, previous)
        card, _ = _SCHEDULER.review_card(card, rated, at)
        previous = review
    due = card.due.date()
    now_utc = datetime.combine(now.date(), time(12), UTC)
    return Item(
        track.bank_id,
        bank_name,
        track.question_id,
        text,
        due,
        due <= now.date(),
        reasons(track, now),
        len(track.outcomes),
        track.last,
        _SCHEDULER.get_card_retrievability(card, now_utc),
        rated,
    )


def reasons(track: Track, now: datetime) -> tuple[str, ...]:
    """Why a question is where it is in the plan, in words, most telling first."""
    found: list[str] = []
    reviews = track.reviews()
    last = reviews[-1]
    if len(reviews) > 1:
        before = reviews[-2]
        for part in last.parts:
            earlier = before.part(part.name)
            if earlier is not None and part.fraction <= earlier.fraction - PART_SLIPPED:
                found.append(f"{part.name} {_worse(part.name)} since last time")
    if last.typed:
        found.append("typed last time: say it aloud")
    elif not last.spoken:
        found.append("no answer heard last time")
    elif last.score is not None:
        weakest = last.weakest
        weak = ""
        if weakest is not None and weakest.fraction < 0.8:
            weak = f"; weakest: {weakest.name} {points_text(weakest.points, weakest.possible)}"
        found.append(f"scored {last.score} last time{weak}")
    if last.missing:
        found.append("missed: " + ", ".join(last.missing))
    days = (now.date() - track.last.when.date()).days
    if days >= STALE_DAYS:
        found.append(f"not rehearsed for {days} days")
    return tuple(found)


def _worse(part: str) -> str:
    """How a part's loss reads: "fillers up", "pauses up", else "pace slipped"."""
    return "up" if part.endswith("s") else "slipped"


def _now() -> datetime:
    return datetime.now().astimezone()


def _moment(stamp: str, fallback: str) -> datetime:
    for text in (stamp, fallback):
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(text).astimezone()
    return datetime.now().astimezone()


def plan_text(plan: Plan) -> str:
    """The plan as terminal text (``practice plan``)."""
    today = plan.today
    if not plan.items:
        return "No plan yet: rehearse a bank first (practice rehearse --bank ID)."
    lines = [f"Today: {len(today)} question{'' if len(today) == 1 else 's'}"]
    for number, item in enumerate(today, start=1):
        lines.append(f"{number:>3}. {item.text}  [{item.bank_id}]")
        lines.append(f"     {_due_words(item.due, plan.now.date())} · " + "; ".join(item.reasons))
    rest = [item for item in plan.items if not item.today and not item.new]
    waiting = [item for item in plan.items if not item.today and item.new]
    if rest or waiting:
        lines += ["", "Later:"]
        for item in rest:
            lines.append(f"  {item.due.isoformat()}  {item.text}  [{item.bank_id}]")
            lines.append("              " + "; ".join(item.reasons))
        for bank_id in dict.fromkeys(item.bank_id for item in waiting):
            count = sum(item.bank_id == bank_id for item in waiting)
            lines.append(
                f"  {count} never answered in [{bank_id}]: up to {NEW_PER_DAY} new questions "
                "join each day's queue"
            )
    if today:
        lines += ["", "Rehearse them: practice rehearse --due"]
    return "\n".join(lines)


def _due_words(due: date, today: date) -> str:
    days = (today - due).days
    if days <= 0:
        return "due today"
    return f"due {days} day{'' if days == 1 else 's'} ago"


# History by question ------------------------------------------------------------------------------


def trend(track: Track) -> str:
    """How a question's score moved from its first scored attempt to its last, in words."""
    scores = [result.score for result in track.outcomes if result.score is not None]
    if len(scores) < 2:
        return "one score" if scores else "not scored"
    change = scores[-1] - scores[0]
    if change >= 5:
        return f"improved {change:+d}"
    if change <= -5:
        return f"slipped {change:+d}"
    return "steady"


def tracks_text(found: Sequence[Track]) -> str:
    """Each question's attempts over time, with the score and its weakest part
    (``practice history --questions``)."""
    if not found:
        return "No answers yet."
    blocks = []
    for track in found:
        scores = " → ".join(
            "typed" if result.typed else "–" if result.score is None else str(result.score)
            for result in track.outcomes
        )
        lines = [f"{track.text}  [{track.bank_id}]", f"  {scores}  ({trend(track)})"]
        for result in track.outcomes:
            weakest = result.weakest
            score = "typed" if result.typed else "–" if result.score is None else result.score
            weak = ""
            if weakest is not None and weakest.fraction < 1:
                weak = f"  weakest: {weakest.name} {points_text(weakest.points, weakest.possible)}"
            lines.append(f"  {result.when:%Y-%m-%d %H:%M}  {score:>5}{weak}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
