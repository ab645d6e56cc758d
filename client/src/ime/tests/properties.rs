//! Property tests: no keystroke string panics, the output is always NFC, `Off` changes nothing,
//! text without letters passes every method untouched, and edits never reach before the text
//! the composer wrote.

use proptest::prelude::*;
use unicode_normalization::is_nfc;

use crate::ime::InputMethod::{Off, Telex, Vni};
use crate::ime::{Composer, InputMethod, ToneStyle, transform, transform_with_style};

/// Keys a student actually presses, weighted towards letters that Telex and VNI react to.
fn keyboard_keys() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9aeoudwsfrxjzAEOUDW ,.?!^()=+\\-/]{0,40}").expect("valid regex")
}

fn any_method() -> impl Strategy<Value = InputMethod> {
    prop_oneof![Just(Telex), Just(Vni), Just(Off)]
}

fn any_style() -> impl Strategy<Value = ToneStyle> {
    prop_oneof![Just(ToneStyle::Modern), Just(ToneStyle::Old)]
}

/// One thing the student does in the text field.
#[derive(Debug, Clone)]
enum Action {
    Type(char),
    Backspace,
    MoveCursor,
}

fn field_actions() -> impl Strategy<Value = Vec<Action>> {
    let key = proptest::char::ranges(vec!['a'..='z', 'A'..='Z', '0'..='9', ' '..=' ', 'đ'..='đ', 'ư'..='ư'].into());
    proptest::collection::vec(
        prop_oneof![
            8 => key.prop_map(Action::Type),
            1 => Just(Action::Backspace),
            1 => Just(Action::MoveCursor),
        ],
        0..60,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics_and_comes_out_nfc(keys in any::<String>(), style in any_style()) {
        for method in [Telex, Vni] {
            let text = transform_with_style(method, style, &keys);
            prop_assert!(is_nfc(&text), "{method} {keys:?} gave {text:?}");
        }
    }

    #[test]
    fn keyboard_typing_comes_out_nfc(keys in keyboard_keys(), method in any_method(), style in any_style()) {
        let text = transform_with_style(method, style, &keys);
        prop_assert!(is_nfc(&text), "{method} {keys:?} gave {text:?}");
    }

    #[test]
    fn off_changes_nothing(keys in any::<String>()) {
        prop_assert_eq!(transform(Off, &keys), keys);
    }

    #[test]
    fn text_without_letters_passes_every_method(keys in "[0-9 ,.;:?!^()=+\\-*/<>%\n]{0,40}", method in any_method()) {
        prop_assert_eq!(transform(method, &keys), keys);
    }

    #[test]
    fn edits_never_touch_text_before_the_field_cursor(keys in keyboard_keys(), method in any_method()) {
        let prefix = "Câu 1: ";
        let mut composer = Composer::default();
        let mut text = prefix.to_string();
        for key in keys.chars() {
            composer.type_char(method, key).apply_at_end(&mut text);
            prop_assert!(text.starts_with(prefix), "{method} {keys:?} gave {text:?}");
        }
        prop_assert_eq!(text, format!("{prefix}{}", transform(method, &keys)));
    }

    #[test]
    fn backspace_and_cursor_moves_never_panic_and_stay_nfc(actions in field_actions(), method in any_method()) {
        let mut composer = Composer::default();
        let mut text = String::new();
        for action in &actions {
            match action {
                Action::Type(key) => composer.type_char(method, *key).apply_at_end(&mut text),
                Action::Backspace => composer.backspace().apply_at_end(&mut text),
                Action::MoveCursor => composer.reset(),
            }
            prop_assert!(is_nfc(&text), "{method} {actions:?} gave {text:?}");
        }
    }
}
