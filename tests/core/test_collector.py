"""The garbage collector's thresholds while a run does its bookkeeping."""

from __future__ import annotations

import gc

import pytest

from evalkit.core.collector import YOUNG, fewer_collections


def test_the_young_generation_holds_more_inside_and_as_before_after() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        inside = gc.get_threshold()
    assert inside == (max(YOUNG, before[0]), *before[1:])
    assert gc.get_threshold() == before


def test_the_thresholds_come_back_when_the_bookkeeping_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("planning failed")
    assert gc.get_threshold() == before


def test_cycles_made_inside_are_still_collected() -> None:
    collected = []
    gc.callbacks.append(lambda phase, info: collected.append(info["collected"]))
    try:
        with fewer_collections():
            for _ in range(3 * YOUNG):
                node: list[object] = []
                node.append(node)  # garbage only a collection frees
    finally:
        gc.callbacks.pop()
    assert sum(collected) >= YOUNG
