"""The ``practice banks`` commands and the global ``--banks DIR`` option."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from practice.cli import main

REPOSITORY = Path(__file__).resolve().parents[1]
BUILTINS = REPOSITORY / "question_banks"
GOOD = '[bank]\nname = "{name}"\n\n[[questions]]\ntext = "Why?"\ncategory = "motives"\n'


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_the_builtins(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "banks", "list")
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "QUESTIONS", "SOURCE"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {
        "behavioural-star",
        "career-change",
        "informational-asking",
        "informational-introducing",
        "job-interview",
    }
    assert "Behavioural questions (STAR)" in rows["behavioural-star"]
    assert rows["behavioural-star"].endswith(f"{BUILTINS / 'behavioural-star.toml'} (built-in)")


def test_banks_alone_lists(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "banks") == run(capsys, "banks", "list")


def test_list_json(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (isolated_home / "question_banks" / "mine.toml").write_text(GOOD.format(name="Mine"))
    code, out, _ = run(capsys, "banks", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [row["name"] for row in rows][:2] == ["Behavioural questions (STAR)", "Career change"]
    mine = next(row for row in rows if row["id"] == "mine")
    assert mine == {
        "id": "mine",
        "name": "Mine",
        "description": "",
        "questions": 1,
        "categories": ["motives"],
        "answer_seconds": 90,
        "source": str(isolated_home / "question_banks" / "mine.toml"),
        "builtin": False,
    }
    star = next(row for row in rows if row["id"] == "behavioural-star")
    assert star["questions"] >= 12
    assert star["builtin"] is True


def test_list_warns_about_broken_banks_and_shows_the_good_ones(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    banks = isolated_home / "question_banks"
    (banks / "good.toml").write_text(GOOD.format(name="Good"))
    (banks / "bad.toml").write_text('[bank]\nname = "Bad"\n[[questions]]\ntext = ""\n')
    code, out, err = run(capsys, "banks", "list", "--json")
    assert code == 0
    assert "good" in [row["id"] for row in json.loads(out)]
    assert err == f"practice: warning: {banks / 'bad.toml'}:4: questions[1].text: is empty\n"


def test_list_notes_a_replaced_builtin(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = isolated_home / "question_banks" / "career-change.toml"
    mine.write_text(GOOD.format(name="My career change"))
    code, out, err = run(capsys, "banks", "list")
    assert code == 0
    assert err == f'practice: note: bank "career-change" from {mine} replaces the built-in one\n'
    assert "My career change" in out


def test_global_banks_option_is_repeatable(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / f"{name}.toml").write_text(GOOD.format(name=f"Bank {name}"))
    code, out, _ = run(
        capsys, "--banks", str(tmp_path / "one"), "--banks", str(tmp_path / "two"), "banks", "list"
    )
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()[1:]]
    assert {"one", "two"} <= set(ids)


def test_show(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "banks", "show", "informational-asking")
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith(
        "Informational interview: asking the questions  (informational-asking"
    )
    assert f"source: {BUILTINS / 'informational-asking.toml'} (built-in)" in lines
    assert "1. Open the meeting." in out
    assert "[opening, 45 s]" in out
    assert "   - A specific thank-you: their time, or whoever introduced you" in lines
    assert any(line.startswith("   tip: ") for line in lines)
    assert any(line.startswith("   follow-up: ") for line in lines)


def test_show_unknown_bank(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "banks", "show", "job-interviews")
    assert code == 1
    assert out == ""
    assert err == (
        'practice: no bank "job-interviews"; did you mean "job-interview"?'
        " (practice banks list shows them all)\n"
    )


def test_check_everything_found(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "banks", "check")
    assert code == 0
    assert err == ""
    assert out.splitlines()[-1] == "5 good, 0 problems"
    assert f"ok  {BUILTINS / 'career-change.toml'}  (13 questions)" in out.splitlines()


def test_check_everything_found_reports_each_problem_once(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = isolated_home / "question_banks" / "broken.toml"
    broken.write_text("[bank]\n")
    code, out, err = run(capsys, "banks", "check")
    assert code == 1
    assert err.splitlines() == [
        f"{broken}: questions: none; add at least one [[questions]] table",
        f'{broken}:1: bank.name: missing; add name = "…"',
    ]
    assert out.splitlines()[-1] == "5 good, 2 problems"


def test_check_files_and_folders(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    good = folder / "good.toml"
    good.write_text(GOOD.format(name="Good"))
    bad = folder / "bad.toml"
    bad.write_text('[bank]\nname = "Bad"\n[[questions]]\ntext = "Why?"\nanswer_seconds = "sixty"\n')
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = tmp_path / "missing.toml"
    code, out, err = run(capsys, "banks", "check", str(folder), str(good), str(empty), str(missing))
    assert code == 1
    assert out.splitlines() == [
        f"ok  {good}  (1 question)",
        f"ok  {good}  (1 question)",
        "2 good, 3 problems",
    ]
    assert err.splitlines() == [
        f'{bad}:5: questions[1].answer_seconds: expected a positive number of seconds, got "sixty"',
        f"{empty}: no .toml bank files in this folder",
        f"{missing}: cannot read: No such file or directory",
    ]


def test_check_a_good_file(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.toml"
    good.write_text(GOOD.format(name="Good"))
    assert run(capsys, "banks", "check", str(good)) == (
        0,
        f"ok  {good}  (1 question)\n1 good, 0 problems\n",
        "",
    )


def test_check_the_builtin_folder(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "banks", "check", str(BUILTINS))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "5 good, 0 problems"


def test_new_writes_a_template_that_checks(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "banks", "new", "Data engineering")
    path = isolated_home / "question_banks" / "data-engineering.toml"
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Wrote {path}",
        f"Edit it, then check it:  practice banks check {path}",
        "and rehearse it:         practice rehearse --bank data-engineering",
    ]
    assert run(capsys, "banks", "check", str(path))[0] == 0
    code, out, _ = run(capsys, "banks", "show", "data-engineering")
    assert code == 0
    assert "1. Tell me about yourself.  [openers, 60 s]" in out
    code, out, err = run(capsys, "banks", "new", "Data engineering")
    assert (code, out) == (1, "")
    assert err == f"practice: {path}: already exists; edit it, or choose another name\n"


def test_new_says_when_it_replaces_a_builtin(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "banks", "new", "Career change")
    assert code == 0
    assert 'It replaces the built-in bank "career-change" while it is there.' in out.splitlines()


@pytest.mark.slow
def test_the_wheel_ships_the_builtin_banks(tmp_path: Path) -> None:
    """Build the wheel, unpack it, and list the banks from it, away from the repository."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            str(REPOSITORY),
            "-w",
            str(wheels),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("practice-*.whl")
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(unpacked)
    assert {f"practice/_banks/{path.name}" for path in BUILTINS.glob("*.toml")} <= names
    home = tmp_path / "home"
    result = subprocess.run(
        [sys.executable, "-m", "practice", "banks", "list", "--json"],
        cwd=tmp_path,
        env={
            **os.environ,
            "PYTHONPATH": str(unpacked),
            "PRACTICE_HOME": str(home),
            "PRACTICE_CONFIG_DIR": str(tmp_path / "config"),
        },
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(result.stdout)
    assert result.stderr == ""
    assert len(rows) == 5
    for row in rows:
        assert row["builtin"] is True
        assert Path(row["source"]).parent == unpacked / "practice" / "_banks"
