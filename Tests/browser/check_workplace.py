"""The workplace in a real browser: every role does its daily work on the German pages.

Headless Chromium (Debian's chromium and chromium-driver, PyPI selenium) runs `gremien serve` on
a store synced from the shipped calendars/. The admin opens people's accounts on the command
line (`gremien account invite`, one-time links); then, each in their own browser:

- the admin signs in by the link, sets a password, signs out and in again with e-mail and
  password, issues an API token and revokes it (Zugänge);
- the coordinator of the AG § 78 adds two people (Personen), adds an extra session (Gremium),
  edits a coming session's agenda (add, move up, remove), cancels one session and moves
  another, records the job-com's attendance of a past session for two people with arrival
  times, corrects one and removes the other (with a reason), approves and reopens the minutes;
  a hand-made post for another body's session and a post without the CSRF token are refused;
- a member of staff subscribes to their personal link (Mein Kalender); the feed is fetched and
  read with the PyPI icalendar package;
- the auditor downloads the participation report in every format and sees the result of the
  event log's verification (Prüfung).

After each step the store is read back through the command line or the API and what was stored
is asserted. Every page is screenshotted to .build/screenshots/ and checked by axe-core (PyPI
axe-selenium-python): no violation of impact serious or critical. Then the server restarts on
the same store: the coordinator's browser is still signed in. Ten wrong passwords: the next
attempt is refused with 429 and Retry-After.

usage: check_workplace.py GREMIEN_BINARY WORK_DIR SCREENSHOT_DIR
"""

import csv
import io
import json
import re
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from axe_selenium_python import Axe
from browser_common import click_for_next_page, free_port, page_wait, request, run
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

PASSWORDS = {"admin": "Verwaltung-2026!", "coordinator": "Jugendhilfe-78!", "staff": "Jobcenter-Kalender",
             "auditor": "Pruefung-RPA-26"}
checked_pages: list[str] = []


def fail(message: str) -> None:
    sys.exit(f"check_workplace: {message}")


class Server:
    def __init__(self, gremien: str, store: str, work: Path):
        self.gremien, self.store, self.work = gremien, store, work
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self) -> None:
        log = open(self.work / "serve.log", "a")
        self.process = subprocess.Popen(
            [self.gremien, "serve", "--port", str(self.port), "--store", self.store, "--public-url", self.base],
            stdout=log, stderr=log)
        for _ in range(150):
            try:
                if request(f"{self.base}/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        fail("gremien serve did not answer /healthz")

    def stop(self) -> None:
        if self.process:
            self.process.send_signal(signal.SIGTERM)
            if self.process.wait(timeout=30) != 0:
                fail("gremien serve did not stop cleanly on SIGTERM")
            self.process = None


class Browser:
    """One person's browser: its own cookies."""

    def __init__(self, who: str, base: str, shots: Path, downloads: Path | None = None):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1800", "--lang=de"):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        if downloads:
            self.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        self.who, self.base, self.shots = who, base, shots
        self.wait = page_wait(self.driver, 20)

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    def main_text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "main").text

    def until_text(self, text: str) -> None:
        try:
            self.wait.until(lambda d: text in d.find_element(By.TAG_NAME, "main").text)
        except Exception:
            fail(f"{self.who}: '{text}' did not appear on {self.driver.current_url}:\n{self.main_text()[:1500]}")

    def click(self, xpath: str) -> None:
        """Clicks what submits a form and waits for the next page."""
        click_for_next_page(self.driver, self.wait, self.driver.find_element(By.XPATH, xpath))

    def button(self, text: str) -> None:
        self.click(f"//button[normalize-space()='{text}']")

    def type(self, element_id: str, text: str) -> None:
        field = self.driver.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(text)

    def look(self, name: str) -> None:
        """A screenshot of the page, and axe-core's check of it."""
        self.shots.mkdir(parents=True, exist_ok=True)
        height = self.driver.execute_script("return document.body.scrollHeight")
        self.driver.set_window_size(1280, max(900, min(height + 100, 8000)))
        self.driver.save_screenshot(str(self.shots / f"{name}.png"))
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        if bad:
            fail(f"axe on {name} ({self.driver.current_url}): "
                 + "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad))
        checked_pages.append(name)

    def csrf(self) -> str:
        return self.driver.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_attribute("value")

    def cookie(self) -> str:
        c = self.driver.get_cookie("gremien_sitzung")
        return f"gremien_sitzung={c['value']}" if c else ""

    def sign_in_by_link(self, link: str, password: str, shot: str | None = None) -> None:
        self.driver.get(link)
        if shot:
            self.look(shot)
        self.button("Jetzt anmelden")
        self.until_text("Bitte legen Sie jetzt Ihr Passwort fest.")
        if shot:
            self.look("konto")
        self.type("neu", password)
        self.type("wiederholung", password)
        self.button("Speichern")
        self.until_text("Das neue Passwort ist gespeichert.")

    def sign_out(self) -> None:
        self.button("Abmelden")
        self.wait.until(lambda d: d.find_elements(By.ID, "passwort"))

    def sign_in(self, email: str, password: str) -> None:
        self.open("/")
        self.type("email", email)
        self.type("passwort", password)
        self.click("//form[@action='/anmelden']//button[normalize-space()='Anmelden']")
        self.until_text("Offene Arbeiten")

    def quit(self) -> None:
        self.driver.quit()


def invite(gremien: str, store: str, base: str, person: str, office: str, email: str, *roles: str) -> str:
    person_id = run(gremien, "person", "add", person, "--office", office, "--level", "SGL", "--email", email,
                    "--store", store).strip()
    args = [gremien, "account", "invite", "--person", person_id, "--url", base, "--store", store]
    for r in roles:
        args += r.split(" ")
    return run(*args).strip()


def main() -> None:
    gremien, work, shots = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    work.mkdir(parents=True, exist_ok=True)
    downloads = work / "downloads"
    downloads.mkdir(exist_ok=True)
    store = f"sqlite:{work / 'gremien.sqlite'}"
    run(gremien, "sync", "--calendars", "calendars", "--store", store, "--apply")
    server = Server(gremien, store, work)
    base = server.base
    links = {
        "admin": invite(gremien, store, base, "Ada Verwaltung", "soza", "ada.verwaltung@kreis.example", "--role admin"),
        "coordinator": invite(gremien, store, base, "Karl Koordinator", "ja-k", "karl.koordinator@kreis.example",
                              "--role coordinator", "--body ag-78"),
        "staff": invite(gremien, store, base, "Sina Jobcenter", "jc", "sina.jobcenter@kreis.example"),
        "auditor": invite(gremien, store, base, "Rita Prüferin", "rpa", "rita.pruferin@kreis.example", "--role auditor"),
    }
    auditor_api = run(gremien, "token", "issue", "--person", "Rita Prüferin", "--kind", "api", "--role", "auditor",
                      "--store", store).strip()
    server.start()
    browsers: list[Browser] = []
    try:
        admin = Browser("admin", base, shots)
        browsers.append(admin)
        walk_admin(admin, gremien, store, links["admin"])
        coordinator = Browser("coordinator", base, shots)
        browsers.append(coordinator)
        walk_coordinator(coordinator, gremien, store, links["coordinator"], auditor_api)
        staff = Browser("staff", base, shots)
        browsers.append(staff)
        feed_sessions = walk_staff(staff, gremien, store, links["staff"])
        auditor = Browser("auditor", base, shots, downloads)
        browsers.append(auditor)
        formats = walk_auditor(auditor, links["auditor"], downloads)
        # A restart keeps people signed in: their sessions are in the store.
        server.stop()
        server.start()
        coordinator.open("/")
        coordinator.until_text("Offene Arbeiten")
        if "Karl Koordinator" not in coordinator.driver.find_element(By.TAG_NAME, "header").text:
            fail("after a restart the coordinator is no longer signed in")
        throttled = wrong_passwords(base)
    finally:
        for b in browsers:
            b.quit()
        server.stop()
    print(f"workplace: admin, coordinator, staff and auditor walked their tasks; {len(checked_pages)} pages "
          f"without serious or critical axe violations, screenshots in {shots}; personal feed read with icalendar "
          f"({feed_sessions} sessions); reports downloaded as {', '.join(formats)}; signed in across a restart; "
          f"after 10 wrong passwords: {throttled}")


def walk_admin(b: Browser, gremien: str, store: str, link: str) -> None:
    b.sign_in_by_link(link, PASSWORDS["admin"], shot="anmelden-link")
    b.sign_out()
    b.look("anmelden")
    b.sign_in("ada.verwaltung@kreis.example", PASSWORDS["admin"])
    b.look("uebersicht-verwaltung")
    accounts = run(gremien, "account", "list", "--store", store)
    if not re.search(r"ada-verwaltung\s+Ada Verwaltung\s+ada\.verwaltung@kreis\.example\s+admin\s+set", accounts):
        fail(f"account list after setting the password:\n{accounts}")
    b.open("/zugaenge")
    b.look("zugaenge")
    Select(b.driver.find_element(By.ID, "token_person")).select_by_value("karl-koordinator")
    Select(b.driver.find_element(By.ID, "art")).select_by_value("api")
    Select(b.driver.find_element(By.ID, "rolle")).select_by_value("coordinator")
    b.driver.find_element(By.ID, "tgremium_ag-78").click()
    b.button("Token ausstellen")
    b.until_text("nur jetzt angezeigt")
    b.look("zugaenge-token")
    secret = b.driver.find_element(By.ID, "einmal").get_attribute("value")
    if not secret.startswith("ga_"):
        fail(f"issued token shown as {secret[:6]}…")
    listed = run(gremien, "token", "list", "--store", store)
    row = next((l for l in listed.splitlines() if "karl-koordinator" in l and "coordinator" in l), None)
    if not row or "active" not in row or "ag-78" not in row:
        fail(f"token list after issuing:\n{listed}")
    token_id = row.split()[0]
    b.click(f"//button[@aria-label='Token {token_id} widerrufen']")
    b.until_text("Das Token ist widerrufen.")
    listed = run(gremien, "token", "list", "--store", store)
    if not any(l.startswith(token_id) and l.rstrip().endswith("revoked") for l in listed.splitlines()):
        fail(f"token {token_id} not revoked in the store:\n{listed}")


def sessions(gremien: str, store: str, start: date, end: date) -> list[dict]:
    return json.loads(run(gremien, "sessions", "--store", store, "--body", "ag-78", "--from", start.isoformat(),
                          "--to", end.isoformat(), "--format", "json"))


def walk_coordinator(b: Browser, gremien: str, store: str, link: str, auditor_api: str) -> None:
    b.sign_in_by_link(link, PASSWORDS["coordinator"])
    b.open("/")
    b.look("uebersicht-koordination")
    # Personen: three people of the job-com; one of them then moves to the youth office.
    b.open("/personen")
    b.look("personen")
    for name in ("Paul Eins", "Petra Zwei", "Peter Drei"):
        b.type("name", name)
        Select(b.driver.find_element(By.ID, "dienststelle")).select_by_value("jc")
        Select(b.driver.find_element(By.ID, "ebene")).select_by_value("TL")
        b.button("Anlegen")
        b.until_text(f"{name} ist gespeichert.")
    # Peter Drei moves to the youth office; a bad address is said next to its field.
    Select(b.driver.find_element(By.ID, "aendern_person")).select_by_value("peter-drei")
    b.type("aendern_email", "petra@kreis")  # the browser takes it, Gremien does not
    b.button("Ändern")
    b.until_text("Bitte eine E-Mail-Adresse angeben")
    Select(b.driver.find_element(By.ID, "aendern_person")).select_by_value("peter-drei")
    b.type("aendern_email", "peter.drei@kreis.example")
    Select(b.driver.find_element(By.ID, "aendern_dienststelle")).select_by_value("ja-k")
    b.button("Ändern")
    b.until_text("Peter Drei ist gespeichert.")
    b.look("personen-geaendert")
    people = json.loads(run(gremien, "person", "list", "--format", "json", "--store", store))
    peter = next((p for p in people if p["id"] == "peter-drei"), None)
    if not any(p["id"] == "paul-eins" for p in people) or not peter or peter["office"] != "ja-k" \
            or peter["email"] != "peter.drei@kreis.example":
        fail(f"person list:\n{people}")
    today = date.today()
    # Gremium: an extra session.
    b.open("/gremien/ag-78")
    b.look("gremium")
    extra = today + timedelta(days=23)
    b.driver.execute_script(f"document.getElementById('datum').value = '{extra.isoformat()}';"
                            "document.getElementById('zeit').value = '10:30';")
    b.type("titel", "Sondersitzung Haushalt")
    b.button("Sitzung eintragen")
    # The day may be a holiday, a closing day or a weekend (it depends on today): the page then
    # asks before it records anything, and the second button records it.
    if "Trotzdem eintragen" in b.main_text():
        b.button("Trotzdem eintragen")
    b.until_text("Die zusätzliche Sitzung ist eingetragen.")
    listed = sessions(gremien, store, extra, extra + timedelta(days=1))
    if not any(s["title"] == "Sondersitzung Haushalt" and s["start"].startswith(f"{extra.isoformat()}T10:30") for s in listed):
        fail(f"added session not listed: {listed}")
    coming = [s for s in sessions(gremien, store, today + timedelta(days=1), today + timedelta(days=200))
              if s["status"] == "scheduled" and s["recurrenceId"]]
    agenda_day, cancel_day, move_day = (s["recurrenceId"][:10] for s in coming[:3])
    # Agenda: add three items, move the third up, remove the first.
    b.open(f"/sitzungen/ag-78/{agenda_day}")
    for item in ("Haushalt 2027", "Jugendhilfeplanung", "Bericht der Träger"):
        b.type("punkt", item)
        b.button("Punkt hinzufügen")
        b.until_text("Die Tagesordnung ist gespeichert.")
    b.click("//li[starts-with(normalize-space(), 'Bericht der Träger')]//button[normalize-space()='nach oben']")
    b.until_text("Die Tagesordnung ist gespeichert.")
    b.click("//li[starts-with(normalize-space(), 'Haushalt 2027')]//button[normalize-space()='entfernen']")
    b.until_text("Die Tagesordnung ist gespeichert.")
    b.look("sitzung-tagesordnung")
    minutes = run(gremien, "minutes", "ag-78", agenda_day, "--store", store)
    section = minutes.split("## Tagesordnung", 1)[1].split("##", 1)[0]
    order = [line.split(". ", 1)[1] for line in section.splitlines() if re.match(r"^\d+\. ", line)]
    # New items come before "Verschiedenes"; the standing items stay (they have no remove button).
    if order[-3:] != ["Bericht der Träger", "Jugendhilfeplanung", "Verschiedenes"] or "Haushalt 2027" in order:
        fail(f"agenda in the minutes: {order}")
    # Cancel one session, move another.
    b.open(f"/sitzungen/ag-78/{cancel_day}")
    b.type("grund_absage", "Terminkollision mit dem Jugendhilfeausschuss")
    b.button("Sitzung absagen")
    b.until_text("Die Sitzung ist abgesagt.")
    b.look("sitzung-abgesagt")
    b.open(f"/sitzungen/ag-78/{move_day}")
    # First onto the Saturday after: the page warns and asks before it records anything.
    saturday = date.fromisoformat(move_day) + timedelta(days=(5 - date.fromisoformat(move_day).weekday()) % 7)
    b.driver.execute_script(f"document.getElementById('neu_datum').value = '{saturday.isoformat()}';"
                            "document.getElementById('neu_zeit').value = '09:00';")
    b.type("grund_verlegung", "Raum belegt")
    b.button("Sitzung verlegen")
    b.until_text(f"Der {saturday.strftime('%d.%m.%Y')} ist ein Samstag.")
    b.until_text("Trotzdem verlegen")
    b.look("sitzung-verlegen-bestaetigen")
    moved_to = date.fromisoformat(move_day) + timedelta(days=2)
    b.driver.execute_script(f"document.getElementById('neu_datum').value = '{moved_to.isoformat()}';"
                            "document.getElementById('neu_zeit').value = '09:00';")
    b.type("grund_verlegung", "Raum belegt")
    b.button("Sitzung verlegen")
    # Two days later may still be a holiday or clash with another body (it depends on today).
    if "Trotzdem verlegen" in b.main_text():
        b.button("Trotzdem verlegen")
    b.until_text("Die Sitzung ist verlegt.")
    b.until_text(f"ursprünglich geplant am {date.fromisoformat(move_day).strftime('%d.%m.%Y')}")
    after = {s["recurrenceId"][:10]: s for s in sessions(gremien, store, today, today + timedelta(days=200)) if s["recurrenceId"]}
    if after[cancel_day]["status"] != "cancelled" or "Jugendhilfeausschuss" not in (after[cancel_day]["reason"] or ""):
        fail(f"cancelled session in the store: {after[cancel_day]}")
    if after[move_day]["status"] != "moved" or not after[move_day]["start"].startswith(f"{moved_to.isoformat()}T09:00"):
        fail(f"moved session in the store: {after[move_day]}")
    # Attendance of a past session: two people of the job-com with arrival times.
    past = [s for s in sessions(gremien, store, today - timedelta(days=120), today)
            if s["status"] == "scheduled" and s["recurrenceId"]]
    day = past[-1]["recurrenceId"][:10]
    b.open(f"/sitzungen/ag-78/{day}")
    b.look("sitzung-anwesenheit")

    def jc_rows() -> list[str]:
        return [r.get_attribute("name").split("_")[1] for r in
                b.driver.find_elements(By.CSS_SELECTOR, "input[type=hidden][name^='office_']") if r.get_attribute("value") == "jc"]

    def fill(index: str, person: str, arrival: str) -> None:
        b.type(f"person_{index}", person)
        Select(b.driver.find_element(By.ID, f"status_{index}")).select_by_visible_text("anwesend")
        b.driver.execute_script(f"document.getElementById('arrival_{index}').value = '{arrival}';")

    fill(jc_rows()[0], "Paul Eins", "14:00")
    b.button("Anwesenheit speichern")
    b.until_text("Die Anwesenheit ist gespeichert.")
    fill(jc_rows()[-1], "Petra Zwei", "14:20")
    b.button("Anwesenheit speichern")
    b.until_text("Die Anwesenheit ist gespeichert.")

    def stored() -> list[tuple]:
        shown = json.loads(run(gremien, "attendance", "show", "ag-78", day, "--format", "json", "--store", store))
        return sorted((e["office"], e.get("person"), e["status"], e.get("arrival")) for e in shown["attendance"])

    got = stored()
    if [(o, p, s, (a or "")[-5:]) for o, p, s, a in got] != [("jc", "Paul Eins", "present", "14:00"), ("jc", "Petra Zwei", "present", "14:20")]:
        fail(f"attendance of two people: {got}")
    # Correct Paul's arrival, remove Petra's entry: a reason is needed.
    rows = jc_rows()
    b.driver.execute_script(f"document.getElementById('arrival_{rows[0]}').value = '14:05';")
    b.driver.find_element(By.ID, f"remove_{rows[1]}").click()
    b.button("Anwesenheit speichern")
    b.until_text("Bitte einen Grund angeben")
    b.look("sitzung-anwesenheit-fehler")
    if not b.driver.find_element(By.ID, f"remove_{rows[1]}").is_selected():
        fail("the ticked removal was not kept after the refusal")
    b.type("grund", "Ankunft laut Unterschriftenliste korrigiert; Frau Zwei war nicht da")
    b.button("Anwesenheit speichern")
    b.until_text("Die Anwesenheit ist gespeichert.")
    got = stored()
    if [(o, p, s, (a or "")[-5:]) for o, p, s, a in got] != [("jc", "Paul Eins", "present", "14:05")]:
        fail(f"attendance after correcting and removing: {got}")
    # Write the minutes: times, the minute-taker, the first item's discussion and results. A
    # wrong time is said next to its field and what was typed stays.
    first = b.driver.find_elements(By.CSS_SELECTOR, "textarea[name^='diskussion_']")[0].get_attribute("name").split("_")[1]
    b.type("beginn", "25:99")
    b.type("ende", "15:30")
    b.type("protokoll", "Paula Protokoll")
    b.type(f"diskussion_{first}", "Die Tagesordnung wird festgestellt; keine Einwände.")
    b.type(f"ergebnis_{first}", "Festgestellt wie vorgeschlagen.")
    b.button("Niederschrift speichern")
    b.until_text("Bitte eine Uhrzeit wie 10:05 angeben.")
    if b.driver.find_element(By.ID, f"diskussion_{first}").get_attribute("value") != "Die Tagesordnung wird festgestellt; keine Einwände.":
        fail("the typed discussion was lost after a wrong time")
    if b.driver.find_element(By.ID, "beginn").get_attribute("aria-invalid") != "true":
        fail("the wrong begin is not marked at its field")
    b.look("niederschrift-fehler")
    b.type("beginn", "14:02")
    b.button("Niederschrift speichern")
    b.until_text("Die Niederschrift ist gespeichert (Entwurf).")
    b.type(f"gegenstand_{first}", "Feststellung der Tagesordnung")
    b.type(f"ja_{first}", "5")
    b.type(f"nein_{first}", "0")
    b.type(f"enthaltung_{first}", "1")
    b.click(f"//form[.//input[@id='gegenstand_{first}']]//button[normalize-space()='Abstimmung eintragen']")
    b.until_text("Die Abstimmung ist eingetragen.")
    b.until_text("Feststellung der Tagesordnung: 5 ja, 0 nein, 1 Enthaltungen – angenommen")
    b.look("niederschrift-schreiben")
    shown = json.loads(run(gremien, "minutes", "show", "ag-78", day, "--format", "json", "--store", store))
    item = next(i for i in shown["items"] if str(i["id"]) == first)
    if (shown.get("began"), shown.get("ended"), shown.get("minuteTaker")) != ("14:02", "15:30", "Paula Protokoll") \
            or item["results"] != "Festgestellt wie vorgeschlagen." or [v["yes"] for v in item["votes"]] != [5]:
        fail(f"minutes written on the page, in the store: {shown}")
    # Approve, reopen with a reason, change the results, approve again: two versions.
    b.button("Niederschrift genehmigen (sperrt Inhalt, Tagesordnung, Aufgaben und Anwesenheit)")
    b.until_text("Die Niederschrift ist genehmigt")
    b.until_text("Fassung 1, genehmigt am")
    status, _, body = request(f"{b.base}/api/v1/sessions/ag-78/{day}/minutes", headers={"Authorization": f"Bearer {auditor_api}"})
    if status != 200 or json.loads(body).get("status") != "approved" or json.loads(body).get("version") != 1:
        fail(f"minutes after approving: {status} {body[:200]!r}")
    b.type("grund_wieder", "Anwesenheit nachgetragen")
    b.button("Niederschrift wieder öffnen")
    b.until_text("Die Niederschrift ist wieder ein Entwurf")
    b.look("sitzung-wiedereroeffnet")
    status, _, body = request(f"{b.base}/api/v1/sessions/ag-78/{day}/minutes", headers={"Authorization": f"Bearer {auditor_api}"})
    state = json.loads(body)
    if state.get("status") == "approved" or state.get("reason") != "Anwesenheit nachgetragen":
        fail(f"minutes after reopening: {state}")
    b.type(f"ergebnis_{first}", "Festgestellt mit einem zusätzlichen Punkt.")
    b.button("Niederschrift speichern")
    b.until_text("Die Niederschrift ist gespeichert (Entwurf).")
    b.button("Niederschrift genehmigen (sperrt Inhalt, Tagesordnung, Aufgaben und Anwesenheit)")
    b.until_text("Fassung 2, genehmigt am")
    b.look("niederschrift-fassungen")
    versions = run(gremien, "minutes", "versions", "ag-78", day, "--store", store).splitlines()
    if len(versions) != 2 or not versions[1].startswith("version 2: approved"):
        fail(f"versions after approving twice: {versions}")
    old = run(gremien, "minutes", "ag-78", day, "--version", "1", "--store", store)
    new = run(gremien, "minutes", "ag-78", day, "--store", store)
    if "Festgestellt wie vorgeschlagen." not in old or "Festgestellt mit einem zusätzlichen Punkt." not in new:
        fail("version 1 and the current version do not read as approved")
    status, _, body = request(f"{b.base}/sitzungen/ag-78/{day}/niederschrift.html?fassung=1", headers={"Cookie": b.cookie()})
    if status != 200 or "Festgestellt wie vorgeschlagen." not in body.decode():
        fail(f"version 1 downloaded from the page: {status}")
    # A hand-made post for another body's session, and a post without the CSRF token.
    other = json.loads(run(gremien, "sessions", "--store", store, "--body", "praeventionsteam", "--from",
                           today.isoformat(), "--to", (today + timedelta(days=365)).isoformat(), "--format", "json"))[0]
    headers = {"Cookie": b.cookie(), "Origin": b.base, "Content-Type": "application/x-www-form-urlencoded"}
    status, _, _ = request(f"{b.base}/sitzungen/praeventionsteam/{other['recurrenceId'][:10]}/absagen",
                           {"csrf": b.csrf(), "grund_absage": "fremd"}, headers)
    if status != 403:
        fail(f"a coordinator of ag-78 cancelling a session of the Präventionsteam: {status}, not 403")
    status, _, _ = request(f"{b.base}/sitzungen/ag-78/{agenda_day}/absagen", {"grund_absage": "ohne Token"}, headers)
    if status != 403:
        fail(f"a post without the CSRF token: {status}, not 403")
    still = {s["recurrenceId"][:10]: s for s in sessions(gremien, store, today, today + timedelta(days=200)) if s["recurrenceId"]}
    if still[agenda_day]["status"] != "scheduled":
        fail("the forged post changed the session")
    # Seats: Sina Jobcenter sits for the job-com in the AG § 78 from today; a seat that would
    # end before it begins is refused next to its field, with what was chosen kept.
    b.open("/gremien/ag-78")
    Select(b.driver.find_element(By.ID, "sitz_amt")).select_by_value("jc")
    Select(b.driver.find_element(By.ID, "sitz_person")).select_by_value("sina-jobcenter")
    b.driver.execute_script("document.getElementById('sitz_von').value = '2027-06-01';"
                            "document.getElementById('sitz_bis').value = '2027-01-01';")
    b.button("Sitz vergeben")
    b.until_text("Das Ende liegt vor dem Beginn.")
    if Select(b.driver.find_element(By.ID, "sitz_person")).first_selected_option.get_attribute("value") != "sina-jobcenter":
        fail("the seat form lost the chosen person")
    b.look("gremium-sitz-fehler")
    b.driver.execute_script("document.getElementById('sitz_von').value = '';"
                            "document.getElementById('sitz_bis').value = '';")
    b.button("Sitz vergeben")
    b.until_text("Der Sitz ist vergeben.")
    b.look("gremium-sitze")
    seats = json.loads(run(gremien, "seat", "list", "ag-78", "--format", "json", "--store", store))
    if [(s["person"], s["office"], s["role"], s["from"]) for s in seats] != [("sina-jobcenter", "jc", "regular", today.isoformat())]:
        fail(f"seats of ag-78 after the form: {seats}")
    # The agenda is ready and the seat is held: the coordinator sends the Ladung now, once.
    b.open(f"/sitzungen/ag-78/{agenda_day}")
    b.button("Ladung jetzt versenden")
    b.until_text("Die Ladung ist im Postausgang")
    if "Versandt am" not in b.main_text() or "an 1 Person" not in b.main_text() or "Ladung jetzt versenden" in b.main_text():
        fail("after sending the Ladung the session page does not say so")
    b.look("sitzung-ladung")
    # The store knows it went out: the command line refuses to send it again.
    again = subprocess.run([gremien, "session", "ladung", "ag-78", agenda_day, "--store", store],
                           capture_output=True, text=True)
    if again.returncode == 0 or "went out on" not in again.stderr:
        fail(f"the Ladung of {agenda_day} could be sent twice: {again.returncode} {again.stderr}")
    b.open("/konto")
    b.look("konto-koordination")


def walk_staff(b: Browser, gremien: str, store: str, link: str) -> int:
    b.sign_in_by_link(link, PASSWORDS["staff"])
    # What staff may not open, and what does not exist: German error pages.
    b.open("/zugaenge")
    if "Keine Berechtigung" not in b.driver.find_element(By.TAG_NAME, "h1").text:
        fail(f"staff on /zugaenge: {b.driver.find_element(By.TAG_NAME, 'h1').text}")
    b.look("fehler-403")
    b.open("/gibt-es-nicht")
    b.look("fehler-404")
    b.open("/kalender")
    b.until_text("Ihre Sitze")
    b.until_text("AG Kinder- und Jugendförderung nach § 78 SGB VIII")
    b.look("kalender")
    b.button("Link erstellen")
    b.until_text("Ihr neuer Abonnement-Link ist erstellt.")
    b.look("kalender-link")
    url = b.driver.find_element(By.ID, "link").get_attribute("value")
    webcal = b.driver.find_element(By.PARTIAL_LINK_TEXT, "webcal").get_attribute("href")
    if not webcal.startswith("webcal://") or webcal[len("webcal://"):] != url.split("://", 1)[1]:
        fail(f"webcal and https links differ: {webcal} {url}")
    status, headers, body = request(url)
    if status != 200 or not headers.get("Content-Type", "").startswith("text/calendar"):
        fail(f"personal feed: {status}")
    calendar = icalendar.Calendar.from_ical(body)
    zone = ZoneInfo("Europe/Berlin")
    start = datetime.combine(date.today(), datetime.min.time(), zone)
    end = start + timedelta(days=365)
    # cancelled_sessions: show (the default): cancelled sessions are stated, STATUS:CANCELLED.
    seen = {(str(e["UID"]), e["DTSTART"].dt.astimezone(zone).isoformat(), str(e.get("STATUS", "")) == "CANCELLED")
            for e in recurring_ical_events.of(calendar).between(start, end)}
    # Her one seat (jc in the AG § 78, from today): exactly its sessions.
    listed = json.loads(run(gremien, "sessions", "--store", store, "--body", "ag-78", "--from", start.date().isoformat(),
                            "--to", end.date().isoformat(), "--format", "json"))
    expected = {(s["uid"], datetime.fromisoformat(s["start"]).astimezone(zone).isoformat(), s["status"] == "cancelled")
                for s in listed}
    if seen != expected or not seen:
        fail(f"personal feed: {len(seen)} sessions, gremien sessions --body ag-78: {len(expected)}")
    tokens = run(gremien, "token", "list", "--store", store)
    if not any("sina-jobcenter" in l and " feed " in l and "active" in l for l in tokens.splitlines()):
        fail(f"the staff member's feed token is not in the store:\n{tokens}")
    # Handing out: as a seat holder of the AG § 78 she finds its approved minutes on the body's
    # page and downloads them; a draft is not hers to read.
    b.open("/gremien/ag-78")
    b.until_text("Genehmigte Niederschriften")
    b.look("gremium-niederschriften")
    odt = b.driver.find_element(By.XPATH, "//a[normalize-space()='ODT' and contains(@href, 'fassung=2')]").get_attribute("href")
    status, headers, body = request(odt, headers={"Cookie": b.cookie()})
    if status != 200 or headers.get("Content-Type") != "application/vnd.oasis.opendocument.text" or body[:2] != b"PK":
        fail(f"the approved minutes as ODT for a seat holder: {status} {headers.get('Content-Type')}")
    draft = odt.split("/niederschrift.odt")[0].rsplit("/", 1)[0]
    other = json.loads(run(gremien, "sessions", "--store", store, "--body", "ag-78", "--from",
                           (date.today() - timedelta(days=60)).isoformat(), "--to", date.today().isoformat(),
                           "--format", "json"))
    unapproved = next(s["recurrenceId"][:10] for s in other if s["recurrenceId"] and s["recurrenceId"][:10] not in odt
                      and s["status"] != "cancelled")
    status, _, _ = request(f"{draft}/{unapproved}/niederschrift.md", headers={"Cookie": b.cookie()})
    if status != 403:
        fail(f"a draft of the minutes for a member of staff: {status}, not 403")
    return len(seen)


def walk_auditor(b: Browser, link: str, downloads: Path) -> list[str]:
    b.sign_in_by_link(link, PASSWORDS["auditor"])
    b.open("/pruefung")
    b.until_text("Das Ereignisprotokoll ist unversehrt")
    b.look("pruefung")
    year = date.today().year
    names = {"csv": "csv", "excel": "csv", "json": "json", "html": "html"}
    got = []
    for value, ext in names.items():
        for old in downloads.glob("*"):
            old.unlink()
        b.open("/pruefung")
        b.driver.execute_script(f"document.getElementById('von').value = '{year}-01-01';"
                                f"document.getElementById('bis').value = '{year}-12-31';")
        Select(b.driver.find_element(By.ID, "format")).select_by_value(value)
        b.driver.find_element(By.XPATH, "//button[normalize-space()='Bericht herunterladen']").click()
        target = downloads / f"teilnahme-{year}-01-01-{year}-12-31.{ext}"
        for _ in range(100):
            if target.exists() and not list(downloads.glob("*.crdownload")):
                break
            time.sleep(0.1)
        else:
            fail(f"report {value}: no download ({list(downloads.iterdir())})")
        data = target.read_bytes()
        if ext == "json":
            report = json.loads(data)
            if "offices" not in json.dumps(report):
                fail("JSON report without offices")
        elif ext == "csv":
            text = data.decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text), delimiter=";" if value == "excel" else ","))
            if len(rows) < 3:
                fail(f"CSV report ({value}) has {len(rows)} rows")
        elif b"<html" not in data[:400].lower():
            fail("HTML report is not HTML")
        got.append(value)
    b.open("/pruefung/bericht?von=2026-13-01&bis=2026-12-31&format=csv")
    b.until_text("Bitte den ersten Tag angeben")
    b.look("pruefung-fehler")
    return got


def wrong_passwords(base: str) -> str:
    headers = {"Origin": base}
    for i in range(10):
        status, _, _ = request(f"{base}/anmelden", {"email": "sina.jobcenter@kreis.example", "passwort": f"falsch-{i}"}, headers)
        if status not in (401, 429):
            fail(f"wrong password {i + 1}: {status}")
    status, response_headers, body = request(
        f"{base}/anmelden", {"email": "sina.jobcenter@kreis.example", "passwort": PASSWORDS["staff"]}, headers)
    if status != 429 or int(response_headers.get("Retry-After", "0")) < 1:
        fail(f"the attempt after 10 wrong passwords: {status}, Retry-After {response_headers.get('Retry-After')}")
    if "Zu viele fehlgeschlagene Anmeldungen" not in body.decode():
        fail("the refusal after 10 wrong passwords is not said in German")
    return f"429, Retry-After {response_headers['Retry-After']} s"


if __name__ == "__main__":
    main()
