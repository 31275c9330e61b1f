"""Writing validated statements: rows, index rows, references, voiding, activity definitions.

This is the ingestion hot path, so it speaks SQL through the connection (executemany with values
adapted once per batch) instead of building ORM instances; it runs inside the transaction that
``services.statements_store`` opens, so a failed batch leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import gc
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from edubridge.engines.xapi.agents import agent_key, agent_keys, short_hash
from edubridge.engines.xapi.normalize import activities_of, agents_of
from edubridge.engines.xapi.syntax import VOIDED_VERB
from edubridge.records import jsoncodec
from edubridge.records.models import Activity, Attachment, Statement, StatementIndex

STATEMENT_COLUMNS = (
    "statement_id",
    "payload",
    "verb_id",
    "actor_key",
    "object_id",
    "registration",
    "target_id",
    "stored",
    "voided",
    "credential_id",
    "about_minor",
)


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (not reference counting) for one batch.

    Restores the previous state; overlapping uses from several threads end with it enabled."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class DuplicateError(Exception):
    """Another transaction stored one of these statement ids first."""


_HASHES: dict[str, str] = {}
_HASH_CACHE_LIMIT = 200_000


def cached_hash(raw: str) -> str:
    """``short_hash`` remembered for the strings that repeat across statements (verbs,
    activities, learners, authorities); bounded, so memory stays flat on long runs."""
    hashed = _HASHES.get(raw)
    if hashed is None:
        if len(_HASHES) >= _HASH_CACHE_LIMIT:
            _HASHES.clear()
        hashed = _HASHES[raw] = short_hash(raw)
    return hashed


# Context properties naming agents; a statement without them (and with an Activity object) takes
# the short path of ``index_keys``.
_CONTEXT_AGENTS = frozenset({"instructor", "team", "contextAgents", "contextGroups"})


def index_keys(statement: Mapping[str, Any]) -> dict[str, bool]:
    """Hash keys of everything filters can match, with whether the match is direct."""
    obj = statement["object"]
    context = statement.get("context")
    if obj.get("objectType", "Activity") == "Activity" and (
        context is None or (type(context) is dict and context.keys().isdisjoint(_CONTEXT_AGENTS))
    ):
        keys = _activity_statement_keys(statement, obj, context)
        if keys is not None:
            return keys
    return _index_keys(statement)


def _activity_statement_keys(
    statement: Mapping[str, Any], obj: Mapping[str, Any], context: Mapping[str, Any] | None
) -> dict[str, bool] | None:
    """``_index_keys`` for the common shape: an identified actor (and authority) doing
    something to an Activity, with context activities; None when the shape is otherwise."""
    actor_key = agent_key(statement["actor"])
    if actor_key is None:
        return None
    authority = statement.get("authority")
    authority_key = None
    if authority is not None:
        authority_key = agent_key(authority)
        if authority_key is None:
            return None
    hashes = _HASHES
    keys: dict[str, bool] = {}
    raw = "a:" + actor_key
    keys[hashes.get(raw) or cached_hash(raw)] = True
    raw = "c:" + str(obj["id"])
    keys[hashes.get(raw) or cached_hash(raw)] = True
    raw = "v:" + str(statement["verb"]["id"])
    keys[hashes.get(raw) or cached_hash(raw)] = True
    related: list[str] = []
    if authority_key is not None:
        related.append("a:" + authority_key)
    if context is not None:
        registration = context.get("registration")
        if registration:
            raw = "r:" + str(registration).lower()
            keys[hashes.get(raw) or cached_hash(raw)] = True
        activities = context.get("contextActivities")
        if activities:
            for value in activities.values():
                for activity in value if type(value) is list else [value]:
                    related.append("c:" + str(activity["id"]))
    for raw in related:
        hashed = hashes.get(raw) or cached_hash(raw)
        if hashed not in keys:
            keys[hashed] = False
    return keys


def _index_keys(statement: Mapping[str, Any]) -> dict[str, bool]:
    """``index_keys`` for any statement shape."""
    found: list[tuple[str, bool]] = []
    for agent, direct in agents_of(statement):
        key = agent_key(agent)
        if key is not None:
            found.append(("a:" + key, direct))
        elif agent.get("objectType") == "Group":  # anonymous Group: its members
            found.extend(("a:" + k, direct) for k in agent_keys(agent))
    for activity, direct in activities_of(statement):
        found.append(("c:" + str(activity["id"]), direct))
    found.append(("v:" + str(statement["verb"]["id"]), True))
    registration = (statement.get("context") or {}).get("registration")
    if registration:
        found.append(("r:" + str(registration).lower(), True))
    keys: dict[str, bool] = {}
    hashes = _HASHES
    for raw, direct in found:
        hashed = hashes.get(raw) or cached_hash(raw)
        if direct:
            keys[hashed] = True
        elif hashed not in keys:
            keys[hashed] = False
    return keys


#: Up to this many index rows go in one multi-row INSERT on PostgreSQL (one round trip).
SMALL_INSERT = 64


class Writer:
    """SQL for one database connection, with values adapted the way Django would."""

    def __init__(self) -> None:
        self.connection: BaseDatabaseWrapper = connections[Statement.objects.db]
        self.native_uuid = bool(self.connection.features.has_native_uuid_field)
        self.q = self.connection.ops.quote_name

    def uuid(self, value: uuid.UUID | str | None) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            value = uuid.UUID(value)
        return value if self.native_uuid else value.hex

    def table(self, model: type[Any]) -> str:
        return str(self.q(model._meta.db_table))

    def select_in(
        self, sql: str, values: list[Any], params_before: Iterable[Any] = ()
    ) -> list[tuple[Any, ...]]:
        """Run ``sql`` with ``{in}`` replaced by placeholders for ``values`` (chunked)."""
        out: list[tuple[Any, ...]] = []
        with self.connection.cursor() as cursor:
            for start in range(0, len(values), 900):
                chunk = values[start : start + 900]
                cursor.execute(
                    sql.format(**{"in": ", ".join(["%s"] * len(chunk))}),
                    [*params_before, *chunk],
                )
                out.extend(cursor.fetchall())
        return out

    def valid_uuid(self, text: str) -> Any:
        """A UUID string the validator already accepted (8-4-4-4-12 hex), adapted cheaply."""
        if self.native_uuid:
            return uuid.UUID(text)
        return text.replace("-", "").lower()

    def to_uuid_str(self, value: Any) -> str:
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))

    # -- reads used while storing -------------------------------------------------------------
    def stored_payloads(self, ids: list[str]) -> dict[str, str]:
        rows = self.select_in(
            f"SELECT statement_id, payload FROM {self.table(Statement)} "  # noqa: S608
            "WHERE statement_id IN ({in})",
            [self.valid_uuid(i) for i in ids],
        )
        return {self.to_uuid_str(sid): payload for sid, payload in rows}

    def pks(self, ids: list[str]) -> dict[str, int]:
        """Row numbers of stored statements by statement id."""
        rows = self.select_in(
            f"SELECT statement_id, id FROM {self.table(Statement)} "  # noqa: S608
            "WHERE statement_id IN ({in})",
            [self.uuid(i) for i in ids],
        )
        return {self.to_uuid_str(sid): int(pk) for sid, pk in rows}

    def minor_pseudonyms(self, pseudonyms: list[str]) -> set[str]:
        """Which of these pseudonyms (UUID strings) belong to users marked as minors."""
        if not pseudonyms:
            return set()
        user = get_user_model()
        meta = user._meta
        pseudonym = self.q(str(meta.get_field("pseudonym").column))
        is_minor = self.q(str(meta.get_field("is_minor").column))
        rows = self.select_in(
            f"SELECT {pseudonym} FROM {self.table(user)} "  # noqa: S608
            f"WHERE {is_minor} = %s AND {pseudonym} IN ({{in}})",
            [self.valid_uuid(p) for p in pseudonyms],
            params_before=[True],
        )
        return {self.to_uuid_str(p) for (p,) in rows}

    # -- writes ---------------------------------------------------------------------------------
    def insert(
        self,
        statements: list[dict[str, Any]],
        *,
        payloads: list[str],
        stored: datetime,
        credential_id: Any,
        minors: set[str],
        home: str,
        new_ids: bool = False,
    ) -> None:
        """Insert statements (with their JSON ``payloads``, in order) and their index rows.

        ``new_ids``: the ids were generated just now, so no stored statement refers to them
        and the look-up of referrers is left out (unless the batch voids something)."""
        keys_by_id = {s["id"]: index_keys(s) for s in statements}
        targets = {
            s["id"]: s["object"]["id"].lower()
            for s in statements
            if s["object"].get("objectType") == "StatementRef"
        }
        self._inherit_target_keys(keys_by_id, targets)
        stored_value = self.connection.ops.adapt_datetimefield_value(stored)
        credential = self.uuid(credential_id)
        valid_uuid = self.valid_uuid
        rows = []
        for s, payload in zip(statements, payloads, strict=True):
            obj = s["object"]
            kind = obj.get("objectType", "Activity")
            if kind in ("Agent", "Group"):
                object_id = agent_key(obj) or ""
            else:
                object_id = str(obj.get("id", ""))
            actor = s["actor"]
            account = actor.get("account")
            context = s.get("context")
            registration = context.get("registration") if context else None
            target = targets.get(s["id"]) if targets else None
            rows.append(
                (
                    valid_uuid(s["id"]),
                    payload,
                    s["verb"]["id"],
                    (agent_key(actor) or "")[:512],
                    object_id,
                    valid_uuid(registration) if registration else None,
                    valid_uuid(target) if target else None,
                    stored_value,
                    False,
                    credential,
                    bool(
                        minors
                        and account
                        and account.get("homePage") == home
                        and str(account.get("name")) in minors
                    ),
                )
            )
        pks = self._insert_statements(rows)
        index_rows = [
            (pk, key, direct)
            for pk, keys in zip(pks, keys_by_id.values(), strict=True)
            for key, direct in keys.items()
        ]
        # In key order, neighbouring rows land on the same pages of the (key, statement) index.
        index_rows.sort(key=itemgetter(1))
        self.insert_index(index_rows)
        if not new_ids or any(s["verb"]["id"] == VOIDED_VERB for s in statements):
            self._referrers(statements, keys_by_id)

    def _insert_statements(self, rows: list[tuple[Any, ...]]) -> list[int]:
        """Insert statement rows; their row numbers, in order, without reading them back.

        SQLite: one writer holds the database from the first insert to the commit, so the rows
        of one ``executemany`` get consecutive numbers ending at ``last_insert_rowid()``.
        PostgreSQL: the numbers are drawn from the table's sequence first (concurrent writers
        draw disjoint ones) and inserted explicitly. Other databases read them back.
        """
        table = self.table(Statement)
        vendor = self.connection.vendor
        columns: tuple[str, ...] = STATEMENT_COLUMNS
        pks: list[int] = []
        with self.connection.cursor() as cursor:
            if vendor == "postgresql" and len(rows) == 1:
                # one statement (a learning event of the node's own): one round trip
                marks = ", ".join(["%s"] * len(columns))
                try:
                    cursor.execute(
                        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
                        f"VALUES ({marks}) RETURNING id",
                        rows[0],
                    )
                except IntegrityError as exc:
                    raise DuplicateError(str(exc)) from exc
                return [int(cursor.fetchone()[0])]
            if vendor == "postgresql":
                cursor.execute(
                    f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "  # noqa: S608
                    "FROM generate_series(1, %s)",
                    [len(rows)],
                )
                pks = sorted(int(pk) for (pk,) in cursor.fetchall())
                rows = [(pk, *row) for pk, row in zip(pks, rows, strict=True)]
                columns = ("id", *columns)
            marks = ", ".join(["%s"] * len(columns))
            try:
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
            except IntegrityError as exc:
                raise DuplicateError(str(exc)) from exc
            if vendor == "sqlite":
                cursor.execute("SELECT last_insert_rowid()")
                last = int(cursor.fetchone()[0])
                return list(range(last - len(rows) + 1, last + 1))
        if pks:
            return pks
        by_id = self.pks([self.to_uuid_str(row[0]) for row in rows])
        return [by_id[self.to_uuid_str(row[0])] for row in rows]

    def insert_index(self, rows: Iterable[tuple[Any, str, bool]]) -> None:
        rows = list(rows)
        sql = (
            f"INSERT INTO {self.table(StatementIndex)} "  # noqa: S608
            f"(statement_id, {self.q('key')}, direct) VALUES "
        )
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql" and len(rows) <= SMALL_INSERT:
                # a few rows (one statement's keys): one statement, one round trip, where
                # executemany would take a pipeline's several
                if rows:
                    cursor.execute(
                        sql + ", ".join(["(%s, %s, %s)"] * len(rows)),
                        [value for row in rows for value in row],
                    )
                return
            cursor.executemany(sql + "(%s, %s, %s)", rows)

    def _inherit_target_keys(
        self, keys_by_id: dict[str, dict[str, bool]], targets: dict[str, str]
    ) -> None:
        """A statement referring to another matches the filters its target matches."""
        if not targets:
            return
        outside = sorted(set(targets.values()) - set(keys_by_id))
        known: dict[str, dict[str, bool]] = {}
        for sid, key, direct in self.select_in(
            f"SELECT s.statement_id, i.{self.q('key')}, i.direct "  # noqa: S608
            f"FROM {self.table(StatementIndex)} i JOIN {self.table(Statement)} s "
            "ON s.id = i.statement_id WHERE s.statement_id IN ({in})",
            [self.uuid(t) for t in outside],
        ):
            known.setdefault(self.to_uuid_str(sid), {})[key] = bool(direct)
        for _ in range(len(targets) + 1):  # references inside one batch may chain
            changed = False
            for sid, target in targets.items():
                mine = keys_by_id[sid]
                for key, direct in (keys_by_id.get(target) or known.get(target) or {}).items():
                    if key not in mine or (direct and not mine[key]):
                        mine[key] = direct or mine.get(key, False)
                        changed = True
            if not changed:
                break

    def _referrers(
        self, statements: list[dict[str, Any]], keys_by_id: dict[str, dict[str, bool]]
    ) -> None:
        """Earlier statements referring to new ones: voiding applies, filters propagate."""
        new_ids = set(keys_by_id)
        voiding_targets = [
            s["object"]["id"].lower() for s in statements if s["verb"]["id"] == VOIDED_VERB
        ]
        frontier = dict(keys_by_id)
        for depth in range(8):  # longer reference chains are not followed further
            rows = self.select_in(
                f"SELECT id, statement_id, target_id, verb_id FROM {self.table(Statement)} "  # noqa: S608
                "WHERE target_id IN ({in})",
                [self.valid_uuid(i) for i in frontier],
            )
            next_frontier: dict[str, dict[str, bool]] = {}
            index_rows: list[tuple[Any, str, bool]] = []
            for pk, sid, target, verb in rows:
                sid_s, target_s = self.to_uuid_str(sid), self.to_uuid_str(target)
                if sid_s in new_ids:
                    continue
                if depth == 0 and verb == VOIDED_VERB:
                    voiding_targets.append(target_s)  # voided before it arrived
                inherited = frontier[target_s]
                index_rows.extend((pk, k, d) for k, d in inherited.items())
                next_frontier[sid_s] = inherited
            if index_rows:
                self._insert_missing_index(index_rows)
            if not next_frontier:
                break
            frontier = next_frontier
        if voiding_targets:
            Statement.objects.filter(
                statement_id__in=[uuid.UUID(t) for t in voiding_targets]
            ).exclude(verb_id=VOIDED_VERB).update(voided=True)

    def _insert_missing_index(self, rows: list[tuple[Any, str, bool]]) -> None:
        have = set(
            self.select_in(
                f"SELECT statement_id, {self.q('key')} FROM {self.table(StatementIndex)} "  # noqa: S608
                "WHERE statement_id IN ({in})",
                sorted({r[0] for r in rows}),
            )
        )
        self.insert_index(r for r in rows if (r[0], r[1]) not in have)

    def define_activities(self, statements: list[dict[str, Any]]) -> None:
        """Keep the latest definition of each activity (name/description maps merged)."""
        definitions: dict[str, dict[str, Any]] = {}
        copied: set[str] = set()  # IRIs whose entry is our own copy, safe to merge into
        for statement in statements:
            for activity in _activities(statement):
                definition = activity.get("definition")
                if not isinstance(definition, dict):
                    continue
                iri = str(activity["id"])
                known = definitions.get(iri)
                if known is None:
                    definitions[iri] = definition  # most IRIs appear once: no copy needed
                    continue
                if iri not in copied:
                    known = definitions[iri] = _definition_copy(known)
                    copied.add(iri)
                merge_definition(known, definition)
        if not definitions:
            return
        keys = {cached_hash(iri): iri for iri in definitions}
        texts = {key: jsoncodec.dumps_sorted(definitions[iri]) for key, iri in keys.items()}
        digests = {key: short_hash(text) for key, text in texts.items()}
        last = dict(
            self.select_in(
                f"SELECT {self.q('key')}, digest FROM {self.table(Activity)} "  # noqa: S608
                f"WHERE {self.q('key')} IN ({{in}})",
                list(keys),
            )
        )
        # Merging the definition that was merged last changes nothing: skip those.
        stale = [key for key in keys if key in last and last[key] != digests[key]]
        for row in Activity.objects.filter(key__in=stale):
            merged = dict(row.definition)
            merge_definition(merged, definitions[keys[row.key]])
            row.definition = merged
            row.digest = digests[row.key]
            row.save(update_fields=["definition", "digest"])
        new = [(key, iri, texts[key], digests[key]) for key, iri in keys.items() if key not in last]
        if new:
            # The definition column is JSON: the sorted text hashed above is that JSON.
            json_mark = "%s::jsonb" if self.connection.vendor == "postgresql" else "%s"
            with self.connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {self.table(Activity)} "  # noqa: S608
                    f"({self.q('key')}, iri, definition, digest) "
                    f"VALUES (%s, %s, {json_mark}, %s) ON CONFLICT DO NOTHING",
                    new,
                )


def _activities(statement: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The activities of ``activities_of`` without the flags; a list, built without a generator
    for the common shape (an Activity or StatementRef object with context activities)."""
    obj = statement["object"]
    kind = obj.get("objectType", "Activity")
    if kind != "Activity" and kind != "StatementRef":
        return [activity for activity, _direct in activities_of(statement)]
    found = [obj] if kind == "Activity" else []
    context = statement.get("context")
    if type(context) is dict:
        for value in (context.get("contextActivities") or {}).values():
            if type(value) is list:
                found.extend(value)
            else:
                found.append(value)
    return found


def _definition_copy(definition: Mapping[str, Any]) -> dict[str, Any]:
    """A copy whose name/description maps can be merged into without touching the original."""
    return {
        key: dict(value) if key in ("name", "description") and isinstance(value, dict) else value
        for key, value in definition.items()
    }


def merge_definition(into: dict[str, Any], new: Mapping[str, Any]) -> None:
    for key, value in new.items():
        if key in ("name", "description") and isinstance(value, dict):
            into.setdefault(key, {}).update(value)
        else:
            into[key] = value


def store_attachments(
    statements: list[dict[str, Any]], attachments: Mapping[str, tuple[str, bytes]]
) -> None:
    if not attachments:
        return
    wanted = {
        a["sha2"]
        for s in statements
        for holder in (s, s["object"])
        for a in (holder.get("attachments") or [])
    }
    have = set(Attachment.objects.filter(sha2__in=wanted).values_list("sha2", flat=True))
    Attachment.objects.bulk_create(
        Attachment(sha2=sha2, content_type=attachments[sha2][0], content=attachments[sha2][1])
        for sha2 in wanted - have
        if sha2 in attachments
    )
