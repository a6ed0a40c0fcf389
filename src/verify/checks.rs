//! The verifier's checks: stable numbers, names in three languages, and their outcomes.
//!
//! The numbers are part of the interface (observers cite them, tests assert them);
//! `specs/verifier.md` describes each one: what it checks, the equation, which fields.

use serde::Serialize;

use crate::election::manifest::Lang;

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

    /// (en, kk, ru)
    fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Check::RecordWellFormed => (
                "record complete, well formed, canonical",
                "жазба толық, дұрыс құрылған, канондық",
                "запись полна, корректна, канонична",
            ),
            Check::Setup => ("manifest and board key", "манифест және тақта кілті", "манифест и ключ доски"),
            Check::TransportKeys => (
                "trustees' transport keys and proofs",
                "сенім білдірілгендердің тасымал кілттері мен дәлелдері",
                "транспортные ключи доверенных лиц и доказательства",
            ),
            Check::Dealings => (
                "key ceremony: commitments, proofs, complaints",
                "кілт рәсімі: міндеттемелер, дәлелдер, шағымдар",
                "церемония ключей: обязательства, доказательства, жалобы",
            ),
            Check::JointKey => {
                ("joint key and verification keys", "ортақ кілт және тексеру кілттері", "общий ключ и ключи проверки")
            }
            Check::CredentialList => (
                "credential list: sorted, distinct, counted",
                "тіркелгі деректер тізімі: реттелген, қайталанбайды",
                "список учётных данных: упорядочен, без повторов",
            ),
            Check::KeyShares => (
                "trustees proved possession of their key shares",
                "сенім білдірілген тұлғалар кілт үлестерін иеленетінін дәлелдеді",
                "доверенные лица доказали владение долями ключа",
            ),
            Check::Registrations => (
                "roll and registrations: on the roll, once each, certified, signed",
                "тізім және тіркеулер: тізімде, бір реттен, куәландырылған, қол қойылған",
                "список и регистрации: в списке, по одной, заверены, подписаны",
            ),
            Check::Shuffles => (
                "credential shuffles: proofs chain from the registrations to the final list",
                "тіркелгі араластырулары: дәлелдер тіркеулерден соңғы тізімге дейін тізбектеледі",
                "перемешивания учётных данных: доказательства ведут от регистраций к итоговому списку",
            ),
            Check::EventOrder => ("events in a legal order", "оқиғалар заңды ретпен", "события в допустимом порядке"),
            Check::FinalRoot => (
                "Merkle root equals the final signed checkpoint",
                "Меркл түбірі соңғы қол қойылған бақылау нүктесіне тең",
                "корень Меркла равен последней подписанной контрольной точке",
            ),
            Check::CheckpointSignatures => {
                ("checkpoint signatures", "бақылау нүктелерінің қолтаңбалары", "подписи контрольных точек")
            }
            Check::CheckpointConsistency => (
                "every checkpoint is a prefix of the final log",
                "әр бақылау нүктесі соңғы журналдың бастамасы",
                "каждая контрольная точка — префикс итогового журнала",
            ),
            Check::BallotElection => {
                ("ballots for this election", "бюллетеньдер осы сайлауға", "бюллетени для этих выборов")
            }
            Check::BallotCredential => (
                "ballot credentials in the list",
                "бюллетень тіркелгі деректері тізімде",
                "учётные данные бюллетеней в списке",
            ),
            Check::BallotStyle => (
                "each ballot has its credential's style and exactly that style's contests",
                "әр бюллетеньде өз тіркелгі деректерінің стилі және дәл сол стильдің сайыстары",
                "у каждого бюллетеня стиль его учётных данных и ровно вопросы этого стиля",
            ),
            Check::BallotSignature => ("ballot signatures", "бюллетень қолтаңбалары", "подписи бюллетеней"),
            Check::OptionProofs => {
                ("option range proofs", "нұсқа ауқымының дәлелдері", "доказательства диапазона вариантов")
            }
            Check::SumProofs => (
                "contest sum proofs (bounds from the manifest)",
                "сайыс қосындысының дәлелдері",
                "доказательства суммы по вопросу",
            ),
            Check::NoDuplicates => ("no ballot twice", "бюллетень екі рет жоқ", "ни один бюллетень дважды"),
            Check::RevotePolicy => {
                ("revote policy applied", "қайта дауыс беру ережесі сақталды", "правило переголосования соблюдено")
            }
            Check::Openings => (
                "challenged ballots open to their ciphertexts",
                "тексерілген бюллетеньдер шифрмәтінге сәйкес ашылады",
                "проверенные бюллетени раскрываются в свои шифртексты",
            ),
            Check::SpoiledNotCast => (
                "challenged ballots never cast",
                "тексерілген бюллетеньдер ешқашан тасталмаған",
                "проверенные бюллетени никогда не поданы",
            ),
            Check::TallySum => (
                "encrypted tally is the sum of the counted ballots",
                "шифрланған қорытынды есептелген бюллетеньдердің қосындысы",
                "зашифрованный итог — сумма учтённых бюллетеней",
            ),
            Check::DecryptionProofs => {
                ("decryption share proofs", "шифрды ашу үлестерінің дәлелдері", "доказательства долей расшифрования")
            }
            Check::DecryptionQuorum => (
                "at least t distinct trustees decrypted",
                "кемінде t сенім білдірілген тұлға шифрды ашты",
                "расшифровали не менее t доверенных лиц",
            ),
            Check::Counts => {
                ("every count decrypts from the tally", "әр сан қорытындыдан шығады", "каждый подсчёт следует из итога")
            }
            Check::Outcomes => (
                "every outcome follows from the counts",
                "әр нәтиже сандардан шығады",
                "каждый исход следует из подсчёта",
            ),
            Check::ResultComplete => {
                ("result published and complete", "нәтиже жарияланған және толық", "результат опубликован и полон")
            }
            Check::ObserverCheckpoint => (
                "observer's checkpoint is a prefix of the log",
                "бақылаушының нүктесі журналдың бастамасы",
                "контрольная точка наблюдателя — префикс журнала",
            ),
            Check::Receipt => (
                "voter's receipt included, ballot counted or superseded",
                "сайлаушының түбіртегі енгізілген",
                "квитанция избирателя включена",
            ),
            Check::Witnesses => (
                "witnesses co-signed checkpoints of this log",
                "куәгерлер осы журналдың нүктелеріне қол қойды",
                "свидетели подписали контрольные точки этого журнала",
            ),
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (en, kk, ru) = self.names();
        match lang {
            Lang::En => en,
            Lang::Kk => kk,
            Lang::Ru => ru,
        }
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

    pub fn detail(&self) -> String {
        match self.status() {
            Status::Passed if self.note.is_empty() => format!("{} checked", self.count),
            Status::Passed => self.note.clone(),
            Status::NotRun(reason) => format!("because {reason}"),
            Status::Failed => {
                let mut d = self.failures.join("; ");
                if self.more_failures > 0 {
                    d.push_str(&format!("; and {} more", self.more_failures));
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
    pub name: &'static str,
    /// `passed`, `failed` or `not_run`.
    pub outcome: &'static str,
    pub passed: bool,
    pub detail: String,
    pub count: u64,
    pub seconds: f64,
}
