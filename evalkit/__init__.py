"""evalkit: score Thai public-sector agencies against PMQA and policy frameworks.

The public API::

    from evalkit import load_sheets, score, evaluate_rules
    results = score(load_sheets(["sheet.csv"]))
    rules = evaluate_rules(results)
"""

from .errors import (
    EvalkitError,
    FrameworkError,
    InvalidInputError,
    Problem,
    ReportError,
    UnknownFrameworkError,
)
from .framework import Framework, Registry, default_registry
from .methods import consensus
from .rules import evaluate_rules
from .scoring import absent_categories, score
from .sheets import SheetSet, check_sheets, load_sheets

__version__ = "0.1.0"
__all__ = [
    "EvalkitError",
    "Framework",
    "FrameworkError",
    "InvalidInputError",
    "Problem",
    "Registry",
    "ReportError",
    "SheetSet",
    "UnknownFrameworkError",
    "absent_categories",
    "check_sheets",
    "consensus",
    "default_registry",
    "evaluate_rules",
    "load_sheets",
    "score",
]
