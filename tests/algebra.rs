//! Property tests for the algebra: homomorphic addition, openings, discrete-log recovery,
//! and threshold interpolation over random polynomials and trustee subsets.

use curve25519_dalek::scalar::Scalar;
use dauys::crypto::dlog::DlogTable;
use dauys::crypto::elgamal::{Ciphertext, EncryptionKey, KeyPair, message_point};
use dauys::crypto::group::{Element, SecretScalar, mul_g};
use dauys::crypto::threshold::decryption::interpolate;
use dauys::crypto::threshold::dkg::Polynomial;
use dauys::crypto::threshold::lagrange_at_zero;
use proptest::prelude::*;

fn key() -> (KeyPair, EncryptionKey) {
    let kp = KeyPair::generate(&mut rand::rng());
    let key = EncryptionKey::new(kp.public);
    (kp, key)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Dec(Σ Enc(m_i)) = Σ m_i, and the sum opens with the summed nonces.
    #[test]
    fn addition_is_homomorphic(ms in proptest::collection::vec(0u64..=64, 1..12)) {
        let (kp, key) = key();
        let mut rng = rand::rng();
        let (cts, nonces): (Vec<Ciphertext>, Vec<SecretScalar>) = ms.iter().map(|m| key.encrypt(*m, &mut rng)).unzip();
        let sum = Ciphertext::sum(&cts);
        let total: u64 = ms.iter().sum();
        prop_assert_eq!(kp.decrypt_to_point(&sum), message_point(total));
        let r: Scalar = nonces.iter().map(|r| r.expose()).sum();
        prop_assert!(sum.opens_to(key.element(), total, &r));
        prop_assert!(!sum.opens_to(key.element(), total + 1, &r));
    }

    /// Encryption with a given nonce is deterministic and agrees with the textbook formula.
    #[test]
    fn encryption_matches_the_formula(m in 0u64..1_000_000, r in any::<[u8; 64]>()) {
        let (_, key) = key();
        let r = Scalar::from_bytes_mod_order_wide(&r);
        let ct = key.encrypt_with(m, &r);
        prop_assert_eq!(*ct.alpha.point(), mul_g(&r));
        prop_assert_eq!(*ct.beta.point(), mul_g(&Scalar::from(m)) + r * key.element().point());
    }

    #[test]
    fn dlog_recovers_every_count_below_its_bound(m in 0u64..=200_000) {
        let table = DlogTable::new(200_000);
        prop_assert_eq!(table.find(&mul_g(&Scalar::from(m))).unwrap(), m);
    }

    /// Any t of n shares of a random degree-(t−1) polynomial recover f(0)·α; t−1 do not.
    #[test]
    fn interpolation_needs_exactly_the_threshold(
        (n, t) in (2u32..8).prop_flat_map(|n| (Just(n), 2..=n)),
        seed in any::<u64>(),
    ) {
        let mut rng = rand::rng();
        let poly = Polynomial::random(t as usize - 1, &mut rng);
        let alpha = mul_g(&Scalar::from(seed | 1));
        let beta = mul_g(&Scalar::from(seed.rotate_left(7)));
        let ct = Ciphertext { alpha: Element::from_point(alpha), beta: Element::from_point(beta) };
        let expected = beta - poly.evaluate(0).expose() * alpha;
        let shares: Vec<(u32, Element)> =
            (1..=n).map(|i| (i, Element::from_point(poly.evaluate(i).expose() * alpha))).collect();
        // A subset chosen from the seed: rotate the trustees, take t, then t − 1.
        let start = (seed % u64::from(n)) as usize;
        let chosen: Vec<(u32, &Element)> = (0..n as usize).map(|k| &shares[(start + k) % n as usize]).map(|(i, e)| (*i, e)).collect();
        prop_assert_eq!(interpolate(&ct, &chosen[..t as usize]).unwrap(), expected);
        prop_assert_ne!(interpolate(&ct, &chosen[..t as usize - 1]).unwrap(), expected);
        let lambdas = lagrange_at_zero(&chosen[..t as usize].iter().map(|(i, _)| *i).collect::<Vec<_>>()).unwrap();
        prop_assert_eq!(lambdas.iter().sum::<Scalar>(), Scalar::ONE, "Σλ_i = 1 interpolates the constant 1");
    }
}
