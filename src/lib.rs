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
//! these alone, and they build without any feature (`default-features = false`). With the
//! `board` feature (on by default), with files and a database:
//!
//! * [`board`]: the board's storage in SQLite, its HTTP(S) server and client.
//! * [`runner`]: a whole election on one machine; [`demo`] and [`simulate`] run on it.
//! * [`watch`]: the verifier's watch of a running board.
//! * [`keyfile`]: secret files, created with mode 0600.
//!
//! The `cli` feature (on by default) adds the command lines `dauys` and `dauys-verify`. For
//! research on the pure library alone:
//!
//! ```toml
//! dauys = { version = "0.1", default-features = false }
//! ```
//!
//! The library's random-number traits are those of the [`rand`] it re-exports
//! (`dauys::rand`): pass `&mut dauys::rand::rng()`, the OS-seeded CSPRNG, wherever a function
//! takes `rng`.
//!
//! ## A ballot's marks from option ids
//!
//! A ballot carries, per contest, one mark per option in the manifest's order;
//! [`Manifest::marks`](election::manifest::Manifest::marks) makes them from the ids a voter
//! picks, and refuses unknown ids, a contest left out and too many marks.
//!
//! ```
//! use std::collections::BTreeMap;
//! use dauys::election::manifest::Manifest;
//! let manifest = Manifest::from_json(include_str!("../specs/examples/national-manifest.json"))?;
//! let pick = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
//!     pairs.iter().map(|(c, os)| (c.to_string(), os.iter().map(|o| o.to_string()).collect())).collect()
//! };
//! let choices = pick(&[("referendum", &["yes"]), ("president", &["candidate-b"]), ("mazhilis", &["party-a"])]);
//! let marks = manifest.marks(&choices)?;
//! assert_eq!(marks[0], vec![1, 0]);                          // referendum: yes, no
//! assert_eq!(marks[1].iter().sum::<u64>(), 1);               // one mark for president
//! assert!(manifest.marks(&pick(&[("referendum", &["maybe"])])).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## A small election, and its record verified, in twenty lines
//!
//! Three trustees (any two decrypt), four voters, one referendum; one voter re-votes. The
//! record it writes is verified as `dauys-verify` does it (with the `board` feature).
//!
//! ```
//! # #[cfg(feature = "board")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use dauys::election::{credential::*, manifest::{Lang, Manifest}};
//! use dauys::runner::{LocalElection, VoterPlan};
//! use dauys::verify::{Options, Verdict, report, verify};
//! let manifest = Manifest::from_json(r#"{"version":1,"election_id":"doc","revote":"last_counts",
//!   "title":{"en":"Doc","kk":"Doc","ru":"Doc"},"trustees":{"count":3,"threshold":2},
//!   "contests":[{"id":"q","kind":"referendum","title":{"en":"Q","kk":"Q","ru":"Q"},"options":[
//!     {"id":"yes","label":{"en":"Yes","kk":"Иә","ru":"Да"}},{"id":"no","label":{"en":"No","kk":"Жоқ","ru":"Нет"}}]}]}"#)?;
//! let dir = std::env::temp_dir().join(format!("dauys-doc-{}", std::process::id()));
//! let mut rng = dauys::rand::rng();
//! let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng)?;   // board + key ceremony
//! let voters: Vec<_> = (0..4).map(|_| Credential::generate(&mut rng).key_pair("doc")).collect();
//! election.open(CredentialList::new(voters.iter().map(|v| v.public).collect())?, &mut rng)?;
//! let vote = |id: &str| manifest.marks(&[("q".into(), vec![id.into()])].into());
//! let plans = voters.into_iter().enumerate().map(|(i, key)| Ok(VoterPlan {
//!     key, marks: vote(if i == 0 { "no" } else { "yes" })?, earlier: (i == 3).then(|| vote("no")).transpose()?,
//!     challenge: false,
//! })).collect::<Result<Vec<_>, dauys::election::ElectionError>>()?;
//! election.vote(&plans, &mut rng, |_| {})?;                  // encrypt, prove, sign; verified on append
//! election.close(&mut rng)?;
//! let result = election.tally(&[1, 3], &mut rng)?;           // trustees 1 and 3 decrypt the totals
//! assert_eq!(result.contests[0].counts, vec![3, 1]);         // voter 4's earlier "no" was replaced
//! election.board.export(&dir.join("record"))?;               // what observers verify
//! let checked = verify(&dir.join("record"), &Options::default())?;
//! println!("{}", report::text(&checked, Lang::Kk));
//! assert_eq!(checked.verdict(), Verdict::Valid);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "board"))]
//! # fn main() {}
//! ```
//!
//! The cryptographic core alone (`crypto`) is shown in `tests/threshold.rs` and
//! `tests/proofs.rs`; the normative description is `specs/protocol.md` (protocol) and
//! `specs/record.md` (manifest, events, record).

// The front page links the board's modules, which a build without the `board` feature lacks.
#![cfg_attr(not(feature = "board"), allow(rustdoc::broken_intra_doc_links))]

pub use rand;

#[cfg(feature = "board")]
pub mod board;
pub mod crypto;
#[cfg(feature = "board")]
pub mod demo;
pub mod election;
#[cfg(feature = "board")]
pub mod keyfile;
pub mod locale;
pub mod log;
#[cfg(feature = "board")]
pub mod runner;
#[cfg(feature = "board")]
pub mod simulate;
pub mod verify;
#[cfg(feature = "board")]
pub mod watch;
