//! The load generator: valid ballots against a board on this machine, cast with the
//! credentials of synthetic voters that a synthetic registration made (`--register`).

use std::path::Path;

use dauys::board::client::BoardClient;
use dauys::board::store::Board;
use dauys::election::ballot::Ballot;
use dauys::election::credential::Credential;
use dauys::runner::{LocalElection, RunError};
use serde_json::Value;

use super::voter::remote;
use super::{Outcome, decimal, fail, read, words};

/// The first line of the load test's credential file: what it is, and what it is not.
pub const CREDENTIALS_HEADER: &str =
    "# dauys load test: credential secrets of synthetic voters, one a line; no identities; delete after the test";

/// The synthetic registration of a load test, on the board directory `dir` (after the key
/// ceremony, before `board serve`): `voters` synthetic citizens register credentials this
/// process makes for them (the runner's registration: a synthetic CA, the roll's pseudonyms,
/// signed registrations, close), the trustees of `trustee_keys` shuffle the list in turn (at
/// least the minimum; each style's list where the manifest has several, its voters dealt round
/// the styles), and voting opens. The credential secrets go to `credentials` (created,
/// never replaced, 0600): the load test's artefact, as the voters' devices would hold them,
/// and no IIN beside them.
pub fn register(dir: &Path, voters: usize, trustee_keys: &[std::path::PathBuf], credentials: &Path) -> Outcome {
    if voters == 0 {
        return Err(fail(t!("loadtest-no-voters")));
    }
    if credentials.exists() {
        return Err(fail(t!("loadtest-credentials-exist", path = credentials.display().to_string())));
    }
    let mut rng = rand::rng();
    let mut trustees = trustee_keys.iter().map(|k| super::trustee::load_trustee(k)).collect::<Result<Vec<_>, _>>()?;
    trustees.sort_by_key(|t| t.index);
    let mut election = LocalElection { board: Board::open(dir)?, trustees };
    let secrets: Vec<Credential> = (0..voters).map(|_| Credential::generate(&mut rng)).collect();
    let id =
        election.board.state().setup.as_ref().ok_or_else(|| fail(t!("cli-no-setup")))?.manifest.election_id.clone();
    let mut file = zeroize::Zeroizing::new(format!("{CREDENTIALS_HEADER}\n"));
    for c in &secrets {
        file.push_str(c.as_str());
        file.push('\n');
    }
    dauys::keyfile::write_private(credentials, file.as_bytes())
        .map_err(|e| fail(format!("{}: {e}", credentials.display())))?;
    let ca = LocalElection::load_test_ca();
    let named = election.board.state().setup.as_ref().and_then(|s| s.manifest.citizen_ca);
    if named != Some(ca.public().key) {
        return Err(fail(t!("loadtest-wrong-ca", key = dauys::runner::LOAD_TEST_CA_KEY)));
    }
    // With several ballot styles, the voters are dealt round the styles.
    let styles = election.board.state().setup.as_ref().map_or(1, |s| s.manifest.styles().len());
    let (_, took) =
        election.register_styled(&ca, voters, |i| secrets[i].key_pair(&id).secret, |i| i % styles, &mut rng)?;
    println!("{}", t!("loadtest-registered", voters = voters, seconds = decimal(took.as_secs_f64(), 1)));
    for s in election.shuffle_credentials(trustee_keys.len(), &mut rng)? {
        println!(
            "{}",
            t!(
                "loadtest-shuffled",
                trustee = s.trustee,
                credentials = s.credentials,
                prove = decimal(s.prove.as_secs_f64(), 1),
                check = decimal(s.check.as_secs_f64(), 1)
            )
        );
    }
    election.open_registered(&mut rng)?;
    println!("{}", t!("loadtest-open", path = credentials.display().to_string()));
    Ok(())
}

/// The credential secrets of a load test's file (after its header line).
fn credentials_file(path: &Path) -> Result<Vec<String>, RunError> {
    let text = zeroize::Zeroizing::new(read(path)?);
    let mut lines = text.lines();
    if lines.next() != Some(CREDENTIALS_HEADER) {
        return Err(fail(t!("loadtest-not-credentials", path = path.display().to_string())));
    }
    Ok(lines.filter(|l| !l.is_empty()).map(str::to_string).collect())
}

/// Whether `url` points at this machine (the load generator refuses anything else).
pub fn is_loopback(url: &str) -> bool {
    let host = url.strip_prefix("http://").unwrap_or("").split('/').next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    host == "localhost" || host == "[::1]" || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// Readers of every GET endpoint, looping until `done`: requests answered, and their latencies.
/// They stand for observers on other machines, so on this one they run at a lower scheduling
/// priority (nice 19, per thread on Linux): their own CPU use does not count against the board.
fn read_everything(url: &str, done: &std::sync::atomic::AtomicBool) -> Vec<f64> {
    use rand::RngExt;
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(None, 19);
    let client = BoardClient::new(url);
    let mut rng = rand::rng();
    let mut latencies = Vec::new();
    let mut get = |path: String| {
        let t = std::time::Instant::now();
        let ok = matches!(client.request("GET", &path, None), Ok((200, _)));
        latencies.push(if ok { t.elapsed().as_secs_f64() } else { f64::NAN });
    };
    while !done.load(std::sync::atomic::Ordering::Relaxed) {
        let size = client.get("/checkpoint").ok().and_then(|c| c["size"].as_u64()).unwrap_or(1);
        let (a, b) = (rng.random_range(0..size), rng.random_range(1..=size));
        let start = a.saturating_sub(1000).min(size - 1);
        get("/health".into());
        get("/election".into());
        get("/checkpoint".into());
        get(format!("/entries?start={start}&end={}", (start + 1000).min(size)));
        get(format!("/proof/inclusion?index={a}&size={size}"));
        get(format!("/proof/consistency?from={b}&to={size}"));
        get("/record".into());
        get(format!("/record/record.json?size={size}"));
        get(format!("/record/checkpoints.jsonl?size={size}"));
        get(format!("/record/cosignatures.jsonl?size={size}"));
        get("/record/events.jsonl?size=1".into());
        get("/witness/cosignatures".into());
    }
    latencies
}

pub fn loadtest(url: &str, credentials: &Path, ballots: usize, concurrency: usize, readers: usize) -> Outcome {
    use rand::RngExt;
    use rayon::prelude::*;
    if !is_loopback(url) {
        return Err(fail(t!("loadtest-loopback-only", url = url)));
    }
    let params = remote(url, None)?.params()?;
    let path = credentials;
    let credentials = credentials_file(path)?;
    if credentials.len() < ballots {
        return Err(fail(t!(
            "loadtest-too-few-credentials",
            path = path.display().to_string(),
            credentials = credentials.len(),
            ballots = ballots
        )));
    }
    eprintln!("{}", t!("loadtest-encrypting", ballots = ballots));
    let prepared: Vec<Vec<u8>> = credentials[..ballots]
        .par_iter()
        .map(|c| {
            let mut rng = rand::rng();
            let credential = Credential::parse(c)?;
            let (style, key) = super::voter::style_key(&params, &credential)
                .ok_or_else(|| fail(t!("loadtest-credential-unregistered")))?;
            let marks: Vec<Vec<u64>> = params.manifest.styles()[style]
                .contests
                .iter()
                .map(|&contest| {
                    let contest = &params.manifest.contests[contest];
                    let (lo, hi) = contest.sum_bounds();
                    let mut m = vec![0u64; contest.options.len()];
                    let k = lo.max(1).min(hi) as usize;
                    while m.iter().sum::<u64>() < k as u64 {
                        m[rng.random_range(0..contest.options.len())] = 1;
                    }
                    m
                })
                .collect();
            let (ballot, _) = Ballot::encrypt_style(&params, style, &key, &marks, &mut rng)?;
            Ok(serde_json::to_vec(&ballot).expect("serializes"))
        })
        .collect::<Result<_, RunError>>()?;
    let client = BoardClient::new(url);
    let before: Value = client.get("/health").map_err(fail)?;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::atomic::AtomicBool::new(false);
    let start = std::time::Instant::now();
    let (results, reads): (Vec<(f64, u16)>, Vec<f64>) = std::thread::scope(|s| {
        let reading: Vec<_> = (0..readers).map(|_| s.spawn(|| read_everything(url, &done))).collect();
        let workers: Vec<_> = (0..concurrency)
            .map(|_| {
                let (prepared, next) = (&prepared, &next);
                s.spawn(move || {
                    let client = BoardClient::new(url);
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(body) = prepared.get(i) else { break };
                        let t = std::time::Instant::now();
                        let status = client
                            .request("POST", "/ballots", Some(("application/json", body.clone())))
                            .map_or(0, |(s, _)| s);
                        out.push((t.elapsed().as_secs_f64(), status));
                    }
                    out
                })
            })
            .collect();
        let results = workers.into_iter().flat_map(|w| w.join().expect("worker")).collect();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        (results, reading.into_iter().flat_map(|r| r.join().expect("reader")).collect())
    });
    let wall = start.elapsed().as_secs_f64();
    let after: Value = client.get("/health").map_err(fail)?;
    let accepted = results.iter().filter(|(_, s)| *s == 200).count();
    let mut latencies: Vec<f64> = results.iter().map(|(l, _)| *l).collect();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize] * 1e3;
    let delta = |k: &str| after["appends"][k].as_f64().unwrap_or(0.0) - before["appends"][k].as_f64().unwrap_or(0.0);
    let (verify, store) = (delta("verify_seconds"), delta("store_seconds"));
    println!(
        "{}",
        t!(
            "loadtest-accepted",
            accepted = accepted,
            ballots = ballots,
            seconds = decimal(wall, 2),
            rate = decimal(accepted as f64 / wall, 0),
            concurrency = concurrency
        )
    );
    println!(
        "{}",
        t!("loadtest-latency", p50 = decimal(pct(0.5), 1), p99 = decimal(pct(0.99), 1), max = decimal(pct(1.0), 1))
    );
    println!(
        "{}",
        t!(
            "loadtest-board-time",
            batches = delta("batches"),
            verify = decimal(verify, 2),
            store = decimal(store, 2),
            share = decimal(100.0 * verify / (verify + store).max(1e-9), 0)
        )
    );
    if readers > 0 {
        let mut answered: Vec<f64> = reads.iter().copied().filter(|l| !l.is_nan()).collect();
        answered.sort_by(f64::total_cmp);
        let p = |q: f64| answered.get(((answered.len() as f64 - 1.0) * q).round() as usize).map_or(0.0, |l| l * 1e3);
        println!(
            "{}",
            t!(
                "loadtest-readers",
                readers = readers,
                requests = reads.len(),
                rate = decimal(reads.len() as f64 / wall, 0),
                failed = reads.len() - answered.len(),
                p50 = decimal(p(0.5), 1),
                p99 = decimal(p(0.99), 1)
            )
        );
    }
    if accepted != ballots {
        return Err(fail(t!("loadtest-refused", count = ballots - accepted)));
    }
    Ok(())
}
