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
vote-cast-entry = элемент журнала доски { $index }, контрольная точка журнала из { $size } { $size ->
    [one] события
   *[other] событий
}
vote-challenged = бюллетень { $code } вскрыт для проверки (не учитывается): доска опубликует его без ваших учётных данных
    {"   "}вместе со всеми вскрытыми для проверки бюллетенями, когда голосование закроется
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
keygen-no-election = --election-id: укажите идентификатор выборов (election_id из манифеста выборов)
keygen-exists = { $path } уже существует: файл учётных данных никогда не перезаписывается
keygen-written = файл учётных данных { $path } (секретно: храните его на этом компьютере; регистратор его никогда не видит)
keygen-public = открытые учётные данные X { $key }

## Вскрытый для проверки бюллетень на втором устройстве

record-open-before-setup = запись открывает голосование до настройки выборов
record-not-open = { $path }: в этой записи голосование не открыто
check-not-opening = { $path }: это не раскрытие вскрытого для проверки бюллетеня: { $error }
check-give-source = укажите --board, --dir или --record
check-other-ballot = это раскрытие не того бюллетеня, который вам показали: его шифртексты дают код { $recomputed }, а не { $code }
check-cheating-opening = раскрытие НЕ даёт при повторном шифровании вскрытый для проверки бюллетень ({ $error }): не голосуйте с устройства, которое подготовило этот бюллетень
check-code-matches = код отслеживания { $code }: соответствует виду бюллетеня и шифртекстам
check-style = вид бюллетеня { $style }
check-opening-ok = раскрытие при повторном шифровании ключом выборов даёт каждый шифртекст; в бюллетене были отмечены:
check-nothing = (ничего)
check-if-not-yours = если это не ваш выбор, устройство для голосования обманывает: голосуйте с другого устройства
check-published = опубликован в записи как вскрытый для проверки бюллетень (событие { $index })
check-not-published = (пока) не опубликован в записи среди вскрытых для проверки бюллетеней: они публикуются при закрытии голосования

## Квитанция, проверенная позже

receipt-newest-checkpoint = последняя контрольная точка: { $error }
receipt-not-included = элемента нет в последнем журнале: { $error }
receipt-not-extension = журнал доски не является продолжением журнала квитанции: { $error }
receipt-ok = квитанция в порядке: элемент { $index } есть в журнале доски из { $size } { $size ->
    [one] события
   *[other] событий
}, который продолжает журнал из { $old } { $old ->
    [one] события
   *[other] событий
}, по которому она выдана

## Гражданин регистрирует свои учётные данные

register-style-unexpected = пункт регистрации выдал вид бюллетеня { $style }; на этих выборах один вид бюллетеня
register-style-missing = пункт регистрации не выдал вида бюллетеня; на этих выборах их несколько
register-give-precinct = на этих выборах несколько видов бюллетеня: укажите --precinct (ваш избирательный участок, как в приглашении на выборы), чтобы округ регистрации был проверен до вашей подписи; ничего не подписано
register-unknown-precinct = --precinct { $precinct }: этот участок не указан ни в одном виде бюллетеня; ничего не подписано
register-wrong-style = пункт регистрации выдал вид бюллетеня { $given }, но на участке { $precinct } голосуют бюллетенем вида { $own }: регистратор отнёс бы вас к другому округу; ничего не подписано (сообщите об этом в избирательную комиссию)
register-style = вид бюллетеня { $style } (участок { $precinct }): в вашем бюллетене будут { $contests }
register-not-pseudonym = ответ пункта регистрации — не псевдоним: { $error }
register-no-receipt = в ответе пункта регистрации нет квитанции: { $error }
register-give-board = укажите --dir DIR или --board URL
register-give-key = с --dir укажите --registrar-key FILE
register-refused = доска отклонила регистрацию: { $reason }
register-bad-receipt = квитанция регистрации: { $error }
register-receipt-not-ours = квитанция доски выдана не на эту регистрацию: на доске её нет в подписанном виде
register-done = зарегистрировано: псевдоним { $pseudonym } с учётными данными { $credential }
register-entry = на доске как элемент журнала { $index } под подписанной контрольной точкой журнала из { $size } { $size ->
    [one] события
   *[other] событий
}: ваша регистрация (P и X) там есть
register-after-shuffle = после перемешивания хранителями ключа ваши учётные данные видны только как x·h_final; `dauys vote` их найдёт

## Разделы бюллетеня и варианты (`dauys ballot`)

ballot-give-source = укажите --board или --manifest
ballot-kind = { $kind ->
    [referendum] референдум
    [majority] абсолютное большинство
    [plurality] относительное большинство
    [approval] одобрительное голосование
   *[party_list] партийный список
}
ballot-marks-exactly = { $n ->
    [one] отметьте { $n } вариант
    [few] отметьте { $n } варианта
   *[many] отметьте { $n } вариантов
}
ballot-marks-up-to = отметьте не более { $n } { $n ->
    [one] варианта
   *[other] вариантов
} или ни одного (`--choice { $contest }=`)
ballot-marks-between = отметьте от { $min } до { $max } { $max ->
    [one] варианта
   *[other] вариантов
}

## Доступ к работающей доске

remote-give-board = укажите --dir или --board
remote-give-url = укажите --board
remote-give-operator-key = с --board укажите файл ключа оператора: --operator-key FILE
remote-operator-key = ключ оператора
remote-bad-record = запись доски: { $error }
remote-record-not-signed = её события — не тот журнал, который подписывает её контрольная точка
remote-record-elsewhere = запись доски относится к другой доске или другим выборам

## Хранитель ключа

trustee-no-key-file = { $path } не существует: создайте его командой `dauys trustee keygen --index { $index } --key { $path }` до создания доски и передайте оператору выведенный ею ключ идентификации для манифеста
trustee-other-seat = { $path } — файл ключа хранителя ключа № { $theirs }, а не № { $index }
trustee-not-in-manifest = в манифесте для хранителя ключа № { $index } указан другой ключ идентификации, не тот, что в { $path }: этот файл ключа не соответствует этому месту; публикация отменена
trustee-seat-taken = транспортный ключ на месте хранителя ключа № { $index } — не из этого файла ключа: место занял кто-то другой; участие отменено (сообщите об этом наблюдателям выборов)
trustee-shuffle-too-early = хранитель ключа № { $index } отказывается перемешивать: регистрация не закрыта (регистратор выполняет `dauys registrar close`)
trustee-shuffle-too-late = хранитель ключа № { $index } отказывается перемешивать: голосование уже открыто, перемешивания завершены
trustee-shuffled-already = хранитель ключа № { $index } уже выполнил перемешивание: каждый хранитель ключа перемешивает каждый список один раз
trustee-shuffle-other-key = хранитель ключа № { $index } отказывается перемешивать: транспортный ключ на его месте — не из этого файла ключа
trustee-shuffled = хранитель ключа № { $index }: перемешано учётных данных: { $count }{ $lists ->
        [1] {""}
       *[other] {" "}в { $lists } { $lists ->
            [one] списке
           *[other] списках
        } (по одному на вид бюллетеня)
    }, доказательство опубликовано (перемешивание { $done } в журнале); показатель степени не сохраняется
trustee-index-from-1 = --index { $index }: хранители ключа нумеруются с 1
trustee-index-out-of-range = --index { $index }: на этих выборах хранители ключа с 1 по { $n }
trustee-key-written = хранитель ключа № { $index }: файл ключа { $path } (храните его в тайне)
trustee-identity-key = ключ идентификации { $key }
trustee-transport-posted = хранитель ключа № { $index }: транспортный ключ опубликован, подписан ключом идентификации из файла ключа { $path }
trustee-transport-already = хранитель ключа № { $index }: транспортный ключ уже на доске; файл ключа { $path }
trustee-give-code = хранитель ключа № { $index } подключается по коду, который выдал ему оператор: --code XXXX-… (файл ключа { $path } сохранён)
trustee-post-again = { $error } (файл ключа { $path } сохранён; выполните команду ещё раз)
trustee-wait-transport = транспортные ключи опубликовали { $posted } из { $n } хранителей ключа; дождитесь всех
trustee-dealt = хранитель ключа № { $index }: раздача долей опубликована
trustee-wait-dealings = опубликовано раздач долей: { $posted } из { $n }; дождитесь всех
trustee-received = хранитель ключа № { $index }: доли получены и проверены, опубликовано жалоб: { $count }
trustee-ready = хранитель ключа № { $index }: готов — владеет своей долей ключа для общего ключа { $key }; обязательство по начальному значению жребия опубликовано
trustee-no-tally = на доске нет итога для расшифрования (фаза доски — { $phase }: оператор выполняет `dauys tally` после закрытия голосования)
trustee-refuses-decrypt = хранитель ключа № { $index } отказывается расшифровывать: { $error }
trustee-other-tally = итог на доске — не тот, что в проверенной записи
trustee-decrypted = хранитель ключа № { $index }: запись проверена до итога включительно; расшифрование итога опубликовано с доказательствами

## Оператор доски и подсчёт

board-quorum-warning = внимание: голосование открывается, хотя готовы не все хранители ключа (но не меньше требуемого числа); хранители ключа, не доказавшие, что владеют своими долями ключа: № { $missing }; расшифровывать будут только хранители ключа, подтвердившие готовность
board-identities-hint = { $error }: каждый хранитель ключа создаёт свой файл ключа командой `dauys trustee keygen` и передаёт оператору выведенный ключ идентификации; он вносится в trustees.identities манифеста в порядке мест
board-operator-key-exists = { $path } уже существует: выберите другой путь для ключа оператора
board-created = доска создана в { $path }
board-key = ключ доски
board-setup-fingerprint = отпечаток настройки
board-operator-key-file = файл ключа оператора
board-keep-private = { $path } (храните его в тайне)
board-enrollment-codes = коды подключения (секретно; каждому хранителю ключа — его код, для `dauys trustee init --code`):
board-enrollment-code = код подключения хранителя ключа № { $index }: { $code }
board-voting-open = голосование открыто: учётных данных: { $credentials }; хранители ключа, чья раздача долей прошла проверку: { $dealers }
board-joint-key = общий ключ
board-election-fingerprint = отпечаток выборов
board-closed = голосование закрыто: подано { $cast } { $cast ->
        [one] бюллетень
        [few] бюллетеня
       *[many] бюллетеней
    } (учитывается { $counted })
board-closed-already = голосование уже было закрыто: подано { $cast } { $cast ->
        [one] бюллетень
        [few] бюллетеня
       *[many] бюллетеней
    } (учитывается { $counted })
board-serving = доска из { $path } доступна по адресу { $url }
board-status-phase = фаза
board-status-events = события
board-status-trustees = хранители ключа
board-status-ballots = бюллетени
board-status-decryptions = расшифрования
board-status-checkpoint = контрольная точка
board-status-next = далее
board-status-ceremony = транспортных ключей: { $keys }, раздач долей: { $dealings }, жалоб: { $complaints }
board-status-ceremony-ready = транспортных ключей: { $keys }, раздач долей: { $dealings }, жалоб: { $complaints }, событий готовности: { $ready }
board-status-ballot-counts = подано: { $cast }, учитывается: { $counted }, вскрыто для проверки (не учитывается): { $spoiled }
board-status-ballot-counts-held = подано: { $cast }, учитывается: { $counted }, вскрыто для проверки (не учитывается): { $spoiled } (вскрытых для проверки, хранимых до закрытия: { $held })
board-status-checkpoint-at = размер { $size }, корень { $root }
board-check-replayed = воспроизведено событий: { $events } за { $took }: фаза { $phase }, подано { $cast }, учитывается { $counted }, вскрыто для проверки { $spoiled }
board-check-compared = сравнено узлов дерева: { $nodes }, контрольных точек: { $checkpoints }, таблицы ключей: { $tables }
board-check-differs = расхождение: { $difference }
board-check-inconsistent = сохранённое состояние расходится с журналом, расхождений: { $count }
board-check-consistent = сохранённое состояние совпадает с журналом
board-tally-posted = зашифрованный итог { $ballots } { $ballots ->
        [one] бюллетеня
       *[other] бюллетеней
    } опубликован; хранители ключа могут приступить к расшифрованию
board-tally-still-voting = голосование ещё открыто: сначала закройте его (`dauys board close`)
board-tally-already = итог уже опубликован
board-tally-not-open = голосование ещё не открыто: { $next }
board-checkpoint-no-size = в /checkpoint доски нет размера
board-no-tally-found = среди последних событий доски нет итога
board-log-empty = журнал доски пуст
board-bad-last-event = последнее событие доски: { $error }
board-last-not-result = доска сообщает, что выборы завершены, но её последнее событие — не результат
board-export-give-out = с --board укажите, куда сохранить запись выборов: --out DIR
board-exported = запись выборов из { $events } { $events ->
        [one] события
       *[other] событий
    } сохранена в { $path }

## Регистратор

registrar-precinct-voters = { $precinct } ({ $n } { $n ->
        [one] избиратель
        [few] избирателя
       *[many] избирателей
    })
registrar-unknown-precincts = в списке избирателей есть участки, которых нет ни в одном виде бюллетеня манифеста: { $precincts }
registrar-bad-roll = список избирателей: { $error }
registrar-key-exists = { $path } уже существует: ключ регистратора никогда не перезаписывается (с ним уже опубликован список избирателей?)
registrar-roll-once = список избирателей публикуется один раз, до регистрации: { $next }
registrar-roll-not-posted = список избирателей не опубликован: { $error }
registrar-roll-posted = список избирателей опубликован: псевдонимов: { $count }, ключ УЦ { $key }
registrar-key-written = файл ключа регистратора { $path } (k_P: храните его в тайне; передавайте только аккредитованным наблюдателям)
registrar-closed = регистрация закрыта, регистраций: { $count }; далее перемешивают хранители ключа
registrar-not-open = регистрация не открыта: { $next }
registrar-synthetic-roll = в { $path } записано избирателей: { $count }
registrar-on-roll = { $iin } есть в списке избирателей, участок { $precinct }
registrar-not-on-roll = { $iin } нет в списке избирателей

## Синтетический УЦ (замена национального УЦ)

ca-key-exists = { $path } уже существует: выберите другой путь для ключа УЦ
ca-written = синтетический УЦ (замена национального УЦ, не ЭЦП eGov): файл ключа { $path }
ca-public-key = открытый ключ УЦ { $key }
ca-citizen-exists = { $path } уже существует: файл ключа гражданина никогда не перезаписывается
ca-citizen-written = синтетический УЦ: файл ключа гражданина { $path } (только для гражданина; храните его в тайне)
ca-citizen-key = ключ гражданина { $key }

## Нагрузочный тест

loadtest-no-voters = --voters: нужен хотя бы один избиратель
loadtest-credentials-exist = { $path } уже существует: учётные данные нагрузочного теста записываются один раз
loadtest-wrong-ca = манифест доски должен называть УЦ нагрузочного теста в citizen_ca ({ $key })
loadtest-registered = синтетических избирателей зарегистрировано: { $voters } за { $seconds } с
loadtest-shuffled = перемешивание хранителем ключа № { $trustee }, учётных данных: { $credentials }: доказано за { $prove } с, проверено и сохранено за { $check } с
loadtest-open = голосование открыто; учётные данные в { $path }
loadtest-not-credentials = { $path }: не файл учётных данных нагрузочного теста (его создаёт `dauys loadtest --register`)
loadtest-loopback-only = { $url }: генератор нагрузки работает только с этим компьютером (127.0.0.0/8, localhost, [::1])
loadtest-too-few-credentials = в { $path } учётных данных: { $credentials }, а бюллетеней: { $ballots }
loadtest-encrypting = шифрование и доказательства для бюллетеней: { $ballots }…
loadtest-credential-unregistered = учётных данных нагрузочного теста нет ни в одном окончательном списке: были ли они зарегистрированы на этой доске?
loadtest-accepted = принято бюллетеней: { $accepted } из { $ballots } за { $seconds } с: { $rate } бюллетеней/с, параллельность { $concurrency }
loadtest-latency = задержка p50 { $p50 } мс, p99 { $p99 } мс, макс. { $max } мс
loadtest-board-time = доска: пакетов: { $batches }; проверка доказательств { $verify } с, хранение { $store } с ({ $share } % на проверку)
loadtest-readers = читатели: { $readers } на каждой точке GET, запросов: { $requests } ({ $rate }/с), неудачных: { $failed }; задержка p50 { $p50 } мс, p99 { $p99 } мс
loadtest-refused = отклонено бюллетеней: { $count }

## `dauys simulate` и `dauys demo`: ход работы и итоги

run-done = Готово за { $seconds } с.
simulate-title = dauys simulate: { $n } { $n ->
        [one] бюллетень
        [few] бюллетеня
       *[many] бюллетеней
    } выборов { $election } в { $dir }
simulate-seed = зерно { $seed }: из него следуют все ключи и секреты этого прогона (только для исследований)
simulate-ceremony = церемония ключей завершена ({ $seconds } с)
simulate-registered = граждан, сертифицированных синтетическим УЦ, зарегистрированных и проверенных доской: { $registered } за { $seconds } с ({ $rate }/с)
simulate-shuffled = перемешивание хранителем ключа № { $trustee }, учётных данных: { $credentials }{ $lists ->
        [1] {""}
       *[other] {" "}в { $lists } { $lists ->
            [one] списке
           *[other] списках
        }
    }: доказано за { $prove } с, проверено и сохранено доской за { $check } с
simulate-open = голосование открыто по учётным данным последнего перемешивания: { $registered } ({ $seconds } с)
simulate-cast = { $n } { $n ->
        [one] бюллетень зашифрован, доказан, проверен и подан
        [few] бюллетеня зашифровано, доказано, проверено и подано
       *[many] бюллетеней зашифровано, доказано, проверено и подано
    } за { $seconds } с ({ $rate }/с)
simulate-behaviour = переголосовали: { $revoted }, сначала вскрыли бюллетень для проверки: { $challenged }; не голосовали { $abstained } из { $registered } { $registered ->
        [one] зарегистрированного гражданина
       *[other] зарегистрированных граждан
    } (явка { $turnout } %)
simulate-equal = Расшифрованные числа голосов совпадают с файлом голосов. Запись: { $record }
demo-title = dauys demo: { $title } — избирателей: { $voters }, в { $dir }
demo-ceremony = 1. Церемония ключей на доске: хранителей ключа: { $n }, расшифровать могут любые { $t } из них
demo-joint-key = общий ключ { $key }; хранителей ключа, чья раздача долей прошла проверку: { $dealers }
demo-rehearsal = репетиция: { $ready } из { $n } хранителей ключа доказали, что владеют своими долями ключа (готовы); обязательства по начальным значениям жребия опубликованы
demo-registration = 2. Регистрация: синтетический национальный УЦ сертифицирует граждан: { $voters }; каждый создаёт свои учётные данные
demo-styles = видов бюллетеня: { $styles }; граждане распределены по своим участкам, каждый регистрируется по виду бюллетеня своего участка, а учётные данные каждого вида перемешиваются отдельным списком
demo-registered = регистратор опубликовал псевдонимы списка избирателей: { $voters } (без ИИН); подписанных регистраций проверено и опубликовано: { $registrations } за { $seconds } с; регистрация закрыта
demo-shuffled = перемешивание хранителем ключа № { $trustee }: учётных данных: { $credentials }{ $lists ->
        [1] {""}
       *[other] {" "}в { $lists } { $lists ->
            [one] списке
           *[other] списках
        }
    }, переведены на новое основание и переставлены, доказано за { $prove } с, проверено доской за { $check } с
demo-unlinkable = никто, включая регистратора, не может связать избирателя с учётными данными, если не сговорятся все перемешивающие (их { $shufflers })
demo-open = голосование открыто по учётным данным последнего перемешивания: { $credentials }; отпечаток выборов { $fingerprint }
demo-voting = 3. Голосование: { $revote } % переголосовывают, { $challenge } % сначала вскрывают бюллетень для проверки
demo-bar = шифрование, доказательство, подача
demo-cast = подано бюллетеней: { $cast } (учитывается { $counted }, заменено при переголосовании { $superseded }), вскрыто для проверки: { $challenged } (доска хранит их до закрытия)
demo-and = { $first } и { $last }
demo-close = 4. Закрытие, итог и расшифрование { $count ->
        [one] хранителем ключа
       *[other] хранителями ключа
    } № { $trustees }
demo-challenged = вскрытые для проверки бюллетени ({ $count }) опубликованы одним пакетом непосредственно перед закрытием
demo-checked = хранители ключа проверили запись до итога включительно (dauys-verify, проверки 1.1–5.1) перед расшифрованием
demo-decrypted = расшифровано и опубликовано за { $seconds } с
demo-equal = Расшифрованные итоги каждого раздела бюллетеня совпадают с незашифрованными отметками смоделированных избирателей; ни один бюллетень не расшифрован.
demo-record = Запись выборов (событий: { $events }): { $path }
