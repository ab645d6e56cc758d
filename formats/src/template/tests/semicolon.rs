//! A sheet saved by Excel with Vietnamese regional settings: UTF-8 BOM, `;` between fields,
//! decimal commas unquoted, CRLF, Vietnamese column names and every optional column.

use super::{assert_import_invariants, items_without_errors};
use crate::template::import_csv;
use phongthi_items::{Body, Fraction, Level, MilliPoints, NumericValue};
use rust_decimal::Decimal;

const SHEET: &str = "\u{FEFF}Môn;Khối;Chủ đề;Mức độ;Loại;Nội dung;A;B;C;D;Đáp án;Sai số;Cố định;Điểm;Mã câu;Thẻ;Tác giả;4 ký tự\r\n\
Vật lí;10;Chuyển động thẳng;Biết;single_choice;Đơn vị của gia tốc trong hệ SI là;m/s;m/s²;km/h;Tất cả đều sai;B;;D;0,25;VL10-01;\"động học; đơn vị\";Nguyễn Thị Lan;\r\n\
Vật lí;10;Chuyển động thẳng;Vận dụng;numeric;Ô tô tăng tốc từ 0 lên 20 m/s trong 8 s. Gia tốc là bao nhiêu m/s²?;;;;;2,5;0,05;;0,5;VL10-02;;;\r\n\
\r\n\
Hóa học;10;Bảng tuần hoàn;Hiểu;true_false;Nguyên tố có Z = 11 thuộc chu kì 3.;;;;;Đúng;;;;;;;\r\n\
Hóa học;10;Liên kết hóa học;Vận dụng cao;true_false_cluster;\"Xét phân tử H₂O; các phát biểu sau:\";Có 2 liên kết cộng hóa trị;Phân tử có dạng thẳng;Nguyên tử O còn 2 cặp electron tự do;Phân tử phân cực;ĐSĐĐ;;;1;HH10-07;;;\r\n\
Hóa học;11;Nitrogen;van-dung;multiple_response;Chọn các phát biểu đúng về N₂:;Bền ở nhiệt độ thường;Tan tốt trong nước;Có liên kết ba;;A, C;;;;;;;\r\n\
Vật lí;10;Động lượng;Hiểu;numeric;Vật 1,5 kg chuyển động với vận tốc 50 m/s. Động lượng (kg·m/s)?;;;;;75;;;;;;;không\r\n\
Hóa học;10;Nguyên tử;Biết;short_text;Công thức hóa học của nước là gì?;;;;;H2O | H₂O;;;;;;;\r\n\
Hóa học;10;Nguyên tử;Biết;essay;Trình bày cấu tạo của nguyên tử.;;;;;;;;2;;;;\r\n";

#[test]
fn vietnamese_excel_sheet_imports() {
    let report = import_csv("vat-li-hoa-hoc.csv", SHEET.as_bytes());
    assert_import_invariants("vat-li-hoa-hoc.csv", &report);
    let items = items_without_errors(report);
    let rows: Vec<u32> = items.iter().map(|i| i.meta.source.as_ref().unwrap().line).collect();
    assert_eq!(rows, [2, 3, 5, 6, 7, 8, 9, 10], "the empty row 4 counts, as in Excel");

    let first = &items[0];
    assert_eq!(first.meta.subject.as_deref(), Some("Vật lí"));
    assert_eq!(first.meta.grade, Some(10));
    assert_eq!(first.meta.topic.as_deref(), Some("Chuyển động thẳng"));
    assert_eq!(first.meta.level, Some(Level::Biet));
    assert_eq!(first.meta.points, Some(MilliPoints::from_milli(250)));
    assert_eq!(first.name.as_deref(), Some("VL10-01"));
    assert_eq!(first.meta.tags, ["động học", "đơn vị"]);
    assert_eq!(first.meta.author.as_deref(), Some("Nguyễn Thị Lan"));
    let Body::SingleChoice { options } = &first.body else { panic!("single choice") };
    assert_eq!(options[1].text, "m/s²");
    assert_eq!(options.iter().map(|o| o.fraction.is_full()).collect::<Vec<_>>(), [false, true, false, false]);
    assert_eq!(options.iter().map(|o| o.pinned).collect::<Vec<_>>(), [false, false, false, true]);

    let Body::Numeric { answers, four_char_rule: true } = &items[1].body else { panic!("numeric, 4-char") };
    assert_eq!(answers[0].value, NumericValue::Exact { value: Decimal::new(25, 1), tolerance: Decimal::new(5, 2) });
    assert_eq!(items[1].meta.points, Some(MilliPoints::from_milli(500)));

    assert_eq!(items[2].body, Body::TrueFalse { answer: true });

    let Body::TrueFalseCluster { statements, .. } = &items[3].body else { panic!("cluster") };
    assert_eq!(items[3].stem, "Xét phân tử H₂O; các phát biểu sau:");
    assert_eq!(statements.iter().map(|s| s.correct).collect::<Vec<_>>(), [true, false, true, true]);
    assert_eq!(items[3].meta.level, Some(Level::VanDungCao));

    let Body::MultipleResponse { options } = &items[4].body else { panic!("multiple response") };
    assert_eq!(options.iter().map(|o| o.fraction.raw()).collect::<Vec<_>>(), [5_000_000, -10_000_000, 5_000_000]);
    assert_eq!(items[4].meta.grade, Some(11));
    assert_eq!(items[4].meta.level, Some(Level::VanDung));

    assert!(matches!(items[5].body, Body::Numeric { four_char_rule: false, .. }), "explicit không");

    let Body::ShortText { answers, case_sensitive: false } = &items[6].body else { panic!("short text") };
    assert_eq!(answers.iter().map(|a| a.text.as_str()).collect::<Vec<_>>(), ["H2O", "H₂O"]);
    assert!(answers.iter().all(|a| a.fraction == Fraction::ONE));

    assert_eq!(items[7].body, Body::Essay);
    assert_eq!(items[7].meta.points, Some(MilliPoints::from_milli(2000)));
}

#[test]
fn decomposed_text_is_stored_nfc() {
    // Typed with combining marks, as some input methods and Word produce.
    let sheet = "kind,stem,answer\nshort_text,Tie\u{0302}\u{0301}ng Vie\u{0323}\u{0302}t?,Tie\u{0302}\u{0301}ng\n";
    let items = items_without_errors(import_csv("nfc.csv", sheet.as_bytes()));
    assert_eq!(items[0].stem, "Tiếng Việt?");
    let Body::ShortText { answers, .. } = &items[0].body else { panic!("short text") };
    assert_eq!(answers[0].text, "Tiếng");
}

#[test]
fn only_the_required_columns_are_needed() {
    let sheet = "kind,stem,answer,a,b\ntrue_false,Số 2 là số nguyên tố.,Sai,,\nsingle_choice,$1 + 1 = ?$,a,2,3\n";
    let items = items_without_errors(import_csv("min.csv", sheet.as_bytes()));
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].body, Body::TrueFalse { answer: false });
    assert_eq!(items[0].meta.subject, None);
    assert_eq!(items[0].meta.grade, None);
}
