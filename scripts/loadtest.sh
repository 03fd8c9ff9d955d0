#!/usr/bin/env bash
# Load test of `aes-search serve` from another process (issue 21; figures in BENCHMARKS.md):
# wrk, 32 connections for 30 s on GET /api/search through 1,000 PIAF-derived queries
# (scripts/loadtest.lua), twice: once alone, once with a POST /api/sync halfway through that
# indexes 100 new articles. Prints wrk's figures for both and the sync's report.
#
#   scripts/loadtest.sh [ARTICLES]    # a generated corpus of ARTICLES (default 100000); 0: corpus/
#
# DURATION (30), CONNECTIONS (32), THREADS (2), BIN (below) and WORK (/tmp/aes-loadtest, where
# the generated folders and indexes are kept for the next run) can be set. Needs wrk (Debian's
# `wrk`), curl, jq, and ../shared/data for the generator and the queries.
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-100000}
duration=${DURATION:-30}
connections=${CONNECTIONS:-32}
threads=${THREADS:-2}
work=${WORK:-/tmp/aes-loadtest}
mkdir -p "$work"

# One feature set for the binary and the bench, so that the tree is built once. BIN, a binary
# built before, is tested instead (to compare two builds side by side, A B A B).
bin=${BIN:-target/release/aes-search}
[ -n "${BIN:-}" ] || cargo build --release --features server --quiet
bench() { cargo bench --features server --bench aes --quiet -- "$@"; }
[ -s "$work/queries.txt" ] || bench queries --queries 1000 >"$work/queries.txt"
if [ ! -s "$work/queries.txt" ]; then
    echo "loadtest: no queries (../shared/data/piaf is needed)" >&2
    exit 1
fi

if [ "$articles" = 0 ]; then
    corpus=$work/bundled
    rm -rf "$corpus"
    cp -r corpus "$corpus"
else
    corpus=$work/corpus-$articles
    [ -d "$corpus/base" ] || bench gen "$corpus/base" --articles "$articles" >/dev/null
fi
# The 100 articles the mid-run sync adds: outside the corpus until then.
extra=$work/extra-100
[ -d "$extra" ] || bench gen "$extra" --articles 100 --seed 900001 >/dev/null
added=$corpus/added-mid-run
rm -rf "$added"
index=$work/index-$articles
"$bin" index "$corpus" --index "$index" --quiet

token=loadtest-$$
out=$(mktemp -d)
server=
trap 'kill "$server" 2>/dev/null || true; rm -rf "$out" "$added"' EXIT
. scripts/start_server.sh
start_server "$bin" "$out" --corpus "$corpus" --index "$index" --admin-token "$token"
articles_now() { curl -sf "$base/api/stats" | jq .articles; }
echo "server: $base, $(articles_now) articles; $(uname -srm), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

run_wrk() {
    wrk -t"$threads" -c"$connections" -d"${1}s" --timeout 10s -s scripts/loadtest.lua "$base" -- "$work/queries.txt"
}
echo "== warm-up, 5 s"
run_wrk 5 | grep -E '^(requests|latency|errors):'
echo "== ${duration} s, $connections connections, no sync"
run_wrk "$duration" | grep -E '^(requests|latency|errors):'

echo "== ${duration} s, $connections connections, POST /api/sync at $((duration / 2)) s (+100 articles)"
(
    sleep $((duration / 2))
    cp -r "$extra" "$added"
    code=$(curl -s -o "$out/post" -w '%{http_code}' -X POST \
        -H "Authorization: Bearer $token" "$base/api/sync")
    echo "sync: POST answered $code $(cat "$out/post")"
    while curl -sf -H "Authorization: Bearer $token" "$base/api/sync" | jq -e .running >/dev/null; do
        sleep 0.1
    done
    curl -sf -H "Authorization: Bearer $token" "$base/api/sync" |
        jq -c '{ok: .last.ok, report: .last.report, error: .last.error}' | sed 's/^/sync: /'
) &
sync_job=$!
run_wrk "$duration" | grep -E '^(requests|latency|errors):'
wait "$sync_job"
echo "after: $(articles_now) articles"
