"""The index is a cache and behaves like one: locked is not corrupt (never deleted while another
process holds it), a corrupt or foreign-shaped index is rebuilt, one absurd session file is
"damaged" for that session only (never a crash or a hang for the others), and a folder that
cannot be written still lists its sessions."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.cli import main
from practice.records import Attempt, QuestionRef
from practice.sessions import MAX_SESSION_BYTES, SessionError, SessionStore
from tests.sample_reports import make_report

QUESTIONS = (QuestionRef("q", "A question?"),)


def _store_with_sessions(root: Path, count: int = 2) -> tuple[SessionStore, list[str]]:
    store = SessionStore(root)
    ids = []
    for number in range(count):
        session = store.create(f"bank{number}", f"Bank {number}", QUESTIONS)
        attempt = Attempt(0, 1, session.started, None, make_report("so I led the team"))
        ids.append(store.add_attempt(session, attempt).id)
    return store, sorted(ids, reverse=True)


def test_a_locked_index_is_waited_for_then_bypassed_never_deleted(tmp_path: Path) -> None:
    store, ids = _store_with_sessions(tmp_path / "recordings")
    inode = store.index_path.stat().st_ino
    holder = sqlite3.connect(store.index_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        fresh = SessionStore(store.root)
        assert [row.id for row in fresh.history()] == ids
        assert any("cannot be used" in note and "locked" in note for note in fresh.notes)
        assert store.index_path.stat().st_ino == inode
        holder.execute("INSERT INTO sessions (id) VALUES ('written-by-the-holder')")
    finally:
        holder.execute("COMMIT")
        holder.close()
    with sqlite3.connect(store.index_path) as db:  # the holder's write went to the real index
        assert db.execute("SELECT count(*) FROM sessions WHERE id = 'written-by-the-holder'")


def _corrupt_pages(path: Path) -> None:
    with sqlite3.connect(path) as db:  # grow the index past a few pages, as a long history does
        db.executemany(
            "INSERT INTO sessions (id, mtime_ns, size, damaged) VALUES (?, 0, 0, ?)",
            [(f"filler-{n}", "x" * 200) for n in range(3000)],
        )
    with path.open("r+b") as file:
        file.seek(4096 * 5)
        file.write(b"\xff" * 4096 * 3)


@pytest.mark.parametrize(
    "damage", ["pages", "other columns", "no table", "garbage", "empty file", "a folder"]
)
def test_a_damaged_index_is_rebuilt_or_bypassed(tmp_path: Path, damage: str) -> None:
    store, ids = _store_with_sessions(tmp_path / "recordings")
    path = store.index_path
    if damage == "pages":
        _corrupt_pages(path)
    elif damage == "other columns":
        with sqlite3.connect(path) as db:
            db.execute("DROP TABLE sessions")
            db.execute("CREATE TABLE sessions (id TEXT, something_else TEXT)")
    elif damage == "no table":
        with sqlite3.connect(path) as db:
            db.execute("DROP TABLE sessions")
    elif damage == "garbage":
        path.write_bytes(os.urandom(8192))
    elif damage == "empty file":
        path.write_bytes(b"")
    else:
        path.unlink()
        path.mkdir()
    for _ in range(2):  # the second run works from the rebuilt index
        assert [row.id for row in SessionStore(store.root).history()] == ids
        assert [row.answers for row in SessionStore(store.root).history()] == [1, 1]


def _nested(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000)


def _huge(path: Path) -> None:
    with path.open("wb") as file:  # sparse: no disk used
        file.truncate(MAX_SESSION_BYTES + 1)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()


def _deep_object(path: Path) -> None:  # valid JSON to the parser, too deep for the reader
    path.write_text('{"schema": 1, "id": ' + "[" * 900 + "]" * 900 + "}")


def _not_utf8(path: Path) -> None:
    path.write_bytes(b'{"schema": 1, "id": "\xff"}')


def _huge_number(path: Path) -> None:
    data = json.loads(path.read_text())
    data["attempts"] = [{"question": 0, "number": 1e400, "recorded_at": "x", "audio": None}]
    path.write_text(json.dumps(data).replace("Infinity", "1e400"))


@pytest.mark.parametrize(
    "plant", [_nested, _huge, _fifo, _folder, _deep_object, _not_utf8, _huge_number]
)
def test_one_absurd_session_file_is_damaged_and_the_others_list(
    tmp_path: Path, plant: object
) -> None:
    store, ids = _store_with_sessions(tmp_path / "recordings")
    bad = store.create("bad", "Bad", QUESTIONS)
    path = bad.folder / "session.json"
    path.unlink()
    if plant is _huge_number:
        path.write_text(json.dumps({"schema": 1}))
        path.write_text(
            json.dumps(
                {
                    "schema": 1,
                    "app_version": "0",
                    "id": bad.id,
                    "bank": {"id": "b", "name": "B"},
                    "started": bad.started,
                    "questions": [{"id": "q", "text": "Q?"}],
                    "attempts": [{"question": 0, "number": 1, "recorded_at": "x", "audio": None}],
                }
            ).replace('"number": 1', '"number": 1e400')
        )
    else:
        plant(path)  # type: ignore[operator]
    result: dict[str, object] = {}
    worker = threading.Thread(
        target=lambda: result.update(rows=SessionStore(store.root).history()), daemon=True
    )
    worker.start()
    worker.join(30)
    assert "rows" in result, "history hung on one session file"
    rows = {row.id: row for row in result["rows"]}  # type: ignore[attr-defined]
    assert rows[bad.id].damaged
    assert all(rows[i].damaged is None and rows[i].answers == 1 for i in ids)
    with pytest.raises(Exception, match="damaged"):
        store.load(bad.id)


def _read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only folder does to SQLite: it opens, and every write fails."""
    real = sqlite3.connect

    def connect(database: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if str(database).endswith("index.sqlite3"):
            database, kwargs = f"file:{database}?mode=ro", {**kwargs, "uri": True}
        opened: sqlite3.Connection = real(database, *args, **kwargs)
        return opened

    monkeypatch.setattr(sqlite3, "connect", connect)


def _full(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a full disk does to SQLite: every page it adds fails with SQLITE_FULL."""
    real = sqlite3.connect

    def connect(database: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        db: sqlite3.Connection = real(database, *args, **kwargs)
        if str(database).endswith("index.sqlite3"):
            pages = db.execute("PRAGMA page_count").fetchone()[0]
            db.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return db

    monkeypatch.setattr(sqlite3, "connect", connect)


@pytest.mark.parametrize("condition", [_read_only, _full])
def test_an_unwritable_index_still_lists_every_session(
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    condition: object,
) -> None:
    store, ids = _store_with_sessions(isolated_home / "recordings")
    store.index_path.unlink()
    with sqlite3.connect(store.index_path) as db:  # an empty index: everything must be written
        db.execute("PRAGMA user_version = 0")
    condition(monkeypatch)  # type: ignore[operator]
    assert main(["history", "--json"]) == 0
    out, err = capsys.readouterr()
    assert [row["id"] for row in json.loads(out)] == ids
    assert err.count("\n") == 1 and "history is read from the session folders" in err


def test_a_read_only_recordings_folder_gives_one_line_not_a_crash(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``import --bank`` in a folder where nothing can be made: one line, exit 1."""
    real_mkdir = Path.mkdir

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        if self.parent == isolated_home / "recordings":
            raise OSError(30, "Read-only file system")
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", refuse)
    store = SessionStore(isolated_home / "recordings")
    with pytest.raises(Exception, match=r"cannot create a session in .*Read-only file system"):
        store.create("b", "B", QUESTIONS)
    assert [p.name for p in store.root.iterdir() if not p.name.startswith(".lock")] == []


def test_history_waits_for_no_one_when_nothing_is_locked(tmp_path: Path) -> None:
    store, ids = _store_with_sessions(tmp_path / "recordings", 3)
    started = time.perf_counter()
    assert [row.id for row in store.history()] == ids
    assert store.notes == []
    assert time.perf_counter() - started < 5  # not a timing claim: a guard against the lock wait


_JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=300),
        _JSON.map(lambda data: json.dumps(data).encode()),
        st.dictionaries(
            st.sampled_from(
                [
                    "schema",
                    "id",
                    "bank",
                    "started",
                    "questions",
                    "attempts",
                    "app_version",
                    "finished",
                ]
            ),
            _JSON,
        ).map(lambda data: json.dumps({"schema": 1, **data}).encode()),
    )
)
def test_any_session_file_is_read_or_damaged_never_a_crash(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store, ids = _store_with_sessions(Path(folder) / "recordings", 1)
        bad = store.root / "2026-01-01T00-00-00-x"
        bad.mkdir()
        (bad / "session.json").write_bytes(content)
        rows = {row.id: row for row in SessionStore(store.root).history()}
        assert rows[ids[0]].damaged is None and rows[ids[0]].answers == 1
        assert bad.name in rows
        if rows[bad.name].damaged is None:
            store.load(bad.name)
        else:
            with pytest.raises(SessionError):
                store.load(bad.name)
