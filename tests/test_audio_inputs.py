"""Names and inputs of every kind: file names that are not UTF-8, pipes and devices given as
audio, samples that are not numbers, compressed audio damaged or cut short, headers that lie.
Each gives one line saying what is wrong (or is read), quickly, without reading a header's word
for how much memory to take."""

from __future__ import annotations

import os
import socket
import struct
import tempfile
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile
from hypothesis import given, settings
from hypothesis import strategies as st

from practice import banks
from practice.analysis.audio import SAMPLE_RATE, AudioError, load_audio
from practice.cli import main
from practice.workspace import resolve


def _speech(seconds: float = 3.0, rate: int = SAMPLE_RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * 220 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))).astype(
        np.float32
    )


def _refused(path: Path, message: str) -> None:
    with pytest.raises(AudioError) as caught:
        load_audio(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("name", [b"caf\xe9.wav", b"\xff\xfe.flac", b"ok \xc3\xa9 \x80.wav"])
def test_a_file_name_that_is_not_utf8_is_read(tmp_path: Path, name: bytes) -> None:
    path = Path(os.fsdecode(bytes(tmp_path) + b"/" + name))
    with path.open("wb") as file:  # soundfile cannot take such a name itself
        soundfile.write(file, _speech(), SAMPLE_RATE, format=path.suffix[1:].upper())
    assert len(load_audio(path)) == 3 * SAMPLE_RATE


def test_a_name_that_is_not_utf8_prints_as_one_line(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = Path(os.fsdecode(bytes(isolated_home) + b"/caf\xe9.wav"))
    assert main(["analyze", str(missing)]) == 1
    _out, err = capsys.readouterr()
    assert err == f"practice: {isolated_home}/caf\\udce9.wav: no such file\n"


def _pipe(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))


@pytest.mark.parametrize(
    ("make", "kind"), [(_pipe, "a pipe"), (_socket, "a socket"), (None, "a device")]
)
def test_pipes_sockets_and_devices_are_refused_at_once(
    tmp_path: Path, make: object, kind: str
) -> None:
    path = Path(os.devnull) if make is None else tmp_path / "answer.wav"
    if make is not None:
        make(path)  # type: ignore[operator]
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            load_audio(path)
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(10)
    assert outcome, "reading hung"
    assert isinstance(outcome[0], AudioError)
    assert (
        str(outcome[0]) == f"{path}: is {kind}, not a regular file; save the audio to a file first"
    )


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("how_many", [1, 100])
def test_samples_that_are_not_numbers_are_refused(
    tmp_path: Path, bad: float, how_many: int
) -> None:
    samples = _speech(3.0, 44100)
    samples[50_000 : 50_000 + how_many] = bad
    path = tmp_path / "float.wav"
    soundfile.write(path, samples, 44100, subtype="FLOAT")
    _refused(path, "holds samples that are not numbers (NaN or infinity) at about 1.1 s")


def _mp3(path: Path, seconds: float = 11.0) -> bytes:
    soundfile.write(path, _speech(seconds, 22050), 22050, format="MP3")
    return path.read_bytes()


def test_an_mp3_cut_short_is_refused_not_scored_as_a_whole(tmp_path: Path) -> None:
    whole = _mp3(tmp_path / "whole.mp3")
    assert len(load_audio(tmp_path / "whole.mp3")) / SAMPLE_RATE == pytest.approx(11.0, abs=0.1)
    for share in (0.2, 0.5, 0.8):
        cut = tmp_path / f"cut{share}.mp3"
        cut.write_bytes(whole[: int(len(whole) * share)])
        _refused(cut, "s of the 11.0 s its header states could be decoded")


def test_an_mp3_damaged_in_the_middle_is_refused(tmp_path: Path) -> None:
    data = bytearray(_mp3(tmp_path / "whole.mp3"))
    rng = np.random.default_rng(1)
    start = len(data) // 4
    data[start : start + len(data) // 3] = rng.bytes(len(data) // 3)
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(bytes(data))
    with pytest.raises(AudioError, match="damaged"):
        load_audio(bad)


def _wav(path: Path, rate: int = SAMPLE_RATE, seconds: float = 2.0) -> bytearray:
    soundfile.write(path, _speech(seconds, rate), rate, subtype="PCM_16")
    return bytearray(path.read_bytes())


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        (1, "its header states a sample rate of 1 Hz: not audio"),
        (999, "its header states a sample rate of 999 Hz: not audio"),
        (800_000, "its header states a sample rate of 800000 Hz: not audio"),
    ],
)
def test_a_header_with_an_absurd_rate_is_refused_before_decoding(
    tmp_path: Path, rate: int, message: str
) -> None:
    path = tmp_path / "lies.wav"
    data = _wav(path)
    struct.pack_into("<II", data, 24, rate, (rate * 2) % 2**32)
    path.write_bytes(bytes(data))
    _refused(path, message)


def test_a_header_that_understates_the_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "short-header.wav"
    data = _wav(path, seconds=11.0)
    struct.pack_into("<I", data, data.index(b"data") + 4, 100)
    path.write_bytes(bytes(data))
    _refused(path, "its header states 0.0 s of audio, but the file holds")


def test_a_header_claiming_thousands_of_channels_reads_in_bounded_blocks(tmp_path: Path) -> None:
    """1,000 channels at 48 kHz would be 1.9 GB per 10 s block if the block followed the header."""
    path = tmp_path / "wide.wav"
    soundfile.write(path, np.zeros((4800, 1000), dtype=np.float32), 48000, subtype="PCM_16")
    assert len(load_audio(path)) == pytest.approx(1600, abs=2)


@pytest.mark.parametrize(
    "name", ["abc\udcff", "Data\x7fEng", "\x1b[31mRed\x1b[0m team", 'Quote " and \\ back', "é ü"]
)
def test_banks_new_takes_any_name_and_writes_a_bank_that_loads(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    assert main(["banks", "new", name]) == 0
    out, _err = capsys.readouterr()
    path = Path(out.splitlines()[0].removeprefix("Wrote "))
    bank = banks.load_bank(path)
    assert bank.name and "\x7f" not in bank.name and "\x1b" not in bank.name
    assert main(["banks", "check", str(path)]) == 0


def test_banks_new_leaves_no_file_when_it_cannot_write(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert main(["banks", "new", "Full disk"]) == 1
    _out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "No space left on device" in err
    assert list(resolve().banks_dir.iterdir()) == []


def _riff(body: bytes) -> bytes:
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WAVE" + body


@settings(max_examples=80, deadline=None)
@given(
    content=st.one_of(
        st.binary(min_size=1, max_size=2000),
        st.binary(max_size=2000).map(_riff),  # a WAV header with anything after it
        st.tuples(
            st.integers(0, 2**32 - 1), st.integers(0, 2**16 - 1), st.binary(max_size=600)
        ).map(
            lambda t: _riff(
                struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, t[1], t[0], t[0] * 2 % 2**32, 2, 16)
                + b"data"
                + struct.pack("<I", len(t[2]))
                + t[2]
            )
        ),
    ),
    suffix=st.sampled_from([".wav", ".mp3", ".flac", ".ogg", ".m4a"]),
)
def test_any_bytes_decode_or_give_one_line(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"answer{suffix}"
        path.write_bytes(content)
        try:
            samples = load_audio(path)
        except AudioError as error:
            assert "\n" not in str(error) and str(error).startswith(f"{path}: ")
        else:
            assert samples.dtype == np.float32 and np.isfinite(samples).all()


_BASES: dict[str, bytes] = {}


def _base(kind: str) -> bytes:
    """A 3 s recording in one of the formats practice reads, encoded once."""
    if kind not in _BASES:
        import io

        import av

        buffer = io.BytesIO()
        if kind == "m4a":
            out = av.open(buffer, "w", format="mp4")
            stream = out.add_stream("aac", rate=22050, layout="mono")
            mono = _speech(3.0, 22050)[None, :]
            frame = av.AudioFrame.from_ndarray(mono, format="fltp", layout="mono")
            frame.sample_rate = 22050
            for packet in (*stream.encode(frame), *stream.encode(None)):
                out.mux(packet)
            out.close()
        else:  # stereo at 44.1 kHz: damage can make frames change layout and rate part-way
            stereo = np.stack([_speech(3.0, 44100), _speech(3.0, 44100)[::-1]], axis=1)
            soundfile.write(buffer, stereo, 44100, format=kind.upper())
        _BASES[kind] = buffer.getvalue()
    return _BASES[kind]


@settings(max_examples=120, deadline=None)
@given(
    kind=st.sampled_from(["wav", "flac", "ogg", "mp3", "m4a"]),
    damage=st.lists(
        st.tuples(
            st.sampled_from(["overwrite", "scramble", "cut", "header"]),
            st.floats(0, 1, exclude_max=True),
            st.binary(min_size=1, max_size=64),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_damaged_files_of_every_format_decode_or_give_one_line(
    kind: str, damage: list[tuple[str, float, bytes]]
) -> None:
    data = bytearray(_base(kind))
    for how, where, noise in damage:
        at = int(where * len(data))
        if how == "overwrite":
            data[at : at + len(noise)] = noise
        elif how == "scramble":  # a run of frames destroyed (a fifth of the file)
            size = len(data) // 5
            data[at : at + size] = np.random.default_rng(list(noise)).bytes(size)
        elif how == "cut":
            del data[max(at, 1) :]
        else:
            data[at % 64] = noise[0]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"answer.{kind}"
        path.write_bytes(bytes(data))
        try:
            samples = load_audio(path)
        except AudioError as error:
            assert "\n" not in str(error) and str(error).startswith(f"{path}: ")
        else:
            assert np.isfinite(samples).all() and len(samples) <= 3.1 * SAMPLE_RATE


def _adts(rate: int, layout: str) -> bytes:
    """Two seconds of AAC in an ADTS stream (a format only FFmpeg reads)."""
    import io

    import av

    buffer = io.BytesIO()
    out = av.open(buffer, "w", format="adts")
    stream = out.add_stream("aac", rate=rate, layout=layout)
    mono = _speech(2.0, rate)[None, :]
    planes = np.concatenate([mono, mono]) if layout == "stereo" else mono
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(planes), format="fltp", layout=layout)
    frame.sample_rate = rate
    for packet in (*stream.encode(frame), *stream.encode(None)):
        out.mux(packet)
    out.close()
    return buffer.getvalue()


def test_recordings_joined_at_different_rates_and_channels_decode_whole(tmp_path: Path) -> None:
    """The frames change rate and channels part-way (joined files, and damaged ones): each part
    is resampled as it is, instead of failing on the first change."""
    path = tmp_path / "joined.aac"
    path.write_bytes(_adts(22050, "mono") + _adts(44100, "stereo"))
    assert len(load_audio(path)) / SAMPLE_RATE == pytest.approx(4.1, abs=0.1)
