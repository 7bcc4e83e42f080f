"""Importing an FAQ into the database: parse, extract, then write everything in one transaction.

All the work that can fail on bad input (decoding, parsing, extraction) happens before the
transaction opens, so a refused import has written nothing.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Q

from . import faq
from .extraction import extract
from .models import Answer, Claim, ClaimLink, Document

FaqError = faq.FaqError


@dataclass
class ImportResult:
    document: Document
    outcome: str  # "created", "updated", "details", "unchanged"
    answers: int
    claims: int
    checkworthy: int
    kept: int = 0
    dropped: int = 0

    def summary(self):
        """One line for the person importing, e.g. 'created ok-ice: 20 answers, 129 claims'."""
        doc = self.document.slug
        counts = f"{plural(self.answers, 'answer')}, {plural(self.claims, 'claim')}"
        if self.outcome == "unchanged":
            return f"unchanged {doc}: {counts}"
        if self.outcome == "details":
            return f"updated the details of {doc}; its text is unchanged"
        line = f"{self.outcome} {doc}: {counts} ({self.checkworthy} check-worthy)"
        if self.outcome == "updated":
            line += f"; {self.kept} kept, {self.dropped} unreviewed removed"
        return line


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
    limit = settings.CLAIMS_MAX_IMPORT_BYTES
    if isinstance(data, str):
        data = data.encode("utf-8")
    text = faq.decode(data, limit=limit)
    parsed = faq.parse(text)
    extracted = {a.number: extract(a.text) for a in parsed}
    for answer in parsed:
        if not extracted[answer.number]:
            raise FaqError(f"answer {answer.number} has no sentence to extract a claim from")
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    details = {
        "title": title or _default_title(slug),
        "source_url": source_url,
        "generated_by": generated_by,
        "retrieved_on": retrieved_on,
    }

    with transaction.atomic():
        document = Document.objects.select_for_update().filter(slug=slug).first()
        if document is None:
            document = Document.objects.create(
                slug=slug, raw_text=text, content_hash=content_hash, **details
            )
            return _create_all(document, parsed, extracted)
        if not title:
            details["title"] = document.title
        if document.content_hash == content_hash:
            changed = [k for k, v in details.items() if v and getattr(document, k) != v]
            claims = Claim.objects.filter(answer__document=document)
            counts = {
                "answers": document.answers.count(),
                "claims": claims.count(),
                "checkworthy": claims.filter(checkworthy=True).count(),
            }
            if not changed:
                return ImportResult(document, "unchanged", **counts)
            for key in changed:
                setattr(document, key, details[key])
            document.save(update_fields=changed)
            return ImportResult(document, "details", **counts)
        return _update(document, text, content_hash, details, parsed, extracted)


def _default_title(slug):
    return slug.replace("-", " ").replace("_", " ").strip().capitalize()


def _new_claim(answer, span):
    claim = Claim(
        answer=answer,
        start=span.start,
        end=span.end,
        quote=span.quote,
        text=span.text,
        checkworthy=span.checkworthy,
        kind=span.kind,
        rule=span.rule,
        score=span.score,
    )
    claim.check_span()
    return claim


def _create_all(document, parsed, extracted):
    answers = Answer.objects.bulk_create(
        Answer(document=document, number=a.number, question=a.question, text=a.text) for a in parsed
    )
    claims = [_new_claim(answer, span) for answer in answers for span in extracted[answer.number]]
    Claim.objects.bulk_create(claims)
    return ImportResult(
        document,
        "created",
        answers=len(answers),
        claims=len(claims),
        checkworthy=sum(c.checkworthy for c in claims),
    )


def _reviewed(claims):
    """The claims among `claims` that carry review work, which an import must never drop."""
    return Claim.objects.filter(pk__in=[c.pk for c in claims]).filter(
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


def _update(document, text, content_hash, details, parsed, extracted):
    """Re-import changed text. Claims whose exact words survive keep their id and review work;
    unreviewed claims that vanished are removed. If a reviewed claim would vanish, refuse."""
    old_answers = {a.number: a for a in document.answers.prefetch_related("claims")}
    keep, drop, create, answer_updates = [], [], [], []
    for parsed_answer in parsed:
        answer = old_answers.pop(parsed_answer.number, None)
        if answer is None:
            answer = Answer.objects.create(
                document=document,
                number=parsed_answer.number,
                question=parsed_answer.question,
                text=parsed_answer.text,
            )
            existing = []
        else:
            existing = list(answer.claims.all())
            answer.question, answer.text = parsed_answer.question, parsed_answer.text
            answer_updates.append(answer)
        unmatched = {}
        for claim in existing:
            unmatched.setdefault(claim.quote, []).append(claim)
        for span in extracted[parsed_answer.number]:
            same_words = unmatched.get(span.quote)
            if same_words:
                claim = same_words.pop(0)
                claim.start, claim.end = span.start, span.end
                claim.kind, claim.checkworthy = span.kind, span.checkworthy
                claim.rule, claim.score = span.rule, span.score
                claim.answer = answer
                keep.append(claim)
            else:
                create.append(_new_claim(answer, span))
        drop.extend(c for group in unmatched.values() for c in group)
    vanished_answers = list(old_answers.values())
    for answer in vanished_answers:
        drop.extend(answer.claims.all())

    reviewed = list(_reviewed(drop).distinct()[:4])
    if reviewed:
        quotes = "; ".join(f"answer {c.answer.number}: {c.quote[:50]!r}" for c in reviewed[:3])
        raise FaqError(
            f"the new text drops reviewed claims ({quotes}); "
            "import it under a new slug or restore those sentences"
        )

    for key, value in details.items():
        if value:
            setattr(document, key, value)
    document.raw_text, document.content_hash = text, content_hash
    document.save()
    Claim.objects.filter(pk__in=[c.pk for c in drop]).delete()
    Answer.objects.filter(pk__in=[a.pk for a in vanished_answers]).delete()
    Answer.objects.bulk_update(answer_updates, ["question", "text"])
    for claim in keep:
        claim.check_span()
    Claim.objects.bulk_update(keep, ["start", "end", "kind", "checkworthy", "rule", "score"])
    Claim.objects.bulk_create(create)
    total = len(keep) + len(create)
    return ImportResult(
        document,
        "updated",
        answers=len(parsed),
        claims=total,
        checkworthy=sum(c.checkworthy for c in keep + create),
        kept=len(keep),
        dropped=len(drop),
    )
