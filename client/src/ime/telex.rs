//! Telex: the keys that modify the word, as typed on a plain keyboard.
//!
//! | keys | gives |
//! |---|---|
//! | `s f r x j` | sắc, huyền, hỏi, ngã, nặng: `as` → `á`, `af` → `à`, `ar` → `ả`, `ax` → `ã`, `aj` → `ạ` |
//! | `z` | removes the tone: `asz` → `a` |
//! | `aa ee oo` | `â ê ô` (the second vowel may come later: `tieng` + `e` → `tiêng`) |
//! | `aw ow uw` | `ă ơ ư`; `uow` and `uwow` give `ươ` (`truwowngf` → `trường`) |
//! | `w` | `ư` on its own at the start of a word or after a consonant: `tw` → `tư` |
//! | `dd` | `đ` |
//!
//! Any of these typed where it cannot apply is an ordinary letter; typed again right after it
//! applied, it undoes itself and becomes the letter (`ass` → `as`, `ww` → `w`).

use super::action::Action;
use super::letter::Tone;

/// The action of a Telex key, if it is a modifier key at all (case does not matter).
pub(crate) fn action_for(lower_key: char) -> Option<Action> {
    Some(match lower_key {
        's' => Action::SetTone(Tone::Acute),
        'f' => Action::SetTone(Tone::Grave),
        'r' => Action::SetTone(Tone::Hook),
        'x' => Action::SetTone(Tone::Tilde),
        'j' => Action::SetTone(Tone::Dot),
        'z' => Action::RemoveTone,
        'a' | 'e' | 'o' => Action::Circumflex { only_on: Some(lower_key) },
        'w' => Action::TelexW,
        'd' => Action::Stroke,
        _ => return None,
    })
}
