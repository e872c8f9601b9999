#!/usr/bin/env python3
"""Turns the reference workload of ../shared/bench (workload-N.tsv) into a calendars/ folder.

Each TSV row (uid, dtstart, minutes, rrule, exdates, summary, location, ...) becomes one body
with one series; its EXDATEs become planned cancellations; members are three of 20 offices,
chosen deterministically. Holidays are kept (policy `keep`) so that the sessions are exactly the
workload's, as the C anchor builds them. Output is deterministic.

usage: make_calendars.py WORKLOAD.tsv OUT_DIR
"""

import json
import sys
from pathlib import Path

OFFICES = 20


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def main() -> None:
    tsv, out = Path(sys.argv[1]), Path(sys.argv[2])
    (out / "bodies").mkdir(parents=True, exist_ok=True)
    (out / "district.yaml").write_text(
        "name: Benchmark-Kreis\nuid_domain: bench.invalid\nplan_until: 2029-12-31\nrefresh_hours: 12\n", encoding="utf-8"
    )
    lines = ["offices:"]
    for i in range(OFFICES):
        lines += [f"  - id: amt-{i:02d}", f"    name: Amt {i:02d}", f"    short: A{i:02d}", "    administration: district"]
    (out / "offices.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for n, row in enumerate(tsv.read_text(encoding="utf-8").splitlines()):
        uid, dtstart, minutes, rrule, exdates, summary, location = row.split("\t")[:7]
        body = uid.split("@")[0].lower()
        start = f"{dtstart[0:4]}-{dtstart[4:6]}-{dtstart[6:8]}T{dtstart[9:11]}:{dtstart[11:13]}"
        members = []
        for k, step in enumerate((1, 7, 13)):
            office = (n * step + k * 5) % OFFICES
            while office in members:
                office = (office + 1) % OFFICES
            members.append(office)
        text = [
            f"id: {body}",
            f"name: {q(summary)}",
            "kind: Arbeitskreis",
            f"chair: amt-{members[0]:02d}",
            "members:",
        ]
        for k, office in enumerate(members):
            text += [f"  - office: amt-{office:02d}", f"    role: {'chair' if k == 0 else 'member'}"]
        text += [
            "series:",
            "  - id: sitzung",
            f"    start: {start}",
            f"    duration: {int(minutes)}",
            f"    rrule: {rrule}",
            f"    location: {q(location)}",
            "    kind: Sitzung",
            "    holidays: keep",
            "    updated: 2025-01-01T00:00:00Z",
        ]
        if exdates != "-":
            text.append("    exceptions:")
            for ex in exdates.split(","):
                text += [f"      - cancel: {ex[0:4]}-{ex[4:6]}-{ex[6:8]}", "        reason: Ausfall"]
        (out / "bodies" / f"{body}.yaml").write_text("\n".join(text) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
