"""Fixtures; shared builders and paths live in :mod:`helpers`."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import GOLDEN

from evalkit import Registry


@pytest.fixture(autouse=True, scope="session")
def cache_folder(tmp_path_factory):
    """One cache folder for the session (subset fonts), inherited by every process the tests
    start, so that no test reads or fills the user's own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EVALKIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """Messages in English whatever the machine's locale; Thai tests ask for Thai."""
    monkeypatch.setenv("EVALKIT_LANG", "en")


@pytest.fixture
def registry() -> Registry:
    """Packaged frameworks plus the hand-checked test framework ``golden-mini``."""
    return Registry([GOLDEN / "frameworks"])


@pytest.fixture
def write_sheet(tmp_path: Path):
    """Write text to a sheet file under tmp_path and return its path."""

    def write(text: str, name: str = "sheet.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write
