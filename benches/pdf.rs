//! PDF rendering of the default press kit and of the 169-page xmpp.org
//! corpus (layout, shaping, images, fonts subset, file written to memory).
//! The books are loaded once, outside the timed part. `cargo bench --bench pdf`.

// The integration tests' helpers: where `../shared` and the crate are (a
// missing corpus skips its benchmark with a visible line).
#[path = "../tests/common/mod.rs"]
mod common;

use common::corpus;
use criterion::{Criterion, criterion_group, criterion_main};
use folio::backend::pdf::{PdfOptions, render};
use folio::{Diagnostics, LoadOptions, Project, load_book};
use std::path::PathBuf;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let kit = Project::from_config(&root.join("folio.yaml")).unwrap();
    let options = PdfOptions {
        resources: kit.resources(),
        paper: None,
        standard: None,
        threads: None,
        memo: None,
        disk_cache: None,
    };
    let book = load_book(&kit, "press-kit", &LoadOptions::default())
        .unwrap()
        .book;
    c.bench_function("press kit: PDF", |b| {
        b.iter(|| render(&book, &options, &mut Diagnostics::default()).unwrap())
    });
    let Some((content, static_dir)) = corpus() else {
        return;
    };
    let site = Project::site(content, Some(static_dir), None);
    let corpus = load_book(&site, "site", &LoadOptions::default())
        .unwrap()
        .book;
    let mut group = c.benchmark_group("corpus");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("corpus: PDF (169 pages)", |b| {
        b.iter(|| render(&corpus, &options, &mut Diagnostics::default()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
