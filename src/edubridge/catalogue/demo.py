"""Demo catalogue: three CASE frameworks with crosswalks, a zh-CN and an en-US item bank aligned
by hand, both published. Idempotent: nothing is loaded twice."""

from __future__ import annotations

import json
from collections.abc import Callable

from edubridge.accounts.models import Organization, User
from edubridge.catalogue import services
from edubridge.catalogue.demo_data import frameworks
from edubridge.catalogue.demo_data.items import en_bank, zh_bank
from edubridge.catalogue.models import Bank, Framework

STEPS = 2


def load(advance: Callable[[str], None]) -> list[tuple[str, str, str]]:
    publisher = User.objects.filter(username="publisher").first()
    for name in ("cn", "us", "id"):
        identifier = frameworks.identifier(frameworks.FRAMEWORKS[name]["key"])
        if Framework.objects.filter(identifier=identifier).exists():
            continue
        if not (services.standards_dir() / "case").is_dir():
            # Without the official CASE schema nothing can be validated: the banks still load,
            # their alignments stay in the item JSON (see the operator guide).
            break
        services.framework_import(
            by=publisher, filename=f"demo-{name}.json", content=frameworks.package(name)
        )
    advance("catalogue frameworks")
    for bank, org_name in (
        (zh_bank(), "Xinhe Normal University"),
        (en_bank(), "Riverbend Unified School Network"),
    ):
        if Bank.objects.filter(slug=bank["id"]).exists():
            continue
        result = services.bank_import(
            by=publisher,
            filename=f"{bank['id']}.json",
            content=json.dumps(bank, ensure_ascii=False).encode(),
            author_organization=Organization.objects.filter(name=org_name).first(),
        )
        services.bank_publish(by=publisher, bank=result.bank)
    advance("catalogue banks")
    return []
