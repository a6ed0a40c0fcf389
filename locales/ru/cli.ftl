# Командная строка `dauys`: что она печатает, и ошибки, которые она формулирует сама (ошибки
# нижних уровней остаются как есть). Имена команд, флаги, пути к файлам и hex не переводятся.

## Все команды

cli-failed = dauys: { $error }
cli-bad-env-lang = DAUYS_LANG={ $value }: язык — kk, ru или en
cli-board-or-register = укажите --board или --register
cli-not-open = голосование ещё не открыто
cli-no-setup = на доске нет настройки выборов
remote-bad-lists = поле `lists` доски — не список
remote-bad-fingerprint = хеш выборов на доске не совпадает с заявленным ею отпечатком

## Избиратель: учётные данные, голосование, подача, вскрытие для проверки

vote-give-board = укажите доску: --dir DIR или --board URL
vote-give-credential = укажите --credential
vote-give-choice = укажите хотя бы один --choice раздел=вариант (contest=option)
vote-bad-choice = { $choice }: выбор записывается как contest=option
vote-challenge-refused = доска отклонила вскрытый для проверки бюллетень: { $reason }
vote-receipt-not-ours = квитанция доски выдана не на этот бюллетень
vote-cast = бюллетень подан, код отслеживания { $code }
vote-cast-entry = событие { $index } на доске, контрольная точка журнала из { $size } { $size ->
    [one] события
   *[other] событий
}
vote-challenged = бюллетень { $code } вскрыт для проверки (не учитывается): он никогда не будет учтён; доска опубликует его
    {"   "}без ваших учётных данных вместе со всеми вскрытыми для проверки бюллетенями, когда голосование закроется
vote-style-note = вид бюллетеня { $style }: вскрытый для проверки бюллетень публикуется с открытыми отметками и с этим видом бюллетеня (ваш округ), но никогда с вашими учётными данными
vote-encrypted = бюллетень зашифрован, код отслеживания { $code }
vote-ask = подать этот бюллетень (cast) или вскрыть его для проверки этого устройства (challenge)? [cast/challenge]
vote-no-decision = решения нет (ввод закончился): ничего не подано
vote-type-cast-or-challenge = { $answer }: введите cast (подать) или challenge (вскрыть для проверки)
vote-opening-follows = раскрытие бюллетеня (проверьте его на другом устройстве: dauys challenge check … --code { $code } OPENING.json):
vote-new-ballot = новый бюллетень зашифрован с новыми случайными числами:
vote-not-prepared = { $path }: это не подготовленный бюллетень: { $error }
vote-prepared-elsewhere = { $path }: бюллетень подготовлен для других выборов
vote-prepared-saved = сохранён в { $path } (секретно: файл содержит случайные числа шифрования бюллетеня)
vote-prepared-next = далее `dauys vote cast { $path }` или `dauys vote challenge { $path } --opening FILE`
vote-opening-written = раскрытие записано в { $path }: проверьте его на другом устройстве командой
    {"   "}dauys challenge check --board URL { $path } --code { $code }
credential-neither = учётные данные — не файл и не их цифры
credential-bad-digits = { $text } — не файл учётных данных и не учётные данные: { $error }
credential-bad-file = { $path }: не файл учётных данных (из `dauys voter keygen`): { $error }
credential-other-election = { $path }: учётные данные для выборов { $theirs }; выборы на этой доске — { $ours }
credential-mismatch = { $path }: открытые учётные данные в файле не соответствуют секретным
credential-not-registered = ваших учётных данных (x·h_final = { $key }) нет в окончательных списках учётных данных выборов: они не были зарегистрированы (`dauys register`) до закрытия регистрации или относятся к другим выборам; ничего не подано
keygen-no-election = --election-id: укажите идентификатор выборов (election_id из их манифеста)
keygen-exists = { $path } уже существует: файл учётных данных никогда не перезаписывается
keygen-written = файл учётных данных { $path } (секретно: храните его на этом компьютере; регистратор его никогда не видит)
keygen-public = открытые учётные данные X { $key }

## Вскрытый для проверки бюллетень на втором устройстве

record-open-before-setup = запись открывает голосование до настройки выборов
record-not-open = { $path }: в этой записи голосование не открыто
check-not-opening = { $path }: это не раскрытие вскрытого для проверки бюллетеня: { $error }
check-give-source = укажите --board, --dir или --record
check-other-ballot = это раскрытие не того бюллетеня, который вам показали: его шифртексты дают код { $recomputed }, а не { $code }
check-cheating-opening = раскрытие НЕ даёт при повторном шифровании вскрытый бюллетень ({ $error }): не голосуйте с этого устройства
check-code-matches = код отслеживания { $code }: соответствует виду бюллетеня и шифртекстам
check-style = вид бюллетеня { $style }
check-opening-ok = раскрытие при повторном шифровании ключом выборов даёт каждый шифртекст; в бюллетене были отмечены:
check-nothing = (ничего)
check-if-not-yours = если это не ваш выбор, устройство для голосования обманывает: голосуйте с другого
check-published = опубликован в записи как вскрытый для проверки бюллетень (событие { $index })
check-not-published = (пока) нет среди вскрытых для проверки бюллетеней записи: они публикуются при закрытии голосования

## Квитанция, проверенная позже

receipt-newest-checkpoint = последняя контрольная точка: { $error }
receipt-not-included = события нет в последнем журнале: { $error }
receipt-not-extension = журнал доски не является продолжением журнала квитанции: { $error }
receipt-ok = квитанция в порядке: событие { $index } есть в журнале доски из { $size } { $size ->
    [one] события
   *[other] событий
}, который продолжает журнал из { $old } { $old ->
    [one] события
   *[other] событий
}, где она выдана

## Гражданин регистрирует свои учётные данные

register-style-unexpected = пункт регистрации выдал вид бюллетеня { $style }; на этих выборах один вид
register-style-missing = пункт регистрации не выдал вида бюллетеня; на этих выборах их несколько
register-give-precinct = на этих выборах несколько видов бюллетеня: укажите --precinct (ваш избирательный участок, как в приглашении на выборы), чтобы округ регистрации был проверен до вашей подписи; ничего не подписано
register-unknown-precinct = --precinct { $precinct }: этот участок не указан ни в одном виде бюллетеня; ничего не подписано
register-wrong-style = пункт регистрации выдал вид бюллетеня { $given }, но участок { $precinct } голосует по виду { $own }: регистратор отнёс бы вас к другому округу; ничего не подписано (сообщите об этом в избирательную комиссию)
register-style = вид бюллетеня { $style } (участок { $precinct }): в вашем бюллетене будут { $contests }
register-not-pseudonym = ответ пункта регистрации — не псевдоним: { $error }
register-no-receipt = в ответе пункта регистрации нет квитанции: { $error }
register-give-board = укажите --dir DIR или --board URL
register-give-key = с --dir укажите --registrar-key FILE
register-refused = доска отклонила регистрацию: { $reason }
register-bad-receipt = квитанция регистрации: { $error }
register-receipt-not-ours = квитанция доски выдана не на эту регистрацию: на доске её нет в подписанном виде
register-done = зарегистрировано: псевдоним { $pseudonym } с учётными данными { $credential }
register-entry = на доске как событие { $index } под подписанной контрольной точкой журнала из { $size } { $size ->
    [one] события
   *[other] событий
}: ваша регистрация (P и X) там
register-after-shuffle = после перемешивания хранителями ключа ваши учётные данные видны только как x·h_final; `dauys vote` их найдёт

## Разделы бюллетеня и варианты (`dauys ballot`)

ballot-give-source = укажите --board или --manifest
ballot-marks-exactly = { $n ->
    [one] отметьте { $n } вариант
    [few] отметьте { $n } варианта
   *[many] отметьте { $n } вариантов
}
ballot-marks-up-to = отметьте не больше { $n } или ничего (`--choice { $contest }=`)
ballot-marks-between = отметьте от { $min } до { $max }

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
