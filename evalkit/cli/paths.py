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
from evalkit.core.i18n import Message, joined, msg


class PathError(EvalkitError):
    """A path given to a command that cannot be used as given."""


def existing_file(path: str | Path, what: Message) -> Path:
    """``path`` when it is an existing file; else PathError."""
    path = Path(path)
    if path.is_dir():
        raise PathError(msg("The {what} {path} is a folder; name a file.", what=what, path=path))
    if not path.is_file():
        raise PathError(msg("The {what} {path} does not exist.", what=what, path=path))
    return path


def existing_folder(path: str | Path, what: Message) -> Path:
    """``path`` when it is an existing folder; else PathError."""
    path = Path(path)
    if path.is_file():
        raise PathError(msg("The {what} {path} is a file; name a folder.", what=what, path=path))
    if not path.is_dir():
        raise PathError(msg("The {what} {path} does not exist.", what=what, path=path))
    return path


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _writable_parent(path: Path, what: Message) -> None:
    parent = Path(os.path.abspath(path)).parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise PathError(
            msg(
                "Cannot write the {what} {path}: {parent} is a file, not a folder.",
                what=what,
                path=path,
                parent=parent,
            )
        )
    if not os.access(parent, os.W_OK):
        raise PathError(
            msg(
                "Cannot write the {what} {path}: the folder {parent} is read-only.",
                what=what,
                path=path,
                parent=parent,
            )
        )


def output_file(
    path: str | Path,
    what: Message,
    inputs: Iterable[str | Path] = (),
    suffixes: tuple[str, ...] = (),
) -> Path:
    """``path`` when a file can be written there without replacing an input; else PathError."""
    path = Path(path)
    if path.is_dir():
        raise PathError(msg("The {what} {path} is a folder; name a file.", what=what, path=path))
    if suffixes and path.suffix.lower() not in suffixes:
        ending = joined(suffixes, msg("{first} or {second}"))
        raise PathError(
            msg("The {what} {path} must end in {ending}.", what=what, path=path, ending=ending)
        )
    for given in inputs:
        if _same(path, Path(given)):
            raise PathError(
                msg(
                    "The {what} {path} is also one of the inputs; name another file, so that "
                    "the input is not overwritten.",
                    what=what,
                    path=path,
                )
            )
    _writable_parent(path, what)
    if path.exists() and not os.access(path, os.W_OK):
        raise PathError(
            msg("Cannot write the {what} {path}: the file is read-only.", what=what, path=path)
        )
    return path


def output_folder(path: str | Path, what: Message, inputs: Iterable[str | Path] = ()) -> Path:
    """``path`` when it is, or can become, a writable folder holding no input; else PathError."""
    path = Path(path)
    if path.is_file():
        raise PathError(msg("The {what} {path} is a file; name a folder.", what=what, path=path))
    for given in inputs:
        if _same(path, Path(given)):
            raise PathError(
                msg(
                    "The {what} {path} is also one of the inputs; name another folder.",
                    what=what,
                    path=path,
                )
            )
    if path.is_dir():
        if not os.access(path, os.W_OK):
            raise PathError(
                msg("Cannot write into the {what} {path}: it is read-only.", what=what, path=path)
            )
    else:
        _writable_parent(path, what)
    return path


def describe(exc: OSError, path: str | Path | None = None) -> Message:
    """An error of the operating system as one sentence, naming ``path`` (default: the file
    the error names)."""
    where = str(path if path is not None else exc.filename or "")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        if not where:
            return msg("The disk is full; free some space and run again.")
        return msg("The disk is full (writing {file}); free some space and run again.", file=where)
    if exc.errno == errno.EFBIG:
        return msg(
            "{file} has reached the largest file size this system allows; free some space or "
            "raise the limit, and run again.",
            file=where,
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return msg("Permission denied for {file}: it cannot be written here.", file=where)
    if exc.errno == errno.EISDIR:
        return msg("{file} is a folder where a file was expected.", file=where)
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return msg("{file} runs through a file where a folder was expected.", file=where)
    return msg("Cannot use {file}: {reason}.", file=where, reason=exc.strerror or str(exc))


def count(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum`` (and at most ``maximum``)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                msg("expected a whole number, found {text}", text=repr(text))
            ) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(
                msg("expected {minimum} or more, found {value}", minimum=minimum, value=value)
            )
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(
                msg("expected {maximum} or less, found {value}", maximum=maximum, value=value)
            )
        return value

    return parse


def seconds(text: str) -> float:
    """An argparse type: a number of seconds, 0 or more and finite."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            msg("expected a number of seconds, found {text}", text=repr(text))
        ) from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(msg("expected 0 or more seconds, found {text}", text=text))
    return value
