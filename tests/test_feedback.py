"""The score, its plain-word notes, the marked transcript and the JSON round trip."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from practice.analysis.answer import analyze_samples, build_report
from practice.analysis.events import HESITATIONS, FillerEvent
from practice.analysis.pace import measure_pace
from practice.analysis.pauses import Pause
from practice.analysis.scoring import AnswerReport, Targets, score_parts, tenths
from practice.analysis.transcript import DecodeOptions, Transcript, Word
from tests.signals import answer
from tests.words import spoken

HUNDRED = spoken("a " * 100)


def um(start: float, index: int, confidence: float = 0.95) -> FillerEvent:
    return FillerEvent("um", start, start + 0.3, "transcript", confidence, (index,))


def parts_for(wpm_words: int, seconds: float, **kwargs: object) -> dict[str, str]:
    words = spoken("a " * wpm_words, seconds_per_word=seconds / wpm_words)
    pace = measure_pace(words, [])
    targets = Targets(**kwargs)  # type: ignore[arg-type]
    parts = score_parts(pace, [], [], words, seconds, targets)
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
        for p in score_parts(measure_pace(words, []), fillers, [], words, 50.0, Targets())
        if p.name == "fillers"
    ]
    assert part.note == "4 fillers in 50 s (4.8/min, 4.0 per 100 words), mostly 'um'"
    assert part.points == pytest.approx(30 - 2 / 3 * 10, abs=0.05)


def test_likely_fillers_are_shown_not_counted() -> None:
    fillers = [um(1, 1), um(3, 2), um(5, 3), um(7, 4, confidence=0.3)]
    (part,) = [
        p
        for p in score_parts(measure_pace([], []), fillers, [], HUNDRED, 60.0, Targets())
        if p.name == "fillers"
    ]
    assert part.note.startswith("3 fillers, +1 likely in 60 s (3.0/min")


def test_long_pauses_and_stalls_cost_points() -> None:
    calm = score_parts(measure_pace([], []), [], [Pause(3, 4.2)], HUNDRED, 60.0, Targets())
    assert calm[-1].points == 20
    assert calm[-1].note == "1 long pause (≥ 1 s) inside sentences; longest 1.2 s"
    stalled = score_parts(
        measure_pace([], []), [], [Pause(3, 4.2), Pause(10, 13.5)], HUNDRED, 60.0, Targets()
    )
    assert stalled[-1].points == 15
    assert stalled[-1].note.endswith("1 over 3 s read as stalls")


def sentences_with_pauses(end: str) -> tuple[list[Word], list[Pause]]:
    """Four 7 s sentences (S, T, A, R) ending in ``end``, a 1.5 s pause after each of three."""
    words: list[Word] = []
    pauses: list[Pause] = []
    clock = 0.0
    for part in range(4):
        sentence = spoken(
            "we did the work " * 5 + "well" + end, start=clock, seconds_per_word=1 / 3
        )
        words += sentence
        clock = sentence[-1].end
        if part < 3:
            pauses.append(Pause(clock, clock + 1.5))
            clock += 1.5
    return words, pauses


def test_pauses_between_sentences_are_good_practice() -> None:
    """Pausing between the parts of an answer costs nothing; the same pauses inside sentences
    are hesitations, and three in half a minute cost points."""
    words, pauses = sentences_with_pauses(".")
    length = words[-1].end
    (between,) = [
        p
        for p in score_parts(measure_pace(words, []), [], pauses, words, length, Targets())
        if p.name == "pauses"
    ]
    assert between.points == 20
    assert between.note.startswith("3 long pauses (≥ 1 s) between sentences: good")
    words, pauses = sentences_with_pauses("")
    (inside,) = [
        p
        for p in score_parts(measure_pace(words, []), [], pauses, words, length, Targets())
        if p.name == "pauses"
    ]
    assert inside.points < 20
    assert "inside sentences" in inside.note


def test_a_pause_just_under_the_threshold_is_not_shown_as_long() -> None:
    assert tenths(0.98) == "0.9"
    assert tenths(1.0) == "1.0"
    assert tenths(1.04) == "1.0"


def test_the_pace_verdict_is_taken_on_the_number_shown() -> None:
    """129.7 wpm is shown as 130, so it is inside a 130–155 band, with full points."""
    words = spoken("a " * 173, seconds_per_word=80 / 173)  # 129.75 wpm over 80 s
    pace = measure_pace(words, [])
    assert 129.5 <= pace.wpm < 130
    (part,) = [
        p for p in score_parts(pace, [], [], words, 80.0, Targets(130, 155)) if p.name == "pace"
    ]
    assert (part.points, part.note) == (30, "130 wpm, inside the 130–155 band")


def test_length_against_target() -> None:
    def length(seconds: float) -> tuple[float, str]:
        part = score_parts(
            measure_pace([], []), [], [], HUNDRED, seconds, Targets(target_seconds=90)
        )
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

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
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
    assert report.score is None
    assert report.unscored == "no speech detected"
    assert report.notes == ("no speech detected",)
    assert report.to_json()["score"]["overall"] is None
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
        for p in score_parts(measure_pace([], []), [um(1, 1)], [], HUNDRED[:40], 30.0, Targets())
        if p.name == "fillers"
    ]
    assert part.note == "1 filler ('um') in 30 s (2.0/min, 2.5 per 100 words)"


def test_fillers_and_pauses_are_earned_by_speaking() -> None:
    """Silence cannot fail the filler and pause parts, so a short answer earns them only in
    proportion to what it said: full from 60 % of the target (here 54 s of 90 s)."""
    target = Targets(target_seconds=90)
    words = HUNDRED[:30]
    parts = {p.name: p for p in score_parts(measure_pace([], []), [], [], words, 12.0, target)}
    assert parts["fillers"].points == pytest.approx(30 * 12 / 54, abs=0.05)
    assert parts["pauses"].points == pytest.approx(20 * 12 / 54, abs=0.05)
    assert parts["fillers"].note == "no fillers found; 12 s spoken, full points from 54 s"
    full = {p.name: p for p in score_parts(measure_pace([], []), [], [], words, 54.0, target)}
    assert (full["fillers"].points, full["pauses"].points) == (30, 20)


def test_a_near_empty_answer_has_no_score() -> None:
    """A 2 s "You." is too short to score, says so, and the JSON has no overall number."""
    words = spoken("You.", start=0.5, seconds_per_word=1.8)
    report = build_report(
        words, [], (0.5, 2.3), duration_s=3.0, engine=("fake", "x"), targets=Targets(90)
    )
    assert report.score is None
    assert report.unscored is not None and report.unscored.startswith(
        "too short to score (2 s, 1 word)"
    )
    assert report.headline.startswith("Too short to score")
    data = report.to_json()
    assert data["score"]["overall"] is None
    assert data["score"]["unscored"] == report.unscored
    assert AnswerReport.from_json(json.loads(json.dumps(data))).to_json() == data


def test_an_answer_long_enough_is_scored() -> None:
    words = spoken("we shipped the new billing system on time " * 4, start=0.5)  # 32 words
    report = build_report(words, [], (0.5, words[-1].end), duration_s=14.0, engine=("fake", "x"))
    assert report.unscored is None and report.score is not None
    assert report.headline == f"Score {report.score}/100"
