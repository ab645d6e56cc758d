//! The template's columns: which header names mean which field, in English and Vietnamese, and
//! the header row turned into a column map.
//!
//! Header names are matched after NFC, trimming, lower-casing and folding diacritics, with `_`
//! and `-` read as spaces, so `Đáp án`, ` đáp  án ` and `dap an` all name the answer column: a
//! teacher typing on a machine without a Vietnamese keyboard still gets a working file.

use super::sheet::{CellValue, SheetRow};
use crate::ImportError;
use phongthi_items::text::{fold_for_search, nfc};

/// Option columns `a`..`f`: at most six options or statements.
pub(crate) const OPTION_COUNT: usize = 6;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    Subject,
    Grade,
    Topic,
    Level,
    Kind,
    Stem,
    /// Option (or cluster statement) `a` = 0 … `f` = 5.
    Option(usize),
    Answer,
    Tolerance,
    Pin,
    Points,
    Name,
    Tags,
    Author,
    FourChar,
}

impl Field {
    /// The columns an export writes, in order: the example file's columns first, then the
    /// optional ones, so an exported sheet looks like the template teachers already know.
    pub(crate) const EXPORT_ORDER: [Field; 20] = [
        Field::Subject,
        Field::Grade,
        Field::Topic,
        Field::Level,
        Field::Kind,
        Field::Stem,
        Field::Option(0),
        Field::Option(1),
        Field::Option(2),
        Field::Option(3),
        Field::Option(4),
        Field::Option(5),
        Field::Answer,
        Field::Tolerance,
        Field::Pin,
        Field::Points,
        Field::Name,
        Field::Tags,
        Field::Author,
        Field::FourChar,
    ];

    /// The English header name, as the example file and exports write it.
    pub(crate) fn english(self) -> &'static str {
        match self {
            Field::Subject => "subject",
            Field::Grade => "grade",
            Field::Topic => "topic",
            Field::Level => "level",
            Field::Kind => "kind",
            Field::Stem => "stem",
            Field::Option(index) => ["a", "b", "c", "d", "e", "f"].get(index).copied().unwrap_or("?"),
            Field::Answer => "answer",
            Field::Tolerance => "tolerance",
            Field::Pin => "pin",
            Field::Points => "points",
            Field::Name => "name",
            Field::Tags => "tags",
            Field::Author => "author",
            Field::FourChar => "four_char",
        }
    }

    /// The Vietnamese header name, for messages about a missing column.
    pub(crate) fn vietnamese(self) -> &'static str {
        match self {
            Field::Subject => "môn",
            Field::Grade => "khối",
            Field::Topic => "chủ đề",
            Field::Level => "mức độ",
            Field::Kind => "loại",
            Field::Stem => "nội dung",
            Field::Option(index) => ["a", "b", "c", "d", "e", "f"].get(index).copied().unwrap_or("?"),
            Field::Answer => "đáp án",
            Field::Tolerance => "sai số",
            Field::Pin => "cố định",
            Field::Points => "điểm",
            Field::Name => "mã câu",
            Field::Tags => "thẻ",
            Field::Author => "tác giả",
            Field::FourChar => "4 ký tự",
        }
    }

    /// Every name a header may use for this field (already folded: see [`fold_header`]).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Subject => &["subject", "mon", "mon hoc"],
            Field::Grade => &["grade", "khoi", "khoi lop", "lop"],
            Field::Topic => &["topic", "chu de", "chuyen de"],
            Field::Level => &["level", "muc do", "muc", "cap do"],
            Field::Kind => &["kind", "type", "loai", "loai cau", "loai cau hoi", "dang cau hoi"],
            Field::Stem => &["stem", "question", "noi dung", "cau hoi", "de bai"],
            Field::Option(0) => &["a", "phuong an a"],
            Field::Option(1) => &["b", "phuong an b"],
            Field::Option(2) => &["c", "phuong an c"],
            Field::Option(3) => &["d", "phuong an d"],
            Field::Option(4) => &["e", "phuong an e"],
            Field::Option(5) => &["f", "phuong an f"],
            Field::Option(_) => &[],
            Field::Answer => &["answer", "key", "dap an"],
            Field::Tolerance => &["tolerance", "sai so"],
            Field::Pin => &["pin", "pinned", "co dinh", "ghim"],
            Field::Points => &["points", "diem", "so diem"],
            Field::Name => &["name", "code", "ma cau", "ma cau hoi", "ten"],
            Field::Tags => &["tags", "the", "nhan"],
            Field::Author => &["author", "tac gia", "nguoi soan"],
            Field::FourChar => {
                &["four char", "4 char", "bon ky tu", "4 ky tu", "bon ki tu", "4 ki tu", "quy tac 4 ky tu"]
            }
        }
    }

    /// The field a header names, if any.
    pub(crate) fn from_header(header: &str) -> Option<Field> {
        let folded = fold_header(header);
        Field::EXPORT_ORDER.into_iter().find(|field| field.aliases().contains(&folded.as_str()))
    }
}

/// The key a header is matched on: NFC, folded (lower case, no diacritics, `đ` → `d`), `_` and
/// `-` as spaces, runs of spaces collapsed.
fn fold_header(header: &str) -> String {
    fold_for_search(&nfc(header)).replace(['_', '-'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A spreadsheet column's letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(crate) fn column_letters(column: u32) -> String {
    let mut letters = Vec::new();
    let mut rest = u64::from(column) + 1;
    while rest > 0 {
        let digit = ((rest - 1) % 26) as u8;
        letters.push(char::from(b'A' + digit));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A column of the header row that names a field.
#[derive(Clone, Debug)]
pub(crate) struct HeaderColumn {
    /// 0-based column index in the sheet.
    pub(crate) column: u32,
    /// What it holds.
    pub(crate) field: Field,
    /// The header as written (trimmed, NFC), for messages.
    pub(crate) title: String,
}

impl HeaderColumn {
    /// `cột K "answer"`: how messages name this column.
    pub(crate) fn label(&self) -> String {
        format!("cột {} \"{}\"", column_letters(self.column), self.title)
    }
}

/// The header row, read.
#[derive(Clone, Debug)]
pub(crate) struct Header {
    columns: Vec<HeaderColumn>,
}

impl Header {
    /// Reads the header row; every unknown, duplicated or unreadable header is an error, and so
    /// is a missing `kind` or `stem` column. A bad header stops the whole file: guessing which
    /// column a typo meant could put a teacher's options or key in the wrong place silently.
    pub(crate) fn parse(file: &str, row: &SheetRow) -> Result<Header, Vec<ImportError>> {
        let mut columns: Vec<HeaderColumn> = Vec::new();
        let mut errors = Vec::new();
        for (column, cell) in &row.cells {
            let letters = column_letters(*column);
            let title = match cell {
                CellValue::Text(text) | CellValue::Number(text) => nfc(text.trim()),
                CellValue::Unreadable(reason) => {
                    errors.push(ImportError::new(file, row.number, None, format!("cột {letters}: {reason}")));
                    continue;
                }
            };
            if title.is_empty() {
                // A column with no header is ignored; a row that writes into it is reported.
                continue;
            }
            match Field::from_header(&title) {
                None => errors.push(ImportError::new(
                    file,
                    row.number,
                    None,
                    format!(
                        "cột {letters} \"{title}\": tên cột không rõ / unknown column header \
                         (xem danh sách cột trong examples/README.md / see the column list in examples/README.md)"
                    ),
                )),
                Some(field) => {
                    if let Some(first) = columns.iter().find(|c| c.field == field) {
                        errors.push(ImportError::new(
                            file,
                            row.number,
                            None,
                            format!(
                                "cột {letters} \"{title}\": cột này trùng với {} / this column repeats {}",
                                first.label(),
                                english_label(first)
                            ),
                        ));
                    } else {
                        columns.push(HeaderColumn { column: *column, field, title });
                    }
                }
            }
        }
        for required in [Field::Kind, Field::Stem] {
            if !columns.iter().any(|c| c.field == required) {
                errors.push(ImportError::new(
                    file,
                    row.number,
                    None,
                    format!(
                        "thiếu cột bắt buộc \"{}\" ({}) / missing required column \"{}\"",
                        required.english(),
                        required.vietnamese(),
                        required.english()
                    ),
                ));
            }
        }
        if errors.is_empty() { Ok(Header { columns }) } else { Err(errors) }
    }

    /// The column holding `field`, if the header has one.
    pub(crate) fn column_of(&self, field: Field) -> Option<&HeaderColumn> {
        self.columns.iter().find(|c| c.field == field)
    }

    /// The header column at sheet column `column`, if it names a field.
    pub(crate) fn at(&self, column: u32) -> Option<&HeaderColumn> {
        self.columns.iter().find(|c| c.column == column)
    }
}

/// `column K "answer"`, the English half of a message naming a column.
pub(crate) fn english_label(column: &HeaderColumn) -> String {
    format!("column {} \"{}\"", column_letters(column.column), column.title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_header(header: &str, expected: Option<Field>) {
        assert_eq!(Field::from_header(header), expected, "{header:?}");
    }

    #[test]
    fn english_and_vietnamese_names_map_to_fields() {
        for (header, field) in [
            ("subject", Some(Field::Subject)),
            ("Môn", Some(Field::Subject)),
            (" KHỐI ", Some(Field::Grade)),
            ("Chủ đề", Some(Field::Topic)),
            ("chu de", Some(Field::Topic)),
            ("Mức độ", Some(Field::Level)),
            ("Loại", Some(Field::Kind)),
            ("Nội dung", Some(Field::Stem)),
            ("A", Some(Field::Option(0))),
            ("f", Some(Field::Option(5))),
            ("Đáp án", Some(Field::Answer)),
            ("Sai số", Some(Field::Tolerance)),
            ("Cố định", Some(Field::Pin)),
            ("Điểm", Some(Field::Points)),
            ("Mã câu", Some(Field::Name)),
            ("Thẻ", Some(Field::Tags)),
            ("Tác giả", Some(Field::Author)),
            ("four_char", Some(Field::FourChar)),
            ("4 ký tự", Some(Field::FourChar)),
            // Decomposed input (combining marks) still matches.
            ("đa\u{0301}p a\u{0301}n", Some(Field::Answer)),
            ("g", None),
            ("anwser", None),
            ("", None),
        ] {
            check_header(header, field);
        }
    }

    #[test]
    fn column_letters_follow_excel() {
        for (index, letters) in [(0, "A"), (10, "K"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")] {
            assert_eq!(column_letters(index), letters);
        }
        assert_eq!(column_letters(u32::MAX).len(), 7);
    }

    #[test]
    fn export_order_lists_every_field_once() {
        let english: Vec<&str> = Field::EXPORT_ORDER.iter().map(|f| f.english()).collect();
        assert_eq!(
            english.join(","),
            "subject,grade,topic,level,kind,stem,a,b,c,d,e,f,answer,tolerance,pin,points,name,tags,author,four_char"
        );
        for field in Field::EXPORT_ORDER {
            assert_eq!(Field::from_header(field.english()), Some(field));
            assert_eq!(Field::from_header(field.vietnamese()), Some(field));
        }
    }
}
