//! The board's operator and the tallier: create, open, close, serve; tally, result, export.

use std::path::{Path, PathBuf};

use std::time::Duration;

use dauys::board::reader::LogReader;

use clap::Subcommand;
use dauys::board::auth::Access;
use dauys::board::client::BoardClient;
use dauys::board::listen::Limits;
use dauys::board::staff::{next_step, open_voting};
use dauys::board::store::Board;
use dauys::election::manifest::{Lang, Manifest};
use dauys::election::registrar::IssuedList;
use dauys::election::report::result_table;
use dauys::election::tally::{ElectionResult, EncryptedTally};
use dauys::keyfile::write_private;
use dauys::log::event::{Event, Phase};
use dauys::runner::{RunError, post_all, result_of};

use super::remote::{self, BoardAt};
use super::{Outcome, aligned, fail, number, read, words};

#[derive(Subcommand)]
pub enum BoardCommand {
    /// Create the board for a manifest: its signing key (DIR/board.key, for the board alone),
    /// the setup event, the operator's key, and one enrollment code per trustee.
    Init {
        /// The election directory to create (it must not hold a board).
        #[arg(long)]
        dir: PathBuf,
        /// The manifest (JSON).
        #[arg(long)]
        manifest: PathBuf,
        /// Where to write the operator's key (created, mode 0600): it signs the operator's
        /// steps on the running board (open, close, tally, result).
        #[arg(long)]
        operator_key: PathBuf,
    },
    /// Open voting: the ceremony's outcome and, after a roll, the last shuffle's credential list
    /// (refused until registration closed and enough trustees shuffled). Refused unless every
    /// trustee is ready (has proved it holds its key share for the final key).
    Open {
        #[command(flatten)]
        at: BoardAt,
        /// With --board: the operator's key file (from `board init`).
        #[arg(long, requires = "board")]
        operator_key: Option<PathBuf>,
        /// Only for an election without registration (no roll on the board; tests): a public
        /// credential list (JSON). After a roll the list is the last shuffle's, and this is refused.
        #[arg(long)]
        credentials: Option<PathBuf>,
        /// Open with at least t trustees ready instead of all n (recorded in the open event;
        /// the trustees who are not ready are named).
        #[arg(long)]
        quorum: bool,
    },
    /// Close voting (a board already closed is not an error).
    Close {
        #[command(flatten)]
        at: BoardAt,
        /// With --board: the operator's key file (from `board init`).
        #[arg(long, requires = "board")]
        operator_key: Option<PathBuf>,
    },
    /// Where the election stands, and the next step (reads the board; needs neither its key
    /// nor its lock).
    Status {
        #[command(flatten)]
        at: BoardAt,
    },
    /// Replay the whole log and compare it with the state the board stored beside it
    /// (read-only; a running server may go on). Exit 1 on any difference.
    Check {
        /// The election directory.
        #[arg(long)]
        dir: PathBuf,
    },
    /// Serve the board over HTTP, or HTTPS with --tls-cert and --tls-key (voters post ballots,
    /// staff take their steps, observers read the log and the record). SIGINT or SIGTERM stop
    /// it gracefully.
    Serve {
        /// The election directory.
        #[arg(long)]
        dir: PathBuf,
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// The server's certificate chain (PEM): serve HTTPS.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Connections served at once (also kept below the open-file limit); past it the
        /// oldest idle connection is closed to make room.
        #[arg(long, default_value_t = 4096, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        max_connections: u64,
        /// Seconds a connection may take to send a request's head (and may stay idle).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
        header_timeout: u64,
        /// Seconds a request's body may take to arrive.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
        body_timeout: u64,
        /// Host the registrar's desk (`POST /register/pseudonym`, `POST /register`) with this
        /// registrar key file (made by `dauys registrar roll`; read once it exists, so the
        /// board may start before the roll). The desk, like the registrar, learns which IIN
        /// registered which credential X; it keeps nothing.
        #[arg(long)]
        registrar_key: Option<PathBuf>,
    },
}

/// Raises the soft limit on open files to the hard limit; returns the limit in force.
#[cfg(unix)]
fn raise_open_files() -> u64 {
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    unsafe {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
        #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every platform
        {
            limit.rlim_cur as u64
        }
    }
}

#[cfg(not(unix))]
fn raise_open_files() -> u64 {
    u64::MAX
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is called (within the
/// runtime), so a signal that comes before the future is first polled is not lost.
fn stop_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async move {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// The warning printed when voting opens with a quorum of ready trustees.
fn not_ready_warning<T: std::fmt::Debug>(missing: &[T]) -> String {
    t!("board-quorum-warning", missing = format!("{missing:?}"))
}

pub fn board_cmd(cmd: BoardCommand) -> Outcome {
    let mut rng = rand::rng();
    match cmd {
        BoardCommand::Init { dir, manifest, operator_key } => {
            let manifest = Manifest::from_json(&read(&manifest)?)?;
            manifest.check_identities().map_err(|e| fail(t!("board-identities-hint", error = e.to_string())))?;
            if operator_key.exists() {
                return Err(fail(t!("board-operator-key-exists", path = operator_key.display().to_string())));
            }
            let trustees = manifest.trustees.count;
            let board = Board::create(&dir, manifest, &mut rng)?;
            let (access, staff) = Access::generate(&board.setup_fingerprint(), trustees, &mut rng);
            access.write(&dir).map_err(fail)?;
            write_private(&operator_key, dauys::crypto::group::to_hex(staff.operator.expose().as_bytes()).as_bytes())
                .map_err(|e| fail(format!("{}: {e}", operator_key.display())))?;
            println!("{}", t!("board-created", path = dir.display().to_string()));
            aligned(
                &[
                    (t!("board-key"), board.board_key().to_hex()),
                    (t!("board-setup-fingerprint"), dauys::crypto::group::to_hex(board.setup_fingerprint().as_bytes())),
                    (
                        t!("board-operator-key-file"),
                        t!("board-keep-private", path = operator_key.display().to_string()),
                    ),
                ],
                2,
            );
            println!("{}", t!("board-enrollment-codes"));
            for (i, code) in (1..).zip(&staff.codes) {
                println!("{}", t!("board-enrollment-code", index = i, code = code.as_str()));
            }
        }
        BoardCommand::Open { at, operator_key, credentials, quorum } => {
            let list = match &credentials {
                Some(path) => {
                    Some(IssuedList::from_json(&read(path)?).map_err(|e| fail(format!("{}: {e}", path.display())))?)
                }
                None => None,
            };
            if at.board.is_some() {
                let step = if quorum { "open?quorum=true" } else { "open" };
                let body =
                    list.as_ref().map_or(serde_json::json!({}), |l| serde_json::to_value(l).expect("serializes"));
                let v = remote::operator(&at, operator_key.as_deref(), step, &body)?;
                let missing: Vec<u64> =
                    v["not_ready"].as_array().map_or(vec![], |m| m.iter().filter_map(|j| j.as_u64()).collect());
                if !missing.is_empty() {
                    eprintln!("{}", not_ready_warning(&missing));
                }
                println!(
                    "{}",
                    t!(
                        "board-voting-open",
                        credentials = number(&v["opened"]["credentials"]),
                        dealers = v["qualified"].to_string()
                    )
                );
                aligned(
                    &[
                        (t!("board-joint-key"), v["opened"]["joint_key"].as_str().unwrap_or("").to_string()),
                        (
                            t!("board-election-fingerprint"),
                            v["opened"]["fingerprint"].as_str().unwrap_or("").to_string(),
                        ),
                    ],
                    2,
                );
                return Ok(());
            }
            let mut board = Board::open(at.dir()?)?;
            let manifest = &board.state().setup.as_ref().ok_or_else(|| fail(t!("cli-no-setup")))?.manifest;
            if let (Some(list), Some(path)) = (&list, &credentials) {
                list.check_for(manifest).map_err(|e| fail(format!("{}: {e}", path.display())))?;
            }
            let (open, missing, qualified) = open_voting(&board, list, quorum).map_err(fail)?;
            if !missing.is_empty() {
                eprintln!("{}", not_ready_warning(&missing));
            }
            post_all(&mut board, vec![Event::Open(Box::new(open))], &mut rng)?;
            let params = board.state().params.as_ref().expect("opened");
            println!(
                "{}",
                t!("board-voting-open", credentials = params.credential_count(), dealers = format!("{qualified:?}"))
            );
            aligned(
                &[
                    (t!("board-joint-key"), params.key.element().to_hex()),
                    (t!("board-election-fingerprint"), dauys::crypto::group::to_hex(params.fingerprint.as_bytes())),
                ],
                2,
            );
        }
        BoardCommand::Close { at, operator_key } => {
            if at.board.is_some() {
                let v = remote::operator(&at, operator_key.as_deref(), "close", &serde_json::json!({}))?;
                let id = if v["status"] == "already closed" { "board-closed-already" } else { "board-closed" };
                println!("{}", words().with(id, &[("cast", number(&v["cast"])), ("counted", number(&v["counted"]))]));
                return Ok(());
            }
            let mut board = Board::open(at.dir()?)?;
            if matches!(board.state().phase(), Phase::Closed | Phase::Decrypting | Phase::Done) {
                println!(
                    "{}",
                    t!("board-closed-already", cast = board.state().cast, counted = board.state().counted())
                );
                return Ok(());
            }
            post_all(&mut board, vec![Event::Close], &mut rng)?;
            println!("{}", t!("board-closed", cast = board.state().cast, counted = board.state().counted()));
        }
        BoardCommand::Serve {
            dir,
            listen,
            tls_cert,
            tls_key,
            max_connections,
            header_timeout,
            body_timeout,
            registrar_key,
        } => {
            let desk = match &registrar_key {
                Some(path) => {
                    Some(std::sync::Arc::new(dauys::board::desk::DeskFile::open(path.clone()).map_err(fail)?))
                }
                None => None,
            };
            let tls = match (&tls_cert, &tls_key) {
                (Some(cert), Some(key)) => Some(dauys::board::listen::load_tls(cert, key).map_err(fail)?),
                _ => None,
            };
            // Every connection takes a file: keep the cap well below the limit on open files.
            let open_files = raise_open_files();
            let cap = max_connections.min(open_files.saturating_sub(128).max(16)) as usize;
            let limits = Limits {
                max_connections: cap,
                header_timeout: Duration::from_secs(header_timeout),
                body_timeout: Duration::from_secs(body_timeout),
                ..Limits::default()
            };
            let scheme = if tls.is_some() { "https" } else { "http" };
            // The board is opened (its lock taken, its state loaded) before the port is bound:
            // "serving on" means ready.
            let prepared =
                dauys::board::server::Prepared::open(dir.clone(), dauys::board::server::Options { tls, limits, desk })?;
            let runtime = tokio::runtime::Runtime::new().map_err(fail)?;
            runtime.block_on(async move {
                let stop = stop_signal();
                let listener =
                    tokio::net::TcpListener::bind(&listen).await.map_err(|e| fail(format!("{listen}: {e}")))?;
                let url = format!("{scheme}://{}", listener.local_addr().map_err(fail)?);
                prepared.announce(&url)?;
                println!("{}", t!("board-serving", path = dir.display().to_string(), url = url.as_str()));
                prepared.serve(listener, stop).await;
                Ok::<(), RunError>(())
            })?;
        }
        BoardCommand::Status { at } => {
            if let Some(url) = &at.board {
                let client = BoardClient::with_ca(url, at.ca.as_deref()).map_err(fail)?;
                let s = client.get("/status").map_err(fail)?;
                let list = |v: &serde_json::Value| v.as_array().map_or(0, Vec::len);
                aligned(
                    &[
                        (t!("board-status-phase"), s["phase"].as_str().unwrap_or("?").to_string()),
                        (t!("board-status-events"), s["events"].to_string()),
                        (
                            t!("board-status-trustees"),
                            t!(
                                "board-status-ceremony",
                                keys = list(&s["transport_keys"]),
                                dealings = list(&s["dealings"]),
                                complaints = number(&s["complaints"])
                            ),
                        ),
                        (
                            t!("board-status-ballots"),
                            t!(
                                "board-status-ballot-counts",
                                cast = number(&s["cast"]),
                                counted = number(&s["counted"]),
                                spoiled = number(&s["spoiled"])
                            ),
                        ),
                        (t!("board-status-decryptions"), list(&s["decryptions"]).to_string()),
                        (t!("board-status-next"), s["next"].as_str().unwrap_or("?").to_string()),
                    ],
                    1,
                );
                return Ok(());
            }
            let reader = LogReader::open(at.dir()?)?;
            let stored = reader.state()?;
            let s = &stored.state;
            let mut rows = vec![
                (t!("board-status-phase"), format!("{:?}", s.phase())),
                (t!("board-status-events"), stored.len().to_string()),
                (
                    t!("board-status-trustees"),
                    t!(
                        "board-status-ceremony-ready",
                        keys = s.transport_keys.len(),
                        dealings = s.dealings.len(),
                        complaints = s.complaints.len(),
                        ready = s.readies.len()
                    ),
                ),
                (
                    t!("board-status-ballots"),
                    t!(
                        "board-status-ballot-counts-held",
                        cast = s.cast,
                        counted = s.counted(),
                        spoiled = s.spoiled,
                        held = reader.held_challenged()?
                    ),
                ),
                (t!("board-status-decryptions"), s.decryptions.len().to_string()),
            ];
            if let Some(c) = &stored.latest {
                rows.push((
                    t!("board-status-checkpoint"),
                    t!("board-status-checkpoint-at", size = c.size, root = dauys::crypto::group::to_hex(&c.root)),
                ));
            }
            rows.push((t!("board-status-next"), next_step(s)));
            aligned(&rows, 1);
        }
        BoardCommand::Check { dir } => {
            let started = std::time::Instant::now();
            let report = dauys::board::check::check(&dir)?;
            let keys: Vec<String> = report.keys.iter().map(|(name, n)| format!("{name} {n}")).collect();
            println!(
                "{}",
                t!(
                    "board-check-replayed",
                    events = report.events,
                    took = format!("{:.1?}", started.elapsed()),
                    phase = report.phase.to_string(),
                    cast = report.cast,
                    counted = report.counted,
                    spoiled = report.spoiled
                )
            );
            println!(
                "{}",
                t!(
                    "board-check-compared",
                    nodes = report.nodes,
                    checkpoints = report.checkpoints,
                    tables = keys.join(", ")
                )
            );
            if !report.consistent() {
                for d in &report.differences {
                    eprintln!("{}", t!("board-check-differs", difference = d.to_string()));
                }
                return Err(fail(t!("board-check-inconsistent", count = report.differences.len())));
            }
            println!("{}", t!("board-check-consistent"));
        }
    }
    Ok(())
}

/// The tallier: the homomorphic sum of the counted ballots, posted as the encrypted tally.
pub fn tally(at: &BoardAt, operator_key: Option<&Path>) -> Outcome {
    if at.board.is_some() {
        let v = remote::operator(at, operator_key, "tally", &serde_json::json!({}))?;
        println!("{}", t!("board-tally-posted", ballots = number(&v["ballots"])));
        return Ok(());
    }
    let mut board = Board::open(at.dir()?)?;
    match board.state().phase() {
        Phase::Closed => {}
        Phase::Voting => return Err(fail(t!("board-tally-still-voting"))),
        Phase::Decrypting | Phase::Done => return Err(fail(t!("board-tally-already"))),
        _ => return Err(fail(t!("board-tally-not-open", next = next_step(board.state())))),
    }
    let tally = board.compute_tally()?;
    post_all(&mut board, vec![Event::Tally(tally.clone())], &mut rand::rng())?;
    println!("{}", t!("board-tally-posted", ballots = tally.ballots));
    Ok(())
}

/// The tallier: combine the first t decryptions, post the result and print its table.
/// The result: posted by the tallier (with the operator's key on a running board), or, once
/// it is posted, read back and printed again; written as JSON and CSV where asked.
pub fn result(
    at: &BoardAt,
    operator_key: Option<&Path>,
    lang: Lang,
    json: Option<&Path>,
    csv: Option<&Path>,
) -> Outcome {
    let (manifest, result, turnout) = if let Some(url) = at.board.as_deref() {
        let remote = remote::connect(url, at.ca.as_deref())?;
        let result = match posted_result(&remote.client)? {
            Some(result) => result,
            None => {
                let v = remote::operator(at, operator_key, "result", &serde_json::json!({}))?;
                serde_json::from_value(v["result"].clone()).map_err(fail)?
            }
        };
        let turnout = posted_turnout(&remote.client, remote.manifest.trustees.count)?;
        (remote.manifest, result, turnout)
    } else {
        let dir = at.dir()?;
        // A posted result is read beside a running server, without the writer's lock.
        let stored = LogReader::open(dir)?.state()?.state;
        let turnout = |tally: Option<&EncryptedTally>| tally.map(EncryptedTally::turnout_per_style).unwrap_or_default();
        match (stored.result, stored.setup) {
            (Some(result), Some(setup)) => (setup.manifest, result, turnout(stored.tally.as_ref())),
            _ => {
                let mut board = Board::open(dir)?;
                let result = result_of(board.state())?;
                let manifest = board.state().setup.as_ref().expect("a tally implies a setup").manifest.clone();
                let turnout = turnout(board.state().tally.as_ref());
                post_all(&mut board, vec![Event::Result(result.clone())], &mut rand::rng())?;
                (manifest, result, turnout)
            }
        }
    };
    println!("{}", result_table(&manifest, &result, &turnout, lang));
    dauys::simulate::write_result_files(&manifest, &result, &turnout, json, csv, lang)
}

/// The turnout per style of a running board's posted tally, found among the log's last
/// events (the tally, one decryption per trustee at most, the result).
fn posted_turnout(client: &BoardClient, trustees: u32) -> Result<Vec<u64>, RunError> {
    let size = client.get("/checkpoint").map_err(fail)?["size"]
        .as_u64()
        .ok_or_else(|| fail(t!("board-checkpoint-no-size")))?;
    let path = format!("/entries?start={}&end={size}", size.saturating_sub(u64::from(trustees) + 2));
    let entries = client.get(&path).map_err(fail)?;
    for entry in entries.as_array().into_iter().flatten().rev() {
        if let Ok(Event::Tally(tally)) = serde_json::from_value::<Event>(entry.clone()) {
            return Ok(tally.turnout_per_style());
        }
    }
    Err(fail(t!("board-no-tally-found")))
}

/// The result a running board has posted, if it has: its log's last event.
fn posted_result(client: &BoardClient) -> Result<Option<ElectionResult>, RunError> {
    let election = client.get("/election").map_err(fail)?;
    if election["phase"] != "done" {
        return Ok(None);
    }
    let size = client.get("/checkpoint").map_err(fail)?["size"]
        .as_u64()
        .ok_or_else(|| fail(t!("board-checkpoint-no-size")))?;
    let path = format!("/entries?start={}&end={size}", size.saturating_sub(1));
    let last = client.get(&path).map_err(fail)?.get(0).cloned().ok_or_else(|| fail(t!("board-log-empty")))?;
    match serde_json::from_value::<Event>(last).map_err(|e| fail(t!("board-bad-last-event", error = e.to_string())))? {
        Event::Result(result) => Ok(Some(result)),
        _ => Err(fail(t!("board-last-not-result"))),
    }
}

/// The record observers verify, written to `out` (default `DIR/record`); from a running
/// board, its latest signed snapshot, downloaded.
pub fn export(at: &BoardAt, out: Option<PathBuf>) -> Outcome {
    if let Some(url) = &at.board {
        let out = out.ok_or_else(|| fail(t!("board-export-give-out")))?;
        let client = BoardClient::with_ca(url, at.ca.as_deref()).map_err(fail)?;
        client.download_record(&out).map_err(fail)?;
        let size = dauys::log::record::read_header(&out).map_err(fail)?.size;
        println!("{}", t!("board-exported", events = size, path = out.display().to_string()));
        return Ok(());
    }
    let dir = at.dir()?;
    let out = out.unwrap_or_else(|| dir.join("record"));
    let events = LogReader::open(dir)?.export(&out)?;
    println!("{}", t!("board-exported", events = events, path = out.display().to_string()));
    Ok(())
}
