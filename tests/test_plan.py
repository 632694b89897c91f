"""The practice plan: FSRS dates and reasons from the saved sessions, ``practice plan`` and
``practice rehearse --due``."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fsrs import Rating

from practice import banks, workspace
from practice.cli import main
from practice.plan import (
    NEW_PER_DAY,
    Outcome,
    Part,
    make_plan,
    missing_of,
    rating,
    read_sessions,
)
from practice.sessions import SessionStore
from practice.tui.app import make_app
from practice.tui.screens.interview import InterviewScreen
from practice.tui.services import Start
from tests.practice_history import (
    SESSIONS,
    STALE,
    STRONG,
    WEAK_RECENTLY,
    Planned,
    build_history,
    save,
)
from tests.sample_reports import make_report
from tests.tui_fakes import run


@pytest.fixture
def history(isolated_home: Path) -> SessionStore:
    store = SessionStore(isolated_home / "recordings")
    build_history(store, _banks(isolated_home))
    return store


def _banks(home: Path) -> dict[str, banks.Bank]:
    return banks.discover(workspace.resolve(home)).banks


def _plan_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["plan", "--json", *argv]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def _outcome(score: int | None, *parts: tuple[str, float, float], typed: bool = False) -> Outcome:
    return Outcome(
        "s",
        1,
        datetime.now().astimezone(),
        score,
        tuple(Part(*part) for part in parts),
        spoken=score is not None,
        typed=typed,
        transcript="",
    )


def test_the_rating_rule() -> None:
    full = (("pace", 30.0, 30.0), ("fillers", 30.0, 30.0))
    assert rating(_outcome(97, *full)) == Rating.Easy
    assert rating(_outcome(97, ("pace", 30, 30), ("length", 15, 20))) == Rating.Good
    assert rating(_outcome(90, *full)) == Rating.Good
    assert rating(_outcome(80, *full)) == Rating.Hard
    assert rating(_outcome(90, ("fillers", 12, 30))) == Rating.Hard
    assert rating(_outcome(70, *full)) == Rating.Again
    assert rating(_outcome(90, ("fillers", 6, 30))) == Rating.Again
    assert rating(_outcome(None)) == Rating.Again
    assert rating(_outcome(None, typed=True)) == Rating.Hard
    # a slip of 10 points since the previous review, or a missing talking point, costs a step
    assert rating(_outcome(90, *full), _outcome(100, *full)) == Rating.Hard
    assert rating(_outcome(90, *full), _outcome(95, *full)) == Rating.Good
    assert rating(replace(_outcome(97, *full), missing=("why you asked",))) == Rating.Good


def test_plan_puts_the_weak_and_the_stale_first_and_explains_each(
    history: SessionStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """The three weak answers (scored 60 to 65, rated Again) lead. Then the typed answer (rated
    Hard: it comes back to be said aloud), how-they-got-in (92, a little short: rated Good),
    then the answers scored 97 or more whose interval has run out (rated Easy), stalest first:
    why-us and five-years (28 days ago), best-and-hardest (18), the introducing pair (15),
    who-else (12) and skills-that-matter (99 six days ago, due sooner after its weak first try).
    typical-day (weak, then 100 six days ago) and the questions answered well again and again
    come later."""
    assert len(history.history()) == len(SESSIONS) == 20
    data = _plan_json(capsys)
    today = [item for item in data["items"] if item["today"]]
    assert data["today"] == len(today)
    answered = [item["question"] for item in today if not item["new"]]
    # the weakest last results first (rated Again), then by how stale they are
    assert tuple(answered[:3]) == WEAK_RECENTLY
    assert set(STALE) <= set(answered)
    assert answered == [
        "weakness",
        "salary",
        "pressure",
        "questions-for-us",
        "how-they-got-in",
        "why-us",
        "five-years",
        "best-and-hardest",
        "about-you",
        "why-this-field",
        "who-else",
        "skills-that-matter",
    ]
    later = [item["question"] for item in data["items"] if not item["today"]]
    assert set(STRONG) <= set(later)
    by_id = {item["question"]: item for item in today}
    for item in today:
        assert item["reasons"], item
    assert "fillers up since last time" in by_id["pressure"]["reasons"]
    assert by_id["salary"]["reasons"][0].startswith("scored 60 last time; weakest: pauses")
    assert "not rehearsed for 28 days" in by_id["why-us"]["reasons"]
    assert by_id["questions-for-us"]["reasons"][0] == "typed last time: say it aloud"
    assert all(item["rating"] == "Again" for item in today[:2])
    # a few never-answered questions are mixed in: one after every two due ones
    new = [index for index, item in enumerate(today) if item["new"]]
    assert len(new) == NEW_PER_DAY and new[0] == 2
    assert all(today[index]["reasons"] == ["never answered"] for index in new)
    for item in data["items"]:
        assert datetime.fromisoformat(item["due"])


def test_plan_for_one_bank_and_as_text(
    history: SessionStore, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _plan_json(capsys, "--bank", "informational-asking")
    assert {item["bank"] for item in data["items"]} == {"informational-asking"}
    assert main(["plan"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Today: 15 questions\n  1. What is your greatest weakness?")
    assert "not rehearsed for 28 days" in out and "never answered" in out
    assert main(["plan", "--bank", "nope"]) == 1
    assert 'no bank "nope"' in capsys.readouterr().err


def test_rehearsing_a_due_question_moves_it(
    history: SessionStore, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _plan_json(capsys)["items"][0]
    assert first["question"] == "weakness" and first["today"]
    now = datetime.now().astimezone() - timedelta(minutes=5)
    save(history, _banks(isolated_home), Planned(0, "job-interview", (("weakness", "good"),)), now)
    moved = next(item for item in _plan_json(capsys)["items"] if item["question"] == "weakness")
    assert not moved["today"] and moved["due"] > now.date().isoformat()
    assert moved["attempts"] == 2


def test_deleting_a_session_updates_the_plan(
    history: SessionStore, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {item["question"]: item for item in _plan_json(capsys)["items"]}
    assert not before["salary"]["new"]
    last_salary = next(s for s in history.history() if s.started.startswith(_days_ago(2)))
    assert main(["delete", "--yes", last_salary.id]) == 0
    assert capsys.readouterr().out == f"Deleted {last_salary.id}.\n"
    after = {item["question"]: item for item in _plan_json(capsys)["items"]}
    assert after["salary"]["new"] and after["weakness"]["new"]
    assert after["salary"]["reasons"][0].startswith("never answered")


def _days_ago(days: int) -> str:
    return (datetime.now().astimezone() - timedelta(days=days)).date().isoformat()


def test_no_sessions_no_plan(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan"]) == 0
    assert capsys.readouterr().out.startswith("No plan yet: rehearse a bank first")
    assert _plan_json(capsys)["items"] == []
    assert main(["rehearse", "--due"]) == 0
    assert "Nothing is due today" in capsys.readouterr().out


def test_plan_is_the_same_from_the_store_and_skips_questions_gone_from_their_bank(
    history: SessionStore, isolated_home: Path
) -> None:
    found = _banks(isolated_home)
    sessions = read_sessions(history)
    plan = make_plan(sessions, found.values())
    again = make_plan(read_sessions(history), found.values(), plan.now)
    assert plan == again
    job = found["job-interview"]
    trimmed = banks.Bank(
        job.id,
        job.name,
        job.description,
        job.answer_seconds,
        tuple(q for q in job.questions if q.id != "weakness"),
        job.source,
    )
    others = [bank for bank in found.values() if bank.id != job.id]
    without = make_plan(sessions, [*others, trimmed], plan.now)
    assert "weakness" not in {item.question_id for item in without.items}


def test_rehearse_due_starts_on_the_top_bank_with_its_due_questions(
    history: SessionStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[Start | None] = []

    def make_app(place: object, start: Start | None = None, extra_banks: object = ()) -> _NoApp:
        started.append(start)
        return _NoApp()

    monkeypatch.setattr("practice.tui.app.make_app", make_app)
    assert main(["rehearse", "--due", "--count", "2"]) == 0
    assert started == [Start("job-interview", questions=("weakness", "salary"))]
    assert main(["rehearse", "--due"]) == 0
    assert "more due after this session" in capsys.readouterr().err
    job_today = [
        item["question"]
        for item in _plan_json(capsys)["items"]
        if item["today"] and item["bank"] == "job-interview"
    ]
    assert started[1] == Start("job-interview", questions=tuple(job_today))
    assert main(["rehearse", "--due", "--shuffle"]) == 1
    with pytest.raises(SystemExit):  # argparse: --bank or --due is required
        main(["rehearse"])


class _NoApp:
    def run(self) -> None:
        return None


@run
async def test_the_due_start_opens_the_interview_on_those_questions(
    history: SessionStore,
) -> None:
    start = Start("job-interview", questions=("salary", "weakness"))
    app = make_app(workspace.resolve(), start=start)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert [question.id for question in app.screen.questions] == ["salary", "weakness"]
        await pilot.press("escape", "y")
        await app.workers.wait_for_complete()


def test_history_by_question_shows_each_questions_attempts_over_time(
    history: SessionStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "--questions", "--json"]) == 0
    found = {track["question"]: track for track in json.loads(capsys.readouterr().out)}
    assert len(found) == 21
    about = found["tell-me-about-yourself"]
    assert [a["score"] for a in about["attempts"]] == [57, 100, 100, 100]
    assert about["attempts"][0]["weakest"]["name"] == "pauses"
    assert about["trend"] == "improved +43"
    assert found["pressure"]["trend"] == "slipped -38"
    assert found["questions-for-us"]["attempts"][0]["typed"]
    whens = [a["when"] for a in about["attempts"]]
    assert whens == sorted(whens)
    assert main(["history", "--questions", "--bank", "job-interview"]) == 0
    out = capsys.readouterr().out
    assert "Tell me about yourself.  [job-interview]\n  57 → 100 → 100 → 100  (improved +43)" in out
    assert "weakest: pauses 0/20" in out and "[informational-asking]" not in out
    assert main(["history", "--bank", "job-interview"]) == 1


def test_what_the_coaching_found_missing_is_read_by_its_shape() -> None:
    def coached(missing: tuple[str, ...], mentioned: tuple[bool, ...]) -> object:
        points = tuple(SimpleNamespace(mentioned=m) for m in mentioned)
        structure = SimpleNamespace(missing=missing)
        return SimpleNamespace(coaching=SimpleNamespace(structure=structure, points=points))

    assert missing_of(make_report("I led the team.")) == ()  # saved before coaching existed
    assert missing_of(coached(("result",), (True, False))) == ("the result",)
    assert missing_of(coached((), (False, False))) == ("the talking points",)
    assert missing_of(coached((), ())) == ()
    assert missing_of(SimpleNamespace(coaching=SimpleNamespace(structure=None, points=()))) == ()
