"""Lexical rules for xAPI values: IRIs, UUIDs, language tags, timestamps, durations."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
INTERACTION_TYPES = frozenset(
    {
        "true-false",
        "choice",
        "fill-in",
        "long-fill-in",
        "matching",
        "performance",
        "sequencing",
        "likert",
        "numeric",
        "other",
    }
)

UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
# RFC 3987 asks for a scheme; whitespace is never allowed in an IRI.
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$")
# RFC 5646, simplified: a primary subtag, then subtags of letters and digits.
LANG_RE = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?$"
    r"|^[xX](?:-[A-Za-z0-9]{1,8})+$|^i-[A-Za-z]+$"
)
TIMESTAMP_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
    r"([Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)
_NUM = r"(?:\d+(?:[.,]\d+)?)"
# ISO 8601:2004 4.4.3: weeks stand alone (PnW); otherwise years to seconds.
DURATION_RE = re.compile(
    rf"^P(?:{_NUM}W|(?!$)(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}D)?"
    rf"(?:T(?=\d)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?)$"
)
SHA1_RE = re.compile(r"^[0-9a-fA-F]{40}$")
MIME_RE = re.compile(r"^[A-Za-z0-9!#$&^_.+\-]+/[A-Za-z0-9!#$&^_.+\-]+(?:\s*;.*)?$")


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and bool(UUID_RE.match(value))


def is_iri(value: object) -> bool:
    return isinstance(value, str) and bool(IRI_RE.match(value))


def is_language_tag(value: object) -> bool:
    return isinstance(value, str) and bool(LANG_RE.match(value))


def is_duration(value: object) -> bool:
    return isinstance(value, str) and bool(DURATION_RE.match(value))


def parse_timestamp(value: str) -> datetime:
    """Parse an ISO 8601 / RFC 3339 timestamp; a missing offset means UTC; -00:00 is refused."""
    match = TIMESTAMP_RE.match(value)
    if not match:
        raise ValueError("not an ISO 8601 timestamp")
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction = match.group(7) or ""
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    offset = match.group(8)
    if offset is None or offset in ("Z", "z"):
        tz: timezone = UTC
    else:
        if offset in ("-00", "-00:00", "-0000"):
            raise ValueError("the offset -00:00 is not allowed")
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours = int(digits[:2])
        minutes = int(digits[2:4]) if len(digits) > 2 else 0
        if hours > 23 or minutes > 59:
            raise ValueError("offset out of range")
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)


def format_timestamp(moment: datetime) -> str:
    """UTC, millisecond precision, ``Z`` suffix: the form the store writes for ``stored``."""
    utc = moment.astimezone(UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:"
        f"{utc.second:02d}.{utc.microsecond // 1000:03d}Z"
    )


_SECONDS_RE = re.compile(r"(\d+)[.,](\d{2})\d*S$")


def truncate_duration(value: str) -> str:
    """Seconds cut to hundredths: xAPI 2.0 compares durations only to 0.01 s."""
    return _SECONDS_RE.sub(r"\1.\2S", value)
