//! A trustee: the key ceremony, the decryption rehearsal, and the decryption of a tally it
//! checked.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use dauys::board::store::Board;
use dauys::crypto::group::Element;
use dauys::election::manifest::Manifest;
use dauys::election::trustee::TrusteeSecrets;
use dauys::keyfile::{rewrite_private, write_private};
use dauys::log::event::Event;
use dauys::runner::{RunError, ceremony_outcome, post_all};
use dauys::verify::Options;
use dauys::verify::before_decrypting::checked_tally;
use zeroize::Zeroizing;

use super::remote::BoardAt;
use super::{Outcome, fail, words};

#[derive(Subcommand)]
pub enum TrusteeCommand {
    /// Before the board exists: create this trustee's key file (0600) and print its identity
    /// key, which the operator puts in the manifest (`trustees.identities`, in seat order).
    Keygen {
        /// This trustee's number, 1 to the manifest's trustee count.
        #[arg(long)]
        index: u32,
        /// This trustee's key file (created, mode 0600; kept by the trustee alone).
        #[arg(long)]
        key: PathBuf,
    },
    /// Post this trustee's transport key, signed by the identity key the manifest names for
    /// its seat. With --board, the first post is signed with the enrollment code the operator
    /// gave this trustee.
    Init {
        #[command(flatten)]
        at: BoardAt,
        /// This trustee's number, 1 to the manifest's trustee count.
        #[arg(long)]
        index: u32,
        /// This trustee's key file (from `dauys trustee keygen`).
        #[arg(long)]
        key: PathBuf,
        /// With --board: the one-time enrollment code from `dauys board init`.
        #[arg(long, requires = "board")]
        code: Option<String>,
    },
    /// Deal: post commitments and shares encrypted to every trustee.
    Deal {
        #[command(flatten)]
        at: BoardAt,
        /// This trustee's key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// Receive and check the shares dealt to this trustee; post complaints about bad ones.
    Receive {
        #[command(flatten)]
        at: BoardAt,
        /// This trustee's key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// The decryption rehearsal: prove this trustee holds its key share for the ceremony's
    /// current joint key, and commit to a lot seed. Voting opens only when trustees are ready;
    /// post again if the joint key changes (a late dealing or complaint).
    Ready {
        #[command(flatten)]
        at: BoardAt,
        /// This trustee's key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// After registration closes: shuffle the registered credentials (or the previous shuffle's
    /// output) with a fresh secret exponent, and post the result with its proof, signed. The
    /// exponent is never stored.
    Shuffle {
        #[command(flatten)]
        at: BoardAt,
        /// This trustee's key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// Check the log up to the tally (every check before it, the tally recomputed from the
    /// counted ballots), then post this trustee's decryption of that tally, with proofs.
    Decrypt {
        #[command(flatten)]
        at: BoardAt,
        /// This trustee's key file.
        #[arg(long)]
        key: PathBuf,
        /// Check this record (e.g. downloaded from the board) instead of exporting the board's
        /// own; the board's tally must be the record's.
        #[arg(long)]
        record: Option<PathBuf>,
        /// A checkpoint saved during voting (e.g. from a voter's receipt or a `dauys-verify
        /// watch` state): the log must extend it, so that the board cannot show the trustees
        /// another history than the voters'.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// A witness's public key (hex, repeatable): the record must hold its co-signatures of
        /// checkpoints of this log.
        #[arg(long = "witness")]
        witnesses: Vec<String>,
    },
}

impl TrusteeCommand {
    fn at(&self) -> Option<&BoardAt> {
        match self {
            TrusteeCommand::Keygen { .. } => None,
            TrusteeCommand::Init { at, .. }
            | TrusteeCommand::Deal { at, .. }
            | TrusteeCommand::Receive { at, .. }
            | TrusteeCommand::Ready { at, .. }
            | TrusteeCommand::Shuffle { at, .. }
            | TrusteeCommand::Decrypt { at, .. } => Some(at),
        }
    }
}

/// The key file of trustee `index` for `dauys trustee init`: made by `dauys trustee keygen`,
/// and its identity key the one the manifest names for the seat (else the trustee refuses).
pub fn key_for_seat(key: &Path, index: u32, manifest: &Manifest) -> Result<TrusteeSecrets, RunError> {
    if !key.exists() {
        return Err(fail(t!("trustee-no-key-file", path = key.display().to_string(), index = index)));
    }
    let secrets = load_trustee(key)?;
    if secrets.index != index {
        return Err(fail(t!(
            "trustee-other-seat",
            path = key.display().to_string(),
            theirs = secrets.index,
            index = index
        )));
    }
    if manifest.identity(index) != Some(&secrets.identity_key()) {
        return Err(fail(t!("trustee-not-in-manifest", path = key.display().to_string(), index = index)));
    }
    Ok(secrets)
}

/// What a trustee checks the record against before decrypting: checkpoints seen during voting
/// and witnesses' keys (options 7.1 and 7.3 of the verifier).
pub fn decrypt_options(checkpoint: Option<&Path>, witnesses: &[String]) -> Result<Options, RunError> {
    let mut options = Options::default();
    if let Some(path) = checkpoint {
        let text = std::fs::read_to_string(path).map_err(|e| fail(format!("{}: {e}", path.display())))?;
        options.checkpoint = Some(serde_json::from_str(&text).map_err(|e| fail(format!("{}: {e}", path.display())))?);
    }
    for w in witnesses {
        options.witnesses.push(Element::from_hex("--witness", w).map_err(fail)?);
    }
    Ok(options)
}

/// Trustee `index`'s shuffles of every list it has not shuffled yet (one per ballot style
/// with registrations: the lists are independent chains), or why not now.
pub fn shuffle_now(
    state: &dauys::log::state::LogState,
    setup: &dauys::crypto::group::Fingerprint,
    secrets: &TrusteeSecrets,
) -> Result<Vec<Event>, RunError> {
    let i = secrets.index;
    match state.phase() {
        dauys::log::event::Phase::Shuffling => {}
        dauys::log::event::Phase::Empty
        | dauys::log::event::Phase::Ceremony
        | dauys::log::event::Phase::Registration => {
            return Err(fail(t!("trustee-shuffle-too-early", index = i)));
        }
        _ => return Err(fail(t!("trustee-shuffle-too-late", index = i))),
    }
    let reg = &state.registration;
    let lists: Vec<usize> =
        (0..reg.styles().len()).filter(|&l| !reg.shufflers[l].contains(&i) && !reg.input_of(l).1.is_empty()).collect();
    if lists.is_empty() {
        return Err(fail(t!("trustee-shuffled-already", index = i)));
    }
    if state.transport_keys.get(&i).map(|k| k.key) != Some(secrets.signing_key().public()) {
        return Err(fail(t!("trustee-shuffle-other-key", index = i)));
    }
    lists
        .into_iter()
        .map(|list| {
            let (base, input) = reg.input_of(list);
            let shuffle = secrets.shuffle_list(setup, list as u32, &base, &input, &mut rand::rng())?;
            Ok(Event::Shuffle(Box::new(shuffle)))
        })
        .collect()
}

/// What the success of `shuffles` (from [`shuffle_now`] on `state`) says.
pub fn shuffled(index: u32, state: &dauys::log::state::LogState, shuffles: &[Event]) -> String {
    let count: usize = shuffles.iter().map(|e| if let Event::Shuffle(s) = e { s.output.len() } else { 0 }).sum();
    let done = state.registration.shufflers.iter().map(Vec::len).sum::<usize>() + shuffles.len();
    t!("trustee-shuffled", index = index, count = count, lists = shuffles.len(), done = done)
}

pub fn load_trustee(key: &Path) -> Result<TrusteeSecrets, RunError> {
    let text = Zeroizing::new(std::fs::read_to_string(key).map_err(|e| fail(format!("{}: {e}", key.display())))?);
    Ok(TrusteeSecrets::from_json(&text)?)
}

fn save(key: &Path, secrets: &TrusteeSecrets) -> Result<(), RunError> {
    rewrite_private(key, secrets.to_json().as_bytes()).map_err(|e| fail(format!("{}: {e}", key.display())))
}

pub fn trustee_cmd(cmd: TrusteeCommand) -> Outcome {
    let mut rng = rand::rng();
    let Some(at) = cmd.at() else {
        let TrusteeCommand::Keygen { index, key } = cmd else { unreachable!("only keygen has no board") };
        if !(1..=dauys::crypto::threshold::MAX_TRUSTEES).contains(&index) {
            return Err(fail(t!("trustee-index-from-1", index = index)));
        }
        let secrets = TrusteeSecrets::new(index, &mut rng);
        write_private(&key, secrets.to_json().as_bytes()).map_err(|e| fail(format!("{}: {e}", key.display())))?;
        println!("{}", t!("trustee-key-written", index = index, path = key.display().to_string()));
        println!("{}", t!("trustee-identity-key", key = secrets.identity_key().to_hex()));
        return Ok(());
    };
    if let Some(url) = at.board.clone() {
        let ca = at.ca.clone();
        return super::remote::trustee(&url, ca.as_deref(), cmd);
    }
    let dir = at.dir()?.to_path_buf();
    match cmd {
        TrusteeCommand::Keygen { .. } => unreachable!("handled above"),
        TrusteeCommand::Init { index, key, .. } => {
            let mut board = Board::open(&dir)?;
            let manifest = board.state().setup.as_ref().ok_or_else(|| fail(t!("cli-no-setup")))?.manifest.clone();
            let n = manifest.trustees.count;
            if !(1..=n).contains(&index) {
                return Err(fail(t!("trustee-index-out-of-range", index = index, n = n)));
            }
            let secrets = key_for_seat(&key, index, &manifest)?;
            let event = Event::TransportKey(secrets.transport_key(&board.setup_fingerprint(), &mut rng));
            post_all(&mut board, vec![event], &mut rng)?;
            println!("{}", t!("trustee-transport-posted", index = index, path = key.display().to_string()));
        }
        TrusteeCommand::Deal { key, .. } => {
            let mut board = Board::open(&dir)?;
            let mut secrets = load_trustee(&key)?;
            let s = board.state();
            let params = s.setup.as_ref().ok_or_else(|| fail(t!("cli-no-setup")))?.manifest.threshold_params()?;
            let keys: Vec<_> = s.transport_keys.values().cloned().collect();
            if keys.len() != params.trustees as usize {
                return Err(fail(t!("trustee-wait-transport", posted = keys.len(), n = params.trustees)));
            }
            let dealing = secrets.deal(&board.setup_fingerprint(), &params, &keys, &mut rng)?;
            post_all(&mut board, vec![Event::Dealing(dealing)], &mut rng)?;
            save(&key, &secrets)?;
            println!("{}", t!("trustee-dealt", index = secrets.index));
        }
        TrusteeCommand::Receive { key, .. } => {
            let mut board = Board::open(&dir)?;
            let mut secrets = load_trustee(&key)?;
            let s = board.state();
            let params = s.setup.as_ref().ok_or_else(|| fail(t!("cli-no-setup")))?.manifest.threshold_params()?;
            let n = params.trustees as usize;
            if s.dealings.len() != n {
                return Err(fail(t!("trustee-wait-dealings", posted = s.dealings.len(), n = n)));
            }
            let keys: Vec<_> = s.transport_keys.values().cloned().collect();
            let dealings: Vec<_> = s.dealings.values().cloned().collect();
            let complaints = secrets.receive(&board.setup_fingerprint(), &params, &keys, &dealings, &mut rng)?;
            save(&key, &secrets)?;
            let count = complaints.len();
            post_all(&mut board, complaints.into_iter().map(Event::Complaint).collect(), &mut rng)?;
            println!("{}", t!("trustee-received", index = secrets.index, count = count));
        }
        TrusteeCommand::Ready { key, .. } => {
            let mut board = Board::open(&dir)?;
            let secrets = load_trustee(&key)?;
            let ceremony = ceremony_outcome(&board)?;
            let ready = secrets.ready(&board.setup_fingerprint(), &ceremony, &mut rng)?;
            // The lot seed committed to here must be the one revealed later: keep it.
            save(&key, &secrets)?;
            post_all(&mut board, vec![Event::Ready(ready)], &mut rng)?;
            println!("{}", t!("trustee-ready", index = secrets.index, key = ceremony.joint_key.to_hex()));
        }
        TrusteeCommand::Shuffle { key, .. } => {
            let mut board = Board::open(&dir)?;
            let secrets = load_trustee(&key)?;
            let events = shuffle_now(board.state(), &board.setup_fingerprint(), &secrets)?;
            let said = shuffled(secrets.index, board.state(), &events);
            post_all(&mut board, events, &mut rng)?;
            println!("{said}");
        }
        TrusteeCommand::Decrypt { key, record, checkpoint, witnesses, .. } => {
            let mut board = Board::open(&dir)?;
            let secrets = load_trustee(&key)?;
            let options = decrypt_options(checkpoint.as_deref(), &witnesses)?;
            let checked = match &record {
                Some(record) => checked_tally(record, &options),
                None => {
                    let export = std::env::temp_dir().join(format!(
                        "dauys-trustee-{}-check-{}-{}",
                        secrets.index,
                        std::process::id(),
                        rand::random::<u64>()
                    ));
                    board.export(&export)?;
                    let checked = checked_tally(&export, &options);
                    let _ = std::fs::remove_dir_all(&export);
                    checked
                }
            }
            .map_err(|e| fail(t!("trustee-refuses-decrypt", index = secrets.index, error = e.to_string())))?;
            if board.state().tally.as_ref() != Some(&checked.tally) {
                return Err(fail(t!(
                    "trustee-refuses-decrypt",
                    index = secrets.index,
                    error = t!("trustee-other-tally")
                )));
            }
            let reveal = checked.ready.contains(&secrets.index);
            let decryption = secrets.decrypt(&checked.params, &checked.ceremony, &checked.tally, reveal, &mut rng)?;
            post_all(&mut board, vec![Event::Decryption(decryption)], &mut rng)?;
            println!("{}", t!("trustee-decrypted", index = secrets.index));
        }
    }
    Ok(())
}
