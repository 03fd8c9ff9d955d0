//! The same story once: an article whose near-duplicate fingerprint (see `crate::near`) is close
//! to that of an article already shown is not shown again; it is listed under the one shown, as
//! another outlet that carried it.

use std::collections::HashMap;

use crate::near::near;

/// The articles shown so far with their fingerprints, and the copies folded into them.
#[derive(Default)]
pub(super) struct Copies {
    /// (article id, fingerprint, index of its first hit)
    shown: Vec<(String, u64, usize)>,
    /// Article id → index of the hit that shows its copy.
    folded: HashMap<String, usize>,
}

impl Copies {
    /// The hit that shows a copy of this article, if one does, and whether this is the first
    /// time the article is met (so that it is listed once).
    pub(super) fn copy_of(&mut self, id: &str, print: Option<u64>) -> Option<(usize, bool)> {
        if let Some(&hit) = self.folded.get(id) {
            return Some((hit, false));
        }
        let print = print?;
        let &(_, _, hit) = self
            .shown
            .iter()
            .find(|(shown, p, _)| shown != id && near(print, *p))?;
        self.folded.insert(id.to_string(), hit);
        Some((hit, true))
    }

    /// Records that hit `hit` shows article `id`.
    pub(super) fn show(&mut self, id: &str, print: Option<u64>, hit: usize) {
        if let Some(print) = print {
            if !self.shown.iter().any(|(shown, _, _)| shown == id) {
                self.shown.push((id.to_string(), print, hit));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_goes_under_the_first_article_shown_and_only_once() {
        let mut copies = Copies::default();
        assert_eq!(copies.copy_of("a", Some(0b1111_0000)), None);
        copies.show("a", Some(0b1111_0000), 0);
        // (article, fingerprint, expected)
        let table = [
            ("a", Some(0b1111_0000), None),             // itself, another passage
            ("b", Some(0b1111_0111), Some((0, true))),  // 3 bits apart: a copy
            ("b", Some(0b1111_0111), Some((0, false))), // its next passage: folded already
            ("c", Some(!0b1111_0000), None),            // 64 bits apart: another story
            ("d", None, None),                          // no fingerprint: never a copy
        ];
        for (id, print, expected) in table {
            assert_eq!(copies.copy_of(id, print), expected, "{id}");
        }
    }
}
