//! What the watcher's tests (`watch.rs`, `watch_attacks.rs`) share: votes, casting through a
//! board's HTTP interface, and running `dauys-verify`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use dauys::board::client::BoardClient;
use dauys::crypto::elgamal::KeyPair;
use dauys::election::ballot::Ballot;
use dauys::election::credential::{Credential, CredentialList};
use dauys::election::manifest::Manifest;
use dauys::election::params::ElectionParams;
use dauys::runner::{LocalElection, NATIONAL_MANIFEST};
use rand::RngExt;

/// A fresh directory name under the system's temp dir, starting with `prefix`.
pub fn temp_dir(prefix: &str) -> PathBuf {
    std::env::temp_dir().join(format!("{prefix}-{}-{}", std::process::id(), rand::rng().random::<u32>()))
}

/// An election on the national manifest with a board in `dir`, open for voting by `voters`
/// new voters.
pub fn open_election(dir: &Path, voters: usize) -> (LocalElection, Vec<KeyPair>) {
    let mut rng = rand::rng();
    let manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
    let mut election = LocalElection::setup(dir, manifest.clone(), &mut rng).unwrap();
    let voters: Vec<KeyPair> =
        (0..voters).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect();
    election.open(CredentialList::new(voters.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
    (election, voters)
}

/// Voter `i`'s marks on the national manifest's three contests (one option each).
pub fn marks(i: usize) -> Vec<Vec<u64>> {
    let hot = |n: usize, k: usize| (0..n).map(|j| u64::from(j == k % n)).collect();
    vec![hot(2, i), hot(5, i), hot(9, i)]
}

/// Each voter casts one ballot through the board at `url` (marks from voter `from` on).
pub fn cast(url: &str, params: &ElectionParams, voters: &[KeyPair], from: usize) {
    let client = BoardClient::new(url);
    for (i, v) in voters.iter().enumerate() {
        let (ballot, _) = Ballot::encrypt(params, v, &marks(from + i), &mut rand::rng()).unwrap();
        client.cast(&ballot).unwrap();
    }
}

pub fn verifier(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dauys-verify")).args(args).output().unwrap()
}

/// Standard output and standard error, together.
pub fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// One poll of `dauys-verify watch` with its state in `state`, and `extra` options.
pub fn watch(url: &str, state: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["watch", "--board", url, "--state", s(state), "--polls", "1", "--interval", "0"];
    args.extend(extra);
    verifier(&args)
}
