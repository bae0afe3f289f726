"""pyproject.toml is the source of truth; environment.yml must list the same packages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from helpers import ROOT

NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
#: conda-forge's headless builds, under their PyPI names
CONDA_NAMES = {"nbconvert-core": "nbconvert", "matplotlib-base": "matplotlib"}


def _name(requirement: str) -> str:
    match = NAME.match(requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        declared |= {_name(r) for r in extra}

    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed: set[str] = set()
    installs_package = False
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            for pip_entry in entry["pip"]:
                if pip_entry.strip() == "-e .":
                    installs_package = True
                else:
                    listed.add(_name(pip_entry))
        else:
            listed.add(CONDA_NAMES.get(_name(entry), _name(entry)))
    listed -= {"python", "pip"}

    assert installs_package, "environment.yml must install evalkit itself with `pip: -e .`"
    assert declared - listed == set(), "in pyproject.toml but not in environment.yml"
    assert listed - declared == set(), "in environment.yml but not in pyproject.toml"


def test_pyproject_declares_the_designed_runtime_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    assert {
        "pandas",
        "matplotlib",
        "papermill",
        "nbconvert",
        "ipykernel",
        "pyyaml",
        "openpyxl",
        "fontpkg-sarabun",
    } <= declared
    assert project["scripts"]["evalkit"] == "evalkit.cli:main"


def test_jupyterlab_is_an_extra_that_make_lab_installs():
    """No module imports JupyterLab: it is for opening the notebooks, not for rendering."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "jupyterlab" not in {_name(r) for r in project["dependencies"]}
    assert {_name(r) for r in project["optional-dependencies"]["lab"]} == {"jupyterlab"}
    assert "'.[lab]'" in (ROOT / "Makefile").read_text()


def test_every_imported_package_is_declared():
    """deptry finds no package that is imported but only arrives through another one."""
    import subprocess
    import sys

    deptry = Path(sys.executable).with_name("deptry")
    done = subprocess.run([str(deptry), "."], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_dask_extra_is_optional_and_installed_for_development():
    """`pip install evalkit[dask]` adds the Dask executor; `make test` installs it with dev."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    dask = {_name(r) for r in extras["dask"]}
    assert dask == {"dask", "distributed"}
    assert dask <= {_name(r) for r in extras["dev"]}
    assert not dask & {_name(r) for r in project["dependencies"]}


def test_the_wheel_carries_the_notebooks_and_framework_files(tmp_path):
    """An installed evalkit renders from any folder: the wheel maps the repository's
    notebooks/ to evalkit/notebooks, beside the packaged framework files."""
    import zipfile

    from hatchling.builders.wheel import WheelBuilder

    (wheel,) = WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    names = set(zipfile.ZipFile(wheel).namelist())
    for notebook in ("agency_report", "portfolio", "explore"):
        assert f"evalkit/notebooks/{notebook}.ipynb" in names
    assert "evalkit/frameworks/pmqa-2562.yaml" in names
    assert "evalkit/templates/report.css" in names
    assert "evalkit/sample/trat/pmqa-2562_2565_assessor-1.xlsx" in names  # evalkit explore's
    assert "evalkit/locale/th/LC_MESSAGES/evalkit.po" in names
    assert "evalkit/locale/th/LC_MESSAGES/phrases.po" in names
    assert "evalkit/exports/sample_data/instruments.yaml" in names  # the sample generator's
    assert "evalkit/py.typed" in names  # type checkers read evalkit's annotations
    assert not any(n.endswith((".orig", ".rej")) for n in names)
    assert not any(n.startswith(("tests/", "notebooks/")) for n in names)


def test_the_licence_file_matches_the_declared_licence():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_no_file_left_over_from_a_merge_or_an_editor_is_in_the_tree():
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout.split("\n")
    stray = [name for name in tracked if re.search(r"(\.(orig|rej|bak)|~)$", name)]
    assert stray == []
