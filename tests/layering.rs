//! The observer's trusted code stays small: the verifier and the pure layers beneath it never
//! reach the board's storage, the database, or the tools that run elections; nor the role and
//! prover code that lives beside them (README, "Trusted base").

use std::path::{Path, PathBuf};

/// The role and prover files inside the pure modules: the README's count leaves them out by
/// name, and no trusted file may use them.
const ROLE_FILES: [&str; 4] = ["citizen_ca.rs", "prove.rs", "registrar.rs", "trustee.rs"];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The verifier and every file of the pure modules, or (with `trusted`) the README's trusted
/// base: those files but the role and prover files.
fn pure_files(trusted: bool) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // The words of its report (`locales/`) come through `locale.rs`.
    let mut files = vec![root.join("bin/dauys-verify.rs"), root.join("locale.rs")];
    for pure in ["crypto", "election", "log", "verify"] {
        sources(&root.join(pure), &mut files);
    }
    if trusted {
        files.retain(|f| !ROLE_FILES.iter().any(|r| f.file_name().is_some_and(|n| n == *r)));
    }
    files
}

/// Each line of code of `text` with its number: comments cut off, and the unit-test modules
/// (`#[cfg(test)] mod … { … }`) left out, which may use the roles to make what they check.
fn code_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            match lines.next() {
                Some((_, item)) if item.trim_start().starts_with("mod ") && item.trim_end().ends_with('{') => {
                    let close = format!("{}}}", &item[..item.len() - item.trim_start().len()]);
                    for (_, l) in lines.by_ref() {
                        if l.trim_end() == close {
                            break;
                        }
                    }
                }
                Some((m, item)) => out.push((m, item.split("//").next().unwrap_or(""))),
                None => {}
            }
            continue;
        }
        out.push((n, line.split("//").next().unwrap_or("")));
    }
    out
}

/// Whether `code` has `word` as a whole identifier (before `::` with `before`, after `::` with
/// `after`).
fn has_path_segment(code: &str, word: &str, before: bool, after: bool) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(word).any(|(i, _)| {
        let (head, tail) = (&code[..i], &code[i + word.len()..]);
        if head.ends_with(ident) || tail.starts_with(ident) {
            return false;
        }
        (before && tail.starts_with("::")) || (after && head.ends_with("::"))
    })
}

/// What in a line of trusted code refers to role or prover code, if anything.
fn role_reference(code: &str) -> Option<&'static str> {
    // The role modules by path (`election::trustee::…`, `use super::registrar;`), and the
    // prover's module (`shuffle::prove::…`; `::prove` alone is every other proof's prover).
    for module in ["trustee", "registrar", "citizen_ca"] {
        if has_path_segment(code, module, true, true) {
            return Some(module);
        }
    }
    if has_path_segment(code, "prove", true, false) {
        return Some("prove (the shuffle's prover module)");
    }
    // Their items, whatever path reaches them, and the prover's methods on public types.
    let items = ["TrusteeSecrets", "SyntheticCaIssuer", "CitizenKeys", "ShuffleWitness"];
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    for item in items {
        if code
            .match_indices(item)
            .any(|(i, _)| !code[..i].ends_with(ident) && !code[i + item.len()..].starts_with(ident))
        {
            return Some(item);
        }
    }
    ["ShuffleProof::prove", "CredentialShuffle::make"].into_iter().find(|m| code.contains(m))
}

#[test]
fn the_verifier_depends_only_on_pure_modules() {
    let files = pure_files(false);
    let forbidden =
        ["board::", "runner::", "rusqlite", "demo::", "simulate::", "keyfile::", "std::net", "tokio", "axum"];
    let mut violations = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for f in forbidden {
                if code.contains(f) {
                    violations.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(files.len() > 20, "found only {} files", files.len());
    assert!(violations.is_empty(), "the verifier's trusted base reaches impure code:\n{}", violations.join("\n"));
}

/// The trusted base (the files the README counts) never uses the role code (registrar,
/// trustee, the synthetic CA) or the shuffle's prover, so an observer can leave those files
/// unread. The modules' declarations in their parents are not uses.
#[test]
fn the_trusted_base_uses_no_role_or_prover_code() {
    let files = pure_files(true);
    let all = pure_files(false);
    for role in ROLE_FILES {
        assert!(all.iter().any(|f| f.file_name().is_some_and(|n| n == role)), "no file {role}");
    }
    assert!(files.len() + ROLE_FILES.len() == all.len(), "a role file's name is not unique");
    let mut violations = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, code) in code_lines(&text) {
            if let Some(what) = role_reference(code) {
                violations.push(format!("{}:{}: {what}: {}", file.display(), n + 1, code.trim()));
            }
        }
    }
    assert!(violations.is_empty(), "the trusted base uses role or prover code:\n{}", violations.join("\n"));
}

/// The README's count command leaves out exactly the role and prover files.
#[test]
fn the_readme_counts_the_trusted_base_this_test_checks() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let exclusions: String = ROLE_FILES.iter().map(|r| format!(" ! -name {r}")).collect();
    let command = format!("find src/crypto src/election src/log src/verify -name '*.rs'{exclusions}");
    assert!(
        readme.split_whitespace().collect::<Vec<_>>().join(" ").contains(&command),
        "README.md does not count the trusted base with: {command}"
    );
}

#[test]
fn the_reference_finder_sees_uses_and_not_look_alikes() {
    for used in [
        "use crate::election::trustee::TrusteeSecrets;",
        "use super::registrar;",
        "crate::election::citizen_ca::SyntheticCaIssuer::generate(rng)",
        "use crate::crypto::shuffle::prove::shuffle;",
        "use super::prove::{Shuffle, shuffle};",
        "let w: &ShuffleWitness = witness;",
        "let p = ShuffleProof::prove(&c, &b, &i, &n, &o, &w, rng)?;",
        "CredentialShuffle::make(setup, transport, base, input, rng)",
        "keys: CitizenKeys,",
    ] {
        assert!(role_reference(used).is_some(), "missed: {used}");
    }
    for fine in [
        "pub mod trustee;",
        "pub mod prove;",
        "let t = transcript::trustee_event_signature(setup, self.trustee, \"shuffle\", &d, &k);",
        "SchnorrProof::prove(t, secret, rng)",
        "Role::Trustee(s.shuffler)",
        "self.registration.shuffle(&setup, &params, &keys, shuffle, full)?;",
        "let trustee_keys = registrar_key;",
    ] {
        assert_eq!(role_reference(fine), None, "{fine}");
    }
    let text =
        "use a::b;\n#[cfg(test)]\nmod tests {\n    use crate::election::trustee::TrusteeSecrets;\n}\nfn f() {}\n";
    let lines: Vec<usize> = code_lines(text).into_iter().map(|(n, _)| n).collect();
    assert_eq!(lines, vec![0, 5]);
}

/// What only the board, its server and client, and the command lines need: the pure library
/// (`default-features = false`) must not depend on any of them, directly or not.
const IMPURE_CRATES: [&str; 10] =
    ["tokio", "axum", "rusqlite", "ureq", "clap", "hyper", "indicatif", "rustix", "tokio-rustls", "rand_chacha"];

/// The crates the library's normal dependencies reach with `features` (cargo's arguments),
/// from `cargo tree` on the lock file (no network, no build).
fn library_dependencies(features: &[&str]) -> Vec<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let output = std::process::Command::new(cargo)
        .args(["tree", "--offline", "--locked", "-e", "normal", "--prefix", "none", "--manifest-path"])
        .arg(&manifest)
        .args(features)
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cargo tree: {}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    text.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect()
}

/// `default-features = false` builds the pure library (crypto, election, log, verify) alone;
/// the default features bring the board and the command lines (which this test finds, so that
/// it would see them if the pure build reached them).
#[test]
fn the_pure_library_needs_no_board_network_or_command_line_crates() {
    let pure = library_dependencies(&["--no-default-features"]);
    let full = library_dependencies(&[]);
    for needed in ["curve25519-dalek", "merlin", "rand", "sha2", "serde_json"] {
        assert!(pure.iter().any(|c| c == needed), "the pure library lost {needed}: {pure:?}");
    }
    let reached: Vec<&str> = IMPURE_CRATES.into_iter().filter(|c| pure.iter().any(|p| p == c)).collect();
    assert!(reached.is_empty(), "the pure library depends on {reached:?}");
    let missing: Vec<&str> = IMPURE_CRATES.into_iter().filter(|c| !full.iter().any(|p| p == c)).collect();
    assert!(missing.is_empty(), "the default features no longer bring {missing:?}");
}

/// Every module that needs the board (storage, server, client, runner) is compiled only with
/// the `board` feature, and the command lines only with `cli`: the manifest and the crate root
/// say so.
#[test]
fn the_board_modules_and_the_binaries_are_behind_features() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    for module in ["board", "demo", "keyfile", "runner", "simulate", "watch"] {
        assert!(
            lib.contains(&format!("#[cfg(feature = \"board\")]\npub mod {module};\n")),
            "src/lib.rs: `pub mod {module};` is not behind the board feature"
        );
    }
    assert!(lib.contains("pub use rand;"), "src/lib.rs does not re-export rand");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for bin in ["dauys", "dauys-verify"] {
        let at = manifest.find(&format!("[[bin]]\nname = \"{bin}\"\n")).unwrap_or_else(|| panic!("no [[bin]] {bin}"));
        let entry = manifest[at..].split("\n\n").next().unwrap();
        assert!(entry.contains("required-features = [\"cli\"]"), "binary {bin} does not require the cli feature");
    }
}

/// The real build of the pure library (minutes, so run by hand:
/// `cargo test --test layering -- --ignored`): `cargo build --lib --no-default-features`.
#[test]
#[ignore]
fn the_pure_library_builds_without_default_features() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = std::process::Command::new(cargo)
        .current_dir(root)
        .args(["build", "--offline", "--locked", "--lib", "--no-default-features", "--target-dir"])
        .arg(root.join("target/pure"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build --lib --no-default-features failed");
}
