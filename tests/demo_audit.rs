//! The demo's secrecy audit (issue 13): after a demo run, no file of its directory — the
//! board's database, the exported record, anything else — holds a voter's IIN, so none links
//! an IIN to a registered or a final (shuffled) credential; and the report shows registration
//! and at least the minimum number of shuffles.

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Every (file, IIN) where the file's bytes contain the IIN.
fn iins_in_files(dir: &Path, iins: &[String]) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for file in files(dir) {
        let bytes = std::fs::read(&file).unwrap();
        for iin in iins {
            if bytes.windows(iin.len()).any(|w| w == iin.as_bytes()) {
                found.push((file.clone(), iin.clone()));
            }
        }
    }
    found
}

/// The credentials (hex) of the record's registrations and of its last shuffle's output of
/// each ballot style's list (the demo has two styles), the lists laid end to end; and the
/// final lists' lengths.
fn record_credentials(record: &Path) -> (Vec<String>, Vec<String>, Vec<usize>) {
    let events = std::fs::read_to_string(record.join(dauys::log::record::EVENTS_FILE)).unwrap();
    let mut registered = Vec::new();
    let mut last_output = std::collections::BTreeMap::new();
    for line in events.lines() {
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        match event["kind"].as_str() {
            Some("registration") => registered.push(event["payload"]["credential"].as_str().unwrap().to_string()),
            Some("shuffle") => {
                let output: Vec<String> = event["payload"]["output"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect();
                // `list` is omitted for the first style's (index 0).
                last_output.insert(event["payload"]["list"].as_u64().unwrap_or(0), output);
            }
            _ => {}
        }
    }
    let lengths = last_output.values().map(Vec::len).collect();
    (registered, last_output.into_values().flatten().collect(), lengths)
}

#[test]
fn no_file_of_the_demo_links_an_iin_to_a_credential() {
    let dir = dauys::demo::default_dir().with_extension("audit");
    let mut out = Vec::new();
    let run = dauys::demo::run_audited(&dir, 20, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(run.iins.len(), 20);
    assert!(run.iins.iter().all(|i| i.len() == 12 && i.bytes().all(|b| b.is_ascii_digit())), "{:?}", run.iins);

    // The report: registration, three shuffles (the 3-of-5 minimum), the claim, the result.
    assert!(text.contains("20 signed registrations checked and posted"), "{text}");
    let shuffles: Vec<&str> = text.lines().filter(|l| l.contains("shuffle by trustee")).collect();
    assert_eq!(shuffles.len(), 3, "{text}");
    assert!(shuffles.iter().all(|l| l.contains("20 credentials")), "{text}");
    assert!(
        text.contains(
            "no one, the registrar included, can link a voter to a credential unless every shuffler colludes"
        ),
        "{text}"
    );
    assert!(text.contains("equal the plaintext choices"), "{text}");

    // The record holds the registered and the final credentials, distinct lists of 20 (the
    // final ones in two lists of 10, one per district's ballot style).
    let (registered, last, lists) = record_credentials(&run.record);
    assert_eq!((registered.len(), last.len(), lists), (20, 20, vec![10, 10]));
    assert!(registered.iter().all(|c| !last.contains(c)), "a credential survived the shuffles unchanged");

    // No file anywhere under the demo's directory holds an IIN (the old credential sheet did).
    assert!(files(&dir).iter().any(|f| f.ends_with("election.db")), "the board's database is audited");
    assert_eq!(iins_in_files(&dir, &run.iins), vec![]);

    // The audit finds a sheet that links an IIN to a final credential, were one written.
    let sheet = dir.join("registrar/credential-sheet.csv");
    std::fs::create_dir_all(sheet.parent().unwrap()).unwrap();
    std::fs::write(&sheet, format!("iin,credential\n{},{}\n", run.iins[7], last[0])).unwrap();
    assert_eq!(iins_in_files(&dir, &run.iins), vec![(sheet, run.iins[7].clone())]);
    std::fs::remove_dir_all(&dir).unwrap();
}
