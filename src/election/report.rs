//! The results table as people read it, in Kazakh, Russian or English (words from
//! `locales/*/result.ftl`).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::counting::Outcome;
use super::manifest::{Contest, Lang, Manifest};
use super::tally::ElectionResult;
use crate::locale::Words;

/// What a record gives where the published result says otherwise (the verifier's checks 5.4
/// and 6.1), shown beside the published values.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recount {
    /// (contest index, option index) → the count the tally decrypts to, found by the discrete
    /// logarithm the tallier uses, up to the number of ballots counted (`None`: not a count of
    /// at most that many ballots); only for published counts that are not the decryption.
    pub counts: BTreeMap<(usize, usize), Option<u64>>,
    /// Contest index → the outcome the record's counts give (the decrypted counts, where every
    /// one of them was found), for published outcomes that do not follow.
    pub outcomes: BTreeMap<usize, Outcome>,
}

/// The table: per contest, every option with its votes and share (of the ballots in an
/// approval contest, of the votes otherwise: [`super::result_data::shares`]), then the decision.
pub fn result_table(manifest: &Manifest, result: &ElectionResult, lang: Lang) -> String {
    checked_result_table(manifest, result, lang, None)
}

/// The table as the verifier shows it: with `recount`, the published result is not confirmed,
/// and what the record gives stands beside each published value it contradicts.
pub fn checked_result_table(
    manifest: &Manifest,
    result: &ElectionResult,
    lang: Lang,
    recount: Option<&Recount>,
) -> String {
    let w = Words::of(lang);
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", w.get("result-ballots"), result.ballots);
    for (ci, (contest, r)) in manifest.contests.iter().zip(&result.contests).enumerate() {
        let _ = writeln!(out, "\n{}", contest.title.get(lang));
        let seats_of = |id: &str| match &r.outcome {
            Outcome::Seats { seats, .. } => seats.iter().find(|s| s.party == id).map(|s| s.seats),
            _ => None,
        };
        let shares = super::result_data::shares(contest, &r.counts, result.ballots);
        // Each column as wide as its widest cell, so that long words keep the table aligned.
        let rows: Vec<[String; 5]> = contest
            .options
            .iter()
            .zip(&r.counts)
            .zip(shares)
            .map(|((option, &count), share)| {
                let seats = seats_of(&option.id)
                    .map(|s| format!("{s:>3} {}", w.with("result-seats", &[("n", s.into())])))
                    .unwrap_or_default();
                [
                    option.label.get(lang).to_string(),
                    count.to_string(),
                    w.with("result-votes", &[("n", count.into())]),
                    format!("{} %", w.decimal(share, 2)),
                    seats,
                ]
            })
            .collect();
        let width = |k: usize| rows.iter().map(|r| r[k].chars().count()).max().unwrap_or(0);
        let (w0, w1, w2, w3) = (width(0), width(1), width(2), width(3));
        for (o, [label, count, votes, share, seats]) in rows.iter().enumerate() {
            let mut line = format!("  {label:<w0$}  {count:>w1$} {votes:<w2$}  {share:>w3$}");
            if !seats.is_empty() {
                let _ = write!(line, "  {seats}");
            }
            if let Some(gives) = recount.and_then(|x| x.counts.get(&(ci, o))) {
                let value = gives.map_or_else(|| "?".to_string(), |n| n.to_string());
                let _ = write!(line, "   ← {}", w.with("result-record-gives", &[("value", value.into())]));
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        let _ = write!(out, "  → {}", decision(contest, &r.outcome, lang));
        if let Some(other) = recount.and_then(|x| x.outcomes.get(&ci)) {
            let value = decision(contest, other, lang);
            let _ = write!(out, "   ← {}", w.with("result-record-gives", &[("value", value.into())]));
        }
        out.push('\n');
    }
    out
}

/// An outcome in words, with the options' labels.
pub fn decision(contest: &Contest, outcome: &Outcome, lang: Lang) -> String {
    let w = Words::of(lang);
    let label = |id: &str| {
        contest.options.iter().find(|o| o.id == id).map_or(id.to_string(), |o| o.label.get(lang).to_string())
    };
    match outcome {
        Outcome::Referendum { adopted: true } => w.get("result-adopted"),
        Outcome::Referendum { adopted: false } => w.get("result-rejected"),
        Outcome::Elected { winner } => w.with("result-elected", &[("name", label(winner).into())]),
        Outcome::Runoff { candidates } => w.with(
            "result-runoff",
            &[("first", label(&candidates[0]).into()), ("second", label(&candidates[1]).into())],
        ),
        Outcome::NotElected => w.get("result-not-elected"),
        Outcome::Winners { winners } => {
            let names = winners.iter().map(|x| label(x)).collect::<Vec<_>>().join(", ");
            w.with("result-winners", &[("names", names.into())])
        }
        Outcome::Seats { passed, .. } if passed.is_empty() => w.get("result-no-party"),
        Outcome::Seats { passed, .. } => w.with("result-passed", &[("n", passed.len().into())]),
    }
}
