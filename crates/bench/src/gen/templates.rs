//! The generator's data: story templates and lexicons from `resources/bench/`, parsed once
//! into slot/literal pieces so rendering is a walk over a slice with no lookups by name.
//!
//! This module owns the file formats (documented at the top of each data file) and checks
//! them strictly: an unknown slot, field or measure is an error naming the line, so a typo
//! in a data file fails the first run instead of writing `{deahts}` into a million articles.
//! It must not decide what goes into an article; that is `story`'s job.

use anyhow::{bail, Context, Result};

const STORIES: &str = include_str!("../../../../resources/bench/stories.txt");
const OUTLETS: &str = include_str!("../../../../resources/bench/outlets.txt");
const FIRST_NAMES: &str = include_str!("../../../../resources/bench/first_names.txt");
const LAST_NAMES: &str = include_str!("../../../../resources/bench/last_names.txt");
const PLACES: &str = include_str!("../../../../resources/bench/places.txt");
const SYNONYMS: &str = include_str!("../../../../resources/bench/synonyms.txt");
const WIRE_SUFFIXES: &str = include_str!("../../../../resources/bench/wire_suffixes.txt");

/// How many people (and organisations) a story can refer to: `{p1}`..`{p4}`, `{org1}`..`{org4}`.
pub const MAX_ACTORS: usize = 4;
/// `{p3}` is always the resident or witness, not an official of `{org3}`.
pub const WITNESS: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonPart {
    Full,
    Last,
    Role,
}

/// Where a measure's number lives: in the story kind or in the `[common]` section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureRef {
    Kind(usize),
    Common(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Place,
    Region,
    Country,
    Weekday,
    MonthDay,
    Family,
    Person(usize, PersonPart),
    Org(usize),
    Measure(MeasureRef),
    /// The updated value of the key measure (`{deaths.new}`).
    NewValue,
    /// Wire suffix slots.
    Reporter,
    Editor,
    Agency,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Literal(String),
    Slot(Slot),
}

pub type Template = Vec<Piece>;
/// One template line: its alternatives (at least one).
pub type Line = Vec<Template>;

#[derive(Debug, Clone)]
pub struct Measure {
    pub name: String,
    pub low: u64,
    pub high: u64,
    /// Updates lower the number (an appeal reduces a fine) instead of raising it.
    pub falls: bool,
}

#[derive(Debug, Clone)]
pub struct Org {
    /// Alternative names, one drawn per story.
    pub names: Vec<Template>,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Kind {
    pub name: String,
    pub measures: Vec<Measure>,
    pub orgs: Vec<Org>,
    pub headline: Line,
    pub lede: Line,
    pub body: Vec<Line>,
    pub quote: Vec<Line>,
    pub update: Line,
    pub accusation: Line,
    pub denial: Line,
}

#[derive(Debug, Clone)]
pub struct Outlet {
    pub name: String,
    pub domain: String,
    pub agency: bool,
}

#[derive(Debug, Clone)]
pub struct Place {
    pub town: String,
    pub region: String,
    pub country: String,
}

#[derive(Debug)]
pub struct Lexicon {
    pub kinds: Vec<Kind>,
    pub common_measures: Vec<Measure>,
    pub common_body: Vec<Line>,
    pub witness_roles: Vec<String>,
    pub agencies: Vec<Outlet>,
    pub papers: Vec<Outlet>,
    pub first_names: Vec<String>,
    pub last_names: Vec<String>,
    pub places: Vec<Place>,
    /// `(word or phrase, alternatives)`, for light rewrites.
    pub synonyms: Vec<(String, Vec<String>)>,
    pub wire_suffixes: Vec<Template>,
}

/// Data lines of a file: trimmed, without blanks and `#` comments, with 1-based numbers.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

fn fields(line: &str, n: usize, file: &str, number: usize) -> Result<Vec<String>> {
    let parts: Vec<String> = line.split('|').map(|p| p.trim().to_string()).collect();
    if parts.len() != n || parts.iter().any(String::is_empty) {
        bail!("{file}:{number}: expected {n} non-empty `|`-separated fields in {line:?}");
    }
    Ok(parts)
}

fn list(text: &str) -> Vec<String> {
    data_lines(text).map(|(_, l)| l.to_string()).collect()
}

fn comma_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Parses `{slot}` markers; measure names are resolved against the kind, then `[common]`.
fn parse_template(text: &str, kind: Option<&Kind>, common: &[Measure], key_measure: Option<&str>) -> Result<Template> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c).with_context(|| format!("unclosed `{{` in {text:?}"))?;
        if open > 0 {
            pieces.push(Piece::Literal(rest[..open].to_string()));
        }
        pieces.push(Piece::Slot(parse_slot(&rest[open + 1..close], kind, common, key_measure)?));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest.to_string()));
    }
    Ok(pieces)
}

fn parse_slot(name: &str, kind: Option<&Kind>, common: &[Measure], key_measure: Option<&str>) -> Result<Slot> {
    let fixed = match name {
        "place" => Some(Slot::Place),
        "region" => Some(Slot::Region),
        "country" => Some(Slot::Country),
        "weekday" => Some(Slot::Weekday),
        "month_day" => Some(Slot::MonthDay),
        "family" => Some(Slot::Family),
        "reporter" => Some(Slot::Reporter),
        "editor" => Some(Slot::Editor),
        "agency" => Some(Slot::Agency),
        _ => None,
    };
    if let Some(slot) = fixed {
        return Ok(slot);
    }
    let actor = |digits: &str| -> Option<usize> {
        let n: usize = digits.parse().ok()?;
        n.checked_sub(1).filter(|&i| i < MAX_ACTORS)
    };
    if let Some(rest) = name.strip_prefix("org") {
        if let Some(i) = actor(rest) {
            return Ok(Slot::Org(i));
        }
    }
    if let Some(rest) = name.strip_prefix('p') {
        let (digits, part) = match rest.split_once('.') {
            Some((d, "last")) => (d, PersonPart::Last),
            Some((d, "role")) => (d, PersonPart::Role),
            Some(_) => bail!("unknown person part in {{{name}}}"),
            None => (rest, PersonPart::Full),
        };
        if let Some(i) = actor(digits) {
            return Ok(Slot::Person(i, part));
        }
    }
    if let Some(measure) = name.strip_suffix(".new") {
        if Some(measure) == key_measure {
            return Ok(Slot::NewValue);
        }
        bail!("{{{name}}}: only the key measure ({key_measure:?}) has a `.new` value");
    }
    if let Some(i) = kind.and_then(|k| k.measures.iter().position(|m| m.name == name)) {
        return Ok(Slot::Measure(MeasureRef::Kind(i)));
    }
    if let Some(i) = common.iter().position(|m| m.name == name) {
        return Ok(Slot::Measure(MeasureRef::Common(i)));
    }
    bail!("unknown slot {{{name}}}")
}

fn parse_measure(value: &str, number: usize) -> Result<Measure> {
    let parts: Vec<&str> = value.split('|').map(str::trim).collect();
    let (name, low, high, falls) = match parts.as_slice() {
        [name, low, high] => (name, low, high, false),
        [name, low, high, "down"] => (name, low, high, true),
        _ => bail!("stories.txt:{number}: measure is `NAME | LOW | HIGH [| down]`"),
    };
    let low: u64 = low.parse().with_context(|| format!("stories.txt:{number}: LOW"))?;
    let high: u64 = high.parse().with_context(|| format!("stories.txt:{number}: HIGH"))?;
    if low == 0 || high <= low + 1 {
        bail!("stories.txt:{number}: need 0 < LOW and LOW + 1 < HIGH");
    }
    Ok(Measure { name: name.to_string(), low, high, falls })
}

/// What `stories.txt` holds: the kinds, and the `[common]` measures, bodies and witness roles.
struct Stories {
    kinds: Vec<Kind>,
    common_measures: Vec<Measure>,
    common_body: Vec<Line>,
    witness_roles: Vec<String>,
}

fn parse_stories(text: &str) -> Result<Stories> {
    // Measures and orgs come first in a section, so templates can be parsed as lines arrive;
    // the raw template lines are kept per section and parsed once the section is complete.
    struct Raw<'a> {
        kind: Kind,
        lines: Vec<(usize, &'a str, &'a str)>,
    }
    let mut sections: Vec<Raw> = Vec::new();
    for (number, line) in data_lines(text) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            sections.push(Raw { kind: Kind { name: name.to_string(), ..Kind::default() }, lines: Vec::new() });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            bail!("stories.txt:{number}: line before the first [section]");
        };
        let (field, value) =
            line.split_once(':').with_context(|| format!("stories.txt:{number}: expected `field: value`"))?;
        section.lines.push((number, field.trim(), value.trim()));
    }
    let Some(common_at) = sections.iter().position(|s| s.kind.name == "common") else {
        bail!("stories.txt: no [common] section");
    };
    let common_raw = sections.remove(common_at);
    let mut common_measures = Vec::new();
    let mut witness_roles = Vec::new();
    for &(number, field, value) in &common_raw.lines {
        match field {
            "measure" => common_measures.push(parse_measure(value, number)?),
            "witness" => witness_roles = comma_list(value),
            "body" => {}
            _ => bail!("stories.txt:{number}: [common] takes measure, witness and body lines"),
        }
    }
    let mut common_body = Vec::new();
    for &(number, field, value) in &common_raw.lines {
        if field == "body" {
            common_body.push(parse_line(value, None, &common_measures, None, number)?);
        }
    }
    let mut kinds = Vec::new();
    for mut raw in sections {
        for &(number, field, value) in &raw.lines {
            match field {
                "measure" => raw.kind.measures.push(parse_measure(value, number)?),
                "org" => {
                    // The last `|`: the names before it are separated by ` || `.
                    let (name, roles) = value
                        .rsplit_once('|')
                        .with_context(|| format!("stories.txt:{number}: org is `NAME | role, role`"))?;
                    let roles = comma_list(roles);
                    if roles.is_empty() {
                        bail!("stories.txt:{number}: org without roles");
                    }
                    let names = name
                        .split(" || ")
                        .map(|n| parse_template(n.trim(), None, &[], None))
                        .collect::<Result<Vec<_>>>()
                        .with_context(|| format!("stories.txt:{number}"))?;
                    raw.kind.orgs.push(Org { names, roles });
                }
                _ => {}
            }
        }
        let key = raw.kind.measures.first().map(|m| m.name.clone());
        let Some(key) = key else {
            bail!("stories.txt: [{}] has no measure", raw.kind.name);
        };
        if raw.kind.orgs.len() < MAX_ACTORS {
            bail!("stories.txt: [{}] needs {MAX_ACTORS} org lines", raw.kind.name);
        }
        for &(number, field, value) in &raw.lines {
            let parsed = || parse_line(value, Some(&raw.kind), &common_measures, Some(&key), number);
            match field {
                "measure" | "org" => continue,
                "headline" => raw.kind.headline = parsed()?,
                "lede" => raw.kind.lede = parsed()?,
                "update" => raw.kind.update = parsed()?,
                "accusation" => raw.kind.accusation = parsed()?,
                "denial" => raw.kind.denial = parsed()?,
                "body" => {
                    let line = parsed()?;
                    raw.kind.body.push(line);
                }
                "quote" => {
                    let line = parsed()?;
                    raw.kind.quote.push(line);
                }
                other => bail!("stories.txt:{number}: unknown field {other:?}"),
            }
        }
        let k = &raw.kind;
        for (what, line) in [
            ("headline", &k.headline),
            ("lede", &k.lede),
            ("update", &k.update),
            ("accusation", &k.accusation),
            ("denial", &k.denial),
        ] {
            if line.is_empty() {
                bail!("stories.txt: [{}] has no {what}", k.name);
            }
        }
        if k.body.len() < 2 || k.quote.is_empty() {
            bail!("stories.txt: [{}] needs at least two body lines and a quote", k.name);
        }
        let key_slot = Piece::Slot(Slot::Measure(MeasureRef::Kind(0)));
        if k.lede.iter().chain(&k.update).any(|t| !t.contains(&key_slot)) {
            bail!("stories.txt: [{}]: every lede and update must name the key measure {{{key}}}", k.name);
        }
        if k.body.iter().flatten().any(|t| t.contains(&key_slot)) {
            bail!("stories.txt: [{}]: body lines must not name the key measure {{{key}}}", k.name);
        }
        kinds.push(raw.kind);
    }
    if kinds.is_empty() {
        bail!("stories.txt: no story kinds");
    }
    if witness_roles.is_empty() {
        bail!("stories.txt: [common] has no witness roles");
    }
    Ok(Stories { kinds, common_measures, common_body, witness_roles })
}

fn parse_line(value: &str, kind: Option<&Kind>, common: &[Measure], key: Option<&str>, number: usize) -> Result<Line> {
    value
        .split(" || ")
        .map(|alt| parse_template(alt.trim(), kind, common, key).with_context(|| format!("stories.txt:{number}")))
        .collect()
}

impl Lexicon {
    /// Parses the embedded data files.
    pub fn load() -> Result<Self> {
        let Stories { kinds, common_measures, common_body, witness_roles } = parse_stories(STORIES)?;
        let mut agencies = Vec::new();
        let mut papers = Vec::new();
        for (number, line) in data_lines(OUTLETS) {
            let f = fields(line, 3, "outlets.txt", number)?;
            let agency = match f[2].as_str() {
                "agency" => true,
                "paper" => false,
                other => bail!("outlets.txt:{number}: kind {other:?} is neither agency nor paper"),
            };
            let outlet = Outlet { name: f[0].clone(), domain: f[1].clone(), agency };
            if agency {
                agencies.push(outlet);
            } else {
                papers.push(outlet);
            }
        }
        if agencies.is_empty() || papers.len() < 4 {
            bail!("outlets.txt: need an agency and at least four papers");
        }
        let places = data_lines(PLACES)
            .map(|(number, line)| {
                let f = fields(line, 3, "places.txt", number)?;
                Ok(Place { town: f[0].clone(), region: f[1].clone(), country: f[2].clone() })
            })
            .collect::<Result<Vec<_>>>()?;
        let synonyms = data_lines(SYNONYMS)
            .map(|(number, line)| {
                let (word, alts) =
                    line.split_once(':').with_context(|| format!("synonyms.txt:{number}: `word: alt, alt`"))?;
                let alts = comma_list(alts);
                if alts.is_empty() {
                    bail!("synonyms.txt:{number}: no alternatives");
                }
                Ok((word.trim().to_string(), alts))
            })
            .collect::<Result<Vec<_>>>()?;
        let wire_suffixes = data_lines(WIRE_SUFFIXES)
            .map(|(number, line)| {
                parse_template(line, None, &[], None).with_context(|| format!("wire_suffixes.txt:{number}"))
            })
            .collect::<Result<Vec<_>>>()?;
        let lexicon = Lexicon {
            kinds,
            common_measures,
            common_body,
            witness_roles,
            agencies,
            papers,
            first_names: list(FIRST_NAMES),
            last_names: list(LAST_NAMES),
            places,
            synonyms,
            wire_suffixes,
        };
        if lexicon.first_names.is_empty() || lexicon.last_names.is_empty() || lexicon.places.is_empty() {
            bail!("resources/bench: empty name or place list");
        }
        if lexicon.wire_suffixes.is_empty() {
            bail!("wire_suffixes.txt: empty");
        }
        Ok(lexicon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_parses_with_every_kind_complete() {
        let lexicon = Lexicon::load().expect("embedded data parses");
        let names: Vec<&str> = lexicon.kinds.iter().map(|k| k.name.as_str()).collect();
        for kind in ["flood", "wildfire", "attack", "election", "court", "strike", "outbreak"] {
            assert!(names.contains(&kind), "missing [{kind}]");
        }
        assert!(lexicon.kinds.iter().all(|k| k.lede.len() >= 2 && k.headline.len() >= 2));
        assert!(lexicon.kinds.iter().find(|k| k.name == "court").expect("present in the test data").measures[0].falls);
        assert!(lexicon.synonyms.iter().any(|(w, _)| w == "at least"));
    }

    #[test]
    fn slots_are_parsed_and_typos_rejected() {
        let kind = Kind {
            measures: vec![Measure { name: "deaths".into(), low: 1, high: 9, falls: false }],
            ..Kind::default()
        };
        let t =
            parse_template("{p2.role} {p2} said {deaths} died, now {deaths.new}.", Some(&kind), &[], Some("deaths"))
                .expect("present in the test data");
        assert_eq!(t[0], Piece::Slot(Slot::Person(1, PersonPart::Role)));
        assert_eq!(t[2], Piece::Slot(Slot::Person(1, PersonPart::Full)));
        assert_eq!(t[4], Piece::Slot(Slot::Measure(MeasureRef::Kind(0))));
        assert_eq!(t[6], Piece::Slot(Slot::NewValue));
        assert_eq!(t[7], Piece::Literal(".".into()));
        for bad in ["{deahts}", "{p5}", "{p1.age}", "{org0}", "{open", "{population.new}"] {
            assert!(parse_template(bad, Some(&kind), &[], Some("deaths")).is_err(), "{bad}");
        }
    }
}
