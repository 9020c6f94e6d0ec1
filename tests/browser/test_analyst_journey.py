"""An analyst in Debian's Chromium: sign in, filter, scroll, open, permalink, back.

Screenshots land in test-artifacts/ for a person to look at.
"""

import re
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct horse battery staple"
WIDTHS = {"laptop": (1280, 800), "phone": (390, 844)}


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself (fixtures, assertions) are still sequential, which is what the guard is for.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} (apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()
        # ORM calls made while Playwright's loop runs get connections of their own; close
        # them here, in that same context, or the test database cannot be dropped.
        connections.close_all()


@pytest.fixture
def seeded(transactional_db, settings):
    from negotiations.models import Event, Position, Statement
    from negotiations.services.scenario import scenario_load
    from tests import factories

    settings.TIMELINE_PAGE_SIZE = 5
    scenario_load()
    # The journey counts items: keep the seed report's world (the 18 March call) only.
    # (A statement's positions are history and never go with it: remove them first.)
    Position.objects.filter(statement__article__isnull=True).delete()
    Statement.objects.filter(article__isnull=True).delete()
    Event.objects.filter(article__isnull=True).delete()
    factories.analyst(username="ana")


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def reveal_older(page) -> None:
    """Scroll the "older" marker at the end of the timeline into view: revealed, it loads
    the next items and is swapped out for them. If it is already being swapped out when the
    scroll reaches it (it was in view once the page settled), the load it stands for has
    begun: that is what the caller waits for next."""
    try:
        page.locator("#older").scroll_into_view_if_needed()
    except PlaywrightError as exc:
        if "not attached" not in str(exc):
            raise


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_an_analyst_filters_scrolls_opens_and_comes_back(browser, live_server, seeded):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    problems = watch_console(page)
    sign_in(page, base)
    items = page.locator("article.item")
    assert items.count() == 5
    page.screenshot(path=ARTIFACTS / "journey-1-signed-in.png", full_page=True)

    # Scrolling to the end loads the next items in place, without leaving the page.
    # (Waits use locators: the page's CSP rightly refuses the eval in wait_for_function.)
    from negotiations.models import Event, Statement

    total = Statement.objects.filter(status="published").count() + Event.objects.count()
    reveal_older(page)
    expect(items.nth(5)).to_be_attached()
    expect(items).to_have_count(10)
    while page.locator("#older").count():
        loaded = items.count()
        reveal_older(page)
        expect(items).not_to_have_count(loaded)
    expect(page.get_by_text("End of the timeline.")).to_be_visible()
    expect(items).to_have_count(total)
    assert page.url == f"{base}/"
    ids = page.locator("article.item").evaluate_all("els => els.map(e => e.id)")
    assert len(ids) == len(set(ids)) == total
    page.screenshot(path=ARTIFACTS / "journey-2-scrolled.png", full_page=True)

    # Filter by a party, then a proposal: the list is replaced and the address follows.
    page.locator("summary", has_text="Party").click()
    page.get_by_label("Russia", exact=True).check()
    page.wait_for_url(re.compile(r"party=russia"))
    expect(page.locator("#results[aria-busy=true]")).to_have_count(0)
    page.locator("summary", has_text="Proposal").click()
    page.get_by_label("30-day full ceasefire", exact=True).check()
    page.wait_for_url(re.compile(r"party=russia.*proposal=30-day-full-ceasefire"))
    expect(page.locator("#results[aria-busy=true]")).to_have_count(0)
    expect(items).to_have_count(4)
    # Screen readers hear what the swap did; focus stays on the control just used.
    expect(page.locator("#announce")).to_have_text("4 items")
    expect(page.get_by_label("30-day full ceasefire", exact=True)).to_be_focused()
    texts = items.all_inner_texts()
    assert texts and len(texts) == 4
    assert all("Russia" in text or "Putin" in text for text in texts)
    filtered_url = page.url
    page.screenshot(path=ARTIFACTS / "journey-3-filtered.png", full_page=True)

    # Open an item in place, then follow its permalink.
    first = page.locator("article.item-statement").filter(has=page.locator("mark")).first
    first.locator("summary").click()
    assert first.locator("details[open]").count() == 1
    assert first.locator("mark").count() == 1
    page.screenshot(path=ARTIFACTS / "journey-4-opened.png", full_page=True)
    first.get_by_role("link", name=re.compile("Permalink")).click()
    page.wait_for_url(re.compile(r"/statements/\d+/$"))
    assert page.locator("article.item").count() == 1
    page.screenshot(path=ARTIFACTS / "journey-5-permalink.png", full_page=True)

    # Back returns to the filtered timeline, filters still applied.
    # (The address also says which item the reader left from: see test_analyst_views.)
    page.go_back()
    page.wait_for_url(re.compile(re.escape(filtered_url) + r"&through=[^#]+#statement-\d+$"))
    page.wait_for_selector("article.item")
    # Down to the item left from; the rest follow as the older items come into view.
    expect(page.locator("article.item")).to_have_count(4)
    assert page.get_by_label("Russia", exact=True).is_checked()
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p]
    assert not problems, problems


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_main_pages_at_laptop_and_phone_widths(
    browser, live_server, seeded, width
):
    w, h = WIDTHS[width]
    page = browser.new_page(viewport={"width": w, "height": h})
    problems = watch_console(page)
    sign_in(page, live_server.url)
    for name, path in [
        ("timeline", "/"),
        ("conflicts", "/conflicts/"),
        ("conflict", "/conflicts/russia-ukraine/"),
        ("matrix", "/proposals/"),
        ("proposal", "/proposals/30-day-full-ceasefire/"),
    ]:
        page.goto(live_server.url + path)
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
        # Nothing wider than the window except what is meant to scroll sideways.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} overflows by {overflow}px at {w}px"
    assert not problems, problems


def test_keyboard_users_continue_at_the_first_older_item(browser, live_server, seeded):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, live_server.url)
    items = page.locator("article.item")
    expect(items).to_have_count(5)
    page.locator("#older a").focus()
    page.keyboard.press("Enter")
    expect(items).to_have_count(10)
    expect(items.nth(5)).to_be_focused()
