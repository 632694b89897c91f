from __future__ import annotations

from pathlib import Path

import pytest

from practice.compare import MetricChange, WordChange, attempts_at_question, compare, word_diff
from practice.records import Attempt, QuestionRef, Session
from practice.sessions import SessionStore
from tests.sample_reports import make_report


def test_the_word_diff_keeps_the_later_words_and_shows_the_removed_ones_in_place() -> None:
    diff = word_diff("So um I led the billing project.", "So I led the whole billing project!")
    assert diff == (
        WordChange("same", "So"),
        WordChange("deleted", "um"),
        WordChange("same", "I led the"),
        WordChange("inserted", "whole"),
        WordChange("same", "billing project!"),  # punctuation and case are not a change
    )


def test_a_replaced_run_is_deleted_then_inserted() -> None:
    assert word_diff("we cut costs", "we halved costs") == (
        WordChange("same", "we"),
        WordChange("deleted", "cut"),
        WordChange("inserted", "halved"),
        WordChange("same", "costs"),
    )
    assert word_diff("", "hello there") == (WordChange("inserted", "hello there"),)


def test_every_metric_changes_from_the_first_attempt_to_the_second() -> None:
    first = make_report(
        "so um I led um the project and uh it went well " * 2, pause_after=3, pause_s=2
    )
    second = make_report("I led the billing project and it went well for the team " * 2)
    result = compare(first, second)
    by_name = {metric.name: metric for metric in result.metrics}
    assert list(by_name) == ["Score", "Pace", "Fillers", "Long pauses", "Length", "Articulation"]
    assert first.score is not None and second.score is not None
    assert by_name["Score"] == MetricChange("Score", "", first.score, second.score, "higher")
    assert by_name["Fillers"].before == pytest.approx(first.fillers_per_minute)
    assert by_name["Fillers"].after == 0.0 and by_name["Fillers"].improved is True
    assert (by_name["Long pauses"].before, by_name["Long pauses"].after) == (1, 0)
    assert by_name["Long pauses"].change == -1 and by_name["Long pauses"].improved is True
    assert by_name["Pace"].after == pytest.approx(second.pace.wpm)
    assert by_name["Pace"].improved is None  # neither faster nor slower is simply better
    assert by_name["Length"].after == pytest.approx(second.speaking_seconds)
    assert by_name["Articulation"].before == pytest.approx(first.pace.articulation_sps)
    assert WordChange("inserted", "billing") in result.words


def test_a_worse_score_is_not_an_improvement_and_no_change_is_neither() -> None:
    assert MetricChange("Score", "", 80, 70, "higher").improved is False
    assert MetricChange("Score", "", 70, 70, "higher").improved is None


def test_the_score_is_compared_only_when_both_attempts_have_one() -> None:
    short = make_report("I led it.")
    full = make_report("I led the billing project and it went well for the team " * 2)
    assert short.score is None and full.score is not None
    names = [metric.name for metric in compare(short, full).metrics]
    assert names == ["Pace", "Fillers", "Long pauses", "Length", "Articulation"]


def test_attempts_at_a_question_are_gathered_across_sessions_on_the_bank(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "recordings")
    asked = [QuestionRef("why", "Why us?"), QuestionRef("you", "Tell me about yourself.")]
    text = "I led the billing project and it went well for the whole team " * 2

    def answered(bank: str, refs: list[QuestionRef], question: int, when: str) -> Session:
        session = store.create(bank, bank, refs)
        attempt = Attempt(question, 1, when, None, make_report(text))
        return store.finish(store.add_attempt(session, attempt))

    old = answered("jobs", asked, 1, "2026-03-01T09:00:00+00:00")
    answered("other", asked, 1, "2026-03-02T09:00:00+00:00")  # another bank: not the same question
    damaged = answered("jobs", asked, 1, "2026-03-03T09:00:00+00:00")
    (damaged.folder / "session.json").write_text("{")
    now = answered("jobs", list(reversed(asked)), 0, "2026-03-04T09:00:00+00:00")
    now = store.add_attempt(now, Attempt(0, 2, "2026-03-04T09:05:00+00:00", None, None, "typed"))
    found = attempts_at_question(store, now, 0)
    assert [(past.session.id, past.attempt.number) for past in found] == [(old.id, 1), (now.id, 1)]
    assert found[0].label == "2026-03-01 09:00 attempt 1"
