//! The tally: which ballots count, their homomorphic sum, its threshold decryption, and the
//! result.
//!
//! ```text
//! counted   the last cast ballot of each credential (revote policy `last_counts`), or the
//!           only one (`refused`); spoiled ballots never
//! tally     T_{c,o} = Σ_{counted b whose style carries c} b.ciphertext_{c,o}
//!                                                                 per contest c, option o
//! turnout   per ballot style, the number of counted ballots of that style
//! shares    D_{i,c,o} = s_i·α(T_{c,o}) with proofs, from at least t trustees
//! counts    m_{c,o}·g = β(T_{c,o}) − Σ_i λ_i·D_{i,c,o}; m by baby-step giant-step ≤ #counted
//! result    each contest's outcome from its counts (see `counting`)
//! ```

use std::collections::HashMap;

use rand::CryptoRng;
use serde::{Deserialize, Serialize};

use super::ElectionError;
use super::ballot::Ballot;
use super::counting::{Outcome, outcome};
use super::manifest::{Manifest, RevotePolicy};
use super::params::ElectionParams;
use crate::crypto::batch::BatchVerifier;
use crate::crypto::dlog::DlogTable;
use crate::crypto::elgamal::{Ciphertext, CiphertextSum};
use crate::crypto::group::{Element, Fingerprint, SecretScalar, hex_bytes32_option};
use crate::crypto::schnorr::SchnorrProof;
use crate::crypto::threshold::decryption::{DecryptionShare, combine};
use crate::crypto::threshold::signed::SeatSigned;

/// The encrypted totals, per contest and option (in manifest order), of `ballots` counted
/// ballots; each contest sums the ballots whose style carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncryptedTally {
    pub ballots: u64,
    pub contests: Vec<Vec<Ciphertext>>,
    /// Counted ballots per ballot style, in the manifest's order; present iff the manifest has
    /// more than one style (with one, it would be `ballots`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub turnout: Vec<u64>,
}

impl EncryptedTally {
    /// The turnout's shape: one count per style (none for a manifest of one style), adding up
    /// to `ballots`.
    pub fn check_turnout(&self, manifest: &Manifest) -> Result<(), ElectionError> {
        let styles = manifest.styles().len();
        let fault = |what: String| Err(ElectionError::Tally(what));
        match (styles, self.turnout.len()) {
            (1, 0) => Ok(()),
            (1, n) => fault(format!("the tally gives a turnout for {n} styles, the manifest has one")),
            (s, n) if s != n => fault(format!("the tally gives a turnout for {n} styles, the manifest has {s}")),
            _ if self.turnout.iter().try_fold(0u64, |a, b| a.checked_add(*b)) != Some(self.ballots) => fault(format!(
                "the turnout per style adds up to {}, not to the {} ballots counted",
                self.turnout.iter().fold(0u64, |a, b| a.saturating_add(*b)),
                self.ballots
            )),
            _ => Ok(()),
        }
    }

    /// Counted ballots per style (one entry, `ballots`, for a manifest of one style).
    pub fn turnout_per_style(&self) -> Vec<u64> {
        if self.turnout.is_empty() { vec![self.ballots] } else { self.turnout.clone() }
    }
}

/// One trustee's decryption shares of the whole tally, per contest and option, and the
/// reveal of the lot seed it committed to in its ready event (absent if it posted none that
/// counted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrusteeDecryption {
    #[serde(default, skip_serializing_if = "Option::is_none", with = "hex_bytes32_option")]
    pub lot_seed: Option<[u8; 32]>,
    pub shares: Vec<Vec<DecryptionShare>>,
    /// The trustee's signature by its transport key ([`SeatSigned`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SchnorrProof>,
    pub trustee: u32,
}

impl SeatSigned for TrusteeDecryption {
    const KIND: &'static str = "decryption";

    fn seat(&self) -> u32 {
        self.trustee
    }

    fn signature(&self) -> Option<&SchnorrProof> {
        self.signature.as_ref()
    }

    fn signature_mut(&mut self) -> &mut Option<SchnorrProof> {
        &mut self.signature
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContestResult {
    /// Votes per option, in manifest order.
    pub counts: Vec<u64>,
    pub id: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectionResult {
    /// Ballots counted.
    pub ballots: u64,
    pub contests: Vec<ContestResult>,
}

/// What happened to each cast ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Counted,
    /// A later ballot of the same credential counts instead.
    Superseded,
    /// Refused under the `refused` policy: the credential had voted already.
    Refused,
}

/// The fate of each cast ballot, given their credentials in log order.
pub fn fates<'a>(policy: RevotePolicy, credentials: impl IntoIterator<Item = &'a Element>) -> Vec<Fate> {
    let credentials: Vec<&Element> = credentials.into_iter().collect();
    let mut out = vec![Fate::Counted; credentials.len()];
    let mut seen: HashMap<&Element, usize> = HashMap::with_capacity(credentials.len());
    for (i, c) in credentials.iter().enumerate() {
        if let Some(previous) = seen.get(c).copied() {
            match policy {
                RevotePolicy::LastCounts => {
                    out[previous] = Fate::Superseded;
                    seen.insert(c, i);
                }
                RevotePolicy::Refused => out[i] = Fate::Refused,
            }
        } else {
            seen.insert(c, i);
        }
    }
    out
}

/// Running sums of every option's ciphertexts, by manifest contest, and the ballots per style.
#[derive(Debug, Clone)]
pub struct TallyAccumulator {
    ballots: u64,
    sums: Vec<Vec<CiphertextSum>>,
    /// Per style: its id and the manifest indices of its contests.
    styles: std::sync::Arc<Vec<(String, Vec<usize>)>>,
    /// Per style: the ballots added.
    turnout: Vec<u64>,
}

impl TallyAccumulator {
    pub fn new(manifest: &Manifest) -> Self {
        let styles: Vec<(String, Vec<usize>)> =
            manifest.styles().into_iter().map(|s| (s.id.to_string(), s.contests)).collect();
        TallyAccumulator {
            ballots: 0,
            sums: manifest.contests.iter().map(|c| vec![CiphertextSum::default(); c.options.len()]).collect(),
            turnout: vec![0; styles.len()],
            styles: std::sync::Arc::new(styles),
        }
    }

    /// Adds a ballot already checked against the manifest's shape (of its style, `style`: its
    /// index in the manifest's styles).
    pub fn add(&mut self, style: usize, ballot: &Ballot) {
        self.add_ciphertexts(style, ballot.contests.iter().map(|c| c.ciphertexts.as_slice()));
    }

    /// Adds one ballot's ciphertexts, per contest of its style `style` (of a ballot already
    /// checked): each to its manifest contest's sums.
    pub fn add_ciphertexts<'a>(&mut self, style: usize, contests: impl Iterator<Item = &'a [Ciphertext]>) {
        self.ballots += 1;
        self.turnout[style] += 1;
        for (&c, ciphertexts) in self.styles[style].1.iter().zip(contests) {
            for (sum, ct) in self.sums[c].iter_mut().zip(ciphertexts) {
                sum.add(ct);
            }
        }
    }

    /// Adds a cast ballot as [`crate::log::event::cast_ciphertexts`] reads it (its style by
    /// id); an error for a style the manifest does not have, or a shape that is not the
    /// style's (such a leaf was never checked).
    pub fn add_cast(&mut self, (style, contests): &(String, Vec<Vec<Ciphertext>>)) -> Result<(), String> {
        let index =
            self.styles.iter().position(|(id, _)| id == style).ok_or_else(|| format!("no ballot style {style:?}"))?;
        if contests.len() != self.styles[index].1.len() {
            return Err(format!("{} contests on a ballot of style {style:?}", contests.len()));
        }
        self.add_ciphertexts(index, contests.iter().map(Vec::as_slice));
        Ok(())
    }

    pub fn merge(mut self, other: &TallyAccumulator) -> Self {
        self.ballots += other.ballots;
        for (a, b) in self.turnout.iter_mut().zip(&other.turnout) {
            *a += b;
        }
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            for (x, y) in a.iter_mut().zip(b) {
                x.merge(y);
            }
        }
        self
    }

    /// Removes ballots that were added but do not count (re-votes superseded later).
    pub fn subtract(&mut self, other: &TallyAccumulator) {
        self.ballots -= other.ballots;
        for (a, b) in self.turnout.iter_mut().zip(&other.turnout) {
            *a -= b;
        }
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            for (x, y) in a.iter_mut().zip(b) {
                x.alpha -= y.alpha;
                x.beta -= y.beta;
            }
        }
    }

    pub fn finish(&self) -> EncryptedTally {
        EncryptedTally {
            ballots: self.ballots,
            contests: self.sums.iter().map(|c| c.iter().map(CiphertextSum::finish).collect()).collect(),
            turnout: if self.turnout.len() > 1 { self.turnout.clone() } else { Vec::new() },
        }
    }
}

impl TrusteeDecryption {
    /// Trustee `trustee`'s shares of every tally ciphertext, revealing `lot_seed`.
    pub fn create<R: CryptoRng + ?Sized>(
        election: &ElectionParams,
        trustee: u32,
        secret: &SecretScalar,
        tally: &EncryptedTally,
        lot_seed: Option<[u8; 32]>,
        rng: &mut R,
    ) -> Self {
        let shares = tally
            .contests
            .iter()
            .enumerate()
            .map(|(c, options)| {
                options
                    .iter()
                    .enumerate()
                    .map(|(o, ct)| {
                        DecryptionShare::create(&election.fingerprint, trustee, secret, (c as u32, o as u32), ct, rng)
                    })
                    .collect()
            })
            .collect();
        TrusteeDecryption { lot_seed, shares, signature: None, trustee }
    }

    /// Checks the shape and that every share names this trustee; adds every proof to `batch`
    /// (one item per share).
    pub fn add_to_batch(
        &self,
        election: &ElectionParams,
        tally: &EncryptedTally,
        batch: &mut BatchVerifier,
    ) -> Result<(), ElectionError> {
        let params = election.manifest.threshold_params()?;
        params.check_index(self.trustee, "trustee")?;
        let vk = election
            .verification_keys
            .get(self.trustee as usize - 1)
            .ok_or_else(|| ElectionError::Tally(format!("no verification key for trustee {}", self.trustee)))?;
        if self.shares.len() != tally.contests.len()
            || self.shares.iter().zip(&tally.contests).any(|(s, t)| s.len() != t.len())
        {
            return Err(ElectionError::Tally(format!(
                "trustee {}'s shares do not match the tally's shape",
                self.trustee
            )));
        }
        for (c, (shares, cts)) in self.shares.iter().zip(&tally.contests).enumerate() {
            for (o, (share, ct)) in shares.iter().zip(cts).enumerate() {
                if share.trustee != self.trustee {
                    return Err(ElectionError::Tally(format!(
                        "trustee {}'s share for contest {c} option {o} names trustee {}",
                        self.trustee, share.trustee
                    )));
                }
                share.add_to_batch(&election.fingerprint, (c as u32, o as u32), ct, vk, batch);
            }
        }
        Ok(())
    }

    pub fn verify(&self, election: &ElectionParams, tally: &EncryptedTally) -> Result<(), ElectionError> {
        let mut batch = BatchVerifier::new();
        self.add_to_batch(election, tally, &mut batch)?;
        batch
            .verify()
            .map_err(|_| ElectionError::Tally(format!("trustee {}'s decryption proofs do not verify", self.trustee)))
    }
}

/// `β − Σ λ_i·D_i` for every tally ciphertext, from the given decryptions (at least `t`
/// trustees, distinct), in contest and option order.
pub fn combine_decryptions(
    election: &ElectionParams,
    tally: &EncryptedTally,
    decryptions: &[TrusteeDecryption],
) -> Result<Vec<Vec<curve25519_dalek::ristretto::RistrettoPoint>>, ElectionError> {
    let params = election.manifest.threshold_params()?;
    tally
        .contests
        .iter()
        .enumerate()
        .map(|(c, cts)| {
            cts.iter()
                .enumerate()
                .map(|(o, ct)| {
                    let shares: Vec<(u32, &Element)> = decryptions
                        .iter()
                        .map(|d| {
                            let share = d.shares.get(c).and_then(|s| s.get(o)).ok_or_else(|| {
                                ElectionError::Tally(format!(
                                    "trustee {} has no share for contest {c} option {o}",
                                    d.trustee
                                ))
                            })?;
                            Ok((d.trustee, &share.share))
                        })
                        .collect::<Result<_, ElectionError>>()?;
                    combine(&params, ct, &shares).map_err(ElectionError::from)
                })
                .collect()
        })
        .collect()
}

/// Recovers every count and computes every outcome, with lots drawn from `lots` (the seed of
/// [`super::counting::lot_seed`]).
pub fn decrypt_result(
    election: &ElectionParams,
    tally: &EncryptedTally,
    decryptions: &[TrusteeDecryption],
    lots: &Fingerprint,
) -> Result<ElectionResult, ElectionError> {
    let points = combine_decryptions(election, tally, decryptions)?;
    let table = DlogTable::new(tally.ballots);
    let contests = election
        .manifest
        .contests
        .iter()
        .zip(&points)
        .map(|(contest, points)| {
            let counts = points.iter().map(|p| table.find(p)).collect::<Result<Vec<u64>, _>>()?;
            let outcome = outcome(contest, &counts, lots)?;
            Ok(ContestResult { counts, id: contest.id.clone(), outcome })
        })
        .collect::<Result<_, ElectionError>>()?;
    Ok(ElectionResult { ballots: tally.ballots, contests })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revote_policies() {
        let e: Vec<Element> = (0..3u64)
            .map(|i| Element::from_point(crate::crypto::group::mul_g(&curve25519_dalek::scalar::Scalar::from(i + 1))))
            .collect();
        let order = [&e[0], &e[1], &e[0], &e[2], &e[0], &e[1]];
        use Fate::*;
        assert_eq!(
            fates(RevotePolicy::LastCounts, order),
            vec![Superseded, Superseded, Superseded, Counted, Counted, Counted]
        );
        assert_eq!(fates(RevotePolicy::Refused, order), vec![Counted, Counted, Refused, Counted, Refused, Refused]);
    }
}
