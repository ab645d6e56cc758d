//! Calendar dates as rosters write them (dates of birth): `dd/mm/yyyy` the Vietnamese way, its
//! `d/m/yyyy` and `dd-mm-yyyy` variants, and ISO `yyyy-mm-dd`. No time, no time zone.

use std::fmt;

/// A real calendar date (proleptic Gregorian): 29/02/2012 exists, 29/02/2010 and 31/04/2010 do
/// not. Shown as `dd/mm/yyyy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order makes the derived `Ord` chronological.
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if it exists. Years run from 1 to 9999.
    pub fn new(day: u8, month: u8, year: u16) -> Option<Date> {
        let valid = (1..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in(month, year);
        valid.then_some(Date { year, month, day })
    }

    /// Reads `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy` (`d-m-yyyy`) or `yyyy-mm-dd`, surrounding
    /// spaces allowed. The year always has four digits, so `05/03/10` is refused rather than
    /// guessed.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let separator = if text.contains('/') { '/' } else { '-' };
        let parts: Vec<&str> = text.split(separator).collect();
        let [first, second, third] = parts.as_slice() else { return None };
        let (day, month, year) =
            if first.len() == 4 && separator == '-' { (third, second, first) } else { (first, second, third) };
        if !(1..=2).contains(&day.len()) || !(1..=2).contains(&month.len()) || year.len() != 4 {
            return None;
        }
        Date::new(digits(day)?, digits(month)?, digits(year)?)
    }

    /// Day of the month, 1–31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// Year, 1–9999.
    pub fn year(self) -> u16 {
        self.year
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }
}

/// ASCII digits only: `str::parse` would also take a leading `+`.
fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.bytes().all(|b| b.is_ascii_digit()) { text.parse().ok() } else { None }
}

fn days_in(month: u8, year: u16) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn is_leap_year(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<(u8, u8, u16)>) {
        let parsed = Date::parse(text).map(|date| (date.day(), date.month(), date.year()));
        assert_eq!(parsed, expected, "{text:?}");
    }

    #[test]
    fn formats_schools_use() {
        check("05/03/2010", Some((5, 3, 2010)));
        check("5/3/2010", Some((5, 3, 2010)));
        check(" 17/11/2010 ", Some((17, 11, 2010)));
        check("05-03-2010", Some((5, 3, 2010)));
        check("5-3-2010", Some((5, 3, 2010)));
        check("2010-03-05", Some((5, 3, 2010)));
        check("29/02/2012", Some((29, 2, 2012)));
        check("29/02/2000", Some((29, 2, 2000)));
        check("31/12/2009", Some((31, 12, 2009)));
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for text in [
            "",
            "29/02/2010",
            "29/02/1900",
            "31/04/2010",
            "00/01/2010",
            "01/13/2010",
            "01/00/2010",
            "05/03/10",
            "2010/03/05",
            "05-03/2010",
            "05/03/2010/1",
            "+5/03/2010",
            "05/03/20١٠",
            "005/03/2010",
            "mùng 5 tháng 3",
            "05/03/0000",
            "2010-3-05x",
        ] {
            check(text, None);
        }
    }

    #[test]
    fn display_and_order() {
        let date = Date::new(5, 3, 2010).unwrap();
        assert_eq!(date.to_string(), "05/03/2010");
        assert!(Date::new(31, 12, 2009).unwrap() < date);
        assert!(Date::new(4, 3, 2010).unwrap() < date);
        assert_eq!(Date::new(30, 2, 2012), None);
    }
}
