"""The forms of score sheet, each declared once (:class:`Form`), and how their rows are
checked.

- band (:mod:`.band`): one row per assessor per item, with ``percent`` (band-percent items) or
  ``rating`` (rating items), and the factor columns its framework declares;
- checklist (:mod:`.checklist`): one row per assessor per check, ``level, check, met``;
- indicators (:mod:`.indicators`): one row per indicator, ``indicator, target, actual,
  direction``.

Every form also takes comments (line breaks inside a cell are kept), a ``stage``
(:mod:`evalkit.sheets.stages`: independent, consensus, site-visit) and the ``reason`` of an
agreed value. Rows of stage consensus or site-visit (or whose assessor is ``consensus``,
``ฉันทามติ``) are the committee's: with a value, its agreed value; without one, its agreed
comments.

Each form is one record in ``sheets/vocabulary.yaml`` (``forms:``: its columns, marks, key
and value cells, Thai sheet name), and one :func:`declare_form` in a module like
:mod:`.band`, imported here, that binds the record to its checks and template layout; a
record without its module is refused at import. A column is one record of ``columns:``
there. The entry columns' checks (award type, work) are :mod:`.entry`'s.
"""

from evalkit.sheets.columns import column, vocabulary
from evalkit.sheets.forms import band, checklist, indicators
from evalkit.sheets.forms import entry as entry  # the entry columns: their checks per row
from evalkit.sheets.forms.base import (
    FORMS,
    IDENTITY,
    Form,
    declare_form,
    detect_form,
    factor_letters,
    form_names,
    form_of_method,
    form_record,
    get_form,
    pattern_column,
    register_column,
    register_form,
    unregister_column,
    unregister_form,
)
from evalkit.sheets.forms.common import (
    BE_YEARS,
    CE_OFFSET,
    SLUG_EXPECTED,
    YES_NO_EXPECTED,
    check_identity,
    closest,
    is_safe_slug,
    yes_no,
)
from evalkit.sheets.forms.indicators import RESULTS, SCALE

#: The stage of a row's value (independent by default) and the reason for an agreed value:
#: columns of every form.
STAGE, REASON = column("stage"), column("reason")
_undeclared = [r["name"] for r in vocabulary()["forms"] if r["name"] not in FORMS]
if _undeclared:  # a record in sheets/vocabulary.yaml without its checks
    raise ValueError(f"sheets/vocabulary.yaml: forms without a module: {', '.join(_undeclared)}")

#: Every comment column of any form, in order.
COMMENTS = tuple(dict.fromkeys(c for f in FORMS.values() for c in f.comments))

__all__ = [
    "BE_YEARS",
    "CE_OFFSET",
    "COMMENTS",
    "FORMS",
    "IDENTITY",
    "RESULTS",
    "SCALE",
    "SLUG_EXPECTED",
    "YES_NO_EXPECTED",
    "Form",
    "band",
    "check_identity",
    "checklist",
    "closest",
    "declare_form",
    "detect_form",
    "factor_letters",
    "form_names",
    "form_of_method",
    "form_record",
    "get_form",
    "indicators",
    "is_safe_slug",
    "pattern_column",
    "register_column",
    "register_form",
    "unregister_column",
    "unregister_form",
    "yes_no",
]
