"""Drills chosen on Home: a time-boxed answer with a countdown, and "say it again without the
fillers" with the last answer shown and the comparison afterwards (fake services; typed answers
too). The real audio stack runs them in test_tui_drills_e2e.py."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from practice import sessions
from practice.drills import cut_note
from practice.records import Attempt, QuestionRef
from practice.speech.recorder import StopReason
from practice.tui.app import make_app
from practice.tui.screens.compare import CompareScreen
from practice.tui.screens.dialogs import TypedAnswerScreen
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.interview import InterviewScreen, Phase
from tests.sample_reports import make_report
from tests.test_tui_snapshots import WHEN
from tests.tui_fakes import (
    QUESTIONS,
    FakeRecorder,
    FakeRecording,
    Fakes,
    all_fakes,
    fakes,
    notes,
    run,
    settle,
    text,
    until,
)

SIZES = [(80, 24), (120, 40)]
EARLIER = (
    "so um I think the the main thing was that we, like, disagreed about the release and, "
    "you know, I listened first and then we we agreed on a staged launch. "
) * 6
"""An earlier answer to the first question: 186 words, 74 s at 150 WPM, full of fillers."""


class LimitRecorder(FakeRecorder):
    """Records the fake answer; stops as a real recorder does at its limit when ``cut``."""

    def __init__(self, cut: bool, hold: bool = False) -> None:
        super().__init__(hold=hold)
        self.cut = cut
        self.limits: list[float] = []

    def record(
        self, path: Path, *, stop: threading.Event, max_seconds: float, **rest: object
    ) -> FakeRecording:
        self.limits.append(max_seconds)
        result = super().record(path, stop=stop, max_seconds=max_seconds, **rest)  # type: ignore[arg-type]
        reason = StopReason.MAX_DURATION if self.cut else result.stop_reason
        return FakeRecording(result.duration_s, reason)


def seed_earlier(f: Fakes) -> Attempt:
    session = f.store.create(
        "behavioural", "Behavioural (STAR)", [QuestionRef.from_question(QUESTIONS[0])]
    )
    attempt = Attempt(0, 1, "2026-03-14T09:30:00+01:00", None, make_report(EARLIER))
    f.store.finish(f.store.add_attempt(session, attempt))
    return attempt


def test_cut_note_says_how_much_did_not_fit() -> None:
    fitted = make_report("I led the project and it shipped on time.")
    assert cut_note(fitted, 60, False, None).startswith("Finished in 4 s, inside the 60 s limit")
    cut = make_report("I led the project and then we")
    assert cut_note(cut, 60, True, None) == "Cut at 60 s mid-sentence."
    assert cut_note(cut, 60, True, 80.0) == (
        "Cut at 60 s mid-sentence: about 20 s of your usual 80 s answer (25 %) did not fit."
    )
    assert cut_note(fitted, 60, True, 50.0) == "Cut at 60 s at the end of a sentence."


@run
async def test_timed_drill_counts_down_stops_at_the_limit_and_says_what_was_cut(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder = LimitRecorder(cut=True, hold=True)
    f = all_fakes(tmp_path, recorder=recorder)
    seed_earlier(f)
    app = make_app(f.services.place, f.services)
    shown = notes(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        assert "drill: answer in 60 s" in text(app, "#options")
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "phase", None) is Phase.RECORDING)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert "Timed drill: answer in 1:00" in text(app, "#drill")
        await until(pilot, recorder.started.is_set)
        assert recorder.limits == [60]
        assert "1:00 left" in text(app, "#timer")
        f.clock.now += 52
        await until(pilot, lambda: "0:08 left" in text(app, "#timer"))
        screen.action_stop()  # the fake stops; it reports the limit as a real recorder would
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert (  # under the score, on the feedback screen
            "Cut at 60 s at the end of a sentence: about 14 s of your usual 74 s answer (19 %) "
            "did not fit." in " ".join(text(app, "#drill-note").split())
        )
        messages = [n.message for n in shown]
        assert not any("max_answer_seconds" in note for note in messages)


@run
async def test_timed_drill_answer_that_fits(tmp_path: Path) -> None:
    f = all_fakes(tmp_path, recorder=LimitRecorder(cut=False))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert "Finished in 9 s, inside the 60 s limit (51 s to spare)." in text(app, "#drill-note")


@run
async def test_clean_drill_shows_the_last_fillers_then_compares(tmp_path: Path) -> None:
    f = all_fakes(tmp_path, recorder=FakeRecorder(hold=True))
    earlier = seed_earlier(f)
    assert earlier.report is not None
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x", "x")
        assert "drill: say it again without the fillers" in text(app, "#options")
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "phase", None) is Phase.RECORDING)
        fillers = len(earlier.report.counted_fillers)
        panel = text(app, "#drill")
        assert f"last time {fillers} fillers (highlighted)" in panel and fillers >= 20
        assert "the main thing was that we" in panel
        shown = app.screen.query_one("#drill", Static).render()
        styled = {shown.plain[span.start : span.end] for span in shown.spans}  # type: ignore[union-attr]
        assert {"[um]", "[like,]", "[you know,]"} <= styled  # the fillers, marked and highlighted
        assert isinstance(app.screen, InterviewScreen)
        app.screen.action_stop()
        await settle(pilot)
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        assert compare.before.report is not None
        assert compare.before.report.transcript == earlier.report.transcript
        assert compare.after.report is not None
        assert "billing system" in compare.after.report.transcript
        assert "Fillers" in text(app, "#metrics")
        await pilot.press("escape")
        assert isinstance(app.screen, FeedbackScreen)
        await pilot.press("enter")  # the next question has no earlier answer
        await until(pilot, lambda: getattr(app.screen, "phase", None) is Phase.RECORDING)
        assert "no earlier recorded answer to this question" in text(app, "#drill")


@run
async def test_drills_with_typed_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = fakes(tmp_path)  # no voice, no microphone, no model
    seed_earlier(f)
    app = make_app(f.services.place, f.services)
    shown = notes(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x", "x", "enter")
        await settle(pilot)
        assert "last time" in text(app, "#drill")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TypedAnswerScreen)
        app.screen.query_one(TextArea).text = "We disagreed about the release; I listened first."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert "A typed answer is not compared: say it aloud for the drill." in [
            n.message for n in shown
        ]


@pytest.fixture
def fixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sessions, "_now", lambda: WHEN)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("drill", ["timed", "clean"])
def test_drill_snapshots(
    snap_compare: Callable[..., bool],
    tmp_path: Path,
    fixed: None,
    size: tuple[int, int],
    drill: str,
) -> None:
    recorder = FakeRecorder(hold=True, level=-21.0)
    f = all_fakes(tmp_path, recorder=recorder)
    seed_earlier(f)

    async def recording(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("x", *(["x"] if drill == "clean" else []), "enter")
        await until(pilot, lambda: getattr(pilot.app.screen, "phase", None) is Phase.RECORDING)
        await until(pilot, recorder.started.is_set)
        f.clock.now += 4
        await until(pilot, lambda: "0:" in text(pilot.app, "#timer"))
        await pilot.pause()

    assert snap_compare(
        make_app(f.services.place, f.services), terminal_size=size, run_before=recording
    )
