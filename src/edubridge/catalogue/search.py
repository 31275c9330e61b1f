"""Catalogue search: one analyzer, two indexes (SQLite FTS5, PostgreSQL tsvector), one contract.

The analyzer turns any text into space-separated terms, the same way for indexed text and
queries: NFKC, Arabic normalization (``engines.standards.text.normalize_arabic``), case folding,
Chinese/Japanese characters as unigrams plus bigrams, other words as they are (no stemming, so
the result does not depend on guessing the query's language), numbers kept. Both backends store
exactly these terms, so they match the same items; they rank with their own formula (FTS5 BM25,
PostgreSQL ``ts_rank``), and ``score`` is "higher is better" on both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from edubridge.engines.standards.text import normalize_arabic

FTS_TABLE = "catalogue_search_fts"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W\d_]+|\d+", re.UNICODE)
_IS_CJK = re.compile(rf"^[{_CJK}]+$")
_ARABIC = re.compile("[\u0600-\u06ff]")
_DELETE = "DELETE FROM catalogue_search_fts WHERE rowid = %s"
_INSERT = "INSERT INTO catalogue_search_fts (rowid, terms) VALUES (%s, %s)"


def _normalized(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if _ARABIC.search(text):
        text = normalize_arabic(text)
    return text.casefold()


def index_terms(text: str) -> list[str]:
    """Terms stored for ``text``: CJK unigrams and bigrams, other words and numbers."""
    out: list[str] = []
    for token in _TOKEN.findall(_normalized(text)):
        if _IS_CJK.match(token):
            out.extend(token)
            out.extend(token[i : i + 2] for i in range(len(token) - 1))
        else:
            out.append(token)
    return out


def query_terms(text: str) -> list[tuple[str, bool]]:
    """(term, is_prefix) for a query: CJK runs as bigrams (a single character as a unigram),
    other words as they are; duplicates dropped, order kept."""
    out: dict[tuple[str, bool], None] = {}
    for token in _TOKEN.findall(_normalized(text)):
        if _IS_CJK.match(token) and len(token) > 1:
            for i in range(len(token) - 1):
                out[(token[i : i + 2], False)] = None
        else:
            out[(token, False)] = None
    return list(out)


def item_search_text(data: dict[str, object]) -> str:
    """The text of an item that search looks at: title, stem, prompt, choice texts."""
    parts: list[str] = [str(data.get("title") or ""), str(data.get("stem") or "")]
    interaction = data.get("interaction")
    if isinstance(interaction, dict):
        parts.append(str(interaction.get("prompt") or ""))
        for key in ("choices", "source", "target"):
            for choice in interaction.get(key) or []:
                parts.append(str(choice.get("text", "")))
    return "\n".join(p for p in parts if p)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def index_rows(rows: Iterable[tuple[int, str]]) -> None:
    """(item pk, terms) into the backend index. The caller stores SearchEntry rows itself; on
    PostgreSQL the expression index over ``catalogue_searchentry`` is all there is."""
    if is_postgresql():
        return
    batch = list(rows)
    if not batch:
        return
    with connection.cursor() as cursor:
        cursor.executemany(_DELETE, [(pk,) for pk, _ in batch])
        cursor.executemany(_INSERT, batch)


def unindex(pks: Sequence[int]) -> None:
    """Drop items from the SQLite FTS table (PostgreSQL follows the SearchEntry rows)."""
    if is_postgresql() or not pks:
        return
    with connection.cursor() as cursor:
        cursor.executemany(_DELETE, [(pk,) for pk in pks])


def _fts_query(terms: list[tuple[str, bool]]) -> str:
    return " OR ".join(f'"{t}"' + ("*" if prefix else "") for t, prefix in terms)


def _ts_query(terms: list[tuple[str, bool]]) -> str:
    return " | ".join(f"'{t}'" + (":*" if prefix else "") for t, prefix in terms)


PG_VECTOR = "s.tsv"  # generated column: array_to_tsvector(string_to_array(terms, ' '))


def ranked(
    terms: list[tuple[str, bool]], where: str, params: Sequence[Any], limit: int
) -> list[tuple[int, float]]:
    """(item pk, score) best first among items matching ``where`` (SQL over ``catalogue_item i``
    joined to ``catalogue_bank b``; values in ``params``)."""
    if not terms:
        return []
    joins = "JOIN catalogue_item i ON i.id = m.id JOIN catalogue_bank b ON b.id = i.bank_id"
    with connection.cursor() as cursor:
        if is_postgresql():
            # ts_rank over a position-less vector: the share of query terms the item holds.
            cursor.execute(
                "WITH m AS MATERIALIZED (SELECT s.item_id AS id, "  # noqa: S608
                f"ts_rank({PG_VECTOR}, q) AS score FROM catalogue_searchentry s, "
                f"CAST(%s AS tsquery) q WHERE {PG_VECTOR} @@ q) "
                f"SELECT m.id, m.score FROM m {joins} WHERE {where} "
                "ORDER BY m.score DESC, m.id LIMIT %s",
                [_ts_query(terms), *params, limit],
            )
        else:
            # Match first (materialized: FTS5 scores every hit once), then filter by joining;
            # asking FTS5 for "rowid IN (subquery)" made it re-check rowids one at a time.
            cursor.execute(
                "WITH m AS MATERIALIZED (SELECT rowid AS id, "  # noqa: S608
                "-bm25(catalogue_search_fts) AS score "
                "FROM catalogue_search_fts WHERE catalogue_search_fts MATCH %s) "
                f"SELECT m.id, m.score FROM m {joins} WHERE {where} "
                "ORDER BY m.score DESC, m.id LIMIT %s",
                [_fts_query(terms), *params, limit],
            )
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]
