//! `examples/roster.csv`, the data contract, read field by field; the same list saved from
//! Excel as XLSX gives the same students.

use super::*;

fn example_students() -> Vec<Student> {
    let with_birthday = |id, name, birthday| Student { date_of_birth: birthday, ..student(id, name, "10A1") };
    vec![
        with_birthday("0123456789", "Nguyễn Văn An", date(5, 3, 2010)),
        with_birthday("0123456790", "Trần Thị Bích Ngọc", date(17, 11, 2010)),
        with_birthday("0123456791", "Lê Hoàng Phúc", date(1, 1, 2010)),
        with_birthday("0123456792", "Phạm Minh Châu", date(29, 2, 2012)),
        with_birthday("0123456793", "Đặng Thùy Dương", date(12, 8, 2010)),
    ]
}

#[test]
fn example_csv_imports_exactly() {
    let roster = Roster::import_csv("roster.csv", EXAMPLE_CSV).unwrap();
    assert_eq!(roster.students, example_students());
    // Ids are strings: the leading zero of the national student id survives.
    assert_eq!(roster.students[0].id.as_str(), "0123456789");
    assert_eq!(roster.students[3].date_of_birth.map(|d| d.to_string()).as_deref(), Some("29/02/2012"));
}

#[test]
fn example_sorts_by_given_name() {
    let roster = Roster::import_csv("roster.csv", EXAMPLE_CSV).unwrap().sorted();
    let names: Vec<&str> = roster.students.iter().map(|s| s.full_name.as_str()).collect();
    assert_eq!(names, ["Nguyễn Văn An", "Phạm Minh Châu", "Đặng Thùy Dương", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc"]);
}

#[test]
fn example_saved_as_xlsx_imports_the_same() {
    let csv = std::str::from_utf8(EXAMPLE_CSV).unwrap();
    let rows: Vec<Vec<XlsxCell>> = csv
        .lines()
        .enumerate()
        .map(|(index, line)| {
            line.split(',')
                .enumerate()
                .map(|(column, value)| match (index, column) {
                    // Excel turns a typed row number into a number and a typed date into a date.
                    (1.., 0) => XlsxCell::Number(value.parse().unwrap()),
                    (1.., 4) => {
                        let date = Date::parse(value).unwrap();
                        XlsxCell::Date(date.day(), date.month(), date.year())
                    }
                    _ => text(value),
                })
                .collect()
        })
        .collect();
    let roster = Roster::import_xlsx("roster.xlsx", &workbook(&rows)).unwrap();
    assert_eq!(roster.students, example_students());
}
