//! Threshold trustees: dealerless t-of-n key generation and threshold decryption.
//!
//! Trustees are numbered `1 … n`; trustee `j`'s share of the secret is the value at `x = j`
//! of a degree-(t−1) polynomial whose value at 0 is the election secret `x` (which nobody
//! ever holds). Any `t` shares reconstruct `x·α` "in the exponent", never `x` itself:
//!
//! ```text
//! λ_i = Π_{j ∈ S, j ≠ i}  j / (j − i)          (Lagrange coefficients at 0 for the set S)
//! x·α = Σ_{i ∈ S} λ_i · (s_i·α)                 for any |S| ≥ t
//! ```
//!
//! * [`dkg`]: the key ceremony (joint Feldman: every trustee deals, the joint key is the sum).
//! * [`decryption`]: decryption shares with proofs, and their combination.
//! * [`signed`]: trustee events signed by their seat's keys.

pub mod decryption;
pub mod dkg;
pub mod signed;

use curve25519_dalek::scalar::Scalar;

use super::{CryptoError, Result};

/// The most trustees an election may have.
pub const MAX_TRUSTEES: u32 = 255;

/// The ceremony's shape: `n` trustees, any `t` of whom can decrypt. Built only through
/// [`ThresholdParams::new`], which checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThresholdParams {
    pub threshold: u32,
    pub trustees: u32,
}

impl ThresholdParams {
    pub fn new(trustees: u32, threshold: u32) -> Result<Self> {
        if trustees == 0 || trustees > MAX_TRUSTEES || threshold == 0 || threshold > trustees {
            return Err(CryptoError::Parameter(format!(
                "need 1 ≤ threshold ≤ trustees ≤ {MAX_TRUSTEES}, found threshold {threshold} of {trustees}"
            )));
        }
        Ok(ThresholdParams { trustees, threshold })
    }

    /// Checks a trustee number, naming `what` in the error.
    pub fn check_index(&self, index: u32, what: &str) -> Result<()> {
        if index == 0 || index > self.trustees {
            return Err(CryptoError::Parameter(format!(
                "{what} {index} is not a trustee number in 1..={}",
                self.trustees
            )));
        }
        Ok(())
    }
}

/// The Lagrange coefficients at 0 for the distinct, non-zero indices `set`, in its order.
pub fn lagrange_at_zero(set: &[u32]) -> Result<Vec<Scalar>> {
    for (k, i) in set.iter().enumerate() {
        if *i == 0 || set[..k].contains(i) {
            return Err(CryptoError::Combination(format!("trustee {i} is repeated or not a valid number")));
        }
    }
    Ok(set
        .iter()
        .map(|&i| {
            let (mut num, mut den) = (Scalar::ONE, Scalar::ONE);
            for &j in set.iter().filter(|&&j| j != i) {
                num *= Scalar::from(j);
                den *= Scalar::from(j) - Scalar::from(i);
            }
            num * den.invert()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lagrange_reconstructs_a_polynomial_at_zero() {
        // f(x) = 5 + 3x + 2x²
        let f = |x: u32| Scalar::from(5u64 + 3 * u64::from(x) + 2 * u64::from(x) * u64::from(x));
        for set in [[1, 2, 3], [2, 4, 5], [5, 1, 3]] {
            let l = lagrange_at_zero(&set).unwrap();
            let at_zero: Scalar = set.iter().zip(&l).map(|(&i, li)| f(i) * li).sum();
            assert_eq!(at_zero, Scalar::from(5u64));
        }
        assert!(lagrange_at_zero(&[1, 1, 2]).is_err());
        assert!(lagrange_at_zero(&[0, 1]).is_err());
    }

    #[test]
    fn params_are_validated() {
        assert!(ThresholdParams::new(5, 3).is_ok());
        assert!(ThresholdParams::new(3, 4).is_err());
        assert!(ThresholdParams::new(3, 0).is_err());
        assert!(ThresholdParams::new(0, 0).is_err());
        assert!(ThresholdParams::new(256, 3).is_err());
        let p = ThresholdParams::new(5, 3).unwrap();
        assert!(p.check_index(5, "trustee").is_ok());
        assert!(p.check_index(6, "trustee").is_err());
        assert!(p.check_index(0, "trustee").is_err());
    }
}
