# What the verifier's checks found: failures (fail-), why a check did not run (skip-), notes
# on a passing check (note-), why a voter's receipt's ballot was refused (refused-).
# One message per finding; its id is the JSON report's "code" (specs/verifier.md §4).
# Arguments: numbers and the record's own labels and ids; { $reason } is a lower layer's
# explanation, in English. Terms: specs/glossary.md.

## 1.1, 1.2, 2.1–2.4: the files, the setup, the order, the checkpoints
fail-line = events.jsonl line { $line }: { $reason }
fail-file-line-not-canonical = { $file } line { $line }: not in canonical form
fail-file-not-canonical = { $file }: not in canonical form
skip-no-well-formed-setup = no well-formed setup event (1.1 failed)
fail-no-setup = the record has no setup event
fail-manifest = event { $event }: the manifest is invalid: { $reason }
fail-board-key-identity = event { $event }: the board key is the identity element
fail-second-setup = event { $event }: a second setup
fail-order = event { $event }: a { $kind } event is not allowed { $phase }
phase-empty = before setup
phase-ceremony = during the key ceremony
phase-registration = while registration is open
phase-shuffling = after registration closed and before voting opens
phase-voting = while voting is open
phase-challenges = once the challenged ballots are being published, before close
phase-closed = after voting closed and before the tally
phase-decrypting = after the tally
phase-done = after the result
fail-checkpoint-order = checkpoints of size { $size } then { $next }: sizes must increase
fail-last-checkpoint = the last checkpoint (size { $size }) is not the header's
fail-no-checkpoints = no checkpoints, yet the log has events
fail-empty-root = the checkpoint of size 0 does not have the empty log's root (SHA-256 of no bytes)
fail-log-changed = the log is not what the board signed: its first { $matching } events match a signed checkpoint, but the checkpoint of size { $size } does not match the log's first { $size } events, so an event among events { $from }–{ $to } (counted from 0) was changed, removed or added{ $later ->
    [0] {""}
   *[other] ; { $later } later checkpoint(s) do not match either
}
fail-checkpoint-beyond-log = a checkpoint of size { $size } is beyond the log's { $events } events
fail-record-size = the record has { $events } events, its header says { $header } and its checkpoint { $checkpoint }
fail-final-root = the Merkle root of the events differs from the final signed checkpoint's
skip-no-board-key = no setup event, so no board key
fail-checkpoint-signature = the checkpoint of size { $size } is not signed by the board key

## What checks that could not run say
skip-no-setup = no setup event
skip-manifest-invalid = the manifest is invalid (1.2 failed)
skip-no-params = no election parameters (1.5 failed)
skip-not-opened = voting has not opened ({ $events ->
    [0] the record has no events
   *[other] the record stops at event { $last }
})
skip-no-open = no open event

## 1.3–1.7: the key ceremony
fail-not-a-trustee = event { $event }: { $trustee } is not a key trustee's number (1 to { $trustees })
fail-second-transport-key = event { $event }: key trustee { $trustee }'s second transport key
fail-dealing-early = event { $event }: dealer { $dealer }'s dealing before every key trustee's transport key
fail-second-dealing = event { $event }: dealer { $dealer }'s second dealing
fail-complaint-early = event { $event }: a complaint before dealer { $dealer }'s dealing
fail-complaint-not-trustees = event { $event }: complaint by key trustee { $trustee } about dealer { $dealer }: not key trustees (1 to { $trustees })
fail-complaint-twice = event { $event }: complaint by key trustee { $trustee } about dealer { $dealer }: posted twice
fail-transport-key-seats = transport keys of key trustees { $found }, expected { $expected }
fail-transport-key-identity = key trustee { $trustee }'s transport key is the identity
fail-transport-key-shared = key trustees { $first } and { $trustee } published the same transport key: one party in two seats
fail-transport-key-proof = key trustee { $trustee }'s transport key: its proof of knowledge does not verify
fail-transport-key-signature = key trustee { $trustee }'s transport key: its signature by the identity key of its seat does not verify
fail-transport-key = key trustee { $trustee }'s transport key is refused: { $reason }
fail-seat-without-identity = key trustee { $trustee }'s seat has no identity key in the manifest
fail-dealing = dealer { $dealer }'s dealing is refused: { $reason }
fail-complaint-proof = complaint by key trustee { $trustee } about dealer { $dealer }: its proof does not verify
fail-complaint-signature = complaint by key trustee { $trustee } about dealer { $dealer }: it is not signed by the recipient's transport key
fail-complaint-no-evidence = complaint by key trustee { $trustee } about dealer { $dealer }: it has no evidence
fail-complaint-unknown = complaint by key trustee { $trustee } about dealer { $dealer }: no such key trustee or dealing
fail-complaint-posted-twice = complaint by key trustee { $trustee } about dealer { $dealer }: posted twice
fail-ceremony = the key ceremony has no outcome: { $reason }
skip-no-ceremony-outcome = no ceremony outcome (1.4 failed)
fail-ready-without-setup = event { $event }: a ready event without a setup
fail-ready-not-a-trustee = event { $event }: key trustee { $trustee }'s ready event: not a key trustee's number
fail-ready-no-outcome = event { $event }: key trustee { $trustee }'s ready event: the ceremony had no outcome yet ({ $reason })
fail-ready-other-key = event { $event }: key trustee { $trustee }'s ready event: it is bound to another joint key than the ceremony's at that point
fail-ready-proof = event { $event }: key trustee { $trustee }'s ready event: its proof of knowledge of the key share does not verify
fail-ready-signature = event { $event }: key trustee { $trustee }'s ready event: { $reason }
fail-ready-twice = event { $event }: key trustee { $trustee }'s ready event: a second ready event for the same keys
fail-not-ready = key { $missing ->
    [one] trustee { $trustees } has
   *[other] trustees { $trustees } have
} no ready event for the final joint key, and voting opened without the quorum option
fail-ready-below-threshold = only { $found } key trustee(s) ready for the final joint key at open, the threshold is { $expected }
note-all-ready = all { $trustees } key trustees ready for the final joint key
note-quorum-ready = opened with a quorum: { $ready } of { $trustees } key trustees ready for the final joint key, missing { $missing }
fail-joint-key = the joint key is not the sum of the qualified dealers' constant terms
fail-verification-keys = the verification keys are not those the commitments imply
fail-joint-key-identity = the joint key is the identity element
fail-open-lists = the open event's credential lists are refused: { $reason }
fail-params = the election's parameters are refused: { $reason }

## 1.6, 1.8, 1.9: the roll, the registrations, the shuffles, the credential list
fail-second-roll = event { $event }: a second roll
fail-roll = event { $event }: the roll is refused: { $reason }
fail-registration-without-roll = event { $event }: a registration without a roll
fail-registration = event { $event }: the registration is refused: { $reason }
fail-registration-close = event { $event }: registration_close is refused: { $reason }
fail-shuffle = event { $event }: key trustee { $trustee }'s shuffle is refused: { $reason }
fail-list-unregistered-with-ca = the manifest names a citizen CA, but voting opened on the open event's own list, unregistered
fail-list = the credential list is refused: { $reason }
fail-style-list = ballot style "{ $list }": its credential list is refused: { $reason }
fail-list-empty = the list is empty
note-list-unregistered = no roll: the list was published in the open event, unregistered
fail-list-in-open-after-registration = the open event carries a credential list, but after registration the list is the last shuffle's
fail-no-list = no credential list: no roll, and none in the open event
fail-final-list-size = ballot style "{ $list }": { $found } credentials in the final list for { $expected } registrations
fail-shuffles-at-open = at open: { $reason } (at least { $minimum } different key trustees must shuffle)
fail-no-final-list = no final list: the shuffles are missing or too few
note-no-roll = no roll: the credential list was published in the open event, unregistered (1.6)
note-registered = { $registered } registered, on a roll of { $roll }; certificates under CA key { $ca }
note-registered-styles = { $registered } registered, on a roll of { $roll }; certificates under CA key { $ca }; fewest registered in a ballot style: { $fewest } ({ $style })

## 3.1–3.8, 4.1–4.2: the ballots
fail-ballot-election = ballot at event { $event }: for another election
fail-ballot-credential = ballot at event { $event }: credential { $credential } is not in the list
fail-ballot-style = ballot at event { $event }: { $why }
style-fault = its ballot style does not fit the manifest: { $reason }
style-other-list = it votes style "{ $style }" with a credential of style "{ $list }"'s list
fail-ballot-shape = ballot at event { $event }: its shape does not fit the manifest: { $reason }
fail-ballot-signature = ballot at event { $event }: the signature does not verify
fail-ballot-range-proof = ballot at event { $event }: an option's range proof does not verify
fail-ballot-sum-proof = ballot at event { $event }: a contest's sum proof does not verify (bounds from the manifest)
fail-cast-was-challenged = ballot at event { $event }: a challenged ballot has the same ciphertexts
fail-revote-refused = ballot at event { $event }: the credential voted at event { $first } and the election refuses re-votes
fail-cast-twice = ballot at event { $event }: the same ballot was cast before
fail-opening = challenged ballot at event { $event }: its opening does not match: { $reason }
fail-challenged-twice = challenged ballot at event { $event }: this challenged ballot was posted before
fail-challenged-order = challenged ballot at event { $event }: not in ascending order of ciphertext digests after the one before it
fail-challenged-was-cast = challenged ballot at event { $event }: a cast ballot has the same ciphertexts

## 5.1–5.3: the tally and the decryptions
fail-decryption = event { $event }: key trustee { $trustee }'s decryption is refused: { $reason }
fail-decrypted-twice = event { $event }: key trustee { $trustee } decrypted twice
fail-lot-seed-mismatch = event { $event }: key trustee { $trustee }'s decryption: its revealed lot seed does not match the commitment in its ready event
fail-lot-seed-withheld = event { $event }: key trustee { $trustee }'s decryption: it committed to a lot seed when ready and does not reveal it
fail-lot-seed-unready = event { $event }: key trustee { $trustee }'s decryption: it reveals a lot seed without a ready event that counted
skip-not-closed = voting has not closed (the record stops at event { $last })
skip-no-tally-yet = no tally yet (the record stops at event { $last })
skip-no-tally = no tally
fail-tally-ballots = the tally says { $found } ballots, { $expected } count
fail-tally-turnout-shape = the tally's turnout is malformed: { $reason }
fail-tally-style-turnout = ballot style "{ $style }": the tally's turnout is { $found }, { $expected } counted ballots have the style
fail-tally-turnout = the tally's turnout ({ $found }) is not the one the counted ballots give ({ $expected })
fail-tally-option = contest { $contest }, option { $option }: its encrypted total is not the sum of the counted ballots
fail-tally-options = contest { $contest }: the encrypted totals of { $options } options are not the sum of the counted ballots (the first: { $option })
fail-tally-shape = the tally's shape does not match the manifest
fail-second-tally = event { $event }: a second tally
skip-no-decryption-yet = no decryption yet (the record stops at event { $last })
skip-no-decryption = no decryption event

## 5.3–6.2: the quorum, the counts, the outcomes, the result
skip-no-result-yet = no result yet (the record stops at event { $last })
skip-no-result = no result
fail-quorum = { $found } key trustee(s) with valid decryptions, the threshold is { $expected }
skip-quorum = { $quorum }; { $why }
fail-result-ballots = the result says { $found } ballots, the tally { $expected }
fail-result-shape = the result does not list every contest and option of the manifest
fail-second-result = event { $event }: a second result
skip-result-shape = the result does not list every contest and option of the manifest (6.2 failed)
fail-count = contest { $contest }, option { $option }: published { $found } votes, the tally decrypts to { $expected }
fail-count-beyond = contest { $contest }, option { $option }: published { $found } votes, but the tally decrypts to no count from 0 to { $counted } (the ballots counted)
fail-combine = the decryption shares do not combine: { $reason }
skip-no-quorum = fewer than t valid decryptions (5.3 failed)
fail-never-closed = voting never closed: the lots have no seed
fail-lot-reveals = only { $found } decryption(s) reveal a committed lot seed (key trustees { $trustees }); a result needs { $expected }, so that one is from a key trustee outside any coalition of { $coalition }
fail-outcome = contest { $contest }: published "{ $found }", but its counts give "{ $expected }"
fail-no-outcome = contest { $contest }: its counts give no outcome: { $reason }

## 7.1–7.3: the observer's checkpoint, the receipt, the witnesses
fail-observer-checkpoint = the observer's checkpoint is not signed by this board
fail-witness-absent = witness { $witness } co-signed no checkpoint of this record
fail-cosignature = witness { $witness }'s co-signature of size { $size } does not verify
fail-receipt-signature = the receipt does not verify: { $reason }
fail-receipt-entry = the log has no entry { $entry } with the receipt's leaf hash
fail-receipt-beyond = the receipt's checkpoint is beyond the final log
skip-receipt = whether entry { $entry }'s ballot counts: { $why }
fail-receipt-refused = entry { $entry }: the ballot was refused and is not counted: { $why }
note-receipt-counted = entry { $entry }: the ballot is counted
note-receipt-superseded = entry { $entry }: the ballot was superseded by a later ballot of the same credential
fail-receipt-not-a-ballot = entry { $entry }: the receipt's entry is not a well-formed cast ballot
fail-not-proven-prefix = the record's first { $size } events are not the ones the watcher verified (--state): their signatures and proofs were not all verified
refused-before-open = it was cast before voting opened (2.1)
refused-election = it is for another election (3.1)
refused-credential = its credential is not in the list (3.2)
refused-style = { $why } (3.8)
refused-shape = its shape does not fit the manifest: { $reason } (3.4)
refused-proof = its signature or a proof does not verify (3.3–3.5)
refused-revote = the election refuses re-votes and this credential voted at event { $first } (3.7)
