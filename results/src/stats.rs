//! Score statistics for the subject group's report (báo cáo thống kê): per exam and per class,
//! the count, mean, median, standard deviation and the distribution over the usual bands.
//!
//! **Inputs are the grade-book scores**: the rows of [`crate::export::rows`], i.e. integer
//! tenths already rounded half-up from milli-points (8.25 → 8.3). Statistics of the scores the
//! school records, not of unrounded points, so the report agrees with the grade book. Only
//! students with a score count; absent and not-submitted students are reported beside them.
//!
//! **Exact arithmetic.** Every figure is computed in integers and rounded half-up once to
//! hundredths (`7,45`): the mean from the sum of tenths, the median from the middle one or two
//! scores, the standard deviation with an integer square root (see [`Summary::std_dev`]).
//!
//! **Population standard deviation** (divide by *n*, Excel's `STDEV.P`): a class's scores are
//! the whole group being described, not a sample from a larger one, and a class of one student
//! then has deviation 0 instead of none.
//!
//! **Bands** (on the 10-point scale, as the Vietnamese grade bands): `0–<3,5`, `3,5–<5`,
//! `5–<6,5`, `6,5–<8`, `8–10`. A score exactly on a boundary belongs to the band it starts
//! (3,5 is in `3,5–<5`; 8,0 in `8–10`), and 10 is in the last band.

use crate::export::rows::{ExportRow, RowStatus};
use std::collections::BTreeMap;

/// The score bands, lowest first.
pub const BANDS: [ScoreBand; 5] =
    [ScoreBand::Below3_5, ScoreBand::From3_5To5, ScoreBand::From5To6_5, ScoreBand::From6_5To8, ScoreBand::From8To10];

/// A score band on the 10-point scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScoreBand {
    /// 0 to below 3.5.
    Below3_5,
    /// 3.5 to below 5.
    From3_5To5,
    /// 5 to below 6.5.
    From5To6_5,
    /// 6.5 to below 8.
    From6_5To8,
    /// 8 to 10.
    From8To10,
}

impl ScoreBand {
    /// The band of a score in tenths (35 = 3.5).
    pub fn of_tenths(tenths: i64) -> ScoreBand {
        match tenths {
            ..35 => ScoreBand::Below3_5,
            35..50 => ScoreBand::From3_5To5,
            50..65 => ScoreBand::From5To6_5,
            65..80 => ScoreBand::From6_5To8,
            _ => ScoreBand::From8To10,
        }
    }

    /// Its position in [`BANDS`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The label with the given decimal mark: `3,5–<5`.
    pub fn label(self, separator: char) -> String {
        let text = match self {
            ScoreBand::Below3_5 => "0–<3.5",
            ScoreBand::From3_5To5 => "3.5–<5",
            ScoreBand::From5To6_5 => "5–<6.5",
            ScoreBand::From6_5To8 => "6.5–<8",
            ScoreBand::From8To10 => "8–10",
        };
        text.replace('.', &separator.to_string())
    }
}

/// Statistics of a group of scores.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// The scores in tenths, ascending.
    sorted_tenths: Vec<i64>,
    /// How many scores fall in each band, in [`BANDS`] order.
    pub bands: [u32; 5],
}

impl Summary {
    /// The statistics of `scores` (tenths of a point).
    pub fn of_tenths(scores: &[i64]) -> Summary {
        let mut sorted_tenths = scores.to_vec();
        sorted_tenths.sort_unstable();
        let mut bands = [0u32; 5];
        for score in &sorted_tenths {
            bands[ScoreBand::of_tenths(*score).index()] += 1;
        }
        Summary { sorted_tenths, bands }
    }

    /// How many scores.
    pub fn count(&self) -> usize {
        self.sorted_tenths.len()
    }

    /// The mean in hundredths (745 = 7.45), rounded half-up; `None` for no scores.
    pub fn mean(&self) -> Option<i64> {
        let n = i128::try_from(self.count()).ok().filter(|n| *n > 0)?;
        let sum: i128 = self.sorted_tenths.iter().map(|t| i128::from(*t)).sum();
        // mean in hundredths = 10·sum / n, rounded half-up: ⌊(20·sum + n) / 2n⌋.
        i64::try_from((20 * sum + n).div_euclid(2 * n)).ok()
    }

    /// The median in hundredths (exact: the middle score, or the mean of the two middle ones);
    /// `None` for no scores.
    pub fn median(&self) -> Option<i64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let upper = self.sorted_tenths[n / 2];
        if n % 2 == 1 { Some(upper * 10) } else { Some((self.sorted_tenths[n / 2 - 1] + upper) * 5) }
    }

    /// The population standard deviation in hundredths, rounded half-up; `None` for no scores.
    ///
    /// With n scores x (tenths), S = Σx and Q = Σx², the deviation in tenths is √D / n where
    /// D = n·Q − S² (an exact integer, never negative). In hundredths that is √(100·D) / n, and
    /// rounding half-up is ⌊(√(400·D) + n) / 2n⌋, where the floor of the square root may be
    /// taken first because n is an integer: only integers are involved.
    pub fn std_dev(&self) -> Option<i64> {
        let n = u128::try_from(self.count()).ok().filter(|n| *n > 0)?;
        let sum: i128 = self.sorted_tenths.iter().map(|t| i128::from(*t)).sum();
        let squares: i128 = self.sorted_tenths.iter().map(|t| i128::from(*t) * i128::from(*t)).sum();
        let spread = u128::try_from(i128::try_from(n).ok()? * squares - sum * sum).ok()?;
        i64::try_from((spread.checked_mul(400)?.isqrt() + n) / (2 * n)).ok()
    }
}

/// The statistics of one class (or of the whole exam).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupStats {
    /// The class name (empty for students without one); for the whole exam, empty too.
    pub class: String,
    /// Students on the roster (sĩ số).
    pub enrolled: usize,
    /// Roster students who never logged in.
    pub absent: usize,
    /// Students who logged in but have no score.
    pub not_submitted: usize,
    /// The scores' statistics.
    pub summary: Summary,
}

/// The statistics of an exam.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExamStats {
    /// Per class, in class order.
    pub classes: Vec<GroupStats>,
    /// Every row together.
    pub overall: GroupStats,
}

/// Computes the statistics of the export rows of one exam.
pub fn exam_stats(rows: &[ExportRow]) -> ExamStats {
    let mut by_class: BTreeMap<&str, Vec<&ExportRow>> = BTreeMap::new();
    for row in rows {
        by_class.entry(row.class.as_str()).or_default().push(row);
    }
    let classes = by_class.into_iter().map(|(class, rows)| group(class, &rows)).collect();
    let all: Vec<&ExportRow> = rows.iter().collect();
    ExamStats { classes, overall: group("", &all) }
}

fn group(class: &str, rows: &[&ExportRow]) -> GroupStats {
    let scores: Vec<i64> = rows.iter().filter_map(|row| row.score_tenths).collect();
    let count = |status| rows.iter().filter(|row| row.status == status).count();
    GroupStats {
        class: class.to_owned(),
        enrolled: rows.len(),
        absent: count(RowStatus::Absent),
        not_submitted: count(RowStatus::NotSubmitted),
        summary: Summary::of_tenths(&scores),
    }
}

/// Hundredths as text with two decimals: `7,45`, `10,00`.
pub fn format_hundredths(hundredths: i64, separator: char) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let magnitude = hundredths.unsigned_abs();
    format!("{sign}{}{separator}{:02}", magnitude / 100, magnitude % 100)
}

/// `Some` hundredths as text, `None` as `—`.
pub fn format_optional(hundredths: Option<i64>, separator: char) -> String {
    hundredths.map_or_else(|| "—".to_owned(), |value| format_hundredths(value, separator))
}

#[cfg(test)]
mod tests;
