"""The score, its plain-word notes, the marked transcript and the JSON round trip."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from practice.analysis.answer import analyze_samples
from practice.analysis.feedback import AnswerReport, Targets, score_parts
from practice.analysis.fillers import HESITATIONS, FillerEvent
from practice.analysis.pace import measure_pace
from practice.analysis.pauses import Pause
from practice.analysis.transcribe import Transcript, Word
from tests.signals import answer
from tests.words import spoken


def um(start: float, index: int, confidence: float = 0.95) -> FillerEvent:
    return FillerEvent("um", start, start + 0.3, "transcript", confidence, (index,))


def parts_for(wpm_words: int, seconds: float, **kwargs: object) -> dict[str, str]:
    words = spoken("a " * wpm_words, seconds_per_word=seconds / wpm_words)
    pace = measure_pace(words, [])
    targets = Targets(**kwargs)  # type: ignore[arg-type]
    parts = score_parts(pace, [], [], len(words), seconds, targets)
    return {part.name: part.note for part in parts}


def test_pace_inside_and_outside_the_band() -> None:
    assert parts_for(74, 30.0)["pace"] == "148 wpm, inside the 120–165 band"
    assert parts_for(91, 30.0)["pace"].startswith("182 wpm, faster than the 120–165 band")
    assert parts_for(50, 30.0)["pace"].startswith("100 wpm, slower than the 120–165 band")
    assert "pace" not in parts_for(30, 15.0)  # too short to judge


def test_filler_note_names_rate_and_most_common_type() -> None:
    words = spoken("a " * 100, seconds_per_word=0.5)  # 50 s
    fillers = [um(1, 1), um(5, 10), um(9, 20), FillerEvent("like", 20, 20.3, "transcript", 0.8)]
    (part,) = [
        p
        for p in score_parts(measure_pace(words, []), fillers, [], 100, 50.0, Targets())
        if p.name == "fillers"
    ]
    assert part.note == "4 fillers in 50 s (4.8/min, 4.0 per 100 words), mostly 'um'"
    assert part.points == pytest.approx(30 - 2 / 3 * 10)


def test_likely_fillers_are_shown_not_counted() -> None:
    fillers = [um(1, 1), um(3, 2), um(5, 3), um(7, 4, confidence=0.3)]
    (part,) = [
        p
        for p in score_parts(measure_pace([], []), fillers, [], 100, 60.0, Targets())
        if p.name == "fillers"
    ]
    assert part.note.startswith("3 fillers, +1 likely in 60 s (3.0/min")


def test_long_pauses_and_stalls_cost_points() -> None:
    calm = score_parts(measure_pace([], []), [], [Pause(3, 4.2)], 100, 60.0, Targets())
    assert calm[-1].points == 20
    assert calm[-1].note == "1 long pause (≥ 1 s), longest 1.2 s"
    stalled = score_parts(
        measure_pace([], []), [], [Pause(3, 4.2), Pause(10, 13.5)], 100, 60.0, Targets()
    )
    assert stalled[-1].points == 15
    assert stalled[-1].note.endswith("1 over 3 s read as stalls")


def test_length_against_target() -> None:
    def length(seconds: float) -> tuple[float, str]:
        part = score_parts(measure_pace([], []), [], [], 100, seconds, Targets(target_seconds=90))
        return part[-1].points, part[-1].note

    assert length(90) == (20, "90 s against a 90 s target")
    assert length(27)[0] == pytest.approx(10)
    assert "short" in length(27)[1]
    assert "long" in length(180)[1]


class FakeTranscriber:
    """Returns fixed words (relative to the audio it is given) and remembers what it got."""

    name = "fake"
    model = "fixed"

    def __init__(self, words: list[Word]) -> None:
        self.words = words
        self.seen: list[int] = []

    def load(self) -> None:
        pass

    def transcribe(self, samples: np.ndarray, cancel: threading.Event | None = None) -> Transcript:
        self.seen.append(len(samples))
        return Transcript(tuple(self.words))


def test_pipeline_times_words_on_the_whole_recording_and_marks_pauses() -> None:
    samples, _ = answer([2.0, ("s", 3.0), 1.5, ("s", 3.0), 2.0])
    # The words fill the speech: a stretch of signal that no word covers would be heard as a
    # held sound (this stand-in for speech has a steady spectrum).
    fake = FakeTranscriber(
        [
            *spoken("um I led the team", start=0.5, seconds_per_word=0.6),
            *spoken("and we shipped", start=5.0, seconds_per_word=1.0),
        ]
    )
    report = analyze_samples(samples, fake, Targets(target_seconds=10), file="a.wav")
    assert fake.seen == [round(8.5 * 16000)]  # speech 2.0-9.5 s, plus 0.5 s either side
    assert report.words[0].start == pytest.approx(
        2.0
    )  # 0.5 s into the cut-out, which starts at 1.5 s
    assert [p.duration for p in report.long_pauses] == [pytest.approx(1.5, abs=0.03)]
    # The written "um" stands for the held sound under it, which types it (this stand-in for
    # speech hums: its energy is all below 600 Hz).
    [filler] = report.counted_fillers
    assert filler.source == "transcript" and filler.words == (0,) and filler.type in HESITATIONS
    marks = report.marked_transcript()
    assert [m.kind for m in marks][:2] == ["filler", "word"]
    pause_at = [m.kind for m in marks].index("pause")
    assert marks[pause_at + 1].text == "and"
    assert report.speech == pytest.approx((2.0, 9.5), abs=0.03)


def test_json_round_trip_is_exact() -> None:
    samples, _ = answer([1.0, ("s", 4.0), 1.2, ("s", 4.0), 1.0])
    # Words where the signal has speech (words in the 1.2 s silence would be dropped as made up).
    words = [
        *spoken("um I think " + "we grew the team " * 2 + "and", start=0.5, seconds_per_word=1 / 3),
        *spoken("we grew the team " * 3, start=5.7, seconds_per_word=1 / 3),
    ]
    report = analyze_samples(samples, FakeTranscriber(words), Targets(target_seconds=60))
    data = report.to_json()
    again = AnswerReport.from_json(json.loads(json.dumps(data)))
    assert again.to_json() == data
    # The written "um", typed by the held hum under it (this stand-in for speech hums).
    assert data["fillers"]["by_type"] == {"hmm": 1}
    assert data["fillers"]["events"][0]["words"] == [0]
    assert data["words"][0] == {
        "text": "um",
        "start": 1.0,
        "end": 1.333,
        "probability": 1.0,
        "filler": True,
    }
    assert set(data) >= {
        "file",
        "duration_s",
        "engine",
        "transcript",
        "words",
        "pace",
        "fillers",
        "pauses",
        "score",
    }


def test_silence_is_no_speech_and_the_engine_is_not_asked() -> None:
    fake = FakeTranscriber(spoken("Thank you."))
    report = analyze_samples(np.zeros(16000 * 30, dtype=np.float32), fake)
    assert fake.seen == []
    assert report.no_speech
    assert report.score == 0
    assert report.notes == ("no speech detected",)
    assert report.to_json()["no_speech"] is True


def test_speech_without_words_is_no_speech() -> None:
    samples, _ = answer([1.0, ("s", 3.0), 1.0])
    report = analyze_samples(samples, FakeTranscriber([]))
    assert report.no_speech
    assert report.notes == ("no speech detected",)


def test_a_filler_of_several_words_is_one_mark() -> None:
    samples, _ = answer([1.0, ("s", 3.0), 1.0])
    words = spoken("and people, you know, started sleeping again", start=1.0)
    report = analyze_samples(samples, FakeTranscriber(words))
    assert [(m.kind, m.text) for m in report.marked_transcript()] == [
        ("word", "and"),
        ("word", "people,"),
        ("filler", "you know,"),
        ("word", "started"),
        ("word", "sleeping"),
        ("word", "again"),
    ]


def test_one_filler_is_named() -> None:
    (part,) = [
        p
        for p in score_parts(measure_pace([], []), [um(1, 1)], [], 40, 12.0, Targets())
        if p.name == "fillers"
    ]
    assert part.note == "1 filler ('um') in 12 s (5.0/min, 2.5 per 100 words)"
