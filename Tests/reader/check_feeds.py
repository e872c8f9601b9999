"""An independent reader of Gremien's feeds: Python's icalendar, vobject and recurring-ical-events.

Reads every generated feed without a warning or parse error, with icalendar and with vobject
(`validate=True`: vobject's own RFC 5545 checks), and checks that all.ics, expanded by
recurring-ical-events over the window, holds exactly the sessions `gremien sessions --format json`
lists, with the same UIDs and starts: with `cancelled_sessions: show` every session, the cancelled
ones as STATUS:CANCELLED events titled "Abgesagt: …"; with `hide` only those taking place
(scheduled or moved) and no cancelled event at all.

usage: check_feeds.py FEEDS_DIR SESSIONS_JSON FROM TO [show|hide]
"""

import json
import sys
import warnings
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

warnings.simplefilter("error")  # a warning from either library fails the check

import icalendar  # noqa: E402
import recurring_ical_events  # noqa: E402
import vobject  # noqa: E402


def read(path: Path) -> icalendar.Calendar:
    data = path.read_bytes()
    try:
        parsed = list(vobject.readComponents(data.decode("utf-8"), validate=True))
    except Exception as e:  # vobject raises its own ParseError and ValidateError
        sys.exit(f"{path}: vobject (validate=True): {type(e).__name__}: {e}")
    if len(parsed) != 1 or parsed[0].name != "VCALENDAR":
        sys.exit(f"{path}: vobject read {[c.name for c in parsed]}")
    calendar = icalendar.Calendar.from_ical(data)
    problems = [(c.name, e) for c in calendar.walk() for e in c.errors]
    if problems:
        sys.exit(f"{path}: parse errors: {problems}")
    zones = {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            if name in event and "TZID" in event[name].params and event[name].params["TZID"] not in zones:
                sys.exit(f"{path}: {event['UID']}: TZID {event[name].params['TZID']} has no VTIMEZONE")
    return calendar


def main() -> None:
    feeds, sessions_json, start, stop = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    mode = sys.argv[5] if len(sys.argv) > 5 else "show"
    berlin = ZoneInfo("Europe/Berlin")
    window = [datetime.fromisoformat(d).replace(tzinfo=berlin) for d in (start, stop)]
    files = sorted(feeds.glob("*.ics")) + sorted(feeds.glob("bodies/*.ics")) + sorted(feeds.glob("offices/*.ics"))
    calendars = {f.relative_to(feeds).as_posix(): read(f) for f in files}
    events = recurring_ical_events.of(calendars["all.ics"]).between(*window)
    seen = sorted((str(e["UID"]), e["DTSTART"].dt.isoformat()) for e in events)
    listed = json.loads(sessions_json.read_text(encoding="utf-8"))
    expected = sorted((s["uid"], s["start"]) for s in listed if mode == "show" or s["status"] != "cancelled")
    stated_cancelled = sorted(
        (str(e["UID"]), e["DTSTART"].dt.isoformat()) for e in events if str(e.get("STATUS", "")) == "CANCELLED"
    )
    listed_cancelled = sorted((s["uid"], s["start"]) for s in listed if s["status"] == "cancelled")
    if stated_cancelled != (listed_cancelled if mode == "show" else []):
        sys.exit(f"cancelled_sessions {mode}: the feed states {len(stated_cancelled)} cancelled sessions, "
                 f"gremien sessions lists {len(listed_cancelled)}")
    for e in events:
        if str(e.get("STATUS", "")) == "CANCELLED" and (
            not str(e["SUMMARY"]).startswith("Abgesagt: ") or str(e.get("TRANSP", "")) != "TRANSPARENT"
        ):
            sys.exit(f"{e['UID']} {e['DTSTART'].dt}: a cancelled event must be titled 'Abgesagt: ' and free")
    if seen != expected:
        missing = sorted(set(expected) - set(seen))
        extra = sorted(set(seen) - set(expected))
        sys.exit(f"all.ics differs from gremien sessions: missing {missing[:10]}, extra {extra[:10]}")
    # Every body feed together holds the same sessions as all.ics.
    by_body = sorted(
        (str(e["UID"]), e["DTSTART"].dt.isoformat())
        for name, cal in calendars.items()
        if name.startswith("bodies/")
        for e in recurring_ical_events.of(cal).between(*window)
    )
    if by_body != seen:
        sys.exit("the body feeds together differ from all.ics")
    cancelled = sum(1 for s in listed if s["status"] == "cancelled")
    moved = sum(1 for s in listed if s["status"] == "moved")
    print(
        f"reader: {len(calendars)} feeds read without warnings (icalendar {icalendar.__version__}, "
        f"vobject {vobject.VERSION} with validate=True); "
        f"all.ics {start}..{stop} (cancelled_sessions: {mode}): {len(seen)} sessions, the same as gremien sessions "
        f"({moved} moved; {cancelled} cancelled ones " + ("stated as cancelled)" if mode == "show" else "absent)")
    )


if __name__ == "__main__":
    main()
