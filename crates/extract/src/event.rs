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
use crosscheck_model::{DateMention, EntityType, Event};
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
const INTRANSITIVE: &[&str] = &["withdraw", "advance", "evacuate", "reduce"];
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
        map: &CharMap,
    ) -> Vec<Event> {
        let mut out = Vec::new();
        let mut seen_doc = HashSet::new();
        for s in sentences {
            let slice = &text[s.clone()];
            let mentions: Vec<&MentionRef> = outermost(found.mentions_within(s.start, s.end));
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
                if found.entity_covering(ts, te).is_some() {
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
                let name = |mr: &MentionRef| found.entities[mr.entity].name.clone();
                let kind_of = |mr: &MentionRef| found.entities[mr.entity].kind;
                let before_m: Vec<&&MentionRef> = mentions.iter().filter(|x| x.end <= ts).collect();
                let after_m: Vec<&&MentionRef> = mentions.iter().filter(|x| x.start >= te).collect();
                let is_place_phrase = |mr: &MentionRef| {
                    let lead = &text[s.start..mr.start];
                    let w = lead.split_whitespace().last().unwrap_or_default().to_lowercase();
                    kind_of(mr) == EntityType::Location && PLACE_PREPOSITIONS.contains(&w.as_str())
                };
                let near_after = |mr: &MentionRef| crosscheck_text::words(&text[te..mr.start]).count() <= 6;
                let first_after_non_place =
                    after_m.iter().find(|x| !is_place_phrase(x) && near_after(x)).map(|x| name(x));
                let (mut actor, mut target);
                if noun_of {
                    let of_obj = after_m.first().filter(|x| near_after(x)).map(|x| name(x));
                    if INTRANSITIVE.contains(&kind) {
                        actor = of_obj;
                        target = None;
                    } else {
                        target = of_obj;
                        actor = None;
                    }
                    if actor.is_none() {
                        actor = before_m.last().filter(|x| !is_place_phrase(x)).map(|x| name(x));
                    }
                } else if passive {
                    target = before_m.last().map(|x| name(x));
                    let by = after.to_lowercase().find(" by ").map(|p| te + p + 4);
                    actor = by.and_then(|b| after_m.iter().find(|x| x.start >= b).map(|x| name(x)));
                } else {
                    actor = before_m.iter().rev().find(|x| !is_place_phrase(x)).map(|x| name(x));
                    target = first_after_non_place;
                }
                if actor == target {
                    target = None;
                }
                let place = mentions
                    .iter()
                    .filter(|x| kind_of(x) == EntityType::Location && is_place_phrase(x))
                    .min_by_key(|x| if x.start >= te { x.start - te } else { ts - x.end })
                    .or_else(|| mentions.iter().find(|x| kind_of(x) == EntityType::Location))
                    .map(|x| name(x))
                    .filter(|p| Some(p) != actor.as_ref() || target.as_ref() == Some(p));
                if !seen_sentence.insert((kind, actor.clone())) {
                    continue;
                }
                if !seen_doc.insert((kind, actor.clone(), target.clone(), place.clone(), date.clone())) {
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
        EventRecognizer::new().expect("triggers").find(text, &sents, &found, &[], &map)
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
    fn negation_is_marked() {
        let e = events("NATO did not attack Russia.");
        assert!(e[0].negated);
        assert_eq!(e[0].actor.as_deref(), Some("NATO"));
    }
}
