//! Any string searched on a small index of the bundled corpus: hits with valid highlights and
//! snippets, or a documented refusal.
#![no_main]

use std::sync::OnceLock;

use aes_search::{Engine, Error, SearchOptions, SyncOptions};
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("aes-search-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let engine = Engine::open_or_create(&dir).expect("index");
        engine.sync_folders(&[concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus")], &SyncOptions::default()).expect("sync");
        engine
    })
}

fuzz_target!(|q: &str| {
    match engine().search(q, &SearchOptions { limit: 5, per_article: 2 }) {
        Ok(hits) => {
            for hit in hits {
                let text = &hit.passage.text;
                for &(s, e) in &hit.passage.highlights {
                    assert!(s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e));
                }
                let snippet = hit.passage.snippet(40);
                for &(s, e) in &snippet.highlights {
                    assert!(e <= snippet.text.len() && snippet.text.is_char_boundary(s) && snippet.text.is_char_boundary(e));
                }
            }
        }
        Err(Error::QueryTooLong(_)) | Err(Error::EmptyQuery) => {}
        Err(e) => panic!("unexpected error for {q:?}: {e}"),
    }
});
