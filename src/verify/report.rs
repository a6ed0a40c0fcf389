//! The verifier's report: for people (summary first, then every check) and for machines.

use std::fmt::Write;

use serde_json::json;

use super::checks::{JsonCheck, Status};
use super::engine::{Report, Verdict};
use crate::election::manifest::Lang;
use crate::election::report::result_table;

struct Words {
    valid: &'static str,
    invalid: &'static str,
    /// Followed by the index of the record's last event.
    incomplete: &'static str,
    incomplete_rest: &'static str,
    checks_passed: &'static str,
    cast: &'static str,
    counted: &'static str,
    superseded: &'static str,
    spoiled: &'static str,
    decrypted: &'static str,
    checks: &'static str,
    pass: &'static str,
    fail: &'static str,
    not_run: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            valid: "VALID: the published result is what the cast ballots say",
            invalid: "NOT VALID: see the failed checks below",
            incomplete: "INCOMPLETE: everything up to event",
            incomplete_rest: "checks out; the record stops before the result (the checks not run say what is missing)",
            checks_passed: "checks passed",
            cast: "ballots cast",
            counted: "counted",
            superseded: "superseded by a re-vote",
            spoiled: "challenged (spoiled)",
            decrypted: "trustees who decrypted",
            checks: "Checks",
            pass: "PASS",
            fail: "FAIL",
            not_run: "NOT RUN",
        },
        Lang::Kk => Words {
            valid: "ЖАРАМДЫ: жарияланған нәтиже берілген бюллетеньдерге сәйкес",
            invalid: "ЖАРАМСЫЗ: төмендегі өтпеген тексерулерді қараңыз",
            incomplete: "ТОЛЫҚ ЕМЕС: оқиғаға дейінгі бәрі тексеруден өтті, оқиға нөмірі",
            incomplete_rest: "; жазба нәтижеден бұрын аяқталады (орындалмаған тексерулер не жетіспейтінін айтады)",
            checks_passed: "тексеру өтті",
            cast: "берілген бюллетеньдер",
            counted: "есептелді",
            superseded: "қайта дауыспен ауыстырылды",
            spoiled: "тексерілді (бүлінген)",
            decrypted: "шифрды ашқан сенім білдірілгендер",
            checks: "Тексерулер",
            pass: "ӨТТІ",
            fail: "ӨТПЕДІ",
            not_run: "ОРЫНДАЛМАДЫ",
        },
        Lang::Ru => Words {
            valid: "ДЕЙСТВИТЕЛЕН: опубликованный результат соответствует поданным бюллетеням",
            invalid: "НЕДЕЙСТВИТЕЛЕН: см. непройденные проверки ниже",
            incomplete: "НЕПОЛНАЯ ЗАПИСЬ: всё подтверждено до события",
            incomplete_rest: "включительно; запись обрывается до результата (невыполненные проверки говорят, чего нет)",
            checks_passed: "проверок пройдено",
            cast: "подано бюллетеней",
            counted: "учтено",
            superseded: "заменено переголосованием",
            spoiled: "проверено (испорчено)",
            decrypted: "расшифровавшие доверенные лица",
            checks: "Проверки",
            pass: "ПРОЙДЕНА",
            fail: "НЕ ПРОЙДЕНА",
            not_run: "НЕ ВЫПОЛНЕНА",
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
    match report.verdict() {
        Verdict::Valid => {
            let _ = writeln!(out, "{}", w.valid);
        }
        Verdict::Invalid => {
            let _ = writeln!(out, "{}", w.invalid);
        }
        Verdict::Incomplete => {
            let last = report.last_event().unwrap_or(0);
            let _ = writeln!(out, "{} {last} {}", w.incomplete, w.incomplete_rest);
        }
    }
    let _ = writeln!(out, "{passed}/{} {}", report.checks.len(), w.checks_passed);
    let _ = writeln!(
        out,
        "{}: {}; {}: {}; {}: {}; {}: {}",
        w.cast, s.cast, w.counted, s.counted, w.superseded, s.superseded, w.spoiled, s.spoiled
    );
    let trustees: Vec<String> = s.decrypted_by.iter().map(u32::to_string).collect();
    let _ = writeln!(out, "{}: {}", w.decrypted, trustees.join(", "));
    if let (Some(m), Some(r)) = (&s.manifest, &s.result)
        && r.contests.len() == m.contests.len()
    {
        let _ = writeln!(out, "\n{}", result_table(m, r, lang));
    }
    let _ = writeln!(out, "{}:", w.checks);
    for c in &report.checks {
        let mark = match c.status() {
            Status::Passed => w.pass,
            Status::Failed => w.fail,
            Status::NotRun(_) => w.not_run,
        };
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

/// The report for machines: `{"verdict", "valid", "checks": [{"id", "name", "outcome", "passed",
/// "detail", …}], "summary"}`.
pub fn json(report: &Report) -> serde_json::Value {
    let s = &report.summary;
    let checks: Vec<JsonCheck> = report
        .checks
        .iter()
        .map(|c| JsonCheck {
            id: c.check.id(),
            name: c.check.name(Lang::En),
            outcome: c.outcome_name(),
            passed: c.passed(),
            detail: c.detail(),
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
        },
    })
}
