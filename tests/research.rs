//! What researchers run: `dauys simulate` reproducible from a seed, with re-votes, challenges
//! and abstentions; the result printed again by `dauys result`, and written as JSON and CSV
//! keyed by contest and option ids.

use std::path::{Path, PathBuf};
use std::process::Command;

use rand::RngExt;
use serde_json::Value;

mod serving;

fn run(bin: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(bin).args(args).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

fn ok(args: &[&str]) -> String {
    let (success, text) = run(env!("CARGO_BIN_EXE_dauys"), args);
    assert!(success, "dauys {args:?} failed:\n{text}");
    text
}

fn temp_dir() -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("dauys-research-{}-{}", std::process::id(), rand::rng().random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A referendum, whose shares are of the votes, and an approval contest (up to two marks a
/// ballot), whose shares are of the ballots.
const MANIFEST: &str = r#"{"version":1,"election_id":"research","title":{"en":"R","kk":"R","ru":"R"},
  "trustees":{"count":3,"threshold":2},"revote":"last_counts",
  "contests":[{"id":"ref","kind":"referendum","title":{"en":"Question","kk":"Сұрақ","ru":"Вопрос"},
    "options":[{"id":"yes","label":{"en":"Yes","kk":"Иә","ru":"Да"}},{"id":"no","label":{"en":"No, \"never\"","kk":"Жоқ","ru":"Нет"}}]},
   {"id":"council","kind":"approval","min":0,"max":2,"winners":2,"title":{"en":"Council, 2 seats","kk":"Кеңес","ru":"Совет"},
    "options":[{"id":"ann","label":{"en":"Ann","kk":"Ann","ru":"Анна"}},{"id":"bob","label":{"en":"Bob","kk":"Bob","ru":"Боб"}},
      {"id":"cem","label":{"en":"Cem","kk":"Cem","ru":"Джем"}}]}]}"#;

/// 12 ballots: the referendum 7 to 5; the council's marks 3, 2, 0 (25 %, 16.67 %, 0 % of the
/// ballots; of the 5 marks they would be 60 % and 40 %).
const VOTES: &str = r#"{"ref":{"yes":7,"no":5},"council":{"ann":3,"bob":2}}"#;

/// `dauys simulate` of [`VOTES`] in `root/name` with `extra` options; its output.
fn simulate(root: &Path, name: &str, extra: &[&str]) -> String {
    let manifest = root.join("manifest.json");
    let votes = root.join("votes.json");
    std::fs::write(&manifest, MANIFEST).unwrap();
    std::fs::write(&votes, VOTES).unwrap();
    let dir = root.join(name);
    let mut args = vec!["simulate", "--manifest", s(&manifest), "--votes", s(&votes), "--dir", s(&dir)];
    args.extend_from_slice(extra);
    ok(&args)
}

fn events(root: &Path, name: &str) -> String {
    std::fs::read_to_string(root.join(name).join("record/events.jsonl")).unwrap()
}

/// How many events of `kind` a record's events.jsonl holds.
fn count_kind(events: &str, kind: &str) -> usize {
    events.lines().filter(|l| serde_json::from_str::<Value>(l).unwrap()["kind"] == kind).count()
}

/// The number just before `word` in `text` (e.g. "3 voters re-voted").
fn number_before(text: &str, word: &str) -> usize {
    let at = text.find(word).unwrap_or_else(|| panic!("no {word:?} in:\n{text}"));
    text[..at].split_whitespace().last().unwrap().parse().unwrap()
}

/// The same seed gives the same record, byte for byte: keys, credentials, ballots, lots, and
/// who re-votes, challenges and abstains; another seed another record. The rates act (the
/// events show the re-votes, challenges and registered abstainers) and the record verifies.
#[test]
fn a_seeded_simulation_is_reproducible_with_revotes_challenges_and_abstentions() {
    let root = temp_dir();
    let seeded = |seed: &'static str| {
        ["--seed", seed, "--revote-rate", "0.5", "--challenge-rate", "0.5", "--abstention-rate", "0.25"]
    };
    let first = simulate(&root, "a", &seeded("7"));
    simulate(&root, "b", &seeded("7"));
    simulate(&root, "c", &seeded("8"));
    let (a, b, c) = (events(&root, "a"), events(&root, "b"), events(&root, "c"));
    assert!(a == b, "the same seed gave two different records");
    assert_ne!(a, c, "two seeds gave the same record");
    for file in ["checkpoints.jsonl", "record.json"] {
        let read = |n: &str| std::fs::read(root.join(n).join("record").join(file)).unwrap();
        assert_eq!(read("a"), read("b"), "{file} differs under the same seed");
    }

    let (revoted, challenged) = (number_before(&first, "voters re-voted"), number_before(&first, "challenged a"));
    assert!(revoted > 0 && challenged > 0, "{first}");
    assert_eq!(count_kind(&a, "cast"), 12 + revoted, "{first}");
    assert_eq!(count_kind(&a, "spoiled"), challenged, "{first}");
    // 12 voters are 75 % of 16 registered citizens.
    assert_eq!(count_kind(&a, "registration"), 16);
    assert!(first.contains("4 of 16 registered citizens abstained (turnout 75.00 %)"), "{first}");
    assert!(first.contains("equal the votes file"), "{first}");

    let (valid, report) = run(env!("CARGO_BIN_EXE_dauys-verify"), &[s(&root.join("a/record"))]);
    assert!(valid, "the seeded record does not verify:\n{report}");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn rates_outside_their_range_are_refused_with_the_option_named() {
    let root = temp_dir();
    let manifest = root.join("manifest.json");
    let votes = root.join("votes.json");
    std::fs::write(&manifest, MANIFEST).unwrap();
    std::fs::write(&votes, VOTES).unwrap();
    let refused = MANIFEST.replace("last_counts", "refused");
    let strict = root.join("strict.json");
    std::fs::write(&strict, refused).unwrap();
    for (m, option, value, expected) in [
        (&manifest, "--revote-rate", "1.5", "--revote-rate 1.5"),
        (&manifest, "--challenge-rate", "-0.1", "--challenge-rate -0.1"),
        (&manifest, "--abstention-rate", "1", "--abstention-rate 1"),
        (&manifest, "--revote-rate", "NaN", "--revote-rate NaN"),
        (&strict, "--revote-rate", "0.1", "refuses a second ballot"),
    ] {
        let dir = root.join("e");
        let rate = format!("{option}={value}");
        let args = ["simulate", "--manifest", s(m), "--votes", s(&votes), "--dir", s(&dir), &rate];
        let (done, text) = run(env!("CARGO_BIN_EXE_dauys"), &args);
        assert!(!done && text.contains(expected), "{args:?}: {text}");
        assert!(!dir.exists(), "{args:?} left a board behind");
    }
    std::fs::remove_dir_all(&root).unwrap();
}

/// A minimal RFC 4180 reader: rows of fields, quoted fields unquoted.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted, mut chars) = (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => assert_eq!(chars.next(), Some('\n'), "a CR without LF"),
            (false, '\n') => panic!("a line ends without CR"),
            (false, c) => field.push(c),
        }
        if !quoted && c == '\r' {
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        }
    }
    assert!(row.is_empty() && field.is_empty(), "the last line has no line end");
    rows
}

/// The result's JSON: keyed by contest and option ids, with labels in every language, counts,
/// percentages (approval: of the ballots) and the outcome.
fn check_json(json: &Value) {
    assert_eq!(json["election_id"], "research");
    assert_eq!(json["ballots"], 12);
    let r = &json["contests"]["ref"];
    assert_eq!(
        (r["position"].as_u64(), r["kind"].as_str(), r["votes"].as_u64()),
        (Some(0), Some("referendum"), Some(12))
    );
    assert_eq!(r["title"]["ru"], "Вопрос");
    assert_eq!(r["outcome"], serde_json::json!({"decision": "referendum", "adopted": true}));
    let yes = &r["options"]["yes"];
    assert_eq!((yes["position"].as_u64(), yes["count"].as_u64()), (Some(0), Some(7)));
    assert_eq!(yes["label"], serde_json::json!({"en": "Yes", "kk": "Иә", "ru": "Да"}));
    assert!((yes["percent"].as_f64().unwrap() - 700.0 / 12.0).abs() < 1e-9, "{yes}");
    assert!(yes.get("seats").is_none(), "seats outside a party list: {yes}");
    let council = &json["contests"]["council"];
    assert_eq!((council["kind"].as_str(), council["votes"].as_u64()), (Some("approval"), Some(5)));
    for (id, count, percent) in [("ann", 3, 25.0), ("bob", 2, 100.0 / 6.0), ("cem", 0, 0.0)] {
        let o = &council["options"][id];
        assert_eq!(o["count"].as_u64(), Some(count), "{id}: {o}");
        assert!((o["percent"].as_f64().unwrap() - percent).abs() < 1e-9, "{id}: {o} (of the ballots)");
    }
    assert_eq!(council["outcome"]["winners"], serde_json::json!(["ann", "bob"]));
}

/// The CSV in Russian: header, one row per option in manifest order, a quoted title with a
/// comma, the counts and percentages the JSON has.
fn check_csv(text: &str, lang: &str) {
    let rows = parse_csv(text);
    let header = ["contest", "kind", "title", "option", "label", "count", "percent", "seats", "district", "ballots"];
    assert_eq!(rows[0], header);
    let body: Vec<Vec<&str>> = rows[1..].iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let (no, title) = if lang == "ru" { ("Нет", "Совет") } else { ("No, \"never\"", "Council, 2 seats") };
    // No districts: the district column is empty; every contest is on all 12 ballots.
    let expected = [
        [
            "ref",
            "referendum",
            if lang == "ru" { "Вопрос" } else { "Question" },
            "yes",
            if lang == "ru" { "Да" } else { "Yes" },
            "7",
            "58.3333",
            "",
            "",
            "12",
        ],
        ["ref", "referendum", if lang == "ru" { "Вопрос" } else { "Question" }, "no", no, "5", "41.6667", "", "", "12"],
        ["council", "approval", title, "ann", if lang == "ru" { "Анна" } else { "Ann" }, "3", "25.0000", "", "", "12"],
        ["council", "approval", title, "bob", if lang == "ru" { "Боб" } else { "Bob" }, "2", "16.6667", "", "", "12"],
        ["council", "approval", title, "cem", if lang == "ru" { "Джем" } else { "Cem" }, "0", "0.0000", "", "", "12"],
    ];
    assert_eq!(body, expected.iter().map(|r| r.to_vec()).collect::<Vec<_>>());
}

/// `simulate --json/--csv` writes the result; `dauys result` on the finished election prints
/// it again (in Russian, from the directory beside nothing, then from a running board without
/// the operator's key) instead of refusing, posts nothing, and writes the same JSON.
#[test]
fn the_result_is_printed_again_and_written_as_json_and_csv() {
    let root = temp_dir();
    let (json, csv) = (root.join("sim.json"), root.join("sim.csv"));
    let out = simulate(&root, "e", &["--seed", "1", "--json", s(&json), "--csv", s(&csv)]);
    // The table's approval shares are of the ballots: Ann 3 of 12.
    assert!(out.lines().any(|l| l.contains("Ann") && l.contains("25.00 %")), "{out}");
    let simulated: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    check_json(&simulated);
    check_csv(&std::fs::read_to_string(&csv).unwrap(), "en");

    let dir = root.join("e");
    let before = events(&root, "e");
    let (again_json, again_csv) = (root.join("again.json"), root.join("again.csv"));
    let again = ok(&["result", "--dir", s(&dir), "--lang", "ru", "--json", s(&again_json), "--csv", s(&again_csv)]);
    assert!(again.contains("учтено бюллетеней: 12") && again.contains("Анна"), "{again}");
    assert!(again.lines().any(|l| l.contains("Анна") && l.contains("25,00 %")), "{again}");
    let reread: Value = serde_json::from_str(&std::fs::read_to_string(&again_json).unwrap()).unwrap();
    assert_eq!(reread, simulated, "the result printed again is not the one posted");
    check_csv(&std::fs::read_to_string(&again_csv).unwrap(), "ru");
    ok(&["export", "--dir", s(&dir), "--out", s(&root.join("after"))]);
    assert!(std::fs::read_to_string(root.join("after/events.jsonl")).unwrap() == before, "printing posted an event");

    let server = serving::Server::start(&dir);
    let remote_json = root.join("remote.json");
    let remote = ok(&["result", "--board", &server.url, "--lang", "kk", "--json", s(&remote_json)]);
    server.stop();
    assert!(remote.contains("есептелген бюллетеньдер: 12"), "{remote}");
    let remote: Value = serde_json::from_str(&std::fs::read_to_string(&remote_json).unwrap()).unwrap();
    assert_eq!(remote, simulated, "the board's result printed again is not the one posted");
    std::fs::remove_dir_all(&root).unwrap();
}
