"""The bundled sample's other instruments: one illustrative assessment for each framework
besides ``pmqa-2562``, and a household file for poverty follow-up.

The units are Trat's district community development offices, the provincial office, the
women's development fund bodies and two provincial agencies; every score, comment and
household is invented, and every file opens with :data:`NOTICE`. Assessors are named
ผู้ประเมิน 1, 2 and 3. The sheets are the templates of ``evalkit template`` filled in, with
Thai headers (English in parentheses) and comments in Thai. Rows are generated from the
items and checks the framework file holds when the sample is written, so a framework that
changes its checks gets a matching sample from ``make sample``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from evalkit.exports.sample_households import households
from evalkit.exports.spreadsheet import Sheet, write_csv
from evalkit.exports.template import column_header
from evalkit.frameworks.model import Framework, Item
from evalkit.frameworks.registry import Registry

NOTICE = (
    "ข้อมูลตัวอย่างเพื่อการสาธิต คะแนนเป็นค่าสมมติ ไม่ใช่ผลการประเมินจริง "
    "(Illustrative sample: the scores are invented, not official results)"
)
ASSESSORS = ("ผู้ประเมิน 1", "ผู้ประเมิน 2", "ผู้ประเมิน 3")


class Unit(NamedTuple):
    """An agency assessed on one framework in the sample."""

    framework: str
    year: int
    agency_id: str
    agency_name: str


#: One or two units per framework; ids are distinct across frameworks (a page is filed
#: under its agency id and year).
UNITS: tuple[Unit, ...] = (
    Unit("pmqa40-status", 2564, "trat-province", "สำนักงานจังหวัดตราด"),
    Unit("cdd-clean", 2564, "cdd-muang-trat", "สำนักงานพัฒนาชุมชนอำเภอเมืองตราด"),
    Unit("cdd-clean", 2564, "cdd-ko-chang", "สำนักงานพัฒนาชุมชนอำเภอเกาะช้าง"),
    Unit("cdd-policy-2564", 2564, "cdd-khlong-yai", "สำนักงานพัฒนาชุมชนอำเภอคลองใหญ่"),
    Unit("cdd-policy-2564", 2564, "cdd-khao-saming", "สำนักงานพัฒนาชุมชนอำเภอเขาสมิง"),
    Unit("cdd-policy-2565", 2565, "cdd-bo-rai", "สำนักงานพัฒนาชุมชนอำเภอบ่อไร่"),
    Unit("cdd-policy-2565", 2565, "cdd-laem-ngop", "สำนักงานพัฒนาชุมชนอำเภอแหลมงอบ"),
    Unit("lertrat-participatory", 2564, "trat-province-participatory", "สำนักงานจังหวัดตราด"),
    Unit(
        "lertrat-participatory",
        2564,
        "trat-local-participatory",
        "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดตราด",
    ),
    Unit(
        "women-fund",
        2564,
        "wdf-muang-trat",
        "สำนักงานเลขานุการคณะอนุกรรมการกลั่นกรองและติดตามการดำเนินงานกองทุนพัฒนาบทบาทสตรีอำเภอเมืองตราด",
    ),
    Unit("women-fund", 2564, "wdf-ko-kut", "คณะทำงานขับเคลื่อนกองทุนพัฒนาบทบาทสตรีตำบลเกาะกูด"),
)
#: The award type (and, for an award given to a work, the work and what the eligibility
#: screens read) of a unit, carried by its sheets' entry columns: two types in each framework
#: that has types; one Lert Rat work eligible and one not (it started four months before the
#: closing date and states no effect). Dates in the Buddhist era, as an application gives them.
ENTRIES: dict[str, dict[str, str]] = {
    "trat-province-participatory": {
        "type": "open",
        "work": "ศูนย์ดำรงธรรมเคลื่อนที่ เปิดใจใกล้ชิดประชาชน",
        "start_date": "15/1/2562",
        "running": "ใช่",
        "effect": "ผู้รับบริการได้รับการแก้ไขเรื่องร้องเรียนเร็วขึ้น",
        "closing_date": "31/3/2564",
    },
    "trat-local-participatory": {
        "type": "effective",
        "work": "สภาองค์กรชุมชนร่วมวางแผนท้องถิ่น",
        "start_date": "1/12/2563",
        "running": "ดำเนินการอยู่",
        "effect": "",
        "closing_date": "31/3/2564",
    },
    "wdf-muang-trat": {"type": "district-secretariat"},
    "wdf-ko-kut": {"type": "subdistrict-team"},
}
#: Units that also assess themselves (assessor ``self``).
SELF_ASSESSED = ("cdd-muang-trat",)
#: The unit whose report carries the sample household file.
POVERTY_UNIT = "cdd-bo-rai"
HOUSEHOLDS = "poverty_2565_households.csv"

STRENGTHS = (
    "มีแนวทางเรื่อง{topic}ที่ชัดเจน และสื่อสารให้ผู้ปฏิบัติเข้าใจตรงกัน",
    "ดำเนินการเรื่อง{topic}ครอบคลุมพื้นที่เป้าหมาย โดยมีภาคีเครือข่ายร่วมดำเนินการ",
    "ติดตามผลเรื่อง{topic}อย่างสม่ำเสมอ และนำผลมาปรับปรุงการทำงาน",
)
IMPROVEMENTS = (
    "ควรเก็บข้อมูลผลลัพธ์เรื่อง{topic}อย่างต่อเนื่อง เพื่อแสดงแนวโน้มและเทียบเคียงกับหน่วยงานอื่น",
    "ควรถ่ายทอดแนวทางเรื่อง{topic}ให้ถึงผู้ปฏิบัติทุกระดับ และกำหนดผู้รับผิดชอบให้ชัดเจน",
    "ควรทบทวนกระบวนการเรื่อง{topic}ร่วมกับผู้มีส่วนได้ส่วนเสียอย่างน้อยปีละครั้ง",
)
EVIDENCE = (
    "คำสั่งแต่งตั้งคณะทำงาน",
    "รายงานการประชุม",
    "ภาพถ่ายกิจกรรม",
    "แผนปฏิบัติงานประจำปี",
    "รายงานผลการดำเนินงาน",
    "ทะเบียนข้อมูลสมาชิก",
)
#: Result indicators of the status assessment's category 7, by item (illustrative):
#: name, target, actual, direction.
INDICATORS: dict[str, tuple[tuple[str, float, float, str], ...]] = {
    "7.1": (("ร้อยละความสำเร็จของโครงการตามแผนปฏิบัติราชการจังหวัด", 100, 96, "higher"),),
    "7.2": (("ร้อยละความพึงพอใจของผู้รับบริการ", 85, 88.5, "higher"),),
    "7.3": (("ร้อยละของบุคลากรที่ได้รับการพัฒนาตามแผน", 90, 92, "higher"),),
    "7.4": (("จำนวนผลงานที่ได้รับการยกย่องเป็นแบบอย่าง", 2, 3, "higher"),),
    "7.5": (
        ("รายได้จากการท่องเที่ยวชุมชน (ล้านบาท)", 12, 13.5, "higher"),
        ("ร้อยละของครัวเรือนที่ผ่านเกณฑ์ จปฐ.", 99, 99.4, "higher"),
    ),
    "7.6": (("ระยะเวลาเฉลี่ยในการให้บริการ (นาที)", 30, 27, "lower"),),
}
#: Dimensions a household may still fail (the five national deprivation dimensions).


def _comments(rng: random.Random, topic: str, share: float) -> dict[str, str]:
    """An assessor's strength, improvement and evidence for an item scored ``share`` (0-1);
    evidence names two documents, one a line."""
    strength = rng.choice(STRENGTHS).format(topic=topic) if share >= 0.4 else ""
    improvement = rng.choice(IMPROVEMENTS).format(topic=topic) if share < 0.8 else ""
    evidence = "\n".join(rng.sample(EVIDENCE, 2))
    return {"strength": strength, "improvement": improvement, "evidence": evidence}


def _topic(item: Item) -> str:
    return item.name_th.split(" ")[0] if len(item.name_th) > 40 else item.name_th


def _lead(unit: Unit, assessor: str | None = None) -> dict[str, object]:
    lead: dict[str, object] = {
        "agency_id": unit.agency_id,
        "agency_name": unit.agency_name,
        "year": unit.year,
        "framework": unit.framework,
    }
    return lead | ({"assessor": assessor} if assessor else {}) | ENTRIES.get(unit.agency_id, {})


def _rated(framework: Framework, units: Sequence[Unit], rng: random.Random) -> list[dict[str, Any]]:
    """Rows of a band sheet: a rating (rating items) or a percent (band-percent items)."""
    values = [r.value for r in framework.ratings]
    rows = []
    for unit in units:
        level, bias = (
            rng.uniform(0.45, 0.8),
            {i.key: rng.uniform(-0.15, 0.15) for i in framework.items},
        )
        assessors = [*ASSESSORS, *(["self"] if unit.agency_id in SELF_ASSESSED else [])]
        for assessor in assessors:
            lean = 0.1 if assessor == "self" else rng.choice((-0.05, 0, 0.05))
            for item in framework.items:
                share = min(1.0, max(0.0, level + bias[item.key] + lean + rng.gauss(0, 0.06)))
                if item.method == "rating":
                    value = {"rating": min(values, key=lambda v: abs(v / max(values) - share))}
                else:
                    value = {"percent": min(100, 5 * round(share * 20))}
                comments = _comments(rng, _topic(item), share) if assessor != "self" else {}
                rows.append(
                    _lead(unit, assessor)
                    | {"item": item.key, "item_name": item.name_th}
                    | value
                    | comments
                )
    return rows


def _checklist(framework: Framework, unit: Unit, rng: random.Random) -> list[dict[str, Any]]:
    """Rows of a checklist: every check of the framework file, met more often at Basic."""
    chance = {"basic": 0.9, "advance": 0.6, "significance": 0.3}
    maturity = {i.key: rng.uniform(-0.2, 0.15) for i in framework.items}
    rows = []
    for assessor in ASSESSORS:
        for item in framework.items:
            for check in item.checks:
                met = rng.random() < chance[check.level] + maturity[item.key]
                comment = (
                    {"evidence": f"หลักฐาน {check.id}.pdf"}
                    if met
                    else {"improvement": "ยังไม่พบหลักฐานที่แสดงว่าดำเนินการตามข้อนี้ครบถ้วน"}
                )
                rows.append(
                    _lead(unit, assessor)
                    | {"item": item.key, "level": check.level, "check": check.id}
                    | {"check_text": check.text_th, "met": "ใช่" if met else "ไม่ใช่"}
                    | comment
                )
    return rows


def _indicators(framework: Framework, unit: Unit) -> list[dict[str, Any]]:
    rows = []
    for item in framework.items:
        if item.method != "indicator-success":
            continue
        fallback = ((f"ตัวชี้วัดของหัวข้อ {item.key}", 100, 100, "higher"),)
        for name, target, actual, direction in INDICATORS.get(item.key, fallback):
            met = actual >= target if direction == "higher" else actual <= target
            rows.append(
                _lead(unit)
                | {"item": item.key, "item_name": item.name_th, "indicator": name}
                | {"target": target, "actual": actual, "direction": direction}
                | {"evidence": "รายงานผลการดำเนินงานประจำปี"}
                | ({} if met else {"improvement": "ควรวิเคราะห์สาเหตุที่ยังไม่บรรลุเป้าหมาย"})
            )
    return rows


def _write(frame: pd.DataFrame, path: Path) -> Path:
    headers = {c: column_header(c) for c in frame.columns}
    return write_csv(Sheet(path.stem, frame, headers, above=(NOTICE,)), path)


def _by_assessor(rows: list[dict[str, Any]], stem: str, folder: Path) -> list[Path]:
    frame = pd.DataFrame(rows)
    written = []
    for assessor, sheet in frame.groupby("assessor", sort=True):
        name = "self-assessment" if assessor == "self" else f"assessor-{assessor.split()[-1]}"
        written.append(_write(sheet, folder / f"{stem}_{name}.csv"))
    return written


def write_instruments(
    folder: str | Path, poverty_folder: str | Path, registry: Registry | None = None
) -> list[Path]:
    """Write the sheets of every unit in :data:`UNITS` to ``folder`` (one CSV per framework,
    year and assessor; the status assessment's indicators in a CSV of their own) and the
    household file to ``poverty_folder``; return the paths written."""
    folder, registry = Path(folder), registry or Registry()
    rng = random.Random(2565)
    written = []
    for framework_id in dict.fromkeys(u.framework for u in UNITS):
        framework = registry.get(framework_id)
        units = [u for u in UNITS if u.framework == framework_id]
        stem = f"{framework_id}_{units[0].year}"
        if framework.methods & {"gated-checklist", "indicator-success"}:
            rows = [row for unit in units for row in _checklist(framework, unit, rng)]
            written += _by_assessor(rows, stem, folder)
            indicators = [row for unit in units for row in _indicators(framework, unit)]
            written.append(_write(pd.DataFrame(indicators), folder / f"{stem}_indicators.csv"))
        else:
            written += _by_assessor(_rated(framework, units, rng), stem, folder)
    written.append(_write(households(rng), Path(poverty_folder) / HOUSEHOLDS))
    return written
