//! The registrar: the voter roll, its pseudonyms on the board, and the close of registration.
//! It never makes or sees a voter's credential secret (`dauys voter keygen` does, on the
//! voter's machine); `dauys register` is its desk's round trip.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use dauys::board::desk::Desk;
use dauys::board::staff::next_step;
use dauys::board::store::Board;
use dauys::crypto::group::hex32;
use dauys::election::manifest::Manifest;
use dauys::election::pseudonym::PseudonymKey;
use dauys::election::registrar as roll;
use dauys::election::registration::Roll;
use dauys::keyfile::write_private;
use dauys::log::event::{Event, Phase};
use dauys::runner::{RunError, post_all};

use super::remote::{self, BoardAt};
use super::{Outcome, fail, number, read, words};

#[derive(Subcommand)]
pub enum RegistrarCommand {
    /// Post the roll: make the pseudonym key k_P (the registrar's key file, 0600), compute the
    /// pseudonym of every IIN of the roll, and post them (sorted) with the CA's public key.
    Roll {
        #[command(flatten)]
        at: BoardAt,
        /// With --board: the operator's key file (from `board init`): it signs the registrar's
        /// events in this prototype.
        #[arg(long, requires = "board")]
        operator_key: Option<PathBuf>,
        /// The voter roll (CSV: iin,precinct; `;`, quotes and a byte-order mark are read too).
        #[arg(long)]
        roll: PathBuf,
        /// The national CA's public key (hex), as `dauys ca init` printed it.
        #[arg(long)]
        ca_public: String,
        /// Where to write the registrar's key file (created, mode 0600; never overwritten): k_P,
        /// for the registrar's desk and for accredited observers.
        #[arg(long)]
        key: PathBuf,
    },
    /// Close registration: no registration after this; trustees shuffle next.
    Close {
        #[command(flatten)]
        at: BoardAt,
        /// With --board: the operator's key file (from `board init`).
        #[arg(long, requires = "board")]
        operator_key: Option<PathBuf>,
    },
    /// Write a synthetic roll of N voters with valid IINs (for tests and load runs).
    SyntheticRoll {
        /// How many voters.
        #[arg(long)]
        voters: usize,
        /// Where to write the roll (CSV).
        #[arg(long)]
        out: PathBuf,
    },
    /// Is a citizen on the roll, and in which precinct?
    Check {
        /// The voter roll (CSV).
        #[arg(long)]
        roll: PathBuf,
        /// The citizen's IIN (12 digits).
        iin: String,
    },
}

/// The roll event for `entries` under the desk's key: each pseudonym with its precinct's
/// ballot style where the manifest has several. A precinct on no style is refused, every one
/// named, since its voters could get no ballot.
fn roll_event(
    desk: &Desk,
    entries: &[roll::RollEntry],
    ca_key: [u8; 32],
    manifest: &Manifest,
) -> Result<Roll, RunError> {
    let styles = manifest.styles();
    let mut unknown: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    let mut styled = Vec::with_capacity(entries.len());
    for e in entries {
        match styles.iter().find(|s| s.has_precinct(&e.precinct)) {
            Some(s) => styled.push((desk.pseudonym(&e.iin), s.index)),
            None => *unknown.entry(&e.precinct).or_default() += 1,
        }
    }
    if !unknown.is_empty() {
        let listed: Vec<String> =
            unknown.iter().map(|(p, n)| t!("registrar-precinct-voters", precinct = format!("{p:?}"), n = *n)).collect();
        return Err(fail(t!("registrar-unknown-precincts", precincts = listed.join(", "))));
    }
    let roll = Roll::of_entries(ca_key, styled, styles.len());
    roll.check().map_err(|e| fail(t!("registrar-bad-roll", error = e.to_string())))?;
    Ok(roll)
}

/// Reads a registrar key file.
pub fn load_desk(path: &Path) -> Result<Desk, RunError> {
    let text = zeroize::Zeroizing::new(read(path)?);
    Desk::from_file(&text).map_err(|e| fail(format!("{}: {e}", path.display())))
}

pub fn registrar_cmd(cmd: RegistrarCommand) -> Outcome {
    let mut rng = rand::rng();
    match cmd {
        RegistrarCommand::Roll { at, operator_key, roll: roll_path, ca_public, key } => {
            if key.exists() {
                return Err(fail(t!("registrar-key-exists", path = key.display().to_string())));
            }
            let ca_key = hex32("--ca-public", ca_public.trim()).map_err(fail)?;
            let entries = roll::parse_roll(&read(&roll_path)?)?;
            let mut local = None;
            let manifest = match &at.board {
                Some(url) => remote::connect(url, at.ca.as_deref())?.manifest,
                None => {
                    let board = Board::open(at.dir()?)?;
                    let s = board.state();
                    if s.phase() != Phase::Ceremony {
                        return Err(fail(t!("registrar-roll-once", next = next_step(s))));
                    }
                    let manifest = s.setup.as_ref().ok_or_else(|| fail(t!("cli-no-setup")))?.manifest.clone();
                    local = Some(board);
                    manifest
                }
            };
            let desk = Desk::new(&manifest.election_id, PseudonymKey::generate(&mut rng));
            let event = roll_event(&desk, &entries, ca_key, &manifest)?;
            let count = event.count;
            write_private(&key, desk.to_file().as_bytes()).map_err(|e| fail(format!("{}: {e}", key.display())))?;
            let posted = match local.as_mut() {
                None => {
                    let body = serde_json::to_value(&event).expect("serializes");
                    remote::operator(&at, operator_key.as_deref(), "roll", &body).map(|_| ())
                }
                Some(board) => post_all(board, vec![Event::Roll(Box::new(event))], &mut rng),
            };
            if let Err(e) = posted {
                // The key made for a roll that was not posted is of no use: this run made it.
                let _ = std::fs::remove_file(&key);
                return Err(fail(t!("registrar-roll-not-posted", error = e.to_string())));
            }
            println!("{}", t!("registrar-roll-posted", count = count, key = ca_public.trim()));
            println!("{}", t!("registrar-key-written", path = key.display().to_string()));
        }
        RegistrarCommand::Close { at, operator_key } => {
            if at.board.is_some() {
                let v = remote::operator(&at, operator_key.as_deref(), "registration-close", &serde_json::json!({}))?;
                println!("{}", t!("registrar-closed", count = number(&v["registrations"])));
                return Ok(());
            }
            let mut board = Board::open(at.dir()?)?;
            if board.state().phase() != Phase::Registration {
                return Err(fail(t!("registrar-not-open", next = next_step(board.state()))));
            }
            post_all(&mut board, vec![Event::RegistrationClose], &mut rng)?;
            println!("{}", t!("registrar-closed", count = board.state().registration.registrations()));
        }
        RegistrarCommand::SyntheticRoll { voters, out } => {
            let mut text = String::from("iin,precinct\n");
            let mut seen = std::collections::HashSet::new();
            while seen.len() < voters {
                let iin = roll::random_iin(&mut rng);
                if seen.insert(iin.clone()) {
                    text.push_str(&format!("{iin},Precinct-{:03}\n", seen.len() % 50 + 1));
                }
            }
            std::fs::write(&out, text).map_err(|e| fail(format!("{}: {e}", out.display())))?;
            println!("{}", t!("registrar-synthetic-roll", count = voters, path = out.display().to_string()));
        }
        RegistrarCommand::Check { roll, iin } => {
            roll::check_iin(&iin).map_err(fail)?;
            let roll = roll::parse_roll(&read(&roll)?)?;
            match roll.iter().find(|e| e.iin == iin) {
                Some(e) => println!("{}", t!("registrar-on-roll", iin = iin.as_str(), precinct = e.precinct.as_str())),
                None => return Err(fail(t!("registrar-not-on-roll", iin = iin.as_str()))),
            }
        }
    }
    Ok(())
}
