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

use crate::dedup::{build_groups, near_duplicate_pairs, DocRef, LinkConfig};
use crate::minhash::{jaccard_of_sets, mix64, shingles};

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

struct Stopwords(std::collections::HashSet<&'static str>);

fn stopwords() -> &'static Stopwords {
    static CELL: std::sync::OnceLock<Stopwords> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        Stopwords(
            STOPWORDS_SRC.lines().map(|l| l.split('#').next().unwrap_or("").trim()).filter(|l| !l.is_empty()).collect(),
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

/// The content terms of one extraction: stemmed content words of the text, entity names and
/// amounts, as sorted, deduplicated hashes.
pub(crate) fn story_terms(extraction: &Extraction) -> Vec<u64> {
    let stop = stopwords();
    let mut terms = Vec::new();
    let mut lower = String::new();
    for word in crosscheck_text::words(&extraction.text) {
        if !word.text.chars().next().is_some_and(char::is_alphabetic) {
            continue;
        }
        lower.clear();
        for c in word.text.chars() {
            let c = if c == '\u{2019}' { '\'' } else { c };
            lower.extend(c.to_lowercase());
        }
        let base = lower.strip_suffix("'s").unwrap_or(&lower);
        if base.chars().count() < 3 || stop.0.contains(base) {
            continue;
        }
        terms.push(term_hash(TAG_WORD, stem(base)));
    }
    for entity in &extraction.entities {
        let key = crosscheck_text::normalize_key(&entity.name);
        if !key.is_empty() {
            terms.push(term_hash(TAG_ENTITY, &key));
        }
    }
    for quantity in &extraction.quantities {
        if quantity.value.is_finite() {
            terms.push(term_hash(TAG_NUMBER, &format!("{}{}", quantity.value, quantity.unit)));
        }
    }
    terms.sort_unstable();
    terms.dedup();
    terms
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

/// IDF-weighted term sets of a corpus, ready for scoring pairs.
struct TermIndex {
    terms: Vec<Vec<u64>>,
    /// The entity-name terms of each document, sorted (a subset of `terms`).
    entity_terms: Vec<Vec<u64>>,
    idf: HashMap<u64, f64>,
    df: HashMap<u64, usize>,
    norms: Vec<f64>,
}

impl TermIndex {
    fn build(extractions: &[Extraction]) -> TermIndex {
        let terms: Vec<Vec<u64>> = extractions.iter().map(story_terms).collect();
        let entity_terms: Vec<Vec<u64>> = extractions
            .iter()
            .map(|x| {
                let mut keys: Vec<u64> = x
                    .entities
                    .iter()
                    .map(|e| crosscheck_text::normalize_key(&e.name))
                    .filter(|k| !k.is_empty())
                    .map(|k| term_hash(TAG_ENTITY, &k))
                    .collect();
                keys.sort_unstable();
                keys.dedup();
                keys
            })
            .collect();
        let mut df: HashMap<u64, usize> = HashMap::new();
        for set in &terms {
            for &t in set {
                *df.entry(t).or_default() += 1;
            }
        }
        let n = extractions.len() as f64;
        // ln((N+1)/df): a term in every document weighs ~0, a term in one weighs most.
        let idf: HashMap<u64, f64> = df.iter().map(|(&t, &d)| (t, ((n + 1.0) / d as f64).ln())).collect();
        let norms = terms
            .iter()
            .map(|set| set.iter().map(|t| idf.get(t).copied().unwrap_or(0.0).powi(2)).sum::<f64>().sqrt())
            .collect();
        TermIndex { terms, entity_terms, idf, df, norms }
    }

    fn idf(&self, term: u64) -> f64 {
        self.idf.get(&term).copied().unwrap_or(0.0)
    }

    /// Entity names both documents carry that at most half the corpus names (so not the
    /// countries every article of a topic mentions).
    fn shared_distinctive_entities(&self, a: usize, b: usize) -> usize {
        let half = std::f64::consts::LN_2;
        let other = &self.entity_terms[b];
        self.entity_terms[a].iter().filter(|t| other.binary_search(t).is_ok() && self.idf(**t) > half).count()
    }

    /// Binary IDF²-weighted cosine of two documents' term sets.
    fn score(&self, a: usize, b: usize) -> f64 {
        let (x, y) = (&self.terms[a], &self.terms[b]);
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

    /// Pairs of documents sharing at least one of their `k` rarest terms (carried by 2 to
    /// `max_posting` documents) whose dates are at most `max_days` apart (undated documents pair
    /// with every date). Each posting list is walked in date order with a sliding window, so the
    /// work is linear in the corpus for bounded lists and a time-spread corpus.
    fn candidates(
        &self,
        k: usize,
        max_posting: usize,
        dates: &[Option<(i64, i64)>],
        max_days: i64,
    ) -> Vec<(usize, usize)> {
        let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut ranked: Vec<(usize, u64)> = Vec::new();
        for (doc, set) in self.terms.iter().enumerate() {
            ranked.clear();
            ranked.extend(set.iter().filter_map(|&t| {
                let df = self.df.get(&t).copied().unwrap_or(0);
                (2..=max_posting).contains(&df).then_some((df, t))
            }));
            ranked.sort_unstable();
            for &(_, t) in ranked.iter().take(k) {
                postings.entry(t).or_default().push(doc);
            }
        }
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut dated: Vec<(i64, i64, usize)> = Vec::new();
        let mut undated: Vec<usize> = Vec::new();
        for docs in postings.values() {
            dated.clear();
            undated.clear();
            for &d in docs {
                match dates[d] {
                    Some((start, end)) => dated.push((start, end, d)),
                    None => undated.push(d),
                }
            }
            dated.sort_unstable();
            for (i, &(_, end, a)) in dated.iter().enumerate() {
                for &(start, _, b) in &dated[i + 1..] {
                    if start - end > max_days {
                        break;
                    }
                    pairs.push((a.min(b), a.max(b)));
                }
            }
            for (i, &a) in undated.iter().enumerate() {
                for &b in undated[i + 1..].iter().chain(dated.iter().map(|(_, _, d)| d)) {
                    pairs.push((a.min(b), a.max(b)));
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }
}

/// Union-find whose components remember the date span of their dated members, so that an
/// undated document cannot bridge two stories reported weeks apart.
struct Components {
    parent: Vec<usize>,
    span: Vec<Option<(i64, i64)>>,
}

impl Components {
    fn new(dates: &[Option<(i64, i64)>]) -> Self {
        Components { parent: (0..dates.len()).collect(), span: dates.to_vec() }
    }

    fn root(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins the components of `a` and `b`; with `max_span`, only when the joined component's
    /// dated members stay within that many days of each other. Returns whether they are joined.
    fn union(&mut self, a: usize, b: usize, max_span: Option<i64>) -> bool {
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
        let (keep, drop) = (ra.min(rb), ra.max(rb));
        self.parent[drop] = keep;
        self.span[keep] = merged;
        true
    }
}

/// Story groups: documents linked by shared wording (copies, rewrites), by a strong overlap of
/// rare content, or by a weaker overlap that clearly stands out (see [`StoryConfig`]).
/// Deterministic; near-linear through candidate generation on rare terms and LSH.
pub fn find_story_groups(extractions: &[Extraction], link: &LinkConfig, story: &StoryConfig) -> StoryGroups {
    let docs: Vec<DocRef<'_>> =
        extractions.iter().map(|e| DocRef { id: &e.id, text: &e.text, date: e.date.as_deref() }).collect();
    let wording_pairs = near_duplicate_pairs(&docs, link);
    let index = TermIndex::build(extractions);
    let dates: Vec<Option<(i64, i64)>> = extractions.iter().map(|e| e.date.as_deref().and_then(day_range)).collect();
    let compatible = |a: usize, b: usize| match (dates[a], dates[b]) {
        (Some(x), Some(y)) => days_apart(x, y) <= story.max_days_apart,
        _ => true,
    };

    let mut scored: Vec<(usize, usize, f64)> = index
        .candidates(story.candidate_terms, story.max_posting, &dates, story.max_days_apart)
        .into_iter()
        .filter(|&(a, b)| compatible(a, b))
        .map(|(a, b)| (a, b, index.score(a, b)))
        .collect();
    scored.sort_by_key(|&(a, b, _)| (a, b));

    let n = extractions.len();
    let gate = Some(story.max_days_apart);
    let mut parts = Components::new(&dates);
    let mut basis: BTreeMap<(usize, usize), LinkBasis> = BTreeMap::new();
    for &(a, b, _) in &wording_pairs {
        parts.union(a, b, None);
        basis.insert((a, b), LinkBasis::Wording);
    }
    // Strongest first, so that when the date gate must refuse a link it refuses the weaker one.
    let mut strong: Vec<(usize, usize, f64)> = scored.iter().copied().filter(|p| p.2 >= story.strong).collect();
    strong.sort_by(|x, y| y.2.total_cmp(&x.2).then_with(|| (x.0, x.1).cmp(&(y.0, y.1))));
    for (a, b, _) in strong {
        if parts.union(a, b, gate) {
            basis.entry((a, b)).or_insert(LinkBasis::Content);
        }
    }

    // Ratio test over the strong components: each document's best partner must beat its
    // runner-up outside both components by `margin`.
    let components: Vec<usize> = (0..n).map(|d| parts.root(d)).collect();
    let mut neighbours: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for &(a, b, score) in &scored {
        if components[a] != components[b] {
            neighbours[a].push((b, score));
            neighbours[b].push((a, score));
        }
    }
    let best_partner = |doc: usize| -> Option<(usize, f64)> {
        let &(partner, score) =
            neighbours[doc].iter().max_by(|x, y| x.1.total_cmp(&y.1).then_with(|| y.0.cmp(&x.0)))?;
        let runner_up = neighbours[doc]
            .iter()
            .filter(|(other, _)| components[*other] != components[partner])
            .map(|&(_, s)| s)
            .fold(0.0f64, f64::max);
        let specific = index.shared_distinctive_entities(doc, partner) >= story.weak_shared_entities;
        (score >= story.weak_floor && score >= story.margin * runner_up && specific).then_some((partner, score))
    };
    let best: Vec<Option<(usize, f64)>> = (0..n).map(best_partner).collect();
    let component_size = |c: usize| components.iter().filter(|&&x| x == c).count();
    let mut weak = Vec::new();
    for (doc, choice) in best.iter().enumerate() {
        let Some((partner, _)) = *choice else { continue };
        // The partner agrees when it chose this document back, or when it already belongs to
        // a strong group (whose own members vouch for each other).
        let agrees = match best[partner] {
            Some((back, _)) => components[back] == components[doc],
            None => component_size(components[partner]) > 1,
        };
        if agrees {
            weak.push((doc.min(partner), doc.max(partner)));
        }
    }
    weak.sort_unstable();
    weak.dedup();
    for (a, b) in weak {
        if parts.union(a, b, gate) {
            basis.entry((a, b)).or_insert(LinkBasis::DistinctiveContent);
        }
    }

    let score_of: HashMap<(usize, usize), f64> = scored.iter().map(|&(a, b, s)| ((a, b), s)).collect();
    let shingle_sets: HashMap<usize, Vec<u64>> = basis
        .keys()
        .flat_map(|&(a, b)| [a, b])
        .map(|d| (d, shingles(&extractions[d].text, link.shingle_words)))
        .collect();
    let wording_of = |a: usize, b: usize| match (shingle_sets.get(&a), shingle_sets.get(&b)) {
        (Some(x), Some(y)) => jaccard_of_sets(x, y),
        _ => 0.0,
    };
    let accepted: Vec<(usize, usize, f64)> = basis.keys().map(|&(a, b)| (a, b, wording_of(a, b))).collect();
    let groups = build_groups(&docs, &accepted);
    let mut links: Vec<StoryLink> = basis
        .iter()
        .map(|(&(a, b), &how)| {
            let (x, y) = if docs[a].id <= docs[b].id { (a, b) } else { (b, a) };
            StoryLink {
                a: docs[x].id.to_string(),
                b: docs[y].id.to_string(),
                basis: how,
                story_score: score_of.get(&(a, b)).copied().unwrap_or_else(|| index.score(a, b)),
                wording: wording_of(a, b),
            }
        })
        .collect();
    links.sort_by(|p, q| (&p.a, &p.b).cmp(&(&q.a, &q.b)));
    StoryGroups { groups, links }
}

/// The story score of every pair of `extractions` (index pairs `a < b`), without candidate
/// generation or date gates: the naive twin for tests and calibration.
pub fn story_scores_exhaustive(extractions: &[Extraction]) -> Vec<(usize, usize, f64)> {
    let index = TermIndex::build(extractions);
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
