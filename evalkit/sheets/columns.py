"""Column names: the one table of every column's aliases (English and Thai), and the Thai
header evalkit itself writes for each (templates, exports, the sample), so what evalkit writes
reads back."""

from __future__ import annotations

from collections.abc import Mapping

#: Canonical column name -> accepted aliases (English and Thai). Matching ignores case,
#: spaces, underscores, hyphens and dots, so "Agency ID", "agency_id" and "AGENCY-ID" agree.
COLUMN_ALIASES: Mapping[str, tuple[str, ...]] = {
    "agency_id": ("agency_id", "agency", "รหัสหน่วยงาน"),
    "agency_name": ("agency_name", "ชื่อหน่วยงาน", "หน่วยงาน", "ส่วนราชการ"),
    "year": ("year", "ปี", "ปีพ.ศ.", "ปีงบประมาณ"),
    "framework": ("framework", "เกณฑ์", "กรอบการประเมิน"),
    "assessor": ("assessor", "ผู้ประเมิน"),
    "item": ("item", "หัวข้อ", "ข้อ", "รหัสหัวข้อ"),
    "percent": ("percent", "ร้อยละ", "คะแนนร้อยละ", "คะแนน"),
    "strength": ("strength", "strengths", "จุดแข็ง"),
    "improvement": ("improvement", "improvements", "โอกาสในการปรับปรุง", "ข้อเสนอแนะ"),
    "evidence": ("evidence", "หลักฐาน", "เอกสารหลักฐาน"),
    "explanation": ("explanation", "คำอธิบายผลการประเมิน", "คำอธิบาย"),
    "rating": ("rating", "ระดับคะแนน", "คะแนนระดับ"),
    "level": ("level", "ระดับ", "ระดับเกณฑ์"),
    "check": ("check", "check_id", "ข้อตรวจ", "รหัสข้อตรวจ", "รหัสเกณฑ์ย่อย"),
    "met": ("met", "ผ่าน", "ผลการตรวจ", "ผ่านเกณฑ์"),
    "indicator": ("indicator", "ตัวชี้วัด"),
    "target": ("target", "ค่าเป้าหมาย", "เป้าหมาย"),
    "actual": ("actual", "ผลการดำเนินงาน", "ผลงาน"),
    "direction": ("direction", "ทิศทาง", "ทิศทางที่ดี"),
    "floor": ("floor", "level1", "ระดับ 1", "ค่าขั้นต่ำ"),
    "level2": ("level2", "ระดับ 2"),
    "goal": ("goal", "level3", "ระดับ 3"),
    "level4": ("level4", "ระดับ 4"),
    "ceiling": ("ceiling", "level5", "ระดับ 5", "ค่าขั้นสูง"),
    "a": ("a", "approach"),
    "d": ("d", "deployment"),
    "l": ("l", "learning"),
    "i": ("i", "integration"),
    "le": ("le", "levels"),
    "t": ("t", "trends"),
    "c": ("c", "comparisons"),
}

#: The Thai header evalkit writes for a column, shown as ``ไทย (column)``.
THAI_HEADERS: Mapping[str, str] = {
    "agency_id": "รหัสหน่วยงาน",
    "agency_name": "ชื่อหน่วยงาน",
    "year": "ปี พ.ศ.",
    "framework": "เกณฑ์",
    "assessor": "ผู้ประเมิน",
    "item": "หัวข้อ",
    "item_name": "ชื่อหัวข้อ",
    "percent": "ร้อยละ",
    "rating": "ระดับคะแนน",
    "strength": "จุดแข็ง",
    "improvement": "โอกาสในการปรับปรุง",
    "evidence": "หลักฐาน",
    "level": "ระดับ",
    "check": "ข้อตรวจ",
    "check_text": "ข้อความ",
    "level_text": "คำอธิบายระดับ",
    "explanation": "คำอธิบายผลการประเมิน",
    "floor": "ระดับ 1",
    "goal": "ระดับ 3",
    "ceiling": "ระดับ 5",
    "met": "ผ่าน",
    "indicator": "ตัวชี้วัด",
    "target": "ค่าเป้าหมาย",
    "actual": "ผลการดำเนินงาน",
    "direction": "ทิศทาง",
    "a": "แนวทาง",
    "d": "การนำไปปฏิบัติ",
    "l": "การเรียนรู้",
    "i": "การบูรณาการ",
    "le": "ระดับผลลัพธ์",
    "t": "แนวโน้ม",
    "c": "การเปรียบเทียบ",
    "key": "หมวด/หัวข้อ",
    "points": "คะแนน",
    "max_points": "คะแนนเต็ม",
    "label": "ผล",
    "assessors": "จำนวนผู้ประเมิน",
    "low": "ต่ำสุด",
    "high": "สูงสุด",
    "value": "คะแนนที่ให้",
}


def thai_header(column: str) -> str:
    """``ไทย (column)`` for a column evalkit knows, the column itself otherwise."""
    return f"{THAI_HEADERS[column]} ({column})" if column in THAI_HEADERS else column
