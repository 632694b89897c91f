"""The drills in the studio with the real services on the private PulseAudio devices: a
synthesised answer is played into the virtual microphone, the real recorder, model and store do
the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from practice import workspace
from practice.banks import load_bank
from practice.drills import Drill
from practice.records import Attempt, QuestionRef
from practice.sessions import SessionStore
from practice.settings import Settings, save_settings
from practice.speech.voice import Voice
from practice.tui.app import make_app
from practice.tui.screens.compare import CompareScreen
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.home import HomeScreen
from practice.tui.screens.interview import InterviewScreen, Phase
from tests.pulse import PrivatePulse
from tests.sample_reports import make_report
from tests.test_tui_e2e import ANSWER, BANK, feedback_shown, wait_for
from tests.tui_fakes import notes, run

pytestmark = [pytest.mark.audio, pytest.mark.model, pytest.mark.slow]

EARLIER = (
    "Um, so, in my last job I, like, led a small team that, uh, rebuilt our billing system. "
    "You know, we moved it to a new database in, um, three months."
)


def _workspace(home: Path) -> None:
    (home / "question_banks" / "e2e.toml").write_text(BANK, encoding="utf-8")
    save_settings(workspace.resolve(), Settings(silence_stop_seconds=2.0))


@run
async def test_timed_drill_stops_the_real_recording_at_the_limit(
    isolated_home: Path, pulse: PrivatePulse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _workspace(isolated_home)
    place = workspace.resolve()
    answer = Voice(tmp_path / "voice", natural=True).synthesize(ANSWER)  # about 10 s
    app = make_app(place)
    shown = notes(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), 10)
        services = app.services
        bank = services.bank("e2e")
        app.push_screen(InterviewScreen(services, bank, bank.questions, Drill("timed", 6)))
        await wait_for(pilot, lambda: getattr(app.screen, "phase", None) is Phase.RECORDING, 30)
        assert "left" in str(app.screen.query_one("#timer").render())
        await pilot.pause(2.5)  # the null sink's monitor starts late (see test_tui_e2e)
        player = pulse.play_into_mic(answer)
        await wait_for(pilot, lambda: feedback_shown(app), 90)  # composed: its note to read
        player.wait(timeout=20)
        feedback = app.screen
        assert isinstance(feedback, FeedbackScreen)
        assert str(feedback.query_one("#drill-note").render()).startswith("Cut at 6 s")
        messages = [n.message for n in shown]
        assert not any("max_answer_seconds" in note for note in messages)
        report = feedback.attempt.report
        assert report is not None and 2 < report.duration_s <= 6.5
        assert "billing" in report.transcript or "team" in report.transcript


@run
async def test_clean_drill_shows_the_last_answer_and_compares_the_new_one(
    isolated_home: Path, pulse: PrivatePulse, tmp_path: Path
) -> None:
    _workspace(isolated_home)
    place = workspace.resolve()
    store = SessionStore(place.recordings_dir)
    earlier = make_report(EARLIER)
    (asked,) = load_bank(isolated_home / "question_banks" / "e2e.toml").questions
    question = QuestionRef.from_question(asked)
    session = store.create("e2e", "End to end", [question])
    store.finish(store.add_attempt(session, Attempt(0, 1, session.started, None, earlier)))
    answer = Voice(tmp_path / "voice", natural=True).synthesize(ANSWER)
    app = make_app(place)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), 10)
        table = app.screen.query_one("#banks", DataTable)
        await wait_for(pilot, lambda: table.has_focus, 10)
        table.move_cursor(row=[bank.id for bank in app.services.banks].index("e2e"))
        await pilot.press("x", "x", "enter")
        await wait_for(pilot, lambda: getattr(app.screen, "phase", None) is Phase.RECORDING, 30)
        panel = str(app.screen.query_one("#drill").render())
        fillers = len(earlier.counted_fillers)
        assert f"last time {fillers} fillers" in panel and "billing system" in panel
        await pilot.pause(2.5)
        player = pulse.play_into_mic(answer)
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen), 90)
        player.wait(timeout=20)
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        assert compare.after.report is not None and "database" in compare.after.report.transcript
        fillers_row = next(m for m in compare.comparison.metrics if m.name.startswith("Fillers"))
        assert fillers_row.after < fillers_row.before
        await pilot.press("escape")
        assert isinstance(app.screen, FeedbackScreen)
