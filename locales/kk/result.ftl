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
result-winners = сайланғандар: { $names }
result-passed = { $n } партия шекті еңсерді
result-no-party = бірде-бір партия шекті еңсермеді
decimal-separator = ,
