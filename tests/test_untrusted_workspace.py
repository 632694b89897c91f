"""A workspace is not trusted: practice never follows a link out of it, never blocks on a pipe
in it, and never changes a file it did not make (index, recording markers, session folders and
their files). Each test plants one hostile thing and checks the file outside is untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import struct
import threading
from pathlib import Path

import pytest

from practice.records import QuestionRef
from practice.sessions import SessionStore
from practice.speech.wavfile import WavWriter, marker_for, sweep

QUESTIONS = (QuestionRef("q", "A question?"),)


def _digest(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def _victim_db(path: Path, version: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE sessions (token TEXT, user TEXT)")
        db.execute("INSERT INTO sessions VALUES ('secret-token', 'alice')")
        db.execute(f"PRAGMA user_version = {version}")


def _victim_rows(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT token, user FROM sessions"))


@pytest.mark.parametrize("version", [0, 1, 7])
@pytest.mark.parametrize("how", ["symlink", "hardlink"])
def test_a_linked_index_never_changes_the_database_it_points_at(
    tmp_path: Path, version: int, how: str
) -> None:
    victim = tmp_path / "victim" / "app.db"
    victim.parent.mkdir()
    _victim_db(victim, version)
    store = SessionStore(tmp_path / "ws" / "recordings")
    session = store.create("b", "B", QUESTIONS)
    store.index_path.unlink()
    if how == "symlink":
        store.index_path.symlink_to(victim)
    else:
        os.link(victim, store.index_path)
    before = _digest(victim)
    rows = SessionStore(store.root).history()
    assert [row.id for row in rows] == [session.id]  # listed from the folders instead
    store.delete(session.id)
    assert _digest(victim) == before
    assert _victim_rows(victim) == [("secret-token", "alice")]


def test_another_programs_database_as_the_index_is_left_alone(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "recordings")
    session = store.create("b", "B", QUESTIONS)
    store.index_path.unlink()
    _victim_db(store.index_path, 7)  # a plain file, but not practice's
    fresh = SessionStore(store.root)
    assert [row.id for row in fresh.history()] == [session.id]
    assert _victim_rows(store.index_path) == [("secret-token", "alice")]
    assert any("not practice's index" in note for note in fresh.notes)


def _song(path: Path) -> None:
    """A 16-bit WAV with a LIST chunk after its data (RIFF size fixed up), as a music app writes."""
    data = b"\x01\x00" * 16000
    extra = b"LIST" + struct.pack("<I", 10) + b"INFOxxxxxx"
    fmt = struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, 1, 16000, 32000, 2, 16)
    body = b"WAVE" + fmt + b"data" + struct.pack("<I", len(data)) + data + extra
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)


@pytest.mark.parametrize("how", ["symlink", "hardlink", "marker-symlink", "foreign-header"])
def test_the_repair_sweep_never_changes_a_file_it_did_not_write(tmp_path: Path, how: str) -> None:
    victim = tmp_path / "victim" / "song.wav"
    victim.parent.mkdir()
    _song(victim)
    before = _digest(victim)
    folder = tmp_path / "recordings" / "2026-01-01T00-00-00-x"
    folder.mkdir(parents=True)
    wav = folder / "a.wav"
    marker = marker_for(wav)
    if how == "symlink":
        wav.symlink_to(victim)
    elif how == "hardlink":
        os.link(victim, wav)
    elif how == "foreign-header":
        _song(wav)
    if how == "marker-symlink":
        wav.symlink_to(victim)
        marker.symlink_to(tmp_path / "victim" / "elsewhere")
    else:
        marker.touch()
    assert sweep(tmp_path / "recordings") == []
    assert _digest(victim) == before
    if how == "foreign-header":
        assert wav.read_bytes() == victim.read_bytes()


def test_the_repair_sweep_still_repairs_its_own_recordings(tmp_path: Path) -> None:
    wav = tmp_path / "recordings" / "s" / "q01-a1.wav"
    writer = WavWriter(wav, 16000)
    writer.write(b"\x01\x00" * 16000)
    # killed: the file descriptors vanish without close(), the marker stays
    os.close(writer._fd)
    os.close(writer._marker_fd)
    with wav.open("ab") as file:
        file.write(b"\x02\x00" * 8000)  # samples written after the last header update
    assert sweep(tmp_path / "recordings") == [(wav, 1.5)]
    assert not marker_for(wav).exists()


def test_a_pipe_named_like_a_marker_does_not_hang_the_sweep(tmp_path: Path) -> None:
    folder = tmp_path / "recordings" / "s"
    folder.mkdir(parents=True)
    os.mkfifo(marker_for(folder / "a.wav"))
    os.mkfifo(folder / "a.wav")
    done = threading.Event()

    def run() -> None:
        sweep(tmp_path / "recordings")
        done.set()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(10)
    assert done.is_set(), "the sweep blocked on a pipe"


@pytest.mark.parametrize("planted", ["wav", "marker"])
def test_the_recorder_refuses_a_planted_link(tmp_path: Path, planted: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    wav = tmp_path / "s" / "q01-a1.wav"
    wav.parent.mkdir()
    (wav if planted == "wav" else marker_for(wav)).symlink_to(victim)
    with pytest.raises(OSError):
        WavWriter(wav, 16000)
    assert victim.read_text() == "keep me"


def test_a_linked_session_folder_or_file_is_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    store = SessionStore(tmp_path / "recordings")
    real = store.create("b", "B", QUESTIONS)
    real.folder.rename(outside)  # a whole session folder, moved out of the workspace
    (store.root / "2026-01-02T00-00-00-link").symlink_to(outside)
    other = store.create("c", "C", QUESTIONS)
    (other.folder / "session.json").unlink()
    (other.folder / "session.json").symlink_to(outside / "session.json")
    rows = {row.id: row for row in store.history()}
    assert "2026-01-02T00-00-00-link" not in rows  # a link is not a session
    assert rows[other.id].damaged == "session.json is a symbolic link; practice does not follow it"
    with pytest.raises(Exception, match="no session"):
        store.load("2026-01-02T00-00-00-link")
    with pytest.raises(Exception, match="no session"):
        store.delete("2026-01-02T00-00-00-link")
    assert (outside / "session.json").is_file()


def test_a_linked_recordings_folder_is_read_but_never_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    real = SessionStore(elsewhere)
    session = real.create("b", "B", QUESTIONS)
    (elsewhere / "index.sqlite3").unlink()
    before = sorted(p.name for p in elsewhere.rglob("*"))
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "recordings").symlink_to(elsewhere)
    store = SessionStore(workspace / "recordings")
    assert [row.id for row in store.history()] == [session.id]
    for write in (
        lambda: store.create("c", "C", QUESTIONS),
        lambda: store.delete(session.id),
        lambda: store.finish(session),
    ):
        with pytest.raises(Exception, match="symbolic link"):
            write()
    assert sweep(workspace / "recordings") == []
    assert sorted(p.name for p in elsewhere.rglob("*")) == before
