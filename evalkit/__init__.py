"""evalkit: score Thai public-sector agencies against PMQA and policy frameworks.

The public API::

    from evalkit import load_sheets, score, evaluate_rules
    results = score(load_sheets(["sheet.csv"]))
    rules = evaluate_rules(results)
"""

from evalkit.core.errors import (
    EvalkitError,
    FrameworkError,
    InvalidInputError,
    Problem,
    ReportError,
    UnknownFrameworkError,
)
from evalkit.frameworks.model import Framework
from evalkit.frameworks.registry import Registry, default_registry
from evalkit.scoring.engine import absent_categories, score
from evalkit.scoring.methods import consensus
from evalkit.scoring.rules import evaluate_rules
from evalkit.sheets.load import SheetSet, check_sheets, load_sheets

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
