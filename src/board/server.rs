//! The board over HTTP: voters post ballots, observers read the log.
//!
//! ```text
//! GET  /health                          {"appends": time split, "events": n, "status": "ok" or
//!                                       "storage_failing" with "error"}
//! GET  /election                        manifest, board key, keys, credential list and base,
//!                                       fingerprints
//! POST /ballots                         a ballot (JSON)          → a receipt
//! POST /spoiled                         a challenged ballot      → 202: held, published at close
//! GET  /checkpoint                      the latest signed checkpoint
//! GET  /entries?start=&end=             events [start, end) as JSON (at most 1,000)
//! GET  /proof/inclusion?index=&size=    {"index", "size", "proof": [hash…]}
//! GET  /proof/consistency?from=&to=     {"from", "to", "proof": [hash…]}
//! GET  /record                         {"checkpoint", "files", "size"}: the snapshot served
//! GET  /record/FILE?size=               record.json, events.jsonl, checkpoints.jsonl or
//!                                       cosignatures.jsonl, cut at a signed size (default:
//!                                       the latest), as `dauys export` writes them
//! POST /witness/cosign                  a witness's co-signature of a checkpoint of this log
//! GET  /witness/cosignatures?size=      the co-signatures (of one size, or all)
//! GET  /staff/nonce, POST /operator/…, POST /trustee/events: the staff, signed (super::staff)
//! POST /register/pseudonym, POST /register: the registrar's desk, when served (super::staff)
//! ```
//!
//! One writer task owns appends. It takes every submission waiting, up to [`GROUP`], and
//! appends them in one SQLite transaction (proofs verified on every core, off the async
//! runtime); a receipt is returned only after that transaction is committed and on disk.
//! After each commit it publishes a view of the board; GET requests answer from that view
//! and from read-only connections, never from the writer, so readers do not slow voting down
//! and never see an entry that is not committed. If a transaction fails (a full disk), the
//! writer logs it, refuses that group with 500 `storage`, keeps serving what is committed,
//! and appends again once storage recovers.
//! Errors are JSON `{"error": code, "detail": …}` with a 4xx status (500 `storage` when a
//! transaction cannot be written), and a refused submission appends nothing (whichever layer
//! refuses: [`super::guard`]). Request bodies are limited to [`MAX_BODY`] bytes; connections,
//! timeouts and TLS are [`super::listen`]'s.
//!
//! What the server logs and stores: it stores the events (no identities) and checkpoints; it
//! logs nothing about requests (no address, header or timing next to a ballot).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot, watch};

use super::BoardError;
use super::auth::{Access, Nonces};
use super::listen::Limits;
use super::reader::LogReader;
use super::store::{AppendStats, Board};
use crate::crypto::group::to_hex;
use crate::election::ballot::{Ballot, SpoiledBallot};
use crate::log::checkpoint::{Checkpoint, Cosignature, Receipt};
use crate::log::event::Event;

/// The largest request body accepted (a ballot of the largest manifest is far smaller).
pub const MAX_BODY: usize = 4 << 20;
/// The most submissions appended in one transaction.
pub const GROUP: usize = 512;
/// The most entries one `GET /entries` returns.
pub const MAX_ENTRIES: u64 = 1000;

type Reply = oneshot::Sender<Result<Receipt, ApiError>>;

#[derive(Clone)]
pub(super) struct AppState {
    /// The writer's: the writer task, co-signatures, challenges and the staff's steps take
    /// it, no GET does.
    board: Arc<Mutex<Board>>,
    writer: mpsc::Sender<(Event, Reply)>,
    view: watch::Receiver<Arc<View>>,
    readers: Arc<Readers>,
    /// The staff's keys; `None` for a board not created by `dauys board init`.
    pub(super) access: Option<Arc<Access>>,
    pub(super) nonces: Arc<Nonces>,
    /// The registrar's desk, when the board serves it (`board serve --registrar-key`).
    pub(super) desk: Option<Arc<super::desk::DeskFile>>,
}
/// The board as of its last commit, published by the writer after each one.
struct View {
    /// Events committed.
    size: u64,
    latest: Option<Checkpoint>,
    stats: AppendStats,
    /// `GET /election`'s body, rebuilt when an event that is not a ballot commits.
    election: Bytes,
    /// The last storage failure, until an append succeeds again.
    storage_error: Option<String>,
}

impl View {
    fn of(board: &Board, election: Option<Bytes>) -> View {
        View {
            size: board.len(),
            latest: board.latest_checkpoint().cloned(),
            stats: board.stats,
            election: election.unwrap_or_else(|| election_body(board)),
            storage_error: None,
        }
    }
}

fn election_body(board: &Board) -> Bytes {
    let s = board.state();
    let params = s.params.as_ref();
    let body = json!({
        "board_key": s.setup.as_ref().map(|setup| setup.board_key),
        "manifest": s.setup.as_ref().map(|setup| &setup.manifest),
        "setup_fingerprint": to_hex(board.setup_fingerprint().as_bytes()),
        "joint_key": params.map(|p| *p.key.element()),
        "verification_keys": params.map(|p| &p.verification_keys),
        "credentials": params.filter(|p| p.lists.len() == 1).map(|p| &p.lists[0].credentials),
        "base": params.filter(|p| p.lists.len() == 1).map(|p| p.lists[0].base),
        // Per ballot style, in the manifest's order: its credential list and base.
        "lists": params.map(|p| p.lists.iter().map(|l| json!({"credentials": l.credentials, "base": l.base})).collect::<Vec<_>>()),
        "fingerprint": params.map(|p| to_hex(p.fingerprint.as_bytes())),
        "phase": format!("{:?}", s.phase()).to_lowercase(),
    });
    Bytes::from(serde_json::to_vec(&body).expect("serializes"))
}

/// Read-only connections for GET requests, reused, and the threads that use them.
struct Readers {
    dir: PathBuf,
    idle: Mutex<Vec<LogReader>>,
    threads: rayon::ThreadPool,
}

/// Lowers the calling thread's scheduling priority (nice 19, the lowest; on Linux the nice value is per
/// thread): reads take the CPU that appends leave, so readers cannot starve voting.
fn read_priority() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(None, 19);
}

impl Readers {
    fn new(dir: PathBuf) -> Result<Readers, BoardError> {
        let threads = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("board-read-{i}"))
            .start_handler(|_| read_priority())
            .panic_handler(|_| eprintln!("board: a read panicked"))
            .build()
            .map_err(|e| BoardError::Io(format!("read threads: {e}")))?;
        Ok(Readers { dir, idle: Mutex::new(Vec::new()), threads })
    }

    /// Idle connections kept for reuse.
    const KEPT: usize = 32;

    fn with<T>(&self, f: impl FnOnce(&LogReader) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let idle = self.idle.lock().expect("readers").pop();
        let reader = match idle {
            Some(r) => r,
            None => LogReader::open(&self.dir)?,
        };
        let out = f(&reader);
        let mut idle = self.idle.lock().expect("readers");
        if idle.len() < Self::KEPT {
            idle.push(reader);
        }
        out
    }
}

/// An error as the API reports it.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    /// With a 409 for a ballot already in the log: its receipt (the reply that was lost).
    pub receipt: Option<Box<Receipt>>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        ApiError { status, code, detail: detail.into(), receipt: None }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"error": self.code, "detail": self.detail});
        if let Some(receipt) = self.receipt {
            body["receipt"] = serde_json::to_value(receipt).expect("serializes");
        }
        (self.status, Json(body)).into_response()
    }
}

pub(super) fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
}

impl From<BoardError> for ApiError {
    fn from(e: BoardError) -> Self {
        match e {
            BoardError::Range(detail) => ApiError::new(StatusCode::BAD_REQUEST, "range", detail),
            BoardError::Storage { .. } => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage", e.to_string()),
            other => internal(other),
        }
    }
}

/// A rejection's status: a replayed or already-posted ballot is a conflict; the rest are
/// unprocessable.
fn rejected(reason: String) -> ApiError {
    let conflict =
        reason.contains("posted before") || reason.contains("refuses revotes") || reason.contains("never cast");
    let status = if conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
    ApiError::new(status, if conflict { "duplicate" } else { "rejected" }, reason)
}

/// How the board serves: TLS (a certificate and key, see [`super::listen::load_tls`]) or plain
/// HTTP, and the connection limits.
#[derive(Clone, Default)]
pub struct Options {
    pub tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
    pub limits: Limits,
    /// The registrar's desk (`POST /register/pseudonym`, `POST /register`), if served here.
    pub desk: Option<Arc<super::desk::DeskFile>>,
}

/// Runs the server on `listener`, plain HTTP with the default limits, until `shutdown`
/// completes; then finishes the requests in flight and returns.
pub async fn serve(
    dir: PathBuf,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), BoardError> {
    serve_with(dir, listener, Options::default(), shutdown).await
}

/// [`serve`] with TLS and limits.
pub async fn serve_with(
    dir: PathBuf,
    listener: tokio::net::TcpListener,
    options: Options,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), BoardError> {
    let prepared = tokio::task::spawn_blocking(move || Prepared::open(dir, options))
        .await
        .map_err(|e| BoardError::Io(e.to_string()))??;
    prepared.serve(listener, shutdown).await;
    Ok(())
}

/// A board opened as its one writer and ready to serve: the port need only be bound (and
/// announced) after this, so that nobody connects to a board that is not there yet.
pub struct Prepared {
    app: Router,
    board: Arc<Mutex<Board>>,
    jobs: mpsc::Receiver<(Event, Reply)>,
    publish: watch::Sender<Arc<View>>,
    options: Options,
}

impl Prepared {
    /// Opens the board in `dir` (its lock taken, its state loaded) and its staff keys.
    pub fn open(dir: PathBuf, options: Options) -> Result<Prepared, BoardError> {
        let access = Access::read(&dir).map_err(BoardError::Io)?.map(Arc::new);
        let board = Board::open(&dir)?;
        let readers = Arc::new(Readers::new(board.dir().to_path_buf())?);
        let (publish, view) = watch::channel(Arc::new(View::of(&board, None)));
        let board = Arc::new(Mutex::new(board));
        let (writer, jobs) = mpsc::channel::<(Event, Reply)>(4 * GROUP);
        let state = AppState {
            board: board.clone(),
            writer,
            view,
            readers,
            access,
            nonces: Arc::new(Nonces::new()),
            desk: options.desk.clone(),
        };
        Ok(Prepared { app: router(state, options.limits), board, jobs, publish, options })
    }

    /// Records in the directory's lock file the URL the board is served on.
    pub fn announce(&self, serving: &str) -> Result<(), BoardError> {
        self.board.lock().expect("board lock").announce(serving)
    }

    /// Serves on `listener` until `shutdown` completes; then finishes the requests in flight.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) {
        // Under a file-size limit a write past it raises SIGXFSZ, which would end the process:
        // catch it, so that the write fails as a full disk does and the board keeps serving.
        #[cfg(unix)]
        let _file_size_signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::from_raw(
            rustix::process::Signal::XFSZ.as_raw(),
        ));
        tokio::spawn(write_loop(self.board, self.jobs, self.publish));
        super::listen::run(listener, self.app, self.options.tls, self.options.limits, shutdown).await;
    }
}

fn router(state: AppState, limits: Limits) -> Router {
    let deadline = limits.body_timeout;
    Router::new()
        .route("/health", get(health))
        .route("/election", get(election))
        .route("/ballots", post(post_ballot))
        .route("/spoiled", post(post_spoiled))
        .route("/checkpoint", get(checkpoint))
        .route("/entries", get(entries))
        .route("/proof/inclusion", get(inclusion))
        .route("/proof/consistency", get(consistency))
        .route("/record", get(record_index))
        .route("/record/{file}", get(record_file))
        .route("/witness/cosign", post(cosign))
        .route("/witness/cosignatures", get(cosignatures))
        .merge(super::staff::routes())
        .fallback(|uri: axum::http::Uri| async move {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("no endpoint {}", uri.path()))
        })
        .layer(DefaultBodyLimit::max(super::guard::MAX_OPEN_BODY))
        .layer(middleware::from_fn(move |request, next| super::guard::limits(deadline, request, next)))
        .layer(middleware::from_fn(super::guard::json_errors))
        .with_state(state)
}

/// Group commit: wait for one submission, take every other one waiting, append them together,
/// publish the new view, then answer. A failed transaction changes nothing that readers see.
async fn write_loop(
    board: Arc<Mutex<Board>>,
    mut jobs: mpsc::Receiver<(Event, Reply)>,
    publish: watch::Sender<Arc<View>>,
) {
    while let Some(first) = jobs.recv().await {
        let mut group = vec![first];
        while group.len() < GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let (events, replies): (Vec<Event>, Vec<Reply>) = group.into_iter().unzip();
        let ballots: Vec<Option<([u8; 32], [u8; 32])>> = events
            .iter()
            .map(|e| match e {
                Event::Cast(b) => Some((b.credential.to_bytes(), e.leaf_hash())),
                _ => None,
            })
            .collect();
        // Only events that are not ballots change what `GET /election` shows.
        let steps = events.iter().any(|e| !matches!(e, Event::Cast(_) | Event::Spoiled(_)));
        let submitted = events.len();
        let board = board.clone();
        let previous = publish.borrow().clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let mut board = board.lock().expect("board lock");
            // A ballot posted again (its reply lost): the refusal carries its receipt.
            let outcome = board.append_batch(events, &mut rand::rng()).map(|results| {
                results
                    .into_iter()
                    .zip(ballots)
                    .map(|(result, ballot)| {
                        result.map_err(|r| {
                            let mut e = rejected(r.reason);
                            if let (StatusCode::CONFLICT, Some((credential, leaf))) = (e.status, ballot) {
                                e.receipt = existing_receipt(&board, &credential, &leaf).map(Box::new);
                            }
                            e
                        })
                    })
                    .collect::<Vec<_>>()
            });
            let view = match &outcome {
                Ok(_) => View::of(&board, (!steps).then(|| previous.election.clone())),
                Err(e) => {
                    eprintln!("board: storage failed, nothing of {submitted} submission(s) was kept: {e}");
                    View {
                        size: previous.size,
                        latest: previous.latest.clone(),
                        stats: board.stats,
                        election: previous.election.clone(),
                        storage_error: Some(e.to_string()),
                    }
                }
            };
            (outcome, view)
        })
        .await;
        match outcome {
            Ok((Ok(results), view)) => {
                publish.send_replace(Arc::new(view));
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
            Ok((Err(e), view)) => {
                publish.send_replace(Arc::new(view));
                let error = ApiError::from(e);
                for reply in replies {
                    let _ = reply.send(Err(error.clone()));
                }
            }
            Err(e) => {
                for reply in replies {
                    let _ = reply.send(Err(internal(&e)));
                }
            }
        }
    }
}

/// The receipt of the cast ballot with leaf hash `leaf` if it is in the log: the last ballot
/// of its credential, included under the latest checkpoint.
fn existing_receipt(board: &Board, credential: &[u8; 32], leaf: &[u8; 32]) -> Option<Receipt> {
    let index = board.state().last_cast.get(credential)?;
    let checkpoint = board.latest_checkpoint()?.clone();
    let inclusion = board.inclusion_proof(index, checkpoint.size).ok()?;
    crate::log::merkle::verify_inclusion(index, checkpoint.size, leaf, &inclusion, &checkpoint.root).ok()?;
    Some(Receipt { checkpoint, inclusion, index, leaf_hash: *leaf })
}

/// Whether a `Content-Type` is JSON: the media type `application/json` (any case), with
/// parameters (`; charset=utf-8`) or none.
fn is_json(content_type: &str) -> bool {
    content_type.split(';').next().is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

pub(super) fn json_body<T: serde::de::DeserializeOwned>(headers: &HeaderMap, body: &Bytes) -> Result<T, ApiError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !is_json(content_type) {
        return Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "content_type", "send application/json"));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "?" || path == "." { String::new() } else { format!("{path}: ") };
        ApiError::new(StatusCode::BAD_REQUEST, "malformed", format!("{at}{}", e.inner()))
    })?;
    de.end().map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "malformed", e.to_string()))?;
    Ok(value)
}

pub(super) async fn submit(state: &AppState, event: Event) -> Result<Json<Receipt>, ApiError> {
    let (reply, receipt) = oneshot::channel();
    state.writer.send((event, reply)).await.map_err(internal)?;
    receipt.await.map_err(internal)?.map(Json)
}

async fn post_ballot(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Receipt>, ApiError> {
    let ballot: Ballot = json_body(&headers, &body)?;
    submit(&state, Event::Cast(Box::new(ballot))).await
}

/// A challenged ballot is not a log entry yet: the board holds it and publishes every held
/// one, in ciphertext-digest order, just before the close event (`specs/record.md` §5.7).
async fn post_spoiled(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let spoiled: SpoiledBallot = json_body(&headers, &body)?;
    let board = state.board.clone();
    let code = tokio::task::spawn_blocking(move || board.lock().expect("board lock").challenge(&spoiled))
        .await
        .map_err(internal)?
        .map_err(|e| match e {
            BoardError::Rejected(r) => rejected(r.reason),
            other => internal(other),
        })?;
    let detail = "held by the board: published with every challenged ballot, in ciphertext-digest order, when \
                  voting closes; it never counts";
    Ok((StatusCode::ACCEPTED, Json(json!({"detail": detail, "status": "held", "tracking_code": code}))))
}

/// Runs `f` on the writer's board off the async runtime (the staff's steps, which need the
/// log state; GET requests use [`read`]).
pub(super) async fn with_board<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Board) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let board = state.board.clone();
    tokio::task::spawn_blocking(move || f(&board.lock().expect("board lock"))).await.map_err(internal)?
}

/// The view as of the last commit.
fn view(state: &AppState) -> Arc<View> {
    state.view.borrow().clone()
}

/// Runs `f` on a read-only connection, on a read thread, with the view it must keep to.
async fn read<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&LogReader, &View) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let (readers, view) = (state.readers.clone(), view(state));
    let (tx, rx) = oneshot::channel();
    state.readers.threads.spawn(move || {
        let _ = tx.send(readers.with(|r| f(r, &view)));
    });
    rx.await.map_err(internal)?
}

fn json_response(body: impl Into<axum::body::Body>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body.into()).into_response()
}

async fn health(State(state): State<AppState>) -> Json<Value> {
    let view = view(&state);
    match &view.storage_error {
        None => Json(json!({"appends": view.stats, "events": view.size, "status": "ok"})),
        Some(error) => {
            Json(json!({"appends": view.stats, "error": error, "events": view.size, "status": "storage_failing"}))
        }
    }
}

async fn election(State(state): State<AppState>) -> Response {
    json_response(view(&state).election.clone())
}

async fn checkpoint(State(state): State<AppState>) -> Json<Option<Checkpoint>> {
    Json(view(&state).latest.clone())
}

#[derive(Deserialize)]
struct Range {
    start: u64,
    end: u64,
}

/// The stored leaves, verbatim: they are canonical JSON already.
async fn entries(State(state): State<AppState>, Query(q): Query<Range>) -> Result<Response, ApiError> {
    read(&state, move |r, view| {
        if q.start > q.end || q.end > view.size || q.end - q.start > MAX_ENTRIES {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "range",
                format!("need start ≤ end ≤ {} and at most {MAX_ENTRIES} entries", view.size),
            ));
        }
        Ok(json_response(r.entries_json(q.start, q.end)?))
    })
    .await
}

#[derive(Deserialize)]
struct InclusionQuery {
    index: u64,
    size: u64,
}

/// A size beyond what is committed is outside the log, whatever the database holds by now.
fn committed(view: &View, size: u64) -> Result<(), ApiError> {
    if size > view.size {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "range",
            format!("tree size {size} is larger than the log ({} entries)", view.size),
        ));
    }
    Ok(())
}

async fn inclusion(State(state): State<AppState>, Query(q): Query<InclusionQuery>) -> Result<Json<Value>, ApiError> {
    read(&state, move |r, view| {
        committed(view, q.size)?;
        let proof = hex_list(&r.inclusion_proof(q.index, q.size)?);
        Ok(Json(json!({"index": q.index, "proof": proof, "size": q.size})))
    })
    .await
}

#[derive(Deserialize)]
struct ConsistencyQuery {
    from: u64,
    to: u64,
}

async fn consistency(
    State(state): State<AppState>,
    Query(q): Query<ConsistencyQuery>,
) -> Result<Json<Value>, ApiError> {
    read(&state, move |r, view| {
        committed(view, q.to)?;
        let proof = hex_list(&r.consistency_proof(q.from, q.to)?);
        Ok(Json(json!({"from": q.from, "proof": proof, "to": q.to})))
    })
    .await
}

fn hex_list(hashes: &[[u8; 32]]) -> Vec<String> {
    hashes.iter().map(|h| to_hex(h)).collect()
}

#[derive(Deserialize)]
struct SizeQuery {
    size: Option<u64>,
}

/// The signed checkpoint a record snapshot ends at: of `size` if given (found by its key),
/// else the latest.
async fn snapshot(state: &AppState, size: Option<u64>) -> Result<Checkpoint, ApiError> {
    let not_found = |what: String| ApiError::new(StatusCode::NOT_FOUND, "not_found", what);
    let latest = view(state).latest.clone().ok_or_else(|| not_found("nothing has been signed yet".into()))?;
    match size {
        None => Ok(latest),
        Some(size) if size == latest.size => Ok(latest),
        Some(size) => {
            read(state, move |r, view| {
                let found = if size <= view.size { r.checkpoint_at(size)? } else { None };
                found.ok_or_else(|| not_found(format!("the board signed no checkpoint of size {size}")))
            })
            .await
        }
    }
}

/// The record's files and the size they are served at unless `?size=` asks for an earlier
/// signed one (so that files fetched one by one are of the same snapshot).
async fn record_index(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    use crate::log::record::{CHECKPOINTS_FILE, COSIGNATURES_FILE, EVENTS_FILE, HEADER_FILE};
    let checkpoint = snapshot(&state, None).await?;
    Ok(Json(json!({
        "checkpoint": checkpoint,
        "files": [HEADER_FILE, EVENTS_FILE, CHECKPOINTS_FILE, COSIGNATURES_FILE],
        "size": checkpoint.size,
    })))
}

/// One file of the record as `dauys export` writes it, cut at a signed size. Every file but
/// the header is streamed from a read-only connection, so a large record neither sits in
/// memory nor holds up appends.
async fn record_file(
    State(state): State<AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
    Query(q): Query<SizeQuery>,
) -> Result<Response, ApiError> {
    use crate::log::record::{self, CHECKPOINTS_FILE, COSIGNATURES_FILE, EVENTS_FILE, HEADER_FILE};
    if ![HEADER_FILE, EVENTS_FILE, CHECKPOINTS_FILE, COSIGNATURES_FILE].contains(&file.as_str()) {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("no record file {file:?}")));
    }
    let end = snapshot(&state, q.size).await?;
    let size = end.size;
    let dir = state.readers.dir.clone();
    let body = match file.as_str() {
        HEADER_FILE => axum::body::Body::from(record::header_line(&end, size)),
        CHECKPOINTS_FILE => stream_lines(dir, move |r, emit| r.each_checkpoint(size, emit)),
        COSIGNATURES_FILE => stream_lines(dir, move |r, emit| r.each_cosignature(size, emit)),
        _ => stream_lines(dir, move |r, emit| r.for_each_leaf(0, size, |_, leaf| emit(leaf))),
    };
    Ok(json_response(body))
}

/// The lines `produce` emits, in chunks of about 1 MiB, read on a thread of its own (at the
/// read priority) from a connection of its own: a slow client holds neither the pool's
/// threads nor its connections.
fn stream_lines(
    dir: PathBuf,
    produce: impl FnOnce(&LogReader, &mut dyn FnMut(&str) -> Result<(), BoardError>) -> Result<(), BoardError>
    + Send
    + 'static,
) -> axum::body::Body {
    const CHUNK: usize = 1 << 20;
    let (tx, mut rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let spawned = std::thread::Builder::new().name("board-stream".into()).spawn(move || {
        read_priority();
        let mut buf = Vec::with_capacity(CHUNK + (64 << 10));
        let outcome = LogReader::open(&dir).and_then(|reader| {
            produce(&reader, &mut |line: &str| {
                buf.extend_from_slice(line.as_bytes());
                buf.push(b'\n');
                if buf.len() >= CHUNK {
                    let chunk = Bytes::from(std::mem::replace(&mut buf, Vec::with_capacity(CHUNK + (64 << 10))));
                    tx.blocking_send(Ok(chunk)).map_err(|_| BoardError::Io("the client went away".into()))?;
                }
                Ok(())
            })
        });
        let last = match outcome {
            Ok(()) => Ok(Bytes::from(buf)),
            Err(e) => Err(std::io::Error::other(e.to_string())),
        };
        let _ = tx.blocking_send(last);
    });
    if let Err(e) = spawned {
        // No thread: the stream ends with the error.
        let (tx, new_rx) = mpsc::channel(1);
        let _ = tx.try_send(Err(e));
        rx = new_rx;
    }
    axum::body::Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
}

async fn cosign(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Json<Value>, ApiError> {
    let c: Cosignature = json_body(&headers, &body)?;
    let board = state.board.clone();
    tokio::task::spawn_blocking(move || board.lock().expect("board lock").add_cosignature(&c))
        .await
        .map_err(internal)?
        .map_err(|reason| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "rejected", reason))?;
    Ok(Json(json!({"status": "stored"})))
}

async fn cosignatures(
    State(state): State<AppState>,
    Query(q): Query<SizeQuery>,
) -> Result<Json<Vec<Cosignature>>, ApiError> {
    read(&state, move |r, view| {
        if let Some(size) = q.size {
            committed(view, size)?;
        }
        Ok(Json(r.cosignatures(q.size)?))
    })
    .await
}
