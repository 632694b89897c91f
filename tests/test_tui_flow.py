"""Pilot tests of the rehearsal flow with fake voice, recorder, player and transcriber."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from textual.command import CommandList
from textual.widgets import Checkbox, DataTable, Input, Select, TextArea

from practice.analysis.answer import analyze_file
from practice.analysis.scoring import Targets
from practice.records import Attempt, QuestionRef
from practice.sessions import SessionStore
from practice.settings import Settings, load_settings
from practice.tui.app import PracticeApp, make_app
from practice.tui.screens.dialogs import ConfirmScreen, ImportScreen, TypedAnswerScreen
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.history import HistoryScreen, ReviewScreen
from practice.tui.screens.home import HomeScreen
from practice.tui.screens.interview import InterviewScreen, Phase
from practice.tui.screens.settings import SettingsScreen
from practice.tui.screens.summary import SummaryScreen
from practice.tui.services import Start
from tests.tui_fakes import (
    FakeRecorder,
    FakeTranscriber,
    FakeVoice,
    all_fakes,
    fakes,
    notes,
    run,
    settle,
    text,
    until,
    write_answer,
)

SIZE = (80, 24)


def interview(app: PracticeApp) -> InterviewScreen:
    assert isinstance(app.screen, InterviewScreen), app.screen
    return app.screen


@run
async def test_a_whole_bank_rehearsed_with_every_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    shown = notes(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        for number in range(1, 4):
            await settle(pilot)
            assert isinstance(app.screen, FeedbackScreen)
            assert f"Question {number} of 3, attempt 1" in text(app, "#feedback-title")
            assert "billing system" in text(app, "#transcript")
            screen = app.screen
            assert screen.attempt.report is not None
            assert f"{screen.attempt.report.pace.wpm:.0f} wpm" in text(app, "#numbers")
            await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert "Session score" in text(app, "#session-score")
        assert "3 of 3 questions answered" in text(app, "#session-score")
        files = text(app, "#files")
        assert str(f.session().folder) in files
        assert f"practice show {f.session().id}" in files
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert [n.message for n in shown] == []  # no worker failed
    assert f.voice is not None and len(f.voice.spoken) == 3
    session = f.session()
    assert session.finished is not None
    assert [(a.question, a.number) for a in session.attempts] == [(0, 1), (1, 1), (2, 1)]
    for attempt in session.attempts:
        assert attempt.audio is not None and (session.folder / attempt.audio).is_file()
        assert attempt.report is not None and attempt.report.words
        # The recording started as the question ended; the first word came 0.5 s in.
        assert attempt.latency_s == 0.5


@run
async def test_speaking_can_be_skipped_and_recording_starts_by_itself(tmp_path: Path) -> None:
    f = all_fakes(tmp_path, voice=FakeVoice(hold=True), recorder=FakeRecorder(hold=True))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: interview(app).phase is Phase.SPEAKING)
        assert "asking" in text(app, "#status")
        assert f.voice is not None and f.voice.spoken
        await pilot.press("s")
        await until(pilot, lambda: interview(app).phase is Phase.RECORDING)
        assert f.voice.cancelled == 1
        assert "0:00 / 1:30" in text(app, "#timer")
        await pilot.press("space")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)


@run
async def test_level_meter_timer_and_silence_hint(tmp_path: Path) -> None:
    f = all_fakes(tmp_path, recorder=FakeRecorder(hold=True, level=-30.0))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: interview(app).phase is Phase.RECORDING)
        assert f.recorder is not None
        await until(pilot, f.recorder.started.is_set)
        f.clock.now += 3
        await until(pilot, lambda: "0:03 / 1:30" in text(app, "#timer"))
        assert "-30 dB" in str(app.screen.query_one("#meter").render())
        assert text(app, "#hint") == ""
        f.clock.now += 3  # nothing louder than -45 dBFS for 6 s
        await until(pilot, lambda: "Nothing heard" in text(app, "#hint"))
        f.clock.now += 90
        await until(pilot, lambda: "over the target" in text(app, "#timer"))
        await pilot.press("space")
        await settle(pilot)


@run
async def test_space_starts_recording_when_auto_record_is_off(tmp_path: Path) -> None:
    f = all_fakes(tmp_path, recorder=FakeRecorder(hold=True), settings=Settings(auto_record=False))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert interview(app).phase is Phase.READY
        assert "Press Space" in text(app, "#status")
        assert f.recorder is not None and not f.recorder.paths
        await pilot.press("space")
        await until(pilot, lambda: interview(app).phase is Phase.RECORDING)
        await pilot.press("space")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)


@run
async def test_restart_keeps_the_earlier_recording(tmp_path: Path) -> None:
    f = all_fakes(tmp_path, recorder=FakeRecorder(hold=True))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: interview(app).phase is Phase.RECORDING)
        await pilot.press("r")
        assert f.recorder is not None
        await until(pilot, lambda: len(f.recorder.paths) == 2)  # type: ignore[union-attr]
        await pilot.press("space")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert "attempt 2" in text(app, "#feedback-title")
    first, second = f.recorder.paths
    assert first.name == "q01-a1.wav" and first.is_file()
    assert second.name == "q01-a2.wav" and second.is_file()
    assert [attempt.number for attempt in f.session().attempts] == [2]


@run
async def test_skipping_questions_and_ending_after_confirming(tmp_path: Path) -> None:
    f = all_fakes(tmp_path, recorder=FakeRecorder(hold=True))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: interview(app).phase is Phase.RECORDING)
        await pilot.press("n")
        await until(pilot, lambda: interview(app).index == 1)
        assert "Question 2 of 3" in text(app, "#progress")
        await until(pilot, lambda: interview(app).phase is Phase.RECORDING)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert interview(app).phase is Phase.RECORDING
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, "recorder")
        assert isinstance(app.screen, SummaryScreen)
        assert "0 of 3 questions answered" in text(app, "#session-score")
    session = f.session()
    assert session.attempts == () and session.finished is not None
    assert f.recorder is not None and all(path.is_file() for path in f.recorder.paths)


@run
async def test_retry_keeps_both_attempts_and_play_plays_the_answer(tmp_path: Path) -> None:
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert f.player is not None and f.player.played == [f.recorder.paths[0]]  # type: ignore[union-attr]
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert "Question 1 of 3, attempt 2" in text(app, "#feedback-title")
    assert [(a.question, a.number) for a in f.session().attempts] == [(0, 1), (0, 2)]
    assert f.voice is not None and len(f.voice.spoken) == 1  # a retry is not asked again


@run
async def test_typed_answer_ticks_the_talking_points_it_mentions(tmp_path: Path) -> None:
    f = fakes(tmp_path)  # no voice, no microphone, no model
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert "no microphone" in text(app, "#missing")
        assert interview(app).check_action("record", ()) is False
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TypedAnswerScreen)
        await pilot.press("ctrl+s")
        assert "empty" in text(app, "#typed-error")
        app.screen.query_one(TextArea).text = (
            "We had a real disagreement about the release date. I kept calm, "
            "and the outcome was a staged launch; I learned to ask earlier."
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        title = str(app.screen.query(".section-title").first().render())
        assert "Typed answer (24 words)" in title
        points = text(app, "#points")
        assert "✓ the disagreement itself" in points
        assert "✓ the outcome and what you learned" in points
        assert "· how you listened" in points
    (attempt,) = f.session().attempts
    assert attempt.typed_text is not None and attempt.typed_text.startswith("We had")
    assert attempt.report is None and attempt.audio is None


@run
async def test_importing_a_recording_as_the_answer(tmp_path: Path) -> None:
    wav = tmp_path / "elsewhere" / "answer.wav"
    write_answer(wav)
    f = fakes(tmp_path, transcriber=FakeTranscriber())  # no microphone
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one(Input).value = str(tmp_path / "missing.wav")
        await pilot.press("enter")
        assert "no such file" in text(app, "#import-error")
        app.screen.query_one(Input).value = str(wav)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert "billing system" in text(app, "#transcript")
        assert "Latency" not in text(app, "#numbers")  # not recorded live: no latency
    session = f.session()
    (attempt,) = session.attempts
    assert attempt.audio == "q01-a1-imported.wav" and (session.folder / attempt.audio).is_file()
    assert attempt.report is not None and attempt.latency_s is None


@run
async def test_a_failing_model_is_reported_and_the_answer_can_be_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = all_fakes(tmp_path, transcriber=FakeTranscriber(fail=True))
    app = make_app(f.services.place, f.services)
    shown = notes(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert interview(app).phase is Phase.READY
        messages = [n.message for n in shown]
        assert messages == ["RuntimeError: the fake model fell over"]
        assert interview(app).check_action("type_answer", ()) is True
    assert f.recorder is not None and f.recorder.paths[0].is_file()


@run
async def test_without_a_model_answers_are_saved_unanalysed(tmp_path: Path) -> None:
    f = all_fakes(tmp_path, transcriber=None)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert "No speech model" in str(app.screen.query_one(".notice").render())


@run
async def test_home_start_options(tmp_path: Path) -> None:
    f = all_fakes(tmp_path, notices=("bad.toml:3: questions[1].text: must not be empty",))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert "bad.toml:3" in text(app, "#notices")
        assert "No sessions yet" in text(app, "#recent")
        await pilot.press("o")
        assert "shuffled" in text(app, "#options")
        await pilot.press("o")
        assert "3 at random" in text(app, "#options")  # 5 by default; the bank has 3
        await pilot.press("plus")
        assert "3 at random" in text(app, "#options")
        await pilot.press("minus")
        assert "2 at random" in text(app, "#options")
        assert home.start_options() == Start("behavioural", order="random", count=2)
        await pilot.press("o")
        assert "one category: leadership" in text(app, "#options")
        await pilot.press("c")
        assert "one category: motivation" in text(app, "#options")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert "Question 1 of 1" in text(app, "#feedback-title")
        assert "Why do you want to work here?" in text(app, "#feedback-title")


def seed_past_session(store: SessionStore, target_seconds: float) -> int:
    """A finished session on the behavioural bank, dated in the past; returns its score."""
    wav = store.root.parent / "past.wav"
    write_answer(wav)
    report = analyze_file(wav, FakeTranscriber(), Targets(target_seconds=target_seconds))
    session = store.create("behavioural", "Behavioural (STAR)", [QuestionRef("q", "Q?")])
    session = store.add_attempt(session, Attempt(0, 1, "2026-03-14T09:30:00", None, report))
    store.finish(session)
    path = session.folder / "session.json"
    data = json.loads(path.read_text())
    data["started"] = "2026-03-14T09:30:00+00:00"
    path.write_text(json.dumps(data))
    assert report.score is not None
    return report.score


@run
async def test_recent_sessions_and_the_change_since_the_last_one(tmp_path: Path) -> None:
    f = all_fakes(tmp_path)
    before = seed_past_session(f.store, target_seconds=10)
    app = make_app(f.services.place, f.services, Start("behavioural", count=1))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)  # rehearse --bank opens the session
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        now = f.session_on("behavioural", latest=True).score
        assert now is not None and before > now
        change = f"{now - before:+d} since the last session on this bank ({before})"
        assert change in text(app, "#session-score")
        await pilot.press("enter")
        await settle(pilot)
        recent = text(app, "#recent").splitlines()
        assert len(recent) == 2
        assert recent[1] == f"2026-03-14 09:30   {before}/100  Behavioural (STAR)"


@run
async def test_every_key_is_in_the_command_palette(tmp_path: Path) -> None:
    f = all_fakes(tmp_path, recorder=FakeRecorder(hold=True))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: interview(app).phase is Phase.RECORDING)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Stop", "Restart", "Skip question", "End"} <= set(titles)
        assert "Record" not in titles  # not offered while recording
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Skip question")
        await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
        await until(pilot, lambda: interview(app).index == 1)


@run
async def test_ending_while_analysing_stops_the_analysis_and_shows_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = all_fakes(tmp_path, transcriber=FakeTranscriber(hold=True))
    app = make_app(f.services.place, f.services)
    shown = notes(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: interview(app).phase is Phase.ANALYSING)
        assert app.screen.query_one("#analysing").display
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert "0 of 3 questions answered" in text(app, "#session-score")
        assert not [note for note in shown if note.severity == "error"]  # a cancel is no error
    assert f.session().finished is not None
    assert f.recorder is not None and f.recorder.paths[0].is_file()


@run
async def test_a_missing_microphone_found_at_start_is_said_and_typing_offered(
    tmp_path: Path,
) -> None:
    f = all_fakes(tmp_path)
    services = replace(
        f.services, probe=lambda: {"microphone": "no audio input device found"}, absent={}
    )
    app = make_app(services.place, services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notices = text(app, "#notices")
        assert "microphone: no audio input device found" in notices
        assert "type answers (t)" in notices
        await pilot.press("enter")
        await settle(pilot)
        assert interview(app).phase is Phase.READY
        assert "Type your answer with t" in text(app, "#status")
        assert "no microphone" in text(app, "#missing")
        assert interview(app).check_action("record", ()) is False
    assert f.recorder is not None and f.recorder.paths == []


@run
async def test_settings_are_edited_checked_and_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = all_fakes(tmp_path)
    mics = [("USB mic", "USB mic"), ("Laptop mic", "Laptop mic")]
    services = replace(f.services, choices=lambda: {"input_device": mics})
    app = make_app(services.place, services)
    shown = notes(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        field = app.screen.query_one("#silence_stop_seconds", Input)
        field.value = "soon"
        await pilot.press("ctrl+s")
        assert text(app, "#settings-error") == (
            "Stop after silence, s (0: never): a number, not 'soon'"
        )
        field.value = "2.5"
        app.screen.query_one("#pace_high", Input).value = "100"
        await pilot.press("ctrl+s")
        assert "pace_low (120) must be below pace_high (100)" in text(app, "#settings-error")
        app.screen.query_one("#pace_high", Input).value = "150"
        app.screen.query_one("#auto_record", Checkbox).value = False
        await settle(pilot)  # the microphones are listed by a worker
        mic: Select[str] = app.screen.query_one("#input_device", Select)
        assert [option[0] for option in mic._options][1:] == ["USB mic", "Laptop mic"]
        mic.value = "USB mic"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Pace band    120–150 wpm" in text(app, "#folders")
        (note,) = [n.message for n in shown]
        assert note.endswith("input_device applies when practice next starts")
        await pilot.press("enter")  # the new settings hold for the next session
        await settle(pilot)
        assert interview(app).phase is Phase.READY  # no auto-record any more
    saved = load_settings(f.services.place)
    assert saved == Settings(
        silence_stop_seconds=2.5, pace_high=150, auto_record=False, input_device="USB mic"
    )


@run
async def test_keep_audio_changed_in_settings_applies_to_the_next_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    shown = notes(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f.store.keep_audio
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#keep_audio", Checkbox).value = False
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not f.store.keep_audio
        (note,) = [n.message for n in shown]
        assert "apply when practice next starts" not in note


@run
async def test_a_session_ended_before_any_answer_is_not_kept(tmp_path: Path) -> None:
    f = all_fakes(tmp_path, voice=FakeVoice(hold=True))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: interview(app).phase is Phase.SPEAKING)
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert text(app, "#files") == "Nothing was recorded, so nothing was kept."
    assert f.store.history() == []


@run
async def test_history_and_review_are_reached_from_home(tmp_path: Path) -> None:
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services, Start("behavioural", count=2))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(2):
            await settle(pilot)
            await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # the summary, then Home
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        sessions = app.screen.query_one("#sessions", DataTable)
        assert sessions.row_count == 1
        assert "Behavioural (STAR)" in str(sessions.get_row_at(0)[1])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one("#attempts", DataTable).row_count == 2
        await pilot.press("down", "enter")
        await settle(pilot)
        feedback = app.screen
        assert isinstance(feedback, FeedbackScreen) and feedback.review
        assert "Question 2 of 2, attempt 1" in text(app, "#feedback-title")
        titles = {command.title for command in app.get_system_commands(feedback)}
        assert {"Back", "Play"} <= titles and not {"Next", "Try again"} & titles
        await pilot.press("p")
        await settle(pilot)
        assert f.player is not None and f.recorder is not None
        assert f.player.played == [f.recorder.paths[1]]
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HomeScreen)
