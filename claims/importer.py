"""Importing an FAQ and (re-)extracting its claims, in one transaction.

All the work that can fail on bad input (decoding, parsing, extraction) happens before the
transaction opens, so a refused import has written nothing.

Re-importing changed text, or re-extracting after the engine improved, never loses review
work. Claims with review work whose words are still in their answer are re-anchored to the
new offsets; those whose words vanished are kept as orphans, with their history. Claims with
no review work simply follow the new extraction, keeping their id when their words are the
same.
"""

import hashlib
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter

from django.conf import settings
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Count, Prefetch, Q

from . import faq
from .cache import bump
from .extraction import extract, jurisdiction
from .linking import lock_linking, refresh_links
from .models import Answer, Claim, ClaimLink, Document, uuid7
from .rows import insert

FaqError = faq.FaqError
OUTCOMES = ("unchanged", "moved", "orphaned", "new", "removed")
# What a new claim is given besides a fresh uuid: its other fields (status, version, times)
# take their defaults.
NEW_CLAIM_VALUES = (
    "answer_id",
    "start",
    "end",
    "quote",
    "text",
    "checkworthy",
    "kind",
    "rule",
    "score",
    "unresolved",
)


@dataclass
class ImportResult:
    document: Document
    outcome: str  # "created", "updated", "re-extracted", "details", "unchanged"
    answers: int
    claims: int
    checkworthy: int
    changes: Counter = field(default_factory=Counter)
    links: int = 0

    def summary(self):
        """One line for the person importing, e.g. 'created ok-ice: 20 answers, 129 claims'."""
        doc = self.document.slug
        counts = f"{plural(self.answers, 'answer')}, {plural(self.claims, 'claim')}"
        if self.outcome == "unchanged":
            return f"unchanged {doc}: {counts}"
        if self.outcome == "details":
            return f"updated the details of {doc}; its text is unchanged"
        line = f"{self.outcome} {doc}: {counts} ({self.checkworthy} check-worthy)"
        if self.outcome != "created":
            line += "; claims " + ", ".join(f"{self.changes[k]} {k}" for k in OUTCOMES)
        return line + f"; {plural(self.links, 'suggested link')}"


def plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def import_faq(data, *, slug, title="", source_url="", generated_by="", retrieved_on=None):
    """Import FAQ bytes (or text) as document `slug`. Raises FaqError on bad input."""
    try:
        validate_slug(slug)
    except Exception:
        raise FaqError(
            f"slug {slug!r} is not valid: use letters, numbers, hyphens and underscores"
        ) from None
    if isinstance(data, str):
        data = data.encode("utf-8")
    text = faq.decode(data, limit=settings.CLAIMS_MAX_IMPORT_BYTES)
    parsed, extracted, place = _extract_all(text)
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    details = {
        "title": title,
        "source_url": source_url,
        "generated_by": generated_by,
        "retrieved_on": retrieved_on,
    }

    with transaction.atomic():
        locked = Document.objects.filter(slug=slug).exists()
        if locked:
            lock_linking()  # before its rows are locked (see lock_linking)
        document = Document.objects.select_for_update().filter(slug=slug).first()
        if document is None:
            document = Document.objects.create(
                slug=slug,
                raw_text=text,
                content_hash=content_hash,
                place=place,
                **{**details, "title": title or _default_title(slug)},
            )
            changes = _sync(document, parsed, extracted, new=True)
            # A new document holds just what was written: every answer, a claim per span.
            spans = [span for spans in extracted.values() for span in spans]
            result = ImportResult(
                document,
                "created",
                answers=len(parsed),
                claims=len(spans),
                checkworthy=sum(span.checkworthy for span in spans),
            )
            return _finish(result, changes, new=True)
        changed = [k for k, v in details.items() if v and getattr(document, k) != v]
        for key in changed:
            setattr(document, key, details[key])
        if not locked:
            lock_linking()  # another import created it meanwhile
        if document.content_hash == content_hash:
            if changed:
                document.save(update_fields=changed)
                bump(Document.objects.filter(pk=document.pk))
            return _counts(document, "details" if changed else "unchanged")
        document.raw_text, document.content_hash, document.place = text, content_hash, place
        document.save()
        changes = _sync(document, parsed, extracted)
        return _finish(_counts(document, "updated"), changes)


def reextract(document):
    """Run the current engine over a document's stored text again, keeping review work."""
    parsed, extracted, place = _extract_all(document.raw_text)
    with transaction.atomic():
        lock_linking()  # before the document's rows are locked (see lock_linking)
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.place != place:
            document.place = place
            document.save(update_fields=["place"])
        changes = _sync(document, parsed, extracted)
        return _finish(_counts(document, "re-extracted"), changes)


def _extract_all(text):
    parsed = faq.parse(text)
    place = jurisdiction(*(a.question for a in parsed), text)
    extracted = {a.number: extract(a.text, question=a.question, place=place) for a in parsed}
    for answer in parsed:
        if not extracted[answer.number]:
            raise FaqError(f"answer {answer.number} has no sentence to extract a claim from")
    return parsed, extracted, place


def _default_title(slug):
    return slug.replace("-", " ").replace("_", " ").strip().capitalize()


def _finish(result, changes, *, new=False):
    document = result.document
    result.changes = changes
    result.links, linked = refresh_links(document, new=new)
    # Bulk writes send no signals: mark the document's pages changed here, and the pages of
    # the documents it was just linked with (they show the links too).
    bump(Document.objects.filter(pk__in={document.pk, *linked}))
    return result


def _counts(document, outcome):
    # By answer ids, not a join on the document: see linking.refresh_links.
    answers = dict(document.answers.order_by().values_list("id", "current"))
    counts = (
        Claim.objects.live()
        .filter(answer__in=list(answers))
        .aggregate(claims=Count("id"), checkworthy=Count("id", filter=Q(checkworthy=True)))
    )
    return ImportResult(document, outcome, answers=sum(answers.values()), **counts)


def reviewed_ids(claims):
    """Ids of the claims among `claims` that carry review work, which must never be lost."""
    if not claims:
        return set()  # a new document: skip building the query below
    return set(
        Claim.objects.filter(pk__in=[c.pk for c in claims])
        .filter(
            ~Q(status=Claim.Status.UNVERIFIED)
            | Q(citations__isnull=False)
            | Q(notes__isnull=False)
            | Q(flags__isnull=False)
            | Q(status_changes__isnull=False)
            | Q(links_out__origin=ClaimLink.Origin.REVIEWER)
            | Q(links_in__origin=ClaimLink.Origin.REVIEWER)
            | Q(links_out__state__in=[ClaimLink.State.CONFIRMED, ClaimLink.State.REJECTED])
            | Q(links_in__state__in=[ClaimLink.State.CONFIRMED, ClaimLink.State.REJECTED])
        )
        .values_list("pk", flat=True)
    )


def _sync(document, parsed, extracted, *, new=False):
    """Bring the document's answers and claims in line with the new text. Returns the counts
    of unchanged, moved, orphaned, new and removed claims. `new`: the document was just
    created, so it has no answers or claims to look for."""
    changes = Counter(dict.fromkeys(OUTCOMES, 0))
    # Claims a reviewer merged into another stay as they are, pointing at it.
    current = Prefetch("claims", queryset=Claim.objects.filter(merged_into__isnull=True))
    old_answers = {} if new else {a.number: a for a in document.answers.prefetch_related(current)}
    all_old = [c for a in old_answers.values() for c in a.claims.all()]
    reviewed = reviewed_ids(all_old)
    create, update, delete = [], [], []
    # New questions' answers in one statement; bulk_create gives back their ids.
    new_answers = {
        answer.number: answer
        for answer in Answer.objects.bulk_create(
            Answer(document=document, number=item.number, question=item.question, text=item.text)
            for item in parsed
            if item.number not in old_answers
        )
    }

    for item in parsed:
        answer = old_answers.pop(item.number, None)
        if answer is None:
            answer = new_answers[item.number]
            old = []
        else:
            old = list(answer.claims.all())
            answer.question, answer.text, answer.current = item.question, item.text, True
            answer.save(update_fields=["question", "text", "current"])
        _sync_answer(answer, old, extracted[item.number], reviewed, changes, create, update, delete)

    for answer in old_answers.values():  # questions that left the document
        for claim in answer.claims.all():
            if claim.pk in reviewed:
                if not claim.orphaned:
                    claim.orphaned = True
                    update.append(claim)
                    changes["orphaned"] += 1
            else:
                delete.append(claim.pk)
                changes["removed"] += 1
        answer.current = False
        answer.save(update_fields=["current"])

    Claim.objects.filter(pk__in=delete).delete()
    for claim in update:
        claim.check_span()
    Claim.objects.bulk_update(
        update,
        [
            "start",
            "end",
            "quote",
            "text",
            "kind",
            "checkworthy",
            "rule",
            "score",
            "unresolved",
            "orphaned",
        ],
    )
    values = attrgetter(*NEW_CLAIM_VALUES)
    insert(Claim, ("uuid", *NEW_CLAIM_VALUES), ((uuid7(), *values(c)) for c in create))
    if not new:
        # A dropped question whose claims were all unreviewed leaves nothing worth keeping.
        Answer.objects.filter(document=document, current=False, claims__isnull=True).delete()
    return changes


def _sync_answer(answer, old, spans, reviewed, changes, create, update, delete):
    text = answer.text
    anchored = []  # spans of reviewed claims that stay, which new spans must not cover
    for claim in (c for c in old if c.pk in reviewed):
        position = _nearest(text, claim.quote, claim.start)
        if position is None:
            if not claim.orphaned:
                claim.orphaned = True
                update.append(claim)
                changes["orphaned"] += 1
            continue
        moved = claim.orphaned or position != claim.start
        claim.start, claim.end, claim.orphaned = position, position + len(claim.quote), False
        update.append(claim)
        changes["moved" if moved else "unchanged"] += 1
        anchored.append((claim.start, claim.end))

    unreviewed = {}  # quote -> ([starts], [claims]), by start
    for claim in sorted((c for c in old if c.pk not in reviewed), key=lambda c: c.start):
        starts, claims = unreviewed.setdefault(claim.quote, ([], []))
        starts.append(claim.start)
        claims.append(claim)
    for span in spans:
        if any(span.start < end and start < span.end for start, end in anchored):
            continue  # a reviewed claim already stands on these words
        same_words = unreviewed.get(span.quote)
        if same_words and same_words[1]:
            claim = _take_nearest(*same_words, span.start)
            changes["unchanged" if claim.start == span.start else "moved"] += 1
            _apply(claim, span)
            claim.orphaned = False
            update.append(claim)
        else:
            claim = Claim(answer=answer)
            _apply(claim, span)
            claim.check_span()
            create.append(claim)
            changes["new"] += 1
    for _, group in unreviewed.values():
        for claim in group:
            delete.append(claim.pk)
            changes["removed"] += 1


def _take_nearest(starts, claims, start):
    """Remove and return the claim nearest to `start` (the earlier one on a tie).

    A bisection, not a scan: an answer that repeats one sentence thousands of times made
    re-importing it quadratic."""
    i = bisect_left(starts, start)
    if i == len(starts) or (i > 0 and start - starts[i - 1] <= starts[i] - start):
        i -= 1
    starts.pop(i)
    return claims.pop(i)


def _apply(claim, span):
    claim.start, claim.end, claim.quote, claim.text = span.start, span.end, span.quote, span.text
    claim.kind, claim.checkworthy, claim.rule, claim.score = (
        span.kind,
        span.checkworthy,
        span.rule,
        span.score,
    )
    claim.unresolved = "; ".join(span.unresolved)[:300]


def _nearest(text, quote, start):
    """The occurrence of quote in text closest to where it was, or None."""
    best, position = None, text.find(quote)
    while position >= 0:
        if best is None or abs(position - start) < abs(best - start):
            best = position
        position = text.find(quote, position + 1)
    return best
