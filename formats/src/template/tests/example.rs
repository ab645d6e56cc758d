//! `examples/questions.csv`, the data contract, read field by field, and the same sheet saved
//! as XLSX the way Excel holds it (grade, numeric keys and tolerance as number cells).

use super::{EXAMPLE_CSV, XlsxCell, assert_import_invariants, items_without_errors, without_source, xlsx_bytes};
use crate::template::{import_csv, import_xlsx};
use phongthi_items::{
    Body, Choice, ClusterTable, Fraction, Item, Level, Metadata, NumericAnswer, NumericValue, SourceRef, Statement,
    TextAnswer,
};
use rust_decimal::Decimal;

fn item(row: u32, topic: &str, level: Level, stem: &str, body: Body) -> Item {
    let mut item = Item::new(stem, body);
    item.meta = Metadata {
        subject: Some("Toán".to_owned()),
        grade: Some(10),
        topic: Some(topic.to_owned()),
        level: Some(level),
        source: Some(SourceRef { file: "questions.csv".to_owned(), line: row }),
        ..Metadata::default()
    };
    item
}

fn option(text: &str, fraction: Fraction, pinned: bool) -> Choice {
    Choice { text: text.to_owned(), fraction, pinned, feedback: None }
}

fn single(options: [&str; 4], correct: usize, pinned: Option<usize>) -> Body {
    let options = options
        .iter()
        .enumerate()
        .map(|(i, text)| option(text, if i == correct { Fraction::ONE } else { Fraction::ZERO }, pinned == Some(i)))
        .collect();
    Body::SingleChoice { options }
}

fn cluster(statements: [&str; 4], key: [bool; 4]) -> Body {
    Body::TrueFalseCluster {
        statements: statements
            .iter()
            .zip(key)
            .map(|(text, correct)| Statement { text: (*text).to_owned(), correct })
            .collect(),
        table: ClusterTable::graduation_exam(),
    }
}

fn numeric(value: Decimal, tolerance: Decimal) -> Body {
    Body::Numeric {
        answers: vec![NumericAnswer { value: NumericValue::Exact { value, tolerance }, fraction: Fraction::ONE }],
        four_char_rule: true,
    }
}

/// The twelve questions of the example file, written out by hand from the file.
fn expected_items() -> Vec<Item> {
    let half = Fraction::from_raw(5_000_000).unwrap();
    let minus_half = Fraction::from_raw(-5_000_000).unwrap();
    vec![
        item(
            2,
            "Mệnh đề",
            Level::Biet,
            "Câu nào sau đây là một mệnh đề?",
            single(["Hôm nay trời đẹp quá!", "$2 + 3 = 6$", "Bạn có khỏe không?", "$x > 1$"], 1, None),
        ),
        item(
            3,
            "Mệnh đề",
            Level::Biet,
            r#"Phủ định của mệnh đề "$\forall x \in \mathbb{R}, x^2 \ge 0$" là"#,
            single(
                [
                    r"$\exists x \in \mathbb{R}, x^2 < 0$",
                    r"$\forall x \in \mathbb{R}, x^2 < 0$",
                    r"$\exists x \in \mathbb{R}, x^2 \le 0$",
                    r"$\forall x \in \mathbb{R}, x^2 > 0$",
                ],
                0,
                None,
            ),
        ),
        item(
            4,
            "Mệnh đề",
            Level::Hieu,
            "Mệnh đề nào sau đây đúng?",
            single([r"$\sqrt{2}$ là số hữu tỉ", "$5$ là số chẵn", "$7$ là số nguyên tố", "$1 > 2$"], 2, None),
        ),
        item(
            5,
            "Tập hợp",
            Level::Biet,
            r"Cho $A = \{1; 2; 3\}$. Khẳng định nào đúng?",
            single([r"$1 \notin A$", r"$\{1\} \in A$", r"$\{1; 2\} \subset A$", r"$4 \in A$"], 2, None),
        ),
        item(
            6,
            "Tập hợp",
            Level::Hieu,
            "Số tập con của tập hợp có 3 phần tử là",
            single(["3", "6", "8", "Tất cả các đáp án trên đều sai"], 2, Some(3)),
        ),
        item(
            7,
            "Tập hợp",
            Level::Hieu,
            r"Cho $A = [1; 5]$ và $B = (3; 7)$. Tập $A \cap B$ là",
            single(["$(3; 5]$", "$[1; 7)$", "$[3; 5]$", "$(1; 3)$"], 0, None),
        ),
        item(
            8,
            "Tập hợp",
            Level::VanDung,
            r"Cho các tập hợp $A = \{x \in \mathbb{N} \mid x < 4\}$ và $B = \{2; 3; 4\}$. Xét tính đúng sai của các khẳng định sau:",
            cluster(
                [
                    r"$A = \{0; 1; 2; 3\}$",
                    r"$A \cap B = \{2; 3\}$",
                    r"$A \cup B$ có 4 phần tử",
                    r"$B \setminus A = \{4\}$",
                ],
                [true, true, false, true],
            ),
        ),
        item(
            9,
            "Mệnh đề",
            Level::VanDung,
            r#"Cho mệnh đề $P$: "$\exists x \in \mathbb{Z}, x^2 = 2$". Xét tính đúng sai:"#,
            cluster(
                [
                    "$P$ là mệnh đề sai",
                    r#"Phủ định của $P$ là "$\forall x \in \mathbb{Z}, x^2 \ne 2$""#,
                    r"$\overline{P}$ là mệnh đề sai",
                    r"$x = \sqrt{2}$ làm $P$ đúng",
                ],
                [true, true, false, false],
            ),
        ),
        item(
            10,
            "Mệnh đề",
            Level::VanDung,
            "Có bao nhiêu số nguyên $x$ thỏa mãn $|x| < 2{,}5$?",
            numeric(Decimal::from(5), Decimal::ZERO),
        ),
        item(
            11,
            "Tập hợp",
            Level::VanDung,
            "Cho $A = [-3; 1{,}5]$. Tính độ dài của đoạn $A$ (làm tròn đến hàng phần mười).",
            numeric(Decimal::new(45, 1), Decimal::new(5, 2)),
        ),
        item(
            12,
            "Tập hợp",
            Level::Biet,
            "Tập hợp không có phần tử nào gọi là tập gì?",
            Body::ShortText {
                answers: ["rỗng", "tập rỗng"]
                    .map(|text| TextAnswer { text: text.to_owned(), fraction: Fraction::ONE })
                    .to_vec(),
                case_sensitive: false,
            },
        ),
        item(
            13,
            "Mệnh đề",
            Level::Hieu,
            "Chọn các mệnh đề đúng:",
            Body::MultipleResponse {
                options: vec![
                    option(r"$2 \in \mathbb{N}$", half, false),
                    option(r"$-1 \in \mathbb{N}$", minus_half, false),
                    option(r"$\pi \in \mathbb{Q}$", minus_half, false),
                    option(r"$0 \in \mathbb{Z}$", half, false),
                ],
            },
        ),
    ]
}

#[test]
fn example_csv_imports_as_written() {
    let report = import_csv("questions.csv", EXAMPLE_CSV);
    assert_import_invariants("questions.csv", &report);
    let items = items_without_errors(report);
    let expected = expected_items();
    assert_eq!(items.len(), 12);
    for (got, want) in items.iter().zip(&expected) {
        assert_eq!(got, want, "row {}", want.meta.source.as_ref().unwrap().line);
    }
}

#[test]
fn example_key_details() {
    let items = items_without_errors(import_csv("questions.csv", EXAMPLE_CSV));
    let Body::SingleChoice { options } = &items[4].body else { panic!("row 6 is single choice") };
    assert_eq!(options.iter().map(|o| o.pinned).collect::<Vec<_>>(), [false, false, false, true]);
    let Body::Numeric { answers, four_char_rule } = &items[9].body else { panic!("row 11 is numeric") };
    assert_eq!(answers[0].value, NumericValue::Exact { value: Decimal::new(45, 1), tolerance: Decimal::new(5, 2) });
    assert!(*four_char_rule);
    assert!(answers[0].value.accepts(Decimal::new(455, 2)));
    assert!(!answers[0].value.accepts(Decimal::new(456, 2)));
    let Body::TrueFalseCluster { statements, .. } = &items[6].body else { panic!("row 8 is a cluster") };
    let key: String = statements.iter().map(|s| if s.correct { 'Đ' } else { 'S' }).collect();
    assert_eq!(key, "ĐĐSĐ");
    let Body::ShortText { answers, .. } = &items[10].body else { panic!("row 12 is short text") };
    assert_eq!(answers.iter().map(|a| a.text.as_str()).collect::<Vec<_>>(), ["rỗng", "tập rỗng"]);
}

/// The example sheet as Excel stores it: text cells, except numbers typed into the grade,
/// numeric-key and tolerance columns, which Excel keeps as number cells (`4,5` typed in
/// Vietnamese Excel is the number 4.5).
fn example_as_xlsx_cells() -> Vec<Vec<Option<XlsxCell>>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(EXAMPLE_CSV);
    reader
        .records()
        .enumerate()
        .map(|(row, record)| {
            let record = record.unwrap();
            let numeric_row = record.get(4) == Some("numeric");
            record
                .iter()
                .enumerate()
                .map(|(column, text)| {
                    let number = text.replace(',', ".").parse::<f64>().ok();
                    match (row, column, number) {
                        (_, _, _) if text.is_empty() => None,
                        (1.., 1, Some(n)) | (1.., 11, Some(n)) => Some(XlsxCell::Number(n)),
                        (1.., 10, Some(n)) if numeric_row => Some(XlsxCell::Number(n)),
                        _ => Some(XlsxCell::Text(text.to_owned())),
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
fn example_as_xlsx_imports_to_the_same_items() {
    let cells = example_as_xlsx_cells();
    assert!(matches!(cells[10][11], Some(XlsxCell::Number(_))), "row 11 tolerance is a number cell");
    assert!(matches!(cells[10][10], Some(XlsxCell::Number(_))), "row 11 key 4,5 is a number cell");
    let report = import_xlsx("questions.xlsx", &xlsx_bytes(&cells));
    assert_import_invariants("questions.xlsx", &report);
    let from_xlsx = items_without_errors(report);
    let from_csv = items_without_errors(import_csv("questions.csv", EXAMPLE_CSV));
    let lines = |items: &[Item]| items.iter().map(|i| i.meta.source.as_ref().unwrap().line).collect::<Vec<_>>();
    assert_eq!(lines(&from_xlsx), lines(&from_csv));
    assert_eq!(without_source(from_xlsx), without_source(from_csv));
}

#[test]
fn xlsx_header_may_start_below_a_title_row() {
    let mut cells = example_as_xlsx_cells();
    cells.insert(0, vec![Some(XlsxCell::Text("Ngân hàng câu hỏi Toán 10".to_owned()))]);
    cells.insert(1, vec![]);
    // The title row is not a header: it is read as one and refused, naming Excel's row 1.
    let report = import_xlsx("questions.xlsx", &xlsx_bytes(&cells));
    assert!(report.items.is_empty());
    assert!(report.errors[0].to_string().starts_with("questions.xlsx:1: cột A \"Ngân hàng câu hỏi Toán 10\""));
    // Without the title, a header in row 3 works and rows keep Excel's numbers.
    cells.remove(0);
    cells.insert(0, vec![]);
    let items = items_without_errors(import_xlsx("questions.xlsx", &xlsx_bytes(&cells)));
    assert_eq!(items.len(), 12);
    assert_eq!(items[0].meta.source.as_ref().unwrap().line, 4);
}
