"""The real ``practice`` in a real pseudo-terminal, with the sound server up.

Pilot tests run the app headless, so they cannot see what reaches the terminal. Here the program
is started as a user starts it, in a pseudo-terminal, with the private PulseAudio devices running
(so the device check really opens PortAudio while Home is drawn); everything it writes is fed to a
terminal emulator (pyte), and the test reads the screen a person would see.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time
from pathlib import Path

import pyte
import pytest

ROOT = Path(__file__).resolve().parents[1]

HOME_PARTS = (
    "practice — interview rehearsal studio",
    "Question banks",
    "General job interview",
    "Behavioural questions (STAR)",
    "Questions: in order",
    "Recent sessions",
    "Folders and settings",
    "Quit",
)
"""What Home shows at any size: the header, the bank table, the options, both panels, the footer."""


class Terminal:
    """A program in a pseudo-terminal of ``columns`` × ``lines``, rendered by pyte."""

    def __init__(self, argv: list[str], env: dict[str, str], columns: int, lines: int) -> None:
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the program
            os.chdir(ROOT)
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def read(self, seconds: float) -> None:
        """Render whatever the program writes during the next ``seconds``."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if ready:
                try:
                    self.stream.feed(os.read(self.fd, 65536))
                except OSError:  # the program has gone
                    return

    def wait_for(self, parts: tuple[str, ...], seconds: float) -> list[str]:
        """Read until every part is on screen or ``seconds`` pass; the parts still missing."""
        deadline = time.monotonic() + seconds
        while True:
            missing = [part for part in parts if part not in self.text]
            if not missing or time.monotonic() > deadline:
                return missing
            self.read(0.1)

    def close(self) -> int:
        """Press q and wait for the program to end; its exit status."""
        os.write(self.fd, b"q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            self.read(0.05)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        os.close(self.fd)
        return -9


@pytest.mark.audio
@pytest.mark.parametrize(("columns", "lines"), [(120, 40), (80, 24)])
def test_home_is_drawn_whole_while_the_devices_are_checked(
    pulse: object, isolated_home: Path, tmp_path: Path, columns: int, lines: int
) -> None:
    """The device check opens PortAudio (which silences stderr while it starts) as Home draws;
    every part of Home must still reach the screen, without a resize or a key."""
    assert pulse is not None
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": str(columns),
        "LINES": str(lines),
        "PYTHONPATH": str(ROOT),
    }
    terminal = Terminal([sys.executable, "-m", "practice"], env, columns, lines)
    try:
        missing = terminal.wait_for(HOME_PARTS, seconds=30)
        assert not missing, f"not drawn: {missing}\n{terminal.text}"
        # The device check has reported (Home says nothing is missing: the devices work), and
        # the screen is still whole after it.
        terminal.read(3)
        assert not [part for part in HOME_PARTS if part not in terminal.text], terminal.text
        assert "⚠" not in terminal.text, terminal.text
    finally:
        status = terminal.close()
    assert status == 0


@pytest.mark.audio
def test_the_settings_offer_the_machines_devices_and_voices(pulse: object) -> None:
    """The settings dialog's lists come from PortAudio and pyttsx3 (here the private
    PulseAudio's virtual microphone and speaker)."""
    from practice.tui.services import setting_choices

    assert pulse is not None
    choices = setting_choices()
    inputs = [value for _shown, value in choices["input_device"]]
    outputs = [value for _shown, value in choices["output_device"]]
    assert "pulse" in inputs and "pulse" in outputs  # PortAudio's route to the sound server
    assert ("English (America) (gmw/en-us)", "gmw/en-us") in choices["voice"]
