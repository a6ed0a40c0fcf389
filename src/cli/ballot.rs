//! `dauys ballot`: an election's contests and options, with the ids `dauys vote --choice`
//! takes and how many marks each contest takes.

use std::path::Path;

use dauys::election::manifest::{Lang, Manifest};

use super::{Outcome, fail, read, words};
use dauys::locale::Words;
use fluent_bundle::FluentValue;

pub fn show(board: Option<&str>, ca: Option<&Path>, manifest: Option<&Path>, lang: Lang) -> Outcome {
    let manifest = match (board, manifest) {
        (Some(url), _) => super::remote::connect(url, ca)?.manifest,
        (None, Some(path)) => Manifest::from_json(&read(path)?)?,
        (None, None) => return Err(fail(t!("ballot-give-source"))),
    };
    print!("{}", ballot_text(&manifest, lang));
    Ok(())
}

/// One block per contest: its id and title, how many marks it takes, and each option's id
/// and label.
pub fn ballot_text(manifest: &Manifest, lang: Lang) -> String {
    let words = Words::of(lang);
    let say = |id: &str, args: &[(&str, FluentValue)]| words.with(id, args);
    let mut out = format!("{} ({})\n", manifest.title.get(lang), manifest.election_id);
    for c in &manifest.contests {
        let (lo, hi) = c.sum_bounds();
        let marks = match (lo, hi) {
            (a, b) if a == b => say("ballot-marks-exactly", &[("n", a.into())]),
            (0, b) => say("ballot-marks-up-to", &[("n", b.into()), ("contest", c.id.as_str().into())]),
            (a, b) => say("ballot-marks-between", &[("min", a.into()), ("max", b.into())]),
        };
        let kind = say("ballot-kind", &[("kind", c.kind.name().into())]);
        out.push_str(&format!("\n{}  {} ({kind}; {marks})\n", c.id, c.title.get(lang)));
        for o in &c.options {
            out.push_str(&format!("    --choice {}={:<20} {}\n", c.id, o.id, o.label.get(lang)));
        }
    }
    out
}
