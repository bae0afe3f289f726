"""A clear answer to every bad path: each command checks the paths it is given before it
reads or writes anything, and :func:`describe` turns any error the operating system still
raises (a read-only folder, a full disk) into one sentence.

Every check raises :class:`PathError` (exit 1, bad input) with one sentence naming the path,
what it is, and what was expected.
"""

from __future__ import annotations

import argparse
import errno
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import msg


class PathError(EvalkitError):
    """A path given to a command that cannot be used as given."""


def existing_file(path: str | Path, what: str) -> Path:
    """``path`` when it is an existing file; else PathError."""
    path = Path(path)
    if path.is_dir():
        raise PathError(f"The {what} {path} is a folder; name a file.")
    if not path.is_file():
        raise PathError(f"The {what} {path} does not exist.")
    return path


def existing_folder(path: str | Path, what: str) -> Path:
    """``path`` when it is an existing folder; else PathError."""
    path = Path(path)
    if path.is_file():
        raise PathError(f"The {what} {path} is a file; name a folder.")
    if not path.is_dir():
        raise PathError(f"The {what} {path} does not exist.")
    return path


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _writable_parent(path: Path, what: str) -> None:
    parent = Path(os.path.abspath(path)).parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise PathError(f"Cannot write the {what} {path}: {parent} is a file, not a folder.")
    if not os.access(parent, os.W_OK):
        raise PathError(f"Cannot write the {what} {path}: the folder {parent} is read-only.")


def output_file(
    path: str | Path, what: str, inputs: Iterable[str | Path] = (), suffixes: tuple[str, ...] = ()
) -> Path:
    """``path`` when a file can be written there without replacing an input; else PathError."""
    path = Path(path)
    if path.is_dir():
        raise PathError(f"The {what} {path} is a folder; name a file.")
    if suffixes and path.suffix.lower() not in suffixes:
        raise PathError(f"The {what} {path} must end in {' or '.join(suffixes)}.")
    for given in inputs:
        if _same(path, Path(given)):
            raise PathError(
                f"The {what} {path} is also one of the inputs; name another file, so that "
                "the input is not overwritten."
            )
    _writable_parent(path, what)
    if path.exists() and not os.access(path, os.W_OK):
        raise PathError(f"Cannot write the {what} {path}: the file is read-only.")
    return path


def output_folder(path: str | Path, what: str, inputs: Iterable[str | Path] = ()) -> Path:
    """``path`` when it is, or can become, a writable folder holding no input; else PathError."""
    path = Path(path)
    if path.is_file():
        raise PathError(f"The {what} {path} is a file; name a folder.")
    for given in inputs:
        if _same(path, Path(given)):
            raise PathError(f"The {what} {path} is also one of the inputs; name another folder.")
    if path.is_dir():
        if not os.access(path, os.W_OK):
            raise PathError(f"Cannot write into the {what} {path}: it is read-only.")
    else:
        _writable_parent(path, what)
    return path


#: What the system says when a file does not fit: the disk or the user's quota is full, or
#: the file is larger than the system lets this process write.
NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def no_room(exc: OSError) -> bool:
    """True when ``exc`` says that a file did not fit where it was written."""
    return exc.errno in NO_ROOM


def describe(exc: OSError) -> str:
    """An error of the operating system as one sentence."""
    where = f" {exc.filename}" if exc.filename else ""
    if no_room(exc):
        if exc.filename:
            text = "The disk is full (writing {file}); free some space and run again."
            return str(msg(text, file=exc.filename))
        return str(msg("The disk is full; free some space and run again."))
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Permission denied for{where or ' a file'}: {exc.strerror}."
    if exc.errno == errno.EISDIR:
        return f"{where.strip() or 'A path'} is a folder where a file was expected."
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return f"{where.strip() or 'A path'} runs through a file where a folder was expected."
    return f"Cannot use{where or ' a file'}: {exc.strerror or exc}."


def count(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, found {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected {minimum} or more, found {value}")
        return value

    return parse


def seconds(text: str) -> float:
    """An argparse type: a number of seconds, 0 or more and finite."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, found {text!r}") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected 0 or more seconds, found {text}")
    return value
