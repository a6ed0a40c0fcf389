//! The results table as people read it, in Kazakh, Russian or English (words from
//! `locales/*/result.ftl`): with districts, the contests grouped under their district's title
//! (the national district first, then the others in manifest order), each with the ballots
//! that carry its contests, and the turnout per ballot style.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::counting::Outcome;
use super::manifest::{Contest, DistrictKind, Lang, Manifest};
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

/// The contests of one district, for reports: `district` is its id (`None` for a manifest
/// without districts, whose contests form one group without a title).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictGroup<'a> {
    pub district: Option<&'a str>,
    /// Manifest indices of its contests, ascending.
    pub contests: Vec<usize>,
}

/// The contests grouped by district: the national district first, then the others in the
/// order of their first contest in the manifest (`specs/record.md` §2.6). The text table, the
/// verifier's page and `dauys result` all group this way.
pub fn district_groups(manifest: &Manifest) -> Vec<DistrictGroup<'_>> {
    let mut groups: Vec<DistrictGroup<'_>> = Vec::new();
    for (ci, contest) in manifest.contests.iter().enumerate() {
        let district = contest.district.as_deref();
        match groups.iter_mut().find(|g| g.district == district) {
            Some(g) => g.contests.push(ci),
            None => groups.push(DistrictGroup { district, contests: vec![ci] }),
        }
    }
    let national = |g: &DistrictGroup<'_>| {
        manifest
            .districts
            .iter()
            .flatten()
            .any(|d| Some(d.id.as_str()) == g.district && d.kind == DistrictKind::National)
    };
    // A stable sort: the national group first, the others keep their order.
    groups.sort_by_key(|g| !national(g));
    groups
}

/// A district's title in `lang` (its id where the manifest has no such district).
pub fn district_title(manifest: &Manifest, id: &str, lang: Lang) -> String {
    manifest
        .districts
        .iter()
        .flatten()
        .find(|d| d.id == id)
        .map_or_else(|| id.to_string(), |d| d.title.get(lang).to_string())
}

/// The ballots of each group: those of the styles that carry at least one of its contests
/// (with one style or without the turnout, the ballots counted).
/// A district's heading in the reports, "Title — ballots counted: N"; none for the contests of
/// a manifest without districts.
pub fn district_heading(
    manifest: &Manifest,
    result: &ElectionResult,
    turnout: &[u64],
    group: &DistrictGroup<'_>,
    lang: Lang,
) -> Option<String> {
    let title = district_title(manifest, group.district?, lang);
    let n = group_ballots(manifest, result, turnout, group);
    Some(format!("{title} — {}: {n}", Words::of(lang).get("result-ballots")))
}

pub fn group_ballots(manifest: &Manifest, result: &ElectionResult, turnout: &[u64], group: &DistrictGroup<'_>) -> u64 {
    let styles = super::result_data::style_turnout(manifest, turnout);
    if styles.is_empty() {
        return result.ballots;
    }
    manifest
        .styles()
        .iter()
        .zip(&styles)
        .filter(|(style, _)| style.contests.iter().any(|c| group.contests.contains(c)))
        .fold(0u64, |sum, (_, (_, n))| sum.saturating_add(*n))
}

/// The district a style is for: the deepest district (the most ancestors) among its contests'
/// (a Mazhilis style: its single-member district, not the national one).
pub fn style_district<'a>(manifest: &'a Manifest, contests: &[usize]) -> Option<&'a str> {
    let districts = manifest.districts.as_deref()?;
    let depth = |id: &str| {
        let mut depth = 0;
        let mut at = districts.iter().find(|d| d.id == id);
        while let Some(parent) = at.and_then(|d| d.parent.as_deref())
            && depth <= districts.len()
        {
            depth += 1;
            at = districts.iter().find(|d| d.id == parent);
        }
        depth
    };
    let mut best: Option<(&str, usize)> = None;
    for &c in contests {
        if let Some(id) = manifest.contests.get(c).and_then(|c| c.district.as_deref()) {
            let d = depth(id);
            if best.is_none_or(|(_, b)| d > b) {
                best = Some((id, d));
            }
        }
    }
    best.map(|(id, _)| id)
}

/// The table: the ballots counted and, with several styles, the turnout of each; then per
/// district (where the manifest lists districts) its contests, each with every option, its
/// votes and share (of the ballots that carry the contest in an approval contest, of the votes
/// otherwise: [`super::result_data::shares`]), then the decision. `turnout` is the tally's per
/// style (`EncryptedTally::turnout_per_style`; `&[]` where unknown).
pub fn result_table(manifest: &Manifest, result: &ElectionResult, turnout: &[u64], lang: Lang) -> String {
    checked_result_table(manifest, result, turnout, lang, None)
}

/// The table as the verifier shows it: with `recount`, the published result is not confirmed,
/// and what the record gives stands beside each published value it contradicts.
pub fn checked_result_table(
    manifest: &Manifest,
    result: &ElectionResult,
    turnout: &[u64],
    lang: Lang,
    recount: Option<&Recount>,
) -> String {
    let w = Words::of(lang);
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", w.get("result-ballots"), result.ballots);
    let styles = super::result_data::style_turnout(manifest, turnout);
    if !styles.is_empty() {
        let _ = writeln!(out, "{}:", w.get("result-turnout"));
        let all = manifest.styles();
        let rows: Vec<(String, String, String)> = all
            .iter()
            .zip(&styles)
            .map(|(style, (id, n))| {
                let place = style_district(manifest, &style.contests)
                    .map(|d| district_title(manifest, d, lang))
                    .unwrap_or_default();
                (w.with("result-style", &[("id", (*id).into())]), place, n.to_string())
            })
            .collect();
        let width =
            |f: fn(&(String, String, String)) -> &String| rows.iter().map(|r| f(r).chars().count()).max().unwrap_or(0);
        let (w0, w1, w2) = (width(|r| &r.0), width(|r| &r.1), width(|r| &r.2));
        for (style, place, n) in &rows {
            let _ = writeln!(out, "{}", format!("  {style:<w0$}  {place:<w1$}  {n:>w2$}").trim_end());
        }
    }
    let ballots = super::result_data::contest_ballots(manifest, result, turnout);
    for group in district_groups(manifest) {
        if let Some(heading) = district_heading(manifest, result, turnout, &group, lang) {
            let _ = writeln!(out, "\n{heading}\n{}", "=".repeat(heading.chars().count()));
        }
        for ci in group.contests {
            let (Some(contest), Some(r)) = (manifest.contests.get(ci), result.contests.get(ci)) else { continue };
            contest_table(&mut out, contest, r, ballots[ci], ci, lang, recount);
        }
    }
    out
}

/// One contest of the table: its title, a line per option, the decision.
fn contest_table(
    out: &mut String,
    contest: &Contest,
    r: &super::tally::ContestResult,
    ballots: u64,
    ci: usize,
    lang: Lang,
    recount: Option<&Recount>,
) {
    let w = Words::of(lang);
    let _ = writeln!(out, "\n{}", contest.title.get(lang));
    let seats_of = |id: &str| match &r.outcome {
        Outcome::Seats { seats, .. } => seats.iter().find(|s| s.party == id).map(|s| s.seats),
        _ => None,
    };
    let shares = super::result_data::shares(contest, &r.counts, ballots);
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
            w.with("result-winners", &[("names", names.into()), ("count", winners.len().into())])
        }
        Outcome::Seats { passed, .. } if passed.is_empty() => w.get("result-no-party"),
        Outcome::Seats { passed, .. } => w.with("result-passed", &[("n", passed.len().into())]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::election::counting::PartySeats;
    use crate::election::tally::ContestResult;

    /// The demo manifest (national contests, then two districts) with the national district
    /// listed last and its contests after the districts', and a result for it.
    fn reordered() -> (Manifest, ElectionResult) {
        let mut m = Manifest::from_json(include_str!("../../specs/examples/demo-manifest.json")).unwrap();
        m.contests.rotate_left(3);
        m.districts.as_mut().unwrap().rotate_left(1);
        for s in m.ballot_styles.as_mut().unwrap() {
            s.contests.rotate_left(3);
        }
        m.validate().unwrap();
        let result = ElectionResult {
            ballots: 10,
            contests: m
                .contests
                .iter()
                .map(|c| {
                    let mut counts = vec![0; c.options.len()];
                    counts[0] = if c.district.as_deref() == Some("kz") { 10 } else { 5 };
                    let outcome = match c.kind {
                        crate::election::manifest::ContestKind::PartyList => Outcome::Seats {
                            passed: vec![c.options[0].id.clone()],
                            seats: vec![PartySeats { party: c.options[0].id.clone(), seats: 69 }],
                        },
                        _ => Outcome::Winners { winners: vec![c.options[0].id.clone()] },
                    };
                    ContestResult { counts, id: c.id.clone(), outcome }
                })
                .collect(),
        };
        (m, result)
    }

    #[test]
    fn the_national_district_comes_first_and_the_others_keep_their_order() {
        let (m, _) = reordered();
        let groups = district_groups(&m);
        let ids: Vec<Option<&str>> = groups.iter().map(|g| g.district).collect();
        assert_eq!(ids, [Some("kz"), Some("d01"), Some("d02")]);
        assert_eq!(groups[0].contests, [2, 3, 4]);
        let national = Manifest::from_json(include_str!("../../specs/examples/national-manifest.json")).unwrap();
        assert_eq!(district_groups(&national), [DistrictGroup { district: None, contests: vec![0, 1, 2] }]);
    }

    #[test]
    fn the_table_shows_each_district_with_its_ballots_and_the_turnout_per_style() {
        let (m, result) = reordered();
        let text = result_table(&m, &result, &[6, 4], Lang::En);
        let at = |needle: &str| text.find(needle).unwrap_or_else(|| panic!("no {needle:?} in:\n{text}"));
        assert!(at("ballots counted per ballot style:") < at("ballot style d01  Single-member district No. 1  6"));
        assert!(text.contains("ballot style d02  Single-member district No. 2  4"), "{text}");
        let national = at("Republic of Kazakhstan — ballots counted: 10");
        assert!(national < at("Single-member district No. 1 — ballots counted: 6"));
        assert!(
            at("Single-member district No. 1 — ballots counted: 6")
                < at("Single-member district No. 2 — ballots counted: 4")
        );
        assert!(national < at("Do you approve") && at("Do you approve") < at("Mazhilis, single-member district No. 1"));
        // In Russian, with the words of the locale files.
        let ru = result_table(&m, &result, &[6, 4], Lang::Ru);
        assert!(ru.contains("учтено бюллетеней по видам бюллетеня") && ru.contains("вид бюллетеня d01"), "{ru}");
        assert!(ru.contains("Одномандатный избирательный округ № 2 — учтено бюллетеней: 4"), "{ru}");
        // Without the turnout (or one of another shape): no turnout, every group of all ballots.
        for turnout in [&[][..], &[10][..]] {
            let text = result_table(&m, &result, turnout, Lang::En);
            assert!(!text.contains("per ballot style") && text.contains("No. 2 — ballots counted: 10"), "{text}");
        }
    }

    /// One winner is "elected" (ru «избран(а)», kk «сайланды»); several are "winners".
    #[test]
    fn one_winner_is_elected_several_are_winners() {
        let (m, _) = reordered();
        let c = m.contests.iter().find(|c| c.id == "district-01").unwrap();
        let one = Outcome::Winners { winners: vec![c.options[1].id.clone()] };
        let two = Outcome::Winners { winners: vec![c.options[1].id.clone(), c.options[2].id.clone()] };
        assert_eq!(decision(c, &one, Lang::En), "elected: Candidate B");
        assert!(decision(c, &two, Lang::En).starts_with("winners: Candidate B, "), "{}", decision(c, &two, Lang::En));
        assert!(decision(c, &one, Lang::Ru).starts_with("избран(а): "), "{}", decision(c, &one, Lang::Ru));
        assert!(decision(c, &two, Lang::Ru).starts_with("избраны: "), "{}", decision(c, &two, Lang::Ru));
        assert!(decision(c, &one, Lang::Kk).starts_with("сайланды: "), "{}", decision(c, &one, Lang::Kk));
    }

    #[test]
    fn a_manifest_without_districts_has_no_headings() {
        let m = Manifest::from_json(include_str!("../../specs/examples/national-manifest.json")).unwrap();
        let result = ElectionResult {
            ballots: 1,
            contests: m
                .contests
                .iter()
                .map(|c| ContestResult {
                    counts: (0..c.options.len()).map(|i| u64::from(i == 0)).collect(),
                    id: c.id.clone(),
                    outcome: Outcome::Winners { winners: vec![c.options[0].id.clone()] },
                })
                .collect(),
        };
        let text = result_table(&m, &result, &[1], Lang::En);
        assert!(text.starts_with("ballots counted: 1\n\nDo you approve"), "{text}");
        assert!(!text.contains('='), "{text}");
    }

    #[test]
    fn an_approval_contest_s_shares_are_of_the_ballots_of_its_styles() {
        let (mut m, mut result) = reordered();
        // District 2's contest as an approval contest: 3 of its 4 ballots approve candidate A.
        let c = m.contest_index("district-02").unwrap();
        m.contests[c].kind = crate::election::manifest::ContestKind::Approval;
        m.contests[c].min = Some(0);
        m.contests[c].max = Some(2);
        m.contests[c].options.retain(|o| !o.against_all);
        m.validate().unwrap();
        result.contests[c].counts = vec![3, 1, 0];
        assert_eq!(crate::election::result_data::contest_ballots(&m, &result, &[6, 4]), [6, 4, 10, 10, 10]);
        let json = crate::election::result_data::result_json(&m, &result, &[6, 4]);
        assert_eq!(json["contests"]["district-02"]["options"]["candidate-a"]["percent"], 75.0);
        assert_eq!(json["turnout"], serde_json::json!({"d01": 6, "d02": 4}));
    }
}
