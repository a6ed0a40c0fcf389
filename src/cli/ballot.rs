//! `dauys ballot`: an election's contests and options, with the ids `dauys vote --choice`
//! takes and how many marks each contest takes.

use std::path::Path;

use dauys::election::manifest::{Lang, Manifest};

use super::{Outcome, fail, read};

pub fn show(board: Option<&str>, ca: Option<&Path>, manifest: Option<&Path>, lang: Lang) -> Outcome {
    let manifest = match (board, manifest) {
        (Some(url), _) => super::remote::connect(url, ca)?.manifest,
        (None, Some(path)) => Manifest::from_json(&read(path)?)?,
        (None, None) => return Err(fail("give --board or --manifest")),
    };
    print!("{}", ballot_text(&manifest, lang));
    Ok(())
}

/// One block per contest: its id and title, how many marks it takes, and each option's id
/// and label.
pub fn ballot_text(manifest: &Manifest, lang: Lang) -> String {
    let mut out = format!("{} ({})\n", manifest.title.get(lang), manifest.election_id);
    for c in &manifest.contests {
        let (lo, hi) = c.sum_bounds();
        let marks = match (lo, hi) {
            (a, b) if a == b => format!("mark {a}"),
            (0, b) => format!("mark up to {b}, or none (`--choice {}=`)", c.id),
            (a, b) => format!("mark {a} to {b}"),
        };
        out.push_str(&format!("\n{}  {} ({}; {marks})\n", c.id, c.title.get(lang), c.kind.name()));
        for o in &c.options {
            out.push_str(&format!("    --choice {}={:<20} {}\n", c.id, o.id, o.label.get(lang)));
        }
    }
    out
}
