"""``evalkit init DIR``: a starter project folder (a params example, a blank template and a
README in Thai and English). Files that exist are left as they are.

The blank template goes to ``templates/``, which no command reads: a copy of it is filled in
and saved in ``data/``, where the params example looks for sheets. A blank template in
``data/`` would be read as a sheet with nothing filled in."""

from __future__ import annotations

import argparse

from evalkit.cli.common import EXIT_OK, registry_of
from evalkit.cli.conventions import say
from evalkit.cli.paths import output_folder
from evalkit.core.files import write_text_atomic
from evalkit.core.i18n import msg

README = """# {name}

โครงการประเมินด้วย evalkit (an evalkit project)

1. คัดลอกแบบฟอร์มเปล่า `templates/{template}` ไปไว้ใน `data/` ผู้ประเมินละหนึ่งไฟล์
   แล้วกรอกคะแนนด้วย Excel (copy the blank score sheet `templates/{template}` into `data/`,
   one file per assessor, and fill it in in Excel). แบบฟอร์มของทั้งรอบ ผู้ประเมินละหนึ่งไฟล์
   ที่กรอกรายชื่อหน่วยงานไว้ให้แล้ว (a round's templates, agencies filled in):
   `evalkit template {framework} --assessors "ผู้ประเมิน 1,ผู้ประเมิน 2"
   --agencies agencies.csv --out data/`
2. แก้ไข `params/example.yaml` ให้เป็นรหัสและชื่อไฟล์ของหน่วยงาน
   (edit `params/example.yaml`: the agency's id and its sheets).
3. ตรวจแบบฟอร์ม (check the sheets): `evalkit validate data/*.xlsx`
4. สร้างรายงาน (render the reports): `evalkit run` แล้วเปิด `reports/index.html`
   (then open `reports/index.html`).

โฟลเดอร์ (folders): `params/` ไฟล์ละหนึ่งหน่วยงาน (one file per agency report);
`frameworks/` เกณฑ์ของโครงการ ถ้ามี (this project's own framework files, optional);
`notebooks/` สมุดรายงานของโครงการ ถ้ามี (your own report notebooks, optional);
`templates/` แบบฟอร์มเปล่า ไม่มีคำสั่งใดอ่าน (blank templates, read by no command);
`reports/` ผลลัพธ์ (written by `evalkit run`).
"""

PARAMS = """# หนึ่งไฟล์ต่อหนึ่งหน่วยงาน (one file per agency report)
agency_id: my-agency                 # a-z, 0-9, - and _ only; reports/my-agency/...
framework: {framework}
data: [../data/*.xlsx]               # sheets or glob patterns, relative to this file
# years: [2566]                      # optional; default: every year the data holds
note: ตัวอย่าง (example)
"""


def _cmd_init(args: argparse.Namespace) -> int:
    folder = output_folder(args.folder, "project folder")
    framework = registry_of(args).get(args.framework)
    template = f"template-{framework.id}.xlsx"
    files = {
        folder / "README.md": README.format(
            name=folder.resolve().name, template=template, framework=framework.id
        ),
        folder / "params" / "example.yaml": PARAMS.format(framework=framework.id),
    }
    for path, text in files.items():
        if path.exists():
            say(f"kept {path} (it exists)")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
        say(f"written {path}")
    (folder / "data").mkdir(parents=True, exist_ok=True)  # where the filled sheets go
    sheet = folder / "templates" / template
    if sheet.exists():
        say(f"kept {sheet} (it exists)")
    else:
        sheet.parent.mkdir(parents=True, exist_ok=True)
        from evalkit.exports.template import write_template

        for path in write_template(framework, sheet):
            say(f"written {path}")
    said = msg(
        "Next: copy {sheet} into {data}, fill it in, then `evalkit run --project {folder}`.",
        sheet=sheet,
        data=folder / "data",
        folder=folder,
    )
    say(str(said))
    return EXIT_OK


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: dict[str, argparse.ArgumentParser],
) -> None:
    """Add ``init`` to the ``evalkit`` parser."""
    p = sub.add_parser(
        "init",
        parents=[shared["frameworks"]],
        help="write a starter project: a params example, a blank template, a README",
    )
    p.add_argument("folder", metavar="DIR", help="the project folder (created when missing)")
    p.add_argument("--framework", default="pmqa-2562", metavar="ID", help="(default: pmqa-2562)")
    p.set_defaults(func=_cmd_init)
