"""What the rehearsal studio needs from the rest of practice, as small protocols.

The screens only see these protocols and the :class:`Services` bundle, so the tests hand the app
fake services and the real-audio tests the real ones (DESIGN.md habit 6). Every method here may
block: the screens call them from thread workers only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from practice.analysis.feedback import AnswerReport
from practice.analysis.transcribe import Transcriber
from practice.errors import PracticeError
from practice.workspace import Workspace


class RehearsalError(PracticeError):
    """A rehearsal cannot start as asked (unknown bank, no questions, ...)."""


# Audio ---------------------------------------------------------------------------------------


class Voice(Protocol):
    """The interviewer's voice."""

    def speak(self, text: str, cancel: threading.Event) -> None:
        """Say ``text``; return when it has been played, or soon after ``cancel`` is set."""


class Recording(Protocol):
    """What a finished recording reports."""

    @property
    def duration_s(self) -> float: ...

    @property
    def stop_reason(self) -> str:
        """Why it stopped, in words (``"stopped"``, ``"silence"``, ``"max duration"``, ...)."""


class Recorder(Protocol):
    """The microphone."""

    def record(
        self,
        path: Path,
        *,
        stop: threading.Event,
        on_level: Callable[[float], None],
        max_seconds: float,
        silence_stop_seconds: float,
    ) -> Recording:
        """Record a WAV to ``path`` until ``stop`` is set, the maximum, or the silence limit.

        ``on_level`` receives the live input level in dBFS, from the recorder's thread.
        """


class Player(Protocol):
    """The speaker, for playing answers back."""

    def play(
        self,
        path: Path,
        start: float | None = None,
        end: float | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        """Play ``path`` (or the span from ``start`` to ``end`` seconds); return when done."""


# Questions -----------------------------------------------------------------------------------


class Question(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def category(self) -> str | None: ...

    @property
    def answer_seconds(self) -> int: ...

    @property
    def talking_points(self) -> tuple[str, ...]: ...


class Bank(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def questions(self) -> Sequence[Question]: ...

    @property
    def source(self) -> Path: ...

    @property
    def builtin(self) -> bool: ...


ORDERS = ("in-order", "shuffle", "random", "category")
"""How questions are picked: as written, shuffled, N at random, or one category in order."""


@dataclass(frozen=True, slots=True)
class Start:
    """How to start a rehearsal: which bank, and how its questions are picked."""

    bank_id: str
    order: str = "in-order"
    count: int | None = None
    category: str | None = None
    seed: int | None = None


class Chooser(Protocol):
    def __call__(
        self,
        bank: Bank,
        *,
        order: str = "in-order",
        count: int | None = None,
        category: str | None = None,
        seed: int | None = None,
    ) -> Sequence[Question]:
        """The questions to ask, in the order to ask them."""


# Sessions ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Take:
    """One attempt at one question: a recorded (or typed) answer and its report."""

    question: int
    """The question's index in the session."""
    number: int
    """The attempt's number for that question, from 1."""
    recorded_at: datetime
    audio: Path | None
    report: AnswerReport | None
    """None for a typed answer, or when no speech model is available."""
    typed_text: str | None = None
    latency_s: float | None = None
    """From the end of the question to the first word."""


@dataclass(frozen=True, slots=True)
class PastSession:
    started: datetime
    bank_name: str
    answers: int
    score: int | None


class Journal(Protocol):
    """Where the session being rehearsed is saved, and what came before it."""

    def start(self, bank_id: str, bank_name: str, questions: Sequence[Question]) -> Path:
        """Begin a session; returns its folder."""

    def audio_path(self, question: int, number: int) -> Path:
        """Where attempt ``number`` at question index ``question`` is recorded."""

    def add(self, take: Take) -> None: ...

    def finish(self) -> None: ...

    def recent(self, limit: int) -> Sequence[PastSession]: ...

    def previous_score(self, bank_id: str) -> int | None:
        """The score of the last session on this bank before the current one."""


# Settings ------------------------------------------------------------------------------------


class Preferences(Protocol):
    """The settings the studio reads (``practice.settings.Settings`` has them all)."""

    @property
    def voice(self) -> str | None: ...
    @property
    def rate(self) -> int: ...
    @property
    def input_device(self) -> str | None: ...
    @property
    def output_device(self) -> str | None: ...
    @property
    def engine(self) -> str: ...
    @property
    def model(self) -> str | None: ...
    @property
    def silence_stop_seconds(self) -> float: ...
    @property
    def auto_record(self) -> bool: ...
    @property
    def max_answer_seconds(self) -> int: ...
    @property
    def pace_low(self) -> int: ...
    @property
    def pace_high(self) -> int: ...
    @property
    def long_pause_seconds(self) -> float: ...


# The bundle ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Services:
    """Everything the app uses; a missing device or engine is None, with a notice saying why."""

    place: Workspace
    settings: Preferences
    banks: Sequence[Bank]
    choose: Chooser
    journal: Journal
    voice: Voice | None = None
    recorder: Recorder | None = None
    player: Player | None = None
    transcriber: Transcriber | None = None
    notices: tuple[str, ...] = ()
    """What is missing or wrong (no microphone, a broken bank, ...), one line each."""
    clock: Callable[[], float] = time.monotonic
    """Seconds, for timers and latency (tests pass a fixed clock)."""
    now: Callable[[], datetime] = field(default=datetime.now)

    def bank(self, bank_id: str) -> Bank:
        for bank in self.banks:
            if bank.id == bank_id:
                return bank
        known = ", ".join(sorted(bank.id for bank in self.banks)) or "none found"
        raise RehearsalError(f"no question bank {bank_id!r} (known: {known})")

    def questions(self, start: Start) -> tuple[Bank, Sequence[Question]]:
        """The bank and the questions to ask for ``start``."""
        bank = self.bank(start.bank_id)
        order = "in-order" if start.order == "category" else start.order
        chosen = self.choose(
            bank, order=order, count=start.count, category=start.category, seed=start.seed
        )
        if not chosen:
            raise RehearsalError(f"bank {bank.id!r} has no questions to ask")
        return bank, chosen
