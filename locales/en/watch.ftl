# Getting and following a record: dauys-verify fetch and dauys-verify watch.
# Terms: specs/glossary.md.

watch-witness-key = witness public key (publish it, so that others can check its co-signatures): { $key }
watch-resumed = resumed from { $file }: { $size ->
    [one] 1 event
   *[other] { $size } events
} already checked
watch-checkpoint = checkpoint of { $size ->
    [one] 1 event
   *[other] { $size } events
}: signed by the board and extends everything seen before; { $new ->
    [one] 1 new event has
   *[other] { $new } new events have
} its Merkle root
watch-cosigned = co-signed as a witness
watch-ballots = ballots checked: { $checked }, refused: { $refused }, counted (one per credential): { $counted }, replaced by a re-vote: { $superseded }, opened for checking (not counted): { $challenged }
watch-failed-check = FAILED { $id } { $name }: { $detail }
watch-all-pass = everything up to event { $last } checks out
fetch-done = fetched the board's signed snapshot of { $size ->
    [one] 1 event
   *[other] { $size } events
} into { $dir }
fetch-how-to-verify = to verify it: dauys-verify { $dir }

watch-error-board = { $url }: { $reason }
watch-error-file = { $file }: { $reason }
watch-error-unsigned = { $url }: the checkpoint is not signed by this board's key ({ $reason })
watch-error-empty-root = { $url }: the checkpoint of an empty log has a root other than the empty tree's
watch-error-shrank = the board's log shrank from { $from } to { $to } events
watch-error-fork = two different logs of { $size } events: the board shows another history
watch-error-not-extending = the log of { $size } events does not extend the one of { $last } seen before ({ $reason }): another history
watch-error-root = { $url }: the events the board serves do not have the Merkle root of the checkpoint of { $size } events it signed ({ $found } events received): it signs one log and serves another
watch-error-state = { $file }: not a state this watcher can use ({ $reason })
watch-error-other-election = { $file } is the state of another election: it was kept for setup fingerprint { $state_setup } and board key { $state_key }, this board has setup fingerprint { $board_setup } and board key { $board_key }. Give another --state file for this board.
watch-error-own-events = { $file }: the watcher's own events do not have the root of its saved checkpoint of { $size } events; the file was changed since (remove it and its state to start again)
watch-error-own-record = the watcher's own record cannot be read: { $reason }
fetch-error-not-empty = { $file }: exists and is not empty; give a new directory
fetch-error-unknown-file = { $url }: the board lists a file { $file } that is not one of the record's files
fetch-error-missing-file = { $url }: the board does not list the record file { $file }
fetch-error-checkpoints = { $url }: the last checkpoint is not the board's signed checkpoint of the snapshot ({ $reason }): the files are not of one snapshot
fetch-error-header = { $url }: the header is not the board's signed checkpoint of the snapshot ({ $reason })
fetch-error-too-large = { $url }: larger than a record file may be (at most { $line } bytes a line, { $lines } lines)
