//! Reading a roster from CSV as schools save it: UTF-8 with or without BOM, `,` between fields,
//! or `;` when Excel runs with Vietnamese regional settings (where `,` is the decimal comma).
//! Quoted fields may hold line breaks; rows are numbered as Excel would show the file.

use super::error::Problem;
use super::sheet::{Cell, SheetRow, is_blank};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Splits CSV bytes into numbered rows of non-empty cells.
pub(super) fn read_csv(bytes: &[u8]) -> Result<Vec<SheetRow>, Problem> {
    // Excel's "Unicode Text" is UTF-16: say so rather than report every cell as garbage.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Problem::Utf16);
    }
    let content = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if let Err(error) = std::str::from_utf8(content) {
        let before = content.get(..error.valid_up_to()).unwrap_or_default();
        let line = before.iter().filter(|&&b| b == b'\n').count().saturating_add(1);
        return Err(Problem::NotUtf8 { line: u32::try_from(line).unwrap_or(u32::MAX) });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(header_delimiter(content))
        .from_reader(content);
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut next_row: u32 = 1;
    while reader.read_record(&mut record).map_err(|error| Problem::UnreadableCsv(error.to_string()))? {
        let number = next_row.saturating_add(blank_lines_before(content, &record));
        let cells = (0u32..)
            .zip(record.iter())
            .filter(|(_, field)| !is_blank(field))
            .map(|(column, field)| (column, Cell::Text(field.to_owned())))
            .collect();
        rows.push(SheetRow { number, cells });
        // Line breaks inside a quoted field stay in one row, as in Excel.
        next_row = number.saturating_add(1);
    }
    Ok(rows)
}

/// Empty lines the csv reader skipped before `record`. Excel shows each as an empty row, so
/// they count for row numbers. The record's position is where the reader resumed after the
/// previous record: the skipped line ends come first, possibly starting with the `\n` of a CRLF
/// whose `\r` ended the previous record (that one is not a new line).
fn blank_lines_before(content: &[u8], record: &csv::StringRecord) -> u32 {
    let resumed = record.position().and_then(|position| usize::try_from(position.byte()).ok()).unwrap_or(0);
    let mut previous = resumed.checked_sub(1).and_then(|at| content.get(at)).copied();
    let mut lines: u32 = 0;
    for &byte in content.get(resumed..).unwrap_or_default().iter().take_while(|&&b| b == b'\r' || b == b'\n') {
        if byte == b'\r' || previous != Some(b'\r') {
            lines = lines.saturating_add(1);
        }
        previous = Some(byte);
    }
    lines
}

/// `;` when the first non-empty line has more `;` than `,` outside quotes, else `,`. The
/// header holds no decimal commas, so its count is reliable where data rows' would not be.
fn header_delimiter(content: &[u8]) -> u8 {
    let start = content.iter().position(|&b| b != b'\r' && b != b'\n').unwrap_or(content.len());
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for &byte in content.get(start..).unwrap_or_default() {
        match byte {
            b'"' => quoted = !quoted,
            b'\r' | b'\n' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(content: &str) -> Vec<(u32, Vec<(u32, String)>)> {
        read_csv(content.as_bytes())
            .unwrap()
            .into_iter()
            .map(|row| {
                let cells = row
                    .cells
                    .into_iter()
                    .map(|(column, cell)| match cell {
                        Cell::Text(text) => (column, text),
                        other => panic!("CSV gave {other:?}"),
                    })
                    .collect();
                (row.number, cells)
            })
            .collect()
    }

    fn texts(cells: &[(u32, &str)]) -> Vec<(u32, String)> {
        cells.iter().map(|(column, text)| (*column, (*text).to_owned())).collect()
    }

    #[test]
    fn rows_are_numbered_as_excel_shows_them() {
        let got = rows("Mã HS,Tên\r\n\r\n\r\n01,An\r\n\"02\",\"Bình\nChi\"\n\n\n03,Dũng");
        assert_eq!(
            got,
            vec![
                (1, texts(&[(0, "Mã HS"), (1, "Tên")])),
                (4, texts(&[(0, "01"), (1, "An")])),
                (5, texts(&[(0, "02"), (1, "Bình\nChi")])),
                (8, texts(&[(0, "03"), (1, "Dũng")])),
            ]
        );
        // Lone CR line ends (old Mac Excel) count too; blank cells are dropped.
        assert_eq!(rows("a\rb\r\rc, ,d").into_iter().map(|(n, _)| n).collect::<Vec<_>>(), vec![1, 2, 4]);
        assert_eq!(rows("a\rb\r\rc, ,d").last().map(|(_, cells)| cells.clone()), Some(texts(&[(0, "c"), (2, "d")])));
    }

    #[test]
    fn delimiter_comes_from_the_first_non_empty_line() {
        for (content, expected) in [
            ("STT,Mã HS,Họ và tên", b','),
            ("STT;Mã HS;Họ và tên\n1;01;\"Trần, An\"", b';'),
            ("\r\n\nSTT;Mã HS;Họ và tên", b';'),
            ("\"Mã;HS\",Tên", b','),
            ("Tên", b','),
            ("", b','),
        ] {
            assert_eq!(header_delimiter(content.as_bytes()), expected, "{content:?}");
        }
    }

    #[test]
    fn encodings() {
        assert_eq!(
            rows("\u{feff}Mã HS;Tên\n01;An"),
            vec![(1, texts(&[(0, "Mã HS"), (1, "Tên")])), (2, texts(&[(0, "01"), (1, "An")]))]
        );
        assert_eq!(read_csv(b"\xFF\xFEM\x00"), Err(Problem::Utf16));
        assert_eq!(read_csv(b"Ma HS,Ten\n01,Nguy\xean\n"), Err(Problem::NotUtf8 { line: 2 }));
        assert_eq!(read_csv(b""), Ok(Vec::new()));
    }
}
