#!/usr/bin/env bash
# Side by side in one run, on the reference workload of ../shared/bench:
#   1. process level (hyperfine): the C anchor `icalbench expand` (libical 3.0.16 from C) and
#      `gremien expand --ics ... --summary`, W60 and W600, with instance counts and checksums;
#   2. feeds (hyperfine): the workload as calendars/ folders (Benchmarks/make_calendars.py),
#      `gremien generate` next to the C anchor's build + serialise of the same calendar
#      (`icalbench serialize workload-N.tsv`); both programs then expand our all.ics, which
#      must give the workload's figures, icalbench's with the cancelled sessions that our feeds
#      state as overrides (Benchmarks/check_expansion.py);
#   3. the records: `gremien sync --apply` of the 600-body district into an empty store; the
#      participation report over ten years with 300,000 attendance rows in each format, and
#      `gremien audit verify`, with peak memory (/usr/bin/time); the report downloaded from the
#      auditor's page of a running `gremien serve` (and the page, and the change log's download),
#      with the server's memory before and at its peak;
#   4. `gremien serve` against nginx for the same feed (Benchmarks/serve.sh, wrk: 200, 304, gzip),
#      beside SwiftNIO's HTTP pipeline alone (ServeAnchor; RAWANCHOR=1 also without its encoder);
#   5. in process (package-benchmark), always: W600 expanded by our engine beside the Swift floor
#      (Floor.swift, a port of icalbench's integer expander), on both cores and on one;
#      unless QUICK=1: parse, expand with our engine, expand with libical;
#      read calendars/, plan and write all feeds; sync, 300,000 attendance rows, the import
#      through Workflows, the streamed audit verify, 1,000 minutes; serve per request (Serve);
#   6. every ratio of issue 20 against its aim, in one table at the end ("== issue 20").
# Needs ../shared (beside the repository; SHARED=... to override). Writes to $ICSBENCH_OUT
# (default /tmp/icsbench). QUICK=1 skips the in-process part but aim 1's; NOSERVE=1 the wrk runs;
# INSTR=1 adds instruction counts of aims 1 and 2 with callgrind (valgrind, installed when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared}
out=${ICSBENCH_OUT:-/tmp/icsbench}
export ICSBENCH_OUT=$out
mkdir -p "$out/bin"
"$root/scripts/setup"
command -v hyperfine >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q hyperfine; }
[ -x /usr/bin/time ] || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q time; }
[ -f "$out/workload-600.ics" ] || python3 "$shared/bench/gen_workload.py" "$out"
gcc -O2 -o "$out/bin/icalbench" "$shared/bench/icalbench.c" $(pkg-config --cflags --libs libical)
(cd "$root" && swift build -c release --static-swift-stdlib --product gremien >&2)  # as scripts/run builds it
gremien=$root/.build/release/gremien

echo "== expected (gen_workload.py)"
python3 -c "import json,sys; e=json.load(open('$out/expected.json')); [print(k, e[k]['occurrences'], e[k]['checksum']) for k in ('workload-60','workload-600')]"
for n in 60 600; do
    echo "== W$n: figures"
    (cd "$out" && bin/icalbench expand workload-$n.ics -n 1 -w 0 | python3 -c "import json,sys; d=json.load(sys.stdin); print('icalbench', d['occurrences'], d['checksum'])")
    echo "gremien   $("$gremien" expand --ics "$out/workload-$n.ics" --from 2020-01-01 --to 2030-01-01 --summary | tr '\n' ' ')"
    echo "== W$n: process level"
    (cd "$out" && hyperfine -N -w 3 -r "${RUNS:-20}" --export-json "$out/hf-compare-$n.json" \
        -n "libical C (icalbench expand)" "bin/icalbench expand workload-$n.ics -n 1 -w 0" \
        -n "gremien expand --ics" "$gremien expand --ics workload-$n.ics --from 2020-01-01 --to 2030-01-01 --summary")
done
for n in 60 600; do
    rm -rf "$out/calendars-$n"
    python3 "$root/Benchmarks/make_calendars.py" "$out/workload-$n.tsv" "$out/calendars-$n"
    "$gremien" generate --calendars "$out/calendars-$n" --out "$out/feeds-$n"
    echo "== W$n: our all.ics expanded by both programs, checked against the workload's figures"
    "$gremien" expand --ics "$out/feeds-$n/all.ics" --from 2020-01-01 --to 2030-01-01 --summary >"$out/all-$n.gremien"
    (cd "$out" && bin/icalbench expand "feeds-$n/all.ics" -n 1 -w 0 >"$out/all-$n.icalbench")
    python3 "$root/Benchmarks/check_expansion.py" "$out/expected.json" "workload-$n" "$out/feeds-$n/all.ics" \
        "$out/all-$n.gremien" "$out/all-$n.icalbench"
    echo "== W$n: feeds, process level"
    (cd "$out" && hyperfine -N -w 3 -r "${RUNS:-20}" --export-json "$out/hf-feeds-$n.json" \
        -n "libical C build+serialise (icalbench serialize)" "bin/icalbench serialize workload-$n.tsv -n 1 -w 0" \
        -n "gremien generate (all feeds, files unchanged)" "$gremien generate --calendars calendars-$n --out feeds-$n" \
        -n "gremien validate" "$gremien validate calendars-$n")
    (cd "$out" && hyperfine -w 3 -r "${RUNS:-20}" --prepare "rm -rf fresh-$n" \
        -n "gremien generate (all feeds into an empty folder)" "$gremien generate --calendars calendars-$n --out fresh-$n")
done
echo "== W600: records, process level"
(cd "$out" && hyperfine -w 1 -r "${RUNS:-10}" --prepare "rm -f $out/sync.sqlite*" \
    -n "gremien sync --apply (600 bodies into an empty store)" \
    "$gremien sync --calendars calendars-600 --store sqlite:$out/sync.sqlite --apply")
echo "== W600: participation report over ten years, 300,000 attendance rows, process level"
rm -f "$out"/report.sqlite*
"$gremien" sync --calendars "$out/calendars-600" --store "sqlite:$out/report.sqlite" --apply >/dev/null
# Sessions of the five years up to today: attendance is recorded only for sessions that have begun.
"$gremien" sessions --calendars "$out/calendars-600" --from "$(date -d '-5 years +1 day' +%F)" --to "$(date +%F)" --format json \
    | python3 "$root/Benchmarks/make_attendance.py" "$out/calendars-600" 300000 >"$out/attendance-300k.csv"
cp "$out/report.sqlite" "$out/empty.sqlite"
/usr/bin/time -o "$out/time-import.txt" -f "%e %M" \
    "$gremien" attendance import "$out/attendance-300k.csv" --store "sqlite:$out/report.sqlite" | tail -1
echo "attendance import: $(cut -d' ' -f1 "$out/time-import.txt") s, peak $(cut -d' ' -f2 "$out/time-import.txt") KB"
report="$gremien report participation --store sqlite:$out/report.sqlite --from 2020-01-01 --to 2029-12-31 --core amt-00,amt-01,amt-02"
for f in "csv" "csv --excel" "json" "html"; do
    /usr/bin/time -f "report --format $f: %e s, peak %M KB" $report --format $f --out "$out/report.${f%% *}" 2>&1 | tail -1
done
/usr/bin/time -o "$out/time-report.txt" -f "%e %M" $report --format csv --out "$out/report.csv" >/dev/null
for f in json html; do
    /usr/bin/time -o "$out/time-report-$f.txt" -f "%e %M" $report --format $f --out "$out/report.$f" >/dev/null
done
# The largest report to standard output, as `gremien report ... > file` writes it.
/usr/bin/time -o "$out/time-report-stdout.txt" -f "%e %M" $report --format json >/dev/null 2>&1
(cd "$out" && hyperfine -N -w 1 -r "${RUNS:-10}" \
    -n "report csv" "$report --format csv --out $out/report.csv" \
    -n "report json" "$report --format json --out $out/report.json" \
    -n "report html" "$report --format html --out $out/report.html" \
    -n "audit verify" "$gremien audit verify --store sqlite:$out/report.sqlite")
/usr/bin/time -o "$out/time-verify.txt" -f "%e %M" "$gremien" audit verify --store "sqlite:$out/report.sqlite" | tail -1
echo "audit verify: $(cut -d' ' -f1 "$out/time-verify.txt") s, peak $(cut -d' ' -f2 "$out/time-verify.txt") KB"
# An auditor's check of the ten-year report against the records it was made from (the log
# replayed up to the report's chain head), the verification included.
/usr/bin/time -o "$out/time-verify-report.txt" -f "%e %M" "$gremien" audit verify --store "sqlite:$out/report.sqlite" --report "$out/report.csv" | tail -1
echo "audit verify --report: $(cut -d' ' -f1 "$out/time-verify-report.txt") s, peak $(cut -d' ' -f2 "$out/time-verify-report.txt") KB"
# The same report as an auditor downloads it from the page (/pruefung/bericht), each format from
# a server started for it: the download's seconds, and the server's memory before and at its peak;
# then the auditor's page itself (/pruefung), which checks the event log at each visit, and the
# change log's download (/pruefung/aenderungen.csv).
dl=$out/download
rm -rf "$dl" && mkdir -p "$dl" && cp "$out/report.sqlite" "$dl/store.sqlite"
port=${DLPORT:-18093}
"$gremien" person add "Rita Revision" --office amt-00 --level AL --store "sqlite:$dl/store.sqlite" >/dev/null
link=$("$gremien" account invite --person "Rita Revision" --email rita.revision@example.org --role auditor \
    --store "sqlite:$dl/store.sqlite" --url "http://127.0.0.1:$port" | grep -o '/anmelden/link/[A-Za-z0-9_-]*')
for f in csv json html page changes; do
    "$gremien" serve --port "$port" --store "sqlite:$dl/store.sqlite" --templates "$root/templates" >"$dl/serve-$f.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
    # Signed in once (the link is for one use); the browser's session is kept in the store.
    [ -s "$dl/jar" ] || curl -sf -c "$dl/jar" -o /dev/null -H "Origin: http://127.0.0.1:$port" \
        --data "link=${link##*/}" "http://127.0.0.1:$port/anmelden/link"
    before=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    case $f in
        page) path=/pruefung ;;
        changes) path=/pruefung/aenderungen.csv ;;
        *) path="/pruefung/bericht?von=2020-01-01&bis=2029-12-31&format=$f" ;;
    esac
    seconds=$(curl -sf -b "$dl/jar" -o "$dl/report.$f" -w "%{time_total}" "http://127.0.0.1:$port$path")
    peak=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
    kill "$pid" && wait "$pid" || true
    echo "$seconds $before $peak" >"$out/time-download-$f.txt"
    echo "$path: $seconds s, $(stat -c %s "$dl/report.$f") bytes; server $before KB before, peak $peak KB"
done
(cd "$out" && hyperfine -w 1 -r "${RUNS:-10}" --prepare "cp $out/empty.sqlite $out/import.sqlite" --export-json "$out/hf-import.json" \
    -n "attendance import (300,000 rows)" "$gremien attendance import attendance-300k.csv --store sqlite:$out/import.sqlite")
# The expansion's in-process anchor: the C program's specialised integer expander (the
# practical floor of ../shared/bench) and libical's parse, both from C.
(cd "$out" && bin/icalbench phases workload-600.ics -n 5 -w 1 >"$out/phases-600.json")
# What each side of aim 2 writes: the C anchor one calendar, gremien all.ics and a feed per body and office.
(cd "$out" && bin/icalbench serialize workload-600.tsv -n 1 -w 0 >"$out/serialize-600.json")
if [ -z "${NOSERVE:-}" ]; then
    echo "== gremien serve against nginx (Benchmarks/serve.sh)"
    "$root/Benchmarks/serve.sh" | tee "$out/serve.txt"
else
    rm -f "$out/serve.txt"  # the table gives this run's figures only, none of an earlier run's
fi
# Aim 1 in process: our engine beside the Swift floor (a port of icalbench's integer expander,
# Benchmarks/Benchmarks/Expansion/Floor.swift), both from the parsed workload; also with the
# process on one core (taskset), where our engine cannot spread its runs over both.
echo "== W600 in process: Swift engine and Swift floor (package-benchmark)"
aim1="W600 expand, Swift (engine|floor.*)"
inproc() { (cd "$root/Benchmarks" && $1 swift package --disable-sandbox benchmark --target Expansion \
    --filter "$aim1" --no-progress) | sed -n '/^Expansion$/,$p'; }
inproc "" | tee "$out/inproc-expansion.txt"
echo "-- the same on one core"
inproc "taskset -c 0" | tee "$out/inproc-expansion-1core.txt"
if [ -z "${QUICK:-}" ]; then
    echo "== in process (package-benchmark)"
    (cd "$root/Benchmarks" && swift package --disable-sandbox benchmark --target Expansion --skip "$aim1")  # run above
    (cd "$root/Benchmarks" && swift package --disable-sandbox benchmark --target Feeds)
    (cd "$root/Benchmarks" && swift package --disable-sandbox benchmark --target Records)
    (cd "$root/Benchmarks" && swift package --disable-sandbox benchmark --target Serve)
fi
if [ -n "${INSTR:-}" ]; then
    # Instruction counts (callgrind) of both sides of aims 1 and 2: the same on every run, where
    # times on a busy machine move by a quarter, so that a change of a few percent shows. valgrind
    # cannot read Swift's DWARF; a copy of gremien without debug info is counted. One core's
    # instructions: the wall-time ratios above also show how well the work spreads over cores.
    echo "== instructions (callgrind)"
    command -v valgrind >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q valgrind; }
    strip -g -o "$out/bin/gremien-nodebug" "$gremien"
    # COUNTS=FILE keeps callgrind's profile, to read how many instructions went where.
    count() { valgrind --tool=callgrind --callgrind-out-file="${COUNTS:-/dev/null}" "$@" 2>&1 >/dev/null | sed -n 's/^==[0-9]*== Collected : //p'; }
    within() {  # profile function: the instructions spent in the function and what it called
        callgrind_annotate --inclusive=yes "$1" 2>/dev/null | awk -v f="$2" 'index($0, ":" f " [") {gsub(",", "", $1); print $1; exit}'
    }
    (cd "$out" && {
        echo "expand-c $(count bin/icalbench expand workload-600.ics -n 1 -w 0)"
        echo "expand $(count bin/gremien-nodebug expand --ics workload-600.ics --from 2020-01-01 --to 2030-01-01 --summary)"
        echo "serialize-c $(COUNTS=serialize.callgrind count bin/icalbench serialize workload-600.tsv -n 1 -w 0)"
        echo "generate $(COUNTS=generate.callgrind count bin/gremien-nodebug generate --calendars calendars-600 --out feeds-600)"
        echo "validate $(count bin/gremien-nodebug validate calendars-600)"
        # Where aim 2's instructions go: libical writing the content lines (both sides) and
        # making gremien's properties from their parts; reading calendars/ (libyaml).
        echo "serialize-c-write $(within serialize.callgrind icalproperty_as_ical_string_r)"
        echo "generate-write $(within generate.callgrind icalproperty_as_ical_string_r)"
        echo "generate-make $(within generate.callgrind '$s9ICalendar14ICalSerializerO11constructedys13OpaquePointerVSgAA0B8PropertyVFZTf4nd_n')"
        echo "generate-yaml $(within generate.callgrind yaml_parser_parse)"
    } | tee "$out/instructions.txt")
else
    rm -f "$out/instructions.txt"
fi
echo "== issue 20: every ratio against its aim (this run)"
python3 - "$out" <<'PY'
import json, re, sys
from pathlib import Path
out = Path(sys.argv[1])
def mean(file, name, statistic="mean"):
    """hyperfine's mean (or other `statistic`, e.g. "median") of the command `name` in `file`."""
    for r in json.loads((out / file).read_text())["results"]:
        if r["command"] == name:
            return r[statistic]
    raise SystemExit(f"{file}: no result {name}")
def median(file, name):
    return mean(file, name, "median")
def timed(file):
    seconds, kb = (out / file).read_text().split()[-2:]
    return float(seconds), int(kb) / 1024
def served(what):
    """A download from the running server (time-download-WHAT.txt): seconds, the server's MB
    before it and at its peak."""
    seconds, before, peak = (out / f"time-download-{what}.txt").read_text().split()
    return float(seconds), int(before) / 1024, int(peak) / 1024
rows = []
c = mean("hf-compare-600.json", "libical C (icalbench expand)")
g = mean("hf-compare-600.json", "gremien expand --ics")
rows.append(("1 expansion W600: libical C / gremien expand --ics", f"{c / g:.1f}x", ">= 20x", c / g >= 20))
# Beside the means the aims are judged on, the medians of the same runs: how much a figure
# depends on the statistic when the machine is busy.
cm, gm = median("hf-compare-600.json", "libical C (icalbench expand)"), median("hf-compare-600.json", "gremien expand --ics")
rows.append(("1 the same, medians", f"{cm / gm:.1f}x ({cm * 1e3:.1f} / {gm * 1e3:.1f} ms)", "anchor", None))
def wall_p50(file, name):
    """The median wall clock of benchmark `name` in package-benchmark's table, in ms."""
    lines = (out / file).read_text().split("\n")
    for i, line in enumerate(lines):
        if line.strip() == name:
            for row in lines[i + 1:]:
                found = re.match(r"│ Time \(wall clock\) \((μs|ms)\) \*?\s*│([^│]*)│([^│]*)│([^│]*)│", row)
                if found:
                    return float(found.group(4)) / (1000 if found.group(1) == "μs" else 1)
    raise SystemExit(f"{file}: no wall clock of {name}")
engine, floor = "W600 expand, Swift engine", "W600 expand, Swift floor (integer expander for W's rule shapes)"
e, fl = wall_p50("inproc-expansion.txt", engine), wall_p50("inproc-expansion.txt", floor)
rows.append(("1 in process W600: Swift engine / Swift floor (median)", f"{e / fl:.1f}x ({e:.1f} / {fl:.1f} ms)", "<= 3x", e / fl <= 3))
e1, fl1 = wall_p50("inproc-expansion-1core.txt", engine), wall_p50("inproc-expansion-1core.txt", floor)
rows.append(("1 in process W600 on one core: engine / Swift floor", f"{e1 / fl1:.1f}x ({e1:.1f} / {fl1:.1f} ms)", "anchor", None))
phases = json.loads((out / "phases-600.json").read_text())["phases_ms"]
rows.append(("1 C floor (integer expander) / libical parse, ms", f"{phases['expand_direct']['median']:.1f} / {phases['load']['median']:.1f}", "anchor", None))
s = mean("hf-feeds-600.json", "libical C build+serialise (icalbench serialize)")
f = mean("hf-feeds-600.json", "gremien generate (all feeds, files unchanged)")
rows.append(("2 feeds W600: gremien generate / icalbench serialize", f"{f / s:.1f}x", "<= 2x", f / s <= 2))
sm, fm = median("hf-feeds-600.json", "libical C build+serialise (icalbench serialize)"), median("hf-feeds-600.json", "gremien generate (all feeds, files unchanged)")
rows.append(("2 the same, medians", f"{fm / sm:.1f}x ({fm * 1e3:.1f} / {sm * 1e3:.1f} ms)", "anchor", None))
c_bytes = json.loads((out / "serialize-600.json").read_text())["serialized_bytes"]
g_bytes = sum(p.stat().st_size for p in (out / "feeds-600").rglob("*.ics"))
rows.append(("2 bytes written: gremien (621 feeds) / icalbench serialize", f"{g_bytes / c_bytes:.1f}x ({g_bytes / 1e6:.1f} MB)", "anchor", None))
rows.append(("2 ms per MB written: icalbench serialize / gremien generate", f"{s * 1e3 / (c_bytes / 1e6):.1f} / {f * 1e3 / (g_bytes / 1e6):.1f}", "anchor", None))
t, m = timed("time-report.txt")
rows.append(("3 report csv, 10 years, 300,000 rows: s / MB", f"{t:.2f} s / {m:.0f} MB", "<= 1 s, 200 MB", t <= 1 and m <= 200))
for f in ("json", "html"):
    t, m = timed(f"time-report-{f}.txt")
    rows.append((f"3 report {f}, the same: s / MB", f"{t:.2f} s / {m:.0f} MB", "<= 1 s, 200 MB", t <= 1 and m <= 200))
t, m = timed("time-report-stdout.txt")
rows.append(("3 report json to standard output: s / MB", f"{t:.2f} s / {m:.0f} MB", "<= 1 s, 200 MB", t <= 1 and m <= 200))
for f in ("csv", "json", "html"):
    t, b, m = served(f)
    rows.append((f"3 report {f} downloaded from the page: s / server peak MB (before)", f"{t:.2f} s / {m:.0f} MB ({b:.0f})", "<= 1 s, 200 MB", t <= 1 and m <= 200))
t, m = timed("time-verify.txt")
rows.append(("3 audit verify, 301,221 entries: s / MB", f"{t:.2f} s / {m:.0f} MB", "<= 2 s, 200 MB", t <= 2 and m <= 200))
t, m = timed("time-verify-report.txt")
rows.append(("3 audit verify --report (the ten-year CSV): s / MB", f"{t:.2f} s / {m:.0f} MB", "anchor", None))
t, b, m = served("page")
rows.append(("3 the same check on the auditor's page: s / server peak MB (before)", f"{t:.2f} s / {m:.0f} MB ({b:.0f})", "<= 2 s, 200 MB", t <= 2 and m <= 200))
t, b, m = served("changes")
rows.append(("3 the change log downloaded from the page: s / server peak MB (before)", f"{t:.2f} s / {m:.0f} MB ({b:.0f})", "anchor", None))
i = mean("hf-import.json", "attendance import (300,000 rows)")
t, m = timed("time-import.txt")
rows.append(("3 attendance import, 300,000 rows: s (mean) / MB", f"{i:.2f} s / {m:.0f} MB", "<= 5 s", i <= 5))
serve = out / "serve.txt"
if not serve.exists():
    rows.append(("4 serve 200, 304, gzip: gremien / nginx req/s", "not measured", ">= 80%", None))
else:
    text = serve.read_text()
    for kind in ("200", "304", "gzip"):
        found = re.search(rf"^{kind}\s+(\d+)\s+(\d+)\s+(\d+)%(?:\s+(\d+)\s+(\d+)%\s+(\d+)%)?", text, re.M)
        if found:
            n, g, share = int(found.group(1)), int(found.group(2)), int(found.group(3))
            rows.append((f"4 serve {kind}: gremien / nginx req/s", f"{share}% ({g} / {n})", ">= 80%", share >= 80))
            if found.group(4):
                a = int(found.group(4))
                rows.append((f"4 serve {kind}: NIO alone / nginx, gremien / NIO alone", f"{found.group(5)}%, {found.group(6)}% ({a})", "anchor", None))
    # The measured argument of aim 4: CPU time per 304 answer (server, and wrk beside it) and
    # the share of nginx's requests/s that those costs allow, for gremien and the NIO anchors.
    cost = {m.group(1): [float(x) for x in m.group(2, 3, 4, 5)] + [int(m.group(6))]
            for m in re.finditer(r"^cost (\S+)\s+([\d.]+)\s+([\d.]+)\s+[\d.]+\s+([\d.]+)\s+([\d.]+)\s+\S+\s+\S+\s+(\d+)%",
                                 text, re.M)}
    if "nginx" in cost and "gremien" in cost:
        line = ", ".join(f"{k} {v[0]:.1f}+{v[1]:.1f}" for k, v in cost.items())
        rows.append(("4 CPU per 304 answer, server user+kernel, us", line, "anchor", None))
        line = ", ".join(f"{k} {v[4]}%" for k, v in cost.items() if k != "nginx")
        rows.append(("4 304 share of nginx allowed by CPU per answer", line, "anchor", None))
    # How often the server is preempted and wrk waits for answers: the turns they take on two cores.
    turns = {m.group(1): (float(m.group(2)), m.group(3))
             for m in re.finditer(r"^turns (\S+)\s+[\d.]+\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+\S+\s+(\S+)", text, re.M)}
    if "nginx" in turns and "gremien" in turns:
        line = ", ".join(f"{k} {v[0]:.3f}/{v[1]}" for k, v in turns.items())
        rows.append(("4 per 304 answer: server preempted / wrk epoll_wait", line, "anchor", None))
counted = out / "instructions.txt"
if counted.exists():
    n = {k: int(v) for k, v in (line.split() for line in counted.read_text().split("\n") if len(line.split()) == 2)}
    rows.append(("1 instructions W600: icalbench expand / gremien expand --ics", f"{n['expand-c'] / n['expand']:.1f}x ({n['expand'] / 1e6:.0f}M)", "anchor", None))
    rows.append(("2 instructions W600: gremien generate / icalbench serialize", f"{n['generate'] / n['serialize-c']:.1f}x ({n['generate'] / 1e6:.0f}M)", "anchor", None))
    rows.append(("2 instructions W600: gremien validate / icalbench serialize", f"{n['validate'] / n['serialize-c']:.1f}x ({n['validate'] / 1e6:.0f}M)", "anchor", None))
    if all(n.get(k) for k in ("serialize-c-write", "generate-write", "generate-make", "generate-yaml")):
        rows.append(("2 instructions in libical writing lines: gremien / icalbench", f"{n['generate-write'] / n['serialize-c-write']:.2f}x ({n['generate-write'] / 1e6:.0f}M / {n['serialize-c-write'] / 1e6:.0f}M)", "anchor", None))
        floor = n["generate-write"] + n["generate-make"] + n["generate-yaml"]
        rows.append(("2 instructions making + writing lines, libyaml / icalbench total", f"{floor / n['serialize-c']:.2f}x ({floor / 1e6:.0f}M)", "anchor", None))
for name, figure, aim, met in rows:
    mark = "" if met is None else ("met" if met else "NOT met")
    print(f"{name:58} {figure:>22}   aim {aim:16} {mark}")
PY
