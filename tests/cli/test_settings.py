"""The command's conventions: defaults from a project's evalkit.toml or pyproject.toml, one rule
for relative paths, ``-v`` and ``--debug``."""

from __future__ import annotations

import logging

import pytest
from helpers import ROOT

from evalkit.cli.main import main

SHEET = ROOT / "data" / "sample" / "trat" / "cdd-clean_2564_assessor-1.csv"


@pytest.fixture
def places(tmp_path, monkeypatch):
    """A project folder and, apart from it, the folder the command is typed in."""
    project, here = tmp_path / "project", tmp_path / "here"
    project.mkdir()
    here.mkdir()
    monkeypatch.chdir(here)
    return project, here


def test_a_default_path_is_inside_the_project_and_a_given_one_where_it_is_typed(places):
    project, here = places
    assert main(["ingest", str(SHEET), "--project", str(project), "-q"]) == 0
    assert (project / "data" / "ledger.sqlite").is_file()
    assert (
        main(["ingest", str(SHEET), "--project", str(project), "--ledger", "l.sqlite", "-q"]) == 0
    )
    assert (here / "l.sqlite").is_file()
    assert not (project / "l.sqlite").exists()


def test_evalkit_toml_gives_a_command_its_defaults(places, capsys):
    project, here = places
    (project / "evalkit.toml").write_text('[ingest]\nledger = "store/scores.sqlite"\n', "utf-8")
    assert main(["ingest", str(SHEET), "--project", str(project), "-q"]) == 0
    assert (project / "store" / "scores.sqlite").is_file()  # a path of the settings: in the project
    assert main(["ingest", str(SHEET), "--project", str(project), "--ledger", "x.sqlite"]) == 0
    assert (here / "x.sqlite").is_file()  # the command line wins


def test_the_tool_table_of_pyproject_toml_too(places, capsys):
    project, _ = places
    (project / "pyproject.toml").write_text(
        '[project]\nname = "office"\n\n[tool.evalkit]\nlang = "th"\n', "utf-8"
    )
    assert main(["frameworks", "show", "nosuch", "--project", str(project)]) == 1
    assert "Unknown framework" not in capsys.readouterr().err  # said in Thai
    assert main(["--lang", "en", "frameworks", "show", "nosuch", "--project", str(project)]) == 1
    assert "Unknown framework" in capsys.readouterr().err


def test_the_settings_language_reaches_the_message(places, capsys):
    project, _ = places
    (project / "evalkit.toml").write_text('lang = "th"\n', "utf-8")
    assert main(["validate", str(project / "missing.csv"), "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "missing.csv" in err and "found no such file" not in err


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ("jobz = 3\n", "evalkit.toml: found 'jobz'; expected an option of a command"),
        ("[run]\nbogus = 1\n", "evalkit.toml: found 'run.bogus'; expected one of the options"),
        (
            '[run]\njobs = "many"\n',
            "evalkit.toml: found run.jobs = 'many'; expected a whole number.",
        ),
        ('[run]\nengine = "fast"\n', "found run.engine = 'fast'; expected shell, warm, papermill."),
        ('[run]\nforce = "yes"\n', "found run.force = 'yes'; expected true or false."),
        ('[run]\nout = ["a", "b"]\n', "found run.out = ['a', 'b']; expected one value."),
        ("[run]\nout = 2567\n", "found run.out = 2567; expected a path."),
        ("[run]\nnotebook = 1.5\n", "found run.notebook = 1.5; expected a path."),
        ("lang = [\n", "expected a TOML file."),
    ],
)
def test_settings_a_command_would_refuse_stop_it_before_it_starts(places, capsys, settings, said):
    project, _ = places
    (project / "evalkit.toml").write_text(settings, "utf-8")
    code = main(["--lang", "en", "run", "--project", str(project)])
    err = capsys.readouterr().err
    assert code == 1
    assert said in err
    assert "Traceback" not in err and str(project) not in err


def test_debug_shows_the_traceback_behind_a_failure_and_only_then(places, capsys):
    assert main(["--lang", "en", "frameworks", "show", "nosuch"]) == 1
    plain = capsys.readouterr().err
    assert main(["--lang", "en", "frameworks", "show", "nosuch", "--debug"]) == 1
    debugged = capsys.readouterr().err
    assert "Traceback" not in plain and "Traceback (most recent call last)" in debugged
    assert debugged.rstrip().endswith(plain.rstrip())  # the same sentence, last


def test_verbose_prints_what_the_library_logs(places, capsys):
    logging.getLogger("evalkit.runner").setLevel(logging.NOTSET)
    main(["frameworks", "list", "-v"])
    logging.getLogger("evalkit.runner").info("a window of reports")  # as the runner logs
    assert "INFO evalkit.runner: a window of reports" in capsys.readouterr().err
    main(["frameworks", "list"])
    logging.getLogger("evalkit.runner").info("a window of reports")
    assert "a window of reports" not in capsys.readouterr().err


def test_every_path_option_with_a_default_in_the_project_says_so():
    """An output, reports or ledger option with a default has it inside the project folder."""
    from evalkit.cli.common import InProject
    from evalkit.cli.config import _commands
    from evalkit.cli.main import build_parser

    defaults = [
        (name, option.dest, option.default)
        for name, command in _commands(build_parser()).items()
        for option in command._actions
        if option.dest in ("out", "reports", "ledger") and isinstance(option.default, str)
    ]
    assert len(defaults) >= 5
    assert [d for d in defaults if not isinstance(d[2], InProject)] == []
