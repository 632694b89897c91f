"""How an answer is cut into pieces for the engine, and which of its words are kept."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from benchmarks.real.data import default_folder
from practice.analysis.answer import analyze_samples
from practice.analysis.audio import SAMPLE_RATE, load_audio
from practice.analysis.engines.faster import _while_speech_remains
from practice.analysis.pauses import Activity, Pause
from practice.analysis.pieces import MAX_PIECE_SECONDS, PIECE_SECONDS, Chunker, speech_pieces
from practice.analysis.signal import detect_activity
from practice.analysis.transcript import DecodeOptions, Transcriber, Transcript, Word
from tests.signals import answer


def _activity(speech: list[tuple[float, float]]) -> Activity:
    pauses = tuple(Pause(a[1], b[0]) for a, b in itertools.pairwise(speech))
    return Activity(tuple(speech), pauses, -40.0)


def test_a_short_answer_is_one_piece_with_its_margins() -> None:
    assert speech_pieces(_activity([(1.0, 5.0), (5.5, 9.0)]), 12.0) == [(0.5, 9.5)]
    assert speech_pieces(_activity([]), 12.0) == []


def test_a_long_answer_is_cut_in_its_longest_pauses_into_single_windows() -> None:
    # Speech 0.5-70 s with a short pause every 4 s and a long one at 20 s and at 45 s.
    speech, t = [], 0.5
    while t < 70:
        speech.append((t, t + 3.7))
        t += 4.0 if round(t + 4.0 - 0.5) not in (20, 44) else 4.9
    pieces = speech_pieces(_activity(speech), 75.0)
    assert all(end - start <= MAX_PIECE_SECONDS for start, end in pieces)
    assert pieces[0][0] == pytest.approx(0.0) and pieces[-1][1] == pytest.approx(
        speech[-1][1] + 0.5
    )
    for (_s, cut), (again, _e) in itertools.pairwise(pieces):
        assert cut == again  # one after the other, nothing left out
        assert any(p.start < cut < p.end for p in _activity(speech).pauses)  # in a pause


class _Engine:
    """Writes a sure word over the speech and two words in the silence after it."""

    name, model = "fake", "fake"

    def load(self) -> None:
        """Nothing to load."""

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        return Transcript(
            (
                Word("Quietly", 0.5, 2.0, 0.05),  # over speech: kept, however doubted
                Word("Thank", 2.9, 3.1, 0.02),  # mostly after the speech, doubted: made up
                Word("you.", 3.3, 3.5, 0.9),  # wholly in silence, away from speech: made up
            )
        )


def test_words_over_speech_are_kept_and_doubted_ones_after_it_dropped() -> None:
    samples, _ = answer([1.0, ("s", 2.0), 3.0])
    report = analyze_samples(samples, _Engine())
    assert [word.text for word in report.words] == ["Quietly"]


class _Segments:
    """Whisper-like segments that count how many were read (faster-whisper decodes lazily: the
    next window is only decoded when its first segment is asked for)."""

    def __init__(self, ends: list[float], seek: int = 0, no_speech: float = 0.05) -> None:
        self.ends = ends
        self.read = 0
        self.seek, self.no_speech = seek, no_speech

    def __iter__(self) -> Iterator[SimpleNamespace]:
        for end in self.ends:
            self.read += 1
            yield SimpleNamespace(
                end=end,
                words=[SimpleNamespace(end=end)],
                seek=self.seek,
                no_speech_prob=self.no_speech,
            )


def test_the_engine_decodes_no_window_after_the_last_speech(jfk: Path) -> None:
    """faster-whisper decodes the audio after a window's last word once more; the engine only
    asks for it while the VAD hears speech there (the real VAD, on real speech + silence)."""
    speech = load_audio(jfk)  # speech to about 10.6 s
    silence = np.random.default_rng(0).standard_normal(3 * SAMPLE_RATE) * 1e-3
    samples = np.concatenate([speech, silence]).astype(np.float32)
    talk_left = _Segments([4.0, 10.6, 12.0])  # speech after 4.0 s: the next segment is read
    assert [s.end for s in _while_speech_remains(talk_left, samples)] == [4.0, 10.6]
    assert talk_left.read == 2  # nothing after 10.6 s is heard: the third is never decoded
    # A window decoded from the rest of the piece (seek > 0) keeps its text only when Whisper is
    # fairly sure it holds speech.
    unsure = _Segments([11.0], seek=500, no_speech=0.5)
    assert list(_while_speech_remains(unsure, samples)) == []
    sure = _Segments([11.0], seek=500, no_speech=0.1)
    assert [s.end for s in _while_speech_remains(sure, samples)] == [11.0]


def test_no_thank_you_after_a_real_clip(transcriber: Transcriber) -> None:
    """tiny.en, prompted, used to write "Thank you." in the silence after this acted clip."""
    path = default_folder() / "mfa-clips" / "mfa_buddy.flac"
    if not path.is_file():
        pytest.skip(f"the real-speech set is absent: no {path}")
    report = analyze_samples(load_audio(path), transcriber)
    assert [word.text for word in report.words] == ["MFA", "is", "like", "buddy."]


def _long_answer() -> tuple[np.ndarray, list[tuple[float, float]]]:
    """70 s of speech-like sound: runs of 2.5-4 s, with pauses of 0.4-1.5 s."""
    rng = np.random.default_rng(7)
    parts: list[float | tuple[str, float]] = [1.0]
    while sum(p if isinstance(p, float) else p[1] for p in parts) < 70:
        parts += [("s", float(rng.uniform(2.5, 4.0))), float(rng.uniform(0.4, 1.5))]
    return answer(parts)


def _cut(samples: np.ndarray, block: int, piece_seconds: float | None) -> list[tuple[float, float]]:
    chunks = Chunker(piece_seconds)
    for first in range(0, samples.size, block):
        chunks.add(samples[first : first + block])
    return [(piece.start, piece.end) for piece in chunks.plan(detect_activity(samples))]


def test_the_cuts_depend_on_the_audio_not_on_the_blocks_it_comes_in() -> None:
    samples, silences = _long_answer()
    pieces = _cut(samples, 1600, PIECE_SECONDS)
    assert pieces == _cut(samples, 333, PIECE_SECONDS) == _cut(samples, 16000 * 7, PIECE_SECONDS)
    whole = Chunker.of(samples).plan(detect_activity(samples))
    assert [(piece.start, piece.end) for piece in whole] == pieces
    assert len(pieces) >= 3
    for (_start, cut), (again, _end) in itertools.pairwise(pieces):
        assert cut == again  # one after the other, nothing left out
        assert any(a < cut < b for a, b in silences)  # in a pause
    assert all(end - start <= PIECE_SECONDS + 1.0 for start, end in pieces)
    assert pieces[-1][1] == pytest.approx(max(b for _a, b in silences[:-1]) + 4.0, abs=4.0)


def test_without_a_piece_length_the_whole_answer_is_cut_at_stop() -> None:
    samples, _silences = _long_answer()
    activity = detect_activity(samples)
    assert _cut(samples, 1600, None) == speech_pieces(activity, samples.size / 16000)


def test_a_pause_closes_a_candidate_last_piece_that_speech_after_it_cancels() -> None:
    samples, _silences = answer([0.5, ("s", 6.0), 2.0])
    chunks = Chunker()
    chunks.add(samples)
    while chunks.advance(None):
        pass
    last = chunks.plan(detect_activity(samples))
    assert len(last) == 1 and last[0].start == pytest.approx(0.0, abs=0.05)
    assert last[0].end == pytest.approx(7.0, abs=0.1)  # the speech and half a second
    more, _ = answer([("s", 3.0), 1.0], seed=2)
    chunks.add(more)
    whole = np.concatenate([samples, more])
    pieces = chunks.plan(detect_activity(whole))
    assert pieces[-1].end == pytest.approx(12.0, abs=0.1)  # half a second after the new speech


class _Listing:
    """An engine that writes one word per piece and lists the lengths (s) of what it was given."""

    name, model = "listing", "none"

    def __init__(self) -> None:
        self.heard: list[float] = []

    def load(self) -> None:
        pass

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        self.heard.append(round(samples.size / SAMPLE_RATE, 2))
        return Transcript((Word("word", 0.6, 1.0),))


def test_a_cut_whose_speech_after_it_is_still_short_is_transcribed_before_it_settles() -> None:
    # 27 s of speech runs, a longer pause, then 1.2 s of speech: past one piece's length, the
    # cut falls in that pause, but it only settles once 2 s of speech followed it.
    parts: list[float | tuple[str, float]] = [0.5]
    while sum(p if isinstance(p, float) else p[1] for p in parts) < 25.5:
        parts += [("s", 2.5), 0.5]
    spoken, _silences = answer([*parts[:-1], 1.2, ("s", 1.2), 0.3])
    engine = _Listing()
    chunks = Chunker()
    for first in range(0, spoken.size, SAMPLE_RATE // 10):  # fed and worked on as it is spoken
        chunks.add(spoken[first : first + SAMPLE_RATE // 10])
        while chunks.advance(engine, speculate=True):
            pass
    assert chunks.progress.pieces == 0  # nothing cut for good
    # (the candidate last pieces closed in the pauses before were transcribed too)
    early = engine.heard[-1]
    assert 25.0 < early <= MAX_PIECE_SECONDS
    # Stop after a second of quiet: the whole answer is cut there too, and only the rest is left.
    quiet, _ = answer([1.0], seed=3)
    samples = np.concatenate([spoken, quiet])
    chunks.add(quiet)
    engine.heard.clear()
    words = chunks.words(detect_activity(samples), engine)
    pieces = [piece.end - piece.start for piece in chunks.planned]
    assert len(pieces) == 2 and pieces[0] == pytest.approx(early, abs=1e-6)
    assert len(engine.heard) == 1 and engine.heard[0] < 5.0  # the last piece alone
    assert len(words) == 2
    # The same audio as a file is cut the same way.
    whole = Chunker.of(samples).plan(detect_activity(samples))
    assert [(p.start, p.end) for p in whole] == [(p.start, p.end) for p in chunks.planned]
