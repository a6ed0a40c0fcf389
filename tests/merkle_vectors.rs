//! The RFC 6962 inclusion and consistency vectors of transparency-dev/merkle (Apache-2.0),
//! vendored in `tests/vectors/rfc6962/`: every file with `wantErr: false` must verify and every
//! file with `wantErr: true` must be rejected.

use std::path::{Path, PathBuf};

use base64::Engine;
use dauys::log::merkle::{Hash, verify_consistency, verify_inclusion};
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/rfc6962")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn bytes(v: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap_or("")).expect("valid base64 in vector")
}

/// `None` if some proof element is not 32 bytes (which a verifier must reject).
fn proof(v: &Value) -> Option<Vec<Hash>> {
    v.as_array().map_or(Some(vec![]), |list| list.iter().map(|h| bytes(h).try_into().ok()).collect())
}

fn run(kind: &str) -> (usize, usize) {
    let mut paths = Vec::new();
    files(&vectors_dir().join(kind), &mut paths);
    let (mut accepted, mut rejected) = (0, 0);
    for path in &paths {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let want_err = v["wantErr"].as_bool().unwrap();
        let result = match (kind, proof(&v["proof"])) {
            (_, None) => Err("proof element of the wrong length".to_string()),
            ("inclusion", Some(p)) => verify_inclusion(
                v["leafIdx"].as_u64().unwrap(),
                v["treeSize"].as_u64().unwrap(),
                &bytes(&v["leafHash"]),
                &p,
                &bytes(&v["root"]),
            )
            .map_err(|e| e.to_string()),
            (_, Some(p)) => verify_consistency(
                v["size1"].as_u64().unwrap(),
                v["size2"].as_u64().unwrap(),
                &p,
                &bytes(&v["root1"]),
                &bytes(&v["root2"]),
            )
            .map_err(|e| e.to_string()),
        };
        assert_eq!(result.is_err(), want_err, "{}: {:?} ({})", path.display(), result, v["desc"]);
        if want_err { rejected += 1 } else { accepted += 1 }
    }
    (accepted, rejected)
}

#[test]
fn inclusion_vectors() {
    let (accepted, rejected) = run("inclusion");
    // The vector set as published: guards against a missing or partial directory.
    eprintln!("{accepted} accepted, {rejected} rejected");
    assert!(accepted >= 5 && rejected >= 80, "accepted {accepted}, rejected {rejected}");
}

#[test]
fn consistency_vectors() {
    let (accepted, rejected) = run("consistency");
    eprintln!("{accepted} accepted, {rejected} rejected");
    assert!(accepted >= 5 && rejected >= 80, "accepted {accepted}, rejected {rejected}");
}
