"""The README's tables of sheet forms, written from the declarations (``python -m
evalkit.sheets.forms.docs`` prints them; a test keeps the README equal to them)."""

from __future__ import annotations

from evalkit.sheets.forms.base import FORMS, Form


def _names(columns: tuple[str, ...] | list[str]) -> str:
    return "`" + ", ".join(columns) + "`" if columns else ""


def _columns(form: Form) -> str:
    text = _names(form.required)
    if form.any_of:
        text += " and " + " or ".join(f"`{c}`" for c in form.values)
    return text


def _optional(form: Form) -> str:
    optional = [c for c in form.optional if not (form.any_of and c in form.values)]
    parts = [_names(optional)] if optional else []
    if form.factors:
        parts.append("the factor columns its framework declares")
    if form.pattern is not None:
        parts.append("earlier years' results in columns named by year")
    return "; ".join(parts)


def form_table() -> str:
    """Markdown: each form, its template sheet's Thai name, its columns and optional ones."""
    lines = [
        "| form | template sheet | columns | optional |",
        "|---|---|---|---|",
        *(f"| {f.name} | {f.sheet_th} | {_columns(f)} | {_optional(f)} |" for f in FORMS.values()),
    ]
    return "\n".join(lines)


def blank_row_table() -> str:
    """Markdown: per form, the columns that are all empty in a blank row."""
    lines = ["| form | a row is blank when these are all empty |", "|---|---|"]
    for form in FORMS.values():
        more = [
            *(["the factor columns"] if form.factors else []),
            *(["the years of results"] if form.pattern is not None else []),
        ]
        lines.append(f"| {form.name} | " + ", ".join([_names(form.filled), *more]) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(form_table(), blank_row_table(), sep="\n\n")
