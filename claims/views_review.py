"""The reviewer screens: the queue and the claim review page, with one POST view per action.

Every view checks the permission itself (a template only hides buttons). Each write calls one
model method, which holds the rules; a broken rule comes back as a message on the page, with
what the reviewer typed kept in the form.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from .forms import (
    BulkForm,
    CitationForm,
    EditForm,
    FlagForm,
    LinkDecisionForm,
    MergeForm,
    NoteForm,
    ResolveForm,
    SplitForm,
    StatusForm,
    VersionForm,
)
from .models import Citation, Claim, ClaimLink, ClaimRuleError, Flag, StaleVersion, StatusChange

PERMISSION = "claims.review_claim"
TABS = [
    ("unverified", "Unverified"),
    ("flags", "Open flags"),
    ("links", "Suggested contradictions"),
    ("recent", "Recently changed"),
]


def reviewer_required(view):
    """Reviewers only. Anonymous readers are sent to sign in (GET) or refused (POST)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and request.method in ("GET", "HEAD"):
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied("Only reviewers may do this.")
        return view(request, *args, **kwargs)

    return wrapped


@require_safe
@reviewer_required
def queue(request):
    tab = request.GET.get("tab", "unverified")
    if tab not in dict(TABS):
        tab = "unverified"
    document = request.GET.get("document", "")
    in_document = Q(answer__document__slug=document) if document else Q()
    if tab == "flags":
        items = (
            Flag.objects.filter(resolved_at__isnull=True)
            .filter(Q(claim__answer__document__slug=document) if document else Q())
            .select_related("claim__answer__document", "raised_by")
            .order_by("created", "id")
        )
    elif tab == "links":
        items = (
            ClaimLink.objects.filter(
                relation=ClaimLink.Relation.CONTRADICTS, state=ClaimLink.State.SUGGESTED
            )
            .filter(
                Q(source_claim__answer__document__slug=document)
                | Q(target_claim__answer__document__slug=document)
                if document
                else Q()
            )
            .select_related("source_claim__answer__document", "target_claim__answer__document")
            .order_by("-score", "id")
        )
    elif tab == "recent":
        items = (
            StatusChange.objects.filter(
                Q(claim__answer__document__slug=document) if document else Q()
            )
            .select_related("claim__answer__document", "by")
            .order_by("-created", "-id")
        )
    else:
        items = (
            Claim.objects.live()
            .filter(in_document, checkworthy=True, status=Claim.Status.UNVERIFIED)
            .select_related("answer__document")
            .order_by("answer__document__title", "answer__number", "start")
        )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    context = {"tab": tab, "tabs": TABS, "page": page, "document": document, "bulk": BulkForm()}
    return render(request, "claims/review/queue.html", context)


@require_POST
@reviewer_required
def bulk(request):
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an action and at least one claim.")
        return redirect("review-queue")
    done, refused = 0, []
    for claim in form.cleaned_data["claims"]:
        try:
            if form.cleaned_data["action"] == "in_review":
                claim.set_status(Claim.Status.IN_REVIEW, by=request.user, note="bulk action")
            else:
                claim.mark_not_claim(by=request.user)
            done += 1
        except ClaimRuleError as exc:
            refused.append(f"“{claim.text[:60]}”: {exc}")
    messages.success(request, f"{done} claim{'s' if done != 1 else ''} updated.")
    for line in refused:
        messages.warning(request, line)
    return redirect("review-queue")


def _claim(uuid):
    return get_object_or_404(Claim.objects.select_related("answer__document"), uuid=uuid)


def _page(request, claim, status=200, **forms):
    """The claim review page, with any bound forms passed in kept as the reviewer typed them."""
    claim = get_object_or_404(
        Claim.objects.select_related("answer__document", "merged_into").prefetch_related(
            Prefetch("citations", queryset=Citation.objects.select_related("source", "added_by")),
            "notes__author",
            Prefetch("flags", queryset=Flag.objects.select_related("raised_by", "resolved_by")),
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("by")),
        ),
        pk=claim.pk,
    )
    links = ClaimLink.objects.filter(Q(source_claim=claim) | Q(target_claim=claim)).select_related(
        "source_claim", "target_claim", "decided_by"
    )
    source_query = request.GET.get("source_q", "")
    initial = {"version": claim.version}
    context = {
        "claim": claim,
        "document": claim.answer.document,
        "paragraph": next(
            (p for p in claim.answer.paragraphs([claim]) if any(c == claim for _, c in p)), []
        ),
        "linked": [
            (link, link.target_claim if link.source_claim_id == claim.id else link.source_claim)
            for link in links
        ],
        "source_query": source_query,
        "status_form": forms.get("status_form")
        or StatusForm(initial={**initial, "status": claim.status}),
        "citation_form": forms.get("citation_form") or CitationForm(source_query=source_query),
        "note_form": forms.get("note_form") or NoteForm(),
        "flag_form": forms.get("flag_form") or FlagForm(),
        "resolve_form": ResolveForm(),
        "link_form": LinkDecisionForm(),
        "edit_form": forms.get("edit_form")
        or EditForm(
            initial={**initial, "start": claim.start, "end": claim.end, "text": claim.text}
        ),
        "split_form": forms.get("split_form") or SplitForm(initial=initial),
        "merge_form": forms.get("merge_form") or MergeForm(initial=initial),
        "version_form": VersionForm(initial=initial),
        "error": forms.get("error"),
    }
    return render(request, "claims/review/claim.html", context, status=status)


def _done(request, claim, message):
    messages.success(request, message)
    return redirect(reverse("review-claim", args=[claim.uuid]))


@require_safe
@reviewer_required
def review_claim(request, uuid):
    return _page(request, _claim(uuid))


@require_POST
@reviewer_required
def change_status(request, uuid):
    claim = _claim(uuid)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _page(request, claim, 400, status_form=form)
    data = form.cleaned_data
    try:
        claim.set_status(
            data["status"], by=request.user, note=data["note"], version=data["version"]
        )
    except StaleVersion as exc:
        return _page(request, claim, 409, status_form=form, error=str(exc))
    except ClaimRuleError as exc:
        return _page(request, claim, 400, status_form=form, error=str(exc))
    return _done(request, claim, f"Status set to {claim.get_status_display()}.")


def _attach(request, uuid, form_class, form_name, owner, message):
    """Save a citation, note or flag for the claim, by the signed-in reviewer."""
    claim = _claim(uuid)
    form = form_class(request.POST)
    if not form.is_valid():
        return _page(request, claim, 400, **{form_name: form})
    item = form.save(commit=False)
    item.claim = claim
    setattr(item, owner, request.user)
    item.save()
    return _done(request, claim, message(item))


@require_POST
@reviewer_required
def add_citation(request, uuid):
    return _attach(
        request,
        uuid,
        CitationForm,
        "citation_form",
        "added_by",
        lambda c: f"Cited {c.source.title}.",
    )


@require_POST
@reviewer_required
def add_note(request, uuid):
    return _attach(request, uuid, NoteForm, "note_form", "author", lambda _: "Note added.")


@require_POST
@reviewer_required
def add_flag(request, uuid):
    return _attach(request, uuid, FlagForm, "flag_form", "raised_by", lambda _: "Flag raised.")


@require_POST
@reviewer_required
def resolve_flag(request, pk):
    flag = get_object_or_404(Flag.objects.select_related("claim"), pk=pk)
    form = ResolveForm(request.POST)
    try:
        if not form.is_valid():
            raise ClaimRuleError("resolving a flag needs a resolution note")
        flag.resolve(by=request.user, resolution=form.cleaned_data["resolution"])
    except ClaimRuleError as exc:
        return _page(request, flag.claim, 400, error=str(exc))
    return _done(request, flag.claim, "Flag resolved.")


@require_POST
@reviewer_required
def decide_link(request, pk, decision):
    link = get_object_or_404(ClaimLink.objects.select_related("source_claim"), pk=pk)
    back = Claim.objects.filter(uuid=request.POST.get("back")).first() or link.source_claim
    form = LinkDecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if decision == "confirm":
            link.confirm(by=request.user, note=note)
        else:
            link.reject(by=request.user, note=note)
    except ClaimRuleError as exc:
        return _page(request, back, 400, error=str(exc))
    return _done(request, back, f"Link {link.get_state_display().lower()}.")


@require_POST
@reviewer_required
def edit_claim(request, uuid):
    claim = _claim(uuid)
    form = EditForm(request.POST)
    if not form.is_valid():
        return _page(request, claim, 400, edit_form=form)
    data = form.cleaned_data
    return _change(
        request,
        claim,
        "edit_form",
        form,
        lambda: claim.edit(
            by=request.user,
            version=data["version"],
            start=data["start"],
            end=data["end"],
            text=data["text"],
        ),
        "Claim edited.",
    )


@require_POST
@reviewer_required
def split_claim(request, uuid):
    claim = _claim(uuid)
    form = SplitForm(request.POST)
    if not form.is_valid():
        return _page(request, claim, 400, split_form=form)
    data = form.cleaned_data
    return _change(
        request,
        claim,
        "split_form",
        form,
        lambda: claim.split(by=request.user, version=data["version"], at=data["at"]),
        "Claim split in two.",
    )


@require_POST
@reviewer_required
def merge_claim(request, uuid):
    claim = _claim(uuid)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _page(request, claim, 400, merge_form=form)
    other = Claim.objects.filter(uuid=form.cleaned_data["other"]).first()
    if other is None:
        return _page(request, claim, 400, merge_form=form, error="no claim has that id")
    return _change(
        request,
        claim,
        "merge_form",
        form,
        lambda: claim.merge(other, by=request.user, version=form.cleaned_data["version"]),
        "Claims merged.",
    )


@require_POST
@reviewer_required
def not_a_claim(request, uuid):
    claim = _claim(uuid)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    return _change(
        request,
        claim,
        "version_form",
        form,
        lambda: claim.mark_not_claim(by=request.user, version=version),
        "Marked as not a claim.",
    )


def _change(request, claim, form_name, form, action, message):
    try:
        with transaction.atomic():
            action()
    except StaleVersion as exc:
        return _page(request, claim, 409, error=str(exc), **{form_name: form})
    except ClaimRuleError as exc:
        return _page(request, claim, 400, error=str(exc), **{form_name: form})
    return _done(request, claim, message)
