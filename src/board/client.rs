//! A client of the board's HTTP API, for voters (`dauys vote --board`), staff, observers,
//! tools and tests: `http://`, or `https://` checked against the system's roots or a private
//! CA (`--ca FILE`). Staff requests are signed by the role's key ([`super::auth`]).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rand::CryptoRng;
use serde::Serialize;
use serde_json::Value;

use super::auth::{RequestLine, Role, authorize};
use crate::crypto::group::{Element, Fingerprint, SecretScalar, from_hex};
use crate::election::ballot::{Ballot, SpoiledBallot};
use crate::log::checkpoint::Receipt;
use crate::log::record::{CHECKPOINTS_FILE, COSIGNATURES_FILE, EVENTS_FILE, HEADER_FILE};

/// What the board answered with, when it was not a success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub code: String,
    pub detail: String,
    /// A ballot already in the log: its receipt, sent with the 409.
    pub receipt: Option<Box<Receipt>>,
}

/// A member of the staff making signed requests: the role, its key, and the board they are
/// for (its setup fingerprint and key, from `/election`).
pub struct Signer {
    pub role: Role,
    pub key: SecretScalar,
    pub setup: Fingerprint,
    pub board_key: Element,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the board refused ({} {}): {}", self.status, self.code, self.detail)
    }
}

pub struct BoardClient {
    base: String,
    agent: ureq::Agent,
}

/// Why a connection failed, in words that say what to do about a certificate.
fn unreachable_reason(url: &str, e: &ureq::Error) -> String {
    let text = e.to_string();
    let tls = matches!(e, ureq::Error::Rustls(_) | ureq::Error::Tls(_)) || text.contains("certificate");
    if tls {
        format!(
            "{url}: TLS: the board's certificate is not trusted ({text}); if it is issued by a private CA, \
             give that CA's certificate with --ca FILE"
        )
    } else {
        format!("{url}: {text}")
    }
}

/// The certificates (PEM) in `path`: the roots a private CA's boards are checked against.
fn ca_roots(path: &Path) -> Result<ureq::tls::RootCerts, String> {
    let pem = std::fs::read(path).map_err(|e| format!("--ca {}: {e}", path.display()))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        if let ureq::tls::PemItem::Certificate(c) = item.map_err(|e| format!("--ca {}: {e}", path.display()))? {
            certs.push(c);
        }
    }
    if certs.is_empty() {
        return Err(format!("--ca {}: no certificate (PEM) in it", path.display()));
    }
    Ok(ureq::tls::RootCerts::Specific(Arc::new(certs)))
}

impl BoardClient {
    /// `base` like `http://127.0.0.1:8080` or `https://board.example`; TLS certificates are
    /// checked against the system's roots.
    pub fn new(base: &str) -> Self {
        Self::with_ca(base, None).expect("no CA file to read")
    }

    /// With `ca`, TLS certificates are checked against the CA certificates (PEM) in that file
    /// instead of the system's roots.
    pub fn with_ca(base: &str, ca: Option<&Path>) -> Result<Self, String> {
        Self::with_ca_and_wait(base, ca, None)
    }

    /// As [`BoardClient::with_ca`]; with `wait`, an answer whose status line and headers have
    /// not come within it is an error (a board that accepts the connection and never answers
    /// holds no one). Bodies are not limited in time: an answer may be long. Not set for the
    /// roles' steps, which the board may take long to check before it answers.
    pub fn with_ca_and_wait(base: &str, ca: Option<&Path>, wait: Option<Duration>) -> Result<Self, String> {
        use ureq::tls::{RootCerts, TlsConfig, TlsProvider};
        let roots = match ca {
            Some(path) => ca_roots(path)?,
            None => RootCerts::PlatformVerifier,
        };
        let tls = TlsConfig::builder().provider(TlsProvider::Rustls).root_certs(roots).build();
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_recv_response(wait)
            // Shorter than the board's idle timeout (10 s by default), so that a pooled
            // connection is not reused just as the board closes it.
            .max_idle_age(Duration::from_secs(5))
            .tls_config(tls)
            .build();
        Ok(BoardClient { base: base.trim_end_matches('/').to_string(), agent: ureq::Agent::new_with_config(config) })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// A raw request: the status and the body.
    pub fn request(&self, method: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> Result<(u16, Vec<u8>), String> {
        self.request_with(method, path, body, None)
    }

    /// A raw request with an `Authorization` header.
    pub fn request_with(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
        authorization: Option<&str>,
    ) -> Result<(u16, Vec<u8>), String> {
        let url = format!("{}{path}", self.base);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            (_, Some((content_type, bytes))) => {
                let mut request = self.agent.post(&url).header("content-type", content_type);
                if let Some(a) = authorization {
                    request = request.header("authorization", a);
                }
                request.send(&bytes[..])
            }
            (_, None) => self.agent.post(&url).send_empty(),
        };
        let mut response = response.map_err(|e| unreachable_reason(&url, &e))?;
        let status = response.status().as_u16();
        let bytes =
            response.body_mut().with_config().limit(u64::MAX).read_to_vec().map_err(|e| format!("{url}: {e}"))?;
        Ok((status, bytes))
    }

    /// A GET whose body is read as a stream, by the caller, within the caller's bounds: the
    /// status and the body.
    pub fn get_reader(&self, path: &str) -> Result<(u16, impl std::io::Read + use<>), String> {
        let url = format!("{}{path}", self.base);
        let response = self.agent.get(&url).call().map_err(|e| unreachable_reason(&url, &e))?;
        let status = response.status().as_u16();
        Ok((status, response.into_body().into_reader()))
    }

    fn json<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<T, Refusal> {
        self.json_with(method, path, body, None)
    }

    fn json_with<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
        authorization: Option<&str>,
    ) -> Result<T, Refusal> {
        let unreachable = |detail: String| Refusal { status: 0, code: "unreachable".into(), detail, receipt: None };
        let (status, bytes) = self
            .request_with(method, path, body.map(|b| ("application/json", b)), authorization)
            .map_err(unreachable)?;
        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes).map_err(|e| unreachable(format!("{path}: {e}")));
        }
        let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Err(Refusal {
            status,
            code: v["error"].as_str().unwrap_or("unknown").to_string(),
            detail: v["detail"].as_str().unwrap_or("").to_string(),
            receipt: serde_json::from_value(v["receipt"].clone()).ok().map(Box::new),
        })
    }

    /// A staff request: `body` (JSON) posted to `path`, signed by `signer` over a nonce the
    /// board issued just before. A nonce refused as expired is replaced once.
    pub fn post_signed<B: Serialize, R: CryptoRng + ?Sized>(
        &self,
        signer: &Signer,
        path: &str,
        body: &B,
        rng: &mut R,
    ) -> Result<Value, Refusal> {
        let body = serde_json::to_vec(body).expect("serializes");
        let mut tries = 0;
        loop {
            let issued = self.get("/staff/nonce")?;
            let nonce = issued["nonce"].as_str().and_then(|n| from_hex("nonce", n).ok()).ok_or_else(|| Refusal {
                status: 0,
                code: "unreachable".into(),
                detail: "/staff/nonce: no nonce in the answer".into(),
                receipt: None,
            })?;
            let line = RequestLine { method: "POST", path, body: &body };
            let header = authorize(&signer.setup, &signer.board_key, signer.role, &signer.key, &nonce, &line, rng);
            match self.json_with("POST", path, Some(body.clone()), Some(&header)) {
                Err(r) if r.code == "nonce" && tries == 0 => tries += 1,
                other => return other,
            }
        }
    }

    fn post<T: Serialize>(&self, path: &str, value: &T) -> Result<Receipt, Refusal> {
        self.json("POST", path, Some(serde_json::to_vec(value).expect("serializes")))
    }

    /// Casts `ballot`. If the board cannot be heard from (the reply may have been lost after
    /// the ballot was appended), the same ballot is posted once more: a board that has it
    /// answers 409 with its receipt, which is returned.
    pub fn cast(&self, ballot: &Ballot) -> Result<Receipt, Refusal> {
        match self.post("/ballots", ballot) {
            Err(lost) if lost.status == 0 => match self.post("/ballots", ballot) {
                Err(Refusal { status: 409, receipt: Some(receipt), .. }) => Ok(*receipt),
                Err(again) if again.status == 0 => Err(lost),
                other => other,
            },
            other => other,
        }
    }

    /// Hands a challenged ballot to the board, which holds it and publishes it at close:
    /// `{"status": "held", "tracking_code", "detail"}`.
    pub fn challenge(&self, spoiled: &SpoiledBallot) -> Result<Value, Refusal> {
        self.json("POST", "/spoiled", Some(serde_json::to_vec(spoiled).expect("serializes")))
    }

    /// An unsigned JSON request to `path` (the registrar's desk: the citizen's certificate in
    /// the body is what authenticates).
    pub fn post_json<T: Serialize>(&self, path: &str, value: &T) -> Result<Value, Refusal> {
        self.json("POST", path, Some(serde_json::to_vec(value).expect("serializes")))
    }

    pub fn cosign(&self, c: &crate::log::checkpoint::Cosignature) -> Result<Value, Refusal> {
        self.json("POST", "/witness/cosign", Some(serde_json::to_vec(c).expect("serializes")))
    }

    pub fn get(&self, path: &str) -> Result<Value, Refusal> {
        self.json("GET", path, None)
    }

    /// Downloads the record into `dir`: the latest signed snapshot, every file cut at the
    /// same size.
    pub fn download_record(&self, dir: &Path) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let index = self.get("/record").map_err(|r| r.to_string())?;
        let size = index["size"].as_u64().ok_or("/record: no size")?;
        for file in [HEADER_FILE, EVENTS_FILE, CHECKPOINTS_FILE, COSIGNATURES_FILE] {
            let path = format!("/record/{file}?size={size}");
            let (status, bytes) = self.request("GET", &path, None)?;
            if status != 200 {
                return Err(format!("{path}: status {status}"));
            }
            std::fs::write(dir.join(file), bytes).map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}
