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

/// Keccak-f[1600] (FIPS 202 §3.3), written from the standard, on 25 little-endian lanes.
fn keccak_f(a: &mut [u64; 25]) {
    const RC: [u64; 24] = [
        0x0000000000000001,
        0x0000000000008082,
        0x800000000000808a,
        0x8000000080008000,
        0x000000000000808b,
        0x0000000080000001,
        0x8000000080008081,
        0x8000000000008009,
        0x000000000000008a,
        0x0000000000000088,
        0x0000000080008009,
        0x000000008000000a,
        0x000000008000808b,
        0x800000000000008b,
        0x8000000000008089,
        0x8000000000008003,
        0x8000000000008002,
        0x8000000000000080,
        0x000000000000800a,
        0x800000008000000a,
        0x8000000080008081,
        0x8000000000008080,
        0x0000000080000001,
        0x8000000080008008,
    ];
    for rc in RC {
        // θ
        let c: Vec<u64> = (0..5).map(|x| (0..5).fold(0, |acc, y| acc ^ a[x + 5 * y])).collect();
        for x in 0..5 {
            let d = c[(x + 4) % 5] ^ c[(x + 1) % 5].rotate_left(1);
            for y in 0..5 {
                a[x + 5 * y] ^= d;
            }
        }
        // ρ and π: walk the 24 lanes of the (x, y) → (y, 2x + 3y) cycle from (1, 0).
        let (mut x, mut y, mut current) = (1, 0, a[1]);
        for t in 0..24 {
            let (nx, ny) = (y, (2 * x + 3 * y) % 5);
            let next = a[nx + 5 * ny];
            a[nx + 5 * ny] = current.rotate_left(((t + 1) * (t + 2) / 2 % 64) as u32);
            (x, y, current) = (nx, ny, next);
        }
        // χ
        for y in 0..5 {
            let row: Vec<u64> = (0..5).map(|x| a[x + 5 * y]).collect();
            for x in 0..5 {
                a[x + 5 * y] = row[x] ^ (!row[(x + 1) % 5] & row[(x + 2) % 5]);
            }
        }
        // ι
        a[0] ^= rc;
    }
}

/// STROBE-128 and the merlin framing, exactly as `specs/protocol.md` §4.1 writes them out.
struct Strobe {
    st: [u8; 200],
    pos: usize,
    pos_begin: u8,
}

const R: usize = 166;
const I: u8 = 1;
const A: u8 = 2;
const C: u8 = 4;
const M: u8 = 16;
const K: u8 = 32;

impl Strobe {
    fn f(&mut self) {
        let mut lanes = [0u64; 25];
        for (i, lane) in lanes.iter_mut().enumerate() {
            *lane = u64::from_le_bytes(self.st[8 * i..8 * i + 8].try_into().unwrap());
        }
        keccak_f(&mut lanes);
        for (i, lane) in lanes.iter().enumerate() {
            self.st[8 * i..8 * i + 8].copy_from_slice(&lane.to_le_bytes());
        }
    }

    fn init(label: &[u8]) -> Self {
        let mut s = Strobe { st: [0; 200], pos: 0, pos_begin: 0 };
        s.st[..6].copy_from_slice(&[1, R as u8 + 2, 1, 0, 1, 96]);
        s.st[6..18].copy_from_slice(b"STROBEv1.0.2");
        s.f();
        s.meta_ad(label, false);
        s
    }

    fn run_f(&mut self) {
        self.st[self.pos] ^= self.pos_begin;
        self.st[self.pos + 1] ^= 0x04;
        self.st[R + 1] ^= 0x80;
        self.f();
        self.pos = 0;
        self.pos_begin = 0;
    }

    fn absorb(&mut self, x: &[u8]) {
        for b in x {
            self.st[self.pos] ^= b;
            self.pos += 1;
            if self.pos == R {
                self.run_f();
            }
        }
    }

    fn begin(&mut self, flags: u8, more: bool) {
        if more {
            return;
        }
        let old = self.pos_begin;
        self.pos_begin = self.pos as u8 + 1;
        self.absorb(&[old, flags]);
        if flags & (C | K) != 0 && self.pos != 0 {
            self.run_f();
        }
    }

    fn meta_ad(&mut self, x: &[u8], more: bool) {
        self.begin(M | A, more);
        self.absorb(x);
    }

    fn ad(&mut self, x: &[u8], more: bool) {
        self.begin(A, more);
        self.absorb(x);
    }

    fn prf(&mut self, n: usize) -> Vec<u8> {
        self.begin(I | A | C, false);
        (0..n)
            .map(|_| {
                let out = self.st[self.pos];
                self.st[self.pos] = 0;
                self.pos += 1;
                if self.pos == R {
                    self.run_f();
                }
                out
            })
            .collect()
    }

    // Merlin, as §4.1's table frames it.
    fn transcript(label: &[u8]) -> Self {
        let mut s = Strobe::init(b"Merlin v1.0");
        s.append(b"dom-sep", label);
        s
    }

    fn append(&mut self, label: &[u8], m: &[u8]) {
        self.meta_ad(label, false);
        self.meta_ad(&(m.len() as u32).to_le_bytes(), true);
        self.ad(m, false);
    }

    fn challenge(&mut self, label: &[u8], n: usize) -> Vec<u8> {
        self.meta_ad(label, false);
        self.meta_ad(&(n as u32).to_le_bytes(), true);
        self.prf(n)
    }
}

#[test]
fn strobe_as_the_spec_writes_it_out() {
    // Keccak-f[1600] of the zero state: the first lane of FIPS 202's reference value.
    let mut lanes = [0u64; 25];
    keccak_f(&mut lanes);
    assert_eq!(lanes[0], 0xF1258F7940E1DDE7);
    // Merlin's published vector, by merlin and by §4.1's lines.
    const VECTOR: &str = "d5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615";
    let mut real = merlin::Transcript::new(b"test protocol");
    real.append_message(b"some label", b"some data");
    let mut out = [0u8; 32];
    real.challenge_bytes(b"challenge", &mut out);
    assert_eq!(dauys::crypto::group::to_hex(&out), VECTOR);
    let mut mine = Strobe::transcript(b"test protocol");
    mine.append(b"some label", b"some data");
    assert_eq!(dauys::crypto::group::to_hex(&mine.challenge(b"challenge", 32)), VECTOR);
    // A.1 from §4.2's steps, by the same lines: a dauys transcript needs nothing else.
    let mut t = Strobe::transcript(b"dauys/coefficient-pok");
    t.append(b"protocol", b"dauys");
    t.append(b"version", &1u64.to_le_bytes());
    t.append(b"fingerprint", &[0; 32]);
    t.append(b"trustee", &1u64.to_le_bytes());
    t.append(b"index", &0u64.to_le_bytes());
    t.append(b"commitment-key", multiple(1).as_bytes());
    t.append(b"credential", &[]);
    let wide = t.challenge(b"challenge", 64);
    assert_eq!(
        dauys::crypto::group::to_hex(&wide),
        "104adcc5fde7f11c9f147bdf42bf16ebe971334fd627dc4941bed7eedddf1197\
         8fe0d8b73f655f257b8a89546b45c00ee6ffead2d1933477e343f44ab4435bcc"
    );
    // Long inputs cross the rate R (166 bytes) many times.
    let long = vec![0x63u8; 1024];
    let mut real = merlin::Transcript::new(b"p");
    let mut mine = Strobe::transcript(b"p");
    real.append_message(b"step", &long);
    mine.append(b"step", &long);
    let mut out = [0u8; 200];
    real.challenge_bytes(b"c", &mut out);
    assert_eq!(mine.challenge(b"c", 200), out.to_vec());
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
    let cd = dauys::election::ballot::ciphertext_digest("all", [cts.as_slice()].into_iter());
    assert_eq!(dauys::crypto::group::to_hex(&cd), "0029f5006b44b3e89af3a48881973ca57dca4d521d2dced00d2b944910666503");
    assert_eq!(
        dauys::election::ballot::tracking_code(&cd),
        "00mz-a03b-8jsy-h6qk-mj48-35sw-mnyw-mkaj-3mpw-xm0d-5ea4-j436-cm1g"
    );
    // The style is committed to: the same ciphertexts under another style have another code.
    let m01 = dauys::election::ballot::ciphertext_digest("m01", [cts.as_slice()].into_iter());
    assert_eq!(dauys::crypto::group::to_hex(&m01), "3826057fa04870777d27812a4f5179798a923f3ab21403b6d3d440504c5fe4b5");
    assert_eq!(
        dauys::election::ballot::tracking_code(&m01),
        "70k0-azx0-91r7-ez97-g4n4-ymbs-f659-4fst-p8a0-7dpk-th05-0k2z-wjtg"
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

/// record.md §2.5 and §3.1: the national manifest's canonical form is 2519 bytes and its setup
/// fingerprint the one the spec gives (an independent SHA-256 of the sorted-key compact JSON
/// agrees).
#[test]
fn a10_national_manifest_setup_fingerprint() {
    let manifest = dauys::election::manifest::Manifest::from_json(dauys::runner::NATIONAL_MANIFEST).unwrap();
    assert_eq!(serde_json::to_string(&manifest).unwrap().len(), 2519);
    assert_eq!(
        dauys::crypto::group::to_hex(manifest.setup_fingerprint().as_bytes()),
        "28c697144e9c3696c19ebfe624a8e750cca6cfd15c8f21a8f28aa9080d98acc2"
    );
}
