//! Bytes → decoded text → cleaned article → passages → tokens: never panics, offsets stay valid.
#![no_main]

use aes_search::analysis::{french_analyzer, tokens};
use aes_search::clean::{clean, NoFurniture};
use aes_search::{article, passage};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = article::text_from_bytes(std::path::Path::new("fuzz.txt"), bytes) else { return };
    let cleaned = clean(&text, &NoFurniture);
    let mut analyzer = french_analyzer();
    for p in passage::split(&cleaned.paragraphs) {
        for t in tokens(&mut analyzer, &p.text) {
            assert!(t.offset_from <= t.offset_to && t.offset_to <= p.text.len());
            assert!(p.text.is_char_boundary(t.offset_from) && p.text.is_char_boundary(t.offset_to));
        }
    }
});
