//! `dauys`: the command line for the people who run an election.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "dauys", version, about = "Verifiable, ballot-secret online voting")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the cryptographic core end to end: a 3-of-5 key ceremony, encrypted and proven
    /// ballots, batch verification, and a threshold-decrypted tally checked against the
    /// plaintext count.
    Demo {
        /// How many voters cast a ballot.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        voters: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo { voters } => match dauys::demo::run(voters as usize, &mut std::io::stdout()) {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("dauys demo: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
