//! The grade sheet as CSV for Excel and the SMAS / vnEdu import templates.
//!
//! UTF-8 **with a BOM**: without it Excel on Windows reads the file in the ANSI code page and
//! every Vietnamese name turns to mojibake. Records end in CRLF (RFC 4180, what Excel writes).
//! Fields holding the separator (a score with a decimal comma, `8,3`) are quoted, so the columns
//! stay put whichever decimal mark is chosen.

use super::columns::{ColumnKey, ColumnMap};
use super::rows::{ExportRow, format_tenths};
use super::{DecimalMark, ExportError};

/// The UTF-8 byte order mark Excel looks for.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The CSV bytes of `rows`: BOM, header `STT,Mã học sinh,Họ và tên,Lớp,Điểm,Ghi chú`, one record
/// per row.
pub fn grade_sheet_csv(rows: &[ExportRow], decimal: DecimalMark) -> Result<Vec<u8>, ExportError> {
    grade_sheet_csv_mapped(rows, decimal, &ColumnMap::default())
}

/// The CSV bytes of `rows` with a school's column mapping (its columns, order and headers).
pub fn grade_sheet_csv_mapped(
    rows: &[ExportRow],
    decimal: DecimalMark,
    map: &ColumnMap,
) -> Result<Vec<u8>, ExportError> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(BOM.to_vec());
    let failed = |e: csv::Error| ExportError::Encode { file: "csv".to_owned(), detail: e.to_string() };
    writer.write_record(map.headers()).map_err(failed)?;
    for row in rows {
        let record: Vec<String> = map
            .columns
            .iter()
            .map(|(key, _)| match key {
                ColumnKey::Number => row.number.to_string(),
                ColumnKey::StudentId => row.student_id.clone(),
                ColumnKey::FullName => row.full_name.clone(),
                ColumnKey::Class => row.class.clone(),
                ColumnKey::Score => {
                    row.score_tenths.map(|tenths| format_tenths(tenths, decimal.separator())).unwrap_or_default()
                }
                ColumnKey::Note => row.note.clone(),
            })
            .collect();
        writer.write_record(&record).map_err(failed)?;
    }
    writer.into_inner().map_err(|e| ExportError::Encode { file: "csv".to_owned(), detail: e.to_string() })
}
