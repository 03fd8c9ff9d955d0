//! Lists the article files under a folder, with the size and modification time that tell a sync
//! which files it need not read.
//!
//! A sync that finds nothing changed is mostly this listing, so it is done in parallel and each
//! file is stated relative to its folder's open descriptor rather than by its full path. It
//! promises the same answer as a sequential walk: hidden entries left out, symbolic links
//! followed (broken ones and loops reported), output sorted by key.

use std::cmp::Ordering;
use std::fs::{self, DirEntry, Metadata};
use std::io;
use std::mem;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

/// An article file found by the walk.
#[derive(Debug)]
pub(crate) struct Found {
    /// The path as text, which the manifest is keyed by.
    pub key: String,
    /// The path, formed as the folder given joined with the names below it.
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the epoch; 0 when the system does not give it.
    pub mtime_ns: u128,
}

/// What a walk found.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    /// Article files, sorted by `key` (byte order) so that a caller can merge them with a sorted
    /// map in one pass.
    pub files: Vec<Found>,
    /// Entries that could not be listed or are not regular files, sorted by path. An unreadable
    /// folder is reported under its own path, so that a caller can keep what it indexed under it.
    pub skipped: Vec<Unlisted>,
    /// Files left out because of their extension.
    pub ignored: usize,
}

/// An entry the walk could not list, or that is not a regular file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unlisted {
    /// The entry's path as text.
    pub path: String,
    /// Why, for people.
    pub reason: String,
}

impl Walk {
    fn skip(&mut self, path: &Path, reason: impl Into<String>) {
        self.skipped.push(Unlisted {
            path: path.display().to_string(),
            reason: reason.into(),
        });
    }
}

const BROKEN_LINK: &str = "broken symbolic link (its target does not exist)";
const LINK_LOOP: &str = "symbolic link loop";
const NOT_REGULAR: &str = "not a regular file";

/// Lists the files under `root` (a folder) whose extension, compared without regard to ASCII
/// case, is one of `extensions` (lowercase, without the dot; "" for files without one).
///
/// Entries whose name starts with '.' are left out, except `root` itself. Symbolic links are
/// followed; a broken link, a link to one of its own ancestors, an unreadable folder and
/// anything that is not a regular file (a FIFO is never opened) are reported in `skipped`.
pub(crate) fn walk_folder(root: &Path, extensions: &[String]) -> Walk {
    let mut walk = Walk::default();
    let meta = match fs::metadata(root) {
        Ok(meta) => meta,
        Err(e) => {
            walk.skip(root, e.to_string());
            return walk;
        }
    };
    // The tree is walked a depth at a time rather than by recursion, which a deep enough tree
    // would take past the end of a thread's stack: all the folders of one depth are listed in
    // parallel (and the entries of each in parallel too), then those of the next.
    let mut tree = vec![Folder::new(root.to_path_buf(), &meta, None)];
    let mut depth = vec![0];
    while !depth.is_empty() {
        let listed: Vec<Listed> = depth
            .par_iter()
            .map(|&folder| list_folder(&tree, folder, extensions))
            .collect();
        let mut next = Vec::new();
        for (&folder, listed) in depth.iter().zip(listed) {
            walk.skipped.extend(listed.walk.skipped);
            walk.ignored += listed.walk.ignored;
            tree[folder].files = listed.walk.files;
            for subfolder in listed.subfolders {
                let child = tree.len();
                tree.push(subfolder);
                tree[folder].children.push(child);
                next.push(child);
            }
        }
        depth = next;
    }
    walk.files = in_key_order(tree);
    // Two non-UTF-8 folder names can read as the same text, and then their files' keys mingle.
    let sorted = walk
        .files
        .par_windows(2)
        .all(|pair| by_key(&pair[0], &pair[1]).is_le());
    debug_assert!(
        sorted || walk.files.iter().any(|f| f.key.contains('\u{FFFD}')),
        "in_key_order put UTF-8 keys out of order"
    );
    if !sorted {
        walk.files.par_sort_by(by_key);
    }
    walk.skipped.par_sort_by(|a, b| a.path.cmp(&b.path));
    walk
}

/// A folder of the tree being walked, found by its parent (`None` for the root).
struct Folder {
    path: PathBuf,
    /// A link is another path to the same folder, so paths cannot tell whether it leads up.
    id: FolderId,
    parent: Option<usize>,
    /// What the keys of the files below start with: the path as text, and '/'.
    key_prefix: String,
    /// The folder's own files, in key order, once it is listed.
    files: Vec<Found>,
    /// Its subfolders, in the order of their `key_prefix`, once it is listed.
    children: Vec<usize>,
}

impl Folder {
    fn new(path: PathBuf, meta: &Metadata, parent: Option<usize>) -> Self {
        let key_prefix = format!("{}/", path.to_string_lossy());
        let id = folder_id(&path, meta);
        Folder {
            path,
            id,
            parent,
            key_prefix,
            files: Vec::new(),
            children: Vec::new(),
        }
    }
}

/// What tells folders apart: device and inode.
#[cfg(unix)]
type FolderId = (u64, u64);

#[cfg(unix)]
fn folder_id(_: &Path, meta: &Metadata) -> FolderId {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// What tells folders apart elsewhere: the path with every link resolved.
#[cfg(not(unix))]
type FolderId = PathBuf;

#[cfg(not(unix))]
fn folder_id(path: &Path, _: &Metadata) -> FolderId {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether the folder at `path`, which `meta` describes, is `tree[folder]` or one above it.
fn is_ancestor(tree: &[Folder], folder: usize, path: &Path, meta: &Metadata) -> bool {
    let id = folder_id(path, meta);
    let mut next = Some(folder);
    while let Some(f) = next.and_then(|i| tree.get(i)) {
        if f.id == id {
            return true;
        }
        next = f.parent;
    }
    false
}

/// One folder's findings: its own files in key order, and its subfolders (to list next) in the
/// order of their `key_prefix`.
#[derive(Default)]
struct Listed {
    walk: Walk,
    subfolders: Vec<Folder>,
}

impl Listed {
    fn absorb(&mut self, other: Listed) {
        extend(&mut self.walk.files, other.walk.files);
        extend(&mut self.walk.skipped, other.walk.skipped);
        self.walk.ignored += other.walk.ignored;
        extend(&mut self.subfolders, other.subfolders);
    }
}

/// Appends without copying when `into` is still empty (the usual case as results are gathered).
fn extend<T>(into: &mut Vec<T>, mut more: Vec<T>) {
    if into.is_empty() {
        *into = more;
    } else {
        into.append(&mut more);
    }
}

/// Lists `tree[folder]`, visiting its entries in parallel so that one large folder keeps every
/// thread busy too.
fn list_folder(tree: &[Folder], folder: usize, extensions: &[String]) -> Listed {
    let mut listed = Listed::default();
    let Some(dir) = tree.get(folder).map(|f| f.path.as_path()) else {
        return listed;
    };
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            listed.walk.skip(dir, e.to_string());
            return listed;
        }
    };
    let mut kept = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => kept.push(entry),
            Err(e) => listed.walk.skip(dir, e.to_string()),
        }
    }
    // The entries keep the folder open, so each is stated relative to it (fstatat); it is
    // closed when they are dropped, before any subfolder is opened.
    let visited = kept
        .into_par_iter()
        .fold(Listed::default, |mut listed, entry| {
            visit(entry, tree, folder, extensions, &mut listed);
            listed
        })
        .reduce(Listed::default, |mut a, b| {
            a.absorb(b);
            a
        });
    listed.absorb(visited);
    listed.walk.files.par_sort_unstable_by(by_key);
    // Not by name: `a-b/` comes before `a/`, as their files' keys do.
    listed.subfolders.sort_unstable_by(|a, b| {
        a.key_prefix
            .cmp(&b.key_prefix)
            .then_with(|| a.path.cmp(&b.path))
    });
    listed
}

/// Adds one entry of `tree[folder]` to `listed`: a file, or a subfolder to list next.
fn visit(
    entry: DirEntry,
    tree: &[Folder],
    folder: usize,
    extensions: &[String],
    listed: &mut Listed,
) {
    let walk = &mut listed.walk;
    // The path is needed for every entry that is kept, and its name is borrowed from it.
    let path = entry.path();
    if path
        .file_name()
        .is_some_and(|name| name.as_encoded_bytes().starts_with(b"."))
    {
        return;
    }
    // From the folder listing itself (d_type) on most file systems: no stat.
    let file_type = match entry.file_type() {
        Ok(t) => t,
        Err(e) => return walk.skip(&path, e.to_string()),
    };
    // A link is followed here, and what it points to stands for it from now on.
    let target = if file_type.is_symlink() {
        match fs::metadata(&path) {
            Ok(meta) => Some(meta),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return walk.skip(&path, BROKEN_LINK),
            Err(e) => return walk.skip(&path, e.to_string()),
        }
    } else {
        None
    };
    let is_dir = target.as_ref().map_or(file_type.is_dir(), Metadata::is_dir);
    if is_dir {
        let meta = match target {
            // Only a link can lead back up: a folder has no other hard links. (A bind mount of
            // an ancestor is not caught, as walkdir does not: its paths grow until too long.)
            Some(meta) if is_ancestor(tree, folder, &path, &meta) => {
                return walk.skip(&path, LINK_LOOP)
            }
            Some(meta) => meta,
            None => match entry.metadata() {
                Ok(meta) => meta,
                Err(e) => return walk.skip(&path, e.to_string()),
            },
        };
        listed
            .subfolders
            .push(Folder::new(path, &meta, Some(folder)));
        return;
    }
    if !has_extension(&path, extensions) {
        walk.ignored += 1;
        return;
    }
    // A FIFO, socket or device: never opened, so the walk cannot block on it.
    if !target
        .as_ref()
        .map_or(file_type.is_file(), Metadata::is_file)
    {
        return walk.skip(&path, NOT_REGULAR);
    }
    let meta = match target.map_or_else(|| entry.metadata(), Ok) {
        Ok(meta) => meta,
        Err(e) => return walk.skip(&path, e.to_string()),
    };
    walk.files.push(Found {
        key: path.to_string_lossy().into_owned(),
        size: meta.len(),
        mtime_ns: mtime_ns(&meta),
        path,
    });
}

/// The order of `Walk::files`. Two non-UTF-8 names can give the same key: the path settles it.
fn by_key(a: &Found, b: &Found) -> Ordering {
    a.key.cmp(&b.key).then_with(|| a.path.cmp(&b.path))
}

/// The files of the whole tree in key order, from each folder's files in key order, without
/// sorting them again. The keys below a subfolder all start with its `key_prefix` (`dir/d/`),
/// and no other key of the folder lies between two of them: a name holds no '/', so comparing
/// `dir/f` or `dir/e/…` with `dir/d/…` is settled within `dir/d/`. A subfolder's files thus
/// come as a block, where its prefix falls among its folder's files and other subfolders.
fn in_key_order(mut tree: Vec<Folder>) -> Vec<Found> {
    let total = tree.iter().map(|f| f.files.len()).sum();
    let mut ordered = Vec::with_capacity(total);
    // Depth first, with a stack of its own for the same reason as the walk.
    let mut stack = Vec::new();
    let open = |tree: &mut [Folder], folder: usize| {
        let f = &mut tree[folder];
        (
            mem::take(&mut f.files).into_iter().peekable(),
            mem::take(&mut f.children).into_iter(),
        )
    };
    if !tree.is_empty() {
        stack.push(open(&mut tree, 0));
    }
    while let Some((files, children)) = stack.last_mut() {
        match children.next() {
            Some(child) => {
                let prefix = &tree[child].key_prefix;
                while let Some(file) = files.next_if(|file| file.key < *prefix) {
                    ordered.push(file);
                }
                let next = open(&mut tree, child);
                stack.push(next);
            }
            None => {
                ordered.extend(files);
                stack.pop();
            }
        }
    }
    ordered
}

/// Whether the extension of `path` is one of `extensions`, as a sync compares it: lowercased.
fn has_extension(path: &Path, extensions: &[String]) -> bool {
    let ext = path.extension().unwrap_or_default();
    match ext.to_str() {
        // The usual case, without allocating a lowercased copy per file.
        Some(ext) if ext.is_ascii() => extensions.iter().any(|e| e.eq_ignore_ascii_case(ext)),
        // Non-ASCII (or non-UTF-8) extensions: Unicode lowercasing, as the list is written with.
        _ => {
            let lower = ext.to_string_lossy().to_lowercase();
            extensions.contains(&lower)
        }
    }
}

/// Modification time in nanoseconds since the epoch, 0 when unavailable (as in the manifest).
pub(crate) fn mtime_ns(meta: &Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

#[cfg(test)]
mod tests;
