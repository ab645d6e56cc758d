//! Recognising a roster's header row: which column holds the student id, the name (whole, or
//! `Họ đệm` + `Tên`), class, date of birth, PIN and seat.
//!
//! Headers are matched case-insensitively after NFC, with Vietnamese marks optional and spaces
//! around them ignored, so `Mã học sinh`, `MÃ HỌC SINH` and `ma hoc sinh` are the same column.

use super::error::{ColumnRef, Location, Problem, RosterError};
use super::sheet::{Cell, SheetRow};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    /// `STT`, the row number: ignored.
    RowNumber,
    StudentId,
    FullName,
    /// `Họ đệm`: family and middle names, paired with [`Field::GivenName`].
    FamilyAndMiddleName,
    /// `Tên`: the given name.
    GivenName,
    Class,
    DateOfBirth,
    Pin,
    Seat,
}

impl Field {
    const ALL: [Field; 9] = [
        Field::RowNumber,
        Field::StudentId,
        Field::FullName,
        Field::FamilyAndMiddleName,
        Field::GivenName,
        Field::Class,
        Field::DateOfBirth,
        Field::Pin,
        Field::Seat,
    ];

    /// Headers that name the field, as schools and tools write them.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::RowNumber => &["STT", "TT", "Số thứ tự"],
            Field::StudentId => {
                &["Mã học sinh", "Mã định danh", "Mã HS", "student_id", "id", "Mã định danh học sinh", "Mã số học sinh"]
            }
            Field::FullName => &["Họ và tên", "Họ tên", "full_name", "name", "Tên học sinh", "Họ và tên học sinh"],
            Field::FamilyAndMiddleName => &["Họ đệm", "Họ", "Họ và đệm", "Họ và tên đệm", "Họ lót", "family_name"],
            Field::GivenName => &["Tên", "given_name"],
            Field::Class => &["Lớp", "class"],
            Field::DateOfBirth => &["Ngày sinh", "date_of_birth", "dob", "Ngày tháng năm sinh"],
            Field::Pin => &["PIN", "Mật khẩu", "Mã PIN"],
            Field::Seat => &["Chỗ ngồi", "Vị trí", "seat"],
        }
    }

    /// The field a header names, if any.
    pub(super) fn from_header(header: &str) -> Option<Field> {
        let folded = fold_header(header);
        Field::ALL.into_iter().find(|field| field.aliases().iter().any(|alias| fold_header(alias) == folded))
    }
}

/// Lower case, marks removed (`đ` → `d`), `_` read as a space, spaces collapsed.
fn fold_header(header: &str) -> String {
    let folded: String = header
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'đ' => 'd',
            '_' => ' ',
            c => c,
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The column's letters as Excel shows them: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(super) fn column_letters(index: u32) -> String {
    let mut letters = Vec::new();
    let mut rest = u64::from(index) + 1;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        // `digit` < 26, so the sum stays an ASCII capital.
        letters.push(char::from(b'A' + digit as u8));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A recognised column: where it is and how to name it in messages.
#[derive(Clone, Debug)]
pub(super) struct Column {
    pub(super) index: u32,
    pub(super) reference: ColumnRef,
}

/// Where the name is.
#[derive(Clone, Debug)]
pub(super) enum NameColumns {
    /// One column with the full name.
    Full(Column),
    /// `Họ đệm` and `Tên`, joined with a space.
    Pair { family_and_middle: Column, given: Column },
}

/// The recognised header: every column the roster reads.
#[derive(Clone, Debug)]
pub(super) struct Header {
    pub(super) id: Column,
    pub(super) name: NameColumns,
    pub(super) class: Option<Column>,
    pub(super) date_of_birth: Option<Column>,
    pub(super) pin: Option<Column>,
    pub(super) seat: Option<Column>,
}

impl Header {
    /// Reads the header row. Returns the header when the id and name columns are there, and
    /// every problem found (unknown or repeated columns do not stop the import from checking
    /// the rows too, so they come with a header).
    pub(super) fn read(file: &str, row: &SheetRow) -> (Option<Header>, Vec<RosterError>) {
        let mut errors = Vec::new();
        let at = |column: Option<&Column>, problem| RosterError {
            at: Location { file: file.to_owned(), row: Some(row.number), column: column.map(|c| c.reference.clone()) },
            problem,
        };
        let mut found: Vec<(Field, Column)> = Vec::new();
        for (index, cell) in &row.cells {
            let text = header_text(cell);
            let column = Column {
                index: *index,
                reference: ColumnRef { letter: column_letters(*index), header: text.trim().to_owned() },
            };
            match Field::from_header(&text) {
                None => {
                    let problem = Problem::UnknownColumn(column.reference.header.clone());
                    errors.push(at(Some(&column), problem));
                }
                Some(Field::RowNumber) => {}
                Some(field) => match found.iter().find(|(seen, _)| *seen == field) {
                    Some((_, first)) => {
                        errors.push(at(Some(&column), Problem::DuplicateColumn(first.reference.clone())));
                    }
                    None => found.push((field, column)),
                },
            }
        }
        let take = |field: Field| found.iter().find(|(seen, _)| *seen == field).map(|(_, column)| column.clone());
        let id = take(Field::StudentId);
        if id.is_none() {
            errors.push(at(None, Problem::MissingIdColumn));
        }
        let name = match (take(Field::FullName), take(Field::FamilyAndMiddleName), take(Field::GivenName)) {
            (Some(full), None, None) => Some(NameColumns::Full(full)),
            (None, Some(family_and_middle), Some(given)) => Some(NameColumns::Pair { family_and_middle, given }),
            (Some(_), Some(part), _) | (Some(_), None, Some(part)) => {
                errors.push(at(Some(&part), Problem::BothNameForms));
                None
            }
            (None, None, Some(given)) => {
                errors.push(at(Some(&given), Problem::MissingFamilyNameColumn));
                None
            }
            (None, Some(family_and_middle), None) => {
                errors.push(at(Some(&family_and_middle), Problem::MissingGivenNameColumn));
                None
            }
            (None, None, None) => {
                errors.push(at(None, Problem::MissingNameColumn));
                None
            }
        };
        let header = match (id, name) {
            (Some(id), Some(name)) => Some(Header {
                id,
                name,
                class: take(Field::Class),
                date_of_birth: take(Field::DateOfBirth),
                pin: take(Field::Pin),
                seat: take(Field::Seat),
            }),
            _ => None,
        };
        (header, errors)
    }

    /// The columns whose cells make a row a student row; a row with only an `STT` or cells
    /// under empty headers is an unused line of the form, not a student.
    pub(super) fn data_columns(&self) -> impl Iterator<Item = u32> + '_ {
        let name: [Option<&Column>; 2] = match &self.name {
            NameColumns::Full(full) => [Some(full), None],
            NameColumns::Pair { family_and_middle, given } => [Some(family_and_middle), Some(given)],
        };
        [Some(&self.id), self.class.as_ref(), self.date_of_birth.as_ref(), self.pin.as_ref(), self.seat.as_ref()]
            .into_iter()
            .chain(name)
            .flatten()
            .map(|column| column.index)
    }
}

/// A header cell's text, whatever type Excel gave the cell.
fn header_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) | Cell::Number(text) | Cell::Unreadable(text) => text.nfc().collect(),
        Cell::Date(Ok(date)) => date.to_string(),
        Cell::Date(Err(text)) => text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(header: &str, expected: Option<Field>) {
        assert_eq!(Field::from_header(header), expected, "{header:?}");
    }

    #[test]
    fn headers_match_without_case_marks_or_spaces() {
        check("Mã học sinh", Some(Field::StudentId));
        check("  MÃ HỌC SINH ", Some(Field::StudentId));
        check("ma hoc sinh", Some(Field::StudentId));
        check("Ma\u{0303} ho\u{0323}c sinh", Some(Field::StudentId));
        check("Mã  định   danh", Some(Field::StudentId));
        check("STUDENT_ID", Some(Field::StudentId));
        check("student id", Some(Field::StudentId));
        check("Mã HS", Some(Field::StudentId));
        check("ID", Some(Field::StudentId));
        check("Họ và tên", Some(Field::FullName));
        check("HO TEN", Some(Field::FullName));
        check("Name", Some(Field::FullName));
        check("Họ đệm", Some(Field::FamilyAndMiddleName));
        check("Ho dem", Some(Field::FamilyAndMiddleName));
        check("Họ", Some(Field::FamilyAndMiddleName));
        check("Họ lót", Some(Field::FamilyAndMiddleName));
        check("Tên", Some(Field::GivenName));
        check("LỚP", Some(Field::Class));
        check("Ngày sinh", Some(Field::DateOfBirth));
        check("DOB", Some(Field::DateOfBirth));
        check("date_of_birth", Some(Field::DateOfBirth));
        check("Pin", Some(Field::Pin));
        check("Mật khẩu", Some(Field::Pin));
        check("Chỗ ngồi", Some(Field::Seat));
        check("Vị trí", Some(Field::Seat));
        check("STT", Some(Field::RowNumber));
        check("PIM", None);
        check("Điểm", None);
        check("Ghi chú", None);
        check("Mã học", None);
    }

    #[test]
    fn aliases_do_not_collide_after_folding() {
        let mut seen = std::collections::HashMap::new();
        for field in Field::ALL {
            for alias in field.aliases() {
                let previous = seen.insert(fold_header(alias), field);
                assert!(previous.is_none(), "{alias:?} also names {previous:?}");
            }
        }
    }

    #[test]
    fn column_letters_follow_excel() {
        for (index, letters) in [
            (0, "A"),
            (4, "E"),
            (25, "Z"),
            (26, "AA"),
            (51, "AZ"),
            (52, "BA"),
            (701, "ZZ"),
            (702, "AAA"),
            (16_383, "XFD"),
        ] {
            assert_eq!(column_letters(index), letters);
        }
        assert_eq!(column_letters(u32::MAX), "MWLQKWV");
    }
}
