"""PostgreSQL only: near matches for misspelled search words come from a list of the words in
claims' text, trigram indexed, instead of a trigram index on every claim's text.

The trigram index held about a hundred entries per claim, and writing them was the largest
single cost of storing an imported document's claims: beside 1,000 documents, inserting one
document's claims took 9.1 ms with it and 6.4 ms with the word list and its triggers, and
wrote 300 kB of write-ahead log against 137. Matching a misspelled common word against
115,539 claims' text took 211 ms; against the list (1,355 words) and then the full-text
index, 12 ms. The list grows with the vocabulary, not the corpus. pg_trgm's documentation
suggests this pairing.

Triggers keep the list, so every way a claim is written (import, a reviewer's edit, a split,
a restore) adds its words. Words are only ever added: a word no claim uses any more makes a
near match that finds nothing. Like the search column (0008), the list is not a model: Django
never writes it, and backups leave it out because the triggers rebuild it on restore.
"""

from django.db import migrations

# Words as pg_trgm sees them: runs of letters and digits, lower case. Longer words are left
# out: they are no use for spotting a misspelling, and a very long one would not fit in the
# B-tree. No unique constraint: inserting a word another open transaction has just inserted
# would then wait for that transaction, and imports running side by side could wait on each
# other's words while one holds the lock on linking (claims.linking.lock_linking) that the
# other waits for. Two imports that add the same new word at once leave it listed twice,
# which the search ignores.
ADD_WORDS = """
    INSERT INTO claims_searchword (word)
    SELECT DISTINCT found.word
    FROM {rows}, regexp_split_to_table(lower({rows}.text), '[^[:alnum:]]+') AS found(word)
    WHERE found.word <> '' AND length(found.word) <= 60
        AND NOT EXISTS (SELECT FROM claims_searchword AS listed WHERE listed.word = found.word)
"""
CREATE = [
    "CREATE TABLE claims_searchword (word text NOT NULL)",
    "CREATE INDEX claim_searchword_idx ON claims_searchword (word)",
    ADD_WORDS.format(rows="claims_claim"),
    "CREATE INDEX claim_searchword_trgm_idx ON claims_searchword USING gin (word gin_trgm_ops)",
    f"""
    CREATE FUNCTION claims_add_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {ADD_WORDS.format(rows="written")};
        RETURN NULL;
    END $$
    """,
    # Once per statement, over the rows it wrote: an import's claims are one COPY.
    "CREATE TRIGGER claim_search_words_insert AFTER INSERT ON claims_claim "
    "REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION claims_add_search_words()",
    "CREATE TRIGGER claim_search_words_update AFTER UPDATE ON claims_claim "
    "REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION claims_add_search_words()",
    "DROP INDEX IF EXISTS claim_text_trgm_idx",
]
DROP = [
    "CREATE INDEX IF NOT EXISTS claim_text_trgm_idx ON claims_claim USING gin (text gin_trgm_ops)",
    "DROP TRIGGER IF EXISTS claim_search_words_update ON claims_claim",
    "DROP TRIGGER IF EXISTS claim_search_words_insert ON claims_claim",
    "DROP FUNCTION IF EXISTS claims_add_search_words()",
    "DROP TABLE IF EXISTS claims_searchword",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0015_contradiction_score_index_for_contradictions_only")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
