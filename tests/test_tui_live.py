"""A recorded answer analysed while it is spoken (the ``streaming`` setting), with fake devices.

The recording screen feeds an :class:`AnswerStream` from the recorder's thread and takes the
feedback from it after Stop; a restarted or set-aside take cancels it; without the setting, or
when the stream fails, the saved WAV is analysed as before. The real audio stack and model go
through the same path in tests/test_tui_e2e.py.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from practice.analysis.audio import load_audio
from practice.analysis.transcript import Transcript
from practice.settings import Settings
from practice.tui import trace
from practice.tui.app import make_app
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.interview import InterviewScreen, Phase
from practice.tui.screens.summary import SummaryScreen
from practice.tui.services import Finisher
from tests.tui_fakes import (
    FakeRecorder,
    FakeTranscriber,
    Streams,
    all_fakes,
    notes,
    run,
    settle,
    text,
    until,
)

SIZE = (80, 24)


def traced(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@run
async def test_the_feedback_comes_from_the_stream_fed_while_recording(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    streams = Streams(monkeypatch)
    log = tmp_path / "trace.jsonl"
    monkeypatch.setenv(trace.VARIABLE, str(log))
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    shown = notes(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot, "trace")
        assert isinstance(app.screen, FeedbackScreen)
        assert "billing system" in text(app, "#transcript")
    assert shown == []
    (stream,) = streams.made
    assert f.recorder is not None
    (wav,) = f.recorder.paths
    assert stream.file == str(wav)
    assert np.array_equal(streams.fed(0), load_audio(wav))  # every block the WAV stores
    assert stream.finished == 1 and not stream.cancelled.is_set()
    assert [e["via"] for e in traced(log) if e["event"] == "analysed"] == ["stream"]
    (attempt,) = f.session().attempts
    assert attempt.report is not None and attempt.report.file == str(wav)
    assert attempt.report.duration_s == pytest.approx(9.5)


@run
async def test_a_restarted_take_cancels_its_stream_and_the_retake_is_analysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    streams = Streams(monkeypatch)
    recorder = FakeRecorder(hold=True)
    f = all_fakes(tmp_path, recorder=recorder)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: len(streams.made) == 1 and recorder.started.is_set())
        recorder.started.clear()
        await pilot.press("r")
        await until(pilot, lambda: len(streams.made) == 2 and recorder.started.is_set())
        await pilot.press("space")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert "attempt 2" in text(app, "#feedback-title")
    first, second = streams.made
    assert first.cancelled.is_set() and first.finished == 0
    assert second.finished == 1 and not second.cancelled.is_set()
    assert recorder.paths[0].exists()  # the restarted take's WAV stays
    (attempt,) = f.session().attempts
    assert attempt.number == 2 and attempt.report is not None


@run
async def test_a_take_set_aside_for_a_typed_answer_cancels_its_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    streams = Streams(monkeypatch)
    recorder = FakeRecorder(hold=True)
    f = all_fakes(tmp_path, recorder=recorder)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: len(streams.made) == 1 and recorder.started.is_set())
        await pilot.press("t")
        await until(pilot, streams.made[0].cancelled.is_set)
        await pilot.press("escape")
        await until(
            pilot,
            lambda: isinstance(app.screen, InterviewScreen) and app.screen.phase is Phase.READY,
        )
        await pilot.press("escape", "y")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
    assert streams.made[0].finished == 0
    assert f.session().attempts == ()


@run
async def test_without_streaming_the_saved_recording_is_analysed_after_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    streams = Streams(monkeypatch)
    log = tmp_path / "trace.jsonl"
    monkeypatch.setenv(trace.VARIABLE, str(log))
    f = all_fakes(tmp_path, settings=Settings(streaming=False))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot, "trace")
        assert isinstance(app.screen, FeedbackScreen)
        assert "billing system" in text(app, "#transcript")
    assert streams.made == []
    assert [e["via"] for e in traced(log) if e["event"] == "analysed"] == ["file"]
    (attempt,) = f.session().attempts
    assert attempt.report is not None and attempt.report.duration_s == pytest.approx(9.5)


@pytest.mark.parametrize("fail", ["make", "feed", "finish"])
@run
async def test_a_failing_stream_is_set_aside_and_the_saved_recording_analysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: str
) -> None:
    streams = Streams(monkeypatch, fail=fail)
    log = tmp_path / "trace.jsonl"
    monkeypatch.setenv(trace.VARIABLE, str(log))
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    shown = notes(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot, "trace")
        assert isinstance(app.screen, FeedbackScreen)
        assert "billing system" in text(app, "#transcript")
    what = "could not start" if fail == "make" else "failed"
    assert [(note.message, note.severity) for note in shown] == [
        (
            f"The live analysis {what} (the stream fell over); "
            "the saved recording was analysed instead.",
            "warning",
        )
    ]
    assert f.recorder is not None
    (wav,) = f.recorder.paths
    assert load_audio(wav).size == round(9.5 * 16000)  # the whole recording was saved
    assert [e["via"] for e in traced(log) if e["event"] == "analysed"] == ["file"]
    if fail == "feed":
        (stream,) = streams.made
        assert len(stream.blocks) == 3 and stream.cancelled.is_set() and stream.finished == 0
    (attempt,) = f.session().attempts
    assert attempt.report is not None and attempt.report.duration_s == pytest.approx(9.5)


class ThreadNoting(FakeTranscriber):
    """The fake engine, noting the thread of each call."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[str] = []

    def transcribe(self, samples: np.ndarray, *args: Any, **options: Any) -> Transcript:
        self.threads.append(threading.current_thread().name)
        return super().transcribe(samples, *args, **options)


@run
async def test_the_finisher_is_loaded_with_the_model_and_handed_out_once_ready(
    tmp_path: Path,
) -> None:
    f = all_fakes(tmp_path)
    finisher = Finisher(ThreadNoting())
    assert f.services.after_stop() is None  # none in the bundle
    services = replace(f.services, finisher=finisher)
    assert services.after_stop() is None  # not loaded yet: Stop is left to the engine
    app = make_app(services.place, services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert finisher.ready.is_set()  # loaded by the screen's model worker
    assert services.after_stop() is finisher


@run
async def test_the_finisher_gets_only_calls_made_after_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    streams = Streams(monkeypatch)
    engine = ThreadNoting()
    f = all_fakes(tmp_path, transcriber=engine)
    finisher = Finisher(ThreadNoting())
    finisher.load()
    services = replace(f.services, finisher=finisher)
    app = make_app(services.place, services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert "billing system" in text(app, "#transcript")
    (stream,) = streams.made
    assert stream.finisher is finisher
    assert isinstance(finisher.inner, ThreadNoting)
    # The stream's worker (while recording) used the one-thread engine only.
    assert "answer-stream" not in finisher.inner.threads
    assert engine.threads or finisher.inner.threads
