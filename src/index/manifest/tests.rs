//! The manifest's formats, tested: it reads back as written, stays sorted, changes on a base give
//! the files back, and the formats of earlier builds still read.

use super::*;
use proptest::strategy::Strategy;

/// An entry for a file of one byte holding `content`'s hash (tests of this wing).
pub(in crate::index) fn entry(content: &str) -> FileEntry {
    FileEntry {
        size: 1,
        mtime_ns: 1,
        hash: ContentHash::of(content.as_bytes()),
        jsonl: false,
    }
}

#[test]
fn the_manifest_reads_back_as_written() {
    let refused = Refused {
        size: 3,
        mtime_ns: u128::from(u64::MAX) + 7,
        reason: "binary file, not text".into(),
        limit: None,
    };
    let jsonl = FileEntry {
        jsonl: true,
        ..entry("passages")
    };
    // Every optional part absent, then present: a field left out when writing would shift
    // everything after it in the binary form.
    type Case<'a> = (&'a [(&'a str, FileEntry)], Option<Refused>);
    let cases: [Case; 3] = [
        (&[], None),
        (&[("a.txt", entry("a")), ("é/b.md", entry("b"))], None),
        (&[("a.txt", entry("a")), ("p.jsonl", jsonl)], Some(refused)),
    ];
    for (files, refused) in cases {
        let mut manifest = Manifest::new();
        manifest.files = Files::from_entries(
            files
                .iter()
                .map(|(path, e)| (path.to_string(), *e))
                .collect(),
        );
        manifest
            .refused
            .extend(refused.map(|r| ("bad.txt".to_string(), r)));
        let bytes = manifest.encode().expect("encodes");
        let back = Manifest::decode("aes-manifest-1.bin", &bytes).expect("decodes");
        assert_eq!(
            (back.files, back.refused),
            (manifest.files, manifest.refused)
        );
        assert_eq!(
            (back.format, back.version),
            (manifest.format, manifest.version)
        );
        assert!(Manifest::decode("aes-manifest-1.bin", &bytes[..bytes.len() - 1]).is_none());
    }
}

#[test]
fn files_are_kept_sorted_by_path_each_path_once() {
    let cases: [(&[&str], &[&str]); 4] = [
        (&[], &[]),
        (&["b", "a/c", "a"], &["a", "a/c", "b"]),
        (&["a", "b", "a"], &["a", "b"]),
        (&["é", "z", "e"], &["e", "z", "é"]),
    ];
    for (given, sorted) in cases {
        let files = Files::from_entries(
            given
                .iter()
                .enumerate()
                .map(|(i, p)| (p.to_string(), entry(&i.to_string())))
                .collect(),
        );
        assert_eq!(files.paths().collect::<Vec<_>>(), sorted, "{given:?}");
        for path in sorted {
            let first = given.iter().position(|p| p == path).unwrap();
            assert_eq!(files.get(path), Some(&entry(&first.to_string())));
        }
        assert_eq!(files.get("missing"), None);
    }
}

/// Files as a map from a few paths to a few contents (paths nest: "a" < "a/b" < "b").
fn arb_files() -> impl proptest::strategy::Strategy<Value = BTreeMap<String, FileEntry>> {
    let path = proptest::sample::select(vec!["a", "a/b", "a.txt", "b", "é", "z/y"]);
    proptest::collection::btree_map(path.prop_map(String::from), 0u8..3, 0..6).prop_map(|m| {
        m.into_iter()
            .map(|(p, c)| (p, entry(&c.to_string())))
            .collect()
    })
}

fn files_of(map: &BTreeMap<String, FileEntry>) -> Files {
    Files(map.clone().into_iter().collect())
}

proptest::proptest! {
    /// Changes taken between two states give the second from the first, and two rounds of
    /// changes composed give what applying them in turn gives: a manifest read back as its
    /// base plus its changes is the manifest that was written.
    #[test]
    fn changes_applied_to_their_base_give_the_files_back(
        base in arb_files(), mid in arb_files(), last in arb_files()
    ) {
        let (base, mid, last) = (files_of(&base), files_of(&mid), files_of(&last));
        let first = mid.changes_since(&base);
        proptest::prop_assert_eq!(&base.clone().with_changes(&first), &mid);
        let second = last.changes_since(&mid);
        proptest::prop_assert_eq!(&mid.clone().with_changes(&second), &last);
        let both = compose(first, second);
        proptest::prop_assert!(both.is_sorted_by(|a, b| a.0 < b.0));
        proptest::prop_assert_eq!(&base.with_changes(&both), &last);
        proptest::prop_assert!(last.changes_since(&last).is_empty());
    }
}

/// The sorted list is written as the map of earlier builds was, so their binary manifests
/// read as they are, and a list written out of order reads sorted.
#[test]
fn files_read_the_binary_map_of_earlier_builds() {
    let map: BTreeMap<String, FileEntry> = [("b.txt", "b"), ("a.txt", "a"), ("c/d.txt", "d")]
        .into_iter()
        .map(|(p, c)| (p.to_string(), entry(c)))
        .collect();
    let bytes = postcard::to_stdvec(&map).expect("encodes");
    let files: Files = postcard::from_bytes(&bytes).expect("decodes");
    assert_eq!(files.0, map.clone().into_iter().collect::<Vec<_>>());
    assert_eq!(postcard::to_stdvec(&files).expect("encodes"), bytes);

    let reversed: Vec<(String, FileEntry)> = map.clone().into_iter().rev().collect();
    let bytes = postcard::to_stdvec(&reversed).expect("encodes");
    let files: Files = postcard::from_bytes(&bytes).expect("decodes");
    assert_eq!(files.0, map.into_iter().collect::<Vec<_>>());
}

/// Indexes made before the binary manifest are read as they are, not rebuilt.
#[test]
fn a_json_manifest_of_earlier_builds_is_read() {
    let hash = ContentHash::of(b"article");
    let hex = blake3::hash(b"article").to_hex();
    let json = format!(
        r#"{{"format":"aes-search","version":{FORMAT_VERSION},"files":{{"a.txt":{{"size":5,"mtime_ns":6,"hash":"{hex}"}}}}}}"#
    );
    let manifest = Manifest::decode("aes-manifest-9.json", json.as_bytes()).expect("JSON");
    let expected = FileEntry {
        size: 5,
        mtime_ns: 6,
        hash,
        jsonl: false,
    };
    assert_eq!(manifest.files.get("a.txt"), Some(&expected));
    assert!(manifest.refused.is_empty());
    assert_eq!(hash.article_id(), hex.as_str()[..16]);
}
