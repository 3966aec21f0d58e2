//! Bytes to text: byte-order marks, declared charsets (`<meta charset>`, an HTTP
//! `Content-Type`), UTF-8, BOM-less UTF-16, and for undeclared legacy bytes a guess by
//! chardetng, decoded with encoding_rs.
//!
//! Order of trust: a BOM, then UTF-16 shape, then bytes that are valid UTF-8, then a
//! declaration, then the guess.
//! A guess is reported as a document warning, because it can be wrong. This module must not
//! judge whether the text is an article or binary: that is the reader's job.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

pub(crate) const LOSSY_WARNING: &str = "invalid UTF-8 decoded lossily";

/// The encoding a byte-order mark announces, and the mark's length.
fn bom(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    Encoding::for_bom(bytes)
}

/// BOM-less UTF-16: ASCII-range text leaves every other byte NUL. Returns the byte order.
pub(crate) fn bomless_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    // Mostly-NUL on one side, almost never on the other.
    if odd_nul * 10 >= pairs * 6 && even_nul * 20 <= pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 6 && odd_nul * 20 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// True when the bytes are UTF-16 text (with a BOM or recognisably without), which is full
/// of NULs but not binary.
pub(crate) fn is_utf16(bytes: &[u8]) -> bool {
    matches!(bom(bytes), Some((e, _)) if e != UTF_8) || bomless_utf16(bytes).is_some()
}

/// The charset an HTML page declares in its head: `<meta charset="…">` or an `http-equiv`
/// content type.
pub(crate) fn declared_html_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(4096)].to_ascii_lowercase();
    let at = head.windows(8).position(|w| w == b"charset=")? + 8;
    encoding_from_label(&head[at..])
}

/// The charset parameter of an HTTP `Content-Type` value.
pub(crate) fn content_type_charset(content_type: &str) -> Option<&'static Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset=")? + 8;
    encoding_from_label(&lower.as_bytes()[at..])
}

fn encoding_from_label(after: &[u8]) -> Option<&'static Encoding> {
    let label: Vec<u8> = after
        .iter()
        .copied()
        .skip_while(|&b| b == b'"' || b == b'\'' || b == b' ')
        .take_while(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        .collect();
    Encoding::for_label(&label)
}

/// Decodes `bytes`, appending to `warnings` what had to be guessed or repaired.
/// `declared` is what the container says (HTML meta charset, HTTP header), if anything.
pub(crate) fn decode(bytes: &[u8], declared: Option<&'static Encoding>, warnings: &mut Vec<String>) -> String {
    if let Some((encoding, length)) = bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[length..]).0.into_owned();
    }
    // Before the UTF-8 check: ASCII in UTF-16 is valid UTF-8 (full of NULs).
    if let Some(encoding) = bomless_utf16(bytes) {
        return encoding.decode_without_bom_handling(bytes).0.into_owned();
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_string();
    }
    match declared {
        // Declared UTF-8 that is not: repair, and say so.
        Some(encoding) if encoding == UTF_8 => {
            warnings.push(LOSSY_WARNING.to_string());
            String::from_utf8_lossy(bytes).into_owned()
        }
        Some(encoding) => {
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            if had_errors {
                warnings.push(format!("bytes invalid in the declared {} replaced", encoding.name()));
            }
            text.into_owned()
        }
        None => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            let encoding = detector.guess(None, false);
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            warnings.push(if had_errors {
                format!(
                    "invalid UTF-8 and no charset declared; decoded as {} (guessed), invalid bytes replaced",
                    encoding.name()
                )
            } else {
                format!("invalid UTF-8 and no charset declared; decoded as {} (guessed)", encoding.name())
            });
            text.into_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8], declared: Option<&'static Encoding>) -> (String, Vec<String>) {
        let mut warnings = Vec::new();
        let text = decode(bytes, declared, &mut warnings);
        (text, warnings)
    }

    #[test]
    fn windows_1252_is_guessed_with_a_warning() {
        // "Café owners said “prices” rose — sharply." in windows-1252.
        let bytes = b"Caf\xe9 owners said \x93prices\x94 rose \x97 sharply, and the na\xefve plan failed.";
        let (text, warnings) = decoded(bytes, None);
        assert_eq!(text, "Café owners said “prices” rose — sharply, and the naïve plan failed.");
        assert_eq!(warnings, ["invalid UTF-8 and no charset declared; decoded as windows-1252 (guessed)"]);
    }

    #[test]
    fn iso_8859_6_arabic_is_decoded_when_declared_and_when_guessed() {
        // "مرحبا بكم في المدينة" (welcome to the city) in ISO-8859-6.
        let expected = "مرحبا بكم في المدينة";
        let (bytes, _, _) = encoding_rs::ISO_8859_6.encode(expected);
        let (text, warnings) = decoded(&bytes, encoding_rs::Encoding::for_label(b"iso-8859-6"));
        assert_eq!(text, expected);
        assert!(warnings.is_empty());
        let long = expected.repeat(8);
        let (bytes, _, _) = encoding_rs::ISO_8859_6.encode(&long);
        let (text, warnings) = decoded(&bytes, None);
        // chardetng may pick the ISO or the Windows Arabic code page; both decode these letters.
        assert_eq!(text, long);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let text = "Officials said the bridge would reopen.";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let mut le_bom = vec![0xFF, 0xFE];
        le_bom.extend_from_slice(&le);
        let mut be_bom = vec![0xFE, 0xFF];
        be_bom.extend_from_slice(&be);
        for bytes in [&le_bom, &be_bom, &le, &be] {
            assert!(is_utf16(bytes));
            assert_eq!(decoded(bytes, None), (text.to_string(), vec![]));
        }
        assert!(!is_utf16(text.as_bytes()));
    }

    #[test]
    fn utf8_bom_wins_and_valid_utf8_ignores_a_wrong_declaration() {
        assert_eq!(decoded(b"\xEF\xBB\xBFHello", None).0, "Hello");
        assert_eq!(decoded("Café".as_bytes(), Some(encoding_rs::WINDOWS_1252)).0, "Café");
        let (text, warnings) = decoded(b"Caf\xe9", Some(UTF_8));
        assert_eq!(text, "Caf\u{fffd}");
        assert_eq!(warnings, [LOSSY_WARNING]);
    }

    #[test]
    fn charset_declarations_are_read() {
        assert_eq!(declared_html_charset(b"<meta charset=\"ISO-8859-6\">"), Some(encoding_rs::ISO_8859_6));
        assert_eq!(
            declared_html_charset(b"<meta http-equiv=Content-Type content='text/html; charset=windows-1252'>"),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(content_type_charset("text/html; charset=UTF-8"), Some(UTF_8));
        assert_eq!(content_type_charset("text/html"), None);
    }
}
