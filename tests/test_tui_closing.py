"""Every screen of the studio closed as it opens: popped, or the studio closed, at each turn of the
event loop from the push until the screen is open, leaves the studio running (or closes it
cleanly).

A screen closed before its nested containers have composed still gets its own Mount (and the
messages already on its way) with parts of its tree missing: Textual mounts nothing into a
widget being removed. Home used to end the studio with ``NoMatches`` on ``#recent-panel`` there,
History's trends on ``#trend-score``; a test that ends right after a push could hit it.
"""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Select

from practice.compare import PastAttempt
from practice.records import Attempt, QuestionRef, Session
from practice.tui import screens, widgets
from practice.tui.app import make_app
from practice.tui.screens.base import StudioScreen
from practice.tui.screens.compare import CompareScreen, PickAttemptScreen
from practice.tui.screens.dialogs import END_SESSION, ConfirmScreen, ImportScreen, TypedAnswerScreen
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.history import HistoryScreen, ReviewScreen
from practice.tui.screens.home import HomeScreen
from practice.tui.screens.interview import InterviewScreen
from practice.tui.screens.progress import ProgressScreen
from practice.tui.screens.settings import SettingsScreen
from practice.tui.screens.summary import SummaryScreen
from practice.tui.widgets.header import StudioHeader
from practice.tui.widgets.opening import Opening
from practice.tui.widgets.select import StudioSelect
from tests.sample_reports import make_report
from tests.tui_fakes import BANKS, QUESTIONS, Fakes, all_fakes, run, settle

SIZE = (100, 30)
OPEN = 3
"""Pops after the screen has opened (its first messages and workers on their way)."""
MOST_TURNS = 200
ANSWER = "so um I led the billing project and we cut costs by twenty percent " * 2


@dataclass(frozen=True)
class Seeded:
    """A finished session with two analysed attempts at its question, and one earlier session."""

    session: Session
    earlier: Session

    @property
    def attempts(self) -> tuple[Attempt, Attempt]:
        first, second = self.session.attempts
        return first, second


def seed(f: Fakes) -> Seeded:
    ref = QuestionRef.from_question(QUESTIONS[0])
    sessions = []
    for tries in (1, 2):
        session = f.store.create(BANKS[0].id, BANKS[0].name, [ref])
        for number in range(1, tries + 1):
            report = make_report(ANSWER, pause_after=5)
            attempt = Attempt(0, number, f"2026-03-1{tries}T09:3{number}:00", None, report)
            session = f.store.add_attempt(session, attempt)
        sessions.append(f.store.finish(session))
    return Seeded(sessions[1], sessions[0])


def feedback(f: Fakes, s: Seeded, **options: Any) -> FeedbackScreen:
    first, second = s.attempts
    return FeedbackScreen(
        f.services, QUESTIONS[0], second, s.session.folder, 0, 1, previous=first, **options
    )


def pick(s: Seeded) -> PickAttemptScreen:
    first, second = s.attempts
    earlier = PastAttempt(s.earlier, s.earlier.attempts[0])
    return PickAttemptScreen(
        [earlier, PastAttempt(s.session, first)], PastAttempt(s.session, second), 1
    )


SCREENS: dict[str, Callable[[Fakes, Seeded], Screen[Any]]] = {
    "home": lambda f, s: HomeScreen(f.services),
    "interview": lambda f, s: InterviewScreen(f.services, BANKS[0], QUESTIONS),
    "feedback": lambda f, s: feedback(f, s, follow_up="And then?", drill_note="Cut at 1:00."),
    "review feedback": lambda f, s: feedback(f, s, review=True),
    "history": lambda f, s: HistoryScreen(f.services),
    "review": lambda f, s: ReviewScreen(f.services, s.session),
    "compare": lambda f, s: CompareScreen(f.services, s.session.questions[0], *s.attempts),
    "pick attempt": lambda f, s: pick(s),
    "progress": lambda f, s: ProgressScreen(f.services),
    "summary": lambda f, s: SummaryScreen(f.services, s.session),
    "settings": lambda f, s: SettingsScreen(f.services.settings, lambda: {"voice": [("A", "a")]}),
    "confirm": lambda f, s: ConfirmScreen(END_SESSION),
    "typed answer": lambda f, s: TypedAnswerScreen(QUESTIONS[0].text),
    "import": lambda f, s: ImportScreen(),
}


async def opened_after(app: App[Any], screen: Screen[Any], turns: int) -> bool:
    """Push ``screen`` and give the event loop ``turns`` turns; whether it is open by then (its
    Mount handled, which follows the mounting of every widget it composed)."""
    app.push_screen(screen)
    for _ in range(turns):
        await asyncio.sleep(0)
    return screen.is_mounted


@pytest.mark.parametrize("name", SCREENS)
@run
async def test_a_screen_popped_as_it_opens_leaves_the_studio_running(
    tmp_path: Path, name: str
) -> None:
    f = all_fakes(tmp_path)
    seeded = seed(f)
    app = make_app(f.services.place, f.services)
    opened: list[bool] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        while opened[-OPEN:] != [True] * OPEN:  # until it was open at the pop a few times
            turns = len(opened)
            assert turns < MOST_TURNS, "the screen never opened"
            opened.append(await opened_after(app, SCREENS[name](f, seeded), turns))
            await app.pop_screen()  # its messages handled, and its widgets removed
            await pilot.pause()
            assert app.is_running and app.screen is home, f"popped after {turns} turns"
    assert opened[0] is False  # popped before it opened, at the first turns


@pytest.mark.parametrize("name", SCREENS)
@run
async def test_the_studio_closed_as_a_screen_opens_closes_cleanly(
    tmp_path: Path, name: str
) -> None:
    f = all_fakes(tmp_path)
    seeded = seed(f)
    opened: list[bool] = []
    while True not in opened:  # every other turn, until it was open at the close
        turns = 2 * len(opened)
        assert turns < MOST_TURNS, "the screen never opened"
        app = make_app(f.services.place, f.services)
        async with app.run_test(size=SIZE):
            while not (isinstance(app.screen, HomeScreen) and app.screen.is_mounted):
                await asyncio.sleep(0)  # Home open (its workers may still be at work)
            opened.append(await opened_after(app, SCREENS[name](f, seeded), turns))
            # leaving run_test closes the studio, and raises what ended it (NoMatches, ...)
    assert opened[0] is False


def studio_classes() -> list[type[Widget]]:
    """The screens and widgets the studio defines."""
    found = []
    for package in (screens, widgets):
        for module in pkgutil.iter_modules(package.__path__):
            loaded = importlib.import_module(f"{package.__name__}.{module.name}")
            found += [
                value
                for value in vars(loaded).values()
                if isinstance(value, type)
                and issubclass(value, Widget)
                and value.__module__ == loaded.__name__
            ]
    return found


def test_the_studio_opens_screens_and_widgets_only_through_opened() -> None:
    """What a screen or widget does as it opens is in ``opened`` (and ``resumed``), which a
    screen being removed skips; a Mount or ScreenResume handler of its own would not."""
    classes = studio_classes()
    assert {HomeScreen, SettingsScreen, PickAttemptScreen, StudioSelect} <= set(classes)
    own = {"on_mount", "_on_mount", "on_screen_resume", "_on_screen_resume"}
    allowed = {Opening, StudioScreen, StudioHeader}  # StudioHeader: see its docstring
    assert [c.__name__ for c in classes if own & set(vars(c)) and c not in allowed] == []
    assert [c.__name__ for c in classes if "opened" in vars(c) and not issubclass(c, Opening)] == []
    resumes = [c for c in classes if "resumed" in vars(c)]
    assert resumes and all(issubclass(c, StudioScreen) for c in resumes)


@run
async def test_the_settings_lists_are_the_studios_select(tmp_path: Path) -> None:
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        kinds = {type(select) for select in app.screen.query(Select)}
        assert kinds == {StudioSelect}
