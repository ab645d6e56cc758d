//! Property tests: no input makes the importer panic or return an invalid item, and every item
//! GIFT can express survives export → import unchanged.

use super::import_clean;
use phongthi_formats::gift;
use phongthi_items::text::nfc;
use phongthi_items::{
    Body, Choice, Fraction, Item, Level, MatchPair, MatchScoring, MilliPoints, NumericAnswer, NumericValue, TextAnswer,
    TextFormat,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use rust_decimal::Decimal;

const TOAN10: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/toan10.gift"));
const LY_HOA_10: &str = include_str!("ly-hoa-10.gift");

/// Pieces of GIFT syntax, so random text often looks like a question.
const GIFT_PIECES: &str = r"(\{|\}|~|=|#|####|::|->|%50%|%-100%|%x|\\|\\\{|\\n|\n|\n\n|// level: Hiểu|// pin: B|// scoring: four-char|\$CATEGORY: Toán/Đại số|\[html\]|\[xyz\]|T|TRUE|1,5|\.\.|:|-|Câu hỏi |đáp án|\$x\^2\$| ){0,60}";

/// What every import must guarantee, whatever the input.
fn check_report(text: &str) -> Result<(), TestCaseError> {
    let report = gift::import("ngau-nhien.gift", text);
    let lines = u32::try_from(text.split('\n').count()).unwrap();
    for item in &report.items {
        prop_assert_eq!(item.validate(), Ok(()));
        prop_assert_eq!(&nfc(&item.stem), &item.stem);
        let line = item.meta.source.as_ref().map(|source| source.line).unwrap_or(0);
        prop_assert!((1..=lines).contains(&line), "source line {} of {}", line, lines);
    }
    for error in &report.errors {
        prop_assert!((1..=lines).contains(&error.at.line), "{}", error);
        prop_assert!(error.message.contains(" / "), "{}", error);
    }
    Ok(())
}

/// One edit of a valid file.
#[derive(Clone, Debug)]
enum Edit {
    Delete(Index, usize),
    Insert(Index, &'static str),
    Duplicate(Index, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let snippets =
        select(vec!["{", "}", "~", "=", "#", "->", "\\", "\n", "\n\n", "::", "%", "..", ":", "[", "//", "\r\n"]);
    prop_oneof![
        (any::<Index>(), 1usize..40).prop_map(|(at, len)| Edit::Delete(at, len)),
        (any::<Index>(), snippets).prop_map(|(at, snippet)| Edit::Insert(at, snippet)),
        (any::<Index>(), 1usize..80).prop_map(|(at, len)| Edit::Duplicate(at, len)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        match edit {
            Edit::Delete(at, len) => {
                let start = at.index(chars.len() + 1);
                chars.drain(start..(start + len).min(chars.len()));
            }
            Edit::Insert(at, snippet) => {
                let start = at.index(chars.len() + 1);
                chars.splice(start..start, snippet.chars());
            }
            Edit::Duplicate(at, len) => {
                let start = at.index(chars.len() + 1);
                let copy: Vec<char> = chars[start..(start + len).min(chars.len())].to_vec();
                chars.splice(start..start, copy);
            }
        }
    }
    chars.into_iter().collect()
}

/// Trimmed, non-empty text full of GIFT's special characters, Vietnamese letters and line breaks.
fn text() -> impl Strategy<Value = String> {
    r"[a-zA-Z0-9àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỹ ~=#{}:\\$%/\[\]<>().,\n-]{1,16}"
        .prop_map(|text| text.trim().to_owned())
        .prop_filter("text must not be blank", |text| !text.is_empty())
}

/// Text GIFT would read as a matching arrow is not expressible in short answers and prompts.
fn text_without_arrow() -> impl Strategy<Value = String> {
    text().prop_filter("no ->", |text| !text.contains("->"))
}

/// Text for one-line conventions and category paths.
fn line_text() -> impl Strategy<Value = String> {
    text().prop_map(|text| text.replace('\n', " ").trim().to_owned()).prop_filter("not blank", |t| !t.is_empty())
}

/// One of Moodle's grades (`question_bank::fraction_options_full()`); Moodle refuses any other.
fn fraction() -> impl Strategy<Value = Fraction> {
    let grades = vec![
        10_000_000, 9_000_000, 8_333_333, 8_000_000, 7_500_000, 7_000_000, 6_666_667, 6_000_000, 5_000_000, 4_000_000,
        3_333_333, 3_000_000, 2_500_000, 2_000_000, 1_666_667, 1_428_571, 1_250_000, 1_111_111, 1_000_000, 500_000, 0,
    ];
    (select(grades), any::<bool>())
        .prop_map(|(raw, negative)| Fraction::from_raw(if negative { -raw } else { raw }).unwrap())
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (-1_000_000_000_000i64..1_000_000_000_000, 0u32..8).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

fn choice() -> impl Strategy<Value = Choice> {
    (text(), fraction(), any::<bool>(), option::of(text())).prop_map(|(text, fraction, pinned, feedback)| Choice {
        text,
        fraction,
        pinned,
        feedback,
    })
}

fn numeric_value() -> impl Strategy<Value = NumericValue> {
    prop_oneof![
        (decimal(), decimal()).prop_map(|(value, tolerance)| NumericValue::Exact { value, tolerance: tolerance.abs() }),
        (decimal(), decimal()).prop_map(|(a, b)| NumericValue::Range { min: a.min(b), max: a.max(b) }),
    ]
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        (vec(choice(), 2..6), any::<Index>()).prop_map(|(mut options, right)| {
            let right = right.index(options.len());
            for (index, option) in options.iter_mut().enumerate() {
                if index == right {
                    option.fraction = Fraction::ONE;
                } else if option.fraction.is_full() {
                    option.fraction = Fraction::ZERO;
                }
            }
            Body::SingleChoice { options }
        }),
        (vec(choice(), 2..6), any::<Index>()).prop_map(|(mut options, credited)| {
            // Moodle's rule: the positive grades add up to 100 %.
            let credited = credited.index(options.len());
            for (index, option) in options.iter_mut().enumerate() {
                if index == credited {
                    option.fraction = Fraction::ONE;
                } else if option.fraction > Fraction::ZERO {
                    option.fraction = Fraction::from_raw(-option.fraction.raw()).unwrap();
                }
            }
            Body::MultipleResponse { options }
        }),
        any::<bool>().prop_map(|answer| Body::TrueFalse { answer }),
        (vec((text_without_arrow(), fraction()), 1..4), any::<Index>(), any::<bool>()).prop_map(
            |(answers, full, case_sensitive)| {
                let full = full.index(answers.len());
                let answers = answers
                    .into_iter()
                    .enumerate()
                    .map(|(index, (text, fraction))| TextAnswer {
                        text,
                        fraction: if index == full { Fraction::ONE } else { fraction },
                    })
                    .collect();
                Body::ShortText { answers, case_sensitive }
            }
        ),
        (vec((numeric_value(), fraction()), 1..4), any::<Index>(), any::<bool>(), any::<bool>()).prop_map(
            |(answers, full, four_char_rule, catch_all)| {
                let full = full.index(answers.len());
                let mut answers: Vec<NumericAnswer> = answers
                    .into_iter()
                    .enumerate()
                    .map(|(index, (value, fraction))| NumericAnswer {
                        value,
                        fraction: if index == full { Fraction::ONE } else { fraction },
                    })
                    .collect();
                if catch_all {
                    // Moodle's `*` at 0 %, written `~`.
                    answers.push(NumericAnswer { value: NumericValue::Any, fraction: Fraction::ZERO });
                }
                Body::Numeric { answers, four_char_rule }
            }
        ),
        (vec((text_without_arrow(), text()), 2..5), vec(text(), 0..3), any::<bool>()).prop_map(
            |(pairs, distractors, all_or_nothing)| Body::Matching {
                pairs: pairs.into_iter().map(|(prompt, answer)| MatchPair { prompt, answer }).collect(),
                distractors,
                scoring: if all_or_nothing { MatchScoring::AllOrNothing } else { MatchScoring::PerPair },
            }
        ),
        Just(Body::Essay),
        Just(Body::Description),
    ]
}

/// The topic GIFT implies for a category (its last non-empty segment).
fn implied_topic(category: &str) -> Option<String> {
    category.rsplit('/').map(str::trim).find(|segment| !segment.is_empty()).map(str::to_owned)
}

fn item() -> impl Strategy<Value = Item> {
    let texts = (text(), option::of(text()), option::of(text()), option::of(text()));
    let format = select(vec![TextFormat::Moodle, TextFormat::Html, TextFormat::Plain, TextFormat::Markdown]);
    let meta = (
        option::of(vec(line_text(), 1..4).prop_map(|segments| segments.join("/"))),
        0u8..3,
        line_text(),
        option::of(select(Level::ALL.to_vec())),
        option::of((0i64..100_000).prop_map(MilliPoints::from_milli)),
        option::of(line_text()),
    );
    let extra = (vec(option::of(text()), 0..4), option::of(line_text()), vec(line_text(), 0..3));
    (body(), texts, format, meta, extra).prop_map(
        |(
            body,
            (stem, name, tail, general_feedback),
            format,
            (category, topic_choice, topic, level, points, group),
            (mut answer_feedback, idnumber, tags),
        )| {
            let is_description = matches!(body, Body::Description);
            let places = match &body {
                Body::ShortText { answers, .. } => answers.len(),
                Body::Numeric { answers, .. } => answers.len(),
                Body::TrueFalse { .. } => 2,
                _ => 0,
            };
            answer_feedback.truncate(places);
            let answer_feedback = phongthi_items::canonical_answer_feedback(answer_feedback);
            let mut item = Item::new(stem, body);
            item.answer_feedback = answer_feedback;
            item.meta.idnumber = idnumber.map(|id| id.trim().to_owned()).filter(|id| !id.is_empty());
            item.meta.tags = tags.into_iter().map(|tag| tag.trim().to_owned()).filter(|tag| !tag.is_empty()).collect();
            item.name = name;
            item.format = format;
            if !is_description {
                item.stem_tail = tail;
                item.general_feedback = general_feedback;
            }
            item.meta.topic = match topic_choice {
                0 => category.as_deref().and_then(implied_topic),
                1 => None,
                _ => Some(topic),
            };
            item.meta.category = category;
            item.meta.level = level;
            item.meta.points = points;
            item.group = group;
            item
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check_report(&text)?;
    }

    #[test]
    fn gift_like_text_never_panics(text in GIFT_PIECES) {
        check_report(&text)?;
    }

    #[test]
    fn mutated_valid_files_never_panic(use_fixture in any::<bool>(), edits in vec(edit(), 1..8)) {
        let base = if use_fixture { LY_HOA_10 } else { TOAN10 };
        check_report(&apply(base, &edits))?;
    }

    #[test]
    fn expressible_items_round_trip(items in vec(item(), 1..6)) {
        let exported = gift::export(&items);
        prop_assert!(exported.skipped.is_empty(), "{:?}", exported.skipped);
        let report = gift::import("vong-lap.gift", &exported.text);
        prop_assert!(report.errors.is_empty(), "{:?}\nin:\n{}", report.errors, exported.text);
        let back = import_clean(&exported.text);
        prop_assert_eq!(&back, &items, "exported:\n{}", exported.text);
        prop_assert_eq!(gift::export(&back).text, exported.text);
    }
}
