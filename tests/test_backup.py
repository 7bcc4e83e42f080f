"""export_all and import_all: a whole database out to one file and back, across databases.

The suite's own database is whichever it runs on (SQLite, or PostgreSQL in CI's second pass).
The other side of each round trip is a fresh database that `manage.py` reaches in its own
process: a SQLite file always, and on the PostgreSQL pass a scratch PostgreSQL database as
well, so that pass goes PostgreSQL -> SQLite -> PostgreSQL.
"""

import io
import json
import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from rest_framework.authtoken.models import Token

from claims.backup import backup_models
from claims.importer import import_faq
from claims.models import (
    Citation,
    Claim,
    ClaimLink,
    ClaimRuleError,
    Document,
    Flag,
    Note,
    Source,
    StatusChange,
)

from .conftest import ROOT

KANSAS = "1. Does Kansas share data?\nKansas shares data. Kansas audits requests.\n"
KANSAS_TWO = KANSAS + "2. Who checks it?\nThe Kansas auditor checks every request.\n"

# Run in the restored database: every kind of row the tracker writes, through the real code.
# With a sequence left behind by the restore, one of them would reuse an id and fail.
NEW_ROWS = """
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from claims.importer import import_faq
from claims.models import Citation, Claim, ClaimKey, ClaimLink, Flag, Note, Source
user = User.objects.create_user("newcomer", password="a-new-password")
user.groups.add(Group.objects.create(name="Newcomers"))
import_faq("1. Is it new?\\nNebraska audits requests.\\n", slug="after-restore")
claim = Claim.objects.get(answer__document__slug="after-restore")
source = Source.objects.create(title="New", url="https://example.org/new")
LogEntry.objects.create(user=user, content_type=ContentType.objects.get_for_model(Source),
                        object_id=str(source.pk), object_repr="New", action_flag=1)
Citation.objects.create(claim=claim, source=source, stance="supports", added_by=user)
Note.objects.create(claim=claim, author=user, body="new")
Flag.objects.create(claim=claim, reason="other", raised_by=user)
ClaimKey.objects.create(claim=claim, document=claim.answer.document, key="new-key")
ClaimLink.between(claim, Claim.objects.exclude(pk=claim.pk).first(), "same_as")
claim.set_status("in_review", by=user)
print("new rows written")
"""


def manage(database_url, *args):
    """manage.py in its own process against `database_url`, as an operator runs it."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL=database_url, DJANGO_SECRET_KEY="backup-test", DJANGO_HTTPS="0")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def ok(done):
    assert done.returncode == 0, done.stderr
    return done.stdout


def body(path):
    """The file without its one varying field."""
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["exported_at"]
    return data


def export(path):
    out = io.StringIO()
    call_command("export_all", str(path), stdout=out)
    return out.getvalue()


def restore(path):
    out = io.StringIO()
    call_command("import_all", str(path), stdout=out)
    return out.getvalue()


def rows_held():
    return {str(model._meta): model._base_manager.count() for model in backup_models()}


@pytest.fixture
def rich_database(
    client, seed_document, reviewer, other_reviewer, source_admin, superuser, plain_user
):
    """Every kind of row, written the way people write them: the admin, the review screens
    and the model methods behind them, a re-import that orphans a reviewed claim."""
    client.force_login(superuser)
    response = client.post(
        "/admin/claims/source/add/",
        {"title": "56 O.S. § 183", "url": "https://example.org/56-183", "kind": "statute"},
    )
    assert response.status_code == 302 and LogEntry.objects.exists()
    source = Source.objects.get()
    news = Source.objects.create(title="News report", url="https://example.org/news", kind="news")

    prohibits = Claim.objects.get(quote__startswith="Oklahoma law prohibits state agencies")
    client.force_login(reviewer)
    base = f"/review/claims/{prohibits.uuid}"
    response = client.post(f"{base}/citations", {"source": source.pk, "stance": "refutes"})
    assert response.status_code == 302
    client.post(f"{base}/notes", {"body": "§ 183 allows it", "public": "on"})
    response = client.post(f"{base}/status", {"status": "refuted", "note": "see §", "version": 1})
    assert response.status_code == 302
    assert Claim.objects.get(pk=prohibits.pk).status == Claim.Status.REFUTED

    links = list(ClaimLink.objects.filter(relation="contradicts").order_by("pk"))
    links[0].confirm(by=reviewer, note="they cannot both hold")
    links[1].reject(by=other_reviewer, note="different programmes")

    others = list(Claim.objects.live().filter(checkworthy=True).exclude(pk=prohibits.pk))
    supported = others[0]
    Citation.objects.create(claim=supported, source=news, stance="supports", added_by=reviewer)
    supported.set_status(Claim.Status.IN_REVIEW, by=other_reviewer, note="")
    supported.set_status(Claim.Status.SUPPORTED, by=reviewer, note="the report says so")
    Note.objects.create(claim=supported, author=other_reviewer, body="internal", public=False)
    Flag.objects.create(claim=supported, reason="needs_source", raised_by=reviewer)
    Flag.objects.create(claim=others[1], reason="possibly_false", raised_by=reviewer).resolve(
        by=other_reviewer, resolution="checked, it holds"
    )
    others[2].edit(by=reviewer, version=1, text="An edited standalone text.")
    others[3].mark_not_claim(by=reviewer)
    # A later claim absorbs an earlier one, so a row refers to one restored after it.
    untouched = next(
        answer
        for answer in seed_document.answers.all()
        if answer.claims.count() > 1 and not answer.claims.exclude(version=1).exists()
    )
    pair = list(untouched.claims.order_by("pk"))
    pair[-1].merge(pair[0], by=reviewer, version=1)
    assert Claim.objects.get(pk=pair[0].pk).merged_into_id == pair[-1].pk

    import_faq(KANSAS_TWO, slug="ks", title="Kansas")
    checked = Claim.objects.get(quote="The Kansas auditor checks every request")
    checked.set_status(Claim.Status.IN_REVIEW, by=reviewer)
    import_faq(KANSAS, slug="ks")  # drops question 2: its reviewed claim is kept as an orphan
    checked.refresh_from_db()
    assert checked.orphaned and not checked.answer.current

    Token.objects.create(user=reviewer)
    plain_user.user_permissions.add(Permission.objects.get(codename="view_claim"))
    get_user_model().objects.create_user("gone", password="pw-gone", is_active=False)
    # The logins above left sessions behind, which a backup leaves out.
    assert Session.objects.exists()


@pytest.fixture
def other_postgres():
    """A scratch PostgreSQL database next to the test database; dropped afterwards."""
    import psycopg
    from psycopg import sql

    settings = connection.settings_dict
    name = settings["NAME"] + "_restore"
    server = {
        "host": settings["HOST"] or "localhost",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
    }
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    password = f":{quote(server['password'], safe='')}" if server["password"] else ""
    yield f"postgres://{quote(server['user'])}{password}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(drop)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_elsewhere_exports_the_same(rich_database, tmp_path, request):
    first = tmp_path / "first.json"
    out = export(first)
    data = json.loads(first.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("claim-tracker-backup", 1)
    assert f"claims.statuschange: {StatusChange.objects.count()}\n" in out
    assert "authtoken.token: 1\n" in out
    assert data["counts"] == rows_held() and all(data["counts"].values())
    labels = {row["model"] for row in data["objects"]}
    assert not labels & {"sessions.session", "contenttypes.contenttype", "auth.permission"}
    reviewers = next(row for row in data["objects"] if row["model"] == "auth.group")
    assert ["review_claim", "claims", "claim"] in reviewers["fields"]["permissions"]
    assert (first.stat().st_mode & 0o777) == 0o600  # it holds password hashes and tokens

    # Into a fresh SQLite file (from PostgreSQL on CI's second pass) and out again.
    sqlite_url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    ok(manage(sqlite_url, "migrate", "--noinput", "-v0"))
    out = ok(manage(sqlite_url, "import_all", str(first)))
    assert "claims.claim: " in out and f"restored {len(data['objects'])} rows" in out
    second = tmp_path / "second.json"
    ok(manage(sqlite_url, "export_all", str(second)))
    assert body(second) == body(first)

    # A second restore into the now full database is refused and writes nothing.
    refused = manage(sqlite_url, "import_all", str(first))
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "the database is not empty: it holds 2 auth.group" in refused.stderr
    again = tmp_path / "again.json"
    ok(manage(sqlite_url, "export_all", str(again)))
    assert body(again) == body(first)

    targets = [sqlite_url]
    if connection.vendor == "postgresql":
        # And from that SQLite file's export into PostgreSQL again.
        postgres_url = request.getfixturevalue("other_postgres")
        ok(manage(postgres_url, "migrate", "--noinput", "-v0"))
        ok(manage(postgres_url, "import_all", str(second)))
        third = tmp_path / "third.json"
        ok(manage(postgres_url, "export_all", str(third)))
        assert body(third) == body(first)
        targets.append(postgres_url)

    for url in targets:
        assert "new rows written" in ok(manage(url, "shell", "-c", NEW_ROWS))


@pytest.mark.django_db(transaction=True)
def test_a_restore_brings_back_logins_tokens_and_page_versions_unbumped(
    rich_database, tmp_path, client
):
    path = tmp_path / "backup.json"
    export(path)
    versions = list(Document.objects.order_by("pk").values_list("cache_version", "changed_at"))
    history = list(StatusChange.objects.order_by("pk").values_list("pk", "claim", "created"))
    call_command("flush", "--noinput")  # empty tables; content types and permissions anew
    assert not any(rows_held().values())

    out = restore(path)

    assert f"claims.statuschange: {len(history)} restored" in out
    again = tmp_path / "again.json"
    export(again)
    assert body(again) == body(path)
    # Raw saves: the page-cache receivers left the versions as they were.
    assert list(Document.objects.order_by("pk").values_list("cache_version", "changed_at")) == (
        versions
    )
    assert list(StatusChange.objects.order_by("pk").values_list("pk", "claim", "created")) == (
        history
    )
    # The history is as permanent as before for everything but the restore.
    change = StatusChange.objects.first()
    with pytest.raises(ClaimRuleError, match="cannot be edited"):
        change.save()
    with pytest.raises(ClaimRuleError, match="cannot be deleted"):
        change.delete()
    # Signing in through the real form (sign-in throttling needs the request): the password
    # hash came back, and the inactive user is still refused.
    gone = client.post("/accounts/login/", {"username": "gone", "password": "pw-gone"})
    assert gone.status_code == 200 and "_auth_user_id" not in client.session
    rita = client.post("/accounts/login/", {"username": "rita", "password": "pw-rita"})
    assert rita.status_code == 302 and client.session["_auth_user_id"] == str(
        get_user_model().objects.get(username="rita").pk
    )
    client.logout()
    claim = Claim.objects.live().filter(checkworthy=True).first()
    token = Token.objects.get(user__username="rita").key
    response = client.post(
        f"/api/claims/{claim.uuid}/notes",
        {"body": "by token", "public": False},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 201 and Note.objects.filter(body="by token").exists()


# The refusals. In a process of its own the command gets a database file that does not exist
# yet: if it is still missing afterwards, the command never connected and wrote nothing.


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("folder", "is a folder, not a file"),
        (b"{not json", "not a backup: not JSON (Expecting property name"),
        (b"\xff\xfe{}", "not a backup: not UTF-8 text"),
        (b'{"format": "claim-tracker-backup", "version": 2}', "format version 2 is not supported"),
        (b'{"document": {"slug": "ok"}}', 'not a backup: the file has no "format"'),
    ],
)
def test_the_command_refuses_a_bad_file_in_one_line(tmp_path, content, message):
    path = tmp_path / "backup.json"
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    database = tmp_path / "target.sqlite3"
    done = manage(f"sqlite:///{database}", "import_all", str(path))
    assert done.returncode == 1
    assert done.stderr.startswith(f"CommandError: {path}: ") and message in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not database.exists()


@pytest.fixture
def small_backup(db, tmp_path, reviewer, groups):
    """A backup of a small database, which is then emptied for the restore to go into."""
    import_faq(KANSAS_TWO, slug="ks")
    Note.objects.create(claim=Claim.objects.first(), author=reviewer, body="checked")
    path = tmp_path / "small.json"
    export(path)
    Document.objects.all().delete()
    get_user_model().objects.all().delete()
    for group in groups.values():
        group.delete()
    assert not any(rows_held().values())
    return path


def rewrite(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def claims_in(data):
    return [row for row in data["objects"] if row["model"] == "claims.claim"]


def test_the_small_backup_restores_when_nothing_is_wrong(small_backup):
    assert "claims.claim: 3 restored" in restore(small_backup)
    assert Note.objects.get().author.username == "rita"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda data: data["schema"].update(claims="0001_initial"),
            "the backup's migrations differ from this database's (claims 0001_initial in the "
            "backup,",
        ),
        (
            lambda data: data["objects"].append(
                {"model": "sessions.session", "pk": "x", "fields": {}}
            ),
            "'sessions.session' is not a backed-up model",
        ),
        (
            lambda data: claims_in(data)[0]["fields"].pop("uuid"),
            "fields differ from the model (missing ['uuid'], unknown [])",
        ),
        (
            lambda data: data["objects"].pop(),
            "truncated?",
        ),
        (
            lambda data: claims_in(data)[-1]["fields"].update(status="true"),
            "cannot restore:",
        ),
        # Checked at commit, after every row is in: the rows before it must go too.
        (
            lambda data: claims_in(data)[-1]["fields"].update(answer=999999),
            "cannot restore:",
        ),
    ],
    ids=["schema", "model", "field", "truncated", "constraint", "foreign-key"],
)
def test_a_damaged_backup_is_refused_and_nothing_is_written(small_backup, change, message):
    rewrite(small_backup, change)
    with pytest.raises(CommandError) as refused:
        restore(small_backup)
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert not any(rows_held().values())


def test_a_restore_into_a_database_with_data_is_refused(small_backup):
    import_faq(KANSAS, slug="ks")
    before = rows_held()
    with pytest.raises(
        CommandError, match=r"the database is not empty: it holds 1 claims\.document"
    ):
        restore(small_backup)
    assert rows_held() == before


@pytest.mark.django_db(transaction=True)
def test_a_reader_of_the_lost_database_is_not_told_their_page_is_current(
    seed_document, client, tmp_path
):
    # The backup is taken at version 1; the database then moves on and is lost.
    path = tmp_path / "backup.json"
    export(path)
    claim = Claim.objects.live().first()
    url = f"/claims/{claim.uuid}/"
    Note.objects.create(claim=claim, body="a note the lost database had", public=True)
    held = client.get(url)["ETag"]
    call_command("flush", "--noinput")
    restore(path)
    # After the restore a different change brings the document to the same version number.
    Note.objects.create(claim=claim, body="a note made after the restore", public=True)
    response = client.get(url, HTTP_IF_NONE_MATCH=held)
    assert response.status_code == 200 and response["ETag"] != held
    assert "a note made after the restore" in response.content.decode()


def test_an_export_that_cannot_be_written_says_so_and_leaves_no_file(db, tmp_path):
    path = tmp_path / "missing-folder" / "backup.json"
    with pytest.raises(CommandError, match=r"backup\.json: cannot write \(No such file") as error:
        export(path)
    assert "\n" not in str(error.value) and not path.parent.exists()
