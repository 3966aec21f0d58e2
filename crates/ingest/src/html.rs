//! HTML pages to article text plus metadata.
//!
//! The article body comes from one of two boilerplate removers measured on `htmlbench`
//! ([`HtmlExtractor`]: dom_smoothie by default for speed, rs-trafilatura for the best F1; the
//! figures and reasons are in `quality/htmlbench.md`), followed by the furniture-line filter. Metadata comes from
//! the page's own declarations, read with `dom_query` (the parser dom_smoothie uses): JSON-LD (`datePublished`, `headline`,
//! `author`, `publisher`), Open Graph and `article:` meta tags, `<title>`, `<html lang>`.
//! The publication date is taken, in this order, from JSON-LD / meta tags, a `<time>` (or
//! `itemprop` date) element outside page chrome (menus, sidebars, the site's header and footer:
//! `resources/ingest/page_chrome.txt`), a date in the page URL's path, a date line in the body
//! or beside the headline ("Published March 5, 2024"), the extractor's own guess; modified /
//! "Updated" dates only when nothing says when the article was published.
//!
//! Untrusted pages can be pathological. Before any DOM is built, a linear byte scan measures how
//! deep the elements nest; DOM libraries walk trees recursively and html5ever's scope checks are
//! quadratic in depth, so above [`MAX_NESTING_DEPTH`] the page is read by a flat tag stripper
//! instead (no tree, no recursion). The extractor call is also shielded from panics.
//! This module must not do file IO, and must not copy benchmark pages anywhere.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use serde_json::Value;

use crate::dates::{data_lines, date_in_url, normalize_date};

const PAGE_CHROME: &str = include_str!("../../../resources/ingest/page_chrome.txt");

/// Deeper element nesting than this is read by the flat tag stripper. Browsers cap the DOM
/// at a few hundred levels too (Blink: 512); real news pages stay well under 100.
pub const MAX_NESTING_DEPTH: usize = 512;
/// Longer "site names" are blocks of page text (weather widgets, slogans), not outlets.
const MAX_OUTLET_WORDS: usize = 8;

/// An article read from an HTML page: the body text and what the page declares about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlArticle {
    pub text: String,
    pub title: Option<String>,
    pub author: Option<String>,
    pub site_name: Option<String>,
    /// Publication date, ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Primary language subtag, lower case ("en").
    pub language: Option<String>,
    pub url: Option<String>,
}

/// Which boilerplate remover reads the article body out of a page. Both are followed by the
/// furniture-line filter (`boilerplate`); figures in `quality/htmlbench.md`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum HtmlExtractor {
    /// dom_smoothie (Readability-style), text mode `Formatted`: htmlbench F1 0.963, about
    /// 4-5x faster than `Accurate`; meets the project's speed target (3x trafilatura).
    #[default]
    Fast,
    /// rs-trafilatura with the article page profile: htmlbench F1 0.970, the best measured,
    /// at roughly trafilatura's speed.
    Accurate,
}

impl HtmlExtractor {
    pub fn as_str(&self) -> &'static str {
        match self {
            HtmlExtractor::Fast => "fast",
            HtmlExtractor::Accurate => "accurate",
        }
    }
}

/// Article text and metadata from an HTML page, with the default boilerplate remover.
pub fn html_to_article(html: &str, url: Option<&str>) -> HtmlArticle {
    read_html(html, url, HtmlExtractor::default()).article
}

/// Article text and metadata from an HTML page, with the given boilerplate remover.
pub fn html_to_article_with(html: &str, url: Option<&str>, extractor: HtmlExtractor) -> HtmlArticle {
    read_html(html, url, extractor).article
}

/// What [`read_html`] found.
pub(crate) struct HtmlReading {
    pub article: HtmlArticle,
    /// Set when the page had to be read the degraded way.
    pub warning: Option<String>,
    /// What the body says about itself (dateline, byline, source line), read before furniture
    /// lines were dropped: bylines and datelines are metadata.
    pub detected: crate::textmeta::TextMetadata,
}

/// As [`html_to_article_with`], plus a warning and what the body says about itself.
pub(crate) fn read_html(html: &str, url: Option<&str>, extractor: HtmlExtractor) -> HtmlReading {
    let depth = nesting_depth(html);
    if depth > MAX_NESTING_DEPTH {
        let (text, title) = flat_text(html);
        let detected = crate::textmeta::detect(&text);
        let article = HtmlArticle { text, title, url: url.map(str::to_string), ..HtmlArticle::default() };
        let warning = format!(
            "HTML nests {depth} levels deep (> {MAX_NESTING_DEPTH}); read as flat text without boilerplate removal"
        );
        return HtmlReading { article, warning: Some(warning), detected };
    }

    let (meta, body) = match extractor {
        HtmlExtractor::Fast => read_fast(html, url),
        HtmlExtractor::Accurate => (page_metadata(html), extract_body(html, url)),
    };
    let (mut body, extractor_meta, mut warning) = match body {
        Ok((body, extractor_meta)) => (body, Some(extractor_meta), None),
        Err(reason) => (String::new(), None, Some(reason)),
    };
    let extractor_meta = extractor_meta.unwrap_or_default();
    // The remover pads pages that have (almost) no body text with repeats of the title or of
    // the page text; the page's own visible text bounds what an article body can be.
    let (visible, _) = flat_text(html);
    let visible_chars = non_space_chars(&visible);
    if visible_chars == 0 {
        body.clear();
    } else if non_space_chars(&body) > visible_chars + visible_chars / 5 + 8 {
        body = visible.clone();
        warning = Some("boilerplate removal produced more text than the page has; kept the whole page text".into());
    }

    let page_url = url.map(str::to_string).or(meta.url.clone());
    // Beyond the tags read above, extractors guess site names from page text (a menu bar can
    // come back); their guess counts only when the page's <title> names it too.
    let extractor_site_name =
        extractor_meta.site_name.filter(|name| meta.title.as_deref().is_some_and(|title| title.contains(name.trim())));
    let site_name = [meta.site_name.clone(), extractor_site_name]
        .into_iter()
        .flatten()
        .find_map(|s| clean_outlet(&s))
        .or_else(|| page_url.as_deref().and_then(host_name));
    let title = meta
        .og_title
        .as_deref()
        .map(|t| strip_site_suffix(t, site_name.as_deref()))
        .or_else(|| meta.headline.clone())
        .or_else(|| meta.title.as_deref().map(|t| strip_site_suffix(t, site_name.as_deref())))
        .or(extractor_meta.title);
    let unfiltered_text = tidy_text(&body);
    let mut detected = crate::textmeta::detect(&unfiltered_text);
    if detected.date.is_none() || detected.author.is_none() {
        // The byline and date line often sit beside the headline, outside the extracted body.
        let heading = meta.first_heading.as_deref().or(meta.title.as_deref());
        if let Some(near) = heading.and_then(|h| lines_near_heading(&visible, h)) {
            let near = crate::textmeta::detect(&near);
            detected.date = detected.date.or(near.date);
            detected.author = detected.author.or(near.author);
        }
    }
    // The page's own declarations first, then where the article shows its date, then the
    // extractor's guess; modified dates only when nothing says when it was published.
    let date = meta
        .published
        .clone()
        .or_else(|| meta.element_published.clone())
        .or_else(|| [url, meta.url.as_deref()].into_iter().flatten().find_map(date_in_url))
        .or_else(|| detected.date.clone())
        .or(extractor_meta.date)
        .or_else(|| meta.modified.clone())
        .or_else(|| meta.element_modified.clone());
    let article = HtmlArticle {
        text: crate::boilerplate::strip_furniture(&unfiltered_text),
        title: title.map(|t| collapse_whitespace(&t)).filter(|t| !t.is_empty()),
        author: [meta.author.clone(), extractor_meta.author].into_iter().flatten().find_map(|a| clean_author(&a)),
        site_name,
        date,
        language: meta.language.clone(),
        url: page_url,
    };
    HtmlReading { article, warning, detected }
}

/// Paragraphs of lines above and below the paragraph of the page's visible text that is the
/// headline (`heading`, matched whole and case-insensitively), or `None` when no paragraph is.
fn lines_near_heading(visible: &str, heading: &str) -> Option<String> {
    const ABOVE: usize = 2;
    const BELOW: usize = 8;
    let paragraphs: Vec<&str> = visible.split("\n\n").collect();
    let at = paragraphs.iter().position(|p| p.trim().eq_ignore_ascii_case(heading.trim()))?;
    let window = &paragraphs[at.saturating_sub(ABOVE)..(at + 1 + BELOW).min(paragraphs.len())];
    Some(window.join("\n\n"))
}

/// What the chosen extractor reports besides the body, used where the page's own tags are silent.
#[derive(Debug, Default)]
struct ExtractorMeta {
    title: Option<String>,
    author: Option<String>,
    site_name: Option<String>,
    date: Option<String>,
}

/// Page metadata and body with one parse: the metadata is read from the tree first, then
/// dom_smoothie (`Formatted` text mode, paragraph breaks kept) takes the same tree and prunes
/// it. Shielded from panics.
fn read_fast(html: &str, url: Option<&str>) -> (PageMeta, Result<(String, ExtractorMeta), String>) {
    let config = dom_smoothie::Config { text_mode: dom_smoothie::TextMode::Formatted, ..Default::default() };
    // dom_smoothie refuses a relative or malformed page URL; the page is still readable without.
    let url = url.filter(|u| url::Url::parse(u).is_ok_and(|parsed| parsed.has_host()));
    let mut meta = PageMeta::default();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let document = dom_query::Document::from(html);
        meta = page_metadata_of(&document);
        let mut readability = dom_smoothie::Readability::with_document(document, url, Some(config))?;
        readability.parse()
    }));
    let body = match outcome {
        Ok(Ok(article)) => {
            let meta = ExtractorMeta {
                title: Some(article.title).filter(|t| !t.trim().is_empty()),
                author: article.byline.filter(|a| !a.trim().is_empty()),
                site_name: article.site_name.filter(|s| !s.trim().is_empty()),
                date: article.published_time.as_deref().and_then(normalize_date),
            };
            Ok((article.text_content.to_string(), meta))
        }
        // Readability's "no content" is an empty article, not a failure of the page.
        Ok(Err(_)) => Ok((String::new(), ExtractorMeta::default())),
        Err(_) => Err("boilerplate removal panicked".to_string()),
    };
    (meta, body)
}

/// rs-trafilatura with the article page profile, shielded from panics. Forcing the profile
/// skips its page-type classifier (a third of its time): ingest reads news articles.
fn extract_body(html: &str, url: Option<&str>) -> Result<(String, ExtractorMeta), String> {
    let options = rs_trafilatura::Options {
        url: url.map(str::to_string),
        page_type: Some(rs_trafilatura::page_type::PageType::Article),
        ..Default::default()
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| rs_trafilatura::extract_with_options(html, &options)));
    match outcome {
        Ok(Ok(result)) => {
            let m = result.metadata;
            let meta = ExtractorMeta {
                title: m.title.filter(|t| !t.trim().is_empty()),
                author: m.author.filter(|a| !a.trim().is_empty()),
                site_name: m.sitename.filter(|s| !s.trim().is_empty()),
                date: m.date.and_then(|d| normalize_date(&d.to_string())),
            };
            Ok((result.content_text, meta))
        }
        Ok(Err(e)) => Err(format!("boilerplate removal failed: {e}")),
        Err(_) => Err("boilerplate removal panicked".to_string()),
    }
}

/// Metadata the page declares about itself.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct PageMeta {
    pub title: Option<String>,
    /// The first `<h1>`: where the visible byline and date line are looked for.
    pub first_heading: Option<String>,
    pub og_title: Option<String>,
    pub headline: Option<String>,
    pub site_name: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    /// From `<time>` (or `itemprop` date) elements outside page chrome.
    pub element_published: Option<String>,
    pub element_modified: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
}

/// Meta keys that give the publication date, most trusted first.
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date.published",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
];
const MODIFIED_KEYS: &[&str] = &["article:modified_time", "og:updated_time", "datemodified", "dcterms.modified"];
const AUTHOR_KEYS: &[&str] = &["article:author", "author", "parsely-author", "sailthru.author", "dc.creator"];

/// Reads `<title>`, meta tags and JSON-LD with one DOM parse.
pub(crate) fn page_metadata(html: &str) -> PageMeta {
    page_metadata_of(&dom_query::Document::from(html))
}

/// Reads `<title>`, meta tags and JSON-LD from an already parsed page (the fast path parses
/// once and hands the same tree to the boilerplate remover afterwards).
pub(crate) fn page_metadata_of(doc: &dom_query::Document) -> PageMeta {
    let first = |selector: &str| doc.select(selector).nodes().first().cloned();
    let mut meta = PageMeta {
        title: first("title").map(|t| collapse_whitespace(&t.text())).filter(|t| !t.is_empty()),
        first_heading: first("h1").map(|h| collapse_whitespace(&h.text())).filter(|h| !h.is_empty()),
        ..PageMeta::default()
    };

    // key → first non-empty content, keys lower-cased from property/name/itemprop.
    let mut tags: Vec<(String, String)> = Vec::new();
    for element in doc.select("meta").nodes() {
        let Some(content) = element.attr("content") else {
            continue;
        };
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        for key_attr in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(keys) = element.attr(key_attr) {
                // `itemprop="datePublished dateCreated"` names two properties at once.
                for key in keys.split_whitespace() {
                    tags.push((key.to_lowercase(), content.to_string()));
                }
            }
        }
    }
    let tag = |key: &str| tags.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let first_date = |keys: &[&str]| keys.iter().find_map(|k| tag(k).and_then(|v| normalize_date(&v)));

    let mut json_ld = JsonLdFacts::default();
    for script in doc.select(r#"script[type="application/ld+json" i]"#).nodes() {
        let source = script.text();
        if let Ok(value) = serde_json::from_str::<Value>(source.trim()) {
            json_ld.absorb(&value);
        }
    }

    meta.og_title = tag("og:title").map(|t| collapse_whitespace(&t)).filter(|t| !t.is_empty());
    meta.headline = json_ld.headline.clone();
    meta.site_name = tag("og:site_name")
        .or_else(|| json_ld.publisher.clone())
        .or_else(|| json_ld.other_publisher.clone())
        .or_else(|| json_ld.website_name.clone());
    meta.published = json_ld.published.as_deref().and_then(normalize_date).or_else(|| first_date(PUBLISHED_KEYS));
    meta.modified = json_ld.modified.as_deref().and_then(normalize_date).or_else(|| first_date(MODIFIED_KEYS));
    (meta.element_published, meta.element_modified) = element_dates(doc);
    // Author tags often hold a profile URL rather than a name; keep names only.
    meta.author = json_ld
        .author
        .clone()
        .or_else(|| AUTHOR_KEYS.iter().filter_map(|k| tag(k)).find(|v| !v.contains("://") && !v.starts_with("www.")));
    let html_lang = first("html").and_then(|h| h.attr("lang").map(|l| l.to_string()));
    meta.language =
        html_lang.or_else(|| tag("content-language")).or_else(|| tag("og:locale")).and_then(|l| primary_language(&l));
    meta.url = tag("og:url")
        .or_else(|| first(r#"link[rel="canonical" i]"#).and_then(|l| l.attr("href").map(|h| h.to_string())))
        .or_else(|| json_ld.url.clone())
        .filter(|u| u.starts_with("http"));
    meta
}

/// Element names and class / id words that say where on a page an element sits.
struct ChromeLexicon {
    chrome: Vec<String>,
    frame: Vec<String>,
    article: Vec<String>,
}

fn chrome_lexicon() -> &'static ChromeLexicon {
    static LEXICON: OnceLock<ChromeLexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut lexicon = ChromeLexicon { chrome: Vec::new(), frame: Vec::new(), article: Vec::new() };
        for line in data_lines(PAGE_CHROME) {
            let mut parts = line.split_whitespace();
            let (Some(kind), Some(word)) = (parts.next(), parts.next()) else {
                continue;
            };
            let list = match kind {
                "chrome" => &mut lexicon.chrome,
                "frame" => &mut lexicon.frame,
                "article" => &mut lexicon.article,
                _ => continue,
            };
            list.push(word.to_lowercase());
        }
        lexicon
    })
}

/// Where an element sits, judged by its name and its class / id words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    Chrome,
    Frame,
    Article,
    Neutral,
}

fn region_of(node: &dom_query::NodeRef) -> Region {
    let lexicon = chrome_lexicon();
    let name = node.node_name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
    let mut words = String::new();
    for attr in ["class", "id", "role"] {
        if let Some(value) = node.attr(attr) {
            words.push(' ');
            words.push_str(&value.to_ascii_lowercase());
        }
    }
    let matches = |list: &[String]| {
        list.iter().any(|marker| {
            marker == &name
                || words.split_whitespace().any(|token| {
                    if marker.contains('-') {
                        token.contains(marker.as_str())
                    } else {
                        token == marker || token.split(['-', '_']).any(|part| part == marker)
                    }
                })
        })
    };
    let schema_article = node.attr("itemprop").is_some_and(|p| p.eq_ignore_ascii_case("articleBody"))
        || node.attr("itemtype").is_some_and(|t| t.contains("Article") || t.contains("BlogPosting"));
    if matches(&lexicon.chrome) {
        Region::Chrome
    } else if schema_article || matches(&lexicon.article) {
        Region::Article
    } else if matches(&lexicon.frame) {
        Region::Frame
    } else {
        Region::Neutral
    }
}

/// True when the element sits in page chrome: a menu, sidebar or teaser anywhere above it, or
/// the site's header / footer that no article encloses (an article's own `<header>` is fine).
fn in_page_chrome(node: &dom_query::NodeRef) -> bool {
    let mut framed = false;
    for ancestor in node.ancestors_it(None) {
        match region_of(&ancestor) {
            Region::Chrome => return true,
            Region::Article => return false,
            Region::Frame => framed = true,
            Region::Neutral => {}
        }
    }
    framed
}

/// What a date element says it is, by its own or its container's `itemprop` / class / id,
/// `pubdate`, or a label written just before it ("Updated <time>").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateLabel {
    Published,
    Updated,
    Unlabelled,
}

const UPDATED_MARKS: &[&str] = &["modified", "updated", "update", "edited", "revised"];
const PUBLISHED_MARKS: &[&str] = &["published", "publish", "pubdate", "posted", "created", "dateline"];
const INLINE_LABEL_ELEMENTS: &[&str] = &["b", "strong", "span", "em", "i", "label", "small", "abbr"];
/// Text longer than this around a date element is a paragraph, not a label.
const MAX_LABEL_CONTEXT_CHARS: usize = 80;

fn date_label(node: &dom_query::NodeRef) -> DateLabel {
    if node.attr("pubdate").is_some() {
        return DateLabel::Published;
    }
    let mut marks = String::new();
    for element in std::iter::once(*node).chain(node.parent()) {
        for attr in ["itemprop", "class", "id"] {
            if let Some(value) = element.attr(attr) {
                marks.push(' ');
                marks.push_str(&value.to_ascii_lowercase());
            }
        }
    }
    // The words written just before it ("Updated <time>", "<b>Posted:</b> <time>").
    let mut sibling = node.prev_sibling();
    for _ in 0..2 {
        let Some(before) = sibling else {
            break;
        };
        // Text and inline labels only: a whole paragraph before it belongs to something else.
        let inline = before.is_text() || INLINE_LABEL_ELEMENTS.iter().any(|name| before.has_name(name));
        if !inline {
            break;
        }
        let text = before.text();
        if text.chars().count() > MAX_LABEL_CONTEXT_CHARS {
            break;
        }
        marks.push(' ');
        marks.push_str(&text.to_lowercase());
        sibling = before.prev_sibling();
    }
    let has = |list: &[&str]| list.iter().any(|m| marks.contains(m));
    // Both kinds of mark (a container "post-meta updated", "Published ... Updated"): the
    // element's own attributes decide.
    match (has(PUBLISHED_MARKS), has(UPDATED_MARKS)) {
        (true, false) => DateLabel::Published,
        (false, true) => DateLabel::Updated,
        (true, true) => own_label(node),
        (false, false) => DateLabel::Unlabelled,
    }
}

/// The label an element's own attributes give, ignoring its container.
fn own_label(node: &dom_query::NodeRef) -> DateLabel {
    let mut marks = String::new();
    for attr in ["itemprop", "class", "id"] {
        if let Some(value) = node.attr(attr) {
            marks.push(' ');
            marks.push_str(&value.to_ascii_lowercase());
        }
    }
    if UPDATED_MARKS.iter().any(|m| marks.contains(m)) {
        DateLabel::Updated
    } else {
        DateLabel::Published
    }
}

/// Dates of `<time>` elements and `itemprop` date elements outside page chrome: (published,
/// modified). A date marked published wins over an unmarked one; one marked updated is only a
/// modified date. Page order decides among equals.
fn element_dates(doc: &dom_query::Document) -> (Option<String>, Option<String>) {
    let mut published = None;
    let mut unlabelled = None;
    let mut modified = None;
    let selector = r#"time, [itemprop="datePublished" i], [itemprop="dateCreated" i], [itemprop="dateModified" i]"#;
    for node in doc.select(selector).nodes() {
        // `<meta itemprop>` is read with the other meta tags.
        if node.has_name("meta") {
            continue;
        }
        let value = match node.attr("datetime").or_else(|| node.attr("content")) {
            Some(value) => value.to_string(),
            None => {
                let text = node.text();
                if text.chars().count() > MAX_LABEL_CONTEXT_CHARS {
                    continue;
                }
                text.to_string()
            }
        };
        let Some(date) = normalize_date(&value) else {
            continue;
        };
        if in_page_chrome(node) {
            continue;
        }
        let slot = match date_label(node) {
            DateLabel::Published => &mut published,
            DateLabel::Updated => &mut modified,
            DateLabel::Unlabelled => &mut unlabelled,
        };
        if slot.is_none() {
            *slot = Some(date);
        }
    }
    (published.or(unlabelled), modified)
}

/// "en-US" / "en_GB" → "en"; anything that is not a 2–3 letter subtag → None.
fn primary_language(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_lowercase();
    let ok = (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    ok.then_some(primary)
}

/// Facts from JSON-LD blocks; an Article-typed object wins over other objects.
#[derive(Debug, Default)]
struct JsonLdFacts {
    headline: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
    from_article: bool,
    /// The publisher named by a non-article object (a `WebPage`), used when no article names one.
    other_publisher: Option<String>,
    /// The `name` of a `WebSite` object: the outlet of last resort within JSON-LD.
    website_name: Option<String>,
}

impl JsonLdFacts {
    /// Walks arrays, `@graph` lists and nested objects without recursion.
    fn absorb(&mut self, root: &Value) {
        let mut stack = vec![root];
        while let Some(value) = stack.pop() {
            match value {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(map) => {
                    if let Some(graph) = map.get("@graph") {
                        stack.push(graph);
                    }
                    self.take_object(map);
                }
                _ => {}
            }
        }
    }

    fn take_object(&mut self, map: &serde_json::Map<String, Value>) {
        let types: Vec<&str> = match map.get("@type") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let is_article = types.iter().any(|n| n.contains("Article") || n.contains("Posting") || n.contains("Report"));
        let has_dates = map.contains_key("datePublished");
        if !is_article {
            if self.other_publisher.is_none() {
                self.other_publisher = map.get("publisher").and_then(name_of);
            }
            if self.website_name.is_none() && types.contains(&"WebSite") {
                self.website_name = map.get("name").and_then(name_of);
            }
        }
        if !is_article && !has_dates {
            return;
        }
        // An article object replaces facts taken from a non-article one, never the reverse.
        if self.from_article && !is_article {
            return;
        }
        let replace = is_article && !self.from_article;
        let string = |key: &str| {
            map.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
        };
        let set = |slot: &mut Option<String>, value: Option<String>| {
            if value.is_some() && (replace || slot.is_none()) {
                *slot = value;
            }
        };
        set(&mut self.headline, string("headline").map(|h| collapse_whitespace(&h)));
        set(&mut self.published, string("datePublished"));
        set(&mut self.modified, string("dateModified"));
        set(&mut self.author, map.get("author").and_then(person_names));
        set(&mut self.publisher, map.get("publisher").and_then(name_of));
        set(&mut self.url, string("url"));
        if is_article {
            self.from_article = true;
        }
    }
}

fn name_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(|s| s.trim().to_string()),
        _ => None,
    }
    .filter(|s| !s.is_empty() && !s.contains("://"))
}

/// `"author": "Jane"`, `{"name": "Jane"}` or a list of either → "Jane, John".
fn person_names(value: &Value) -> Option<String> {
    let names: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(name_of).collect(),
        other => name_of(other).into_iter().collect(),
    };
    (!names.is_empty()).then(|| names.join(", "))
}

/// An outlet name as declared, or `None` when the value is a social handle or a block of
/// page text rather than a name.
fn clean_outlet(value: &str) -> Option<String> {
    let value = collapse_whitespace(value);
    let words = value.split_whitespace().count();
    let plausible =
        !value.starts_with('@') && (1..=MAX_OUTLET_WORDS).contains(&words) && value.chars().any(char::is_alphabetic);
    plausible.then_some(value)
}

/// An author as declared, without a leading "By" and with whitespace runs collapsed.
fn clean_author(value: &str) -> Option<String> {
    let value = collapse_whitespace(value);
    let value = match value.get(..3) {
        Some(head) if head.eq_ignore_ascii_case("by ") => value[3..].trim().to_string(),
        _ => value,
    };
    let plausible = value.chars().any(char::is_alphabetic) && !value.contains("://");
    plausible.then(|| crate::textmeta::author_list(&value))
}

/// "https://www.example.com/a/b" → "example.com", the outlet of last resort.
fn host_name(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    let host = host.split(':').next()?.trim_start_matches("www.").to_lowercase();
    (host.contains('.') && !host.is_empty()).then_some(host)
}

/// "Headline | Site" → "Headline" when the suffix is the site's name.
fn strip_site_suffix(title: &str, site_name: Option<&str>) -> String {
    let title = collapse_whitespace(title);
    let Some(site) = site_name.map(str::trim).filter(|s| !s.is_empty()) else {
        return title;
    };
    for separator in [" | ", " - ", " \u{2014} ", " \u{2013} ", " :: ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(separator) {
            if tail.trim().eq_ignore_ascii_case(site) && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    title
}

fn non_space_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

pub(crate) fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Trailing spaces off every line, runs of blank lines down to one, ends trimmed.
fn tidy_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0usize;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Flat, tree-free reading: the depth scan and the fallback tag stripper.

const VOID_ELEMENTS: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];
/// Elements whose end tag the parser implies; they never nest into one another in the tree.
const IMPLIED_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb", "rt", "rp",
    "colgroup", "caption", "html", "head", "body",
];
/// Elements whose content is not markup (or not text a reader sees): skipped to their end tag.
const SKIPPED_CONTENT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "template", "svg",
    "math",
];
/// Elements that start a new block of text.
const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "dt",
    "dd",
    "dl",
    "hr",
    "form",
    "address",
    "body",
];

#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    Text(&'a str),
    Open {
        name: String,
        self_closing: bool,
    },
    Close {
        name: String,
    },
    /// Content of a skipped element (`title` text is wanted by the flat reader).
    Skipped {
        name: String,
        content: &'a str,
    },
}

/// A linear, allocation-light HTML tokenizer good enough to measure nesting and strip tags.
struct Tokens<'a> {
    html: &'a str,
    pos: usize,
    pending_skip: Option<String>,
}

impl<'a> Tokens<'a> {
    fn new(html: &'a str) -> Self {
        Tokens { html, pos: 0, pending_skip: None }
    }

    fn find_from(&self, from: usize, needle: &str) -> Option<usize> {
        self.html.get(from..)?.find(needle).map(|i| from + i)
    }

    /// End of a tag starting at `from` (index just past `>`), honouring quoted attributes.
    fn tag_end(&self, from: usize) -> usize {
        let bytes = self.html.as_bytes();
        let mut quote: Option<u8> = None;
        let mut i = from;
        while i < bytes.len() {
            let b = bytes[i];
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b'>' => return i + 1,
                None => {}
            }
            i += 1;
        }
        bytes.len()
    }

    /// Start of the next `</name` (any case) from the current position, or the end.
    fn closing_tag(&self, name: &str) -> usize {
        let mut from = self.pos;
        while let Some(i) = self.find_from(from, "</") {
            let candidate = self.html.as_bytes().get(i + 2..i + 2 + name.len());
            if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes())) {
                return i;
            }
            from = i + 2;
        }
        self.html.len()
    }

    fn name_at(&self, from: usize) -> (String, usize) {
        let bytes = self.html.as_bytes();
        let mut end = from;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'-' || bytes[end] == b':') {
            end += 1;
        }
        (self.html[from..end].to_ascii_lowercase(), end)
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        if let Some(name) = self.pending_skip.take() {
            let content_end = self.closing_tag(&name);
            let content = &self.html[self.pos..content_end];
            self.pos = if content_end < self.html.len() { self.tag_end(content_end) } else { content_end };
            return Some(Token::Skipped { name, content });
        }
        let bytes = self.html.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        let start = self.pos;
        if bytes[start] != b'<' {
            let end = self.find_from(start, "<").unwrap_or(bytes.len());
            self.pos = end;
            return Some(Token::Text(&self.html[start..end]));
        }
        let next = bytes.get(start + 1).copied().unwrap_or(b' ');
        if next.is_ascii_alphabetic() {
            let (name, after_name) = self.name_at(start + 1);
            let end = self.tag_end(after_name);
            self.pos = end;
            let self_closing = end >= 2 && bytes.get(end - 2) == Some(&b'/');
            if SKIPPED_CONTENT.contains(&name.as_str()) && !self_closing {
                self.pending_skip = Some(name.clone());
            }
            return Some(Token::Open { name, self_closing });
        }
        if next == b'/' && bytes.get(start + 2).is_some_and(u8::is_ascii_alphabetic) {
            let (name, after_name) = self.name_at(start + 2);
            self.pos = self.tag_end(after_name);
            return Some(Token::Close { name });
        }
        if self.html[start..].starts_with("<!--") {
            self.pos = self.find_from(start + 4, "-->").map_or(bytes.len(), |i| i + 3);
            return self.next();
        }
        if next == b'!' || next == b'?' || next == b'/' {
            self.pos = self.tag_end(start + 1);
            return self.next();
        }
        // A lone "<" is text.
        let end = self.find_from(start + 1, "<").unwrap_or(bytes.len());
        self.pos = end;
        Some(Token::Text(&self.html[start..end]))
    }
}

/// Tree levels one start tag stands for: a table brings the `tbody`, `tr` and `td` the
/// parser adds around its cells (whose own tags are not counted).
fn levels(name: &str) -> usize {
    if name == "table" {
        4
    } else {
        1
    }
}

/// An upper estimate of the element nesting depth the HTML parser would build, in one pass.
pub fn nesting_depth(html: &str) -> usize {
    let mut depth = 0usize;
    let mut max_depth = 0usize;
    for token in Tokens::new(html) {
        match token {
            Token::Open { name, self_closing } => {
                let name = name.as_str();
                // `<div/>` still opens a div in HTML (the slash is ignored), so only void
                // elements never nest; skipped (svg/math) content is not counted at all.
                if VOID_ELEMENTS.contains(&name) || IMPLIED_END.contains(&name) {
                    continue;
                }
                if SKIPPED_CONTENT.contains(&name) && self_closing {
                    continue;
                }
                if SKIPPED_CONTENT.contains(&name) {
                    // Counted for its own level only; its end tag is consumed with its content.
                    max_depth = max_depth.max(depth + 1);
                    continue;
                }
                depth += levels(name);
                max_depth = max_depth.max(depth);
            }
            Token::Close { name } => {
                let name = name.as_str();
                if !VOID_ELEMENTS.contains(&name) && !IMPLIED_END.contains(&name) {
                    depth = depth.saturating_sub(levels(name));
                }
            }
            Token::Text(_) | Token::Skipped { .. } => {}
        }
    }
    max_depth
}

/// Whole-page text with tags stripped and entities decoded, paragraphs at block elements,
/// plus the `<title>`. Used where building a DOM is unsafe; keeps no boilerplate judgement.
pub fn flat_text(html: &str) -> (String, Option<String>) {
    let mut raw = String::with_capacity(html.len() / 2);
    let mut title = None;
    for token in Tokens::new(html) {
        match token {
            Token::Text(t) => raw.push_str(&decode_entities(t)),
            Token::Open { name, .. } | Token::Close { name } => {
                if BLOCK_ELEMENTS.contains(&name.as_str()) {
                    raw.push('\n');
                } else {
                    // Inline tags can separate words ("a<span>b</span>" stays glued as in HTML).
                }
            }
            Token::Skipped { name, content } => {
                if name == "title" && title.is_none() {
                    let t = collapse_whitespace(&decode_entities(content));
                    if !t.is_empty() {
                        title = Some(t);
                    }
                }
            }
        }
    }
    let paragraphs: Vec<String> = raw.split('\n').map(collapse_whitespace).filter(|line| !line.is_empty()).collect();
    (paragraphs.join("\n\n"), title)
}

/// Decodes the common named entities and all numeric ones; unknown ones stay as written.
pub(crate) fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';').filter(|&i| i <= 10);
        let decoded = semi.and_then(|i| {
            let entity = &after[..i];
            let c = if let Some(num) = entity.strip_prefix('#') {
                let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
                    u32::from_str_radix(hex, 16).ok()
                } else {
                    num.parse::<u32>().ok()
                };
                code.and_then(char::from_u32)
            } else {
                match entity {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some('\u{a0}'),
                    "mdash" => Some('\u{2014}'),
                    "ndash" => Some('\u{2013}'),
                    "lsquo" => Some('\u{2018}'),
                    "rsquo" => Some('\u{2019}'),
                    "ldquo" => Some('\u{201c}'),
                    "rdquo" => Some('\u{201d}'),
                    "hellip" => Some('\u{2026}'),
                    "copy" => Some('\u{a9}'),
                    _ => None,
                }
            };
            c.map(|c| (c, i))
        });
        match decoded {
            Some((c, i)) => {
                out.push(c);
                rest = &after[i + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en-GB"><head>
<title>Bridge reopens after repairs | The Example Post</title>
<meta property="og:site_name" content="The Example Post">
<meta property="article:published_time" content="2024-05-02T08:00:00+01:00">
<meta property="article:modified_time" content="2024-05-03T09:00:00+01:00">
<meta property="article:author" content="https://social.example/jdoe">
<meta name="author" content="Jane Doe">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebSite","name":"The Example Post"},
 {"@type":"NewsArticle","headline":"Bridge reopens after repairs","datePublished":"2024-05-01T07:00:00Z",
  "dateModified":"2024-05-03T09:00:00Z","author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"Sam Roe"}],
  "publisher":{"@type":"Organization","name":"Example Post Ltd"}}]}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Bridge reopens after repairs</h1>
<p>The old river bridge reopened to traffic on Wednesday after eight months of repair work, the city council said.</p>
<p>Engineers replaced the worn steel cables and resurfaced the road deck, a council spokesperson told reporters at the site.</p>
<p>Local shop owners said business had dropped sharply while the bridge was closed and welcomed the reopening.</p>
<p>The repairs cost about 4 million pounds, roughly a third more than first planned, according to council figures.</p>
</article>
<footer>Copyright The Example Post. All rights reserved.</footer>
</body></html>"#;

    #[test]
    fn article_body_and_page_metadata() {
        let a = html_to_article(PAGE, Some("https://news.example/bridge"));
        assert!(a.text.contains("The old river bridge reopened"), "{}", a.text);
        assert!(a.text.contains("according to council figures"));
        assert!(!a.text.contains("All rights reserved"), "{}", a.text);
        assert_eq!(a.title.as_deref(), Some("Bridge reopens after repairs"));
        // JSON-LD datePublished wins over the meta tag and over modified dates.
        assert_eq!(a.date.as_deref(), Some("2024-05-01"));
        assert_eq!(a.author.as_deref(), Some("Jane Doe, Sam Roe"));
        assert_eq!(a.site_name.as_deref(), Some("The Example Post"));
        assert_eq!(a.language.as_deref(), Some("en"));
        assert_eq!(a.url.as_deref(), Some("https://news.example/bridge"));
    }

    #[test]
    fn meta_tags_alone_and_title_suffix() {
        let html = r#"<html><head><title>Rates held | Example Wire</title>
            <meta property="og:site_name" content="Example Wire">
            <meta property="article:modified_time" content="2023-07-09">
            <meta property="article:published_time" content="2023-07-08T10:00:00Z">
            <meta property="article:author" content="https://social.example/x">
            <meta name="author" content="Ana Silva"></head><body><p>x</p></body></html>"#;
        let m = page_metadata(html);
        assert_eq!(m.title.as_deref(), Some("Rates held | Example Wire"));
        assert_eq!(m.published.as_deref(), Some("2023-07-08"));
        assert_eq!(m.modified.as_deref(), Some("2023-07-09"));
        assert_eq!(m.author.as_deref(), Some("Ana Silva"));
        assert_eq!(strip_site_suffix("Rates held | Example Wire", Some("Example Wire")), "Rates held");
        assert_eq!(strip_site_suffix("A - B", Some("C")), "A - B");
    }

    #[test]
    fn meta_tag_naming_several_properties_counts_for_each() {
        let html = r#"<html><head><meta itemprop="datePublished dateCreated" content="2019-11-18T17:56:27Z">
            <meta itemprop="dateModified" content="2019-11-19T00:37:03Z"></head><body></body></html>"#;
        let m = page_metadata(html);
        assert_eq!(m.published.as_deref(), Some("2019-11-18"));
        assert_eq!(m.modified.as_deref(), Some("2019-11-19"));
    }

    #[test]
    fn og_title_and_modified_fallback() {
        let html = r#"<html><head><meta property="og:title" content="  Storm  hits coast ">
            <meta property="og:updated_time" content="2022-01-05T00:00:00Z"></head><body></body></html>"#;
        let m = page_metadata(html);
        assert_eq!(m.og_title.as_deref(), Some("Storm hits coast"));
        assert_eq!(m.published, None);
        assert_eq!(m.modified.as_deref(), Some("2022-01-05"));
    }

    #[test]
    fn broken_json_ld_is_ignored() {
        let html = r#"<html><head><script type="application/ld+json">{"datePublished": </script>
            <script type="application/ld+json">[{"@type":"BlogPosting","datePublished":"March 3, 2021"}]</script>
            </head><body></body></html>"#;
        assert_eq!(page_metadata(html).published.as_deref(), Some("2021-03-03"));
    }

    #[test]
    fn depth_scan_counts_real_nesting_only() {
        assert_eq!(nesting_depth("<div><div><span>x</span></div></div>"), 3);
        // Implied ends and void elements do not nest.
        let flat: String = "<p>a<p>b<br><img src=x><li>c".repeat(1000);
        assert!(nesting_depth(&flat) < 5);
        assert_eq!(nesting_depth(&"<table><tr><td>".repeat(10)), 40);
        assert_eq!(nesting_depth("<table><tr><td>x</td></tr></table><table><tr><td>y"), 4);
        // Self-closed non-void HTML elements still open in HTML.
        assert_eq!(nesting_depth(&"<div/>".repeat(50)), 50);
        // SVG content is skipped whole.
        assert_eq!(nesting_depth(&format!("<svg>{}</svg>", "<g><path/>".repeat(600))), 1);
        // Markup inside scripts and comments is not markup.
        assert_eq!(nesting_depth("<script>'<div><div>'</script><!-- <div> -->"), 1);
    }

    #[test]
    fn deeply_nested_html_is_read_flat_without_overflowing() {
        // Runs on the test thread's small default stack on purpose.
        let depth = 100_000;
        let mut html = String::from("<html><head><title>Deep page</title></head><body>");
        html.push_str(&"<div>".repeat(depth));
        html.push_str("<p>Words at the bottom of a very deep page.</p>");
        html.push_str(&"</div>".repeat(depth));
        html.push_str("</body></html>");
        let HtmlReading { article, warning, .. } = read_html(&html, None, HtmlExtractor::Accurate);
        assert_eq!(article.text, "Words at the bottom of a very deep page.");
        assert_eq!(article.title.as_deref(), Some("Deep page"));
        assert!(warning.unwrap_or_default().contains("100000 levels"));
    }

    #[test]
    fn nesting_just_under_the_limit_goes_through_the_extractor() {
        let depth = MAX_NESTING_DEPTH - 10;
        let mut html = String::from("<html><body>");
        html.push_str(&"<div>".repeat(depth));
        html.push_str("<p>A sentence of text at the bottom that is long enough to be kept as article content by the extractor, we hope.</p>");
        html.push_str(&"</div>".repeat(depth));
        html.push_str("</body></html>");
        let HtmlReading { article, warning, .. } = read_html(&html, None, HtmlExtractor::Accurate);
        assert_eq!(warning, None);
        assert!(article.text.contains("A sentence of text at the bottom"), "{:?}", article.text);
    }

    #[test]
    fn flat_text_strips_tags_scripts_and_decodes_entities() {
        let html = "<html><head><title>T &amp; U</title><style>p{}</style></head><body><p>Fish &amp; chips&nbsp;cost &#36;5 &#x2014; <b>cheap</b></p><script>var x = '<p>no</p>';</script><div>Next &bogus; para</div></body></html>";
        let (text, title) = flat_text(html);
        assert_eq!(title.as_deref(), Some("T & U"));
        // No-break spaces become plain spaces like any other whitespace run.
        assert_eq!(text, "Fish & chips cost $5 \u{2014} cheap\n\nNext &bogus; para");
    }

    #[test]
    fn tokenizer_survives_truncated_markup() {
        for html in ["<", "<div", "<div class=\"x", "</", "<!--", "<script>never closed", "a < b", "<!doctype"] {
            let _ = nesting_depth(html);
            let _ = flat_text(html);
        }
        assert_eq!(flat_text("a < b").0, "a < b");
    }

    #[test]
    fn extractor_padding_on_empty_pages_is_caught() {
        assert_eq!(
            read_html("<html><head><title>T</title></head><body></body></html>", None, HtmlExtractor::Accurate)
                .article
                .text,
            ""
        );
        let nav_only = "<html><head><title>Some Title</title></head><body><nav><a href=/>Home</a></nav></body></html>";
        let article = read_html(nav_only, None, HtmlExtractor::Accurate).article;
        assert!(!article.text.contains("Some Title"), "{:?}", article.text);
        let HtmlReading { article, warning, .. } =
            read_html("plain words with no tags at all", None, HtmlExtractor::Accurate);
        assert_eq!(article.text, "plain words with no tags at all");
        assert!(warning.is_some());
    }

    #[test]
    fn hostile_fragments_never_panic() {
        const FRAGMENTS: &[&str] = &[
            "<div>",
            "</div>",
            "<p>",
            "</p",
            "<",
            ">",
            "&",
            "&#",
            "&#x110000;",
            "&#99999999999;",
            "&amp",
            "<!--",
            "-->",
            "<script>",
            "</script>",
            "<svg>",
            "<b/>",
            "\"",
            "'",
            "<a href='x>y'>",
            "text ",
            "\u{0}",
            "é",
            "<![CDATA[",
            "]]>",
            "<?xml?>",
            "</SCRIPT >",
            "<title>",
            "<meta charset=>",
            "\u{feff}",
        ];
        let mut state: u32 = 12345;
        for _ in 0..40 {
            let mut html = String::new();
            for _ in 0..60 {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                html.push_str(FRAGMENTS[state as usize % FRAGMENTS.len()]);
            }
            let _ = nesting_depth(&html);
            let _ = flat_text(&html);
            let _ = decode_entities(&html);
            let _ = read_html(&html, Some("not a url"), HtmlExtractor::Accurate);
            let _ = read_html(&html, Some("not a url"), HtmlExtractor::Fast);
            let _ = read_html(&html, Some("/relative/path"), HtmlExtractor::Fast);
        }
    }

    #[test]
    fn outlet_and_author_values_are_cleaned() {
        assert_eq!(clean_outlet("  Example\n\t Post "), Some("Example Post".into()));
        assert_eq!(clean_outlet("@examplepost"), None);
        assert_eq!(clean_outlet("55 F Clear 67 46 Some Town, XY and a lot more words"), None);
        assert_eq!(clean_author("By  Jane\n Doe"), Some("Jane Doe".into()));
        assert_eq!(clean_author("https://social.example/jane"), None);
        assert_eq!(host_name("https://www.news.example:8080/a?b").as_deref(), Some("news.example"));
        assert_eq!(host_name("not a url"), None);
        let html = "<html><head><meta name=\"twitter:site\" content=\"@examplepost\"></head><body><article><p>The harbour bridge reopened on Monday after eight months of repairs, the city council said in a statement.</p></article></body></html>";
        let a = html_to_article(html, Some("https://www.news.example/story"));
        assert_eq!(a.site_name.as_deref(), Some("news.example"));
    }

    fn dates_of(html: &str) -> (Option<String>, Option<String>) {
        element_dates(&dom_query::Document::from(html))
    }

    #[test]
    fn time_elements_in_page_chrome_are_passed_over() {
        let html = r#"<html><body><header><time datetime="2025-01-15">today</time></header>
            <div class="sidebar-latest"><time datetime="2025-01-14">x</time></div>
            <article><header><h1>H</h1><time datetime="2024-12-02T09:00:00Z">2 Dec</time></header><p>Body.</p>
            <aside><time datetime="2024-12-20">related</time></aside></article>
            <div class="site-footer"><time datetime="2025-01-16">y</time></div></body></html>"#;
        // The article's own <header> is not the site's.
        assert_eq!(dates_of(html), (Some("2024-12-02".into()), None));
        let only_chrome = r#"<html><body><nav><time datetime="2025-01-15">x</time></nav><footer><time datetime="2025-01-15">x</time></footer><p>Body.</p></body></html>"#;
        assert_eq!(dates_of(only_chrome), (None, None));
    }

    #[test]
    fn time_elements_marked_published_beat_unmarked_and_updated_ones() {
        let html = r#"<html><body><div class="story">
            <p>Updated <time datetime="2024-03-09">9 March</time></p>
            <time class="entry-date" datetime="2024-03-01">1 March</time>
            <span itemprop="datePublished" content="2024-03-05">5 March</span></div></body></html>"#;
        assert_eq!(dates_of(html), (Some("2024-03-05".into()), Some("2024-03-09".into())));
        let unmarked_after_updated = r#"<html><body><div class="story"><p>Updated <time datetime="2024-03-09">9 March</time></p>
            <time class="entry-date" datetime="2024-03-01">1 March</time></div></body></html>"#;
        assert_eq!(dates_of(unmarked_after_updated), (Some("2024-03-01".into()), Some("2024-03-09".into())));
        let label_then_time =
            r#"<html><body><p><b>Last updated:</b> <time datetime="2024-03-09"></time></p></body></html>"#;
        assert_eq!(dates_of(label_then_time), (None, Some("2024-03-09".into())));
        let pubdate = r#"<html><body><p>Posted <time pubdate>March 4, 2024</time> and <time class="updated" datetime="2024-03-06"></time></p></body></html>"#;
        assert_eq!(dates_of(pubdate), (Some("2024-03-04".into()), Some("2024-03-06".into())));
        assert_eq!(
            dates_of("<html><body><time>sometime</time><time datetime=\"2024-13-45\"></time></body></html>"),
            (None, None)
        );
    }

    #[test]
    fn byline_and_date_line_beside_the_headline_are_found() {
        let visible = "Home\n\nNews\n\nSport\n\nWeather\n\nBudget approved\n\nBy Ana Silva\n\nMarch 5, 2024\n\nBody.";
        let near = lines_near_heading(visible, "budget approved").unwrap_or_default();
        assert!(near.starts_with("Sport\n\nWeather\n\nBudget approved\n\nBy Ana Silva"), "{near}");
        assert_eq!(lines_near_heading(visible, "Not on the page"), None);
        // Only the paragraph that is the headline counts, not one that contains it.
        assert_eq!(lines_near_heading("Budget approved by council\n\nx", "Budget approved"), None);
    }

    #[test]
    fn extractor_site_name_counts_only_when_the_title_names_it() {
        let html = r#"<html><head><title>Harbour vote | Bay Herald</title></head><body>
            <article><h1>Harbour vote</h1><p>The harbour board voted on Monday to extend the quay by forty metres after a long debate, the chair said.</p>
            <p>Fishermen had asked for more berths for two years, and the work should start in the autumn.</p></article></body></html>"#;
        let a = html_to_article_with(html, Some("https://bayherald.example/harbour"), HtmlExtractor::Accurate);
        assert_eq!(a.site_name.as_deref(), Some("Bay Herald"));
        assert_eq!(a.title.as_deref(), Some("Harbour vote"));
    }

    #[test]
    fn json_ld_publisher_of_a_web_page_and_website_name_are_outlets() {
        let page = r#"<html><head><script type="application/ld+json">{"@type":"WebPage","publisher":{"name":"Ridge Times"}}</script></head><body></body></html>"#;
        assert_eq!(page_metadata(page).site_name.as_deref(), Some("Ridge Times"));
        let site = r#"<html><head><script type="application/ld+json">[{"@type":"WebSite","name":"Ridge Times Online"},{"@type":"NewsArticle","publisher":{"name":"Ridge Times"}}]</script></head><body></body></html>"#;
        assert_eq!(page_metadata(site).site_name.as_deref(), Some("Ridge Times"));
        let only_site = r#"<html><head><script type="application/ld+json">{"@type":"WebSite","name":"Ridge Times Online"}</script></head><body></body></html>"#;
        assert_eq!(page_metadata(only_site).site_name.as_deref(), Some("Ridge Times Online"));
    }

    #[test]
    fn language_subtags() {
        assert_eq!(primary_language("en-US").as_deref(), Some("en"));
        assert_eq!(primary_language("pt_BR").as_deref(), Some("pt"));
        assert_eq!(primary_language("x"), None);
    }
}
