"""The coaching benchmark: labelled written answers, coached as text and as synthesised speech.

``python -m benchmarks.coaching`` prints each detector's precision and recall on each part of
the set: ``answers_dev.toml`` (written while the rules were made), ``answers_heldout.toml``
(written after the first rules were final; the STAR rules were then revised after seeing its
misses, so it is no longer a clean test), ``answers_heldout2.toml`` (written after that
revision; the STAR rules were revised once more after its misses) and ``answers_heldout3.toml``
(written after that, run once). ``--spoken VOICE`` also renders a part (``--spoken-split``, the
third held-out by default) with that synthetic voice, transcribes it with the bundled model and
coaches the transcript.
"""
