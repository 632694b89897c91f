"""Drills: a time-boxed answer, and saying the last answer again without its fillers.

A **timed** drill stops the recording at the limit (60 s): :func:`cut_note` then says whether the
answer fitted, and when it did not, how much of the question's usual answer (the median length of
its earlier spoken attempts) did not fit. A **clean** drill shows the question's last analysed
attempt with its fillers marked while the person answers again; the comparison follows.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from practice.records import Attempt, Session

if TYPE_CHECKING:  # the report (and numpy with it) loads after the studio's first frame
    from practice.analysis.scoring import AnswerReport

TIMED_SECONDS = 60
DrillKind = Literal["timed", "clean"]
KINDS: tuple[DrillKind, ...] = ("timed", "clean")
SENTENCE_ENDS = (".", "?", "!")


@dataclass(frozen=True, slots=True)
class Drill:
    kind: DrillKind
    seconds: int = TIMED_SECONDS
    """The time box of a timed drill."""

    @property
    def label(self) -> str:
        if self.kind == "timed":
            return f"answer in {self.seconds} s"
        return "say it again without the fillers"


@dataclass(frozen=True, slots=True)
class Earlier:
    """What the saved sessions say about a question before this session."""

    last: Attempt | None
    """The latest analysed attempt with speech."""
    usual_s: float | None
    """The median length of the earlier spoken answers."""


def earlier(sessions: Iterable[Session], bank_id: str, question_id: str) -> Earlier:
    """The question's latest spoken attempt and usual length, over ``sessions``."""
    spoken: list[Attempt] = []
    for session in sessions:
        if session.bank_id != bank_id:
            continue
        for attempt in session.attempts:
            report = attempt.report
            asked = session.questions[attempt.question].id == question_id
            if asked and report is not None and not report.no_speech:
                spoken.append(attempt)
    spoken.sort(key=lambda attempt: attempt.recorded_at)
    lengths = [a.report.speaking_seconds for a in spoken if a.report is not None]
    return Earlier(spoken[-1] if spoken else None, statistics.median(lengths) if lengths else None)


def cut_note(report: AnswerReport, limit_s: float, stopped: bool, usual_s: float | None) -> str:
    """What the time box did to the answer, in one line."""
    if report.no_speech:
        return f"Timed drill ({limit_s:.0f} s): no speech heard."
    end = 0.0 if report.speech is None else report.speech[1]
    if not stopped:
        spare = max(0.0, limit_s - end)
        return (
            f"Finished in {end:.0f} s, inside the {limit_s:.0f} s limit ({spare:.0f} s to spare)."
        )
    last = report.words[-1].text.strip() if report.words else ""
    line = f"Cut at {limit_s:.0f} s"
    line += " mid-sentence" if not last.endswith(SENTENCE_ENDS) else " at the end of a sentence"
    if usual_s is not None and usual_s > limit_s:
        missing = usual_s - limit_s
        share = round(100 * missing / usual_s)
        line += (
            f": about {missing:.0f} s of your usual {usual_s:.0f} s answer ({share} %) did not fit"
        )
    return line + "."
