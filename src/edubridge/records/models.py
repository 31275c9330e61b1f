"""Stored learning records: statements (immutable), their index rows, attachments, documents.

Data classes: statements are about learners, so their content is personal. Whether a statement is
about a minor is known when its actor is a learner of this node (pseudonymous account on the
node's home page); ``about_minor`` records that, and exports treat such rows as minor-sensitive.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from edubridge.core.data_classes import DataClass, classified

INTERNAL = DataClass.INTERNAL
PERSONAL = DataClass.PERSONAL
SECRET = DataClass.SECRET


class XapiCredential(models.Model):
    """HTTP Basic credentials of one xAPI client; only a hash of the secret is stored."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        INTERNAL,
        "credential identity",
    )
    name = classified(models.CharField(max_length=100), INTERNAL, "label of the client")
    key = classified(
        models.CharField(max_length=40, unique=True),
        INTERNAL,
        "Basic user name, public part that finds the credential",
    )
    hashed_secret = classified(
        models.CharField(max_length=128), SECRET, "HMAC of the secret to verify Basic auth"
    )
    scopes = classified(
        models.JSONField(default=list), INTERNAL, "what the client may read and write"
    )
    owner = classified(
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name="xapi_credentials",
        ),
        PERSONAL,
        "who is accountable for the client",
    )
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "history")
    revoked_at = classified(models.DateTimeField(null=True, blank=True), INTERNAL, "revocation")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class Statement(models.Model):
    """One stored statement: the exact JSON returned to clients plus columns for filtering."""

    statement_id = classified(
        models.UUIDField(unique=True), PERSONAL, "statement identity chosen by the client"
    )
    payload = classified(
        models.TextField(), PERSONAL, "the statement as stored, returned to clients"
    )
    verb_id = classified(models.TextField(), PERSONAL, "what the learner did")
    actor_key = classified(
        models.CharField(max_length=512), PERSONAL, "who acted (identifier, never email by default)"
    )
    object_id = classified(models.TextField(), PERSONAL, "activity, agent or statement acted on")
    registration = classified(
        models.UUIDField(null=True, blank=True), PERSONAL, "the attempt or enrolment"
    )
    target_id = classified(
        models.UUIDField(null=True, blank=True),
        PERSONAL,
        "statement referred to (StatementRef object), for voiding and reference filters",
    )
    stored = classified(
        models.DateTimeField(db_index=True), PERSONAL, "when the record store received it"
    )
    voided = classified(models.BooleanField(default=False), INTERNAL, "voided by a later statement")
    credential = classified(
        models.ForeignKey(XapiCredential, on_delete=models.PROTECT, null=True, blank=True),
        INTERNAL,
        "client that sent it (its authority); None for the node itself",
    )
    about_minor = classified(
        models.BooleanField(default=False),
        INTERNAL,
        "actor is a minor learner of this node: the row is minor-sensitive",
    )

    class Meta:
        ordering = ["-id"]
        indexes = [
            # Few statements refer to others: a partial index costs nothing for the rest.
            models.Index(
                fields=["target_id"],
                condition=models.Q(target_id__isnull=False),
                name="records_statement_target",
            )
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class StatementIndex(models.Model):
    """Lookup rows for filters: one per agent, activity, verb and registration a statement
    matches (including through statements it refers to); ``key`` hashes kind and value.

    Rows point at the statement's row number, which grows with every batch, so the statement
    index only ever appends. No database constraint: rows are written only by
    ``records.ingest`` in the same transaction as their statement."""

    statement = classified(
        models.ForeignKey(
            Statement,
            on_delete=models.CASCADE,
            related_name="index_rows",
            db_constraint=False,
        ),
        PERSONAL,
        "statement the row points at",
    )
    key = classified(
        models.CharField(max_length=32), PERSONAL, "hash of agent/activity/verb/registration"
    )
    direct = classified(
        models.BooleanField(),
        INTERNAL,
        "actor/object (True) or related: context, authority, sub-statement (False)",
    )

    class Meta:
        # Covers the filter lookups: key, then statement in page order, then direct.
        indexes = [models.Index(fields=["key", "statement", "direct"], name="records_index_key")]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.key}"


class Attachment(models.Model):
    """Attachment content, stored once per SHA-2 digest and shared by statements."""

    sha2 = classified(
        models.CharField(max_length=128, primary_key=True), INTERNAL, "content digest"
    )
    content_type = classified(models.CharField(max_length=255), INTERNAL, "media type")
    content = classified(models.BinaryField(), PERSONAL, "attachment sent with statements")

    def __str__(self) -> str:
        return self.sha2


class Activity(models.Model):
    """The canonical definition of an activity, as the latest defining statement gave it."""

    key = classified(models.CharField(max_length=32, unique=True), INTERNAL, "hash of the IRI")
    iri = classified(models.TextField(), INTERNAL, "activity IRI")
    definition = classified(
        models.JSONField(default=dict), INTERNAL, "canonical definition (names, descriptions)"
    )
    digest = classified(
        models.CharField(max_length=32, blank=True),
        INTERNAL,
        "hash of the definition last merged, so repeats skip the merge",
    )

    def __str__(self) -> str:
        return self.iri


class DocumentKind(models.TextChoices):
    STATE = "state", "state"
    ACTIVITY_PROFILE = "activity_profile", "activity profile"
    AGENT_PROFILE = "agent_profile", "agent profile"


class Document(models.Model):
    """A state, activity-profile or agent-profile document; ``lookup`` hashes its address."""

    lookup = classified(
        models.CharField(max_length=32, unique=True), INTERNAL, "hash of kind and address"
    )
    kind = classified(
        models.CharField(max_length=20, choices=DocumentKind.choices), INTERNAL, "resource"
    )
    activity_id = classified(models.TextField(blank=True), INTERNAL, "activity addressed")
    agent_key = classified(
        models.CharField(max_length=512, blank=True), PERSONAL, "agent addressed"
    )
    registration = classified(
        models.UUIDField(null=True, blank=True), PERSONAL, "attempt addressed (state only)"
    )
    document_id = classified(models.TextField(), INTERNAL, "stateId or profileId")
    content = classified(models.BinaryField(), PERSONAL, "document body sent by the client")
    content_type = classified(models.CharField(max_length=255), INTERNAL, "media type")
    etag = classified(models.CharField(max_length=64), INTERNAL, "SHA-1 for concurrency checks")
    updated = classified(
        models.DateTimeField(db_index=True), INTERNAL, "last change, for since filters"
    )
    scope_key = classified(
        models.CharField(max_length=32, db_index=True),
        INTERNAL,
        "hash of kind and address without the document id, for listing",
    )

    def __str__(self) -> str:
        return f"{self.kind}: {self.document_id}"
