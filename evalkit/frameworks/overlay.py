"""Overlays: a framework file that extends another (``extends: pmqa-2562``) and states only
what differs. Mappings merge key by key; rules merge by ``id`` (an overlay rule with an
inherited id changes only the keys it names, a new id adds a rule), categories by ``key`` and
their items by ``key``; any other list is replaced whole. Each rule remembers the file that set
it, so ``evalkit frameworks show`` and the pages can say so."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Lists merged element by element, by the key that names an element.
MERGED_LISTS = {"rules": "id", "categories": "key", "items": "key"}


def _merge_list(base: list[Any], overlay: list[Any], key: str) -> list[Any]:
    merged = list(base)
    index = {e.get(key): n for n, e in enumerate(merged) if isinstance(e, Mapping)}
    for element in overlay:
        name = element.get(key) if isinstance(element, Mapping) else None
        if name in index and isinstance(merged[index[name]], Mapping):
            merged[index[name]] = merge(merged[index[name]], element)
        else:
            merged.append(element)
    return merged


def merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` changed by ``overlay``, as described in the module docstring."""
    out = dict(base)
    for key, value in overlay.items():
        old = out.get(key)
        if key in MERGED_LISTS and isinstance(old, list) and isinstance(value, list):
            out[key] = _merge_list(old, value, MERGED_LISTS[key])
        elif isinstance(old, Mapping) and isinstance(value, Mapping):
            out[key] = merge(old, value)
        else:
            out[key] = value
    return out


def overlay_data(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """The whole framework file an overlay stands for: its id, the base's content merged."""
    merged = merge(base, {k: v for k, v in overlay.items() if k != "extends"})
    merged.pop("extends", None)
    return merged


def rule_ids(overlay: Mapping[str, Any]) -> set[str]:
    """The ids of the rules an overlay sets or changes."""
    return {str(r.get("id")) for r in overlay.get("rules") or [] if isinstance(r, Mapping)}
