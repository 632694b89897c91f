"""The pitch tracker's zeroed pages: Praat's start-up fills much of its zero-initialised data with
zeros; :func:`practice.analysis.coaching.voice.release_zeroed` gives those pages back, and Praat
measures exactly as before afterwards. Run in a fresh process (the studio's own import order)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import json
    import numpy as np
    import parselmouth
    from practice.analysis.coaching.voice import release_zeroed

    rate = 8000
    t = np.arange(3 * rate) / rate
    f0 = 120 + 60 * t / 3  # a voice gliding from 120 to 180 Hz, with overtones
    phase = 2 * np.pi * np.cumsum(f0) / rate
    sound = sum(np.sin(k * phase) / k for k in range(1, 8)) * 0.3

    def track():
        pitch = parselmouth.Sound(sound, sampling_frequency=rate).to_pitch_ac(
            time_step=0.02, pitch_floor=60.0, pitch_ceiling=500.0
        )
        return pitch.selected_array["frequency"].tolist()

    before = track()
    released = release_zeroed(parselmouth.__file__)
    after = track()
    print(json.dumps({"released": released, "same": before == after, "voiced": sum(
        value > 0 for value in after), "frames": len(after)}))
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")
def test_praat_gives_back_its_zeroed_pages_and_tracks_pitch_the_same() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found = json.loads(done.stdout)
    assert found["released"] > 0
    assert found["same"], "Praat's pitch track changed after its pages were given back"
    assert found["voiced"] > 0.8 * found["frames"]  # the glide was tracked at all
