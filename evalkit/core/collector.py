"""The garbage collector while a run does its bookkeeping over many reports.

Planning and the index build many small objects that live as long as the run (a job, its
params, its run record, per report). With Python's default thresholds every 700 new objects
start a young collection, every tenth of those a middle one, and the full collections they
lead to walk every object alive, the run's own included: their count and their size both
grow with the number of reports, so a run with nothing to render cost more than twice as
much per doubling of its params files. With :func:`fewer_collections` the young generation
holds :data:`YOUNG` objects before it is collected: garbage in cycles is still found at
regular intervals (memory stays bounded), and the full collections become rare.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: New objects between two young collections during bookkeeping (Python's default: 700).
YOUNG = 50_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect the young generation every :data:`YOUNG` objects inside, as before after."""
    before = gc.get_threshold()
    gc.set_threshold(max(YOUNG, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
