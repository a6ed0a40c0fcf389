//! Voter credentials: the secret a voter holds, and the public key the list publishes.
//!
//! ```text
//! credential string  c = 32 random hex digits (128 bits), shown in groups of four
//! secret key         x = SHA-512("dauys/credential/v1" ‖ election id ‖ 0x00 ‖ c) mod ℓ
//! public credential  X = x·g                      (what the published list holds)
//! ```
//!
//! The string is what the registrar hands out; it is bound to one election by its id. The
//! published list holds only public credentials, in a canonical (sorted) order, and never an
//! identity.

use rand::CryptoRng;
use sha2::{Digest, Sha512};
use zeroize::{Zeroize, Zeroizing};

use super::ElectionError;
use crate::crypto::elgamal::KeyPair;
use crate::crypto::group::{Element, SecretScalar, to_hex};

/// Hex digits in a credential string (without separators).
const DIGITS: usize = 32;

/// A voter's secret credential string.
pub struct Credential(Zeroizing<String>);

impl Credential {
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = Zeroizing::new([0u8; DIGITS / 2]);
        rng.fill_bytes(bytes.as_mut());
        let hex = Zeroizing::new(to_hex(bytes.as_ref()));
        let grouped: Vec<&str> = (0..DIGITS / 4).map(|i| &hex[4 * i..4 * i + 4]).collect();
        Credential(Zeroizing::new(grouped.join("-")))
    }

    /// Parses what a voter typed: 32 hex digits, in any case, with or without dashes and
    /// spaces.
    pub fn parse(text: &str) -> Result<Self, ElectionError> {
        // Sized once, so that no reallocation leaves a partial copy of the secret behind.
        let mut digits: Zeroizing<String> = Zeroizing::new(String::with_capacity(text.len()));
        digits.extend(text.chars().filter(|c| *c != '-' && !c.is_whitespace()).map(|c| c.to_ascii_lowercase()));
        if digits.len() != DIGITS || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(ElectionError::Credential(format!(
                "a credential is {DIGITS} hexadecimal digits (dashes and spaces allowed), found {} after removing dashes and spaces",
                digits.chars().count()
            )));
        }
        let grouped: Vec<&str> = (0..DIGITS / 4).map(|i| &digits[4 * i..4 * i + 4]).collect();
        Ok(Credential(Zeroizing::new(grouped.join("-"))))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The signing key pair for `election_id`. The hash state (sha2's `zeroize` feature), the
    /// digits and the wide output are all cleared after use.
    pub fn key_pair(&self, election_id: &str) -> KeyPair {
        let mut digits: Zeroizing<String> = Zeroizing::new(String::with_capacity(DIGITS));
        digits.extend(self.0.chars().filter(|c| *c != '-'));
        let mut h = Sha512::new();
        h.update(b"dauys/credential/v1");
        h.update(election_id.as_bytes());
        h.update([0u8]);
        h.update(digits.as_bytes());
        let mut wide = Zeroizing::new([0u8; 64]);
        h.finalize_into((&mut *wide).into());
        let mut scalar = curve25519_dalek::scalar::Scalar::from_bytes_mod_order_wide(&wide);
        let secret = SecretScalar::new(scalar);
        scalar.zeroize();
        KeyPair { public: secret.public(), secret }
    }

    pub fn public(&self, election_id: &str) -> Element {
        self.key_pair(election_id).public
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credential(<redacted>)")
    }
}

/// The published list of public credentials: distinct, in ascending byte order.
///
/// Kept as encodings (32 bytes an entry, where a decoded point takes 192): the list is only
/// searched and hashed, and at national scale it has millions of entries. Every entry is
/// decoded once when the list is read, so it holds valid points only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CredentialList(Vec<[u8; 32]>);

impl serde::Serialize for CredentialList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for c in &self.0 {
            seq.serialize_element(crate::crypto::group::Hex32::new(c).as_str())?;
        }
        seq.end()
    }
}

impl<'de> serde::Deserialize<'de> for CredentialList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = CredentialList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of credentials (points)")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<CredentialList, A::Error> {
                // The entries' points are decoded together (in lanes where the CPU allows),
                // a batch at a time.
                let mut out: Vec<[u8; 32]> = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                let mut checked = 0;
                while let Some(Entry(bytes)) = seq.next_element::<Entry>()? {
                    out.push(bytes);
                    if out.len() - checked == DECODE_BATCH {
                        check_points(&out, &mut checked)?;
                    }
                }
                check_points(&out, &mut checked)?;
                // Kept for the whole verification: no slack from the doubling growth.
                out.shrink_to_fit();
                Ok(CredentialList(out))
            }
        }
        deserializer.deserialize_seq(Entries)
    }
}

/// Credentials decoded per batch while reading a list.
const DECODE_BATCH: usize = 4096;

/// One entry's 32 bytes, from hex, not yet decoded.
struct Entry([u8; 32]);

impl<'de> serde::Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::crypto::group::decode_str(deserializer, |text| {
            crate::crypto::group::hex32("point", text).map(Entry).map_err(|e| e.to_string())
        })
    }
}

/// Checks that entries `checked..` decode to points, naming the first that does not.
fn check_points<E: serde::de::Error>(entries: &[[u8; 32]], checked: &mut usize) -> Result<(), E> {
    let decoded = crate::crypto::decode::decode_elements(&entries[*checked..]);
    if let Some(i) = decoded.iter().position(Option::is_none) {
        return Err(E::custom(format!("entry {}: not the canonical encoding of a ristretto255 point", *checked + i)));
    }
    *checked = entries.len();
    Ok(())
}

impl CredentialList {
    /// Sorts the credentials; a repeated one is an error naming it.
    pub fn new(credentials: Vec<Element>) -> Result<Self, ElectionError> {
        Self::from_encodings(credentials.iter().map(Element::to_bytes).collect())
    }

    /// As [`new`](Self::new), from the credentials' encodings (each an [`Element`]'s, not
    /// checked again): 32 bytes an entry where the points would take 192.
    pub(crate) fn from_encodings(mut credentials: Vec<[u8; 32]>) -> Result<Self, ElectionError> {
        let identity = Element::identity().to_bytes();
        if credentials.contains(&identity) {
            return Err(ElectionError::Credential(
                "the identity element is not a credential (anyone could sign for it)".into(),
            ));
        }
        credentials.sort_unstable();
        if let Some(pair) = credentials.windows(2).find(|w| w[0] == w[1]) {
            return Err(ElectionError::Credential(format!(
                "credential {} appears twice in the list",
                to_hex(&pair[0])
            )));
        }
        Ok(CredentialList(credentials))
    }

    /// Checks a list as published: sorted and distinct. The position of the first fault is
    /// named.
    pub fn check(&self) -> Result<(), ElectionError> {
        let identity = Element::identity().to_bytes();
        if let Some(i) = self.0.iter().position(|c| *c == identity) {
            return Err(ElectionError::Credential(format!(
                "entry {i} is the identity element, which anyone can sign for"
            )));
        }
        match self.0.windows(2).position(|w| w[0] >= w[1]) {
            None => Ok(()),
            Some(i) if self.0[i] == self.0[i + 1] => {
                Err(ElectionError::Credential(format!("entries {i} and {} are the same credential", i + 1)))
            }
            Some(i) => Err(ElectionError::Credential(format!("entries {i} and {} are out of order", i + 1))),
        }
    }

    /// A list from encodings that were decoded and checked when the list was first read (a
    /// board's binary copy of a list it admitted): not decoded again, so not checked again.
    /// A million entries take 32 MB and no point arithmetic.
    pub fn from_checked_encodings(entries: Vec<[u8; 32]>) -> Self {
        CredentialList(entries)
    }

    pub fn contains(&self, credential: &Element) -> bool {
        self.0.binary_search(credential.as_bytes()).is_ok()
    }

    /// The credential's place in the list (which is sorted), if it is in it.
    pub fn position(&self, credential: &Element) -> Option<usize> {
        self.0.binary_search(credential.as_bytes()).ok()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries' encodings, in the list's order.
    pub fn as_slice(&self) -> &[[u8; 32]] {
        &self.0
    }

    /// The entries' encodings, in the list's order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8; 32]> {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use curve25519_dalek::ristretto::RistrettoPoint;

    use super::*;

    #[test]
    fn strings_parse_and_derive_per_election() {
        let mut rng = rand::rng();
        let c = Credential::generate(&mut rng);
        assert_eq!(c.as_str().len(), 39);
        let typed = c.as_str().to_uppercase().replace('-', " ");
        let parsed = Credential::parse(&typed).unwrap();
        assert_eq!(parsed.public("e1"), c.public("e1"));
        assert_ne!(c.public("e1"), c.public("e2"));
        assert!(Credential::parse("1234").is_err());
        assert!(Credential::parse(&"g".repeat(32)).is_err(), "not hexadecimal");
        assert!(Credential::parse(&"a".repeat(33)).is_err(), "too long");
    }

    #[test]
    fn lists_are_sorted_distinct_and_checked() {
        let mut rng = rand::rng();
        let creds: Vec<Element> = (0..20).map(|_| Credential::generate(&mut rng).public("e")).collect();
        let list = CredentialList::new(creds.clone()).unwrap();
        list.check().unwrap();
        assert!(creds.iter().all(|c| list.contains(c)));
        assert!(!list.contains(&Element::generator()));
        let mut dup = creds.clone();
        dup.push(creds[3]);
        assert!(CredentialList::new(dup).is_err());
        let mut unsorted = list.clone();
        unsorted.0.swap(0, 1);
        assert!(unsorted.check().unwrap_err().to_string().contains("out of order"));
        let mut repeated = list.clone();
        repeated.0[1] = repeated.0[0];
        assert!(repeated.check().unwrap_err().to_string().contains("same credential"));
        for (i, c) in creds.iter().enumerate() {
            assert_eq!(list.position(c).map(|p| list.0[p]), Some(c.to_bytes()), "credential {i}");
        }
        assert_eq!(list.position(&Element::generator()), None);
    }

    #[test]
    fn lists_read_back_and_name_a_bad_entry() {
        let mut rng = rand::rng();
        // More entries than one decoding batch, so that the bad one is in the second.
        let n = DECODE_BATCH + 10;
        let creds: Vec<Element> = (0..n).map(|_| Element::from_point(RistrettoPoint::random(&mut rng))).collect();
        let list = CredentialList::new(creds).unwrap();
        let json = serde_json::to_string(&list).unwrap();
        assert_eq!(serde_json::from_str::<CredentialList>(&json).unwrap(), list);
        let mut entries: Vec<String> = serde_json::from_str(&json).unwrap();
        entries[DECODE_BATCH + 3] = crate::crypto::group::to_hex(&[0xff; 32]);
        let err = serde_json::from_str::<CredentialList>(&serde_json::to_string(&entries).unwrap()).unwrap_err();
        assert!(err.to_string().contains(&format!("entry {}:", DECODE_BATCH + 3)), "{err}");
        // A negative s (odd) is not a point either.
        entries[DECODE_BATCH + 3] = format!("01{}", "00".repeat(31));
        assert!(serde_json::from_str::<CredentialList>(&serde_json::to_string(&entries).unwrap()).is_err());
    }
}
