"""practice: a private rehearsal studio for job and informational interviews."""

__version__ = "0.1.0"
