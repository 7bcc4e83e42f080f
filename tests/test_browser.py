"""Real browser tests: Playwright driving Debian's Chromium against the live server."""

import pytest
from playwright.sync_api import expect, sync_playwright

from claims.importer import import_faq
from claims.models import Claim

from .conftest import ROOT, SEED

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "test-artifacts"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, settings):
    # The live server serves static files from the finders by their plain names, so the pages
    # must link them by plain names too (production links hashed names served by WhiteNoise).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=False)


@pytest.fixture
def seeded(transactional_db):
    return import_faq(
        SEED.read_bytes(), slug="oklahoma-ice-benefits", title="Oklahoma FAQ"
    ).document


def test_a_reader_finds_all_questions_and_opens_a_claim(page, live_server, seeded):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Oklahoma FAQ").click()
    expect(page.locator("section.qa h2")).to_have_count(20)
    claim = Claim.objects.filter(checkworthy=True, answer__number=3).first()
    link = page.locator(f'a.claim[href="/claims/{claim.uuid}/"]')
    expect(link.locator(".claim-label .badge").first).to_have_text("Unverified")
    screenshot(page, "document")
    link.click()
    expect(page).to_have_url(f"{live_server.url}/claims/{claim.uuid}/")
    expect(page.locator("h1")).to_have_text(claim.text)
    expect(page.locator("a.claim.current")).to_contain_text(claim.quote)


def test_status_shows_as_colour_and_label(page, live_server, seeded, django_user_model):
    user = django_user_model.objects.create_user("rita")
    claim = Claim.objects.filter(checkworthy=True).first()
    claim.set_status(Claim.Status.IN_REVIEW, by=user)
    page.goto(f"{live_server.url}/claims/{claim.uuid}/")
    badge = page.locator(".status-line .badge")
    expect(badge).to_have_text("… In review")
    colours = badge.evaluate(
        "b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]"
    )
    assert colours == ["rgb(31, 79, 163)", "rgb(226, 235, 250)"]


def test_markup_in_a_document_is_shown_as_text_and_never_runs(page, live_server, transactional_db):
    import_faq(
        "1. Is <b>this</b> safe?\n<script>alert(1)</script> Kansas has a law. "
        "<img src=x onerror=alert(2)>\n",
        slug="hostile",
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/d/hostile/")
    expect(page.locator("section.qa h2")).to_contain_text("Is <b>this</b> safe?")
    expect(page.locator(".answer")).to_contain_text("<script>alert(1)</script>")
    assert page.locator(".answer img").count() == 0
    assert dialogs == []


def test_keyboard_focus_on_a_claim_reveals_its_status(page, live_server, seeded):
    page.goto(f"{live_server.url}/d/oklahoma-ice-benefits/")
    first = page.locator("a.claim").first
    card = first.locator(".card")
    expect(card).to_be_hidden()
    first.focus()
    expect(card).to_be_visible()
    expect(card.locator(".card-status")).to_have_text("Unverified")
    expect(card).to_contain_text("No source cited yet")
    screenshot(page, "focus-card")


def test_the_claim_list_narrows_when_a_status_is_chosen(
    page, live_server, seeded, django_user_model
):
    user = django_user_model.objects.create_user("rita")
    for claim in Claim.objects.filter(checkworthy=True)[:3]:
        claim.set_status(Claim.Status.IN_REVIEW, by=user)
    page.goto(f"{live_server.url}/claims/")
    rows = page.locator("table.claims tbody tr")
    before = rows.count()
    assert before == 50  # a full first page
    page.get_by_label("In review").check()
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(3)
    expect(page.locator(".result-count")).to_have_text("3 claims")
    assert "status=in_review" in page.url
    screenshot(page, "claim-list")


def test_a_reviewer_cites_a_source_refutes_a_claim_and_the_public_sees_it(
    page, live_server, seeded, django_user_model
):
    from claims.models import Source
    from claims.roles import REVIEWERS, ensure_groups

    reviewer = django_user_model.objects.create_user("rita", password="a-long-passphrase")
    reviewer.groups.add(ensure_groups()[REVIEWERS])
    Source.objects.create(title="Oklahoma HB 2218 (2023): firearms", url="https://example.org/hb")
    claim = Claim.objects.get(quote__contains="House Bill 2218 in 2021")

    page.goto(f"{live_server.url}/claims/{claim.uuid}/")
    page.get_by_role("link", name="Review this claim").click()
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text(claim.text)

    page.get_by_label("Find a source").fill("2218")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Source", exact=True).select_option(label="Oklahoma HB 2218 (2023): firearms")
    page.get_by_label("Stance").select_option("refutes")
    page.get_by_label("Quote").fill("An Act relating to firearms")
    page.get_by_role("button", name="Add citation").click()
    expect(page.locator(".messages")).to_contain_text("Cited Oklahoma HB 2218")

    page.get_by_label("New status").select_option("refuted")
    page.get_by_label("Note (every verdict needs one)").fill("HB 2218 is a 2023 firearms bill.")
    page.get_by_role("button", name="Set status").click()
    expect(page.locator(".messages")).to_contain_text("Status set to Refuted")
    screenshot(page, "review")

    page.goto(f"{live_server.url}/claims/{claim.uuid}/")
    expect(page.locator(".status-line .badge")).to_have_text("✗ Refuted")
    expect(page.locator(".citation")).to_contain_text("Oklahoma HB 2218 (2023): firearms")
    expect(page.locator(".citation")).to_contain_text("An Act relating to firearms")
    screenshot(page, "public-verdict")


def csp_violations(page):
    """Chromium reports each thing the Content-Security-Policy blocks on the console."""
    found = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(message.text),
    )
    return found


def test_public_and_admin_pages_work_under_the_policy(page, live_server, seeded, django_user_model):
    django_user_model.objects.create_superuser("ada", password="a-long-passphrase")
    violations = csp_violations(page)

    response = page.goto(f"{live_server.url}/d/oklahoma-ice-benefits/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    first = page.locator("a.claim").first
    first.focus()
    expect(first.locator(".card")).to_be_visible()  # the stylesheet applies

    response = page.goto(f"{live_server.url}/admin/login/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.fill("#id_username", "ada")
    page.fill("#id_password", "a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()

    # The admin's scripts run: the date shortcuts and the action counter are built by them.
    page.goto(f"{live_server.url}/admin/claims/source/add/")
    expect(page.locator(".datetimeshortcuts").first).to_be_visible()
    page.goto(f"{live_server.url}/admin/claims/claim/")
    page.locator("input.action-select").first.check()
    expect(page.locator(".action-counter")).to_contain_text("1 of")
    screenshot(page, "admin-under-csp")
    assert violations == []


def test_the_policy_blocks_inline_script_and_style(page, live_server, seeded):
    violations = csp_violations(page)
    page.goto(f"{live_server.url}/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
            document.body.insertAdjacentHTML(
                "beforeend", '<p id="styled" style="color: rgb(255, 0, 0)">x</p>');
        }"""
    )
    assert page.evaluate("() => window.injected") is None
    colour = page.locator("#styled").evaluate("p => getComputedStyle(p).color")
    assert colour != "rgb(255, 0, 0)"
    expect(page.locator("#styled")).to_have_count(1)
    assert len(violations) == 2, violations
