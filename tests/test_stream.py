"""The answer analysed as it is fed (practice/analysis/stream.py), with the real engine on real
speech."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from practice.analysis import stream as stream_module
from practice.analysis.answer import analyze_samples
from practice.analysis.audio import SAMPLE_RATE, load_audio
from practice.analysis.coaching.pipeline import analyze_answer
from practice.analysis.scoring import AnswerReport
from practice.analysis.stream import AnswerStream
from practice.analysis.transcript import (
    Cancelled,
    DecodeOptions,
    Transcriber,
    Transcript,
    Wrapping,
    digest,
)
from tests.conftest import SHARED_DATA

REAL = SHARED_DATA / "real"


class Counting(Wrapping):
    """The real engine, counting its calls."""

    def __init__(self, engine: Transcriber) -> None:
        super().__init__(engine)
        self.calls = 0
        self.decoded_again = 0
        """Calls with decoding options of their own (the verdict's)."""

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        self.calls += 1
        self.decoded_again += options is not None
        return self.inner.transcribe(samples, cancel, options=options)


@pytest.fixture(scope="module")
def long_answer() -> np.ndarray:
    """56 s of real speech by two speakers (the monologue, 1.5 s of silence, the TalkBank
    recording, 1 s of silence): longer than one piece."""
    paths = [REAL / "monologue" / "acoustic_corpus.wav", REAL / "talkbank" / "test.mp3"]
    if not all(path.is_file() for path in paths):
        pytest.skip(f"the real-speech recordings are absent from {REAL}")
    first, second = (load_audio(path) for path in paths)
    gap, end = np.zeros(SAMPLE_RATE * 3 // 2, np.float32), np.zeros(SAMPLE_RATE, np.float32)
    return np.concatenate([first, gap, second, end])


@pytest.fixture(scope="module")
def long_report(long_answer: np.ndarray, transcriber: Transcriber) -> AnswerReport:
    """The long answer analysed as a file."""
    return analyze_samples(long_answer, transcriber)


def _feed(stream: AnswerStream, samples: np.ndarray, sizes: tuple[int, ...]) -> None:
    """Feed ``samples`` in blocks of ``sizes`` (cycled) as fast as they come."""
    first, index = 0, 0
    while first < samples.size:
        size = sizes[index % len(sizes)]
        stream.feed(samples[first : first + size])
        first, index = first + size, index + 1


def _wait(condition: Callable[[], bool], seconds: float = 300.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the stream did not get there in time"
        time.sleep(0.05)


def _timed_words(report: AnswerReport) -> list[tuple[str, float, float]]:
    return [(w.text, round(w.start, 3), round(w.end, 3)) for w in report.words]


def test_a_file_fed_in_blocks_gives_the_report_of_the_whole_file(
    jfk: Path, transcriber: Transcriber
) -> None:
    samples = load_audio(jfk)
    stream = AnswerStream(transcriber, file=str(jfk))
    _feed(stream, samples, (1600, 333, 4800))
    streamed = stream.finish()
    whole = analyze_answer(jfk, transcriber)
    assert _timed_words(streamed) == _timed_words(whole)
    assert "country" in " ".join(w.text.lower() for w in streamed.words)
    assert streamed.pauses == whole.pauses
    assert streamed.fillers == whole.fillers
    assert np.isclose(streamed.duration_s, whole.duration_s)
    # the pitch, measured beside the engine's last calls, is the file's
    assert streamed.coaching is not None and streamed.coaching.pitch.range_semitones is not None
    assert streamed.coaching == whole.coaching


def test_pieces_are_transcribed_while_the_answer_is_fed_and_kept_at_stop(
    long_answer: np.ndarray, long_report: AnswerReport, transcriber: Transcriber
) -> None:
    counting = Counting(transcriber)
    stream = AnswerStream(counting)
    _feed(stream, long_answer, (SAMPLE_RATE // 10,))
    # Before Stop: the worker cut the answer and transcribed its pieces.
    _wait(lambda: stream.progress.final >= stream.progress.fed - 3.0)
    progress = stream.progress
    assert progress.pieces >= 1 and progress.cut > 15.0
    early = [(w.text, w.start) for w in stream.known_words()]
    assert len(early) > 50 and early[-1][1] > 45.0
    calls = counting.calls
    report = stream.finish()
    assert counting.calls - calls <= 2  # at most the last piece (and its rest) was left
    cut = {(w.text, w.start) for w in report.words if w.end <= progress.cut}
    assert cut and cut <= set(early)  # the pieces cut before Stop kept their words
    # The same audio analysed as a file gives the same words.
    assert _timed_words(report) == _timed_words(long_report)
    assert report.fillers == long_report.fillers


def test_a_stream_fed_faster_than_it_is_analysed_still_analyses_all_of_it(
    long_answer: np.ndarray,
    long_report: AnswerReport,
    transcriber: Transcriber,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A machine too slow to keep up: the worker leaves all transcription to Stop.
    monkeypatch.setattr(stream_module, "BEHIND_SECONDS", 0.0)
    counting = Counting(transcriber)
    stream = AnswerStream(counting)
    _feed(stream, long_answer, (SAMPLE_RATE * 2,))
    assert stream.known_words() == []
    report = stream.finish()
    assert counting.calls >= 2
    assert report.words[-1].end > 50.0  # to the end of the answer
    assert _timed_words(report) == _timed_words(long_report)


def test_cancel_stops_the_worker_and_the_report(
    long_answer: np.ndarray, transcriber: Transcriber
) -> None:
    stream = AnswerStream(transcriber)
    _feed(stream, long_answer, (SAMPLE_RATE,))
    _wait(lambda: stream.progress.pieces >= 1)
    asked = time.monotonic()
    stream.cancel()
    _wait(lambda: not stream.running, 30.0)
    assert time.monotonic() - asked < 30.0
    with pytest.raises(Cancelled):
        stream.finish()


def test_the_last_piece_is_transcribed_in_the_pause_and_dropped_when_speech_resumes(
    jfk: Path, transcriber: Transcriber
) -> None:
    samples = load_audio(jfk)
    silence = np.zeros(SAMPLE_RATE, np.float32)
    counting = Counting(transcriber)
    stream = AnswerStream(counting)
    _feed(stream, np.concatenate([samples, silence]), (SAMPLE_RATE // 10,))
    # The speaker stopped and the engine was idle: the answer so far was transcribed.
    _wait(lambda: "country." in [w.text for w in stream.known_words()])
    spoken_at_pause = counting.calls
    # They go on: that early transcript is dropped, and Stop transcribes the whole answer.
    _feed(stream, np.concatenate([samples, silence]), (SAMPLE_RATE // 10,))
    report = stream.finish()
    assert counting.calls > spoken_at_pause
    texts = [w.text for w in report.words]
    assert texts.count("country.") == 2
    assert report.words[-1].start > samples.size / SAMPLE_RATE


def test_stopping_in_a_pause_asks_the_engine_nothing(
    long_answer: np.ndarray, long_report: AnswerReport, transcriber: Transcriber
) -> None:
    counting = Counting(transcriber)
    stream = AnswerStream(counting)
    _feed(stream, long_answer, (SAMPLE_RATE // 10,))
    # The answer ends in quiet (the recording's own, then a second of silence): the worker
    # transcribes the last piece, then rehearses the end (the verdict's second decoding
    # included) and goes idle.
    _wait(lambda: counting.decoded_again >= 1)
    settled = counting.calls
    time.sleep(1.0)
    report = stream.finish()
    assert counting.calls == settled  # Stop asked the engine nothing
    assert _timed_words(report) == _timed_words(long_report)
    assert report.fillers == long_report.fillers


class Held(Wrapping):
    """The real engine, logging each call (its audio's digest and decoding, and the thread), that
    holds the stream worker's calls until :attr:`release` is set while :attr:`hold` is."""

    def __init__(self, engine: Transcriber) -> None:
        super().__init__(engine)
        self.asked: list[tuple[bytes, str, str]] = []
        self.hold = threading.Event()
        self.entered = threading.Event()
        self.release = threading.Event()

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        thread = threading.current_thread().name
        audio = np.ascontiguousarray(samples, dtype=np.float32)
        self.asked.append((digest(audio), repr(options), thread))
        if thread == "answer-stream" and self.hold.is_set():
            self.entered.set()
            assert self.release.wait(300.0)
        return self.inner.transcribe(audio, cancel, options=options)


def test_a_call_under_way_at_stop_is_taken_not_made_again(
    jfk: Path, transcriber: Transcriber
) -> None:
    samples = np.concatenate([load_audio(jfk), np.zeros(SAMPLE_RATE, np.float32)])
    held = Held(transcriber)
    held.hold.set()
    stream = AnswerStream(held)
    _feed(stream, samples, (SAMPLE_RATE // 10,))
    # The speaker stopped: the worker transcribes the answer so far as the last piece, and Stop
    # comes while that call is under way.
    assert held.entered.wait(120.0)
    finished: list[AnswerReport] = []
    stopping = threading.Thread(target=lambda: finished.append(stream.finish()))
    stopping.start()
    time.sleep(0.5)
    assert not finished  # it waits for the call under way ...
    assert len(held.asked) == 1  # ... rather than asking the engine again
    held.release.set()
    stopping.join(300.0)
    (report,) = finished
    asked = [(heard, options) for heard, options, _thread in held.asked]
    assert len(asked) == len(set(asked))  # no call made twice
    assert _timed_words(report) == _timed_words(analyze_samples(samples, transcriber))
    calls = [done for done in stream.steps.done if done["step"] == "engine call"]
    assert any(call["joined"] for call in calls)


def test_a_guess_under_way_at_stop_does_not_hold_it_up_and_the_finisher_ends_it(
    jfk: Path, transcriber: Transcriber
) -> None:
    speech = load_audio(jfk)
    silence = np.zeros(SAMPLE_RATE, np.float32)
    held = Held(transcriber)
    finisher = Held(transcriber)
    held.hold.set()
    stream = AnswerStream(held, finisher=finisher)
    _feed(stream, np.concatenate([speech, silence]), (SAMPLE_RATE // 10,))
    assert held.entered.wait(120.0)  # the worker guesses that the answer ended here ...
    more = np.concatenate([speech, silence])
    _feed(stream, more, (SAMPLE_RATE // 10,))  # ... but the speaker goes on, then stops
    assert finisher.asked == []  # the finisher is not used while the answer is spoken
    began = time.monotonic()
    report = stream.finish()  # while the worker's useless call is still held
    assert not held.release.is_set()
    assert time.monotonic() - began < 120.0
    # Stop's calls went to the finisher, none to the engine busy with the guess.
    assert [thread for _h, _o, thread in held.asked] == ["answer-stream"]
    assert finisher.asked and all(thread != "answer-stream" for _h, _o, thread in finisher.asked)
    whole = np.concatenate([speech, silence, more])
    assert _timed_words(report) == _timed_words(analyze_samples(whole, transcriber))
    held.release.set()
    _wait(lambda: not stream.running, 60.0)  # the worker ends once its call returns
