//! Synthetic HTML news pages: realistic chrome (cookie banner, navigation, sidebar, footer,
//! JSON-LD and Open Graph metadata) around an `<article>`. Used by `html` (pages of shuffled
//! example sentences) and by `gen --format html` (the generated stories as pages).
//!
//! It writes markup only; what the article says is decided by the callers.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

use crate::rng::SplitMix64;

pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const SECTIONS: [&str; 8] = ["World", "Politics", "Business", "Climate", "Science", "Transport", "Local", "Opinion"];
const OUTLETS: [&str; 5] = ["The Morning Ledger", "Valley Courier", "Harbour Times", "Northern Post", "Daily Beacon"];
const AUTHORS: [&str; 6] = ["Ana Ruiz", "Tom Becker", "Leila Haddad", "Sam Okafor", "Mira Kowal", "Jon Price"];

/// What a page says about its article, besides the paragraphs.
#[derive(Debug)]
pub struct PageMeta<'a> {
    pub index: usize,
    pub title: &'a str,
    pub outlet: &'a str,
    pub author: &'a str,
    /// ISO date.
    pub date: &'a str,
    pub url: &'a str,
    pub section: &'a str,
    pub hour: usize,
}

/// A whole page around `paragraphs` (plain text, escaped here); `most_read` are sidebar links.
pub fn page(meta: &PageMeta, paragraphs: &[String], most_read: &[String]) -> String {
    let PageMeta { index, outlet, author, date, url, section, hour, .. } = *meta;
    let title = escape_html(meta.title);
    let section_lower = section.to_lowercase();
    let nav: String = SECTIONS.iter().map(|s| format!("<li><a href=\"/{}\">{s}</a></li>", s.to_lowercase())).collect();
    let most_read: String = most_read
        .iter()
        .enumerate()
        .map(|(k, h)| format!("<li><a href=\"/story/{index}-{k}\">{}</a></li>", escape_html(h)))
        .collect();
    let body: String = paragraphs.iter().map(|p| format!("    <p>{}</p>\n", escape_html(p))).collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | {outlet}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta property="og:title" content="{title}">
  <meta property="og:site_name" content="{outlet}">
  <meta property="article:published_time" content="{date}T{hour:02}:15:00Z">
  <link rel="canonical" href="{url}">
  <link rel="stylesheet" href="/static/site.css">
  <script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{title}","datePublished":"{date}T{hour:02}:15:00Z","dateModified":"2026-12-01T08:00:00Z","author":{{"@type":"Person","name":"{author}"}},"publisher":{{"@type":"Organization","name":"{outlet}"}}}}</script>
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "{index}"}});</script>
</head>
<body>
  <div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
  <header class="site-header">
    <a class="logo" href="/">{outlet}</a>
    <nav><ul>{nav}</ul></nav>
    <form class="search" action="/search"><input name="q" placeholder="Search"></form>
  </header>
  <main>
  <article>
    <h1>{title}</h1>
    <p class="byline">By <a rel="author" href="/authors/{index}">{author}</a> · <time datetime="{date}">{date}</time></p>
{body}    <p class="tags">Filed under <a href="/{section_lower}">{section}</a></p>
  </article>
  <aside class="sidebar">
    <h2>Most read</h2>
    <ol>{most_read}</ol>
    <div class="newsletter">Get the morning briefing in your inbox. <a href="/newsletter">Sign up</a></div>
  </aside>
  </main>
  <footer>
    <ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul>
    <p>© 2026 {outlet}. All rights reserved.</p>
  </footer>
</body>
</html>
"#
    )
}

/// Body sentences of the bundled plain-text examples (their first three lines are title,
/// date line and byline, which would repeat too often to read as article text).
fn example_sentences() -> Result<Vec<String>> {
    let dir = crate::repo_root().join("examples/articles");
    let mut sentences = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        for paragraph in text.lines().skip(3).filter(|l| l.split_whitespace().count() >= 6) {
            sentences.extend(split_sentences(paragraph));
        }
    }
    if sentences.len() < 20 {
        bail!("too few example sentences under {}", dir.display());
    }
    Ok(sentences)
}

/// Splits at `. `, `? ` and `! ` followed by a capital letter or a quote: good enough for
/// the examples, which are ordinary news prose.
fn split_sentences(paragraph: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = paragraph.as_bytes();
    for (i, window) in bytes.windows(3).enumerate() {
        let ends = matches!(window[0], b'.' | b'?' | b'!') && window[1] == b' ';
        let next_starts = window[2].is_ascii_uppercase() || window[2] == b'"';
        if ends && next_starts {
            out.push(paragraph[start..=i].trim().to_string());
            start = i + 2;
        }
    }
    let rest = paragraph[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// One synthetic page of shuffled example sentences: an article of 300-800 words.
fn html_page(index: usize, sentences: &[String], rng: &mut SplitMix64) -> String {
    let outlet = OUTLETS[index % OUTLETS.len()];
    let author = AUTHORS[rng.range(0, AUTHORS.len())];
    let section = SECTIONS[rng.range(0, SECTIONS.len())];
    let (month, day) = (rng.range(1, 13), rng.range(1, 29));
    let date = format!("2026-{month:02}-{day:02}");
    let target_words = rng.range(300, 801);
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    rng.shuffle(&mut order);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut words = 0;
    let mut paragraph_length = rng.range(2, 5);
    for &i in order.iter().cycle() {
        if words >= target_words {
            break;
        }
        current.push(&sentences[i]);
        words += sentences[i].split_whitespace().count();
        if current.len() >= paragraph_length {
            paragraphs.push(current.join(" "));
            current.clear();
            paragraph_length = rng.range(2, 5);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    let title_words: Vec<&str> = sentences[order[0]].split_whitespace().take(rng.range(7, 12)).collect();
    let title = title_words.join(" ").trim_end_matches([',', '.', ';']).to_string();
    let slug: String = title_words.iter().take(5).map(|w| w.to_lowercase()).collect::<Vec<_>>().join("-");
    let slug: String = slug.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let url = format!("https://news.example.com/{}/{date}/{slug}-{index}", section.to_lowercase());
    let most_read: Vec<String> = (0..5)
        .map(|k| {
            let s = &sentences[order[(k + 1) * 7 % order.len()]];
            s.split_whitespace().take(8).collect::<Vec<_>>().join(" ")
        })
        .collect();
    let hour = rng.range(5, 22);
    let meta = PageMeta { index, title: &title, outlet, author, date: &date, url: &url, section, hour };
    page(&meta, &paragraphs, &most_read)
}

pub fn write_html_pages(pages: usize, out: &Path) -> Result<()> {
    let sentences = example_sentences()?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut rng = SplitMix64(0x00C0_FFEE);
    let mut bytes = 0usize;
    for index in 0..pages {
        let page = html_page(index, &sentences, &mut rng);
        bytes += page.len();
        let path = out.join(format!("page-{index:05}.html"));
        std::fs::write(&path, page).with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!("wrote {pages} pages, {:.1} MB of HTML, to {}", bytes as f64 / 1e6, out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_full_stops_before_capitals() {
        let parts = split_sentences("The mayor spoke on Monday. Rain fell again. It was 3.5 mm.");
        assert_eq!(parts, vec!["The mayor spoke on Monday.", "Rain fell again.", "It was 3.5 mm."]);
    }

    #[test]
    fn pages_differ_and_carry_the_chrome() {
        let sentences: Vec<String> = (0..40).map(|i| format!("Sentence number {i} says something <new>.")).collect();
        let mut rng = SplitMix64(7);
        let first = html_page(0, &sentences, &mut rng);
        let second = html_page(1, &sentences, &mut rng);
        assert_ne!(first, second);
        for needle in ["<article>", "<nav>", "<aside", "<footer>", "datePublished", "&lt;new&gt;"] {
            assert!(first.contains(needle), "missing {needle}");
        }
        let article = &first[first.find("<article>").unwrap_or(0)..first.find("</article>").unwrap_or(0)];
        let words = article.split_whitespace().count();
        assert!((300..900).contains(&words), "{words} words");
    }
}
