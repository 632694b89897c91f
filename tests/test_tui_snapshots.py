"""SVG snapshots of the studio's screens at 80×24 and 120×40 (pytest-textual-snapshot).

Everything shown is fixed: fake services, a still clock, a fixed session time and home folder.
Update after a deliberate change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs before committing them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from practice import sessions
from practice.analysis.answer import analyze_file
from practice.analysis.coaching import Brief
from practice.analysis.coaching.pipeline import analyze_answer
from practice.analysis.scoring import Targets
from practice.records import Attempt, QuestionRef
from practice.settings import Settings
from practice.tui.app import make_app
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.interview import InterviewScreen, Phase
from practice.tui.screens.summary import SummaryScreen
from tests.sample_reports import make_report
from tests.tui_fakes import (
    QUESTIONS,
    FakeRecorder,
    Fakes,
    FakeTranscriber,
    FakeVoice,
    all_fakes,
    settle,
    until,
    write_answer,
)

SIZES = [(80, 24), (120, 40)]
SnapCompare = Callable[..., bool]
STAR = Brief("star")
WHEN = datetime(2026, 3, 21, 18, 5, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def studio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Fakes]:
    """Fake services under a fixed home folder, with sessions stamped at a fixed time."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sessions, "_now", lambda: WHEN)

    def make(**options: Any) -> Fakes:
        return all_fakes(tmp_path, **options)

    return make


def seed_history(f: Fakes) -> None:
    """Two earlier sessions for Home's list (the store's clock is fixed, so ids are unique)."""
    wav = f.store.root.parent / "past.wav"
    write_answer(wav)
    for day, target in ((14, 10.0), (18, 60.0)):
        report = analyze_answer(wav, FakeTranscriber(), Targets(target_seconds=target), STAR)
        session = f.store.create("behavioural", "Behavioural (STAR)", [QuestionRef("q", "Q?")])
        session = f.store.add_attempt(session, Attempt(0, 1, "2026-03-14T09:30:00", None, report))
        f.store.finish(session)
        path = session.folder / "session.json"
        data = json.loads(path.read_text())
        data["started"] = f"2026-03-{day}T09:30:00+01:00"
        path.write_text(json.dumps(data))


@pytest.mark.parametrize("size", SIZES)
def test_home(
    snap_compare: SnapCompare, studio: Callable[..., Fakes], size: tuple[int, int]
) -> None:
    f = studio(notices=("broken.toml:2:1: expected '=' after a key",))
    seed_history(f)

    async def loaded(pilot: Pilot[None]) -> None:
        await settle(pilot)

    assert snap_compare(
        make_app(f.services.place, f.services), terminal_size=size, run_before=loaded
    )


@pytest.mark.parametrize("size", SIZES)
def test_interview_speaking(
    snap_compare: SnapCompare, studio: Callable[..., Fakes], size: tuple[int, int]
) -> None:
    f = studio(voice=FakeVoice(hold=True))

    async def speaking(pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        await until(pilot, lambda: getattr(pilot.app.screen, "phase", None) is Phase.SPEAKING)
        await until(pilot, lambda: bool(f.voice and f.voice.spoken))

    assert snap_compare(
        make_app(f.services.place, f.services), terminal_size=size, run_before=speaking
    )


@pytest.mark.parametrize("size", SIZES)
def test_interview_recording(
    snap_compare: SnapCompare, studio: Callable[..., Fakes], size: tuple[int, int]
) -> None:
    f = studio(recorder=FakeRecorder(hold=True, level=-21.0))

    async def recording(pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, InterviewScreen))
        await until(pilot, lambda: pilot.app.screen.phase is Phase.RECORDING)  # type: ignore[attr-defined]
        assert f.recorder is not None
        await until(pilot, f.recorder.started.is_set)
        f.clock.now += 4
        await until(pilot, lambda: "0:04" in str(pilot.app.screen.query_one("#timer").render()))

    assert snap_compare(
        make_app(f.services.place, f.services), terminal_size=size, run_before=recording
    )


@pytest.mark.parametrize("size", SIZES)
def test_feedback(
    snap_compare: SnapCompare, studio: Callable[..., Fakes], size: tuple[int, int]
) -> None:
    f = studio()

    async def feedback(pilot: Pilot[None]) -> None:
        await pilot.press("down", "up", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, FeedbackScreen)

    assert snap_compare(
        make_app(f.services.place, f.services), terminal_size=size, run_before=feedback
    )


@pytest.mark.parametrize("size", SIZES)
def test_summary(
    snap_compare: SnapCompare, studio: Callable[..., Fakes], size: tuple[int, int]
) -> None:
    f = studio(settings=Settings(auto_record=False))

    async def summary(pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("enter")  # question 1 recorded
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        pilot.app.screen.query_one("TextArea").text = "I want to build billing systems here."  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")  # question 2 typed
        await settle(pilot)
        await pilot.press("n")  # question 3 skipped
        await settle(pilot)
        assert isinstance(pilot.app.screen, SummaryScreen)
        await until(
            pilot, lambda: "practice show" in str(pilot.app.screen.query_one("#files").render())
        )

    assert snap_compare(
        make_app(f.services.place, f.services), terminal_size=size, run_before=summary
    )


@pytest.mark.parametrize("size", SIZES)
def test_history(
    snap_compare: SnapCompare, studio: Callable[..., Fakes], size: tuple[int, int]
) -> None:
    f = studio()
    seed_history(f)

    async def history(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)

    assert snap_compare(
        make_app(f.services.place, f.services), terminal_size=size, run_before=history
    )


def seed_retries(f: Fakes, earlier: bool = False) -> None:
    """A session with two attempts at one question: the fake answer, then a cleaner one; with
    ``earlier``, first an older session that answered the same question once."""
    refs = [QuestionRef("project", QUESTIONS[1].text)]
    cleaner = make_report(
        "So I led a project to rebuild our whole billing system from scratch. "
        "We cut our costs by a fifth, and I learned to delegate well to the team."
    )
    if earlier:
        old = f.store.create("behavioural", "Behavioural (STAR)", refs)
        old = f.store.add_attempt(old, Attempt(0, 1, "2026-03-14T09:30:00", None, cleaner))
        f.store.finish(old)
    session = f.store.create("behavioural", "Behavioural (STAR)", refs)
    wav = session.folder / "q1-1.wav"
    write_answer(wav)
    first = analyze_file(wav, FakeTranscriber(), Targets(target_seconds=60.0))
    for number, report in ((1, first), (2, cleaner)):
        attempt = Attempt(0, number, "2026-03-21T18:05:00", wav.name, report)
        session = f.store.add_attempt(session, attempt)
    f.store.finish(session)


@pytest.mark.parametrize("size", SIZES)
def test_review_moment(
    snap_compare: SnapCompare, studio: Callable[..., Fakes], size: tuple[int, int]
) -> None:
    f = studio()
    seed_retries(f)

    async def moment(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")

    assert snap_compare(
        make_app(f.services.place, f.services), terminal_size=size, run_before=moment
    )


@pytest.mark.parametrize("size", SIZES)
def test_compare(
    snap_compare: SnapCompare, studio: Callable[..., Fakes], size: tuple[int, int]
) -> None:
    f = studio()
    seed_retries(f)

    async def compare(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down", "c")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(
        make_app(f.services.place, f.services), terminal_size=size, run_before=compare
    )


@pytest.mark.parametrize("size", SIZES)
def test_pick_attempt_across_sessions(
    snap_compare: SnapCompare, studio: Callable[..., Fakes], size: tuple[int, int]
) -> None:
    f = studio()
    seed_retries(f, earlier=True)

    async def pick(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("enter")  # the newest session
        await settle(pilot)
        await pilot.press("down", "c")
        await settle(pilot)

    assert snap_compare(make_app(f.services.place, f.services), terminal_size=size, run_before=pick)


@pytest.mark.parametrize("size", SIZES)
def test_settings(
    snap_compare: SnapCompare, studio: Callable[..., Fakes], size: tuple[int, int]
) -> None:
    """Checkboxes for yes/no, lists for the voice and devices, the first field focused."""
    f = studio()
    mics = [("USB mic", "USB mic"), ("Laptop mic", "Laptop mic")]
    services = replace(f.services, choices=lambda: {"input_device": mics})

    async def settings(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)

    assert snap_compare(make_app(services.place, services), terminal_size=size, run_before=settings)
