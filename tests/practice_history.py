"""Twenty saved sessions over thirty days, made from the benchmark's answer scripts.

Each answer is a benchmark script (``benchmarks/accuracy/scripts``) put through the real analysis
functions (as :mod:`tests.sample_reports` does) as :func:`spoken` says: a *weak* attempt keeps its
fillers, pauses inside its clauses and stalls, and is short; a *good* one drops the fillers, pauses
only between sentences, and goes on with a second script as its example
(:data:`GOOD_FOLLOW_UP`), so it is of proper length against its target. The
informational-asking bank has no benchmark answers (the benchmark's speakers answer questions,
they do not ask them), so :data:`ASKING` holds asking answers written in the same markup.
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
from practice.analysis.pauses import Pause
from practice.analysis.scoring import SENTENCE_ENDS, AnswerReport, Targets
from practice.analysis.transcript import Word
from practice.banks import Bank
from practice.records import Attempt, QuestionRef, Session
from practice.sessions import SessionStore

WORD_SECONDS = 0.4

ASKING = {
    "opening": "{Um}, thank you so much for making the time, {uh}, Priya introduced us. I'm a "
    "teacher moving into, {um}, user research, [0.8] and your work on the library app is why "
    "I asked. I taught chemistry for, {uh}, six years, and the part I loved was watching how "
    "students got stuck. I'd, {uh}, like to hear how you started and what the work is really "
    "like. I'll keep it to twenty minutes.",
    "typical-day": "{So}, I've read a lot about research roles, but I'd love to hear the real "
    "version. [0.6] The job ads make it sound like interviews all day, the blogs make it sound "
    "{uh}, like writing reports, and I suspect neither is the whole story. I'm asking because that "
    "is the part I {um}, can't learn from outside. {Um}, what did last week actually look like for "
    "you?",
    "best-and-hardest": "{Uh}, you mentioned the interviews are your favourite part. [0.7] "
    "I can see why, you get to hear people explain their own problems in their own words. "
    "I'd like the other side too, the part you would warn a newcomer about. What do you find "
    "most satisfying about the work, {like}, and what is the hardest part?",
    "skills-that-matter": "I have time to learn two or three things properly this year, and "
    "I would rather learn, {uh}, the ones you use every week than the ones that look good on a "
    "list. "
    "Job ads list a dozen tools. {Um}, [0.5] which skills matter most for, {like}, doing this "
    "job well, rather than for getting hired?",
    "how-they-got-in": "{Well}, your path looks unusual from the outside. [0.6] You studied "
    "music, then worked in a bookshop, and now you lead research at a software company. How "
    "did you get into research in the first place, and was there a moment when you knew it "
    "was the right move?",
    "who-else": "This has been really helpful. {Uh}, [0.9] who else do you think I should "
    "talk to? I'm especially curious about people who work in public services, since that is "
    "where I would like to end up, and in anyone who hires researchers from outside the field. "
    "Would you be comfortable introducing me?",
    "closing": "Thank you, this was exactly what I needed. {Um}, the point about recruiting "
    "participants will stay with me. [0.5] I'll read the two reports you mentioned and write "
    "to you next month. If you ever need someone to sit in on a study, I would be glad to help.",
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

GOOD_FOLLOW_UP = {
    "tell-me-about-yourself": "job-23-fluent",
    "weakness": "job-15-prioritise",
    "why-us": "job-21-product-sense",
    "strengths": "job-10-team-player",
    "five-years": "job-20-manager-style",
    "pressure": "job-14-difficult-customer",
    "why-leaving": "job-29-why-leave",
    "why-hire-you": "job-05-leadership",
}
"""question id → the benchmark script a *good* answer goes on with: a full answer to a 60 or
90 s question is longer than one script, so it adds the example the coach asks for."""

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
recent: tell-me-about-yourself and strengths (good four times, last 3 days ago). Under the
score the weak attempts score 57 to 69 (no pause points: pauses inside clauses and stalls) and
the good ones 92 to 100."""

WEAK_RECENTLY = ("weakness", "salary", "pressure")
STALE = ("why-us", "five-years")
STRONG = ("tell-me-about-yourself", "strengths")


def markup(bank: str, question: str, quality: str = "weak") -> str:
    """The answer script for a question of one of the fixture's banks (a good answer goes on
    with its :data:`GOOD_FOLLOW_UP`)."""
    if bank == "informational-asking":
        return ASKING[question]
    scripts = {script.id: script.markup for script in load_scripts()}
    text = scripts[(JOB if bank == "job-interview" else INTRODUCING)[question]]
    follow_up = GOOD_FOLLOW_UP.get(question) if quality == "good" else None
    return text if follow_up is None else f"{text} {scripts[follow_up]}"


def spoken(text: str, quality: str, target_s: float | None) -> AnswerReport:
    """A report of ``text`` (benchmark markup) spoken well or weakly.

    *Good*: every filler left out, 150 WPM, a 0.8 s breath after each sentence (a pause between
    points costs nothing) and the script's own silences kept short. *Weak*, what a demanding
    coach calls weak: every filler kept, each followed by a 1.4 s pause inside its clause, the
    script's silences stretched into stalls (3.2 s or more), the words between them rushed
    (200 WPM) and no example added, so a 60 or 90 s answer is well short of its target.
    """
    weak = quality == "weak"
    word_s = 0.3 if weak else WORD_SECONDS
    words: list[Word] = []
    pauses: list[Pause] = []
    clock = 0.5

    def pause(length: float) -> None:
        nonlocal clock
        pauses.append(Pause(round(clock - 0.05, 3), round(clock + length, 3)))
        clock += length

    for part in parse(text):
        if isinstance(part, Silence):
            pause(max(3.2, part.seconds * 2.5) if weak else min(part.seconds, 0.6))
            continue
        if isinstance(part, Filler) and not weak:
            continue
        tokens = part.text.split() if isinstance(part, Speech | Filler) else []
        if isinstance(part, Filler) and part.hesitation:
            tokens = [f"{token}," for token in tokens]
        for token in tokens:
            words.append(Word(token, round(clock, 3), round(clock + word_s - 0.05, 3)))
            clock += word_s
            if not weak and token.endswith(SENTENCE_ENDS):
                pause(0.8)
        if isinstance(part, Filler):
            pause(1.4)
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
        text = markup(bank.id, question, quality)
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
