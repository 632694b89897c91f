"""Pilot tests of reviewing past answers: replaying single moments, comparing attempts."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from practice.analysis.answer import analyze_file
from practice.analysis.scoring import Targets
from practice.records import Attempt, QuestionRef, Session
from practice.tui.app import PracticeApp, make_app
from practice.tui.markup import transcript_markup
from practice.tui.screens.compare import CompareScreen, PickAttemptScreen
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.history import ReviewScreen
from tests.sample_reports import make_report
from tests.tui_fakes import (
    FakePlayer,
    Fakes,
    FakeTranscriber,
    all_fakes,
    notes,
    run,
    settle,
    text,
    until,
    write_answer,
)

SIZE = (100, 30)


def seed(f: Fakes, tries: int = 1) -> Session:
    """A finished session with ``tries`` recorded attempts at one question."""
    session = f.store.create("behavioural", "Behavioural (STAR)", [QuestionRef("q", "Q?")])
    for number in range(1, tries + 1):
        wav = session.folder / f"q1-{number}.wav"
        write_answer(wav)
        report = analyze_file(wav, FakeTranscriber(), Targets(target_seconds=60.0))
        attempt = Attempt(0, number, "2026-03-14T09:30:00", wav.name, report)
        session = f.store.add_attempt(session, attempt)
    f.store.finish(session)
    return session


async def open_answer(app: PracticeApp, pilot: Pilot[None]) -> FeedbackScreen:
    """From Home: History, the session's Review, then the first answer's feedback."""
    await pilot.press("h")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, ReviewScreen)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, FeedbackScreen)
    return app.screen


@run
async def test_review_steps_through_fillers_and_pauses_and_plays_each(tmp_path: Path) -> None:
    f = all_fakes(tmp_path)
    session = seed(f)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        feedback = await open_answer(app, pilot)
        labels = [moment.label for moment in feedback.moments]
        assert labels == ["so", "um", "pause 1.8 s", "like"]  # time order
        assert text(app, "#moment").startswith("4 moments to replay")
        titles = {command.title for command in app.get_system_commands(feedback)}
        assert "Next moment" in titles and "Play moment" not in titles  # nothing selected yet
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert text(app, "#moment").startswith("Moment 2 of 4: um at 0:02")
        await pilot.press("m")
        await settle(pilot)
        assert f.player is not None
        wav = session.folder / "q1-1.wav"
        um = feedback.moments[1]
        assert f.player.played == [wav]
        assert f.player.spans == [(um.start - 1.0, um.end + 1.0)]
        await pilot.press("right_square_bracket", "m")
        await settle(pilot)
        assert text(app, "#moment").startswith("Moment 3 of 4: pause 1.8 s at 0:04")
        assert f.player.spans[-1] == (2.5, 6.3)
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        assert text(app, "#moment").startswith("Moment 4 of 4: like")  # wraps around
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        assert text(app, "#moment").startswith("Moment 1 of 4: so")
        await pilot.press("m")
        await settle(pilot)
        assert f.player.spans[-1] == (0.0, feedback.moments[0].end + 1.0)  # not before 0 s


@run
async def test_a_moment_playing_is_stopped_with_p(tmp_path: Path) -> None:
    player = FakePlayer(hold=True)
    f = all_fakes(tmp_path, player=player)
    seed(f)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        feedback = await open_answer(app, pilot)
        await pilot.press("right_square_bracket", "m")
        await until(pilot, player.started.is_set)
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(feedback)}
        assert "Stop playing" in titles and not {"Play", "Play moment"} & titles
        await pilot.press("p")
        await settle(pilot)
        assert player.stopped == 1
        titles = {command.title for command in app.get_system_commands(feedback)}
        assert {"Play", "Play moment"} <= titles


@run
async def test_a_missing_recording_is_reported_instead_of_played(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = all_fakes(tmp_path)
    session = seed(f)
    (session.folder / "q1-1.wav").unlink()
    app = make_app(f.services.place, f.services)
    shown = notes(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_answer(app, pilot)
        assert "billing system" in text(app, "#transcript")
        await pilot.press("right_square_bracket", "m")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert f.player is not None and f.player.played == []
        messages = [note.message for note in shown]
        assert len(messages) == 2 and all(
            n.startswith("The recording is missing: ") for n in messages
        )


def test_the_selected_moment_is_the_one_marker_reversed(tmp_path: Path) -> None:
    wav = tmp_path / "a.wav"
    write_answer(wav)
    report = analyze_file(wav, FakeTranscriber(), Targets())
    marked = transcript_markup(report.marked_transcript(), (3.5, 5.3))
    assert marked.count("reverse") == 1
    assert "[$text-accent reverse]⏸1.8s[/]" in marked


@run
async def test_review_compares_two_attempts_at_the_same_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = all_fakes(tmp_path)
    questions = [QuestionRef("q", "Describe a project you led."), QuestionRef("r", "Why us?")]
    session = f.store.create("behavioural", "Behavioural (STAR)", questions)
    wav = session.folder / "q1-1.wav"
    write_answer(wav)
    first = analyze_file(wav, FakeTranscriber(), Targets(target_seconds=60.0))
    second = make_report(
        "So I led a project to rebuild our whole billing system from scratch. "
        "We cut our costs by a fifth, and I learned to delegate well to the team."
    )
    for question, number, report in ((0, 1, first), (0, 2, second), (1, 1, second)):
        attempt = Attempt(question, number, "2026-03-14T09:30:00", None, report)
        session = f.store.add_attempt(session, attempt)
    f.store.finish(session)
    app = make_app(f.services.place, f.services)
    shown = notes(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        titles = {command.title for command in app.get_system_commands(review)}
        assert "Compare attempts" in titles
        await pilot.press("down", "down")  # the only attempt at the second question
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is review
        messages = [note.message for note in shown]
        assert messages == ["There is no other analysed attempt at this question yet."]
        await pilot.press("up", "c")  # attempt 2: attempt 1, the one before it, is offered
        await settle(pilot)
        assert isinstance(app.screen, PickAttemptScreen)
        await pilot.press("enter")
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        assert (compare.before.number, compare.after.number) == (1, 2)
        assert text(app, "#compare-title").startswith("Attempt 1 → attempt 2")
        lines = text(app, "#metrics").splitlines()
        assert [line.split()[0] for line in lines] == [
            "Score",
            "Pace",
            "Fillers",
            "Long",
            "Length",
            "Articulation",
        ]
        assert first.score is not None and second.score is not None
        assert lines[0] == f"Score        {first.score:>7} → {second.score:<7}" + (
            f"{second.score - first.score:+d}"
        )
        assert lines[3].startswith("Long pauses        1 → 0      -1")
        diff = text(app, "#diff")
        assert "um," in diff and "whole" in diff and "delegate" in diff
        markup = str(compare.query_one("#diff", Static).content)
        assert "[$text-success on $success-muted]whole[/]" in markup
        assert "[$text-error on $error-muted strike]um,[/]" in markup
        await pilot.press("escape")
        assert app.screen is review
