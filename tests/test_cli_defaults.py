"""The CLI's review commands default to the newest session, and ``analyze`` reads the settings
the studio uses, so the same recording gets the same verdicts in both."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from practice import sessions, workspace
from practice.cli import main
from practice.records import Attempt, QuestionRef, Session
from practice.sessions import SessionStore
from practice.settings import Settings, save_settings
from tests.sample_reports import make_report


def _saved(home: Path, bank_name: str, when: str) -> Session:
    store = SessionStore(home / "recordings")
    session = store.create("bank", bank_name, [QuestionRef("q", "Why us?")])
    attempt = Attempt(0, 1, when, None, make_report("I like the product and the team " * 3))
    return store.finish(store.add_attempt(session, attempt))


def test_show_and_report_default_to_the_newest_session(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["show"]) == 1
    assert capsys.readouterr().err.strip().startswith("practice: no sessions yet in ")
    minutes = itertools.count()
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(sessions, "_now", lambda: start + timedelta(minutes=next(minutes)))
    _saved(isolated_home, "Older bank", "2026-03-01T09:00:00+00:00")
    newer = _saved(isolated_home, "Newer bank", "2026-03-02T09:00:00+00:00")
    for argv in (["show"], ["show", "latest"], ["show", "last"], ["report", "--format", "md"]):
        assert main(argv) == 0, argv
        out = capsys.readouterr().out
        assert "Newer bank" in out and "Older bank" not in out, argv
    assert main(["report", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == newer.id


def test_history_cuts_a_long_bank_name_with_an_ellipsis(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _saved(isolated_home, "Behavioural questions (STAR)", "2026-03-01T09:00:00+00:00")
    assert main(["history"]) == 0
    assert "Behavioural questio… " in capsys.readouterr().out


@pytest.mark.model
def test_analyze_uses_the_pace_band_and_long_pause_of_the_settings(
    isolated_home: Path, jfk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    place = workspace.resolve(None)
    save_settings(place, replace(Settings(), pace_low=130, pace_high=155, long_pause_seconds=0.8))
    assert main(["analyze", "--json", str(jfk)]) == 0
    targets = json.loads(capsys.readouterr().out)["targets"]
    assert (targets["pace_low"], targets["pace_high"], targets["long_pause_s"]) == (130, 155, 0.8)
    assert main(["analyze", "--json", "--long-pause", "1.5", str(jfk)]) == 0
    assert json.loads(capsys.readouterr().out)["targets"]["long_pause_s"] == 1.5


def test_check_says_when_a_new_bank_still_has_the_template_text(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["banks", "new", "Data engineering"]) == 0
    capsys.readouterr()
    path = isolated_home / "question_banks" / "data-engineering.toml"
    assert main(["banks", "check", str(path)]) == 0  # it loads: a template is not an error
    line = capsys.readouterr().out.splitlines()[0]
    assert line.endswith("still the template's text: description, questions[2].text")
    text = path.read_text()
    text = text.replace("What these questions are for, in one sentence.", "Pipelines.")
    path.write_text(text.replace("Write your next question here.", "How do you test a DAG?"))
    assert main(["banks", "check", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"ok  {path}  (2 questions)"
    assert main(["banks", "check"]) == 0  # the built-in banks are written
    assert "template" not in capsys.readouterr().out


def test_a_single_bracket_questions_table_gets_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = tmp_path / "pm.toml"
    bank.write_text(
        '[bank]\nname = "PM"\n\n[questions]\ntext = "One?"\n\n[questions]\ntext = "Two?"\n'
    )
    assert main(["banks", "check", str(bank)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{bank}:7:")
    assert err.endswith(
        "the table [questions] is declared twice; each question is a [[questions]] table "
        "(double brackets)"
    )
