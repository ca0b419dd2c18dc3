//! `folio completions SHELL`: a completion script generated from the
//! command's own definition (so it never falls behind), on stdout.

use super::Cli;
use super::ui::write_stdout;
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::process::ExitCode;

#[derive(Debug, Args)]
#[command(after_help = "\
Install, for example:
  folio completions bash > ~/.local/share/bash-completion/completions/folio
  folio completions zsh > \"${fpath[1]}/_folio\"
  folio completions fish > ~/.config/fish/completions/folio.fish
  folio completions powershell >> $PROFILE")]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "folio", &mut script);
    write_stdout(&script)?;
    Ok(ExitCode::SUCCESS)
}
