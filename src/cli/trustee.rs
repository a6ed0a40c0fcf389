//! A trustee: the key ceremony and the decryption of the tally.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use dauys::board::store::Board;
use dauys::election::trustee::TrusteeSecrets;
use dauys::keyfile::{rewrite_private, write_private};
use dauys::log::event::Event;
use dauys::runner::{RunError, ceremony_outcome, post_all};

use super::{Outcome, fail, read};

#[derive(Subcommand)]
pub enum TrusteeCommand {
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

pub fn load_trustee(key: &Path) -> Result<TrusteeSecrets, RunError> {
    Ok(TrusteeSecrets::from_json(&read(key)?)?)
}

pub fn trustee_cmd(cmd: TrusteeCommand) -> Outcome {
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
            let params = s.setup.as_ref().ok_or_else(|| fail("no setup on the board"))?.manifest.threshold_params()?;
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
