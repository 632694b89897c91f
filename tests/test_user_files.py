"""What is written for the user is safe: an export never destroys a file (it needs --force, and
is atomic), exports, crash.log, bank templates and imported audio are private from the first
byte whatever the umask, a failed import leaves nothing behind, and a delete left halfway is
finished (or reported) on the next run."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from practice import cli
from practice.cli import main
from practice.files import copy_private
from practice.records import Attempt, QuestionRef
from practice.sessions import SessionStore
from tests.sample_reports import make_report


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _session(home: Path) -> str:
    store = SessionStore(home / "recordings")
    session = store.create("b", "B", [QuestionRef("q", "A question?")])
    attempt = Attempt(0, 1, session.started, None, make_report("so I led the team"))
    return store.add_attempt(session, attempt).id


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_report_never_replaces_a_file_without_force(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = _session(isolated_home)
    notes = isolated_home / "notes.md"
    notes.write_text("my notes")
    code, _out, err = _run(capsys, "report", session, "-o", str(notes))
    assert code == 1 and err == f"practice: {notes} already exists (use --force to replace it)\n"
    assert notes.read_text() == "my notes"
    code, _out, err = _run(capsys, "report", session, "-o", str(notes), "--force")
    assert code == 0 and notes.read_text().startswith("# ")


def test_a_failed_write_keeps_the_old_file(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    session = _session(isolated_home)
    notes = isolated_home / "notes.md"
    notes.write_text("call Alice back re: offer")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, _out, err = _run(capsys, "report", session, "-o", str(notes), "--force")
    assert code == 1 and err == f"practice: cannot write {notes}: No space left on device\n"
    assert notes.read_text() == "call Alice back re: offer"
    assert [p.name for p in isolated_home.iterdir() if p.name.startswith(".notes")] == []


def test_report_replaces_a_link_never_what_it_points_at(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = _session(isolated_home)
    victim = isolated_home / "victim.txt"
    victim.write_text("keep")
    link = isolated_home / "out.md"
    link.symlink_to(victim)
    assert _run(capsys, "report", session, "-o", str(link))[0] == 1
    assert _run(capsys, "report", session, "-o", str(link), "--force")[0] == 0
    assert victim.read_text() == "keep" and not link.is_symlink()


def test_report_to_a_device_still_works(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = _session(isolated_home)
    assert _run(capsys, "report", session, "-o", os.devnull)[0] == 0
    code, _out, err = _run(capsys, "report", session, "-o", "/dev/full")
    assert code == 1 and "No space left on device" in err


@pytest.mark.usefixtures("open_umask")
def test_what_practice_writes_is_private_whatever_the_umask(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    session = _session(isolated_home)
    report = isolated_home / "report.html"
    assert _run(capsys, "report", session, "--format", "html", "-o", str(report))[0] == 0
    shutil.rmtree(isolated_home / "question_banks")
    assert _run(capsys, "banks", "new", "Umask test")[0] == 0

    def crash(_args: object) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "_run_where", crash)
    assert _run(capsys, "where")[0] == 70
    cache = Path(os.environ["PRACTICE_CACHE_DIR"])
    assert _mode(report) == 0o600
    assert _mode(isolated_home / "question_banks") == 0o700
    assert _mode(isolated_home / "question_banks" / "umask-test.toml") == 0o600
    assert _mode(cache) == 0o700 and _mode(cache / "crash.log") == 0o600


def test_crash_log_is_never_written_through_a_link(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Path(os.environ["PRACTICE_CACHE_DIR"])
    cache.mkdir()
    victim = isolated_home / "victim"
    victim.write_text("keep")
    (cache / "crash.log").symlink_to(victim)

    def crash(_args: object) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "_run_where", crash)
    code, _out, err = _run(capsys, "where")
    assert code == 70 and err.count("\n") == 1
    assert victim.read_text() == "keep"


@pytest.mark.usefixtures("open_umask")
def test_imported_audio_is_private_from_its_first_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "answer.wav", tmp_path / "copy.wav"
    source.write_bytes(b"x" * 3_000_000)
    modes = []
    real = shutil.copyfileobj

    def watch(reader: object, writer: object, length: int = 0) -> None:
        modes.append(_mode(target))
        real(reader, writer, length)  # type: ignore[arg-type]

    monkeypatch.setattr(shutil, "copyfileobj", watch)
    copy_private(source, target)
    assert modes == [0o600] and _mode(target) == 0o600
    assert target.read_bytes() == source.read_bytes()


def _fake_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """The import's storage is under test here, not the analysis."""
    from practice.analysis.coaching import pipeline

    monkeypatch.setattr(
        pipeline, "analyze_answer", lambda *a, **k: make_report("so I led the team")
    )


@pytest.mark.parametrize("existing", [False, True])
def test_a_failed_import_leaves_nothing_behind(
    isolated_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    existing: bool,
) -> None:
    _fake_analysis(monkeypatch)
    session = _session(isolated_home) if existing else None
    before = SessionStore(isolated_home / "recordings").load(session) if session else None
    source = isolated_home / "answer.flac"
    source.write_bytes(b"x" * 200_000)
    real = shutil.copyfileobj

    def fail_halfway(reader: object, writer: object, length: int = 0) -> None:
        writer.write(reader.read(65536))  # type: ignore[attr-defined]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", fail_halfway)
    argv = ["import", "--question", "1", str(source)]
    argv += ["--session", session] if session else ["--bank", "job-interview"]
    code, _out, err = _run(capsys, *argv)
    assert code == 1 and err.count("\n") == 1 and "No space left on device" in err
    monkeypatch.setattr(shutil, "copyfileobj", real)
    store = SessionStore(isolated_home / "recordings")
    rows = store.history()
    if before is None:
        assert rows == []
        assert {p.name for p in store.root.iterdir()} <= {".lock", "index.sqlite3"}
    else:
        assert [row.id for row in rows] == [before.id]
        assert store.load(before.id).attempts == before.attempts
        assert sorted(p.name for p in before.folder.iterdir()) == ["session.json"]


def test_a_delete_left_halfway_is_finished_on_the_next_run(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recordings = isolated_home / "recordings"
    left = recordings / ".deleting-2026-01-01T00-00-00-b"
    (left / "sub").mkdir(parents=True)
    (left / "sub" / "q01-a1.wav").write_bytes(b"audio")
    link = recordings / ".deleting-2026-01-02T00-00-00-c"
    link.symlink_to(isolated_home / "question_banks")  # a link: removed, never followed
    staging = recordings / ".new-2026-01-03T00-00-00-d-123"
    staging.mkdir()
    code, _out, err = _run(capsys, "banks", "list")
    assert code == 0 and err == ""
    assert not left.exists() and not link.is_symlink() and not staging.exists()
    assert (isolated_home / "question_banks").is_dir()


def test_a_delete_that_fails_halfway_says_where_the_rest_is_and_retries(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    session = _session(isolated_home)
    real = shutil.rmtree

    def refuse(path: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(shutil, "rmtree", refuse)
    code, _out, err = _run(capsys, "delete", "--yes", session)
    assert code == 1 and err.count("\n") == 1
    assert f".deleting-{session}" in err and "tries again on its next run" in err
    code, _out, err = _run(capsys, "history")  # still stuck: said again, once, by every command
    assert err.count(f".deleting-{session}") == 1
    monkeypatch.setattr(shutil, "rmtree", real)
    code, out, err = _run(capsys, "history")
    assert code == 0 and err == "" and "No sessions yet" in out
    assert not (isolated_home / "recordings" / f".deleting-{session}").exists()
