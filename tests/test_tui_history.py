"""History's trends: the numbers over past sessions, for every bank or one at a time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from practice import sessions
from practice.records import Attempt, QuestionRef, SessionSummary
from practice.tui.app import make_app
from practice.tui.screens.history import HistoryScreen
from practice.tui.widgets.trends import TrendBars, bars, change_text, series
from tests.sample_reports import make_report
from tests.tui_fakes import Fakes, all_fakes, run, settle

ANSWERS = (
    ("behavioural", "so um I led it and um it was fine " * 3),
    ("mine", "we um like did the thing well enough I think " * 2),
    ("behavioural", "I led the billing project and it went well for the whole team " * 2),
)
"""Answers long enough to score (8 s and 20 words or more)."""


def seed(f: Fakes, monkeypatch: pytest.MonkeyPatch) -> None:
    """One session per answer, a day apart, oldest first."""
    days = iter(datetime(2026, 3, day, 9, 30, tzinfo=UTC) for day in range(1, 9))
    monkeypatch.setattr(sessions, "_now", lambda: next(days))
    for bank, text in ANSWERS:
        session = f.store.create(bank, bank.title(), [QuestionRef("q", "Q?")])
        attempt = Attempt(0, 1, "2026-03-14T09:30:00", None, make_report(text))
        f.store.finish(f.store.add_attempt(session, attempt))


def summary(
    id: str, bank: str, started: str, score: int | None, damaged: str | None = None
) -> SessionSummary:
    return SessionSummary(id, bank, bank.title(), started, 1, score, 150.0, 2.0, damaged)


def test_a_series_is_oldest_first_and_skips_damaged_and_unscored_sessions() -> None:
    sessions = [
        summary("4", "a", "2026-03-04", 80),
        summary("3", "b", "2026-03-03", 70),
        summary("2", "a", "2026-03-02", None),
        summary("1", "a", "2026-03-01", 50),
        summary("0", "a", "", None, damaged="session.json is not JSON"),
    ]
    assert series(sessions, "score") == [50.0, 70.0, 80.0]
    assert series(sessions, "score", "a") == [50.0, 80.0]
    assert series(sessions, "wpm", "b") == [150.0]
    assert change_text([50.0, 70.0, 80.0], 0) == "50 → 80 over 3 sessions"
    assert change_text([2.25], 1) == "2.2 (1 session)"
    assert change_text([], 1) == "—"


@run
async def test_history_draws_the_trends_and_b_narrows_them_to_one_bank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = all_fakes(tmp_path)
    seed(f, monkeypatch)
    scores = [score for _bank, text in ANSWERS if (score := make_report(text).score) is not None]
    assert len(scores) == len(ANSWERS)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)

        def shown() -> tuple[str, list[float], str, int]:
            title = str(history.query_one("#trend-title", Static).render())
            data = history.query_one("#trend-score", TrendBars).values
            change = str(history.query_one("#trend-score-change", Static).render())
            return title, data, change, history.query_one("#sessions", DataTable).row_count

        assert shown() == (
            "Trends, every bank · b: one bank at a time",
            [float(score) for score in scores],
            f"{scores[0]} → {scores[2]} over 3 sessions",
            3,
        )
        assert len(history.query_one("#trend-wpm", TrendBars).values) == 3
        await pilot.press("b")  # the newest session's bank first
        assert shown() == (
            "Trends, Behavioural · b: one bank at a time",
            [float(scores[0]), float(scores[2])],
            f"{scores[0]} → {scores[2]} over 2 sessions",
            2,
        )
        await pilot.press("b")
        assert shown()[1:] == ([float(scores[1])], f"{scores[1]} (1 session)", 1)
        await pilot.press("b")
        assert shown()[0].startswith("Trends, every bank") and shown()[3] == 3


@run
async def test_the_bank_filter_is_offered_only_with_two_banks_or_more(tmp_path: Path) -> None:
    f = all_fakes(tmp_path)
    session = f.store.create("mine", "Mine", [QuestionRef("q", "Q?")])
    f.store.finish(f.store.add_attempt(session, Attempt(0, 1, "t", None, make_report("hi there"))))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Review" in titles and "Bank filter" not in titles
        await pilot.press("b")
        title = str(app.screen.query_one("#trend-title", Static).render())
        assert title == "Trends, every bank"


def test_bars_are_one_per_session_on_a_fixed_scale() -> None:
    """56 → 66 is a small step, not floor to ceiling; one session is one bar; none is none."""
    assert bars([56.0, 66.0], 100.0, 40) == "▅▆"
    assert bars([66.0], 100.0, 40) == "▆"
    assert bars([], 100.0, 40) == ""
    assert bars([0.0, 100.0, 50.0], 100.0, 2) == "█▅"  # the newest that fit
    assert bars([5.0, 20.0], 12.0, 10) == "▃█"  # above the scale's top: the largest is the top
