"""A real headless Chromium for the browser tests (Debian's chromium and
chromium-driver, driven with python3-selenium), with axe-core injected to
check every page a journey reaches against the WCAG 2.0, 2.1 and 2.2 A and
AA rules."""

import os
import time

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
AXE = os.path.join(HERE, "node_modules", "axe-core", "axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PHONE = (390, 844)
DESKTOP = (1280, 900)


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


class Browser:
    def __init__(self, base, width_height=DESKTOP, shots=None):
        o = Options()
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--lang=nl", "--window-size=%d,%d" % width_height):
            o.add_argument(a)
        o.binary_location = "/usr/bin/chromium"
        self.d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
        self.d.set_window_size(*width_height)
        self.base = base
        self.size = width_height
        self.shots = shots
        self.checked = []  # (path, width) of every page axe looked at
        with open(AXE, encoding="utf-8") as f:
            self.axe_src = f.read()

    def quit(self):
        try:
            self.d.quit()
        except WebDriverException:
            pass

    # -- moving about --
    def open(self, path):
        self.d.get(self.base + path)
        return self

    @property
    def path(self):
        url = self.d.current_url
        return url[len(self.base):] if url.startswith(self.base) else url

    def find(self, css):
        return self.d.find_element(By.CSS_SELECTOR, css)

    def all(self, css):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def text(self):
        return self.find("body").text

    def fill(self, field_id, value):
        el = self.find("#" + field_id)
        el.clear()
        el.send_keys(value)

    def choose(self, field_id, visible_text=None, value=None):
        s = Select(self.find("#" + field_id))
        if value is not None:
            s.select_by_value(value)
        else:
            s.select_by_visible_text(visible_text)

    def click(self, el):
        """Clicks el as a person would: scrolled to the middle of the screen first."""
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", el)
        el.click()

    def tick(self, field_id):
        el = self.find("#" + field_id)
        if not el.is_selected():
            self.click(el)

    def navigating(self, action):
        """Runs action (a click that loads a page) and waits for the new page."""
        old = self.find("html")
        action()

        def gone(_):
            try:
                old.is_enabled()
                return False
            except WebDriverException:  # stale, or (ChromeDriver) "does not belong to the document"
                return True
        WebDriverWait(self.d, 20).until(gone)
        WebDriverWait(self.d, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def submit(self, form_css="main form"):
        """Presses the submit button of the first form matching form_css."""
        self.navigating(lambda: self.click(self.find(form_css + " button[type=submit]")))

    def link(self, text):
        self.navigating(lambda: self.click(self.d.find_element(By.LINK_TEXT, text)))

    def follow(self, el):
        self.navigating(lambda: self.click(el))

    def enter(self):
        """Enter on the focused control (a button: sends its form)."""
        self.navigating(lambda: self.keys(Keys.ENTER))

    # -- what is measured --
    def axe(self, what):
        """axe-core on the page as it is now: fails on any violation."""
        self.d.execute_script(self.axe_src)
        res = self.d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
            ".then(r => done(r.violations.map(v => [v.id, v.impact, v.help,"
            " v.nodes.slice(0, 3).map(n => n.target.join(' '))])))"
            ".catch(e => done([['axe-error', 'critical', String(e), []]]));", AXE_TAGS)
        self.checked.append((self.path.split("?")[0], self.size[0]))
        self.shot(what)
        self.purpose(what)
        check(not res, "%s (%s, %d px): axe finds %s" % (what, self.path, self.size[0], "; ".join(
            "%s [%s] %s at %s" % (i, imp, h, ", ".join(n)) for i, imp, h, n in res)))

    def purpose(self, what):
        """The page says in one sentence what it is for: among the first few
        elements after its heading, a paragraph of words, not only a link."""
        found = self.d.execute_script(
            "const h = document.querySelector('main h1'); if (!h) return false;"
            "let el = h.nextElementSibling;"
            "for (let i = 0; el && i < 4; i++, el = el.nextElementSibling) {"
            "  const ps = el.tagName === 'P' ? [el] : Array.from(el.querySelectorAll(':scope > p'));"
            "  for (const p of ps) {"
            "    const words = p.innerText.trim().split(/\\s+/).length;"
            "    const links = Array.from(p.querySelectorAll('a')).map(a => a.innerText).join(' ').trim();"
            "    if (words >= 5 && links.length < p.innerText.trim().length / 2) return true; } }"
            "return false;")
        check(found, "%s (%s): no sentence under the heading says what the page is for" % (what, self.path))

    def shot(self, what):
        if self.shots:
            name = "%s-%d.png" % ("".join(c if c.isalnum() else "_" for c in what), self.size[0])
            self.d.save_screenshot(os.path.join(self.shots, name))

    def no_sideways_scroll(self, what):
        over = self.d.execute_script(
            "const w = document.documentElement.clientWidth; const out = [];"
            "const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {"
            "  const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; }"
            "  return false; };"
            "for (const el of document.querySelectorAll('body *')) {"
            "  if (scrolls(el)) continue;"  # a data table in its own scrolling region: allowed (WCAG 1.4.10)
            "  const r = el.getBoundingClientRect();"
            "  if (r.width && (r.right > w + 1 || r.left < -1) && getComputedStyle(el).position !== 'fixed')"
            "    out.push(el.tagName + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : ''));"
            "  if (out.length > 4) break; }"
            "return [document.documentElement.scrollWidth, w, out];")
        check(over[0] <= over[1] and not over[2], "%s (%s, %d px): wider than the screen (%d > %d): %s" % (
            what, self.path, self.size[0], over[0], over[1], over[2]))

    def zoom(self, factor):
        """Browser zoom as a person sets it: the page gets 1/factor of the CSS pixels."""
        self.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": int(self.size[0] / factor), "height": int(self.size[1] / factor),
            "deviceScaleFactor": factor, "mobile": False})

    def unzoom(self):
        self.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # -- the keyboard --
    def active(self):
        return self.d.switch_to.active_element

    def tab(self, shift=False):
        a = webdriver.ActionChains(self.d)
        if shift:
            a.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
        else:
            a.send_keys(Keys.TAB)
        a.perform()
        time.sleep(0.02)
        return self.active()

    def keys(self, *k):
        webdriver.ActionChains(self.d).send_keys(*k).perform()

    def focus_visible(self, el):
        """Whether the focused element shows that it has the focus: an
        outline or a box shadow that differs from its look without focus."""
        return self.d.execute_script(
            "const el = arguments[0]; const s = getComputedStyle(el);"
            "const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) ||"
            "  (s.boxShadow && s.boxShadow !== 'none');"
            "return ring;", el)
