"""The policies this node enforces: the engine's examples plus YAML files in the data folder.

A file in the node's policy folder (``GOVERNANCE_POLICY_DIR``, default ``<data dir>/policies``)
replaces the example of the same jurisdiction, so an operator adopts a reviewed policy by dropping
it there. A file that does not validate is listed with its error and enforces nothing: exports
under its jurisdiction fall back to the example, or are denied by default when there is none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from edubridge.engines.privacy.errors import PolicyFileError
from edubridge.engines.privacy.policy import Policy, PolicySet, example_policies, load_policy


@dataclass(frozen=True)
class LoadedPolicies:
    policies: tuple[Policy, ...]
    problems: tuple[str, ...]
    folder: Path

    def policy_set(self) -> PolicySet:
        return PolicySet(self.policies)

    def jurisdictions(self) -> list[str]:
        return sorted(p.jurisdiction for p in self.policies)

    def get(self, policy_id: str) -> Policy | None:
        return next((p for p in self.policies if p.id == policy_id), None)


def policy_folder() -> Path:
    configured = getattr(settings, "GOVERNANCE_POLICY_DIR", None)
    return Path(str(configured)) if configured else Path(str(settings.DATA_DIR)) / "policies"


def load_policies() -> LoadedPolicies:
    """Examples first, then the node's own files, which win per jurisdiction."""
    by_jurisdiction = {p.jurisdiction: p for p in example_policies()}
    problems: list[str] = []
    folder = policy_folder()
    local: dict[str, Policy] = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            try:
                policy = load_policy(path)
            except PolicyFileError as exc:
                problems.append(str(exc))
                continue
            if policy.jurisdiction in local:
                problems.append(
                    f"{path}: a second policy for {policy.jurisdiction} "
                    f"({local[policy.jurisdiction].id} is already loaded); ignored"
                )
                continue
            local[policy.jurisdiction] = policy
    by_jurisdiction.update(local)
    ordered = tuple(by_jurisdiction[j] for j in sorted(by_jurisdiction))
    return LoadedPolicies(policies=ordered, problems=tuple(problems), folder=folder)
