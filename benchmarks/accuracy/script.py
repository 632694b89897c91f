"""Answer scripts: markup that says what is spoken, which words are fillers, where silences go.

Markup, one script per TOML entry (see ``scripts/*.toml``):

- plain text is spoken as written; its words are the plain words (WPM, WER);
- ``{um}`` is one filler occurrence; its type is the canonical name of the text inside
  (``{you know}`` → ``you know``); ``{I|repeat}`` gives the type explicitly (the text is spoken,
  the type after ``|`` is scored; ``repeat`` is short for ``repetition``, practice's type for a
  repeated word such as the first "I" of "I, I");
- ``[1.5]`` is an inserted silence of 1.5 seconds;
- ``<so>`` is a word (or words) drawn out on purpose: plain words, never a filler;
- ``(laugh)`` and ``(cough)`` are a laugh and a cough: neither words nor fillers.

The last two are rendered only by the variants that speak a script as running text
(:mod:`benchmarks.accuracy.people`); the chunk renderer refuses them.

Words outside braces are never fillers, even when they are discourse markers ("I like my job",
"so that"): that is what makes precision measurable.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from practice.analysis.events import HESITATIONS, REPETITION, TYPES
from practice.errors import PracticeError

MARKERS = tuple(kind for kind in TYPES if kind not in (*HESITATIONS, REPETITION, "literally"))
"""Discourse markers: words that are fillers in some uses and ordinary words in others (all of
practice's but "literally", which the scripts do not use)."""

FILLER_TYPES = (*HESITATIONS, *MARKERS, REPETITION)

SCRIPTS_DIR = Path(__file__).with_name("scripts")

Split = Literal["dev", "test"]


class ScriptError(PracticeError):
    """An answer script or its markup is malformed."""


@dataclass(frozen=True, slots=True)
class Speech:
    """A run of plain words, spoken as written."""

    text: str

    @property
    def words(self) -> tuple[str, ...]:
        return words_of(self.text)


@dataclass(frozen=True, slots=True)
class Filler:
    """One filler occurrence: ``text`` is spoken, ``type`` is scored."""

    text: str
    type: str

    @property
    def hesitation(self) -> bool:
        return self.type in HESITATIONS


@dataclass(frozen=True, slots=True)
class Silence:
    """An inserted silence."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Drawn:
    """Plain words drawn out on purpose (not fillers)."""

    text: str

    @property
    def words(self) -> tuple[str, ...]:
        return words_of(self.text)


SOUNDS = ("laugh", "cough")


@dataclass(frozen=True, slots=True)
class Sound:
    """A laugh or a cough: neither words nor a filler."""

    kind: str


Part = Speech | Filler | Silence | Drawn | Sound


@dataclass(frozen=True, slots=True)
class Script:
    """One answer: its identity, the question it answers, and its parsed markup."""

    id: str
    question: str
    kind: str
    split: Split
    markup: str
    parts: tuple[Part, ...]

    @property
    def fillers(self) -> tuple[Filler, ...]:
        return tuple(part for part in self.parts if isinstance(part, Filler))

    @property
    def silences(self) -> tuple[Silence, ...]:
        return tuple(part for part in self.parts if isinstance(part, Silence))


_TOKEN = re.compile(r"\{([^{}\[\]]*)\}|\[([^{}\[\]]*)\]|<([^<>{}\[\]()]*)>|\(([^(){}\[\]<>]*)\)")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


def words_of(text: str) -> tuple[str, ...]:
    """Lower-cased words with punctuation stripped (apostrophes inside words kept)."""
    return tuple(_WORD.findall(text.lower().replace("\u2019", "'")))


_SPELLINGS = {
    "umm": "um",
    "uhh": "uh",
    "erm": "er",
    "ahh": "ah",
    "hm": "hmm",
    "ok": "okay",
    "repeat": REPETITION,
}


def canonical_type(text: str) -> str | None:
    """The filler type a spoken filler text stands for, or None when it is not a known filler."""
    key = " ".join(words_of(text))
    key = _SPELLINGS.get(key, key)
    return key if key in FILLER_TYPES else None


def parse(markup: str, where: str = "script") -> tuple[Part, ...]:
    """Parse markup into parts; ``where`` names the script in error messages."""
    parts: list[Part] = []
    position = 0
    for match in _TOKEN.finditer(markup):
        _add_speech(parts, markup[position : match.start()], where)
        filler, silence, drawn, sound = match.groups()
        if filler is not None:
            parts.append(_filler(filler, where))
        elif silence is not None:
            parts.append(_silence(silence, where))
        elif drawn is not None:
            if not words_of(drawn):
                raise ScriptError(f"{where}: empty drawn-out word <{drawn}>")
            parts.append(Drawn(" ".join(drawn.split())))
        else:
            if sound.strip() not in SOUNDS:
                raise ScriptError(f"{where}: ({sound}) is not a sound (known: {', '.join(SOUNDS)})")
            parts.append(Sound(sound.strip()))
        position = match.end()
    _add_speech(parts, markup[position:], where)
    if not any(isinstance(part, Speech | Drawn) for part in parts):
        raise ScriptError(f"{where}: no plain words to speak")
    return tuple(parts)


def _add_speech(parts: list[Part], text: str, where: str) -> None:
    for bracket in "{}[]<>()":
        if bracket in text:
            raise ScriptError(f"{where}: unbalanced {bracket!r} near {text.strip()[:40]!r}")
    text = " ".join(text.split())
    if words_of(text):
        parts.append(Speech(text))


def _filler(inside: str, where: str) -> Filler:
    text, _, explicit = inside.partition("|")
    text = text.strip()
    if not words_of(text):
        raise ScriptError(f"{where}: empty filler {{{inside}}}")
    kind = canonical_type(explicit) if explicit else canonical_type(text)
    if kind is None or kind not in FILLER_TYPES:
        raise ScriptError(
            f"{where}: {{{inside}}} is not a known filler type "
            f"(known: {', '.join(FILLER_TYPES)}; write {{text|type}})"
        )
    return Filler(text, kind)


def _silence(inside: str, where: str) -> Silence:
    try:
        seconds = float(inside)
    except ValueError:
        raise ScriptError(f"{where}: [{inside}] is not a silence in seconds") from None
    if not 0.05 <= seconds <= 10.0:
        raise ScriptError(f"{where}: silence [{inside}] must be 0.05-10 seconds")
    return Silence(seconds)


def load_scripts(folder: Path = SCRIPTS_DIR) -> tuple[Script, ...]:
    """Every script in ``folder/*.toml`` (``[[script]]`` tables), in file then table order."""
    scripts: list[Script] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ScriptError(f"{path}: {error}") from None
        for index, table in enumerate(data.get("script", [])):
            script = _script(table, f"{path.name} script #{index + 1}")
            if script.id in seen:
                raise ScriptError(f"{path.name}: duplicate script id {script.id!r}")
            seen.add(script.id)
            scripts.append(script)
    if not scripts:
        raise ScriptError(f"{folder}: no [[script]] tables in *.toml")
    return tuple(scripts)


def _script(table: dict[str, object], where: str) -> Script:
    fields = {}
    for name in ("id", "question", "kind", "split", "text"):
        value = table.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ScriptError(f"{where}: missing text field {name!r}")
        fields[name] = value.strip()
    split = fields["split"]
    if split not in ("dev", "test"):
        raise ScriptError(f"{where}: split must be 'dev' or 'test', not {split!r}")
    where = f"{where} ({fields['id']})"
    return Script(
        id=fields["id"],
        question=fields["question"],
        kind=fields["kind"],
        split="dev" if split == "dev" else "test",
        markup=fields["text"],
        parts=parse(fields["text"], where),
    )
