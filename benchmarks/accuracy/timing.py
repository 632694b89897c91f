"""What the audio filler channels cost: ``python -m benchmarks.accuracy.timing``.

Analyses the cached dev answer closest to 60 s (voice ``joe``) with the whole pipeline, and times
the steps that listen to the audio for fillers (held sounds,
:func:`practice.analysis.hesitations.find_hesitations`, restarts,
:func:`practice.analysis.restarts.find_restarts`, and the verdict's second decoding,
:func:`practice.analysis.verdict.confirm_hesitations`) and the speech detection (signal and VAD,
:func:`practice.analysis.signal.detect_activity`) on the same answer in the same run, and bare
faster-whisper transcribing the same file (same model, compute type and threads; its own
defaults: beam 5, no prompt, word times). Prints medians of ``--repeats`` alternating rounds and
the ratios (target: the whole analysis at most 1.3 times bare transcription).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from faster_whisper import WhisperModel

from benchmarks.accuracy.script import load_scripts
from benchmarks.accuracy.synth import render_all, voice_named
from practice.analysis.answer import analyze_samples, merge_fillers
from practice.analysis.audio import SAMPLE_RATE, load_audio
from practice.analysis.fillers import find_fillers
from practice.analysis.hesitations import find_hesitations
from practice.analysis.restarts import find_restarts
from practice.analysis.signal import detect_activity
from practice.analysis.transcribe import create_transcriber
from practice.analysis.transcript import bundled_model_path, default_threads
from practice.analysis.verdict import confirm_hesitations


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy.timing")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--file", type=Path, help="time this recording instead of the rendered dev answer"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.file:
        name, samples = args.file.name, load_audio(args.file)
    else:
        voice = voice_named("joe")
        dev = [(script, voice) for script in load_scripts() if script.split == "dev"]
        rendered = render_all(dev)
        wav, truth = min(rendered, key=lambda pair: abs(pair[1].duration_s - 60.0))
        name, samples = f"{truth.script} by joe", load_audio(wav)
    transcriber = create_transcriber()
    transcriber.load()
    bare_model = WhisperModel(
        str(bundled_model_path()), device="cpu", compute_type="int8", cpu_threads=default_threads()
    )
    bare: list[float] = []
    speech: list[float] = []
    whole: list[float] = []
    acoustic: list[float] = []
    restarts: list[float] = []
    verdict: list[float] = []
    for _round in range(max(args.repeats, 1)):
        started = time.perf_counter()
        report = analyze_samples(samples, transcriber)
        whole.append(time.perf_counter() - started)
        started = time.perf_counter()
        segments, _info = bare_model.transcribe(
            samples, language="en", beam_size=5, word_timestamps=True
        )
        list(segments)
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        activity = detect_activity(samples)
        speech.append(time.perf_counter() - started)
        started = time.perf_counter()
        lexical = find_fillers(report.words, [(p.start, p.end) for p in activity.pauses])
        heard = find_hesitations(
            samples, report.words, lexical, activity.threshold_db, voice=activity.voice
        )
        acoustic.append(time.perf_counter() - started)
        known = merge_fillers(lexical, heard)
        started = time.perf_counter()
        find_restarts(samples, report.words, known, activity.threshold_db, voice=activity.voice)
        restarts.append(time.perf_counter() - started)
        started = time.perf_counter()
        confirm_hesitations(
            samples, report.words, known, activity.voice, activity.speech, transcriber
        )
        verdict.append(time.perf_counter() - started)
    full, heard_s = statistics.median(whole), statistics.median(acoustic)
    restarts_s = statistics.median(restarts)
    print(f"{name}: {len(samples) / SAMPLE_RATE:.1f} s of audio")
    print(f"whole analysis:              {full:.2f} s (median of {len(whole)})")
    print(f"held sounds (hesitations):   {heard_s:.3f} s")
    print(f"restarts:                    {restarts_s:.3f} s")
    print(f"speech (signal and VAD):     {statistics.median(speech):.3f} s")
    print(f"verdict (decoded again):     {statistics.median(verdict):.3f} s")
    verdict_s = statistics.median(verdict)
    print(f"ratio to the analysis without both: {full / (full - heard_s - restarts_s):.3f}")
    print(f"ratio to the analysis without the verdict: {full / (full - verdict_s):.3f}")
    bare_s = statistics.median(bare)
    print(f"bare faster-whisper:         {bare_s:.2f} s; analysis / bare: {full / bare_s:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
