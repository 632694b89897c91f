"""Pilot tests of what the feedback adds for a new user: each part's points, the question's tip,
the interviewer's follow-up (``f``), the change since the last attempt, answers typed at any
time, and answers too short to score."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
from textual.widgets import DataTable, TextArea

from practice.analysis.transcript import DecodeOptions, Transcript
from practice.records import Attempt, QuestionRef
from practice.text import points_text
from practice.tui.app import PracticeApp, make_app
from practice.tui.screens.dialogs import TypedAnswerScreen
from practice.tui.screens.feedback import FeedbackScreen, change_line
from practice.tui.screens.history import ReviewScreen
from practice.tui.screens.interview import Phase
from practice.tui.screens.summary import SummaryScreen
from tests.sample_reports import make_report
from tests.tui_fakes import (
    QUESTIONS,
    FakeRecorder,
    FakeTranscriber,
    all_fakes,
    answer_words,
    run,
    settle,
    text,
    until,
)

SIZE = (80, 24)


def feedback(app: PracticeApp) -> FeedbackScreen:
    assert isinstance(app.screen, FeedbackScreen), app.screen
    return app.screen


@run
async def test_feedback_shows_the_points_the_tip_and_the_follow_up_that_f_asks(
    tmp_path: Path,
) -> None:
    f = all_fakes(tmp_path)
    first = QUESTIONS[0]
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        screen = feedback(app)
        assert screen.sub_title == "Behavioural (STAR)"  # the header still names the bank
        report = screen.attempt.report
        assert report is not None and report.score is not None
        notes = text(app, "#notes").splitlines()
        assert [line.split()[0] for line in notes] == [part.name for part in report.parts]
        for line, part in zip(notes, report.parts, strict=True):
            assert f" {points_text(part.points, part.max_points)} " in line
        assert first.tips is not None and text(app, "#tip") == first.tips
        assert first.follow_ups[0] in text(app, "#follow-up")
        await pilot.press("f")
        await settle(pilot)
        # The follow-up is asked aloud next, as question 2 of 4, and offers the one after it.
        assert f.voice is not None and f.voice.spoken[-1] == first.follow_ups[0]
        screen = feedback(app)
        assert "Question 2 of 4" in text(app, "#feedback-title")
        assert first.follow_ups[0] in text(app, "#feedback-title")
        assert first.follow_ups[1] in text(app, "#follow-up")
        await pilot.press("enter")  # on to the bank's own second question
        await settle(pilot)
        assert "Question 3 of 4" in text(app, "#feedback-title")
        assert QUESTIONS[1].text in text(app, "#feedback-title")
        assert not app.screen.query("#follow-up")  # it has no follow-ups
    session = f.session()
    assert [q.text for q in session.questions] == [
        first.text,
        first.follow_ups[0],
        QUESTIONS[1].text,
        QUESTIONS[2].text,
    ]
    assert session.questions[0].tips == first.tips
    assert [(a.question, a.number) for a in session.attempts] == [(0, 1), (1, 1), (2, 1)]


class BetterSecondTime(FakeTranscriber):
    """Hears the fake answer with its fillers the first time, and without them afterwards."""

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        self.calls += 1
        words = answer_words()
        if self.calls > 1:
            cleaner = {"um,": "then,", "like,": "then,", "So": "Then"}
            words = tuple(replace(word, text=cleaner.get(word.text, word.text)) for word in words)
        return Transcript(words)


@run
async def test_after_a_retry_the_feedback_says_what_changed(tmp_path: Path) -> None:
    f = all_fakes(tmp_path, transcriber=BetterSecondTime())
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        before = feedback(app).attempt.report
        assert not app.screen.query("#change")  # a first attempt has nothing to compare
        await pilot.press("r")
        await settle(pilot)
        after = feedback(app).attempt.report
        assert before is not None and after is not None
        assert before.score is not None and after.score is not None
        assert after.score > before.score
        change = text(app, "#change")
        assert change.startswith("Since attempt 1: ")
        assert f"score {before.score} → {after.score}" in change
        assert f"fillers {before.fillers_per_minute:.1f} → 0.0/min" in change


def test_the_change_line_names_what_moved_as_it_is_shown() -> None:
    filler = "so um I led the team and um we shipped the new billing system in May "
    clean = "I led the team and we shipped the new billing system in May on time "
    first = Attempt(0, 1, "2026-03-14T09:30:00", None, make_report(filler * 2))
    second = Attempt(0, 2, "2026-03-14T09:31:00", None, make_report(clean * 2))
    line = change_line(first, second)
    assert line is not None and line.startswith("Since attempt 1: ")
    assert "fillers" in line and "[$text-success]" in line  # fewer fillers is better
    assert change_line(first, first) == "Since attempt 1: the same numbers"
    silent = Attempt(0, 3, "2026-03-14T09:32:00", None, None, typed_text="typed")
    assert change_line(first, silent) is None


@run
async def test_t_while_recording_sets_the_take_aside_and_types_the_answer(
    tmp_path: Path,
) -> None:
    f = all_fakes(tmp_path, recorder=FakeRecorder(hold=True))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "phase", None) is Phase.RECORDING)
        assert f.recorder is not None
        await until(pilot, f.recorder.started.is_set)
        assert "t types instead" in text(app, "#status")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TypedAnswerScreen))
        app.screen.query_one(TextArea).text = "I listened first, then we agreed on a plan."
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = feedback(app)
        assert screen.attempt.typed_text is not None
        await pilot.press("escape", "y")
        await settle(pilot)
    session = f.session()
    (attempt,) = session.attempts  # the set-aside recording is not an answer
    assert attempt.typed_text == "I listened first, then we agreed on a plan."
    assert attempt.number == 2
    assert (session.folder / "q01-a1.wav").is_file()  # its WAV stays in the folder


@run
async def test_typing_from_the_feedback_answers_the_question_again(tmp_path: Path) -> None:
    f = all_fakes(tmp_path)
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        feedback(app)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TypedAnswerScreen))
        app.screen.query_one(TextArea).text = "A typed second attempt."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "attempt 2" in text(app, "#feedback-title")
    assert [a.typed_text for a in f.session().attempts] == [None, "A typed second attempt."]


@run
async def test_an_answer_too_short_to_score_says_so_everywhere(tmp_path: Path) -> None:
    f = all_fakes(tmp_path)
    questions = [QuestionRef("q", "Why us?", answer_seconds=90), QuestionRef("r", "And?")]
    session = f.store.create("behavioural", "Behavioural (STAR)", questions)
    short = make_report("You.")
    full = make_report("I led the billing project and it went well for the whole team " * 2)
    for question, report in ((0, short), (1, full)):
        attempt = Attempt(question, 1, "2026-03-14T09:30:00", None, report)
        session = f.store.add_attempt(session, attempt)
    f.store.finish(session)
    assert session.score == full.score  # the short answer does not count
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one("#attempts", DataTable)
        assert table.get_row_at(0)[2] == "short"
        await pilot.press("enter")
        await settle(pilot)
        assert "Too short to score (0 s, 1 word)" in text(app, "#feedback-title")
        assert "–/30" in text(app, "#notes")


@run
async def test_the_summary_shows_whole_questions_and_which_score_it_lists(
    tmp_path: Path,
) -> None:
    f = all_fakes(tmp_path, recorder=FakeRecorder(hold=True))
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "phase", None) is Phase.RECORDING)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("enter")  # on to question 2, which is skipped
        await until(pilot, lambda: getattr(app.screen, "phase", None) is Phase.RECORDING)
        await pilot.press("n")
        await until(pilot, lambda: getattr(app.screen, "index", 0) == 2)
        await pilot.press("escape", "y")  # question 3 is never reached
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        table = app.screen.query_one("#answers", DataTable)
        assert table.get_row_at(0)[1] == QUESTIONS[0].text  # 69 characters, not cut at 40
        assert [table.get_row_at(row)[2] for row in range(3)] == ["1", "skipped", "—"]
        assert "Last score" in [str(column.label) for column in table.columns.values()]
        await settle(pilot)  # the session is saved
        await pilot.press("r")  # its answers can be opened from here
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert QUESTIONS[0].text in text(app, "#feedback-title")
