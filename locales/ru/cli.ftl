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
