#!/usr/bin/env bash
# Load run: `gremien serve` (release) against nginx serving the same all.ics statically, both
# on loopback, measured with wrk as ../shared/bench/bench_serve.sh does (-t2 -c50 -d10s):
# a plain 200, a 304 (If-None-Match with the ETag) and a gzip 200; REPS interleaved rounds.
# The feed is the shipped calendars/ synced into a fresh store. Beside them the plain SwiftNIO
# server Benchmarks/Benchmarks/ServeAnchor sends gremien's bytes for the same requests: the
# ceiling of the stack gremien runs on (NOANCHOR=1 leaves it out; RAWANCHOR=1 adds it once
# more with --raw, without NIO's response encoder). Needs nginx-light and wrk
# (installed when missing). Prints requests/s per scenario and gremien's share of nginx, then
# what one 304 answer costs each server in CPU time (user, kernel; wrk beside it), measured
# during the 304 rounds, and in system calls and context switches, counted in one more round
# under perf: aim 4's measured argument.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared}
out=${ICSBENCH_OUT:-/tmp/icsbench}/serve
REPS=${REPS:-3}
DUR=${DUR:-10s}
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
if ((${#need[@]})); then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"; fi
(cd "$root" && swift build -c release --static-swift-stdlib --product gremien >&2)
gremien=$root/.build/release/gremien
if [ -z "${NOANCHOR:-}" ]; then
    (cd "$root/Benchmarks" && swift build -c release --product ServeAnchor >&2)
    anchor=$(cd "$root/Benchmarks" && swift build -c release --show-bin-path)/ServeAnchor
fi
rm -rf "$out" && mkdir -p "$out/www" "$out/tmp" "$out/results"
store="sqlite:$out/gremien.sqlite"
"$gremien" sync --calendars "$root/calendars" --store "$store" --apply >/dev/null
gport=18481
nport=18480
aport=18482
"$gremien" serve --port $gport --store "$store" --templates "$root/templates" >"$out/serve.log" 2>&1 &
GPID=$!
sed -e "s|@PREFIX@|$out|g" -e "s|@ROOT@|$out/www|g" -e "s|@PORT@|$nport|g" -e "s|@WORKERS@|auto|g" \
    "$shared/bench/nginx.conf.template" >"$out/nginx.conf"
APID=
trap 'kill $GPID $NPID $APID 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$gport/healthz" && break; sleep 0.1; done
curl -sf -o "$out/www/all.ics" -D "$out/all.ics.headers" "http://127.0.0.1:$gport/feeds/all.ics"
curl -sf -o "$out/all.ics.gremien.gz" -D "$out/all.ics.gz.headers" -H "Accept-Encoding: gzip" \
    "http://127.0.0.1:$gport/feeds/all.ics"
gzip -9 -k -f "$out/www/all.ics"
servers=("nginx http://127.0.0.1:$nport/all.ics" "gremien http://127.0.0.1:$gport/feeds/all.ics")
if [ -n "${anchor:-}" ]; then
    "$anchor" $aport "$out/www/all.ics" "$out/all.ics.gremien.gz" "$out/all.ics.headers" "$out/all.ics.gz.headers" \
        >"$out/anchor.log" 2>&1 &
    APID=$!
    for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$aport/feeds/all.ics" && break; sleep 0.1; done
    servers+=("nio http://127.0.0.1:$aport/feeds/all.ics")
    if [ -n "${RAWANCHOR:-}" ]; then
        "$anchor" --raw $((aport + 1)) "$out/www/all.ics" "$out/all.ics.gremien.gz" "$out/all.ics.headers" \
            "$out/all.ics.gz.headers" >"$out/anchor-raw.log" 2>&1 &
        APID="$APID $!"
        for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$((aport + 1))/feeds/all.ics" && break; sleep 0.1; done
        servers+=("nio-raw http://127.0.0.1:$((aport + 1))/feeds/all.ics")
    fi
fi
nginx -t -q -p "$out" -c "$out/nginx.conf"
nginx -p "$out" -c "$out/nginx.conf" -g 'daemon off;' &
NPID=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$nport/all.ics" && break; sleep 0.1; done
echo "all.ics: $(wc -c <"$out/www/all.ics") bytes, gzip $(wc -c <"$out/www/all.ics.gz") bytes (same text from both servers)"
# What one answer costs each server, measured in every 304 round: the CPU time the server's
# processes (nginx: its workers) and wrk used meanwhile, from /proc (user and kernel
# separately; reading it costs nothing during the round). The server's system calls and
# context switches are counted by perf in one more 304 round per server after the measured
# ones, never in a round whose requests/s are reported: perf attached to a server slows it
# (gremien 125,084 and 110,715 requests/s without, 109,558 and 103,040 with). On loopback the
# two cores are shared by the server, wrk and the kernel's network path, so requests/s follow
# the CPU time per request; this says where a server's time goes.
[ -x /usr/bin/time ] || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q time; }
perf_ok=$(perf stat -e raw_syscalls:sys_enter,syscalls:sys_enter_epoll_wait -- true >/dev/null 2>&1 && echo 1 || true)
ticks() {  # user and system clock ticks of the given processes, summed
    for pid in "$@"; do cut -d')' -f2- "/proc/$pid/stat"; done | awk '{u += $12; s += $13} END {print u, s}'
}
switches() {  # voluntary and involuntary context switches of the given processes' threads, summed
    for pid in "$@"; do cat /proc/"$pid"/task/*/status 2>/dev/null; done |
        awk '$1=="voluntary_ctxt_switches:"{v += $2} $1=="nonvoluntary_ctxt_switches:"{n += $2} END {print v + 0, n + 0}'
}
etag_of() {  # the ETag the server gives the feed at this URL
    curl -s -D - -o /dev/null "$1" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}'
}
pids_of() {  # the processes that answer for a server
    case $1 in
        nginx) pgrep -P "$NPID" | tr '\n' ' ' ;;
        gremien) echo "$GPID" ;;
        nio) echo "${APID%% *}" ;;
        nio-raw) echo "${APID##* }" ;;
    esac
}
costed_304() {  # name url etag rep: the 304 round, with its CPU time
    local name=$1 url=$2 etag=$3 rep=$4 before turns
    local -a pids
    read -r -a pids <<<"$(pids_of "$name")"
    before=$(ticks "${pids[@]}")
    turns=$(switches "${pids[@]}")
    # wrk's CPU time, then its voluntary and involuntary context switches
    /usr/bin/time -f "wrk %U %S %w %c" -o "$out/results/$name-304-r$rep.wrk" \
        wrk -t2 -c50 -d"$DUR" --latency -H "If-None-Match: $etag" "$url" >"$out/results/$name-304-r$rep.txt"
    echo "$before $(ticks "${pids[@]}")" >"$out/results/$name-304-r$rep.ticks"
    echo "$turns $(switches "${pids[@]}")" >"$out/results/$name-304-r$rep.switches"
}
counted_304() {  # name url etag: a 304 round under perf, for system calls and context switches
    local name=$1 url=$2 etag=$3
    local -a pids
    read -r -a pids <<<"$(pids_of "$name")"
    # The server's system calls and switches; inside, wrk's own system calls and how many of
    # them wait for answers (epoll_wait).
    perf stat -x, -e raw_syscalls:sys_enter,context-switches -p "$(IFS=,; echo "${pids[*]}")" \
        -o "$out/results/$name-304-counted.perf" -- \
        perf stat -x, -e raw_syscalls:sys_enter,syscalls:sys_enter_epoll_wait -o "$out/results/$name-304-counted-wrk.perf" -- \
        wrk -t2 -c50 -d"$DUR" -H "If-None-Match: $etag" "$url" >"$out/results/$name-304-counted.txt"
}
for rep in $(seq "$REPS"); do
    for t in "${servers[@]}"; do
        name=${t%% *}; url=${t#* }
        etag=$(etag_of "$url")
        [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$url")" = 304 ] || { echo "no 304 from $url" >&2; exit 1; }
        wrk -t2 -c50 -d"$DUR" --latency "$url" >"$out/results/$name-200-r$rep.txt"
        costed_304 "$name" "$url" "$etag" "$rep"
        wrk -t2 -c50 -d"$DUR" --latency -H "Accept-Encoding: gzip" "$url" >"$out/results/$name-gzip-r$rep.txt"
    done
done
if [ -n "$perf_ok" ]; then
    for t in "${servers[@]}"; do
        name=${t%% *}; url=${t#* }
        counted_304 "$name" "$url" "$(etag_of "$url")"
    done
fi
python3 - "$out/results" "$REPS" <<'PY'
import os, re, statistics, sys
from pathlib import Path
folder, reps = Path(sys.argv[1]), int(sys.argv[2])
def rps(name, kind):
    values = []
    for r in range(1, reps + 1):
        file = folder / f"{name}-{kind}-r{r}.txt"
        if not file.exists():
            return None, []
        text = file.read_text()
        values.append(float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)))
        if "Non-2xx or 3xx" in text:
            sys.exit(f"{name} {kind}: errors in round {r}")
    return statistics.median(values), values
anchor = rps("nio", "200")[0] is not None
extra = f" {'NIO alone':>10} {'NIO/nginx':>10} {'gremien/NIO':>12}" if anchor else ""
print(f"{'scenario':10} {'nginx req/s':>14} {'gremien req/s':>14} {'gremien/nginx':>14}{extra}   (median of {reps}; rounds)")
for kind in ("200", "304", "gzip"):
    n, nv = rps("nginx", kind)
    g, gv = rps("gremien", kind)
    line = f"{kind:10} {n:14.0f} {g:14.0f} {g / n:13.0%}"
    rounds = f"nginx {[round(x) for x in nv]} gremien {[round(x) for x in gv]}"
    if anchor:
        a, av = rps("nio", kind)
        line += f" {a:10.0f} {a / n:9.0%} {g / a:11.0%}"
        rounds += f" NIO {[round(x) for x in av]}"
        r, rv = rps("nio-raw", kind)
        if r is not None:
            rounds += f" NIO raw {round(r)} = {r / n:.0%} of nginx {[round(x) for x in rv]}"
    print(f"{line}   {rounds}")
tick = 1e6 / os.sysconf("SC_CLK_TCK")  # µs per clock tick of /proc/PID/stat
def answers(file):
    """How many requests wrk's output in `file` says were answered."""
    return int(re.search(r"(\d+) requests in", file.read_text()).group(1))
def per_answer(name, counted_by, events):
    """The counts of `events` (perf names) per answer in the round under perf, from perf's CSV
    output for the server (`counted_by` "server") or for wrk ("wrk"); None for each where there
    is none."""
    perf_file = folder / f"{name}-304-counted{'-wrk' if counted_by == 'wrk' else ''}.perf"
    wrk = folder / f"{name}-304-counted.txt"
    found = dict.fromkeys(events)
    if perf_file.exists() and wrk.exists():
        done = answers(wrk)
        for line in perf_file.read_text().splitlines():
            fields = line.split(",")
            if len(fields) > 2 and fields[0].strip().isdigit() and fields[2] in found:
                found[fields[2]] = int(fields[0]) / done
    return [found[e] for e in events]
def round_figures(name, r, suffix):
    """Of round r: the server's two counters before and after from the file with `suffix`
    (ticks or switches), wrk's line from /usr/bin/time, and the answers; None without them."""
    base = folder / f"{name}-304-r{r}"
    file = base.with_suffix(suffix)
    if not file.exists():
        return None
    a0, b0, a1, b1 = map(int, file.read_text().split())
    return a1 - a0, b1 - b0, base.with_suffix(".wrk").read_text().split(), answers(folder / f"{name}-304-r{r}.txt")
def costs(name, r):
    """CPU µs per answer of round r: server user, server kernel, wrk user, wrk kernel."""
    if not (found := round_figures(name, r, ".ticks")):
        return None
    user, kernel, wrk, done = found
    return [user * tick / done, kernel * tick / done, float(wrk[1]) * 1e6 / done, float(wrk[2]) * 1e6 / done]
def turns(name, r):
    """Context switches per answer of round r: the server's voluntary and involuntary (its
    threads together), wrk's voluntary and involuntary."""
    if not (found := round_figures(name, r, ".switches")):
        return None
    voluntary, involuntary, wrk, done = found
    return [voluntary / done, involuntary / done, int(wrk[3]) / done, int(wrk[4]) / done]
def medians(figures, name):
    """The rounds' `figures(name, r)` (lists), each figure's median over the rounds, and the
    median of their sums; None without a round."""
    rounds = [f for f in (figures(name, r) for r in range(1, reps + 1)) if f]
    if not rounds:
        return None
    return [statistics.median(f[i] for f in rounds) for i in range(len(rounds[0]))], statistics.median(map(sum, rounds))
def median_costs(name):
    """Each figure of `costs` as the median over the rounds, the server's system calls and
    context switches per answer in the round under perf, and the median of all CPU time per
    answer."""
    if not (found := medians(costs, name)):
        return None
    cpu, together = found
    return cpu + per_answer(name, "server", ["raw_syscalls:sys_enter", "context-switches"]) + [together]
def cell(value, width, digits):
    """`value` right-aligned in `width` with `digits` decimals, or "-" when there is none."""
    return f"{value:{width}.{digits}f}" if value is not None else f"{'-':>{width}}"
table = {name: c for name in ("nginx", "gremien", "nio", "nio-raw") if (c := median_costs(name))}
if "nginx" in table:
    print()
    print(f"cost of one 304 answer, CPU µs per request (median of {reps} rounds); share of nginx: nginx's CPU time per")
    print("answer, server and wrk together, over this server's (on two shared cores, the requests/s it allows);")
    print("system calls and context switches from one more 304 round per server under perf, not a measured one")
    print(f"{'':5}{'server':10} {'user':>7} {'kernel':>7} {'together':>9} {'wrk user':>9} {'wrk kernel':>11} {'syscalls':>9} {'switches':>9} {'share of nginx':>15}")
    base = table["nginx"][6]
    for name, (u, k, wu, wk, calls, switches, cpu) in table.items():
        print(f"cost {name:10} {u:7.2f} {k:7.2f} {u + k:9.2f} {wu:9.2f} {wk:11.2f} {cell(calls, 9, 2)} {cell(switches, 9, 3)} {base / cpu:15.0%}")
    print()
    print("how the server and wrk take turns in a 304 round, per answer: context switches of the server's threads and")
    print(f"of wrk, voluntary (waiting) and involuntary (preempted), median of {reps} rounds; wrk's system calls and")
    print("epoll_wait calls (each a wait for answers) from the round under perf")
    print(f"{'':6}{'server':10} {'srv vol':>8} {'srv invol':>10} {'wrk vol':>8} {'wrk invol':>10} {'wrk syscalls':>13} {'wrk epoll_wait':>15}")
    for name in table:
        if not (found := medians(turns, name)):
            continue
        (sv, si, wv, wi), _ = found
        calls, waits = per_answer(name, "wrk", ["raw_syscalls:sys_enter", "syscalls:sys_enter_epoll_wait"])
        print(f"turns {name:10} {sv:8.3f} {si:10.3f} {wv:8.3f} {wi:10.3f} {cell(calls, 13, 2)} {cell(waits, 15, 3)}")
PY
