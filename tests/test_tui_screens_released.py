"""The studio lets go of the screens it is done with: a session's feedback screens (each holds an
answer's report) and its interview screen are freed once the session is over and Home is back, so
that a long studio session does not keep every answer it showed."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

from textual import work
from textual.screen import Screen

from practice.tui.app import make_app
from practice.tui.screens.base import StudioScreen
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
        assert alive == []
        assert len(shown) == 8  # 2 interviews and 6 feedback screens were looked at


class Plain(Screen[None]):
    """A screen that starts no worker (so that no job runs after the one looked at)."""


class Working(StudioScreen[None]):
    """A screen that runs one thread worker when it opens."""

    def opened(self) -> None:
        self._work()

    @work(thread=True, group="test")
    def _work(self) -> None:
        return None


@run
async def test_a_finished_thread_worker_does_not_keep_its_screen(tmp_path: Path) -> None:
    """Textual sets its active-worker context variable in the thread that runs a worker: in the
    pool thread's own context, the thread kept the last worker it ran, and the worker its screen
    (an interview screen, now and then, in the test above: 4 of 8 runs after test_tui_live)."""
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(Plain())  # no worker runs when it is back on top
        working = Working(f.services)
        app.push_screen(working)
        await settle(pilot)
        assert [w.state for w in app.workers if w.node is working] == []  # done and let go
        app.pop_screen()
        await settle(pilot)
        released = weakref.ref(working)
        del working
        for _ in range(100):  # the worker's thread may be unwinding for a moment
            gc.collect()
            if released() is None:
                break
            await pilot.pause(0.05)
        assert released() is None
