//! Marks as typed by a marker: parsed exactly with the question bank's `MilliPoints` decimal
//! parser (`.` or `,`, never a float), bounded by the question's points, with at most the
//! question's precision.

use phongthi_items::MilliPoints;

/// Decimals a mark of a question worth `max` may have: those of `max`, at least two.
pub fn allowed_decimals(max: MilliPoints) -> u32 {
    let milli = max.milli();
    let own = if milli % 1000 == 0 {
        0
    } else if milli % 100 == 0 {
        1
    } else if milli % 10 == 0 {
        2
    } else {
        3
    };
    own.max(2)
}

/// Parses a mark for a question worth `max`: a decimal with `.` or `,`, 0 ≤ points ≤ max, at most
/// [`allowed_decimals`] decimals. `None` when it is not a valid mark.
pub fn parse_mark(text: &str, max: MilliPoints) -> Option<MilliPoints> {
    let points = MilliPoints::parse(text).ok()?;
    let step = 10_i64.pow(3 - allowed_decimals(max));
    (points >= MilliPoints::ZERO && points <= max && points.milli() % step == 0).then_some(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn marks_are_exact_and_bounded() {
        let two = MilliPoints::from_milli(2_000);
        assert_eq!(parse_mark("1.5", two), Some(MilliPoints::from_milli(1_500)));
        assert_eq!(parse_mark("1,25", two), Some(MilliPoints::from_milli(1_250)));
        assert_eq!(parse_mark("0", two), Some(MilliPoints::ZERO));
        assert_eq!(parse_mark("2", two), Some(two));
        for bad in ["2.01", "-0.5", "1.125", "abc", "", "1,5,0", "1e0"] {
            assert_eq!(parse_mark(bad, two), None, "{bad}");
        }
        let odd = MilliPoints::from_milli(1_125);
        assert_eq!(allowed_decimals(odd), 3);
        assert_eq!(parse_mark("1.125", odd), Some(odd));
        assert_eq!(allowed_decimals(MilliPoints::from_milli(1_500)), 2);
    }

    proptest! {
        #[test]
        fn a_parsed_mark_is_always_within_bounds(text in "\\PC{0,12}", max in 0i64..20_000) {
            let max = MilliPoints::from_milli(max);
            if let Some(points) = parse_mark(&text, max) {
                prop_assert!(points >= MilliPoints::ZERO && points <= max);
                prop_assert_eq!(points.milli() % 10_i64.pow(3 - allowed_decimals(max)), 0);
            }
        }

        #[test]
        fn every_allowed_step_up_to_the_max_parses(max in 0i64..20_000, step in 0i64..2_000) {
            let max = MilliPoints::from_milli(max);
            let unit = 10_i64.pow(3 - allowed_decimals(max));
            let points = MilliPoints::from_milli((step * unit).min(max.milli() / unit * unit));
            prop_assert_eq!(parse_mark(&points.to_string(), max), Some(points));
        }
    }
}
