//! `dauys`: the command line for the people who run an election, one subcommand per role,
//! each working from its own files and exchanging only public messages through the board.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dauys::board::client::BoardClient;
use dauys::board::store::Board;
use dauys::crypto::group::{Element, hex32, to_hex};
use dauys::election::ballot::Ballot;
use dauys::election::credential::{Credential, CredentialList};
use dauys::election::manifest::{Lang, Manifest};
use dauys::election::params::ElectionParams;
use dauys::election::registrar;
use dauys::election::report::result_table;
use dauys::election::tally::{TrusteeDecryption, decrypt_result};
use dauys::election::trustee::TrusteeSecrets;
use dauys::keyfile::{rewrite_private, write_private};
use dauys::log::checkpoint::{Checkpoint, Receipt};
use dauys::log::event::{Event, Open};
use dauys::log::merkle;
use dauys::runner::{RunError, ceremony_outcome, post_all};
use serde_json::Value;

#[derive(Parser)]
#[command(name = "dauys", version, about = "Verifiable, ballot-secret online voting")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a whole election on the embedded demo manifest: registrar, 3-of-5 trustees,
    /// voters (some re-vote, some challenge a ballot), tally, result and record.
    Demo {
        /// The election directory (default: a new directory under the system's temp dir).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// How many voters.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        voters: u64,
    },
    /// Replay given vote counts exactly through the whole pipeline, writing DIR/record.
    Simulate {
        /// The manifest (JSON).
        #[arg(long)]
        manifest: PathBuf,
        /// The votes: JSON, contest id → option id → count.
        #[arg(long)]
        votes: PathBuf,
        /// The election directory (must not hold a board yet).
        #[arg(long)]
        dir: PathBuf,
    },
    /// The bulletin board's operator.
    #[command(subcommand)]
    Board(BoardCommand),
    /// The registrar: voter roll and credentials.
    #[command(subcommand)]
    Registrar(RegistrarCommand),
    /// A trustee: key ceremony and decryption.
    #[command(subcommand)]
    Trustee(TrusteeCommand),
    /// A voter: encrypt, prove, sign and cast a ballot (or challenge one first).
    #[command(alias = "voter")]
    Vote {
        /// The election directory, where the board runs on this machine.
        #[arg(long, required_unless_present = "board", conflicts_with = "board")]
        dir: Option<PathBuf>,
        /// The board's URL, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        board: Option<String>,
        /// The credential the registrar gave you.
        #[arg(long)]
        credential: String,
        /// A choice, `contest=option` (or `contest=option1,option2` where a contest takes more);
        /// one per contest.
        #[arg(long = "choice", required = true)]
        choices: Vec<String>,
        /// Challenge a ballot first: it is opened, checked, posted as spoiled and never counted.
        #[arg(long)]
        challenge: bool,
        /// Where to save the receipt (JSON).
        #[arg(long)]
        receipt: Option<PathBuf>,
    },
    /// A voter's receipt, later: is the ballot still in the board's log, under its newest
    /// checkpoint, and is that log an extension of the one the receipt was issued in?
    #[command(subcommand)]
    Receipt(ReceiptCommand),
    /// The tallier: sum the counted ballots homomorphically and post the encrypted tally.
    Tally {
        #[arg(long)]
        dir: PathBuf,
    },
    /// The tallier: combine the trustees' decryptions, post and print the result.
    Result {
        #[arg(long)]
        dir: PathBuf,
        /// Language of the table: kk, ru or en.
        #[arg(long, default_value = "en", value_parser = ["kk", "ru", "en"])]
        lang: String,
    },
    /// Load the board over loopback with valid ballots: accepted ballots per second with full
    /// proof checking, latency percentiles, and where the board's time goes.
    Loadtest {
        /// The board's URL (loopback only).
        #[arg(long)]
        board: String,
        /// The registrar's credential sheet (iin,precinct,credential), one credential per ballot.
        #[arg(long)]
        sheet: PathBuf,
        #[arg(long, default_value_t = 1000)]
        ballots: usize,
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=256))]
        concurrency: u64,
    },
    /// Write the election record (what observers verify) to DIR/record or --out.
    Export {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum BoardCommand {
    /// Create the board for a manifest: its signing key and the setup event.
    Init {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        manifest: PathBuf,
    },
    /// Open voting: the ceremony's outcome and the registrar's credential list.
    Open {
        #[arg(long)]
        dir: PathBuf,
        /// The public credential list (JSON) from `dauys registrar issue`.
        #[arg(long)]
        credentials: PathBuf,
    },
    /// Close voting.
    Close {
        #[arg(long)]
        dir: PathBuf,
    },
    /// Where the election stands.
    Status {
        #[arg(long)]
        dir: PathBuf,
    },
    /// Serve the board over HTTP (voters post ballots; observers read the log and the record).
    Serve {
        #[arg(long)]
        dir: PathBuf,
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
    },
}

#[derive(Subcommand)]
enum ReceiptCommand {
    /// Check a saved receipt against the board's newest checkpoint.
    Check {
        #[arg(long)]
        board: String,
        receipt: PathBuf,
    },
}

#[derive(Subcommand)]
enum RegistrarCommand {
    /// Issue one credential per voter of the roll (CSV: iin,precinct).
    Issue {
        #[arg(long)]
        manifest: PathBuf,
        #[arg(long)]
        roll: PathBuf,
        /// Directory for credentials.json (public) and credential-sheet.csv (secret, 0600).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a synthetic roll of N voters with valid IINs (for tests and load runs).
    SyntheticRoll {
        #[arg(long)]
        voters: usize,
        #[arg(long)]
        out: PathBuf,
    },
    /// Is a citizen on the roll, and in which precinct?
    Check {
        #[arg(long)]
        roll: PathBuf,
        iin: String,
    },
}

#[derive(Subcommand)]
enum TrusteeCommand {
    /// Create this trustee's key file (0600) and post its transport key.
    Init {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        index: u32,
        #[arg(long)]
        key: PathBuf,
    },
    /// Deal: post commitments and shares encrypted to every trustee.
    Deal {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        key: PathBuf,
    },
    /// Receive and check the shares dealt to this trustee; post complaints about bad ones.
    Receive {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        key: PathBuf,
    },
    /// Post this trustee's decryption of the tally, with proofs.
    Decrypt {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        key: PathBuf,
    },
}

type Outcome = Result<(), RunError>;

fn fail(message: impl std::fmt::Display) -> RunError {
    RunError::Other(message.to_string())
}

fn read(path: &Path) -> Result<String, RunError> {
    std::fs::read_to_string(path).map_err(|e| fail(format!("{}: {e}", path.display())))
}

fn lang(code: &str) -> Lang {
    match code {
        "kk" => Lang::Kk,
        "ru" => Lang::Ru,
        _ => Lang::En,
    }
}

fn load_trustee(key: &Path) -> Result<TrusteeSecrets, RunError> {
    Ok(TrusteeSecrets::from_json(&read(key)?)?)
}

fn board_cmd(cmd: BoardCommand) -> Outcome {
    let mut rng = rand::rng();
    match cmd {
        BoardCommand::Init { dir, manifest } => {
            let manifest = Manifest::from_json(&read(&manifest)?)?;
            let board = Board::create(&dir, manifest, &mut rng)?;
            println!("board created in {}", dir.display());
            println!("board key          {}", board.board_key().to_hex());
            println!("setup fingerprint  {}", dauys::crypto::group::to_hex(board.setup_fingerprint().as_bytes()));
        }
        BoardCommand::Open { dir, credentials } => {
            let mut board = Board::open(&dir)?;
            let list: CredentialList = serde_json::from_str(&read(&credentials)?)
                .map_err(|e| fail(format!("{}: {e}", credentials.display())))?;
            let c = ceremony_outcome(&board)?;
            let open = Open { credentials: list, joint_key: c.joint_key, verification_keys: c.verification_keys };
            post_all(&mut board, vec![Event::Open(Box::new(open))], &mut rng)?;
            let params = board.state().params.as_ref().expect("opened");
            println!("voting open: {} credentials, qualified dealers {:?}", params.credentials.len(), c.qualified);
            println!("joint key             {}", params.key.element().to_hex());
            println!("election fingerprint  {}", dauys::crypto::group::to_hex(params.fingerprint.as_bytes()));
        }
        BoardCommand::Close { dir } => {
            let mut board = Board::open(&dir)?;
            post_all(&mut board, vec![Event::Close], &mut rng)?;
            println!("voting closed after {} ballots ({} count)", board.state().cast, board.state().counted());
        }
        BoardCommand::Serve { dir, listen } => {
            let runtime = tokio::runtime::Runtime::new().map_err(fail)?;
            runtime.block_on(async move {
                let listener =
                    tokio::net::TcpListener::bind(&listen).await.map_err(|e| fail(format!("{listen}: {e}")))?;
                println!("board of {} serving on http://{}", dir.display(), listener.local_addr().map_err(fail)?);
                let stop = async {
                    let _ = tokio::signal::ctrl_c().await;
                };
                dauys::board::server::serve(dir.clone(), listener, stop).await.map_err(RunError::from)
            })?;
        }
        BoardCommand::Status { dir } => {
            let board = Board::open(&dir)?;
            let s = board.state();
            println!("phase       {:?}", s.phase());
            println!("events      {}", board.len());
            println!(
                "trustees    {} transport keys, {} dealings, {} complaints",
                s.transport_keys.len(),
                s.dealings.len(),
                s.complaints.len()
            );
            println!("ballots     {} cast, {} counted, {} spoiled", s.cast, s.counted(), s.spoiled);
            println!("decryptions {}", s.decryptions.len());
            if let Some(c) = board.latest_checkpoint() {
                println!("checkpoint  size {} root {}", c.size, dauys::crypto::group::to_hex(&c.root));
            }
        }
    }
    Ok(())
}

fn registrar_cmd(cmd: RegistrarCommand) -> Outcome {
    match cmd {
        RegistrarCommand::Issue { manifest, roll, out } => {
            let manifest = Manifest::from_json(&read(&manifest)?)?;
            let roll = registrar::parse_roll(&read(&roll)?)?;
            let (sheet, list) = registrar::issue(&roll, &manifest.election_id, &mut rand::rng())?;
            std::fs::create_dir_all(&out).map_err(|e| fail(format!("{}: {e}", out.display())))?;
            let (list_path, sheet_path) = (out.join("credentials.json"), out.join("credential-sheet.csv"));
            // Never replace an issued list or sheet: they must stay the pair voters hold.
            for p in [&list_path, &sheet_path] {
                if p.exists() {
                    return Err(fail(format!("{} exists: credentials were issued already", p.display())));
                }
            }
            write_private(&sheet_path, registrar::sheet_csv(&sheet).as_bytes())
                .map_err(|e| fail(format!("{}: {e}", sheet_path.display())))?;
            std::fs::write(&list_path, serde_json::to_string(&list).expect("serializes"))
                .map_err(|e| fail(format!("{}: {e}", list_path.display())))?;
            println!("{} credentials issued", list.len());
            println!("public list (for the board):          {}", list_path.display());
            println!("credential sheet (secret; distribute, then destroy): {}", sheet_path.display());
        }
        RegistrarCommand::SyntheticRoll { voters, out } => {
            let mut rng = rand::rng();
            let mut text = String::from("iin,precinct\n");
            let mut seen = std::collections::HashSet::new();
            while seen.len() < voters {
                let iin = registrar::random_iin(&mut rng);
                if seen.insert(iin.clone()) {
                    text.push_str(&format!("{iin},Precinct-{:03}\n", seen.len() % 50 + 1));
                }
            }
            std::fs::write(&out, text).map_err(|e| fail(format!("{}: {e}", out.display())))?;
            println!("{voters} voters written to {}", out.display());
        }
        RegistrarCommand::Check { roll, iin } => {
            registrar::check_iin(&iin).map_err(fail)?;
            let roll = registrar::parse_roll(&read(&roll)?)?;
            match roll.iter().find(|e| e.iin == iin) {
                Some(e) => println!("{iin} is on the roll, precinct {}", e.precinct),
                None => return Err(fail(format!("{iin} is not on the roll"))),
            }
        }
    }
    Ok(())
}

fn trustee_cmd(cmd: TrusteeCommand) -> Outcome {
    let mut rng = rand::rng();
    match cmd {
        TrusteeCommand::Init { dir, index, key } => {
            let mut board = Board::open(&dir)?;
            let secrets = TrusteeSecrets::new(index, &mut rng);
            write_private(&key, secrets.to_json().as_bytes()).map_err(|e| fail(format!("{}: {e}", key.display())))?;
            let event = Event::TransportKey(secrets.transport_key(&board.setup_fingerprint(), &mut rng));
            post_all(&mut board, vec![event], &mut rng)?;
            println!("trustee {index}: key file {} (keep it private), transport key posted", key.display());
        }
        TrusteeCommand::Deal { dir, key } => {
            let mut board = Board::open(&dir)?;
            let mut secrets = load_trustee(&key)?;
            let s = board.state();
            let params = s.setup.as_ref().ok_or_else(|| fail("no setup on the board"))?.manifest.threshold_params();
            let keys: Vec<_> = s.transport_keys.values().cloned().collect();
            if keys.len() != params.trustees as usize {
                return Err(fail(format!(
                    "{} of {} trustees have posted transport keys; wait for all",
                    keys.len(),
                    params.trustees
                )));
            }
            let dealing = secrets.deal(&board.setup_fingerprint(), &params, &keys, &mut rng)?;
            post_all(&mut board, vec![Event::Dealing(dealing)], &mut rng)?;
            rewrite_private(&key, secrets.to_json().as_bytes()).map_err(|e| fail(format!("{}: {e}", key.display())))?;
            println!("trustee {}: dealing posted", secrets.index);
        }
        TrusteeCommand::Receive { dir, key } => {
            let mut board = Board::open(&dir)?;
            let mut secrets = load_trustee(&key)?;
            let s = board.state();
            let n = s.setup.as_ref().ok_or_else(|| fail("no setup on the board"))?.manifest.trustees.count as usize;
            if s.dealings.len() != n {
                return Err(fail(format!("{} of {n} dealings posted; wait for all", s.dealings.len())));
            }
            let dealings: Vec<_> = s.dealings.values().cloned().collect();
            let complaints = secrets.receive(&board.setup_fingerprint(), &dealings, &mut rng);
            rewrite_private(&key, secrets.to_json().as_bytes()).map_err(|e| fail(format!("{}: {e}", key.display())))?;
            let count = complaints.len();
            post_all(&mut board, complaints.into_iter().map(Event::Complaint).collect(), &mut rng)?;
            println!("trustee {}: shares received and checked, {count} complaint(s) posted", secrets.index);
        }
        TrusteeCommand::Decrypt { dir, key } => {
            let mut board = Board::open(&dir)?;
            let secrets = load_trustee(&key)?;
            let s = board.state();
            let params = s.params.clone().ok_or_else(|| fail("voting never opened"))?;
            let tally = s.tally.clone().ok_or_else(|| fail("no tally on the board yet (run `dauys tally`)"))?;
            let decryption = secrets.decrypt(&params, &ceremony_outcome(&board)?, &tally, &mut rng)?;
            post_all(&mut board, vec![Event::Decryption(decryption)], &mut rng)?;
            println!("trustee {}: decryption of the tally posted, with proofs", secrets.index);
        }
    }
    Ok(())
}

/// Where a voter's ballots go: the board's files on this machine, or its HTTP API.
#[allow(clippy::large_enum_variant)] // one value per process
enum Target {
    Local(Box<Board>),
    Remote { client: BoardClient, board_key: Element, setup: dauys::crypto::group::Fingerprint },
}

impl Target {
    /// The election's parameters; from a remote board, rebuilt from what it serves and checked
    /// against the fingerprint it claims.
    fn params(&self) -> Result<ElectionParams, RunError> {
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

    fn post(&mut self, event: Event) -> Result<Receipt, RunError> {
        match self {
            Target::Local(board) => Ok(board.append(event, &mut rand::rng())?),
            Target::Remote { client, .. } => match event {
                Event::Cast(b) => client.cast(&b).map_err(fail),
                Event::Spoiled(s) => client.spoil(&s).map_err(fail),
                _ => Err(fail("voters post ballots only")),
            },
        }
    }

    fn keys(&self) -> (dauys::crypto::group::Fingerprint, Element) {
        match self {
            Target::Local(board) => (board.setup_fingerprint(), board.board_key()),
            Target::Remote { setup, board_key, .. } => (*setup, *board_key),
        }
    }
}

fn remote(url: &str) -> Result<Target, RunError> {
    let client = BoardClient::new(url);
    let e = client.get("/election").map_err(fail)?;
    let board_key: Element = serde_json::from_value(e["board_key"].clone()).map_err(fail)?;
    let manifest: Manifest = serde_json::from_value(e["manifest"].clone()).map_err(fail)?;
    Ok(Target::Remote { client, board_key, setup: manifest.setup_fingerprint() })
}

fn vote(
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
fn check_receipt(url: &str, path: &Path) -> Outcome {
    let receipt: Receipt = serde_json::from_str(&read(path)?).map_err(|e| fail(format!("{}: {e}", path.display())))?;
    let target = remote(url)?;
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

/// Whether `url` points at this machine (the load generator refuses anything else).
fn is_loopback(url: &str) -> bool {
    let host = url.strip_prefix("http://").unwrap_or("").split('/').next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    host == "localhost" || host == "[::1]" || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

fn loadtest(url: &str, sheet: &Path, ballots: usize, concurrency: usize) -> Outcome {
    use rand::RngExt;
    use rayon::prelude::*;
    if !is_loopback(url) {
        return Err(fail(format!(
            "{url}: the load generator only targets this machine (127.0.0.0/8, localhost, [::1])"
        )));
    }
    let target = remote(url)?;
    let params = target.params()?;
    let credentials: Vec<String> =
        read(sheet)?.lines().skip(1).filter_map(|l| l.rsplit(',').next().map(str::to_string)).collect();
    if credentials.len() < ballots {
        return Err(fail(format!("the sheet has {} credentials for {ballots} ballots", credentials.len())));
    }
    eprintln!("encrypting and proving {ballots} ballots…");
    let prepared: Vec<Vec<u8>> = credentials[..ballots]
        .par_iter()
        .map(|c| {
            let mut rng = rand::rng();
            let marks: Vec<Vec<u64>> = params
                .manifest
                .contests
                .iter()
                .map(|contest| {
                    let (lo, hi) = contest.sum_bounds();
                    let mut m = vec![0u64; contest.options.len()];
                    let k = lo.max(1).min(hi) as usize;
                    while m.iter().sum::<u64>() < k as u64 {
                        m[rng.random_range(0..contest.options.len())] = 1;
                    }
                    m
                })
                .collect();
            let key = Credential::parse(c)?.key_pair(&params.manifest.election_id);
            let (ballot, _) = Ballot::encrypt(&params, &key, &marks, &mut rng)?;
            Ok(serde_json::to_vec(&ballot).expect("serializes"))
        })
        .collect::<Result<_, RunError>>()?;
    let client = BoardClient::new(url);
    let before: Value = client.get("/health").map_err(fail)?;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let start = std::time::Instant::now();
    let results: Vec<(f64, u16)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..concurrency)
            .map(|_| {
                let (prepared, next) = (&prepared, &next);
                s.spawn(move || {
                    let client = BoardClient::new(url);
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(body) = prepared.get(i) else { break };
                        let t = std::time::Instant::now();
                        let status = client
                            .request("POST", "/ballots", Some(("application/json", body.clone())))
                            .map_or(0, |(s, _)| s);
                        out.push((t.elapsed().as_secs_f64(), status));
                    }
                    out
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("worker")).collect()
    });
    let wall = start.elapsed().as_secs_f64();
    let after: Value = client.get("/health").map_err(fail)?;
    let accepted = results.iter().filter(|(_, s)| *s == 200).count();
    let mut latencies: Vec<f64> = results.iter().map(|(l, _)| *l).collect();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize] * 1e3;
    let delta = |k: &str| after["appends"][k].as_f64().unwrap_or(0.0) - before["appends"][k].as_f64().unwrap_or(0.0);
    let (verify, store) = (delta("verify_seconds"), delta("store_seconds"));
    println!(
        "{accepted} of {ballots} ballots accepted in {wall:.2} s: {:.0} ballots/s, concurrency {concurrency}",
        accepted as f64 / wall
    );
    println!("latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms", pct(0.5), pct(0.99), pct(1.0));
    println!(
        "board: {} batches; proof checking {verify:.2} s, storage {store:.2} s ({:.0} % checking)",
        delta("batches"),
        100.0 * verify / (verify + store).max(1e-9)
    );
    if accepted != ballots {
        return Err(fail(format!("{} ballots were refused", ballots - accepted)));
    }
    Ok(())
}

fn run(cli: Cli) -> Outcome {
    let mut rng = rand::rng();
    match cli.command {
        Command::Demo { dir, voters } => {
            let dir = dir.unwrap_or_else(dauys::demo::default_dir);
            dauys::demo::run(&dir, voters as usize, &mut std::io::stdout())?;
        }
        Command::Simulate { manifest, votes, dir } => {
            dauys::simulate::run(&manifest, &votes, &dir, &mut std::io::stdout())?;
        }
        Command::Board(cmd) => board_cmd(cmd)?,
        Command::Registrar(cmd) => registrar_cmd(cmd)?,
        Command::Trustee(cmd) => trustee_cmd(cmd)?,
        Command::Vote { dir, board, credential, choices, challenge, receipt } => {
            let mut target = match (dir, board) {
                (Some(dir), _) => Target::Local(Box::new(Board::open(&dir)?)),
                (None, Some(url)) => remote(&url)?,
                (None, None) => return Err(fail("give --dir or --board")),
            };
            vote(&mut target, &credential, &choices, challenge, receipt.as_deref())?
        }
        Command::Receipt(ReceiptCommand::Check { board, receipt }) => check_receipt(&board, &receipt)?,
        Command::Tally { dir } => {
            let mut board = Board::open(&dir)?;
            let tally = board.compute_tally()?;
            post_all(&mut board, vec![Event::Tally(tally.clone())], &mut rng)?;
            println!("encrypted tally of {} ballots posted; trustees can now decrypt", tally.ballots);
        }
        Command::Result { dir, lang: code } => {
            let mut board = Board::open(&dir)?;
            let s = board.state();
            let params = s.params.clone().ok_or_else(|| fail("voting never opened"))?;
            let tally = s.tally.clone().ok_or_else(|| fail("no tally yet"))?;
            let t = params.manifest.trustees.threshold as usize;
            let decryptions: Vec<TrusteeDecryption> = s.decryptions.values().take(t).cloned().collect();
            if decryptions.len() < t {
                return Err(fail(format!("{} of the {t} decryptions needed are posted", decryptions.len())));
            }
            let result = decrypt_result(&params, &tally, &decryptions)?;
            post_all(&mut board, vec![Event::Result(result.clone())], &mut rng)?;
            println!("{}", result_table(&params.manifest, &result, lang(&code)));
        }
        Command::Loadtest { board, sheet, ballots, concurrency } => {
            loadtest(&board, &sheet, ballots, concurrency as usize)?
        }
        Command::Export { dir, out } => {
            let board = Board::open(&dir)?;
            let out = out.unwrap_or_else(|| dir.join("record"));
            board.export(&out)?;
            println!("record of {} events written to {}", board.len(), out.display());
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dauys: {e}");
            ExitCode::FAILURE
        }
    }
}
