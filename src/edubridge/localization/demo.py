"""Demo localization: the demo zh-CN bank drafted for Indonesia (id-ID), grade 4, partly
reviewed by the demo localizer. Idempotent: a job that exists already is left as it is."""

from __future__ import annotations

from collections.abc import Callable

from edubridge.accounts.models import User
from edubridge.catalogue.models import Bank
from edubridge.engines.localize import load_pack
from edubridge.localization import services
from edubridge.localization.models import Decision, LocalizationJob

STEPS = 2
SOURCE = "zh-math-g3-5-everyday"
REVIEWED = 3  # items accepted in full by the demo localizer


def load(advance: Callable[[str], None]) -> list[tuple[str, str, str]]:
    localizer = User.objects.filter(username="localizer").first()
    bank = Bank.objects.filter(slug=SOURCE).first()
    if (
        localizer is None
        or bank is None
        or LocalizationJob.objects.filter(bank=bank, target_locale="id-ID", grade=4).exists()
    ):
        advance("localization draft")
        advance("localization review")
        return []
    job = services.job_start(by=localizer, bank=bank, target_locale="id-ID", grade=4, enqueue=False)
    job = services.job_run(job.pk)
    advance("localization draft")
    for item in job.items.filter(status=Decision.PENDING).order_by("position")[:REVIEWED]:
        services.item_decide(by=localizer, item=item, decision="accept")
    # one more item half done: its name edited to another local name, the rest left to review
    named = (
        job.items.filter(status=Decision.PENDING, changes__kind="name").order_by("position").first()
    )
    if named is not None:
        change = named.changes.filter(kind="name").order_by("position").first()
        assert change is not None
        other = next(n for n in load_pack("id-ID").names("female") if n != change.to_value)
        services.change_decide(
            by=localizer, change=change, decision=Decision.EDITED, value=other.split("|")[0]
        )
    advance("localization review")
    return []
