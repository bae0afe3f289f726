"""``evalkit poverty``: classify households A/B/C/F."""

from __future__ import annotations

import argparse


def _cmd_poverty(args: argparse.Namespace) -> int:
    from evalkit.analysis.poverty import main_poverty

    return main_poverty(args.file, args.out)


def register(sub: argparse._SubParsersAction, shared: dict[str, argparse.ArgumentParser]) -> None:
    """Add ``poverty`` to the ``evalkit`` parser."""
    p = sub.add_parser("poverty", help="classify households A/B/C/F and count them by menu")
    p.add_argument("file", metavar="FILE", help="household records (CSV or XLSX)")
    p.add_argument("--out", metavar="FILE.csv", help="also write both tables as CSV")
    p.set_defaults(func=_cmd_poverty)
