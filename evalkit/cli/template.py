"""``evalkit template``: a blank score sheet for a framework, the templates of a round (one
workbook per assessor, every agency's rows filled in), or the household file of
``evalkit poverty``."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit.cli.common import EXIT_OK, project, registry_of
from evalkit.cli.conventions import say
from evalkit.cli.paths import output_file, output_folder
from evalkit.core.dates import BE_YEARS, CE_OFFSET
from evalkit.core.errors import EvalkitError
from evalkit.core.i18n import msg

if TYPE_CHECKING:
    from evalkit.exports.round import Agency
    from evalkit.frameworks.model import Framework
    from evalkit.frameworks.registry import Registry
    from evalkit.runner.plan import ReportParams

#: The id ``evalkit template`` takes for the household file of ``evalkit poverty``.
HOUSEHOLDS = "poverty"


def _cmd_template(args: argparse.Namespace) -> int:
    from evalkit.exports.template import write_household_template, write_template

    if args.assessors is not None:
        return _round(args)
    if args.agencies or args.year:
        raise SystemExit("evalkit template: --agencies and --year go with --assessors")
    if Path(args.out).suffix.lower() not in (".csv", ".xlsx"):
        raise SystemExit("evalkit template: --out must end in .xlsx or .csv")
    output_file(args.out, msg("template"))
    if args.framework == HOUSEHOLDS:
        if args.categories or args.factors:
            raise SystemExit(
                "evalkit template poverty: --categories and --factors are for frameworks"
            )
        written = write_household_template(args.out)
    else:
        framework = registry_of(args).get(args.framework)
        written = write_template(framework, args.out, _categories(args), args.factors)
    for path in written:
        say(str(path))
    return EXIT_OK


def _categories(args: argparse.Namespace) -> list[str]:
    return [c.strip() for c in (args.categories or "").split(",") if c.strip()]


def _round(args: argparse.Namespace) -> int:
    """One workbook per assessor, every agency's rows filled in."""
    from evalkit.exports.round import read_agencies, write_round

    assessors = [name.strip() for name in args.assessors.split(",")]
    if args.framework == HOUSEHOLDS or not all(assessors):
        raise SystemExit(
            "evalkit template: --assessors takes the assessors' names, separated by commas, "
            "for a framework"
        )
    folder = output_folder(
        args.out, msg("templates folder"), [args.agencies] if args.agencies else []
    )
    registry = registry_of(args)
    framework = registry.get(args.framework)
    if args.agencies:
        agencies = read_agencies(args.agencies)
    else:
        agencies = _agencies_in_params(args, framework, registry)
    year = args.year or date.today().year + CE_OFFSET
    written = write_round(
        framework, agencies, assessors, year, folder, _categories(args), args.factors
    )
    for path in written:
        say(str(path))
    done = msg(
        "{count} workbooks, one per assessor, each with the rows of {agencies} agencies "
        "({framework}, year {year}).",
        count=len(written),
        agencies=len(agencies),
        framework=framework.id,
        year=year,
    )
    say(str(done))
    return EXIT_OK


def _year(text: str) -> int:
    """An argparse type: a year, Buddhist era (a common-era year is turned into one)."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            msg("expected a year such as 2568, found {text}", text=repr(text))
        ) from None
    if year + CE_OFFSET in BE_YEARS:
        year += CE_OFFSET
    if year not in BE_YEARS:
        raise argparse.ArgumentTypeError(
            msg("expected a year such as 2568, found {text}", text=repr(text))
        )
    return year


def _names_in_data(params: Iterable[ReportParams], registry: Registry) -> dict[str, str]:
    """Each agency's name in the sheets its params file names (the latest year's), where
    they can be read."""
    from evalkit.sheets.load import load_sheets

    names: dict[str, str] = {}
    for p in params:
        try:
            agencies = load_sheets(p.data, registry).agencies()
        except EvalkitError:
            continue
        mine = agencies[agencies["agency_id"].astype(str) == p.agency_id].sort_values("year")
        if len(mine):
            names[p.agency_id] = str(mine["agency_name"].iloc[-1])
    return names


def _agencies_in_params(
    args: argparse.Namespace, framework: Framework, registry: Registry
) -> list[Agency]:
    """The agencies of the project's params files for ``framework``, named as their data
    names them."""
    from evalkit.exports.round import Agency
    from evalkit.runner.plan import load_params

    folder = project(args) / "params"
    found: dict[str, ReportParams] = {}
    for path in sorted(folder.glob("*.yaml")):
        params = load_params(path)
        if params.framework == framework.id:
            found.setdefault(params.agency_id, params)
    if not found:
        said = msg(
            "No params file in {folder} is for {framework}: name the agencies with --agencies.",
            folder=folder,
            framework=framework.id,
        )
        raise EvalkitError(str(said))
    names = _names_in_data(found.values(), registry)
    unnamed = [a for a in found if a not in names]
    if unnamed:
        said = msg(
            "No name for the agencies {agencies} in the sheets their params files name: "
            "name them with --agencies FILE (agency_id, agency_name).",
            agencies=", ".join(unnamed),
        )
        raise EvalkitError(str(said))
    return [Agency(a, names[a]) for a in found]


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: dict[str, argparse.ArgumentParser],
) -> None:
    """Add ``template`` to the ``evalkit`` parser."""
    p = sub.add_parser(
        "template",
        parents=[shared["frameworks"]],
        help="write a blank score sheet for a framework, the templates of a round (one per "
        "assessor, with --assessors), or, with ID poverty, a household file",
    )
    p.add_argument("framework", metavar="ID", help="a framework id, or poverty")
    p.add_argument("--out", required=True, metavar="FILE.xlsx|FILE.csv|DIR")
    p.add_argument(
        "--categories",
        metavar="KEYS",
        help="only these categories, comma-separated (a category award: --categories 2)",
    )
    p.add_argument(
        "--factors",
        action="store_true",
        help="add the factor columns (ADLI a, d, l, i; LeTCI le, t, c, i) to band sheets",
    )
    p.add_argument(
        "--assessors",
        metavar="NAMES",
        help="write one workbook per assessor into the folder --out, every agency's rows filled "
        "in (names separated by commas)",
    )
    p.add_argument(
        "--agencies",
        metavar="FILE",
        help="the agencies of the round: a CSV or XLSX of agency_id and agency_name (default: "
        "the project's params files for ID)",
    )
    p.add_argument(
        "--year",
        type=_year,
        metavar="YEAR",
        help="the year of the round, Buddhist era (default: this year)",
    )
    p.set_defaults(func=_cmd_template)
