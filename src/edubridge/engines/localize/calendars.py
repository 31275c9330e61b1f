"""Calendar conversions for dates shown to pupils.

Hijri uses the Umm al-Qura tables of the maintained `hijridate` package (MIT) when installed;
Persian (Solar Hijri), Ethiopian and Thai Buddhist Era use documented arithmetic:
- Persian: the 33-year-cycle arithmetic of the jalaali algorithm (Borkowski),
  exact for 1178-1633 SH;
- Ethiopian: Julian Day Number arithmetic with the Amete Mihret era offset (JDN 1723856);
- Thai: Buddhist Era year = Gregorian year + 543, months and days unchanged.
"""

from __future__ import annotations

import datetime as dt

ETHIOPIC_EPOCH = 1723856  # JDN offset of the Amete Mihret era


def to_jdn(day: dt.date) -> int:
    return day.toordinal() + 1721425


def gregorian_to_ethiopian(day: dt.date) -> tuple[int, int, int]:
    """(year, month 1-13, day) in the Ethiopian calendar."""
    jdn = to_jdn(day)
    era = ETHIOPIC_EPOCH
    r = (jdn - era) % 1461
    n = (r % 365) + 365 * (r // 1460)
    year = 4 * ((jdn - era) // 1461) + r // 365 - r // 1460
    return year, n // 30 + 1, n % 30 + 1


def gregorian_to_persian(day: dt.date) -> tuple[int, int, int]:
    """(year, month, day) in the Solar Hijri calendar (jalaali arithmetic)."""
    gy, gm, gd = day.year, day.month, day.day
    g_d_m = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
    gy2 = gy + 1 if gm > 2 else gy
    days = (
        355666
        + 365 * gy
        + (gy2 + 3) // 4
        - (gy2 + 99) // 100
        + (gy2 + 399) // 400
        + gd
        + g_d_m[gm - 1]
    )
    jy = -1595 + 33 * (days // 12053)
    days %= 12053
    jy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        jy += (days - 1) // 365
        days = (days - 1) % 365
    if days < 186:
        return jy, 1 + days // 31, 1 + days % 31
    return jy, 7 + (days - 186) // 30, 1 + (days - 186) % 30


def gregorian_to_hijri(day: dt.date) -> tuple[int, int, int]:
    """(year, month, day) in the Hijri calendar (Umm al-Qura via hijridate, else tabular)."""
    try:
        from hijridate import Gregorian

        h = Gregorian(day.year, day.month, day.day).to_hijri()
        return int(h.year), int(h.month), int(h.day)
    except (ImportError, OverflowError, ValueError):
        return _tabular_hijri(to_jdn(day))


def _tabular_hijri(jdn: int) -> tuple[int, int, int]:
    """Arithmetical (tabular, Kuwaiti) Islamic calendar; may differ by a day from sighting."""
    days = jdn - 1948440 + 10632
    n = (days - 1) // 10631
    days = days - 10631 * n + 354
    j = ((10985 - days) // 5316) * ((50 * days) // 17719) + (days // 5670) * ((43 * days) // 15238)
    days = days - ((30 - j) // 15) * ((17719 * j) // 50) - (j // 16) * ((15238 * j) // 43) + 29
    month = (24 * days) // 709
    day = days - (709 * month) // 24
    year = 30 * n + j - 30
    return year, month, day


def convert(day: dt.date, calendar: str) -> tuple[int, int, int]:
    """A Gregorian date in another calendar: gregorian, hijri, persian, ethiopian, thai."""
    if calendar == "gregorian":
        return day.year, day.month, day.day
    if calendar == "hijri":
        return gregorian_to_hijri(day)
    if calendar == "persian":
        return gregorian_to_persian(day)
    if calendar == "ethiopian":
        return gregorian_to_ethiopian(day)
    if calendar == "thai":
        return day.year + 543, day.month, day.day
    raise ValueError(f"unsupported calendar {calendar!r}")


def next_gregorian(calendar: str, month: int, day: int, after: dt.date) -> dt.date | None:
    """The first Gregorian date on or after `after` that is (month, day) in `calendar`.

    Found by converting forward day by day (at most about 13 months), so it relies only on the
    tested forward conversions; None for lunisolar calendars this module does not compute.
    """
    if calendar not in ("gregorian", "hijri", "persian", "ethiopian", "thai"):
        return None
    current = after
    for _ in range(400):
        _, m, d = convert(current, calendar)
        if (m, d) == (month, day):
            return current
        current += dt.timedelta(days=1)
    return None


CALENDAR_LABEL = {
    "hijri": {"zh": "伊斯兰历", "en": "Hijri"},
    "persian": {"zh": "波斯历", "en": "Solar Hijri"},
    "ethiopian": {"zh": "埃塞俄比亚历", "en": "Ethiopian calendar"},
    "thai": {"zh": "佛历", "en": "Buddhist Era"},
}
