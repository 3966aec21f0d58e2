//! The Markdown rendering of a [`StoryReport`], for reading in a terminal or a Markdown viewer.
//! Every item ends with its evidence, `doc@start-end` (char offsets into that document).

use crate::{Sourced, StoryReport};
use crosscheck_model::EntityType;
use std::fmt::Write;

/// Items listed per section before the rest is summarised as "… and N more".
const SECTION_LIMIT: usize = 200;
/// Mentions shown per entity.
const MENTIONS_SHOWN: usize = 6;

pub fn render_markdown(r: &StoryReport) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail; the results are ignored on purpose.
    let _ = write_report(&mut s, r);
    s
}

fn write_report(s: &mut String, r: &StoryReport) -> std::fmt::Result {
    writeln!(s, "# Story report\n")?;
    let outlets: std::collections::BTreeSet<&str> = r.documents.iter().filter_map(|d| d.outlet.as_deref()).collect();
    let dated: Vec<&str> = r.documents.iter().filter_map(|d| d.date.as_deref()).collect();
    write!(s, "{} documents", r.documents.len())?;
    if !outlets.is_empty() {
        write!(s, " from {} outlets ({})", outlets.len(), outlets.into_iter().collect::<Vec<_>>().join(", "))?;
    }
    if let (Some(first), Some(last)) = (dated.iter().min(), dated.iter().max()) {
        write!(s, ", dated {first} to {last}")?;
    }
    writeln!(s, ".")?;
    writeln!(
        s,
        "{} entities, {} attributed statements from {} sources, {} quantities, {} dates, {} events.",
        r.entities.len(),
        r.attributions.iter().map(|g| g.statements.len()).sum::<usize>(),
        r.attributions.len(),
        r.quantities.len(),
        r.dates.len(),
        r.events.len()
    )?;
    writeln!(s, "\nEvidence is written `doc@start-end`: a document id and a char span of its text.\n")?;

    writeln!(s, "## Same story, several documents\n")?;
    if r.duplicate_groups.is_empty() {
        writeln!(s, "No near-duplicate documents.")?;
    }
    for g in &r.duplicate_groups {
        let others: Vec<&str> = g.members.iter().filter(|m| **m != g.canonical).map(String::as_str).collect();
        writeln!(s, "- **{}** (earliest) with {}", g.canonical, others.join(", "))?;
        for (a, b, sim) in &g.pairs {
            writeln!(s, "  - {a} ~ {b}: similarity {sim:.2}")?;
        }
    }

    for kind in [EntityType::Person, EntityType::Organization, EntityType::Location] {
        let title = match kind {
            EntityType::Person => "People",
            EntityType::Organization => "Organizations",
            EntityType::Location => "Places",
        };
        writeln!(s, "\n## {title}\n")?;
        let of_kind: Vec<_> = r.entities.iter().filter(|e| e.kind == kind).collect();
        if of_kind.is_empty() {
            writeln!(s, "None found.")?;
        }
        for e in of_kind.iter().take(SECTION_LIMIT) {
            write!(s, "- **{}** — {} document{}", e.name, e.documents.len(), plural(e.documents.len()))?;
            if !e.aliases.is_empty() {
                write!(s, "; also: {}", e.aliases.join(", "))?;
            }
            let shown: Vec<String> =
                e.mentions.iter().take(MENTIONS_SHOWN).map(|(doc, m)| format!("{doc}@{}-{}", m.start, m.end)).collect();
            write!(s, " [{}", shown.join(", "))?;
            if e.mentions.len() > MENTIONS_SHOWN {
                write!(s, ", +{} more", e.mentions.len() - MENTIONS_SHOWN)?;
            }
            writeln!(s, "]")?;
        }
        more(s, of_kind.len())?;
    }

    writeln!(s, "\n## Roles\n")?;
    if r.roles.is_empty() {
        writeln!(s, "None found.")?;
    }
    for x in r.roles.iter().take(SECTION_LIMIT) {
        let org = x.item.organization.as_deref().map(|o| format!(", {o}")).unwrap_or_default();
        writeln!(s, "- {} — {}{} [{}]", x.item.person, x.item.role, org, x.evidence)?;
    }
    more(s, r.roles.len())?;

    writeln!(s, "\n## Who says what\n")?;
    if r.attributions.is_empty() {
        writeln!(s, "No attributed statements.")?;
    }
    for g in r.attributions.iter().take(SECTION_LIMIT) {
        let tag = if g.anonymous { " (unnamed)" } else { "" };
        writeln!(s, "- **{}**{tag}", g.source)?;
        for a in &g.statements {
            let quote = if a.item.direct { "“" } else { "" };
            let unquote = if a.item.direct { "”" } else { "" };
            writeln!(s, "  - {}: {quote}{}{unquote} [{}]", a.item.cue, one_line(&a.item.content, 220), a.evidence)?;
        }
    }
    more(s, r.attributions.len())?;

    writeln!(s, "\n## Quantities\n")?;
    if r.quantities.is_empty() {
        writeln!(s, "None found.")?;
    }
    for q in r.quantities.iter().take(SECTION_LIMIT) {
        write_quantity(s, q)?;
    }
    more(s, r.quantities.len())?;

    writeln!(s, "\n## Dates\n")?;
    if r.dates.is_empty() {
        writeln!(s, "None found.")?;
    }
    for d in r.dates.iter().take(SECTION_LIMIT) {
        let resolved = d.item.resolved.as_deref().unwrap_or("unresolved");
        let inferred = if d.item.inferred { " (year inferred)" } else { "" };
        writeln!(s, "- {resolved}{inferred} — “{}” [{}]", d.item.text, d.evidence)?;
    }
    more(s, r.dates.len())?;

    writeln!(s, "\n## Events\n")?;
    if r.events.is_empty() {
        writeln!(s, "None found.")?;
    }
    for v in r.events.iter().take(SECTION_LIMIT) {
        let e = &v.item;
        let neg = if e.negated { "not " } else { "" };
        write!(s, "- {neg}{}: {}", e.kind, e.actor.as_deref().unwrap_or("(unknown actor)"))?;
        if let Some(t) = &e.target {
            write!(s, " → {t}")?;
        }
        if let Some(p) = &e.place {
            write!(s, " in {p}")?;
        }
        if let Some(d) = &e.date {
            write!(s, " on {d}")?;
        }
        writeln!(s, " (“{}”) [{}]", e.trigger, v.evidence)?;
    }
    more(s, r.events.len())?;

    writeln!(s, "\n## Documents\n")?;
    for d in &r.documents {
        write!(s, "- **{}**", d.id)?;
        if let Some(t) = &d.title {
            write!(s, " “{t}”")?;
        }
        let meta: Vec<&str> =
            [d.outlet.as_deref(), d.date.as_deref(), d.author.as_deref()].into_iter().flatten().collect();
        if !meta.is_empty() {
            write!(s, " — {}", meta.join(", "))?;
        }
        writeln!(
            s,
            "\n  {} chars; {} entities, {} attributions, {} quantities, {} dates, {} events",
            d.chars, d.entities, d.attributions, d.quantities, d.dates, d.events
        )?;
        if !d.duplicates_of.is_empty() {
            writeln!(s, "  same story as: {}", d.duplicates_of.join(", "))?;
        }
        writeln!(s, "  > {}", d.lede)?;
    }
    Ok(())
}

fn write_quantity(s: &mut String, q: &Sourced<crosscheck_model::Quantity>) -> std::fmt::Result {
    let approx = if q.item.approximate { "~" } else { "" };
    write!(s, "- {approx}{} {} — “{}”", format_value(q.item.value), q.item.unit, q.item.text)?;
    if let Some(about) = &q.item.about {
        write!(s, " ({about})")?;
    }
    writeln!(s, " [{}]", q.evidence)
}

/// 7000 → "7,000"; 1.5 → "1.5".
fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let digits = format!("{}", v.abs() as u64);
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if v < 0.0 {
            out.insert(0, '-');
        }
        out
    } else {
        format!("{v}")
    }
}

fn one_line(text: &str, max_chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        return flat;
    }
    let mut cut: String = flat.chars().take(max_chars).collect();
    cut.push('…');
    cut
}

fn more(s: &mut String, total: usize) -> std::fmt::Result {
    if total > SECTION_LIMIT {
        writeln!(s, "- … and {} more (see `--format json`)", total - SECTION_LIMIT)?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_get_thousands_separators() {
        assert_eq!(format_value(7000.0), "7,000");
        assert_eq!(format_value(1_500_000_000.0), "1,500,000,000");
        assert_eq!(format_value(1.5), "1.5");
        assert_eq!(format_value(-250.0), "-250");
    }

    #[test]
    fn long_content_is_cut_on_one_line() {
        assert_eq!(one_line("a\n  b", 10), "a b");
        assert_eq!(one_line("abcdef", 3), "abc…");
    }
}
