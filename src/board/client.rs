//! A client of the board's HTTP API, for voters (`dauys vote --board`), tools and tests.
//! Plain HTTP: this build reaches boards on loopback or behind a TLS-terminating proxy.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::election::ballot::{Ballot, SpoiledBallot};
use crate::log::checkpoint::Receipt;
use crate::log::record::{CHECKPOINTS_FILE, COSIGNATURES_FILE, EVENTS_FILE, HEADER_FILE};

/// What the board answered with, when it was not a success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub code: String,
    pub detail: String,
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

impl BoardClient {
    /// `base` like `http://127.0.0.1:8080`.
    pub fn new(base: &str) -> Self {
        let config = ureq::Agent::config_builder().http_status_as_error(false).build();
        BoardClient { base: base.trim_end_matches('/').to_string(), agent: ureq::Agent::new_with_config(config) }
    }

    /// A raw request: the status and the body.
    pub fn request(&self, method: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> Result<(u16, Vec<u8>), String> {
        let url = format!("{}{path}", self.base);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            (_, Some((content_type, bytes))) => {
                self.agent.post(&url).header("content-type", content_type).send(&bytes[..])
            }
            (_, None) => self.agent.post(&url).send_empty(),
        };
        let mut response = response.map_err(|e| format!("{url}: {e}"))?;
        let status = response.status().as_u16();
        let bytes =
            response.body_mut().with_config().limit(u64::MAX).read_to_vec().map_err(|e| format!("{url}: {e}"))?;
        Ok((status, bytes))
    }

    fn json<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<T, Refusal> {
        let unreachable = |detail: String| Refusal { status: 0, code: "unreachable".into(), detail };
        let (status, bytes) = self.request(method, path, body.map(|b| ("application/json", b))).map_err(unreachable)?;
        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes).map_err(|e| unreachable(format!("{path}: {e}")));
        }
        let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Err(Refusal {
            status,
            code: v["error"].as_str().unwrap_or("unknown").to_string(),
            detail: v["detail"].as_str().unwrap_or("").to_string(),
        })
    }

    fn post<T: Serialize>(&self, path: &str, value: &T) -> Result<Receipt, Refusal> {
        self.json("POST", path, Some(serde_json::to_vec(value).expect("serializes")))
    }

    pub fn cast(&self, ballot: &Ballot) -> Result<Receipt, Refusal> {
        self.post("/ballots", ballot)
    }

    /// Hands a challenged ballot to the board, which holds it and publishes it at close:
    /// `{"status": "held", "tracking_code", "detail"}`.
    pub fn challenge(&self, spoiled: &SpoiledBallot) -> Result<Value, Refusal> {
        self.json("POST", "/spoiled", Some(serde_json::to_vec(spoiled).expect("serializes")))
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
