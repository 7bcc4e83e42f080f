from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from .forms import ImportForm
from .models import Answer, Citation, Claim, ClaimLink, Document, Flag, Note, Source, StatusChange

# Addresses typed without a scheme are taken as https (Django 6's default, adopted now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "slug", "generated_by", "imported_at"]
    search_fields = ["title", "slug", "generated_by"]
    # The text is changed only by re-importing, so that claims stay anchored to it.
    readonly_fields = ["raw_text", "content_hash", "imported_at"]
    change_list_template = "admin/claims/document/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="claims_document_import",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        # A document is only ever created by importing its text.
        return redirect(reverse("admin:claims_document_import"))

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result = form.save()
            if result is not None:
                messages.success(request, result.summary())
                return redirect(reverse("admin:claims_document_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "Import an FAQ",
        }
        return TemplateResponse(request, "admin/claims/document/import.html", context)


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["document", "number", "question"]
    list_filter = ["document"]
    list_select_related = ["document"]
    search_fields = ["question", "text"]
    readonly_fields = ["document", "number", "question", "text"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["short_text", "answer", "kind", "checkworthy", "status", "version"]
    list_filter = ["status", "kind", "checkworthy", "answer__document"]
    list_select_related = ["answer__document"]
    search_fields = ["text", "quote", "uuid"]
    # Status changes go through Claim.set_status (the review screens), never a raw edit.
    readonly_fields = [
        "uuid",
        "answer",
        "start",
        "end",
        "quote",
        "status",
        "version",
        "rule",
        "score",
        "created",
        "updated",
    ]

    @admin.display(description="claim")
    def short_text(self, obj):
        return obj.text[:90]


@admin.register(ClaimLink)
class ClaimLinkAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "source_claim",
        "relation",
        "target_claim",
        "origin",
        "state",
        "score",
        "rule",
    ]
    list_filter = ["relation", "origin", "state"]
    list_select_related = ["source_claim", "target_claim"]
    raw_id_fields = ["source_claim", "target_claim"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "publisher", "kind", "published_on", "address", "archive"]
    list_filter = ["kind", "publisher"]
    search_fields = ["title", "url", "publisher", "notes"]

    @admin.display(description="address")
    def address(self, obj):
        return format_html('<a href="{}" rel="noopener">open</a>', obj.url)

    @admin.display(description="archived copy")
    def archive(self, obj):
        if not obj.archive_url:
            return "–"
        return format_html('<a href="{}" rel="noopener">archive</a>', obj.archive_url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The same address twice is usually a duplicate, but not always (one page, two
        # versions), so warn rather than refuse.
        twins = Source.objects.filter(url=obj.url).exclude(pk=obj.pk)
        if twins.exists():
            titles = "; ".join(twins.values_list("title", flat=True)[:3])
            messages.warning(request, f"Another source has the same address: {titles}")


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["claim", "source", "stance", "added_by", "created"]
    list_filter = ["stance"]
    list_select_related = ["claim", "source", "added_by"]
    raw_id_fields = ["claim"]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["claim", "author", "public", "created"]
    list_filter = ["public"]
    raw_id_fields = ["claim"]


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["claim", "reason", "raised_by", "created", "resolved_at"]
    list_filter = ["reason"]
    raw_id_fields = ["claim"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """The audit trail: visible to staff, changeable by nobody."""

    list_display = ["claim", "old_status", "new_status", "by", "created"]
    list_filter = ["new_status"]
    list_select_related = ["claim", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
