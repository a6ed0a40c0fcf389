//! A voter: encrypt, prove, sign and cast (or challenge) a ballot; check a receipt later.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use dauys::board::client::BoardClient;
use dauys::board::store::Board;
use dauys::crypto::group::{Element, hex32, to_hex};
use dauys::election::ballot::Ballot;
use dauys::election::credential::Credential;
use dauys::election::manifest::Manifest;
use dauys::election::params::ElectionParams;
use dauys::log::checkpoint::{Checkpoint, Receipt};
use dauys::log::event::Event;
use dauys::log::merkle;
use dauys::runner::RunError;
use serde_json::Value;

use super::{Outcome, fail, read};

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
            Target::Local(board) => board.state().params.clone().ok_or_else(|| fail("voting has not opened")),
            Target::Remote { client, .. } => {
                let e = client.get("/election").map_err(fail)?;
                let field = |name: &str| e[name].clone();
                let parse = |name: &str| -> Result<Value, RunError> {
                    let v = field(name);
                    if v.is_null() { Err(fail("voting has not opened")) } else { Ok(v) }
                };
                let manifest: Manifest = serde_json::from_value(field("manifest")).map_err(fail)?;
                let params = ElectionParams::new(
                    manifest,
                    serde_json::from_value(parse("joint_key")?).map_err(fail)?,
                    serde_json::from_value(parse("verification_keys")?).map_err(fail)?,
                    serde_json::from_value(parse("credentials")?).map_err(fail)?,
                )?;
                if parse("fingerprint")?.as_str() != Some(&to_hex(params.fingerprint.as_bytes())) {
                    return Err(fail("the board's election does not hash to the fingerprint it claims"));
                }
                Ok(params)
            }
        }
    }

    pub fn post(&mut self, event: Event) -> Result<Receipt, RunError> {
        match self {
            Target::Local(board) => Ok(board.append(event, &mut rand::rng())?),
            Target::Remote { client, .. } => match event {
                Event::Cast(b) => client.cast(&b).map_err(fail),
                Event::Spoiled(s) => client.spoil(&s).map_err(fail),
                _ => Err(fail("voters post ballots only")),
            },
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

pub fn vote(
    target: &mut Target,
    credential: &str,
    choices: &[String],
    challenge: bool,
    receipt_path: Option<&Path>,
) -> Outcome {
    let mut rng = rand::rng();
    let params = target.params()?;
    let mut picked: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for choice in choices {
        let (contest, options) =
            choice.split_once('=').ok_or_else(|| fail(format!("{choice:?}: a choice is contest=option")))?;
        picked
            .entry(contest.to_string())
            .or_default()
            .extend(options.split(',').filter(|o| !o.is_empty()).map(str::to_string));
    }
    let marks = params.manifest.marks(&picked)?;
    let key = Credential::parse(credential)?.key_pair(&params.manifest.election_id);
    if challenge {
        let (ballot, secrets) = Ballot::encrypt(&params, &key, &marks, &mut rng)?;
        println!("challenged ballot, tracking code {}", ballot.tracking_code());
        let spoiled = ballot.challenge(secrets);
        if spoiled.check(&params)? != marks {
            return Err(fail("the challenged ballot does NOT encrypt your choices: do not use this device"));
        }
        println!(
            "   opened: it encrypts exactly your choices; posted as spoiled (without your credential), never counted"
        );
        target.post(Event::Spoiled(Box::new(spoiled)))?;
    }
    let (ballot, _secrets) = Ballot::encrypt(&params, &key, &marks, &mut rng)?;
    let code = ballot.tracking_code();
    let own_leaf = Event::Cast(Box::new(ballot.clone())).leaf_hash();
    let receipt = target.post(Event::Cast(Box::new(ballot)))?;
    // The receipt must be for this very ballot, under a checkpoint the board signed.
    let (setup, board_key) = target.keys();
    receipt.verify(&setup, &board_key).map_err(fail)?;
    if receipt.leaf_hash != own_leaf {
        return Err(fail("the board's receipt is not for this ballot"));
    }
    println!("ballot cast, tracking code {code}");
    println!("   entry {} of the board, checkpoint of size {}", receipt.index, receipt.checkpoint.size);
    let json = serde_json::to_string_pretty(&receipt).expect("serializes");
    match receipt_path {
        Some(p) => std::fs::write(p, json).map_err(|e| fail(format!("{}: {e}", p.display())))?,
        None => println!("{json}"),
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
    newest.verify(setup, board_key).map_err(|e| fail(format!("the newest checkpoint: {e}")))?;
    let hashes = |v: &Value| -> Result<Vec<[u8; 32]>, RunError> {
        let list: Vec<String> = serde_json::from_value(v["proof"].clone()).map_err(fail)?;
        list.iter().map(|h| hex32("proof", h).map_err(fail)).collect()
    };
    let inclusion =
        client.get(&format!("/proof/inclusion?index={}&size={}", receipt.index, newest.size)).map_err(fail)?;
    merkle::verify_inclusion(receipt.index, newest.size, &receipt.leaf_hash, &hashes(&inclusion)?, &newest.root)
        .map_err(|e| fail(format!("the entry is not in the newest log: {e}")))?;
    let old = &receipt.checkpoint;
    if old.size < newest.size {
        let proof = client.get(&format!("/proof/consistency?from={}&to={}", old.size, newest.size)).map_err(fail)?;
        merkle::verify_consistency(old.size, newest.size, &hashes(&proof)?, &old.root, &newest.root)
            .map_err(|e| fail(format!("the board's log is not an extension of the receipt's: {e}")))?;
    }
    println!(
        "receipt OK: entry {} is in the board's log of {} events, which extends the log of {} it was issued in",
        receipt.index, newest.size, old.size
    );
    Ok(())
}

/// `dauys vote`: to the board in `dir` on this machine, or to the one at `url`.
pub fn vote_cmd(
    dir: Option<PathBuf>,
    url: Option<String>,
    ca: Option<&Path>,
    credential: &str,
    choices: &[String],
    challenge: bool,
    receipt: Option<&Path>,
) -> Outcome {
    let mut target = match (dir, url) {
        (Some(dir), _) => Target::Local(Box::new(Board::open(&dir)?)),
        (None, Some(url)) => remote(&url, ca)?,
        (None, None) => return Err(fail("give --dir or --board")),
    };
    vote(&mut target, credential, choices, challenge, receipt)
}
