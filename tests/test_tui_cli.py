"""``practice`` (no command) and ``practice rehearse`` open the studio on the real services."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from practice import workspace
from practice.cli import main
from practice.tui.app import make_app
from practice.tui.screens.home import HomeScreen
from practice.tui.screens.interview import InterviewScreen
from practice.tui.services import Start
from tests.tui_fakes import run


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--bank", "nope"], 'practice: no bank "nope" (practice banks list shows them all)'),
        (["--bank", "career-chang"], 'no bank "career-chang"; did you mean "career-change"?'),
        (
            ["--bank", "career-change", "--category", "nope"],
            'practice: bank "career-change" has no category "nope"',
        ),
        (["--bank", "career-change", "--count", "0"], "at least 1, got 0"),
    ],
)
def test_rehearse_refuses_a_bad_start_before_opening(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["rehearse", *argv]) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


@run
async def test_the_studio_opens_on_the_real_banks_and_store(isolated_home: Path) -> None:
    (isolated_home / "question_banks" / "broken.toml").write_text("[bank\\n", encoding="utf-8")
    app = make_app(workspace.resolve())
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#banks", DataTable)
        assert table.row_count >= 5
        notices = str(app.screen.query_one("#notices").render())
        assert "broken.toml" in notices


@run
async def test_rehearse_opens_the_interview_on_the_chosen_questions(isolated_home: Path) -> None:
    start = Start("career-change", order="random", count=2, seed=3)
    app = make_app(workspace.resolve(), start=start)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert len(app.screen.questions) == 2
        await pilot.press("escape", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, InterviewScreen)
