//! The progress bar of a long build, on stderr: shown only when stderr is a
//! terminal and only once the build has run for a second (a quick build
//! prints nothing extra), cleared before anything else is printed.

use folio::build::{Progress, Stage};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a build runs before its bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// The delay before the bar shows: [`DELAY`], or `FOLIO_PROGRESS_DELAY_MS`
/// when set (tests and demos show the bar of a build that is quick on a
/// fast machine).
fn delay() -> Duration {
    std::env::var("FOLIO_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map_or(DELAY, Duration::from_millis)
}

/// How often the bar redraws (its spinner and clock move while one long
/// step, a big book's loading, runs).
const TICK: Duration = Duration::from_millis(120);

/// A progress bar, hidden until [`DELAY`] has passed.
pub struct Bar {
    bar: Option<ProgressBar>,
    /// Dropped to tell the delay thread the build is over.
    stop: Option<mpsc::Sender<()>>,
    delay: Option<JoinHandle<()>>,
}

impl Bar {
    /// A bar that will show after [`DELAY`] if `wanted`, else one that
    /// never shows.
    pub fn new(wanted: bool) -> Bar {
        if !wanted {
            return Bar {
                bar: None,
                stop: None,
                delay: None,
            };
        }
        let bar = ProgressBar::hidden();
        let style = ProgressStyle::with_template(
            "{spinner} {prefix:>9} [{bar:24}] {pos}/{len} {wide_msg} {elapsed:>4}",
        )
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        let (stop, stopped) = mpsc::channel::<()>();
        let shown = bar.clone();
        let wait = delay();
        let delay = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(wait) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(TICK);
            }
        });
        Bar {
            bar: Some(bar),
            stop: Some(stop),
            delay: Some(delay),
        }
    }

    /// Removes the bar from the terminal (for good).
    pub fn finish(&mut self) {
        drop(self.stop.take());
        if let Some(delay) = self.delay.take() {
            let _ = delay.join();
        }
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.finish();
    }
}

impl Progress for Bar {
    fn begin(&self, stage: Stage<'_>, index: usize, total: usize) {
        let Some(bar) = &self.bar else {
            return;
        };
        let (phase, what) = match stage {
            Stage::Load { book } => ("loading", book.to_string()),
            Stage::Render { book, format } => ("rendering", format!("{book} ({})", format.name())),
            Stage::Write => ("writing", String::new()),
        };
        bar.set_prefix(phase);
        bar.set_length(total as u64);
        bar.set_position(index as u64);
        bar.set_message(what);
    }
}
