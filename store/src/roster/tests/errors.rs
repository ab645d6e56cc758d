//! Every error path: each problem is reported with its row and column (letter and header), all
//! problems of a file are listed together, and a file with any problem imports no student.

use super::*;

const FILE: &str = "lop-10a1.csv";

/// Expected problem: row, column (letter, header) and what.
type Expected<'a> = (Option<u32>, Option<(&'a str, &'a str)>, Problem);

/// Imports `content` as CSV and checks that it fails with exactly `expected`, in order.
fn check(content: &str, expected: &[Expected<'_>]) {
    check_errors(Roster::import_csv(FILE, content.as_bytes()), FILE, expected);
}

fn check_errors(result: Result<Roster, RosterErrors>, file: &str, expected: &[Expected<'_>]) {
    // All-or-nothing: the only way to get students is an `Ok`.
    let errors = match result {
        Ok(roster) => panic!("imported {} students, expected {expected:?}", roster.students.len()),
        Err(errors) => errors,
    };
    let got: Vec<Expected<'_>> = errors
        .errors
        .iter()
        .map(|error| {
            let column = error.at.column.as_ref().map(|c| (c.letter.as_str(), c.header.as_str()));
            (error.at.row, column, error.problem.clone())
        })
        .collect();
    assert_eq!(got, expected, "{errors}");
    assert_eq!(errors.file, file);
    for error in &errors.errors {
        let message = error.to_string();
        assert!(message.starts_with(file), "{message}");
        if let Some(row) = error.at.row {
            assert!(message.contains(&format!(", dòng/row {row}")), "{message}");
        }
        if let Some(column) = &error.at.column {
            assert!(message.contains(&format!(", cột/column {} \"{}\": ", column.letter, column.header)), "{message}");
        }
        assert!(message.contains(" / "), "bilingual: {message}");
    }
    // The summary lists every problem, one per line.
    assert_eq!(errors.to_string().lines().count(), errors.errors.len() + 1, "{errors}");
}

const HEADER: &str = "STT,Mã học sinh,Họ và tên,Lớp,Ngày sinh,PIN\n";

fn roster(rows: &str) -> String {
    format!("{HEADER}{rows}")
}

fn id_column() -> Option<(&'static str, &'static str)> {
    Some(("B", "Mã học sinh"))
}

#[test]
fn message_format() {
    let errors =
        Roster::import_csv(FILE, roster("1,0123456789,Nguyễn Văn An,10A1,29/02/2010\n").as_bytes()).unwrap_err();
    assert_eq!(
        errors.to_string(),
        "lop-10a1.csv: 1 lỗi, chưa nhập học sinh nào / 1 problem(s), no student was imported\n  \
         lop-10a1.csv, dòng/row 2, cột/column E \"Ngày sinh\": ngày sinh không hợp lệ \"29/02/2010\" \
         (cần dạng dd/mm/yyyy) / invalid date of birth \"29/02/2010\" (expected dd/mm/yyyy)"
    );
}

#[test]
fn missing_id_column() {
    check("STT,Họ và tên\n1,Nguyễn Văn An\n", &[(Some(1), None, Problem::MissingIdColumn)]);
}

#[test]
fn missing_name_column() {
    check("Mã HS,Lớp\n01,10A1\n", &[(Some(1), None, Problem::MissingNameColumn)]);
    // Both missing: both said.
    check(
        "\n\nSTT,Lớp\n1,10A1\n",
        &[(Some(3), None, Problem::MissingIdColumn), (Some(3), None, Problem::MissingNameColumn)],
    );
}

#[test]
fn incomplete_or_doubled_name_columns() {
    check("Mã HS,Tên\n01,An\n", &[(Some(1), Some(("B", "Tên")), Problem::MissingFamilyNameColumn)]);
    check("Mã HS,Họ đệm\n01,Nguyễn Văn\n", &[(Some(1), Some(("B", "Họ đệm")), Problem::MissingGivenNameColumn)]);
    check("Mã HS,Họ và tên,Tên\n01,Nguyễn Văn An,An\n", &[(Some(1), Some(("C", "Tên")), Problem::BothNameForms)]);
}

#[test]
fn unknown_column_is_refused_and_rows_are_still_checked() {
    // `PIM` is a typo for `PIN`: skipping it would let students in without their PIN.
    check(
        "Mã HS,Họ và tên,PIM,Ghi chú\n01,Nguyễn Văn An,4821,\n,Lê Thị Bình,,\n",
        &[
            (Some(1), Some(("C", "PIM")), Problem::UnknownColumn("PIM".to_owned())),
            (Some(1), Some(("D", "Ghi chú")), Problem::UnknownColumn("Ghi chú".to_owned())),
            (Some(3), Some(("A", "Mã HS")), Problem::InvalidId(StudentIdError::Empty)),
        ],
    );
}

#[test]
fn repeated_column() {
    let first = ColumnRef { letter: "A".to_owned(), header: "Mã HS".to_owned() };
    check(
        "Mã HS,Họ và tên,Mã định danh\n01,Nguyễn Văn An,02\n",
        &[(Some(1), Some(("C", "Mã định danh")), Problem::DuplicateColumn(first))],
    );
}

#[test]
fn duplicate_student_id_names_both_rows() {
    check(
        &roster(
            "1,0123456789,Nguyễn Văn An,10A1,\n2,0123456790,Lê Thị Bình,10A1,\n\
             3,0123456789,Trần Văn Ánh,10A1,\n4,0123456790,Phạm Minh Đức,10A1,\n",
        ),
        &[
            (Some(4), id_column(), Problem::DuplicateId { id: "0123456789".to_owned(), first_row: 2 }),
            (Some(5), id_column(), Problem::DuplicateId { id: "0123456790".to_owned(), first_row: 3 }),
        ],
    );
    // Letter case does not make a different student.
    check(
        &roster("1,HS-01,Nguyễn Văn An,10A1,\n\n2,hs-01,Lê Thị Bình,10A1,\n"),
        &[(Some(4), id_column(), Problem::DuplicateId { id: "hs-01".to_owned(), first_row: 2 })],
    );
}

#[test]
fn empty_id() {
    check(
        &roster("1,,Nguyễn Văn An,10A1,\n2,   ,Lê Thị Bình,10A1,\n"),
        &[
            (Some(2), id_column(), Problem::InvalidId(StudentIdError::Empty)),
            (Some(3), id_column(), Problem::InvalidId(StudentIdError::Empty)),
        ],
    );
}

#[test]
fn invalid_id() {
    check(
        &roster(
            "1,0123 456789,Nguyễn Văn An,10A1,\n2,Bình01,Lê Thị Bình,10A1,\n3,012345678901234567890123456789012,Đặng Thùy Dương,10A1,\n",
        ),
        &[
            (Some(2), id_column(), Problem::InvalidId(StudentIdError::InvalidCharacter(' '))),
            (Some(3), id_column(), Problem::InvalidId(StudentIdError::InvalidCharacter('ì'))),
            (Some(4), id_column(), Problem::InvalidId(StudentIdError::TooLong(33))),
        ],
    );
}

#[test]
fn empty_name() {
    check(&roster("1,0123456789,,10A1,\n"), &[(Some(2), Some(("C", "Họ và tên")), Problem::EmptyName)]);
    check(
        "Mã HS,Họ đệm,Tên\n01,Nguyễn Văn,\n02,,\n03,Lê Thị,Bình\n",
        &[(Some(2), Some(("C", "Tên")), Problem::EmptyGivenName), (Some(3), Some(("C", "Tên")), Problem::EmptyName)],
    );
}

#[test]
fn control_character_in_a_name() {
    check(
        &roster("1,0123456789,Nguyễn Văn\u{7}An,10A1,\n"),
        &[(Some(2), Some(("C", "Họ và tên")), Problem::ControlCharacter(7))],
    );
}

#[test]
fn bad_dates() {
    let column = Some(("E", "Ngày sinh"));
    check(
        &roster(
            "1,01,Nguyễn Văn An,10A1,29/02/2010\n2,02,Lê Thị Bình,10A1,31/04/2010\n\
             3,03,Trần Văn Ánh,10A1,2010/03/05\n4,04,Phạm Minh Đức,10A1,05/03/10\n\
             5,05,Đặng Thùy Dương,10A1,mùng 5 tháng 3\n6,06,Võ Thị Cẩm,10A1,05/03/2010\n",
        ),
        &[
            (Some(2), column, Problem::InvalidDate("29/02/2010".to_owned())),
            (Some(3), column, Problem::InvalidDate("31/04/2010".to_owned())),
            (Some(4), column, Problem::InvalidDate("2010/03/05".to_owned())),
            (Some(5), column, Problem::InvalidDate("05/03/10".to_owned())),
            (Some(6), column, Problem::InvalidDate("mùng 5 tháng 3".to_owned())),
        ],
    );
}

#[test]
fn bad_pin() {
    let column = Some(("F", "PIN"));
    check(
        &roster(&format!("1,01,Nguyễn Văn An,10A1,,48 21\n2,02,Lê Thị Bình,10A1,,{}\n", "9".repeat(65))),
        &[
            (Some(2), column, Problem::InvalidPin(PinError::InvalidCharacter)),
            (Some(3), column, Problem::InvalidPin(PinError::TooLong)),
        ],
    );
}

#[test]
fn pin_is_never_quoted_in_errors() {
    let errors = Roster::import_csv(FILE, roster("1,01,Nguyễn Văn An,10A1,,48\u{7}21\n").as_bytes()).unwrap_err();
    assert!(!errors.to_string().contains("48"), "{errors}");
    assert!(!format!("{errors:?}").contains("48"), "{errors:?}");
}

#[test]
fn every_problem_of_a_file_is_listed() {
    check(
        "Mã HS,Họ và tên,Ngay sinh,Điểm\n01,Nguyễn Văn An,05/03/2010,\n,Lê Thị Bình,31/02/2010,\n01,,17/11/2010,\n",
        &[
            (Some(1), Some(("D", "Điểm")), Problem::UnknownColumn("Điểm".to_owned())),
            (Some(3), Some(("A", "Mã HS")), Problem::InvalidId(StudentIdError::Empty)),
            (Some(3), Some(("C", "Ngay sinh")), Problem::InvalidDate("31/02/2010".to_owned())),
            (Some(4), Some(("A", "Mã HS")), Problem::DuplicateId { id: "01".to_owned(), first_row: 2 }),
            (Some(4), Some(("B", "Họ và tên")), Problem::EmptyName),
        ],
    );
}

#[test]
fn not_utf8() {
    // Excel's plain "CSV" in the Windows Vietnamese code page (1258): `Nguy\xean` is "Nguyên".
    check_errors(
        Roster::import_csv(FILE, b"M\xe3 HS,H\xf5 t\xean\n01,Nguy\xean V\xe3n An\n"),
        FILE,
        &[(None, None, Problem::NotUtf8 { line: 1 })],
    );
    check_errors(
        Roster::import_csv(FILE, b"Ma HS,Ho ten\r\n01,An\r\n02,Nguy\xean\r\n"),
        FILE,
        &[(None, None, Problem::NotUtf8 { line: 3 })],
    );
}

#[test]
fn utf16() {
    let utf16: Vec<u8> =
        [0xFEFF_u16].into_iter().chain("Mã HS,Họ và tên\n01,An\n".encode_utf16()).flat_map(u16::to_le_bytes).collect();
    check_errors(Roster::import_csv(FILE, &utf16), FILE, &[(None, None, Problem::Utf16)]);
}

#[test]
fn empty_file_and_header_only() {
    check("", &[(None, None, Problem::NoHeader)]);
    check("\u{feff}\r\n\r\n ,  \n", &[(None, None, Problem::NoHeader)]);
    check(HEADER, &[(None, None, Problem::NoStudents)]);
    check(&roster("1,,,,,\n2\n"), &[(None, None, Problem::NoStudents)]);
}

#[test]
fn xlsx_that_is_not_a_spreadsheet() {
    for bytes in [&b""[..], b"PK\x03\x04 not really a zip", EXAMPLE_CSV] {
        let errors = Roster::import_xlsx("lop.xlsx", bytes).unwrap_err();
        assert_eq!(errors.errors.len(), 1, "{errors}");
        assert!(matches!(errors.errors[0].problem, Problem::NotSpreadsheet(_)), "{errors}");
        assert_eq!(errors.errors[0].at, Location { file: "lop.xlsx".to_owned(), row: None, column: None });
        assert!(errors.to_string().contains("không phải tệp Excel"), "{errors}");
    }
}

#[test]
fn xlsx_cells_excel_changed() {
    let header = ["STT", "Mã HS", "Họ và tên", "Lớp", "Ngày sinh", "PIN"].map(text).to_vec();
    let rows = vec![
        header,
        // Excel dropped the id's leading zero: refused, not guessed back.
        vec![XlsxCell::Number(1.0), XlsxCell::Number(123456789.0), text("Nguyễn Văn An"), text("10A1")],
        // A class `10-1` that Excel turned into 10 January.
        vec![XlsxCell::Number(2.0), text("0123456790"), text("Lê Thị Bình"), XlsxCell::Date(10, 1, 2024)],
        // A number that is no date, and a PIN stored as a number.
        vec![
            XlsxCell::Number(3.0),
            text("0123456791"),
            text("Trần Văn Ánh"),
            text("10A1"),
            XlsxCell::Number(40242.0),
            XlsxCell::Number(427.0),
        ],
    ];
    check_errors(
        Roster::import_xlsx("lop.xlsx", &workbook(&rows)),
        "lop.xlsx",
        &[
            (Some(2), Some(("B", "Mã HS")), Problem::NumberInTextColumn),
            (Some(3), Some(("D", "Lớp")), Problem::DateInTextColumn),
            (Some(4), Some(("E", "Ngày sinh")), Problem::InvalidDate("40242".to_owned())),
            (Some(4), Some(("F", "PIN")), Problem::NumberInTextColumn),
        ],
    );
}

#[test]
fn xlsx_rows_are_numbered_as_excel_shows_them() {
    let rows = vec![
        vec![],
        vec![XlsxCell::Empty, text("Mã HS"), text("Họ và tên")],
        vec![XlsxCell::Empty, text("01"), text("Nguyễn Văn An")],
        vec![],
        vec![XlsxCell::Empty, text("01"), text("Lê Thị Bình")],
    ];
    check_errors(
        Roster::import_xlsx("lop.xlsx", &workbook(&rows)),
        "lop.xlsx",
        &[(Some(5), Some(("B", "Mã HS")), Problem::DuplicateId { id: "01".to_owned(), first_row: 3 })],
    );
}
