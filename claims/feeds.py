"""The Atom feed of status changes, and the sitemap."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Claim, Document, StatusChange


class StatusChanges(Feed):
    feed_type = Atom1Feed
    title = "Claim Tracker: status changes"
    subtitle = "Every change of a claim's verification status, newest first."

    def link(self):
        return reverse("home")

    def author_name(self):
        return settings.CLAIMS_ORGANIZATION

    def items(self):
        return StatusChange.objects.select_related("claim").order_by("-created", "-id")[:50]

    def item_title(self, change):
        return f"{change.get_new_status_display()}: {change.claim.text}"

    def item_description(self, change):
        return (
            f"{change.get_old_status_display()} → {change.get_new_status_display()}. "
            f"{change.claim.text}"
        )

    def item_link(self, change):
        return change.claim.get_absolute_url()

    def item_guid(self, change):
        return f"status-change-{change.pk}"

    item_guid_is_permalink = False

    def item_updateddate(self, change):
        return change.created

    def item_pubdate(self, change):
        return change.created


class DocumentSitemap(Sitemap):
    def items(self):
        return Document.objects.order_by("slug")

    def lastmod(self, document):
        return document.imported_at


class ClaimSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Claim.objects.live().filter(checkworthy=True).order_by("id")

    def lastmod(self, claim):
        return claim.updated


SITEMAPS = {"documents": DocumentSitemap, "claims": ClaimSitemap}
