"""The real-speech benchmark's scoring (benchmarks.real), on small hand-made inputs; the truth of
the real recordings is read from ../shared/data/real when it is there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.accuracy.score import Counts, edit_counts
from benchmarks.real.__main__ import format_report, main
from benchmarks.real.data import Item, clip_fillers, default_folder, load_items
from benchmarks.real.score import (
    Unworded,
    edits,
    hypothesis_words,
    reference_words,
    score_file,
    unworded,
)

REAL = default_folder()


def _real_items() -> dict[str, Item]:
    if not (REAL / "truth.json").is_file():
        pytest.skip(f"the real-speech set {REAL} is absent")
    return {item.name: item for item in load_items(REAL)}


def _result(transcript: str, events: list[tuple[str, float, float]]) -> dict[str, Any]:
    words = [
        {"text": word, "start": 0.5 * index, "end": 0.5 * index + 0.4}
        for index, word in enumerate(transcript.split())
    ]
    return {
        "transcript": transcript,
        "words": words,
        "fillers": {
            "events": [
                {"type": kind, "start": start, "end": start + 0.3, "confidence": confidence}
                for kind, start, confidence in events
            ]
        },
    }


def test_edit_counts_split_substitutions_deletions_insertions() -> None:
    assert edit_counts(["a", "b", "c", "d"], ["a", "x", "d"]) == (1, 1, 0)
    assert edit_counts(["a", "b", "c"], ["a", "x", "c", "e"]) == (1, 0, 1)
    # Of equally cheap alignments, the one that loses fewest reference words.
    assert edit_counts(["a", "b", "c", "d"], ["a", "x", "d", "e"]) == (3, 0, 0)
    assert edit_counts(["a", "b"], []) == (0, 2, 0)
    assert edit_counts([], ["a"]) == (0, 0, 1)


def test_reference_markup_and_letters_are_normalised() -> None:
    assert reference_words(
        "<cutoff-montreal> montreal <hes-forced> [laughter] <unk> uh m f a is yknow"
    ) == ["montreal", "forced", "mfa", "is", "you", "know"]
    assert hypothesis_words("Montréal") == ["montreal"]
    assert hypothesis_words("Um, M.F.A. is, y'know, like... OK") == [
        "mfa",
        "is",
        "you",
        "know",
        "like",
        "okay",
    ]
    # A laugh written out is the reference's [laughter], a sound on both sides, not a word.
    assert hypothesis_words("Aligner. Ha-ha. He had a hat, hah! Hahaha") == [
        "aligner",
        "he",
        "had",
        "a",
        "hat",
    ]


def test_clip_filler_tokens() -> None:
    assert clip_fillers("uh um uh hm hm um") == (["uh", "um", "uh", "hmm", "hmm", "um"], None)
    assert clip_fillers("<cutoff- <cutoff- uh <cutoff- hm") == (["uh", "hmm"], None)
    assert clip_fillers("you know") == ([], "you know")
    assert clip_fillers("what's called") == ([], "what's called")
    assert clip_fillers("-") == ([], None)
    assert clip_fillers("<hes- <hes-") == ([], None)


def test_speech_without_words_counts_only_long_uncovered_stretches() -> None:
    speech = [(0.0, 3.0), (5.0, 5.2)]
    words = [(0.0, 1.0), (1.2, 2.0)]
    # 0-1.1 and 1.1-2.1 are covered; 2.1-3.0 is not (0.9 s); 5.0-5.2 is too short to count.
    result = unworded(speech, words)
    assert result.stretches == 1
    assert result.seconds == pytest.approx(0.9)
    assert unworded([(0.0, 1.0)], [(0.0, 1.0)]) == Unworded(0, 0.0, 0.0)


def test_monologue_scored_by_time_against_its_truth() -> None:
    item = _real_items()["monologue/acoustic_corpus.wav"]
    assert item.reference is not None and item.timed and item.restarts == 1
    assert [e.type for e in item.hesitations] == ["um", "uh", "um"]
    lost = item.reference.replace("who cares", "cares").replace(" thanks", "")
    result = _result(
        lost,
        [
            ("um", 8.1, 0.9),  # the um at 8.016-8.577
            ("hmm", 22.9, 0.8),  # the um at 22.865-23.554, another type: still a hesitation
            ("uh", 11.0, 0.9),  # nothing there: false
            ("uh", 14.6, 0.3),  # the uh, but only "likely": not counted
            ("repetition", 3.0, 0.9),
            ("repetition", 19.5, 0.9),
            ("you know", 5.7, 0.9),
        ],
    )
    # Bare faster-whisper: the same words without the hesitations, and one "um" at the last um.
    plain = [w for w in result["words"] if w["text"] not in ("um", "uh")]
    bare = [*plain, {"text": "Um,", "start": 22.9, "end": 23.2}]
    score = score_file(item, result, bare, duration_s=26.7)
    assert score.hesitations == Counts(tp=2, fp=1, fn=1)
    assert score.likely_hesitations == 1
    assert score.markers == Counts(1, 0, 0)
    assert score.restarts == Counts(1, 1, 0)
    assert score.practice is not None and score.bare is not None
    assert (score.practice.deletions, score.practice.errors) == (2, 2)
    assert score.practice.reference == 57  # 59 words, 3 hesitations, "yknow" is two
    assert score.bare.errors == 2  # its "um" is no error
    assert score.hesitations_bare == Counts(1, 0, 2)


def test_acted_clips_scored_by_count_and_false_fillers_listed() -> None:
    items = _real_items()
    uhum, putty = items["mfa-clips/mfa_uhum.flac"], items["mfa-clips/mfa_putty.flac"]
    assert not uhum.timed and len(uhum.hesitations) == 6 and not putty.has_fillers
    many = [("er", 0.5 * n, 0.95) for n in range(7)]
    score = score_file(uhum, _result("montreal forced forced a liner", many), duration_s=8.2)
    assert score.hesitations == Counts(6, 1, 0)
    assert score.false_fillers == ()
    assert score.bare is None  # no bare transcript given
    assert score.practice is not None and score.practice.errors == 2  # "a liner" for "aligner"
    clean = score_file(
        putty,
        _result("MFA is like putty", [("um", 1.0, 0.7), ("like", 2.0, 0.6), ("uh", 3.0, 0.2)]),
        duration_s=6.1,
    )
    assert clean.false_fillers == ("um", "like")
    assert clean.hesitations == Counts(0, 1, 0)
    report = format_report([score, clean])
    assert "hesitations 6 of 6 found, 2 false" in report
    assert "false fillers on the 1 clips that have none: 2" in report
    assert "WER more than 0.03 above bare faster-whisper's: 0" in report  # no bare words here
    bare = [{"text": word, "start": 0.0, "end": 0.1} for word in ["MFA", "is", "like", "putty"]]
    worse = score_file(putty, _result("MFA is like pudding", []), bare, duration_s=6.1)
    assert worse.worse_than_bare
    assert not score_file(
        putty, _result("MFA is like putty", []), bare, duration_s=6.1
    ).worse_than_bare
    report = format_report([worse])
    assert "WER more than 0.03 above bare faster-whisper's: 1" in report
    assert "practice: MFA is like pudding\n      bare:     MFA is like putty" in report


def test_absent_data_is_skipped_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(tmp_path / "nowhere")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("benchmarks.real: skipped: no real-speech set at ")
    assert out.count("\n") == 1


def test_edits_are_zero_for_the_reference_itself() -> None:
    sample = "montreal forced uh um uh hm hm um forced aligner"
    assert edits(sample, "Montreal forced, forced aligner.").errors == 0
