"""What the browser checks share: running gremien, a free port, HTTP requests without redirects,
and waiting in Chromium while one page replaces another."""

import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def run(*args: str) -> str:
    """A gremien command's standard output; its standard error ends the check when it fails."""
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)}: {done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None):
    """(status, headers, body) of a GET, or of a form POST when `data` is given; redirects are not followed."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=body, headers=headers or {}), timeout=15) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def page_wait(driver, seconds: float) -> WebDriverWait:
    """A wait that reads an element of a page being replaced as "not yet": Chromium says so as
    "stale", as "no such element" or, while the next page is being built, as "Node with given id
    does not belong to the document" (a plain WebDriverException)."""
    return WebDriverWait(driver, seconds,
                         ignored_exceptions=(StaleElementReferenceException, NoSuchElementException, WebDriverException))


def click_for_next_page(driver, wait: WebDriverWait, element) -> None:
    """Clicks what submits a form or follows a link, and waits until the old page is gone."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()

    def replaced(_) -> bool:
        try:
            old.is_enabled()
            return False
        except (StaleElementReferenceException, WebDriverException):
            return True

    wait.until(replaced)
