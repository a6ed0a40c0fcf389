//! Every proof: completeness; each field altered; the proof moved to another statement
//! (ciphertext, contest, option, election, credential, bounds); batches of 1,000 with one
//! bad proof; batch and individual verification agreeing.

use curve25519_dalek::scalar::Scalar;
use dauys::crypto::CryptoError;
use dauys::crypto::batch::{Base, BatchVerifier};
use dauys::crypto::elgamal::{Ciphertext, EncryptionKey, KeyPair};
use dauys::crypto::group::{Element, Fingerprint};
use dauys::crypto::range::RangeProof;
use dauys::crypto::schnorr::SchnorrProof;
use dauys::crypto::transcript;

const ELECTION: Fingerprint = Fingerprint([0x11; 32]);
const OTHER_ELECTION: Fingerprint = Fingerprint([0x12; 32]);

struct Setup {
    key: EncryptionKey,
    voter: KeyPair,
}

fn setup() -> Setup {
    let mut rng = rand::rng();
    Setup { key: EncryptionKey::new(KeyPair::generate(&mut rng).public), voter: KeyPair::generate(&mut rng) }
}

/// The claim a range proof is checked against: everything the verifier takes from outside
/// the proof.
#[derive(Clone, Copy)]
struct Claim {
    election: Fingerprint,
    key: Element,
    contest: u32,
    option: u32,
    ct: Ciphertext,
    bounds: (u64, u64),
    credential: Element,
}

impl Claim {
    fn transcript(&self) -> transcript::ChallengeTranscript {
        transcript::option_range(
            &self.election,
            &self.key,
            self.contest,
            self.option,
            &self.ct,
            self.bounds,
            &self.credential,
        )
    }

    fn verify(&self, proof: &RangeProof) -> Result<(), CryptoError> {
        proof.verify(self.transcript(), self.key.point(), self.ct.alpha.point(), self.ct.beta.point(), self.bounds)
    }

    fn add(&self, proof: &RangeProof, batch: &mut BatchVerifier) {
        let (a, b) = (Base::Point(*self.ct.alpha.point()), Base::Point(*self.ct.beta.point()));
        proof.add_to_batch(self.transcript(), Base::Shared(0), a, b, self.bounds, batch).unwrap();
    }
}

fn option_proof(s: &Setup, m: u64, bounds: (u64, u64)) -> (Claim, RangeProof) {
    let mut rng = rand::rng();
    let (ct, r) = s.key.encrypt(m, &mut rng);
    let claim = Claim {
        election: ELECTION,
        key: *s.key.element(),
        contest: 2,
        option: 3,
        ct,
        bounds,
        credential: s.voter.public,
    };
    let proof = RangeProof::prove(
        claim.transcript(),
        &s.key,
        ct.alpha.point(),
        ct.beta.point(),
        m,
        r.expose(),
        bounds,
        &mut rng,
    )
    .unwrap();
    (claim, proof)
}

#[test]
fn range_proofs_are_complete_for_every_value_in_range() {
    let s = setup();
    for bounds in [(0, 1), (0, 3), (2, 5), (1, 1)] {
        for m in bounds.0..=bounds.1 {
            let (claim, proof) = option_proof(&s, m, bounds);
            assert_eq!(claim.verify(&proof), Ok(()), "m = {m} in {bounds:?}");
        }
    }
}

#[test]
fn the_prover_refuses_a_value_out_of_range() {
    let s = setup();
    let mut rng = rand::rng();
    let (ct, r) = s.key.encrypt(2, &mut rng);
    let t = transcript::option_range(&ELECTION, s.key.element(), 0, 0, &ct, (0, 1), &s.voter.public);
    let result = RangeProof::prove(t, &s.key, ct.alpha.point(), ct.beta.point(), 2, r.expose(), (0, 1), &mut rng);
    assert!(matches!(result, Err(CryptoError::Parameter(_))));
}

/// A cheating prover: the ciphertext encrypts 2, the prover claims the branch for 1 anyway.
/// The resulting proof must not verify (soundness, not just the prover's own check).
#[test]
fn a_proof_for_a_value_out_of_range_does_not_verify() {
    let s = setup();
    let mut rng = rand::rng();
    let (ct, r) = s.key.encrypt(2, &mut rng);
    let claim = Claim {
        election: ELECTION,
        key: *s.key.element(),
        contest: 0,
        option: 0,
        ct,
        bounds: (0, 1),
        credential: s.voter.public,
    };
    let forged = cheat(claim.transcript(), &s.key, &ct, (0, 1), 1, r.expose());
    assert!(claim.verify(&forged).is_err());
    // The cheater is a working prover: on a true claim its proof verifies.
    let (ct, r) = s.key.encrypt(1, &mut rng);
    let honest = Claim { ct, ..claim };
    assert_eq!(honest.verify(&cheat(honest.transcript(), &s.key, &ct, (0, 1), 1, r.expose())), Ok(()));
}

#[test]
fn every_field_of_a_range_proof_is_checked() {
    let s = setup();
    let (claim, proof) = option_proof(&s, 1, (0, 1));
    let other = Element::from_point(s.key.element().point() + s.voter.public.point());
    let mut variants: Vec<(String, RangeProof)> = Vec::new();
    for j in 0..proof.0.commitments.len() {
        let mut p = proof.clone();
        p.0.commitments[j].0 = other;
        variants.push((format!("commitment A_{j}"), p));
        let mut p = proof.clone();
        p.0.commitments[j].1 = other;
        variants.push((format!("commitment B_{j}"), p));
    }
    for j in 0..proof.0.challenges.len() {
        let mut p = proof.clone();
        p.0.challenges[j] += Scalar::ONE;
        variants.push((format!("challenge c_{j}"), p));
    }
    for j in 0..proof.0.responses.len() {
        let mut p = proof.clone();
        p.0.responses[j] += Scalar::ONE;
        variants.push((format!("response z_{j}"), p));
    }
    // Swapping the branches' commitments keeps every value but breaks the structure.
    let mut p = proof.clone();
    p.0.commitments.swap(0, 1);
    variants.push(("swapped branches".into(), p));
    assert_eq!(variants.len(), 8);
    for (what, p) in variants {
        assert!(claim.verify(&p).is_err(), "altered {what} still verifies");
    }
}

#[test]
fn a_range_proof_cannot_be_moved_to_another_statement() {
    let s = setup();
    let (claim, proof) = option_proof(&s, 1, (0, 1));
    let (other_claim, _) = option_proof(&s, 1, (0, 1));
    // A re-randomized copy of the ciphertext (same plaintext) is a different statement too.
    let shifted = Ciphertext {
        alpha: Element::from_point(claim.ct.alpha.point() + dauys::crypto::group::G),
        beta: Element::from_point(claim.ct.beta.point() + s.key.element().point()),
    };
    let moves: Vec<(&str, Claim)> = vec![
        ("another ciphertext", Claim { ct: other_claim.ct, ..claim }),
        ("another contest", Claim { contest: 3, ..claim }),
        ("another option", Claim { option: 4, ..claim }),
        ("another election", Claim { election: OTHER_ELECTION, ..claim }),
        // Replay: the same ciphertext and proof, submitted under another voter's credential.
        ("another credential", Claim { credential: KeyPair::generate(&mut rand::rng()).public, ..claim }),
        ("another key", Claim { key: s.voter.public, ..claim }),
        ("a re-randomized ciphertext", Claim { ct: shifted, ..claim }),
    ];
    for (what, moved) in moves {
        assert!(moved.verify(&proof).is_err(), "proof moved to {what} still verifies");
    }
}

#[test]
fn bounds_come_from_the_statement_not_from_the_proof() {
    let s = setup();
    let (claim, proof) = option_proof(&s, 1, (0, 1));
    for bounds in [(0, 2), (1, 1), (1, 2)] {
        let err = Claim { bounds, ..claim }.verify(&proof).unwrap_err();
        assert!(matches!(err, CryptoError::InvalidProof { .. }), "{bounds:?}: {err}");
    }
    // Same branch count, other offsets: the shape passes, the equations do not.
    assert!(Claim { bounds: (1, 2), ..claim }.verify(&proof).is_err());
    let err = Claim { bounds: (0, 1000), ..claim }.verify(&proof).unwrap_err();
    assert!(matches!(err, CryptoError::Parameter(_)), "{err}");
}

/// A contest of 3 options, single choice: the sum proof with bounds [1, 1].
#[test]
fn contest_sum_proofs() {
    let s = setup();
    let mut rng = rand::rng();
    let prove_contest = |votes: [u64; 3], claimed: u64, bounds: (u64, u64)| {
        let mut rng = rand::rng();
        let (cts, nonces): (Vec<Ciphertext>, Vec<_>) = votes.iter().map(|m| s.key.encrypt(*m, &mut rng)).unzip();
        let sum = Ciphertext::sum(&cts);
        let r: Scalar = nonces.iter().map(|r| r.expose()).sum();
        let t = transcript::contest_sum(&ELECTION, s.key.element(), 1, &cts, bounds, &s.voter.public);
        let proof = if votes.iter().sum::<u64>() == claimed {
            RangeProof::prove(t, &s.key, sum.alpha.point(), sum.beta.point(), claimed, &r, bounds, &mut rng).unwrap()
        } else {
            cheat(t, &s.key, &sum, bounds, claimed, &r)
        };
        (cts, sum, proof)
    };
    let verify = |cts: &[Ciphertext], sum: &Ciphertext, proof: &RangeProof, bounds, credential: &Element| {
        let t = transcript::contest_sum(&ELECTION, s.key.element(), 1, cts, bounds, credential);
        proof.verify(t, s.key.element().point(), sum.alpha.point(), sum.beta.point(), bounds)
    };

    let (cts, sum, proof) = prove_contest([0, 1, 0], 1, (1, 1));
    assert_eq!(verify(&cts, &sum, &proof, (1, 1), &s.voter.public), Ok(()));
    assert_eq!(proof.0.commitments.len(), 1, "a [1, 1] sum proof is a single Chaum–Pedersen proof");
    // Replay under another credential.
    assert!(verify(&cts, &sum, &proof, (1, 1), &KeyPair::generate(&mut rng).public).is_err());
    // Options swapped: the sum is the same, the statement is not.
    let swapped = [cts[1], cts[0], cts[2]];
    assert!(verify(&swapped, &sum, &proof, (1, 1), &s.voter.public).is_err());

    // Two marks in a single-choice contest: a cheating prover's sum proof fails.
    let (cts, sum, proof) = prove_contest([1, 1, 0], 1, (1, 1));
    assert!(verify(&cts, &sum, &proof, (1, 1), &s.voter.public).is_err());
    // No mark at all, where at least one is required.
    let (cts, sum, proof) = prove_contest([0, 0, 0], 1, (1, 1));
    assert!(verify(&cts, &sum, &proof, (1, 1), &s.voter.public).is_err());
    // Approval-style [0, 2] accepts two marks.
    let (cts, sum, proof) = prove_contest([1, 1, 0], 2, (0, 2));
    assert_eq!(verify(&cts, &sum, &proof, (0, 2), &s.voter.public), Ok(()));
}

/// The strongest cheater short of solving discrete logarithms: it claims branch `k` of the
/// range `bounds` for `(alpha, beta)` with the nonce `r`, simulates every other branch against
/// the real points (so those verify), and answers branch `k` honestly for a value it does not
/// hold. The library's prover refuses false statements, so the soundness tests use this one.
#[allow(clippy::too_many_arguments)]
fn cheat(
    mut t: transcript::ChallengeTranscript,
    key: &EncryptionKey,
    alpha: &Ciphertext,
    bounds: (u64, u64),
    claimed: u64,
    r: &Scalar,
) -> RangeProof {
    use curve25519_dalek::ristretto::RistrettoPoint;
    use dauys::crypto::dleq::DisjunctiveProof;
    use dauys::crypto::elgamal::message_point;
    use dauys::crypto::group::{mul_g, random_scalar};
    let mut rng = rand::rng();
    let (x, y): (RistrettoPoint, RistrettoPoint) = (*alpha.alpha.point(), *alpha.beta.point());
    let k = (claimed - bounds.0) as usize;
    let w = random_scalar(&mut rng);
    let (mut cs, mut zs, mut commitments) = (vec![], vec![], vec![]);
    for (j, o) in (bounds.0..=bounds.1).enumerate() {
        let (c, z) = (random_scalar(&mut rng), random_scalar(&mut rng));
        let (a, b) = if j == k {
            (mul_g(&w), key.mul(&w))
        } else {
            (mul_g(&z) - c * x, key.mul(&z) - c * (y - message_point(o)))
        };
        commitments.push((Element::from_point(a), Element::from_point(b)));
        cs.push(c);
        zs.push(z);
    }
    for (a, b) in &commitments {
        t.commit(a);
        t.commit(b);
    }
    let c = t.challenge();
    let others: Scalar = cs.iter().enumerate().filter(|(j, _)| *j != k).map(|(_, c)| c).sum();
    cs[k] = c - others;
    zs[k] = w + cs[k] * r;
    cs.pop();
    RangeProof(DisjunctiveProof { commitments, challenges: cs, responses: zs })
}

fn batch_of(s: &Setup, claims: &[(Claim, RangeProof)]) -> BatchVerifier {
    let mut batch = BatchVerifier::with_shared_bases(vec![*s.key.element().point()]);
    for (claim, proof) in claims {
        claim.add(proof, &mut batch);
    }
    batch
}

#[test]
fn one_bad_proof_among_a_thousand_is_found() {
    let s = setup();
    let mut claims: Vec<(Claim, RangeProof)> = (0..1000).map(|i| option_proof(&s, i % 2, (0, 1))).collect();
    assert_eq!(batch_of(&s, &claims).verify(), Ok(()));
    claims[637].1.0.responses[0] += Scalar::ONE;
    assert_eq!(batch_of(&s, &claims).verify(), Err(CryptoError::BatchFailed { failed: vec![637] }));
    // A proof moved to another ballot's ciphertext, found the same way.
    let moved = claims[12].0.ct;
    claims[400].0.ct = moved;
    assert_eq!(batch_of(&s, &claims).verify(), Err(CryptoError::BatchFailed { failed: vec![400, 637] }));
}

#[test]
fn batch_and_individual_verification_agree() {
    let s = setup();
    let mut claims: Vec<(Claim, RangeProof)> = (0..64).map(|i| option_proof(&s, i % 2, (0, 1))).collect();
    let mut rng = rand::rng();
    for i in [3, 17, 18, 40, 63] {
        match i % 3 {
            0 => claims[i].1.0.challenges[0] += Scalar::ONE,
            1 => claims[i].0.option += 1,
            _ => claims[i].0.credential = KeyPair::generate(&mut rng).public,
        }
    }
    let individually: Vec<usize> =
        claims.iter().enumerate().filter(|(_, (c, p))| c.verify(p).is_err()).map(|(i, _)| i).collect();
    assert_eq!(individually, vec![3, 17, 18, 40, 63]);
    assert_eq!(batch_of(&s, &claims).verify(), Err(CryptoError::BatchFailed { failed: individually }));
}

#[test]
fn schnorr_signatures_in_a_batch() {
    let mut rng = rand::rng();
    let signers: Vec<KeyPair> = (0..1000).map(|_| KeyPair::generate(&mut rng)).collect();
    let msg = |i: usize| [i as u8; 32];
    let mut sigs: Vec<SchnorrProof> = signers
        .iter()
        .enumerate()
        .map(|(i, k)| {
            SchnorrProof::prove(transcript::ballot_signature(&ELECTION, &msg(i), &k.public), &k.secret, &mut rng)
        })
        .collect();
    let check = |sigs: &[SchnorrProof], election: &Fingerprint| {
        let mut batch = BatchVerifier::new();
        for (i, (k, sig)) in signers.iter().zip(sigs).enumerate() {
            sig.add_to_batch(transcript::ballot_signature(election, &msg(i), &k.public), &k.public, &mut batch);
        }
        batch.verify()
    };
    assert_eq!(check(&sigs, &ELECTION), Ok(()));
    assert!(matches!(check(&sigs, &OTHER_ELECTION), Err(CryptoError::BatchFailed { failed }) if failed.len() == 1000));
    // Signature 999 replaced by signature 5: valid signature, wrong message and key.
    sigs[999] = sigs[5];
    assert_eq!(check(&sigs, &ELECTION), Err(CryptoError::BatchFailed { failed: vec![999] }));
}
