"""Export policies: versioned YAML data files, deny by default, evaluated to a reasoned decision.

A policy belongs to one jurisdiction and lists rules. For every data class in an export, the
evaluator applies, in file order:

1. ``deny`` rules that match class, destination and purpose refuse, unless the export offers one of
   the rule's ``unless_any_of`` protections;
2. the first matching ``allow`` rule whose ``protections_any_of`` the export meets decides;
3. a matching allow rule whose protections are not met refuses, naming what it requires;
4. nothing matches: refused by default.

The export is allowed only when every data class is; the decision names the rule that decided or
refused and the protections, approval and conditions required. Destinations are ISO 3166 codes,
``*``, ``@home`` (the policy's own territory), ``@abroad`` (anything else) or a named group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .errors import PolicyFileError, PrivacyInputError
from .policy_schema import APPROVALS, DATA_CLASSES, POLICY_SCHEMA

_VALIDATOR = jsonschema.Draft202012Validator(POLICY_SCHEMA)


@dataclass(frozen=True)
class Protections:
    """What an export actually applies (epsilon is the total DP budget spent on the release)."""

    pseudonymized: bool = False
    k: int | None = None
    l: int | None = None  # noqa: E741 - the letter is the name of the model
    epsilon: float | None = None

    def describe(self) -> str:
        parts = []
        if self.pseudonymized:
            parts.append("pseudonymized")
        if self.k is not None:
            parts.append(f"k-anonymous k={self.k}" + (f", l={self.l}" if self.l else ""))
        if self.epsilon is not None:
            parts.append(f"differentially private epsilon={self.epsilon:g}")
        return "; ".join(parts) or "no protection"


@dataclass(frozen=True)
class Rule:
    id: str
    effect: str
    description: str
    cites: str
    data_classes: tuple[str, ...]
    destinations: tuple[str, ...]
    purposes: tuple[str, ...]
    protections_any_of: tuple[Mapping[str, Any], ...] = ()
    unless_any_of: tuple[Mapping[str, Any], ...] = ()
    approval: str = "none"
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Policy:
    id: str
    version: str
    title: str
    jurisdiction: str
    home: frozenset[str]
    example: bool
    disclaimer: str
    groups: Mapping[str, frozenset[str]]
    rules: tuple[Rule, ...]
    source: str = ""

    def names_destination(self, destination: str) -> bool:
        return any(
            _destination_matches(self, d, destination) for r in self.rules for d in r.destinations
        )


@dataclass(frozen=True)
class ExportRequest:
    """One proposed export: where from, where to, why, which fields (name -> data class), how."""

    jurisdiction: str
    destination: str
    purpose: str
    fields: Mapping[str, str]
    protections: Protections = field(default_factory=Protections)


@dataclass(frozen=True)
class ClassDecision:
    data_class: str
    fields: tuple[str, ...]
    allowed: bool
    rule: str  # "<policy>@<version>#<rule>" or "<policy>@<version>#default-deny"
    cites: str
    reason: str
    required_protections: tuple[Mapping[str, Any], ...] = ()
    approval: str = "none"
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    allowed: bool
    policy: str | None
    policy_version: str | None
    rule: str
    reason: str
    approval: str
    required_protections: tuple[Mapping[str, Any], ...]
    conditions: tuple[str, ...]
    by_class: tuple[ClassDecision, ...]
    disclaimer: str = ""


# -- loading -------------------------------------------------------------------------------
def parse_policy(text: str, source: str = "policy") -> Policy:
    """Parse and validate policy YAML; :class:`PolicyFileError` says where and what is wrong."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PolicyFileError(f"{source}: not valid YAML: {exc}".splitlines()[0]) from exc
    # Deepest error first: it names the field that is wrong, not the rule that contains it.
    errors = sorted(
        _VALIDATOR.iter_errors(data),
        key=lambda e: (-len(e.absolute_path), [str(p) for p in e.absolute_path]),
    )
    if errors:
        first = errors[0]
        where = _json_path(first.absolute_path)
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise PolicyFileError(f"{source}: {where}: {first.message}{more}")
    return _build(data, source)


def load_policy(path: Path) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyFileError(f"cannot read policy {path}: {exc}") from exc
    return parse_policy(text, source=str(path))


def example_policies() -> tuple[Policy, ...]:
    """The shipped example policies (EU GDPR, China PIPL, US FERPA): examples, not legal advice."""
    folder = resources.files("edubridge.engines.privacy") / "policies"
    return tuple(
        parse_policy(item.read_text(encoding="utf-8"), source=f"policies/{item.name}")
        for item in sorted(folder.iterdir(), key=lambda i: i.name)
        if item.name.endswith(".yaml")
    )


def _json_path(parts: Iterable[str | int]) -> str:
    out = "policy"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _build(data: Mapping[str, Any], source: str) -> Policy:
    groups = {name: frozenset(codes) for name, codes in data.get("destination_groups", {}).items()}
    rules: list[Rule] = []
    seen: set[str] = set()
    for number, raw in enumerate(data["rules"]):
        if raw["id"] in seen:
            raise PolicyFileError(f"{source}: policy.rules[{number}].id: {raw['id']!r} repeats")
        seen.add(raw["id"])
        for destination in raw["destinations"]:
            name = destination[1:]
            if (
                destination.startswith("@")
                and name not in groups
                and name not in {"home", "abroad"}
            ):
                raise PolicyFileError(
                    f"{source}: policy.rules[{number}].destinations: unknown group {destination!r}"
                )
        rules.append(
            Rule(
                id=raw["id"],
                effect=raw["effect"],
                description=raw["description"],
                cites=raw["cites"],
                data_classes=tuple(raw["data_classes"]),
                destinations=tuple(raw["destinations"]),
                purposes=tuple(raw["purposes"]),
                protections_any_of=tuple(raw.get("protections_any_of", [])),
                unless_any_of=tuple(raw.get("unless_any_of", [])),
                approval=raw.get("approval", "none"),
                conditions=tuple(raw.get("conditions", [])),
            )
        )
    return Policy(
        id=data["id"],
        version=str(data["version"]),
        title=data["title"],
        jurisdiction=data["jurisdiction"],
        home=frozenset(data["home"]),
        example=bool(data["example"]),
        disclaimer=data["disclaimer"],
        groups=groups,
        rules=tuple(rules),
        source=data.get("source", ""),
    )


# -- evaluation ----------------------------------------------------------------------------
def _destination_matches(policy: Policy, pattern: str, destination: str) -> bool:
    if pattern == "*":
        return True
    if pattern == "@home":
        return destination in policy.home
    if pattern == "@abroad":
        return destination not in policy.home
    if pattern.startswith("@"):
        return destination in policy.groups.get(pattern[1:], frozenset())
    return pattern == destination


def _matches(policy: Policy, rule: Rule, data_class: str, destination: str, purpose: str) -> bool:
    return (
        data_class in rule.data_classes
        and any(_destination_matches(policy, d, destination) for d in rule.destinations)
        and ("*" in rule.purposes or purpose in rule.purposes)
    )


def protection_met(requirement: Mapping[str, Any], offered: Protections) -> bool:
    """Does the export meet every part of one protection alternative?"""
    if requirement.get("pseudonymized") and not offered.pseudonymized:
        return False
    kanon = requirement.get("k_anonymity")
    if kanon is not None:
        if offered.k is None or offered.k < kanon["k"]:
            return False
        if "l" in kanon and (offered.l is None or offered.l < kanon["l"]):
            return False
    privacy = requirement.get("differential_privacy")
    return privacy is None or (
        offered.epsilon is not None and offered.epsilon <= privacy["max_epsilon"]
    )


def describe_requirement(requirement: Mapping[str, Any]) -> str:
    parts = []
    if requirement.get("pseudonymized"):
        parts.append("pseudonymized")
    kanon = requirement.get("k_anonymity")
    if kanon is not None:
        parts.append(
            f"k-anonymous with k>={kanon['k']}" + (f", l>={kanon['l']}" if "l" in kanon else "")
        )
    privacy = requirement.get("differential_privacy")
    if privacy is not None:
        parts.append(f"differentially private with epsilon<={privacy['max_epsilon']:g}")
    return " and ".join(parts)


def _ref(policy: Policy, rule_id: str) -> str:
    return f"{policy.id}@{policy.version}#{rule_id}"


def _decide_class(
    policy: Policy, request: ExportRequest, data_class: str, fields: tuple[str, ...]
) -> ClassDecision:
    where = f"{request.jurisdiction} -> {request.destination} for {request.purpose!r}"
    offered = request.protections
    for rule in policy.rules:
        if rule.effect != "deny" or not _matches(
            policy, rule, data_class, request.destination, request.purpose
        ):
            continue
        if any(protection_met(alt, offered) for alt in rule.unless_any_of):
            continue
        exception = ""
        if rule.unless_any_of:
            options = "; or ".join(describe_requirement(a) for a in rule.unless_any_of)
            exception = f" unless {options} (offered: {offered.describe()})"
        return ClassDecision(
            data_class=data_class,
            fields=fields,
            allowed=False,
            rule=_ref(policy, rule.id),
            cites=rule.cites,
            reason=f"rule {rule.id!r} refuses {data_class} data {where}{exception}: "
            f"{rule.description}",
        )
    unmet: Rule | None = None
    for rule in policy.rules:
        if rule.effect != "allow" or not _matches(
            policy, rule, data_class, request.destination, request.purpose
        ):
            continue
        met = [a for a in rule.protections_any_of if protection_met(a, offered)]
        if rule.protections_any_of and not met:
            unmet = unmet or rule
            continue
        return ClassDecision(
            data_class=data_class,
            fields=fields,
            allowed=True,
            rule=_ref(policy, rule.id),
            cites=rule.cites,
            reason=f"rule {rule.id!r} allows {data_class} data {where}"
            + (f" because it is {describe_requirement(met[0])}" if met else ""),
            required_protections=tuple(met[:1]),
            approval=rule.approval,
            conditions=rule.conditions,
        )
    if unmet is not None:
        options = "; or ".join(describe_requirement(a) for a in unmet.protections_any_of)
        return ClassDecision(
            data_class=data_class,
            fields=fields,
            allowed=False,
            rule=_ref(policy, unmet.id),
            cites=unmet.cites,
            reason=f"rule {unmet.id!r} allows {data_class} data {where} only when {options}; "
            f"the export is {offered.describe()}",
            required_protections=unmet.protections_any_of,
            approval=unmet.approval,
            conditions=unmet.conditions,
        )
    if not policy.names_destination(request.destination):
        reason = (
            f"no rule of {policy.id}@{policy.version} names destination "
            f"{request.destination!r}; exports are denied by default"
        )
    else:
        reason = f"no rule allows {data_class} data {where}; denied by default"
    return ClassDecision(
        data_class=data_class,
        fields=fields,
        allowed=False,
        rule=_ref(policy, "default-deny"),
        cites="deny by default",
        reason=reason,
    )


class PolicySet:
    """The policies a node enforces, one per jurisdiction."""

    def __init__(self, policies: Sequence[Policy]) -> None:
        self.by_jurisdiction: dict[str, Policy] = {}
        for policy in policies:
            if policy.jurisdiction in self.by_jurisdiction:
                other = self.by_jurisdiction[policy.jurisdiction]
                raise PolicyFileError(
                    f"two policies for jurisdiction {policy.jurisdiction}: {other.id} and "
                    f"{policy.id}"
                )
            self.by_jurisdiction[policy.jurisdiction] = policy

    def evaluate(self, request: ExportRequest) -> Decision:
        """Allow or deny ``request``; a denial names the rule that refused."""
        unknown = sorted({c for c in request.fields.values() if c not in DATA_CLASSES})
        if unknown:
            raise PrivacyInputError(
                f"unknown data class {unknown[0]!r}; known: {', '.join(DATA_CLASSES)}"
            )
        if not request.fields:
            raise PrivacyInputError("an export must name at least one field")
        policy = self.by_jurisdiction.get(request.jurisdiction)
        if policy is None:
            return Decision(
                allowed=False,
                policy=None,
                policy_version=None,
                rule="no-policy#default-deny",
                reason=f"no policy for jurisdiction {request.jurisdiction!r}; exports are "
                "denied by default",
                approval="none",
                required_protections=(),
                conditions=(),
                by_class=(),
            )
        classes = sorted(set(request.fields.values()), key=DATA_CLASSES.index, reverse=True)
        by_class = tuple(
            _decide_class(
                policy,
                request,
                c,
                tuple(sorted(f for f, fc in request.fields.items() if fc == c)),
            )
            for c in classes
        )
        refused = [d for d in by_class if not d.allowed]
        if refused:
            first = refused[0]
            return Decision(
                allowed=False,
                policy=policy.id,
                policy_version=policy.version,
                rule=first.rule,
                reason=f"{first.reason} (fields: {', '.join(first.fields)})",
                approval="none",
                required_protections=first.required_protections,
                conditions=first.conditions,
                by_class=by_class,
                disclaimer=policy.disclaimer,
            )
        approval = max((d.approval for d in by_class), key=APPROVALS.index)
        protections: list[Mapping[str, Any]] = []
        conditions: list[str] = []
        for d in by_class:
            protections.extend(p for p in d.required_protections if p not in protections)
            conditions.extend(c for c in d.conditions if c not in conditions)
        return Decision(
            allowed=True,
            policy=policy.id,
            policy_version=policy.version,
            rule=by_class[0].rule,
            reason="; ".join(d.reason for d in by_class),
            approval=approval,
            required_protections=tuple(protections),
            conditions=tuple(conditions),
            by_class=by_class,
            disclaimer=policy.disclaimer,
        )
