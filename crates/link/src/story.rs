//! Same story, independently written: documents that report the same event at about the same
//! time in their own words. Wording shingles (see [`crate::dedup`]) find copies and rewrites;
//! this module adds a second signal, the overlap of *rare* content — content words, entity
//! names and amounts, each weighted by its inverse document frequency in the corpus — gated by
//! publication dates. The algorithm, its thresholds and their measurements are in `DESIGN.md`.
//!
//! This module owns the story score, the candidate generation that keeps it near-linear and
//! the acceptance rules. It must not read files or the clock; the stop-word list is bundled.

use std::collections::{BTreeMap, HashMap};

use crosscheck_model::{DuplicateGroup, Extraction};

use crate::dedup::text_chars;
use crate::dedup::{build_groups, copy_clusters, near_duplicate_pairs, LinkConfig, MixState, WordingIndex};
use crate::minhash::{compact_shingles_of_words, fnv1a, fold_word_fnv, mix64};
use rayon::prelude::*;

const STOPWORDS_SRC: &str = include_str!("../../../resources/link/stopwords.txt");

/// Parameters of same-story detection; [`StoryConfig::default`] is what the pipeline uses.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryConfig {
    /// Story score from which two date-compatible documents are the same story outright.
    pub strong: f64,
    /// Lowest story score a *distinctive* pair may have (see [`StoryConfig::margin`]).
    pub weak_floor: f64,
    /// A pair below `strong` is accepted when each side's score with the other is at least
    /// `margin` times its best score with any document outside the pair's groups (a ratio test:
    /// the partner must stand out, not merely be the least unrelated).
    pub margin: f64,
    /// A pair accepted by the ratio test must also share at least this many distinctive entity
    /// names (named by at most half the corpus): independent reports of one event name the same
    /// actors, while two unrelated stories of one kind ("a ferry sank") need not.
    pub weak_shared_entities: usize,
    /// Two dated documents further apart than this many days never tell the same story
    /// ("reported at about the same time"); undated documents are not gated.
    pub max_days_apart: i64,
    /// Rarest terms per document used to propose candidate pairs.
    pub candidate_terms: usize,
    /// Terms carried by more documents than this propose no candidates (they are common enough
    /// that sharing them says little, and their posting lists would be quadratic).
    pub max_posting: usize,
    /// Candidates kept per document: those sharing the most rare-term weight with it. Bounds
    /// the pairs scored (and the links a document can take part in) whatever the corpus.
    pub candidates_per_doc: usize,
    /// Every content link (strong ones too) needs a shared *rare* entity name: one named by at
    /// most `max(rare_entity_df, N / 1000)` documents. Two reports of one event name the same
    /// place, person or body; two stories of one kind on one day ("a wildfire forced
    /// thousands from their homes") share topic words but not names.
    pub rare_entity_df: usize,
    /// A wording link below [`crate::COPY_SIMILARITY`] (a rewrite, not a near-verbatim copy)
    /// between two dated documents more than this many days apart is not taken: templated
    /// reports (a weekly strike update, a court-ruling formula) share that much wording across
    /// different stories, while rewrites of one report appear within days of it.
    pub rewrite_max_days_apart: i64,
    /// The same for near-verbatim copies: two templated reports of different events (a court
    /// fine, a strike, with other names and numbers in the same sentences) reach 0.3–0.8 and
    /// recur months apart, while a copy appears within days; a re-run after a month is not
    /// linked.
    pub copy_max_days_apart: i64,
    /// Wording similarity from which a link needs no shared rare entity name (see
    /// `rare_entity_df`); below it, two documents that both name entities must share one.
    /// Templated reports of different events share 0.6–0.8 of their shingles, so the floor sits
    /// above that (DESIGN.md, "Bounds").
    pub unnamed_wording_floor: f64,
}

impl Default for StoryConfig {
    fn default() -> Self {
        StoryConfig {
            strong: 0.15,
            weak_floor: 0.06,
            margin: 1.3,
            weak_shared_entities: 2,
            max_days_apart: 1,
            candidate_terms: 40,
            max_posting: 400,
            candidates_per_doc: 24,
            rare_entity_df: 50,
            rewrite_max_days_apart: 7,
            copy_max_days_apart: 30,
            unnamed_wording_floor: 0.85,
        }
    }
}

/// How two documents of a story group were linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkBasis {
    /// Shared wording (shingle Jaccard at or above the near-duplicate threshold).
    Wording,
    /// Shared rare content with a story score at or above [`StoryConfig::strong`].
    Content,
    /// A weaker content score that stands out from both documents' other candidates.
    DistinctiveContent,
}

/// One accepted link between two documents (`a < b` by id).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoryLink {
    pub a: String,
    pub b: String,
    pub basis: LinkBasis,
    /// IDF-weighted cosine of the two documents' content terms.
    pub story_score: f64,
    /// Exact 3-word-shingle Jaccard of the two texts.
    pub wording: f64,
}

/// The story groups of a corpus and the links that made them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoryGroups {
    /// Groups as the store keeps them; `pairs` carry the *wording* similarity of each accepted
    /// link, so `copy_of` keeps meaning "near-verbatim".
    pub groups: Vec<DuplicateGroup>,
    /// Every accepted link, sorted by `(a, b)`.
    pub links: Vec<StoryLink>,
}

/// Looked up once per word by the [`fnv1a`] of the folded word, which the shingles compute
/// anyway (so a lookup hashes nothing), then confirmed by comparing the words.
struct Stopwords(HashMap<u64, &'static str, MixState>);

impl Stopwords {
    /// Whether `word` (folded, with its [`fnv1a`] hash `fnv`) is a stop word.
    #[inline]
    fn contains(&self, word: &str, fnv: u64) -> bool {
        self.0.get(&fnv).is_some_and(|&stop| stop == word)
    }
}

fn stopwords() -> &'static Stopwords {
    static CELL: std::sync::OnceLock<Stopwords> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        Stopwords(
            STOPWORDS_SRC
                .lines()
                .map(|l| l.split('#').next().unwrap_or("").trim())
                .filter(|l| !l.is_empty())
                .map(|l| (fnv1a(l.as_bytes()), l))
                .collect(),
        )
    })
}

const TAG_WORD: u64 = 0x57;
const TAG_ENTITY: u64 = 0x45;
const TAG_NUMBER: u64 = 0x4e;

fn term_hash(tag: u64, s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ tag;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}

/// Crude suffix stripping so that "withdrew/withdrawing", "wounded/wounds" and
/// "forces/force" meet more often; over-stemming only merges rare words, which is harmless.
fn stem(word: &str) -> &str {
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.chars().count() >= 4 {
                return stem;
            }
        }
    }
    word
}

/// The story term of one word (given as written, as folded by
/// [`crate::minhash::fold_word`] and the [`fnv1a`] of the folded form): its stemmed hash when
/// it is a content word — starts with a letter, at least three chars without a possessive
/// `'s`, not a stop word.
#[inline]
fn content_word_term(written: &str, folded: &str, folded_fnv: u64, stop: &Stopwords) -> Option<u64> {
    let starts_with_letter = match written.as_bytes().first() {
        Some(&b) if b.is_ascii() => b.is_ascii_alphabetic(),
        _ => written.chars().next().is_some_and(char::is_alphabetic),
    };
    if !starts_with_letter {
        return None;
    }
    let (base, base_fnv) = match folded.strip_suffix("'s") {
        Some(base) => (base, fnv1a(base.as_bytes())),
        None => (folded, folded_fnv),
    };
    let short = if base.is_ascii() { base.len() < 3 } else { base.chars().count() < 3 };
    if short || stop.contains(base, base_fnv) {
        return None;
    }
    Some(term_hash(TAG_WORD, stem(base)))
}

/// Completes the content terms of one document: `terms` holds its content-word terms (see
/// [`content_word_term`]); entity names and amounts are added, the whole sorted and
/// deduplicated, and the entity-name hashes also go into `entity_terms` (cleared).
fn finish_story_terms<'e>(
    entity_names: impl IntoIterator<Item = &'e str>,
    amounts: impl IntoIterator<Item = (f64, &'e str)>,
    terms: &mut Vec<u64>,
    entity_terms: &mut Vec<u64>,
) {
    entity_terms.clear();
    for name in entity_names {
        let key = crosscheck_text::normalize_key(name);
        if !key.is_empty() {
            entity_terms.push(term_hash(TAG_ENTITY, &key));
        }
    }
    terms.extend_from_slice(entity_terms);
    for (value, unit) in amounts {
        if value.is_finite() {
            terms.push(term_hash(TAG_NUMBER, &format!("{value}{unit}")));
        }
    }
    terms.sort_unstable();
    terms.dedup();
    entity_terms.sort_unstable();
    entity_terms.dedup();
}

/// Days since 0000-03-01 of an ISO date, as an inclusive range for coarser dates
/// (`2025-03` → the whole month, `2025` → the whole year). `None` when it does not parse.
pub(crate) fn day_range(date: &str) -> Option<(i64, i64)> {
    let mut parts = date.trim().splitn(3, '-');
    let year: i64 = parts.next()?.get(..4)?.parse().ok()?;
    let month: Option<i64> = parts.next().map(|m| m.parse().ok()).unwrap_or(None);
    let day: Option<i64> = parts.next().and_then(|d| d.get(..2)).and_then(|d| d.parse().ok());
    match (month, day) {
        (Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d) => {
            let n = days_from_civil(year, m, d);
            Some((n, n))
        }
        (Some(m), _) if (1..=12).contains(&m) => {
            let next = if m == 12 { days_from_civil(year + 1, 1, 1) } else { days_from_civil(year, m + 1, 1) };
            Some((days_from_civil(year, m, 1), next - 1))
        }
        (None, _) => Some((days_from_civil(year, 1, 1), days_from_civil(year + 1, 1, 1) - 1)),
        _ => None,
    }
}

/// Howard Hinnant's days-from-civil, shifted so the result stays positive for years ≥ 0.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

/// Days between two date ranges (0 when they overlap).
fn days_apart(a: (i64, i64), b: (i64, i64)) -> i64 {
    if a.1 < b.0 {
        b.0 - a.1
    } else if b.1 < a.0 {
        a.0 - b.1
    } else {
        0
    }
}

/// One document's linking features — compact shingle set, story terms, entity terms — computed
/// from its text alone, so on any worker thread, then added in input order with
/// [`LinkCorpus::push_prepared`]. Holds no text: a few KB per document.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedLinkDoc {
    id: String,
    date: Option<String>,
    text_chars: u32,
    shingles: Vec<u32>,
    terms: Vec<u64>,
    entity_terms: Vec<u64>,
}

impl PreparedLinkDoc {
    /// The features [`LinkCorpus::push`] would compute for these inputs under `link`.
    pub fn new<'e>(
        link: &LinkConfig,
        id: &str,
        text: &str,
        date: Option<&str>,
        entity_names: impl IntoIterator<Item = &'e str>,
        amounts: impl IntoIterator<Item = (f64, &'e str)>,
    ) -> Self {
        let words = crosscheck_text::words(text).map(|w| w.text);
        PreparedLinkDoc::of_words(link, id, text, words, date, entity_names, amounts)
    }

    /// [`PreparedLinkDoc::new`] for a text already tokenised: `words` must be its
    /// [`crosscheck_text::words`] (as a [`crosscheck_text::WordStream`] holds them), so that
    /// the features are the same without a second pass over the bytes.
    pub fn from_words<'e>(
        link: &LinkConfig,
        id: &str,
        text: &str,
        words: &[crosscheck_text::Word<'_>],
        date: Option<&str>,
        entity_names: impl IntoIterator<Item = &'e str>,
        amounts: impl IntoIterator<Item = (f64, &'e str)>,
    ) -> Self {
        PreparedLinkDoc::of_words(link, id, text, words.iter().map(|w| w.text), date, entity_names, amounts)
    }

    fn of_words<'w, 'e>(
        link: &LinkConfig,
        id: &str,
        text: &str,
        words: impl Iterator<Item = &'w str>,
        date: Option<&str>,
        entity_names: impl IntoIterator<Item = &'e str>,
        amounts: impl IntoIterator<Item = (f64, &'e str)>,
    ) -> Self {
        // One walk over the words feeds both the shingles and the content terms: each word is
        // folded once, into one reused buffer.
        let stop = stopwords();
        let mut folded = String::new();
        let mut word_hashes = Vec::with_capacity(text.len() / 6 + 1);
        let mut terms = Vec::with_capacity(text.len() / 12 + 8);
        for word in words {
            let fnv = fold_word_fnv(word, &mut folded);
            word_hashes.push(mix64(fnv));
            if let Some(term) = content_word_term(word, &folded, fnv, stop) {
                terms.push(term);
            }
        }
        let mut shingles = Vec::new();
        compact_shingles_of_words(&word_hashes, link.shingle_words, &mut shingles);
        let mut entity_terms = Vec::new();
        finish_story_terms(entity_names, amounts, &mut terms, &mut entity_terms);
        PreparedLinkDoc {
            id: id.to_string(),
            date: date.map(str::to_string),
            text_chars: text_chars(text),
            shingles,
            terms,
            entity_terms,
        }
    }

    /// The features of a whole extraction: its text, date, entity names and amounts.
    pub fn from_extraction(link: &LinkConfig, x: &Extraction) -> Self {
        PreparedLinkDoc::new(
            link,
            &x.id,
            &x.text,
            x.date.as_deref(),
            x.entities.iter().map(|e| e.name.as_str()),
            x.quantities.iter().map(|q| (q.value, q.unit.as_str())),
        )
    }

    /// [`PreparedLinkDoc::from_extraction`] given the words of its text (see
    /// [`PreparedLinkDoc::from_words`]).
    pub fn from_extraction_words(link: &LinkConfig, x: &Extraction, words: &[crosscheck_text::Word<'_>]) -> Self {
        PreparedLinkDoc::from_words(
            link,
            &x.id,
            &x.text,
            words,
            x.date.as_deref(),
            x.entities.iter().map(|e| e.name.as_str()),
            x.quantities.iter().map(|q| (q.value, q.unit.as_str())),
        )
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// The document id, taking it (once the features are pushed, nothing else is needed).
    pub fn into_id(self) -> String {
        self.id
    }
}

/// A corpus as linking needs it, filled one document at a time: the wording index of
/// [`crate::dedup`] plus each document's content terms (as dense term numbers), entity-name
/// terms and date range. Nothing else of a document is kept, so a store can stream its
/// documents through [`LinkCorpus::push`] without holding whole extractions.
pub struct LinkCorpus {
    link: LinkConfig,
    wording: WordingIndex,
    dates: Vec<Option<(i64, i64)>>,
    term_ends: Vec<usize>,
    terms: Vec<u32>,
    entity_ends: Vec<usize>,
    entity_terms: Vec<u32>,
    /// Term hash → dense term number (numbers follow first sight, so every tie between terms
    /// is broken by `term_hashes`, never by the number).
    term_numbers: HashMap<u64, u32, MixState>,
    term_hashes: Vec<u64>,
    df: Vec<u32>,
}

impl LinkCorpus {
    pub fn new(link: &LinkConfig) -> Self {
        LinkCorpus {
            link: link.clone(),
            wording: WordingIndex::new(link),
            dates: Vec::new(),
            term_ends: Vec::new(),
            terms: Vec::new(),
            entity_ends: Vec::new(),
            entity_terms: Vec::new(),
            term_numbers: HashMap::default(),
            term_hashes: Vec::new(),
            df: Vec::new(),
        }
    }

    /// The corpus of whole extractions (their text, date, entity names and amounts).
    pub fn from_extractions(extractions: &[Extraction], link: &LinkConfig) -> Self {
        let mut corpus = LinkCorpus::new(link);
        for x in extractions {
            corpus.push_prepared(&PreparedLinkDoc::from_extraction(link, x));
        }
        corpus
    }

    /// Adds one document: its id, text, ISO date, entity names and amounts (value, unit).
    pub fn push<'e>(
        &mut self,
        id: &str,
        text: &str,
        date: Option<&str>,
        entity_names: impl IntoIterator<Item = &'e str>,
        amounts: impl IntoIterator<Item = (f64, &'e str)>,
    ) {
        self.push_prepared(&PreparedLinkDoc::new(&self.link, id, text, date, entity_names, amounts));
    }

    /// Adds a document prepared by [`PreparedLinkDoc::new`] (on any thread): a few appends.
    pub fn push_prepared(&mut self, doc: &PreparedLinkDoc) {
        self.wording.push_set(&doc.id, doc.date.as_deref(), doc.text_chars, &doc.shingles);
        self.dates.push(doc.date.as_deref().and_then(day_range));
        let start = self.terms.len();
        for &hash in &doc.terms {
            let next = self.term_hashes.len() as u32;
            let number = *self.term_numbers.entry(hash).or_insert(next);
            if number == next {
                self.term_hashes.push(hash);
                self.df.push(0);
            }
            self.df[number as usize] += 1;
            self.terms.push(number);
        }
        // Not sorted here: the numbers change at `number_terms_by_hash`, which sorts them.
        self.term_ends.push(self.terms.len());
        // Entity terms are among the document's terms (both sorted by hash): their numbers
        // were just given, position for position, so a merge finds them without the map.
        let numbers = &self.terms[start..];
        let mut at = 0;
        for hash in &doc.entity_terms {
            while at < doc.terms.len() && doc.terms[at] < *hash {
                at += 1;
            }
            let number = match doc.terms.get(at) {
                Some(term) if term == hash => Some(numbers[at]),
                _ => self.term_numbers.get(hash).copied(),
            };
            if let Some(number) = number {
                self.entity_terms.push(number);
            }
        }
        self.entity_ends.push(self.entity_terms.len());
    }

    pub fn len(&self) -> usize {
        self.dates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// Approximate heap bytes held (for benchmark notes).
    pub fn heap_bytes(&self) -> usize {
        self.wording.heap_bytes()
            + self.dates.len() * 24
            + (self.term_ends.len() + self.entity_ends.len()) * 8
            + (self.terms.capacity() + self.entity_terms.capacity()) * 4
            + self.term_hashes.len() * (8 + 4 + 16)
    }

    /// Renumbers terms in the order of their hashes, so that every sum over a document's terms
    /// runs in an order that does not depend on the input order (floating-point sums do), and
    /// sorts every document's terms and entity terms (which [`LinkCorpus::push_prepared`]
    /// leaves in first-sight order): needed before any document is scored.
    fn number_terms_by_hash(&mut self) {
        if !self.term_hashes.windows(2).all(|w| w[0] < w[1]) {
            self.renumber_by_hash();
        }
        for (values, ends) in [(&mut self.terms, &self.term_ends), (&mut self.entity_terms, &self.entity_ends)] {
            let mut slices: Vec<&mut [u32]> = Vec::with_capacity(ends.len());
            let mut rest: &mut [u32] = values;
            let mut start = 0;
            for &end in ends {
                let (slice, tail) = rest.split_at_mut(end - start);
                slices.push(slice);
                rest = tail;
                start = end;
            }
            slices.par_iter_mut().with_min_len(256).for_each(|slice| slice.sort_unstable());
        }
    }

    fn renumber_by_hash(&mut self) {
        let mut order: Vec<u32> = (0..self.term_hashes.len() as u32).collect();
        order.sort_unstable_by_key(|&t| self.term_hashes[t as usize]);
        let mut renumber = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old as usize] = new as u32;
        }
        self.term_hashes = order.iter().map(|&t| self.term_hashes[t as usize]).collect();
        self.df = order.iter().map(|&t| self.df[t as usize]).collect();
        for (hash, number) in self.term_numbers.iter_mut() {
            *number = renumber[*number as usize];
            debug_assert_eq!(self.term_hashes[*number as usize], *hash);
        }
        for values in [&mut self.terms, &mut self.entity_terms] {
            values.par_iter_mut().with_min_len(4096).for_each(|t| *t = renumber[*t as usize]);
        }
    }

    fn terms_of(&self, doc: usize) -> &[u32] {
        let start = if doc == 0 { 0 } else { self.term_ends[doc - 1] };
        &self.terms[start..self.term_ends[doc]]
    }

    fn entities_of(&self, doc: usize) -> &[u32] {
        let start = if doc == 0 { 0 } else { self.entity_ends[doc - 1] };
        &self.entity_terms[start..self.entity_ends[doc]]
    }
}

/// IDF weights and norms over a [`LinkCorpus`], ready for scoring pairs.
struct TermIndex<'c> {
    corpus: &'c LinkCorpus,
    idf: Vec<f64>,
    norms: Vec<f64>,
}

impl<'c> TermIndex<'c> {
    fn build(corpus: &'c LinkCorpus) -> TermIndex<'c> {
        let n = corpus.len() as f64;
        // ln((N+1)/df): a term in every document weighs ~0, a term in one weighs most.
        let idf: Vec<f64> = corpus.df.iter().map(|&d| ((n + 1.0) / f64::from(d.max(1))).ln()).collect();
        let norms = (0..corpus.len())
            .map(|doc| corpus.terms_of(doc).iter().map(|&t| idf[t as usize].powi(2)).sum::<f64>().sqrt())
            .collect();
        TermIndex { corpus, idf, norms }
    }

    fn idf(&self, term: u32) -> f64 {
        self.idf.get(term as usize).copied().unwrap_or(0.0)
    }

    /// Entity names both documents carry that at most half the corpus names (so not the
    /// countries every article of a topic mentions).
    fn shared_distinctive_entities(&self, a: usize, b: usize) -> usize {
        let half = std::f64::consts::LN_2;
        let other = self.corpus.entities_of(b);
        self.corpus.entities_of(a).iter().filter(|t| other.binary_search(t).is_ok() && self.idf(**t) > half).count()
    }

    /// Whether the two documents share an entity name carried by at most `max_df` documents.
    fn share_rare_entity(&self, a: usize, b: usize, max_df: usize) -> bool {
        let other = self.corpus.entities_of(b);
        self.corpus
            .entities_of(a)
            .iter()
            .any(|t| self.corpus.df[*t as usize] as usize <= max_df && other.binary_search(t).is_ok())
    }

    /// Binary IDF²-weighted cosine of two documents' term sets.
    fn score(&self, a: usize, b: usize) -> f64 {
        let (x, y) = (self.corpus.terms_of(a), self.corpus.terms_of(b));
        let (mut i, mut j, mut shared) = (0usize, 0usize, 0.0f64);
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += self.idf(x[i]).powi(2);
                    i += 1;
                    j += 1;
                }
            }
        }
        let denominator = self.norms[a] * self.norms[b];
        if denominator > 0.0 {
            shared / denominator
        } else {
            0.0
        }
    }

    /// Candidate pairs `(a, b)`, `a < b`, sorted: for each document, the date-compatible
    /// documents sharing at least one of its `k` rarest terms (carried by 2 to `max_posting`
    /// documents), ranked by the IDF² weight of those shared rare terms; the best `per_doc`
    /// of each document are kept. Posting lists are sorted by date so that a dated document
    /// reads only the stretch within `max_days` of it: near-linear for bounded lists and a
    /// time-spread corpus, and at most `k × max_posting` reads per document otherwise.
    ///
    /// `ids` are the documents' ids (ties between equal weights go to the smaller id).
    fn candidates(&self, story: &StoryConfig, ids: &[Box<str>]) -> Vec<(usize, usize)> {
        let corpus = self.corpus;
        let n = corpus.len();
        let (k, max_posting, max_days) = (story.candidate_terms, story.max_posting, story.max_days_apart);
        let terms = corpus.term_hashes.len();
        // Each document's rare terms, then the posting lists of those terms (CSR layout).
        let mut chosen: Vec<u32> = Vec::new();
        let mut chosen_ends: Vec<usize> = Vec::with_capacity(n);
        let mut ranked: Vec<(u32, u64, u32)> = Vec::new();
        for doc in 0..n {
            ranked.clear();
            ranked.extend(corpus.terms_of(doc).iter().filter_map(|&t| {
                let df = corpus.df[t as usize] as usize;
                (2..=max_posting).contains(&df).then_some((df as u32, corpus.term_hashes[t as usize], t))
            }));
            if ranked.len() > k {
                ranked.select_nth_unstable(k);
                ranked.truncate(k);
            }
            chosen.extend(ranked.iter().map(|&(_, _, t)| t));
            chosen_ends.push(chosen.len());
        }
        let mut posting_starts = vec![0usize; terms + 1];
        for &t in &chosen {
            posting_starts[t as usize + 1] += 1;
        }
        for t in 0..terms {
            posting_starts[t + 1] += posting_starts[t];
        }
        let mut fill = posting_starts.clone();
        let mut postings = vec![0u32; chosen.len()];
        let mut start = 0;
        for (doc, &end) in chosen_ends.iter().enumerate() {
            for &t in &chosen[start..end] {
                postings[fill[t as usize]] = doc as u32;
                fill[t as usize] += 1;
            }
            start = end;
        }
        drop(fill);
        // Dated documents by start day, undated ones after them; per list, the longest date
        // range, so a search by start day cannot miss a coarse date that overlaps.
        let sort_key = |d: u32| match corpus.dates[d as usize] {
            Some((s, _)) => (0u8, s, d),
            None => (1u8, 0, d),
        };
        let mut widest = vec![0i64; terms];
        for t in 0..terms {
            let list = &mut postings[posting_starts[t]..posting_starts[t + 1]];
            list.sort_unstable_by_key(|&d| sort_key(d));
            widest[t] = list.iter().filter_map(|&d| corpus.dates[d as usize]).map(|(s, e)| e - s).max().unwrap_or(0);
        }

        // Each document's candidates depend on the frozen postings only, so blocks of documents
        // run on the pool, each with its own weight array (all zero between documents).
        let chosen_of = |doc: usize| &chosen[if doc == 0 { 0 } else { chosen_ends[doc - 1] }..chosen_ends[doc]];
        let blocks = (rayon::current_num_threads() * 4).clamp(1, n.max(1));
        let block_len = n.div_ceil(blocks).max(1);
        let block_pairs: Vec<Vec<u64>> = (0..n.div_ceil(block_len))
            .into_par_iter()
            .map(|block| {
                let mut weight = vec![0.0f64; n];
                let mut touched: Vec<u32> = Vec::new();
                let mut pairs: Vec<u64> = Vec::new();
                for a in block * block_len..((block + 1) * block_len).min(n) {
                    touched.clear();
                    let date = corpus.dates[a];
                    for &t in chosen_of(a) {
                        let list = &postings[posting_starts[t as usize]..posting_starts[t as usize + 1]];
                        let dated_end = list.partition_point(|&d| corpus.dates[d as usize].is_some());
                        let (from, to) = match date {
                            Some((s, e)) => {
                                let low = s - max_days - widest[t as usize];
                                let high = e + max_days;
                                let from = list[..dated_end].partition_point(|&d| sort_key(d).1 < low);
                                let to = list[..dated_end].partition_point(|&d| sort_key(d).1 <= high);
                                (from, to)
                            }
                            None => (0, dated_end),
                        };
                        let w = self.idf(t).powi(2);
                        for &b in list[from..to].iter().chain(&list[dated_end..]) {
                            let b_idx = b as usize;
                            if b_idx == a || !dates_compatible(date, corpus.dates[b_idx], max_days) {
                                continue;
                            }
                            if weight[b_idx] == 0.0 {
                                touched.push(b);
                            }
                            weight[b_idx] += w;
                        }
                    }
                    let by_weight = |x: &u32, y: &u32| {
                        weight[*y as usize]
                            .total_cmp(&weight[*x as usize])
                            .then_with(|| ids[*x as usize].cmp(&ids[*y as usize]))
                    };
                    let keep = touched.len().min(story.candidates_per_doc);
                    if touched.len() > keep {
                        touched.select_nth_unstable_by(keep, by_weight);
                    }
                    for &b in &touched[..keep] {
                        let b = b as usize;
                        pairs.push(((a.min(b) as u64) << 32) | a.max(b) as u64);
                    }
                    for &b in &touched {
                        weight[b as usize] = 0.0;
                    }
                }
                pairs
            })
            .collect();
        let mut pairs: Vec<u64> = block_pairs.concat();
        pairs.sort_unstable();
        pairs.dedup();
        pairs.into_iter().map(|p| ((p >> 32) as usize, (p & 0xffff_ffff) as usize)).collect()
    }
}

fn dates_compatible(a: Option<(i64, i64)>, b: Option<(i64, i64)>, max_days: i64) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => days_apart(x, y) <= max_days,
        _ => true,
    }
}

/// Story groups under construction: a union-find over documents whose components remember
/// the date span of their dated members (so an undated document cannot bridge two stories
/// reported weeks apart), their canonical document and the copy clusters ("units") they hold,
/// so that two groups are merged only when the links between them are dense (see
/// [`Components::union`]), never through one stray link.
struct Components {
    parent: Vec<usize>,
    span: Vec<Option<(i64, i64)>>,
    /// Per root: the units of its group (unit = root of a copy cluster after [`Components::freeze_units`]).
    units: Vec<Vec<u32>>,
    /// Per root: the group's canonical document (earliest, then longest, then smallest id).
    canonical: Vec<usize>,
    /// Per document: its unit; per unit: the units it has an eligible link with (sorted, deduplicated).
    unit_of: Vec<u32>,
    adjacent: Vec<Vec<u32>>,
}

impl Components {
    fn new(dates: &[Option<(i64, i64)>]) -> Self {
        let n = dates.len();
        Components {
            parent: (0..n).collect(),
            span: dates.to_vec(),
            units: Vec::new(),
            canonical: (0..n).collect(),
            unit_of: Vec::new(),
            adjacent: Vec::new(),
        }
    }

    fn root(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins two documents into one copy cluster (before units are frozen; no gates).
    fn join_copies(&mut self, a: usize, b: usize, wording: &WordingIndex) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.link_roots(ra, rb, wording);
        }
    }

    /// The copy clusters formed so far become the units story links connect.
    fn freeze_units(&mut self) {
        let n = self.parent.len();
        self.unit_of = (0..n).map(|d| self.root(d) as u32).collect();
        self.units = (0..n).map(|d| if self.unit_of[d] as usize == d { vec![d as u32] } else { Vec::new() }).collect();
        self.adjacent = vec![Vec::new(); n];
    }

    /// Records eligible links between units, so that density counts every link of a phase,
    /// not only those processed so far.
    fn add_adjacency(&mut self, links: impl IntoIterator<Item = (usize, usize)>) {
        for (a, b) in links {
            let (ua, ub) = (self.unit_of[a], self.unit_of[b]);
            if ua != ub {
                self.adjacent[ua as usize].push(ub);
                self.adjacent[ub as usize].push(ua);
            }
        }
        for list in &mut self.adjacent {
            list.sort_unstable();
            list.dedup();
        }
    }

    fn link_roots(&mut self, ra: usize, rb: usize, wording: &WordingIndex) {
        let merged = match (self.span[ra], self.span[rb]) {
            (Some(x), Some(y)) => Some((x.0.min(y.0), x.1.max(y.1))),
            (x, y) => x.or(y),
        };
        let (keep, drop) = (ra.min(rb), ra.max(rb));
        self.parent[drop] = keep;
        self.span[keep] = merged;
        let (ca, cb) = (self.canonical[ra], self.canonical[rb]);
        self.canonical[keep] = if wording.canonical_order(ca, cb).is_le() { ca } else { cb };
        if !self.units.is_empty() {
            let mut moved = std::mem::take(&mut self.units[drop]);
            let mut kept = std::mem::take(&mut self.units[keep]);
            if moved.len() > kept.len() {
                std::mem::swap(&mut moved, &mut kept);
            }
            kept.extend(moved);
            self.units[keep] = kept;
        }
    }

    /// Joins the groups of `a` and `b` when (1) with `max_span`, the joined group's dated
    /// members stay within that many days of each other, and (2) the groups are densely
    /// linked: more than half of the unit pairs across them have an eligible link, or one side
    /// is a single unit linked to the other's canonical document's unit (a star around the
    /// original). One false link between two stories therefore merges nothing; a document
    /// joins a story when it links to most of it or to its original. Returns whether `a` and
    /// `b` end up in one group.
    fn union(&mut self, a: usize, b: usize, max_span: Option<i64>, wording: &WordingIndex) -> bool {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra == rb {
            return true;
        }
        let merged = match (self.span[ra], self.span[rb]) {
            (Some(x), Some(y)) => Some((x.0.min(y.0), x.1.max(y.1))),
            (x, y) => x.or(y),
        };
        if let (Some(limit), Some((start, end))) = (max_span, merged) {
            // A coarse date (a whole month) alone is one fuzzy point, not a spread of days.
            let spread = match (self.span[ra], self.span[rb]) {
                (Some(x), Some(y)) => days_apart(x, y).max(end - start - (x.1 - x.0).max(y.1 - y.0)),
                _ => 0,
            };
            if spread > limit {
                return false;
            }
        }
        if !self.dense(ra, rb) {
            return false;
        }
        self.link_roots(ra, rb, wording);
        true
    }

    fn dense(&mut self, ra: usize, rb: usize) -> bool {
        let (small, large) = if self.units[ra].len() <= self.units[rb].len() { (ra, rb) } else { (rb, ra) };
        let (small_units, large_units) = (self.units[small].len(), self.units[large].len());
        if small_units == 1 {
            let original = self.unit_of[self.canonical[large]];
            if self.adjacent[self.units[small][0] as usize].binary_search(&original).is_ok() {
                return true;
            }
        }
        // More than half of the cross pairs: two single documents need their one link, a
        // document and a pair of linked documents need both links (or the link to the original).
        let needed = (small_units * large_units) / 2 + 1;
        let mut linked = 0usize;
        for i in 0..small_units {
            let unit = self.units[small][i] as usize;
            for j in 0..self.adjacent[unit].len() {
                let other = self.adjacent[unit][j] as usize;
                if self.root(other) == large {
                    linked += 1;
                    if linked >= needed {
                        return true;
                    }
                }
            }
        }
        false
    }
}

/// Story groups: documents linked by shared wording (copies, rewrites), by a strong overlap of
/// rare content, or by a weaker overlap that clearly stands out (see [`StoryConfig`]).
/// Deterministic; near-linear through candidate generation on rare terms and LSH.
pub fn find_story_groups(extractions: &[Extraction], link: &LinkConfig, story: &StoryConfig) -> StoryGroups {
    find_story_groups_in(&mut LinkCorpus::from_extractions(extractions, link), story)
}

/// [`find_story_groups`] over a [`LinkCorpus`] filled document by document (how the store
/// links a million documents without holding their extractions).
pub fn find_story_groups_in(corpus: &mut LinkCorpus, story: &StoryConfig) -> StoryGroups {
    // The wording side and the content-term side are independent until pairs are accepted,
    // so the two run beside each other on the pool (on one thread, in turn): the wording
    // index's common-shingle pass, band keys and LSH pairs on one side, the term numbering,
    // candidate generation and scoring on the other. Both have serial stretches; side by side
    // they fill each other's idle thread. The content side breaks ties by id, so it borrows
    // the ids while the wording index is finished.
    let placeholder = WordingIndex::new(&corpus.link);
    let mut wording = std::mem::replace(&mut corpus.wording, placeholder);
    let ids = wording.lend_ids();
    let link = corpus.link.clone();
    let (wording_pairs, (idf, norms, scored)) = rayon::join(
        || {
            wording.finish();
            near_duplicate_pairs(&wording, &link)
        },
        || {
            corpus.number_terms_by_hash();
            let index = TermIndex::build(corpus);
            // Scoring a candidate pair reads only the frozen index, so pairs are scored on the pool.
            let mut scored: Vec<(usize, usize, f64)> =
                index.candidates(story, &ids).into_par_iter().map(|(a, b)| (a, b, index.score(a, b))).collect();
            scored.sort_by_key(|&(a, b, _)| (a, b));
            (index.idf, index.norms, scored)
        },
    );
    wording.return_ids(ids);
    corpus.wording = wording;
    let corpus: &LinkCorpus = corpus;
    let index = TermIndex { corpus, idf, norms };
    let link = &corpus.link;
    let wording = &corpus.wording;
    let dates = &corpus.dates;

    let n = corpus.len();
    let gate = Some(story.max_days_apart);
    let rare_df = story.rare_entity_df.max(n / 1000);
    let wording_gate = |a: usize, b: usize, similarity: f64| -> bool {
        let max_days =
            if similarity < crate::COPY_SIMILARITY { story.rewrite_max_days_apart } else { story.copy_max_days_apart };
        if !dates_compatible(dates[a], dates[b], max_days) {
            return false;
        }
        // Below near-identity, shared wording must come with a shared rare name, when the
        // documents name anything: one template filled with other names is another story.
        let named = !corpus.entities_of(a).is_empty() && !corpus.entities_of(b).is_empty();
        !(similarity < story.unnamed_wording_floor && named && !index.share_rare_entity(a, b, rare_df))
    };
    let eligible_wording: Vec<(usize, usize, f64)> =
        wording_pairs.iter().copied().filter(|&(a, b, s)| wording_gate(a, b, s)).collect();
    // Copy clusters first: stars around their original, so copies never chain.
    let stars = copy_clusters(wording, &eligible_wording, link.threshold, wording_gate);
    let mut parts = Components::new(dates);
    let mut basis: BTreeMap<(usize, usize), LinkBasis> = BTreeMap::new();
    for &(a, b, _) in &stars {
        parts.join_copies(a, b, wording);
        basis.insert((a, b), LinkBasis::Wording);
    }
    parts.freeze_units();

    // Phase 1: wording pairs across copy clusters (a rewrite of a rewrite), most similar first,
    // then strong content links, strongest first, so that when the date gate or the density
    // rule must refuse a link it refuses the weaker one. Candidates without a shared rare name
    // stay in `scored`: they are the runner-ups of the ratio test below, but never links.
    let by_ids = |x: &(usize, usize, f64), y: &(usize, usize, f64)| {
        y.2.total_cmp(&x.2).then_with(|| {
            let key =
                |p: &(usize, usize, f64)| (wording.id(p.0).min(wording.id(p.1)), wording.id(p.0).max(wording.id(p.1)));
            key(x).cmp(&key(y))
        })
    };
    let mut cross_wording: Vec<(usize, usize, f64)> =
        eligible_wording.iter().copied().filter(|p| !basis.contains_key(&(p.0, p.1))).collect();
    cross_wording.sort_by(by_ids);
    let mut strong: Vec<(usize, usize, f64)> =
        scored.iter().copied().filter(|p| p.2 >= story.strong && index.share_rare_entity(p.0, p.1, rare_df)).collect();
    strong.sort_by(by_ids);
    parts.add_adjacency(cross_wording.iter().chain(&strong).map(|p| (p.0, p.1)));
    for &(a, b, _) in &cross_wording {
        if parts.union(a, b, None, wording) {
            basis.entry((a, b)).or_insert(LinkBasis::Wording);
        }
    }
    for &(a, b, _) in &strong {
        if parts.union(a, b, gate, wording) {
            basis.entry((a, b)).or_insert(LinkBasis::Content);
        }
    }

    // Ratio test over the strong components: each document's best partner must beat its
    // runner-up outside both components by `margin`.
    let components: Vec<usize> = (0..n).map(|d| parts.root(d)).collect();
    let mut component_sizes: HashMap<usize, usize, MixState> = HashMap::default();
    for &c in &components {
        *component_sizes.entry(c).or_default() += 1;
    }
    let mut neighbours: HashMap<usize, Vec<(usize, f64)>, MixState> = HashMap::default();
    for &(a, b, score) in &scored {
        if components[a] != components[b] {
            neighbours.entry(a).or_default().push((b, score));
            neighbours.entry(b).or_default().push((a, score));
        }
    }
    let best_partner = |doc: usize| -> Option<(usize, f64)> {
        let list = neighbours.get(&doc)?;
        let &(partner, score) =
            list.iter().max_by(|x, y| x.1.total_cmp(&y.1).then_with(|| wording.id(y.0).cmp(wording.id(x.0))))?;
        let runner_up = list
            .iter()
            .filter(|(other, _)| components[*other] != components[partner])
            .map(|&(_, s)| s)
            .fold(0.0f64, f64::max);
        let specific = index.shared_distinctive_entities(doc, partner) >= story.weak_shared_entities;
        (score >= story.weak_floor && score >= story.margin * runner_up && specific).then_some((partner, score))
    };
    let mut best: HashMap<usize, (usize, f64), MixState> = HashMap::default();
    let mut with_neighbours: Vec<usize> = neighbours.keys().copied().collect();
    with_neighbours.sort_unstable();
    for &doc in &with_neighbours {
        if let Some(choice) = best_partner(doc) {
            best.insert(doc, choice);
        }
    }
    let mut weak = Vec::new();
    for &doc in &with_neighbours {
        let Some(&(partner, _)) = best.get(&doc) else { continue };
        // The partner agrees when it chose this document back, or when it already belongs to
        // a strong group (whose own members vouch for each other).
        let agrees = match best.get(&partner) {
            Some(&(back, _)) => components[back] == components[doc],
            None => component_sizes.get(&components[partner]).copied().unwrap_or(0) > 1,
        };
        if agrees && index.share_rare_entity(doc, partner, rare_df) {
            weak.push((doc.min(partner), doc.max(partner)));
        }
    }
    weak.sort_by(|x, y| (wording.id(x.0), wording.id(x.1)).cmp(&(wording.id(y.0), wording.id(y.1))));
    weak.dedup();
    parts.add_adjacency(weak.iter().copied());
    for (a, b) in weak {
        if parts.union(a, b, gate, wording) {
            basis.entry((a, b)).or_insert(LinkBasis::DistinctiveContent);
        }
    }

    // Every accepted pair's exact wording similarity, once, on the pool (`scored` is sorted by
    // pair, so a pair's story score is found by search).
    let basis: Vec<((usize, usize), LinkBasis)> = basis.into_iter().collect();
    let accepted: Vec<(usize, usize, f64)> =
        basis.par_iter().map(|&((a, b), _)| (a, b, wording.jaccard(a, b))).collect();
    let score_of = |a: usize, b: usize| match scored.binary_search_by_key(&(a, b), |&(x, y, _)| (x, y)) {
        Ok(at) => scored[at].2,
        Err(_) => index.score(a, b),
    };
    let (groups, mut links) = rayon::join(
        || build_groups(wording, &accepted),
        || {
            basis
                .iter()
                .zip(&accepted)
                .map(|(&((a, b), how), &(_, _, similarity))| {
                    let (x, y) = if wording.id(a) <= wording.id(b) { (a, b) } else { (b, a) };
                    StoryLink {
                        a: wording.id(x).to_string(),
                        b: wording.id(y).to_string(),
                        basis: how,
                        story_score: score_of(a, b),
                        wording: similarity,
                    }
                })
                .collect::<Vec<StoryLink>>()
        },
    );
    links.sort_by(|p, q| (&p.a, &p.b).cmp(&(&q.a, &q.b)));
    StoryGroups { groups, links }
}

/// The story score of every pair of `extractions` (index pairs `a < b`), without candidate
/// generation or date gates: the naive twin for tests and calibration.
pub fn story_scores_exhaustive(extractions: &[Extraction]) -> Vec<(usize, usize, f64)> {
    let mut corpus = LinkCorpus::from_extractions(extractions, &LinkConfig::default());
    corpus.number_terms_by_hash();
    let index = TermIndex::build(&corpus);
    let mut out = Vec::new();
    for a in 0..extractions.len() {
        for b in a + 1..extractions.len() {
            out.push((a, b, index.score(a, b)));
        }
    }
    out
}

#[cfg(test)]
mod tests;
