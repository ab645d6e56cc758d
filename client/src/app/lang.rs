//! The language of the window's labels: Vietnamese first, English on request (`--lang en`).
//!
//! Labels are written in place as `lang.t("Vietnamese", "English")` pairs rather than looked up
//! by key: a screen reads as the student sees it, and a missing translation cannot exist.

/// The language labels are shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt (the default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Picks the text for this language.
    pub fn t<'a>(self, vietnamese: &'a str, english: &'a str) -> &'a str {
        match self {
            Lang::Vi => vietnamese,
            Lang::En => english,
        }
    }

    /// The other language, for the switch button.
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// Parses `vi` or `en` (the `--lang` option).
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}
