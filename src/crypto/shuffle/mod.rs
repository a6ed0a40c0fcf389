//! The verifiable shuffle of credentials with a common exponent (`specs/protocol.md` §13).
//!
//! A shuffler takes a base `h` and a list of public credentials `X_0 … X_{N−1}`, draws a
//! secret exponent `s` and a permutation π, and publishes
//!
//! ```text
//! h' = s·h,      X'_i = s·X_{π(i)}   (i = 0 … N−1)
//! ```
//!
//! with a zero-knowledge proof that some `s` and π relate the two. A voter with secret `x`
//! (`X = x·h`) finds `x·h'` in the new list; nobody else can tell which output came from which
//! input (DDH), so after a chain of shufflers of which one is honest, credentials are unlinked
//! from registrations.
//!
//! The proof is the Terelius–Wikström proof of a shuffle in the form of Haenni, Locher,
//! Koenig and Dubuis ("Pseudo-code algorithms for verifiable re-encryption mix-nets", 2017),
//! with its re-encryption equation replaced by the common exponent. This module holds what a
//! verifier needs: the statement's context, the proof as carried and its encodings, the
//! generators, and the verification (§13.6). The prover (§13.5: how the commitments and
//! responses are made from `s` and π) is [`prove`], outside the observers' trusted base.
//!
//! ```text
//! generators   H_i = hash-to-group("dauys/shuffle/generator" ‖ LE64(i)),  Ĥ = hash-to-group("dauys/shuffle/chain-start")
//! proof        c_j (commitment to π, input order j), ĉ_i (commitment chain, ĉ_{−1} = Ĥ),
//!              commitments t1 … t5, t̂_i, responses s1 … s4, ŝ_i, s'_i (s'_i in output order)
//! challenges   u_j from the transcript after the c_j; c after the chain and the commitments
//! verifier     s1·g − c·(Σc_j − ΣH_i) = t1          s2·g − c·(ĉ_{N−1} − Πu_j·Ĥ) = t2
//!              s3·g + Σ s'_i·H_i − c·Σ u_j·c_j = t3   Σ s'_i·X'_i − s4·Σ u_j·X_j = t4
//!              s4·h − c·h' = t5                      ŝ_i·g + s'_i·ĉ_{i−1} − c·ĉ_i = t̂_i
//! ```
//!
//! The verifier checks all `N + 5` equations at once: a random linear combination with
//! independent 128-bit weights, computed as one multiscalar multiplication of `6N + 9` points,
//! split into chunks that decode, hash and multiply in parallel (rayon). Lists and proof
//! vectors stay as 32-byte encodings until a chunk needs them, so verification holds no
//! decoded list in memory.

use std::ops::Range;
use std::sync::OnceLock;

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use rand::Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha512};

use super::group::{Element, Fingerprint, G, hex_scalar, hex_scalars};
use super::transcript::{self, ShuffleElementChallenges};
use super::{CryptoError, Result};

pub mod prove;

/// Elements per unit of parallel work: about 12,000 points per multiscalar multiplication,
/// where Pippenger's cost per point has levelled off.
const CHUNK: usize = 2048;

/// What a shuffle proof is bound to besides its lists: the election's setup fingerprint, the
/// shuffler's number and the list's number (one list per ballot style).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShuffleContext {
    pub fingerprint: Fingerprint,
    pub shuffler: u32,
    pub list: u32,
}

/// A proof of a shuffle with a common exponent, in carried form (`specs/protocol.md` §13.5, its
/// encodings §13.7).
///
/// Every vector has one entry per credential. The five commitments `t1 … t5` are decoded
/// when the proof is read; the vectors of points stay encodings, decoded (and any
/// non-canonical one refused, with its field and index) by [`ShuffleProof::verify`], in
/// parallel. Scalars are checked canonical when read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShuffleProof {
    /// `ĉ_0 … ĉ_{N−1}`: the commitment chain.
    #[serde(with = "hex_encodings")]
    pub chain: Vec<[u8; 32]>,
    /// `t̂_0 … t̂_{N−1}`.
    #[serde(with = "hex_encodings")]
    pub chain_commitments: Vec<[u8; 32]>,
    /// `ŝ_0 … ŝ_{N−1}`.
    #[serde(with = "hex_scalars")]
    pub chain_responses: Vec<Scalar>,
    /// `c_0 … c_{N−1}`: the commitment to the permutation, in input order.
    #[serde(with = "hex_encodings")]
    pub permutation: Vec<[u8; 32]>,
    /// `s'_0 … s'_{N−1}`, in output order.
    #[serde(with = "hex_scalars")]
    pub permuted_responses: Vec<Scalar>,
    #[serde(with = "hex_scalar")]
    pub s1: Scalar,
    #[serde(with = "hex_scalar")]
    pub s2: Scalar,
    #[serde(with = "hex_scalar")]
    pub s3: Scalar,
    #[serde(with = "hex_scalar")]
    pub s4: Scalar,
    pub t1: Element,
    pub t2: Element,
    pub t3: Element,
    pub t4: Element,
    pub t5: Element,
}

/// The label of the generators `H_i`.
pub const GENERATOR_LABEL: &[u8] = b"dauys/shuffle/generator";
/// The label of the chain start `Ĥ`.
pub const CHAIN_START_LABEL: &[u8] = b"dauys/shuffle/chain-start";

fn hash_to_group(parts: &[&[u8]]) -> RistrettoPoint {
    let mut h = Sha512::new();
    for p in parts {
        h.update(p);
    }
    let mut wide = [0u8; 64];
    wide.copy_from_slice(&h.finalize());
    RistrettoPoint::from_uniform_bytes(&wide)
}

/// `H_i`: RFC 9496's element derivation (`from_uniform_bytes`) of
/// `SHA-512("dauys/shuffle/generator" ‖ LE64(i))`. Nobody knows a discrete logarithm of one
/// generator to another, or to `g`.
pub fn generator(index: u64) -> RistrettoPoint {
    hash_to_group(&[GENERATOR_LABEL, &index.to_le_bytes()])
}

/// `Ĥ`, where the commitment chain starts: the element derivation of
/// `SHA-512("dauys/shuffle/chain-start")`.
pub fn chain_start() -> RistrettoPoint {
    static START: OnceLock<RistrettoPoint> = OnceLock::new();
    *START.get_or_init(|| hash_to_group(&[CHAIN_START_LABEL]))
}

fn decode(list: &[[u8; 32]], field: &str, i: usize) -> Result<RistrettoPoint> {
    CompressedRistretto(list[i]).decompress().ok_or_else(|| not_a_point(field, i))
}

fn not_a_point(field: &str, i: usize) -> CryptoError {
    CryptoError::Encoding {
        field: format!("{field}[{i}]"),
        reason: "not the canonical encoding of a ristretto255 point".into(),
    }
}

/// Elements `range` of `list`, decoded together (in lanes where the CPU has them:
/// [`super::decode`]); `None` where an encoding is not a point's.
fn decode_range(list: &[[u8; 32]], range: Range<usize>) -> Vec<Option<RistrettoPoint>> {
    super::decode::decode_elements(&list[range]).into_iter().map(|e| e.map(|e| *e.point())).collect()
}

/// Element `i` of a list decoded from `start` on by [`decode_range`], or the error naming it.
fn decoded(points: &[Option<RistrettoPoint>], start: usize, field: &str, i: usize) -> Result<RistrettoPoint> {
    points[i - start].ok_or_else(|| not_a_point(field, i))
}

/// `0 … n` in chunks of `size`.
fn chunks(n: usize, size: usize) -> Vec<Range<usize>> {
    (0..n).step_by(size).map(|a| a..(a + size).min(n)).collect()
}

/// The results of parallel chunks, in order; the first error (in list order) if any.
fn in_order<T>(results: Vec<Result<T>>) -> Result<Vec<T>> {
    results.into_iter().collect()
}

/// A fresh random 128-bit batch weight (§6.2).
fn weight() -> Scalar {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    Scalar::from(u128::from_le_bytes(bytes))
}

/// The statement's own conditions, checked by prover and verifier alike.
fn check_statement(base: &Element, n: usize) -> Result<()> {
    if n == 0 {
        return Err(CryptoError::Parameter("a shuffle needs at least one credential".into()));
    }
    if n > u32::MAX as usize {
        return Err(CryptoError::Parameter(format!("a shuffle takes at most {} credentials, not {n}", u32::MAX)));
    }
    if base.point().is_identity() {
        return Err(CryptoError::Parameter("the base of a shuffle cannot be the identity element".into()));
    }
    Ok(())
}

impl ShuffleProof {
    /// The number of credentials the proof is about.
    pub fn len(&self) -> usize {
        self.permutation.len()
    }

    pub fn is_empty(&self) -> bool {
        self.permutation.is_empty()
    }

    /// Every vector has `n` entries.
    fn check_shape(&self, n: usize) -> Result<()> {
        let lengths = [
            ("chain", self.chain.len()),
            ("chain_commitments", self.chain_commitments.len()),
            ("chain_responses", self.chain_responses.len()),
            ("permutation", self.permutation.len()),
            ("permuted_responses", self.permuted_responses.len()),
        ];
        match lengths.iter().find(|(_, len)| *len != n) {
            None => Ok(()),
            Some((field, len)) => Err(CryptoError::InvalidProof {
                proof: "shuffle proof",
                reason: format!("{field} has {len} entries for {n} credentials"),
            }),
        }
    }

    /// Verifies that `output` and `new_base` are `input` and `base` raised to one secret
    /// exponent, with `output` a permutation of the raised `input` (§13.6).
    pub fn verify(
        &self,
        context: &ShuffleContext,
        base: &Element,
        input: &[[u8; 32]],
        new_base: &Element,
        output: &[[u8; 32]],
    ) -> Result<()> {
        let step = ShuffleStep { context: *context, new_base: *new_base, output, proof: self };
        verify_steps(base, input, &[step], false, CHUNK)
    }

    /// The binary form, in transcript order: `LE64(N) ‖ c_0 … c_{N−1} ‖ ĉ_0 … ĉ_{N−1} ‖
    /// t1 … t5 ‖ t̂_0 … t̂_{N−1} ‖ s1 … s4 ‖ ŝ_0 … ŝ_{N−1} ‖ s'_0 … s'_{N−1}`,
    /// `8 + (5N + 9)·32` bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.len();
        let mut out = Vec::with_capacity(8 + (5 * n + 9) * 32);
        out.extend_from_slice(&(n as u64).to_le_bytes());
        for x in self.permutation.iter().chain(&self.chain) {
            out.extend_from_slice(x);
        }
        for x in [&self.t1, &self.t2, &self.t3, &self.t4, &self.t5] {
            out.extend_from_slice(x.as_bytes());
        }
        for x in &self.chain_commitments {
            out.extend_from_slice(x);
        }
        for s in [&self.s1, &self.s2, &self.s3, &self.s4]
            .into_iter()
            .chain(&self.chain_responses)
            .chain(&self.permuted_responses)
        {
            out.extend_from_slice(s.as_bytes());
        }
        out
    }
}

/// One shuffler's step in a chain, as published: its context, the base and list it produced,
/// and its proof. Its base and input are the previous step's new base and output (the chain's
/// for the first step).
#[derive(Debug, Clone, Copy)]
pub struct ShuffleStep<'a> {
    pub context: ShuffleContext,
    pub new_base: Element,
    pub output: &'a [[u8; 32]],
    pub proof: &'a ShuffleProof,
}

/// Verifies a chain of shuffles that starts from `base` and `input`: each step shuffles what
/// the one before it published. Every step's equations join one random linear combination
/// (§13.6), which derives each generator once and decodes each intermediate list once for
/// the two steps it belongs to; the steps' transcripts are computed in parallel. An error
/// names the step by its shuffler's number.
pub fn verify_chain(base: &Element, input: &[[u8; 32]], steps: &[ShuffleStep<'_>]) -> Result<()> {
    if steps.is_empty() {
        return Err(CryptoError::Parameter("a chain of shuffles needs at least one shuffle".into()));
    }
    verify_steps(base, input, steps, true, CHUNK)
}

/// The names of the values a verification decodes, for its errors: `input[3]`,
/// `proof.chain[5]` for one shuffle; `shuffler 2 output[3]`, `shuffler 2 proof.chain[5]` in
/// a chain.
struct Names {
    chained: bool,
    shufflers: Vec<u32>,
    /// List l: the input for l = 0, step l − 1's output after.
    lists: Vec<String>,
    permutation: Vec<String>,
    chain: Vec<String>,
    chain_commitments: Vec<String>,
}

impl Names {
    fn new(steps: &[ShuffleStep<'_>], chained: bool) -> Self {
        let shufflers: Vec<u32> = steps.iter().map(|s| s.context.shuffler).collect();
        let prefix: Vec<String> =
            shufflers.iter().map(|j| if chained { format!("shuffler {j} ") } else { String::new() }).collect();
        let field = |name: &str| prefix.iter().map(|p| format!("{p}{name}")).collect::<Vec<_>>();
        let lists = std::iter::once("input".to_string()).chain(field("output")).collect();
        Names {
            chained,
            lists,
            permutation: field("proof.permutation"),
            chain: field("proof.chain"),
            chain_commitments: field("proof.chain_commitments"),
            shufflers,
        }
    }

    /// Names step `k` in an error about it as a whole.
    fn step_error(&self, k: usize, error: CryptoError) -> CryptoError {
        if !self.chained {
            return error;
        }
        let j = self.shufflers[k];
        match error {
            CryptoError::InvalidProof { proof, reason } => {
                CryptoError::InvalidProof { proof, reason: format!("shuffler {j}: {reason}") }
            }
            CryptoError::Parameter(reason) => CryptoError::Parameter(format!("shuffler {j}: {reason}")),
            other => other,
        }
    }
}

/// One step with its challenges and batch weights.
struct Prepared<'a> {
    proof: &'a ShuffleProof,
    elements: ShuffleElementChallenges,
    c: Scalar,
    /// `w1 … w5`.
    w: [Scalar; 5],
    w1c: Scalar,
    w4s4: Scalar,
}

impl<'a> Prepared<'a> {
    /// The transcript of §13.4 up to c.
    fn new(step: &ShuffleStep<'a>, base: &Element, input: &[[u8; 32]], w: [Scalar; 5]) -> Self {
        let (context, proof) = (&step.context, step.proof);
        let (elements, mut t) = transcript::shuffle(
            &context.fingerprint,
            context.shuffler,
            context.list,
            base,
            &step.new_base,
            input,
            step.output,
        )
        .permutation(&proof.permutation);
        for x in &proof.chain {
            t.commit(x);
        }
        for x in [&proof.t1, &proof.t2, &proof.t3, &proof.t4, &proof.t5] {
            t.commit(x.as_bytes());
        }
        for x in &proof.chain_commitments {
            t.commit(x);
        }
        let c = t.challenge();
        Prepared { proof, elements, c, w1c: w[0] * c, w4s4: w[3] * proof.s4, w }
    }
}

/// One chunk's share: its multiscalar product, its coefficient on `g`, and each step's
/// `Π u_j` over it.
struct ChunkSum {
    point: RistrettoPoint,
    g: Scalar,
    u_products: Vec<Scalar>,
}

/// Verifies `steps`, the first shuffling `input` under `base` (§13.6; several steps: one
/// combined equation).
fn verify_steps(
    base: &Element,
    input: &[[u8; 32]],
    steps: &[ShuffleStep<'_>],
    chained: bool,
    chunk: usize,
) -> Result<()> {
    let n = input.len();
    check_statement(base, n)?;
    let names = Names::new(steps, chained);
    let bases: Vec<Element> = std::iter::once(*base).chain(steps.iter().map(|s| s.new_base)).collect();
    let lists: Vec<&[[u8; 32]]> = std::iter::once(input).chain(steps.iter().map(|s| s.output)).collect();
    for (k, step) in steps.iter().enumerate() {
        check_step(step, n).map_err(|e| names.step_error(k, e))?;
    }
    let weights: Vec<[Scalar; 5]> = steps.iter().map(|_| std::array::from_fn(|_| weight())).collect();
    // The generators' terms depend on no challenge: they are computed while the transcripts
    // are absorbed (serially, one per step).
    let (prepared, generator_parts): (Vec<Prepared<'_>>, Vec<(RistrettoPoint, RistrettoPoint)>) = rayon::join(
        || steps.par_iter().enumerate().map(|(k, step)| Prepared::new(step, &bases[k], lists[k], weights[k])).collect(),
        || chunks(n, chunk).into_par_iter().map(|range| generator_terms(steps, &weights, range)).collect(),
    );
    let parts: Vec<Result<ChunkSum>> =
        chunks(n, chunk).into_par_iter().map(|range| chunk_terms(&prepared, &lists, &names, range)).collect();
    let (mut sum, mut g, mut u) = (RistrettoPoint::default(), Scalar::ZERO, vec![Scalar::ONE; steps.len()]);
    for part in in_order(parts)? {
        sum += part.point;
        g += part.g;
        u.iter_mut().zip(&part.u_products).for_each(|(u, p)| *u *= p);
    }
    let (mut scalars, mut points) = (Vec::with_capacity(8 * steps.len() + 2), Vec::with_capacity(8 * steps.len() + 2));
    let (mut hat_h, mut all_h) = (Scalar::ZERO, Scalar::ZERO);
    let mut sum_h = RistrettoPoint::default();
    for (weighted, all) in generator_parts {
        sum += weighted;
        sum_h += all;
    }
    for (k, p) in prepared.iter().enumerate() {
        let (proof, c, w) = (p.proof, p.c, &p.w);
        g += w[0] * proof.s1 + w[1] * proof.s2 + w[2] * proof.s3;
        hat_h += w[1] * c * u[k];
        all_h += p.w1c;
        scalars.extend([w[4] * proof.s4, -(w[4] * c), -w[0], -w[1], -w[2], -w[3], -w[4]]);
        points.extend([bases[k], bases[k + 1], proof.t1, proof.t2, proof.t3, proof.t4, proof.t5].map(|e| *e.point()));
    }
    scalars.extend([g, hat_h, all_h]);
    points.extend([G, chain_start(), sum_h]);
    if (sum + RistrettoPoint::vartime_multiscalar_mul(&scalars, &points)).is_identity() {
        return Ok(());
    }
    if steps.len() > 1 {
        // Find the failing step: each alone, in order.
        for (k, step) in steps.iter().enumerate() {
            let single = std::slice::from_ref(step);
            verify_steps(&bases[k], lists[k], single, false, chunk).map_err(|e| names.step_error(k, e))?;
        }
    }
    Err(CryptoError::InvalidProof { proof: "shuffle proof", reason: "its verification equations do not hold".into() })
}

/// The generators' terms of elements `range`, which depend on no challenge:
/// `Σ_i (Σ_k w3^(k)·s'^(k)_i)·H_i` and `Σ_i H_i` (whose coefficient `Σ_k w1^(k)·c^(k)` is applied
/// at the end).
fn generator_terms(
    steps: &[ShuffleStep<'_>],
    weights: &[[Scalar; 5]],
    range: Range<usize>,
) -> (RistrettoPoint, RistrettoPoint) {
    let generators: Vec<RistrettoPoint> = range.clone().map(|i| generator(i as u64)).collect();
    let coefficients =
        range.map(|i| steps.iter().zip(weights).map(|(s, w)| w[2] * s.proof.permuted_responses[i]).sum::<Scalar>());
    (RistrettoPoint::vartime_multiscalar_mul(coefficients, &generators), generators.iter().sum())
}

/// A step's own conditions (§13.6 steps 1 and 2).
fn check_step(step: &ShuffleStep<'_>, n: usize) -> Result<()> {
    if step.output.len() != n {
        return Err(CryptoError::Parameter(format!(
            "the shuffle's output has {} credentials, its input {n}",
            step.output.len()
        )));
    }
    if step.new_base.point().is_identity() {
        return Err(CryptoError::InvalidProof {
            proof: "shuffle proof",
            reason: "the new base is the identity element (exponent 0)".into(),
        });
    }
    step.proof.check_shape(n)
}

/// The terms of elements `range` in the combined equation (§13.6): every point whose
/// coefficient depends on an element, for every step, in one multiscalar multiplication,
/// except the generators ([`generator_terms`]). List l (`lists[l]`) is step l − 1's output
/// and step l's input: one point, both coefficients.
fn chunk_terms(steps: &[Prepared<'_>], lists: &[&[[u8; 32]]], names: &Names, range: Range<usize>) -> Result<ChunkSum> {
    let (a, b, n) = (range.start, range.end, lists[0].len());
    let v: Vec<Vec<Scalar>> = steps.iter().map(|_| range.clone().map(|_| weight()).collect()).collect();
    let capacity = (4 * steps.len() + 1) * range.len() + steps.len();
    let (mut scalars, mut points) = (Vec::with_capacity(capacity), Vec::with_capacity(capacity));
    // ĉ_{a−1} (Ĥ for the first chunk) in the equation of element a.
    for (k, p) in steps.iter().enumerate() {
        points.push(if a == 0 { chain_start() } else { decode(&p.proof.chain, &names.chain[k], a - 1)? });
        scalars.push(v[k][0] * p.proof.permuted_responses[a]);
    }
    // Every point of the chunk decoded at once, per array; used (and a failure reported) in
    // the order of the loop below, as if decoded one at a time.
    let per_step = |array: fn(&ShuffleProof) -> &[[u8; 32]]| -> Vec<Vec<Option<RistrettoPoint>>> {
        steps.iter().map(|p| decode_range(array(p.proof), range.clone())).collect()
    };
    let permutation = per_step(|p| &p.permutation);
    let chain_commitments = per_step(|p| &p.chain_commitments);
    let chain = per_step(|p| &p.chain);
    let list_points: Vec<Vec<Option<RistrettoPoint>>> = lists.iter().map(|l| decode_range(l, range.clone())).collect();
    let (mut g, mut u_products) = (Scalar::ZERO, vec![Scalar::ONE; steps.len()]);
    let mut list_coefficients = vec![Scalar::ZERO; lists.len()];
    for i in range {
        let o = i - a;
        list_coefficients.fill(Scalar::ZERO);
        for (k, p) in steps.iter().enumerate() {
            let (proof, c, w) = (p.proof, p.c, &p.w);
            let u = p.elements.challenge(i as u64);
            let sp = proof.permuted_responses[i];
            u_products[k] *= u;
            g += v[k][o] * proof.chain_responses[i];
            list_coefficients[k] -= p.w4s4 * u;
            list_coefficients[k + 1] += w[3] * sp;
            scalars.push(-(c * (w[0] + w[2] * u)));
            points.push(decoded(&permutation[k], a, &names.permutation[k], i)?);
            scalars.push(-v[k][o]);
            points.push(decoded(&chain_commitments[k], a, &names.chain_commitments[k], i)?);
            let mut chained = -(v[k][o] * c);
            if i + 1 < b {
                chained += v[k][o + 1] * proof.permuted_responses[i + 1];
            }
            if i == n - 1 {
                chained -= w[1] * c;
            }
            scalars.push(chained);
            points.push(decoded(&chain[k], a, &names.chain[k], i)?);
        }
        for l in 0..lists.len() {
            scalars.push(list_coefficients[l]);
            points.push(decoded(&list_points[l], a, &names.lists[l], i)?);
        }
    }
    Ok(ChunkSum { point: RistrettoPoint::vartime_multiscalar_mul(&scalars, &points), g, u_products })
}

/// Serde adapter for lists of point encodings: lowercase hex, checked for form only (the
/// verifier decodes them).
mod hex_encodings {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::crypto::CryptoError;
    use crate::crypto::group::{Hex32, decode_str, hex32};

    pub fn serialize<S: Serializer>(list: &[[u8; 32]], serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(list.len()))?;
        for x in list {
            seq.serialize_element(Hex32::new(x).as_str())?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<[u8; 32]>, D::Error> {
        // Same layout, so the collect reuses the allocation.
        Ok(Vec::<Encoding>::deserialize(deserializer)?.into_iter().map(|e| e.0).collect())
    }

    struct Encoding([u8; 32]);
    impl<'de> Deserialize<'de> for Encoding {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            decode_str(deserializer, |text| {
                hex32("point", text).map(Encoding).map_err(|e| match e {
                    CryptoError::Encoding { reason, .. } => reason,
                    other => other.to_string(),
                })
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::prove::{Shuffle, shuffle};
    use super::*;
    use crate::crypto::group::SecretScalar;

    pub(super) fn context() -> ShuffleContext {
        ShuffleContext { fingerprint: Fingerprint([3; 32]), shuffler: 1, list: 0 }
    }

    pub(super) fn credentials(n: usize) -> Vec<[u8; 32]> {
        let mut rng = rand::rng();
        (0..n).map(|_| SecretScalar::random(&mut rng).public().to_bytes()).collect()
    }

    #[test]
    fn generators_are_distinct_and_fixed() {
        let all: Vec<[u8; 32]> =
            std::iter::once(chain_start()).chain((0..64).map(generator)).map(|p| p.compress().0).collect();
        let mut sorted = all.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), all.len());
        assert_eq!(generator(5), generator(5));
    }

    #[test]
    fn chains_verify_in_any_chunking_and_name_the_bad_step() {
        let input = credentials(11);
        let mut rng = rand::rng();
        let base = Element::generator();
        let contexts: Vec<ShuffleContext> = (1..=3).map(|j| ShuffleContext { shuffler: j, ..context() }).collect();
        let mut shuffles: Vec<Shuffle> = Vec::new();
        for ctx in &contexts {
            let (b, list) = shuffles.last().map_or((base, &input), |s| (s.new_base, &s.output));
            shuffles.push(shuffle(ctx, &b, list, &mut rng).unwrap());
        }
        let steps: Vec<ShuffleStep<'_>> = shuffles
            .iter()
            .zip(&contexts)
            .map(|(s, ctx)| ShuffleStep { context: *ctx, new_base: s.new_base, output: &s.output, proof: &s.proof })
            .collect();
        for chunk in [1, 4, 11, CHUNK] {
            assert_eq!(verify_steps(&base, &input, &steps, true, chunk), Ok(()));
            let mut bad = shuffles[1].proof.clone();
            bad.chain_responses[4] += Scalar::ONE;
            let mut tampered = steps.clone();
            tampered[1].proof = &bad;
            let err = verify_steps(&base, &input, &tampered, true, chunk).unwrap_err();
            assert!(err.to_string().contains("shuffler 2:"), "{err}");
        }
    }

    #[test]
    fn binary_form_has_the_documented_size() {
        let input = credentials(3);
        let base = Element::generator();
        let shuffled = shuffle(&context(), &base, &input, &mut rand::rng()).unwrap();
        let bytes = shuffled.proof.to_bytes();
        assert_eq!(bytes.len(), 8 + (5 * 3 + 9) * 32);
        assert_eq!(&bytes[..8], &3u64.to_le_bytes());
        assert_eq!(&bytes[8..40], &shuffled.proof.permutation[0]);
    }
}
