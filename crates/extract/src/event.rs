//! Events: who did what to whom, where and when, from trigger words.
//!
//! `resources/event/triggers.txt` maps word forms to the event types of the model; they are
//! compiled into one automaton (case-insensitive, whole words, multi-word forms first).
//! `resources/event/senses.txt` then reads each trigger's context: a rule drops it ("air
//! support", "warned that"), keeps it only with a context word ("called for an inquiry"), or
//! retypes it (a labour "strike" is `other`, money "spent on a depot" is `build`). Triggers
//! inside quotations, with a modal ("would withdraw"), or averted ("to prevent a collapse")
//! give no event. Each remaining trigger gives one event:
//! * actor: the grammatical subject — the nearest acting party before the trigger in the same
//!   clause (no semicolon, unbalanced quote or subordinating word between), taken to the head
//!   of its noun phrase ("X of the Y" → X, "X (XY)" → X, "X and the Y" → X, "X-Y offensive"
//!   → X). Parties are entity mentions, demonyms heading a force noun ("Iranian forces",
//!   "Mozambican and Rwandan troops" → the country), a country's possessive with a force noun
//!   ("Congo's government"), "the rebels" (the story's named armed group) and "the regime"
//!   (the country of the last "<demonym> regime"). Attribution sources act only in speech
//!   events (criticise, threaten). In the passive the subject is the target and the actor is
//!   the party after "by" (a unit "relocated" without agent withdraws itself); "the X of Y"
//!   names Y as actor of intransitive types and as target of the others; a noun trigger inside
//!   a phrase ("over the fall of") takes no subject; "a meeting between X's minister and Y" →
//!   Y meets X; a demonym just before the trigger ("Russian airstrikes") names the actor; a
//!   consequence ("which resulted in the killing of") takes its cause's actor; a verb of the
//!   own-resource types (withdraw, build, fund, reduce, advance, support) with nobody acting
//!   before it takes the story's main actor (its first acting organisation or country).
//! * target: the first non-place mention after the trigger, within a few words; a capture of
//!   several listed places gives one event per place;
//! * place: a location mention after "in/at/near/from/to/into" in the sentence, the nearest to
//!   the trigger, else any other location of the sentence;
//! * date: the first resolved date expression of the sentence;
//! * negated: "not", "never", "no", "n't" or a denial just before the trigger.
//!
//! One event per happening in the document: the same type and actor again is dropped unless
//! both name different targets. A story with no event at all gets an `other` event for its
//! lede, with the lede's subject as actor. This module must not create entities or dates; it
//! reads them.

use crate::FastSet;
use std::ops::Range;

use crosscheck_model::{Attribution, DateMention, EntityType, Event};
use crosscheck_text::{CharMap, Word, WordStream};

use crate::DocText;

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
/// Types whose actor is the one who speaks ("X criticised Y"), even as a quoted source.
const SPEECH_TYPES: &[&str] = &["criticize", "threaten"];
/// Types whose unnamed actor is the story's main actor ("units were withdrawn", "$5m spent
/// on a depot"): things a party does with its own forces and money.
const IMPUTABLE_TYPES: &[&str] = &["withdraw", "build", "fund", "reduce", "advance", "support"];
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
const MAX_SUBJECT_DISTANCE: usize = 16;
const PASSIVE_AUXILIARIES: &[&str] = &["was", "were", "been", "being", "is", "are", "be", "got", "getting", "get"];
const NEGATIONS: &[&str] = &["not", "never", "no", "denied", "deny", "denies", "didn't", "won't", "hasn't", "haven't"];
const PLACE_PREPOSITIONS: &[&str] =
    &["in", "at", "near", "from", "to", "into", "across", "toward", "towards", "outside", "inside"];

pub struct EventRecognizer {
    automaton: lexicon::WordMatcher,
    types: Vec<&'static str>,
    /// Per trigger pattern: the sense rules that apply to it, in file order.
    senses: Vec<Vec<usize>>,
    sense_rules: Vec<SenseRule>,
}

/// What a sense rule does when its context is (or is not) present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SenseAction {
    Drop,
    Keep,
    Retype(&'static str),
}

/// Where a sense rule looks for its context words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SenseScope {
    Before,
    After,
    Near,
    Sentence,
}

/// One line of `resources/event/senses.txt`.
#[derive(Debug, Clone)]
struct SenseRule {
    action: SenseAction,
    scope: SenseScope,
    words: Vec<String>,
}

/// The words of one sentence (the document's tokens, absolute byte offsets) with a cursor
/// view for a trigger: what comes before and after.
struct SentenceWords<'w, 'a> {
    words: &'w [Word<'a>],
}

impl<'w, 'a> SentenceWords<'w, 'a> {
    fn new(stream: &'w WordStream<'a>, s: &Range<usize>) -> Self {
        SentenceWords { words: stream.words_in(s.clone()) }
    }

    /// Index of the first word at or after byte `pos`.
    fn index_at(&self, pos: usize) -> usize {
        self.words.partition_point(|w| w.end <= pos)
    }

    /// The `k`-th word before byte `pos` (k = 1 is the word just before).
    fn before(&self, pos: usize, k: usize) -> Option<&'a str> {
        self.index_at(pos).checked_sub(k).map(|i| self.words[i].text)
    }

    /// The `k`-th word after byte `pos` (k = 1 is the word just after).
    fn after(&self, pos: usize, k: usize) -> Option<&'a str> {
        let first = self.words.partition_point(|w| w.start < pos);
        self.words.get(first + k - 1).map(|w| w.text)
    }

    fn any_before(&self, pos: usize, n: usize, set: &[&str]) -> bool {
        (1..=n).filter_map(|k| self.before(pos, k)).any(|w| set.iter().any(|x| w.eq_ignore_ascii_case(x)))
    }

    fn any_after(&self, pos: usize, n: usize, set: &[&str]) -> bool {
        (1..=n).filter_map(|k| self.after(pos, k)).any(|w| set.iter().any(|x| w.eq_ignore_ascii_case(x)))
    }

    fn count_between(&self, a: usize, b: usize) -> usize {
        let (a, b) = (a.min(b), a.max(b));
        self.words.iter().filter(|w| w.start >= a && w.end <= b).count()
    }

    /// A subordinating word between two points ("X cancelled flights as crew began…"),
    /// not counting "known as", "such as", "as well as".
    fn subordinate_between(&self, a: usize, b: usize) -> bool {
        let (a, b) = (a.min(b), a.max(b));
        let from = self.index_at(a);
        (from..self.words.len()).take_while(|&i| self.words[i].end <= b).any(|i| {
            let w = self.words[i].text;
            SUBORDINATORS.iter().any(|x| w.eq_ignore_ascii_case(x))
                && !(w.eq_ignore_ascii_case("as")
                    && i > 0
                    && ["known", "such", "well", "so", "same"]
                        .iter()
                        .any(|x| self.words[i - 1].text.eq_ignore_ascii_case(x)))
        })
    }
}

/// Words that open a subordinate clause with its own subject ("as cabin crew began").
const SUBORDINATORS: &[&str] = &[
    "as", "when", "while", "because", "although", "though", "whereas", "if", "unless", "until", "since", "after",
    "before",
];
/// Modal words that make a happening hypothetical ("would withdraw", "the fall of X would").
const MODALS: &[&str] = &["would", "could", "might", "may", "should", "can", "cannot"];
/// Verbs whose complement is a happening averted, not one that happened.
const AVERTING: &[&str] = &["allow", "prevent", "avert", "avoid", "forestall"];
/// Determiners that mark a trigger used as a noun ("the fall", "its withdrawal").
const NOUN_MARKERS: &[&str] = &["the", "its", "his", "her", "their", "s", "a", "an", "this", "that"];

impl EventRecognizer {
    pub fn new() -> Result<Self, ExtractError> {
        let file = "event/triggers.txt";
        let mut forms = Vec::new();
        let mut types = Vec::new();
        let mut seen = FastSet::default();
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
        let automaton = lexicon::WordMatcher::new(&forms);
        let (senses, sense_rules) = load_senses(&forms)?;
        Ok(EventRecognizer { automaton, types, senses, sense_rules })
    }

    /// The type a trigger has in its context, or None when the context says it is no event.
    fn sense(
        &self,
        pattern: usize,
        kind: &'static str,
        words: &SentenceWords,
        ts: usize,
        te: usize,
    ) -> Option<&'static str> {
        for &r in &self.senses[pattern] {
            let rule = &self.sense_rules[r];
            // `<number>` stands for any numeral ("fell to 24%").
            let hit = |w: &str| {
                rule.words.iter().any(|x| {
                    w.eq_ignore_ascii_case(x) || (x == "<number>" && w.starts_with(|c: char| c.is_ascii_digit()))
                })
            };
            let present = match rule.scope {
                SenseScope::Before => (1..=2).filter_map(|k| words.before(ts, k)).any(hit),
                SenseScope::After => (1..=2).filter_map(|k| words.after(te, k)).any(hit),
                SenseScope::Near => {
                    (1..=4).filter_map(|k| words.before(ts, k)).any(hit)
                        || (1..=4).filter_map(|k| words.after(te, k)).any(hit)
                }
                SenseScope::Sentence => words.words.iter().any(|w| hit(w.text)),
            };
            match (rule.action, present) {
                (SenseAction::Drop, true) => return None,
                (SenseAction::Keep, false) => return None,
                (SenseAction::Retype(t), true) => return Some(t),
                _ => {}
            }
        }
        Some(kind)
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
        self.find_in(&DocText::with_sentences(text, sentences), found, dates, attributions, map)
    }

    /// [`find`](Self::find) over a document segmented and tokenised once for all stages:
    /// triggers are looked up at its run starts only.
    pub fn find_in(
        &self,
        doc: &DocText,
        found: &EntityResult,
        dates: &[DateMention],
        attributions: &[Attribution],
        map: &CharMap,
    ) -> Vec<Event> {
        let (text, sentences, stream) = (doc.text, &doc.sentences[..], &doc.words);
        // Who is credited with a statement is not who acted in it.
        let sources: Vec<(usize, usize)> = attributions
            .iter()
            .filter_map(|a| a.source_span)
            .map(|sp| (map.byte_offset(sp.start), map.byte_offset(sp.end)))
            .collect();
        let mut sources = sources;
        sources.sort_unstable();
        let mut quotes = crate::attribution::quotation_spans_in(text, &doc.paragraphs);
        quotes.sort_unstable();
        let lede = lede_sentence(text, sentences, stream);
        let mut pending: Vec<Event> = Vec::new();
        let armed = armed_group(text, stream, found);
        let mut out: Vec<Event> = Vec::new();
        let mut triggers = Vec::new();
        for s in sentences {
            let slice = &text[s.clone()];
            triggers.clear();
            self.automaton.find_whole_words_at(slice, s.start, stream.runs_in(s.clone()), &mut triggers);
            if triggers.is_empty() {
                continue;
            }
            let all_parties = parties(text, s.clone(), stream, found, &sources, armed.as_deref());
            let words = SentenceWords::new(stream, s);
            let sentence_chars = map.span(s.start, s.end);
            let date = dates
                .iter()
                .find(|d| {
                    d.span.start >= sentence_chars.start && d.span.end <= sentence_chars.end && d.resolved.is_some()
                })
                .and_then(|d| d.resolved.clone());
            for &(ms, me, pattern) in &triggers {
                let (ts, te) = (s.start + ms, s.start + me);
                // Quotations are in text order and do not overlap: only the last one opened
                // before the trigger can hold it.
                let quoted = quotes[..quotes.partition_point(|q| q.0 < ts)].last().is_some_and(|q| te < q.1);
                if found.entity_covering(ts, te).is_some() || quoted {
                    continue;
                }
                let Some(kind) = self.sense(pattern, self.types[pattern], &words, ts, te) else { continue };
                let trigger = &text[ts..te];
                let prev = |k: usize| words.before(ts, k);
                // "have been moving out" is progressive, not passive.
                let progressive = trigger.split_whitespace().next().is_some_and(|w| w.ends_with("ing"));
                let passive = !progressive
                    && [prev(1), prev(2)]
                        .iter()
                        .flatten()
                        .any(|w| PASSIVE_AUXILIARIES.iter().any(|a| w.eq_ignore_ascii_case(a)));
                // "n't" splits into a word "t".
                let negated = words.any_before(ts, 3, NEGATIONS)
                    || (1..=3).filter_map(prev).any(|w| w == "t" || w.ends_with("n't") || w.ends_with("n’t"));
                let nominal = prev(1).is_some_and(|w| {
                    NOUN_MARKERS.iter().any(|m| w.eq_ignore_ascii_case(m)) || w.ends_with("'s") || w.ends_with("’s")
                });
                // "would withdraw", "can fall", "the fall of Damascus would…": not a happening.
                // "… to not allow the regime fall", "to prevent a collapse": what is to be averted.
                let hypothetical = words.any_before(ts, 3, MODALS)
                    || (nominal && words.any_after(te, 3, MODALS))
                    || words.any_before(ts, 5, AVERTING);
                if hypothetical {
                    continue;
                }
                // "had won all her matches": background, not the news.
                // "…, who resigned last week": a relative clause tells background too.
                if kind == "other"
                    && prev(1).is_some_and(|w| ["had", "who", "which"].iter().any(|x| w.eq_ignore_ascii_case(x)))
                {
                    continue;
                }
                let after = &text[te..s.end];
                // "the withdrawal of X" names X; "pulled out of X" is a phrasal verb and a place.
                let phrasal = [" out", " back", " over", " off"].iter().any(|p| trigger.ends_with(p));
                let noun_of = !phrasal && lexicon::head(after.trim_start(), 3).eq_ignore_ascii_case("of ");
                let clause_between = |a: usize, b: usize| clause_break(&text[a.min(b)..b.max(a)]);
                let speech = SPEECH_TYPES.contains(&kind);
                let parties: Vec<&Party> = all_parties.iter().filter(|p| speech || !p.source).collect();
                // The subject: the nearest acting party before the trigger, in the same clause.
                let subject_idx = parties
                    .iter()
                    .rposition(|p| p.end <= ts && p.can_act && !p.place_phrase)
                    .filter(|&i| {
                        let p = &parties[i];
                        words.count_between(p.end, ts) <= MAX_SUBJECT_DISTANCE
                            && !clause_between(p.end, ts)
                            && !words.subordinate_between(p.end, ts)
                    })
                    .map(|i| noun_phrase_head(text, &parties, i));
                let subject = subject_idx.map(|i| &parties[i]);
                // "…, beating X" / "…, killing 23": a participle after a comma belongs to the
                // main clause's subject; people replace people ("named X as chief, replacing Y").
                let participle = trigger.ends_with("ing") && text[s.start..ts].trim_end().ends_with(',');
                let subject = if participle && kind == "replace" {
                    parties.iter().rev().find(|p| p.end <= ts && p.person).or(subject)
                } else if participle {
                    parties
                        .iter()
                        .position(|p| p.end <= ts && p.can_act && !p.place_phrase && !p.possessive)
                        .map(|i| &parties[noun_phrase_head(text, &parties, i)])
                        .or(subject)
                } else {
                    subject
                };
                let object = parties.iter().find(|p| {
                    p.start >= te
                        && !p.place_phrase
                        && words.count_between(te, p.start) <= 6
                        && !clause_between(te, p.start)
                });
                // "over the fall of X", "citing the killing of Y": a nominal trigger inside a
                // phrase is not done by the clause's subject.
                let in_phrase = prev(1).is_some_and(|w| ["the", "a", "an"].iter().any(|d| w.eq_ignore_ascii_case(d)))
                    && prev(2).is_some_and(|w| NOMINAL_BLOCKERS.iter().any(|b| w.eq_ignore_ascii_case(b)));
                // "… and finally support for X", "limited assistance for X": a bare noun of
                // support is given by someone named with a possessive, not by the clause subject.
                let bare_support = kind == "support"
                    && words.after(te, 1).is_some_and(|w| w.eq_ignore_ascii_case("for"))
                    && !prev(1).is_some_and(|w| {
                        ["its", "their", "his", "her"].iter().any(|p| w.eq_ignore_ascii_case(p))
                            || w.ends_with("'s")
                            || w.ends_with("’s")
                    });
                let subject = subject.filter(|_| !in_phrase && !bare_support);
                let between_follows = lexicon::head(after.trim_start(), 8).eq_ignore_ascii_case("between ");
                let (mut actor, mut target) = if between_follows {
                    // "a meeting between Russia's foreign minister and X": the named party meets
                    // the country of an unnamed official; otherwise the first meets the second.
                    let mut pair = parties.iter().filter(|p| p.start >= te && words.count_between(te, p.start) <= 14);
                    let first = pair.next();
                    let second = pair.find(|p| !p.possessive);
                    match (first, second) {
                        (Some(a), Some(b)) if a.possessive => (Some(b.name.clone()), Some(a.name.clone())),
                        (Some(a), b) => (Some(a.name.clone()), b.map(|b| b.name.clone())),
                        _ => (subject.map(|p| p.name.clone()), None),
                    }
                } else if noun_of {
                    let of_obj = parties
                        .iter()
                        .find(|p| p.start >= te && words.count_between(te, p.start) <= 4)
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
                    let patient = passive_patient(text, &parties, ts);
                    // "the brigade has been relocated": a unit moved acts in its own withdrawal.
                    match (agent, patient) {
                        (None, Some(p))
                            if INTRANSITIVE.contains(&kind) && kind != "other" && p.can_act && !p.location =>
                        {
                            (Some(p.name.clone()), None)
                        }
                        (agent, patient) => (agent, patient.map(|p| p.name.clone())),
                    }
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
                if actor.is_none() && !passive && matches!(prev(1), Some("he" | "she" | "He" | "She")) {
                    let upto = found.mentions.partition_point(|m| m.start < ts);
                    actor = found.mentions[..upto]
                        .iter()
                        .rev()
                        .take(200)
                        .find(|m| m.end <= ts && found.entities[m.entity].kind == EntityType::Person)
                        .map(|m| found.entities[m.entity].name.clone());
                }
                // "the offensive, which resulted in the killing of …": a consequence is done by
                // the actor of the happening it follows from, in the same sentence.
                if actor.is_none() && words.any_before(ts, 4, CAUSAL_LINKS) {
                    let here = map.span(s.start, s.end);
                    actor = out.last().filter(|e| e.span == here).and_then(|e| e.actor.clone());
                }
                // "Russian airstrikes", "an Israeli raid": the demonym names who acts.
                if actor.is_none() && !passive {
                    let first = found.demonyms.partition_point(|d| d.1 < ts.saturating_sub(1));
                    actor = found.demonyms[first..]
                        .iter()
                        .take_while(|d| d.0 < ts)
                        .find(|d| text[d.1..ts].trim().is_empty())
                        .map(|d| d.2.clone());
                }
                // "some units had been withdrawn", "$5m spent on a depot": a verb with its
                // actor left unsaid is the story's main actor's (filled in at the end); a noun
                // ("the withdrawal", "support for") is not.
                let imputed = actor.is_none() && !VICTIM_TYPES.contains(&kind);
                let someone_before = parties.iter().any(|p| p.end <= ts && p.can_act && !p.place_phrase);
                if imputed && (nominal || prev(1).is_none() || someone_before || !IMPUTABLE_TYPES.contains(&kind)) {
                    continue;
                }
                let place = parties
                    .iter()
                    .filter(|p| p.place_phrase)
                    .min_by_key(|p| if p.start >= te { p.start - te } else { ts - p.end })
                    .or_else(|| parties.iter().find(|p| p.location))
                    .map(|p| p.name.clone())
                    .filter(|p| Some(p) != actor.as_ref() || target.as_ref() == Some(p));
                // One event per happening in the document: the same type and actor again
                // ("the withdrawal", "this retreat") is the same happening unless both name
                // different targets.
                if imputed {
                    pending.push(Event {
                        kind: kind.to_string(),
                        actor: None,
                        target,
                        place,
                        date: date.clone(),
                        trigger: trigger.to_string(),
                        negated,
                        span: map.span(s.start, s.end),
                        rule: "trigger-implied-actor".into(),
                    });
                    continue;
                }
                if out.iter().any(|e| same_happening(e, kind, &actor, &target)) {
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
                // "captured Aleppo and Hama": one capture per place taken.
                if kind == "capture" {
                    let Some(mut prev_party) = object.filter(|o| o.location) else { continue };
                    let Some(first) = out.last().cloned() else { continue };
                    for next in parties.iter().filter(|p| p.start >= prev_party.end) {
                        let joint = text[prev_party.end..next.start].trim();
                        if !next.location || !matches!(joint, "," | "and" | ", and" | "&") {
                            break;
                        }
                        if !out.iter().any(|e| same_happening(e, kind, &first.actor, &Some(next.name.clone()))) {
                            out.push(Event { target: Some(next.name.clone()), ..first.clone() });
                        }
                        prev_party = next;
                    }
                }
            }
        }
        // The story's main actor: the first organisation or country that acts in it.
        let main_actor = out.iter().find_map(|e| {
            e.actor.as_ref().filter(|a| found.entities.iter().any(|x| x.name == **a && x.kind != EntityType::Person))
        });
        if let Some(main_actor) = main_actor.cloned() {
            for mut e in pending {
                e.actor = Some(main_actor.clone());
                // Unnamed-actor items in a list ("$5m spent on a depot in X", "… on a base in
                // Y") are one happening per place.
                let repeat = out.iter().any(|o| {
                    same_happening(o, &e.kind, &e.actor, &e.target)
                        && (o.rule != "trigger-implied-actor" || o.place == e.place)
                });
                if !repeat {
                    out.push(e);
                }
            }
        }
        // Every news story reports at least one happening in its lede; when no trigger of the
        // story names one, it is recorded as `other` with the lede's subject as actor.
        if let (true, Some(li)) = (out.is_empty(), lede) {
            let s = &sentences[li];
            let all_parties = parties(text, s.clone(), stream, found, &sources, armed.as_deref());
            let parties: Vec<&Party> = all_parties.iter().filter(|p| !p.source).collect();
            let words = SentenceWords::new(stream, s);
            let actor = parties
                .iter()
                .position(|p| p.can_act && !p.place_phrase && !p.possessive)
                .filter(|&i| words.count_between(s.start, parties[i].start) <= 8)
                .map(|i| parties[noun_phrase_head(text, &parties, i)].name.clone());
            let sentence_chars = map.span(s.start, s.end);
            let date = dates
                .iter()
                .find(|d| {
                    d.span.start >= sentence_chars.start && d.span.end <= sentence_chars.end && d.resolved.is_some()
                })
                .and_then(|d| d.resolved.clone());
            out.push(Event {
                kind: "other".to_string(),
                actor,
                target: None,
                place: parties.iter().find(|p| p.location).map(|p| p.name.clone()),
                date,
                trigger: String::new(),
                negated: false,
                span: sentence_chars,
                rule: "lede".into(),
            });
        }
        out
    }
}

/// Whether an event of `kind` by `actor` on `target` repeats `e`.
fn same_happening(e: &Event, kind: &str, actor: &Option<String>, target: &Option<String>) -> bool {
    let compatible = |a: &Option<String>, b: &Option<String>| a == b || a.is_none() || b.is_none();
    // The place is not compared: one happening is often placed differently across sentences.
    e.kind == kind && e.actor == *actor && (kind == "other" || compatible(&e.target, target))
}

/// A clause boundary between two points: a semicolon, colon, or an unbalanced quote mark.
fn clause_break(between: &str) -> bool {
    if between.contains([';', ':']) {
        return true;
    }
    let opening = between.matches('“').count();
    let closing = between.matches('”').count();
    opening != closing || between.matches('"').count() % 2 == 1
}

/// The head of the noun phrase whose last party is `parties[i]`: "X of the Y" → X,
/// "X (XY)" → X, "X, the Y," → X when both are the same entity; also the first member
/// of a coordinated subject ("X and the rebel Y signed" → X).
fn noun_phrase_head(text: &str, parties: &[&Party], mut i: usize) -> usize {
    while i > 0 {
        let q = parties[i - 1];
        let p = parties[i];
        if q.end > p.start {
            break;
        }
        let between = text[q.end..p.start].trim();
        let lower = between.to_ascii_lowercase();
        let same = q.name == p.name && between.chars().all(|c| !c.is_alphanumeric());
        let of = (lower == "of" || lower == "of the") && q.can_act && !q.location;
        // "Congo's government and the rebel X": the possessive names the acting country.
        let mut joint = &text[q.end..p.start];
        if let Some(rest) = joint.strip_prefix("'s").or_else(|| joint.strip_prefix("’s")) {
            let force = crosscheck_text::words(rest).next();
            if let Some(w) = force.filter(|w| FORCE_NOUNS.iter().any(|f| w.text.eq_ignore_ascii_case(f))) {
                joint = &rest[w.end..];
            }
        }
        let coordinated = q.can_act && !q.place_phrase && coordinated(joint);
        // "the Israel-Hezbollah offensive": the first of a hyphened pair.
        let paired = q.can_act && p.can_act && matches!(between, "-" | "–" | "—");
        if same || of || coordinated || paired {
            i -= 1;
        } else {
            break;
        }
    }
    i
}

/// The patient of a passive trigger at `ts`: the nearest party before it, skipping an
/// appositive ("X, one of Y's aides, was injured" → X) and possessives.
fn passive_patient<'p>(text: &str, parties: &[&'p Party], ts: usize) -> Option<&'p Party> {
    // Skip the auxiliaries and adverbs back to the subject ("…, had been seriously wounded").
    let mut before = text[..ts].trim_end();
    while let Some(last) = before.rsplit(char::is_whitespace).next() {
        let skippable = PASSIVE_AUXILIARIES
            .iter()
            .chain(&["had", "has", "have", "then", "also", "reportedly"])
            .any(|a| last.eq_ignore_ascii_case(a))
            || (last.len() > 3 && last.ends_with("ly") && last.chars().all(char::is_alphabetic));
        if !skippable {
            break;
        }
        before = before[..before.len() - last.len()].trim_end();
    }
    if let Some(inner) = before.strip_suffix(',') {
        // The appositive's opening comma is the last comma before the closing one; the
        // patient ends just before it.
        if let Some(open) = inner.rfind(',') {
            if let Some(p) = parties.iter().rev().find(|p| p.end <= open && text[p.end..open].trim().is_empty()) {
                return Some(*p);
            }
        }
    }
    parties.iter().rev().find(|p| p.end <= ts && !p.place_phrase && !p.possessive).copied()
}

/// The lede: the first sentence of the body that reads as prose (a headline or a date line
/// has no final stop or too few words).
fn lede_sentence(text: &str, sentences: &[Range<usize>], stream: &WordStream) -> Option<usize> {
    sentences.iter().position(|s| {
        // Sentences are trimmed: the words of the slice are the sentence's.
        let slice = text[s.clone()].trim_end();
        slice.ends_with(['.', '!', '?', '"', '”']) && !slice.ends_with("..") && stream.words_in(s.clone()).len() > 7
    })
}

/// Reads `resources/event/senses.txt` against the trigger forms.
fn load_senses(forms: &[String]) -> Result<(Vec<Vec<usize>>, Vec<SenseRule>), ExtractError> {
    let file = "event/senses.txt";
    let mut senses = vec![Vec::new(); forms.len()];
    let mut rules = Vec::new();
    for line in lexicon::lines(file, include_str!("../../../resources/event/senses.txt")) {
        let fields = line.fields();
        let [trigger_forms, action, scope, context] = fields[..] else {
            return Err(line.error("expected `forms | action | where | words`"));
        };
        let action = match action {
            "drop" => SenseAction::Drop,
            "keep" => SenseAction::Keep,
            t => match TYPES.iter().find(|x| **x == t) {
                Some(&t) => SenseAction::Retype(t),
                None => return Err(line.error(format!("unknown action `{t}`"))),
            },
        };
        let scope = match scope {
            "before" => SenseScope::Before,
            "after" => SenseScope::After,
            "near" => SenseScope::Near,
            "sentence" => SenseScope::Sentence,
            other => return Err(line.error(format!("unknown place `{other}`"))),
        };
        let words = context.split(',').map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()).collect();
        let index = rules.len();
        rules.push(SenseRule { action, scope, words });
        for form in trigger_forms.split(',').map(|f| f.trim().to_lowercase()).filter(|f| !f.is_empty()) {
            let Some(pattern) = forms.iter().position(|f| *f == form) else {
                return Err(line.error(format!("`{form}` is not a trigger form")));
            };
            senses[pattern].push(index);
        }
    }
    Ok((senses, rules))
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
    person: bool,
    /// Written with a possessive 's ("Khamenei's aides").
    possessive: bool,
    /// A place after "in/at/near/from/to ...".
    place_phrase: bool,
    /// Credited with a statement in the sentence: acts only in speech events (criticise,
    /// threaten), not in what the statement reports.
    source: bool,
}

/// The parties of a sentence in order: outermost entity mentions (not attribution sources)
/// and demonyms heading a force noun ("Iranian forces" → Iran).
fn parties(
    text: &str,
    s: Range<usize>,
    stream: &WordStream,
    found: &EntityResult,
    sources: &[(usize, usize)],
    armed_group: Option<&str>,
) -> Vec<Party> {
    let mut out = Vec::new();
    let acting = |start: usize, end: usize, name: &str| Party {
        start,
        end,
        name: name.to_string(),
        can_act: true,
        location: false,
        organization: true,
        person: false,
        possessive: false,
        place_phrase: false,
        source: false,
    };
    // Generic references to a party named elsewhere in the story: "the rebels" (the armed
    // group the story names) and "the regime" (of the last "Iranian regime").
    let words = stream.words_in(s.clone());
    for (i, w) in words.iter().enumerate() {
        let (ws, we) = (w.start, w.end);
        if let Some(group) = armed_group.filter(|_| GENERIC_FIGHTERS.iter().any(|g| w.text.eq_ignore_ascii_case(g))) {
            let upto = sources.partition_point(|&(a, _)| a <= ws);
            if !sources[..upto].iter().rev().take(8).any(|&(_, b)| we <= b) {
                out.push(acting(ws, we, group));
            }
            continue;
        }
        let determiner = w.text.eq_ignore_ascii_case("the") || w.text.eq_ignore_ascii_case("this");
        let head = words.get(i + 1).filter(|h| GOVERNMENT_NOUNS.iter().any(|g| h.text.eq_ignore_ascii_case(g)));
        let (true, Some(head)) = (determiner, head) else { continue };
        let next = words.get(i + 2).map(|n| n.text);
        if next.is_some_and(|n| n.eq_ignore_ascii_case("of")) || text[head.end..].starts_with(['\'', '’']) {
            continue;
        }
        if let Some(country) = last_demonym_with(text, found, ws, head.text) {
            out.push(acting(ws, head.end, country));
        }
    }
    for m in outermost(found.mentions_within(s.start, s.end)) {
        let upto = sources.partition_point(|&(a, _)| a <= m.start);
        let source = sources[..upto].iter().rev().take(8).any(|&(_, b)| m.end <= b);
        let e = &found.entities[m.entity];
        let location = e.kind == EntityType::Location;
        // The last whitespace-separated piece before the mention, found from its end (a
        // forward split would walk the whole sentence prefix for every mention).
        let prep = text[s.start..m.start].trim_end().rsplit(char::is_whitespace).next().unwrap_or_default();
        out.push(Party {
            start: m.start,
            end: m.end,
            name: e.name.clone(),
            can_act: !location || found.country.get(m.entity).copied().unwrap_or(false),
            location,
            organization: e.kind == EntityType::Organization,
            person: e.kind == EntityType::Person,
            possessive: possessive_only(&text[m.end..s.end]),
            source,
            place_phrase: location && PLACE_PREPOSITIONS.iter().any(|p| prep.eq_ignore_ascii_case(p)),
        });
    }
    let first = found.demonyms.partition_point(|d| d.0 < s.start);
    for (start, end, country) in found.demonyms[first..].iter().take_while(|d| d.0 < s.end) {
        if *end > s.end {
            continue;
        }
        // "Iranian forces", and the first of "Mozambican and Rwandan troops".
        let mut next = crosscheck_text::words(&text[*end..s.end]).take(3).map(|w| w.text);
        let is_force = |w: &str| FORCE_NOUNS.iter().any(|f| w.eq_ignore_ascii_case(f));
        let first = next.next();
        let heads_force = match first {
            Some(w) if is_force(w) => true,
            Some("and" | "or") => next.nth(1).is_some_and(is_force),
            _ => false,
        };
        if heads_force {
            out.push(Party {
                start: *start,
                end: *end,
                name: country.clone(),
                can_act: true,
                location: false,
                organization: false,
                person: false,
                possessive: false,
                place_phrase: false,
                source: false,
            });
        }
    }
    out.sort_by_key(|p| p.start);
    out
}

/// "X's aides" is a possessive; "X's government", "X's forces" name X acting.
fn possessive_only(after: &str) -> bool {
    let Some(rest) = after.strip_prefix("'s").or_else(|| after.strip_prefix("’s")) else { return false };
    !crosscheck_text::words(rest).next().is_some_and(|w| FORCE_NOUNS.iter().any(|f| w.text.eq_ignore_ascii_case(f)))
}

/// Words that link a consequence to its cause ("resulted in the killing").
const CAUSAL_LINKS: &[&str] = &["resulted", "resulting", "led", "leading", "caused", "causing"];
/// Words before "the <nominal trigger>" that make it part of a phrase, not an object.
const NOMINAL_BLOCKERS: &[&str] = &[
    "over",
    "of",
    "for",
    "after",
    "following",
    "since",
    "about",
    "despite",
    "amid",
    "with",
    "citing",
    "including",
    "by",
    "from",
    "in",
    "on",
    "at",
    "to",
    "into",
    "against",
    "during",
    "before",
    "behind",
];
/// Words that refer to a story's armed group without naming it.
const GENERIC_FIGHTERS: &[&str] =
    &["rebel", "rebels", "insurgent", "insurgents", "militants", "jihadists", "islamists", "guerrillas"];
/// Heads of "the regime", "the government": a country named before by its demonym.
const GOVERNMENT_NOUNS: &[&str] = &["regime", "government", "junta", "administration"];
/// Words just before an organisation's name that mark it as an armed group.
const ARMED_GROUP_MARKERS: &[&str] =
    &["rebel", "rebels", "islamist", "militant", "insurgent", "jihadist", "extremist", "armed", "as"];

/// The armed group a story names ("the rebel X", "the Islamist group X", "a group known as
/// X"): the organisation that "the rebels" and "insurgents" refer to.
fn armed_group(text: &str, stream: &WordStream, found: &EntityResult) -> Option<String> {
    found.mentions.iter().find_map(|m| {
        let e = &found.entities[m.entity];
        if e.kind != EntityType::Organization {
            return None;
        }
        let lead = lexicon::tail(&text[..m.start], 40);
        let lead_words = stream.words_of(text, m.start - lead.len()..m.start);
        let mut before = lead_words.iter().rev().map(|w| w.text);
        let first = before.next()?;
        let second = before.next();
        let marked = |w: &str| ARMED_GROUP_MARKERS.iter().any(|x| w.eq_ignore_ascii_case(x));
        let hit = if first.eq_ignore_ascii_case("as") {
            second.is_some_and(|w| w.eq_ignore_ascii_case("known"))
        } else if first.eq_ignore_ascii_case("group") {
            second.is_some_and(marked)
        } else {
            marked(first)
        };
        hit.then(|| e.name.clone())
    })
}

/// The country of the last "<demonym> <head>" before `pos` ("Iranian regime" → Iran).
fn last_demonym_with<'f>(text: &str, found: &'f EntityResult, pos: usize, head: &str) -> Option<&'f str> {
    let upto = found.demonyms.partition_point(|d| d.0 < pos);
    let by_demonym = found.demonyms[..upto].iter().rev().take(200).find_map(|(_, end, country)| {
        let next = crosscheck_text::words(lexicon::head(&text[*end..], 40)).next()?;
        next.text.eq_ignore_ascii_case(head).then_some(country.as_str())
    });
    // Else a country named just before with a possessive ("Iran's commanders … made this
    // regime …").
    by_demonym.or_else(|| {
        let upto = found.mentions.partition_point(|m| m.start < pos);
        found.mentions[..upto]
            .iter()
            .rev()
            .take_while(|m| m.end + 300 >= pos)
            .find(|m| {
                found.country.get(m.entity).copied().unwrap_or(false)
                    && (text[m.end..].starts_with("'s") || text[m.end..].starts_with("’s"))
            })
            .map(|m| found.entities[m.entity].name.as_str())
    })
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

    #[test]
    fn passive_with_agent_makes_the_agent_the_actor() {
        let e = events("Vladimir Putin was attacked by NATO in Kharkiv.");
        assert_eq!(e[0].kind, "attack");
        assert_eq!(e[0].actor.as_deref(), Some("NATO"));
        assert_eq!(e[0].target.as_deref(), Some("Vladimir Putin"));
    }

    #[test]
    fn a_labour_strike_is_not_an_attack() {
        let e = events("Lufthansa pilots began a 24-hour strike over pay in Frankfurt on Monday.");
        assert!(e.iter().all(|x| x.kind != "attack"), "{e:#?}");
    }

    #[test]
    fn hypothetical_happenings_are_not_events() {
        let e = events("NATO said Russia would attack Ukraine. Russia could withdraw from Kharkiv.");
        assert!(e.iter().all(|x| x.kind != "attack" && x.kind != "withdraw"), "{e:#?}");
        let e = events("NATO vowed to prevent Russia from capturing Kharkiv.");
        assert!(e.iter().all(|x| x.kind != "capture"), "{e:#?}");
    }

    #[test]
    fn one_event_per_happening_in_a_document() {
        let e = events("Russia withdrew its troops from Kharkiv on Monday. The withdrawal by Russia was slow.");
        assert_eq!(e.iter().filter(|x| x.kind == "withdraw").count(), 1, "{e:#?}");
    }

    #[test]
    fn demonym_before_a_trigger_and_coordinated_demonyms_name_the_country() {
        let e = events("Russian airstrikes hit Kharkiv overnight.");
        assert_eq!(e[0].kind, "attack");
        assert_eq!(e[0].actor.as_deref(), Some("Russia"));
        let e = events("French and German troops captured the town of Kharkiv on Monday.");
        let c = e.iter().find(|x| x.kind == "capture").expect("capture");
        assert_eq!(c.actor.as_deref(), Some("France"));
    }

    #[test]
    fn a_story_without_trigger_gets_its_lede_as_other() {
        let text = "Scientists at the World Health Organization have found a new strain of flu in Geneva, the agency said on Monday.";
        let e = events(text);
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(e[0].kind, "other");
        assert_eq!(e[0].rule, "lede");
        assert_eq!(e[0].actor.as_deref(), Some("World Health Organization"), "{e:#?}");
    }

    #[test]
    fn trigger_senses_from_context() {
        // A supply route and a funding scandal are no events; a call for an inquiry criticises.
        let e = events("Syria is the main supply route for Hezbollah. NATO resigned over a funding scandal.");
        assert!(e.iter().all(|x| x.kind != "support" && x.kind != "fund"), "{e:#?}");
        let e = events("NATO called for an inquiry into the shooting.");
        assert_eq!(e[0].kind, "criticize");
        assert_eq!(e[0].actor.as_deref(), Some("NATO"));
    }

    #[test]
    fn a_meeting_between_an_unnamed_official_and_a_named_leader() {
        let e =
            events("The plan was agreed at a meeting between France's foreign minister and Vladimir Putin in Moscow.");
        let m = e.iter().find(|x| x.kind == "meet").expect("meet");
        assert_eq!(m.actor.as_deref(), Some("Vladimir Putin"));
        assert_eq!(m.target.as_deref(), Some("France"));
    }

    #[test]
    fn a_capture_of_several_places_is_one_event_per_place() {
        let e = events("NATO captured Kharkiv and Aleppo on Monday.");
        let targets: Vec<_> = e.iter().filter(|x| x.kind == "capture").filter_map(|x| x.target.as_deref()).collect();
        assert_eq!(targets, vec!["Kharkiv", "Aleppo"], "{e:#?}");
    }

    #[test]
    fn a_relocated_unit_withdraws_and_progressive_is_not_passive() {
        let e = events("Hezbollah has been relocated to Beirut.");
        let w = e.iter().find(|x| x.kind == "withdraw").expect("withdraw");
        assert_eq!(w.actor.as_deref(), Some("Hezbollah"));
        let e = events("Russian forces have been moving out of Kharkiv.");
        let w = e.iter().find(|x| x.kind == "withdraw").expect("withdraw");
        assert_eq!(w.actor.as_deref(), Some("Russia"));
        assert_eq!(w.rule, "trigger");
    }

    #[test]
    fn a_consequence_is_done_by_the_cause_s_actor() {
        let e = events("NATO attacked the base, which resulted in the killing of many Hezbollah fighters.");
        let k = e.iter().find(|x| x.kind == "kill").expect("kill");
        assert_eq!(k.actor.as_deref(), Some("NATO"), "{e:#?}");
    }

    #[test]
    fn expressed_frustration_criticises() {
        let e = events("Vladimir Putin expressed frustration over the talks on Monday.");
        assert_eq!(e[0].kind, "criticize");
        assert_eq!(e[0].actor.as_deref(), Some("Vladimir Putin"));
    }

    #[test]
    fn warnings_that_and_risks_are_not_threats() {
        let e = events("NATO warned that prices could rise. The war threatens to derail the talks in Kharkiv.");
        assert!(e.iter().all(|x| x.kind != "threaten"), "{e:#?}");
        let e = events("NATO threatened to strike Russia.");
        assert!(e.iter().any(|x| x.kind == "threaten" && x.actor.as_deref() == Some("NATO")), "{e:#?}");
    }

    #[test]
    fn this_regime_is_the_country_named_before() {
        let e = events("The losses of Russia's commanders made this regime reduce its presence in Syria.");
        let r = e.iter().find(|x| x.kind == "reduce").expect("reduce");
        assert_eq!(r.actor.as_deref(), Some("Russia"), "{e:#?}");
    }

    #[test]
    fn bare_support_for_is_not_the_subject_s() {
        let e = events("The wars in Ukraine and Lebanon have limited support for Vladimir Putin.");
        assert!(e.iter().all(|x| x.kind != "support" || x.actor.is_none()), "{e:#?}");
        let e = events("NATO has renewed its support for Ukraine.");
        assert!(e.iter().any(|x| x.kind == "support" && x.actor.as_deref() == Some("NATO")), "{e:#?}");
    }
}
