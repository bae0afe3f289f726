"""The lines of a CSV file, decoded as they are read: the encoding decided once per file,
from the first line that is not plain ASCII, and every line bounded in length.

A file is UTF-8 (with or without a byte-order mark), UTF-16 with its byte-order mark, or
TIS-620 (read as cp874, its superset) as a whole. Until a line holds a byte beyond ASCII,
either would read it alike; the first such line decides. A line that disagrees with it later
(one pasted from an old TIS-620 file into a UTF-8 one, or the reverse) is refused where it
is, never re-decoded in another encoding, and so is a NUL character. A line longer than
:data:`MAX_LINE_BYTES` is refused before it is held whole, so one enormous line costs no more
than that. Problems are :class:`CSVProblem` raised from the line where they are found, while
the reader of the records knows the row the line belongs to.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from typing import IO

from evalkit.core.i18n import Message, msg

#: Encodings a sheet may be named with; TIS-620 files are read as cp874, its superset.
ENCODINGS = {
    "utf-8": "utf-8-sig",
    "utf-8-sig": "utf-8-sig",
    "utf-16": "utf-16",
    "tis-620": "cp874",
    "tis620": "cp874",
    "cp874": "cp874",
    "windows-874": "cp874",
}
ENCODING_EXPECTED = msg("a CSV in UTF-8, UTF-16 or TIS-620")
#: Largest CSV read: the bytes of a million rows of a band sheet with Thai names, and more.
MAX_CSV_BYTES = 256 * 2**20
#: Longest line: a row of many long comments fits many times over.
MAX_LINE_BYTES = 4 * 2**20
#: Encodings in which a line break is not the byte 0x0a alone: decoded as text, not by line.
_WIDE = ("utf-16", "utf-32")
_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


class CSVProblem(ValueError):
    """A CSV that cannot be read as well-formed rows; ``line`` is the row (0 for the whole
    file) once the reader of the records has set it."""

    def __init__(
        self, line: int, found: Message, expected: Message, hint: Message | str = ""
    ) -> None:
        super().__init__(str(found))
        self.line, self.found, self.expected, self.hint = line, found, expected, hint


_RESAVE = msg("Name the right --encoding, or save the file again as CSV UTF-8.")


def _not_in(encoding: str, data: bytes, start: int, line: int) -> CSVProblem:
    return CSVProblem(
        0,
        msg(
            "text that is not {encoding} (byte {byte} on line {line})",
            encoding=encoding,
            byte=f"0x{data[start]:02x}",
            line=line,
        ),
        ENCODING_EXPECTED,
        _RESAVE,
    )


def _mixed(line: int, byte: int, other: int) -> CSVProblem:
    return CSVProblem(
        0,
        msg(
            "line {line} in another encoding than UTF-8 (byte {byte}), while line {other} is UTF-8",
            line=line,
            byte=f"0x{byte:02x}",
            other=other,
        ),
        msg("one encoding for the whole file"),
        msg(
            "A line was pasted from an older (TIS-620) file: retype it, or save the whole "
            "file again as CSV UTF-8."
        ),
    )


def _too_long(line: int) -> CSVProblem:
    return CSVProblem(
        0,
        msg(
            "a line of more than {limit} MB, from line {line} of the file",
            limit=MAX_LINE_BYTES // 2**20,
            line=line,
        ),
        msg("a CSV within evalkit's limits"),
        msg("Split the file into several CSV files, or shorten the values of that row."),
    )


def _checked(text: str, line: int) -> Iterator[str]:
    """A decoded line without NUL characters, split where a lone carriage return ends it."""
    if "\x00" in text:
        raise CSVProblem(
            0,
            msg("a NUL character on line {line}", line=line),
            msg("a text CSV in UTF-8, UTF-16 or TIS-620"),
            msg(
                "The file may be UTF-16 without its byte-order mark, or not a CSV: save it "
                "again as CSV UTF-8."
            ),
        )
    if "\r" in text[:-2]:
        yield from _LONE_CR.split(text)
    else:
        yield text


class _Guess:
    """The encoding of a file not named: UTF-8 or TIS-620, decided by the first line beyond
    ASCII and held to for every line after it."""

    def __init__(self) -> None:
        self.codec = ""  # "" undecided, "utf-8" or "cp874"
        self.decided_on = 0  # the line that decided
        self.byte = 0  # for TIS-620: the first byte of that line that is not UTF-8

    def decode(self, data: bytes, line: int) -> str:
        if data.isascii():
            return data.decode("ascii")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if self.codec == "utf-8":
                raise _mixed(line, data[exc.start], self.decided_on) from None
            if self.codec == "":
                self.codec, self.decided_on, self.byte = "cp874", line, data[exc.start]
            try:
                return data.decode("cp874")
            except UnicodeDecodeError as wrong:
                raise _not_in("UTF-8 or TIS-620", data, wrong.start, line) from None
        if self.codec == "cp874":
            raise _mixed(self.decided_on, self.byte, line)
        if self.codec == "":
            self.codec, self.decided_on = "utf-8", line
        return text


def _byte_lines(handle: IO[bytes], codec: str | None, name: str) -> Iterator[str]:
    """Lines of a file whose line break is the byte 0x0a: each read alone, within bounds."""
    guess = _Guess() if codec is None else None
    decoder = codecs.getincrementaldecoder(codec or "utf-8")()
    number = 0
    read = 0
    while data := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        read += len(data)
        if len(data) > MAX_LINE_BYTES:
            raise _too_long(number)
        if read > MAX_CSV_BYTES:
            raise CSVProblem(
                0,
                msg("a CSV of more than {limit} MB", limit=MAX_CSV_BYTES // 2**20),
                msg("at most {limit} MB", limit=MAX_CSV_BYTES // 2**20),
            )
        if number == 1 and guess is not None and data.startswith(codecs.BOM_UTF8):
            data, guess = data[3:], None
        try:
            text = guess.decode(data, number) if guess else decoder.decode(data)
        except UnicodeDecodeError as exc:
            raise _not_in(name, data, min(exc.start, len(data) - 1), number) from None
        yield from _checked(text, number)


def _wide_lines(handle: IO[bytes], codec: str, name: str) -> Iterator[str]:
    """Lines of a UTF-16 file, decoded as text (its line break is two bytes)."""
    text = io.TextIOWrapper(handle, encoding=codec, newline="")
    number = 0
    while True:
        try:
            line = text.readline(MAX_LINE_BYTES // 2 + 1)
        except UnicodeDecodeError as exc:
            raise _not_in(name, exc.object, exc.start, number + 1) from None
        except UnicodeError as exc:  # a decoder's own complaint, such as a missing mark
            found = msg("text that is not {encoding} ({error})", encoding=name, error=str(exc))
            raise CSVProblem(0, found, ENCODING_EXPECTED, _RESAVE) from None
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES // 2:
            raise _too_long(number)
        yield from _checked(line, number)


def lines(handle: io.BufferedReader, encoding: str | None = None) -> Iterator[str]:
    """The lines of a CSV file, each with its line break: in ``encoding`` when named, else
    detected (:class:`CSVProblem` at the line that breaks)."""
    codec = None
    if encoding:
        codec = ENCODINGS.get(encoding.lower(), encoding)
        try:
            codec = codecs.lookup(codec).name
        except LookupError:
            raise CSVProblem(
                0,
                msg("an unknown encoding {encoding}", encoding=repr(encoding)),
                msg("utf-8, utf-16 or tis-620"),
            ) from None
    elif handle.peek(2)[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        codec = "utf-16"
    name = encoding or ("UTF-16" if codec else "UTF-8 or TIS-620")
    if codec and codec.replace("_", "-").startswith(_WIDE):
        if codec.replace("_", "-") in _WIDE and not handle.peek(4).startswith(_BOMS):
            codec += "-le"  # named without its byte-order mark: read as Windows writes it
        return _wide_lines(handle, codec, name)
    return _byte_lines(handle, codec, name)
