"""The command starts without what it never uses; library use of evalkit is left as it is."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT

REPORT = ROOT / "notebooks" / "agency_report.ipynb"


def python(code: str) -> list[str]:
    """What a fresh interpreter prints running ``code``, one entry per line."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def test_the_command_never_builds_the_iri_grammars():
    """jsonschema (through nbformat) would import rfc3987_syntax, a second of start-up."""
    out = python(
        "import sys, evalkit.cli, evalkit.runner.run, nbformat, jsonschema\n"
        f"nbformat.validate(nbformat.read({str(REPORT)!r}, as_version=4))\n"
        "print(sys.modules['rfc3987_syntax'] is None)\n"
        "print('iri' in jsonschema.FormatChecker.checkers)\n"
        "print('date-time' in jsonschema.FormatChecker.checkers)\n"
    )
    assert out == ["True", "False", "True"]


def test_python_m_evalkit_is_the_command_too():
    out = python(
        "import runpy, sys\n"
        "sys.argv = ['evalkit', '--version']\n"
        "try:\n"
        "    runpy.run_module('evalkit', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sys.modules['rfc3987_syntax'] is None)\n"
    )
    assert out[-1] == "True"


def test_import_evalkit_leaves_jsonschema_whole():
    """A kernel or a script that imports evalkit, then nbformat, gets every format checker."""
    out = python(
        "import sys, evalkit\n"
        "print('nbformat' in sys.modules, 'rfc3987_syntax' in sys.modules)\n"
        "import evalkit.runner.run, jsonschema\n"
        "print(sys.modules.get('rfc3987_syntax') is not None)\n"
        "print('iri' in jsonschema.FormatChecker.checkers)\n"
    )
    assert out == ["False False", "True", "True"]


def test_evalkit_checks_files_without_building_the_iri_grammars():
    """A report process warms up (and a kernel checks a framework) without the grammars,
    and a notebook can still import the package that builds them."""
    out = python(
        "import sys\n"
        "from evalkit.runner.engines.shell import make_shell, Outputs\n"
        "from evalkit.report.warm import warm_up\n"
        "make_shell(Outputs())\n"
        "warm_up()\n"
        "say = sys.__stdout__.write\n"
        "say(f\"{'jsonschema' in sys.modules} {'rfc3987_syntax' in sys.modules}\\n\")\n"
        "import rfc3987_syntax\n"
        'say(f\'{rfc3987_syntax.is_valid_syntax("iri", "https://example.org/")}\\n\')\n'
    )
    assert out == ["True False", "True"]


def test_a_report_process_loads_neither_the_planner_nor_nbformat():
    """What a worker's report process imports first (``evalkit.runner.engines.shell``) is small."""
    out = python(
        "import sys\n"
        "from evalkit.runner.engines.shell import make_shell, Outputs\n"
        "make_shell(Outputs())  # it takes sys.stdout over\n"
        "say = sys.__stdout__.write\n"
        "say(repr(sorted(m for m in ('evalkit.runner.run', 'nbformat', 'jsonschema',\n"
        "    'rfc3987_syntax') if m in sys.modules)) + '\\n')\n"
        "from evalkit import RunOptions, run\n"
        "say(f'{run.__module__} {RunOptions.__module__}\\n')\n"
    )
    assert out == ["[]", "evalkit.runner.run evalkit.runner.run"]


HEAVY = ("pandas", "numpy", "openpyxl", "yaml", "jinja2", "matplotlib", "nbformat")


def loaded_after(code: str) -> list[str]:
    """The heavy packages loaded once ``code`` has run in a fresh interpreter."""
    out = python(
        "import sys, contextlib, io\n"
        "from evalkit.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    {code}\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    return out


def test_the_version_help_and_schema_need_no_data_library():
    """A command that reads no data starts without pandas, numpy, openpyxl or YAML."""
    assert loaded_after("main(['--version'])") == ["[]"]
    assert loaded_after("main(['--help'])") == ["[]"]
    assert loaded_after("main(['run', '--help'])") == ["[]"]
    assert loaded_after("main(['frameworks', 'schema'])") == ["[]"]


def test_a_command_that_reads_data_loads_what_it_needs():
    """The check above can fail: a command that lists frameworks reads them with YAML."""
    assert "'yaml'" in loaded_after("main(['frameworks', 'list'])")[0]
