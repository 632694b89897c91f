"""The acoustic filler channel: held sounds that no word explains."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from practice.analysis.answer import merge_fillers
from practice.analysis.audio import load_audio
from practice.analysis.events import AUDIO, TRANSCRIPT, FillerEvent
from practice.analysis.frames import FRAME_S, frame_features, sustained_runs
from practice.analysis.hesitations import find_hesitations, held_sounds, supported_runs
from practice.analysis.signal import detect_activity, measure
from practice.analysis.transcript import Transcriber, Word

RATE = 16_000
_OPEN = (700.0, 1200.0, 2600.0)  # an open vowel's formants
_SPEECH_VOWELS = (
    (300.0, 2200.0, 2900.0),
    (400.0, 1800.0, 2600.0),
    (500.0, 1450.0, 2500.0),
    (650.0, 1150.0, 2500.0),
    (750.0, 1000.0, 2600.0),
)
"""A speaker's vowels: their median is F1 500 Hz, F2 1450 Hz (the neutral vowel)."""
_AH = (800.0, 1100.0, 2600.0)
_UH = (640.0, 1220.0, 2500.0)
_ER = (510.0, 1450.0, 2400.0)


def _voiced(seconds: float, formants: tuple[float, ...], pitch: float = 120.0) -> np.ndarray:
    """Harmonics of ``pitch`` shaped by resonances at ``formants`` (a crude vowel)."""
    t = np.arange(round(seconds * RATE)) / RATE
    signal = np.zeros_like(t)
    for k in range(1, int(4000 / pitch)):
        frequency = k * pitch
        gain = sum(1.0 / (1.0 + ((frequency - f) / 90.0) ** 2) for f in formants) + 0.02
        signal += gain * np.sin(2 * np.pi * frequency * t) / k**0.5
    return np.asarray(signal / np.max(np.abs(signal)))


def _murmur(seconds: float, pitch: float = 120.0) -> np.ndarray:
    """A nasal murmur: nearly all energy in the lowest harmonics."""
    t = np.arange(round(seconds * RATE)) / RATE
    return 0.5 * np.sin(2 * np.pi * pitch * t) + 0.02 * np.sin(2 * np.pi * 2 * pitch * t)


def _syllables(seconds: float, seed: int = 3, scale: float = 1.0) -> np.ndarray:
    """Speech-like: 120 ms vowels of changing quality, each after a 40 ms noise burst; ``scale``
    multiplies every formant (a shorter vocal tract: a higher voice)."""
    rng = np.random.default_rng(seed)
    parts = []
    for index in range(round(seconds / 0.16)):
        parts.append(0.3 * rng.standard_normal(round(0.04 * RATE)))
        vowel = _SPEECH_VOWELS[index % len(_SPEECH_VOWELS)]
        pitch = (110 + 10 * (index % 3)) * scale
        parts.append(_voiced(0.12, tuple(f * scale for f in vowel), pitch))
    return np.concatenate(parts)


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * RATE))


def _answer(*parts: np.ndarray) -> np.ndarray:
    samples = 0.3 * np.concatenate(parts)
    noise = np.random.default_rng(7).standard_normal(samples.size) * 1e-4
    return (samples + noise).astype(np.float32)


def test_a_held_vowel_is_one_sustained_run_and_syllables_are_none() -> None:
    held = _answer(_silence(0.3), _voiced(0.5, _OPEN), _silence(0.3))
    runs = sustained_runs(frame_features(held))
    assert len(runs) == 1
    start, end = (index * FRAME_S for index in runs[0])
    assert start == pytest.approx(0.3, abs=0.06) and end == pytest.approx(0.8, abs=0.06)

    speech = _answer(_silence(0.3), _syllables(2.0), _silence(0.3))
    assert sustained_runs(frame_features(speech)) == []


def _gliding(seconds: float, start: tuple[float, ...], end: tuple[float, ...]) -> np.ndarray:
    """Like :func:`_voiced`, but its resonances move steadily from ``start`` to ``end``."""
    t = np.arange(round(seconds * RATE)) / RATE
    mix = (t / seconds)[None, :]
    formants = np.array(start)[:, None] * (1 - mix) + np.array(end)[:, None] * mix
    signal = np.zeros_like(t)
    for k in range(1, int(4000 / 120.0)):
        frequency = k * 120.0
        gain = (1.0 / (1.0 + ((frequency - formants) / 90.0) ** 2)).sum(axis=0) + 0.02
        signal += gain * np.sin(2 * np.pi * frequency * t) / k**0.5
    return signal


def _glided(before: float, after: float) -> np.ndarray:
    """An "uh" held ``before`` s, a slow 70 ms glide towards "er", then "er" held ``after`` s
    (one continuous sound)."""
    sound = np.concatenate(
        (
            _gliding(before, _UH, _UH),
            _gliding(0.07, _UH, _ER_NEAR),
            _gliding(after, _ER_NEAR, _ER_NEAR),
        )
    )
    return np.asarray(sound / np.max(np.abs(sound)))


_ER_NEAR = (480.0, 1550.0, 2500.0)


def test_a_slow_glide_inside_a_held_sound_does_not_break_it() -> None:
    # Each steady part is shorter than MIN_RUN_S: only the glide makes them one held sound.
    held = _answer(_silence(0.3), _glided(0.10, 0.12), _silence(0.3))
    [(start, end)] = sustained_runs(frame_features(held))
    assert start * FRAME_S == pytest.approx(0.3, abs=0.06)
    assert end * FRAME_S == pytest.approx(0.59, abs=0.06)
    # A diphthong ("so", "okay") ends on its glide: the glide is not part of the held vowel.
    ending = _answer(_silence(0.3), _glided(0.20, 0.06), _silence(0.3))
    [(start, end)] = sustained_runs(frame_features(ending))
    assert end * FRAME_S < 0.3 + 0.20 + 0.04
    assert sustained_runs(frame_features(_answer(_silence(0.3), _glided(0.10, 0.06)))) == []


def test_features_tell_voicing_pitch_and_nasality() -> None:
    frames = frame_features(_answer(_voiced(0.4, _OPEN, 150.0), _murmur(0.3, 150.0)))
    vowel, murmur = slice(5, 35), slice(45, 65)
    assert np.median(frames.voicing[vowel]) > 0.8
    noise = frame_features(_answer(np.random.default_rng(1).standard_normal(RATE)))
    assert np.median(noise.voicing) < 0.5
    assert np.median(frames.nasal_db[murmur]) > np.median(frames.nasal_db[vowel]) + 15.0
    assert np.median(frames.steadiness[vowel]) < np.median(
        frame_features(_answer(_syllables(1.0))).steadiness
    )


def test_a_murmured_ending_is_um_an_open_one_uh_and_a_long_murmur_hmm() -> None:
    samples = _answer(
        _syllables(1.6),
        _silence(0.3),
        _voiced(0.45, _UH),
        _murmur(0.2),
        _silence(0.5),
        _voiced(0.45, _UH),
        _silence(0.5),
        _voiced(0.15, _UH),
        _murmur(0.4),
        _silence(0.3),
    )
    assert [sound.type for sound in held_sounds(samples)] == ["um", "uh", "hmm"]


@pytest.mark.parametrize("scale", [1.0, 1.25])
def test_an_open_vowel_is_typed_by_its_quality_against_the_speakers_own(scale: float) -> None:
    def held(formants: tuple[float, ...]) -> np.ndarray:
        return _voiced(0.45, tuple(f * scale for f in formants), 115 * scale)

    samples = _answer(
        _syllables(2.4, scale=scale),
        _silence(0.4),
        held(_AH),
        _silence(0.4),
        held(_UH),
        _silence(0.4),
        held(_ER),
        _silence(0.4),
        _syllables(2.4, seed=5, scale=scale),
    )
    sounds = held_sounds(samples)
    assert [sound.type for sound in sounds] == ["ah", "uh", "er"]
    ah, uh, er = (sound.shape for sound in sounds)
    assert ah.openness > uh.openness > er.openness
    assert er.frontness > uh.frontness > ah.frontness


_VOWELS = "We had {ah} two options. The first {er} was cheaper. The second {uh} was safer."
_HUMS = "We had {um} two options. The first was cheaper. {Hmm} the second was safer."


def test_noise_between_a_vowel_and_a_nasal_does_not_make_an_um() -> None:
    # Noise 30 dB under the vowel fills the gap before the next word's nasal onset.
    gap = 0.01 * np.random.default_rng(5).standard_normal(round(0.1 * RATE))
    glided = _answer(_syllables(1.6), _silence(0.3), _voiced(0.4, _UH), _murmur(0.2), _silence(0.3))
    apart = _answer(
        _syllables(1.6), _silence(0.3), _voiced(0.4, _UH), gap, _murmur(0.2), _silence(0.3)
    )
    assert [sound.type for sound in held_sounds(glided)] == ["um"]
    assert [sound.type for sound in held_sounds(apart)][:1] == ["uh"]


def test_a_low_murmur_whose_pulses_miss_a_frame_still_closes_an_um() -> None:
    # 50 Hz pulses that die out within 10 ms: every other 10 ms frame falls 25 dB under the vowel.
    t = np.arange(round(0.25 * RATE)) / RATE
    phase = np.mod(t, 0.02)
    pulsed = 0.8 * np.exp(-phase / 0.001) * np.sin(2 * np.pi * 200 * phase)
    samples = _answer(_syllables(1.6), _silence(0.3), _voiced(0.4, _UH), pulsed, _silence(0.3))
    assert [sound.type for sound in held_sounds(samples)] == ["um"]


def test_a_vowel_after_a_sibilant_is_a_word_not_a_hesitation() -> None:
    rng = np.random.default_rng(4)
    sibilant = np.diff(rng.standard_normal(round(0.1 * RATE) + 1))  # "s": hiss above 2 kHz
    held = _answer(_syllables(1.6), _silence(0.3), _voiced(0.4, _UH), _silence(0.3))
    drawn = _answer(_syllables(1.6), _silence(0.3), sibilant, _voiced(0.4, _UH), _silence(0.3))
    assert [sound.type for sound in held_sounds(held)] == ["uh"]
    assert held_sounds(drawn) == []


@pytest.mark.parametrize(
    ("voice", "markup"),
    [("espeak-gb", _VOWELS), ("joe", _VOWELS), ("espeak-us", _HUMS), ("joe", _HUMS)],
)
def test_synthetic_voices_hesitate_as_typed(voice: str, markup: str, tmp_path: Path) -> None:
    from benchmarks.accuracy import synthesize

    truth = synthesize(markup, voice, tmp_path / "hesitations.wav")
    sounds = held_sounds(load_audio(tmp_path / "hesitations.wav"))
    for true in truth.fillers:
        assert any(
            sound.type == true.type and sound.start < true.end and true.start < sound.end
            for sound in sounds
        ), f"{true.type} at {true.start:.2f} s: {sounds}"


def test_an_aspirated_onset_makes_a_hummed_sound_hmm() -> None:
    hiss = 0.15 * np.random.default_rng(2).standard_normal(round(0.03 * RATE))
    plain = _answer(_syllables(1.6), _silence(0.3), _voiced(0.3, _ER), _murmur(0.2), _silence(0.3))
    aspirated = _answer(
        _syllables(1.6), _silence(0.3), hiss, _voiced(0.3, _ER), _murmur(0.2), _silence(0.3)
    )
    assert [sound.type for sound in held_sounds(plain)] == ["um"]
    [sound] = held_sounds(aspirated)
    assert sound.type == "hmm" and sound.shape.hiss > held_sounds(plain)[0].shape.hiss + 0.05


def test_the_last_consonant_of_the_word_before_does_not_make_an_um_hmm() -> None:
    # "...a lot. Um": the word's unvoiced "t", a short gap, then a vowel closing on a murmur.
    burst = 0.3 * np.random.default_rng(4).standard_normal(round(0.06 * RATE))
    samples = _answer(
        _syllables(1.6), burst, _silence(0.04), _voiced(0.3, _ER), _murmur(0.2), _silence(0.3)
    )
    assert [sound.type for sound in held_sounds(samples)] == ["um"]


def _spoken_around_a_held_vowel(seconds: float = 0.5) -> tuple[np.ndarray, tuple[float, float]]:
    samples = _answer(
        _silence(0.3), _syllables(0.96), _voiced(seconds, _UH), _syllables(0.96), _silence(0.3)
    )
    return samples, (1.26, 1.26 + seconds)


def _heard(samples: np.ndarray) -> np.ndarray:
    """A VAD that hears a voice in every 10 ms frame (these tests are about the words)."""
    return np.ones(len(samples) // round(RATE * FRAME_S), dtype=np.float32)


def test_a_held_sound_between_words_is_an_audio_filler() -> None:
    samples, (start, end) = _spoken_around_a_held_vowel()
    words = [Word("we", 0.3, 1.26), Word("shipped", 1.76, 2.72)]
    [event] = find_hesitations(samples, words, voice=_heard(samples))
    assert event.source == AUDIO and event.type == "uh" and event.counted
    assert event.start == pytest.approx(start, abs=0.08)
    assert event.end == pytest.approx(end, abs=0.08)
    assert event.words == ()


def test_a_held_sound_the_vad_does_not_hear_as_a_voice_is_no_filler() -> None:
    samples, _ = _spoken_around_a_held_vowel()
    words = [Word("we", 0.3, 1.26), Word("shipped", 1.76, 2.72)]
    assert find_hesitations(samples, words, voice=0.3 * _heard(samples)) == []
    assert len(find_hesitations(samples, words, voice=0.6 * _heard(samples))) == 1


@pytest.mark.parametrize("probability", [0.2, 0.9])
def test_a_word_written_over_a_held_sound_explains_it(probability: float) -> None:
    samples, _ = _spoken_around_a_held_vowel()
    # The word drawn out, or Whisper stretching it: sure of it or not, a word is written there.
    stretched = [Word("we", 0.3, 1.76, probability), Word("shipped", 1.76, 2.72)]
    assert find_hesitations(samples, stretched, voice=_heard(samples)) == []


def test_a_held_sound_that_a_word_needs_is_that_word() -> None:
    samples, (start, end) = _spoken_around_a_held_vowel(0.3)
    # A drawn-out "so": the word has no time left for a filler of its own.
    words = [Word("we", 0.3, 1.2), Word("so", start - 0.02, end + 0.02), Word("go", 1.85, 2.72)]
    assert find_hesitations(samples, words, voice=_heard(samples)) == []


def test_a_yeah_written_over_a_held_sound_is_that_sound() -> None:
    samples, (start, end) = _spoken_around_a_held_vowel(0.3)
    for text, heard in (("Yeah,", ["uh"]), ("Yes,", [])):
        words = [
            Word("we", 0.3, 1.2),
            Word(text, start - 0.02, end + 0.02, 0.9),
            Word("go", 1.85, 2.72),
        ]
        found = find_hesitations(samples, words, voice=_heard(samples))
        assert [event.type for event in found] == heard, text


def test_a_sure_yeah_over_a_held_sound_leaves_it_between_the_words() -> None:
    samples, (start, end) = _spoken_around_a_held_vowel(0.3)
    # Whisper was sure of its "Yeah," and ran the word before into the sound: still one "uh",
    # with the room of a sound between words.
    words = [
        Word("we", start - 0.1, start + 0.12, 0.99),
        Word("Yeah,", start + 0.12, end + 0.02, 0.95),
        Word("go", 1.85, 2.72),
    ]
    [event] = find_hesitations(samples, words, voice=_heard(samples))
    assert event.type == "uh" and event.counted
    said = [words[0], Word("yes,", start + 0.12, end + 0.02, 0.95), words[2]]
    assert find_hesitations(samples, said, voice=_heard(samples)) == []


def test_a_long_hum_under_a_word_is_the_words() -> None:
    start, end = 1.26, 1.86
    samples = _answer(
        _silence(0.3),
        _syllables(0.96),
        _voiced(0.4, _ER),
        _murmur(0.2),
        _syllables(0.96),
        _silence(0.3),
    )
    # Whisper wrote "but" over 0.6 s of hum, doubting it or not: asked for verbatim text, it
    # writes the hesitations it hears, so what it wrote a word for is not counted again.
    for probability in (0.2, 0.9):
        words = [
            Word("we", 0.3, start),
            Word("but", start, end + 0.1, probability),
            Word("go", 2.0, 2.8),
        ]
        assert find_hesitations(samples, words, voice=_heard(samples)) == []


def test_a_word_drawn_out_on_its_vowel_is_the_word() -> None:
    samples, (start, end) = _spoken_around_a_held_vowel(0.6)
    # "theee": a sure short word over a long open vowel, no hum: a slow word, not an "uh".
    words = [Word("we", 0.3, start), Word("the", start, end + 0.1, 0.9), Word("go", 2.0, 2.8)]
    assert find_hesitations(samples, words, voice=_heard(samples)) == []


def test_a_hesitation_the_transcript_has_is_not_counted_twice() -> None:
    samples, (start, end) = _spoken_around_a_held_vowel()
    words = [Word("we", 0.3, 1.2), Word("uh,", start, end), Word("shipped", 1.76, 2.72)]
    lexical = [FillerEvent("uh", start, end, TRANSCRIPT, 0.95, (1,))]
    assert find_hesitations(samples, words, lexical, voice=_heard(samples)) == []
    heard = FillerEvent("um", start + 0.05, end, AUDIO, 0.8)
    assert merge_fillers(lexical, [heard]) == lexical
    later = FillerEvent("uh", 3.0, 3.4, AUDIO, 0.8)
    assert merge_fillers(lexical, [later]) == [*lexical, later]


def test_a_second_held_sound_where_whisper_wrote_one_hesitation_is_part_of_it() -> None:
    samples = _answer(
        _silence(0.3),
        _syllables(0.96),
        _voiced(0.4, _UH),
        _silence(0.2),
        _voiced(0.4, _UH),
        _syllables(0.96),
        _silence(0.3),
    )
    sounds = held_sounds(samples)
    assert len(sounds) == 2
    first = sounds[0]
    words = [Word("we", 0.3, 1.26), Word("uh,", first.start, first.end), Word("go", 2.26, 3.2)]
    lexical = [FillerEvent("uh", first.start, first.end, TRANSCRIPT, 0.95, (1,))]
    # Whisper heard the stretch and wrote its hesitation: the other held sound is part of it.
    assert find_hesitations(samples, words, lexical, voice=_heard(samples)) == []
    # Without the written "uh", both sounds are heard.
    bare = [words[0], words[2]]
    assert len(find_hesitations(samples, bare, voice=_heard(samples))) == 2


def test_a_hesitation_written_after_its_sound_is_that_sound_timed_by_the_audio() -> None:
    samples, (start, end) = _spoken_around_a_held_vowel()
    # Whisper wrote the "uh" it first dropped just before the next word, 0.4 s late.
    words = [Word("we", 0.3, 1.2), Word("uh,", end + 0.4, end + 0.42), Word("go", 2.2, 2.72)]
    lexical = [FillerEvent("uh", end + 0.4, end + 0.42, TRANSCRIPT, 0.95, (1,))]
    [moved] = find_hesitations(samples, words, lexical, voice=_heard(samples))
    assert moved.source == TRANSCRIPT and moved.words == (1,) and moved.type == "uh"
    assert moved.start == pytest.approx(start, abs=0.08)
    assert moved.end == pytest.approx(end, abs=0.08)
    assert merge_fillers(lexical, [moved]) == [moved]


def test_a_word_between_keeps_a_late_hesitation_apart_from_the_sound() -> None:
    samples, (_start, end) = _spoken_around_a_held_vowel()
    words = [Word("we", 0.3, 1.2), Word("shipped", end, end + 0.3), Word("uh,", 2.3, 2.32)]
    lexical = [FillerEvent("uh", 2.3, 2.32, TRANSCRIPT, 0.95, (2,))]
    [heard] = find_hesitations(samples, words, lexical, voice=_heard(samples))
    assert heard.source == AUDIO
    assert merge_fillers(lexical, [heard]) == [heard, *lexical]


def test_the_sound_types_an_uh_that_whisper_wrote_for_an_open_vowel() -> None:
    samples = _answer(
        _syllables(2.4), _silence(0.4), _voiced(0.45, _AH), _silence(0.4), _syllables(2.4)
    )
    sound = held_sounds(samples)[0]
    assert sound.type == "ah"
    words = [Word("we", 0.0, 2.4), Word("uh,", sound.start, sound.end), Word("go", 3.6, 6.0)]
    lexical = [FillerEvent("uh", sound.start, sound.end, TRANSCRIPT, 0.95, (1,))]
    [retyped] = find_hesitations(samples, words, lexical, voice=_heard(samples))
    assert (retyped.type, retyped.source, retyped.words) == ("ah", TRANSCRIPT, (1,))
    assert [event.type for event in merge_fillers(lexical, [retyped])] == ["ah"]


_HESITANT = "So {um} I led the migration, and {uh} it went well. Then we {um} moved the rest."
_FLUENT = "I led the migration last spring, and it went well. Then we moved the rest of it."


@pytest.mark.parametrize("voice", ["espeak-us", "joe"])
def test_whisper_dropped_hesitations_are_heard(
    voice: str, tmp_path: Path, transcriber: Transcriber
) -> None:
    from benchmarks.accuracy import synthesize
    from practice.analysis.answer import analyze_file

    truth = synthesize(_HESITANT, voice, tmp_path / "hesitant.wav")
    report = analyze_file(tmp_path / "hesitant.wav", transcriber)
    found = [event for event in report.counted_fillers if event.type in ("um", "uh")]
    for true in truth.fillers:
        assert any(
            event.type == true.type
            and event.start < true.end + 0.3
            and true.start < event.end + 0.3
            for event in found
        ), f"{true.type} at {true.start:.2f} s not found in {found}"
    assert len(found) == len(truth.fillers)

    fluent = synthesize(_FLUENT, voice, tmp_path / "fluent.wav")
    assert not fluent.fillers
    report = analyze_file(tmp_path / "fluent.wav", transcriber)
    assert [event for event in report.fillers if event.source == AUDIO] == []


def _run_of_uhs(sounds: int) -> tuple[np.ndarray, float, float]:
    """A word, ``sounds`` held "uh"s 0.3 s each with 0.25 s of silence between, and a word; the
    run's start and end."""
    held: list[np.ndarray] = []
    for _ in range(sounds):
        held += [_voiced(0.3, _UH), _silence(0.25)]
    samples = _answer(_silence(0.3), _syllables(0.96), _silence(0.2), *held, _syllables(0.96))
    start = 1.46
    return samples, start, start + 0.55 * sounds


def _looped(start: float, end: float, count: int) -> tuple[list[Word], list[FillerEvent]]:
    """Whisper's loop: ``count`` "uh," tokens over the run, all but the first two with no
    length, crowded at its end."""
    times = [(start, start + 0.25), (start + 0.6, start + 0.8)]
    times += [(end - 0.1, end - 0.1)] * (count - 2)
    words = [Word("we", 0.3, 1.26), *(Word("uh,", a, b) for a, b in times)]
    words.append(Word("shipped", end, end + 0.96))
    events = [FillerEvent("uh", a, b, TRANSCRIPT, 0.95, (i,)) for i, (a, b) in enumerate(times, 1)]
    return words, events


@pytest.mark.parametrize(("sounds", "written", "kept"), [(3, 5, 3), (1, 4, 1), (4, 4, 4)])
def test_a_run_of_written_hesitations_counts_only_the_sounds_in_its_stretch(
    sounds: int, written: int, kept: int
) -> None:
    samples, start, end = _run_of_uhs(sounds)
    words, events = _looped(start, end, written)
    signal = measure(samples)
    threshold = detect_activity(signal, 0.25).threshold_db
    result = supported_runs(events, words, signal, threshold)
    assert len(result) == kept
    assert result[0] == events[0]  # the ones Whisper gave a length are kept first
