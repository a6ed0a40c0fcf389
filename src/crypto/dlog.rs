//! Recovering a count `m` from `M = m·g`, for `0 ≤ m ≤ bound`, by baby-step giant-step.
//!
//! ```text
//! step  s = ⌈√(bound + 1)⌉            (or a larger table, when many counts share it)
//! baby  T = { enc(2·(j·g)) → j : 0 ≤ j < s }
//! giant for k = 0, 1, …, ⌊bound / s⌋:  if enc(2·(M − k·s·g)) ∈ T at j, then m = k·s + j
//! ```
//!
//! Doubling before encoding lets dalek encode a whole batch of points with one field
//! inversion (`double_and_compress_batch`); doubling is a bijection on a prime-order group,
//! so `enc(2P)` identifies `P`, and the table, keyed by the full 32-byte encoding, has no
//! collisions. A match is still confirmed by recomputing `m·g`.
//!
//! The verifier never needs this: it checks `m·g` directly. Only the tallier searches.

use std::collections::HashMap;

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;

use super::group::{G, mul_g};
use super::{CryptoError, Result};

/// Giant steps encoded per batch inversion.
const GIANT_BATCH: usize = 256;

/// A baby-step table for counts in `0..=bound`, built once and reused for every count of a
/// tally.
pub struct DlogTable {
    bound: u64,
    step: u64,
    baby: HashMap<[u8; 32], u32>,
}

impl DlogTable {
    /// A table balanced for one search: `⌈√(bound + 1)⌉` baby steps.
    pub fn new(bound: u64) -> Self {
        let step = ((bound as f64 + 1.0).sqrt().ceil() as u64).max(1);
        Self::with_step(bound, step)
    }

    /// A table of `step` baby steps (more baby steps make each search cheaper). `step` is at
    /// most 2³².
    pub fn with_step(bound: u64, step: u64) -> Self {
        let step = step.clamp(1, u64::from(u32::MAX));
        let mut points = Vec::with_capacity(step as usize);
        let mut acc = RistrettoPoint::identity();
        for _ in 0..step {
            points.push(acc);
            acc += G;
        }
        let baby = RistrettoPoint::double_and_compress_batch(&points)
            .iter()
            .enumerate()
            .map(|(j, enc)| (enc.to_bytes(), j as u32))
            .collect();
        DlogTable { bound, step, baby }
    }

    pub fn bound(&self) -> u64 {
        self.bound
    }

    /// The `m ≤ bound` with `m·g = target`.
    pub fn find(&self, target: &RistrettoPoint) -> Result<u64> {
        let giant = mul_g(&Scalar::from(self.step));
        let giants = self.bound / self.step + 1;
        let mut current = *target;
        let mut k = 0u64;
        let mut batch = Vec::with_capacity(GIANT_BATCH);
        while k < giants {
            batch.clear();
            let first = k;
            while batch.len() < GIANT_BATCH && k < giants {
                batch.push(current);
                current -= giant;
                k += 1;
            }
            for (offset, enc) in RistrettoPoint::double_and_compress_batch(&batch).iter().enumerate() {
                if let Some(&j) = self.baby.get(enc.as_bytes()) {
                    let m = (first + offset as u64) * self.step + u64::from(j);
                    if m <= self.bound && mul_g(&Scalar::from(m)) == *target {
                        return Ok(m);
                    }
                }
            }
        }
        Err(CryptoError::CountOutOfRange { bound: self.bound })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_small_value_and_the_edges() {
        let table = DlogTable::new(1000);
        for m in (0..=1000).step_by(7).chain([1, 31, 32, 33, 999, 1000]) {
            assert_eq!(table.find(&mul_g(&Scalar::from(m))).unwrap(), m);
        }
        assert_eq!(table.find(&mul_g(&Scalar::from(1001u64))), Err(CryptoError::CountOutOfRange { bound: 1000 }));
        assert!(table.find(&mul_g(&-Scalar::ONE)).is_err());
    }

    #[test]
    fn uneven_tables_agree() {
        for step in [1, 2, 10, 5000] {
            let table = DlogTable::with_step(4321, step);
            for m in [0, 1, 4320, 4321, 2000] {
                assert_eq!(table.find(&mul_g(&Scalar::from(m))).unwrap(), m, "step {step}");
            }
        }
    }
}
