"""Question banks: the TOML format, loading with precise errors, discovery, choosing questions.

A bank is one TOML file; its id is the file name without ``.toml``::

    [bank]
    name = "Informational interviews"
    description = "…"
    answer_seconds = 90
    kind = "star"               # optional: "star", "asking" or "general" (how answers are coached)

    [[questions]]
    text = "What does a typical day look like for you?"
    id = "typical-day"          # optional; derived from the text when absent
    category = "the work"       # optional
    answer_seconds = 60         # optional; the bank's value when absent
    kind = "asking"             # optional; the bank's kind when absent
    talking_points = ["…", { text = "…", synonyms = ["…"] }]   # optional; synonyms too
    tips = "…"                  # optional
    follow_ups = ["…"]          # optional

Every problem is reported as one line that names the file, the line and the field:
``path:line:col: message`` for TOML syntax, ``path:line: questions[3].answer_seconds: …`` for the
schema (``questions[N]`` counts the ``[[questions]]`` tables from 1).
"""

from __future__ import annotations

import difflib
import importlib.resources
import json
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Literal

import tomli_w

from practice import tomlfile
from practice.errors import PracticeError
from practice.files import make_private_folder, reason, write_atomic
from practice.text import printable
from practice.tomlfile import TomlFile, TomlFileError
from practice.workspace import Workspace

"""A bank file larger than this is refused."""
DEFAULT_ANSWER_SECONDS = 90
MAX_ANSWER_SECONDS = 3600
MAX_PROBLEMS = 20
"""At most this many problems are listed for one file; the rest are counted."""

BANK_KEYS = ("name", "description", "answer_seconds", "kind")
QUESTION_KEYS = (
    "text",
    "id",
    "category",
    "answer_seconds",
    "kind",
    "talking_points",
    "tips",
    "follow_ups",
)
POINT_KEYS = ("text", "synonyms")
TOP_KEYS = ("bank", "questions")

Kind = Literal["star", "asking", "general"]
KINDS: tuple[Kind, ...] = ("star", "asking", "general")
"""How answers are coached: ``star`` (a behavioural story: Situation, Task, Action, Result),
``asking`` (the speaker asks a question, as in an informational interview), ``general``."""

Order = Literal["in-order", "shuffle", "random"]
ORDERS: tuple[Order, ...] = ("in-order", "shuffle", "random")


class BankError(PracticeError):
    """A bank that cannot be used; the message has one line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    category: str | None
    answer_seconds: int
    """Target length of an answer (the question's own value, else the bank's)."""
    talking_points: tuple[str, ...] = ()
    tips: str | None = None
    follow_ups: tuple[str, ...] = ()
    kind: Kind | None = None
    """How answers are coached (the question's own value, else the bank's)."""
    synonyms: tuple[tuple[str, ...], ...] = ()
    """Per talking point, other words that cover it (empty tuples when none were given)."""


@dataclass(frozen=True, slots=True)
class Bank:
    id: str
    """The file name without ``.toml``."""
    name: str
    description: str
    answer_seconds: int
    questions: tuple[Question, ...]
    source: Path
    builtin: bool = False
    kind: Kind | None = None

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories in the order they first appear."""
        return tuple(dict.fromkeys(q.category for q in self.questions if q.category))


@dataclass(frozen=True, slots=True)
class Discovery:
    """Every bank found, plus what went wrong on the way."""

    banks: dict[str, Bank]
    """By id, ordered by name."""
    problems: list[str]
    """One line per problem with a bank file or folder; the good banks are still in ``banks``."""
    notices: list[str]
    """Things worth knowing, such as a user bank replacing a built-in one."""


# ── loading ──────────────────────────────────────────────────────────────────────────────────────


def load_bank(path: Path, *, builtin: bool = False) -> Bank:
    """Read and validate one bank file; raise :class:`BankError` listing every problem found."""
    if printable(path.stem) != path.stem:
        raise BankError([f"{path}: its file name has control characters; rename the file"])
    try:
        file = tomlfile.load(path, noun="bank file", empty=_EMPTY)
    except FileNotFoundError as error:
        raise BankError([f"{path}: cannot read: {reason(error)}"]) from None
    except TomlFileError as error:
        raise BankError([str(error)]) from None
    return _Validator(file).bank(file.data, builtin=builtin)


_EMPTY = "a bank needs a [bank] table and [[questions]]"


def _shown(value: object) -> str:
    """A value as the user wrote it in TOML, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key(key: str) -> str:
    """A key as TOML writes it: bare when it can be, else quoted."""
    return key if _BARE_KEY.fullmatch(key) else _shown(key)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    options = list(choices)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean {_shown(close[0])}?"
    return "expected one of " + ", ".join(_key(option) for option in options)


class _Validator:
    """Turns parsed TOML into a :class:`Bank`, collecting one line per problem."""

    def __init__(self, file: TomlFile) -> None:
        self.file = file
        self.path = file.path
        self.problems: list[tuple[int, str]] = []
        """(line, message); reported in line order."""

    def problem(self, section: str | int, key: str | None, field: str, message: str) -> None:
        line = self.file.locator.line(section, key)
        self.problems.append((line or 0, self.file.problem(section, key, field, message)))

    def bank(self, data: dict[str, Any], *, builtin: bool) -> Bank:
        for key in data:
            if key not in TOP_KEYS:
                message = "unknown key; " + _did_you_mean(key, TOP_KEYS)
                self.problem("", key, _key(key), message)
        header = data.get("bank")
        name, description, answer_seconds = "", "", DEFAULT_ANSWER_SECONDS
        kind: Kind | None = None
        if header is None:
            self.problem("", None, "bank", 'missing; start the file with [bank] and name = "…"')
        elif not isinstance(header, dict):
            self.problem("", "bank", "bank", f"expected a [bank] table, got {_shown(header)}")
        else:
            for key in header:
                if key == "questions":
                    message = "belongs after the [bank] table: write [[questions]] tables"
                    self.problem("bank", key, "bank.questions", message)
                elif key not in BANK_KEYS:
                    message = "unknown key; " + _did_you_mean(key, BANK_KEYS)
                    self.problem("bank", key, f"bank.{_key(key)}", message)
            name = self.text(header, "bank", "name", "bank.name", required=True) or ""
            description = self.text(header, "bank", "description", "bank.description") or ""
            seconds = self.seconds(header, "bank", "bank.answer_seconds")
            answer_seconds = seconds if seconds is not None else DEFAULT_ANSWER_SECONDS
            kind = self.kind(header, "bank", "bank.kind")
        misplaced = isinstance(header, dict) and "questions" in header and "questions" not in data
        questions = () if misplaced else self.questions(data.get("questions"), answer_seconds, kind)
        if self.problems:
            raise BankError(self.capped())
        return Bank(
            id=self.path.stem,
            name=name,
            description=description,
            answer_seconds=answer_seconds,
            questions=questions,
            source=self.path,
            builtin=builtin,
            kind=kind,
        )

    def capped(self) -> list[str]:
        lines = [message for _, message in sorted(self.problems, key=lambda item: item[0])]
        if len(lines) <= MAX_PROBLEMS:
            return lines
        rest = len(lines) - MAX_PROBLEMS
        return [*lines[:MAX_PROBLEMS], f"{self.path}: … and {rest} more problems"]

    def questions(
        self, tables: object, answer_seconds: int, kind: Kind | None = None
    ) -> tuple[Question, ...]:
        if tables is None or tables == []:
            self.problem("", "questions", "questions", "none; add at least one [[questions]] table")
            return ()
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            message = f"expected [[questions]] tables (two brackets), got {_shown(tables)}"
            self.problem("", "questions", "questions", message)
            return ()
        explicit: dict[str, int] = {}
        for number, table in enumerate(tables, start=1):
            given = table.get("id")
            if isinstance(given, str) and given in explicit:
                first = explicit[given]
                where = self.file.locator.line(first, "id")
                at = f" (line {where})" if where is not None else ""
                self.problem(
                    number,
                    "id",
                    f"questions[{number}].id",
                    f"{_shown(given)} is already the id of questions[{first}]{at}",
                )
            elif isinstance(given, str):
                explicit[given] = number
        taken = set(explicit)
        result = []
        for number, table in enumerate(tables, start=1):
            question = self.question(number, table, answer_seconds, taken, kind)
            if question is not None:
                result.append(question)
        return tuple(result)

    def question(
        self,
        number: int,
        table: dict[str, Any],
        answer_seconds: int,
        taken: set[str],
        bank_kind: Kind | None = None,
    ) -> Question | None:
        label = f"questions[{number}]"
        before = len(self.problems)
        for key in table:
            if key not in QUESTION_KEYS:
                message = "unknown key; " + _did_you_mean(key, QUESTION_KEYS)
                self.problem(number, key, f"{label}.{_key(key)}", message)
        text = self.text(table, number, "text", f"{label}.text", required=True)
        given_id = table.get("id")
        if given_id is not None and not (isinstance(given_id, str) and _ID.fullmatch(given_id)):
            self.problem(
                number,
                "id",
                f"{label}.id",
                f"expected letters, digits, '-' and '_' (no spaces), got {_shown(given_id)}",
            )
        category = self.text(table, number, "category", f"{label}.category")
        seconds = self.seconds(table, number, f"{label}.answer_seconds")
        talking_points, synonyms = self.points(table, number, label)
        kind = self.kind(table, number, f"{label}.kind")
        tips = self.text(table, number, "tips", f"{label}.tips", allow_empty=True)
        follow_ups = self.texts(table, number, "follow_ups", label)
        if len(self.problems) > before or text is None:
            return None
        if isinstance(given_id, str):
            question_id = given_id
        else:
            question_id = _unique(slug(text) or f"question-{number}", taken)
            taken.add(question_id)
        return Question(
            id=question_id,
            text=text,
            category=category,
            answer_seconds=seconds if seconds is not None else answer_seconds,
            talking_points=talking_points,
            tips=tips or None,
            follow_ups=follow_ups,
            kind=kind or bank_kind,
            synonyms=synonyms if any(synonyms) else (),
        )

    def kind(self, table: dict[str, Any], section: str | int, label: str) -> Kind | None:
        value = table.get("kind")
        if value is None:
            return None
        for kind in KINDS:
            if value == kind:
                return kind
        if isinstance(value, str):
            message = f"unknown kind {_shown(value)}; " + _did_you_mean(value, KINDS)
        else:
            message = f"expected one of {', '.join(map(_shown, KINDS))}, got {_shown(value)}"
        self.problem(section, "kind", label, message)
        return None

    def points(
        self, table: dict[str, Any], section: int, label: str
    ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        """Talking points: each text, or a table ``{ text = "…", synonyms = ["…"] }``."""
        value = table.get("talking_points")
        if value is None:
            return (), ()
        field = f"{label}.talking_points"
        if not isinstance(value, list):
            got = _shown(value)
            self.problem(
                section, "talking_points", field, f'expected a list like ["…", "…"], got {got}'
            )
            return (), ()
        points: list[str] = []
        synonyms: list[tuple[str, ...]] = []
        for index, item in enumerate(value, start=1):
            where = f"{field}[{index}]"
            if isinstance(item, dict):
                for key in item:
                    if key not in POINT_KEYS:
                        message = "unknown key; " + _did_you_mean(key, POINT_KEYS)
                        self.problem(section, "talking_points", f"{where}.{_key(key)}", message)
                text = self.text(item, section, "text", f"{where}.text", required=True)
                others = self.texts(item, section, "synonyms", where)
                if text is not None:
                    points.append(text)
                    synonyms.append(others)
            elif not isinstance(item, str):
                message = (
                    f"expected text in quotes or {{ text = …, synonyms = […] }}, got {_shown(item)}"
                )
                self.problem(section, "talking_points", where, message)
            elif not item.strip():
                self.problem(section, "talking_points", where, "is empty")
            else:
                points.append(printable(item.strip()))
                synonyms.append(())
        return tuple(points), tuple(synonyms)

    def text(
        self,
        table: dict[str, Any],
        section: str | int,
        key: str,
        label: str,
        *,
        required: bool = False,
        allow_empty: bool = False,
    ) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(section, None, label, f'missing; add {key} = "…"')
            return None
        if not isinstance(value, str):
            self.problem(section, key, label, f"expected text in quotes, got {_shown(value)}")
            return None
        if not value.strip() and not allow_empty:
            self.problem(section, key, label, "is empty")
            return None
        return printable(value.strip())

    def texts(
        self, table: dict[str, Any], section: str | int, key: str, label: str
    ) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            got = _shown(value)
            self.problem(
                section, key, f"{label}.{key}", f'expected a list like ["…", "…"], got {got}'
            )
            return ()
        items = []
        for index, item in enumerate(value, start=1):
            where = f"{label}.{key}[{index}]"
            if not isinstance(item, str):
                self.problem(section, key, where, f"expected text in quotes, got {_shown(item)}")
            elif not item.strip():
                self.problem(section, key, where, "is empty")
            else:
                items.append(printable(item.strip()))
        return tuple(items)

    def seconds(self, table: dict[str, Any], section: str | int, label: str) -> int | None:
        value = table.get("answer_seconds")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            message = f"expected a positive number of seconds, got {_shown(value)}"
            self.problem(section, "answer_seconds", label, message)
            return None
        if value > MAX_ANSWER_SECONDS:
            message = f"expected at most {MAX_ANSWER_SECONDS} seconds, got {value}"
            self.problem(section, "answer_seconds", label, message)
            return None
        return value


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def slug(text: str, limit: int = 48) -> str:
    """A lower-case, hyphenated id made of the words of ``text``, at most ``limit`` characters."""
    words = re.sub(r"[\W_]+", " ", text.casefold()).split()
    result = ""
    for word in words:
        longer = f"{result}-{word}" if result else word
        if len(longer) > limit:
            return result or word[:limit]
        result = longer
    return result


def _unique(candidate: str, taken: set[str]) -> str:
    result, n = candidate, 2
    while result in taken:
        result, n = f"{candidate}-{n}", n + 1
    return result


# ── discovery ────────────────────────────────────────────────────────────────────────────────────


def builtin_dir() -> Path | None:
    """The folder of built-in banks: inside the installed package, else the repository's."""
    packaged = importlib.resources.files("practice") / "_banks"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    repository = Path(__file__).resolve().parent.parent / "question_banks"
    return repository if repository.is_dir() else None


def bank_files(folder: Path) -> list[Path]:
    """The ``*.toml`` entries of a folder (not hidden), sorted by name."""
    return sorted(
        entry
        for entry in folder.iterdir()
        if entry.name.endswith(".toml") and not entry.name.startswith(".")
    )


def discover(place: Workspace, extra_dirs: Sequence[Path] = ()) -> Discovery:
    """Find every bank: built-in, the user config folder, the workspace, then ``--banks`` folders.

    A later bank with the same id replaces an earlier one, with a notice. A folder met twice (the
    repository's ``question_banks/`` is both the workspace's and the built-in one) is read once.
    """
    banks: dict[str, Bank] = {}
    problems: list[str] = []
    notices: list[str] = []
    seen: set[Path] = set()
    builtin = builtin_dir()
    if builtin is None:
        problems.append("the built-in banks are missing from this installation")
    sources: list[tuple[Path, bool, bool]] = [(builtin, True, False)] if builtin else []
    sources += [(place.user_banks_dir, False, False), (place.banks_dir, False, False)]
    sources += [(Path(extra), False, True) for extra in extra_dirs]
    for folder, is_builtin, asked in sources:
        resolved = folder.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        for bank in _load_source(folder, problems, builtin=is_builtin, asked=asked):
            previous = banks.get(bank.id)
            if previous is not None:
                what = "the built-in one" if previous.builtin else f"the one in {previous.source}"
                notices.append(f"bank {_shown(bank.id)} from {bank.source} replaces {what}")
            banks[bank.id] = bank
    by_name = sorted(banks.items(), key=lambda item: (item[1].name.casefold(), item[0]))
    return Discovery(dict(by_name), problems, notices)


def _load_source(folder: Path, problems: list[str], *, builtin: bool, asked: bool) -> list[Bank]:
    """The good banks of a folder (or of one file given with ``--banks``); problems are appended."""
    if asked and folder.is_file():
        files = [folder]
    elif folder.is_dir():
        try:
            files = bank_files(folder)
        except OSError as error:
            problems.append(f"{folder}: cannot read the folder: {reason(error)}")
            return []
    else:
        if asked:
            problems.append(f"{folder}: no such folder (given with --banks)")
        return []
    banks = []
    for path in files:
        try:
            banks.append(load_bank(path, builtin=builtin))
        except BankError as error:
            problems.extend(error.problems)
    return banks


def find(found: Discovery, bank_id: str) -> Bank:
    """The bank with this id, or a :class:`BankError` that says what is wrong or what was meant."""
    if bank_id in found.banks:
        return found.banks[bank_id]
    broken = [p for p in found.problems if Path(p.split(":", 1)[0]).stem == bank_id]
    if broken:
        raise BankError([f"bank {_shown(bank_id)} cannot be used:", *broken])
    hint = difflib.get_close_matches(bank_id, list(found.banks), n=1)
    maybe = f"; did you mean {_shown(hint[0])}?" if hint else ""
    raise BankError([f"no bank {_shown(bank_id)}{maybe} (practice banks list shows them all)"])


# ── choosing questions ───────────────────────────────────────────────────────────────────────────


def choose(
    bank: Bank,
    *,
    order: Order = "in-order",
    count: int | None = None,
    category: str | None = None,
    seed: int | None = None,
) -> list[Question]:
    """Questions to rehearse.

    ``category`` keeps one category (case does not matter). ``order`` is ``"in-order"`` (the bank's
    order), ``"shuffle"`` (all of them, shuffled) or ``"random"`` (``count`` picked at random, one
    when ``count`` is None, kept in the bank's order). ``count`` caps how many; ``seed`` makes the
    shuffle or pick repeatable.
    """
    if order not in ORDERS:
        raise BankError([f'unknown order "{order}"; expected one of {", ".join(ORDERS)}'])
    if count is not None and count < 1:
        raise BankError([f"the number of questions must be at least 1, got {count}"])
    questions = list(bank.questions)
    if category is not None:
        wanted = category.casefold()
        questions = [q for q in questions if q.category and q.category.casefold() == wanted]
        if not questions:
            raise BankError([_no_category(bank, category)])
    rng = random.Random(seed)
    if order == "shuffle":
        rng.shuffle(questions)
    elif order == "random":
        picked = set(rng.sample(range(len(questions)), min(count or 1, len(questions))))
        questions = [q for i, q in enumerate(questions) if i in picked]
    return questions[:count] if count is not None else questions


def _no_category(bank: Bank, category: str) -> str:
    if not bank.categories:
        return f"bank {_shown(bank.id)} has no categories, so no category {_shown(category)}"
    return f"bank {_shown(bank.id)} has no category {_shown(category)}; " + _did_you_mean(
        category, bank.categories
    )


# ── a new bank ───────────────────────────────────────────────────────────────────────────────────


def new_bank_template(name: str) -> str:
    """A commented bank file, ready to fill in, that loads as it is (whatever the name holds:
    bytes that are not UTF-8 become U+FFFD, control characters a visible escape)."""
    readable = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    quoted = tomli_w.dumps({"name": printable(readable.strip())}).strip().removeprefix("name = ")
    return _TEMPLATE.replace("{name}", quoted)


_TEMPLATE = """\
# A question bank for practice. Its id is this file's name without .toml.
# Check it with:  practice banks check <this file>
# Rehearse it:    practice rehearse --bank <id>

[bank]
name = {name}
description = "What these questions are for, in one sentence."   # optional
answer_seconds = 90        # optional: the usual target length of an answer, in seconds
kind = "general"           # optional: how answers are coached: "star" (a story: Situation, Task,
                           # Action, Result), "asking" (you ask a question) or "general"

# One [[questions]] table per question, in the order you want them asked.
# Only text is required.

[[questions]]
text = "Tell me about yourself."
id = "about-you"           # optional: letters, digits, - and _; made from the text if absent
category = "openers"       # optional: rehearse one category with --category
answer_seconds = 60        # optional: overrides the bank's answer_seconds
talking_points = [         # optional: what a strong answer mentions
    "Where you are now, in one sentence",
    "One or two things you have done that matter for this role",
    { text = "Why you are here today", synonyms = ["reason", "interested"] },   # other words too
]
tips = "Keep it to a minute; end on why this conversation matters to you."  # optional
follow_ups = ["What brought you to that?"]   # optional: questions that may come next

[[questions]]
text = "Write your next question here."
"""


TEMPLATE_PLACEHOLDERS = (
    "What these questions are for, in one sentence.",
    "Write your next question here.",
)
"""The template's stand-in texts, which a bank is not meant to keep."""


def placeholders(bank: Bank) -> list[str]:
    """Where ``bank`` still has the template's stand-in text (``description``,
    ``questions[2].text``): it loads, but it is not written yet."""
    found = ["description"] if bank.description in TEMPLATE_PLACEHOLDERS else []
    found += [
        f"questions[{index}].text"
        for index, question in enumerate(bank.questions, start=1)
        if question.text in TEMPLATE_PLACEHOLDERS
    ]
    return found


def write_new_bank(place: Workspace, name: str) -> Path:
    """Write a template for a new bank into the workspace; refuse to overwrite a file."""
    bank_id = slug(name)
    if not bank_id:
        raise BankError([f"cannot make a file name from {_shown(name)}; use letters or digits"])
    path = place.banks_dir / f"{bank_id}.toml"
    content = new_bank_template(name).encode("utf-8")  # before any file is made
    try:
        if not place.banks_dir.is_dir():
            make_private_folder(place.banks_dir)
        write_atomic(path, content, replace=False)  # 0600, whole or not at all, never over a file
    except FileExistsError:
        raise BankError([f"{path}: already exists; edit it, or choose another name"]) from None
    except OSError as error:
        raise BankError([f"{path}: cannot write: {reason(error)}"]) from None
    return path
