//! Throughput at national scale, for two ballot shapes: `choice8` (one party-list contest of
//! 8 options, the Mazhilis shape: `specs/examples/mazhilis-manifest.json`) and `demo3` (the
//! demo's three contests, 2 + 5 + 9 options). `BENCHMARKS.md` has the results and commands.
//!
//! * `verify_throughput`: `dauys-verify`'s whole pass over a record of [`BALLOTS`] ballots on
//!   one thread (every check: parsing and canonical form, the Merkle log, proofs, tally,
//!   decryptions, result), against two floors computed from the same ballots — decompress
//!   every point each ballot carries, then one multiscalar multiplication of the terms its
//!   proofs add, either per ballot or per batch of [`VERIFIER_BATCH`] ballots as the verifier
//!   batches them — and against elastic-elgamal's `EncryptedChoice::verify` of the same shape.
//! * `tally_throughput`: homomorphic aggregation of decoded ballots against the same number of
//!   raw point additions.
//! * `ballot_encrypt`: encrypting, proving and signing one ballot (key tables), one thread and
//!   all threads (as `dauys simulate` does), against elastic-elgamal's `EncryptedChoice`.
//! * `board_append`: `Board::append_batch` of 64 fresh ballots (all proofs checked, SQLite
//!   transaction, signed checkpoint), per ballot.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::traits::Identity;
use dauys::crypto::group::G;
use dauys::election::ballot::Ballot;
use dauys::election::credential::{Credential, CredentialList};
use dauys::election::manifest::Manifest;
use dauys::election::params::ElectionParams;
use dauys::election::tally::TallyAccumulator;
use dauys::log::event::Event;
use dauys::runner::{LocalElection, NATIONAL_MANIFEST, VoterPlan, ballots_for};
use elastic_elgamal::app::{ChoiceParams, EncryptedChoice};
use elastic_elgamal::group::Ristretto;
use elastic_elgamal::{Keypair as PeerKeypair, PublicKey as PeerPublicKey};
use rand::RngExt;

mod common;
use common::Floor;

/// Ballots in the verified record.
const BALLOTS: usize = 1_000;
/// elastic-elgamal verifies this many (its time per ballot is what is compared).
const PEER_BALLOTS: usize = 100;
/// The verifier's batch (`verify::engine::BATCH`): ballots per multiscalar multiplication.
const VERIFIER_BATCH: usize = 256;
/// Ballots appended per `board_append` transaction.
const APPEND: usize = 64;

const MAZHILIS_MANIFEST: &str = include_str!("../specs/examples/mazhilis-manifest.json");
const SHAPES: [(&str, &str); 2] = [("choice8", MAZHILIS_MANIFEST), ("demo3", NATIONAL_MANIFEST)];

fn one_thread() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a thread pool")
}

/// One mark per contest, at random (every contest of both shapes is single-choice).
fn random_marks(manifest: &Manifest) -> Vec<Vec<u64>> {
    let mut rng = rand::rng();
    manifest
        .contests
        .iter()
        .map(|c| {
            let mut marks = vec![0; c.options.len()];
            marks[rng.random_range(0..c.options.len())] = 1;
            marks
        })
        .collect()
}

fn plans(manifest: &Manifest, n: usize) -> Vec<VoterPlan> {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| VoterPlan {
            key: Credential::generate(&mut rng).key_pair(&manifest.election_id),
            marks: random_marks(manifest),
            earlier: None,
            challenge: false,
        })
        .collect()
}

/// An election of `n` voters in `dir`, open, with nobody having voted yet.
fn open_election(dir: &Path, manifest: &Manifest, n: usize) -> (LocalElection, Vec<VoterPlan>) {
    let _ = std::fs::remove_dir_all(dir);
    let mut rng = rand::rng();
    let plans = plans(manifest, n);
    let list = CredentialList::new(plans.iter().map(|p| p.key.public).collect()).expect("distinct credentials");
    let mut election = LocalElection::setup(dir, manifest.clone(), &mut rng).expect("setup");
    election.open(list, &mut rng).expect("open");
    (election, plans)
}

/// A whole election of `n` ballots, exported; returns the record and the cast ballots.
struct Recorded {
    record: PathBuf,
    ballots: Vec<Ballot>,
    params: ElectionParams,
}

fn recorded(shape: &str, manifest: &Manifest, n: usize) -> Recorded {
    let dir = std::env::temp_dir().join(format!("dauys-bench-{shape}-{}", std::process::id()));
    let (mut election, plans) = open_election(&dir, manifest, n);
    let record = common::cast_tally_export(&mut election, &plans, &dir);
    let ballots = election.board.cast_ballots().expect("ballots").into_iter().map(|(_, b)| b).collect();
    Recorded { record, ballots, params: election.params().clone() }
}

/// The points a ballot carries, in its proofs' order, with whether each gets a 128-bit weight
/// in the batch (commitments) or a full scalar (ciphertexts, credential); and the points its
/// proofs add without carrying them (each contest's `Σα`, `Σβ`).
fn ballot_terms(b: &Ballot) -> (Vec<[u8; 32]>, Vec<bool>, Vec<RistrettoPoint>) {
    let (mut encodings, mut short, mut computed) = (vec![], vec![], vec![]);
    let mut push = |e: &dauys::crypto::group::Element, is_short: bool| {
        encodings.push(e.to_bytes());
        short.push(is_short);
    };
    for contest in &b.contests {
        for (ct, proof) in contest.ciphertexts.iter().zip(&contest.option_proofs) {
            for (a, bb) in &proof.0.commitments {
                push(a, true);
                push(bb, true);
            }
            push(&ct.alpha, false);
            push(&ct.beta, false);
        }
        for (a, bb) in &contest.sum_proof.0.commitments {
            push(a, true);
            push(bb, true);
        }
        computed.push(contest.ciphertexts.iter().map(|c| c.alpha.point()).sum());
        computed.push(contest.ciphertexts.iter().map(|c| c.beta.point()).sum());
    }
    push(&b.signature.commitment, true);
    push(&b.credential, false);
    (encodings, short, computed)
}

/// The floor over `ballots` taken together: their carried points decompressed, one
/// multiscalar multiplication over every term (`g` and the key shared).
fn floor_of(ballots: &[Ballot], key: RistrettoPoint) -> Floor {
    let (mut encodings, mut short, mut shared) = (vec![], vec![], vec![G, key]);
    for b in ballots {
        let (e, s, c) = ballot_terms(b);
        encodings.extend(e);
        short.extend(s);
        shared.extend(c);
    }
    Floor::shaped(encodings, &short, shared)
}

/// elastic-elgamal's ballot of the same shape: one `EncryptedChoice` per contest.
struct PeerShape {
    params: Vec<ChoiceParams<Ristretto, elastic_elgamal::app::SingleChoice>>,
}

impl PeerShape {
    fn new(manifest: &Manifest) -> Self {
        let pk: PeerPublicKey<Ristretto> = PeerKeypair::generate(&mut rand::rng()).public().clone();
        PeerShape {
            params: manifest.contests.iter().map(|c| ChoiceParams::single(pk.clone(), c.options.len())).collect(),
        }
    }

    fn encrypt(&self) -> Vec<EncryptedChoice<Ristretto, elastic_elgamal::app::SingleChoice>> {
        let mut rng = rand::rng();
        self.params
            .iter()
            .map(|p| EncryptedChoice::single(p, rng.random_range(0..p.options_count()), &mut rng))
            .collect()
    }

    fn verify(&self, ballot: &[EncryptedChoice<Ristretto, elastic_elgamal::app::SingleChoice>]) -> usize {
        ballot.iter().zip(&self.params).map(|(c, p)| c.verify(p).expect("valid").len()).sum()
    }
}

fn bench_verify_throughput(c: &mut Criterion) {
    let pool = one_thread();
    for (shape, json) in SHAPES {
        let manifest = Manifest::from_json(json).expect("manifest");
        let fixture = recorded(shape, &manifest, BALLOTS);
        let key = *fixture.params.key.element().point();
        let report = pool.install(|| dauys::verify::verify(&fixture.record, &Default::default())).expect("readable");
        assert!(report.valid(), "the fixture record verifies");

        let mut g = c.benchmark_group(format!("verify_throughput/{shape}"));
        g.sample_size(10).sampling_mode(SamplingMode::Flat).throughput(Throughput::Elements(BALLOTS as u64));
        g.bench_function(BenchmarkId::new("dauys/record_1_thread", BALLOTS), |b| {
            b.iter(|| pool.install(|| dauys::verify::verify(&fixture.record, &Default::default()).expect("readable")))
        });
        let batched: Vec<Floor> = fixture.ballots.chunks(VERIFIER_BATCH).map(|c| floor_of(c, key)).collect();
        g.bench_function(BenchmarkId::new("floor/batched", BALLOTS), |b| {
            b.iter(|| batched.iter().map(Floor::run).sum::<RistrettoPoint>())
        });
        g.bench_function(BenchmarkId::new("floor/batched_serial_decompression", BALLOTS), |b| {
            b.iter(|| batched.iter().map(Floor::run_serial).sum::<RistrettoPoint>())
        });
        let per_ballot: Vec<Floor> = fixture.ballots.chunks(1).map(|c| floor_of(c, key)).collect();
        g.bench_function(BenchmarkId::new("floor/per_ballot", BALLOTS), |b| {
            b.iter(|| per_ballot.iter().map(Floor::run).sum::<RistrettoPoint>())
        });

        let peer = PeerShape::new(&manifest);
        let peer_ballots: Vec<_> = (0..PEER_BALLOTS).map(|_| peer.encrypt()).collect();
        g.throughput(Throughput::Elements(PEER_BALLOTS as u64));
        g.bench_function(BenchmarkId::new("elastic-elgamal/verify_decoded", PEER_BALLOTS), |b| {
            b.iter(|| peer_ballots.iter().map(|ballot| peer.verify(ballot)).sum::<usize>())
        });
        g.finish();
        let _ = std::fs::remove_dir_all(fixture.record.parent().expect("election dir"));
    }
}

fn bench_tally_throughput(c: &mut Criterion) {
    for (shape, json) in SHAPES {
        let manifest = Manifest::from_json(json).expect("manifest");
        let params = open_params(shape, &manifest);
        let plans = plans(&manifest, BALLOTS);
        let ballots: Vec<Ballot> = ballots_for(&params, &plans, &dauys::runner::draw_seed(&mut rand::rng()), |_| {})
            .expect("ballots")
            .into_iter()
            .map(|e| match e {
                Event::Cast(b) => *b,
                _ => unreachable!("only cast ballots were planned"),
            })
            .collect();
        // The same additions, raw: every α and β into its option's running sum.
        let points: Vec<RistrettoPoint> = ballots
            .iter()
            .flat_map(|b| {
                b.contests
                    .iter()
                    .flat_map(|c| c.ciphertexts.iter().flat_map(|ct| [*ct.alpha.point(), *ct.beta.point()]))
            })
            .collect();
        let per_ballot = points.len() / ballots.len();

        let mut g = c.benchmark_group(format!("tally_throughput/{shape}"));
        g.throughput(Throughput::Elements(BALLOTS as u64));
        g.bench_function(BenchmarkId::new("dauys/accumulate", BALLOTS), |b| {
            b.iter(|| {
                let mut acc = TallyAccumulator::new(&manifest);
                for ballot in &ballots {
                    acc.add(0, ballot);
                }
                acc
            })
        });
        g.bench_function(BenchmarkId::new("raw_point_additions", BALLOTS), |b| {
            b.iter(|| {
                let mut sums = vec![RistrettoPoint::identity(); per_ballot];
                for ballot in points.chunks_exact(per_ballot) {
                    for (s, p) in sums.iter_mut().zip(ballot) {
                        *s += p;
                    }
                }
                sums
            })
        });
        g.finish();
    }
}

/// The parameters of an open election of the shape (its voters are not needed).
fn open_params(shape: &str, manifest: &Manifest) -> ElectionParams {
    let dir = std::env::temp_dir().join(format!("dauys-bench-params-{shape}-{}", std::process::id()));
    let (election, _) = open_election(&dir, manifest, 1);
    let params = election.params().clone();
    drop(election);
    let _ = std::fs::remove_dir_all(&dir);
    params
}

fn bench_ballot_encrypt(c: &mut Criterion) {
    let threads = rayon::current_num_threads();
    for (shape, json) in SHAPES {
        let manifest = Manifest::from_json(json).expect("manifest");
        let params = open_params(shape, &manifest);
        let plans = plans(&manifest, APPEND);
        let mut g = c.benchmark_group(format!("ballot_encrypt/{shape}"));
        g.throughput(Throughput::Elements(1));
        let mut rng = rand::rng();
        let voter = &plans[0];
        g.bench_function("dauys/encrypt_prove_sign", |b| {
            b.iter(|| Ballot::encrypt(&params, &voter.key, &voter.marks, &mut rng).expect("ballot"))
        });
        let peer = PeerShape::new(&manifest);
        g.bench_function("elastic-elgamal/encrypted_choice", |b| b.iter(|| peer.encrypt()));
        g.sample_size(10).throughput(Throughput::Elements(APPEND as u64));
        g.bench_function(BenchmarkId::new(format!("dauys/parallel_{threads}_threads"), APPEND), |b| {
            b.iter(|| {
                ballots_for(&params, &plans, &dauys::runner::draw_seed(&mut rand::rng()), |_| {}).expect("ballots")
            })
        });
        g.finish();
    }
}

fn bench_board_append(c: &mut Criterion) {
    let manifest = Manifest::from_json(MAZHILIS_MANIFEST).expect("manifest");
    let dir = std::env::temp_dir().join(format!("dauys-bench-append-{}", std::process::id()));
    let (mut election, plans) = open_election(&dir, &manifest, 4 * APPEND);
    let params = election.params().clone();
    let mut g = c.benchmark_group("board_append/choice8");
    g.sample_size(10).sampling_mode(SamplingMode::Flat).throughput(Throughput::Elements(APPEND as u64));
    let mut round = 0usize;
    g.bench_function(BenchmarkId::new("dauys/append_batch", APPEND), |b| {
        // Fresh ballots each time (re-votes of a rotating window of voters), made untimed.
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                let window = &plans[(round % 4) * APPEND..][..APPEND];
                round += 1;
                let events =
                    ballots_for(&params, window, &dauys::runner::draw_seed(&mut rand::rng()), |_| {}).expect("ballots");
                let start = Instant::now();
                let receipts = election.board.append_batch(events, &mut rand::rng()).expect("stored");
                timed += start.elapsed();
                assert!(receipts.iter().all(Result::is_ok), "every ballot accepted");
            }
            timed
        })
    });
    g.finish();
    drop(election);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Decoding the points of `choice8` ballots: dalek one at a time, against
/// `dauys::crypto::decode` (the fastest lanes the CPU has: AVX-512 IFMA, else AVX2;
/// `DAUYS_DECODER` chooses). And the decoding-hint alternative (`specs/record.md`): given the
/// inverse square root, a point costs about ten field multiplications, measured here by its
/// proxy, one point addition (dalek's extended-coordinates addition: nine multiplications).
fn bench_decode(c: &mut Criterion) {
    let manifest = Manifest::from_json(MAZHILIS_MANIFEST).expect("manifest");
    let params = open_params("choice8-decode", &manifest);
    let mut rng = rand::rng();
    let key = Credential::generate(&mut rng).key_pair(&manifest.election_id);
    let mut encodings = Vec::new();
    while encodings.len() < DECODE_POINTS {
        let (ballot, _) = Ballot::encrypt(&params, &key, &random_marks(&manifest), &mut rng).expect("ballot");
        encodings.extend(ballot_terms(&ballot).0);
    }
    encodings.truncate(DECODE_POINTS);
    eprintln!("decode: {}", dauys::crypto::decode::decoder_name());
    let points: Vec<RistrettoPoint> =
        dauys::crypto::decode::decode_elements(&encodings).into_iter().map(|e| *e.expect("valid").point()).collect();
    let mut g = c.benchmark_group("decode/choice8_points");
    g.throughput(Throughput::Elements(DECODE_POINTS as u64));
    g.bench_function(BenchmarkId::new("dalek_decompress", DECODE_POINTS), |b| {
        b.iter(|| {
            encodings
                .iter()
                .filter(|e| curve25519_dalek::ristretto::CompressedRistretto(**e).decompress().is_some())
                .count()
        })
    });
    g.bench_function(BenchmarkId::new("dauys_decode_elements", DECODE_POINTS), |b| {
        b.iter(|| dauys::crypto::decode::decode_elements(&encodings).iter().filter(|e| e.is_some()).count())
    });
    g.bench_function(BenchmarkId::new("hint_check_proxy_point_addition", DECODE_POINTS), |b| {
        b.iter(|| points.windows(2).map(|w| w[0] + w[1]).sum::<RistrettoPoint>())
    });
    g.finish();
}

/// Points decoded per `decode` measurement.
const DECODE_POINTS: usize = 1024;

criterion_group!(
    benches,
    bench_ballot_encrypt,
    bench_tally_throughput,
    bench_verify_throughput,
    bench_board_append,
    bench_decode
);
criterion_main!(benches);
