import os
import time
import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


def uuid7():
    """A version 7 UUID (RFC 9562): 48 bits of Unix time in milliseconds, then 74 random bits.

    Claims are named by UUID in their public addresses, and the unique index on it grows with
    every import. Random (version 4) UUIDs land anywhere in that index, so each import of
    about 160 claims rewrote as many scattered index pages, a cost that grew with the corpus:
    on SQLite, over the last hundred of 1,000 documents, inserting a document's claims and
    committing took 5.7 ms with version 4 and 4.2 ms with these, which land at the index's
    end (4.1 and 3.7 ms over the first hundred). The time they carry is the claim's creation
    time, which its public page shows anyway. Python 3.14's uuid.uuid7() makes the same kind
    of value.
    """
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")  # 80 bits, of which 12 become rand_a and 62 rand_b
    return uuid.UUID(
        int=ms << 80 | 0x7 << 76 | (rand >> 68) << 64 | 0b10 << 62 | rand & (1 << 62) - 1
    )


def choices_constraint(field, choices, name):
    """A named CHECK constraint that keeps a choices field honest in the database too.

    Written as `field = a OR field = b OR ...`, not `field IN (a, b, ...)`, which means the
    same. SQLite checks an IN list of three or more values through a temporary B-tree of the
    values. Into a table with the links' columns and checks, that cost 57,300 instructions a
    row against 26,500 with one statement per row, and 30,600 against 21,400 in statements of
    76 rows (claims.rows)."""
    return models.CheckConstraint(
        condition=Q(*((field, value) for value in choices.values), _connector=Q.OR), name=name
    )


class ClaimRuleError(Exception):
    """A change the rules refuse. The message says what is wrong, for a person to read."""


class StaleVersion(ClaimRuleError):
    """The claim changed after the reviewer loaded it."""

    def __init__(self, claim, last_change):
        self.claim = claim
        self.last_change = last_change
        if last_change is not None:
            who = last_change.by.get_username() if last_change.by else "someone"
            when = timezone.localtime(last_change.created).strftime("%Y-%m-%d %H:%M %Z")
            message = f"{who} changed this claim at {when}"
        else:
            message = "this claim was changed by someone else"
        super().__init__(
            f"{message} (now version {claim.version}, status {claim.get_status_display()}); "
            "reload it and try again"
        )


class Document(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    source_url = models.URLField(max_length=1000, blank=True)
    retrieved_on = models.DateField(null=True, blank=True)
    generated_by = models.CharField(
        max_length=200, blank=True, help_text="The site or model that wrote the text."
    )
    raw_text = models.TextField()
    content_hash = models.CharField(max_length=64)
    place = models.CharField(
        max_length=100, blank=True, help_text="The jurisdiction the document is about, if named."
    )
    # Bumped by any change a public page shows (claims/cache.py); public pages are cached and
    # revalidated under it.
    cache_version = models.PositiveIntegerField(default=1, editable=False)
    changed_at = models.DateTimeField(default=timezone.now, editable=False)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("document", args=[self.slug])


class Answer(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="answers")
    number = models.PositiveIntegerField()
    question = models.TextField()
    text = models.TextField(help_text="The answer body exactly as imported, inner lists included.")
    current = models.BooleanField(
        default=True, help_text="False once a re-import dropped this question; kept for its claims."
    )

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="answer_unique_number"),
        ]

    def __str__(self):
        return f"{self.document.slug} #{self.number}"

    def paragraphs(self, claims):
        """The answer split into lines, each a list of (text, claim or None) pieces.

        Claims never cross a line break (the extractor works within a line), so each claim
        lands in exactly one paragraph. `claims` must be this answer's claims.
        """
        by_start = sorted(claims, key=lambda c: (c.start, -c.end))
        result = []
        offset = 0
        for line in self.text.split("\n"):
            line_end = offset + len(line)
            pieces, cursor = [], offset
            for claim in by_start:
                if claim.start < cursor or claim.end > line_end:
                    continue  # another line, or overlapping a claim already shown
                if claim.start > cursor:
                    pieces.append((self.text[cursor : claim.start], None))
                pieces.append((claim.quote, claim))
                cursor = claim.end
            if cursor < line_end:
                pieces.append((self.text[cursor:line_end], None))
            if pieces:
                result.append(pieces)
            offset = line_end + 1
        return result


class ClaimKind(models.TextChoices):
    FACT = "fact", "Fact"
    ADVICE = "advice", "Advice"
    HEDGE = "hedge", "Hedge"
    OPINION = "opinion", "Opinion"
    PREDICTION = "prediction", "Prediction"
    META = "meta", "Meta"


class ClaimStatus(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    IN_REVIEW = "in_review", "In review"
    SUPPORTED = "supported", "Supported"
    PARTLY_SUPPORTED = "partly_supported", "Partly supported"
    REFUTED = "refuted", "Refuted"
    UNSUPPORTED = "unsupported", "No evidence found"
    OUTDATED = "outdated", "Outdated"


VERDICTS = (
    ClaimStatus.SUPPORTED,
    ClaimStatus.PARTLY_SUPPORTED,
    ClaimStatus.REFUTED,
    ClaimStatus.UNSUPPORTED,
    ClaimStatus.OUTDATED,
)
# What each verdict needs besides a note: a citation with one of these stances.
EVIDENCE = {
    ClaimStatus.SUPPORTED: ({"supports"}, "a citation that supports the claim"),
    ClaimStatus.REFUTED: ({"refutes"}, "a citation that refutes the claim"),
    ClaimStatus.PARTLY_SUPPORTED: (
        {"supports", "refutes"},
        "a citation that supports or refutes the claim",
    ),
}
NOTE_NEEDED = {
    ClaimStatus.UNSUPPORTED: "a note saying where you looked",
    ClaimStatus.OUTDATED: "a note saying what changed",
}


class ClaimQuerySet(models.QuerySet):
    def live(self):
        """Claims anchored in their document's current text: not orphaned, not merged away."""
        return self.filter(orphaned=False, merged_into__isnull=True)


class Claim(models.Model):
    Kind = ClaimKind
    Status = ClaimStatus

    uuid = models.UUIDField(default=uuid7, unique=True, editable=False)
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="claims")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    text = models.TextField(help_text="The claim as a standalone statement.")
    checkworthy = models.BooleanField(default=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FACT)
    rule = models.CharField(
        max_length=80, blank=True, help_text="Why the extractor chose this kind."
    )
    score = models.FloatField(default=0.0, help_text="Check-worthiness, 0 to 1.")
    unresolved = models.CharField(
        max_length=300, blank=True, help_text="References the standalone text could not resolve."
    )
    orphaned = models.BooleanField(
        default=False, help_text="Its words left the document; kept with its review history."
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_claims",
        help_text="Set when a reviewer merged this claim into another; it keeps its history.",
        # Indexed only where set (claim_merged_into_idx): a plain index also covers the NULLs,
        # and SQLite then picks it for live() and reads every claim of every document.
        db_index=False,
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNVERIFIED)
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["answer", "start"]
        permissions = [("review_claim", "Can review claims (status, citations, notes, flags)")]
        constraints = [
            choices_constraint("kind", ClaimKind, "claim_kind_valid"),
            choices_constraint("status", ClaimStatus, "claim_status_valid"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="claim_span_not_empty"),
        ]
        indexes = [
            # The public list and the review queue filter on status.
            models.Index(fields=["status"], name="claim_status_idx"),
            # The review queue's first tab: check-worthy claims still unverified.
            models.Index(fields=["checkworthy", "status"], name="claim_checkworthy_status_idx"),
            # The list's kind filter.
            models.Index(fields=["kind"], name="claim_kind_idx"),
            # The list's "sort by updated" and the queue's recent changes.
            models.Index(fields=["updated"], name="claim_updated_idx"),
            # The list's "sort by score".
            models.Index(fields=["score"], name="claim_score_idx"),
            # The claims merged into a claim (its page, and deleting it).
            models.Index(
                fields=["merged_into"],
                condition=Q(merged_into__isnull=False),
                name="claim_merged_into_idx",
            ),
            # The full-text index (claim_search_document_idx, on a stored column) and the
            # word list for near matches (claims_searchword) exist on PostgreSQL only:
            # migrations 0008, 0016.
        ]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        # An integrity check, not business logic: a claim that does not slice its answer
        # exactly would be shown in the wrong place, so it never reaches the database.
        self.check_span()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("claim", args=[self.uuid])

    def check_span(self):
        """The anchoring invariant: the quote is exactly the answer's characters start:end.

        An orphaned claim's words are gone from the text, so it has no anchor to check."""
        if not self.orphaned and self.answer.text[self.start : self.end] != self.quote:
            raise ValueError(
                f"claim span {self.start}-{self.end} does not match its quote in answer "
                f"{self.answer.number}"
            )

    def set_status(self, new_status, *, by, note="", version=None):
        """The only way a status changes: locked re-read, version check first, then the rules,
        then the audit row and the version bump, all in one transaction."""
        with transaction.atomic():
            current = self._locked(version)
            if new_status not in Claim.Status.values:
                raise ClaimRuleError(f"unknown status {new_status!r}")
            if new_status == current.status:
                raise ClaimRuleError(f"the claim is already {current.get_status_display()}")
            current._check_verdict(new_status, note)
            change = StatusChange.objects.create(
                claim=current, old_status=current.status, new_status=new_status, by=by, note=note
            )
            current.status = new_status
            current.version += 1
            current.save(update_fields=["status", "version", "updated"])
        self._refresh_from(current)
        return change

    def _locked(self, version):
        """This claim re-read under a row lock; StaleVersion if `version` is not current."""
        current = Claim.objects.select_for_update().select_related("answer").get(pk=self.pk)
        if version is not None and str(version).strip() != str(current.version):
            raise StaleVersion(current, current.status_changes.order_by("-created", "-id").first())
        return current

    def _refresh_from(self, current):
        for field in ("status", "version", "updated", "start", "end", "quote", "text"):
            setattr(self, field, getattr(current, field))
        self.checkworthy, self.merged_into_id = current.checkworthy, current.merged_into_id

    def _check_verdict(self, new_status, note):
        status = Claim.Status(new_status)
        if status not in VERDICTS:
            return
        if not note.strip():
            needed = NOTE_NEEDED.get(status, "a note explaining the verdict")
            raise ClaimRuleError(f"{status.label} needs {needed}")
        if status in EVIDENCE:
            stances, wording = EVIDENCE[status]
            if not self.citations.filter(stance__in=stances).exists():
                raise ClaimRuleError(f"{status.label} needs {wording}; add one first")
        if status == Claim.Status.SUPPORTED:
            other = self._supported_contradiction()
            if other is not None:
                raise ClaimRuleError(
                    f"this claim cannot be Supported while a confirmed contradiction links it to "
                    f"“{other.text}”, which is Supported; reject that link first, with a note"
                )

    def _supported_contradiction(self):
        """A Supported claim joined to this one by a confirmed contradiction, locked, or None.

        Both sides are locked in id order, so two reviewers supporting the two sides at once
        queue behind each other instead of both succeeding."""
        links = ClaimLink.objects.filter(
            Q(source_claim=self) | Q(target_claim=self),
            relation=ClaimLink.Relation.CONTRADICTS,
            state=ClaimLink.State.CONFIRMED,
        ).values_list("source_claim", "target_claim")
        others = {pk for pair in links for pk in pair} - {self.pk}
        if not others:
            return None
        locked = Claim.objects.select_for_update().filter(pk__in=others).order_by("pk")
        return next((c for c in locked if c.status == Claim.Status.SUPPORTED), None)

    def _log(self, by, note):
        """A history row for a change that is not a status change (an edit, split or merge)."""
        return StatusChange.objects.create(
            claim=self, old_status=self.status, new_status=self.status, by=by, note=note
        )

    def edit(self, *, by, version, start=None, end=None, text=None):
        """Change the claim's span (offsets into its answer) or its standalone text."""
        with transaction.atomic():
            current = self._locked(version)
            start = current.start if start is None else int(start)
            end = current.end if end is None else int(end)
            text = current.text if text is None else text.strip()
            answer_text = current.answer.text
            if not 0 <= start < end <= len(answer_text):
                raise ClaimRuleError(
                    f"the span must lie inside the answer (0 to {len(answer_text)}) "
                    "and not be empty"
                )
            if not text:
                raise ClaimRuleError("the claim's text cannot be empty")
            if (start, end, text) == (current.start, current.end, current.text):
                raise ClaimRuleError("nothing changed")
            changes = []
            if (start, end) != (current.start, current.end):
                changes.append(f"span {current.start}–{current.end} → {start}–{end}")
            if text != current.text:
                changes.append(f"text was “{current.text}”")
            current.start, current.end, current.quote = start, end, answer_text[start:end]
            current.text = text
            current.version += 1
            current.save(update_fields=["start", "end", "quote", "text", "version", "updated"])
            current._log(by, "edited: " + "; ".join(changes))
        self._refresh_from(current)

    def split(self, *, by, version, at):
        """Cut the claim in two at offset `at` of its answer. This claim keeps the first part
        (and its id, status and history); the second part becomes a new, unverified claim."""
        with transaction.atomic():
            current = self._locked(version)
            at = int(at)
            text = current.answer.text
            first_end = len(text[current.start : at].rstrip()) + current.start
            second_start = at + len(text[at : current.end]) - len(text[at : current.end].lstrip())
            if not (current.start < first_end and second_start < current.end):
                raise ClaimRuleError(
                    f"split inside the claim: between {current.start + 1} and {current.end - 1}, "
                    "with words on both sides"
                )
            second = Claim(
                answer=current.answer,
                start=second_start,
                end=current.end,
                quote=text[second_start : current.end],
                text=text[second_start : current.end],
                kind=current.kind,
                checkworthy=current.checkworthy,
                rule="reviewer:split",
                score=current.score,
            )
            second.save()
            current.end, current.quote = first_end, text[current.start : first_end]
            current.text = current.quote
            current.version += 1
            current.save(update_fields=["end", "quote", "text", "version", "updated"])
            current._log(by, f"split: the rest became claim {second.uuid}")
            second._log(by, f"split off claim {current.uuid}")
        self._refresh_from(current)
        return second

    def merge(self, other, *, by, version):
        """Absorb `other` (a claim of the same answer): this claim's span grows to cover both;
        `other` is retired, pointing here, with its own history and evidence kept."""
        with transaction.atomic():
            current = self._locked(version)
            other = Claim.objects.select_for_update().get(pk=other.pk)
            if other.pk == current.pk:
                raise ClaimRuleError("a claim cannot be merged with itself")
            if other.answer_id != current.answer_id or other.merged_into_id or other.orphaned:
                raise ClaimRuleError("only two current claims of the same answer can be merged")
            start, end = min(current.start, other.start), max(current.end, other.end)
            current.start, current.end = start, end
            current.quote = current.answer.text[start:end]
            current.text = current.quote
            current.version += 1
            current.save(update_fields=["start", "end", "quote", "text", "version", "updated"])
            other.merged_into = current
            other.version += 1
            other.save(update_fields=["merged_into", "version", "updated"])
            current._log(by, f"merged with claim {other.uuid}")
            other._log(by, f"merged into claim {current.uuid}")
        self._refresh_from(current)

    def mark_not_claim(self, *, by, version=None):
        """A reviewer's call that this is advice, framing or otherwise nothing to verify."""
        with transaction.atomic():
            current = self._locked(version)
            if not current.checkworthy:
                raise ClaimRuleError("this is already marked as not a claim")
            current.checkworthy = False
            current.version += 1
            current.save(update_fields=["checkworthy", "version", "updated"])
            current._log(by, "marked as not a claim")
        self._refresh_from(current)


class ClaimLinkRelation(models.TextChoices):
    CONTRADICTS = "contradicts", "Contradicts"
    SAME_AS = "same_as", "Same as"


class ClaimLinkOrigin(models.TextChoices):
    DETECTED = "detected", "Detected"
    REVIEWER = "reviewer", "Reviewer"


class ClaimLinkState(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


# A claim's document, copied onto rows written by the thousand during an import (links and
# blocking keys) so they can be found by document without joins. The copy needs no foreign
# key in the database: the row's claim key already holds it to an existing document, and
# Django still deletes the rows with their document (on_delete runs in Python). PostgreSQL
# checked those keys one row at a time at each import's commit: about 1.5 ms of a
# document's 50-60 ms once link blocks are full (commit 5.5 ms a document with them, 4
# without).
COPIED_DOCUMENT = {"on_delete": models.CASCADE, "editable": False, "db_constraint": False}


class ClaimLink(models.Model):
    Relation = ClaimLinkRelation
    Origin = ClaimLinkOrigin
    State = ClaimLinkState

    # No index of its own: claimlink_unique_pair starts with it. Every detected link is a row
    # written during an import, and each index is one more entry to write for it.
    source_claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="links_out", db_index=False
    )
    target_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_in")
    # The two claims' documents, copied here so "the links touching a document" is two
    # indexed lookups rather than an OR across joins through claims and answers. A claim
    # never changes document, so the copies cannot go stale; save() fills them in.
    # No database constraint on the copies (COPIED_DOCUMENT): the claims' own keys already
    # hold them to existing documents, and deleting a document still deletes its links.
    source_document = models.ForeignKey(Document, related_name="+", **COPIED_DOCUMENT)
    target_document = models.ForeignKey(Document, related_name="+", **COPIED_DOCUMENT)
    relation = models.CharField(max_length=20, choices=Relation.choices)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.DETECTED)
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUGGESTED)
    score = models.FloatField(default=0.0)
    rule = models.CharField(max_length=80, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    note = models.TextField(blank=True, help_text="Why a reviewer confirmed or rejected it.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # Indexed only where set (claimlink_decided_by_idx): detected links have no decider.
        db_index=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            choices_constraint("relation", ClaimLinkRelation, "claimlink_relation_valid"),
            choices_constraint("origin", ClaimLinkOrigin, "claimlink_origin_valid"),
            choices_constraint("state", ClaimLinkState, "claimlink_state_valid"),
            # Storing each pair with the smaller id first makes "one link per unordered pair
            # and relation" a plain unique constraint.
            models.CheckConstraint(
                condition=Q(source_claim__lt=F("target_claim")), name="claimlink_ordered_pair"
            ),
            models.UniqueConstraint(
                fields=["source_claim", "target_claim", "relation"], name="claimlink_unique_pair"
            ),
        ]
        indexes = [
            # /contradictions/: contradictions, strongest first, a page at a time. Only
            # contradictions: the page never reads same_as links, about half of all links, and
            # each entry of this index lands beside the others of its score, a page of its own
            # for nearly every score an import writes.
            models.Index(
                fields=["-score", "id"],
                condition=Q(relation=ClaimLinkRelation.CONTRADICTS),
                name="claimlink_contra_score_idx",
            ),
            # The links a user decided (deleting the user sets them to NULL).
            models.Index(
                fields=["decided_by"],
                condition=Q(decided_by__isnull=False),
                name="claimlink_decided_by_idx",
            ),
        ]

    def __str__(self):
        return f"{self.source_claim_id} {self.relation} {self.target_claim_id}"

    def save(self, *args, **kwargs):
        if self.source_document_id is None or self.target_document_id is None:
            document_of = dict(
                Claim.objects.filter(
                    pk__in=[self.source_claim_id, self.target_claim_id]
                ).values_list("pk", "answer__document")
            )
            self.source_document_id = document_of.get(self.source_claim_id)
            self.target_document_id = document_of.get(self.target_claim_id)
        super().save(*args, **kwargs)

    @classmethod
    def open_contradictions(cls):
        """Contradictions nobody has rejected: suggested or confirmed. The document page's
        plain-SQL read (views.DOCUMENT_PAGE_SQL["contested"]) states the same rule."""
        return cls.objects.filter(relation=cls.Relation.CONTRADICTS).exclude(
            state=cls.State.REJECTED
        )

    @classmethod
    def touching(cls, document):
        """The links with a claim of this document at either end."""
        return cls.objects.filter(Q(source_document=document) | Q(target_document=document))

    def confirm(self, *, by, note=""):
        return self._decide(ClaimLink.State.CONFIRMED, by=by, note=note)

    def reject(self, *, by, note):
        if not note.strip():
            raise ClaimRuleError("rejecting a link needs a note saying why")
        return self._decide(ClaimLink.State.REJECTED, by=by, note=note)

    def _decide(self, state, *, by, note):
        with transaction.atomic():
            link = ClaimLink.objects.select_for_update().get(pk=self.pk)
            if link.state == state:
                raise ClaimRuleError(f"the link is already {link.get_state_display().lower()}")
            if (
                state == ClaimLink.State.CONFIRMED
                and link.relation == ClaimLink.Relation.CONTRADICTS
            ):
                pair = Claim.objects.select_for_update().filter(
                    pk__in=[link.source_claim_id, link.target_claim_id]
                )
                if all(c.status == Claim.Status.SUPPORTED for c in pair.order_by("pk")):
                    raise ClaimRuleError(
                        "both claims are Supported, and two contradicting claims cannot both "
                        "hold; change one of them first"
                    )
            link.state, link.note, link.decided_by = state, note, by
            link.decided_at = timezone.now()
            link.save(update_fields=["state", "note", "decided_by", "decided_at"])
        self.state, self.note, self.decided_by, self.decided_at = (
            link.state,
            link.note,
            link.decided_by,
            link.decided_at,
        )
        return self

    @classmethod
    def between(cls, a, b, relation, **fields):
        """Create or fetch the link for an unordered pair of claims."""
        if a.pk == b.pk:
            raise ClaimRuleError("a claim cannot be linked to itself")
        first, second = sorted((a, b), key=lambda c: c.pk)
        return cls.objects.get_or_create(
            source_claim=first, target_claim=second, relation=relation, defaults=fields
        )


class SourceKind(models.TextChoices):
    STATUTE = "statute", "Statute"
    BILL = "bill", "Bill"
    REGULATION = "regulation", "Regulation"
    COURT_RECORD = "court_record", "Court record"
    GOVERNMENT_PAGE = "government_page", "Government page"
    NEWS = "news", "News"
    REPORT = "report", "Report"
    DATASET = "dataset", "Dataset"
    OTHER = "other", "Other"


class ClaimKey(models.Model):
    """Blocking keys of a claim for link detection ("policy|Oklahoma", "bill:HB 2218"). A new
    document's claims are compared only with claims that share one of their keys."""

    # No index of its own: claimkey_unique starts with it.
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="keys", db_index=False)
    # The claim's document, copied here so that a re-import drops the document's old keys with
    # one indexed lookup by document. By a list of claim ids instead, PostgreSQL without
    # statistics for rows just imported guesses that the list matches half the table and
    # reads all of it, once per import. A claim never changes document, so the copy cannot
    # go stale.
    document = models.ForeignKey(Document, related_name="+", **COPIED_DOCUMENT)
    key = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "key"], name="claimkey_unique"),
        ]
        indexes = [
            # Candidate lookup: the latest claims sharing one of a document's keys.
            models.Index(fields=["key", "claim"], name="claimkey_key_claim_idx"),
        ]

    def __str__(self):
        return self.key


class Source(models.Model):
    Kind = SourceKind

    title = models.CharField(max_length=400)
    url = models.URLField(max_length=1000)
    publisher = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    published_on = models.DateField(null=True, blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    archive_url = models.URLField(max_length=1000, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [choices_constraint("kind", SourceKind, "source_kind_valid")]

    def __str__(self):
        return self.title


class CitationStance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Context"


class Citation(models.Model):
    Stance = CitationStance

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    stance = models.CharField(max_length=20, choices=Stance.choices)
    quote = models.TextField(blank=True, help_text="The passage of the source that bears on it.")
    locator = models.CharField(max_length=200, blank=True, help_text="Section, page or §.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created", "id"]
        constraints = [choices_constraint("stance", CitationStance, "citation_stance_valid")]

    def __str__(self):
        return f"{self.source} {self.stance} claim {self.claim_id}"


class StatusChange(models.Model):
    """The append-only audit of status changes. Nothing updates or deletes a row."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="status_changes")
    old_status = models.CharField(max_length=20, choices=Claim.Status.choices)
    new_status = models.CharField(max_length=20, choices=Claim.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            choices_constraint("old_status", ClaimStatus, "statuschange_old_status_valid"),
            choices_constraint("new_status", ClaimStatus, "statuschange_new_status_valid"),
        ]
        indexes = [
            # The feed and the queue's "recently changed" tab: newest first.
            models.Index(fields=["-created"], name="statuschange_created_idx"),
        ]

    def __str__(self):
        return f"{self.old_status} → {self.new_status}"

    def save(self, *args, **kwargs):
        # Append-only: a row is written once and never rewritten.
        if self.pk is not None:
            raise ClaimRuleError("the history is permanent: a change cannot be edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ClaimRuleError("the history is permanent: a change cannot be deleted")


class Note(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    body = models.TextField()
    public = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return self.body[:80]


class FlagReason(models.TextChoices):
    NEEDS_SOURCE = "needs_source", "Needs a source"
    POSSIBLY_FALSE = "possibly_false", "Possibly false"
    CONTRADICTION = "contradiction", "Contradiction"
    EXTRACTION_ERROR = "extraction_error", "Extraction error"
    OTHER = "other", "Other"


class Flag(models.Model):
    Reason = FlagReason

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="flags")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="flags_raised",
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    comment = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="flags_resolved",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [choices_constraint("reason", FlagReason, "flag_reason_valid")]
        indexes = [
            # The queue's open flags, oldest first.
            models.Index(fields=["resolved_at", "created"], name="flag_open_idx"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} on claim {self.claim_id}"

    @property
    def is_open(self):
        return self.resolved_at is None

    def resolve(self, *, by, resolution):
        if not resolution.strip():
            raise ClaimRuleError("resolving a flag needs a resolution note")
        with transaction.atomic():
            flag = Flag.objects.select_for_update().get(pk=self.pk)
            if not flag.is_open:
                raise ClaimRuleError("this flag is already resolved")
            flag.resolved_by, flag.resolved_at, flag.resolution = by, timezone.now(), resolution
            flag.save(update_fields=["resolved_by", "resolved_at", "resolution"])
        self.resolved_by, self.resolved_at, self.resolution = (
            flag.resolved_by,
            flag.resolved_at,
            flag.resolution,
        )
        return self
