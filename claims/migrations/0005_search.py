"""PostgreSQL-only search indexes: ranked full-text search on a claim's text and quote, and
trigram similarity on its text for near matches. SQLite has neither and needs neither: its
search is a plain contains match."""

from django.db import migrations

# The expression must be exactly the one the search filter builds, or PostgreSQL
# will not use the index.
SEARCH = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(text, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(quote, '')), 'B'))"
)
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS claim_search_idx ON claims_claim USING gin ({SEARCH})",
    "CREATE INDEX IF NOT EXISTS claim_text_trgm_idx ON claims_claim USING gin (text gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS claim_search_idx",
    "DROP INDEX IF EXISTS claim_text_trgm_idx",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_indexes")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
