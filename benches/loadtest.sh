#!/usr/bin/env bash
# Load test of the board over loopback, as BENCHMARKS.md reports it: the key ceremony role by
# role through the CLI (3-of-5 trustees, the national manifest: the demo's contests, one ballot style), then a synthetic registration of
# N voters and the trustees' shuffles (`dauys loadtest --register`, which writes the synthetic
# voters' credential secrets to a 0600 file of this test, with no identity in it), served by
# `dauys board serve`, then `dauys loadtest`, with READERS clients looping over every GET
# endpoint meanwhile. Usage: benches/loadtest.sh [VOTERS] [CONCURRENCY] [READERS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
C=${2:-16}
READERS=${3:-0}
# DAUYS_BIN: an already built binary to use instead (e.g. target/debug/dauys, to try the script).
if [ -z "${DAUYS_BIN:-}" ]; then cargo build --release --bins -q; fi
B=${DAUYS_BIN:-target/release/dauys}
M=specs/examples/national-manifest.json
D=$(mktemp -d)
IDS=()
for i in 1 2 3 4 5; do
  IDS+=("$($B trustee keygen --index $i --key "$D/t$i.key" | sed -n 's/^identity key //p')")
done
# The trustees' identity keys go in the manifest (trustees.identities).
python3 - "$M" "$D/manifest.json" "${IDS[@]}" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["trustees"]["identities"] = sys.argv[3:]
# The load test's synthetic voters are certified by the load-test CA, whose seed is public
# (src/runner.rs, LOAD_TEST_CA_KEY): this manifest is a load test's, never an election's.
m["citizen_ca"] = "65e9787adbc9bd8835589e60d499d8d46796255f535a0a4139af8a5ed1e924b2"
json.dump(m, open(sys.argv[2], "w"))
PY
M="$D/manifest.json"
$B board init --dir "$D/board" --manifest "$M" --operator-key "$D/operator.key" > /dev/null
for i in 1 2 3 4 5; do $B trustee init --dir "$D/board" --index $i --key "$D/t$i.key" > /dev/null; done
for i in 1 2 3 4 5; do $B trustee deal --dir "$D/board" --key "$D/t$i.key" > /dev/null; done
for i in 1 2 3 4 5; do $B trustee receive --dir "$D/board" --key "$D/t$i.key" > /dev/null; done
for i in 1 2 3 4 5; do $B trustee ready --dir "$D/board" --key "$D/t$i.key" > /dev/null; done
$B loadtest --register "$D/board" --voters "$N" --credentials "$D/voters.txt" \
  --trustee-key "$D/t1.key" --trustee-key "$D/t2.key" --trustee-key "$D/t3.key"
$B board serve --dir "$D/board" --listen 127.0.0.1:0 > "$D/serve.log" &
PID=$!
trap 'kill $PID 2> /dev/null; rm -rf "$D"' EXIT
while [ ! -s "$D/serve.log" ]; do sleep 0.1; done
URL=$(head -1 "$D/serve.log" | awk '{print $NF}')
$B loadtest --board "$URL" --credentials "$D/voters.txt" --ballots "$N" --concurrency "$C" --readers "$READERS"
