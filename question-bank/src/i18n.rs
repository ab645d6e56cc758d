//! The language of human output: Vietnamese first, English on request.
//!
//! One type for the teacher's `qbank`, the proctor's CLI and its dashboard. Texts are written in
//! place as `lang.t("Vietnamese", "English")` pairs rather than looked up by key: the code reads
//! as the user sees it, and a missing translation cannot exist. Library errors carry both
//! languages already (`vi / en`). The exam client has its own copy of this small type because
//! it must never link this crate (it holds answer keys and scoring).

/// The language of human output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt (the default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// `--lang` wins; otherwise `LC_ALL`/`LANG` starting with `en` means English; otherwise
    /// Vietnamese.
    pub fn detect(flag: Option<&str>) -> Lang {
        let chosen = flag
            .map(str::to_owned)
            .or_else(|| std::env::var("LC_ALL").ok().filter(|v| !v.is_empty()))
            .or_else(|| std::env::var("LANG").ok());
        match chosen {
            Some(value) if value.to_ascii_lowercase().starts_with("en") => Lang::En,
            _ => Lang::Vi,
        }
    }

    /// Picks the text for this language.
    pub fn t<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// The other language, for a switch button.
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn the_flag_wins_and_anything_but_english_is_vietnamese() {
        assert_eq!(Lang::detect(Some("en")), Lang::En);
        assert_eq!(Lang::detect(Some("EN_us")), Lang::En);
        assert_eq!(Lang::detect(Some("vi")), Lang::Vi);
        assert_eq!(Lang::detect(Some("fr")), Lang::Vi);
        assert_eq!(Lang::En.t("Điểm", "Score"), "Score");
        assert_eq!(Lang::Vi.other(), Lang::En);
    }
}
