"""`gremien serve` with real clients: Chromium (Selenium) and Python's icalendar.

1. A real browser (Debian's chromium and chromium-driver, PyPI selenium) signs in with an API
   token, opens the first session of the AG § 78 the overview lists (a held one without
   attendance: attendance is recorded once a session has begun), records the job-com's attendance through the
   form and submits it; the attendance is then read back through the JSON API and from the store
   (`gremien attendance show`), and a screenshot of the session page is saved.
2. A calendar client: Python's icalendar + recurring-ical-events fetch a person's private feed
   over HTTP and must see exactly the sessions of that person's seats, one regular and one
   deputy (`gremien sessions --body` lists them), the deputy's free and titled "Vertretung: …";
   a second request with the ETag gets 304.
3. The server stops on SIGTERM with status 0, and its log holds neither token.

usage: check_server.py GREMIEN_BINARY WORK_DIR SCREENSHOT_PATH
"""

import json
import os
import signal
import subprocess
import sys
import time
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from browser_common import click_for_next_page, free_port, page_wait, request, run
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

warnings.simplefilter("error")


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    return request(url, headers=headers)


def main() -> None:
    gremien, work, screenshot = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    work.mkdir(parents=True, exist_ok=True)
    store = f"sqlite:{work / 'gremien.sqlite'}"
    run(gremien, "sync", "--calendars", "calendars", "--store", store, "--apply")
    anna = run(gremien, "person", "add", "Anna Beispiel", "--office", "jc", "--level", "AL", "--store", store).strip()
    if anna != "anna-beispiel":
        sys.exit(f"gremien person add printed {anna!r}, not the new id")
    # One regular seat and one deputy seat: what her own calendar holds.
    run(gremien, "seat", "assign", "ag-78", "--office", "jc", "--person", anna, "--store", store)
    run(gremien, "seat", "assign", "beirat-18d", "--office", "jc", "--person", anna, "--deputy", "--store", store)
    api = run(gremien, "token", "issue", "--person", "Anna Beispiel", "--kind", "api", "--role", "coordinator",
              "--body", "ag-78", "--store", store).strip()
    feed = run(gremien, "token", "issue", "--person", "Anna Beispiel", "--kind", "feed", "--store", store).strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(work / "serve.log", "w")
    server = subprocess.Popen([gremien, "serve", "--port", str(port), "--store", store, "--log-level", "debug"], stdout=log, stderr=log)
    try:
        for _ in range(100):
            try:
                if get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            sys.exit("gremien serve did not answer /healthz")
        session = browser(base, api, screenshot)
        check_api_and_store(gremien, store, base, api, session)
        check_personal_feed(gremien, store, base, feed)
    finally:
        server.send_signal(signal.SIGTERM)
        status = server.wait(timeout=30)
        log.close()
    if status != 0:
        sys.exit(f"gremien serve exited with {status} on SIGTERM")
    text = (work / "serve.log").read_text()
    if api in text or feed in text:
        sys.exit("a token is in the server's log")
    print(f"server: browser, API, store and calendar client agree; stopped on SIGTERM; {text.count('request')} requests logged without tokens")


def browser(base: str, api: str, screenshot: Path) -> str:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,1600", "--lang=de"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(base + "/")
        # Programs and the operator sign in with an API token (people use their account).
        driver.find_element(By.TAG_NAME, "summary").click()
        driver.find_element(By.ID, "token").send_keys(api)
        # The page is replaced while we look: an element of the old page means "not yet".
        wait = page_wait(driver, 15)
        click_for_next_page(driver, wait, driver.find_element(By.XPATH, "//button[normalize-space()='Mit Token anmelden']"))
        wait.until(lambda d: d.find_elements(By.TAG_NAME, "h1") and d.find_element(By.TAG_NAME, "h1").text == "Übersicht")
        link = driver.find_element(By.CSS_SELECTOR, "a[href^='/sitzungen/ag-78/']")
        path = link.get_attribute("href").split(base, 1)[1]
        click_for_next_page(driver, wait, link)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "form[action$='/anwesenheit']"))
        rows = driver.find_elements(By.CSS_SELECTOR, "input[type=hidden][name^='office_']")
        index = next(r.get_attribute("name").split("_")[1] for r in rows if r.get_attribute("value") == "jc")
        label = driver.find_element(By.CSS_SELECTOR, f"label[for='status_{index}']").text
        assert label == "Status", label
        Select(driver.find_element(By.ID, f"status_{index}")).select_by_visible_text("anwesend")
        driver.find_element(By.ID, f"person_{index}").send_keys("Anna Beispiel")
        click_for_next_page(driver, wait, driver.find_element(By.XPATH, "//button[text()='Anwesenheit speichern']"))
        wait.until(lambda d: "Die Anwesenheit ist gespeichert." in d.find_element(By.TAG_NAME, "main").text)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(screenshot))
        return path.split("/")[3].split("?")[0]  # the planned date
    finally:
        driver.quit()


def check_api_and_store(gremien: str, store: str, base: str, api: str, day: str) -> None:
    status, _, body = get(f"{base}/api/v1/sessions/ag-78/{day}/attendance", {"Authorization": f"Bearer {api}"})
    entries = json.loads(body)["entries"] if status == 200 else sys.exit(f"API: {status} {body[:200]!r}")
    if {(e["office"], e["person"], e["status"]) for e in entries} != {("jc", "Anna Beispiel", "present")}:
        sys.exit(f"API attendance: {entries}")
    shown = json.loads(run(gremien, "attendance", "show", "ag-78", day, "--format", "json", "--store", store))
    recorded = [(e["office"], e.get("person"), e["status"]) for e in shown["attendance"]]
    if recorded != [("jc", "Anna Beispiel", "present")]:
        sys.exit(f"store attendance: {recorded}")


def check_personal_feed(gremien: str, store: str, base: str, feed: str) -> None:
    status, headers, body = get(f"{base}/feeds/personal/{feed}.ics")
    if status != 200 or not headers.get("Content-Type", "").startswith("text/calendar"):
        sys.exit(f"personal feed: {status} {headers}")
    calendar = icalendar.Calendar.from_ical(body)
    zone = ZoneInfo("Europe/Berlin")
    start = datetime.combine(date.today(), datetime.min.time(), zone)
    end = start + timedelta(days=365)
    # cancelled_sessions: show (the default): cancelled sessions are stated, STATUS:CANCELLED.
    seen = {(str(e["UID"]), e["DTSTART"].dt.astimezone(zone).isoformat(), str(e.get("STATUS", "")) == "CANCELLED")
            for e in recurring_ical_events.of(calendar).between(start, end)}
    listed = json.loads(run(gremien, "sessions", "--store", store, "--body", "ag-78", "--body", "beirat-18d",
                            "--from", start.date().isoformat(), "--to", end.date().isoformat(), "--format", "json"))
    expected = {(s["uid"], datetime.fromisoformat(s["start"]).astimezone(zone).isoformat(), s["status"] == "cancelled")
                for s in listed}
    if seen != expected or not seen:
        sys.exit(f"personal feed: {len(seen)} sessions, her seats' bodies ag-78 and beirat-18d: {len(expected)}; "
                 f"only in feed {sorted(seen - expected)[:3]}, only listed {sorted(expected - seen)[:3]}")
    # The deputy seat's sessions are free and say "Vertretung"; the regular seat's are busy.
    for e in recurring_ical_events.of(calendar).between(start, end):
        deputy = "beirat-18d" in str(e["UID"])
        cancelled = str(e.get("STATUS", "")) == "CANCELLED"
        summary = str(e["SUMMARY"]).removeprefix("Abgesagt: ")
        if deputy != summary.startswith("Vertretung: "):
            sys.exit(f"personal feed: {e['UID']} {e['DTSTART'].dt}: summary {e['SUMMARY']!r}")
        if str(e.get("TRANSP", "")) != ("TRANSPARENT" if deputy or cancelled else "OPAQUE"):
            sys.exit(f"personal feed: {e['UID']} {e['DTSTART'].dt}: TRANSP {e.get('TRANSP')}")
    deputies = sum(1 for s in listed if s["body"] == "beirat-18d")
    again, _, rest = get(f"{base}/feeds/personal/{feed}.ics", {"If-None-Match": headers["ETag"]})
    if again != 304 or rest:
        sys.exit(f"personal feed with its ETag: {again}, {len(rest)} bytes")
    print(f"client: personal feed holds exactly the {len(seen)} sessions of her seats for a year "
          f"({len(seen) - deputies} as member of ag-78, busy; {deputies} as deputy in beirat-18d, free); 304 with its ETag")


if __name__ == "__main__":
    main()
