"""CSV files: the encoding decided once per file, and records parsed strictly and checked
against their header.

A file is UTF-8 (with or without a byte-order mark), UTF-16 with its byte-order mark, or
TIS-620 (read as cp874, its superset) as a whole. A file whose lines disagree (one line
pasted from an old TIS-620 file into a UTF-8 one) is refused at the first line that differs,
never re-decoded as a whole in another encoding. Records are parsed with the csv module's
strict mode, so a quote that is never closed, or text after a closing quote, stops reading at
the record where it happens instead of swallowing the rows after it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from evalkit.core.errors import Problem
from evalkit.core.i18n import Message, msg
from evalkit.sheets.cells import clean_text

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
#: Largest CSV read: far above any score sheet, and a bound on memory.
MAX_CSV_BYTES = 64 * 2**20


class CSVProblem(ValueError):
    """A CSV that cannot be read as well-formed rows; ``line`` is 0 for the whole file."""

    def __init__(
        self, line: int, found: Message, expected: Message, hint: Message | str = ""
    ) -> None:
        super().__init__(str(found))
        self.line, self.found, self.expected, self.hint = line, found, expected, hint


@dataclass(frozen=True, slots=True)
class Record:
    """One CSV record: its row number (as a spreadsheet shows it), the lines it spans in the
    file, and its fields."""

    row: int
    first_line: int
    last_line: int
    fields: list[str]


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise CSVProblem(
            _line_of(data, exc.start),
            msg(
                "text that is not {encoding} (byte {byte} on line {line})",
                encoding=name,
                byte=f"0x{data[exc.start]:02x}",
                line=_line_of(data, exc.start),
            ),
            ENCODING_EXPECTED,
            msg("Name the right --encoding, or save the file again as CSV UTF-8."),
        ) from None


def _guess(data: bytes) -> str:
    """UTF-8 when every line is; TIS-620 when no line is UTF-8 beyond ASCII; else refused."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = _line_of(data, exc.start)
        bad_byte = data[exc.start]
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        raise CSVProblem(
            bad_line,
            msg(
                "line {line} in another encoding than UTF-8 (byte {byte}), while line {other} "
                "is UTF-8",
                line=bad_line,
                byte=f"0x{bad_byte:02x}",
                other=number,
            ),
            msg("one encoding for the whole file"),
            msg(
                "A line was pasted from an older (TIS-620) file: retype it, or save the whole "
                "file again as CSV UTF-8."
            ),
        )
    return _strict(data, "cp874", "UTF-8 or TIS-620")


def decode(data: bytes, encoding: str | None = None) -> str:
    """Text of a CSV file: in ``encoding`` when named, else detected for the whole file."""
    if encoding:
        codec = ENCODINGS.get(encoding.lower(), encoding)
        try:
            "".encode(codec)
        except LookupError:
            raise CSVProblem(
                0,
                msg("an unknown encoding {encoding}", encoding=repr(encoding)),
                msg("utf-8, utf-16 or tis-620"),
            ) from None
        text = _strict(data, codec, encoding)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _strict(data, "utf-16", "UTF-16")
    else:
        text = _guess(data)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise CSVProblem(
            line,
            msg("a NUL character on line {line}", line=line),
            msg("a text CSV in UTF-8, UTF-16 or TIS-620"),
            msg(
                "The file may be UTF-16 without its byte-order mark, or not a CSV: save it "
                "again as CSV UTF-8."
            ),
        )
    return text


def records(text: str) -> list[Record]:
    """Every record of a CSV text, or :class:`CSVProblem` at the record that breaks."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    found: list[Record] = []
    number = 0
    while True:
        first = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return found
        except csv.Error as exc:
            row = number + 1
            if "end of data" in str(exc):
                raise CSVProblem(
                    row,
                    msg(
                        "a quote opened in the row that starts on line {line} and never closed",
                        line=first,
                    ),
                    msg("a closing quote before the end of the row"),
                    msg("Close the quote, or remove it."),
                ) from None
            raise CSVProblem(
                row,
                msg("text the CSV format does not allow on line {line}", line=reader.line_num),
                msg("fields separated by commas, each either plain or wholly inside quotes"),
                msg('Write a quote inside a quoted field as two quotes ("").'),
            ) from None
        number += 1
        if any(fields):  # a blank line keeps its number and costs nothing
            found.append(Record(number, first, reader.line_num, fields))


def _problem(
    file: str, record: Record, column: str, found: Message, expected: Message, hint: Message
) -> Problem:
    return Problem(
        file=file, row=record.row, column=column, found=found, expected=expected, hint=hint
    )


def _multiline_problem(
    file: str, header: tuple[str, ...], record: Record, free: Callable[[str], bool]
) -> Problem | None:
    """A value over several lines where the column is not ``free`` to hold one, or one that
    holds lines that look like rows."""
    width = max((i + 1 for i, name in enumerate(header) if name), default=0)
    lines = {"first": record.first_line, "last": record.last_line}
    for name, field in zip(header, record.fields, strict=False):
        if "\n" not in field and "\r" not in field:
            continue
        rows_inside = [
            line for line in field.splitlines()[1:] if line.count(",") >= max(2, width - 2)
        ]
        if free(name) and not rows_inside:
            continue
        return _problem(
            file,
            record,
            name,
            msg(
                "a value that runs over lines {first}-{last} of the file and holds lines that "
                "look like rows",
                **lines,
            )
            if rows_inside
            else msg("a value that runs over lines {first}-{last} of the file", **lines),
            msg("a comment without rows") if free(name) else msg("a value on one line"),
            msg(
                "A quote opened on line {first} closes only on line {last}: close it where the "
                "value ends.",
                **lines,
            ),
        )
    return None


def record_problem(
    file: str, header: tuple[str, ...], record: Record, free: Callable[[str], bool]
) -> Problem | None:
    """What is wrong with one CSV record under its header, or None.

    A record must have one field per column of the header; a field may run over several
    lines only in a column ``free`` to hold one (free text, or a column that is not read),
    and not hold lines that look like rows (a quote left open in a comment swallows the rows
    after it until the next quote)."""
    width = max((i + 1 for i, name in enumerate(header) if name), default=0)
    fields = record.fields
    extra = any(clean_text(f) for f in fields[width:])
    found = (
        msg(
            "a row of {count} fields (on lines {first}-{last} of the file)",
            count=len(fields),
            first=record.first_line,
            last=record.last_line,
        )
        if record.last_line > record.first_line
        else msg(
            "a row of {count} fields (on line {line} of the file)",
            count=len(fields),
            line=record.first_line,
        )
    )
    if len(fields) < width or extra:
        return _problem(
            file,
            record,
            "",
            found,
            msg("{count} fields, one per column of the header", count=width),
            msg("A value with a comma in it belongs in quotes.")
            if extra
            else msg("A comma is missing, or a quote joined two values."),
        )
    return _multiline_problem(file, header, record, free)
