//! Criterion benchmarks of the cryptographic core, with elastic-elgamal (the same group,
//! curve25519-dalek's ristretto255) side by side. `BENCHMARKS.md` has the results and the
//! command that produces them.
//!
//! Every batched measurement starts from the 32-byte encodings a verifier receives: point
//! decompression, scalar decoding, transcript hashing and the random weights are all timed.
//! A voter's credential is decoded once per ballot (for its signature), so it is decoded
//! outside the timed region.

use std::hint::black_box;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use dauys::crypto::Result;
use dauys::crypto::batch::{Base, BatchVerifier};
use dauys::crypto::dleq::DisjunctiveProof;
use dauys::crypto::dlog::DlogTable;
use dauys::crypto::elgamal::{Ciphertext, CiphertextSum, EncryptionKey, KeyPair, message_point};
use dauys::crypto::group::{Element, Fingerprint, G, SecretScalar, mul_g, scalar_from_bytes};
use dauys::crypto::range::RangeProof;
use dauys::crypto::schnorr::SchnorrProof;
use dauys::crypto::threshold::decryption::DecryptionShare;
use dauys::crypto::transcript::{self, ChallengeTranscript};
use elastic_elgamal::app::{ChoiceParams, EncryptedChoice};
use elastic_elgamal::group::{ElementOps, Ristretto};
use elastic_elgamal::{Keypair as PeerKeypair, PublicKey as PeerPublicKey, RingProof};
use rand::{Rng, RngExt};

mod common;
use common::Floor;

const FP: Fingerprint = Fingerprint([7; 32]);
const BATCH_SIZES: [usize; 2] = [1_000, 16_000];
/// Individual (non-batched) verification loops run over this many proofs.
const LOOP_SIZE: usize = 1_000;
const OPTIONS: usize = 8;
const BALLOTS: usize = 1_000;

// ---------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------

fn election_key() -> (KeyPair, EncryptionKey) {
    let kp = KeyPair::generate(&mut rand::rng());
    let key = EncryptionKey::new(kp.public);
    (kp, key)
}

/// One {0,1} option as it travels: the ciphertext and its carried-form range proof, encoded.
#[derive(Clone)]
struct WireOption {
    contest: u32,
    option: u32,
    /// Decoded once per ballot, for the signature.
    credential: Element,
    /// alpha, beta
    ct: [[u8; 32]; 2],
    /// A0, B0, A1, B1
    commitments: [[u8; 32]; 4],
    /// c0, z0, z1
    scalars: [[u8; 32]; 3],
}

/// The same option with the compact proof `(c0, c1, z0, z1)` and no commitments.
struct WireCompact {
    contest: u32,
    option: u32,
    credential: Element,
    ct: [[u8; 32]; 2],
    /// c0, c1, z0, z1
    scalars: [[u8; 32]; 4],
}

struct Opened {
    ct: Ciphertext,
    r: Scalar,
    proof: RangeProof,
}

fn prove_option(
    key: &EncryptionKey,
    credential: &Element,
    (contest, option): (u32, u32),
    m: u64,
    rng: &mut impl rand::CryptoRng,
) -> Opened {
    let (ct, r) = key.encrypt(m, rng);
    let t = transcript::option_range(&FP, key.element(), contest, option, &ct, (0, 1), credential);
    let proof = RangeProof::prove(t, key, ct.alpha.point(), ct.beta.point(), m, r.expose(), (0, 1), rng).unwrap();
    Opened { ct, r: *r.expose(), proof }
}

fn to_wire(o: &Opened, credential: &Element, (contest, option): (u32, u32)) -> WireOption {
    let p = &o.proof.0;
    WireOption {
        contest,
        option,
        credential: *credential,
        ct: [o.ct.alpha.to_bytes(), o.ct.beta.to_bytes()],
        commitments: [
            p.commitments[0].0.to_bytes(),
            p.commitments[0].1.to_bytes(),
            p.commitments[1].0.to_bytes(),
            p.commitments[1].1.to_bytes(),
        ],
        scalars: [p.challenges[0].to_bytes(), p.responses[0].to_bytes(), p.responses[1].to_bytes()],
    }
}

/// The compact form of a carried proof: `c1 = c − c0`, where `c` is the transcript's challenge.
fn to_compact(w: &WireOption, key: &EncryptionKey, ct: &Ciphertext, proof: &RangeProof) -> WireCompact {
    let mut t = transcript::option_range(&FP, key.element(), w.contest, w.option, ct, (0, 1), &w.credential);
    for (a, b) in &proof.0.commitments {
        t.commit(a);
        t.commit(b);
    }
    let c = t.challenge();
    let c0 = proof.0.challenges[0];
    WireCompact {
        contest: w.contest,
        option: w.option,
        credential: w.credential,
        ct: w.ct,
        scalars: [c0.to_bytes(), (c - c0).to_bytes(), proof.0.responses[0].to_bytes(), proof.0.responses[1].to_bytes()],
    }
}

/// `n` options, each under its own credential, with random marks.
fn wire_options(key: &EncryptionKey, n: usize) -> Vec<WireOption> {
    let mut rng = rand::rng();
    (0..n)
        .map(|i| {
            let credential = KeyPair::generate(&mut rng).public;
            let pos = (0, i as u32 % 16);
            let o = prove_option(key, &credential, pos, rng.random_range(0..=1), &mut rng);
            to_wire(&o, &credential, pos)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Verifiers, from the encodings
// ---------------------------------------------------------------------------------------

fn decode_option(w: &WireOption) -> Result<(Ciphertext, RangeProof)> {
    let ct =
        Ciphertext { alpha: Element::from_bytes("alpha", &w.ct[0])?, beta: Element::from_bytes("beta", &w.ct[1])? };
    let c = &w.commitments;
    let commitments = vec![
        (Element::from_bytes("A0", &c[0])?, Element::from_bytes("B0", &c[1])?),
        (Element::from_bytes("A1", &c[2])?, Element::from_bytes("B1", &c[3])?),
    ];
    let proof = DisjunctiveProof {
        challenges: vec![scalar_from_bytes("c0", w.scalars[0])?],
        commitments,
        responses: vec![scalar_from_bytes("z0", w.scalars[1])?, scalar_from_bytes("z1", w.scalars[2])?],
    };
    Ok((ct, RangeProof(proof)))
}

fn option_transcript(key: &Element, w: &WireOption, ct: &Ciphertext) -> ChallengeTranscript {
    transcript::option_range(&FP, key, w.contest, w.option, ct, (0, 1), &w.credential)
}

/// Carried form, all proofs in one batch (one multiscalar multiplication).
fn verify_options_batched(key: &Element, wires: &[WireOption]) -> Result<()> {
    let mut batch = BatchVerifier::with_shared_bases(vec![*key.point()]);
    batch.reserve(wires.len(), 6);
    for w in wires {
        let (ct, proof) = decode_option(w)?;
        let t = option_transcript(key, w, &ct);
        let (alpha, beta) = (Base::Point(*ct.alpha.point()), Base::Point(*ct.beta.point()));
        proof.add_to_batch(t, Base::Shared(0), alpha, beta, (0, 1), &mut batch)?;
    }
    batch.verify()
}

/// Carried form, each proof verified alone.
fn verify_options_individually(key: &Element, wires: &[WireOption]) -> Result<()> {
    for w in wires {
        let (ct, proof) = decode_option(w)?;
        proof.verify(option_transcript(key, w, &ct), key.point(), ct.alpha.point(), ct.beta.point(), (0, 1))?;
    }
    Ok(())
}

fn compact_scalars(w: &WireCompact) -> Result<[Scalar; 4]> {
    let s = |i: usize, f: &str| scalar_from_bytes(f, w.scalars[i]);
    Ok([s(0, "c0")?, s(1, "c1")?, s(2, "z0")?, s(3, "z1")?])
}

/// The recomputed commitments of a compact {0,1} proof, each multiplied by `factor`:
/// `A_j = z_j·g − c_j·α`, `B_j = z_j·K − c_j·(β − j·g)`.
fn compact_commitments(key: &RistrettoPoint, ct: &Ciphertext, s: &[Scalar; 4], factor: &Scalar) -> [RistrettoPoint; 4] {
    let (alpha, beta) = (ct.alpha.point(), ct.beta.point());
    let shifted = [*beta, beta - G];
    let mut out = [RistrettoPoint::default(); 4];
    for j in 0..2 {
        let (c, z) = (s[j] * factor, s[2 + j] * factor);
        out[2 * j] = RistrettoPoint::vartime_double_scalar_mul_basepoint(&-c, alpha, &z);
        out[2 * j + 1] = RistrettoPoint::vartime_multiscalar_mul([z, -c], [*key, shifted[j]]);
    }
    out
}

fn decode_ct(ct: &[[u8; 32]; 2]) -> Result<Ciphertext> {
    Ok(Ciphertext { alpha: Element::from_bytes("alpha", &ct[0])?, beta: Element::from_bytes("beta", &ct[1])? })
}

/// Compact form, verified through the library's transcript: each recomputed commitment is
/// compressed on its own (`Element::from_point`).
fn verify_compact(key: &Element, w: &WireCompact) -> Result<bool> {
    let ct = decode_ct(&w.ct)?;
    let s = compact_scalars(w)?;
    let mut t = transcript::option_range(&FP, key, w.contest, w.option, &ct, (0, 1), &w.credential);
    for p in compact_commitments(key.point(), &ct, &s, &Scalar::ONE) {
        t.commit(&Element::from_point(p));
    }
    Ok(t.challenge() == s[0] + s[1])
}

/// The option-range transcript of `dauys::crypto::transcript`, rebuilt on merlin directly so
/// that commitments can be absorbed as raw encodings (the library's `commit` takes an
/// `Element`, which holds a point). Checked against the library in `sanity_checks`.
fn raw_option_transcript(key: &[u8; 32], w: &WireCompact) -> merlin::Transcript {
    let mut t = merlin::Transcript::new(transcript::label::OPTION_RANGE);
    t.append_message(b"protocol", transcript::PROTOCOL);
    t.append_u64(b"version", transcript::VERSION);
    t.append_message(b"fingerprint", FP.as_bytes());
    t.append_message(b"key", key);
    t.append_u64(b"contest", w.contest.into());
    t.append_u64(b"option", w.option.into());
    t.append_message(b"alpha", &w.ct[0]);
    t.append_message(b"beta", &w.ct[1]);
    t.append_u64(b"lo", 0);
    t.append_u64(b"hi", 1);
    t.append_message(b"credential", w.credential.as_bytes());
    t
}

/// Compact form, best case: the four commitments are computed halved and encoded with one
/// shared inversion (`double_and_compress_batch`).
fn verify_compact_batch_compress(key: &Element, w: &WireCompact, half: &Scalar) -> Result<bool> {
    let ct = decode_ct(&w.ct)?;
    let s = compact_scalars(w)?;
    let halves = compact_commitments(key.point(), &ct, &s, half);
    let mut t = raw_option_transcript(key.as_bytes(), w);
    for enc in RistrettoPoint::double_and_compress_batch(&halves) {
        t.append_message(b"commitment", enc.as_bytes());
    }
    let mut wide = [0u8; 64];
    t.challenge_bytes(b"challenge", &mut wide);
    Ok(Scalar::from_bytes_mod_order_wide(&wide) == s[0] + s[1])
}

fn option_floor(key: &EncryptionKey, wires: &[WireOption]) -> Floor {
    // Commitments first in each item (they carry the 128-bit weights), then alpha and beta.
    let encodings = wires.iter().flat_map(|w| w.commitments.iter().chain(w.ct.iter()).copied()).collect();
    Floor::new(encodings, 6, 4, vec![G, *key.element().point()])
}

// ---------------------------------------------------------------------------------------
// Schnorr (ballot signatures) on the wire
// ---------------------------------------------------------------------------------------

struct WireSignature {
    message: [u8; 32],
    credential: [u8; 32],
    commitment: [u8; 32],
    response: [u8; 32],
}

fn wire_signatures(n: usize) -> Vec<WireSignature> {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| {
            let x = SecretScalar::random(&mut rng);
            let credential = x.public();
            let mut message = [0u8; 32];
            rng.fill_bytes(&mut message);
            let sig = SchnorrProof::prove(transcript::ballot_signature(&FP, &message, &credential), &x, &mut rng);
            WireSignature {
                message,
                credential: credential.to_bytes(),
                commitment: sig.commitment.to_bytes(),
                response: sig.response.to_bytes(),
            }
        })
        .collect()
}

fn decode_signature(w: &WireSignature) -> Result<(Element, SchnorrProof)> {
    let credential = Element::from_bytes("credential", &w.credential)?;
    let proof = SchnorrProof {
        commitment: Element::from_bytes("R", &w.commitment)?,
        response: scalar_from_bytes("z", w.response)?,
    };
    Ok((credential, proof))
}

fn verify_signatures_batched(wires: &[WireSignature]) -> Result<()> {
    let mut batch = BatchVerifier::new();
    batch.reserve(wires.len(), 2);
    for w in wires {
        let (credential, proof) = decode_signature(w)?;
        proof.add_to_batch(transcript::ballot_signature(&FP, &w.message, &credential), &credential, &mut batch);
    }
    batch.verify()
}

fn verify_signatures_individually(wires: &[WireSignature]) -> Result<()> {
    for w in wires {
        let (credential, proof) = decode_signature(w)?;
        proof.verify(transcript::ballot_signature(&FP, &w.message, &credential), &credential)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Ballots: one contest of 8 options, exactly one mark
// ---------------------------------------------------------------------------------------

struct Ballot {
    credential: Element,
    cts: Vec<Ciphertext>,
    proofs: Vec<RangeProof>,
    sum: RangeProof,
}

fn make_ballot(key: &EncryptionKey, rng: &mut impl rand::CryptoRng) -> Ballot {
    let credential = KeyPair::generate(rng).public;
    let choice = rng.random_range(0..OPTIONS);
    let (mut cts, mut proofs) = (Vec::with_capacity(OPTIONS), Vec::with_capacity(OPTIONS));
    let (mut total, mut r_total) = (CiphertextSum::default(), Scalar::ZERO);
    for i in 0..OPTIONS {
        let o = prove_option(key, &credential, (0, i as u32), u64::from(i == choice), rng);
        total.add(&o.ct);
        r_total += o.r;
        cts.push(o.ct);
        proofs.push(o.proof);
    }
    let t = transcript::contest_sum(&FP, key.element(), 0, &cts, (1, 1), &credential);
    let sum = RangeProof::prove(t, key, &total.alpha, &total.beta, 1, &r_total, (1, 1), rng).unwrap();
    Ballot { credential, cts, proofs, sum }
}

/// Each of the ballot's nine proofs verified alone.
fn verify_ballot_each_proof(key: &Element, b: &Ballot) -> Result<()> {
    for (i, (ct, p)) in b.cts.iter().zip(&b.proofs).enumerate() {
        let t = transcript::option_range(&FP, key, 0, i as u32, ct, (0, 1), &b.credential);
        p.verify(t, key.point(), ct.alpha.point(), ct.beta.point(), (0, 1))?;
    }
    let total = Ciphertext::sum(&b.cts);
    let t = transcript::contest_sum(&FP, key, 0, &b.cts, (1, 1), &b.credential);
    b.sum.verify(t, key.point(), total.alpha.point(), total.beta.point(), (1, 1))
}

/// Adds a ballot's nine proofs to `batch` as one item.
fn add_ballot(key: &Element, b: &Ballot, batch: &mut BatchVerifier) -> Result<()> {
    let mut total = CiphertextSum::default();
    let mut item = batch.item();
    for (i, (ct, p)) in b.cts.iter().zip(&b.proofs).enumerate() {
        total.add(ct);
        let t = transcript::option_range(&FP, key, 0, i as u32, ct, (0, 1), &b.credential);
        p.add_to(t, Base::Shared(0), Base::Point(*ct.alpha.point()), Base::Point(*ct.beta.point()), (0, 1), &mut item)?;
    }
    let t = transcript::contest_sum(&FP, key, 0, &b.cts, (1, 1), &b.credential);
    b.sum.add_to(t, Base::Shared(0), Base::Point(total.alpha), Base::Point(total.beta), (1, 1), &mut item)
}

/// A ballot on the wire: 8 encoded options and the sum proof `(A, B, z)`.
struct WireBallot {
    credential: Element,
    options: Vec<WireOption>,
    sum: [[u8; 32]; 3],
}

fn to_wire_ballot(b: &Ballot) -> WireBallot {
    let options = b
        .cts
        .iter()
        .zip(&b.proofs)
        .enumerate()
        .map(|(i, (ct, p))| {
            to_wire(&Opened { ct: *ct, r: Scalar::ZERO, proof: p.clone() }, &b.credential, (0, i as u32))
        })
        .collect();
    let (a, bb) = b.sum.0.commitments[0];
    WireBallot {
        credential: b.credential,
        options,
        sum: [a.to_bytes(), bb.to_bytes(), b.sum.0.responses[0].to_bytes()],
    }
}

fn decode_ballot(w: &WireBallot) -> Result<Ballot> {
    let (mut cts, mut proofs) = (Vec::with_capacity(OPTIONS), Vec::with_capacity(OPTIONS));
    for o in &w.options {
        let (ct, p) = decode_option(o)?;
        cts.push(ct);
        proofs.push(p);
    }
    let sum = RangeProof(DisjunctiveProof {
        challenges: vec![],
        commitments: vec![(Element::from_bytes("A", &w.sum[0])?, Element::from_bytes("B", &w.sum[1])?)],
        responses: vec![scalar_from_bytes("z", w.sum[2])?],
    });
    Ok(Ballot { credential: w.credential, cts, proofs, sum })
}

fn verify_ballots_batched(key: &Element, wires: &[WireBallot]) -> Result<()> {
    let mut batch = BatchVerifier::with_shared_bases(vec![*key.point()]);
    batch.reserve(wires.len(), 6 * OPTIONS + 4);
    for w in wires {
        add_ballot(key, &decode_ballot(w)?, &mut batch)?;
    }
    batch.verify()
}

// ---------------------------------------------------------------------------------------
// elastic-elgamal fixtures
// ---------------------------------------------------------------------------------------

fn peer_key() -> PeerPublicKey<Ristretto> {
    PeerKeypair::<Ristretto>::generate(&mut rand::rng()).into_tuple().0
}

/// An encrypted bool with its ring proof, encoded: (alpha ‖ beta, c ‖ s0 ‖ s1).
fn peer_wire_bools(pk: &PeerPublicKey<Ristretto>, n: usize) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| {
            let (ct, proof) = pk.encrypt_bool(rng.random_bool(0.5), &mut rng);
            (ct.to_bytes(), proof.to_bytes())
        })
        .collect()
}

fn peer_verify_wire_bool(pk: &PeerPublicKey<Ristretto>, (ct, proof): &(Vec<u8>, Vec<u8>)) -> bool {
    let (Some(alpha), Some(beta)) =
        (Ristretto::deserialize_element(&ct[..32]), Ristretto::deserialize_element(&ct[32..]))
    else {
        return false;
    };
    let Some(proof) = RingProof::<Ristretto>::from_bytes(proof) else { return false };
    pk.verify_bool(elastic_elgamal::Ciphertext::from_elements(alpha, beta), &proof).is_ok()
}

// ---------------------------------------------------------------------------------------
// Sanity: every verifier accepts what it is given and rejects a tampered proof.
// ---------------------------------------------------------------------------------------

fn sanity_checks() {
    let (_, key) = election_key();
    let k = key.element();
    let wires = wire_options(&key, 4);
    verify_options_batched(k, &wires).expect("batch accepts");
    verify_options_individually(k, &wires).expect("individual accepts");
    let half = Scalar::from(2u64).invert();
    for w in &wires {
        let (ct, proof) = decode_option(w).unwrap();
        let compact = to_compact(w, &key, &ct, &proof);
        assert!(verify_compact(k, &compact).unwrap());
        assert!(verify_compact_batch_compress(k, &compact, &half).unwrap());
        let mut bad = WireCompact { scalars: compact.scalars, ..compact };
        bad.scalars[2] = (scalar_from_bytes("", bad.scalars[2]).unwrap() + Scalar::ONE).to_bytes();
        assert!(!verify_compact(k, &bad).unwrap());
        assert!(!verify_compact_batch_compress(k, &bad, &half).unwrap());
    }
    let mut bad = wires.clone();
    bad[2].scalars[1] = (scalar_from_bytes("", bad[2].scalars[1]).unwrap() + Scalar::ONE).to_bytes();
    assert!(verify_options_batched(k, &bad).is_err());

    let sigs = wire_signatures(4);
    verify_signatures_batched(&sigs).expect("signatures");
    verify_signatures_individually(&sigs).expect("signatures");

    let mut rng = rand::rng();
    let ballots: Vec<WireBallot> = (0..3).map(|_| to_wire_ballot(&make_ballot(&key, &mut rng))).collect();
    verify_ballots_batched(k, &ballots).expect("ballots");
    verify_ballot_each_proof(k, &decode_ballot(&ballots[0]).unwrap()).expect("ballot");

    let pk = peer_key();
    assert!(peer_wire_bools(&pk, 3).iter().all(|w| peer_verify_wire_bool(&pk, w)));
}

// ---------------------------------------------------------------------------------------
// Benchmarks
// ---------------------------------------------------------------------------------------

fn bench_group_ops(c: &mut Criterion) {
    let mut g = c.benchmark_group("group");
    let p = mul_g(&Scalar::random(&mut rand::rng()));
    let enc = p.compress();
    g.bench_function("decompress", |b| b.iter(|| black_box(&enc).decompress()));
    g.bench_function("compress", |b| b.iter(|| black_box(&p).compress()));
    let (x, y) = (Scalar::random(&mut rand::rng()), Scalar::random(&mut rand::rng()));
    g.bench_function("mul_g_table", |b| b.iter(|| mul_g(black_box(&x))));
    g.bench_function("mul_variable_base_ct", |b| b.iter(|| black_box(&x) * black_box(&p)));
    g.bench_function("vartime_double_base", |b| {
        b.iter(|| RistrettoPoint::vartime_double_scalar_mul_basepoint(black_box(&x), &p, black_box(&y)))
    });
    g.finish();
}

/// Runs first: a benchmark of a verifier that accepts anything would be meaningless.
fn checks(_: &mut Criterion) {
    sanity_checks();
}

fn bench_encrypt(c: &mut Criterion) {
    let mut g = c.benchmark_group("encrypt");
    let (_, key) = election_key();
    let k = *key.element().point();
    let mut rng = rand::rng();
    g.bench_function("dauys/table", |b| b.iter(|| key.encrypt(black_box(1), &mut rng)));
    g.bench_function("dauys/plain_scalar_mul", |b| {
        b.iter(|| {
            let r = SecretScalar::random(&mut rng);
            let alpha = Element::from_point(r.expose() * G);
            let beta = Element::from_point(message_point(black_box(1)) + r.expose() * k);
            (Ciphertext { alpha, beta }, r)
        })
    });
    let pk = peer_key();
    g.bench_function("elastic-elgamal/encrypt_no_encoding", |b| b.iter(|| pk.encrypt(black_box(1u64), &mut rng)));
    g.finish();
}

fn bench_schnorr(c: &mut Criterion) {
    let mut g = c.benchmark_group("schnorr");
    let mut rng = rand::rng();
    let x = SecretScalar::random(&mut rng);
    let cred = x.public();
    let msg = [5u8; 32];
    let t = || transcript::ballot_signature(&FP, &msg, &cred);
    g.bench_function("prove", |b| b.iter(|| SchnorrProof::prove(t(), &x, &mut rng)));
    let proof = SchnorrProof::prove(t(), &x, &mut rng);
    g.bench_function("verify", |b| b.iter(|| proof.verify(t(), &cred).unwrap()));
    g.finish();
}

fn bench_chaum_pedersen(c: &mut Criterion) {
    let mut g = c.benchmark_group("chaum_pedersen");
    let mut rng = rand::rng();
    let (_, key) = election_key();
    let (ct, _) = key.encrypt(1, &mut rng);
    let s = SecretScalar::random(&mut rng);
    let vk = s.public();
    g.bench_function("decryption_share_create", |b| {
        b.iter(|| DecryptionShare::create(&FP, 2, &s, (0, 3), &ct, &mut rng))
    });
    let share = DecryptionShare::create(&FP, 2, &s, (0, 3), &ct, &mut rng);
    g.bench_function("decryption_share_verify", |b| b.iter(|| share.verify(&FP, (0, 3), &ct, &vk).unwrap()));
    g.finish();
}

/// Decryption shares on the wire: one trustee's shares of many tally ciphertexts.
struct WireShare {
    ct: [[u8; 32]; 2],
    share: [u8; 32],
    commitments: [[u8; 32]; 2],
    response: [u8; 32],
}

fn bench_batch_chaum_pedersen(c: &mut Criterion) {
    let mut g = c.benchmark_group("batch_chaum_pedersen");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    let mut rng = rand::rng();
    let (_, key) = election_key();
    let s = SecretScalar::random(&mut rng);
    let vk = s.public();
    let n_max = *BATCH_SIZES.iter().max().unwrap();
    let wires: Vec<WireShare> = (0..n_max)
        .map(|i| {
            let (ct, _) = key.encrypt(1, &mut rng);
            let d = DecryptionShare::create(&FP, 2, &s, (0, i as u32), &ct, &mut rng);
            WireShare {
                ct: [ct.alpha.to_bytes(), ct.beta.to_bytes()],
                share: d.share.to_bytes(),
                commitments: [d.proof.commitments.0.to_bytes(), d.proof.commitments.1.to_bytes()],
                response: d.proof.response.to_bytes(),
            }
        })
        .collect();
    let verify = |wires: &[WireShare]| -> Result<()> {
        let mut batch = BatchVerifier::new();
        for (i, w) in wires.iter().enumerate() {
            let ct = Ciphertext {
                alpha: Element::from_bytes("alpha", &w.ct[0])?,
                beta: Element::from_bytes("beta", &w.ct[1])?,
            };
            let share = DecryptionShare {
                proof: dauys::crypto::dleq::ChaumPedersenProof {
                    commitments: (
                        Element::from_bytes("A", &w.commitments[0])?,
                        Element::from_bytes("B", &w.commitments[1])?,
                    ),
                    response: scalar_from_bytes("z", w.response)?,
                },
                share: Element::from_bytes("share", &w.share)?,
                trustee: 2,
            };
            share.add_to_batch(&FP, (0, i as u32), &ct, &vk, &mut batch);
        }
        batch.verify()
    };
    assert!(verify(&wires[..10]).is_ok(), "the fixtures verify");
    for n in BATCH_SIZES {
        let wires = &wires[..n];
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::new("batched", n), |b| b.iter(|| verify(wires).unwrap()));
        // The floor: the 5 points a share and its ciphertext carry (A, B, α, β, D) decompressed,
        // and one MSM with the batch's 5 terms per share (A, B with 128-bit weights; α, VK, D;
        // β's slot stands for VK's term) and g.
        let encodings: Vec<[u8; 32]> =
            wires.iter().flat_map(|w| [w.commitments[0], w.commitments[1], w.ct[0], w.ct[1], w.share]).collect();
        let floor = Floor::new(encodings, 5, 2, vec![G]);
        g.bench_function(BenchmarkId::new("floor", n), |b| b.iter(|| floor.run()));
    }
    g.finish();
}

fn bench_range01(c: &mut Criterion) {
    let mut g = c.benchmark_group("range01");
    let mut rng = rand::rng();
    let (_, key) = election_key();
    let k = key.element();
    let cred = KeyPair::generate(&mut rng).public;
    let (ct, r) = key.encrypt(1, &mut rng);
    let t = || transcript::option_range(&FP, k, 0, 1, &ct, (0, 1), &cred);
    g.bench_function("dauys/prove", |b| {
        b.iter(|| RangeProof::prove(t(), &key, ct.alpha.point(), ct.beta.point(), 1, r.expose(), (0, 1), &mut rng))
    });
    g.bench_function("dauys/encrypt+prove", |b| b.iter(|| prove_option(&key, &cred, (0, 1), 1, &mut rng)));
    let proof =
        RangeProof::prove(t(), &key, ct.alpha.point(), ct.beta.point(), 1, r.expose(), (0, 1), &mut rng).unwrap();
    g.bench_function("dauys/transcript_only", |b| {
        b.iter(|| {
            let mut t = t();
            for (a, b) in &proof.0.commitments {
                t.commit(a);
                t.commit(b);
            }
            t.challenge()
        })
    });
    g.bench_function("dauys/verify_carried", |b| {
        b.iter(|| proof.verify(t(), k.point(), ct.alpha.point(), ct.beta.point(), (0, 1)).unwrap())
    });
    let w = to_wire(&Opened { ct, r: Scalar::ZERO, proof: proof.clone() }, &cred, (0, 1));
    let compact = to_compact(&w, &key, &ct, &proof);
    g.bench_function("dauys/verify_compact", |b| b.iter(|| assert!(verify_compact(k, &compact).unwrap())));

    let pk = peer_key();
    g.bench_function("elastic-elgamal/encrypt_bool", |b| b.iter(|| pk.encrypt_bool(true, &mut rng)));
    let (pct, pproof) = pk.encrypt_bool(true, &mut rng);
    g.bench_function("elastic-elgamal/verify_bool", |b| b.iter(|| pk.verify_bool(pct, &pproof).unwrap()));
    g.finish();
}

fn bench_contest_sum(c: &mut Criterion) {
    let mut g = c.benchmark_group("contest_sum_1_1");
    let mut rng = rand::rng();
    let (_, key) = election_key();
    let k = key.element();
    let credential = KeyPair::generate(&mut rng).public;
    let (mut total, mut r) = (CiphertextSum::default(), Scalar::ZERO);
    let mut cts = Vec::with_capacity(OPTIONS);
    for i in 0..OPTIONS {
        let (ct, ri) = key.encrypt(u64::from(i == 3), &mut rng);
        total.add(&ct);
        r += ri.expose();
        cts.push(ct);
    }
    let t = || transcript::contest_sum(&FP, k, 0, &cts, (1, 1), &credential);
    g.bench_function("prove", |b| {
        b.iter(|| RangeProof::prove(t(), &key, &total.alpha, &total.beta, 1, &r, (1, 1), &mut rng).unwrap())
    });
    let proof = RangeProof::prove(t(), &key, &total.alpha, &total.beta, 1, &r, (1, 1), &mut rng).unwrap();
    g.bench_function("verify", |b| b.iter(|| proof.verify(t(), k.point(), &total.alpha, &total.beta, (1, 1)).unwrap()));
    g.finish();
}

fn bench_batch_range01(c: &mut Criterion) {
    let mut g = c.benchmark_group("batch_range01");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    let (_, key) = election_key();
    let k = key.element();
    let all = wire_options(&key, *BATCH_SIZES.iter().max().unwrap());
    for n in BATCH_SIZES {
        let wires = &all[..n];
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::new("dauys/carried_batched", n), |b| {
            b.iter(|| verify_options_batched(k, wires).unwrap())
        });
        let floor = option_floor(&key, wires);
        g.bench_function(BenchmarkId::new("floor", n), |b| b.iter(|| floor.run()));
        let full = Floor::new(floor.encodings.clone(), 6, 0, floor.shared.clone());
        g.bench_function(BenchmarkId::new("floor_full_scalars", n), |b| b.iter(|| full.run()));
    }

    let wires = &all[..LOOP_SIZE];
    g.throughput(Throughput::Elements(LOOP_SIZE as u64));
    g.bench_function(BenchmarkId::new("dauys/carried_individual", LOOP_SIZE), |b| {
        b.iter(|| verify_options_individually(k, wires).unwrap())
    });
    let compact: Vec<WireCompact> = wires
        .iter()
        .map(|w| {
            let (ct, proof) = decode_option(w).unwrap();
            to_compact(w, &key, &ct, &proof)
        })
        .collect();
    g.bench_function(BenchmarkId::new("dauys/compact_individual", LOOP_SIZE), |b| {
        b.iter(|| compact.iter().all(|w| verify_compact(k, w).unwrap()))
    });
    let half = Scalar::from(2u64).invert();
    g.bench_function(BenchmarkId::new("dauys/compact_individual_batch_compress", LOOP_SIZE), |b| {
        b.iter(|| compact.iter().all(|w| verify_compact_batch_compress(k, w, &half).unwrap()))
    });
    let pk = peer_key();
    let peer = peer_wire_bools(&pk, LOOP_SIZE);
    g.bench_function(BenchmarkId::new("elastic-elgamal/verify_bool", LOOP_SIZE), |b| {
        b.iter(|| assert!(peer.iter().all(|w| peer_verify_wire_bool(&pk, w))))
    });
    g.finish();
}

fn bench_batch_schnorr(c: &mut Criterion) {
    let mut g = c.benchmark_group("batch_schnorr");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    let all = wire_signatures(*BATCH_SIZES.iter().max().unwrap());
    for n in BATCH_SIZES {
        let wires = &all[..n];
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::new("batched", n), |b| b.iter(|| verify_signatures_batched(wires).unwrap()));
        // Per signature: decompress R and the credential; MSM terms on R (128-bit) and X.
        let encodings = wires.iter().flat_map(|w| [w.commitment, w.credential]).collect();
        let floor = Floor::new(encodings, 2, 1, vec![G]);
        g.bench_function(BenchmarkId::new("floor", n), |b| b.iter(|| floor.run()));
    }
    let wires = &all[..LOOP_SIZE];
    g.throughput(Throughput::Elements(LOOP_SIZE as u64));
    g.bench_function(BenchmarkId::new("individual", LOOP_SIZE), |b| {
        b.iter(|| verify_signatures_individually(wires).unwrap())
    });
    g.finish();
}

fn bench_choice8(c: &mut Criterion) {
    let mut g = c.benchmark_group("choice8");
    let mut rng = rand::rng();
    let (_, key) = election_key();
    let k = key.element();
    g.bench_function("dauys/encrypt+prove", |b| b.iter(|| make_ballot(&key, &mut rng)));
    let ballot = make_ballot(&key, &mut rng);
    g.bench_function("dauys/verify_each_proof", |b| b.iter(|| verify_ballot_each_proof(k, &ballot).unwrap()));
    g.bench_function("dauys/verify_one_msm", |b| {
        b.iter_batched(
            || BatchVerifier::with_shared_bases(vec![*k.point()]),
            |mut batch| {
                add_ballot(k, &ballot, &mut batch).unwrap();
                batch.verify().unwrap()
            },
            BatchSize::SmallInput,
        )
    });

    let params = ChoiceParams::single(peer_key(), OPTIONS);
    g.bench_function("elastic-elgamal/single", |b| {
        b.iter(|| EncryptedChoice::single(&params, rng.random_range(0..OPTIONS), &mut rng))
    });
    let choice = EncryptedChoice::single(&params, 3, &mut rng);
    g.bench_function("elastic-elgamal/verify", |b| b.iter(|| choice.verify(&params).unwrap().len()));
    g.finish();

    let mut g = c.benchmark_group("batch_choice8");
    g.sample_size(10).sampling_mode(SamplingMode::Flat).throughput(Throughput::Elements(BALLOTS as u64));
    let wires: Vec<WireBallot> = (0..BALLOTS).map(|_| to_wire_ballot(&make_ballot(&key, &mut rng))).collect();
    g.bench_function(BenchmarkId::new("dauys/batched", BALLOTS), |b| {
        b.iter(|| verify_ballots_batched(k, &wires).unwrap())
    });
    let choices: Vec<_> =
        (0..BALLOTS).map(|_| EncryptedChoice::single(&params, rng.random_range(0..OPTIONS), &mut rng)).collect();
    g.bench_function(BenchmarkId::new("elastic-elgamal/verify_decoded", BALLOTS), |b| {
        b.iter(|| choices.iter().map(|c| c.verify(&params).unwrap().len()).sum::<usize>())
    });
    g.finish();
}

fn bench_dlog(c: &mut Criterion) {
    let mut g = c.benchmark_group("dlog");
    g.sample_size(10);
    for (name, bound) in [("1e3", 1_000u64), ("1e5", 100_000), ("1e7", 10_000_000)] {
        g.bench_function(BenchmarkId::new("table_new", name), |b| b.iter(|| DlogTable::new(black_box(bound))));
        let table = DlogTable::new(bound);
        // The count equal to the bound: every giant step is taken (the worst case).
        let target = mul_g(&Scalar::from(bound));
        assert_eq!(table.find(&target).unwrap(), bound);
        g.bench_function(BenchmarkId::new("find_worst", name), |b| b.iter(|| table.find(black_box(&target)).unwrap()));
    }
    g.finish();
}

criterion_group!(
    benches,
    checks,
    bench_encrypt,
    bench_group_ops,
    bench_schnorr,
    bench_chaum_pedersen,
    bench_batch_chaum_pedersen,
    bench_range01,
    bench_contest_sum,
    bench_batch_range01,
    bench_batch_schnorr,
    bench_choice8,
    bench_dlog,
);
criterion_main!(benches);
