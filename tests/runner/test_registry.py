"""Engines and executors are declared once, with their capabilities; implementations register
against the declared names, and the command's choices come from the declarations."""

from __future__ import annotations

import pytest

from evalkit import EvalkitError
from evalkit.cli.main import build_parser
from evalkit.runner import registry
from evalkit.runner.engines.lookup import get_engine
from evalkit.runner.registry import (
    ENGINE_KINDS,
    EXECUTOR_KINDS,
    EngineKind,
    engine_implementation,
    engine_kind,
    executor_implementation,
    register_engine,
)
from evalkit.runner.status import NOT_RENDERED, Status


def test_every_declared_name_has_its_implementation_and_nothing_else_registers():
    for name in ENGINE_KINDS:
        assert engine_implementation(name).name == name
    for name in EXECUTOR_KINDS:
        assert executor_implementation(name).name == name
    with pytest.raises(EvalkitError, match="known engines are shell, warm, papermill"):
        register_engine("turbo")


def test_the_command_offers_what_is_declared():
    run = build_parser()._subparsers._group_actions[0].choices["run"]  # type: ignore[union-attr]
    options = {a.dest: a for a in run._actions}
    assert list(options["engine"].choices) == list(ENGINE_KINDS)
    assert list(options["executor"].choices) == list(EXECUTOR_KINDS)


def test_capabilities_decide_what_the_run_prepares():
    assert [k.name for k in ENGINE_KINDS.values() if k.kernel] == ["warm", "papermill"]
    assert [k.name for k in ENGINE_KINDS.values() if k.template] == ["shell"]
    assert EXECUTOR_KINDS["dask"].extra == "dask" and EXECUTOR_KINDS["dask"].scheduler
    with pytest.raises(EvalkitError, match="known executors are local, dask"):
        registry.executor_kind("slurm")


class ToyEngine:
    """An engine that executes nothing: one declaration and one registration add it."""

    name = "toy"

    def __init__(self, kernel, timeout, restart_every, template):
        self.timeout = timeout


def test_adding_an_engine_is_one_declaration_and_one_registration(monkeypatch):
    monkeypatch.setattr(registry, "ENGINE_KINDS", dict(ENGINE_KINDS))
    registry.declare_engine(EngineKind("toy", "does nothing", __name__))
    monkeypatch.setattr(registry, "_ENGINES", dict(registry._ENGINES))
    register_engine("toy")(ToyEngine)
    assert engine_kind("toy").kernel is False
    assert isinstance(get_engine("toy", "evalkit", 5.0), ToyEngine)


def test_run_statuses_are_one_vocabulary():
    assert [str(s) for s in Status] == ["ok", "failed", "invalid", "skipped"]
    assert NOT_RENDERED == (Status.FAILED, Status.INVALID)
    assert Status("ok") is Status.OK and Status.OK == "ok"
