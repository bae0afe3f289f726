"""What every command does alike: ``--version``, ``--lang``, ``--log-file``, help with
examples in Thai and English, and output that goes to the console and to the log at once."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evalkit.cli.parser import TranslatedRawDescriptionHelpFormatter
from evalkit.cli.paths import output_file
from evalkit.core.i18n import LANGUAGES, set_language, translate
from evalkit.core.text import printable_lines

log = logging.getLogger("evalkit")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

#: command -> (example command line, what it does in Thai, in English)
EXAMPLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "validate": (
        ("evalkit validate sheets/*.xlsx", "ตรวจแผ่นคะแนนทุกไฟล์", "check every sheet"),
        (
            "evalkit validate sheet.csv --lang th --json",
            "รายการปัญหาเป็นภาษาไทย ในรูป JSON",
            "the problems in Thai, as JSON",
        ),
    ),
    "score": (
        (
            "evalkit score sheet.xlsx --out scores.csv --rules rules.csv",
            "คำนวณคะแนนและสถานะเกณฑ์รางวัล",
            "score, and write award and target status",
        ),
    ),
    "ingest": (("evalkit ingest sheets/*.xlsx", "บันทึกลงสมุดบันทึกคะแนน", "store in the ledger"),),
    "history": (("evalkit history trat-cdd", "ดูว่าคะแนนเปลี่ยนเมื่อใด", "what changed, and when"),),
    "export": (("evalkit export --out scores.xlsx", "ส่งออกเป็น Excel", "export to Excel"),),
    "feedback": (
        (
            "evalkit feedback sheets/*.xlsx --agency trat-cdd",
            "รายงานป้อนกลับของหน่วยงานหนึ่ง พิมพ์บน A4 (evalkit pdf reports เพื่อทำ PDF)",
            "the feedback document of one agency, for A4 (evalkit pdf reports for PDFs)",
        ),
    ),
    "run": (
        ("evalkit run", "สร้างรายงานจากไฟล์ใน params/", "render the reports of params/"),
        (
            "evalkit run --pdf --quiet --log-file run.log",
            "รันตามกำหนดเวลา พร้อม PDF และบันทึกการทำงาน",
            "a scheduled run, with PDFs and a log",
        ),
        ("evalkit run --json", "สรุปผลในรูป JSON", "the summary as JSON"),
    ),
    "pdf": (
        ("evalkit pdf reports", "เขียน PDF ขนาด A4 ข้างหน้ารายงานทุกหน้า", "an A4 PDF beside each page"),
    ),
    "bundle": (
        ("evalkit bundle --reports reports", "รวมรายงานเป็นไฟล์ zip", "one zip of every report"),
    ),
    "frameworks": (
        ("evalkit frameworks", "รายชื่อเกณฑ์", "list the frameworks"),
        ("evalkit frameworks show pmqa-2562", "ดูเกณฑ์หนึ่ง", "show one framework"),
    ),
    "template": (
        (
            "evalkit template pmqa-2562 --out blank.xlsx",
            "แบบฟอร์มกรอกคะแนนเปล่า",
            "a blank score sheet",
        ),
    ),
    "init": (
        (
            "evalkit init myproject",
            "สร้างโฟลเดอร์โครงการเริ่มต้น",
            "a starter project folder",
        ),
    ),
    "explore": (
        (
            "evalkit explore --project my-province",
            "เปิดแดชบอร์ดสำรวจผลและจำลองคะแนนในเบราว์เซอร์",
            "open the dashboard to explore and simulate in the browser",
        ),
        (
            "evalkit explore --port 8900 --no-browser",
            "ใช้พอร์ตอื่น ไม่เปิดเบราว์เซอร์",
            "another port, no browser",
        ),
    ),
    "poverty": (
        (
            "evalkit poverty households.xlsx --out levels.csv",
            "จัดระดับครัวเรือน A/B/C/F",
            "classify households A/B/C/F",
        ),
    ),
}


def epilog(command: str) -> str | None:
    examples = EXAMPLES.get(command)
    if not examples:
        return None
    lines = ["ตัวอย่าง (examples):"]
    for line, thai, english in examples:
        lines += [f"  {line}", f"      {thai} ({english})"]
    return "\n".join(lines)


def _options(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=default,
        help="language of messages: th or en (default: EVALKIT_LANG, else the locale)",
    )
    parser.add_argument(
        "--log-file",
        type=Path,
        metavar="FILE",
        default=default,
        help="also append what happens, with times, to FILE (for scheduled runs)",
    )


def add_conventions(
    parser: argparse.ArgumentParser, sub: argparse._SubParsersAction, version: str
) -> None:
    """``--version`` on the command; ``--lang``, ``--log-file`` and examples on every one."""
    parser.add_argument("--version", action="version", version=f"evalkit {version}")
    _options(parser, None)
    for name, command in sub.choices.items():
        _options(command, argparse.SUPPRESS)  # so a subcommand never resets the main value
        command.epilog = epilog(name)
        command.formatter_class = TranslatedRawDescriptionHelpFormatter


def early_language(argv: Sequence[str]) -> str | None:
    """The ``--lang`` of a command line, read before it is parsed (for its own errors)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def apply(args: argparse.Namespace) -> None:
    """Set the language and the log file the parsed command asks for."""
    set_language(getattr(args, "lang", None))
    setup_logging(getattr(args, "log_file", None))


def setup_logging(log_file: Path | None) -> None:
    """evalkit's loggers write to ``log_file`` (appending, ISO times) when one is given."""
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()
    log.propagate = False
    log.addHandler(logging.NullHandler())
    if log_file is None:
        return
    output_file(log_file, "log file")  # a folder or a read-only place: one sentence
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def say(message: str, *, error: bool = False, prefix: str = "") -> None:
    """Print ``message`` in the current language for a person (on stderr for an ``error``),
    with the control characters of text from sheets removed, and log it in English."""
    shown = printable_lines(prefix + translate(message))  # no escape sequence from a sheet
    print(shown, file=sys.stderr if error else sys.stdout)
    log.log(logging.WARNING if error else logging.INFO, "%s%s", prefix, message)


def emit_json(document: Any) -> None:
    """A machine-readable result on stdout: one JSON document, UTF-8, nothing else."""
    print(json.dumps(document, ensure_ascii=False, indent=1, default=str))
