# `dauys` командалық жолы: ол не басып шығарады және өзі тұжырымдайтын қателер (төменгі
# деңгейлердің қателері өзгеріссіз қалады). Команда атаулары, жалаушалар, файл жолдары және hex аударылмайды.

## Барлық командалар

cli-failed = dauys: { $error }
cli-bad-env-lang = DAUYS_LANG={ $value }: тіл — kk, ru немесе en
cli-board-or-register = --board немесе --register көрсетіңіз
cli-not-open = дауыс беру әлі ашылған жоқ
cli-no-setup = тақтада сайлау баптауы жоқ
remote-bad-lists = тақтаның `lists` өрісі тізім емес
remote-bad-fingerprint = тақтадағы сайлаудың хеші тақта мәлімдеген саусақ ізімен сәйкес келмейді

## Сайлаушы: тіркелгі деректері, дауыс беру, тапсыру, тексеру үшін ашу

vote-give-board = тақтаны көрсетіңіз: --dir DIR немесе --board URL
vote-give-credential = --credential көрсетіңіз
vote-give-choice = кемінде бір --choice бөлім=нұсқа (contest=option) көрсетіңіз
vote-bad-choice = { $choice }: таңдау contest=option түрінде жазылады
vote-challenge-refused = тақта тексеру үшін ашылған бюллетеньді қабылдамады: { $reason }
vote-receipt-not-ours = тақтаның түбіртегі бұл бюллетеньге берілмеген
vote-cast = бюллетень тапсырылды, қадағалау коды { $code }
vote-cast-entry = тақтадағы { $index }-оқиға, { $size } оқиғадан тұратын журналдың бақылау нүктесі
vote-challenged = { $code } бюллетені тексеру үшін ашылды (есептелмейді): ол ешқашан есептелмейді; дауыс беру жабылғанда тақта оны
    {"   "}тіркелгі деректеріңізсіз, тексеру үшін ашылған барлық бюллетеньдермен бірге жариялайды
vote-style-note = { $style } бюллетень түрі: тексеру үшін ашылған бюллетень белгілері ашық күйде және осы бюллетень түрімен (сіздің округіңіз) жарияланады, бірақ тіркелгі деректеріңізбен ешқашан жарияланбайды
vote-encrypted = бюллетень шифрланды, қадағалау коды { $code }
vote-ask = бұл бюллетеньді тапсырасыз ба (cast), әлде осы құрылғыны тексеру үшін оны ашасыз ба (challenge)? [cast/challenge]
vote-no-decision = шешім жоқ (енгізу аяқталды): ештеңе тапсырылған жоқ
vote-type-cast-or-challenge = { $answer }: cast (тапсыру) немесе challenge (тексеру үшін ашу) деп жазыңыз
vote-opening-follows = бюллетеньді ашу деректері (оларды басқа құрылғыда тексеріңіз: dauys challenge check … --code { $code } OPENING.json):
vote-new-ballot = жаңа бюллетень жаңа кездейсоқ сандармен шифрланды:
vote-not-prepared = { $path }: бұл дайындалған бюллетень емес: { $error }
vote-prepared-elsewhere = { $path }: бюллетень басқа сайлауға дайындалған
vote-prepared-saved = { $path } файлына сақталды (құпия: онда бюллетеньді шифрлаудың кездейсоқ сандары бар)
vote-prepared-next = енді `dauys vote cast { $path }` немесе `dauys vote challenge { $path } --opening FILE`
vote-opening-written = ашу деректері { $path } файлына жазылды: оларды басқа құрылғыда мына командамен тексеріңіз
    {"   "}dauys challenge check --board URL { $path } --code { $code }
credential-neither = тіркелгі деректері файл да, олардың цифрлары да емес
credential-bad-digits = { $text } тіркелгі деректерінің файлы да, тіркелгі деректері де емес: { $error }
credential-bad-file = { $path }: тіркелгі деректерінің файлы емес (`dauys voter keygen` жасайтын): { $error }
credential-other-election = { $path }: { $theirs } сайлауына арналған тіркелгі деректері; бұл тақтаның сайлауы — { $ours }
credential-mismatch = { $path }: файлдағы ашық тіркелгі деректері құпия деректерге сәйкес келмейді
credential-not-registered = тіркелгі деректеріңіз (x·h_final = { $key }) сайлаудың тіркелгі деректерінің соңғы тізімдерінде жоқ: олар тіркеу жабылғанға дейін тіркелмеген (`dauys register`) немесе басқа сайлауға арналған; ештеңе тапсырылған жоқ
keygen-no-election = --election-id: сайлаудың идентификаторын көрсетіңіз (оның манифесіндегі election_id)
keygen-exists = { $path } бұрыннан бар: тіркелгі деректерінің файлы ешқашан қайта жазылмайды
keygen-written = тіркелгі деректерінің файлы { $path } (құпия: оны осы компьютерде сақтаңыз; тіркеуші оны ешқашан көрмейді)
keygen-public = ашық тіркелгі деректері X { $key }

## Тексеру үшін ашылған бюллетень екінші құрылғыда

record-open-before-setup = жазба сайлау баптауынан бұрын дауыс беруді ашады
record-not-open = { $path }: бұл жазбада дауыс беру ашылмаған
check-not-opening = { $path }: бұл тексеру үшін ашылған бюллетеньнің ашу деректері емес: { $error }
check-give-source = --board, --dir немесе --record көрсетіңіз
check-other-ballot = бұл ашу деректері сізге көрсетілген бюллетеньге тиесілі емес: оның шифрмәтіндері { $code } емес, { $recomputed } кодын береді
check-cheating-opening = ашу деректері қайта шифрлағанда тексеру үшін ашылған бюллетеньді БЕРМЕЙДІ ({ $error }): ол құрылғыдан дауыс бермеңіз
check-code-matches = қадағалау коды { $code }: бюллетень түріне және шифрмәтіндерге сәйкес келеді
check-style = { $style } бюллетень түрі
check-opening-ok = ашу деректері сайлау кілтімен қайта шифрлағанда әр шифрмәтінді береді; бюллетеньде белгіленгені:
check-nothing = (ештеңе)
check-if-not-yours = егер бұл сіздің таңдауыңыз болмаса, дауыс беру құрылғысы алдап жатыр: басқа құрылғыдан дауыс беріңіз
check-published = жазбада тексеру үшін ашылған бюллетень ретінде жарияланған ({ $index }-оқиға)
check-not-published = жазбадағы тексеру үшін ашылған бюллетеньдердің арасында (әзірге) жоқ: олар дауыс беру жабылғанда жарияланады

## Кейін тексерілген түбіртек

receipt-newest-checkpoint = ең соңғы бақылау нүктесі: { $error }
receipt-not-included = оқиға ең соңғы журналда жоқ: { $error }
receipt-not-extension = тақтаның журналы түбіртектегі журналдың жалғасы емес: { $error }
receipt-ok = түбіртек дұрыс: { $index }-оқиға тақтаның { $size } оқиғадан тұратын журналында бар, ол түбіртек берілген { $old } оқиғадан тұратын журналды жалғастырады

## Азамат өз тіркелгі деректерін тіркейді

register-style-unexpected = тіркеу пункті { $style } бюллетень түрін берді; бұл сайлауда бір ғана түр бар
register-style-missing = тіркеу пункті бюллетень түрін бермеді; бұл сайлауда бірнеше түр бар
register-give-precinct = бұл сайлауда бюллетеньнің бірнеше түрі бар: қол қоймас бұрын тіркелетін округіңіз тексерілуі үшін --precinct көрсетіңіз (сайлауға шақыруыңыздағы сайлау учаскесі); ештеңеге қол қойылған жоқ
register-unknown-precinct = --precinct { $precinct }: бұл учаске ешбір бюллетень түрінде жоқ; ештеңеге қол қойылған жоқ
register-wrong-style = тіркеу пункті { $given } бюллетень түрін берді, бірақ { $precinct } учаскесі { $own } түрі бойынша дауыс береді: тіркеуші сізді басқа округке жатқызар еді; ештеңеге қол қойылған жоқ (бұл туралы сайлау комиссиясына хабарлаңыз)
register-style = { $style } бюллетень түрі ({ $precinct } учаскесі): бюллетеніңізде { $contests } болады
register-not-pseudonym = тіркеу пунктінің жауабы псевдоним емес: { $error }
register-no-receipt = тіркеу пунктінің жауабында түбіртек жоқ: { $error }
register-give-board = --dir DIR немесе --board URL көрсетіңіз
register-give-key = --dir болса, --registrar-key FILE көрсетіңіз
register-refused = тақта тіркеуді қабылдамады: { $reason }
register-bad-receipt = тіркеудің түбіртегі: { $error }
register-receipt-not-ours = тақтаның түбіртегі бұл тіркеуге берілмеген: тақтада ол қол қойылған күйде жоқ
register-done = тіркелді: { $pseudonym } псевдонимі, { $credential } тіркелгі деректерімен
register-entry = тақтада { $index }-оқиға ретінде, { $size } оқиғадан тұратын журналдың қол қойылған бақылау нүктесінде: тіркеуіңіз (P және X) сонда
register-after-shuffle = кілт сақтаушылар араластырғаннан кейін тіркелгі деректеріңіз тек x·h_final ретінде көрінеді; `dauys vote` оларды табады

## Бюллетень бөлімдері мен нұсқалар (`dauys ballot`)

ballot-give-source = --board немесе --manifest көрсетіңіз
ballot-marks-exactly = { $n } нұсқаны белгілеңіз
ballot-marks-up-to = { $n } нұсқаға дейін белгілеңіз немесе ештеңе белгілемеңіз (`--choice { $contest }=`)
ballot-marks-between = { $min }-ден { $max }-ге дейін нұсқа белгілеңіз

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
board-status-ballot-counts = { $cast } cast, { $counted } counted, { $spoiled } spoiled
board-status-ballot-counts-held = { $cast } cast, { $counted } counted, { $spoiled } spoiled ({ $held } challenged held until close)
board-status-checkpoint-at = size { $size } root { $root }
board-check-replayed = replayed { $events } events in { $took }: phase { $phase }, { $cast } cast, { $counted } counted, { $spoiled } spoiled
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
