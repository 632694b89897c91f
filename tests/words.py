"""Building word lists with known timing for the unit tests."""

from __future__ import annotations

from practice.analysis.transcript import Word


def spoken(text: str, start: float = 0.0, seconds_per_word: float = 0.4) -> list[Word]:
    """Words of ``text`` one after another, each ``seconds_per_word`` long, no gaps."""
    return [
        Word(token, start + i * seconds_per_word, start + (i + 1) * seconds_per_word)
        for i, token in enumerate(text.split())
    ]
