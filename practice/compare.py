"""Two attempts at the same question side by side: what changed in the words and in the numbers;
and every attempt at a question, across sessions, to choose the two from."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from practice.records import Attempt, Session
from practice.sessions import SessionError, SessionStore

WordKind = Literal["same", "inserted", "deleted"]
Better = Literal["higher", "lower", ""]

if TYPE_CHECKING:  # the report (and numpy with it) loads after the studio's first frame
    from practice.analysis.scoring import AnswerReport


@dataclass(frozen=True, slots=True)
class WordChange:
    kind: WordKind
    """``same``, ``inserted`` (only in the later answer) or ``deleted`` (only in the earlier)."""
    text: str
    """A run of words of that kind, as they were said."""


@dataclass(frozen=True, slots=True)
class MetricChange:
    name: str
    unit: str
    before: float
    after: float
    better: Better
    """``higher``, ``lower``, or empty when neither direction is simply better."""

    @property
    def change(self) -> float:
        return self.after - self.before

    @property
    def improved(self) -> bool | None:
        """Whether the change is for the better; None when unchanged or neither is better."""
        if not self.better or self.change == 0:
            return None
        return (self.change > 0) == (self.better == "higher")


@dataclass(frozen=True, slots=True)
class Comparison:
    words: tuple[WordChange, ...]
    metrics: tuple[MetricChange, ...]


def _key(word: str) -> str:
    """A word as compared: case and surrounding punctuation do not count as a change."""
    return word.strip(".,;:!?\"'()").lower()


def word_diff(before: str, after: str) -> tuple[WordChange, ...]:
    """The later text's words with the earlier one's removed words in place, in runs."""
    old, new = before.split(), after.split()
    matcher = difflib.SequenceMatcher(None, [_key(w) for w in old], [_key(w) for w in new])
    changes: list[WordChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes.append(WordChange("same", " ".join(new[j1:j2])))
            continue
        if i2 > i1:
            changes.append(WordChange("deleted", " ".join(old[i1:i2])))
        if j2 > j1:
            changes.append(WordChange("inserted", " ".join(new[j1:j2])))
    return tuple(changes)


def metrics(before: AnswerReport, after: AnswerReport) -> tuple[MetricChange, ...]:
    """The numbers of both attempts; the score only when both have one."""

    def pair(report: AnswerReport) -> tuple[float | None, ...]:
        return (
            report.score,
            report.pace.wpm,
            report.fillers_per_minute,
            len(report.long_pauses),
            report.speaking_seconds,
            report.pace.articulation_sps,
        )

    names: tuple[tuple[str, str, Better], ...] = (
        ("Score", "", "higher"),
        ("Pace", "wpm", ""),
        ("Fillers", "/min", "lower"),
        ("Long pauses", "", "lower"),
        ("Length", "s", ""),
        ("Articulation", "syll/s", ""),
    )
    return tuple(
        MetricChange(name, unit, old, new, better)
        for (name, unit, better), old, new in zip(names, pair(before), pair(after), strict=True)
        if old is not None and new is not None
    )


def compare(before: AnswerReport, after: AnswerReport) -> Comparison:
    """How ``after`` (the later attempt) differs from ``before``."""
    return Comparison(word_diff(before.transcript, after.transcript), metrics(before, after))


@dataclass(frozen=True, slots=True)
class PastAttempt:
    """An analysed attempt at a question, with the session it is in."""

    session: Session
    attempt: Attempt

    @property
    def key(self) -> tuple[str, int, int]:
        """Which attempt it is: session id, question index, attempt number."""
        return (self.session.id, self.attempt.question, self.attempt.number)

    @property
    def label(self) -> str:
        """``2026-03-14 09:30 attempt 2`` (when it was answered, and which try)."""
        return f"{self.attempt.recorded_at[:16].replace('T', ' ')} attempt {self.attempt.number}"


def attempts_at_question(
    store: SessionStore, session: Session, question: int
) -> tuple[PastAttempt, ...]:
    """Every analysed attempt at the question, in this session and in the other sessions on the
    same bank (the same question id), oldest first; damaged sessions are passed over."""
    ref = session.questions[question]
    found = [PastAttempt(session, a) for a in session.attempts_at(question) if a.report]
    for past in store.history():
        if past.damaged or past.bank_id != session.bank_id or past.id == session.id:
            continue
        try:
            other = store.load(past.id)
        except SessionError:
            continue
        for index, asked in enumerate(other.questions):
            if asked.id == ref.id:
                found += [PastAttempt(other, a) for a in other.attempts_at(index) if a.report]
    return tuple(sorted(found, key=lambda past: (past.attempt.recorded_at, past.attempt.number)))
