//! Reading back the PDFs [`super::Document`] writes: the page count and each page's text
//! (through the ToUnicode map). For tests and for checking a printout without a PDF viewer; it
//! understands this writer's output (uncompressed content streams; text in the Noto Sans Math
//! fallback is decoded through the first ToUnicode map only, so tests of formulas use
//! `pdftotext`), not PDFs in
//! general, and answers `None` for anything else rather than guessing.

use std::collections::BTreeMap;

/// The text of each page, in page order, lines in drawing order; `None` when the bytes are
/// not a PDF of this writer.
pub fn page_texts(pdf: &[u8]) -> Option<Vec<Vec<String>>> {
    if !pdf.starts_with(b"%PDF-") || !trimmed_end(pdf).ends_with(b"%%EOF") {
        return None;
    }
    let to_unicode = unicode_map(pdf);
    let mut pages = Vec::new();
    for object in content_refs(pdf) {
        let stream = object_stream(pdf, object)?;
        pages.push(shown_strings(stream).iter().map(|bytes| decode(bytes, &to_unicode)).collect());
    }
    Some(pages)
}

/// The page count the page tree declares; `None` when not found.
pub fn page_count(pdf: &[u8]) -> Option<usize> {
    let at = find(pdf, b"/Type /Pages", 0)?;
    let count = find(pdf, b"/Count ", at)? + b"/Count ".len();
    let digits: String = pdf[count..].iter().take_while(|b| b.is_ascii_digit()).map(|b| char::from(*b)).collect();
    digits.parse().ok()
}

fn trimmed_end(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
    &bytes[..end]
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|window| window == needle).map(|i| i + from)
}

fn number_at(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let digits = bytes.get(at..)?.iter().take_while(|b| b.is_ascii_digit()).count();
    let text = std::str::from_utf8(&bytes[at..at + digits]).ok()?;
    Some((text.parse().ok()?, at + digits))
}

/// The object numbers of the pages' content streams, in page order.
fn content_refs(pdf: &[u8]) -> Vec<usize> {
    let mut refs = Vec::new();
    let mut from = 0;
    while let Some(at) = find(pdf, b"/Contents ", from) {
        from = at + 1;
        if let Some((object, _)) = number_at(pdf, at + b"/Contents ".len()) {
            refs.push(object);
        }
    }
    refs
}

/// The raw bytes of object `number`'s stream.
fn object_stream(pdf: &[u8], number: usize) -> Option<&[u8]> {
    let header = format!("\n{number} 0 obj");
    let start = find(pdf, header.as_bytes(), 0)?;
    let length_at = find(pdf, b"/Length ", start)? + b"/Length ".len();
    let (length, _) = number_at(pdf, length_at)?;
    let data = find(pdf, b"stream\n", length_at)? + b"stream\n".len();
    pdf.get(data..data.checked_add(length)?)
}

/// The operands of every `Tj` in a content stream, as bytes.
fn shown_strings(stream: &[u8]) -> Vec<Vec<u8>> {
    let mut strings = Vec::new();
    let mut i = 0;
    while i < stream.len() {
        match stream[i] {
            b'(' => {
                let (bytes, end) = literal(stream, i + 1);
                if follows_tj(stream, end) {
                    strings.push(bytes);
                }
                i = end;
            }
            b'<' => {
                let end = stream[i..].iter().position(|b| *b == b'>').map_or(stream.len(), |p| i + p + 1);
                let hex: Vec<u8> =
                    stream[i + 1..end.saturating_sub(1)].iter().copied().filter(u8::is_ascii_hexdigit).collect();
                let bytes = hex
                    .chunks(2)
                    .filter_map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
                    .collect();
                if follows_tj(stream, end) {
                    strings.push(bytes);
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    strings
}

fn follows_tj(stream: &[u8], at: usize) -> bool {
    let rest = stream.get(at..).unwrap_or_default();
    let skipped = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
    rest[skipped..].starts_with(b"Tj")
}

/// A literal string's bytes from just after `(`; returns them and the index after `)`.
fn literal(stream: &[u8], mut i: usize) -> (Vec<u8>, usize) {
    let mut bytes = Vec::new();
    let mut depth = 0usize;
    while i < stream.len() {
        let byte = stream[i];
        i += 1;
        match byte {
            b'\\' => {
                let Some(&escaped) = stream.get(i) else { break };
                i += 1;
                match escaped {
                    b'n' => bytes.push(b'\n'),
                    b'r' => bytes.push(b'\r'),
                    b't' => bytes.push(b'\t'),
                    b'b' => bytes.push(8),
                    b'f' => bytes.push(12),
                    b'0'..=b'7' => {
                        let mut value = u32::from(escaped - b'0');
                        for _ in 0..2 {
                            match stream.get(i) {
                                Some(digit @ b'0'..=b'7') => {
                                    value = value * 8 + u32::from(digit - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        bytes.push(u8::try_from(value & 0xff).unwrap_or(0));
                    }
                    other => bytes.push(other),
                }
            }
            b'(' => {
                depth += 1;
                bytes.push(byte);
            }
            b')' if depth == 0 => return (bytes, i),
            b')' => {
                depth -= 1;
                bytes.push(byte);
            }
            _ => bytes.push(byte),
        }
    }
    (bytes, i)
}

/// The ToUnicode map: two-byte glyph code → text, from every `bfchar` section.
fn unicode_map(pdf: &[u8]) -> BTreeMap<u16, String> {
    let mut map = BTreeMap::new();
    let mut from = 0;
    while let Some(start) = find(pdf, b"beginbfchar", from) {
        let end = find(pdf, b"endbfchar", start).unwrap_or(pdf.len());
        from = end;
        let section = String::from_utf8_lossy(&pdf[start + b"beginbfchar".len()..end]).into_owned();
        for line in section.lines() {
            let hexes: Vec<&str> = line.split(['<', '>']).map(str::trim).filter(|part| !part.is_empty()).collect();
            let [code, text] = hexes.as_slice() else { continue };
            let Ok(code) = u16::from_str_radix(code, 16) else { continue };
            let units: Vec<u16> = text
                .as_bytes()
                .chunks(4)
                .filter_map(|chunk| u16::from_str_radix(std::str::from_utf8(chunk).ok()?, 16).ok())
                .collect();
            map.insert(code, String::from_utf16_lossy(&units));
        }
    }
    map
}

fn decode(bytes: &[u8], map: &BTreeMap<u16, String>) -> String {
    bytes
        .chunks(2)
        .map(|pair| {
            let code = u16::from_be_bytes([pair[0], pair.get(1).copied().unwrap_or(0)]);
            map.get(&code).cloned().unwrap_or_else(|| "\u{FFFD}".to_owned())
        })
        .collect()
}
