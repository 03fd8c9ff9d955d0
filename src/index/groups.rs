//! Articles as groups of files: files with the same content are one article, named by its
//! first path; a JSON Lines file is always its own. A sync regroups only the groups that hold a
//! file added, removed or changed.

use std::collections::{BTreeMap, HashSet};

use super::manifest::ContentHash;
use super::manifest::{FileEntry, Files};

/// An article: the files that hold the same content, or one JSON Lines file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Group<'a> {
    Content(ContentHash),
    Jsonl(&'a str, ContentHash),
}

/// The group of a file: files with the same content are one article; a JSON Lines file is
/// always its own.
pub(super) fn group_key<'a>(path: &'a str, entry: &FileEntry) -> Group<'a> {
    if entry.jsonl {
        Group::Jsonl(path, entry.hash)
    } else {
        Group::Content(entry.hash)
    }
}

/// The groups a sync may change. Every file of the index is asked whether it belongs to one
/// (three times per sync), and nearly none does: a sorted list of the groups' first 64 bits
/// answers most of them without hashing the whole key.
#[derive(Debug, Default)]
pub(super) struct Affected<'a> {
    pub(super) groups: HashSet<Group<'a>>,
    pub(super) prefixes: Vec<u64>,
}

impl<'a> Affected<'a> {
    pub(super) fn insert(&mut self, group: Group<'a>) {
        self.groups.insert(group);
    }

    pub(super) fn sealed(mut self) -> Self {
        self.prefixes = self.groups.iter().map(Group::prefix).collect();
        self.prefixes.sort_unstable();
        self
    }

    pub(super) fn contains(&self, group: &Group<'_>) -> bool {
        self.prefixes.binary_search(&group.prefix()).is_ok() && self.groups.contains(group)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

impl Group<'_> {
    pub(super) fn prefix(&self) -> u64 {
        match self {
            Group::Content(hash) | Group::Jsonl(_, hash) => hash.prefix(),
        }
    }
}

/// The groups of the files whose entry differs between `old` and `new` (added, removed or
/// changed), on either side; found in one walk of both lists in path order.
pub(super) fn affected_groups<'a>(old: &'a Files, new: &'a Files) -> Affected<'a> {
    let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
    let mut out = Affected::default();
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(&(pa, ea)), Some(&(pb, eb))) if pa == pb => {
                if ea != eb {
                    out.insert(group_key(pa, ea));
                    out.insert(group_key(pb, eb));
                }
                a.next();
                b.next();
            }
            (Some(&(pa, ea)), Some(&(pb, _))) if pa < pb => {
                out.insert(group_key(pa, ea));
                a.next();
            }
            (Some(&(pa, ea)), None) => {
                out.insert(group_key(pa, ea));
                a.next();
            }
            (_, Some(&(pb, eb))) => {
                out.insert(group_key(pb, eb));
                b.next();
            }
        }
    }
    out.sealed()
}

/// The files of each of the `groups`, by path order: the first is the article's name.
pub(super) fn primaries<'a>(
    files: &'a Files,
    groups: &Affected<'_>,
) -> BTreeMap<Group<'a>, Vec<&'a str>> {
    let mut out: BTreeMap<Group<'a>, Vec<&'a str>> = BTreeMap::new();
    if groups.is_empty() {
        return out;
    }
    for (path, entry) in files.iter() {
        let key = group_key(path, entry);
        if groups.contains(&key) {
            out.entry(key).or_default().push(path);
        }
    }
    out
}
