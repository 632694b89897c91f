"""An hour-long answer analyses in bounded memory (issue 14: at most 400 MiB, as for 10 minutes).

The file is made from a short real clip repeated with silences; ``practice analyze`` runs in a
fresh process whose own peak (VmHWM) is watched, and stopped as soon as it passes the limit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.memory import analyze_peak, cpu, long_answer

LIMIT_MIB = 400


@pytest.mark.slow
def test_an_hour_long_answer_analyses_within_400_mib(jfk: Path, tmp_path: Path) -> None:
    wav = tmp_path / "hour.wav"
    assert long_answer(jfk, 60, wav) == 3600
    peak = analyze_peak(wav, limit_mib=LIMIT_MIB)
    assert not peak.over, f"peak memory passed {LIMIT_MIB} MiB after {peak.wall_s:.0f} s on {cpu()}"
    assert peak.returncode == 0
    report = json.loads(peak.stdout.splitlines()[-1])
    assert report["duration_s"] == pytest.approx(3600, abs=0.1)
    assert sum(word["text"].strip(",.").lower() == "country" for word in report["words"]) >= 400
