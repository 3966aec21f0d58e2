//! The Markdown rendering of a [`StoryReport`], for reading in a terminal or a Markdown viewer.
//! Every item ends with its evidence, `doc@start-end` (char offsets into that document).

use crate::{Sourced, StoryReport};
use crosscheck_model::EntityType;
use crosscheck_text::format_number as format_value;
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
            // The stored similarity is the wording overlap (shingle Jaccard); a low one means
            // the link came from shared rare names, figures and words at close dates.
            let how = if *sim >= crosscheck_link::COPY_SIMILARITY {
                "copy or light rewrite"
            } else if *sim >= crosscheck_link::LinkConfig::default().threshold {
                "heavy rewrite"
            } else {
                "independently written report of the same story"
            };
            writeln!(s, "  - {a} ~ {b}: {how} (wording overlap {sim:.2})")?;
        }
    }

    write_cross_document(s, r)?;

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

/// Agreements, contradictions, changes over time, denials, claim clusters, provenance,
/// timeline and source profiles: the cross-document sections.
fn write_cross_document(s: &mut String, r: &StoryReport) -> std::fmt::Result {
    use crosscheck_link::Verdict;
    let c = &r.claims;
    for (verdict, title) in [
        (Verdict::Contradiction, "Contradictions"),
        (Verdict::ChangeOverTime, "Changes over time"),
        (Verdict::Agreement, "Agreements"),
    ] {
        writeln!(s, "\n## {title}\n")?;
        let items: Vec<_> = c.comparisons.iter().filter(|x| x.verdict == verdict).collect();
        if items.is_empty() {
            writeln!(s, "None found.")?;
        }
        for x in items.iter().take(SECTION_LIMIT) {
            let scope = if x.scope == crosscheck_link::Scope::InDocument { ", in one document" } else { "" };
            writeln!(
                s,
                "- **{}** `{}` ({}{scope}): {} vs {} — {} (confidence {:.2})",
                x.subject, x.id, x.kind, x.left, x.right, x.reason, x.confidence
            )?;
            let (l, rr) = (&x.left_evidence, &x.right_evidence);
            writeln!(s, "  - {}@{}-{}: “{}”", l.doc, l.span.start, l.span.end, one_line(&l.text, 220))?;
            writeln!(s, "  - {}@{}-{}: “{}”", rr.doc, rr.span.start, rr.span.end, one_line(&rr.text, 220))?;
        }
        more(s, items.len())?;
    }

    writeln!(s, "\n## Denials\n")?;
    if c.denials.is_empty() {
        writeln!(s, "None found.")?;
    }
    for d in c.denials.iter().take(SECTION_LIMIT) {
        let e = &d.evidence;
        writeln!(
            s,
            "- `{}` **{}** {}: {} [{}@{}-{}]",
            d.id,
            d.source,
            d.cue,
            one_line(&d.content, 200),
            e.doc,
            e.span.start,
            e.span.end
        )?;
        if let Some(o) = &d.counterpart {
            writeln!(
                s,
                "  - same story elsewhere: “{}” [{}@{}-{}]",
                one_line(&o.text, 200),
                o.doc,
                o.span.start,
                o.span.end
            )?;
        }
    }

    writeln!(s, "\n## Claims by figure\n")?;
    let shown: Vec<_> = c.clusters.iter().filter(|k| k.documents.len() > 1 || k.independent_sources > 1).collect();
    if shown.is_empty() {
        writeln!(s, "No figure is given by more than one document ({} numeric claims in all).", c.claims.len())?;
    }
    for k in shown.iter().take(SECTION_LIMIT) {
        writeln!(
            s,
            "- `{}` {}: {} {} — {} document{} ({} independent), first in {}: {}",
            k.id,
            k.measure,
            format_value(k.value),
            k.unit,
            k.documents.len(),
            plural(k.documents.len()),
            k.independent_sources,
            k.first_reported,
            k.documents.join(", ")
        )?;
    }

    writeln!(s, "\n## Claims: who did what, according to whom\n")?;
    let by_id: std::collections::HashMap<&str, &crosscheck_link::Statement> =
        c.statements.iter().map(|x| (x.id.as_str(), x)).collect();
    let shown: Vec<_> = c.statement_clusters.iter().filter(|k| k.documents.len() > 1 || k.denied_by > 0).collect();
    if shown.is_empty() {
        writeln!(s, "No claim is made by more than one document ({} claims in all).", c.statements.len())?;
    }
    for k in shown.iter().take(SECTION_LIMIT) {
        let f = &k.first_reported;
        writeln!(
            s,
            "- `{}` **{}** {} {} — {} document{} ({} independent{}), first reported in {}@{}-{}",
            k.id,
            if k.subject.is_empty() { "(unnamed)" } else { &k.subject },
            k.predicate,
            k.object.as_deref().unwrap_or(""),
            k.documents.len(),
            plural(k.documents.len()),
            k.independent_sources,
            if k.denied_by > 0 { format!(", denied by {}", k.denied_by) } else { String::new() },
            f.doc,
            f.span.start,
            f.span.end
        )?;
        for m in k.statements.iter().filter_map(|id| by_id.get(id.as_str())).take(MENTIONS_SHOWN) {
            let ch = &m.chain;
            let mut who: Vec<String> = Vec::new();
            if let Some(speaker) = &ch.speaker {
                who.push(match &ch.speaker_role {
                    Some(role) => format!("{speaker} ({role})"),
                    None => speaker.clone(),
                });
            }
            if let Some(via) = &ch.via {
                who.push(format!("via {via}"));
            }
            who.push(format!(
                "in {}{}",
                ch.document,
                ch.publisher.as_deref().map(|p| format!(" ({p})")).unwrap_or_default()
            ));
            let e = &m.evidence;
            writeln!(
                s,
                "  - {}{}: “{}” [{}@{}-{}]",
                if m.denied { "denied — " } else { "" },
                who.join(", "),
                one_line(&e.text, 200),
                e.doc,
                e.span.start,
                e.span.end
            )?;
        }
    }

    writeln!(s, "\n## Provenance: who rests on whom\n")?;
    if r.provenance.sources.is_empty() {
        writeln!(s, "No document credits a news outlet.")?;
    }
    for p in r.provenance.sources.iter().take(SECTION_LIMIT) {
        writeln!(
            s,
            "- **{}** `{}` credited by {} document{} ({} independent): {}",
            p.name,
            p.id,
            p.documents.len(),
            plural(p.documents.len()),
            p.independent_documents,
            p.documents.join(", ")
        )?;
        for cit in r.provenance.citations.iter().filter(|x| x.cited_key == p.key) {
            let e = &cit.evidence;
            writeln!(s, "  - {} “{}” ({}) [{}@{}-{}]", cit.doc, cit.cited, cit.cue, e.doc, e.span.start, e.span.end)?;
        }
    }

    writeln!(s, "\n## Timeline\n")?;
    if r.timeline.periods.iter().filter(|p| p.year != "undated").count() > 1 {
        let split: Vec<String> = r
            .timeline
            .periods
            .iter()
            .map(|p| {
                let docs: Vec<String> = p.documents.iter().zip(&p.basis).map(|(d, b)| format!("{d} ({b})")).collect();
                format!("{}: {}", p.year, docs.join(", "))
            })
            .collect();
        writeln!(s, "Time split — the documents are about different years: {}.\n", split.join("; "))?;
    }
    if r.timeline.dated.is_empty() {
        writeln!(s, "No resolved dates.")?;
    }
    for t in r.timeline.dated.iter().take(SECTION_LIMIT) {
        let when = t.when.as_deref().unwrap_or("?");
        if t.kind == "published" {
            writeln!(s, "- {when} — {} published “{}”", t.evidence.doc, one_line(&t.text, 120))?;
        } else {
            let e = &t.evidence;
            writeln!(
                s,
                "- {when} — “{}”: {} [{}@{}-{}]",
                t.text,
                one_line(&e.text, 160),
                e.doc,
                e.span.start,
                e.span.end
            )?;
        }
    }
    more(s, r.timeline.dated.len())?;
    if !r.timeline.undated.is_empty() {
        writeln!(s, "\nUndated (nothing anchors them):\n")?;
        for t in r.timeline.undated.iter().take(SECTION_LIMIT) {
            let e = &t.evidence;
            writeln!(s, "- “{}”: {} [{}@{}-{}]", t.text, one_line(&e.text, 160), e.doc, e.span.start, e.span.end)?;
        }
        more(s, r.timeline.undated.len())?;
    }
    let undated_docs: Vec<&str> = r.documents.iter().filter(|d| d.date.is_none()).map(|d| d.id.as_str()).collect();
    if !undated_docs.is_empty() {
        writeln!(s, "\nDocuments without a publication date: {}.", undated_docs.join(", "))?;
    }

    writeln!(s, "\n## Source profiles\n")?;
    writeln!(s, "Loaded language is counted with the lexicon in `resources/link/loaded_language.txt`, not judged.\n")?;
    for p in &r.source_profiles {
        writeln!(
            s,
            "- **{}** — {} document{}, {} words; attributions: {} named, {} unnamed, {} document{} with none; loaded language {:.1}/1,000 words{}; opinion markers: {}{}{}",
            p.outlet,
            p.documents.len(),
            plural(p.documents.len()),
            p.words,
            p.named_attributions,
            p.anonymous_attributions,
            p.unattributed_documents,
            plural(p.unattributed_documents),
            p.loaded_rate,
            if p.loaded_terms.is_empty() {
                String::new()
            } else {
                format!(" ({})", p.loaded_terms.iter().map(|(t, n)| format!("{t}… ×{n}")).collect::<Vec<_>>().join(", "))
            },
            if p.opinion_markers.is_empty() {
                "none".to_string()
            } else {
                p.opinion_markers.iter().map(|(t, n)| format!("“{t}” ×{n}")).collect::<Vec<_>>().join(", ")
            },
            if p.copies_from.is_empty() { String::new() } else { format!("; copies: {}", p.copies_from.join(", ")) },
            if p.cites.is_empty() { String::new() } else { format!("; cites: {}", p.cites.join(", ")) },
        )?;
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
    fn long_content_is_cut_on_one_line() {
        assert_eq!(one_line("a\n  b", 10), "a b");
        assert_eq!(one_line("abcdef", 3), "abc…");
    }
}
