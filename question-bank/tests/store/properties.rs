//! Property: any set of valid items goes through import and comes back from `get` unchanged,
//! with repeats reported as the stored item.

use crate::fixtures::{NOW, bank};
use phongthi_items::text::nfc;
use phongthi_items::{
    Body, Choice, ClusterTable, Fraction, Image, Item, ItemId, Level, MatchPair, MatchScoring, Metadata, MilliPoints,
    NumericAnswer, NumericValue, SourceRef, Statement, TextAnswer, TextFormat,
};
use phongthi_question_bank::store::{self, ImportSummary};
use proptest::collection::vec;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Non-blank text in NFC (the store keeps NFC; a decomposed mark is included to exercise it),
/// with the characters teachers' items hold: Vietnamese letters, LaTeX, HTML and punctuation.
fn text() -> impl Strategy<Value = String> {
    "[A-Za-zĐđ0-9][a-zàáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ0-9 $\\\\{}^_<>\"'*:;.,?!()–\u{0301}-]{0,24}"
        .prop_map(|s| nfc(&s))
}

fn fraction() -> impl Strategy<Value = Fraction> {
    (-Fraction::ONE.raw()..=Fraction::ONE.raw()).prop_map(|raw| Fraction::from_raw(raw).unwrap())
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (-100_000i64..100_000, 0u32..4).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

fn choices(single: bool) -> impl Strategy<Value = Vec<Choice>> {
    (vec((text(), fraction(), any::<bool>(), proptest::option::of(text())), 2..6), any::<prop::sample::Index>())
        .prop_map(move |(options, correct)| {
            let correct = correct.index(options.len());
            options
                .into_iter()
                .enumerate()
                .map(|(i, (text, fraction, pinned, feedback))| {
                    let fraction = match (single, i == correct) {
                        (_, true) => Fraction::ONE,
                        (true, false) => Fraction::ZERO,
                        (false, false) => fraction,
                    };
                    Choice { text, fraction, pinned, feedback }
                })
                .collect()
        })
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        choices(true).prop_map(|options| Body::SingleChoice { options }),
        choices(false).prop_map(|options| Body::MultipleResponse { options }),
        any::<bool>().prop_map(|answer| Body::TrueFalse { answer }),
        vec((text(), any::<bool>()), 2..6).prop_map(|statements| Body::TrueFalseCluster {
            table: ClusterTable::default_for(statements.len()),
            statements: statements.into_iter().map(|(text, correct)| Statement { text, correct }).collect(),
        }),
        (vec((text(), fraction()), 0..3), text(), any::<bool>()).prop_map(|(others, best, case_sensitive)| {
            let mut answers = vec![TextAnswer { text: best, fraction: Fraction::ONE }];
            answers.extend(others.into_iter().map(|(text, fraction)| TextAnswer { text, fraction }));
            Body::ShortText { answers, case_sensitive }
        }),
        (decimal(), decimal(), decimal(), any::<bool>()).prop_map(|(value, a, b, four_char_rule)| Body::Numeric {
            answers: vec![
                NumericAnswer { value: NumericValue::Exact { value, tolerance: a.abs() }, fraction: Fraction::ONE },
                NumericAnswer {
                    value: NumericValue::Range { min: a.min(b), max: a.max(b) },
                    fraction: Fraction::from_raw(5_000_000).unwrap(),
                },
            ],
            four_char_rule,
        }),
        (vec((text(), text()), 2..5), vec(text(), 0..3), any::<bool>()).prop_map(|(pairs, distractors, all)| {
            Body::Matching {
                pairs: pairs.into_iter().map(|(prompt, answer)| MatchPair { prompt, answer }).collect(),
                distractors,
                scoring: if all { MatchScoring::AllOrNothing } else { MatchScoring::PerPair },
            }
        }),
        Just(Body::Essay),
        Just(Body::Description),
    ]
}

fn metadata() -> impl Strategy<Value = Metadata> {
    (
        proptest::option::of(prop::sample::select(vec!["Toán", "Vật lí", "Hóa học", "toán"])),
        proptest::option::of(1u8..=12),
        proptest::option::of(text()),
        proptest::option::of(prop::sample::select(Level::ALL.to_vec())),
        vec(text(), 0..3),
        proptest::option::of(text()),
        proptest::option::of((text(), 1u32..5000)),
        proptest::option::of(0i64..10_000),
        proptest::option::of(text()),
    )
        .prop_map(|(subject, grade, topic, level, tags, author, source, points, category)| Metadata {
            subject: subject.map(str::to_owned),
            grade,
            topic,
            level,
            tags,
            author,
            source: source.map(|(file, line)| SourceRef { file, line }),
            points: points.map(MilliPoints::from_milli),
            category,
            idnumber: None,
        })
}

fn image() -> impl Strategy<Value = Image> {
    // A small pool of files, so the same bytes recur under different names.
    (text(), prop::sample::select(vec![&b"\x89PNG hinh-a"[..], b"GIF89a hinh-b", b"", b"\xff\xd8\xff hinh-c"]))
        .prop_map(|(name, bytes)| Image { name, bytes: bytes.to_vec() })
}

fn item() -> impl Strategy<Value = Item> {
    (
        proptest::option::of(text()),
        text(),
        proptest::option::of(text()),
        prop::sample::select(vec![TextFormat::Moodle, TextFormat::Html, TextFormat::Plain, TextFormat::Markdown]),
        body(),
        proptest::option::of(text()),
        metadata(),
        vec(image(), 0..3),
        proptest::option::of(text()),
    )
        .prop_map(|(name, stem, stem_tail, format, body, general_feedback, meta, images, group)| Item {
            name,
            stem,
            stem_tail,
            format,
            body,
            general_feedback,
            meta,
            images,
            group,
            answer_feedback: Vec::new(),
        })
}

/// A set of items where some are exact repeats of earlier ones.
fn item_set() -> impl Strategy<Value = Vec<Item>> {
    (vec(item(), 1..6), vec(any::<prop::sample::Index>(), 0..3)).prop_map(|(mut items, repeats)| {
        for repeat in repeats {
            let copy = repeat.get(&items).clone();
            items.push(copy);
        }
        items
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn import_then_get_gives_back_every_item_unchanged(items in item_set()) {
        for item in &items {
            prop_assert_eq!(item.validate(), Ok(()), "generator made an invalid item");
        }
        let (_dir, conn) = bank();
        let ImportSummary { inserted, existing } = store::import_items(&conn, &items, NOW).unwrap();

        // Walk the input as the import did: a content seen before is reported as existing.
        let mut stored_by_hash = HashMap::new();
        let (mut inserted, mut existing) = (inserted.into_iter(), existing.into_iter());
        for item in &items {
            let hash = item.content_hash();
            let id: ItemId = match stored_by_hash.get(&hash) {
                Some(first) => {
                    let reported = existing.next();
                    prop_assert_eq!(reported, Some(*first));
                    *first
                }
                None => {
                    let id = inserted.next().unwrap();
                    stored_by_hash.insert(hash, id);
                    let stored = store::get(&conn, id).unwrap();
                    prop_assert_eq!(&stored.item, item);
                    prop_assert_eq!(stored.content_hash, hash);
                    id
                }
            };
            prop_assert_eq!(store::get(&conn, id).unwrap().content_hash, hash);
        }
        prop_assert_eq!(inserted.next(), None);
        prop_assert_eq!(existing.next(), None);

        // Importing the same set again stores nothing new.
        let again = store::import_items(&conn, &items, NOW).unwrap();
        prop_assert!(again.inserted.is_empty());
        prop_assert_eq!(again.existing.len(), items.len());
    }
}
