import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from claims.importer import import_faq
from claims.models import Claim, ClaimLink, Flag, Source
from claims.roles import REVIEWERS, SOURCE_ADMINS, ensure_groups

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "oklahoma-ice-benefits-faq.txt"
DATA = Path(__file__).resolve().parent / "data"


def run_cli(*args, tmp_path, stdin=None):
    """Run manage.py in its own process, as a user does; returns (exit code, stdout, stderr,
    whether the database file exists afterwards).

    It gets a database file of its own, tmp_path/cli.sqlite3, that does not exist unless the
    test put one there: if the file is still missing afterwards, the command never even
    connected, so it cannot have written anything.
    """
    database = tmp_path / "cli.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SECRET_KEY="cli-test", DJANGO_HTTPS="0")
    env.update(CLAIMS_MAX_IMPORT_BYTES=str(settings.CLAIMS_MAX_IMPORT_BYTES))
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr, database.exists()


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    # Each test starts its database afresh, so pages cached by an earlier test must go too.
    cache.clear()


@pytest.fixture
def seed_bytes():
    return SEED.read_bytes()


@pytest.fixture
def seed_document(db, seed_bytes):
    return import_faq(
        seed_bytes,
        slug="oklahoma-ice-benefits",
        title="State Benefits Data Sharing with ICE in Oklahoma",
        source_url="https://example.org/ok-ice",
        generated_by="uscisguide.com",
    ).document


@pytest.fixture
def groups(db):
    return ensure_groups()


def _user(username, group=None, **flags):
    user = get_user_model().objects.create_user(username, password="pw-" + username, **flags)
    if group is not None:
        user.groups.add(group)
    return user


@pytest.fixture
def reviewer(groups):
    return _user("rita", groups[REVIEWERS])


@pytest.fixture
def other_reviewer(groups):
    return _user("oscar", groups[REVIEWERS])


@pytest.fixture
def source_admin(groups):
    return _user("sam", groups[SOURCE_ADMINS], is_staff=True)


@pytest.fixture
def plain_user(db):
    return _user("pat")


@pytest.fixture
def superuser(db):
    return _user("ada", is_staff=True, is_superuser=True)


# The seed's claim that Oklahoma law prohibits sharing: it has contradiction links (with the
# claim that state law allows it), which the review and API tests act on.
@pytest.fixture
def claim(seed_document):
    return Claim.objects.get(quote__startswith="Oklahoma law prohibits state agencies")


@pytest.fixture
def source(db):
    return Source.objects.create(title="56 O.S. § 183", url="https://example.org/56-183")


@pytest.fixture
def flag(claim, reviewer):
    return Flag.objects.create(claim=claim, reason="needs_source", raised_by=reviewer)


@pytest.fixture
def link(claim):
    return (
        ClaimLink.objects.filter(source_claim=claim).first()
        or ClaimLink.objects.filter(target_claim=claim).first()
    )
