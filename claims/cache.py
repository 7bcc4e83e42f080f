"""Caching public pages under a per-document version.

Every change a public page of a document shows (a status, citation, note, flag, link, edit or
re-import) bumps the document's `cache_version`, so the next request already renders afresh.
Workers share no memory: each request reads the version from the database (one indexed read
by slug or uuid, in plain SQL), and the rendered page from the shared cache (local memory by
default, Redis when REDIS_URL is set). Anonymous readers also get an ETag and Last-Modified,
and a 304 when they already hold the current page.
"""

from datetime import UTC
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from .models import Citation, Claim, ClaimLink, Document, Flag, Note, StatusChange

TIMEOUT = 24 * 3600

# The version reads are the whole database cost of a cached page, and building them through
# the ORM took three times as long as running them (about 0.5 ms against 0.15 ms), so they
# are written out once here. Each is a lookup on a unique index.
DOCUMENT_STATE = "SELECT cache_version, changed_at FROM claims_document WHERE slug = %s"
# Nested lookups rather than a three-table join: PostgreSQL plans a join afresh on every
# request (weighing join orders), which cost it 0.29 ms per read against 0.11 ms for these.
# No such claim makes the inner lookups NULL, and the read returns no row.
CLAIM_STATE = (
    "SELECT cache_version, changed_at FROM claims_document WHERE id = ("
    "SELECT document_id FROM claims_answer WHERE id = ("
    "SELECT answer_id FROM claims_claim WHERE uuid = %s))"
)


def document_state(slug):
    """(cache_version, changed_at) of the document with this slug, or None."""
    return _state(DOCUMENT_STATE, slug)


def claim_state(uuid):
    """(cache_version, changed_at) of the document that holds this claim, or None."""
    # The column's own form: a UUID on PostgreSQL, 32 hex digits on SQLite.
    return _state(CLAIM_STATE, Claim._meta.get_field("uuid").get_db_prep_value(uuid, connection))


def _state(sql, param):
    with connection.cursor() as cursor:
        cursor.execute(sql, [param])
        row = cursor.fetchone()
    if row is None:
        return None
    version, changed_at = row
    return version, aware(changed_at)


def aware(value):
    """A time read in plain SQL, with its zone: SQLite hands back the stored UTC time without
    it, where the ORM would add it."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def bump(documents):
    """Mark documents (a queryset) changed."""
    documents.update(cache_version=F("cache_version") + 1, changed_at=timezone.now())


def _documents_of_claims(*claim_ids):
    return Document.objects.filter(answers__claims__in=claim_ids)


# Claims, answers and detected links change in bulk only through the importer, which bumps
# once at the end (claims.importer); the receivers below catch the reviewers' single saves.
# (A post_delete receiver on Claim or ClaimLink would make every bulk delete fetch and signal
# row by row.)


@receiver(post_save, sender=Claim)
def _claim_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(Document.objects.filter(answers=instance.answer_id))


@receiver([post_save, post_delete], sender=Citation)
@receiver([post_save, post_delete], sender=Note)
@receiver([post_save, post_delete], sender=Flag)
@receiver(post_save, sender=StatusChange)
def _claim_detail_changed(sender, instance, raw=False, **kwargs):
    # raw: loaddata is restoring rows, not changing what a page shows.
    if not raw:
        bump(_documents_of_claims(instance.claim_id))


@receiver(post_save, sender=ClaimLink)
def _link_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        bump(_documents_of_claims(instance.source_claim_id, instance.target_claim_id))


def serve(request, name, version, changed_at, render):
    """The response for a public page whose content depends only on `version`.

    `render()` builds the page when neither the reader nor the cache has the current one.
    Signed-in users get fresh pages: theirs show their name and forms."""
    if not settings.CLAIMS_PAGE_CACHE or _signed_in(request):
        return render()
    etag, last_modified, key = _validators(name, version, changed_at)
    # request.META, not request.headers: that builds a mapping of every header per request.
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match == etag or (if_none_match is None and _unchanged_since(request, changed_at)):
        response = HttpResponseNotModified()
    else:
        # Only the bytes and their type are kept: rebuilding a small HttpResponse is cheaper
        # than unpickling a rendered TemplateResponse on every hit.
        cached = cache.get(key)
        if cached is not None:
            response = HttpResponse(cached[0], content_type=cached[1])
        else:
            response = render()
            if response.status_code == 200:
                if hasattr(response, "render"):
                    response.render()
                cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    # What a reader is shown depends on the session cookie (a signed-in user's page is not
    # this one); SessionMiddleware says so only when the session was read.
    patch_vary_headers(response, ("Cookie",))
    return response


def _signed_in(request):
    # Pages know their users by the session alone: a request without its cookie is
    # anonymous, with no session to set up and read.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_authenticated


@lru_cache(maxsize=1024)
def _validators(name, version, changed_at):
    """(ETag, Last-Modified, cache key) of a page at a version: the same for every reader
    until the next change, so worked out once per worker (the date alone took longer than
    the cache lookup)."""
    # changed_at too: a database restored from a backup reuses version numbers for changes
    # that differ from the ones the lost database gave them.
    state = f"v{version}-{changed_at.timestamp():.6f}"
    return f'"{name}-{state}"', http_date(changed_at.timestamp()), f"page:{name}:{state}"


def _unchanged_since(request, changed_at):
    # HTTP dates have whole seconds; only a change strictly before that second is certainly
    # older, so two changes within one second never leave a reader with the first.
    header = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if not header:
        return False
    since = parse_http_date_safe(header)
    return since is not None and changed_at.timestamp() < since
