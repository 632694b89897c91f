"""Bank kinds (how answers are coached) and talking points with synonyms."""

from __future__ import annotations

from pathlib import Path

import pytest

from practice import banks
from practice.analysis.coaching import KINDS
from practice.banks import BankError, load_bank


def _bank(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_banks_and_the_coaching_know_the_same_kinds() -> None:
    assert banks.KINDS == KINDS


def test_a_question_takes_the_bank_kind_unless_it_gives_its_own(tmp_path: Path) -> None:
    bank = load_bank(
        _bank(
            tmp_path,
            '[bank]\nname = "x"\nkind = "asking"\n\n[[questions]]\ntext = "a"\n\n'
            '[[questions]]\ntext = "b"\nkind = "general"\n',
        )
    )
    assert bank.kind == "asking"
    assert [q.kind for q in bank.questions] == ["asking", "general"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('kind = "stars"', 'questions[1].kind: unknown kind "stars"; did you mean "star"?'),
        ("kind = 3", 'questions[1].kind: expected one of "star", "asking", "general", got 3'),
    ],
)
def test_a_wrong_kind_is_one_line_naming_the_field(tmp_path: Path, line: str, message: str) -> None:
    path = _bank(tmp_path, f'[bank]\nname = "x"\n\n[[questions]]\ntext = "a"\n{line}\n')
    with pytest.raises(BankError) as caught:
        load_bank(path)
    assert caught.value.problems == (f"{path}:6: {message}",)


def test_talking_points_may_carry_synonyms(tmp_path: Path) -> None:
    bank = load_bank(
        _bank(
            tmp_path,
            '[bank]\nname = "x"\n\n[[questions]]\ntext = "a"\ntalking_points = [\n'
            '  "plain",\n  { text = "the result", synonyms = ["outcome", "in the end"] },\n]\n',
        )
    )
    (question,) = bank.questions
    assert question.talking_points == ("plain", "the result")
    assert question.synonyms == ((), ("outcome", "in the end"))


@pytest.mark.parametrize(
    ("point", "message"),
    [
        (
            '{ text = "r", synonym = ["o"] }',
            'talking_points[1].synonym: unknown key; did you mean "synonyms"?',
        ),
        ('{ synonyms = ["o"] }', 'talking_points[1].text: missing; add text = "…"'),
        ('{ text = "r", synonyms = "o" }', "talking_points[1].synonyms: expected a list like"),
        ("4", "talking_points[1]: expected text in quotes or { text = …, synonyms = […] }, got 4"),
    ],
)
def test_a_malformed_talking_point_is_one_line(tmp_path: Path, point: str, message: str) -> None:
    path = _bank(
        tmp_path, f'[bank]\nname = "x"\n\n[[questions]]\ntext = "a"\ntalking_points = [{point}]\n'
    )
    with pytest.raises(BankError) as caught:
        load_bank(path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}:") and f"questions[1].{message}" in problem


def test_the_builtin_behavioural_and_asking_banks_say_their_kind() -> None:
    folder = banks.builtin_dir()
    assert folder is not None
    star = load_bank(folder / "behavioural-star.toml")
    asking = load_bank(folder / "informational-asking.toml")
    assert {q.kind for q in star.questions} == {"star"}
    assert [q.id for q in asking.questions if q.kind != "asking"] == ["opening", "closing"]
