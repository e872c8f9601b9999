#!/usr/bin/env bash
# Side by side in one run, on the reference workload of ../shared/bench:
#   1. process level (hyperfine): the C anchor `icalbench expand` (libical 3.0.16 from C) and
#      `gremien expand --ics ... --summary`, W60 and W600, with instance counts and checksums;
#   2. in process (package-benchmark): parse, expand with our engine, expand with libical.
# Needs ../shared (beside the repository; SHARED=... to override). Writes to $ICSBENCH_OUT
# (default /tmp/icsbench). QUICK=1 skips the in-process part.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared}
out=${ICSBENCH_OUT:-/tmp/icsbench}
export ICSBENCH_OUT=$out
mkdir -p "$out/bin"
"$root/scripts/setup"
command -v hyperfine >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q hyperfine; }
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
if [ -z "${QUICK:-}" ]; then
    echo "== in process (package-benchmark)"
    (cd "$root/Benchmarks" && swift package --disable-sandbox benchmark --target Expansion)
fi
