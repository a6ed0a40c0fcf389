#!/usr/bin/env bash
# The long fuzz runs, the standing guard of the observer's verifier and of the other readers of
# untrusted input (tests/fuzz_record.rs, tests/fuzz_parsers.rs): CASES mutated records from
# SEED, checked for panics, hangs, verdicts the reference does not share and memory over the
# bound of specs/verifier.md §2; then CASES/10 cases of each parser. Findings are printed with
# their seed and case, and the run fails. Usage: benches/fuzz.sh [CASES] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-1000000}
SEED=${2:-1}
start=$(date +%s)
DAUYS_FUZZ_CASES=$CASES DAUYS_FUZZ_SEED=$SEED \
  cargo test --release --test fuzz_record -- --ignored --nocapture the_verifier_survives_a_million
DAUYS_FUZZ_CASES=$((CASES / 10)) cargo test --release --test fuzz_parsers -- --nocapture
echo "fuzz: $CASES records from seed $SEED, and the parsers, in $(( $(date +%s) - start )) s"
