"""Defaults from the project's own settings: ``evalkit.toml`` in the project folder, or the
``[tool.evalkit]`` table of its ``pyproject.toml``.

A key at the top applies to every command that has that option; a table named after a
command applies to that command only. Keys are the options' long names, with ``-`` or ``_``::

    # evalkit.toml
    lang = "th"

    [run]
    jobs = 2
    engine = "warm"
    timeout = 600

    [feedback]
    out = "reports/feedback"     # a path here is inside the project folder

What the command line gives wins over the settings, and the settings over evalkit's defaults.
A key no command knows, or a value the option would refuse, stops the command before it
starts, naming the file, the key, what was found and what was expected (exit status 1).
"""

from __future__ import annotations

import argparse
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evalkit.cli.common import InProject
from evalkit.core.errors import InvalidInputError, Problem
from evalkit.core.i18n import Message, msg

#: The settings files of a project, the first found is read.
FILES = ("evalkit.toml", "pyproject.toml")
#: Options that the settings cannot give: what names the project, and the help.
NOT_SETTINGS = frozenset({"help", "version", "project", "func", "command"})


def project_of(argv: Sequence[str]) -> Path:
    """The ``--project`` folder of a command line, read before it is parsed; else the current
    folder."""
    for i, arg in enumerate(argv):
        if arg == "--project" and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--project="):
            return Path(arg.split("=", 1)[1])
    return Path(".")


def read_settings(folder: Path) -> tuple[str, dict[str, Any]]:
    """The settings file's name and its evalkit table; ("", {}) when the project has none."""
    for name in FILES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise _refused(name, "", str(exc), msg("a TOML file")) from None
        table = document if name == "evalkit.toml" else document.get("tool", {}).get("evalkit")
        if table is None:
            continue
        if not isinstance(table, dict):
            raise _refused(name, "tool.evalkit", repr(table), msg("a table"))
        return name, table
    return "", {}


def apply_settings(parser: argparse.ArgumentParser, argv: Sequence[str]) -> None:
    """Make the project's settings the defaults of ``parser`` and its commands."""
    name, table = read_settings(project_of(argv))
    commands = _commands(parser)
    for key, value in table.items():
        if isinstance(value, dict) and key in commands:
            for option, given in value.items():
                _set(commands[key], name, f"{key}.{option}", option, given)
        else:
            targets = [p for p in (parser, *commands.values()) if _action(p, key) is not None]
            if not targets:
                raise _unknown(name, key, parser, commands)
            for target in targets:
                _set(target, name, key, key, value)


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _action(parser: argparse.ArgumentParser, key: str) -> argparse.Action | None:
    dest = key.replace("-", "_")
    for action in parser._actions:
        shared_copy = action.default is argparse.SUPPRESS  # a command's copy of a shared option
        named = action.dest == dest and action.dest not in NOT_SETTINGS
        if named and action.option_strings and not shared_copy:
            return action
    return None


def _set(parser: argparse.ArgumentParser, file: str, where: str, key: str, value: Any) -> None:
    action = _action(parser, key)
    if action is None:
        raise _refused(file, where, repr(value), _known(parser), unknown=True)
    parser.set_defaults(**{action.dest: _value(action, value, file, where)})


def _value(action: argparse.Action, value: Any, file: str, where: str) -> Any:
    """``value`` as the option would take it from the command line, or refused."""
    flag = isinstance(action, argparse._StoreTrueAction | argparse._StoreFalseAction)
    if flag or isinstance(action, argparse._CountAction):
        wanted: type = bool if flag else int
        if type(value) is not wanted:
            raise _refused(
                file, where, repr(value), msg("true or false") if flag else msg("a number")
            )
        return value
    if isinstance(value, dict | list) and action.nargs in (None, "?"):
        raise _refused(file, where, repr(value), msg("one value"))
    values = value if isinstance(value, list) else [value]
    try:
        converted = [_one(action, v) for v in values]
    except argparse.ArgumentTypeError as exc:  # the option's own words: "expected X, found Y"
        said = str(exc).removeprefix("expected ").split(", found ")[0]
        raise _refused(file, where, repr(value), msg(said)) from None
    except (TypeError, ValueError):
        raise _refused(file, where, repr(value), _expected(action)) from None
    for v in converted:
        if action.choices is not None and v not in action.choices:
            raise _refused(file, where, repr(v), _expected(action))
    return converted if isinstance(value, list) else converted[0]


def _one(action: argparse.Action, value: Any) -> Any:
    path = action.type is Path or isinstance(action.default, InProject)
    if isinstance(value, bool | dict | list) or (path and not isinstance(value, str)):
        raise TypeError(value)  # a number is no path: `out = 2567` is a slip, not a folder
    if isinstance(action.default, InProject):
        return InProject(value)  # a path in the settings is inside the project folder
    convert = action.type if callable(action.type) else str
    return convert(value if isinstance(value, str) else str(value))


def _expected(action: argparse.Action) -> str | Message:
    if action.choices is not None:
        return ", ".join(str(c) for c in action.choices)
    if action.type in (int, float):
        return msg("a number")
    if action.type is Path or isinstance(action.default, InProject):
        return msg("a path")
    return action.metavar if isinstance(action.metavar, str) else action.dest.upper()


def _known(parser: argparse.ArgumentParser) -> Message:
    names = sorted(
        a.option_strings[-1].lstrip("-")
        for a in parser._actions
        if a.option_strings and a.dest not in NOT_SETTINGS and a.default is not argparse.SUPPRESS
    )
    return msg("one of the options of the command: {names}", names=", ".join(names))


def _unknown(
    file: str,
    key: str,
    parser: argparse.ArgumentParser,
    commands: Mapping[str, argparse.ArgumentParser],
) -> InvalidInputError:
    expected = msg(
        "an option of a command, or a table named after a command ({commands})",
        commands=", ".join(commands),
    )
    return _refused(file, key, "", expected, unknown=True)


def _refused(
    file: str, key: str, value: str, expected: str | Message, unknown: bool = False
) -> InvalidInputError:
    """A settings file refused: the key and its value as found, and what was expected."""
    found = repr(key) if unknown else f"{key} = {value}" if key else value
    problem = Problem(file=file, row=0, column="", found=found, expected=expected)
    return InvalidInputError([problem])
