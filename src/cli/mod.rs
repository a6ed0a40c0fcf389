//! `dauys`: the command line for the people who run an election, one module per role,
//! each working from its own files and exchanging only public messages through the board.

mod board;
mod loadtest;
mod registrar;
mod trustee;
mod voter;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dauys::election::manifest::Lang;
use dauys::runner::RunError;

use board::BoardCommand;
use registrar::RegistrarCommand;
use trustee::TrusteeCommand;
use voter::ReceiptCommand;

#[derive(Parser)]
#[command(name = "dauys", version, about = "Verifiable, ballot-secret online voting")]
pub struct Cli {
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
        /// Readers looping over every GET endpoint while the ballots are posted.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=64))]
        readers: u64,
    },
    /// Write the election record (what observers verify) to DIR/record or --out.
    Export {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        out: Option<PathBuf>,
    },
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

pub fn run(cli: Cli) -> Outcome {
    match cli.command {
        Command::Demo { dir, voters } => {
            let dir = dir.unwrap_or_else(dauys::demo::default_dir);
            dauys::demo::run(&dir, voters as usize, &mut std::io::stdout())?;
        }
        Command::Simulate { manifest, votes, dir } => {
            dauys::simulate::run(&manifest, &votes, &dir, &mut std::io::stdout())?;
        }
        Command::Board(cmd) => board::board_cmd(cmd)?,
        Command::Registrar(cmd) => registrar::registrar_cmd(cmd)?,
        Command::Trustee(cmd) => trustee::trustee_cmd(cmd)?,
        Command::Vote { dir, board, credential, choices, challenge, receipt } => {
            voter::vote_cmd(dir, board, &credential, &choices, challenge, receipt.as_deref())?
        }
        Command::Receipt(ReceiptCommand::Check { board, receipt }) => voter::check_receipt(&board, &receipt)?,
        Command::Tally { dir } => board::tally(&dir)?,
        Command::Result { dir, lang: code } => board::result(&dir, lang(&code))?,
        Command::Loadtest { board, sheet, ballots, concurrency, readers } => {
            loadtest::loadtest(&board, &sheet, ballots, concurrency as usize, readers as usize)?
        }
        Command::Export { dir, out } => board::export(&dir, out)?,
    }
    Ok(())
}

pub fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dauys: {e}");
            ExitCode::FAILURE
        }
    }
}
