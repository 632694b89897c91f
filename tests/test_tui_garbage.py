"""When the garbage collector may stop the studio (practice/tui/garbage.py): no full pass while an
answer is recorded and analysed."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from practice.tui import garbage
from practice.tui.app import make_app
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.interview import InterviewScreen, Phase
from practice.tui.screens.summary import SummaryScreen
from tests.tui_fakes import FakeRecorder, all_fakes, run, settle, until

SIZE = (80, 24)


@pytest.fixture
def passes() -> Iterator[list[int]]:
    """The generation of every collection while the test runs; full passes allowed after it."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield seen
    finally:
        gc.callbacks.remove(note)
        garbage.allow_full()


def make_old_objects(count: int) -> list[list[object]]:
    """``count`` container objects that live on (young collections move them to the oldest
    generation), made in small steps so that many young collections run meanwhile."""
    kept: list[list[object]] = []
    for _ in range(count):
        kept.append([])
    return kept


def test_full_collections_wait_while_held_and_run_once_allowed(passes: list[int]) -> None:
    gc.collect()
    passes.clear()
    oldest = len(gc.get_objects(generation=2))
    # Python runs a full pass after 10 collections of the middle generation (7,000 objects
    # made) once the objects moved to the oldest generation since the last one reach a quarter
    # of those there: make many more.
    count = oldest + 200_000
    garbage.hold_full()
    assert garbage.holding()
    held = make_old_objects(count)
    assert 1 in passes  # the young generations were collected meanwhile
    assert 2 not in passes
    garbage.allow_full()
    assert not garbage.holding()
    passes.clear()
    more = make_old_objects(count)
    assert 2 in passes
    assert len(held) == len(more) == count


def test_holding_twice_and_allowing_twice_leave_the_thresholds_as_they_were() -> None:
    before = gc.get_threshold()
    garbage.hold_full()
    garbage.hold_full()
    assert gc.get_threshold()[:2] == before[:2]
    assert gc.get_threshold()[2] > 1_000_000
    garbage.allow_full()
    garbage.allow_full()
    assert gc.get_threshold() == before


@run
async def test_the_studio_holds_full_collections_from_recording_to_feedback(
    tmp_path: Path, passes: list[int]
) -> None:
    f = all_fakes(tmp_path, recorder=FakeRecorder(hold=True))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        assert not garbage.holding()
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, InterviewScreen) and app.screen.phase is Phase.RECORDING,
        )
        assert garbage.holding()
        await pilot.press("space")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        await pilot.pause()
        assert not garbage.holding()  # the feedback is on screen
        await pilot.press("enter")  # the next question, recorded at once
        await until(
            pilot,
            lambda: isinstance(app.screen, InterviewScreen) and app.screen.phase is Phase.RECORDING,
        )
        assert garbage.holding()
        await pilot.press("escape", "y")  # end the session while recording
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert not garbage.holding()
