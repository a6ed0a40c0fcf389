# The results table, as people read it (dauys result, dauys-verify, the demo).

result-ballots = ballots counted
# After a count, in its own column.
result-votes = { $n ->
    [one] vote
   *[other] votes
}
result-seats = { $n ->
    [one] seat
   *[other] seats
}
result-adopted = ADOPTED
result-rejected = NOT ADOPTED
result-elected = elected: { $name }
result-runoff = second round between { $first } and { $second }
result-not-elected = nobody elected
result-winners = { $count ->
    [1] elected
   *[other] winners
}: { $names }
result-passed = { $n ->
    [one] { $n } party over the threshold
   *[other] { $n } parties over the threshold
}
result-no-party = no party passed the threshold
decimal-separator = .
# With several ballot styles: a heading, then a line per style.
result-turnout = ballots counted per ballot style
result-style = ballot style { $id }
