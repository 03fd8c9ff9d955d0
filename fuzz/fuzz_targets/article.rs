//! Bytes → decoded text → cleaned article → passages → tokens: never panics, offsets stay valid.
#![no_main]

use aes_search::analysis::french_analyzer;
use aes_search::clean::{clean, NoFurniture};
use aes_search::{article, passage};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = article::text_from_bytes(std::path::Path::new("fuzz.txt"), bytes) else { return };
    let cleaned = clean(&text, &NoFurniture);
    let mut analyzer = french_analyzer();
    for p in passage::split(&cleaned.paragraphs) {
        let mut stream = analyzer.token_stream(&p.text);
        while let Some(t) = stream.next() {
            assert!(t.offset_from <= t.offset_to && t.offset_to <= p.text.len());
            assert!(p.text.is_char_boundary(t.offset_from) && p.text.is_char_boundary(t.offset_to));
        }
    }
});
