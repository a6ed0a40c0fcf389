//! The registered election the registration tests start from: 6 citizens register with a
//! synthetic CA the manifest names, the minimum of trustees shuffle, everyone votes, the
//! trustees decrypt; the record, with what a board or trustee would sign with.

#![allow(dead_code)]

use std::path::PathBuf;

use dauys::crypto::elgamal::KeyPair;
use dauys::crypto::group::{Fingerprint, SecretScalar, hex32, scalar_from_bytes};
use dauys::crypto::schnorr::SchnorrProof;
use dauys::crypto::transcript;
use dauys::election::citizen_ca::SyntheticCaIssuer;
use dauys::election::manifest::Manifest;
use dauys::election::trustee::TrusteeSecrets;
use dauys::election::unlinking::CredentialShuffle;
use dauys::runner::{LocalElection, NATIONAL_MANIFEST, VoterPlan};
use rand::RngExt;

pub struct Fixture {
    pub record: PathBuf,
    pub board: SecretScalar,
    /// Each trustee's secrets file (JSON).
    pub trustees: Vec<String>,
    /// Each voter's key under h_final: `x` and `x·h_final`.
    pub voters: Vec<KeyPair>,
    /// The citizen CA the manifest names.
    pub ca: SyntheticCaIssuer,
}

impl Fixture {
    /// Trustee `i`'s secrets (1-based).
    pub fn trustee(&self, i: u32) -> TrusteeSecrets {
        TrusteeSecrets::from_json(&self.trustees[i as usize - 1]).unwrap()
    }

    /// Signs a shuffle with trustee `signer`'s transport key (its own, for a cheating shuffler
    /// covering its tracks, so that the proof is what must catch a change).
    pub fn sign_shuffle(&self, s: &mut CredentialShuffle, setup: &Fingerprint, signer: u32) {
        let t = self.trustee(signer);
        let key = t.signing_key();
        s.signature = SchnorrProof::prove(
            transcript::trustee_event_signature(setup, s.shuffler, "shuffle", &s.digest(), &key.public()),
            key,
            &mut rand::rng(),
        );
    }
}

/// A fresh directory under the system's temp dir (`tag` names the test file).
pub fn temp(tag: &str, name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("dauys-{tag}-{name}-{}-{}", std::process::id(), rand::rng().random::<u32>()))
}

pub fn one_hot(n: usize, i: usize) -> Vec<u64> {
    (0..n).map(|k| u64::from(k == i)).collect()
}

/// Runs the election in a new directory (`tag` names the test file).
pub fn registered_election(tag: &str) -> Fixture {
    let mut rng = rand::rng();
    let dir = temp(tag, "fixture");
    let ca = SyntheticCaIssuer::generate(&mut rng);
    let mut manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
    manifest.citizen_ca = Some(ca.public().key);
    let mut election = LocalElection::setup(&dir, manifest, &mut rng).unwrap();
    let voters = election.register_and_open(&ca, 6, 0, &mut rng).unwrap();
    let plans: Vec<VoterPlan> = voters
        .iter()
        .enumerate()
        .map(|(i, v)| VoterPlan {
            key: v.clone(),
            marks: vec![one_hot(2, i % 2), one_hot(5, i % 5), one_hot(9, i % 9)],
            earlier: None,
            challenge: false,
        })
        .collect();
    assert!(election.vote(&plans, &mut rng, |_| {}).unwrap().is_empty());
    election.close(&mut rng).unwrap();
    election.tally(&[1, 2, 3], &mut rng).unwrap();
    let record = dir.join("record");
    election.board.export(&record).unwrap();
    let key = std::fs::read_to_string(dir.join("board.key")).unwrap();
    let board = SecretScalar::new(scalar_from_bytes("k", hex32("k", key.trim()).unwrap()).unwrap());
    let trustees = election.trustees.iter().map(|t| t.to_json().to_string()).collect();
    Fixture { record, board, trustees, voters, ca }
}
