# The browser fixtures (Debian's Chromium, the seeded scenario), shared by every browser test.
from tests.browser.test_analyst_journey import browser, seeded  # noqa: F401
