"""A private PulseAudio daemon with virtual devices, for tests that go through real audio.

There is no sound card on CI. PulseAudio's null sinks give PortAudio (and so sounddevice) real
devices: ``speaker`` (the default output; its monitor lets a test hear what practice says) and
``mic`` (the default input, fed by playing a file into the ``micsrc`` sink). The daemon is our own
child process with its own runtime folder, so parallel runs stay apart and no daemon that we did
not start is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import numpy as np

MODULES = [
    "module-null-sink sink_name=speaker sink_properties=device.description=speaker",
    "module-null-sink sink_name=micsrc sink_properties=device.description=micsrc",
    "module-remap-source master=micsrc.monitor source_name=mic "
    "source_properties=device.description=mic",
    "module-always-sink",
]


class PulseError(RuntimeError):
    pass


class PrivatePulse:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.runtime = root / "runtime"
        self.socket = self.runtime / "native"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = root / "pulseaudio.log"

    @property
    def env(self) -> dict[str, str]:
        """What a client needs to find this daemon and no other."""
        return {
            "PULSE_SERVER": f"unix:{self.socket}",
            "PULSE_RUNTIME_PATH": str(self.runtime),
            "PULSE_COOKIE": str(self.root / "cookie"),
        }

    def start(self, timeout: float = 15.0) -> None:
        daemon = shutil.which("pulseaudio")
        if daemon is None:
            raise PulseError("pulseaudio is not installed (scripts/test installs it)")
        self.runtime.mkdir(parents=True, exist_ok=True)
        (self.root / "home").mkdir(exist_ok=True)
        args = [
            daemon,
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--disable-shm=yes",
            "-n",
            "--log-target=stderr",
            f"--load=module-native-protocol-unix auth-anonymous=1 socket={self.socket}",
            *(f"--load={module}" for module in MODULES),
        ]
        env = {
            **os.environ,
            **self.env,
            "HOME": str(self.root / "home"),
            "XDG_RUNTIME_DIR": str(self.runtime),
            "XDG_CONFIG_HOME": str(self.root / "home" / ".config"),
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                args, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PulseError(f"pulseaudio exited: {self.log.read_text(errors='replace')}")
            if self.pactl("info", check=False).returncode == 0:
                self.pactl("set-default-sink", "speaker")
                self.pactl("set-default-source", "mic")
                return
            time.sleep(0.1)
        self.stop()
        raise PulseError(f"pulseaudio did not answer within {timeout:.0f} s")

    def pactl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pactl", *args],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            check=check,
            timeout=10,
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def play_into_mic(self, wav: Path) -> subprocess.Popen[bytes]:
        """Start playing ``wav`` into the virtual microphone; returns the player process."""
        return subprocess.Popen(
            ["paplay", "--device=micsrc", str(wav)],
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def speaker_stream(self) -> subprocess.Popen[bytes]:
        """What is played on the virtual speaker, live: raw 16 kHz mono s16le on ``stdout``."""
        return subprocess.Popen(
            [
                "parec",
                "--device=speaker.monitor",
                "--raw",
                "--format=s16le",
                "--rate=16000",
                "--channels=1",
                "--latency-msec=10",
            ],
            env={**os.environ, **self.env},
            stdout=subprocess.PIPE,
        )

    def record_speaker(self, wav: Path) -> subprocess.Popen[bytes]:
        """Start recording what is played on the virtual speaker; stop with ``terminate()``."""
        return subprocess.Popen(
            ["parecord", "--device=speaker.monitor", "--file-format=wav", str(wav)],
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )


class SpeakerMonitor:
    """Listens to the virtual speaker and notes, by the wall clock, when it was not silent."""

    def __init__(self, pulse: PrivatePulse) -> None:
        self.loud: list[float] = []
        self.blocks = 0
        self._process = pulse.speaker_stream()
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        assert self._process.stdout is not None
        while block := self._process.stdout.read(320):  # 10 ms
            self.blocks += 1
            if np.abs(np.frombuffer(block, "<i2")).max() > 300:
                self.loud.append(time.monotonic())

    def wait_until_listening(self, blocks: int = 50) -> None:
        """Wait until ``blocks`` blocks of 10 ms have come (the monitor has settled)."""
        deadline = time.monotonic() + 10
        while self.blocks < blocks and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.blocks >= blocks, "the speaker monitor gave no data"

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait()
        self._thread.join()
