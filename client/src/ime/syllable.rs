//! The shape of a Vietnamese syllable: initial consonant, vowel cluster, final consonant.
//!
//! Every key that changes letters (tone, circumflex, horn, breve, `đ`) first asks whether the
//! word being typed is, or is becoming, a Vietnamese syllable. If it is not (`class`, `self`,
//! `x^2`, `H2O`), the key is typed literally. That single check is what lets English words, code
//! and numbers pass through the input method untouched.
//!
//! The checks are on letters without their marks (`ươ` counts as `uo`), because marks arrive in
//! any order while typing (`tieengs` and `tiengse` both give `tiếng`), and they are deliberately
//! lenient inside the vowel cluster: a cluster is accepted when its bare letters occur in
//! Vietnamese (`ie`, `uye`, `oa`, …), whatever marks it carries so far; only a key that adds a
//! quality mark checks that the marked cluster exists (`uô` does, `ôe` does not). Two rules are strict
//! because no Vietnamese word breaks them: a cluster ending in a glide (`ai`, `ao`, `ui`, `ươi`,
//! …) takes no final consonant, and the stop finals `c ch p t` only take sắc or nặng.

use std::ops::Range;

use super::letter::{Glyph, Letter, Mark, Tone, is_vowel_base};
use super::tone::current_tone;

/// No Vietnamese syllable has more letters (`nghiêng` has seven); anything longer is
/// not parsed at all, which also keeps a held-down key from making every keystroke slower.
const LONGEST_SYLLABLE: usize = 8;

/// Initial consonants, longest first so that `ngh` wins over `ng` and `n`. `gi` and `qu` are
/// initials: in `giá` and `quả` the `i` and `u` belong to the consonant, not to the vowel
/// cluster, which is what puts the tone on the `a`. The empty initial comes last.
const INITIALS: [&str; 28] = [
    "ngh", "ng", "nh", "gh", "gi", "kh", "ch", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k", "l", "m",
    "n", "p", "r", "s", "t", "v", "x", "",
];

/// Final consonants. Each one's prefixes are finals too (`n` of `ng`, `c` of `ch`), so a word
/// typed letter by letter never passes through an invalid final on its way to a valid one.
const FINALS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Vowel clusters by their bare letters. Every prefix of a cluster is listed as well, since the
/// cluster is typed one vowel at a time.
const CLUSTERS: [&str; 38] = [
    "a", "e", "i", "o", "u", "y", // single vowels
    "ai", "ao", "au", "ay", "eo", "eu", "ia", "ie", "iu", "oa", "oe", "oi", "oo", "ua", "ue", "ui", "uo", "uu", "uy",
    "ye", // two: hai cao sau tay/tây kéo kêu mía tiên níu hoa khoẻ tôi boong mua/tuân thuế núi muốn cứu thuỳ yên
    "ieu", "oai", "oao", "oay", "oeo", "uay", "uoi", "uou", "uya", "uye", "uyu",
    "yeu", // three: tiêu ngoài ngoao xoáy ngoẹo khuây người rượu khuya khuyên khuỷu yêu
];

/// Clusters that end in a glide and therefore never take a final consonant (plus `ia` and
/// `uya`, whose closed forms are spelled `iê`/`uyê`).
const NO_FINAL: [&str; 22] = [
    "ai", "ao", "au", "ay", "eo", "eu", "ia", "iu", "oi", "ui", "uu", "ieu", "oai", "oao", "oay", "oeo", "uay", "uoi",
    "uou", "uya", "uyu", "yeu",
];

/// The vowel clusters that carry quality marks, as Vietnamese writes them. A circumflex, horn or
/// breve that would give any other cluster (`ôe`, `ăi`, `êo`) is not applied and the key is
/// typed as a letter instead, so `ngoeoj` gives `ngoẹo` and not `ngộe`.
const MARKED_CLUSTERS: [&str; 29] = [
    "ă", "â", "ê", "ô", "ơ", "ư", // single
    "âu", "ây", "êu", "iê", "yê", "uâ", "uê", "uô", "uơ", "ươ", "ưa", "ưi", "ưu", "ôi", "ơi", "oă", // two
    "iêu", "yêu", "uây", "uôi", "ươi", "ươu", "uyê", // three
];

/// Whether the vowel cluster's quality marks form a cluster Vietnamese writes (clusters without
/// any mark always pass: they are checked by [`parse`]).
pub(crate) fn marks_are_vietnamese(word: &[Glyph], syllable: &Syllable) -> bool {
    let cluster: Option<String> = word[syllable.vowels()]
        .iter()
        .map(|glyph| glyph.letter().map(|letter| Letter { tone: Tone::Level, upper: false, ..*letter }.to_char()))
        .collect();
    match cluster {
        Some(cluster) => cluster.is_ascii() || MARKED_CLUSTERS.contains(&cluster.as_str()),
        None => false,
    }
}

/// Where the parts of a syllable lie in the word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Syllable {
    /// Glyphs `0..initial_end` are the initial consonant.
    pub(crate) initial_end: usize,
    /// Glyphs `initial_end..vowel_end` are the vowel cluster, the rest the final consonant.
    pub(crate) vowel_end: usize,
    /// Number of glyphs in the word.
    pub(crate) len: usize,
    /// Whether the final consonant is one of `c ch p t`.
    pub(crate) stop_final: bool,
}

impl Syllable {
    /// Indices of the vowel cluster.
    pub(crate) fn vowels(&self) -> Range<usize> {
        self.initial_end..self.vowel_end
    }

    /// Whether the word has a vowel (a bare initial such as `ngh` or `đ` has not).
    pub(crate) fn has_vowels(&self) -> bool {
        self.vowel_end > self.initial_end
    }

    /// Whether a final consonant follows the vowels.
    pub(crate) fn has_final(&self) -> bool {
        self.len > self.vowel_end
    }
}

/// Whether `tone` may stand on a syllable that ends in `c ch p t`.
pub(crate) fn tone_allowed_with_stop_final(tone: Tone) -> bool {
    matches!(tone, Tone::Level | Tone::Acute | Tone::Dot)
}

/// The bare letters of the word (`đ` kept apart from `d`), or `None` if it holds anything that
/// is not a Latin letter.
fn skeleton(word: &[Glyph]) -> Option<Vec<char>> {
    word.iter()
        .map(|glyph| {
            let letter = glyph.letter()?;
            Some(if letter.mark == Mark::Stroke { 'đ' } else { letter.base })
        })
        .collect()
}

/// Parses the word as a Vietnamese syllable, or as a bare initial consonant (`""`, `tr`, `đ`)
/// waiting for its vowel. A parse with vowels is preferred, so `gì` is `g` + `i`, while `già`
/// is `gi` + `a`.
pub(crate) fn parse(word: &[Glyph]) -> Option<Syllable> {
    if word.len() > LONGEST_SYLLABLE {
        return None;
    }
    let skeleton = skeleton(word)?;
    let mut bare_initial = None;
    for initial in INITIALS {
        let initial: Vec<char> = initial.chars().collect();
        if !skeleton.starts_with(&initial) {
            continue;
        }
        let initial_end = initial.len();
        // The `u` of `qu` cannot carry a horn (`qư` is no initial); tones are ignored here
        // because tone placement moves them anyway.
        if word[..initial_end].iter().any(|glyph| glyph.letter().is_some_and(|letter| letter.mark == Mark::Horn)) {
            continue;
        }
        let vowel_end = initial_end + skeleton[initial_end..].iter().take_while(|c| is_vowel_base(**c)).count();
        let final_consonant: String = skeleton[vowel_end..].iter().collect();
        if vowel_end == initial_end {
            if final_consonant.is_empty() && bare_initial.is_none() {
                bare_initial = Some(Syllable { initial_end, vowel_end, len: word.len(), stop_final: false });
            }
            continue;
        }
        let cluster: String = skeleton[initial_end..vowel_end].iter().collect();
        if !FINALS.contains(&final_consonant.as_str()) || !CLUSTERS.contains(&cluster.as_str()) {
            continue;
        }
        if !final_consonant.is_empty() && NO_FINAL.contains(&cluster.as_str()) {
            continue;
        }
        let stop_final = matches!(final_consonant.as_str(), "c" | "ch" | "p" | "t");
        if stop_final && !tone_allowed_with_stop_final(current_tone(word)) {
            continue;
        }
        return Some(Syllable { initial_end, vowel_end, len: word.len(), stop_final });
    }
    bare_initial
}

/// Whether the whole word is an initial consonant (`""`, `tr`, `gi`, `qu`), so that a Telex `w`
/// typed now means `ư` on its own (`giwx` → `giữ`, like `giuwx`).
pub(crate) fn is_bare_initial(word: &[Glyph]) -> bool {
    let plain = word
        .iter()
        .all(|glyph| glyph.letter().is_some_and(|letter| !letter.is_transformed() || letter.mark == Mark::Stroke));
    plain && skeleton(word).is_some_and(|letters| INITIALS.contains(&letters.iter().collect::<String>().as_str()))
}

/// Whether the word is a syllable or could still become one by typing more letters: the only
/// such non-syllable is a lone `q` waiting for its `u`.
pub(crate) fn could_become_syllable(word: &[Glyph]) -> bool {
    parse(word).is_some() || skeleton(word).is_some_and(|letters| letters == ['q'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(text: &str) -> Vec<Glyph> {
        text.chars().map(Glyph::from_char).collect()
    }

    fn parts(text: &str) -> Option<(String, String, String)> {
        let syllable = parse(&glyphs(text))?;
        let characters: Vec<char> = text.chars().collect();
        Some((
            characters[..syllable.initial_end].iter().collect(),
            characters[syllable.vowels()].iter().collect(),
            characters[syllable.vowel_end..].iter().collect(),
        ))
    }

    fn check(word: &str, expected: Option<(&str, &str, &str)>) {
        let expected = expected.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
        assert_eq!(parts(word), expected, "{word}");
    }

    #[test]
    fn splits_syllables_into_their_parts() {
        check("nghiêng", Some(("ngh", "iê", "ng")));
        check("giá", Some(("gi", "á", "")));
        check("gìn", Some(("g", "ì", "n")));
        check("gì", Some(("g", "ì", "")));
        check("quả", Some(("qu", "ả", "")));
        check("quyết", Some(("qu", "yế", "t")));
        check("người", Some(("ng", "ười", "")));
        check("Đường", Some(("Đ", "ườ", "ng")));
        check("ư", Some(("", "ư", "")));
        check("tr", Some(("tr", "", "")));
        check("khuỷu", Some(("kh", "uỷu", "")));
        check("boong", Some(("b", "oo", "ng")));
    }

    #[test]
    fn rejects_what_vietnamese_never_writes() {
        for word in ["class", "self", "x2", "hel", "ưin", "hàc", "mẽt", "tais", "q", "fan", "nguỡ"] {
            assert_eq!(parse(&glyphs(word)), None, "{word}");
        }
        assert!(could_become_syllable(&glyphs("q")));
        assert!(could_become_syllable(&glyphs("ngh")));
        assert!(!could_become_syllable(&glyphs("cl")));
    }
}
