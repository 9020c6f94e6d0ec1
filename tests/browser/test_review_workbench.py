"""An editor in Debian's Chromium reviews the demo feed's candidates with the keyboard only.

Three claims: one published after editing its stance row, one rejected, one merged into a
published statement found with the search picker; the confirmations, the matrix after
each, and the workbench at 1366 and 390 pixels. Keystrokes and seconds per review are
written to test-artifacts/review-timing.txt (measured, not asserted).
"""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.test_analyst_journey import ARTIFACTS, PASSWORD, browser, watch_console  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# caret="initial": Playwright otherwise hides the text caret with an inline style, which the
# page's content security policy rightly refuses (and reports as a console error).

DEMO = Path(settings.BASE_DIR) / "demo" / "feed" / "articles"


@pytest.fixture
def demo_queue(transactional_db):
    """The seed scenario and the candidates the worker finds in the demo feed's articles."""
    from negotiations.services.ingestion import ingest_source
    from negotiations.services.scenario import scenario_load
    from tests import factories

    scenario_load()
    for name in ("energy-truce-monitoring.html", "washington-full-ceasefire.html"):
        ingest_source(source=str(DEMO / name), sync=True)
    factories.editor(username="ed")


class Keyboard:
    """Presses keys and counts them; the only way this editor touches the page."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.count += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=20)
        self.count += len(text)


def sign_in(page, base: str, keys: Keyboard) -> None:
    page.goto(f"{base}/review/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").focus()
    keys.type("ed")
    keys.press("Tab")
    keys.type(PASSWORD)
    keys.press("Enter")
    page.wait_for_url(f"{base}/review/")


def go_to_claim(page, keys: Keyboard, pattern: str) -> None:
    """Press j (then k, from the end of the queue) until the claim in focus matches: its
    heading or its words as marked in the article."""
    heading = page.locator("#claim-heading")
    direction = "j"
    for _ in range(30):
        if re.search(pattern, heading.inner_text() + " " + page.locator("#span").inner_text()):
            return
        if direction == "j" and page.locator(".claim-nav a[rel=next]").count() == 0:
            direction = "k"
        before = heading.inner_text()
        keys.press(direction)
        expect(heading).not_to_have_text(before)
        # The swap is done when the workbench has put focus back on the claim's heading;
        # a key pressed before that would be taken from whatever it then focuses.
        expect(heading).to_be_focused()
    raise AssertionError(f"no claim matching {pattern!r} in the queue")


def matrix_cell(matrix_page, base: str, party: str, proposal: str, *, back_to) -> str:
    """The text of one cell of the Russia–Ukraine matrix, read in a second tab; then the
    workbench's tab is brought back to the front, where the editor's keys go."""
    matrix_page.goto(f"{base}/conflicts/russia-ukraine/")
    table = matrix_page.locator("table.matrix")
    column = [t.strip() for t in table.locator("thead th").all_inner_texts()].index(party)
    row = table.locator("tbody tr", has=matrix_page.locator("th", has_text=proposal)).first
    cell = row.locator("th, td").nth(column).inner_text()
    back_to.bring_to_front()
    return cell


def test_an_editor_reviews_three_claims_with_the_keyboard_only(
    browser,  # noqa: F811 (the shared fixture, imported above)
    live_server,
    demo_queue,
    settings,
):
    settings.REVIEW_UNDO_SECONDS = 3  # the offer to undo goes sooner than an editor's ten
    base = live_server.url
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    problems = watch_console(page)
    keys = Keyboard(page)
    sign_in(page, base, keys)
    expect(page.locator("#claim-heading")).to_be_focused()
    waiting = int(page.locator("#review-count").inner_text().split()[0])
    page.screenshot(path=ARTIFACTS / "review-1366.png", full_page=True, caret="initial")
    matrix = context.new_page()
    # A new tab takes the focus: give it back, or the workbench's document is inactive and
    # what the keys focus does not count as focused.
    page.bring_to_front()
    timings = []

    # 1. The Kremlin rejecting the full ceasefire: the editor reads "accepts with
    #    conditions" in the article, changes the stance row and publishes.
    go_to_claim(page, keys, r"The Kremlin[\s\S]*rejected the full ceasefire")
    start, pressed = time.monotonic(), keys.count
    keys.press("s")
    expect(page.locator("#id_stance-0-stance")).to_be_focused()
    expect(page.locator("#id_stance-0-stance")).to_have_value("rejects")
    keys.press("ArrowUp")  # Rejects → Accepts with conditions
    expect(page.locator("#id_stance-0-stance")).to_have_value("accepts_with_conditions")
    keys.press("Control+Enter")
    expect(page.locator("#confirmation")).to_contain_text(
        "Recorded: Russia — accepts with conditions — 30-day full ceasefire"
    )
    timings.append(
        ("publish after editing the stance", keys.count - pressed, time.monotonic() - start)
    )
    expect(page.locator("#claim-heading")).to_be_focused()
    page.screenshot(path=ARTIFACTS / "review-published.png", full_page=True, caret="initial")
    cell = matrix_cell(matrix, base, "Russia", "30-day full ceasefire", back_to=page)
    assert cell.startswith("◐ Accepts with conditions\n20 Mar 2025")  # the Kremlin spoke for Russia

    # 2. Reject: Zelensky's quote proposes no stance the editor can use.
    go_to_claim(page, keys, r"We are ready to stop strikes")
    start, pressed = time.monotonic(), keys.count
    keys.press("r")
    expect(page.locator("#confirmation")).to_contain_text("Rejected: Ukraine")
    timings.append(("reject", keys.count - pressed, time.monotonic() - start))
    assert "We are ready to stop strikes" not in matrix_cell(
        matrix, base, "Ukraine", "30-day halt to strikes on energy infrastructure", back_to=page
    )

    # 3. Merge: the Kremlin's word that the energy pause holds repeats the Kremlin's
    #    published acceptance of it; the editor finds that statement with the picker.
    go_to_claim(page, keys, r"The Kremlin said the pause on strikes")
    start, pressed = time.monotonic(), keys.count
    keys.press("m")
    expect(page.locator("#merge-q")).to_be_focused()
    keys.type("Kremlin energy")
    first = page.locator(".merge-target").first
    expect(page.locator("#merge-hint")).to_contain_text("matching “Kremlin energy”")
    expect(first).to_contain_text("The Kremlin for Russia, 18 Mar 2025")
    keys.press("ArrowDown")
    expect(first).to_be_focused()
    keys.press("Enter")
    expect(page.locator("#confirmation")).to_contain_text("Merged into: Russia — accepts")
    timings.append(("merge via the picker", keys.count - pressed, time.monotonic() - start))
    assert "reports" in matrix_cell(
        matrix, base, "Russia", "30-day halt to strikes on energy infrastructure", back_to=page
    )

    # The header counts what still waits; undo is offered, then withdrawn.
    expect(page.locator("#review-count")).to_have_text(re.compile(rf"^{waiting - 3}\b"))
    page.screenshot(path=ARTIFACTS / "review-merged.png", full_page=True, caret="initial")
    expect(page.locator(".undo-form")).to_have_count(0, timeout=6_000)

    with open(ARTIFACTS / "review-timing.txt", "w") as out:
        for what, count, seconds in timings:
            out.write(f"{what}: {count} keystrokes, {seconds:.2f} s\n")
    assert not problems, "\n".join(problems)


def test_undo_puts_the_claim_back(browser, live_server, demo_queue):  # noqa: F811
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    keys = Keyboard(page)
    sign_in(page, live_server.url, keys)
    first = page.locator("#claim-heading").inner_text().split(":", 1)[1]
    keys.press("r")
    expect(page.locator(".undo-form")).to_be_visible()
    keys.press("u")
    expect(page.locator("#confirmation")).to_contain_text("Undone")
    expect(page.locator("#claim-heading")).to_contain_text(first.strip())


def test_the_workbench_on_a_phone(browser, live_server, demo_queue):  # noqa: F811
    page = browser.new_page(viewport={"width": 390, "height": 844})
    problems = watch_console(page)
    sign_in(page, live_server.url, Keyboard(page))
    page.screenshot(path=ARTIFACTS / "review-390.png", full_page=True, caret="initial")
    # What the phone shows, screen by screen (the full page is too tall to read at once).
    for part, selector in [("top", "#claim-heading"), ("form", ".who"), ("rows", ".rows")]:
        page.locator(selector).first.scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"review-390-{part}.png", caret="initial")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the workbench overflows by {overflow}px at 390px"
    # The action bar stays on screen and its buttons can be tapped.
    for name in ("Publish", "Reject"):
        button = page.get_by_role("button", name=re.compile(f"^{name}"))
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 32 and box["x"] + box["width"] <= 390
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.locator("#confirmation")).to_contain_text("Recorded:")
    page.screenshot(path=ARTIFACTS / "review-390-published.png", full_page=True, caret="initial")
    assert not problems, "\n".join(problems)
