//! Vietnamese-first messages with English available (`--lang en`, or a `LANG` starting with `en`).
//!
//! Library errors already carry both languages (`vi / en`); this module picks the language of the
//! command's own output: headings, summaries and prompts.

/// The language of human output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    Vi,
    En,
}

impl Lang {
    /// `--lang` wins; otherwise `LANG`/`LC_ALL` starting with `en` means English; otherwise
    /// Vietnamese.
    pub(crate) fn detect(flag: Option<&str>) -> Lang {
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
    pub(crate) fn t<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}
