//! `dauys demo`: the cryptographic core, end to end, on one machine.
//!
//! A 3-of-5 key ceremony; `voters` voters each cast a single-choice ballot on a three-option
//! question (one ciphertext per option, a 0/1 range proof on each, a [1, 1] proof on the sum,
//! a Schnorr signature with the voter's credential key); every proof verified in one batch;
//! the ciphertexts added up; three trustees decrypt the totals with proofs; the counts are
//! checked against the plaintext choices.
//!
//! The whole election (manifest, registrar, board, record) builds on this in the election
//! layer; this demo shows the core that everything else stands on.

use std::io::Write;
use std::time::{Duration, Instant};

use curve25519_dalek::scalar::Scalar;
use rand::{CryptoRng, RngExt};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::crypto::batch::{Base, BatchVerifier};
use crate::crypto::dlog::DlogTable;
use crate::crypto::elgamal::{Ciphertext, CiphertextSum, EncryptionKey, KeyPair, message_point};
use crate::crypto::group::{Element, Fingerprint, SecretScalar};
use crate::crypto::range::RangeProof;
use crate::crypto::schnorr::SchnorrProof;
use crate::crypto::threshold::ThresholdParams;
use crate::crypto::threshold::decryption::{DecryptionShare, combine};
use crate::crypto::threshold::dkg::{Polynomial, TransportSecret, combine_shares, outcome};
use crate::crypto::{CryptoError, transcript};

const OPTIONS: [&str; 3] = ["yes", "no", "abstain"];
const CONTEST: u32 = 0;

/// One voter's ballot: a ciphertext and a 0/1 proof per option, the sum proof, the signature.
struct Ballot {
    credential: Element,
    ciphertexts: Vec<Ciphertext>,
    option_proofs: Vec<RangeProof>,
    sum_proof: RangeProof,
    signature: SchnorrProof,
}

/// What the demo measured and found.
#[derive(Debug)]
pub struct DemoReport {
    pub counts: Vec<u64>,
    pub expected: Vec<u64>,
    pub ballots: usize,
    pub ceremony: Duration,
    pub casting: Duration,
    pub verification: Duration,
    pub tally: Duration,
}

fn ballot_digest(election: &Fingerprint, cts: &[Ciphertext]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"dauys/demo-ballot");
    h.update(election.as_bytes());
    for c in cts {
        h.update(c.alpha.as_bytes());
        h.update(c.beta.as_bytes());
    }
    h.finalize().into()
}

fn cast<R: CryptoRng + ?Sized>(
    election: &Fingerprint,
    key: &EncryptionKey,
    voter: &KeyPair,
    choice: usize,
    rng: &mut R,
) -> Ballot {
    let credential = voter.public;
    let mut ciphertexts = Vec::new();
    let mut option_proofs = Vec::new();
    let mut nonce_sum = Scalar::ZERO;
    for option in 0..OPTIONS.len() {
        let m = u64::from(option == choice);
        let (ct, r) = key.encrypt(m, rng);
        let t = transcript::option_range(election, key.element(), CONTEST, option as u32, &ct, (0, 1), &credential);
        let proof = RangeProof::prove(t, key, ct.alpha.point(), ct.beta.point(), m, r.expose(), (0, 1), rng)
            .expect("0/1 in range");
        nonce_sum += r.expose();
        ciphertexts.push(ct);
        option_proofs.push(proof);
    }
    let nonce_sum = SecretScalar::new(nonce_sum);
    let sum = Ciphertext::sum(&ciphertexts);
    let t = transcript::contest_sum(election, key.element(), CONTEST, &ciphertexts, (1, 1), &credential);
    let sum_proof = RangeProof::prove(t, key, sum.alpha.point(), sum.beta.point(), 1, nonce_sum.expose(), (1, 1), rng)
        .expect("one mark");
    let digest = ballot_digest(election, &ciphertexts);
    let signature =
        SchnorrProof::prove(transcript::ballot_signature(election, &digest, &credential), &voter.secret, rng);
    Ballot { credential, ciphertexts, option_proofs, sum_proof, signature }
}

/// Adds every equation of `ballot` to `batch` as one item, so that a failure names the ballot.
fn add_ballot(
    election: &Fingerprint,
    key: &Element,
    ballot: &Ballot,
    batch: &mut BatchVerifier,
) -> Result<(), CryptoError> {
    let cred = &ballot.credential;
    let p = |e: &Element| Base::Point(*e.point());
    let mut item = batch.item();
    for (option, (ct, proof)) in ballot.ciphertexts.iter().zip(&ballot.option_proofs).enumerate() {
        let t = transcript::option_range(election, key, CONTEST, option as u32, ct, (0, 1), cred);
        proof.add_to(t, Base::Shared(0), p(&ct.alpha), p(&ct.beta), (0, 1), &mut item)?;
    }
    let mut sum = CiphertextSum::default();
    for c in &ballot.ciphertexts {
        sum.add(c);
    }
    let t = transcript::contest_sum(election, key, CONTEST, &ballot.ciphertexts, (1, 1), cred);
    ballot.sum_proof.add_to(t, Base::Shared(0), Base::Point(sum.alpha), Base::Point(sum.beta), (1, 1), &mut item)?;
    let digest = ballot_digest(election, &ballot.ciphertexts);
    ballot.signature.add_to(transcript::ballot_signature(election, &digest, cred), cred, &mut item);
    Ok(())
}

/// Runs the demo, writing progress to `out`.
pub fn run(voters: usize, out: &mut impl Write) -> Result<DemoReport, Box<dyn std::error::Error>> {
    let mut rng = rand::rng();
    let setup = Fingerprint(Sha256::digest(b"dauys demo: setup").into());

    writeln!(out, "1. Key ceremony: 5 trustees, any 3 can decrypt")?;
    let start = Instant::now();
    let params = ThresholdParams::new(5, 3)?;
    let transport: Vec<TransportSecret> = (1..=5).map(|i| TransportSecret::generate(i, &mut rng)).collect();
    let transport_keys: Vec<_> = transport.iter().map(|t| t.publish(&setup, &mut rng)).collect();
    let dealings: Vec<_> =
        (1..=5).map(|i| Polynomial::random(2, &mut rng).deal(&setup, i, &transport_keys, &mut rng)).collect();
    let ceremony = outcome(&setup, &params, &transport_keys, &dealings, &[])?;
    let mut secrets = Vec::new();
    for me in &transport {
        let received = dealings
            .iter()
            .map(|d| d.receive(&setup, me, &mut rng).map(|s| (d.dealer, s)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|c| format!("trustee {} complains about dealer {}", c.recipient, c.dealer))?;
        secrets.push(combine_shares(me.trustee, &received, &ceremony)?);
    }
    let key = EncryptionKey::new(ceremony.joint_key);
    let election =
        Fingerprint(Sha256::digest([setup.as_bytes().as_slice(), ceremony.joint_key.as_bytes()].concat()).into());
    let ceremony_time = start.elapsed();
    writeln!(out, "   joint key {}  ({:.1?})", ceremony.joint_key.to_hex(), ceremony_time)?;

    writeln!(out, "2. {voters} voters encrypt, prove and sign a choice among {OPTIONS:?}")?;
    let start = Instant::now();
    let choices: Vec<usize> = (0..voters).map(|_| rng.random_range(0..OPTIONS.len())).collect();
    let ballots: Vec<Ballot> = choices
        .par_iter()
        .map(|&choice| {
            let mut rng = rand::rng();
            let voter = KeyPair::generate(&mut rng);
            cast(&election, &key, &voter, choice, &mut rng)
        })
        .collect();
    let casting = start.elapsed();
    writeln!(out, "   {} ballots in {:.1?}", ballots.len(), casting)?;

    writeln!(out, "3. Verify every proof and signature in batches")?;
    let start = Instant::now();
    let failures: Vec<usize> = ballots
        .par_chunks(256)
        .enumerate()
        .map(|(chunk, ballots)| {
            let mut batch = BatchVerifier::with_shared_bases(vec![*key.element().point()]);
            for b in ballots {
                add_ballot(&election, key.element(), b, &mut batch)?;
            }
            Ok(match batch.verify() {
                Ok(()) => vec![],
                Err(CryptoError::BatchFailed { failed }) => failed.into_iter().map(|i| chunk * 256 + i).collect(),
                Err(e) => return Err(e),
            })
        })
        .collect::<Result<Vec<_>, CryptoError>>()?
        .concat();
    let verification = start.elapsed();
    if !failures.is_empty() {
        return Err(format!("ballots {failures:?} failed verification").into());
    }
    writeln!(
        out,
        "   all {} ballots valid in {:.1?} ({:.0} ballots/s)",
        ballots.len(),
        verification,
        ballots.len() as f64 / verification.as_secs_f64()
    )?;

    writeln!(out, "4. Tally: add the ciphertexts, trustees 1, 3 and 5 decrypt the totals")?;
    let start = Instant::now();
    let totals: Vec<Ciphertext> =
        (0..OPTIONS.len()).map(|o| Ciphertext::sum(ballots.iter().map(|b| &b.ciphertexts[o]))).collect();
    let table = DlogTable::new(voters as u64);
    let mut counts = Vec::new();
    for (o, total) in totals.iter().enumerate() {
        let position = (CONTEST, o as u32);
        let shares: Vec<DecryptionShare> = [1u32, 3, 5]
            .iter()
            .map(|&i| DecryptionShare::create(&election, i, &secrets[i as usize - 1], position, total, &mut rng))
            .collect();
        for s in &shares {
            s.verify(&election, position, total, &ceremony.verification_keys[s.trustee as usize - 1])?;
        }
        let picked: Vec<(u32, &Element)> = shares.iter().map(|s| (s.trustee, &s.share)).collect();
        let m_g = combine(&params, total, &picked)?;
        let count = table.find(&m_g)?;
        assert_eq!(message_point(count), m_g);
        counts.push(count);
    }
    let tally = start.elapsed();
    let expected: Vec<u64> = (0..OPTIONS.len()).map(|o| choices.iter().filter(|&&c| c == o).count() as u64).collect();
    writeln!(out, "   decrypted in {tally:.1?}\n")?;
    writeln!(out, "   {:<10} {:>8} {:>10}", "option", "count", "plaintext")?;
    for ((name, c), e) in OPTIONS.iter().zip(&counts).zip(&expected) {
        writeln!(out, "   {name:<10} {c:>8} {e:>10}")?;
    }
    if counts != expected {
        return Err("decrypted counts differ from the plaintext choices".into());
    }
    writeln!(out, "\n   The decrypted totals equal the plaintext count; no single ballot was decrypted.")?;
    Ok(DemoReport { counts, expected, ballots: ballots.len(), ceremony: ceremony_time, casting, verification, tally })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_counts_match_plaintext() {
        let mut out = Vec::new();
        let report = run(40, &mut out).unwrap();
        assert_eq!(report.counts, report.expected);
        assert_eq!(report.counts.iter().sum::<u64>(), 40);
        assert!(String::from_utf8(out).unwrap().contains("all 40 ballots valid"));
    }

    #[test]
    fn a_tampered_ballot_is_located_in_its_batch() {
        let mut rng = rand::rng();
        let key = EncryptionKey::new(KeyPair::generate(&mut rng).public);
        let election = Fingerprint([1; 32]);
        let mut ballots: Vec<Ballot> =
            (0..20).map(|i| cast(&election, &key, &KeyPair::generate(&mut rng), i % 3, &mut rng)).collect();
        // Ballot 13's first two options swapped: each proof is valid, but for another option.
        ballots[13].ciphertexts.swap(0, 1);
        ballots[13].option_proofs.swap(0, 1);
        let mut batch = BatchVerifier::with_shared_bases(vec![*key.element().point()]);
        for b in &ballots {
            add_ballot(&election, key.element(), b, &mut batch).unwrap();
        }
        assert_eq!(batch.verify(), Err(CryptoError::BatchFailed { failed: vec![13] }));
    }
}
