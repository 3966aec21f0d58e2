//! Lists, for one extractor and the pages named, the output lines whose words are not in the
//! truth: what an extractor adds. An inspection aid for finding systematic errors; prints to
//! the terminal only and writes nothing.
//!
//! `cargo run --release -p crosscheck-ingest --features compare-extractors --example htmlbench_extra -- DIR ID_PREFIX...`

use std::collections::HashSet;
use std::path::PathBuf;

use crosscheck_ingest::htmlbench;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: htmlbench_extra DIR ID_PREFIX...");
        return;
    };
    let prefixes: Vec<String> = args.collect();
    // `removed` as the only prefix: every page, the furniture lines whose words ARE in the truth.
    let removed_mode = prefixes.first().is_some_and(|p| p == "removed");
    let pages = match htmlbench::load(&PathBuf::from(dir)) {
        Ok(p) => p,
        Err(e) => return eprintln!("error: {e}"),
    };
    for page in pages.iter().filter(|p| removed_mode || prefixes.iter().any(|x| p.id.starts_with(x.as_str()))) {
        let Ok(html) = std::fs::read_to_string(&page.html_path) else { continue };
        let raw = extract(&html, page.url.as_deref());
        let output = crosscheck_ingest::strip_furniture(&raw);
        let truth: HashSet<String> = htmlbench::tokens(&page.truth).iter().map(|t| t.to_lowercase()).collect();
        println!("== {}", &page.id[..12]);
        if removed_mode {
            let kept: HashSet<&str> = output.lines().collect();
            for line in raw.lines().filter(|l| !kept.contains(l)) {
                let words = htmlbench::tokens(line);
                let inside = words.iter().filter(|w| truth.contains(&w.to_lowercase())).count();
                if !words.is_empty() && inside * 2 > words.len() {
                    println!("  - {}", line.chars().take(120).collect::<String>());
                }
            }
            continue;
        }
        for line in output.lines().filter(|l| !l.trim().is_empty()) {
            let words = htmlbench::tokens(line);
            let outside = words.iter().filter(|w| !truth.contains(&w.to_lowercase())).count();
            if !words.is_empty() && outside * 2 >= words.len() {
                println!("  + {}", line.chars().take(120).collect::<String>());
            }
        }
    }
}

#[cfg(feature = "compare-extractors")]
fn extract(html: &str, url: Option<&str>) -> String {
    let config = dom_smoothie::Config { text_mode: dom_smoothie::TextMode::Formatted, ..Default::default() };
    match dom_smoothie::Readability::new(html, url, Some(config)) {
        Ok(mut r) => r.parse().map(|a| a.text_content.to_string()).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[cfg(not(feature = "compare-extractors"))]
fn extract(html: &str, url: Option<&str>) -> String {
    crosscheck_ingest::html_to_article(html, url).text
}
