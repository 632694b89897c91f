"""The score on real audio, through ``practice analyze --json`` and the bundled model: a
near-empty answer is not scored (or scores low), and a complete one scores above it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import soundfile

from practice.cli import main

pytestmark = pytest.mark.model

STAR_ANSWER = (
    "Last spring our support team was missing its response targets, and customers were "
    "waiting two days for a reply. I was the team lead, so it was my job to fix it without "
    "hiring anyone. First, I measured where the time went, and found that half of the tickets "
    "were the same five questions. Then I wrote clear answers for those five, put them in the "
    "help centre, and set up a form that suggested them before a customer wrote to us. I also "
    "moved two people to a morning shift, so the queue never built up overnight. Within six "
    "weeks, the average reply time fell from two days to four hours, and the number of new "
    "tickets dropped by a third. The team was calmer too, because they spent their time on the "
    "hard problems. What I learned is that the best fix is often to remove the work, not to do "
    "it faster."
)


def analyze(capsys: pytest.CaptureFixture[str], path: Path, target: int) -> dict[str, object]:
    assert main(["analyze", "--json", "--target", str(target), str(path)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    score = json.loads(line)["score"]
    assert isinstance(score, dict)
    return score


def test_two_seconds_against_a_90_s_target_is_too_short_to_score(
    jfk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    samples, rate = soundfile.read(str(jfk))
    short = tmp_path / "short.wav"
    soundfile.write(short, samples[: 2 * rate], rate)  # "And so, my fellow..."
    score = analyze(capsys, short, 90)
    assert score["overall"] is None
    assert str(score["unscored"]).startswith("too short to score")


def test_a_complete_answer_scores_above_30(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 150-word STAR answer spoken by Piper (a natural voice), against a 90 s target."""
    from practice.speech.voice import Voice

    answer = Voice(tmp_path / "voice", natural=True).synthesize(STAR_ANSWER)
    score = analyze(capsys, answer, 90)
    assert score["unscored"] is None
    overall = score["overall"]
    assert isinstance(overall, int) and overall > 30, score


def test_the_real_jfk_clip_is_scored_against_a_short_target(
    jfk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """11 s and 22 words of real speech: enough to score, and a fair answer for 15 s."""
    score = analyze(capsys, jfk, 15)
    overall = score["overall"]
    assert isinstance(overall, int) and overall > 30, score
