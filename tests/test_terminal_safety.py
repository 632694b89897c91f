"""Text from files never drives the terminal: bank, session and transcript text reaching a
terminal (CLI output, Markdown reports, TUI screens, Textual markup too) has its control
characters and escape sequences shown, not obeyed. One function does it: practice.text.printable.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice import banks
from practice.cli import main
from practice.records import Attempt, QuestionRef
from practice.sessions import SessionStore
from practice.text import printable, printable_line
from practice.tui.app import make_app
from tests.sample_reports import make_report
from tests.tui_fakes import fakes, notes, run, settle

# What a terminal obeys instead of showing: C0 but tab and newline, DEL, C1, bidi controls;
# and what cannot be encoded at all (lone surrogates).
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

HOSTILE = [
    "\x1b[31mRED\x1b[0m",  # colours (CSI)
    "\x1b]0;pwned-title\x07",  # window title (OSC ended by BEL)
    "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\",  # hyperlink (OSC ended by ST)
    "\x1b[2J cleared",  # clear screen
    "\x9b31mC1 CSI",  # the one-byte C1 CSI
    "\x9d0;title\x9c",  # C1 OSC ... ST
    "\u202egnp.exe",  # right-to-left override
    "\b\b\b\bbackspace\r overwritten",  # cursor moves
    "DEL\x7f and NUL\x00",
    "[/] [bold]markup[/bold] [link=http://x]",  # Textual/Rich markup, unbalanced too
]


@given(st.text())
def test_printable_leaves_nothing_a_terminal_obeys(text: str) -> None:
    shown = printable(text)
    assert not RAW.search(shown)
    shown.encode("utf-8")  # always encodable, even from undecodable file names
    assert "\n" not in printable_line(text) and "\t" not in printable_line(text)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs"))))
def test_printable_keeps_ordinary_text_as_it_is(text: str) -> None:
    assert printable(text) == text


@given(st.text())
def test_printable_text_is_valid_inside_json_and_keeps_its_value_there(text: str) -> None:
    """The CLI filters JSON output too: an escape is a JSON escape of the same character."""
    encoded = json.dumps(text, ensure_ascii=False)
    assert json.loads(printable(encoded)) == text


def test_the_escapes_are_visible() -> None:
    assert printable("a\x1b[31mb\u202ec\udce9") == "a\\u001b[31mb\\u202ec\\udce9"
    assert all(unicodedata.category(c) != "Cc" for c in printable("".join(HOSTILE)) if c != "\n")


def _hostile_bank(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ansi.toml"
    quoted = [json.dumps(text) for text in HOSTILE]  # JSON string escapes are TOML's too
    path.write_text(
        "[bank]\n"
        f"name = {quoted[0]}\n"
        f"description = {quoted[6]}\n"
        "[[questions]]\n"
        f"text = {json.dumps(' '.join(HOSTILE))}\n"
        f"category = {quoted[4]}\n"
        f"talking_points = [{', '.join(quoted)}]\n"
        f"tips = {quoted[1]}\n"
        f"follow_ups = [{quoted[7]}]\n",
        encoding="utf-8",
    )
    return path


def _check(*outputs: str) -> None:
    for output in outputs:
        assert not RAW.search(output), repr(RAW.search(output))


def test_bank_text_is_made_printable_when_a_bank_loads(tmp_path: Path) -> None:
    bank = banks.load_bank(_hostile_bank(tmp_path))
    question = bank.questions[0]
    fields = [
        bank.name,
        bank.description,
        question.text,
        question.category or "",
        question.tips or "",
    ]
    _check(*fields, *question.talking_points, *question.follow_ups)
    assert bank.name == "\\u001b[31mRED\\u001b[0m"


@pytest.mark.parametrize("field", ["text", "name", "transcript", "typed"])
def test_hostile_text_in_a_session_file_is_shown_not_obeyed(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], field: str
) -> None:
    store = SessionStore(isolated_home / "recordings")
    bank = banks.load_bank(_hostile_bank(isolated_home / "question_banks"))
    session = store.create("ansi", "Plain", [QuestionRef.from_question(bank.questions[0])])
    report = make_report("so um I led the team and it went well")
    store.add_attempt(session, Attempt(0, 1, session.started, None, report, typed_text="ok"))
    path = session.folder / "session.json"
    data = json.loads(path.read_text())
    hostile = "".join(HOSTILE)
    if field == "text":
        data["questions"][0]["text"] = hostile
    elif field == "name":
        data["bank"]["name"] = hostile
    elif field == "transcript":
        data["attempts"][0]["report"]["words"][0]["text"] = hostile
    else:
        data["attempts"][0]["typed_text"] = hostile
    path.write_text(json.dumps(data), encoding="utf-8")
    for argv in (
        ["history"],
        ["history", "--json"],
        ["show", session.id],
        ["report", session.id, "--format", "md"],
        ["report", session.id, "--format", "json"],
        ["report", session.id, "--format", "html"],
    ):
        assert main(argv) == 0, argv
        out, err = capsys.readouterr()
        _check(out, err)
        if "--json" in argv or "json" in argv:
            json.loads(out)  # still valid JSON
    assert main(["report", session.id, "--format", "md", "-o", str(isolated_home / "r.md")]) == 0
    _check((isolated_home / "r.md").read_text(), *capsys.readouterr())


def test_bank_commands_show_hostile_banks_safely(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _hostile_bank(isolated_home / "question_banks")
    (isolated_home / "question_banks" / "\x1b[2Jbad.toml").write_text("[bank]\nname = 'x'\n")
    for argv in (
        ["banks", "list"],
        ["banks", "list", "--json"],
        ["banks", "show", "ansi"],
        ["banks", "check"],
    ):
        main(argv)
        out, err = capsys.readouterr()
        _check(out, err)
        assert "ansi" in out or "ansi" in err


def test_error_messages_with_hostile_file_names_are_shown_safely(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(isolated_home / "\x1b]0;t\x07missing\udce9.wav")]) == 1
    out, err = capsys.readouterr()
    _check(out, err)
    assert err.count("\n") == 1 and "no such file" in err


@run
async def test_the_tui_shows_hostile_banks_and_sessions_as_text(tmp_path: Path) -> None:
    bank = banks.load_bank(_hostile_bank(tmp_path / "banks"))
    markup = banks.Bank("markup", "[/] [bold]x", "", 60, bank.questions, tmp_path / "m.toml")
    f = fakes(tmp_path, banks=[bank, markup])
    session = f.store.create("ansi", bank.name, [QuestionRef.from_question(bank.questions[0])])
    f.store.add_attempt(session, Attempt(0, 1, session.started, None, make_report("so I led it")))
    path = session.folder / "session.json"
    data = json.loads(path.read_text())
    data["bank"]["name"] = "".join(HOSTILE)
    path.write_text(json.dumps(data), encoding="utf-8")
    app = make_app(f.services.place, f.services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        home = app.export_screenshot()
        await pilot.press("h")
        await settle(pilot)
        history = app.export_screenshot()
    for screen in (home, history):
        _check(screen)
    assert "[/] [bold]x" in home.replace("&#160;", " ")  # markup shown as text, not applied


@run
async def test_a_session_on_a_hostile_bank_runs_and_every_screen_shows_it_as_text(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Interview, feedback and summary: markup and escapes in the question and its category."""
    from tests.tui_fakes import all_fakes

    folder = tmp_path / "banks"
    folder.mkdir()
    (folder / "hostile.toml").write_text(
        "[bank]\n"
        'name = "[/] \\u001b[31mbank"\n'
        "[[questions]]\n"
        'text = "[/] [bold]Why\\u001b]0;t\\u0007 us?\\u202e"\n'
        'category = "[/]\\u009b31m"\n'
        'talking_points = ["[link=x]point[/link]"]\n',
        encoding="utf-8",
    )
    bank = banks.load_bank(folder / "hostile.toml")
    f = all_fakes(tmp_path, banks=[bank])
    app = make_app(f.services.place, f.services)
    shown = notes(app, monkeypatch)
    shots = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")  # start the session on the (only) bank
        await settle(pilot)
        shots.append(app.export_screenshot())  # feedback
        await pilot.press("enter")
        await settle(pilot)
        shots.append(app.export_screenshot())  # summary
        assert [n.message for n in shown] == []
    for shot in shots:
        _check(shot)
    assert "[/] [bold]Why" in shots[0].replace("&#160;", " ")
    assert f.session().questions[0].text.startswith("[/] [bold]Why\\u001b]0;t")
