"""A message is a msgid plus its values, translated through the catalogue by its msgid: never
English finished by an f-string or ``.format()`` and matched back as a pattern. This test reads
each package's modules with :mod:`ast` and names, file:line, every finished English text that
reaches where a person reads it: a ``Problem(found=, expected=, hint=)`` value, the first
argument of a raised error (or of an error's ``super().__init__``), or a ``translate()``
argument, or an ``expected``/``hint`` of ``Rows.flag``; directly, or through a name the same
function assigned it to."""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator

import pytest
from helpers import ROOT

#: the packages of evalkit (``evalkit/templates`` and the locale hold no code)
PACKAGES = sorted(
    p.name for p in (ROOT / "evalkit").iterdir() if p.is_dir() and (p / "__init__.py").exists()
)
#: packages whose messages are still finished English, matched by translate(): their
#: conversion to msg() is under way, and this set is emptied once it has landed
PENDING: set[str] = set()
PYTHONS = {name for name in dir(builtins) if name.endswith("Error")}
#: the keywords of a Problem that a person reads
READ = ("found", "expected", "hint")


def _formatted(node: ast.expr | None, names: set[str]) -> bool:
    """Whether ``node`` is English finished in the code: an f-string, a ``.format()`` call, a
    text glued to another with ``+``, or a name assigned one of those in the same function."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        sides = (node.left, node.right)
        return any(_formatted(s, names) or _text(s) for s in sides)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and isinstance(node.func.value, ast.Constant)
    return isinstance(node, ast.Name) and node.id in names


def _text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _assigned(scope: ast.AST) -> set[str]:
    """The names a scope assigns a finished English text to."""
    return {
        target.id
        for node in ast.walk(scope)
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign)
        and _formatted(node.value, set())
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }


def _read_values(call: ast.Call) -> Iterator[ast.expr]:
    """The arguments of ``call`` that a person reads as a message."""
    name = _name(call.func)
    if name == "Problem":
        yield from (k.value for k in call.keywords if k.arg in READ)
    elif name == "flag":  # Rows.flag(mask, column, expected, hint)
        yield from call.args[2:4]
    elif (name == "translate" and call.args) or (
        name == "__init__" and call.args and _super(call.func)
    ):
        yield call.args[0]


def _super(func: ast.expr) -> bool:
    """Whether ``func`` is ``super().__init__``."""
    inner = func.value if isinstance(func, ast.Attribute) else None
    return isinstance(inner, ast.Call) and _name(inner.func) == "super"


def _raised(node: ast.Raise) -> Iterator[ast.expr]:
    """The message of a raised error of evalkit's (Python's own errors, such as a ValueError
    for a column declared twice, are for the programmer and say their English as it is)."""
    name = _name(node.exc.func) if isinstance(node.exc, ast.Call) else ""
    if isinstance(node.exc, ast.Call) and name.endswith("Error") and name not in PYTHONS:
        yield from node.exc.args[:1]


def finished_english(package: str) -> list[str]:
    """file:line of every finished English text that reaches a reader in ``package``."""
    found = []
    for path in sorted((ROOT / "evalkit" / package).glob("**/*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.Lambda)]
        for scope in [tree, *scopes]:
            names = _assigned(scope) if scope is not tree else set()
            for node in ast.walk(scope):
                values = (
                    _raised(node)
                    if isinstance(node, ast.Raise)
                    else _read_values(node)
                    if isinstance(node, ast.Call)
                    else iter(())
                )
                found += [
                    f"{path.relative_to(ROOT).as_posix()}:{v.lineno}"
                    for v in values
                    if _formatted(v, names)
                ]
    return sorted(set(found))


def test_the_pending_packages_are_packages():
    assert PENDING.issubset(PACKAGES), "PENDING names a package that does not exist"


@pytest.mark.parametrize("package", PACKAGES)
def test_no_message_is_english_finished_in_the_code(package):
    """Say it as ``msg("English with {names}", name=value)``: a Message is translated by its
    msgid, and a Message value (a location, a list of phrases) in the same language."""
    if package in PENDING:
        pytest.skip(f"the messages of evalkit/{package} are being converted to msg()")
    assert finished_english(package) == []


def test_the_scan_finds_each_kind_of_finished_english(tmp_path, monkeypatch):
    """The scan is not blind: each way English reaches a reader, written in a toy package."""
    package = tmp_path / "evalkit" / "toy"
    package.mkdir(parents=True)
    (package / "bad.py").write_text(
        "def f(suffix, where):\n"
        "    Problem(file='', row=0, column='', found=f'a file ending in {suffix}', expected='')\n"
        "    text = 'the columns of {form}'.format(form=suffix)\n"
        "    translate(text)\n"
        "    rows.flag(mask, 'item', 'one of ' + ', '.join(suffix))\n"
        "    raise FrameworkError(f'{where}: bad')\n"
        "    raise ValueError(f'a column {where} declared twice')\n"
        "class ToyError(Exception):\n"
        "    def __init__(self, name):\n"
        "        super().__init__(f'unknown {name}')\n",
        encoding="utf-8",
    )
    (package / "good.py").write_text(
        "def f(suffix):\n"
        "    Problem(file='', row=0, column='', found=msg('a file ending in {suffix}',"
        " suffix=suffix), expected='')\n"
        "    raise FrameworkError(msg('bad'))\n",
        encoding="utf-8",
    )
    monkeypatch.setitem(finished_english.__globals__, "ROOT", tmp_path)
    lines = sorted(int(line.split(":")[1]) for line in finished_english("toy"))
    assert lines == [2, 4, 5, 6, 10]
