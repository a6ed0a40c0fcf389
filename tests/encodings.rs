//! Encodings: round trips (proptest), canonicity, and the rejection of every malformed form.

use curve25519_dalek::scalar::Scalar;
use dauys::crypto::elgamal::{Ciphertext, EncryptionKey, KeyPair};
use dauys::crypto::group::{Element, Fingerprint, mul_g, scalar_from_bytes, scalar_from_hex, to_hex};
use dauys::crypto::range::RangeProof;
use dauys::crypto::schnorr::SchnorrProof;
use dauys::crypto::transcript;
use proptest::prelude::*;

fn scalar_strategy() -> impl Strategy<Value = Scalar> {
    any::<[u8; 64]>().prop_map(|b| Scalar::from_bytes_mod_order_wide(&b))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn element_round_trips_through_bytes_hex_and_json(s in scalar_strategy()) {
        let e = Element::from_point(mul_g(&s));
        prop_assert_eq!(Element::from_bytes("e", e.as_bytes()).unwrap(), e);
        prop_assert_eq!(Element::from_hex("e", &e.to_hex()).unwrap(), e);
        let json = serde_json::to_string(&e).unwrap();
        prop_assert_eq!(&json, &format!("\"{}\"", e.to_hex()));
        prop_assert_eq!(serde_json::from_str::<Element>(&json).unwrap(), e);
    }

    /// A 32-byte string decodes only if it is the canonical encoding of what it decodes to.
    #[test]
    fn decoding_accepts_only_canonical_encodings(bytes in any::<[u8; 32]>()) {
        if let Ok(e) = Element::from_bytes("e", &bytes) {
            prop_assert_eq!(e.point().compress().to_bytes(), bytes);
        }
    }

    /// Scalars: canonical iff below ℓ, and then the round trip is exact.
    #[test]
    fn scalar_canonicity(bytes in any::<[u8; 32]>()) {
        let reduced = Scalar::from_bytes_mod_order(bytes);
        match scalar_from_bytes("z", bytes) {
            Ok(s) => { prop_assert_eq!(s.to_bytes(), bytes); prop_assert_eq!(s, reduced); }
            Err(_) => prop_assert_ne!(reduced.to_bytes(), bytes),
        }
    }

    #[test]
    fn scalar_hex_round_trip(s in scalar_strategy()) {
        prop_assert_eq!(scalar_from_hex("z", &to_hex(s.as_bytes())).unwrap(), s);
    }

    /// Any text that is not exactly 64 lowercase hex digits is refused.
    #[test]
    fn malformed_text_is_rejected(text in "\\PC{0,80}") {
        let strict = text.len() == 64 && text.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c));
        if !strict {
            prop_assert!(Element::from_hex("e", &text).is_err());
            prop_assert!(scalar_from_hex("z", &text).is_err());
        }
    }

    #[test]
    fn uppercase_hex_is_rejected(s in scalar_strategy()) {
        let e = Element::from_point(mul_g(&s));
        let upper = e.to_hex().to_uppercase();
        if upper != e.to_hex() {
            prop_assert!(Element::from_hex("e", &upper).is_err());
        }
    }
}

fn sample_proof() -> (Ciphertext, RangeProof, SchnorrProof) {
    let mut rng = rand::rng();
    let key = EncryptionKey::new(KeyPair::generate(&mut rng).public);
    let cred = KeyPair::generate(&mut rng);
    let fp = Fingerprint([5; 32]);
    let (ct, r) = key.encrypt(1, &mut rng);
    let t = transcript::option_range(&fp, key.element(), 0, 0, &ct, (0, 1), &cred.public);
    let proof = RangeProof::prove(t, &key, ct.alpha.point(), ct.beta.point(), 1, r.expose(), (0, 1), &mut rng).unwrap();
    let sig = SchnorrProof::prove(transcript::ballot_signature(&fp, &[0; 32], &cred.public), &cred.secret, &mut rng);
    (ct, proof, sig)
}

#[test]
fn proofs_and_ciphertexts_serialize_canonically() {
    let (ct, proof, sig) = sample_proof();
    for json in [
        serde_json::to_string(&ct).unwrap(),
        serde_json::to_string(&proof).unwrap(),
        serde_json::to_string(&sig).unwrap(),
    ] {
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), json, "re-serializing changes the bytes");
    }
    let back: RangeProof = serde_json::from_str(&serde_json::to_string(&proof).unwrap()).unwrap();
    assert_eq!(back, proof);
    let back: Ciphertext = serde_json::from_str(&serde_json::to_string(&ct).unwrap()).unwrap();
    assert_eq!(back, ct);
}

#[test]
fn malformed_values_inside_json_are_rejected_with_their_path() {
    let (ct, proof, _) = sample_proof();
    let good = serde_json::to_value(&proof).unwrap();

    // A non-canonical scalar (ℓ) as a response.
    let mut bad = good.clone();
    bad["responses"][1] = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010".into();
    let err = serde_path_to_error::deserialize::<_, RangeProof>(bad).unwrap_err();
    assert_eq!(err.path().to_string(), "responses[1]");
    assert!(err.to_string().contains("canonical scalar"), "{err}");

    // A non-canonical point (RFC 9496: p) as a commitment.
    let mut bad = good.clone();
    bad["commitments"][0][1] = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f".into();
    let err = serde_path_to_error::deserialize::<_, RangeProof>(bad).unwrap_err();
    assert_eq!(err.path().to_string(), "commitments[0][1]");
    assert!(err.to_string().contains("canonical encoding"), "{err}");

    // An unknown field is refused, not ignored.
    let mut bad = good.clone();
    bad["extra"] = 1.into();
    let err = serde_path_to_error::deserialize::<_, RangeProof>(bad).unwrap_err();
    assert!(err.to_string().contains("unknown field `extra`"), "{err}");

    // Wrong length, wrong characters, wrong type.
    let mut cj = serde_json::to_value(ct).unwrap();
    cj["alpha"] = "abcd".into();
    let err = serde_path_to_error::deserialize::<_, Ciphertext>(cj.clone()).unwrap_err();
    assert_eq!(err.path().to_string(), "alpha");
    cj["alpha"] = serde_json::Value::from(12);
    assert!(serde_path_to_error::deserialize::<_, Ciphertext>(cj).is_err());
    assert!(serde_json::from_str::<Ciphertext>("{\"alpha\": \"00\"").is_err(), "truncated JSON");
}
