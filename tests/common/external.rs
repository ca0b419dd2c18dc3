//! What a test needs from outside the repository: the xmpp.org corpus in
//! `../shared`, and validator programs (qpdf, poppler, epubcheck, strace)
//! found on `PATH`. Without one, a check is skipped with one visible
//! `skipped: …` line, or fails when `CI` or `FOLIO_REQUIRE_VALIDATORS` is
//! set, so that CI can never pass by skipping.
//!
//! Plain `std` only: the library's unit tests include this file too
//! (`src/lib.rs`), so there is one skip policy for every test.
#![allow(dead_code)]

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// True when a missing validator or corpus must fail the test: `CI` or
/// `FOLIO_REQUIRE_VALIDATORS` set to anything but empty, `0` or `false`.
pub fn required() -> bool {
    ["CI", "FOLIO_REQUIRE_VALIDATORS"]
        .iter()
        .any(|var| std::env::var(var).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false"))
}

/// Reports a check that cannot run here: panics when [`required`], else
/// prints `skipped: {reason} [test name]` on stderr.
pub fn skip(reason: &str) {
    // libtest runs each test on a thread named after it.
    let thread = std::thread::current();
    let test = match thread.name() {
        Some(name) if name != "main" => format!(" [{name}]"),
        _ => String::new(),
    };
    if required() {
        panic!("{reason}{test} (CI or FOLIO_REQUIRE_VALIDATORS is set: not skipped)");
    }
    // libtest captures print!/eprint!, not writes to the stderr handle: this
    // line shows in a plain `cargo test`, without `--nocapture`.
    let line = format!("skipped: {reason}{test}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
}

// ---------------------------------------------------------------- corpus

/// `shared/corpus/xmpp-org` beside the repository (or beside one of its
/// parent folders), when there is one.
pub fn corpus_dir() -> Option<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared/corpus/xmpp-org"))
        .find(|dir| dir.join("content").is_dir())
}

/// The xmpp.org corpus: (content root, static root); `None` after a skip
/// line when `../shared` is missing (a clone of the repository alone).
pub fn corpus() -> Option<(PathBuf, PathBuf)> {
    match corpus_dir() {
        Some(base) => Some((base.join("content"), base.join("static"))),
        None => {
            skip("../shared/corpus/xmpp-org not found beside the repository: corpus not checked");
            None
        }
    }
}

// ---------------------------------------------------------------- programs

/// A validator ready to run: a program and the arguments that come before
/// the caller's (`java -jar epubcheck.jar …`).
#[derive(Debug, Clone)]
pub struct Tool {
    /// What the tests call it (`qpdf`, `epubcheck`).
    pub name: String,
    program: PathBuf,
    prefix: Vec<OsString>,
}

impl Tool {
    /// A command running the tool, without the caller's arguments yet.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.prefix);
        cmd
    }

    /// Runs the tool with `args`: (exit status was success, stdout + stderr).
    pub fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> (bool, String) {
        let out = self
            .command()
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.program.display()));
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.success(), text)
    }
}

/// The tools a test asked for, all found.
#[derive(Debug)]
pub struct Tools(Vec<Tool>);

impl Tools {
    /// The tool named `name` (one the test asked for).
    pub fn get(&self, name: &str) -> &Tool {
        self.0
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("{name} was not asked for"))
    }

    /// Runs `name` with `args` (see [`Tool::run`]).
    pub fn run<S: AsRef<std::ffi::OsStr>>(&self, name: &str, args: &[S]) -> (bool, String) {
        self.get(name).run(args)
    }
}

/// Every tool in `names`, or `None` after one skip line naming the missing
/// ones, how to install them, and `unchecked` (what the test leaves out).
pub fn validators(names: &[&str], unchecked: &str) -> Option<Tools> {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for name in names {
        match validator(name) {
            Ok(tool) => found.push(tool),
            Err(why) => missing.push(why),
        }
    }
    if missing.is_empty() {
        return Some(Tools(found));
    }
    skip(&format!("{}: {unchecked}", Missing::describe(&missing)));
    None
}

/// A validator that is not there, and what would provide it.
#[derive(Debug)]
pub struct Missing {
    /// The program (`qpdf`, `java (to run …/epubcheck.jar)`).
    pub what: String,
    /// Debian packages that install it.
    pub packages: Vec<String>,
    /// Another way to provide it (`set EPUBCHECK_JAR`).
    pub or: Option<&'static str>,
}

impl Missing {
    fn program(name: &str) -> Missing {
        Missing {
            what: name.into(),
            packages: vec![package(name).into()],
            or: None,
        }
    }

    /// `a, b not installed (apt-get install p q; or …)` for all of `missing`.
    pub fn describe(missing: &[Missing]) -> String {
        let what: Vec<&str> = missing.iter().map(|m| m.what.as_str()).collect();
        let mut packages: Vec<&str> = Vec::new();
        for p in missing.iter().flat_map(|m| &m.packages) {
            if !packages.contains(&p.as_str()) {
                packages.push(p);
            }
        }
        let mut how = vec![format!("apt-get install {}", packages.join(" "))];
        how.extend(
            missing
                .iter()
                .filter_map(|m| m.or)
                .map(|o| format!("or {o}")),
        );
        format!("{} not installed ({})", what.join(", "), how.join("; "))
    }
}

/// One validator by name: `epubcheck` as [`epubcheck`] finds it, anything
/// else as an executable on `PATH`.
pub fn validator(name: &str) -> Result<Tool, Missing> {
    if name == "epubcheck" {
        return epubcheck();
    }
    match on_path(name) {
        Some(program) => Ok(Tool {
            name: name.into(),
            program,
            prefix: Vec::new(),
        }),
        None => Err(Missing::program(name)),
    }
}

/// epubcheck: the jar `EPUBCHECK_JAR` names, else an `epubcheck` on `PATH`
/// (Debian's is the jar itself, run with java), else Debian's jar by its
/// usual paths. A jar needs `java` on `PATH`.
pub fn epubcheck() -> Result<Tool, Missing> {
    let jar = if let Some(jar) = std::env::var_os("EPUBCHECK_JAR") {
        let jar = PathBuf::from(jar);
        if !jar.is_file() {
            return Err(Missing {
                what: format!("epubcheck (EPUBCHECK_JAR={} is not a file)", jar.display()),
                packages: vec!["epubcheck".into()],
                or: Some("set EPUBCHECK_JAR to epubcheck's jar"),
            });
        }
        jar
    } else if let Some(program) = on_path("epubcheck") {
        if !is_zip(&program) {
            // A launcher script (Homebrew, a distribution's wrapper).
            return Ok(Tool {
                name: "epubcheck".into(),
                program,
                prefix: Vec::new(),
            });
        }
        program
    } else if let Some(jar) = ["/usr/share/java/epubcheck.jar", "/usr/bin/epubcheck"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
    {
        jar
    } else {
        return Err(Missing {
            what: "epubcheck".into(),
            packages: vec!["epubcheck".into(), package("java").into()],
            or: Some("set EPUBCHECK_JAR to epubcheck's jar"),
        });
    };
    let java = on_path("java").ok_or_else(|| Missing {
        what: format!("java (to run {})", jar.display()),
        packages: vec![package("java").into()],
        or: None,
    })?;
    Ok(Tool {
        name: "epubcheck".into(),
        program: java,
        // A check is a short run: the client compiler alone and the serial
        // collector halve the JVM's CPU time per EPUB (8.5 s to 4.3 s for
        // the booklet, 15.8 s to 7.3 s for the corpus), which is most of
        // what the EPUB tests cost; a large nav needs the bigger stack.
        prefix: [
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xss256m",
            "-jar",
        ]
        .into_iter()
        .map(OsString::from)
        .chain([jar.into_os_string()])
        .collect(),
    })
}

/// The first executable file called `name` in a folder of `PATH`.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file() || path.with_extension("exe").is_file()
}

/// A jar is a zip: it starts with `PK\3\4`.
fn is_zip(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == *b"PK\x03\x04"
}

/// The Debian package that installs `program` (most are named after it).
fn package(program: &str) -> &str {
    match program {
        "pdftotext" | "pdffonts" | "pdfinfo" | "pdfimages" | "pdftoppm" => "poppler-utils",
        "java" => "default-jre-headless",
        "mutool" => "mupdf-tools",
        other => other,
    }
}
