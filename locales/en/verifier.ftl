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
# Failures of one kind after the first: how many, and at which events (the first few).
detail-alike = and { $n } more like it
detail-alike-events = and { $n } more like it, at events { $events }
# Seconds a check took (the number already formatted).
seconds = { $s } s

# Under a failed check: what the failure means for the result, in plain words.
meaning = what it means
meaning-1-1 = lines that are not well-formed events are left out of every other check: what they hold is not verified, and a result that depends on them is not confirmed
meaning-1-2 = without a valid manifest none of the election's rules can be checked: the result is not confirmed
meaning-1-3 = a key trustee's seat may be held by someone else, or one party may hold two seats: the quorum that decrypts may not be the independent key trustees the manifest names
meaning-1-4 = the election key may not come from an honest ceremony: fewer key trustees than the threshold could know it and decrypt single ballots
meaning-1-5 = the election key is not the ceremony's: whoever made it may be able to decrypt single ballots
meaning-1-6 = the list of credentials allowed to vote is wrong: ballots may have been cast with credentials that no voter holds
meaning-1-7 = a key trustee may not hold its key share: the tally might not be decryptable, or voting opened without the agreed quorum
meaning-1-8 = people not on the roll, or people twice, may hold credentials: ballots may come from people not entitled to vote, or one voter may vote twice
meaning-1-9 = the final list of credentials may not be the registered voters' credentials, shuffled: credentials may have been added, dropped, or linked to voters
meaning-2-1 = events came in an order the rules forbid (a ballot after close, say): what they do to the result is not confirmed
meaning-2-2 = the events are not those the board signed in its last checkpoint: the record was changed after it was signed
meaning-2-3 = a checkpoint is not the board's: what observers compared against it was not signed by the board
meaning-2-4 = the board showed observers one history and published another: events were changed, removed or added after they were signed
meaning-3-1 = a ballot for another election is in the log: it is not counted
meaning-3-2 = a ballot with a credential that is not in the list is in the log: it is not counted
meaning-3-3 = a ballot not signed with its credential is in the log: someone without the credential may have cast it; it is not counted
meaning-3-4 = a ballot whose proofs fail may carry more than one vote for an option; it is not counted
meaning-3-5 = a ballot whose proofs fail may carry more marks than the contest allows; it is not counted
meaning-3-6 = the same ballot was posted twice (a replay): it counts at most once
meaning-3-7 = a re-vote was handled against the election's rule: a voter's wrong ballot may be the one counted
meaning-3-8 = a ballot carries another ballot style's contests: a voter may have voted in a district where they are not registered; it is not counted
meaning-4-1 = a ballot opened for checking does not match what it encrypted: the voting device may be deceiving voters
meaning-4-2 = a ballot opened for checking was also cast, and is counted: its choices are public, so the secrecy of that vote is lost
meaning-5-1 = the encrypted totals are not the sum of the counted ballots: the published counts may not be the voters'
meaning-5-2 = a key trustee's decryption is not proved: the counts it helped decrypt are not confirmed
meaning-5-3 = fewer key trustees than the threshold decrypted validly: the counts cannot be confirmed
meaning-5-4 = a published count is not what the encrypted totals decrypt to: the published result is wrong (the table shows what the record gives)
meaning-6-1 = a published outcome (elected, adopted, seats) does not follow from the counts by the manifest's rules
meaning-6-2 = the result is incomplete, repeated, or does not match the tally: nothing in it is confirmed
meaning-7-1 = the log does not extend the checkpoint you were shown earlier: the board showed you another history
meaning-7-2 = your ballot is not in the log, or is not counted as your receipt would have it
meaning-7-3 = a witness did not co-sign this log: the board may have shown it another history
