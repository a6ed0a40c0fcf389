//! # dauys — verifiable, ballot-secret online voting
//!
//! Ballots are exponential-ElGamal ciphertexts on ristretto255, each with zero-knowledge
//! proofs that it is valid, bound to the election and to the voter's credential; the tally is
//! homomorphic, and only the totals are decrypted, by a quorum of trustees, with proofs.
//! Anyone can check every step. The normative description is `specs/protocol.md`.
//!
//! The layers, bottom up:
//!
//! * [`crypto`]: the group, ElGamal, transcripts, proofs, batch verification, threshold keys.
//! * [`election`]: manifest, counting rules, and (coming) credentials, ballots, tally and record.
//! * [`log`]: the bulletin board's log as data: events, their legal order, the RFC 6962 Merkle
//!   tree and signed checkpoints. Pure, like everything above it: the verifier uses it.
//! * [`demo`]: the core end to end (`dauys demo`).
//!
//! ## A tally in twenty lines
//!
//! Three trustees, any two of whom can decrypt; three voters mark 0 or 1 with a proof;
//! the sum is decrypted from two trustees' shares, each share checked against its proof.
//!
//! ```
//! use dauys::crypto::{elgamal::*, group::*, range::RangeProof, transcript, threshold::*};
//! use dauys::crypto::threshold::{decryption::*, dkg::*};
//! let (mut rng, setup, election) = (rand::rng(), Fingerprint([1; 32]), Fingerprint([2; 32]));
//! let params = ThresholdParams::new(3, 2)?;
//! let transport: Vec<_> = (1..=3).map(|i| TransportSecret::generate(i, &mut rng)).collect();
//! let keys: Vec<_> = transport.iter().map(|t| t.publish(&setup, &mut rng)).collect();
//! let dealings: Vec<_> = (1..=3).map(|i| Polynomial::random(1, &mut rng).deal(&setup, i, &keys, &mut rng)).collect();
//! let ceremony = outcome(&setup, &params, &keys, &dealings, &[])?;
//! let share_of = |me: &TransportSecret| -> SecretScalar {
//!     let got: Vec<_> = dealings.iter().map(|d| (d.dealer, d.receive(&setup, me, &mut rand::rng()).unwrap())).collect();
//!     combine_shares(me.trustee, &got, &ceremony).unwrap()
//! };
//! let key = EncryptionKey::new(ceremony.joint_key);
//! let mut total = CiphertextSum::default();
//! for vote in [1, 0, 1] {
//!     let voter = KeyPair::generate(&mut rng);
//!     let (ct, r) = key.encrypt(vote, &mut rng);
//!     let t = || transcript::option_range(&election, key.element(), 0, 0, &ct, (0, 1), &voter.public);
//!     let proof = RangeProof::prove(t(), &key, ct.alpha.point(), ct.beta.point(), vote, r.expose(), (0, 1), &mut rng)?;
//!     proof.verify(t(), key.element().point(), ct.alpha.point(), ct.beta.point(), (0, 1))?;
//!     total.add(&ct);
//! }
//! let total = total.finish();
//! let shares: Vec<_> = [1u32, 3].iter().map(|&i| {
//!     let s = DecryptionShare::create(&election, i, &share_of(&transport[i as usize - 1]), (0, 0), &total, &mut rng);
//!     s.verify(&election, (0, 0), &total, &ceremony.verification_keys[i as usize - 1]).map(|_| s)
//! }).collect::<Result<_, _>>()?;
//! let picked: Vec<_> = shares.iter().map(|s| (s.trustee, &s.share)).collect();
//! assert_eq!(dauys::crypto::dlog::DlogTable::new(3).find(&combine(&params, &total, &picked)?)?, 2);
//! # Ok::<(), dauys::crypto::CryptoError>(())
//! ```

pub mod board;
pub mod crypto;
pub mod demo;
pub mod election;
pub mod keyfile;
pub mod log;
pub mod runner;
pub mod simulate;
