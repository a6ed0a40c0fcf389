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
ballot-marks-exactly = mark { $n }
ballot-marks-up-to = mark up to { $n }, or none (`--choice { $contest }=`)
ballot-marks-between = mark { $min } to { $max }
