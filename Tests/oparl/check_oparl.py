"""The OParl 1.1 endpoint as a crawler sees it.

On a copy of the shipped calendars/ (three public bodies) with people, seats, attendance and
approved minutes (one item not public): `gremien serve` is crawled from the System object,
following every URL of the endpoint (lists page by page). Every object — embedded ones too — is
validated with jsonschema against the official OParl 1.1 schemas (Tests/oparl/schema, from the
OParl/spec repository, CC BY-SA 4.0), with `created` and `modified` required as the 1.1 text
demands; every answer has `Access-Control-Allow-Origin: *`; no response (the minutes' HTML
included) holds the name of anyone in the staff records; a non-public agenda item never appears.

Then an incremental sync: after changes (a session cancelled, one moved, minutes approved, a
public body archived by a sync) the lists read with `modified_since` (written with an unencoded
`+` in the offset, as a known consumer sends it) and applied to the first crawl give exactly a
new full crawl, deletions included.

usage: check_oparl.py GREMIEN WORKDIR
"""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from jsonschema import Draft7Validator
from referencing import Registry, Resource

SCHEMAS = Path(__file__).parent / "schema"
LISTS = ["organization", "meeting", "person", "membership", "agendaItem", "file", "location", "paper",
         "legislativeTerm"]


def fail(message: str) -> None:
    sys.exit(f"check_oparl: {message}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def validators() -> dict[str, Draft7Validator]:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(schema)
        resources += [(schema["$id"], resource), (schema["$id"] + ".json", resource)]
    registry = Registry().with_resources(resources)
    out = {}
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        # The 1.1 text requires created and modified on every object; the schemas do not.
        schema = dict(schema, required=sorted(set(schema.get("required", [])) | {"created", "modified"}))
        out[schema["$id"].rsplit("/", 1)[-1]] = Draft7Validator(schema, registry=registry)
    return out


class Crawler:
    def __init__(self, base: str, names: list[str]) -> None:
        self.base, self.names = base, names
        self.validators = validators()
        self.requests = 0
        self.objects = 0
        self.errors: list[str] = []

    def get(self, url: str) -> tuple[int, bytes]:
        self.requests += 1
        try:
            with urllib.request.urlopen(url, timeout=30) as r:
                status, headers, body = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, headers, body = e.code, e.headers, e.read()
        if headers.get("Access-Control-Allow-Origin") != "*":
            self.errors.append(f"{url}: no Access-Control-Allow-Origin: *")
        text = body.decode("utf-8", "replace")
        for name in self.names:
            if name in text:
                self.errors.append(f"{url}: names {name!r}")
        return status, body

    def json(self, url: str) -> dict:
        status, body = self.get(url)
        if status != 200:
            fail(f"GET {url}: {status} {body[:300]!r}")
        return json.loads(body)

    def check(self, obj: dict, where: str) -> None:
        kind = str(obj.get("type", "")).rsplit("/", 1)[-1]
        validator = self.validators.get(kind)
        if validator is None:
            self.errors.append(f"{where}: unknown type {obj.get('type')!r}")
            return
        self.objects += 1
        for e in validator.iter_errors(obj):
            self.errors.append(f"{where} ({kind}): {e.message} at {'/'.join(map(str, e.absolute_path))}")
        for value in obj.values():
            for inner in value if isinstance(value, list) else [value]:
                if isinstance(inner, dict) and "type" in inner:
                    self.check(inner, f"{where} > {inner.get('id')}")

    def pages(self, url: str) -> list[dict]:
        objects = []
        while url:
            page = self.json(url)
            for key in ("data", "pagination", "links"):
                if key not in page:
                    fail(f"{url}: a list without {key}")
            objects += page["data"]
            url = page["links"].get("next")
        return objects

    def crawl(self) -> dict[str, dict]:
        """Every object reachable from the System object, by id."""
        seen: dict[str, dict] = {}
        queue = [self.base]
        fetched: set[str] = set()
        while queue:
            url = queue.pop()
            if url in fetched or not url.startswith(self.base):
                continue
            fetched.add(url)
            if url.endswith("/download"):
                status, body = self.get(url)
                if status != 200 or b"<html" not in body.lower():
                    self.errors.append(f"{url}: {status}, not the minutes as HTML")
                continue
            if "/body/kreis/" in url or url.endswith("/body") or url.endswith("/meeting"):
                objects = self.pages(url)
            else:
                objects = [self.json(url)]
            for obj in objects:
                self.check(obj, obj.get("id", url))
                if obj.get("id") != url:
                    seen[obj["id"]] = obj
                else:
                    seen[url] = obj
                queue += [u for u in links(obj) if u not in fetched]
        return seen


def links(obj) -> list[str]:
    found = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "id" and isinstance(value, str):
                continue
            found += links(value)
    elif isinstance(obj, list):
        for v in obj:
            found += links(v)
    elif isinstance(obj, str) and obj.startswith("http"):
        found.append(obj)
    return found


def main() -> None:
    gremien, work = sys.argv[1], Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    calendars = work / "calendars"
    shutil.copytree("calendars", calendars)
    store = ["--store", f"sqlite:{work / 'gremien.sqlite'}"]

    def run(*args: str) -> str:
        done = subprocess.run([gremien, *args, *store], capture_output=True, text=True)
        if done.returncode != 0:
            fail(f"gremien {' '.join(args)}: {done.stdout} {done.stderr}")
        return done.stdout

    # The district publishes attendance per office (the vendor extension gremien:attendance).
    district = calendars / "district.yaml"
    district.write_text(district.read_text(encoding="utf-8") + "oparl_attendance: true\n", encoding="utf-8")
    run("sync", "--calendars", str(calendars), "--apply")
    names = ["Jürgen Öffentlich", "Paula Protokoll", "Dörte Vertretung"]
    people = [run("person", "add", n, "--office", o, "--level", "TL", "--email", f"p{i}@kreis.example").strip()
              for i, (n, o) in enumerate(zip(names, ["jc", "ja-k", "jc"]))]
    run("seat", "assign", "ag-78", "--office", "jc", "--person", people[0])
    today = date.today()
    sessions = json.loads(run("sessions", "--body", "ag-78", "--from", (today - timedelta(days=200)).isoformat(),
                              "--to", (today + timedelta(days=400)).isoformat(), "--format", "json"))
    past = [s for s in sessions if s["status"] != "cancelled" and datetime.fromisoformat(s["end"]) < datetime.now(timezone.utc)]
    coming = [s for s in sessions if s["status"] != "cancelled" and datetime.fromisoformat(s["start"]) > datetime.now(timezone.utc)]
    first, second = past[-1]["recurrenceId"][:10], past[-2]["recurrenceId"][:10]
    for day in (first, second):
        run("attendance", "record", "ag-78", day, "--office", "jc", "--person", names[0], "--status", "present")
        run("minutes", "write", "ag-78", day, "--began", "14:05", "--ended", "15:50", "--minute-taker", names[1])
        items = run("agenda", "list", "ag-78", day).splitlines()
        ids = [line.split("[id ")[1].split(",")[0].split("]")[0] for line in items if "[id " in line]
        run("minutes", "write", "ag-78", day, "--item", ids[2], "--discussion", "Bericht der Träger.",
            "--results", "Zur Kenntnis genommen.")
        run("minutes", "write", "ag-78", day, "--item", ids[3], "--discussion", "Einzelfälle besprochen.",
            "--results", "Vertraulich.", "--not-public")
    run("minutes", "approve", "ag-78", first)
    # Every name in the staff records (and the minute-taker's) is looked for in every answer.
    names = sorted({line.split("\t")[1] for line in run("person", "list").splitlines() if "\t" in line} | {names[1]})

    port = free_port()
    base = f"http://127.0.0.1:{port}/oparl/v1.1"
    server = subprocess.Popen([gremien, "serve", "--port", str(port), "--public-url", f"http://127.0.0.1:{port}", *store],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.2)
        crawler = Crawler(base, names)
        full = crawler.crawl()
        kinds = sorted({o["type"].rsplit("/", 1)[-1] for o in full.values()})
        if not any(o.get("resultsProtocol") for o in full.values()):
            fail("no meeting has its approved minutes as resultsProtocol")
        attended = [o for o in full.values() if o.get("gremien:attendance")]
        if not attended or attended[0]["gremien:attendance"][0]["status"] != "anwesend":
            fail(f"no meeting shows attendance per office: {[o.get('gremien:attendance') for o in attended][:2]}")
        text = json.dumps(full, ensure_ascii=False)
        if "Einzelfälle" in text or "Vertraulich" in text:
            fail("a non-public agenda item's text is in the endpoint")
        minutes = [o["resultsProtocol"]["accessUrl"] for o in full.values() if o.get("resultsProtocol")]
        status, html = crawler.get(minutes[0])
        if b"Einzelf" in html or "nicht öffentlicher Teil".encode() not in html:
            fail("the published minutes show the non-public item")
        status, body = crawler.get(f"{base}/body/kreis/meeting?modified_since=gestern")
        error = json.loads(body)
        if status != 400 or error.get("type") != "https://schema.oparl.org/1.1/Error":
            fail(f"a bad filter: {status} {body[:200]!r}")
        if crawler.errors:
            fail(f"{len(crawler.errors)} findings:\n" + "\n".join(crawler.errors[:20]))
        print(f"oparl: {crawler.requests} requests, {crawler.objects} objects ({', '.join(kinds)}) valid against the "
              f"OParl 1.1 schemas with created and modified; CORS on every answer; no staff name")

        # Incremental sync.
        time.sleep(1.1)
        since = datetime.now(timezone(timedelta(hours=1))).replace(microsecond=0)
        time.sleep(1.1)
        run("session", "cancel", "ag-78", coming[1]["recurrenceId"][:10], "--reason", "Personalversammlung")
        moved_to = (date.fromisoformat(coming[2]["recurrenceId"][:10]) + timedelta(days=1)).isoformat()
        run("session", "move", "ag-78", coming[2]["recurrenceId"][:10], "--to", f"{moved_to}T10:00",
            "--location", "Haus der Jugend", "--force")
        run("minutes", "approve", "ag-78", second)
        (calendars / "bodies" / "runder-tisch-energiearmut.yaml").unlink()
        run("sync", "--calendars", str(calendars), "--apply")
        time.sleep(3)  # the server reads the store's changes every 2 s
        stamp = since.isoformat()  # 2026-12-01T10:00:00+01:00, the + left unencoded
        merged = dict(full)
        changed = deleted = 0
        for name in ["body"] + [f"body/kreis/{l}" for l in LISTS]:
            for obj in crawler.pages(f"{base}/{name}?modified_since={stamp}"):
                crawler.check(obj, obj["id"])
                if obj.get("deleted"):
                    deleted += 1
                    merged.pop(obj["id"], None)
                else:
                    changed += 1
                    merged[obj["id"]] = obj
        # Objects fetched only as themselves (System, Body) are fetched again, as a consumer does.
        for url in [base, f"{base}/body/kreis"]:
            merged[url] = crawler.json(url)
        again = Crawler(base, names).crawl()
        only_merged = sorted(set(merged) - set(again))
        only_full = sorted(set(again) - set(merged))
        differ = sorted(k for k in set(merged) & set(again) if merged[k] != again[k])
        if only_merged or only_full or differ:
            fail(f"incremental ≠ full: {len(only_merged)} only after applying the changes (e.g. {only_merged[:3]}), "
                 f"{len(only_full)} only in the full crawl (e.g. {only_full[:3]}), {len(differ)} differ "
                 f"(e.g. {differ[:3]})")
        if crawler.errors:
            fail("\n".join(crawler.errors[:20]))
        if deleted == 0:
            fail("the archived body's objects were not listed as deleted")
        print(f"oparl: modified_since={stamp} listed {changed} changed and {deleted} deleted objects; applied to the "
              f"first crawl ({len(full)} objects) they give the new full crawl ({len(again)}) exactly")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
