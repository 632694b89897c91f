"""Coaching through the real pipeline: synthesised speech, the bundled model, the CLI and the
saved session; and the pitch flag on speech rendered flat and lively."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from benchmarks.accuracy import synthesize
from practice.analysis.audio import load_audio
from practice.analysis.coaching.pipeline import coach_report
from practice.analysis.coaching.voice import measure_pitch
from practice.cli import main
from practice.exports import answer_text, session_html, session_markdown
from practice.records import Attempt, QuestionRef
from practice.sessions import SessionStore
from tests.sample_reports import make_report
from tests.signals import reshaped_pitch

STAR = (
    "At my last job, our release process took two days. I was responsible for fixing it. "
    "First I mapped every step, and then I wrote a script that ran the checks in parallel. "
    "I think I maybe helped the team a lot. As a result, releases now take three hours."
)
NEEDS_ESPEAK = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")


@pytest.mark.model
@pytest.mark.slow
def test_analyze_as_an_answer_to_a_behavioural_question(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wav = tmp_path / "star.wav"
    synthesize(STAR, "joe", wav)
    args = ["analyze", "--json", "--bank", "behavioural-star", "--question", "1", str(wav)]
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    coaching = report["coaching"]
    assert [part["part"] for part in coaching["structure"]["parts"]] == [
        "situation",
        "task",
        "action",
        "result",
    ]
    assert coaching["structure"]["missing"] == []
    assert coaching["result_quantified"] is True
    assert coaching["i_we"]["i"] >= 3 and coaching["i_we"]["we"] == 0
    assert "i think" in [event["text"] for event in coaching["hedges"]["events"]]
    assert coaching["question"] is None
    assert coaching["pitch"]["range_semitones"] > 1 and coaching["pitch"]["flat"] is False
    assert report["length"]["target_seconds"] == 120  # the question's target applies
    assert coaching["headline"]


def test_coaching_is_saved_with_the_session_and_old_reports_still_load(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "recordings")
    question = QuestionRef("q", "Tell me about a time.", kind="star", talking_points=("team",))
    session = store.create("behavioural-star", "Behavioural", (question,))
    plain = make_report(STAR)
    coached = coach_report(plain, None, question.brief)
    old = make_report("an answer saved before coaching")
    session = store.add_attempt(session, Attempt(0, 1, "2026-12-07T10:00:00+00:00", None, coached))
    saved = store.add_attempt(session, Attempt(0, 2, "2026-12-07T10:01:00+00:00", None, old))
    data = json.loads((saved.folder / "session.json").read_text())
    del data["attempts"][1]["report"]["coaching"]  # as written before coaching existed
    del data["questions"][0]["kind"]
    (saved.folder / "session.json").write_text(json.dumps(data))
    loaded = store.load(saved.id)
    first, second = (attempt.report for attempt in loaded.attempts)
    assert first is not None and second is not None
    assert first.coaching is not None and first.to_json() == coached.to_json()
    assert second.coaching is None
    assert loaded.questions[0].kind is None
    markdown, html = session_markdown(loaded), session_html(loaded)
    assert "**Coaching:**" in markdown and "<u>I think</u>" in markdown
    assert '<span class="hedge"' in html and "1 of 1 covered" in html
    assert "Coaching: " in answer_text(first) and "<I think>" in answer_text(first)


def _espeak(text: str, path: Path, pitch_range: str) -> np.ndarray:
    ssml = f'<speak><prosody range="{pitch_range}">{text}</prosody></speak>'
    subprocess.run(["espeak-ng", "-v", "en-us", "-m", "-w", str(path), ssml], check=True)
    return load_audio(path)


LINES = (
    "I was responsible for the release process, and I rebuilt it in two weeks.",
    "We had three teams waiting, so I talked to each of them before I changed anything.",
    "As a result, we shipped every day instead of once a month.",
)


@NEEDS_ESPEAK
@pytest.mark.parametrize("line", LINES)
def test_flat_speech_is_flagged_and_lively_speech_is_not(tmp_path: Path, line: str) -> None:
    flat = measure_pitch(_espeak(line, tmp_path / "flat.wav", "x-low"))
    lively = measure_pitch(_espeak(line, tmp_path / "lively.wav", "x-high"))
    assert flat.flat is True and lively.flat is False
    assert flat.range_semitones is not None and lively.range_semitones is not None
    assert lively.range_semitones > 2 * flat.range_semitones
    # Against the speaker's own lively answers, a flat one stands out; a lively one does not.
    earlier = [lively.range_semitones, lively.range_semitones]
    again = load_audio(tmp_path / "flat.wav")
    assert measure_pitch(again, earlier).flat is True
    assert measure_pitch(load_audio(tmp_path / "lively.wav"), earlier).flat is False


@pytest.mark.model
@pytest.mark.slow
def test_sentence_ends_made_quieter_are_heard_trailing_off(tmp_path: Path) -> None:
    from practice.analysis.coaching.pipeline import analyze_answer
    from practice.analysis.coaching.tokens import sentences
    from practice.analysis.coaching.voice import trailing_off
    from practice.analysis.transcribe import create_transcriber

    wav = tmp_path / "star.wav"
    synthesize(STAR, "joe", wav)
    report = analyze_answer(wav, create_transcriber())
    said = sentences(report.words)
    samples = load_audio(wav)
    plain = trailing_off(samples, said)
    assert plain.sentences >= 3 and not plain.trails_off
    faded = samples.copy()
    for sentence in said:
        last = report.words[sentence.words[1]]
        faded[round(last.start * 16_000) : round(last.end * 16_000)] *= 10 ** (-15 / 20)
    quiet = trailing_off(faded, said)
    assert quiet.trails_off and len(quiet.fades) >= quiet.sentences - 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--bank", "behavioural-star"],
            "analyze: give both --bank ID and --question N, or neither",
        ),
        (["--question", "2"], "analyze: give both --bank ID and --question N, or neither"),
        (
            ["--bank", "behavioural-star", "--question", "99"],
            "--question 99: bank 'behavioural-star' has questions 1 to 14",
        ),
    ],
)
def test_analyze_names_a_question_properly_or_says_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["analyze", *extra, str(tmp_path / "a.wav")]) == 1
    assert capsys.readouterr().err.strip() == f"practice: {message}"


@pytest.mark.slow
@pytest.mark.parametrize("voice", ["joe", "espeak-gb"])
def test_a_synthetic_voice_made_flat_or_livelier_is_flagged_right(
    tmp_path: Path, voice: str
) -> None:
    wav = tmp_path / "star.wav"
    synthesize(STAR, voice, wav)
    samples = load_audio(wav)
    usual = measure_pitch(samples)
    assert usual.range_semitones is not None and usual.flat is False
    flat = measure_pitch(reshaped_pitch(samples, 0.0))
    lively = measure_pitch(reshaped_pitch(samples, 1.6))
    assert flat.flat is True and lively.flat is False
    assert lively.range_semitones is not None and lively.range_semitones > usual.range_semitones
    earlier = [usual.range_semitones, usual.range_semitones]
    assert measure_pitch(reshaped_pitch(samples, 0.0), earlier).flat is True
    assert measure_pitch(reshaped_pitch(samples, 1.6), earlier).flat is False
