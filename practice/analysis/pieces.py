"""How an answer is cut into pieces for the engine, as it is fed: :class:`Chunker`.

Only the speech goes to the engine, in pieces cut in pauses: an hour of silence costs nothing,
Whisper has less silence to invent words for, and each piece gets the same decoding (the
verbatim prompt conditions one window only, so no piece is longer than one).

The audio is fed in blocks of any size; every decision is taken at fixed points of the audio
(every ``STEP_SECONDS``) on the audio fed up to that point, so the cuts, and with them the words,
depend on the audio alone: never on the block sizes, nor on how fast the engine keeps up. A
live answer and the same audio analysed later are cut, and transcribed, alike.

- **Cuts.** Once the audio since the last cut holds speech more than ``PIECE_SECONDS`` past its
  start, the piece is cut by the rule of the whole answer (:func:`next_cut`) on the speech
  found in it so far (:func:`~practice.analysis.pauses.detect_activity` on that audio): in the
  middle of its longest pause at least ``MIN_PIECE_SECONDS`` in (to 0.1 s), once 2 s of speech
  followed that pause. That piece's words are final. Until the speech after the pause has run
  that long the cut is not settled, but an answer that ends sooner is cut there at Stop too: a
  caller with an idle engine may transcribe that piece already (:meth:`Chunker.advance`).
- **Closes.** Where the speaker stops (the last ``CLOSE_SECONDS`` of the level quiet after
  speech), the audio since the last cut is a candidate last piece: from the cut (or the first
  speech) to ``MARGIN_SECONDS`` after its speech (cut as Stop cuts a rest longer than one
  piece), by the speech found in that audio where the
  level went quiet or, if the speech detector still hears speech within ``MARGIN_SECONDS`` of
  it, at most four times more, 0.2 s apart. A caller with an idle engine may transcribe it early
  (:meth:`Chunker.advance`); speech after it drops it.
- **Stop.** What follows the last cut is the last piece, bounded by the whole answer's speech
  as the analysis of the whole answer bounds it (:meth:`Chunker.plan`); a candidate with the
  same bounds, to the sample, gives its words. With ``piece_seconds=None`` nothing is cut
  before Stop: the analysis of the whole answer at once (:func:`speech_pieces`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from practice.analysis.audio import SAMPLE_RATE, Samples
from practice.analysis.pauses import FRAME_SECONDS, Activity, Pause, envelope_db
from practice.analysis.signal import speech_activity
from practice.analysis.transcript import Transcriber, Word

MARGIN_SECONDS = 0.5
"""Audio kept around the speech when it is cut out for transcription."""
MAX_PIECE_SECONDS = 28.0
"""The longest piece of audio transcribed at once: one Whisper window (30 s), so that the
decoding settings (the verbatim prompt) hold for all of it."""
MIN_PIECE_SECONDS = 10.0
"""A long stretch is cut in a pause at least this far into a piece."""
PIECE_SECONDS = MAX_PIECE_SECONDS
"""While the answer is fed, a piece is cut once its speech runs this long. Shorter pieces move
Whisper's window edges and with them its words: on ``benchmarks.chunked``'s real-speech set, 25 s
changed 2.5 % of the words against the whole-answer cut (WER +1.0 point); at 28 s the pieces are
the whole-answer analysis's (see benchmarks/README.md)."""
STEP_SECONDS = 0.1
"""How often (in seconds of audio) the chunker looks at what was fed."""
CLOSE_SECONDS = 0.5
"""Quiet after speech that closes a candidate last piece."""
_STRETCHED_SECONDS = 2.0
"""A word over this much speech is Whisper skipping the speech after it."""
_CUT_GRID_SECONDS = 0.1
"""Cuts fall on multiples of this."""
_CLOSE_RETRY = 2
"""Grid points between two looks for the candidate last piece in one pause."""
_CLOSE_TRIES = 5
"""Looks for the candidate last piece in one pause."""
_SETTLE_SECONDS = 2.0
"""A cut waits until the speech after its pause has run this long: the speech detector's level
and its view of that speech's start then agree with the whole answer's (cut earlier, a real
answer's cut fell 15 ms from the whole-answer cut, and Whisper wrote other words)."""
_GATE_DB = 10.0
"""Audio whose loud frames are not this much above its quiet ones has no speech to cut."""
_STEP = round(STEP_SECONDS * SAMPLE_RATE)
_FRAME = round(FRAME_SECONDS * SAMPLE_RATE)
_BLOCK = 10 * SAMPLE_RATE
"""A whole recording's levels are measured this many samples at a time."""


def window_start(speech_start: float) -> float:
    """Where the audio cut out for the engine starts (its word times count from here):
    ``MARGIN_SECONDS`` before the speech."""
    return max(0.0, speech_start - MARGIN_SECONDS)


def speech_pieces(activity: Activity, duration: float) -> list[tuple[float, float]]:
    """The stretches (start, end in seconds) of a whole recording that the engine transcribes,
    one at a time: from ``MARGIN_SECONDS`` before the first speech to as long after the last,
    cut by :func:`next_cut` into pieces of at most ``MAX_PIECE_SECONDS``."""
    if activity.speech_start is None or activity.speech_end is None:
        return []
    return split(
        activity,
        window_start(activity.speech_start),
        min(duration, activity.speech_end + MARGIN_SECONDS),
    )


def split(
    activity: Activity, start: float, stop: float, longest: float = MAX_PIECE_SECONDS
) -> list[tuple[float, float]]:
    """``start``-``stop`` cut by :func:`next_cut` into pieces of at most ``longest`` seconds."""
    pieces = []
    while (cut := next_cut(activity, start, stop, longest)) is not None:
        pieces.append((start, cut))
        start = cut
    return [*pieces, (start, stop)]


def next_cut(
    activity: Activity, start: float, stop: float, longest: float = MAX_PIECE_SECONDS
) -> float | None:
    """Where the piece from ``start`` ends if ``start``-``stop`` is longer than ``longest``
    seconds (otherwise None): in the middle of the longest pause that leaves a piece at least
    ``MIN_PIECE_SECONDS`` long (or of any pause, or, with none, at the longest length), to the
    nearest 0.1 s."""
    if stop - start <= longest:
        return None
    limit = start + longest
    middles = [
        (pause.duration, (pause.start + pause.end) / 2)
        for pause in activity.pauses
        if start < (pause.start + pause.end) / 2 < limit
    ]
    late = [pair for pair in middles if pair[1] >= start + min(MIN_PIECE_SECONDS, longest / 2)]
    if not middles:
        return limit
    # On the 0.1 s grid (still inside the pause, which lasts at least 0.25 s): the speech found
    # while the answer is fed may place a pause's edges a frame off the whole answer's.
    return round(max(late or middles)[1] / _CUT_GRID_SECONDS) * _CUT_GRID_SECONDS


def transcribe_piece(
    piece: np.ndarray,
    offset: float,
    transcriber: Transcriber,
    cancel: threading.Event | None = None,
) -> list[Word]:
    """The words of one piece of 16 kHz samples that starts ``offset`` seconds into the
    recording, with their times in the recording."""
    transcript = transcriber.transcribe(piece, cancel)
    return [
        replace(word, start=word.start + offset, end=word.end + offset) for word in transcript.words
    ]


def transcribed(
    read: Callable[[int, int], np.ndarray],
    piece: tuple[float, float],
    activity: Activity,
    transcriber: Transcriber,
    cancel: threading.Event | None,
) -> list[Word]:
    """The words of one piece. Whisper sometimes stops early and stretches its last word over
    the rest of the piece ("so that" lasting 9 s over two sentences): from the first word that
    lasts at least ``_STRETCHED_SECONDS`` over as much speech, the rest of the piece is
    transcribed again (once). ``read(start, stop)`` gives the recording's samples by index."""
    start, end = piece
    cut = read(round(start * SAMPLE_RATE), round(end * SAMPLE_RATE))
    words = transcribe_piece(cut, start, transcriber, cancel)
    for index, word in enumerate(words):
        spoken = sum(max(0.0, min(word.end, b) - max(word.start, a)) for a, b in activity.speech)
        if spoken >= _STRETCHED_SECONDS and word.start > start + _STRETCHED_SECONDS:
            rest = read(round(word.start * SAMPLE_RATE), round(end * SAMPLE_RATE))
            return [*words[:index], *transcribe_piece(rest, word.start, transcriber, cancel)]
    return words


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of the recording to transcribe, with the speech found in it when it was cut."""

    start: float
    end: float
    activity: Activity


def _key(piece: Piece) -> tuple[int, int]:
    return round(piece.start * SAMPLE_RATE), round(piece.end * SAMPLE_RATE)


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a chunker got (seconds of audio)."""

    fed: float
    """Audio fed."""
    looked: float
    """Audio the chunker has looked at (cuts and closes decided up to here)."""
    final: float
    """Audio whose words are final (transcribed pieces, one after the other from the start)."""
    pieces: int
    """Pieces cut so far."""
    cut: float
    """Where the last piece cut ends (0 before the first cut)."""


class Chunker:
    """One answer's audio, cut into pieces as it is fed (see the module docstring).

    :meth:`add` may run in one thread (the recorder's) while :meth:`advance` runs in another
    (an analysis worker); :meth:`plan` and :meth:`words` run once the audio is complete.
    """

    def __init__(self, piece_seconds: float | None = PIECE_SECONDS) -> None:
        self._piece_seconds = piece_seconds
        self._lock = threading.Lock()
        self._held = Samples()
        self._size = 0
        self._levels = np.zeros(3000, dtype=np.float32)
        self._framed = 0
        self._looked = 0
        """Grid points looked at: the audio up to ``_looked * _STEP`` samples."""
        self._begin = 0.0
        """Where the audio not yet in a cut piece begins (seconds)."""
        self._cut: list[Piece] = []
        self._close_at: int | None = None
        """Where (samples) the level went quiet after speech, if it still is: the end of the
        audio that gives the candidate last piece."""
        self._tried = 0
        """How many times the candidate last piece (``_close``) was looked for in this pause."""
        self._close: tuple[Piece, ...] = ()
        """The candidate last piece, cut in pieces of at most ``MAX_PIECE_SECONDS`` as the
        rest of a whole answer is (:func:`split`)."""
        self._unsettled: Piece | None = None
        """The piece a cut found in the speech so far would close, while the speech after that
        cut's pause has not run ``_SETTLE_SECONDS`` yet (nor the answer ended): the cut that
        Stop would make there too, so an idle engine may transcribe it early."""
        self._words: dict[tuple[int, int], list[Word]] = {}
        """The words of each piece transcribed, by its bounds in samples."""
        self.planned: list[Piece] = []
        """The pieces of the last :meth:`plan`."""

    @classmethod
    def of(
        cls, samples: np.ndarray | Samples, piece_seconds: float | None = PIECE_SECONDS
    ) -> Chunker:
        """A chunker fed a whole recording (16 kHz mono, float32 or held), without copying held
        samples: the same as feeding it block by block, since every decision is taken on the
        audio alone."""
        chunks = cls(piece_seconds)
        if not isinstance(samples, Samples):
            samples = Samples.of(samples)
        chunks._held = samples
        chunks._size = len(samples)
        chunks._levels = np.concatenate(
            [
                envelope_db(samples.read(first, min(chunks._size, first + _BLOCK)))
                for first in range(0, chunks._size, _BLOCK)
            ]
            or [np.zeros(0, dtype=np.float32)]
        )
        chunks._framed = chunks._levels.size
        return chunks

    # Feeding --------------------------------------------------------------------------------

    def add(self, block: np.ndarray) -> None:
        """Append the next block of 16 kHz mono float32 samples."""
        with self._lock:
            self._held.append(block)
            self._size = len(self._held)
            frames = self._size // _FRAME
            if frames > self._framed:
                if frames > self._levels.size:
                    self._levels = np.concatenate(
                        [self._levels, np.zeros(max(frames, self._levels.size), np.float32)]
                    )
                self._levels[self._framed : frames] = envelope_db(
                    self._held.read(self._framed * _FRAME, frames * _FRAME)
                )
                self._framed = frames

    @property
    def samples(self) -> Samples:
        """Everything fed so far (add no more while it is read)."""
        return self._held

    def read(self, start: int, stop: int) -> np.ndarray:
        """Float32 samples ``start`` to ``stop`` - 1 of what was fed (while more is fed)."""
        with self._lock:
            return self._held.read(start, stop)

    @property
    def progress(self) -> Progress:
        with self._lock:
            fed = self._size / SAMPLE_RATE
        final = 0.0
        for piece in [*self._cut, *self._close]:
            if _key(piece) not in self._words:
                break
            final = piece.end
        return Progress(fed, self._looked * STEP_SECONDS, final, len(self._cut), self._begin)

    def known_words(self) -> list[Word]:
        """The words of the pieces transcribed so far (the candidate last piece's included)."""
        pieces = [*self._cut, *self._close]
        return [word for piece in pieces for word in self._words.get(_key(piece), [])]

    @property
    def could_end(self) -> tuple[int, int] | None:
        """The bounds (samples) of the open candidate last piece when it and every piece before
        it are transcribed: were the answer to end now (and the whole answer's speech end where
        the candidate's does), no piece would be left to transcribe."""
        close = self._close
        if not close or any(_key(piece) not in self._words for piece in [*self._cut, *close]):
            return None
        return _key(close[-1])

    @property
    def candidate(self) -> tuple[int, int] | None:
        """The bounds (samples) of the last piece of the candidate last piece, if there is one
        (for a timing trace)."""
        return _key(self._close[-1]) if self._close else None

    @property
    def quiet_for(self) -> float:
        """Seconds of audio looked at since the level went quiet after speech (0 while there is
        speech)."""
        if self._close_at is None:
            return 0.0
        return max(0, self._looked * _STEP - self._close_at) / SAMPLE_RATE

    # Deciding and transcribing --------------------------------------------------------------

    def advance(
        self,
        transcriber: Transcriber | None,
        cancel: threading.Event | None = None,
        *,
        speculate: bool = False,
    ) -> bool:
        """Do the next bit of work, if any (False when there is none): look at the next
        ``STEP_SECONDS`` of audio fed; else, with ``transcriber``, transcribe the next cut
        piece; else, with ``speculate``, the piece of a cut not settled yet, or the candidate
        last piece."""
        with self._lock:
            ready = (self._looked + 1) * _STEP <= self._size
        if ready:
            self._look()
            return True
        if transcriber is None:
            return False
        todo = [piece for piece in self._cut if _key(piece) not in self._words]
        unsettled = self._unsettled
        if not todo and speculate and unsettled is not None and _key(unsettled) not in self._words:
            todo = [unsettled]
        if not todo and speculate and self._close_at is not None:
            if self._look_for_close():
                return True
            todo = [piece for piece in self._close if _key(piece) not in self._words]
        if todo:
            self._transcribe(todo[0], transcriber, cancel)
            return True
        return False

    def plan(self, activity: Activity) -> list[Piece]:
        """Every piece to transcribe, once the whole answer was fed (``activity``: its speech):
        the pieces cut so far, then the rest: from the last cut (or from ``MARGIN_SECONDS``
        before the first speech) to ``MARGIN_SECONDS`` after the last speech, cut in pieces of
        at most ``MAX_PIECE_SECONDS``. The candidate last piece's words are used if it has the
        same bounds, to the sample."""
        while self.advance(None):
            pass
        self.planned = [*self._cut, *self._rest(activity)]
        return self.planned

    def _rest(self, activity: Activity) -> list[Piece]:
        """The pieces after the last cut (see :meth:`plan`)."""
        if activity.speech_start is None or activity.speech_end is None:
            return []
        start = self._begin if self._cut else window_start(activity.speech_start)
        stop = min(self._size / SAMPLE_RATE, activity.speech_end + MARGIN_SECONDS)
        return (
            [Piece(a, b, activity) for a, b in split(activity, start, stop)] if stop > start else []
        )

    def closed_early(self) -> bool:
        """Whether the last piece of the last :meth:`plan` is the candidate closed in the
        speaker's last pause: a worker idle then had its words before Stop."""
        while self._look_for_close():
            pass
        close = self._close
        return bool(self.planned and close) and _key(close[-1]) == _key(self.planned[-1])

    def words(
        self,
        activity: Activity,
        transcriber: Transcriber,
        cancel: threading.Event | None = None,
    ) -> list[Word]:
        """The words of every piece of :meth:`plan`, in order (those transcribed earlier are
        not transcribed again)."""
        found: list[Word] = []
        for piece in self.plan(activity):
            if _key(piece) not in self._words:
                self._transcribe(piece, transcriber, cancel)
            found += self._words[_key(piece)]
        return found

    def _transcribe(
        self, piece: Piece, transcriber: Transcriber, cancel: threading.Event | None
    ) -> None:
        words = transcribed(
            self.read, (piece.start, piece.end), piece.activity, transcriber, cancel
        )
        self._words[_key(piece)] = words

    def _look(self) -> None:
        """Decide at the next grid point: a cut, or a candidate last piece."""
        self._looked += 1
        end = self._looked * _STEP
        first = round(self._begin * SAMPLE_RATE) // _FRAME
        with self._lock:
            levels = self._levels[first : end // _FRAME]
        close = round(CLOSE_SECONDS / FRAME_SECONDS)
        if self._piece_seconds is None or levels.size <= close:
            return
        # A cheap look at the level decides when the speech detector is asked: halfway
        # between the quiet and the loud frames of the audio since the last cut.
        low, high = np.percentile(levels, (5, 98))
        loud = np.flatnonzero(levels > low + 0.5 * (high - low))
        if high - low < _GATE_DB or loud.size == 0:
            return
        quiet = int(loud[-1]) < levels.size - close
        if quiet and self._close_at is None:
            self._close_at = end
        elif not quiet:
            self._drop_close()
        # A cut is looked for every 0.5 s while speech runs past the piece's length.
        start = self._begin if self._cut else window_start((first + int(loud[0])) * FRAME_SECONDS)
        recent = levels.size - int(loud[-1]) <= round(0.5 / FRAME_SECONDS)
        if self._looked % 5 == 0 and recent and end / SAMPLE_RATE - start > self._piece_seconds:
            self._try_cut(end)

    def _activity(self, end: int) -> Activity:
        """The speech in the audio from the last cut to ``end`` (samples), in recording time."""
        offset = self._begin
        found = speech_activity(self.read(round(offset * SAMPLE_RATE), end))
        return Activity(
            tuple((a + offset, b + offset) for a, b in found.speech),
            tuple(Pause(p.start + offset, p.end + offset) for p in found.pauses),
            found.threshold_db,
        )

    def _candidate(self, end: int) -> tuple[Piece, ...]:
        """The candidate last piece closed at ``end`` (samples), if the detector agrees that
        the speech stopped ``MARGIN_SECONDS`` before, cut by :func:`split` (a rest longer than
        one piece is cut at Stop that way too) (else none)."""
        found = self._activity(end)
        if found.speech_start is None or found.speech_end is None:
            return ()
        stop = found.speech_end + MARGIN_SECONDS
        start = self._begin if self._cut else window_start(found.speech_start)
        if start < stop <= end / SAMPLE_RATE:
            return tuple(Piece(a, b, found) for a, b in split(found, start, stop))
        return ()

    def _look_for_close(self) -> bool:
        """Look for the candidate last piece at the next point of this pause where it is looked
        for (False when there is none yet): where the level went quiet, then every
        ``_CLOSE_RETRY`` grid points (the speech detector hears the speech end later than the
        level did, by up to a few tenths of a second), at most ``_CLOSE_TRIES`` times. The
        points depend on the audio alone, so a file and a live answer find the same candidate."""
        if self._close_at is None or self._close or self._tried >= _CLOSE_TRIES:
            return False
        at = self._close_at + self._tried * _CLOSE_RETRY * _STEP
        if at > self._looked * _STEP:
            return False
        self._tried += 1
        self._close = self._candidate(at)
        return True

    def _drop_close(self) -> None:
        """Speech resumed: the candidate last piece is not the last (its words are dropped,
        unless a cut not settled yet has the same bounds)."""
        for piece in self._close:
            if self._unsettled is None or _key(piece) != _key(self._unsettled):
                self._words.pop(_key(piece), None)
        self._close, self._close_at, self._tried = (), None, 0

    def _try_cut(self, end: int) -> None:
        """Cut the piece by the speech found up to ``end`` (samples) if it runs long enough."""
        found = self._activity(end)
        if found.speech_start is None or found.speech_end is None or self._piece_seconds is None:
            return
        start = self._begin if self._cut else window_start(found.speech_start)
        stop = min(end / SAMPLE_RATE, found.speech_end + MARGIN_SECONDS)
        cut = next_cut(found, start, stop, self._piece_seconds)
        if cut is None:
            return
        resumed = min(
            (pause.end for pause in found.pauses if pause.start < cut < pause.end), default=cut
        )
        if end / SAMPLE_RATE >= resumed + _SETTLE_SECONDS:
            self._cut.append(Piece(start, cut, found))
            self._begin = cut
            self._unsettled = None
            self._drop_close()
            kept = {_key(piece) for piece in self._cut}
            self._words = {key: words for key, words in self._words.items() if key in kept}
        else:
            if self._unsettled is not None and _key(self._unsettled) != (
                round(start * SAMPLE_RATE),
                round(cut * SAMPLE_RATE),
            ):
                self._words.pop(_key(self._unsettled), None)
            self._unsettled = Piece(start, cut, found)


__all__ = [
    "MARGIN_SECONDS",
    "MAX_PIECE_SECONDS",
    "Chunker",
    "Piece",
    "Progress",
    "speech_pieces",
    "transcribe_piece",
    "window_start",
]
