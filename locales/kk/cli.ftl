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
vote-challenged = { $code } бюллетені тексеру үшін ашылды (есептелмейді): дауыс беру жабылғанда тақта оны
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
ballot-kind = { $kind ->
    [referendum] референдум
    [majority] абсолютті көпшілік
    [plurality] салыстырмалы көпшілік
    [approval] мақұлдау арқылы дауыс беру
   *[party_list] партиялық тізімдер
}
ballot-marks-exactly = { $n } нұсқаны белгілеңіз
ballot-marks-up-to = { $n } нұсқаға дейін белгілеңіз немесе ештеңе белгілемеңіз (`--choice { $contest }=`)
ballot-marks-between = кемінде { $min }, ең көбі { $max } нұсқа белгілеңіз

## Жұмыс істеп тұрған тақтаға қосылу

remote-give-board = --dir немесе --board көрсетіңіз
remote-give-url = --board көрсетіңіз
remote-give-operator-key = --board болса, оператор кілтінің файлын көрсетіңіз: --operator-key FILE
remote-operator-key = оператор кілті
remote-bad-record = тақтаның жазбасы: { $error }
remote-record-not-signed = оның оқиғалары бақылау нүктесі қол қойған журнал емес
remote-record-elsewhere = тақтаның жазбасы басқа тақтаға немесе басқа сайлауға тиесілі

## Кілт сақтаушы

trustee-no-key-file = { $path } жоқ: оны тақта құрылғанға дейін `dauys trustee keygen --index { $index } --key { $path }` командасымен жасаңыз және оның сәйкестендіру кілтін манифест үшін операторға беріңіз
trustee-other-seat = { $path } — { $index }-кілт сақтаушының емес, { $theirs }-кілт сақтаушының кілт файлы
trustee-not-in-manifest = манифест { $index }-кілт сақтаушы үшін { $path } файлындағыдан басқа сәйкестендіру кілтін атайды: бұл кілт файлы осы орынды иеленбейді; жариялаудан бас тартылды
trustee-seat-taken = { $index }-кілт сақтаушының орнындағы тасымал кілті бұл кілт файлынікі емес: орынды басқа біреу иеленген; қатысудан бас тартылды (бұл туралы сайлау бақылаушыларына хабарлаңыз)
trustee-shuffle-too-early = { $index }-кілт сақтаушы араластырудан бас тартады: тіркеу жабылған жоқ (тіркеуші `dauys registrar close` орындайды)
trustee-shuffle-too-late = { $index }-кілт сақтаушы араластырудан бас тартады: дауыс беру ашылды, араластырулар аяқталды
trustee-shuffled-already = { $index }-кілт сақтаушы араластырып қойған: әр кілт сақтаушы әр тізімді бір рет араластырады
trustee-shuffle-other-key = { $index }-кілт сақтаушы араластырудан бас тартады: оның орнындағы тасымал кілті бұл кілт файлынікі емес
trustee-shuffled = { $index }-кілт сақтаушы: { $count } тіркелгі деректері араластырылды{ $lists ->
        [1] {""}
       *[other] {" "}({ $lists } тізімде, әр бюллетень түріне біреуден)
    }, дәлел жарияланды (журналдағы { $done }-араластыру); дәреже көрсеткіші сақталмайды
trustee-index-from-1 = --index { $index }: кілт сақтаушылар 1-ден бастап нөмірленеді
trustee-index-out-of-range = --index { $index }: бұл сайлауда кілт сақтаушылар 1-ден бастап нөмірленеді, олардың саны — { $n }
trustee-key-written = { $index }-кілт сақтаушы: кілт файлы { $path } (оны құпия сақтаңыз)
trustee-identity-key = сәйкестендіру кілті { $key }
trustee-transport-posted = { $index }-кілт сақтаушы: тасымал кілті жарияланды, { $path } кілт файлындағы сәйкестендіру кілтімен қол қойылды
trustee-transport-already = { $index }-кілт сақтаушы: тасымал кілті тақтада бұрыннан бар; кілт файлы { $path }
trustee-give-code = { $index }-кілт сақтаушы оператор берген кодпен тіркеледі: --code XXXX-… ({ $path } кілт файлы сақталды)
trustee-post-again = { $error } ({ $path } кілт файлы сақталды; команданы қайта орындаңыз)
trustee-wait-transport = тасымал кілттерін жариялаған кілт сақтаушылар: { $posted } / { $n }; барлығын күтіңіз
trustee-dealt = { $index }-кілт сақтаушы: үлестерді тарату жарияланды
trustee-wait-dealings = жарияланған үлес таратулары: { $posted } / { $n }; барлығын күтіңіз
trustee-received = { $index }-кілт сақтаушы: үлестер алынды және тексерілді, { $count } шағым жарияланды
trustee-ready = { $index }-кілт сақтаушы: дайын — { $key } ортақ кілті үшін өз кілт үлесін иеленеді; жеребе үшін бастапқы мәнге міндеттеме жарияланды
trustee-no-tally = тақтада шифрын ашатын қорытынды жоқ (тақтаның кезеңі — { $phase }: дауыс беру жабылғаннан кейін оператор `dauys tally` орындайды)
trustee-refuses-decrypt = { $index }-кілт сақтаушы шифрды ашудан бас тартады: { $error }
trustee-other-tally = тақтадағы қорытынды тексерілген жазбадағы қорытынды емес
trustee-decrypted = { $index }-кілт сақтаушы: жазба қорытындыны қоса алғанда тексерілді; қорытындының шифрын ашу дәлелдерімен бірге жарияланды

## Тақта операторы және санау

board-quorum-warning = назар аударыңыз: дауыс беру кворуммен ашылады: { $missing } кілт сақтаушылар өз кілт үлестерін иеленетінін дәлелдеген жоқ; шифрды тек дайын кілт сақтаушылар ашады
board-identities-hint = { $error }: әр кілт сақтаушы өз кілт файлын `dauys trustee keygen` командасымен жасайды және ол шығарған сәйкестендіру кілтін операторға береді; ол манифестегі trustees.identities өрісіне орын ретімен енгізіледі
board-operator-key-exists = { $path } бұрыннан бар: оператор кілті үшін басқа жол таңдаңыз
board-created = тақта { $path } ішінде құрылды
board-key = тақта кілті
board-setup-fingerprint = баптаудың саусақ ізі
board-operator-key-file = оператор кілтінің файлы
board-keep-private = { $path } (оны құпия сақтаңыз)
board-enrollment-codes = тіркеу кодтары (құпия; әр кілт сақтаушыға өз кодын беріңіз, `dauys trustee init --code` үшін):
board-enrollment-code = { $index }-кілт сақтаушының тіркеу коды: { $code }
board-voting-open = дауыс беру ашылды: { $credentials } тіркелгі деректері, рұқсат етілген таратушылар { $dealers }
board-joint-key = ортақ кілт
board-election-fingerprint = сайлаудың саусақ ізі
board-closed = дауыс беру жабылды: { $cast } бюллетень тапсырылды ({ $counted } есептеледі)
board-closed-already = дауыс беру бұрын жабылған: { $cast } бюллетень тапсырылды ({ $counted } есептеледі)
board-serving = { $path } тақтасы { $url } мекенжайында жұмыс істейді
board-status-phase = кезең
board-status-events = оқиғалар
board-status-trustees = кілт сақтаушылар
board-status-ballots = бюллетеньдер
board-status-decryptions = шифрды ашулар
board-status-checkpoint = бақылау нүктесі
board-status-next = келесі қадам
board-status-ceremony = { $keys } тасымал кілті, { $dealings } үлес таратуы, { $complaints } шағым
board-status-ceremony-ready = { $keys } тасымал кілті, { $dealings } үлес таратуы, { $complaints } шағым, { $ready } дайындық оқиғасы
board-status-ballot-counts = { $cast } тапсырылды, { $counted } есептеледі, { $spoiled } тексеру үшін ашылды (есептелмейді)
board-status-ballot-counts-held = { $cast } тапсырылды, { $counted } есептеледі, { $spoiled } тексеру үшін ашылды (есептелмейді) (тағы { $held } жабылғанға дейін сақталады)
board-status-checkpoint-at = өлшемі { $size }, түбірі { $root }
board-check-replayed = { $events } оқиға { $took } ішінде қайта ойнатылды: кезең { $phase }, { $cast } тапсырылды, { $counted } есептеледі, { $spoiled } тексеру үшін ашылды
board-check-compared = ағаштың { $nodes } түйіні, { $checkpoints } бақылау нүктесі салыстырылды, кілт кестелері: { $tables }
board-check-differs = айырмашылық: { $difference }
board-check-inconsistent = сақталған күй журналдан { $count } жерде өзгеше
board-check-consistent = сақталған күй журналмен сәйкес келеді
board-tally-posted = { $ballots } бюллетеньнің шифрланған қорытындысы жарияланды; кілт сақтаушылар енді шифрды аша алады
board-tally-still-voting = дауыс беру әлі ашық: алдымен оны жабыңыз (`dauys board close`)
board-tally-already = қорытынды бұрыннан жарияланған
board-tally-not-open = дауыс беру әлі ашылған жоқ: { $next }
board-checkpoint-no-size = тақтаның /checkpoint жауабында өлшем жоқ
board-no-tally-found = тақтаның соңғы оқиғаларында қорытынды жоқ
board-log-empty = тақтаның журналы бос
board-bad-last-event = тақтаның соңғы оқиғасы: { $error }
board-last-not-result = тақта сайлау аяқталды дейді, бірақ оның соңғы оқиғасы нәтиже емес
board-export-give-out = --board болса, сайлау жазбасын қайда жазу керектігін көрсетіңіз: --out DIR
board-exported = { $events } оқиғадан тұратын сайлау жазбасы { $path } ішіне жазылды

## Тіркеуші

registrar-precinct-voters = { $precinct } ({ $n } сайлаушы)
registrar-unknown-precincts = сайлаушылар тізімінде манифестің ешбір бюллетень түрінде жоқ учаскелер бар: { $precincts }
registrar-bad-roll = сайлаушылар тізімі: { $error }
registrar-key-exists = { $path } бұрыннан бар: тіркеушінің кілті ешқашан қайта жазылмайды (онымен сайлаушылар тізімі жарияланып қойған ба?)
registrar-roll-once = сайлаушылар тізімі тіркеуден бұрын бір рет жарияланады: { $next }
registrar-roll-not-posted = сайлаушылар тізімі жарияланбады: { $error }
registrar-roll-posted = сайлаушылар тізімі жарияланды: { $count } псевдоним, КО кілті { $key }
registrar-key-written = тіркеушінің кілт файлы { $path } (k_P: оны құпия сақтаңыз; тек аккредиттелген бақылаушыларға беріңіз)
registrar-closed = тіркеу жабылды, { $count } тіркеу; енді кілт сақтаушылар араластырады
registrar-not-open = тіркеу ашық емес: { $next }
registrar-synthetic-roll = { $count } сайлаушы { $path } файлына жазылды
registrar-on-roll = { $iin } сайлаушылар тізімінде бар, учаскесі { $precinct }
registrar-not-on-roll = { $iin } сайлаушылар тізімінде жоқ

## Синтетикалық КО (ұлттық куәландырушы орталықтың орнын басушы)

ca-key-exists = { $path } бұрыннан бар: КО кілті үшін басқа жол таңдаңыз
ca-written = синтетикалық КО (ұлттық куәландырушы орталықтың орнын басушы, eGov ЭЦҚ емес): кілт файлы { $path }
ca-public-key = КО ашық кілті { $key }
ca-citizen-exists = { $path } бұрыннан бар: азаматтың кілт файлы ешқашан қайта жазылмайды
ca-citizen-written = синтетикалық КО: азаматтың кілт файлы { $path } (тек азаматқа арналған; оны құпия сақтаңыз)
ca-citizen-key = азамат кілті { $key }

## Жүктемелік тест

loadtest-no-voters = --voters: кемінде бір сайлаушы керек
loadtest-credentials-exist = { $path } бұрыннан бар: жүктемелік тесттің тіркелгі деректері бір рет жазылады
loadtest-wrong-ca = тақта манифесі citizen_ca ретінде жүктемелік тесттің КО-сын атауы керек ({ $key })
loadtest-registered = { $voters } синтетикалық сайлаушы { $seconds } с ішінде тіркелді
loadtest-shuffled = { $trustee }-кілт сақтаушының { $credentials } тіркелгі деректерін араластыруы: { $prove } с ішінде дәлелденді, { $check } с ішінде тексеріліп сақталды
loadtest-open = дауыс беру ашылды; тіркелгі деректері { $path } ішінде
loadtest-not-credentials = { $path }: жүктемелік тесттің тіркелгі деректерінің файлы емес (оны `dauys loadtest --register` жасайды)
loadtest-loopback-only = { $url }: жүктеме генераторы тек осы компьютермен жұмыс істейді (127.0.0.0/8, localhost, [::1])
loadtest-too-few-credentials = { $path } ішінде { $credentials } тіркелгі деректері бар, ал бюллетеньдер саны { $ballots }
loadtest-encrypting = { $ballots } бюллетень шифрланып, дәлелденуде…
loadtest-credential-unregistered = жүктемелік тесттің тіркелгі деректері ешбір соңғы тізімде жоқ: олар осы тақтада тіркелген бе?
loadtest-accepted = қабылданған бюллетеньдер: { $accepted } / { $ballots }, { $seconds } с ішінде: секундына { $rate } бюллетень, параллельдік { $concurrency }
loadtest-latency = кідіріс p50 { $p50 } мс, p99 { $p99 } мс, ең көбі { $max } мс
loadtest-board-time = тақта: { $batches } топтама; дәлелдерді тексеру { $verify } с, сақтау { $store } с (тексеруге { $share } %)
loadtest-readers = оқырмандар: әр GET нүктесінде { $readers }, { $requests } сұрау (секундына { $rate }), { $failed } сәтсіз; кідіріс p50 { $p50 } мс, p99 { $p99 } мс
loadtest-refused = { $count } бюллетень қабылданбады

## `dauys simulate` және `dauys demo`: барысы мен қорытындысы

run-done = { $seconds } с ішінде дайын болды.
simulate-title = dauys simulate: { $election } сайлауының { $n } бюллетені, { $dir } ішінде
simulate-seed = { $seed } бастапқы мәні: осы іске қосудың барлық кілттері мен құпиялары одан шығады (тек зерттеу үшін)
simulate-ceremony = кілт рәсімі аяқталды ({ $seconds } с)
simulate-registered = синтетикалық КО куәландырған, тақта тіркеп тексерген { $registered } азамат, { $seconds } с ішінде (секундына { $rate })
simulate-shuffled = { $trustee }-кілт сақтаушының { $credentials } тіркелгі деректерін араластыруы{ $lists ->
        [1] {""}
       *[other] {" "}({ $lists } тізімде)
    }: { $prove } с ішінде дәлелденді, тақта { $check } с ішінде тексеріп сақтады
simulate-open = дауыс беру соңғы араластырудың { $registered } тіркелгі деректерімен ашылды ({ $seconds } с)
simulate-cast = { $n } бюллетень { $seconds } с ішінде шифрланды, дәлелденді, тексерілді және тапсырылды (секундына { $rate })
simulate-behaviour = { $revoted } сайлаушы дауысты қайта берді, { $challenged } сайлаушы алдымен бюллетеньді тексеру үшін ашты; тіркелген { $registered } азаматтың { $abstained } дауыс бермеді (қатысу { $turnout } %)
simulate-equal = Шифры ашылған дауыс сандары дауыстар файлымен сәйкес келеді. Жазба: { $record }
demo-title = dauys demo: { $title } — { $voters } сайлаушы, { $dir } ішінде
demo-ceremony = 1. Тақтадағы кілт рәсімі: { $n } кілт сақтаушы, шифрды кез келген { $t } аша алады
demo-joint-key = ортақ кілт { $key }, рұқсат етілген { $dealers } таратушы
demo-rehearsal = дайындық: { $n } кілт сақтаушының { $ready } өз кілт үлестерін иеленетінін дәлелдеді (дайын), жеребе үшін бастапқы мәндерге міндеттемелер жарияланды
demo-registration = 2. Тіркеу: синтетикалық ұлттық КО { $voters } азаматты куәландырады; әрқайсысы өз тіркелгі деректерін жасайды
demo-styles = бюллетеньнің { $styles } түрі: азаматтар өз учаскелеріне бөлінген, әрқайсысы өз учаскесінің бюллетень түрінде тіркеледі, әр түрдің тіркелгі деректері жеке тізім ретінде араластырылады
demo-registered = тіркеуші сайлаушылар тізімінің { $voters } псевдонимін жариялады (ЖСН-сіз); қол қойылған { $registrations } тіркеу { $seconds } с ішінде тексеріліп, жарияланды; тіркеу жабылды
demo-shuffled = { $trustee }-кілт сақтаушының араластыруы: { $credentials } тіркелгі деректері{ $lists ->
        [1] {""}
       *[other] {" "}({ $lists } тізімде)
    } жаңа негізге көшіріліп, орындары ауыстырылды, { $prove } с ішінде дәлелденді, тақта { $check } с ішінде тексерді
demo-unlinkable = барлық араластырушылар ({ $shufflers }) келіспейінше, ешкім, тіркеушіні қоса алғанда, сайлаушыны тіркелгі деректерімен байланыстыра алмайды
demo-open = дауыс беру соңғы араластырудың { $credentials } тіркелгі деректерімен ашылды; сайлаудың саусақ ізі { $fingerprint }
demo-voting = 3. Дауыс беру: { $revote } % дауысты қайта береді, { $challenge } % алдымен бюллетеньді тексеру үшін ашады
demo-bar = шифрлау, дәлелдеу, тапсыру
demo-cast = { $cast } бюллетень тапсырылды ({ $counted } есептеледі, { $superseded } дауысты қайта беру кезінде ауыстырылды), { $challenged } тексеру үшін ашылды (тақта оларды жабылғанға дейін сақтайды)
demo-and = { $first } және { $last }
demo-close = 4. Жабу, қорытынды және { $trustees } нөмірлі кілт сақтаушылардың шифрды ашуы
demo-challenged = тексеру үшін ашылған { $count } бюллетень жабылар алдында бір топтамамен жарияланды
demo-checked = кілт сақтаушылар шифрды ашпас бұрын жазбаны қорытындыға дейін тексерді (dauys-verify, 1.1–5.1 тексерулері)
demo-decrypted = шифры ашылып, { $seconds } с ішінде жарияланды
demo-equal = Әр бюллетень бөлімінің шифры ашылған қорытындысы модельденген сайлаушылардың ашық таңдауларымен сәйкес келеді; бірде-бір бюллетеньнің шифры ашылған жоқ.
demo-record = Сайлау жазбасы ({ $events } оқиға): { $path }
