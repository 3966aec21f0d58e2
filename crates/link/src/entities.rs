//! Cross-document entity resolution: the entities of many extractions, merged into corpus-wide
//! entities when they are of the same type and share a name or alias under
//! [`crosscheck_text::normalize_key`].
//!
//! This module owns the merge rule and the corpus entity's id, name and order. It must not
//! guess: no fuzzy matching, no transliteration tables yet, and two persons are never merged
//! because they share only a surname — single-word aliases of a person ("Smith" for "John
//! Smith") are not merge keys, since a surname alone names many people across a corpus.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crosscheck_model::{Entity, EntityType, Extraction, Mention};
use serde::{Deserialize, Serialize};

/// One real-world entity across the corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusEntity {
    /// `E` + 16 hex digits of a hash of the type and the name's normalised key: stable as long
    /// as the chosen name stays the same.
    pub id: String,
    /// The name most documents use (ties: the longest, then the first in sort order).
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Every other surface form seen (names and aliases of the merged entities), sorted.
    pub aliases: Vec<String>,
    /// Ids of the documents naming it, sorted.
    pub documents: Vec<String>,
    /// Every mention, as `(document id, mention)`, sorted by document id then position.
    pub mentions: Vec<(String, Mention)>,
}

/// The keys under which an entity may merge with another.
fn merge_keys(name: &str, aliases: &[&str], kind: EntityType) -> Vec<String> {
    let name_key = normalize_or_raw(name);
    let mut keys = vec![name_key];
    for alias in aliases {
        let key = crosscheck_text::normalize_key(alias);
        if key.is_empty() {
            continue;
        }
        if kind == EntityType::Person && !key.contains(' ') {
            continue;
        }
        keys.push(key);
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Names that normalise to nothing (all punctuation) still need a key of their own, or all such
/// entities would merge into one.
fn normalize_or_raw(name: &str) -> String {
    let key = crosscheck_text::normalize_key(name);
    if key.is_empty() {
        format!("\u{0}{name}")
    } else {
        key
    }
}

/// The transliteration-insensitive key of a person's full name: per word, its first letter and
/// its consonants without repeats ("Khaled al-Mansouri" and "Khalid al-Mansouri" → `k:khld a:l
/// m:mnsr`). `None` for one-word names and for names too short to be distinctive (fewer than
/// 6 skeleton consonants), where a collision would merge different people.
fn name_skeleton(name: &str) -> Option<String> {
    let key = crosscheck_text::normalize_key(name);
    let words: Vec<&str> = key.split_whitespace().collect();
    if words.len() < 2 {
        return None;
    }
    let mut out = String::new();
    let mut consonants = 0;
    for w in words {
        let first = w.chars().next()?;
        out.push(first);
        out.push(':');
        let mut last = None;
        for c in w.chars().filter(|c| c.is_alphabetic() && !"aeiouy".contains(*c)) {
            if last != Some(c) {
                out.push(c);
                consonants += 1;
            }
            last = Some(c);
        }
        out.push(' ');
    }
    (consonants >= 6).then_some(out)
}

fn find_root(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

fn entity_id(kind: EntityType, name: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(kind.as_str().as_bytes());
    hasher.update(b"\n");
    hasher.update(normalize_or_raw(name).as_bytes());
    format!("E{}", &hasher.finalize().to_hex()[..16])
}

/// Corpus-wide entities from the per-document entities of `extractions`, ordered by the number
/// of documents naming them (most first), then by name, then by id.
pub fn resolve_entities(extractions: &[Extraction]) -> Vec<CorpusEntity> {
    let documents: Vec<(&str, &[Entity])> =
        extractions.iter().map(|x| (x.id.as_str(), x.entities.as_slice())).collect();
    resolve_document_entities(&documents)
}

/// [`resolve_entities`] from each document's id and entities alone, in document order (all a
/// streamed link run keeps of the documents for this step).
pub fn resolve_document_entities<D: AsRef<str>, E: AsRef<[Entity]>>(documents: &[(D, E)]) -> Vec<CorpusEntity> {
    resolve(documents, true).0
}

/// The corpus entities of `documents` without their mentions and document lists (a streamed
/// link run writes mentions per document instead of holding them), in the order of
/// [`resolve_document_entities`], and per document (in order) the index in that list of each of
/// its entities.
pub(crate) fn resolve_entity_index(documents: &EntityNames) -> (Vec<CorpusEntity>, Vec<Vec<u32>>) {
    resolve(documents, false)
}

/// What resolution reads of each entity of each document (`x`: document, `e`: entity).
trait EntitySource {
    fn document_count(&self) -> usize;
    fn document_id(&self, x: usize) -> &str;
    fn entity_count(&self, x: usize) -> usize;
    fn name(&self, x: usize, e: usize) -> &str;
    fn kind(&self, x: usize, e: usize) -> EntityType;
    fn aliases(&self, x: usize, e: usize) -> Vec<&str>;
    fn mentions(&self, x: usize, e: usize) -> &[Mention];
}

impl<D: AsRef<str>, E: AsRef<[Entity]>> EntitySource for [(D, E)] {
    fn document_count(&self) -> usize {
        self.len()
    }
    fn document_id(&self, x: usize) -> &str {
        self[x].0.as_ref()
    }
    fn entity_count(&self, x: usize) -> usize {
        self[x].1.as_ref().len()
    }
    fn name(&self, x: usize, e: usize) -> &str {
        &self[x].1.as_ref()[e].name
    }
    fn kind(&self, x: usize, e: usize) -> EntityType {
        self[x].1.as_ref()[e].kind
    }
    fn aliases(&self, x: usize, e: usize) -> Vec<&str> {
        self[x].1.as_ref()[e].aliases.iter().map(String::as_str).collect()
    }
    fn mentions(&self, x: usize, e: usize) -> &[Mention] {
        &self[x].1.as_ref()[e].mentions
    }
}

/// The entities of a corpus as resolution reads them, each distinct name and alias held once
/// (a streamed link run's first pass: a few bytes per entity instead of its whole record).
#[derive(Debug, Default)]
pub(crate) struct EntityNames {
    ids: Vec<String>,
    /// Per document, where its entities start in `items`; one more entry closes the last.
    starts: Vec<usize>,
    items: Vec<NamedItem>,
    strings: Vec<Box<str>>,
    string_ids: HashMap<Box<str>, u32>,
}

#[derive(Debug)]
struct NamedItem {
    name: u32,
    kind: EntityType,
    aliases: Box<[u32]>,
}

impl EntityNames {
    /// Adds a document's entities (their mentions are not kept).
    pub(crate) fn push(&mut self, id: &str, entities: &[Entity]) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.ids.push(id.to_string());
        for e in entities {
            let name = self.intern(&e.name);
            let aliases = e.aliases.iter().map(|a| self.intern(a)).collect();
            self.items.push(NamedItem { name, kind: e.kind, aliases });
        }
        self.starts.push(self.items.len());
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.string_ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.strings.push(s.into());
        self.string_ids.insert(s.into(), id);
        id
    }

    fn item(&self, x: usize, e: usize) -> &NamedItem {
        &self.items[self.starts[x] + e]
    }

    fn string(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", |s| s)
    }

    /// The documents' ids, in the order they were added.
    pub(crate) fn into_ids(self) -> Vec<String> {
        self.ids
    }
}

impl EntitySource for EntityNames {
    fn document_count(&self) -> usize {
        self.ids.len()
    }
    fn document_id(&self, x: usize) -> &str {
        &self.ids[x]
    }
    fn entity_count(&self, x: usize) -> usize {
        self.starts[x + 1] - self.starts[x]
    }
    fn name(&self, x: usize, e: usize) -> &str {
        self.string(self.item(x, e).name)
    }
    fn kind(&self, x: usize, e: usize) -> EntityType {
        self.item(x, e).kind
    }
    fn aliases(&self, x: usize, e: usize) -> Vec<&str> {
        self.item(x, e).aliases.iter().map(|a| self.string(*a)).collect()
    }
    fn mentions(&self, _x: usize, _e: usize) -> &[Mention] {
        &[]
    }
}

/// The merge; `with_mentions` fills each entity's documents and mentions. Also returns, per
/// document, the corpus entity index of each of its entities (when `with_mentions` is off).
fn resolve<S: EntitySource + ?Sized>(documents: &S, with_mentions: bool) -> (Vec<CorpusEntity>, Vec<Vec<u32>>) {
    // (document index, entity index) of every entity in the corpus.
    let items: Vec<(usize, usize)> =
        (0..documents.document_count()).flat_map(|x| (0..documents.entity_count(x)).map(move |e| (x, e))).collect();
    let mut parent: Vec<usize> = (0..items.len()).collect();
    let mut first_with_key: HashMap<(EntityType, String), usize> = HashMap::new();
    for (item, &(x, e)) in items.iter().enumerate() {
        let kind = documents.kind(x, e);
        for key in merge_keys(documents.name(x, e), &documents.aliases(x, e), kind) {
            match first_with_key.get(&(kind, key.clone())) {
                Some(&other) => {
                    let (ra, rb) = (find_root(&mut parent, item), find_root(&mut parent, other));
                    if ra != rb {
                        parent[ra.max(rb)] = ra.min(rb);
                    }
                }
                None => {
                    first_with_key.insert((kind, key), item);
                }
            }
        }
    }
    drop(first_with_key);

    // Transliteration variants of a person's full name (Khalid / Khaled, Soleimani /
    // Suleimani): merged when every word keeps its first letter and its consonant skeleton.
    let mut first_with_skeleton: HashMap<String, usize> = HashMap::new();
    for (item, &(x, e)) in items.iter().enumerate() {
        if documents.kind(x, e) != EntityType::Person {
            continue;
        }
        let Some(skeleton) = name_skeleton(documents.name(x, e)) else { continue };
        match first_with_skeleton.get(&skeleton) {
            Some(&other) => {
                let (ra, rb) = (find_root(&mut parent, item), find_root(&mut parent, other));
                if ra != rb {
                    parent[ra.max(rb)] = ra.min(rb);
                }
            }
            None => {
                first_with_skeleton.insert(skeleton, item);
            }
        }
    }
    drop(first_with_skeleton);

    let mut clusters: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for item in 0..items.len() {
        let root = find_root(&mut parent, item);
        clusters.entry(root).or_default().push(item);
    }
    drop(parent);

    // Each entity with the number of documents naming it (its sort key) and its items.
    let mut out: Vec<(CorpusEntity, usize, Vec<usize>)> = clusters
        .into_values()
        .filter_map(|members| {
            let &(x0, e0) = items.get(*members.first()?)?;
            let kind = documents.kind(x0, e0);
            // name → documents using it as the canonical name
            let mut name_docs: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            let mut surfaces: BTreeSet<&str> = BTreeSet::new();
            let mut named_in: BTreeSet<&str> = BTreeSet::new();
            let mut mentions: Vec<(String, Mention)> = Vec::new();
            for &item in &members {
                let (x, e) = items[item];
                let doc = documents.document_id(x);
                let name = documents.name(x, e);
                name_docs.entry(name).or_default().insert(doc);
                surfaces.insert(name);
                surfaces.extend(documents.aliases(x, e));
                named_in.insert(doc);
                if with_mentions {
                    mentions.extend(documents.mentions(x, e).iter().map(|m| (doc.to_string(), m.clone())));
                }
            }
            let name = name_docs
                .iter()
                .max_by(|(a, da), (b, db)| {
                    da.len()
                        .cmp(&db.len())
                        .then_with(|| a.chars().count().cmp(&b.chars().count()))
                        .then_with(|| b.cmp(a))
                })
                .map(|(n, _)| (*n).to_string())?;
            mentions.sort();
            mentions.dedup();
            let named_count = named_in.len();
            let entity = CorpusEntity {
                id: entity_id(kind, &name),
                aliases: surfaces.into_iter().filter(|s| *s != name).map(str::to_string).collect(),
                name,
                kind,
                documents: if with_mentions { named_in.into_iter().map(str::to_string).collect() } else { Vec::new() },
                mentions,
            };
            Some((entity, named_count, members))
        })
        .collect();
    out.sort_by(|(a, na, _), (b, nb, _)| nb.cmp(na).then_with(|| a.name.cmp(&b.name)).then_with(|| a.id.cmp(&b.id)));
    let mut index: Vec<Vec<u32>> = if with_mentions {
        Vec::new()
    } else {
        (0..documents.document_count()).map(|x| vec![0; documents.entity_count(x)]).collect()
    };
    if !with_mentions {
        for (n, (_, _, members)) in out.iter().enumerate() {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            for &item in members {
                let (x, e) = items[item];
                index[x][e] = n;
            }
        }
    }
    (out.into_iter().map(|(entity, _, _)| entity).collect(), index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crosscheck_model::Entity;

    fn extraction(id: &str, text: &str, entities: &[(&str, EntityType, &[&str])]) -> Extraction {
        let mut x = Extraction {
            id: id.into(),
            title: None,
            outlet: None,
            date: None,
            url: None,
            author: None,
            text: text.into(),
            entities: Vec::new(),
            roles: Vec::new(),
            attributions: Vec::new(),
            quantities: Vec::new(),
            dates: Vec::new(),
            events: Vec::new(),
            duplicates_of: Vec::new(),
            copy_of: None,
        };
        for (name, kind, aliases) in entities {
            let mut surfaces = vec![*name];
            surfaces.extend(aliases.iter().copied());
            let mentions = surfaces
                .iter()
                .filter_map(|s| {
                    let byte = text.find(s)?;
                    let start = text[..byte].chars().count();
                    Some(Mention { start, end: start + s.chars().count(), text: (*s).into() })
                })
                .collect();
            x.entities.push(Entity {
                name: (*name).into(),
                kind: *kind,
                aliases: aliases.iter().map(|a| (*a).to_string()).collect(),
                mentions,
                rule: "test".into(),
            });
        }
        x
    }

    fn find<'a>(entities: &'a [CorpusEntity], name: &str) -> &'a CorpusEntity {
        entities.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("no entity {name}"))
    }

    #[test]
    fn merges_same_type_on_name_or_alias_key() {
        let a = extraction(
            "a",
            "Helen Ortiz met the Marlowe Transit Authority (MTA).",
            &[
                ("Helen Ortiz", EntityType::Person, &[]),
                ("Marlowe Transit Authority", EntityType::Organization, &["MTA"]),
            ],
        );
        let b = extraction(
            "b",
            "The MTA said Mayor HELEN ORTIZ agreed.",
            &[("HELEN ORTIZ", EntityType::Person, &[]), ("MTA", EntityType::Organization, &[])],
        );
        let c = extraction(
            "c",
            "Helen Ortiz spoke to the Marlowe Transit Authority.",
            &[("Helen Ortiz", EntityType::Person, &[]), ("Marlowe Transit Authority", EntityType::Organization, &[])],
        );
        let entities = resolve_entities(&[a, b, c]);
        assert_eq!(entities.len(), 2, "{entities:#?}");
        let person = find(&entities, "Helen Ortiz");
        assert_eq!(person.kind, EntityType::Person);
        assert_eq!(person.documents, vec!["a", "b", "c"]);
        assert_eq!(person.aliases, vec!["HELEN ORTIZ"]);
        let org = find(&entities, "Marlowe Transit Authority");
        assert_eq!(org.documents, vec!["a", "b", "c"]);
        assert_eq!(org.aliases, vec!["MTA"]);
        assert_eq!(org.mentions.len(), 4);
        assert!(org.id.starts_with('E') && org.id.len() == 17);
    }

    #[test]
    fn mentions_point_at_their_surface_in_their_document() {
        let texts = [("a", "Naïve Café Group opened."), ("b", "Staff at Naïve Café Group struck.")];
        let extractions: Vec<Extraction> = texts
            .iter()
            .map(|(id, t)| extraction(id, t, &[("Naïve Café Group", EntityType::Organization, &[])]))
            .collect();
        let entities = resolve_entities(&extractions);
        assert_eq!(entities.len(), 1);
        for (doc, mention) in &entities[0].mentions {
            let text = texts.iter().find(|(id, _)| id == doc).map(|(_, t)| *t).unwrap_or_default();
            let span = crosscheck_model::Span::new(mention.start, mention.end);
            assert_eq!(crosscheck_text::slice_chars(text, span), mention.text);
        }
    }

    #[test]
    fn transliteration_variants_of_a_full_name_merge_but_short_names_do_not() {
        let a = extraction("a", "Khalid al-Mansouri spoke.", &[("Khalid al-Mansouri", EntityType::Person, &[])]);
        let b = extraction("b", "Khaled al-Mansouri spoke.", &[("Khaled al-Mansouri", EntityType::Person, &[])]);
        let c = extraction("c", "Ana Lee spoke.", &[("Ana Lee", EntityType::Person, &[])]);
        let d = extraction("d", "Ian Lee spoke.", &[("Ian Lee", EntityType::Person, &[])]);
        let e = extraction("e", "Karl Mansour spoke.", &[("Karl Mansour", EntityType::Person, &[])]);
        let entities = resolve_entities(&[a, b, c, d, e]);
        assert_eq!(entities.len(), 4, "{entities:#?}");
        let merged = entities.iter().find(|x| x.documents.len() == 2).expect("merged");
        assert_eq!(merged.documents, vec!["a", "b"]);
        assert_eq!(name_skeleton("Ana Lee"), None);
    }

    #[test]
    fn persons_sharing_only_a_surname_stay_apart() {
        let a = extraction("a", "John Smith, or Smith, spoke.", &[("John Smith", EntityType::Person, &["Smith"])]);
        let b = extraction("b", "Mary Smith, or Smith, spoke.", &[("Mary Smith", EntityType::Person, &["Smith"])]);
        let entities = resolve_entities(&[a, b]);
        assert_eq!(entities.len(), 2, "{entities:#?}");
        assert_eq!(find(&entities, "John Smith").documents, vec!["a"]);
        assert_eq!(find(&entities, "Mary Smith").documents, vec!["b"]);
    }

    #[test]
    fn organisations_may_merge_on_a_one_word_alias_but_types_never_mix() {
        let a = extraction(
            "a",
            "The Harbour Board (HB) met in Jordan.",
            &[("Harbour Board", EntityType::Organization, &["HB"]), ("Jordan", EntityType::Location, &[])],
        );
        let b = extraction(
            "b",
            "HB officials and Jordan spoke.",
            &[("HB", EntityType::Organization, &[]), ("Jordan", EntityType::Person, &[])],
        );
        let entities = resolve_entities(&[a, b]);
        assert_eq!(find(&entities, "Harbour Board").documents, vec!["a", "b"]);
        let jordans: Vec<_> = entities.iter().filter(|e| e.name == "Jordan").collect();
        assert_eq!(jordans.len(), 2);
        assert_ne!(jordans[0].id, jordans[1].id);
    }

    #[test]
    fn order_is_by_document_count_then_name_and_deterministic() {
        let a = extraction(
            "a",
            "Zeta Corp and Alpha Inc and Beta Ltd.",
            &[
                ("Zeta Corp", EntityType::Organization, &[]),
                ("Alpha Inc", EntityType::Organization, &[]),
                ("Beta Ltd", EntityType::Organization, &[]),
            ],
        );
        let b = extraction("b", "Zeta Corp again.", &[("Zeta Corp", EntityType::Organization, &[])]);
        let first = resolve_entities(&[a.clone(), b.clone()]);
        let names: Vec<&str> = first.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["Zeta Corp", "Alpha Inc", "Beta Ltd"]);
        assert_eq!(first, resolve_entities(&[b, a]));
    }

    #[test]
    fn name_is_the_one_most_documents_use() {
        let a = extraction("a", "Ortiz Helen x", &[("Helen Ortiz-Diaz", EntityType::Person, &["Helen Ortiz"])]);
        let b = extraction("b", "Helen Ortiz y", &[("Helen Ortiz", EntityType::Person, &[])]);
        let c = extraction("c", "Helen Ortiz z", &[("Helen Ortiz", EntityType::Person, &[])]);
        let entities = resolve_entities(&[a, b, c]);
        assert_eq!(entities.len(), 1);
        assert_eq!(entities[0].name, "Helen Ortiz");
        assert_eq!(entities[0].aliases, vec!["Helen Ortiz-Diaz"]);
        assert_eq!(entities[0].id, entity_id(EntityType::Person, "helen  ORTIZ"));
    }
}
