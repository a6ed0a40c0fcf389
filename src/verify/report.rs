//! The verifier's report: for people (summary first, then every check) and for machines.

use std::fmt::Write;

use serde_json::json;

use super::checks::{JsonCheck, Status};
use super::engine::{Report, Verdict};
use crate::election::manifest::Lang;
use crate::election::report::checked_result_table;
use crate::locale::Words;

/// The report for people: the verdict, the summary, the results table (marked as not
/// confirmed, with what the record gives beside each contradicted value, when a check failed),
/// then every check. Words from `locales/*/verifier.ftl`.
pub fn text(report: &Report, lang: Lang) -> String {
    let w = Words::of(lang);
    let s = &report.summary;
    let mut out = String::new();
    if let Some(m) = &s.manifest {
        let _ = writeln!(out, "{} ({})", m.title.get(lang), m.election_id);
    }
    let passed = report.checks.iter().filter(|c| c.passed()).count();
    let verdict = report.verdict();
    let _ = match verdict {
        Verdict::Valid => writeln!(out, "{}", w.get("verdict-valid")),
        Verdict::Invalid => writeln!(out, "{}", w.get("verdict-invalid")),
        Verdict::Incomplete => {
            let last = report.last_event().unwrap_or(0);
            writeln!(out, "{}", w.with("verdict-incomplete", &[("last", last.into())]))
        }
    };
    let total = report.checks.len();
    let _ = writeln!(out, "{}", w.with("checks-passed", &[("passed", passed.into()), ("total", total.into())]));
    let _ = writeln!(
        out,
        "{}: {}; {}: {}; {}: {}; {}: {}",
        w.get("summary-cast"),
        s.cast,
        w.get("summary-counted"),
        s.counted,
        w.get("summary-superseded"),
        s.superseded,
        w.get("summary-challenged"),
        s.spoiled
    );
    let trustees: Vec<String> = s.decrypted_by.iter().map(u32::to_string).collect();
    let _ = writeln!(out, "{}: {}", w.get("summary-decrypted"), trustees.join(", "));
    if let (Some(m), Some(r)) = (&s.manifest, &s.result)
        && r.contests.len() == m.contests.len()
    {
        let confirmed = verdict == Verdict::Valid;
        if !confirmed {
            let _ = writeln!(out, "\n{}", w.get("result-not-confirmed"));
        }
        let recount = (!confirmed).then_some(&s.recount);
        let _ = writeln!(out, "\n{}", checked_result_table(m, r, &s.turnout, lang, recount));
    }
    let _ = writeln!(out, "{}:", w.get("checks"));
    let marks = [w.get("check-passed"), w.get("check-failed"), w.get("check-not-run")];
    let mark_width = marks.iter().map(|m| m.chars().count()).max().unwrap_or(0);
    let names: Vec<String> = report.checks.iter().map(|c| c.check.name(lang)).collect();
    let name_width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for (c, name) in report.checks.iter().zip(&names) {
        let mark = match c.status() {
            Status::Passed => &marks[0],
            Status::Failed => &marks[1],
            Status::NotRun(_) => &marks[2],
        };
        let _ = writeln!(
            out,
            "  {:<4} {mark:<mark_width$} {name:<name_width$} {:>9}   {}",
            c.check.id(),
            w.with("seconds", &[("s", w.decimal(c.seconds, 2).into())]),
            c.detail_in(lang)
        );
        if c.failed() {
            let _ = writeln!(out, "       → {}: {}", w.get("meaning"), w.get(&c.check.meaning_id()));
        }
    }
    out
}

/// The report for machines, in English: see [`json_in`].
pub fn json(report: &Report) -> serde_json::Value {
    json_in(report, Lang::En)
}

/// The report for machines: `{"verdict", "valid", "checks": [{"id", "name", "outcome", "passed",
/// "detail", "failures": [{"code", "message", "item", "expected", "found", "reason"}],
/// "more_failures", "not_run", "note", …}], "summary"}`. `lang` changes only the words (names,
/// details, messages), never a field, a code or a number (`specs/verifier-report.schema.json`).
pub fn json_in(report: &Report, lang: Lang) -> serde_json::Value {
    let s = &report.summary;
    let checks: Vec<JsonCheck> = report
        .checks
        .iter()
        .map(|c| JsonCheck {
            id: c.check.id(),
            name: c.check.name(lang),
            outcome: c.outcome_name(),
            passed: c.passed(),
            detail: c.detail_in(lang),
            failures: c.failures.iter().map(|f| f.json(lang)).collect(),
            more_failures: c.more_failures,
            not_run: c.not_run.as_ref().filter(|_| !c.failed()).map(|f| f.json(lang)),
            note: c.note.as_ref().filter(|_| c.passed()).map(|f| f.json(lang)),
            count: c.count,
            seconds: c.seconds,
        })
        .collect();
    let verdict = match report.verdict() {
        Verdict::Valid => "valid",
        Verdict::Invalid => "invalid",
        Verdict::Incomplete => "incomplete",
    };
    json!({
        "verdict": verdict,
        "valid": report.valid(),
        "last_event": report.last_event(),
        "checks": checks,
        "summary": {
            "election_id": s.manifest.as_ref().map(|m| m.election_id.clone()),
            "events": s.events,
            "cast": s.cast,
            "counted": s.counted,
            "superseded": s.superseded,
            "spoiled": s.spoiled,
            "decrypted_by": s.decrypted_by,
            "fingerprint": s.fingerprint.map(|f| crate::crypto::group::to_hex(f.as_bytes())),
            "result": s.result,
            "results": results_json(s),
            "recount": recount_json(s),
        },
    })
}

/// The published result for machines, as `dauys result --json` writes it
/// ([`crate::election::result_data::result_json`]): contests and options keyed by id, with
/// labels and titles in three languages, counts, percentages of the ballots that carry each
/// contest, seats, districts and the turnout per style (as this verifier recounted it). Null
/// without a manifest or a result of its shape. It is what the record *claims*: where the
/// verdict is not valid, `recount` says what the record gives instead.
fn results_json(s: &super::engine::Summary) -> serde_json::Value {
    match (&s.manifest, &s.result) {
        (Some(m), Some(r)) if r.contests.len() == m.contests.len() => {
            crate::election::result_data::result_json(m, r, &s.turnout)
        }
        _ => serde_json::Value::Null,
    }
}

/// What the record gives where the published result differs, keyed by contest and option ids:
/// `{"counts": [{"contest", "option", "published", "decrypted"}], "outcomes": [{"contest",
/// "published", "recomputed"}]}` (`decrypted` null: not a count of the ballots counted).
fn recount_json(s: &super::engine::Summary) -> serde_json::Value {
    let (Some(m), Some(r)) = (&s.manifest, &s.result) else { return json!({"counts": [], "outcomes": []}) };
    let counts: Vec<serde_json::Value> = s
        .recount
        .counts
        .iter()
        .filter_map(|(&(ci, o), decrypted)| {
            let contest = m.contests.get(ci)?;
            Some(json!({
                "contest": contest.id,
                "option": contest.options.get(o)?.id,
                "published": r.contests.get(ci)?.counts.get(o)?,
                "decrypted": decrypted,
            }))
        })
        .collect();
    let outcomes: Vec<serde_json::Value> = s
        .recount
        .outcomes
        .iter()
        .filter_map(|(&ci, recomputed)| {
            Some(json!({
                "contest": m.contests.get(ci)?.id,
                "published": r.contests.get(ci)?.outcome,
                "recomputed": recomputed,
            }))
        })
        .collect();
    json!({"counts": counts, "outcomes": outcomes})
}
