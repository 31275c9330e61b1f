"""Demo teacher training: a seed-trainer programme, a first cohort at the Abay centre (with the demo
teacher, a completed seed teacher holding a credential, and simulated teachers) and a second-generation
cohort run by that seed teacher. Everything is invented and seeded; loads in a few seconds.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from edubridge.accounts.models import Organization, User
from edubridge.training import services
from edubridge.training.models import Cohort, Enrolment, Programme, SessionMode
from edubridge.training.signing import context_loader

PROGRAMME = "AI for Teaching: Seed Trainer Programme (demo)"
COMPETENCIES = ["AICFT-1.1", "AICFT-2.1", "AICFT-3.1", "AICFT-4.1", "AICFT-5.1"]
STEPS = 3


def _simulated(name: str, first: str, last: str, organization: Organization | None) -> User:
    user, _ = User.objects.get_or_create(
        username=name,
        defaults={
            "first_name": first,
            "last_name": last,
            "password": make_password(None),
            "organization": organization,
        },
    )
    return user


def _run_cohort(
    *,
    cohort: Cohort,
    coordinator: User,
    teachers: list[User],
    start: datetime,
    zone: str,
    rng: random.Random,
    completers: int,
    upcoming: bool,
) -> list[Enrolment]:
    enrolments = [services.enrol(by=coordinator, cohort=cohort, teacher=t) for t in teachers]
    sessions = [
        services.session_schedule(
            by=coordinator,
            cohort=cohort,
            title=title,
            local_start=(start + timedelta(days=7 * k)).replace(tzinfo=None),
            time_zone=zone,
            minutes=120,
            mode=SessionMode.ONLINE if k % 2 else SessionMode.IN_PERSON,
            place="" if k % 2 else "Room 3",
        )
        for k, title in enumerate(
            ["Why AI in teaching", "Ethics and data", "How AI tools work", "Planning with AI"]
        )
    ]
    if upcoming:
        services.session_schedule(
            by=coordinator,
            cohort=cohort,
            title="Sharing practice",
            local_start=(timezone.now() + timedelta(days=10)).replace(tzinfo=None, microsecond=0),
            time_zone=zone,
            minutes=90,
            mode=SessionMode.ONLINE,
            place="https://meet.example/sessions",
        )
    programme = cohort.programme
    competencies = list(programme.target_competencies.order_by("code"))
    for session in sessions:
        present = [e.pk for p, e in enumerate(enrolments) if p < completers or rng.random() < 0.7]
        services.attendance_record(by=coordinator, session=session, present=present)
    for position, enrolment in enumerate(enrolments):
        finishing = position < completers
        assessed = competencies if finishing else competencies[: rng.randint(0, 3)]
        for competency in assessed:
            low = 2 if finishing else 1
            scores = {c["name"]: rng.randint(low, 3) for c in programme.rubric}
            if finishing and sum(scores.values()) < programme.pass_score:
                scores = {c["name"]: 2 for c in programme.rubric}
            services.evidence_assess(
                by=cohort.lead,
                enrolment=enrolment,
                competency=competency,
                title="Lesson plan that uses AI responsibly",
                scores=scores,
            )
        if finishing:
            services.enrolment_complete(by=cohort.lead, enrolment=enrolment)
    return enrolments


logger = logging.getLogger(__name__)


def load(advance: Callable[[str], None]) -> list[tuple[str, str, str]]:
    if Programme.objects.filter(name=PROGRAMME).exists():
        for label in ("competency framework", "first cohort", "second generation"):
            advance(label)
        return []
    try:
        context_loader()
    except FileNotFoundError as exc:
        # Completing the demo cohorts issues credentials, which need the JSON-LD contexts.
        logger.warning("Training demo skipped: %s (set EDUBRIDGE_CREDENTIAL_CONTEXTS).", exc)
        for label in ("training demo skipped", "", ""):
            advance(label)
        return []
    rng = random.Random(20261010)
    framework = services.framework_load_aicft()
    advance("competency framework")
    coordinator = User.objects.get(username="trainer")
    abay = Organization.objects.get(name="Abay Regional Teacher Training Centre")
    sumber = Organization.objects.get(name="Teacher Academy of Sumber Ilmu")
    programme = services.programme_create(
        by=coordinator,
        name=PROGRAMME,
        framework=framework,
        competency_codes=COMPETENCIES,
        target_level=1,
        language="en",
        hours=24,
        modules=[
            ("Human-centred AI", 6),
            ("Ethics of AI", 6),
            ("AI foundations", 6),
            ("AI pedagogy", 6),
        ],
        trains_trainers=True,
        description="Teachers learn to use AI responsibly in class and to train colleagues.",
        prerequisites="Two years of classroom teaching.",
    )
    seed = _simulated("demo-seed-teacher", "Selam", "Bekele", abay)
    first = [seed] + [
        _simulated(f"demo-trainee-{k:02d}", "Trainee", f"{k:02d}", abay) for k in range(1, 6)
    ]
    teacher = User.objects.filter(username="teacher").first()
    start = timezone.now() - timedelta(days=60)
    cohort1 = services.cohort_open(
        by=coordinator,
        programme=programme,
        centre=abay,
        name="Abay cohort 2026 (demo)",
        starts_on=start.date(),
    )
    _run_cohort(
        cohort=cohort1,
        coordinator=coordinator,
        teachers=first,
        start=start,
        zone="Africa/Addis_Ababa",
        rng=rng,
        completers=3,
        upcoming=False,
    )
    if teacher is not None:
        # The demo teacher joins late: partial progress and an upcoming session to show.
        enrolment = services.enrol(by=coordinator, cohort=cohort1, teacher=teacher)
        for session in cohort1.sessions.all()[:3]:
            marks = set(
                session.attendance.filter(present=True).values_list("enrolment_id", flat=True)
            )
            services.attendance_record(
                by=coordinator, session=session, present=[*marks, enrolment.pk]
            )
        competency = programme.target_competencies.order_by("code").first()
        assert competency is not None
        services.evidence_assess(
            by=coordinator,
            enrolment=enrolment,
            competency=competency,
            title="Classroom rules for AI tools",
            scores={c["name"]: 3 for c in programme.rubric},
        )
    services.session_schedule(
        by=coordinator,
        cohort=cohort1,
        title="Sharing practice",
        local_start=(timezone.now() + timedelta(days=10)).replace(
            tzinfo=None, microsecond=0, minute=0
        ),
        time_zone="Africa/Addis_Ababa",
        minutes=90,
        mode=SessionMode.ONLINE,
        place="https://meet.example/abay",
    )
    advance("first cohort")
    second = [_simulated(f"demo-gen2-{k:02d}", "Guru", f"{k:02d}", sumber) for k in range(1, 6)]
    start2 = timezone.now() - timedelta(days=35)
    cohort2 = services.cohort_open(
        by=seed,
        programme=programme,
        centre=sumber,
        name="Sumber Ilmu cohort led by a seed teacher (demo)",
        starts_on=start2.date(),
        coordinator=False,
    )
    _run_cohort(
        cohort=cohort2,
        coordinator=seed,
        teachers=second,
        start=start2,
        zone="Asia/Jakarta",
        rng=rng,
        completers=2,
        upcoming=False,
    )
    advance("second generation")
    return []
