//! Who may post what to a running board: the staff roles' keys and signed requests
//! (`specs/record.md` §13.3).
//!
//! ```text
//! roles        operator                 key O (its secret in the operator's key file, from `board init`)
//!              trustee i, first message  enrollment key C_i = c_i·g, c_i from a one-time code the
//!                                        operator hands to trustee i
//!              trustee i, after          its transport key E_i, as posted in its transport_key event
//! request      Authorization: Dauys role=R,nonce=N,signature=σ
//!              σ = Schnorr by the role's key on "dauys/staff-request"
//!                  (F_s, B, R, method, path, SHA-256(body), N)
//! nonce        N = t ‖ r ‖ SHA-256("dauys/nonce" ‖ k ‖ t ‖ r)[..16]   issued by GET /staff/nonce
//!              t: milliseconds since 1970 (8 bytes, big-endian), r: 16 random bytes, k: the
//!              board process's random key; good for NONCE_LIFETIME and once
//! ```
//!
//! A trustee's transport key is its identity: once posted, it signs that trustee's requests,
//! so nobody else can post trustee i's dealing, complaints, readiness or decryption, and the
//! enrollment code is spent. The board keeps only public keys (`DIR/access.json`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand::CryptoRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256, Sha512};

use crate::crypto::group::{Element, Fingerprint, SecretScalar, from_hex, hex_array, scalar_from_bytes, to_hex};
use crate::crypto::schnorr::SchnorrProof;
use crate::crypto::transcript;
use crate::election::credential::Credential;
use crate::log::event::Event;

/// The board's access configuration in its directory: public keys only.
pub const ACCESS_FILE: &str = "access.json";
/// How long an issued nonce may be used.
pub const NONCE_LIFETIME: Duration = Duration::from_secs(120);
/// Bytes in a nonce: time, randomness, tag.
pub const NONCE_LEN: usize = 8 + 16 + 16;
/// The authorization scheme's name in the `Authorization` header.
pub const SCHEME: &str = "Dauys";

/// A member of the election staff, as requests name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Operator,
    Trustee(u32),
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Role::Operator => f.write_str("operator"),
            Role::Trustee(i) => write!(f, "trustee-{i}"),
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        match s.strip_prefix("trustee-") {
            _ if s == "operator" => Ok(Role::Operator),
            Some(i) if !i.starts_with('0') || i == "0" => {
                i.parse().map(Role::Trustee).map_err(|_| format!("no role {s:?}"))
            }
            _ => Err(format!("no role {s:?} (operator or trustee-N)")),
        }
    }
}

/// Whose event it is: the only role that may post it through the staff endpoints. Ballots
/// are posted by anyone (`/ballots`, `/spoiled`); the setup only by `board init`.
pub fn author(event: &Event) -> Option<Role> {
    match event {
        Event::TransportKey(k) => Some(Role::Trustee(k.trustee)),
        Event::Dealing(d) => Some(Role::Trustee(d.dealer)),
        Event::Complaint(c) => Some(Role::Trustee(c.recipient)),
        Event::Ready(r) => Some(Role::Trustee(r.trustee)),
        Event::Decryption(d) => Some(Role::Trustee(d.trustee)),
        Event::Shuffle(s) => Some(Role::Trustee(s.shuffler)),
        // The registrar's events, posted by the operator in this prototype.
        Event::Roll(_) | Event::Registration(_) | Event::RegistrationClose => Some(Role::Operator),
        Event::Open(_) | Event::Close | Event::Tally(_) | Event::Result(_) => Some(Role::Operator),
        Event::Setup(_) | Event::Cast(_) | Event::Spoiled(_) => None,
    }
}

/// The roles' public keys, fixed by `board init`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Access {
    /// Trustee i's enrollment key is entry i − 1.
    pub enrollment: Vec<Element>,
    pub operator: Element,
}

/// What `board init` hands out: the operator's secret key and one enrollment code per trustee.
pub struct StaffSecrets {
    pub operator: SecretScalar,
    pub codes: Vec<Credential>,
}

impl Access {
    /// Fresh staff keys for a board of `trustees` trustees.
    pub fn generate<R: CryptoRng + ?Sized>(setup: &Fingerprint, trustees: u32, rng: &mut R) -> (Access, StaffSecrets) {
        let operator = SecretScalar::random(rng);
        let codes: Vec<Credential> = (0..trustees).map(|_| Credential::generate(rng)).collect();
        let enrollment = codes.iter().zip(1..).map(|(c, i)| enrollment_key(setup, i, c).public()).collect();
        (Access { enrollment, operator: operator.public() }, StaffSecrets { operator, codes })
    }

    pub fn read(dir: &Path) -> Result<Option<Access>, String> {
        let path = dir.join(ACCESS_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    pub fn write(&self, dir: &Path) -> Result<(), String> {
        let path = dir.join(ACCESS_FILE);
        std::fs::write(&path, serde_json::to_string(self).expect("serializes"))
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The key that signs `role`'s requests now: the operator's; for a trustee its transport
    /// key once posted (`transport`), before that its enrollment key.
    pub fn key_of(&self, role: Role, transport: Option<&Element>) -> Result<Element, String> {
        match role {
            Role::Operator => Ok(self.operator),
            Role::Trustee(i) => match transport {
                Some(key) => Ok(*key),
                None => i
                    .checked_sub(1)
                    .and_then(|k| self.enrollment.get(k as usize))
                    .copied()
                    .ok_or_else(|| format!("this board has no trustee {i}")),
            },
        }
    }
}

/// Trustee i's enrollment key from its code:
/// `c_i = SHA-512("dauys/enrollment/v1" ‖ F_s ‖ LE32(i) ‖ the code's 32 hex digits) mod ℓ`.
pub fn enrollment_key(setup: &Fingerprint, trustee: u32, code: &Credential) -> SecretScalar {
    let digits = zeroize::Zeroizing::new(code.as_str().replace('-', ""));
    let mut h = Sha512::new();
    h.update(b"dauys/enrollment/v1");
    h.update(setup.as_bytes());
    h.update(trustee.to_le_bytes());
    h.update(digits.as_bytes());
    let mut wide = zeroize::Zeroizing::new([0u8; 64]);
    wide.copy_from_slice(&h.finalize());
    SecretScalar::new(curve25519_dalek::scalar::Scalar::from_bytes_mod_order_wide(&wide))
}

/// The signed part of a request, as the board sees it.
pub struct RequestLine<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub body: &'a [u8],
}

impl RequestLine<'_> {
    fn transcript(
        &self,
        setup: &Fingerprint,
        board_key: &Element,
        role: Role,
        nonce: &[u8],
    ) -> transcript::ChallengeTranscript {
        let digest: [u8; 32] = Sha256::digest(self.body).into();
        transcript::staff_request(setup, board_key, &role.to_string(), self.method, self.path, &digest, nonce)
    }
}

/// The `Authorization` header value for `request` by `role` with `key`.
pub fn authorize<R: CryptoRng + ?Sized>(
    setup: &Fingerprint,
    board_key: &Element,
    role: Role,
    key: &SecretScalar,
    nonce: &[u8],
    request: &RequestLine<'_>,
    rng: &mut R,
) -> String {
    let signature = SchnorrProof::prove(request.transcript(setup, board_key, role, nonce), key, rng);
    format!("{SCHEME} role={role},nonce={},signature={}", to_hex(nonce), to_hex(&signature.to_bytes()))
}

/// A parsed `Authorization` header (not yet verified).
pub struct Authorization {
    pub role: Role,
    pub nonce: Vec<u8>,
    pub signature: SchnorrProof,
}

impl Authorization {
    pub fn parse(header: &str) -> Result<Authorization, String> {
        let rest = header
            .strip_prefix(SCHEME)
            .and_then(|r| r.strip_prefix(' '))
            .ok_or_else(|| format!("expected `{SCHEME} role=…,nonce=…,signature=…`"))?;
        let mut fields: HashMap<&str, &str> = HashMap::new();
        for part in rest.split(',') {
            let (k, v) = part.trim().split_once('=').ok_or_else(|| format!("{part:?} is not key=value"))?;
            if fields.insert(k, v).is_some() {
                return Err(format!("{k} given twice"));
            }
        }
        let field = |k: &str| fields.get(k).copied().ok_or_else(|| format!("no {k}"));
        if fields.len() != 3 {
            return Err("expected exactly role, nonce and signature".into());
        }
        let role = field("role")?.parse()?;
        let nonce = from_hex("nonce", field("nonce")?).map_err(|e| e.to_string())?;
        let sig: [u8; 64] = hex_array("signature", field("signature")?).map_err(|e| e.to_string())?;
        let commitment = Element::from_bytes("signature", &sig[..32]).map_err(|e| e.to_string())?;
        let response =
            scalar_from_bytes("signature", sig[32..].try_into().expect("32 bytes")).map_err(|e| e.to_string())?;
        Ok(Authorization { role, nonce, signature: SchnorrProof { commitment, response } })
    }

    /// Checks the signature by `key` over `request`.
    pub fn verify(
        &self,
        setup: &Fingerprint,
        board_key: &Element,
        key: &Element,
        request: &RequestLine<'_>,
    ) -> Result<(), String> {
        self.signature
            .verify(request.transcript(setup, board_key, self.role, &self.nonce), key)
            .map_err(|_| format!("the request's signature is not {}'s", self.role))
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// The board's nonces: issued without state (authenticated by a key of this process), and
/// each remembered once used until it expires, so a signed request is accepted once. Only
/// nonces of requests whose signature verified are remembered, so strangers cannot fill the
/// memory; a restart changes the key and so voids every nonce issued before.
pub struct Nonces {
    key: zeroize::Zeroizing<[u8; 32]>,
    used: Mutex<HashMap<[u8; NONCE_LEN], u64>>,
}

impl Default for Nonces {
    fn default() -> Self {
        Nonces::new()
    }
}

impl Nonces {
    pub fn new() -> Nonces {
        let mut key = zeroize::Zeroizing::new([0u8; 32]);
        rand::Rng::fill_bytes(&mut rand::rng(), key.as_mut());
        Nonces { key, used: Mutex::new(HashMap::new()) }
    }

    fn tag(&self, head: &[u8]) -> [u8; 16] {
        let mut h = Sha256::new();
        h.update(b"dauys/nonce");
        h.update(self.key.as_ref());
        h.update(head);
        h.finalize()[..16].try_into().expect("16 bytes")
    }

    pub fn issue(&self) -> [u8; NONCE_LEN] {
        let mut nonce = [0u8; NONCE_LEN];
        nonce[..8].copy_from_slice(&now_ms().to_be_bytes());
        rand::Rng::fill_bytes(&mut rand::rng(), &mut nonce[8..24]);
        let tag = self.tag(&nonce[..24]);
        nonce[24..].copy_from_slice(&tag);
        nonce
    }

    /// Whether `nonce` was issued here, is fresh and unused; if so it is now used.
    pub fn redeem(&self, nonce: &[u8]) -> Result<(), String> {
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| "the nonce is not one this board issued")?;
        if !bool::from(subtle::ConstantTimeEq::ct_eq(&self.tag(&nonce[..24])[..], &nonce[24..])) {
            return Err("the nonce is not one this board issued (or the board restarted): get a new one".into());
        }
        let issued = u64::from_be_bytes(nonce[..8].try_into().expect("8 bytes"));
        let (now, lifetime) = (now_ms(), NONCE_LIFETIME.as_millis() as u64);
        if now.saturating_sub(issued) > lifetime {
            return Err("the nonce has expired: get a new one".into());
        }
        let mut used = self.used.lock().expect("nonce lock");
        used.retain(|_, expires| *expires >= now);
        if used.insert(nonce, issued + lifetime).is_some() {
            return Err("this request was made before (a replay)".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FP: Fingerprint = Fingerprint([3; 32]);

    #[test]
    fn roles_print_and_parse() {
        for role in [Role::Operator, Role::Trustee(1), Role::Trustee(12)] {
            assert_eq!(role.to_string().parse::<Role>().unwrap(), role);
        }
        for bad in ["", "admin", "trustee-", "trustee-x", "trustee-01", "trustee-1 ", "Operator"] {
            assert!(bad.parse::<Role>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_signature_covers_board_role_request_and_nonce() {
        let mut rng = rand::rng();
        let board = SecretScalar::random(&mut rng).public();
        let key = SecretScalar::random(&mut rng);
        let nonces = Nonces::new();
        let nonce = nonces.issue();
        let request = RequestLine { method: "POST", path: "/operator/close", body: b"{}" };
        let header = authorize(&FP, &board, Role::Operator, &key, &nonce, &request, &mut rng);
        let auth = Authorization::parse(&header).unwrap();
        assert_eq!(auth.role, Role::Operator);
        auth.verify(&FP, &board, &key.public(), &request).unwrap();
        let other = SecretScalar::random(&mut rng).public();
        let variants = [
            (FP, board, key.public(), RequestLine { method: "GET", ..request }),
            (FP, board, key.public(), RequestLine { path: "/operator/tally", ..request }),
            (FP, board, key.public(), RequestLine { body: b"{ }", ..request }),
            (Fingerprint([4; 32]), board, key.public(), RequestLine { ..request }),
            (FP, other, key.public(), RequestLine { ..request }),
            (FP, board, other, RequestLine { ..request }),
        ];
        for (i, (fp, b, k, r)) in variants.iter().enumerate() {
            assert!(auth.verify(fp, b, k, r).is_err(), "variant {i} verified");
        }
        let mut moved = Authorization::parse(&header).unwrap();
        moved.role = Role::Trustee(1);
        assert!(moved.verify(&FP, &board, &key.public(), &request).is_err(), "the role is signed");
        let mut renonced = Authorization::parse(&header).unwrap();
        renonced.nonce = nonces.issue().to_vec();
        assert!(renonced.verify(&FP, &board, &key.public(), &request).is_err(), "the nonce is signed");
        for bad in
            ["", "Basic x", "Dauys role=operator", &header.replace("role=operator", "role=operator,role=operator")]
        {
            assert!(Authorization::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn nonces_are_ours_fresh_and_used_once() {
        let nonces = Nonces::new();
        let nonce = nonces.issue();
        nonces.redeem(&nonce).unwrap();
        assert!(nonces.redeem(&nonce).unwrap_err().contains("replay"));
        let mut forged = nonces.issue();
        forged[10] ^= 1;
        assert!(nonces.redeem(&forged).is_err(), "a nonce this board did not issue");
        assert!(Nonces::new().redeem(&nonces.issue()).is_err(), "another process's nonce (a restart)");
        let mut old = [0u8; NONCE_LEN];
        old[..8].copy_from_slice(&(now_ms() - NONCE_LIFETIME.as_millis() as u64 - 1000).to_be_bytes());
        let tag = nonces.tag(&old[..24]);
        old[24..].copy_from_slice(&tag);
        assert!(nonces.redeem(&old).unwrap_err().contains("expired"));
        assert!(nonces.redeem(&nonce[..10]).is_err());
    }

    #[test]
    fn enrollment_keys_are_per_board_trustee_and_code() {
        let mut rng = rand::rng();
        let (access, secrets) = Access::generate(&FP, 3, &mut rng);
        assert_eq!(access.operator, secrets.operator.public());
        for (i, code) in (1..).zip(&secrets.codes) {
            let parsed = Credential::parse(&code.as_str().to_uppercase()).unwrap();
            assert_eq!(enrollment_key(&FP, i, &parsed).public(), access.enrollment[i as usize - 1]);
            assert_ne!(enrollment_key(&FP, i + 1, code).public(), access.enrollment[i as usize - 1]);
            assert_ne!(enrollment_key(&Fingerprint([4; 32]), i, code).public(), access.enrollment[i as usize - 1]);
        }
        let t = SecretScalar::random(&mut rng).public();
        assert_eq!(access.key_of(Role::Trustee(2), None).unwrap(), access.enrollment[1]);
        assert_eq!(access.key_of(Role::Trustee(2), Some(&t)).unwrap(), t, "once posted, the transport key");
        assert!(access.key_of(Role::Trustee(4), None).is_err());
        assert!(access.key_of(Role::Trustee(0), None).is_err());
    }
}
