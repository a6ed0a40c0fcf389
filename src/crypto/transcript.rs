//! Every Fiat–Shamir transcript of dauys, in one module.
//!
//! A transcript is a merlin transcript (STROBE-128) whose label names the proof kind. It
//! absorbs, in this order, and the types below make any other order impossible:
//!
//! 1. `protocol` = `"dauys"`, `version` = 1 (u64, little-endian);
//! 2. `fingerprint`: the 32-byte election fingerprint (or setup fingerprint for the key
//!    ceremony, before the joint key exists);
//! 3. the full statement: keys, ciphertexts, bounds, contest and option indices;
//! 4. `credential`: the voter's public credential (32 bytes), or the empty string for
//!    proofs that no voter makes;
//! 5. the prover's commitments, each under the label `commitment`;
//!
//! and then squeezes 64 bytes under `challenge`, reduced mod ℓ. Binding the statement and
//! the context before the commitments is what makes the proofs immune to the weak
//! Fiat–Shamir attacks on Helios (a proof cannot be moved to another statement) and to
//! ballot replay (a proof cannot be moved to another credential or election).
//!
//! `specs/protocol.md` §4 lists each transcript below with its exact inputs.

use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;

use super::elgamal::Ciphertext;
use super::group::{Element, Fingerprint};

pub const PROTOCOL: &[u8] = b"dauys";
pub const VERSION: u64 = 1;

/// Transcript labels, one per proof kind.
pub mod label {
    pub const OPTION_RANGE: &[u8] = b"dauys/option-range";
    pub const CONTEST_SUM: &[u8] = b"dauys/contest-sum";
    pub const BALLOT_SIGNATURE: &[u8] = b"dauys/ballot-signature";
    pub const COEFFICIENT_POK: &[u8] = b"dauys/coefficient-pok";
    pub const TRANSPORT_KEY_POK: &[u8] = b"dauys/transport-key-pok";
    pub const DECRYPTION_SHARE: &[u8] = b"dauys/decryption-share";
    pub const COMPLAINT: &[u8] = b"dauys/complaint";
    pub const EPHEMERAL_POK: &[u8] = b"dauys/ephemeral-pok";
    pub const READY: &[u8] = b"dauys/ready";
    pub const SHARE_ENCRYPTION: &[u8] = b"dauys/share-encryption";
    pub const CHECKPOINT: &[u8] = b"dauys/checkpoint";
    pub const WITNESS_COSIGNATURE: &[u8] = b"dauys/witness-cosignature";
    pub const STAFF_REQUEST: &[u8] = b"dauys/staff-request";
    pub const TRANSPORT_KEY_SIGNATURE: &[u8] = b"dauys/transport-key-signature";
    pub const TRUSTEE_EVENT_SIGNATURE: &[u8] = b"dauys/trustee-event-signature";
    pub const CREDENTIAL_POK: &[u8] = b"dauys/credential-pok";
}

/// Phase 3: the statement is being absorbed.
#[derive(Clone)]
struct StatementPhase(Transcript);

/// Phase 5: statement and credential are bound; the prover's commitments come next, then the
/// challenge.
#[derive(Clone)]
pub struct ChallengeTranscript(Transcript);

impl StatementPhase {
    fn start(label: &'static [u8], fingerprint: &Fingerprint) -> Self {
        let mut t = Transcript::new(label);
        t.append_message(b"protocol", PROTOCOL);
        t.append_u64(b"version", VERSION);
        t.append_message(b"fingerprint", fingerprint.as_bytes());
        StatementPhase(t)
    }

    fn point(mut self, label: &'static [u8], p: &Element) -> Self {
        self.0.append_message(label, p.as_bytes());
        self
    }

    fn u64(mut self, label: &'static [u8], x: u64) -> Self {
        self.0.append_u64(label, x);
        self
    }

    fn ciphertext(self, c: &Ciphertext) -> Self {
        self.point(b"alpha", &c.alpha).point(b"beta", &c.beta)
    }

    fn credential(mut self, credential: Option<&Element>) -> ChallengeTranscript {
        let bytes: &[u8] = credential.map_or(&[], |c| c.as_bytes());
        self.0.append_message(b"credential", bytes);
        ChallengeTranscript(self.0)
    }
}

impl ChallengeTranscript {
    /// Absorbs one commitment of the prover.
    pub fn commit(&mut self, p: &Element) {
        self.0.append_message(b"commitment", p.as_bytes());
    }

    /// The challenge: 64 bytes squeezed under `challenge`, reduced mod ℓ.
    pub fn challenge(mut self) -> Scalar {
        let mut wide = [0u8; 64];
        self.0.challenge_bytes(b"challenge", &mut wide);
        Scalar::from_bytes_mod_order_wide(&wide)
    }
}

/// The range proof on one option's ciphertext: `Enc(m)` with `m ∈ [lo, hi]`.
pub fn option_range(
    election: &Fingerprint,
    key: &Element,
    contest: u32,
    option: u32,
    ciphertext: &Ciphertext,
    bounds: (u64, u64),
    credential: &Element,
) -> ChallengeTranscript {
    OptionRangePrefix::new(election, key).option(contest, option, ciphertext, bounds, credential)
}

/// What every option-range transcript of one election starts with (label, protocol, version,
/// fingerprint, key), absorbed once and cloned for each option: the same transcripts as
/// [`option_range`], without re-hashing the common part.
#[derive(Clone)]
pub struct OptionRangePrefix(StatementPhase);

impl OptionRangePrefix {
    pub fn new(election: &Fingerprint, key: &Element) -> Self {
        OptionRangePrefix(StatementPhase::start(label::OPTION_RANGE, election).point(b"key", key))
    }

    pub fn option(
        &self,
        contest: u32,
        option: u32,
        ciphertext: &Ciphertext,
        (lo, hi): (u64, u64),
        credential: &Element,
    ) -> ChallengeTranscript {
        self.0
            .clone()
            .u64(b"contest", contest.into())
            .u64(b"option", option.into())
            .ciphertext(ciphertext)
            .u64(b"lo", lo)
            .u64(b"hi", hi)
            .credential(Some(credential))
    }
}

/// The range proof on a contest's sum: the sum of `ciphertexts` (every option of the contest,
/// in order) encrypts a value in `[lo, hi]`. The summands are absorbed, not the sum, so the
/// verifier need not encode the sum.
pub fn contest_sum(
    election: &Fingerprint,
    key: &Element,
    contest: u32,
    ciphertexts: &[Ciphertext],
    (lo, hi): (u64, u64),
    credential: &Element,
) -> ChallengeTranscript {
    let mut t = StatementPhase::start(label::CONTEST_SUM, election)
        .point(b"key", key)
        .u64(b"contest", contest.into())
        .u64(b"options", ciphertexts.len() as u64);
    for c in ciphertexts {
        t = t.ciphertext(c);
    }
    t.u64(b"lo", lo).u64(b"hi", hi).credential(Some(credential))
}

/// A ballot's Schnorr signature by its credential key over `message` (the ballot digest).
pub fn ballot_signature(election: &Fingerprint, message: &[u8; 32], credential: &Element) -> ChallengeTranscript {
    let mut t = StatementPhase::start(label::BALLOT_SIGNATURE, election);
    t.0.append_message(b"message", message);
    t.credential(Some(credential))
}

/// A trustee's proof of knowledge of the discrete log of its coefficient commitment
/// `C_{i,k} = a_{i,k}·g`.
pub fn coefficient_pok(setup: &Fingerprint, trustee: u32, index: u32, commitment: &Element) -> ChallengeTranscript {
    StatementPhase::start(label::COEFFICIENT_POK, setup)
        .u64(b"trustee", trustee.into())
        .u64(b"index", index.into())
        .point(b"commitment-key", commitment)
        .credential(None)
}

/// A trustee's proof of knowledge of the secret of its share-transport key `E_i = e_i·g`.
pub fn transport_key_pok(setup: &Fingerprint, trustee: u32, key: &Element) -> ChallengeTranscript {
    StatementPhase::start(label::TRANSPORT_KEY_POK, setup)
        .u64(b"trustee", trustee.into())
        .point(b"transport-key", key)
        .credential(None)
}

/// Trustee `i`'s Schnorr signature by its identity key `I_i` (named in the manifest, so bound
/// by `F_s`) over its transport key `E_i`: the seat's holder, and nobody else, chose `E_i`.
pub fn transport_key_signature(
    setup: &Fingerprint,
    trustee: u32,
    key: &Element,
    identity: &Element,
) -> ChallengeTranscript {
    StatementPhase::start(label::TRANSPORT_KEY_SIGNATURE, setup)
        .u64(b"trustee", trustee.into())
        .point(b"transport-key", key)
        .point(b"identity-key", identity)
        .credential(None)
}

/// Trustee `i`'s Schnorr signature by its transport key `E_i` over one of its events (dealing,
/// complaint, ready or decryption): the event's kind and the SHA-256 digest of its payload
/// without the signature.
pub fn trustee_event_signature(
    setup: &Fingerprint,
    trustee: u32,
    kind: &str,
    digest: &[u8; 32],
    key: &Element,
) -> ChallengeTranscript {
    let mut t = StatementPhase::start(label::TRUSTEE_EVENT_SIGNATURE, setup).u64(b"trustee", trustee.into());
    t.0.append_message(b"kind", kind.as_bytes());
    t.0.append_message(b"digest", digest);
    t.point(b"transport-key", key).credential(None)
}

/// A registering voter's proof of knowledge of its credential's secret, `X = x·g`, bound to the
/// election and the roll entry: without it, a registrant could register `k·X_b` for another
/// voter's `X_b` and find that voter's credential after the shuffles (§13.9).
pub fn credential_pok(setup: &Fingerprint, pseudonym: &[u8; 32], credential: &Element) -> ChallengeTranscript {
    let mut t = StatementPhase::start(label::CREDENTIAL_POK, setup);
    t.0.append_message(b"pseudonym", pseudonym);
    t.point(b"credential-key", credential).credential(None)
}

/// A dealer's proof of knowledge of the ephemeral secret `r` of one encrypted share,
/// `R = r·g`, bound to everything the share is: the dealer, the recipient, the recipient's
/// transport key and the share's ciphertext. With it, the Diffie–Hellman secret that a
/// complaint reveals, `S = e_j·R = r·E_j`, is one the dealer could compute itself.
pub fn ephemeral_pok(
    setup: &Fingerprint,
    dealer: u32,
    recipient: u32,
    ephemeral: &Element,
    recipient_key: &Element,
    ciphertext: &[u8],
) -> ChallengeTranscript {
    let mut t = StatementPhase::start(label::EPHEMERAL_POK, setup)
        .u64(b"dealer", dealer.into())
        .u64(b"recipient", recipient.into())
        .point(b"ephemeral", ephemeral)
        .point(b"transport-key", recipient_key);
    t.0.append_message(b"ciphertext", ciphertext);
    t.credential(None)
}

/// A trustee's rehearsal before voting opens: a proof of knowledge of its key share `s_j`
/// for `VK_j = s_j·g`, bound to the joint key it was computed for and to the trustee's
/// commitment to its lot seed.
pub fn ready(
    setup: &Fingerprint,
    trustee: u32,
    verification_key: &Element,
    joint_key: &Element,
    lot_commitment: &[u8; 32],
) -> ChallengeTranscript {
    let mut t = StatementPhase::start(label::READY, setup)
        .u64(b"trustee", trustee.into())
        .point(b"verification-key", verification_key)
        .point(b"joint-key", joint_key);
    t.0.append_message(b"lot-commitment", lot_commitment);
    t.credential(None)
}

/// A decryption share `D_i = s_i·α` of ciphertext `(α, β)` with its Chaum–Pedersen proof
/// `log_g VK_i = log_α D_i`. `position` identifies the ciphertext in the tally.
pub fn decryption_share(
    election: &Fingerprint,
    trustee: u32,
    position: (u32, u32),
    ciphertext: &Ciphertext,
    verification_key: &Element,
    share: &Element,
) -> ChallengeTranscript {
    StatementPhase::start(label::DECRYPTION_SHARE, election)
        .u64(b"trustee", trustee.into())
        .u64(b"contest", position.0.into())
        .u64(b"option", position.1.into())
        .ciphertext(ciphertext)
        .point(b"verification-key", verification_key)
        .point(b"share", share)
        .credential(None)
}

/// A complaint: the recipient reveals the Diffie–Hellman secret `S = e_j·R` of an encrypted
/// share and proves `log_g E_j = log_R S`, so that anyone can decrypt and judge the share.
pub fn complaint(
    setup: &Fingerprint,
    dealer: u32,
    recipient: u32,
    ephemeral: &Element,
    recipient_key: &Element,
    shared: &Element,
) -> ChallengeTranscript {
    StatementPhase::start(label::COMPLAINT, setup)
        .u64(b"dealer", dealer.into())
        .u64(b"recipient", recipient.into())
        .point(b"ephemeral", ephemeral)
        .point(b"transport-key", recipient_key)
        .point(b"shared", shared)
        .credential(None)
}

/// A signed checkpoint of the bulletin board: the board's key signs `(size, root)` of its log.
pub fn checkpoint(setup: &Fingerprint, board_key: &Element, size: u64, root: &[u8; 32]) -> ChallengeTranscript {
    let mut t = StatementPhase::start(label::CHECKPOINT, setup).point(b"board-key", board_key).u64(b"size", size);
    t.0.append_message(b"root", root);
    t.credential(None)
}

/// A witness's co-signature of a board checkpoint: the witness key `W` signs `(size, root)`
/// of the board with key `B`, after checking it is consistent with every checkpoint it saw.
pub fn witness_cosignature(
    setup: &Fingerprint,
    board_key: &Element,
    witness: &Element,
    size: u64,
    root: &[u8; 32],
) -> ChallengeTranscript {
    let mut t = StatementPhase::start(label::WITNESS_COSIGNATURE, setup)
        .point(b"board-key", board_key)
        .point(b"witness-key", witness)
        .u64(b"size", size);
    t.0.append_message(b"root", root);
    t.credential(None)
}

/// A request of election staff to the board over HTTP (operator or trustee), signed by the
/// role's key: the board (its key), the role, the request line and a digest of the body, and a
/// nonce the board issued, so that a signed request is good for this board, this request and
/// once. Access control only: the log's verifiability does not depend on it.
pub fn staff_request(
    setup: &Fingerprint,
    board_key: &Element,
    role: &str,
    method: &str,
    path: &str,
    body_sha256: &[u8; 32],
    nonce: &[u8],
) -> ChallengeTranscript {
    let mut t = StatementPhase::start(label::STAFF_REQUEST, setup).point(b"board-key", board_key);
    t.0.append_message(b"role", role.as_bytes());
    t.0.append_message(b"method", method.as_bytes());
    t.0.append_message(b"path", path.as_bytes());
    t.0.append_message(b"body-sha256", body_sha256);
    t.0.append_message(b"nonce", nonce);
    t.credential(None)
}

/// The 32-byte ChaCha20-Poly1305 key for the share from `dealer` to `recipient`, derived from
/// the Diffie–Hellman secret `S = r·E_j = e_j·R`. Not a proof: the same transcript
/// discipline, squeezed under `key` instead of `challenge`.
pub fn share_encryption_key(
    setup: &Fingerprint,
    dealer: u32,
    recipient: u32,
    ephemeral: &Element,
    recipient_key: &Element,
    shared: &Element,
) -> zeroize::Zeroizing<[u8; 32]> {
    let mut t = StatementPhase::start(label::SHARE_ENCRYPTION, setup)
        .u64(b"dealer", dealer.into())
        .u64(b"recipient", recipient.into())
        .point(b"ephemeral", ephemeral)
        .point(b"transport-key", recipient_key)
        .point(b"shared", shared)
        .credential(None);
    let mut key = zeroize::Zeroizing::new([0u8; 32]);
    t.0.challenge_bytes(b"key", key.as_mut());
    key
}

// ---------------------------------------------------------------------------------------
// The verifiable shuffle of credentials (`specs/protocol.md` §13).

/// Kind label of the shuffle transcript.
pub const SHUFFLE: &[u8] = b"dauys/shuffle";

/// A shuffle transcript with its statement absorbed: steps 0–5 of §4.2 with the statement
/// `shuffler`, `list`, `base`, `new-base`, `count` and every input and output encoding.
/// The permutation commitments come next ([`ShufflePermutationPhase::permutation`]).
pub struct ShufflePermutationPhase(Transcript);

/// A shuffle transcript after the permutation commitments: the chain, the five commitments
/// and the chain commitments come next, then the challenge.
pub struct ShuffleCommitmentPhase(Transcript);

/// The state from which the per-element challenges `u_i` are derived: the shuffle transcript
/// just after the permutation commitments. Each challenge is squeezed from its own copy, so
/// they can be computed in any order and in parallel.
#[derive(Clone)]
pub struct ShuffleElementChallenges(Transcript);

/// The transcript of a shuffle by `shuffler` of list `list` in the context `fingerprint` (the
/// setup fingerprint): `base` and `new_base` are `h` and `h'`, `input` and `output` the two
/// lists as canonical encodings, in their order.
pub fn shuffle(
    fingerprint: &Fingerprint,
    shuffler: u32,
    list: u32,
    base: &Element,
    new_base: &Element,
    input: &[[u8; 32]],
    output: &[[u8; 32]],
) -> ShufflePermutationPhase {
    let mut t = StatementPhase::start(SHUFFLE, fingerprint)
        .u64(b"shuffler", shuffler.into())
        .u64(b"list", list.into())
        .point(b"base", base)
        .point(b"new-base", new_base)
        .u64(b"count", input.len() as u64);
    for x in input {
        t.0.append_message(b"input", x);
    }
    for x in output {
        t.0.append_message(b"output", x);
    }
    ShufflePermutationPhase(t.credential(None).0)
}

impl ShufflePermutationPhase {
    /// Absorbs the permutation commitments `c_0 … c_{N−1}`, each under `commitment`; returns
    /// the source of the per-element challenges and the transcript for the rest of the proof.
    pub fn permutation(mut self, commitments: &[[u8; 32]]) -> (ShuffleElementChallenges, ShuffleCommitmentPhase) {
        for c in commitments {
            self.0.append_message(b"commitment", c);
        }
        (ShuffleElementChallenges(self.0.clone()), ShuffleCommitmentPhase(self.0))
    }
}

impl ShuffleElementChallenges {
    /// `u_i`: a copy of the transcript absorbs `element` = LE64(i), then squeezes 64 bytes
    /// under `challenge`, reduced mod ℓ.
    pub fn challenge(&self, index: u64) -> Scalar {
        let mut t = self.0.clone();
        t.append_u64(b"element", index);
        let mut wide = [0u8; 64];
        t.challenge_bytes(b"challenge", &mut wide);
        Scalar::from_bytes_mod_order_wide(&wide)
    }
}

impl ShuffleCommitmentPhase {
    /// Absorbs one commitment (an encoding) under `commitment`.
    pub fn commit(&mut self, p: &[u8; 32]) {
        self.0.append_message(b"commitment", p);
    }

    /// The challenge: 64 bytes squeezed under `challenge`, reduced mod ℓ.
    pub fn challenge(self) -> Scalar {
        ChallengeTranscript(self.0).challenge()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(b: u8) -> Fingerprint {
        Fingerprint([b; 32])
    }

    #[test]
    fn every_input_changes_the_challenge() {
        let g = Element::generator();
        let h = Element::from_point(g.point() + g.point());
        let c = Ciphertext { alpha: g, beta: h };
        let base = option_range(&fp(1), &g, 0, 1, &c, (0, 1), &h).challenge();
        let variants = [
            option_range(&fp(2), &g, 0, 1, &c, (0, 1), &h),
            option_range(&fp(1), &h, 0, 1, &c, (0, 1), &h),
            option_range(&fp(1), &g, 1, 1, &c, (0, 1), &h),
            option_range(&fp(1), &g, 0, 2, &c, (0, 1), &h),
            option_range(&fp(1), &g, 0, 1, &Ciphertext { alpha: h, beta: g }, (0, 1), &h),
            option_range(&fp(1), &g, 0, 1, &c, (0, 2), &h),
            option_range(&fp(1), &g, 0, 1, &c, (1, 1), &h),
            option_range(&fp(1), &g, 0, 1, &c, (0, 1), &g),
        ];
        for (i, t) in variants.into_iter().enumerate() {
            assert_ne!(t.challenge(), base, "variant {i} did not change the challenge");
        }
        let mut with_commitment = option_range(&fp(1), &g, 0, 1, &c, (0, 1), &h);
        with_commitment.commit(&g);
        assert_ne!(with_commitment.challenge(), base);
    }

    #[test]
    fn ephemeral_and_ready_statements_are_bound() {
        let g = Element::generator();
        let h = Element::from_point(g.point() + g.point());
        let ct = [5u8; 48];
        let base = ephemeral_pok(&fp(1), 1, 2, &g, &h, &ct).challenge();
        let mut other_ct = ct;
        other_ct[47] ^= 1;
        for (i, t) in [
            ephemeral_pok(&fp(2), 1, 2, &g, &h, &ct),
            ephemeral_pok(&fp(1), 3, 2, &g, &h, &ct),
            ephemeral_pok(&fp(1), 1, 3, &g, &h, &ct),
            ephemeral_pok(&fp(1), 1, 2, &h, &h, &ct),
            ephemeral_pok(&fp(1), 1, 2, &g, &g, &ct),
            ephemeral_pok(&fp(1), 1, 2, &g, &h, &other_ct),
        ]
        .into_iter()
        .enumerate()
        {
            assert_ne!(t.challenge(), base, "ephemeral variant {i}");
        }
        let base = ready(&fp(1), 1, &g, &h, &[0; 32]).challenge();
        for (i, t) in [
            ready(&fp(2), 1, &g, &h, &[0; 32]),
            ready(&fp(1), 2, &g, &h, &[0; 32]),
            ready(&fp(1), 1, &h, &h, &[0; 32]),
            ready(&fp(1), 1, &g, &g, &[0; 32]),
            ready(&fp(1), 1, &g, &h, &[1; 32]),
        ]
        .into_iter()
        .enumerate()
        {
            assert_ne!(t.challenge(), base, "ready variant {i}");
        }
    }

    #[test]
    fn kinds_are_domain_separated() {
        let g = Element::generator();
        // Same fingerprint, indices and point: a proof of one kind never serves as another.
        let a = coefficient_pok(&fp(1), 1, 0, &g).challenge();
        let b = transport_key_pok(&fp(1), 1, &g).challenge();
        assert_ne!(a, b);
        let c = ephemeral_pok(&fp(1), 1, 0, &g, &g, &[]).challenge();
        let d = ready(&fp(1), 1, &g, &g, &[0; 32]).challenge();
        assert!(c != a && c != b && d != a && d != b && c != d);
        let e = transport_key_signature(&fp(1), 1, &g, &g).challenge();
        let f = trustee_event_signature(&fp(1), 1, "ready", &[0; 32], &g).challenge();
        assert!([a, b, c, d].iter().all(|x| *x != e && *x != f) && e != f);
    }

    #[test]
    fn trustee_signatures_bind_their_statements() {
        let g = Element::generator();
        let h = Element::from_point(g.point() + g.point());
        let base = transport_key_signature(&fp(1), 1, &g, &h).challenge();
        for (i, t) in [
            transport_key_signature(&fp(2), 1, &g, &h),
            transport_key_signature(&fp(1), 2, &g, &h),
            transport_key_signature(&fp(1), 1, &h, &h),
            transport_key_signature(&fp(1), 1, &g, &g),
        ]
        .into_iter()
        .enumerate()
        {
            assert_ne!(t.challenge(), base, "transport-key signature variant {i}");
        }
        let base = trustee_event_signature(&fp(1), 1, "dealing", &[0; 32], &g).challenge();
        for (i, t) in [
            trustee_event_signature(&fp(2), 1, "dealing", &[0; 32], &g),
            trustee_event_signature(&fp(1), 2, "dealing", &[0; 32], &g),
            trustee_event_signature(&fp(1), 1, "ready", &[0; 32], &g),
            trustee_event_signature(&fp(1), 1, "dealing", &[1; 32], &g),
            trustee_event_signature(&fp(1), 1, "dealing", &[0; 32], &h),
        ]
        .into_iter()
        .enumerate()
        {
            assert_ne!(t.challenge(), base, "trustee-event signature variant {i}");
        }
    }
}
