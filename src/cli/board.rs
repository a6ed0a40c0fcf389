//! The board's operator and the tallier: create, open, close, serve; tally, result, export.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use dauys::board::store::Board;
use dauys::election::credential::CredentialList;
use dauys::election::manifest::{Lang, Manifest};
use dauys::election::report::result_table;
use dauys::election::tally::{TrusteeDecryption, decrypt_result};
use dauys::log::event::{Event, Open};
use dauys::log::state::ready_for;
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
    /// Open voting: the ceremony's outcome and the registrar's credential list. Refused
    /// unless every trustee is ready (has proved it holds its key share for the final key).
    Open {
        #[arg(long)]
        dir: PathBuf,
        /// The public credential list (JSON) from `dauys registrar issue`.
        #[arg(long)]
        credentials: PathBuf,
        /// Open with at least t trustees ready instead of all n (recorded in the open event;
        /// the trustees who are not ready are named).
        #[arg(long)]
        quorum: bool,
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
        BoardCommand::Open { dir, credentials, quorum } => {
            let mut board = Board::open(&dir)?;
            let list: CredentialList = serde_json::from_str(&read(&credentials)?)
                .map_err(|e| fail(format!("{}: {e}", credentials.display())))?;
            let c = ceremony_outcome(&board)?;
            let ready = ready_for(&board.state().readies, &c.joint_key, &c.verification_keys);
            let n = c.verification_keys.len() as u32;
            let missing: Vec<u32> = (1..=n).filter(|j| !ready.contains_key(j)).collect();
            if !missing.is_empty() {
                if !quorum {
                    return Err(fail(format!(
                        "trustee(s) {missing:?} are not ready (no proof of their key share for the final joint key): \
                         they run `dauys trustee ready`; or open with --quorum ({} of {n} ready)",
                        ready.len()
                    )));
                }
                eprintln!(
                    "warning: opening with a quorum: trustee(s) {missing:?} have not proved they hold their key \
                     shares; only the {} ready trustee(s) are counted on to decrypt",
                    ready.len()
                );
            }
            let open = Open {
                credentials: list,
                joint_key: c.joint_key,
                quorum: !missing.is_empty(),
                verification_keys: c.verification_keys,
            };
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
                "trustees    {} transport keys, {} dealings, {} complaints, {} ready events",
                s.transport_keys.len(),
                s.dealings.len(),
                s.complaints.len(),
                s.readies.len()
            );
            println!(
                "ballots     {} cast, {} counted, {} spoiled ({} challenged held until close)",
                s.cast,
                s.counted(),
                s.spoiled,
                board.held_challenged()
            );
            println!("decryptions {}", s.decryptions.len());
            if let Some(c) = board.latest_checkpoint() {
                println!("checkpoint  size {} root {}", c.size, dauys::crypto::group::to_hex(&c.root));
            }
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
    let lots = s.lot_seed().map_err(fail)?;
    let result = decrypt_result(&params, &tally, &decryptions, &lots)?;
    post_all(&mut board, vec![Event::Result(result.clone())], &mut rand::rng())?;
    println!("{}", result_table(&params.manifest, &result, lang));
    Ok(())
}

/// The record observers verify, written to `out` (default `DIR/record`).
pub fn export(dir: &Path, out: Option<PathBuf>) -> Outcome {
    let board = Board::open(dir)?;
    let out = out.unwrap_or_else(|| dir.join("record"));
    board.export(&out)?;
    println!("record of {} events written to {}", board.len(), out.display());
    Ok(())
}
