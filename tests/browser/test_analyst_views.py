"""What changed, at a glance, in Debian's Chromium: chips and notices, Back to the reader's
place, the changes view, the density strip by keyboard and pointer, the TimelineJS export
rendered by TimelineJS itself, and axe-core on every analyst page.

TimelineJS and axe-core come from their npm packages (tests/browser/assets, installed by
scripts/ensure-browser-assets.sh) and are served from this machine; nothing reaches the
network. Screenshots land in test-artifacts/.
"""

import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_analyst_journey import (
    ARTIFACTS,
    WIDTHS,
    reveal_older,
    sign_in,
    watch_console,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASSETS = Path(__file__).resolve().parent / "assets" / "node_modules"
TIMELINEJS = ASSETS / "@knight-lab" / "timelinejs" / "dist"
AXE = ASSETS / "axe-core" / "axe.min.js"


@pytest.fixture
def seeded_full(transactional_db, settings):
    """The whole Russia–Ukraine scenario (March to May 2025: the call, the Black Sea talks,
    the Easter and Victory Day truces, Istanbul), enough days and changes to look at."""
    from negotiations.services.scenario import scenario_load
    from tests import factories

    settings.TIMELINE_PAGE_SIZE = 5
    scenario_load()
    factories.analyst(username="ana")


def local_only(page, *bases: str) -> None:
    """Abort every request that would leave this machine (fonts, previews, anything)."""

    def route(request_route):
        if request_route.request.url.startswith(bases + ("data:", "blob:")):
            request_route.continue_()
        else:
            request_route.abort()

    page.route("**/*", route)


# -- chips and the notice ------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_a_stale_link_shows_the_rest_with_a_notice_and_chips_remove_filters(
    browser, live_server, seeded_full, width
):
    page = browser.new_page(viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    problems = watch_console(page)
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/?party=russia&party=narnia&kind=statement")
    notice = page.locator(".notice")
    expect(notice).to_contain_text("party “narnia”")
    chips = page.locator(".chips .chip")
    expect(chips).to_have_count(2)
    expect(chips.first).to_contain_text("Party: Russia")
    expect(chips.last).to_contain_text("Kind: Statements")
    filtered = page.locator(".results-heading .count").inner_text()
    page.screenshot(path=ARTIFACTS / f"chips-notice-{width}.png", full_page=False)

    # Removing a chip keeps the rest, updates the list and the address, without a reload.
    page.get_by_role("link", name="Remove filter Kind: Statements").click()
    page.wait_for_url(re.compile(r"/\?party=russia$"))
    expect(page.locator(".chips .chip")).to_have_count(1)
    expect(page.locator(".notice")).to_have_count(0)
    assert page.locator(".results-heading .count").inner_text() != filtered
    expect(page.get_by_label("Russia", exact=True)).to_be_checked()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the timeline overflows by {overflow}px at {width}"
    assert not problems, problems


# -- Back to the reader's place ------------------------------------------------------------


def test_back_from_a_deep_permalink_returns_to_the_item_it_was_opened_from(
    browser, live_server, seeded_full
):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    problems = watch_console(page)
    sign_in(page, base)
    items = page.locator("article.item")
    for loaded in (10, 15, 20):  # three scrolls: well past the first page
        reveal_older(page)
        expect(items).to_have_count(loaded)
    deep = items.nth(17)
    deep_id = deep.get_attribute("id")
    deep.locator("summary").click()
    deep.get_by_role("link", name=re.compile("Permalink")).click()
    page.wait_for_url(re.compile(r"/(statement|event)s/\d+/$"))
    page.screenshot(path=ARTIFACTS / "back-1-permalink.png")

    page.go_back()
    page.wait_for_url(re.compile(rf"through=.*#{deep_id}$"))
    came_back = page.locator(f"#{deep_id}")
    expect(came_back).to_be_in_viewport()
    expect(came_back).to_be_focused()
    # Everything above it is there again, and the older items still follow.
    assert items.count() == 18
    expect(page.locator("#older a")).to_be_attached()
    page.screenshot(path=ARTIFACTS / "back-2-returned.png")
    # Scrolling on continues after it, without repeats.
    reveal_older(page)
    expect(items).not_to_have_count(18)
    ids = items.evaluate_all("els => els.map(e => e.id)")
    assert len(ids) == len(set(ids))
    assert not problems, problems


def test_the_skip_link_reaches_the_first_result_in_two_presses(browser, live_server, seeded_full):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, live_server.url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the results")).to_be_focused()
    page.keyboard.press("Enter")
    first = page.locator("article.item").first
    expect(first).to_be_focused()
    page.keyboard.press("Tab")
    focused_inside = page.evaluate(
        "document.activeElement.closest('article.item') === document.querySelector('article.item')"
    )
    assert focused_inside


# -- what changed --------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_the_changes_of_a_chosen_period(browser, live_server, seeded_full, width):
    page = browser.new_page(viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    problems = watch_console(page)
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/conflicts/russia-ukraine/changes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed: Russia–Ukraine war")
    # The default week is long past the scenario: the page says so and points to it.
    expect(page.get_by_text("No stance changed in this period.")).to_be_visible()
    page.get_by_role("textbox", name="From").fill("2025-03-12")
    page.get_by_role("textbox", name="To").fill("2025-03-25")
    page.get_by_role("button", name="Show changes").click()
    page.wait_for_url(re.compile(r"date_from=2025-03-12&date_to=2025-03-25"))
    changes = page.locator("section[aria-labelledby=positions-heading] li.change")
    assert changes.count() >= 5
    expect(changes.first).to_contain_text("Ukraine on Black Sea maritime ceasefire")
    expect(changes.filter(has_text="30-day full ceasefire").first).to_contain_text("Rejects")
    expect(page.locator("td.changed-in-period").first).to_be_visible()
    expect(page.locator(".open-conditions").first).to_contain_text("Open conditions")
    page.screenshot(path=ARTIFACTS / f"changes-{width}.png", full_page=True)
    if width == "phone":
        # The matrix is wider than a phone: it says so, and scrolls on its own.
        expect(page.locator(".scroll-hint.is-shown").first).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the changes page overflows by {overflow}px at {width}"
    assert not problems, problems


# -- the density strip ---------------------------------------------------------------------


def test_the_density_strip_zooms_with_the_keyboard_and_the_pointer(
    browser, live_server, seeded_full
):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    problems = watch_console(page)
    sign_in(page, base)
    page.goto(f"{base}/?conflict=russia-ukraine")
    bars = page.locator("svg.density-strip a.bar")
    assert bars.count() > 10
    page.screenshot(path=ARTIFACTS / "density-1-strip.png")

    days = bars.evaluate_all("els => els.map(e => [e.dataset.from, e.dataset.to])")
    busy = [
        n
        for n, label in enumerate(
            bars.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
        )
        if not label.endswith(": 0 items")
    ]
    n = busy[1]  # a day with items, not the first bar

    # Keyboard: the strip is one stop; arrows move, Shift widens, Enter zooms.
    bars.first.focus()
    for _ in range(n):
        page.keyboard.press("ArrowRight")
    expect(bars.nth(n)).to_be_focused()
    expect(page.locator("#announce")).to_contain_text(bars.nth(n).get_attribute("aria-label"))
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("svg.density-strip a.bar.selected")).to_have_count(3)
    page.keyboard.press("Enter")
    start, end = days[n][0], days[n + 2][1]
    page.wait_for_url(re.compile(rf"date_from={start}&date_to={end}"))
    expect(page.locator(".chips")).to_contain_text("From: ")
    shown = page.locator(".day-heading time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    assert shown and all(start <= day <= end for day in shown)
    page.screenshot(path=ARTIFACTS / "density-2-zoomed-by-keyboard.png")

    # Pointer: a drag across bars zooms to the period they cover; a click to one bar.
    page.goto(f"{base}/?conflict=russia-ukraine")
    box_first, box_last = bars.nth(1).bounding_box(), bars.nth(8).bounding_box()
    page.mouse.move(box_first["x"] + 2, box_first["y"] + box_first["height"] - 2)
    page.mouse.down()
    page.mouse.move(box_last["x"] + 2, box_last["y"] + box_last["height"] - 2, steps=5)
    page.mouse.up()
    page.wait_for_url(re.compile(rf"date_from={days[1][0]}&date_to={days[8][1]}"))
    page.goto(f"{base}/?conflict=russia-ukraine")
    bars.nth(0).click()
    page.wait_for_url(re.compile(rf"date_from={days[0][0]}&date_to={days[0][1]}"))
    assert not problems, problems


# -- TimelineJS renders our export ---------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def timelinejs_site(tmp_path):
    """TimelineJS's own files, served from this machine on a port of their own."""
    if not TIMELINEJS.exists():
        pytest.fail("TimelineJS is missing: run scripts/ensure-browser-assets.sh")
    shutil.copytree(TIMELINEJS, tmp_path / "timelinejs")
    (tmp_path / "index.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<link rel='stylesheet' href='timelinejs/css/timeline.css'>"
        "<script src='timelinejs/js/timeline.js'></script></head>"
        "<body><div id='timeline-embed' style='width: 100%; height: 640px'></div></body></html>"
    )
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_timelinejs_renders_the_export_with_each_slides_source_link(
    browser, live_server, seeded_full, timelinejs_site
):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, live_server.url)
    response = page.request.get(
        f"{live_server.url}/export.timelinejs.json?conflict=russia-ukraine&date_to=2025-03-31"
    )
    assert response.ok
    data = response.json()
    assert len(data["events"]) >= 10

    viewer = browser.new_page(viewport={"width": 1280, "height": 800})
    local_only(viewer, timelinejs_site)
    problems = watch_console(viewer)
    viewer.goto(f"{timelinejs_site}/index.html")
    viewer.evaluate("data => { window.rendered = new TL.Timeline('timeline-embed', data); }", data)
    slides = viewer.locator(".tl-slide")
    expect(slides).to_have_count(len(data["events"]) + 1)  # and the title slide
    for event in data["events"]:
        slide = viewer.locator(f"#{event['unique_id']}")
        expect(slide).to_be_attached()
        source = slide.locator(".tl-source")
        expect(source).to_have_count(1)
        if "media" in event:
            link = source.locator("a")
            expect(link).to_have_attribute("href", event["media"]["url"])
        else:
            expect(source).to_contain_text("Source: ")
    headlines = viewer.locator(".tl-slide .tl-headline").all_inner_texts()
    assert any("rejects: 30-day full ceasefire" in h for h in headlines)
    eras = viewer.locator(".tl-timeera")
    assert eras.count() >= 1  # the energy truce, in force from 18 March
    viewer.locator(".tl-slidenav-next").first.click()
    viewer.screenshot(path=ARTIFACTS / "timelinejs-export.png")
    # Only failures to reach the network (blocked on purpose) may be reported.
    assert not [p for p in problems if "ERR_FAILED" not in p and "net::" not in p], problems


# -- axe-core on every analyst page --------------------------------------------------------


def analyst_pages() -> list[str]:
    from negotiations.models import Event, Statement

    said = Statement.objects.filter(status="published").order_by("occurred_at").first()
    happened = Event.objects.order_by("occurred_at").first()
    return [
        "/",
        "/?party=russia&proposal=30-day-full-ceasefire&q=ceasefire",
        "/?party=narnia",
        "/?date_from=2025-03-20&date_to=2025-03-01",
        "/conflicts/",
        "/conflicts/russia-ukraine/",
        "/conflicts/russia-ukraine/changes/?date_from=2025-03-12&date_to=2025-03-25",
        "/proposals/",
        "/proposals/30-day-full-ceasefire/",
        "/parties/russia/",
        f"/statements/{said.pk}/",
        f"/events/{happened.pk}/",
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_on_any_analyst_page(browser, live_server, seeded_full, width):
    # axe is injected from its npm package: the CSP (rightly) refuses any other script.
    context = browser.new_context(
        viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True)), bypass_csp=True
    )
    page = context.new_page()
    local_only(page, live_server.url)
    sign_in(page, live_server.url)
    found = {}
    for path in analyst_pages():
        page.goto(live_server.url + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]
        ]
        if violations:
            found[path] = violations
    context.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
