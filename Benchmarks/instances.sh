#!/usr/bin/env bash
# Several instances of `gremien serve` (release build) on one PostgreSQL database, with a
# throw-away cluster that syncs to disk as a real server does (GREMIEN_PG_FSYNC=on): attendance
# writes per second through the API (32 writers per instance) and feed requests per second
# (wrk -t2 -c32 on /feeds/all.ics) with one instance and with three behind nginx, besides the
# checks of scripts/check-postgres. Prints one line "figures: ...".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup
swift build -c release --static-swift-stdlib --product gremien >&2
cluster=$(mktemp -d)
trap 'scripts/postgres stop "$cluster"; rm -rf "$cluster"' EXIT
GREMIEN_TEST_POSTGRES=$(GREMIEN_PG_FSYNC=on scripts/postgres start "$cluster") \
    scripts/check-postgres .build/release/gremien --figures
