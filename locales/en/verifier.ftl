# The observer's verifier (dauys-verify): verdicts, the summary, the checks.
# Terms: specs/glossary.md.

verdict-valid = VALID: the published result is what the cast ballots say
verdict-invalid = NOT VALID: see the failed checks below
verdict-incomplete = INCOMPLETE: everything up to event { $last } checks out; the record stops before the result (the checks not run say what is missing)
checks-passed = { $passed }/{ $total } checks passed
summary-cast = ballots cast
summary-counted = counted
summary-superseded = superseded by a re-vote
summary-challenged = opened for checking (not counted)
summary-decrypted = key trustees who decrypted
checks = Checks
check-passed = PASS
check-failed = FAIL
check-not-run = NOT RUN
# Above the results table when a check failed: the table is only what the record claims.
result-not-confirmed = PUBLISHED RESULT, NOT CONFIRMED: a check failed, so the table below is what the record claims, not what the verifier could confirm.
# Beside a published value that the record's ballots contradict.
result-record-gives = the record gives { $value }

check-1-1 = record complete, well formed, canonical
check-1-2 = manifest and board key
check-1-3 = key trustees' transport keys and proofs
check-1-4 = key ceremony: commitments, proofs, complaints
check-1-5 = joint key and verification keys
check-1-6 = credential list: sorted, distinct, counted
check-1-7 = key trustees proved they hold their key shares
check-1-8 = roll and registrations: on the roll, once each, certified, signed
check-1-9 = credential shuffles: proofs chain from the registrations to the final list
check-2-1 = events in a legal order
check-2-2 = Merkle root equals the final signed checkpoint
check-2-3 = checkpoint signatures
check-2-4 = every checkpoint is an initial part of the final log
check-3-1 = ballots for this election
check-3-2 = ballot credentials in the list
check-3-3 = ballot signatures
check-3-4 = option range proofs
check-3-5 = contest sum proofs (bounds from the manifest)
check-3-6 = no ballot twice
check-3-7 = re-vote rule applied
check-3-8 = each ballot has its credential's ballot style and exactly that style's contests
check-4-1 = ballots opened for checking match their ciphertexts
check-4-2 = ballots opened for checking were never cast
check-5-1 = encrypted tally is the sum of the counted ballots
check-5-2 = decryption share proofs
check-5-3 = at least t distinct key trustees decrypted
check-5-4 = every count decrypts from the tally
check-6-1 = every outcome follows from the counts
check-6-2 = result published and complete
check-7-1 = observer's checkpoint is an initial part of the log
check-7-2 = voter's receipt included, ballot counted or superseded
check-7-3 = witnesses co-signed checkpoints of this log

# A check's detail: how many items it checked, why it did not run, failures beyond those listed.
detail-checked = { $n } checked
detail-not-run = because { $reason }
detail-more = and { $n } more
# Seconds a check took (the number already formatted).
seconds = { $s } s
