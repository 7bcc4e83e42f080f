import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


def choices_constraint(field, choices, name):
    """A named CHECK constraint that keeps a choices field honest in the database too."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


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


class Claim(models.Model):
    Kind = ClaimKind
    Status = ClaimStatus

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
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
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNVERIFIED)
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

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
        """The only way a status changes: locked re-read, version check, audit row, bump."""
        if new_status not in Claim.Status.values:
            raise ClaimRuleError(f"unknown status {new_status!r}")
        with transaction.atomic():
            current = Claim.objects.select_for_update().get(pk=self.pk)
            if version is not None and int(version) != current.version:
                raise StaleVersion(current, current.status_changes.order_by("-created").first())
            if new_status == current.status:
                raise ClaimRuleError(f"the claim is already {current.get_status_display()}")
            change = StatusChange.objects.create(
                claim=current,
                old_status=current.status,
                new_status=new_status,
                by=by,
                note=note,
            )
            current.status = new_status
            current.version += 1
            current.save(update_fields=["status", "version", "updated"])
        self.status, self.version, self.updated = current.status, current.version, current.updated
        return change


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


class ClaimLink(models.Model):
    Relation = ClaimLinkRelation
    Origin = ClaimLinkOrigin
    State = ClaimLinkState

    source_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_out")
    target_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.DETECTED)
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUGGESTED)
    score = models.FloatField(default=0.0)
    rule = models.CharField(max_length=80, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

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

    def __str__(self):
        return f"{self.source_claim_id} {self.relation} {self.target_claim_id}"

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

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "key"], name="claimkey_unique"),
        ]
        indexes = [
            # Candidate lookup: other claims sharing any of a document's keys.
            models.Index(fields=["key"], name="claimkey_key_idx"),
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

    def __str__(self):
        return f"{self.old_status} → {self.new_status}"


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

    def __str__(self):
        return f"{self.get_reason_display()} on claim {self.claim_id}"
