#!/usr/bin/env bash
# Usage: scripts/compare_json.sh OLD_BIN NEW_BIN
# Behaviour check for a restructure: one index (bundled corpus/ + PIAF passages) built by OLD,
# then 400 PIAF questions and a few seed queries through both binaries with --json. Exits 0 when
# every answer (stdout, stderr, exit status) is byte-identical, 1 at the first difference, shown
# as a diff.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 OLD_BIN NEW_BIN" >&2; exit 2; }
old=$(realpath "$1")
new=$(realpath "$2")
repo=$(cd "$(dirname "$0")/.." && pwd)
piaf="$repo/../shared/data/piaf"
if [ ! -d "$piaf" ]; then
    echo "skipped: $piaf is absent"
    exit 0
fi
command -v jq >/dev/null || { echo "compare_json.sh needs jq" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Run from the temp dir: no corpus/ there, so both search the index as built.
cd "$tmp"
"$old" index "$repo/corpus" --jsonl "$piaf/passages.jsonl" --index "$tmp/index" --quiet

# One query a line; all after `--`, which every version reads as the query.
{
    head -n 400 "$piaf/queries.jsonl" | jq -r '.query | gsub("\n"; " ")'
    printf '%s\n' "monnaie commune" "Confédération des États du Sahel" "sommet" "-Telegram sommet"
} >queries.txt

# answer BIN ARGS...: what a user sees, in one file.
answer() {
    local bin=$1 status=0
    shift
    "$bin" --index "$tmp/index" --json "$@" >out 2>err || status=$?
    cat out err
    echo "exit status $status"
}

compare() {
    answer "$old" "$@" >old.txt
    answer "$new" "$@" >new.txt
    if ! cmp -s old.txt new.txt; then
        echo "differs: $*"
        diff -u old.txt new.txt | head -n 60
        exit 1
    fi
}

count=0
while IFS= read -r query; do
    compare -- "$query"
    count=$((count + 1))
done <queries.txt
# The exclusion as typed, without `--`, where the old binary accepts it.
accepted=0
"$old" --index "$tmp/index" --json "-Telegram sommet" >/dev/null 2>&1 || accepted=$?
if [ "$accepted" -ne 2 ]; then
    compare "-Telegram sommet"
    count=$((count + 1))
fi
echo "identical: $count queries"
