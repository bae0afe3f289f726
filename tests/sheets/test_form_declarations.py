"""One declaration per sheet form: factor columns from the framework file, a toy form and a
toy column added by one registration each, and the README's tables written from the
declarations."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import yaml
from helpers import GOLDEN, ROOT

from evalkit import Registry, load_sheets, score
from evalkit.core.declared import DeclarationError
from evalkit.exports.template import write_template
from evalkit.frameworks.vocabulary import METHODS
from evalkit.scoring import methods
from evalkit.sheets.columns import COLUMNS, EVERY_FORM, Column
from evalkit.sheets.forms import (
    FORMS,
    IDENTITY,
    Form,
    declare_form,
    register_column,
    register_form,
    unregister_column,
    unregister_form,
    yes_no,
)
from evalkit.sheets.forms.docs import blank_row_table, form_table
from evalkit.sheets.ledger import Ledger
from evalkit.sheets.load import check_sheets

RADAR = (
    (GOLDEN / "frameworks" / "golden-mini.yaml")
    .read_text(encoding="utf-8")
    .replace(
        "id: golden-mini",
        "id: radar-mini\nbands: [[0, 5], [10, 25], [30, 45], [50, 65], [70, 85], [90, 100]]\n"
        "factors: {radar: [r, ap, dp, as]}",
    )
    .replace("  - key: A\n", "  - key: A\n    factors: radar\n")
)
HEADER = "agency_id,agency_name,year,framework,assessor,item,percent"


@pytest.fixture
def radar(tmp_path) -> Registry:
    folder = tmp_path / "frameworks"
    folder.mkdir()
    (folder / "radar-mini.yaml").write_text(RADAR, encoding="utf-8")
    return Registry([folder])


def test_factor_columns_come_from_the_framework_file(radar, write_sheet):
    sheet = write_sheet(
        f"{HEADER},r,ap,dp,as\n"
        "x,ก,2565,radar-mini,A,A.1,45,80,40,60,70\n"
        "x,ก,2565,radar-mini,A,A.2,50,60,60,60,60\n"
    )
    bands = load_sheets([sheet], radar).bands
    assert bands[["r", "ap", "dp", "as"]].to_numpy().tolist() == [[80, 40, 60, 70], [60] * 4]
    assert bands["r"].dtype == "float64"


def test_a_framework_factor_is_checked_and_caps_the_band(radar, write_sheet):
    sheet = write_sheet(
        f"{HEADER},r,ap,dp,as\n"
        "x,ก,2565,radar-mini,A,A.1,50,80,40,60,70\n"
        "x,ก,2565,radar-mini,A,A.2,50,60,120,60,60\n"
    )
    _, problems = check_sheets([sheet], radar)
    found = {(p.row, p.column): str(p.expected) for p in problems}
    assert found == {
        (2, "percent"): "at most 45: the weakest factor ap = 40 caps the band at 30-45",
        (3, "ap"): "a factor score from 0 to 100 (RADAR)",
    }


@pytest.mark.parametrize(
    ("framework", "row", "column", "factors"),
    [
        ("radar-mini", "A.1,50,,,,,60", "a", "r, ap, dp, as"),  # radar items take no `a`
        ("radar-mini", "B.1,50,,,,,60", "a", "none"),  # category B declares no factors
        ("pmqa-2562", "7.1,50,,,,,60", "a", "le, t, c, i"),  # a LeTCI item takes no `a`
        ("cdd-clean", "1.1,,3,,,,60", "a", "none"),  # rating items take no factor
    ],
)
def test_a_factor_the_framework_does_not_declare_is_refused(
    radar, write_sheet, framework, row, column, factors
):
    sheet = write_sheet(
        "agency_id,agency_name,year,framework,assessor,item,percent,rating,r,ap,dp,a\n"
        f"x,ก,2565,{framework},A,{row}\n"
    )
    _, problems = check_sheets([sheet], radar)
    refused = [p for p in problems if p.column == column]
    assert [p.row for p in refused] == [2]
    assert str(refused[0].expected) == (
        f"an empty cell: {framework} declares no factor {column} for this item "
        f"(its factors: {factors})"
    )


def test_a_template_carries_the_framework_factors_and_reads_back(radar, tmp_path):
    (path,) = write_template(radar.get("radar-mini"), tmp_path / "t.csv", factors=True)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert header[7:12] == ["ร้อยละ (percent)", "r", "ap", "dp", "as"]
    for row in rows:  # what an assessor fills in: who, the percent and the four factors
        row[:3], row[4], row[7:12] = ["x", "ก", "2565"], "A", ["45", "80", "40", "60", "70"]
    rows = [row for row in rows if row[5].startswith("A.")]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    bands = load_sheets([path], radar).bands
    assert bands[["item", "percent", "r", "ap", "dp", "as"]].astype(
        {"item": str}
    ).values.tolist() == [
        ["A.1", 45, 80, 40, 60, 70],
        ["A.2", 45, 80, 40, 60, 70],
    ]


#: A toy form, declared as the packaged ones are in sheets/vocabulary.yaml: one record (its own
#: column with it), bound to its checks and its template's layout by one declare_form.
VOTES = """
name: votes
attribute: votes
sheet_th: ลงมติ
marks: [vote]
required: [assessor, vote]
optional: [strength]
key: [assessor, item]
values: [vote]
columns:
  - {name: vote, thai: ลงมติ, aliases: [มติ], dtype: bool, choices: [เห็นด้วย, ไม่เห็นด้วย]}
"""


def _check_votes(rows, registry, known):
    vote, unreadable = yes_no(rows.frame["vote"].replace({"เห็นด้วย": "yes", "ไม่เห็นด้วย": "no"}))
    rows.flag(unreadable, "vote", "เห็นด้วย or ไม่เห็นด้วย")
    rows.frame["vote"] = vote


def _vote_layout(framework, items, factors):
    rows = [{"framework": framework.id, "item": i.key} for i in items if i.method == "vote-share"]
    return [*IDENTITY[:4], "assessor", "item", "vote"], rows


def _vote_share(rows, framework, rule):
    """Item points: the share of the panel voting yes, of the item's points."""
    key = rows["_unit"].to_numpy() * len(framework.items) + rows["_item"].to_numpy()
    share = rows["vote"].astype(float).groupby(key, sort=False).mean()
    points = pd.Series([i.points for i in framework.items])
    table = pd.DataFrame({"_unit": share.index // len(framework.items)})
    table["_item"] = share.index % len(framework.items)
    table["points"] = share.to_numpy() * points[table["_item"]].to_numpy()
    table["percent"] = share.to_numpy() * 100
    table["label"] = ""
    return table


@pytest.fixture
def votes(monkeypatch, tmp_path):
    """A toy form, ``votes``, registered once, with a scoring method that reads it and a
    framework that uses the method."""
    monkeypatch.setattr(methods, "SCORERS", dict(methods.SCORERS))
    monkeypatch.setattr(METHODS, "_terms", dict(METHODS._terms))
    methods.scoring_method("vote-share", "votes")(_vote_share)  # the method reads the form
    declare_form(yaml.safe_load(VOTES), check=_check_votes, layout=_vote_layout)
    mini = Registry([GOLDEN / "frameworks"]).get("golden-mini")
    categories = tuple(
        replace(c, items=tuple(replace(i, method="vote-share") for i in c.items))
        for c in mini.categories
    )
    registry = Registry([])
    registry._frameworks["vote-mini"] = replace(mini, id="vote-mini", categories=categories)
    yield registry
    unregister_form("votes")
    assert "vote" not in COLUMNS and "votes" not in FORMS


def test_a_toy_form_is_one_record_and_its_checks(votes):
    form = FORMS["votes"]
    assert form.required == (*IDENTITY, "assessor", "vote") and form.sheet_th == "ลงมติ"
    assert form.optional == ("strength", *EVERY_FORM)  # stage, reason, the entry columns
    assert COLUMNS["vote"].names == ("vote", "ลงมติ", "มติ")
    assert form.check is _check_votes and form.methods == ("vote-share",)


def test_a_toy_form_is_one_registration(votes, write_sheet, tmp_path):
    sheet = write_sheet(
        "agency_id,agency_name,year,framework,assessor,item,มติ,strength\n"
        "x,ก,2565,vote-mini,A,A.1,เห็นด้วย,ดี\n"
        "x,ก,2565,vote-mini,B,A.1,ไม่เห็นด้วย,\n"
        ",,,vote-mini,,B.1,,\n"  # blank: skipped
        "x,ก,2565,vote-mini,A,A.2,เห็นด้วย,\n"
        "x,ก,2565,vote-mini,B,A.2,เห็นด้วย,\n"
    )
    sheets = load_sheets([sheet], votes)
    frame = sheets.frame("votes")
    assert frame["vote"].tolist() == [True, False, True, True]
    assert frame["strength"].tolist() == ["ดี", "", "", ""]
    result = score(sheets, votes).set_index(["level", "key"])["points"]
    assert result[("item", "A.1")] == 20 and result[("item", "A.2")] == 60
    assert result[("total", "total")] == 80
    bad = write_sheet(sheet.read_text(encoding="utf-8").replace("ไม่เห็นด้วย", "งดออกเสียง"), "bad.csv")
    _, problems = check_sheets([bad], votes)
    assert [(p.row, p.column, str(p.expected)) for p in problems] == [
        (3, "มติ", "เห็นด้วย or ไม่เห็นด้วย")
    ]
    ledger = Ledger(tmp_path / "l.sqlite")
    ledger.ingest([sheet], votes)
    assert ledger.current(votes).frame("votes")["vote"].tolist() == [True, False, True, True]
    ledger.close()
    (written,) = write_template(votes.get("vote-mini"), tmp_path / "t.csv")
    assert written.read_text(encoding="utf-8-sig").splitlines()[0].endswith(",ลงมติ (vote)")


def test_an_optional_column_of_every_form_is_one_registration(write_sheet, tmp_path):
    register_column(Column("phase", "ระยะ", ("phase_of_review",), "category"))
    try:
        band = write_sheet(
            f"{HEADER},ระยะ\nx,ก,2565,pmqa-2562,A,2.1,50,independent\n"
            "x,ก,2565,pmqa-2562,A,2.2,60,independent\n",
            "band.csv",
        )
        checklist = (GOLDEN / "pmqa40-status" / "checklist.csv").read_text(encoding="utf-8")
        lines = checklist.splitlines()
        lines = [lines[0] + ",phase"] + [line + ",consensus" for line in lines[1:]]
        checks = write_sheet("\n".join(lines) + "\n", "checks.csv")
        indicators = GOLDEN / "pmqa40-status" / "indicators.csv"
        sheets = load_sheets([band, checks, indicators])
        assert sheets.bands["phase"].tolist() == ["independent"] * 2
        assert set(sheets.checks["phase"]) == {"consensus"}
        assert set(sheets.indicators["phase"]) == {""}
        ledger = Ledger(tmp_path / "l.sqlite")
        ledger.ingest([band])
        assert ledger.current().bands["phase"].tolist() == ["independent"] * 2
        ledger.close()
    finally:
        unregister_column("phase")
    assert "phase" not in load_sheets([band]).bands


def test_the_readme_tables_are_the_declarations():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert form_table() in readme
    assert blank_row_table() in readme


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            ("marks: [vote]", "mark: [vote]"),
            r"at the top: .*'mark' was unexpected.*allowed there: name",
        ),
        (("values: [vote]", "values: vote"), r"at values: 'vote' is not of type 'array'"),
        (("dtype: bool", "dtype: boolean"), r"at columns\[0\]\.dtype: 'boolean' is not one of"),
        (("attribute: votes\n", ""), r"at the top: 'attribute' is a required property"),
    ],
)
def test_a_mistaken_record_is_named_not_met_as_a_key_error(change, said):
    record = yaml.safe_load(VOTES.replace(*change))
    with pytest.raises(DeclarationError, match=f"the record of form votes: {said}"):
        declare_form(record, check=_check_votes, layout=_vote_layout)
    assert "votes" not in FORMS and "vote" not in COLUMNS


def test_a_clash_leaves_nothing_of_the_record_declared():
    record = yaml.safe_load(VOTES.replace("attribute: votes", "attribute: bands"))
    with pytest.raises(ValueError, match="registered already"):
        declare_form(record, check=_check_votes, layout=_vote_layout)
    assert "votes" not in FORMS and "vote" not in COLUMNS


def test_the_shipped_declarations_are_checked_against_their_schemas():
    from evalkit.core.declared import check, schema
    from evalkit.sheets.columns import DTYPES, vocabulary

    vocabulary_schema = schema("evalkit.sheets", "vocabulary")
    assert tuple(vocabulary_schema["$defs"]["column"]["properties"]["dtype"]["enum"]) == DTYPES
    wrong = {**vocabulary(), "colums": []}
    with pytest.raises(DeclarationError, match=r"'colums' was unexpected.*allowed there: identity"):
        check(wrong, vocabulary_schema, "sheets/vocabulary.yaml")
    words = {**vocabulary()["words"], "yes": [True]}  # YAML's unquoted yes
    with pytest.raises(DeclarationError, match=r"at words\.yes\[0\]: True is not of type"):
        check({**vocabulary(), "words": words}, vocabulary_schema, "sheets/vocabulary.yaml")


def test_every_form_record_has_its_checks():
    from evalkit.sheets.columns import vocabulary

    assert [r["name"] for r in vocabulary()["forms"]] == list(FORMS)


def test_a_form_miss_lists_the_forms():
    from evalkit.sheets.forms import get_form

    with pytest.raises(KeyError, match="the forms are band, checklist, indicators"):
        get_form("bands")


def test_columns_are_declared_once(tmp_path: Path):
    with pytest.raises(ValueError, match="'ร้อยละ' already names percent"):
        register_column(Column("score", "ร้อยละ"))
    with pytest.raises(ValueError, match="is declared already"):
        register_column(Column("percent"))
    with pytest.raises(ValueError, match="undeclared columns nothing"):
        register_form(
            Form("toy", "toys", "x", ("nothing",), ("item",), (), _check_votes, _vote_layout)
        )
