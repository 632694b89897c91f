"""When Python's cyclic garbage collector may stop the studio.

A full collection (the oldest generation) walks every object the interpreter tracks while it
holds the GIL, so the event loop waits for it. In the studio, Textual, the studio's modules, the
speech model's wrapper and the coaching's dictionaries are about 60,000 such objects, and a full
pass over them took 40-70 ms of CPU (100-300 ms of wall time on a loaded machine): the longest
event-loop stalls while an answer was recorded and analysed (benchmarks/README.md, "The event
loop while an answer is recorded").

- :func:`freeze_startup`, as the studio opens, moves everything made so far (Textual's and the
  studio's modules, classes and functions, the app) out of the collector's sight for good
  (``gc.freeze``): it lasts as long as the studio (a full pass just before found nothing to
  free among its 40,000 objects), and no later pass walks it.
- :func:`hold_full` while an answer is recorded and analysed keeps the collector to its two young
  generations (a millisecond or so each, which free the short-lived cycles), and
  :func:`allow_full` lets the full passes run again (the next one comes within moments, when
  nothing is being recorded). Both may be called any number of times.
"""

from __future__ import annotations

import gc

_NEVER = 2**30
"""A count of young collections that the oldest generation's never reaches."""


class _State:
    held: tuple[int, int, int] | None = None
    """The thresholds to go back to while full collections are held, else None."""


_state = _State()


def freeze_startup() -> None:
    """Leave everything tracked so far out of every later collection."""
    gc.freeze()


def hold_full() -> None:
    """No full collection from now until :func:`allow_full`."""
    if _state.held is None:
        _state.held = gc.get_threshold()
        young, middle, _oldest = _state.held
        gc.set_threshold(young, middle, _NEVER)


def allow_full() -> None:
    """Full collections run again, as before :func:`hold_full`."""
    if _state.held is not None:
        gc.set_threshold(*_state.held)
        _state.held = None


def holding() -> bool:
    """Whether full collections are held."""
    return _state.held is not None
