"""Caching public pages under a per-document version.

Every change a public page of a document shows (a status, citation, note, flag, link, edit or
re-import) bumps the document's `cache_version`, so the next request already renders afresh.
Workers share no memory: each request reads the version from the database (one indexed read
by slug or uuid, in plain SQL), and the rendered page from the shared cache (local memory by
default, Redis when REDIS_URL is set). Anonymous readers also get an ETag and Last-Modified,
and a 304 when they already hold the current page.

A reader's request (no session cookie) for a stored page is answered by `PageCacheMiddleware`,
before the session, CSRF, authentication, messages and header middleware run: the stored copy
carries the headers they added when it was rendered. Everything else reaches the view, whose
`serve()` renders, validates and hands the middleware a page to store.
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
from django.urls import Resolver404, resolve
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


# The public pages kept in the cache, by view name: how each is named in the cache, and how its
# version is read.
PAGES = {
    "document": lambda slug: (f"doc:{slug}", DOCUMENT_STATE, slug),
    # The column's own form: a UUID on PostgreSQL, 32 hex digits on SQLite.
    "claim": lambda uuid: (
        f"claim:{uuid}",
        CLAIM_STATE,
        Claim._meta.get_field("uuid").get_db_prep_value(uuid, connection),
    ),
}


def page_state(request, page, **kwargs):
    """(name, cache_version, changed_at) of public page `page` ("document", "claim") with
    these URL arguments, or None when it does not exist. Read once per request: the
    middleware's read serves the view."""
    known = getattr(request, "_page_state", None)
    if known is not None and known[0] == (page, kwargs):
        return known[1]
    name, sql, param = PAGES[page](**kwargs)
    state = _state(sql, param)
    result = None if state is None else (name, *state)
    request._page_state = ((page, kwargs), result)
    return result


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


class PageCacheMiddleware:
    """Answers a reader's request for a stored public page from the cache, with the headers
    the rest of the stack gave it, and stores the pages `serve()` marks.

    Placed before SessionMiddleware: a request that carries a session cookie may come from a
    signed-in user, whose pages are not these, so it goes on to the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._stored(request)
        if response is None:
            response = self.get_response(request)
            key = getattr(response, "page_cache_key", None)
            # A response that sets a cookie is someone's own, whatever the page.
            if key is not None and response.status_code == 200 and not response.cookies:
                cache.set(key, (response.content, tuple(response.items())), TIMEOUT)
        return response

    def _stored(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or not settings.CLAIMS_PAGE_CACHE
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name not in PAGES:
            return None
        # The host check CommonMiddleware would make (a bad Host gets its 400), done once:
        # the stored page is looked up under the site it names.
        _site(request)
        state = page_state(request, match.view_name, **match.kwargs)
        if state is None:
            return None  # the view answers 404
        etag, _, key = _validators(*state)
        stored = _stored_page(request, key)
        if stored is None:
            return None
        return _response(request, stored, etag, state[2])


def serve(request, name, version, changed_at, render):
    """The response for a public page whose content depends only on `version`.

    `render()` builds the page when neither the reader nor the cache has the current one;
    PageCacheMiddleware stores it once the rest of the stack has added its headers.
    Signed-in users get fresh pages: theirs show their name and forms."""
    if not settings.CLAIMS_PAGE_CACHE or _signed_in(request):
        return render()
    etag, last_modified, key = _validators(name, version, changed_at)
    stored = _stored_page(request, key)
    if stored is not None:
        return _response(request, stored, etag, changed_at)
    if _not_modified(request, etag, changed_at):
        response = HttpResponseNotModified()
    else:
        response = render()
        if response.status_code == 200:
            if hasattr(response, "render"):
                response.render()
            response.page_cache_key = _for_site(request, key)
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    # What a reader is shown depends on the session cookie (a signed-in user's page is not
    # this one); SessionMiddleware says so only when the session was read.
    patch_vary_headers(response, ("Cookie",))
    return response


def _stored_page(request, key):
    """The cache's copy of the page under `key`, or None: looked up once per request, so a
    miss in the middleware is not asked of the cache (a Redis round trip) again in the view."""
    known = getattr(request, "_stored_page", None)
    if known is not None and known[0] == key:
        return known[1]
    stored = cache.get(_for_site(request, key))
    request._stored_page = (key, stored)
    return stored


def _for_site(request, key):
    """The cache key of a page as served at this scheme and host: a claim page names its own
    address (its canonical link, its ClaimReview), so a copy rendered for one allowed host
    must not be served at another."""
    return f"{key}:{_site(request)}"


def _site(request):
    """scheme://host of the request, its host checked against ALLOWED_HOSTS once a request
    (about 6 microseconds each time)."""
    site = getattr(request, "_page_site", None)
    if site is None:
        site = request._page_site = f"{request.scheme}://{request.get_host()}"
    return site


def _response(request, stored, etag, changed_at):
    """The stored page, or a 304 with its headers when the reader holds it already."""
    content, headers = stored
    if _not_modified(request, etag, changed_at):
        response = HttpResponseNotModified()
        headers = [(k, v) for k, v in headers if k not in ("Content-Type", "Content-Length")]
    else:
        response = HttpResponse(content)
    for header, value in headers:
        response.headers[header] = value
    return response


def _not_modified(request, etag, changed_at):
    # request.META, not request.headers: that builds a mapping of every header per request.
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return if_none_match == etag
    return _unchanged_since(request, changed_at)


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
