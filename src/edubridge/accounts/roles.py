"""The roles people hold on a node, and what each role may do there today."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(enum.StrEnum):
    PUBLISHER = "publisher"
    LOCALIZER = "localizer"
    LEARNER = "learner"
    TEACHER = "teacher"
    DATA_STEWARD = "data_steward"
    TRAINING_COORDINATOR = "training_coordinator"
    EXCHANGE_COORDINATOR = "exchange_coordinator"
    SECRETARIAT = "secretariat"
    INTEGRATOR = "integrator"
    NODE_ADMIN = "node_admin"


ROLE_LABELS: dict[Role, Promise] = {
    Role.PUBLISHER: _("Publisher"),
    Role.LOCALIZER: _("Localizer"),
    Role.LEARNER: _("Learner"),
    Role.TEACHER: _("Teacher"),
    Role.DATA_STEWARD: _("Data steward"),
    Role.TRAINING_COORDINATOR: _("Training coordinator"),
    Role.EXCHANGE_COORDINATOR: _("Exchange coordinator"),
    Role.SECRETARIAT: _("Secretariat"),
    Role.INTEGRATOR: _("Integrator"),
    Role.NODE_ADMIN: _("Node administrator"),
}

ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]

# Roles whose holders may open the Django admin (the secretariat's and the operator's back office).
ADMIN_ROLES = frozenset({Role.NODE_ADMIN, Role.SECRETARIAT})


class Permission(enum.StrEnum):
    """Capabilities checked in code; each role grants a fixed set (see ROLE_PERMISSIONS)."""

    VIEW_NODE = "view_node"
    MANAGE_USERS = "manage_users"
    MANAGE_ROLES = "manage_roles"
    MANAGE_API_KEYS = "manage_api_keys"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_DATA_CLASSES = "view_data_classes"
    USE_ADMIN = "use_admin"
    PUBLISH_RESOURCES = "publish_resources"
    LOCALIZE_RESOURCES = "localize_resources"
    PRACTISE = "practise"
    VIEW_CLASS_MASTERY = "view_class_mastery"
    APPROVE_EXPORTS = "approve_exports"
    RUN_TRAINING = "run_training"
    RUN_EXCHANGE = "run_exchange"
    RUN_SECRETARIAT = "run_secretariat"
    USE_API = "use_api"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PUBLISHER: frozenset({Permission.PUBLISH_RESOURCES, Permission.USE_API}),
    Role.LOCALIZER: frozenset({Permission.LOCALIZE_RESOURCES}),
    Role.LEARNER: frozenset({Permission.PRACTISE}),
    Role.TEACHER: frozenset({Permission.VIEW_CLASS_MASTERY}),
    Role.DATA_STEWARD: frozenset(
        {Permission.VIEW_DATA_CLASSES, Permission.APPROVE_EXPORTS, Permission.VIEW_AUDIT_LOG}
    ),
    Role.TRAINING_COORDINATOR: frozenset({Permission.RUN_TRAINING}),
    Role.EXCHANGE_COORDINATOR: frozenset({Permission.RUN_EXCHANGE}),
    Role.SECRETARIAT: frozenset({Permission.RUN_SECRETARIAT, Permission.USE_ADMIN}),
    Role.INTEGRATOR: frozenset({Permission.USE_API, Permission.MANAGE_API_KEYS}),
    Role.NODE_ADMIN: frozenset(
        {
            Permission.MANAGE_USERS,
            Permission.MANAGE_ROLES,
            Permission.MANAGE_API_KEYS,
            Permission.VIEW_AUDIT_LOG,
            Permission.VIEW_DATA_CLASSES,
            Permission.USE_ADMIN,
            Permission.USE_API,
        }
    ),
}


@dataclass(frozen=True)
class Capability:
    """One thing a role can do on this node today, shown on that role's home page."""

    title: Promise
    description: Promise
    url_name: str | None = None


ROLE_CAPABILITIES: dict[Role, tuple[Capability, ...]] = {
    Role.PUBLISHER: (
        Capability(
            _("Import an item bank"),
            _("QTI 3 packages or items, or EduBridge JSON; nothing half-imported."),
            "catalogue:bank-import",
        ),
        Capability(
            _("Describe, align and publish your banks"),
            _("Metadata, licence, curriculum alignment with suggestions, publishing."),
            "catalogue:banks",
        ),
        Capability(
            _("Curriculum frameworks"),
            _("Import CASE frameworks and browse them with their crosswalks."),
            "catalogue:frameworks",
        ),
        Capability(
            _("Describe your organization"),
            _("See the organization you publish for and its country."),
            "profile",
        ),
        Capability(
            _("Connect tools through the API"),
            _("Read the OpenAPI documentation of this node."),
            "api-docs",
        ),
    ),
    Role.LOCALIZER: (
        Capability(
            _("Localize a resource"),
            _("Draft for a target locale and grade, review every change, publish a derivative."),
            "localization:jobs",
        ),
        Capability(
            _("Locale packs"),
            _("Names, prices, forbidden goods, festivals and calendars per country."),
            "localization:packs",
        ),
        Capability(
            _("Find resources to adapt"),
            _("Search the catalogue in any language."),
            "catalogue:search",
        ),
        Capability(
            _("Compare curricula across countries"),
            _("Frameworks side by side through their crosswalks."),
            "catalogue:frameworks",
        ),
        Capability(
            _("Know your target"),
            _("See your country and language settings used for drafts."),
            "profile",
        ),
        Capability(
            _("Check the node's languages"),
            _("See which languages and partners this node serves."),
            "node-descriptor",
        ),
    ),
    Role.LEARNER: (
        Capability(
            _("Practise"),
            _("One item at a time, with feedback and why each item was chosen."),
            "adaptive:practice",
        ),
        Capability(
            _("Apply for an exchange"),
            _("Rank exchange places and read why you were matched."),
            "exchange:programmes",
        ),
        Capability(
            _("Choose your language"),
            _("Use the language switcher; Arabic pages read right to left."),
            "profile",
        ),
    ),
    Role.TEACHER: (
        Capability(
            _("Class mastery"),
            _("Mastery by skill for each class, who is struggling, each learner's timeline."),
            "adaptive:classes",
        ),
        Capability(
            _("Your training"),
            _("Your programme, sessions, progress per competency and credentials."),
            "training:mine",
        ),
        Capability(
            _("Verify a credential"),
            _("Check who issued a credential, to whom, and whether it still holds."),
            "training:verify",
        ),
        Capability(
            _("See your school"), _("See the organization your classes belong to."), "profile"
        ),
    ),
    Role.DATA_STEWARD: (
        Capability(
            _("Export policies"),
            _("Every policy rule with its citation; check a transfer."),
            "governance:policies",
        ),
        Capability(
            _("Build and approve exports"),
            _("Policy-checked exports with pseudonyms, k-anonymity or differential privacy."),
            "governance:exports",
        ),
        Capability(
            _("Privacy budgets"),
            _("What each dataset's differential-privacy budget has spent."),
            "governance:budgets",
        ),
        Capability(
            _("Model cards and bias audits"),
            _("How each AI model performs, overall and by group."),
            "governance:model-cards",
        ),
        Capability(
            _("Review data classes"),
            _("See every stored field with its data class and purpose."),
            "data-classes",
        ),
        Capability(
            _("Read the audit log"),
            _("Follow sign-ins, role changes and key creation."),
            "audit-log",
        ),
    ),
    Role.TRAINING_COORDINATOR: (
        Capability(
            _("Run teacher training"),
            _("Programmes, cohorts, sessions, attendance, assessment and credentials."),
            "training:home",
        ),
        Capability(
            _("Follow the cascade"),
            _("Who trained whom, and whether quality holds generation by generation."),
            "training:cascade",
        ),
        Capability(
            _("See your training centre"),
            _("See the organization that runs your programmes."),
            "profile",
        ),
    ),
    Role.EXCHANGE_COORDINATOR: (
        Capability(
            _("Run exchange programmes"),
            _("Places, applications, host scores, the match and progress toward targets."),
            "exchange:programmes",
        ),
        Capability(
            _("See your programme office"),
            _("See the organization that runs your exchange."),
            "profile",
        ),
    ),
    Role.SECRETARIAT: (
        Capability(
            _("Run the secretariat"),
            _("Members by country, meetings, overdue actions, releases awaiting signatures."),
            "secretariat:dashboard",
        ),
        Capability(
            _("Keep the member registry"),
            _("Applications, members, signing keys, the signed registry."),
            "secretariat:members",
        ),
        Capability(
            _("Meetings and decisions"),
            _("Agendas, attendance, minutes, decisions with votes, action items."),
            "secretariat:meetings",
        ),
        Capability(
            _("Joint releases"),
            _("Drafts with versions, signatures by members, publication at the threshold."),
            "secretariat:releases",
        ),
        Capability(
            _("Support desk"),
            _("Tickets from partners, response-time targets, knowledge base."),
            "secretariat:tickets",
        ),
        Capability(
            _("Check this node's identity"),
            _("See the public descriptor partners fetch."),
            "node-descriptor",
        ),
    ),
    Role.INTEGRATOR: (
        Capability(
            _("xAPI credentials"),
            _("HTTP Basic credentials with scopes for tools that send learning records."),
            "records:credentials",
        ),
        Capability(
            _("Read the API documentation"),
            _("Every endpoint, described with OpenAPI."),
            "api-docs",
        ),
        Capability(
            _("Manage API keys"), _("Create and revoke keys for machine clients."), "api-keys"
        ),
    ),
    Role.NODE_ADMIN: (
        Capability(
            _("Export policies"),
            _("Every policy rule with its citation; check a transfer."),
            "governance:policies",
        ),
        Capability(
            _("Administer the node"),
            _("Users, roles and organizations in the back office."),
            "admin:index",
        ),
        Capability(
            _("Read the audit log"),
            _("Follow sign-ins, role changes and key creation."),
            "audit-log",
        ),
        Capability(
            _("Review data classes"),
            _("See every stored field with its data class and purpose."),
            "data-classes",
        ),
        Capability(
            _("Manage API keys"), _("Create and revoke keys for machine clients."), "api-keys"
        ),
    ),
}
