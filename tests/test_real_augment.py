"""The augmentations of ``python -m benchmarks.real --augment`` on synthetic signals: levels,
bands, pitch and tempo, and the truth's times scaled with the tempo."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import soundfile

from benchmarks.accuracy.score import Event
from benchmarks.real import augment
from benchmarks.real.augment import (
    AUGMENTATIONS,
    active_level_db,
    augmented,
    band,
    chosen,
    clipped,
    gain,
    mixed,
    pink_noise,
    reverberant,
    room_impulse,
    speed,
    telephone,
    voice,
)
from benchmarks.real.data import DataError, Item
from practice.analysis.audio import SAMPLE_RATE, load_audio

RATE = SAMPLE_RATE


def tone(hz: float, seconds: float = 1.0, level: float = 0.1) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def harmonic(f0: float, seconds: float = 1.0) -> np.ndarray:
    """A buzz with 20 harmonics falling 6 dB an octave, as a voiced sound's source."""
    t = np.arange(round(seconds * RATE)) / RATE
    buzz = np.zeros_like(t)
    for k in range(1, 21):
        buzz += np.sin(2 * np.pi * f0 * k * t) / k
    return (0.05 * buzz).astype(np.float32)


def level_at(samples: np.ndarray, hz: float) -> float:
    """dB of ``samples``'s spectrum at ``hz`` (Hann window)."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    frequencies = np.fft.rfftfreq(len(samples), 1.0 / RATE)
    return float(20 * np.log10(spectrum[np.argmin(np.abs(frequencies - hz))] + 1e-12))


def pitch(samples: np.ndarray) -> float:
    """F0 by autocorrelation over 60-500 Hz: the shortest lag within 5 % of the best."""
    x = samples - np.mean(samples)
    corr = np.correlate(x[:8000], x[:8000], "full")[7999:]
    lags = np.arange(RATE // 500, RATE // 60)
    best = corr[lags].max()
    return RATE / float(lags[np.flatnonzero(corr[lags] >= 0.95 * best)[0]])


def bursts(seconds: float, at: list[float]) -> np.ndarray:
    """Silence with a 0.2 s buzz starting at each of ``at``."""
    out = np.zeros(round(seconds * RATE), dtype=np.float32)
    burst = harmonic(150.0, 0.2) * 4
    for start in at:
        first = round(start * RATE)
        out[first : first + len(burst)] = burst
    return out


def onsets(samples: np.ndarray) -> list[float]:
    """Where the 10 ms level first rises within 20 dB of the loudest after at least 0.3 s
    below it."""
    frames = samples[: len(samples) // 160 * 160].reshape(-1, 160)
    db = 10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-12)
    loud = np.flatnonzero(db > db.max() - 20)
    starts = [loud[0], *(b for a, b in itertools.pairwise(loud) if b - a > 30)]
    return [float(s) / 100 for s in starts]


def test_active_level_and_gain() -> None:
    speech = np.concatenate([tone(440, 1.0, 0.1), np.zeros(RATE // 2, np.float32)])
    # a sine of amplitude 0.1 has a power of 0.005: -23.0 dBFS; the silence is not counted
    assert active_level_db(speech) == pytest.approx(-23.01, abs=0.05)
    assert active_level_db(gain(speech, -20)) == pytest.approx(-43.01, abs=0.05)
    assert AUGMENTATIONS["quiet"].render(speech, 0, Path()).max() == pytest.approx(0.01, rel=1e-3)


def test_band_keeps_the_band_only() -> None:
    mix = tone(150) + tone(1000) + tone(5000)
    out = band(mix, 300, 3400)
    assert level_at(out, 1000) == pytest.approx(level_at(mix, 1000), abs=0.5)
    assert level_at(out, 150) < level_at(mix, 150) - 50
    assert level_at(out, 5000) < level_at(mix, 5000) - 50


def test_telephone_is_narrow_band_and_keeps_length_and_time() -> None:
    mix = tone(1000) + tone(6000)
    out = telephone(mix)
    assert len(out) == len(mix)
    assert level_at(out, 1000) == pytest.approx(level_at(mix, 1000), abs=1.0)
    assert level_at(out, 6000) < level_at(mix, 6000) - 40
    signal = bursts(3.0, [0.5, 2.0])
    assert onsets(telephone(signal)) == pytest.approx([0.5, 2.0], abs=0.03)


def test_speed_scales_length_and_pitch() -> None:
    out = speed(tone(200, 2.0), 1.1)
    assert len(out) == pytest.approx(2.0 * RATE / 1.1, abs=2)
    spectrum = np.abs(np.fft.rfft(out * np.hanning(len(out))))
    peak = np.fft.rfftfreq(len(out), 1.0 / RATE)[np.argmax(spectrum)]
    assert peak == pytest.approx(220, abs=1)


def test_voice_moves_the_pitch_and_keeps_the_timing() -> None:
    out = voice(harmonic(110, 2.0), pitch=1.8, formants=1.18)
    assert len(out) == 2 * RATE
    assert pitch(out[RATE // 2 :]) == pytest.approx(198, rel=0.03)
    assert pitch(voice(harmonic(110, 2.0), 0.8, 0.9)[RATE // 2 :]) == pytest.approx(88, rel=0.03)
    signal = bursts(4.0, [0.5, 1.7, 3.0])
    assert onsets(voice(signal, 1.8, 1.18)) == pytest.approx([0.5, 1.7, 3.0], abs=0.03)


def test_reverb_adds_a_tail_without_delay() -> None:
    signal = bursts(3.0, [0.5, 2.0])
    out = reverberant(signal, room_impulse(0.6, 0.0, seed=1))
    assert onsets(out) == pytest.approx([0.5, 2.0], abs=0.01)
    assert active_level_db(out) == pytest.approx(active_level_db(signal), abs=0.1)
    after = slice(round(0.9 * RATE), round(1.0 * RATE))  # 0.2 s after the first burst ends
    assert np.sqrt(np.mean(out[after] ** 2)) > 1e-3
    assert not signal[after].any()


def test_noise_is_mixed_at_the_asked_snr() -> None:
    speech = np.concatenate([tone(440, 1.0), np.zeros(RATE, np.float32)])
    noise = pink_noise(len(speech), seed=3)
    out = mixed(speech, noise, 12.0)
    added = out - speech
    noise_db = 10 * np.log10(np.mean(added.astype(np.float64) ** 2))
    assert noise_db == pytest.approx(active_level_db(speech) - 12.0, abs=0.05)
    # pink: 3 dB less power an octave, so about 10 dB less per decade in equal bands
    spectrum = np.abs(np.fft.rfft(noise)) ** 2
    f = np.fft.rfftfreq(len(noise), 1.0 / RATE)
    low = spectrum[(f >= 200) & (f < 300)].mean()
    high = spectrum[(f >= 2000) & (f < 3000)].mean()
    assert 10 * np.log10(low / high) == pytest.approx(10.0, abs=1.0)


def test_clipping_cuts_at_full_scale() -> None:
    out = clipped(tone(300, 1.0, 0.5), 12.0)
    assert np.max(np.abs(out)) == pytest.approx(1.0)
    assert np.mean(np.abs(out) >= 1.0) > 0.5  # a sine driven 4x past full scale is mostly cut


def test_tempo_scales_the_truths_times(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(augment, "CACHE", tmp_path / "cache")
    recording = tmp_path / "answer.wav"
    soundfile.write(recording, bursts(5.0, [1.0, 3.0]), RATE, subtype="PCM_16")
    truth = (Event("um", 1.0, 1.2), Event("uh", 3.0, 3.2))
    item = Item("answer.wav", recording, "spontaneous", "a b", True, truth, (), 0)
    for name, factor in (("tempo-0.9", 1 / 0.9), ("tempo-1.1", 1 / 1.1), ("speed-1.1", 1 / 1.1)):
        (changed,) = augmented([item], AUGMENTATIONS[name], tmp_path)
        assert changed.path.parent.parent == tmp_path / "cache"
        assert [(e.start, e.end) for e in changed.hesitations] == pytest.approx(
            [(1.0 * factor, 1.2 * factor), (3.0 * factor, 3.2 * factor)]
        )
        samples = load_audio(changed.path)
        assert len(samples) / RATE == pytest.approx(5.0 * factor, abs=0.01)
        assert onsets(samples) == pytest.approx([e.start for e in changed.hesitations], abs=0.03)
    (same,) = augmented([item], AUGMENTATIONS["reverb"], tmp_path)
    assert same.hesitations == truth
    assert len(load_audio(same.path)) == 5 * RATE


def test_unknown_augmentation_is_one_line() -> None:
    assert [a.name for a in chosen("phone, quiet")] == ["phone", "quiet"]
    assert len(chosen("all")) == len(AUGMENTATIONS)
    with pytest.raises(DataError, match=r"no augmentation 'lisp'; known: pitch-up"):
        chosen("phone,lisp")
