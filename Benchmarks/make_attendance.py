#!/usr/bin/env python3
"""Writes an attendance CSV for `gremien attendance import` from `gremien sessions --format json`.

For the process-level report benchmark (Benchmarks/compare.sh): every member office of each
session of 2022-2027, body by body in file order, until LIMIT rows: mostly present, every 7th
excused, every 11th absent (as Benchmarks/Records/Records.swift records them in process).

usage: gremien sessions ... --format json | make_attendance.py CALENDARS_DIR LIMIT > attendance.csv
"""

import csv
import json
import sys
from pathlib import Path


def main() -> None:
    folder, limit = Path(sys.argv[1]), int(sys.argv[2])
    members = {}
    for f in sorted((folder / "bodies").glob("*.yaml")):
        lines = f.read_text(encoding="utf-8").splitlines()
        body = lines[0].split(": ", 1)[1]
        members[body] = [l.split(": ", 1)[1] for l in lines if l.startswith("  - office: ")]
    sessions = {}
    for s in json.load(sys.stdin):
        if s["status"] == "cancelled":
            continue
        planned = (s["recurrenceId"] or s["start"])[:10]
        sessions.setdefault(s["body"], []).append(planned)
    out = csv.writer(sys.stdout, lineterminator="\r\n")
    out.writerow(["body", "date", "office", "person", "status", "by", "arrival", "departure"])
    n = 0
    for body in sorted(members, key=lambda b: list(members).index(b)):
        for day in sessions.get(body, []):
            for office in members[body]:
                status = "excused" if n % 7 == 3 else "absent" if n % 11 == 5 else "present"
                out.writerow([body, day, office, "", status, "", "", ""])
                n += 1
                if n == limit:
                    return


if __name__ == "__main__":
    main()
