"""What the workers report back to the screens (past tense: it has happened)."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from practice.tui.services import Take


class SessionStarted(Message):
    """The session's folder exists; answers can be recorded into it."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder


class QuestionSpoken(Message):
    """The interviewer finished (or was told to skip) reading the question."""


class RecordingFinished(Message):
    def __init__(self, path: Path, duration_s: float, stop_reason: str) -> None:
        super().__init__()
        self.path = path
        self.duration_s = duration_s
        self.stop_reason = stop_reason


class AnswerAnalyzed(Message):
    """An answer (recorded, imported or typed) has been analysed and saved."""

    def __init__(self, take: Take) -> None:
        super().__init__()
        self.take = take


class PlaybackFinished(Message):
    pass


class SessionFinished(Message):
    """The session is saved; ``previous`` is the last score on the same bank before it."""

    def __init__(self, folder: Path, previous: int | None) -> None:
        super().__init__()
        self.folder = folder
        self.previous = previous
