//! Metadata that plain article text carries in itself: a title line at the top, a dateline
//! ("Thursday, February 6, 2025"), a byline ("By Jane Doe"), an author bio near the end
//! ("Jane Doe is a reporter covering energy."), and a trailing source line
//! ("Source » Example Times", "Source: Example Times").
//!
//! It only reads: the lines stay in the text, because spans refer to the full text. It looks
//! at a few lines at the top and bottom only, so it is cheap on long texts, and it must not
//! guess: a line counts only when it is short and shaped like the thing it is taken for.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::dates::{data_lines, find_date};

const SOURCE_LABELS: &str = include_str!("../../../resources/ingest/source_labels.txt");
const BYLINE_PREFIXES: &str = include_str!("../../../resources/ingest/byline_prefixes.txt");
const NAME_PARTICLES: &str = include_str!("../../../resources/ingest/name_particles.txt");

/// How many non-empty lines at the top may hold the title, dateline and byline.
const HEAD_LINES: usize = 8;
/// How many non-empty lines at the end may hold the source line or the author bio.
const TAIL_LINES: usize = 6;
const MAX_TITLE_CHARS: usize = 200;
const MAX_TITLE_WORDS: usize = 30;
/// A title below another short line needs at least this many words ("Background" is not one).
const MIN_LOWER_TITLE_WORDS: usize = 3;
/// A first line longer than this is body text, so no title follows it.
const MAX_KICKER_CHARS: usize = 160;
/// A line with this many glued words is navigation text, not a title.
const MAX_GLUED_WORDS: usize = 3;
const MAX_DATELINE_CHARS: usize = 100;
const MAX_META_LINE_CHARS: usize = 120;
const MAX_BIO_CHARS: usize = 400;

/// What the text says about itself; every field is `None` when nothing clear was found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextMetadata {
    pub title: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    pub outlet: Option<String>,
}

struct Lexicon {
    source_labels: Vec<String>,
    byline_prefixes: Vec<String>,
    particles: HashSet<String>,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut source_labels: Vec<String> = data_lines(SOURCE_LABELS).map(str::to_lowercase).collect();
        let mut byline_prefixes: Vec<String> = data_lines(BYLINE_PREFIXES).map(str::to_lowercase).collect();
        // Longest label first, so "originally published by" is tried before a shorter label.
        source_labels.sort_by_key(|l| std::cmp::Reverse(l.len()));
        byline_prefixes.sort_by_key(|l| std::cmp::Reverse(l.len()));
        let particles = data_lines(NAME_PARTICLES).map(str::to_lowercase).collect();
        Lexicon { source_labels, byline_prefixes, particles }
    })
}

/// Which fields a caller will use; the others are not looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wanted {
    pub title: bool,
    pub date: bool,
    pub author: bool,
    pub outlet: bool,
}

impl Wanted {
    const ALL: Wanted = Wanted { title: true, date: true, author: true, outlet: true };
}

/// Reads title, date, author and outlet from the first and last lines of `text`.
pub fn detect(text: &str) -> TextMetadata {
    detect_wanted(text, Wanted::ALL)
}

/// As [`detect`], for the wanted fields only (the others are `None`). Each field is found
/// independently of the others, so a wanted field has the value [`detect`] gives it.
pub(crate) fn detect_wanted(text: &str, wanted: Wanted) -> TextMetadata {
    let mut found = TextMetadata::default();
    if wanted.date || wanted.author {
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()).take(HEAD_LINES) {
            if wanted.date && found.date.is_none() {
                found.date = dateline(line);
            }
            if wanted.author && found.author.is_none() {
                found.author = byline(line);
            }
        }
    }
    // Bottom-up: the source line is usually the very last one, the bio just above it.
    if wanted.outlet || wanted.author {
        for line in last_nonempty_lines(text, TAIL_LINES) {
            if wanted.outlet && found.outlet.is_none() {
                found.outlet = source_line(line);
            }
            if wanted.author && found.author.is_none() {
                found.author = bio_author(line);
            }
        }
    }
    if wanted.title {
        found.title = title_line(text);
    }
    found
}

/// The last `n` non-empty trimmed lines, last first, without walking the whole text forwards.
fn last_nonempty_lines(text: &str, n: usize) -> Vec<&str> {
    text.lines().rev().map(str::trim).filter(|l| !l.is_empty()).take(n).collect()
}

fn strip_markdown_heading(line: &str) -> &str {
    line.trim_start_matches('#').trim().trim_matches('*').trim()
}

/// The title: the first line when it is short, has no terminal period and is followed by more
/// text. Leading dateline/byline lines are passed over. Below one other short line (a
/// breadcrumb, a kicker) a title-shaped line still counts when it stands alone between blank
/// lines and has a few words; a long line means the body has begun.
fn title_line(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.trim_start().lines().map(str::trim).take(HEAD_LINES * 3).collect();
    let mut only_metadata_above = true;
    let mut content_lines_seen = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        if dateline(line).is_some() || byline(line).is_some() {
            continue;
        }
        let candidate = strip_markdown_heading(line);
        let rest_has_text = lines[i + 1..].iter().any(|l| !l.is_empty()) || text.lines().count() > lines.len();
        let stands_alone = lines.get(i + 1).is_some_and(|next| next.is_empty()) && (i == 0 || lines[i - 1].is_empty());
        let shaped = title_shaped(candidate) && rest_has_text;
        if shaped && only_metadata_above {
            return Some(candidate.to_string());
        }
        if shaped && stands_alone && candidate.split_whitespace().count() >= MIN_LOWER_TITLE_WORDS {
            return Some(candidate.to_string());
        }
        content_lines_seen += 1;
        if content_lines_seen >= 2 || line.chars().count() > MAX_KICKER_CHARS || reads_like_sentence(line) {
            return None;
        }
        only_metadata_above = false;
    }
    None
}

/// Places where a lower-case letter runs straight into an upper-case one ("HomeWorldNews"):
/// menu items scraped without their separators. Brand names have one or two at most.
fn glued_words(line: &str) -> usize {
    let mut chars = line.chars();
    let Some(mut previous) = chars.next() else { return 0 };
    let mut glued = 0;
    for c in chars {
        glued += usize::from(previous.is_lowercase() && c.is_uppercase());
        previous = c;
    }
    glued
}

/// A line of prose: a few words ending in a full stop, question or exclamation mark (or
/// a closing quote after one). Kickers and breadcrumbs do not end that way.
fn reads_like_sentence(line: &str) -> bool {
    let trimmed = line.trim_end_matches(['"', '\u{201d}', '\u{2019}', '\'']);
    let mut chars = trimmed.chars().rev();
    let last = chars.next();
    let before = chars.next();
    let ends = matches!(last, Some('.' | '!' | '?' | '\u{2026}')) && before.is_some_and(char::is_alphanumeric);
    ends && line.split_whitespace().count() >= 4
}

fn title_shaped(line: &str) -> bool {
    let chars = line.chars().count();
    // Most first lines are body paragraphs: too long is decided before any other walk.
    if chars > MAX_TITLE_CHARS {
        return false;
    }
    let words = line.split_whitespace().count();
    let ends_like_sentence = line.ends_with(['.', ',', ';', ':']) && !line.ends_with("...");
    // "..., ..." / ",." endings are cut-off text, not a headline's own ellipsis.
    let cut_off = [",...", ",.", ",\u{2026}"].iter().any(|e| line.ends_with(e));
    !line.is_empty()
        && !cut_off
        && glued_words(line) < MAX_GLUED_WORDS
        && chars <= MAX_TITLE_CHARS
        && words <= MAX_TITLE_WORDS
        && !ends_like_sentence
        && line.chars().any(char::is_alphabetic)
        && source_line(line).is_none()
}

/// A line that is a date and little else ("Thursday, February 6, 2025", "Published 2025-02-06
/// 10:30 ET"); lines saying "Updated" are left for a better candidate.
fn dateline(line: &str) -> Option<String> {
    if line.chars().count() > MAX_DATELINE_CHARS {
        return None;
    }
    // ASCII case folding is enough: no other char lowercases into these labels' letters.
    if ["updated", "last updated", "modified"].iter().any(|label| strip_label(line, label).is_some()) {
        return None;
    }
    let (iso, range) = find_date(line)?;
    // Most of the line must be the date (plus weekday, label or time), not a sentence.
    let outside = line.len() - (range.end - range.start);
    let words_outside = line[..range.start].split_whitespace().count() + line[range.end..].split_whitespace().count();
    if words_outside > 6 || outside > 50 || line.ends_with('.') && words_outside > 2 {
        return None;
    }
    Some(iso)
}

/// Strips a leading label (case-insensitively) and returns the rest.
fn strip_label<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let head = line.get(..label.len())?;
    if head.eq_ignore_ascii_case(label) {
        line.get(label.len()..)
    } else {
        None
    }
}

/// "By Jane Doe", "By Jane Doe and John Roe, Staff Writers", "By Jane Doe | Reuters".
fn byline(line: &str) -> Option<String> {
    if line.chars().count() > MAX_META_LINE_CHARS {
        return None;
    }
    let lexicon = lexicon();
    let rest = lexicon.byline_prefixes.iter().find_map(|prefix| {
        let rest = strip_label(line, prefix)?;
        rest.starts_with(char::is_whitespace).then_some(rest.trim_start())
    })?;
    let cut = rest
        .find([',', '|', '•', '·', '\u{2014}', '\u{2013}', '(', ';'])
        .or_else(|| rest.find(" - "))
        .unwrap_or(rest.len());
    let names = rest[..cut].trim();
    let names = names.trim_end_matches(['.', ':']).trim();
    if names.is_empty() {
        return None;
    }
    // Each side of "and"/"&" must look like a name.
    let all_names = names.split(" and ").flat_map(|p| p.split(" & ")).all(|part| looks_like_name(part.trim(), 1));
    all_names.then(|| author_list(names))
}

/// Several authors written as prose ("Jane Doe and John Roe", "A, B & C") as one list
/// ("Jane Doe, John Roe"), the form JSON-LD author arrays take; left as given unless every part
/// looks like a name ("Staff and agencies" stays).
pub(crate) fn author_list(names: &str) -> String {
    let parts: Vec<&str> = names
        .split(", ")
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" & "))
        .map(|p| p.trim().trim_start_matches("and ").trim())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 && parts.iter().all(|part| looks_like_name(part, 1)) {
        parts.join(", ")
    } else {
        names.to_string()
    }
}

/// Capitalised words (initials, hyphens, apostrophes and name particles allowed), at least
/// `min_words` capitalised ones and at most five words in all.
fn looks_like_name(candidate: &str, min_words: usize) -> bool {
    let particles = &lexicon().particles;
    let words: Vec<&str> = candidate.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    let mut capitalised = 0;
    for word in &words {
        let first = word.chars().next().unwrap_or(' ');
        let well_formed = word.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '\u{2019}'));
        if !well_formed {
            return false;
        }
        if first.is_uppercase() {
            capitalised += 1;
        } else if !particles.contains(&word.to_lowercase()) {
            return false;
        }
    }
    // A name cannot start with a particle alone ("de").
    capitalised >= min_words && words[0].chars().next().is_some_and(char::is_uppercase)
}

/// "Jane Doe is a senior reporter ..." near the end: the author's bio.
fn bio_author(line: &str) -> Option<String> {
    if line.chars().count() > MAX_BIO_CHARS {
        return None;
    }
    let markers = [" is a ", " is an ", " is the ", " is a\u{a0}"];
    let (cut, _) = markers.iter().filter_map(|m| line.find(m).map(|i| (i, m))).min_by_key(|(i, _)| *i)?;
    let name = line[..cut].trim().trim_start_matches('*').trim_start_matches('_').trim();
    // Two capitalised words at least: "He is a ..." or "This is a ..." is not a bio.
    if looks_like_name(name, 2) {
        Some(name.to_string())
    } else {
        None
    }
}

/// "Source » Example Times", "Source: Example Times", "Via - Example Times".
fn source_line(line: &str) -> Option<String> {
    if line.chars().count() > MAX_META_LINE_CHARS {
        return None;
    }
    let lexicon = lexicon();
    let rest = lexicon.source_labels.iter().find_map(|label| strip_label(line, label))?;
    let rest = rest.trim_start();
    let separators = ["»", ":", ">>", ">", "›", "\u{2014}", "\u{2013}", "-"];
    let value = separators.iter().find_map(|s| rest.strip_prefix(s))?;
    let outlet = value.trim().trim_end_matches('.').trim();
    if outlet.is_empty() || outlet.split_whitespace().count() > 8 {
        return None;
    }
    Some(outlet.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "Harbour town opens new ferry terminal\n\
        \n\
        Thursday, February 6, 2025\n\
        \n\
        By Jane Q. Doe and Tom de Vries, Staff Writers\n\
        \n\
        The new terminal opened on Wednesday after two years of work, officials said.\n\
        \n\
        \"It is a great day,\" the mayor said.\n\
        \n\
        Jane Q. Doe is a reporter covering transport.\n\
        \n\
        Source » The Example Gazette\n";

    #[test]
    fn reads_every_field_of_a_full_article() {
        let m = detect(ARTICLE);
        assert_eq!(m.title.as_deref(), Some("Harbour town opens new ferry terminal"));
        assert_eq!(m.date.as_deref(), Some("2025-02-06"));
        assert_eq!(m.author.as_deref(), Some("Jane Q. Doe, Tom de Vries"));
        assert_eq!(m.outlet.as_deref(), Some("The Example Gazette"));
    }

    #[test]
    fn each_wanted_field_is_what_full_detection_gives() {
        let texts = [
            ARTICLE,
            "Rain expected\n\nIt will rain all week, forecasters said.\n\nMaria Lopez-Garcia is an editor at a weather site.",
            "2025-02-06\nThe council voted on the budget on Tuesday.\nSource: Example Daily",
            "Monday, March 4, 2024\nHomeNewsWorld,.\n\nCity council approves harbour budget\n\nThe council voted on Monday.\n",
            "",
        ];
        for text in texts {
            let all = detect(text);
            for bits in 0..16u8 {
                let wanted =
                    Wanted { title: bits & 1 != 0, date: bits & 2 != 0, author: bits & 4 != 0, outlet: bits & 8 != 0 };
                let some = detect_wanted(text, wanted);
                assert_eq!(some.title, all.title.clone().filter(|_| wanted.title), "{text:?} {wanted:?}");
                assert_eq!(some.date, all.date.clone().filter(|_| wanted.date), "{text:?} {wanted:?}");
                assert_eq!(some.author, all.author.clone().filter(|_| wanted.author), "{text:?} {wanted:?}");
                assert_eq!(some.outlet, all.outlet.clone().filter(|_| wanted.outlet), "{text:?} {wanted:?}");
            }
        }
    }

    #[test]
    fn bio_line_gives_the_author_when_there_is_no_byline() {
        let text = "Rain expected\n\nIt will rain all week, forecasters said.\n\nMaria Lopez-Garcia is an editor at a weather site.";
        assert_eq!(detect(text).author.as_deref(), Some("Maria Lopez-Garcia"));
        let not_bio = "Rain\n\nWords here.\n\nThis is a sentence about nothing.";
        assert_eq!(detect(not_bio).author, None);
    }

    #[test]
    fn source_colon_form_and_iso_date() {
        let text = "2025-02-06\nThe council voted on the budget on Tuesday.\nSource: Example Daily";
        let m = detect(text);
        assert_eq!(m.date.as_deref(), Some("2025-02-06"));
        assert_eq!(m.outlet.as_deref(), Some("Example Daily"));
        // The date line is not a title.
        assert_eq!(m.title, None);
    }

    #[test]
    fn first_line_ending_in_a_period_is_not_a_title() {
        let text = "The council met on Tuesday.\nIt voted on the budget.";
        assert_eq!(detect(text).title, None);
        let single = "Just one line with no body";
        assert_eq!(detect(single).title, None);
    }

    #[test]
    fn title_followed_directly_by_body_and_markdown_heading() {
        let text = "# Council passes budget\nThe council voted 5-2 on Tuesday.";
        assert_eq!(detect(text).title.as_deref(), Some("Council passes budget"));
    }

    #[test]
    fn title_below_a_dateline_and_a_breadcrumb_line() {
        let text = "Monday, March 4, 2024\nHomeNewsWorld,.\n\nCity council approves harbour budget\n\nThe council voted on Monday.\n";
        let m = detect(text);
        assert_eq!(m.title.as_deref(), Some("City council approves harbour budget"));
        assert_eq!(m.date.as_deref(), Some("2024-03-04"));
        let direct = "Monday, March 4, 2024\nCouncil approves budget\nThe council voted on Monday.";
        assert_eq!(detect(direct).title.as_deref(), Some("Council approves budget"));
    }

    #[test]
    fn glued_menu_text_and_cut_off_lines_are_not_titles() {
        let text = "HomeWorldNewsEurope Latest on the harbour\n\nThe council voted.";
        assert_eq!(detect(text).title, None);
        let cut = "Council approves harbour budget after long,...\n\nThe council voted.";
        assert_eq!(detect(cut).title, None);
        let brand = "McDonald's opens on YouTube\n\nThe chain said.";
        assert_eq!(detect(brand).title.as_deref(), Some("McDonald's opens on YouTube"));
        let below_menu = "Monday, March 4, 2024\nHomeWorldNewsEurope Latest on the harbour\n\nHarbour budget approved by council\n\nThe council voted.";
        assert_eq!(detect(below_menu).title.as_deref(), Some("Harbour budget approved by council"));
    }

    #[test]
    fn subheading_after_a_lead_paragraph_is_not_a_title() {
        let long_lead = "The council voted on Monday to approve the harbour budget after a debate that lasted most of the day and ended with a narrow majority in favour.";
        let text = format!("{long_lead}\n\nWhat happens next\n\nMore text.");
        assert_eq!(detect(&text).title, None);
        let short_lead = "The council voted on Monday.\n\nWhat happens next\n\nMore text.";
        assert_eq!(detect(short_lead).title, None);
        let one_word = "Kicker line\n\nBackground\n\nMore text.";
        assert_eq!(detect(one_word).title.as_deref(), Some("Kicker line"));
        let body_only = "First sentence here.\nSecond sentence here.\nThird one.";
        assert_eq!(detect(body_only).title, None);
    }

    #[test]
    fn sentence_with_a_date_is_not_a_dateline() {
        let text = "Budget vote\n\nThe council said on February 6, 2025 that it would vote again next month after a long debate.";
        assert_eq!(detect(text).date, None);
    }

    #[test]
    fn byline_rejects_prose_starting_with_by() {
        assert_eq!(byline("By the end of the week, prices had fallen"), None);
        assert_eq!(byline("By Ana de la Cruz | Example Wire").as_deref(), Some("Ana de la Cruz"));
        assert_eq!(byline("by JOHN SMITH").as_deref(), Some("JOHN SMITH"));
    }

    #[test]
    fn several_authors_become_one_list() {
        assert_eq!(author_list("Jane Doe and John Roe"), "Jane Doe, John Roe");
        assert_eq!(author_list("Ana Silva, Lee Park & Tom de Vries"), "Ana Silva, Lee Park, Tom de Vries");
        assert_eq!(author_list("Ana Silva, Lee Park, and Tom Roe"), "Ana Silva, Lee Park, Tom Roe");
        assert_eq!(author_list("Staff and agencies"), "Staff and agencies");
        assert_eq!(author_list("Jane Doe"), "Jane Doe");
        assert_eq!(byline("By Jane Doe & John Roe | Example Wire").as_deref(), Some("Jane Doe, John Roe"));
    }

    #[test]
    fn updated_line_is_skipped_for_the_published_one() {
        let text = "Headline here\nUpdated March 9, 2024\nPublished March 8, 2024\nBody text follows here.";
        assert_eq!(detect(text).date.as_deref(), Some("2024-03-08"));
    }

    #[test]
    fn metadata_in_the_middle_of_a_long_text_is_ignored() {
        let mut text = String::from("Headline\n\n");
        for _ in 0..20 {
            text.push_str("A paragraph of body text that says things.\n\n");
        }
        text.push_str("Source: Not The Outlet\n\n");
        for _ in 0..10 {
            text.push_str("More body text that keeps going here.\n\n");
        }
        assert_eq!(detect(&text).outlet, None);
    }
}
