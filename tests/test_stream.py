"""The answer analysed as it is fed (practice/analysis/stream.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from practice.analysis.audio import load_audio
from practice.analysis.coaching.pipeline import analyze_answer
from practice.analysis.stream import AnswerStream
from practice.analysis.transcript import Transcriber


def test_a_file_fed_in_blocks_gives_the_report_of_the_whole_file(
    jfk: Path, transcriber: Transcriber
) -> None:
    samples = load_audio(jfk)
    stream = AnswerStream(transcriber, file=str(jfk))
    for start in range(0, samples.size, 1600):
        stream.feed(samples[start : start + 1600])
    streamed = stream.finish()
    whole = analyze_answer(jfk, transcriber)
    assert [w.text for w in streamed.words] == [w.text for w in whole.words]
    assert "country" in " ".join(w.text.lower() for w in streamed.words)
    assert len(streamed.pauses) == len(whole.pauses)
    assert np.isclose(streamed.duration_s, whole.duration_s)
