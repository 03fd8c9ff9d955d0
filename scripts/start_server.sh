# Sourced by the scripts that test `aes-search serve` from outside: `start_server BIN OUT ARGS...`
# starts `BIN serve --addr 127.0.0.1:0 ARGS...` with its output in the folder OUT, waits for the
# address it prints, and sets `server` (its pid) and `base` (http://127.0.0.1:PORT).
start_server() {
    local bin=$1 out=$2
    shift 2
    "$bin" serve --addr 127.0.0.1:0 "$@" >"$out/stdout" 2>"$out/stderr" &
    server=$!
    for _ in $(seq 1 300); do
        grep -q "listening on" "$out/stdout" 2>/dev/null && break
        sleep 0.2
    done
    base=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$out/stdout")
    if [ -z "$base" ]; then
        echo "$(basename "$0"): the server did not start" >&2
        cat "$out/stderr" >&2
        exit 1
    fi
}
