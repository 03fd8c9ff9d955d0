//! Any bytes as a saved page: read (or refused as binary), its text through the line cleaner
//! with the page's facts put over it; never panics, and what is kept is text of the page.
#![no_main]

use aes_search::clean::{clean, NoFurniture};
use aes_search::html;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(page) = html::read(bytes) else { return };
    let text = page.text();
    let mut cleaned = clean(&text, &NoFurniture);
    page.facts.apply(&text, &mut cleaned);
    for p in &cleaned.paragraphs {
        assert!(!p.contains('\n'), "a paragraph is one line: {p:?}");
    }
    if let Some(date) = &page.facts.date {
        assert_eq!(date.len(), 10, "{date}");
    }
});
