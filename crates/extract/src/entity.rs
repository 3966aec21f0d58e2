//! Named entities: persons, organisations and locations, with every mention, merged within
//! one document.
//!
//! Two sources of candidates meet here:
//! * the [`Gazetteer`] (well-known names with canonical forms);
//! * capitalised sequences ("runs") of the text, which may contain the connectors `of`,
//!   `of the`, `and`, `for` and name particles (`al`, `bin`, `de`, `von` ... and hyphenated
//!   `al-Sham`, `ez-Zor`). A run is stripped of leading titles ("Brig. Gen."), sentence-initial
//!   function words and demonyms, then typed by cues: an organisation keyword inside it
//!   (`Ministry`, `Corps`, `Brigade`, `News` ...), a place keyword at its end (`Province`,
//!   `Square`), a title before it, a known given name at its start, a verb of speech after it,
//!   an appositive role ("X, a member of ..."), an acronym in parentheses after it, or a place
//!   preposition before it. Runs that no cue types are kept only if they later join a typed
//!   entity (a surname, a repeated acronym), otherwise dropped.
//!
//! Merging within the document (union-find): the same gazetteer entry; the same
//! [`normalize_key`](crosscheck_text::normalize_key); an acronym in parentheses and its expansion; a surname and the full
//! person name ending in it; transliteration variants sharing an
//! [`orthographic_key`](crate::orthography). Demonym-prefixed forms ("Lebanese Hezbollah")
//! and possessive government bodies ("Russia's Defense Ministry") become aliases. The
//! canonical name is the gazetteer's, else the longest form seen; titles are never part of it.
//!
//! This module must not look at attributions or events; it returns entities and a byte-offset
//! mention index that those stages read.

use crate::{FastMap, FastSet};

use crosscheck_model::{Entity, EntityType, Mention};
use crosscheck_text::{with_normalized_key, CharMap};

use crate::DocText;
use regex::Regex;

use crate::gazetteer::{GazKind, GazMatch, Gazetteer};
use crate::lexicon;
use crate::orthography::{with_orthographic_key, MIN_KEY_LEN};
use crate::ExtractError;

/// Lower-case words that may join capitalised words inside one name.
const CONNECTORS: [&str; 18] = [
    "of", "the", "and", "for", "al", "el", "bin", "ibn", "bint", "de", "da", "del", "der", "van", "von", "la", "le",
    "du",
];

/// The index of `word` in [`CONNECTORS`] (one match, not a comparison per connector).
fn connector_index(word: &str) -> Option<usize> {
    let i = match word {
        "of" => 0,
        "the" => 1,
        "and" => 2,
        "for" => 3,
        "al" => 4,
        "el" => 5,
        "bin" => 6,
        "ibn" => 7,
        "bint" => 8,
        "de" => 9,
        "da" => 10,
        "del" => 11,
        "der" => 12,
        "van" => 13,
        "von" => 14,
        "la" => 15,
        "le" => 16,
        "du" => 17,
        _ => return None,
    };
    debug_assert_eq!(CONNECTORS[i], word);
    Some(i)
}

fn is_connector(word: &str) -> bool {
    connector_index(word).is_some()
}
/// Lower-case prefixes written before a hyphen in Arabic names ("al-Assad", "ez-Zor").
fn is_hyphen_particle(prefix: &str) -> bool {
    matches!(
        prefix,
        "al" | "el" | "ad" | "ed" | "as" | "ash" | "at" | "az" | "ez" | "an" | "ar" | "bin" | "ibn" | "abu"
    )
}
/// Abbreviations that may be followed by a period inside a name ("Brig. Gen. X", "Mr. X").
const DOTTED_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "brig", "col", "lt", "maj", "sgt", "capt", "adm", "gov", "sen", "rep", "st", "jr",
    "sr", "prof", "cmdr",
];
/// Lower-case nouns that continue a place name ("Ituri province").
const LOWER_PLACE_NOUNS: &[&str] = &[
    "province",
    "region",
    "governorate",
    "district",
    "county",
    "prefecture",
    "oblast",
    "square",
    "street",
    "stadium",
    "airport",
];
/// First words that make a name a place ("River Aire", "Lake Chad", "Mount Hermon").
const PLACE_HEADS: &[&str] = &["River", "Lake", "Mount", "Gulf", "Bay", "Cape", "Port", "Fort", "Lac", "Rio"];
/// Nouns that end a lower-case government body's name ("defence ministry").
const GOVERNMENT_BODY_NOUNS: &[&str] = &["ministry", "department"];

/// "the town of X": nouns whose "of" names a place.
const PLACE_OF_NOUNS: &[&str] = &[
    "town",
    "city",
    "village",
    "district",
    "province",
    "region",
    "capital",
    "port",
    "island",
    "state",
    "county",
    "municipality",
    "suburb",
    "neighbourhood",
    "neighborhood",
    "governorate",
    "outskirts",
    "mountains",
];
/// Lower-case nouns that name the kind of body next to its name ("the airline SkyFjord").
const ORG_NOUNS: &[&str] = &[
    "operator",
    "television",
    "tv",
    "carmaker",
    "automaker",
    "company",
    "firm",
    "airline",
    "carrier",
    "broadcaster",
    "newspaper",
    "daily",
    "tabloid",
    "weekly",
    "magazine",
    "agency",
    "radio",
    "station",
    "channel",
    "network",
    "website",
    "union",
    "party",
    "club",
    "bank",
    "lender",
    "insurer",
    "retailer",
    "manufacturer",
    "maker",
    "producer",
    "supplier",
    "contractor",
    "developer",
    "utility",
    "regulator",
    "watchdog",
    "charity",
    "group",
    "team",
    "outlet",
    "publisher",
    "startup",
    "conglomerate",
    "miner",
    "giant",
    "subsidiary",
    "broadcaster",
    "consultancy",
    "ngo",
    "militia",
    "movement",
];
/// Verbs after a name that make it an outlet or body rather than a person.
const REPORT_VERBS: &[&str] =
    &["reported", "reports", "wrote", "writes", "published", "publishes", "broadcast", "quoted"];
/// Prepositions after which an otherwise unknown short name is a place.
const PLACE_PREPOSITIONS: &[&str] =
    &["in", "near", "outside", "inside", "toward", "towards", "into", "across", "around"];

/// What the run scanner knows about the whole document.
struct DocContext<'a> {
    text: &'a str,
    gaz: &'a [GazMatch],
    /// Capitalised words that occur somewhere with no capitalised neighbour ("Oduya said").
    standalone: FastSet<&'a str>,
    /// Every word of the text, tokenised once: a sentence's words are the ones inside its
    /// range, since sentences start and end next to whitespace.
    words: &'a [crosscheck_text::Word<'a>],
    /// The runs of the same words, with their keys.
    runs: &'a [crosscheck_text::Run],
    /// [`Gazetteer::lookup_key`] by surface: a name recurs in a document, and its key costs
    /// far more than a probe.
    gazetteer_keys: std::cell::RefCell<FastMap<&'a str, Option<usize>>>,
}

impl<'a> DocContext<'a> {
    /// [`Gazetteer::lookup_key`] of `surface`, each distinct surface looked up once.
    fn gazetteer_key(&self, gazetteer: &Gazetteer, surface: &'a str) -> Option<usize> {
        *self.gazetteer_keys.borrow_mut().entry(surface).or_insert_with(|| gazetteer.lookup_key(surface))
    }

    /// Whether the text writes `lower` (a lower-cased word) as a word that starts in lower
    /// case. Asked only of sentence openings: a scan costs less than a set of every
    /// lower-case word built for every document. A word of one run is looked for by its
    /// run's key (one integer per run) and only a key hit is compared.
    fn writes_in_lower_case(&self, lower: &str) -> bool {
        let is_word = |w: &crosscheck_text::Word| {
            w.text.len() == lower.len() && w.text == lower && w.text.chars().next().is_some_and(char::is_lowercase)
        };
        if lower.is_empty() || !lower.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return self.words.iter().any(is_word);
        }
        // An ASCII word without joiners is one run, so every word equal to it is a run with
        // its key.
        let key = crosscheck_text::fold_key(lower.as_bytes());
        self.runs
            .iter()
            .filter(|r| r.key == key)
            .any(|r| self.words.binary_search_by_key(&r.start, |w| w.start).is_ok_and(|i| is_word(&self.words[i])))
    }
}

/// `word.trim_end_matches("'s").trim_end_matches("’s")` without a substring searcher per
/// call (it runs for every standalone capitalised word).
fn trim_possessives(word: &str) -> &str {
    let mut w = word;
    while let Some(rest) = w.strip_suffix("'s") {
        w = rest;
    }
    while let Some(rest) = w.strip_suffix("’s") {
        w = rest;
    }
    w
}

/// Capitalised words that stand alone at least once, not counting sentence openings.
fn standalone_capitalised<'a>(text: &'a str, words: &[crosscheck_text::Word<'a>]) -> FastSet<&'a str> {
    let capitalised = |w: &crosscheck_text::Word| w.text.chars().next().is_some_and(char::is_uppercase);
    let joined = |a: &crosscheck_text::Word, b: &crosscheck_text::Word| gap_is_space(&text[a.end..b.start]);
    let mut out = FastSet::with_capacity_and_hasher(words.len() / 8, Default::default());
    for i in 0..words.len() {
        let w = &words[i];
        if !capitalised(w) {
            continue;
        }
        let before = text[..w.start].trim_end();
        let sentence_start = before.is_empty() || before.ends_with(['.', '!', '?', '\n', '“', '"', ':']);
        let prev_cap = i > 0 && capitalised(&words[i - 1]) && joined(&words[i - 1], w);
        let next_cap = i + 1 < words.len() && capitalised(&words[i + 1]) && joined(w, &words[i + 1]);
        if !sentence_start && !prev_cap && !next_cap {
            let base = trim_possessives(w.text);
            out.insert(base);
        }
    }
    out
}

/// Lexicons that type capitalised sequences.
pub struct EntityRecognizer {
    gazetteer: Gazetteer,
    given_names: FastSet<String>,
    stopwords: FastSet<String>,
    calendar: FastSet<String>,
    /// Some calendar word does not start with an upper-case letter (else only capitalised
    /// words are looked up).
    calendar_has_uncapitalised: bool,
    org_keywords: FastSet<String>,
    location_keywords: FastSet<String>,
    generic_org_words: FastSet<String>,
    /// Lower-case token sequences, longest first.
    titles: Vec<Vec<String>>,
    /// Indices into `titles` (so longest first) by first and by last token: a title lookup
    /// per token reads only the few titles that can match there.
    titles_by_first: FastMap<String, Vec<usize>>,
    titles_by_last: FastMap<String, Vec<usize>>,
    single_word_titles: FastSet<String>,
    /// Lower-case portfolio token sequences ("heavy industry"), longest first.
    portfolios: Vec<Vec<String>>,
    speech_verbs: FastSet<String>,
    acronym: Regex,
    /// The same word lists merged, word → (flags of the word as written, flags of a word
    /// whose lower-case form it is): one probe (two for a capitalised word) per token
    /// instead of one per list and question.
    lex_flags: FastMap<String, (u8, u8)>,
    /// The lexicon bits of each of [`CONNECTORS`], read once.
    connector_lex: [u8; CONNECTORS.len()],
}

/// No mention is longer than this many bytes (names are short; the run scanner caps them).
const MAX_MENTION_BYTES: usize = 400;

/// A mention of entity number `entity`, byte offsets into the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MentionRef {
    pub start: usize,
    pub end: usize,
    pub entity: usize,
}

/// The entities of one document and where each is mentioned.
#[derive(Debug, Clone, Default)]
pub struct EntityResult {
    pub entities: Vec<Entity>,
    /// Sorted by start offset.
    pub mentions: Vec<MentionRef>,
    /// Per entity: a country, which can act like an organisation ("Iran withdrew").
    pub country: Vec<bool>,
    /// Nationality adjectives with the country they refer to ("Iranian" → Iran), byte
    /// offsets; not entities, but "Iranian forces" names an actor.
    pub demonyms: Vec<(usize, usize, String)>,
}

impl EntityResult {
    /// The entity mentioned exactly at (or covering) `start..end`, if any.
    pub fn entity_covering(&self, start: usize, end: usize) -> Option<usize> {
        // Mentions are sorted by start and short, so only a window before `start` can cover it.
        let upto = self.mentions.partition_point(|m| m.start <= start);
        self.mentions[..upto]
            .iter()
            .rev()
            .take_while(|m| m.start + MAX_MENTION_BYTES >= start)
            .find(|m| end <= m.end)
            .map(|m| m.entity)
    }

    /// Mentions that end exactly at `end`, longest first.
    pub fn mentions_ending_at(&self, end: usize) -> impl Iterator<Item = &MentionRef> {
        let upto = self.mentions.partition_point(|m| m.start < end);
        self.mentions[..upto]
            .iter()
            .rev()
            .take_while(move |m| m.start + MAX_MENTION_BYTES >= end)
            .filter(move |m| m.end == end)
    }

    /// A mention that strictly contains byte `pos` (starts before it, ends after it).
    pub fn mention_around(&self, pos: usize) -> Option<&MentionRef> {
        let upto = self.mentions.partition_point(|m| m.start < pos);
        self.mentions[..upto].iter().rev().take_while(|m| m.start + MAX_MENTION_BYTES >= pos).find(|m| pos < m.end)
    }

    /// Mentions lying inside `start..end`, in order.
    pub fn mentions_within(&self, start: usize, end: usize) -> impl Iterator<Item = &MentionRef> {
        let from = self.mentions.partition_point(|m| m.start < start);
        self.mentions[from..].iter().take_while(move |m| m.start < end).filter(move |m| m.end <= end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Cap,
    Connector,
    Demonym(usize),
    /// A one-word gazetteer person ("Assad"), which may sit inside a longer name.
    SoftPerson(usize),
    Gazetteer(usize),
    Other,
}

impl AsRef<str> for Tok<'_> {
    fn as_ref(&self) -> &str {
        self.text
    }
}

#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    start: usize,
    /// End of the word without a possessive `'s`.
    end: usize,
    /// End including the possessive.
    full_end: usize,
    text: &'a str,
    possessive: bool,
    class: Class,
    /// What the entity lexicons say of the word (its lexicon bits, `ORG_KEYWORD` ...), read once when the word
    /// can be part of a name (every class but `Other`); 0 otherwise.
    lex: u8,
}

// Bits of `Tok::lex`: the word as written is in `org_keywords`, `location_keywords`,
// `generic_org_words`, `given_names`, `calendar_words`; lower-cased it is in `stopwords` or
// is a one-word title.
const ORG_KEYWORD: u8 = 1;
const LOCATION_KEYWORD: u8 = 2;
const GENERIC_ORG: u8 = 4;
const GIVEN_NAME: u8 = 8;
const CALENDAR: u8 = 16;
const STOPWORD: u8 = 32;
const TITLE_WORD: u8 = 64;
/// Lower-cased, the word is the first word of some title (a title lookup can start there).
const TITLE_FIRST: u8 = 128;

/// `flag` when `on`, else 0.
fn bit(on: bool, flag: u8) -> u8 {
    if on {
        flag
    } else {
        0
    }
}

#[derive(Debug, Clone)]
struct Candidate {
    start: usize,
    end: usize,
    kind: Option<EntityType>,
    gazetteer: Option<usize>,
    rule: &'static str,
    /// A form that must not become the canonical name (demonym-prefixed, acronym).
    alias_only: bool,
    /// Another candidate this one is known to name the same thing as.
    link: Option<usize>,
    /// Superseded by a longer name found later (kept so that link indices stay valid).
    dropped: bool,
}

fn load_set(file: &'static str, content: &'static str) -> FastSet<String> {
    lexicon::lines(file, content).map(|l| l.text.to_string()).collect()
}

impl EntityRecognizer {
    pub fn new(speech_verbs: FastSet<String>) -> Result<Self, ExtractError> {
        let mut titles: Vec<Vec<String>> = Vec::new();
        for line in lexicon::lines("role/titles.txt", include_str!("../../../resources/role/titles.txt")) {
            let tokens: Vec<String> = line
                .text
                .split_whitespace()
                .map(|t| t.trim_end_matches('.').to_lowercase())
                .filter(|t| !t.is_empty())
                .collect();
            if tokens.is_empty() {
                return Err(line.error("empty title"));
            }
            if !titles.contains(&tokens) {
                titles.push(tokens);
            }
        }
        titles.sort_by_key(|t| std::cmp::Reverse(t.len()));
        let single_word_titles = titles.iter().filter(|t| t.len() == 1).map(|t| t[0].clone()).collect();
        let mut titles_by_first: FastMap<String, Vec<usize>> = FastMap::default();
        let mut titles_by_last: FastMap<String, Vec<usize>> = FastMap::default();
        for (i, title) in titles.iter().enumerate() {
            if let (Some(first), Some(last)) = (title.first(), title.last()) {
                titles_by_first.entry(first.clone()).or_default().push(i);
                titles_by_last.entry(last.clone()).or_default().push(i);
            }
        }
        let mut portfolios: Vec<Vec<String>> =
            lexicon::lines("role/portfolios.txt", include_str!("../../../resources/role/portfolios.txt"))
                .map(|l| l.text.split_whitespace().map(str::to_lowercase).collect())
                .collect();
        portfolios.sort_by_key(|p: &Vec<String>| std::cmp::Reverse(p.len()));
        let calendar =
            load_set("entity/calendar_words.txt", include_str!("../../../resources/entity/calendar_words.txt"));
        let acronym = Regex::new(r"^\s*\(([A-Z][A-Za-z0-9&\-]{1,9})\)")
            .map_err(|e| ExtractError::Pattern { file: "entity.rs acronym", source: Box::new(e) })?;
        let mut recognizer = EntityRecognizer {
            gazetteer: Gazetteer::new()?,
            given_names: load_set("entity/given_names.txt", include_str!("../../../resources/entity/given_names.txt")),
            stopwords: lexicon::word_set(
                "entity/stopwords.txt",
                include_str!("../../../resources/entity/stopwords.txt"),
            ),
            calendar_has_uncapitalised: calendar.iter().any(|w| !w.chars().next().is_some_and(char::is_uppercase)),
            calendar,
            org_keywords: load_set(
                "entity/org_keywords.txt",
                include_str!("../../../resources/entity/org_keywords.txt"),
            ),
            location_keywords: load_set(
                "entity/location_keywords.txt",
                include_str!("../../../resources/entity/location_keywords.txt"),
            ),
            generic_org_words: load_set(
                "entity/generic_org_words.txt",
                include_str!("../../../resources/entity/generic_org_words.txt"),
            ),
            titles,
            titles_by_first,
            titles_by_last,
            single_word_titles,
            portfolios,
            speech_verbs,
            acronym,
            lex_flags: FastMap::default(),
            connector_lex: [0; CONNECTORS.len()],
        };
        recognizer.lex_flags = recognizer.merged_lexicon();
        recognizer.connector_lex = CONNECTORS.map(|c| recognizer.lex_of(c));
        Ok(recognizer)
    }

    /// [`lex_flags`](Self::lex_flags) built from the word lists.
    fn merged_lexicon(&self) -> FastMap<String, (u8, u8)> {
        let mut merged: FastMap<String, (u8, u8)> = FastMap::default();
        let exact: [(&FastSet<String>, u8); 5] = [
            (&self.org_keywords, ORG_KEYWORD),
            (&self.location_keywords, LOCATION_KEYWORD),
            (&self.generic_org_words, GENERIC_ORG),
            (&self.given_names, GIVEN_NAME),
            (&self.calendar, CALENDAR),
        ];
        for (set, bit) in exact {
            for word in set {
                merged.entry(word.clone()).or_default().0 |= bit;
            }
        }
        // The second flags of every key are those of its lower-case form; the ASCII
        // title-case form of every lower-case entry is a key too, so that a capitalised
        // ASCII word ("The", "Minister") is answered by one probe (see `lex_of`).
        let lower_bits = |word: &str| {
            bit(self.stopwords.contains(word), STOPWORD)
                | bit(self.single_word_titles.contains(word), TITLE_WORD)
                | bit(self.titles_by_first.contains_key(word), TITLE_FIRST)
        };
        for word in self.stopwords.iter().chain(&self.single_word_titles).chain(self.titles_by_first.keys()) {
            merged.entry(word.clone()).or_default();
            if word.is_ascii() {
                let mut title_case = word.clone();
                if let Some(first) = title_case.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                merged.entry(title_case).or_default();
            }
        }
        for (key, (_, lower)) in merged.iter_mut() {
            *lower = lower_bits(&key.to_lowercase());
        }
        merged
    }

    /// The lexicon bits (`ORG_KEYWORD` ...) of `word`.
    fn lex_of(&self, word: &str) -> u8 {
        if let Some(&(exact, lower)) = self.lex_flags.get(word) {
            return exact | lower;
        }
        // Not a key: no exact bits. An ASCII word in title case, or one without upper case,
        // would be a key if its lower-case form were listed (see `merged_lexicon`).
        let bytes = word.as_bytes();
        let title_case = word.is_ascii()
            && bytes.first().is_some_and(u8::is_ascii_uppercase)
            && !bytes[1..].iter().any(u8::is_ascii_uppercase);
        if title_case {
            return 0;
        }
        crosscheck_text::with_lowercase(word, |l| {
            if l.as_ptr() == word.as_ptr() && l.len() == word.len() {
                0
            } else {
                self.lex_flags.get(l).map_or(0, |&(_, lower)| lower)
            }
        })
    }

    /// Whether the gazetteer knows `word` as a whole (a name or a demonym).
    fn gazetteer_covers(&self, word: &str) -> bool {
        self.gazetteer.covers(word)
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Is this lower-case word a title or role noun ("commander", "president")?
    pub fn is_title_word(&self, lower: &str) -> bool {
        self.single_word_titles.contains(lower)
    }

    /// Length in tokens of the longest title at the start of `words` (lower-case).
    pub fn title_prefix_len<W: AsRef<str>>(&self, words: &[W]) -> usize {
        let Some(first) = words.first() else { return 0 };
        let Some(candidates) = crosscheck_text::with_lowercase(first.as_ref(), |lower| self.titles_by_first.get(lower))
        else {
            return 0;
        };
        candidates
            .iter()
            .map(|&i| &self.titles[i])
            .find(|title| {
                title.len() <= words.len()
                    && title.iter().zip(words).all(|(t, w)| crosscheck_text::eq_lowercase(t, w.as_ref()))
            })
            .map_or(0, Vec::len)
    }

    /// [`title_prefix_len`](Self::title_prefix_len) of tokens: a token whose lexicon bits
    /// were read (any class but `Other`) says without a lookup whether a title can start
    /// there, and nearly none can.
    fn title_prefix_len_toks(&self, toks: &[Tok]) -> usize {
        match toks.first() {
            None => 0,
            Some(t) if t.class != Class::Other && t.lex & TITLE_FIRST == 0 => 0,
            Some(_) => self.title_prefix_len(toks),
        }
    }

    /// Length in tokens of "of Mining and Heavy Industry" at the start of `toks` (after a
    /// title), when a name still follows it; 0 otherwise.
    fn portfolio_len(&self, toks: &[Tok]) -> usize {
        if toks.first().is_none_or(|t| t.text != "of") {
            return 0;
        }
        let mut at = 1;
        let mut matched = 0;
        loop {
            let words = &toks[at.min(toks.len())..];
            let Some(p) = self
                .portfolios
                .iter()
                .find(|p| p.len() <= words.len() && p.iter().zip(words).all(|(a, w)| w.text.eq_ignore_ascii_case(a)))
            else {
                break;
            };
            at += p.len();
            matched = at;
            if toks.get(at).is_some_and(|t| t.text == "and" || t.text == "&") {
                at += 1;
            } else {
                break;
            }
        }
        // The portfolio belongs to the title only when a name follows it.
        if matched > 0 && matched < toks.len() {
            matched
        } else {
            0
        }
    }

    /// Length in tokens of the longest title at the end of `words`.
    fn title_suffix_len<W: AsRef<str>>(&self, words: &[W]) -> usize {
        let Some(last) = words.last() else { return 0 };
        let Some(candidates) = crosscheck_text::with_lowercase(last.as_ref(), |lower| self.titles_by_last.get(lower))
        else {
            return 0;
        };
        candidates
            .iter()
            .map(|&i| &self.titles[i])
            .find(|title| {
                title.len() <= words.len()
                    && title
                        .iter()
                        .zip(&words[words.len() - title.len()..])
                        .all(|(t, w)| crosscheck_text::eq_lowercase(t, w.as_ref()))
            })
            .map_or(0, Vec::len)
    }

    /// Every entity of `text`, sentences given as byte ranges.
    pub fn find(&self, text: &str, sentences: &[std::ops::Range<usize>], map: &CharMap) -> EntityResult {
        self.find_in(&DocText::with_sentences(text, sentences), map)
    }

    /// [`find`](Self::find) over a document segmented and tokenised once for all stages.
    pub fn find_in(&self, doc: &DocText, map: &CharMap) -> EntityResult {
        let (text, sentences, stream) = (doc.text, &doc.sentences, &doc.words);
        let words = &stream.words;
        let mut gaz = self.gazetteer.find_in(text, stream);
        // "The National Police", "United Nations Office for ...": a known organisation's name
        // continued by an organisation keyword is part of a longer, different name.
        gaz.retain(|m| {
            let is_org = self.gazetteer.entry(m.entry).kind == GazKind::Entity(EntityType::Organization);
            if !is_org {
                return true;
            }
            // The word right after one space (the text's own tokens: the space ends any word).
            let next = text[m.end..]
                .starts_with(' ')
                .then(|| words.get(words.partition_point(|w| w.start < m.end + 1)))
                .flatten()
                .filter(|w| w.start == m.end + 1);
            if next.is_some_and(|w| self.org_keywords.contains(w.text)) {
                return false;
            }
            // "Liberal Democratic Party": a multi-word known name after another capitalised
            // word that is not itself known is the tail of a longer name.
            let multiword = text[m.start..m.end].contains(' ');
            if !multiword {
                return true;
            }
            let prev = previous_word(text, words, m.start);
            let prev_plain_cap = prev.is_some_and(|w| {
                w.text.chars().next().is_some_and(char::is_uppercase)
                    && !crosscheck_text::with_lowercase(w.text, |l| self.stopwords.contains(l))
                    && !crosscheck_text::with_lowercase(w.text, |l| self.single_word_titles.contains(l))
                    && !w.text.ends_with("'s")
                    && !w.text.ends_with("’s")
                    && !self.gazetteer_covers(w.text)
            });
            !(is_org && multiword && prev_plain_cap)
        });
        let mut cands: Vec<Candidate> = Vec::new();
        self.gazetteer_candidates(text, &gaz, &mut cands);
        let standalone = standalone_capitalised(text, words);
        let ctx =
            DocContext { text, gaz: &gaz, standalone, words, runs: &stream.runs, gazetteer_keys: Default::default() };
        let mut toks = Vec::new();
        for sentence in sentences {
            self.sentence_candidates(&ctx, sentence.clone(), &mut cands, &mut toks);
        }
        self.acronym_candidates(text, &mut cands);
        self.lowercase_body_candidates(text, &gaz, &mut cands);
        let mut result = self.resolve(text, cands, map);
        result.demonyms = gaz
            .iter()
            .filter_map(|m| {
                let entry = self.gazetteer.entry(m.entry);
                (entry.kind == GazKind::Demonym).then(|| (m.start, m.end, entry.canonical.clone()))
            })
            .collect();
        result
    }

    /// "Mozambique's defence ministry": a government body written in lower case after its
    /// country's possessive (the capitalised form is handled with the other runs).
    fn lowercase_body_candidates(&self, text: &str, gaz: &[GazMatch], cands: &mut Vec<Candidate>) {
        for m in gaz {
            if !self.gazetteer.entry(m.entry).country {
                continue;
            }
            let rest = &text[m.end..];
            let Some(rest) = rest.strip_prefix("'s ").or_else(|| rest.strip_prefix("’s ")) else { continue };
            let body_start = text.len() - rest.len();
            // Up to three lower-case portfolio words, then the body noun.
            let mut end = None;
            for (i, w) in crosscheck_text::words(lexicon::head(rest, 60)).take(4).enumerate() {
                if !w.text.chars().all(|c| c.is_lowercase() || c == '-') {
                    break;
                }
                if i > 0 && GOVERNMENT_BODY_NOUNS.contains(&w.text) {
                    end = Some(body_start + w.end);
                    break;
                }
            }
            if let Some(end) = end {
                cands.push(Candidate {
                    start: m.start,
                    end,
                    kind: Some(EntityType::Organization),
                    gazetteer: None,
                    rule: "possessive-org",
                    alias_only: false,
                    link: None,
                    dropped: false,
                });
            }
        }
    }

    fn gazetteer_candidates(&self, text: &str, gaz: &[GazMatch], cands: &mut Vec<Candidate>) {
        for (i, m) in gaz.iter().enumerate() {
            let entry = self.gazetteer.entry(m.entry);
            let GazKind::Entity(kind) = entry.kind else { continue };
            // One-word persons are added by the run scanner, which knows whether they sit
            // inside a longer name ("Imam Khomeini Relief Foundation").
            if kind == EntityType::Person && !text[m.start..m.end].contains(' ') {
                continue;
            }
            cands.push(Candidate {
                start: m.start,
                end: m.end,
                kind: Some(kind),
                gazetteer: Some(m.entry),
                rule: "gazetteer",
                alias_only: false,
                link: None,
                dropped: false,
            });
            // "Lebanese Hezbollah", "IRGC Quds Force": the compound names the second one.
            if kind == EntityType::Organization && i > 0 {
                let prev = gaz[i - 1];
                let gap = &text[prev.end..m.start];
                let prev_kind = self.gazetteer.entry(prev.entry).kind;
                let joins = match prev_kind {
                    GazKind::Demonym => gap == " ",
                    GazKind::Entity(EntityType::Organization) => gap == " " || gap == "-",
                    _ => false,
                };
                if joins {
                    cands.push(Candidate {
                        start: prev.start,
                        end: m.end,
                        kind: Some(kind),
                        gazetteer: Some(m.entry),
                        rule: "compound-name",
                        alias_only: true,
                        link: None,
                        dropped: false,
                    });
                }
            }
        }
    }

    /// The tokens of the sentence `range` of `text`, whose words are `words`.
    /// The tokens of the sentence `range` of `text`, whose words are `words`, into `out`
    /// (cleared first; reused across sentences).
    fn tokens<'a>(
        &self,
        text: &'a str,
        range: std::ops::Range<usize>,
        words: &[crosscheck_text::Word<'a>],
        gaz: &[GazMatch],
        out: &mut Vec<Tok<'a>>,
    ) {
        out.clear();
        // Gazetteer matches are sorted and do not overlap, so their ends are sorted too: the
        // first one ending after a word's start only moves forward from word to word.
        let mut next_gaz = gaz.partition_point(|m| m.end <= range.start);
        for w in words {
            let (start, full_end) = (w.start, w.end);
            let (end, possessive) = if w.text.len() > 2 && (w.text.ends_with("'s") || w.text.ends_with("’s")) {
                let suffix = if w.text.ends_with("'s") { 2 } else { "’s".len() };
                (full_end - suffix, true)
            } else {
                (full_end, false)
            };
            let word = &text[start..end];
            let mut class = Class::Other;
            while gaz.get(next_gaz).is_some_and(|m| m.end <= start) {
                next_gaz += 1;
            }
            if let Some(m) = gaz.get(next_gaz).filter(|m| m.start < full_end) {
                {
                    let idx = next_gaz;
                    let entry = self.gazetteer.entry(m.entry);
                    class = match entry.kind {
                        GazKind::Demonym => Class::Demonym(idx),
                        GazKind::Entity(EntityType::Person) if !text[m.start..m.end].contains(' ') => {
                            Class::SoftPerson(idx)
                        }
                        GazKind::Entity(_) => Class::Gazetteer(idx),
                    };
                }
            }
            let lex = if class == Class::Other {
                let (word_class, lex) = self.word_class(word, out.is_empty());
                class = word_class;
                lex
            } else {
                self.lex_of(word)
            };
            out.push(Tok { start, end, full_end, text: word, possessive, class, lex });
        }
    }

    /// The class of a word outside the gazetteer's names, with its lexicon bits when the
    /// class is not `Other`.
    fn word_class(&self, word: &str, sentence_initial: bool) -> (Class, u8) {
        let capitalised = match word.as_bytes().first() {
            None => return (Class::Other, 0),
            Some(&b) if b < 0x80 => b.is_ascii_uppercase(),
            Some(_) => word.chars().next().is_some_and(char::is_uppercase),
        };
        if capitalised {
            let lex = self.lex_of(word);
            if lex & CALENDAR != 0 || is_glued_artefact(word, &self.stopwords) {
                return (Class::Other, 0);
            }
            if sentence_initial && lex & STOPWORD != 0 && lex & GIVEN_NAME == 0 {
                return (Class::Other, 0);
            }
            return (Class::Cap, lex);
        }
        if self.calendar_has_uncapitalised && self.calendar.contains(word) {
            return (Class::Other, 0);
        }
        if word.len() <= 4 {
            if let Some(i) = connector_index(word) {
                return (Class::Connector, self.connector_lex[i]);
            }
        }
        // Hyphen particles are at most three bytes: a word whose first hyphen comes later
        // cannot open with one.
        let early_hyphen = word.as_bytes().iter().take(4).any(|&b| b == b'-');
        if let Some((prefix, rest)) = early_hyphen.then(|| word.split_once('-')).flatten() {
            if is_hyphen_particle(prefix) && rest.chars().next().is_some_and(char::is_uppercase) {
                return (Class::Cap, self.lex_of(word));
            }
        }
        (Class::Other, 0)
    }

    fn sentence_candidates<'a>(
        &self,
        ctx: &DocContext<'a>,
        range: std::ops::Range<usize>,
        cands: &mut Vec<Candidate>,
        toks: &mut Vec<Tok<'a>>,
    ) {
        let (text, gaz) = (ctx.text, ctx.gaz);
        let first_word = ctx.words.partition_point(|w| w.start < range.start);
        let last_word = ctx.words.partition_point(|w| w.end <= range.end);
        let words = ctx.words.get(first_word..last_word.max(first_word)).unwrap_or_default();
        self.tokens(text, range, words, gaz, toks);
        let toks = &mut *toks;
        if let Some(first) = toks.first_mut() {
            if first.class == Class::Cap
                && first.lex & GIVEN_NAME == 0
                // Words the document also writes in lower case are common words when they
                // open a sentence ("Fighters of the ..." beside "the fighters").
                && crosscheck_text::with_lowercase(first.text, |l| ctx.writes_in_lower_case(l))
            {
                first.class = Class::Other;
            }
        }
        let in_run = |c: Class| matches!(c, Class::Cap | Class::Demonym(_) | Class::SoftPerson(_));
        let mut absorbed: Vec<usize> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if !in_run(toks[i].class) {
                i += 1;
                continue;
            }
            let mut j = i;
            loop {
                if j + 1 >= toks.len() {
                    break;
                }
                // "Attorney's Office": a possessive inside a body's name.
                if toks[j].possessive {
                    let k = j + 1;
                    let continues = toks[j].class == Class::Cap
                        && toks[k].class == Class::Cap
                        && toks[k].lex & ORG_KEYWORD != 0
                        && gap_is_space(&text[toks[j].full_end..toks[k].start]);
                    if continues {
                        j = k;
                        continue;
                    }
                    break;
                }
                let k = j + 1;
                if !gap_joins(text, &toks[j], &toks[k]) {
                    break;
                }
                if in_run(toks[k].class) {
                    j = k;
                    continue;
                }
                if toks[k].class == Class::Connector {
                    // up to two connectors ("of the") before the next capitalised word
                    let mut m = k;
                    while m < toks.len() && toks[m].class == Class::Connector && m - k < 2 {
                        if m + 1 >= toks.len() || !gap_joins(text, &toks[m], &toks[m + 1]) {
                            break;
                        }
                        m += 1;
                    }
                    if m < toks.len() && m > k && in_run(toks[m].class) && !toks[m - 1].possessive {
                        j = m;
                        continue;
                    }
                    // "University of Geneva", "National Police of Peru": a named body
                    // continued by "of" and a known place or organisation.
                    if m < toks.len() && m > k && toks[k].text == "of" && self.has_org_keyword(&toks[i..=j]) {
                        if let Class::Gazetteer(g) = toks[m].class {
                            if matches!(self.gazetteer.entry(gaz[g].entry).kind, GazKind::Entity(k) if k != EntityType::Person)
                            {
                                let mut last = m;
                                while last + 1 < toks.len() && toks[last + 1].class == Class::Gazetteer(g) {
                                    last += 1;
                                }
                                absorbed.push(g);
                                j = last;
                                continue;
                            }
                        }
                    }
                }
                break;
            }
            self.run(ctx, toks, i, j + 1, cands);
            i = j + 1;
        }
        // A place named inside an organisation's name ("University of Geneva") is not a
        // mention of the place; it stays an entity only if named elsewhere.
        for g in absorbed {
            let m = gaz[g];
            for c in cands.iter_mut().filter(|c| c.start == m.start && c.end == m.end && c.rule == "gazetteer") {
                c.dropped = true;
            }
        }
    }

    /// Types the run `toks[from..to]` and adds its candidates.
    fn run(&self, ctx: &DocContext, toks: &[Tok], from: usize, to: usize, cands: &mut Vec<Candidate>) {
        let (text, gaz) = (ctx.text, ctx.gaz);
        let mut lo = from;
        let mut hi = to;
        let mut titled = false;
        let mut demonym_start: Option<usize> = None;
        // Strip titles, function words and demonyms from the front, in any order.
        loop {
            if lo >= hi {
                return;
            }
            let t = self.title_prefix_len_toks(&toks[lo..hi]);
            // "Minister of Energy and Natural Resources X": the portfolio is part of the title.
            let portfolio = if t > 0 { self.portfolio_len(&toks[lo + t..hi]) } else { 0 };
            if portfolio > 0 && !self.has_org_keyword(&toks[lo + t + portfolio..hi]) {
                titled = true;
                lo += t + portfolio;
                demonym_start = None;
                continue;
            }
            if t > 0 && !self.has_org_keyword(&toks[lo..hi]) {
                titled = true;
                lo += t;
                demonym_start = None;
                continue;
            }
            if matches!(toks[lo].class, Class::Demonym(_)) {
                demonym_start.get_or_insert(lo);
                lo += 1;
                continue;
            }
            let strip = toks[lo].class == Class::Connector
                || toks[lo].lex & STOPWORD != 0
                // "Carmaker Sahyadri Motors" opening a sentence
                || (lo + 1 < hi
                    && toks[lo].lex & ORG_KEYWORD == 0
                    && opens_clause(text, toks[lo].start)
                    && crosscheck_text::with_lowercase(toks[lo].text, |lower| ORG_NOUNS.contains(&lower)));
            if strip {
                lo += 1;
                demonym_start = None;
                continue;
            }
            break;
        }
        // ... and titles, connectors and function words from the back ("IRGC Chief Commander").
        loop {
            if lo >= hi {
                return;
            }
            let t = self.title_suffix_len(&toks[lo..hi]);
            if t > 0 && t < hi - lo && !self.has_org_keyword(&toks[lo..hi]) {
                hi -= t;
                continue;
            }
            if t == hi - lo {
                return;
            }
            let last = &toks[hi - 1];
            let named_body = self.has_org_keyword(&toks[lo..hi]);
            if last.class == Class::Connector || (!named_body && last.lex & STOPWORD != 0) {
                hi -= 1;
                continue;
            }
            break;
        }
        let body = &toks[lo..hi];
        // "Dr. Amara Nwosu of the University of X": a person, then the body they belong to.
        if let Some(p) = body.iter().position(|t| t.text == "of") {
            let head = &body[..p];
            let head_titled = titled || (!head.is_empty() && self.title_prefix_len_toks(head) > 0);
            let names_person =
                !head.is_empty() && (head_titled || head[0].lex & GIVEN_NAME != 0) && !self.has_org_keyword(head);
            if p > 0 && names_person {
                self.run(ctx, toks, from, lo + p, cands);
                self.run(ctx, toks, lo + p + 1, to, cands);
                return;
            }
        }
        // "District Judge Raymond Oduya": a title inside the run starts a person's name.
        if !titled {
            for p in 1..body.len() {
                let t = self.title_prefix_len_toks(&body[p..]);
                if t > 0
                    && p + t < body.len()
                    && !self.has_org_keyword(&body[p..])
                    && body[p].text.chars().next().is_some_and(char::is_uppercase)
                {
                    self.run(ctx, toks, from, lo + p, cands);
                    self.run(ctx, toks, lo + p, to, cands);
                    return;
                }
            }
        }
        // "Redline Paving LLC and Saguaro Civil Works": "and" joins two names unless it sits
        // inside one ("Security and Anti-terrorism Committee").
        if let Some(p) = body.iter().position(|t| t.text == "and") {
            let before_ends_named = p > 0 && body[p - 1].lex & ORG_KEYWORD != 0;
            let neither_named = !self.has_org_keyword(&body[..p]) && !self.has_org_keyword(&body[p + 1..]);
            if before_ends_named || neither_named {
                self.run(ctx, toks, from, lo + p, cands);
                self.run(ctx, toks, lo + p + 1, to, cands);
                return;
            }
        }
        let has_org = self.has_org_keyword(body);
        let last_is_place = body.last().is_some_and(|t| t.lex & LOCATION_KEYWORD != 0);
        // Split around gazetteer persons and demonyms unless the run is a named body.
        if !has_org && !last_is_place {
            if let Some(p) = body.iter().position(|t| matches!(t.class, Class::SoftPerson(_) | Class::Demonym(_))) {
                let at = lo + p;
                let before_names_person = p > 0
                    && matches!(toks[at].class, Class::SoftPerson(_))
                    && (body[0].lex & GIVEN_NAME != 0 || is_particle(body[p - 1].text));
                if before_names_person {
                    self.push_run_candidate(ctx, toks, lo, at + 1, Some(EntityType::Person), "given-name", cands);
                    self.run(ctx, toks, at + 1, hi, cands);
                    return;
                }
                if p > 0 {
                    self.run(ctx, toks, lo, at, cands);
                }
                if let Class::SoftPerson(g) = toks[at].class {
                    let m = gaz[g];
                    // "patients from Kerry": a surname-only gazetteer person in a place phrase
                    let after_place_prep = at > 0
                        && p == 0
                        && !toks[at].possessive
                        && (PLACE_PREPOSITIONS.contains(&toks[at - 1].text) || toks[at - 1].text == "from")
                        && gap_is_space(&text[toks[at - 1].full_end..toks[at].start]);
                    cands.push(Candidate {
                        start: m.start,
                        end: m.end,
                        kind: Some(if after_place_prep { EntityType::Location } else { EntityType::Person }),
                        gazetteer: (!after_place_prep).then_some(m.entry),
                        rule: if after_place_prep { "place-preposition" } else { "gazetteer" },
                        alias_only: false,
                        link: None,
                        dropped: false,
                    });
                }
                self.run(ctx, toks, at + 1, hi, cands);
                return;
            }
        }
        let n = hi - lo;
        let before = if from > 0 { Some(&toks[from - 1]) } else { None };
        let before_joined = before.filter(|b| gap_joins(text, b, &toks[from]));
        let after_text = &text[toks[hi - 1].full_end..];
        let next_word = toks.get(hi).filter(|t| gap_is_space(&text[toks[hi - 1].full_end..t.start]));
        // "Ituri province", "Ayacucho region": a lower-case place noun continues the name.
        let place_noun_after = (hi == to)
            .then(|| toks.get(hi))
            .flatten()
            .filter(|t| gap_is_space(&text[toks[hi - 1].full_end..t.start]) && LOWER_PLACE_NOUNS.contains(&t.text));
        // The cues below are read in the order of the typing rules and only as far as a rule
        // needs them: most runs are typed (or not) after a few.
        let title_before = || titled || self.title_before(text, toks, lo);
        let place_of = || {
            from >= 2
                && toks[from - 1].text == "of"
                && crosscheck_text::with_lowercase(toks[from - 2].text, |l| PLACE_OF_NOUNS.contains(&l))
        };
        let dateline = || {
            let all_caps = body.iter().all(|t| t.text.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()));
            all_caps && {
                let line_start =
                    text[..toks[lo].start].trim_end_matches([' ', '\t']).ends_with('\n') || toks[lo].start == 0;
                line_start
                    && body.iter().all(|t| t.text.chars().count() >= 3)
                    && (after_text.starts_with(',')
                        || after_text.starts_with(" —")
                        || after_text.starts_with(" –")
                        || after_text.starts_with(" -"))
            }
        };
        let speech_report_next = || {
            next_word.map_or((false, false), |w| {
                crosscheck_text::with_lowercase(w.text, |v| (self.speech_verbs.contains(v), REPORT_VERBS.contains(&v)))
            })
        };
        let has_caps_token = || {
            body.iter()
                .any(|t| t.text.chars().count() >= 2 && t.text.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()))
        };
        // "its chairman, Batbold Erdene, said": a role noun, a comma, then the name.
        let role_comma_before = || {
            from >= 1 && {
                let lead = text[..toks[from].start].trim_end();
                lead.ends_with(',')
                    && crosscheck_text::words(lexicon::tail(&lead[..lead.len() - 1], 64)).last().is_some_and(|w| {
                        crosscheck_text::with_lowercase(w.text, |l| self.single_word_titles.contains(l))
                    })
            }
        };
        // "grid operator Red Eléctrica", "Cadena SER radio": a lower-case noun for a body.
        let org_noun_near = || {
            before_joined.is_some_and(|b| ORG_NOUNS.contains(&b.text))
                || next_word.is_some_and(|w| ORG_NOUNS.contains(&w.text))
        };
        let relative_who = || after_text.starts_with(", who ") || after_text.starts_with(", whose ");
        let before_is_place = || {
            matches!(before_joined.map(|b| b.class), Some(Class::Gazetteer(g))
                if self.gazetteer.entry(gaz[g].entry).kind == GazKind::Entity(EntityType::Location)
                    && !self.gazetteer.entry(gaz[g].entry).country)
        };
        let place_named = (place_noun_after.is_some() && !has_org)
            || (last_is_place && (n >= 2 || before_is_place()) && (!has_org || body[0].lex & LOCATION_KEYWORD != 0))
            || (n >= 2 && PLACE_HEADS.contains(&body[0].text) && !has_org);
        let (kind, rule) = if place_named {
            (Some(EntityType::Location), "location-keyword")
        } else if dateline() {
            (Some(EntityType::Location), "dateline")
        } else if !has_org && n <= 3 && place_of() {
            (Some(EntityType::Location), "place-of")
        } else if has_org {
            (Some(EntityType::Organization), "org-keyword")
        } else if n <= 4 && !titled && !(n == 1 && looks_adjectival(body[0].text)) && org_noun_near() {
            (Some(EntityType::Organization), "org-noun")
        } else if n <= 4 && title_before() {
            (Some(EntityType::Person), "title")
        } else if (1..=3).contains(&n)
            && (role_comma_before() || relative_who())
            && body.iter().all(|t| self.name_shaped(t))
        {
            (Some(EntityType::Person), "appositive-role")
        } else if n >= 2 && body[0].lex & GIVEN_NAME != 0 {
            (Some(EntityType::Person), "given-name")
        } else if (1..=3).contains(&n) && {
            let (speech_next, report_next) = speech_report_next();
            report_next || (speech_next && has_caps_token())
        } {
            // outlets and bodies "report"; a name with an acronym in it is not a person
            (Some(EntityType::Organization), "report-verb")
        } else if (2..=3).contains(&n)
            && (speech_report_next().0
                || before_joined.is_some_and(|b| matches!(b.text, "said" | "says" | "added" | "told")))
        {
            (Some(EntityType::Person), "speech-verb")
        } else if (2..=3).contains(&n) && self.appositive_role(after_text) {
            (Some(EntityType::Person), "appositive-role")
        } else if n >= 2 && self.acronym.is_match(after_text) {
            (Some(EntityType::Organization), "acronym-expansion")
        } else if n <= 2
            && !has_caps_token()
            && (before_joined.is_some_and(|b| PLACE_PREPOSITIONS.contains(&b.text))
                || (n == 1
                    && before_joined.is_some_and(|b| b.text == "to")
                    && !(from >= 2 && toks[from - 2].text.eq_ignore_ascii_case("according"))
                    && self.name_shaped(&body[0]))
                || (from >= 2
                    && toks[from - 1].text == "the"
                    && PLACE_PREPOSITIONS.contains(&toks[from - 2].text)
                    && body.iter().all(|t| self.name_shaped(t))))
            && !is_headline(toks)
        {
            (Some(EntityType::Location), "place-preposition")
        } else if (2..=3).contains(&n)
            && body.iter().all(|t| self.name_shaped(t))
            && ctx.standalone.contains(body[n - 1].text)
        {
            // a person's surname recurs on its own ("Oduya said")
            (Some(EntityType::Person), "name-shape")
        } else if (2..=3).contains(&n) && ctx.standalone.contains(body[0].text) && body[0].lex & GIVEN_NAME == 0 {
            // an organisation's first word recurs on its own ("Lumetra")
            (Some(EntityType::Organization), "short-form-org")
        } else {
            (None, "capitalised-sequence")
        };
        let start = toks[lo].start;
        let end = match (place_noun_after, kind) {
            (Some(t), Some(EntityType::Location)) => t.end,
            _ => toks[hi - 1].end,
        };
        // "Russia's Defense Ministry": a generic body named through its country.
        if kind == Some(EntityType::Organization) && lo == from && self.all_generic(body) {
            if let Some(b) = before_joined {
                if b.possessive && matches!(b.class, Class::Gazetteer(_)) {
                    let owner_start = match b.class {
                        Class::Gazetteer(g) => gaz[g].start,
                        _ => b.start,
                    };
                    let main = cands.len();
                    cands.push(Candidate {
                        start: owner_start,
                        end,
                        kind,
                        gazetteer: None,
                        rule: "possessive-org",
                        alias_only: false,
                        link: None,
                        dropped: false,
                    });
                    cands.push(Candidate {
                        start,
                        end,
                        kind,
                        gazetteer: None,
                        rule,
                        alias_only: true,
                        link: Some(main),
                        dropped: false,
                    });
                    return;
                }
            }
        }
        // "NCRI Security Committee": a known body's name continued by an organisation;
        // "Oslo Airport": a known place continued by a place noun.
        let before_is_country = matches!(before_joined.map(|b| b.class), Some(Class::Gazetteer(g)) if self.gazetteer.entry(gaz[g].entry).country);
        let continues_known = kind == Some(EntityType::Organization)
            || (kind == Some(EntityType::Location) && rule == "location-keyword" && n == 1 && !before_is_country);
        if continues_known && lo == from {
            if let Some(b) = before_joined {
                if let Class::Gazetteer(g) = b.class {
                    if !b.possessive && gaz[g].end >= b.full_end && text[gaz[g].end..start].trim().is_empty() {
                        cands.push(Candidate {
                            start: gaz[g].start,
                            end,
                            kind,
                            gazetteer: None,
                            rule: "org-keyword",
                            alias_only: false,
                            link: None,
                            dropped: false,
                        });
                        return;
                    }
                }
            }
        }
        if let (Some(d), Some(EntityType::Organization)) = (demonym_start, kind) {
            if self.all_generic(body) {
                self.push_span(ctx, toks[d].start, end, kind, rule, false, None, cands);
            } else {
                let main = self.push_span(ctx, start, end, kind, rule, false, None, cands);
                self.push_span(ctx, toks[d].start, end, kind, "demonym-prefix", true, Some(main), cands);
            }
            return;
        }
        let main = self.push_span(ctx, start, end, kind, rule, false, None, cands);
        if end != toks[hi - 1].end {
            // "Nagatacho district" is also "Nagatacho"
            self.push_span(ctx, start, toks[hi - 1].end, kind, rule, true, Some(main), cands);
        }
    }

    /// "Amara", "O'Leary", "Jean-Baptiste": capitalised, then lower case, not a known word.
    fn name_shaped(&self, t: &Tok) -> bool {
        let mut chars = t.text.chars();
        let first_upper = chars.next().is_some_and(char::is_uppercase);
        let rest_lower = t.text.chars().skip(1).filter(|c| c.is_alphabetic()).any(char::is_lowercase);
        first_upper
            && rest_lower
            && t.class == Class::Cap
            && t.text.chars().count() >= 2
            && t.lex & (STOPWORD | ORG_KEYWORD | LOCATION_KEYWORD | GENERIC_ORG | TITLE_WORD) == 0
    }

    #[allow(clippy::too_many_arguments)]
    fn push_run_candidate(
        &self,
        ctx: &DocContext,
        toks: &[Tok],
        lo: usize,
        hi: usize,
        kind: Option<EntityType>,
        rule: &'static str,
        cands: &mut Vec<Candidate>,
    ) -> usize {
        self.push_span(ctx, toks[lo].start, toks[hi - 1].end, kind, rule, false, None, cands)
    }

    #[allow(clippy::too_many_arguments)]
    fn push_span(
        &self,
        ctx: &DocContext,
        start: usize,
        end: usize,
        kind: Option<EntityType>,
        rule: &'static str,
        alias_only: bool,
        link: Option<usize>,
        cands: &mut Vec<Candidate>,
    ) -> usize {
        let mut kind = kind;
        let mut rule = rule;
        let mut gazetteer = None;
        // An over-long "name" is a capitalised headline, not a name.
        let too_long = end - start > MAX_MENTION_BYTES;
        if too_long {
            kind = None;
        } else if let Some(entry) = ctx.gazetteer_key(&self.gazetteer, &ctx.text[start..end]) {
            if let GazKind::Entity(k) = self.gazetteer.entry(entry).kind {
                if kind.is_none() || kind == Some(k) {
                    kind = Some(k);
                    gazetteer = Some(entry);
                    if rule == "capitalised-sequence" {
                        rule = "gazetteer-key";
                    }
                }
            }
        }
        cands.push(Candidate { start, end, kind, gazetteer, rule, alias_only, link, dropped: too_long });
        cands.len() - 1
    }

    fn has_org_keyword(&self, toks: &[Tok]) -> bool {
        toks.iter().any(|t| t.lex & ORG_KEYWORD != 0)
    }

    fn all_generic(&self, toks: &[Tok]) -> bool {
        toks.iter().all(|t| t.lex & GENERIC_ORG != 0 || t.class == Class::Connector)
    }

    /// A title or role noun written right before the run ("parliamentarian Ahmad Naderi").
    fn title_before(&self, text: &str, toks: &[Tok], lo: usize) -> bool {
        for k in (1..=3).rev() {
            if lo < k {
                continue;
            }
            let window = &toks[lo - k..lo];
            let joined =
                window.windows(2).all(|w| gap_joins(text, &w[0], &w[1])) && gap_joins(text, &toks[lo - 1], &toks[lo]);
            if !joined || window.iter().any(|t| t.possessive) {
                continue;
            }
            if self.title_prefix_len_toks(window) == k {
                return true;
            }
        }
        false
    }

    /// ", a member of ...", ", Khamenei's representative ...", ", the current commander".
    fn appositive_role(&self, after: &str) -> bool {
        let Some(rest) = after.strip_prefix(", ") else { return false };
        crosscheck_text::words(rest).take(5).any(|w| {
            crosscheck_text::with_lowercase(trim_possessives(w.text), |lower| {
                self.single_word_titles.contains(lower) || lower == "member"
            })
        })
    }

    /// "(ACRONYM)" after a name: the acronym is an alias of the name whose capitalised
    /// initials spell it ("Cabin Crew Norway (CCN)"), else of the name ending right there
    /// ("National Police of Peru (PNP)").
    fn acronym_candidates(&self, text: &str, cands: &mut Vec<Candidate>) {
        let mut added = Vec::new();
        let mut pos = 0;
        while let Some(off) = text[pos..].find('(') {
            let open = pos + off;
            pos = open + 1;
            let Some(caps) = self.acronym.captures(&text[open..]) else { continue };
            let Some(acr) = caps.get(1) else { continue };
            let letters: Vec<char> = acr.as_str().chars().filter(char::is_ascii_uppercase).collect();
            if letters.len() < 2 {
                continue;
            }
            let (astart, aend) = (open + acr.start(), open + acr.end());
            let name_end = text[..open].trim_end().len();
            let spelled = initials_span(text, name_end, &letters);
            // the expansion may already be a candidate, possibly a demonym-prefixed alias
            let existing = |start: usize| {
                let same = |c: &&Candidate| c.start == start && c.end == name_end && c.kind.is_some();
                cands.iter().position(|c| same(&c) && !c.alias_only).or_else(|| cands.iter().position(|c| same(&c)))
            };
            let target = match spelled {
                Some(start) => match existing(start) {
                    Some(i) => Some(i),
                    None => {
                        let kind = cands
                            .iter()
                            .find(|c| c.end == name_end && c.start >= start && c.kind.is_some())
                            .and_then(|c| c.kind)
                            .filter(|k| *k != EntityType::Location)
                            .unwrap_or(EntityType::Organization);
                        added.push(Candidate {
                            start,
                            end: name_end,
                            kind: Some(kind),
                            gazetteer: None,
                            rule: "acronym-expansion",
                            alias_only: false,
                            link: None,
                            dropped: false,
                        });
                        None
                    }
                },
                None => cands
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| {
                        c.end == name_end && !c.alias_only && c.kind.is_some_and(|k| k != EntityType::Person)
                    })
                    .min_by_key(|(_, c)| c.start)
                    .filter(|(_, c)| c.kind != Some(EntityType::Location) || c.gazetteer.is_none())
                    .map(|(i, _)| i),
            };
            let link = match target {
                Some(i) => i,
                None if spelled.is_some() => cands.len() + added.len() - 1,
                None => continue,
            };
            let kind = if link < cands.len() { cands[link].kind } else { added.last().and_then(|c| c.kind) };
            added.push(Candidate {
                start: astart,
                end: aend,
                kind,
                gazetteer: None,
                rule: "acronym",
                alias_only: true,
                link: Some(link),
                dropped: false,
            });
        }
        // A name rebuilt from an acronym's initials replaces the pieces found inside it.
        for a in added.iter().filter(|a| a.rule == "acronym-expansion") {
            for c in cands.iter_mut() {
                let inside = c.start >= a.start && c.end <= a.end && (c.start, c.end) != (a.start, a.end);
                let place = c.kind == Some(EntityType::Location);
                if inside && (c.gazetteer.is_none() || place) {
                    c.dropped = true;
                }
            }
        }
        cands.extend(added);
    }

    fn resolve(&self, text: &str, mut cands: Vec<Candidate>, map: &CharMap) -> EntityResult {
        // Stable order by position; links are rewritten through the permutation.
        let mut order: Vec<usize> = (0..cands.len()).collect();
        order.sort_by_key(|&i| (cands[i].start, std::cmp::Reverse(cands[i].end), i));
        let mut position = vec![0; cands.len()];
        for (new, &old) in order.iter().enumerate() {
            position[old] = new;
        }
        let mut sorted: Vec<Candidate> = order.iter().map(|&i| cands[i].clone()).collect();
        for c in &mut sorted {
            c.link = c.link.map(|l| position[l]);
        }
        cands = sorted;
        // Drop exact duplicates (same span), keeping the typed one. Sorted by span, the
        // candidates of one span are neighbours: `first` is the one kept so far.
        let mut keep: Vec<bool> = cands.iter().map(|c| !c.dropped).collect();
        let mut first = 0;
        for i in 0..cands.len() {
            let j = first;
            if i == 0 || (cands[j].start, cands[j].end) != (cands[i].start, cands[i].end) {
                first = i;
                continue;
            }
            if cands[j].kind.is_none() && cands[i].kind.is_some() {
                keep[j] = false;
                first = i;
            } else {
                keep[i] = false;
                if cands[i].link.is_some() && cands[j].link.is_none() {
                    cands[j].link = cands[i].link;
                }
            }
        }
        // "Hamedani" looks like "Hamadan", but if a person here is called "Hossein Hamedani"
        // the word is that person's surname.
        // (Only asked when some candidate was typed by a gazetteer key.)
        if cands.iter().any(|c| c.rule == "gazetteer-key") {
            let person_surnames: FastSet<&str> = cands
                .iter()
                .filter(|c| c.kind == Some(EntityType::Person) && !c.dropped)
                .filter_map(|c| {
                    text[c.start..c.end].contains(' ').then(|| text[c.start..c.end].rsplit(' ').next()).flatten()
                })
                .collect();
            for c in cands.iter_mut() {
                if c.rule == "gazetteer-key" && person_surnames.contains(&text[c.start..c.end]) {
                    c.kind = None;
                    c.gazetteer = None;
                    c.rule = "capitalised-sequence";
                }
            }
        }
        let mut uf = Clusters::new(&cands);
        for (i, c) in cands.iter().enumerate() {
            if let Some(l) = c.link {
                uf.union(i, l);
            }
        }
        let surface = |c: &Candidate| &text[c.start..c.end];
        // The comparison keys are functions of the surface, which repeats: each distinct
        // surface is keyed once ([`SurfaceKeys`]).
        let keys = SurfaceKeys::new(text, &cands, &keep);
        // Same gazetteer entry, then the same normalised key.
        let mut by_entry: FastMap<usize, usize> = FastMap::default();
        let mut by_key: Vec<Option<usize>> = vec![None; keys.normal_count];
        for i in 0..cands.len() {
            if !keep[i] {
                continue;
            }
            if let Some(e) = cands[i].gazetteer {
                match by_entry.get(&e) {
                    Some(&j) => {
                        uf.union(i, j);
                    }
                    None => {
                        by_entry.insert(e, i);
                    }
                }
            }
        }
        for pass in 0..2 {
            for (i, &key) in keys.normal.iter().enumerate() {
                if !keep[i] {
                    continue;
                }
                let typed = uf.kind(i).is_some();
                if (pass == 0) != typed {
                    continue;
                }
                let key = key as usize;
                match by_key[key] {
                    Some(j) => {
                        uf.union(i, j);
                    }
                    None if typed => {
                        by_key[key] = Some(i);
                    }
                    None => {}
                }
            }
        }
        // Surnames and transliteration variants join persons and typed names.
        let persons: Vec<usize> = (0..cands.len())
            .filter(|&i| keep[i] && uf.kind(i) == Some(EntityType::Person) && surface(&cands[i]).contains(' '))
            .collect();
        // surname (and its key) → persons ending in it, in order of first mention
        let mut by_surname: FastMap<&str, Vec<usize>> = FastMap::default();
        let mut by_surname_key: FastMap<String, Vec<usize>> = FastMap::default();
        for &p in &persons {
            let last = surface(&cands[p]).rsplit([' ', '-']).next().unwrap_or_default();
            by_surname.entry(last).or_default().push(p);
            with_orthographic_key(last, |key| {
                if key.len() >= MIN_KEY_LEN {
                    match by_surname_key.get_mut(key) {
                        Some(list) => list.push(p),
                        None => {
                            by_surname_key.insert(key.to_string(), vec![p]);
                        }
                    }
                }
            });
        }
        // (No person with a surname: nothing below can join one.)
        for i in (0..cands.len()).filter(|_| !persons.is_empty()) {
            if !keep[i] || surface(&cands[i]).contains(' ') {
                continue;
            }
            let kind = uf.kind(i);
            if kind.is_some() && kind != Some(EntityType::Person) {
                continue;
            }
            let word = surface(&cands[i]);
            let exact = by_surname.get(word).into_iter().flatten();
            let similar = with_orthographic_key(word, |key| by_surname_key.get(key)).into_iter().flatten();
            for &p in exact.chain(similar) {
                if uf.union(i, p) {
                    break;
                }
            }
        }
        // An organisation's first word on its own ("Lumetra" for "Lumetra Semiconductors").
        let orgs: Vec<usize> = (0..cands.len())
            .filter(|&i| keep[i] && uf.kind(i) == Some(EntityType::Organization) && surface(&cands[i]).contains(' '))
            .collect();
        let mut by_first_word: FastMap<&str, Vec<usize>> = FastMap::default();
        for &o in &orgs {
            by_first_word.entry(surface(&cands[o]).split(' ').next().unwrap_or_default()).or_default().push(o);
        }
        for i in (0..cands.len()).filter(|_| !orgs.is_empty()) {
            if !keep[i] || surface(&cands[i]).contains(' ') || uf.kind(i).is_some() {
                continue;
            }
            for &o in by_first_word.get(surface(&cands[i])).into_iter().flatten() {
                if uf.union(i, o) {
                    break;
                }
            }
        }
        let mut by_ortho: FastMap<(u32, EntityType), usize> = FastMap::default();
        for i in 0..cands.len() {
            if !keep[i] {
                continue;
            }
            let Some(kind) = uf.kind(i) else { continue };
            let Some(key) = keys.orthographic(&cands[i]) else { continue };
            match by_ortho.entry((key, kind)) {
                std::collections::hash_map::Entry::Occupied(j) => {
                    uf.union(i, *j.get());
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(i);
                }
            }
        }
        // Build entities in order of first mention.
        // (Roots are candidate indices: a vector maps them to entities.)
        let mut entity_of_root: Vec<usize> = vec![usize::MAX; cands.len()];
        let mut entities: Vec<Entity> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        for i in 0..cands.len() {
            if !keep[i] {
                continue;
            }
            let root = uf.find(i);
            let Some(kind) = uf.kind(root) else { continue };
            if entity_of_root[root] == usize::MAX {
                entity_of_root[root] = entities.len();
                entities.push(Entity {
                    name: String::new(),
                    kind,
                    aliases: Vec::new(),
                    mentions: Vec::new(),
                    rule: cands[i].rule.to_string(),
                });
                members.push(Vec::new());
            }
            members[entity_of_root[root]].push(i);
        }
        let mut mentions = Vec::new();
        let mut country = Vec::with_capacity(entities.len());
        for (idx, entity) in entities.iter_mut().enumerate() {
            let group = &members[idx];
            let root = uf.find(group[0]);
            country.push(uf.gazetteer(root).is_some_and(|e| self.gazetteer.entry(e).country));
            let name = match uf.gazetteer(root) {
                Some(e) => self.gazetteer.entry(e).canonical.clone(),
                None => {
                    let best = group
                        .iter()
                        .filter(|&&i| !cands[i].alias_only)
                        .max_by_key(|&&i| (surface(&cands[i]).chars().count(), std::cmp::Reverse(i)))
                        .or_else(|| group.first())
                        .copied()
                        .unwrap_or(group[0]);
                    surface(&cands[best]).to_string()
                }
            };
            entity.mentions.reserve_exact(group.len());
            for &i in group {
                let s = surface(&cands[i]);
                if s != name && !entity.aliases.iter().any(|a| a == s) {
                    entity.aliases.push(s.to_string());
                }
                let span = map.span(cands[i].start, cands[i].end);
                entity.mentions.push(Mention { start: span.start, end: span.end, text: s.to_string() });
                mentions.push(MentionRef { start: cands[i].start, end: cands[i].end, entity: idx });
            }
            entity.name = name;
        }
        mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        EntityResult { entities, mentions, country, demonyms: Vec::new() }
    }
}

/// The comparison keys of the kept candidates' surfaces, each distinct surface keyed once:
/// the [`normalize_key`](crosscheck_text::normalize_key) as a dense id, and the [`orthographic_key`](crate::orthography::orthographic_key) (when long enough to
/// merge on) as an id of its own.
struct SurfaceKeys<'a> {
    text: &'a str,
    /// Per candidate: the id of its normalised key (0 for candidates not kept).
    normal: Vec<u32>,
    normal_count: usize,
    /// Orthographic key id by surface, computed on first use.
    orthographic: std::cell::RefCell<OrthographicIds<'a>>,
}

/// Surface → orthographic key id (`None`: too short), and key → id.
type OrthographicIds<'a> = (FastMap<&'a str, Option<u32>>, FastMap<String, u32>);

impl<'a> SurfaceKeys<'a> {
    fn new(text: &'a str, cands: &[Candidate], keep: &[bool]) -> Self {
        // Sized once for every candidate: growing a map rehashes it.
        let mut by_surface: FastMap<&str, u32> = FastMap::with_capacity_and_hasher(cands.len(), Default::default());
        let mut by_key: FastMap<String, u32> = FastMap::with_capacity_and_hasher(cands.len(), Default::default());
        let mut normal = vec![0; cands.len()];
        for (i, c) in cands.iter().enumerate() {
            if !keep[i] {
                continue;
            }
            let surface = &text[c.start..c.end];
            normal[i] = *by_surface
                .entry(surface)
                .or_insert_with(|| with_normalized_key(surface, |key| key_id(&mut by_key, key)));
        }
        let orthographic = std::cell::RefCell::new((
            FastMap::with_capacity_and_hasher(cands.len(), Default::default()),
            FastMap::with_capacity_and_hasher(cands.len(), Default::default()),
        ));
        SurfaceKeys { text, normal, normal_count: by_key.len(), orthographic }
    }

    /// The id of the orthographic key of `c`'s surface, if it is long enough to merge on.
    fn orthographic(&self, c: &Candidate) -> Option<u32> {
        let surface = &self.text[c.start..c.end];
        let mut memo = self.orthographic.borrow_mut();
        let (by_surface, by_key) = &mut *memo;
        *by_surface.entry(surface).or_insert_with(|| {
            with_orthographic_key(surface, |key| (key.len() >= MIN_KEY_LEN).then(|| key_id(by_key, key)))
        })
    }
}

/// The number of `key` in `by_key`, numbering it next if it is new (keys are allocated only
/// once per distinct key, never per lookup).
fn key_id(by_key: &mut FastMap<String, u32>, key: &str) -> u32 {
    match by_key.get(key) {
        Some(&id) => id,
        None => {
            let next = u32::try_from(by_key.len()).unwrap_or(u32::MAX);
            by_key.insert(key.to_string(), next);
            next
        }
    }
}

/// Union-find over candidates that refuses to merge different types or gazetteer entries.
struct Clusters {
    parent: Vec<usize>,
    kind: Vec<Option<EntityType>>,
    gazetteer: Vec<Option<usize>>,
}

impl Clusters {
    fn new(cands: &[Candidate]) -> Self {
        Clusters {
            parent: (0..cands.len()).collect(),
            kind: cands.iter().map(|c| c.kind).collect(),
            gazetteer: cands.iter().map(|c| c.gazetteer).collect(),
        }
    }
    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }
    fn kind(&mut self, i: usize) -> Option<EntityType> {
        let r = self.find(i);
        self.kind[r]
    }
    fn gazetteer(&mut self, i: usize) -> Option<usize> {
        let r = self.find(i);
        self.gazetteer[r]
    }
    /// Merges the clusters of `a` and `b` when compatible; true if they are now one.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return true;
        }
        let kind = match (self.kind[ra], self.kind[rb]) {
            (Some(x), Some(y)) if x != y => return false,
            (x, y) => x.or(y),
        };
        let gazetteer = match (self.gazetteer[ra], self.gazetteer[rb]) {
            (Some(x), Some(y)) if x != y => return false,
            (x, y) => x.or(y),
        };
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[child] = root;
        self.kind[root] = kind;
        self.gazetteer[root] = gazetteer;
        true
    }
}

fn is_particle(word: &str) -> bool {
    crosscheck_text::with_lowercase(word, is_connector) && !matches!(word, "of" | "the" | "and" | "for")
}

/// A headline in title case ("Inability to Save Khamenei in Iran"): most words capitalised,
/// so capitalisation says nothing about names.
fn is_headline(toks: &[Tok]) -> bool {
    let words = toks.iter().filter(|t| t.text.chars().next().is_some_and(char::is_alphabetic)).count();
    let caps = toks.iter().filter(|t| t.text.chars().next().is_some_and(char::is_uppercase)).count();
    words >= 4 && caps * 10 >= words * 6
}

/// Whether a word at `pos` opens a sentence, line or dateline clause ("MUMBAI — Carmaker ...").
fn opens_clause(text: &str, pos: usize) -> bool {
    let before = text[..pos].trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?', '—', '–', ':', '\n', '“', '"'])
}

/// "Scandinavian", "Japanese", "Swedish": nationality-like adjectives.
fn looks_adjectival(word: &str) -> bool {
    ["an", "ese", "ish", "ic", "i"].iter().any(|suffix| word.ends_with(suffix))
}

/// Start of the run of words ending at `end` whose capitalised initials spell `letters`
/// (connectors such as "of", "the", "du" skipped).
fn initials_span(text: &str, end: usize, letters: &[char]) -> Option<usize> {
    let window = lexicon::tail(&text[..end], 400);
    let offset = end - window.len();
    let words: Vec<crosscheck_text::Word> = crosscheck_text::words(window)
        .map(|w| crosscheck_text::Word { start: w.start + offset, end: w.end + offset, text: w.text })
        .collect();
    let mut want = letters.len();
    let mut i = words.len();
    let limit = words.len().saturating_sub(letters.len() * 2 + 3);
    while i > limit {
        i -= 1;
        let w = &words[i];
        let first = w.text.chars().next()?;
        if is_connector(w.text) {
            continue;
        }
        // hyphenated names give one letter per part only if the acronym wants them
        if !first.is_uppercase() || want == 0 || !first.eq_ignore_ascii_case(&letters[want - 1]) {
            return None;
        }
        want -= 1;
        if want == 0 {
            return Some(w.start);
        }
    }
    None
}

/// "HomeIran", "TerrorismIRGC": words glued by a lost line break in scraped pages.
fn is_glued_artefact(word: &str, stopwords: &FastSet<String>) -> bool {
    let mut previous: Option<char> = None;
    for (chars_before, (at, c)) in word.char_indices().enumerate() {
        if previous.is_some_and(char::is_lowercase) && c.is_uppercase() {
            let prefix = &word[..at];
            if prefix.contains(['-', '\'', '’']) {
                previous = Some(c);
                continue;
            }
            if chars_before >= 4 || crosscheck_text::with_lowercase(prefix, |l| stopwords.contains(l)) {
                return true;
            }
        }
        previous = Some(c);
    }
    false
}

/// The word ending right before the space before byte `pos`, as the last word of the text's
/// last 64 bytes before that space (a longer word is seen cut, as the look-behind always did).
fn previous_word<'a>(
    text: &'a str,
    words: &[crosscheck_text::Word<'a>],
    pos: usize,
) -> Option<crosscheck_text::Word<'a>> {
    let before = text[..pos].strip_suffix(' ')?;
    let i = words.partition_point(|w| w.end < before.len());
    let w = *words.get(i).filter(|w| w.end == before.len())?;
    if before.len() - w.start < 60 {
        // Within the look-behind window, the text's own token is the one the window gives.
        return Some(w);
    }
    let b = lexicon::tail(before, 64);
    crosscheck_text::words(b).last().filter(|w| w.end == b.len())
}

fn gap_is_space(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\t' || c == '\u{a0}')
}

/// Whether two neighbouring words may belong to one name: only spaces between them, or a
/// period after an initial or a rank abbreviation ("Brig. Gen.").
fn gap_joins(text: &str, a: &Tok, b: &Tok) -> bool {
    if a.possessive {
        return gap_is_space(&text[a.full_end..b.start]);
    }
    let gap = &text[a.full_end..b.start];
    if gap_is_space(gap) {
        return true;
    }
    if let Some(rest) = gap.strip_prefix('.') {
        let is_initial = a.text.chars().count() == 1 && a.text.chars().all(char::is_uppercase);
        // "J.B. Lokwa": initials written without a space
        if rest.is_empty() && is_initial && b.text.chars().next().is_some_and(char::is_uppercase) {
            return true;
        }
        return gap_is_space(rest)
            && (is_initial || crosscheck_text::with_lowercase(a.text, |l| DOTTED_ABBREVIATIONS.contains(&l)));
    }
    // "Dumont & Partners"
    gap == " & " && b.text.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_bits_equal_the_word_lists() {
        let r = EntityRecognizer::new(FastSet::default()).expect("bundled lists");
        let mut words: Vec<String> =
            ["The", "THE", "the", "Minister", "MINISTER", "Ministry", "Smith", "Élan", "été", "x"]
                .iter()
                .map(|w| w.to_string())
                .collect();
        let title_firsts: FastSet<String> = r.titles_by_first.keys().cloned().collect();
        for set in [&r.stopwords, &r.single_word_titles, &r.org_keywords, &r.given_names, &r.calendar, &title_firsts] {
            for w in set.iter().take(40) {
                words.push(w.clone());
                words.push(w.to_uppercase());
                let mut title = w.clone();
                if let Some(first) = title.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                words.push(title);
            }
        }
        for w in &words {
            let lower = w.to_lowercase();
            let expected = bit(r.org_keywords.contains(w), ORG_KEYWORD)
                | bit(r.location_keywords.contains(w), LOCATION_KEYWORD)
                | bit(r.generic_org_words.contains(w), GENERIC_ORG)
                | bit(r.given_names.contains(w), GIVEN_NAME)
                | bit(r.calendar.contains(w), CALENDAR)
                | bit(r.stopwords.contains(&lower), STOPWORD)
                | bit(r.single_word_titles.contains(&lower), TITLE_WORD)
                | bit(r.titles_by_first.contains_key(&lower), TITLE_FIRST);
            assert_eq!(r.lex_of(w), expected, "{w}");
        }
    }

    #[test]
    fn connector_index_matches_the_list() {
        for (i, c) in CONNECTORS.iter().enumerate() {
            assert_eq!(connector_index(c), Some(i));
        }
        for w in ["Of", "ofx", "", "th", "bint-", "a"] {
            assert_eq!(connector_index(w), None, "{w}");
        }
    }
    use crosscheck_text::sentences;

    fn recognizer() -> EntityRecognizer {
        let verbs = ["said", "told", "added", "says"].iter().map(|s| s.to_string()).collect();
        EntityRecognizer::new(verbs).expect("lexicons load")
    }

    fn run(text: &str) -> EntityResult {
        let r = recognizer();
        r.find(text, &sentences(text), &CharMap::new(text))
    }

    fn find<'a>(res: &'a EntityResult, name: &str) -> &'a Entity {
        res.entities.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("no {name} in {:#?}", res.entities))
    }

    fn check_spans(text: &str, res: &EntityResult) {
        for e in &res.entities {
            for m in &e.mentions {
                let got = crosscheck_text::slice_chars(text, crosscheck_model::Span::new(m.start, m.end));
                assert_eq!(got, m.text);
            }
        }
    }

    #[test]
    fn portfolio_after_minister_of_belongs_to_the_title() {
        let text = "Minister of Energy and Natural Resources Oksana Petrenko said prices would rise.";
        let res = run(text);
        let e = find(&res, "Oksana Petrenko");
        assert_eq!(e.kind, EntityType::Person);
        assert!(res.entities.iter().all(|x| x.name != "Energy" && !x.name.contains("Natural")), "{:?}", res.entities);
    }

    #[test]
    fn lower_case_government_body_after_a_country_possessive() {
        let text = "Troops entered the town, Kenya's interior ministry said on Friday.";
        let res = run(text);
        let e = find(&res, "Kenya's interior ministry");
        assert_eq!(e.kind, EntityType::Organization);
        let m = res.mentions.iter().find(|m| res.entities[m.entity].name == e.name).expect("mention");
        assert_eq!(&text[m.start..m.end], "Kenya's interior ministry");
    }

    #[test]
    fn titles_are_stripped_and_surnames_join_the_full_name() {
        let text = "Brig. Gen. Hamid Karimi, the commander, spoke. Later Karimi’s aides left.";
        let res = run(text);
        let e = find(&res, "Hamid Karimi");
        assert_eq!(e.kind, EntityType::Person);
        assert_eq!(e.aliases, vec!["Karimi".to_string()]);
        assert_eq!(e.mentions.len(), 2);
        check_spans(text, &res);
    }

    #[test]
    fn gazetteer_canonical_names_and_variant_spellings() {
        let text = "Bashir Al Assad met Putin in Damascus. Assad later left for Moscow.";
        let res = run(text);
        let assad = find(&res, "Bashar al-Assad");
        assert!(assad.aliases.contains(&"Bashir Al Assad".to_string()), "{:?}", assad.aliases);
        assert!(assad.aliases.contains(&"Assad".to_string()));
        assert_eq!(find(&res, "Vladimir Putin").kind, EntityType::Person);
        assert_eq!(find(&res, "Damascus").kind, EntityType::Location);
        check_spans(text, &res);
    }

    #[test]
    fn acronym_in_parentheses_joins_its_expansion() {
        let text = "The Sahel Defence Brigade (SDB) attacked. Later the SDB withdrew.";
        let res = run(text);
        let e = find(&res, "Sahel Defence Brigade");
        assert_eq!(e.kind, EntityType::Organization);
        assert_eq!(e.aliases, vec!["SDB".to_string()]);
        assert_eq!(e.mentions.len(), 3);
        check_spans(text, &res);
    }

    #[test]
    fn demonym_prefix_and_possessive_forms_become_aliases() {
        let text = "Lebanese Hezbollah fighters and Russia’s Defense Ministry agreed, Iranian media said.";
        let res = run(text);
        let h = find(&res, "Hezbollah");
        assert_eq!(h.aliases, vec!["Lebanese Hezbollah".to_string()]);
        let m = find(&res, "Russia’s Defense Ministry");
        assert_eq!(m.aliases, vec!["Defense Ministry".to_string()]);
        assert!(res.entities.iter().all(|e| e.name != "Iranian" && e.name != "Iran"));
        check_spans(text, &res);
    }

    #[test]
    fn sentence_initial_words_months_and_demonyms_are_not_entities() {
        let text = "However, Syrian troops moved on Monday. In March the Afghan unit left.";
        let res = run(text);
        let names: Vec<&str> = res.entities.iter().map(|e| e.name.as_str()).collect();
        assert!(names.is_empty(), "{names:?}");
    }

    #[test]
    fn keywords_and_prepositions_type_unknown_names() {
        let text = "The fighters of the Saraya Brigade reached Umayyad Square in Qardaha, said Omar Haddad.";
        let res = run(text);
        assert_eq!(find(&res, "Saraya Brigade").kind, EntityType::Organization);
        assert_eq!(find(&res, "Umayyad Square").kind, EntityType::Location);
        assert_eq!(find(&res, "Qardaha").kind, EntityType::Location);
        assert_eq!(find(&res, "Omar Haddad").kind, EntityType::Person);
        check_spans(text, &res);
    }

    #[test]
    fn sentence_initial_common_words_seen_in_lower_case_are_dropped() {
        let text = "Fighters of the Saraya Brigade left. The fighters were tired.";
        let res = run(text);
        assert_eq!(find(&res, "Saraya Brigade").mentions[0].text, "Saraya Brigade");
        assert_eq!(res.entities.len(), 1, "{:?}", res.entities);
    }

    #[test]
    fn speech_verb_and_appositive_type_persons() {
        let text = "Tarek Lindqvist said the talks failed. Pello Varga, a senior adviser, agreed.";
        let res = run(text);
        assert_eq!(find(&res, "Tarek Lindqvist").kind, EntityType::Person);
        assert_eq!(find(&res, "Pello Varga").kind, EntityType::Person);
    }

    #[test]
    fn transliteration_variants_merge() {
        let text = "Qassem Soleimani arrived. Qassem Suleimani was wounded.";
        let res = run(text);
        let e = find(&res, "Qassem Soleimani");
        assert_eq!(e.aliases, vec!["Qassem Suleimani".to_string()]);
        assert_eq!(res.entities.len(), 1);
    }

    #[test]
    fn datelines_place_nouns_and_place_of() {
        let text = "KANDARI — Flooding hit the Tellavar district and the town of Marrak on Friday.";
        let res = run(text);
        assert_eq!(find(&res, "KANDARI").kind, EntityType::Location);
        let v = find(&res, "Tellavar district");
        assert_eq!(v.kind, EntityType::Location);
        assert_eq!(v.aliases, vec!["Tellavar".to_string()]);
        assert_eq!(find(&res, "Marrak").kind, EntityType::Location);
        check_spans(text, &res);
    }

    #[test]
    fn acronym_initials_rebuild_a_name_split_by_a_known_place() {
        let text = "The union, Cabin Crew Norway (CCN), called a strike.";
        let res = run(text);
        let e = find(&res, "Cabin Crew Norway");
        assert_eq!(e.kind, EntityType::Organization);
        assert_eq!(e.aliases, vec!["CCN".to_string()]);
        assert!(res.entities.iter().all(|x| x.name != "Cabin Crew"), "{:?}", res.entities);
    }

    #[test]
    fn person_of_institution_and_institution_of_place_split() {
        let text = "Dr. Amara Nwosu of the University of Geneva said the data were clear.";
        let res = run(text);
        assert_eq!(find(&res, "Amara Nwosu").kind, EntityType::Person);
        assert_eq!(find(&res, "University of Geneva").kind, EntityType::Organization);
    }

    #[test]
    fn and_splits_two_companies_but_not_one_name() {
        let text = "Contracts went to Redline Paving LLC and Saguaro Civil Works, said the Office for Security and Cooperation.";
        let res = run(text);
        assert_eq!(find(&res, "Redline Paving LLC").kind, EntityType::Organization);
        assert_eq!(find(&res, "Saguaro Civil Works").kind, EntityType::Organization);
        assert_eq!(find(&res, "Office for Security and Cooperation").kind, EntityType::Organization);
    }

    #[test]
    fn org_nouns_and_recurring_surnames() {
        let text = "The airline SkyHarbor cancelled flights. Judge Raymond Oduya ruled; Oduya said more. Tarik Venn agreed, Venn added.";
        let res = run(text);
        assert_eq!(find(&res, "SkyHarbor").kind, EntityType::Organization);
        assert_eq!(find(&res, "Raymond Oduya").aliases, vec!["Oduya".to_string()]);
        assert_eq!(find(&res, "Tarik Venn").kind, EntityType::Person);
    }

    #[test]
    fn a_known_name_continued_by_a_keyword_is_a_longer_name() {
        let text = "Japan's ruling Liberal Democratic Party met the National Police Agency.";
        let res = run(text);
        assert_eq!(find(&res, "Liberal Democratic Party").kind, EntityType::Organization);
        assert_eq!(find(&res, "National Police Agency").kind, EntityType::Organization);
        assert!(res.entities.iter().all(|x| x.name != "Democratic Party"));
    }

    #[test]
    fn a_surname_wins_over_a_look_alike_place() {
        let text = "Reza Hamedani spoke in Tabriz. Later Hamedani left.";
        let res = run(text);
        assert_eq!(find(&res, "Reza Hamedani").aliases, vec!["Hamedani".to_string()]);
        assert!(res.entities.iter().all(|e| e.name != "Hamadan"), "{:?}", res.entities);
    }

    #[test]
    fn headline_case_does_not_make_places() {
        let res = run("Army Fails in Attempt to Save Bridge From Floods");
        assert!(res.entities.iter().all(|e| e.kind != EntityType::Location), "{:?}", res.entities);
    }

    #[test]
    fn known_names_side_by_side_stay_known_far_into_a_text() {
        let filler = "The talks went on for many hours without any result at all. ".repeat(5);
        let text = format!("{filler}It was built by the late IRGC Quds Force commander Qassem Soleimani.");
        let res = run(&text);
        let q = find(&res, "Quds Force");
        assert_eq!(q.aliases, vec!["IRGC Quds Force".to_string()]);
        check_spans(&text, &res);
    }

    #[test]
    fn glued_page_chrome_is_ignored() {
        let res = run("HomeWorld NewsLatest Stories");
        assert!(res.entities.is_empty(), "{:?}", res.entities);
    }
}
