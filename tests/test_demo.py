import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from claims.models import Claim, Document, Source
from claims.roles import REVIEWERS, SOURCE_ADMINS


def run_demo():
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_loads_the_seed_sources_groups_and_accounts(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    out = run_demo()
    doc = Document.objects.get(slug="oklahoma-ice-benefits")
    assert doc.answers.count() == 20
    assert Source.objects.count() == 16
    assert Source.objects.filter(kind="court_record", title__startswith="City of New York").exists()
    assert not Claim.objects.exclude(status="unverified").exists()  # sources, not verdicts
    User = get_user_model()
    reviewer, admin = User.objects.get(username="reviewer"), User.objects.get(username="admin")
    assert reviewer.groups.filter(name=REVIEWERS).exists()
    assert reviewer.has_perm("claims.review_claim") and not reviewer.has_perm("claims.add_source")
    assert admin.is_superuser and admin.check_password("demo-pass-123")
    assert "demo-pass-123" in out


def test_the_demo_is_idempotent(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    run_demo()
    ids = list(Claim.objects.order_by("id").values_list("uuid", flat=True))
    out = run_demo()
    assert "unchanged" in out
    assert list(Claim.objects.order_by("id").values_list("uuid", flat=True)) == ids
    assert Source.objects.count() == 16
    assert get_user_model().objects.count() == 2


def test_source_admins_may_add_sources_but_not_review(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    run_demo()
    user = get_user_model().objects.create_user("s")
    user.groups.add(
        *__import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.filter(
            name=SOURCE_ADMINS
        )
    )
    user = get_user_model().objects.get(pk=user.pk)
    assert user.has_perm("claims.add_source") and user.has_perm("claims.add_document")
    assert not user.has_perm("claims.review_claim")
