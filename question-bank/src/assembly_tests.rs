use super::*;
use crate::test_fixtures::*;
use phongthi_items::{Choice, ClusterTable, Fraction};
use std::collections::BTreeSet;

fn ids(test: &Test) -> Vec<Vec<i64>> {
    test.parts.iter().map(|p| p.items.iter().map(|id| id.get()).collect()).collect()
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

/// A one-cell single-choice blueprint for `Mệnh đề` / `Biết`.
fn one_cell(count: u32) -> Blueprint {
    let text = format!(
        "title = \"Kiểm tra 15 phút\"\nsubject = \"Toán\"\ngrade = 10\nduration_minutes = 15\n\n\
         [[part]]\nname = \"Phần I\"\nkind = \"single_choice\"\npoints_each = 1\n\
         cells = [{{ topic = \"Mệnh đề\", level = \"Biết\", count = {count} }}]\n"
    );
    Blueprint::parse("one.toml", &text).unwrap()
}

#[test]
fn the_example_blueprint_draws_exactly_the_ten_matching_items() {
    let blueprint = example_blueprint();
    for seed in [0, 1, 42, u64::MAX] {
        let test = assemble(&blueprint, &toan10_bank(), seed).unwrap();
        let parts = ids(&test);
        assert_eq!(sorted(parts[0].clone()), [1, 2, 3, 4, 5, 6], "seed {seed}");
        assert_eq!(sorted(parts[1].clone()), [7, 8]);
        assert_eq!(sorted(parts[2].clone()), [9, 10]);
        assert_eq!(test.items.keys().map(|id| id.get()).collect::<Vec<_>>(), (1..=10).collect::<Vec<_>>());
        assert_eq!(test.question_count(), 10);
        assert_eq!(test.total_points(), MilliPoints::from_milli(10_000));
        assert_eq!(test.title, "Kiểm tra giữa kỳ I — Toán 10");
        assert_eq!((test.grade, test.duration_minutes), (10, 45));
        // Cells are filled in blueprint order: the two `Mệnh đề`/`Biết` items come first.
        assert_eq!(sorted(parts[0][..2].to_vec()), [1, 2]);
    }
}

#[test]
fn every_short_cell_is_reported() {
    let bank: Vec<Candidate> = toan10_bank().into_iter().filter(|c| ![2, 6, 10].contains(&c.id.get())).collect();
    let AssemblyError::Shortfall(shortfalls) = assemble(&example_blueprint(), &bank, 7).unwrap_err();
    let found: Vec<(usize, &str, Level, u32, u32)> =
        shortfalls.iter().map(|s| (s.part_index, s.topic.as_str(), s.level, s.needed, s.available)).collect();
    assert_eq!(
        found,
        [(0, "Mệnh đề", Level::Biet, 2, 1), (0, "Tập hợp", Level::Hieu, 2, 1), (2, "Tập hợp", Level::VanDung, 1, 0),]
    );
    assert_eq!(shortfalls[2].kind, ItemKind::Numeric);
    assert_eq!(shortfalls[2].part, "Phần III. Trả lời ngắn");
    let message = AssemblyError::Shortfall(shortfalls).to_string();
    assert!(message.starts_with("ngân hàng không đủ câu hỏi / the bank lacks items:"), "{message}");
    assert_eq!(message.lines().count(), 4, "{message}");
    assert!(message.contains("phần 3 «Phần III. Trả lời ngắn» (numeric), Tập hợp — Vận dụng: cần 1, chỉ có 0"));
    assert!(message.contains("needs 1, only 0 available"));
}

#[test]
fn an_empty_bank_reports_all_eight_cells() {
    let AssemblyError::Shortfall(shortfalls) = assemble(&example_blueprint(), &[], 0).unwrap_err();
    assert_eq!(shortfalls.len(), 8);
    assert!(shortfalls.iter().all(|s| s.available == 0));
}

#[test]
fn less_used_items_are_preferred() {
    let mut bank = toan10_bank();
    bank[0].usage_count = 5; // id 1
    let mut spare = bank[1].clone();
    spare.id = ItemId::new(99);
    spare.item.stem = "Câu nào sau đây không phải là mệnh đề?".to_owned();
    spare.usage_count = 2;
    bank.push(spare);
    for seed in 0..40 {
        let test = assemble(&one_cell(2), &bank, seed).unwrap();
        let chosen = sorted(ids(&test)[0].clone());
        assert_eq!(chosen, [2, 99], "seed {seed}: the item used five times must wait");
    }
    // With equal usage the draw is random: both spares of equal usage get drawn over seeds.
    bank[0].usage_count = 2;
    let mut firsts = BTreeSet::new();
    for seed in 0..40 {
        let test = assemble(&one_cell(1), &bank, seed).unwrap();
        firsts.insert(ids(&test)[0][0]);
    }
    assert_eq!(firsts, BTreeSet::from([2]), "id 2 has usage 0, the others 2");
    bank[1].usage_count = 2;
    let mut ties = BTreeSet::new();
    for seed in 0..40 {
        ties.insert(ids(&assemble(&one_cell(1), &bank, seed).unwrap())[0][0]);
    }
    assert_eq!(ties, BTreeSet::from([1, 2, 99]), "three items of equal usage all get drawn");
}

#[test]
fn the_same_seed_gives_the_same_test_whatever_the_candidate_order() {
    let blueprint = Blueprint::parse("toan12.toml", TOAN12_BLUEPRINT).unwrap();
    let bank = toan12_bank();
    let mut reversed = bank.clone();
    reversed.reverse();
    let first = assemble(&blueprint, &bank, 2025).unwrap();
    assert_eq!(first, assemble(&blueprint, &bank, 2025).unwrap());
    assert_eq!(first, assemble(&blueprint, &reversed, 2025).unwrap());
    let distinct: BTreeSet<Vec<Vec<i64>>> =
        (0..8).map(|seed| ids(&assemble(&blueprint, &bank, seed).unwrap())).collect();
    assert!(distinct.len() >= 6, "other seeds draw other items: {}", distinct.len());
}

#[test]
fn a_2025_mathematics_paper_totals_ten_points() {
    let blueprint = Blueprint::parse("toan12.toml", TOAN12_BLUEPRINT).unwrap();
    assert_eq!(blueprint.total_points(), MilliPoints::from_milli(10_000));
    let test = assemble(&blueprint, &toan12_bank(), 1).unwrap();
    let shape: Vec<(usize, i64)> = test.parts.iter().map(|p| (p.items.len(), p.points_each.milli())).collect();
    assert_eq!(shape, [(12, 250), (4, 1000), (6, 500)]);
    assert_eq!(test.total_points(), MilliPoints::from_milli(10_000));
}

#[test]
fn matching_rules() {
    #[track_caller]
    fn check(change: impl Fn(&mut Item), drawn: bool) {
        let mut bank = toan10_bank();
        change(&mut bank[0].item);
        let result = assemble(&one_cell(2), &bank, 3);
        assert_eq!(result.is_ok(), drawn, "{:?}", bank[0].item.meta);
    }
    check(|_| {}, true);
    // Topic compared after NFC, whitespace and case folding.
    check(|item| item.meta.topic = Some("  ME\u{0302}\u{0323}NH   ĐỀ ".to_owned()), true);
    check(|item| item.meta.topic = Some("Mệnh đề và tập hợp".to_owned()), false);
    check(|item| item.meta.topic = None, false);
    check(|item| item.meta.level = Some(Level::Hieu), false);
    check(|item| item.meta.level = None, false);
    // Subject and grade only when the item states them.
    check(|item| item.meta.subject = Some("TOÁN".to_owned()), true);
    check(|item| item.meta.subject = Some("Vật lí".to_owned()), false);
    check(|item| item.meta.subject = None, true);
    check(|item| item.meta.grade = Some(11), false);
    check(|item| item.meta.grade = None, true);
    // Kind, validity and presentability.
    check(|item| item.body = Body::TrueFalse { answer: true }, false);
    check(
        |item| {
            if let Body::SingleChoice { options } = &mut item.body {
                options[1].fraction = Fraction::ZERO;
            }
        },
        false,
    );
    check(
        |item| {
            if let Body::SingleChoice { options } = &mut item.body {
                let extra = Choice { text: "$0$".to_owned(), fraction: Fraction::ZERO, pinned: false, feedback: None };
                options.resize(27, extra);
            }
        },
        false,
    );
}

#[test]
fn candidates_repeating_an_id_count_once() {
    let mut bank = toan10_bank();
    let mut copy = bank[0].clone();
    copy.item.stem = "Một bản sao".to_owned();
    bank.push(copy);
    bank.retain(|c| c.id.get() != 2);
    let AssemblyError::Shortfall(shortfalls) = assemble(&one_cell(2), &bank, 0).unwrap_err();
    assert_eq!((shortfalls[0].needed, shortfalls[0].available), (2, 1));
}

#[test]
fn the_blueprints_cluster_table_replaces_the_items_own() {
    let custom = "kind = \"true_false_cluster\"\ncluster_table = [25, 50, 75, 100]";
    let text = EXAMPLE_BLUEPRINT.replacen("kind = \"true_false_cluster\"", custom, 1);
    let blueprint = Blueprint::parse("blueprint.toml", &text).unwrap();
    let test = assemble(&blueprint, &toan10_bank(), 5).unwrap();
    let expected = ClusterTable::new(["25", "50", "75", "100"].map(percent).to_vec()).unwrap();
    for id in &test.parts[1].items {
        let Body::TrueFalseCluster { table, .. } = &test.items[id].body else { panic!("not a cluster") };
        assert_eq!(table, &expected);
    }
    // A three-statement cluster cannot take a four-entry table.
    let mut bank = toan10_bank();
    if let Body::TrueFalseCluster { statements, table } = &mut bank[6].item.body {
        statements.pop();
        *table = ClusterTable::default_for(3);
    }
    let AssemblyError::Shortfall(shortfalls) = assemble(&blueprint, &bank, 5).unwrap_err();
    assert_eq!(shortfalls.len(), 1);
    assert_eq!((shortfalls[0].topic.as_str(), shortfalls[0].available), ("Tập hợp", 0));
}
