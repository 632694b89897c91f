"""Analyse answers again without the engine: ``--replay FILE`` replays the words that a saved
run (``--save-results FILE``) transcribed, so that a change to everything after transcription
(fillers, pauses, pace) is measured in seconds, on exactly the same transcripts."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from practice.analysis.answer import analyze_samples, window_start
from practice.analysis.audio import load_audio
from practice.analysis.pauses import detect_activity
from practice.analysis.transcribe import Transcript, Word


class ReplayTranscriber:
    """Gives back saved words (times in the file), shifted to the window the analysis cut."""

    name = "faster-whisper"

    def __init__(self, result: Mapping[str, Any], offset: float) -> None:
        self.model = str(result.get("engine", {}).get("model", "replay"))
        self._words = [Word.from_json(word) for word in result.get("words", ())]
        self._offset = offset

    def load(self) -> None:
        """Nothing to load."""

    def transcribe(self, samples: np.ndarray, cancel: threading.Event | None = None) -> Transcript:
        shift = self._offset
        return Transcript(
            tuple(Word(w.text, w.start - shift, w.end - shift, w.probability) for w in self._words)
        )


def replay(
    wavs: Sequence[Path], results: Sequence[Mapping[str, Any]]
) -> list[tuple[dict[str, Any], float | None]]:
    """Each answer analysed again with its saved words; the times exclude the engine."""
    timed: list[tuple[dict[str, Any], float | None]] = []
    for wav, result in zip(wavs, results, strict=True):
        samples = load_audio(wav)
        start = detect_activity(samples).speech_start
        offset = 0.0 if start is None else window_start(start)
        began = time.perf_counter()
        report = analyze_samples(samples, ReplayTranscriber(result, offset), file=str(wav))
        timed.append((report.to_json(), time.perf_counter() - began))
    return timed
