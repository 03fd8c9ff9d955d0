//! The walk's tests: a table of layouts, links, and unreadable folders on a real file system.

use super::*;
use std::os::unix::fs::{symlink, PermissionsExt};

fn exts(list: &[&str]) -> Vec<String> {
    list.iter().map(|e| e.to_string()).collect()
}

/// Lays out `files` (relative paths, folders created as needed) in a new temp dir.
fn layout(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        let path = dir.path().join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, file.as_bytes()).unwrap();
    }
    dir
}

fn relative<'a>(root: &Path, path: &'a str) -> &'a str {
    let root = root.to_str().unwrap();
    path.strip_prefix(root).unwrap().trim_start_matches('/')
}

/// The keys found, relative to `root`, in the order given.
fn keys(root: &Path, walk: &Walk) -> Vec<String> {
    walk.files
        .iter()
        .map(|f| relative(root, &f.key).to_string())
        .collect()
}

/// The skipped entries, relative to `root`, with their reasons.
fn skipped(root: &Path, walk: &Walk) -> Vec<(String, String)> {
    walk.skipped
        .iter()
        .map(|s| (relative(root, &s.path).to_string(), s.reason.clone()))
        .collect()
}

// A table (one row per case), hence over 80 lines.
#[test]
fn lists_files_by_extension_in_key_order() {
    // (what, files laid out, extensions, keys expected in this order, ignored)
    type Case<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a [&'a str], usize);
    let cases: &[Case] = &[
        (
            "hidden files and folders",
            &[
                ".hidden.txt",
                ".git/x.txt",
                "a/.b.txt",
                ".a/.b/c.txt",
                "ok.txt",
            ],
            &["txt"],
            &["ok.txt"],
            0,
        ),
        (
            "extension case",
            &["a.TXT", "b.Md", "c.jpg", "d.txt", "e.JPG", "noext"],
            &["txt", "md"],
            &["a.TXT", "b.Md", "d.txt"],
            3,
        ),
        (
            "no extension is \"\"",
            &["noext", "dot.", "x.txt", "y.jpg"],
            &["txt", ""],
            &["dot.", "noext", "x.txt"],
            1,
        ),
        (
            "non-ASCII extension",
            &["a.TXTÉ", "b.txté", "c.txte"],
            &["txté"],
            &["a.TXTÉ", "b.txté"],
            1,
        ),
        (
            "nested folders",
            &["a/b/c/d.txt", "a/e.txt", "f.txt", "a/b/g.jpg", "h/i/j/k.md"],
            &["txt", "md"],
            &["a/b/c/d.txt", "a/e.txt", "f.txt", "h/i/j/k.md"],
            1,
        ),
        (
            "byte order, not component order ('-' < '.' < '/')",
            &["a/x.txt", "a.txt", "a-b/y.txt", "a/a/z.txt", "a0.txt"],
            &["txt"],
            &["a-b/y.txt", "a.txt", "a/a/z.txt", "a/x.txt", "a0.txt"],
            0,
        ),
        (
            "folders and files interleaved at every level",
            &[
                "b/c.txt",
                "b.txt",
                "b-/d.txt",
                "b/c/d.txt",
                "b/c-/e.txt",
                "b/b.txt",
                "bb.txt",
            ],
            &["txt"],
            &[
                "b-/d.txt",
                "b.txt",
                "b/b.txt",
                "b/c-/e.txt",
                "b/c.txt",
                "b/c/d.txt",
                "bb.txt",
            ],
            0,
        ),
        ("empty folder", &[], &["txt"], &[], 0),
    ];
    for (what, files, extensions, expected, ignored) in cases {
        let dir = layout(files);
        let walk = walk_folder(dir.path(), &exts(extensions));
        assert_eq!(keys(dir.path(), &walk), *expected, "{what}");
        assert_eq!(walk.ignored, *ignored, "{what}");
        assert!(walk.skipped.is_empty(), "{what}: {:?}", walk.skipped);
    }
}

#[test]
fn non_utf8_names_with_the_same_key_are_ordered_by_path() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = layout(&[]);
    // Both folder names read as "\u{FFFD}", so their files' keys are pairwise equal.
    for name in [b"\xff".as_slice(), b"\xfe"] {
        let folder = dir.path().join(OsStr::from_bytes(name));
        if fs::create_dir(&folder).is_err() {
            return; // A file system that wants UTF-8 names.
        }
        for file in ["x.txt", "y.txt"] {
            fs::write(folder.join(file), file).unwrap();
        }
    }
    let walk = walk_folder(dir.path(), &exts(&["txt"]));
    let order: Vec<_> = walk
        .files
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(dir.path())
                .unwrap()
                .as_os_str()
                .as_bytes()
        })
        .collect();
    let expected: [&[u8]; 4] = [b"\xfe/x.txt", b"\xff/x.txt", b"\xfe/y.txt", b"\xff/y.txt"];
    assert_eq!(order, expected);
}

#[test]
fn found_files_carry_their_path_size_and_mtime() {
    let dir = layout(&["a/x.txt", "y.txt"]);
    fs::write(dir.path().join("y.txt"), "a longer text").unwrap();
    let walk = walk_folder(dir.path(), &exts(&["txt"]));
    let expected = [dir.path().join("a").join("x.txt"), dir.path().join("y.txt")];
    assert_eq!(walk.files.len(), expected.len());
    for (found, path) in walk.files.iter().zip(&expected) {
        let meta = fs::metadata(path).unwrap();
        assert_eq!(&found.path, path);
        assert_eq!(found.key, path.to_string_lossy());
        assert_eq!(found.size, meta.len());
        let mtime = meta.modified().unwrap().duration_since(UNIX_EPOCH).unwrap();
        assert_eq!(found.mtime_ns, mtime.as_nanos());
        assert_ne!(found.mtime_ns, 0);
    }
}

#[test]
fn symbolic_links_are_followed_and_bad_ones_reported() {
    // (what, link path, its target, keys expected, skipped expected)
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a [&'a str],
        &'a [(&'a str, &'a str)],
    );
    let cases: &[Case] = &[
        (
            "link to a file",
            "link.txt",
            "real/a.txt",
            &["link.txt", "real/a.txt"],
            &[],
        ),
        (
            "link to a folder",
            "other",
            "real",
            &["other/a.txt", "real/a.txt"],
            &[],
        ),
        (
            "link to a file with an ignored extension",
            "link.jpg",
            "real/a.txt",
            &["real/a.txt"],
            &[],
        ),
        (
            "broken link",
            "gone.txt",
            "nowhere.txt",
            &["real/a.txt"],
            &[("gone.txt", BROKEN_LINK)],
        ),
        (
            "broken link with an ignored extension is still reported",
            "gone.jpg",
            "nowhere.txt",
            &["real/a.txt"],
            &[("gone.jpg", BROKEN_LINK)],
        ),
        (
            "link to the folder it is in",
            "loop",
            ".",
            &["real/a.txt"],
            &[("loop", LINK_LOOP)],
        ),
        (
            "link to a folder two levels up",
            "real/sub/up",
            "../..",
            &["real/a.txt"],
            &[("real/sub/up", LINK_LOOP)],
        ),
    ];
    for (what, link, target, expected, expected_skipped) in cases {
        let dir = layout(&["real/a.txt"]);
        let link = dir.path().join(link);
        fs::create_dir_all(link.parent().unwrap()).unwrap();
        symlink(target, &link).unwrap();
        let walk = walk_folder(dir.path(), &exts(&["txt"]));
        assert_eq!(keys(dir.path(), &walk), *expected, "{what}");
        let expected_skipped: Vec<_> = expected_skipped
            .iter()
            .map(|(p, r)| (p.to_string(), r.to_string()))
            .collect();
        assert_eq!(skipped(dir.path(), &walk), expected_skipped, "{what}");
    }
}

#[test]
fn link_to_itself_is_reported_with_the_system_error() {
    let dir = layout(&[]);
    let link = dir.path().join("self.txt");
    symlink("self.txt", &link).unwrap();
    let error = fs::metadata(&link).unwrap_err().to_string();
    let walk = walk_folder(dir.path(), &exts(&["txt"]));
    assert_eq!(
        skipped(dir.path(), &walk),
        [("self.txt".to_string(), error)]
    );
}

/// The walk goes a depth at a time, with a stack of its own to put the files in order: a
/// chain of a thousand folders comes out whole, in key order beside a file at the top.
#[test]
fn a_tree_a_thousand_folders_deep_is_walked() {
    let nested = vec!["a"; 1000].join("/");
    let file = format!("{nested}/deep.txt");
    let dir = layout(&[&file, "top.txt"]);
    let walk = walk_folder(dir.path(), &exts(&["txt"]));
    assert_eq!(keys(dir.path(), &walk), [file.as_str(), "top.txt"]);
    assert!(walk.skipped.is_empty());
}

#[test]
fn fifo_is_skipped_without_being_opened() {
    let dir = layout(&["a.txt"]);
    for name in ["pipe.txt", "pipe.jpg"] {
        let status = std::process::Command::new("mkfifo")
            .arg(dir.path().join(name))
            .status()
            .unwrap();
        assert!(status.success());
    }
    // Opening the FIFO would block this test for ever.
    let walk = walk_folder(dir.path(), &exts(&["txt"]));
    assert_eq!(keys(dir.path(), &walk), ["a.txt"]);
    assert_eq!(
        skipped(dir.path(), &walk),
        [("pipe.txt".to_string(), NOT_REGULAR.to_string())]
    );
    assert_eq!(walk.ignored, 1);
}

#[test]
fn unreadable_folder_is_reported_under_its_own_path() {
    let dir = layout(&["a.txt", "locked/b.txt", "z.txt"]);
    let locked = dir.path().join("locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let error = fs::read_dir(&locked).err();
    let walk = walk_folder(dir.path(), &exts(&["txt"]));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    // Permissions do not stop root: then there is nothing to check.
    let Some(error) = error else { return };
    assert_eq!(keys(dir.path(), &walk), ["a.txt", "z.txt"]);
    assert_eq!(
        skipped(dir.path(), &walk),
        [("locked".to_string(), error.to_string())]
    );
}
