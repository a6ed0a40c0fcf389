//! `dauys-verify`: the observer's verifier. It checks a published election record, check by
//! check, on the observer's own machine.
//!
//! Exit status: 0 when every check passes, 1 when any fails, 2 when the record (or an option's
//! file) cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;

use clap::Parser;
use dauys::election::manifest::Lang;
use dauys::verify::{Options, report, verify};

#[derive(Parser)]
#[command(name = "dauys-verify", version, about = "Verify a dauys election record, check by check")]
struct Cli {
    /// The record directory (as `dauys export` writes it).
    record: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
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
}

static BAR: OnceLock<indicatif::ProgressBar> = OnceLock::new();

fn progress(bytes: u64) {
    if let Some(bar) = BAR.get() {
        bar.set_position(bytes);
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &PathBuf) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The option's file, read, if the option was given.
fn optional<T: serde::de::DeserializeOwned>(path: &Option<PathBuf>) -> Result<Option<T>, String> {
    path.as_ref().map(read_json).transpose()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(n) = cli.threads {
        if let Err(e) = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global() {
            eprintln!("dauys-verify: --threads: {e}");
            return ExitCode::from(2);
        }
    }
    let mut options = match (optional(&cli.checkpoint), optional(&cli.receipt)) {
        (Ok(checkpoint), Ok(receipt)) => Options { checkpoint, receipt, progress: None },
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("dauys-verify: {e}");
            return ExitCode::from(2);
        }
    };
    let size = std::fs::metadata(cli.record.join(dauys::log::record::EVENTS_FILE)).map(|m| m.len()).unwrap_or(0);
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
    let lang = match cli.lang.as_str() {
        "kk" => Lang::Kk,
        "ru" => Lang::Ru,
        _ => Lang::En,
    };
    match verify(&cli.record, &options) {
        Ok(r) => {
            if let Some(bar) = BAR.get() {
                bar.finish_and_clear();
            }
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&report::json(&r)).expect("serializes"));
            } else {
                print!("{}", report::text(&r, lang));
            }
            if r.valid() { ExitCode::SUCCESS } else { ExitCode::from(1) }
        }
        Err(e) => {
            if let Some(bar) = BAR.get() {
                bar.finish_and_clear();
            }
            eprintln!("dauys-verify: cannot read the record: {e}");
            ExitCode::from(2)
        }
    }
}
