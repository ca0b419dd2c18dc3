//! The `folio` command: clap types here and in `cli/`, mapped onto library
//! types; the library never sees clap. Exit codes: 0 success (also when
//! stdout is closed early, as by `folio model | head`), 1 an error in the
//! input or the build, 2 a usage error (clap's own).

mod cli;

use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

/// jemalloc for the binary: the PDF's layout threads allocate what the page
/// writer frees, and glibc's malloc serialises such cross-thread frees on
/// the allocating thread's arena lock (see the dependency's note in
/// `Cargo.toml`).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read before `main`. `retain:false`: freed address
/// space goes back to the system. jemalloc keeps it by default, in ever
/// larger reservations per arena, and a build under a data limit
/// (`prlimit --data`, as the hostile tests run it) ran out of address
/// space with little in use: an SVG drawn in 8 MB layers (53 MB peak RSS)
/// failed even under 800 MB; it needs 350 MB now, 300 MB with glibc's
/// malloc. `narenas:1`: one arena for every thread (their caches take the
/// traffic), which wins back the time `retain:false` costs in mapping
/// calls: corpus PDF, 31 interleaved runs, 168 ms with glibc, 162 ms with
/// `retain:false` alone, 156 ms with both.
#[cfg(not(target_env = "msvc"))]
// SAFETY: jemalloc reads this symbol as a `const char *` to a NUL-ended
// string; a `&u8` is a plain pointer, here to the string's first byte.
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: &u8 = &b"retain:false,narenas:1\0"[0];

fn main() -> ExitCode {
    let args = parse();
    let g = &args.global;
    let ui = cli::Ui::new(g.quiet, g.verbose, g.color, g.message_format);
    match cli::run(args, &ui) {
        Ok(code) => code,
        Err(err) if err.downcast_ref::<cli::StdoutClosed>().is_some() => ExitCode::SUCCESS,
        Err(err) => {
            ui.error(&err);
            ExitCode::from(1)
        }
    }
}

/// The command line, or exit 2 with clap's message (coloured as `--color`
/// says, which clap cannot know before it has parsed it).
fn parse() -> cli::Cli {
    let mut command = cli::Cli::command().color(color_asked());
    let matches = command.get_matches_mut();
    let args =
        cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut command).exit());
    // `-q build -v`: clap checks conflicts within one level only.
    if args.global.quiet && args.global.verbose {
        command
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "the argument '--quiet' cannot be used with '--verbose'",
            )
            .exit();
    }
    args
}

/// `--color WHEN` as clap's choice, read before parsing.
fn color_asked() -> clap::ColorChoice {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut when = None;
    for (i, arg) in args.iter().enumerate() {
        if arg == "--" {
            break;
        }
        if let Some(value) = arg.strip_prefix("--color=") {
            when = Some(value.to_string());
        } else if arg == "--color" {
            when = args.get(i + 1).cloned();
        }
    }
    match when.as_deref() {
        Some("always") => clap::ColorChoice::Always,
        Some("never") => clap::ColorChoice::Never,
        _ => clap::ColorChoice::Auto,
    }
}
