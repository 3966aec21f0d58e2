//! One synthetic story: its facts (place, date, people, organisations, numbers) and the
//! articles written about it — the base article, its planted near-duplicates (wire copies,
//! light rewrites, trimmed copies), and independent articles that contradict it, update it or
//! deny something it reported — together with the truth about what was planted.
//!
//! Everything is drawn from a per-story random generator, so story `i` of seed `s` is the same
//! whatever else is generated. This module must not do IO; `gen` writes what it returns.

use aho_corasick::{AhoCorasick, MatchKind};
use anyhow::Result;

use super::templates::{
    Kind, Lexicon, Line, MeasureRef, Outlet, PersonPart, Piece, Place, Slot, Template, MAX_ACTORS, WITNESS,
};
use crate::rng::SplitMix64;

/// Why an article exists, recorded in the truth file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Base,
    /// Agency copy republished verbatim by another outlet (maybe with a credit line).
    Wire,
    /// Synonyms substituted and paragraphs reordered.
    Rewrite,
    /// The first paragraphs only.
    Trim,
    /// Another outlet's own article with a different number for the key measure.
    Contradiction,
    /// The base outlet's later article: the key measure changed.
    Update,
    /// A later article in which an accused party denies the base article's accusation.
    Denial,
}

impl Variant {
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Base => "base",
            Variant::Wire => "wire",
            Variant::Rewrite => "rewrite",
            Variant::Trim => "trim",
            Variant::Contradiction => "contradiction",
            Variant::Update => "update",
            Variant::Denial => "denial",
        }
    }

    /// Copies of the base article: the planted duplicates.
    pub fn is_copy(self) -> bool {
        matches!(self, Variant::Base | Variant::Wire | Variant::Rewrite | Variant::Trim)
    }
}

/// One generated article, not yet given its id.
#[derive(Debug, Clone)]
pub struct Article<'a> {
    pub variant: Variant,
    pub outlet: &'a Outlet,
    /// Days since 1970-01-01.
    pub day: i64,
    pub title: String,
    pub author: String,
    pub paragraphs: Vec<String>,
    /// The key measure's value as this article states it.
    pub key_value: u64,
}

impl Article<'_> {
    /// The article text as written out: paragraphs separated by blank lines.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }

    /// ISO publication date.
    pub fn date(&self) -> String {
        iso_date(self.day)
    }
}

/// A story's articles and what was planted in them (indices into `articles`).
#[derive(Debug)]
pub struct Story<'a> {
    pub kind: &'a str,
    pub key_measure: &'a str,
    pub articles: Vec<Article<'a>>,
    /// Who denies, when the story has a denial article: organisation and/or person names.
    pub denier: Vec<String>,
}

struct Person {
    first: usize,
    last: usize,
    role: String,
}

/// The facts every article of one story shares.
struct Facts<'a> {
    kind: &'a Kind,
    place: &'a Place,
    family: &'a str,
    people: Vec<Person>,
    orgs: Vec<String>,
    values: Vec<u64>,
    common_values: Vec<u64>,
    new_value: u64,
}

/// What changes from one article to the next while rendering.
#[derive(Clone, Copy)]
struct Scene<'a> {
    key_value: u64,
    day: i64,
    agency: &'a str,
    reporter: &'a str,
    editor: &'a str,
}

/// What one independent article of a story tells: the alternative wording (`offset`), its
/// share of the background lines, and where its quote is drawn from.
#[derive(Clone, Copy)]
struct Share<'s> {
    offset: usize,
    lines: &'s [usize],
    quote_from: usize,
}

/// The generator: the lexicon plus automata built from it once.
pub struct StoryWriter {
    pub lexicon: Lexicon,
    synonyms: AhoCorasick,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
/// Share of synonym matches swapped in every base article (house style) and again in rewrites.
const STYLE_PERCENT: usize = 75;
const REWRITE_PERCENT: usize = 60;
/// Stories happen between 2025-01-01 and the end of 2026.
const FIRST_DAY: i64 = 20089;
const DAYS: u64 = 730;

/// `(year, month 1-12, day 1-31)` of a day count since 1970-01-01 (proleptic Gregorian).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

pub fn iso_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn weekday(days: i64) -> &'static str {
    WEEKDAYS[(days + 4).rem_euclid(7) as usize]
}

/// Writes `n` with thousands separators ("12,500").
pub fn push_number(out: &mut String, n: u64) {
    let digits = n.to_string();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
}

fn pick<'a, T>(rng: &mut SplitMix64, items: &'a [T]) -> &'a T {
    &items[rng.range(0, items.len())]
}

fn chance(rng: &mut SplitMix64, percent: usize) -> bool {
    rng.range(0, 100) < percent
}

/// A number visibly different from `value`: 55-85% or 120-180% of it, never equal.
fn other_value(rng: &mut SplitMix64, value: u64) -> u64 {
    let percent = if chance(rng, 50) { rng.range(55, 86) } else { rng.range(120, 181) } as u64;
    let other = (value * percent / 100).max(1);
    if other == value {
        value + 1 + rng.range(0, 3) as u64
    } else {
        other
    }
}

/// The later value of a key measure: higher, or lower for measures that fall (`| down`).
fn changed_value(rng: &mut SplitMix64, value: u64, falls: bool) -> u64 {
    if falls {
        let lower = value * rng.range(40, 81) as u64 / 100;
        lower.clamp(1, value.saturating_sub(1).max(1))
    } else {
        (value * rng.range(110, 161) as u64 / 100).max(value + 1)
    }
}

impl StoryWriter {
    pub fn new() -> Result<Self> {
        let lexicon = Lexicon::load()?;
        let synonyms = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(lexicon.synonyms.iter().map(|(w, _)| w.as_str()))?;
        Ok(StoryWriter { lexicon, synonyms })
    }

    fn full_name(&self, person: &Person, out: &mut String) {
        out.push_str(&self.lexicon.first_names[person.first]);
        out.push(' ');
        out.push_str(&self.lexicon.last_names[person.last]);
    }

    fn random_name(&self, rng: &mut SplitMix64) -> String {
        format!("{} {}", pick(rng, &self.lexicon.first_names), pick(rng, &self.lexicon.last_names))
    }

    fn render(&self, template: &Template, facts: &Facts, scene: &Scene, out: &mut String) {
        for piece in template {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Slot(slot) => self.render_slot(*slot, facts, scene, out),
            }
        }
    }

    fn render_slot(&self, slot: Slot, facts: &Facts, scene: &Scene, out: &mut String) {
        match slot {
            Slot::Place => out.push_str(&facts.place.town),
            Slot::Region => out.push_str(&facts.place.region),
            Slot::Country => out.push_str(&facts.place.country),
            Slot::Weekday => out.push_str(weekday(scene.day)),
            Slot::MonthDay => {
                let (_, month, day) = civil_from_days(scene.day);
                out.push_str(MONTHS[month as usize - 1]);
                out.push(' ');
                push_number(out, u64::from(day));
            }
            Slot::Family => out.push_str(facts.family),
            Slot::Person(i, part) => {
                let person = &facts.people[i];
                match part {
                    PersonPart::Full => self.full_name(person, out),
                    PersonPart::Last => out.push_str(&self.lexicon.last_names[person.last]),
                    PersonPart::Role => out.push_str(&person.role),
                }
            }
            Slot::Org(i) => out.push_str(&facts.orgs[i]),
            Slot::Measure(MeasureRef::Kind(0)) => push_number(out, scene.key_value),
            Slot::Measure(MeasureRef::Kind(i)) => push_number(out, facts.values[i]),
            Slot::Measure(MeasureRef::Common(i)) => push_number(out, facts.common_values[i]),
            Slot::NewValue => push_number(out, facts.new_value),
            Slot::Reporter => out.push_str(scene.reporter),
            Slot::Editor => out.push_str(scene.editor),
            Slot::Agency => out.push_str(scene.agency),
        }
    }

    /// Alternative `(choice + offset) % n` of a line: offset 0 is the base article's wording,
    /// other offsets give an independent article different wording where the line has any.
    fn line(&self, line: &Line, choice: usize, offset: usize, facts: &Facts, scene: &Scene) -> String {
        let mut out = String::with_capacity(200);
        self.render(&line[(choice + offset) % line.len()], facts, scene, &mut out);
        out
    }

    fn facts<'a>(&'a self, rng: &mut SplitMix64) -> Facts<'a> {
        let lex = &self.lexicon;
        let kind = pick(rng, &lex.kinds);
        let place = pick(rng, &lex.places);
        let family = pick(rng, &lex.last_names).as_str();
        let values: Vec<u64> =
            kind.measures.iter().map(|m| rng.range(m.low as usize, m.high as usize) as u64).collect();
        let common_values =
            lex.common_measures.iter().map(|m| rng.range(m.low as usize, m.high as usize) as u64).collect();
        let new_value = changed_value(rng, values[0], kind.measures[0].falls);
        let mut facts = Facts {
            kind,
            place,
            family,
            people: Vec::with_capacity(MAX_ACTORS),
            orgs: Vec::with_capacity(MAX_ACTORS),
            values,
            common_values,
            new_value,
        };
        for i in 0..MAX_ACTORS {
            let roles = if i == WITNESS { &lex.witness_roles } else { &kind.orgs[i].roles };
            let person = Person {
                first: rng.range(0, lex.first_names.len()),
                last: rng.range(0, lex.last_names.len()),
                role: pick(rng, roles).clone(),
            };
            facts.people.push(person);
        }
        let scene = Scene { key_value: 0, day: 0, agency: "", reporter: "", editor: "" };
        for org in kind.orgs.iter().take(MAX_ACTORS) {
            let mut name = String::new();
            self.render(pick(rng, &org.names), &facts, &scene, &mut name);
            facts.orgs.push(name);
        }
        facts
    }

    /// Replaces some synonyms (whole words only) so a copy reads as lightly edited.
    fn rewrite(&self, text: &str, percent: usize, rng: &mut SplitMix64) -> String {
        let mut out = String::with_capacity(text.len() + 32);
        let mut last = 0;
        let bytes = text.as_bytes();
        for m in self.synonyms.find_iter(text) {
            let before_ok = m.start() == 0 || !bytes[m.start() - 1].is_ascii_alphanumeric();
            let after_ok = m.end() == bytes.len() || !bytes[m.end()].is_ascii_alphanumeric();
            if before_ok && after_ok && chance(rng, percent) {
                out.push_str(&text[last..m.start()]);
                let alternative: &String = pick(rng, &self.lexicon.synonyms[m.pattern().as_usize()].1);
                out.push_str(alternative);
                last = m.end();
            }
        }
        out.push_str(&text[last..]);
        out
    }

    /// Story number `index` of a corpus generated with `seed`.
    pub fn story(&self, seed: u64, index: u64) -> Story<'_> {
        let mut rng = SplitMix64(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
        rng.next_u64();
        let lex = &self.lexicon;
        let facts = self.facts(&mut rng);
        let kind = facts.kind;
        let day = FIRST_DAY + rng.range(0, DAYS as usize) as i64;
        let key = facts.values[0];
        let singleton = chance(&mut rng, 20);
        let wires = if singleton { 0 } else { rng.range(0, 4) };
        let rewrite = !singleton && chance(&mut rng, 50);
        let trim = !singleton && chance(&mut rng, 40);
        let contradiction = !singleton && chance(&mut rng, 60);
        let update = chance(&mut rng, if singleton { 15 } else { 40 });
        let denial = !singleton && chance(&mut rng, 35);

        let base_outlet =
            if wires > 0 && chance(&mut rng, 60) { pick(&mut rng, &lex.agencies) } else { pick(&mut rng, &lex.papers) };
        // Distinct papers for the other articles, starting at a random one.
        let paper_start = rng.range(0, lex.papers.len());
        let mut papers = lex.papers.iter().cycle().skip(paper_start).filter(|p| p.name != base_outlet.name);

        let reporter = self.random_name(&mut rng);
        let editor = self.random_name(&mut rng);
        let base_scene = Scene { key_value: key, day, agency: &base_outlet.name, reporter: &reporter, editor: &editor };

        // The base article: lede, kind bodies and two common bodies shuffled, quotes after the
        // second paragraph, the accusation when a denial will follow.
        let choices: Vec<usize> = (0..16).map(|_| rng.range(0, 3)).collect();
        let headline_choice = rng.range(0, kind.headline.len());
        let mut paragraphs = Vec::with_capacity(12);
        let mut lede = self.line(&kind.lede, choices[0], 0, &facts, &base_scene);
        if base_outlet.agency {
            lede =
                format!("{}, {} ({}) — {lede}", facts.place.town.to_uppercase(), facts.place.country, base_outlet.name);
        }
        paragraphs.push(lede);
        // A different subset of the background in every story, so stories of one kind share
        // few sentences (different stories should not look like near-duplicates).
        let mut body_lines: Vec<usize> = (0..kind.body.len()).collect();
        rng.shuffle(&mut body_lines);
        body_lines.truncate((kind.body.len() * 3).div_ceil(5).max(2));
        let mut bodies: Vec<String> =
            body_lines.iter().map(|&i| self.line(&kind.body[i], choices[1 + i % 8], 0, &facts, &base_scene)).collect();
        let mut common: Vec<usize> = (0..lex.common_body.len()).collect();
        rng.shuffle(&mut common);
        for &c in common.iter().take(2) {
            bodies.push(self.line(&lex.common_body[c], choices[9], 0, &facts, &base_scene));
        }
        rng.shuffle(&mut bodies);
        let quotes: Vec<String> = kind
            .quote
            .iter()
            .enumerate()
            .map(|(i, l)| self.line(l, choices[10 + i % 4], 0, &facts, &base_scene))
            .collect();
        // A quote after the second body paragraph and after every third one from there.
        let mut quotes = quotes.into_iter();
        for (i, body) in bodies.into_iter().enumerate() {
            paragraphs.push(body);
            if i % 3 == 1 {
                paragraphs.extend(quotes.next());
            }
        }
        paragraphs.extend(quotes);
        if denial {
            paragraphs
                .insert(2.min(paragraphs.len()), self.line(&kind.accusation, choices[14], 0, &facts, &base_scene));
        }
        // The outlet's house style: some words swapped, which also varies the wording between
        // stories of one kind.
        for p in paragraphs.iter_mut() {
            *p = self.rewrite(p, STYLE_PERCENT, &mut rng);
        }
        let headline = |offset: usize, scene: &Scene| self.line(&kind.headline, headline_choice, offset, &facts, scene);
        let base = Article {
            variant: Variant::Base,
            outlet: base_outlet,
            day,
            title: headline(0, &base_scene),
            author: reporter.clone(),
            paragraphs,
            key_value: key,
        };

        let mut articles = Vec::with_capacity(8);
        for _ in 0..wires {
            let outlet = papers.next().unwrap_or(base_outlet);
            let mut copy = base.clone();
            copy.variant = Variant::Wire;
            copy.outlet = outlet;
            copy.day = day + i64::from(chance(&mut rng, 20));
            if chance(&mut rng, 50) {
                copy.title = headline(1, &base_scene);
            }
            if chance(&mut rng, 70) {
                let suffix = pick(&mut rng, &lex.wire_suffixes);
                let mut line = String::new();
                self.render(suffix, &facts, &base_scene, &mut line);
                copy.paragraphs.push(line);
            }
            articles.push(copy);
        }
        if rewrite {
            let mut copy = base.clone();
            copy.variant = Variant::Rewrite;
            copy.outlet = papers.next().unwrap_or(base_outlet);
            copy.day = day + i64::from(chance(&mut rng, 30));
            copy.title = headline(2, &base_scene);
            copy.author = self.random_name(&mut rng);
            for p in copy.paragraphs.iter_mut() {
                *p = self.rewrite(p, REWRITE_PERCENT, &mut rng);
            }
            let n = copy.paragraphs.len();
            for _ in 0..2 {
                if n > 3 {
                    let (a, b) = (rng.range(1, n), rng.range(1, n));
                    copy.paragraphs.swap(a, b);
                }
            }
            articles.push(copy);
        }
        if trim {
            let mut copy = base.clone();
            copy.variant = Variant::Trim;
            copy.outlet = papers.next().unwrap_or(base_outlet);
            let keep = (copy.paragraphs.len() * rng.range(5, 9)).div_ceil(10).max(2);
            copy.paragraphs.truncate(keep);
            articles.push(copy);
        }
        // The background lines split between the independent articles (contradiction, update).
        let mut background: Vec<usize> = (0..kind.body.len()).collect();
        rng.shuffle(&mut background);
        let half = background.len().div_ceil(2);
        if contradiction {
            let outlet = papers.next().unwrap_or(base_outlet);
            let other = other_value(&mut rng, key);
            let scene = Scene { key_value: other, ..base_scene };
            let author = self.random_name(&mut rng);
            let mut article = self.independent(
                &facts,
                &scene,
                &choices,
                Share { offset: 1, lines: &background[..half], quote_from: 0 },
                &mut rng,
                Variant::Contradiction,
            );
            article.title = headline(1, &scene);
            article.outlet = outlet;
            article.author = author;
            article.day = day + i64::from(chance(&mut rng, 40));
            articles.push(article);
        }
        if update {
            let later = day + rng.range(1, 4) as i64;
            let scene = Scene { key_value: key, day: later, ..base_scene };
            // A follow-up written afresh (the other wording of each background line, then the
            // writer's own word choices), not the base article's paragraphs reused: reused
            // background made a third of the updates near-duplicates of their base.
            let mut article = self.independent(
                &facts,
                &scene,
                &choices,
                Share { offset: 1, lines: &background[half..], quote_from: 2 },
                &mut rng,
                Variant::Update,
            );
            for p in article.paragraphs.iter_mut() {
                *p = self.rewrite(p, REWRITE_PERCENT, &mut rng);
            }
            article.paragraphs[0] = self.line(&kind.update, choices[15], 0, &facts, &scene);
            article.title = self.headline_from_lede(&article.paragraphs[0]);
            article.outlet = base_outlet;
            article.author = reporter.clone();
            article.day = later;
            article.key_value = facts.new_value;
            articles.push(article);
        }
        let mut denier = Vec::new();
        if denial {
            let later = day + rng.range(1, 3) as i64;
            let scene = Scene { key_value: key, day: later, ..base_scene };
            let template = &kind.denial[(choices[14] + 1) % kind.denial.len()];
            for piece in template {
                match piece {
                    Piece::Slot(Slot::Org(i)) => denier.push(facts.orgs[*i].clone()),
                    Piece::Slot(Slot::Person(i, PersonPart::Full)) => {
                        let mut name = String::new();
                        self.full_name(&facts.people[*i], &mut name);
                        denier.push(name);
                    }
                    _ => {}
                }
            }
            let mut first = String::new();
            self.render(template, &facts, &scene, &mut first);
            let mut paragraphs = vec![first.clone()];
            paragraphs.push(self.line(&kind.accusation, choices[14], 1, &facts, &scene));
            // Then general background (the [common] lines many stories share), not this story's
            // own background, which the contradiction and update already tell in their words.
            for c in 0..2 {
                let line = &lex.common_body[(choices[1 + c] * 5 + c) % lex.common_body.len()];
                paragraphs.push(self.line(line, choices[1 + c], 1, &facts, &scene));
            }
            articles.push(Article {
                variant: Variant::Denial,
                outlet: papers.next().unwrap_or(base_outlet),
                day: later,
                title: self.headline_from_lede(&first),
                author: self.random_name(&mut rng),
                paragraphs,
                key_value: key,
            });
        }
        articles.insert(0, base);
        Story { kind: &kind.name, key_measure: &kind.measures[0].name, articles, denier }
    }

    /// Another outlet's (or a later) article on the same facts, worded with alternative
    /// `offset`: a lede, the background `lines` (each independent article of a story gets its
    /// own share of the background, so two of them do not repeat each other's sentences, as
    /// independently written reports do not), one quote from `quote_from` on.
    fn independent<'a>(
        &'a self,
        facts: &Facts<'a>,
        scene: &Scene,
        choices: &[usize],
        share: Share<'_>,
        rng: &mut SplitMix64,
        variant: Variant,
    ) -> Article<'a> {
        let Share { offset, lines, quote_from } = share;
        let kind = facts.kind;
        let mut paragraphs = vec![self.line(&kind.lede, choices[0], offset, facts, scene)];
        for &i in lines {
            paragraphs.push(self.line(&kind.body[i], choices[1 + i % 8], offset, facts, scene));
        }
        let quote = (quote_from + rng.range(0, 2)) % kind.quote.len();
        paragraphs.insert(2, self.line(&kind.quote[quote], choices[10 + quote % 4], offset, facts, scene));
        for p in paragraphs.iter_mut() {
            *p = self.rewrite(p, STYLE_PERCENT, rng);
        }
        Article {
            variant,
            outlet: &self.lexicon.papers[0],
            day: scene.day,
            title: String::new(),
            author: String::new(),
            paragraphs,
            key_value: scene.key_value,
        }
    }

    /// A headline from a lede: its first clause (up to ", " or ". "), at most 12 words.
    fn headline_from_lede(&self, lede: &str) -> String {
        let clause = lede.split(", ").next().unwrap_or(lede);
        let clause = clause.split(". ").next().unwrap_or(clause).trim_end_matches('.');
        let words: Vec<&str> = clause.split_whitespace().take(12).collect();
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_and_weekdays() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(iso_date(FIRST_DAY), "2025-01-01");
        assert_eq!(weekday(FIRST_DAY), "Wednesday");
        assert_eq!(iso_date(FIRST_DAY + 59), "2025-03-01");
        assert_eq!(iso_date(FIRST_DAY + 365 + 59), "2026-03-01");
    }

    #[test]
    fn numbers_get_thousands_separators() {
        for (n, s) in [(0, "0"), (999, "999"), (1000, "1,000"), (25000, "25,000"), (1234567, "1,234,567")] {
            let mut out = String::new();
            push_number(&mut out, n);
            assert_eq!(out, s);
        }
    }

    #[test]
    fn changed_and_other_values_differ() {
        let mut rng = SplitMix64(3);
        for value in [2, 3, 10, 57, 4000] {
            for _ in 0..50 {
                assert_ne!(other_value(&mut rng, value), value);
                assert!(changed_value(&mut rng, value, false) > value);
                assert!(changed_value(&mut rng, value, true) < value || value <= 1);
            }
        }
    }

    #[test]
    fn stories_are_deterministic_and_plant_what_they_claim() {
        let writer = StoryWriter::new().expect("embedded data parses");
        let mut seen = [false; 7];
        for index in 0..300 {
            let story = writer.story(42, index);
            let again = writer.story(42, index);
            assert_eq!(story.articles.len(), again.articles.len());
            assert_eq!(story.articles[0].paragraphs, again.articles[0].paragraphs);
            let base = &story.articles[0];
            assert_eq!(base.variant, Variant::Base);
            let text = base.paragraphs.join("\n\n");
            assert!(!text.contains('{') && !text.contains('}'), "unrendered slot in {text}");
            let words = text.split_whitespace().count();
            assert!((120..900).contains(&words), "{words} words: {text}");
            let mut key = String::new();
            push_number(&mut key, base.key_value);
            assert!(base.paragraphs[0].contains(&key), "lede lacks the key value {key}: {}", base.paragraphs[0]);
            for a in &story.articles {
                seen[a.variant as usize] = true;
                match a.variant {
                    Variant::Wire => assert!(a.paragraphs.starts_with(&base.paragraphs)),
                    Variant::Trim => assert!(base.paragraphs.starts_with(&a.paragraphs)),
                    Variant::Contradiction => assert_ne!(a.key_value, base.key_value),
                    Variant::Update => {
                        assert_ne!(a.key_value, base.key_value);
                        assert_eq!(a.outlet.name, base.outlet.name);
                        assert!(a.day > base.day);
                    }
                    Variant::Denial => assert!(!story.denier.is_empty()),
                    _ => {}
                }
                if a.variant != Variant::Base {
                    assert!(a.variant == Variant::Update || a.outlet.name != base.outlet.name, "{:?}", a.variant);
                }
            }
        }
        assert!(seen.iter().all(|&s| s), "every variant appears in 300 stories: {seen:?}");
    }

    #[test]
    fn headlines_from_ledes_keep_numbers_whole() {
        let writer = StoryWriter::new().expect("embedded data parses");
        let title = writer
            .headline_from_lede("The final count gave Ana Ruiz 414,544 votes, revised from 357,366, officials said.");
        assert_eq!(title, "The final count gave Ana Ruiz 414,544 votes");
    }

    #[test]
    fn rewrites_replace_whole_words_only() {
        let writer = StoryWriter::new().expect("embedded data parses");
        let mut rng = SplitMix64(1);
        let mut changed = false;
        for _ in 0..20 {
            let out = writer.rewrite("The officials said homes were damaged; saidx stays.", 60, &mut rng);
            assert!(out.contains("saidx stays"));
            changed |= out != "The officials said homes were damaged; saidx stays.";
        }
        assert!(changed);
    }
}
