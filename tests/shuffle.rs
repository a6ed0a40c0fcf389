//! The verifiable shuffle of credentials (`specs/protocol.md` §13): honest shuffles and
//! chains verify and every voter finds her credential at the end; cheating shufflers —
//! dropping, duplicating or replacing a credential, raising one element or the base by
//! another exponent, committing to a matrix that is not a permutation, choosing exponent 0 —
//! are caught; proofs do not move to another list, shuffler, list number or election; every
//! field of a proof matters; malformed encodings and shapes are refused with their place.

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use dauys::crypto::CryptoError;
use dauys::crypto::group::{Element, Fingerprint, G, SecretScalar, mul_g};
use dauys::crypto::shuffle::prove::{self, Shuffle, ShuffleWitness};
use dauys::crypto::shuffle::{self, ShuffleContext, ShuffleProof, ShuffleStep};
use dauys::crypto::transcript;
use proptest::prelude::*;
use rand::seq::SliceRandom;

const SETUP: Fingerprint = Fingerprint([0x21; 32]);

fn ctx(shuffler: u32) -> ShuffleContext {
    ShuffleContext { fingerprint: SETUP, shuffler, list: 0 }
}

/// Voters' secrets and the registered list (sorted encodings, as a `CredentialList` holds).
struct Roll {
    secrets: Vec<Scalar>,
    list: Vec<[u8; 32]>,
}

fn roll(n: usize) -> Roll {
    let mut rng = rand::rng();
    let secrets: Vec<Scalar> = (0..n).map(|_| Scalar::random(&mut rng)).collect();
    let mut list: Vec<[u8; 32]> = secrets.iter().map(|x| mul_g(x).compress().0).collect();
    list.sort_unstable();
    Roll { secrets, list }
}

fn point(bytes: &[u8; 32]) -> RistrettoPoint {
    CompressedRistretto(*bytes).decompress().unwrap()
}

fn enc(p: RistrettoPoint) -> [u8; 32] {
    p.compress().0
}

/// The statement a verifier checks: base, input, new base, output.
#[derive(Clone)]
struct Claim {
    context: ShuffleContext,
    base: Element,
    input: Vec<[u8; 32]>,
    new_base: Element,
    output: Vec<[u8; 32]>,
}

impl Claim {
    fn verify(&self, proof: &ShuffleProof) -> Result<(), CryptoError> {
        proof.verify(&self.context, &self.base, &self.input, &self.new_base, &self.output)
    }
}

fn honest(context: ShuffleContext, base: Element, input: &[[u8; 32]]) -> (Claim, ShuffleProof) {
    let Shuffle { new_base, output, proof } = prove::shuffle(&context, &base, input, &mut rand::rng()).unwrap();
    (Claim { context, base, input: input.to_vec(), new_base, output }, proof)
}

fn is_rejected_proof(result: Result<(), CryptoError>) -> bool {
    matches!(result, Err(CryptoError::InvalidProof { proof: "shuffle proof", .. }))
}

/// A shuffler that raises and permutes with a known `s` and π, then may tamper with its
/// output before proving with the real prover: what a cheater who wants a valid-looking proof
/// does.
struct Cheater {
    s: Scalar,
    pi: Vec<u32>,
}

impl Cheater {
    fn new(n: usize) -> Self {
        let mut rng = rand::rng();
        let mut pi: Vec<u32> = (0..n as u32).collect();
        pi.shuffle(&mut rng);
        Cheater { s: Scalar::random(&mut rng), pi }
    }

    /// `s·X_{π(i)}` for every output position i.
    fn raise(&self, input: &[[u8; 32]]) -> Vec<[u8; 32]> {
        self.pi.iter().map(|&j| enc(self.s * point(&input[j as usize]))).collect()
    }

    fn prove(&self, claim: &Claim) -> ShuffleProof {
        let witness = ShuffleWitness::new(SecretScalar::new(self.s), self.pi.clone()).unwrap();
        let (c, b, i, nb, o) = (&claim.context, &claim.base, &claim.input, &claim.new_base, &claim.output);
        ShuffleProof::prove(c, b, i, nb, o, &witness, &mut rand::rng()).unwrap()
    }

    /// The claim of an honest shuffle with this `s` and π, for tampering.
    fn claim(&self, base: Element, input: &[[u8; 32]]) -> Claim {
        let new_base = Element::from_point(self.s * base.point());
        Claim { context: ctx(1), base, input: input.to_vec(), new_base, output: self.raise(input) }
    }
}

// ---------------------------------------------------------------------------------------
// Honest shuffles
// ---------------------------------------------------------------------------------------

/// Every voter finds `x·h'` in the output, and the output has nothing else.
fn everyone_finds_herself(roll: &Roll, new_base: &Element, output: &[[u8; 32]]) {
    let mut expected: Vec<[u8; 32]> = roll.secrets.iter().map(|x| enc(x * new_base.point())).collect();
    expected.sort_unstable();
    assert_eq!(expected, output);
}

#[test]
fn honest_shuffles_verify_and_every_voter_finds_her_credential() {
    for n in [1, 2, 3, 17, 300] {
        let roll = roll(n);
        let (claim, proof) = honest(ctx(1), Element::generator(), &roll.list);
        assert_eq!(claim.verify(&proof), Ok(()), "n = {n}");
        assert_eq!(proof.len(), n);
        everyone_finds_herself(&roll, &claim.new_base, &claim.output);
        assert!(claim.output.windows(2).all(|w| w[0] < w[1]), "the output is sorted and distinct");
        if n > 1 {
            assert_ne!(claim.output, claim.input);
        }
    }
}

#[test]
fn a_shuffle_in_any_order_verifies() {
    // The prover sorts its output, but the proof is about any permutation: a shuffler that
    // keeps π's order (here a random one) proves just as well.
    let roll = roll(9);
    let cheater = Cheater::new(9);
    let claim = cheater.claim(Element::generator(), &roll.list);
    assert_eq!(claim.verify(&cheater.prove(&claim)), Ok(()));
}

#[test]
fn chained_shufflers_each_verify_and_voters_find_themselves_under_the_final_base() {
    let roll = roll(40);
    let (mut base, mut list) = (Element::generator(), roll.list.clone());
    for shuffler in 1..=3 {
        let (claim, proof) = honest(ctx(shuffler), base, &list);
        assert_eq!(claim.verify(&proof), Ok(()), "shuffler {shuffler}");
        // Each step verifies only as that shuffler's step.
        let mut as_other = claim.clone();
        as_other.context.shuffler = shuffler + 1;
        assert!(is_rejected_proof(as_other.verify(&proof)));
        (base, list) = (claim.new_base, claim.output);
    }
    everyone_finds_herself(&roll, &base, &list);
    // A voter signs under the final base: x·h_final is her key there.
    let x = roll.secrets[7];
    assert!(list.binary_search(&enc(x * base.point())).is_ok());
    assert!(list.binary_search(&enc(mul_g(&x))).is_err(), "the registered credential is gone");
}

#[test]
fn empty_lists_and_identity_bases_are_refused() {
    let mut rng = rand::rng();
    let g = Element::generator();
    assert!(matches!(prove::shuffle(&ctx(1), &g, &[], &mut rng), Err(CryptoError::Parameter(_))));
    let roll = roll(3);
    let identity = Element::identity();
    assert!(matches!(prove::shuffle(&ctx(1), &identity, &roll.list, &mut rng), Err(CryptoError::Parameter(_))));
    let (claim, proof) = honest(ctx(1), g, &roll.list);
    let empty = Claim { input: vec![], output: vec![], ..claim.clone() };
    assert!(matches!(empty.verify(&proof), Err(CryptoError::Parameter(_))));
    let at_identity = Claim { base: identity, ..claim };
    assert!(matches!(at_identity.verify(&proof), Err(CryptoError::Parameter(_))));
}

// ---------------------------------------------------------------------------------------
// Cheating shufflers with the real prover
// ---------------------------------------------------------------------------------------

#[test]
fn the_cheaters_honest_control_verifies() {
    // Without tampering the cheater's path gives valid proofs, so every failure below comes
    // from the tampering alone.
    let roll = roll(12);
    let cheater = Cheater::new(12);
    let claim = cheater.claim(Element::generator(), &roll.list);
    assert_eq!(claim.verify(&cheater.prove(&claim)), Ok(()));
}

#[test]
fn dropping_a_credential_and_adding_ones_own_is_caught() {
    let roll = roll(12);
    let cheater = Cheater::new(12);
    let mut claim = cheater.claim(Element::generator(), &roll.list);
    // The cheater replaces the output of input 5 by a credential it holds the secret of.
    let own = Scalar::random(&mut rand::rng());
    let victim = cheater.pi.iter().position(|&j| j == 5).unwrap();
    claim.output[victim] = enc(own * claim.new_base.point());
    assert!(is_rejected_proof(claim.verify(&cheater.prove(&claim))));
    // The same with a credential not even raised by s.
    claim.output[victim] = enc(mul_g(&own));
    assert!(is_rejected_proof(claim.verify(&cheater.prove(&claim))));
}

#[test]
fn duplicating_a_credential_is_caught() {
    let roll = roll(12);
    let cheater = Cheater::new(12);
    let mut claim = cheater.claim(Element::generator(), &roll.list);
    claim.output[3] = claim.output[8];
    assert!(is_rejected_proof(claim.verify(&cheater.prove(&claim))));
}

#[test]
fn dropping_a_credential_is_caught() {
    let roll = roll(12);
    let cheater = Cheater::new(12);
    let mut claim = cheater.claim(Element::generator(), &roll.list);
    claim.output.remove(4);
    // A shorter output does not even form a statement.
    assert!(matches!(
        claim.verify(&cheater.prove(&cheater.claim(claim.base, &roll.list))),
        Err(CryptoError::Parameter(_))
    ));
    // Nor does proving a shorter list with the input's count: the prover refuses.
    let witness = ShuffleWitness::new(SecretScalar::new(cheater.s), cheater.pi.clone()).unwrap();
    let (c, b, i, nb, o) = (&claim.context, &claim.base, &claim.input, &claim.new_base, &claim.output);
    assert!(ShuffleProof::prove(c, b, i, nb, o, &witness, &mut rand::rng()).is_err());
}

#[test]
fn one_element_with_another_exponent_is_caught() {
    let roll = roll(12);
    let cheater = Cheater::new(12);
    let mut claim = cheater.claim(Element::generator(), &roll.list);
    let j = cheater.pi[6] as usize;
    claim.output[6] = enc((cheater.s + Scalar::ONE) * point(&roll.list[j]));
    assert!(is_rejected_proof(claim.verify(&cheater.prove(&claim))));
}

#[test]
fn a_base_not_raised_by_the_exponent_is_caught() {
    let roll = roll(12);
    let cheater = Cheater::new(12);
    let mut claim = cheater.claim(Element::generator(), &roll.list);
    claim.new_base = Element::from_point((cheater.s + Scalar::ONE) * claim.base.point());
    assert!(is_rejected_proof(claim.verify(&cheater.prove(&claim))));
    // Keeping the old base (no voter could find herself) is caught too.
    claim.new_base = claim.base;
    assert!(is_rejected_proof(claim.verify(&cheater.prove(&claim))));
}

#[test]
fn exponent_zero_is_refused_although_its_equations_hold() {
    // s = 0 turns every credential into the identity: a true statement about the exponent 0,
    // which the proof's equations accept; only the new base's check stops it.
    let roll = roll(6);
    let cheater = Cheater { s: Scalar::ZERO, ..Cheater::new(6) };
    let claim = cheater.claim(Element::generator(), &roll.list);
    assert!(claim.output.iter().all(|o| *o == [0; 32]));
    let err = claim.verify(&cheater.prove(&claim)).unwrap_err();
    assert!(err.to_string().contains("identity"), "{err}");
}

#[test]
fn outputs_swapped_after_proving_are_caught() {
    let roll = roll(10);
    let (mut claim, proof) = honest(ctx(1), Element::generator(), &roll.list);
    claim.output.swap(2, 7);
    assert!(is_rejected_proof(claim.verify(&proof)));
}

// ---------------------------------------------------------------------------------------
// A cheater with its own prover: a commitment to a matrix that is not a permutation
// ---------------------------------------------------------------------------------------

/// How the matrix cheater ends its commitment chain.
#[derive(Clone, Copy)]
enum ChainEnd {
    /// The chain as computed: it ends at `Π u'_i·Ĥ`, which is not `Π u_j·Ĥ`.
    Honest,
    /// The last link is replaced so that the chain ends at `Π u_j·Ĥ`: equation 2 then holds,
    /// and the last link's equation cannot.
    Forced,
}

/// A prover that commits to an arbitrary matrix M (`c_j = r_j·g + Σ_i M[i][j]·H_i`) and
/// follows the protocol with `u' = M·u`. With M's rows summing to 1 and outputs solving
/// `Σ_i M[i][j]·X'_i = s·X_j`, the equations on t1, t3, t4 and t5 all hold (asserted here):
/// only the product argument (the chain, t2 and t̂) stands between it and a forged shuffle.
fn matrix_cheat(claim: &Claim, s: Scalar, m: &[Vec<Scalar>], end: ChainEnd) -> ShuffleProof {
    let mut rng = rand::rng();
    let n = claim.input.len();
    let h: Vec<RistrettoPoint> = (0..n as u64).map(shuffle::generator).collect();
    let hat_h = shuffle::chain_start();
    let r: Vec<Scalar> = (0..n).map(|_| Scalar::random(&mut rng)).collect();
    let c_points: Vec<RistrettoPoint> =
        (0..n).map(|j| mul_g(&r[j]) + (0..n).map(|i| m[i][j] * h[i]).sum::<RistrettoPoint>()).collect();
    let permutation: Vec<[u8; 32]> = c_points.iter().map(|p| enc(*p)).collect();
    let cx = &claim.context;
    let (elements, mut t) = transcript::shuffle(
        &cx.fingerprint,
        cx.shuffler,
        cx.list,
        &claim.base,
        &claim.new_base,
        &claim.input,
        &claim.output,
    )
    .permutation(&permutation);
    let u: Vec<Scalar> = (0..n).map(|j| elements.challenge(j as u64)).collect();
    let up: Vec<Scalar> = (0..n).map(|i| (0..n).map(|j| m[i][j] * u[j]).sum()).collect();

    // The chain, with R_i = log_g(ĉ_i − U_i·Ĥ).
    let r_hat: Vec<Scalar> = (0..n).map(|_| Scalar::random(&mut rng)).collect();
    let mut chain_points = Vec::with_capacity(n);
    let (mut prev, mut log) = (hat_h, Scalar::ZERO);
    for i in 0..n {
        let next = mul_g(&r_hat[i]) + up[i] * prev;
        log = r_hat[i] + up[i] * log;
        chain_points.push(next);
        prev = next;
    }
    let u_all: Scalar = u.iter().product();
    if let ChainEnd::Forced = end {
        chain_points[n - 1] = mul_g(&log) + u_all * hat_h;
    }

    let x: Vec<RistrettoPoint> = claim.input.iter().map(point).collect();
    let xp: Vec<RistrettoPoint> = claim.output.iter().map(point).collect();
    let a: RistrettoPoint = (0..n).map(|j| u[j] * x[j]).sum();
    let w: [Scalar; 4] = std::array::from_fn(|_| Scalar::random(&mut rng));
    let w_hat: Vec<Scalar> = (0..n).map(|_| Scalar::random(&mut rng)).collect();
    let w_prime: Vec<Scalar> = (0..n).map(|_| Scalar::random(&mut rng)).collect();
    let t1 = mul_g(&w[0]);
    let t2 = mul_g(&w[1]);
    let t3 = mul_g(&w[2]) + (0..n).map(|i| w_prime[i] * h[i]).sum::<RistrettoPoint>();
    let t4 = (0..n).map(|i| w_prime[i] * xp[i]).sum::<RistrettoPoint>() - w[3] * a;
    let t5 = w[3] * claim.base.point();
    let t_hat: Vec<RistrettoPoint> =
        (0..n).map(|i| mul_g(&w_hat[i]) + w_prime[i] * if i == 0 { hat_h } else { chain_points[i - 1] }).collect();
    let chain: Vec<[u8; 32]> = chain_points.iter().map(|p| enc(*p)).collect();
    let chain_commitments: Vec<[u8; 32]> = t_hat.iter().map(|p| enc(*p)).collect();
    for x in &chain {
        t.commit(x);
    }
    for p in [t1, t2, t3, t4, t5] {
        t.commit(&enc(p));
    }
    for x in &chain_commitments {
        t.commit(x);
    }
    let c = t.challenge();
    let proof = ShuffleProof {
        chain,
        chain_commitments,
        chain_responses: (0..n).map(|i| w_hat[i] + c * r_hat[i]).collect(),
        permutation,
        permuted_responses: (0..n).map(|i| w_prime[i] + c * up[i]).collect(),
        s1: w[0] + c * r.iter().sum::<Scalar>(),
        s2: w[1] + c * log,
        s3: w[2] + c * (0..n).map(|j| r[j] * u[j]).sum::<Scalar>(),
        s4: w[3] + c * s,
        t1: Element::from_point(t1),
        t2: Element::from_point(t2),
        t3: Element::from_point(t3),
        t4: Element::from_point(t4),
        t5: Element::from_point(t5),
    };
    // The equations the cheater satisfies (specs/protocol.md §13.6, E1 and E3–E5).
    let sum_c: RistrettoPoint = c_points.iter().sum();
    let sum_h: RistrettoPoint = h.iter().sum();
    assert_eq!(mul_g(&proof.s1) - c * (sum_c - sum_h), t1, "E1");
    let uc: RistrettoPoint = (0..n).map(|j| u[j] * c_points[j]).sum();
    let sh: RistrettoPoint = (0..n).map(|i| proof.permuted_responses[i] * h[i]).sum();
    assert_eq!(mul_g(&proof.s3) + sh - c * uc, t3, "E3");
    let sx: RistrettoPoint = (0..n).map(|i| proof.permuted_responses[i] * xp[i]).sum();
    assert_eq!(sx - proof.s4 * a, t4, "E4");
    assert_eq!(proof.s4 * claim.base.point() - c * claim.new_base.point(), t5, "E5");
    proof
}

fn identity_matrix(n: usize) -> Vec<Vec<Scalar>> {
    (0..n).map(|i| (0..n).map(|j| if i == j { Scalar::ONE } else { Scalar::ZERO }).collect()).collect()
}

#[test]
fn the_matrix_cheater_with_a_permutation_matrix_is_a_valid_prover() {
    // Control: the hand-written prover is right, so its failures below are the attack's.
    let roll = roll(5);
    let s = Scalar::random(&mut rand::rng());
    let pi = [3usize, 0, 4, 1, 2];
    let mut m = vec![vec![Scalar::ZERO; 5]; 5];
    for (i, &j) in pi.iter().enumerate() {
        m[i][j] = Scalar::ONE;
    }
    let base = Element::generator();
    let output = pi.iter().map(|&j| enc(s * point(&roll.list[j]))).collect();
    let claim = Claim {
        context: ctx(1),
        base,
        input: roll.list.clone(),
        new_base: Element::from_point(s * base.point()),
        output,
    };
    assert_eq!(claim.verify(&matrix_cheat(&claim, s, &m, ChainEnd::Honest)), Ok(()));
}

#[test]
fn a_commitment_to_a_non_permutation_matrix_is_caught_by_the_product_argument() {
    // M = [[2, −1], [0, 1]] on the first two credentials, the identity elsewhere: rows sum to
    // 1, and the outputs X'_0 = (s/2)·X_0, X'_1 = s·X_1 + (s/2)·X_0 satisfy every linear
    // equation. The two voters could no longer find their credentials; the outputs are sums
    // the cheater chose.
    let roll = roll(5);
    let s = Scalar::random(&mut rand::rng());
    let mut m = identity_matrix(5);
    m[0][0] = Scalar::from(2u64);
    m[0][1] = -Scalar::ONE;
    let x: Vec<RistrettoPoint> = roll.list.iter().map(point).collect();
    let half = s * Scalar::from(2u64).invert();
    let mut output: Vec<[u8; 32]> = x.iter().map(|p| enc(s * p)).collect();
    output[0] = enc(half * x[0]);
    output[1] = enc(s * x[1] + half * x[0]);
    let base = Element::generator();
    let claim = Claim {
        context: ctx(1),
        base,
        input: roll.list.clone(),
        new_base: Element::from_point(s * base.point()),
        output,
    };
    for end in [ChainEnd::Honest, ChainEnd::Forced] {
        assert!(is_rejected_proof(claim.verify(&matrix_cheat(&claim, s, &m, end))));
    }
}

// ---------------------------------------------------------------------------------------
// Chains verified together
// ---------------------------------------------------------------------------------------

/// What one shuffler published.
struct Published {
    context: ShuffleContext,
    new_base: Element,
    output: Vec<[u8; 32]>,
    proof: ShuffleProof,
}

fn steps(published: &[Published]) -> Vec<ShuffleStep<'_>> {
    published
        .iter()
        .map(|p| ShuffleStep { context: p.context, new_base: p.new_base, output: &p.output, proof: &p.proof })
        .collect()
}

/// Shufflers 1, 2, 3 in turn; shuffler 2 may be a cheater that duplicates a credential.
fn chain_of_three(input: &[[u8; 32]], cheat: bool) -> Vec<Published> {
    let mut out: Vec<Published> = Vec::new();
    for j in 1..=3 {
        let (base, list) = out.last().map_or((Element::generator(), input), |p| (p.new_base, &p.output[..]));
        if cheat && j == 2 {
            let cheater = Cheater::new(list.len());
            let mut claim = Claim { context: ctx(2), ..cheater.claim(base, list) };
            claim.output[0] = claim.output[1];
            let proof = cheater.prove(&claim);
            out.push(Published { context: ctx(2), new_base: claim.new_base, output: claim.output, proof });
        } else {
            let (claim, proof) = honest(ctx(j), base, list);
            out.push(Published { context: ctx(j), new_base: claim.new_base, output: claim.output, proof });
        }
    }
    out
}

#[test]
fn a_chain_verifies_as_one_equation_and_agrees_with_its_steps() {
    let roll = roll(30);
    let g = Element::generator();
    let chain = chain_of_three(&roll.list, false);
    assert_eq!(shuffle::verify_chain(&g, &roll.list, &steps(&chain)), Ok(()));
    everyone_finds_herself(&roll, &chain[2].new_base, &chain[2].output);
    // Any prefix is a chain too.
    assert_eq!(shuffle::verify_chain(&g, &roll.list, &steps(&chain[..2])), Ok(()));
    assert!(matches!(shuffle::verify_chain(&g, &roll.list, &[]), Err(CryptoError::Parameter(_))));
}

#[test]
fn a_cheating_step_in_a_chain_is_named() {
    let roll = roll(30);
    let g = Element::generator();
    let chain = chain_of_three(&roll.list, true);
    // Steps 1 and 3 are honest on their own inputs; step 2 is not.
    let alone = |k: usize, base: &Element, input: &[[u8; 32]]| {
        chain[k].proof.verify(&chain[k].context, base, input, &chain[k].new_base, &chain[k].output)
    };
    assert_eq!(alone(0, &g, &roll.list), Ok(()));
    assert!(is_rejected_proof(alone(1, &chain[0].new_base, &chain[0].output)));
    assert_eq!(alone(2, &chain[1].new_base, &chain[1].output), Ok(()));
    let err = shuffle::verify_chain(&g, &roll.list, &steps(&chain)).unwrap_err();
    assert!(matches!(err, CryptoError::InvalidProof { .. }) && err.to_string().contains("shuffler 2:"), "{err}");
}

#[test]
fn steps_do_not_move_within_or_between_chains() {
    let roll = roll(20);
    let g = Element::generator();
    let chain = chain_of_three(&roll.list, false);
    let mut swapped = steps(&chain);
    swapped.swap(1, 2);
    assert!(shuffle::verify_chain(&g, &roll.list, &swapped).is_err());
    // Step 2 of another chain over the same registered list.
    let other = chain_of_three(&roll.list, false);
    let mut mixed = steps(&chain);
    mixed[1] = steps(&other)[1];
    let err = shuffle::verify_chain(&g, &roll.list, &mixed).unwrap_err();
    assert!(err.to_string().contains("shuffler 2:"), "{err}");
    // The chain from another registered list.
    assert!(shuffle::verify_chain(&g, &roll.list[1..], &steps(&chain)).is_err());
}

#[test]
fn chain_errors_name_the_shuffler_and_the_value() {
    let roll = roll(10);
    let g = Element::generator();
    let mut chain = chain_of_three(&roll.list, false);
    chain[2].output[4] = NON_CANONICAL;
    let err = shuffle::verify_chain(&g, &roll.list, &steps(&chain)).unwrap_err();
    assert!(matches!(&err, CryptoError::Encoding { field, .. } if field == "shuffler 3 output[4]"), "{err}");
    let mut chain = chain_of_three(&roll.list, false);
    chain[1].proof.chain[1] = NON_CANONICAL;
    let err = shuffle::verify_chain(&g, &roll.list, &steps(&chain)).unwrap_err();
    assert!(matches!(&err, CryptoError::Encoding { field, .. } if field == "shuffler 2 proof.chain[1]"), "{err}");
    let mut chain = chain_of_three(&roll.list, false);
    chain[1].output.pop();
    let err = shuffle::verify_chain(&g, &roll.list, &steps(&chain)).unwrap_err();
    assert!(matches!(&err, CryptoError::Parameter(m) if m.starts_with("shuffler 2:")), "{err}");
}

// ---------------------------------------------------------------------------------------
// Proofs do not move
// ---------------------------------------------------------------------------------------

#[test]
fn a_proof_does_not_move_to_another_statement() {
    let (first, second) = (roll(8), roll(8));
    let g = Element::generator();
    let (claim, proof) = honest(ctx(1), g, &first.list);
    let (other, _) = honest(ctx(1), g, &second.list);
    assert_eq!(claim.verify(&proof), Ok(()));
    let variants: Vec<(&str, Claim)> = vec![
        (
            "another list's input and output",
            Claim {
                input: other.input.clone(),
                output: other.output.clone(),
                new_base: other.new_base,
                ..claim.clone()
            },
        ),
        ("another shuffler", Claim { context: ctx(2), ..claim.clone() }),
        ("another list number", Claim { context: ShuffleContext { list: 1, ..ctx(1) }, ..claim.clone() }),
        (
            "another election",
            Claim { context: ShuffleContext { fingerprint: Fingerprint([0x22; 32]), ..ctx(1) }, ..claim.clone() },
        ),
        ("another base", Claim { base: Element::from_point(G + G), ..claim.clone() }),
        ("another new base", Claim { new_base: other.new_base, ..claim.clone() }),
    ];
    for (what, variant) in variants {
        assert!(is_rejected_proof(variant.verify(&proof)), "{what}");
    }
    // The input of one shuffle and the output of another, each with a valid proof.
    let mixed = Claim { output: other.output.clone(), new_base: other.new_base, ..claim.clone() };
    assert!(is_rejected_proof(mixed.verify(&proof)));
}

// ---------------------------------------------------------------------------------------
// Every field matters
// ---------------------------------------------------------------------------------------

fn bump(p: &[u8; 32]) -> [u8; 32] {
    enc(point(p) + G)
}

/// A change to a proof, by name.
type Mutation = (String, Box<dyn Fn(&mut ShuffleProof)>);

/// Every way of changing one value of a proof.
fn mutations(n: usize) -> Vec<Mutation> {
    let mut out: Vec<Mutation> = Vec::new();
    for i in [0, n / 2, n - 1] {
        out.push((format!("chain[{i}]"), Box::new(move |p| p.chain[i] = bump(&p.chain[i]))));
        out.push((
            format!("chain_commitments[{i}]"),
            Box::new(move |p| p.chain_commitments[i] = bump(&p.chain_commitments[i])),
        ));
        out.push((format!("permutation[{i}]"), Box::new(move |p| p.permutation[i] = bump(&p.permutation[i]))));
        out.push((format!("chain_responses[{i}]"), Box::new(move |p| p.chain_responses[i] += Scalar::ONE)));
        out.push((format!("permuted_responses[{i}]"), Box::new(move |p| p.permuted_responses[i] += Scalar::ONE)));
    }
    out.push(("s1".into(), Box::new(|p| p.s1 += Scalar::ONE)));
    out.push(("s2".into(), Box::new(|p| p.s2 += Scalar::ONE)));
    out.push(("s3".into(), Box::new(|p| p.s3 += Scalar::ONE)));
    out.push(("s4".into(), Box::new(|p| p.s4 += Scalar::ONE)));
    out.push(("t1".into(), Box::new(|p| p.t1 = Element::from_point(p.t1.point() + G))));
    out.push(("t2".into(), Box::new(|p| p.t2 = Element::from_point(p.t2.point() + G))));
    out.push(("t3".into(), Box::new(|p| p.t3 = Element::from_point(p.t3.point() + G))));
    out.push(("t4".into(), Box::new(|p| p.t4 = Element::from_point(p.t4.point() + G))));
    out.push(("t5".into(), Box::new(|p| p.t5 = Element::from_point(p.t5.point() + G))));
    if n > 1 {
        out.push(("two chain links swapped".into(), Box::new(|p| p.chain.swap(0, 1))));
        out.push(("two permutation commitments swapped".into(), Box::new(|p| p.permutation.swap(0, 1))));
        out.push(("two permuted responses swapped".into(), Box::new(|p| p.permuted_responses.swap(0, 1))));
    }
    out
}

#[test]
fn every_changed_value_of_a_proof_is_caught() {
    let roll = roll(7);
    let (claim, proof) = honest(ctx(1), Element::generator(), &roll.list);
    for (what, mutate) in mutations(7) {
        let mut bad = proof.clone();
        mutate(&mut bad);
        assert!(is_rejected_proof(claim.verify(&bad)), "{what}");
    }
}

#[test]
fn wrong_lengths_are_refused_with_the_field() {
    let roll = roll(5);
    let (claim, proof) = honest(ctx(1), Element::generator(), &roll.list);
    type Cut = (&'static str, fn(&mut ShuffleProof));
    let cut: [Cut; 5] = [
        ("chain", |p| {
            p.chain.pop();
        }),
        ("chain_commitments", |p| {
            p.chain_commitments.pop();
        }),
        ("chain_responses", |p| {
            p.chain_responses.pop();
        }),
        ("permutation", |p| {
            p.permutation.pop();
        }),
        ("permuted_responses", |p| {
            p.permuted_responses.pop();
        }),
    ];
    for (field, f) in cut {
        let mut bad = proof.clone();
        f(&mut bad);
        let err = claim.verify(&bad).unwrap_err();
        assert!(err.to_string().contains(&format!("{field} has 4 entries for 5")), "{err}");
    }
    // A list one longer than the proof.
    let longer = roll.list.iter().copied().chain([enc(G)]).collect::<Vec<_>>();
    let more = Claim { input: longer.clone(), output: longer, ..claim.clone() };
    assert!(is_rejected_proof(more.verify(&proof)));
    let uneven = Claim { output: claim.output[1..].to_vec(), ..claim.clone() };
    assert!(matches!(uneven.verify(&proof), Err(CryptoError::Parameter(_))));
}

// ---------------------------------------------------------------------------------------
// Encodings
// ---------------------------------------------------------------------------------------

/// An encoding that is not canonical: the field element 2^255 − 1 ≥ p.
const NON_CANONICAL: [u8; 32] = {
    let mut b = [0xff; 32];
    b[31] = 0x7f;
    b
};

#[test]
fn non_canonical_points_are_refused_with_their_place() {
    let roll = roll(4);
    let (claim, proof) = honest(ctx(1), Element::generator(), &roll.list);
    let place = |f: &dyn Fn(&mut ShuffleProof, &mut Claim)| {
        let (mut p, mut c) = (proof.clone(), claim.clone());
        f(&mut p, &mut c);
        match c.verify(&p) {
            Err(CryptoError::Encoding { field, .. }) => field,
            other => panic!("expected an encoding error, got {other:?}"),
        }
    };
    assert_eq!(place(&|p, _| p.chain[1] = NON_CANONICAL), "proof.chain[1]");
    assert_eq!(place(&|p, _| p.chain[3] = NON_CANONICAL), "proof.chain[3]");
    assert_eq!(place(&|p, _| p.chain_commitments[2] = NON_CANONICAL), "proof.chain_commitments[2]");
    assert_eq!(place(&|p, _| p.permutation[0] = NON_CANONICAL), "proof.permutation[0]");
    assert_eq!(place(&|_, c| c.input[3] = NON_CANONICAL), "input[3]");
    assert_eq!(place(&|_, c| c.output[2] = NON_CANONICAL), "output[2]");
    // Two bad values: the first in list order is named.
    assert_eq!(
        place(&|p, c| {
            c.output[3] = NON_CANONICAL;
            p.chain[1] = NON_CANONICAL;
        }),
        "proof.chain[1]"
    );
}

#[test]
fn json_is_canonical_and_round_trips() {
    let roll = roll(3);
    let (claim, proof) = honest(ctx(1), Element::generator(), &roll.list);
    let text = serde_json::to_string(&proof).unwrap();
    let back: ShuffleProof = serde_json::from_str(&text).unwrap();
    assert_eq!(back, proof);
    assert_eq!(serde_json::to_string(&back).unwrap(), text);
    assert_eq!(claim.verify(&back), Ok(()));
    let keys = [
        "chain",
        "chain_commitments",
        "chain_responses",
        "permutation",
        "permuted_responses",
        "s1",
        "s2",
        "s3",
        "s4",
        "t1",
        "t2",
        "t3",
        "t4",
        "t5",
    ];
    let positions: Vec<usize> = keys.iter().map(|k| text.find(&format!("\"{k}\":")).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "keys are sorted: {positions:?}");
    assert_eq!(positions.len(), text.matches("\":").count(), "no other keys");
}

fn json_error(text: &str) -> String {
    let de = &mut serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, ShuffleProof>(de) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => format!("{}: {}", e.path(), e.inner()),
    }
}

#[test]
fn malformed_json_is_refused_with_its_path() {
    let roll = roll(3);
    let (_, proof) = honest(ctx(1), Element::generator(), &roll.list);
    let text = serde_json::to_string(&proof).unwrap();
    let hex = |b: &[u8; 32]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let ell = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

    let s = text.replace(&hex(proof.chain_responses[2].as_bytes()), ell);
    let err = json_error(&s);
    assert!(err.starts_with("chain_responses[2]") && err.contains("canonical"), "{err}");
    let s = text.replace(&hex(proof.s3.as_bytes()), ell);
    assert!(json_error(&s).starts_with("s3"));
    let s = text.replace(&hex(proof.t2.as_bytes()), &hex(&NON_CANONICAL));
    let err = json_error(&s);
    assert!(err.starts_with("t2") && err.contains("canonical"), "{err}");
    let s = text.replace(&hex(&proof.chain[0]), &hex(&proof.chain[0]).to_uppercase());
    assert!(json_error(&s).starts_with("chain[0]"));
    let s = text.replace(&hex(&proof.permutation[1]), &hex(&proof.permutation[1])[..62]);
    assert!(json_error(&s).starts_with("permutation[1]"));
    let s = text.replacen('{', "{\"extra\":1,", 1);
    assert!(json_error(&s).contains("unknown field"));
    let s = text.replace("\"s1\"", "\"s0\"");
    assert!(json_error(&s).contains("s0"));
    // A non-canonical point in a list is read, and refused by the verifier (with its place,
    // see above), which decodes lists in parallel.
    let s = text.replace(&hex(&proof.chain[1]), &hex(&NON_CANONICAL));
    assert!(serde_json::from_str::<ShuffleProof>(&s).is_ok());
}

// ---------------------------------------------------------------------------------------
// Vectors for a second implementation (specs/protocol.md §13.9)
// ---------------------------------------------------------------------------------------

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn generator_and_transcript_vectors() {
    assert_eq!(hex(&enc(shuffle::chain_start())), CHAIN_START);
    assert_eq!(hex(&enc(shuffle::generator(0))), GENERATOR_0);
    assert_eq!(hex(&enc(shuffle::generator(1))), GENERATOR_1);
    // Setup fingerprint 32 zero bytes, shuffler 1, list 0, h = g, h' = 2·g, input (g, 3·g),
    // output (4·g, 6·g), permutation commitments (5·g, 7·g), then the chain (8·g, 9·g), the
    // commitments t1 … t5 = 1·g … 5·g and the chain commitments (6·g, 7·g).
    let m = |k: u64| enc(mul_g(&Scalar::from(k)));
    let (g, g2) = (Element::generator(), Element::from_point(mul_g(&Scalar::from(2u64))));
    let (elements, mut t) = transcript::shuffle(&Fingerprint([0; 32]), 1, 0, &g, &g2, &[m(1), m(3)], &[m(4), m(6)])
        .permutation(&[m(5), m(7)]);
    assert_eq!(hex(elements.challenge(0).as_bytes()), U_0);
    assert_eq!(hex(elements.challenge(1).as_bytes()), U_1);
    for k in [8, 9, 1, 2, 3, 4, 5, 6, 7] {
        t.commit(&m(k));
    }
    assert_eq!(hex(t.challenge().as_bytes()), C);
}

const CHAIN_START: &str = "e6520a89cbd72291b3f27f14b42690576de1393f116a7fb9ed9db0b914687118";
const GENERATOR_0: &str = "5c7137a025e309c2a24a63e353c70218e04704de73ad7e54514b1365fb6a776c";
const GENERATOR_1: &str = "ce7f7869685a35a92d783c3488495d8475ecb1e3ccbf7a078bb994b7c9f20150";
const U_0: &str = "f25cac536af15ce3f1219cd313d02d196aa612082a1a26f68094cde6f13a2a07";
const U_1: &str = "f1648963845b3f1bca468a9b089be1a29928ee202cc807fb4b5f0ad6c6496b06";
const C: &str = "8eac4d316ace5ab1253aee8f5d2dead1608ac83079836367be2fe57f061a3808";

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn random_shuffles_verify_and_any_single_change_fails(n in 1usize..7, pick in any::<prop::sample::Index>()) {
        let roll = roll(n);
        let (claim, proof) = honest(ctx(1), Element::generator(), &roll.list);
        prop_assert_eq!(claim.verify(&proof), Ok(()));
        everyone_finds_herself(&roll, &claim.new_base, &claim.output);
        let all = mutations(n);
        let (what, mutate) = &all[pick.index(all.len())];
        let mut bad = proof.clone();
        mutate(&mut bad);
        prop_assert!(is_rejected_proof(claim.verify(&bad)), "{}", what);
    }
}

#[test]
fn identity_outputs_of_identity_inputs_are_a_true_statement() {
    // The shuffle itself does not judge credentials (the credential list refuses the
    // identity): an input holding the identity gives an identity output, and the proof holds.
    let mut list = roll(3).list;
    list[1] = enc(RistrettoPoint::identity());
    let (claim, proof) = honest(ctx(1), Element::generator(), &list);
    assert_eq!(claim.verify(&proof), Ok(()));
    assert!(claim.output.contains(&[0; 32]));
}

// ---------------------------------------------------------------------------------------
// National scale (ignored: minutes)
// ---------------------------------------------------------------------------------------

/// One shuffle of `DAUYS_SHUFFLE_N` credentials (default 1,000,000): proved on all threads,
/// verified on one thread and on all; prints wall and CPU times and the peak memory.
///
/// `cargo test --release --test shuffle -- --ignored --nocapture national_scale`
#[test]
#[ignore]
fn national_scale() {
    use rayon::prelude::*;
    use std::time::Instant;
    let n: usize = std::env::var("DAUYS_SHUFFLE_N").map_or(1_000_000, |v| v.parse().expect("DAUYS_SHUFFLE_N"));
    let threads = rayon::current_num_threads();
    let start = Instant::now();
    let mut list: Vec<[u8; 32]> =
        (0..n).into_par_iter().map(|_| enc(mul_g(&Scalar::random(&mut rand::rng())))).collect();
    list.par_sort_unstable();
    println!("{n} credentials generated in {:.1} s (untimed below)", start.elapsed().as_secs_f64());

    // The process's CPU time (user + system), which other load on the machine disturbs far
    // less than wall time.
    let cpu = || {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
        let ticks = |k: usize| fields.get(k).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        (ticks(11) + ticks(12)) / 100.0
    };
    let report = |what: &str, wall: f64, cpu: f64| {
        let per = |t: f64| t * 1e6 / n as f64;
        println!(
            "{what}: wall {wall:.1} s ({:.1} µs/credential), CPU {cpu:.1} s ({:.1} µs/credential)",
            per(wall),
            per(cpu)
        );
    };
    let (base, context) = (Element::generator(), ctx(1));
    let (start, cpu0) = (Instant::now(), cpu());
    let Shuffle { new_base, output, proof } = prove::shuffle(&context, &base, &list, &mut rand::rng()).unwrap();
    report(&format!("prove, {threads} threads"), start.elapsed().as_secs_f64(), cpu() - cpu0);

    let verify = |pool_threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(pool_threads).build().unwrap();
        let (start, cpu0) = (Instant::now(), cpu());
        pool.install(|| proof.verify(&context, &base, &list, &new_base, &output)).unwrap();
        report(&format!("verify, {pool_threads} thread(s)"), start.elapsed().as_secs_f64(), cpu() - cpu0);
    };
    verify(threads);
    verify(1);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM")) {
        println!("peak memory: {}", line.trim_start_matches("VmHWM:").trim());
    }
}

/// A valid proof (§13.10): F_s = 32 bytes 0x21, shuffler 1, list 0, h = g, inputs (3·g, 5·g),
/// s = 7, π = (1, 0): h' = 7·g, outputs (35·g, 21·g).
const PROOF_VECTOR: &str = r#"{"chain":["5a9194caf00e4e70264d58d6d3e14f19644bb8ca372ad2fc29249efd60e87242","5a534c906e904d28242470443e77c527f8a66f65c126329452f25a0166ff4f6a"],"chain_commitments":["0a15765c7b3e60251d4e465e1cf749d74ed4cceb8e0214aaf3b514e41d50a04c","4e2780fe39ed106ec5c40db453810f104cbef52f5a1f58fe8126862a206a1774"],"chain_responses":["e52db72b6d2632722fb508ab6e2b8939e555d976badcc231fc11823dddd0ed0b","9c892521437300c96a54abd8257dd92691e4061f8d6f0300ed7816d70cc06400"],"permutation":["205bca592156538892035f2f71bbe16a6c5d9e6b548f76495dd047d4cd9bb11f","c4f7e0bd428c4e09a15d92b7d588a9a6bd766e94ed601d247360c49f0dab2f3d"],"permuted_responses":["345fc220bba37924a76c538b684e92f5a56ac9ad6986ee19061d676dfd121e0e","8e18d12a92a600eac42c45b20b071024f85ecf6105dd7eae2430df4c28b5a80f"],"s1":"0ab336fd0408548a7e8fe66ddd58273045e68007d9f344f732539ee667129c03","s2":"ebd9f497812d39a8b38f74c56a9785252a820ec246d07b373a019840d6e9c205","s3":"79854d1dfab633c15da2bd3b4d2e68b5c6806cee249f99fc65d6e0b1d8dbc400","s4":"cd5b2b333fc52696a488d37849446a93571914bc13ca9c471a6e8e70424f4f06","t1":"5ebea2136b18b006c24fb7d2ebedf1c98d8a0bd6e01eb7e27ebafee9cacc803c","t2":"982664e41b01043677301fb1e58626879ec79b35c109cf05f51df45844480416","t3":"706967c964e06de7d41bf1893cbe0f1237f972403b2383e4c52e9651b0fbbc48","t4":"a648ac035133cb6d9bfeeeed895a440b18a35a42282856f5945751186cf0d32c","t5":"ae1ba44552c88984b4f589741152cbcf5a15b33836fe788cc6719452512bd655"}"#;

#[test]
fn the_proof_vector_verifies_and_only_as_stated() {
    let m = |k: u64| enc(mul_g(&Scalar::from(k)));
    let proof: ShuffleProof = serde_json::from_str(PROOF_VECTOR).unwrap();
    assert_eq!(serde_json::to_string(&proof).unwrap(), PROOF_VECTOR, "the vector is canonical JSON");
    let claim = Claim {
        context: ctx(1),
        base: Element::generator(),
        input: vec![m(3), m(5)],
        new_base: Element::from_point(mul_g(&Scalar::from(7u64))),
        output: vec![m(35), m(21)],
    };
    assert_eq!(claim.verify(&proof), Ok(()));
    let swapped = Claim { output: vec![m(21), m(35)], ..claim.clone() };
    assert!(is_rejected_proof(swapped.verify(&proof)));
}
