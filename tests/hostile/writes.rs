//! The all-or-nothing write: a build that fails while writing leaves every
//! earlier output as it was, and stale temporaries are cleaned up.

use super::harness::{PAGE, Run, Site, book_config, secret};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A pid no process has: Linux caps pid_max at 2^22.
const DEAD_PID: u32 = 2_147_483_000;

/// The page with other words, so that every output of a rebuild differs.
fn edit_page(site: &Site) {
    site.write("content/page.md", PAGE.replace("good page", "changed page"));
}

/// Every file and folder under `dist/` (folders with a trailing `/`).
fn listing(site: &Site) -> Vec<String> {
    fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = format!("{rel}{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                out.push(format!("{name}/"));
                walk(&entry.path(), &format!("{name}/"), out);
            } else {
                out.push(name);
            }
        }
    }
    let mut out = Vec::new();
    walk(&site.path("dist"), "", &mut out);
    out.sort();
    out
}

/// The folio temporaries anywhere under `dist/`.
fn temporaries(site: &Site) -> Vec<String> {
    listing(site)
        .into_iter()
        .filter(|p| {
            p.rsplit('/')
                .next()
                .is_some_and(|n| n.starts_with(".folio-"))
        })
        .collect()
}

/// The first text output of book `b` in listing order.
fn first_text_file(site: &Site) -> String {
    listing(site)
        .into_iter()
        .find(|p| p.starts_with("text/b/") && p.ends_with(".txt"))
        .expect("a text output")
}

/// Builds good, edits the page (so every output would change), breaks the
/// site with `break_it`, and rebuilds with `args`: exit 1 with `needles`,
/// and `dist/` exactly as it was after the breakage, with no temporary.
fn assert_write_refused(
    site: &Site,
    break_it: impl FnOnce(&Site),
    args: &[&str],
    needles: &[&str],
) -> Run {
    site.build_ok();
    edit_page(site);
    break_it(site);
    let (files, names) = (site.outputs(), listing(site));
    let run = site.run(args);
    run.assert_code(1).assert_stderr(needles);
    assert_eq!(listing(site), names, "files or folders appeared or went");
    assert!(site.outputs() == files, "an output changed");
    run
}

#[test]
fn an_epub_path_that_is_a_folder_stops_every_write() {
    assert_write_refused(
        &Site::new(),
        |s| {
            std::fs::remove_file(s.path("dist/b.epub")).unwrap();
            std::fs::create_dir(s.path("dist/b.epub")).unwrap();
        },
        &["build"],
        &[
            "dist/b.epub",
            "a folder is in the way",
            "nothing was written",
        ],
    );
}

#[test]
fn a_pdf_path_that_is_a_full_folder_stops_every_write() {
    let site = Site::new();
    assert_write_refused(
        &site,
        |s| {
            std::fs::remove_file(s.path("dist/b.pdf")).unwrap();
            s.write("dist/b.pdf/kept.txt", "mine");
        },
        &["build"],
        &["dist/b.pdf", "a folder is in the way"],
    );
    assert_eq!(
        std::fs::read(site.path("dist/b.pdf/kept.txt")).unwrap(),
        b"mine"
    );
}

#[test]
fn a_text_file_path_that_is_a_folder_stops_every_write() {
    let site = Site::new();
    site.build_ok();
    let text = first_text_file(&site);
    assert_write_refused(
        &site,
        |s| {
            std::fs::remove_file(s.path(&format!("dist/{text}"))).unwrap();
            std::fs::create_dir(s.path(&format!("dist/{text}"))).unwrap();
        },
        &["build"],
        &[&format!("dist/{text}"), "a folder is in the way"],
    );
}

#[test]
fn a_text_folder_that_is_a_file_stops_every_write() {
    // The book's folder, its parent, and the output folder itself.
    for (folder, args) in [
        ("dist/text/b", vec!["build"]),
        ("dist/text", vec!["build"]),
        ("out", vec!["build", "--out", "out"]),
    ] {
        let site = Site::new();
        let run = assert_write_refused(
            &site,
            |s| {
                let path = s.path(folder);
                if path.is_dir() {
                    std::fs::remove_dir_all(&path).unwrap();
                }
                s.write(folder, "not a folder");
            },
            &args,
            &[folder, "a file is in the way", "nothing was written"],
        );
        assert_eq!(
            std::fs::read(site.path(folder)).unwrap(),
            b"not a folder",
            "{run:?}"
        );
        if folder == "out" {
            // Nothing of the refused build went into `dist` either.
            assert!(!site.path("dist/.folio").exists());
        }
    }
}

#[cfg(unix)]
#[test]
fn a_pipe_where_an_output_goes_is_refused_without_blocking() {
    let site = Site::new();
    site.build_ok();
    std::fs::remove_file(site.path("dist/b.pdf")).unwrap();
    if !mkfifo(&site.path("dist/b.pdf")) {
        return;
    }
    edit_page(&site);
    let names = listing(&site);
    let start = Instant::now();
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr(&["dist/b.pdf", "not a file (a pipe, socket or device)"]);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "the pipe was opened"
    );
    assert_eq!(listing(&site), names);
}

/// Runs folio in `site` as a user that file permissions apply to: as
/// root, through `setpriv` without the capabilities that bypass them.
/// `None` (and a visible line) when that is not possible here.
fn run_unprivileged(site: &Site, args: &[&str]) -> Option<Run> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    let root = String::from_utf8_lossy(&uid.stdout).trim() == "0";
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args([
            "--bounding-set=-dac_override,-dac_read_search,-fowner",
            "--",
        ])
        .arg(env!("CARGO_BIN_EXE_folio"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_folio"))
    };
    let out = cmd
        .args(args)
        .current_dir(site.root())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env("NO_COLOR", "1")
        .output();
    match out {
        Ok(out) => {
            let run = Run {
                code: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            };
            run.assert_no_crash();
            Some(run)
        }
        Err(e) => {
            println!(
                "skipped: cannot drop root's file capabilities (setpriv: {e}): read-only case not checked"
            );
            None
        }
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_output_folder_is_left_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::new();
    site.build_ok();
    edit_page(&site);
    // The text folder stays writable: its files would be staged, and must
    // be removed again when the PDF cannot be.
    let mode = |m| std::fs::Permissions::from_mode(m);
    std::fs::set_permissions(site.path("dist"), mode(0o555)).unwrap();
    let (files, names) = (site.outputs(), listing(&site));
    let run = run_unprivileged(&site, &["build"]);
    std::fs::set_permissions(site.path("dist"), mode(0o755)).unwrap();
    let Some(run) = run else { return };
    run.assert_code(1).assert_stderr(&[
        "dist",
        "cannot create a file in this output folder",
        "Permission denied",
    ]);
    assert_eq!(listing(&site), names);
    assert!(site.outputs() == files, "an output changed");
    // Writable again, the same build goes through.
    run_unprivileged(&site, &["build"]).unwrap().assert_code(0);
    assert!(site.outputs_contain(b"changed page"));
}

#[test]
fn stale_temporaries_go_and_a_running_builds_stay() {
    let site = Site::new();
    site.build_ok();
    let text = first_text_file(&site);
    let text_dir = Path::new(&text)
        .parent()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    // A process that runs for the whole test stands for a build beside ours.
    let mut live = Command::new("sleep").arg("60").spawn().expect("run sleep");
    let live_pid = live.id();
    let stale = [
        format!("dist/.folio-{DEAD_PID}-aaaaaa.tmp"),
        format!("dist/{text_dir}/.folio-{DEAD_PID}-bbbbbb.tmp"),
        // Written by a folio that named temporaries without a pid.
        "dist/.folio-Ab12Cd.tmp".to_string(),
        format!("dist/{text_dir}/.folio-123456.tmp"),
    ];
    let kept = [
        format!("dist/.folio-{live_pid}-cccccc.tmp"),
        format!("dist/{text_dir}/.folio-{live_pid}-dddddd.tmp"),
        // Not folio's: other names are never touched.
        "dist/folio-1-x.tmp".to_string(),
        format!("dist/{text_dir}/.folio-{DEAD_PID}-e.tmp.part"),
    ];
    for path in stale.iter().chain(&kept) {
        site.write(path, "left over");
    }
    // A folder of a temporary's name is not folio's doing either.
    std::fs::create_dir(site.path(&format!("dist/.folio-{DEAD_PID}-folder.tmp"))).unwrap();
    // A text-only build still sweeps the output folder it writes in.
    site.run(&["build", "--format", "text"]).assert_code(0);
    let _ = live.kill();
    let _ = live.wait();
    for path in &stale {
        assert!(!site.path(path).exists(), "{path} left behind");
    }
    for path in &kept {
        assert!(site.path(path).exists(), "{path} removed");
    }
    assert!(
        site.path(&format!("dist/.folio-{DEAD_PID}-folder.tmp"))
            .is_dir()
    );
}

#[test]
fn unchanged_outputs_keep_their_times_and_stale_text_waits_for_success() {
    let site = Site::empty();
    site.config(&book_config("[one.md, two.md]"));
    site.write("content/one.md", PAGE);
    site.write("content/two.md", PAGE.replace("Page", "Two"));
    site.build_ok();
    let mtimes = |site: &Site| -> BTreeMap<String, std::time::SystemTime> {
        listing(site)
            .into_iter()
            .map(|p| {
                let t = std::fs::metadata(site.path(&format!("dist/{p}")))
                    .unwrap()
                    .modified()
                    .unwrap();
                (p, t)
            })
            .collect()
    };
    let before = mtimes(&site);
    std::thread::sleep(Duration::from_millis(20));
    site.run(&["build"]).assert_code(0);
    assert_eq!(mtimes(&site), before, "an identical output was rewritten");

    // Page two leaves the book while the EPUB cannot be written: its text
    // file stays until a build succeeds.
    let two = listing(&site)
        .into_iter()
        .find(|p| p.starts_with("text/b/") && p.contains("two"))
        .expect("page two's text");
    site.config(&book_config("[one.md]"));
    std::fs::remove_file(site.path("dist/b.epub")).unwrap();
    std::fs::create_dir(site.path("dist/b.epub")).unwrap();
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr(&["dist/b.epub"]);
    assert!(
        site.path(&format!("dist/{two}")).exists(),
        "removed by a failed build"
    );
    std::fs::remove_dir(site.path("dist/b.epub")).unwrap();
    site.run(&["build"]).assert_code(0);
    assert!(
        !site.path(&format!("dist/{two}")).exists(),
        "stale text kept"
    );
    assert!(site.path("dist/b.epub").is_file());
}

/// Makes a named pipe at `path`; false (and a visible line) without mkfifo.
fn mkfifo(path: &Path) -> bool {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        println!("skipped: mkfifo not available: pipe case not checked");
    }
    made
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_is_replaced_and_never_followed() {
    let site = Site::new();
    site.build_ok();
    let (dir, secret_path, marker) = secret();
    let link = |target: &Path, output: &str| {
        std::fs::remove_file(site.path(output)).unwrap();
        std::os::unix::fs::symlink(target, site.path(output)).unwrap();
    };
    link(&secret_path, "dist/b.pdf");
    // A pipe outside the project: reading through the link would block.
    let pipe = dir.path().join("pipe");
    let have_pipe = mkfifo(&pipe);
    if have_pipe {
        link(&pipe, "dist/b.epub");
    }
    let start = Instant::now();
    site.run(&["build"]).assert_code(0);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "a link was followed"
    );
    for output in ["dist/b.pdf", "dist/b.epub"] {
        let meta = std::fs::symlink_metadata(site.path(output)).unwrap();
        assert!(meta.is_file(), "{output} is still a link");
    }
    assert_eq!(
        std::fs::read_to_string(&secret_path).unwrap(),
        format!("{marker}\n")
    );
    assert!(!site.outputs_contain(marker.as_bytes()));
}

/// A `folio.yaml` of book `b` (`page.md`) with these fonts and templates
/// folders (`None`: the repository's) and `extra` from line 8 on.
fn project_yaml(fonts: Option<&str>, templates: Option<&str>, extra: &str) -> String {
    let root = super::common::root();
    let (f, t) = (root.join("fonts"), root.join("templates"));
    format!(
        "fonts: {}\ntemplates: {}\nbooks:\n  b:\n    title: Book\n    formats: [text, pdf, epub]\n    pages: [page.md]\n{extra}",
        fonts.unwrap_or(&f.to_string_lossy()),
        templates.unwrap_or(&t.to_string_lossy()),
    )
}

/// A project whose output folder falls on its sources.
struct Collision {
    what: &'static str,
    yaml: String,
    /// The content root, relative to the project.
    content: &'static str,
    args: &'static [&'static str],
    /// What the refusal must say.
    needles: &'static [&'static str],
}

#[test]
fn an_output_folder_over_the_sources_is_refused() {
    let cases = [
        Collision {
            what: "output: content",
            yaml: project_yaml(None, None, "output: content\n"),
            content: "content",
            args: &["build"],
            needles: &["folio.yaml:8", "`output: content`", "is the content root"],
        },
        Collision {
            what: "--out content/",
            yaml: project_yaml(None, None, ""),
            content: "content",
            args: &["build", "--out", "content/"],
            needles: &["--out content/", "is the content root"],
        },
        Collision {
            what: "--out through ..",
            yaml: project_yaml(None, None, ""),
            content: "content",
            args: &["build", "--out", "./mystatic/../content"],
            needles: &["is the content root (content)"],
        },
        Collision {
            what: "static root",
            yaml: project_yaml(None, None, "static: mystatic\n"),
            content: "content",
            args: &["build", "--out", "mystatic"],
            needles: &["--out mystatic", "is the static root"],
        },
        Collision {
            what: "fonts folder",
            yaml: project_yaml(Some("myfonts"), None, ""),
            content: "content",
            args: &["build", "--out", "myfonts"],
            needles: &["--out myfonts", "is the fonts folder"],
        },
        Collision {
            what: "templates folder, by the default output folder",
            yaml: project_yaml(None, Some("dist"), ""),
            content: "content",
            args: &["build", "--format", "pdf"],
            needles: &[
                "folio.yaml",
                "the default output folder",
                "is the templates folder",
            ],
        },
        Collision {
            what: "an ancestor whose text folder is the content root",
            yaml: project_yaml(None, None, "content: out/text/b\noutput: out\n"),
            content: "out/text/b",
            args: &["build"],
            needles: &[
                "folio.yaml:9",
                "holds the content root",
                "would delete sources",
            ],
        },
    ];
    for Collision {
        what,
        yaml,
        content,
        args,
        needles,
    } in cases
    {
        let site = Site::empty();
        site.config(&yaml);
        // Sources a wrong write would destroy: a page, a note beside it, a
        // static file, a font licence, a template.
        site.write(&format!("{content}/page.md"), PAGE);
        site.write(&format!("{content}/notes.txt"), "sources");
        site.write("mystatic/robots.txt", "sources");
        site.write("myfonts/OFL.txt", "sources");
        // A fonts folder must hold font files to be accepted at all.
        site.write("myfonts/Font.ttf", "sources");
        site.write("dist/style.txt", "sources");
        let before = listing_all(&site);
        let run = site.run(args);
        run.assert_code(1);
        for needle in needles.iter().chain(&["nothing was written"]) {
            assert!(
                run.stderr.contains(needle),
                "{what}: `{needle}` not in:\n{}",
                run.stderr
            );
        }
        assert_eq!(listing_all(&site), before, "{what}: files changed");
    }
}

/// Every file in the site with its bytes.
fn listing_all(site: &Site) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![site.root().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn an_output_folder_above_the_sources_but_apart_from_the_text_is_allowed() {
    // `output: .` holds `content/`, but the text goes to `./text/b`: no
    // source is written over or removed.
    let site = Site::new();
    site.config(&format!("{}output: .\n", book_config("[page.md]")));
    site.write("content/notes.txt", "sources");
    site.run(&["build"]).assert_code(0);
    assert!(site.path("b.pdf").is_file() && site.path("text/b").is_dir());
    assert_eq!(
        std::fs::read(site.path("content/notes.txt")).unwrap(),
        b"sources"
    );
}

#[test]
fn check_writes_nothing() {
    let site = Site::new();
    site.run(&["check"]).assert_code(0);
    assert!(!site.path("dist").exists(), "check made the output folder");
    site.build_ok();
    edit_page(&site);
    let stale = format!("dist/.folio-{DEAD_PID}-aaaaaa.tmp");
    site.write(&stale, "left over");
    let before = listing_all(&site);
    // `check` renders every output in memory, as `build` does, and a
    // strict check that fails writes nothing either.
    site.run(&["check", "--strict"]).assert_code(0);
    assert_eq!(
        listing_all(&site),
        before,
        "check touched the output folder"
    );
    site.write(
        "content/page.md",
        "---\ntitle: Page\n---\n\n![gone](/nowhere.png)\n",
    );
    let before = listing_all(&site);
    site.run(&["check", "--strict"]).assert_code(1);
    assert_eq!(
        listing_all(&site),
        before,
        "check touched the output folder"
    );
    site.run(&["check"]).assert_code(0);
    assert_eq!(
        listing_all(&site),
        before,
        "check touched the output folder"
    );
}

/// When a build is interrupted.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// While it renders, before anything is written.
    Rendering,
    /// This long after its first temporary appeared.
    Staging(Duration),
    /// This long after its first output was replaced.
    Renaming(Duration),
}

/// Sends `signal` to `child` (SIGKILL through the standard library).
fn send(child: &mut Child, signal: &str) {
    if signal == "KILL" {
        child.kill().expect("kill folio");
        return;
    }
    let status = Command::new("kill")
        .args(["-s", signal, &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -s {signal}");
}

/// Waits until `happened` or the child ends; false when it ended first.
fn wait_until(child: &mut Child, happened: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if happened() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "nothing happened within a minute"
        );
        std::thread::sleep(Duration::from_micros(100));
    }
}

/// Whether a temporary of process `pid` is in one of `dirs`.
fn has_temporary(pid: u32, dirs: &[PathBuf]) -> bool {
    let prefix = format!(".folio-{pid}-");
    dirs.iter().any(|dir| {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        })
    })
}

#[cfg(unix)]
fn inode(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path).ok().map(|m| m.ino())
}

/// A book of 300 pages, `version` in every one of them (and in their
/// titles, so the index of the text folder changes with it).
fn big_site(site: &Site, version: &str) {
    for i in 1..=300 {
        site.write(
            &format!("content/p{i:03}.md"),
            format!(
                "---\ntitle: Page {i}, {version}\ndate: 2024-01-02\n---\n\nPage {i} has a paragraph of words to fill a line or two.\n\n## Section\n\nMore of page {i}, {version}.\n"
            ),
        );
    }
}

#[cfg(unix)]
#[test]
fn a_build_killed_while_writing_leaves_whole_files_and_no_trace_after_the_next() {
    let site = Site::empty();
    // No `pages:`: the book takes every page of the content folder.
    site.config(&book_config("[]").replace("    pages: []\n", ""));
    big_site(&site, "version one");
    let old = site.build_ok();
    big_site(&site, "version two");
    let new = site.build_ok();
    assert!(old.len() > 300 && old.keys().eq(new.keys()));
    assert!(
        old.iter().all(|(path, bytes)| new[path] != *bytes),
        "every output changes"
    );
    let watched = [site.path("dist"), site.path("dist/text/b")];
    let first_text = site.path("dist/text/b/p001.txt");
    let ms = Duration::from_millis;
    let moments = [
        ("KILL", Moment::Rendering),
        ("KILL", Moment::Staging(ms(0))),
        ("INT", Moment::Staging(ms(3))),
        ("KILL", Moment::Renaming(ms(0))),
        ("TERM", Moment::Renaming(ms(0))),
        ("KILL", Moment::Renaming(ms(1))),
        ("KILL", Moment::Renaming(ms(4))),
    ];
    let mut left_temporaries = 0;
    let mut mixed = 0;
    for (signal, moment) in moments {
        // Back to the complete old outputs.
        std::fs::remove_dir_all(site.path("dist")).unwrap();
        for (path, bytes) in &old {
            site.write(&format!("dist/{}", path.display()), bytes);
        }
        let old_inode = inode(&first_text);
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["build", "-q"])
            .current_dir(site.root())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run folio");
        let pid = child.id();
        let reached = match moment {
            Moment::Rendering => {
                // Frozen first, then looked at: no temporary can appear
                // between the look and the kill. On a fast machine the
                // build may be past rendering already; then this round
                // checks only that the outputs stay whole.
                std::thread::sleep(ms(30));
                send(&mut child, "STOP");
                !has_temporary(pid, &watched)
            }
            Moment::Staging(delay) => {
                let seen = wait_until(&mut child, || has_temporary(pid, &watched));
                std::thread::sleep(delay);
                seen
            }
            Moment::Renaming(delay) => {
                let seen = wait_until(&mut child, || inode(&first_text) != old_inode);
                std::thread::sleep(delay);
                seen
            }
        };
        send(&mut child, signal);
        let status = child.wait().unwrap();
        let label = format!("{signal} at {moment:?} ({status})");
        if !reached {
            println!("{label}: the build ended before the moment came");
        }

        // Every output is whole: the old file or the new one.
        let now = site.outputs();
        let (temps, outputs): (Vec<_>, Vec<_>) = now.iter().partition(|(p, _)| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".folio-")
        });
        assert!(
            outputs.iter().map(|(p, _)| *p).eq(old.keys()),
            "{label}: an output is missing"
        );
        let fresh = outputs.iter().filter(|(p, b)| new[*p] == **b).count();
        for (path, bytes) in &outputs {
            assert!(
                old[*path] == **bytes || new[*path] == **bytes,
                "{label}: {} is neither the old nor the new file",
                path.display()
            );
        }
        if matches!(moment, Moment::Rendering) && reached {
            assert_eq!(
                (fresh, temps.len()),
                (0, 0),
                "{label}: written while rendering"
            );
        }
        println!(
            "{label}: {fresh} of {} outputs new, {} temporaries left",
            outputs.len(),
            temps.len()
        );
        left_temporaries += usize::from(!temps.is_empty());
        mixed += usize::from(fresh > 0 && fresh < outputs.len());

        // The next build completes the write and leaves nothing behind.
        site.run(&["build"]).assert_code(0);
        assert!(
            temporaries(&site).is_empty(),
            "{label}: {:?}",
            temporaries(&site)
        );
        assert!(
            site.outputs() == new,
            "{label}: the next build is not the new one"
        );
    }
    assert!(
        left_temporaries > 0,
        "no interruption left a temporary: the cleanup went untested"
    );
    println!("{mixed} interruptions left old and new outputs side by side");
}
