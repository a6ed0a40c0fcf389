//! The results table as people read it, in Kazakh, Russian or English.

use std::fmt::Write;

use super::counting::Outcome;
use super::manifest::{Lang, Manifest};
use super::tally::ElectionResult;

struct Words {
    ballots: &'static str,
    votes: &'static str,
    seats: &'static str,
    adopted: &'static str,
    rejected: &'static str,
    elected: &'static str,
    runoff: &'static str,
    not_elected: &'static str,
    winners: &'static str,
    passed: &'static str,
    no_party: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            ballots: "ballots counted",
            votes: "votes",
            seats: "seats",
            adopted: "ADOPTED",
            rejected: "NOT ADOPTED",
            elected: "elected",
            runoff: "runoff between",
            not_elected: "nobody elected",
            winners: "winners",
            passed: "over the threshold",
            no_party: "no party passed the threshold",
        },
        Lang::Kk => Words {
            ballots: "есептелген бюллетеньдер",
            votes: "дауыс",
            seats: "орын",
            adopted: "ҚАБЫЛДАНДЫ",
            rejected: "ҚАБЫЛДАНБАДЫ",
            elected: "сайланды",
            runoff: "қайта дауыс беру",
            not_elected: "ешкім сайланған жоқ",
            winners: "жеңімпаздар",
            passed: "шектен өтті",
            no_party: "ешбір партия шектен өтпеді",
        },
        Lang::Ru => Words {
            ballots: "учтено бюллетеней",
            votes: "голосов",
            seats: "мест",
            adopted: "ПРИНЯТО",
            rejected: "НЕ ПРИНЯТО",
            elected: "избран",
            runoff: "второй тур",
            not_elected: "никто не избран",
            winners: "победители",
            passed: "прошли порог",
            no_party: "ни одна партия не прошла порог",
        },
    }
}

/// The table: per contest, every option with its votes and share (of the ballots in an
/// approval contest, of the votes otherwise: [`super::result_data::shares`]), then the decision.
pub fn result_table(manifest: &Manifest, result: &ElectionResult, lang: Lang) -> String {
    let w = words(lang);
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", w.ballots, result.ballots);
    for (contest, r) in manifest.contests.iter().zip(&result.contests) {
        let label = |id: &str| {
            contest.options.iter().find(|o| o.id == id).map_or(id.to_string(), |o| o.label.get(lang).to_string())
        };
        let seats_of = |id: &str| match &r.outcome {
            Outcome::Seats { seats, .. } => seats.iter().find(|s| s.party == id).map(|s| s.seats),
            _ => None,
        };
        let _ = writeln!(out, "\n{}", contest.title.get(lang));
        let shares = super::result_data::shares(contest, &r.counts, result.ballots);
        for ((option, count), share) in contest.options.iter().zip(&r.counts).zip(shares) {
            let seats = seats_of(&option.id).map(|s| format!("  {s:>3} {}", w.seats)).unwrap_or_default();
            let _ = writeln!(out, "  {:<32} {:>10} {} {:>6.2} %{seats}", option.label.get(lang), count, w.votes, share);
        }
        let decision = match &r.outcome {
            Outcome::Referendum { adopted } => (if *adopted { w.adopted } else { w.rejected }).to_string(),
            Outcome::Elected { winner } => format!("{}: {}", w.elected, label(winner)),
            Outcome::Runoff { candidates } => {
                format!("{}: {} — {}", w.runoff, label(&candidates[0]), label(&candidates[1]))
            }
            Outcome::NotElected => w.not_elected.to_string(),
            Outcome::Winners { winners } => {
                format!("{}: {}", w.winners, winners.iter().map(|x| label(x)).collect::<Vec<_>>().join(", "))
            }
            Outcome::Seats { passed, .. } if passed.is_empty() => w.no_party.to_string(),
            Outcome::Seats { passed, .. } => format!("{} {}", passed.len(), w.passed),
        };
        let _ = writeln!(out, "  → {decision}");
    }
    out
}
