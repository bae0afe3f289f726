"""The shape of the package: no import cycles anywhere (imports inside functions count), the
runner starts without the report layer or matplotlib, and the public API is what it says."""

from __future__ import annotations

import importlib
import subprocess
import sys

import grimp

import evalkit


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.find_modules_directly_imported_by(module):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while (top := stack.pop()) != module:
                group.append(top)
            group.append(module)
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_itself_back():
    graph = grimp.build_graph("evalkit", exclude_type_checking_imports=True)
    # a package's __init__ re-exports its modules; a module importing its own package's
    # __init__ would be a cycle, and is one here too
    assert _cycles(graph) == []


def test_the_runner_starts_without_the_report_layer_or_matplotlib():
    code = (
        "import sys, evalkit.runner.run, evalkit.runner.executors.workers, evalkit.cli.main; "
        "bad = [m for m in sys.modules if m.startswith(('matplotlib', 'evalkit.report'))]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


#: The rooms of the runner (docs/architecture.md), each used through its package's surface.
ROOMS = ("executors", "publish", "plan", "engines")


def test_a_runner_room_is_used_through_its_surface():
    """A module outside a room imports the room's package, never a module inside it."""
    graph = grimp.build_graph("evalkit", exclude_type_checking_imports=True)
    inside = []
    for room in ROOMS:
        package = f"evalkit.runner.{room}"
        for module in graph.find_children(package):
            for importer in graph.find_modules_that_directly_import(module):
                if not importer.startswith(f"{package}."):
                    inside.append(f"{importer} -> {module}")
    assert inside == []


def test_the_runner_rooms_load_nothing_until_a_name_is_used():
    code = (
        "import sys, importlib\n"
        f"rooms = [importlib.import_module('evalkit.runner.' + r) for r in {ROOMS!r}]\n"
        "inside = tuple(r.__name__ + '.' for r in rooms)\n"
        "print(sorted(m for m in sys.modules if m.startswith(inside) or m == 'nbformat'))\n"
        "print(sorted(n for r in rooms for n in r.__all__ if getattr(r, n) is None))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["[]", "[]"]


def test_a_rooms_surface_is_every_name_it_declares():
    """Each name of a room's surface is read from a module of that room."""
    for room in ROOMS:
        package = importlib.import_module(f"evalkit.runner.{room}")
        for name in package.__all__:
            value = getattr(package, name)  # a constant is a str: its module is not said
            home = getattr(value, "__module__", package.__name__ + ".")
            assert home.startswith(package.__name__ + "."), name


#: What a notebook author or a script needs, and nothing internal.
PUBLIC = {
    "errors": ["EvalkitError", "FrameworkError", "InvalidInputError", "Problem", "ReportError"],
    "frameworks": ["Framework", "Registry", "UnknownFrameworkError", "default_registry"],
    "more frameworks": ["load_framework_file", "project_registry"],
    "sheets": ["Ledger", "SheetSet", "check_sheets", "load_sheets"],
    "scoring": ["absent_categories", "evaluate_rules", "score"],
    "report": ["AgencyReport", "Explorer", "PortfolioReport"],
    "runner": ["RunOptions", "run"],
}


def test_the_public_api_is_exactly_what_it_exports():
    """Like httpx's test_exported_members: __all__ is the curated list, sorted; every public
    name of the package is in it; each resolves."""
    expected = sorted(n for names in PUBLIC.values() for n in names)
    assert evalkit.__all__ == expected
    exposed = {
        name
        for name in dir(evalkit)
        if not name.startswith("_")
        and type(getattr(evalkit, name)).__name__ != "module"
        and name not in {"annotations", "import_module", "TYPE_CHECKING", "Any"}
    }
    assert exposed == set(expected)
    assert callable(evalkit.AgencyReport.load) and callable(evalkit.run)


def test_importing_evalkit_loads_neither_pandas_nor_matplotlib():
    """A script or a command that needs no data pays for no data library."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import evalkit, sys; print(sorted({'pandas', 'matplotlib'} & set(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "[]"
    assert set(evalkit._LAZY) == set(evalkit.__all__)
