"""The studio's header: it names the app and the screen and follows the screen's sub-title, and
a screen closed as it opens (popped, or the studio closed, within a few turns of the event loop)
does not end the studio with Textual's ``NoMatches`` on ``HeaderTitle`` (Textual's own Header
looked for its title widget after it was gone, or in a header that never got one: it failed the
timed drill's end-to-end test, which ends as the feedback opens, 1 run in 3)."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.widgets._header import HeaderTitle

from practice.tui import screens
from practice.tui.app import make_app
from practice.tui.screens.base import StudioScreen
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.summary import SummaryScreen
from practice.tui.widgets.header import StudioHeader
from tests.tui_fakes import BANKS, all_fakes, run, settle

SIZE = (80, 24)
TURNS = range(10)


class Opening(StudioScreen[None]):
    """A screen with the studio's header and nothing else, to close at any turn as it opens (the
    studio's real screens closed as they open: test_tui_closing)."""

    def compose(self) -> ComposeResult:
        yield StudioHeader()
        yield Static("opening")


async def opened(app: App[Any], screen: Screen[Any], turns: int) -> None:
    """Push ``screen`` and give the event loop ``turns`` turns once the screen has composed (its
    header is there, mounting: where Textual's Header failed)."""
    app.push_screen(screen)
    for _ in range(1000):
        if screen.query_children(Header):
            break
        await asyncio.sleep(0)
    assert screen.query_children(Header)
    for _ in range(turns):
        await asyncio.sleep(0)


def title(screen: Screen[Any]) -> str:
    return str(screen.query_one(HeaderTitle).render())


@run
async def test_a_screen_popped_as_it_opens_leaves_the_studio_running(tmp_path: Path) -> None:
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        for turns in TURNS:
            await opened(app, Opening(f.services), turns)
            app.pop_screen()
            await settle(pilot)
            assert app.screen is home and app.is_running
        assert title(home) == "practice — interview rehearsal studio"


@pytest.mark.parametrize("turns", TURNS)
@run
async def test_the_studio_closed_as_a_screen_opens_closes_cleanly(
    tmp_path: Path, turns: int
) -> None:
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await opened(app, Opening(f.services), turns)
        # leaving run_test closes the studio, and raises what ended it (NoMatches on HeaderTitle)


@run
async def test_every_screen_of_a_session_has_the_studio_header_naming_it(tmp_path: Path) -> None:
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    seen: dict[str, str] = {}

    def look() -> None:
        for screen in app.screen_stack[1:]:  # under them, Textual's default screen
            assert type(screen.query_one(Header)) is StudioHeader
            seen[type(screen).__name__] = title(screen)

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # Home: rehearse the first bank
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        look()
        app.screen.sub_title = "changed"  # the header follows the screen's sub-title at once
        assert title(app.screen) == "practice — changed"
        for _ in range(3):
            await pilot.press("enter")
            await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        look()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("h")  # History
        await settle(pilot)
        look()
    bank = BANKS[0].name
    assert seen == {
        "HomeScreen": "practice — interview rehearsal studio",
        "InterviewScreen": f"practice — {bank}",
        "FeedbackScreen": f"practice — {bank}",
        "SummaryScreen": f"practice — {bank}: session summary",
        "HistoryScreen": "practice — history",
    }


def test_no_screen_uses_textuals_own_header() -> None:
    for module in pkgutil.iter_modules(screens.__path__):
        loaded = importlib.import_module(f"{screens.__name__}.{module.name}")
        assert getattr(loaded, "Header", None) is None, module.name
