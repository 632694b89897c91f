"""The session store: round trips, privacy, history and its index, damage, interrupted saves."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from practice.records import SCHEMA_VERSION, Attempt, QuestionRef, Session
from practice.sessions import SessionError, SessionStore
from tests.sample_reports import make_report

QUESTIONS = (
    QuestionRef(
        "conflict", "Tell me about a conflict.", "behavioural", 90, ("situation", "result")
    ),
    QuestionRef("why-us", "Why do you want to work here?"),
)
NOW = "2026-11-25T21:40:03+00:00"


def _store(root: Path, **options: Any) -> SessionStore:
    return SessionStore(root / "recordings", **options)


def _recorded(
    store: SessionStore, session: Session, question: int, text: str, number: int = 1
) -> Session:
    audio = store.audio_path(session, question, number)
    audio.write_bytes(b"RIFF fake wav")
    report = make_report(text, pause_after=2, file=str(audio))
    attempt = Attempt(question, number, NOW, audio.name, report, latency_s=1.25)
    return store.add_attempt(session, attempt)


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_a_session_round_trips_through_its_folder(tmp_path: Path) -> None:
    store = _store(tmp_path)
    session = store.create("behavioural", "Behavioural", QUESTIONS)
    session = _recorded(store, session, 0, "so um I led the team through it")
    typed = Attempt(1, 1, NOW, None, None, typed_text="Because <you> & I fit.")
    session = store.finish(store.add_attempt(session, typed))

    loaded = SessionStore(tmp_path / "recordings").load(session.id)

    assert loaded == session
    assert loaded.questions == QUESTIONS
    first = loaded.attempts[0].report
    assert first is not None and session.attempts[0].report is not None
    assert first.to_json() == session.attempts[0].report.to_json()
    assert loaded.attempts[1].typed_text == "Because <you> & I fit."
    assert loaded.finished is not None
    data = json.loads((session.folder / "session.json").read_text())
    assert data["schema"] == SCHEMA_VERSION
    assert data["app_version"]
    assert data["bank"] == {"id": "behavioural", "name": "Behavioural"}
    assert data["attempts"][0]["report"]["transcript"] == "so um I led the team through it"


def test_ids_sort_by_time_and_stay_unique(tmp_path: Path) -> None:
    store = _store(tmp_path)
    first = store.create("Tech / Deep", "Technical", QUESTIONS)
    second = store.create("Tech / Deep", "Technical", QUESTIONS)
    assert first.id != second.id
    assert first.id.endswith("-tech-deep")
    assert first.id[:19] == first.started[:19].replace(":", "-")
    assert {p.name for p in store.root.iterdir() if not p.name.startswith(("index", "."))} == {
        first.id,
        second.id,
    }


def test_folders_and_files_are_private(tmp_path: Path) -> None:
    store = _store(tmp_path)
    session = _recorded(store, store.create("b", "B", QUESTIONS), 0, "hello there")
    store.history()
    assert _mode(store.root) == 0o700
    assert _mode(session.folder) == 0o700
    assert _mode(session.folder / "session.json") == 0o600
    assert _mode(session.folder / "q01-a1.wav") == 0o600
    assert _mode(store.index_path) == 0o600


def test_an_answer_too_short_to_score_does_not_pull_the_session_score_down(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path)
    session = store.create("b", "B", QUESTIONS)
    session = _recorded(store, session, 0, "I led the team and we shipped on time " * 3)
    scored = session.score
    assert scored is not None
    session = _recorded(store, session, 1, "You.")
    latest = session.latest(1)
    assert latest is not None and latest.report is not None and latest.report.score is None
    assert session.score == scored


def test_derived_numbers_use_the_latest_attempt_per_question(tmp_path: Path) -> None:
    store = _store(tmp_path)
    session = store.create("b", "B", QUESTIONS)
    session = _recorded(store, session, 0, "um uh um so um I er did it um")
    session = _recorded(store, session, 0, "I led the team and we shipped on time " * 3, number=2)
    session = _recorded(store, session, 1, "I like the product and the people here " * 3)
    latest = [session.latest(0), session.latest(1)]
    scores = [a.report.score for a in latest if a is not None and a.report is not None]
    assert None not in scores
    assert session.score == round(sum(score for score in scores if score is not None) / 2)
    assert session.answers == 2
    assert session.next_number(0) == 3
    assert session.wpm is not None and 100 < session.wpm < 200
    assert session.fillers_per_minute == 0.0


def test_an_attempt_with_the_same_number_replaces_the_old_one(tmp_path: Path) -> None:
    store = _store(tmp_path)
    session = store.create("b", "B", QUESTIONS)
    session = store.add_attempt(session, Attempt(0, 1, NOW, None, None, error="no microphone"))
    session = _recorded(store, session, 0, "now it works")
    assert len(session.attempts) == 1
    assert session.attempts[0].error is None
    assert store.load(session.id).attempts == session.attempts


def test_an_attempt_at_a_question_the_session_lacks_is_refused(tmp_path: Path) -> None:
    store = _store(tmp_path)
    session = store.create("b", "B", QUESTIONS)
    with pytest.raises(SessionError, match="has no question 3"):
        store.add_attempt(session, Attempt(2, 1, NOW, None, None, typed_text="x"))


def test_a_follow_up_is_saved_as_the_next_question_before_any_later_answer(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path)
    session = _recorded(store, store.create("b", "B", QUESTIONS), 0, "we talked it through")
    follow_up = QuestionRef("conflict-follow-up", "What would you do differently?")
    session = store.insert_question(session, 1, follow_up)
    assert store.load(session.id).questions == (QUESTIONS[0], follow_up, QUESTIONS[1])
    session = store.add_attempt(session, Attempt(2, 1, NOW, None, None, typed_text="the pay"))
    with pytest.raises(SessionError, match="has answers after question 1"):
        store.insert_question(session, 1, follow_up)
    assert len(store.load(session.id).questions) == 3


def test_without_keep_audio_the_wav_goes_and_the_transcript_stays(tmp_path: Path) -> None:
    store = _store(tmp_path, keep_audio=False)
    session = store.create("b", "B", QUESTIONS)
    session = _recorded(store, session, 0, "private words only")
    assert not (session.folder / "q01-a1.wav").exists()
    loaded = store.load(session.id)
    assert loaded.attempts[0].audio is None
    assert loaded.attempts[0].report is not None
    assert loaded.attempts[0].report.transcript == "private words only"


def test_a_missing_wav_still_shows_the_transcript(tmp_path: Path) -> None:
    store = _store(tmp_path)
    session = _recorded(store, store.create("b", "B", QUESTIONS), 0, "still readable")
    (session.folder / "q01-a1.wav").unlink()
    loaded = store.load(session.id)
    assert loaded.attempts[0].audio == "q01-a1.wav"
    assert loaded.attempts[0].report is not None
    assert loaded.attempts[0].report.transcript == "still readable"
    assert store.history()[0].damaged is None


def test_history_is_newest_first_with_the_numbers(tmp_path: Path) -> None:
    store = _store(tmp_path)
    old = _recorded(store, store.create("a", "Bank A", QUESTIONS), 0, "first one here")
    new = store.create("b", "Bank B", QUESTIONS)
    # Same second: make the order certain by renaming the older folder to an earlier time.
    older_id = "2000-01-01T00-00-00-a"
    old.folder.rename(store.root / older_id)
    rows = store.history()
    assert [row.id for row in rows] == [new.id, older_id]
    assert rows[1].bank_name == "Bank A"
    assert rows[1].answers == 1
    assert rows[1].score == old.score
    assert rows[1].wpm == pytest.approx(old.wpm)
    assert rows[0].score is None and rows[0].answers == 0
    assert rows[1].to_json()["bank"] == "a"


def _corrupt(path: Path) -> None:
    path.write_bytes(b"this is not a database, not at all" * 100)


@pytest.mark.parametrize("damage", ["missing", "corrupt", "old version"])
def test_the_index_is_rebuilt_from_the_folders(tmp_path: Path, damage: str) -> None:
    store = _store(tmp_path)
    session = _recorded(store, store.create("b", "B", QUESTIONS), 0, "hello again")
    before = store.history()
    if damage == "missing":
        store.index_path.unlink()
    elif damage == "corrupt":
        _corrupt(store.index_path)
    else:
        with sqlite3.connect(store.index_path) as db:
            db.execute("PRAGMA user_version = 999")
    assert SessionStore(store.root).history() == before
    assert before[0].id == session.id and before[0].score == session.score


def test_the_index_follows_changes_made_behind_its_back(tmp_path: Path) -> None:
    store = _store(tmp_path)
    kept = store.create("b", "B", QUESTIONS)
    gone = store.create("c", "C", QUESTIONS)
    assert len(store.history()) == 2
    # Another copy of practice edits one session and the user removes another folder by hand.
    path = kept.folder / "session.json"
    data = json.loads(path.read_text())
    data["bank"]["name"] = "Renamed bank"
    path.write_text(json.dumps(data))
    shutil.rmtree(gone.folder)
    rows = store.history()
    assert [(row.id, row.bank_name) for row in rows] == [(kept.id, "Renamed bank")]


def test_an_unwritable_index_does_not_lose_a_save(tmp_path: Path) -> None:
    store = _store(tmp_path)
    session = store.create("b", "B", QUESTIONS)
    _corrupt(store.index_path)
    session = _recorded(store, session, 0, "saved anyway")
    assert store.history()[0].answers == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{ not json", "session.json is not valid JSON"),
        (b"[1, 2]", "session.json is malformed: it is not a JSON object"),
        (b'{"schema": 1}', "session.json lacks the field 'id'"),
        (b'{"schema": 7}', "schema version 7; this practice reads 1"),
        (None, "no session.json"),
    ],
)
def test_a_damaged_session_shows_with_its_reason(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    store = _store(tmp_path)
    good = _recorded(store, store.create("b", "B", QUESTIONS), 0, "all good here")
    bad = store.create("c", "C", QUESTIONS)
    path = bad.folder / "session.json"
    if content is None:
        path.unlink()
    else:
        path.write_bytes(content)
    rows = {row.id: row for row in store.history()}
    assert rows[good.id].damaged is None and rows[good.id].answers == 1
    damaged = rows[bad.id].damaged
    assert damaged is not None and reason in damaged
    assert rows[bad.id].started == bad.started[:19]
    with pytest.raises(SessionError, match=f"session {bad.id} is damaged: .*") as error:
        store.load(bad.id)
    assert "\n" not in str(error.value)
    assert store.load(good.id) == good


def test_sessions_load_by_unique_prefix(tmp_path: Path) -> None:
    store = _store(tmp_path)
    first = store.create("alpha", "A", QUESTIONS)
    store.create("beta", "B", QUESTIONS)
    with pytest.raises(SessionError, match="matches 2 sessions"):
        store.load(first.id[:11])
    renamed = store.root / "1999-12-31T23-59-59-alpha"
    first.folder.rename(renamed)
    assert store.load("1999").id == first.id  # the id inside session.json is kept
    with pytest.raises(SessionError, match="no session 'nothing' in"):
        store.load("nothing")
    with pytest.raises(SessionError, match=r"no session '\.\./etc'"):
        store.load("../etc")


def test_delete_removes_the_folder_and_the_row(tmp_path: Path) -> None:
    store = _store(tmp_path)
    session = _recorded(store, store.create("b", "B", QUESTIONS), 0, "delete me")
    other = store.create("c", "C", QUESTIONS)
    store.history()
    store.delete(session.id)
    assert not session.folder.exists()
    assert [p.name for p in store.root.iterdir() if p.is_dir()] == [other.id]
    with sqlite3.connect(store.index_path) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM sessions")]
    assert ids == [other.id]
    with pytest.raises(SessionError, match="no session"):
        store.delete(session.id)


def test_previous_score_is_the_last_scored_session_on_the_same_bank(tmp_path: Path) -> None:
    store = _store(tmp_path)
    folders = []
    for bank, text in [("a", "um um uh um er um"), ("b", "fine words here"), ("a", "")]:
        session = store.create(bank, bank, QUESTIONS)
        if text:
            session = _recorded(store, session, 0, text)
        folders.append(session)
    # Give them distinct start times, oldest first.
    for hour, session in enumerate(folders):
        path = session.folder / "session.json"
        data = json.loads(path.read_text())
        data["started"] = f"2026-01-01T0{hour}:00:00+00:00"
        path.write_text(json.dumps(data))
    first, _, third = folders
    assert store.previous_score("a", third.id) == first.score
    assert store.previous_score("a", "2026-01-01T02:00:00+00:00") == first.score
    assert store.previous_score("a", first.id) is None
    assert store.previous_score("zzz", third.id) is None


# Interrupted saves ---------------------------------------------------------------------------


class Crash(Exception):
    """The power went off."""


@contextmanager
def _crash_at(step: int, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make the ``step``-th file-system call of a save fail (a write fails half-way)."""
    seen: list[str] = []

    def wrap(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            seen.append(name)
            if len(seen) - 1 == step:
                if name == "os.write":
                    fd, data = args
                    real(fd, bytes(data[: len(data) // 2]))
                raise Crash(name)
            return real(*args, **kwargs)

        return call

    with monkeypatch.context() as patch:
        for owner, attribute, name in [
            (os, "open", "os.open"),
            (os, "write", "os.write"),
            (os, "fsync", "os.fsync"),
            (os, "close", "os.close"),
            (pathlib.Path, "replace", "Path.replace"),
            (pathlib.Path, "rename", "Path.rename"),
            (pathlib.Path, "mkdir", "Path.mkdir"),
            (pathlib.Path, "unlink", "Path.unlink"),
            (sqlite3, "connect", "sqlite3.connect"),
        ]:
            patch.setattr(owner, attribute, wrap(name, getattr(owner, attribute)))
        yield seen


def _crash_every_step(
    monkeypatch: pytest.MonkeyPatch, act: Callable[[], object], check: Callable[[], None]
) -> int:
    """Run ``act`` crashing at step 0, 1, 2, ... until it completes; ``check`` after each."""
    step = 0
    while True:
        with _crash_at(step, monkeypatch) as seen:
            try:
                act()
                crashed = False
            except Crash:
                crashed = True
        check()
        if not crashed:
            assert step == len(seen)
            return step
        step += 1


def test_an_interrupted_attempt_save_leaves_the_old_or_the_new_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path)
    session = _recorded(store, store.create("b", "B", QUESTIONS), 0, "the old answer")
    new_attempt = Attempt(1, 1, NOW, None, make_report("the new answer"), latency_s=0.5)
    old_state, new_state = session.attempts, (*session.attempts, new_attempt)
    outcomes = set()

    def act() -> None:
        store.add_attempt(session, new_attempt)

    def check() -> None:
        fresh = SessionStore(store.root)
        attempts = fresh.load(session.id).attempts
        assert attempts in (old_state, new_state)
        outcomes.add(attempts == new_state)
        [row] = fresh.history()
        assert row.damaged is None
        assert row.answers == (2 if attempts == new_state else 1)
        (session.folder / "session.json").write_bytes(
            json.dumps(session.to_json()).encode()
        )  # back to the old state for the next step

    steps = _crash_every_step(monkeypatch, act, check)
    assert steps >= 6
    assert outcomes == {False, True}


def test_an_interrupted_create_leaves_no_session_or_a_whole_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path)
    store.history()
    made: list[Session] = []

    def act() -> None:
        made.append(store.create("b", "B", QUESTIONS))

    def check() -> None:
        fresh = SessionStore(store.root)
        rows = fresh.history()
        assert all(row.damaged is None for row in rows)
        for row in rows:
            assert fresh.load(row.id).bank_id == "b"
            fresh.delete(row.id)

    steps = _crash_every_step(monkeypatch, act, check)
    assert steps >= 6
    assert len(made) == 1


def test_the_store_does_not_load_textual() -> None:
    code = "import sys, practice.sessions, practice.exports; print('\\n'.join(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "textual" not in loaded


def test_the_store_is_safe_from_several_threads(tmp_path: Path) -> None:
    """The TUI creates a session while another worker reads the history (and the index is
    built on first use): neither may see the other's half-made index."""
    import threading

    store = SessionStore(tmp_path / "recordings")
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            if index % 2:
                store.create("bank", "Bank", [QuestionRef("q", "Why?")])
            else:
                store.history()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.history()) == 8
