"""The search index: an FTS5 table on SQLite, a GIN expression index on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        # The exact analyzer terms as a tsvector (no parser or dictionary in between), stored
        # so ranking does not rebuild it for every matched row.
        schema_editor.execute(
            "ALTER TABLE catalogue_searchentry ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(array_to_tsvector(string_to_array(terms, ' '))) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX catalogue_search_gin ON catalogue_searchentry USING GIN (tsv)"
        )
    else:
        schema_editor.execute(
            "CREATE VIRTUAL TABLE catalogue_search_fts USING fts5("
            "terms, tokenize = 'unicode61 remove_diacritics 0')"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalogue_search_gin")
        schema_editor.execute("ALTER TABLE catalogue_searchentry DROP COLUMN IF EXISTS tsv")
    else:
        schema_editor.execute("DROP TABLE IF EXISTS catalogue_search_fts")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
