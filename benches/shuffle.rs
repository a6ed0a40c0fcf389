//! The verifiable shuffle of credentials (`crypto::shuffle`): proving and verifying one
//! shuffle of N credentials, per credential, against the floor of its verification. N is
//! 1,000 and 10,000, or the list in `DAUYS_SHUFFLE_BENCH_SIZES` (e.g. `100000,1000000`).
//! `BENCHMARKS.md` has the results and the command.
//!
//! * `prove/N`: `prove::shuffle` from the input encodings: raising and encoding the list,
//!   sorting it, and the proof (all threads).
//! * `verify/N`, `verify_1_thread/N`: `ShuffleProof::verify` from encodings (the transcript,
//!   decoding every point, deriving the generators and challenges, the multiscalar
//!   multiplication), on all threads and on one.
//! * `transcript/N`: the serial part of verification, absorbing the transcript (§13.4) up to
//!   the challenge c.
//! * `floor_1_thread/N`: what no verifier of this proof avoids, on one thread: decoding the
//!   5N points the statement and proof carry, deriving the N generators, and one
//!   multiscalar multiplication of 6N points with full-size scalars.

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group};
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use dauys::crypto::group::{Element, Fingerprint, mul_g};
use dauys::crypto::shuffle::prove::{self, Shuffle};
use dauys::crypto::shuffle::{self, ShuffleContext};
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

/// The process's CPU time: the sum over its threads of their time on a CPU (Linux).
struct CpuTime;

fn cpu_nanos() -> u64 {
    let tasks = std::fs::read_dir("/proc/self/task").expect("Linux /proc");
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

impl Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        cpu_nanos()
    }
    fn end(&self, start: u64) -> u64 {
        cpu_nanos().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        WallTime.formatter()
    }
}

fn bench_wall(c: &mut Criterion) {
    bench_shuffle(c, "shuffle");
}

fn bench_cpu(c: &mut Criterion<CpuTime>) {
    bench_shuffle(c, "shuffle_cpu");
}

fn bench_shuffle<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a thread pool");
    let mut g = c.benchmark_group(group);
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    // DAUYS_SHUFFLE_BENCH_SIZES=100000,1000000 replaces the default sizes (each size's proof
    // is made once before its benchmarks: about 4 minutes for a million on 2 cores).
    let sizes: Vec<usize> = match std::env::var("DAUYS_SHUFFLE_BENCH_SIZES") {
        Ok(list) => list.split(',').map(|n| n.trim().parse().expect("DAUYS_SHUFFLE_BENCH_SIZES: numbers")).collect(),
        Err(_) => SIZES.to_vec(),
    };
    for n in sizes {
        let input = credentials(n);
        let base = Element::generator();
        let ctx = context();
        let Shuffle { new_base, output, proof } = prove::shuffle(&ctx, &base, &input, &mut rand::rng()).unwrap();
        proof.verify(&ctx, &base, &input, &new_base, &output).expect("the bench's proof verifies");
        let mut bad = proof.clone();
        bad.s1 += Scalar::ONE;
        assert!(bad.verify(&ctx, &base, &input, &new_base, &output).is_err(), "a tampered proof fails");

        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("prove", n), &n, |b, _| {
            b.iter(|| prove::shuffle(&ctx, &base, &input, &mut rand::rng()).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("verify", n), &n, |b, _| {
            b.iter(|| proof.verify(&ctx, &base, &input, &new_base, &output).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("verify_1_thread", n), &n, |b, _| {
            b.iter(|| one.install(|| proof.verify(&ctx, &base, &input, &new_base, &output).unwrap()))
        });
        // The serial part: the transcript of §13.4 up to c, with no challenge u_i.
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

criterion_group!(wall, bench_wall);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(CpuTime);
    targets = bench_cpu
}
/// `DAUYS_SHUFFLE_ONCE=N`: one proof and one verification (all threads, then one) of N
/// credentials, each timed once in wall and CPU time — for sizes where ten criterion samples
/// would take too long (a million: about 4 minutes to prove, one minute to verify, 2 cores).
fn once(n: usize) {
    let input = credentials(n);
    let (base, ctx) = (Element::generator(), context());
    let timed = |what: &str, f: &dyn Fn()| {
        let (wall, cpu) = (std::time::Instant::now(), cpu_nanos());
        f();
        let (wall, cpu) = (wall.elapsed().as_secs_f64(), (cpu_nanos() - cpu) as f64 * 1e-9);
        let per = |t: f64| t / n as f64 * 1e6;
        println!(
            "shuffle once {what} {n}: wall {wall:.2} s ({:.1} µs/credential), CPU {cpu:.2} s ({:.1} µs/credential), {} threads",
            per(wall),
            per(cpu),
            rayon::current_num_threads()
        );
    };
    let made = std::cell::RefCell::new(None);
    timed("prove", &|| *made.borrow_mut() = Some(prove::shuffle(&ctx, &base, &input, &mut rand::rng()).unwrap()));
    let Shuffle { new_base, output, proof } = made.into_inner().expect("proved");
    timed("verify", &|| proof.verify(&ctx, &base, &input, &new_base, &output).expect("the proof verifies"));
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a thread pool");
    timed("verify_1_thread", &|| {
        one.install(|| proof.verify(&ctx, &base, &input, &new_base, &output).expect("the proof verifies"))
    });
}

fn main() {
    if let Ok(n) = std::env::var("DAUYS_SHUFFLE_ONCE") {
        once(n.parse().expect("DAUYS_SHUFFLE_ONCE: a number of credentials"));
        return;
    }
    wall();
    cpu();
    Criterion::default().configure_from_args().final_summary();
}
