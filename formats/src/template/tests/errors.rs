//! Every error path: each message names file, row and (where there is one) the column by letter
//! and header, and says what is wrong in Vietnamese then English.

use super::{XlsxCell, assert_import_invariants, messages, xlsx_bytes};
use crate::ImportReport;
use crate::template::{import_csv, import_xlsx};

/// The example's columns plus `points` and `four_char`: subject A … answer K, tolerance L,
/// pin M, points N, four_char O.
const HEADER: &str = "subject,grade,topic,level,kind,stem,a,b,c,d,answer,tolerance,pin,points,four_char";

/// Imports `sheet` as `t.csv` and checks that it gives exactly one error, starting with `at`
/// (file, row, column) and containing `what`, and no item.
fn check(sheet: &str, at: &str, what: &str) {
    let report = import_csv("t.csv", sheet.as_bytes());
    check_report(&report, at, what);
}

fn check_report(report: &ImportReport, at: &str, what: &str) {
    assert_import_invariants(&report.errors.first().map_or("t.csv".to_owned(), |e| e.at.file.clone()), report);
    assert!(report.items.is_empty(), "no item expected, got {:?}", report.items);
    assert_eq!(report.errors.len(), 1, "one error expected:\n{}", messages(report));
    let message = report.errors[0].to_string();
    assert!(message.starts_with(at), "{message:?} should start with {at:?}");
    assert!(message.contains(what), "{message:?} should contain {what:?}");
}

/// `check` for one data row under [`HEADER`].
fn check_row(row: &str, at: &str, what: &str) {
    check(&format!("{HEADER}\n{row}\n"), at, what);
}

#[test]
fn answer_letter_without_that_option() {
    check_row(
        "Toán,10,Mệnh đề,Biết,single_choice,Câu nào là mệnh đề?,$1 > 2$,$x > 1$,Trời đẹp quá!,$2 = 3$,E,,,,",
        "t.csv:2: cột K \"answer\": đáp án E",
        "answer E but there is no option E (4 options given)",
    );
    check_row(
        "Toán,10,Mệnh đề,Biết,multiple_response,Chọn các số nguyên tố:,2,3,,,AC,,,,",
        "t.csv:2: cột K \"answer\":",
        "no option C",
    );
}

#[test]
fn single_choice_needs_one_letter() {
    check_row(
        "Toán,10,Mệnh đề,Biết,single_choice,Câu?,1,2,3,4,AB,,,,",
        "t.csv:2: cột K \"answer\":",
        "exactly one answer letter",
    );
}

#[test]
fn bad_and_repeated_letters() {
    check_row(
        "Toán,10,,,single_choice,Câu?,1,2,3,4,X,,,,",
        "t.csv:2: cột K \"answer\":",
        "\"X\" is not an option letter",
    );
    check_row("Toán,10,,,multiple_response,Câu?,1,2,3,4,AA,,,,", "t.csv:2: cột K \"answer\":", "letter A is repeated");
}

#[test]
fn cluster_key_length_must_match_statements() {
    check_row(
        "Toán,10,Tập hợp,Vận dụng,true_false_cluster,Xét tính đúng sai:,$1 \\in \\mathbb{N}$,$0 \\in \\mathbb{N}$,$-1 \\in \\mathbb{Z}$,$\\pi \\in \\mathbb{Q}$,ĐSĐ,,,,",
        "t.csv:2: cột K \"answer\":",
        "the key judges 3 statements but the row has 4",
    );
}

#[test]
fn cluster_key_letters() {
    check_row("Toán,10,,,true_false_cluster,Xét:,p,q,r,s,ĐSXĐ,,,,", "t.csv:2: cột K \"answer\":", "\"X\" is neither Đ");
}

#[test]
fn true_false_key() {
    check_row("Hóa học,10,,,true_false,Nước sôi ở 100 °C.,,,,,Có,,,,", "t.csv:2: cột K \"answer\":", "neither Đúng");
}

#[test]
fn short_text_empty_alternative() {
    check_row(
        "Toán,10,,,short_text,Tập không có phần tử?,,,,,rỗng||tập rỗng,,,,",
        "t.csv:2: cột K \"answer\":",
        "is empty",
    );
}

#[test]
fn numeric_key_and_tolerance_must_be_numbers() {
    check_row("Vật lí,10,,,numeric,g = ?,,,,,\"9,8,1\",,,,", "t.csv:2: cột K \"answer\":", "is not a number");
    check_row(
        "Vật lí,10,,,numeric,g = ?,,,,,\"9,8\",khoảng 0.1,,,",
        "t.csv:2: cột L \"tolerance\":",
        "is not a number",
    );
    check_row(
        "Vật lí,10,,,numeric,g = ?,,,,,\"9,8\",\"-0,1\",,,",
        "t.csv:2: cột L \"tolerance\":",
        "must not be negative",
    );
}

#[test]
fn bad_level() {
    check_row("Toán,10,,Khó,essay,Chứng minh.,,,,,,,,,", "t.csv:2: cột D \"level\":", "unknown level \"Khó\"");
}

#[test]
fn bad_grade() {
    check_row("Toán,13,,,essay,Chứng minh.,,,,,,,,,", "t.csv:2: cột B \"grade\":", "from 1 to 12");
    check_row("Toán,mười,,,essay,Chứng minh.,,,,,,,,,", "t.csv:2: cột B \"grade\":", "from 1 to 12");
    check_row("Toán,0,,,essay,Chứng minh.,,,,,,,,,", "t.csv:2: cột B \"grade\":", "from 1 to 12");
}

#[test]
fn bad_points() {
    check_row("Toán,10,,,essay,Chứng minh.,,,,,,,,\"0,3333\",", "t.csv:2: cột N \"points\":", "at most 3 decimals");
    check_row("Toán,10,,,essay,Chứng minh.,,,,,,,,-1,", "t.csv:2: cột N \"points\":", "must not be negative");
    check_row("Toán,10,,,essay,Chứng minh.,,,,,,,,một,", "t.csv:2: cột N \"points\":", "not a number");
}

#[test]
fn options_must_be_contiguous() {
    check_row(
        "Toán,10,,,single_choice,Câu?,1,,3,4,A,,,,",
        "t.csv:2: cột I \"c\":",
        "option b is empty but a later one is not",
    );
}

#[test]
fn columns_the_kind_does_not_use() {
    check_row("Toán,10,,,numeric,Câu?,1,,,,5,,,,", "t.csv:2: cột G \"a\":", "kind numeric does not use this column");
    check_row("Toán,10,,,true_false,Câu?,,,,,Đúng,,A,,", "t.csv:2: cột M \"pin\":", "kind true_false does not use");
    check_row("Toán,10,,,single_choice,Câu?,1,2,,,A,0.1,,,", "t.csv:2: cột L \"tolerance\":", "does not use");
    check_row("Toán,10,,,short_text,Câu?,,,,,x,,,,1", "t.csv:2: cột O \"four_char\":", "does not use");
    check_row(
        "Toán,10,,,essay,Chứng minh.,,,,,Dùng quy nạp,,,,",
        "t.csv:2: cột K \"answer\":",
        "kind essay does not use",
    );
}

#[test]
fn pin_letters_must_name_options() {
    check_row("Toán,10,,,single_choice,Câu?,1,2,3,4,A,,E,,", "t.csv:2: cột M \"pin\":", "pins option E");
    check_row("Toán,10,,,single_choice,Câu?,1,2,3,4,A,,Z,,", "t.csv:2: cột M \"pin\":", "not an option letter");
}

#[test]
fn four_char_column() {
    check_row("Toán,10,,,numeric,Câu?,,,,,5,,,,hmm", "t.csv:2: cột O \"four_char\":", "is not yes/no");
    check_row(
        "Toán,10,,,numeric,Câu?,,,,,12345,,,,có",
        "t.csv:2: cột O \"four_char\":",
        "cannot be written in 4 characters",
    );
}

#[test]
fn unknown_kind() {
    check_row("Toán,10,,,matching,Ghép đôi,,,,,,,,,", "t.csv:2: cột E \"kind\":", "unknown kind \"matching\"");
    check_row("Toán,10,,,trắc nghiệm,Câu?,1,2,,,A,,,,", "t.csv:2: cột E \"kind\":", "unknown kind");
}

#[test]
fn empty_required_cells() {
    check_row("Toán,10,,,,Câu?,1,2,,,A,,,,", "t.csv:2: cột E \"kind\":", "empty, the item kind needed");
    check_row("Toán,10,,,single_choice,,1,2,,,A,,,,", "t.csv:2: cột F \"stem\":", "empty, the question text needed");
    check_row("Toán,10,,,single_choice,Câu?,1,2,,,,,,,", "t.csv:2: cột K \"answer\":", "empty, the answer needed");
}

#[test]
fn item_rules_are_checked_last() {
    check_row("Toán,10,,,single_choice,Câu?,1,,,,A,,,,", "t.csv:2: cần ít nhất 2 phương án", "at least 2 options");
    check_row("Toán,10,,,true_false_cluster,Xét:,p,,,,Đ,,,,", "t.csv:2: câu đúng/sai chùm", "at least 2 statements");
}

#[test]
fn cell_under_a_column_without_header() {
    check(
        &format!("{HEADER},\nToán,10,,,essay,Chứng minh.,,,,,,,,,,ghi chú\n"),
        "t.csv:2: cột P:",
        "has content but no header",
    );
}

#[test]
fn invalid_utf8_cell() {
    let mut sheet = b"kind,stem\nessay,".to_vec();
    sheet.extend_from_slice(b"Ch\xfang minh\n");
    check_report(&import_csv("t.csv", &sheet), "t.csv:2: cột B \"stem\":", "not UTF-8");
}

#[test]
fn unknown_header() {
    check("subject,kind,stem,anwser\nToán,essay,Chứng minh.,\n", "t.csv:1: cột D \"anwser\":", "unknown column header");
}

#[test]
fn duplicate_header() {
    check("kind,stem,answer,Đáp án\n", "t.csv:1: cột D \"Đáp án\":", "repeats column C \"answer\"");
}

#[test]
fn missing_required_columns() {
    check("stem,answer\nCâu?,A\n", "t.csv:1: thiếu cột bắt buộc \"kind\"", "missing required column \"kind\"");
    check("kind,answer\nessay,\n", "t.csv:1: thiếu cột bắt buộc \"stem\"", "missing required column \"stem\"");
    check("kind,stem,a,b\nsingle_choice,Câu?,1,2\n", "t.csv:2: thiếu cột \"answer\"", "missing column \"answer\"");
    // An essay needs no answer column.
    let report = import_csv("t.csv", "kind,stem\nessay,Chứng minh.\n".as_bytes());
    assert_eq!((report.items.len(), report.errors.len()), (1, 0));
}

#[test]
fn empty_files() {
    check("", "t.csv:1: không có dòng tiêu đề", "no header row");
    check("\u{FEFF}\r\n,,,\r\n\r\n", "t.csv:1: không có dòng tiêu đề", "no header row");
}

#[test]
fn utf16_file() {
    let mut sheet = vec![0xFF, 0xFE];
    sheet.extend("kind,stem".encode_utf16().flat_map(u16::to_le_bytes));
    check_report(&import_csv("t.csv", &sheet), "t.csv:1: tệp được lưu dạng UTF-16", "save it again as \"CSV UTF-8\"");
}

#[test]
fn bad_rows_are_reported_and_the_rest_imports() {
    let sheet = format!(
        "{HEADER}\n\
         Toán,10,Mệnh đề,Biết,true_false,$2$ là số chẵn.,,,,,Đúng,,,,\n\
         Toán,15,Mệnh đề,Khó,single_choice,Câu?,1,2,3,4,G,,,,\n\
         ,,,,,,,,,,,,,,\n\
         Toán,10,Mệnh đề,Hiểu,numeric,$\\sqrt{{16}} = ?$,,,,,4,,,,\n"
    );
    let report = import_csv("t.csv", sheet.as_bytes());
    assert_import_invariants("t.csv", &report);
    assert_eq!(report.items.len(), 2);
    let lines: Vec<u32> = report.items.iter().map(|i| i.meta.source.as_ref().unwrap().line).collect();
    assert_eq!(lines, [2, 5]);
    // Every problem of row 3 at once: grade, level and answer.
    let errors: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(errors[0].starts_with("t.csv:3: cột B \"grade\":"));
    assert!(errors[1].starts_with("t.csv:3: cột D \"level\":"));
    assert!(errors[2].starts_with("t.csv:3: cột K \"answer\":"));
}

#[test]
fn xlsx_that_is_not_a_workbook() {
    check_report(&import_xlsx("t.xlsx", b"subject,grade\n"), "t.xlsx:1: không đọc được tệp Excel", "cannot read");
    check_report(&import_xlsx("t.xlsx", b""), "t.xlsx:1: không đọc được tệp Excel", "cannot read");
}

#[test]
fn xlsx_errors_name_excel_rows_and_columns() {
    let text = |t: &str| Some(XlsxCell::Text(t.to_owned()));
    let rows = vec![
        vec![text("Loại"), text("Nội dung"), text("A"), text("B"), text("Đáp án")],
        vec![
            text("single_choice"),
            text("$1 + 1 = ?$"),
            Some(XlsxCell::Number(2.0)),
            Some(XlsxCell::Number(3.0)),
            text("C"),
        ],
    ];
    check_report(&import_xlsx("t.xlsx", &xlsx_bytes(&rows)), "t.xlsx:2: cột E \"Đáp án\":", "no option C");
}

#[test]
fn xlsx_date_cell_is_refused() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "kind").unwrap();
    sheet.write_string(0, 1, "stem").unwrap();
    sheet.write_string(0, 2, "answer").unwrap();
    sheet.write_string(1, 0, "numeric").unwrap();
    sheet.write_string(1, 1, "Tỉ số 1/2 bằng bao nhiêu?").unwrap();
    // What Excel makes of a typed `1/2`: a date.
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    sheet.write_number_with_format(1, 2, 46023.0, &date).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    check_report(&import_xlsx("t.xlsx", &bytes), "t.xlsx:2: cột C \"answer\":", "format the cell as Text");
}
