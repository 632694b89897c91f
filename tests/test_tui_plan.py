"""Home's "Today: N questions" from the practice plan: shown with why, and rehearsed with d or
Enter; snapshots at 80×24 and 120×40."""

from __future__ import annotations

import stat
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable

from practice import banks, plan, sessions, workspace
from practice.tui.app import make_app
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.history import HistoryScreen
from practice.tui.screens.home import HomeScreen
from practice.tui.screens.interview import InterviewScreen, Phase
from practice.tui.screens.progress import ProgressScreen
from practice.tui.screens.summary import SummaryScreen
from practice.tui.widgets.today import TodayPanel
from tests.practice_history import WEAK_RECENTLY, build_history
from tests.tui_fakes import Fakes, FakeVoice, all_fakes, notes, run, settle, text, until

SIZES = [(80, 24), (120, 40)]
NOW = datetime(2026, 3, 21, 18, 5, 0, tzinfo=timezone(timedelta(hours=1)))


def _studio(root: Path, *, history: bool = True) -> Fakes:
    """Fake services on the built-in banks, the voice asking until told to stop."""
    real = banks.discover(workspace.resolve(root / "nowhere")).banks
    f = all_fakes(root, banks=tuple(real.values()), voice=FakeVoice(hold=True))
    if history:
        build_history(f.store, real, NOW)
    return f


def _asking(app: App[None]) -> bool:
    screen = app.screen
    return isinstance(screen, InterviewScreen) and screen.phase is Phase.SPEAKING


@pytest.fixture
def fixed_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(plan, "_now", lambda: NOW)
    monkeypatch.setattr(sessions, "_now", lambda: NOW)


@run
async def test_home_shows_today_and_d_rehearses_it(tmp_path: Path, fixed_time: None) -> None:
    f = _studio(tmp_path)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = text(app, "#today")
        assert shown.startswith("Today: 15 questions · d (or Enter here) rehearses them")
        assert "What is your greatest weakness? — scored 65 last time; weakest: pauses" in shown
        assert "and 12 more" in shown
        await pilot.press("d")
        await until(pilot, lambda: _asking(app))
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.bank.id == "job-interview"
        ids = [question.id for question in screen.questions]
        expected = plan.make_plan(plan.read_sessions(f.store), f.services.banks).today
        assert ids == [item.question_id for item in expected if item.bank_id == "job-interview"]
        assert [i for i in ids if i in WEAK_RECENTLY] == list(WEAK_RECENTLY) == ids[:2] + ids[3:4]


@run
async def test_enter_on_today_rehearses_it_and_elsewhere_starts_the_bank(
    tmp_path: Path, fixed_time: None
) -> None:
    f = _studio(tmp_path)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.focused is app.screen.query_one(TodayPanel)  # focused on opening
        app.screen.query_one("#banks").focus()
        await pilot.press("enter")  # on the bank table, Enter starts the first bank
        await until(pilot, lambda: _asking(app))
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.bank.id == f.services.banks[0].id
        assert len(app.screen.questions) == len(f.services.banks[0].questions)
        await pilot.press("escape", "y")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("enter")  # the summary: back home
        await settle(pilot, "voice")
        assert isinstance(app.screen, HomeScreen)
        assert app.focused is not app.screen.query_one(TodayPanel)  # only on opening
        app.screen.query_one(TodayPanel).focus()
        await pilot.press("enter")
        await until(pilot, lambda: _asking(app))
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.questions[0].id == "weakness"


@run
async def test_no_history_no_today(tmp_path: Path, fixed_time: None) -> None:
    f = _studio(tmp_path, history=False)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one(TodayPanel).display
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("size", SIZES)
def test_home_with_a_plan(
    snap_compare: Callable[..., bool], tmp_path: Path, fixed_time: None, size: tuple[int, int]
) -> None:
    f = _studio(tmp_path)

    async def loaded(pilot: Pilot[None]) -> None:
        await settle(pilot)

    assert snap_compare(
        make_app(f.services.place, f.services), terminal_size=size, run_before=loaded
    )


@run
async def test_k_on_history_and_summary_saves_the_meeting_sheet(
    tmp_path: Path, fixed_time: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = _studio(tmp_path)
    kits = f.services.place.home / "kits"
    app = make_app(f.services.place, f.services)
    shown = notes(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("k")  # the newest session is highlighted: a job-interview one
        await settle(pilot)
        (sheet,) = kits.iterdir()
        assert sheet.name == f"job-interview-{date.today().isoformat()}.html"
        assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
        assert stat.S_IMODE(kits.stat().st_mode) == 0o700
        page = sheet.read_text()
        assert "Meeting sheet: General job interview" in page
        assert "I&#x27;m a backend engineer" in page  # the introduction, in their own words
        assert any("Meeting sheet saved: " in n.message for n in shown)
        await pilot.press("escape")
        await settle(pilot)
        app.screen.query_one("#banks").focus()
        await pilot.press("down", "down", "down", "enter")  # informational: asking
        await until(pilot, lambda: _asking(app))
        await pilot.press("escape", "y")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("k")
        await settle(pilot, "voice")
        made = sorted(path.name for path in kits.iterdir())
        day = date.today().isoformat()
        assert made == [f"informational-asking-{day}.html", f"job-interview-{day}.html"]


@run
async def test_progress_by_question_from_history(tmp_path: Path, fixed_time: None) -> None:
    f = _studio(tmp_path)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        assert text(app, "#where").startswith("21 questions answered, every bank; latest first")
        table = app.screen.query_one("#questions", DataTable)
        rows = {table.get_row_at(i)[0]: table.get_row_at(i) for i in range(table.row_count)}
        about = rows["Tell me about yourself."]
        assert about[1:4] == ["57 → 100 → 100 → 100", "improved +43", "—"]
        pressure = next(row for text, row in rows.items() if text.startswith("How do you handle"))
        assert pressure[2] == "slipped -38"
        typed = next(row for text, row in rows.items() if text.startswith("Do you have any"))
        assert typed[1] == "typed"
        # the latest answered first: yesterday's session answered pressure, then work-style
        assert [table.get_row_at(i)[0][:18] for i in (0, 1)] == [
            "How would your col",
            "How do you handle ",
        ]
        assert table.get_row_at(0)[4] == "General job interview"
        await pilot.press("escape", "b")  # History narrowed to one bank: so is the progress
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        shown = app.screen.query_one("#questions", DataTable)
        assert shown.row_count < table.row_count


@pytest.mark.parametrize("size", SIZES)
def test_progress_snapshot(
    snap_compare: Callable[..., bool], tmp_path: Path, fixed_time: None, size: tuple[int, int]
) -> None:
    f = _studio(tmp_path)

    async def progress(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)

    assert snap_compare(
        make_app(f.services.place, f.services), terminal_size=size, run_before=progress
    )


@run
async def test_rehearsing_todays_first_question_moves_it_out_of_today(tmp_path: Path) -> None:
    real = banks.discover(workspace.resolve(tmp_path / "nowhere")).banks
    f = all_fakes(tmp_path, banks=tuple(real.values()))  # instant voice, recorder and model
    build_history(f.store, real)  # on the real clock, as the answer given here is
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert text(app, "#today").startswith("Today: 15 questions")
        await pilot.press("d")  # the first question is answered, analysed and shown
        await until(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        await pilot.press("escape", "y")  # end the session after this answer
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert text(app, "#today").startswith("Today: 14 questions")
        assert "What is your greatest weakness?" not in text(app, "#today")
