"""The studio lets go of the screens it is done with: a session's feedback screens (each holds an
answer's report) are freed once the session is over and Home is back, and interview screens do
not pile up, so that a long studio session does not keep every answer it showed."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

from textual.screen import Screen

from practice.tui.app import make_app
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.home import HomeScreen
from practice.tui.screens.interview import InterviewScreen
from practice.tui.screens.summary import SummaryScreen
from tests.tui_fakes import all_fakes, run, settle

SIZE = (80, 24)


@run
async def test_finished_sessions_leave_no_feedback_or_interview_screen_behind(
    tmp_path: Path,
) -> None:
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    shown: list[weakref.ref[Screen[Any]]] = []
    async with app.run_test(size=SIZE) as pilot:
        for _session in range(2):
            await pilot.press("enter")  # Home: rehearse the first bank
            await settle(pilot)
            assert isinstance(app.screen, FeedbackScreen)
            assert isinstance(app.screen_stack[-2], InterviewScreen)
            shown.append(weakref.ref(app.screen_stack[-2]))  # the interview under it
            for _question in range(3):
                await settle(pilot)
                assert isinstance(app.screen, FeedbackScreen)
                shown.append(weakref.ref(app.screen))
                await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
        # A worker's thread may still be unwinding (its frame holding the screen) for a moment
        # after the worker reported: look again for a while before calling it kept.
        for _ in range(100):
            gc.collect()
            alive = [type(screen()).__name__ for screen in shown if screen() is not None]
            if not alive:
                break
            await pilot.pause(0.05)
        # Every feedback screen (each holds an answer's report) is freed. One interview screen
        # may still be held, now and then, by the recorder worker that a long-lived asyncio
        # task's context refers to (Textual's active-worker context variable; found, not fixed):
        # that is one screen, not one per session, so two sessions keep at most one.
        assert "FeedbackScreen" not in alive
        assert alive.count("InterviewScreen") <= 1
        assert len(shown) == 8  # 2 interviews and 6 feedback screens were looked at
