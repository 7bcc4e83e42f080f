"""Hostile and broken FAQ files, each through `manage.py import_faq` and the admin upload.

tests/data/bad/expected.json says what must happen to every file there:

- {"outcome": "error", "message": M}: refused with one line that holds M, and nothing written;
- {"outcome": "imports", "answers": A, "claims": C}: imported with A answers numbered from 1 and
  C claims, each claim's quote exactly its answer's text between start and end. Optional:
  "questions" (the questions, in order), "answer_holds" (answer number -> words its text
  holds), "same_as" (a file it must import exactly like), "shown_escaped" (markup the public
  pages must show as text, never run).

A file too big to commit is described by "generate": "head", then "repeat" over and over, then
"tail", "bytes" bytes in all; the test writes it to a temporary folder.
"""

import json
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from claims.exports import document_export
from claims.importer import import_faq
from claims.models import Answer, Citation, Claim, ClaimKey, ClaimLink, Document, Source

from .conftest import DATA, run_cli

BAD = DATA / "bad"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
ERRORS = sorted(name for name, entry in EXPECTED.items() if entry["outcome"] == "error")
IMPORTS = sorted(name for name, entry in EXPECTED.items() if entry["outcome"] == "imports")
IMPORT_URL = "/admin/claims/document/import/"
# Already in the database when a bad upload names its slug: a refused import must leave it be.
EARLIER = "1. Does Kansas share data with ICE?\nKansas shares wage records with ICE.\n"


def file_bytes(name):
    spec = EXPECTED[name].get("generate")
    if spec is None:
        return (BAD / name).read_bytes()
    head, tail = spec["head"].encode(), spec.get("tail", "").encode()
    repeat, size = spec["repeat"].encode(), spec["bytes"] - len(head) - len(tail)
    return head + (repeat * (size // len(repeat) + 1))[:size] + tail


def file_path(name, folder):
    if "generate" not in EXPECTED[name]:
        return BAD / name
    path = folder / name
    path.write_bytes(file_bytes(name))
    return path


def shape(export):
    """An export without ids and review state: what importing the text decided."""
    return [
        (
            answer["number"],
            answer["question"],
            answer["text"],
            [(c["start"], c["end"], c["quote"], c["text"], c["kind"]) for c in answer["claims"]],
        )
        for answer in export["answers"]
    ]


def check_imported(name, export):
    expected = EXPECTED[name]
    answers = export["answers"]
    assert [a["number"] for a in answers] == list(range(1, expected["answers"] + 1))
    assert sum(len(a["claims"]) for a in answers) == expected["claims"]
    for answer in answers:
        for claim in answer["claims"]:
            assert answer["text"][claim["start"] : claim["end"]] == claim["quote"]
    if "questions" in expected:
        assert [a["question"] for a in answers] == expected["questions"]
    for number, words in expected.get("answer_holds", {}).items():
        assert words in answers[int(number) - 1]["text"]


def test_the_manifest_names_every_file_and_nothing_else():
    committed = {p.name for p in BAD.iterdir()} - {"expected.json", ".gitattributes"}
    generated = {name for name, entry in EXPECTED.items() if "generate" in entry}
    assert committed.isdisjoint(generated)
    assert committed | generated == set(EXPECTED)
    assert len(EXPECTED) >= 15
    assert len(file_bytes("huge-20mb.txt")) == 20_000_000
    assert max(map(len, file_bytes("long-line-1mb.txt").split(b"\n"))) > 999_000


# The command, in its own process, as a user runs it.


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated SQLite database file, copied for each import so that each starts empty."""
    folder = tmp_path_factory.mktemp("migrated")
    code, _, err, _ = run_cli("migrate", "-v0", tmp_path=folder)
    assert code == 0, err
    return folder / "cli.sqlite3"


def cli_import(path, slug, tmp_path):
    code, out, err, _ = run_cli("import_faq", str(path), "--slug", slug, tmp_path=tmp_path)
    assert "Traceback" not in out + err
    assert (code, err) == (0, ""), err
    code, export, err, _ = run_cli("export_claims", slug, "--format", "json", tmp_path=tmp_path)
    assert code == 0, err
    return out, json.loads(export)


@pytest.mark.parametrize("name", ERRORS)
def test_the_command_refuses_a_bad_file_in_one_line_and_writes_nothing(name, tmp_path):
    path = file_path(name, tmp_path)
    code, out, err, touched_database = run_cli(
        "import_faq", str(path), "--slug", "bad", tmp_path=tmp_path
    )
    assert code == 1
    assert "Traceback" not in out + err
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"CommandError: {path}: ")
    assert EXPECTED[name]["message"] in err
    assert not touched_database


@pytest.mark.parametrize("name", IMPORTS)
def test_the_command_imports_an_odd_but_good_file(name, tmp_path, migrated):
    expected = EXPECTED[name]
    shutil.copy(migrated, tmp_path / "cli.sqlite3")
    out, export = cli_import(file_path(name, tmp_path), "odd", tmp_path)
    answers = f"{expected['answers']} answer" + ("s" if expected["answers"] != 1 else "")
    assert out.startswith(f"created odd: {answers}, {expected['claims']} claims")
    check_imported(name, export)
    if "same_as" in expected:
        _, twin = cli_import(BAD / expected["same_as"], "twin", tmp_path)
        assert shape(export) == shape(twin)


# The admin's upload form, through the real URLconf.


def snapshot():
    """Every row an import writes, as plain values."""
    return (
        list(Document.objects.order_by("pk").values_list("pk", "slug", "content_hash")),
        list(Answer.objects.order_by("pk").values_list("pk", "number", "text", "current")),
        list(Claim.objects.order_by("pk").values_list("pk", "uuid", "start", "end", "quote")),
        list(ClaimKey.objects.order_by("pk").values_list("pk", "key")),
        list(ClaimLink.objects.order_by("pk").values_list("pk", "state")),
    )


def upload(client, name, slug):
    return client.post(
        IMPORT_URL, {"slug": slug, "file": SimpleUploadedFile(name, file_bytes(name))}
    )


@pytest.mark.parametrize("name", ERRORS)
def test_the_admin_refuses_a_bad_upload_with_its_message_and_writes_nothing(
    name, client, source_admin
):
    import_faq(EARLIER, slug="bad")
    before = snapshot()
    client.force_login(source_admin)
    response = upload(client, name, "bad")
    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert EXPECTED[name]["message"] in error
    assert escape(error) in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("name", IMPORTS)
def test_the_admin_imports_an_odd_but_good_upload(name, client, source_admin):
    expected = EXPECTED[name]
    client.force_login(source_admin)
    response = upload(client, name, "odd")
    assert response.status_code == 302, response.context["form"].errors
    export = document_export(Document.objects.get(slug="odd"))
    check_imported(name, export)
    if "same_as" in expected:
        twin = import_faq((BAD / expected["same_as"]).read_bytes(), slug="twin").document
        assert shape(export) == shape(document_export(twin))


@pytest.mark.parametrize("name", [n for n in IMPORTS if "shown_escaped" in EXPECTED[n]])
def test_markup_in_an_answer_is_shown_as_text_on_every_public_page(
    name, client, source_admin, reviewer
):
    client.force_login(source_admin)
    assert upload(client, name, "odd").status_code == 302
    client.logout()
    claims = list(Claim.objects.filter(answer__document__slug="odd"))
    # A verdict, so that the claim page also carries its ClaimReview as JSON-LD.
    judged = next(c for c in claims if "<script>" in c.quote)
    source = Source.objects.create(title="A court order", url="https://example.org/order")
    Citation.objects.create(claim=judged, source=source, stance="supports", added_by=reviewer)
    judged.set_status(Claim.Status.SUPPORTED, by=reviewer, note="The order says so.")

    pages = ["/d/odd/", "/claims/", *(c.get_absolute_url() for c in claims)]
    html = "".join(client.get(page).content.decode() for page in pages)
    for markup in EXPECTED[name]["shown_escaped"]:
        assert markup not in html
        assert escape(markup) in html
    claim_page = client.get(judged.get_absolute_url()).content.decode()
    assert '<script type="application/ld+json">' in claim_page
    assert "\\u003Cscript\\u003Ealert" in claim_page

    # JSON carries the exact text; it is never taken for a page.
    for url in ("/api/documents/odd/", f"/api/claims/{judged.uuid}/", "/d/odd/claims.json"):
        response = client.get(url)
        assert response["Content-Type"] == "application/json"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert judged.quote in set(strings(response.json()))


def strings(value):
    """Every string inside parsed JSON."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from strings(item)
