//! # Embedding aes-search
//!
//! This example indexes a temporary folder of two articles and searches it, the way an
//! application would embed the library. Run it with `cargo run --example embed`.

use aes_search::{Engine, SearchOptions, SyncOptions};

fn main() -> aes_search::Result<()> {
    // Articles are plain text files, as scraped: the page furniture around them is removed by
    // the indexer, so there is no need to clean them first.
    let dir = tempfile::tempdir().map_err(|e| aes_search::Error::Io {
        path: "tempdir".into(),
        source: e,
    })?;
    let corpus = dir.path().join("articles");
    std::fs::create_dir(&corpus).map_err(|e| aes_search::Error::Io {
        path: corpus.clone(),
        source: e,
    })?;
    let articles = [
        (
            "sommet.txt",
            "Bamako accueille le sommet de la Confédération\n\
             Publié le 06/07/2025 à 10h12\n\n\
             Suivez Le Journal du Sahel sur Telegram\n\n\
             Les chefs d’État du Mali, du Burkina Faso et du Niger se retrouvent à Bamako pour \
             dresser le bilan d’une année de présidence malienne.\n\n\
             À l’horizon : une banque de la Confédération et une monnaie sahélienne commune.\n\n\
             Tout AccepterTout refuserParamétrer vos choix\n",
        ),
        (
            "securite.txt",
            "Niamey renforce la coopération militaire\n\
             13 septembre 2024\n\n\
             Les armées des trois pays de l’AES ont mené une opération conjointe contre les \
             groupes armés dans la zone des trois frontières.\n",
        ),
    ];
    for (name, text) in articles {
        let path = corpus.join(name);
        std::fs::write(&path, text).map_err(|e| aes_search::Error::Io { path, source: e })?;
    }

    // An `Engine` is an index on disk. `open_or_create` makes it on first use; `sync_folders`
    // brings it in line with folders: new files are added, changed ones replaced, deleted ones
    // removed, and unchanged ones cost a `stat`.
    let engine = Engine::open_or_create(dir.path().join("index"))?;
    let report = engine.sync_folders(&[&corpus], &SyncOptions::default())?;
    println!(
        "indexed: {} added, {} passages",
        report.added, report.passages
    );

    // Search: accents, elisions and inflection are forgiven ("securite" finds "sécurité",
    // "AES" finds "l’AES"), and each hit says where its matched words stand in the passage.
    for query in ["monnaie commune", "operations conjointes", "AES"] {
        println!("\n{query}:");
        for hit in engine.search(query, &SearchOptions::default())? {
            let marked = mark(&hit.passage.text, &hit.passage.highlights);
            println!(
                "  {}. {} ({})\n     {marked}",
                hit.rank,
                hit.article.title.as_deref().unwrap_or("untitled"),
                hit.article.date.as_deref().unwrap_or("no date"),
            );
        }
    }
    Ok(())
}

/// Puts [brackets] around the highlighted byte ranges.
fn mark(text: &str, highlights: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut last = 0;
    for &(start, end) in highlights {
        out.push_str(&text[last..start]);
        out.push('[');
        out.push_str(&text[start..end]);
        out.push(']');
        last = end;
    }
    out.push_str(&text[last..]);
    out
}
