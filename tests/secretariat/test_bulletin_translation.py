"""Machine translation of bulletins through the localization engine's chat-completions
provider, spoken to over real HTTP by a local fake endpoint; drafts are reviewed before they
are published, and a node without a provider says why there is no button."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from edubridge.accounts.models import User
from edubridge.secretariat import services
from edubridge.secretariat.models import Bulletin, BulletinDraft
from tests.engines.localize.test_translate import _Fake
from tests.engines.localize.test_translate import endpoint as endpoint

pytestmark = pytest.mark.usefixtures("demo_network")

BODY = "The plenary meets on 12 March at 14:00.\n\nSend 3 agenda items by Friday."


def secretariat() -> Client:
    client = Client()
    client.force_login(User.objects.get(username="secretariat"))
    return client


@pytest.fixture
def bulletin() -> Bulletin:
    return services.bulletin_publish(
        title="Plenary in March", body=BODY, access="members", by=None, language="en"
    )


@pytest.fixture
def configured(endpoint: type[_Fake]) -> Iterator[type[_Fake]]:
    with override_settings(
        EDUBRIDGE_TRANSLATION_URL=endpoint.url,  # type: ignore[attr-defined]
        EDUBRIDGE_TRANSLATION_MODEL="test-model",
    ):
        yield endpoint


WORDS = {"Plenary in March": "Pleno bulan Maret"}


def indonesian(texts: list[str]) -> dict[str, list[str]]:
    out = []
    for text in texts:
        if text in WORDS:
            out.append(WORDS[text])
        elif text.startswith("The plenary"):
            out.append("Pleno bertemu pada {ph1} Maret pukul {ph2}:{ph3}.")
        else:
            out.append("Kirim {ph1} usulan agenda sebelum Jumat.")
    return {"translations": out}


def test_without_a_provider_the_button_is_absent_and_the_page_says_why(bulletin: Bulletin) -> None:
    page = secretariat().get(f"/secretariat/bulletins/{bulletin.pk}/").content.decode()
    assert "Translate to" not in page
    assert "no translation provider is configured" in page
    response = secretariat().post(
        f"/secretariat/bulletins/{bulletin.pk}/translate/", {"language": "id"}
    )
    assert response.status_code == 400
    assert not BulletinDraft.objects.exists()


def test_a_machine_translated_draft_is_reviewed_then_published_marked_as_such(
    bulletin: Bulletin, configured: type[_Fake]
) -> None:
    configured.answer = staticmethod(indonesian)
    client = secretariat()
    page = client.get(f"/secretariat/bulletins/{bulletin.pk}/").content.decode()
    assert "Translate to Indonesian" in page
    assert "Translate to English" not in page  # the bulletin's own language

    response = client.post(f"/secretariat/bulletins/{bulletin.pk}/translate/", {"language": "id"})
    draft = BulletinDraft.objects.get()
    assert response["Location"] == f"/secretariat/bulletins/drafts/{draft.pk}/"
    assert draft.title == "Pleno bulan Maret"
    assert draft.body == (
        "Pleno bertemu pada 12 Maret pukul 14:00.\n\nKirim 3 usulan agenda sebelum Jumat."
    )
    assert draft.provider == "chat-completions (test-model)"
    request = configured.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert "{ph1}" in request["body"]["messages"][-1]["content"]  # numbers never leave masked
    assert "12" not in request["body"]["messages"][-1]["content"]

    # Nothing is published until the secretariat reviews the draft.
    assert Bulletin.objects.filter(language="id").count() == 0
    review = client.get(response["Location"]).content.decode()
    assert "Machine-translated draft" in review
    published = client.post(
        response["Location"],
        {"do": "publish", "title": "Pleno bulan Maret", "body": draft.body + " Terima kasih."},
    )
    translated = Bulletin.objects.get(language="id")
    assert published["Location"] == f"/secretariat/bulletins/{translated.pk}/"
    assert translated.machine_translated
    assert translated.translated_from == bulletin
    assert translated.access == bulletin.access
    assert translated.body.endswith("Terima kasih.")
    shown = client.get(published["Location"]).content.decode()
    assert "Machine-translated from en and reviewed by the secretariat." in shown
    assert (
        f"/secretariat/bulletins/{translated.pk}/"
        in client.get(f"/secretariat/bulletins/{bulletin.pk}/").content.decode()
    )


def test_a_translation_that_changes_a_number_is_refused_and_nothing_is_stored(
    bulletin: Bulletin, configured: type[_Fake]
) -> None:
    configured.answer = staticmethod(
        lambda texts: {"translations": ["Pleno pada 13 Maret" for _ in texts]}
    )
    response = secretariat().post(
        f"/secretariat/bulletins/{bulletin.pk}/translate/", {"language": "id"}
    )
    assert response.status_code == 400
    assert "machine translation was refused" in response.content.decode()
    assert not BulletinDraft.objects.exists()


def test_an_unreachable_provider_is_reported(bulletin: Bulletin) -> None:
    with (
        override_settings(EDUBRIDGE_TRANSLATION_URL="http://127.0.0.1:9/v1"),
        pytest.raises(services.SecretariatError, match="chat endpoint failed"),
    ):
        services.bulletin_translate(bulletin=bulletin, language="id", by=None)
    assert not BulletinDraft.objects.exists()


def test_only_the_secretariat_asks_for_translations(
    bulletin: Bulletin, configured: type[_Fake]
) -> None:
    client = Client()
    client.force_login(User.objects.get(username="learner"))
    response = client.post(f"/secretariat/bulletins/{bulletin.pk}/translate/", {"language": "id"})
    assert response.status_code in (403, 404)
    assert not configured.requests
