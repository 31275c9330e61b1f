"""What the node itself keeps: its identity and the audit log of security-relevant events."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from edubridge.core.data_classes import DataClass, classified

INTERNAL = DataClass.INTERNAL
PERSONAL = DataClass.PERSONAL
PUBLIC = DataClass.PUBLIC


class NodeIdentity(models.Model):
    """The node's public identity. The private key lives in a file in the data folder, never here."""

    node_id = classified(
        models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        PUBLIC,
        "identifies the node to partner nodes",
    )
    public_key = classified(
        models.CharField(max_length=64),
        PUBLIC,
        "Ed25519 public key (base64url) partners verify signatures with",
    )
    key_fingerprint = classified(
        models.CharField(max_length=64),
        PUBLIC,
        "short SHA-256 of the public key for people to compare",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), PUBLIC, "key history")

    class Meta:
        verbose_name = "node identity"
        verbose_name_plural = "node identity"

    def __str__(self) -> str:
        return f"node {self.node_id} key {self.key_fingerprint[:16]}"


class AuditEvent(models.Model):
    """One security-relevant event: a sign-in, a role change, a key created, an export released."""

    occurred_at = classified(
        models.DateTimeField(auto_now_add=True, db_index=True), INTERNAL, "when the event happened"
    )
    actor = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name="+",
        ),
        PERSONAL,
        "who acted, if anyone signed in",
    )
    actor_label = classified(
        models.CharField(max_length=150, blank=True),
        PERSONAL,
        "who acted, kept if the account is later deleted",
    )
    action = classified(
        models.CharField(max_length=64, db_index=True),
        INTERNAL,
        "what happened, e.g. auth.login or role.granted",
    )
    target = classified(
        models.CharField(max_length=200, blank=True),
        PERSONAL,
        "what the action touched; may name a person",
    )
    ip_address = classified(
        models.GenericIPAddressField(null=True, blank=True),
        PERSONAL,
        "where the request came from, for investigating abuse",
    )
    details = classified(
        models.JSONField(default=dict, blank=True),
        PERSONAL,
        "structured context; never passwords or secrets",
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.actor_label}"
