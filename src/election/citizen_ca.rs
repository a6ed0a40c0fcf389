//! The synthetic national CA (prototype only: the real one is the national CA) and what it
//! issues a citizen: the CA's signing key and key file; a citizen's Ed25519 key, its
//! certificate and the salt that opens its identity commitment; and the citizen's signing of a
//! registration (the messages are in [`super::registration`], which holds what checking a
//! certificate or a registration needs). Role code, outside the observers' trusted base.

use ed25519_dalek::{Signer, SigningKey};
use rand::CryptoRng;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::ElectionError;
use super::registration::{
    Certificate, Citizen, IdentityOpening, Pseudonym, Registration, SyntheticCa, certificate_message,
    desk_request_message, error, identity_commitment, registration_message, registration_message_in,
};
use crate::crypto::group::{Element, Fingerprint, SecretScalar, to_hex};
use crate::crypto::schnorr::SchnorrProof;
use crate::crypto::transcript;

/// The synthetic CA's signing side (prototype only: the real one is the national CA).
pub struct SyntheticCaIssuer {
    key: SigningKey,
}

/// What the synthetic CA gives one citizen: a signing key, its certificate, and the salt that
/// opens the certificate's identity commitment. The citizen's alone.
pub struct CitizenKeys {
    key: SigningKey,
    pub citizen: Citizen,
    pub opening: IdentityOpening,
}

fn signing_key<R: CryptoRng + ?Sized>(rng: &mut R) -> SigningKey {
    let mut seed = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(seed.as_mut());
    SigningKey::from_bytes(&seed)
}

impl SyntheticCaIssuer {
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        SyntheticCaIssuer { key: signing_key(rng) }
    }

    pub fn from_seed(seed: &[u8; 32]) -> Self {
        SyntheticCaIssuer { key: SigningKey::from_bytes(seed) }
    }

    pub fn public(&self) -> SyntheticCa {
        SyntheticCa { key: self.key.verifying_key().to_bytes() }
    }

    /// The CA's key file: `{"key": seed hex, "public": public key hex}` (the public key only
    /// to check the file against).
    pub fn to_file(&self) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "{{\"key\":\"{}\",\"public\":\"{}\"}}",
            to_hex(self.key.as_bytes()),
            to_hex(&self.public().key)
        ))
    }

    pub fn from_file(text: &str) -> Result<Self, ElectionError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            key: String,
            public: String,
        }
        let file: File = serde_json::from_str(text).map_err(|e| error(format!("CA key file: {e}")))?;
        let seed = Zeroizing::new(
            crate::crypto::group::hex32("key", &file.key).map_err(|e| error(format!("CA key file: {e}")))?,
        );
        let public =
            crate::crypto::group::hex32("public", &file.public).map_err(|e| error(format!("CA key file: {e}")))?;
        let issuer = SyntheticCaIssuer::from_seed(&seed);
        if issuer.public().key != public {
            return Err(error("CA key file: the public key is not the signing key's"));
        }
        Ok(issuer)
    }

    /// A fresh key and certificate for the citizen with `iin`.
    pub fn issue<R: CryptoRng + ?Sized>(&self, iin: &str, rng: &mut R) -> CitizenKeys {
        let key = signing_key(rng);
        let mut salt = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(salt.as_mut());
        let identity = identity_commitment(&salt, iin);
        let public = key.verifying_key().to_bytes();
        let signature = self.key.sign(&certificate_message(&public, &identity)).to_bytes();
        CitizenKeys {
            key,
            citizen: Citizen { key: public, certificate: Certificate { identity, signature } },
            opening: IdentityOpening(salt),
        }
    }
}

impl CitizenKeys {
    /// The citizen's registration of the credential with secret `x` under `pseudonym` (which
    /// the registrar told it) for the election with setup fingerprint `setup`: `X = x·g`, the
    /// proof of knowledge of x, and the citizen's signature. Made on the voter's machine.
    pub fn register<R: CryptoRng + ?Sized>(
        &self,
        setup: &Fingerprint,
        pseudonym: Pseudonym,
        x: &SecretScalar,
        rng: &mut R,
    ) -> Registration {
        let credential = x.public();
        let proof = SchnorrProof::prove(transcript::credential_pok(setup, &pseudonym.0, &credential), x, rng);
        self.sign(setup, pseudonym, credential, proof)
    }

    /// [`CitizenKeys::register`] in ballot style `style` (the style of the citizen's precinct;
    /// `None` in an election of one style).
    pub fn register_in<R: CryptoRng + ?Sized>(
        &self,
        setup: &Fingerprint,
        pseudonym: Pseudonym,
        style: Option<&str>,
        x: &SecretScalar,
        rng: &mut R,
    ) -> Registration {
        let mut r = self.register(setup, pseudonym, x, rng);
        r.style = style.map(str::to_string);
        r.signature = self.key.sign(&registration_message_in(setup, &pseudonym, &r.credential, style)).to_bytes();
        r
    }

    /// Signs a registration as given (tests use it to play a cheating registrant).
    pub fn sign(
        &self,
        setup: &Fingerprint,
        pseudonym: Pseudonym,
        credential: Element,
        proof: SchnorrProof,
    ) -> Registration {
        let signature = self.key.sign(&registration_message(setup, &pseudonym, &credential)).to_bytes();
        Registration { citizen: self.citizen.clone(), credential, proof, pseudonym, signature, style: None }
    }

    /// The signature that asks the registrar's desk for this citizen's pseudonym in the
    /// election with setup fingerprint `setup` ([`desk_request_message`]).
    pub fn sign_desk_request(&self, setup: &Fingerprint) -> [u8; 64] {
        self.key.sign(&desk_request_message(setup)).to_bytes()
    }

    /// The key file's content: the seed and the salt in hex, and the public certificate.
    pub fn to_file(&self) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "{{\"certificate\":{},\"key\":\"{}\",\"salt\":\"{}\"}}",
            serde_json::to_string(&self.citizen).expect("serializes"),
            to_hex(self.key.as_bytes()),
            to_hex(self.opening.0.as_ref())
        ))
    }

    pub fn from_file(text: &str) -> Result<Self, ElectionError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            certificate: Citizen,
            key: String,
            salt: String,
        }
        let file: File = serde_json::from_str(text).map_err(|e| error(format!("citizen key file: {e}")))?;
        let seed = Zeroizing::new(
            crate::crypto::group::hex32("key", &file.key).map_err(|e| error(format!("citizen key file: {e}")))?,
        );
        let salt = Zeroizing::new(
            crate::crypto::group::hex32("salt", &file.salt).map_err(|e| error(format!("citizen key file: {e}")))?,
        );
        let key = SigningKey::from_bytes(&seed);
        if key.verifying_key().to_bytes() != file.certificate.key {
            return Err(error("citizen key file: the key is not the certificate's"));
        }
        Ok(CitizenKeys { key, citizen: file.certificate, opening: IdentityOpening(salt) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FS: Fingerprint = Fingerprint([7; 32]);

    #[test]
    fn key_files_round_trip() {
        let mut rng = rand::rng();
        let ca = SyntheticCaIssuer::generate(&mut rng);
        let keys = ca.issue("900101300017", &mut rng);
        let back = CitizenKeys::from_file(&keys.to_file()).unwrap();
        assert_eq!(back.citizen, keys.citizen);
        let x = SecretScalar::random(&mut rng);
        back.register(&FS, Pseudonym([0; 32]), &x, &mut rng).check_signature(&FS).unwrap();
        let ca_back = SyntheticCaIssuer::from_file(&ca.to_file()).unwrap();
        assert_eq!(ca_back.public(), ca.public());
        let other_ca = SyntheticCaIssuer::generate(&mut rng);
        let grafted = ca.to_file().replace(&to_hex(&ca.public().key), &to_hex(&other_ca.public().key));
        let refused = SyntheticCaIssuer::from_file(&grafted).err().expect("a grafted public key is refused");
        assert!(refused.to_string().contains("not the signing key's"), "{refused}");
        let other = ca.issue("900101300017", &mut rng);
        let mixed = keys.to_file().replace(&to_hex(&keys.citizen.key), &to_hex(&other.citizen.key));
        assert!(CitizenKeys::from_file(&mixed).is_err());
    }
}
