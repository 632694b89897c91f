"""The verdict step (practice/analysis/verdict.py): which stretches are decoded again, how the
engine's words are read back to the recording's time, and what the verdict decides. The real
engine on real recordings is exercised in tests/test_real_speech.py."""

from __future__ import annotations

import threading

import numpy as np

from practice.analysis.audio import SAMPLE_RATE
from practice.analysis.events import AUDIO, TRANSCRIPT, FillerEvent
from practice.analysis.transcript import DecodeOptions, Transcript, Word
from practice.analysis.verdict import (
    CONTEXT_S,
    GAP_S,
    Heard,
    Stretch,
    candidates,
    confirm_hesitations,
    decode_pieces,
    judge,
    moved_to_voice,
    spelled_hesitation,
)


def _voice(seconds: float, spans: list[tuple[float, float]]) -> np.ndarray:
    """A VAD probability per 10 ms frame: 0.9 in ``spans``, 0 elsewhere."""
    voice = np.zeros(round(seconds * 100), dtype=np.float32)
    for start, end in spans:
        voice[round(start * 100) : round(end * 100)] = 0.9
    return voice


def test_spellings_of_hesitations_and_words() -> None:
    assert spelled_hesitation("Um,") == "um"
    assert spelled_hesitation("erm.") == "um"
    assert spelled_hesitation("uh") == "uh"
    assert spelled_hesitation("Hmm...") == "hmm"
    assert spelled_hesitation("our") is None
    assert spelled_hesitation("(laughs)") is None


def test_candidates_are_acoustic_events_and_long_written_hesitations() -> None:
    words = [
        Word("So", 0.5, 0.8),
        Word("uh,", 0.9, 2.0),
        Word("we", 3.0, 3.2),
        Word("um", 3.3, 3.5),
    ]
    events = [
        FillerEvent("uh", 0.9, 2.0, TRANSCRIPT, 0.95, (1,)),
        FillerEvent("um", 3.3, 3.5, TRANSCRIPT, 0.95, (3,)),
        FillerEvent("um", 3.6, 4.0, AUDIO, 0.8),
        FillerEvent("like", 4.1, 4.3, TRANSCRIPT, 0.7),
    ]
    assert [(s.origin, s.start, s.end) for s in candidates(events, words)] == [
        ("long", 0.9, 2.0),  # a written hesitation of 1.1 s: it may stand for several
        ("event", 3.6, 4.0),  # the audio channel's hesitation: confirmed or rejected
    ]  # a short written "um" and a marker are not decoded again


class _Echo:
    """An engine that writes "um" wherever the stretch it is given is loud, and records what it
    was given."""

    name = "echo"
    model = "echo"

    def __init__(self) -> None:
        self.given: list[np.ndarray] = []
        self.options: list[DecodeOptions | None] = []

    def load(self) -> None:
        """Nothing to load."""

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        self.given.append(samples)
        self.options.append(options)
        loud = np.flatnonzero(np.abs(samples) > 0.1)
        start, end = loud[0] / SAMPLE_RATE, loud[-1] / SAMPLE_RATE
        return Transcript((Word("Um,", float(start), float(end)),))


def test_stretches_are_decoded_once_and_read_back_to_the_recordings_time() -> None:
    samples = np.zeros(10 * SAMPLE_RATE, dtype=np.float32)
    samples[round(6.0 * SAMPLE_RATE) : round(6.4 * SAMPLE_RATE)] = 0.5  # the only sound
    engine = _Echo()
    stretches = [Stretch(2.0, 2.5, "event"), Stretch(6.0, 6.4, "event")]
    heard, kept = decode_pieces(samples, stretches, engine)
    assert kept == stretches
    assert len(engine.given) == 1  # one decoding for every stretch
    joined = (2.5 - 2.0 + 2 * CONTEXT_S) + GAP_S + (6.4 - 6.0 + 2 * CONTEXT_S)
    assert abs(len(engine.given[0]) / SAMPLE_RATE - joined) < 0.01
    assert len(heard) == 1
    assert abs(heard[0].start - 6.0) < 0.01 and abs(heard[0].end - 6.4) < 0.01
    assert heard[0].type == "um"


def test_a_long_hesitation_inside_a_piece_is_heard_in_that_piece_decoded_without_the_prompt() -> (
    None
):
    samples = np.zeros(12 * SAMPLE_RATE, dtype=np.float32)
    samples[round(3.0 * SAMPLE_RATE) : round(4.0 * SAMPLE_RATE)] = 0.5
    engine = _Echo()
    words = [Word("So", 1.0, 1.3), Word("erm,", 2.9, 4.1), Word("yes", 5.0, 5.3)]
    written = FillerEvent("um", 2.9, 4.1, TRANSCRIPT, 0.95, (1,))
    voice = _voice(12.0, [(1.0, 5.3)])
    confirm_hesitations(samples, words, [written], voice, [(1.0, 5.3)], engine, pieces=[(0.5, 6.0)])
    assert len(engine.given) == 1  # the piece itself, not a stretch cut out of it: no new window
    assert np.array_equal(engine.given[0], samples[round(0.5 * SAMPLE_RATE) : 6 * SAMPLE_RATE])
    assert engine.options[0] is not None and engine.options[0].initial_prompt is None
    # Without the pieces, the same candidate is cut out with its context and decoded prompted.
    engine = _Echo()
    confirm_hesitations(samples, words, [written], voice, [(1.0, 5.3)], engine)
    assert len(engine.given[0]) == round((4.1 - 2.9 + 2 * CONTEXT_S) * SAMPLE_RATE)
    assert engine.options[0] is not None and engine.options[0].initial_prompt is not None


def test_an_acoustic_hesitation_the_engine_writes_as_a_word_or_a_laugh_is_dropped() -> None:
    held = FillerEvent("um", 2.6, 3.1, AUDIO, 0.88)
    stretch = Stretch(2.6, 3.1, "event")
    assert judge([held], [stretch], [Heard("Stalina?", 2.5, 3.2, None)]) == []
    laugh = Heard("(laughs)", 2.6, 3.0, None)
    assert judge([held], [stretch], [laugh]) == []
    assert judge([held], [stretch], [Heard("um", 2.6, 3.0, "um")]) == [held]
    assert judge([held], [stretch], []) == [held]  # nothing written: the audio stands
    # Whisper's spelling of a held sound it hears as a word is no word
    assert judge([held], [stretch], [Heard("Yeah.", 2.5, 3.0, None)]) == [held]
    # a word over it, but the hesitation written just after it (times drift in the joined stretch)
    heard = [Heard("But,", 2.0, 3.0, None), Heard("um...", 3.5, 4.2, "um")]
    assert judge([held], [stretch], heard) == [held]


def test_a_long_written_hesitation_heard_as_several_counts_each() -> None:
    written = FillerEvent("um", 2.36, 4.46, TRANSCRIPT, 0.95, (1,))
    stretch = Stretch(2.36, 4.46, "long")
    heard = [
        Heard("uh,", 2.4, 2.9, "uh"),
        Heard("um,", 3.0, 3.6, "um"),
        Heard("uh", 3.7, 4.4, "uh"),
    ]
    events = judge([written], [stretch], heard)
    assert len(events) == 3 and events.count(written) == 1


def test_a_written_hesitation_moves_onto_the_voice_just_before_it() -> None:
    """Whisper writes "say, um, here's" with its "um" after the sound (TalkBank's test)."""
    words = [Word("say,", 17.38, 17.6), Word("um,", 18.2, 18.52), Word("here's", 18.54, 18.7)]
    written = FillerEvent("um", 18.2, 18.52, TRANSCRIPT, 0.95, (1,))
    voice = _voice(20.0, [(17.3, 18.0), (18.2, 18.7)])
    moved = moved_to_voice(words, [written], voice, [(17.3, 18.7)])
    assert [(e.start, e.end) for e in moved] == [(17.6, 18.0)]
    # with a word between them, the written one stays
    words.insert(1, Word("but", 18.0, 18.15))
    written = FillerEvent("um", 18.2, 18.52, TRANSCRIPT, 0.95, (2,))
    assert moved_to_voice(words, [written], voice, [(17.3, 18.7)]) == [written]


def test_hesitations_of_the_unprompted_piece_just_past_a_long_one_are_heard_over_it() -> None:
    written = FillerEvent("um", 5.36, 6.68, TRANSCRIPT, 0.95, (3,))
    stretch = Stretch(5.36, 6.68, "long")
    plain = [  # zero-length words at the stretch's edge, as a whole piece's decoding times them
        Heard("um,", 6.74, 6.76, "um"),
        Heard("uh,", 6.78, 6.78, "uh"),
        Heard("forced", 6.98, 7.0, None),
    ]
    assert len(judge([written], [stretch], [], plain)) == 2
    assert judge([written], [stretch], [], [Heard("um,", 7.2, 7.2, "um")] * 2) == [written]
