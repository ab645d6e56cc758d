//! Moodle's list of valid answer grades and the checks Moodle makes on choice questions at
//! import, shared by the GIFT and Moodle XML importers.
//!
//! Moodle keeps an answer's grade only when it is one of `question_bank::fraction_options_full()`
//! (100 %, 90 %, 83.33333 %, … 5 %, 0 and the same negated), matched within 0.00000005 of a
//! fraction; any other value (`33` for a third) refuses the whole question. A single-choice
//! question needs an option worth exactly 100 %; the positive grades of a multiple-response
//! question must add up to 100 % (after rounding the sum to a whole percent, as Moodle does).

use phongthi_items::{Body, Choice, Fraction, parse_decimal};
use rust_decimal::Decimal;

/// The positive grades Moodle offers, in ten-millionths.
const POSITIVE: [i32; 20] = [
    10_000_000, 9_000_000, 8_333_333, 8_000_000, 7_500_000, 7_000_000, 6_666_667, 6_000_000, 5_000_000, 4_000_000,
    3_333_333, 3_000_000, 2_500_000, 2_000_000, 1_666_667, 1_428_571, 1_250_000, 1_111_111, 1_000_000, 500_000,
];

/// The grades a teacher can use, as percentages, for messages.
const LISTED: &str = "100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, \
                      14.28571, 12.5, 11.11111, 10, 5, 0";

/// A percentage as written (`50`, `-33.33333`, `33,333333`) → the Moodle grade it stands for, or
/// a bilingual message naming the grade when Moodle would refuse it.
pub(crate) fn grade_from_percent(written: &str) -> Result<Fraction, String> {
    let trimmed = written.trim();
    let Some(percent) = parse_decimal(trimmed) else {
        return Err(format!("tỉ lệ điểm \"{trimmed}\" không phải số / the grade \"{trimmed}\" is not a number"));
    };
    snap(percent).ok_or_else(|| {
        let fraction = (percent / Decimal::from(100)).normalize();
        format!(
            "điểm {fraction} ({trimmed}%) không phải mức điểm hợp lệ của Moodle (dùng ±{LISTED} %) / \
             grade {fraction} ({trimmed}%) is not a valid Moodle grade (use ±{LISTED} %)"
        )
    })
}

/// The valid grade within Moodle's tolerance of `percent`, if any.
fn snap(percent: Decimal) -> Option<Fraction> {
    // percent × 100 000 is the fraction in ten-millionths; Moodle's tolerance of 0.00000005 on
    // the fraction is half of one ten-millionth.
    let raw = percent.checked_mul(Decimal::from(100_000))?;
    let half = Decimal::new(5, 1);
    std::iter::once(0)
        .chain(POSITIVE)
        .chain(POSITIVE.map(|v| -v))
        .find(|&valid| (raw - Decimal::from(valid)).abs() < half)
        .and_then(Fraction::from_raw)
}

/// Moodle's check of a single-choice question's grades: the best option is worth exactly 100 %.
pub(crate) fn check_single(options: &[Choice]) -> Result<(), String> {
    let best = options.iter().map(|o| o.fraction).max().unwrap_or(Fraction::ZERO);
    if best == Fraction::ONE {
        return Ok(());
    }
    Err(format!(
        "câu một lựa chọn cần một phương án được 100%, điểm cao nhất là {best}% / \
         a single-choice question needs an option worth 100%; the highest grade is {best}%"
    ))
}

/// Moodle's check of a multiple-response question's grades: the positive grades add up to 100 %
/// once rounded to a whole percent.
pub(crate) fn check_multiple(options: &[Choice]) -> Result<(), String> {
    let total: i64 = options.iter().map(|o| i64::from(o.fraction.raw())).filter(|&raw| raw > 0).sum();
    let percent = phongthi_items::points::div_round_half_up(i128::from(total), 100_000);
    if percent == 100 {
        return Ok(());
    }
    Err(format!(
        "các phương án đúng của câu nhiều lựa chọn phải cộng lại thành 100%, đang là {percent}% / \
         the positive grades of a multiple-response question must add up to 100%; they add up to {percent}%"
    ))
}

/// Whether an item's grades are ones Moodle would import: every grade in Moodle's list, and the
/// choice rules above. Exporters skip (with this reason) what Moodle would refuse.
pub(crate) fn check_body(body: &Body) -> Result<(), String> {
    let fractions: Vec<Fraction> = match body {
        Body::SingleChoice { options } | Body::MultipleResponse { options } => {
            options.iter().map(|o| o.fraction).collect()
        }
        Body::ShortText { answers, .. } => answers.iter().map(|a| a.fraction).collect(),
        Body::Numeric { answers, .. } => answers.iter().map(|a| a.fraction).collect(),
        _ => Vec::new(),
    };
    if let Some(bad) = fractions.iter().find(|f| snap(f.to_percent()) != Some(**f)) {
        return Err(format!(
            "điểm {bad}% không phải mức điểm hợp lệ của Moodle, Moodle sẽ từ chối câu này / \
             grade {bad}% is not a valid Moodle grade, Moodle would refuse this question"
        ));
    }
    match body {
        Body::SingleChoice { options } => check_single(options),
        Body::MultipleResponse { options } => check_multiple(options),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moodle_grades_snap_within_tolerance() {
        assert_eq!(grade_from_percent("33.33333").map(Fraction::raw), Ok(3_333_333));
        assert_eq!(grade_from_percent("33.333333").map(Fraction::raw), Ok(3_333_333));
        assert_eq!(grade_from_percent("-14,28571").map(Fraction::raw), Ok(-1_428_571));
        assert_eq!(grade_from_percent("100").map(Fraction::raw), Ok(10_000_000));
        assert_eq!(grade_from_percent("0").map(Fraction::raw), Ok(0));
        for bad in ["33", "33.3", "150", "-150", "1", "99", "abc", ""] {
            assert!(grade_from_percent(bad).is_err(), "{bad}");
        }
        assert!(grade_from_percent("33").unwrap_err().contains("0.33"));
    }
}
