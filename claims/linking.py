"""Link detection for one document, within it and against other documents.

The rules live in `claims.extraction.links` (plain Python). This module feeds them a
document's claims plus the claims of other documents that share a blocking key, and stores
what they find as suggested links. Links a reviewer confirmed, rejected or made are never
touched; detected links that are still only suggestions are replaced by the new findings.
"""

from functools import lru_cache

from django.db import connection
from django.db.models import F, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from .extraction import links
from .extraction.links import analyse, detect
from .models import Claim, ClaimKey, ClaimLink
from .rows import insert

FIELDS = ("id", "text", "quote", "rule", "answer_id")
LINK_FIELDS = (
    "source_claim_id",
    "target_claim_id",
    "source_document_id",
    "target_document_id",
    "relation",
    "origin",
    "state",
    "score",
    "rule",
)
# Per blocking key, a new document is compared with at most this many claims of other
# documents, the most recently imported (about the two latest documents on that key).
# Without a cap a key's block grows with the corpus (every document about one state shares
# "policy|<state>"), and importing N documents costs N squared comparisons; with it the cost
# per document stops growing once the blocks are full.
BLOCK_LIMIT = 20
# SQLite's default cap on the SELECTs joined into one compound statement.
SQLITE_COMPOUND_LIMIT = 500
# The PostgreSQL advisory lock that lets one import link at a time (lock_linking).
LINK_LOCK = 0x6C696E6B73  # "links"


def lock_linking():
    """Wait until no other import is linking, and keep others waiting until this transaction
    ends.

    A document is linked with the claims other documents have when it is linked. Two imports
    linking at once would each miss the other's claims, and the pair of documents would never
    be linked. SQLite lets one writer in at a time already (IMMEDIATE transactions); on
    PostgreSQL imports run side by side up to here, where they queue. An import that changes
    an existing document takes the lock before it locks that document's rows (importer): the
    import linking ahead of it may be writing links to those rows."""
    if connection.vendor == "postgresql":
        assert connection.in_atomic_block, "the lock lasts until the transaction ends"
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LINK_LOCK])


def _analyse(row, place):
    claim_id, text, quote, rule, answer_id = row
    return _analysed(claim_id, answer_id, links.feature_text(rule, text, quote), place)


@lru_cache(maxsize=10_000)
def _analysed(claim_id, answer_id, text, place):
    # A claim of another document is analysed again for every new document that shares one of
    # its keys; its features depend only on these arguments, so keep them. Only recent
    # documents' claims come back (BLOCK_LIMIT), so a small cache serves them: importing
    # documents 400 to 499 of a synthetic corpus, 98% of its misses were the new documents'
    # own claims, which are analysed once in any case. Full, it holds about 21 MiB. Items are
    # not modified after analysis.
    return analyse(claim_id, answer_id, text, place)


def _latest_claims(keys):
    """A subquery: the ids of the latest BLOCK_LIMIT claims on each of `keys`.

    Each key is one backward read of claimkey_key_claim_idx, stopped after BLOCK_LIMIT rows:
    whatever the corpus size and whatever plan the database keeps, it reads what it returns.
    Ranked with a window instead, every row of the keys' blocks was read. On PostgreSQL,
    whose prepared statements keep a generic plan made from the first documents, that read
    grew from about 1 ms a document to 12-16 ms by the thousandth and made a batch import's
    time grow with the square of its size. On SQLite, at 1,000 documents, the window took
    0.75 ms a document and the reads key by key 0.04 ms."""
    if not keys:
        return ClaimKey.objects.none().values("claim_id")
    table = connection.ops.quote_name(ClaimKey._meta.db_table)
    key, claim = (
        connection.ops.quote_name(ClaimKey._meta.get_field(f).column) for f in ("key", "claim")
    )

    def latest(name):
        return (
            f"SELECT {claim} FROM {table} WHERE {key} = {name} "
            f"ORDER BY {claim} DESC LIMIT {int(BLOCK_LIMIT)}"
        )

    if connection.vendor == "postgresql":
        return RawSQL(
            f"SELECT latest.{claim} FROM unnest(%s::varchar[]) AS wanted(name) "
            f"CROSS JOIN LATERAL ({latest('wanted.name')}) AS latest",
            (sorted(keys),),
        )
    if len(keys) > SQLITE_COMPOUND_LIMIT:
        # SQLite has no LATERAL, and joins at most 500 reads in one statement.
        return (
            ClaimKey.objects.filter(key__in=keys)
            .annotate(
                rank=Window(RowNumber(), partition_by=F("key"), order_by=F("claim_id").desc())
            )
            .filter(rank__lte=BLOCK_LIMIT)
            .values("claim_id")
        )
    return RawSQL(" UNION ALL ".join([f"SELECT * FROM ({latest('%s')})"] * len(keys)), sorted(keys))


def refresh_links(document, *, new=False):
    """Detect links for the document's claims. Returns (how many suggested links it now has,
    the ids of the other documents it was just linked with). `new`: the document was just
    created, so it has no keys or links yet to replace."""
    # Lookups by document, answer ids, claim ids and keys only. An import runs right after
    # other imports, before PostgreSQL has statistics for the rows they added (autovacuum
    # analyses them minutes later, or never when it is off); a condition it cannot estimate (a
    # join on the document, "checkworthy", a long list of claim ids on a table without a
    # unique index on them) it may answer by reading the whole table or index, once per import,
    # a cost that grows with the corpus. Plain rows, not model instances: a document may be
    # compared with thousands of claims.
    number = dict(document.answers.order_by().values_list("id", "number"))
    rows = (
        Claim.objects.live()
        .filter(answer__in=list(number))
        .order_by()
        .values_list(*FIELDS, "start", "checkworthy")
    )
    # In the answers' order, as the rules have always seen them (ties fall to the id).
    checkworthy = sorted((r for r in rows if r[6]), key=lambda r: (number[r[4]], r[5], r[0]))
    own = [row[:5] for row in checkworthy]
    items = [_analyse(row, document.place) for row in own]
    own_ids = {row[0] for row in own}
    lock_linking()

    # The candidates are read between dropping the document's old keys and writing its new
    # ones: then every key on the table is another document's, with no join to exclude these.
    if not new:
        ClaimKey.objects.filter(document=document).delete()
    claim_keys = [(i.id, document.id, k) for i in items for k in sorted(i.blocking)]
    # The latest claims per key and their rows in one statement (a semi-join on the primary
    # key, which PostgreSQL plans well with or without statistics).
    others = list(
        Claim.objects.live()
        .filter(pk__in=_latest_claims({key for _, _, key in claim_keys}), checkworthy=True)
        .values_list(*FIELDS, "answer__document__place", "answer__document_id")
    )
    insert(ClaimKey, ("claim_id", "document_id", "key"), claim_keys)
    document_of = {row[0]: document.id for row in own}
    for row in others:
        items.append(_analyse(row[:5], row[5]))
        document_of[row[0]] = row[6]

    found = detect(items, focus=own_ids)
    if not new:
        ClaimLink.touching(document).filter(
            origin=ClaimLink.Origin.DETECTED, state=ClaimLink.State.SUGGESTED
        ).delete()
    detected, suggested = ClaimLink.Origin.DETECTED.value, ClaimLink.State.SUGGESTED.value
    insert(
        ClaimLink,
        LINK_FIELDS,
        (
            (
                min(link.a, link.b),
                max(link.a, link.b),
                document_of[min(link.a, link.b)],
                document_of[max(link.a, link.b)],
                link.relation,
                detected,
                suggested,
                link.score,
                link.rule,
            )
            for link in found
        ),
        # A pair a reviewer already judged keeps its judgement. A new document's links all
        # have one of its new claims, so none can meet a stored pair.
        ignore_conflicts=not new,
    )
    linked = {document_of[end] for link in found for end in (link.a, link.b)} - {document.id}
    if new:
        # Every link found has one of the document's claims, all of them new: none of them
        # can have met a pair already stored, so each was inserted.
        return len(found), linked
    suggested = ClaimLink.touching(document).filter(state=ClaimLink.State.SUGGESTED).count()
    return suggested, linked
