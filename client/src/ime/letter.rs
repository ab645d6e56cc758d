//! Vietnamese letters as data: a base letter, a quality mark (circumflex, breve, horn, or the
//! stroke of `đ`), a tone and a case, with exact conversion to and from precomposed characters.
//!
//! The input method edits these fields instead of code points, so every transformation is a
//! field change ("put a horn on this `o`") and the text it renders is NFC by construction: every
//! character comes from the precomposed table below.

/// The six tones of Vietnamese, in the order of the rows in [`VOWEL_ROWS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// Thanh ngang: no mark.
    Level,
    /// Thanh huyền: `à`.
    Grave,
    /// Thanh sắc: `á`.
    Acute,
    /// Thanh hỏi: `ả`.
    Hook,
    /// Thanh ngã: `ã`.
    Tilde,
    /// Thanh nặng: `ạ`.
    Dot,
}

impl Tone {
    const ALL: [Tone; 6] = [Tone::Level, Tone::Grave, Tone::Acute, Tone::Hook, Tone::Tilde, Tone::Dot];

    fn index(self) -> usize {
        match self {
            Tone::Level => 0,
            Tone::Grave => 1,
            Tone::Acute => 2,
            Tone::Hook => 3,
            Tone::Tilde => 4,
            Tone::Dot => 5,
        }
    }
}

/// The quality mark of a letter: what turns `a` into `â`/`ă`, `o` into `ô`/`ơ`, `u` into `ư`,
/// `e` into `ê`, and `d` into `đ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// No quality mark.
    None,
    /// Dấu mũ: `â ê ô`.
    Circumflex,
    /// Dấu trăng: `ă`.
    Breve,
    /// Dấu móc: `ơ ư`.
    Horn,
    /// The bar of `đ`.
    Stroke,
}

/// One row per vowel and quality mark: the six tones of that vowel, level first.
const VOWEL_ROWS: [(char, Mark, &str); 12] = [
    ('a', Mark::None, "aàáảãạ"),
    ('a', Mark::Breve, "ăằắẳẵặ"),
    ('a', Mark::Circumflex, "âầấẩẫậ"),
    ('e', Mark::None, "eèéẻẽẹ"),
    ('e', Mark::Circumflex, "êềếểễệ"),
    ('i', Mark::None, "iìíỉĩị"),
    ('o', Mark::None, "oòóỏõọ"),
    ('o', Mark::Circumflex, "ôồốổỗộ"),
    ('o', Mark::Horn, "ơờớởỡợ"),
    ('u', Mark::None, "uùúủũụ"),
    ('u', Mark::Horn, "ưừứửữự"),
    ('y', Mark::None, "yỳýỷỹỵ"),
];

/// Whether `base` is one of the six vowel letters (`a e i o u y`).
pub(crate) fn is_vowel_base(base: char) -> bool {
    matches!(base, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// A Latin letter the input method understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Letter {
    /// The ASCII lower-case base letter (`'d'` for `đ`).
    pub(crate) base: char,
    pub(crate) mark: Mark,
    pub(crate) tone: Tone,
    pub(crate) upper: bool,
}

impl Letter {
    /// A plain letter with neither mark nor tone.
    pub(crate) fn plain(base: char, upper: bool) -> Letter {
        Letter { base, mark: Mark::None, tone: Tone::Level, upper }
    }

    /// Whether the letter carries anything that plain ASCII typing would not give.
    pub(crate) fn is_transformed(&self) -> bool {
        self.mark != Mark::None || self.tone != Tone::Level
    }

    /// The precomposed character. Combinations that Vietnamese does not have (which the input
    /// method never builds) fall back to the letter without its tone, then without its mark.
    pub(crate) fn to_char(self) -> char {
        let lower = self.lower_char();
        if self.upper {
            let mut upper = lower.to_uppercase();
            match (upper.next(), upper.next()) {
                (Some(single), None) => single,
                _ => lower,
            }
        } else {
            lower
        }
    }

    fn lower_char(self) -> char {
        if self.base == 'd' && self.mark == Mark::Stroke {
            return 'đ';
        }
        let row = VOWEL_ROWS
            .iter()
            .find(|(base, mark, _)| *base == self.base && *mark == self.mark)
            .or_else(|| VOWEL_ROWS.iter().find(|(base, mark, _)| *base == self.base && *mark == Mark::None));
        match row {
            Some((_, _, tones)) => tones.chars().nth(self.tone.index()).unwrap_or(self.base),
            None => self.base,
        }
    }

    /// The letter a character is, if it is an ASCII letter or a Vietnamese letter (`đ`, `ơ`,
    /// `ấ`, …); `None` for anything else: digits, other scripts, `ç`, combining marks.
    pub(crate) fn from_char(character: char) -> Option<Letter> {
        let mut lower_chars = character.to_lowercase();
        let lower = match (lower_chars.next(), lower_chars.next()) {
            (Some(single), None) => single,
            _ => return None,
        };
        let upper = lower != character;
        let letter = if lower.is_ascii_lowercase() {
            Letter::plain(lower, upper)
        } else if lower == 'đ' {
            Letter { base: 'd', mark: Mark::Stroke, tone: Tone::Level, upper }
        } else {
            let (base, mark, tone) = VOWEL_ROWS.iter().find_map(|(base, mark, tones)| {
                let index = tones.chars().position(|candidate| candidate == lower)?;
                Some((*base, *mark, Tone::ALL[index]))
            })?;
            Letter { base, mark, tone, upper }
        };
        // Compatibility characters such as the Kelvin sign lower-case to an ASCII letter but do
        // not come back from it; they are not letters the input method may rewrite.
        (letter.to_char() == character).then_some(letter)
    }
}

/// One character of the word being composed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Glyph {
    /// A Latin letter the input method may transform.
    Letter(Letter),
    /// Anything else kept in the word as typed: digits, other scripts, combining marks.
    Other(char),
}

impl Glyph {
    pub(crate) fn from_char(character: char) -> Glyph {
        match Letter::from_char(character) {
            Some(letter) => Glyph::Letter(letter),
            None => Glyph::Other(character),
        }
    }

    pub(crate) fn to_char(self) -> char {
        match self {
            Glyph::Letter(letter) => letter.to_char(),
            Glyph::Other(character) => character,
        }
    }

    pub(crate) fn letter(&self) -> Option<&Letter> {
        match self {
            Glyph::Letter(letter) => Some(letter),
            Glyph::Other(_) => None,
        }
    }

    pub(crate) fn letter_mut(&mut self) -> Option<&mut Letter> {
        match self {
            Glyph::Letter(letter) => Some(letter),
            Glyph::Other(_) => None,
        }
    }
}

/// The text of a word.
pub(crate) fn render(word: &[Glyph]) -> String {
    word.iter().map(|glyph| glyph.to_char()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn combining_mark(mark: Mark) -> &'static str {
        match mark {
            Mark::None | Mark::Stroke => "",
            Mark::Circumflex => "\u{302}",
            Mark::Breve => "\u{306}",
            Mark::Horn => "\u{31B}",
        }
    }

    fn combining_tone(tone: Tone) -> &'static str {
        match tone {
            Tone::Level => "",
            Tone::Grave => "\u{300}",
            Tone::Acute => "\u{301}",
            Tone::Hook => "\u{309}",
            Tone::Tilde => "\u{303}",
            Tone::Dot => "\u{323}",
        }
    }

    /// The hand-written table must agree with Unicode: base + mark + tone composes to the entry.
    #[test]
    fn every_table_entry_is_the_nfc_of_its_parts() {
        for (base, mark, tones) in VOWEL_ROWS {
            assert_eq!(tones.chars().count(), 6, "{tones}");
            for (tone, precomposed) in Tone::ALL.into_iter().zip(tones.chars()) {
                let parts = format!("{base}{}{}", combining_mark(mark), combining_tone(tone));
                assert_eq!(parts.nfc().collect::<String>(), precomposed.to_string(), "{base} {mark:?} {tone:?}");
                let letter = Letter::from_char(precomposed).unwrap();
                assert_eq!(letter, Letter { base, mark, tone, upper: false });
                let upper_char = letter_with_upper(letter).to_char();
                assert_eq!(upper_char.to_string(), precomposed.to_uppercase().to_string());
                assert_eq!(Letter::from_char(upper_char), Some(letter_with_upper(letter)));
            }
        }
    }

    fn letter_with_upper(letter: Letter) -> Letter {
        Letter { upper: true, ..letter }
    }

    #[test]
    fn stroke_d_and_ascii_round_trip() {
        for character in "đĐabcxyzABCXYZ".chars() {
            assert_eq!(Letter::from_char(character).unwrap().to_char(), character);
        }
    }

    #[test]
    fn characters_that_are_not_vietnamese_letters_are_other() {
        for character in ['ç', 'ß', '1', '\u{212A}', 'α', '\u{301}', ' ', 'İ'] {
            assert_eq!(Glyph::from_char(character), Glyph::Other(character), "{character:?}");
        }
    }
}
