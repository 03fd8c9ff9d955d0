//! What a committed state answers, kept until the next one is loaded: the facets of a query
//! and its filters (every page of it shares them), and the API's whole answer to a search, as
//! sent. Counting every match per source and month was most of a search's time on 100,000
//! articles, and the same search gives the same answer until the index changes, so, as
//! Elasticsearch's request cache and Solr's query result cache do, answers are kept per
//! committed state (its generation) and dropped with it.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use aes_search::{SearchOptions, Sort};

/// What an answer depends on, besides the committed state: the words, the filters, and for a
/// whole answer the page asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    query: String,
    source: Option<String>,
    since: Option<String>,
    until: Option<String>,
    /// Limit, offset, per article, newest first, with facets; `None` for what every page
    /// shares (the facets).
    page: Option<(usize, usize, usize, bool, bool)>,
}

impl Key {
    /// The key of the facets, which every page and order of a query shares.
    pub fn facets(query: &str, options: &SearchOptions) -> Key {
        Key {
            query: query.to_string(),
            source: options.source.clone(),
            since: options.since.clone(),
            until: options.until.clone(),
            page: None,
        }
    }

    /// The key of a whole answer.
    pub fn search(query: &str, options: &SearchOptions) -> Key {
        let page = (
            options.limit,
            options.offset,
            options.per_article,
            options.sort == Sort::Date,
            options.facets,
        );
        Key {
            page: Some(page),
            ..Key::facets(query, options)
        }
    }
}

/// Answers counted on one committed state, up to a total weight.
pub struct Cache<V> {
    /// Most total weight kept: beyond, the cache starts again (a bound, not a policy).
    most: usize,
    state: Mutex<Held<V>>,
}

struct Held<V> {
    generation: u64,
    weight: usize,
    answers: HashMap<Key, V>,
}

impl<V: Clone> Cache<V> {
    pub fn new(most: usize) -> Cache<V> {
        Cache {
            most,
            state: Mutex::new(Held {
                generation: 0,
                weight: 0,
                answers: HashMap::new(),
            }),
        }
    }

    /// The answer kept for `key` on `generation`, if any; a newer generation empties the
    /// cache (generations only grow: an older one is a search that began before a reload).
    pub fn get(&self, generation: u64, key: &Key) -> Option<V> {
        let held = self.on(generation);
        (held.generation == generation).then(|| held.answers.get(key).cloned())?
    }

    /// Keeps the answer for `key` counted on `generation`; `weight` is its share of the bound.
    pub fn put(&self, generation: u64, key: Key, answer: V, weight: usize) {
        let mut held = self.on(generation);
        if held.generation != generation {
            return; // counted on a state already replaced
        }
        if held.weight + weight > self.most {
            held.weight = 0;
            held.answers.clear();
        }
        held.weight += weight;
        held.answers.insert(key, answer);
    }

    /// The cache, emptied first if `generation` is newer than its own.
    fn on(&self, generation: u64) -> std::sync::MutexGuard<'_, Held<V>> {
        let mut held = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if generation > held.generation {
            held.generation = generation;
            held.weight = 0;
            held.answers.clear();
        }
        held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_per_query_filters_and_page_until_the_state_changes() {
        let cache: Cache<u64> = Cache::new(100);
        let options = SearchOptions::default();
        let dated = SearchOptions {
            since: Some("2024".into()),
            ..SearchOptions::default()
        };
        let second = SearchOptions {
            offset: 10,
            ..SearchOptions::default()
        };
        let newest = SearchOptions {
            sort: Sort::Date,
            ..SearchOptions::default()
        };
        assert_eq!(cache.get(1, &Key::search("monnaie", &options)), None);
        cache.put(1, Key::search("monnaie", &options), 7, 1);
        cache.put(1, Key::facets("monnaie", &options), 8, 1);
        // (generation, key, kept)
        let table = [
            (1, Key::search("monnaie", &options), Some(7)),
            (1, Key::facets("monnaie", &options), Some(8)),
            (1, Key::facets("monnaie", &second), Some(8)),
            (1, Key::facets("monnaie", &newest), Some(8)),
            (1, Key::search("monnaie", &second), None),
            (1, Key::search("monnaie", &newest), None),
            (1, Key::search("monnaie", &dated), None),
            (1, Key::facets("monnaie", &dated), None),
            (1, Key::search("banque", &options), None),
            (2, Key::search("monnaie", &options), None),
            (1, Key::search("monnaie", &options), None),
            (2, Key::facets("monnaie", &options), None),
        ];
        for (generation, key, kept) in table {
            assert_eq!(cache.get(generation, &key), kept, "{generation} {key:?}");
        }
        // Counted on a state that is no longer the cache's: not kept.
        cache.put(1, Key::search("banque", &options), 3, 1);
        assert_eq!(cache.get(1, &Key::search("banque", &options)), None);
        cache.put(2, Key::search("banque", &options), 3, 1);
        assert_eq!(cache.get(2, &Key::search("banque", &options)), Some(3));
        // Kept on a newer state: the older answers go.
        cache.put(3, Key::search("riz", &options), 4, 1);
        assert_eq!(cache.get(3, &Key::search("banque", &options)), None);
        assert_eq!(cache.get(3, &Key::search("riz", &options)), Some(4));
    }

    #[test]
    fn past_its_weight_the_cache_starts_again() {
        let cache: Cache<u64> = Cache::new(10);
        let options = SearchOptions::default();
        cache.put(1, Key::search("monnaie", &options), 1, 6);
        cache.put(1, Key::search("banque", &options), 2, 4);
        assert_eq!(cache.get(1, &Key::search("monnaie", &options)), Some(1));
        cache.put(1, Key::search("riz", &options), 3, 1);
        assert_eq!(cache.get(1, &Key::search("monnaie", &options)), None);
        assert_eq!(cache.get(1, &Key::search("riz", &options)), Some(3));
    }
}
