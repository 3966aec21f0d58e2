//! Compares HTML boilerplate removers on the `htmlbench` article-extraction set.
//!
//! `cargo run --release -p crosscheck-ingest --example htmlbench -- DIR [--extractor NAME]`
//! prints F1 / precision / recall and single-thread MB/s per extractor and writes per-page rows
//! to `quality/htmlbench-<extractor>.tsv`. The raw dom_smoothie modes are measured only with
//! `--features compare-extractors`. This example measures; it must not tune anything.

use std::path::PathBuf;
use std::process::ExitCode;

use crosscheck_ingest::htmlbench;

type Extractor = Box<dyn FnMut(&str, Option<&str>) -> String>;

/// Timing repeats per page; the fastest run is kept, so that other processes on the
/// machine disturb the MB/s figure less.
const TIMING_REPEATS: usize = 3;
const BOOTSTRAP_RESAMPLES: usize = 1000;

fn extractors() -> Vec<(&'static str, Extractor)> {
    let mut list: Vec<(&'static str, Extractor)> = Vec::new();
    // What ingest uses: the chosen remover plus depth guard and text tidying.
    list.push(("ingest", Box::new(|html, url| crosscheck_ingest::html_to_article(html, url).text)));
    list.push((
        "ingest-accurate",
        Box::new(|html, url| {
            crosscheck_ingest::html_to_article_with(html, url, crosscheck_ingest::HtmlExtractor::Accurate).text
        }),
    ));
    list.push((
        "rs-trafilatura",
        Box::new(|html, url| {
            let options = rs_trafilatura::Options { url: url.map(str::to_string), ..Default::default() };
            rs_trafilatura::extract_with_options(html, &options).map(|r| r.content_text).unwrap_or_default()
        }),
    ));
    list.push((
        "rs-trafilatura-precision",
        Box::new(|html, url| {
            let options =
                rs_trafilatura::Options { url: url.map(str::to_string), favor_precision: true, ..Default::default() };
            rs_trafilatura::extract_with_options(html, &options).map(|r| r.content_text).unwrap_or_default()
        }),
    ));
    list.push((
        "rs-trafilatura-article",
        Box::new(|html, url| {
            let options = rs_trafilatura::Options {
                url: url.map(str::to_string),
                page_type: Some(rs_trafilatura::page_type::PageType::Article),
                ..Default::default()
            };
            rs_trafilatura::extract_with_options(html, &options).map(|r| r.content_text).unwrap_or_default()
        }),
    ));
    list.push((
        "rs-trafilatura-article-stripped",
        Box::new(|html, url| {
            let options = rs_trafilatura::Options {
                url: url.map(str::to_string),
                page_type: Some(rs_trafilatura::page_type::PageType::Article),
                ..Default::default()
            };
            let text = rs_trafilatura::extract_with_options(html, &options).map(|r| r.content_text).unwrap_or_default();
            crosscheck_ingest::strip_furniture(&text)
        }),
    ));
    #[cfg(feature = "compare-extractors")]
    {
        use dom_smoothie::{CandidateSelectMode, TextMode};
        list.push((
            "dom_smoothie-formatted-stripped",
            Box::new(|h, u| {
                crosscheck_ingest::strip_furniture(&smoothie(
                    h,
                    u,
                    TextMode::Formatted,
                    CandidateSelectMode::Readability,
                ))
            }),
        ));
        list.push(("dom_smoothie", Box::new(|h, u| smoothie(h, u, TextMode::Raw, CandidateSelectMode::Readability))));
        list.push((
            "dom_smoothie-formatted",
            Box::new(|h, u| smoothie(h, u, TextMode::Formatted, CandidateSelectMode::Readability)),
        ));
        list.push((
            "dom_smoothie-formatted-dsmode",
            Box::new(|h, u| smoothie(h, u, TextMode::Formatted, CandidateSelectMode::DomSmoothie)),
        ));
    }
    list.push(("floor", Box::new(|html, _| crosscheck_ingest::flat_text(html).0)));
    list
}

#[cfg(feature = "compare-extractors")]
fn smoothie(
    html: &str,
    url: Option<&str>,
    text_mode: dom_smoothie::TextMode,
    candidate_select_mode: dom_smoothie::CandidateSelectMode,
) -> String {
    let config = dom_smoothie::Config { text_mode, candidate_select_mode, ..Default::default() };
    match dom_smoothie::Readability::new(html, url, Some(config)) {
        Ok(mut r) => r.parse().map(|a| a.text_content.to_string()).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut only: Option<String> = None;
    while let Some(arg) = args.next() {
        if arg == "--extractor" {
            only = args.next();
        } else {
            dir = Some(PathBuf::from(arg));
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: htmlbench DIR [--extractor NAME]");
        return ExitCode::from(2);
    };
    let pages = match htmlbench::load(&dir) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let quality = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../quality");
    println!(
        "{:<30} {:>6} {:>6} {:>6} {:>8} {:>7} {:>6} {:>8}",
        "extractor", "F1", "P", "R", "strictP", "microF1", "acc", "MB/s"
    );
    let mut ran = 0;
    let mut all_results: Vec<(&str, Vec<htmlbench::PageResult>)> = Vec::new();
    for (name, mut extract) in extractors() {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        ran += 1;
        let results = match htmlbench::run(&pages, TIMING_REPEATS, &mut extract) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        };
        let s = htmlbench::summarize(&results);
        println!(
            "{:<30} {:>6.3} {:>6.3} {:>6.3} {:>8.3} {:>7.3} {:>6.3} {:>8.1}",
            name, s.f1, s.precision, s.recall, s.strict_precision, s.micro_f1, s.accuracy, s.megabytes_per_second
        );
        let tsv = quality.join(format!("htmlbench-{name}.tsv"));
        if let Err(e) = std::fs::write(&tsv, htmlbench::per_page_tsv(&results)) {
            eprintln!("warning: cannot write {}: {e}", tsv.display());
        }
        all_results.push((name, results));
    }
    // How sure the ranking is: the first extractor run against each other one, same pages.
    if let Some(((first, base), rest)) = all_results.split_first().map(|(f, r)| ((f.0, &f.1), r)) {
        for (name, other) in rest {
            if let Some(p) = htmlbench::paired_bootstrap(base, other, BOOTSTRAP_RESAMPLES) {
                println!(
                    "{first} vs {name}: F1 difference 95% interval [{:+.3}, {:+.3}], {first} ahead in {:.0}% of resamples",
                    p.low,
                    p.high,
                    p.a_wins * 100.0
                );
            }
        }
    }
    if ran == 0 {
        eprintln!("no extractor named {only:?} (the dom_smoothie ones need --features compare-extractors)");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
