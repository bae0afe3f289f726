"""Columns of score sheets: each declared once, in ``sheets/vocabulary.yaml`` (``columns:``),
with the names it is read by (English and Thai), the Thai header evalkit writes for it, its
type, and whether an assessor fills it.

The forms of :mod:`evalkit.sheets.forms` name their columns from this table; the reader's
header matching, the typed frames, the blank-row rule, the templates and the docs all derive
from it. A new column is one record there (``every_form: true``: an optional column of every
form); :func:`register_column` adds one from code. Factor columns (``a, d, l, i``) are read
only when a framework declares them: :data:`FACTOR_COLUMNS` names the letters evalkit knows
(``factors:``), any other letter a framework declares is read by its own name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evalkit.core.declared import declaration
from evalkit.sheets.cells import name_key as _key

if TYPE_CHECKING:
    from evalkit.frameworks.model import Framework

#: The drop-down values of a column in a template, fixed or from the framework.
Choices = tuple[str, ...] | Callable[["Framework"], Sequence[str]] | None

#: Column types in the validated frames.
DTYPES = ("category", "float64", "bool", "int64", "str")


@dataclass(frozen=True)
class Column:
    """One column a sheet may have.

    - ``thai``: the Thai header evalkit writes, shown as ``ไทย (name)``;
    - ``aliases``: the other names it is read by (the name itself always is);
    - ``dtype``: its type once validated (:data:`DTYPES`);
    - ``filled``: an assessor fills it; a row where every such cell is empty is blank (a
      template's untouched row). False for what a template fills in advance (item, check);
    - ``comment``: free text whose line breaks are kept;
    - ``read``: False for what evalkit writes to describe a row (an item's name, a check's
      text): reading recognises it and leaves it aside quietly;
    - ``choices``: the drop-down list of a template.
    """

    name: str
    thai: str = ""
    aliases: tuple[str, ...] = ()
    dtype: str = "str"
    filled: bool = True
    comment: bool = False
    read: bool = True
    choices: Choices = None

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"column {self.name}: dtype {self.dtype!r}, not one of {DTYPES}")

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the column is read by: its own, its Thai header, its aliases."""
        return tuple(
            dict.fromkeys((self.name, *((self.thai,) if self.thai else ()), *self.aliases))
        )


def _percent_steps(framework: Framework) -> list[str]:
    return [f"{framework.step * n:g}" for n in range(int(100 // framework.step) + 1)]


def _ratings(framework: Framework) -> list[str]:
    return [str(r.value) for r in framework.ratings]


def _framework_id(framework: Framework) -> list[str]:
    return [framework.id]


def _award_types(framework: Framework) -> list[str]:
    """The types' Thai names (read as their keys)."""
    return [name_th or key for key, name_th, _ in framework.types]


#: The drop-down lists a framework gives, by the name a declaration's ``choices_from`` uses.
FRAMEWORK_CHOICES: Mapping[str, Callable[[Framework], Sequence[str]]] = {
    "framework": _framework_id,
    "percent_steps": _percent_steps,
    "ratings": _ratings,
    "award_types": _award_types,
}


def vocabulary() -> Any:
    """The sheet vocabulary, ``sheets/vocabulary.yaml``, checked against its schema."""
    return declaration("evalkit.sheets", "vocabulary")


def declared_column(record: Mapping[str, Any]) -> Column:
    """A :class:`Column` from its record in a declaration (``every_form`` aside)."""
    fields = {k: v for k, v in record.items() if k != "every_form"}
    for key in ("aliases", "choices"):
        if key in fields:
            fields[key] = tuple(fields[key])
    if "choices_from" in fields:
        source = fields.pop("choices_from")
        if source not in FRAMEWORK_CHOICES:
            known = ", ".join(FRAMEWORK_CHOICES)
            raise ValueError(
                f"column {record['name']}: choices_from {source!r}, not one of {known}"
            )
        fields["choices"] = FRAMEWORK_CHOICES[source]
    return Column(**fields)


#: Factor letters evalkit knows by name: read only where a framework declares them.
FACTOR_COLUMNS: Mapping[str, Column] = {
    c.name: c for c in map(declared_column, vocabulary()["factors"])
}

#: Thai headers of what evalkit writes in exports (never read as input).
EXPORT_HEADERS: Mapping[str, str] = dict(vocabulary()["export_headers"])

#: Every column of a score sheet, by name.
COLUMNS: dict[str, Column] = {}
#: The optional columns of every form, in order (``every_form`` in the declaration).
EVERY_FORM: tuple[str, ...] = tuple(
    c["name"] for c in vocabulary()["columns"] if c.get("every_form")
)


def register_column(column: Column) -> Column:
    """Declare a column (once); its names must not be another column's."""
    if column.name in COLUMNS or column.name in FACTOR_COLUMNS:
        raise ValueError(f"column {column.name!r} is declared already")
    taken = {
        _key(n): c.name for c in (*COLUMNS.values(), *FACTOR_COLUMNS.values()) for n in c.names
    }
    clash = [n for n in column.names if _key(n) in taken]
    if clash:
        raise ValueError(
            f"column {column.name!r}: {clash[0]!r} already names {taken[_key(clash[0])]}"
        )
    COLUMNS[column.name] = column
    return column


for _record in vocabulary()["columns"]:
    register_column(declared_column(_record))


def unregister_column(name: str) -> None:
    """Remove a column declared with :func:`register_column` (for tests of a toy column)."""
    COLUMNS.pop(name, None)


def factor_column(letter: str) -> Column:
    """The column of a factor a framework declares: the known letters with their Thai names
    and aliases, any other by its own name."""
    return FACTOR_COLUMNS.get(letter) or Column(letter, dtype="float64")


def column(name: str) -> Column:
    """A declared column, a known factor letter, or a plain text column of that name."""
    return COLUMNS.get(name) or FACTOR_COLUMNS.get(name) or Column(name)


def aliases(columns: Iterable[Column]) -> dict[str, tuple[str, ...]]:
    """Column name -> every name it is read by (for
    :func:`evalkit.sheets.readers.column_matcher`)."""
    return {c.name: c.names for c in columns}


def thai_header(name: str) -> str:
    """``ไทย (column)`` for a column evalkit knows, the column itself otherwise."""
    thai = column(name).thai or EXPORT_HEADERS.get(name, "")
    return f"{thai} ({name})" if thai else name


def thai_name(name: str) -> str:
    """The Thai header of a column alone (``ร้อยละ``), or the column itself."""
    return column(name).thai or EXPORT_HEADERS.get(name, "") or name


#: Column -> the Thai header evalkit writes for it (derived from the declarations above).
THAI_HEADERS: Mapping[str, str] = {
    **{c.name: c.thai for c in (*COLUMNS.values(), *FACTOR_COLUMNS.values()) if c.thai},
    **EXPORT_HEADERS,
}
