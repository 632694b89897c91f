"""The accuracy benchmark for practice's analysis (issue 7): synthetic interview answers with
exact truth, and a scorer for fillers, pauses, pace and WER. Run: ``python -m benchmarks.accuracy``.

For tests that need speech with known content::

    from benchmarks.accuracy import synthesize

    truth = synthesize("So {um} I led the migration [1.5] and it worked.", "espeak-us", wav_path)
    truth.fillers   # Segment(kind="filler", type="um", start=..., end=...)
    truth.pauses    # the inserted 1.5 s silence, exact to the sample
    truth.words     # plain words, fillers excluded; truth.wpm is practice's WPM definition

Voices are listed in ``VOICES`` ("joe", "joe-fast", "joe-slow", "espeak-us", "espeak-gb" and
degraded variants); espeak voices take ~0.1 s per sentence, Piper ones ~0.5 s.
"""

from benchmarks.accuracy.score import AnswerScore, Counts, score_answer, summarize
from benchmarks.accuracy.script import Script, load_scripts, parse
from benchmarks.accuracy.synth import VOICES, synthesize
from benchmarks.accuracy.truth import Segment, Truth

__all__ = [
    "VOICES",
    "AnswerScore",
    "Counts",
    "Script",
    "Segment",
    "Truth",
    "load_scripts",
    "parse",
    "score_answer",
    "summarize",
    "synthesize",
]
