//! Exact units for scores: points in thousandths and credit fractions in ten-millionths.
//!
//! Binary floats never touch a score (invariant 5 in `ARCHITECTURE.md`): 0.1 + 0.25 + 0.5 must be
//! exactly 0.85. Points are integer milli-points. Credit fractions use Moodle's own precision of
//! seven decimals (`33.33333%` = `0.3333333`), so every fraction a Moodle or GIFT file can hold is
//! represented exactly; the only rounding happens once, at a documented place
//! ([`MilliPoints::scale_by`]), half-up.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign};
use std::str::FromStr;

/// Points in thousandths of a point: `MilliPoints(250)` is 0.25 point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MilliPoints(i64);

impl MilliPoints {
    /// No points.
    pub const ZERO: Self = Self(0);

    /// From a count of thousandths.
    pub const fn from_milli(milli: i64) -> Self {
        Self(milli)
    }

    /// The count of thousandths.
    pub const fn milli(self) -> i64 {
        self.0
    }

    /// Parses `0.25`, `0,25`, `1` or `10.000`; more than three decimals or a sign on a point
    /// value is refused rather than rounded, because a teacher who wrote `0.3333` meant something
    /// the store cannot hold exactly.
    pub fn parse(text: &str) -> Result<Self, PointsError> {
        let decimal = parse_decimal(text).ok_or_else(|| PointsError::NotANumber(text.to_owned()))?;
        Self::from_decimal(decimal).ok_or_else(|| PointsError::TooPrecise(text.to_owned()))
    }

    /// Converts an exact decimal with at most three decimals; `None` when it has more or is huge.
    pub fn from_decimal(value: Decimal) -> Option<Self> {
        let milli = value.checked_mul(Decimal::from(1000))?;
        if milli.fract() != Decimal::ZERO {
            return None;
        }
        milli.to_i64().map(Self)
    }

    /// This many points as an exact decimal.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 3)
    }

    /// `self × fraction`, rounded half-up (away from zero on ties) to a whole milli-point.
    ///
    /// This is the single rounding point of item scoring: partial credit such as 33.33333% of
    /// 1 point is 333.3333 milli-points and becomes 333.
    pub fn scale_by(self, fraction: Fraction) -> Self {
        let product = i128::from(self.0) * i128::from(fraction.raw());
        Self(div_round_half_up(product, i128::from(Fraction::ONE.raw())) as i64)
    }
}

impl Add for MilliPoints {
    type Output = Self;
    fn add(self, rhs: Self) -> Self {
        Self(self.0 + rhs.0)
    }
}

impl AddAssign for MilliPoints {
    fn add_assign(&mut self, rhs: Self) {
        self.0 += rhs.0;
    }
}

impl Sum for MilliPoints {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, Add::add)
    }
}

impl fmt::Display for MilliPoints {
    /// Shortest exact decimal: `0.25`, `1`, `8.3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_decimal().normalize())
    }
}

impl FromStr for MilliPoints {
    type Err = PointsError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A share of an item's points in ten-millionths: `Fraction::ONE` is 100 %, and negative values
/// are the penalties Moodle allows on wrong options of multiple-response items.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fraction(i32);

impl Fraction {
    /// No credit.
    pub const ZERO: Self = Self(0);
    /// Full credit (100 %).
    pub const ONE: Self = Self(10_000_000);

    /// From ten-millionths; values outside −100 %..=100 % are refused.
    pub fn from_raw(raw: i32) -> Option<Self> {
        (-Self::ONE.0..=Self::ONE.0).contains(&raw).then_some(Self(raw))
    }

    /// Ten-millionths.
    pub const fn raw(self) -> i32 {
        self.0
    }

    /// Parses a percentage as GIFT and Moodle write it (`50`, `-33.33333`, `83,33333`).
    pub fn parse_percent(text: &str) -> Result<Self, PointsError> {
        let decimal = parse_decimal(text).ok_or_else(|| PointsError::NotANumber(text.to_owned()))?;
        Self::from_percent(decimal).ok_or_else(|| PointsError::BadFraction(text.to_owned()))
    }

    /// From an exact percentage with at most five decimals, within −100..=100.
    pub fn from_percent(percent: Decimal) -> Option<Self> {
        let raw = percent.checked_mul(Decimal::from(100_000))?;
        if raw.fract() != Decimal::ZERO {
            return None;
        }
        Self::from_raw(raw.to_i32()?)
    }

    /// From a Moodle XML `fraction` value, which is a percentage like `fraction="50"`.
    pub fn to_percent(self) -> Decimal {
        Decimal::new(i64::from(self.0), 5)
    }

    /// Whether this is full credit.
    pub fn is_full(self) -> bool {
        self == Self::ONE
    }

    /// Sum clamped to 0..=100 %: Moodle floors a multiple-response item at zero and caps it at
    /// full credit.
    pub fn clamped_sum(parts: impl IntoIterator<Item = Self>) -> Self {
        let total: i64 = parts.into_iter().map(|f| i64::from(f.0)).sum();
        Self(total.clamp(0, i64::from(Self::ONE.0)) as i32)
    }
}

impl fmt::Display for Fraction {
    /// As a percentage without a sign for positive values: `50`, `-33.33333`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_percent().normalize())
    }
}

/// What is wrong with a points or percentage value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PointsError {
    /// Not a decimal number at all.
    #[error("không phải số / not a number: {0:?}")]
    NotANumber(String),
    /// A points value with more than three decimals or out of range.
    #[error("điểm có quá 3 chữ số thập phân / points need at most 3 decimals: {0:?}")]
    TooPrecise(String),
    /// A percentage outside −100..=100 or with more than five decimals.
    #[error("tỉ lệ điểm phải từ -100 đến 100 / credit must be a percentage from -100 to 100: {0:?}")]
    BadFraction(String),
}

/// Parses a plain decimal written with `.` or the Vietnamese decimal comma `,`.
///
/// Thousands separators are not accepted: `1,5` is one and a half, never fifteen.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let trimmed = text.trim();
    if trimmed.is_empty()
        || trimmed.matches([',', '.']).count() > 1
        || !trimmed
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == ',' || c == '.' || (i == 0 && (c == '-' || c == '+')))
    {
        return None;
    }
    let unsigned = trimmed.trim_start_matches(['-', '+']);
    if !unsigned.starts_with(|c: char| c.is_ascii_digit()) && !unsigned.starts_with([',', '.']) {
        return None;
    }
    if !unsigned.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Decimal::from_str(&trimmed.replace(',', ".")).ok()
}

/// `numerator / denominator` rounded half-up (ties away from zero), for a positive denominator.
pub fn div_round_half_up(numerator: i128, denominator: i128) -> i128 {
    debug_assert!(denominator > 0);
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder.abs() * 2 >= denominator { quotient + numerator.signum() } else { quotient }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_cluster_points_add_exactly() {
        let sum: MilliPoints = ["0.1", "0.25", "0.5"].iter().map(|t| MilliPoints::parse(t).unwrap()).sum();
        assert_eq!(sum, MilliPoints::from_milli(850));
        assert_eq!(sum.to_string(), "0.85");
    }

    #[test]
    fn points_parse_decimal_comma_and_refuse_rounding() {
        assert_eq!(MilliPoints::parse("0,25"), Ok(MilliPoints::from_milli(250)));
        assert_eq!(MilliPoints::parse("10"), Ok(MilliPoints::from_milli(10_000)));
        assert!(matches!(MilliPoints::parse("0.3333"), Err(PointsError::TooPrecise(_))));
        assert!(matches!(MilliPoints::parse("1,000.5"), Err(PointsError::NotANumber(_))));
        assert!(matches!(MilliPoints::parse("abc"), Err(PointsError::NotANumber(_))));
    }

    #[test]
    fn moodle_fractions_are_exact() {
        let third = Fraction::parse_percent("33.33333").unwrap();
        assert_eq!(third.raw(), 3_333_333);
        assert_eq!(MilliPoints::from_milli(1000).scale_by(third), MilliPoints::from_milli(333));
        assert_eq!(Fraction::parse_percent("-100").unwrap().raw(), -10_000_000);
        assert!(Fraction::parse_percent("150").is_err());
        assert!(Fraction::parse_percent("33.333333").is_err());
    }

    #[test]
    fn clamped_sum_floors_at_zero() {
        let half = Fraction::parse_percent("50").unwrap();
        let minus = Fraction::parse_percent("-100").unwrap();
        assert_eq!(Fraction::clamped_sum([half, minus]), Fraction::ZERO);
        assert_eq!(Fraction::clamped_sum([half, half, half]), Fraction::ONE);
    }

    #[test]
    fn rounding_is_half_up_away_from_zero() {
        assert_eq!(div_round_half_up(825, 100), 8);
        assert_eq!(div_round_half_up(850, 100), 9);
        assert_eq!(div_round_half_up(-850, 100), -9);
        assert_eq!(div_round_half_up(849, 100), 8);
    }

    #[test]
    fn decimal_parser_rejects_junk() {
        for bad in ["", "-", ",", "1.2.3", "1,2,3", "1e5", "--1", "1-", " + "] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
        assert_eq!(parse_decimal("-1,5"), Some(Decimal::new(-15, 1)));
        assert_eq!(parse_decimal(",5"), Some(Decimal::new(5, 1)));
    }
}
