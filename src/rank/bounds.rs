//! Score bounds of frequent terms per range of passages, kept beside each large segment, so that
//! the first stage skips whole ranges that cannot enter the top (block-max pruning).
//!
//! tantivy keeps a bound per block of postings too, but for its own BM25 (k1 1.2, b 0.75, one
//! field), and that does not bound ours (b 0.3, title and text as one field): the frequent words
//! ("plus", "les", "deux") were scored passage by passage, and made the slowest queries. A bound
//! is what BM25's saturation can reach in the range, the idf left out: it depends only on the
//! postings and lengths of the segment, which never change, so it is computed once per segment,
//! after the commit that made it, and written beside it. A search maps the file and reads only
//! the bytes of its own terms. The files are derived data: a missing one, or one that does not
//! belong to its segment, is ignored, and the ranges of that segment are walked as before.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::directory::{Directory, MmapDirectory, OwnedBytes};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::postings::BlockSegmentPostings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Searcher, SegmentReader, Term, TERMINATED};

use crate::rank::scoring::{length_norm, TITLE_WEIGHT};

/// A range holds 2^RANGE_SHIFT passages: 64, half of one of tantivy's postings blocks. With
/// 256, most ranges of a frequent word held a passage close to its best.
pub(crate) const RANGE_SHIFT: u32 = 6;
/// Smaller segments get no bounds: they are walked quickly, and a sync that adds a few
/// articles should not pay for them.
pub(crate) const MIN_SEGMENT_DOCS: u32 = 16_384;
/// Terms in fewer passages of a segment get no bounds: their postings are short to walk.
pub(crate) const MIN_DOC_FREQ: u32 = 2_048;

pub(crate) const FILE_PREFIX: &str = "aes-bounds-";
const FORMAT: u32 = 2;

/// The bounds of one segment.
#[derive(Debug)]
pub(crate) struct SegmentBounds {
    /// Average title + text length the bounds were computed with.
    avg_len: f32,
    ranges: usize,
    /// The terms with bounds, in byte order; the i-th term's bounds start at i × `ranges`.
    terms: Terms,
    /// Per term and range, the bound's fraction of its limit in 255ths, rounded up; 0 where
    /// the term is absent.
    bytes: OwnedBytes,
}

/// What a file holds before the bounds: its length (4 bytes, little-endian) comes first, a
/// BLAKE3 hash of it after it, then the bytes of the bounds.
#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    shift: u32,
    max_doc: u32,
    avg_len: f32,
    terms: Terms,
}

/// Terms in byte order, end to end: one allocation for thousands of them, read at every search
/// that opens the file.
#[derive(Serialize, Deserialize, Default, PartialEq, Debug)]
struct Terms {
    bytes: Vec<u8>,
    /// Where each term ends in `bytes`.
    ends: Vec<u32>,
}

impl Terms {
    fn get(&self, i: usize) -> Option<&[u8]> {
        let start = match i {
            0 => 0,
            _ => *self.ends.get(i - 1)? as usize,
        };
        self.bytes.get(start..*self.ends.get(i)? as usize)
    }

    fn position(&self, term: &str) -> Option<usize> {
        let (mut low, mut high) = (0, self.ends.len());
        while low < high {
            let mid = low + (high - low) / 2;
            match self.get(mid)?.cmp(term.as_bytes()) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }
}

impl SegmentBounds {
    /// Computes the bounds of the terms of `text` in at least `min_doc_freq` passages.
    pub(crate) fn compute(
        reader: &SegmentReader,
        text: Field,
        title: Field,
        avg_len: f32,
        min_doc_freq: u32,
    ) -> tantivy::Result<SegmentBounds> {
        let text_index = reader.inverted_index(text)?;
        let title_index = reader.inverted_index(title)?;
        let text_norms = reader.get_fieldnorms_reader(text)?;
        let title_norms = reader.get_fieldnorms_reader(title)?;
        let ranges = ranges_of(reader.max_doc());
        // In the dictionary's byte order, which `offset` searches.
        let mut frequent = Vec::new();
        let mut stream = text_index.terms().stream()?;
        while stream.advance() {
            if stream.value().doc_freq >= min_doc_freq {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    frequent.push((term.to_string(), stream.value().clone()));
                }
            }
        }
        let norms = Norms {
            text: &text_norms,
            title: &title_norms,
            avg_len,
        };
        let per_term: Vec<Vec<u8>> = frequent
            .par_iter()
            .map(|(term, info)| -> tantivy::Result<Vec<u8>> {
                let in_text = text_index
                    .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
                let in_title = match title_index
                    .get_term_info(&Term::from_field_text(title, term))?
                {
                    Some(info) => title_index
                        .read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?,
                    None => BlockSegmentPostings::empty(),
                };
                Ok(term_bounds(in_text, in_title, &norms, ranges))
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(SegmentBounds {
            avg_len,
            ranges,
            terms: Terms {
                bytes: frequent.iter().flat_map(|(term, _)| term.bytes()).collect(),
                ends: frequent
                    .iter()
                    .scan(0, |end, (term, _)| {
                        *end += term.len() as u32;
                        Some(*end)
                    })
                    .collect(),
            },
            bytes: OwnedBytes::new(per_term.concat()),
        })
    }

    /// Where the bounds of `term` start, for [`Self::at`].
    pub(crate) fn offset(&self, term: &str) -> Option<usize> {
        let i = self.terms.position(term)?;
        Some(i * self.ranges)
    }

    /// The bound of the term at `offset` in `range`, as a fraction of BM25's limit (idf ×
    /// (k1 + 1)) once multiplied by [`Self::scale`]; 0 where the term is absent.
    pub(crate) fn at(&self, offset: usize, range: usize) -> u8 {
        if range < self.ranges {
            self.bytes.as_slice()[offset + range]
        } else {
            u8::MAX
        }
    }

    /// The bounds of the term at `offset`, one per range: [`Self::at`] for every range at once.
    pub(crate) fn row(&self, offset: usize) -> &[u8] {
        &self.bytes.as_slice()[offset..offset + self.ranges]
    }

    /// What turns a bound of [`Self::at`] into a fraction at the current average length.
    pub(crate) fn scale(&self, avg_len: f32) -> f32 {
        // Longer passages on average make every passage's length count less, which raises the
        // scores: by at most the ratio of the averages (see `length_norm`).
        (avg_len / self.avg_len).max(1.0) / 255.0
    }

    fn encode(&self, max_doc: u32) -> postcard::Result<Vec<u8>> {
        let header = postcard::to_stdvec(&Header {
            format: FORMAT,
            shift: RANGE_SHIFT,
            max_doc,
            avg_len: self.avg_len,
            terms: Terms {
                bytes: self.terms.bytes.clone(),
                ends: self.terms.ends.clone(),
            },
        })?;
        let mut out = Vec::with_capacity(4 + header.len() + 32 + self.bytes.len());
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(blake3::hash(&header).as_bytes());
        out.extend_from_slice(self.bytes.as_slice());
        Ok(out)
    }

    /// Reads back what [`Self::encode`] wrote for a segment of `max_doc` documents; `None` for
    /// anything else. The header is checked whole; the bounds by their length, and left in the
    /// file (mapped) until a search reads them.
    fn decode(file: OwnedBytes, max_doc: u32) -> Option<SegmentBounds> {
        let bytes = file.as_slice();
        let length = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
        let header = bytes.get(4..4usize.checked_add(length)?)?;
        let bounds_start = 4 + length + 32;
        if blake3::hash(header).as_bytes().as_slice() != bytes.get(4 + length..bounds_start)? {
            return None;
        }
        let header: Header = postcard::from_bytes(header).ok()?;
        let ranges = ranges_of(max_doc);
        if header.format != FORMAT
            || header.shift != RANGE_SHIFT
            || header.max_doc != max_doc
            || Some(bytes.len())
                != header
                    .terms
                    .ends
                    .len()
                    .checked_mul(ranges)?
                    .checked_add(bounds_start)
        {
            return None;
        }
        Some(SegmentBounds {
            avg_len: header.avg_len,
            ranges,
            terms: header.terms,
            bytes: file.slice(bounds_start..file.len()),
        })
    }
}

fn ranges_of(max_doc: u32) -> usize {
    (max_doc as usize).div_ceil(1 << RANGE_SHIFT)
}

struct Norms<'a> {
    text: &'a FieldNormReader,
    title: &'a FieldNormReader,
    avg_len: f32,
}

/// Per range, the highest tf / (tf + norm) of a passage holding the term, in 255ths rounded
/// up; BM25F's saturation as in `rank`, the title's occurrences weighted.
fn term_bounds(
    mut in_text: BlockSegmentPostings,
    mut in_title: BlockSegmentPostings,
    norms: &Norms,
    ranges: usize,
) -> Vec<u8> {
    let collect = |postings: &mut BlockSegmentPostings| {
        let mut all: Vec<(DocId, u32)> = Vec::new();
        while !postings.docs().is_empty() {
            all.extend(
                postings
                    .docs()
                    .iter()
                    .copied()
                    .zip(postings.freqs().iter().copied()),
            );
            postings.advance();
        }
        all
    };
    let (text, title) = (collect(&mut in_text), collect(&mut in_title));
    let mut best = vec![0.0f32; ranges];
    let mut record = |doc: DocId, tf: f32| {
        let len = norms.text.fieldnorm(doc) + norms.title.fieldnorm(doc);
        let fraction = tf / (tf + length_norm(len as f32, norms.avg_len));
        let range = &mut best[(doc >> RANGE_SHIFT) as usize];
        *range = range.max(fraction);
    };
    // The two lists merged by passage.
    let (mut i, mut j) = (0, 0);
    loop {
        let doc_at = |list: &[(DocId, u32)], k: usize| list.get(k).map_or(TERMINATED, |p| p.0);
        let doc = doc_at(&text, i).min(doc_at(&title, j));
        if doc == TERMINATED {
            break;
        }
        let mut tf = 0.0;
        if doc_at(&text, i) == doc {
            tf += text[i].1 as f32;
            i += 1;
        }
        if doc_at(&title, j) == doc {
            tf += TITLE_WEIGHT * title[j].1 as f32;
            j += 1;
        }
        record(doc, tf);
    }
    best.iter()
        .map(|&f| {
            if f > 0.0 {
                (f * 255.0).ceil().clamp(1.0, 255.0) as u8
            } else {
                0
            }
        })
        .collect()
}

/// The bounds of an index's segments, read from their files when first asked for.
pub(crate) struct Bounds {
    dir: PathBuf,
    /// Maps the files; `None` when the folder cannot be opened (no bounds then).
    files: Option<MmapDirectory>,
    loaded: Mutex<HashMap<SegmentId, Option<Arc<SegmentBounds>>>>,
}

impl Bounds {
    pub(crate) fn new(dir: &Path) -> Bounds {
        Bounds {
            dir: dir.to_owned(),
            files: MmapDirectory::open(dir).ok(),
            loaded: Mutex::new(HashMap::new()),
        }
    }

    fn file(&self, segment: SegmentId) -> PathBuf {
        self.dir.join(file_name(segment))
    }

    /// The bounds of each segment of `searcher` that has them.
    pub(crate) fn of(&self, searcher: &Searcher) -> HashMap<SegmentId, Arc<SegmentBounds>> {
        let Ok(mut loaded) = self.loaded.lock() else {
            return HashMap::new();
        };
        let readers = searcher.segment_readers();
        // Segments merged away since: their bounds are not needed again.
        loaded.retain(|id, _| readers.iter().any(|r| r.segment_id() == *id));
        readers
            .iter()
            .filter_map(|reader| {
                let bounds = self.load(&mut loaded, reader)?;
                Some((reader.segment_id(), bounds))
            })
            .collect()
    }

    fn load(
        &self,
        loaded: &mut HashMap<SegmentId, Option<Arc<SegmentBounds>>>,
        reader: &SegmentReader,
    ) -> Option<Arc<SegmentBounds>> {
        let id = reader.segment_id();
        if let Some(known) = loaded.get(&id) {
            return known.clone();
        }
        let opened = self.files.as_ref()?.open_read(Path::new(&file_name(id)));
        let bounds = match opened {
            // Another process's sync writes a large segment's bounds after its commit, which a
            // server may load first: a missing file is looked for again at the next search.
            Err(_) if reader.max_doc() >= MIN_SEGMENT_DOCS => return None,
            Err(_) => None,
            // Mapped, not read: a search touches only its terms' pages.
            Ok(file) => file
                .read_bytes()
                .ok()
                .and_then(|bytes| SegmentBounds::decode(bytes, reader.max_doc()))
                .map(Arc::new),
        };
        loaded.insert(id, bounds.clone());
        bounds
    }

    /// Computes and writes the bounds of the segments of `searcher` of at least
    /// `min_segment_docs` passages that have none (or a file that does not read back), and
    /// removes the files of segments it no longer holds. A file is written whole under a
    /// temporary name, then renamed: a crash leaves no file, or the whole one.
    pub(crate) fn write_missing(
        &self,
        searcher: &Searcher,
        fields: (Field, Field),
        avg_len: f32,
        min_segment_docs: u32,
    ) -> std::io::Result<()> {
        let (text, title) = fields;
        let readers = searcher.segment_readers();
        let names: Vec<String> = readers.iter().map(|r| file_name(r.segment_id())).collect();
        for entry in std::fs::read_dir(&self.dir)?.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(FILE_PREFIX) && !names.iter().any(|n| *n == name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let mut loaded = self
            .loaded
            .lock()
            .map_err(|_| std::io::Error::other("bounds cache poisoned"))?;
        for reader in readers {
            if reader.max_doc() < min_segment_docs || self.load(&mut loaded, reader).is_some() {
                continue;
            }
            let bounds = SegmentBounds::compute(reader, text, title, avg_len, MIN_DOC_FREQ)
                .map_err(std::io::Error::other)?;
            let bytes = bounds
                .encode(reader.max_doc())
                .map_err(std::io::Error::other)?;
            let path = self.file(reader.segment_id());
            let tmp = path.with_extension("tmp");
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            loaded.insert(reader.segment_id(), Some(Arc::new(bounds)));
        }
        Ok(())
    }
}

fn file_name(segment: SegmentId) -> String {
    format!("{FILE_PREFIX}{}.bin", segment.uuid_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rank::testing::sequence;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    /// An index of `docs` passages of words drawn from a few, their titles from the same; the
    /// words of each passage come back with it.
    fn index(dir: Option<&Path>, docs: usize) -> (Index, Field, Field, Vec<(String, String)>) {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let title = builder.add_text_field("title", TEXT);
        let index = match dir {
            Some(dir) => Index::create_in_dir(dir, builder.build()).expect("index"),
            None => Index::create_in_ram(builder.build()),
        };
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let words = ["mali", "niger", "route", "banque", "ecole"];
        let mut next = sequence(3);
        let mut kept = Vec::new();
        for _ in 0..docs {
            // Skewed: "mali" in most passages, "ecole" in few.
            let body: Vec<&str> = (0..1 + next(12))
                .map(|_| words[next(words.len()).min(next(words.len()))])
                .collect();
            let (body, head) = (body.join(" "), words[next(words.len())].to_string());
            writer
                .add_document(doc!(text => body.as_str(), title => head.as_str()))
                .expect("add");
            kept.push((body, head));
        }
        writer.commit().expect("commit");
        (index, text, title, kept)
    }

    #[test]
    fn a_bound_is_the_highest_saturation_of_its_range() {
        let (index, text, title, docs) = index(None, 1000);
        let searcher = index.reader().expect("reader").searcher();
        let reader = &searcher.segment_readers()[0];
        let avg_len = 9.0;
        let bounds = SegmentBounds::compute(reader, text, title, avg_len, 1).expect("bounds");
        let (text_norms, title_norms) = (
            reader.get_fieldnorms_reader(text).expect("norms"),
            reader.get_fieldnorms_reader(title).expect("norms"),
        );
        let count = |s: &str, w: &str| s.split(' ').filter(|t| *t == w).count() as f32;
        for word in ["mali", "niger", "route", "banque", "ecole"] {
            let offset = bounds.offset(word).expect("bounded");
            let mut expected = vec![0u8; ranges_of(reader.max_doc())];
            for (doc, (body, head)) in docs.iter().enumerate() {
                let tf = count(body, word) + TITLE_WEIGHT * count(head, word);
                if tf == 0.0 {
                    continue;
                }
                let doc = doc as DocId;
                let len = text_norms.fieldnorm(doc) + title_norms.fieldnorm(doc);
                let q = (tf / (tf + length_norm(len as f32, avg_len)) * 255.0).ceil() as u8;
                let range = &mut expected[(doc >> RANGE_SHIFT) as usize];
                *range = (*range).max(q);
            }
            let found: Vec<u8> = (0..expected.len()).map(|r| bounds.at(offset, r)).collect();
            assert_eq!(found, expected, "{word}");
        }
        // Before the first term, between two, a prefix, an extension, after the last.
        for absent in ["", "absent", "m", "malix", "zzz"] {
            assert_eq!(bounds.offset(absent), None, "{absent}");
        }
        // Only terms in enough passages have bounds.
        let frequent = SegmentBounds::compute(reader, text, title, avg_len, 500).expect("bounds");
        assert!(frequent.offset("mali").is_some());
        assert!(frequent.offset("ecole").is_none());
    }

    #[test]
    fn a_bounds_file_reads_back_whole_and_for_its_segment_only() {
        let (index, text, title, _) = index(None, 300);
        let searcher = index.reader().expect("reader").searcher();
        let reader = &searcher.segment_readers()[0];
        let bounds = SegmentBounds::compute(reader, text, title, 5.0, 1).expect("bounds");
        let max_doc = reader.max_doc();
        let bytes = bounds.encode(max_doc).expect("encode");
        let back = SegmentBounds::decode(OwnedBytes::new(bytes.clone()), max_doc).expect("reads");
        assert_eq!(back.terms, bounds.terms);
        assert_eq!(back.bytes.as_slice(), bounds.bytes.as_slice());
        assert_eq!(back.scale(5.0), bounds.scale(5.0));
        // A bit flipped in the header (its terms), and a length that points past the end.
        let mut flipped = bytes.clone();
        flipped[10] ^= 1;
        let mut too_long = bytes.clone();
        too_long[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        let refused: [(&str, &[u8], u32); 6] = [
            ("truncated", &bytes[..bytes.len() - 1], max_doc),
            ("one bit flipped", &flipped, max_doc),
            ("length past the end", &too_long, max_doc),
            ("empty", &[], max_doc),
            ("three bytes", &bytes[..3], max_doc),
            ("another segment's size", &bytes, max_doc + 1000),
        ];
        for (what, bytes, max_doc) in refused {
            let file = OwnedBytes::new(bytes.to_vec());
            assert!(SegmentBounds::decode(file, max_doc).is_none(), "{what}");
        }
    }

    #[test]
    fn missing_and_damaged_files_are_written_and_stale_ones_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (index, text, title, _) = index(Some(dir.path()), 300);
        let searcher = index.reader().expect("reader").searcher();
        let id = searcher.segment_readers()[0].segment_id();
        let stale = dir.path().join(format!("{FILE_PREFIX}0123.bin"));
        let crashed = dir.path().join(format!("{FILE_PREFIX}4567.tmp"));
        for path in [&stale, &crashed] {
            std::fs::write(path, b"x").expect("write");
        }
        let bounds = Bounds::new(dir.path());
        // Too small a segment: nothing written.
        bounds
            .write_missing(&searcher, (text, title), 5.0, 301)
            .expect("write");
        assert!(bounds.of(&searcher).is_empty());
        assert!(!stale.exists() && !crashed.exists());
        bounds
            .write_missing(&searcher, (text, title), 5.0, 300)
            .expect("write");
        let file = dir.path().join(file_name(id));
        let written = std::fs::read(&file).expect("written");
        // A fresh reader of the folder finds it; once damaged, it is ignored, then rewritten.
        assert!(Bounds::new(dir.path()).of(&searcher).contains_key(&id));
        std::fs::write(&file, &written[..written.len() / 2]).expect("damage");
        let reopened = Bounds::new(dir.path());
        assert!(reopened.of(&searcher).is_empty());
        reopened
            .write_missing(&searcher, (text, title), 5.0, 300)
            .expect("write");
        assert_eq!(std::fs::read(&file).expect("rewritten"), written);
        assert!(reopened.of(&searcher).contains_key(&id));
    }
}
