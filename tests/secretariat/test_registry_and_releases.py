"""Member registry and joint releases: the trust list, key rotation and revocation, k-of-n signing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from edubridge.core.identity import public_key_text
from edubridge.engines.releases.cli import main as releases_cli
from edubridge.engines.releases.documents import parse_registry, parse_release
from edubridge.engines.releases.verify import verify_registry, verify_release
from edubridge.secretariat import api, services
from edubridge.secretariat.demo import AWAITING_RELEASE, PUBLISHED_RELEASE
from edubridge.secretariat.documents import registry_document, release_document
from edubridge.secretariat.models import (
    Member,
    MembershipApplication,
    Release,
    ReleaseSignature,
    ReleaseStatus,
)
from tests.secretariat.factories import member_with_key, organization, sign

pytestmark = pytest.mark.usefixtures("demo_network")


def three_members() -> list[tuple[Member, Ed25519PrivateKey]]:
    return [
        member_with_key(f"{n} Institute", c)
        for n, c in (("Alpha", "CN"), ("Beta", "ET"), ("Gamma", "EG"))
    ]


def open_release(signers: list[Member], threshold: int = 2) -> Release:
    release = services.release_create(
        title="Test statement",
        text="We agree.",
        signer_ids=[m.pk for m in signers],
        threshold=threshold,
        by=None,
    )
    return services.release_open_for_signatures(release=release, by=None)


def test_the_registry_is_signed_by_this_node_and_lists_every_key() -> None:
    member, key = member_with_key("Alpha Institute")
    doc = registry_document()
    registry = parse_registry(json.loads(json.dumps(doc)))
    assert verify_registry(registry) is None
    listed = registry.members[str(member.pk)]
    assert listed.keys[0].public_key == public_key_text(key.public_key())


def test_rotation_retires_the_old_key_and_revocation_needs_a_reason() -> None:
    member, _key = member_with_key("Alpha Institute")
    old = member.keys.get()
    new = services.member_key_add(
        member=member,
        public_key=public_key_text(Ed25519PrivateKey.generate().public_key()),
        by=None,
    )
    old.refresh_from_db()
    assert old.retired_at is not None
    assert new.retired_at is None
    with pytest.raises(services.SecretariatError, match="Say why"):
        services.member_key_revoke(key=old, by=None, reason=" ")
    services.member_key_revoke(key=old, by=None, reason="lost")
    assert not api.is_member_key_valid(old.public_key, old.created_at + dt.timedelta(seconds=1))
    assert api.is_member_key_valid(new.public_key, timezone.now())
    assert {k.public_key for k in api.member_keys()} >= {old.public_key, new.public_key}


def test_a_key_that_is_not_ed25519_is_refused() -> None:
    member, _key = member_with_key("Alpha Institute")
    with pytest.raises(services.SecretariatError, match="not an Ed25519 public key"):
        services.member_key_add(member=member, public_key="not-a-key", by=None)
    assert member.keys.count() == 1


def test_an_approved_application_admits_the_member_with_its_key() -> None:
    org = organization("Delta Polytechnic", "IN")
    key = public_key_text(Ed25519PrivateKey.generate().public_key())
    application = services.application_submit(
        organization=org,
        by=None,
        contact_name="Desk",
        contact_email="d@example.org",
        public_key=key,
    )
    with pytest.raises(services.SecretariatError, match="already has an application"):
        services.application_submit(
            organization=org, by=None, contact_name="Desk", contact_email="d@example.org"
        )
    member = services.application_decide(application=application, by=None, approve=True)  # type: ignore[arg-type]
    assert member is not None
    assert member.keys.get().public_key == key
    assert MembershipApplication.objects.get(pk=application.pk).status == "approved"


def test_a_threshold_outside_one_to_n_is_refused() -> None:
    members = [m for m, _k in three_members()]
    with pytest.raises(services.SecretariatError, match="between 1 and the number of signers"):
        services.release_create(
            title="T", text="x", signer_ids=[m.pk for m in members], threshold=4, by=None
        )
    assert not Release.objects.filter(title="T").exists()


def test_a_release_is_published_when_k_distinct_members_have_signed() -> None:
    pairs = three_members()
    release = open_release([m for m, _k in pairs], threshold=2)
    payload = services.release_payload_bytes(release)
    services.release_sign(
        release=release,
        organization=pairs[0][0].organization,
        signature=sign(pairs[0][1], payload),
        by=None,
    )
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SIGNING
    services.release_sign(
        release=release,
        organization=pairs[2][0].organization,
        signature=sign(pairs[2][1], payload),
        by=None,
    )
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED
    assert release.published_at is not None


def test_a_member_is_never_counted_twice() -> None:
    pairs = three_members()
    release = open_release([m for m, _k in pairs], threshold=2)
    signature = sign(pairs[0][1], services.release_payload_bytes(release))
    services.release_sign(
        release=release, organization=pairs[0][0].organization, signature=signature, by=None
    )
    with pytest.raises(services.SecretariatError, match="already signed"):
        services.release_sign(
            release=release, organization=pairs[0][0].organization, signature=signature, by=None
        )
    assert release.signatures.count() == 1


def test_a_non_members_signature_is_refused_with_a_reason_and_nothing_stored() -> None:
    pairs = three_members()
    release = open_release([m for m, _k in pairs])
    outsider = organization("Outsider Academy", "US")
    with pytest.raises(services.SecretariatError, match="not a member of the network"):
        services.release_sign(
            release=release,
            organization=outsider,
            signature=sign(Ed25519PrivateKey.generate(), services.release_payload_bytes(release)),
            by=None,
        )
    assert not ReleaseSignature.objects.filter(release=release).exists()


def test_a_revoked_key_cannot_sign() -> None:
    pairs = three_members()
    release = open_release([m for m, _k in pairs])
    services.member_key_revoke(key=pairs[1][0].keys.get(), by=None, reason="compromised")
    with pytest.raises(services.SecretariatError, match="does not verify"):
        services.release_sign(
            release=release,
            organization=pairs[1][0].organization,
            signature=sign(pairs[1][1], services.release_payload_bytes(release)),
            by=None,
        )


def test_a_signature_over_other_text_is_refused() -> None:
    pairs = three_members()
    release = open_release([m for m, _k in pairs])
    with pytest.raises(services.SecretariatError, match="does not verify"):
        services.release_sign(
            release=release,
            organization=pairs[0][0].organization,
            signature=sign(pairs[0][1], b"other"),
            by=None,
        )


def test_the_text_cannot_change_once_signing_started() -> None:
    release = open_release([m for m, _k in three_members()])
    with pytest.raises(services.SecretariatError, match="can no longer change"):
        services.release_version_add(release=release, text="New text", by=None)


def test_a_hosted_demo_member_is_signed_for_by_the_node_and_a_self_keyed_one_is_not() -> None:
    pairs = three_members()
    release = open_release([m for m, _k in pairs])
    with pytest.raises(services.SecretariatError, match="uploads its signature"):
        services.release_sign_on_behalf(release=release, member=pairs[0][0], by=None)


def test_the_published_demo_release_verifies_offline_with_the_command(tmp_path: Path) -> None:
    release = Release.objects.get(title=PUBLISHED_RELEASE)
    assert release.status == ReleaseStatus.PUBLISHED
    assert all(s.signed_by_node for s in release.signatures.all())
    (tmp_path / "RELEASE.json").write_text(json.dumps(release_document(release)))
    (tmp_path / "REGISTRY.json").write_text(json.dumps(registry_document()))
    args = ["verify", str(tmp_path / "RELEASE.json"), "--registry", str(tmp_path / "REGISTRY.json")]
    assert releases_cli(args) == 0
    assert Release.objects.get(title=AWAITING_RELEASE).status == ReleaseStatus.SIGNING


def test_revoking_a_signers_key_after_publication_shows_in_offline_verification() -> None:
    release = Release.objects.get(title=PUBLISHED_RELEASE)
    signature = release.signatures.select_related("key").first()
    assert signature is not None
    services.member_key_revoke(key=signature.key, by=None, reason="compromised")
    verdict = verify_release(
        parse_release(release_document(release)), parse_registry(registry_document())
    )
    assert not verdict.valid
    assert "revoked key" in verdict.reasons[0]


def test_a_suspended_member_cannot_sign_and_shows_so_in_the_registry() -> None:
    pairs = three_members()
    release = open_release([m for m, _k in pairs])
    with pytest.raises(services.SecretariatError, match="Say why"):
        services.member_set_status(member=pairs[0][0], status="suspended", by=None)
    services.member_set_status(member=pairs[0][0], status="suspended", note="dues", by=None)
    with pytest.raises(services.SecretariatError, match="not an active member"):
        services.release_sign(
            release=release,
            organization=pairs[0][0].organization,
            signature=sign(pairs[0][1], services.release_payload_bytes(release)),
            by=None,
        )
    listed = {m["id"]: m for m in registry_document()["registry"]["members"]}
    assert listed[str(pairs[0][0].pk)]["status"] == "suspended"
