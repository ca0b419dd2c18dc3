//! The `folio` command: clap types here and in `cli/`, mapped onto library
//! types; the library never sees clap. Exit codes: 0 success, 1 an error in
//! the input or the build, 2 a usage error (clap's own).

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let ui = cli::Ui::new(args.quiet, args.verbose);
    match cli::run(args, &ui) {
        Ok(code) => code,
        Err(err) => {
            ui.error(&err);
            ExitCode::from(1)
        }
    }
}
