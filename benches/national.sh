#!/usr/bin/env bash
# National scale: simulate an election of N ballots of the Mazhilis shape (one party-list
# contest, 8 options, shares of the 2023 party-list vote) — N synthetic citizens certified by a
# synthetic CA register a credential each, three trustees (the 3-of-5 minimum) shuffle the
# list with proofs, then N ballots are cast — verify its record (checks 1.8 and 1.9 included:
# every registration and every shuffle proof) with 1 and with all threads, and report the
# simulator's per-phase times (registration, each shuffle's proof and the board's check of
# it), time, peak memory and record size (raw and compressed).
#
#   benches/national.sh [N] [DIR] [STEP] [SHAPE]    (defaults: 1000000, /tmp/dauys-national, all, mazhilis)
#
# STEP is `simulate`, `verify` (of a record simulated before) or `all`. SHAPE is `mazhilis`
# (the one party-list contest above) or `mazhilis-2023`: the mixed 2023 Mazhilis
# (specs/examples/mazhilis-2023-manifest.json), the same party-list shares on every ballot and
# one of 29 single-member districts, N/29 ballots each (the first districts one more where N
# does not divide), their candidates by fixed shares (45, 25, 15 % and the rest to the others,
# 5 % against all): 29 ballot styles, each with its own credential list and shuffles.
#
# Needs about 8 GB of disk per million ballots (the board's database and the record).
set -euo pipefail
N=${1:-1000000}
DIR=${2:-/tmp/dauys-national}
STEP=${3:-all}
SHAPE=${4:-mazhilis}
case "$SHAPE" in
  mazhilis) MANIFEST=specs/examples/mazhilis-manifest.json ;;
  mazhilis-2023) MANIFEST=specs/examples/mazhilis-2023-manifest.json ;;
  *) echo "SHAPE is mazhilis or mazhilis-2023, not $SHAPE" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
cargo build --release --bins
T="/usr/bin/time -f"
R="$DIR/election/record"
if [ "$STEP" != verify ]; then
rm -rf "$DIR" && mkdir -p "$DIR"
# Shares (per 10,000) of the 2023 Mazhilis party-list vote, rounded; the rest is party-a's.
python3 - "$N" "$MANIFEST" > "$DIR/votes.json" <<'PY'
import json, sys
n = int(sys.argv[1])
manifest = json.load(open(sys.argv[2]))
shares = {"party-b": 1090, "party-c": 859, "party-d": 841, "party-e": 680, "party-f": 520,
          "party-g": 230, "against-all": 390}
votes = {k: n * v // 10000 for k, v in shares.items()}
votes["party-a"] = n - sum(votes.values())
lists = [c for c in manifest["contests"] if c["kind"] == "party_list"]
out = {lists[0]["id"]: votes}
districts = [c for c in manifest["contests"] if c["kind"] == "plurality"]
for i, c in enumerate(districts):
    b = n // len(districts) + (1 if i < n % len(districts) else 0)
    candidates = [o["id"] for o in c["options"] if not o.get("against_all")]
    against = [o["id"] for o in c["options"] if o.get("against_all")]
    d = {against[0]: b * 5 // 100} if against else {}
    for cand, share in zip(candidates[1:], (25, 15)):
        d[cand] = b * share // 100
    rest = candidates[3:]
    for j, cand in enumerate(rest):
        d[cand] = (b * 10 // 100) // len(rest) if rest else 0
    d[candidates[0]] = b - sum(d.values())
    out[c["id"]] = d
print(json.dumps(out))
PY
$T "simulate: wall=%e s user=%U s sys=%S s maxrss=%M KB" target/release/dauys simulate \
  --manifest "$MANIFEST" --votes "$DIR/votes.json" --dir "$DIR/election"
echo "record: $(du -sb "$R" | cut -f1) bytes; events.jsonl $(stat -c %s "$R/events.jsonl") bytes"
echo "events.jsonl gzip -6: $(gzip -6 -c "$R/events.jsonl" | wc -c) bytes"
if command -v zstd > /dev/null; then echo "events.jsonl zstd -3: $(zstd -3 -c -q "$R/events.jsonl" | wc -c) bytes"; fi
fi
[ "$STEP" = simulate ] && exit 0
for t in 1 $(nproc); do
  $T "verify threads=$t: wall=%e s user=%U s maxrss=%M KB" target/release/dauys-verify "$R" --threads "$t" --json \
    > "$DIR/verify-$t.json"
  python3 -c "import json,sys; print(\"valid:\", json.load(open(sys.argv[1]))[\"valid\"])" "$DIR/verify-$t.json"
done
