"""The coaching benchmark's labelled answers are well formed (the figures depend on it)."""

from __future__ import annotations

import pytest

from benchmarks.coaching.__main__ import AFTER_FINAL, SPLITS, load, score, written
from practice.analysis.coaching.structure import PARTS

STAR_LABELS = {"parts", "quantified", "we_heavy"}
ASKING_LABELS = {"asked", "count", "long_preamble"}


@pytest.mark.parametrize("split", [split for split, path in SPLITS.items() if path.is_file()])
def test_every_answer_is_labelled_for_its_kind(split: str) -> None:
    answers = load(split)
    assert len(answers) >= 20
    for answer in answers:
        assert answer.markup.count("{") == answer.markup.count("}"), answer.id
        if answer.kind == "star":
            assert set(answer.labels) == STAR_LABELS, answer.id
            assert set(answer.labels["parts"]) <= set(PARTS), answer.id
        else:
            assert answer.kind == "asking", answer.id
            assert ASKING_LABELS <= set(answer.labels) <= {*ASKING_LABELS, "question"}
            assert (answer.labels["count"] == 0) == ("question" not in answer.labels)


def test_ids_are_unique_across_the_set() -> None:
    ids = [answer.id for split in SPLITS for answer in load(split)]
    assert len(ids) == len(set(ids)) >= 60


def test_parts_not_written_yet_are_empty_and_the_clean_test_comes_after_all_the_others() -> None:
    assert all(load(split) == [] for split, path in SPLITS.items() if not path.is_file())
    assert (
        list(SPLITS)[-len(AFTER_FINAL) :]
        == list(AFTER_FINAL)
        == [f"held-out-{n}" for n in range(48, 88)]
    )


def test_a_wrong_coaching_is_counted_against_the_labels() -> None:
    (answer,) = [a for a in load("dev") if a.id == "dev-star-noresult-1"]
    counts = score([(answer, written(answer))])
    assert counts["missing part"].tp == 1 and counts["missing part"].fp == 0
    other = next(a for a in load("dev") if a.id == "dev-star-full-1")
    crossed = score([(answer, written(other))])  # the full answer's coaching, wrong labels
    assert crossed["missing part"].fn == 1
