"""The coaching benchmark: labelled written answers, coached as text and as synthesised speech.

``python -m benchmarks.coaching`` prints each detector's precision and recall on each half of
the set (``answers_dev.toml``, written while the rules were made; ``answers_heldout.toml``,
written after they were final). ``--spoken VOICE`` also renders the held-out half with that
synthetic voice, transcribes it with the bundled model and coaches the transcript.
"""
