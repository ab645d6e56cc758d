use super::*;
use crate::assembly::assemble;
use crate::blueprint::Blueprint;
use crate::test_fixtures::*;
use phongthi_items::ItemKind;
use std::collections::BTreeSet;

fn spec(count: u16) -> FormSpec {
    FormSpec { count, ..FormSpec::default() }
}

fn example_test() -> Test {
    assemble(&example_blueprint(), &toan10_bank(), 11).unwrap()
}

fn toan12_test() -> Test {
    let blueprint = Blueprint::parse("toan12.toml", TOAN12_BLUEPRINT).unwrap();
    assemble(&blueprint, &toan12_bank(), 12).unwrap()
}

/// Correct letters (0 = A) of the single-choice questions of a form, in presented order.
fn correct_letters(form: &Form, items: &BTreeMap<ItemId, Item>) -> Vec<u8> {
    form.questions
        .iter()
        .filter_map(|q| match &items[&q.item].body {
            Body::SingleChoice { options } => {
                q.option_order.iter().position(|&a| options[usize::from(a)].fraction.is_full()).map(|p| p as u8)
            }
            _ => None,
        })
        .collect()
}

#[test]
fn form_codes_follow_prefix_start_and_step() {
    #[track_caller]
    fn check(spec: FormSpec, expected: &[&str]) {
        let codes: Vec<String> = make_forms(&example_test(), &spec, 1).iter().map(|f| f.code.to_string()).collect();
        assert_eq!(codes, expected);
    }
    check(example_blueprint().forms().clone(), &["101", "102", "103", "104"]);
    check(
        FormSpec { count: 3, code_start: 5, code_step: 10, code_prefix: "T10-".to_owned() },
        &["T10-5", "T10-15", "T10-25"],
    );
    check(FormSpec { count: 2, code_start: 0, code_step: 1, code_prefix: String::new() }, &["0", "1"]);
    assert_eq!(FormCode::new("Tie\u{0302}\u{0301}ng-1").as_str(), "Tiếng-1");
    assert_eq!(FormCode::new(" 101 "), FormCode::new("101"));
}

#[test]
fn the_same_seed_gives_the_same_forms_and_another_seed_others() {
    let test = toan12_test();
    let forms = make_forms(&test, &spec(6), 77);
    assert_eq!(forms, make_forms(&test, &spec(6), 77));
    let other = make_forms(&test, &spec(6), 78);
    assert!(forms.iter().zip(&other).all(|(a, b)| a.questions != b.questions));
    // Form k does not depend on how many forms are made.
    assert_eq!(forms[..2], make_forms(&test, &spec(2), 77)[..]);
    // Forms differ from one another.
    let distinct: BTreeSet<Vec<ItemId>> = forms.iter().map(|f| f.questions.iter().map(|q| q.item).collect()).collect();
    assert_eq!(distinct.len(), 6);
}

#[test]
fn questions_are_shuffled_within_their_part_only() {
    let test = toan12_test();
    for form in make_forms(&test, &spec(30), 5) {
        let parts: Vec<usize> = form.questions.iter().map(|q| q.part).collect();
        assert!(parts.windows(2).all(|w| w[0] <= w[1]), "parts stay in order: {parts:?}");
        for (index, part) in test.parts.iter().enumerate() {
            let on_form: BTreeSet<ItemId> = form.questions.iter().filter(|q| q.part == index).map(|q| q.item).collect();
            assert_eq!(on_form, part.items.iter().copied().collect::<BTreeSet<_>>());
            assert!(form.questions.iter().filter(|q| q.part == index).all(|q| q.points == part.points_each));
        }
    }
    let first_questions: BTreeSet<ItemId> =
        make_forms(&test, &spec(30), 5).iter().map(|f| f.questions[0].item).collect();
    assert!(first_questions.len() > 5, "question 1 varies between forms");
}

#[test]
fn grouped_items_stay_together_and_shuffle_among_themselves() {
    let mut items = plain_choices(8);
    for item in &mut items[2..5] {
        item.group = Some("Nhóm 1".to_owned());
    }
    let test = test_of(vec![(250, items)]);
    let group: BTreeSet<ItemId> = [3, 4, 5].map(ItemId::new).into();
    let mut group_orders = BTreeSet::new();
    let mut group_starts = BTreeSet::new();
    for form in make_forms(&test, &spec(60), 9) {
        let positions: Vec<usize> =
            form.questions.iter().enumerate().filter(|(_, q)| group.contains(&q.item)).map(|(i, _)| i).collect();
        assert_eq!(positions.len(), 3);
        assert_eq!(positions[2] - positions[0], 2, "the group is contiguous: {positions:?}");
        group_starts.insert(positions[0]);
        group_orders.insert(positions.iter().map(|&p| form.questions[p].item).collect::<Vec<_>>());
    }
    assert!(group_starts.len() > 3, "the group moves as a block: {group_starts:?}");
    assert_eq!(group_orders.len(), 6, "all 3! inner orders appear");
}

#[test]
fn pinned_options_never_move_and_orders_are_permutations() {
    let test = toan12_test();
    let mut pinned_seen = 0;
    for form in make_forms(&test, &spec(200), 3) {
        for question in &form.questions {
            let item = &test.items[&question.item];
            match &item.body {
                Body::SingleChoice { options } | Body::MultipleResponse { options } => {
                    let mut sorted = question.option_order.clone();
                    sorted.sort_unstable();
                    assert_eq!(sorted, (0..options.len() as u8).collect::<Vec<_>>());
                    for (index, option) in options.iter().enumerate().filter(|(_, o)| o.pinned) {
                        assert_eq!(usize::from(question.option_order[index]), index, "{}", option.text);
                        pinned_seen += 1;
                    }
                }
                _ => assert!(question.option_order.is_empty()),
            }
        }
    }
    assert!(pinned_seen >= 200, "the fixture has pinned options: {pinned_seen}");
}

#[test]
fn a_pinned_correct_option_keeps_its_letter() {
    let mut items = plain_choices(6);
    if let Body::SingleChoice { options } = &mut items[0].body {
        options[0].fraction = Fraction::ZERO;
        options[3] = crate::test_fixtures::option("Tất cả các đáp án trên", Fraction::ONE, true);
    }
    let test = test_of(vec![(250, items)]);
    for form in make_forms(&test, &spec(50), 4) {
        let question = form.questions.iter().find(|q| q.item == ItemId::new(1)).unwrap();
        assert_eq!(question.option_order[3], 3);
        let key = answer_key(&form, &test.items).unwrap();
        let entry = key.iter().find(|k| k.item == ItemId::new(1)).unwrap();
        assert_eq!(entry.answer, "D");
    }
}

#[test]
fn correct_letters_are_balanced_and_never_three_in_a_row() {
    #[track_caller]
    fn check(test: &Test, forms: u16, per_form_spread: Option<u32>) {
        let mut totals = [0u32; 4];
        for form in make_forms(test, &spec(forms), 2024) {
            let letters = correct_letters(&form, &test.items);
            assert!(
                letters.windows(3).all(|w| !(w[0] == w[1] && w[1] == w[2])),
                "three in a row on form {}: {letters:?}",
                form.code
            );
            let mut counts = [0u32; 4];
            for &l in &letters {
                counts[usize::from(l)] += 1;
                totals[usize::from(l)] += 1;
            }
            if let Some(spread) = per_form_spread {
                let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
                assert!(max - min <= spread, "form {}: {counts:?}", form.code);
            }
        }
        let all: u32 = totals.iter().sum();
        for (letter, count) in totals.iter().enumerate() {
            let share = f64::from(*count) / f64::from(all);
            assert!((0.22..=0.28).contains(&share), "letter {} has {:.3} of {all}: {totals:?}", letter, share);
        }
    }
    check(&test_of(vec![(250, plain_choices(40))]), 100, Some(2));
    check(&test_of(vec![(250, plain_choices(12))]), 300, Some(2));
    // With pinned distractors at D (a third of the items), D is made up elsewhere.
    check(&toan12_test(), 300, None);
}

#[test]
fn forced_letters_ahead_are_looked_at() {
    // Two items whose correct answer is pinned at A: the item before them must avoid A.
    let mut items = plain_choices(9);
    for item in &mut items[3..9] {
        if let Body::SingleChoice { options } = &mut item.body {
            for (index, option) in options.iter_mut().enumerate() {
                option.fraction = if index == 0 { Fraction::ONE } else { Fraction::ZERO };
                option.pinned = index == 0;
            }
        }
    }
    // Six forced A's cannot always avoid runs, but a free item must never be part of one.
    let test = test_of(vec![(250, items)]);
    let mut free_before_forced_pair = 0;
    for form in make_forms(&test, &spec(200), 8) {
        let letters = correct_letters(&form, &test.items);
        let free: Vec<bool> = form.questions.iter().map(|q| q.item.get() <= 3).collect();
        for (start, window) in letters.windows(3).enumerate() {
            if window[0] == window[1] && window[1] == window[2] {
                assert!(!free[start..start + 3].contains(&true), "form {}: {letters:?} {free:?}", form.code);
            }
            if free[start] && !free[start + 1] && !free[start + 2] {
                free_before_forced_pair += 1;
            }
        }
    }
    assert!(free_before_forced_pair > 20, "the look-ahead case occurs: {free_before_forced_pair}");
}

#[test]
fn clusters_keep_their_statements_and_matching_answers_shuffle() {
    let science = science_items();
    let test =
        test_of(vec![(1000, vec![science[1].clone(), science[1].clone()]), (1000, vec![toan10_items()[6].clone()])]);
    let mut orders = BTreeSet::new();
    for form in make_forms(&test, &spec(40), 6) {
        let key = answer_key(&form, &test.items).unwrap();
        for (question, entry) in form.questions.iter().zip(&key) {
            match test.items[&question.item].kind() {
                ItemKind::Matching => {
                    let mut sorted = question.option_order.clone();
                    sorted.sort_unstable();
                    assert_eq!(sorted, [0, 1, 2, 3]);
                    orders.insert(question.option_order.clone());
                    // The key names, for each prompt, the letter where its own answer is shown.
                    let letters: Vec<usize> = entry.answer.bytes().map(|b| usize::from(b - b'A')).collect();
                    let shown: Vec<u8> = letters.iter().map(|&l| question.option_order[l]).collect();
                    assert_eq!(shown, [0, 1, 2]);
                }
                _ => {
                    assert!(question.option_order.is_empty());
                    assert_eq!(entry.answer, "ĐĐSĐ");
                }
            }
        }
    }
    assert!(orders.len() > 10, "matching answers are shuffled: {}", orders.len());
}

#[test]
fn answer_keys_use_the_answer_sheet_notation() {
    let items = toan10_items();
    let science = science_items();
    let mut by_id = BTreeMap::new();
    let mut questions = Vec::new();
    let all: Vec<Item> = items.into_iter().chain(science).collect();
    for (index, item) in all.iter().enumerate() {
        let id = index as i64 + 1;
        by_id.insert(ItemId::new(id), item.clone());
        questions.push(authored_question(id, item, 0, 1000));
    }
    // Show the matching item's answers as NaOH, CO₂, H₂O, NaCl (authored 3, 2, 0, 1).
    questions[13].option_order = vec![3, 2, 0, 1];
    let form = Form { code: FormCode::new("101"), questions };
    let key: Vec<String> = answer_key(&form, &by_id).unwrap().into_iter().map(|k| k.answer).collect();
    assert_eq!(
        key,
        ["B", "A", "C", "C", "C", "A", "ĐĐSĐ", "ĐĐSS", "5", "4,5", "rỗng|tập rỗng", "AD", "Đúng", "CDB", ""]
    );
    let entries = answer_key(&form, &by_id).unwrap();
    assert_eq!((entries[9].position, entries[9].item), (10, ItemId::new(10)));
}

#[test]
fn keys_follow_the_option_order() {
    let items = toan10_items();
    let reversed = FormQuestion {
        item: ItemId::new(1),
        part: 0,
        points: MilliPoints::from_milli(250),
        option_order: vec![3, 2, 1, 0],
    };
    assert_eq!(key_answer(&items[0], &reversed), "C", "authored B is shown third");
    let multiple = FormQuestion { option_order: vec![3, 1, 0, 2], ..reversed.clone() };
    assert_eq!(key_answer(&items[11], &multiple), "AC", "authored D and A are shown at A and C");
}

#[test]
fn numeric_keys_use_the_decimal_comma() {
    #[track_caller]
    fn check(value: NumericValue, expected: &str) {
        let answers = vec![phongthi_items::NumericAnswer { value, fraction: Fraction::ONE }];
        let item = Item::new("Tính.", Body::Numeric { answers, four_char_rule: true });
        let question = authored_question(1, &item, 0, 500);
        assert_eq!(key_answer(&item, &question), expected);
    }
    let exact = |v: &str| NumericValue::Exact { value: decimal(v), tolerance: decimal("0") };
    check(exact("-1.5"), "-1,5");
    check(exact("4.50"), "4,5");
    check(exact("75"), "75");
    check(exact("0.25"), "0,25");
    check(NumericValue::Range { min: decimal("2.5"), max: decimal("3") }, "2,5");
}

#[test]
fn a_missing_item_is_an_error() {
    let test = example_test();
    let forms = make_forms(&test, &spec(1), 0);
    let mut items = test.items.clone();
    let missing = forms[0].questions[4].item;
    items.remove(&missing);
    let error = answer_key(&forms[0], &items).unwrap_err();
    assert_eq!(error, FormError::MissingItem { form: FormCode::new("101"), position: 5, item: missing });
    assert!(error.to_string().contains(" / question 5 of form 101"));
}

#[test]
fn letters_run_from_a_to_z() {
    assert_eq!([0, 1, 3, 25, 26, 1000].map(letter), ['A', 'B', 'D', 'Z', '?', '?']);
}
