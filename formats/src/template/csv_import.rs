//! Reading the template from CSV as teachers' tools save it: UTF-8 with or without BOM, `,` or
//! `;` between fields (Excel with Vietnamese regional settings uses `;`, because `,` is the
//! decimal separator there), quoted fields that may hold line breaks.

use super::sheet::{CellValue, SheetRow};
use super::{file_error, import_rows};
use crate::ImportReport;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Imports the question template from CSV bytes. `file_name` is used in messages and in each
/// item's `meta.source` (with the row number as Excel shows it, the header being row 1).
pub fn import_csv(file_name: &str, bytes: &[u8]) -> ImportReport {
    // Excel's "Unicode Text" saves UTF-16; say so instead of reporting every cell as garbage.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return file_error(
            file_name,
            "tệp được lưu dạng UTF-16; hãy lưu lại dạng \"CSV UTF-8\" / \
             the file is UTF-16; save it again as \"CSV UTF-8\"",
        );
    }
    let content = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    match read_rows(content) {
        Ok(rows) => import_rows(file_name, rows),
        Err(error) => file_error(file_name, format!("không đọc được CSV: {error} / cannot read the CSV: {error}")),
    }
}

/// Splits the content into rows numbered as a spreadsheet shows them.
fn read_rows(content: &[u8]) -> Result<Vec<SheetRow>, csv::Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(detect_delimiter(content))
        .from_reader(content);
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut row_number: u32 = 1;
    while reader.read_byte_record(&mut record)? {
        // The csv crate skips empty lines, but Excel shows each as an empty row; count them so
        // row numbers in messages match what the teacher sees. A record's position is where the
        // reader resumed (just after the previous record's terminator, or inside a CRLF), so the
        // line ends from there to the first field are the skipped empty lines. Line breaks
        // inside a quoted field stay in one row, as in Excel.
        let resumed = record.position().and_then(|p| usize::try_from(p.byte()).ok()).unwrap_or(0);
        let before = resumed.checked_sub(1).and_then(|i| content.get(i)).copied().unwrap_or(0);
        let skipped = content.get(resumed..).unwrap_or_default().iter().take_while(|b| matches!(b, b'\r' | b'\n'));
        row_number = row_number.saturating_add(count_line_ends(before, skipped.copied()));
        let cells = record
            .iter()
            .enumerate()
            .filter(|(_, field)| !field.is_empty())
            .map(|(column, field)| (u32::try_from(column).unwrap_or(u32::MAX), cell_value(field)))
            .collect();
        rows.push(SheetRow { number: row_number, cells });
        row_number = row_number.saturating_add(1);
    }
    Ok(rows)
}

fn cell_value(field: &[u8]) -> CellValue {
    match std::str::from_utf8(field) {
        Ok(text) => CellValue::Text(text.to_owned()),
        Err(_) => CellValue::Unreadable(
            "ô không phải UTF-8; hãy lưu tệp dạng \"CSV UTF-8\" / \
             the cell is not UTF-8; save the file as \"CSV UTF-8\""
                .to_owned(),
        ),
    }
}

/// Line ends in `bytes`, counting `\r\n` once; `previous` is the byte before them, so a `\n`
/// finishing a CRLF that started earlier is not counted.
fn count_line_ends(mut previous: u8, bytes: impl IntoIterator<Item = u8>) -> u32 {
    let mut count: u32 = 0;
    for byte in bytes {
        if byte == b'\n' && previous != b'\r' || byte == b'\r' {
            count = count.saturating_add(1);
        }
        previous = byte;
    }
    count
}

/// The delimiter of the header line: whichever of `,`, `;` and tab occurs most outside quotes,
/// `,` on a tie. The header has no decimal commas, so its count is reliable.
fn detect_delimiter(content: &[u8]) -> u8 {
    let mut in_quotes = false;
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    for &byte in content {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(entry) = counts.iter_mut().find(|(delimiter, _)| *delimiter == byte) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    // `max_by_key` keeps the last of equal maxima; reversing makes `,` win ties.
    counts.iter().rev().max_by_key(|(_, count)| *count).map_or(b',', |(delimiter, _)| *delimiter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_follows_the_header_line() {
        for (content, expected) in [
            (&b"subject,grade,kind\nT;o;a"[..], b','),
            (b"m\xc3\xb4n;kh\xe1\xbb\x91i;lo\xe1\xba\xa1i\n1,5;2,5", b';'),
            (b"\"a;b;c\",kind,stem", b','),
            (b"kind\tstem", b'\t'),
            (b"kind", b','),
            (b"", b','),
        ] {
            assert_eq!(detect_delimiter(content), expected, "{:?}", String::from_utf8_lossy(content));
        }
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        for (content, expected) in [
            (&b"kind,stem\n\nessay,\"one\ntwo\"\r\n\r\n\r\nessay,three\n"[..], &[1, 3, 6][..]),
            (b"\r\n\r\nkind,stem\r\nessay,x\r\n\r\nessay,y", &[3, 4, 6]),
            (b"kind,stem\ressay,x\r\ressay,y\r", &[1, 2, 4]),
        ] {
            let numbers: Vec<u32> = read_rows(content).unwrap().iter().map(|row| row.number).collect();
            assert_eq!(numbers, expected, "{:?}", String::from_utf8_lossy(content));
        }
    }

    #[test]
    fn line_ends_count_crlf_once() {
        assert_eq!(count_line_ends(0, *b"\r\n\r\n"), 2);
        assert_eq!(count_line_ends(0, *b"\n\n\r"), 3);
        assert_eq!(count_line_ends(b'\r', *b"\n\r\n"), 1);
        assert_eq!(count_line_ends(0, *b""), 0);
    }
}
