//! `dauys`: the command line for the people who run an election, one module per role,
//! each working from its own files and exchanging only public messages through the board.
//!
//! What it prints comes from `locales/*/cli.ftl` in the language of `--lang` (else
//! `DAUYS_LANG`, else English), through [`t!`]; errors of the layers below keep their own text.

/// The message `id` of `locales/*/cli.ftl` in this run's language, with its Fluent arguments
/// (`t!("id", name = value, …)`); the caller has `words` (this module's) in scope.
macro_rules! t {
    ($id:literal) => {
        words().get($id)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        words().with($id, &[$((stringify!($name), ::fluent_bundle::FluentValue::from($value))),+])
    };
}

mod ballot;
mod board;
mod ca;
mod loadtest;
mod register;
mod registrar;
mod remote;
mod trustee;
mod voter;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use clap::{Parser, Subcommand};
use dauys::election::manifest::Lang;
use dauys::locale::Words;
use dauys::runner::RunError;

use board::BoardCommand;
use registrar::RegistrarCommand;
use trustee::TrusteeCommand;
use voter::{ChallengeCommand, ReceiptCommand, TargetArgs, VoteStep};

#[derive(Parser)]
#[command(name = "dauys", version, about = "Verifiable, ballot-secret online voting")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of everything dauys prints (messages, tables, labels, CSV labels): kk, ru or
    /// en; default: the environment variable DAUYS_LANG, else en.
    #[arg(long, global = true, value_parser = ["kk", "ru", "en"])]
    lang: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run a whole election on the embedded demo manifest (national contests and two
    /// single-member districts) or on --manifest: registrar, trustees, voters spread over the
    /// ballot styles (some re-vote, some challenge a ballot), tally, result and record.
    Demo {
        /// The election directory (default: a new directory under the system's temp dir).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Run this manifest (JSON; ballot styles included) instead of the embedded one; its
        /// citizen_ca is replaced by the demo's synthetic CA.
        #[arg(long)]
        manifest: Option<PathBuf>,
        /// How many voters.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        voters: u64,
    },
    /// Replay given vote counts exactly through the whole pipeline, writing DIR/record.
    Simulate {
        /// The manifest (JSON).
        #[arg(long)]
        manifest: PathBuf,
        /// The votes: JSON, contest id → option id → count; with several ballot styles,
        /// optionally "turnout": style id → ballots (see `dauys::simulate`).
        #[arg(long)]
        votes: PathBuf,
        /// The election directory (must not hold a board yet).
        #[arg(long)]
        dir: PathBuf,
        #[command(flatten)]
        research: SimulateArgs,
    },
    /// The bulletin board's operator.
    #[command(subcommand)]
    Board(BoardCommand),
    /// The registrar: the voter roll's pseudonyms on the board, and the close of registration.
    #[command(subcommand)]
    Registrar(RegistrarCommand),
    /// A SYNTHETIC national CA, a stand-in for eGov EDS in prototypes and tests: it certifies
    /// each citizen's signing key.
    #[command(subcommand)]
    Ca(ca::CaCommand),
    /// A citizen registers the credential it made (`dauys voter keygen`) with the registrar's
    /// desk: the desk checks the certificate and the roll and gives the roll pseudonym P; the
    /// citizen signs (F_s, P, X[, style]); the desk posts it; the citizen checks it is on the board.
    Register(register::RegisterArgs),
    /// A trustee: key ceremony and decryption.
    #[command(subcommand)]
    Trustee(TrusteeCommand),
    /// A voter: encrypt, prove and sign a ballot, see its tracking code, then type `cast` or
    /// `challenge` (a challenged ballot is opened for checking on another device and never
    /// counts; a new one is encrypted). Or in two steps: `vote prepare`, then `vote cast` or
    /// `vote challenge`. Before registration: `dauys voter keygen`.
    #[command(alias = "voter", args_conflicts_with_subcommands = true)]
    Vote {
        #[command(subcommand)]
        step: Option<VoteStep>,
        #[command(flatten)]
        target: TargetArgs,
        /// Your credential file (from `dauys voter keygen`), or the credential's digits.
        #[arg(long)]
        credential: Option<String>,
        /// A choice, `contest=option` (or `contest=option1,option2` where a contest takes more);
        /// one per contest.
        #[arg(long = "choice")]
        choices: Vec<String>,
        /// Where to save the receipt (JSON).
        #[arg(long)]
        receipt: Option<PathBuf>,
    },
    /// A challenged ballot, on a second device.
    #[command(subcommand)]
    Challenge(ChallengeCommand),
    /// A voter's receipt, later: is the ballot still in the board's log, under its newest
    /// checkpoint, and is that log an extension of the one the receipt was issued in?
    #[command(subcommand)]
    Receipt(ReceiptCommand),
    /// The contests of an election and their options, with the ids `dauys vote --choice`
    /// takes.
    Ballot {
        /// The running board's URL.
        #[arg(long, required_unless_present = "manifest", conflicts_with = "manifest")]
        board: Option<String>,
        /// With an https:// board: the CA certificate (PEM) that issued its certificate.
        #[arg(long, requires = "board")]
        ca: Option<PathBuf>,
        /// The manifest (JSON), instead of a board.
        #[arg(long)]
        manifest: Option<PathBuf>,
    },
    /// The tallier: sum the counted ballots homomorphically and post the encrypted tally.
    Tally {
        #[command(flatten)]
        at: remote::BoardAt,
        /// With --board: the operator's key file (from `board init`).
        #[arg(long, requires = "board")]
        operator_key: Option<PathBuf>,
    },
    /// The tallier: combine the trustees' decryptions, post and print the result; once it is
    /// posted, print it again (no operator key needed).
    Result {
        #[command(flatten)]
        at: remote::BoardAt,
        /// With --board: the operator's key file (from `board init`).
        #[arg(long, requires = "board")]
        operator_key: Option<PathBuf>,
        #[command(flatten)]
        files: ResultFiles,
    },
    /// Load the board over loopback with valid ballots: accepted ballots per second with full
    /// proof checking, latency percentiles, and where the board's time goes.
    Loadtest {
        /// The board's URL (loopback only).
        #[arg(long, required_unless_present = "register")]
        board: Option<String>,
        /// The load test's credential file: written by --register, read when casting.
        #[arg(long)]
        credentials: PathBuf,
        /// Instead of casting: the synthetic registration on the board directory DIR (after
        /// every trustee is ready, before `board serve`), then the shuffles, and voting opens.
        #[arg(long, value_name = "DIR", conflicts_with = "board", requires = "trustee_key")]
        register: Option<PathBuf>,
        /// With --register: how many synthetic voters register.
        #[arg(long, default_value_t = 1000)]
        voters: usize,
        /// With --register: the key file of a trustee who shuffles (repeat; at least the minimum).
        #[arg(long = "trustee-key")]
        trustee_key: Vec<PathBuf>,
        /// How many ballots to cast.
        #[arg(long, default_value_t = 1000)]
        ballots: usize,
        /// Requests in flight at once.
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=256))]
        concurrency: u64,
        /// Readers looping over every GET endpoint while the ballots are posted.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=64))]
        readers: u64,
    },
    /// Write the election record (what observers verify): from the directory to DIR/record or
    /// --out, or from a running board (its latest signed snapshot) to --out.
    Export {
        #[command(flatten)]
        at: remote::BoardAt,
        /// Where to write the record (default: DIR/record).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// The result as data, keyed by contest and option ids (`dauys result`, `dauys simulate`).
#[derive(clap::Args)]
struct ResultFiles {
    /// Also write the result as JSON to FILE: contests and options keyed by id, with labels,
    /// counts, percentages and seats.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also write the result as CSV to FILE: one row per contest and option, with label (in
    /// --lang), count, percentage and seats.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
}

/// A simulation's randomness and voters' behaviour.
#[derive(clap::Args)]
struct SimulateArgs {
    /// Make the run reproducible: every key, credential, ballot and lot from a generator
    /// seeded with N (ChaCha20). Every secret then follows from N: for research only.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// The share of voters (0 to 1) who first cast another ballot, replaced by their last.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    revote_rate: f64,
    /// The share of voters (0 to 1) who challenge a ballot (opened, never counted) before casting.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    challenge_rate: f64,
    /// The share of registered citizens (0 to below 1) who do not vote.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0)]
    abstention_rate: f64,
    #[command(flatten)]
    files: ResultFiles,
}

type Outcome = Result<(), RunError>;

pub fn fail(message: impl std::fmt::Display) -> RunError {
    RunError::Other(message.to_string())
}

pub fn read(path: &Path) -> Result<String, RunError> {
    std::fs::read_to_string(path).map_err(|e| fail(format!("{}: {e}", path.display())))
}

pub fn lang(code: &str) -> Lang {
    match code {
        "kk" => Lang::Kk,
        "ru" => Lang::Ru,
        _ => Lang::En,
    }
}

/// This run's language, set once from `--lang` or `DAUYS_LANG`.
static LANG: OnceLock<Lang> = OnceLock::new();

/// This run's language (English until it is chosen).
pub fn current() -> Lang {
    LANG.get().copied().unwrap_or(Lang::En)
}

/// The messages of this run's language.
pub fn words() -> &'static Words {
    Words::of(current())
}

/// A number the board sent, as a Fluent number (for plurals) where it is one, else as its text.
pub fn number(v: &serde_json::Value) -> fluent_bundle::FluentValue<'static> {
    match v.as_u64() {
        Some(n) => n.into(),
        None => v.to_string().into(),
    }
}

/// `x` with `places` decimals, with this run's language's decimal separator.
pub fn decimal(x: f64, places: usize) -> String {
    words().decimal(x, places)
}

/// Lines of a label and a value, the values aligned `gap` spaces after the widest label (the
/// labels' widths differ by language).
pub fn aligned(rows: &[(String, String)], gap: usize) {
    let width = rows.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(0) + gap;
    for (label, value) in rows {
        println!("{label:<width$}{value}");
    }
}

/// The language `--lang` gives, else `DAUYS_LANG`, else English; a `DAUYS_LANG` that is not
/// kk, ru or en is an error.
fn chosen(flag: Option<&str>) -> Result<Lang, RunError> {
    match (flag, std::env::var("DAUYS_LANG")) {
        (Some(code), _) => Ok(lang(code)),
        (None, Ok(code)) if ["kk", "ru", "en"].contains(&code.as_str()) => Ok(lang(&code)),
        (None, Ok(code)) if code.is_empty() => Ok(Lang::En),
        (None, Ok(code)) => Err(fail(t!("cli-bad-env-lang", value = format!("{code:?}")))),
        (None, Err(_)) => Ok(Lang::En),
    }
}

pub fn run(cli: Cli) -> Outcome {
    let _ = LANG.set(chosen(cli.lang.as_deref())?);
    match cli.command {
        Command::Demo { dir, manifest, voters } => {
            let dir = dir.unwrap_or_else(dauys::demo::default_dir);
            match manifest {
                Some(path) => {
                    let manifest = dauys::election::manifest::Manifest::from_json(&read(&path)?)
                        .map_err(|e| fail(format!("{}: {e}", path.display())))?;
                    dauys::demo::run_manifest_in(&dir, manifest, voters as usize, current(), &mut std::io::stdout())?;
                }
                None => {
                    dauys::demo::run_in(&dir, voters as usize, current(), &mut std::io::stdout())?;
                }
            }
        }
        Command::Simulate { manifest, votes, dir, research: r } => {
            let options = dauys::simulate::Options {
                seed: r.seed,
                revote: r.revote_rate,
                challenge: r.challenge_rate,
                abstention: r.abstention_rate,
                json: r.files.json,
                csv: r.files.csv,
                lang: current(),
            };
            dauys::simulate::run(&manifest, &votes, &dir, &options, &mut std::io::stdout())?;
        }
        Command::Board(cmd) => board::board_cmd(cmd)?,
        Command::Registrar(cmd) => registrar::registrar_cmd(cmd)?,
        Command::Ca(cmd) => ca::ca_cmd(cmd)?,
        Command::Register(args) => register::register(args)?,
        Command::Trustee(cmd) => trustee::trustee_cmd(cmd)?,
        Command::Vote { step: Some(step), .. } => voter::vote_step(step)?,
        Command::Vote { step: None, target, credential, choices, receipt } => {
            voter::vote_cmd(&target, credential.as_deref(), &choices, receipt.as_deref())?
        }
        Command::Challenge(ChallengeCommand::Check { board, ca, dir, record, opening, code }) => {
            voter::challenge_check((board, dir, record), ca.as_deref(), &opening, &code, current())?
        }
        Command::Receipt(ReceiptCommand::Check { board, ca, receipt }) => {
            voter::check_receipt(&board, ca.as_deref(), &receipt)?
        }
        Command::Ballot { board, ca, manifest } => {
            ballot::show(board.as_deref(), ca.as_deref(), manifest.as_deref(), current())?
        }
        Command::Tally { at, operator_key } => board::tally(&at, operator_key.as_deref())?,
        Command::Result { at, operator_key, files } => {
            board::result(&at, operator_key.as_deref(), current(), files.json.as_deref(), files.csv.as_deref())?
        }
        Command::Loadtest { board, credentials, register, voters, trustee_key, ballots, concurrency, readers } => {
            match (register, board) {
                (Some(dir), _) => loadtest::register(&dir, voters, &trustee_key, &credentials)?,
                (None, Some(board)) => {
                    loadtest::loadtest(&board, &credentials, ballots, concurrency as usize, readers as usize)?
                }
                (None, None) => return Err(fail(t!("cli-board-or-register"))),
            }
        }
        Command::Export { at, out } => board::export(&at, out)?,
    }
    Ok(())
}

pub fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", t!("cli-failed", error = e.to_string()));
            ExitCode::FAILURE
        }
    }
}
