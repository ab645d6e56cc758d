//! The notations of the `answer`, `tolerance`, `pin` and `four_char` cells, and the exact credit
//! split of multiple-response items.
//!
//! Each function reads one cell's text and returns the value or a bilingual message; the row
//! reader adds file, row and column. Exports use the same functions' inverses, so what is written
//! reads back unchanged.

use super::columns::OPTION_COUNT;
use phongthi_items::text::fold_for_search;
use phongthi_items::{Fraction, parse_decimal};
use rust_decimal::Decimal;

/// Option letters in column order.
pub(crate) const LETTERS: [char; OPTION_COUNT] = ['A', 'B', 'C', 'D', 'E', 'F'];

/// Reads option letters (`AC`, `a, c`, `A;C`): indices in the order written. Separators (spaces,
/// `,`, `;`) are allowed because teachers write `A, C` as often as `AC`.
pub(crate) fn option_letters(text: &str) -> Result<Vec<usize>, String> {
    let mut indices = Vec::new();
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != ',' && *c != ';') {
        let upper = c.to_ascii_uppercase();
        let Some(index) = LETTERS.iter().position(|letter| *letter == upper) else {
            return Err(format!("\"{c}\" không phải chữ cái phương án (A–F) / \"{c}\" is not an option letter (A–F)"));
        };
        if indices.contains(&index) {
            return Err(format!("chữ cái {upper} lặp lại / letter {upper} is repeated"));
        }
        indices.push(index);
    }
    if indices.is_empty() {
        return Err("không có chữ cái phương án nào / no option letter given".to_owned());
    }
    Ok(indices)
}

/// Reads a cluster key (`ĐSĐS`; `D`/`S` and `T`/`F` too): one truth value per statement.
pub(crate) fn cluster_key(text: &str) -> Result<Vec<bool>, String> {
    let mut key = Vec::new();
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != ',' && *c != ';') {
        match c {
            'Đ' | 'đ' | 'D' | 'd' | 'T' | 't' => key.push(true),
            'S' | 's' | 'F' | 'f' => key.push(false),
            other => {
                return Err(format!("\"{other}\" không phải Đ hoặc S / \"{other}\" is neither Đ (true) nor S (false)"));
            }
        }
    }
    Ok(key)
}

/// Reads a true/false key: `Đúng`/`Sai`, `Đ`/`S`, `D`, `True`/`False`, `T`/`F`, any case.
pub(crate) fn true_false_key(text: &str) -> Result<bool, String> {
    match fold_for_search(text.trim()).as_str() {
        "dung" | "d" | "true" | "t" => Ok(true),
        "sai" | "s" | "false" | "f" => Ok(false),
        _ => Err(format!("\"{text}\" không phải Đúng hoặc Sai / \"{text}\" is neither Đúng (true) nor Sai (false)")),
    }
}

/// Reads the accepted answers of a short-text item, separated by `|`.
pub(crate) fn text_alternatives(text: &str) -> Result<Vec<String>, String> {
    let alternatives: Vec<String> = text.split('|').map(|a| a.trim().to_owned()).collect();
    if alternatives.iter().any(String::is_empty) {
        return Err("có đáp án trống giữa các dấu | / an accepted answer between the | separators is empty".to_owned());
    }
    Ok(alternatives)
}

/// Reads an exact decimal written with `,` or `.`.
pub(crate) fn decimal(text: &str) -> Result<Decimal, String> {
    parse_decimal(text).ok_or_else(|| format!("\"{text}\" không phải số / \"{text}\" is not a number"))
}

/// Reads a tolerance: an exact decimal, not negative.
pub(crate) fn tolerance(text: &str) -> Result<Decimal, String> {
    let value = decimal(text)?;
    if value < Decimal::ZERO {
        return Err(format!("sai số \"{text}\" không được âm / tolerance \"{text}\" must not be negative"));
    }
    Ok(value)
}

/// Reads a yes/no cell: `1`/`0`, `yes`/`no`, `có`/`không`, `true`/`false`, `x` for yes.
pub(crate) fn yes_no(text: &str) -> Result<bool, String> {
    match fold_for_search(text.trim()).as_str() {
        "1" | "yes" | "y" | "co" | "true" | "x" => Ok(true),
        "0" | "no" | "n" | "khong" | "false" => Ok(false),
        _ => Err(format!("\"{text}\" không phải có/không (1/0) / \"{text}\" is not yes/no (1/0)")),
    }
}

/// Whether a key is written as the answer sheet's 4 boxes allow: at most 4 characters from `-`,
/// digits and one decimal comma (`-1,5`, `75`). `4.5` does not fit: the sheet has no point.
pub(crate) fn fits_four_char(written: &str) -> bool {
    let length = written.chars().count();
    (1..=4).contains(&length)
        && written.chars().all(|c| c == '-' || c == ',' || c.is_ascii_digit())
        && written.matches(',').count() <= 1
        && written.chars().any(|c| c.is_ascii_digit())
}

/// How a numeric key is written with the Vietnamese decimal comma, keeping its scale: `4,50`.
pub(crate) fn comma_text(value: Decimal) -> String {
    value.to_string().replace('.', ",")
}

/// Splits `total` into `parts` shares that add up to exactly `total`, the larger shares first:
/// 100 % in three is 33.33334 + 33.33333 + 33.33333.
pub(crate) fn split_evenly(total: Fraction, parts: usize) -> Vec<Fraction> {
    let Ok(count) = i32::try_from(parts) else { return Vec::new() };
    if count == 0 {
        return Vec::new();
    }
    let base = total.raw() / count;
    let remainder = (total.raw() % count).unsigned_abs() as usize;
    let extra = total.raw().signum();
    (0..parts)
        .map(|i| Fraction::from_raw(if i < remainder { base + extra } else { base }).unwrap_or_default())
        .collect()
}

/// The fractions of a multiple-response item with `options` options of which `correct` are
/// right: the right ones share +100 %, the wrong ones −100 %, so ticking everything scores 0.
pub(crate) fn multiple_response_fractions(options: usize, correct: &[usize]) -> Vec<Fraction> {
    let right_count = (0..options).filter(|i| correct.contains(i)).count();
    let mut right = split_evenly(Fraction::ONE, right_count).into_iter();
    let minus_one = Fraction::from_raw(-Fraction::ONE.raw()).unwrap_or_default();
    let mut wrong = split_evenly(minus_one, options - right_count).into_iter();
    (0..options).map(|i| if correct.contains(&i) { right.next() } else { wrong.next() }.unwrap_or_default()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        fn check(text: &str, expected: Result<Vec<usize>, &str>) {
            match (option_letters(text), expected) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{text:?}"),
                (Err(got), Err(fragment)) => assert!(got.contains(fragment), "{text:?}: {got}"),
                (got, want) => panic!("{text:?}: got {got:?}, want {want:?}"),
            }
        }
        check("B", Ok(vec![1]));
        check("AC", Ok(vec![0, 2]));
        check("a, d", Ok(vec![0, 3]));
        check("C;A", Ok(vec![2, 0]));
        check("G", Err("not an option letter"));
        check("AA", Err("repeated"));
        check(" , ", Err("no option letter"));
    }

    #[test]
    fn cluster_keys_accept_every_spelling() {
        for (text, expected) in [
            ("ĐSĐS", vec![true, false, true, false]),
            ("đđss", vec![true, true, false, false]),
            ("DSDS", vec![true, false, true, false]),
            ("TFFT", vec![true, false, false, true]),
            ("Đ S Đ", vec![true, false, true]),
        ] {
            assert_eq!(cluster_key(text), Ok(expected), "{text:?}");
        }
        assert!(cluster_key("ĐX").is_err_and(|m| m.contains("\"X\"")));
    }

    #[test]
    fn true_false_keys() {
        for (text, expected) in
            [("Đúng", true), ("ĐÚNG", true), ("đ", true), ("D", true), ("True", true), ("T", true), ("TRUE", true)]
        {
            assert_eq!(true_false_key(text), Ok(expected), "{text:?}");
        }
        for (text, expected) in [("Sai", false), ("s", false), ("False", false), ("F", false)] {
            assert_eq!(true_false_key(text), Ok(expected), "{text:?}");
        }
        assert!(true_false_key("Có lẽ").is_err());
    }

    #[test]
    fn four_char_rule() {
        for (written, fits) in [
            ("5", true),
            ("-1,5", true),
            ("75", true),
            ("4,5", true),
            ("1234", true),
            ("4.5", false),
            ("12345", false),
            ("-1,25", false),
            ("1,2,", false),
            ("-", false),
            ("", false),
        ] {
            assert_eq!(fits_four_char(written), fits, "{written:?}");
        }
    }

    #[test]
    fn shares_add_up_exactly() {
        let third: Vec<i32> = split_evenly(Fraction::ONE, 3).iter().map(|f| f.raw()).collect();
        assert_eq!(third, [3_333_334, 3_333_333, 3_333_333]);
        let minus_one = Fraction::from_raw(-10_000_000).unwrap();
        let negative: Vec<i32> = split_evenly(minus_one, 3).iter().map(|f| f.raw()).collect();
        assert_eq!(negative, [-3_333_334, -3_333_333, -3_333_333]);
        for parts in 1..=6 {
            let sum: i32 = split_evenly(Fraction::ONE, parts).iter().map(|f| f.raw()).sum();
            assert_eq!(sum, Fraction::ONE.raw(), "{parts} parts");
        }
        assert!(split_evenly(Fraction::ONE, 0).is_empty());
    }

    #[test]
    fn multiple_response_ticking_everything_scores_zero() {
        for options in 2..=6 {
            for correct_count in 1..=options {
                let correct: Vec<usize> = (0..correct_count).collect();
                let fractions = multiple_response_fractions(options, &correct);
                assert_eq!(fractions.len(), options);
                let right: i32 = fractions.iter().filter(|f| f.raw() > 0).map(|f| f.raw()).sum();
                assert_eq!(right, Fraction::ONE.raw());
                if correct_count < options {
                    assert_eq!(Fraction::clamped_sum(fractions.iter().copied()), Fraction::ZERO);
                    let total: i32 = fractions.iter().map(|f| f.raw()).sum();
                    assert_eq!(total, 0);
                }
            }
        }
    }
}
