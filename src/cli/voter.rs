//! A voter: encrypt a ballot, see its tracking code, then cast it or challenge it (Benaloh);
//! check a challenged ballot's opening on a second device; check a receipt later.
//!
//! The order matters: the device encrypts and commits to the ballot (its tracking code is
//! shown) before it learns whether the ballot will be cast or audited, so a device that
//! cheats is caught whenever the voter challenges.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use dauys::board::BoardError;
use dauys::board::client::BoardClient;
use dauys::board::store::Board;
use dauys::crypto::group::{Element, Fingerprint, hex32, to_hex};
use dauys::election::ballot::{Ballot, Opening, SpoiledBallot, normalize_tracking_code};
use dauys::election::credential::Credential;
use dauys::election::manifest::{Lang, Manifest};
use dauys::election::params::ElectionParams;
use dauys::keyfile::write_private;
use dauys::log::checkpoint::{Checkpoint, Receipt};
use dauys::log::event::Event;
use dauys::log::merkle;
use dauys::log::record;
use dauys::runner::RunError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

use super::{Outcome, fail, read, words};

#[derive(Subcommand)]
pub enum ReceiptCommand {
    /// Check a saved receipt against the board's newest checkpoint.
    Check {
        /// The board's URL (http:// or https://).
        #[arg(long)]
        board: String,
        /// With an https:// board: the CA certificate (PEM) that issued the board's
        /// certificate, where the system's roots do not include it.
        #[arg(long)]
        ca: Option<PathBuf>,
        /// The receipt (JSON) that `dauys vote --receipt` saved.
        receipt: PathBuf,
    },
}

/// Which board: the election directory on this machine, or a URL.
#[derive(Args, Debug, Clone, Default)]
pub struct TargetArgs {
    /// The election directory, where the board runs on this machine.
    #[arg(long, conflicts_with = "board")]
    pub dir: Option<PathBuf>,
    /// The board's URL, e.g. http://127.0.0.1:8080 or https://board.example.
    #[arg(long)]
    pub board: Option<String>,
    /// With an https:// board: the CA certificate (PEM) that issued the board's certificate,
    /// where the system's roots do not include it.
    #[arg(long, requires = "board")]
    pub ca: Option<PathBuf>,
}

impl TargetArgs {
    pub fn open(&self) -> Result<Target, RunError> {
        match (&self.dir, &self.board) {
            (Some(dir), _) => Ok(Target::Local(Box::new(Board::open(dir)?))),
            (None, Some(url)) => remote(url, self.ca.as_deref()),
            (None, None) => Err(fail(t!("vote-give-board"))),
        }
    }
}

/// The two-step form of voting: prepare (encrypt, show the code), then cast or challenge; and
/// before registration, the credential.
#[derive(Subcommand)]
pub enum VoteStep {
    /// Make this voter's credential on this machine (a 0600 file; the registrar never sees its
    /// secret) and print the public credential X = x·g to register (`dauys register`).
    Keygen {
        /// The election's id (its manifest's `election_id`): the credential is for it alone.
        #[arg(long)]
        election_id: String,
        /// Where to write the credential file (created, mode 0600; never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Encrypt, prove and sign a ballot, show its tracking code, and save it with its nonces
    /// (mode 0600) to cast or challenge later.
    Prepare {
        #[command(flatten)]
        target: TargetArgs,
        /// Your credential file (from `dauys voter keygen`), or the credential's digits.
        #[arg(long)]
        credential: String,
        /// A choice, `contest=option` (or `contest=option1,option2`); one per contest.
        #[arg(long = "choice", required = true)]
        choices: Vec<String>,
        /// Where to save the prepared ballot (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Cast a prepared ballot; the saved file is deleted (its nonces would prove your vote).
    Cast {
        #[command(flatten)]
        target: TargetArgs,
        /// The file `dauys vote prepare` wrote.
        state: PathBuf,
        /// Where to save the receipt (JSON).
        #[arg(long)]
        receipt: Option<PathBuf>,
    },
    /// Challenge a prepared ballot: it is opened and handed to the board, which publishes it
    /// (without your credential) with every challenged ballot when voting closes; it never
    /// counts. The opening is written for a second device (`dauys challenge check`).
    Challenge {
        #[command(flatten)]
        target: TargetArgs,
        /// The file `dauys vote prepare` wrote.
        state: PathBuf,
        /// Where to write the opening (must not exist).
        #[arg(long)]
        opening: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum ChallengeCommand {
    /// On a second device: recompute a challenged ballot's tracking code, check that its
    /// opening re-encrypts to its ciphertexts under the election's key, and print the choices
    /// it holds.
    #[command(group(clap::ArgGroup::new("source").required(true).args(["board", "dir", "record"])))]
    Check {
        /// The board's URL, for the election's key.
        #[arg(long)]
        board: Option<String>,
        /// With an https:// board: the CA certificate (PEM) that issued its certificate.
        #[arg(long, requires = "board")]
        ca: Option<PathBuf>,
        /// The election directory, for the election's key.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// A published record, for the election's key (and to find the ballot among the
        /// challenged ones once voting closed).
        #[arg(long)]
        record: Option<PathBuf>,
        /// The opening (JSON) the voting device gave.
        opening: PathBuf,
        /// The tracking code the voting device showed before you challenged.
        #[arg(long)]
        code: String,
    },
}

/// Where a voter's ballots go: the board's files on this machine, or its HTTP API.
#[allow(clippy::large_enum_variant)] // one value per process
pub enum Target {
    Local(Box<Board>),
    Remote { client: BoardClient, board_key: Element, setup: dauys::crypto::group::Fingerprint },
}

impl Target {
    /// The election's parameters; from a remote board, rebuilt from what it serves and checked
    /// against the fingerprint it claims.
    pub fn params(&self) -> Result<ElectionParams, RunError> {
        match self {
            Target::Local(board) => board.state().params.clone().ok_or_else(|| fail(t!("cli-not-open"))),
            Target::Remote { client, .. } => {
                let e = client.get("/election").map_err(fail)?;
                let field = |name: &str| e[name].clone();
                let parse = |name: &str| -> Result<Value, RunError> {
                    let v = field(name);
                    if v.is_null() { Err(fail(t!("cli-not-open"))) } else { Ok(v) }
                };
                let manifest: Manifest = serde_json::from_value(field("manifest")).map_err(fail)?;
                // Per style, the credentials and their base: h_final after registration and
                // shuffles, g without.
                let lists = parse("lists")?
                    .as_array()
                    .ok_or_else(|| fail(t!("remote-bad-lists")))?
                    .iter()
                    .map(|l| {
                        let base = match &l["base"] {
                            Value::Null => Element::generator(),
                            b => serde_json::from_value(b.clone()).map_err(fail)?,
                        };
                        let credentials = serde_json::from_value(l["credentials"].clone()).map_err(fail)?;
                        Ok(dauys::election::params::StyleList { credentials, base })
                    })
                    .collect::<Result<Vec<_>, RunError>>()?;
                let params = ElectionParams::with_lists(
                    manifest,
                    serde_json::from_value(parse("joint_key")?).map_err(fail)?,
                    serde_json::from_value(parse("verification_keys")?).map_err(fail)?,
                    lists,
                )?;
                if parse("fingerprint")?.as_str() != Some(&to_hex(params.fingerprint.as_bytes())) {
                    return Err(fail(t!("remote-bad-fingerprint")));
                }
                Ok(params)
            }
        }
    }

    pub fn cast(&mut self, ballot: Ballot) -> Result<Receipt, RunError> {
        match self {
            Target::Local(board) => Ok(board.append(Event::Cast(Box::new(ballot)), &mut rand::rng())?),
            Target::Remote { client, .. } => client.cast(&ballot).map_err(fail),
        }
    }

    /// Hands a challenged ballot to the board, which holds it until close.
    pub fn challenge(&mut self, spoiled: &SpoiledBallot) -> Result<(), RunError> {
        match self {
            Target::Local(board) => board.challenge(spoiled).map(|_| ()).map_err(|e| match e {
                BoardError::Rejected(r) => fail(t!("vote-challenge-refused", reason = r.reason)),
                other => other.into(),
            }),
            Target::Remote { client, .. } => client.challenge(spoiled).map(|_| ()).map_err(fail),
        }
    }

    pub fn keys(&self) -> (dauys::crypto::group::Fingerprint, Element) {
        match self {
            Target::Local(board) => (board.setup_fingerprint(), board.board_key()),
            Target::Remote { setup, board_key, .. } => (*setup, *board_key),
        }
    }
}

pub fn remote(url: &str, ca: Option<&Path>) -> Result<Target, RunError> {
    let client = BoardClient::with_ca(url, ca).map_err(fail)?;
    let e = client.get("/election").map_err(fail)?;
    let board_key: Element = serde_json::from_value(e["board_key"].clone()).map_err(fail)?;
    let manifest: Manifest = serde_json::from_value(e["manifest"].clone()).map_err(fail)?;
    Ok(Target::Remote { client, board_key, setup: manifest.setup_fingerprint() })
}

/// The marks of `choices` (`contest=option[,option…]`).
fn marks_of(params: &ElectionParams, style: usize, choices: &[String]) -> Result<Vec<Vec<u64>>, RunError> {
    let mut picked: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for choice in choices {
        let (contest, options) =
            choice.split_once('=').ok_or_else(|| fail(t!("vote-bad-choice", choice = format!("{choice:?}"))))?;
        picked
            .entry(contest.to_string())
            .or_default()
            .extend(options.split(',').filter(|o| !o.is_empty()).map(str::to_string));
    }
    let styles = params.manifest.styles();
    Ok(params.manifest.style_marks(&styles[style], &picked)?)
}

/// Casts `ballot` and checks the receipt: signed by the board, and for this very ballot.
fn cast(target: &mut Target, ballot: Ballot, receipt_path: Option<&Path>) -> Outcome {
    let code = ballot.tracking_code();
    let own_leaf = Event::Cast(Box::new(ballot.clone())).leaf_hash();
    let receipt = target.cast(ballot)?;
    let (setup, board_key) = target.keys();
    receipt.verify(&setup, &board_key).map_err(fail)?;
    if receipt.leaf_hash != own_leaf {
        return Err(fail(t!("vote-receipt-not-ours")));
    }
    println!("{}", t!("vote-cast", code = code));
    println!("   {}", t!("vote-cast-entry", index = receipt.index, size = receipt.checkpoint.size));
    let json = serde_json::to_string_pretty(&receipt).expect("serializes");
    match receipt_path {
        Some(p) => std::fs::write(p, json).map_err(|e| fail(format!("{}: {e}", p.display())))?,
        None => println!("{json}"),
    }
    Ok(())
}

/// Challenges `ballot`: the board holds it (published at close, never counted); returns the
/// challenged ballot (ciphertexts and opening) for a second device.
fn challenge(target: &mut Target, ballot: &Ballot, opening: Opening) -> Result<SpoiledBallot, RunError> {
    let spoiled = SpoiledBallot { contests: ballot.ciphertexts(), opening, style: ballot.style.clone() };
    target.challenge(&spoiled)?;
    println!("{}", t!("vote-challenged", code = ballot.tracking_code()));
    Ok(spoiled)
}

/// `dauys vote`: encrypt, show the tracking code, then read `cast` or `challenge` from
/// `input`. After a challenge, a new ballot is encrypted with fresh randomness and the
/// question is asked again. Nothing is cast without an explicit `cast`.
pub fn vote(
    target: &mut Target,
    credential: &str,
    choices: &[String],
    receipt_path: Option<&Path>,
    input: &mut impl BufRead,
) -> Outcome {
    let mut rng = rand::rng();
    let params = target.params()?;
    let (style, key) = voting_key(&params, credential)?;
    let marks = marks_of(&params, style, choices)?;
    let styles = params.manifest.styles();
    if styles.len() > 1 {
        // A challenged ballot's marks are published in clear with its style: the voter's
        // district, whose voters are fewer than the election's (specs/protocol.md §14.4).
        println!("{}", t!("vote-style-note", style = styles[style].id));
    }
    loop {
        let (ballot, secrets) = Ballot::encrypt_style(&params, style, &key, &marks, &mut rng)?;
        let code = ballot.tracking_code();
        println!("{}", t!("vote-encrypted", code = code.as_str()));
        let decision = loop {
            print!("{} ", t!("vote-ask"));
            std::io::stdout().flush().map_err(fail)?;
            let mut line = String::new();
            if input.read_line(&mut line).map_err(fail)? == 0 {
                return Err(fail(t!("vote-no-decision")));
            }
            match line.trim() {
                "cast" => break true,
                "challenge" => break false,
                other => println!("{}", t!("vote-type-cast-or-challenge", answer = format!("{other:?}"))),
            }
        };
        if decision {
            return cast(target, ballot, receipt_path);
        }
        let spoiled = challenge(target, &ballot, secrets.open())?;
        println!("{}", t!("vote-opening-follows", code = code.as_str()));
        println!("{}", serde_json::to_string(&spoiled).expect("serializes"));
        println!("{}", t!("vote-new-ballot"));
    }
}

/// A ballot prepared and saved between `vote prepare` and `vote cast` / `vote challenge`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PreparedBallot {
    ballot: Ballot,
    election: Fingerprint,
    opening: Opening,
}

fn load_prepared(path: &Path, params: &ElectionParams) -> Result<PreparedBallot, RunError> {
    let text = Zeroizing::new(read(path)?);
    let prepared: PreparedBallot = serde_json::from_str(&text)
        .map_err(|e| fail(t!("vote-not-prepared", path = path.display().to_string(), error = e.to_string())))?;
    if prepared.election != params.fingerprint {
        return Err(fail(t!("vote-prepared-elsewhere", path = path.display().to_string())));
    }
    Ok(prepared)
}

/// A voter's credential file (`dauys voter keygen`): the secret digits, the election they are
/// for, and the public credential `X = x·g` registered with them.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialFile {
    credential: String,
    election_id: String,
    public: Element,
}

/// The credential in `arg` (a credential file, or the digits typed) for `election_id`; a file
/// for another election is refused.
pub fn load_credential(arg: &Path, election_id: &str) -> Result<Credential, RunError> {
    if !arg.is_file() {
        return arg.to_str().ok_or_else(|| fail(t!("credential-neither"))).and_then(|text| {
            Credential::parse(text)
                .map_err(|e| fail(t!("credential-bad-digits", text = format!("{text:?}"), error = e.to_string())))
        });
    }
    let text = Zeroizing::new(read(arg)?);
    let file: CredentialFile = serde_json::from_str(&text)
        .map_err(|e| fail(t!("credential-bad-file", path = arg.display().to_string(), error = e.to_string())))?;
    let file = Zeroizing::new(file);
    if file.election_id != election_id {
        return Err(fail(t!(
            "credential-other-election",
            path = arg.display().to_string(),
            theirs = format!("{:?}", file.election_id),
            ours = format!("{election_id:?}")
        )));
    }
    let credential = Credential::parse(&file.credential).map_err(|e| fail(format!("{}: {e}", arg.display())))?;
    if credential.public(election_id) != file.public {
        return Err(fail(t!("credential-mismatch", path = arg.display().to_string())));
    }
    Ok(credential)
}

impl zeroize::Zeroize for CredentialFile {
    fn zeroize(&mut self) {
        self.credential.zeroize();
    }
}

/// The voter's ballot style (by index) and signing key in this election, `x·h_s` (`h_s` its
/// style's final base), once it is found in that style's credential list.
fn voting_key(params: &ElectionParams, credential: &str) -> Result<(usize, dauys::crypto::elgamal::KeyPair), RunError> {
    let credential = load_credential(Path::new(credential), &params.manifest.election_id)?;
    style_key(params, &credential)
        .ok_or_else(|| fail(t!("credential-not-registered", key = params.voter_key(&credential).public.to_hex())))
}

/// The style whose final list holds the credential's `x·h_s`, and that signing key.
pub fn style_key(
    params: &ElectionParams,
    credential: &dauys::election::credential::Credential,
) -> Option<(usize, dauys::crypto::elgamal::KeyPair)> {
    (0..params.lists.len()).find_map(|style| {
        let key = params.voter_key_in(style, credential);
        params.lists[style].credentials.contains(&key.public).then_some((style, key))
    })
}

/// `dauys voter keygen`: the credential, made here.
fn keygen(election_id: &str, out: &Path) -> Outcome {
    if election_id.is_empty() {
        return Err(fail(t!("keygen-no-election")));
    }
    if out.exists() {
        return Err(fail(t!("keygen-exists", path = out.display().to_string())));
    }
    let credential = Credential::generate(&mut rand::rng());
    let public = credential.public(election_id);
    let file =
        CredentialFile { credential: credential.as_str().to_string(), election_id: election_id.to_string(), public };
    let file = Zeroizing::new(file);
    let text = Zeroizing::new(serde_json::to_string(&*file).expect("serializes"));
    write_private(out, text.as_bytes()).map_err(|e| fail(format!("{}: {e}", out.display())))?;
    println!("{}", t!("keygen-written", path = out.display().to_string()));
    println!("{}", t!("keygen-public", key = public.to_hex()));
    Ok(())
}

/// `dauys vote keygen|prepare|cast|challenge`.
pub fn vote_step(step: VoteStep) -> Outcome {
    match step {
        VoteStep::Keygen { election_id, out } => keygen(&election_id, &out)?,
        VoteStep::Prepare { target, credential, choices, out } => {
            let target = target.open()?;
            let params = target.params()?;
            let (style, key) = voting_key(&params, &credential)?;
            let marks = marks_of(&params, style, &choices)?;
            let (ballot, secrets) = Ballot::encrypt_style(&params, style, &key, &marks, &mut rand::rng())?;
            let code = ballot.tracking_code();
            let prepared = PreparedBallot { ballot, election: params.fingerprint, opening: secrets.open() };
            let text = Zeroizing::new(serde_json::to_string(&prepared).expect("serializes"));
            write_private(&out, text.as_bytes()).map_err(|e| fail(format!("{}: {e}", out.display())))?;
            println!("{}", t!("vote-encrypted", code = code));
            println!("   {}", t!("vote-prepared-saved", path = out.display().to_string()));
            println!("   {}", t!("vote-prepared-next", path = out.display().to_string()));
        }
        VoteStep::Cast { target, state, receipt } => {
            let mut target = target.open()?;
            let params = target.params()?;
            let prepared = load_prepared(&state, &params)?;
            cast(&mut target, prepared.ballot, receipt.as_deref())?;
            std::fs::remove_file(&state).map_err(|e| fail(format!("{}: {e}", state.display())))?;
        }
        VoteStep::Challenge { target, state, opening } => {
            let mut target = target.open()?;
            let params = target.params()?;
            let prepared = load_prepared(&state, &params)?;
            let code = prepared.ballot.tracking_code();
            let spoiled = challenge(&mut target, &prepared.ballot, prepared.opening)?;
            write_private(&opening, serde_json::to_string(&spoiled).expect("serializes").as_bytes())
                .map_err(|e| fail(format!("{}: {e}", opening.display())))?;
            // A challenged ballot must never be cast: the prepared file goes.
            std::fs::remove_file(&state).map_err(|e| fail(format!("{}: {e}", state.display())))?;
            println!("{}", t!("vote-opening-written", path = opening.display().to_string(), code = code));
        }
    }
    Ok(())
}

/// The election's parameters from a published record (its setup and open events).
fn params_from_record(dir: &Path) -> Result<ElectionParams, RunError> {
    let mut manifest = None;
    let mut last_shuffles: Vec<Option<dauys::election::unlinking::CredentialShuffle>> = Vec::new();
    for item in record::events(dir).map_err(fail)? {
        let (_, line) = item.map_err(fail)?;
        match serde_json::from_str::<Event>(&line).map_err(|e| fail(format!("{}: {e}", dir.display())))? {
            Event::Setup(s) => manifest = Some(s.manifest),
            Event::Shuffle(s) => {
                // A list beyond the manifest's styles is refused when the params are built.
                let list = (s.list as usize).min(dauys::election::manifest::MAX_STYLES);
                if last_shuffles.len() <= list {
                    last_shuffles.resize(list + 1, None);
                }
                last_shuffles[list] = Some(*s);
            }
            Event::Open(o) => {
                let manifest = manifest.ok_or_else(|| fail(t!("record-open-before-setup")))?;
                return Ok(o.params(manifest, last_shuffles)?);
            }
            _ => {}
        }
    }
    Err(fail(t!("record-not-open", path = dir.display().to_string())))
}

/// Where a challenged ballot with this ciphertext digest is in the record, if it is.
fn published_at(dir: &Path, digest: &[u8; 32]) -> Result<Option<u64>, RunError> {
    for item in record::events(dir).map_err(fail)? {
        let (index, line) = item.map_err(fail)?;
        if line.starts_with(r#"{"kind":"spoiled""#)
            && let Ok(Event::Spoiled(s)) = serde_json::from_str::<Event>(&line)
            && s.ciphertext_digest() == *digest
        {
            return Ok(Some(index));
        }
    }
    Ok(None)
}

/// `dauys challenge check`: on a device other than the one that voted.
pub fn challenge_check(
    source: (Option<String>, Option<PathBuf>, Option<PathBuf>),
    ca: Option<&Path>,
    opening: &Path,
    code: &str,
    lang: Lang,
) -> Outcome {
    let spoiled: SpoiledBallot = serde_json::from_str(&read(opening)?)
        .map_err(|e| fail(t!("check-not-opening", path = opening.display().to_string(), error = e.to_string())))?;
    let params = match &source {
        (Some(url), _, _) => remote(url, ca)?.params()?,
        (_, Some(dir), _) => Board::open(dir)?.state().params.clone().ok_or_else(|| fail(t!("cli-not-open")))?,
        (_, _, Some(record)) => params_from_record(record)?,
        _ => return Err(fail(t!("check-give-source"))),
    };
    let recomputed = spoiled.tracking_code();
    if normalize_tracking_code(&recomputed) != normalize_tracking_code(code) {
        return Err(fail(t!("check-other-ballot", recomputed = recomputed.as_str(), code = code)));
    }
    let marks = spoiled.check(&params).map_err(|e| fail(t!("check-cheating-opening", error = e.to_string())))?;
    println!("{}", t!("check-code-matches", code = recomputed.as_str()));
    if params.manifest.styles().len() > 1 {
        println!("{}", t!("check-style", style = spoiled.style.as_str()));
    }
    println!("{}", t!("check-opening-ok"));
    let style = params.manifest.style(&spoiled.style).map(|s| s.contests).unwrap_or_default();
    for (contest, marks) in style.iter().map(|&c| &params.manifest.contests[c]).zip(&marks) {
        let chosen: Vec<&str> =
            contest.options.iter().zip(marks).filter(|(_, m)| **m > 0).map(|(o, _)| o.label.get(lang)).collect();
        let chosen = if chosen.is_empty() { t!("check-nothing") } else { chosen.join(", ") };
        println!("   {}: {chosen}", contest.title.get(lang));
    }
    println!("{}", t!("check-if-not-yours"));
    if let (_, _, Some(record)) = &source {
        match published_at(record, &spoiled.ciphertext_digest())? {
            Some(i) => println!("{}", t!("check-published", index = i)),
            None => println!("{}", t!("check-not-published")),
        }
    }
    Ok(())
}

/// A saved receipt against the board's newest checkpoint: signed, the entry included, and the
/// log an extension of the one the receipt was issued in.
pub fn check_receipt(url: &str, ca: Option<&Path>, path: &Path) -> Outcome {
    let receipt: Receipt = serde_json::from_str(&read(path)?).map_err(|e| fail(format!("{}: {e}", path.display())))?;
    let target = remote(url, ca)?;
    let Target::Remote { client, board_key, setup } = &target else { unreachable!() };
    receipt.verify(setup, board_key).map_err(fail)?;
    let newest: Checkpoint = serde_json::from_value(client.get("/checkpoint").map_err(fail)?).map_err(fail)?;
    newest.verify(setup, board_key).map_err(|e| fail(t!("receipt-newest-checkpoint", error = e.to_string())))?;
    let hashes = |v: &Value| -> Result<Vec<[u8; 32]>, RunError> {
        let list: Vec<String> = serde_json::from_value(v["proof"].clone()).map_err(fail)?;
        list.iter().map(|h| hex32("proof", h).map_err(fail)).collect()
    };
    let inclusion =
        client.get(&format!("/proof/inclusion?index={}&size={}", receipt.index, newest.size)).map_err(fail)?;
    merkle::verify_inclusion(receipt.index, newest.size, &receipt.leaf_hash, &hashes(&inclusion)?, &newest.root)
        .map_err(|e| fail(t!("receipt-not-included", error = e.to_string())))?;
    let old = &receipt.checkpoint;
    if old.size < newest.size {
        let proof = client.get(&format!("/proof/consistency?from={}&to={}", old.size, newest.size)).map_err(fail)?;
        merkle::verify_consistency(old.size, newest.size, &hashes(&proof)?, &old.root, &newest.root)
            .map_err(|e| fail(t!("receipt-not-extension", error = e.to_string())))?;
    }
    println!("{}", t!("receipt-ok", index = receipt.index, size = newest.size, old = old.size));
    Ok(())
}

/// `dauys vote`: to the board in `dir` on this machine, or to the one at `url`; the decision
/// is read from standard input after the tracking code is shown.
pub fn vote_cmd(target: &TargetArgs, credential: Option<&str>, choices: &[String], receipt: Option<&Path>) -> Outcome {
    let credential = credential.ok_or_else(|| fail(t!("vote-give-credential")))?;
    if choices.is_empty() {
        return Err(fail(t!("vote-give-choice")));
    }
    let mut target = target.open()?;
    vote(&mut target, credential, choices, receipt, &mut std::io::stdin().lock())
}
