//! VNI: digits after the letters modify the word.
//!
//! | key | gives |
//! |---|---|
//! | `1 2 3 4 5` | sắc, huyền, hỏi, ngã, nặng: `a1` → `á`, `a2` → `à`, `a3` → `ả`, `a4` → `ã`, `a5` → `ạ` |
//! | `0` | removes the tone |
//! | `6` | circumflex on `a e o`: `a6` → `â`, `tie6ng1` → `tiếng` |
//! | `7` | horn on `o u`: `o7` → `ơ`, `u7` → `ư`, `uo7` → `ươ` (`truo7ng2` → `trường`) |
//! | `8` | breve on `a`: `a8` → `ă` |
//! | `9` | `đ`: `d9` → `đ` |
//!
//! A digit that cannot apply is typed as a digit, and a digit typed literally makes the rest of
//! the word literal too, so numbers (`2,5`, `-1,5`, `x^2`, `3x2`) are never touched. Typed
//! again right after it applied, a key undoes itself and becomes the digit (`a11` → `a1`).

use super::action::Action;
use super::letter::Tone;

/// The action of a VNI key, if it is a modifier key at all.
pub(crate) fn action_for(key: char) -> Option<Action> {
    Some(match key {
        '1' => Action::SetTone(Tone::Acute),
        '2' => Action::SetTone(Tone::Grave),
        '3' => Action::SetTone(Tone::Hook),
        '4' => Action::SetTone(Tone::Tilde),
        '5' => Action::SetTone(Tone::Dot),
        '0' => Action::RemoveTone,
        '6' => Action::Circumflex { only_on: None },
        '7' => Action::Horn,
        '8' => Action::Breve,
        '9' => Action::Stroke,
        _ => return None,
    })
}
