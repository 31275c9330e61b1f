"""Small builders for catalogue tests."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.test import Client

from edubridge.accounts.models import User
from edubridge.catalogue import services
from edubridge.catalogue.models import Bank
from tests.engines.standards.samples import sample

QTI_NS = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
MANIFEST_NS = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"


def publisher() -> User:
    return User.objects.get(username="publisher")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def json_bank(slug: str, kinds: tuple[str, ...] = ("numeric_entry", "choice")) -> bytes:
    items = []
    for n, kind in enumerate(kinds):
        item = sample(kind)
        item["id"] = f"{slug}-{n}"
        items.append(item)
    bank = {"format": "edubridge-bank/1", "id": slug, "title": f"Bank {slug}", "items": items}
    return json.dumps(bank, ensure_ascii=False).encode()


def import_json(slug: str, kinds: tuple[str, ...] = ("numeric_entry", "choice")) -> Bank:
    return services.bank_import(
        by=publisher(), filename=f"{slug}.json", content=json_bank(slug, kinds)
    ).bank


def make_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def manifest(*hrefs: str) -> bytes:
    resources = "".join(
        f'<resource identifier="R{i}" type="imsqti_item_xmlv3p0" href="{h}">'
        f'<file href="{h}"/></resource>'
        for i, h in enumerate(hrefs)
    )
    return (
        f'<?xml version="1.0"?><manifest xmlns="{MANIFEST_NS}" identifier="M1">'
        f"<metadata><schema>QTI Package</schema><schemaversion>3.0.0</schemaversion></metadata>"
        f"<organizations/><resources>{resources}</resources></manifest>"
    ).encode()


def unzip(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def as_dict(value: Any) -> Any:
    return json.loads(json.dumps(value))
