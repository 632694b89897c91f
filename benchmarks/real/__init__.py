"""The real-speech benchmark (issue 13): practice's analysis of real recordings in
``../shared/data/real`` next to bare faster-whisper on the same model. Run:
``python -m benchmarks.real``."""
