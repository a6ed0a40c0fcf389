//! The 3-of-5 key ceremony and threshold decryption, including the ways trustees misbehave,
//! and the minority-of-trustees attacks on complaints (copied or shifted ephemerals).

use curve25519_dalek::scalar::Scalar;
use dauys::crypto::CryptoError;
use dauys::crypto::elgamal::{Ciphertext, CiphertextSum, EncryptionKey, message_point};
use dauys::crypto::group::{Element, Fingerprint, SecretScalar};
use dauys::crypto::threshold::ThresholdParams;
use dauys::crypto::threshold::decryption::{DecryptionShare, combine, interpolate};
use dauys::crypto::threshold::dkg::{
    CeremonyOutcome, Complaint, Dealing, EncryptedShare, Polynomial, Ready, ShareFault, TransportKey, TransportSecret,
    Verdict, combine_shares, open_share, outcome,
};
use dauys::crypto::threshold::lagrange_at_zero;
use dauys::crypto::transcript;

const SETUP: Fingerprint = Fingerprint([0x21; 32]);
const ELECTION: Fingerprint = Fingerprint([0x22; 32]);

struct Ceremony {
    params: ThresholdParams,
    transport: Vec<TransportSecret>,
    transport_keys: Vec<TransportKey>,
    polynomials: Vec<Polynomial>,
    dealings: Vec<Dealing>,
}

impl Ceremony {
    fn keys(&self) -> Vec<Element> {
        self.transport_keys.iter().map(|k| k.key).collect()
    }

    /// Trustee `me`'s round 2 on dealing `d`.
    fn receive(&self, d: &Dealing, me: usize) -> Result<SecretScalar, ShareFault> {
        d.receive(&SETUP, &self.params, &self.keys(), &self.transport[me], &mut rand::rng())
    }
}

fn complaint_of(fault: ShareFault) -> Box<Complaint> {
    match fault {
        ShareFault::Complaint(c) => c,
        ShareFault::InvalidDealing(e) => panic!("expected a complaint, the dealing is invalid: {e}"),
    }
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
                .map(|d| {
                    let keys: Vec<Element> = c.transport_keys.iter().map(|k| k.key).collect();
                    let share = d.receive(&SETUP, &c.params, &keys, me, &mut rng);
                    (d.dealer, share.map_err(|_| ()).expect("qualified dealer's share is good"))
                })
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
    // Dealer 5 sends trustee 1 bytes that do not decrypt (proving its ephemeral for them).
    let bad = &mut c.dealings[4].shares[0];
    bad.ciphertext[7] ^= 1;
    *bad = reprove(5, bad, &c.transport_keys[0].key, None);

    // Both dealings still pass the public checks: only the recipients can tell.
    for d in &c.dealings {
        d.verify(&SETUP, &c.params, &c.keys()).unwrap();
    }
    let complaint_4 = complaint_of(c.receive(&c.dealings[1], 3).unwrap_err());
    let complaint_1 = complaint_of(c.receive(&c.dealings[4], 0).unwrap_err());
    assert_eq!((complaint_4.dealer, complaint_4.recipient), (2, 4));
    assert_eq!((complaint_1.dealer, complaint_1.recipient), (5, 1));
    assert_eq!(complaint_4.judge(&SETUP, &c.dealings[1], &c.transport_keys[3].key), Verdict::DealerAtFault);
    assert_eq!(complaint_1.judge(&SETUP, &c.dealings[4], &c.transport_keys[0].key), Verdict::DealerAtFault);
    // Everyone else received good shares.
    for (d, dealing) in c.dealings.iter().enumerate() {
        for (m, me) in c.transport.iter().enumerate() {
            let bad = (d, me.trustee) == (1, 4) || (d, me.trustee) == (4, 1);
            assert_eq!(c.receive(dealing, m).is_err(), bad, "dealer {} to {}", d + 1, me.trustee);
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
    let keys = c.keys();
    assert!(matches!(c.dealings[2].verify(&SETUP, &c.params, &keys), Err(CryptoError::InvalidProof { .. })));
    // Dealer 4 omits a share.
    c.dealings[3].shares.pop();
    assert!(matches!(c.dealings[3].verify(&SETUP, &c.params, &keys), Err(CryptoError::BadShare { dealer: 4, .. })));
    // ... and a recipient of either reveals nothing: no complaint, the dealing is invalid.
    assert!(matches!(c.receive(&c.dealings[2], 0), Err(ShareFault::InvalidDealing(_))));
    assert!(matches!(c.receive(&c.dealings[3], 0), Err(ShareFault::InvalidDealing(_))));
    let out = outcome(&SETUP, &c.params, &c.transport_keys, &c.dealings, &[]).unwrap();
    assert_eq!(out.qualified, vec![1, 2]);
    // A dealing checked against another ceremony, or other transport keys, fails.
    assert!(c.dealings[0].verify(&Fingerprint([0; 32]), &c.params, &keys).is_err());
    let mut other_keys = keys.clone();
    other_keys.swap(0, 1);
    assert!(c.dealings[0].verify(&SETUP, &c.params, &other_keys).is_err());
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

/// `share` re-encrypted as dealer `dealer` would, with a fresh proof for its own ephemeral:
/// `secret` (or a new one) is r, `ephemeral = r·g`. The ciphertext is kept as is.
fn reprove(
    dealer: u32,
    share: &EncryptedShare,
    recipient_key: &Element,
    secret: Option<&SecretScalar>,
) -> EncryptedShare {
    let mut rng = rand::rng();
    let fresh = SecretScalar::random(&mut rng);
    let r = secret.unwrap_or(&fresh);
    let ephemeral = r.public();
    let t = transcript::ephemeral_pok(&SETUP, dealer, share.recipient, &ephemeral, recipient_key, &share.ciphertext);
    let proof = dauys::crypto::schnorr::SchnorrProof::prove(t, r, &mut rng);
    EncryptedShare { ephemeral, proof, ..share.clone() }
}

/// The attack of the review: corrupt dealers make an honest recipient's complaint reveal
/// `e_j·R` for an honest dealer's ephemeral `R`, which decrypts that dealer's share. With
/// `c ≥ ⌈t/2⌉` corrupt trustees, the shares they collect this way and their own rebuild the
/// election secret. Every variant a corrupt dealer can post must now fail, and the attacker
/// must end with nothing.
fn run_key_recovery_attack(n: u32, t: u32, corrupt: &[u32]) {
    let mut rng = rand::rng();
    let mut c = ceremony(n, t);
    let keys = c.keys();
    let honest: Vec<u32> = (1..=n).filter(|i| !corrupt.contains(i)).collect();
    // The attacker's harvest: (honest dealer, honest recipient) → the share s_{h,j}.
    let mut harvested: Vec<(u32, u32, SecretScalar)> = Vec::new();
    for &bad in corrupt {
        let original = c.dealings[bad as usize - 1].clone();
        // Each corrupt dealer targets one honest dealer's shares to every honest recipient; it
        // tries every way to post that ephemeral.
        let target = honest[(bad as usize) % honest.len()];
        let victim = c.dealings[target as usize - 1].clone();
        for variant in ["copy, reused proof", "shift by δ·g, reused proof", "copy, forged response"] {
            let mut forged = original.clone();
            for &j in &honest {
                let theirs = &victim.shares[j as usize - 1];
                let mine = &mut forged.shares[j as usize - 1];
                let delta = Scalar::from(7u64);
                match variant {
                    "copy, reused proof" => {
                        mine.ephemeral = theirs.ephemeral;
                        mine.proof = theirs.proof;
                    }
                    "shift by δ·g, reused proof" => {
                        mine.ephemeral =
                            Element::from_point(theirs.ephemeral.point() + dauys::crypto::group::mul_g(&delta));
                        mine.proof = theirs.proof;
                    }
                    _ => {
                        mine.ephemeral = theirs.ephemeral;
                        mine.proof.response += Scalar::ONE;
                    }
                }
                // Premise of the attack: had j complained about this share, the revealed S would
                // open the honest dealer's share to j.
                let s_j = Element::from_point(c.transport[j as usize - 1].secret().expose() * mine.ephemeral.point());
                if variant.starts_with("copy") {
                    assert!(open_share(&SETUP, target, theirs, &keys[j as usize - 1], &s_j).is_some());
                }
            }
            // The public checks refuse it: the board, the verifier and every recipient.
            let err = forged.verify(&SETUP, &c.params, &keys).unwrap_err().to_string();
            assert!(err.contains("ephemeral proof"), "{variant}: {err}");
            for &j in &honest {
                match forged.receive(&SETUP, &c.params, &keys, &c.transport[j as usize - 1], &mut rng) {
                    Err(ShareFault::InvalidDealing(_)) => {}
                    Err(ShareFault::Complaint(_)) => panic!("{variant}: trustee {j} complained, revealing e_j·R"),
                    Ok(_) => panic!("{variant}: trustee {j} took a share"),
                }
            }
        }
        // The best a corrupt dealer can do: a fresh ephemeral it knows (r') with a valid proof,
        // and a share that does not decrypt, so that honest recipients complain. The complaint
        // reveals S = e_j·R' = r'·E_j, which the dealer computes itself, and which opens no
        // honest dealer's share.
        let mut forged = original.clone();
        let mut secrets = Vec::new();
        for &j in &honest {
            let r = SecretScalar::random(&mut rng);
            let mine = &mut forged.shares[j as usize - 1];
            mine.ciphertext[0] ^= 1;
            *mine = reprove(bad, mine, &keys[j as usize - 1], Some(&r));
            secrets.push((j, r));
        }
        forged.verify(&SETUP, &c.params, &keys).unwrap();
        for (j, r) in secrets {
            let complaint = complaint_of(c.receive(&forged, j as usize - 1).unwrap_err());
            assert_eq!(complaint.shared, Element::from_point(r.expose() * keys[j as usize - 1].point()));
            for &h in &honest {
                let share = &c.dealings[h as usize - 1].shares[j as usize - 1];
                if let Some(s) = open_share(&SETUP, h, share, &keys[j as usize - 1], &complaint.shared) {
                    harvested.push((h, j, s));
                }
            }
            assert_eq!(complaint.judge(&SETUP, &forged, &keys[j as usize - 1]), Verdict::DealerAtFault);
        }
        c.dealings[bad as usize - 1] = forged;
    }
    assert!(harvested.is_empty(), "complaints opened {} honest share(s)", harvested.len());
    // What the attacker holds of each honest polynomial: its own c shares, fewer than t, so the
    // constant term (and with it the joint secret) is out of reach. Interpolating anyway from
    // its shares gives a wrong secret.
    assert!(corrupt.len() < t as usize);
    for &h in &honest {
        let p = &c.polynomials[h as usize - 1];
        let mut set: Vec<u32> = corrupt.to_vec();
        // Pad to t points with a guess for the unknown share (here: zero).
        let mut values: Vec<Scalar> = set.iter().map(|&j| *p.evaluate(j).expose()).collect();
        let unknown: Vec<u32> = (1..=n).filter(|j| !set.contains(j)).take(t as usize - set.len()).collect();
        set.extend(&unknown);
        values.extend(unknown.iter().map(|_| Scalar::ZERO));
        let guess: Scalar = lagrange_at_zero(&set).unwrap().iter().zip(&values).map(|(l, v)| l * v).sum();
        assert_ne!(guess, *p.evaluate(0).expose(), "dealer {h}'s secret rebuilt");
    }
}

#[test]
fn complaints_are_no_decryption_oracle() {
    // The sizes of the review's reproductions: c = ⌈t/2⌉ corrupt trustees.
    for (n, t, corrupt) in [(3, 2, vec![2]), (5, 3, vec![1, 4]), (7, 4, vec![2, 6])] {
        run_key_recovery_attack(n, t, &corrupt);
    }
}

#[test]
fn one_party_may_not_hold_two_seats() {
    let mut rng = rand::rng();
    let c = ceremony(3, 2);
    // Trustee 3 publishes trustee 1's transport key (the same party: it can prove it).
    let mut keys = c.transport_keys.clone();
    let t3 = TransportSecret::from_secret(3, c.transport[0].secret().clone());
    keys[2] = t3.publish(&SETUP, &mut rng);
    keys[2].verify(&SETUP).unwrap();
    let err = outcome(&SETUP, &c.params, &keys, &c.dealings, &[]).unwrap_err().to_string();
    assert!(err.contains("trustees 1 and 3 published the same transport key"), "{err}");
    // Dealer 2 deals the constant term of dealer 1 again (the same party knows it).
    let mut twice = c.polynomials[0].coefficients().to_vec();
    twice[1] = SecretScalar::random(&mut rng);
    let dealing = Polynomial::from_coefficients(twice).deal(&SETUP, 2, &c.transport_keys, &mut rng);
    let mut dealings = c.dealings.clone();
    dealings[1] = dealing;
    let err = outcome(&SETUP, &c.params, &c.transport_keys, &dealings, &[]).unwrap_err().to_string();
    assert!(err.contains("dealers 1 and 2 published the same coefficient commitment"), "{err}");
}

#[test]
fn ready_proves_the_share_for_its_keys() {
    let mut rng = rand::rng();
    let c = ceremony(3, 2);
    let (out, secrets) = finish(&c, &[]);
    let lot = [4u8; 32];
    let ready = Ready::create(&SETUP, 2, &secrets[1], out.joint_key, lot, &mut rng);
    ready.verify(&SETUP, &out.verification_keys[1]).unwrap();
    // Another trustee's key share, another verification key, joint key, commitment or ceremony.
    let impostor = Ready { trustee: 2, ..Ready::create(&SETUP, 3, &secrets[2], out.joint_key, lot, &mut rng) };
    assert!(impostor.verify(&SETUP, &out.verification_keys[1]).is_err());
    assert!(ready.verify(&SETUP, &out.verification_keys[0]).is_err());
    assert!(
        Ready { joint_key: out.verification_keys[0], ..ready.clone() }
            .verify(&SETUP, &out.verification_keys[1])
            .is_err()
    );
    assert!(Ready { lot_commitment: [5; 32], ..ready.clone() }.verify(&SETUP, &out.verification_keys[1]).is_err());
    assert!(ready.verify(&Fingerprint([0; 32]), &out.verification_keys[1]).is_err());
    // A share that is not the trustee's (a missing dealer's part) does not match VK_j.
    let wrong = SecretScalar::new(secrets[1].expose() + Scalar::ONE);
    let bad = Ready::create(&SETUP, 2, &wrong, out.joint_key, lot, &mut rng);
    assert!(bad.verify(&SETUP, &out.verification_keys[1]).is_err());
}
