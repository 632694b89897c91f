"""The rehearsal studio's terminal UI (Textual)."""
