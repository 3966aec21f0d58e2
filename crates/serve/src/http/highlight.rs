//! The highlighted article: every extracted item of a document laid over its text. Items may
//! overlap (an attribution spans a sentence full of names), so the text is cut at every span
//! boundary and each piece is wrapped once with the classes and item numbers of everything
//! covering it; the explanation of item `N` is the list entry `#it-N`.
//!
//! It owns the item descriptions (what it is, why: rule and fields). It must not trust spans:
//! out-of-range or reversed spans from a damaged store are skipped, never sliced.

use std::fmt::Write;

use crosscheck_model::{Extraction, Span};

use super::html::esc;

/// One explained item: its kind (a CSS class), a one-line label, its fields, its spans.
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: &'static str,
    pub label: String,
    pub rule: String,
    pub fields: Vec<(&'static str, String)>,
    pub spans: Vec<Span>,
}

/// Kinds in legend order, with the label shown to readers.
pub const KINDS: &[(&str, &str)] = &[
    ("person", "Person"),
    ("organization", "Organization"),
    ("location", "Place"),
    ("role", "Role / title"),
    ("attribution", "Attributed statement"),
    ("quantity", "Amount"),
    ("date", "Date"),
    ("event", "Event"),
];

fn yes(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// Every item of the extraction, in kind order then text order.
pub fn items(x: &Extraction) -> Vec<Item> {
    let mut out = Vec::new();
    for e in &x.entities {
        let mut fields = vec![("name", e.name.clone()), ("type", e.kind.as_str().to_string())];
        if !e.aliases.is_empty() {
            fields.push(("also called", e.aliases.join(", ")));
        }
        fields.push(("mentions", e.mentions.len().to_string()));
        out.push(Item {
            kind: e.kind.as_str(),
            label: format!("{}: {}", e.kind.as_str(), e.name),
            rule: e.rule.clone(),
            fields,
            spans: e.mentions.iter().map(|m| Span::new(m.start, m.end)).collect(),
        });
    }
    for r in &x.roles {
        let mut fields = vec![("person", r.person.clone()), ("role", r.role.clone())];
        if let Some(org) = &r.organization {
            fields.push(("organization", org.clone()));
        }
        out.push(Item {
            kind: "role",
            label: format!("role: {} is {}", r.person, r.role),
            rule: r.rule.clone(),
            fields,
            spans: vec![r.span],
        });
    }
    for a in &x.attributions {
        out.push(Item {
            kind: "attribution",
            label: format!("statement by {} ({})", a.source, a.cue),
            rule: a.rule.clone(),
            fields: vec![
                ("source", a.source.clone()),
                ("cue", a.cue.clone()),
                ("says", a.content.clone()),
                ("direct quote", yes(a.direct)),
                ("anonymous source", yes(a.anonymous)),
            ],
            spans: vec![a.span],
        });
    }
    for q in &x.quantities {
        let mut fields = vec![("text", q.text.clone()), ("value", format_value(q.value)), ("unit", q.unit.clone())];
        if let Some(about) = &q.about {
            fields.push(("counts", about.clone()));
        }
        fields.push(("approximate", yes(q.approximate)));
        out.push(Item {
            kind: "quantity",
            label: format!("amount: {} {}", format_value(q.value), q.unit),
            rule: q.rule.clone(),
            fields,
            spans: vec![q.span],
        });
    }
    for d in &x.dates {
        let resolved = d.resolved.clone().unwrap_or_else(|| "unresolved".into());
        out.push(Item {
            kind: "date",
            label: format!("date: {} → {resolved}", d.text),
            rule: d.rule.clone(),
            fields: vec![("text", d.text.clone()), ("resolves to", resolved), ("year inferred", yes(d.inferred))],
            spans: vec![d.span],
        });
    }
    for v in &x.events {
        let mut fields = vec![("type", v.kind.clone()), ("trigger", v.trigger.clone())];
        for (name, value) in [("actor", &v.actor), ("target", &v.target), ("place", &v.place), ("date", &v.date)] {
            if let Some(value) = value {
                fields.push((name, value.clone()));
            }
        }
        fields.push(("negated", yes(v.negated)));
        out.push(Item {
            kind: "event",
            label: format!("event: {}{} ({})", if v.negated { "not " } else { "" }, v.kind, v.trigger),
            rule: v.rule.clone(),
            fields,
            spans: vec![v.span],
        });
    }
    out
}

fn format_value(v: f64) -> String {
    if v.is_nan() {
        "?".into()
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// The article text as HTML with every item's spans wrapped; `focus` (a passage someone
/// linked to) is wrapped too and gets `id="focus"`.
pub fn highlighted_text(text: &str, items: &[Item], focus: Option<Span>) -> String {
    // Byte offset of every char boundary: spans are char offsets.
    let bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
    let chars = bounds.len() - 1;
    let valid = |s: &Span| s.start < s.end && s.end <= chars;

    // (span, item index or usize::MAX for the focus)
    let mut spans: Vec<(Span, usize)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        spans.extend(item.spans.iter().filter(|s| valid(s)).map(|s| (*s, i)));
    }
    let focus = focus.filter(valid);
    if let Some(f) = focus {
        spans.push((f, usize::MAX));
    }
    let mut cuts: Vec<usize> = spans.iter().flat_map(|(s, _)| [s.start, s.end]).collect();
    cuts.push(0);
    cuts.push(chars);
    cuts.sort_unstable();
    cuts.dedup();

    let mut out = String::with_capacity(text.len() * 2);
    let mut focus_marked = false;
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let piece = &text[bounds[a]..bounds[b]];
        let covering: Vec<usize> = spans.iter().filter(|(s, _)| s.start <= a && b <= s.end).map(|(_, i)| *i).collect();
        if covering.is_empty() {
            out.push_str(&esc(piece));
            continue;
        }
        let mut classes = String::from("hl");
        let mut numbers = String::new();
        let mut titles: Vec<String> = Vec::new();
        let mut is_focus = false;
        for &i in &covering {
            if i == usize::MAX {
                is_focus = true;
                continue;
            }
            let item = &items[i];
            let class = format!(" k-{}", item.kind);
            if !classes.contains(&class) {
                classes.push_str(&class);
            }
            if !numbers.is_empty() {
                numbers.push(' ');
            }
            let _ = write!(numbers, "{i}");
            titles.push(format!("{} — rule: {}", item.label, item.rule));
        }
        if is_focus {
            classes.push_str(" focus");
        }
        let id = if is_focus && !focus_marked {
            focus_marked = true;
            " id=\"focus\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<span{id} class=\"{classes}\" data-items=\"{numbers}\" title=\"{}\">{}</span>",
            esc(&titles.join("\n")),
            esc(piece)
        );
    }
    out
}

/// The explanations, one `<li id="it-N">` per item.
pub fn item_list(text: &str, items: &[Item]) -> String {
    let mut out = String::from("<ol class=\"items\">");
    for (i, item) in items.iter().enumerate() {
        let _ = write!(
            out,
            "<li id=\"it-{i}\" class=\"item k-{kind}\" data-kind=\"{kind}\"><span class=\"swatch k-{kind}\"></span><b>{}</b>",
            esc(&item.label),
            kind = item.kind
        );
        let _ = write!(out, " <span class=\"rule\">rule <code>{}</code></span><dl>", esc(&item.rule));
        for (name, value) in &item.fields {
            let _ = write!(out, "<dt>{name}</dt><dd>{}</dd>", esc(value));
        }
        out.push_str("<dt>where</dt><dd>");
        for s in &item.spans {
            let surface = crosscheck_text_slice(text, *s);
            let _ = write!(
                out,
                "<a href=\"#\" class=\"goto\" data-item=\"{i}\">chars {}–{}</a> “{}” ",
                s.start,
                s.end,
                esc(&surface)
            );
        }
        out.push_str("</dd></dl></li>");
    }
    out.push_str("</ol>");
    out
}

/// `text[span]` by chars, empty when the span does not fit.
pub fn crosscheck_text_slice(text: &str, span: Span) -> String {
    if span.start >= span.end {
        return String::new();
    }
    text.chars().skip(span.start).take(span.end - span.start).collect()
}

/// The passage around a span: up to `context` chars either side, trimmed to word edges.
pub fn context(text: &str, span: Span, context: usize) -> (String, String, String) {
    let chars: Vec<char> = text.chars().collect();
    let end = span.end.min(chars.len());
    let start = span.start.min(end);
    let from = start.saturating_sub(context);
    let to = (end + context).min(chars.len());
    let before: String = chars[from..start].iter().collect();
    let inside: String = chars[start..end].iter().collect();
    let after: String = chars[end..to].iter().collect();
    let before =
        if from > 0 { format!("…{}", before.split_once(' ').map_or(before.as_str(), |(_, r)| r)) } else { before };
    let after = if to < chars.len() {
        format!("{}…", after.rsplit_once(' ').map_or(after.as_str(), |(l, _)| l))
    } else {
        after
    };
    (before, inside, after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crosscheck_model::{Attribution, Entity, EntityType, Mention};

    fn sample() -> Extraction {
        let text = "Zoë <b>Ames</b> said the dam held.";
        let mut x = Extraction {
            id: "d".into(),
            title: None,
            outlet: None,
            date: None,
            url: None,
            author: None,
            text: text.into(),
            entities: vec![],
            roles: vec![],
            attributions: vec![],
            quantities: vec![],
            dates: vec![],
            events: vec![],
            duplicates_of: vec![],
            copy_of: None,
        };
        x.entities.push(Entity {
            name: "Zoë Ames".into(),
            kind: EntityType::Person,
            aliases: vec![],
            mentions: vec![
                Mention { start: 0, end: 15, text: "Zoë <b>Ames</b>".into() },
                Mention { start: 90, end: 95, text: "bad".into() },
            ],
            rule: "test-rule".into(),
        });
        x.attributions.push(Attribution {
            source: "Zoë Ames".into(),
            cue: "said".into(),
            content: "the dam held".into(),
            span: Span::new(0, 33),
            source_span: None,
            content_span: None,
            direct: false,
            anonymous: false,
            rule: "said-rule".into(),
        });
        x
    }

    #[test]
    fn overlapping_items_are_cut_escaped_and_numbered() {
        let x = sample();
        let items = items(&x);
        let html = highlighted_text(&x.text, &items, None);
        assert!(html.starts_with("<span class=\"hl k-person k-attribution\" data-items=\"0 1\""), "{html}");
        assert!(html.contains("Zoë &lt;b&gt;Ames&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<b>"), "article markup is text, never markup");
        assert!(html.contains("rule: test-rule"));
        // The piece after the name is covered by the attribution only.
        assert!(html.contains("<span class=\"hl k-attribution\" data-items=\"1\""), "{html}");
        assert!(html.ends_with("."), "uncovered tail is plain text: {html}");
    }

    #[test]
    fn spans_out_of_range_are_skipped_and_focus_is_marked_once() {
        let x = sample();
        let items = items(&x);
        let html = highlighted_text(&x.text, &items, Some(Span::new(20, 24)));
        assert_eq!(html.matches("id=\"focus\"").count(), 1);
        let html = highlighted_text(&x.text, &items, Some(Span::new(20, 999)));
        assert!(!html.contains("focus"));
    }

    #[test]
    fn context_trims_to_words() {
        let (before, inside, after) = context("one two three four five six", Span::new(8, 13), 6);
        assert_eq!(inside, "three");
        assert_eq!(before, "…two ");
        assert_eq!(after, " four…");
    }
}
