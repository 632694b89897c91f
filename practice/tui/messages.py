"""What the workers report back to the screens (past tense: it has happened)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # what the messages carry loads with the screens that send them
    from practice.compare import PastAttempt
    from practice.plan import Plan, Track
    from practice.records import Attempt, Session, SessionSummary
    from practice.settings import Settings
    from practice.speech.recorder import StopReason


class SessionStarted(Message):
    """The session is saved (empty) and its folder exists: answers can be recorded into it."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session


class QuestionSpoken(Message):
    """The interviewer finished (or was told to skip) reading the question."""


class RecordingFinished(Message):
    def __init__(
        self,
        question: int,
        number: int,
        path: Path,
        duration_s: float,
        stop_reason: StopReason,
        overflows: int = 0,
    ) -> None:
        super().__init__()
        self.question = question
        self.number = number
        self.path = path
        self.duration_s = duration_s
        self.stop_reason = stop_reason
        self.overflows = overflows
        """Blocks of sound the microphone dropped because the machine was too busy."""


class AnswerAnalyzed(Message):
    """An answer (recorded, imported or typed) has been analysed and saved in ``session``."""

    def __init__(self, session: Session, attempt: Attempt, note: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.attempt = attempt
        self.note = note
        """Something the person should know about how it was analysed (one line), or None."""


class PlaybackFinished(Message):
    pass


class SessionFinished(Message):
    """The session is closed; ``previous`` is the last score on the same bank before it."""

    def __init__(self, session: Session, previous: int | None) -> None:
        super().__init__()
        self.session = session
        self.previous = previous


class HistoryLoaded(Message):
    def __init__(self, sessions: Sequence[SessionSummary]) -> None:
        super().__init__()
        self.sessions = sessions


class DevicesChecked(Message):
    """The start-up check of the sound devices and the voice is done."""

    def __init__(self, absent: dict[str, str]) -> None:
        super().__init__()
        self.absent = absent


class SettingsSaved(Message):
    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings


class SessionLoaded(Message):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session


class AttemptsGathered(Message):
    """Every analysed attempt at ``chosen``'s question, across sessions (to compare with)."""

    def __init__(self, chosen: PastAttempt, attempts: Sequence[PastAttempt]) -> None:
        super().__init__()
        self.chosen = chosen
        self.attempts = tuple(attempts)


class PlanLoaded(Message):
    """The practice plan, worked out from the saved sessions."""

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan


class KitWritten(Message):
    """A meeting sheet was saved at ``path``."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class TracksLoaded(Message):
    """Every answered question with its attempts over time."""

    def __init__(self, tracks: Sequence[Track]) -> None:
        super().__init__()
        self.tracks = tracks
