//! The composer as a text field drives it: the exact edits, Backspace, resets on cursor moves,
//! switching methods, and edits applied in the middle of a text.

use crate::ime::InputMethod::{Off, Telex, Vni};
use crate::ime::{Composer, Edit, InputMethod, ToneStyle, transform};

/// Backspace in a typing script.
const BACKSPACE: char = '⌫';
/// A cursor move or click in a typing script: the text field calls [`Composer::reset`].
const CURSOR_MOVED: char = '↺';

/// Types `script` into an empty field (with `⌫` for Backspace and `↺` for a cursor move that
/// puts the cursor back at the end) and compares the text with `expected`.
fn check_script(method: InputMethod, script: &str, expected: &str) {
    let mut composer = Composer::default();
    let mut text = String::new();
    for key in script.chars() {
        let edit = match key {
            BACKSPACE => composer.backspace(),
            CURSOR_MOVED => {
                composer.reset();
                continue;
            }
            _ => composer.type_char(method, key),
        };
        edit.apply_at_end(&mut text);
    }
    assert_eq!(text, expected, "{method} script {script:?}");
}

/// Types `keys` and compares the edit returned for each key with `expected`, given as
/// `(characters deleted, text inserted)`.
fn check_edits(method: InputMethod, keys: &str, expected: &[(usize, &str)]) {
    let mut composer = Composer::default();
    let edits: Vec<(usize, String)> = keys
        .chars()
        .map(|key| composer.type_char(method, key))
        .map(|edit| (edit.delete_before_cursor, edit.insert))
        .collect();
    let expected: Vec<(usize, String)> = expected.iter().map(|(count, text)| (*count, text.to_string())).collect();
    assert_eq!(edits, expected, "{method} keys {keys:?}");
}

#[test]
fn each_key_gives_the_smallest_edit() {
    check_edits(Telex, "tieengs", &[(0, "t"), (0, "i"), (0, "e"), (1, "ê"), (0, "n"), (0, "g"), (3, "ếng")]);
    check_edits(Telex, "ass", &[(0, "a"), (1, "á"), (1, "as")]);
    check_edits(Telex, "ddaf ", &[(0, "d"), (1, "đ"), (0, "a"), (1, "à"), (0, " ")]);
    check_edits(Telex, "ww", &[(0, "ư"), (1, "w")]);
    check_edits(Telex, "hoafn", &[(0, "h"), (0, "o"), (0, "a"), (1, "à"), (0, "n")]);
    check_edits(Telex, "next", &[(0, "n"), (0, "e"), (1, "ẽ"), (1, "ext")]);
    check_edits(Vni, "a1b", &[(0, "a"), (1, "á"), (1, "a1b")]);
    check_edits(Off, "as", &[(0, "a"), (0, "s")]);
}

#[test]
fn old_style_edits_move_the_tone_when_the_syllable_closes() {
    let mut composer = Composer::new(ToneStyle::Old);
    let edits: Vec<Edit> = "hoafn".chars().map(|key| composer.type_char(Telex, key)).collect();
    assert_eq!(edits[3], Edit { delete_before_cursor: 2, insert: "òa".to_string() });
    assert_eq!(edits[4], Edit { delete_before_cursor: 2, insert: "oàn".to_string() });
}

#[test]
fn backspace_deletes_one_character_and_typing_goes_on_from_what_is_left() {
    for (method, script, expected) in [
        (Telex, "tieesn⌫ng", "tiếng"),
        (Telex, "aa⌫s", "s"),
        (Telex, "ass⌫s", "á"), // the undone `s` is forgotten with the keys
        (Telex, "hoaf⌫a", "hoa"),
        (Telex, "hoaf⌫⌫", "h"),
        (Telex, "⌫", ""),
        (Telex, "⌫⌫as", "á"),
        (Telex, "nguwowif⌫⌫ngf", "ngừng"),
        (Telex, "next⌫⌫s", "né"),
        (Telex, "vieet ⌫j", "viêtj"), // Backspace past the word: a new word starts
        (Vni, "tie6n⌫ng1", "tiếng"),
        (Vni, "a1⌫2", "2"),
        (Off, "as⌫f", "af"),
    ] {
        check_script(method, script, expected);
    }
}

#[test]
fn a_cursor_move_starts_a_new_word() {
    check_script(Telex, "vie↺ej", "vieẹ");
    check_script(Telex, "ddaa↺y", "đây");
    check_script(Vni, "tie↺61", "tie61");
}

#[test]
fn switching_method_starts_a_new_word() {
    let mut composer = Composer::default();
    let mut text = String::new();
    for (method, key) in [(Telex, 'v'), (Telex, 'i'), (Telex, 'e'), (Vni, 'e'), (Vni, '6'), (Off, 's'), (Telex, 's')] {
        composer.type_char(method, key).apply_at_end(&mut text);
    }
    assert_eq!(text, "vieêss");
}

#[test]
fn edits_apply_at_a_cursor_in_the_middle_of_the_text() {
    for (method, keys) in [(Telex, "tieengs vieetj"), (Telex, "nguwowif"), (Telex, "next web"), (Vni, "tru7o7ng2 a1b")]
    {
        let mut composer = Composer::default();
        let mut text = String::from("«»");
        let mut cursor = 1;
        for key in keys.chars() {
            cursor = composer.type_char(method, key).apply(&mut text, cursor);
        }
        assert_eq!(text, format!("«{}»", transform(method, keys)), "{method} {keys:?}");
        assert_eq!(cursor, text.chars().count() - 1);
    }
}

#[test]
fn applying_an_edit_clamps_to_the_text() {
    let mut text = String::from("ab");
    assert_eq!(Edit { delete_before_cursor: 5, insert: "đ".to_string() }.apply(&mut text, 9), 1);
    assert_eq!(text, "đ");
    assert!(Edit::default().is_empty());
    assert!(!Edit::delete(1).is_empty());
}

#[test]
fn composing_state_is_visible_and_style_can_change() {
    let mut composer = Composer::default();
    assert!(!composer.is_composing());
    composer.type_char(Telex, 'a');
    assert!(composer.is_composing());
    composer.type_char(Telex, ' ');
    assert!(!composer.is_composing());
    assert_eq!(composer.style(), ToneStyle::Modern);
    composer.set_style(ToneStyle::Old);
    let mut text = String::new();
    for key in "hoaf".chars() {
        composer.type_char(Telex, key).apply_at_end(&mut text);
    }
    assert_eq!(text, "hòa");
    composer.reset();
    assert_eq!(composer.style(), ToneStyle::Old, "reset keeps the style");
}

#[test]
fn combining_marks_typed_as_keys_compose_into_nfc() {
    for (method, keys, expected) in [
        (Telex, "a\u{301}", "á"),
        (Telex, "Vie\u{323}\u{302}t", "Việt"),
        (Vni, "= \u{338}", "= \u{338}"),
        (Telex, "=\u{338}", "≠"),
        (Telex, "\u{301}a", "\u{301}a"),
    ] {
        check(method, keys, expected);
    }
}

fn check(method: InputMethod, keys: &str, expected: &str) {
    assert_eq!(transform(method, keys), expected, "{method} keys {keys:?}");
}
