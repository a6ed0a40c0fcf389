//! The key ceremony on a board, step by step, for the tests that attack it
//! (`tests/attacks.rs`, `tests/ceremony.rs`): three trustees, t = 2, one referendum.

#![allow(dead_code)]

use std::path::PathBuf;

use dauys::board::store::Board;
use dauys::crypto::group::SecretScalar;
use dauys::crypto::schnorr::SchnorrProof;
use dauys::crypto::threshold::dkg::{Dealing, EncryptedShare};
use dauys::crypto::transcript;
use dauys::election::manifest::Manifest;
use dauys::election::trustee::TrusteeSecrets;
use dauys::log::event::Event;
use dauys::runner::{ceremony_outcome, post_all};
use rand::RngExt;

/// One test file's elections: its id names the elections and their directories.
pub struct Ceremonies {
    pub election_id: &'static str,
}

impl Ceremonies {
    /// The manifest: n = 3, t = 2, one referendum, revotes allowed (the last counts).
    pub fn manifest(&self) -> Manifest {
        let json = r#"{"version":1,"election_id":"ID","title":{"en":"T","kk":"T","ru":"T"},
  "trustees":{"count":3,"threshold":2},"revote":"last_counts",
  "contests":[{"id":"ref","kind":"referendum","title":{"en":"Q","kk":"С","ru":"В"},
    "options":[{"id":"yes","label":{"en":"Yes","kk":"Иә","ru":"Да"}},{"id":"no","label":{"en":"No","kk":"Жоқ","ru":"Нет"}}]}]}"#;
        Manifest::from_json(&json.replace(r#""ID""#, &format!("{:?}", self.election_id))).unwrap()
    }

    /// A fresh directory under the system's temp dir.
    pub fn temp_dir(&self, name: &str) -> PathBuf {
        let unique = format!("{}-{}", std::process::id(), rand::rng().random::<u32>());
        std::env::temp_dir().join(format!("dauys-{}-{name}-{unique}", self.election_id))
    }

    /// A board whose manifest names the identity keys of `trustees`; nobody has posted.
    pub fn board_for(&self, name: &str, trustees: &[TrusteeSecrets]) -> (PathBuf, Board) {
        let dir = self.temp_dir(name);
        let mut manifest = self.manifest();
        manifest.trustees.identities = trustees.iter().map(TrusteeSecrets::identity_key).collect();
        let board = Board::create(&dir, manifest, &mut rand::rng()).unwrap();
        (dir, board)
    }

    /// A board with every trustee's transport key posted; nobody has dealt.
    pub fn keys_posted(&self, name: &str) -> (PathBuf, Board, Vec<TrusteeSecrets>) {
        let mut rng = rand::rng();
        let trustees: Vec<TrusteeSecrets> = (1..=3).map(|i| TrusteeSecrets::new(i, &mut rng)).collect();
        let (dir, mut board) = self.board_for(name, &trustees);
        let setup = board.setup_fingerprint();
        let keys = trustees.iter().map(|t| Event::TransportKey(t.transport_key(&setup, &mut rng))).collect();
        post_all(&mut board, keys, &mut rng).unwrap();
        (dir, board, trustees)
    }
}

/// Trustee `t`'s dealing to the transport keys on `board`.
pub fn deal(board: &Board, t: &mut TrusteeSecrets) -> Dealing {
    let s = board.state();
    let params = s.setup.as_ref().unwrap().manifest.threshold_params().unwrap();
    let keys: Vec<_> = s.transport_keys.values().cloned().collect();
    t.deal(&board.setup_fingerprint(), &params, &keys, &mut rand::rng()).unwrap()
}

/// Every trustee receives the dealings on `board`: their complaints, as events.
pub fn receive_all(board: &Board, trustees: &mut [TrusteeSecrets]) -> Vec<Event> {
    let s = board.state();
    let params = s.setup.as_ref().unwrap().manifest.threshold_params().unwrap();
    let keys: Vec<_> = s.transport_keys.values().cloned().collect();
    let dealings: Vec<_> = s.dealings.values().cloned().collect();
    let setup = board.setup_fingerprint();
    trustees
        .iter_mut()
        .flat_map(|t| t.receive(&setup, &params, &keys, &dealings, &mut rand::rng()).unwrap())
        .map(Event::Complaint)
        .collect()
}

/// Trustee `t`'s ready event on the ceremony's outcome so far.
pub fn ready(board: &Board, t: &TrusteeSecrets) -> Event {
    let ceremony = ceremony_outcome(board).unwrap();
    Event::Ready(t.ready(&board.setup_fingerprint(), &ceremony, &mut rand::rng()).unwrap())
}

/// `share` with its ciphertext spoiled, so that it does not decrypt, and a valid proof for a
/// fresh ephemeral `r·g`.
pub fn undecryptable_share(board: &Board, dealer: u32, share: &EncryptedShare, r: &SecretScalar) -> EncryptedShare {
    let key = board.state().transport_keys[&share.recipient].key;
    let mut ciphertext = share.ciphertext.clone();
    ciphertext[0] ^= 1;
    let ephemeral = r.public();
    let t =
        transcript::ephemeral_pok(&board.setup_fingerprint(), dealer, share.recipient, &ephemeral, &key, &ciphertext);
    let proof = SchnorrProof::prove(t, r, &mut rand::rng());
    EncryptedShare { ciphertext, ephemeral, proof, recipient: share.recipient }
}
