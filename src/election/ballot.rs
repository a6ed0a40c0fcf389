//! Ballots: encrypted, proven, signed; verified singly or in batches; opened when challenged.
//!
//! A ballot names its ballot style and holds, for each contest of that style in manifest
//! order, one ciphertext per option (in manifest order), a range proof per option with the
//! option's bounds, and a range proof on the contest's sum with the contest's bounds; then the
//! voter's public credential (in its style's list) and a Schnorr signature by it, under its
//! style's base, over the ballot digest:
//!
//! ```text
//! digest = SHA-256("dauys/ballot/v2" ‖ election fingerprint ‖ u64_le(len(style)) ‖ utf8(style)
//!                  ‖ credential ‖ u64_le(#contests)
//!                  ‖ for each contest: u64_le(#options) ‖ α_1 ‖ β_1 ‖ … ‖ proof_1 ‖ … ‖ sum proof)
//! ```
//!
//! with proofs in their binary form. The proofs' transcripts name each contest by its index
//! in the manifest (not on the ballot), so a contest's proofs hold for that contest only. The
//! tracking code a voter sees commits to the ballot style and the ciphertexts, so anyone can
//! recompute it for a cast or a challenged ballot, and a challenged ballot cannot be shown
//! under another style's contests than the one the voter was shown the code for:
//!
//! ```text
//! ciphertext digest = SHA-256("dauys/ciphertexts/v2" ‖ u64_le(len(style)) ‖ utf8(style)
//!                             ‖ u64_le(#contests)
//!                             ‖ for each contest: u64_le(#options) ‖ α_1 ‖ β_1 ‖ …)
//! tracking code     = the whole ciphertext digest (256 bits) in base 32 (Crockford's
//!                     alphabet, lowercase): 52 characters in 13 groups of four
//! ```
//!
//! All 256 bits: a device that wants one code for two ballots (one with the voter's choice,
//! one with its own) must find a collision of SHA-256, 2^128 work; a shorter code of b bits
//! falls to a birthday search in 2^(b/2).
//!
//! Cast as intended (Benaloh): the ballot is encrypted and its tracking code shown first; only
//! then does the voter decide to cast it or challenge it. Its marks and nonces are revealed ([`Opening`]) and it is
//! posted as a [`SpoiledBallot`]: the ciphertexts and the opening only, with no credential,
//! signature or proof, so that the choices it reveals (usually the voter's real ones) are
//! linked to nobody. Anyone can check that the opening re-encrypts to the ciphertexts; a
//! spoiled ballot is never counted, and no cast ballot may carry its ciphertexts.

use curve25519_dalek::scalar::Scalar;
use rand::CryptoRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::ElectionError;
use super::manifest::{Manifest, Style};
use super::params::ElectionParams;
use crate::crypto::CryptoError;
use crate::crypto::batch::{Base, BatchVerifier, Item};
use crate::crypto::elgamal::{Ciphertext, CiphertextSum, KeyPair};
use crate::crypto::group::{Element, Fingerprint, SecretScalar, hex_scalars};
use crate::crypto::range::RangeProof;
use crate::crypto::schnorr::SchnorrProof;
use crate::crypto::transcript;

/// One contest of a ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncryptedContest {
    pub ciphertexts: Vec<Ciphertext>,
    pub option_proofs: Vec<RangeProof>,
    pub sum_proof: RangeProof,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ballot {
    pub contests: Vec<EncryptedContest>,
    pub credential: Element,
    pub election: Fingerprint,
    pub signature: SchnorrProof,
    /// The ballot style's id ([`Manifest::styles`]; `"all"` for a manifest without styles).
    pub style: String,
}

/// What the voter's device keeps between encrypting and casting: never leaves it unless the
/// ballot is challenged.
pub struct BallotSecrets {
    marks: Zeroizing<Vec<Vec<u64>>>,
    nonces: Vec<Vec<SecretScalar>>,
}

/// A challenged ballot's revealed marks and nonces, per contest and option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    pub contests: Vec<OpenedContest>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenedContest {
    pub marks: Vec<u64>,
    #[serde(with = "hex_scalars")]
    pub nonces: Vec<Scalar>,
}

fn ballot_error(what: impl Into<String>) -> ElectionError {
    ElectionError::Ballot(what.into())
}

impl Ballot {
    /// Encrypts `marks` (per contest, per option, as [`Manifest::marks`] gives them) on the
    /// first ballot style (for a manifest without styles, the only one).
    pub fn encrypt<R: CryptoRng + ?Sized>(
        election: &ElectionParams,
        voter: &KeyPair,
        marks: &[Vec<u64>],
        rng: &mut R,
    ) -> Result<(Ballot, BallotSecrets), ElectionError> {
        Self::encrypt_style(election, 0, voter, marks, rng)
    }

    /// Encrypts `marks` for the contests of style `style` (its index in [`Manifest::styles`];
    /// per contest of the style, per option), proves every bound and signs with the voter's
    /// credential key (under that style's base: [`ElectionParams::voter_key_in`]).
    pub fn encrypt_style<R: CryptoRng + ?Sized>(
        election: &ElectionParams,
        style: usize,
        voter: &KeyPair,
        marks: &[Vec<u64>],
        rng: &mut R,
    ) -> Result<(Ballot, BallotSecrets), ElectionError> {
        let manifest = &election.manifest;
        let styles = manifest.styles();
        let s = styles.get(style).ok_or_else(|| ballot_error(format!("no ballot style number {style}")))?;
        manifest.style_marks_fit(s, marks)?;
        let list = &election.lists[style];
        let (fp, key, credential) = (&election.fingerprint, &election.key, &voter.public);
        let prefix = transcript::OptionRangePrefix::new(fp, key.element());
        let mut contests = Vec::with_capacity(marks.len());
        let mut all_nonces = Vec::with_capacity(marks.len());
        for (&c, contest_marks) in s.contests.iter().zip(marks) {
            let contest = &manifest.contests[c];
            let c = c as u32;
            let mut ciphertexts = Vec::with_capacity(contest_marks.len());
            let mut option_proofs = Vec::with_capacity(contest_marks.len());
            let mut nonces = Vec::with_capacity(contest_marks.len());
            for (o, &m) in contest_marks.iter().enumerate() {
                let (ct, r) = key.encrypt(m, rng);
                let t = prefix.option(c, o as u32, &ct, contest.option_bounds(), credential);
                let (a, b) = (ct.alpha.point(), ct.beta.point());
                option_proofs.push(RangeProof::prove(t, key, a, b, m, r.expose(), contest.option_bounds(), rng)?);
                ciphertexts.push(ct);
                nonces.push(r);
            }
            let r_sum = SecretScalar::new(nonces.iter().map(|r| r.expose()).sum());
            let sum = Ciphertext::sum(&ciphertexts);
            let total: u64 = contest_marks.iter().sum();
            let t = transcript::contest_sum(fp, key.element(), c, &ciphertexts, contest.sum_bounds(), credential);
            let (a, b) = (sum.alpha.point(), sum.beta.point());
            let sum_proof = RangeProof::prove(t, key, a, b, total, r_sum.expose(), contest.sum_bounds(), rng)?;
            contests.push(EncryptedContest { ciphertexts, option_proofs, sum_proof });
            all_nonces.push(nonces);
        }
        let mut ballot = Ballot {
            contests,
            credential: *credential,
            election: *fp,
            signature: SchnorrProof { commitment: Element::identity(), response: Scalar::ZERO },
            style: s.id.to_string(),
        };
        let digest = ballot.digest();
        ballot.signature = SchnorrProof::prove_with_base(
            transcript::ballot_signature(fp, &digest, credential),
            &voter.secret,
            &list.base,
            rng,
        );
        Ok((ballot, BallotSecrets { marks: Zeroizing::new(marks.to_vec()), nonces: all_nonces }))
    }

    /// The digest the signature covers: everything but the signature.
    pub fn digest(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(b"dauys/ballot/v2");
        h.update(self.election.as_bytes());
        h.update((self.style.len() as u64).to_le_bytes());
        h.update(self.style.as_bytes());
        h.update(self.credential.as_bytes());
        h.update((self.contests.len() as u64).to_le_bytes());
        for c in &self.contests {
            h.update((c.ciphertexts.len() as u64).to_le_bytes());
            for ct in &c.ciphertexts {
                h.update(ct.alpha.as_bytes());
                h.update(ct.beta.as_bytes());
            }
            for p in &c.option_proofs {
                h.update(p.0.to_bytes());
            }
            h.update(c.sum_proof.0.to_bytes());
        }
        h.finalize().into()
    }

    /// The ballot's ciphertexts, per contest.
    pub fn ciphertexts(&self) -> Vec<Vec<Ciphertext>> {
        self.contests.iter().map(|c| c.ciphertexts.clone()).collect()
    }

    /// The digest of the style and the ciphertexts (see the module's description).
    pub fn ciphertext_digest(&self) -> [u8; 32] {
        ciphertext_digest(&self.style, self.contests.iter().map(|c| c.ciphertexts.as_slice()))
    }

    /// The short code a voter sees, and finds again on the board.
    pub fn tracking_code(&self) -> String {
        tracking_code(&self.ciphertext_digest())
    }

    /// The challenged form: ciphertexts and opening, nothing that names the voter. The ballot
    /// must then never be cast.
    pub fn challenge(&self, secrets: BallotSecrets) -> SpoiledBallot {
        SpoiledBallot { contests: self.ciphertexts(), opening: secrets.open(), style: self.style.clone() }
    }

    /// The ballot's style in the manifest, if it names one that exists.
    pub fn style_in<'m>(&self, manifest: &'m Manifest) -> Result<Style<'m>, ElectionError> {
        style_named(manifest, &self.style)
    }

    /// The style exists and the ballot's contests are exactly its contests: as many, each with
    /// as many ciphertexts as its manifest contest has options. Returns the style.
    pub fn check_style_contests<'m>(&self, manifest: &'m Manifest) -> Result<Style<'m>, ElectionError> {
        let style = self.style_in(manifest)?;
        let cts: Vec<usize> = self.contests.iter().map(|c| c.ciphertexts.len()).collect();
        check_contests(manifest, &style, &cts)?;
        Ok(style)
    }

    /// The shape matches the manifest: the style exists, and the ballot holds exactly its
    /// contests (one entry per contest of the style, in manifest order), one ciphertext and
    /// proof per option. Returns the style. The board and the verifier both check with this.
    pub fn check_shape<'m>(&self, manifest: &'m Manifest) -> Result<Style<'m>, ElectionError> {
        let style = self.check_style_contests(manifest)?;
        for (i, c) in self.contests.iter().enumerate() {
            if c.option_proofs.len() != c.ciphertexts.len() {
                return Err(ballot_error(format!(
                    "contest {i} has {} ciphertexts and {} proofs",
                    c.ciphertexts.len(),
                    c.option_proofs.len()
                )));
            }
        }
        Ok(style)
    }

    /// Adds every range proof of the ballot to `item`, with bounds from the manifest. The
    /// batch's shared base 0 must be the election key.
    pub fn add_proofs_to(&self, election: &ElectionParams, item: &mut Item<'_>) -> Result<(), ElectionError> {
        let style = self.check_shape(&election.manifest)?;
        let (options, sums) = self.add_proofs_split(election, &style.contests, item, None);
        options?;
        sums?;
        Ok(())
    }

    /// Adds the option proofs to `options` and the sum proofs to `sums` (to `options` when
    /// `None`), bounds from the manifest; the batch's shared base 0 must be the election key.
    /// The shape must have been checked; `contests` are the manifest indices of the ballot's
    /// contests (its style's). Returns, for option proofs and for sum proofs, the first proof
    /// whose shape does not fit its bounds (such a proof adds nothing).
    pub fn add_proofs_split<'a>(
        &self,
        election: &ElectionParams,
        contests: &[usize],
        options: &mut Item<'a>,
        mut sums: Option<&mut Item<'a>>,
    ) -> (Result<(), CryptoError>, Result<(), CryptoError>) {
        let (fp, key, cred) = (&election.fingerprint, election.key.element(), &self.credential);
        let p = |e: &Element| Base::Point(*e.point());
        let prefix = transcript::OptionRangePrefix::new(fp, key);
        let (mut options_ok, mut sums_ok) = (Ok(()), Ok(()));
        for (contest, &c) in self.contests.iter().zip(contests) {
            let mc = &election.manifest.contests[c];
            let c = c as u32;
            for (o, (ct, proof)) in contest.ciphertexts.iter().zip(&contest.option_proofs).enumerate() {
                let t = prefix.option(c, o as u32, ct, mc.option_bounds(), cred);
                let added = proof.add_to(t, Base::Shared(0), p(&ct.alpha), p(&ct.beta), mc.option_bounds(), options);
                options_ok = options_ok.and(added);
            }
            let mut sum = CiphertextSum::default();
            for ct in &contest.ciphertexts {
                sum.add(ct);
            }
            let t = transcript::contest_sum(fp, key, c, &contest.ciphertexts, mc.sum_bounds(), cred);
            let (a, b) = (Base::Point(sum.alpha), Base::Point(sum.beta));
            let item = match sums.as_deref_mut() {
                Some(item) => item,
                None => &mut *options,
            };
            sums_ok = sums_ok.and(contest.sum_proof.add_to(t, Base::Shared(0), a, b, mc.sum_bounds(), item));
        }
        (options_ok, sums_ok)
    }

    /// Adds the signature's equation `z·h = R + c·X` to `item`; `base` is how the batch holds
    /// the credential base `h` of the ballot's style (a shared base where it batches many
    /// ballots).
    pub fn add_signature_to(&self, election: &ElectionParams, base: Base, item: &mut Item<'_>) {
        let t = transcript::ballot_signature(&election.fingerprint, &self.digest(), &self.credential);
        self.signature.add_to_with_base(t, &self.credential, base, item);
    }

    /// The ballot's style and that its credential is in that style's list: the style exists,
    /// and the credential is in its list (not in another style's, nor in none).
    pub fn check_credential<'m>(&self, election: &'m ElectionParams) -> Result<Style<'m>, ElectionError> {
        let style = self.style_in(&election.manifest)?;
        if election.lists[style.index].credentials.contains(&self.credential) {
            return Ok(style);
        }
        let cred = self.credential.to_hex();
        Err(match election.find_credential(&self.credential) {
            Some((other, _)) => ballot_error(format!(
                "credential {cred} is in the list of style {:?}, not of the style it votes, {:?}",
                election.manifest.styles()[other].id,
                self.style
            )),
            None => ballot_error(format!("credential {cred} is not in the credential list")),
        })
    }

    /// Every check of one ballot, naming the first that fails: right election, style and
    /// credential in its list, shape, then proofs and signature together (and, if they fail,
    /// which).
    pub fn verify(&self, election: &ElectionParams) -> Result<(), ElectionError> {
        if self.election != election.fingerprint {
            return Err(ballot_error("is for another election (fingerprint differs)"));
        }
        let style = self.check_credential(election)?;
        self.check_shape(&election.manifest)?;
        let base = *election.lists[style.index].base.point();
        let shared = vec![*election.key.element().point(), base];
        let mut batch = BatchVerifier::with_shared_bases(shared);
        {
            let mut item = batch.item();
            self.add_proofs_to(election, &mut item)?;
            self.add_signature_to(election, Base::Shared(1), &mut item);
        }
        if batch.verify().is_ok() {
            return Ok(());
        }
        // Something failed: name it.
        let mut signature = BatchVerifier::new();
        self.add_signature_to(election, Base::Point(base), &mut signature.item());
        if signature.verify().is_err() {
            return Err(ballot_error("signature does not verify"));
        }
        Err(ballot_error("a validity proof does not verify"))
    }
}

impl BallotSecrets {
    /// Reveals everything, to challenge the ballot. The ballot must then never be cast.
    pub fn open(self) -> Opening {
        Opening {
            contests: self
                .marks
                .iter()
                .zip(&self.nonces)
                .map(|(marks, nonces)| OpenedContest {
                    marks: marks.clone(),
                    nonces: nonces.iter().map(|r| *r.expose()).collect(),
                })
                .collect(),
        }
    }
}

/// The style called `id`, or an error naming it.
pub fn style_named<'m>(manifest: &'m Manifest, id: &str) -> Result<Style<'m>, ElectionError> {
    manifest.style(id).ok_or_else(|| {
        let known: Vec<String> = manifest.styles().iter().map(|s| format!("{:?}", s.id)).collect();
        ballot_error(format!(
            "names ballot style {id:?}, which the manifest does not have (its styles: {})",
            known.join(", ")
        ))
    })
}

/// Ciphertexts per contest (`counts[i]` in the ballot's contest `i`) fit exactly the style's
/// contests: as many contests, each with its manifest contest's number of options.
fn check_contests(manifest: &Manifest, style: &Style<'_>, counts: &[usize]) -> Result<(), ElectionError> {
    if counts.len() != style.contests.len() {
        let ids: Vec<&str> = style.contests.iter().map(|&c| manifest.contests[c].id.as_str()).collect();
        return Err(ballot_error(format!(
            "has {} contests, its style {:?} has {} ({})",
            counts.len(),
            style.id,
            style.contests.len(),
            ids.join(", ")
        )));
    }
    for (i, (&n, &c)) in counts.iter().zip(&style.contests).enumerate() {
        let m = &manifest.contests[c];
        if n != m.options.len() {
            return Err(ballot_error(format!(
                "contest {i} ({:?}) has {n} ciphertexts for {} options",
                m.id,
                m.options.len()
            )));
        }
    }
    Ok(())
}

/// `SHA-256("dauys/ciphertexts/v2" ‖ u64_le(len(style)) ‖ style ‖ u64_le(#contests) ‖ per
/// contest: u64_le(#options) ‖ α ‖ β …)`.
pub fn ciphertext_digest<'a>(style: &str, contests: impl ExactSizeIterator<Item = &'a [Ciphertext]>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"dauys/ciphertexts/v2");
    h.update((style.len() as u64).to_le_bytes());
    h.update(style.as_bytes());
    h.update((contests.len() as u64).to_le_bytes());
    for c in contests {
        h.update((c.len() as u64).to_le_bytes());
        for ct in c {
            h.update(ct.alpha.as_bytes());
            h.update(ct.beta.as_bytes());
        }
    }
    h.finalize().into()
}

/// Crockford's base-32 alphabet, lowercase: no `i`, `l`, `o` or `u`.
const CODE_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Characters of a tracking code, without the dashes: 256 bits in 5-bit digits.
pub const TRACKING_CODE_DIGITS: usize = 52;

/// The tracking code of a ciphertext digest: its 256 bits, most significant first, as 52
/// base-32 digits (the last one holds the final bit and four zero bits), in 13 groups of four
/// joined by `-`.
pub fn tracking_code(ciphertext_digest: &[u8; 32]) -> String {
    let mut digits = Vec::with_capacity(TRACKING_CODE_DIGITS);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in ciphertext_digest {
        acc = (acc << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            digits.push(CODE_ALPHABET[((acc >> bits) & 31) as usize]);
        }
        acc &= (1 << bits) - 1;
    }
    digits.push(CODE_ALPHABET[((acc << (5 - bits)) & 31) as usize]);
    digits.chunks(4).map(|g| std::str::from_utf8(g).expect("ASCII")).collect::<Vec<_>>().join("-")
}

/// A tracking code as a person may type it, in the form [`tracking_code`] writes: dashes and
/// white space removed, letters lowercased, and Crockford's look-alikes read as digits
/// (`i`, `l` as `1`; `o` as `0`). Two codes are the same iff their normal forms are equal.
pub fn normalize_tracking_code(text: &str) -> String {
    text.chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| match c.to_ascii_lowercase() {
            'i' | 'l' => '1',
            'o' => '0',
            c => c,
        })
        .collect()
}

/// A challenged ballot as the board posts it: its ciphertexts per contest and their opening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpoiledBallot {
    pub contests: Vec<Vec<Ciphertext>>,
    pub opening: Opening,
    /// The ballot style's id, as on the ballot.
    pub style: String,
}

impl SpoiledBallot {
    pub fn ciphertext_digest(&self) -> [u8; 32] {
        ciphertext_digest(&self.style, self.contests.iter().map(Vec::as_slice))
    }

    pub fn tracking_code(&self) -> String {
        tracking_code(&self.ciphertext_digest())
    }

    /// The opening re-encrypts to the ciphertexts, with marks that fit the manifest; the marks.
    pub fn check(&self, election: &ElectionParams) -> Result<Vec<Vec<u64>>, ElectionError> {
        let style = style_named(&election.manifest, &self.style)?;
        self.opening.check(&self.contests, &style, election)
    }
}

impl Opening {
    /// Checks that every ciphertext is `Enc(mark; nonce)` under the election key, with marks
    /// that fit the style's contests; returns the marks. Variable time: everything here is
    /// public.
    pub fn check(
        &self,
        contests: &[Vec<Ciphertext>],
        style: &Style<'_>,
        election: &ElectionParams,
    ) -> Result<Vec<Vec<u64>>, ElectionError> {
        let counts: Vec<usize> = contests.iter().map(Vec::len).collect();
        let shape_ok = check_contests(&election.manifest, style, &counts).is_ok();
        if !shape_ok || self.contests.len() != contests.len() {
            return Err(ballot_error(format!(
                "(challenged): the ciphertexts or the opening do not match the contests of style {:?}",
                style.id
            )));
        }
        let marks: Vec<Vec<u64>> = self.contests.iter().map(|c| c.marks.clone()).collect();
        election.manifest.style_marks_fit(style, &marks)?;
        for (i, (opened, cts)) in self.contests.iter().zip(contests).enumerate() {
            if opened.nonces.len() != cts.len() {
                return Err(ballot_error(format!(
                    "(challenged): opening of contest {i} has the wrong number of nonces"
                )));
            }
            for (o, ((m, r), ct)) in opened.marks.iter().zip(&opened.nonces).zip(cts).enumerate() {
                if !ct.opens_to(election.key.element(), *m, r) {
                    return Err(ballot_error(format!(
                        "(challenged): contest {i} option {o} does not open to the revealed mark"
                    )));
                }
            }
        }
        Ok(marks)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::election::credential::{Credential, CredentialList};
    use crate::election::manifest::tests::sample;

    /// An election over the sample manifest with `voters` credentials and a single-key
    /// "joint" key (the trustee ceremony is tested elsewhere).
    pub(crate) fn election(voters: usize) -> (ElectionParams, Vec<KeyPair>) {
        let mut rng = rand::rng();
        let manifest = sample();
        let creds: Vec<Credential> = (0..voters).map(|_| Credential::generate(&mut rng)).collect();
        let keys: Vec<KeyPair> = creds.iter().map(|c| c.key_pair(&manifest.election_id)).collect();
        let list = CredentialList::new(keys.iter().map(|k| k.public).collect()).unwrap();
        let joint = KeyPair::generate(&mut rng).public;
        let vks = (0..3).map(|_| KeyPair::generate(&mut rng).public).collect();
        (ElectionParams::new(manifest, joint, vks, list).unwrap(), keys)
    }

    #[test]
    fn a_ballot_verifies_and_every_fault_is_named() {
        let (e, voters) = election(3);
        let mut rng = rand::rng();
        let marks = vec![vec![1, 0], vec![1, 0, 1]];
        let (ballot, secrets) = Ballot::encrypt(&e, &voters[0], &marks, &mut rng).unwrap();
        ballot.verify(&e).unwrap();
        assert_eq!(ballot.tracking_code().len(), 64);

        let mut other = ballot.clone();
        other.election = Fingerprint([0; 32]);
        assert!(other.verify(&e).unwrap_err().to_string().contains("another election"));

        let outsider = KeyPair::generate(&mut rng);
        let (stranger, _) = Ballot::encrypt(&e, &outsider, &marks, &mut rng).unwrap();
        assert!(stranger.verify(&e).unwrap_err().to_string().contains("not in the credential list"));

        // Replayed under another voter's credential (and re-signed by that voter).
        let mut replay = ballot.clone();
        replay.credential = voters[1].public;
        replay.signature = SchnorrProof::prove(
            transcript::ballot_signature(&e.fingerprint, &replay.digest(), &voters[1].public),
            &voters[1].secret,
            &mut rng,
        );
        assert!(replay.verify(&e).unwrap_err().to_string().contains("validity proof"));

        let mut swapped = ballot.clone();
        swapped.contests[1].ciphertexts.swap(0, 1);
        assert!(swapped.verify(&e).is_err());

        let mut resigned_swap = swapped.clone();
        resigned_swap.signature = SchnorrProof::prove(
            transcript::ballot_signature(&e.fingerprint, &resigned_swap.digest(), &voters[0].public),
            &voters[0].secret,
            &mut rng,
        );
        assert!(resigned_swap.verify(&e).unwrap_err().to_string().contains("validity proof"));

        let mut short = ballot.clone();
        short.contests[1].ciphertexts.pop();
        assert!(short.verify(&e).unwrap_err().to_string().contains("2 ciphertexts"));

        let spoiled = ballot.challenge(secrets);
        assert_eq!(spoiled.check(&e).unwrap(), marks);
        assert_eq!(spoiled.tracking_code(), ballot.tracking_code());
        let json = serde_json::to_string(&spoiled).unwrap();
        assert!(!json.contains(&voters[0].public.to_hex()), "a challenged ballot names nobody");
        let mut lie = spoiled.clone();
        lie.opening.contests[0].marks = vec![0, 1];
        assert!(lie.check(&e).is_err());
        let mut other_nonce = spoiled.clone();
        other_nonce.opening.contests[1].nonces[2] += Scalar::ONE;
        assert!(other_nonce.check(&e).is_err());
    }

    #[test]
    fn tracking_codes_are_the_whole_digest_in_groups() {
        // Every bit of the digest shows: 0…0 and 1…1, and a single bit at each end.
        let zeros = tracking_code(&[0; 32]);
        assert_eq!(zeros, ["0000"; 13].join("-"));
        assert_eq!(tracking_code(&[0xff; 32]), format!("{}-zzzg", ["zzzz"; 12].join("-")));
        let mut first = [0u8; 32];
        first[0] = 0x80;
        assert!(tracking_code(&first).starts_with("g000-"));
        let mut last = [0u8; 32];
        last[31] = 1;
        assert!(tracking_code(&last).ends_with("-000g"));
        let code = tracking_code(&[0x5a; 32]);
        assert_eq!(code.len(), 64);
        let groups: Vec<&str> = code.split('-').collect();
        assert_eq!(groups.len(), 13);
        assert!(groups.iter().all(|g| g.len() == 4 && g.bytes().all(|c| CODE_ALPHABET.contains(&c))));
        assert_eq!(normalize_tracking_code(&code.to_uppercase().replace('-', " ")), code.replace('-', ""));
        assert_eq!(normalize_tracking_code("O1-IL"), "0111");
    }

    proptest::proptest! {
        /// Different digests never share a code: the code is a bijective encoding of the
        /// 256 bits (decoded back here), so a collision of codes is a collision of SHA-256.
        #[test]
        fn codes_encode_the_digest_exactly(a in proptest::array::uniform32(0u8..), b in proptest::array::uniform32(0u8..)) {
            let decode = |code: &str| {
                let mut out = [0u8; 32];
                let bits: Vec<u8> = normalize_tracking_code(code)
                    .bytes()
                    .flat_map(|c| {
                        let v = CODE_ALPHABET.iter().position(|&x| x == c).expect("alphabet") as u8;
                        (0..5).rev().map(move |k| (v >> k) & 1)
                    })
                    .collect();
                for (i, bit) in bits.iter().take(256).enumerate() {
                    out[i / 8] |= bit << (7 - i % 8);
                }
                assert!(bits[256..].iter().all(|b| *b == 0), "padding bits are zero");
                out
            };
            proptest::prop_assert_eq!(decode(&tracking_code(&a)), a);
            proptest::prop_assert_eq!(tracking_code(&a) == tracking_code(&b), a == b);
        }
    }

    #[test]
    fn ballots_with_different_ciphertexts_have_different_codes() {
        let (e, voters) = election(1);
        let mut rng = rand::rng();
        let marks = vec![vec![1, 0], vec![1, 0, 1]];
        let (ballot, _) = Ballot::encrypt(&e, &voters[0], &marks, &mut rng).unwrap();
        let code = ballot.tracking_code();
        // Any one ciphertext changed, by any one point: another code.
        for c in 0..ballot.contests.len() {
            for o in 0..ballot.contests[c].ciphertexts.len() {
                for beta in [false, true] {
                    let mut other = ballot.clone();
                    let ct = &mut other.contests[c].ciphertexts[o];
                    let p = if beta { &mut ct.beta } else { &mut ct.alpha };
                    *p = Element::from_point(p.point() + crate::crypto::group::G);
                    assert_ne!(other.tracking_code(), code, "contest {c} option {o}");
                }
            }
        }
        // Re-encrypting the same choices gives another code; re-signing does not change it.
        assert_ne!(Ballot::encrypt(&e, &voters[0], &marks, &mut rng).unwrap().0.tracking_code(), code);
        let mut resigned = ballot.clone();
        resigned.signature.response += Scalar::ONE;
        assert_eq!(resigned.tracking_code(), code, "the code commits to the ciphertexts only");
    }

    #[test]
    fn choices_outside_the_rules_are_refused_before_encryption() {
        let (e, voters) = election(1);
        let mut rng = rand::rng();
        for marks in [
            vec![vec![1, 1], vec![0, 0, 0]],
            vec![vec![1, 0], vec![1, 1, 1]],
            vec![vec![1, 0]],
            vec![vec![2, 0], vec![0, 0, 0]],
        ] {
            assert!(matches!(Ballot::encrypt(&e, &voters[0], &marks, &mut rng), Err(ElectionError::Choice(_))));
        }
    }

    #[test]
    fn json_round_trip_is_canonical() {
        let (e, voters) = election(1);
        let (ballot, _) = Ballot::encrypt(&e, &voters[0], &[vec![0, 1], vec![0, 0, 0]], &mut rand::rng()).unwrap();
        let json = serde_json::to_string(&ballot).unwrap();
        let back: Ballot = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ballot);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), json);
        back.verify(&e).unwrap();
    }
}
