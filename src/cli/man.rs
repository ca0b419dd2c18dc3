//! `folio man`: the man page, roff generated from the command's own
//! definition: `folio.1` on stdout, or with `--out DIR` one page per
//! subcommand (`folio.1`, `folio-build.1`, …) written there.

use super::Cli;
use super::ui::write_stdout;
use super::{Ui, human_size};
use clap::{Args, CommandFactory};
use folio::output::Transaction;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  folio man | man -l -                 read it now
  folio man --out /usr/local/share/man/man1")]
pub struct ManArgs {
    /// Write `folio.1` and one `folio-<subcommand>.1` per subcommand into
    /// DIR instead of printing `folio.1`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Every page: (file name, roff), the subcommands' named `folio-<name>.1`
/// (the display names clap gives them once the command is built).
fn pages() -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    for page in std::iter::once(&cmd).chain(cmd.get_subcommands().filter(|s| !s.is_hide_set())) {
        let man = clap_mangen::Man::new(page.clone());
        let mut roff = Vec::new();
        man.render(&mut roff)?;
        pages.push((man.get_filename(), roff));
    }
    Ok(pages)
}

pub fn run(args: ManArgs, ui: &Ui) -> anyhow::Result<ExitCode> {
    let pages = pages()?;
    let Some(dir) = args.out else {
        if let Some((_, roff)) = pages.first() {
            write_stdout(roff)?;
        }
        return Ok(ExitCode::SUCCESS);
    };
    let paths: Vec<PathBuf> = pages.iter().map(|(name, _)| dir.join(name)).collect();
    let mut transaction = Transaction::new();
    for (path, (_, roff)) in paths.iter().zip(&pages) {
        transaction.add(path, roff);
    }
    transaction.commit()?;
    let bytes: u64 = pages.iter().map(|(_, r)| r.len() as u64).sum();
    ui.info(&format!(
        "     wrote {} man pages ({}) to {}",
        pages.len(),
        human_size(bytes),
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
