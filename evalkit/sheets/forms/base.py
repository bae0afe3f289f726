"""What a sheet form is, and the one table of forms.

A :class:`Form` holds everything evalkit knows about one form of score sheet: the columns it
must and may have (declared in :mod:`evalkit.sheets.columns`), the columns that tell it apart,
what identifies one value and which cells hold it, the Thai name of its template sheet, the
checks of its rows and its template's layout. The readers, the validation, the typed frames
(:class:`~evalkit.sheets.sheetset.SheetSet`), the ledger, the templates and the docs' tables
all derive from it. :func:`register_form` adds one; :func:`register_column` adds a column,
by default an optional column of every form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from evalkit.core.declared import check as check_declaration
from evalkit.core.declared import schema as declaration_schema
from evalkit.frameworks.model import METHOD_FORMS, Framework, Item
from evalkit.sheets import columns as _columns
from evalkit.sheets.columns import FACTOR_COLUMNS, Column, column, declared_column

if TYPE_CHECKING:
    import pandas as pd

    from evalkit.frameworks.registry import Registry
    from evalkit.sheets.rows import Rows

#: Columns of every form: who and what a row is about.
IDENTITY: tuple[str, ...] = tuple(_columns.vocabulary()["identity"])
#: Checks a form's rows after the identity checks: ``check(rows, registry, known)``, where
#: ``known`` masks the rows whose framework is registered.
Checker = Callable[["Rows", "Registry", "pd.Series"], None]
#: A template's layout: ``layout(framework, items, factors)`` -> the columns in order, and one
#: dict per row of what the template fills in advance.
Layout = Callable[[Framework, list[Item], bool], tuple[list[str], list[dict[str, Any]]]]


@dataclass(frozen=True)
class Form:
    """One form of score sheet. Columns are named as in :data:`evalkit.sheets.columns.COLUMNS`.

    - ``attribute``: its frame's name on a SheetSet (``bands``);
    - ``sheet_th``: the Thai name of its sheet in a template;
    - ``marks``: columns whose presence makes a sheet this form (none: the default form);
    - ``required``: columns every sheet of this form has (``IDENTITY`` first);
    - ``any_of``: when given, a sheet has at least one of these columns (the first is named
      when none is there);
    - ``optional``: columns it may have;
    - ``key``: what identifies one value, after agency, year and framework;
    - ``values``: the cells of the value itself (empty in a row of the panel's agreed
      comments);
    - ``factors``: it takes the factor columns its framework declares;
    - ``derived``: columns its checks add (not read);
    - ``check``, ``layout``: see :data:`Checker` and :data:`Layout`;
    - ``pattern``: names header cells by pattern (an indicator's years of results), or None.
    """

    name: str
    attribute: str
    sheet_th: str
    required: tuple[str, ...]
    key: tuple[str, ...]
    values: tuple[str, ...]
    check: Checker
    layout: Layout
    marks: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    factors: bool = False
    derived: tuple[str, ...] = ()
    pattern: Callable[[str], str | None] | None = field(default=None, compare=False)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column of its validated rows, in order."""
        return tuple(dict.fromkeys((*self.required, *self.optional, *self.derived)))

    @property
    def read(self) -> tuple[str, ...]:
        """The columns read from a sheet of this form (factor letters aside)."""
        return tuple(c for c in self.columns if c not in self.derived)

    @property
    def comments(self) -> tuple[str, ...]:
        """Its free-text columns (line breaks kept)."""
        return tuple(c for c in self.columns if column(c).comment)

    @property
    def filled(self) -> tuple[str, ...]:
        """The columns an assessor fills: a row where all are empty is blank (factor columns
        and years of results count too, when a sheet has them)."""
        return tuple(c for c in self.read if column(c).filled)

    @property
    def compared(self) -> tuple[str, ...]:
        """What must agree when one value is given twice: the value and its comments."""
        return (*self.values, *self.comments)

    @property
    def what(self) -> str:
        """The column naming the thing a value is about (item, check, indicator)."""
        return self.key[-1]

    @property
    def methods(self) -> tuple[str, ...]:
        """The scoring methods whose values sheets of this form hold."""
        return tuple(m for m, f in METHOD_FORMS.items() if f == self.name)


#: Every form, in the order their frames are listed.
FORMS: dict[str, Form] = {}
#: Form -> the columns its declaration declared with it.
_OWN_COLUMNS: dict[str, tuple[str, ...]] = {}


def register_form(form: Form) -> Form:
    """Add a form; its columns must be declared, its names unused."""
    if form.name in FORMS or form.attribute in {f.attribute for f in FORMS.values()}:
        raise ValueError(f"form {form.name!r} (or {form.attribute!r}) is registered already")
    undeclared = [c for c in form.read if c not in _columns.COLUMNS]
    if undeclared:
        raise ValueError(f"form {form.name!r}: undeclared columns {', '.join(undeclared)}")
    if not form.marks and any(not f.marks for f in FORMS.values()):
        raise ValueError(f"form {form.name!r}: only one form may go without marks")
    FORMS[form.name] = form
    return form


def form_record(name: str) -> Mapping[str, Any]:
    """The record of a form in ``sheets/vocabulary.yaml``; a miss lists the forms there."""
    records: dict[str, Mapping[str, Any]] = {r["name"]: r for r in _columns.vocabulary()["forms"]}
    if name not in records:
        raise KeyError(
            f"no form {name!r} in sheets/vocabulary.yaml; its forms: {', '.join(records)}"
        )
    return records[name]


def declare_form(
    record: Mapping[str, Any],
    check: Checker,
    layout: Layout,
    pattern: Callable[[str], str | None] | None = None,
) -> Form:
    """Register the form a declaration's record describes (:func:`form_record`, or a record
    of the same shape, checked against the schema), with its checks, its template's layout
    and the pattern of its header cells: the identity columns first, then its ``required``
    ones; its ``optional`` ones, then the columns of every form. The columns of its own
    (``columns:``) are declared with it, and removed with it by :func:`unregister_form`."""
    schema = declaration_schema("evalkit.sheets", "vocabulary")
    form_schema = {**schema["$defs"]["form"], "$defs": schema["$defs"]}
    check_declaration(record, form_schema, f"the record of form {record.get('name', '?')}")
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in record.items()}
    fields["required"] = (*IDENTITY, *fields["required"])
    fields["optional"] = (*fields.get("optional", ()), *_columns.EVERY_FORM)
    own: list[Column] = []
    try:
        for declared in fields.pop("columns", ()):
            own.append(_columns.register_column(declared_column(declared)))
        form = register_form(Form(**fields, check=check, layout=layout, pattern=pattern))
    except ValueError:
        for new in own:
            _columns.unregister_column(new.name)
        raise
    _OWN_COLUMNS[form.name] = tuple(c.name for c in own)
    return form


def unregister_form(name: str) -> None:
    """Remove a form, and the columns it declared (for tests of a toy form)."""
    FORMS.pop(name, None)
    for own in _OWN_COLUMNS.pop(name, ()):
        _columns.unregister_column(own)


def register_column(new: Column, forms: Iterable[str] | None = None) -> Column:
    """Declare a column and make it optional in ``forms`` (default: every form)."""
    _columns.register_column(new)
    for name in list(FORMS) if forms is None else forms:
        form = get_form(name)
        FORMS[name] = replace(form, optional=(*form.optional, new.name))
    return new


def unregister_column(name: str) -> None:
    """Remove a column from every form and from the columns (for tests of a toy column)."""
    for key, form in FORMS.items():
        FORMS[key] = replace(form, optional=tuple(c for c in form.optional if c != name))
    _columns.unregister_column(name)


def get_form(name: str) -> Form:
    """A form by name; a miss lists the forms there are."""
    try:
        return FORMS[name]
    except KeyError:
        raise KeyError(f"unknown sheet form {name!r}; the forms are {', '.join(FORMS)}") from None


def form_names() -> tuple[str, ...]:
    return tuple(FORMS)


def form_of_method(method: str) -> Form:
    """The form whose sheets hold the values of a scoring method."""
    return get_form(METHOD_FORMS[method])


def detect_form(columns: Sequence[str]) -> str:
    """The form of a sheet with these (canonical) columns: the first whose marks it has, or
    the form without marks."""
    present = set(columns)
    for form in FORMS.values():
        if form.marks and present & set(form.marks):
            return form.name
    return next(f.name for f in FORMS.values() if not f.marks)


def pattern_column(name: str) -> str | None:
    """A header cell named by a form's pattern (``ผล 2563`` -> ``y2563``), or None."""
    for form in FORMS.values():
        if form.pattern is not None and (found := form.pattern(name)):
            return found
    return None


def factor_letters(registry: Registry) -> tuple[str, ...]:
    """The factor columns a sheet may have: the letters evalkit knows by name (so that a
    factor cell is never taken for an unknown column), then every other letter a framework
    of ``registry`` declares (a letter that names another column is not a factor)."""
    declared = (c for fw in registry for names in fw.factors.values() for c in names)
    letters = dict.fromkeys((*FACTOR_COLUMNS, *declared))
    return tuple(c for c in letters if c not in _columns.COLUMNS)
