//! Our own `phongthi:` tags, which carry what Moodle XML has no element for (cognitive level,
//! pinned options, Word-style groups, the four-character answer rule, all-or-nothing matching,
//! and the blank of a missing-word question) so that export → import gives back the same item.
//!
//! Moodle keeps unknown tags as ordinary tags, so a file we export still imports into Moodle, and
//! a teacher can even write these tags by hand there.

use phongthi_items::Level;

/// Prefix shared by every convention tag.
pub(super) const PREFIX: &str = "phongthi:";

/// One convention tag, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Convention {
    /// `phongthi:level=hieu`: the item's cognitive level.
    Level(Level),
    /// `phongthi:pin=D`: option D (0-based index 3) never moves when options are shuffled.
    Pin(usize),
    /// `phongthi:group=Nhóm 1`: the item's shuffle group.
    Group(String),
    /// `phongthi:four-char-rule`: a numeric answer must fit the 4-character answer sheet.
    FourCharRule,
    /// `phongthi:scoring=all-or-nothing`: a matching item scores only when every pair is right.
    AllOrNothing,
    /// `phongthi:blank-at=N`: the question text is `stem _____ tail` with the blank after
    /// character `N`.
    BlankAt(usize),
}

/// The blank written between a missing-word question's stem and tail.
pub(super) const BLANK: &str = "_____";

impl Convention {
    /// Parses a tag starting with [`PREFIX`]; `None` for ordinary tags, `Some(Err)` for a
    /// convention tag with a bad value.
    pub(super) fn parse(tag: &str) -> Option<Result<Self, String>> {
        let rest = tag.strip_prefix(PREFIX)?;
        let (key, value) = rest.split_once('=').unwrap_or((rest, ""));
        let parsed = match key {
            "level" => Level::parse(value).map(Convention::Level).ok_or_else(|| {
                format!(
                    "mức độ \"{value}\" không hợp lệ (biet, hieu, van-dung, van-dung-cao) / \
                     unknown level \"{value}\" (biet, hieu, van-dung, van-dung-cao)"
                )
            }),
            "pin" => parse_option_label(value).map(Convention::Pin).ok_or_else(|| {
                format!("phương án ghim \"{value}\" không hợp lệ / pinned option \"{value}\" is not a letter A–Z")
            }),
            "group" if !value.trim().is_empty() => Ok(Convention::Group(value.trim().to_owned())),
            "group" => Err("tên nhóm để trống / the group name is empty".to_owned()),
            "four-char-rule" => Ok(Convention::FourCharRule),
            "scoring" if value == "all-or-nothing" => Ok(Convention::AllOrNothing),
            "scoring" => Err(format!("cách chấm \"{value}\" không hợp lệ / unknown scoring \"{value}\"")),
            "blank-at" => value
                .parse()
                .map(Convention::BlankAt)
                .map_err(|_| format!("vị trí chỗ trống \"{value}\" không hợp lệ / bad blank position \"{value}\"")),
            // A future convention this version does not know stays an ordinary tag.
            _ => return None,
        };
        Some(parsed)
    }

    /// The tag text.
    pub(super) fn tag(&self) -> String {
        match self {
            Convention::Level(level) => format!("{PREFIX}level={}", level.ascii()),
            Convention::Pin(index) => format!("{PREFIX}pin={}", option_label(*index)),
            Convention::Group(group) => format!("{PREFIX}group={group}"),
            Convention::FourCharRule => format!("{PREFIX}four-char-rule"),
            Convention::AllOrNothing => format!("{PREFIX}scoring=all-or-nothing"),
            Convention::BlankAt(at) => format!("{PREFIX}blank-at={at}"),
        }
    }
}

/// `A`…`Z` for the first 26 options, then the 1-based number (options beyond Z are rare but legal).
fn option_label(index: usize) -> String {
    match u8::try_from(index) {
        Ok(small) if small < 26 => char::from(b'A' + small).to_string(),
        _ => (index + 1).to_string(),
    }
}

/// The inverse of [`option_label`].
fn parse_option_label(label: &str) -> Option<usize> {
    let label = label.trim();
    match label.as_bytes() {
        [letter @ b'A'..=b'Z'] => Some(usize::from(letter - b'A')),
        _ => label.parse::<usize>().ok().filter(|n| *n > 26).map(|n| n - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_convention_reads_back_what_it_writes() {
        let all = [
            Convention::Level(Level::VanDungCao),
            Convention::Pin(0),
            Convention::Pin(3),
            Convention::Pin(30),
            Convention::Group("Nhóm 1".to_owned()),
            Convention::FourCharRule,
            Convention::AllOrNothing,
            Convention::BlankAt(17),
        ];
        for convention in all {
            assert_eq!(Convention::parse(&convention.tag()), Some(Ok(convention.clone())), "{convention:?}");
        }
    }

    #[test]
    fn ordinary_and_unknown_tags_are_not_conventions() {
        assert_eq!(Convention::parse("hàm số"), None);
        assert_eq!(Convention::parse("phongthi:future=1"), None);
    }

    #[test]
    fn bad_values_are_errors() {
        for bad in ["phongthi:level=kho", "phongthi:pin=d", "phongthi:pin=5", "phongthi:group= ", "phongthi:scoring=x"]
        {
            assert!(matches!(Convention::parse(bad), Some(Err(_))), "{bad}");
        }
    }
}
