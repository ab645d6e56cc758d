//! A class list as a teacher keeps it in Excel: Vietnamese headers, `Họ đệm` + `Tên`, real date
//! cells, a PIN column, a pre-numbered `STT` column running past the last student, a column
//! without header, and numbers where Excel made them.

use super::*;

#[test]
fn teacher_workbook() {
    let header = ["STT", "Mã định danh", "Họ đệm", "Tên", "Ngày sinh", "Lớp", "Mật khẩu", "Vị trí", ""];
    let mut rows = vec![header.map(text).to_vec()];
    rows.push(vec![
        XlsxCell::Number(1.0),
        text("0123456789"),
        text("Nguyễn Văn"),
        text("An"),
        XlsxCell::Date(5, 3, 2010),
        text("10A1"),
        text("0427"),
        XlsxCell::Number(1.0),
        text("chuyển từ 10A3"),
    ]);
    rows.push(vec![
        XlsxCell::Number(2.0),
        text("0123456790"),
        text("Trần Thị Bích"),
        text("Ngọc"),
        // Some teachers type dates as text in a Text-formatted column.
        text("17/11/2010"),
        text("10A1"),
        text("583920"),
        XlsxCell::Number(2.0),
    ]);
    rows.push(vec![
        XlsxCell::Number(3.0),
        text("0123456792"),
        text("Phạm Minh"),
        text("Châu"),
        XlsxCell::Date(29, 2, 2012),
        text("10A1"),
        XlsxCell::Empty,
        text("Máy 03"),
    ]);
    // A pre-numbered form: STT runs on with nothing else.
    for number in 4..=40 {
        rows.push(vec![XlsxCell::Number(f64::from(number))]);
    }
    let roster = Roster::import_xlsx("10A1.xlsx", &workbook(&rows)).unwrap();
    assert_eq!(
        roster.students,
        vec![
            Student {
                date_of_birth: date(5, 3, 2010),
                pin: pin("0427"),
                seat: Some("1".to_owned()),
                ..student("0123456789", "Nguyễn Văn An", "10A1")
            },
            Student {
                date_of_birth: date(17, 11, 2010),
                pin: pin("583920"),
                seat: Some("2".to_owned()),
                ..student("0123456790", "Trần Thị Bích Ngọc", "10A1")
            },
            Student {
                date_of_birth: date(29, 2, 2012),
                seat: Some("Máy 03".to_owned()),
                ..student("0123456792", "Phạm Minh Châu", "10A1")
            },
        ]
    );
    assert!(roster.students[0].pin.as_ref().unwrap().matches("0427"));
}

#[test]
fn only_the_first_worksheet_is_read() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let first = book.add_worksheet();
    first.set_name("Danh sách").unwrap();
    first.write_string(0, 0, "Mã HS").unwrap();
    first.write_string(0, 1, "Họ và tên").unwrap();
    first.write_string(1, 0, "01").unwrap();
    first.write_string(1, 1, "Nguyễn Văn An").unwrap();
    let second = book.add_worksheet();
    second.write_string(0, 0, "Ghi chú của giáo viên chủ nhiệm").unwrap();
    let roster = Roster::import_xlsx("10A1.xlsx", &book.save_to_buffer().unwrap()).unwrap();
    assert_eq!(roster.students, vec![student("01", "Nguyễn Văn An", "")]);
}
