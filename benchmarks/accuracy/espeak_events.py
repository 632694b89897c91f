"""Say one SSML text with libespeak-ng and report the sample at which each ``<mark name=…/>``
is reached.

Run as a script (``python espeak_events.py VOICE RATE`` with the SSML on stdin): it writes one
JSON line, ``{"rate": Hz, "marks": [[name, sample], ...]}``, then the audio as 16-bit
little-endian mono samples. A process says one text: the library carries state from one
utterance to the next (a few samples' difference), so a fresh process keeps renderings
deterministic. Only the standard library is imported, so the process starts fast.
"""

from __future__ import annotations

import ctypes
import json
import sys
from typing import Any

_MARK = 3
_SYNCHRONOUS = 2
_UTF8, _SSML, _PHONEMES = 0x1, 0x10, 0x100
_RATE, _PITCH = 1, 3


class _Id(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _Id),
    ]


_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


def say(voice: str, rate: int, text: str) -> tuple[int, list[tuple[str, int]], bytes]:
    """(sample rate, [(mark name, sample) in the order reached], audio)."""
    lib = ctypes.CDLL("libespeak-ng.so.1")
    hz = int(lib.espeak_Initialize(_SYNCHRONOUS, 0, None, 0))
    if hz <= 0:
        raise RuntimeError("libespeak-ng did not initialise")
    audio: list[bytes] = []
    marks: list[tuple[str, int]] = []

    def collect(wav: Any, count: int, events: Any) -> int:
        if wav and count > 0:
            audio.append(ctypes.string_at(wav, count * 2))
        index = 0
        while events[index].type != 0:
            event = events[index]
            if event.type == _MARK:
                marks.append(((event.id.name or b"").decode(), event.sample))
            index += 1
        return 0

    callback = _CALLBACK(collect)
    lib.espeak_SetSynthCallback(callback)
    if lib.espeak_SetVoiceByName(voice.encode()) != 0:
        raise RuntimeError(f"libespeak-ng has no voice {voice!r}")
    lib.espeak_SetParameter(_RATE, rate, 0)
    lib.espeak_SetParameter(_PITCH, 50, 0)
    data = text.encode()
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    if lib.espeak_Synth(data, len(data) + 1, 0, 1, 0, _UTF8 | _SSML | _PHONEMES, None, None):
        raise RuntimeError(f"libespeak-ng failed on {text!r}")
    return hz, marks, b"".join(audio)


def main() -> int:
    voice, rate = sys.argv[1], int(sys.argv[2])
    try:
        hz, marks, audio = say(voice, rate, sys.stdin.read())
    except (OSError, RuntimeError) as error:
        print(f"espeak_events: {error}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(json.dumps({"rate": hz, "marks": marks}).encode() + b"\n")
    sys.stdout.buffer.write(audio)
    return 0


if __name__ == "__main__":
    sys.exit(main())
