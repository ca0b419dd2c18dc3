//! The EPUB backend on the default booklet and on the 169-page xmpp.org
//! corpus: rendering alone (model already loaded), and load + render as
//! `folio build --format epub` does it. `cargo bench --bench epub`.

use criterion::{Criterion, criterion_group, criterion_main};
use folio::backend::epub::{EpubOptions, render};
use folio::{Diagnostics, LoadOptions, Project, load_book};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn options(project: &Project) -> EpubOptions {
    let mut options = EpubOptions::new(project.resources());
    let logo = root().join("content/images/logos/xmpp-logo-text.svg");
    options.cover_logo = logo.is_file().then_some(logo);
    options
}

fn bench(c: &mut Criterion) {
    let load = LoadOptions {
        date: 1_700_000_000,
        ..LoadOptions::default()
    };
    let booklet = Project::from_config(&root().join("folio.yaml")).unwrap();
    let epub_options = options(&booklet);
    let book = load_book(&booklet, "about-xmpp", &load).unwrap().book;
    c.bench_function("booklet: EPUB render (4 pages)", |b| {
        b.iter(|| render(&book, &epub_options, &mut Diagnostics::default()).unwrap())
    });
    c.bench_function("booklet: load + EPUB render", |b| {
        b.iter(|| {
            let book = load_book(&booklet, "about-xmpp", &load).unwrap().book;
            render(&book, &epub_options, &mut Diagnostics::default()).unwrap()
        })
    });

    let Some(base) = root()
        .ancestors()
        .map(|d| d.join("shared/corpus/xmpp-org"))
        .find(|d| d.is_dir())
    else {
        eprintln!("../shared/corpus/xmpp-org not found: corpus benchmarks skipped");
        return;
    };
    let mut site = Project::site(base.join("content"), Some(base.join("static")), None);
    site.fonts_dir = booklet.fonts_dir.clone();
    site.templates_dir = booklet.templates_dir.clone();
    let corpus = load_book(&site, "site", &load).unwrap().book;
    c.bench_function("corpus: EPUB render (169 pages)", |b| {
        b.iter(|| render(&corpus, &epub_options, &mut Diagnostics::default()).unwrap())
    });
    c.bench_function("corpus: load + EPUB render", |b| {
        b.iter(|| {
            let book = load_book(&site, "site", &load).unwrap().book;
            render(&book, &epub_options, &mut Diagnostics::default()).unwrap()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
