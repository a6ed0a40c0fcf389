#!/usr/bin/env bash
# The mixed 2023 Mazhilis shape (a national party list of 69 seats and 29 single-member
# districts, 29 ballot styles) run by the roles from the command line, as election staff would:
# five trustees' keys and ceremony, a synthetic national CA, a roll of one citizen per district
# plus one, each citizen registering with its precinct, the shuffles, voting, the tally, three
# decryptions, the result, and the observer's verifier. Asserts 69 list seats, 29 district
# winners (never against-all) and a VALID record.
#
# Usage: scripts/mazhilis-by-roles.sh [OUT_DIR]   (default: a new temporary directory)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$(mktemp -d -t dauys-mazhilis-XXXXXX)}
mkdir -p "$out"
cd "$root"
cargo build -q --release --bin dauys --bin dauys-verify
bin="${CARGO_TARGET_DIR:-$root/target}/release"
dauys() { "$bin/dauys" "$@"; }
board="$out/board"
example=specs/examples/mazhilis-2023-manifest.json
election_id=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['election_id'])" "$example")

# Trustees make their keys; the CA its key; the manifest names both.
ids=()
for i in 1 2 3 4 5; do
    ids+=("$(dauys trustee keygen --index "$i" --key "$out/t$i.key" | sed -n 's/^identity key //p')")
done
ca_public=$(dauys ca init --out "$out/ca.json" | sed -n 's/^CA public key //p')
python3 - "$example" "$out/manifest.json" "$ca_public" "${ids[@]}" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
m["citizen_ca"] = sys.argv[3]
m["trustees"]["identities"] = sys.argv[4:]
json.dump(m, open(sys.argv[2], "w"))
EOF
dauys board init --dir "$board" --manifest "$out/manifest.json" --operator-key "$out/operator.key" >/dev/null
for step in init deal receive; do
    for i in 1 2 3 4 5; do
        if [ "$step" = init ]; then
            dauys trustee init --dir "$board" --index "$i" --key "$out/t$i.key" >/dev/null
        else
            dauys trustee "$step" --dir "$board" --key "$out/t$i.key" >/dev/null
        fi
    done
done

# The roll: one citizen in the first precinct of each district, and a second in district 1.
python3 - "$example" "$out/precincts.txt" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
precincts = [s["precincts"][0] for s in m["ballot_styles"]] + [m["ballot_styles"][0]["precincts"][1]]
open(sys.argv[2], "w").write("\n".join(precincts) + "\n")
EOF
dauys registrar synthetic-roll --voters 30 --out "$out/synthetic.csv" >/dev/null
paste -d, <(tail -n +2 "$out/synthetic.csv" | cut -d, -f1) "$out/precincts.txt" | sed '1i iin,precinct' >"$out/roll.csv"
dauys registrar roll --dir "$board" --roll "$out/roll.csv" --ca-public "$ca_public" --key "$out/registrar.key"
n=0
while IFS=, read -r iin precinct; do
    [ "$iin" = iin ] && continue
    n=$((n + 1))
    dauys ca issue --ca "$out/ca.json" --iin "$iin" --out "$out/citizen-$n.json" >/dev/null
    dauys voter keygen --election-id "$election_id" --out "$out/credential-$n.json" >/dev/null
    dauys register --dir "$board" --registrar-key "$out/registrar.key" --citizen "$out/citizen-$n.json" \
        --credential "$out/credential-$n.json" --iin "$iin" --precinct "$precinct" >/dev/null
    echo "$n,${precinct%%-*}" >>"$out/voters.csv"
done <"$out/roll.csv"
dauys registrar close --dir "$board"
for i in 1 2 3; do dauys trustee shuffle --dir "$board" --key "$out/t$i.key"; done
for i in 1 2 3 4 5; do dauys trustee ready --dir "$board" --key "$out/t$i.key" >/dev/null; done
dauys board open --dir "$board"

# Each voter votes its own district's contest: party-b on the list, candidate-a in its district.
while IFS=, read -r n district; do
    number=${district#D}
    echo cast | dauys vote --dir "$board" --credential "$out/credential-$n.json" \
        --choice party-list=party-b --choice "district-$number=candidate-a" >/dev/null
done <"$out/voters.csv"
dauys board close --dir "$board" >/dev/null
dauys tally --dir "$board" >/dev/null
for i in 1 3 5; do dauys trustee decrypt --dir "$board" --key "$out/t$i.key" >/dev/null; done
dauys result --dir "$board" --json "$out/result.json" >"$out/result.txt"
dauys export --dir "$board" >/dev/null
"$bin/dauys-verify" "$board/record" >"$out/verify.txt" || { cat "$out/verify.txt"; exit 1; }

python3 - "$out/result.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
contests = r["contests"]
seats = sum(o.get("seats", 0) for o in contests["party-list"]["options"].values())
districts = [c for id, c in contests.items() if id.startswith("district-")]
winners = [w for c in districts if c["outcome"]["decision"] == "winners" for w in c["outcome"]["winners"]]
assert seats == 69, f"{seats} list seats"
assert len(districts) == 29 and len(winners) == 29, f"{len(winners)} winners in {len(districts)} districts"
assert "against-all" not in winners, winners
print(f"69 list seats, 29 district winners; {r['ballots']} ballots counted in {len(r['turnout'])} ballot styles")
EOF
grep -m1 -E "VALID|NOT VALID" "$out/verify.txt"
echo "record: $board/record"
