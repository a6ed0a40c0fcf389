//! `dauys-verify`: the observer's verifier. It checks a published election record, check by
//! check, on the observer's own machine.
//!
//! Exit status: 0 when every check passes, 1 when any fails, 2 when the record (or an option's
//! file) cannot be read, 3 when the record is incomplete (no check failed, and it stops before
//! the result: everything up to its last event checks out).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use clap::Parser;
use dauys::election::manifest::Lang;
use dauys::verify::{Options, report, verify};

#[derive(Parser)]
#[command(
    name = "dauys-verify",
    version,
    about = "Verify a dauys election record, check by check",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Watch>,
    /// The record directory (as `dauys export` writes it).
    #[arg(required = true)]
    record: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Also write the report as one self-contained HTML page (no network, no scripts; prints
    /// to PDF) to this file.
    #[arg(long)]
    html: Option<PathBuf>,
    /// Language of the report: kk, ru or en.
    #[arg(long, default_value = "en", value_parser = ["kk", "ru", "en"])]
    lang: String,
    /// Worker threads (default: every core).
    #[arg(long)]
    threads: Option<usize>,
    /// A checkpoint saved during voting: it must be a prefix of the record's log.
    #[arg(long)]
    checkpoint: Option<PathBuf>,
    /// A voter's receipt: its ballot must be in the log, and counted or superseded.
    #[arg(long)]
    receipt: Option<PathBuf>,
    /// The state a watcher kept (`dauys-verify watch --state FILE`): its last checkpoint must
    /// be a prefix of the record's log (as with --checkpoint), and the ballots it verified
    /// are not verified again if the record extends the events it verified.
    #[arg(long)]
    state: Option<PathBuf>,
    /// A witness's public key (hex): the record must hold its co-signatures, each of a prefix
    /// of the log. Repeatable.
    #[arg(long = "witness")]
    witnesses: Vec<String>,
}

#[derive(clap::Subcommand)]
enum Watch {
    /// Watch a board while voting is open: every checkpoint must be signed and extend the last
    /// one seen, the new events must have its Merkle root, and every new ballot is verified as
    /// the verifier does; with a witness key, co-sign each checkpoint and post the
    /// co-signature. Exit status: 0 everything checks out, 1 the board misbehaved or a check
    /// failed, 2 the board or a file cannot be read.
    Watch {
        /// The board's URL (http:// or https://).
        #[arg(long)]
        board: String,
        /// For https://: the CA certificate (PEM) that issued the board's certificate, when it
        /// is not one the system trusts.
        #[arg(long)]
        ca: Option<PathBuf>,
        /// The witness's secret key file (created, mode 0600, if missing).
        #[arg(long)]
        witness_key: Option<PathBuf>,
        /// Where to keep what was checked between runs: the election, the last checkpoint seen
        /// and the verified events (in FILE.record/). Give it to the final verification too
        /// (`dauys-verify RECORD --state FILE`).
        #[arg(long)]
        state: Option<PathBuf>,
        /// Stop after this many polls (default: never).
        #[arg(long)]
        polls: Option<u64>,
        /// Seconds between polls.
        #[arg(long, default_value_t = 10)]
        interval: u64,
        /// Seconds to wait for the board to begin each answer; a board that takes longer is
        /// unreachable (exit 2) rather than waited on for ever.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
        wait: u64,
        /// Language of what it says: kk, ru or en.
        #[arg(long, default_value = "en", value_parser = ["kk", "ru", "en"])]
        lang: String,
    },
    /// Download the board's latest signed snapshot of the record into a new directory (each
    /// file streamed to disk within its bound, checked to be the snapshot the board signed),
    /// then verify it with `dauys-verify DIR`. Exit status: 0 fetched, 1 the board served
    /// something it did not sign or a file beyond its bound, 2 the board or a file cannot be
    /// read or written.
    Fetch {
        /// The board's URL (http:// or https://).
        #[arg(long)]
        board: String,
        /// For https://: the CA certificate (PEM) that issued the board's certificate.
        #[arg(long)]
        ca: Option<PathBuf>,
        /// The directory to create (it must not exist, or be empty).
        dir: PathBuf,
        /// On an error, also print a JSON error object (as the verifier's `--json` does).
        #[arg(long)]
        json: bool,
        /// Seconds to wait for the board to begin each answer; a board that takes longer is
        /// unreachable (exit 2) rather than waited on for ever.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
        wait: u64,
        /// Language of what it says: kk, ru or en.
        #[arg(long, default_value = "en", value_parser = ["kk", "ru", "en"])]
        lang: String,
    },
}

fn lang_of(tag: &str) -> Lang {
    match tag {
        "kk" => Lang::Kk,
        "ru" => Lang::Ru,
        _ => Lang::En,
    }
}

/// A fetch's or a watcher's problem, said in `lang` on standard error (with `json`, also
/// as the verifier's JSON error object, `specs/verifier-error.schema.json`: no record to give
/// a verdict on): exit 1 when the board is at fault, else 2.
fn problem(p: &dauys::watch::Problem, lang: Lang, command: &str, json: bool) -> ExitCode {
    eprintln!("dauys-verify {command}: {}", p.say(lang));
    if json {
        let error = serde_json::json!({"file": p.subject(), "reason": p.say(lang)});
        let out = serde_json::json!({"verdict": "unreadable", "valid": false, "error": error});
        println!("{}", serde_json::to_string_pretty(&out).expect("serializes"));
    }
    ExitCode::from(if p.board_at_fault { 1 } else { dauys::verify::EXIT_UNREADABLE })
}

fn fetch(board: &str, ca: Option<&Path>, dir: &Path, (json, wait): (bool, u64), lang: Lang) -> ExitCode {
    use dauys::watch::{Arg, say};
    match dauys::watch::fetch(board, ca, dir, std::time::Duration::from_secs(wait)) {
        Ok(f) => {
            let dir = dir.display().to_string();
            println!(
                "{}",
                say(lang, "fetch-done", &[("size", Arg::Number(f.checkpoint.size)), ("dir", dir.as_str().into())])
            );
            println!("{}", say(lang, "fetch-how-to-verify", &[("dir", dir.into())]));
            ExitCode::SUCCESS
        }
        Err(p) => problem(&p, lang, "fetch", json),
    }
}

fn watch(
    board: &str,
    ca: Option<&PathBuf>,
    key: Option<&PathBuf>,
    state: Option<&PathBuf>,
    (polls, interval, wait): (Option<u64>, u64, u64),
    lang: Lang,
) -> ExitCode {
    use dauys::watch::{Arg, say};
    let key = match key.map(|p| dauys::watch::witness_key(p)).transpose() {
        Ok(k) => k,
        Err(e) => {
            eprintln!("dauys-verify watch: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(k) = &key {
        println!("{}", say(lang, "watch-witness-key", &[("key", k.public().to_hex().into())]));
    }
    let mut watcher = match dauys::watch::Watcher::new(
        board,
        ca.map(PathBuf::as_path),
        key,
        state.map(PathBuf::as_path),
        std::time::Duration::from_secs(wait),
    ) {
        Ok(w) => w,
        Err(p) => return problem(&p, lang, "watch", false),
    };
    if let Some(file) = state
        && watcher.verified() > 0
    {
        let args = [("file", file.display().to_string().into()), ("size", Arg::Number(watcher.verified()))];
        println!("{}", say(lang, "watch-resumed", &args));
    }
    let mut n = 0;
    let mut failed = false;
    loop {
        match watcher.poll() {
            Ok(poll) => {
                let args = [("size", Arg::Number(poll.checkpoint.size)), ("new", Arg::Number(poll.new_events))];
                println!("{}", say(lang, "watch-checkpoint", &args));
                if poll.cosigned {
                    println!("{}", say(lang, "watch-cosigned", &[]));
                }
                if let Some(report) = &poll.report {
                    failed = print_ballots(report, lang);
                }
            }
            Err(p) => return problem(&p, lang, "watch", false),
        }
        n += 1;
        if polls.is_some_and(|p| n >= p) {
            return if failed { ExitCode::from(1) } else { ExitCode::SUCCESS };
        }
        std::thread::sleep(std::time::Duration::from_secs(interval));
    }
}

/// The ballots a poll's verification checked and refused, and every check that failed:
/// whether one did.
fn print_ballots(report: &dauys::verify::Report, lang: Lang) -> bool {
    use dauys::watch::{Arg, say};
    let (checked, refused) = dauys::watch::ballot_counts(report);
    let s = &report.summary;
    let args = [
        ("checked", Arg::Number(checked)),
        ("refused", Arg::Number(refused)),
        ("counted", Arg::Number(s.counted)),
        ("superseded", Arg::Number(s.superseded)),
        ("challenged", Arg::Number(s.spoiled)),
    ];
    println!("{}", say(lang, "watch-ballots", &args));
    let failed: Vec<_> = report.checks.iter().filter(|c| c.failed()).collect();
    for c in &failed {
        let args =
            [("id", c.check.id().into()), ("name", c.check.name(lang).into()), ("detail", c.detail_in(lang).into())];
        println!("{}", say(lang, "watch-failed-check", &args));
    }
    if failed.is_empty()
        && let Some(last) = report.last_event()
    {
        println!("{}", say(lang, "watch-all-pass", &[("last", Arg::Number(last))]));
    }
    !failed.is_empty()
}

static BAR: OnceLock<indicatif::ProgressBar> = OnceLock::new();

fn progress(bytes: u64) {
    if let Some(bar) = BAR.get() {
        bar.set_position(bytes);
    }
}

/// The most bytes of a `--checkpoint` or `--receipt` file (a receipt of a log of 2^64 events
/// takes under 6 KiB).
const MAX_OPTION_FILE: u64 = 64 * 1024;

/// Why the verifier could not give a verdict (exit 2): the file, where one is to blame, and
/// the reason. With `--json` it is printed as `{"verdict": "unreadable", "valid": false,
/// "error": {"file", "reason"}}` (`specs/verifier-error.schema.json`).
struct Unreadable {
    file: Option<String>,
    reason: String,
}

impl Unreadable {
    fn of(file: &Path, reason: impl std::fmt::Display) -> Self {
        Unreadable { file: Some(file.display().to_string()), reason: reason.to_string() }
    }

    fn usage(reason: impl std::fmt::Display) -> Self {
        Unreadable { file: None, reason: reason.to_string() }
    }

    /// Says it on standard error (and, with `--json`, as JSON on standard output): exit 2.
    fn exit(self, json: bool, context: &str) -> ExitCode {
        match &self.file {
            Some(file) => eprintln!("dauys-verify: {context}{file}: {}", self.reason),
            None => eprintln!("dauys-verify: {context}{}", self.reason),
        }
        if json {
            let error = serde_json::json!({"file": self.file, "reason": self.reason});
            let out = serde_json::json!({"verdict": "unreadable", "valid": false, "error": error});
            println!("{}", serde_json::to_string_pretty(&out).expect("serializes"));
        }
        ExitCode::from(dauys::verify::EXIT_UNREADABLE)
    }
}

impl From<dauys::log::record::RecordError> for Unreadable {
    fn from(e: dauys::log::record::RecordError) -> Self {
        let dauys::log::record::RecordError::Unreadable { path, reason } = e;
        Unreadable { file: Some(path), reason }
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Unreadable> {
    let text = dauys::log::record::read_bounded(path, MAX_OPTION_FILE)?;
    serde_json::from_str(&text).map_err(|e| Unreadable::of(path, e))
}

/// The option's file, read, if the option was given.
fn optional<T: serde::de::DeserializeOwned>(path: &Option<PathBuf>) -> Result<Option<T>, Unreadable> {
    path.as_deref().map(read_json).transpose()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Watch::Watch { board, ca, witness_key, state, polls, interval, wait, lang }) => {
            let schedule = (*polls, *interval, *wait);
            return watch(board, ca.as_ref(), witness_key.as_ref(), state.as_ref(), schedule, lang_of(lang));
        }
        Some(Watch::Fetch { board, ca, dir, json, wait, lang }) => {
            return fetch(board, ca.as_deref(), dir, (*json, *wait), lang_of(lang));
        }
        None => {}
    }
    let record = cli.record.clone().expect("required without a subcommand");
    if let Some(n) = cli.threads
        && let Err(e) = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global()
    {
        return Unreadable::usage(e).exit(cli.json, "--threads: ");
    }
    let mut options = match (optional(&cli.checkpoint), optional(&cli.receipt)) {
        (Ok(checkpoint), Ok(receipt)) => Options { checkpoint, receipt, ..Default::default() },
        (Err(e), _) | (_, Err(e)) => return e.exit(cli.json, ""),
    };
    if let Some(path) = &cli.state {
        match dauys::watch::State::read(path) {
            Ok(state) => {
                options.proven = state.proven();
                if options.checkpoint.is_none() {
                    options.checkpoint = state.checkpoint;
                }
            }
            Err(p) => return Unreadable::of(path, p.say(lang_of(&cli.lang))).exit(cli.json, "--state: "),
        }
    }
    for w in &cli.witnesses {
        match dauys::crypto::group::Element::from_hex("--witness", w) {
            Ok(key) => options.witnesses.push(key),
            Err(e) => return Unreadable::usage(e).exit(cli.json, ""),
        }
    }
    let size = std::fs::metadata(record.join(dauys::log::record::EVENTS_FILE)).map(|m| m.len()).unwrap_or(0);
    if !cli.json {
        let bar = indicatif::ProgressBar::new(size);
        bar.set_style(
            indicatif::ProgressStyle::with_template("verifying [{bar:40}] {bytes}/{total_bytes} ({eta})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        let _ = BAR.set(bar);
        options.progress = Some(progress);
    }
    let lang = lang_of(&cli.lang);
    match verify(&record, &options) {
        Ok(r) => {
            if let Some(bar) = BAR.get() {
                bar.finish_and_clear();
            }
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&report::json_in(&r, lang)).expect("serializes"));
            } else {
                print!("{}", report::text(&r, lang));
            }
            if let Some(path) = &cli.html
                && let Err(e) = write_page(&r, lang, &record, path)
            {
                return e.exit(false, "--html: ");
            }
            ExitCode::from(r.verdict().exit_code())
        }
        Err(e) => {
            if let Some(bar) = BAR.get() {
                bar.finish_and_clear();
            }
            Unreadable::from(e).exit(cli.json, "cannot read the record: ")
        }
    }
}

/// Writes the HTML report, with the SHA-256 of each of the record's files as read now.
fn write_page(r: &dauys::verify::Report, lang: Lang, record: &Path, path: &Path) -> Result<(), Unreadable> {
    use dauys::log::record::{CHECKPOINTS_FILE, COSIGNATURES_FILE, EVENTS_FILE, HEADER_FILE, open_regular};
    use sha2::Digest;
    let mut files = Vec::new();
    for name in [HEADER_FILE, EVENTS_FILE, CHECKPOINTS_FILE, COSIGNATURES_FILE] {
        let file = record.join(name);
        if name == COSIGNATURES_FILE && !file.exists() {
            continue;
        }
        let mut reader = open_regular(&file)?;
        let mut hasher = sha2::Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = std::io::Read::read(&mut reader, &mut buf).map_err(|e| Unreadable::of(&file, e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        files.push((name.to_string(), hasher.finalize().into()));
    }
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let verifier = format!("dauys-verify {}", env!("CARGO_PKG_VERSION"));
    let provenance = dauys::verify::html::Provenance { files: &files, verifier: &verifier, command: &command };
    std::fs::write(path, dauys::verify::html::page(r, lang, &provenance)).map_err(|e| Unreadable::of(path, e))
}
