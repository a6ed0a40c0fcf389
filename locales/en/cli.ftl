# The `dauys` command line: what it prints, and the errors it words itself (errors of the
# layers below keep their own text). Command names, flags, file paths and hex stay as they are.

## Every command

cli-failed = dauys: { $error }
cli-bad-env-lang = DAUYS_LANG={ $value }: the language is kk, ru or en
cli-board-or-register = --board or --register
cli-not-open = voting has not opened
cli-no-setup = no setup on the board
remote-bad-lists = the board's `lists` is not a list
remote-bad-fingerprint = the board's election does not hash to the fingerprint it claims

## The voter: credential, vote, cast, challenge

vote-give-board = give the board: --dir DIR or --board URL
vote-give-credential = give --credential
vote-give-choice = give at least one --choice contest=option
vote-bad-choice = { $choice }: a choice is contest=option
vote-challenge-refused = the board refused the challenged ballot: { $reason }
vote-receipt-not-ours = the board's receipt is not for this ballot
vote-cast = ballot cast, tracking code { $code }
vote-cast-entry = entry { $index } of the board, checkpoint of size { $size }
vote-challenged = ballot { $code } challenged: it will never count; the board publishes it, without your
    {"   "}credential, with every challenged ballot when voting closes
vote-style-note = ballot style { $style }: a challenged ballot is published with its choices in clear and this style (your district), never with your credential
vote-encrypted = ballot encrypted, tracking code { $code }
vote-ask = cast this ballot, or challenge it to check this device? [cast/challenge]
vote-no-decision = no decision (end of input): nothing was cast
vote-type-cast-or-challenge = { $answer }: type cast or challenge
vote-opening-follows = opening (check it on another device: dauys challenge check … --code { $code } OPENING.json):
vote-new-ballot = a new ballot is encrypted with fresh randomness:
vote-not-prepared = { $path }: not a prepared ballot: { $error }
vote-prepared-elsewhere = { $path }: prepared for another election
vote-prepared-saved = saved to { $path } (secret: it holds the ballot's nonces)
vote-prepared-next = now `dauys vote cast { $path }` or `dauys vote challenge { $path } --opening FILE`
vote-opening-written = opening written to { $path }: check it on another device with
    {"   "}dauys challenge check --board URL { $path } --code { $code }
credential-neither = the credential is neither a file nor its digits
credential-bad-digits = { $text } is not a credential file, nor a credential: { $error }
credential-bad-file = { $path }: not a credential file (from `dauys voter keygen`): { $error }
credential-other-election = { $path }: a credential for election { $theirs }; this board's election is { $ours }
credential-mismatch = { $path }: its public credential is not its secret's
credential-not-registered = your credential (x·h_final = { $key }) is not in the election's final credential lists: it was not registered (`dauys register`) before registration closed, or is for another election; nothing was cast
keygen-no-election = --election-id: give the election's id (its manifest's election_id)
keygen-exists = { $path } exists: a credential file is never overwritten
keygen-written = credential file { $path } (secret: keep it on this machine; the registrar never sees it)
keygen-public = public credential X { $key }

## A challenged ballot checked on a second device

record-open-before-setup = the record opens voting before its setup
record-not-open = { $path }: voting has not opened in this record
check-not-opening = { $path }: not a challenged ballot's opening: { $error }
check-give-source = give --board, --dir or --record
check-other-ballot = this opening is not for the ballot you were shown: its ciphertexts give the code { $recomputed }, not { $code }
check-cheating-opening = the opening does NOT re-encrypt to the challenged ballot ({ $error }): do not vote on that device
check-code-matches = tracking code { $code }: matches the ballot style and the ciphertexts
check-style = ballot style { $style }
check-opening-ok = the opening re-encrypts to every ciphertext under the election's key; the ballot held:
check-nothing = (nothing)
check-if-not-yours = if these are not the choices you made, the voting device is cheating: vote from another one
check-published = published in the record as a challenged ballot (event { $index })
check-not-published = not (yet) among the record's challenged ballots: they are published when voting closes

## A receipt checked later

receipt-newest-checkpoint = the newest checkpoint: { $error }
receipt-not-included = the entry is not in the newest log: { $error }
receipt-not-extension = the board's log is not an extension of the receipt's: { $error }
receipt-ok = receipt OK: entry { $index } is in the board's log of { $size } events, which extends the log of { $old } it was issued in

## A citizen registers its credential

register-style-unexpected = the desk gave ballot style { $style }; this election has one style
register-style-missing = the desk gave no ballot style; this election has several
register-give-precinct = this election has several ballot styles: give --precinct (your voter card's), so that the district you register in is checked before you sign; nothing was signed
register-unknown-precinct = --precinct { $precinct }: no ballot style lists it; nothing was signed
register-wrong-style = the desk gave ballot style { $given }, but precinct { $precinct } votes in style { $own }: the registrar would put you in another district; nothing was signed (report it to the election commission)
register-style = ballot style { $style } (precinct { $precinct }): your ballot will carry { $contests }
register-not-pseudonym = the desk's answer is not a pseudonym: { $error }
register-no-receipt = the desk's answer has no receipt: { $error }
register-give-board = give --dir DIR or --board URL
register-give-key = with --dir, give --registrar-key FILE
register-refused = the board refused the registration: { $reason }
register-bad-receipt = the registration's receipt: { $error }
register-receipt-not-ours = the board's receipt is not for this registration: it is not on the board as signed
register-done = registered: pseudonym { $pseudonym } with credential { $credential }
register-entry = on the board as entry { $index } under its signed checkpoint of size { $size }: your registration (P and X) is there
register-after-shuffle = after the trustees shuffle, your credential appears only as x·h_final; `dauys vote` finds it

## The ballot's contests and options (`dauys ballot`)

ballot-give-source = give --board or --manifest
ballot-kind = { $kind ->
    [referendum] referendum
    [majority] majority
    [plurality] plurality
    [approval] approval
   *[party_list] party_list
}
ballot-marks-exactly = mark { $n }
ballot-marks-up-to = mark up to { $n }, or none (`--choice { $contest }=`)
ballot-marks-between = mark { $min } to { $max }

## Reaching a running board

remote-give-board = give --dir or --board
remote-give-url = give --board
remote-give-operator-key = with --board, give the operator's key file: --operator-key FILE
remote-operator-key = operator key
remote-bad-record = the board's record: { $error }
remote-record-not-signed = its events are not the log its checkpoint signs
remote-record-elsewhere = the board's record is of another board or election

## A key trustee

trustee-no-key-file = { $path } does not exist: make it with `dauys trustee keygen --index { $index } --key { $path }` before the board is created, and give its identity key to the operator for the manifest
trustee-other-seat = { $path } is trustee { $theirs }'s key file, not { $index }'s
trustee-not-in-manifest = the manifest names another identity key than { $path }'s for trustee { $index }: this key file does not hold the seat; refusing to post
trustee-seat-taken = the transport key in trustee { $index }'s seat is not this key file's: someone else holds the seat; refusing to take part (report it to the election's observers)
trustee-shuffle-too-early = trustee { $index } refuses to shuffle: registration has not closed (the registrar runs `dauys registrar close`)
trustee-shuffle-too-late = trustee { $index } refuses to shuffle: voting has opened, the shuffles are over
trustee-shuffled-already = trustee { $index } has shuffled already: each trustee shuffles each list once
trustee-shuffle-other-key = trustee { $index } refuses to shuffle: the transport key in its seat is not this key file's
trustee-shuffled = trustee { $index }: { $count } credentials shuffled{ $lists ->
        [1] {""}
       *[other] {" "}in { $lists } lists (one per ballot style)
    }, proof posted (shuffle { $done } of the log); the exponent is not kept
trustee-index-from-1 = --index { $index }: trustees are numbered from 1
trustee-index-out-of-range = --index { $index }: this election has trustees 1 to { $n }
trustee-key-written = trustee { $index }: key file { $path } (keep it private)
trustee-identity-key = identity key { $key }
trustee-transport-posted = trustee { $index }: transport key posted, signed by the identity key of key file { $path }
trustee-transport-already = trustee { $index }: transport key already on the board; key file { $path }
trustee-give-code = trustee { $index } enrolls with the code the operator gave it: --code XXXX-… (key file { $path } kept)
trustee-post-again = { $error } (key file { $path } kept; run this again)
trustee-wait-transport = { $posted } of { $n } trustees have posted transport keys; wait for all
trustee-dealt = trustee { $index }: dealing posted
trustee-wait-dealings = { $posted } of { $n } dealings posted; wait for all
trustee-received = trustee { $index }: shares received and checked, { $count } complaint(s) posted
trustee-ready = trustee { $index }: ready — holds its key share for joint key { $key }; lot seed committed
trustee-no-tally = no tally on the board to decrypt (the board is { $phase }: the operator runs `dauys tally` after voting closes)
trustee-refuses-decrypt = trustee { $index } refuses to decrypt: { $error }
trustee-other-tally = the board's tally is not the one in the record checked
trustee-decrypted = trustee { $index }: the record checks out up to the tally; decryption of the tally posted, with proofs

## The board's operator and the tallier

board-quorum-warning = warning: opening with a quorum: trustee(s) { $missing } have not proved they hold their key shares; only the ready trustees are counted on to decrypt
board-identities-hint = { $error }: each trustee makes its key file with `dauys trustee keygen` and gives the operator the identity key it prints, which goes in the manifest's trustees.identities, in seat order
board-operator-key-exists = { $path } exists: choose another path for the operator's key
board-created = board created in { $path }
board-key = board key
board-setup-fingerprint = setup fingerprint
board-operator-key-file = operator key file
board-keep-private = { $path } (keep it private)
board-enrollment-codes = enrollment codes (secret; give each trustee its own, for `dauys trustee init --code`):
board-enrollment-code = trustee { $index } enrollment code { $code }
board-voting-open = voting open: { $credentials } credentials, qualified dealers { $dealers }
board-joint-key = joint key
board-election-fingerprint = election fingerprint
board-closed = voting closed after { $cast } ballots ({ $counted } count)
board-closed-already = voting was already closed: { $cast } ballots ({ $counted } count)
board-serving = board of { $path } serving on { $url }
board-status-phase = phase
board-status-events = events
board-status-trustees = trustees
board-status-ballots = ballots
board-status-decryptions = decryptions
board-status-checkpoint = checkpoint
board-status-next = next
board-status-ceremony = { $keys } transport keys, { $dealings } dealings, { $complaints } complaints
board-status-ceremony-ready = { $keys } transport keys, { $dealings } dealings, { $complaints } complaints, { $ready } ready events
board-status-ballot-counts = { $cast } cast, { $counted } counted, { $spoiled } opened for checking
board-status-ballot-counts-held = { $cast } cast, { $counted } counted, { $spoiled } opened for checking ({ $held } challenged held until close)
board-status-checkpoint-at = size { $size } root { $root }
board-check-replayed = replayed { $events } events in { $took }: phase { $phase }, { $cast } cast, { $counted } counted, { $spoiled } opened for checking
board-check-compared = compared { $nodes } tree nodes, { $checkpoints } checkpoints, key tables: { $tables }
board-check-differs = differs: { $difference }
board-check-inconsistent = the stored state differs from the log in { $count } way(s)
board-check-consistent = the stored state matches the log
board-tally-posted = encrypted tally of { $ballots } ballots posted; trustees can now decrypt
board-tally-still-voting = voting is still open: close it first (`dauys board close`)
board-tally-already = the tally is posted already
board-tally-not-open = voting has not opened yet: { $next }
board-checkpoint-no-size = the board's /checkpoint has no size
board-no-tally-found = the board's last events hold no tally
board-log-empty = the board's log is empty
board-bad-last-event = the board's last event: { $error }
board-last-not-result = the board says the election is done, but its last event is not the result
board-export-give-out = with --board, say where to write the record: --out DIR
board-exported = record of { $events } events written to { $path }

## The registrar

registrar-precinct-voters = { $precinct } ({ $n } voters)
registrar-unknown-precincts = the roll has precincts that no ballot style of the manifest lists: { $precincts }
registrar-bad-roll = the roll: { $error }
registrar-key-exists = { $path } exists: the registrar's key is never overwritten (a roll was posted with it?)
registrar-roll-once = the roll comes once, before registration: { $next }
registrar-roll-not-posted = the roll was not posted: { $error }
registrar-roll-posted = roll posted: { $count } pseudonyms, CA key { $key }
registrar-key-written = registrar key file { $path } (k_P: keep it private; give it to accredited observers only)
registrar-closed = registration closed after { $count } registrations; trustees shuffle next
registrar-not-open = registration is not open: { $next }
registrar-synthetic-roll = { $count } voters written to { $path }
registrar-on-roll = { $iin } is on the roll, precinct { $precinct }
registrar-not-on-roll = { $iin } is not on the roll

## The synthetic CA (a stand-in for the national CA)

ca-key-exists = { $path } exists: choose another path for the CA's key
ca-written = synthetic CA (a stand-in for the national CA, not eGov EDS): key file { $path }
ca-public-key = CA public key { $key }
ca-citizen-exists = { $path } exists: a citizen's key file is never overwritten
ca-citizen-written = synthetic CA: citizen key file { $path } (the citizen's alone; keep it private)
ca-citizen-key = citizen key { $key }

## The load test

loadtest-no-voters = --voters: at least one voter
loadtest-credentials-exist = { $path } exists: a load test's credentials are written once
loadtest-wrong-ca = the board's manifest must name the load-test CA as its citizen_ca ({ $key })
loadtest-registered = { $voters } synthetic voters registered in { $seconds } s
loadtest-shuffled = shuffle by trustee { $trustee } of { $credentials } credentials: proved in { $prove } s, checked and stored in { $check } s
loadtest-open = voting open; credentials in { $path }
loadtest-not-credentials = { $path }: not a load test's credential file (made by `dauys loadtest --register`)
loadtest-loopback-only = { $url }: the load generator only targets this machine (127.0.0.0/8, localhost, [::1])
loadtest-too-few-credentials = { $path } has { $credentials } credentials for { $ballots } ballots
loadtest-encrypting = encrypting and proving { $ballots } ballots…
loadtest-credential-unregistered = a load-test credential is in no final list: was it registered on this board?
loadtest-accepted = { $accepted } of { $ballots } ballots accepted in { $seconds } s: { $rate } ballots/s, concurrency { $concurrency }
loadtest-latency = latency p50 { $p50 } ms, p99 { $p99 } ms, max { $max } ms
loadtest-board-time = board: { $batches } batches; proof checking { $verify } s, storage { $store } s ({ $share } % checking)
loadtest-readers = readers: { $readers } on every GET endpoint, { $requests } requests ({ $rate }/s), { $failed } failed; latency p50 { $p50 } ms, p99 { $p99 } ms
loadtest-refused = { $count } ballots were refused

## `dauys simulate` and `dauys demo`: progress and summary

run-done = Done in { $seconds } s.
simulate-title = dauys simulate: { $n } ballots of { $election } in { $dir }
simulate-seed = seed { $seed }: every key and secret of this run follows from it (research only)
simulate-ceremony = key ceremony done ({ $seconds } s)
simulate-registered = { $registered } citizens certified by a synthetic CA, registered and checked by the board in { $seconds } s ({ $rate }/s)
simulate-shuffled = shuffle by trustee { $trustee } of { $credentials } credentials{ $lists ->
        [1] {""}
       *[other] {" "}in { $lists } lists
    }: proved in { $prove } s, checked and stored by the board in { $check } s
simulate-open = voting open on the last shuffle's { $registered } credentials ({ $seconds } s)
simulate-cast = { $n } ballots encrypted, proven, verified and cast in { $seconds } s ({ $rate }/s)
simulate-behaviour = { $revoted } voters re-voted, { $challenged } challenged a ballot first; { $abstained } of { $registered } registered citizens abstained (turnout { $turnout } %)
simulate-equal = The decrypted counts equal the votes file. Record: { $record }
demo-title = dauys demo: { $title } — { $voters } voters, in { $dir }
demo-ceremony = 1. Key ceremony on the board: { $n } trustees, any { $t } can decrypt
demo-joint-key = joint key { $key }, { $dealers } qualified dealers
demo-rehearsal = rehearsal: { $ready } of { $n } trustees proved they hold their key shares (ready), lot seeds committed
demo-registration = 2. Registration: a synthetic national CA certifies { $voters } citizens; each makes its own credential
demo-styles = { $styles } ballot styles: the citizens are spread over their precincts, each registers in its precinct's style, and each style's credentials are shuffled as a list of their own
demo-registered = the registrar posted the roll's { $voters } pseudonyms (no IIN); { $registrations } signed registrations checked and posted in { $seconds } s; registration closed
demo-shuffled = shuffle by trustee { $trustee }: { $credentials } credentials{ $lists ->
        [1] {""}
       *[other] {" "}in { $lists } lists
    } re-based and permuted, proved in { $prove } s, checked by the board in { $check } s
demo-unlinkable = no one, the registrar included, can link a voter to a credential unless every shuffler colludes ({ $shufflers } shufflers)
demo-open = voting open on the last shuffle's { $credentials } credentials; election fingerprint { $fingerprint }
demo-voting = 3. Voting: { $revote } % re-vote, { $challenge } % challenge a ballot first
demo-bar = encrypt, prove, cast
demo-cast = { $cast } ballots cast ({ $counted } count, { $superseded } superseded by a re-vote), { $challenged } challenged (held by the board until close)
demo-and = { $first } and { $last }
demo-close = 4. Close, tally, and decryption by { $count ->
        [1] trustee
       *[other] trustees
    } { $trustees }
demo-challenged = the { $count } challenged ballot(s) were published in one batch just before close
demo-checked = the trustees verified the record up to the tally (dauys-verify, checks 1.1–5.1) before decrypting
demo-decrypted = decrypted and posted in { $seconds } s
demo-equal = The decrypted totals of every contest equal the plaintext choices of the simulated voters; no ballot was decrypted.
demo-record = Election record ({ $events } events): { $path }
