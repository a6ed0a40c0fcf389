//! The registrar: the voter roll and credentials.

use std::path::PathBuf;

use clap::Subcommand;
use dauys::election::manifest::Manifest;
use dauys::election::registrar as roll;
use dauys::keyfile::write_private;

use super::{Outcome, fail, read};

#[derive(Subcommand)]
pub enum RegistrarCommand {
    /// Issue one credential per voter of the roll (CSV: iin,precinct).
    Issue {
        /// The manifest (JSON): the credentials are for its election.
        #[arg(long)]
        manifest: PathBuf,
        /// The voter roll (CSV: iin,precinct; `;`, quotes and a byte-order mark are read too).
        #[arg(long)]
        roll: PathBuf,
        /// Directory for credentials.json (public) and credential-sheet.csv (secret, 0600).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a synthetic roll of N voters with valid IINs (for tests and load runs).
    SyntheticRoll {
        /// How many voters.
        #[arg(long)]
        voters: usize,
        /// Where to write the roll (CSV).
        #[arg(long)]
        out: PathBuf,
    },
    /// Is a citizen on the roll, and in which precinct?
    Check {
        /// The voter roll (CSV).
        #[arg(long)]
        roll: PathBuf,
        /// The citizen's IIN (12 digits).
        iin: String,
    },
}

pub fn registrar_cmd(cmd: RegistrarCommand) -> Outcome {
    match cmd {
        RegistrarCommand::Issue { manifest, roll, out } => {
            let manifest = Manifest::from_json(&read(&manifest)?)?;
            let roll = roll::parse_roll(&read(&roll)?)?;
            let (sheet, list) = roll::issue(&roll, &manifest.election_id, &mut rand::rng())?;
            std::fs::create_dir_all(&out).map_err(|e| fail(format!("{}: {e}", out.display())))?;
            let (list_path, sheet_path) = (out.join("credentials.json"), out.join("credential-sheet.csv"));
            // Never replace an issued list or sheet: they must stay the pair voters hold.
            for p in [&list_path, &sheet_path] {
                if p.exists() {
                    return Err(fail(format!("{} exists: credentials were issued already", p.display())));
                }
            }
            write_private(&sheet_path, roll::sheet_csv(&sheet).as_bytes())
                .map_err(|e| fail(format!("{}: {e}", sheet_path.display())))?;
            let file = roll::IssuedList::new(&manifest, list.clone());
            std::fs::write(&list_path, serde_json::to_string(&file).expect("serializes"))
                .map_err(|e| fail(format!("{}: {e}", list_path.display())))?;
            println!("{} credentials issued", list.len());
            println!("public list (for the board):          {}", list_path.display());
            println!("credential sheet (secret; distribute, then destroy): {}", sheet_path.display());
        }
        RegistrarCommand::SyntheticRoll { voters, out } => {
            let mut rng = rand::rng();
            let mut text = String::from("iin,precinct\n");
            let mut seen = std::collections::HashSet::new();
            while seen.len() < voters {
                let iin = roll::random_iin(&mut rng);
                if seen.insert(iin.clone()) {
                    text.push_str(&format!("{iin},Precinct-{:03}\n", seen.len() % 50 + 1));
                }
            }
            std::fs::write(&out, text).map_err(|e| fail(format!("{}: {e}", out.display())))?;
            println!("{voters} voters written to {}", out.display());
        }
        RegistrarCommand::Check { roll, iin } => {
            roll::check_iin(&iin).map_err(fail)?;
            let roll = roll::parse_roll(&read(&roll)?)?;
            match roll.iter().find(|e| e.iin == iin) {
                Some(e) => println!("{iin} is on the roll, precinct {}", e.precinct),
                None => return Err(fail(format!("{iin} is not on the roll"))),
            }
        }
    }
    Ok(())
}
