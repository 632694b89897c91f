"""The whole analysis on speech synthesised at test time, whose truth is exact (issue 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.accuracy import score_answer, synthesize
from practice.analysis.answer import analyze_file
from practice.analysis.transcript import Transcriber

pytestmark = [pytest.mark.model, pytest.mark.slow]

WITH_PAUSES = (
    "So, {um} I started in customer support [1.4] and after two years I moved into the data "
    "team. [0.5] The work was hard, but I learned how to build reports that people used every "
    "week. {uh} [1.2] Today I lead a small group of analysts, and we ship a new dashboard every "
    "month."
)
PLAIN = (
    "I enjoy solving problems with other people, and I want to understand why things break "
    "before I fix them. My last project cut our support tickets by a third in six months, and "
    "the team still uses the tools we built."
)


@pytest.mark.parametrize("voice", ["espeak-us", "joe"])
def test_pace_pauses_and_words_match_the_truth(
    voice: str, transcriber: Transcriber, tmp_path: Path
) -> None:
    wav = tmp_path / f"{voice}.wav"
    truth = synthesize(WITH_PAUSES, voice, wav)
    report = analyze_file(wav, transcriber)
    result = report.to_json()
    score = score_answer(truth, result)
    assert score.wpm_error <= 0.10, (score.wpm_detected, score.wpm_true)
    assert score.wer_edits / score.wer_reference <= 0.15, result["transcript"]
    inserted = [p for p in truth.pauses if p.end - p.start >= 1.0]
    assert len(inserted) == 2
    for pause in inserted:
        assert any(
            found.start < pause.end and pause.start < found.end for found in report.long_pauses
        ), (pause, report.long_pauses)
    assert score.pauses.fp == 0, report.long_pauses


@pytest.mark.parametrize("voice", ["espeak-us", "joe"])
def test_fluent_answer_has_no_long_pause_and_no_filler(
    voice: str, transcriber: Transcriber, tmp_path: Path
) -> None:
    wav = tmp_path / f"{voice}.wav"
    truth = synthesize(PLAIN, voice, wav)
    report = analyze_file(wav, transcriber)
    assert report.long_pauses == ()
    assert report.counted_fillers == ()
    score = score_answer(truth, report.to_json())
    assert score.wpm_error <= 0.10
    assert score.wer_edits / score.wer_reference <= 0.15, report.transcript
