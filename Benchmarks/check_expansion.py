#!/usr/bin/env python3
"""Checks that both programs expand our all.ics of the workload to the workload's figures.

`gremien expand --ics` must give the workload's instance count and checksum (sum of the UTC
epoch seconds of the instances' starts). `icalbench expand` drops EXDATEs but counts every
other VEVENT, also one with STATUS:CANCELLED: the benchmark district states its planned
cancellations as such overrides (`cancelled_sessions: show`, the default), so icalbench must
give the workload's figures plus the count and starts of those overrides, read here from the
file. Exits with 1, saying which figure differs, when a program gives anything else.

usage: check_expansion.py EXPECTED.json WORKLOAD-KEY ALL.ics GREMIEN-SUMMARY ICALBENCH.json
"""

import json
import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

WINDOW = (datetime(2020, 1, 1), datetime(2030, 1, 1))  # local, Europe/Berlin, as icalbench's
BERLIN = ZoneInfo("Europe/Berlin")


def cancelled_overrides(ics: Path) -> tuple[int, int]:
    """The count and the sum of UTC epoch starts of the VEVENTs with RECURRENCE-ID and
    STATUS:CANCELLED whose start lies in the window."""
    text = ics.read_bytes().decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
    count = total = 0
    for event in re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", text, flags=re.S):
        lines = event.split("\r\n")
        if not any(line.startswith("RECURRENCE-ID") for line in lines) or "STATUS:CANCELLED" not in lines:
            continue
        start = next(line for line in lines if line.startswith("DTSTART"))
        params, value = start.split(":", 1)
        tzid = re.search(r";TZID=([^;:]+)", params)
        if value.endswith("Z"):
            moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        else:
            zone = ZoneInfo(tzid.group(1)) if tzid else BERLIN
            moment = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone)
        local = moment.astimezone(BERLIN).replace(tzinfo=None)
        if WINDOW[0] <= local < WINDOW[1]:
            count += 1
            total += int(moment.timestamp())
    return count, total


def main() -> int:
    expected_file, key, ics, gremien_file, icalbench_file = sys.argv[1:6]
    expected = json.loads(Path(expected_file).read_text())[key]
    want = (expected["occurrences"], expected["checksum"])
    summary = dict(line.split(": ", 1) for line in Path(gremien_file).read_text().splitlines() if ": " in line)
    gremien = (int(summary["instances"]), int(summary["checksum"]))
    c = json.loads(Path(icalbench_file).read_text())
    icalbench = (c["occurrences"], c["checksum"])
    extra = cancelled_overrides(Path(ics))
    icalbench_want = (want[0] + extra[0], want[1] + extra[1])
    print(f"workload  {want[0]} {want[1]}")
    print(f"gremien   {gremien[0]} {gremien[1]}")
    print(f"icalbench {icalbench[0]} {icalbench[1]} (the workload's and {extra[0]} cancelled sessions stated as overrides)")
    wrong = []
    if gremien != want:
        wrong.append(f"gremien expand gives {gremien[0]} instances, checksum {gremien[1]}; the workload {want[0]}, {want[1]}")
    if icalbench != icalbench_want:
        wrong.append(
            f"icalbench expand gives {icalbench[0]} instances, checksum {icalbench[1]}; "
            f"expected {icalbench_want[0]}, {icalbench_want[1]} (the workload's and {extra[0]} cancelled overrides)"
        )
    for line in wrong:
        print(f"{ics}: {line}", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
