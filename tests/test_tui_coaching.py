"""Coaching in the studio: the headline first, the S/T/A/R bar, hedges marked, History trends."""

from __future__ import annotations

from pathlib import Path

from practice.analysis.coaching.structure import Part, Structure
from practice.analysis.scoring import Mark
from practice.tui.app import make_app
from practice.tui.markup import transcript_markup
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.history import HistoryScreen
from practice.tui.widgets.star_bar import StarBar, bar_markup
from tests.tui_fakes import all_fakes, run, settle, text

SIZE = (80, 24)


@run
async def test_a_star_answer_leads_with_its_headline_and_shows_its_bar(tmp_path: Path) -> None:
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FeedbackScreen)
        report = screen.attempt.report
        assert report is not None and report.coaching is not None
        # The fake answer ("So I led a project … We cut costs by twenty percent …") has actions
        # and a result, but nothing sets the scene.
        assert report.coaching.headline_rule == "missing-situation"
        headline = screen.query_one("#headline")
        assert report.coaching.headline in text(app, "#headline")
        assert headline.region.y < screen.query_one("#notes").region.y
        bar = screen.query_one(StarBar)
        assert bar.region.y > screen.query_one("#transcript").region.y
        assert "S missing" in str(bar.render())
        assert "result" in text(app, "#coaching") and "quantified" in text(app, "#coaching")
        await pilot.press("enter")
        await settle(pilot)
        # The next question has no kind: coaching without STAR, and no bar.
        screen = app.screen
        assert isinstance(screen, FeedbackScreen)
        assert not screen.query(StarBar)
        assert screen.query("#headline")
    session = f.session()
    saved = [a.report.coaching for a in session.attempts if a.report is not None]
    assert saved[0] is not None and saved[0].structure is not None
    assert saved[1] is not None and saved[1].structure is None


@run
async def test_history_shows_the_coaching_trends(tmp_path: Path) -> None:
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # end the session
        await settle(pilot)
        await pilot.press("enter")  # summary → home
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert text(app, "#trend-star_parts-change") == "2.0 (1 session)"
        assert text(app, "#trend-hedges_per_answer-change") == "0.0 (1 session)"


def test_hedges_are_marked_in_the_transcript() -> None:
    marks = [
        Mark("word", "I", 0, 0.2),
        Mark("hedge", "kind of", 0.2, 0.6),
        Mark("word", "won", 1, 2),
    ]
    assert transcript_markup(marks) == "I [underline $text-secondary]kind of[/] won"
    selected = transcript_markup(marks, (0.3, 0.4))
    assert "[underline $text-secondary reverse]kind of[/]" in selected


def test_the_bar_is_as_wide_as_asked_and_proportional() -> None:
    structure = Structure(
        (
            Part("situation", 0, 6, (0, 9)),
            Part("action", 6, 16, (10, 30)),
            Part("result", 16, 20, (31, 40)),
        ),
        ("task",),
        {"situation": 0.4, "task": 0.0, "action": 0.4, "result": 0.2},
    )
    blocks, shares = bar_markup(structure, 40).split("\n")
    assert blocks.count("[/]") == 3
    assert "[$primary reverse] S " + " " * 9 + "[/]" in blocks  # 6 of 20 s → 12 of 40 cells
    assert shares.startswith("S 40%/15% [$error]long[/] · [$error]T missing[/] · A 40%/55%")
