//! The result as data for analysis: JSON and CSV keyed by the manifest's contest and option
//! ids, with the labels, counts, percentages and seats (`dauys result --json/--csv`,
//! `dauys simulate --json/--csv`).
//!
//! Percentages: in an approval contest a ballot may mark several options, so an option's share
//! is of the ballots that carry the contest (`100·count / ballots`, the ballots of the styles
//! that carry it: the share of its voters who approve it, and the shares add up to more than
//! 100); in every other kind each ballot marks one option, and a share is of the votes cast in
//! the contest (`100·count / Σ counts`, which is again the ballots that carry it).
//!
//! The turnout per ballot style (the tally event's `turnout`, [`EncryptedTally::turnout_per_style`])
//! gives the ballots of each contest and district; a caller without it passes `&[]`, and every
//! contest's ballots are then the ballots counted.

use serde_json::{Value, json};

use super::counting::Outcome;
use super::manifest::{Contest, ContestKind, Lang, Manifest};
use super::tally::ElectionResult;
#[cfg(doc)]
use super::tally::EncryptedTally;

/// Each option's share in percent: of the ballots in an approval contest, of the contest's
/// votes otherwise; 0 where the denominator is 0.
pub fn shares(contest: &Contest, counts: &[u64], ballots: u64) -> Vec<f64> {
    let of = if contest.kind == ContestKind::Approval { ballots } else { counts.iter().sum() };
    counts.iter().map(|&c| if of == 0 { 0.0 } else { 100.0 * c as f64 / of as f64 }).collect()
}

/// The turnout per style, where `turnout` has one count per style of `manifest` and there is
/// more than one style; `None` otherwise (one style, or a turnout unknown or of another shape).
fn per_style<'a>(manifest: &Manifest, turnout: &'a [u64]) -> Option<&'a [u64]> {
    let styles = manifest.styles().len();
    (styles > 1 && turnout.len() == styles).then_some(turnout)
}

/// The ballots that carry each contest (manifest order): the sum of the turnout of the styles
/// that carry it; with one style, or without the turnout, the ballots counted.
pub fn contest_ballots(manifest: &Manifest, result: &ElectionResult, turnout: &[u64]) -> Vec<u64> {
    let Some(turnout) = per_style(manifest, turnout) else {
        return vec![result.ballots; manifest.contests.len()];
    };
    let mut ballots = vec![0u64; manifest.contests.len()];
    for (style, n) in manifest.styles().iter().zip(turnout) {
        for &c in &style.contests {
            ballots[c] = ballots[c].saturating_add(*n);
        }
    }
    ballots
}

/// Each style's id and counted ballots, where the manifest has more than one style and
/// `turnout` one count per style; empty otherwise.
pub fn style_turnout<'a>(manifest: &'a Manifest, turnout: &[u64]) -> Vec<(&'a str, u64)> {
    match per_style(manifest, turnout) {
        Some(turnout) => manifest.styles().iter().zip(turnout).map(|(s, n)| (s.id, *n)).collect(),
        None => Vec::new(),
    }
}

/// The seats the outcome gives option `id`, in a party-list contest.
fn seats(outcome: &Outcome, id: &str) -> Option<u32> {
    match outcome {
        Outcome::Seats { seats, .. } => Some(seats.iter().find(|s| s.party == id).map_or(0, |s| s.seats)),
        _ => None,
    }
}

/// The result as one JSON object: the election's id and title, the ballots counted, with
/// several ballot styles `turnout` (an object keyed by style id: its counted ballots), and
/// `contests`, an object keyed by contest id, each with its kind, title, district (where the
/// manifest lists districts), ballots (those that carry it), votes, outcome (as the result
/// event writes it, `specs/record.md`) and `options`, an object keyed by option id
/// (`position` is the option's place in the manifest, from 0), each with its label, count,
/// percent and, in party-list contests, seats. Labels and titles are in all three languages.
/// `turnout` is the tally's per style (`&[]` where unknown: see the module's doc).
pub fn result_json(manifest: &Manifest, result: &ElectionResult, turnout: &[u64]) -> Value {
    let mut contests = serde_json::Map::new();
    let ballots = contest_ballots(manifest, result, turnout);
    for (position, ((contest, r), &ballots)) in manifest.contests.iter().zip(&result.contests).zip(&ballots).enumerate()
    {
        let percents = shares(contest, &r.counts, ballots);
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
        let mut c = json!({
            "position": position,
            "kind": contest.kind,
            "title": contest.title,
            "ballots": ballots,
            "votes": r.counts.iter().sum::<u64>(),
            "outcome": r.outcome,
            "options": options,
        });
        if let Some(district) = &contest.district {
            c["district"] = json!(district);
        }
        contests.insert(contest.id.clone(), c);
    }
    let mut out = json!({
        "election_id": manifest.election_id,
        "title": manifest.title,
        "ballots": result.ballots,
        "contests": contests,
    });
    let styles = style_turnout(manifest, turnout);
    if !styles.is_empty() {
        out["turnout"] = styles.into_iter().map(|(id, n)| (id.to_string(), json!(n))).collect();
    }
    out
}

/// The CSV header line's columns.
pub const CSV_COLUMNS: [&str; 10] =
    ["contest", "kind", "title", "option", "label", "count", "percent", "seats", "district", "ballots"];

/// One field, quoted per RFC 4180 where it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

/// The result as CSV (RFC 4180, `\r\n` line ends): a header ([`CSV_COLUMNS`]), then one row
/// per option in manifest order: contest id, kind, contest title, option id, label (titles
/// and labels in `lang`), count, percent (four decimals, a decimal point), seats (party-list
/// contests only, empty otherwise), the contest's district id (empty where the manifest lists
/// none) and the ballots that carry the contest ([`contest_ballots`]).
pub fn result_csv(manifest: &Manifest, result: &ElectionResult, turnout: &[u64], lang: Lang) -> String {
    let mut out = CSV_COLUMNS.join(",") + "\r\n";
    let ballots = contest_ballots(manifest, result, turnout);
    for ((contest, r), &ballots) in manifest.contests.iter().zip(&result.contests).zip(&ballots) {
        let percents = shares(contest, &r.counts, ballots);
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
                csv_field(contest.district.as_deref().unwrap_or_default()),
                ballots.to_string(),
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
