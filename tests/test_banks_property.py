"""Whatever a bank file holds, the loader returns a Bank or raises BankError, nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.banks import BANK_KEYS, QUESTION_KEYS, Bank, BankError, load_bank
from practice.text import printable

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def keyed(keys: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    """Tables that mostly use the real keys (so validation runs deep), with some stray ones."""
    key = st.sampled_from(keys) | st.text(max_size=12)
    return st.dictionaries(key, values | st.text(max_size=30), max_size=len(keys) + 2)


documents = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "bank": keyed(BANK_KEYS) | values,
            "questions": st.lists(keyed(QUESTION_KEYS), max_size=5) | values,
        },
    ),
    st.dictionaries(st.text(max_size=10), values, max_size=4),
)


def check(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bank.toml"
        path.write_bytes(content)
        try:
            bank = load_bank(path)
        except BankError as error:
            assert error.problems
            for problem in error.problems:
                assert problem.startswith(str(path))
                assert "\n" not in problem
        else:
            assert isinstance(bank, Bank)
            assert bank.questions


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes(content: bytes) -> None:
    check(content)


@SETTINGS
@given(st.text(alphabet=st.sampled_from("[]{}=\"'#.,\n abc_-123\\"), max_size=200))
def test_arbitrary_toml_like_text(text: str) -> None:
    check(text.encode())


@SETTINGS
@given(documents)
def test_arbitrary_toml_documents(document: dict[str, Any]) -> None:
    check(tomli_w.dumps(document).encode())


@SETTINGS
@given(
    st.lists(
        st.fixed_dictionaries(
            {"text": st.text(min_size=1, max_size=40).filter(str.strip)},
            optional={
                "id": st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True),
                "category": st.text(min_size=1, max_size=10).filter(str.strip),
                "answer_seconds": st.integers(min_value=1, max_value=3600),
                "talking_points": st.lists(st.text(min_size=1).filter(str.strip), max_size=3),
                "tips": st.text(max_size=40),
            },
        ),
        min_size=1,
        max_size=6,
    )
)
def test_valid_documents_load_with_unique_ids(questions: list[dict[str, Any]]) -> None:
    given_ids = [q["id"] for q in questions if "id" in q]
    document = {"bank": {"name": "Generated"}, "questions": questions}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.toml"
        path.write_text(tomli_w.dumps(document), encoding="utf-8")
        if len(set(given_ids)) < len(given_ids):
            try:
                load_bank(path)
            except BankError as error:
                assert all("is already the id of" in p for p in error.problems)
            else:
                raise AssertionError("duplicate ids were accepted")
            return
        bank = load_bank(path)
    # Control characters come out as visible escapes (practice.text.printable), the rest as written
    assert [q.text for q in bank.questions] == [printable(q["text"].strip()) for q in questions]
    assert len({q.id for q in bank.questions}) == len(questions)
