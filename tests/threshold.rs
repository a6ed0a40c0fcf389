//! The 3-of-5 key ceremony and threshold decryption, including the ways trustees misbehave.

use curve25519_dalek::scalar::Scalar;
use dauys::crypto::CryptoError;
use dauys::crypto::elgamal::{Ciphertext, CiphertextSum, EncryptionKey, message_point};
use dauys::crypto::group::{Element, Fingerprint, SecretScalar};
use dauys::crypto::threshold::ThresholdParams;
use dauys::crypto::threshold::decryption::{DecryptionShare, combine, interpolate};
use dauys::crypto::threshold::dkg::{
    CeremonyOutcome, Complaint, Dealing, Polynomial, TransportKey, TransportSecret, Verdict, combine_shares, outcome,
};

const SETUP: Fingerprint = Fingerprint([0x21; 32]);
const ELECTION: Fingerprint = Fingerprint([0x22; 32]);

struct Ceremony {
    params: ThresholdParams,
    transport: Vec<TransportSecret>,
    transport_keys: Vec<TransportKey>,
    polynomials: Vec<Polynomial>,
    dealings: Vec<Dealing>,
}

fn ceremony(n: u32, t: u32) -> Ceremony {
    let mut rng = rand::rng();
    let params = ThresholdParams::new(n, t).unwrap();
    let transport: Vec<TransportSecret> = (1..=n).map(|i| TransportSecret::generate(i, &mut rng)).collect();
    let transport_keys: Vec<TransportKey> = transport.iter().map(|s| s.publish(&SETUP, &mut rng)).collect();
    for k in &transport_keys {
        k.verify(&SETUP).unwrap();
    }
    let polynomials: Vec<Polynomial> = (1..=n).map(|_| Polynomial::random(t as usize - 1, &mut rng)).collect();
    let dealings = polynomials.iter().zip(1..).map(|(p, i)| p.deal(&SETUP, i, &transport_keys, &mut rng)).collect();
    Ceremony { params, transport, transport_keys, polynomials, dealings }
}

/// Round 2 for everyone: each trustee's combined secret share, or the complaints raised.
fn finish(c: &Ceremony, complaints: &[Complaint]) -> (CeremonyOutcome, Vec<SecretScalar>) {
    let mut rng = rand::rng();
    let out = outcome(&SETUP, &c.params, &c.transport_keys, &c.dealings, complaints).unwrap();
    let secrets = c
        .transport
        .iter()
        .map(|me| {
            let received: Vec<(u32, SecretScalar)> = c
                .dealings
                .iter()
                .filter(|d| out.qualified.contains(&d.dealer))
                .map(|d| (d.dealer, d.receive(&SETUP, me, &mut rng).expect("qualified dealer's share is good")))
                .collect();
            combine_shares(me.trustee, &received, &out).unwrap()
        })
        .collect();
    (out, secrets)
}

fn subsets(n: u32, k: usize) -> Vec<Vec<u32>> {
    (0u32..(1 << n))
        .filter(|m| m.count_ones() as usize == k)
        .map(|m| (1..=n).filter(|i| m & (1 << (i - 1)) != 0).collect())
        .collect()
}

#[test]
fn every_three_of_five_decrypts_and_no_two_do() {
    let c = ceremony(5, 3);
    let (out, secrets) = finish(&c, &[]);
    assert_eq!(out.qualified, vec![1, 2, 3, 4, 5]);
    // The joint key is the sum of the constant terms, i.e. f(0)·g for f = Σ f_i.
    let x: Scalar = c.polynomials.iter().map(|p| *p.evaluate(0).expose()).sum();
    assert_eq!(out.joint_key, SecretScalar::new(x).public());

    // A small tally: 37 ballots, 25 of them a 1 (five in every eight).
    let key = EncryptionKey::new(out.joint_key);
    let mut rng = rand::rng();
    let mut sum = CiphertextSum::default();
    for i in 0..37 {
        sum.add(&key.encrypt(u64::from(i % 8 < 5), &mut rng).0);
    }
    let tally = sum.finish();
    let shares: Vec<DecryptionShare> = secrets
        .iter()
        .zip(1..)
        .map(|(s, i)| DecryptionShare::create(&ELECTION, i, s, (0, 0), &tally, &mut rng))
        .collect();
    for (s, vk) in shares.iter().zip(&out.verification_keys) {
        s.verify(&ELECTION, (0, 0), &tally, vk).unwrap();
    }
    let expected = message_point(25);

    let pick =
        |set: &[u32]| -> Vec<(u32, &Element)> { set.iter().map(|&i| (i, &shares[i as usize - 1].share)).collect() };
    let threes = subsets(5, 3);
    assert_eq!(threes.len(), 10);
    for set in &threes {
        assert_eq!(combine(&c.params, &tally, &pick(set)).unwrap(), expected, "{set:?}");
    }
    for set in subsets(5, 4).iter().chain(&subsets(5, 5)) {
        assert_eq!(combine(&c.params, &tally, &pick(set)).unwrap(), expected, "{set:?}");
    }
    for set in subsets(5, 2) {
        assert!(matches!(combine(&c.params, &tally, &pick(&set)), Err(CryptoError::Combination(_))));
        // Even interpolated without the threshold check, two shares give nothing.
        assert_ne!(interpolate(&tally, &pick(&set)).unwrap(), expected, "{set:?}");
    }
    // The same trustee twice does not make two.
    let doubled = vec![(1, &shares[0].share), (1, &shares[0].share), (2, &shares[1].share)];
    assert!(combine(&c.params, &tally, &doubled).is_err());
}

#[test]
fn a_corrupted_share_is_caught_and_the_dealer_disqualified() {
    let mut c = ceremony(5, 3);
    let mut rng = rand::rng();
    // Dealer 2 sends trustee 4 a well-encrypted share of another polynomial.
    let other = Polynomial::random(2, &mut rng).deal(&SETUP, 2, &c.transport_keys, &mut rng);
    c.dealings[1].shares[3] = other.shares[3].clone();
    // Dealer 5 sends trustee 1 bytes that do not decrypt.
    c.dealings[4].shares[0].ciphertext[7] ^= 1;

    // Both dealings still pass the public checks: only the recipients can tell.
    for d in &c.dealings {
        d.verify(&SETUP, &c.params).unwrap();
    }
    let complaint_4 = c.dealings[1].receive(&SETUP, &c.transport[3], &mut rng).unwrap_err();
    let complaint_1 = c.dealings[4].receive(&SETUP, &c.transport[0], &mut rng).unwrap_err();
    assert_eq!((complaint_4.dealer, complaint_4.recipient), (2, 4));
    assert_eq!((complaint_1.dealer, complaint_1.recipient), (5, 1));
    assert_eq!(complaint_4.judge(&SETUP, &c.dealings[1], &c.transport_keys[3].key), Verdict::DealerAtFault);
    assert_eq!(complaint_1.judge(&SETUP, &c.dealings[4], &c.transport_keys[0].key), Verdict::DealerAtFault);
    // Everyone else received good shares.
    for (d, dealing) in c.dealings.iter().enumerate() {
        for me in &c.transport {
            let bad = (d, me.trustee) == (1, 4) || (d, me.trustee) == (4, 1);
            assert_eq!(dealing.receive(&SETUP, me, &mut rng).is_err(), bad, "dealer {} to {}", d + 1, me.trustee);
        }
    }

    let (out, secrets) = finish(&c, &[*complaint_4, *complaint_1]);
    assert_eq!(out.qualified, vec![1, 3, 4]);
    // The key of the remaining three still decrypts with any three shares.
    let key = EncryptionKey::new(out.joint_key);
    let (ct, _) = key.encrypt(1, &mut rng);
    let shares: Vec<DecryptionShare> =
        secrets.iter().zip(1..).map(|(s, i)| DecryptionShare::create(&ELECTION, i, s, (0, 0), &ct, &mut rng)).collect();
    let picked: Vec<(u32, &Element)> = [2u32, 3, 5].iter().map(|&i| (i, &shares[i as usize - 1].share)).collect();
    assert_eq!(combine(&c.params, &ct, &picked).unwrap(), message_point(1));
}

#[test]
fn false_complaints_are_dismissed() {
    let c = ceremony(3, 2);
    let mut rng = rand::rng();
    let dealing = &c.dealings[0];
    let share = &dealing.shares[1];
    let me = &c.transport[1];
    let my_key = &c.transport_keys[1].key;

    // A complaint with the true Diffie–Hellman secret and a valid proof, against a good share.
    let shared = Element::from_point(me.secret().expose() * share.ephemeral.point());
    let t = dauys::crypto::transcript::complaint(&SETUP, 1, 2, &share.ephemeral, my_key, &shared);
    let proof = dauys::crypto::dleq::ChaumPedersenProof::prove(t, share.ephemeral.point(), me.secret(), &mut rng);
    let honest_evidence = Complaint { dealer: 1, recipient: 2, shared, proof: Some(proof) };
    assert_eq!(honest_evidence.judge(&SETUP, dealing, my_key), Verdict::Dismissed);

    // A complaint with a made-up secret (which would not decrypt): its proof fails.
    let fake = Complaint { shared: Element::generator(), ..honest_evidence.clone() };
    assert_eq!(fake.judge(&SETUP, dealing, my_key), Verdict::Dismissed);
    // A complaint without evidence about a share that exists.
    let bare = Complaint { proof: None, ..honest_evidence };
    assert_eq!(bare.judge(&SETUP, dealing, my_key), Verdict::Dismissed);

    let (out, _) = finish(&c, &[fake, bare]);
    assert_eq!(out.qualified, vec![1, 2, 3]);
}

#[test]
fn dealings_that_fail_public_checks_are_excluded() {
    let mut c = ceremony(4, 2);
    // Dealer 3's proof of knowledge of its constant term is broken.
    c.dealings[2].proofs[0].response += Scalar::ONE;
    assert!(matches!(c.dealings[2].verify(&SETUP, &c.params), Err(CryptoError::InvalidProof { .. })));
    // Dealer 4 omits a share.
    c.dealings[3].shares.pop();
    assert!(matches!(c.dealings[3].verify(&SETUP, &c.params), Err(CryptoError::BadShare { dealer: 4, .. })));
    let out = outcome(&SETUP, &c.params, &c.transport_keys, &c.dealings, &[]).unwrap();
    assert_eq!(out.qualified, vec![1, 2]);
    // A dealing checked against another ceremony fails.
    assert!(c.dealings[0].verify(&Fingerprint([0; 32]), &c.params).is_err());
    // With only one good dealing, there is no key at threshold 2.
    c.dealings[1].proofs[1].commitment = Element::generator();
    assert!(outcome(&SETUP, &c.params, &c.transport_keys, &c.dealings, &[]).is_err());
}

#[test]
fn a_wrong_decryption_share_is_caught_by_its_proof() {
    let c = ceremony(5, 3);
    let (out, secrets) = finish(&c, &[]);
    let mut rng = rand::rng();
    let key = EncryptionKey::new(out.joint_key);
    let (ct, _) = key.encrypt(1, &mut rng);
    let share = DecryptionShare::create(&ELECTION, 2, &secrets[1], (1, 4), &ct, &mut rng);
    let vk = &out.verification_keys[1];
    assert!(share.verify(&ELECTION, (1, 4), &ct, vk).is_ok());

    let mut shifted = share.clone();
    shifted.share = Element::from_point(share.share.point() + dauys::crypto::group::G);
    assert!(shifted.verify(&ELECTION, (1, 4), &ct, vk).is_err(), "share off by g");
    // Trustee 3's secret used under trustee 2's name.
    let impostor =
        DecryptionShare { trustee: 2, ..DecryptionShare::create(&ELECTION, 3, &secrets[2], (1, 4), &ct, &mut rng) };
    assert!(impostor.verify(&ELECTION, (1, 4), &ct, vk).is_err(), "another trustee's secret");
    assert!(share.verify(&ELECTION, (1, 3), &ct, vk).is_err(), "another option");
    assert!(share.verify(&Fingerprint([0; 32]), (1, 4), &ct, vk).is_err(), "another election");
    let other = Ciphertext { alpha: ct.beta, beta: ct.alpha };
    assert!(share.verify(&ELECTION, (1, 4), &other, vk).is_err(), "another ciphertext");
}

#[test]
fn a_repeated_dealer_is_refused_even_when_one_copy_is_invalid() {
    let mut c = ceremony(3, 2);
    let mut broken = c.dealings[0].clone();
    broken.commitments.clear();
    broken.proofs.clear();
    c.dealings.push(broken);
    let err = outcome(&SETUP, &c.params, &c.transport_keys, &c.dealings, &[]).unwrap_err();
    assert!(err.to_string().contains("dealer 1 dealt twice"), "{err}");
}

#[test]
fn complaints_naming_no_trustee_are_ignored() {
    let c = ceremony(3, 2);
    let mut rng = rand::rng();
    // A complaint by "trustee 99", who has no share in any dealing and no transport key.
    let stray = Complaint { dealer: 1, recipient: 99, shared: Element::generator(), proof: None };
    let zero = Complaint { recipient: 0, ..stray.clone() };
    let out = outcome(&SETUP, &c.params, &c.transport_keys, &c.dealings, &[stray, zero]).unwrap();
    assert_eq!(out.qualified, vec![1, 2, 3]);
    // And a stray transport key is refused outright.
    let mut keys = c.transport_keys.clone();
    keys.push(TransportSecret::generate(99, &mut rng).publish(&SETUP, &mut rng));
    assert!(outcome(&SETUP, &c.params, &keys, &c.dealings, &[]).is_err());
    let mut missing = c.transport_keys.clone();
    missing.remove(1);
    assert!(outcome(&SETUP, &c.params, &missing, &c.dealings, &[]).is_err());
    let mut forged = c.transport_keys.clone();
    forged[2].proof.response += Scalar::ONE;
    assert!(outcome(&SETUP, &c.params, &forged, &c.dealings, &[]).is_err());
}

#[test]
fn trustee_zero_has_no_share() {
    let c = ceremony(3, 2);
    let (out, _) = finish(&c, &[]);
    assert!(combine_shares(0, &[], &out).is_err());
}
