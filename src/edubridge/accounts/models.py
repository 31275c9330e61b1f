"""Organizations, people and the roles they hold; API keys for machine clients."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from edubridge.accounts.roles import ROLE_CHOICES
from edubridge.core.data_classes import DataClass, classified

PUBLIC = DataClass.PUBLIC
INTERNAL = DataClass.INTERNAL
PERSONAL = DataClass.PERSONAL
SECRET = DataClass.SECRET


class OrganizationType(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    UNIVERSITY = "university", _("University")
    TRAINING_CENTRE = "training_centre", _("Training centre")
    SCHOOL = "school", _("School or school network")
    COMPANY = "company", _("Company")


class Organization(models.Model):
    """A ministry, university, training centre, school or company taking part in the network."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        PUBLIC,
        "stable identifier shared with partner nodes",
    )
    name = classified(
        models.CharField(_("name"), max_length=200, unique=True),
        PUBLIC,
        "shown on resources, credentials and the member registry",
    )
    country = classified(
        models.CharField(
            _("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. ID")
        ),
        PUBLIC,
        "localization target and member registry",
    )
    type = classified(
        models.CharField(_("type"), max_length=20, choices=OrganizationType.choices),
        PUBLIC,
        "what kind of body the organization is",
    )
    website = classified(models.URLField(_("website"), blank=True), PUBLIC, "contact for partners")
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "record keeping")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(country__regex=r"^[A-Z]{2}$"),
                name="organization_country_iso_alpha2",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class User(AbstractUser):
    """A person with an account on this node. Inherited fields are re-declared to classify them."""

    password = classified(
        models.CharField(_("password"), max_length=128),
        SECRET,
        "argon2 hash used to verify sign-in; never exported",
    )
    last_login = classified(
        models.DateTimeField(_("last login"), blank=True, null=True),
        PERSONAL,
        "security monitoring",
    )
    is_superuser = classified(
        models.BooleanField(_("superuser status"), default=False),
        INTERNAL,
        "grants every permission; operators only",
    )
    username = classified(
        models.CharField(
            _("username"),
            max_length=150,
            unique=True,
            validators=[AbstractUser.username_validator],
            error_messages={"unique": _("A user with that username already exists.")},
        ),
        PERSONAL,
        "sign-in name",
    )
    first_name = classified(
        models.CharField(_("first name"), max_length=150, blank=True),
        PERSONAL,
        "how the node addresses the person",
    )
    last_name = classified(
        models.CharField(_("last name"), max_length=150, blank=True),
        PERSONAL,
        "how the node addresses the person",
    )
    email = classified(
        models.EmailField(_("email address"), blank=True),
        PERSONAL,
        "notices and password resets; never put in learning records",
    )
    is_staff = classified(
        models.BooleanField(_("staff status"), default=False),
        INTERNAL,
        "may open the back office; kept in step with roles",
    )
    is_active = classified(
        models.BooleanField(_("active"), default=True), INTERNAL, "whether the account may sign in"
    )
    date_joined = classified(
        models.DateTimeField(_("date joined"), auto_now_add=True), PERSONAL, "account history"
    )
    pseudonym = classified(
        models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        PERSONAL,
        "pseudonymous account id used in learning records instead of email",
    )
    organization = classified(
        models.ForeignKey(
            Organization,
            on_delete=models.PROTECT,
            null=True,
            blank=True,
            related_name="members",
            verbose_name=_("organization"),
        ),
        PERSONAL,
        "which organization the person acts for",
    )
    preferred_language = classified(
        models.CharField(_("preferred language"), max_length=10, blank=True),
        PERSONAL,
        "language of pages and messages",
    )
    groups = classified(
        models.ManyToManyField(
            "auth.Group",
            verbose_name=_("groups"),
            blank=True,
            related_name="user_set",
            related_query_name="user",
        ),
        INTERNAL,
        "Django permission groups; roles are kept in RoleAssignment",
    )  # type: ignore[assignment]
    user_permissions = classified(
        models.ManyToManyField(
            "auth.Permission",
            verbose_name=_("user permissions"),
            blank=True,
            related_name="user_set",
            related_query_name="user",
        ),
        INTERNAL,
        "individual back-office permissions",
    )  # type: ignore[assignment]
    is_minor = classified(
        models.BooleanField(_("is a minor"), default=False),
        PERSONAL,
        "minors' data gets minor-sensitive protection in exports",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class RoleAssignment(models.Model):
    """One role held by one person; a person may hold several."""

    user = classified(
        models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments"),
        PERSONAL,
        "who holds the role",
    )
    role = classified(
        models.CharField(max_length=32, choices=ROLE_CHOICES),
        PERSONAL,
        "what the person may do on the node",
    )
    granted_by = classified(
        models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"),
        PERSONAL,
        "accountability for role changes",
    )
    granted_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "role history")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_assignment_per_role")
        ]
        ordering = ["user_id", "role"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.role}"


class ApiKey(models.Model):
    """A key an integrator's machine client sends as ``X-API-Key``; only its hash is stored."""

    id = classified(
        models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False),
        INTERNAL,
        "key identity",
    )
    owner = classified(
        models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys"),
        PERSONAL,
        "who is accountable for the key",
    )
    name = classified(models.CharField(max_length=100), INTERNAL, "label chosen by the owner")
    prefix = classified(
        models.CharField(max_length=12, unique=True, db_index=True),
        INTERNAL,
        "public part used to find the key",
    )
    hashed_secret = classified(models.CharField(max_length=128), SECRET, "hash to verify the key")
    created_at = classified(models.DateTimeField(auto_now_add=True), INTERNAL, "key history")
    last_used_at = classified(
        models.DateTimeField(null=True, blank=True), INTERNAL, "spot unused keys"
    )
    revoked_at = classified(models.DateTimeField(null=True, blank=True), INTERNAL, "revocation")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
