//! # dauys — verifiable, ballot-secret online voting
//!
//! Ballots are exponential-ElGamal ciphertexts on ristretto255, each with zero-knowledge
//! proofs that it is valid, bound to the election and to the voter's credential; the tally is
//! homomorphic, and only the totals are decrypted, by a quorum of trustees, with proofs.
//! Anyone can check every step. The normative description is `specs/protocol.md`.
//!
//! The layers, bottom up:
//!
//! * [`crypto`]: the group, ElGamal, transcripts, proofs, batch verification, threshold keys.
//! * [`election`]: manifest, counting rules, credentials, ballots, tally, trustee and
//!   registrar roles, the results table.
//! * [`log`]: the bulletin board's log as data: events, their legal order, the RFC 6962
//!   Merkle tree, signed checkpoints and receipts, the record format.
//!
//! Everything above is pure: no database, no network. The observers' verifier depends on
//! these alone. On top of them, with files and a database:
//!
//! * [`board`]: the board's storage in SQLite, with every append validated.
//! * [`runner`]: a whole election on one machine; [`demo`] and [`simulate`] run on it.
//! * [`keyfile`]: secret files, created with mode 0600.
//!
//! ## A small election in twenty lines
//!
//! Three trustees (any two decrypt), four voters, one referendum; one voter re-votes.
//!
//! ```
//! use dauys::election::{credential::*, manifest::Manifest};
//! use dauys::runner::{LocalElection, VoterPlan};
//! let manifest = Manifest::from_json(r#"{"version":1,"election_id":"doc","revote":"last_counts",
//!   "title":{"en":"Doc","kk":"Doc","ru":"Doc"},"trustees":{"count":3,"threshold":2},
//!   "contests":[{"id":"q","kind":"referendum","title":{"en":"Q","kk":"Q","ru":"Q"},"options":[
//!     {"id":"yes","label":{"en":"Yes","kk":"Иә","ru":"Да"}},{"id":"no","label":{"en":"No","kk":"Жоқ","ru":"Нет"}}]}]}"#)?;
//! let dir = std::env::temp_dir().join(format!("dauys-doc-{}", std::process::id()));
//! let mut rng = rand::rng();
//! let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng)?;   // board + key ceremony
//! let voters: Vec<_> = (0..4).map(|_| Credential::generate(&mut rng).key_pair("doc")).collect();
//! election.open(CredentialList::new(voters.iter().map(|v| v.public).collect())?, &mut rng)?;
//! let yes_no = |yes: bool| vec![vec![u64::from(yes), u64::from(!yes)]];
//! let plans: Vec<VoterPlan> = voters.into_iter().enumerate().map(|(i, key)| VoterPlan {
//!     key, marks: yes_no(i != 0), earlier: (i == 3).then(|| yes_no(false)), challenge: false,
//! }).collect();
//! election.vote(&plans, &mut rng, |_| {})?;                  // encrypt, prove, sign; verified on append
//! election.close(&mut rng)?;
//! let result = election.tally(&[1, 3], &mut rng)?;           // trustees 1 and 3 decrypt the totals
//! assert_eq!(result.contests[0].counts, vec![3, 1]);         // voter 4's earlier "no" was replaced
//! election.board.export(&dir.join("record"))?;               // what observers verify
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The cryptographic core alone (`crypto`) is shown in `tests/threshold.rs` and
//! `tests/proofs.rs`; the normative description is `specs/protocol.md` (protocol) and
//! `specs/record.md` (manifest, events, record).

pub mod board;
pub mod crypto;
pub mod demo;
pub mod election;
pub mod keyfile;
pub mod locale;
pub mod log;
pub mod runner;
pub mod simulate;
pub mod verify;
pub mod watch;
