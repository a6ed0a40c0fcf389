//! Reaching a running board: `--board URL` next to `--dir` (with `--ca FILE` for a board
//! whose certificate a private CA issued), and the staff's steps over HTTP, each request
//! signed by the key of the role that makes it (`specs/record.md` §13.3). Nothing here opens
//! the board's directory: the operator holds its key file, each trustee its own.

use std::path::{Path, PathBuf};

use dauys::board::auth::{Role, enrollment_key};
use dauys::board::client::{BoardClient, Signer};
use dauys::crypto::group::{Element, Fingerprint, SecretScalar, hex32, scalar_from_bytes};
use dauys::election::credential::Credential;
use dauys::election::manifest::Manifest;
use dauys::election::trustee::TrusteeSecrets;
use dauys::keyfile::rewrite_private;
use dauys::log::event::Event;
use dauys::log::merkle::{Tree, leaf_hash};
use dauys::log::record;
use dauys::log::state::{LogState, Verification};
use dauys::runner::RunError;
use dauys::verify::before_decrypting::checked_tally;
use rand::RngExt;
use serde_json::Value;

use super::trustee::{TrusteeCommand, decrypt_options, key_for_seat, load_trustee, shuffle_now, shuffled};
use super::{Outcome, fail, read, words};

/// Where the board is: its directory on this machine, or its URL.
#[derive(clap::Args, Debug, Clone)]
pub struct BoardAt {
    /// The election directory on this machine (while no server runs on it).
    #[arg(long, required_unless_present = "board", conflicts_with = "board")]
    pub dir: Option<PathBuf>,
    /// The running board's URL, e.g. http://127.0.0.1:8080 or https://board.example.
    #[arg(long)]
    pub board: Option<String>,
    /// With an https:// board: the CA certificate (PEM) that issued the board's certificate,
    /// where the system's roots do not include it.
    #[arg(long, requires = "board")]
    pub ca: Option<PathBuf>,
}

impl BoardAt {
    pub fn dir(&self) -> Result<&Path, RunError> {
        self.dir.as_deref().ok_or_else(|| fail(t!("remote-give-board")))
    }
}

/// A running board, as its `/election` describes it.
pub struct Remote {
    pub client: BoardClient,
    pub manifest: Manifest,
    pub setup: Fingerprint,
    pub board_key: Element,
}

pub fn connect(url: &str, ca: Option<&Path>) -> Result<Remote, RunError> {
    let client = BoardClient::with_ca(url, ca).map_err(fail)?;
    let e = client.get("/election").map_err(fail)?;
    let manifest: Manifest =
        serde_json::from_value(e["manifest"].clone()).map_err(|e| fail(format!("/election: {e}")))?;
    let board_key: Element =
        serde_json::from_value(e["board_key"].clone()).map_err(|e| fail(format!("/election: {e}")))?;
    Ok(Remote { client, setup: manifest.setup_fingerprint(), manifest, board_key })
}

impl Remote {
    fn signer(&self, role: Role, key: SecretScalar) -> Signer {
        Signer { role, key, setup: self.setup, board_key: self.board_key }
    }

    fn post(&self, signer: &Signer, path: &str, body: &impl serde::Serialize) -> Result<Value, RunError> {
        self.client.post_signed(signer, path, body, &mut rand::rng()).map_err(fail)
    }

    /// The board's log as this client checks it: the latest signed snapshot of the record,
    /// downloaded, its checkpoint signed by the board, its root that of the events, and every
    /// event admissible in turn with its proofs checked. (Before decrypting, a trustee checks
    /// more: `verify::before_decrypting`.)
    pub fn log(&self) -> Result<LogState, RunError> {
        let dir =
            std::env::temp_dir().join(format!("dauys-log-{}-{:08x}", std::process::id(), rand::rng().random::<u32>()));
        let outcome = self.download(&dir).and_then(|()| self.log_in(&dir));
        let _ = std::fs::remove_dir_all(&dir);
        outcome
    }

    /// Downloads the board's latest snapshot of the record into `dir` and checks that the
    /// board signed its checkpoint.
    pub fn download(&self, dir: &Path) -> Result<(), RunError> {
        self.client.download_record(dir).map_err(fail)?;
        let header = record::read_header(dir).map_err(fail)?;
        header
            .checkpoint
            .verify(&self.setup, &self.board_key)
            .map_err(|e| fail(t!("remote-bad-record", error = e.to_string())))
    }

    fn log_in(&self, dir: &Path) -> Result<LogState, RunError> {
        let header = record::read_header(dir).map_err(fail)?;
        let check = Verification::Full;
        let (mut state, mut tree) = (LogState::new(), Tree::new());
        for item in record::events(dir).map_err(fail)? {
            let (_, leaf) = item.map_err(fail)?;
            let event: Event =
                serde_json::from_str(&leaf).map_err(|e| fail(t!("remote-bad-record", error = e.to_string())))?;
            state.apply(&event, check).map_err(|e| fail(t!("remote-bad-record", error = e.to_string())))?;
            tree.push(leaf_hash(leaf.as_bytes()));
        }
        let root = tree.root(tree.len()).map_err(fail)?;
        if tree.len() != header.checkpoint.size || root != header.checkpoint.root {
            return Err(fail(t!("remote-bad-record", error = t!("remote-record-not-signed"))));
        }
        if state.setup.as_ref().map(|s| s.board_key) != Some(self.board_key)
            || state.setup_fingerprint != Some(self.setup)
        {
            return Err(fail(t!("remote-record-elsewhere")));
        }
        Ok(state)
    }
}

/// A key file of 64 hex digits (the operator's, from `board init`).
pub fn read_key(path: &Path, what: &str) -> Result<SecretScalar, RunError> {
    let text = zeroize::Zeroizing::new(read(path)?);
    let bytes = hex32(what, text.trim()).map_err(|e| fail(format!("{}: {e}", path.display())))?;
    scalar_from_bytes(what, bytes).map(SecretScalar::new).map_err(|e| fail(format!("{}: {e}", path.display())))
}

/// An operator's step on the board at `at` (`open`, `close`, `tally`, `result`), signed by the
/// operator's key in `key`; the board's answer.
pub fn operator(at: &BoardAt, key: Option<&Path>, step: &str, body: &Value) -> Result<Value, RunError> {
    let url = at.board.as_deref().ok_or_else(|| fail(t!("remote-give-url")))?;
    let key = key.ok_or_else(|| fail(t!("remote-give-operator-key")))?;
    let remote = connect(url, at.ca.as_deref())?;
    let signer = remote.signer(Role::Operator, read_key(key, &t!("remote-operator-key"))?);
    remote.post(&signer, &format!("/operator/{step}"), body)
}

/// Posts a trustee's events, signed by its transport key.
fn post_events(remote: &Remote, secrets: &TrusteeSecrets, events: Vec<Event>) -> Result<Value, RunError> {
    let signer = remote.signer(Role::Trustee(secrets.index), secrets.signing_key().clone());
    remote.post(&signer, "/trustee/events", &events)
}

/// Every trustee step against the board at `url`.
pub fn trustee(url: &str, ca: Option<&Path>, cmd: TrusteeCommand) -> Outcome {
    let mut rng = rand::rng();
    let remote = connect(url, ca)?;
    let n = remote.manifest.trustees.count;
    match cmd {
        TrusteeCommand::Keygen { .. } => unreachable!("keygen needs no board"),
        TrusteeCommand::Init { index, key, code, .. } => {
            if !(1..=n).contains(&index) {
                return Err(fail(t!("trustee-index-out-of-range", index = index, n = n)));
            }
            let state = remote.log()?;
            let secrets = key_for_seat(&key, index, &remote.manifest)?;
            let ours = secrets.signing_key().public();
            if let Some(posted) = state.transport_keys.get(&index) {
                if posted.key != ours {
                    return Err(fail(t!("trustee-seat-taken", index = index)));
                }
                println!("{}", t!("trustee-transport-already", index = index, path = key.display().to_string()));
                return Ok(());
            }
            let code =
                code.ok_or_else(|| fail(t!("trustee-give-code", index = index, path = key.display().to_string())))?;
            let code = Credential::parse(&code).map_err(|e| fail(format!("--code: {e}")))?;
            let signer = remote.signer(Role::Trustee(index), enrollment_key(&remote.setup, index, &code));
            let event = Event::TransportKey(secrets.transport_key(&remote.setup, &mut rng));
            remote
                .post(&signer, "/trustee/events", &vec![event])
                .map_err(|e| fail(t!("trustee-post-again", error = e.to_string(), path = key.display().to_string())))?;
            println!("{}", t!("trustee-transport-posted", index = index, path = key.display().to_string()));
        }
        TrusteeCommand::Deal { key, .. } => {
            let mut secrets = load_trustee(&key)?;
            let state = remote.log()?;
            let params = remote.manifest.threshold_params()?;
            let keys: Vec<_> = state.transport_keys.values().cloned().collect();
            if keys.len() != n as usize {
                return Err(fail(t!("trustee-wait-transport", posted = keys.len(), n = n)));
            }
            let dealing = secrets.deal(&remote.setup, &params, &keys, &mut rng)?;
            post_events(&remote, &secrets, vec![Event::Dealing(dealing)])?;
            rewrite_private(&key, secrets.to_json().as_bytes()).map_err(|e| fail(format!("{}: {e}", key.display())))?;
            println!("{}", t!("trustee-dealt", index = secrets.index));
        }
        TrusteeCommand::Receive { key, .. } => {
            let mut secrets = load_trustee(&key)?;
            let state = remote.log()?;
            if state.dealings.len() != n as usize {
                return Err(fail(t!("trustee-wait-dealings", posted = state.dealings.len(), n = n)));
            }
            let keys: Vec<_> = state.transport_keys.values().cloned().collect();
            let dealings: Vec<_> = state.dealings.values().cloned().collect();
            let params = remote.manifest.threshold_params()?;
            let complaints = secrets.receive(&remote.setup, &params, &keys, &dealings, &mut rng)?;
            rewrite_private(&key, secrets.to_json().as_bytes()).map_err(|e| fail(format!("{}: {e}", key.display())))?;
            let count = complaints.len();
            if count > 0 {
                post_events(&remote, &secrets, complaints.into_iter().map(Event::Complaint).collect())?;
            }
            println!("{}", t!("trustee-received", index = secrets.index, count = count));
        }
        TrusteeCommand::Ready { key, .. } => {
            let secrets = load_trustee(&key)?;
            let state = remote.log()?;
            let keys: Vec<_> = state.transport_keys.values().cloned().collect();
            let dealings: Vec<_> = state.dealings.values().cloned().collect();
            let ceremony = dauys::crypto::threshold::dkg::outcome(
                &remote.setup,
                &remote.manifest.threshold_params()?,
                &keys,
                &dealings,
                &state.complaints,
            )
            .map_err(|e| fail(e.to_string()))?;
            let ready = secrets.ready(&remote.setup, &ceremony, &mut rng)?;
            // The lot seed committed to here must be the one revealed later: keep it.
            rewrite_private(&key, secrets.to_json().as_bytes()).map_err(|e| fail(format!("{}: {e}", key.display())))?;
            post_events(&remote, &secrets, vec![Event::Ready(ready)])?;
            println!("{}", t!("trustee-ready", index = secrets.index, key = ceremony.joint_key.to_hex()));
        }
        TrusteeCommand::Shuffle { key, .. } => {
            let secrets = load_trustee(&key)?;
            let state = remote.log()?;
            let events = shuffle_now(&state, &remote.setup, &secrets)?;
            let said = shuffled(secrets.index, &state, &events);
            post_events(&remote, &secrets, events)?;
            println!("{said}");
        }
        TrusteeCommand::Decrypt { key, record, checkpoint, witnesses, .. } => {
            let secrets = load_trustee(&key)?;
            let phase = remote.client.get("/status").map_err(fail)?["phase"].as_str().unwrap_or("").to_string();
            if phase != "decrypting" {
                return Err(fail(t!("trustee-no-tally", phase = phase)));
            }
            let options = decrypt_options(checkpoint.as_deref(), &witnesses)?;
            let refuse = |e: String| fail(t!("trustee-refuses-decrypt", index = secrets.index, error = e));
            let checked = match &record {
                Some(record) => checked_tally(record, &options).map_err(refuse)?,
                None => {
                    let dir = std::env::temp_dir().join(format!(
                        "dauys-trustee-{}-check-{}-{:08x}",
                        secrets.index,
                        std::process::id(),
                        rng.random::<u32>()
                    ));
                    let checked = remote.download(&dir).and_then(|()| checked_tally(&dir, &options).map_err(refuse));
                    let _ = std::fs::remove_dir_all(&dir);
                    checked?
                }
            };
            let reveal = checked.ready.contains(&secrets.index);
            let decryption = secrets.decrypt(&checked.params, &checked.ceremony, &checked.tally, reveal, &mut rng)?;
            post_events(&remote, &secrets, vec![Event::Decryption(decryption)])?;
            println!("{}", t!("trustee-decrypted", index = secrets.index));
        }
    }
    Ok(())
}
