//! The staff's endpoints: the operator's steps and the trustees' messages, each request
//! signed by the key of the role that makes it (see [`super::auth`], `specs/record.md` §13.3).
//!
//! ```text
//! GET  /status             where the election stands and the next step (public)
//! GET  /staff/nonce        {"nonce"}: one use, within 2 minutes
//! POST /operator/roll      the roll event (the registrar's, posted by the operator's key)
//! POST /operator/registration-close   {} → registration closes
//! POST /operator/open      {} after a roll (the last shuffle's list), else a credential list
//!                          file → voting opens (`?quorum=true`: with the threshold of
//!                          trustees ready, not all)
//! POST /operator/close     {} → voting closes ("already closed" is a success)
//! POST /operator/tally     {} → the board sums the counted ballots and posts the tally
//! POST /operator/result    {} → the board combines the decryptions and posts the result
//! POST /trustee/events     [event, …] of the signing trustee → their receipts
//! POST /register/pseudonym  the registrar's desk, step 1 (not a staff request: signed by the
//!                          citizen's certified key) → {"pseudonym", "style"?}   (super::desk)
//! POST /register           step 2: the signed registration → its receipt
//! ```

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::auth::{Authorization, RequestLine, Role, author};
use super::desk::{Desk, PseudonymRequest, Refusal, RegisterRequest};
use super::server::{ApiError, AppState, internal, json_body, submit, with_board};
use super::store::Board;
use crate::crypto::group::to_hex;
use crate::election::registrar::IssuedList;
use crate::log::event::{Event, Phase};
use crate::log::state::LogState;

/// The most events one trustee request may carry (its complaints, at most one per dealer).
pub const MAX_EVENTS: usize = 256;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/status", get(status))
        .route("/staff/nonce", get(nonce))
        .route("/operator/{step}", post(operator))
        .route("/trustee/events", post(trustee_events))
        .route("/register/pseudonym", post(register_pseudonym))
        .route("/register", post(register))
}

/// What the operator or a trustee does next, given the log (`board status`, and the errors of
/// steps taken out of order).
pub fn next_step(s: &LogState) -> String {
    let Some(setup) = s.setup.as_ref() else {
        return "create the board: `dauys board init`".into();
    };
    let n = setup.manifest.trustees.count as usize;
    match s.phase() {
        Phase::Empty => "create the board: `dauys board init`".into(),
        Phase::Ceremony if s.transport_keys.len() < n => {
            let missing: Vec<String> =
                (1..=n as u32).filter(|i| !s.transport_keys.contains_key(i)).map(|i| i.to_string()).collect();
            format!("trustees {} run `dauys trustee init`", missing.join(", "))
        }
        Phase::Ceremony if s.dealings.len() < n => {
            let missing: Vec<String> =
                (1..=n as u32).filter(|i| !s.dealings.contains_key(i)).map(|i| i.to_string()).collect();
            format!("trustees {} run `dauys trustee deal`", missing.join(", "))
        }
        Phase::Ceremony => {
            let ready: std::collections::BTreeSet<u32> = s.readies.iter().map(|(r, _)| r.trustee).collect();
            let missing: Vec<String> = (1..=n as u32).filter(|i| !ready.contains(i)).map(|i| i.to_string()).collect();
            if missing.is_empty() {
                "every trustee is ready: the registrar posts the roll (`dauys registrar roll`), citizens register, \
                 trustees shuffle; then the operator opens voting: `dauys board open`"
                    .into()
            } else {
                format!(
                    "trustees {} run `dauys trustee receive`, then `dauys trustee ready`; then the operator opens \
                     voting: `dauys board open`",
                    missing.join(", ")
                )
            }
        }
        Phase::Registration => {
            format!(
                "registration is open ({} registered): citizens run `dauys register`; then the registrar closes it: \
                 `dauys registrar close`",
                s.registration.registrations()
            )
        }
        Phase::Shuffling => {
            let need = setup.manifest.threshold_params().map_or(0, |p| crate::election::unlinking::min_shufflers(&p));
            let done = s.registration.fewest_shufflers();
            if done < need {
                format!("{done} of the {need} shuffles needed are posted: trustees run `dauys trustee shuffle`")
            } else {
                "the credentials are shuffled: the operator opens voting: `dauys board open`".into()
            }
        }
        Phase::Voting | Phase::Challenges => "voting is open; the operator closes it: `dauys board close`".into(),
        Phase::Closed => "the operator tallies: `dauys tally`".into(),
        Phase::Decrypting => {
            let t = setup.manifest.trustees.threshold as usize;
            if s.decryptions.len() < t {
                format!(
                    "{} of the {t} trustee decryptions needed are posted: trustees run `dauys trustee decrypt`",
                    s.decryptions.len()
                )
            } else {
                "the operator posts the result: `dauys result`".into()
            }
        }
        Phase::Done => "the election is over: `dauys export`, then observers run `dauys-verify`".into(),
    }
}

fn refused(status: StatusCode, code: &'static str, detail: impl Into<String>) -> ApiError {
    ApiError::new(status, code, detail)
}

/// Who signed this request: its role, and whether it signed with a trustee's enrollment key
/// (its transport key not yet posted).
struct Signer {
    role: Role,
    enrolling: bool,
}

async fn authenticate(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Signer, ApiError> {
    let unauthorized = |d: String| refused(StatusCode::UNAUTHORIZED, "unauthorized", d);
    let access = state.access.clone().ok_or_else(|| {
        refused(
            StatusCode::FORBIDDEN,
            "forbidden",
            "this board has no staff keys (access.json): it was not created by `dauys board init`",
        )
    })?;
    let header = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| {
            unauthorized("a staff request is signed: Authorization: Dauys role=…,nonce=…,signature=…".into())
        })?
        .to_str()
        .map_err(|_| unauthorized("the Authorization header is not text".into()))?;
    let auth = Authorization::parse(header).map_err(|e| unauthorized(format!("Authorization: {e}")))?;
    let role = auth.role;
    let (setup, board_key, transport) = with_board(state, move |b: &Board| {
        let s = b.state();
        let board_key = s.setup.as_ref().ok_or_else(|| internal("no setup"))?.board_key;
        let transport = match role {
            Role::Trustee(i) => s.transport_keys.get(&i).map(|k| k.key),
            Role::Operator => None,
        };
        Ok((b.setup_fingerprint(), board_key, transport))
    })
    .await?;
    let key = access.key_of(role, transport.as_ref()).map_err(|e| refused(StatusCode::FORBIDDEN, "forbidden", e))?;
    let target = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    auth.verify(&setup, &board_key, &key, &RequestLine { method: method.as_str(), path: target, body })
        .map_err(unauthorized)?;
    state.nonces.redeem(&auth.nonce).map_err(|e| refused(StatusCode::UNAUTHORIZED, "nonce", e))?;
    Ok(Signer { role, enrolling: matches!(role, Role::Trustee(_)) && transport.is_none() })
}

async fn status(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    with_board(&state, |b: &Board| {
        let s = b.state();
        Ok(Json(json!({
            "cast": s.cast,
            "complaints": s.complaints.len(),
            "counted": s.counted(),
            "dealings": s.dealings.keys().collect::<Vec<_>>(),
            "decryptions": s.decryptions.keys().collect::<Vec<_>>(),
            "events": b.len(),
            "next": next_step(s),
            "phase": format!("{:?}", s.phase()).to_lowercase(),
            "spoiled": s.spoiled,
            "transport_keys": s.transport_keys.keys().collect::<Vec<_>>(),
        })))
    })
    .await
}

async fn nonce(State(state): State<AppState>) -> Json<Value> {
    Json(json!({"nonce": to_hex(&state.nonces.issue())}))
}

/// The order error of an operator step, in words that say what to do instead.
fn out_of_order(detail: String) -> ApiError {
    refused(StatusCode::CONFLICT, "order", detail)
}

async fn operator(
    State(state): State<AppState>,
    axum::extract::Path(step): axum::extract::Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    if !["roll", "registration-close", "open", "close", "tally", "result"].contains(&step.as_str()) {
        return Err(refused(StatusCode::NOT_FOUND, "not_found", format!("no operator step {step:?}")));
    }
    let signer = authenticate(&state, &method, &uri, &headers, &body).await?;
    if signer.role != Role::Operator {
        return Err(refused(StatusCode::FORBIDDEN, "forbidden", format!("{} is not the operator", signer.role)));
    }
    match step.as_str() {
        "roll" => roll(&state, json_body(&headers, &body)?).await,
        "registration-close" => registration_close(&state).await,
        "open" => {
            let body: Value = json_body(&headers, &body)?;
            let list = match body.as_object() {
                Some(o) if o.is_empty() => None,
                _ => Some(serde_json::from_value::<IssuedList>(body).map_err(|e| {
                    refused(StatusCode::BAD_REQUEST, "malformed", format!("a credential list file, or {{}}: {e}"))
                })?),
            };
            open(&state, list, uri.query() == Some("quorum=true")).await
        }
        "close" => close(&state).await,
        "tally" => tally(&state).await,
        _ => result(&state).await,
    }
}

async fn open(state: &AppState, list: Option<IssuedList>, quorum: bool) -> Result<Json<Value>, ApiError> {
    let event = with_board(state, move |b: &Board| {
        let s = b.state();
        let manifest = &s.setup.as_ref().ok_or_else(|| internal("no setup"))?.manifest;
        if let Some(list) = &list {
            list.check_for(manifest)
                .map_err(|e| refused(StatusCode::UNPROCESSABLE_ENTITY, "rejected", e.to_string()))?;
        }
        let (open, missing, qualified) = open_voting(b, list, quorum).map_err(out_of_order)?;
        Ok((Event::Open(Box::new(open)), qualified, missing))
    })
    .await;
    let (event, qualified, missing) = event?;
    let receipt = submit(state, event).await?.0;
    let info = with_board(state, |b: &Board| {
        let p = b.state().params.as_ref().ok_or_else(|| internal("no parameters after open"))?;
        Ok(json!({
            "credentials": p.credential_count(),
            "fingerprint": to_hex(p.fingerprint.as_bytes()),
            "joint_key": p.key.element(),
        }))
    })
    .await?;
    Ok(Json(json!({"opened": info, "qualified": qualified, "not_ready": missing, "receipt": receipt})))
}

/// The `open` event, or why voting cannot open now, in words that say what to do: with a roll,
/// no list of its own (the last shuffle's) and at least the minimum of shuffles; without one,
/// the credential list `credentials`. Every trustee ready, or at least t with `quorum`.
pub fn open_voting(
    b: &Board,
    credentials: Option<IssuedList>,
    quorum: bool,
) -> Result<(crate::log::event::Open, Vec<u32>, Vec<u32>), String> {
    let s = b.state();
    let manifest = &s.setup.as_ref().ok_or("no setup on the board")?.manifest;
    match (s.phase(), &credentials) {
        (Phase::Ceremony, Some(_)) => {}
        (Phase::Ceremony, None) => {
            return Err("no roll and no credential list: the registrar posts the roll (`dauys registrar roll`) and \
                        citizens register first"
                .into());
        }
        (Phase::Registration | Phase::Shuffling, Some(_)) => {
            return Err("after a roll the credential list is the last shuffle's: open without --credentials".into());
        }
        (Phase::Registration, None) => {
            return Err(format!(
                "registration is still open ({} registered): the registrar closes it (`dauys registrar close`), \
                 then trustees shuffle",
                s.registration.registrations()
            ));
        }
        (Phase::Shuffling, None) => {
            let need =
                crate::election::unlinking::min_shufflers(&manifest.threshold_params().map_err(|e| e.to_string())?);
            let done = s.registration.fewest_shufflers();
            if done < need {
                return Err(format!(
                    "{} more shuffle(s) needed: {done} of the {need} distinct trustees shuffled the credentials; \
                     trustees run `dauys trustee shuffle`",
                    need - done
                ));
            }
        }
        _ => return Err(format!("voting cannot open now: {}", next_step(s))),
    }
    // `open_event` builds the event from the ceremony; the list is set here (none after a roll).
    let placeholder = crate::election::credential::CredentialList::from_checked_encodings(vec![]);
    let (mut open, missing, qualified) = crate::runner::open_event(b, placeholder, quorum).map_err(|e| match e {
        crate::runner::RunError::Other(not_ready) => not_ready,
        incomplete => format!("the key ceremony is not complete: {incomplete}"),
    })?;
    if let Some(list) = credentials {
        (open.credentials, open.style_credentials) = (list.credentials, list.style_credentials);
    } else {
        open.credentials = None;
    }
    Ok((open, missing, qualified))
}

async fn roll(state: &AppState, roll: crate::election::registration::Roll) -> Result<Json<Value>, ApiError> {
    let count = roll.count;
    let receipt = submit(state, Event::Roll(Box::new(roll))).await?.0;
    Ok(Json(json!({"pseudonyms": count, "receipt": receipt})))
}

async fn registration_close(state: &AppState) -> Result<Json<Value>, ApiError> {
    let phase = with_board(state, |b: &Board| Ok(b.state().phase())).await?;
    if phase != Phase::Registration {
        let s = with_board(state, |b: &Board| Ok(next_step(b.state()))).await?;
        return Err(out_of_order(format!("registration is not open: {s}")));
    }
    let receipt = submit(state, Event::RegistrationClose).await?.0;
    let registered = with_board(state, |b: &Board| Ok(b.state().registration.registrations())).await?;
    Ok(Json(json!({"receipt": receipt, "registrations": registered})))
}

fn desk_of(state: &AppState) -> Result<std::sync::Arc<Desk>, ApiError> {
    let file = state.desk.clone().ok_or_else(|| {
        refused(
            StatusCode::NOT_FOUND,
            "no_desk",
            "this board does not host the registrar's desk (`dauys board serve --registrar-key`)",
        )
    })?;
    file.desk().map_err(desk_refusal)
}

fn desk_refusal(r: Refusal) -> ApiError {
    let status = match r {
        Refusal::NotOpen(_) | Refusal::Closed | Refusal::AlreadyRegistered(_) => StatusCode::CONFLICT,
        Refusal::BadIin(_) => StatusCode::BAD_REQUEST,
        Refusal::Certificate(_) | Refusal::Identity(_) | Refusal::Signature(_) => StatusCode::FORBIDDEN,
        Refusal::NotOnRoll(_) | Refusal::Mismatch(_) | Refusal::WrongElection { .. } => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    refused(status, r.code(), r.to_string())
}

/// The desk's step 1: the citizen's pseudonym.
async fn register_pseudonym(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let desk = desk_of(&state)?;
    let request: PseudonymRequest = json_body(&headers, &body)?;
    let admitted = with_board(&state, move |b: &Board| desk.admit(b.state(), &request).map_err(desk_refusal)).await?;
    Ok(Json(serde_json::to_value(admitted).expect("serializes")))
}

/// The desk's step 2: the citizen's signed registration, posted once the desk's checks pass.
async fn register(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Json<Value>, ApiError> {
    let desk = desk_of(&state)?;
    let request: RegisterRequest = json_body(&headers, &body)?;
    let event = with_board(&state, move |b: &Board| {
        desk.check(b.state(), &request).map_err(desk_refusal)?;
        Ok(Event::Registration(Box::new(request.registration)))
    })
    .await?;
    let receipt = submit(&state, event).await?.0;
    Ok(Json(json!({"receipt": receipt})))
}

async fn close(state: &AppState) -> Result<Json<Value>, ApiError> {
    let phase = with_board(state, |b: &Board| Ok(b.state().phase())).await?;
    let status = match phase {
        Phase::Closed | Phase::Decrypting | Phase::Done => "already closed",
        Phase::Voting | Phase::Challenges => {
            let _ = submit(state, Event::Close).await?;
            "closed"
        }
        _ => return Err(out_of_order("voting has not opened yet".into())),
    };
    let (cast, counted) = with_board(state, |b: &Board| Ok((b.state().cast, b.state().counted()))).await?;
    Ok(Json(json!({"cast": cast, "counted": counted, "status": status})))
}

async fn tally(state: &AppState) -> Result<Json<Value>, ApiError> {
    let tally = with_board(state, |b: &Board| {
        match b.state().phase() {
            Phase::Closed => {}
            Phase::Voting | Phase::Challenges => {
                return Err(out_of_order("voting is still open: close it first (`dauys board close`)".into()));
            }
            Phase::Decrypting | Phase::Done => return Err(out_of_order("the tally is posted already".into())),
            _ => return Err(out_of_order("voting has not opened yet".into())),
        }
        b.compute_tally().map_err(internal)
    })
    .await?;
    let ballots = tally.ballots;
    let receipt = submit(state, Event::Tally(tally)).await?.0;
    Ok(Json(json!({"ballots": ballots, "receipt": receipt})))
}

async fn result(state: &AppState) -> Result<Json<Value>, ApiError> {
    let result = with_board(state, |b: &Board| {
        let s = b.state();
        if s.tally.is_none() {
            return Err(out_of_order(format!("no tally yet: {}", next_step(s))));
        }
        if s.result.is_some() {
            return Err(out_of_order("the result is posted already".into()));
        }
        crate::runner::result_of(s).map_err(|e| out_of_order(e.to_string()))
    })
    .await?;
    let receipt = submit(state, Event::Result(result.clone())).await?.0;
    Ok(Json(json!({"receipt": receipt, "result": result})))
}

async fn trustee_events(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let signer = authenticate(&state, &method, &uri, &headers, &body).await?;
    let events: Vec<Event> = json_body(&headers, &body)?;
    if events.is_empty() || events.len() > MAX_EVENTS {
        return Err(refused(StatusCode::BAD_REQUEST, "malformed", format!("send 1 to {MAX_EVENTS} events")));
    }
    for (i, event) in events.iter().enumerate() {
        if author(event) != Some(signer.role) {
            let whose = author(event).map_or("nobody on this endpoint".to_string(), |r| r.to_string());
            return Err(refused(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("event {i} ({}) is {whose}'s to post, not {}'s", event.kind(), signer.role),
            ));
        }
        if signer.enrolling && !matches!(event, Event::TransportKey(_)) {
            return Err(refused(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("{} has not posted its transport key: the enrollment code signs only that", signer.role),
            ));
        }
    }
    let mut receipts = Vec::with_capacity(events.len());
    let count = events.len();
    for (i, event) in events.into_iter().enumerate() {
        let kind = event.kind();
        let receipt = submit(&state, event).await.map_err(|mut e| {
            if count > 1 {
                e.detail = format!("event {i} of {count} ({kind}; those before it are posted): {}", e.detail);
            }
            e
        })?;
        receipts.push(receipt.0);
    }
    Ok(Json(json!({"receipts": receipts})))
}
