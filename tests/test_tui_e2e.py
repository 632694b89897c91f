"""The studio with the real services on the private PulseAudio devices, driven by Pilot.

The interviewer's question is heard on the virtual speaker; a synthesised answer is played into
the virtual microphone; the real recorder, model and session store do the rest. With the
``streaming`` setting the answer is analysed while it is played, and its feedback comes from
that stream; a restarted take cancels its stream.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile
from textual.app import App
from textual.pilot import Pilot

from practice import workspace
from practice.analysis.audio import load_audio
from practice.settings import Settings, save_settings
from practice.speech.voice import Voice
from practice.tui.app import make_app
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.screens.interview import InterviewScreen, Phase
from practice.tui.screens.summary import SummaryScreen
from practice.tui.services import Start
from tests.pulse import PrivatePulse
from tests.tui_fakes import Streams, run

pytestmark = [pytest.mark.audio, pytest.mark.model, pytest.mark.slow]

QUESTION = "Tell me about a project you are proud of."
ANSWER = (
    "In my last job I led a small team that rebuilt our billing system. "
    "We moved it to a new database in three months, and customer complaints fell by half."
)
BANK = f"""
[bank]
name = "End to end"
description = "One question, for the end-to-end test."
answer_seconds = 30

[[questions]]
text = "{QUESTION}"
talking_points = ["the billing system", "a result with a number"]
"""


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], seconds: float) -> None:
    """Let the app run until ``condition`` holds; the real devices work in real time."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s; on {pilot.app.screen!r}")
        await pilot.pause(0.1)


def feedback_shown(app: App[None]) -> bool:
    """The feedback screen is on and composed (its transcript is there to read)."""
    return isinstance(app.screen, FeedbackScreen) and bool(app.screen.query("#transcript"))


def voiced_seconds(path: Path) -> float:
    samples, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    frames = samples[:, 0][: len(samples) // 160 * 160].reshape(-1, 160)
    return float(np.sum(np.sqrt(np.mean(frames**2, axis=1)) > 0.01) * 160 / rate)


@pytest.mark.parametrize("streaming", [True, False])
@run
async def test_a_question_is_asked_answered_out_loud_and_analysed(
    isolated_home: Path,
    pulse: PrivatePulse,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    streaming: bool,
) -> None:
    streams = Streams(monkeypatch)
    (isolated_home / "question_banks" / "e2e.toml").write_text(BANK, encoding="utf-8")
    place = workspace.resolve()
    save_settings(place, Settings(silence_stop_seconds=2.0, streaming=streaming))
    answer = Voice(tmp_path / "voice", natural=True).synthesize(ANSWER)
    heard = tmp_path / "speaker.wav"
    speaker = pulse.record_speaker(heard)

    app = make_app(place, start=Start("e2e"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen), 10)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        await wait_for(pilot, lambda: screen.phase is Phase.RECORDING, 30)
        # PulseAudio's null-sink monitor delivers its first block 1-2 s after a stream opens (a
        # real microphone does not): speak after that, as a person would after a breath.
        await pilot.pause(2.5)
        player = pulse.play_into_mic(answer)
        await wait_for(pilot, lambda: feedback_shown(app), 90)
        player.wait(timeout=10)
        feedback = app.screen
        assert isinstance(feedback, FeedbackScreen)
        transcript = str(feedback.query_one("#transcript").render())
        assert "billing" in transcript and "database" in transcript
        report = feedback.attempt.report
        assert report is not None
        assert f"{report.pace.wpm:.0f} wpm" in str(feedback.query_one("#numbers").render())
        assert "✓ the billing system" in str(feedback.query_one("#points").render())
        assert feedback.attempt.latency_s is not None and feedback.attempt.latency_s > 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen), 10)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [n.message for n in app._notifications] == []  # no sound lost, no stream failed
    speaker.terminate()
    speaker.wait(timeout=5)

    assert voiced_seconds(heard) > 1.0  # the question was spoken on the speaker
    from practice.sessions import SessionStore

    store = SessionStore(place.recordings_dir)
    (summary,) = store.history()
    session = store.load(summary.id)
    assert session.finished is not None and session.bank_id == "e2e"
    (attempt,) = session.attempts
    assert attempt.audio is not None
    samples, rate = soundfile.read(str(session.folder / attempt.audio), dtype="float32")
    assert len(samples) / rate > 5  # the whole answer is on disk
    assert attempt.report is not None and "billing" in attempt.report.transcript
    if streaming:  # the feedback came from the stream, fed the recording as it was saved
        (stream,) = streams.made
        assert stream.finished == 1 and not stream.cancelled.is_set()
        assert np.array_equal(streams.fed(0), load_audio(session.folder / attempt.audio))
    else:
        assert streams.made == []


@run
async def test_a_restarted_live_answer_cancels_its_analysis(
    isolated_home: Path, pulse: PrivatePulse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``r`` while answering: the first take's stream is cancelled, never finished; the retake
    is analysed through its own stream."""
    streams = Streams(monkeypatch)
    (isolated_home / "question_banks" / "e2e.toml").write_text(BANK, encoding="utf-8")
    place = workspace.resolve()
    # No silence stop: the end of the first take, still on its way through PulseAudio after
    # the restart, must not end the retake. Space ends it once the answer has been played.
    save_settings(place, Settings(silence_stop_seconds=0.0))
    answer = Voice(tmp_path / "voice", natural=True).synthesize(ANSWER)

    def heard(index: int) -> bool:
        """The stream ``index`` has been fed some of the answer (not only silence)."""
        blocks = streams.made[index].blocks if len(streams.made) > index else []
        return any(float(np.abs(block).max()) > 0.05 for block in list(blocks))

    app = make_app(place, start=Start("e2e"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen), 10)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        await wait_for(pilot, lambda: screen.phase is Phase.RECORDING, 30)
        await pilot.pause(2.5)  # PulseAudio's first block (see above)
        player = pulse.play_into_mic(answer)
        await wait_for(pilot, lambda: heard(0), 30)
        await pilot.press("r")
        player.kill()
        player.wait(timeout=10)
        await wait_for(pilot, lambda: len(streams.made) == 2, 30)
        assert screen.phase is Phase.RECORDING
        await pilot.pause(2.5)
        player = pulse.play_into_mic(answer)
        await wait_for(pilot, lambda: player.poll() is not None, 60)
        await pilot.press("space")
        await wait_for(pilot, lambda: feedback_shown(app), 90)
        feedback = app.screen
        assert isinstance(feedback, FeedbackScreen)
        assert feedback.attempt.number == 2
        assert "billing" in str(feedback.query_one("#transcript").render())
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen), 10)
        await app.workers.wait_for_complete()
    first, second = streams.made
    assert first.cancelled.is_set() and first.finished == 0
    assert second.finished == 1 and not second.cancelled.is_set()
    from practice.sessions import SessionStore

    store = SessionStore(place.recordings_dir)
    (summary,) = store.history()
    session = store.load(summary.id)
    (attempt,) = session.attempts  # the restarted take is not an answer; its WAV stays
    assert attempt.number == 2 and attempt.audio is not None
    assert (session.folder / attempt.audio.replace("-a2", "-a1")).exists()
    assert np.array_equal(streams.fed(1), load_audio(session.folder / attempt.audio))
