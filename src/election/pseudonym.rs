//! Roll pseudonyms: what the public record shows of a roll entry.
//!
//! ```text
//! P = HMAC-SHA256(k_P, "dauys/pseudonym/v1" ‖ election id ‖ 0x00 ‖ IIN)
//! ```
//!
//! An IIN has little entropy (birth date, sex, a serial, a check digit: about 2^30 values a
//! year of birth), so an unkeyed hash of it would be inverted by trying them all. The
//! registrar's key `k_P` makes `P` unlinkable to the IIN for everyone without it; an accredited
//! observer who receives the roll and `k_P` recomputes every `P` (`specs/record.md` §11.6).

use hmac::{Hmac, KeyInit, Mac};
use rand::CryptoRng;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::ElectionError;
use crate::crypto::group::{from_hex, to_hex};

/// The domain of a pseudonym's HMAC input.
pub const PSEUDONYM_LABEL: &[u8] = b"dauys/pseudonym/v1";

/// The registrar's pseudonym key `k_P` (32 bytes), erased when dropped.
pub struct PseudonymKey(Zeroizing<[u8; 32]>);

impl PseudonymKey {
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(key.as_mut());
        PseudonymKey(key)
    }

    /// 64 lowercase hex digits, as the key file holds it.
    pub fn from_hex(text: &str) -> Result<Self, ElectionError> {
        let bytes = Zeroizing::new(
            from_hex("pseudonym key", text.trim()).map_err(|e| ElectionError::Registration(e.to_string()))?,
        );
        let key: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| ElectionError::Registration("a pseudonym key is 32 bytes (64 hex digits)".into()))?;
        Ok(PseudonymKey(Zeroizing::new(key)))
    }

    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(to_hex(self.0.as_ref()))
    }

    /// `P` for the citizen with `iin` in election `election_id`.
    pub fn pseudonym(&self, election_id: &str, iin: &str) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.0.as_ref()).expect("HMAC takes any key length");
        mac.update(PSEUDONYM_LABEL);
        mac.update(election_id.as_bytes());
        mac.update(&[0]);
        mac.update(iin.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PseudonymKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231 test case 2 fixes the HMAC itself; this fixes the input layout.
    #[test]
    fn pseudonym_is_hmac_of_the_labelled_input() {
        let key = PseudonymKey::from_hex(&"0b".repeat(32)).unwrap();
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&[0x0b; 32]).unwrap();
        mac.update(b"dauys/pseudonym/v1e1\x00900101300017");
        let expected: [u8; 32] = mac.finalize().into_bytes().into();
        assert_eq!(key.pseudonym("e1", "900101300017"), expected);
        // Election, IIN and key each change it; the separator keeps (id, IIN) unambiguous.
        assert_ne!(key.pseudonym("e2", "900101300017"), expected);
        assert_ne!(key.pseudonym("e1", "900101300018"), expected);
        assert_ne!(key.pseudonym("e1\u{0}9", "00101300017"), expected);
        let other = PseudonymKey::from_hex(&"0c".repeat(32)).unwrap();
        assert_ne!(other.pseudonym("e1", "900101300017"), expected);
    }

    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let out: [u8; 32] = mac.finalize().into_bytes().into();
        assert_eq!(to_hex(&out), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn keys_round_trip_and_bad_keys_are_named() {
        let key = PseudonymKey::generate(&mut rand::rng());
        let back = PseudonymKey::from_hex(&key.to_hex()).unwrap();
        assert_eq!(key.pseudonym("e", "1"), back.pseudonym("e", "1"));
        assert!(PseudonymKey::from_hex("00").unwrap_err().to_string().contains("32 bytes"));
        assert!(PseudonymKey::from_hex("zz").is_err());
        assert_eq!(format!("{key:?}"), "PseudonymKey(<redacted>)");
    }
}
