//! The synthetic national CA: a stand-in, for prototypes and tests only, for the national
//! certification authority (eGov EDS) that issues each citizen a signing key and certificate.

use std::path::PathBuf;

use clap::Subcommand;
use dauys::crypto::group::to_hex;
use dauys::election::citizen_ca::{CitizenKeys, SyntheticCaIssuer};
use dauys::election::registrar::check_iin;
use dauys::keyfile::write_private;
use zeroize::Zeroizing;

use super::{Outcome, fail, words};

#[derive(Subcommand)]
pub enum CaCommand {
    /// SYNTHETIC (not eGov EDS): make a stand-in national CA's signing key (0600) and print
    /// its public key, which the registrar names in the roll (`--ca-public`).
    Init {
        /// Where to write the CA's key file (created, mode 0600).
        #[arg(long)]
        out: PathBuf,
    },
    /// SYNTHETIC (not eGov EDS): issue a citizen a signing key and a certificate of it, bound
    /// to the IIN by a hiding commitment; the file (0600) holds the key, the certificate and
    /// the salt that opens the commitment (the IIN itself is not in it).
    Issue {
        /// The CA's key file (from `dauys ca init`).
        #[arg(long)]
        ca: PathBuf,
        /// The citizen's IIN (12 digits).
        #[arg(long)]
        iin: String,
        /// Where to write the citizen's key file (created, mode 0600; the citizen's alone).
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn ca_cmd(cmd: CaCommand) -> Outcome {
    let mut rng = rand::rng();
    match cmd {
        CaCommand::Init { out } => {
            if out.exists() {
                return Err(fail(t!("ca-key-exists", path = out.display().to_string())));
            }
            let ca = SyntheticCaIssuer::generate(&mut rng);
            write_private(&out, ca.to_file().as_bytes()).map_err(|e| fail(format!("{}: {e}", out.display())))?;
            println!("{}", t!("ca-written", path = out.display().to_string()));
            println!("{}", t!("ca-public-key", key = to_hex(&ca.public().key)));
        }
        CaCommand::Issue { ca, iin, out } => {
            check_iin(&iin).map_err(|e| fail(format!("--iin: {e}")))?;
            if out.exists() {
                return Err(fail(t!("ca-citizen-exists", path = out.display().to_string())));
            }
            let text = Zeroizing::new(super::read(&ca)?);
            let issuer = SyntheticCaIssuer::from_file(&text).map_err(|e| fail(format!("{}: {e}", ca.display())))?;
            let keys: CitizenKeys = issuer.issue(&iin, &mut rng);
            write_private(&out, keys.to_file().as_bytes()).map_err(|e| fail(format!("{}: {e}", out.display())))?;
            println!("{}", t!("ca-citizen-written", path = out.display().to_string()));
            println!("{}", t!("ca-citizen-key", key = to_hex(&keys.citizen.key)));
        }
    }
    Ok(())
}
