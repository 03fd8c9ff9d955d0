//! Any string through the query parser: parsed, or refused with a documented error.
#![no_main]

use aes_search::{query, Error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|q: &str| {
    match query::parse(q) {
        Ok(_) | Err(Error::QueryTooLong(_)) | Err(Error::EmptyQuery) => {}
        Err(e) => panic!("unexpected error for {q:?}: {e}"),
    }
});
