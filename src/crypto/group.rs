//! The group: ristretto255 (RFC 9496), its scalars, and their canonical encodings.
//!
//! Every point and scalar has exactly one valid 32-byte encoding. Decoding a point
//! guarantees a prime-order group element, so there are no subgroup checks; a
//! non-canonical encoding is an error, never silently reduced.
//!
//! Text form (JSON): lowercase hexadecimal, 64 characters for 32 bytes. Upper-case digits,
//! a `0x` prefix, whitespace or any other length are rejected, so that every value has
//! one text form and re-serializing a record gives the same bytes. The canonical JSON of a
//! value is what dauys writes for it (`specs/record.md` §1): struct fields are declared in
//! alphabetical order, so plain objects have sorted keys; a tagged enum writes its tag first.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use rand::CryptoRng;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{CryptoError, Result};

/// The fixed generator `g` of ristretto255.
pub const G: RistrettoPoint = curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;

/// `s·g` in constant time, from dalek's precomputed table.
pub fn mul_g(s: &Scalar) -> RistrettoPoint {
    s * RISTRETTO_BASEPOINT_TABLE
}

/// A uniformly random scalar from the given CSPRNG.
pub fn random_scalar<R: CryptoRng + ?Sized>(rng: &mut R) -> Scalar {
    Scalar::random(rng)
}

fn encoding_error(field: &str, reason: impl Into<String>) -> CryptoError {
    CryptoError::Encoding { field: field.to_string(), reason: reason.into() }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// The two lowercase hex digits of `b`.
fn hex_pair(b: u8) -> [u8; 2] {
    [HEX_DIGITS[(b >> 4) as usize], HEX_DIGITS[(b & 15) as usize]]
}

/// Lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().flat_map(|b| hex_pair(*b).map(char::from)).collect()
}

/// Lowercase hex of 32 bytes, on the stack (serializers call this for every point and scalar).
pub struct Hex32([u8; 64]);

impl Hex32 {
    pub fn new(bytes: &[u8; 32]) -> Self {
        let mut out = [0u8; 64];
        for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
            pair.copy_from_slice(&hex_pair(*b));
        }
        Hex32(out)
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("hex digits are ASCII")
    }
}

/// The value of each lowercase hex digit; 0xff for every other byte.
const HEX_VALUES: [u8; 256] = {
    let mut table = [0xffu8; 256];
    let mut i = 0;
    while i < 16 {
        table[HEX_DIGITS[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Decodes lowercase hex into `out` (`text` has exactly twice its length); on a bad digit,
/// the error names `field` and the digit's position.
fn decode_hex_into(field: &str, text: &[u8], out: &mut [u8]) -> Result<()> {
    debug_assert_eq!(text.len(), 2 * out.len());
    let mut bad = 0u8;
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let (hi, lo) = (HEX_VALUES[pair[0] as usize], HEX_VALUES[pair[1] as usize]);
        bad |= hi | lo;
        *byte = (hi << 4) | (lo & 15);
    }
    // Valid digits are below 16; any 0xff marks a bad one, found again for the message.
    if bad & 0xf0 != 0 {
        let pos = text.iter().position(|c| HEX_VALUES[*c as usize] == 0xff).expect("a bad digit");
        return Err(encoding_error(
            field,
            format!("character {:?} at position {pos} is not a lowercase hex digit", text[pos] as char),
        ));
    }
    Ok(())
}

/// Decodes lowercase hex of any even length; `field` names the value in errors.
pub fn from_hex(field: &str, text: &str) -> Result<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return Err(encoding_error(field, format!("odd number of hex digits ({})", text.len())));
    }
    let mut out = vec![0u8; text.len() / 2];
    decode_hex_into(field, text.as_bytes(), &mut out)?;
    Ok(out)
}

/// Decodes exactly `N` bytes from `2N` lowercase hex digits; `field` names the value in errors.
pub fn hex_array<const N: usize>(field: &str, text: &str) -> Result<[u8; N]> {
    if text.len() != 2 * N {
        return Err(encoding_error(
            field,
            format!("expected {} lowercase hex digits, found {} characters", 2 * N, text.len()),
        ));
    }
    let mut out = [0u8; N];
    decode_hex_into(field, text.as_bytes(), &mut out)?;
    Ok(out)
}

/// Decodes exactly 32 bytes from 64 lowercase hex digits.
pub fn hex32(field: &str, text: &str) -> Result<[u8; 32]> {
    hex_array(field, text)
}

/// A group element together with its canonical encoding.
///
/// Public values (keys, ciphertexts, commitments) are decoded once, when they are read,
/// and keep their 32 bytes for the transcripts, so nothing is decoded or encoded twice.
#[derive(Clone, Copy, Debug)]
pub struct Element {
    point: RistrettoPoint,
    encoding: CompressedRistretto,
}

impl Element {
    /// Wraps a point, computing its encoding.
    pub fn from_point(point: RistrettoPoint) -> Self {
        Element { encoding: point.compress(), point }
    }

    /// Decodes a canonical encoding; `field` names the value in the error.
    pub fn from_bytes(field: &str, bytes: &[u8]) -> Result<Self> {
        let array: [u8; 32] =
            bytes.try_into().map_err(|_| encoding_error(field, format!("expected 32 bytes, found {}", bytes.len())))?;
        let encoding = CompressedRistretto(array);
        let point = encoding
            .decompress()
            .ok_or_else(|| encoding_error(field, "not the canonical encoding of a ristretto255 point"))?;
        Ok(Element { point, encoding })
    }

    /// An encoding and the point [`decode`](super::decode) decoded from it.
    pub(super) fn from_decoded(encoding: [u8; 32], point: RistrettoPoint) -> Self {
        Element { point, encoding: CompressedRistretto(encoding) }
    }

    /// Decodes the hex text form; `field` names the value in the error.
    pub fn from_hex(field: &str, text: &str) -> Result<Self> {
        Element::from_bytes(field, &hex32(field, text)?)
    }

    pub fn point(&self) -> &RistrettoPoint {
        &self.point
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        self.encoding.0
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        self.encoding.as_bytes()
    }

    pub fn to_hex(&self) -> String {
        to_hex(self.as_bytes())
    }

    /// The neutral element.
    pub fn identity() -> Self {
        Element::from_point(RistrettoPoint::default())
    }

    /// The generator `g`.
    pub fn generator() -> Self {
        Element::from_point(G)
    }
}

// Canonical encodings are unique, so comparing encodings compares elements.
impl PartialEq for Element {
    fn eq(&self, other: &Self) -> bool {
        self.encoding == other.encoding
    }
}
impl Eq for Element {}

/// For the secret points of the key ceremony (a Diffie–Hellman secret before it is revealed):
/// both the point and its encoding are cleared.
impl Zeroize for Element {
    fn zeroize(&mut self) {
        self.point.zeroize();
        self.encoding.zeroize();
    }
}

impl std::hash::Hash for Element {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.encoding.0.hash(state)
    }
}

impl Serialize for Element {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(Hex32::new(self.as_bytes()).as_str())
    }
}

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        decode_str(deserializer, |text| Element::from_hex("point", text).map_err(reason_of))
    }
}

/// Deserializes a string and hands it to `decode` without copying it (serde's `Cow<str>`
/// always allocates); `decode`'s error becomes the deserializer's.
pub fn decode_str<'de, D, T>(
    deserializer: D,
    decode: impl FnOnce(&str) -> std::result::Result<T, String>,
) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct Text<F>(F);
    impl<'de, T, F: FnOnce(&str) -> std::result::Result<T, String>> serde::de::Visitor<'de> for Text<F> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<T, E> {
            (self.0)(v).map_err(E::custom)
        }
    }
    deserializer.deserialize_str(Text(decode))
}

fn reason_of(error: CryptoError) -> String {
    match error {
        CryptoError::Encoding { reason, .. } => reason,
        other => other.to_string(),
    }
}

/// Decodes a canonical scalar (an integer below ℓ, little-endian); `field` names it in errors.
pub fn scalar_from_bytes(field: &str, bytes: [u8; 32]) -> Result<Scalar> {
    Option::from(Scalar::from_canonical_bytes(bytes))
        .ok_or_else(|| encoding_error(field, "not a canonical scalar (must be below the group order ℓ)"))
}

/// Decodes a scalar from its hex text form.
pub fn scalar_from_hex(field: &str, text: &str) -> Result<Scalar> {
    scalar_from_bytes(field, hex32(field, text)?)
}

/// Serde adapter for public scalars in their hex form: `#[serde(with = "hex_scalar")]`.
pub mod hex_scalar {
    use super::*;

    pub fn serialize<S: Serializer>(s: &Scalar, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(Hex32::new(s.as_bytes()).as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Scalar, D::Error> {
        decode_str(deserializer, |text| scalar_from_hex("scalar", text).map_err(reason_of))
    }
}

/// Serde adapter for 32 public bytes (a digest, a revealed seed) in their hex form:
/// `#[serde(with = "hex_bytes32")]`.
pub mod hex_bytes32 {
    use super::*;

    pub fn serialize<S: Serializer>(b: &[u8; 32], serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(Hex32::new(b).as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<[u8; 32], D::Error> {
        decode_str(deserializer, |text| hex32("bytes", text).map_err(reason_of))
    }
}

/// Serde adapter for an optional 32-byte value, absent when `None` (pair it with
/// `#[serde(default, skip_serializing_if = "Option::is_none")]`).
pub mod hex_bytes32_option {
    use super::*;

    pub fn serialize<S: Serializer>(b: &Option<[u8; 32]>, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match b {
            Some(b) => serializer.serialize_str(Hex32::new(b).as_str()),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Option<[u8; 32]>, D::Error> {
        super::hex_bytes32::deserialize(deserializer).map(Some)
    }
}

/// Serde adapter for a list of public scalars.
pub mod hex_scalars {
    use super::*;

    pub fn serialize<S: Serializer>(list: &[Scalar], serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(list.len()))?;
        for s in list {
            seq.serialize_element(Hex32::new(s.as_bytes()).as_str())?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Vec<Scalar>, D::Error> {
        // Same layout, so the collect reuses the allocation.
        Ok(Vec::<ScalarText>::deserialize(deserializer)?.into_iter().map(|s| s.0).collect())
    }

    struct ScalarText(Scalar);
    impl<'de> Deserialize<'de> for ScalarText {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
            super::hex_scalar::deserialize(deserializer).map(ScalarText)
        }
    }
}

/// A 32-byte digest that pins down a context: the election fingerprint (manifest,
/// parameters, joint key, credential list) or, before the joint key exists, the setup
/// fingerprint (manifest and parameters). Every proof binds one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(Hex32::new(&self.0).as_str())
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        decode_str(deserializer, |text| hex32("fingerprint", text).map(Fingerprint).map_err(reason_of))
    }
}

/// A secret scalar: zeroized when dropped, never printed, never serialized by accident.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretScalar(Scalar);

impl SecretScalar {
    pub fn new(s: Scalar) -> Self {
        SecretScalar(s)
    }

    pub fn random<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        SecretScalar(Scalar::random(rng))
    }

    /// The secret itself; keep the borrow short.
    pub fn expose(&self) -> &Scalar {
        &self.0
    }

    /// The public element `s·g`.
    pub fn public(&self) -> Element {
        Element::from_point(mul_g(&self.0))
    }
}

impl std::fmt::Debug for SecretScalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretScalar(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_strictness() {
        let bytes: [u8; 32] = std::array::from_fn(|i| (i * 7 + 3) as u8);
        let text = to_hex(&bytes);
        assert_eq!(hex32("x", &text).unwrap(), bytes);
        assert!(hex32("x", &text.to_uppercase()).is_err());
        assert!(hex32("x", &text[..62]).is_err());
        assert!(hex32("x", &format!("{text}00")).is_err());
        let mut bad = text.clone().into_bytes();
        bad[10] = b'g';
        let err = hex32("ballot.alpha", std::str::from_utf8(&bad).unwrap()).unwrap_err();
        assert!(err.to_string().contains("ballot.alpha"), "{err}");
        assert!(err.to_string().contains("position 10"), "{err}");
    }

    #[test]
    fn non_canonical_scalar_is_rejected() {
        // ℓ itself is not canonical; ℓ - 1 is.
        let mut ell = [0u8; 32];
        ell.copy_from_slice(&hex32("l", "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010").unwrap());
        assert!(scalar_from_bytes("z", ell).is_err());
        ell[0] -= 1;
        assert_eq!(scalar_from_bytes("z", ell).unwrap(), -Scalar::ONE);
        assert!(scalar_from_bytes("z", [0xff; 32]).is_err());
    }

    #[test]
    fn element_decoding_names_the_field() {
        let err = Element::from_bytes("trustee 2 commitment 0", &[0xff; 32]).unwrap_err();
        assert!(err.to_string().starts_with("trustee 2 commitment 0:"), "{err}");
        let err = Element::from_bytes("key", &[0; 31]).unwrap_err();
        assert!(err.to_string().contains("expected 32 bytes"), "{err}");
    }
}
