"""Malformed bank files: each gets the exact one-line-per-problem message the user will read."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from practice.banks import BankError, load_bank
from practice.tomlfile import MAX_BYTES

CASES_DIR = Path(__file__).parent / "banks_cases"

# File name in tests/banks_cases/ -> the expected problems; {path} is the file's path.
CASES: dict[str, list[str]] = {
    "syntax-missing-equals.toml": [
        "{path}:2:6: Expected '=' after a key in a key/value pair",
    ],
    "syntax-unclosed-string.toml": [
        '{path}:5:43: unclosed string: a "…" string ends on its line (use """ for more)',
    ],
    "syntax-unclosed-array.toml": [
        "{path}:7:1: unclosed list: a [ is missing its ]",
    ],
    "syntax-duplicate-key.toml": [
        "{path}:3:15: this key is given twice",
    ],
    "answer-seconds-text.toml": [
        "{path}:13: questions[3].answer_seconds: expected a positive number of seconds, "
        'got "sixty"',
    ],
    "answer-seconds-zero.toml": [
        "{path}:6: questions[1].answer_seconds: expected a positive number of seconds, got 0",
    ],
    "answer-seconds-fraction.toml": [
        "{path}:6: questions[1].answer_seconds: expected a positive number of seconds, got 60.5",
    ],
    "answer-seconds-too-long.toml": [
        "{path}:3: bank.answer_seconds: expected at most 3600 seconds, got 7200",
    ],
    "bank-answer-seconds-bool.toml": [
        "{path}:4: bank.answer_seconds: expected a positive number of seconds, got true",
    ],
    "unknown-question-key.toml": [
        '{path}:9: questions[2].talkingpoints: unknown key; did you mean "talking_points"?',
    ],
    "unknown-bank-key.toml": [
        '{path}:1: bank.name: missing; add name = "…"',
        '{path}:2: bank.nmae: unknown key; did you mean "name"?',
    ],
    "unknown-top-table.toml": [
        "{path}: questions: none; add at least one [[questions]] table",
        '{path}:4: question: unknown key; did you mean "questions"?',
    ],
    "quoted-key.toml": [
        '{path}:6: questions[1]."talking points": unknown key; did you mean "talking_points"?',
    ],
    "unknown-key-no-hint.toml": [
        "{path}:6: questions[1].colour: unknown key; expected one of text, id, category, "
        "answer_seconds, kind, talking_points, tips, follow_ups",
    ],
    "empty-text.toml": [
        "{path}:8: questions[2].text: is empty",
    ],
    "missing-text.toml": [
        '{path}:4: questions[1].text: missing; add text = "…"',
    ],
    "text-not-text.toml": [
        "{path}:5: questions[1].text: expected text in quotes, got 42",
    ],
    "duplicate-ids.toml": [
        '{path}:12: questions[3].id: "typical-day" is already the id of questions[1] (line 5)',
    ],
    "bad-id.toml": [
        "{path}:5: questions[1].id: expected letters, digits, '-' and '_' (no spaces), "
        'got "typical day"',
    ],
    "missing-bank.toml": [
        '{path}: bank: missing; start the file with [bank] and name = "…"',
    ],
    "missing-name.toml": [
        '{path}:1: bank.name: missing; add name = "…"',
    ],
    "no-questions.toml": [
        "{path}: questions: none; add at least one [[questions]] table",
    ],
    "questions-not-tables.toml": [
        "{path}:1: questions: expected [[questions]] tables (two brackets), got a list",
    ],
    "questions-single-brackets.toml": [
        "{path}:4: questions: expected [[questions]] tables (two brackets), got a table",
    ],
    "questions-inside-bank.toml": [
        "{path}:4: bank.questions: belongs after the [bank] table: write [[questions]] tables",
    ],
    "talking-points-not-list.toml": [
        '{path}:6: questions[1].talking_points: expected a list like ["…", "…"], got "be brief"',
    ],
    "follow-up-not-text.toml": [
        "{path}:6: questions[1].follow_ups[2]: expected text in quotes, got 3",
    ],
    "inline-questions.toml": [
        "{path}:1: questions[2].answer_seconds: expected a positive number of seconds, got -5",
    ],
    "after-multiline-string.toml": [
        "{path}:11: questions[1].answer_seconds: expected a positive number of seconds, "
        'got "a minute"',
    ],
    "several-problems.toml": [
        "{path}:2: bank.name: is empty",
        "{path}:6: questions[1].category: expected text in quotes, got 7",
        '{path}:7: questions[1].tip: unknown key; did you mean "tips"?',
        "{path}:10: questions[2].text: is empty",
    ],
    "not-utf8.toml": [
        "{path}:2:12: not UTF-8 text (byte 0xe9); save the file as UTF-8",
    ],
}


def problems_of(path: Path) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_bank(path)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return list(caught.value.problems)


def test_every_case_file_has_an_expected_message() -> None:
    assert sorted(p.name for p in CASES_DIR.glob("*.toml")) == sorted(CASES)
    assert len(CASES) >= 20


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_bank_file(name: str) -> None:
    path = CASES_DIR / name
    expected = [line.format(path=path) for line in CASES[name]]
    assert problems_of(path) == expected


# Problems with the file itself, made at run time (empty folders and 1 MB files stay out of git).


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _blank(path: Path) -> None:
    path.write_text("\n   \n\t\n")


def _huge(path: Path) -> None:
    path.write_text("# padding\n" * (MAX_BYTES // 10 + 1))


def _folder(path: Path) -> None:
    path.mkdir()


def _unreadable(path: Path) -> None:
    # A regular file whose read fails for every user, root included: offset 0 of /proc/self/mem.
    path.symlink_to("/proc/self/mem")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


def _missing(path: Path) -> None:
    pass


FILE_CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "empty": (_empty, "{path}: is empty; a bank needs a [bank] table and [[questions]]"),
    "blank": (_blank, "{path}: is empty; a bank needs a [bank] table and [[questions]]"),
    "huge": (
        _huge,
        "{path}: is 1,048,580 bytes; a bank file can be at most 1 MB (1,048,576 bytes)",
    ),
    "folder": (_folder, "{path}: is a folder, not a bank file"),
    "unreadable": (_unreadable, "{path}: cannot read: Input/output error"),
    "fifo": (_fifo, "{path}: is not a regular file"),
    "socket": (_socket, "{path}: is not a regular file"),
    "missing": (_missing, "{path}: cannot read: No such file or directory"),
}


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_unusable_file(case: str, tmp_path: Path) -> None:
    make, message = FILE_CASES[case]
    path = tmp_path / f"{case}.toml"
    make(path)
    assert problems_of(path) == [message.format(path=path)]


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(
        b'\xef\xbb\xbf[bank]\nname = "Saved by Notepad"\n[[questions]]\ntext = "Why?"\n'
    )
    assert load_bank(path).name == "Saved by Notepad"


def test_many_problems_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "many.toml"
    path.write_text('[bank]\nname = "Many"\n' + '[[questions]]\ntext = ""\n' * 30)
    problems = problems_of(path)
    assert len(problems) == 21
    assert problems[0] == f"{path}:4: questions[1].text: is empty"
    assert problems[-1] == f"{path}: … and 10 more problems"


def test_deep_nesting_is_a_bank_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}")


def test_an_integer_too_long_to_convert_is_a_bank_error(tmp_path: Path) -> None:
    path = tmp_path / "long-number.toml"
    path.write_text("[bank]\nanswer_seconds = " + "9" * 5000 + "\n")
    (problem,) = problems_of(path)
    assert problem == (
        f"{path}: cannot read the TOML: Exceeds the limit (4300 digits) for integer string "
        "conversion: value has 5000 digits"
    )
