"""Fake services for the TUI tests: no sound hardware, no model, deterministic clocks."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from textual.app import App
from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from practice.analysis.scoring import AnswerReport
from practice.analysis.stream import AnswerStream
from practice.analysis.transcript import Cancelled, DecodeOptions, Transcript, Word
from practice.banks import Bank, Kind, Question
from practice.records import Session
from practice.sessions import SessionStore
from practice.settings import Settings
from practice.speech.recorder import StopReason
from practice.tui.screens import interview as interview_module
from practice.tui.services import Services
from practice.workspace import Workspace

RATE = 16_000
SEGMENTS = (
    (0.5, 3.5, "So I led a project, um, to rebuild our billing system from scratch."),
    (5.3, 9.0, "We cut costs by twenty percent and I, like, learned to delegate well."),
)
"""The fake answer: speech where the WAV is loud, with a 1.8 s pause between the two parts."""


def answer_samples() -> np.ndarray:
    """A 9.5 s answer-shaped signal: faint noise, and loud tone bursts where the words are,
    changing timbre every 125 ms as speech does (so no stretch of it is a held sound)."""
    rng = np.random.default_rng(7)
    samples = rng.normal(0, 0.001, int(9.5 * RATE)).astype(np.float32)
    t = np.arange(len(samples)) / RATE
    for start, end, _text in SEGMENTS:
        inside = (t >= start) & (t < end)
        syllables = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t[inside]) ** 2
        overtone = 0.8 * (np.floor(t[inside] * 8) % 2) * np.sin(2 * np.pi * 540 * t[inside])
        tone = np.sin(2 * np.pi * 180 * t[inside]) + overtone
        samples[inside] += (0.12 * syllables * tone).astype(np.float32)
    return samples


def write_answer(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, answer_samples(), RATE, subtype="PCM_16")


def answer_words() -> tuple[Word, ...]:
    words = []
    for start, end, text in SEGMENTS:
        pieces = text.split()
        step = (end - start) / len(pieces)
        for index, piece in enumerate(pieces):
            words.append(Word(piece, start + index * step, start + (index + 1) * step - 0.02))
    return tuple(words)


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class FakeVoice:
    """Speaks instantly, or (``hold=True``) until cancelled, like a long question."""

    def __init__(self, hold: bool = False) -> None:
        self.hold = hold
        self.spoken: list[str] = []
        self.cancelled = 0

    def speak(self, text: str, cancel: threading.Event | None = None) -> bool:
        self.spoken.append(text)
        if self.hold and cancel is not None and cancel.wait(10):
            self.cancelled += 1
            return False
        return True


@dataclass(frozen=True)
class FakeRecording:
    duration_s: float
    stop_reason: StopReason
    overflows: int = 0


class FakeRecorder:
    """Writes the fake answer to the path; with ``hold=True`` it records until stopped."""

    def __init__(self, hold: bool = False, level: float = -18.0, overflows: int = 0) -> None:
        self.hold = hold
        self.level = level
        self.overflows = overflows
        self.paths: list[Path] = []
        self.started = threading.Event()

    def record(
        self,
        path: Path,
        *,
        stop: threading.Event,
        on_level: Callable[[float], None],
        max_seconds: float,
        silence_stop_seconds: float,
        on_block: Callable[[np.ndarray], None] | None = None,
    ) -> FakeRecording:
        self.paths.append(path)
        on_level(self.level)
        self.started.set()
        reason = StopReason.SILENCE
        if self.hold:
            stop.wait(10)
            reason = StopReason.REQUESTED
        write_answer(path)
        if on_block is not None:  # the blocks as the WAV stores them (int16-quantised)
            samples, _rate = soundfile.read(str(path), dtype="float32")
            for start in range(0, len(samples), 800):
                on_block(samples[start : start + 800])
        return FakeRecording(9.5, reason, self.overflows)


class FakePlayer:
    """Plays instantly, or (``hold=True``) until stopped, like a long recording."""

    def __init__(self, hold: bool = False) -> None:
        self.hold = hold
        self.played: list[Path] = []
        self.spans: list[tuple[float, float | None]] = []
        self.started = threading.Event()
        self.stopped = 0

    def play(
        self,
        path: Path,
        start: float = 0.0,
        end: float | None = None,
        *,
        stop: threading.Event | None = None,
    ) -> bool:
        self.played.append(path)
        self.spans.append((start, end))
        self.started.set()
        if self.hold and stop is not None and stop.wait(10):
            self.stopped += 1
            return False
        return True


class FakeTranscriber:
    name = "fake"
    model = "fake-model"

    def __init__(self, fail: bool = False, hold: bool = False) -> None:
        self.fail = fail
        self.hold = hold
        """Work until cancelled, like a long answer on a slow machine."""
        self.calls = 0

    def load(self) -> None:
        pass

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        self.calls += 1
        if self.fail:
            raise RuntimeError("the fake model fell over")
        if self.hold and cancel is not None and cancel.wait(10):
            raise Cancelled("transcription cancelled")
        return Transcript(answer_words())


def question(
    id: str,
    text: str,
    category: str | None = None,
    answer_seconds: int = 60,
    talking_points: tuple[str, ...] = (),
    tips: str | None = None,
    follow_ups: tuple[str, ...] = (),
    kind: Kind | None = None,
) -> Question:
    return Question(id, text, category, answer_seconds, talking_points, tips, follow_ups, kind=kind)


QUESTIONS = (
    question(
        "conflict",
        "Tell me about a time you disagreed with a colleague. What did you do?",
        "teamwork",
        90,
        ("the disagreement itself", "how you listened", "the outcome and what you learned"),
        "Choose a disagreement about work, not about people, and end on what changed.",
        ("What would you do differently now?", "How is your relationship with them today?"),
        kind="star",
    ),
    question(
        "project",
        "Describe a project you led from start to finish.",
        "leadership",
        60,
        ("the billing project", "costs cut, with a number", "what you would delegate next time"),
    ),
    question("why-us", "Why do you want to work here?", "motivation", 45),
)
BANKS = (
    Bank(
        "behavioural",
        "Behavioural (STAR)",
        "",
        60,
        QUESTIONS,
        Path("question_banks/behavioural.toml"),
        builtin=True,
    ),
    Bank(
        "mine",
        "My informational interviews",
        "",
        60,
        (question("day", "What does a typical day look like for you?"),),
        Path("/srv/shared-banks/mine.toml"),
    ),
)


@dataclass
class Fakes:
    """Everything a test may want to look at after driving the app."""

    services: Services
    voice: FakeVoice | None
    recorder: FakeRecorder | None
    player: FakePlayer | None
    transcriber: FakeTranscriber | None
    clock: FakeClock

    @property
    def store(self) -> SessionStore:
        return self.services.store

    def session(self) -> Session:
        """The one session the test made."""
        (summary,) = self.store.history()
        return self.store.load(summary.id)

    def session_on(self, bank_id: str, *, latest: bool) -> Session:
        """The newest (or oldest) session on a bank."""
        found = [s for s in self.store.history() if s.bank_id == bank_id]
        return self.store.load(found[0 if latest else -1].id)


def fakes(
    root: Path,
    *,
    voice: FakeVoice | None = None,
    recorder: FakeRecorder | None = None,
    player: FakePlayer | None = None,
    transcriber: FakeTranscriber | None = None,
    settings: Settings | None = None,
    notices: tuple[str, ...] = (),
    banks: Sequence[Bank] = BANKS,
) -> Fakes:
    place = Workspace(root / "practice", "--home", root / "config", root / "cache")
    clock = FakeClock()
    services = Services(
        place=place,
        settings=settings or Settings(),
        banks=banks,
        store=SessionStore(place.recordings_dir),
        voice=voice,
        recorder=recorder,
        player=player,
        transcriber=transcriber,
        notices=notices,
        clock=clock,
    )
    return Fakes(services, voice, recorder, player, transcriber, clock)


def all_fakes(root: Path, **options: object) -> Fakes:
    """Every service present and instant (options override one at a time)."""
    chosen: dict[str, object] = {
        "voice": FakeVoice(),
        "recorder": FakeRecorder(),
        "player": FakePlayer(),
        "transcriber": FakeTranscriber(),
    }
    chosen.update(options)
    return fakes(root, **chosen)  # type: ignore[arg-type]


async def settle(pilot: Pilot[None], *held: str) -> None:
    """Let every worker finish (except those of the ``held`` groups) and the UI catch up."""

    def busy() -> list[Worker[object]]:
        return [
            worker
            for worker in pilot.app.workers
            if worker.state in {WorkerState.PENDING, WorkerState.RUNNING}
            and worker.group not in held
        ]

    quiet = 0
    for _ in range(100):
        # A failed worker is part of what a test checks (its notification), not an error of
        # the wait: gather keeps it (wait_for_complete would raise WorkerFailed when a worker
        # fails while it is waited for, and not when it failed just before).
        await asyncio.gather(*(worker.wait() for worker in busy()), return_exceptions=True)
        await pilot.pause()
        quiet = quiet + 1 if not busy() else 0
        if quiet == 2:  # idle twice in a row: the last worker's message has been handled
            return
    raise AssertionError("the workers never settled")


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Process messages until ``condition`` holds (for workers that are held on purpose)."""
    for _ in range(1000):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the condition never held")


def run(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test with asyncio (no pytest async plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


@dataclass(frozen=True)
class Note:
    message: str
    title: str
    severity: str


def notes(app: App[Any], monkeypatch: pytest.MonkeyPatch) -> list[Note]:
    """Every notification ``app`` shows from now on, recorded through the public
    :meth:`App.notify` (screens and widgets notify through it)."""
    shown: list[Note] = []
    real = app.notify

    def notify(
        message: str, *, title: str = "", severity: SeverityLevel = "information", **rest: Any
    ) -> None:
        shown.append(Note(message, title, severity))
        real(message, title=title, severity=severity, **rest)

    monkeypatch.setattr(app, "notify", notify)
    return shown


def text(app: App[Any], selector: str) -> str:
    """What the Static ``selector`` on the current screen shows."""
    return str(app.screen.query_one(selector, Static).render())


class Streams:
    """Replaces the screen's AnswerStream by one that notes what happens to each stream (the
    real stream still does the analysis); ``fail`` makes ``make`` (the stream's creation),
    ``feed`` or ``finish`` raise."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail: str | None = None) -> None:
        self.made: list[NotingStream] = []
        streams = self

        class NotingStream(AnswerStream):
            def __init__(self, *args: Any, **options: Any) -> None:
                if fail == "make":
                    raise RuntimeError("the stream fell over")
                super().__init__(*args, **options)
                self.blocks: list[np.ndarray] = []
                self.finished = 0
                self.cancelled = threading.Event()
                self.file = options.get("file")
                self.finisher = options.get("finisher")
                streams.made.append(self)

            def feed(self, block: np.ndarray) -> None:
                if fail == "feed" and len(self.blocks) == 3:
                    raise RuntimeError("the stream fell over")
                self.blocks.append(block.copy())
                super().feed(block)

            def finish(self, cancel: threading.Event | None = None) -> AnswerReport:
                self.finished += 1
                if fail == "finish":
                    raise RuntimeError("the stream fell over")
                return super().finish(cancel)

            def cancel(self) -> None:
                self.cancelled.set()
                super().cancel()

        monkeypatch.setattr(interview_module, "AnswerStream", NotingStream)

    def fed(self, index: int) -> np.ndarray:
        return np.concatenate(self.made[index].blocks)
