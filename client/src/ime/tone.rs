//! Where the tone mark goes in a syllable.
//!
//! The rule (with `qu` and `gi` counted as consonants, so only the vowel cluster after them
//! matters: `quả`, `giá`, but `gì`, `gìn` where the `i` is the vowel):
//!
//! 1. A vowel with a quality mark (`ă â ê ô ơ ư`) takes the tone; of two (`ươ`), the second:
//!    `tiếng`, `người`, `rượu`, `mưa`, `cứu`, `thuở`, `khuyến`, `tuấn`.
//! 2. A single vowel takes it: `má`, `gì`, `quý`.
//! 3. With a final consonant, the last vowel takes it: `hoàn`, `toán`, `huỳnh`, `soóc`.
//! 4. Three vowels and no final: the middle one: `ngoài`, `xoáy`, `khuỷu`, `ngoẹo`.
//! 5. Two vowels and no final:
//!    - `oa`, `oe`, `uy`, where the first vowel is only a glide: the **modern** style (the
//!      default, the one in current textbooks) puts the tone on the second vowel, the main one:
//!      `hoà`, `khoẻ`, `thuý`; the **old** style ([`ToneStyle::Old`]) on the first: `hòa`,
//!      `khỏe`, `thúy`;
//!    - any other pair (`ai ao au ay eo ia iu oi ua ui`) is a main vowel followed by a glide:
//!      the first vowel, in both styles: `hái`, `cháo`, `mía`, `múa`, `núi`.

use super::letter::{Glyph, Mark, Tone};
use super::syllable::Syllable;

/// Where two-vowel syllables without a final consonant (`oa`, `oe`, `uy`) take their tone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum ToneStyle {
    /// Kiểu mới: on the main vowel, `hoà`, `khoẻ`, `thuý` (current textbooks and Unikey's default).
    #[default]
    Modern,
    /// Kiểu cũ: on the first vowel, `hòa`, `khỏe`, `thúy`, which some teachers still expect.
    Old,
}

/// The tone of the word: the last tone found on any of its letters, [`Tone::Level`] if none.
pub(crate) fn current_tone(word: &[Glyph]) -> Tone {
    word.iter()
        .filter_map(|glyph| glyph.letter())
        .map(|letter| letter.tone)
        .rfind(|tone| *tone != Tone::Level)
        .unwrap_or(Tone::Level)
}

/// Removes every tone from the word and returns the one it had.
pub(crate) fn strip_tone(word: &mut [Glyph]) -> Tone {
    let tone = current_tone(word);
    for letter in word.iter_mut().filter_map(|glyph| glyph.letter_mut()) {
        letter.tone = Tone::Level;
    }
    tone
}

/// The index in the word of the vowel that carries the tone, or `None` if the syllable has no
/// vowel.
pub(crate) fn tone_position(word: &[Glyph], syllable: &Syllable, style: ToneStyle) -> Option<usize> {
    let vowels: Vec<usize> = syllable.vowels().collect();
    let base_at = |index: usize| word.get(index).and_then(|glyph| glyph.letter()).map(|letter| letter.base);
    let has_quality_mark = |index: &usize| {
        word.get(*index).and_then(|glyph| glyph.letter()).is_some_and(|letter| letter.mark != Mark::None)
    };
    if let Some(marked) = vowels.iter().rev().find(|index| has_quality_mark(index)) {
        return Some(*marked);
    }
    match vowels.as_slice() {
        [] => None,
        [single] => Some(*single),
        [.., last] if syllable.has_final() => Some(*last),
        [_, middle, _] => Some(*middle),
        [first, second] => {
            let glide_then_main =
                matches!((base_at(*first), base_at(*second)), (Some('o'), Some('a' | 'e')) | (Some('u'), Some('y')));
            if glide_then_main && style == ToneStyle::Modern { Some(*second) } else { Some(*first) }
        }
        // Longer clusters do not pass the syllable check; keep the tone on the first vowel.
        [first, ..] => Some(*first),
    }
}

/// Puts `tone` on the right vowel of a parsed syllable, removing any other tone first.
pub(crate) fn place_tone(word: &mut [Glyph], syllable: &Syllable, tone: Tone, style: ToneStyle) {
    strip_tone(word);
    if tone == Tone::Level {
        return;
    }
    if let Some(letter) =
        tone_position(word, syllable, style).and_then(|index| word.get_mut(index)).and_then(|glyph| glyph.letter_mut())
    {
        letter.tone = tone;
    }
}
