"""Three demo CASE 1.1 frameworks, written by the project, with crosswalks between them.

- China compulsory-education mathematics (2022 standards), grades 3-5 parts. The Chinese
  standard has no public coding scheme: the codes (``2.NA.1`` = stage 2, number and algebra,
  statement 1) are the project's own. Statements are paraphrased.
- Indonesia Kurikulum Merdeka mathematics, phases B and C. Codes are the project's own
  (phase.element.n); statements paraphrase the learning outcomes (capaian pembelajaran).
- United States Common Core mathematics, grades 3-5, a representative subset with the real
  public codes (``4.NBT.B.5``) and paraphrased statements.
"""

from __future__ import annotations

import uuid
from typing import Any

NS = uuid.UUID("0b7f2f7e-4f0a-4c39-9a53-3c2b8d1e5a44")
WHEN = "2026-11-01T00:00:00+00:00"
BASE = "https://demo.edubridge.invalid/case/"


def uid(name: str) -> str:
    return str(uuid.uuid5(NS, name))


# key, code, statement, CFItemType, parent key (None = document), education levels
Row = tuple[str, str, str, str, str | None, tuple[str, ...]]

CN: list[Row] = [
    ("cn-s2", "第二学段", "第二学段（3～4年级）", "Stage", None, ("03", "04")),
    ("cn-s2-na", "2.NA", "数与代数", "Domain", "cn-s2", ("03", "04")),
    (
        "cn-2-na-1",
        "2.NA.1",
        "能计算三位数、四位数的加法和减法，会用加减法解决购物、找零钱等日常问题。",
        "Standard",
        "cn-s2-na",
        ("03", "04"),
    ),
    (
        "cn-2-na-2",
        "2.NA.2",
        "会计算两位数、三位数乘一位数以及两位数乘两位数的乘法，能用乘法解决几个相同数连加的问题。",
        "Standard",
        "cn-s2-na",
        ("03", "04"),
    ),
    (
        "cn-2-na-3",
        "2.NA.3",
        "会计算除数是一位数或两位数的除法，理解有余数的除法，能根据余数解决“最多能装几盒”“至少需要几辆车”的问题。",
        "Standard",
        "cn-s2-na",
        ("03", "04"),
    ),
    (
        "cn-2-na-4",
        "2.NA.4",
        "理解常见的数量关系：单价×数量=总价，速度×时间=路程，并能用来解决行程和购物中的问题。",
        "Standard",
        "cn-s2-na",
        ("04",),
    ),
    (
        "cn-2-na-5",
        "2.NA.5",
        "结合元、角、分认识一位小数，会计算简单的小数加法和减法。",
        "Standard",
        "cn-s2-na",
        ("03",),
    ),
    ("cn-s2-gm", "2.GM", "图形与几何", "Domain", "cn-s2", ("03", "04")),
    (
        "cn-2-gm-1",
        "2.GM.1",
        "认识长度单位千米、米、厘米和质量单位吨、千克、克，会进行单位换算，能估计和测量物体的长度与重量。",
        "Standard",
        "cn-s2-gm",
        ("03",),
    ),
    (
        "cn-2-gm-2",
        "2.GM.2",
        "认识周长，会计算长方形和正方形的周长。",
        "Standard",
        "cn-s2-gm",
        ("03",),
    ),
    (
        "cn-2-gm-3",
        "2.GM.3",
        "认识面积单位平方米、平方厘米，会计算长方形和正方形的面积。",
        "Standard",
        "cn-s2-gm",
        ("03",),
    ),
    ("cn-s2-sp", "2.SP", "统计与概率", "Domain", "cn-s2", ("03", "04")),
    (
        "cn-2-sp-1",
        "2.SP.1",
        "经历调查和收集数据的过程，用表格整理数据，比较各类数量的多少，回答“多多少”“少多少”的问题。",
        "Standard",
        "cn-s2-sp",
        ("03", "04"),
    ),
    ("cn-s2-ip", "2.IP", "综合与实践", "Domain", "cn-s2", ("03", "04")),
    (
        "cn-2-ip-1",
        "2.IP.1",
        "认识年、月、日和24时计时法，会计算经过的天数、小时和分钟，能安排作息和节日活动的时间。",
        "Standard",
        "cn-s2-ip",
        ("03",),
    ),
    ("cn-s3", "第三学段", "第三学段（5～6年级，本节选只含5年级内容）", "Stage", None, ("05",)),
    ("cn-s3-na", "3.NA", "数与代数", "Domain", "cn-s3", ("05",)),
    (
        "cn-3-na-1",
        "3.NA.1",
        "会计算小数乘法和小数除法，能解决购物、测量中与小数有关的问题。",
        "Standard",
        "cn-s3-na",
        ("05",),
    ),
    (
        "cn-3-na-2",
        "3.NA.2",
        "会计算三位数乘两位数和除数是两位数的除法，能进行简单的估算和验算。",
        "Standard",
        "cn-s3-na",
        ("05",),
    ),
    ("cn-s3-gm", "3.GM", "图形与几何", "Domain", "cn-s3", ("05",)),
    (
        "cn-3-gm-1",
        "3.GM.1",
        "认识体积单位立方米、立方分米、立方厘米，会计算长方体和正方体的体积。",
        "Standard",
        "cn-s3-gm",
        ("05",),
    ),
    ("cn-s3-sp", "3.SP", "统计与概率", "Domain", "cn-s3", ("05",)),
    (
        "cn-3-sp-1",
        "3.SP.1",
        "理解平均数的意义，会求几个数的平均数，并用平均数比较两组数据。",
        "Standard",
        "cn-s3-sp",
        ("05",),
    ),
]

US: list[Row] = [
    ("us-g3", "Grade 3", "Grade 3", "Grade", None, ("03",)),
    ("us-3-oa", "3.OA", "Operations and Algebraic Thinking (grade 3)", "Domain", "us-g3", ("03",)),
    (
        "us-3-oa-a-1",
        "3.OA.A.1",
        "Understand a product of whole numbers as the total number of objects in a number of equal groups (multiplication as equal groups).",
        "Standard",
        "us-3-oa",
        ("03",),
    ),
    (
        "us-3-oa-a-3",
        "3.OA.A.3",
        "Solve word problems within 100 with multiplication and division: equal groups, arrays and sharing equally.",
        "Standard",
        "us-3-oa",
        ("03",),
    ),
    (
        "us-3-oa-d-8",
        "3.OA.D.8",
        "Solve two-step word problems with the four operations and check whether the answer is reasonable.",
        "Standard",
        "us-3-oa",
        ("03",),
    ),
    (
        "us-3-nbt",
        "3.NBT",
        "Number and Operations in Base Ten (grade 3)",
        "Domain",
        "us-g3",
        ("03",),
    ),
    (
        "us-3-nbt-a-2",
        "3.NBT.A.2",
        "Add and subtract fluently within 1000 using place value, for example to find a total cost or the change.",
        "Standard",
        "us-3-nbt",
        ("03",),
    ),
    ("us-3-md", "3.MD", "Measurement and Data (grade 3)", "Domain", "us-g3", ("03",)),
    (
        "us-3-md-a-1",
        "3.MD.A.1",
        "Tell time to the nearest minute and solve word problems about elapsed time intervals in minutes.",
        "Standard",
        "us-3-md",
        ("03",),
    ),
    (
        "us-3-md-b-3",
        "3.MD.B.3",
        "Draw and read picture and bar graphs and answer how many more and how many fewer questions about the data.",
        "Standard",
        "us-3-md",
        ("03",),
    ),
    (
        "us-3-md-c-7",
        "3.MD.C.7",
        "Find the area of a rectangle by multiplying its length and width in square units.",
        "Standard",
        "us-3-md",
        ("03",),
    ),
    (
        "us-3-md-d-8",
        "3.MD.D.8",
        "Solve problems about the perimeter of rectangles and other polygons, finding the distance around.",
        "Standard",
        "us-3-md",
        ("03",),
    ),
    ("us-g4", "Grade 4", "Grade 4", "Grade", None, ("04",)),
    ("us-4-oa", "4.OA", "Operations and Algebraic Thinking (grade 4)", "Domain", "us-g4", ("04",)),
    (
        "us-4-oa-a-3",
        "4.OA.A.3",
        "Solve multistep word problems with whole numbers, including division problems where the remainder must be interpreted (for example how many buses are needed).",
        "Standard",
        "us-4-oa",
        ("04",),
    ),
    (
        "us-4-nbt",
        "4.NBT",
        "Number and Operations in Base Ten (grade 4)",
        "Domain",
        "us-g4",
        ("04",),
    ),
    (
        "us-4-nbt-b-4",
        "4.NBT.B.4",
        "Add and subtract multi-digit whole numbers fluently with the standard algorithm.",
        "Standard",
        "us-4-nbt",
        ("04",),
    ),
    (
        "us-4-nbt-b-5",
        "4.NBT.B.5",
        "Multiply a whole number of up to four digits by a one-digit number, and multiply two two-digit numbers.",
        "Standard",
        "us-4-nbt",
        ("04",),
    ),
    (
        "us-4-nbt-b-6",
        "4.NBT.B.6",
        "Divide numbers of up to four digits by a one-digit divisor, finding the quotient and the remainder.",
        "Standard",
        "us-4-nbt",
        ("04",),
    ),
    ("us-4-md", "4.MD", "Measurement and Data (grade 4)", "Domain", "us-g4", ("04",)),
    (
        "us-4-md-a-1",
        "4.MD.A.1",
        "Know the relative sizes of units such as kilometers, meters and centimeters or kilograms and grams, and convert a larger unit into a smaller one.",
        "Standard",
        "us-4-md",
        ("04",),
    ),
    (
        "us-4-md-a-2",
        "4.MD.A.2",
        "Solve word problems about distance, time, speed, liquid volume, mass and money.",
        "Standard",
        "us-4-md",
        ("04",),
    ),
    ("us-g5", "Grade 5", "Grade 5", "Grade", None, ("05",)),
    (
        "us-5-nbt",
        "5.NBT",
        "Number and Operations in Base Ten (grade 5)",
        "Domain",
        "us-g5",
        ("05",),
    ),
    (
        "us-5-nbt-b-6",
        "5.NBT.B.6",
        "Divide whole numbers of up to four digits by two-digit divisors.",
        "Standard",
        "us-5-nbt",
        ("05",),
    ),
    (
        "us-5-nbt-b-7",
        "5.NBT.B.7",
        "Add, subtract, multiply and divide decimals to hundredths, for example prices in dollars and cents.",
        "Standard",
        "us-5-nbt",
        ("05",),
    ),
    ("us-5-md", "5.MD", "Measurement and Data (grade 5)", "Domain", "us-g5", ("05",)),
    (
        "us-5-md-a-1",
        "5.MD.A.1",
        "Convert among different-sized units of measurement within one system.",
        "Standard",
        "us-5-md",
        ("05",),
    ),
    (
        "us-5-md-c-5",
        "5.MD.C.5",
        "Find the volume of a right rectangular prism by multiplying length, width and height in cubic units.",
        "Standard",
        "us-5-md",
        ("05",),
    ),
    (
        "us-5-md-b-2",
        "5.MD.B.2",
        "Use data sets and their average (mean) to solve problems, sharing a total equally.",
        "Standard",
        "us-5-md",
        ("05",),
    ),
]

ID: list[Row] = [
    ("id-b", "Fase B", "Fase B (umumnya kelas 3 dan 4)", "Phase", None, ("03", "04")),
    ("id-b-bil", "B.BIL", "Bilangan", "Element", "id-b", ("03", "04")),
    (
        "id-b-bil-1",
        "B.BIL.1",
        "Membaca, menulis dan membandingkan bilangan cacah sampai 10.000, serta melakukan penjumlahan dan pengurangan, termasuk menghitung uang kembalian.",
        "Outcome",
        "id-b-bil",
        ("03", "04"),
    ),
    (
        "id-b-bil-2",
        "B.BIL.2",
        "Melakukan perkalian dan pembagian bilangan cacah sampai 100, termasuk pembagian bersisa, untuk menyelesaikan masalah sehari-hari.",
        "Outcome",
        "id-b-bil",
        ("03", "04"),
    ),
    ("id-b-pgk", "B.PGK", "Pengukuran", "Element", "id-b", ("03", "04")),
    (
        "id-b-pgk-1",
        "B.PGK.1",
        "Mengukur panjang dan berat benda dengan satuan baku dan mengubah satuan meter, sentimeter, kilogram dan gram.",
        "Outcome",
        "id-b-pgk",
        ("03", "04"),
    ),
    (
        "id-b-pgk-2",
        "B.PGK.2",
        "Menentukan keliling dan luas persegi serta persegi panjang.",
        "Outcome",
        "id-b-pgk",
        ("03", "04"),
    ),
    (
        "id-b-pgk-3",
        "B.PGK.3",
        "Membaca jam dan kalender serta menghitung lama waktu suatu kegiatan.",
        "Outcome",
        "id-b-pgk",
        ("03", "04"),
    ),
    ("id-b-adp", "B.ADP", "Analisis Data dan Peluang", "Element", "id-b", ("03", "04")),
    (
        "id-b-adp-1",
        "B.ADP.1",
        "Mengurutkan, membandingkan dan menyajikan data dalam tabel dan diagram gambar.",
        "Outcome",
        "id-b-adp",
        ("03", "04"),
    ),
    ("id-c", "Fase C", "Fase C (umumnya kelas 5 dan 6)", "Phase", None, ("05", "06")),
    ("id-c-bil", "C.BIL", "Bilangan", "Element", "id-c", ("05", "06")),
    (
        "id-c-bil-1",
        "C.BIL.1",
        "Melakukan operasi hitung bilangan cacah sampai 1.000.000, termasuk perkalian dan pembagian dengan bilangan dua angka.",
        "Outcome",
        "id-c-bil",
        ("05", "06"),
    ),
    (
        "id-c-bil-2",
        "C.BIL.2",
        "Melakukan operasi hitung bilangan desimal dan menyelesaikan masalah yang berkaitan dengan uang.",
        "Outcome",
        "id-c-bil",
        ("05", "06"),
    ),
    ("id-c-pgk", "C.PGK", "Pengukuran", "Element", "id-c", ("05", "06")),
    (
        "id-c-pgk-1",
        "C.PGK.1",
        "Menghitung volume kubus dan balok dengan satuan kubik.",
        "Outcome",
        "id-c-pgk",
        ("05", "06"),
    ),
    (
        "id-c-pgk-2",
        "C.PGK.2",
        "Menyelesaikan masalah jarak, waktu dan kecepatan.",
        "Outcome",
        "id-c-pgk",
        ("05", "06"),
    ),
    ("id-c-adp", "C.ADP", "Analisis Data dan Peluang", "Element", "id-c", ("05", "06")),
    (
        "id-c-adp-1",
        "C.ADP.1",
        "Mengolah dan menafsirkan data, termasuk menentukan rata-rata sederhana.",
        "Outcome",
        "id-c-adp",
        ("05", "06"),
    ),
]

# Crosswalks: (origin key, association type, destination key). Stored in the origin's package.
CROSSWALKS: list[tuple[str, str, str]] = [
    ("cn-2-na-1", "isRelatedTo", "us-3-nbt-a-2"),
    ("cn-2-na-1", "isRelatedTo", "us-4-nbt-b-4"),
    ("cn-2-na-2", "exactMatchOf", "us-4-nbt-b-5"),
    ("cn-2-na-2", "isRelatedTo", "us-3-oa-a-1"),
    ("cn-2-na-3", "isRelatedTo", "us-4-nbt-b-6"),
    ("cn-2-na-3", "isRelatedTo", "us-4-oa-a-3"),
    ("cn-2-na-4", "isRelatedTo", "us-4-md-a-2"),
    ("cn-2-gm-1", "isPeerOf", "us-4-md-a-1"),
    ("cn-2-gm-2", "exactMatchOf", "us-3-md-d-8"),
    ("cn-2-gm-3", "exactMatchOf", "us-3-md-c-7"),
    ("cn-2-sp-1", "isRelatedTo", "us-3-md-b-3"),
    ("cn-2-ip-1", "isRelatedTo", "us-3-md-a-1"),
    ("cn-3-na-1", "isRelatedTo", "us-5-nbt-b-7"),
    ("cn-3-na-2", "isRelatedTo", "us-5-nbt-b-6"),
    ("cn-3-gm-1", "exactMatchOf", "us-5-md-c-5"),
    ("cn-3-sp-1", "isRelatedTo", "us-5-md-b-2"),
    ("cn-2-na-1", "isRelatedTo", "id-b-bil-1"),
    ("cn-2-na-2", "isPeerOf", "id-b-bil-2"),
    ("cn-2-na-3", "isPeerOf", "id-b-bil-2"),
    ("cn-2-gm-1", "exactMatchOf", "id-b-pgk-1"),
    ("cn-2-gm-3", "isRelatedTo", "id-b-pgk-2"),
    ("cn-2-ip-1", "isRelatedTo", "id-b-pgk-3"),
    ("cn-3-gm-1", "exactMatchOf", "id-c-pgk-1"),
    ("cn-3-sp-1", "isRelatedTo", "id-c-adp-1"),
    ("cn-2-na-2", "precedes", "cn-3-na-2"),
    ("cn-2-na-5", "precedes", "cn-3-na-1"),
    ("id-b-bil-2", "isRelatedTo", "us-3-oa-a-3"),
    ("id-b-pgk-2", "isRelatedTo", "us-3-md-c-7"),
    ("id-c-pgk-1", "exactMatchOf", "us-5-md-c-5"),
    ("id-c-pgk-2", "isRelatedTo", "us-4-md-a-2"),
    ("id-b-bil-2", "precedes", "id-c-bil-1"),
    ("us-4-nbt-b-5", "precedes", "us-5-nbt-b-6"),
    ("us-3-md-c-7", "precedes", "us-5-md-c-5"),
]

FRAMEWORKS: dict[str, dict[str, Any]] = {
    "cn": {
        "key": "cn-math-2022",
        "title": "义务教育数学课程标准（2022年版）3～5年级部分（EduBridge 改写节选）",
        "creator": "EduBridge demo (paraphrase of the 2022 compulsory-education mathematics standards)",
        "language": "zh",
        "rows": CN,
    },
    "us": {
        "key": "us-ccss-math-3-5",
        "title": "Common Core State Standards for Mathematics, grades 3-5 (EduBridge paraphrased subset)",
        "creator": "EduBridge demo (codes from the Common Core State Standards; statements paraphrased)",
        "language": "en",
        "rows": US,
    },
    "id": {
        "key": "id-merdeka-math-bc",
        "title": "Kurikulum Merdeka Matematika, Fase B dan C (ringkasan EduBridge)",
        "creator": "EduBridge demo (paraphrase of the Kurikulum Merdeka learning outcomes)",
        "language": "id",
        "rows": ID,
    },
}

_ALL: dict[str, tuple[str, Row]] = {
    row[0]: (name, row) for name, spec in FRAMEWORKS.items() for row in spec["rows"]
}


def identifier(key: str) -> str:
    """The CASE identifier of a framework key (``cn-math-2022``) or a statement key."""
    return uid(key)


def code_of(key: str) -> str:
    return _ALL[key][1][1]


def _link(key: str) -> dict[str, str]:
    return {"title": _ALL[key][1][1], "identifier": uid(key), "uri": BASE + uid(key)}


def package(name: str) -> dict[str, Any]:
    """The CASE 1.1 CFPackage JSON of one demo framework (``cn``, ``us`` or ``id``)."""
    spec = FRAMEWORKS[name]
    doc_id = uid(spec["key"])
    doc_link = {"title": spec["title"], "identifier": doc_id, "uri": BASE + doc_id}
    items, associations = [], []
    for seq, (key, code, statement, kind, parent, levels) in enumerate(spec["rows"], start=1):
        items.append(
            {
                "identifier": uid(key),
                "uri": BASE + uid(key),
                "fullStatement": statement,
                "humanCodingScheme": code,
                "CFItemType": kind,
                "language": spec["language"],
                "educationLevel": list(levels),
                "lastChangeDateTime": WHEN,
            }
        )
        associations.append(
            {
                "identifier": uid(f"{key}-child"),
                "associationType": "isChildOf",
                "uri": BASE + uid(f"{key}-child"),
                "originNodeURI": _link(key),
                "destinationNodeURI": _link(parent) if parent else doc_link,
                "sequenceNumber": seq,
                "lastChangeDateTime": WHEN,
            }
        )
    for origin, kind, destination in CROSSWALKS:
        if _ALL[origin][0] != name:
            continue
        far = _link(destination)
        if _ALL[destination][0] != name:
            far["targetType"] = "CASE"
        associations.append(
            {
                "identifier": uid(f"{origin}-{kind}-{destination}"),
                "associationType": kind,
                "uri": BASE + uid(f"{origin}-{kind}-{destination}"),
                "originNodeURI": _link(origin),
                "destinationNodeURI": far,
                "lastChangeDateTime": WHEN,
            }
        )
    return {
        "CFDocument": {
            "identifier": doc_id,
            "uri": doc_link["uri"],
            "creator": spec["creator"],
            "title": spec["title"],
            "lastChangeDateTime": WHEN,
            "language": spec["language"],
            "subject": ["mathematics"],
            "adoptionStatus": "Draft",
            "caseVersion": "1.1",
            "notes": "Demo content written by the EduBridge project; statements are paraphrased.",
        },
        "CFItems": items,
        "CFAssociations": associations,
    }
