"""Demo exchange: one programme matched with simulated applicants, one open for applications.

Everything is invented and seeded, so the dashboards show the same true figures on every node.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password

from edubridge.accounts.models import Organization, User
from edubridge.exchange import services
from edubridge.exchange.models import Participation, ParticipationStatus, Programme

MATCHED_PROGRAMME = "Silk Road Youth Exchange 2026–2030 (demo)"
OPEN_PROGRAMME = "Teacher Exchange Call 2027 (demo)"
COUNTRIES = ["CN", "ID", "US", "ET", "EG", "IN"]
FIELDS = ["mathematics", "computer science", "education", "agriculture", "languages"]
APPLICANTS = 240
STEPS = 3


def _host_for(country: str) -> Organization:
    return Organization.objects.filter(country=country).order_by("name").first()  # type: ignore[return-value]


def _applicants(rng: random.Random) -> list[User]:
    """Simulated applicants: no password (they cannot sign in), pseudonymous usernames."""
    existing = {u.username: u for u in User.objects.filter(username__startswith="demo-applicant-")}
    orgs = {c: _host_for(c) for c in COUNTRIES}
    new = []
    for k in range(1, APPLICANTS + 1):
        name = f"demo-applicant-{k:03d}"
        if name not in existing:
            country = COUNTRIES[k % len(COUNTRIES)]
            new.append(
                User(username=name, password=make_password(None), organization=orgs[country])
            )
    User.objects.bulk_create(new)
    return list(
        User.objects.filter(username__startswith="demo-applicant-")
        .select_related("organization")
        .order_by("username")
    )


def load(advance: Callable[[str], None]) -> list[tuple[str, str, str]]:
    if Programme.objects.filter(name=MATCHED_PROGRAMME).exists():
        for label in ("exchange programme", "applications", "match"):
            advance(label)
        return []
    rng = random.Random(20260522)
    coordinator = Organization.objects.get(name="Lakeshore Learning Technologies")
    exchange_user = User.objects.filter(username="exchange").first()
    programme = services.programme_create(
        by=exchange_user,
        name=MATCHED_PROGRAMME,
        coordinator=coordinator,
        partner_countries=COUNTRIES,
        start_year=2026,
        end_year=2030,
        targets={2026: 120, 2027: 150, 2028: 180, 2029: 200, 2030: 220},
        max_choices=5,
        lottery_seed=20260522,
        description="Secondary and university students spend a term at a partner institution.",
    )
    places = []
    for k in range(30):
        country = COUNTRIES[k % len(COUNTRIES)]
        field = FIELDS[k % len(FIELDS)]
        language = {"CN": "zh", "ID": "id", "US": "en", "ET": "en", "EG": "ar", "IN": "en"}[country]
        places.append(
            services.place_add(
                programme=programme,
                code=f"P{k + 1:02d}",
                host=_host_for(country),
                title=f"{field.capitalize()} term in {country}",
                field=field,
                level="bachelor" if k % 3 else "secondary",
                year=2026 if k < 20 else 2027,
                capacity=rng.randint(3, 9),
                language_requirements={language: "B1"} if k % 4 == 0 else {},
                reserves=[{"attribute": "first_generation", "value": "yes", "seats": 1}]
                if k % 5 == 0
                else [],
                criteria={"grades": 0.6, "motivation": 0.4} if k % 2 == 0 else {},
            )
        )
    advance("exchange programme")
    for user in _applicants(rng):
        country = user.organization.country if user.organization else "ID"
        options = [p for p in places if p.host.country != country]
        picks = rng.sample(options, k=5)
        application = services.application_submit(
            programme=programme,
            applicant=user,
            sending_country=country,
            place_codes=[p.code for p in picks],
            language_levels={
                "en": rng.choice(["A2", "B1", "B2", "C1"]),
                "zh": rng.choice(["", "A2", "B1"]),
            },
            first_generation=rng.random() < 0.3,
        )
        for choice in application.choices.select_related("place"):
            if choice.place.criteria:
                services.choice_score(
                    choice=choice,
                    by=exchange_user,
                    criteria_scores={
                        "grades": rng.randint(50, 100) / 10,
                        "motivation": rng.randint(40, 100) / 10,
                    },
                )
            else:
                services.choice_score(
                    choice=choice, by=exchange_user, host_score=rng.randint(40, 100) / 10
                )
    advance("applications")
    services.match_run(programme=programme, by=exchange_user, round=1)
    services.match_run(programme=programme, by=exchange_user, round=2)
    steps = [
        ParticipationStatus.ACCEPTED,
        ParticipationStatus.VISA,
        ParticipationStatus.ARRIVED,
        ParticipationStatus.COMPLETED,
    ]
    for participation in Participation.objects.filter(application__programme=programme).order_by(
        "pk"
    ):
        if rng.random() < 0.08:
            services.participation_advance(
                participation=participation, status=ParticipationStatus.DECLINED, by=exchange_user
            )
            continue
        for status in steps[
            : rng.choice([1, 2, 3, 3, 4]) if participation.place.year == 2026 else 1
        ]:
            services.participation_advance(
                participation=participation, status=status, by=exchange_user
            )
    services.programme_create(
        by=exchange_user,
        name=OPEN_PROGRAMME,
        coordinator=coordinator,
        partner_countries=COUNTRIES,
        start_year=2027,
        end_year=2027,
        targets={2027: 40},
        max_choices=3,
        description="Teachers spend six weeks at a partner school.",
    )
    open_programme = Programme.objects.get(name=OPEN_PROGRAMME)
    for k, country in enumerate(COUNTRIES):
        services.place_add(
            programme=open_programme,
            code=f"T{k + 1:02d}",
            host=_host_for(country),
            title=f"Teaching placement in {country}",
            field="education",
            level="teacher",
            year=2027,
            capacity=6,
            language_requirements={"en": "B1"},
        )
    advance("match")
    return []
