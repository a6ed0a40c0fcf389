//! `dauys`: the command line for the people who run an election (`src/cli/`, one module per
//! role).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
