//! Load + model + plain text of the 169-page xmpp.org corpus, and of the
//! default press kit. `cargo bench --bench text`.

// The integration tests' helpers: where `../shared` and the crate are (a
// missing corpus skips its benchmark with a visible line).
#[path = "../tests/common/mod.rs"]
mod common;

use common::corpus;
use criterion::{Criterion, criterion_group, criterion_main};
use folio::backend::text::{TextOptions, render};
use folio::{LoadOptions, Project, load_book};
use std::path::PathBuf;

fn bench(c: &mut Criterion) {
    if let Some((content, static_dir)) = corpus() {
        let project = Project::site(content, Some(static_dir), None);
        c.bench_function("corpus: load + model + text (169 pages)", |b| {
            b.iter(|| {
                let loaded = load_book(&project, "site", &LoadOptions::default()).unwrap();
                render(&loaded.book, &TextOptions::default())
            })
        });
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let kit = Project::from_config(&root.join("folio.yaml")).unwrap();
    c.bench_function("press kit: load + model + text", |b| {
        b.iter(|| {
            let loaded = load_book(&kit, "press-kit", &LoadOptions::default()).unwrap();
            render(&loaded.book, &TextOptions::default())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
