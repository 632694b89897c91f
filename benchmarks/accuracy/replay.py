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

from practice.analysis.answer import analyze_samples
from practice.analysis.audio import load_audio
from practice.analysis.pieces import Chunker
from practice.analysis.signal import detect_activity
from practice.analysis.transcript import DecodeOptions, Transcriber, Transcript, Word


class ReplayTranscriber:
    """Gives back saved words (times in the file): at each call, those of the next piece the
    analysis cuts (the word's middle in it), shifted to the piece's start. A call past the last
    piece (the verdict step's second decoding) goes to ``engine``, if given."""

    name = "faster-whisper"

    def __init__(
        self,
        result: Mapping[str, Any],
        pieces: Sequence[tuple[float, float]],
        engine: Transcriber | None = None,
    ) -> None:
        self.model = str(result.get("engine", {}).get("model", "replay"))
        self._words = [Word.from_json(word) for word in result.get("words", ())]
        self._pieces = list(pieces)
        self._next = 0
        self._engine = engine

    def load(self) -> None:
        """Nothing to load."""

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        if self._next >= len(self._pieces):
            # past the saved pieces: the analysis's own second look (the verdict step)
            if self._engine is None:
                return Transcript(())
            return self._engine.transcribe(samples, cancel, options=options)
        start, end = self._pieces[self._next]
        last = self._next == len(self._pieces) - 1
        first = self._next == 0
        self._next += 1
        return Transcript(
            tuple(
                Word(w.text, w.start - start, w.end - start, w.probability)
                for w in self._words
                if (first or (w.start + w.end) / 2 >= start)
                and (last or (w.start + w.end) / 2 < end)
            )
        )


def replay(
    wavs: Sequence[Path], results: Sequence[Mapping[str, Any]], engine: Transcriber | None = None
) -> list[tuple[dict[str, Any], float | None]]:
    """Each answer analysed again with its saved words; the times exclude the engine but for
    the verdict step's one decoding (:mod:`practice.analysis.verdict`), which ``engine`` (by
    default the default engine) runs for real."""
    if engine is None:
        from practice.analysis.transcribe import create_transcriber

        engine = create_transcriber()
    timed: list[tuple[dict[str, Any], float | None]] = []
    for wav, result in zip(wavs, results, strict=True):
        samples = load_audio(wav)
        chunks = Chunker.of(samples)
        pieces = [(piece.start, piece.end) for piece in chunks.plan(detect_activity(samples))]
        began = time.perf_counter()
        transcriber = ReplayTranscriber(result, pieces, engine)
        report = analyze_samples(samples, transcriber, file=str(wav), chunks=chunks)
        timed.append((report.to_json(), time.perf_counter() - began))
    return timed
