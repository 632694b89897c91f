"""What a saved session holds: the questions asked, the attempts at them with their reports, and
the one-row summary the history lists; each with the JSON of ``session.json`` (schema
:data:`SCHEMA_VERSION`). Where sessions are kept is :mod:`practice.sessions`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practice.banks import KINDS, Kind

if TYPE_CHECKING:  # the coaching (and the report, numpy with it) load after the first frame
    from practice.analysis.coaching.summary import Brief, Coaching
    from practice.analysis.scoring import AnswerReport
    from practice.banks import Question

SCHEMA_VERSION = 1
"""The version of ``session.json`` this module writes and reads."""


@dataclass(frozen=True, slots=True)
class QuestionRef:
    """A question as it was asked in a session (a copy, so later bank edits do not change it)."""

    id: str
    text: str
    category: str | None = None
    answer_seconds: int | None = None
    talking_points: tuple[str, ...] = ()
    tips: str | None = None
    kind: Kind | None = None
    synonyms: tuple[tuple[str, ...], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "category": self.category,
            "answer_seconds": self.answer_seconds,
            "talking_points": list(self.talking_points),
            "tips": self.tips,
            "kind": self.kind,
            "synonyms": [list(words) for words in self.synonyms],
        }

    @property
    def brief(self) -> Brief:
        """What coaching needs to know about the question."""
        from practice.analysis.coaching.summary import Brief

        return Brief(self.kind, self.talking_points, self.synonyms)

    @classmethod
    def from_question(cls, question: Question) -> QuestionRef:
        return cls(
            question.id,
            question.text,
            question.category,
            question.answer_seconds,
            question.talking_points,
            question.tips,
            question.kind,
            question.synonyms,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QuestionRef:
        seconds = data.get("answer_seconds")
        category = data.get("category")
        tips = data.get("tips")
        return cls(
            id=str(data["id"]),
            text=str(data["text"]),
            category=None if category is None else str(category),
            answer_seconds=None if seconds is None else int(seconds),
            talking_points=tuple(str(point) for point in data.get("talking_points", ())),
            tips=None if tips is None else str(tips),
            kind=next((kind for kind in KINDS if kind == data.get("kind")), None),
            synonyms=tuple(
                tuple(str(word) for word in words) for words in data.get("synonyms", ())
            ),
        )


@dataclass(frozen=True, slots=True)
class Attempt:
    """One answer to one question: recorded (with a report) or typed."""

    question: int
    """Index into :attr:`Session.questions`."""
    number: int
    """1, 2, ... per question."""
    recorded_at: str
    """ISO 8601 local time with offset."""
    audio: str | None
    """File name inside the session folder; None for typed answers or deleted audio."""
    report: AnswerReport | None
    typed_text: str | None = None
    latency_s: float | None = None
    """From the end of the question's speech to the first word."""
    error: str | None = None
    coaching: Coaching | None = None
    """A typed answer's coaching (a recorded answer's is in its report)."""

    @property
    def coached(self) -> Coaching | None:
        """The answer's coaching: its report's, or a typed answer's own."""
        return self.report.coaching if self.report is not None else self.coaching

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "number": self.number,
            "recorded_at": self.recorded_at,
            "audio": self.audio,
            "typed_text": self.typed_text,
            "latency_s": None if self.latency_s is None else round(self.latency_s, 3),
            "error": self.error,
            "report": None if self.report is None else self.report.to_json(),
            "coaching": None if self.coaching is None else self.coaching.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attempt:
        from practice.analysis.coaching.summary import Coaching
        from practice.analysis.scoring import AnswerReport  # numpy: not before the first frame

        report = data.get("report")
        latency = data.get("latency_s")
        audio, typed, error = data.get("audio"), data.get("typed_text"), data.get("error")
        coaching = data.get("coaching")
        return cls(
            question=int(data["question"]),
            number=int(data["number"]),
            recorded_at=str(data["recorded_at"]),
            audio=None if audio is None else audio_file_name(str(audio)),
            report=None if report is None else AnswerReport.from_json(report),
            typed_text=None if typed is None else str(typed),
            latency_s=None if latency is None else float(latency),
            error=None if error is None else str(error),
            coaching=None if coaching is None else Coaching.from_json(coaching),
        )


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    """Sortable and unique: start time and bank id, e.g. ``2026-11-25T21-40-03-behavioural``."""
    bank_id: str
    bank_name: str
    started: str
    finished: str | None
    questions: tuple[QuestionRef, ...]
    attempts: tuple[Attempt, ...]
    app_version: str
    folder: Path = field(compare=False)

    # Derived views -------------------------------------------------------------------------

    def attempts_at(self, question: int) -> tuple[Attempt, ...]:
        """The attempts at one question, in order."""
        return tuple(a for a in self.attempts if a.question == question)

    def latest(self, question: int) -> Attempt | None:
        return max(self.attempts_at(question), key=lambda a: a.number, default=None)

    def next_number(self, question: int) -> int:
        latest = self.latest(question)
        return 1 if latest is None else latest.number + 1

    def latest_report(self, question: int) -> AnswerReport | None:
        """The report of the question's latest analysed attempt (the one the score counts)."""
        analysed = [a for a in self.attempts_at(question) if a.report is not None]
        return max(analysed, key=lambda a: a.number).report if analysed else None

    @property
    def latest_reports(self) -> tuple[AnswerReport, ...]:
        """The report of the latest analysed attempt per question (the ones the score counts)."""
        latest = (self.latest_report(question) for question in range(len(self.questions)))
        return tuple(report for report in latest if report is not None)

    @property
    def answers(self) -> int:
        """How many questions have at least one answer (recorded or typed)."""
        return len({a.question for a in self.attempts if a.error is None})

    @property
    def score(self) -> int | None:
        """The mean score of the latest analysed attempt per question; None with none.

        An answer with no score (no speech, or too short to judge) is left out, not counted 0."""
        scores = [r.score for r in self.latest_reports if r.score is not None]
        return round(sum(scores) / len(scores)) if scores else None

    @property
    def hedges_per_answer(self) -> float | None:
        """Hedges per coached answer (latest attempts); None with none coached."""
        coached = [r.coaching for r in self.latest_reports if r.coaching is not None]
        return sum(len(c.hedges) for c in coached) / len(coached) if coached else None

    @property
    def pitch_ranges(self) -> tuple[float, ...]:
        """The pitch ranges (semitones) measured in the latest attempts, in question order."""
        return tuple(
            r.coaching.pitch.range_semitones
            for r in self.latest_reports
            if r.coaching is not None and r.coaching.pitch.range_semitones is not None
        )

    @property
    def star_parts(self) -> float | None:
        """STAR parts present (0-4) per STAR answer (latest attempts); None with none."""
        found = [
            4 - len(r.coaching.structure.missing)
            for r in self.latest_reports
            if r.coaching is not None and r.coaching.structure is not None
        ]
        return sum(found) / len(found) if found else None

    @property
    def wpm(self) -> float | None:
        """Words a minute over all the speech of the latest attempts (fillers excluded)."""
        spoken = [r for r in self.latest_reports if not r.no_speech]
        minutes = sum(r.pace.span_s for r in spoken) / 60
        return sum(r.pace.words for r in spoken) / minutes if minutes > 0 else None

    @property
    def fillers_per_minute(self) -> float | None:
        spoken = [r for r in self.latest_reports if not r.no_speech]
        minutes = sum(r.speaking_seconds for r in spoken) / 60
        return sum(len(r.counted_fillers) for r in spoken) / minutes if minutes > 0 else None

    # JSON ------------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "app_version": self.app_version,
            "id": self.id,
            "bank": {"id": self.bank_id, "name": self.bank_name},
            "started": self.started,
            "finished": self.finished,
            "questions": [question.to_json() for question in self.questions],
            "attempts": [attempt.to_json() for attempt in self.attempts],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], folder: Path) -> Session:
        schema = data["schema"]
        if schema != SCHEMA_VERSION:
            raise ValueError(f"schema version {schema}; this practice reads {SCHEMA_VERSION}")
        finished = data.get("finished")
        session = cls(
            id=str(data["id"]),
            bank_id=str(data["bank"]["id"]),
            bank_name=str(data["bank"]["name"]),
            started=str(data["started"]),
            finished=None if finished is None else str(finished),
            questions=tuple(QuestionRef.from_json(q) for q in data["questions"]),
            attempts=tuple(Attempt.from_json(a) for a in data["attempts"]),
            app_version=str(data["app_version"]),
            folder=folder,
        )
        for attempt in session.attempts:
            if not 0 <= attempt.question < len(session.questions):
                raise ValueError(f"an attempt names question {attempt.question}, which is absent")
        return session


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One row of history, read from the index."""

    id: str
    bank_id: str
    bank_name: str
    started: str
    answers: int
    score: int | None
    wpm: float | None
    fillers_per_minute: float | None
    damaged: str | None
    """Why the session cannot be read; None when it is fine."""
    hedges_per_answer: float | None = None
    star_parts: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "bank": self.bank_id,
            "bank_name": self.bank_name,
            "started": self.started,
            "answers": self.answers,
            "score": self.score,
            "wpm": None if self.wpm is None else round(self.wpm, 1),
            "fillers_per_minute": None
            if self.fillers_per_minute is None
            else round(self.fillers_per_minute, 2),
            "damaged": self.damaged,
            "hedges_per_answer": _rounded(self.hedges_per_answer, 2),
            "star_parts": _rounded(self.star_parts, 2),
        }


def audio_file_name(name: str) -> str:
    """An audio file name from session.json, refused when it points outside the folder."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"audio file name {name!r} is not a plain file name")
    return name


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
