"""When Python's cyclic garbage collector may stop the studio.

A full collection (the oldest generation) walks every object the interpreter tracks while it
holds the GIL, so the event loop waits for it. In the studio, Textual, the studio's modules, the
speech model's wrapper and the coaching's dictionaries are about 60,000 such objects, and a full
pass over them took 40-70 ms of CPU (100-300 ms of wall time on a loaded machine): the longest
event-loop stalls while an answer was recorded and analysed (benchmarks/README.md, "The event
loop while an answer is recorded").

- At start (``practice`` opening the studio): :func:`hold_until_drawn` turns the collector off
  while Textual and the studio are imported and Home is made and drawn (it ran about 130 young
  passes then, 15-30 ms of CPU, and found little: what is made then is nearly all kept);
  :func:`freeze_startup`, as the app starts, moves everything made so far (modules, classes,
  functions, the app) out of the collector's sight for good (``gc.freeze``), so no later pass
  walks it; :func:`drawn`, once the first frame is drawn, turns the collector on again.
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
    starting = False
    """Whether the collector is off until the first frame (:func:`hold_until_drawn`)."""
    held: tuple[int, int, int] | None = None
    """The thresholds to go back to while full collections are held, else None."""


_state = _State()


def hold_until_drawn() -> None:
    """No collection until :func:`drawn` (the studio is starting)."""
    if gc.isenabled():
        gc.disable()
        _state.starting = True


def freeze_startup() -> None:
    """Leave everything tracked so far out of every later collection."""
    gc.freeze()


def drawn() -> None:
    """The first frame is drawn: collections run again (if :func:`hold_until_drawn` stopped
    them)."""
    if _state.starting:
        _state.starting = False
        gc.enable()


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
