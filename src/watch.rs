//! An observer watching a board while voting is open (`dauys-verify watch`): every checkpoint
//! the board shows must be signed by it and extend the last one this observer saw; with a
//! witness key, the observer co-signs each one it has checked and posts the co-signature, so
//! that a board showing two histories to two observers is caught by either.
//!
//! This is the one part of `dauys-verify` that talks to the network; record verification
//! (`src/verify`) does not.

use std::path::{Path, PathBuf};

use crate::board::client::BoardClient;
use crate::crypto::group::{Element, Fingerprint, SecretScalar, hex32};
use crate::election::manifest::Manifest;
use crate::log::checkpoint::{Checkpoint, Cosignature};
use crate::log::merkle::verify_consistency;

pub struct Watcher {
    client: BoardClient,
    setup: Fingerprint,
    board_key: Element,
    witness: Option<SecretScalar>,
    state: Option<PathBuf>,
    pub last: Option<Checkpoint>,
}

impl Watcher {
    /// Connects to `url` (`https://` checked against the system's roots, or against the CA
    /// certificates in `ca`); `state` keeps the last checkpoint seen between runs.
    pub fn new(
        url: &str,
        ca: Option<&Path>,
        witness: Option<SecretScalar>,
        state: Option<&Path>,
    ) -> Result<Self, String> {
        let client = BoardClient::with_ca(url, ca)?;
        let e = client.get("/election").map_err(|e| e.to_string())?;
        let manifest: Manifest = serde_json::from_value(e["manifest"].clone()).map_err(|e| e.to_string())?;
        let board_key: Element = serde_json::from_value(e["board_key"].clone()).map_err(|e| e.to_string())?;
        let last = match state {
            Some(p) if p.exists() => {
                let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
                Some(serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))?)
            }
            _ => None,
        };
        Ok(Watcher {
            client,
            setup: manifest.setup_fingerprint(),
            board_key,
            witness,
            state: state.map(Path::to_path_buf),
            last,
        })
    }

    /// Whether this watcher co-signs what it checks.
    pub fn signs(&self) -> bool {
        self.witness.is_some()
    }

    /// One poll: the newest checkpoint, checked against the last one seen (and co-signed).
    pub fn poll(&mut self) -> Result<Checkpoint, String> {
        let value = self.client.get("/checkpoint").map_err(|e| e.to_string())?;
        let newest: Checkpoint = serde_json::from_value(value).map_err(|e| format!("the board's checkpoint: {e}"))?;
        newest.verify(&self.setup, &self.board_key).map_err(|e| format!("the newest checkpoint: {e}"))?;
        empty_log_root(&newest)?;
        if let Some(last) = &self.last {
            if newest.size < last.size {
                return Err(format!("the board's log shrank from {} to {} events", last.size, newest.size));
            }
            if newest.size == last.size && newest.root != last.root {
                return Err(format!("two different logs of {} events: the board shows another history", last.size));
            }
            // Every log extends the empty one (RFC 9162 has no consistency proof from size 0).
            if newest.size > last.size && last.size > 0 {
                let v = self
                    .client
                    .get(&format!("/proof/consistency?from={}&to={}", last.size, newest.size))
                    .map_err(|e| e.to_string())?;
                let proof: Vec<[u8; 32]> = serde_json::from_value::<Vec<String>>(v["proof"].clone())
                    .map_err(|e| e.to_string())?
                    .iter()
                    .map(|h| hex32("proof", h).map_err(|e| e.to_string()))
                    .collect::<Result<_, _>>()?;
                verify_consistency(last.size, newest.size, &proof, &last.root, &newest.root).map_err(|e| {
                    format!(
                        "the log of {} events does not extend the one of {} seen before ({e}): another history",
                        newest.size, last.size
                    )
                })?;
            }
        }
        if let Some(witness) = &self.witness {
            let c = Cosignature::sign(&self.setup, &self.board_key, witness, &newest, &mut rand::rng());
            self.client.cosign(&c).map_err(|e| e.to_string())?;
        }
        if let Some(p) = &self.state {
            std::fs::write(p, serde_json::to_string(&newest).expect("serializes"))
                .map_err(|e| format!("{}: {e}", p.display()))?;
        }
        self.last = Some(newest.clone());
        Ok(newest)
    }
}

/// The witness key in `path` (64 hex digits), created (mode 0600) if the file does not exist.
pub fn witness_key(path: &Path) -> Result<SecretScalar, String> {
    if !path.exists() {
        let key = SecretScalar::random(&mut rand::rng());
        crate::keyfile::write_private(path, crate::crypto::group::to_hex(key.expose().as_bytes()).as_bytes())
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bytes = hex32("witness key", text.trim()).map_err(|e| e.to_string())?;
    crate::crypto::group::scalar_from_bytes("witness key", bytes).map(SecretScalar::new).map_err(|e| e.to_string())
}

/// A checkpoint of the empty log holds the empty tree's root, `SHA-256()` of no bytes: a
/// witness co-signs no other.
fn empty_log_root(checkpoint: &Checkpoint) -> Result<(), String> {
    if checkpoint.size == 0 && checkpoint.root != crate::log::merkle::empty_root() {
        return Err("the board's checkpoint of an empty log has a root other than the empty tree's".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_log_has_the_empty_root() {
        let signature =
            serde_json::from_value(serde_json::json!({"commitment": "00".repeat(32), "response": "00".repeat(32)}))
                .unwrap();
        let empty = Checkpoint { root: crate::log::merkle::empty_root(), signature, size: 0 };
        assert!(empty_log_root(&empty).is_ok());
        assert!(empty_log_root(&Checkpoint { root: [7; 32], ..empty.clone() }).is_err());
        assert!(empty_log_root(&Checkpoint { root: [7; 32], size: 1, ..empty }).is_ok());
    }
}
