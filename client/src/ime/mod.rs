//! The exam client's own Vietnamese input method: Telex and VNI.
//!
//! Students type short answers and essays inside the locked-down exam window, where external
//! input methods (Unikey, EVKey) are not allowed (their macros are a known cheating path) and
//! often do not work anyway. The text field passes each typed character to a [`Composer`] and
//! applies the [`Edit`] it returns; [`transform`] types a whole string at once.
//!
//! - Keys: [`telex`] and [`vni`] list them. Tone and quality marks apply to the current word
//!   wherever they are typed after its vowels (`tieengs`, `tiengse` → `tiếng`); a modifier typed
//!   again undoes itself and is typed as a letter (`ass` → `as`).
//! - Tone placement: [`tone`] states the rule; modern style by default (`hoà`, `thuý`), old style
//!   on request ([`ToneStyle::Old`]: `hòa`, `thúy`).
//! - What is not Vietnamese is left alone ([`syllable`] decides): English words, numbers and
//!   formulas (`x^2`, `2,5`, `-1,5`) are typed as they are, and a transformed word that stops
//!   being Vietnamese gets its keys back ([`composer`]).
//! - Output is NFC (precomposed) and keeps the case of the keys (`VIEETJ NAM` → `VIỆT NAM`).
//!
//! Limits shared with every Telex/VNI input method: a string of keys that is also a Vietnamese
//! syllable is typed as one (Telex `cos` gives `có`, VNI `CO2` gives `CÒ`, `a1` gives `á`).
//! Answers in English or formulas with letters are typed with [`InputMethod::Off`]. The
//! composer only knows the word it is typing: after [`Composer::reset`] (cursor moved) it does
//! not take up the word before the cursor again.
//!
//! Pure logic: no I/O, no GUI types, so the whole behaviour is tested here.

mod action;
pub mod composer;
mod letter;
pub mod syllable;
pub mod telex;
pub mod tone;
pub mod vni;

#[cfg(test)]
mod tests;

pub use composer::{Composer, Edit};
/// The method names travel in the proctor's admission (the room's default), so the type is the
/// protocol's.
pub use phongthi_protocol::{InputMethod, UnknownInputMethod};
pub use tone::ToneStyle;

/// Types `keystrokes` into an empty text field, one character at a time, with modern tone
/// placement, and returns the text. `transform(InputMethod::Telex, "tieengs vieetj")` is
/// `"tiếng việt"`.
pub fn transform(method: InputMethod, keystrokes: &str) -> String {
    transform_with_style(method, ToneStyle::Modern, keystrokes)
}

/// [`transform`] with a chosen tone placement style.
pub fn transform_with_style(method: InputMethod, style: ToneStyle, keystrokes: &str) -> String {
    let mut composer = Composer::new(style);
    let mut text = String::new();
    for key in keystrokes.chars() {
        composer.type_char(method, key).apply_at_end(&mut text);
    }
    text
}
