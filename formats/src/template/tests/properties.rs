//! Property tests: export → import gives the same items back, for CSV and XLSX; no input, random
//! or a damaged real file, makes an importer panic, and whatever imports keeps the invariants.

use super::{EXAMPLE_CSV, assert_import_invariants, items_without_errors, without_source};
use crate::template::{export_csv, export_xlsx, import_csv, import_xlsx};
use phongthi_items::{
    Body, Choice, ClusterTable, Fraction, Item, Level, Metadata, MilliPoints, NumericAnswer, NumericValue, Statement,
    TextAnswer,
};
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;

/// Letters and signs of Vietnamese maths and science text, precomposed (NFC), with the CSV
/// specials `,` `;` `"` and the short-text separator `|` among them.
const TEXT_CHARS: &str = "aàáảãạăằắẳẵặâầấẩẫậbcdđĐeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵTQVN0123456789$\\{}^_=+-<>()[],;:.?!\"'|²₂·%";

fn word(exclude: &'static str) -> impl Strategy<Value = String> {
    let chars: Vec<char> = TEXT_CHARS.chars().filter(|c| !exclude.contains(*c)).collect();
    prop::collection::vec(select(chars), 1..8).prop_map(|chars| chars.into_iter().collect())
}

/// A trimmed, non-empty text of a few words, sometimes over two lines.
fn text(exclude: &'static str) -> impl Strategy<Value = String> {
    (prop::collection::vec(word(exclude), 1..5), any::<bool>()).prop_map(|(words, two_lines)| {
        let mut text = words.join(" ");
        if two_lines && words.len() > 1 {
            text = text.replacen(' ', "\n", 1);
        }
        text
    })
}

fn decimal(max_mantissa: i64) -> impl Strategy<Value = Decimal> {
    (-max_mantissa..=max_mantissa, 0u32..4).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

fn single_choice() -> impl Strategy<Value = Body> {
    (2usize..=6).prop_flat_map(|n| (prop::collection::vec((text(""), any::<bool>()), n), 0..n)).prop_map(
        |(options, key)| {
            let options = options
                .into_iter()
                .enumerate()
                .map(|(i, (text, pinned))| {
                    let fraction = if i == key { Fraction::ONE } else { Fraction::ZERO };
                    Choice { text, fraction, pinned, feedback: None }
                })
                .collect();
            Body::SingleChoice { options }
        },
    )
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        single_choice(),
        (2usize..=6)
            .prop_flat_map(|n| (prop::collection::vec((text(""), any::<bool>(), any::<bool>()), n), 0..n))
            .prop_map(|(options, always_right)| {
                let correct: Vec<usize> = (0..options.len()).filter(|i| *i == always_right || options[*i].2).collect();
                let fractions = crate::template::answers::multiple_response_fractions(options.len(), &correct);
                let options = options
                    .into_iter()
                    .zip(fractions)
                    .map(|((text, pinned, _), fraction)| Choice { text, fraction, pinned, feedback: None })
                    .collect();
                Body::MultipleResponse { options }
            }),
        any::<bool>().prop_map(|answer| Body::TrueFalse { answer }),
        prop::collection::vec((text(""), any::<bool>()), 2..=6).prop_map(|statements| {
            let table = ClusterTable::default_for(statements.len());
            let statements = statements.into_iter().map(|(text, correct)| Statement { text, correct }).collect();
            Body::TrueFalseCluster { statements, table }
        }),
        prop::collection::vec(text("|"), 1..4).prop_map(|texts| Body::ShortText {
            answers: texts.into_iter().map(|text| TextAnswer { text, fraction: Fraction::ONE }).collect(),
            case_sensitive: false,
        }),
        (decimal(99_999), prop::option::of(decimal(500)), any::<bool>()).prop_map(|(value, tolerance, rule)| {
            let tolerance = tolerance.map_or(Decimal::ZERO, |t| t.abs());
            let fits =
                crate::template::answers::fits_four_char(&crate::template::answers::comma_text(value.normalize()));
            Body::Numeric {
                answers: vec![NumericAnswer {
                    value: NumericValue::Exact { value, tolerance },
                    fraction: Fraction::ONE,
                }],
                four_char_rule: rule && fits,
            }
        }),
        Just(Body::Essay),
    ]
}

fn metadata() -> impl Strategy<Value = Metadata> {
    (
        prop::option::of(text("")),
        prop::option::of(1u8..=12),
        prop::option::of(text("")),
        prop::option::of(select(Level::ALL.to_vec())),
        prop::collection::vec(word(";"), 0..3),
        prop::option::of(text("")),
        prop::option::of((0i64..=20_000).prop_map(MilliPoints::from_milli)),
    )
        .prop_map(|(subject, grade, topic, level, tags, author, points)| Metadata {
            subject,
            grade,
            topic,
            level,
            tags,
            author,
            points,
            ..Metadata::default()
        })
}

fn item() -> impl Strategy<Value = Item> {
    (text(""), body(), metadata(), prop::option::of(word(""))).prop_map(|(stem, body, meta, name)| {
        let mut item = Item::new(stem, body);
        item.meta = meta;
        item.name = name;
        item
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn csv_export_then_import_gives_the_items_back(items in prop::collection::vec(item(), 0..6)) {
        let export = export_csv(&items);
        prop_assert!(export.skipped.is_empty(), "{:?}", export.skipped);
        let report = import_csv("export.csv", export.text.as_bytes());
        assert_import_invariants("export.csv", &report);
        prop_assert_eq!(without_source(items_without_errors(report)), items);
    }

    #[test]
    fn csv_with_semicolons_and_without_bom_reads_the_same(items in prop::collection::vec(item(), 1..4)) {
        // The same export re-saved the Vietnamese-Excel way: `;` separated, no BOM.
        let text = export_csv(&items).text.trim_start_matches('\u{FEFF}').to_owned();
        let mut rows = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
        for record in rows.records() {
            writer.write_record(&record.unwrap()).unwrap();
        }
        let report = import_csv("vi.csv", &writer.into_inner().unwrap());
        prop_assert_eq!(without_source(items_without_errors(report)), items);
    }

    #[test]
    fn xlsx_export_then_import_gives_the_items_back(items in prop::collection::vec(item(), 0..6)) {
        let export = export_xlsx(&items).unwrap();
        prop_assert!(export.skipped.is_empty(), "{:?}", export.skipped);
        let report = import_xlsx("export.xlsx", &export.bytes);
        assert_import_invariants("export.xlsx", &report);
        prop_assert_eq!(without_source(items_without_errors(report)), items);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        assert_import_invariants("x.csv", &import_csv("x.csv", &bytes));
        assert_import_invariants("x.xlsx", &import_xlsx("x.xlsx", &bytes));
    }

    #[test]
    fn damaged_example_csv_never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20)
    ) {
        let mut bytes = EXAMPLE_CSV.to_vec();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let report = import_csv("x.csv", &bytes);
        assert_import_invariants("x.csv", &report);
    }

    #[test]
    fn damaged_example_xlsx_never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        let items = items_without_errors(import_csv("questions.csv", EXAMPLE_CSV));
        let mut bytes = export_xlsx(&items).unwrap().bytes;
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let report = import_xlsx("x.xlsx", &bytes);
        assert_import_invariants("x.xlsx", &report);
    }
}
