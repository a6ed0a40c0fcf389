//! Decoding many ristretto255 points at once: the inverse square roots computed in parallel
//! lanes, 16 points a batch, with the fastest backend the CPU has, chosen at run time:
//! AVX-512 IFMA (radix 2⁵², 52-bit multiply-adds), else AVX2 (radix 2²⁵·⁵, 32-bit
//! multiplies); curve25519-dalek's `CompressedRistretto::decompress`, one point at a time,
//! on every other CPU (and where `DAUYS_DECODER=dalek` asks for it).
//!
//! The result is the same as dalek's on every input, point for point and rejection for
//! rejection: the formulas are RFC 9496 §4.3.1's, step for step as dalek writes them, and the
//! property tests below compare the two on random valid encodings, on every class of invalid
//! one and on the RFC's vectors.
//!
//! # Decode (RFC 9496 §4.3.1), field `p = 2²⁵⁵ − 19`, `d = −121665/121666`
//!
//! ```text
//! 1. s = the 32 bytes, little-endian; reject unless s < p (canonical) and s is even
//!    (non-negative).
//! 2. ss = s²;  u1 = 1 − ss;  u2 = 1 + ss;  u2² = u2·u2
//!    v  = −(d·u1²) − u2²
//!    (was_square, I) = SQRT_RATIO_M1(1, v·u2²)          an inverse square root
//!    Dx = I·u2;  Dy = I·Dx·v
//!    x  = |2s·Dx|;  y = u1·Dy;  t = x·y
//! 3. reject if not was_square, or t is negative (odd), or y = 0
//! 4. the point is (x : y : 1 : t) in extended coordinates
//! ```
//!
//! `SQRT_RATIO_M1(1, w)`, with `√−1 = 2^((p−1)/4)`:
//!
//! ```text
//! r     = w³ · (w⁷)^((p−5)/8)
//! check = w·r²
//! if check ∈ {−1, −√−1}: r = r·√−1
//! r = |r|;  was_square = (check = 1) or (check = −1)
//! ```
//!
//! `|a|` is `a` or `p − a`, whichever is even; "negative" means odd (as canonical integers).
//! The exponent `(p−5)/8 = 2²⁵² − 3` is one chain of 251 squarings and 11 multiplications
//! (`pow_p58` in the lane code); it is nearly all of the work, which is why it runs in lanes.
//!
//! # How the work is split
//!
//! Per encoding, in scalar code: the canonical and sign checks of step 1, and, after each lane
//! phase, the comparisons, selections and absolute values that need canonical integers.
//! In lanes (IFMA: 8 points per 512-bit vector, two vectors interleaved so the multiplier is
//! kept busy while one chain waits; AVX2: 4 points per 256-bit vector, four vectors): all
//! field multiplications, in the formulas above written once (`lane_decoder!`) over each
//! backend's field arithmetic. A rejected encoding keeps its lane
//! (with `s = 0`) and is dropped at the end, so the decision is per lane and never depends on
//! its neighbours.
//!
//! # Building the point
//!
//! curve25519-dalek 5 has no public constructor from coordinates, so the point is built from
//! its four coordinates in dalek's own representation (see `point_from_coordinates`): after
//! a self-test at first use that the representation is the expected one, and otherwise
//! never (every point then goes through dalek's own decoder).

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};

use super::group::Element;

/// Points per lane batch: 2 vectors × 8 lanes of 64 bits (IFMA), 4 × 4 (AVX2).
const LANES: usize = 16;

/// Below this many encodings the lanes are not worth their padding.
const MIN_BATCH: usize = 4;

/// Decodes every encoding; `None` where it is not the canonical encoding of a point.
/// Identical to decoding each with `CompressedRistretto::decompress`.
pub fn decode_elements(encodings: &[[u8; 32]]) -> Vec<Option<Element>> {
    let mut out = Vec::with_capacity(encodings.len());
    let decode16 = match lanes() {
        Some(Lanes::Ifma) if encodings.len() >= MIN_BATCH => ifma::decode16,
        Some(Lanes::Avx2) if encodings.len() >= MIN_BATCH => avx2::decode16,
        _ => {
            out.extend(encodings.iter().map(|b| dalek_element(*b)));
            return out;
        }
    };
    for group in encodings.chunks(LANES) {
        let mut padded = [[0u8; 32]; LANES];
        padded[..group.len()].copy_from_slice(group);
        // Checked by `lanes`.
        let decoded = decode16(&padded).expect("the lanes' instructions were detected");
        for (bytes, coords) in group.iter().zip(decoded) {
            out.push(coords.and_then(|c| element(*bytes, &c)));
        }
    }
    out
}

/// The portable path: dalek's decoder.
fn dalek_element(bytes: [u8; 32]) -> Option<Element> {
    let point = CompressedRistretto(bytes).decompress()?;
    Some(Element::from_decoded(bytes, point))
}

/// An element from lane-decoded coordinates; `None` only if the layout check failed, which
/// `lanes` rules out before any lane runs.
fn element(bytes: [u8; 32], c: &Coordinates) -> Option<Element> {
    Some(Element::from_decoded(bytes, point_from_coordinates(c)?))
}

/// The lane backends, fastest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lanes {
    /// AVX-512 IFMA: 8 lanes a vector, radix 2⁵², 52-bit multiply-adds.
    Ifma,
    /// AVX2: 4 lanes a vector, radix 2²⁵·⁵, 32-bit multiplies.
    Avx2,
}

/// The environment variable that names the decoder: `dalek` (no lanes), `avx2` or `ifma`
/// (that backend if the CPU has it, else dalek); unset or any other value, the fastest this
/// CPU has. For measuring one against another on one machine; the result is the same
/// whichever runs.
pub const DECODER_VARIABLE: &str = "DAUYS_DECODER";

/// The backend this process decodes with: the fastest the CPU has (or the one
/// [`DECODER_VARIABLE`] names), and only if the point layout self-test passed (all
/// determined once).
fn lanes() -> Option<Lanes> {
    static LANES: std::sync::OnceLock<Option<Lanes>> = std::sync::OnceLock::new();
    *LANES.get_or_init(|| {
        let wanted = std::env::var(DECODER_VARIABLE).unwrap_or_default();
        let lanes = match wanted.as_str() {
            "dalek" => None,
            "avx2" => avx2::detected().then_some(Lanes::Avx2),
            "ifma" => ifma::detected().then_some(Lanes::Ifma),
            _ if ifma::detected() => Some(Lanes::Ifma),
            _ => avx2::detected().then_some(Lanes::Avx2),
        };
        lanes.filter(|_| layout_ok())
    })
}

/// How this process decodes points: `"avx512-ifma"`, `"avx2"` or `"dalek"`.
pub fn decoder_name() -> &'static str {
    match lanes() {
        Some(Lanes::Ifma) => "avx512-ifma",
        Some(Lanes::Avx2) => "avx2",
        None => "dalek",
    }
}

// ---------------------------------------------------------------------------------------
// Scalar field helpers (per lane): 256-bit integers as four little-endian u64 words.

const MASK52: u64 = (1 << 52) - 1;
const MASK51: u64 = (1 << 51) - 1;
/// p = 2²⁵⁵ − 19.
const P: [u64; 4] = [0xffff_ffff_ffff_ffed, u64::MAX, u64::MAX, 0x7fff_ffff_ffff_ffff];

fn words(bytes: &[u8; 32]) -> [u64; 4] {
    std::array::from_fn(|i| u64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().expect("8 bytes")))
}

/// `a < p`.
fn below_p(a: &[u64; 4]) -> bool {
    for i in (0..4).rev() {
        if a[i] != P[i] {
            return a[i] < P[i];
        }
    }
    false
}

/// A canonical value (< 2²⁵⁶) in radix 2⁵²: limbs 0–3 below 2⁵², limb 4 below 2⁴⁸.
const fn to_radix52(w: [u64; 4]) -> [u64; 5] {
    [
        w[0] & MASK52,
        ((w[0] >> 52) | (w[1] << 12)) & MASK52,
        ((w[1] >> 40) | (w[2] << 24)) & MASK52,
        ((w[2] >> 28) | (w[3] << 36)) & MASK52,
        w[3] >> 16,
    ]
}

/// The canonical value (< p) of radix-2⁵² limbs (limbs 0–3 below 2⁵², limb 4 below 2⁴⁸, so
/// the value is below 2²⁵⁶ < 2p + 38).
fn canonical(l: &[u64; 5]) -> [u64; 4] {
    debug_assert!(l[..4].iter().all(|x| *x <= MASK52) && l[4] < 1 << 48);
    let mut w =
        [l[0] | (l[1] << 52), (l[1] >> 12) | (l[2] << 40), (l[2] >> 24) | (l[3] << 28), (l[3] >> 36) | (l[4] << 16)];
    // v = h·2²⁵⁵ + rest ≡ rest + 19·h: now v < 2²⁵⁵ + 19.
    let h = w[3] >> 63;
    w[3] &= u64::MAX >> 1;
    add_small(&mut w, 19 * h);
    // v ≥ p exactly when v + 19 ≥ 2²⁵⁵; then v − p = v + 19 − 2²⁵⁵.
    let mut t = w;
    add_small(&mut t, 19);
    if t[3] >> 63 == 1 {
        t[3] &= u64::MAX >> 1;
        w = t;
    }
    w
}

fn add_small(w: &mut [u64; 4], x: u64) {
    let mut carry = x;
    for word in w.iter_mut() {
        let (s, c) = word.overflowing_add(carry);
        *word = s;
        carry = u64::from(c);
    }
}

/// `p − a` for a canonical `a`, canonical again (0 stays 0).
fn negate(a: &[u64; 4]) -> [u64; 4] {
    if *a == [0; 4] {
        return *a;
    }
    let mut out = [0u64; 4];
    let mut borrow = 0u64;
    for i in 0..4 {
        let (d, b1) = P[i].overflowing_sub(a[i]);
        let (d, b2) = d.overflowing_sub(borrow);
        out[i] = d;
        borrow = u64::from(b1 | b2);
    }
    out
}

fn is_odd(a: &[u64; 4]) -> bool {
    a[0] & 1 == 1
}

/// `|a|`: the even one of `a` and `p − a`.
fn abs(a: &[u64; 4]) -> [u64; 4] {
    if is_odd(a) { negate(a) } else { *a }
}

/// A canonical value in dalek's radix 2⁵¹ (every limb below 2⁵¹).
fn to_radix51(w: &[u64; 4]) -> [u64; 5] {
    [
        w[0] & MASK51,
        ((w[0] >> 51) | (w[1] << 13)) & MASK51,
        ((w[1] >> 38) | (w[2] << 26)) & MASK51,
        ((w[2] >> 25) | (w[3] << 39)) & MASK51,
        w[3] >> 12,
    ]
}

/// The field constants of the decoder, canonical.
mod constants {
    /// d = −121665/121666.
    pub const D: [u64; 4] = [0x75eb4dca135978a3, 0x00700a4d4141d8ab, 0x8cc740797779e898, 0x52036cee2b6ffe73];
    /// √−1 = 2^((p−1)/4).
    pub const SQRT_M1: [u64; 4] = [0xc4ee1b274a0ea0b0, 0x2f431806ad2fe478, 0x2b4d00993dfbd7a7, 0x2b8324804fc1df0b];
    /// −√−1 = p − √−1.
    pub const MINUS_SQRT_M1: [u64; 4] =
        [0x3b11e4d8b5f15f3d, 0xd0bce7f952d01b87, 0xd4b2ff66c2042858, 0x547cdb7fb03e20f4];
    pub const ONE: [u64; 4] = [1, 0, 0, 0];
    pub const MINUS_ONE: [u64; 4] = [0xffff_ffff_ffff_ffec, u64::MAX, u64::MAX, 0x7fff_ffff_ffff_ffff];
}

/// A decoded point's affine coordinates `x`, `y` and `t = x·y`, canonical (`z = 1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Coordinates {
    x: [u64; 4],
    y: [u64; 4],
    t: [u64; 4],
}

/// Step 1 for one encoding: `s` in radix 2⁵² if it is canonical and non-negative.
fn step_1(bytes: &[u8; 32]) -> Option<[u64; 5]> {
    let s = words(bytes);
    (below_p(&s) && !is_odd(&s)).then(|| to_radix52(s))
}

/// Limb-major lane values: `v[limb][lane]`.
type LaneValues = [[u64; LANES]; 5];

fn gather(values: &[[u64; 5]; LANES]) -> LaneValues {
    std::array::from_fn(|limb| std::array::from_fn(|lane| values[lane][limb]))
}

fn scatter(v: &LaneValues) -> [[u64; 5]; LANES] {
    std::array::from_fn(|lane| std::array::from_fn(|limb| v[limb][lane]))
}

/// What the first lane phase returns for the scalar step between the phases.
struct Phase1 {
    /// `r`, `r·√−1` and `check = w·r²` of `SQRT_RATIO_M1(1, w)`.
    r: LaneValues,
    r_i: LaneValues,
    check: LaneValues,
    u1: LaneValues,
    u2: LaneValues,
    v: LaneValues,
}

/// The scalar step of `SQRT_RATIO_M1` for one lane: `(was_square, I)`.
fn select_root(r: &[u64; 5], r_i: &[u64; 5], check: &[u64; 5]) -> (bool, [u64; 4]) {
    let check = canonical(check);
    let correct = check == constants::ONE;
    let flipped = check == constants::MINUS_ONE;
    let flipped_i = check == constants::MINUS_SQRT_M1;
    let r = if flipped || flipped_i { canonical(r_i) } else { canonical(r) };
    (correct || flipped, abs(&r))
}

/// Steps 3 and 4 for one lane, from `x₀ = 2s·Dx`, `y`, `t₀ = x₀·y`: `x = |x₀|` and `t`
/// negated with it.
fn finish(was_square: bool, x0: &[u64; 5], y: &[u64; 5], t0: &[u64; 5]) -> Option<Coordinates> {
    let x0 = canonical(x0);
    let (y, t0) = (canonical(y), canonical(t0));
    let (x, t) = if is_odd(&x0) { (negate(&x0), negate(&t0)) } else { (x0, t0) };
    (was_square && !is_odd(&t) && y != [0; 4]).then_some(Coordinates { x, y, t })
}

/// The whole decoder over one batch, given the two lane phases of a backend.
fn decode_with(
    encodings: &[[u8; 32]; LANES],
    phase_1: impl FnOnce(&LaneValues) -> Phase1,
    phase_2: impl FnOnce(&LaneValues, &LaneValues, &Phase1) -> [LaneValues; 3],
) -> [Option<Coordinates>; LANES] {
    let steps: [Option<[u64; 5]>; LANES] = std::array::from_fn(|i| step_1(&encodings[i]));
    let s = gather(&std::array::from_fn(|i| steps[i].unwrap_or([0; 5])));
    let p1 = phase_1(&s);
    let (r, r_i, check) = (scatter(&p1.r), scatter(&p1.r_i), scatter(&p1.check));
    let mut square = [false; LANES];
    let mut inv_sqrt = [[0u64; 5]; LANES];
    for lane in 0..LANES {
        let (ok, root) = select_root(&r[lane], &r_i[lane], &check[lane]);
        square[lane] = ok;
        inv_sqrt[lane] = to_radix52(root);
    }
    let [x0, y, t0] = phase_2(&s, &gather(&inv_sqrt), &p1);
    let (x0, y, t0) = (scatter(&x0), scatter(&y), scatter(&t0));
    std::array::from_fn(|lane| {
        steps[lane]?;
        finish(square[lane], &x0[lane], &y[lane], &t0[lane])
    })
}

/// The decoder's formulas over a backend's field elements `Fe` (lanes of field elements) and
/// their operations (`fe_const`, `fe_load`, `fe_store`, `fe_mul`, `fe_square`, `fe_pow2k`,
/// `fe_add`, `fe_sub`, each returning an element every operation accepts again), written
/// once for every backend: the radix-2⁵² one of [`lane_field`] and AVX2's radix 2²⁵·⁵.
macro_rules! lane_decoder {
    ($(#[$attr:meta])*) => {
        /// `a^((p−5)/8) = a^(2²⁵² − 3)`: the exponent's bits as dalek's `pow22501` and
        /// `pow_p58` build them (exponent of each step in the comment).
        $(#[$attr])*
        fn pow_p58(a: &Fe) -> Fe {
            let t0 = fe_square(a); //                   2
            let t1 = fe_pow2k(&t0, 2); //               8
            let t2 = fe_mul(a, &t1); //                 9
            let t3 = fe_mul(&t0, &t2); //               11
            let t4 = fe_square(&t3); //                 22
            let t5 = fe_mul(&t2, &t4); //               31 = 2⁵ − 1
            let t6 = fe_pow2k(&t5, 5);
            let t7 = fe_mul(&t6, &t5); //               2¹⁰ − 1
            let t8 = fe_pow2k(&t7, 10);
            let t9 = fe_mul(&t8, &t7); //               2²⁰ − 1
            let t10 = fe_pow2k(&t9, 20);
            let t11 = fe_mul(&t10, &t9); //             2⁴⁰ − 1
            let t12 = fe_pow2k(&t11, 10);
            let t13 = fe_mul(&t12, &t7); //             2⁵⁰ − 1
            let t14 = fe_pow2k(&t13, 50);
            let t15 = fe_mul(&t14, &t13); //            2¹⁰⁰ − 1
            let t16 = fe_pow2k(&t15, 100);
            let t17 = fe_mul(&t16, &t15); //            2²⁰⁰ − 1
            let t18 = fe_pow2k(&t17, 50);
            let t19 = fe_mul(&t18, &t13); //            2²⁵⁰ − 1
            let t20 = fe_pow2k(&t19, 2); //             2²⁵² − 4
            fe_mul(&t20, a) //                          2²⁵² − 3
        }

        /// Step 2 up to `SQRT_RATIO_M1`'s comparisons.
        $(#[$attr])*
        fn phase_1(s: &LaneValues) -> Phase1 {
            let s = fe_load(s);
            let one = fe_const(constants::ONE);
            let ss = fe_square(&s);
            let u1 = fe_sub(&one, &ss);
            let u2 = fe_add(&one, &ss);
            let u2_sqr = fe_square(&u2);
            let d_u1_sqr = fe_mul(&fe_const(constants::D), &fe_square(&u1));
            let v = fe_sub(&fe_sub(&fe_const([0; 4]), &d_u1_sqr), &u2_sqr);
            let w = fe_mul(&v, &u2_sqr);
            let w3 = fe_mul(&fe_square(&w), &w);
            let w7 = fe_mul(&fe_square(&w3), &w);
            let r = fe_mul(&w3, &pow_p58(&w7));
            let check = fe_mul(&w, &fe_square(&r));
            let r_i = fe_mul(&r, &fe_const(constants::SQRT_M1));
            Phase1 {
                r: fe_store(&r),
                r_i: fe_store(&r_i),
                check: fe_store(&check),
                u1: fe_store(&u1),
                u2: fe_store(&u2),
                v: fe_store(&v),
            }
        }

        /// Step 2 from the inverse square root `I`: `x₀ = 2s·Dx`, `y`, `t₀ = x₀·y`.
        $(#[$attr])*
        fn phase_2(s: &LaneValues, inv_sqrt: &LaneValues, p1: &Phase1) -> [LaneValues; 3] {
            let (s, i) = (fe_load(s), fe_load(inv_sqrt));
            let (u1, u2, v) = (fe_load(&p1.u1), fe_load(&p1.u2), fe_load(&p1.v));
            let dx = fe_mul(&i, &u2);
            let dy = fe_mul(&i, &fe_mul(&dx, &v));
            let x0 = fe_mul(&fe_add(&s, &s), &dx);
            let y = fe_mul(&u1, &dy);
            let t0 = fe_mul(&x0, &y);
            [fe_store(&x0), fe_store(&y), fe_store(&t0)]
        }
    };
}

/// The lane arithmetic, written once over a backend's vector type `V` of 64-bit lanes and its
/// primitives (`splat`, `add`, `sub`, `and`, `shr`, `shl`, `madd52lo`, `madd52hi`, `load`,
/// `store`), and instantiated for AVX-512 IFMA (and, in tests, for a plain-integer model of
/// the same instructions). `$($attr)*` carries the backend's `#[target_feature]`.
///
/// Field elements are 5 limbs of radix 2⁵² (`a = Σ aᵢ·2⁵²ⁱ`). A *reduced* element has limbs
/// 0–3 below 2⁵² and limb 4 below 2⁴⁸: `madd52lo/hi(z, a, b)` add the low/high 52 bits of
/// the 104-bit product of the low 52 bits of `a` and `b`, so every multiplicand must be
/// reduced. Every operation below returns a reduced element.
macro_rules! lane_field {
    ($(#[$attr:meta])*) => {
        /// A field element per lane, in two interleaved vectors.
        type Fe = [[V; 2]; 5];

        $(#[$attr])*
        fn fe_splat(c: [u64; 5]) -> Fe {
            std::array::from_fn(|i| [splat(c[i]); 2])
        }

        $(#[$attr])*
        fn fe_load(v: &LaneValues) -> Fe {
            std::array::from_fn(|i| [load(&v[i][..8]), load(&v[i][8..])])
        }

        $(#[$attr])*
        fn fe_store(a: &Fe) -> LaneValues {
            std::array::from_fn(|i| {
                let mut out = [0u64; LANES];
                store(a[i][0], &mut out[..8]);
                store(a[i][1], &mut out[8..]);
                out
            })
        }

        /// Carries limbs below 2⁶² into a reduced element: the part of limb 4 from bit 47
        /// up is worth `2²⁵⁵ ≡ 19` each, then each limb passes its bits from 52 up to the
        /// next. Limbs 0–3 end below 2⁵², limb 4 below 2⁴⁷ + 2¹⁰.
        $(#[$attr])*
        fn carry(l: [V; 5]) -> [V; 5] {
            let [mut l0, mut l1, mut l2, mut l3, mut l4] = l;
            let c = shr::<47>(l4);
            l4 = and(l4, splat((1 << 47) - 1));
            l0 = madd52lo(l0, splat(19), c);
            l1 = add(l1, shr::<52>(l0));
            l0 = and(l0, splat(MASK52));
            l2 = add(l2, shr::<52>(l1));
            l1 = and(l1, splat(MASK52));
            l3 = add(l3, shr::<52>(l2));
            l2 = and(l2, splat(MASK52));
            l4 = add(l4, shr::<52>(l3));
            l3 = and(l3, splat(MASK52));
            [l0, l1, l2, l3, l4]
        }

        /// Folds the ten columns of a product (column `k` weighs 2⁵²ᵏ, each below 2⁵⁶)
        /// into five limbs: `2²⁶⁰ ≡ 2⁵·19 = 608`, so column `k ≥ 5` adds 608 times itself
        /// to column `k − 5`. The product `608·z` would overflow, so `z`'s low 52 bits go
        /// through `madd52lo/hi` (into columns `k − 5` and `k − 4`) and its top bits
        /// (`z >> 52`, below 2⁴) times 608 into column `k − 4`.
        $(#[$attr])*
        fn reduce(mut z: [V; 10]) -> [V; 5] {
            let c608 = splat(608);
            // Column 9 holds only the high half of a₄·b₄ (below 2⁴⁴): no top bits.
            z[4] = madd52lo(z[4], c608, z[9]);
            z[5] = madd52hi(z[5], c608, z[9]);
            for k in 5..9 {
                let top = shr::<52>(z[k]);
                z[k - 5] = madd52lo(z[k - 5], c608, z[k]);
                z[k - 4] = madd52hi(z[k - 4], c608, z[k]);
                z[k - 4] = madd52lo(z[k - 4], c608, top);
            }
            carry([z[0], z[1], z[2], z[3], z[4]])
        }

        /// `a·b`: schoolbook, `aᵢ·bⱼ`'s low half into column `i + j`, its high half into
        /// column `i + j + 1`; each column gets at most 10 halves, below 2⁵⁶.
        $(#[$attr])*
        fn mul1(a: &[V; 5], b: &[V; 5]) -> [V; 5] {
            let mut z = [splat(0); 10];
            for i in 0..5 {
                for j in 0..5 {
                    z[i + j] = madd52lo(z[i + j], a[i], b[j]);
                    z[i + j + 1] = madd52hi(z[i + j + 1], a[i], b[j]);
                }
            }
            reduce(z)
        }

        /// `a²`: the products `aᵢ·aⱼ` with `i < j` once, doubled by a shift (each column's
        /// sum of them is below 2⁵⁴), plus the squares `aᵢ²`.
        $(#[$attr])*
        fn square1(a: &[V; 5]) -> [V; 5] {
            let mut cross = [splat(0); 10];
            for i in 0..5 {
                for j in i + 1..5 {
                    cross[i + j] = madd52lo(cross[i + j], a[i], a[j]);
                    cross[i + j + 1] = madd52hi(cross[i + j + 1], a[i], a[j]);
                }
            }
            let mut z: [V; 10] = std::array::from_fn(|k| shl::<1>(cross[k]));
            for i in 0..5 {
                z[2 * i] = madd52lo(z[2 * i], a[i], a[i]);
                z[2 * i + 1] = madd52hi(z[2 * i + 1], a[i], a[i]);
            }
            reduce(z)
        }

        /// Applies `f` to each of the two interleaved halves.
        $(#[$attr])*
        fn halves(f: impl Fn(usize) -> [V; 5]) -> Fe {
            let (h0, h1) = (f(0), f(1));
            std::array::from_fn(|i| [h0[i], h1[i]])
        }

        $(#[$attr])*
        fn half(a: &Fe, h: usize) -> [V; 5] {
            std::array::from_fn(|i| a[i][h])
        }

        $(#[$attr])*
        fn fe_mul(a: &Fe, b: &Fe) -> Fe {
            halves(|h| mul1(&half(a, h), &half(b, h)))
        }

        $(#[$attr])*
        fn fe_square(a: &Fe) -> Fe {
            halves(|h| square1(&half(a, h)))
        }

        /// `a^(2^k)`: `k` squarings, both halves in each step so that their two
        /// dependency chains overlap.
        $(#[$attr])*
        fn fe_pow2k(a: &Fe, k: u32) -> Fe {
            let mut x = *a;
            for _ in 0..k {
                x = fe_square(&x);
            }
            x
        }

        /// `a + b` (inputs reduced, sums below 2⁵³).
        $(#[$attr])*
        fn fe_add(a: &Fe, b: &Fe) -> Fe {
            halves(|h| carry(std::array::from_fn(|i| add(a[i][h], b[i][h]))))
        }

        /// `a − b` as `a + 4p − b`: 4p's limbs (2⁵⁴ − 76, 2⁵⁴ − 4 three times, 2⁴⁹ − 4) are
        /// at least a reduced `b`'s, so no limb goes negative; the sums stay below 2⁵⁵.
        $(#[$attr])*
        fn fe_sub(a: &Fe, b: &Fe) -> Fe {
            const FOUR_P: [u64; 5] = [(1 << 54) - 76, (1 << 54) - 4, (1 << 54) - 4, (1 << 54) - 4, (1 << 49) - 4];
            halves(|h| carry(std::array::from_fn(|i| sub(add(a[i][h], splat(FOUR_P[i])), b[i][h]))))
        }

        /// A field constant in every lane.
        $(#[$attr])*
        fn fe_const(w: [u64; 4]) -> Fe {
            fe_splat(to_radix52(w))
        }

        lane_decoder!($(#[$attr])*);
    };
}

/// The AVX-512 IFMA backend. Its intrinsics are stable since Rust 1.89, the crate's declared
/// minimum.
#[cfg(target_arch = "x86_64")]
mod ifma {
    use std::arch::x86_64::*;

    use super::*;

    type V = __m512i;

    pub(super) fn detected() -> bool {
        std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512ifma")
    }

    /// Decodes 16 encodings in lanes; `None` (the whole call) if the CPU lacks the
    /// instructions.
    pub(super) fn decode16(encodings: &[[u8; 32]; LANES]) -> Option<[Option<Coordinates>; LANES]> {
        if !detected() {
            return None;
        }
        // SAFETY: the two functions only need AVX-512F and AVX-512 IFMA, just detected.
        Some(decode_with(encodings, |s| unsafe { phase_1(s) }, |s, i, p| unsafe { phase_2(s, i, p) }))
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    fn splat(x: u64) -> V {
        _mm512_set1_epi64(x as i64)
    }
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn add(a: V, b: V) -> V {
        _mm512_add_epi64(a, b)
    }
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn sub(a: V, b: V) -> V {
        _mm512_sub_epi64(a, b)
    }
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn and(a: V, b: V) -> V {
        _mm512_and_si512(a, b)
    }
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn shr<const N: u32>(a: V) -> V {
        _mm512_srli_epi64::<N>(a)
    }
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn shl<const N: u32>(a: V) -> V {
        _mm512_slli_epi64::<N>(a)
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    fn madd52lo(z: V, a: V, b: V) -> V {
        _mm512_madd52lo_epu64(z, a, b)
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    fn madd52hi(z: V, a: V, b: V) -> V {
        _mm512_madd52hi_epu64(z, a, b)
    }
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn load(lanes: &[u64]) -> V {
        let lanes: &[u64; 8] = lanes.try_into().expect("8 lanes");
        // SAFETY: a by-value reinterpretation of 64 bytes: `[u64; 8]` and `__m512i` have
        // the same size and every bit pattern is valid for both.
        unsafe { std::mem::transmute::<[u64; 8], V>(*lanes) }
    }
    #[inline]
    #[target_feature(enable = "avx512f")]
    fn store(v: V, out: &mut [u64]) {
        // SAFETY: as in `load`.
        out.copy_from_slice(&unsafe { std::mem::transmute::<V, [u64; 8]>(v) });
    }

    lane_field!(#[inline] #[target_feature(enable = "avx512f,avx512ifma")]);
}

/// Off x86-64 there are no lanes: dalek decodes everything.
#[cfg(not(target_arch = "x86_64"))]
mod ifma {
    use super::*;

    pub(super) fn detected() -> bool {
        false
    }

    pub(super) fn decode16(_: &[[u8; 32]; LANES]) -> Option<[Option<Coordinates>; LANES]> {
        None
    }
}

/// The AVX2 backend, for the CPUs without IFMA (most laptops and desktops): 4 lanes of 64 bits
/// per 256-bit vector, four vectors for the batch's 16 points, and `vpmuludq` (the low 32
/// bits of two lanes, multiplied into 64) as the only multiplier.
///
/// # Field elements in radix 2²⁵·⁵
///
/// Ten limbs, `a = Σ aᵢ·2^⌈25.5·i⌉` (offsets 0, 26, 51, 77, …, 230; even limbs 26 bits wide,
/// odd limbs 25). A *reduced* element has even limbs below 2²⁶ and odd limbs below
/// 2²⁵ + 2¹⁶ (only limbs 1 and 5 go past 2²⁵, by `carry`'s late steps); every operation takes
/// and returns reduced elements.
///
/// Product `h = f·g`: `fᵢ·gⱼ` weighs `2^(⌈25.5i⌉ + ⌈25.5j⌉)`, which is `2^⌈25.5(i+j)⌉` except
/// when `i` and `j` are both odd: then twice that. Limb `k ≥ 10` weighs `2²⁵⁵·2^⌈25.5(k−10)⌉`
/// and `2²⁵⁵ ≡ 19`. So
///
/// ```text
/// h_k = Σ_{i+j=k} fᵢ·gⱼ·(2 if i, j odd) + Σ_{i+j=k+10} fᵢ·(19·gⱼ)·(2 if i, j odd)
/// ```
///
/// Bounds: `2fᵢ < 2²⁶·⁰⁰³`, `19gⱼ < 2³⁰·²⁶` (both below 2³², as `vpmuludq` needs), each
/// product below 2⁵⁶·²⁷ and each column of ten below 2⁵⁹·⁶: no lane overflows. A square
/// takes each `i < j` once, doubled (`4fᵢ` where both are odd, below 2²⁷·⁰⁰³): at most six terms
/// a column, below 2⁶¹.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::*;

    type V = __m256i;
    /// Vectors of a batch: 4 lanes each.
    const VECTORS: usize = LANES / 4;
    /// A field element per lane: four vectors of 10 limbs.
    type Fe = [[V; 10]; VECTORS];

    const MASK26: u64 = (1 << 26) - 1;
    const MASK25: u64 = (1 << 25) - 1;
    /// Limb `i` starts at bit `⌈25.5·i⌉`.
    const OFFSET: [u32; 10] = [0, 26, 51, 77, 102, 128, 153, 179, 204, 230];
    /// 2p in radix 2²⁵·⁵: at least every reduced limb, so `a + 2p − b` never goes negative.
    const TWO_P: [u64; 10] = [
        (1 << 27) - 38,
        (1 << 26) - 2,
        (1 << 27) - 2,
        (1 << 26) - 2,
        (1 << 27) - 2,
        (1 << 26) - 2,
        (1 << 27) - 2,
        (1 << 26) - 2,
        (1 << 27) - 2,
        (1 << 26) - 2,
    ];

    pub(super) fn detected() -> bool {
        std::is_x86_feature_detected!("avx2")
    }

    /// Decodes 16 encodings in lanes; `None` (the whole call) if the CPU lacks AVX2.
    pub(super) fn decode16(encodings: &[[u8; 32]; LANES]) -> Option<[Option<Coordinates>; LANES]> {
        if !detected() {
            return None;
        }
        // SAFETY: the two functions only need AVX2, just detected.
        Some(decode_with(encodings, |s| unsafe { phase_1(s) }, |s, i, p| unsafe { phase_2(s, i, p) }))
    }

    /// A canonical value's limbs.
    fn limbs(w: &[u64; 4]) -> [u64; 10] {
        std::array::from_fn(|i| {
            let (word, shift) = ((OFFSET[i] / 64) as usize, OFFSET[i] % 64);
            let mut bits = w[word] >> shift;
            if shift > 0 && word + 1 < 4 {
                bits |= w[word + 1] << (64 - shift);
            }
            bits & if i % 2 == 0 { MASK26 } else { MASK25 }
        })
    }

    /// The value of reduced limbs (below 2²⁵⁶), folded once below 2²⁵⁵ + 19: for
    /// `canonical` after `to_radix52`.
    fn words(l: &[u64; 10]) -> [u64; 4] {
        let mut acc = [0u64; 5];
        for (limb, offset) in l.iter().zip(OFFSET) {
            let (word, shift) = ((offset / 64) as usize, offset % 64);
            let mut carry = u128::from(*limb) << shift;
            for w in acc.iter_mut().skip(word) {
                let sum = u128::from(*w) + (carry & u128::from(u64::MAX));
                *w = sum as u64;
                carry = (carry >> 64) + (sum >> 64);
                if carry == 0 {
                    break;
                }
            }
        }
        // Bits from 255 up are worth 19 each.
        let top = (acc[3] >> 63) | (acc[4] << 1);
        let mut w = [acc[0], acc[1], acc[2], acc[3] & (u64::MAX >> 1)];
        add_small(&mut w, 19 * top);
        w
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn splat(x: u64) -> V {
        _mm256_set1_epi64x(x as i64)
    }
    #[inline]
    #[target_feature(enable = "avx2")]
    fn add(a: V, b: V) -> V {
        _mm256_add_epi64(a, b)
    }
    #[inline]
    #[target_feature(enable = "avx2")]
    fn sub(a: V, b: V) -> V {
        _mm256_sub_epi64(a, b)
    }
    #[inline]
    #[target_feature(enable = "avx2")]
    fn and(a: V, b: V) -> V {
        _mm256_and_si256(a, b)
    }
    #[inline]
    #[target_feature(enable = "avx2")]
    fn shr<const N: i32>(a: V) -> V {
        _mm256_srli_epi64::<N>(a)
    }
    #[inline]
    #[target_feature(enable = "avx2")]
    fn shl<const N: i32>(a: V) -> V {
        _mm256_slli_epi64::<N>(a)
    }
    /// `vpmuludq`: the low 32 bits of each lane of `a` times those of `b`, 64-bit products.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn mul32(a: V, b: V) -> V {
        _mm256_mul_epu32(a, b)
    }
    /// `19·c` for a `c` too wide for `vpmuludq`: `16c + 2c + c`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn times19(c: V) -> V {
        add(add(shl::<4>(c), shl::<1>(c)), c)
    }

    /// Limbs below 2⁶² to a reduced element: each limb passes its bits above its width to the
    /// next, limb 9's are worth 19 each in limb 0 (below 2⁴²), which passes its excess
    /// (below 2¹⁶) to limb 1 once more; limb 5 ends below 2²⁵ + 2¹¹.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn carry(h: [V; 10]) -> [V; 10] {
        let [mut h0, mut h1, mut h2, mut h3, mut h4, mut h5, mut h6, mut h7, mut h8, mut h9] = h;
        let (m26, m25) = (splat(MASK26), splat(MASK25));
        // Two chains side by side, 0→1→2→3→4→5 and 4→5→6→7→8→9, for a shorter latency.
        h1 = add(h1, shr::<26>(h0));
        h0 = and(h0, m26);
        h5 = add(h5, shr::<26>(h4));
        h4 = and(h4, m26);
        h2 = add(h2, shr::<25>(h1));
        h1 = and(h1, m25);
        h6 = add(h6, shr::<25>(h5));
        h5 = and(h5, m25);
        h3 = add(h3, shr::<26>(h2));
        h2 = and(h2, m26);
        h7 = add(h7, shr::<26>(h6));
        h6 = and(h6, m26);
        h4 = add(h4, shr::<25>(h3));
        h3 = and(h3, m25);
        h8 = add(h8, shr::<25>(h7));
        h7 = and(h7, m25);
        h5 = add(h5, shr::<26>(h4));
        h4 = and(h4, m26);
        h9 = add(h9, shr::<26>(h8));
        h8 = and(h8, m26);
        h0 = add(h0, times19(shr::<25>(h9)));
        h9 = and(h9, m25);
        h1 = add(h1, shr::<26>(h0));
        h0 = and(h0, m26);
        [h0, h1, h2, h3, h4, h5, h6, h7, h8, h9]
    }

    /// `Σ aᵢ·bᵢ` over lanes, in `vpmuludq` and `vpaddq`, written out so that every limb stays in
    /// a register.
    macro_rules! dot {
        ($first_a:ident * $first_b:ident $(, $a:ident * $b:ident)* $(,)?) => {{
            let sum = mul32($first_a, $first_b);
            $(let sum = add(sum, mul32($a, $b));)*
            sum
        }};
    }

    /// `f·g` (see the module's note for the columns and their bounds).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn mul1(f: &[V; 10], g: &[V; 10]) -> [V; 10] {
        let [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9] = *f;
        let [g0, g1, g2, g3, g4, g5, g6, g7, g8, g9] = *g;
        let [f1_2, f3_2, f5_2, f7_2, f9_2] = [f1, f3, f5, f7, f9].map(|x| shl::<1>(x));
        let c19 = splat(19);
        let [g1_19, g2_19, g3_19, g4_19, g5_19, g6_19, g7_19, g8_19, g9_19] =
            [g1, g2, g3, g4, g5, g6, g7, g8, g9].map(|x| mul32(x, c19));
        let h0 = dot!(
            f0 * g0,
            f1_2 * g9_19,
            f2 * g8_19,
            f3_2 * g7_19,
            f4 * g6_19,
            f5_2 * g5_19,
            f6 * g4_19,
            f7_2 * g3_19,
            f8 * g2_19,
            f9_2 * g1_19
        );
        let h1 = dot!(
            f0 * g1,
            f1 * g0,
            f2 * g9_19,
            f3 * g8_19,
            f4 * g7_19,
            f5 * g6_19,
            f6 * g5_19,
            f7 * g4_19,
            f8 * g3_19,
            f9 * g2_19
        );
        let h2 = dot!(
            f0 * g2,
            f1_2 * g1,
            f2 * g0,
            f3_2 * g9_19,
            f4 * g8_19,
            f5_2 * g7_19,
            f6 * g6_19,
            f7_2 * g5_19,
            f8 * g4_19,
            f9_2 * g3_19
        );
        let h3 = dot!(
            f0 * g3,
            f1 * g2,
            f2 * g1,
            f3 * g0,
            f4 * g9_19,
            f5 * g8_19,
            f6 * g7_19,
            f7 * g6_19,
            f8 * g5_19,
            f9 * g4_19
        );
        let h4 = dot!(
            f0 * g4,
            f1_2 * g3,
            f2 * g2,
            f3_2 * g1,
            f4 * g0,
            f5_2 * g9_19,
            f6 * g8_19,
            f7_2 * g7_19,
            f8 * g6_19,
            f9_2 * g5_19
        );
        let h5 =
            dot!(f0 * g5, f1 * g4, f2 * g3, f3 * g2, f4 * g1, f5 * g0, f6 * g9_19, f7 * g8_19, f8 * g7_19, f9 * g6_19);
        let h6 = dot!(
            f0 * g6,
            f1_2 * g5,
            f2 * g4,
            f3_2 * g3,
            f4 * g2,
            f5_2 * g1,
            f6 * g0,
            f7_2 * g9_19,
            f8 * g8_19,
            f9_2 * g7_19
        );
        let h7 = dot!(f0 * g7, f1 * g6, f2 * g5, f3 * g4, f4 * g3, f5 * g2, f6 * g1, f7 * g0, f8 * g9_19, f9 * g8_19);
        let h8 =
            dot!(f0 * g8, f1_2 * g7, f2 * g6, f3_2 * g5, f4 * g4, f5_2 * g3, f6 * g2, f7_2 * g1, f8 * g0, f9_2 * g9_19);
        let h9 = dot!(f0 * g9, f1 * g8, f2 * g7, f3 * g6, f4 * g5, f5 * g4, f6 * g3, f7 * g2, f8 * g1, f9 * g0);
        carry([h0, h1, h2, h3, h4, h5, h6, h7, h8, h9])
    }

    /// `f²` for `f: [V; 10]`: each `fᵢ·fⱼ` with `i < j` once, doubled (`fᵢ_2`, or `fᵢ_4`
    /// where both are odd), and the squares (`fᵢ_2` for odd `i`). A macro, not a function, so
    /// that the squaring loop of `pow2k1` keeps the limbs in registers across its iterations.
    macro_rules! square {
        ($f:expr) => {{
            let [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9] = $f;
            let [f0_2, f1_2, f2_2, f3_2, f4_2, f5_2, f6_2, f7_2, f8_2, f9_2] =
                [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9].map(|x| shl::<1>(x));
            let [f1_4, f3_4, f5_4, f7_4] = [f1, f3, f5, f7].map(|x| shl::<2>(x));
            let c19 = splat(19);
            let [f5_19, f6_19, f7_19, f8_19, f9_19] = [f5, f6, f7, f8, f9].map(|x| mul32(x, c19));
            let h0 = dot!(f0 * f0, f1_4 * f9_19, f2_2 * f8_19, f3_4 * f7_19, f4_2 * f6_19, f5_2 * f5_19);
            let h1 = dot!(f0_2 * f1, f2_2 * f9_19, f3_2 * f8_19, f4_2 * f7_19, f5_2 * f6_19);
            let h2 = dot!(f0_2 * f2, f1_2 * f1, f3_4 * f9_19, f4_2 * f8_19, f5_4 * f7_19, f6 * f6_19);
            let h3 = dot!(f0_2 * f3, f1_2 * f2, f4_2 * f9_19, f5_2 * f8_19, f6_2 * f7_19);
            let h4 = dot!(f0_2 * f4, f1_4 * f3, f2 * f2, f5_4 * f9_19, f6_2 * f8_19, f7_2 * f7_19);
            let h5 = dot!(f0_2 * f5, f1_2 * f4, f2_2 * f3, f6_2 * f9_19, f7_2 * f8_19);
            let h6 = dot!(f0_2 * f6, f1_4 * f5, f2_2 * f4, f3_2 * f3, f7_4 * f9_19, f8 * f8_19);
            let h7 = dot!(f0_2 * f7, f1_2 * f6, f2_2 * f5, f3_2 * f4, f8_2 * f9_19);
            let h8 = dot!(f0_2 * f8, f1_4 * f7, f2_2 * f6, f3_4 * f5, f4 * f4, f9_2 * f9_19);
            let h9 = dot!(f0_2 * f9, f1_2 * f8, f2_2 * f7, f3_2 * f6, f4_2 * f5);
            carry([h0, h1, h2, h3, h4, h5, h6, h7, h8, h9])
        }};
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn square1(f: &[V; 10]) -> [V; 10] {
        square!(*f)
    }

    /// `f^(2^k)` in one vector.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn pow2k1(mut f: [V; 10], k: u32) -> [V; 10] {
        for _ in 0..k {
            f = square!(f);
        }
        f
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn fe_const(w: [u64; 4]) -> Fe {
        let l = limbs(&w);
        [l.map(|x| splat(x)); VECTORS]
    }

    /// Reduced radix-2⁵² lane values, made canonical and cut into limbs.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn fe_load(v: &LaneValues) -> Fe {
        let per_lane: [[u64; 10]; LANES] =
            std::array::from_fn(|lane| limbs(&canonical(&std::array::from_fn(|limb| v[limb][lane]))));
        std::array::from_fn(|q| {
            std::array::from_fn(|limb| {
                let lanes: [u64; 4] = std::array::from_fn(|k| per_lane[4 * q + k][limb]);
                // SAFETY: a by-value reinterpretation of 32 bytes: `[u64; 4]` and `__m256i`
                // have the same size and every bit pattern is valid for both.
                unsafe { std::mem::transmute::<[u64; 4], V>(lanes) }
            })
        })
    }

    /// Each lane's value, in reduced radix-2⁵² limbs.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn fe_store(a: &Fe) -> LaneValues {
        // SAFETY: as in `fe_load`, the other way.
        let lanes: [[[u64; 4]; 10]; VECTORS] =
            a.map(|limbs| limbs.map(|v| unsafe { std::mem::transmute::<V, [u64; 4]>(v) }));
        let per_lane: [[u64; 5]; LANES] =
            std::array::from_fn(|lane| to_radix52(words(&std::array::from_fn(|limb| lanes[lane / 4][limb][lane % 4]))));
        std::array::from_fn(|limb| std::array::from_fn(|lane| per_lane[lane][limb]))
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn fe_mul(a: &Fe, b: &Fe) -> Fe {
        [mul1(&a[0], &b[0]), mul1(&a[1], &b[1]), mul1(&a[2], &b[2]), mul1(&a[3], &b[3])]
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn fe_square(a: &Fe) -> Fe {
        [square1(&a[0]), square1(&a[1]), square1(&a[2]), square1(&a[3])]
    }

    /// `a^(2^k)`: `k` squarings, one vector after another.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn fe_pow2k(a: &Fe, k: u32) -> Fe {
        [pow2k1(a[0], k), pow2k1(a[1], k), pow2k1(a[2], k), pow2k1(a[3], k)]
    }

    /// `a + b` (reduced inputs, sums below 2²⁸).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn fe_add(a: &Fe, b: &Fe) -> Fe {
        let one = |a: &[V; 10], b: &[V; 10]| carry(std::array::from_fn(|l| add(a[l], b[l])));
        [one(&a[0], &b[0]), one(&a[1], &b[1]), one(&a[2], &b[2]), one(&a[3], &b[3])]
    }

    /// `a − b` as `a + 2p − b` (see `TWO_P`).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn fe_sub(a: &Fe, b: &Fe) -> Fe {
        let one = |a: &[V; 10], b: &[V; 10]| carry(std::array::from_fn(|l| sub(add(a[l], splat(TWO_P[l])), b[l])));
        [one(&a[0], &b[0]), one(&a[1], &b[1]), one(&a[2], &b[2]), one(&a[3], &b[3])]
    }

    lane_decoder!(#[inline] #[target_feature(enable = "avx2")]);

    /// `a·b` and `a²` of canonical values, through the lanes (for the tests).
    #[cfg(test)]
    pub(super) fn mul_and_square(a: [u64; 4], b: [u64; 4]) -> Option<([u64; 4], [u64; 4])> {
        if !detected() {
            return None;
        }
        let lanes = |w: [u64; 4]| -> LaneValues {
            let l = to_radix52(w);
            std::array::from_fn(|limb| [l[limb]; LANES])
        };
        let first = |v: LaneValues| canonical(&std::array::from_fn(|limb| v[limb][0]));
        // SAFETY: AVX2 was just detected.
        unsafe {
            let (a, b) = (fe_load(&lanes(a)), fe_load(&lanes(b)));
            Some((first(fe_store(&fe_mul(&a, &b))), first(fe_store(&fe_square(&a)))))
        }
    }
}

/// Off x86-64 there is no AVX2.
#[cfg(not(target_arch = "x86_64"))]
mod avx2 {
    use super::*;

    pub(super) fn detected() -> bool {
        false
    }

    pub(super) fn decode16(_: &[[u8; 32]; LANES]) -> Option<[Option<Coordinates>; LANES]> {
        None
    }

    #[cfg(test)]
    pub(super) fn mul_and_square(_: [u64; 4], _: [u64; 4]) -> Option<([u64; 4], [u64; 4])> {
        None
    }
}

// ---------------------------------------------------------------------------------------
// The point from its coordinates.

/// dalek's `RistrettoPoint` is an `EdwardsPoint` of four `FieldElement51`s `(X, Y, Z, T)`,
/// each `[u64; 5]` in radix 2⁵¹, as read and checked by [`layout_ok`].
type DalekLayout = [[u64; 5]; 4];

/// The point `(x : y : 1 : t)`, built in dalek's representation.
///
/// Why this is sound, given [`layout_ok`] returned true in this process (it is checked first,
/// else `None`):
///
/// * `transmute` checks at compile time that the two types have the same size (160 bytes);
/// * every bit pattern is a valid `[u64; 20]`, and a `RistrettoPoint` is made of integers
///   only (no references, no enums, no niches), so every bit pattern is a valid value of it
///   too: the transmute cannot create an invalid value, in either direction;
/// * dalek's own invariants on a field element are its limbs' bounds (below 2⁵¹ plus a
///   little; the arithmetic relies on them to avoid overflow). The limbs here are those of a
///   canonical value, each below 2⁵¹: the tightest form dalek itself produces;
/// * the field order and the limbs' radix are what [`layout_ok`] verified on the compiled
///   binary: dalek's own decoder's output, read through the same transmute, has `x` at
///   limbs 0–4, `y` at 5–9, `z = 1` at 10–14 and `t` at 15–19, and a point built here
///   compresses to the encoding it came from and adds and multiplies as dalek's does. The
///   layout of a type is fixed for one compiled program, so what holds for the test points
///   holds for every point.
fn point_from_coordinates(c: &Coordinates) -> Option<RistrettoPoint> {
    if !layout_ok() {
        return None;
    }
    Some(from_layout([to_radix51(&c.x), to_radix51(&c.y), [1, 0, 0, 0, 0], to_radix51(&c.t)]))
}

fn from_layout(limbs: DalekLayout) -> RistrettoPoint {
    // SAFETY: see `point_from_coordinates`: same size, every bit pattern valid.
    unsafe { std::mem::transmute::<DalekLayout, RistrettoPoint>(limbs) }
}

fn to_layout(p: RistrettoPoint) -> DalekLayout {
    // SAFETY: as in `from_layout`, the other way.
    unsafe { std::mem::transmute::<RistrettoPoint, DalekLayout>(p) }
}

/// The canonical value of dalek radix-2⁵¹ limbs (each below 2⁵⁴ or so: dalek's bound).
fn canonical_from_radix51(l: &[u64; 5]) -> Option<[u64; 4]> {
    if l.iter().any(|x| *x >= 1 << 55) {
        return None;
    }
    // Carry to 51-bit limbs (the top carry is worth 19), then to radix 2⁵² for `canonical`.
    let mut l = *l;
    for _ in 0..2 {
        let c4 = l[4] >> 51;
        l[4] &= MASK51;
        l[0] += 19 * c4;
        for i in 0..4 {
            l[i + 1] += l[i] >> 51;
            l[i] &= MASK51;
        }
    }
    let v = u128::from(l[0]) | (u128::from(l[1]) << 51) | (u128::from(l[2] & ((1 << 26) - 1)) << 102);
    let w = (u128::from(l[2]) >> 26) | (u128::from(l[3]) << 25) | (u128::from(l[4]) << 76);
    let words = [v as u64, (v >> 64) as u64, w as u64, (w >> 64) as u64];
    Some(canonical(&to_radix52(words)))
}

/// Points whose four coordinates are pairwise different, so that any other order of the
/// fields, or another radix, would show: `g`, `2g` and two from RFC 9496's vectors.
const LAYOUT_PROBES: [&str; 4] = [
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
    "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
    "903293d8f2287ebe10e2374dc1a53e0bc887e592699f02d077d5263cdd55601c",
    "e0c418f7c8d9c4cdd7395b93ea124f3ad99021bb681dfc3302a9d99a2e53e64e",
];

/// The self-test behind [`point_from_coordinates`], run once: dalek's decoded points, read
/// through the layout, have the coordinates the scalar reference decoder computes
/// ([`reference_coordinates`]) at the expected places; and points built through the layout
/// compress to their encodings and add and multiply like dalek's.
fn layout_ok() -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(|| {
        std::mem::size_of::<RistrettoPoint>() == std::mem::size_of::<DalekLayout>()
            && LAYOUT_PROBES.iter().all(|hex| probe(hex).is_some())
    })
}

fn probe(hex: &str) -> Option<()> {
    let bytes: [u8; 32] = super::group::hex32("probe", hex).ok()?;
    let dalek = CompressedRistretto(bytes).decompress()?;
    let expected = reference_coordinates(&bytes)?;
    let read = to_layout(dalek);
    let canon: Vec<[u64; 4]> = read.iter().map(canonical_from_radix51).collect::<Option<_>>()?;
    if canon != [expected.x, expected.y, constants::ONE, expected.t] {
        return None;
    }
    let built =
        from_layout([to_radix51(&expected.x), to_radix51(&expected.y), [1, 0, 0, 0, 0], to_radix51(&expected.t)]);
    let three = curve25519_dalek::scalar::Scalar::from(3u64);
    let g = super::group::G;
    (built.compress().0 == bytes && built == dalek && built + g == dalek + g && three * built == three * dalek)
        .then_some(())
}

/// One encoding decoded in plain scalar code with the lanes' formulas, through the
/// plain-integer model of the lane instructions: the reference for the self-test (which must
/// not depend on the CPU) and for the tests.
fn reference_coordinates(bytes: &[u8; 32]) -> Option<Coordinates> {
    let mut batch = [[0u8; 32]; LANES];
    batch[0] = *bytes;
    model::decode16(&batch)[0]
}

/// A model of the lane instructions in plain integers, run with the same lane code: the
/// reference decoder on every CPU, and what the tests check the formulas against where the
/// CPU has no IFMA.
mod model {
    use super::*;

    /// One vector: 8 lanes of 64 bits.
    type V = [u64; 8];

    pub(super) fn decode16(encodings: &[[u8; 32]; LANES]) -> [Option<Coordinates>; LANES] {
        decode_with(encodings, phase_1, phase_2)
    }

    fn map(f: impl Fn(usize) -> u64) -> V {
        std::array::from_fn(f)
    }
    fn splat(x: u64) -> V {
        [x; 8]
    }
    fn add(a: V, b: V) -> V {
        map(|i| a[i].wrapping_add(b[i]))
    }
    fn sub(a: V, b: V) -> V {
        map(|i| a[i].wrapping_sub(b[i]))
    }
    fn and(a: V, b: V) -> V {
        map(|i| a[i] & b[i])
    }
    fn shr<const N: u32>(a: V) -> V {
        map(|i| a[i] >> N)
    }
    fn shl<const N: u32>(a: V) -> V {
        map(|i| a[i] << N)
    }
    /// `vpmadd52luq`: `z + low 52 bits of (a mod 2⁵²)·(b mod 2⁵²)`.
    fn madd52lo(z: V, a: V, b: V) -> V {
        map(|i| z[i].wrapping_add(((u128::from(a[i] & MASK52) * u128::from(b[i] & MASK52)) as u64) & MASK52))
    }
    /// `vpmadd52huq`: `z + high 52 bits of (a mod 2⁵²)·(b mod 2⁵²)`.
    fn madd52hi(z: V, a: V, b: V) -> V {
        map(|i| z[i].wrapping_add(((u128::from(a[i] & MASK52) * u128::from(b[i] & MASK52)) >> 52) as u64))
    }
    fn load(lanes: &[u64]) -> V {
        lanes.try_into().expect("8 lanes")
    }
    fn store(v: V, out: &mut [u64]) {
        out.copy_from_slice(&v);
    }

    lane_field!();

    /// Per lane, whether step 2's `v·u2²` was a nonzero square (to sort test inputs).
    #[cfg(test)]
    pub(super) fn was_square(encodings: &[[u8; 32]; LANES]) -> [bool; LANES] {
        let s = gather(&std::array::from_fn(|i| step_1(&encodings[i]).unwrap_or([0; 5])));
        let p1 = phase_1(&s);
        let (r, r_i, check) = (scatter(&p1.r), scatter(&p1.r_i), scatter(&p1.check));
        std::array::from_fn(|lane| select_root(&r[lane], &r_i[lane], &check[lane]).0)
    }

    #[cfg(test)]
    pub(super) fn mul_canonical(a: [u64; 4], b: [u64; 4]) -> [u64; 4] {
        let fe = |w: [u64; 4]| -> Fe { std::array::from_fn(|i| [splat(to_radix52(w)[i]); 2]) };
        let product = fe_store(&fe_mul(&fe(a), &fe(b)));
        canonical(&std::array::from_fn(|i| product[i][0]))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn dalek(bytes: &[u8; 32]) -> Option<RistrettoPoint> {
        CompressedRistretto(*bytes).decompress()
    }

    /// dalek's decoded coordinates, canonical, read through the layout (checked first).
    fn dalek_coordinates(bytes: &[u8; 32]) -> Option<Coordinates> {
        assert!(layout_ok(), "the layout self-test fails on this build");
        let [x, y, z, t] = to_layout(dalek(bytes)?).map(|l| canonical_from_radix51(&l).expect("dalek's bounds"));
        assert_eq!(z, constants::ONE);
        Some(Coordinates { x, y, t })
    }

    /// Decodes with every backend this CPU has, and through `decode_elements`; all must agree
    /// with dalek on the decision, the coordinates, and the point.
    fn check_batch(batch: &[[u8; 32]]) {
        let expected: Vec<Option<Coordinates>> = batch.iter().map(dalek_coordinates).collect();
        for group in batch.chunks(LANES).zip(expected.chunks(LANES)) {
            let mut padded = [[0u8; 32]; LANES];
            padded[..group.0.len()].copy_from_slice(group.0);
            let model = model::decode16(&padded);
            assert_eq!(&model[..group.0.len()], group.1, "model lanes");
            if let Some(lanes) = ifma::decode16(&padded) {
                assert_eq!(&lanes[..group.0.len()], group.1, "IFMA lanes");
            }
            if let Some(lanes) = avx2::decode16(&padded) {
                assert_eq!(&lanes[..group.0.len()], group.1, "AVX2 lanes");
            }
        }
        let elements = decode_elements(batch);
        for (bytes, (element, coords)) in batch.iter().zip(elements.iter().zip(&expected)) {
            assert_eq!(element.is_some(), coords.is_some());
            if let Some(e) = element {
                let built = point_from_coordinates(coords.as_ref().unwrap()).unwrap();
                assert_eq!(e.as_bytes(), bytes);
                assert_eq!(e.point().compress().0, *bytes);
                assert_eq!(*e.point(), dalek(bytes).unwrap());
                assert_eq!(
                    to_layout(built).map(|l| canonical_from_radix51(&l)),
                    to_layout(*e.point()).map(|l| canonical_from_radix51(&l))
                );
            }
        }
    }

    fn hex(s: &str) -> [u8; 32] {
        super::super::group::hex32("test", s).unwrap()
    }

    #[test]
    fn constants_are_the_field_constants() {
        // √−1² = −1; d·121666 = −121665; −√−1 + √−1 = 0.
        assert_eq!(model::mul_canonical(constants::SQRT_M1, constants::SQRT_M1), constants::MINUS_ONE);
        assert_eq!(model::mul_canonical(constants::D, [121666, 0, 0, 0]), negate(&[121665, 0, 0, 0]));
        assert_eq!(negate(&constants::SQRT_M1), constants::MINUS_SQRT_M1);
        assert_eq!(negate(&constants::ONE), constants::MINUS_ONE);
    }

    #[test]
    fn canonical_reduction_at_the_edges() {
        // p itself, p + 18 (non-canonical values that still fit), 2²⁵⁶ − 1.
        let p_plus = |k: u64| {
            let mut w = P;
            add_small(&mut w, k);
            w
        };
        assert_eq!(canonical(&to_radix52(P)), [0; 4]);
        assert_eq!(canonical(&to_radix52(p_plus(18))), [18, 0, 0, 0]);
        assert_eq!(canonical(&to_radix52([u64::MAX; 4])), [37, 0, 0, 0]);
        assert!(below_p(&negate(&[1, 0, 0, 0])) && !below_p(&P));
        assert_eq!(to_radix51(&P).iter().filter(|l| **l >= 1 << 51).count(), 0);
    }

    #[test]
    fn layout_self_test_passes_and_would_catch_a_swap() {
        assert!(layout_ok());
        let bytes = hex(LAYOUT_PROBES[0]);
        let c = reference_coordinates(&bytes).unwrap();
        // x and y exchanged: a different point, which compresses to something else.
        let swapped = from_layout([to_radix51(&c.y), to_radix51(&c.x), [1, 0, 0, 0, 0], to_radix51(&c.t)]);
        assert_ne!(swapped.compress().0, bytes);
    }

    #[test]
    fn rfc_9496_vectors() {
        let mut all: Vec<[u8; 32]> = Vec::new();
        let mut p = RistrettoPoint::default();
        for _ in 0..16 {
            all.push(p.compress().0);
            p += super::super::group::G;
        }
        for bad in [
            "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
            "f4a9e534fc0d216c44b218fa0c42d99635a0127ee2e53c712f70609649fdff22",
            "3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e",
            "445425117cb8c90edcbc7c1cc0e74f747f2c1efa5630a967c64f287792a48a4b",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        ] {
            all.push(hex(bad));
        }
        check_batch(&all);
        let decoded = decode_elements(&all);
        assert!(decoded[..16].iter().all(Option::is_some));
        assert!(decoded[16..].iter().all(Option::is_none));
    }

    /// Encodings of every class, valid and invalid.
    fn encoding() -> impl Strategy<Value = [u8; 32]> {
        let random = any::<[u8; 32]>();
        prop_oneof![
            // a valid encoding: of a random point
            any::<[u8; 64]>().prop_map(|b| RistrettoPoint::from_uniform_bytes(&b).compress().0),
            // anything: mostly non-square or negative
            random,
            // even and canonical (high bit clear): passes step 1, so the square root decides
            random.prop_map(|mut b| {
                b[0] &= 0xfe;
                b[31] &= 0x7f;
                b
            }),
            // a valid encoding + p (non-canonical), when that still fits in 255 bits, or with
            // the high bit set
            any::<[u8; 64]>().prop_map(|b| {
                let mut w = words(&RistrettoPoint::from_uniform_bytes(&b).compress().0);
                if w[3] < 1 << 62 {
                    add_words(&mut w, &P)
                } else {
                    w[3] |= 1 << 63
                }
                from_words(&w)
            }),
            // the negation of a valid s: p − s is odd (negative)
            any::<[u8; 64]>()
                .prop_map(|b| from_words(&negate(&words(&RistrettoPoint::from_uniform_bytes(&b).compress().0)))),
            // small values and values just below and above p
            (0u64..64).prop_map(|k| from_words(&[k, 0, 0, 0])),
            (1u64..64).prop_map(|k| from_words(&negate(&[k, 0, 0, 0]))),
            (0u64..64).prop_map(|k| {
                let mut w = P;
                add_small(&mut w, k);
                from_words(&w)
            }),
        ]
    }

    fn add_words(a: &mut [u64; 4], b: &[u64; 4]) {
        let mut carry = false;
        for i in 0..4 {
            let (s, c1) = a[i].overflowing_add(b[i]);
            let (s, c2) = s.overflowing_add(u64::from(carry));
            a[i] = s;
            carry = c1 || c2;
        }
    }

    fn from_words(w: &[u64; 4]) -> [u8; 32] {
        let mut out = [0u8; 32];
        for i in 0..4 {
            out[8 * i..8 * i + 8].copy_from_slice(&w[i].to_le_bytes());
        }
        out
    }

    /// Field values of every size: random, and the smallest and largest.
    fn field_value() -> impl Strategy<Value = [u64; 4]> {
        prop_oneof![
            any::<[u64; 4]>().prop_map(|w| canonical(&to_radix52([w[0], w[1], w[2], w[3] >> 1]))),
            (0u64..64).prop_map(|k| [k, 0, 0, 0]),
            (0u64..64).prop_map(|k| negate(&[k, 0, 0, 0])),
            (0u32..255).prop_map(|bit| {
                let mut w = [0u64; 4];
                w[(bit / 64) as usize] = 1 << (bit % 64);
                canonical(&to_radix52(negate(&w)))
            }),
        ]
    }

    #[test]
    fn avx2_lanes_run_where_the_cpu_has_them() {
        let batch = [[0u8; 32]; LANES];
        assert_eq!(avx2::decode16(&batch).is_some(), avx2::detected());
        if !avx2::detected() {
            eprintln!("no AVX2 on this CPU: its lanes are not tested here");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn avx2_field_agrees_with_the_model(a in field_value(), b in field_value()) {
            if let Some((product, square)) = avx2::mul_and_square(a, b) {
                prop_assert_eq!(product, model::mul_canonical(a, b));
                prop_assert_eq!(square, model::mul_canonical(a, a));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn lanes_agree_with_dalek(batch in proptest::collection::vec(encoding(), 1..40)) {
            check_batch(&batch);
        }
    }

    #[test]
    fn invalid_classes_are_all_covered() {
        // One of each class of rejection, found by the reference decoder's intermediate
        // values, so that a change of the strategy above cannot lose a class silently.
        let mut rng = rand::rng();
        let valid = RistrettoPoint::random(&mut rng).compress().0;
        let mut high_bit = valid;
        high_bit[31] |= 0x80;
        let negative = from_words(&negate(&words(&valid)));
        let (mut non_square, mut negative_t) = (None, None);
        for k in 1u64.. {
            let b = from_words(&[2 * k, 7, 0, 0]);
            if reference_coordinates(&b).is_none() {
                let mut batch = [[0u8; 32]; LANES];
                batch[0] = b;
                let slot = if model::was_square(&batch)[0] { &mut negative_t } else { &mut non_square };
                slot.get_or_insert(b);
            }
            if non_square.is_some() && negative_t.is_some() {
                break;
            }
        }
        // s = −1 is even and canonical, and makes y = 0.
        let y_zero = from_words(&constants::MINUS_ONE);
        let batch = [valid, high_bit, negative, non_square.unwrap(), negative_t.unwrap(), y_zero, valid];
        check_batch(&batch);
        let decoded = decode_elements(&batch);
        assert_eq!(
            decoded.iter().map(Option::is_some).collect::<Vec<_>>(),
            [true, false, false, false, false, false, true]
        );
    }
}
