//! The board's operator and the tallier: create, open, close, serve; tally, result, export.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use dauys::board::reader::LogReader;
use dauys::board::store::Board;
use dauys::election::credential::CredentialList;
use dauys::election::manifest::{Lang, Manifest};
use dauys::election::report::result_table;
use dauys::election::tally::{TrusteeDecryption, decrypt_result};
use dauys::log::event::{Event, Open};
use dauys::runner::{RunError, ceremony_outcome, post_all};

use super::{Outcome, fail, read};

#[derive(Subcommand)]
pub enum BoardCommand {
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
    /// Where the election stands (reads the board; needs neither its key nor its lock).
    Status {
        #[arg(long)]
        dir: PathBuf,
    },
    /// Replay the whole log and compare it with the state the board stored beside it
    /// (read-only; a running server may go on). Exit 1 on any difference.
    Check {
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

pub fn board_cmd(cmd: BoardCommand) -> Outcome {
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
            // The board is opened (its lock taken, its state loaded) before the port is bound:
            // "serving on" means ready.
            let board = Board::open(&dir)?;
            let runtime = tokio::runtime::Runtime::new().map_err(fail)?;
            runtime.block_on(async move {
                let listener =
                    tokio::net::TcpListener::bind(&listen).await.map_err(|e| fail(format!("{listen}: {e}")))?;
                let url = format!("http://{}", listener.local_addr().map_err(fail)?);
                board.announce(&url)?;
                println!("board of {} serving on {url}", dir.display());
                let stop = async {
                    let _ = tokio::signal::ctrl_c().await;
                };
                dauys::board::server::serve_board(board, listener, stop).await.map_err(RunError::from)
            })?;
        }
        BoardCommand::Status { dir } => {
            let stored = LogReader::open(&dir)?.state()?;
            let s = &stored.state;
            println!("phase       {:?}", s.phase());
            println!("events      {}", stored.len());
            println!(
                "trustees    {} transport keys, {} dealings, {} complaints",
                s.transport_keys.len(),
                s.dealings.len(),
                s.complaints.len()
            );
            println!("ballots     {} cast, {} counted, {} spoiled", s.cast, s.counted(), s.spoiled);
            println!("decryptions {}", s.decryptions.len());
            if let Some(c) = &stored.latest {
                println!("checkpoint  size {} root {}", c.size, dauys::crypto::group::to_hex(&c.root));
            }
        }
        BoardCommand::Check { dir } => {
            let started = std::time::Instant::now();
            let report = dauys::board::check::check(&dir)?;
            let keys: Vec<String> = report.keys.iter().map(|(name, n)| format!("{name} {n}")).collect();
            println!(
                "replayed {} events in {:.1?}: phase {}, {} cast, {} counted, {} spoiled",
                report.events,
                started.elapsed(),
                report.phase,
                report.cast,
                report.counted,
                report.spoiled
            );
            println!(
                "compared {} tree nodes, {} checkpoints, key tables: {}",
                report.nodes,
                report.checkpoints,
                keys.join(", ")
            );
            if !report.consistent() {
                for d in &report.differences {
                    eprintln!("differs: {d}");
                }
                return Err(fail(format!(
                    "the stored state differs from the log in {} way(s)",
                    report.differences.len()
                )));
            }
            println!("the stored state matches the log");
        }
    }
    Ok(())
}

/// The tallier: the homomorphic sum of the counted ballots, posted as the encrypted tally.
pub fn tally(dir: &Path) -> Outcome {
    let mut board = Board::open(dir)?;
    let tally = board.compute_tally()?;
    post_all(&mut board, vec![Event::Tally(tally.clone())], &mut rand::rng())?;
    println!("encrypted tally of {} ballots posted; trustees can now decrypt", tally.ballots);
    Ok(())
}

/// The tallier: combine the first t decryptions, post the result and print its table.
pub fn result(dir: &Path, lang: Lang) -> Outcome {
    let mut board = Board::open(dir)?;
    let s = board.state();
    let params = s.params.clone().ok_or_else(|| fail("voting never opened"))?;
    let tally = s.tally.clone().ok_or_else(|| fail("no tally yet"))?;
    let t = params.manifest.trustees.threshold as usize;
    let decryptions: Vec<TrusteeDecryption> = s.decryptions.values().take(t).cloned().collect();
    if decryptions.len() < t {
        return Err(fail(format!("{} of the {t} decryptions needed are posted", decryptions.len())));
    }
    let result = decrypt_result(&params, &tally, &decryptions)?;
    post_all(&mut board, vec![Event::Result(result.clone())], &mut rand::rng())?;
    println!("{}", result_table(&params.manifest, &result, lang));
    Ok(())
}

/// The record observers verify, written to `out` (default `DIR/record`): a reader's work, so
/// it runs beside a serving board.
pub fn export(dir: &Path, out: Option<PathBuf>) -> Outcome {
    let out = out.unwrap_or_else(|| dir.join("record"));
    let events = LogReader::open(dir)?.export(&out)?;
    println!("record of {events} events written to {}", out.display());
    Ok(())
}
