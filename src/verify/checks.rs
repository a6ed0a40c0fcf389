//! The verifier's checks: stable numbers, names in three languages (`locales/`), and their
//! outcomes.
//!
//! The numbers are part of the interface (observers cite them, tests assert them);
//! `specs/verifier.md` describes each one: what it checks, the equation, which fields.

use serde::Serialize;

use super::finding::Finding;
use crate::election::manifest::Lang;
use crate::locale::Words;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    RecordWellFormed,
    Setup,
    TransportKeys,
    Dealings,
    JointKey,
    CredentialList,
    KeyShares,
    Registrations,
    Shuffles,
    EventOrder,
    FinalRoot,
    CheckpointSignatures,
    CheckpointConsistency,
    BallotElection,
    BallotCredential,
    BallotStyle,
    BallotSignature,
    OptionProofs,
    SumProofs,
    NoDuplicates,
    RevotePolicy,
    Openings,
    SpoiledNotCast,
    TallySum,
    DecryptionProofs,
    DecryptionQuorum,
    Counts,
    Outcomes,
    ResultComplete,
    ObserverCheckpoint,
    Receipt,
    Witnesses,
}

impl Check {
    /// Every check that runs on every record, in report order.
    pub const ALL: [Check; 29] = [
        Check::RecordWellFormed,
        Check::Setup,
        Check::TransportKeys,
        Check::Dealings,
        Check::JointKey,
        Check::CredentialList,
        Check::KeyShares,
        Check::Registrations,
        Check::Shuffles,
        Check::EventOrder,
        Check::FinalRoot,
        Check::CheckpointSignatures,
        Check::CheckpointConsistency,
        Check::BallotElection,
        Check::BallotCredential,
        Check::BallotStyle,
        Check::BallotSignature,
        Check::OptionProofs,
        Check::SumProofs,
        Check::NoDuplicates,
        Check::RevotePolicy,
        Check::Openings,
        Check::SpoiledNotCast,
        Check::TallySum,
        Check::DecryptionProofs,
        Check::DecryptionQuorum,
        Check::Counts,
        Check::Outcomes,
        Check::ResultComplete,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Check::RecordWellFormed => "1.1",
            Check::Setup => "1.2",
            Check::TransportKeys => "1.3",
            Check::Dealings => "1.4",
            Check::JointKey => "1.5",
            Check::CredentialList => "1.6",
            Check::KeyShares => "1.7",
            Check::Registrations => "1.8",
            Check::Shuffles => "1.9",
            Check::EventOrder => "2.1",
            Check::FinalRoot => "2.2",
            Check::CheckpointSignatures => "2.3",
            Check::CheckpointConsistency => "2.4",
            Check::BallotElection => "3.1",
            Check::BallotCredential => "3.2",
            Check::BallotSignature => "3.3",
            Check::BallotStyle => "3.8",
            Check::OptionProofs => "3.4",
            Check::SumProofs => "3.5",
            Check::NoDuplicates => "3.6",
            Check::RevotePolicy => "3.7",
            Check::Openings => "4.1",
            Check::SpoiledNotCast => "4.2",
            Check::TallySum => "5.1",
            Check::DecryptionProofs => "5.2",
            Check::DecryptionQuorum => "5.3",
            Check::Counts => "5.4",
            Check::Outcomes => "6.1",
            Check::ResultComplete => "6.2",
            Check::ObserverCheckpoint => "7.1",
            Check::Receipt => "7.2",
            Check::Witnesses => "7.3",
        }
    }

    /// The message that says what this check's failure means for the result (`meaning-N-M`).
    pub fn meaning_id(self) -> String {
        format!("meaning-{}", self.id().replace('.', "-"))
    }

    /// The check's name in `lang`: message `check-N-M` of `locales/*/verifier.ftl`.
    pub fn name(self, lang: Lang) -> String {
        Words::of(lang).get(&format!("check-{}", self.id().replace('.', "-")))
    }
}

/// The most failures listed per check; the rest are counted.
pub const MAX_LISTED: usize = 20;

/// What a check concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Passed,
    /// At least one item failed; the failures are listed.
    Failed,
    /// The check could not run: its inputs are missing from the record (it stops before
    /// them) or failed an earlier check. The reason says which (`specs/verifier.md` §3).
    NotRun(Finding),
}

/// The outcome of one check.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    pub check: Check,
    /// Items checked (what each check counts is in `specs/verifier.md` §3).
    pub count: u64,
    pub failures: Vec<Finding>,
    pub more_failures: u64,
    pub seconds: f64,
    /// What a passing check found, where more than a count is worth saying.
    pub note: Option<Finding>,
    /// Why the check did not run, if it did not.
    pub not_run: Option<Finding>,
}

impl CheckOutcome {
    pub fn new(check: Check) -> Self {
        CheckOutcome {
            check,
            count: 0,
            failures: Vec::new(),
            more_failures: 0,
            seconds: 0.0,
            note: None,
            not_run: None,
        }
    }

    /// A failure found wins over a missing input: a check that found one is failed.
    pub fn status(&self) -> Status {
        if !self.failures.is_empty() {
            Status::Failed
        } else if let Some(reason) = &self.not_run {
            Status::NotRun(reason.clone())
        } else {
            Status::Passed
        }
    }

    pub fn passed(&self) -> bool {
        self.status() == Status::Passed
    }

    pub fn failed(&self) -> bool {
        !self.failures.is_empty()
    }

    pub fn fail(&mut self, what: Finding) {
        if self.failures.len() < MAX_LISTED {
            self.failures.push(what);
        } else {
            self.more_failures += 1;
        }
    }

    /// Marks the check as not run, and why (the first reason given is kept).
    pub fn skip(&mut self, because: Finding) {
        if self.not_run.is_none() {
            self.not_run = Some(because);
        }
    }

    /// What the check found, in English.
    pub fn detail(&self) -> String {
        self.detail_in(Lang::En)
    }

    /// What the check found, in `lang`: its count, note, failures or reason for not running
    /// (a lower layer's `reason` inside a finding stays English).
    pub fn detail_in(&self, lang: Lang) -> String {
        let w = Words::of(lang);
        match self.status() {
            Status::Passed => match &self.note {
                None => w.with("detail-checked", &[("n", self.count.into())]),
                Some(note) => note.in_lang(lang),
            },
            Status::NotRun(reason) => w.with("detail-not-run", &[("reason", reason.in_lang(lang).into())]),
            Status::Failed => {
                let mut d = said_alike(&self.failures, lang).join("; ");
                if self.more_failures > 0 {
                    d.push_str("; ");
                    d.push_str(&w.with("detail-more", &[("n", self.more_failures.into())]));
                }
                d
            }
        }
    }

    /// `passed`, `failed` or `not_run`, as the JSON report names the outcome.
    pub fn outcome_name(&self) -> &'static str {
        match self.status() {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::NotRun(_) => "not_run",
        }
    }
}

/// Failures in `lang`, those of one kind said once: the first in full, then how many more
/// and, where they are about events, which (the first few). Order: as first found.
fn said_alike(failures: &[Finding], lang: Lang) -> Vec<String> {
    const SHOWN: usize = 5;
    let w = Words::of(lang);
    let mut kinds: Vec<(&'static str, Vec<&Finding>)> = Vec::new();
    for f in failures {
        match kinds.iter_mut().find(|(code, _)| *code == f.code) {
            Some((_, alike)) => alike.push(f),
            None => kinds.push((f.code, vec![f])),
        }
    }
    kinds
        .into_iter()
        .flat_map(|(_, alike)| {
            if alike.len() < 3 {
                return alike.iter().map(|f| f.in_lang(lang)).collect::<Vec<_>>();
            }
            let rest = &alike[1..];
            let events: Vec<String> = rest
                .iter()
                .filter_map(|f| match f.get("event") {
                    Some(super::finding::Arg::Number(i)) => Some(i.to_string()),
                    _ => None,
                })
                .collect();
            let more = if events.len() == rest.len() {
                let mut shown = events[..events.len().min(SHOWN)].join(", ");
                if events.len() > SHOWN {
                    shown.push_str(", …");
                }
                w.with("detail-alike-events", &[("n", rest.len().into()), ("events", shown.into())])
            } else {
                w.with("detail-alike", &[("n", rest.len().into())])
            };
            vec![format!("{} ({more})", alike[0].in_lang(lang))]
        })
        .collect()
}

/// The machine-readable report (`--json`).
#[derive(Debug, Serialize)]
pub struct JsonCheck {
    pub id: &'static str,
    pub name: String,
    /// `passed`, `failed` or `not_run`.
    pub outcome: &'static str,
    pub passed: bool,
    pub detail: String,
    /// Each failure listed (at most [`MAX_LISTED`]), as fields.
    pub failures: Vec<serde_json::Value>,
    /// Failures beyond those listed.
    pub more_failures: u64,
    /// Why the check did not run (`outcome` is `not_run`).
    pub not_run: Option<serde_json::Value>,
    /// What a passing check found beyond its count.
    pub note: Option<serde_json::Value>,
    pub count: u64,
    pub seconds: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_of_one_kind_are_said_once_with_their_events() {
        let mut c = CheckOutcome::new(Check::BallotSignature);
        for event in [4, 9, 11, 12, 30, 31, 40] {
            c.fail(Finding::new("fail-ballot-signature").event(event));
        }
        c.fail(Finding::new("fail-ballot-election").event(50));
        c.fail(Finding::new("fail-ballot-election").event(51));
        assert_eq!(
            c.detail(),
            "ballot at event 4: the signature does not verify (and 6 more like it, at events 9, 11, 12, 30, \
             31, …); ballot at event 50: for another election; ballot at event 51: for another election"
        );
        let ru = c.detail_in(Lang::Ru);
        assert!(ru.contains("9, 11, 12, 30, 31, …") && !ru.contains("more like it"), "{ru}");
        // The JSON keeps every listed failure.
        assert_eq!(c.failures.len(), 9);
    }
}
