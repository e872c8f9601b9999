"""An independent reader of Gremien's participation reports: jsonschema and Python's csv module.

Checks the JSON report against schemas/participation-report.schema.json (JSON Schema 2020-12,
the `jsonschema` package from PyPI), and that both CSV reports (RFC 4180, and German Excel) read
back with Python's csv module: every record has the same number of fields, no cell starts with a
character a spreadsheet runs as a formula, and every office of the JSON report is in the CSV with
the same figures; that the sessions listed behind each office add up to its figures, rates are
over recorded sessions, and each pair is listed once with a joint session; and (version 3) that
every seat lists its holders, regular ones first, the same as the CSV's section "Sitzinhaber".

usage: check_report.py SCHEMA REPORT.json REPORT.csv REPORT-EXCEL.csv
"""

import csv
import io
import json
import sys
from pathlib import Path

import jsonschema


def rows(path: Path, excel: bool) -> list[list[str]]:
    data = path.read_bytes()
    if excel != data.startswith(b"\xef\xbb\xbf"):
        sys.exit(f"{path}: byte-order mark {'missing' if excel else 'unexpected'}")
    text = data.decode("utf-8-sig")
    if not text.endswith("\r\n") or "\n" in text.replace("\r\n", ""):
        sys.exit(f"{path}: records must end in CRLF")
    result = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ",", strict=True))
    widths = {len(r) for r in result}
    if len(widths) != 1:
        sys.exit(f"{path}: records have {sorted(widths)} fields")
    for r in result:
        for cell in r:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                sys.exit(f"{path}: cell {cell!r} would run as a formula")
    return result


def main() -> None:
    schema_path, json_path, csv_path, excel_path = map(Path, sys.argv[1:5])
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    report = json.loads(json_path.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(report))
    if errors:
        sys.exit(f"{json_path}: {len(errors)} schema errors, first: {errors[0].message} at {list(errors[0].path)}")
    for path, excel in ((csv_path, False), (excel_path, True)):
        table = rows(path, excel)
        start = next(i for i, r in enumerate(table) if r[0] == "Büros") + 2  # after its header row
        end = next(i for i in range(start, len(table)) if not any(table[i]))
        by_office = {r[0]: r for r in table[start:end]}
        for office in report["offices"]:
            row = by_office.get(office["office"])
            a = office["attendance"]
            want = [str(a[k]) for k in ("expected", "recorded", "attended", "excused", "absent", "unrecorded")]
            if row is None or row[4:10] != want:
                sys.exit(f"{path}: office {office['office']}: {row and row[4:10]} != {want}")
            # Version 2: the sessions behind the figures add up to them.
            outcomes = [s["outcome"] for s in office["sessions"]]
            if len(outcomes) != a["expected"] or outcomes.count("unrecorded") != a["unrecorded"] \
                    or outcomes.count("attended") != a["attended"]:
                sys.exit(f"{json_path}: office {office['office']}: its sessions do not add up to its figures")
            if a["recorded"] and abs(a["rate"] - round(a["attended"] / a["recorded"], 4)) > 1e-9:
                sys.exit(f"{json_path}: office {office['office']}: rate {a['rate']} is not attended / recorded")
            if not a["recorded"] and a["rate"] is not None:
                sys.exit(f"{json_path}: office {office['office']}: a rate without recorded sessions")
    if report.get("version") != 3:
        sys.exit(f"{json_path}: version {report.get('version')}, expected 3")
    # Version 3: every seat lists its holders (regular ones first, deputies by rank); the CSV's
    # section "Sitzinhaber" holds the same rows.
    holders = [(o["office"], s["body"], h["person"]) for o in report["offices"] for s in o["seats"]
               for h in s.get("holders", [])]
    if any("holders" not in s for o in report["offices"] for s in o["seats"]):
        sys.exit(f"{json_path}: a seat without its holders")
    for o in report["offices"]:
        for s in o["seats"]:
            roles = [h["role"] for h in s["holders"]]
            if roles != sorted(roles, key=lambda r: r != "regular"):
                sys.exit(f"{json_path}: {o['office']} in {s['body']}: deputies before a regular holder")
    text = Path(csv_path).read_text(encoding="utf-8")
    records = list(csv.reader(io.StringIO(text)))
    start = next(i for i, r in enumerate(records) if r and r[0] == "Sitzinhaber")
    listed = []
    for r in records[start + 2:]:
        if not r or not r[0]:
            break
        listed.append((r[0], r[1], r[2]))
    if sorted(listed) != sorted(holders):
        sys.exit(f"{csv_path}: Sitzinhaber {len(listed)} rows, the JSON report {len(holders)} holders")
    pairs = {frozenset((p["office"], p["partner"])) for p in report["pairs"]}
    if len(pairs) != len(report["pairs"]) or any(p["jointSessions"] == 0 for p in report["pairs"]):
        sys.exit(f"{json_path}: a pair is listed twice or without a joint session")
    if not holders:
        sys.exit(f"{json_path}: no seat holders listed")
    print(
        f"report reader: JSON valid against the schema (jsonschema); {len(holders)} seat holders; {len(report['offices'])} offices, "
        f"{len(report['pairs'])} pairs, {len(report['bodies'])} bodies, the same figures in both CSV files"
    )


if __name__ == "__main__":
    main()
