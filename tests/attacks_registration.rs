//! Adversarial review of registration and unlinking (`specs/protocol.md` §13, §14, §14.6): each
//! test plays one attacker — a cheating shuffler, the registrar (with or without the CA), the
//! board, a voter's device — against the real code: the shuffle proof and its batch
//! verification, the log's admission rules, and the observers' verifier on a record forged by
//! the board (which re-signs its checkpoints, so that the check under attack is what must
//! catch it). Where an attack succeeds by design (it rests on a party the threat model
//! trusts), the test shows both that it succeeds and what catches it outside the record.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, IsIdentity};
use dauys::crypto::elgamal::KeyPair;
use dauys::crypto::group::{Element, Fingerprint, G, SecretScalar, mul_g};
use dauys::crypto::schnorr::SchnorrProof;
use dauys::crypto::shuffle::{self, ShuffleContext, ShuffleProof, ShuffleStep};
use dauys::crypto::transcript;
use dauys::election::citizen_ca::{CitizenKeys, SyntheticCaIssuer};
use dauys::election::credential::CredentialList;
use dauys::election::pseudonym::PseudonymKey;
use dauys::election::registration::{Pseudonym, Roll};
use dauys::election::unlinking::CredentialShuffle;
use dauys::log::event::Event;
use dauys::log::state::{LogState, Verification};
use dauys::verify::{Check, Options, verify};

mod registered;
mod resigned;

fn temp(name: &str) -> PathBuf {
    registered::temp("advreg", name)
}
use registered::{Fixture, registered_election};
use resigned::setup_fp;

// ---------------------------------------------------------------------------------------
// A shuffle prover written from specs/protocol.md §13.5, with a hook between the commitments
// and the challenge c: a cheating shuffler that controls every value it commits to. And the
// verification equations E1–E6 of §13.6 one by one, unweighted, to show what a batch without
// independent weights would accept.
// ---------------------------------------------------------------------------------------

const FS: Fingerprint = Fingerprint([0x5a; 32]);

fn ctx(shuffler: u32) -> ShuffleContext {
    ShuffleContext { fingerprint: FS, shuffler, list: 0 }
}

fn point(bytes: &[u8; 32]) -> RistrettoPoint {
    CompressedRistretto(*bytes).decompress().unwrap()
}

fn enc(p: &RistrettoPoint) -> [u8; 32] {
    p.compress().0
}

fn random() -> Scalar {
    Scalar::random(&mut rand::rng())
}

fn credentials(n: usize) -> Vec<[u8; 32]> {
    let mut list: Vec<[u8; 32]> = (0..n).map(|_| enc(&mul_g(&random()))).collect();
    list.sort_unstable();
    list
}

/// A statement: context, base, input, new base, output.
#[derive(Clone)]
struct Claim {
    context: ShuffleContext,
    base: Element,
    input: Vec<[u8; 32]>,
    new_base: Element,
    output: Vec<[u8; 32]>,
}

impl Claim {
    /// The honest statement for exponent `s` and permutation `pi` (output i = s·input[pi[i]]).
    fn honest(context: ShuffleContext, base: Element, input: &[[u8; 32]], s: Scalar, pi: &[usize]) -> Claim {
        let output = pi.iter().map(|&j| enc(&(point(&input[j]) * s))).collect();
        Claim { context, base, input: input.to_vec(), new_base: Element::from_point(base.point() * s), output }
    }

    fn verify(&self, proof: &ShuffleProof) -> Result<(), dauys::crypto::CryptoError> {
        proof.verify(&self.context, &self.base, &self.input, &self.new_base, &self.output)
    }

    fn step<'a>(&'a self, proof: &'a ShuffleProof) -> ShuffleStep<'a> {
        ShuffleStep { context: self.context, new_base: self.new_base, output: &self.output, proof }
    }
}

/// What the prover commits to after the challenges u: the chain ĉ, t1 … t5 and the chain
/// commitments t̂. A cheater's hook may change any of them before c is drawn.
struct Commitments {
    chain: Vec<RistrettoPoint>,
    t: [RistrettoPoint; 5],
    hats: Vec<RistrettoPoint>,
}

/// §13.5 step by step with witness `(s, pi)` for `claim` (which may be false); `hook` sees
/// the commitments and the permuted challenges u'_i and may change the commitments.
fn prove_by_hand(
    claim: &Claim,
    s: Scalar,
    pi: &[usize],
    hook: impl FnOnce(&mut Commitments, &[Scalar]),
) -> ShuffleProof {
    let n = claim.input.len();
    let mut pi_inv = vec![0usize; n];
    for (i, &j) in pi.iter().enumerate() {
        pi_inv[j] = i;
    }
    let r: Vec<Scalar> = (0..n).map(|_| random()).collect();
    let permutation: Vec<[u8; 32]> =
        (0..n).map(|j| enc(&(mul_g(&r[j]) + shuffle::generator(pi_inv[j] as u64)))).collect();
    let (elements, mut t) = transcript::shuffle(
        &claim.context.fingerprint,
        claim.context.shuffler,
        claim.context.list,
        &claim.base,
        &claim.new_base,
        &claim.input,
        &claim.output,
    )
    .permutation(&permutation);
    let u: Vec<Scalar> = (0..n).map(|j| elements.challenge(j as u64)).collect();
    let up: Vec<Scalar> = pi.iter().map(|&j| u[j]).collect();
    // The chain ĉ_i = r̂_i·g + u'_i·ĉ_{i−1}, and r̂ with ĉ_{N−1} = r̂·g + Π u·Ĥ.
    let r_hat: Vec<Scalar> = (0..n).map(|_| random()).collect();
    let mut chain = Vec::with_capacity(n);
    let mut prev = shuffle::chain_start();
    let mut r_agg = Scalar::ZERO;
    for i in 0..n {
        prev = mul_g(&r_hat[i]) + prev * up[i];
        r_agg = r_agg * up[i] + r_hat[i];
        chain.push(prev);
    }
    let omega: Vec<Scalar> = (0..4).map(|_| random()).collect();
    let omega_hat: Vec<Scalar> = (0..n).map(|_| random()).collect();
    let omega_prime: Vec<Scalar> = (0..n).map(|_| random()).collect();
    let a: RistrettoPoint = (0..n).map(|j| point(&claim.input[j]) * u[j]).sum();
    let t3_sum: RistrettoPoint = (0..n).map(|i| shuffle::generator(i as u64) * omega_prime[i]).sum();
    let t4_sum: RistrettoPoint = (0..n).map(|i| point(&claim.output[i]) * omega_prime[i]).sum();
    let hats = (0..n)
        .map(|i| {
            let before = if i == 0 { shuffle::chain_start() } else { chain[i - 1] };
            mul_g(&omega_hat[i]) + before * omega_prime[i]
        })
        .collect();
    let mut commitments = Commitments {
        chain,
        t: [
            mul_g(&omega[0]),
            mul_g(&omega[1]),
            mul_g(&omega[2]) + t3_sum,
            t4_sum - a * omega[3],
            claim.base.point() * omega[3],
        ],
        hats,
    };
    hook(&mut commitments, &up);
    let chain: Vec<[u8; 32]> = commitments.chain.iter().map(enc).collect();
    let hats: Vec<[u8; 32]> = commitments.hats.iter().map(enc).collect();
    let ts: Vec<Element> = commitments.t.iter().map(|p| Element::from_point(*p)).collect();
    for x in &chain {
        t.commit(x);
    }
    for x in &ts {
        t.commit(&x.to_bytes());
    }
    for x in &hats {
        t.commit(x);
    }
    let c = t.challenge();
    ShuffleProof {
        chain,
        chain_commitments: hats,
        chain_responses: (0..n).map(|i| omega_hat[i] + c * r_hat[i]).collect(),
        permutation,
        permuted_responses: (0..n).map(|i| omega_prime[i] + c * up[i]).collect(),
        s1: omega[0] + c * r.iter().sum::<Scalar>(),
        s2: omega[1] + c * r_agg,
        s3: omega[2] + c * r.iter().zip(&u).map(|(r, u)| r * u).sum::<Scalar>(),
        s4: omega[3] + c * s,
        t1: ts[0],
        t2: ts[1],
        t3: ts[2],
        t4: ts[3],
        t5: ts[4],
    }
}

/// The N + 5 equations of §13.6 for `proof` on `claim`, each as the point that must be 0:
/// `[E1, E2, E3, E4, E5, E6_0, …, E6_{N−1}]`. Written from the spec, independently of
/// `src/crypto/shuffle/`.
fn residuals(claim: &Claim, proof: &ShuffleProof) -> Vec<RistrettoPoint> {
    let n = claim.input.len();
    let (elements, mut t) = transcript::shuffle(
        &claim.context.fingerprint,
        claim.context.shuffler,
        claim.context.list,
        &claim.base,
        &claim.new_base,
        &claim.input,
        &claim.output,
    )
    .permutation(&proof.permutation);
    for x in &proof.chain {
        t.commit(x);
    }
    for x in [&proof.t1, &proof.t2, &proof.t3, &proof.t4, &proof.t5] {
        t.commit(&x.to_bytes());
    }
    for x in &proof.chain_commitments {
        t.commit(x);
    }
    let c = t.challenge();
    let u: Vec<Scalar> = (0..n).map(|j| elements.challenge(j as u64)).collect();
    let u_all: Scalar = u.iter().product();
    let h: Vec<RistrettoPoint> = (0..n).map(|i| shuffle::generator(i as u64)).collect();
    let cj: Vec<RistrettoPoint> = proof.permutation.iter().map(point).collect();
    let chain: Vec<RistrettoPoint> = proof.chain.iter().map(point).collect();
    let sum_c: RistrettoPoint = cj.iter().sum();
    let sum_h: RistrettoPoint = h.iter().sum();
    let a: RistrettoPoint = (0..n).map(|j| point(&claim.input[j]) * u[j]).sum();
    let mut out = vec![
        mul_g(&proof.s1) - (sum_c - sum_h) * c - proof.t1.point(),
        mul_g(&proof.s2) - chain[n - 1] * c + shuffle::chain_start() * (c * u_all) - proof.t2.point(),
        mul_g(&proof.s3) + (0..n).map(|i| h[i] * proof.permuted_responses[i]).sum::<RistrettoPoint>()
            - (0..n).map(|j| cj[j] * u[j]).sum::<RistrettoPoint>() * c
            - proof.t3.point(),
        (0..n).map(|i| point(&claim.output[i]) * proof.permuted_responses[i]).sum::<RistrettoPoint>()
            - a * proof.s4
            - proof.t4.point(),
        claim.base.point() * proof.s4 - claim.new_base.point() * c - proof.t5.point(),
    ];
    for i in 0..n {
        let before = if i == 0 { shuffle::chain_start() } else { chain[i - 1] };
        out.push(
            mul_g(&proof.chain_responses[i]) + before * proof.permuted_responses[i]
                - chain[i] * c
                - point(&proof.chain_commitments[i]),
        );
    }
    out
}

fn failing(residuals: &[RistrettoPoint]) -> Vec<usize> {
    residuals.iter().enumerate().filter(|(_, r)| !r.is_identity()).map(|(k, _)| k).collect()
}

fn sum(residuals: &[RistrettoPoint]) -> RistrettoPoint {
    residuals.iter().sum()
}

/// A random permutation of 0 … n−1.
fn permutation(n: usize) -> Vec<usize> {
    use rand::seq::SliceRandom;
    let mut pi: Vec<usize> = (0..n).collect();
    pi.shuffle(&mut rand::rng());
    pi
}

#[test]
fn the_hand_written_prover_is_a_valid_prover_and_the_equations_are_the_spec() {
    // Control for every cheat below: with no change, the proof verifies, and every equation
    // of the independent transcription of §13.6 is 0.
    let input = credentials(7);
    let (s, pi) = (random(), permutation(7));
    let claim = Claim::honest(ctx(1), Element::generator(), &input, s, &pi);
    let proof = prove_by_hand(&claim, s, &pi, |_, _| {});
    assert_eq!(claim.verify(&proof), Ok(()));
    assert!(failing(&residuals(&claim, &proof)).is_empty());
}

/// A replaced credential whose errors cancel in an unweighted sum: output k is
/// `s·X_{π(k)} + d·g`, which leaves `c·u'_k·d·g` in E4; moving the last chain link by
/// `(u'_k·d/2)·g` (after u, before c) leaves `−c·u'_k·d·g/2` in each of E2 and E6_{N−1}. The
/// sum of all N + 5 equations is 0: a verifier that added the equations without independent
/// weights (or with one weight for E2, E4 and E6) would accept a shuffle that replaced a
/// voter's credential by one the shuffler can sign for.
#[test]
fn a_replaced_credential_whose_errors_cancel_in_an_unweighted_sum_is_caught() {
    let n = 6;
    let input = credentials(n);
    let (s, pi) = (random(), permutation(n));
    let mut claim = Claim::honest(ctx(1), Element::generator(), &input, s, &pi);
    let (k, d) = (2usize, Scalar::from(1234u64));
    claim.output[k] = enc(&(point(&claim.output[k]) + mul_g(&d)));
    let half = Scalar::from(2u64).invert();
    let proof = prove_by_hand(&claim, s, &pi, |c, up| {
        c.chain[n - 1] += mul_g(&(up[k] * d * half));
    });
    let r = residuals(&claim, &proof);
    assert_eq!(failing(&r), vec![1, 3, 5 + n - 1], "E2, E4 and E6_(N-1) fail alone");
    assert!(sum(&r).is_identity(), "the unweighted sum holds: the attack is real against a naive batch");
    assert!(claim.verify(&proof).is_err());
    // In a chain, with an honest second step after it: still caught, and named.
    let (s2, pi2) = (random(), permutation(n));
    let next = Claim::honest(ctx(2), claim.new_base, &claim.output, s2, &pi2);
    let next_proof = prove_by_hand(&next, s2, &pi2, |_, _| {});
    assert_eq!(next.verify(&next_proof), Ok(()));
    let err = shuffle::verify_chain(&claim.base, &input, &[claim.step(&proof), next.step(&next_proof)]).unwrap_err();
    assert!(err.to_string().contains("shuffler 1:"), "{err}");
}

/// Two equations of one proof whose errors cancel: t1 + P and t2 − P, both committed before c.
#[test]
fn errors_that_cancel_between_two_equations_of_one_proof_are_caught() {
    let input = credentials(5);
    let (s, pi) = (random(), permutation(5));
    let claim = Claim::honest(ctx(1), Element::generator(), &input, s, &pi);
    let p = mul_g(&random());
    let proof = prove_by_hand(&claim, s, &pi, |c, _| {
        c.t[0] += p;
        c.t[1] -= p;
    });
    let r = residuals(&claim, &proof);
    assert_eq!(failing(&r), vec![0, 1]);
    assert!(sum(&r).is_identity());
    assert!(claim.verify(&proof).is_err());
}

/// Two failing shuffles in a chain whose errors cancel: step 1 commits t4 + P, step 2 t4 − P.
/// `verify_chain` adds every step's equations into one: only independent weights per step
/// keep them apart.
#[test]
fn two_failing_shuffles_in_a_chain_do_not_cancel() {
    let n = 5;
    let input = credentials(n);
    let g = Element::generator();
    let p = mul_g(&random());
    let (s1, pi1) = (random(), permutation(n));
    let first = Claim::honest(ctx(1), g, &input, s1, &pi1);
    let first_proof = prove_by_hand(&first, s1, &pi1, |c, _| c.t[3] += p);
    let (s2, pi2) = (random(), permutation(n));
    let second = Claim::honest(ctx(2), first.new_base, &first.output, s2, &pi2);
    let second_proof = prove_by_hand(&second, s2, &pi2, |c, _| c.t[3] -= p);
    let (r1, r2) = (residuals(&first, &first_proof), residuals(&second, &second_proof));
    assert_eq!((failing(&r1), failing(&r2)), (vec![3], vec![3]));
    assert!((sum(&r1) + sum(&r2)).is_identity(), "the errors cancel across the two steps");
    let err = shuffle::verify_chain(&g, &input, &[first.step(&first_proof), second.step(&second_proof)]).unwrap_err();
    assert!(err.to_string().contains("shuffler 1:"), "{err}");
    // A cheat spread over the two steps' E5 (the exponent equation) does not cancel either.
    let q = mul_g(&random());
    let first_proof = prove_by_hand(&first, s1, &pi1, |c, _| c.t[4] += q);
    let second_proof = prove_by_hand(&second, s2, &pi2, |c, _| c.t[4] -= q);
    assert!(shuffle::verify_chain(&g, &input, &[first.step(&first_proof), second.step(&second_proof)]).is_err());
}

/// The exponent is common: E4 and E5 share the response s4. A shuffler that proves E5 for
/// `h' = s·h` but raised the list by another exponent s* fails E4 — and cannot move the error
/// into t4 either, because t4 is committed before c and the error is c·(s* − s)·A.
#[test]
fn a_list_raised_by_an_exponent_other_than_the_bases_is_caught() {
    let input = credentials(4);
    let pi = permutation(4);
    let (s, other) = (random(), random());
    let mut claim = Claim::honest(ctx(1), Element::generator(), &input, other, &pi);
    claim.new_base = Element::from_point(G * s);
    for witness in [s, other] {
        let proof = prove_by_hand(&claim, witness, &pi, |_, _| {});
        assert!(!failing(&residuals(&claim, &proof)).is_empty());
        assert!(claim.verify(&proof).is_err());
    }
}

/// The first shuffle's input is the registered list in ascending order. Inputs in another
/// order (the log order, say) are another statement: the permutation commitment is in input
/// order, so a proof for one order fails for the other.
#[test]
fn the_input_order_is_part_of_the_statement() {
    let input = credentials(5);
    let (s, pi) = (random(), permutation(5));
    let claim = Claim::honest(ctx(1), Element::generator(), &input, s, &pi);
    let proof = prove_by_hand(&claim, s, &pi, |_, _| {});
    let mut reordered = claim.clone();
    reordered.input.swap(0, 3);
    assert!(reordered.verify(&proof).is_err());
}

/// What the Fiat–Shamir challenges bind: every value of the statement and every commitment
/// changes c or the u_i. The checks go through `residuals`, which recomputes the transcript:
/// changing one absorbed value of a valid proof makes some equation fail.
#[test]
fn every_value_of_the_statement_and_every_commitment_is_in_the_challenges() {
    let n = 3;
    let input = credentials(n);
    let (s, pi) = (random(), permutation(n));
    let claim = Claim::honest(ctx(1), Element::generator(), &input, s, &pi);
    let proof = prove_by_hand(&claim, s, &pi, |_, _| {});
    let challenges = |claim: &Claim, proof: &ShuffleProof| {
        let (elements, mut t) = transcript::shuffle(
            &claim.context.fingerprint,
            claim.context.shuffler,
            claim.context.list,
            &claim.base,
            &claim.new_base,
            &claim.input,
            &claim.output,
        )
        .permutation(&proof.permutation);
        for x in proof.chain.iter().chain(&proof.chain_commitments) {
            t.commit(x);
        }
        for x in [&proof.t1, &proof.t2, &proof.t3, &proof.t4, &proof.t5] {
            t.commit(&x.to_bytes());
        }
        ((0..n as u64).map(|i| elements.challenge(i)).collect::<Vec<_>>(), t.challenge())
    };
    let (u0, c0) = challenges(&claim, &proof);
    let other = enc(&mul_g(&random()));
    let mut statements: Vec<(String, Claim)> = vec![
        (
            "fingerprint".into(),
            Claim { context: ShuffleContext { fingerprint: Fingerprint([1; 32]), ..ctx(1) }, ..claim.clone() },
        ),
        ("shuffler".into(), Claim { context: ctx(2), ..claim.clone() }),
        ("list".into(), Claim { context: ShuffleContext { list: 1, ..ctx(1) }, ..claim.clone() }),
        ("base".into(), Claim { base: Element::from_point(G + G), ..claim.clone() }),
        ("new base".into(), Claim { new_base: Element::from_point(G + G), ..claim.clone() }),
    ];
    for i in 0..n {
        let mut c = claim.clone();
        c.input[i] = other;
        statements.push((format!("input[{i}]"), c));
        let mut c = claim.clone();
        c.output[i] = other;
        statements.push((format!("output[{i}]"), c));
    }
    for (what, changed) in &statements {
        let (u, c) = challenges(changed, &proof);
        assert!(u.iter().zip(&u0).all(|(a, b)| a != b) && c != c0, "{what} is not bound");
    }
    // Commitments: the permutation commitment moves every u_i and c; the later ones move c.
    let mut moved = proof.clone();
    moved.permutation[n - 1] = other;
    let (u, c) = challenges(&claim, &moved);
    assert!(u.iter().zip(&u0).all(|(a, b)| a != b) && c != c0);
    type Change = Box<dyn Fn(&mut ShuffleProof, [u8; 32])>;
    let later: Vec<(&str, Change)> = vec![
        ("chain", Box::new(|p, x| p.chain[1] = x)),
        ("chain_commitments", Box::new(|p, x| p.chain_commitments[2] = x)),
        ("t1", Box::new(|p, x| p.t1 = Element::from_bytes("t", &x).unwrap())),
        ("t5", Box::new(|p, x| p.t5 = Element::from_bytes("t", &x).unwrap())),
    ];
    for (what, change) in later {
        let mut moved = proof.clone();
        change(&mut moved, other);
        let (u, c) = challenges(&claim, &moved);
        assert_eq!(u, u0, "{what} comes after the u_i");
        assert_ne!(c, c0, "{what} is not bound by c");
    }
}

/// A shuffler may choose s = 1 (or −1, or any exponent it then publishes): a true statement,
/// accepted, which links its own step for everyone. It is no attack: a dishonest shuffler can
/// always publish its witness; unlinkability rests on one honest shuffler in the chain
/// (§14.6). s = 0 (h' = 0) is refused; the base of a step can never be 0.
#[test]
fn exponent_one_is_a_true_statement_and_exponent_zero_is_refused() {
    let input = credentials(4);
    let pi = permutation(4);
    let g = Element::generator();
    for s in [Scalar::ONE, -Scalar::ONE] {
        let claim = Claim::honest(ctx(1), g, &input, s, &pi);
        assert_eq!(claim.verify(&prove_by_hand(&claim, s, &pi, |_, _| {})), Ok(()));
    }
    let zero = Claim::honest(ctx(1), g, &input, Scalar::ZERO, &pi);
    assert!(zero.new_base.point().is_identity());
    let err = zero.verify(&prove_by_hand(&zero, Scalar::ZERO, &pi, |_, _| {})).unwrap_err();
    assert!(err.to_string().contains("identity"), "{err}");
}

// ---------------------------------------------------------------------------------------
// A real election with registration (6 citizens, 5 trustees, t = 3, so 3 shufflers), and a
// board that forges records and re-signs its checkpoints.
// ---------------------------------------------------------------------------------------

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| registered_election("advreg"))
}

fn events() -> Vec<Event> {
    resigned::events_of(&fixture().record)
}

/// The record of `events`, its checkpoint recomputed and signed by the board.
fn write(events: &[Event]) -> PathBuf {
    let dir = temp("case");
    let lines: Vec<String> = events.iter().map(Event::to_leaf).collect();
    resigned::write(&dir, &lines, &setup_fp(events), &fixture().board, &[]);
    dir
}

struct Verdict {
    failed: Vec<Check>,
    report: dauys::verify::Report,
}

impl Verdict {
    fn of(dir: &Path) -> Verdict {
        let report = verify(dir, &Options::default()).unwrap();
        Verdict { failed: report.failed(), report }
    }

    fn fails(&self, check: Check, why: &str) {
        assert!(self.failed.contains(&check), "{check:?} passed; failed: {:?}", self.failed);
        let detail = self.report.outcome(check).unwrap().detail();
        assert!(detail.contains(why), "{check:?}: {detail} (expected: {why})");
    }

    /// Valid, except that the lots (6.1) may come out otherwise: they are drawn from the root
    /// of the log at close, which any change to an earlier event changes.
    fn valid_but_for_the_lots(&self) {
        let other: Vec<String> = self
            .failed
            .iter()
            .filter(|c| **c != Check::Outcomes)
            .map(|c| self.report.outcome(*c).unwrap().detail())
            .collect();
        assert!(other.is_empty(), "{other:?}");
    }

    fn passes(&self, check: Check) {
        assert!(!self.failed.contains(&check), "{check:?}: {}", self.report.outcome(check).unwrap().detail());
    }
}

fn positions(ev: &[Event], kind: &str) -> Vec<usize> {
    ev.iter().enumerate().filter(|(_, e)| e.kind() == kind).map(|(i, _)| i).collect()
}

fn shuffle_at(ev: &[Event], at: usize) -> CredentialShuffle {
    match &ev[at] {
        Event::Shuffle(s) => (**s).clone(),
        e => panic!("event {at} is a {}", e.kind()),
    }
}

/// A list in the given order, unchecked (as a forged record would carry it).
fn list_as_given(entries: &[[u8; 32]]) -> CredentialList {
    let hex: Vec<String> = entries.iter().map(|c| dauys::crypto::group::to_hex(c)).collect();
    serde_json::from_value(serde_json::to_value(hex).unwrap()).unwrap()
}

/// The input (base, list) of the shuffle at `at`: the previous shuffle's output, or g and the
/// registered credentials ascending.
fn input_of(ev: &[Event], at: usize) -> (Element, Vec<[u8; 32]>) {
    match ev[..at].iter().rev().find_map(|e| if let Event::Shuffle(s) = e { Some(s) } else { None }) {
        Some(prev) => (prev.new_base, prev.output.as_slice().to_vec()),
        None => {
            let mut list: Vec<[u8; 32]> = ev
                .iter()
                .filter_map(|e| if let Event::Registration(r) = e { Some(r.credential.to_bytes()) } else { None })
                .collect();
            list.sort_unstable();
            (Element::generator(), list)
        }
    }
}

/// Posts `claim` with `proof` in place of the shuffle at `at`, signed by the claim's shuffler
/// (a cheating shuffler signs what it made).
fn post_shuffle(ev: &mut [Event], at: usize, claim: &Claim, proof: ShuffleProof) {
    let setup = setup_fp(ev);
    let mut made = shuffle_at(ev, at);
    made.shuffler = claim.context.shuffler;
    made.new_base = claim.new_base;
    made.output = list_as_given(&claim.output);
    made.proof = proof;
    fixture().sign_shuffle(&mut made, &setup, claim.context.shuffler);
    ev[at] = Event::Shuffle(Box::new(made));
}

/// The shuffle at `at` replaced by its own trustee's honest one with witness `(s, pi)`, made
/// with the hand-written prover.
fn replace_shuffle(ev: &mut [Event], at: usize, s: Scalar, pi: &[usize]) -> Claim {
    let (base, input) = input_of(ev, at);
    let context = ShuffleContext { fingerprint: setup_fp(ev), shuffler: shuffle_at(ev, at).shuffler, list: 0 };
    let claim = Claim::honest(context, base, &input, s, pi);
    let proof = prove_by_hand(&claim, s, pi, |_, _| {});
    post_shuffle(ev, at, &claim, proof);
    claim
}

/// The permutation that sorts `s·input` ascending (what an honest shuffler publishes).
fn sorting(input: &[[u8; 32]], s: Scalar) -> Vec<usize> {
    let mut order: Vec<([u8; 32], usize)> = input.iter().enumerate().map(|(j, x)| (enc(&(point(x) * s)), j)).collect();
    order.sort_unstable();
    order.into_iter().map(|(_, j)| j).collect()
}

#[test]
fn control_the_fixture_verifies_and_a_resigned_hand_made_shuffle_passes_1_9() {
    let ev = events();
    assert!(Verdict::of(&fixture().record).failed.is_empty());
    // The last shuffle replaced by an honest one made by the same trustee with the
    // hand-written prover: 1.9 passes; the ballots, bound to the old F_e, fail 3.1.
    let mut forged = ev.clone();
    let at = *positions(&ev, "shuffle").last().unwrap();
    let (_, input) = input_of(&ev, at);
    let s = random();
    replace_shuffle(&mut forged, at, s, &sorting(&input, s));
    let v = Verdict::of(&write(&forged));
    v.passes(Check::Shuffles);
    v.passes(Check::CredentialList);
    v.fails(Check::BallotElection, "");
}

/// The cancelling replacement of `a_replaced_credential_whose_errors_cancel_in_an_unweighted_sum_is_caught`
/// posted by the last shuffler, re-signed, its output sorted: the verifier's 1.9 fails.
#[test]
fn a_shuffler_replacing_a_credential_with_cancelling_errors_fails_1_9() {
    let mut ev = events();
    let setup = setup_fp(&ev);
    let at = *positions(&ev, "shuffle").last().unwrap();
    let (base, input) = input_of(&ev, at);
    let n = input.len();
    let (s, d, replaced) = (random(), Scalar::from(99u64), 3usize);
    // Output: s·X_j for every j, but s·X_3 + d·g for input 3; sorted, which fixes π.
    let mut order: Vec<([u8; 32], usize)> = input
        .iter()
        .enumerate()
        .map(|(j, x)| {
            let y = point(x) * s + if j == replaced { mul_g(&d) } else { RistrettoPoint::identity() };
            (enc(&y), j)
        })
        .collect();
    order.sort_unstable();
    let pi: Vec<usize> = order.iter().map(|(_, j)| *j).collect();
    let k = pi.iter().position(|&j| j == replaced).unwrap();
    let j = shuffle_at(&ev, at).shuffler;
    let claim = Claim {
        context: ShuffleContext { fingerprint: setup, shuffler: j, list: 0 },
        base,
        input: input.clone(),
        new_base: Element::from_point(base.point() * s),
        output: order.iter().map(|(y, _)| *y).collect(),
    };
    let half = Scalar::from(2u64).invert();
    let proof = prove_by_hand(&claim, s, &pi, |c, up| c.chain[n - 1] += mul_g(&(up[k] * d * half)));
    assert!(sum(&residuals(&claim, &proof)).is_identity(), "the errors cancel unweighted");
    post_shuffle(&mut ev, at, &claim, proof);
    Verdict::of(&write(&ev)).fails(Check::Shuffles, "proof");
}

#[test]
fn a_shuffle_with_an_unsorted_output_fails_1_9_although_its_proof_holds() {
    // The order of the output is fixed (ascending): a shuffler has no freedom in it to signal
    // its permutation, or anything else, to an accomplice.
    let mut ev = events();
    let at = *positions(&ev, "shuffle").last().unwrap();
    let (_, input) = input_of(&ev, at);
    let s = random();
    let mut pi = sorting(&input, s);
    pi.swap(0, 1);
    let claim = replace_shuffle(&mut ev, at, s, &pi);
    let Event::Shuffle(posted) = &ev[at] else { unreachable!() };
    assert_eq!(claim.verify(&posted.proof), Ok(()), "a valid proof");
    Verdict::of(&write(&ev)).fails(Check::Shuffles, "out of order");
}

#[test]
fn a_shuffle_signed_by_the_board_itself_fails_1_9() {
    // The board shuffles honestly (it would keep the exponent and link everything) and signs
    // with a key of its own in trustee 1's name.
    let mut ev = events();
    let setup = setup_fp(&ev);
    let at = positions(&ev, "shuffle")[0];
    let (base, input) = input_of(&ev, at);
    let list = list_as_given(&input);
    let board_key = dauys::crypto::threshold::dkg::TransportSecret::generate(1, &mut rand::rng());
    let made = CredentialShuffle::make(&setup, &board_key, &base, &list, &mut rand::rng()).unwrap();
    ev[at] = Event::Shuffle(Box::new(made));
    Verdict::of(&write(&ev)).fails(Check::Shuffles, "signature does not verify");
}

#[test]
fn a_changed_final_base_fails_1_9() {
    // The board (or the last shuffler, re-signing) swaps h_final for a base of its choice.
    let mut ev = events();
    let at = *positions(&ev, "shuffle").last().unwrap();
    if let Event::Shuffle(s) = &mut ev[at] {
        s.new_base = Element::from_point(s.new_base.point() + G);
        let (setup, j) = (setup_fp(&events()), s.shuffler);
        fixture().sign_shuffle(s, &setup, j);
    }
    Verdict::of(&write(&ev)).fails(Check::Shuffles, "proof");
}

#[test]
fn shuffles_reordered_or_one_withheld_fail_1_9() {
    let ev = events();
    let at = positions(&ev, "shuffle");
    // The second and third swapped.
    let mut swapped = ev.clone();
    swapped.swap(at[1], at[2]);
    Verdict::of(&write(&swapped)).fails(Check::Shuffles, "proof");
    // The middle one withheld: the third does not chain from the first.
    let mut withheld = ev.clone();
    withheld.remove(at[1]);
    let v = Verdict::of(&write(&withheld));
    v.fails(Check::Shuffles, "proof");
    v.fails(Check::CredentialList, "");
}

#[test]
fn the_first_shuffle_of_the_log_order_instead_of_the_sorted_list_fails_1_9() {
    // The board (or the first shuffler) takes the registrations in log order: another
    // statement than the sorted registered list the verifier derives.
    let mut ev = events();
    let setup = setup_fp(&ev);
    let at = positions(&ev, "shuffle")[0];
    let log_order: Vec<[u8; 32]> = ev
        .iter()
        .filter_map(|e| if let Event::Registration(r) = e { Some(r.credential.to_bytes()) } else { None })
        .collect();
    let mut sorted = log_order.clone();
    sorted.sort_unstable();
    assert_ne!(log_order, sorted, "the fixture registered out of order");
    let j = shuffle_at(&ev, at).shuffler;
    let s = random();
    let claim = Claim::honest(
        ShuffleContext { fingerprint: setup, shuffler: j, list: 0 },
        Element::generator(),
        &log_order,
        s,
        &sorting(&log_order, s),
    );
    let proof = prove_by_hand(&claim, s, &sorting(&log_order, s), |_, _| {});
    post_shuffle(&mut ev, at, &claim, proof);
    Verdict::of(&write(&ev)).fails(Check::Shuffles, "proof");
}

#[test]
fn an_open_event_with_its_own_list_fails_1_6() {
    // The board opens with a list of its own choosing — or even with the final list itself:
    // after a roll the list is the last shuffle's, never the open event's.
    let ev = events();
    let at = positions(&ev, "open")[0];
    let last = shuffle_at(&ev, *positions(&ev, "shuffle").last().unwrap());
    let mut mine = last.output.as_slice().to_vec();
    mine[0] = enc(&mul_g(&random()));
    mine.sort_unstable();
    for list in [last.output.clone(), list_as_given(&mine)] {
        let mut forged = ev.clone();
        if let Event::Open(o) = &mut forged[at] {
            o.credentials = Some(list);
        }
        Verdict::of(&write(&forged)).fails(Check::CredentialList, "last shuffle");
    }
}

#[test]
fn a_registration_after_the_shuffles_or_a_shuffle_before_close_fails() {
    let ev = events();
    // A registration moved after the shuffles: 2.1, and the shuffles, made with it, no longer
    // chain from what was registered before them (1.9).
    let reg = positions(&ev, "registration")[0];
    let open = positions(&ev, "open")[0];
    let mut late = ev.clone();
    let moved = late.remove(reg);
    late.insert(open - 1, moved);
    let v = Verdict::of(&write(&late));
    v.fails(Check::EventOrder, "");
    v.fails(Check::Shuffles, "credentials out for");
    // registration_close moved after the first shuffle.
    let close = positions(&ev, "registration_close")[0];
    let first = positions(&ev, "shuffle")[0];
    let mut early = ev.clone();
    let moved = early.remove(close);
    early.insert(first, moved);
    Verdict::of(&write(&early)).fails(Check::EventOrder, "");
}

#[test]
fn registrations_reordered_by_the_board_change_nothing() {
    // The first shuffle's input is the registered set in ascending order, not the log order:
    // the board cannot steer it by ordering registrations (and gains nothing from it).
    let mut ev = events();
    let regs = positions(&ev, "registration");
    let (a, b) = (regs[0], *regs.last().unwrap());
    ev.swap(a, b);
    Verdict::of(&write(&ev)).valid_but_for_the_lots();
}

// ---------------------------------------------------------------------------------------
// The voter's device.
// ---------------------------------------------------------------------------------------

/// The index of a cast ballot by voter `v`, and the voter's key.
fn ballot_of(ev: &[Event], v: usize) -> (usize, KeyPair) {
    let key = fixture().voters[v].clone();
    let at =
        ev.iter().position(|e| matches!(e, Event::Cast(b) if b.credential == key.public)).expect("every voter cast");
    (at, key)
}

#[test]
fn a_ballot_signed_under_g_instead_of_h_final_fails_3_3() {
    let mut ev = events();
    let (at, key) = ballot_of(&ev, 0);
    if let Event::Cast(b) = &mut ev[at] {
        let t = transcript::ballot_signature(&b.election, &b.digest(), &b.credential);
        b.signature = SchnorrProof::prove_with_base(t, &key.secret, &Element::generator(), &mut rand::rng());
    }
    Verdict::of(&write(&ev)).fails(Check::BallotSignature, "");
    // Control: re-signed under h_final, the same ballot verifies.
    let mut ev = events();
    let h = final_base(&ev);
    if let Event::Cast(b) = &mut ev[at] {
        let t = transcript::ballot_signature(&b.election, &b.digest(), &b.credential);
        b.signature = SchnorrProof::prove_with_base(t, &key.secret, &h, &mut rand::rng());
    }
    Verdict::of(&write(&ev)).valid_but_for_the_lots();
}

fn final_base(ev: &[Event]) -> Element {
    shuffle_at(ev, *positions(ev, "shuffle").last().unwrap()).new_base
}

#[test]
fn a_ballot_under_x_g_or_an_intermediate_lists_credential_fails_3_2() {
    let ev = events();
    let (at, key) = ballot_of(&ev, 1);
    let h1 = shuffle_at(&ev, positions(&ev, "shuffle")[0]).new_base;
    for base in [Element::generator(), h1] {
        // The voter's own x, under a base that is not h_final, signed consistently.
        let mut forged = ev.clone();
        if let Event::Cast(b) = &mut forged[at] {
            b.credential = Element::from_point(base.point() * key.secret.expose());
            let t = transcript::ballot_signature(&b.election, &b.digest(), &b.credential);
            b.signature = SchnorrProof::prove_with_base(t, &key.secret, &base, &mut rand::rng());
        }
        Verdict::of(&write(&forged)).fails(Check::BallotCredential, "");
    }
}

// ---------------------------------------------------------------------------------------
// The registrar (with or without the CA): a world with the fixture's ceremony and trustees,
// and a roll, CA and citizens of the test's own.
// ---------------------------------------------------------------------------------------

struct World {
    setup: Fingerprint,
    /// Setup and ceremony events, as in the fixture.
    ceremony: Vec<Event>,
    open: Event,
    ca: &'static SyntheticCaIssuer,
    k_p: PseudonymKey,
    election_id: String,
    /// (IIN, P, citizen keys), sorted by P.
    citizens: Vec<(String, Pseudonym, CitizenKeys)>,
}

fn world(n: usize) -> World {
    let ev = events();
    let mut rng = rand::rng();
    let election_id = match &ev[0] {
        Event::Setup(s) => s.manifest.election_id.clone(),
        _ => unreachable!(),
    };
    let ceremony: Vec<Event> = ev
        .iter()
        .filter(|e| matches!(e.kind(), "setup" | "transport_key" | "dealing" | "complaint" | "ready"))
        .cloned()
        .collect();
    let open = ev[positions(&ev, "open")[0]].clone();
    let ca = &fixture().ca;
    let k_p = PseudonymKey::generate(&mut rng);
    let mut citizens: Vec<(String, Pseudonym, CitizenKeys)> = (0..n)
        .map(|i| {
            let iin = format!("90010130{i:04}");
            let p = Pseudonym(k_p.pseudonym(&election_id, &iin));
            let keys = ca.issue(&iin, &mut rand::rng());
            (iin, p, keys)
        })
        .collect();
    citizens.sort_by_key(|c| c.1);
    World { setup: setup_fp(&ev), ceremony, open, ca, k_p, election_id, citizens }
}

impl World {
    fn roll(&self) -> Roll {
        Roll {
            ca_key: self.ca.public().key,
            count: self.citizens.len() as u64,
            pseudonyms: self.citizens.iter().map(|c| c.1).collect(),
            styles: Vec::new(),
        }
    }

    /// The log state after the ceremony and `events`, each applied as the board would (a
    /// refused one is skipped, as the verifier skips it).
    fn state(&self, events: &[Event]) -> LogState {
        let mut state = LogState::new();
        for e in self.ceremony.iter().chain(events) {
            let _ = state.apply(e, Verification::Full);
        }
        state
    }

    /// The record: ceremony, `registration` events (roll included), close, three honest
    /// shuffles of what the state admitted, open. It ends at open (no ballots).
    fn record(&self, registration: Vec<Event>) -> (PathBuf, Vec<Event>) {
        let mut events = registration;
        events.push(Event::RegistrationClose);
        for j in 1..=3u32 {
            let state = self.state(&events);
            let (base, input) = state.registration.input();
            events.push(Event::Shuffle(Box::new(
                fixture().trustee(j).shuffle(&self.setup, &base, &input, &mut rand::rng()).unwrap(),
            )));
        }
        events.push(self.open.clone());
        let all: Vec<Event> = self.ceremony.iter().cloned().chain(events.iter().cloned()).collect();
        (write(&all), events)
    }

    fn register(&self, i: usize, x: &SecretScalar) -> Event {
        let (_, p, keys) = &self.citizens[i];
        Event::Registration(Box::new(keys.register(&self.setup, *p, x, &mut rand::rng())))
    }
}

fn secret() -> SecretScalar {
    SecretScalar::random(&mut rand::rng())
}

fn refused(state: &mut LogState, e: &Event) -> String {
    state.apply(e, Verification::Full).unwrap_err().to_string()
}

#[test]
fn control_a_world_of_ones_own_verifies_up_to_open() {
    let w = world(4);
    let regs: Vec<Event> =
        std::iter::once(Event::Roll(Box::new(w.roll()))).chain((0..4).map(|i| w.register(i, &secret()))).collect();
    let (dir, _) = w.record(regs);
    let v = Verdict::of(&dir);
    for c in [Check::Registrations, Check::Shuffles, Check::CredentialList, Check::JointKey, Check::EventOrder] {
        v.passes(c);
    }
}

/// The relation attack, additive form: a registrant who registers `X_b + k·g` for a victim's
/// published `X_b` would find the pair `(Y, Y + k·h_final)` in the final list and so the
/// victim's final credential. The proof of knowledge of x stops it (the registrant would need
/// x_b); without the check the attack works, which the test shows.
#[test]
fn the_additive_relation_attack_is_stopped_by_the_proof_of_knowledge() {
    let w = world(3);
    let xb = secret();
    let victim = w.register(0, &xb);
    let Event::Registration(vr) = &victim else { unreachable!() };
    let k = Scalar::from(17u64);
    let related = Element::from_point(vr.credential.point() + mul_g(&k));
    let (_, pa, ka) = &w.citizens[1];
    // With the victim's proof moved, or a proof of the attacker's own secret.
    let own = ka.register(&w.setup, *pa, &secret(), &mut rand::rng()).proof;
    let mut state = w.state(&[Event::Roll(Box::new(w.roll())), victim.clone()]);
    for proof in [vr.proof, own] {
        let attack = Event::Registration(Box::new(ka.sign(&w.setup, *pa, related, proof)));
        assert!(refused(&mut state, &attack).contains("proof of knowledge"));
    }
    // In a forged record the verifier refuses it too (1.8), and the shuffles, made without it,
    // still chain.
    let attack = Event::Registration(Box::new(ka.sign(&w.setup, *pa, related, vr.proof)));
    let third = w.register(2, &secret());
    let (dir, _) = w.record(vec![Event::Roll(Box::new(w.roll())), victim.clone(), attack.clone(), third.clone()]);
    let v = Verdict::of(&dir);
    v.fails(Check::Registrations, "proof of knowledge");
    v.passes(Check::Shuffles);
    // Why it matters: admitted without the proof check, the attacker finds the victim.
    let mut trusted = LogState::new();
    for e in w.ceremony.iter().chain([&Event::Roll(Box::new(w.roll())), &victim, &third]) {
        trusted.apply(e, Verification::Full).unwrap();
    }
    trusted.apply(&attack, Verification::Trusted).unwrap();
    trusted.apply(&Event::RegistrationClose, Verification::Full).unwrap();
    for j in 1..=3u32 {
        let (base, input) = trusted.registration.input();
        let s = fixture().trustee(j).shuffle(&w.setup, &base, &input, &mut rand::rng()).unwrap();
        trusted.apply(&Event::Shuffle(Box::new(s)), Verification::Full).unwrap();
    }
    let (h, list) = trusted.registration.input();
    let shift = h.point() * k;
    let found: Vec<[u8; 32]> =
        list.iter().filter(|y| list.contains(&Element::from_point(point(y) + shift))).copied().collect();
    let victims_final = Element::from_point(h.point() * xb.expose()).to_bytes();
    assert_eq!(found, vec![victims_final], "the relation links the victim through every shuffle");
}

#[test]
fn a_malformed_roll_fails_1_8() {
    let w = world(3);
    let mut duplicate = w.roll();
    duplicate.pseudonyms[1] = duplicate.pseudonyms[0];
    let mut unordered = w.roll();
    unordered.pseudonyms.swap(0, 2);
    let mut miscounted = w.roll();
    miscounted.count += 1;
    for (roll, why) in [(duplicate, "repeated or out of order"), (unordered, "out of order"), (miscounted, "says 4")] {
        let regs = vec![Event::Roll(Box::new(roll)), w.register(0, &secret())];
        let all: Vec<Event> = w.ceremony.iter().cloned().chain(regs).chain([w.open.clone()]).collect();
        Verdict::of(&write(&all)).fails(Check::Registrations, why);
    }
}

#[test]
fn the_registrar_cannot_register_for_an_abstainer_without_a_certified_key() {
    let w = world(3);
    let (_, p, _) = &w.citizens[2];
    // Its own key, certified by a CA of its own (or by none).
    let rogue_ca = SyntheticCaIssuer::generate(&mut rand::rng());
    let rogue = rogue_ca.issue("registrar", &mut rand::rng());
    let stuffed = Event::Registration(Box::new(rogue.register(&w.setup, *p, &secret(), &mut rand::rng())));
    let regs = vec![Event::Roll(Box::new(w.roll())), w.register(0, &secret()), stuffed];
    let (dir, _) = w.record(regs);
    Verdict::of(&dir).fails(Check::Registrations, "certificate");
    // A second registration for a pseudonym, by its own citizen with a fresh credential (a
    // "re-registration"), is refused: the first stands.
    let again = w.register(0, &secret());
    let regs = vec![Event::Roll(Box::new(w.roll())), w.register(0, &secret()), again];
    let (dir, _) = w.record(regs);
    Verdict::of(&dir).fails(Check::Registrations, "registered already");
}

/// The registrar with one colluding certified citizen registers under an abstainer's
/// pseudonym. The public record cannot tell (a certified key signed for a roll entry, once);
/// what catches it is outside the record: the abstainer, refused when it comes to register,
/// and the accredited observer, whose check of the certificate's identity against the roll
/// entry fails. And it gains no credential: the colluder's own roll entry stays unregistered
/// (one key, one entry).
#[test]
fn the_registrar_with_a_colluding_citizen_moves_a_vote_and_only_the_roll_audit_sees_it() {
    let w = world(3);
    let (colluder_iin, colluder_p, colluder) = &w.citizens[0];
    let (abstainer_iin, abstainer_p, abstainer) = &w.citizens[1];
    let stolen = colluder.register(&w.setup, *abstainer_p, &secret(), &mut rand::rng());
    let regs =
        vec![Event::Roll(Box::new(w.roll())), Event::Registration(Box::new(stolen.clone())), w.register(2, &secret())];
    let (dir, events) = w.record(regs);
    let v = Verdict::of(&dir);
    v.passes(Check::Registrations);
    v.passes(Check::Shuffles);
    // The abstainer comes to register: refused, and it knows why.
    let mut state = w.state(&events[..3]);
    let own = abstainer.register(&w.setup, *abstainer_p, &secret(), &mut rand::rng());
    assert!(refused(&mut state, &Event::Registration(Box::new(own))).contains("registered already"));
    // The colluder cannot register its own entry as well.
    let twice = colluder.register(&w.setup, *colluder_p, &secret(), &mut rand::rng());
    assert!(refused(&mut state, &Event::Registration(Box::new(twice))).contains("another pseudonym"));
    // The accredited observer, with the roll, k_P and the openings, recomputes P from the
    // IIN and finds that the certified identity under P is not P's citizen.
    use dauys::election::registration::Authenticator;
    let ca = w.ca.public();
    assert_eq!(w.k_p.pseudonym(&w.election_id, abstainer_iin), stolen.pseudonym.0);
    assert!(ca.check_identity(&stolen.citizen, &colluder.opening, abstainer_iin).is_err());
    assert!(ca.check_identity(&stolen.citizen, &colluder.opening, colluder_iin).is_ok());
}

/// Registrar and CA together mint a certified key for every abstainer and register them all:
/// the record verifies — this is the stuffing the threat model puts on the accredited observer
/// and the citizens (§14.4) — and the same registrations also shrink the anonymity set of
/// the honest registrants to themselves (an n − 1 attack, §14.6): the colluders find their own
/// credentials in the final list, and with one honest registrant left, that one's.
#[test]
fn registrar_and_ca_flooding_is_invisible_to_the_record_and_shrinks_the_anonymity_set() {
    let w = world(4);
    let honest_x = secret();
    let fakes: Vec<SecretScalar> = (1..4).map(|_| secret()).collect();
    let mut regs = vec![Event::Roll(Box::new(w.roll())), w.register(0, &honest_x)];
    for (i, x) in fakes.iter().enumerate() {
        // The CA issues a fresh key for abstainer i + 1; the registrar registers with it.
        let (iin, p, _) = &w.citizens[i + 1];
        let minted = w.ca.issue(iin, &mut rand::rng());
        regs.push(Event::Registration(Box::new(minted.register(&w.setup, *p, x, &mut rand::rng()))));
    }
    let (dir, events) = w.record(regs);
    let v = Verdict::of(&dir);
    v.passes(Check::Registrations);
    v.passes(Check::Shuffles);
    let last = shuffle_at(&events, events.len() - 2);
    let known: Vec<[u8; 32]> =
        fakes.iter().map(|x| Element::from_point(last.new_base.point() * x.expose()).to_bytes()).collect();
    let left: Vec<[u8; 32]> = last.output.iter().filter(|y| !known.contains(y)).copied().collect();
    assert_eq!(left, vec![Element::from_point(last.new_base.point() * honest_x.expose()).to_bytes()]);
}

#[test]
fn the_identity_is_refused_as_a_credential_and_as_a_new_base() {
    let w = world(2);
    let (_, p, keys) = &w.citizens[0];
    let mut state = w.state(&[Event::Roll(Box::new(w.roll()))]);
    let zero =
        keys.sign(&w.setup, *p, Element::identity(), keys.register(&w.setup, *p, &secret(), &mut rand::rng()).proof);
    assert!(refused(&mut state, &Event::Registration(Box::new(zero))).contains("identity"));
    // A shuffle whose new base is the identity (exponent 0), signed by its trustee.
    state.apply(&w.register(0, &secret()), Verification::Full).unwrap();
    state.apply(&Event::RegistrationClose, Verification::Full).unwrap();
    let (base, input) = state.registration.input();
    let mut s = fixture().trustee(1).shuffle(&w.setup, &base, &input, &mut rand::rng()).unwrap();
    s.new_base = Element::from_point(RistrettoPoint::identity());
    let id = Element::identity().to_bytes();
    s.output = list_as_given(&vec![id; input.len()]);
    fixture().sign_shuffle(&mut s, &w.setup, 1);
    assert!(refused(&mut state, &Event::Shuffle(Box::new(s))).contains("identity"));
}

/// The review's finding (§14.6), now closed: the CA key that certificates are checked under
/// was whatever the `roll` event said, so the registrar or the board alone could post a roll
/// under a CA of its own, mint a "certified" key for every roll entry and register a
/// credential it knows for each, and the record verified. The manifest now names the citizen
/// CA (`citizen_ca`, bound by F_s and so by every trustee's signed transport key), and a roll
/// under any other key is refused (1.8).
#[test]
fn a_roll_under_a_ca_key_of_the_registrars_own_choosing_is_refused() {
    let w = world(3);
    let rogue = SyntheticCaIssuer::generate(&mut rand::rng());
    let roll = Roll { ca_key: rogue.public().key, ..w.roll() };
    let mut regs = vec![Event::Roll(Box::new(roll))];
    for (iin, p, _) in &w.citizens {
        let minted = rogue.issue(iin, &mut rand::rng());
        regs.push(Event::Registration(Box::new(minted.register(&w.setup, *p, &secret(), &mut rand::rng()))));
    }
    // The board refuses the roll; a record that carries it anyway fails 1.8.
    assert!(refused(&mut w.state(&[]), &regs[0]).contains("not the citizen CA the manifest names"));
    let all: Vec<Event> = w.ceremony.iter().cloned().chain(regs).collect();
    Verdict::of(&write(&all)).fails(Check::Registrations, "not the citizen CA the manifest names");
}

/// 1.8's note names the CA key the certificates were checked under (the manifest's), for an
/// observer to compare with the national CA's published key.
#[test]
fn the_1_8_note_names_the_ca_key_the_certificates_were_checked_under() {
    let w = world(2);
    let (_, p, keys) = &w.citizens[0];
    let regs = vec![
        Event::Roll(Box::new(w.roll())),
        Event::Registration(Box::new(keys.register(&w.setup, *p, &secret(), &mut rand::rng()))),
    ];
    let (dir, _) = w.record(regs);
    let report = verify(&dir, &Options::default()).unwrap();
    let note = report.outcome(Check::Registrations).unwrap().detail();
    let ca_hex = dauys::crypto::group::to_hex(&w.ca.public().key);
    assert!(note.contains(&format!("certificates under CA key {ca_hex}")), "{note}");
}

/// A watcher's proven prefix (`specs/verifier.md` §6.3) spares the proofs of the events its
/// watcher verified, and only those: given the watcher's own `refused` list, the verdict on a
/// record with a forged shuffle is a full verification's; given a list that leaves the forged
/// shuffle out (a state that lies), 1.9 passes — the trust is exactly the state's; given
/// another root, the spared checks fail.
#[test]
fn a_proven_prefix_spares_only_what_its_watcher_verified() {
    use dauys::log::merkle::{Frontier, leaf_hash};
    use dauys::verify::Proven;
    let mut ev = events();
    let setup = setup_fp(&ev);
    let at = positions(&ev, "shuffle")[0];
    let (base, input) = input_of(&ev, at);
    let board_key = dauys::crypto::threshold::dkg::TransportSecret::generate(1, &mut rand::rng());
    let made = CredentialShuffle::make(&setup, &board_key, &base, &list_as_given(&input), &mut rand::rng()).unwrap();
    ev[at] = Event::Shuffle(Box::new(made));
    let dir = write(&ev);
    let full = verify(&dir, &Options::default()).unwrap();
    assert!(full.failed().contains(&Check::Shuffles));
    assert!(full.summary.proof_failures.contains(&(at as u64)), "{:?}", full.summary.proof_failures);
    let mut frontier = Frontier::new();
    for e in &ev {
        frontier.push(leaf_hash(e.to_leaf().as_bytes()));
    }
    let with = |root, refused| {
        let proven = Proven { size: ev.len() as u64, root, refused };
        verify(&dir, &Options { proven: Some(proven), ..Default::default() }).unwrap()
    };
    let again = with(frontier.root(), full.summary.proof_failures.clone());
    assert_eq!(again.failed(), full.failed());
    assert_eq!(again.summary.proof_failures, full.summary.proof_failures);
    let lied = with(frontier.root(), vec![]);
    assert!(!lied.failed().contains(&Check::Shuffles), "{:?}", lied.failed());
    let other = with([1; 32], vec![]);
    let detail = other.outcome(Check::Shuffles).unwrap().detail();
    assert!(detail.contains("not the ones the watcher verified"), "{detail}");
    assert!(other.outcome(Check::Registrations).unwrap().failed());

    // The honest record, spared in full, is valid and reports no failures to keep.
    let honest = &fixture().record;
    let mut frontier = Frontier::new();
    for e in events() {
        frontier.push(leaf_hash(e.to_leaf().as_bytes()));
    }
    let proven = Proven { size: frontier.len(), root: frontier.root(), refused: vec![] };
    let report = verify(honest, &Options { proven: Some(proven), ..Default::default() }).unwrap();
    assert!(report.valid(), "{:?}", report.failed());
    assert!(report.summary.proof_failures.is_empty());
}
