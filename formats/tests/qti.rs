//! QTI import and export against our own fixtures, written in the shapes TAO and 1EdTech's
//! examples use (QTI 2.1, 2.2 and 3.0), packages built here in memory.
#![allow(clippy::unwrap_used, reason = "fixture helpers outside #[test] fns; a bad fixture should fail loudly")]

use phongthi_formats::qti;
use phongthi_items::{
    Body, Choice, ClusterTable, Fraction, Image, Item, ItemKind, MatchPair, MatchScoring, NumericAnswer, NumericValue,
    Statement, TextAnswer, TextFormat,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::io::Write as _;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/qti/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn one(name: &str) -> Item {
    let report = qti::import(name, &fixture(name));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.items.len(), 1);
    report.items.into_iter().next().unwrap()
}

fn raw(options: &[Choice]) -> Vec<i32> {
    options.iter().map(|o| o.fraction.raw()).collect()
}

fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        writer.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn qti21_single_choice_keeps_html_pins_and_prompt() {
    let item = one("choice_v2p1.xml");
    assert_eq!(item.kind(), ItemKind::SingleChoice);
    assert_eq!(item.format, TextFormat::Html);
    assert_eq!(item.name.as_deref(), Some("Thủ đô"));
    assert_eq!(
        item.stem,
        "<p>Thủ đô của Việt Nam là thành phố nào?<br/>(H<sub>2</sub>O &amp; x<sup>2</sup>)</p>\nChọn một đáp án."
    );
    let Body::SingleChoice { options } = &item.body else { panic!() };
    assert_eq!(raw(options), [0, 10_000_000, 0]);
    assert_eq!(options.iter().map(|o| o.pinned).collect::<Vec<_>>(), [false, false, true]);
    assert_eq!(options[1].text, "Hà Nội");
    assert_eq!(item.meta.source.as_ref().map(|s| s.line), Some(3));
}

#[test]
fn qti22_mapping_becomes_exact_fractions_summing_to_one() {
    let item = one("multiple_v2p2.xml");
    let Body::MultipleResponse { options } = &item.body else { panic!("{:?}", item.body) };
    assert_eq!(raw(options), [3_333_334, 3_333_333, -3_333_333, 3_333_333]);
    let correct: i32 = options.iter().filter(|o| o.fraction > Fraction::ZERO).map(|o| o.fraction.raw()).sum();
    assert_eq!(correct, Fraction::ONE.raw());
    // shuffle="false": the author's order stays.
    assert!(options.iter().all(|o| o.pinned));
}

#[test]
fn qti_match_correct_multiple_splits_equally() {
    let text = String::from_utf8(fixture("multiple_v2p2.xml")).unwrap();
    let text = text.replace("map_response", "match_correct");
    let report = qti::import("m.xml", text.as_bytes());
    let Body::MultipleResponse { options } = &report.items[0].body else { panic!() };
    assert_eq!(raw(options), [3_333_334, 3_333_333, -10_000_000, 3_333_333]);
}

#[test]
fn qti30_text_entry_reads_mapping_and_case() {
    let item = one("text_entry_v3p0.xml");
    assert_eq!(item.stem, "<p>Sông dài nhất chảy qua Việt Nam là sông _____.</p>");
    let Body::ShortText { answers, case_sensitive } = &item.body else { panic!() };
    assert!(!case_sensitive);
    assert_eq!(
        answers.iter().map(|a| (a.text.as_str(), a.fraction.raw())).collect::<Vec<_>>(),
        [("Mê Kông", 10_000_000), ("Cửu Long", 5_000_000)]
    );
}

#[test]
fn qti_float_response_is_numeric_and_exact() {
    let item = one("numeric_v3p0.xml");
    assert_eq!(item.stem, "<p>Căn bậc hai của 2, làm tròn đến hai chữ số thập phân:</p>");
    let Body::Numeric { answers, .. } = &item.body else { panic!() };
    assert_eq!(answers[0].value, NumericValue::Exact { value: Decimal::new(141, 2), tolerance: Decimal::ZERO });
    assert_eq!(item.name.as_deref(), Some("can-hai"));
}

#[test]
fn qti_extended_text_is_an_essay_and_match_is_matching() {
    let essay = one("essay_v2p1.xml");
    assert_eq!(essay.kind(), ItemKind::Essay);
    assert_eq!(essay.stem, "Viết đoạn văn (khoảng 200 chữ) về lòng biết ơn.");
    let matching = one("match_v2p1.xml");
    let Body::Matching { pairs, distractors, scoring } = &matching.body else { panic!() };
    assert_eq!(pairs[0], MatchPair { prompt: "Truyện Kiều".into(), answer: "Nguyễn Du".into() });
    assert_eq!(pairs[1].answer, "Nam Cao");
    assert_eq!(distractors, &["Hồ Xuân Hương".to_owned()]);
    assert_eq!(*scoring, MatchScoring::AllOrNothing);
}

#[test]
fn qti_custom_processing_and_other_interactions_are_refused_by_identifier() {
    for (name, identifier, why) in [
        ("custom_rp_v2p1.xml", "tu-cham", "custom response processing"),
        ("order_v3p0.xml", "sap-xep", "orderInteraction is not supported"),
    ] {
        let report = qti::import(name, &fixture(name));
        assert!(report.items.is_empty());
        assert_eq!(report.errors.len(), 1);
        let message = &report.errors[0].message;
        assert!(message.contains(&format!("item \"{identifier}\"")) && message.contains(why), "{message}");
        assert!(message.starts_with("câu hỏi"), "Vietnamese first: {message}");
    }
    let text = String::from_utf8(fixture("choice_v2p1.xml")).unwrap().replace("match_correct", "map_response_point");
    let report = qti::import("p.xml", text.as_bytes());
    assert!(report.errors[0].message.contains("map_response_point"), "{:?}", report.errors);
}

#[test]
fn qti_broken_xml_names_file_and_line() {
    let report = qti::import("x.xml", b"<assessmentItem identifier=\"a\">\n<itemBody>\n</assessmentItem>");
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].at.line, 3, "{:?}", report.errors);
}

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m">
  <resources>
    <resource identifier="t" type="imsqti_test_xmlv2p1" href="tests/test.xml">
      <file href="tests/test.xml"/>
    </resource>
    <resource identifier="i1" type="imsqti_item_xmlv2p1" href="items/hinh.xml">
      <file href="items/hinh.xml"/>
      <file href="items/images/tam-giac.png"/>
    </resource>
  </resources>
</manifest>"#;

const PICTURE_ITEM: &str = r#"<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="hinh" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="R" cardinality="single" baseType="identifier">
    <correctResponse><value>a</value></correctResponse>
  </responseDeclaration>
  <itemBody>
    <p>Hình bên là tam giác gì?</p><p><img src="images/tam-giac.png" alt="tam giác"/></p>
    <p><object type="image/png" data="images/tam-giac.png">hình vẽ</object></p>
    <choiceInteraction responseIdentifier="R" maxChoices="1">
      <simpleChoice identifier="a">Vuông</simpleChoice><simpleChoice identifier="b">Đều</simpleChoice>
    </choiceInteraction>
  </itemBody>
  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>
</assessmentItem>"#;

const TEST: &str = r#"<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="t" title="t">
  <testPart identifier="p" navigationMode="linear" submissionMode="individual">
    <assessmentSection identifier="s" title="s" visible="true">
      <assessmentItemRef identifier="r1" href="../items/hinh.xml"/>
      <assessmentItemRef identifier="r2" href="../items/essay.xml"/>
    </assessmentSection>
  </testPart>
</assessmentTest>"#;

#[test]
fn qti_package_items_tests_and_images() {
    let essay = fixture("essay_v2p1.xml");
    let bytes = zip(&[
        ("imsmanifest.xml", MANIFEST.as_bytes()),
        ("tests/test.xml", TEST.as_bytes()),
        ("items/hinh.xml", PICTURE_ITEM.as_bytes()),
        ("items/essay.xml", &essay),
        ("items/images/tam-giac.png", b"\x89PNG fake"),
    ]);
    let report = qti::import("de.zip", &bytes);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.items.len(), 2, "each item once, the test's second item after");
    let picture = &report.items[0];
    assert!(picture.stem.contains(r#"<img src="@@PLUGINFILE@@/tam-giac.png" alt="tam giác"/>"#), "{}", picture.stem);
    assert!(
        picture.stem.contains(r#"<p><img src="@@PLUGINFILE@@/tam-giac.png" alt="hình vẽ"/></p>"#),
        "{}",
        picture.stem
    );
    assert_eq!(picture.images, [Image { name: "tam-giac.png".into(), bytes: b"\x89PNG fake".to_vec() }]);
    assert_eq!(picture.meta.source.as_ref().map(|s| s.file.as_str()), Some("de.zip/items/hinh.xml"));
    assert_eq!(report.items[1].kind(), ItemKind::Essay);
}

#[test]
fn qti_a_missing_image_refuses_that_item_only() {
    let bytes = zip(&[("imsmanifest.xml", MANIFEST.as_bytes()), ("items/hinh.xml", PICTURE_ITEM.as_bytes())]);
    let report = qti::import("de.zip", &bytes);
    assert!(report.items.is_empty());
    // The item without its image, and the test file the manifest names but the zip lacks is
    // skipped silently (its items are named elsewhere or nowhere).
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(report.errors[0].message.contains("items/images/tam-giac.png"), "{:?}", report.errors);
}

#[test]
fn qti_zip_bombs_and_non_packages_are_refused() {
    let zeros = vec![0u8; 40 << 20];
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("imsmanifest.xml", deflated).unwrap();
    writer.write_all(&zeros).unwrap();
    let bomb = writer.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20);
    let report = qti::import("bomb.zip", &bomb);
    assert!(report.items.is_empty());
    assert!(report.errors[0].message.contains("too large"), "{:?}", report.errors);

    let report = qti::import("x.zip", &zip(&[("a.txt", b"a")]));
    assert!(report.errors[0].message.contains("no imsmanifest.xml"));
}

#[test]
fn qti_root_detection() {
    assert!(qti::is_item_xml(&fixture("choice_v2p1.xml")));
    assert!(qti::is_item_xml(&fixture("numeric_v3p0.xml")));
    assert!(!qti::is_item_xml(b"<?xml version=\"1.0\"?>\n<quiz><question/></quiz>"));
    assert!(qti::is_package(&zip(&[("a", b"")])));
}

fn choice(text: &str, percent: i32, pinned: bool) -> Choice {
    Choice { text: text.into(), fraction: Fraction::from_raw(percent * 100_000).unwrap(), pinned, feedback: None }
}

/// One item of every kind the export writes, with the awkward parts: HTML with an image, plain
/// text with markup characters, feedback, pins, a blank with text after it.
fn every_kind() -> Vec<Item> {
    let mut single = Item::new(
        r#"<p>Quan sát hình: <img src="@@PLUGINFILE@@/h1.png" alt="hình 1"/> x<sup>2</sup> &amp; y</p>"#,
        Body::SingleChoice {
            options: vec![
                Choice { feedback: Some("<b>Đúng</b>".into()), ..choice("<i>A</i>", 100, false) },
                choice("B", 0, false),
                choice("Cả A và B", 0, true),
            ],
        },
    );
    single.format = TextFormat::Html;
    single.stem.push_str(r#"<p><img src="@@PLUGINFILE@@/so%20do.png" alt="sơ đồ"/></p>"#);
    single.images = vec![
        Image { name: "h1.png".into(), bytes: vec![1, 2, 3] },
        Image { name: "so do.png".into(), bytes: vec![5, 6] },
        Image { name: "unused.jpg".into(), bytes: vec![4] },
    ];
    single.name = Some("MĐ-01".into());
    single.meta.points = Some(phongthi_items::MilliPoints::from_milli(250));
    let mut partial = Item::new(
        "a < b & c",
        Body::SingleChoice { options: vec![choice("1", 100, false), choice("2", 50, false), choice("3", -25, false)] },
    );
    partial.format = TextFormat::Plain;
    let multiple = Item::new(
        "Chọn các số chẵn",
        Body::MultipleResponse {
            options: vec![
                Choice { fraction: Fraction::from_raw(3_333_333).unwrap(), ..choice("2", 0, false) },
                Choice { fraction: Fraction::from_raw(3_333_333).unwrap(), ..choice("4", 0, false) },
                Choice { fraction: Fraction::from_raw(3_333_333).unwrap(), ..choice("6", 0, false) },
                choice("7", -100, false),
            ],
        },
    );
    let true_false = Item::new("Trái Đất quay quanh Mặt Trời.", Body::TrueFalse { answer: true });
    let mut short = Item::new(
        "Thủ đô của Pháp là",
        Body::ShortText {
            answers: vec![
                TextAnswer { text: "Paris".into(), fraction: Fraction::ONE },
                TextAnswer { text: "Pa-ri".into(), fraction: Fraction::from_raw(5_000_000).unwrap() },
            ],
            case_sensitive: false,
        },
    );
    short.stem_tail = Some(".".into());
    let numeric = Item::new(
        "2,5 + 1 = ?",
        Body::Numeric {
            answers: vec![NumericAnswer {
                value: NumericValue::Exact { value: Decimal::new(350, 2), tolerance: Decimal::ZERO },
                fraction: Fraction::ONE,
            }],
            four_char_rule: true,
        },
    );
    let matching = |scoring| {
        Item::new(
            "Ghép",
            Body::Matching {
                pairs: vec![
                    MatchPair { prompt: "H₂O".into(), answer: "nước".into() },
                    MatchPair { prompt: "NaCl".into(), answer: "muối".into() },
                    MatchPair { prompt: "Sea water".into(), answer: "muối".into() },
                ],
                distractors: vec!["đường".into()],
                scoring,
            },
        )
    };
    let essay = Item::new("Trình bày cảm nghĩ.", Body::Essay);
    let description = Item::new("Đọc đoạn văn sau và trả lời các câu 1–3.", Body::Description);
    vec![
        single,
        partial,
        multiple,
        true_false,
        short,
        numeric,
        matching(MatchScoring::PerPair),
        matching(MatchScoring::AllOrNothing),
        essay,
        description,
    ]
}

#[test]
fn qti_export_reimports_with_the_same_content_hash() {
    let items = every_kind();
    for item in &items {
        item.validate().unwrap();
    }
    let export = qti::export(&items).unwrap();
    assert!(export.skipped.is_empty(), "{:?}", export.skipped);
    let report = qti::import("out.zip", &export.bytes);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.items.len(), items.len());
    for (before, after) in items.iter().zip(&report.items) {
        assert_eq!(before.body, after.body, "{}", before.kind());
        assert_eq!((&before.stem, &before.stem_tail, before.format), (&after.stem, &after.stem_tail, after.format));
        assert_eq!(before.images, after.images);
        assert_eq!(before.content_hash(), after.content_hash(), "{}", before.kind());
    }
    assert_eq!(report.items[0].name.as_deref(), Some("MĐ-01"));
    assert_eq!(report.items[0].meta.points, Some(phongthi_items::MilliPoints::from_milli(250)));
}

#[test]
fn qti_export_lists_what_qti_cannot_score() {
    let cluster = Item::new(
        "Xét các mệnh đề",
        Body::TrueFalseCluster {
            statements: ["a", "b", "c", "d"].iter().map(|t| Statement { text: (*t).into(), correct: true }).collect(),
            table: ClusterTable::graduation_exam(),
        },
    );
    let range = Item::new(
        "Số",
        Body::Numeric {
            answers: vec![NumericAnswer {
                value: NumericValue::Range { min: Decimal::ONE, max: Decimal::TWO },
                fraction: Fraction::ONE,
            }],
            four_char_rule: false,
        },
    );
    let mut broken_html = Item::new("<p>a<br>b</p>", Body::Essay);
    broken_html.format = TextFormat::Html;
    let export = qti::export(&[cluster, range, broken_html, Item::new("ok", Body::Essay)]).unwrap();
    assert_eq!(export.skipped.iter().map(|s| s.index).collect::<Vec<_>>(), [0, 1, 2]);
    assert!(export.skipped[0].reason.contains("true/false cluster"));
    assert_eq!(qti::import("o.zip", &export.bytes).items.len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn qti_arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = qti::import("x", &bytes);
    }

    #[test]
    fn qti_mutated_items_never_panic(index in 0usize..8, at in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>(), junk in "[<>/=\"&a-z: -]{0,12}") {
        let names = ["choice_v2p1.xml", "multiple_v2p2.xml", "text_entry_v3p0.xml", "numeric_v3p0.xml",
            "essay_v2p1.xml", "match_v2p1.xml", "custom_rp_v2p1.xml", "order_v3p0.xml"];
        let mut bytes = fixture(names[index]);
        let i = at.index(bytes.len());
        bytes.splice(i..i, junk.bytes());
        let _ = qti::import("m.xml", &bytes);
        bytes.truncate(cut.index(bytes.len() + 1));
        let _ = qti::import("m.xml", &bytes);
    }

    #[test]
    fn qti_mutated_packages_never_panic(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = qti::export(&every_kind()).unwrap().bytes;
        let i = at.index(bytes.len());
        bytes[i] = byte;
        let _ = qti::import("m.zip", &bytes);
    }
}

#[test]
fn qti_maxscore_outcome_gives_the_points() {
    let text = String::from_utf8(fixture("choice_v2p1.xml")).unwrap().replace(
        r#"<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>"#,
        r#"<outcomeDeclaration identifier="MAXSCORE" cardinality="single" baseType="float"><defaultValue><value>0.5</value></defaultValue></outcomeDeclaration>"#,
    );
    let report = qti::import("p.xml", text.as_bytes());
    assert_eq!(report.items[0].meta.points, Some(phongthi_items::MilliPoints::from_milli(500)));
}
