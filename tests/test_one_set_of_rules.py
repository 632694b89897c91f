"""One set of rules everywhere: ``practice import`` and ``analyze`` score with the settings the
TUI uses (pace band, long pause, engine), and the options that change the score refuse numbers
that mean nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from practice.cli import main
from practice.sessions import SessionStore


def _config(text: str) -> None:
    folder = Path(os.environ["PRACTICE_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)


def test_import_and_analyze_score_with_the_settings(
    isolated_home: Path, jfk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _config("pace_low = 30\npace_high = 60\nlong_pause_seconds = 5.0\n")
    assert main(["import", "--bank", "job-interview", "--question", "1", str(jfk)]) == 0
    store = SessionStore(isolated_home / "recordings")
    (row,) = store.history()
    report = store.load(row.id).attempts[0].report
    assert report is not None
    assert (report.targets.pace_low, report.targets.pace_high) == (30, 60)
    assert report.targets.long_pause_s == 5.0
    capsys.readouterr()
    assert main(["analyze", "--json", str(jfk)]) == 0
    targets = json.loads(capsys.readouterr().out)["targets"]
    assert (targets["pace_low"], targets["pace_high"], targets["long_pause_s"]) == (30, 60, 5.0)
    assert main(["analyze", "--json", "--long-pause", "2", str(jfk)]) == 0  # an option wins
    assert json.loads(capsys.readouterr().out)["targets"]["long_pause_s"] == 2.0


@pytest.mark.parametrize("command", ["import", "analyze"])
def test_the_settings_engine_is_used_and_a_wrong_one_is_one_line(
    isolated_home: Path, jfk: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    _config('engine = "nonexistent"\n')
    argv = [command, str(jfk)]
    if command == "import":
        argv[1:1] = ["--bank", "job-interview", "--question", "1"]
    code = main(argv)
    _out, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1 and "nonexistent" in err
    assert SessionStore(isolated_home / "recordings").history() == []


@pytest.mark.parametrize("option", ["--target", "--long-pause"])
@pytest.mark.parametrize("value", ["-5", "0", "nan", "inf", "-inf", "ten"])
def test_score_options_refuse_numbers_that_mean_nothing(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["analyze", f"{option}={value}", "answer.wav"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}:" in err and value in err
