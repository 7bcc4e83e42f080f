"""Who may do what on every route: the whole URLconf, walked, against a declared table.

Every route (the public site, the reviewer screens, the API, sign-in and the admin) is tried
with GET, POST, PUT, PATCH and DELETE by four users: anonymous, signed in with no group, a
reviewer and a source admin (who is staff). A route missing from the table fails the test by
name, so a new view cannot ship before someone has decided who may use it.
"""

import re

from axes.models import AccessFailureLog
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from rest_framework.authtoken.models import Token, TokenProxy

from claims.models import Citation, Note, Source
from claims.roles import GROUP_PERMISSIONS, SOURCE_ADMINS

ROLES = ["anonymous", "plain_user", "source_admin", "reviewer"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]

# What a request may answer. "login" and "admin-login": redirected to that sign-in page.
# "ok": served (2xx, or a redirect that is not to a sign-in page). "tried": the view ran the
# write, which was done or refused for its content (2xx, 3xx, 400, 409), never for who asked.
# Bodies are empty, so most tried writes are refused as invalid and change nothing.


def public(role, method):
    """Read-only for everyone, writes refused whoever asks."""
    return "200" if method == "GET" else "405"


def reviewer_page(role, method):
    if method != "GET":
        return "405"
    return {"anonymous": "login", "reviewer": "200"}.get(role, "403")


def reviewer_form(role, method):
    if method != "POST":
        return "405"
    return "tried" if role == "reviewer" else "403"


def api_reviewer_write(role, method):
    # DRF checks who asks before the method: anonymous 401 (WWW-Authenticate), others 403.
    if role == "anonymous":
        return "401"
    if role != "reviewer":
        return "403"
    return "tried" if method == "POST" else "405"


def api_sources(role, method):
    if method == "GET":
        return "200"
    if role == "anonymous":
        return "401"
    if role != "source_admin":
        return "403"
    return "tried" if method == "POST" else "405"


def sign_in_form(role, method):
    # A form view answers PUT as it does POST; an empty form is shown again with its errors.
    return "405" if method in ("PATCH", "DELETE") else "200"


def sign_out(role, method):
    return "ok" if method == "POST" else "405"


def password_change(role, method):
    if role == "anonymous":
        return "login"
    return "405" if method in ("PATCH", "DELETE") else "200"


def password_change_done(role, method):
    if role == "anonymous":
        return "login"
    return "200" if method == "GET" else "405"


ROUTES = {
    # Public pages, exports and feeds
    "home": public,
    "healthz": public,
    "readyz": public,
    "document": public,
    "document-json": public,
    "document-csv": public,
    "claim-list": public,
    "claim": public,
    "contradictions": public,
    "sources": public,
    "methodology": public,
    "claimreview-json": public,
    "feed": public,
    "sitemap": public,
    # Reviewer screens
    "review-queue": reviewer_page,
    "review-claim": reviewer_page,
    "review-bulk": reviewer_form,
    "review-status": reviewer_form,
    "review-cite": reviewer_form,
    "review-note": reviewer_form,
    "review-flag": reviewer_form,
    "review-edit": reviewer_form,
    "review-split": reviewer_form,
    "review-merge": reviewer_form,
    "review-not-claim": reviewer_form,
    "review-resolve": reviewer_form,
    "review-link-confirm": reviewer_form,
    "review-link-reject": reviewer_form,
    # The API
    "api-schema": public,
    "api-documents": public,
    "api-document": public,
    "api-claims": public,
    "api-claim": public,
    "api-claim-status": api_reviewer_write,
    "api-claim-citations": api_reviewer_write,
    "api-claim-notes": api_reviewer_write,
    "api-claim-flags": api_reviewer_write,
    "api-flag-resolve": api_reviewer_write,
    "api-link-confirm": api_reviewer_write,
    "api-link-reject": api_reviewer_write,
    "api-sources": api_sources,
    # Signing in and out
    "login": sign_in_form,
    "logout": sign_out,
    "password_change": password_change,
    "password_change_done": password_change_done,
}


# The admin, by one rule: staff only. Everyone else is sent to the admin's sign-in. A source
# admin (staff) may use a model's pages as far as claims/roles.py gives the group permissions.
SOURCE_ADMIN_PERMISSIONS = {
    tuple(codename.split("_", 1)) for codename in GROUP_PERMISSIONS[SOURCE_ADMINS]
}
# Staff pages that belong to no model: what a source admin gets, by method (others: 405).
ADMIN_SITE = {
    "admin:index": dict.fromkeys(METHODS, "ok"),
    "admin:app_list": dict.fromkeys(METHODS, "ok"),
    "admin:view_on_site": dict.fromkeys(METHODS, "ok"),  # a redirect to the public page
    "admin:logout": {"POST": "ok"},
    "admin:password_change": {"GET": "200", "POST": "200", "PUT": "200"},  # a form view
    "admin:password_change_done": {"GET": "200"},
    "admin:jsi18n": {"GET": "200"},
    "admin:autocomplete": {"GET": "403"},  # without a field to complete, it refuses
    "admin:claims_document_import": dict.fromkeys(METHODS, "200"),  # source admins may import
    "admin/(?P<url>.*)$": dict.fromkeys(METHODS, "404"),  # anything else under /admin/
}
# The permission each of a model's admin pages needs. A change page is a read-only view
# for GET (and any other method but POST), and a write for POST.
ADMIN_VIEWS = {
    "changelist": "view",
    "history": "view",
    "change": "view",
    "add": "add",
    "delete": "delete",
}


def admin_rule(route, role, method):
    if route == "admin:login":
        if method in ("PATCH", "DELETE"):
            return "405"
        # Staff who are signed in already are sent on to the index.
        return "ok" if role == "source_admin" and method == "GET" else "200"
    if role != "source_admin":
        # The admin's sign-out sends the signed-out to the admin index, which then signs in.
        return "302 /admin/" if route == "admin:logout" else "admin-login"
    if route in ADMIN_SITE:
        return ADMIN_SITE[route].get(method, "405")
    match = re.fullmatch(r"admin:([a-z]+)_([a-z]+)_(\w+)", route) or re.fullmatch(
        r"admin/([a-z]+)/([a-z]+)/<path:object_id>/", route
    )
    app, model, view = (*match.groups(), "redirect")[:3]
    if view == "redirect":
        return "ok"  # the old address of a change page, sent on to it
    if app != "claims":
        return "403"  # users, groups, tokens, sign-in attempts: superusers only
    needed = ADMIN_VIEWS[view]
    if view == "change" and method == "POST":
        needed = "change"
    allowed = (needed, model) in SOURCE_ADMIN_PERMISSIONS or (
        needed == "view" and ("change", model) in SOURCE_ADMIN_PERMISSIONS
    )
    return "ok" if allowed else "403"


def routes(patterns=None, prefix="", namespace=""):
    """(key, full route, pattern) for every route; the key is the (namespaced) name, or the
    route itself for the few the admin leaves unnamed."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from routes(pattern.url_patterns, route, inner or namespace)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or route, route, pattern


def declared(key, route):
    return key.startswith("admin:") or route.startswith("admin/") or key in ROUTES


def expected(key, route, role, method):
    if key.startswith("admin:") or route.startswith("admin/"):
        return admin_rule(key, role, method)
    return ROUTES[key](role, method)


def url_for(route, objects):
    """A real address for the route, with the seed's objects for its parameters."""

    def value(name, model_route):
        if name in ("object_id", "id"):
            found = re.match(r"admin/(\w+)/(\w+)/", model_route)
            if found is None:  # admin:view_on_site
                return objects["claim"].pk
            model = apps.get_model(*found.groups())
            if model is TokenProxy:  # the token admin addresses a token by its user's id
                return Token.objects.get().user_id
            return model._default_manager.order_by("pk").values_list("pk", flat=True)[0]
        return objects[name]

    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(objects[m.group(1)]), route)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(value(m.group(1), route)), url)
    return "/" + url.rstrip("$").replace("\\", "")


def outcome(response):
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith("/accounts/login/"):
        return "login"
    if response.status_code == 302 and location.startswith("/admin/login/"):
        return "admin-login"
    return str(response.status_code)


def meets(expectation, response):
    got = outcome(response)
    code = response.status_code
    if expectation == "ok":
        return got not in ("login", "admin-login") and 200 <= code < 400
    if expectation == "tried":
        return got not in ("login", "admin-login") and (200 <= code < 400 or code in (400, 409))
    if expectation == "302 /admin/":
        return code == 302 and response["Location"] == "/admin/"
    return got == expectation


def snapshot():
    """Every row a write could touch (the tracker's tables, users, groups and tokens)."""
    models = [*apps.get_app_config("claims").get_models()]
    models += [apps.get_model("auth", "User"), apps.get_model("auth", "Group")]
    models += [apps.get_model("authtoken", "Token")]
    return {
        model.__name__: [
            {k: v for k, v in row.items() if k != "last_login"}
            for row in model._default_manager.order_by("pk").values()
        ]
        for model in models
    }


def test_the_table_names_no_route_that_is_gone(db):
    stale = set(ROUTES) - {key for key, _, _ in routes()}
    assert stale == set(), f"declared routes that no longer exist: {sorted(stale)}"


def rows_for_every_admin_model(claim, reviewer):
    """At least one object of each model in the admin, so its object pages are walked too."""
    source = Source.objects.create(title="A statute", url="https://example.org/a")
    Citation.objects.create(claim=claim, source=source, stance="context")
    Note.objects.create(claim=claim, body="a note", author=reviewer)
    claim.set_status("in_review", by=reviewer)
    Token.objects.create(user=reviewer)
    # A failed sign-in and a successful one, for the admin's pages of sign-in attempts.
    Client().post("/accounts/login/", {"username": "nobody", "password": "x"})
    AccessFailureLog.objects.create(username="nobody", ip_address="10.0.0.1")
    Client().force_login(reviewer)
    for model in admin.site._registry:
        assert model._default_manager.exists(), model


def test_every_route_answers_each_user_as_declared(
    claim, reviewer, plain_user, source_admin, flag, link
):
    rows_for_every_admin_model(claim, reviewer)
    objects = {
        "slug": claim.answer.document.slug,
        "uuid": claim.uuid,
        "claim": claim,
        "content_type_id": ContentType.objects.get_for_model(claim).pk,
        "app_label": "claims",
        "url": "nothing-here",
    }
    users = {"plain_user": plain_user, "source_admin": source_admin, "reviewer": reviewer}
    walked = [(key, route) for key, route, _ in routes()]
    problems = [
        f"no declared access rule: {key}" for key, route in walked if not declared(key, route)
    ]
    before = snapshot()
    for role in ROLES:
        if role == "source_admin":
            # Whatever the anonymous and a user with no group tried, nothing was written.
            after = snapshot()
            problems += [
                f"written without permission: {name}"
                for name in before
                if after[name] != before[name]
            ]
        # A server error is an answer to report here, not an exception to stop the walk.
        client = Client(raise_request_exception=False)
        for key, route in walked:
            if not declared(key, route):
                continue
            objects["pk"] = (flag if "/flags/" in route else link).pk
            url = url_for(route, objects)
            assert resolve(url).route == route, (key, url)
            for method in METHODS:
                if role != "anonymous":
                    client.force_login(users[role])  # again: a sign-out route signs out
                # POST as a form with no fields; the others with an empty body.
                response = client.post(url) if method == "POST" else client.generic(method, url)
                expectation = expected(key, route, role, method)
                if not meets(expectation, response):
                    problems.append(
                        f"{method} {url} ({key}) as {role}: expected {expectation}, "
                        f"got {outcome(response)}"
                    )
    assert problems == [], "\n".join(problems)
