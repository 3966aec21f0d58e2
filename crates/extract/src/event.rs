//! Events: who did what to whom, where and when, from trigger words.
//!
//! `resources/event/triggers.txt` maps word forms to the event types of the model; they are
//! compiled into one automaton (case-insensitive, whole words, multi-word forms first). Each
//! trigger occurrence in a sentence gives one event:
//! * actor: the nearest entity mention before the trigger (its subject); in the passive
//!   ("was wounded") that mention is the target and the actor is the mention after "by";
//!   for a noun trigger followed by "of" ("the withdrawal of X", "the killing of X") X is the
//!   actor of intransitive types (withdraw, advance, evacuate) and the target of the others;
//! * target: the first non-place mention after the trigger, within a few words;
//! * place: a location mention after "in/at/near/from/to/into" in the sentence, the nearest to
//!   the trigger, else any other location of the sentence;
//! * date: the first resolved date expression of the sentence;
//! * negated: "not", "never", "no", "n't" or a denial just before the trigger.
//!
//! Events of the same type and actor in one sentence are reported once. This module must not
//! create entities or dates; it reads them.

use std::collections::HashSet;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use crosscheck_model::{Attribution, DateMention, EntityType, Event};
use crosscheck_text::CharMap;

use crate::entity::{EntityResult, MentionRef};
use crate::lexicon;
use crate::ExtractError;

const TYPES: &[&str] = &[
    "withdraw",
    "evacuate",
    "kill",
    "wound",
    "attack",
    "capture",
    "fund",
    "build",
    "meet",
    "criticize",
    "threaten",
    "support",
    "advance",
    "reduce",
    "replace",
    "other",
];
/// Types whose "the X of Y" names the one who acts, not the one acted on.
const INTRANSITIVE: &[&str] = &["withdraw", "advance", "evacuate", "reduce", "other"];
/// Types reported even when nobody is named as acting ("killing 23 people", "gunmen attacked").
const VICTIM_TYPES: &[&str] = &["kill", "wound", "evacuate", "attack"];
/// Nouns after a demonym that make it an acting party ("Iranian forces" → Iran).
const FORCE_NOUNS: &[&str] = &[
    "forces",
    "force",
    "troops",
    "military",
    "army",
    "fighters",
    "militias",
    "militia",
    "government",
    "officials",
    "regime",
    "authorities",
    "navy",
    "soldiers",
    "advisers",
    "advisors",
    "jets",
    "warplanes",
    "drones",
];
/// A subject further than this many words from its trigger is not taken as the actor.
const MAX_SUBJECT_DISTANCE: usize = 12;
const PASSIVE_AUXILIARIES: &[&str] = &["was", "were", "been", "being", "is", "are", "be", "got", "getting", "get"];
const NEGATIONS: &[&str] = &["not", "never", "no", "denied", "deny", "denies", "didn't", "won't", "hasn't", "haven't"];
const PLACE_PREPOSITIONS: &[&str] =
    &["in", "at", "near", "from", "to", "into", "across", "toward", "towards", "outside", "inside"];

pub struct EventRecognizer {
    automaton: AhoCorasick,
    types: Vec<&'static str>,
}

impl EventRecognizer {
    pub fn new() -> Result<Self, ExtractError> {
        let file = "event/triggers.txt";
        let mut forms = Vec::new();
        let mut types = Vec::new();
        let mut seen = HashSet::new();
        for line in lexicon::lines(file, include_str!("../../../resources/event/triggers.txt")) {
            let Some((kind, list)) = line.text.split_once(':') else {
                return Err(line.error("expected `type: form, form`"));
            };
            let Some(&kind) = TYPES.iter().find(|t| **t == kind.trim()) else {
                return Err(line.error(format!("unknown event type `{}`", kind.trim())));
            };
            for form in list.split(',').map(str::trim).filter(|f| !f.is_empty()) {
                let lower = form.to_lowercase();
                if seen.insert(lower.clone()) {
                    forms.push(lower);
                    types.push(kind);
                }
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&forms)
            .map_err(|e| ExtractError::Pattern { file, source: Box::new(e) })?;
        Ok(EventRecognizer { automaton, types })
    }

    pub fn find(
        &self,
        text: &str,
        sentences: &[Range<usize>],
        found: &EntityResult,
        dates: &[DateMention],
        attributions: &[Attribution],
        map: &CharMap,
    ) -> Vec<Event> {
        let char_starts: Vec<usize> =
            if attributions.is_empty() { Vec::new() } else { text.char_indices().map(|(i, _)| i).collect() };
        // Who is credited with a statement is not who acted in it.
        let sources: Vec<(usize, usize)> = attributions
            .iter()
            .filter_map(|a| a.source_span)
            .map(|sp| (byte_of(&char_starts, text, sp.start), byte_of(&char_starts, text, sp.end)))
            .collect();
        let mut sources = sources;
        sources.sort_unstable();
        let quotes = crate::attribution::quotation_spans(text);
        let mut out = Vec::new();
        let mut seen_doc = HashSet::new();
        for s in sentences {
            let slice = &text[s.clone()];
            let parties = parties(text, s.clone(), found, &sources);
            let sentence_chars = map.span(s.start, s.end);
            let date = dates
                .iter()
                .find(|d| {
                    d.span.start >= sentence_chars.start && d.span.end <= sentence_chars.end && d.resolved.is_some()
                })
                .and_then(|d| d.resolved.clone());
            let mut seen_sentence = HashSet::new();
            for (ms, me, pattern) in lexicon::find_whole_words(&self.automaton, slice) {
                let (ts, te) = (s.start + ms, s.start + me);
                if found.entity_covering(ts, te).is_some() || quotes.iter().any(|q| q.0 < ts && te < q.1) {
                    continue;
                }
                let kind = self.types[pattern];
                let trigger = &text[ts..te];
                let before_words: Vec<String> =
                    crosscheck_text::words(&text[s.start..ts]).map(|w| w.text.to_lowercase()).collect();
                let prev = |k: usize| before_words.len().checked_sub(k).map(|i| before_words[i].as_str());
                let passive = [prev(1), prev(2)].iter().flatten().any(|w| PASSIVE_AUXILIARIES.contains(w));
                let negated = (1..=3).filter_map(prev).any(|w| NEGATIONS.contains(&w) || w.ends_with("n't"));
                let after = &text[te..s.end];
                let noun_of = after.trim_start().to_lowercase().starts_with("of ");
                let words_between = |a: usize, b: usize| crosscheck_text::words(&text[a.min(b)..b.max(a)]).count();
                let clause_between = |a: usize, b: usize| text[a.min(b)..b.max(a)].contains([';', ':', '“', '”', '"']);
                // The subject: the nearest acting party before the trigger, in the same clause.
                let subject = parties
                    .iter()
                    .rev()
                    .find(|p| p.end <= ts && p.can_act && !p.place_phrase)
                    .filter(|p| words_between(p.end, ts) <= MAX_SUBJECT_DISTANCE && !clause_between(p.end, ts));
                // "X and Y signed": a coordinated subject acts through its first member.
                let subject = subject.map(|p| {
                    let idx = parties.iter().position(|q| std::ptr::eq(q, p)).unwrap_or(0);
                    match idx.checked_sub(1).map(|i| &parties[i]) {
                        Some(q) if q.can_act && !q.place_phrase && coordinated(&text[q.end..p.start]) => q,
                        _ => p,
                    }
                });
                // "…, beating X" / "…, killing 23": a participle after a comma belongs to the
                // main clause's subject.
                let participle = trigger.ends_with("ing") && text[s.start..ts].trim_end().ends_with(',');
                let subject = if participle {
                    parties.iter().find(|p| p.end <= ts && p.can_act && !p.place_phrase && !p.possessive).or(subject)
                } else {
                    subject
                };
                let object = parties.iter().find(|p| {
                    p.start >= te && !p.place_phrase && words_between(te, p.start) <= 6 && !clause_between(te, p.start)
                });
                let (mut actor, mut target) = if noun_of {
                    let of_obj = parties
                        .iter()
                        .find(|p| p.start >= te && words_between(te, p.start) <= 4)
                        .map(|p| p.name.clone());
                    if INTRANSITIVE.contains(&kind) {
                        (of_obj.or_else(|| subject.map(|p| p.name.clone())), None)
                    } else {
                        (subject.map(|p| p.name.clone()), of_obj)
                    }
                } else if passive {
                    let by = after.to_lowercase().find(" by ").map(|p| te + p + 4);
                    let agent =
                        by.and_then(|b| parties.iter().find(|p| p.start >= b && p.can_act)).map(|p| p.name.clone());
                    // "X, one of Y's aides, was injured": the possessive is not the patient.
                    let patient = parties
                        .iter()
                        .rev()
                        .find(|p| p.end <= ts && !p.place_phrase && !p.possessive)
                        .map(|p| p.name.clone());
                    (agent, patient)
                } else if kind == "withdraw" && object.is_some_and(|o| o.organization && o.start <= te + 40) {
                    // "Iran withdrew its Revolutionary Guards": the unit named is what withdraws.
                    (object.map(|p| p.name.clone()), None)
                } else {
                    (subject.map(|p| p.name.clone()), object.map(|p| p.name.clone()))
                };
                if actor == target {
                    target = None;
                }
                // An event needs someone acting, unless it is one reported by its victims.
                // "he accused the army": a pronoun subject is the last person named before.
                if actor.is_none() && !passive && matches!(prev(1), Some("he" | "she")) {
                    actor = found
                        .mentions
                        .iter()
                        .rfind(|m| m.end <= ts && found.entities[m.entity].kind == EntityType::Person)
                        .map(|m| found.entities[m.entity].name.clone());
                }
                if actor.is_none() && !VICTIM_TYPES.contains(&kind) {
                    continue;
                }
                let place = parties
                    .iter()
                    .filter(|p| p.place_phrase)
                    .min_by_key(|p| if p.start >= te { p.start - te } else { ts - p.end })
                    .or_else(|| parties.iter().find(|p| p.location))
                    .map(|p| p.name.clone())
                    .filter(|p| Some(p) != actor.as_ref() || target.as_ref() == Some(p));
                if !seen_sentence.insert((kind, actor.clone())) {
                    continue;
                }
                // Repeated mentions of one happening ("the withdrawal", "this retreat") count once.
                if !seen_doc.insert((kind, actor.clone(), target.clone())) {
                    continue;
                }
                out.push(Event {
                    kind: kind.to_string(),
                    actor,
                    target,
                    place,
                    date: date.clone(),
                    trigger: trigger.to_string(),
                    negated,
                    span: map.span(s.start, s.end),
                    rule: if passive { "trigger-passive".into() } else { "trigger".into() },
                });
            }
        }
        out
    }
}

/// Someone or something that can take part in an event in one sentence.
#[derive(Debug, Clone)]
struct Party {
    start: usize,
    end: usize,
    name: String,
    /// A person, an organisation, a country, or "Iranian forces".
    can_act: bool,
    location: bool,
    organization: bool,
    /// Written with a possessive 's ("Khamenei's aides").
    possessive: bool,
    /// A place after "in/at/near/from/to ...".
    place_phrase: bool,
}

/// The parties of a sentence in order: outermost entity mentions (not attribution sources)
/// and demonyms heading a force noun ("Iranian forces" → Iran).
fn parties(text: &str, s: Range<usize>, found: &EntityResult, sources: &[(usize, usize)]) -> Vec<Party> {
    let mut out = Vec::new();
    for m in outermost(found.mentions_within(s.start, s.end)) {
        let upto = sources.partition_point(|&(a, _)| a <= m.start);
        if sources[..upto].iter().rev().take(8).any(|&(_, b)| m.end <= b) {
            continue;
        }
        let e = &found.entities[m.entity];
        let location = e.kind == EntityType::Location;
        let lead = &text[s.start..m.start];
        let prep = lead.split_whitespace().last().unwrap_or_default().to_lowercase();
        out.push(Party {
            start: m.start,
            end: m.end,
            name: e.name.clone(),
            can_act: !location || found.country.get(m.entity).copied().unwrap_or(false),
            location,
            organization: e.kind == EntityType::Organization,
            possessive: text[m.end..].starts_with("'s") || text[m.end..].starts_with("’s"),
            place_phrase: location && PLACE_PREPOSITIONS.contains(&prep.as_str()),
        });
    }
    let first = found.demonyms.partition_point(|d| d.0 < s.start);
    for (start, end, country) in found.demonyms[first..].iter().take_while(|d| d.0 < s.end) {
        if *end > s.end {
            continue;
        }
        let next = crosscheck_text::words(&text[*end..s.end]).next().map(|w| w.text.to_lowercase());
        if next.is_some_and(|n| FORCE_NOUNS.contains(&n.as_str())) {
            out.push(Party {
                start: *start,
                end: *end,
                name: country.clone(),
                can_act: true,
                location: false,
                organization: false,
                possessive: false,
                place_phrase: false,
            });
        }
    }
    out.sort_by_key(|p| p.start);
    out
}

/// Byte offset of char offset `c`, from a table of char starts.
fn byte_of(char_starts: &[usize], text: &str, c: usize) -> usize {
    char_starts.get(c).copied().unwrap_or(text.len())
}

/// "and", "and the rebel", ", ": what joins two members of one subject.
fn coordinated(between: &str) -> bool {
    let words: Vec<&str> = between.split_whitespace().collect();
    match words.first() {
        Some(&"and") => words.len() <= 3 && words[1..].iter().all(|w| w.chars().all(char::is_lowercase)),
        _ => false,
    }
}

/// Mentions that are not inside a longer mention ("Russia" inside "Russia's Defense Ministry").
fn outermost<'a>(mentions: impl Iterator<Item = &'a MentionRef>) -> Vec<&'a MentionRef> {
    let all: Vec<&MentionRef> = mentions.collect();
    all.iter()
        .filter(|m| !all.iter().any(|o| (o.start < m.start && m.end <= o.end) || (o.start <= m.start && m.end < o.end)))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::AttributionRecognizer;
    use crate::entity::EntityRecognizer;
    use crosscheck_text::sentences;

    fn events(text: &str) -> Vec<Event> {
        let attr = AttributionRecognizer::new().expect("cues");
        let ents = EntityRecognizer::new(attr.speech_verbs()).expect("entities");
        let map = CharMap::new(text);
        let sents = sentences(text);
        let found = ents.find(text, &sents, &map);
        EventRecognizer::new().expect("triggers").find(text, &sents, &found, &[], &[], &map)
    }

    #[test]
    fn active_trigger_gives_actor_target_and_place() {
        let e = events("Russia attacked Ukraine in Kharkiv.");
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(e[0].kind, "attack");
        assert_eq!(e[0].actor.as_deref(), Some("Russia"));
        assert_eq!(e[0].target.as_deref(), Some("Ukraine"));
        assert_eq!(e[0].place.as_deref(), Some("Kharkiv"));
        assert!(!e[0].negated);
    }

    #[test]
    fn passive_trigger_makes_the_subject_the_target() {
        let e = events("Vladimir Putin was wounded in Aleppo.");
        assert_eq!(e[0].kind, "wound");
        assert_eq!(e[0].actor, None);
        assert_eq!(e[0].target.as_deref(), Some("Vladimir Putin"));
        assert_eq!(e[0].place.as_deref(), Some("Aleppo"));
    }

    #[test]
    fn nominal_withdrawal_of_names_the_actor() {
        let e = events("Damascus saw the withdrawal of the Quds Force from Syria.");
        let w = e.iter().find(|x| x.kind == "withdraw").expect("withdraw event");
        assert_eq!(w.actor.as_deref(), Some("Quds Force"));
        assert_eq!(w.place.as_deref(), Some("Syria"));
    }

    #[test]
    fn coordinated_subject_and_participle_use_the_first_actor() {
        let e = events(
            "Russia and the rebel Hezbollah signed a deal in Doha. NATO struck the base, killing Vladimir Putin.",
        );
        let signed = e.iter().find(|x| x.trigger == "signed").expect("signed");
        assert_eq!(signed.actor.as_deref(), Some("Russia"));
        assert_eq!(signed.place.as_deref(), Some("Doha"));
        let kill = e.iter().find(|x| x.kind == "kill").expect("kill");
        assert_eq!(kill.actor.as_deref(), Some("NATO"));
        assert_eq!(kill.target.as_deref(), Some("Vladimir Putin"));
    }

    #[test]
    fn demonym_forces_act_for_their_country() {
        let e = events("Iranian forces withdrew from Aleppo.");
        assert_eq!(e[0].kind, "withdraw");
        assert_eq!(e[0].actor.as_deref(), Some("Iran"));
        assert_eq!(e[0].place.as_deref(), Some("Aleppo"));
    }

    #[test]
    fn negation_is_marked() {
        let e = events("NATO did not attack Russia.");
        assert!(e[0].negated);
        assert_eq!(e[0].actor.as_deref(), Some("NATO"));
    }
}
