"""Invitations read by an independent receiver: xandikos (PyPI), its `import-imip`, builds the
calendar of each recipient from the messages Gremien sends; read with `recurring-ical-events`,
it must hold exactly the sessions `gremien sessions` lists for that person, instance by instance
(start, end, place), after every one of 23 scripted changes: seats assigned, sessions cancelled,
moved (also into the weeks of the clock changes), reinstated, added, a series changed by a sync,
a deputy, seats that end. xandikos applies an instance CANCEL to the whole series (a defect many
receivers share); the REQUEST that follows each CANCEL must set it right.

usage: check_receiver.py GREMIEN WORKDIR
"""

import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from aiosmtpd.controller import Controller

logging.getLogger("mail.log").setLevel(logging.ERROR)
UTC = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")


def fail(message: str) -> None:
    sys.exit(f"check_receiver: {message}")


class Keep:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Scenario:
    def __init__(self, gremien: str, work: Path, xandikos: str) -> None:
        self.gremien, self.work, self.xandikos = gremien, work, xandikos
        self.calendars = work / "calendars"
        shutil.copytree("calendars", self.calendars)
        self.store = ["--store", f"sqlite:{work / 'gremien.sqlite'}"]
        self.keep = Keep()
        self.port = free_port()
        self.controller = Controller(self.keep, hostname="127.0.0.1", port=self.port)
        self.delivered = 0
        self.people: dict[str, str] = {}  # address -> person id
        self.ended: set[str] = set()
        self.today = date.today()
        self.steps = 0
        self.cancels = 0
        self.wrong_then_right = 0

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run([self.gremien, *args, *self.store], capture_output=True, text=True)
        if check and done.returncode != 0:
            fail(f"gremien {' '.join(args)}: {done.stdout} {done.stderr}")
        return done.stdout

    def sessions(self) -> list[dict]:
        return json.loads(self.run("sessions", "--body", "ag-78", "--from", self.today.isoformat(), "--to",
                                   (self.today + timedelta(days=800)).isoformat(), "--format", "json"))

    def coming(self) -> list[dict]:
        """Coming sessions as scheduled (not cancelled), in order."""
        now = datetime.now(UTC)
        return [s for s in self.sessions() if s["status"] != "cancelled" and datetime.fromisoformat(s["start"]) > now]

    def send(self) -> None:
        self.run("mail", "send", "--smtp", f"smtp://127.0.0.1:{self.port}", "--smtp-security", "none",
                 "--mail-from", "gremien@kreis.example", "--public-url", "https://gremien.example")
        for recipients, raw in self.keep.messages[self.delivered:]:
            principal = "/" + recipients[0].split("@")[0] + "/"
            now = datetime.now(UTC)
            instance_cancel = b"method=CANCEL" in raw and b"RECURRENCE-ID" in raw
            before = len(self.received(recipients[0], now, now + timedelta(days=780))) if instance_cancel else 0
            if b"method=CANCEL" in raw:
                self.cancels += 1
            done = subprocess.run([self.xandikos, "import-imip", "-d", str(self.work / "xandikos"), "--principal",
                                   principal, "--autocreate"], input=raw, capture_output=True)
            if done.returncode != 0:
                fail(f"xandikos import-imip refused a message to {recipients[0]}: {done.stderr.decode()[-400:]}")
            if instance_cancel and before - len(self.received(recipients[0], now, now + timedelta(days=780))) > 1:
                self.wrong_then_right += 1  # the whole series went; the REQUEST after it must bring it back
        self.delivered = len(self.keep.messages)

    def received(self, address: str, start: datetime, end: datetime) -> set[tuple]:
        folder = self.work / "xandikos" / address.split("@")[0] / "calendars" / "calendar"
        instances: set[tuple] = set()
        for path in sorted(folder.glob("*.ics")) if folder.exists() else []:
            cal = icalendar.Calendar.from_ical(path.read_bytes())
            for e in recurring_ical_events.of(cal).between(start, end):
                if str(e.get("STATUS", "")).upper() == "CANCELLED":
                    continue
                instances.add((e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC), str(e.get("LOCATION", ""))))
        return instances

    def step(self, what: str) -> None:
        """Sends what the change put into the outbox, feeds it to xandikos and compares."""
        self.send()
        self.steps += 1
        now = datetime.now(UTC)
        start, end = now, now + timedelta(days=780)
        expected = {(datetime.fromisoformat(s["start"]).astimezone(UTC), datetime.fromisoformat(s["end"]).astimezone(UTC),
                     s.get("location") or "")
                    for s in self.coming() if datetime.fromisoformat(s["start"]).astimezone(UTC) < end}
        for address in self.people:
            want = set() if address in self.ended else expected
            got = self.received(address, start, end)
            if got != want:
                only_got = sorted(got - want)[:3]
                only_want = sorted(want - got)[:3]
                fail(f"step {self.steps} ({what}), {address}: xandikos holds {len(got)} sessions, gremien lists "
                     f"{len(want)}; only at the receiver: {only_got}; only in gremien: {only_want}")
        print(f"  {self.steps:2}. {what}: {len(expected)} sessions, receivers agree")


def main() -> None:
    gremien, work = sys.argv[1], Path(sys.argv[2])
    xandikos = str(Path(sys.executable).parent / "xandikos")
    work.mkdir(parents=True, exist_ok=True)
    sc = Scenario(gremien, work, xandikos)
    sc.controller.start()
    try:
        scenarios(sc)
    finally:
        sc.controller.stop()
    print(f"receiver: {sc.steps} scenarios, {sc.delivered} messages ({sc.cancels} CANCEL) imported by xandikos "
          f"import-imip for 2 people; each calendar equals gremien sessions instance by instance after every step "
          f"({sc.wrong_then_right} instance CANCELs took the whole series at the receiver; the REQUEST after each set it right)")


def scenarios(sc: Scenario) -> None:
    sc.run("sync", "--calendars", str(sc.calendars), "--apply")
    sc.send()  # this week's Ladungen, before anyone holds a seat
    member = sc.run("person", "add", "Jürgen Empfänger", "--office", "jc", "--level", "TL", "--email",
                    "juergen@kreis.example").strip()
    deputy = sc.run("person", "add", "Dörte Empfängerin", "--office", "jc", "--level", "TL", "--email",
                    "doerte@kreis.example").strip()
    sc.people = {"juergen@kreis.example": member}
    sc.run("seat", "assign", "ag-78", "--office", "jc", "--person", member)
    sc.step("a member's seat assigned")
    sc.people["doerte@kreis.example"] = deputy
    sc.run("seat", "assign", "ag-78", "--office", "jc", "--person", deputy, "--deputy")
    sc.step("a deputy's seat assigned")

    def planned(i: int) -> str:
        return sc.coming()[i]["recurrenceId"][:10]

    second = planned(1)
    sc.run("session", "cancel", "ag-78", second, "--reason", "Klausurtagung")
    sc.step(f"the session of {second} cancelled (an instance CANCEL, then the series)")
    third = planned(1)
    day = (date.fromisoformat(third) + timedelta(days=1)).isoformat()
    sc.run("session", "move", "ag-78", third, "--to", f"{day}T10:00", "--reason", "Raum belegt", "--force")
    sc.step(f"the session of {third} moved to {day} 10:00")
    sc.run("session", "move", "ag-78", day, "--to", f"{day}T15:30", "--location", "Raum 2", "--force")
    sc.step(f"moved again, by its new date, to 15:30 in Raum 2")
    sc.run("session", "reinstate", "ag-78", second, "--reason", "Klausur verschoben")
    sc.step(f"the cancelled session of {second} reinstated")
    fourth = planned(3)
    sc.run("session", "cancel", "ag-78", fourth, "--reason", "Personalversammlung")
    sc.step(f"the session of {fourth} cancelled")
    extra = (date.fromisoformat(planned(0)) + timedelta(days=9)).isoformat()
    sc.run("session", "add", "ag-78", f"{extra}T09:00", "--title", "Sondersitzung Haushalt", "--force")
    sc.step(f"a session added on {extra}")
    moved_extra = (date.fromisoformat(extra) + timedelta(days=1)).isoformat()
    sc.run("session", "move", "ag-78", extra, "--to", f"{moved_extra}T11:00", "--force")
    sc.step(f"the added session moved to {moved_extra}")
    sc.run("session", "cancel", "ag-78", moved_extra, "--reason", "entfällt")
    sc.step("the added session cancelled")
    sc.run("session", "reinstate", "ag-78", moved_extra, "--reason", "findet doch statt")
    sc.step("the added session reinstated")

    # The weeks of the clock changes: the Tuesday after the change to summer time, the Tuesday
    # before and the one after the change back.
    year = sc.today.year + 1
    def last_sunday(month: int) -> date:
        d = date(year, month, 31)
        return d - timedelta(days=(d.weekday() + 1) % 7)
    spring, autumn = last_sunday(3), last_sunday(10)
    april = next(s["recurrenceId"][:10] for s in sc.coming() if s["recurrenceId"] and s["recurrenceId"].startswith(f"{year}-04"))
    target = (spring + timedelta(days=2)).isoformat()
    sc.run("session", "move", "ag-78", april, "--to", f"{target}T14:00", "--force")
    sc.step(f"the April session moved into the week after the change to summer time ({target})")
    october = next(s["recurrenceId"][:10] for s in sc.coming() if s["recurrenceId"] and s["recurrenceId"].startswith(f"{year}-10"))
    target = (autumn - timedelta(days=5)).isoformat()
    sc.run("session", "move", "ag-78", october, "--to", f"{target}T14:00", "--force")
    sc.step(f"the October session moved into the last week of summer time ({target})")
    november = next(s["recurrenceId"][:10] for s in sc.coming() if s["recurrenceId"] and s["recurrenceId"].startswith(f"{year}-11"))
    target = (autumn + timedelta(days=2)).isoformat()
    sc.run("session", "move", "ag-78", november, "--to", f"{target}T14:00", "--force")
    sc.step(f"the November session moved into the first week of winter time ({target})")
    spring_day = (spring + timedelta(days=2)).isoformat()
    sc.run("session", "cancel", "ag-78", spring_day, "--reason", "Zeitumstellung")
    sc.step(f"the session moved to {spring_day} cancelled, by its new date")

    # A series changed by a sync: another place from a day on (a new UID from that day; the
    # old version ends with UNTIL).
    path = sc.calendars / "bodies" / "ag-78.yaml"
    text = path.read_text(encoding="utf-8")
    effective = date(year, 5, 1).isoformat()
    changed = text.replace("    location: Kreishaus Düren, Sitzungsraum A 210\n",
                           f"    location: Haus der Jugend, Saal 1\n    effective_from: {effective}\n", 1)
    if changed == text:
        fail("the series' location line was not found in ag-78.yaml")
    path.write_text(changed, encoding="utf-8")
    sc.run("sync", "--calendars", str(sc.calendars), "--apply")
    sc.step(f"the series moved to another place from {effective} (sync)")
    june = next(s["recurrenceId"][:10] for s in sc.coming() if s["recurrenceId"] and s["recurrenceId"].startswith(f"{year}-06"))
    sc.run("session", "cancel", "ag-78", june, "--reason", "Sommerferien")
    sc.step(f"a session of the new version ({june}) cancelled")
    july = next(s["recurrenceId"][:10] for s in sc.coming() if s["recurrenceId"] and s["recurrenceId"].startswith(f"{year}-07"))
    sc.run("session", "move", "ag-78", july, "--to", f"{july}T09:00", "--force")
    sc.step(f"a session of the new version ({july}) moved to 09:00")
    late = date(year, 9, 1) + timedelta(days=(1 - date(year, 9, 1).weekday()) % 7 + 14)
    sc.run("session", "add", "ag-78", f"{late.isoformat()}T10:00", "--title", "Sondersitzung Jugendhilfeplanung",
           "--force")
    sc.step(f"a session added to the new version ({late})")

    gone = (late + timedelta(days=7)).isoformat()
    sc.run("session", "add", "ag-78", f"{gone}T10:00", "--title", "Sondersitzung (doppelt)", "--force")
    sc.step(f"another session added ({gone})")
    sc.run("session", "remove", "ag-78", gone, "--reason", "doppelt angesetzt")
    sc.step("that added session removed (a CANCEL of its UID)")

    seats = sc.run("seat", "list", "ag-78")
    ids = {line.split()[3]: line.split()[0] for line in seats.splitlines() if line[:1].isdigit() and len(line.split()) > 4}
    deputy_seat, member_seat = ids.get(deputy), ids.get(member)
    if not deputy_seat or not member_seat:
        fail(f"seat list names no seats for {member} and {deputy}:\n{seats}")
    sc.run("seat", "end", deputy_seat)
    sc.ended.add("doerte@kreis.example")
    sc.step("the deputy's seat ends (a CANCEL of the series for her)")
    sc.run("seat", "end", member_seat)
    sc.ended.add("juergen@kreis.example")
    sc.step("the member's seat ends")


if __name__ == "__main__":
    main()
