//! The earliest day an undated article can have been written, from the well-known dated events
//! it mentions (`resources/date/known_events.txt`): an article that speaks of Russia's air
//! strikes in Syria was written after they began. Used only to give a year to year-less dates
//! when the document has neither a date nor an explicit year.
//!
//! It owns the cue matching (one automaton over all cue phrases, whole words, any case, every
//! cue group of an event in one sentence); it must not resolve dates itself.

use crate::quantity::lexicon::data_lines;
use crate::ExtractError;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use jiff::civil::Date;

const EVENTS_FILE: &str = "resources/date/known_events.txt";
const EVENTS_SRC: &str = include_str!("../../../../resources/date/known_events.txt");

#[derive(Debug)]
struct Event {
    date: Date,
    groups: usize,
}

#[derive(Debug)]
pub(crate) struct KnownEvents {
    events: Vec<Event>,
    /// Pattern index → (event index, cue group index).
    cue_of: Vec<(usize, usize)>,
    automaton: AhoCorasick,
}

impl KnownEvents {
    pub fn new() -> Result<Self, ExtractError> {
        let bad = |line: usize, message: &str| ExtractError::Resource {
            file: EVENTS_FILE,
            line,
            message: message.to_string(),
        };
        let mut events = Vec::new();
        let mut cue_of = Vec::new();
        let mut phrases: Vec<&str> = Vec::new();
        for (line, text) in data_lines(EVENTS_SRC) {
            let (date, cues) = text.split_once(" : ").ok_or_else(|| bad(line, "expected `date : cues`"))?;
            let date: Date = date.trim().parse().map_err(|_| bad(line, "bad date"))?;
            let groups: Vec<&str> = cues.split(';').map(str::trim).filter(|g| !g.is_empty()).collect();
            if groups.is_empty() || groups.len() > 8 {
                return Err(bad(line, "expected one to eight cue groups"));
            }
            for (g, group) in groups.iter().enumerate() {
                for phrase in group.split('|').map(str::trim).filter(|p| !p.is_empty()) {
                    phrases.push(phrase);
                    cue_of.push((events.len(), g));
                }
            }
            events.push(Event { date, groups: groups.len() });
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&phrases)
            .map_err(|e| bad(0, &e.to_string()))?;
        Ok(KnownEvents { events, cue_of, automaton })
    }

    /// The latest known event that one sentence of `text` mentions.
    pub fn latest_mentioned(&self, text: &str) -> Option<Date> {
        let mut latest: Option<Date> = None;
        // bit g of seen[e]: cue group g of event e occurs in the current sentence
        let mut seen = vec![0u8; self.events.len()];
        for sentence in crosscheck_text::sentences(text) {
            seen.iter_mut().for_each(|s| *s = 0);
            let part = &text[sentence];
            for m in self.automaton.find_iter(part) {
                if !whole_word(part, m.start(), m.end()) {
                    continue;
                }
                let (e, g) = self.cue_of[m.pattern().as_usize()];
                seen[e] |= 1 << g;
                let event = &self.events[e];
                if seen[e].count_ones() as usize == event.groups && latest.is_none_or(|l| event.date > l) {
                    latest = Some(event.date);
                }
            }
        }
        latest
    }
}

fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
    let after = text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
    before && after
}

/// The first year at or after `floor` in which month/day does not fall before it.
pub(crate) fn year_from(floor: Date, month: i32, day: i32) -> i32 {
    let y = i32::from(floor.year());
    let (fm, fd) = (i32::from(floor.month()), i32::from(floor.day()));
    if (month, day) >= (fm, fd) {
        y
    } else {
        y + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_event_named_in_one_sentence_wins() {
        let k = KnownEvents::new().expect("events compile");
        let text = "The Syrian civil war dragged on. Russian air strikes in Syria changed the front.";
        assert_eq!(k.latest_mentioned(text), Some("2015-09-30".parse().expect("date")));
        // cue groups split across sentences do not count
        assert_eq!(k.latest_mentioned("Russia sent jets. Air strikes hit Idlib in Syria."), None);
        assert_eq!(k.latest_mentioned("Prices rose in Moscow."), None);
    }

    #[test]
    fn years_follow_the_floor() {
        let floor: Date = "2015-09-30".parse().expect("date");
        assert_eq!(year_from(floor, 12, 12), 2015);
        assert_eq!(year_from(floor, 9, 30), 2015);
        assert_eq!(year_from(floor, 3, 1), 2016);
    }
}
