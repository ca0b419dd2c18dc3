//! `folio watch`: a full build, then, for each burst of file changes, a
//! rebuild of the books and formats the change touches, until Ctrl-C.
//!
//! What a change rebuilds (see `plan`): a page that a book holds → that
//! book (those books), every format; a page added (in no book yet) →
//! the project re-read, every book; an image or other file in the content
//! or static folder, or a font → PDF and EPUB of every book (which images
//! a book uses is not tracked: re-rendering costs less than tracking);
//! folio.yaml, the site's config, the data folder or the templates folder
//! (widget templates shape the text too) → the project re-read, everything.

use super::build::{BuildArgs, build_options, plural, report};
use super::{Ui, interrupt};
use anyhow::Result;
use clap::Args;
use folio::build::{Silent, build_loaded, load_books};
use folio::load::{Changes, ParseCache};
use folio::{BuildOptions, Diagnostics, Format, Project, Written};
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Quiet time that ends a burst of events (an editor's save is several).
const DEBOUNCE: Duration = Duration::from_millis(150);

/// How often a wait for events looks at the Ctrl-C flag.
const POLL: Duration = Duration::from_millis(200);

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub build: BuildArgs,
}

/// What one burst of changes rebuilds.
#[derive(Debug, Default, PartialEq)]
struct Plan {
    /// Re-read the project (config, data, templates, the set of pages).
    reload: bool,
    /// Only these books; `None`: every selected book.
    books: Option<BTreeSet<String>>,
    /// Only PDF and EPUB (an image or font changed).
    media_only: bool,
}

impl Plan {
    /// Widens `self` to also cover `other`.
    fn merge(&mut self, other: Plan) {
        self.reload |= other.reload;
        self.books = match (self.books.take(), other.books) {
            (Some(mut a), Some(b)) => {
                a.extend(b);
                Some(a)
            }
            _ => None,
        };
        self.media_only &= other.media_only;
    }
}

/// The project being watched and what the last good load knew of it.
struct Session<'a> {
    args: BuildArgs,
    options: BuildOptions,
    ui: &'a Ui,
    /// The last project read without error.
    project: Option<Project>,
    /// Each page file (resolved) → the books holding it.
    pages: HashMap<PathBuf, BTreeSet<String>>,
    /// Each page file as the loader names it → resolved: resolving a
    /// path asks the file system about each of its folders, which for
    /// every page of a 600-page book was ~4 % of a one-page rebuild.
    sources: HashMap<PathBuf, PathBuf>,
    cache: Arc<ParseCache>,
    /// The warnings of the last build (path, line, column, message): a
    /// rebuild prints only the others.
    warned: HashSet<Warned>,
}

/// A warning as told apart from the others.
type Warned = (Option<PathBuf>, u32, u32, String);

/// Most bytes of converted images kept between rebuilds.
const MEMO_BUDGET: usize = 256 << 20;

pub fn run(args: WatchArgs, ui: &Ui) -> Result<ExitCode> {
    interrupt::install();
    let args = args.build;
    let mut options = build_options(&args)?;
    let cache = Arc::new(ParseCache::default());
    options.load.cache = Some(Arc::clone(&cache));
    // Outputs a rebuild leaves unchanged are neither read back nor rewritten.
    options.writes = Some(Arc::new(folio::output::WriteMemo::default()));
    // Drawn SVGs, scaled photos and the EPUB cover are kept between
    // rebuilds (keyed by their bytes): a page edit does not redraw them.
    folio::image::memo::enable(MEMO_BUDGET);
    // PDF chapters of unchanged pages are kept too: a page edit lays out
    // that page's chapter only.
    options.pdf_memo = Some(Arc::default());
    // And the EPUB's deflated chapters: a page edit deflates its own.
    options.epub_memo = Some(Arc::default());
    // And each page's text: a page edit renders that page's text only.
    options.text_memo = Some(Arc::default());
    let mut session = Session {
        args,
        options,
        ui,
        project: None,
        pages: HashMap::new(),
        sources: HashMap::new(),
        cache,
        warned: HashSet::new(),
    };
    // A project that cannot be read at all has nothing to watch.
    session.reload()?;
    let start = Instant::now();
    let mut diags = Diagnostics::default();
    match session.build(&Plan::default(), &mut diags) {
        Ok(written) => {
            ui.warnings(&session.fresh(&diags));
            report(ui, &written, &diags, start);
        }
        Err(e) => session.failed(&e, &diags, "the first build"),
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    })?;
    let mut roots = session.watch(&mut watcher, &[])?;
    // The first build read the files before they were watched: the next
    // load reads them all once more.
    session.cache.expect(Changes::Unknown);
    ui.info(&format!(
        "  watching {} folder{} and files; Ctrl-C to stop",
        roots.len(),
        plural(roots.len())
    ));
    while let Some(burst) = next_burst(&rx) {
        let changed = session.relevant(burst.paths);
        let plan = changed.iter().map(|p| session.plan(p)).reduce(|mut a, b| {
            a.merge(b);
            a
        });
        // Events were lost: anything may have changed.
        let plan = match burst.rescan {
            true => Plan {
                reload: true,
                ..Plan::default()
            },
            false => match plan {
                Some(plan) => plan,
                None => continue,
            },
        };
        session.tell_cache(&changed, burst.tree);
        session.rebuild(&plan, &changed);
        if plan.reload {
            roots = session.watch(&mut watcher, &roots)?;
            // As after the first build: read under the new watch.
            session.cache.expect(Changes::Unknown);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The changes of one burst of events.
#[derive(Debug, Default)]
struct Burst {
    /// The paths the events named.
    paths: Vec<PathBuf>,
    /// Whether an event may have added, removed or renamed a file.
    tree: bool,
    /// Whether events were lost (the watcher's queue overflowed, or it
    /// failed): anything may have changed.
    rescan: bool,
}

/// The next burst of events, once they have been quiet for [`DEBOUNCE`];
/// `None` on Ctrl-C or when the watcher is gone.
fn next_burst(rx: &Receiver<notify::Result<notify::Event>>) -> Option<Burst> {
    let mut burst = Burst::default();
    // The burst ends DEBOUNCE after its last change, however many other
    // events (reads of the outputs, say) come in between.
    let mut last_change: Option<Instant> = None;
    loop {
        let wait = match last_change {
            Some(at) => DEBOUNCE.saturating_sub(at.elapsed()),
            None => POLL,
        };
        match rx.recv_timeout(wait) {
            Ok(Ok(event)) if event.need_rescan() => {
                burst.rescan = true;
                last_change = Some(Instant::now());
            }
            Ok(Ok(event)) if counts(&event.kind) => {
                burst.tree |= changes_tree(&event.kind);
                burst.paths.extend(event.paths);
                last_change = Some(Instant::now());
            }
            Ok(Ok(_)) => {}
            Ok(Err(_)) => {
                burst.rescan = true;
                last_change = Some(Instant::now());
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return None,
        }
        if interrupt::requested() {
            return None;
        }
        if last_change.is_some_and(|at| at.elapsed() >= DEBOUNCE) {
            return Some(burst);
        }
    }
}

/// Events that change a file's bytes or its presence (not reads, nor
/// metadata: folio's own reads must not trigger a rebuild).
fn counts(kind: &EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, ModifyKind};
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        _ => false,
    }
}

/// Events that may add, remove or rename a file or folder (anything but a
/// write to a file that stays where it is).
fn changes_tree(kind: &EventKind) -> bool {
    use notify::event::{AccessKind, ModifyKind};
    !matches!(
        kind,
        EventKind::Modify(ModifyKind::Data(_)) | EventKind::Access(AccessKind::Close(_))
    )
}

/// Editors' swap, backup and probe files (vim's `.swp` and `4913`,
/// emacs's `~` and `.#` lock files).
fn is_editor_file(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return true;
    };
    name.ends_with('~')
        || name.starts_with(".#")
        || name == "4913"
        || [".swp", ".swx", ".swo", ".tmp"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// `path` made absolute (resolved when it exists, else its folder
/// resolved), so that paths from events and from the project compare.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) if !dir.as_os_str().is_empty() => match dir.canonicalize() {
            Ok(dir) => dir.join(name),
            Err(_) => path.to_path_buf(),
        },
        _ => std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// The content folders of the project's books.
fn content_dirs(project: &Project) -> Vec<PathBuf> {
    let mut dirs = vec![project.content_dir.clone()];
    for name in project.book_names() {
        if let Ok(config) = project.book_config(&name) {
            dirs.push(project.book_scope(&name, &config).content_dir);
        }
    }
    dirs
}

/// `path` relative to the working folder when it lies under it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().ok().map(|c| resolved(&c));
    match cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()) {
        Some(rel) => rel.display().to_string(),
        None => path.display().to_string(),
    }
}

impl Session<'_> {
    /// Reads the project anew (the last good one stays on an error).
    fn reload(&mut self) -> Result<()> {
        let mut project = self.args.source.open(self.ui)?;
        self.args
            .meta
            .apply_to_config(&mut project, &self.options.books);
        self.project = Some(project);
        // Parse options (widgets, data, typographer) may differ: start over.
        self.cache.clear();
        self.sources.clear();
        self.forget_layouts();
        Ok(())
    }

    /// Tells the parse cache which files the events named: the next load
    /// reads those again and takes the others as last read.
    fn tell_cache(&self, changed: &[PathBuf], tree: bool) {
        let paths = changed.to_vec();
        self.cache.expect(Changes::Files { paths, tree });
        if tree {
            // Pages may be gone: their entries go too.
            self.cache.retain_existing();
        }
    }

    /// Forgets the PDF chapters kept: what their layout read besides the
    /// page (an image, a font, the style) may have changed.
    fn forget_layouts(&self) {
        if let Some(memo) = &self.options.pdf_memo {
            memo.clear();
        }
    }

    /// The output folder, resolved.
    fn out_dir(&self) -> Option<PathBuf> {
        let project = self.project.as_ref()?;
        Some(resolved(&self.options.out_dir(project)))
    }

    /// The folders (recursively) and files (through their folder) to watch:
    /// those of the project that exist, the built-in ones excluded.
    fn roots(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let Some(project) = &self.project else {
            return Vec::new();
        };
        let mut dirs = content_dirs(project);
        dirs.push(project.static_dir.clone());
        dirs.extend(project.data_dir.clone());
        dirs.push(project.templates_dir.clone());
        dirs.push(project.fonts_dir.clone());
        let mut files: Vec<PathBuf> = project.config_path.iter().cloned().collect();
        if let Some(site) = &project.site {
            files.extend(site.files.iter().cloned());
            dirs.push(site.root.join("config"));
        }
        let mut roots: Vec<(PathBuf, RecursiveMode)> = Vec::new();
        for dir in dirs.iter().filter(|d| d.is_dir()).map(|d| resolved(d)) {
            roots.push((dir, RecursiveMode::Recursive));
        }
        // A file is watched through its folder: editors replace files by
        // renaming, which ends a watch on the file itself.
        for file in &files {
            let dir = resolved(file).parent().map(Path::to_path_buf);
            if let Some(dir) = dir.filter(|d| d.is_dir()) {
                roots.push((dir, RecursiveMode::NonRecursive));
            }
        }
        roots.sort_by(|a, b| a.0.cmp(&b.0));
        roots.dedup_by(|a, b| a.0 == b.0);
        roots
    }

    /// Watches the project's roots (replacing `old`); returns them.
    fn watch(
        &self,
        watcher: &mut notify::RecommendedWatcher,
        old: &[(PathBuf, RecursiveMode)],
    ) -> Result<Vec<(PathBuf, RecursiveMode)>> {
        let roots = self.roots();
        for (dir, _) in old.iter().filter(|r| !roots.contains(r)) {
            let _ = watcher.unwatch(dir);
        }
        for (dir, mode) in roots.iter().filter(|r| !old.contains(r)) {
            watcher.watch(dir, *mode).map_err(|e| {
                folio::Diagnostic::error(dir, 0, "cannot watch this folder").with_cause(e)
            })?;
        }
        Ok(roots)
    }

    /// The changed paths that matter: resolved, deduplicated, outside the
    /// output folder, not an editor's file.
    fn relevant(&self, paths: Vec<PathBuf>) -> Vec<PathBuf> {
        let out = self.out_dir();
        let mut kept: Vec<PathBuf> = paths
            .into_iter()
            .filter(|p| !is_editor_file(p))
            .map(|p| resolved(&p))
            .filter(|p| !out.as_ref().is_some_and(|o| p.starts_with(o)))
            .collect();
        kept.sort();
        kept.dedup();
        kept
    }

    /// What a change of `path` rebuilds.
    fn plan(&self, path: &Path) -> Plan {
        let everything = Plan {
            reload: true,
            ..Plan::default()
        };
        let media = Plan {
            media_only: true,
            ..Plan::default()
        };
        let Some(project) = &self.project else {
            return everything;
        };
        let under = |dir: &Path| dir.is_dir() && path.starts_with(resolved(dir));
        // A folder made or removed may hold pages (its files' own events
        // can come before the folder is watched).
        let folder = path.is_dir() || (!path.exists() && path.extension().is_none());
        let is_page = folder || path.extension().is_some_and(|e| e == "md");
        if let Some(books) = self.pages.get(path) {
            return Plan {
                books: Some(books.clone()),
                ..Plan::default()
            };
        }
        if project.data_dir.as_deref().is_some_and(under) || under(&project.templates_dir) {
            return everything;
        }
        let content = content_dirs(project).iter().any(|dir| under(dir));
        if is_page && content {
            // A page no book holds yet: the books' page sets (and a site's
            // languages) may change.
            return everything;
        }
        if under(&project.fonts_dir) || under(&project.static_dir) || content {
            return media;
        }
        // A file beside folio.yaml or the site's config: only those count.
        let config_files: Vec<PathBuf> = project
            .config_path
            .iter()
            .chain(project.site.iter().flat_map(|s| s.files.iter()))
            .map(|f| resolved(f))
            .collect();
        let site_config = project
            .site
            .as_ref()
            .is_some_and(|s| path.starts_with(resolved(&s.root.join("config"))));
        if site_config || config_files.iter().any(|f| f == path) {
            everything
        } else {
            // Nothing folio reads (another file in the config's folder).
            Plan {
                books: Some(BTreeSet::new()),
                media_only: true,
                ..Plan::default()
            }
        }
    }

    /// Rebuilds what `plan` says and prints one line (with the warnings,
    /// or the error: the earlier outputs then stay).
    fn rebuild(&mut self, plan: &Plan, changed: &[PathBuf]) {
        if plan.books.as_ref().is_some_and(BTreeSet::is_empty) && !plan.reload {
            return;
        }
        let start = Instant::now();
        let why = match changed {
            [one] => format!("{} changed", shown(one)),
            [first, rest @ ..] => format!("{} and {} more changed", shown(first), rest.len()),
            [] => "a change".to_string(),
        };
        let mut diags = Diagnostics::default();
        match self.build(plan, &mut diags) {
            Ok(written) => {
                let fresh = self.fresh(&diags);
                self.ui.warnings(&fresh);
                let out = self
                    .project
                    .as_ref()
                    .map(|p| self.options.out_dir(p))
                    .unwrap_or_default();
                let names: Vec<String> = written
                    .iter()
                    .map(|w| shown_output(&w.path, &out))
                    .collect();
                let what = if names.is_empty() {
                    "nothing".to_string()
                } else {
                    names.join(", ")
                };
                self.ui.info(&format!(
                    "rebuilt {what} ({why}){} in {:.0} ms",
                    warning_count(diags.len(), fresh.len()),
                    start.elapsed().as_secs_f64() * 1000.0
                ));
            }
            Err(e) => self.failed(&e, &diags, &why),
        }
    }

    /// The warnings of `diags` the last build did not give (all of them
    /// the first time); remembers `diags` for the next build.
    fn fresh(&mut self, diags: &Diagnostics) -> Diagnostics {
        let now: HashSet<Warned> = diags
            .items
            .iter()
            .map(|d| (d.path.clone(), d.line, d.column, d.message.clone()))
            .collect();
        let mut fresh = Diagnostics::default();
        for d in &diags.items {
            let key = (d.path.clone(), d.line, d.column, d.message.clone());
            if !self.warned.contains(&key) {
                fresh.push(d.clone());
            }
        }
        self.warned = now;
        fresh
    }

    /// Prints a failed build's new warnings and error; the watch goes on.
    fn failed(&mut self, err: &anyhow::Error, diags: &Diagnostics, why: &str) {
        let fresh = self.fresh(diags);
        self.ui.warnings(&fresh);
        self.ui.error(err);
        self.ui.info(&format!(
            "  not rebuilt ({why}): the earlier outputs are kept"
        ));
    }

    /// Loads and writes the books and formats of `plan`.
    fn build(&mut self, plan: &Plan, diags: &mut Diagnostics) -> Result<Vec<Written>> {
        if plan.reload {
            self.reload()?;
        } else if plan.media_only || plan.books.is_none() {
            // Not only pages changed (a burst that also touched an image
            // widens to every book).
            self.forget_layouts();
        }
        let Some(project) = &self.project else {
            return Ok(Vec::new());
        };
        // One disk cache per output folder for the whole session: the
        // PDF's kept image store hands it what it makes.
        let out = self.options.out_dir(project);
        self.options.disk_cache =
            super::build::disk_cache(&self.args, &out, self.options.disk_cache.as_ref());
        let mut options = self.options.clone();
        let selected = folio::build::select_books(project, &options.books)?;
        if let Some(books) = &plan.books {
            options.books = selected.into_iter().filter(|b| books.contains(b)).collect();
            if options.books.is_empty() {
                return Ok(Vec::new());
            }
        }
        let (mut books, load_diags) = load_books(project, &options.books, &options.load, &Silent)?;
        diags.extend(load_diags);
        for loaded in &mut books {
            self.args.meta.apply_to_book(loaded);
            for page in &loaded.book.pages {
                let source = self
                    .sources
                    .entry(page.source.clone())
                    .or_insert_with(|| resolved(&page.source));
                self.pages
                    .entry(source.clone())
                    .or_default()
                    .insert(loaded.book.meta.name.clone());
            }
            if plan.media_only {
                let formats = options.formats_of(loaded);
                loaded.formats = formats.into_iter().filter(|f| *f != Format::Text).collect();
            }
        }
        if plan.media_only {
            options.formats.clear();
            books.retain(|b| !b.formats.is_empty());
        }
        let written = build_loaded(project, &books, &options, &Silent, diags);
        // Freeing a 600-page model is some 7 % of a one-page rebuild.
        folio::build::drop_later(books);
        written
    }
}

/// The rebuild line's count of warnings: `, 12 warnings (1 new)`; nothing
/// without warnings.
fn warning_count(all: usize, fresh: usize) -> String {
    match all {
        0 => String::new(),
        _ => format!(", {all} warning{} ({fresh} new)", plural(all)),
    }
}

/// An output as the rebuild line names it: its path in the output folder
/// (`site.epub`, `text/site/`).
fn shown_output(path: &Path, out: &Path) -> String {
    let rel = path.strip_prefix(out).unwrap_or(path).display().to_string();
    if path.extension().is_some() {
        rel
    } else {
        format!("{rel}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for name in ["a.md.swp", ".a.md.swx", "a.md~", ".#a.md", "4913"] {
            assert!(is_editor_file(Path::new(name)), "{name}");
        }
        for name in ["a.md", "logo.png", "folio.yaml", "hugo.toml"] {
            assert!(!is_editor_file(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn the_rebuild_line_counts_warnings() {
        assert_eq!(warning_count(0, 0), "");
        assert_eq!(warning_count(1, 0), ", 1 warning (0 new)");
        assert_eq!(warning_count(367, 2), ", 367 warnings (2 new)");
    }

    #[test]
    fn a_burst_tells_writes_from_tree_changes_and_lost_events() {
        use notify::event::{CreateKind, DataChange, Flag, ModifyKind};
        let burst = |events: Vec<notify::Result<notify::Event>>| {
            let (tx, rx) = std::sync::mpsc::channel();
            for event in events {
                tx.send(event).unwrap();
            }
            next_burst(&rx).unwrap()
        };
        let write = notify::Event::new(EventKind::Modify(ModifyKind::Data(DataChange::Any)))
            .add_path(PathBuf::from("/c/a.md"));
        let made = notify::Event::new(EventKind::Create(CreateKind::File))
            .add_path(PathBuf::from("/c/b.md"));
        let one = burst(vec![Ok(write.clone())]);
        assert_eq!(one.paths, [PathBuf::from("/c/a.md")]);
        assert!(!one.tree && !one.rescan);
        let two = burst(vec![Ok(write.clone()), Ok(made)]);
        assert_eq!(two.paths.len(), 2);
        assert!(two.tree && !two.rescan);
        let lost = burst(vec![
            Ok(write.clone()),
            Ok(notify::Event::new(EventKind::Other).set_flag(Flag::Rescan)),
        ]);
        assert!(lost.rescan);
        let failed = burst(vec![
            Err(notify::Error::generic("queue overflow")),
            Ok(write),
        ]);
        assert!(failed.rescan);
    }

    #[test]
    fn plans_merge_to_the_wider() {
        let one = |b: &str| Plan {
            books: Some([b.to_string()].into()),
            ..Plan::default()
        };
        let mut plan = one("a");
        plan.merge(one("b"));
        assert_eq!(plan.books.as_ref().map(BTreeSet::len), Some(2));
        assert!(!plan.media_only);
        plan.merge(Plan {
            media_only: true,
            ..Plan::default()
        });
        assert_eq!(plan.books, None);
        assert!(!plan.media_only, "a page change keeps the text format");
        let mut media = Plan {
            media_only: true,
            ..Plan::default()
        };
        media.merge(Plan {
            reload: true,
            ..Plan::default()
        });
        assert!(media.reload && !media.media_only);
    }
}
