"""Commands that render and share reports: ``run`` and ``bundle``."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from evalkit.cli.common import (
    EXIT_ENVIRONMENT,
    EXIT_FAILED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    InProject,
    in_project,
    project,
)
from evalkit.cli.conventions import emit_json, log, quiet, say
from evalkit.cli.paths import (
    count,
    existing_file,
    existing_folder,
    output_file,
    output_folder,
    seconds,
)
from evalkit.cli.pdf import add_thai_digits, write_pdfs
from evalkit.core.i18n import Message, msg
from evalkit.frameworks.vocabulary import consensus_names
from evalkit.runner.registry import engine_names, executor_names
from evalkit.runner.status import NOT_RENDERED, Status

PREFIX = "evalkit run: "
#: how long ``--wait`` queues behind another run unless ``--wait-timeout`` says otherwise
WAIT_SECONDS = 7200.0
#: the statuses of reports that did not render


def exit_status(results: Iterable[Any]) -> int:
    """1 when a report was refused as invalid (its input is fixed first); 5 when one failed
    for the machine (a full disk); 3 when one failed to render; else 0."""
    failed = [r for r in results if r.status in NOT_RENDERED]
    if any(r.status == Status.INVALID for r in failed):
        return EXIT_INVALID
    if any(r.environment for r in failed):
        return EXIT_ENVIRONMENT
    return EXIT_FAILED if failed else EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from evalkit.runner.plan import because_lines
    from evalkit.runner.run import RunOptions, portfolio_notebook, run, summary_table

    folder = project(args)
    for given in (args.notebook, args.portfolio_notebook):
        if given is not None:
            existing_file(given, msg("notebook"))
    params = args.params or sorted((folder / "params").glob("*.yaml"))
    if not params:
        say(
            msg("no params files given and none in {folder}", folder=folder / "params"),
            error=True,
            prefix=PREFIX,
        )
        return EXIT_USAGE
    options = RunOptions(
        jobs=args.jobs,
        engine=args.engine or RunOptions.engine,
        executor=args.executor,
        scheduler=args.scheduler,
        timeout=args.timeout or None,
        retry=args.retry,
        force=args.force,
        wait=_wait(args),
        quiet=quiet() or args.json,
        restart_every=args.restart_every,
        consensus=args.consensus,
        project=folder,
        strict=args.strict,
        prune=args.prune,
        overrides=_overrides(args),
        keep_notebooks=args.keep_notebooks,
    )
    out = output_folder(in_project(args, args.out), msg("reports folder"), params)
    portfolio = None if args.no_portfolio else args.portfolio_notebook or portfolio_notebook(folder)
    results = run(params, out, options, args.notebook, portfolio)
    for r in results:
        log.info("report %s: %s in %.2f s", r.job.key, r.status, r.seconds)
    code = exit_status(results)
    if args.json:
        pdfs = write_pdfs(out, quiet=True, thai_digits=args.thai_digits) if args.pdf else []
        emit_json(run_summary(results, out, pdfs))
        return code
    for line in summary_table(results):
        say(line, always=code != EXIT_OK)  # --quiet: the summary when something went wrong
    for because in because_lines(results):
        say(because)
    _say_skipped(args)
    for r in results:
        if r.status in NOT_RENDERED:  # this machine's console: the problems as they are
            detail = r.log if r.status == Status.INVALID and r.log else r.error
            say(_not_rendered(r.status, r.job.key, detail), error=True)
    say(msg("Index: {path}", path=(out / "index.html").resolve()), always=code != EXIT_OK)
    if args.pdf:  # after the summary, so that a missing PDF engine hides nothing of the run
        write_pdfs(out, thai_digits=args.thai_digits)
    return code


def _not_rendered(status: Status, key: str, detail: object) -> Message:
    """Why a report was not rendered, as this machine's console shows it."""
    if status == Status.INVALID:
        return msg("invalid: {key}: {error}", key=key, error=detail)
    return msg("failed: {key}: {error}", key=key, error=detail)


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The notebook values of ``-f FILE.yaml`` and then each ``-p NAME VALUE``, checked as a
    params file's ``parameters:`` are."""
    from evalkit.core.errors import COMMAND_LINE, InvalidInputError
    from evalkit.runner.plan import parameter_problems

    given = {name: _value(text) for name, text in args.parameter or []}
    problems = parameter_problems(Path(COMMAND_LINE), given)
    values: dict[str, Any] = {}
    if args.parameters_file is not None:
        source = existing_file(args.parameters_file, msg("parameters file"))
        values = _parameters_file(source)
        kept = {name: value for name, value in values.items() if name not in given}
        problems = parameter_problems(source, kept) + problems  # each where its value came from
    if problems:
        raise InvalidInputError(problems)
    return values | given


def _parameters_file(path: Path) -> dict[str, Any]:
    import yaml

    from evalkit.core.errors import InvalidInputError, Problem
    from evalkit.core.files import read_text_file
    from evalkit.core.safeyaml import load_yaml

    expected = msg("a YAML mapping of notebook parameters, e.g. {top_gaps: 8}")
    try:
        found = load_yaml(read_text_file(path))
    except (ValueError, yaml.YAMLError) as exc:
        found = exc
    if not isinstance(found, dict):
        what = str(found) if isinstance(found, Exception) else type(found).__name__
        problem = Problem(file=str(path), row=0, column="", found=what, expected=expected)
        raise InvalidInputError([problem])
    return found


def _value(text: str) -> Any:
    """A ``-p`` value as papermill reads one: a whole number, a decimal, True, False or None,
    else the text itself."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"True": True, "False": False, "None": None}.get(text, text)


def _wait(args: argparse.Namespace) -> float:
    """Seconds to queue behind another run: ``--wait-timeout``, else two hours with
    ``--wait``, else none."""
    if args.wait_timeout is not None:
        return float(args.wait_timeout)
    return WAIT_SECONDS if args.wait else 0.0


def _say_skipped(args: argparse.Namespace) -> None:
    """What reading the run's sheets left aside: one line per reason."""
    from evalkit.runner.plan import skipped_in_run

    skipped = skipped_in_run()
    if not skipped:  # a run whose sheets were not read again (none changed) needs no pandas
        return
    from evalkit.sheets.skipped import skipped_lines

    for line in skipped_lines(skipped, verbose=bool(getattr(args, "verbose", False))):
        say(line)


def run_summary(results: list[Any], out: Path, pdfs: list[str]) -> dict[str, Any]:
    """What ``run --json`` prints: counts, every report, the index and the PDFs."""
    counts = {str(s): sum(r.status == s for r in results) for s in Status}
    return {
        "counts": counts,
        "index": str((out / "index.html").resolve()),
        "reports": [
            {
                "key": r.job.key,
                "kind": r.job.kind,
                "agency_id": r.job.agency_id,
                "year": r.job.year,
                "framework": r.job.framework,
                "status": r.status,
                "seconds": round(r.seconds, 3),
                "attempts": r.attempts,
                "changes": list(r.job.changes),
                "error": r.error or None,
                "page": str(r.job.output),
                "points": r.summary.get("points"),
                "max_points": r.summary.get("max_points"),
            }
            for r in results
        ],
        "pdf": pdfs,
    }


def _cmd_bundle(args: argparse.Namespace) -> int:
    from evalkit.runner.publish import bundle

    reports = existing_folder(in_project(args, args.reports), msg("reports folder"))
    out = output_file(args.out, msg("archive"), suffixes=(".zip",)) if args.out else None
    say(str(bundle(reports, out, args.agency)))
    return EXIT_OK


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--jobs",
        type=count(1),
        default=os.cpu_count() or 1,
        metavar="N",
        help="reports rendered at once (default: the number of cores)",
    )
    p.add_argument(
        "--engine",
        choices=engine_names(),
        default=None,
        help="shell: a kept-warm IPython process per worker (default; warm on Windows); "
        "warm: a kept-warm Jupyter kernel per worker; papermill: a fresh kernel per report",
    )
    p.add_argument(
        "--executor",
        choices=executor_names(),
        default="local",
        help="local: worker processes on this machine (default); dask: a Dask cluster "
        "(pip install 'evalkit[dask]')",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --executor dask: the scheduler to use, e.g. tcp://10.0.0.5:8786 "
        "(default: a LocalCluster of --jobs workers on this machine)",
    )
    p.add_argument(
        "--timeout",
        type=seconds,
        default=300,
        metavar="SECONDS",
        help="longest a cell may run (default 300; 0 for no limit)",
    )
    p.add_argument(
        "--retry", type=count(0), default=0, metavar="N", help="retry failed reports N times"
    )
    p.add_argument("--force", action="store_true", help="render even unchanged reports")
    p.add_argument(
        "--wait",
        action="store_true",
        help="wait for another run on the same folder, not refuse (exit status 4 when it "
        "still holds the folder after --wait-timeout)",
    )
    p.add_argument(
        "--wait-timeout",
        type=seconds,
        default=None,
        metavar="SECONDS",
        help="wait at most this long for another run (default with --wait: 7200)",
    )
    p.add_argument(
        "--restart-every",
        type=count(1),
        default=50,
        metavar="K",
        help="restart a worker's report process or kernel after K reports (default 50)",
    )


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: dict[str, argparse.ArgumentParser],
) -> None:
    """Add ``run`` and ``bundle`` to the ``evalkit`` parser."""
    p = sub.add_parser(
        "run",
        parents=[shared["base"]],
        help="render one HTML report per agency and year, and an index",
    )
    p.add_argument(
        "params",
        nargs="*",
        type=Path,
        metavar="PARAMS",
        help="params YAML files (default: every file in PROJECT/params/)",
    )
    p.add_argument(
        "--out", default=InProject("reports"), metavar="DIR", help="(default: PROJECT/reports)"
    )
    _add_run_options(p)
    _add_output_options(p)
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "bundle", parents=[shared["base"]], help="one zip of the index and every report, to share"
    )
    p.add_argument(
        "--reports", default=InProject("reports"), metavar="DIR", help="(default: PROJECT/reports)"
    )
    p.add_argument("--out", metavar="FILE.zip", help="(default: DIR/evalkit-reports.zip)")
    p.add_argument(
        "--agency",
        metavar="ID",
        help="one agency's pages, PDFs and feedback documents (default: DIR/evalkit-ID.zip)",
    )
    p.set_defaults(func=_cmd_bundle)


def _add_output_options(p: argparse.ArgumentParser) -> None:
    """The options of ``run`` on what it renders and what it writes beside the pages."""
    p.add_argument(
        "--notebook",
        type=Path,
        help="the report notebook (default: PROJECT/notebooks/agency_report.ipynb when it "
        "exists, else the one that ships with evalkit)",
    )
    p.add_argument(
        "--portfolio-notebook",
        type=Path,
        help="the notebook of the portfolio pages, one per framework and year (default: "
        "PROJECT/notebooks/portfolio.ipynb when it exists, else evalkit's)",
    )
    p.add_argument("--no-portfolio", action="store_true", help="render no portfolio pages")
    p.add_argument(
        "--strict",
        action="store_true",
        help="render nothing when any params file or sheet has a problem (default: mark that "
        "file's reports invalid and render the others)",
    )
    p.add_argument(
        "--prune",
        action="store_true",
        help="drop from the index and the manifest the reports whose params files are gone",
    )
    p.add_argument(
        "--pdf", action="store_true", help="also write an A4 PDF beside each page (see evalkit pdf)"
    )
    add_thai_digits(p)
    p.add_argument(
        "--json", action="store_true", help="print the summary as JSON (no progress bar)"
    )
    p.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="a notebook parameter for every agency report, as papermill's -p (repeatable)",
    )
    p.add_argument(
        "-f",
        "--parameters-file",
        type=Path,
        metavar="FILE.yaml",
        help="notebook parameters for every agency report from a YAML file, as papermill's -f",
    )
    p.add_argument(
        "--keep-notebooks",
        action="store_true",
        help="keep each executed notebook beside its page (<year>.ipynb), to debug it",
    )
    p.add_argument(
        "--consensus",
        choices=consensus_names(),
        help="how assessors' values become one (default: each framework's rule)",
    )
