//! The observer's trusted code stays small: the verifier and the pure layers beneath it never
//! reach the board's storage, the database, or the tools that run elections.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_verifier_depends_only_on_pure_modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("bin/dauys-verify.rs")];
    for pure in ["crypto", "election", "log", "verify"] {
        sources(&root.join(pure), &mut files);
    }
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
