"""Numbers: skill class, locale-natural amounts, and CLDR formatting through Babel.

The skill class of a number is what a pupil must handle to compute with it: whether it is a whole
number and how many significant digits it carries. Trailing zeros added by a currency with a
small unit (Rp 36.000 for 36 yuan) do not change the skill class.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from babel import Locale
from babel.numbers import format_currency, format_decimal


@dataclass(frozen=True)
class SkillClass:
    """Whole or decimal, and significant digits (trailing zeros of whole numbers not counted)."""

    integer: bool
    significant_digits: int


def to_fraction(value: float | int | str | Fraction | Decimal) -> Fraction:
    """Exact value; floats go through their shortest decimal representation."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(Decimal(str(value)))


def skill_class(value: Fraction) -> SkillClass:
    """Skill class of an exact value."""
    text = plain(value)
    integer = value.denominator == 1
    digits = text.lstrip("-").replace(".", "").lstrip("0")
    if integer:
        digits = digits.rstrip("0")
    return SkillClass(integer=integer, significant_digits=max(1, len(digits)))


def plain(value: Fraction) -> str:
    """Shortest plain decimal text ("3", "1.5", "0.25"); non-terminating values get 6 places."""
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den != 1:
        return format(float(value), ".6f").rstrip("0").rstrip(".")
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f")


def babel_locale(locale: str) -> str:
    return locale.replace("-", "_")


def format_number(value: Fraction, locale: str, numbering_system: str = "latn") -> str:
    """CLDR decimal formatting (grouping incl. lakh/crore for hi-IN) of an exact value."""
    dec = Decimal(plain(value))
    return format_decimal(
        dec, locale=babel_locale(locale), numbering_system=numbering_system, group_separator=True
    )


def format_money(
    value: Fraction, currency: str, locale: str, minor_unit_used: bool, grouping: bool = True
) -> str:
    """CLDR currency formatting; whole amounts show no decimals (Rp36.000, not Rp36.000,00).

    grouping=False writes the digits as they are (Rp36000), for template variables whose value
    the item format requires to appear literally in the stem.
    """
    dec = Decimal(plain(value))
    if value.denominator == 1:
        return format_currency(
            dec,
            currency,
            locale=babel_locale(locale),
            format=_whole_pattern(locale),
            currency_digits=False,
            group_separator=grouping,
        )
    # never round silently: a fractional amount keeps its decimals even where coins are unused
    return format_currency(
        dec,
        currency,
        locale=babel_locale(locale),
        currency_digits=minor_unit_used,
        decimal_quantization=minor_unit_used,
        group_separator=grouping,
    )


@functools.cache
def _whole_pattern(locale: str) -> str:
    """The locale's currency pattern without decimals (Rp36.000, ₹1,20,000)."""
    pattern = Locale.parse(babel_locale(locale)).currency_formats["standard"].pattern
    return re.sub(r"\.0+", "", pattern.split(";")[0])


NICE_MANTISSAS = (1, 2, 2.5, 3, 4, 5, 6, 8)


def candidate_factors(ratio: float) -> list[Fraction]:
    """Scale factors near `ratio` of the form m * 10^k with a small mantissa, nearest first."""
    if ratio <= 0:
        return [Fraction(1)]
    exp = math.floor(math.log10(ratio))
    out: list[Fraction] = []
    for k in range(exp - 1, exp + 5):  # wide enough that whole multiples always exist
        for m in NICE_MANTISSAS:
            out.append(to_fraction(m) * (Fraction(10) ** k))
    out.sort(key=lambda f: abs(math.log10(float(f)) - math.log10(ratio)))
    return out


def is_multiple(value: Fraction, step: Fraction) -> bool:
    """Whether value is a whole multiple of step (the smallest amount pupils handle)."""
    if step <= 0:
        return True
    q = value / step
    return q.denominator == 1


def round_to_step(value: float, step: float, significant: int) -> Fraction:
    """Round to `significant` significant digits and then to a multiple of `step`."""
    if value <= 0:
        return Fraction(0)
    exp = math.floor(math.log10(value)) - significant + 1
    rounded = round(value / 10**exp) * Fraction(10) ** exp
    st = to_fraction(step)
    out = Fraction(round(rounded / st)) * st
    return out if out > 0 else st
