# Нәтижелер кестесі (dauys result, dauys-verify, демонстрация).

result-ballots = есептелген бюллетеньдер
# Қазақ тілінде сан есімнен кейін зат есім көпше түрде тұрмайды.
result-votes = дауыс
result-seats = орын
result-adopted = ҚАБЫЛДАНДЫ
result-rejected = ҚАБЫЛДАНБАДЫ
result-elected = { $name } сайланды
result-runoff = екінші тур: { $first } және { $second }
result-not-elected = ешкім сайланған жоқ
result-winners = { $count ->
    [1] сайланды
   *[other] сайланғандар
}: { $names }
result-passed = { $n } партия шекті еңсерді
result-no-party = бірде-бір партия шекті еңсермеді
decimal-separator = ,
# Бірнеше бюллетень түрі болғанда: тақырып, одан кейін әр түрге бір жол.
result-turnout = бюллетень түрлері бойынша есептелген бюллетеньдер
result-style = { $id } бюллетень түрі
