#!/usr/bin/env bash
# Load test of the board over loopback, as BENCHMARKS.md reports it: an open election set up
# role by role through the CLI (3-of-5 trustees, the demo manifest, N voters), served by
# `dauys board serve`, then `dauys loadtest`, with READERS clients looping over every GET
# endpoint meanwhile. Usage: benches/loadtest.sh [VOTERS] [CONCURRENCY] [READERS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
C=${2:-16}
READERS=${3:-0}
cargo build --release --bins -q
B=target/release/dauys
M=specs/examples/demo-manifest.json
D=$(mktemp -d)
$B registrar synthetic-roll --voters "$N" --out "$D/roll.csv" > /dev/null
$B board init --dir "$D/board" --manifest "$M" --operator-key "$D/operator.key" > /dev/null
$B registrar issue --manifest "$M" --roll "$D/roll.csv" --out "$D/registrar" > /dev/null
for i in 1 2 3 4 5; do $B trustee init --dir "$D/board" --index $i --key "$D/t$i.key" > /dev/null; done
for i in 1 2 3 4 5; do $B trustee deal --dir "$D/board" --key "$D/t$i.key" > /dev/null; done
for i in 1 2 3 4 5; do $B trustee receive --dir "$D/board" --key "$D/t$i.key" > /dev/null; done
$B board open --dir "$D/board" --credentials "$D/registrar/credentials.json" > /dev/null
$B board serve --dir "$D/board" --listen 127.0.0.1:0 > "$D/serve.log" &
PID=$!
trap 'kill $PID 2> /dev/null; rm -rf "$D"' EXIT
while [ ! -s "$D/serve.log" ]; do sleep 0.1; done
URL=$(head -1 "$D/serve.log" | awk '{print $NF}')
$B loadtest --board "$URL" --sheet "$D/registrar/credential-sheet.csv" --ballots "$N" --concurrency "$C" --readers "$READERS"
