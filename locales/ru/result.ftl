# Таблица результатов (dauys result, dauys-verify, демонстрация).

result-ballots = учтено бюллетеней
result-votes = { $n ->
    [one] голос
    [few] голоса
   *[many] голосов
}
result-seats = { $n ->
    [one] место
    [few] места
   *[many] мест
}
result-adopted = ПРИНЯТО
result-rejected = НЕ ПРИНЯТО
result-elected = избран(а): { $name }
result-runoff = повторное голосование (второй тур): { $first } и { $second }
result-not-elected = никто не избран
result-winners = { $count ->
    [1] избран(а)
   *[other] избраны
}: { $names }
result-passed = { $n ->
    [one] { $n } партия преодолела порог
    [few] { $n } партии преодолели порог
   *[many] { $n } партий преодолели порог
}
result-no-party = ни одна партия не преодолела порог
decimal-separator = ,
# При нескольких видах бюллетеня: заголовок, затем строка на каждый вид.
result-turnout = учтено бюллетеней по видам бюллетеня
result-style = вид бюллетеня { $id }
