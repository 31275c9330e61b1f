"""Small programmes built through the services, for tests."""

from __future__ import annotations

from edubridge.accounts.models import Organization, User
from edubridge.exchange import services
from edubridge.exchange.models import Programme


def org(country: str) -> Organization:
    found = Organization.objects.filter(country=country).order_by("name").first()
    assert found is not None, f"the demo network has an organization in {country}"
    return found


def programme(**overrides: object) -> Programme:
    values: dict[str, object] = {
        "by": None,
        "name": "Test exchange",
        "coordinator": org("US"),
        "partner_countries": ["CN", "ID", "US", "ET"],
        "start_year": 2026,
        "end_year": 2027,
        "targets": {2026: 3, 2027: 2},
        "max_choices": 3,
        "lottery_seed": 7,
    }
    values.update(overrides)
    return services.programme_create(**values)  # type: ignore[arg-type]


def applicant(name: str, country: str) -> User:
    return User.objects.create(username=name, organization=org(country))
