"""A clean state for each report in a process that serves many, as papermill's fresh kernel
gives: run inside the report process or kernel, never by the runner itself.

:func:`save`, at the end of the warm-up, keeps what a report may change: environment
variables, ``sys.path``, the modules imported, the working folder, warning filters and
pandas' options. :func:`restore`, before each report, puts them back: a module of the
project's own that a report imported is forgotten (its next import runs it afresh), a
variable it set is gone, an option it changed is back to the warm-up's value. Modules of
Python and of installed packages stay loaded, as a fresh kernel would load them again the
same (and an extension module cannot be loaded twice). The ``shell`` engine on Linux forks
each report from the warmed process instead, which leaves nothing at all behind; a change a
report makes inside a module the warm-up imported (an attribute set on ``pandas``, say) is
undone only there.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any

_saved: dict[str, Any] = {}


def _pandas_options() -> dict[str, Any]:
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return {}
    from pandas._config import config

    keys = set(config._registered_options) - set(config._deprecated_options)
    return {key: pandas.get_option(key) for key in sorted(keys)}


def _own(module: Any) -> bool:
    """Whether ``module`` is the project's own: Python source outside Python and its packages."""
    origin = getattr(module, "__file__", None) or ""
    installed = (sys.prefix, sys.base_prefix, sys.exec_prefix)
    return origin.endswith(".py") and not os.path.abspath(origin).startswith(installed)


def save() -> None:
    """Keep the state a report starts from: call once, after the warm-up."""
    _saved.update(
        environ=dict(os.environ),
        path=list(sys.path),
        modules=set(sys.modules),
        cwd=os.getcwd(),
        filters=list(warnings.filters),
        pandas=_pandas_options(),
    )


def _restore_pandas(saved: dict[str, Any]) -> None:
    pandas = sys.modules.get("pandas")
    if pandas is None or not saved:
        return
    for key, value in saved.items():
        if pandas.get_option(key) != value:
            pandas.set_option(key, value)


def restore() -> None:
    """Put back the state :func:`save` kept; nothing when it was never called."""
    if not _saved:
        return
    if os.environ != _saved["environ"]:
        os.environ.clear()
        os.environ.update(_saved["environ"])
    sys.path[:] = _saved["path"]
    for name in set(sys.modules) - _saved["modules"]:
        if _own(sys.modules[name]):
            del sys.modules[name]
    os.chdir(_saved["cwd"])
    warnings.filters[:] = _saved["filters"]  # type: ignore[index]
    _restore_pandas(_saved["pandas"])
