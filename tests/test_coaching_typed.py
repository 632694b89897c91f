"""Coaching of typed answers (words, no audio), and the flat-voice comparison against the
speaker's earlier answers across sessions."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import TextArea

from practice.analysis.coaching import Brief, coach, coach_typed
from practice.analysis.coaching.voice import EARLIER_KEPT, Pitch, is_flat
from practice.cli import main
from practice.exports import session_html, session_markdown, session_text
from practice.records import Attempt, QuestionRef, Session
from practice.sessions import SessionStore
from practice.tui.app import make_app
from practice.tui.screens.feedback import FeedbackScreen
from tests.sample_reports import make_report
from tests.tui_fakes import fakes, run, settle, text

TYPED_STAR = (
    "At my last job the support queue was always full. My goal was to shorten it. "
    "I maybe wrote help articles and I set up a rota. "
    "As a result the queue went down."
)
QUESTIONS = (QuestionRef("q1", "Tell me about a time.", kind="star"), QuestionRef("q2", "And?"))


def test_a_typed_answer_is_coached_on_its_words_without_the_voice() -> None:
    coaching = coach_typed(TYPED_STAR, Brief("star"))

    assert coaching.structure is not None and coaching.structure.missing == ()
    assert [part.part for part in coaching.structure.parts] == [
        "situation",
        "task",
        "action",
        "result",
    ]
    assert [hedge.text for hedge in coaching.hedges] == ["maybe"]
    assert coaching.result_quantified is False
    assert coaching.headline_rule == "unquantified"
    assert coaching.pitch.range_semitones is None and coaching.pitch.flat is None
    assert coaching.trailing is None


def test_a_typed_question_is_checked_like_a_spoken_one() -> None:
    coaching = coach_typed(
        "I read your post about the move. Do you like the new team?", Brief("asking")
    )
    assert coaching.question is not None
    assert (coaching.question.asked, coaching.question.kind) == (True, "closed")


def test_a_typed_answers_coaching_is_saved_and_reported(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "recordings")
    session = store.create("b", "Bank", QUESTIONS)
    typed = Attempt(
        0,
        1,
        session.started,
        None,
        None,
        typed_text=TYPED_STAR,
        coaching=coach_typed(TYPED_STAR, Brief("star")),
    )
    session = store.add_attempt(session, typed)

    loaded = store.load(session.id)
    coached, written = loaded.attempts[0].coached, typed.coaching
    assert coached is not None and written is not None
    assert coached.to_json() == written.to_json()  # as saved (figures rounded)
    saved = json.loads((loaded.folder / "session.json").read_text("utf-8"))
    assert saved["attempts"][0]["coaching"]["hedges"]["total"] == 1
    for export in (session_text, session_markdown, session_html):
        shown = export(loaded).replace("&#x27;", "'")
        assert "Put a number on the result" in shown, export
        assert "'maybe'" in shown and "'maybe' 0:" not in shown  # no times for typed words


@run
async def test_the_studio_coaches_a_typed_answer(tmp_path: Path) -> None:
    f = fakes(tmp_path)  # no microphone, no model: the answer can only be typed
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one(TextArea).text = TYPED_STAR
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        assert "Put a number on the result" in text(app, "#headline")
        assert app.screen.query("#star-bar")
        coaching = text(app, "#coaching")
        assert "missing: none" in coaching and "'I maybe'" not in coaching
        assert "hedges      1: 'maybe'" in coaching
        assert "pitch" not in coaching
    (attempt,) = f.session().attempts
    assert attempt.report is None and attempt.coaching is not None
    assert attempt.coaching.structure is not None


# The flat-voice comparison across sessions ------------------------------------------------


def _with_pitch(store: SessionStore, session: Session, ranges: list[float]) -> Session:
    """Answer the session's questions, each with coaching that measured the given range."""
    for question, semitones in enumerate(ranges):
        report = make_report("so I led the team through the whole release in the end")
        coaching = replace(coach(report.words), pitch=Pitch(semitones, 120.0, 5.0, False))
        attempt = Attempt(question, 1, session.started, None, replace(report, coaching=coaching))
        session = store.add_attempt(session, attempt)
    return session


def test_earlier_answers_come_from_earlier_sessions_too(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "recordings")
    first = _with_pitch(store, store.create("b", "Bank", QUESTIONS), [10.0, 12.0])
    second = _with_pitch(store, store.create("b", "Bank", QUESTIONS), [11.0])
    current = store.create("other", "Another bank", QUESTIONS)

    assert first.started <= second.started <= current.started
    assert store.earlier_pitch(current) == [11.0, 10.0, 12.0]  # newest session first
    assert store.earlier_pitch(second) == [11.0, 10.0, 12.0]  # its own answers, then older
    assert store.earlier_pitch(first) == [10.0, 12.0]  # a later session is not "earlier"
    assert store.earlier_pitch(current, most=2) == [11.0, 10.0]

    # the index is a cache: rebuilt from the folders, it gives the same answer
    store.index_path.unlink()
    assert SessionStore(tmp_path / "recordings").earlier_pitch(current) == [11.0, 10.0, 12.0]

    # an index row someone wrote by hand is no pitch, never a traceback
    with sqlite3.connect(store.index_path) as db:
        db.execute("UPDATE sessions SET pitch = '[1e999, \"x\", true' WHERE id = ?", (second.id,))
    assert store.earlier_pitch(current) == [10.0, 12.0]

    # a 5-semitone answer is flat against this speaker's usual 11, though not on its own
    assert is_flat(5.0, store.earlier_pitch(current))[0] is True
    assert is_flat(5.0, [])[0] is False


def test_at_most_the_latest_answers_are_kept(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "recordings")
    many = tuple(QuestionRef(f"q{i}", "?") for i in range(EARLIER_KEPT + 5))
    _with_pitch(store, store.create("b", "Bank", many), [8.0] * (EARLIER_KEPT + 5))
    current = store.create("b", "Bank", QUESTIONS)
    assert store.earlier_pitch(current) == [8.0] * EARLIER_KEPT


@pytest.mark.model
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_an_imported_answer_is_held_to_the_speakers_earlier_sessions(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SessionStore(isolated_home / "recordings")
    _with_pitch(store, store.create("b", "Bank", QUESTIONS), [11.0, 12.0])
    _with_pitch(store, store.create("b", "Bank", QUESTIONS), [13.0])
    wav = tmp_path / "answer.wav"
    line = "I was responsible for the release process, and I rebuilt it in two weeks."
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(wav), line], check=True)

    assert main(["import", "--bank", "behavioural-star", "--question", "1", str(wav)]) == 0
    capsys.readouterr()
    newest = store.load(store.history()[0].id)
    (attempt,) = newest.attempts
    assert attempt.report is not None and attempt.report.coaching is not None
    pitch = attempt.report.coaching.pitch
    assert pitch.range_semitones is not None
    assert pitch.compared_with == 12.0  # the median of the three earlier answers
    assert pitch.flat is is_flat(pitch.range_semitones, [11.0, 12.0, 13.0])[0]
