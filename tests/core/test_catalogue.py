"""The catalogue against the code: ``pybabel extract``, configured in ``[tool.babel]`` of
pyproject.toml as ``make messages`` runs it, done here in-process through Babel's API. Every
msgid that the code says or a template marks has its Thai, and the Thai catalogue holds what
the extraction finds, neither more nor fuzzy."""

from __future__ import annotations

import ast
import re
import tomllib
from functools import cache

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.pofile import read_po
from helpers import ROOT

from evalkit.core.i18n import CATALOGUES

LOCALE = ROOT / "evalkit" / "locale"
THAI = re.compile("[\u0e00-\u0e7f]")
#: a msgid of placeholders and punctuation only (``{first}, {second}``): nothing to translate
WORDLESS = re.compile(r"(?:\{\w+\}|[^A-Za-z])*")
#: modules that give msg() or _() a text that is not a literal, and why: each such text is in
#: phrases.po, or said as a literal where it is declared
UNSEEN = {
    "core/i18n.py": "the functions themselves",
    "cli/parser.py": "argparse's help texts and headings (phrases.po)",
    "cli/config.py": "the words of an option's own type check (phrases.po)",
    "runner/plan/paramschema.py": "the params schema's x-expected texts (phrases.po)",
    "sheets/ledgerfile.py": "_Said, a keyword of the extraction",
}


def _key(message_id: str | tuple[str, ...], context: str | None = None) -> str:
    """A msgid, its context before it as gettext keys it (``context\x04msgid``)."""
    text = message_id if isinstance(message_id, str) else message_id[0]
    return f"{context}\x04{text}" if context else text


@cache
def extracted() -> frozenset[str]:
    """The msgids ``pybabel extract`` finds (each with its context), with the options
    ``make messages`` gives it."""
    babel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["babel"]
    options = babel["extract_messages"]
    method_map = [(m["pattern"], m["method"]) for m in babel["mappings"]]
    keywords = parse_keywords(options["keywords"])
    found = set()
    for folder in options["input-paths"]:
        for _file, _line, message, _comments, context in extract_from_dir(
            str(ROOT / folder), method_map, keywords=keywords
        ):
            found.add(_key(message, context))
    return frozenset(found)


def catalogue(name: str) -> Catalog:
    with (LOCALE / "th" / "LC_MESSAGES" / f"{name}.po").open("rb") as handle:
        return read_po(handle, locale="th")


def test_the_extraction_reads_the_code_and_the_templates():
    assert len(extracted()) > 300
    assert "never rendered into this folder" in extracted()  # msg() in the runner
    assert "{first}, {second}" in extracted()  # msg() with placeholders only
    ledger = "{path} is not an evalkit ledger (not an SQLite file); name the ledger `evalkit "
    assert ledger + "ingest` made, or a new file to start one." in extracted()  # _Said


def test_every_extracted_msgid_has_its_thai():
    """A message said in the code or marked in a template without its Thai fails here,
    named: run `make messages`, then write its msgstr in evalkit.po."""
    thai = {
        _key(m.id, m.context): m.string if isinstance(m.string, str) else m.string[0]
        for name in CATALOGUES
        for m in catalogue(name)
        if m.id
    }
    missing = sorted(
        msgid
        for msgid in extracted()
        if not WORDLESS.fullmatch(msgid.split("\x04")[-1])
        and not THAI.search(thai.get(msgid) or "")
    )
    assert missing == [], "no Thai in evalkit/locale/th/LC_MESSAGES/evalkit.po for these"


def test_the_thai_catalogue_holds_what_the_code_says_and_nothing_else():
    """evalkit.po is what `make messages` makes of the extraction: no entry the code no longer
    says (a fixed phrase handed over as finished English belongs in phrases.po), none fuzzy
    or obsolete, none in both files."""
    said = catalogue("evalkit")
    held = {_key(m.id, m.context) for m in said if m.id}
    assert sorted(held - extracted()) == [], "not said by the code: run `make messages`"
    assert sorted(extracted() - held) == [], "not in evalkit.po yet: run `make messages`"
    assert [m.id for m in said if m.fuzzy and m.id] == []
    assert list(said.obsolete) == [], "obsolete entries (#~) left in evalkit.po"
    phrases = {_key(m.id, m.context) for m in catalogue("phrases") if m.id}
    assert sorted(held & phrases) == [], "in both catalogues: keep the entry in evalkit.po only"


def test_the_template_catalogue_is_current():
    with (LOCALE / "evalkit.pot").open("rb") as handle:
        template = {_key(m.id, m.context) for m in read_po(handle) if m.id}
    assert template == extracted(), "evalkit/locale/evalkit.pot is stale: run `make messages`"


def test_every_message_is_said_where_the_extraction_sees_it():
    """pybabel reads a call's literal text, and nothing inside an f-string: a message built
    from a variable, or inside ``f"{msg(...)}"``, would never reach the catalogue."""
    keywords = {"msg", "pmsg", "_", "ngettext"}
    unseen = []
    for path in sorted((ROOT / "evalkit").glob("**/*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside = {
            id(node)
            for joined in ast.walk(tree)
            if isinstance(joined, ast.JoinedStr)
            for node in ast.walk(joined)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _name(node.func) not in keywords:
                continue
            texts = node.args[: 2 if _name(node.func) in ("pmsg", "ngettext") else 1]
            literal = all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in texts)
            if id(node) in inside or not literal:
                unseen.append(path.relative_to(ROOT / "evalkit").as_posix())
    assert sorted(set(unseen)) == sorted(UNSEEN), "say a msgid as a literal, outside f-strings"


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
