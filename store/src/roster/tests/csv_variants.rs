//! CSV as different tools save it: `;` with BOM from Vietnamese-locale Excel, CRLF, quoted
//! fields, English headers, decomposed Vietnamese, blank and pre-numbered rows, ignored columns.

use super::*;

fn check(file: &str, expected: Vec<Student>) {
    match Roster::import_csv("lop.csv", file.as_bytes()) {
        Ok(roster) => assert_eq!(roster.students, expected, "{file:?}"),
        Err(errors) => panic!("{errors}"),
    }
}

#[test]
fn semicolons_with_bom_and_crlf() {
    check(
        "\u{feff}STT;Mã định danh;Họ và tên;Lớp;Ngày sinh;Mật khẩu;Chỗ ngồi\r\n\
         1;0012345678;Võ Thị Cẩm;10A1;05-03-2010;4821;Máy 01\r\n\
         2;0012345679;\"Bùi Quang; Huy\";10A1;2010-11-17;;\r\n",
        vec![
            Student {
                date_of_birth: date(5, 3, 2010),
                pin: pin("4821"),
                seat: Some("Máy 01".to_owned()),
                ..student("0012345678", "Võ Thị Cẩm", "10A1")
            },
            Student { date_of_birth: date(17, 11, 2010), ..student("0012345679", "Bùi Quang; Huy", "10A1") },
        ],
    );
}

#[test]
fn english_headers_any_order_and_quoted_commas() {
    check(
        "name,student_id,class,dob,pin,seat\n\"Lê Hoàng Phúc\",HS-01,10A2,1/1/2010,0007,12\n",
        vec![Student {
            date_of_birth: date(1, 1, 2010),
            pin: pin("0007"),
            seat: Some("12".to_owned()),
            ..student("HS-01", "Lê Hoàng Phúc", "10A2")
        }],
    );
}

#[test]
fn headers_without_marks_or_case() {
    check(
        "  MA HOC SINH , ho va ten ,lop\n0123456789,Nguyễn Văn An,10A1\n",
        vec![student("0123456789", "Nguyễn Văn An", "10A1")],
    );
}

#[test]
fn family_and_given_name_columns_are_joined() {
    check(
        "Mã HS,Họ đệm,Tên\n01,Trần Thị Bích,Ngọc\n02,,Hương\n03, Đặng  Thùy ,Dương \n",
        vec![student("01", "Trần Thị Bích Ngọc", ""), student("02", "Hương", ""), student("03", "Đặng Thùy Dương", "")],
    );
}

#[test]
fn text_is_nfc_and_spaces_are_tidied() {
    check(
        "Mã HS,Họ và tên,Lớp\n 01 ,\"  Nguye\u{0302}\u{0303}n   Va\u{0306}n\tAn \",\u{a0}10A1\u{a0}\n",
        vec![student("01", "Nguyễn Văn An", "10A1")],
    );
}

#[test]
fn blank_pre_numbered_and_unheaded_rows_and_columns_are_skipped() {
    check(
        "\n\nSTT,Mã HS,Họ và tên,,\n1,01,Nguyễn Văn An,ghi chú tay,x\n\n,,,\n2,02,Lê Thị Bình\n3\n4,,,bỏ trống\n",
        vec![student("01", "Nguyễn Văn An", ""), student("02", "Lê Thị Bình", "")],
    );
}

#[test]
fn a_single_column_roster_needs_no_delimiter() {
    // Without a name column this is an error, but detection must not trip on a header with no
    // delimiter at all: the missing-column error is what the proctor sees.
    let errors = Roster::import_csv("lop.csv", "Mã HS\n01\n".as_bytes()).unwrap_err();
    assert_eq!(errors.errors.len(), 1);
    assert_eq!(errors.errors[0].problem, Problem::MissingNameColumn);
}
