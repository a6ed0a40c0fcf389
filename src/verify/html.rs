//! The archivable report: one self-contained HTML page (no network, no script; inline CSS and
//! SVG) with the verdict, the results with bars and, for party lists, the seats as a
//! hemicycle, grouped by district; every check with what it confirms for a non-expert and what
//! was found; the SHA-256 of each record file; the verifier's version and command line. It
//! prints to PDF as it shows. Words from `locales/*/page.ftl` and the other report files.
//!
//! Everything taken from the record (titles, labels, ids, failures) is escaped: a hostile
//! manifest cannot put markup into the page.

use std::fmt::Write;

use super::checks::Status;
use super::engine::{Report, Verdict};
use crate::election::counting::Outcome;
use crate::election::manifest::{Contest, Lang, Manifest};
use crate::election::report::{Recount, decision, district_groups, district_heading};
use crate::election::result_data::{contest_ballots, shares};
use crate::election::tally::{ContestResult, ElectionResult};
use crate::locale::{Words, tag};

/// What the page says about where it came from.
pub struct Provenance<'a> {
    /// Each record file and its SHA-256.
    pub files: &'a [(String, [u8; 32])],
    /// `dauys-verify` and its version.
    pub verifier: &'a str,
    /// The command line that made the page.
    pub command: &'a str,
}

/// The most seats drawn as a hemicycle (a chamber of 145 is the largest dauys knows of); a
/// published result with more has none.
pub const MAX_HEMICYCLE_SEATS: u64 = 1000;

/// Party colours of the bars and the hemicycle, in manifest order (then again).
const PALETTE: [&str; 10] =
    ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

const STYLE: &str = "body{font-family:system-ui,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;margin:2em auto;\
max-width:60em;padding:0 1em;color:#111}h1{font-size:1.5em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{padding:.25em .5em;text-align:left;\
vertical-align:top;border-bottom:1px solid #eee}td.n{text-align:right;white-space:nowrap}\
.verdict{padding:.8em 1em;font-size:1.2em;font-weight:bold;border-radius:.3em}.valid{background:#dff3df;\
border:2px solid #2e7d32}.invalid{background:#fde0e0;border:2px solid #c62828}.incomplete{background:#fff4d6;\
border:2px solid #b26a00}.warn{color:#c62828;font-weight:bold}.gives{color:#c62828}.passed{color:#2e7d32}\
.failed{color:#c62828;font-weight:bold}.not_run{color:#b26a00}code{font-size:.85em;word-break:break-all}\
section.contest{page-break-inside:avoid;break-inside:avoid}tr{page-break-inside:avoid;break-inside:avoid}\
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid;break-after:avoid}}";

/// `text` with `&`, `<`, `>`, `"` and `'` escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole page.
pub fn page(report: &Report, lang: Lang, provenance: &Provenance<'_>) -> String {
    let w = Words::of(lang);
    let s = &report.summary;
    let mut out = String::new();
    let title = s.manifest.as_ref().map(|m| format!("{} ({})", m.title.get(lang), m.election_id));
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} — {}</title><style>{STYLE}</style>\
         </head><body>\n",
        tag(lang),
        escape(&w.get("page-title")),
        escape(title.as_deref().unwrap_or("dauys"))
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape(title.as_deref().unwrap_or(&w.get("page-title"))));
    let verdict = report.verdict();
    let (class, words) = match verdict {
        Verdict::Valid => ("valid", w.get("verdict-valid")),
        Verdict::Invalid => ("invalid", w.get("verdict-invalid")),
        Verdict::Incomplete => {
            ("incomplete", w.with("verdict-incomplete", &[("last", report.last_event().unwrap_or(0).into())]))
        }
    };
    let _ = writeln!(out, "<p class=\"verdict {class}\" id=\"verdict\">{}</p>", escape(&words));

    let _ = writeln!(out, "<h2>{}</h2><table>", escape(&w.get("page-summary")));
    let passed = report.checks.iter().filter(|c| c.passed()).count();
    let total = report.checks.len();
    let rows = [
        (w.get("summary-cast"), s.cast.to_string()),
        (w.get("summary-counted"), s.counted.to_string()),
        (w.get("summary-superseded"), s.superseded.to_string()),
        (w.get("summary-challenged"), s.spoiled.to_string()),
        (w.get("summary-decrypted"), s.decrypted_by.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")),
    ];
    for (k, v) in rows {
        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", escape(&k), escape(&v));
    }
    let checks_line = w.with("checks-passed", &[("passed", passed.into()), ("total", total.into())]);
    let _ = writeln!(out, "</table><p>{}</p>", escape(&checks_line));

    if let (Some(m), Some(r)) = (&s.manifest, &s.result)
        && r.contests.len() == m.contests.len()
    {
        let recount = (verdict != Verdict::Valid).then_some(&s.recount);
        results(&mut out, m, r, &s.turnout, lang, recount);
    }
    checks(&mut out, report, lang);
    let _ = writeln!(out, "<h2>{}</h2><table>", escape(&w.get("page-files")));
    let _ =
        writeln!(out, "<tr><th>{}</th><th>{}</th></tr>", escape(&w.get("page-file")), escape(&w.get("page-sha256")));
    for (name, hash) in provenance.files {
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        let _ = writeln!(out, "<tr><td>{}</td><td><code>{hex}</code></td></tr>", escape(name));
    }
    let _ = writeln!(
        out,
        "</table><p>{}: {}<br>{}: <code>{}</code></p>\n</body></html>",
        escape(&w.get("page-verifier")),
        escape(provenance.verifier),
        escape(&w.get("page-command")),
        escape(provenance.command)
    );
    out
}

/// The results, grouped by district (national first, in manifest order), each contest a table
/// with bars, and a hemicycle for the seats of a party list.
/// `turnout`: the counted ballots per ballot style (empty with one style), for each district's
/// count and each contest's shares of the ballots that carry it.
fn results(
    out: &mut String,
    manifest: &Manifest,
    result: &ElectionResult,
    turnout: &[u64],
    lang: Lang,
    recount: Option<&Recount>,
) {
    let w = Words::of(lang);
    let _ = writeln!(out, "<h2>{}</h2>", escape(&w.get("page-results")));
    if recount.is_some() {
        let _ = writeln!(out, "<p class=\"warn\" id=\"not-confirmed\">{}</p>", escape(&w.get("result-not-confirmed")));
    }
    let _ = writeln!(out, "<p>{}: {}</p>", escape(&w.get("result-ballots")), result.ballots);
    let ballots = contest_ballots(manifest, result, turnout);
    for group in district_groups(manifest) {
        if let Some(heading) = district_heading(manifest, result, turnout, &group, lang) {
            let _ = writeln!(out, "<h3>{}</h3>", escape(&heading));
        }
        for ci in group.contests {
            contest_section(out, &manifest.contests[ci], &result.contests[ci], ballots[ci], ci, lang, recount);
        }
    }
}

fn contest_section(
    out: &mut String,
    contest: &Contest,
    r: &ContestResult,
    ballots: u64,
    ci: usize,
    lang: Lang,
    recount: Option<&Recount>,
) {
    let w = Words::of(lang);
    let _ = writeln!(out, "<section class=\"contest\"><h4>{}</h4><table>", escape(contest.title.get(lang)));
    let seats_of = |id: &str| match &r.outcome {
        Outcome::Seats { seats, .. } => seats.iter().find(|s| s.party == id).map(|s| s.seats),
        _ => None,
    };
    let party_list = matches!(r.outcome, Outcome::Seats { .. });
    let _ = write!(
        out,
        "<tr><th>{}</th><th>{}</th><th>{}</th><th></th>",
        escape(&w.get("page-option")),
        escape(&w.get("page-votes")),
        escape(&w.get("page-share"))
    );
    if party_list {
        let _ = write!(out, "<th>{}</th>", escape(&w.get("page-seats")));
    }
    let _ = writeln!(out, "</tr>");
    let shares = shares(contest, &r.counts, ballots);
    for (o, ((option, &count), share)) in contest.options.iter().zip(&r.counts).zip(shares).enumerate() {
        let colour = PALETTE[o % PALETTE.len()];
        let mut votes = count.to_string();
        if let Some(gives) = recount.and_then(|x| x.counts.get(&(ci, o))) {
            let value = gives.map_or_else(|| "?".to_string(), |n| n.to_string());
            let note = w.with("result-record-gives", &[("value", value.into())]);
            let _ = write!(votes, " <span class=\"gives\">← {}</span>", escape(&note));
        }
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{votes}</td><td class=\"n\">{} %</td><td><svg width=\"200\" height=\"12\" \
             role=\"img\"><rect width=\"200\" height=\"12\" fill=\"#eee\"/><rect width=\"{:.1}\" height=\"12\" \
             fill=\"{colour}\"/></svg></td>",
            escape(option.label.get(lang)),
            escape(&w.decimal(share, 2)),
            (2.0 * share).clamp(0.0, 200.0)
        );
        if party_list {
            let _ =
                write!(out, "<td class=\"n\">{}</td>", seats_of(&option.id).map(|s| s.to_string()).unwrap_or_default());
        }
        let _ = writeln!(out, "</tr>");
    }
    let _ = write!(out, "</table><p>→ <b>{}</b>", escape(&decision(contest, &r.outcome, lang)));
    if let Some(other) = recount.and_then(|x| x.outcomes.get(&ci)) {
        let note = w.with("result-record-gives", &[("value", decision(contest, other, lang).into())]);
        let _ = write!(out, " <span class=\"gives\">← {}</span>", escape(&note));
    }
    let _ = writeln!(out, "</p>");
    if let Outcome::Seats { seats, .. } = &r.outcome {
        let allocation: Vec<(u32, &str)> = contest
            .options
            .iter()
            .enumerate()
            .filter_map(|(o, option)| {
                seats.iter().find(|s| s.party == option.id).map(|s| (s.seats, PALETTE[o % PALETTE.len()]))
            })
            .collect();
        out.push_str(&hemicycle(&allocation));
    }
    let _ = writeln!(out, "</section>");
}

/// The seats as a hemicycle: one dot per seat on concentric arcs, parties from left to right
/// in the order given, each in its colour.
///
/// Rows `i = 0 … R−1` have radii `r_i = 0.4 + 0.6·i/(R−1)` (one row: `r = 1`) and seats in
/// proportion to their radii (so dots are evenly spaced along every arc); the seats of all rows
/// are then taken in order of their angle, from π (left) to 0 (right), and dealt to the parties.
pub fn hemicycle(allocation: &[(u32, &str)]) -> String {
    // A published result is the record's claim: a forged one may give billions of seats.
    let n = allocation.iter().map(|(s, _)| u64::from(*s)).sum::<u64>();
    if n == 0 || n > MAX_HEMICYCLE_SEATS {
        return String::new();
    }
    let n = n as u32;
    let rows = ((f64::from(n) / 4.0).sqrt().ceil() as usize).clamp(1, 20);
    let radius = |i: usize| if rows == 1 { 1.0 } else { 0.4 + 0.6 * i as f64 / (rows - 1) as f64 };
    let total: f64 = (0..rows).map(radius).sum();
    let mut per_row: Vec<u32> = (0..rows).map(|i| (f64::from(n) * radius(i) / total).floor() as u32).collect();
    // The seats that rounding down left over go to the outer rows.
    let mut left = n - per_row.iter().sum::<u32>();
    for k in (0..rows).rev().cycle() {
        if left == 0 {
            break;
        }
        per_row[k] += 1;
        left -= 1;
    }
    let mut dots: Vec<(f64, f64, f64)> = Vec::with_capacity(n as usize);
    for (i, &count) in per_row.iter().enumerate() {
        for j in 0..count {
            let angle = if count == 1 {
                std::f64::consts::FRAC_PI_2
            } else {
                std::f64::consts::PI * (1.0 - f64::from(j) / f64::from(count - 1))
            };
            dots.push((angle, radius(i) * angle.cos(), radius(i) * angle.sin()));
        }
    }
    dots.sort_by(|a, b| b.0.total_cmp(&a.0));
    let spacing = per_row
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 1)
        .map(|(i, c)| std::f64::consts::PI * radius(i) / f64::from(c - 1))
        .fold(if rows > 1 { 0.6 / (rows - 1) as f64 } else { 1.0 }, f64::min);
    let dot = (spacing * 0.4).min(0.08);
    let mut svg = String::from(
        "<svg viewBox=\"-1.1 -1.1 2.2 1.2\" width=\"360\" height=\"196\" role=\"img\" class=\"hemicycle\">",
    );
    let mut colours = allocation.iter().flat_map(|(s, c)| std::iter::repeat_n(*c, *s as usize));
    for (_, x, y) in dots {
        let colour = colours.next().unwrap_or("#999");
        let _ = write!(svg, "<circle cx=\"{x:.4}\" cy=\"{:.4}\" r=\"{dot:.4}\" fill=\"{colour}\"/>", -y);
    }
    let _ = write!(svg, "<text x=\"0\" y=\"-0.02\" text-anchor=\"middle\" font-size=\"0.25\">{n}</text></svg>");
    svg
}

/// Every check: number, outcome, what it confirms, what was found.
fn checks(out: &mut String, report: &Report, lang: Lang) {
    let w = Words::of(lang);
    let _ = writeln!(
        out,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        escape(&w.get("page-checks")),
        escape(&w.get("page-check")),
        escape(&w.get("page-outcome")),
        escape(&w.get("page-what")),
        escape(&w.get("page-found"))
    );
    for c in &report.checks {
        let (class, mark) = match c.status() {
            Status::Passed => ("passed", w.get("check-passed")),
            Status::Failed => ("failed", w.get("check-failed")),
            Status::NotRun(_) => ("not_run", w.get("check-not-run")),
        };
        let id = c.check.id();
        let explain = w.get(&format!("explain-{}", id.replace('.', "-")));
        let meaning = if c.failed() {
            format!("<br><b>{}:</b> {}", escape(&w.get("meaning")), escape(&w.get(&c.check.meaning_id())))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "<tr id=\"check-{id}\"><td>{id}</td><td class=\"{class}\">{}</td><td><b>{}</b><br>{}</td><td>{}{meaning}</td></tr>",
            escape(&mark),
            escape(&c.check.name(lang)),
            escape(&explain),
            escape(&c.detail_in(lang))
        );
    }
    let _ = writeln!(out, "</table>");
}
