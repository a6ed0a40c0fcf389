//! The result as data for analysis: JSON and CSV keyed by the manifest's contest and option
//! ids, with the labels, counts, percentages and seats (`dauys result --json/--csv`,
//! `dauys simulate --json/--csv`).
//!
//! Percentages: in an approval contest a ballot may mark several options, so an option's share
//! is of the ballots counted (`100·count / ballots`: the share of voters who approve it, and
//! the shares add up to more than 100); in every other kind each ballot marks one option, and
//! a share is of the votes cast in the contest (`100·count / Σ counts`).

use serde_json::{Value, json};

use super::counting::Outcome;
use super::manifest::{Contest, ContestKind, Lang, Manifest};
use super::tally::ElectionResult;

/// Each option's share in percent: of the ballots in an approval contest, of the contest's
/// votes otherwise; 0 where the denominator is 0.
pub fn shares(contest: &Contest, counts: &[u64], ballots: u64) -> Vec<f64> {
    let of = if contest.kind == ContestKind::Approval { ballots } else { counts.iter().sum() };
    counts.iter().map(|&c| if of == 0 { 0.0 } else { 100.0 * c as f64 / of as f64 }).collect()
}

/// The seats the outcome gives option `id`, in a party-list contest.
fn seats(outcome: &Outcome, id: &str) -> Option<u32> {
    match outcome {
        Outcome::Seats { seats, .. } => Some(seats.iter().find(|s| s.party == id).map_or(0, |s| s.seats)),
        _ => None,
    }
}

/// The result as one JSON object: the election's id and title, the ballots counted, and
/// `contests`, an object keyed by contest id, each with its kind, title, votes, outcome (as
/// the result event writes it, `specs/record.md`) and `options`, an object keyed by option
/// id (`position` is the option's place in the manifest, from 0), each with its label, count,
/// percent and, in party-list contests, seats. Labels and titles are in all three languages.
pub fn result_json(manifest: &Manifest, result: &ElectionResult) -> Value {
    let mut contests = serde_json::Map::new();
    for (position, (contest, r)) in manifest.contests.iter().zip(&result.contests).enumerate() {
        let percents = shares(contest, &r.counts, result.ballots);
        let mut options = serde_json::Map::new();
        for (i, ((option, count), percent)) in contest.options.iter().zip(&r.counts).zip(percents).enumerate() {
            let mut o = json!({"position": i, "label": option.label, "count": count, "percent": percent});
            if let Some(s) = seats(&r.outcome, &option.id) {
                o["seats"] = json!(s);
            }
            if option.against_all {
                o["against_all"] = json!(true);
            }
            options.insert(option.id.clone(), o);
        }
        contests.insert(
            contest.id.clone(),
            json!({
                "position": position,
                "kind": contest.kind,
                "title": contest.title,
                "votes": r.counts.iter().sum::<u64>(),
                "outcome": r.outcome,
                "options": options,
            }),
        );
    }
    json!({
        "election_id": manifest.election_id,
        "title": manifest.title,
        "ballots": result.ballots,
        "contests": contests,
    })
}

/// The CSV header line's columns.
pub const CSV_COLUMNS: [&str; 8] = ["contest", "kind", "title", "option", "label", "count", "percent", "seats"];

/// One field, quoted per RFC 4180 where it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

/// The result as CSV (RFC 4180, `\r\n` line ends): a header ([`CSV_COLUMNS`]), then one row
/// per option in manifest order: contest id, kind, contest title, option id, label (titles
/// and labels in `lang`), count, percent (four decimals, a decimal point), and seats (party-list
/// contests only, empty otherwise).
pub fn result_csv(manifest: &Manifest, result: &ElectionResult, lang: Lang) -> String {
    let mut out = CSV_COLUMNS.join(",") + "\r\n";
    for (contest, r) in manifest.contests.iter().zip(&result.contests) {
        let percents = shares(contest, &r.counts, result.ballots);
        for ((option, count), percent) in contest.options.iter().zip(&r.counts).zip(percents) {
            let seats = seats(&r.outcome, &option.id).map(|s| s.to_string()).unwrap_or_default();
            let row = [
                csv_field(&contest.id),
                contest.kind.name().to_string(),
                csv_field(contest.title.get(lang)),
                csv_field(&option.id),
                csv_field(option.label.get(lang)),
                count.to_string(),
                format!("{percent:.4}"),
                seats,
            ];
            out.push_str(&row.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest::from_json(include_str!("../../specs/examples/demo-manifest.json")).unwrap()
    }

    #[test]
    fn approval_shares_are_of_ballots_and_the_others_of_votes() {
        let m = manifest();
        let mut approval = m.contests[0].clone();
        approval.kind = ContestKind::Approval;
        // 10 ballots, 6 and 8 of them approve: 60 % and 80 %, not 6/14 and 8/14.
        assert_eq!(shares(&approval, &[6, 8], 10), vec![60.0, 80.0]);
        assert_eq!(shares(&m.contests[0], &[6, 2], 10), vec![75.0, 25.0]);
        assert_eq!(shares(&m.contests[0], &[0, 0], 0), vec![0.0, 0.0]);
    }

    #[test]
    fn fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"yes\""), "\"say \"\"yes\"\"\"");
    }

    #[test]
    fn seats_only_in_party_list_contests_and_zero_for_a_party_without() {
        let seated = Outcome::Seats {
            passed: vec!["a".into()],
            seats: vec![crate::election::counting::PartySeats { party: "a".into(), seats: 3 }],
        };
        assert_eq!(seats(&seated, "a"), Some(3));
        assert_eq!(seats(&seated, "b"), Some(0));
        assert_eq!(seats(&Outcome::Referendum { adopted: true }, "a"), None);
    }
}
