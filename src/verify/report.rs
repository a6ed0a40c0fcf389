//! The verifier's report: for people (summary first, then every check) and for machines.

use std::fmt::Write;

use serde_json::json;

use super::checks::JsonCheck;
use super::engine::Report;
use crate::election::manifest::Lang;
use crate::election::report::result_table;

struct Words {
    valid: &'static str,
    invalid: &'static str,
    checks_passed: &'static str,
    cast: &'static str,
    counted: &'static str,
    superseded: &'static str,
    spoiled: &'static str,
    decrypted: &'static str,
    checks: &'static str,
    pass: &'static str,
    fail: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            valid: "VALID: the published result is what the cast ballots say",
            invalid: "NOT VALID: see the failed checks below",
            checks_passed: "checks passed",
            cast: "ballots cast",
            counted: "counted",
            superseded: "superseded by a re-vote",
            spoiled: "challenged (spoiled)",
            decrypted: "trustees who decrypted",
            checks: "Checks",
            pass: "PASS",
            fail: "FAIL",
        },
        Lang::Kk => Words {
            valid: "ЖАРАМДЫ: жарияланған нәтиже берілген бюллетеньдерге сәйкес",
            invalid: "ЖАРАМСЫЗ: төмендегі өтпеген тексерулерді қараңыз",
            checks_passed: "тексеру өтті",
            cast: "берілген бюллетеньдер",
            counted: "есептелді",
            superseded: "қайта дауыспен ауыстырылды",
            spoiled: "тексерілді (бүлінген)",
            decrypted: "шифрды ашқан сенім білдірілгендер",
            checks: "Тексерулер",
            pass: "ӨТТІ",
            fail: "ӨТПЕДІ",
        },
        Lang::Ru => Words {
            valid: "ДЕЙСТВИТЕЛЕН: опубликованный результат соответствует поданным бюллетеням",
            invalid: "НЕДЕЙСТВИТЕЛЕН: см. непройденные проверки ниже",
            checks_passed: "проверок пройдено",
            cast: "подано бюллетеней",
            counted: "учтено",
            superseded: "заменено переголосованием",
            spoiled: "проверено (испорчено)",
            decrypted: "расшифровавшие доверенные лица",
            checks: "Проверки",
            pass: "ПРОЙДЕНА",
            fail: "НЕ ПРОЙДЕНА",
        },
    }
}

/// The report for people.
pub fn text(report: &Report, lang: Lang) -> String {
    let w = words(lang);
    let s = &report.summary;
    let mut out = String::new();
    if let Some(m) = &s.manifest {
        let _ = writeln!(out, "{} ({})", m.title.get(lang), m.election_id);
    }
    let passed = report.checks.iter().filter(|c| c.passed()).count();
    let _ = writeln!(out, "{}", if report.valid() { w.valid } else { w.invalid });
    let _ = writeln!(out, "{passed}/{} {}", report.checks.len(), w.checks_passed);
    let _ = writeln!(
        out,
        "{}: {}; {}: {}; {}: {}; {}: {}",
        w.cast, s.cast, w.counted, s.counted, w.superseded, s.superseded, w.spoiled, s.spoiled
    );
    let trustees: Vec<String> = s.decrypted_by.iter().map(u32::to_string).collect();
    let _ = writeln!(out, "{}: {}", w.decrypted, trustees.join(", "));
    if let (Some(m), Some(r)) = (&s.manifest, &s.result) {
        if r.contests.len() == m.contests.len() {
            let _ = writeln!(out, "\n{}", result_table(m, r, lang));
        }
    }
    let _ = writeln!(out, "{}:", w.checks);
    for c in &report.checks {
        let mark = if c.passed() { w.pass } else { w.fail };
        let _ = writeln!(
            out,
            "  {:<4} {:<10} {:<52} {:>8.2} s   {}",
            c.check.id(),
            mark,
            c.check.name(lang),
            c.seconds,
            c.detail()
        );
    }
    out
}

/// The report for machines: `{"valid", "checks": [{"id", "name", "passed", "detail", …}], "summary"}`.
pub fn json(report: &Report) -> serde_json::Value {
    let s = &report.summary;
    let checks: Vec<JsonCheck> = report
        .checks
        .iter()
        .map(|c| JsonCheck {
            id: c.check.id(),
            name: c.check.name(Lang::En),
            passed: c.passed(),
            detail: c.detail(),
            count: c.count,
            seconds: c.seconds,
        })
        .collect();
    json!({
        "valid": report.valid(),
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
        },
    })
}
