"""The words of an answer as the coaching rules read them: normalised tokens and sentences.

Each engine word becomes one or more tokens (lower case, punctuation stripped, apostrophes kept),
each pointing back to the word it came from, so that what a rule finds can be shown where it was
said. A sentence ends at a word that ends in ``.``, ``?`` or ``!``; very long sentences are also
cut before a clause opener after a comma ("…, so I …"), because spoken answers run on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from practice.analysis.transcript import Word

_TOKEN = re.compile(r"[a-z0-9$%][a-z0-9$%'.,-]*[a-z0-9%]|[a-z0-9$%]")
_END = re.compile(r"[.?!][\"')\]]*$")
_COMMA = re.compile(r"[,;:—–][\"')\]]*$")
LONG_SENTENCE = 30
"""A sentence of more words than this is also cut at a comma before a clause opener."""
_OPENERS = frozenset({"so", "which", "and", "but", "then", "because", "as", "after", "when"})


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    """Lower case, without surrounding punctuation (``we've``, ``40%``, ``2,000``)."""
    word: int
    """Index of the engine word it came from."""
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Sentence:
    tokens: tuple[Token, ...]
    question_mark: bool
    """It ended with ``?``."""

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(token.text for token in self.tokens)

    @property
    def start(self) -> float:
        return self.tokens[0].start

    @property
    def end(self) -> float:
        return self.tokens[-1].end

    @property
    def words(self) -> tuple[int, int]:
        """First and last engine word (inclusive)."""
        return self.tokens[0].word, self.tokens[-1].word


def tokens(words: Sequence[Word]) -> tuple[Token, ...]:
    """The tokens of the words, in order (a word with no letters or digits gives none)."""
    out = []
    for index, word in enumerate(words):
        for text in _TOKEN.findall(word.text.lower().replace("’", "'")):
            out.append(Token(text.rstrip(".,"), index, word.start, word.end))
    return tuple(out)


def sentences(words: Sequence[Word]) -> tuple[Sentence, ...]:
    """The sentences of the answer (see the module docstring for where one ends)."""
    result: list[Sentence] = []
    current: list[Token] = []
    commas: list[int] = []  # positions in ``current`` that follow a comma
    for index, word in enumerate(words):
        found = [t for t in tokens([word]) if t.text]
        current += [Token(t.text, index, t.start, t.end) for t in found]
        text = word.text.strip()
        if _END.search(text) and current:
            result += _cut(current, commas, question=text.rstrip("\"')]").endswith("?"))
            current, commas = [], []
        elif _COMMA.search(text):
            commas.append(len(current))
    if current:
        result += _cut(current, commas, question=False)
    return tuple(result)


def _cut(tokens_: list[Token], commas: list[int], *, question: bool) -> list[Sentence]:
    """One sentence, or several when it is long and has clause openers after commas."""
    if len(tokens_) <= LONG_SENTENCE or question:
        return [Sentence(tuple(tokens_), question)]
    cuts = [c for c in commas if 0 < c < len(tokens_) and tokens_[c].text in _OPENERS]
    pieces, begin = [], 0
    for cut in cuts:
        if cut - begin >= 6:
            pieces.append(Sentence(tuple(tokens_[begin:cut]), False))
            begin = cut
    pieces.append(Sentence(tuple(tokens_[begin:]), question))
    return pieces


@lru_cache(maxsize=8192)
def lemma(text: str) -> str:
    """The dictionary form of an English word ("led" → "lead", "teams" → "team").

    simplemma's ``low_memory`` dictionary reads its compressed word list in place (2 MiB
    resident) instead of building a Python dict of it (20 MiB); the lemmas are the same (all
    260,820 words of its English list and 100,000 inflected forms compared) at about 30 µs a
    new word instead of 6."""
    import simplemma

    return str(simplemma.lemmatize(text, lang="en", low_memory=True)).lower()


def past_form(word: str) -> bool:
    """Whether a word is a past form of a verb ("helped", "ran", "set")."""
    if not word.isalpha():
        return False
    if word in _SAME_PAST or word.endswith("ed"):
        return True
    return lemma(word) != word and not word.endswith(("s", "ing"))


def has(texts: Sequence[str], phrase: Sequence[str], at: int) -> bool:
    """Whether ``phrase`` occurs in ``texts`` starting at ``at``."""
    return tuple(texts[at : at + len(phrase)]) == tuple(phrase)


def word_set(text: str) -> frozenset[str]:
    """The words of a space-separated list (for the rules' word lists)."""
    return frozenset(text.split())


_SAME_PAST = word_set("set put cut let hit shut spread read led ran")
"""Past forms that the "-ed or not its own lemma" test misses."""
