"""evalkit: score Thai public-sector agencies against PMQA and policy frameworks.

The public API::

    from evalkit import load_scores, score, Registry
    results = score(load_scores(["sheet.csv"]))
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
from .scoring import consensus, score
from .sheets import check_scores, load_scores

__version__ = "0.1.0"
__all__ = [
    "EvalkitError",
    "Framework",
    "FrameworkError",
    "InvalidInputError",
    "Problem",
    "Registry",
    "ReportError",
    "UnknownFrameworkError",
    "check_scores",
    "consensus",
    "default_registry",
    "load_scores",
    "score",
]
