//! Tabular exports to documents: CSV / TSV files and JSON files holding an array of objects
//! (or one object), one document per row, with a configurable text column.
//!
//! The text column is the one the caller names (`--text-column`), else `text`, else the
//! column whose values are longest on average over the first rows, among those that look like
//! prose (not numbers, dates or links). Metadata columns are found by the names listed in
//! `resources/ingest/table_columns.txt`. A bad row is reported and the next row read. This
//! module must not interpret the text beyond what `document_from_text` does.

use std::sync::OnceLock;

use crosscheck_model::{Skipped, SourceFormat};
use serde_json::Value;

use crate::dates::data_lines;
use crate::{document_from_text, Metadata, ReadItem};

const COLUMNS_DATA: &str = include_str!("../../../resources/ingest/table_columns.txt");
/// Rows looked at to choose the text column.
const SAMPLE_ROWS: usize = 100;
/// A "text" column shorter than this on average holds labels, not articles.
const MIN_AVERAGE_TEXT_CHARS: usize = 20;

/// What the caller says about tabular inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// Column (CSV header or JSON key) holding the article text; case-insensitive.
    pub text_column: Option<String>,
}

fn metadata_columns() -> &'static Vec<(String, Vec<String>)> {
    static TABLE: OnceLock<Vec<(String, Vec<String>)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        data_lines(COLUMNS_DATA)
            .filter_map(|line| {
                let mut parts = line.split_whitespace();
                let field = parts.next()?.to_string();
                Some((field, parts.map(str::to_lowercase).collect()))
            })
            .collect()
    })
}

/// Index of the column filling `field`, by the listed names in order.
fn metadata_column(headers: &[String], field: &str, text_column: usize) -> Option<usize> {
    let (_, names) = metadata_columns().iter().find(|(f, _)| f == field)?;
    names.iter().find_map(|name| {
        headers.iter().enumerate().position(|(i, h)| i != text_column && h.trim().eq_ignore_ascii_case(name))
    })
}

fn prose_like(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty()
        && v.contains(' ')
        && !v.starts_with("http://")
        && !v.starts_with("https://")
        && v.chars().filter(|c| c.is_alphabetic()).count() * 2 > v.chars().count()
}

/// The text column: named, else `text`, else the longest prose-like column over the sample.
fn choose_text_column(headers: &[String], sample: &[Vec<String>], named: Option<&str>) -> Result<usize, String> {
    let find = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name.trim()));
    if let Some(name) = named {
        return find(name).ok_or_else(|| format!("no column named {name:?} (columns: {})", headers.join(", ")));
    }
    if let Some(i) = find("text") {
        return Ok(i);
    }
    let mut best: Option<(usize, usize)> = None;
    for column in 0..headers.len() {
        let values: Vec<&str> = sample.iter().filter_map(|row| row.get(column)).map(String::as_str).collect();
        let prose = values.iter().filter(|v| prose_like(v)).count();
        if values.is_empty() || prose * 2 < values.len() {
            continue;
        }
        let average = values.iter().map(|v| v.chars().count()).sum::<usize>() / values.len();
        if average >= MIN_AVERAGE_TEXT_CHARS && best.is_none_or(|(_, b)| average > b) {
            best = Some((column, average));
        }
    }
    best.map(|(column, _)| column)
        .ok_or_else(|| format!("no text column found (columns: {}); name one with --text-column", headers.join(", ")))
}

struct Rows<'a> {
    origin: &'a str,
    stem: &'a str,
    file_name: &'a str,
    headers: Vec<String>,
    text_column: usize,
    columns: [(&'static str, Option<usize>); 6],
}

impl Rows<'_> {
    fn new<'a>(
        origin: &'a str,
        stem: &'a str,
        file_name: &'a str,
        headers: Vec<String>,
        text_column: usize,
    ) -> Rows<'a> {
        let mut columns =
            [("id", None), ("url", None), ("outlet", None), ("date", None), ("title", None), ("author", None)];
        for (field, slot) in columns.iter_mut() {
            *slot = metadata_column(&headers, field, text_column);
        }
        Rows { origin, stem, file_name, headers, text_column, columns }
    }

    fn value<'v>(&self, row: &'v [String], field: &str) -> Option<&'v str> {
        let column = self.columns.iter().find(|(f, _)| *f == field)?.1?;
        row.get(column).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    fn emit(&self, number: usize, row: &[String], sink: &mut dyn FnMut(ReadItem)) {
        let origin = format!("{}#{number}", self.origin);
        let text = row.get(self.text_column).map(String::as_str).unwrap_or_default();
        if text.trim().is_empty() {
            let reason = format!("{}: row {number}: empty {}", self.file_name, self.headers[self.text_column]);
            return sink(ReadItem::Skipped(Skipped { origin, reason }));
        }
        let owned = |field: &str| self.value(row, field).map(str::to_string);
        let meta = Metadata {
            url: owned("url"),
            outlet: owned("outlet"),
            date: owned("date"),
            title: owned("title"),
            author: owned("author"),
        };
        let id = owned("id").unwrap_or_else(|| format!("{}-{number}", self.stem));
        sink(ReadItem::Document(document_from_text(id, origin, SourceFormat::Table, text, meta)));
    }
}

/// A CSV (or TSV, by `delimiter`) file already decoded to text. Rows are numbered from 1,
/// the header not counted.
pub(crate) fn read_csv(
    text: &str,
    delimiter: u8,
    options: &TableOptions,
    (origin, stem, file_name): (&str, &str, &str),
    sink: &mut dyn FnMut(ReadItem),
) {
    let reader = || csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let mut first = reader();
    let headers: Vec<String> = match first.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return sink(skip(origin, format!("bad CSV header: {e}"))),
    };
    let sample: Vec<Vec<String>> = first
        .records()
        .take(SAMPLE_ROWS)
        .filter_map(Result::ok)
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    if sample.is_empty() {
        return sink(skip(origin, "no rows".to_string()));
    }
    let text_column = match choose_text_column(&headers, &sample, options.text_column.as_deref()) {
        Ok(c) => c,
        Err(reason) => return sink(skip(origin, reason)),
    };
    let rows = Rows::new(origin, stem, file_name, headers, text_column);
    for (index, record) in reader().records().enumerate() {
        let number = index + 1;
        match record {
            Ok(record) => {
                let row: Vec<String> = record.iter().map(str::to_string).collect();
                rows.emit(number, &row, sink);
            }
            Err(e) => sink(skip(&format!("{origin}#{number}"), format!("{file_name}: row {number}: bad CSV: {e}"))),
        }
    }
}

fn skip(origin: &str, reason: String) -> ReadItem {
    ReadItem::Skipped(Skipped { origin: origin.to_string(), reason })
}

fn json_scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A JSON file holding an array of objects (or a single object): one document per object.
pub(crate) fn read_json(
    text: &str,
    options: &TableOptions,
    (origin, stem, file_name): (&str, &str, &str),
    sink: &mut dyn FnMut(ReadItem),
) {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return sink(skip(origin, format!("not JSON: {e}"))),
    };
    let items = match value {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        _ => return sink(skip(origin, "not a JSON array of objects".to_string())),
    };
    // Columns in first-seen order across the objects.
    let mut headers: Vec<String> = Vec::new();
    for item in &items {
        if let Value::Object(map) = item {
            for key in map.keys() {
                if !headers.contains(key) {
                    headers.push(key.clone());
                }
            }
        }
    }
    let row_of = |map: &serde_json::Map<String, Value>| -> Vec<String> {
        headers.iter().map(|h| map.get(h).and_then(json_scalar).unwrap_or_default()).collect()
    };
    let sample: Vec<Vec<String>> = items
        .iter()
        .filter_map(|item| if let Value::Object(map) = item { Some(row_of(map)) } else { None })
        .take(SAMPLE_ROWS)
        .collect();
    if sample.is_empty() {
        return sink(skip(origin, "no objects in the JSON array".to_string()));
    }
    let text_column = match choose_text_column(&headers, &sample, options.text_column.as_deref()) {
        Ok(c) => c,
        Err(reason) => return sink(skip(origin, reason)),
    };
    let rows = Rows::new(origin, stem, file_name, headers.clone(), text_column);
    for (index, item) in items.iter().enumerate() {
        let number = index + 1;
        match item {
            Value::Object(map) => rows.emit(number, &row_of(map), sink),
            _ => sink(skip(&format!("{origin}#{number}"), format!("{file_name}: item {number}: not a JSON object"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crosscheck_model::Document;

    fn collect(run: impl FnOnce(&mut dyn FnMut(ReadItem))) -> (Vec<Document>, Vec<Skipped>) {
        let mut docs = Vec::new();
        let mut skips = Vec::new();
        run(&mut |item| match item {
            ReadItem::Document(d) => docs.push(d),
            ReadItem::Skipped(s) => skips.push(s),
        });
        (docs, skips)
    }

    const NAMES: (&str, &str, &str) = ("dir/export.csv", "export", "export.csv");

    #[test]
    fn csv_text_column_and_metadata_columns() {
        let csv = "ID,Headline,body,Published,Source\n\
                   a1,Bridge reopens,\"The bridge reopened on Monday, the mayor said.\",2024-03-04,Daily Example\n\
                   a2,Empty,,2024-03-05,Daily Example\n\
                   a3,Market,\"Traders returned to the market, officials said.\",March 6 2024,Other Example\n";
        let (docs, skips) = collect(|sink| read_csv(csv, b',', &TableOptions::default(), NAMES, sink));
        assert_eq!(docs.len(), 2, "{skips:?}");
        assert_eq!(docs[0].id, "a1");
        assert_eq!(docs[0].format, SourceFormat::Table);
        assert_eq!(docs[0].text, "The bridge reopened on Monday, the mayor said.");
        assert_eq!(docs[0].title.as_deref(), Some("Bridge reopens"));
        assert_eq!(docs[0].date.as_deref(), Some("2024-03-04"));
        assert_eq!(docs[0].outlet.as_deref(), Some("Daily Example"));
        assert_eq!(docs[0].origin, "dir/export.csv#1");
        assert_eq!(docs[1].date.as_deref(), Some("2024-03-06"));
        assert_eq!(skips.len(), 1);
        assert_eq!(skips[0].reason, "export.csv: row 2: empty body");
    }

    #[test]
    fn named_and_default_text_columns() {
        let tsv = "text\tnotes\nShort label\tThe council voted to close the old library on Friday.\n";
        let (docs, _) = collect(|sink| read_csv(tsv, b'\t', &TableOptions::default(), NAMES, sink));
        assert_eq!(docs[0].text, "Short label");
        let named = TableOptions { text_column: Some("Notes".into()) };
        let (docs, _) = collect(|sink| read_csv(tsv, b'\t', &named, NAMES, sink));
        assert_eq!(docs[0].text, "The council voted to close the old library on Friday.");
        assert_eq!(docs[0].id, "export-1");
        let missing = TableOptions { text_column: Some("content".into()) };
        let (docs, skips) = collect(|sink| read_csv(tsv, b'\t', &missing, NAMES, sink));
        assert!(docs.is_empty());
        assert_eq!(skips[0].reason, "no column named \"content\" (columns: text, notes)");
    }

    #[test]
    fn no_prose_column_is_a_reason() {
        let csv = "n,link\n1,https://a.example/x\n2,https://a.example/y\n";
        let (docs, skips) = collect(|sink| read_csv(csv, b',', &TableOptions::default(), NAMES, sink));
        assert!(docs.is_empty());
        assert!(skips[0].reason.starts_with("no text column found"), "{}", skips[0].reason);
    }

    #[test]
    fn json_arrays_and_single_objects() {
        let json = r#"[{"id": 7, "story": "Flood waters receded overnight, the agency said.", "url": "https://x.example/f"},
                       "stray", {"story": "Schools reopened across the district on Wednesday morning."}]"#;
        let names = ("dir/dump.json", "dump", "dump.json");
        let (docs, skips) = collect(|sink| read_json(json, &TableOptions::default(), names, sink));
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "7");
        assert_eq!(docs[0].url.as_deref(), Some("https://x.example/f"));
        assert_eq!(docs[1].id, "dump-3");
        assert_eq!(skips[0].reason, "dump.json: item 2: not a JSON object");
        let (docs, _) = collect(|sink| read_json(r#"{"text": "One story."}"#, &TableOptions::default(), names, sink));
        assert_eq!(docs[0].text, "One story.");
        let (_, skips) = collect(|sink| read_json("[1, 2", &TableOptions::default(), names, sink));
        assert!(skips[0].reason.starts_with("not JSON"), "{}", skips[0].reason);
    }
}
