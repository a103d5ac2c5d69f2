"""One headless Chromium (Debian's package) per test class, on a live server."""

import shutil
import sys
import tempfile
import unittest
from pathlib import Path

from django.contrib.staticfiles.testing import StaticLiveServerTestCase

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# axe-core, fetched from the npm registry by `make install-dev` (Makefile).
AXE = Path(sys.prefix) / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
HAVE_BROWSER = bool(shutil.which("chromium") and shutil.which("chromedriver"))


@unittest.skipUnless(HAVE_BROWSER, "Debian's chromium and chromium-driver are not installed")
class ChromiumTestCase(StaticLiveServerTestCase):
    """A live server with the seed articles and one headless Chromium per class."""

    fixtures = ["seed_articles"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        cls.profile = tempfile.mkdtemp(prefix="archive-chromium-")
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            # A page restored from the back-forward cache can swap its nodes while
            # a test is clicking them ("Node ... does not belong to the document").
            "--disable-features=BackForwardCache",
            f"--user-data-dir={cls.profile}",
            "--lang=fr",
            "--window-size=1200,900",
        ):
            options.add_argument(flag)
        # The console (Content-Security-Policy violations are reported there).
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # An explicit driver path: Selenium Manager would try to download one.
        cls.browser = webdriver.Chrome(
            service=Service(executable_path=CHROMEDRIVER), options=options
        )
        cls.browser.implicitly_wait(5)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        shutil.rmtree(cls.profile, ignore_errors=True)
        super().tearDownClass()

    def css(self, selector):
        from selenium.webdriver.common.by import By

        return self.browser.find_elements(By.CSS_SELECTOR, selector)

    def follow(self, element) -> None:
        """Click a link or button and wait until the next page has replaced this one."""
        from selenium.webdriver.common.by import By

        page = self.browser.find_element(By.TAG_NAME, "html")
        element.click()
        self.wait_for_next_page(page)

    def back(self) -> None:
        from selenium.webdriver.common.by import By

        page = self.browser.find_element(By.TAG_NAME, "html")
        self.browser.back()
        self.wait_for_next_page(page)

    def wait_for_next_page(self, page) -> None:
        """Wait until `page` (the old document's html element) is gone and the
        next document has loaded. Chromium sometimes answers a question about
        the old element with "Node ... does not belong to the document"
        rather than a stale-element error: that, too, means it is gone."""
        from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait

        def gone(_browser) -> bool:
            try:
                page.is_enabled()
            except StaleElementReferenceException:
                return True
            except WebDriverException as error:
                if "does not belong to the document" in str(error):
                    return True
                raise
            return False

        WebDriverWait(self.browser, 15).until(gone)
        self.wait_until_loaded()

    def wait_until_loaded(self) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.browser, 15).until(
            lambda browser: browser.execute_script("return document.readyState") == "complete"
        )

    def direction_of(self, element) -> str:
        return self.browser.execute_script(
            "return getComputedStyle(arguments[0]).direction", element
        )

    # -- viewport, screenshots, accessibility ----------------------------------

    def viewport(self, width: int, height: int, *, phone: bool = False) -> None:
        """Emulate a screen of this size (a phone: touch, mobile viewport)."""
        self.browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": phone},
        )
        self.browser.execute_cdp_cmd(
            "Emulation.setTouchEmulationEnabled", {"enabled": phone, "maxTouchPoints": 5}
        )

    def screenshot(self, name: str) -> None:
        """A picture of the page in var/screenshots/ (git-ignored), for people."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))

    def axe_violations(self) -> list[dict]:
        """axe-core's violations on the current page: WCAG 2.1 A and AA, and
        best practices."""
        if not AXE.exists():
            self.skipTest(f"axe-core is not installed ({AXE}): `make install-dev` fetches it")
        self.browser.execute_script(AXE.read_text(encoding="utf-8"))
        self.browser.set_script_timeout(60)
        result = self.browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
            ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));"
        )
        return [
            {
                "id": v["id"],
                "help": v["help"],
                "nodes": [node["target"] for node in v["nodes"]][:5],
            }
            for v in result
        ]
