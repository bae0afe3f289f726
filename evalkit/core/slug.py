"""The ids that name files: agencies, frameworks, portfolios. Light on purpose: the planner
checks params files with it without loading the sheet forms (and pandas)."""

from __future__ import annotations

import re

from evalkit.core.i18n import msg

SAFE_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?")
SLUG_EXPECTED = msg("an id of lowercase letters, digits, '-' or '_' (e.g. trat-cdd)")


def is_safe_slug(value: str) -> bool:
    """True for ids usable as file names: lowercase letters, digits, '-' and '_', 1-64 long."""
    return SAFE_SLUG.fullmatch(value) is not None
