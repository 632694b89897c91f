"""The `practice` command itself: help, folders, and no tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from practice import cli


def test_where_names_every_folder(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["where"]) == 0
    out = capsys.readouterr().out
    assert f"workspace   {isolated_home}  ($PRACTICE_HOME)" in out
    assert f"recordings  {isolated_home / 'recordings'}" in out


def test_home_option_wins(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "elsewhere"
    assert cli.main(["--home", str(other), "where"]) == 0
    assert f"workspace   {other}  (--home)" in capsys.readouterr().out


def test_a_bug_is_one_line_and_a_log(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise ValueError("something impossible")

    monkeypatch.setattr(cli, "_run_where", broken)
    assert cli.main(["where"]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("practice: internal error: ValueError: something impossible (details in ")
    log = Path(err.split("details in ")[1].rstrip(")\n"))
    assert "Traceback" in log.read_text()


def test_a_reader_that_leaves_early_is_no_error(
    isolated_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`practice history | head`: the pipe closes before we finish writing."""
    discarded: list[bool] = []

    def closed_pipe(args: object) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli, "_run_where", closed_pipe)
    monkeypatch.setattr(cli, "_discard_stdout", lambda: discarded.append(True))
    assert cli.main(["where"]) == 0
    assert discarded == [True]
    assert capsys.readouterr().err == ""
