//! The EPUB backend on the default booklet and on the 169-page xmpp.org
//! corpus: rendering alone (model already loaded), and load + render as
//! `folio build --format epub` does it. `cargo bench --bench epub`.

// The integration tests' helpers: where `../shared` and the crate are (a
// missing corpus skips its benchmarks with a visible line).
#[path = "../tests/common/mod.rs"]
mod common;

use common::{corpus, root};
use criterion::{Criterion, criterion_group, criterion_main};
use folio::backend::epub::{EpubOptions, render};
use folio::{Diagnostics, LoadOptions, Project, load_book};

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

    let Some((content, static_dir)) = corpus() else {
        return;
    };
    let mut site = Project::site(content, Some(static_dir), None);
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
