#!/usr/bin/env bash
# Load run: `gremien serve` (release) against nginx serving the same all.ics statically, both
# on loopback, measured with wrk as ../shared/bench/bench_serve.sh does (-t2 -c50 -d10s):
# a plain 200, a 304 (If-None-Match with the ETag) and a gzip 200; REPS interleaved rounds.
# The feed is the shipped calendars/ synced into a fresh store. Beside them the plain SwiftNIO
# server Benchmarks/Benchmarks/ServeAnchor sends gremien's bytes for the same requests: the
# ceiling of the stack gremien runs on (NOANCHOR=1 leaves it out; RAWANCHOR=1 adds it once
# more with --raw, without NIO's response encoder). Needs nginx-light and wrk
# (installed when missing). Prints requests/s per scenario and gremien's share of nginx.
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
for rep in $(seq "$REPS"); do
    for t in "${servers[@]}"; do
        name=${t%% *}; url=${t#* }
        etag=$(curl -s -D - -o /dev/null "$url" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}')
        [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$url")" = 304 ] || { echo "no 304 from $url" >&2; exit 1; }
        wrk -t2 -c50 -d"$DUR" --latency "$url" >"$out/results/$name-200-r$rep.txt"
        wrk -t2 -c50 -d"$DUR" --latency -H "If-None-Match: $etag" "$url" >"$out/results/$name-304-r$rep.txt"
        wrk -t2 -c50 -d"$DUR" --latency -H "Accept-Encoding: gzip" "$url" >"$out/results/$name-gzip-r$rep.txt"
    done
done
python3 - "$out/results" "$REPS" <<'PY'
import re, statistics, sys
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
PY
