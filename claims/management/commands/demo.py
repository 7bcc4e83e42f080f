import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction

from claims.importer import FaqError, import_faq
from claims.management import DatabaseCommand
from claims.models import Source
from claims.roles import REVIEWERS, ensure_groups

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SEED = FIXTURES / "oklahoma-ice-benefits-faq.txt"
SOURCES = FIXTURES / "demo_sources.json"
# A password generated for this install is kept here (git ignores .local/), so running the
# demo again prints the same one instead of locking people out.
PASSWORD_FILE = Path(settings.BASE_DIR) / ".local" / "demo-password"

SEED_DETAILS = {
    "slug": "oklahoma-ice-benefits",
    "title": "State Benefits Data Sharing with ICE in Oklahoma",
    "source_url": "https://www.uscisguide.com/federal-government/state-benefits-data-sharing-with-ice-in-oklahoma/",
    "generated_by": "uscisguide.com",
}


class Command(DatabaseCommand):
    help = "Load the demo: the seed FAQ, its sources, the groups and two accounts. Idempotent."

    def handle(self, *args, **options):
        try:
            result = import_faq(SEED.read_bytes(), **SEED_DETAILS)
        except FaqError as exc:
            raise CommandError(f"seed FAQ: {exc}") from None
        self.stdout.write(result.summary())
        created = load_sources(SOURCES)
        self.stdout.write(f"sources: {created} added, {Source.objects.count()} in all")
        groups = ensure_groups()
        self.stdout.write(f"groups: {', '.join(groups)}")
        password, origin = demo_password()
        self.make_users(password, groups)
        self.stdout.write(
            f"accounts: reviewer and admin, password {password} ({origin}); "
            "sign in at /accounts/login/"
        )

    @transaction.atomic
    def make_users(self, password, groups):
        User = get_user_model()
        reviewer, _ = User.objects.get_or_create(username="reviewer")
        reviewer.set_password(password)
        reviewer.save()
        reviewer.groups.add(groups[REVIEWERS])
        admin, _ = User.objects.get_or_create(username="admin")
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()


@transaction.atomic
def load_sources(path):
    """Add the shipped sources that are not there yet, matched by address. Returns how many."""
    created = 0
    for row in json.loads(path.read_text(encoding="utf-8")):
        _, was_created = Source.objects.get_or_create(url=row["url"], defaults=row)
        created += was_created
    return created


def demo_password():
    if os.environ.get("DEMO_PASSWORD"):
        return os.environ["DEMO_PASSWORD"], "from DEMO_PASSWORD"
    if PASSWORD_FILE.exists():
        return (
            PASSWORD_FILE.read_text().strip(),
            f"generated for this install, kept in {PASSWORD_FILE.relative_to(settings.BASE_DIR)}",
        )
    PASSWORD_FILE.parent.mkdir(exist_ok=True)
    password = secrets.token_urlsafe(12)
    PASSWORD_FILE.write_text(password + "\n")
    PASSWORD_FILE.chmod(0o600)
    return (
        password,
        f"generated for this install, kept in {PASSWORD_FILE.relative_to(settings.BASE_DIR)}",
    )
