"""The session commands: history, show, report, delete, import."""

from __future__ import annotations

import io
import json
import subprocess
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile

from practice import banks
from practice.analysis.transcript import DecodeOptions, Transcript, Word
from practice.cli import main
from practice.records import Attempt, QuestionRef, Session
from practice.sessions import SessionStore
from tests.sample_reports import make_report

QUESTIONS = (QuestionRef("conflict", "Tell me about a conflict."), QuestionRef("why", "Why us?"))


def _saved(home: Path, bank: str = "behavioural", text: str = "so um I led the team") -> Session:
    store = SessionStore(home / "recordings")
    session = store.create(bank, bank.title(), QUESTIONS)
    audio = store.audio_path(session, 0, 1)
    audio.write_bytes(b"RIFF")
    report = make_report(text, pause_after=2)
    return store.add_attempt(session, Attempt(0, 1, session.started, audio.name, report))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_history_lists_sessions_and_damage(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "history")[1].startswith("No sessions yet in ")
    good = _saved(isolated_home)
    bad = _saved(isolated_home, "technical")
    (bad.folder / "session.json").write_text("{")
    code, out, _ = _run(capsys, "history")
    assert code == 0
    good_line = next(line for line in out.splitlines() if line.startswith(good.id))
    assert good.score is None  # one short answer: too short to score
    assert "Behavioural" in good_line and " – " in good_line
    bad_line = next(line for line in out.splitlines() if line.startswith(bad.id))
    assert "damaged: session.json is not valid JSON" in bad_line


def test_a_broken_config_does_not_hide_the_sessions(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    session = _saved(isolated_home)
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("keep_audio = maybe\n")
    for command in (["history"], ["show", session.id], ["report", session.id]):
        code, out, _ = _run(capsys, *command)
        assert code == 0 and session.id in out, command
    code, _, err = _run(capsys, "import", "x.wav", "--bank", "behavioural", "--question", "1")
    assert code == 1 and "config.toml" in err


def test_history_json_has_the_documented_fields(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = _saved(isolated_home)
    code, out, _ = _run(capsys, "history", "--json")
    assert code == 0
    [row] = json.loads(out)
    assert row["id"] == session.id
    assert row["bank"] == "behavioural"
    assert row["started"] == session.started
    assert row["answers"] == 1
    assert row["score"] == session.score


def test_show_finds_a_session_by_prefix(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = _saved(isolated_home)
    code, out, _ = _run(capsys, "show", session.id[:13])
    assert code == 0
    assert "Q1. Tell me about a conflict." in out
    assert "[so] [um] I (⏸ 1.6 s) led the team" in out


def test_show_of_an_unknown_session_is_a_one_line_error(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "show", "nope")
    assert code == 1 and out == ""
    assert err.startswith("practice: no session 'nope' in ") and err.count("\n") == 1


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_report_writes_each_format(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    session = _saved(isolated_home)
    code, out, _ = _run(capsys, "report", session.id, "--format", fmt)
    assert code == 0 and "led" in out and "team" in out
    target = tmp_path / f"out.{fmt}"
    code, out, err = _run(capsys, "report", session.id, "--format", fmt, "-o", str(target))
    assert code == 0 and out == "" and str(target) in err
    assert (
        target.read_text(encoding="utf-8") == _run(capsys, "report", session.id, "--format", fmt)[1]
    )


def test_report_to_an_unwritable_place_is_a_clear_error(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = _saved(isolated_home)
    code, _, err = _run(capsys, "report", session.id, "-o", str(tmp_path / "no" / "such.md"))
    assert code == 1 and err.startswith("practice: cannot write ")


def test_delete_refuses_without_a_terminal_or_yes(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    session = _saved(isolated_home)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, _, err = _run(capsys, "delete", session.id)
    assert code == 1
    assert (
        err
        == f"practice: not deleting {session.id}: no terminal to confirm on (add --yes to delete)\n"
    )
    assert session.folder.exists()
    assert _run(capsys, "delete", "--yes", session.id[:15])[0] == 0
    assert not session.folder.exists()
    assert json.loads(_run(capsys, "history", "--json")[1]) == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("reply", "deleted"), [("y\n", True), ("\n", False), ("no\n", False)])
def test_delete_asks_on_a_terminal(
    isolated_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    reply: str,
    deleted: bool,
) -> None:
    session = _saved(isolated_home)
    monkeypatch.setattr("sys.stdin", _Terminal(reply))
    code, out, _ = _run(capsys, "delete", session.id)
    assert f"Delete session {session.id}, its audio and transcripts? [y/N]" in out
    assert code == (0 if deleted else 1)
    assert session.folder.exists() is not deleted


class _FixedTranscriber:
    """Says the same words whatever it hears (times relative to the audio it is given)."""

    name = "fake"
    model = "fixed"

    def load(self) -> None:
        pass

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        texts = ["well", "um", "I", "fixed", "the", "build"]
        return Transcript(tuple(Word(t, 0.5 + i * 0.4, 0.8 + i * 0.4) for i, t in enumerate(texts)))


def _tone(path: Path, seconds: float = 3.0) -> Path:
    rate = 16000
    time = np.arange(int(rate * seconds)) / rate
    samples = 0.3 * np.sin(2 * np.pi * 220 * time) * (time > 0.5) * (time < seconds - 0.5)
    soundfile.write(path, samples.astype(np.float32), rate)
    return path


def test_import_analyses_a_file_into_a_new_session_then_an_existing_one(
    isolated_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "practice.analysis.transcribe.create_transcriber", lambda *args: _FixedTranscriber()
    )
    wav = _tone(tmp_path / "answer.wav")
    code, out, err = _run(
        capsys, "import", "--bank", "behavioural-star", "--question", "2", str(wav)
    )
    assert code == 0, err
    store = SessionStore(isolated_home / "recordings")
    [row] = store.history()
    session = store.load(row.id)
    assert out.startswith(f"Added {wav} to session {session.id}, question 2, attempt 1")
    builtin = banks.builtin_dir()
    assert builtin is not None
    bank = banks.load_bank(builtin / "behavioural-star.toml")
    assert session.bank_name == bank.name
    assert [q.text for q in session.questions] == [q.text for q in bank.questions]
    [attempt] = session.attempts
    assert attempt.question == 1 and attempt.audio == "q02-a1.wav"
    assert (session.folder / "q02-a1.wav").read_bytes() == wav.read_bytes()
    assert attempt.report is not None and attempt.report.transcript == "well um I fixed the build"

    code, out, err = _run(capsys, "import", "--session", session.id, "--question", "2", str(wav))
    assert code == 0, err
    again = store.load(session.id)
    assert [a.number for a in again.attempts_at(1)] == [1, 2]
    assert len(store.history()) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--question", "1"], "practice: import: name the bank with --bank ID"),
        (
            ["--bank", "behavioural-star", "--question", "0"],
            "practice: --question 0: the bank has questions 1 to 14",
        ),
        (["--bank", "nope", "--question", "1"], 'practice: no bank "nope"'),
        (["--bank", "b", "--question", "1", "--session", "zzz"], "practice: no session 'zzz'"),
    ],
)
def test_import_refuses_bad_requests(
    isolated_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    code, _, err = _run(capsys, "import", *argv, str(tmp_path / "x.wav"))
    assert code == 1 and err.startswith(message)
    assert not list((isolated_home / "recordings").glob("2*"))


def test_import_of_a_missing_file_creates_no_session(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(
        capsys, "import", "--bank", "job-interview", "--question", "1", str(tmp_path / "no.wav")
    )
    assert code == 1 and err.startswith("practice: ") and "no such file" in err
    assert SessionStore(isolated_home / "recordings").history() == []


@pytest.mark.model
@pytest.mark.slow
def test_import_with_the_bundled_model(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wav = tmp_path / "spoken.wav"
    text = (
        "I led the migration to the new build system, and we shipped it on time. "
        "The team learned the new tools in two weeks, and our builds got twice as fast."
    )
    subprocess.run(["espeak-ng", "-w", str(wav), text], check=True)
    code, _, err = _run(capsys, "import", "--bank", "behavioural-star", "--question", "1", str(wav))
    assert code == 0, err
    [row] = SessionStore(isolated_home / "recordings").history()
    assert row.answers == 1 and row.score is not None
    code, out, _ = _run(capsys, "show", row.id)
    assert "migration" in out.lower() and "build system" in out.lower()


def test_import_honours_the_keep_audio_setting(
    isolated_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from practice import workspace
    from practice.settings import Settings, save_settings

    save_settings(workspace.resolve(), Settings(keep_audio=False))
    monkeypatch.setattr(
        "practice.analysis.transcribe.create_transcriber", lambda *args: _FixedTranscriber()
    )
    wav = _tone(tmp_path / "answer.wav")
    code, _, err = _run(capsys, "import", "--bank", "job-interview", "--question", "1", str(wav))
    assert code == 0, err
    store = SessionStore(isolated_home / "recordings")
    (row,) = store.history()
    session = store.load(row.id)
    (attempt,) = session.attempts
    assert attempt.audio is None
    assert attempt.report is not None and attempt.report.transcript == "well um I fixed the build"
    assert not list(session.folder.glob("*.wav"))
    assert wav.exists()  # the user's own file is theirs: only the copy goes
