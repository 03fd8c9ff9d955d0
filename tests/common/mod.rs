//! A test environment for integration tests: a temporary folder with an `articles/` folder and
//! an `index/`, and the real `aes-search` binary run in it (as fd's `TestEnv`).
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

#[cfg(feature = "opensearch")]
pub mod cluster;
pub mod http;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_aes-search");

/// A temporary working folder; removed when dropped.
pub struct TestEnv {
    dir: tempfile::TempDir,
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

impl TestEnv {
    /// An empty working folder with an empty `articles/`.
    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("articles")).expect("articles dir");
        TestEnv { dir }
    }

    /// The working folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the working folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The index folder used by [`TestEnv::index`] and [`TestEnv::search`].
    pub fn index_dir(&self) -> PathBuf {
        self.path("index")
    }

    /// Writes a file (creating its folders).
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&path, content).expect("write file");
        path
    }

    /// Sets a file's modification time, as `touch -d` would.
    pub fn set_mtime(&self, path: &Path, time: std::time::SystemTime) {
        std::fs::File::options()
            .write(true)
            .open(path)
            .expect("open for mtime")
            .set_modified(time)
            .expect("set mtime");
    }

    /// Removes a file.
    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).expect("remove file");
    }

    /// A command for the binary, run in the working folder, with our variables cleared.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(self.root())
            .env_remove("AES_SEARCH_INDEX")
            .env_remove("AES_SEARCH_CORPUS")
            .env_remove("AES_SEARCH_OPENSEARCH")
            .env("NO_COLOR", "1");
        cmd
    }

    /// Runs the binary to completion.
    pub fn run(&self, args: &[&str]) -> Run {
        Run(self
            .command(args)
            .stdin(Stdio::null())
            .output()
            .expect("run aes-search"))
    }

    /// `aes-search index articles --index index ARGS...`.
    pub fn index(&self, args: &[&str]) -> Run {
        let mut all = vec!["index", "articles", "--index", "index"];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// Holds tantivy's writer lock of `index/` in this process, with its pid beside it, as a
    /// running `aes-search index` would; released when dropped.
    pub fn hold_writer(&self) -> tantivy::IndexWriter {
        let index = tantivy::Index::open_in_dir(self.index_dir()).expect("open the index");
        let writer = index.writer(15_000_000).expect("writer");
        std::fs::write(
            self.index_dir().join(".aes-search-writer.pid"),
            std::process::id().to_string(),
        )
        .expect("pid");
        writer
    }

    /// Starts `aes-search index articles --index index ARGS...` without waiting.
    pub fn spawn_index(&self, args: &[&str]) -> Child {
        let mut all = vec!["index", "articles", "--index", "index"];
        all.extend_from_slice(args);
        self.command(&all)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    }

    /// `aes-search search QUERY --json --index index`, run where there is no corpus folder, so
    /// the index is searched as it is.
    pub fn search_json(&self, query: &str) -> serde_json::Value {
        let run = self.run(&[
            "search", query, "--json", "--index", "index", "--limit", "100",
        ]);
        assert!(
            run.code() == 0 || run.code() == 1,
            "search {query:?} failed:\n{}",
            run.stderr()
        );
        serde_json::from_str(&run.stdout()).expect("search --json prints JSON")
    }

    /// The files of the hits for a query, as paths relative to the working folder.
    pub fn hit_files(&self, query: &str) -> BTreeSet<String> {
        hit_paths(&self.search_json(query)).into_iter().collect()
    }
}

/// The article paths of the hits of a `search --json` document, in their order.
pub fn hit_paths(json: &serde_json::Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            h["article"]["path"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// A finished run of the binary.
pub struct Run(pub Output);

impl Run {
    /// The exit status (panics when killed by a signal).
    pub fn code(&self) -> i32 {
        self.0.status.code().expect("exit code")
    }
    /// Standard output, lossily decoded.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    /// Standard error, lossily decoded.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    /// The last stderr line that starts with the given words (after "aes-search: ").
    pub fn summary(&self) -> String {
        self.stderr()
            .lines()
            .rev()
            .find(|l| l.contains(" added, "))
            .unwrap_or_default()
            .to_string()
    }
    /// Asserts the exit status, showing stderr when it differs.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code(),
            code,
            "exit status; stderr:\n{}\nstdout:\n{}",
            self.stderr(),
            self.stdout()
        );
        self
    }
}

/// Every passage of an index folder, read with tantivy directly: (file, passage number, article
/// id, text). Two indexes with the same set hold the same searchable content.
pub fn passage_set(index: &Path) -> BTreeSet<(String, u64, String, String)> {
    use tantivy::collector::DocSetCollector;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Value};
    use tantivy::{Index, TantivyDocument, Term};

    let index = Index::open_in_dir(index).expect("open index");
    let schema = index.schema();
    let field = |name: &str| schema.get_field(name).expect("field");
    let (kind, file, passage, id, text) = (
        field("kind"),
        field("file"),
        field("passage"),
        field("article_id"),
        field("text"),
    );
    let reader = index.reader().expect("reader");
    let searcher = reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(kind, "passage"),
        IndexRecordOption::Basic,
    );
    let docs = searcher.search(&query, &DocSetCollector).expect("search");
    docs.into_iter()
        .map(|address| {
            let doc: TantivyDocument = searcher.doc(address).expect("doc");
            let s = |f| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            (
                s(file),
                doc.get_first(passage)
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default(),
                s(id),
                s(text),
            )
        })
        .collect()
}

/// A seeded, deterministic generator of French-looking news articles, with a furniture line
/// that recurs across articles of the same outlet.
pub struct Articles {
    state: u64,
}

const WORDS: &[&str] = &[
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "du",
    "de",
    "et",
    "mais",
    "sommet",
    "ministre",
    "Niamey",
    "Bamako",
    "Ouagadougou",
    "sécurité",
    "armée",
    "frontière",
    "accord",
    "monnaie",
    "commune",
    "confédération",
    "Sahel",
    "économie",
    "coopération",
    "transition",
    "souveraineté",
    "énergie",
    "uranium",
    "route",
    "projet",
    "population",
    "gouvernement",
    "président",
    "capitaine",
    "général",
    "réunion",
    "annonce",
    "décision",
    "partenaires",
    "région",
    "développement",
    "infrastructures",
    "agriculture",
    "élevage",
    "commerce",
    "douane",
    "passeport",
    "banque",
    "investissement",
];
const OUTLETS: &[&str] = &["Le Sahélien", "Niamey Info", "Bamako Matin", "Faso Hebdo"];

impl Articles {
    /// A generator for this seed.
    pub fn new(seed: u64) -> Articles {
        Articles {
            state: seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407),
        }
    }

    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.state = self.state.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }

    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo) as u64) as usize
    }

    fn sentence(&mut self) -> String {
        let n = self.range(8, 20);
        let words: Vec<&str> = (0..n).map(|_| WORDS[self.range(0, WORDS.len())]).collect();
        let mut s = words.join(" ");
        if let Some(first) = s.get(..1) {
            s = first.to_uppercase() + &s[1..];
        }
        s + "."
    }

    /// One article: a headline, a furniture line of its outlet, paragraphs of sentences.
    pub fn article(&mut self) -> String {
        let outlet = OUTLETS[self.range(0, OUTLETS.len())];
        let mut text = format!(
            "{}\n\nSuivez {outlet} sur Telegram pour ne rien manquer\n\n",
            self.sentence()
        );
        for _ in 0..self.range(2, 6) {
            let paragraph: Vec<String> = (0..self.range(2, 5)).map(|_| self.sentence()).collect();
            text.push_str(&paragraph.join(" "));
            text.push_str("\n\n");
        }
        text
    }

    /// Writes `n` articles as `DIR/NNNNN.txt` (spread over sub-folders of 500).
    pub fn write_folder(&mut self, dir: &Path, n: usize) {
        for i in 0..n {
            let sub = dir.join(format!("part{:03}", i / 500));
            std::fs::create_dir_all(&sub).expect("create folder");
            std::fs::write(sub.join(format!("{i:05}.txt")), self.article()).expect("write article");
        }
    }
}
