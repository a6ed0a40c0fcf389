//! What the benchmarks share: the floor of batch verification, and the batch's scalar shape.
#![allow(dead_code)]

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use rand::Rng;

/// A uniformly random scalar below 2¹²⁸: the shape of the batch's random weights.
pub fn short_scalar() -> Scalar {
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    Scalar::from(u128::from_le_bytes(b))
}

/// The floor of batch verification: decompress the points the items carry, then one
/// multiscalar multiplication over them and the shared bases, with scalars shaped as the
/// batch's (128-bit on commitments, full elsewhere).
pub struct Floor {
    pub encodings: Vec<[u8; 32]>,
    pub scalars: Vec<Scalar>,
    pub shared: Vec<RistrettoPoint>,
}

impl Floor {
    /// `short` of every `per_item` points get 128-bit scalars, the rest full ones.
    pub fn new(encodings: Vec<[u8; 32]>, per_item: usize, short: usize, shared: Vec<RistrettoPoint>) -> Self {
        let shape: Vec<bool> = (0..encodings.len()).map(|i| i % per_item < short).collect();
        Floor::shaped(encodings, &shape, shared)
    }

    /// `short[i]`: whether point `i` gets a 128-bit scalar.
    pub fn shaped(encodings: Vec<[u8; 32]>, short: &[bool], shared: Vec<RistrettoPoint>) -> Self {
        let mut rng = rand::rng();
        let mut scalars: Vec<Scalar> = shared.iter().map(|_| Scalar::random(&mut rng)).collect();
        scalars.extend(short.iter().map(|&s| if s { short_scalar() } else { Scalar::random(&mut rng) }));
        Floor { encodings, scalars, shared }
    }

    /// Decompresses with `dauys::crypto::decode` (lanes where the CPU has AVX-512 IFMA, as
    /// the verifier), then the multiscalar multiplication.
    pub fn run(&self) -> RistrettoPoint {
        let mut points = Vec::with_capacity(self.scalars.len());
        points.extend_from_slice(&self.shared);
        for e in dauys::crypto::decode::decode_elements(&self.encodings) {
            points.push(*e.expect("valid point").point());
        }
        RistrettoPoint::vartime_multiscalar_mul(&self.scalars, &points)
    }

    /// As [`run`](Self::run), decompressing one point at a time with dalek.
    pub fn run_serial(&self) -> RistrettoPoint {
        let mut points = Vec::with_capacity(self.scalars.len());
        points.extend_from_slice(&self.shared);
        for e in &self.encodings {
            points.push(CompressedRistretto(*e).decompress().expect("valid point"));
        }
        RistrettoPoint::vartime_multiscalar_mul(&self.scalars, &points)
    }
}

/// Casts every plan's ballot (each must be accepted), closes voting, tallies with the first t
/// trustees and exports the record to `dir/record`: a whole election's record for a bench.
#[cfg(feature = "board")]
pub fn cast_tally_export(
    election: &mut dauys::runner::LocalElection,
    plans: &[dauys::runner::VoterPlan],
    dir: &std::path::Path,
) -> std::path::PathBuf {
    let mut rng = rand::rng();
    assert!(election.vote(plans, &mut rng, |_| {}).expect("vote").is_empty(), "every ballot accepted");
    election.close(&mut rng).expect("close");
    let quorum: Vec<u32> = (1..=election.params().manifest.trustees.threshold).collect();
    election.tally(&quorum, &mut rng).expect("tally");
    let record = dir.join("record");
    election.board.export(&record).expect("export");
    record
}
