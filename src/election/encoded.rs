//! A cast ballot as read, with its points still encodings, so that a verifier can decode the
//! points of many ballots together ([`crate::crypto::decode`]) before building each
//! [`Ballot`]. Same JSON as a [`Ballot`] (same fields, same strictness); the scalars and the
//! fingerprint are decoded while reading, as in a [`Ballot`].

use curve25519_dalek::scalar::Scalar;
use serde::Deserialize;

use super::ballot::{Ballot, EncryptedContest};
use crate::crypto::dleq::DisjunctiveProof;
use crate::crypto::elgamal::Ciphertext;
use crate::crypto::group::{Element, Fingerprint, decode_str, hex_scalar, hex_scalars, hex32};
use crate::crypto::range::RangeProof;
use crate::crypto::schnorr::SchnorrProof;

/// A point's 32 bytes, from its hex text form, not yet decoded.
#[derive(Debug, Clone, Copy)]
struct Encoding([u8; 32]);

impl<'de> Deserialize<'de> for Encoding {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        decode_str(deserializer, |text| hex32("point", text).map(Encoding).map_err(|e| e.to_string()))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncodedBallot {
    contests: Vec<Contest>,
    credential: Encoding,
    election: Fingerprint,
    signature: Schnorr,
    style: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Contest {
    ciphertexts: Vec<Pair>,
    option_proofs: Vec<Proof>,
    sum_proof: Proof,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    alpha: Encoding,
    beta: Encoding,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Proof {
    #[serde(with = "hex_scalars")]
    challenges: Vec<Scalar>,
    commitments: Vec<(Encoding, Encoding)>,
    #[serde(with = "hex_scalars")]
    responses: Vec<Scalar>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Schnorr {
    commitment: Encoding,
    #[serde(with = "hex_scalar")]
    response: Scalar,
}

impl EncodedBallot {
    /// Appends every point's encoding to `out`, in the order [`build`](Self::build) takes
    /// them back: per contest the ciphertexts, the option proofs' commitments, the sum
    /// proof's; then the credential and the signature's commitment.
    pub fn encodings(&self, out: &mut Vec<[u8; 32]>) {
        let proof = |p: &Proof, out: &mut Vec<[u8; 32]>| {
            out.extend(p.commitments.iter().flat_map(|(a, b)| [a.0, b.0]));
        };
        for c in &self.contests {
            out.extend(c.ciphertexts.iter().flat_map(|p| [p.alpha.0, p.beta.0]));
            for p in &c.option_proofs {
                proof(p, out);
            }
            proof(&c.sum_proof, out);
        }
        out.push(self.credential.0);
        out.push(self.signature.commitment.0);
    }

    /// How many points [`encodings`](Self::encodings) gives.
    pub fn points(&self) -> usize {
        let proof = |p: &Proof| 2 * p.commitments.len();
        let contests: usize = self
            .contests
            .iter()
            .map(|c| 2 * c.ciphertexts.len() + c.option_proofs.iter().map(proof).sum::<usize>() + proof(&c.sum_proof))
            .sum();
        contests + 2
    }

    /// The ballot, with the decoded points of [`encodings`](Self::encodings) in its order
    /// (each decoded from its own encoding, so a point always matches its bytes).
    pub fn build(self, points: &mut impl Iterator<Item = Element>) -> Ballot {
        let mut next = || points.next().expect("one decoded point per encoding");
        let proof = |p: Proof, next: &mut dyn FnMut() -> Element| {
            let commitments = p.commitments.iter().map(|_| (next(), next())).collect();
            RangeProof(DisjunctiveProof { challenges: p.challenges, commitments, responses: p.responses })
        };
        let contests = self
            .contests
            .into_iter()
            .map(|c| {
                let ciphertexts = c.ciphertexts.iter().map(|_| Ciphertext { alpha: next(), beta: next() }).collect();
                let option_proofs = c.option_proofs.into_iter().map(|p| proof(p, &mut next)).collect();
                let sum_proof = proof(c.sum_proof, &mut next);
                EncryptedContest { ciphertexts, option_proofs, sum_proof }
            })
            .collect();
        let credential = next();
        let signature = SchnorrProof { commitment: next(), response: self.signature.response };
        Ballot { contests, credential, election: self.election, signature, style: self.style }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::decode::decode_elements;
    use crate::election::ballot::tests::election;

    #[test]
    fn builds_the_ballot_a_plain_parse_gives() {
        let (params, voters) = election(2);
        let marks = vec![vec![1, 0], vec![1, 0, 1]];
        let (ballot, _) = Ballot::encrypt(&params, &voters[0], &marks, &mut rand::rng()).unwrap();
        let json = serde_json::to_string(&ballot).unwrap();
        let encoded: EncodedBallot = serde_json::from_str(&json).unwrap();
        let mut encodings = Vec::new();
        encoded.encodings(&mut encodings);
        assert_eq!(encodings.len(), encoded.points());
        let decoded: Vec<Element> = decode_elements(&encodings).into_iter().map(Option::unwrap).collect();
        let built = encoded.build(&mut decoded.into_iter());
        // Equal encodings everywhere, in the same places, and the same bytes back.
        assert_eq!(built, ballot);
        assert_eq!(serde_json::to_string(&built).unwrap(), json);
        assert!(built.verify(&params).is_ok());
        // As strict as a ballot: unknown fields and bad hex are refused.
        let extra = json.replacen('{', r#"{"x":1,"#, 1);
        assert!(serde_json::from_str::<EncodedBallot>(&extra).is_err());
        assert!(
            serde_json::from_str::<EncodedBallot>(&json.replacen("\"credential\":\"", "\"credential\":\"A", 1))
                .is_err()
        );
    }
}
