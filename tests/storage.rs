//! The board's storage: one writer per directory, only the setup's board key, readers that
//! need neither the lock nor the key, and the derived state stored beside the log equal to
//! what a replay of the whole log gives (and `board check` catching every way it is not).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dauys::board::check::check;
use dauys::board::store::{Board, DB_FILE, KEY_FILE};
use dauys::crypto::elgamal::KeyPair;
use dauys::election::ballot::Ballot;
use dauys::election::credential::{Credential, CredentialList};
use dauys::election::manifest::Manifest;
use dauys::log::event::Event;
use dauys::runner::{LocalElection, NATIONAL_MANIFEST};
use rand::RngExt;

fn temp_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("dauys-storage-{name}-{}-{}", std::process::id(), rand::rng().random::<u32>()))
}

fn marks(i: usize) -> Vec<Vec<u64>> {
    let hot = |n: usize, k: usize| (0..n).map(|j| u64::from(j == k % n)).collect();
    vec![hot(2, i), hot(5, i), hot(9, i)]
}

/// An open election of `n` voters on the demo manifest.
fn open_election(dir: &Path, n: usize) -> (LocalElection, Vec<KeyPair>) {
    let mut rng = rand::rng();
    let manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
    let mut election = LocalElection::setup(dir, manifest.clone(), &mut rng).unwrap();
    let voters: Vec<KeyPair> = (0..n).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect();
    election.open(CredentialList::new(voters.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
    (election, voters)
}

fn dauys(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dauys")).args(args).output().unwrap()
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

/// `dauys board serve` as a child process; its URL from its first line of output.
/// A server child process, killed when dropped: a failing test leaves no server behind (one
/// would hold the test harness's output open).
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_server(dir: &Path) -> (Server, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dauys"))
        .args(["board", "serve", "--dir", dir.to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    let child = Server(child);
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    (child, url)
}

#[test]
fn one_writer_at_a_time_and_readers_need_neither_lock_nor_key() {
    let dir = temp_dir("writer");
    let d = dir.to_str().unwrap();
    let mut rng = rand::rng();
    let (mut election, voters) = open_election(&dir, 3);
    let params = election.params().clone();
    let ballot = Ballot::encrypt(&params, &voters[0], &marks(0), &mut rng).unwrap().0;
    election.board.append(Event::Cast(Box::new(ballot)), &mut rng).unwrap();
    let events = election.board.len();

    // This process is the writer: a second one is refused, named; readers go on.
    let refused = dauys(&["board", "close", "--dir", d]);
    assert!(!refused.status.success());
    let pid = std::process::id();
    assert!(text(&refused).contains(&format!("has another writer (process {pid})")), "{}", text(&refused));
    let status = dauys(&["board", "status", "--dir", d]);
    assert!(status.status.success() && text(&status).contains("1 cast, 1 counted"), "{}", text(&status));
    drop(election);

    // A server is the writer: a staff step is refused with the server's address.
    let (server, url) = spawn_server(&dir);
    let refused = dauys(&["board", "close", "--dir", d]);
    assert!(text(&refused).contains(&format!("serving on {url}")), "{}", text(&refused));
    assert!(Board::open(&dir).is_err(), "a library writer is refused too");
    let export = dauys(&["export", "--dir", d, "--out", dir.join("while-serving").to_str().unwrap()]);
    assert!(export.status.success(), "{}", text(&export));
    assert!(text(&export).contains(&format!("record of {events} events")), "{}", text(&export));
    drop(server);

    // The writer is gone (killed: the system released its lock): the step goes through.
    let closed = dauys(&["board", "close", "--dir", d]);
    assert!(closed.status.success(), "{}", text(&closed));

    // Readers never open the key: without it status, export and check work, a writer does not.
    std::fs::rename(dir.join(KEY_FILE), dir.join("elsewhere.key")).unwrap();
    let status = dauys(&["board", "status", "--dir", d]);
    assert!(status.status.success() && text(&status).contains("Closed"), "{}", text(&status));
    assert!(dauys(&["board", "check", "--dir", d]).status.success());
    assert!(dauys(&["export", "--dir", d]).status.success());
    let err = Board::open(&dir).err().expect("no key, no writer").to_string();
    assert!(err.contains(KEY_FILE), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_board_key_that_is_not_the_setups_is_refused() {
    let dir = temp_dir("key");
    let d = dir.to_str().unwrap();
    let (election, _) = open_election(&dir, 2);
    drop(election);
    let key = dir.join(KEY_FILE);
    let right = std::fs::read_to_string(&key).unwrap();
    let other = dauys::crypto::group::SecretScalar::random(&mut rand::rng());
    std::fs::write(&key, dauys::crypto::group::to_hex(other.expose().as_bytes())).unwrap();
    let err = Board::open(&dir).err().expect("a wrong key").to_string();
    assert!(err.contains("not this board's key") && err.contains(&other.public().to_hex()), "{err}");
    // The server does not start with it either, and never says it serves.
    let serve = dauys(&["board", "serve", "--dir", d, "--listen", "127.0.0.1:0"]);
    assert!(!serve.status.success());
    assert!(text(&serve).contains("not this board's key") && !text(&serve).contains("serving on"), "{}", text(&serve));
    std::fs::write(&key, right).unwrap();
    assert!(Board::open(&dir).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Copies the board's database into a fresh directory (with the key), for tampering.
fn copy_board(dir: &Path, name: &str) -> PathBuf {
    let copy = dir.join(name);
    std::fs::create_dir_all(&copy).unwrap();
    for file in [DB_FILE.to_string(), format!("{DB_FILE}-wal"), KEY_FILE.to_string()] {
        if dir.join(&file).exists() {
            std::fs::copy(dir.join(&file), copy.join(&file)).unwrap();
        }
    }
    copy
}

fn tamper(dir: &Path, sql: &str) {
    rusqlite::Connection::open(dir.join(DB_FILE)).unwrap().execute_batch(sql).unwrap();
}

#[test]
fn the_stored_state_is_what_a_replay_of_the_log_gives() {
    let dir = temp_dir("state");
    let mut rng = rand::rng();
    let (mut election, voters) = open_election(&dir, 6);
    let params = election.params().clone();
    let cast = |i: usize, rng: &mut rand::rngs::ThreadRng| {
        Event::Cast(Box::new(Ballot::encrypt(&params, &voters[i], &marks(i), rng).unwrap().0))
    };
    // Six voters; two re-vote; one challenges a ballot first.
    let (challenged, secrets) = Ballot::encrypt(&params, &voters[5], &marks(1), &mut rng).unwrap();
    let spoiled = challenged.challenge(secrets);
    let first: Vec<Event> = (0..6).map(|i| cast(i, &mut rng)).collect();
    let replayed_ballot = first[2].clone();
    dauys::runner::post_all(&mut election.board, first, &mut rng).unwrap();
    // Held by the board, on disk, until close (not a log entry yet).
    election.board.challenge(&spoiled).unwrap();
    dauys::runner::post_all(&mut election.board, vec![cast(0, &mut rng), cast(3, &mut rng)], &mut rng).unwrap();
    let root = election.board.root(election.board.len()).unwrap();
    let report = check(&dir).unwrap();
    assert!(report.consistent(), "{:?}", report.differences);
    assert_eq!((report.cast, report.counted, report.spoiled, report.phase.as_str()), (8, 6, 0, "voting"));
    drop(election);

    // Reopened from what is stored (no ballot replayed), the board still knows every ballot:
    // a replay and a challenged ballot's ciphertexts are refused, a re-vote replaces.
    let mut board = Board::open(&dir).unwrap();
    assert_eq!((board.state().cast, board.state().counted(), board.held_challenged()), (8, 6, 1));
    assert_eq!(board.root(board.len()).unwrap(), root);
    let err = board.append(replayed_ballot, &mut rng).err().unwrap().to_string();
    assert!(err.contains("posted before"), "{err}");
    let err = board.append(Event::Cast(Box::new(challenged)), &mut rng).err().unwrap().to_string();
    assert!(err.contains("challenged"), "{err}");
    assert!(board.challenge(&spoiled).err().unwrap().to_string().contains("posted before"));
    board.append(cast(1, &mut rng), &mut rng).unwrap();
    assert_eq!((board.state().cast, board.state().counted()), (9, 6));
    dauys::runner::post_all(&mut board, vec![Event::Close], &mut rng).unwrap();
    assert_eq!((board.state().spoiled, board.held_challenged()), (1, 0), "published at close");
    let tally = board.compute_tally().unwrap();
    assert_eq!(tally.ballots, 6);
    dauys::runner::post_all(&mut board, vec![Event::Tally(tally)], &mut rng).unwrap();
    let size = board.len();
    drop(board);
    let report = check(&dir).unwrap();
    assert!(report.consistent(), "{:?}", report.differences);
    assert_eq!((report.events, report.phase.as_str()), (size, "decrypting"));

    // `board check` catches every kind of difference between the stored state and the log.
    let cases: [(&str, &str, &str); 7] = [
        ("missing-key", "DELETE FROM last_cast WHERE key = (SELECT MAX(key) FROM last_cast)", "last_cast"),
        (
            "moved-key",
            "UPDATE last_cast SET value = value + 1 WHERE key = (SELECT MIN(key) FROM last_cast)",
            "last_cast",
        ),
        ("extra-key", "INSERT INTO ballot_digests (key) VALUES (zeroblob(32))", "ballot_digests"),
        ("counter", "UPDATE counters SET value = value + 1 WHERE name = 'cast'", "state: cast"),
        ("node", "UPDATE nodes SET hash = zeroblob(32) WHERE level = 1 AND idx = 0", "tree node"),
        ("missing-node", "DELETE FROM nodes WHERE level = 0 AND idx = 3", "tree node: (0, 3) is missing"),
        (
            "checkpoint",
            "UPDATE checkpoints SET checkpoint = (SELECT checkpoint FROM checkpoints WHERE size = 1) \
             WHERE size = (SELECT MAX(size) FROM checkpoints)",
            "checkpoint: the row of size",
        ),
    ];
    for (name, sql, found) in cases {
        let copy = copy_board(&dir, name);
        tamper(&copy, sql);
        let report = check(&copy).unwrap();
        assert!(!report.consistent(), "{name}: not caught");
        assert!(report.differences.iter().any(|d| d.contains(found)), "{name}: {:?}", report.differences);
        let out = dauys(&["board", "check", "--dir", copy.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out));
    }
    // Opening reads no ballot (so its time does not grow with the log): a corrupted ballot
    // leaf does not stop it; `board check` finds it.
    let copy = copy_board(&dir, "leaf");
    let first_cast: i64 = rusqlite::Connection::open(copy.join("election.db"))
        .unwrap()
        .query_row("SELECT MIN(idx) FROM events WHERE kind = 'cast'", [], |r| r.get(0))
        .unwrap();
    tamper(
        &copy,
        &format!(
            "UPDATE events SET leaf = replace(leaf, '\"credential\":\"', '\"credential\":\"0') WHERE idx = {first_cast}"
        ),
    );
    assert!(Board::open(&copy).is_ok());
    let err = check(&copy).unwrap_err().to_string();
    assert!(err.contains(&format!("event {first_cast} is corrupt")), "{err}");

    // A board written before the derived state was stored: its writer rebuilds it once.
    let copy = copy_board(&dir, "old");
    tamper(
        &copy,
        "DELETE FROM nodes; DELETE FROM counters; DELETE FROM last_cast; DELETE FROM ballot_digests;
         DELETE FROM cast_ciphertexts; DELETE FROM spoiled_ciphertexts; DELETE FROM credential_lists;
         PRAGMA user_version = 0;",
    );
    assert!(check(&copy).unwrap_err().to_string().contains("open the board once with a writer"));
    let upgraded = Board::open(&copy).unwrap();
    assert_eq!(
        (upgraded.len(), upgraded.root(size).unwrap(), upgraded.state().counted()),
        (size, root_at(&dir, size), 6)
    );
    drop(upgraded);
    let report = check(&copy).unwrap();
    assert!(report.consistent(), "{:?}", report.differences);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn root_at(dir: &Path, size: u64) -> [u8; 32] {
    dauys::board::reader::LogReader::open(dir).unwrap().root(size).unwrap()
}
