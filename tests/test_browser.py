"""Real browser tests: Playwright driving Debian's Chromium against the live server."""

import pytest
from playwright.sync_api import expect, sync_playwright

from claims.importer import import_faq
from claims.models import Claim

from .conftest import SEED

pytestmark = pytest.mark.browser

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
    expect(link).to_have_attribute("title", f"Unverified: {claim.text}")
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
