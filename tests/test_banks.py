"""Question banks: the built-ins, loading, the line locator, discovery and choosing questions."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from practice import workspace
from practice.banks import (
    Bank,
    BankError,
    Question,
    builtin_dir,
    choose,
    discover,
    find,
    load_bank,
    new_bank_template,
    slug,
    write_new_bank,
)
from practice.tomlfile import Locator

REPOSITORY = Path(__file__).resolve().parents[1]
BUILTIN_IDS = {
    "informational-asking",
    "informational-introducing",
    "behavioural-star",
    "job-interview",
    "career-change",
}


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def small_bank(name: str, *texts: str) -> str:
    questions = "".join(f'\n[[questions]]\ntext = "{text}"\n' for text in texts or ("Why?",))
    return f'[bank]\nname = "{name}"\n{questions}'


# ── the built-in banks ──────────────────────────────────────────────────────────────────────────


def test_builtin_dir_is_the_repository_folder_in_an_editable_install() -> None:
    assert builtin_dir() == REPOSITORY / "question_banks"


@pytest.mark.parametrize("bank_id", sorted(BUILTIN_IDS))
def test_builtin_bank_is_complete(bank_id: str) -> None:
    bank = load_bank(REPOSITORY / "question_banks" / f"{bank_id}.toml", builtin=True)
    assert bank.id == bank_id
    assert bank.builtin
    assert bank.name and bank.description
    assert len(bank.questions) >= 12
    assert len({q.id for q in bank.questions}) == len(bank.questions)
    assert len({q.text for q in bank.questions}) == len(bank.questions)
    for question in bank.questions:
        assert len(question.talking_points) >= 3, question.id
        assert question.tips, question.id
        assert question.category, question.id
        assert 20 <= question.answer_seconds <= 180, question.id


def test_builtin_questions_cover_the_topics_the_issue_names() -> None:
    asking = load_bank(REPOSITORY / "question_banks" / "informational-asking.toml")
    categories = set(asking.categories)
    assert {"the work", "the industry", "the organization", "their path", "hindsight"} <= categories
    assert any("who else" in q.text.lower() for q in asking.questions)
    introducing = load_bank(REPOSITORY / "question_banks" / "informational-introducing.toml")
    assert {"introduction", "motivation", "skills", "research"} <= set(introducing.categories)
    star = load_bank(REPOSITORY / "question_banks" / "behavioural-star.toml")
    assert all(q.text.startswith(("Tell me", "Describe", "Give")) for q in star.questions)


def test_banks_loads_neither_textual_nor_sounddevice() -> None:
    code = "import sys, practice.banks; print(' '.join(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "practice.banks" in loaded
    assert not {"textual", "sounddevice", "numpy"} & set(loaded)


# ── loading ─────────────────────────────────────────────────────────────────────────────────────


def test_load_a_full_question(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mine.toml",
        """
[bank]
name = "Mine"
description = "Mine to rehearse."
answer_seconds = 75

[[questions]]
text = "  What does a typical day look like for you?  "
id = "typical-day"
category = "the work"
answer_seconds = 60
talking_points = ["mornings", "meetings"]
tips = "Ask about last week."
follow_ups = ["And last week?"]

[[questions]]
text = "What is hard about it?"
""",
    )
    bank = load_bank(path)
    assert bank == Bank(
        id="mine",
        name="Mine",
        description="Mine to rehearse.",
        answer_seconds=75,
        questions=(
            Question(
                id="typical-day",
                text="What does a typical day look like for you?",
                category="the work",
                answer_seconds=60,
                talking_points=("mornings", "meetings"),
                tips="Ask about last week.",
                follow_ups=("And last week?",),
            ),
            Question(
                id="what-is-hard-about-it",
                text="What is hard about it?",
                category=None,
                answer_seconds=75,
            ),
        ),
        source=path,
        builtin=False,
    )
    assert bank.categories == ("the work",)


def test_the_default_answer_length_is_ninety_seconds(tmp_path: Path) -> None:
    bank = load_bank(write(tmp_path, "plain.toml", small_bank("Plain")))
    assert bank.answer_seconds == 90
    assert bank.questions[0].answer_seconds == 90


def test_derived_ids_are_unique_and_avoid_given_ones(tmp_path: Path) -> None:
    text = small_bank("Same", "Tell me about a time.", "Tell me about a time!", "Why?")
    text += '\n[[questions]]\nid = "why"\ntext = "Why, though?"\n'
    bank = load_bank(write(tmp_path, "same.toml", text))
    assert [q.id for q in bank.questions] == [
        "tell-me-about-a-time",
        "tell-me-about-a-time-2",
        "why-2",
        "why",
    ]


def test_slug() -> None:
    assert (
        slug("What does a typical day look like for you?")
        == "what-does-a-typical-day-look-like-for-you"
    )
    assert slug("Café & Crème: l'été") == "café-crème-l-été"
    assert slug("A" + " word" * 20) == "a-word-word-word-word-word-word-word-word-word"
    assert slug("x" * 60) == "x" * 48
    assert slug("?!") == ""


def test_a_question_of_punctuation_only_gets_a_numbered_id(tmp_path: Path) -> None:
    bank = load_bank(write(tmp_path, "dots.toml", small_bank("Dots", "Why?", "…?")))
    assert [q.id for q in bank.questions] == ["why", "question-2"]


def test_empty_tips_count_as_none(tmp_path: Path) -> None:
    text = small_bank("Tips") + 'tips = ""\n'
    assert load_bank(write(tmp_path, "tips.toml", text)).questions[0].tips is None


# ── the locator ─────────────────────────────────────────────────────────────────────────────────


def test_locator_finds_tables_and_keys() -> None:
    locator = Locator(
        """# comment: text = "not a key"
[bank]
name = "x"
"answer_seconds" = 60

[[questions]]
text = "one"

[[ questions ]]
tips = '''
text = "inside a string"
[[questions]]
'''
text = "two"
category.deep = "dotted"
"""
    )
    assert locator.line("bank") == 2
    assert locator.line("bank", "name") == 3
    assert locator.line("bank", "answer_seconds") == 4
    assert locator.line("bank", "missing") == 2
    assert locator.line(1) == 6
    assert locator.line(1, "text") == 7
    assert locator.line(2, "tips") == 10
    assert locator.line(2, "text") == 14
    assert locator.line(2, "category") == 15
    assert locator.line(3) is None
    assert locator.line("", "nothing") is None


def test_locator_is_not_fooled_by_arrays_that_look_like_headers() -> None:
    locator = Locator('[bank]\nname = "x"\nnested = [\n  ["a"],\n  [1, 2]\n]\nlast = 1\n')
    assert locator.line("bank", "last") == 7


def test_windows_line_endings_keep_the_right_lines(tmp_path: Path) -> None:
    path = tmp_path / "crlf.toml"
    path.write_bytes(b'[bank]  # mine\r\nname = "x"\r\n\r\n[[questions]]\r\ntext = ""\r\n')
    with pytest.raises(BankError) as caught:
        load_bank(path)
    assert caught.value.problems == (f"{path}:5: questions[1].text: is empty",)


def test_locator_falls_back_to_an_inline_array_and_dotted_tables() -> None:
    locator = Locator('questions = [\n  { text = "a" },\n]\n[bank.extra]\nkey = 1\n')
    assert locator.line(2, "text") == 1
    assert locator.line("bank", "extra") == 4
    assert locator.line("bank.extra", "key") == 5
    assert locator.line("", "key") is None


# ── discovery ───────────────────────────────────────────────────────────────────────────────────


def test_discover_in_the_repository_reads_the_builtins_once() -> None:
    found = discover(workspace.resolve(cwd=REPOSITORY, home=REPOSITORY))
    assert set(found.banks) == BUILTIN_IDS
    assert all(bank.builtin for bank in found.banks.values())
    assert found.problems == []
    assert found.notices == []


def test_discover_orders_by_name_and_reads_every_place(isolated_home: Path, tmp_path: Path) -> None:
    place = workspace.resolve()
    write(place.banks_dir, "zeta.toml", small_bank("Aardvark questions"))
    write(place.user_banks_dir, "from-config.toml", small_bank("Config bank"))
    extra = write(tmp_path / "extra", "extra.toml", small_bank("Extra bank")).parent
    found = discover(place, [extra])
    assert set(found.banks) == BUILTIN_IDS | {"zeta", "from-config", "extra"}
    names = [bank.name for bank in found.banks.values()]
    assert names == sorted(names, key=str.casefold)
    assert names[0] == "Aardvark questions"
    assert not found.banks["zeta"].builtin
    assert found.problems == []


def test_a_user_bank_replaces_a_builtin_with_a_notice(isolated_home: Path, tmp_path: Path) -> None:
    place = workspace.resolve()
    mine = write(place.banks_dir, "job-interview.toml", small_bank("My job interview"))
    found = discover(place)
    assert found.banks["job-interview"].source == mine
    assert found.notices == [f'bank "job-interview" from {mine} replaces the built-in one']
    extra = write(tmp_path / "extra", "job-interview.toml", small_bank("Extra job interview"))
    found = discover(place, [extra.parent])
    assert found.banks["job-interview"].source == extra
    assert found.notices[-1] == f'bank "job-interview" from {extra} replaces the one in {mine}'


def test_a_broken_bank_never_hides_the_good_ones(isolated_home: Path) -> None:
    place = workspace.resolve()
    write(place.banks_dir, "good.toml", small_bank("Good"))
    broken = write(place.banks_dir, "broken.toml", "[bank]\nname = \n")
    (place.banks_dir / "folder.toml").mkdir()
    write(place.banks_dir, "notes.txt", "not a bank")
    write(place.banks_dir, ".hidden.toml", "not a bank either")
    found = discover(place)
    assert "good" in found.banks
    assert set(found.banks) >= BUILTIN_IDS
    assert found.problems == [
        f"{broken}:2:8: Invalid value",
        f"{place.banks_dir / 'folder.toml'}: is a folder, not a bank file",
    ]


def test_a_broken_user_bank_leaves_the_builtin_in_place(isolated_home: Path) -> None:
    place = workspace.resolve()
    write(place.banks_dir, "career-change.toml", "")
    found = discover(place)
    assert found.banks["career-change"].builtin
    assert len(found.problems) == 1


def test_banks_given_as_a_file_or_a_missing_folder(isolated_home: Path, tmp_path: Path) -> None:
    single = write(tmp_path, "single.toml", small_bank("Single"))
    missing = tmp_path / "nowhere"
    found = discover(workspace.resolve(), [single, missing])
    assert "single" in found.banks
    assert found.problems == [f"{missing}: no such folder (given with --banks)"]


def test_find_explains_missing_and_broken_banks(isolated_home: Path) -> None:
    place = workspace.resolve()
    broken = write(place.banks_dir, "broken.toml", "")
    found = discover(place)
    assert find(found, "career-change").name == "Career change"
    with pytest.raises(BankError) as caught:
        find(found, "career-chnage")
    assert str(caught.value) == (
        'no bank "career-chnage"; did you mean "career-change"?'
        " (practice banks list shows them all)"
    )
    with pytest.raises(BankError) as caught:
        find(found, "broken")
    assert caught.value.problems == (
        'bank "broken" cannot be used:',
        f"{broken}: is empty; a bank needs a [bank] table and [[questions]]",
    )


# ── choosing ────────────────────────────────────────────────────────────────────────────────────


def numbered_bank() -> Bank:
    questions = tuple(
        Question(id=f"q{n}", text=f"Q{n}?", category="odd" if n % 2 else "Even", answer_seconds=60)
        for n in range(1, 11)
    )
    return Bank("numbers", "Numbers", "", 60, questions, Path("numbers.toml"))


def ids(questions: list[Question]) -> list[str]:
    return [q.id for q in questions]


def test_choose_in_order_with_a_count() -> None:
    bank = numbered_bank()
    assert ids(choose(bank)) == [f"q{n}" for n in range(1, 11)]
    assert ids(choose(bank, count=3)) == ["q1", "q2", "q3"]
    assert len(choose(bank, count=50)) == 10


def test_choose_shuffle_is_repeatable_with_a_seed() -> None:
    bank = numbered_bank()
    first = ids(choose(bank, order="shuffle", seed=7))
    assert first == ids(choose(bank, order="shuffle", seed=7))
    assert sorted(first) == sorted(ids(choose(bank)))
    assert first != ids(choose(bank))
    assert ids(choose(bank, order="shuffle", seed=7, count=4)) == first[:4]


def test_choose_random_picks_count_and_keeps_the_bank_order() -> None:
    bank = numbered_bank()
    picked = ids(choose(bank, order="random", count=4, seed=3))
    assert len(set(picked)) == 4
    assert picked == sorted(picked, key=lambda q: int(q[1:]))
    assert picked == ids(choose(bank, order="random", count=4, seed=3))
    assert len(choose(bank, order="random", seed=1)) == 1
    seen = {tuple(ids(choose(bank, order="random", count=4, seed=s))) for s in range(20)}
    assert len(seen) > 10


def test_choose_one_category_ignoring_case() -> None:
    bank = numbered_bank()
    assert ids(choose(bank, category="even")) == ["q2", "q4", "q6", "q8", "q10"]
    assert ids(choose(bank, category="ODD", count=2)) == ["q1", "q3"]


def test_choose_rejects_bad_requests() -> None:
    bank = numbered_bank()
    with pytest.raises(
        BankError, match=r'^bank "numbers" has no category "evens"; did you mean "Even"\?$'
    ):
        choose(bank, category="evens")
    with pytest.raises(BankError, match=r"^the number of questions must be at least 1, got 0$"):
        choose(bank, count=0)
    with pytest.raises(BankError, match=r'^unknown order "sideways"'):
        choose(bank, order="sideways")  # type: ignore[arg-type]
    plain = Bank("plain", "Plain", "", 60, (Question("a", "A?", None, 60),), Path("plain.toml"))
    with pytest.raises(BankError, match='has no categories, so no category "x"'):
        choose(plain, category="x")


# ── a new bank ──────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "name", ["Data engineering", 'Quotes "and" \\ backslashes', "Émigré talks"]
)
def test_the_template_loads_as_it_is(name: str, tmp_path: Path) -> None:
    text = new_bank_template(name)
    assert tomllib.loads(text)["bank"]["name"] == name
    bank = load_bank(write(tmp_path, "new.toml", text))
    assert bank.name == name
    assert [q.id for q in bank.questions] == ["about-you", "write-your-next-question-here"]
    optional = ("description", "id", "category", "answer_seconds", "talking_points", "tips")
    for key in (*optional, "follow_ups"):
        lines = [line for line in text.splitlines() if line.startswith(f"{key} =")]
        assert lines, key
        assert all("# optional" in line for line in lines), key


def test_write_new_bank(isolated_home: Path) -> None:
    place = workspace.resolve()
    path = write_new_bank(place, "Data Engineering!")
    assert path == isolated_home / "question_banks" / "data-engineering.toml"
    assert load_bank(path).name == "Data Engineering!"
    with pytest.raises(BankError, match="already exists"):
        write_new_bank(place, "data engineering")
    with pytest.raises(BankError, match='cannot make a file name from "\\?\\?"'):
        write_new_bank(place, "??")


def test_write_new_bank_makes_the_folder(tmp_path: Path) -> None:
    place = workspace.resolve(home=tmp_path / "fresh")
    path = write_new_bank(place, "First")
    assert path == tmp_path / "fresh" / "question_banks" / "first.toml"
    assert load_bank(path).name == "First"
