"""PostgreSQL only: keep each claim's weighted text + quote vector in a stored generated column,
`search_document`, with a GIN index. Ranking then reads the stored vector instead of parsing
every matching claim's text again, which at a thousand documents was most of a search's time.
The column is not a model field: PostgreSQL computes it, Django never writes it, and exports
and backups (which work from model fields) are the same on SQLite and PostgreSQL."""

from django.db import migrations

SEARCH = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(text, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(quote, '')), 'B'))"
)
CREATE = [
    f"ALTER TABLE claims_claim ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({SEARCH}) STORED",
    "CREATE INDEX claim_search_document_idx ON claims_claim USING gin (search_document)",
    "DROP INDEX IF EXISTS claim_search_idx",
]
DROP = [
    f"CREATE INDEX IF NOT EXISTS claim_search_idx ON claims_claim USING gin ({SEARCH})",
    "ALTER TABLE claims_claim DROP COLUMN search_document",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_link_documents")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
