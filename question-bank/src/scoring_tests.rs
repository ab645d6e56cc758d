use super::*;
use crate::forms::{FormCode, answer_key, make_forms};
use crate::test_fixtures::*;
use phongthi_items::{ClusterTable, Level, NumericAnswer, NumericValue, TextAnswer};
use proptest::prelude::*;

fn milli(m: i64) -> MilliPoints {
    MilliPoints::from_milli(m)
}

fn choices(letters: &[u8]) -> Response {
    Response::Choices(letters.to_vec())
}

/// Scores the sheet-notation `cell` for `item` shown with `order` at `points`.
#[track_caller]
fn score(item: &Item, order: &[u8], points: i64, cell: &str) -> i64 {
    let mut question = authored_question(1, item, 0, points);
    if !order.is_empty() {
        question.option_order = order.to_vec();
    }
    let response = Response::parse_cell(item.kind(), cell).unwrap();
    score_question(item, &question, &response).milli()
}

#[test]
fn cells_parse_in_the_answer_sheet_notation() {
    #[track_caller]
    fn check(kind: ItemKind, text: &str, expected: Response) {
        assert_eq!(Response::parse_cell(kind, text), Ok(expected), "{kind} {text:?}");
    }
    use ItemKind as K;
    use Response as R;
    for kind in ItemKind::ALL {
        check(kind, "", R::Unanswered);
        check(kind, "  ", R::Unanswered);
    }
    check(K::SingleChoice, "B", choices(&[1]));
    check(K::SingleChoice, " c ", choices(&[2]));
    check(K::SingleChoice, "AC", choices(&[0, 2]));
    check(K::MultipleResponse, "ca", choices(&[0, 2]));
    check(K::MultipleResponse, "a, c; d", choices(&[0, 2, 3]));
    check(K::MultipleResponse, "AAD", choices(&[0, 3]));
    check(K::TrueFalseCluster, "ĐSĐS", R::Cluster(vec![Some(true), Some(false), Some(true), Some(false)]));
    check(K::TrueFalseCluster, "DSDS", R::Cluster(vec![Some(true), Some(false), Some(true), Some(false)]));
    check(K::TrueFalseCluster, "TFTF", R::Cluster(vec![Some(true), Some(false), Some(true), Some(false)]));
    check(K::TrueFalseCluster, "đsdf", R::Cluster(vec![Some(true), Some(false), Some(true), Some(false)]));
    check(K::TrueFalseCluster, "Đ-S-", R::Cluster(vec![Some(true), None, Some(false), None]));
    check(K::TrueFalseCluster, "Đ S ", R::Cluster(vec![Some(true), None, Some(false)]));
    check(K::TrueFalseCluster, " ĐS", R::Cluster(vec![None, Some(true), Some(false)]));
    check(K::TrueFalse, "Đúng", R::TrueFalse(true));
    check(K::TrueFalse, " ĐÚNG ", R::TrueFalse(true));
    check(K::TrueFalse, "Dung", R::TrueFalse(true));
    check(K::TrueFalse, "đ", R::TrueFalse(true));
    check(K::TrueFalse, "T", R::TrueFalse(true));
    check(K::TrueFalse, "true", R::TrueFalse(true));
    check(K::TrueFalse, "Sai", R::TrueFalse(false));
    check(K::TrueFalse, "s", R::TrueFalse(false));
    check(K::TrueFalse, "F", R::TrueFalse(false));
    check(K::Numeric, "4,5", R::Numeric("4,5".to_owned()));
    check(K::Numeric, "4.5", R::Numeric("4.5".to_owned()));
    check(K::Numeric, " -1,5 ", R::Numeric("-1,5".to_owned()));
    check(K::ShortText, "  Tập rỗng ", R::Text("Tập rỗng".to_owned()));
    check(K::ShortText, "ro\u{0302}\u{0303}ng", R::Text("rỗng".to_owned()));
    check(K::Matching, "CDB", R::Matching(vec![Some(2), Some(3), Some(1)]));
    check(K::Matching, "c-b", R::Matching(vec![Some(2), None, Some(1)]));
    check(K::Essay, " Sắt đẩy đồng ra khỏi muối. ", R::Essay("Sắt đẩy đồng ra khỏi muối.".to_owned()));
}

#[test]
fn bad_cells_are_refused() {
    #[track_caller]
    fn check(kind: ItemKind, text: &str, expected: CellError) {
        let error = Response::parse_cell(kind, text).unwrap_err();
        assert_eq!(error, expected, "{kind} {text:?}");
        assert!(error.to_string().contains(" / "), "bilingual: {error}");
    }
    use ItemKind::*;
    check(SingleChoice, "1", CellError::NotALetter('1'));
    check(MultipleResponse, "AĐ", CellError::NotALetter('Đ'));
    check(TrueFalseCluster, "ĐXĐS", CellError::NotAStatementMark('X'));
    check(TrueFalseCluster, "Đúng", CellError::NotAStatementMark('ú'));
    check(TrueFalse, "Có", CellError::NotTrueFalse("Có".to_owned()));
    check(TrueFalse, "ĐS", CellError::NotTrueFalse("ĐS".to_owned()));
    check(Numeric, "bốn", CellError::NotANumber("bốn".to_owned()));
    check(Numeric, "1,2,3", CellError::NotANumber("1,2,3".to_owned()));
    check(Numeric, "4,5cm", CellError::NotANumber("4,5cm".to_owned()));
    check(Matching, "C1", CellError::NotALetter('1'));
    check(Description, "x", CellError::NoAnswerExpected);
}

#[test]
fn responses_must_fit_the_item() {
    let items = toan10_items();
    let science = science_items();
    #[track_caller]
    fn check(item: &Item, response: Response, expected: Result<(), CellError>) {
        assert_eq!(response.check_fits(item), expected, "{response:?}");
    }
    check(&items[0], choices(&[3]), Ok(()));
    check(&items[0], choices(&[4]), Err(CellError::LetterOutOfRange { letter: 'E', options: 4 }));
    check(&items[0], Response::TrueFalse(true), Err(CellError::WrongKind(ItemKind::SingleChoice)));
    check(&items[0], Response::Unanswered, Ok(()));
    check(&items[6], Response::Cluster(vec![Some(true); 4]), Ok(()));
    check(&items[6], Response::Cluster(vec![None; 3]), Ok(()));
    check(&items[6], Response::Cluster(vec![Some(true); 5]), Err(CellError::TooManyMarks { found: 5, expected: 4 }));
    check(&items[8], Response::Numeric("5".to_owned()), Ok(()));
    check(&items[8], Response::Text("5".to_owned()), Err(CellError::WrongKind(ItemKind::Numeric)));
    check(&items[10], Response::Text("rỗng".to_owned()), Ok(()));
    check(&items[11], choices(&[0, 3]), Ok(()));
    check(&science[0], Response::TrueFalse(false), Ok(()));
    check(&science[1], Response::Matching(vec![Some(3), None, Some(0)]), Ok(()));
    check(&science[1], Response::Matching(vec![Some(4)]), Err(CellError::LetterOutOfRange { letter: 'E', options: 4 }));
    check(&science[1], Response::Matching(vec![None; 4]), Err(CellError::TooManyMarks { found: 4, expected: 3 }));
    check(&science[2], Response::Essay("…".to_owned()), Ok(()));
}

#[test]
fn single_choice_and_true_false_scores() {
    let items = toan10_items();
    let item = &items[0]; // correct: authored B
    assert_eq!(score(item, &[], 1000, "B"), 1000);
    assert_eq!(score(item, &[], 250, "b"), 250);
    assert_eq!(score(item, &[], 1000, "A"), 0);
    assert_eq!(score(item, &[], 1000, "AB"), 0, "two marks on a single-choice question earn nothing");
    assert_eq!(score(item, &[], 1000, ""), 0);
    assert_eq!(score(item, &[3, 2, 1, 0], 1000, "C"), 1000, "shown reversed, B is at C");
    assert_eq!(score(item, &[3, 2, 1, 0], 1000, "B"), 0);
    assert_eq!(score(item, &[], 1000, "E"), 0, "a letter beyond the options earns nothing");
    let science = science_items();
    assert_eq!(score(&science[0], &[], 250, "Đúng"), 250);
    assert_eq!(score(&science[0], &[], 250, "Sai"), 0);
}

#[test]
fn multiple_response_partial_credit_is_exact() {
    let items = toan10_items();
    let item = &items[11]; // A +50 %, B −50 %, C −50 %, D +50 %
    #[track_caller]
    fn check(item: &Item, points: i64, cell: &str, expected: i64) {
        assert_eq!(score(item, &[], points, cell), expected, "{cell:?}");
    }
    check(item, 1000, "AD", 1000);
    check(item, 1000, "A", 500);
    check(item, 1000, "D", 500);
    check(item, 250, "A", 125);
    check(item, 1000, "AB", 0);
    check(item, 1000, "ABD", 500);
    check(item, 1000, "ABCD", 0);
    check(item, 1000, "BC", 0);
    let thirds = multiple_response(
        "Phản ứng hóa học",
        Level::Hieu,
        "Chọn các oxit bazơ:",
        &[("$Na_2O$", "33.33333"), ("$CaO$", "33.33333"), ("$CuO$", "33.33333"), ("$SO_2$", "-100")],
    );
    check(&thirds, 1000, "A", 333);
    check(&thirds, 1000, "AB", 667);
    check(&thirds, 1000, "ABC", 1000);
    check(&thirds, 500, "AB", 333);
    check(&thirds, 1000, "ABCD", 0);
    // Shown as D, C, B, A: the sulphur dioxide penalty is now letter A.
    assert_eq!(score(&thirds, &[3, 2, 1, 0], 1000, "BCD"), 1000);
    assert_eq!(score(&thirds, &[3, 2, 1, 0], 1000, "AB"), 0);
}

#[test]
fn clusters_use_the_credit_table() {
    let items = toan10_items();
    let item = &items[6]; // ĐĐSĐ
    #[track_caller]
    fn check(item: &Item, points: i64, cell: &str, expected: i64) {
        assert_eq!(score(item, &[], points, cell), expected, "{cell:?}");
    }
    check(item, 1000, "ĐĐSĐ", 1000);
    check(item, 1000, "ĐĐSS", 500);
    check(item, 1000, "ĐĐĐS", 250);
    check(item, 1000, "SSĐĐ", 100);
    check(item, 1000, "SSĐS", 0);
    check(item, 1000, "ĐĐ--", 250);
    check(item, 1000, "ĐĐS", 500);
    check(item, 1000, "", 0);
    check(item, 500, "ĐĐSS", 250);
    let mut custom = item.clone();
    if let Body::TrueFalseCluster { table, .. } = &mut custom.body {
        *table = ClusterTable::new(["0", "0", "50", "100"].map(percent).to_vec()).unwrap();
    }
    check(&custom, 1000, "ĐĐĐS", 0);
    check(&custom, 1000, "ĐĐSS", 500);
}

#[test]
fn short_answers_compare_after_normalisation() {
    let items = toan10_items();
    let item = &items[10];
    assert_eq!(score(item, &[], 500, "Rỗng"), 500);
    assert_eq!(score(item, &[], 500, "  tập   RỖNG "), 500);
    assert_eq!(score(item, &[], 500, "ro\u{0302}\u{0303}ng"), 500);
    assert_eq!(score(item, &[], 500, "tập hợp rỗng"), 0);
    let mut graded = item.clone();
    if let Body::ShortText { answers, .. } = &mut graded.body {
        answers.push(TextAnswer { text: "trống".to_owned(), fraction: percent("50") });
        answers.push(TextAnswer { text: "vô hạn".to_owned(), fraction: percent("-100") });
    }
    assert_eq!(score(&graded, &[], 500, "Trống"), 250);
    assert_eq!(score(&graded, &[], 500, "vô hạn"), 0, "a penalised answer earns nothing, not minus");
    if let Body::ShortText { case_sensitive, .. } = &mut graded.body {
        *case_sensitive = true;
    }
    assert_eq!(score(&graded, &[], 500, "Rỗng"), 0);
    assert_eq!(score(&graded, &[], 500, "rỗng"), 500);
}

#[test]
fn numeric_answers_and_the_four_character_rule() {
    let items = toan10_items();
    let length = &items[9]; // 4.5 ± 0.05, four-character rule
    let count = &items[8]; // 5
    #[track_caller]
    fn check(item: &Item, cell: &str, expected: i64) {
        assert_eq!(score(item, &[], 500, cell), expected, "{cell:?}");
    }
    check(length, "4,5", 500);
    check(length, "4.5", 500);
    check(length, "4,50", 500);
    check(length, "4,55", 500);
    check(length, "4,45", 500);
    check(length, "4,56", 0);
    check(length, "-4,5", 0);
    check(length, "04,50", 0);
    check(count, "5", 500);
    check(count, "5,0", 500);
    check(count, "+5", 0);
    check(count, "05", 500);
    check(count, "6", 0);
    let mut lenient = length.clone();
    if let Body::Numeric { four_char_rule, .. } = &mut lenient.body {
        *four_char_rule = false;
    }
    check(&lenient, "04,50", 500);
    check(&lenient, "4,500", 500);
    let physics = numeric("Điện trường", Level::VanDung, "Tính hiệu điện thế (V).", "-1.5", "0");
    check(&physics, "-1,5", 500);
    check(&physics, "-1.5", 500);
    let mut ranged = physics.clone();
    ranged.body = Body::Numeric {
        answers: vec![
            NumericAnswer {
                value: NumericValue::Range { min: decimal("2"), max: decimal("3") },
                fraction: percent("50"),
            },
            NumericAnswer {
                value: NumericValue::Exact { value: decimal("2.5"), tolerance: decimal("0") },
                fraction: Fraction::ONE,
            },
        ],
        four_char_rule: true,
    };
    check(&ranged, "2,5", 500);
    check(&ranged, "2,7", 250);
    check(&ranged, "3,1", 0);
    assert!(fits_four_char_rule("-1,5") && fits_four_char_rule("75") && fits_four_char_rule(" 0,25 "));
    assert!(!fits_four_char_rule("12,25") && !fits_four_char_rule("1-2") && !fits_four_char_rule("1,2."));
}

#[test]
fn matching_per_pair_rounds_once() {
    let science = science_items();
    let order = [3, 2, 0, 1]; // shown: NaOH, CO₂, H₂O, NaCl
    let item = &science[1];
    assert_eq!(score(item, &order, 1000, "CDB"), 1000);
    assert_eq!(score(item, &order, 1000, "CDA"), 667);
    assert_eq!(score(item, &order, 1000, "C--"), 333);
    assert_eq!(score(item, &order, 1000, "C"), 333);
    assert_eq!(score(item, &order, 250, "C"), 83);
    assert_eq!(score(item, &order, 1000, "AAA"), 0);
    let mut strict = item.clone();
    if let Body::Matching { scoring, .. } = &mut strict.body {
        *scoring = MatchScoring::AllOrNothing;
    }
    assert_eq!(score(&strict, &order, 1000, "CDA"), 0);
    assert_eq!(score(&strict, &order, 1000, "CDB"), 1000);
    // Two prompts sharing one answer: either place of that answer is right.
    let mut shared = item.clone();
    if let Body::Matching { pairs, .. } = &mut shared.body {
        pairs[1].answer = "H₂O".to_owned();
        pairs[1].prompt = "Nước cất".to_owned();
    }
    assert_eq!(score(&shared, &order, 1000, "DCB"), 1000);
}

#[test]
fn essays_wait_and_wrong_kinds_earn_nothing() {
    let science = science_items();
    assert_eq!(score(&science[2], &[], 2000, "Sắt đẩy đồng ra khỏi dung dịch muối."), 0);
    let items = toan10_items();
    let question = authored_question(1, &items[0], 0, 1000);
    assert_eq!(score_question(&items[0], &question, &Response::TrueFalse(true)), MilliPoints::ZERO);
    assert_eq!(score_question(&items[6], &question, &choices(&[1])), MilliPoints::ZERO);
}

fn example_form() -> (Form, BTreeMap<ItemId, Item>) {
    let mut items = BTreeMap::new();
    let mut questions = Vec::new();
    let all: Vec<Item> = toan10_items().into_iter().take(10).chain(science_items().into_iter().skip(2)).collect();
    for (index, item) in all.into_iter().enumerate() {
        let id = index as i64 + 1;
        let part = match item.kind() {
            ItemKind::SingleChoice => 0,
            ItemKind::TrueFalseCluster => 1,
            ItemKind::Numeric => 2,
            _ => 3,
        };
        questions.push(authored_question(id, &item, part, 1000));
        items.insert(ItemId::new(id), item);
    }
    (Form { code: FormCode::new("101"), questions }, items)
}

fn parse_row(form: &Form, items: &BTreeMap<ItemId, Item>, cells: &[&str]) -> Vec<Response> {
    form.questions.iter().zip(cells).map(|(q, c)| Response::parse_cell(items[&q.item].kind(), c).unwrap()).collect()
}

#[test]
fn sheets_add_up_exactly_and_list_pending_essays() {
    let (form, items) = example_form();
    let cells = ["B", "A", "D", "C", "", "A", "ĐĐSS", "ĐĐĐĐ", "5", "4.5", "Sắt tan dần, có lớp đồng đỏ bám vào."];
    let score = score_sheet(&form, &items, &parse_row(&form, &items, &cells)).unwrap();
    let per: Vec<i64> = score.per_question.iter().map(|p| p.milli()).collect();
    assert_eq!(per, [1000, 1000, 0, 1000, 0, 1000, 500, 250, 1000, 1000, 0]);
    assert_eq!(score.raw, milli(6750));
    assert_eq!(score.max, milli(11_000));
    assert_eq!(score.pending_manual, [11]);
    // Fewer responses than questions: the rest is unanswered; an unanswered essay is not pending.
    let short = score_sheet(&form, &items, &parse_row(&form, &items, &cells[..2])).unwrap();
    assert_eq!((short.raw, short.max, short.pending_manual.len()), (milli(2000), milli(11_000), 0));
    assert_eq!(short.per_question.len(), 11);
}

#[test]
fn sheet_errors() {
    let (form, items) = example_form();
    let too_many = vec![Response::Unanswered; 12];
    assert_eq!(
        score_sheet(&form, &items, &too_many),
        Err(ScoreError::TooManyResponses { questions: 11, responses: 12 })
    );
    let mut missing = items.clone();
    missing.remove(&ItemId::new(7));
    let error = score_sheet(&form, &missing, &[]).unwrap_err();
    assert_eq!(error, ScoreError::MissingItem { position: 7, item: ItemId::new(7) });
    assert!(error.to_string().contains(" / question 7 uses item 7"));
}

#[test]
fn the_2025_mathematics_paper_scores_to_ten() {
    let blueprint = crate::blueprint::Blueprint::parse("toan12.toml", TOAN12_BLUEPRINT).unwrap();
    let test = crate::assembly::assemble(&blueprint, &toan12_bank(), 4).unwrap();
    let form = &make_forms(&test, blueprint.forms(), 4)[0];
    let key = answer_key(form, &test.items).unwrap();
    let responses: Vec<Response> =
        key.iter().map(|k| Response::parse_cell(test.items[&k.item].kind(), &k.answer).unwrap()).collect();
    let full = score_sheet(form, &test.items, &responses).unwrap();
    assert_eq!((full.raw, full.max), (milli(10_000), milli(10_000)));
    // 12 × 0.25 + 4 × 1.0 + 6 × 0.5, term by term.
    let by_part: Vec<i64> = (0..3)
        .map(|p| {
            form.questions.iter().zip(&full.per_question).filter(|(q, _)| q.part == p).map(|(_, s)| s.milli()).sum()
        })
        .collect();
    assert_eq!(by_part, [3000, 4000, 3000]);
    // One cluster with three statements right and one short answer wrong: 10 − 0.5 − 0.5 = 9.
    let mut partial = responses.clone();
    let cluster = form.questions.iter().position(|q| q.part == 1).unwrap();
    if let Response::Cluster(marks) = &mut partial[cluster] {
        marks[3] = marks[3].map(|b| !b);
    }
    let numeric = form.questions.iter().position(|q| q.part == 2).unwrap();
    partial[numeric] = Response::Numeric("9999".to_owned());
    let partial_score = score_sheet(form, &test.items, &partial).unwrap();
    assert_eq!(partial_score.raw, milli(9_000));
    assert_eq!(scale(partial_score.raw, partial_score.max, test.scale, test.rounding_step), milli(9_000));
}

#[test]
fn scaling_rounds_half_up_once() {
    #[track_caller]
    fn check(raw: i64, max: i64, scale_to: i64, step: i64, expected: i64) {
        assert_eq!(
            scale(milli(raw), milli(max), milli(scale_to), milli(step)),
            milli(expected),
            "{raw}/{max} step {step}"
        );
    }
    check(8250, 10_000, 10_000, 100, 8300);
    check(8240, 10_000, 10_000, 100, 8200);
    check(8249, 10_000, 10_000, 100, 8200); // rounding twice (8.25, then 8.3) would be wrong
    check(8350, 10_000, 10_000, 100, 8400);
    check(2000, 3000, 10_000, 100, 6700); // 6.666…
    check(1000, 3000, 10_000, 100, 3300); // 3.333…
    check(2000, 3000, 10_000, 10, 6670);
    check(2000, 3000, 10_000, 1, 6667);
    check(8125, 10_000, 10_000, 250, 8250);
    check(8120, 10_000, 10_000, 250, 8000);
    check(8375, 10_000, 10_000, 500, 8500);
    check(7850, 10_000, 10_000, 100, 7900);
    check(17_000, 40_000, 100_000, 1000, 43_000); // 42.5 % → 43
    check(33_000, 40_000, 10_000, 100, 8300); // 8.25 from 33 / 40
    check(10_000, 10_000, 10_000, 100, 10_000);
    check(0, 10_000, 10_000, 100, 0);
    check(5000, 0, 10_000, 100, 0);
    check(2000, 3000, 10_000, 0, 6667);
    check(2000, 3000, 10_000, -5, 6667);
}

fn any_item() -> impl Strategy<Value = Item> {
    let mut all = toan10_items();
    all.extend(science_items());
    all.push(multiple_response(
        "Phản ứng hóa học",
        Level::Hieu,
        "Chọn các oxit bazơ:",
        &[("$Na_2O$", "33.33333"), ("$CaO$", "33.33333"), ("$CuO$", "33.33333"), ("$SO_2$", "-100")],
    ));
    proptest::sample::select(all)
}

fn any_response() -> impl Strategy<Value = Response> {
    prop_oneof![
        Just(Response::Unanswered),
        proptest::collection::vec(0u8..30, 0..8).prop_map(Response::Choices),
        any::<bool>().prop_map(Response::TrueFalse),
        proptest::collection::vec(proptest::option::of(any::<bool>()), 0..7).prop_map(Response::Cluster),
        "\\PC{0,12}".prop_map(Response::Text),
        "[-+0-9,.]{0,6}".prop_map(Response::Numeric),
        proptest::collection::vec(proptest::option::of(0u8..30), 0..6).prop_map(Response::Matching),
        "\\PC{0,12}".prop_map(Response::Essay),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parse_cell_never_panics(kind in proptest::sample::select(ItemKind::ALL.to_vec()), text in "\\PC{0,20}") {
        let _ = Response::parse_cell(kind, &text);
    }

    #[test]
    fn cluster_marks_round_trip(marks in proptest::collection::vec(proptest::option::of(any::<bool>()), 1..6), style in 0usize..3, lower in any::<bool>()) {
        let (yes, no) = [('Đ', 'S'), ('D', 'S'), ('T', 'F')][style];
        let text: String = marks.iter().map(|m| match m { Some(true) => yes, Some(false) => no, None => '-' }).collect();
        let text = if lower { text.to_lowercase() } else { text };
        prop_assert_eq!(Response::parse_cell(ItemKind::TrueFalseCluster, &text), Ok(Response::Cluster(marks)));
    }

    #[test]
    fn choice_letters_round_trip(mut letters in proptest::collection::vec(0u8..26, 1..6)) {
        let text: String = letters.iter().map(|&l| crate::forms::letter(usize::from(l))).collect();
        letters.sort_unstable();
        letters.dedup();
        prop_assert_eq!(Response::parse_cell(ItemKind::MultipleResponse, &text.to_lowercase()), Ok(Response::Choices(letters)));
    }

    #[test]
    fn numbers_keep_what_was_typed(whole in -999i64..999, tenths in 0i64..10, comma in any::<bool>()) {
        let typed = format!("{whole}{}{tenths}", if comma { ',' } else { '.' });
        prop_assert_eq!(Response::parse_cell(ItemKind::Numeric, &typed), Ok(Response::Numeric(typed.clone())));
    }

    #[test]
    fn scores_stay_between_zero_and_the_points(
        item in any_item(),
        response in any_response(),
        points in 0i64..20_000,
        seed in any::<u64>(),
    ) {
        let mut question = authored_question(1, &item, 0, points);
        use rand::SeedableRng;
        use rand::seq::SliceRandom;
        question.option_order.shuffle(&mut rand_chacha::ChaCha20Rng::seed_from_u64(seed));
        let earned = score_question(&item, &question, &response);
        prop_assert!(earned >= MilliPoints::ZERO && earned <= milli(points), "{earned} of {points}");
    }

    #[test]
    fn the_key_scores_full_marks_on_every_form(seed in any::<u64>()) {
        let mut all = toan10_items();
        all.extend(science_items().into_iter().take(2));
        let parts = all.into_iter().fold(Vec::<(i64, Vec<Item>)>::new(), |mut parts, item| {
            match parts.iter_mut().find(|(_, items)| items[0].kind() == item.kind()) {
                Some((_, items)) => items.push(item),
                None => parts.push((250 * (parts.len() as i64 + 1), vec![item])),
            }
            parts
        });
        let test = test_of(parts);
        for form in make_forms(&test, &crate::blueprint::FormSpec { count: 3, ..Default::default() }, seed) {
            let key = answer_key(&form, &test.items).unwrap();
            let responses: Vec<Response> = key
                .iter()
                .map(|entry| {
                    // A short-text key lists every accepted answer; a student writes one.
                    let answer = entry.answer.split('|').next().unwrap_or("");
                    Response::parse_cell(test.items[&entry.item].kind(), answer).unwrap()
                })
                .collect();
            let sheet = score_sheet(&form, &test.items, &responses).unwrap();
            prop_assert_eq!(sheet.raw, sheet.max, "form {}", form.code);
            prop_assert_eq!(scale(sheet.raw, sheet.max, test.scale, test.rounding_step), test.scale);
        }
    }
}
