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

/// An error and its causes on one line, for a command's last word. A cause is added only when
/// its text is not already in what was said: library errors put their cause in their own message
/// (`cannot read de.exam: No such file or directory`), and printing the chain as well would say
/// it twice.
pub fn describe_error(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod describe_tests {
    #[derive(Debug, thiserror::Error)]
    #[error("không đọc được de.exam: {source} / cannot read de.exam: {source}")]
    struct Read {
        source: std::io::Error,
    }

    #[derive(Debug, thiserror::Error)]
    #[error("thêm đề / adding the exam")]
    struct Adding(#[source] Read);

    #[test]
    fn a_cause_is_said_once() {
        let read = Read { source: std::io::Error::other("hết chỗ / no space") };
        assert_eq!(
            super::describe_error(&read),
            "không đọc được de.exam: hết chỗ / no space / cannot read de.exam: hết chỗ / no space"
        );
        let adding = Adding(Read { source: std::io::Error::other("x") });
        assert_eq!(
            super::describe_error(&adding),
            "thêm đề / adding the exam: không đọc được de.exam: x / cannot read de.exam: x"
        );
    }
}
