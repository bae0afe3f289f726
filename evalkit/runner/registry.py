"""The engines and executors of ``evalkit run``, declared once with what they can do.

A kind is declared here by name with its capabilities; its implementation registers against
that name with :func:`register_engine` or :func:`register_executor` where it is written. The
command's ``--engine`` and ``--executor`` choices, the checks of the run and the docs read
these declarations, so nothing checks an engine or an executor by its name, and this module
imports no implementation (the command's start-up stays quick). A name that nobody declared
is an error that lists the declared ones, as is a declared name that nothing implements.

Adding an engine is one declaration and one registration::

    declare_engine(EngineKind("mine", "what it does", kernel=True))

    @register_engine("mine")
    class MyEngine: ...
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from evalkit.core.errors import EvalkitError, UnavailableError
from evalkit.core.i18n import Message, msg


@dataclass(frozen=True)
class EngineKind:
    """An engine: how it runs a report, and what the run must prepare for it."""

    name: str
    help: str
    #: the module that implements it, imported when it is first asked for
    module: str
    #: it runs a Jupyter kernel: the run makes sure the ``evalkit`` kernel is registered
    kernel: bool = False
    #: its report processes are forks of the run's template process
    template: bool = False
    #: its client belongs to the thread that started it (a Jupyter client's event loop)
    thread_bound: bool = False
    #: it needs POSIX (a socket handed down as a file descriptor)
    posix_only: bool = False


@dataclass(frozen=True)
class ExecutorKind:
    """An executor: where the workers run."""

    name: str
    help: str
    #: the module that implements it, imported when it is first asked for
    module: str
    #: it joins a scheduler at an address (``--scheduler``)
    scheduler: bool = False
    #: the optional extra it needs (``pip install 'evalkit[EXTRA]'``)
    extra: str | None = None


ENGINE_KINDS: dict[str, EngineKind] = {}
EXECUTOR_KINDS: dict[str, ExecutorKind] = {}
_ENGINES: dict[str, Any] = {}
_EXECUTORS: dict[str, Any] = {}
T = TypeVar("T")


def declare_engine(kind: EngineKind) -> EngineKind:
    ENGINE_KINDS[kind.name] = kind
    return kind


def declare_executor(kind: ExecutorKind) -> ExecutorKind:
    EXECUTOR_KINDS[kind.name] = kind
    return kind


declare_engine(
    EngineKind(
        "shell",
        "a kept-warm IPython process per worker, forked from the run's template",
        "evalkit.runner.engines.shell_engine",
        template=True,
        posix_only=True,
    )
)
declare_engine(
    EngineKind(
        "warm",
        "a kept-warm Jupyter kernel per worker",
        "evalkit.runner.engines.kernels",
        kernel=True,
        thread_bound=True,
    )
)
declare_engine(
    EngineKind(
        "papermill",
        "a fresh kernel per report, through papermill",
        "evalkit.runner.engines.kernels",
        kernel=True,
        thread_bound=True,
    )
)
declare_executor(
    ExecutorKind("local", "worker processes on this machine", "evalkit.runner.executors.workers")
)
declare_executor(
    ExecutorKind(
        "dask",
        "a Dask cluster, local or at --scheduler",
        "evalkit.runner.executors.dask_executor",
        scheduler=True,
        extra="dask",
    )
)


def _miss(what: str, name: str, known: dict[str, Any]) -> EvalkitError:
    names = ", ".join(known)
    if what == "engine":
        return EvalkitError(
            msg(
                "Unknown engine {engine}; known engines are {known}.",
                engine=repr(name),
                known=names,
            )
        )
    return EvalkitError(
        msg(
            "Unknown executor {executor}; known executors are {known}.",
            executor=repr(name),
            known=names,
        )
    )


def engine_kind(name: str) -> EngineKind:
    """The declared engine ``name``; an unknown name is an error listing the known ones."""
    try:
        return ENGINE_KINDS[name]
    except KeyError:
        raise _miss("engine", name, ENGINE_KINDS) from None


def executor_kind(name: str) -> ExecutorKind:
    try:
        return EXECUTOR_KINDS[name]
    except KeyError:
        raise _miss("executor", name, EXECUTOR_KINDS) from None


def engine_names() -> list[str]:
    """The engines this system can run, the default first."""
    usable = [k.name for k in ENGINE_KINDS.values() if os.name == "posix" or not k.posix_only]
    return usable + [n for n in ENGINE_KINDS if n not in usable]


def default_engine() -> str:
    return engine_names()[0]


def executor_names() -> list[str]:
    return list(EXECUTOR_KINDS)


def register_engine(name: str) -> Callable[[T], T]:
    """Register the implementation of the declared engine ``name``."""
    engine_kind(name)

    def register(implementation: T) -> T:
        _ENGINES[name] = implementation
        return implementation

    return register


def register_executor(name: str) -> Callable[[T], T]:
    """Register the implementation (a class or a factory) of the declared executor ``name``."""
    executor_kind(name)

    def register(implementation: T) -> T:
        _EXECUTORS[name] = implementation
        return implementation

    return register


def engine_implementation(name: str) -> Any:
    """The class of engine ``name``, its module imported if need be."""
    return _implementation(msg("engine"), engine_kind(name), _ENGINES)


def executor_implementation(name: str) -> Any:
    """The class or factory of executor ``name``, its module imported if need be; a missing
    optional extra is named with the command that installs it."""
    return _implementation(msg("executor"), executor_kind(name), _EXECUTORS)


def _implementation(what: Message, kind: EngineKind | ExecutorKind, found: dict[str, Any]) -> Any:
    if kind.name not in found:
        try:
            importlib.import_module(kind.module)
        except ImportError as exc:
            extra = getattr(kind, "extra", None)
            if extra is None or (exc.name or "").startswith("evalkit"):
                raise
            raise UnavailableError(
                msg(
                    "The {name} {what} needs evalkit's {extra} extra: "
                    "pip install 'evalkit[{extra}]'.",
                    name=kind.name,
                    what=what,
                    extra=extra,
                )
            ) from None
    try:
        return found[kind.name]
    except KeyError:
        raise EvalkitError(
            msg(
                "The {what} {name} is declared but not implemented.",
                what=what,
                name=repr(kind.name),
            )
        ) from None
