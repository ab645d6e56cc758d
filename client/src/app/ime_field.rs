//! A text field whose typing goes through the built-in Telex/VNI [`Composer`].
//!
//! egui's `TextEdit` inserts typed characters itself. Before it runs, this widget takes the
//! `Text` events of the frame out of the input (only while the field has focus), feeds them
//! character by character to the composer, applies each [`crate::ime::Edit`] at the cursor and
//! moves the cursor; `TextEdit` then handles everything else (backspace, arrows, selection).
//! Any key that moves the cursor or deletes, and any click, resets the composer, so it never
//! rewrites characters it did not write.

use crate::ime::{Composer, InputMethod, ToneStyle};
use egui::text::{CCursor, CCursorRange};
use egui::text_edit::TextEditState;
use unicode_normalization::UnicodeNormalization;

/// Characters the answer sheet allows for a numeric answer under the 4-character rule.
const FOUR_CHAR_RULE_LENGTH: usize = 4;

/// What a field accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldKind {
    /// One line of text (names, codes, short answers).
    SingleLine,
    /// Several lines (essays).
    MultiLine,
    /// A number as on the paper answer sheet: at most 4 characters from `-`, digits and `,`
    /// (a `.` is taken as the decimal comma).
    FourCharNumber,
    /// A number typed freely (digits, sign, comma, point), no Vietnamese composing.
    Number,
}

/// The text of one field and the composer typing into it.
#[derive(Clone, Debug)]
pub struct TextField {
    text: String,
    composer: Composer,
    method: InputMethod,
    /// `ui.input().time` of the last change, for committing after a pause.
    pub(crate) edited_at: Option<f64>,
}

impl Default for TextField {
    fn default() -> Self {
        TextField::new(String::new())
    }
}

impl TextField {
    /// A field holding `text`, typing with Telex.
    pub fn new(text: String) -> TextField {
        TextField { text, composer: Composer::new(ToneStyle::Modern), method: InputMethod::Telex, edited_at: None }
    }

    /// The text, NFC.
    pub fn text(&self) -> String {
        self.text.nfc().collect()
    }

    /// Replaces the text (tests, restored answers).
    pub fn set_text(&mut self, text: &str) {
        self.text = text.to_owned();
        self.composer.reset();
    }

    /// The input method used for this field.
    pub fn set_method(&mut self, method: InputMethod) {
        self.method = method;
        self.composer.reset();
    }
}

/// Whether `key` moves the cursor or edits outside the composer's word.
fn resets_composer(key: egui::Key) -> bool {
    use egui::Key;
    matches!(
        key,
        Key::ArrowLeft
            | Key::ArrowRight
            | Key::ArrowUp
            | Key::ArrowDown
            | Key::Home
            | Key::End
            | Key::PageUp
            | Key::PageDown
            | Key::Backspace
            | Key::Delete
            | Key::Enter
            | Key::Tab
            | Key::Escape
    )
}

/// Whether the field takes `character` when it holds `length` characters.
fn accepts(kind: FieldKind, length: usize, character: char) -> Option<char> {
    let character = match (kind, character) {
        (FieldKind::FourCharNumber | FieldKind::Number, '.') => ',',
        (_, c) => c,
    };
    match kind {
        FieldKind::SingleLine | FieldKind::MultiLine => Some(character),
        FieldKind::FourCharNumber => {
            let allowed = character == '-' || character == ',' || character.is_ascii_digit();
            (allowed && length < FOUR_CHAR_RULE_LENGTH).then_some(character)
        }
        FieldKind::Number => {
            let allowed = matches!(character, '-' | '+' | ',' | ' ') || character.is_ascii_digit();
            allowed.then_some(character)
        }
    }
}

/// Shows `field` labelled by `label_id` (for screen readers and tests). The response is marked
/// changed when the composer changed the text.
pub(crate) fn show(
    ui: &mut egui::Ui,
    field: &mut TextField,
    id: egui::Id,
    kind: FieldKind,
    label_id: egui::Id,
) -> egui::Response {
    let ctx = ui.ctx().clone();
    let focused = ctx.memory(|memory| memory.has_focus(id));
    let mut changed = false;
    if focused {
        let typed: String = ctx.input_mut(|input| {
            let mut typed = String::new();
            input.events.retain(|event| match event {
                egui::Event::Text(text) => {
                    typed.push_str(text);
                    false
                }
                _ => true,
            });
            typed
        });
        let moved = ctx.input(|input| {
            input.pointer.any_pressed()
                || input
                    .events
                    .iter()
                    .any(|event| matches!(event, egui::Event::Key { key, pressed: true, .. } if resets_composer(*key)))
        });
        if moved {
            field.composer.reset();
        }
        if !typed.is_empty() {
            changed = type_into(&ctx, id, field, kind, &typed);
        }
    }
    let edit = match kind {
        FieldKind::MultiLine => egui::TextEdit::multiline(&mut field.text).desired_rows(8),
        FieldKind::SingleLine | FieldKind::Number => egui::TextEdit::singleline(&mut field.text),
        FieldKind::FourCharNumber => egui::TextEdit::singleline(&mut field.text).desired_width(120.0),
    };
    let mut response = ui.add(edit.id(id)).labelled_by(label_id);
    if changed {
        response.mark_changed();
    }
    if response.changed() {
        field.edited_at = Some(ctx.input(|input| input.time));
    }
    response
}

/// Types `typed` at the cursor of the field `id` through its composer; returns whether the text
/// changed.
fn type_into(ctx: &egui::Context, id: egui::Id, field: &mut TextField, kind: FieldKind, typed: &str) -> bool {
    let mut state = TextEditState::load(ctx, id).unwrap_or_default();
    let end = field.text.chars().count();
    let (mut cursor, selection_start) = match state.cursor.char_range() {
        Some(range) => {
            let (a, b) = (range.primary.index.0.min(end), range.secondary.index.0.min(end));
            (a.max(b), a.min(b))
        }
        None => (end, end),
    };
    let before = field.text.clone();
    if selection_start < cursor {
        // Typing over a selection replaces it, as in any text field.
        cursor = crate::ime::Edit::delete(cursor - selection_start).apply(&mut field.text, cursor);
        field.composer.reset();
    }
    let method = match kind {
        FieldKind::SingleLine | FieldKind::MultiLine => field.method,
        FieldKind::FourCharNumber | FieldKind::Number => InputMethod::Off,
    };
    for key in typed.chars() {
        let Some(key) = accepts(kind, field.text.chars().count(), key) else { continue };
        let edit = field.composer.type_char(method, key);
        cursor = edit.apply(&mut field.text, cursor);
    }
    state.cursor.set_char_range(Some(CCursorRange::one(CCursor::new(cursor))));
    state.store(ctx, id);
    field.text != before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_char_rule_takes_sign_digits_and_comma_only() {
        let check = |length, key, expected| assert_eq!(accepts(FieldKind::FourCharNumber, length, key), expected);
        check(0, '-', Some('-'));
        check(1, '1', Some('1'));
        check(2, '.', Some(','));
        check(3, '5', Some('5'));
        check(4, '5', None);
        check(0, 'a', None);
        check(0, 'đ', None);
    }
}
