//! The test vectors of `specs/protocol.md`, Appendix A, checked against the code, so the
//! specification cannot drift from it.

use curve25519_dalek::scalar::Scalar;
use dauys::crypto::elgamal::Ciphertext;
use dauys::crypto::group::{Element, Fingerprint, mul_g};
use dauys::crypto::range::RangeProof;
use dauys::crypto::schnorr::SchnorrProof;
use dauys::crypto::transcript;

fn multiple(k: u64) -> Element {
    Element::from_point(mul_g(&Scalar::from(k)))
}

fn hex(s: &Scalar) -> String {
    dauys::crypto::group::to_hex(s.as_bytes())
}

#[test]
fn a1_framing() {
    let t = transcript::coefficient_pok(&Fingerprint([0; 32]), 1, 0, &multiple(1));
    assert_eq!(hex(&t.challenge()), "d36afc94ba76a73e338875c467157ac03da9216d4d92e1613bb9cd3d91572701");
    let mut t = transcript::coefficient_pok(&Fingerprint([0; 32]), 1, 0, &multiple(1));
    t.commit(&multiple(2));
    assert_eq!(hex(&t.challenge()), "df9782d6ad2f5803576933b497796cc83f8cb005311f29ff4a17507701e1ea01");
}

#[test]
fn a2_option_range_transcript() {
    let ct = Ciphertext { alpha: multiple(3), beta: multiple(4) };
    let mut t = transcript::option_range(&Fingerprint([7; 32]), &multiple(2), 0, 1, &ct, (0, 1), &multiple(5));
    for k in 6..=9 {
        t.commit(&multiple(k));
    }
    assert_eq!(hex(&t.challenge()), "47edb73418910d756538b328eb772f6c541e8d3ec4ff259bfd6c95e095c07504");
}

#[test]
fn a3_share_encryption_key() {
    let key = transcript::share_encryption_key(&Fingerprint([0; 32]), 1, 2, &multiple(3), &multiple(4), &multiple(12));
    assert_eq!(
        dauys::crypto::group::to_hex(key.as_ref()),
        "aad7549ecd232df3516bf6923a2afede43ddd47a003be683baee542dd4f9575d"
    );
}

#[test]
fn a4_schnorr_proof() {
    let proof: SchnorrProof = serde_json::from_str(
        r#"{"commitment":"763cce0e9a3eda2aec1005da21f552fc768b4e2a1b433e11d1c6806ae80e6e59",
            "response":"781cb6320d956d45e4835a3402408d15ccfcaa5af643a84cf9873a538104340e"}"#,
    )
    .unwrap();
    let x = multiple(5);
    let t = || transcript::coefficient_pok(&Fingerprint([0; 32]), 1, 0, &x);
    proof.verify(t(), &x).unwrap();
    let mut bad = proof;
    bad.response += Scalar::ONE;
    assert!(bad.verify(t(), &x).is_err());
}

#[test]
fn a5_range_proof() {
    let ct: Ciphertext = serde_json::from_str(
        r#"{"alpha":"74a3538ac39c326f8bad9893ae2ab4a5d66d58b5c8d3e38a859346393f23b320",
            "beta":"545f25e05af4328d0b96ff64c7f5d831054330637072a2dd74027759dd89dc62"}"#,
    )
    .unwrap();
    let proof: RangeProof = serde_json::from_str(
        r#"{"challenges":["f3d370abc22a0e8ba1ca9af0c56e33ab4ea8d9e4b889d5c06f953321fc0ee207"],
            "commitments":[["762e2afd577b49bd8838df981d45b499efcc2a613682cdce52e7404487815375",
                            "b4cacafb167d4f8e7845ba551a1d37b370a8bf8b51ce37723f9ca0daf7b75357"],
                           ["be8c9532cd2610e470da0a63661ec3a0372f74d4049ae4531bd97074e7fae605",
                            "b4346df3fb4fbe9e12df17a185d3f37decec4191a81de4160be49bfd7c24db57"]],
            "responses":["02b46adb102559bc602768348e93888bac87242e29dfb44da0595219f1a4fd0b",
                         "60a2a73c25276e2ddb45eef55e3fdefd0d554faa758531d67d7f8470df37210e"]}"#,
    )
    .unwrap();
    let key = multiple(2);
    let t = |ct: &Ciphertext| transcript::option_range(&Fingerprint([0; 32]), &key, 0, 0, ct, (0, 1), &multiple(1));
    proof.verify(t(&ct), key.point(), ct.alpha.point(), ct.beta.point(), (0, 1)).unwrap();
    let swapped = Ciphertext { alpha: ct.beta, beta: ct.alpha };
    assert!(proof.verify(t(&swapped), key.point(), swapped.alpha.point(), swapped.beta.point(), (0, 1)).is_err());
}

#[test]
fn a6_ephemeral_pok_transcript() {
    let mut t = transcript::ephemeral_pok(&Fingerprint([0; 32]), 1, 2, &multiple(3), &multiple(4), &[7u8; 48]);
    t.commit(&multiple(5));
    assert_eq!(hex(&t.challenge()), "ff257ebbe445adef4dc9e9d5c926938f41240f4159325d8951e2bb18559a4004");
}

#[test]
fn a7_ready_transcript() {
    let mut t = transcript::ready(&Fingerprint([0; 32]), 2, &multiple(6), &multiple(7), &[1u8; 32]);
    t.commit(&multiple(8));
    assert_eq!(hex(&t.challenge()), "c43963c60aca7d7212cfec6c715ca5c45c5065b83ec332d1a4cd1caff98ccc00");
}

#[test]
fn a8_ciphertext_digest_and_tracking_code() {
    let cts = vec![Ciphertext { alpha: multiple(1), beta: multiple(2) }];
    let cd = dauys::election::ballot::ciphertext_digest([cts.as_slice()].into_iter());
    assert_eq!(dauys::crypto::group::to_hex(&cd), "71ef0595876760a5c7b88451858b5f51e8d1ea9e8add49d42a36093ae4cbd47c");
    assert_eq!(
        dauys::election::ballot::tracking_code(&cd),
        "e7qg-b5c7-cxga-bhxr-gh8r-b2tz-a7md-3tmy-hbem-kn1a-6r4k-ns6b-thy0"
    );
}

#[test]
fn a9_lot_commitment_and_seed() {
    use dauys::election::counting::{lot_commitment, lot_seed};
    assert_eq!(
        dauys::crypto::group::to_hex(&lot_commitment(&Fingerprint([0; 32]), 1, &[2; 32])),
        "3a93d5a178c95e38857aeace889b6a2ae7cdded7bf5d47c270d3be50a6f6aa6e"
    );
    let seed = lot_seed(&Fingerprint([7; 32]), &[9; 32], &[(3, [3; 32]), (1, [2; 32])]);
    assert_eq!(
        dauys::crypto::group::to_hex(&seed.0),
        "cf31722835f7f7022c935d90d96fcb0740e8b15c3eeb1fbe8294ec070e771b9a"
    );
}
