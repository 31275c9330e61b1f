"""Demo items generated from templates written by the project: 100 zh-CN and 40 en-US grade 3-5
mathematics word problems in everyday settings, each with a template (numbers can be varied and
the answer recomputed) and a hand alignment to a statement of the demo frameworks."""

from __future__ import annotations

from typing import Any

from edubridge.catalogue.demo_data.frameworks import FRAMEWORKS, identifier
from edubridge.engines.standards.expression import evaluate

# (framework statement key, grade, title, stem with {name} for words and {{var}} for numbers,
#  variables {name: (min, max, step)}, answer, unit, word fills, number fills)
Template = tuple[
    str,
    int,
    str,
    str,
    dict[str, tuple[float, float, float]],
    str,
    str,
    list[dict[str, str]],
    list[tuple[float, ...]],
]

ZH: list[Template] = [
    (
        "cn-2-na-1",
        3,
        "超市购物",
        "妈妈在超市买了一袋{a}花了{{a}}元，又买了一桶{b}花了{{b}}元。一共花了多少元？",
        {"a": (20, 200, 1), "b": (10, 120, 1)},
        "a + b",
        "元",
        [{"a": "大米", "b": "花生油"}, {"a": "面粉", "b": "酱油"}, {"a": "水饺", "b": "牛奶"}],
        [(56, 38), (128, 47), (75, 66), (143, 59), (99, 88)],
    ),
    (
        "cn-2-na-1",
        3,
        "找零钱",
        "{n}带了{{paid}}元去文具店，买一个{thing}用了{{cost}}元。应该找回多少元？",
        {"paid": (20, 500, 10), "cost": (5, 190, 1)},
        "paid - cost",
        "元",
        [
            {"n": "小红", "thing": "书包"},
            {"n": "小刚", "thing": "文具盒"},
            {"n": "乐乐", "thing": "足球"},
        ],
        [(100, 68), (200, 145), (50, 37), (500, 186), (100, 79)],
    ),
    (
        "cn-2-na-1",
        4,
        "春运车票",
        "春节前，一列火车从北京开出时有{{a}}名乘客，到站时下车{{b}}人。车上还剩多少名乘客？",
        {"a": (500, 3000, 1), "b": (100, 900, 1)},
        "a - b",
        "名",
        [{}],
        [(1268, 475), (2035, 888), (1520, 639), (2750, 814), (1804, 356)],
    ),
    (
        "cn-2-na-2",
        3,
        "买鸡蛋",
        "食堂买了{{n}}盒鸡蛋，每盒有{{k}}个。一共有多少个鸡蛋？",
        {"n": (2, 9, 1), "k": (10, 30, 1)},
        "n * k",
        "个",
        [{}],
        [(6, 12), (8, 15), (4, 24), (7, 18), (9, 20)],
    ),
    (
        "cn-2-na-2",
        4,
        "运动会",
        "运动会上，每个班有{{k}}名同学参加{event}，全校有{{n}}个班参加。一共有多少名同学参加？",
        {"k": (10, 50, 1), "n": (10, 40, 1)},
        "k * n",
        "名",
        [{"event": "广播操表演"}, {"event": "拔河比赛"}, {"event": "接力跑"}],
        [(24, 18), (36, 15), (42, 21), (28, 32), (45, 12)],
    ),
    (
        "cn-2-na-2",
        3,
        "读书计划",
        "{n}每天读书{{p}}页，国庆假期{{d}}天一共读了多少页？",
        {"p": (5, 40, 1), "d": (3, 8, 1)},
        "p * d",
        "页",
        [{"n": "小丽"}, {"n": "明明"}, {"n": "小华"}],
        [(15, 7), (24, 7), (18, 5), (32, 6), (26, 4)],
    ),
    (
        "cn-2-na-3",
        3,
        "装月饼",
        "中秋节，糕点店做了{{total}}个月饼，每{{k}}个装一盒。最多可以装满几盒？",
        {"total": (20, 99, 1), "k": (4, 9, 1)},
        "total // k",
        "盒",
        [{}],
        [(50, 6), (75, 8), (93, 4), (64, 9), (47, 5)],
    ),
    (
        "cn-2-na-3",
        4,
        "春游租车",
        "学校组织{{people}}名同学去{place}春游，每辆大巴车最多坐{{seats}}人。至少需要几辆大巴车？",
        {"people": (100, 500, 1), "seats": (30, 55, 1)},
        "(people + seats - 1) // seats",
        "辆",
        [{"place": "植物园"}, {"place": "科技馆"}, {"place": "湿地公园"}],
        [(236, 45), (318, 52), (150, 40), (407, 36), (289, 48)],
    ),
    (
        "cn-2-na-3",
        3,
        "分粽子",
        "端午节，奶奶包了{{total}}个粽子，平均分给{{k}}家邻居，每家分得同样多且尽量多。分完后还剩几个粽子？",
        {"total": (20, 80, 1), "k": (3, 9, 1)},
        "total % k",
        "个",
        [{}],
        [(38, 5), (50, 7), (44, 6), (71, 8), (29, 4)],
    ),
    (
        "cn-2-na-4",
        4,
        "高铁行程",
        "一列高铁每小时行驶{{v}}千米，从{a}到{b}行驶了{{t}}小时。两地相距多少千米？",
        {"v": (200, 350, 10), "t": (2, 6, 1)},
        "v * t",
        "千米",
        [{"a": "上海", "b": "武汉"}, {"a": "广州", "b": "长沙"}, {"a": "西安", "b": "郑州"}],
        [(300, 4), (250, 3), (320, 5), (280, 2), (350, 6)],
    ),
    (
        "cn-2-na-4",
        4,
        "骑车上学",
        "{n}骑自行车上学，每分钟骑{{v}}米，骑了{{t}}分钟到学校。{n}家离学校多少米？",
        {"v": (100, 300, 10), "t": (5, 30, 1)},
        "v * t",
        "米",
        [{"n": "小军"}, {"n": "芳芳"}, {"n": "小宇"}],
        [(180, 12), (220, 15), (150, 18), (250, 9), (200, 21)],
    ),
    (
        "cn-2-na-4",
        4,
        "买水果",
        "水果店的{fruit}每千克{{price}}元，{n}买了{{kg}}千克，一共要付多少元？",
        {"price": (4, 30, 1), "kg": (2, 9, 1)},
        "price * kg",
        "元",
        [
            {"fruit": "苹果", "n": "爷爷"},
            {"fruit": "香蕉", "n": "妈妈"},
            {"fruit": "葡萄", "n": "阿姨"},
        ],
        [(8, 5), (6, 7), (15, 3), (12, 4), (9, 6)],
    ),
    (
        "cn-2-na-5",
        3,
        "买文具（小数）",
        "一支铅笔{{a}}元，一块橡皮{{b}}元。买一支铅笔和一块橡皮一共要多少元？",
        {"a": (0.5, 5.0, 0.1), "b": (0.5, 5.0, 0.1)},
        "a + b",
        "元",
        [{}],
        [(1.5, 0.8), (2.4, 1.3), (0.9, 1.6), (3.2, 2.5), (1.8, 0.7)],
    ),
    (
        "cn-2-gm-1",
        3,
        "绳子换算",
        "一根跳绳长{{m}}米，合多少厘米？",
        {"m": (2, 9, 1)},
        "m * 100",
        "厘米",
        [{}],
        [(3,), (4,), (5,), (2,), (6,)],
    ),
    (
        "cn-2-gm-1",
        3,
        "西瓜有多重",
        "一个西瓜重{{kg}}千克，合多少克？",
        {"kg": (2, 9, 1)},
        "kg * 1000",
        "克",
        [{}],
        [(4,), (3,), (6,), (5,), (7,)],
    ),
    (
        "cn-2-gm-2",
        3,
        "花坛的周长",
        "公园里有一个长方形花坛，长{{a}}米，宽{{b}}米。绕花坛走一圈是多少米？",
        {"a": (5, 30, 1), "b": (2, 20, 1)},
        "(a + b) * 2",
        "米",
        [{}],
        [(12, 8), (20, 15), (9, 6), (25, 14), (16, 11)],
    ),
    (
        "cn-2-gm-3",
        3,
        "教室的面积",
        "{room}的地面是长方形，长{{a}}米，宽{{b}}米。地面的面积是多少平方米？",
        {"a": (4, 20, 1), "b": (3, 15, 1)},
        "a * b",
        "平方米",
        [{"room": "教室"}, {"room": "图书室"}, {"room": "乒乓球室"}],
        [(9, 7), (12, 8), (10, 6), (15, 9), (8, 5)],
    ),
    (
        "cn-2-sp-1",
        3,
        "调查最喜欢的水果",
        "三年级调查最喜欢的水果：喜欢{x}的有{{a}}人，喜欢{y}的有{{b}}人。喜欢{x}的比喜欢{y}的多多少人？",
        {"a": (20, 60, 1), "b": (5, 19, 1)},
        "a - b",
        "人",
        [{"x": "苹果", "y": "香蕉"}, {"x": "西瓜", "y": "橘子"}, {"x": "草莓", "y": "梨"}],
        [(34, 17), (41, 12), (28, 19), (52, 16), (37, 9)],
    ),
    (
        "cn-2-ip-1",
        3,
        "写日记的天数",
        "{n}从{month}月{{d}}日开始每天写日记，一直写到{month}月30日（两头都算）。一共写了多少天？",
        {"d": (1, 29, 1)},
        "30 - d + 1",
        "天",
        [{"n": "小林", "month": "四"}, {"n": "小雪", "month": "六"}, {"n": "东东", "month": "九"}],
        [(12,), (5,), (21,), (17,), (8,)],
    ),
    (
        "cn-2-ip-1",
        3,
        "看电影",
        "电影14时开始放映，片长{{m}}分钟，中间没有休息。电影放映了多少分钟？合几小时几分？请填写分钟数。",
        {"m": (80, 150, 1)},
        "m",
        "分钟",
        [{}],
        [(95,), (110,), (128,), (86,), (142,)],
    ),
    (
        "cn-3-na-1",
        5,
        "买笔记本（小数乘法）",
        "一本笔记本{{price}}元，班长买了{{n}}本。一共要付多少元？",
        {"price": (1.5, 9.5, 0.5), "n": (2, 12, 1)},
        "price * n",
        "元",
        [{}],
        [(3.5, 6), (2.5, 8), (4.5, 4), (6.5, 10), (5.5, 3)],
    ),
    (
        "cn-3-na-2",
        5,
        "订报纸",
        "学校图书室订了{{n}}份报纸，每份全年{{price}}元。一共要付多少元？",
        {"n": (12, 60, 1), "price": (100, 400, 1)},
        "n * price",
        "元",
        [{}],
        [(24, 186), (35, 240), (18, 312), (42, 155), (27, 208)],
    ),
    (
        "cn-3-gm-1",
        5,
        "鱼缸的体积",
        "一个长方体鱼缸长{{a}}分米，宽{{b}}分米，高{{c}}分米。它的体积是多少立方分米？",
        {"a": (4, 12, 1), "b": (2, 8, 1), "c": (3, 9, 1)},
        "a * b * c",
        "立方分米",
        [{}],
        [(8, 5, 6), (10, 4, 5), (6, 3, 4), (12, 6, 7), (9, 5, 8)],
    ),
    (
        "cn-3-sp-1",
        5,
        "跳绳平均数",
        "三名同学一分钟跳绳，分别跳了{{a}}下、{{b}}下和{{c}}下。他们平均每人跳了多少下？",
        {"a": (80, 180, 1), "b": (80, 180, 1), "c": (80, 180, 1)},
        "(a + b + c) / 3",
        "下",
        [{}],
        [(120, 135, 150), (98, 112, 126), (140, 155, 170), (101, 119, 137), (88, 96, 104)],
    ),
]

EN: list[Template] = [
    (
        "us-3-oa-a-1",
        3,
        "Muffin trays",
        "{n} bakes {{trays}} trays of muffins with {{each}} muffins on each tray. How many muffins does {n} bake?",
        {"trays": (2, 9, 1), "each": (2, 9, 1)},
        "trays * each",
        "muffins",
        [{"n": "Ava"}, {"n": "Leo"}],
        [(4, 6), (3, 8), (5, 7), (6, 9)],
    ),
    (
        "us-3-oa-a-3",
        3,
        "Sharing stickers",
        "A teacher shares {{total}} stickers equally among {{kids}} students. How many stickers does each student get?",
        {"total": (12, 90, 1), "kids": (2, 9, 1)},
        "total / kids",
        "stickers",
        [{}],
        [(48, 6), (35, 5), (72, 8), (27, 3)],
    ),
    (
        "us-3-nbt-a-2",
        3,
        "Bike and helmet",
        "At the sports store a bike costs {{bike}} dollars and a helmet costs {{helmet}} dollars. What is the total cost?",
        {"bike": (100, 600, 1), "helmet": (20, 90, 1)},
        "bike + helmet",
        "dollars",
        [{}],
        [(245, 38), (389, 57), (512, 64), (178, 29)],
    ),
    (
        "us-3-nbt-a-2",
        3,
        "Concert tickets",
        "The school sold {{sold}} of the {{seats}} concert tickets. How many tickets are left?",
        {"sold": (100, 499, 1), "seats": (500, 999, 1)},
        "seats - sold",
        "tickets",
        [{}],
        [(368, 750), (412, 600), (255, 900), (489, 812)],
    ),
    (
        "us-3-md-a-1",
        3,
        "Soccer practice time",
        "Soccer practice starts at 4:00 and lasts {{warm}} minutes of warm-up plus {{game}} minutes of game play. How many minutes does practice last?",
        {"warm": (10, 25, 1), "game": (20, 45, 1)},
        "warm + game",
        "minutes",
        [{}],
        [(15, 30), (12, 40), (20, 25), (18, 35)],
    ),
    (
        "us-3-md-c-7",
        3,
        "Garden area",
        "A rectangular {place} is {{l}} feet long and {{w}} feet wide. What is its area in square feet?",
        {"l": (3, 12, 1), "w": (2, 9, 1)},
        "l * w",
        "square feet",
        [{"place": "vegetable garden"}, {"place": "rug"}],
        [(8, 6), (9, 4), (7, 5), (12, 3)],
    ),
    (
        "us-3-md-d-8",
        3,
        "Fence around a pen",
        "A rectangular dog pen is {{l}} meters long and {{w}} meters wide. How many meters of fence go around it?",
        {"l": (3, 20, 1), "w": (2, 15, 1)},
        "2 * (l + w)",
        "meters",
        [{}],
        [(9, 5), (12, 7), (15, 6), (8, 4)],
    ),
    (
        "us-4-nbt-b-5",
        4,
        "Boxes of crayons",
        "A store receives {{boxes}} boxes with {{each}} crayons in each box. How many crayons does the store receive?",
        {"boxes": (11, 99, 1), "each": (12, 64, 1)},
        "boxes * each",
        "crayons",
        [{}],
        [(24, 16), (35, 48), (18, 24), (42, 36)],
    ),
    (
        "us-4-nbt-b-6",
        4,
        "Marbles in bags",
        "Sam puts {{total}} marbles into bags of {{size}}. How many full bags can Sam make?",
        {"total": (100, 999, 1), "size": (3, 9, 1)},
        "total // size",
        "bags",
        [{}],
        [(250, 8), (437, 6), (612, 7), (389, 4)],
    ),
    (
        "us-4-oa-a-3",
        4,
        "Buses for a field trip",
        "{{kids}} students are going on a field trip to the {place}. Each bus holds {{seats}} students. How many buses are needed?",
        {"kids": (100, 400, 1), "seats": (30, 50, 1)},
        "(kids + seats - 1) // seats",
        "buses",
        [{"place": "science museum"}, {"place": "zoo"}],
        [(235, 40), (148, 36), (310, 48), (187, 45)],
    ),
    (
        "us-4-md-a-1",
        4,
        "Kilometers to meters",
        "A hiking trail is {{km}} kilometers long. How many meters long is the trail?",
        {"km": (2, 15, 1)},
        "km * 1000",
        "meters",
        [{}],
        [(3,), (7,), (12,), (5,)],
    ),
    (
        "us-4-md-a-2",
        4,
        "Road trip distance",
        "A family drives {{speed}} miles each hour for {{hours}} hours. How many miles do they drive?",
        {"speed": (40, 70, 5), "hours": (2, 8, 1)},
        "speed * hours",
        "miles",
        [{}],
        [(55, 4), (60, 3), (45, 6), (65, 5)],
    ),
    (
        "us-5-nbt-b-6",
        5,
        "Seats in rows",
        "An auditorium has {{seats}} seats in rows of {{row}} seats each. How many rows are there?",
        {"seats": (300, 2000, 1), "row": (12, 40, 1)},
        "seats / row",
        "rows",
        [{}],
        [(432, 24), (1125, 25), (768, 32), (540, 15)],
    ),
    (
        "us-5-nbt-b-7",
        5,
        "Price of notebooks",
        "A notebook costs {{price}} dollars. How much do {{n}} notebooks cost?",
        {"price": (1.25, 9.75, 0.25), "n": (2, 9, 1)},
        "price * n",
        "dollars",
        [{}],
        [(2.75, 4), (3.5, 6), (1.25, 8), (4.25, 3)],
    ),
    (
        "us-5-md-c-5",
        5,
        "Volume of a box",
        "A box is {{l}} cm long, {{w}} cm wide and {{h}} cm high. What is its volume in cubic centimeters?",
        {"l": (3, 20, 1), "w": (2, 15, 1), "h": (2, 12, 1)},
        "l * w * h",
        "cubic centimeters",
        [{}],
        [(10, 6, 4), (12, 5, 3), (8, 7, 5), (15, 4, 6)],
    ),
    (
        "us-5-md-b-2",
        5,
        "Average points",
        "In three basketball games Mia scored {{a}}, {{b}} and {{c}} points. What is the mean number of points per game?",
        {"a": (4, 30, 1), "b": (4, 30, 1), "c": (4, 30, 1)},
        "(a + b + c) / 3",
        "points",
        [{}],
        [(12, 15, 18), (9, 14, 22), (20, 24, 28), (7, 11, 15)],
    ),
]


def _number(value: float, step: float) -> int | float:
    return int(value) if float(step).is_integer() and float(value).is_integer() else value


def _fill(stem: str, words: dict[str, str], values: dict[str, int | float]) -> str:
    out = stem
    for name, value in values.items():
        out = out.replace("{{" + name + "}}", str(value))
    for name, word in words.items():
        out = out.replace("{" + name + "}", word)
    return out


def generate(
    templates: list[Template], *, language: str, prefix: str, framework: str
) -> list[dict[str, Any]]:
    """Items from ``templates``: every word fill and number fill combination in turn."""
    items = []
    framework_id = identifier(FRAMEWORKS[framework]["key"])
    count = 0
    for t_index, (key, grade, title, stem, spec, answer, unit, fills, numbers) in enumerate(
        templates
    ):
        for k, row in enumerate(numbers):
            count += 1
            values = {name: _number(v, spec[name][2]) for name, v in zip(spec, row, strict=True)}
            variables = {}
            for name, (low, high, step) in spec.items():
                integer = all(float(x).is_integer() for x in (low, high, step))
                variables[name] = {
                    "type": "integer" if integer else "float",
                    "value": values[name],
                    "min": int(low) if integer else low,
                    "max": int(high) if integer else high,
                    "step": int(step) if integer else step,
                }
            items.append(
                {
                    "id": f"{prefix}-{t_index + 1:02d}-{k + 1}",
                    "format": "edubridge-item/1",
                    "language": language,
                    "title": title,
                    "stem": _fill(stem, fills[k % len(fills)], values),
                    "interaction": {"type": "numeric_entry", "unit": unit, "tolerance": 0},
                    "correct_response": {"values": [evaluate(answer, values)]},
                    "template": {"variables": variables, "answer": answer},
                    "grade": grade,
                    "subject": "mathematics",
                    "licence": "CC-BY-4.0",
                    "author_organization": "EduBridge demo",
                    "alignments": [{"framework": framework_id, "item": identifier(key)}],
                }
            )
    assert count == len(items)
    return items


def zh_bank() -> dict[str, Any]:
    return {
        "format": "edubridge-bank/1",
        "id": "zh-math-g3-5-everyday",
        "title": "三至五年级数学：生活中的应用题",
        "language": "zh-CN",
        "description": "购物、饮食、出行、节日、运动、时间与日历、测量等生活情境中的应用题（演示内容）。",
        "licence": "CC-BY-4.0",
        "items": generate(ZH, language="zh-CN", prefix="zh-math", framework="cn"),
    }


def en_bank() -> dict[str, Any]:
    return {
        "format": "edubridge-bank/1",
        "id": "en-math-g3-5-everyday",
        "title": "Grades 3-5 math: everyday word problems",
        "language": "en-US",
        "description": "Word problems about shopping, sports, trips, time and measurement (demo).",
        "licence": "CC-BY-4.0",
        "items": generate(EN, language="en-US", prefix="en-math", framework="us"),
    }
