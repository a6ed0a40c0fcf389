//! The verifier's checks: stable numbers, names in three languages (`locales/`), and their
//! outcomes.
//!
//! The numbers are part of the interface (observers cite them, tests assert them);
//! `specs/verifier.md` describes each one: what it checks, the equation, which fields.

use serde::Serialize;

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
    NotRun(String),
}

/// The outcome of one check.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    pub check: Check,
    /// Items checked (what each check counts is in `specs/verifier.md` §3).
    pub count: u64,
    pub failures: Vec<String>,
    pub more_failures: u64,
    pub seconds: f64,
    /// What a passing check found, where more than a count is worth saying.
    pub note: String,
    /// Why the check did not run, if it did not.
    pub not_run: Option<String>,
}

impl CheckOutcome {
    pub fn new(check: Check) -> Self {
        CheckOutcome {
            check,
            count: 0,
            failures: Vec::new(),
            more_failures: 0,
            seconds: 0.0,
            note: String::new(),
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

    pub fn fail(&mut self, what: impl Into<String>) {
        if self.failures.len() < MAX_LISTED {
            self.failures.push(what.into());
        } else {
            self.more_failures += 1;
        }
    }

    /// Marks the check as not run, and why (the first reason given is kept).
    pub fn skip(&mut self, because: impl Into<String>) {
        if self.not_run.is_none() {
            self.not_run = Some(because.into());
        }
    }

    /// What the check found, in English.
    pub fn detail(&self) -> String {
        self.detail_in(Lang::En)
    }

    /// What the check found: its count, note, failures or reason for not running, framed in
    /// `lang` (the failures and reasons themselves are English).
    pub fn detail_in(&self, lang: Lang) -> String {
        let w = Words::of(lang);
        match self.status() {
            Status::Passed if self.note.is_empty() => w.with("detail-checked", &[("n", self.count.into())]),
            Status::Passed => self.note.clone(),
            Status::NotRun(reason) => w.with("detail-not-run", &[("reason", reason.into())]),
            Status::Failed => {
                let mut d = self.failures.join("; ");
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

/// The machine-readable report (`--json`).
#[derive(Debug, Serialize)]
pub struct JsonCheck {
    pub id: &'static str,
    pub name: String,
    /// `passed`, `failed` or `not_run`.
    pub outcome: &'static str,
    pub passed: bool,
    pub detail: String,
    pub count: u64,
    pub seconds: f64,
}
