"""Twenty saved sessions over thirty days, made from the benchmark's answer scripts.

Each answer is a benchmark script (``benchmarks/accuracy/scripts``) spoken at 150 WPM through the
real analysis functions (as :mod:`tests.sample_reports` does): a *weak* attempt keeps every filler
and stretches every silence 2.5 times, a *good* one drops the fillers and keeps short pauses. The
informational-asking bank has no benchmark answers (the benchmark's speakers answer questions,
they do not ask them), so :data:`ASKING` holds short asking answers written in the same markup.
Sessions are saved through the real :class:`SessionStore`, with the clock set to each session's
day.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock

from benchmarks.accuracy.script import Filler, Silence, Speech, load_scripts, parse
from practice.analysis.answer import build_report
from practice.analysis.feedback import AnswerReport, Targets
from practice.analysis.pauses import Pause
from practice.analysis.transcribe import Word
from practice.banks import Bank
from practice.records import Attempt, QuestionRef, Session
from practice.sessions import SessionStore

WORD_SECONDS = 0.4

ASKING = {
    "opening": "{Um}, thank you so much for making the time, {uh}, Priya introduced us. I'm a "
    "teacher moving into user research, [0.8] and your work on the library app is why I asked. "
    "I'll keep it to twenty minutes.",
    "typical-day": "{So}, I've read a lot about research roles, but I'd love to hear the real "
    "version. [0.6] {Um}, what did last week actually look like for you?",
    "best-and-hardest": "{Uh}, you mentioned the interviews are your favourite part. [0.7] "
    "What do you find most satisfying about the work, {like}, and what is the hardest part?",
    "skills-that-matter": "Job ads list a dozen tools. {Um}, [0.5] which skills matter most "
    "for doing this job well, rather than for getting hired?",
    "how-they-got-in": "{Well}, your path looks unusual from the outside. [0.6] How did you "
    "get into research in the first place?",
    "who-else": "This has been really helpful. {Uh}, [0.9] who else do you think I should "
    "talk to, and would you be comfortable introducing me?",
    "closing": "Thank you, this was exactly what I needed. {Um}, the point about recruiting "
    "participants will stay with me. [0.5] I'll read the two reports you mentioned and write "
    "to you next month.",
}
"""Asking answers (the benchmark's markup: ``{um}`` a filler, ``[0.8]`` a silence)."""

JOB = {
    "tell-me-about-yourself": "job-01-about-yourself",
    "weakness": "job-02-biggest-weakness",
    "why-us": "job-04-why-this-company",
    "strengths": "job-07-strengths",
    "five-years": "job-08-five-years",
    "pressure": "job-09-pressure",
    "salary": "job-11-salary",
    "why-leaving": "job-13-why-leaving",
    "questions-for-us": "job-18-questions-for-us",
    "work-style": "job-24-ordinary-markers",
    "why-hire-you": "job-23-fluent",
    "achievement": "job-25-star-long",
}
"""job-interview question id → the benchmark script that answers it."""

INTRODUCING = {"about-you": "job-01-about-yourself", "why-this-field": "info-02-break-in"}


@dataclass(frozen=True, slots=True)
class Planned:
    days_ago: int
    bank: str
    answers: tuple[tuple[str, str], ...]
    """(question id, "good" | "weak" | "typed"), in the order answered; a question may repeat."""


SESSIONS = (
    Planned(30, "job-interview", (("tell-me-about-yourself", "weak"), ("strengths", "good"))),
    Planned(28, "job-interview", (("why-us", "good"), ("five-years", "good"))),
    Planned(27, "informational-introducing", (("about-you", "weak"),)),
    Planned(25, "informational-asking", (("opening", "weak"), ("typical-day", "weak"))),
    Planned(22, "job-interview", (("pressure", "good"), ("work-style", "good"))),
    Planned(20, "job-interview", (("tell-me-about-yourself", "good"), ("strengths", "good"))),
    Planned(
        18, "informational-asking", (("best-and-hardest", "good"), ("how-they-got-in", "good"))
    ),
    Planned(16, "job-interview", (("why-leaving", "good"), ("questions-for-us", "typed"))),
    Planned(15, "informational-introducing", (("about-you", "good"), ("why-this-field", "good"))),
    Planned(14, "job-interview", (("why-hire-you", "good"), ("achievement", "good"))),
    Planned(12, "informational-asking", (("skills-that-matter", "weak"), ("who-else", "good"))),
    Planned(10, "job-interview", (("tell-me-about-yourself", "good"), ("pressure", "good"))),
    Planned(9, "informational-asking", (("opening", "good"), ("closing", "good"))),
    Planned(8, "job-interview", (("strengths", "good"), ("why-hire-you", "good"))),
    Planned(6, "informational-asking", (("typical-day", "good"), ("skills-that-matter", "good"))),
    Planned(5, "job-interview", (("achievement", "good"), ("why-leaving", "good"))),
    Planned(4, "informational-asking", (("opening", "good"), ("closing", "good"))),
    Planned(3, "job-interview", (("tell-me-about-yourself", "good"), ("strengths", "good"))),
    Planned(2, "job-interview", (("weakness", "weak"), ("salary", "weak"), ("salary", "weak"))),
    Planned(1, "job-interview", (("pressure", "weak"), ("work-style", "good"))),
)
"""Twenty sessions. Weak lately: weakness, salary (never good), pressure (good twice, weak
yesterday: its fillers went up). Stale: why-us and five-years (good once, 28 days ago). Good and
recent: tell-me-about-yourself and strengths (good four times, last 3 days ago)."""

WEAK_RECENTLY = ("weakness", "salary", "pressure")
STALE = ("why-us", "five-years")
STRONG = ("tell-me-about-yourself", "strengths")


def markup(bank: str, question: str) -> str:
    """The answer script for a question of one of the fixture's banks."""
    if bank == "informational-asking":
        return ASKING[question]
    script_id = (JOB if bank == "job-interview" else INTRODUCING)[question]
    return next(script.markup for script in load_scripts() if script.id == script_id)


def spoken(text: str, quality: str, target_s: float | None) -> AnswerReport:
    """A report of ``text`` (benchmark markup) spoken well or weakly at 150 WPM."""
    words: list[Word] = []
    pauses: list[Pause] = []
    clock = 0.5
    for part in parse(text):
        if isinstance(part, Silence):
            length = part.seconds * 2.5 if quality == "weak" else min(part.seconds, 0.6)
            pauses.append(Pause(round(clock - 0.05, 3), round(clock + length, 3)))
            clock += length
            continue
        if isinstance(part, Filler) and quality != "weak":
            continue
        tokens = part.text.split() if isinstance(part, Speech | Filler) else []
        if isinstance(part, Filler) and part.hesitation:
            tokens = [f"{token}," for token in tokens]
        for token in tokens:
            words.append(Word(token, round(clock, 3), round(clock + WORD_SECONDS - 0.05, 3)))
            clock += WORD_SECONDS
    return build_report(
        words,
        pauses,
        (words[0].start, words[-1].end),
        duration_s=round(clock + 0.5, 3),
        engine=("fake", "benchmark-script"),
        targets=Targets(target_seconds=target_s),
    )


def plain(text: str) -> str:
    """A script's words as typed: fillers and silences left out."""
    return " ".join(part.text for part in parse(text) if isinstance(part, Speech))


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """The session store's clock set to ``moment`` (a session's start and finish time)."""
    with mock.patch("practice.sessions._now", return_value=moment):
        yield


def build_history(
    store: SessionStore, banks: dict[str, Bank], now: datetime | None = None
) -> list[Session]:
    """Save :data:`SESSIONS` into ``store``, the last one a day before ``now``."""
    now = (now or datetime.now()).astimezone().replace(hour=10, minute=0, second=0, microsecond=0)
    return [save(store, banks, plan, now - timedelta(days=plan.days_ago)) for plan in SESSIONS]


def save(store: SessionStore, banks: dict[str, Bank], plan: Planned, started: datetime) -> Session:
    """One planned session, saved as it would be by a rehearsal that began at ``started``."""
    bank = banks[plan.bank]
    by_id = {question.id: question for question in bank.questions}
    asked = list(dict.fromkeys(question for question, _ in plan.answers))
    refs = [QuestionRef.from_question(by_id[question]) for question in asked]
    with clock_at(started):
        session = store.create(bank.id, bank.name, refs)
    moment = started
    for question, quality in plan.answers:
        moment += timedelta(minutes=2)
        index = asked.index(question)
        text = markup(bank.id, question)
        if quality == "typed":
            attempt = Attempt(
                index, session.next_number(index), moment.isoformat(), None, None, plain(text)
            )
        else:
            report = spoken(text, quality, refs[index].answer_seconds)
            attempt = Attempt(index, session.next_number(index), moment.isoformat(), None, report)
        session = store.add_attempt(session, attempt)
    with clock_at(moment + timedelta(minutes=1)):
        return store.finish(session)


def saved_transcripts(root: Path) -> list[str]:
    """Every transcript and typed answer saved under ``root`` (read back from disk)."""
    store = SessionStore(root)
    texts = []
    for summary in store.history():
        session = store.load(summary.id)
        for attempt in session.attempts:
            if attempt.report is not None:
                texts.append(attempt.report.transcript)
            elif attempt.typed_text is not None:
                texts.append(attempt.typed_text)
    return texts
