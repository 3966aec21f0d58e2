//! The gazetteer: well-known countries, cities, regions, organisations, news outlets, public
//! figures and demonyms, compiled from `resources/entity/*.txt` into one whole-word phrase
//! table ([`lexicon::WordMatcher`], leftmost-longest, looked up at the runs of a document's
//! shared word stream). `cities_geonames.txt` is generated from GeoNames by
//! `scripts/gazetteer/regenerate.py`; the other files are hand-compiled.
//!
//! Each file line is `Canonical | variant | variant ...`. Matching is case-sensitive for
//! one-word names ("US" is not "us") and case-insensitive for multi-word names, which news
//! text often writes in lower case ("axis of resistance", "Quds force"). A match must sit on
//! word boundaries. Demonyms ("Iranian") are matched so that callers can recognise
//! "Lebanese Hezbollah", but they are never entities themselves.
//!
//! This module only finds names and looks up orthographic keys; typing unknown capitalised
//! words and merging mentions belong to `entity`.

use crate::FastMap;

use crosscheck_model::EntityType;

use crate::lexicon;
use crate::orthography::{orthographic_key, with_orthographic_key, MIN_KEY_LEN};
use crate::ExtractError;

/// What a gazetteer entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GazKind {
    Entity(EntityType),
    /// A nationality adjective or plural ("Iranian", "Syrians"); `canonical` is the country.
    Demonym,
}

#[derive(Debug, Clone)]
pub struct GazEntry {
    pub canonical: String,
    pub kind: GazKind,
    /// A country or territory (from `countries.txt`): a place that can also act.
    pub country: bool,
}

/// A gazetteer name found in a text, byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GazMatch {
    pub start: usize,
    pub end: usize,
    pub entry: usize,
}

/// All variants sharing one lower-cased spelling: (exact surface, entry).
struct Pattern {
    variants: Vec<(String, usize)>,
    multiword: bool,
}

pub struct Gazetteer {
    entries: Vec<GazEntry>,
    patterns: Vec<Pattern>,
    automaton: lexicon::WordMatcher,
    /// Orthographic key → entry (`None` when two entries share the key) and the lower-case
    /// variants that gave the key.
    keys: FastMap<String, (Option<usize>, Vec<String>)>,
}

/// The GeoNames-derived city list (`scripts/gazetteer/regenerate.py`), as opposed to the
/// hand-compiled files.
const GENERATED_CITIES: &str = "entity/cities_geonames.txt";

const FILES: &[(&str, &str, GazKind)] = &[
    (
        "entity/countries.txt",
        include_str!("../../../resources/entity/countries.txt"),
        GazKind::Entity(EntityType::Location),
    ),
    (
        "entity/regions.txt",
        include_str!("../../../resources/entity/regions.txt"),
        GazKind::Entity(EntityType::Location),
    ),
    ("entity/cities.txt", include_str!("../../../resources/entity/cities.txt"), GazKind::Entity(EntityType::Location)),
    (
        GENERATED_CITIES,
        include_str!("../../../resources/entity/cities_geonames.txt"),
        GazKind::Entity(EntityType::Location),
    ),
    (
        "entity/organizations.txt",
        include_str!("../../../resources/entity/organizations.txt"),
        GazKind::Entity(EntityType::Organization),
    ),
    (
        "entity/outlets.txt",
        include_str!("../../../resources/entity/outlets.txt"),
        GazKind::Entity(EntityType::Organization),
    ),
    ("entity/persons.txt", include_str!("../../../resources/entity/persons.txt"), GazKind::Entity(EntityType::Person)),
    ("entity/demonyms.txt", include_str!("../../../resources/entity/demonyms.txt"), GazKind::Demonym),
];

impl Gazetteer {
    pub fn new() -> Result<Self, ExtractError> {
        let mut entries = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut by_lower: FastMap<String, usize> = FastMap::default();
        // Per pattern, its lower-case form (the `by_lower` key it was made under): the
        // phrase the matcher is compiled from.
        let mut lowered: Vec<String> = Vec::new();
        let mut keys: FastMap<String, (Option<usize>, Vec<String>)> = FastMap::default();
        for &(file, content, kind) in FILES {
            for line in lexicon::lines(file, content) {
                let fields = line.fields();
                let Some(&canonical) = fields.first() else {
                    return Err(line.error("empty entry"));
                };
                let entry = entries.len();
                entries.push(GazEntry {
                    canonical: canonical.to_string(),
                    kind,
                    country: file == "entity/countries.txt",
                });
                // A demonym line lists the country first; only the adjectives are patterns.
                let surfaces = if kind == GazKind::Demonym { &fields[1..] } else { &fields[..] };
                if surfaces.is_empty() {
                    return Err(line.error("demonym line needs `Country | demonym ...`"));
                }
                for &surface in surfaces {
                    let lower = surface.to_lowercase();
                    let slot = match by_lower.get(&lower) {
                        Some(&slot) => slot,
                        None => {
                            patterns.push(Pattern { variants: Vec::new(), multiword: surface.contains(' ') });
                            lowered.push(lower.clone());
                            by_lower.insert(lower, patterns.len() - 1);
                            patterns.len() - 1
                        }
                    };
                    let variants = &mut patterns[slot].variants;
                    if !variants.iter().any(|(s, _)| s == surface) {
                        variants.push((surface.to_string(), entry));
                    }
                    // Generated cities are matched only as spelled: thousands of keys would
                    // make hand-listed keys ambiguous and pull unknown words ("Resistance")
                    // onto unrelated towns.
                    if kind != GazKind::Demonym && file != GENERATED_CITIES {
                        let key = orthographic_key(surface);
                        if key.len() >= MIN_KEY_LEN {
                            let slot = keys.entry(key).or_insert((Some(entry), Vec::new()));
                            if slot.0 != Some(entry) {
                                slot.0 = None;
                            }
                            slot.1.push(surface.to_lowercase());
                        }
                    }
                }
            }
        }
        let automaton = lexicon::WordMatcher::new(&lowered);
        Ok(Gazetteer { entries, patterns, automaton, keys })
    }

    pub fn entry(&self, id: usize) -> &GazEntry {
        &self.entries[id]
    }

    /// Every gazetteer name in `text`, in order, non-overlapping.
    pub fn find(&self, text: &str) -> Vec<GazMatch> {
        self.matches_to_entries(text, self.automaton.find_whole_words(text))
    }

    /// [`find`](Self::find) over a whole document whose words are `words` (computed once per
    /// document and shared by the stages): only run starts are tried.
    pub fn find_in(&self, text: &str, words: &crosscheck_text::WordStream) -> Vec<GazMatch> {
        let mut found = Vec::new();
        self.automaton.find_whole_words_at(text, 0, &words.runs, &mut found);
        self.matches_to_entries(text, found)
    }

    fn matches_to_entries(&self, text: &str, found: Vec<(usize, usize, usize)>) -> Vec<GazMatch> {
        let mut out = Vec::with_capacity(found.len());
        for (start, end, pattern) in found {
            if let Some(entry) = self.entry_of(pattern, &text[start..end]) {
                out.push(GazMatch { start, end, entry });
            }
        }
        out
    }

    /// The entry a matched pattern names with this exact surface, if any.
    fn entry_of(&self, pattern: usize, surface: &str) -> Option<usize> {
        let pattern = &self.patterns[pattern];
        let exact = pattern.variants.iter().find(|(s, _)| s == surface).map(|&(_, e)| e);
        match exact {
            Some(e) => Some(e),
            // Case variants of multi-word names ("Quds force") are accepted when the first
            // word after an optional "the" is capitalised, so "the national team" is not
            // "The National"; all-lower-case forms must be listed explicitly.
            None if pattern.multiword && head_is_capitalised(surface) => pattern.variants.first().map(|&(_, e)| e),
            None => None,
        }
    }

    /// Whether `find(word)` would start with a name covering all of `word`: the longest
    /// phrase at its start spans it and names an entry as written. Looks up the one position
    /// instead of scanning.
    pub fn covers(&self, word: &str) -> bool {
        self.automaton
            .longest_match_at_start(word)
            .is_some_and(|(end, pattern)| end == word.len() && self.entry_of(pattern, word).is_some())
    }

    /// The entry whose variant has the same orthographic key as `name`, if unambiguous.
    /// A one-word name must also begin with the variant's first two letters, since short
    /// keys collide across unrelated words ("Turnout" and "Toronto" are both `trnt`).
    pub fn lookup_key(&self, name: &str) -> Option<usize> {
        with_orthographic_key(name, |key| {
            if key.len() < MIN_KEY_LEN {
                return None;
            }
            let (entry, variants) = self.keys.get(key)?;
            if !name.contains(' ') {
                let same_start = crosscheck_text::with_lowercase(name, |lower| {
                    let prefix = &lower[..lower.char_indices().nth(2).map_or(lower.len(), |(i, _)| i)];
                    variants.iter().any(|v| v.starts_with(prefix))
                });
                if !same_start {
                    return None;
                }
            }
            *entry
        })
    }
}

fn head_is_capitalised(surface: &str) -> bool {
    let mut words = surface.split(' ');
    let first = words.next().unwrap_or_default();
    // "the Sun" is not "The Sun": a case variant must not differ in its article.
    if first == "the" {
        return false;
    }
    let head = if first == "The" { words.next().unwrap_or_default() } else { first };
    head.chars().next().is_some_and(char::is_uppercase)
}

/// True when `start..end` is not glued to letters or digits on either side.
pub fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before_ok = text[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
    let after_ok = text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
    before_ok && after_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(g: &Gazetteer, text: &str) -> Vec<(String, String)> {
        g.find(text)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), g.entry(m.entry).canonical.clone()))
            .collect()
    }

    #[test]
    fn finds_countries_orgs_and_outlets_with_canonical_names() {
        let g = Gazetteer::new().expect("gazetteer loads");
        let got = names(&g, "The U.S. and NATO said, according to Reuters, that Russia's army left Kyiv.");
        assert!(got.contains(&("U.S.".into(), "United States".into())), "{got:?}");
        assert!(got.contains(&("NATO".into(), "NATO".into())));
        assert!(got.contains(&("Reuters".into(), "Reuters".into())));
        assert!(got.contains(&("Russia".into(), "Russia".into())));
        assert!(got.contains(&("Kyiv".into(), "Kyiv".into())));
    }

    #[test]
    fn single_words_are_case_sensitive_and_need_word_boundaries() {
        let g = Gazetteer::new().expect("gazetteer loads");
        assert!(names(&g, "let us go to Iranian shops in Iranistan").iter().all(|(s, _)| s == "Iranian"));
    }

    #[test]
    fn multi_word_names_match_case_variants_with_a_capitalised_head() {
        let g = Gazetteer::new().expect("gazetteer loads");
        let got = names(&g, "the Quds force and the axis of resistance, not the national team");
        assert_eq!(
            got,
            vec![
                ("Quds force".to_string(), "Quds Force".to_string()),
                ("axis of resistance".to_string(), "Axis of Resistance".to_string())
            ]
        );
    }

    #[test]
    fn generated_cities_match_both_spellings_but_not_excluded_words_or_keys() {
        let g = Gazetteer::new().expect("gazetteer loads");
        let text = "Flights from Cotonou and Goiânia (Goiania) resumed; Reading and Mobile fans sang.";
        let got = names(&g, text);
        let stream = crosscheck_text::WordStream::new(text);
        assert_eq!(g.find_in(text, &stream), g.find(text));
        assert!(got.contains(&("Cotonou".into(), "Cotonou".into())), "{got:?}");
        assert!(got.contains(&("Goiania".into(), "Goiânia".into())), "{got:?}");
        assert!(got.iter().all(|(s, _)| s != "Reading" && s != "Mobile"), "{got:?}");
        assert_eq!(g.lookup_key("Cotonu"), None, "generated cities are matched only as spelled");
    }

    #[test]
    fn orthographic_key_finds_a_variant_spelling() {
        let g = Gazetteer::new().expect("gazetteer loads");
        let id = g.lookup_key("Hezbolah").expect("key lookup");
        assert_eq!(g.lookup_key("Turnout"), None, "a one-word key needs the same first letters");
        assert_eq!(g.entry(id).canonical, "Hezbollah");
    }
}
