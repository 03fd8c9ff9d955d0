#!/usr/bin/env bash
# Property-based tests of the HTTP API from its OpenAPI document (schemathesis, in a venv under
# target/): every operation is called with generated parameters; a 5xx, an answer that breaks
# the schema or an undocumented status fails. Needs `cargo build --features server` first.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/schemathesis-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "schemathesis==4.32.5"
fi
work=$(mktemp -d)
server=
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r corpus "$work/corpus"
token=schemathesis-$$
. scripts/start_server.sh
start_server target/debug/aes-search "$work" --corpus "$work/corpus" --index "$work/index" \
    --admin-token "$token"
"$venv/bin/schemathesis" run "$base/api/openapi.json" --url "$base" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --header "Authorization: Bearer $token" --max-examples 60 --generation-deterministic
