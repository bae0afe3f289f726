"""Sarabun for the pages, subset to the characters they use and kept on disk once made.

Subsetting a weight with fontTools costs about half a second of processor time, and every
process that makes a page needs both weights (each worker of a run, the run itself for the
index, every pdf or feedback command). The subset fonts are therefore cached in the user's
cache folder (``platformdirs.user_cache_dir("evalkit")``, or ``$EVALKIT_CACHE_DIR``), under
``fonts/``, named by a digest of everything that decides their bytes: the font file itself,
fontTools' version, the characters kept and the subsetting options. A new Sarabun or fontTools
thus gets new files, never a stale one.

The cache can only save time: a folder that cannot be written, a file that is damaged,
truncated or not one of ours is ignored, the font is subset in memory as before, and the page
comes out the same. A cached file carries the SHA-256 of its font, checked on every read.
"""

from __future__ import annotations

import hashlib
import io
import os
from contextlib import suppress
from pathlib import Path

import fontpkg_sarabun
import fontTools
from platformdirs import user_cache_dir

from evalkit.core.files import atomic_path

#: Characters kept in the embedded font: Basic Latin, Latin-1, Thai, general punctuation.
FONT_UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x100),
    *range(0x0E00, 0x0E80),
    *range(0x2000, 0x2070),
    0x20AC,
    0x2212,
    0x25CC,
]
#: The subsetting options (fontTools.subset.Options attributes); part of the cache key.
OPTIONS = {"flavor": "woff", "layout_features": ["*"]}
CACHE_ENV = "EVALKIT_CACHE_DIR"
#: First line of a cached file; the second is the SHA-256 of the font that follows.
MAGIC = b"evalkit subset font 1\n"


def cache_folder() -> Path:
    """Where evalkit keeps what it can make again: ``$EVALKIT_CACHE_DIR`` or the user's."""
    return Path(os.environ.get(CACHE_ENV) or user_cache_dir("evalkit", appauthor=False))


def font_file(weight: str) -> Path:
    return Path(fontpkg_sarabun.ROOT) / "files" / f"Sarabun-{weight}.ttf"


def subset_font(source: bytes) -> bytes:
    """``source`` (a TrueType font) as a WOFF of :data:`FONT_UNICODES`, with every feature."""
    from fontTools import subset  # loaded only when a font has to be made

    options = subset.Options()
    for name, value in OPTIONS.items():
        setattr(options, name, value)
    font = subset.load_font(io.BytesIO(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=FONT_UNICODES)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    font.close()
    return buffer.getvalue()


def cache_key(source: bytes) -> str:
    """A digest of everything that decides the subset's bytes."""
    digest = hashlib.sha256(source)
    for part in (fontTools.version, repr(FONT_UNICODES), repr(sorted(OPTIONS.items()))):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()[:32]


def _read_cached(path: Path) -> bytes | None:
    """The font in a cached file, or None when there is none or it is not intact."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, _, rest = data.partition(b"\n")
    digest, font = rest[:64], rest[65:]
    if head + b"\n" != MAGIC or rest[64:65] != b"\n" or not font.startswith(b"wOFF"):
        return None
    return font if hashlib.sha256(font).hexdigest().encode() == digest else None


def _write_cached(path: Path, font: bytes) -> None:
    """Keep ``font`` for the next process; a cache that cannot be written is left alone."""
    with suppress(OSError), atomic_path(path) as tmp:
        tmp.write_bytes(MAGIC + hashlib.sha256(font).hexdigest().encode() + b"\n" + font)


def sarabun_woff(weight: str) -> bytes:
    """Sarabun ``weight`` ("Regular", "Bold") subset for the pages: from the cache when an
    intact copy is there, else made now and cached."""
    source = font_file(weight).read_bytes()
    path = cache_folder() / "fonts" / f"sarabun-{weight.lower()}-{cache_key(source)}.woff.cache"
    font = _read_cached(path)
    if font is None:
        font = subset_font(source)
        _write_cached(path, font)
    return font
