//! The verifiable shuffle of credentials (`crypto::shuffle`): proving and verifying one
//! shuffle of N credentials, per credential, against the floor of its verification.
//! `BENCHMARKS.md` has the results and the command.
//!
//! * `prove/N`: `shuffle::shuffle` from the input encodings: raising and encoding the list,
//!   sorting it, and the proof (all threads).
//! * `verify/N`, `verify_1_thread/N`: `ShuffleProof::verify` from encodings (the transcript,
//!   decoding every point, deriving the generators and challenges, the multiscalar
//!   multiplication), on all threads and on one.
//! * `transcript/N`: the serial part of verification, absorbing the transcript (§12.4) up to
//!   the challenge c.
//! * `floor_1_thread/N`: what no verifier of this proof avoids, on one thread: decoding the
//!   5N points the statement and proof carry, deriving the N generators, and one
//!   multiscalar multiplication of 6N points with full-size scalars.

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use dauys::crypto::group::{Element, Fingerprint, mul_g};
use dauys::crypto::shuffle::{self, Shuffle, ShuffleContext};
use dauys::crypto::transcript;

const SIZES: [usize; 2] = [1_000, 10_000];

fn context() -> ShuffleContext {
    ShuffleContext { fingerprint: Fingerprint([7; 32]), shuffler: 1, list: 0 }
}

fn credentials(n: usize) -> Vec<[u8; 32]> {
    let mut rng = rand::rng();
    let mut list: Vec<[u8; 32]> = (0..n).map(|_| mul_g(&Scalar::random(&mut rng)).compress().0).collect();
    list.sort_unstable();
    list
}

/// Decode 5N encodings, derive N generators, multiply 6N points in chunks of 2,048 elements
/// (the verifier's).
fn floor(encodings: &[[u8; 32]], scalars: &[Scalar], n: usize) -> RistrettoPoint {
    let mut sum = RistrettoPoint::default();
    for (k, chunk) in encodings.chunks(5 * 2048).enumerate() {
        let mut points: Vec<RistrettoPoint> =
            chunk.iter().map(|e| CompressedRistretto(*e).decompress().expect("valid")).collect();
        let first = k * 2048;
        points.extend((first..(first + chunk.len() / 5).min(n)).map(|i| shuffle::generator(i as u64)));
        sum += RistrettoPoint::vartime_multiscalar_mul(&scalars[..points.len()], &points);
    }
    sum
}

fn bench_shuffle(c: &mut Criterion) {
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a thread pool");
    let mut g = c.benchmark_group("shuffle");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    let sizes: Vec<usize> = match std::env::var("DAUYS_SHUFFLE_BENCH_LARGE") {
        Ok(_) => SIZES.iter().copied().chain([100_000]).collect(),
        Err(_) => SIZES.to_vec(),
    };
    for n in sizes {
        let input = credentials(n);
        let base = Element::generator();
        let ctx = context();
        let Shuffle { new_base, output, proof } = shuffle::shuffle(&ctx, &base, &input, &mut rand::rng()).unwrap();
        proof.verify(&ctx, &base, &input, &new_base, &output).expect("the bench's proof verifies");
        let mut bad = proof.clone();
        bad.s1 += Scalar::ONE;
        assert!(bad.verify(&ctx, &base, &input, &new_base, &output).is_err(), "a tampered proof fails");

        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("prove", n), &n, |b, _| {
            b.iter(|| shuffle::shuffle(&ctx, &base, &input, &mut rand::rng()).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("verify", n), &n, |b, _| {
            b.iter(|| proof.verify(&ctx, &base, &input, &new_base, &output).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("verify_1_thread", n), &n, |b, _| {
            b.iter(|| one.install(|| proof.verify(&ctx, &base, &input, &new_base, &output).unwrap()))
        });
        // The serial part: the transcript of §12.4 up to c, with no challenge u_i.
        g.bench_with_input(BenchmarkId::new("transcript", n), &n, |b, _| {
            b.iter(|| {
                let t = transcript::shuffle(&ctx.fingerprint, 1, 0, &base, &new_base, &input, &output);
                let (_, mut t) = t.permutation(&proof.permutation);
                for x in proof
                    .chain
                    .iter()
                    .chain([proof.t1, proof.t2, proof.t3, proof.t4, proof.t5].iter().map(|e| e.as_bytes()))
                    .chain(&proof.chain_commitments)
                {
                    t.commit(x);
                }
                t.challenge()
            })
        });
        let encodings: Vec<[u8; 32]> = (0..n)
            .flat_map(|i| [input[i], output[i], proof.permutation[i], proof.chain[i], proof.chain_commitments[i]])
            .collect();
        let mut rng = rand::rng();
        let scalars: Vec<Scalar> = (0..6 * 2048).map(|_| Scalar::random(&mut rng)).collect();
        g.bench_with_input(BenchmarkId::new("floor_1_thread", n), &n, |b, _| b.iter(|| floor(&encodings, &scalars, n)));
    }
    g.finish();
}

criterion_group!(benches, bench_shuffle);
criterion_main!(benches);
