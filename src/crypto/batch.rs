//! Batch verification by random linear combination.
//!
//! Every proof in dauys is verified by equations of the form `Σ_k s_k·P_k = 0` over public
//! points. A verifier with many such equations draws an independent 128-bit random weight
//! `w_e` for each equation `e` and checks the single equation
//!
//! ```text
//!     Σ_e w_e · (Σ_k s_{e,k}·P_{e,k}) = 0
//! ```
//!
//! with one variable-time multiscalar multiplication. Terms on the generator `g` and on
//! shared bases (the election key `K`) are summed first, so each contributes one point to
//! the multiplication however many equations use it.
//!
//! Soundness: if some equation does not hold, its left side is a non-zero point `Q_e` of
//! prime order ℓ. For any fixed values of the other weights, at most one value of `w_e`
//! mod ℓ makes the combination vanish, so the batch accepts with probability at most
//! 2⁻¹²⁸ over the choice of `w_e` (which the prover cannot know: the weights are drawn
//! from the OS-seeded CSPRNG after the proofs are fixed).
//!
//! Items (usually one proof each) are numbered in the order they were added. When a batch
//! fails, it is split in halves recursively and each half checked again, which names every
//! failing item at a cost of `O(f·log n)` sub-batches for `f` failures.

use std::ops::Range;

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use rand::Rng;

use super::group::G;
use super::{CryptoError, Result};

/// The base point of one term.
#[derive(Clone, Copy, Debug)]
pub enum Base {
    /// The generator `g`.
    G,
    /// The `i`-th shared base of the batch (see [`BatchVerifier::with_shared_bases`]).
    Shared(usize),
    /// Any other public point.
    Point(RistrettoPoint),
}

/// A set of verification equations checked together.
#[derive(Default)]
pub struct BatchVerifier {
    shared_bases: Vec<RistrettoPoint>,
    /// Per item: where its point terms start in `scalars`/`points`.
    starts: Vec<usize>,
    /// Per item: its summed coefficient on `g`.
    g_coeffs: Vec<Scalar>,
    /// Per item, `shared_bases.len()` summed coefficients on the shared bases.
    shared_coeffs: Vec<Scalar>,
    scalars: Vec<Scalar>,
    points: Vec<RistrettoPoint>,
}

impl BatchVerifier {
    pub fn new() -> Self {
        Self::default()
    }

    /// A batch whose equations may refer to `bases` as `Base::Shared(i)`.
    pub fn with_shared_bases(bases: Vec<RistrettoPoint>) -> Self {
        BatchVerifier { shared_bases: bases, ..Self::default() }
    }

    /// Pre-allocates for `items` items of about `terms_per_item` point terms each.
    pub fn reserve(&mut self, items: usize, terms_per_item: usize) {
        self.starts.reserve(items);
        self.g_coeffs.reserve(items);
        self.shared_coeffs.reserve(items * self.shared_bases.len());
        self.scalars.reserve(items * terms_per_item);
        self.points.reserve(items * terms_per_item);
    }

    /// Starts a new item; equations added through it are located together on failure.
    pub fn item(&mut self) -> Item<'_> {
        self.starts.push(self.points.len());
        self.g_coeffs.push(Scalar::ZERO);
        let n = self.shared_bases.len();
        self.shared_coeffs.extend(std::iter::repeat_n(Scalar::ZERO, n));
        Item { batch: self }
    }

    /// How many items were added.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Checks every equation at once; on failure, names every failing item.
    pub fn verify(&self) -> Result<()> {
        let all = 0..self.len();
        if all.is_empty() || self.holds(all.clone()) {
            return Ok(());
        }
        let mut failed = Vec::new();
        self.locate(all, true, &mut failed);
        Err(CryptoError::BatchFailed { failed })
    }

    /// Whether the combined equation of items `range` holds.
    fn holds(&self, range: Range<usize>) -> bool {
        let g: Scalar = self.g_coeffs[range.clone()].iter().sum();
        let n = self.shared_bases.len();
        let mut shared = vec![Scalar::ZERO; n];
        for row in self.shared_coeffs[range.start * n..range.end * n].chunks_exact(n.max(1)) {
            for (acc, s) in shared.iter_mut().zip(row) {
                *acc += s;
            }
        }
        let terms = self.starts[range.start]..self.starts.get(range.end).copied().unwrap_or(self.points.len());
        let scalars = std::iter::once(&g).chain(shared.iter()).chain(self.scalars[terms.clone()].iter());
        let points = std::iter::once(&G).chain(self.shared_bases.iter()).chain(self.points[terms].iter());
        RistrettoPoint::vartime_multiscalar_mul(scalars, points).is_identity()
    }

    /// Bisection; `known_bad` skips re-checking a range whose failure is already known.
    fn locate(&self, range: Range<usize>, known_bad: bool, failed: &mut Vec<usize>) {
        if !known_bad && self.holds(range.clone()) {
            return;
        }
        if range.len() == 1 {
            failed.push(range.start);
            return;
        }
        let mid = range.start + range.len() / 2;
        let left_ok = self.holds(range.start..mid);
        if !left_ok {
            self.locate(range.start..mid, true, failed);
        }
        // If the left half holds, the right half must be the one that fails.
        self.locate(mid..range.end, left_ok, failed);
    }
}

/// The equations of one item, being added.
pub struct Item<'a> {
    batch: &'a mut BatchVerifier,
}

impl Item<'_> {
    /// A fresh random 128-bit weight for one equation.
    pub fn weight(&self) -> Scalar {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        Scalar::from(u128::from_le_bytes(bytes))
    }

    /// Adds the term `s·base`.
    pub fn term(&mut self, s: Scalar, base: Base) {
        let b = &mut *self.batch;
        match base {
            Base::G => *b.g_coeffs.last_mut().expect("item started") += s,
            Base::Shared(i) => {
                let n = b.shared_bases.len();
                assert!(i < n, "shared base {i} not registered");
                let row = b.shared_coeffs.len() - n;
                b.shared_coeffs[row + i] += s;
            }
            Base::Point(p) => {
                b.scalars.push(s);
                b.points.push(p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::group::mul_g;

    /// Item: x·g − X = 0 for a claimed X.
    fn push(batch: &mut BatchVerifier, x: u64, claimed: RistrettoPoint) {
        let mut item = batch.item();
        let w = item.weight();
        item.term(w * Scalar::from(x), Base::G);
        item.term(-w, Base::Point(claimed));
    }

    #[test]
    fn locates_every_bad_item() {
        for bad in [vec![], vec![0], vec![999], vec![3, 500, 501, 998]] {
            let mut batch = BatchVerifier::new();
            for i in 0..1000u64 {
                let claimed = mul_g(&Scalar::from(i + u64::from(bad.contains(&(i as usize)))));
                push(&mut batch, i, claimed);
            }
            match batch.verify() {
                Ok(()) => assert!(bad.is_empty()),
                Err(CryptoError::BatchFailed { failed }) => assert_eq!(failed, bad),
                Err(e) => panic!("{e}"),
            }
        }
    }

    #[test]
    fn shared_bases_are_summed() {
        let k = mul_g(&Scalar::from(7u64));
        let mut batch = BatchVerifier::with_shared_bases(vec![k]);
        for i in 1..10u64 {
            // i·K − 7i·g = 0
            let mut item = batch.item();
            let w = item.weight();
            item.term(w * Scalar::from(i), Base::Shared(0));
            item.term(-w * Scalar::from(7 * i), Base::G);
        }
        assert!(batch.verify().is_ok());
        let mut item = batch.item();
        item.term(Scalar::ONE, Base::Shared(0));
        assert_eq!(batch.verify(), Err(CryptoError::BatchFailed { failed: vec![9] }));
    }
}
