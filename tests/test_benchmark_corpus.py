"""The accuracy benchmark's own parts: script markup, the scorer, and real synthesis."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from benchmarks.accuracy.__main__ import main
from benchmarks.accuracy.score import Counts, ResultError, edit_distance, score_answer, summarize
from benchmarks.accuracy.script import (
    FILLER_TYPES,
    MARKERS,
    Filler,
    ScriptError,
    Silence,
    Speech,
    load_scripts,
    parse,
    words_of,
)
from benchmarks.accuracy.synth import (
    EDGE_S,
    SAMPLE_RATE,
    SNR_DB,
    VOICES,
    cached,
    render,
    synthesize,
)
from benchmarks.accuracy.truth import Segment, Truth, differing, read_committed, write_committed

# --- markup -------------------------------------------------------------------------------------


def test_markup_splits_speech_fillers_and_silences() -> None:
    parts = parse("So {um} I led the migration [1.5] and, {you know}, it worked. {I|repeat} I did.")
    assert parts == (
        Speech("So"),
        Filler("um", "um"),
        Speech("I led the migration"),
        Silence(1.5),
        Speech("and,"),
        Filler("you know", "you know"),
        Speech(", it worked."),
        Filler("I", "repetition"),
        Speech("I did."),
    )
    assert parts[2].words == ("i", "led", "the", "migration")


def test_markup_reads_filler_spellings_as_their_type() -> None:
    assert parse("{Umm}, {OK}, {Hm} fine.")[:3] == (
        Filler("Umm", "um"),
        Filler("OK", "okay"),
        Filler("Hm", "hmm"),
    )


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("I {banana} did it.", "{banana} is not a known filler type"),
        ("I {um did it.", "unbalanced '{'"),
        ("I did it. [long]", "[long] is not a silence in seconds"),
        ("I did it. [30]", "must be 0.05-10 seconds"),
        ("{um} [1.0]", "no plain words"),
        ("I {} did it.", "empty filler"),
    ],
)
def test_bad_markup_names_the_problem(markup: str, message: str) -> None:
    with pytest.raises(ScriptError, match=r"^demo: ") as error:
        parse(markup, "demo")
    assert message in str(error.value)


def test_words_strip_punctuation_and_keep_apostrophes() -> None:
    assert words_of("Well, I'm done—it\u2019s fine!") == ("well", "i'm", "done", "it's", "fine")


def test_corpus_has_every_filler_type_ordinary_markers_and_a_held_out_split() -> None:
    scripts = load_scripts()
    assert len(scripts) >= 30
    held_out = [script for script in scripts if script.split == "test"]
    assert 0.15 <= len(held_out) / len(scripts) <= 0.3  # 8 held out, then 4 written later
    kinds = {filler.type for script in scripts for filler in script.fillers}
    assert kinds == set(FILLER_TYPES)
    plain = " ".join(
        " ".join(part.words) for s in scripts for part in s.parts if isinstance(part, Speech)
    )
    for marker in MARKERS:  # every discourse marker also appears in an ordinary use
        assert f" {marker} " in f" {plain} ", marker
    pauses = [p.seconds for s in scripts for p in s.silences]
    assert sum(p >= 1.0 for p in pauses) >= 30 and sum(0.3 <= p < 1.0 for p in pauses) >= 30


def test_a_bad_script_file_is_reported_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        '[[script]]\nid = "x"\nquestion = "q"\nkind = "job"\nsplit = "train"\ntext = "Hi."\n'
    )
    with pytest.raises(ScriptError, match=r"bad\.toml script #1: split must be"):
        load_scripts(tmp_path)


# --- scorer -------------------------------------------------------------------------------------


def _truth(voice: str = "v") -> Truth:
    """Words 0.3-1.3 s, an 'um' 1.4-1.8 s, words 1.9-2.9 s, a 1.5 s pause, 'like', words."""
    return Truth(
        "s1",
        voice,
        7.0,
        (
            Segment("words", 0.3, 1.3, "I led the team,"),
            Segment("filler", 1.4, 1.8, "um", "um"),
            Segment("words", 1.9, 2.9, "and we shipped it."),
            Segment("pause", 2.9, 4.4),
            Segment("filler", 4.4, 4.7, "like", "like"),
            Segment("words", 4.8, 6.7, "I like my job."),
        ),
    )


def _result(
    fillers: list[tuple[str, float, float]] | None = None,
    pauses: list[tuple[float, float]] | None = None,
    wpm: float | None = None,
    transcript: str = "I led the team, um, and we shipped it. Like, I like my job.",
) -> dict[str, Any]:
    if fillers is None:
        fillers = [("um", 1.42, 1.75), ("like", 4.41, 4.7)]
    if pauses is None:
        pauses = [(2.95, 4.38), (1.3, 1.45)]
    return {
        "transcript": transcript,
        "pace": {"wpm": _truth().wpm if wpm is None else wpm},
        "fillers": {"events": [{"type": t, "start": s, "end": e} for t, s, e in fillers]},
        "pauses": {"events": [{"start": s, "end": e} for s, e in pauses]},
    }


def test_truth_wpm_counts_plain_words_between_first_and_last_word() -> None:
    truth = _truth()
    assert truth.words == (
        "i",
        "led",
        "the",
        "team",
        "and",
        "we",
        "shipped",
        "it",
        "i",
        "like",
        "my",
        "job",
    )
    assert truth.wpm == pytest.approx(12 / (6.4 / 60))


def test_a_perfect_result_scores_one() -> None:
    score = score_answer(_truth(), _result())
    assert score.fillers_total == Counts(2, 0, 0) and score.fillers_total.f1 == 1.0
    assert score.fillers_any_type.f1 == 1.0
    assert score.filler_count_error == 0
    assert score.pauses == Counts(1, 0, 0)
    assert score.wpm_error == 0.0
    assert score.wer_edits == 0 and score.wer_reference == 13  # 12 plain words + "like"


def test_a_missed_filler_costs_recall_only() -> None:
    score = score_answer(_truth(), _result(fillers=[("like", 4.41, 4.7)]))
    assert score.fillers_total == Counts(1, 0, 1)
    assert score.fillers_total.precision == 1.0 and score.fillers_total.recall == 0.5
    assert score.fillers["um"] == Counts(0, 0, 1)
    assert score.filler_count_error == -1


def test_a_wrong_type_is_a_miss_and_a_false_alarm_but_counts_type_agnostic() -> None:
    score = score_answer(_truth(), _result(fillers=[("uh", 1.42, 1.75), ("like", 4.41, 4.7)]))
    assert score.fillers["um"] == Counts(0, 0, 1)
    assert score.fillers["uh"] == Counts(0, 1, 0)
    assert score.fillers_any_type == Counts(2, 0, 0)
    assert score.filler_count_error == 0


def test_hesitations_alone_ignore_markers_and_the_kind_of_sound() -> None:
    score = score_answer(
        _truth(), _result(fillers=[("uh", 1.42, 1.75), ("hm", 4.41, 4.7), ("like", 2.0, 2.2)])
    )
    # The "uh" is the true "um"; the "hm" lies on the "like" (no hesitation there): false.
    assert score.hesitations == Counts(1, 1, 0)
    assert summarize([score, score]).hesitations == Counts(2, 2, 0)


def test_fillers_match_within_three_tenths_of_a_second_one_to_one() -> None:
    near = score_answer(_truth(), _result(fillers=[("um", 2.05, 2.3), ("like", 4.41, 4.7)]))
    assert near.fillers["um"] == Counts(1, 0, 0)  # 0.25 s after the true 'um'
    far = score_answer(_truth(), _result(fillers=[("um", 2.15, 2.4), ("like", 4.41, 4.7)]))
    assert far.fillers["um"] == Counts(0, 1, 1)  # 0.35 s after
    twice = score_answer(
        _truth(), _result(fillers=[("um", 1.4, 1.6), ("um", 1.6, 1.8), ("like", 4.4, 4.7)])
    )
    assert twice.fillers["um"] == Counts(1, 1, 0)


def test_a_pause_that_misses_the_silence_is_a_miss_and_a_false_alarm() -> None:
    moved = score_answer(_truth(), _result(pauses=[(4.5, 5.8)]))
    assert moved.pauses == Counts(0, 1, 1)
    too_short = score_answer(_truth(), _result(pauses=[(3.0, 3.9)]))
    assert too_short.pauses == Counts(0, 0, 1)
    shifted = score_answer(_truth(), _result(pauses=[(3.3, 4.6)]))
    assert shifted.pauses == Counts(1, 0, 0)


def test_a_long_pause_over_a_short_inserted_silence_is_not_counted() -> None:
    truth = Truth(
        "s",
        "v",
        5.0,
        (
            Segment("words", 0.3, 1.3, "one two"),
            Segment("pause", 1.3, 2.2),
            Segment("words", 2.2, 3.0, "three four"),
        ),
    )
    result = _result(fillers=[], pauses=[(1.25, 2.3)], transcript="one two three four")
    result["pace"]["wpm"] = truth.wpm
    assert score_answer(truth, result).pauses == Counts(0, 0, 0)


def test_wer_ignores_hesitations_and_case_and_reads_small_numbers() -> None:
    score = score_answer(
        _truth(), _result(transcript="i LED the team, uhh, and we shipped it! like i like my job")
    )
    assert score.wer_edits == 0
    assert edit_distance(["a", "b", "c"], ["a", "c", "d"]) == 2
    truth = Truth("s", "v", 2.0, (Segment("words", 0.3, 1.0, "two teams"),))
    result = _result(fillers=[], pauses=[], wpm=truth.wpm, transcript="Um, 2 teams.")
    assert score_answer(truth, result).wer_edits == 0


def test_wpm_error_is_relative() -> None:
    score = score_answer(_truth(), _result(wpm=_truth().wpm * 1.05))
    assert score.wpm_error == pytest.approx(0.05)


def test_a_result_without_a_needed_field_is_a_clear_error() -> None:
    result = _result()
    del result["pace"]
    with pytest.raises(ResultError, match=r"no 'pace\.wpm'"):
        score_answer(_truth(), result)


def test_summary_adds_counts_per_voice_and_type() -> None:
    scores = [
        score_answer(_truth("a"), _result()),
        score_answer(_truth("b"), _result(fillers=[("like", 4.41, 4.7)], wpm=_truth().wpm * 0.9)),
    ]
    summary = summarize(scores)
    assert summary.fillers == Counts(3, 0, 1)
    assert summary.by_voice == {"a": Counts(2, 0, 0), "b": Counts(1, 0, 1)}
    assert summary.by_type["um"] == Counts(1, 0, 1)
    assert summary.count_error_mean_abs == 0.5
    assert summary.wpm_error_max == pytest.approx(0.1)
    assert summary.pauses == Counts(2, 0, 0)


# --- synthesis ----------------------------------------------------------------------------------

SHORT = "So {um} I led the migration [1.5] and {you know} it worked. [0.5] {I|repeat} I like it."


@pytest.mark.parametrize("voice", ["espeak-us", "joe"])
def test_synthesis_matches_its_truth(voice: str, tmp_path: Path) -> None:
    wav = tmp_path / "answer.wav"
    truth = synthesize(SHORT, voice, wav)
    info = sf.info(str(wav))
    assert (info.samplerate, info.channels, info.subtype) == (SAMPLE_RATE, 1, "PCM_16")
    samples, _ = sf.read(wav, dtype="float32")
    assert len(samples) / SAMPLE_RATE == truth.duration_s
    assert truth.segments[-1].end == pytest.approx(truth.duration_s - EDGE_S, abs=1e-4)
    assert [s.type for s in truth.fillers] == ["um", "you know", "repetition"]
    assert [round(p.end - p.start, 4) for p in truth.pauses] == [1.5, 0.5]
    pause = truth.pauses[0]
    silent = samples[round(pause.start * SAMPLE_RATE) : round(pause.end * SAMPLE_RATE)]
    assert len(silent) == 1.5 * SAMPLE_RATE and np.abs(silent).max() < 1e-3
    for segment in truth.segments:  # every spoken part has sound at its start and end
        if segment.kind != "pause":
            part = samples[round(segment.start * SAMPLE_RATE) : round(segment.end * SAMPLE_RATE)]
            assert np.abs(part[:800]).max() > 0.005 and np.abs(part[-800:]).max() > 0.005
    again = tmp_path / "again.wav"
    truth_again = synthesize(SHORT, voice, again)
    assert (truth_again.segments, truth_again.duration_s) == (truth.segments, truth.duration_s)
    assert again.read_bytes() == wav.read_bytes()


def test_noise_is_added_at_the_stated_snr_and_degradations_keep_the_timeline() -> None:
    clean, truth = render(SHORT, VOICES["espeak-us"])
    noisy, noisy_truth = render(SHORT, VOICES["espeak-us-noise"])
    assert noisy_truth.segments == truth.segments and len(noisy) == len(clean)
    pause = truth.pauses[0]
    noise = noisy[round(pause.start * SAMPLE_RATE) : round(pause.end * SAMPLE_RATE)]
    voiced = np.concatenate(
        [
            clean[round(s.start * SAMPLE_RATE) : round(s.end * SAMPLE_RATE)]
            for s in truth.segments
            if s.kind != "pause"
        ]
    )
    snr = 10 * np.log10(np.mean(voiced**2) / np.mean(noise**2))
    assert snr == pytest.approx(SNR_DB, abs=1.0)
    lossy, lossy_truth = render(SHORT, VOICES["espeak-gb-ogg"])
    gb, _ = render(SHORT, VOICES["espeak-gb"])
    assert len(lossy) == len(gb) and lossy_truth.duration_s == len(gb) / SAMPLE_RATE
    assert float(np.corrcoef(lossy, gb)[0, 1]) > 0.9  # same audio, aligned, not bit-identical
    assert not np.array_equal(lossy, gb)


def test_the_cache_renders_once_and_degrades_the_cached_clean_voice(tmp_path: Path) -> None:
    script = load_scripts()[0]
    noisy = VOICES["espeak-us-noise"]
    wav, truth = cached(script, noisy, tmp_path)
    clean_wav, clean_truth = cached(script, VOICES["espeak-us"], tmp_path)
    assert clean_wav.parent.name == "espeak-us" and truth.segments == clean_truth.segments
    stamps = wav.stat().st_mtime_ns, clean_wav.stat().st_mtime_ns
    again, truth_again = cached(script, noisy, tmp_path)
    assert (again, truth_again) == (wav, truth)
    assert (again.stat().st_mtime_ns, clean_wav.stat().st_mtime_ns) == stamps
    stored = json.loads(wav.with_suffix(".truth.json").read_text())
    stored["segments"][1]["type"] = (
        "an old name"  # labels come from the script, times from the cache
    )
    wav.with_suffix(".truth.json").write_text(json.dumps(stored))
    assert cached(script, noisy, tmp_path)[1] == truth
    samples, _ = sf.read(wav, dtype="float32")
    rendered, _ = render(script.markup, noisy, script.id)
    assert np.abs(samples - rendered).max() <= 1 / 32768  # the cache holds what render gives


def test_only_counted_events_are_scored_and_spellings_are_read_as_types() -> None:
    result = _result(fillers=[("hm", 1.42, 1.75), ("like", 4.41, 4.7)])
    result["fillers"]["events"][1]["confidence"] = 0.3  # a "likely" filler, not counted
    score = score_answer(_truth(), result)
    assert score.fillers["like"] == Counts(0, 0, 1)
    assert score.fillers["hmm"] == Counts(0, 1, 0)
    assert score_answer(_truth(), result, min_confidence=0.0).fillers["like"] == Counts(1, 0, 0)


def test_committed_truth_flags_a_changed_timeline(tmp_path: Path) -> None:
    path = tmp_path / "truth.jsonl"
    truth = _truth()
    write_committed([truth], path)
    assert differing([truth], path) == []
    moved = Truth(truth.script, truth.voice, truth.duration_s, truth.segments[1:])
    assert differing([moved], path) == [moved]
    assert differing([_truth("other voice")], path) == []  # not committed: nothing to compare


def test_a_fresh_rendering_reproduces_the_committed_truth() -> None:
    script = load_scripts()[0]
    _samples, truth = render(script.markup, VOICES["espeak-us"], script.id)
    assert differing([truth]) == [] and (script.id, "espeak-us") in read_committed()


# --- the runner ---------------------------------------------------------------------------------


def test_the_runner_scores_results_lines_and_writes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    script = load_scripts()[0]
    wav, truth = cached(script, VOICES["espeak-us"], cache)
    perfect = {
        "file": str(wav),
        "transcript": " ".join(truth.spoken),
        "pace": {"wpm": truth.wpm},
        "fillers": {
            "events": [{"type": f.type, "start": f.start, "end": f.end} for f in truth.fillers]
        },
        "pauses": {"events": [{"start": p.start, "end": p.end} for p in truth.pauses]},
    }
    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps(perfect) + "\n")
    report = tmp_path / "report.json"
    arguments = ["--voices", "espeak-us", "--scripts", script.id, "--cache", str(cache)]
    assert main([*arguments, "--results", str(results), "--json", str(report)]) == 0
    out = capsys.readouterr().out
    assert "fillers P R F1                1.000 1.000 1.000" in out
    assert "pauses >= 1 s P R F1          1.000 1.000 1.000" in out
    summary = json.loads(report.read_text())["summaries"]["all"]
    assert (summary["answers"], summary["fillers"]["tp"], summary["wer"]) == (
        1,
        len(truth.fillers),
        0.0,
    )
    results.write_text(json.dumps({**perfect, "file": "other.wav"}) + "\n")
    assert main([*arguments, "--results", str(results)]) == 1
    assert "benchmarks.accuracy: " in capsys.readouterr().err
    assert main(["--voices", "nobody"]) == 1
    assert "unknown voice 'nobody'" in capsys.readouterr().err
