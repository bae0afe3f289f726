"""The bundled sample's data: its agencies and units, places and households, and what its
assessors and committee write (``*.yaml`` beside this module). The generators
(:mod:`evalkit.exports.sample` and its companions) keep only the logic and read these once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def sample_data(name: str) -> dict[str, Any]:
    """The sample's data file ``name``.yaml, read once."""
    source = resources.files(__name__) / f"{name}.yaml"
    loaded: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
    return loaded
