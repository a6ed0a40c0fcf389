//! Exponential ElGamal on ristretto255.
//!
//! ```text
//! key pair          x ∈ Z_ℓ,  K = x·g
//! Enc(m; r)       = (α, β) = (r·g, m·g + r·K)
//! Enc(m₁) + Enc(m₂) = (α₁ + α₂, β₁ + β₂) = Enc(m₁ + m₂; r₁ + r₂)
//! Dec             β − x·α = m·g           (m is then found by a bounded search, see `dlog`)
//! ```
//!
//! The election key `K` comes with a precomputed table, built once, so that encryption costs
//! two fixed-base multiplications (`r·g` and `r·K`); `m·g` for the small `m` of a ballot is a
//! constant-time table lookup.

use std::sync::LazyLock;

use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, VartimeMultiscalarMul};
use rand::CryptoRng;
use serde::{Deserialize, Serialize};
use subtle::{ConditionallySelectable, ConstantTimeEq};

use super::group::{Element, G, SecretScalar, mul_g};

/// Values up to this bound have `m·g` looked up in constant time; larger ones (never a
/// single ballot's option) are multiplied.
pub const SMALL_MESSAGE_BOUND: u64 = 64;

static SMALL_MULTIPLES: LazyLock<Vec<RistrettoPoint>> = LazyLock::new(|| {
    let mut out = Vec::with_capacity(SMALL_MESSAGE_BOUND as usize + 1);
    let mut acc = RistrettoPoint::identity();
    for _ in 0..=SMALL_MESSAGE_BOUND {
        out.push(acc);
        acc += G;
    }
    out
});

/// `m·g`; constant time in `m` for `m ≤ SMALL_MESSAGE_BOUND` (every entry is read).
pub fn message_point(m: u64) -> RistrettoPoint {
    if m <= SMALL_MESSAGE_BOUND {
        let mut out = RistrettoPoint::identity();
        for (i, p) in SMALL_MULTIPLES.iter().enumerate() {
            out.conditional_assign(p, (i as u64).ct_eq(&m));
        }
        out
    } else {
        mul_g(&Scalar::from(m))
    }
}

/// The public encryption key `K`, with a precomputed table for fixed-base multiplication.
pub struct EncryptionKey {
    element: Element,
    table: RistrettoBasepointTable,
}

impl EncryptionKey {
    pub fn new(element: Element) -> Self {
        let table = RistrettoBasepointTable::create(element.point());
        EncryptionKey { element, table }
    }

    pub fn element(&self) -> &Element {
        &self.element
    }

    /// `s·K` in constant time.
    pub fn mul(&self, s: &Scalar) -> RistrettoPoint {
        s * &self.table
    }

    /// Encrypts `m` with a fresh nonce; returns the ciphertext and the nonce (which a
    /// voter keeps to prove the ballot's validity, or reveals to challenge it).
    pub fn encrypt<R: CryptoRng + ?Sized>(&self, m: u64, rng: &mut R) -> (Ciphertext, SecretScalar) {
        let r = SecretScalar::random(rng);
        (self.encrypt_with(m, r.expose()), r)
    }

    /// `Enc(m; r) = (r·g, m·g + r·K)`.
    pub fn encrypt_with(&self, m: u64, r: &Scalar) -> Ciphertext {
        Ciphertext { alpha: Element::from_point(mul_g(r)), beta: Element::from_point(message_point(m) + self.mul(r)) }
    }
}

impl Clone for EncryptionKey {
    fn clone(&self) -> Self {
        EncryptionKey::new(self.element)
    }
}

impl std::fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EncryptionKey({})", self.element.to_hex())
    }
}

/// A key pair for plain (single-key) ElGamal: trustees' share-transport keys and tests.
#[derive(Debug, Clone)]
pub struct KeyPair {
    pub secret: SecretScalar,
    pub public: Element,
}

impl KeyPair {
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let secret = SecretScalar::random(rng);
        KeyPair { public: secret.public(), secret }
    }

    /// `β − x·α = m·g`.
    pub fn decrypt_to_point(&self, c: &Ciphertext) -> RistrettoPoint {
        c.beta.point() - self.secret.expose() * c.alpha.point()
    }
}

/// An exponential-ElGamal ciphertext `(α, β)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ciphertext {
    pub alpha: Element,
    pub beta: Element,
}

impl Ciphertext {
    /// `Enc(0; 0) = (0, 0)`, the neutral element of homomorphic addition.
    pub fn zero() -> Self {
        Ciphertext { alpha: Element::identity(), beta: Element::identity() }
    }

    /// Checks a revealed opening on public data: `α = r·g` and `β = m·g + r·K`.
    /// Variable time: used only when the nonce has been published (challenged ballots).
    pub fn opens_to(&self, key: &Element, m: u64, r: &Scalar) -> bool {
        let alpha = RistrettoPoint::vartime_multiscalar_mul([r], [G]);
        let beta = RistrettoPoint::vartime_multiscalar_mul([&Scalar::from(m), r], [G, *key.point()]);
        alpha == *self.alpha.point() && beta == *self.beta.point()
    }

    /// The homomorphic sum of ciphertexts.
    pub fn sum<'a>(items: impl IntoIterator<Item = &'a Ciphertext>) -> Ciphertext {
        let mut acc = CiphertextSum::default();
        for c in items {
            acc.add(c);
        }
        acc.finish()
    }
}

/// An accumulator for homomorphic addition: point additions only, one encoding at the end.
#[derive(Debug, Clone, Copy)]
pub struct CiphertextSum {
    pub alpha: RistrettoPoint,
    pub beta: RistrettoPoint,
}

impl Default for CiphertextSum {
    fn default() -> Self {
        CiphertextSum { alpha: RistrettoPoint::identity(), beta: RistrettoPoint::identity() }
    }
}

impl CiphertextSum {
    pub fn add(&mut self, c: &Ciphertext) {
        self.alpha += c.alpha.point();
        self.beta += c.beta.point();
    }

    pub fn merge(&mut self, other: &CiphertextSum) {
        self.alpha += other.alpha;
        self.beta += other.beta;
    }

    pub fn finish(&self) -> Ciphertext {
        Ciphertext { alpha: Element::from_point(self.alpha), beta: Element::from_point(self.beta) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypt_decrypt_and_add() {
        let mut rng = rand::rng();
        let kp = KeyPair::generate(&mut rng);
        let key = EncryptionKey::new(kp.public);
        let (c1, r1) = key.encrypt(3, &mut rng);
        let (c2, _) = key.encrypt(40, &mut rng);
        assert_eq!(kp.decrypt_to_point(&c1), message_point(3));
        assert_eq!(kp.decrypt_to_point(&Ciphertext::sum([&c1, &c2])), message_point(43));
        assert_eq!(kp.decrypt_to_point(&Ciphertext::sum([&c1, &Ciphertext::zero()])), message_point(3));
        assert!(c1.opens_to(key.element(), 3, r1.expose()));
        assert!(!c1.opens_to(key.element(), 2, r1.expose()));
        assert!(!c1.opens_to(key.element(), 3, &(r1.expose() + Scalar::ONE)));
    }

    #[test]
    fn message_point_matches_multiplication_on_both_sides_of_the_table() {
        for m in [0, 1, 2, SMALL_MESSAGE_BOUND - 1, SMALL_MESSAGE_BOUND, SMALL_MESSAGE_BOUND + 1, 1 << 40] {
            assert_eq!(message_point(m), Scalar::from(m) * G, "m = {m}");
        }
    }
}
