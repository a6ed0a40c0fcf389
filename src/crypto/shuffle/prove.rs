//! The shuffle's prover (`specs/protocol.md` §13.5): what a shuffler runs and a verifier never
//! needs, so outside the observers' trusted base. The statement, the proof's form, the
//! generators and the verification are in [the parent module](super).
//!
//! ```text
//! commit π     c_j = r_j·g + H_{π⁻¹(j)}                                    (input order j)
//! challenges   u_j from the transcript; u'_i = u_{π(i)}
//! chain        ĉ_{−1} = Ĥ,  ĉ_i = r̂_i·g + u'_i·ĉ_{i−1}
//! commitments  t1 = ω1·g   t2 = ω2·g   t3 = ω3·g + Σ ω'_i·H_i
//!              t4 = Σ ω'_i·X'_i − ω4·Σ u_j·X_j   t5 = ω4·h   t̂_i = ω̂_i·g + ω'_i·ĉ_{i−1}
//! challenge    c from the transcript
//! responses    s1 = ω1 + c·Σr_j   s2 = ω2 + c·r̂   s3 = ω3 + c·Σ r_j·u_j   s4 = ω4 + c·s
//!              ŝ_i = ω̂_i + c·r̂_i   s'_i = ω'_i + c·u'_i              (r̂ = log_g(ĉ_{N−1} − Π u_j·Ĥ))
//! ```

use std::sync::OnceLock;

use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::MultiscalarMul;
use rand::CryptoRng;
use rayon::prelude::*;
use zeroize::{Zeroize, Zeroizing};

use super::{CHUNK, ShuffleContext, ShuffleProof, chain_start, check_statement, chunks, decode, generator, in_order};
use crate::crypto::group::{Element, SecretScalar, mul_g};
use crate::crypto::transcript;
use crate::crypto::{CryptoError, Result};

/// A shuffler's result: what it publishes.
#[derive(Debug, Clone)]
pub struct Shuffle {
    /// `h' = s·h`.
    pub new_base: Element,
    /// `s·X_j` for every input, in ascending order of encodings (which hides π as well as any
    /// random order, and makes the list canonical).
    pub output: Vec<[u8; 32]>,
    pub proof: ShuffleProof,
}

/// What the prover knows: `output[i] = exponent·input[permutation[i]]`, `h' = exponent·h`.
pub struct ShuffleWitness {
    exponent: SecretScalar,
    permutation: Zeroizing<Vec<u32>>,
}

impl ShuffleWitness {
    /// Checks that `permutation` is a permutation of `0 … N−1`.
    pub fn new(exponent: SecretScalar, permutation: Vec<u32>) -> Result<Self> {
        let permutation = Zeroizing::new(permutation);
        let mut seen = vec![false; permutation.len()];
        for &j in permutation.iter() {
            match seen.get_mut(j as usize) {
                Some(s) if !*s => *s = true,
                _ => return Err(CryptoError::Parameter("the shuffle witness is not a permutation".into())),
            }
        }
        Ok(ShuffleWitness { exponent, permutation })
    }
}

/// A constant-time multiplication table for `Ĥ` (the prover multiplies it by secrets).
fn chain_table() -> &'static RistrettoBasepointTable {
    static TABLE: OnceLock<RistrettoBasepointTable> = OnceLock::new();
    TABLE.get_or_init(|| RistrettoBasepointTable::create(&chain_start()))
}

fn random_scalars<R: CryptoRng + ?Sized>(rng: &mut R, n: usize) -> Zeroizing<Vec<Scalar>> {
    Zeroizing::new((0..n).map(|_| Scalar::random(rng)).collect())
}

/// Shuffles `input` (canonical encodings) under `base` with a fresh secret exponent and
/// permutation, and proves it. The exponent and permutation are erased when this returns:
/// keeping them would let the shuffler link its input to its output.
pub fn shuffle<R: CryptoRng + ?Sized>(
    context: &ShuffleContext,
    base: &Element,
    input: &[[u8; 32]],
    rng: &mut R,
) -> Result<Shuffle> {
    shuffle_in_chunks(context, base, input, rng, CHUNK)
}

fn shuffle_in_chunks<R: CryptoRng + ?Sized>(
    context: &ShuffleContext,
    base: &Element,
    input: &[[u8; 32]],
    rng: &mut R,
    chunk: usize,
) -> Result<Shuffle> {
    check_statement(base, input.len())?;
    let exponent = loop {
        let s = SecretScalar::random(rng);
        if s.expose() != &Scalar::ZERO {
            break s;
        }
    };
    // s·X_j in input order, each computed as 2·((s/2)·X_j) so that a chunk's encodings share
    // one inversion (`double_and_compress_batch`).
    let half = Zeroizing::new(exponent.expose() * Scalar::from(2u64).invert());
    let raised: Vec<Result<Vec<[u8; 32]>>> = chunks(input.len(), chunk)
        .into_par_iter()
        .map(|range| {
            let points = range.map(|j| decode(input, "input", j).map(|x| x * *half)).collect::<Result<Vec<_>>>()?;
            Ok(RistrettoPoint::double_and_compress_batch(&points).into_iter().map(|c| c.0).collect())
        })
        .collect();
    // The sorted order is the permutation.
    let mut order: Vec<([u8; 32], u32)> = in_order(raised)?.into_iter().flatten().zip(0u32..).collect();
    order.par_sort_unstable();
    let output: Vec<[u8; 32]> = order.iter().map(|(e, _)| *e).collect();
    let permutation: Vec<u32> = order.iter().map(|(_, j)| *j).collect();
    order.iter_mut().for_each(|(_, j)| j.zeroize());
    let new_base = Element::from_point(base.point() * exponent.expose());
    let witness = ShuffleWitness { exponent, permutation: Zeroizing::new(permutation) };
    let statement = (base, input, &new_base, output.as_slice());
    let proof = ShuffleProof::prove_in_chunks(context, statement, &witness, rng, chunk)?;
    Ok(Shuffle { new_base, output, proof })
}

impl ShuffleProof {
    /// Proves that `output` and `new_base` are `input` and `base` shuffled by `witness`.
    ///
    /// The prover never compares the statement with the witness: a false statement gives a
    /// proof that fails to verify (the must-fail tests use this to play cheating shufflers).
    pub fn prove<R: CryptoRng + ?Sized>(
        context: &ShuffleContext,
        base: &Element,
        input: &[[u8; 32]],
        new_base: &Element,
        output: &[[u8; 32]],
        witness: &ShuffleWitness,
        rng: &mut R,
    ) -> Result<ShuffleProof> {
        Self::prove_in_chunks(context, (base, input, new_base, output), witness, rng, CHUNK)
    }

    fn prove_in_chunks<R: CryptoRng + ?Sized>(
        context: &ShuffleContext,
        (base, input, new_base, output): (&Element, &[[u8; 32]], &Element, &[[u8; 32]]),
        witness: &ShuffleWitness,
        rng: &mut R,
        chunk: usize,
    ) -> Result<ShuffleProof> {
        let n = input.len();
        check_statement(base, n)?;
        if output.len() != n || witness.permutation.len() != n {
            return Err(CryptoError::Parameter(format!(
                "{n} inputs, {} outputs and a permutation of {}",
                output.len(),
                witness.permutation.len()
            )));
        }
        let pi = &witness.permutation;
        let s = witness.exponent.expose();
        let mut pi_inv = Zeroizing::new(vec![0u32; n]);
        for (i, &j) in pi.iter().enumerate() {
            pi_inv[j as usize] = i as u32;
        }

        // Every secret is drawn here. The chain is drawn as R_i = log_g(ĉ_i − U_i·Ĥ) with
        // U_i = u'_0·…·u'_i, and the chain commitments as Ω_i = log_g(t̂_i − ω'_i·U_{i−1}·Ĥ):
        // uniform and independent like r̂_i and ω̂_i in the pseudo-code, which they determine
        // (r̂_i = R_i − u'_i·R_{i−1}, ω̂_i = Ω_i − ω'_i·R_{i−1}), and every point becomes a
        // fixed-base multiplication computable in parallel.
        let r = random_scalars(rng, n);
        let chain_logs = random_scalars(rng, n);
        let omega_prime = random_scalars(rng, n);
        let omega_hat = random_scalars(rng, n);
        let omega: [SecretScalar; 4] = std::array::from_fn(|_| SecretScalar::random(rng));

        // One pass over the output positions i derives H_i once for the permutation
        // commitment c_{π(i)} = r_{π(i)}·g + H_i and for t3's Σ ω'_i·H_i (constant time).
        let passes: Vec<ChunkPass> = chunks(n, chunk)
            .into_par_iter()
            .map(|range| {
                let generators: Vec<RistrettoPoint> = range.clone().map(|i| generator(i as u64)).collect();
                let commitments = range
                    .clone()
                    .zip(&generators)
                    .map(|(i, h)| (pi[i], (mul_g(&r[pi[i] as usize]) + h).compress().0))
                    .collect();
                (commitments, RistrettoPoint::multiscalar_mul(&omega_prime[range], &generators))
            })
            .collect();
        let mut permutation = vec![[0u8; 32]; n];
        let mut t3_sum = RistrettoPoint::default();
        for (mut commitments, part) in passes {
            for (j, c) in commitments.iter_mut() {
                permutation[*j as usize] = *c;
                j.zeroize();
            }
            t3_sum += part;
        }

        let (elements, mut t) =
            transcript::shuffle(&context.fingerprint, context.shuffler, context.list, base, new_base, input, output)
                .permutation(&permutation);
        let u: Vec<Scalar> = (0..n).into_par_iter().map(|j| elements.challenge(j as u64)).collect();
        let u_perm: Zeroizing<Vec<Scalar>> = Zeroizing::new(pi.iter().map(|&j| u[j as usize]).collect());
        let mut prefix = Zeroizing::new(Vec::with_capacity(n));
        let mut acc = Scalar::ONE;
        for x in u_perm.iter() {
            acc *= x;
            prefix.push(acc);
        }
        acc.zeroize();

        // ĉ_i = R_i·g + U_i·Ĥ and t̂_i = Ω_i·g + ω'_i·U_{i−1}·Ĥ (U_{−1} = 1), halved and
        // encoded in batches.
        let inv2 = Scalar::from(2u64).invert();
        let table = chain_table();
        let pairs: Vec<Vec<[u8; 32]>> = chunks(n, chunk)
            .into_par_iter()
            .map(|range| {
                let mut points = Vec::with_capacity(2 * range.len());
                for i in range {
                    let before = if i == 0 { Scalar::ONE } else { prefix[i - 1] };
                    let mut a = chain_logs[i] * inv2;
                    let mut b = prefix[i] * inv2;
                    points.push(mul_g(&a) + table * &b);
                    a = omega_hat[i] * inv2;
                    b = omega_prime[i] * before * inv2;
                    points.push(mul_g(&a) + table * &b);
                    a.zeroize();
                    b.zeroize();
                }
                RistrettoPoint::double_and_compress_batch(&points).into_iter().map(|c| c.0).collect()
            })
            .collect();
        let (mut chain, mut chain_commitments) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for pair in pairs.iter().flat_map(|p| p.chunks_exact(2)) {
            chain.push(pair[0]);
            chain_commitments.push(pair[1]);
        }

        // t4 = Σ ω'_i·X'_i − ω4·Σ u_j·X_j, computed from the inputs as
        // Σ_j (s·ω'_{π⁻¹(j)} − ω4·u_j)·X_j, in constant time.
        let w4 = omega[3].expose();
        let t4_parts: Vec<Result<RistrettoPoint>> = chunks(n, chunk)
            .into_par_iter()
            .map(|range| {
                let points = range.clone().map(|j| decode(input, "input", j)).collect::<Result<Vec<_>>>()?;
                let coefficients: Zeroizing<Vec<Scalar>> =
                    Zeroizing::new(range.map(|j| s * omega_prime[pi_inv[j] as usize] - w4 * u[j]).collect());
                Ok(RistrettoPoint::multiscalar_mul(coefficients.iter(), &points))
            })
            .collect();
        let t1 = Element::from_point(mul_g(omega[0].expose()));
        let t2 = Element::from_point(mul_g(omega[1].expose()));
        let t3 = Element::from_point(mul_g(omega[2].expose()) + t3_sum);
        let t4 = Element::from_point(in_order(t4_parts)?.iter().sum());
        let t5 = Element::from_point(base.point() * w4);

        for x in &chain {
            t.commit(x);
        }
        for x in [&t1, &t2, &t3, &t4, &t5] {
            t.commit(x.as_bytes());
        }
        for x in &chain_commitments {
            t.commit(x);
        }
        let c = t.challenge();

        let r_sum = Zeroizing::new(r.par_iter().sum::<Scalar>());
        let ru_sum = Zeroizing::new(r.par_iter().zip(&u).map(|(r, u)| r * u).sum::<Scalar>());
        let chain_responses: Vec<Scalar> = (0..n)
            .into_par_iter()
            .map(|i| {
                let (log_before, up) = (if i == 0 { Scalar::ZERO } else { chain_logs[i - 1] }, u_perm[i]);
                // ŝ_i = ω̂_i + c·r̂_i
                let mut hat_r = chain_logs[i] - up * log_before;
                let mut hat_omega = omega_hat[i] - omega_prime[i] * log_before;
                let response = hat_omega + c * hat_r;
                hat_r.zeroize();
                hat_omega.zeroize();
                response
            })
            .collect();
        let permuted_responses: Vec<Scalar> = (0..n).into_par_iter().map(|i| omega_prime[i] + c * u_perm[i]).collect();

        Ok(ShuffleProof {
            chain,
            chain_commitments,
            chain_responses,
            permutation,
            permuted_responses,
            s1: omega[0].expose() + c * *r_sum,
            s2: omega[1].expose() + c * chain_logs[n - 1],
            s3: omega[2].expose() + c * *ru_sum,
            s4: w4 + c * s,
            t1,
            t2,
            t3,
            t4,
            t5,
        })
    }
}

/// One chunk of the prover's pass: its permutation commitments (position, encoding) and its
/// share of t3's sum.
type ChunkPass = (Vec<(u32, [u8; 32])>, RistrettoPoint);

#[cfg(test)]
mod tests {
    use super::super::tests::{context, credentials};
    use super::super::{ShuffleStep, verify_steps};
    use super::*;

    #[test]
    fn the_chain_table_multiplies_the_chain_start() {
        assert_eq!(chain_table().basepoint(), chain_start());
    }

    #[test]
    fn witness_must_be_a_permutation() {
        let s = || SecretScalar::new(Scalar::ONE);
        assert!(ShuffleWitness::new(s(), vec![2, 0, 1]).is_ok());
        assert!(ShuffleWitness::new(s(), vec![0, 0, 1]).is_err());
        assert!(ShuffleWitness::new(s(), vec![0, 3, 1]).is_err());
    }

    fn verify_one(
        proof: &ShuffleProof,
        context: &ShuffleContext,
        base: &Element,
        input: &[[u8; 32]],
        new_base: &Element,
        output: &[[u8; 32]],
        chunk: usize,
    ) -> Result<()> {
        let step = ShuffleStep { context: *context, new_base: *new_base, output, proof };
        verify_steps(base, input, &[step], false, chunk)
    }

    #[test]
    fn chunk_boundaries_do_not_matter() {
        // Several chunks with a short last one: the terms that cross a boundary (ĉ_{a−1}) are
        // where a chunked prover or verifier could go wrong. Proofs made in one chunking
        // verify in every other.
        let input = credentials(11);
        let mut rng = rand::rng();
        let base = Element::generator();
        let ctx = context();
        for prove_chunk in [1, 4, 11] {
            let shuffled = shuffle_in_chunks(&ctx, &base, &input, &mut rng, prove_chunk).unwrap();
            let (new_base, output) = (&shuffled.new_base, &shuffled.output);
            for verify_chunk in [1, 3, 4, 10, 11, CHUNK] {
                assert_eq!(verify_one(&shuffled.proof, &ctx, &base, &input, new_base, output, verify_chunk), Ok(()));
                for i in [0, 3, 4, 9, 10] {
                    let mut bad = shuffled.proof.clone();
                    bad.chain_responses[i] += Scalar::ONE;
                    assert!(verify_one(&bad, &ctx, &base, &input, new_base, output, verify_chunk).is_err());
                    let mut bad = shuffled.proof.clone();
                    bad.chain.swap(i, (i + 1) % 11);
                    assert!(verify_one(&bad, &ctx, &base, &input, new_base, output, verify_chunk).is_err());
                }
            }
        }
    }
}
