"""The speech-to-text engines; each imports only the shared types of ``analysis/transcript.py``."""
