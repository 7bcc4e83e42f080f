from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Claim, Document, StatusChange

FAQ = "1. Does Texas share data?\nTexas shares benefits data with ICE.\n"


def test_a_source_admin_imports_by_pasting_text(client, source_admin):
    client.force_login(source_admin)
    response = client.post(
        "/admin/claims/document/import/", {"slug": "tx", "title": "Texas", "text": FAQ}
    )
    assert response.status_code == 302
    doc = Document.objects.get(slug="tx")
    assert doc.answers.get().claims.get().quote == "Texas shares benefits data with ICE"
    follow = client.get(response["Location"])
    assert "Created tx: 1 answer, 1 claim (1 check-worthy)" in follow.content.decode()


def test_a_source_admin_imports_by_upload(client, source_admin):
    client.force_login(source_admin)
    upload = SimpleUploadedFile("tx.txt", FAQ.encode())
    response = client.post("/admin/claims/document/import/", {"slug": "tx", "file": upload})
    assert response.status_code == 302
    assert Document.objects.filter(slug="tx").exists()


def test_a_bad_upload_shows_the_error_and_writes_nothing(client, source_admin):
    client.force_login(source_admin)
    upload = SimpleUploadedFile("bad.txt", "¿Qué?".encode("latin-1"))
    response = client.post("/admin/claims/document/import/", {"slug": "tx", "file": upload})
    assert response.status_code == 200
    assert "not valid UTF-8" in response.content.decode()
    assert not Document.objects.exists()


def test_both_file_and_text_is_refused(client, source_admin):
    client.force_login(source_admin)
    upload = SimpleUploadedFile("tx.txt", FAQ.encode())
    response = client.post(
        "/admin/claims/document/import/", {"slug": "tx", "file": upload, "text": FAQ}
    )
    assert "Give a file or pasted text, not both." in response.content.decode()
    assert not Document.objects.exists()


def test_a_reviewer_cannot_import(client, reviewer):
    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    response = client.post("/admin/claims/document/import/", {"slug": "tx", "text": FAQ})
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_anonymous_import_goes_to_the_login(client, db):
    response = client.post("/admin/claims/document/import/", {"slug": "tx", "text": FAQ})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Document.objects.exists()


def test_status_history_is_read_only_in_the_admin(client, superuser, seed_document, reviewer):
    claim = Claim.objects.first()
    change = claim.set_status(Claim.Status.IN_REVIEW, by=reviewer, note="first look")
    client.force_login(superuser)
    assert client.get("/admin/claims/statuschange/").status_code == 200
    page = client.get(f"/admin/claims/statuschange/{change.pk}/change/")
    assert page.status_code == 200 and "first look" in page.content.decode()
    assert (
        client.post(
            f"/admin/claims/statuschange/{change.pk}/change/", {"note": "edited"}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/admin/claims/statuschange/{change.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert client.get("/admin/claims/statuschange/add/").status_code == 403
    change.refresh_from_db()
    assert change.note == "first look"
    assert StatusChange.objects.count() == 1


def test_every_model_has_an_admin_page(client, superuser, seed_document):
    client.force_login(superuser)
    for model in [
        "document",
        "answer",
        "claim",
        "claimlink",
        "source",
        "citation",
        "note",
        "flag",
        "statuschange",
    ]:
        assert client.get(f"/admin/claims/{model}/").status_code == 200, model


def test_a_source_admin_adds_a_source_and_is_warned_of_a_duplicate_address(client, source_admin):
    from claims.models import Source

    Source.objects.create(title="First copy", url="https://example.org/law")
    client.force_login(source_admin)
    response = client.post(
        "/admin/claims/source/add/",
        {"title": "Second copy", "url": "https://example.org/law", "kind": "statute"},
        follow=True,
    )
    assert response.status_code == 200
    assert Source.objects.filter(title="Second copy").exists()
    assert "Another source has the same address: First copy" in response.content.decode()


def test_a_reviewer_cannot_add_sources_in_the_admin(client, reviewer):
    from claims.models import Source

    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    response = client.post(
        "/admin/claims/source/add/", {"title": "X", "url": "https://example.org/x", "kind": "news"}
    )
    assert response.status_code == 403
    assert not Source.objects.exists()
