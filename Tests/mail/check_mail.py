"""Invitations through a real SMTP server: aiosmtpd on 127.0.0.1 with STARTTLS (a certificate made
here) and AUTH, read with Python's `email` package and `icalendar` / `recurring-ical-events`.

On the shipped calendars/: a member and a deputy of the AG § 78 get seats, a coming session is
cancelled, `gremien mail send` sends the outbox through the server. Checked: every message
arrives once, over TLS and after AUTH; its MIME structure (multipart/mixed with
multipart/alternative text/plain, text/html, text/calendar; method=…, and einladung.ics); RFC 2047
headers decode to the German text; ORGANIZER and ATTENDEE; the REQUEST's occurrences equal
`gremien sessions` for the body without the cancelled one; the CANCEL names that occurrence;
a second run sends nothing; a wrong password is refused with the server's answer.

usage: check_mail.py GREMIEN WORKDIR
"""

import json
import re
import os
import socket
import subprocess
import sys
import logging
import time
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


# aiosmtpd 1.4 logs a warning about its own use of a deprecated attribute on every AUTH.
logging.getLogger("mail.log").setLevel(logging.ERROR)


def fail(message: str) -> None:
    sys.exit(f"check_mail: {message}")


class Keep:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes, bool]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content,
                              session.ssl is not None))
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"gremien" and auth_data.password == b"geheim"
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(gremien: str, *args: str, env=None, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run([gremien, *args], capture_output=True, text=True, env=env)
    if check and done.returncode != 0:
        fail(f"gremien {' '.join(args)}: {done.stderr}")
    return done


def main() -> None:
    gremien, work = sys.argv[1], Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(work / "key.pem"),
                    "-out", str(work / "cert.pem"), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
    import ssl
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(work / "cert.pem", work / "key.pem")
    keep = Keep()
    port = free_port()
    controller = Controller(keep, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticator, auth_required=True, auth_require_tls=True)
    controller.start()
    try:
        check(gremien, work, port, keep)
    finally:
        controller.stop()
    check_restart(gremien, work / "restart")


class Stalling(Keep):
    """Keeps messages; at the `stall_at`-th recipient it tells the test (which kills the sender
    with SIGKILL meanwhile) and answers late."""

    def __init__(self, stall_at: int) -> None:
        super().__init__()
        import threading
        self.rcpts = 0
        self.stall_at = stall_at
        self.stalled = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        import asyncio
        self.rcpts += 1
        if self.rcpts == self.stall_at:
            self.stalled.set()
            await asyncio.sleep(3)
        envelope.rcpt_tos.append(address)
        return "250 OK"


def check_restart(gremien: str, work: Path) -> None:
    """The outbox survives a server killed with SIGKILL in the middle of a message: started
    again on the same port, it sends what is left; every entry arrives exactly once."""
    import signal
    import re
    work.mkdir(parents=True, exist_ok=True)
    s = ["--store", f"sqlite:{work / 'gremien.sqlite'}"]
    run(gremien, "sync", "--calendars", "calendars", "--apply", *s)
    for i in range(12):
        person = run(gremien, "person", "add", f"Person {i:02d} Neustart", "--office", "jc", "--level", "TL",
                     "--email", f"person{i:02d}@kreis.example", *s).stdout.strip()
        run(gremien, "seat", "assign", "ag-78", "--office", "jc", "--person", person,
            *([] if i == 0 else ["--deputy"]), *s)
    keep = Stalling(stall_at=6)
    smtp_port = free_port()
    controller = Controller(keep, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    web_port = free_port()
    serve = [gremien, "serve", "--port", str(web_port), "--smtp", f"smtp://127.0.0.1:{smtp_port}",
             "--smtp-security", "none", "--mail-from", "gremien@kreis.example", "--mail-interval", "1", *s]
    try:
        first = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not keep.stalled.wait(120):
            first.kill()
            fail(f"the server sent no sixth message within 120 s ({len(keep.messages)} arrived)")
        first.send_signal(signal.SIGKILL)
        first.wait()
        before = len(keep.messages)
        time.sleep(3.5)  # the stalled answer comes to a dead connection: nothing is delivered
        second = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 90
            while time.time() < deadline:
                rows = [line.split() for line in run(gremien, "mail", "list", "--limit", "500", *s).stdout.splitlines()[1:]]
                if rows and all(r[1] == "sent" for r in rows):
                    break
                time.sleep(1)
            else:
                fail(f"after the restart the outbox still has entries not sent: {[r[:3] for r in rows if r[1] != 'sent']}")
        finally:
            second.terminate()
            second.wait(10)
    finally:
        controller.stop()
    ids = [re.search(rb"Message-ID: <gremien-outbox-(\d+)(?:-\d+)?@", raw).group(1).decode()
           for _, _, raw, _ in keep.messages]
    doubled = sorted({i for i in ids if ids.count(i) > 1})
    entries = {r[0] for r in rows}
    if doubled:
        fail(f"sent twice after the restart: outbox entries {doubled}")
    if set(ids) != entries:
        fail(f"outbox entries {len(entries)}, messages for {len(set(ids))}; missing {sorted(entries - set(ids))[:5]}")
    print(f"mail: SIGKILL during the sixth message ({before} had arrived), restarted on the same port: all "
          f"{len(entries)} outbox entries arrived exactly once")


def check(gremien: str, work: Path, port: int, keep: Keep) -> None:
    store = f"sqlite:{work / 'gremien.sqlite'}"
    s = ["--store", store]
    run(gremien, "sync", "--calendars", "calendars", "--apply", *s)
    env = dict(os.environ, GREMIEN_SMTP_PASSWORD="geheim")
    smtp = ["--smtp", f"smtp://gremien@localhost:{port}", "--mail-from", "gremien@kreis.example",
            "--smtp-ca", str(work / "cert.pem"), "--public-url", "https://gremien.example"]
    # The Ladungen due this week go out before anyone holds a seat (to nobody): what follows
    # does not depend on the day the check runs.
    if not run(gremien, "mail", "send", *smtp, *s, env=env).stdout.startswith("sent 0,"):
        fail("a first round without seat holders sent something")
    member = run(gremien, "person", "add", "Jürgen Jobcenter", "--office", "jc", "--level", "SGL",
                 "--email", "juergen.jobcenter@kreis.example", *s).stdout.strip()
    deputy = run(gremien, "person", "add", "Dörte Vertretung", "--office", "jc", "--level", "TL",
                 "--email", "doerte.vertretung@kreis.example", *s).stdout.strip()
    run(gremien, "seat", "assign", "ag-78", "--office", "jc", "--person", member, *s)
    run(gremien, "seat", "assign", "ag-78", "--office", "jc", "--person", deputy, "--deputy", *s)
    today = date.today()
    coming = [x for x in json.loads(run(gremien, "sessions", "--body", "ag-78", "--from", today.isoformat(), "--to",
                                       (today + timedelta(days=365)).isoformat(), "--format", "json", *s).stdout)
              if x["status"] != "cancelled" and x["recurrenceId"]]
    cancelled = coming[1]["recurrenceId"][:10]
    run(gremien, "session", "cancel", "ag-78", cancelled, "--reason", "Klausurtagung", *s)
    outbox = run(gremien, "mail", "list", *s).stdout.splitlines()[1:]
    if len(outbox) != 6:
        fail(f"outbox after two seats and a cancellation: {len(outbox)} entries, not 6:\n" + "\n".join(outbox))

    sent = run(gremien, "mail", "send", *smtp, *s, env=env)
    if not sent.stdout.startswith("sent 6,"):
        fail(f"mail send: {sent.stdout} {sent.stderr}")
    if len(keep.messages) != 6 or not all(tls for *_, tls in keep.messages):
        fail(f"{len(keep.messages)} messages arrived (6 expected), over TLS: {[m[3] for m in keep.messages]}")
    again = run(gremien, "mail", "send", *smtp, *s, env=env)
    if not again.stdout.startswith("sent 0,") or len(keep.messages) != 6:
        fail(f"a second run sent again: {again.stdout}")

    zone = ZoneInfo("Europe/Berlin")
    start = datetime.combine(today, datetime.min.time(), zone)
    end = start + timedelta(days=365)
    expected = {datetime.fromisoformat(x["start"]).astimezone(zone) for x in coming
                if x["recurrenceId"][:10] != cancelled}
    methods = []
    for sender, recipients, raw, _ in keep.messages:
        message = message_from_bytes(raw, policy=policy.default)
        if message.get_content_type() != "multipart/mixed":
            fail(f"top part {message.get_content_type()}")
        inner, attachment = message.get_payload()
        kinds = [p.get_content_type() for p in inner.get_payload()]
        if inner.get_content_type() != "multipart/alternative" or kinds != ["text/plain", "text/html", "text/calendar"]:
            fail(f"alternative parts: {inner.get_content_type()} {kinds}")
        if attachment.get_filename() != "einladung.ics" or attachment.get_content_type() != "application/ics":
            fail(f"attachment: {attachment.get_filename()} {attachment.get_content_type()}")
        for line in raw.split(b"\r\n"):
            if len(line) > 998 or (line and not line.isascii()):
                fail("a line over 998 octets or not ASCII")
        if message.get("Auto-Submitted") is not None:
            fail("an invitation says Auto-Submitted: iTIP receivers such as xandikos skip it")
        calendar_part = inner.get_payload()[2]
        method = calendar_part.get_param("method")
        cal = icalendar.Calendar.from_ical(calendar_part.get_content())
        if str(cal["METHOD"]) != method or cal.to_ical() is None:
            fail(f"METHOD {cal.get('METHOD')} vs Content-Type method={method}")
        attached = attachment.get_content()
        if (attached.decode() if isinstance(attached, bytes) else attached) != calendar_part.get_content():
            fail("einladung.ics differs from the calendar part")
        to = recipients[0]
        name = "Jürgen Jobcenter" if to.startswith("juergen") else "Dörte Vertretung"
        if str(message["To"]) != f"{name} <{to}>":
            fail(f"To header decodes to {message['To']!r}")
        for event in cal.walk("VEVENT"):
            if str(event["ORGANIZER"]) != "mailto:gremien@kreis.example":
                fail(f"ORGANIZER {event['ORGANIZER']}")
            if str(event["ATTENDEE"]) != f"mailto:{to}" or event["ATTENDEE"].params["CN"] != name:
                fail(f"ATTENDEE {event['ATTENDEE']} {event['ATTENDEE'].params}")
        methods.append((to, method, str(message["Subject"])))
        if method == "CANCEL" and "Abgesagt" in str(message["Subject"]):
            ids = [e.get("RECURRENCE-ID") for e in cal.walk("VEVENT")]
            if len(ids) != 1 or ids[0].dt.date().isoformat() != cancelled:
                fail(f"instance CANCEL names {ids}, not {cancelled}")
    # The member's last REQUEST (after the cancellation) holds exactly the coming sessions but the cancelled one.
    requests = [m for m in keep.messages if m[1][0].startswith("juergen")]
    last = message_from_bytes(requests[-1][2], policy=policy.default).get_payload()[0].get_payload()[2]
    got = {e["DTSTART"].dt.astimezone(zone)
           for e in recurring_ical_events.of(icalendar.Calendar.from_ical(last.get_content())).between(start, end)}
    if got != expected:
        fail(f"the member's last REQUEST: {len(got)} sessions in a year, gremien sessions: {len(expected)} "
             f"(only there: {sorted(expected - got)[:3]}, only in the REQUEST: {sorted(got - expected)[:3]})")
    order = [m for to, m, _ in methods if to.startswith("juergen")]
    if order != ["REQUEST", "CANCEL", "REQUEST"]:
        fail(f"the member got {order}")
    subjects = {subject for *_, subject in methods}
    if "Einladung: AG Kinder- und Jugendförderung nach § 78 SGB VIII" not in subjects:
        fail(f"subjects: {subjects}")

    # The member answers the last REQUEST as a calendar program does: a REPLY to the organizer,
    # piped into `gremien imip receive` by the mail server.
    request = icalendar.Calendar.from_ical(last.get_content())
    reply = icalendar.Calendar()
    reply.add("prodid", "-//check_mail//DE")
    reply.add("version", "2.0")
    reply.add("method", "REPLY")
    master = next(e for e in request.walk("VEVENT") if "RECURRENCE-ID" not in e)
    answer = icalendar.Event()
    for key in ("UID", "DTSTART", "ORGANIZER", "SEQUENCE"):
        answer[key] = master[key]
    answer.add("dtstamp", datetime.now(ZoneInfo("UTC")))
    attendee = icalendar.vCalAddress("mailto:juergen.jobcenter@kreis.example")
    attendee.params["PARTSTAT"] = "ACCEPTED"
    answer.add("attendee", attendee)
    answer.add("comment", "Ich komme, gern auch früher.")
    reply.add_component(answer)
    from email.message import EmailMessage
    def mail_from(sender: str, calendar: bytes | None) -> bytes:
        m = EmailMessage()
        m["From"], m["To"], m["Subject"] = sender, "gremien@kreis.example", "Angenommen: AG § 78"
        m["Message-ID"] = f"<{time.time_ns()}@kreis.example>"
        if calendar is None:
            m.set_content("Ich komme.")
        else:
            m.set_content(calendar, maintype="text", subtype="calendar", params={"method": "REPLY"})
        return bytes(m)
    def receive(data: bytes) -> subprocess.CompletedProcess:
        return subprocess.run([gremien, "imip", "receive", *s], input=data, capture_output=True)
    ical = reply.to_ical()
    got = receive(mail_from("Jürgen Jobcenter <juergen.jobcenter@kreis.example>", ical))
    # A series answer counts for every coming session of the series (the plan runs for years).
    recorded = re.match(r"recorded (\d+) answers \(Zusage\) for ", got.stdout.decode())
    if got.returncode != 0 or not recorded or int(recorded.group(1)) < len(expected):
        fail(f"imip receive of the member's REPLY: {got.returncode} {got.stdout!r} {got.stderr!r}")
    again = receive(mail_from("Jürgen Jobcenter <juergen.jobcenter@kreis.example>", ical))
    if again.returncode != 0 or b"already recorded, nothing changed" not in again.stdout:
        fail(f"the same REPLY again: {again.returncode} {again.stdout!r}")
    forged = receive(mail_from("Mallory <mallory@evil.example>", ical))
    if forged.returncode != 1 or b"refused: the answer for juergen.jobcenter@kreis.example came from mallory@evil.example" not in forged.stderr:
        fail(f"a forged REPLY: {forged.returncode} {forged.stderr!r}")
    text = receive(mail_from("juergen.jobcenter@kreis.example", None))
    if text.returncode != 65 or b"holds no calendar part" not in text.stderr:
        fail(f"a message without a REPLY: {text.returncode} {text.stderr!r}")

    wrong = run(gremien, "mail", "test", "--to", "x@kreis.example", *smtp[:-2], env=dict(env, GREMIEN_SMTP_PASSWORD="falsch"),
                check=False)
    if wrong.returncode == 0 or "535" not in wrong.stderr:
        fail(f"a wrong password: {wrong.returncode} {wrong.stderr}")
    print(f"mail: 6 messages through aiosmtpd (STARTTLS, AUTH) read with email and icalendar; the member's REQUEST holds "
          f"{len(expected)} sessions of a year, the CANCEL names {cancelled}; nothing sent twice; a wrong password refused (535); the member's REPLY recorded {recorded.group(1)} Zusagen with imip receive, again nothing, a forged one refused (exit 1), a text reply exit 65")


if __name__ == "__main__":
    main()
