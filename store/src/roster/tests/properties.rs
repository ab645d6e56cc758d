//! Property tests: random and mutated bytes never panic either importer, and any valid roster
//! written as CSV (either delimiter, with or without BOM, any header spelling, any date format,
//! full name or `Họ đệm` + `Tên`) or as XLSX imports back equal.

use super::*;
use proptest::prelude::*;
use proptest::sample::select;

const FAMILY_NAMES: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý",
];
const MIDDLE_NAMES: [&str; 10] = ["Văn", "Thị", "Minh", "Ngọc", "Thùy", "Quốc", "Gia", "Bảo", "Hoàng", "Thanh"];
const GIVEN_NAMES: [&str; 18] = [
    "An", "Anh", "Ánh", "Bình", "Châu", "Dương", "Đức", "Hà", "Hải", "Hằng", "Khoa", "Linh", "Ngọc", "Phúc", "Quỳnh",
    "Tâm", "Yến", "Ý",
];

/// One generated student, with the name kept in its two parts for `Họ đệm` + `Tên` files.
#[derive(Clone, Debug)]
struct Generated {
    id: String,
    family_and_middle: String,
    given: String,
    class: String,
    date_of_birth: Option<Date>,
    pin: Option<String>,
    seat: Option<String>,
}

impl Generated {
    fn full_name(&self) -> String {
        format!("{} {}", self.family_and_middle, self.given)
    }

    fn student(&self) -> Student {
        Student {
            id: StudentId::new(&self.id).unwrap(),
            full_name: self.full_name(),
            class: self.class.clone(),
            date_of_birth: self.date_of_birth,
            pin: self.pin.as_deref().map(|pin| Pin::new(pin).unwrap()),
            seat: self.seat.clone(),
        }
    }
}

fn generated_student(index: usize) -> impl Strategy<Value = Generated> {
    (
        "[A-Za-z0-9-]{0,20}",
        select(&FAMILY_NAMES[..]),
        prop::collection::vec(select(&MIDDLE_NAMES[..]), 0..=2),
        select(&GIVEN_NAMES[..]),
        prop_oneof![Just(String::new()), "1[0-2]A[1-9]"],
        prop::option::of((1u8..=31, 1u8..=12, 2005u16..=2015)),
        prop::option::of("[0-9A-Za-z]{4,8}"),
        prop::option::of(prop_oneof!["Máy [0-9]{2}", "[A-D][1-9]"]),
    )
        .prop_map(move |(prefix, family, middles, given, class, birthday, pin, seat)| Generated {
            // The index keeps ids unique; a digits-only id may start with zeros.
            id: format!("{prefix}{index:04}"),
            family_and_middle: std::iter::once(family).chain(middles).collect::<Vec<_>>().join(" "),
            given: given.to_owned(),
            class,
            date_of_birth: birthday.and_then(|(day, month, year)| Date::new(day, month, year)),
            pin,
            seat,
        })
}

fn generated_roster() -> impl Strategy<Value = Vec<Generated>> {
    (1usize..=25).prop_flat_map(|count| (0..count).map(generated_student).collect::<Vec<_>>())
}

/// How a generated roster is written as CSV.
#[derive(Clone, Debug)]
struct CsvStyle {
    delimiter: u8,
    bom: bool,
    crlf: bool,
    split_name: bool,
    vietnamese_headers: bool,
    date_format: usize,
}

fn csv_style() -> impl Strategy<Value = CsvStyle> {
    (select(vec![b',', b';']), any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>(), 0usize..4).prop_map(
        |(delimiter, bom, crlf, split_name, vietnamese_headers, date_format)| CsvStyle {
            delimiter,
            bom,
            crlf,
            split_name,
            vietnamese_headers,
            date_format,
        },
    )
}

fn format_date(date: Date, style: usize) -> String {
    let (day, month, year) = (date.day(), date.month(), date.year());
    match style {
        0 => format!("{day:02}/{month:02}/{year}"),
        1 => format!("{day}/{month}/{year}"),
        2 => format!("{day:02}-{month:02}-{year}"),
        _ => format!("{year}-{month:02}-{day:02}"),
    }
}

fn write_csv(students: &[Generated], style: &CsvStyle) -> Vec<u8> {
    let headers: Vec<&str> = match (style.vietnamese_headers, style.split_name) {
        (true, false) => vec!["STT", "Mã học sinh", "Họ và tên", "Lớp", "Ngày sinh", "Mật khẩu", "Chỗ ngồi"],
        (true, true) => vec!["STT", "Mã định danh", "Họ đệm", "Tên", "Lớp", "Ngày sinh", "PIN", "Vị trí"],
        (false, false) => vec!["student_id", "full_name", "class", "date_of_birth", "pin", "seat"],
        (false, true) => vec!["id", "family_name", "given_name", "class", "dob", "pin", "seat"],
    };
    let terminator = if style.crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
    let mut writer =
        csv::WriterBuilder::new().delimiter(style.delimiter).terminator(terminator).from_writer(Vec::new());
    writer.write_record(&headers).unwrap();
    for (number, student) in (1..).zip(students) {
        let mut record: Vec<String> = Vec::new();
        if style.vietnamese_headers {
            record.push(number.to_string());
        }
        record.push(student.id.clone());
        if style.split_name {
            record.push(student.family_and_middle.clone());
            record.push(student.given.clone());
        } else {
            record.push(student.full_name());
        }
        record.push(student.class.clone());
        record.push(student.date_of_birth.map(|date| format_date(date, style.date_format)).unwrap_or_default());
        record.push(student.pin.clone().unwrap_or_default());
        record.push(student.seat.clone().unwrap_or_default());
        writer.write_record(&record).unwrap();
    }
    let mut bytes = if style.bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
    bytes.extend(writer.into_inner().unwrap());
    bytes
}

fn write_xlsx(students: &[Generated]) -> Vec<u8> {
    let header = ["STT", "Mã học sinh", "Họ đệm", "Tên", "Lớp", "Ngày sinh", "PIN", "Chỗ ngồi"].map(text).to_vec();
    let optional_text = |value: &Option<String>| value.as_deref().map_or(XlsxCell::Empty, text);
    let rows: Vec<Vec<XlsxCell>> = std::iter::once(header)
        .chain((1..).zip(students).map(|(number, student)| {
            vec![
                XlsxCell::Number(f64::from(number)),
                text(&student.id),
                text(&student.family_and_middle),
                text(&student.given),
                text(&student.class),
                student.date_of_birth.map_or(XlsxCell::Empty, |d| XlsxCell::Date(d.day(), d.month(), d.year())),
                optional_text(&student.pin),
                optional_text(&student.seat),
            ]
        }))
        .collect();
    workbook(&rows)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = Roster::import_csv("random.csv", &bytes);
        let _ = Roster::import_xlsx("random.xlsx", &bytes);
    }

    #[test]
    fn mutated_csv_never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        text_edit in prop::option::of((any::<prop::sample::Index>(), "[,;\"\r\n ]|Tên|PIN|29/02/2010|0|\u{0300}")),
    ) {
        let mut bytes = EXAMPLE_CSV.to_vec();
        for (at, byte) in edits {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        if let Some((at, inserted)) = text_edit {
            let at = at.index(bytes.len());
            bytes.splice(at..at, inserted.bytes());
        }
        if let Err(errors) = Roster::import_csv("mutated.csv", &bytes) {
            prop_assert!(!errors.errors.is_empty());
        }
    }

    #[test]
    fn csv_round_trip(students in generated_roster(), style in csv_style()) {
        let bytes = write_csv(&students, &style);
        let imported = Roster::import_csv("generated.csv", &bytes);
        let expected: Vec<Student> = students.iter().map(Generated::student).collect();
        match imported {
            Ok(roster) => prop_assert_eq!(roster.students, expected),
            Err(errors) => prop_assert!(false, "{}\n{}", errors, String::from_utf8_lossy(&bytes)),
        }
    }
}

proptest! {
    // Building a workbook costs more than a CSV: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn xlsx_round_trip(students in generated_roster()) {
        let imported = Roster::import_xlsx("generated.xlsx", &write_xlsx(&students));
        let expected: Vec<Student> = students.iter().map(Generated::student).collect();
        match imported {
            Ok(roster) => prop_assert_eq!(roster.students, expected),
            Err(errors) => prop_assert!(false, "{}", errors),
        }
    }

    #[test]
    fn mutated_xlsx_never_panics(
        students in generated_roster(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let mut bytes = write_xlsx(&students);
        for (at, byte) in edits {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        let _ = Roster::import_xlsx("mutated.xlsx", &bytes);
    }
}
