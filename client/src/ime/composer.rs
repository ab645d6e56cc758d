//! The composer a text field drives keystroke by keystroke, and the edits it hands back.
//!
//! The composer remembers only the word being typed (the letters since the last space,
//! punctuation mark, cursor move or focus change) and answers each key with an [`Edit`]: how many
//! characters before the cursor to delete and what to insert. The text field applies the edit
//! and stays the owner of the text, so a cursor move followed by [`Composer::reset`] can never
//! leave the composer rewriting the wrong characters.
//!
//! Two safety nets keep non-Vietnamese text intact:
//! - a modifier key only applies when the word is (or is becoming) a Vietnamese syllable, so
//!   `class`, `self`, `x^2` and `2,5` are typed as they are;
//! - if a word that was already transformed stops being Vietnamese (`next`: `nẽ` + `t`,
//!   `google`: `gô` + `g`, `web`: `ưe` + `b`), the keys typed for it come back as typed and the
//!   rest of the word is literal, as Unikey's "restore keys for invalid words" does.
//!
//! Everything inserted is NFC: letters come from the precomposed table, and anything else the
//! word holds (combining marks, compatibility characters) is normalised before it is handed out.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::action::{self, Action, Outcome};
use super::letter::{Glyph, Letter, render};
use super::syllable::could_become_syllable;
use super::tone::ToneStyle;
use super::{InputMethod, telex, vni};

/// A change to the text just before the cursor. Counts are in characters (Unicode scalar
/// values), which is what text fields index by; every Vietnamese letter the composer writes is
/// one character.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Edit {
    /// How many characters immediately before the cursor to delete.
    pub delete_before_cursor: usize,
    /// What to insert at the cursor after deleting.
    pub insert: String,
}

impl Edit {
    /// Inserts `text`, deleting nothing.
    pub fn insert(text: impl Into<String>) -> Edit {
        Edit { delete_before_cursor: 0, insert: text.into() }
    }

    /// Deletes `count` characters before the cursor, inserting nothing.
    pub fn delete(count: usize) -> Edit {
        Edit { delete_before_cursor: count, insert: String::new() }
    }

    /// Whether the edit changes nothing.
    pub fn is_empty(&self) -> bool {
        self.delete_before_cursor == 0 && self.insert.is_empty()
    }

    /// Applies the edit to `text` with the cursor at character index `cursor` and returns the
    /// new cursor. A cursor past the end counts as the end; deleting more characters than the
    /// cursor has before it deletes up to the start.
    pub fn apply(&self, text: &mut String, cursor: usize) -> usize {
        let byte_at = |character_index: usize| {
            text.char_indices().nth(character_index).map_or(text.len(), |(byte_index, _)| byte_index)
        };
        let cursor = cursor.min(text.chars().count());
        let start = cursor.saturating_sub(self.delete_before_cursor);
        let (start_byte, cursor_byte) = (byte_at(start), byte_at(cursor));
        text.replace_range(start_byte..cursor_byte, &self.insert);
        start + self.insert.chars().count()
    }

    /// Applies the edit with the cursor at the end of `text`.
    pub fn apply_at_end(&self, text: &mut String) {
        let end = text.chars().count();
        self.apply(text, end);
    }
}

/// Turns keystrokes into Vietnamese text for one text field.
#[derive(Debug, Clone, Default)]
pub struct Composer {
    style: ToneStyle,
    /// The method of the previous key; switching methods starts a new word.
    method: Option<InputMethod>,
    /// The word being typed, as it is shown before the cursor.
    word: Vec<Glyph>,
    /// The keys typed for the word, to restore them if the word turns out not to be Vietnamese.
    keys: String,
    /// Keys (lower case) that undid a change in this word: from then on they are letters, so
    /// `classs` ends in `ss` instead of toggling a tone forever.
    spent_keys: Vec<char>,
    /// Whether some change was undone in this word: the user has taken control of its spelling
    /// and it is never restored.
    undone: bool,
    /// Whether the rest of the word is typed literally (after a restore or a combining mark).
    literal: bool,
    /// Whether the previous key was a Telex `w` that appended `ư` on its own, so that `ww` gives
    /// `w`.
    standalone_w: bool,
    /// The character just before the word, when the composer wrote it itself: a combining mark
    /// typed after a space or punctuation may compose with it, and NFC needs both.
    before_word: Option<char>,
}

impl Composer {
    /// A composer placing tones in the given style.
    pub fn new(style: ToneStyle) -> Composer {
        Composer { style, ..Composer::default() }
    }

    /// The tone placement style.
    pub fn style(&self) -> ToneStyle {
        self.style
    }

    /// Changes the tone placement style; the word being typed keeps its letters until its next
    /// key.
    pub fn set_style(&mut self, style: ToneStyle) {
        self.style = style;
    }

    /// Whether a word is being composed (keys may still rewrite the characters before the cursor).
    pub fn is_composing(&self) -> bool {
        !self.word.is_empty()
    }

    /// Forgets the word being typed. Call it whenever the cursor moves other than by typing (click,
    /// arrow keys, Home/End), the selection changes, the text is replaced, or focus changes: the
    /// composer must then not rewrite characters it no longer knows.
    pub fn reset(&mut self) {
        *self = Composer::new(self.style);
    }

    /// Handles a Backspace: the edit deletes one character before the cursor. If it was part of
    /// the word being typed, typing goes on from what is left (`tieesn`, Backspace, `ng` gives
    /// `tiếng`); the keys of the word are forgotten, so undo and restore start afresh from the
    /// letters on screen.
    pub fn backspace(&mut self) -> Edit {
        if self.word.pop().is_none() {
            // Deleting before the word: the composer no longer knows what precedes the cursor.
            self.before_word = None;
        }
        self.keys = render(&self.word);
        self.spent_keys.clear();
        self.undone = false;
        self.literal = false;
        self.standalone_w = false;
        Edit::delete(1)
    }

    /// Handles one typed character and returns the edit the text field must apply instead of
    /// inserting the character itself. With [`InputMethod::Off`] the edit inserts the character
    /// unchanged.
    pub fn type_char(&mut self, method: InputMethod, key: char) -> Edit {
        if self.method != Some(method) {
            let before_word = self.before_word;
            self.reset();
            self.before_word = before_word;
            self.method = Some(method);
        }
        if method == InputMethod::Off {
            self.before_word = None;
            return Edit::insert(key);
        }
        if is_combining_mark(key) {
            return self.type_combining_mark(key);
        }
        if !key.is_alphanumeric() {
            return self.type_separator(key);
        }
        let before = self.word_chars();
        self.keys.push(key);
        self.type_word_key(method, key);
        self.normalize_unicode();
        diff(&before, &self.word_chars())
    }

    /// Space, punctuation, symbols: typed as they are (in NFC), and the word ends.
    fn type_separator(&mut self, key: char) -> Edit {
        let inserted: String = std::iter::once(key).nfc().collect();
        let style = self.style;
        let method = self.method;
        *self = Composer { style, method, before_word: inserted.chars().last(), ..Composer::default() };
        Edit::insert(inserted)
    }

    /// A combining mark belongs to the character before it; the word (or the separator just
    /// before it) is taken back and normalised so the text stays NFC (`a` + U+0301 → `á`).
    fn type_combining_mark(&mut self, mark: char) -> Edit {
        let mut before = self.word_chars();
        if self.word.is_empty()
            && let Some(previous) = self.before_word.take()
        {
            self.word.push(Glyph::Other(previous));
            before.push(previous);
        }
        self.word.push(Glyph::Other(mark));
        self.keys.push(mark);
        self.literal = true;
        self.normalize_unicode();
        diff(&before, &self.word_chars())
    }

    /// The word as it stands before the cursor.
    fn word_chars(&self) -> Vec<char> {
        self.word.iter().map(|glyph| glyph.to_char()).collect()
    }

    fn type_word_key(&mut self, method: InputMethod, key: char) {
        let lower = single_lower_case(key);
        let was_standalone_w = std::mem::take(&mut self.standalone_w);
        if self.literal {
            self.word.push(Glyph::from_char(key));
            return;
        }
        if self.spent_keys.contains(&lower) {
            self.push_letter(key);
            return;
        }
        if method == InputMethod::Telex && was_standalone_w && lower == 'w' {
            // `ww` → `w`: the `ư` typed by the first `w` turns back into that `w`.
            if let Some(last) = self.word.last_mut() {
                let upper = last.letter().is_some_and(|letter| letter.upper);
                *last = Glyph::Letter(Letter::plain('w', upper));
            }
            self.spent_keys.push('w');
            self.undone = true;
            return;
        }
        let action = match method {
            InputMethod::Telex => telex::action_for(lower),
            InputMethod::Vni => vni::action_for(key),
            InputMethod::Off => None,
        };
        let Some(action) = action else {
            self.push_letter(key);
            return;
        };
        self.apply_action(action, key, lower);
    }

    fn apply_action(&mut self, action: Action, key: char, lower: char) {
        let upper = key != lower;
        match action::perform(&mut self.word, action, upper, self.style) {
            Outcome::Applied => {}
            Outcome::AppendedStandaloneU => self.standalone_w = true,
            Outcome::Undone => {
                self.word.push(Glyph::from_char(key));
                self.spent_keys.push(lower);
                self.undone = true;
            }
            Outcome::NotApplicable => self.push_letter(key),
        }
    }

    /// Appends a key as an ordinary letter (or digit), then restores the typed keys if that
    /// made a transformed word impossible in Vietnamese.
    fn push_letter(&mut self, key: char) {
        self.word.push(Glyph::from_char(key));
        action::normalize(&mut self.word, self.style);
        let transformed = self.word.iter().any(|glyph| glyph.letter().is_some_and(Letter::is_transformed));
        if !self.undone && transformed && !could_become_syllable(&self.word) {
            self.word = self.keys.chars().map(Glyph::from_char).collect();
            self.literal = true;
        }
    }

    /// Keeps the word NFC when it holds characters outside the letter table.
    fn normalize_unicode(&mut self) {
        if self.word.iter().all(|glyph| matches!(glyph, Glyph::Letter(_))) {
            return;
        }
        let text = render(&self.word);
        if !unicode_normalization::is_nfc(&text) {
            self.word = text.nfc().map(Glyph::from_char).collect();
        }
    }
}

/// The lower case of a key when it is one character (all keys that matter are).
fn single_lower_case(key: char) -> char {
    let mut lower = key.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(single), None) => single,
        _ => key,
    }
}

/// The edit that turns `before` (the word on screen, ending at the cursor) into `after`.
fn diff(before: &[char], after: &[char]) -> Edit {
    let common = before.iter().zip(after).take_while(|(old, new)| old == new).count();
    Edit { delete_before_cursor: before.len() - common, insert: after[common..].iter().collect() }
}
