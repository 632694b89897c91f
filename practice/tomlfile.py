"""TOML files for people to edit (question banks, the settings), read with one error format.

tomllib gives no positions, so :class:`Locator` finds the line of every table and key, and every
problem reads ``path:line: field: message`` (``path:line:column: message`` for a syntax error;
just ``path: message`` when there is no line). A file is read without following it into a pipe,
and it is at most :data:`MAX_BYTES`.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from practice.errors import PracticeError
from practice.files import UnsafeFile, open_regular, reason

MAX_BYTES = 1024 * 1024


class TomlFileError(PracticeError):
    """A TOML file cannot be read or parsed (one line, naming the file and the line)."""


@dataclass(frozen=True, slots=True)
class TomlFile:
    """A parsed file, with where each table and key is."""

    path: Path
    data: dict[str, Any]
    locator: Locator

    def problem(self, section: str | int, key: str | None, field: str, message: str) -> str:
        """``path:line: field: message``, the line that of ``key`` in ``section`` (see
        :meth:`Locator.line`); ``path: field: message`` when there is none."""
        line = self.locator.line(section, key)
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        return f"{where}: {field}: {message}"


def load(path: Path, *, noun: str, empty: str | None = None) -> TomlFile:
    """Read and parse ``path``, a ``noun`` ("bank file"); ``empty``: the reason an empty file is
    refused (None: an empty file is an empty table)."""
    text = read(path, noun=noun, empty=empty)
    return TomlFile(path, parse(path, text), Locator(text))


def read(path: Path, *, noun: str, empty: str | None = None) -> str:
    """The file's text (UTF-8, without a byte-order mark); FileNotFoundError when there is
    none."""
    try:
        fd = open_regular(path, follow_links=True)  # never blocks on a pipe
    except UnsafeFile:
        what = f"is a folder, not a {noun}" if path.is_dir() else "is not a regular file"
        raise TomlFileError(f"{path}: {what}") from None
    except FileNotFoundError:
        raise
    except OSError as error:
        raise TomlFileError(f"{path}: cannot read: {reason(error)}") from None
    with os.fdopen(fd, "rb") as stream:
        return _decode(path, stream, noun, empty)


def _decode(path: Path, stream: BinaryIO, noun: str, empty: str | None) -> str:
    info = os.fstat(stream.fileno())
    limit = f"a {noun} can be at most 1 MB ({MAX_BYTES:,} bytes)"
    if info.st_size > MAX_BYTES:
        raise TomlFileError(f"{path}: is {info.st_size:,} bytes; {limit}")
    try:
        raw = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise TomlFileError(f"{path}: cannot read: {reason(error)}") from None
    if len(raw) > MAX_BYTES:
        raise TomlFileError(f"{path}: is over 1 MB; {limit}")
    if empty is not None and not raw.strip():
        raise TomlFileError(f"{path}: is empty; {empty}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(raw, error.start)
        byte = raw[error.start]
        raise TomlFileError(
            f"{path}:{line}:{column}: not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def parse(path: Path, text: str) -> dict[str, Any]:
    """The TOML in ``text`` (read from ``path``), or a :class:`TomlFileError` in plain words."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlFileError(_syntax_problem(path, text, str(error))) from None
    except RecursionError:
        raise TomlFileError(f"{path}: the TOML is nested too deeply to read") from None
    except ValueError as error:  # an integer longer than Python converts; the advice is for coders
        why = str(error).split(";", 1)[0]
        raise TomlFileError(f"{path}: cannot read the TOML: {why}") from None


_TOML_AT = re.compile(
    r"^(?P<message>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$", re.S
)


def _syntax_problem(path: Path, text: str, error: str) -> str:
    match = _TOML_AT.match(error)
    if match is None:
        return f"{path}: {error}"
    if match["line"] is None:
        lines = text.split("\n")
        line, column = len(lines), len(lines[-1]) + 1
    else:
        line, column = int(match["line"]), int(match["column"])
    message = _PLAINER.get(match["message"], match["message"])
    declared = _DECLARED_TWICE.fullmatch(message)
    if declared is not None:  # tomllib names the table as a Python tuple
        table = ".".join(
            part.strip(" '\"") for part in declared["table"].split(",") if part.strip()
        )
        message = f"the table [{table}] is declared twice"
        if table == "questions":
            message += "; each question is a [[questions]] table (double brackets)"
    return f"{path}:{line}:{column}: {message}"


_DECLARED_TWICE = re.compile(r"Cannot declare \((?P<table>.*)\) twice")


_PLAINER = {
    "Illegal character '\\n'": 'unclosed string: a "…" string ends on its line (use """ for more)',
    "Unclosed array": "unclosed list: a [ is missing its ]",
    "Cannot overwrite a value": "this key is given twice",
}
"""Plainer words for tomllib's commonest messages."""


class Locator:
    """Finds the line of a table or key in the TOML text (tomllib gives no positions).

    It reads table headers and ``key =`` lines, skipping comments and multi-line strings. Keys in
    the ``[bank]`` table are found as ``("bank", key)``; keys of the Nth ``[[questions]]`` table as
    ``(N, key)`` (counting from 1); top-level keys as ``("", key)``.
    """

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\],]*?)\s*\]\]?\s*(?:#.*)?$")
    _KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:\.[^=]*)?=""")

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str | int, str], int] = {}
        self.headers: dict[str | int, int] = {}
        section: str | int = ""
        questions = 0
        in_string: str | None = None
        for number, line in enumerate(text.split("\n"), start=1):
            if in_string is not None:
                if line.count(in_string) % 2 == 1:
                    in_string = None
                continue
            header = self._HEADER.match(line)
            if header is not None:
                parts = [part.strip().strip("\"'") for part in header[2].split(".")]
                if header[1] == "[[" and parts == ["questions"]:
                    questions += 1
                    section = questions
                else:
                    section = ".".join(parts)
                    self.lines.setdefault(("", parts[0]), number)
                    if len(parts) > 1:
                        self.lines.setdefault((parts[0], parts[1]), number)
                self.headers.setdefault(section, number)
                continue
            key = self._KEY.match(line)
            if key is not None:
                self.lines.setdefault((section, key[1].strip("\"'")), number)
            for quotes in ('"""', "'''"):
                if line.count(quotes) % 2 == 1:
                    in_string = quotes
                    break

    def line(self, section: str | int, key: str | None = None) -> int | None:
        """The line of ``key`` in ``section``, else of the section, else of where it is defined."""
        if key is not None and (section, key) in self.lines:
            return self.lines[(section, key)]
        if section in self.headers:
            return self.headers[section]
        if isinstance(section, int):
            return self.lines.get(("", "questions"))
        return self.lines.get(("", section))
