//! Hand-computed statistics, band boundaries, and properties over random classes.

use super::*;
use proptest::prelude::*;

fn row(class: &str, name: &str, score: Option<i64>, status: RowStatus) -> ExportRow {
    ExportRow {
        number: 1,
        student_id: format!("HS-{name}"),
        full_name: name.to_owned(),
        class: class.to_owned(),
        score_tenths: score,
        status,
        note: String::new(),
        unmarked_essays: 0,
        scored_ms: score.map(|_| 1),
    }
}

#[test]
fn boundaries_belong_to_the_band_they_start() {
    let cases = [
        (0, ScoreBand::Below3_5),
        (34, ScoreBand::Below3_5),
        (35, ScoreBand::From3_5To5),
        (49, ScoreBand::From3_5To5),
        (50, ScoreBand::From5To6_5),
        (64, ScoreBand::From5To6_5),
        (65, ScoreBand::From6_5To8),
        (79, ScoreBand::From6_5To8),
        (80, ScoreBand::From8To10),
        (100, ScoreBand::From8To10),
    ];
    for (tenths, band) in cases {
        assert_eq!(ScoreBand::of_tenths(tenths), band, "{tenths}");
    }
    let summary = Summary::of_tenths(&cases.map(|(tenths, _)| tenths));
    assert_eq!(summary.bands, [2, 2, 2, 2, 2]);
}

#[test]
fn hand_computed_class() {
    // 7,0 8,0 9,0: mean 8,00, median 8,00; D = 3·19400 − 240² = 600, σ = √600/3 tenths
    // = 0,8165 → 0,82.
    let summary = Summary::of_tenths(&[90, 70, 80]);
    assert_eq!(summary.count(), 3);
    assert_eq!(summary.mean(), Some(800));
    assert_eq!(summary.median(), Some(800));
    assert_eq!(summary.std_dev(), Some(82));
    assert_eq!(summary.bands, [0, 0, 0, 1, 2]);
}

#[test]
fn even_count_median_and_mean_rounding() {
    // 5,5 6,0 7,0 8,5: median (6,0 + 7,0)/2 = 6,50; mean 27/4 = 6,75.
    let summary = Summary::of_tenths(&[85, 55, 70, 60]);
    assert_eq!(summary.median(), Some(650));
    assert_eq!(summary.mean(), Some(675));
    // 5,0 and 10,0: σ = 2,50 exactly.
    assert_eq!(Summary::of_tenths(&[50, 100]).std_dev(), Some(250));
    // 0 0 0 0,1: mean 0,025 → 0,03 (half-up); 8,0 8,0 8,1: 8,0333 → 8,03.
    assert_eq!(Summary::of_tenths(&[0, 0, 0, 1]).mean(), Some(3));
    assert_eq!(Summary::of_tenths(&[80, 80, 81]).mean(), Some(803));
}

#[test]
fn one_student_and_no_student() {
    let one = Summary::of_tenths(&[73]);
    assert_eq!((one.mean(), one.median(), one.std_dev()), (Some(730), Some(730), Some(0)));
    assert_eq!(one.bands, [0, 0, 0, 1, 0]);
    let none = Summary::of_tenths(&[]);
    assert_eq!((none.count(), none.mean(), none.median(), none.std_dev()), (0, None, None, None));
    assert_eq!(none.bands, [0; 5]);
}

#[test]
fn classes_are_separate_and_absences_counted() {
    let rows = vec![
        row("10A1", "Nguyễn Văn An", Some(35), RowStatus::Graded),
        row("10A1", "Trần Thị Bích", Some(100), RowStatus::Graded),
        row("10A1", "Lê Đức Cường", None, RowStatus::Absent),
        row("10A2", "Phạm Thị Dung", None, RowStatus::NotSubmitted),
        row("10A2", "Hoàng Văn Em", None, RowStatus::Absent),
    ];
    let stats = exam_stats(&rows);
    assert_eq!(stats.classes.len(), 2);
    let first = &stats.classes[0];
    assert_eq!((first.class.as_str(), first.enrolled, first.absent, first.not_submitted), ("10A1", 3, 1, 0));
    assert_eq!(first.summary.bands, [0, 1, 0, 0, 1]);
    assert_eq!(first.summary.mean(), Some(675));
    let second = &stats.classes[1];
    assert_eq!((second.enrolled, second.absent, second.not_submitted, second.summary.count()), (2, 1, 1, 0));
    assert_eq!(second.summary.mean(), None);
    assert_eq!((stats.overall.enrolled, stats.overall.summary.count()), (5, 2));
}

#[test]
fn formatting_and_labels() {
    assert_eq!(format_hundredths(745, ','), "7,45");
    assert_eq!(format_hundredths(1000, '.'), "10.00");
    assert_eq!(format_hundredths(5, ','), "0,05");
    assert_eq!(format_hundredths(-5, '.'), "-0.05");
    assert_eq!(format_optional(None, ','), "—");
    assert_eq!(ScoreBand::From3_5To5.label(','), "3,5–<5");
    assert_eq!(ScoreBand::From8To10.label('.'), "8–10");
}

proptest! {
    #[test]
    fn band_counts_sum_to_the_count(scores in proptest::collection::vec(0i64..=100, 0..200)) {
        let summary = Summary::of_tenths(&scores);
        let banded: u32 = summary.bands.iter().sum();
        prop_assert_eq!(banded as usize, summary.count());
        prop_assert_eq!(summary.count(), scores.len());
    }

    #[test]
    fn figures_stay_within_the_scores(scores in proptest::collection::vec(0i64..=100, 1..200)) {
        let summary = Summary::of_tenths(&scores);
        let low = scores.iter().min().copied().unwrap_or(0) * 10;
        let high = scores.iter().max().copied().unwrap_or(0) * 10;
        for figure in [summary.mean(), summary.median()] {
            let figure = figure.unwrap_or(-1);
            prop_assert!(low <= figure && figure <= high, "{figure} outside {low}..={high}");
        }
        // The integer deviation agrees with a floating-point reference to within rounding.
        let n = scores.len() as f64;
        let mean = scores.iter().map(|s| *s as f64).sum::<f64>() / n;
        let variance = scores.iter().map(|s| (*s as f64 - mean).powi(2)).sum::<f64>() / n;
        let reference = variance.sqrt() * 10.0;
        let exact = summary.std_dev().unwrap_or(-1) as f64;
        prop_assert!((exact - reference).abs() <= 0.5 + 1e-6, "{exact} vs {reference}");
    }
}
