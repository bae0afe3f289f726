"""evalkit: score Thai public-sector agencies against PMQA and policy frameworks.

The public API, for notebook authors and scripts::

    from evalkit import load_sheets, score, evaluate_rules
    results = score(load_sheets(["sheet.csv"]))
    rules = evaluate_rules(results)

    from evalkit import AgencyReport           # what a report notebook shows
    report = AgencyReport.load(["sheet.csv"], "trat-cdd", 2565, "pmqa-2562")

    from evalkit import RunOptions, run        # what `evalkit run` does
    run([Path("params/trat-cdd.yaml")], Path("reports"), RunOptions(jobs=2))

Every name loads on first use, so ``import evalkit`` stays light (no pandas, no matplotlib)
and a runner process never loads matplotlib. Everything else is internal; its layers are described
in docs/architecture.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from evalkit.core.version import __version__ as __version__

if TYPE_CHECKING:
    from evalkit.core.errors import (
        EvalkitError,
        FrameworkError,
        InvalidInputError,
        Problem,
        ReportError,
        UnknownFrameworkError,
    )
    from evalkit.frameworks import (
        Framework,
        Registry,
        default_registry,
        load_framework_file,
        project_registry,
    )
    from evalkit.report.agency import AgencyReport
    from evalkit.report.explore import Explorer
    from evalkit.report.portfolio import PortfolioReport
    from evalkit.runner.run import RunOptions, run
    from evalkit.scoring import absent_categories, evaluate_rules, score
    from evalkit.sheets import Ledger, SheetSet, check_sheets, load_sheets


#: Every public name, loaded on first use: name -> module. ``import evalkit`` loads neither
#: pandas nor matplotlib, and a runner process never loads matplotlib.
_LAZY = {
    "AgencyReport": "evalkit.report.agency",
    "EvalkitError": "evalkit.core.errors",
    "Explorer": "evalkit.report.explore",
    "Framework": "evalkit.frameworks",
    "FrameworkError": "evalkit.core.errors",
    "InvalidInputError": "evalkit.core.errors",
    "Ledger": "evalkit.sheets",
    "PortfolioReport": "evalkit.report.portfolio",
    "Problem": "evalkit.core.errors",
    "Registry": "evalkit.frameworks",
    "ReportError": "evalkit.core.errors",
    "RunOptions": "evalkit.runner.run",
    "SheetSet": "evalkit.sheets",
    "UnknownFrameworkError": "evalkit.core.errors",
    "absent_categories": "evalkit.scoring",
    "check_sheets": "evalkit.sheets",
    "default_registry": "evalkit.frameworks",
    "evaluate_rules": "evalkit.scoring",
    "load_framework_file": "evalkit.frameworks",
    "load_sheets": "evalkit.sheets",
    "project_registry": "evalkit.frameworks",
    "run": "evalkit.runner.run",
    "score": "evalkit.scoring",
}

__all__ = [
    "AgencyReport",
    "EvalkitError",
    "Explorer",
    "Framework",
    "FrameworkError",
    "InvalidInputError",
    "Ledger",
    "PortfolioReport",
    "Problem",
    "Registry",
    "ReportError",
    "RunOptions",
    "SheetSet",
    "UnknownFrameworkError",
    "absent_categories",
    "check_sheets",
    "default_registry",
    "evaluate_rules",
    "load_framework_file",
    "load_sheets",
    "project_registry",
    "run",
    "score",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'evalkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
