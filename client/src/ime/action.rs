//! The transformations a modifier key asks for, shared by Telex and VNI: set or remove a tone,
//! add a circumflex, horn or breve, turn `d` into `đ`, and the clean-up after every change.
//!
//! Each applies to the current word wherever the key is typed after the vowels (`tieengs`,
//! `tiengse` and `tieesng` all give `tiếng`), and only if the word parses as a Vietnamese
//! syllable ([`super::syllable`]); otherwise the key is typed literally. Pressing the key for a
//! change that is already there undoes it, and the key is then typed as a letter (`ass` → `as`,
//! `aaa` → `aa`, `ddd` → `dd`, VNI `a11` → `a1`), which is how one types words such as `boong`.

use super::letter::{Glyph, Letter, Mark, Tone};
use super::syllable::{Syllable, is_bare_initial, marks_are_vietnamese, parse, tone_allowed_with_stop_final};
use super::tone::{ToneStyle, current_tone, place_tone, strip_tone};

/// What a modifier key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// Telex `s f r x j`, VNI `1`–`5`.
    SetTone(Tone),
    /// Telex `z`, VNI `0`.
    RemoveTone,
    /// Telex `aa ee oo` (only on that vowel), VNI `6` (on `a`, `e` or `o`).
    Circumflex { only_on: Option<char> },
    /// Telex `w`: horn on `o`/`u` or breve on `a`, or `ư` on its own after a consonant.
    TelexW,
    /// VNI `7`: horn on `o`/`u`.
    Horn,
    /// VNI `8`: breve on `a`.
    Breve,
    /// Telex `dd`, VNI `9`.
    Stroke,
}

/// What became of a modifier key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The word changed.
    Applied,
    /// Telex `w` with no vowel to modify appended `ư`.
    AppendedStandaloneU,
    /// The change was already there and has been removed; the key is now typed literally.
    Undone,
    /// The key does not apply to this word; it is typed literally.
    NotApplicable,
}

/// Applies `action` to the word (`upper` is the case of the key, used for a standalone `ư`).
pub(crate) fn perform(word: &mut Vec<Glyph>, action: Action, upper: bool, style: ToneStyle) -> Outcome {
    let Some(syllable) = parse(word) else {
        return Outcome::NotApplicable;
    };
    let before_action = word.clone();
    let outcome = match action {
        Action::SetTone(tone) => set_tone(word, &syllable, tone, style),
        Action::RemoveTone => remove_tone(word),
        Action::Circumflex { only_on } => circumflex(word, &syllable, only_on),
        Action::TelexW => {
            let outcome = if syllable.has_vowels() { horn(word, &syllable, true) } else { Outcome::NotApplicable };
            if outcome == Outcome::NotApplicable && is_bare_initial(word) {
                word.push(Glyph::Letter(Letter { base: 'u', mark: Mark::Horn, tone: Tone::Level, upper }));
                Outcome::AppendedStandaloneU
            } else {
                outcome
            }
        }
        Action::Horn => horn(word, &syllable, false),
        Action::Breve => {
            let last_a = last_vowel(word, &syllable, 'a');
            toggle_mark(word, last_a, Mark::Breve)
        }
        Action::Stroke => stroke(word),
    };
    let adds_a_mark = matches!(action, Action::Circumflex { .. } | Action::TelexW | Action::Horn | Action::Breve);
    if outcome == Outcome::Applied && adds_a_mark && !marks_are_vietnamese(word, &syllable) {
        *word = before_action;
        return Outcome::NotApplicable;
    }
    if outcome == Outcome::Applied {
        normalize(word, style);
    }
    outcome
}

/// Keeps a parsed word consistent after any change: a half-horned `uơ` or `ưo` followed by
/// anything becomes `ươ` (`thuơ` + `ng` → `thương`, `ngưo` + `i` → `ngươi`: only `thuở`, `huơ`
/// end in `uơ`, and nothing in `ưo`), and the tone moves to where [`super::tone`] says it
/// belongs (`hòa` + `n` → `hoàn`, `gì` + `a` → `già`). Words that do not parse are left alone.
pub(crate) fn normalize(word: &mut [Glyph], style: ToneStyle) {
    let Some(syllable) = parse(word) else {
        return;
    };
    if !syllable.has_vowels() {
        return;
    }
    if let Some(u_index) = uo_pair(word, &syllable)
        && u_index + 2 < word.len()
    {
        match (mark_at(word, u_index), mark_at(word, u_index + 1)) {
            (Some(Mark::None), Some(Mark::Horn)) => set_mark(word, u_index, Mark::Horn),
            (Some(Mark::Horn), Some(Mark::None)) => set_mark(word, u_index + 1, Mark::Horn),
            _ => {}
        }
    }
    let tone = current_tone(word);
    place_tone(word, &syllable, tone, style);
}

fn set_tone(word: &mut [Glyph], syllable: &Syllable, tone: Tone, style: ToneStyle) -> Outcome {
    if !syllable.has_vowels() {
        return Outcome::NotApplicable;
    }
    if current_tone(word) == tone {
        strip_tone(word);
        return Outcome::Undone;
    }
    if syllable.stop_final && !tone_allowed_with_stop_final(tone) {
        return Outcome::NotApplicable;
    }
    place_tone(word, syllable, tone, style);
    Outcome::Applied
}

fn remove_tone(word: &mut [Glyph]) -> Outcome {
    if current_tone(word) == Tone::Level {
        return Outcome::NotApplicable;
    }
    strip_tone(word);
    Outcome::Applied
}

fn circumflex(word: &mut [Glyph], syllable: &Syllable, only_on: Option<char>) -> Outcome {
    let target = syllable.vowels().rev().find(|index| {
        base_at(word, *index).is_some_and(|base| match only_on {
            Some(wanted) => base == wanted,
            None => matches!(base, 'a' | 'e' | 'o'),
        })
    });
    let outcome = toggle_mark(word, target, Mark::Circumflex);
    // `ươ` + circumflex is `uô`, not `ưô`: the horn on the `u` only ever goes with the one on `o`.
    if let (Outcome::Applied, Some(index)) = (outcome, target)
        && index > syllable.initial_end
        && base_at(word, index) == Some('o')
        && base_at(word, index - 1) == Some('u')
    {
        set_mark(word, index - 1, Mark::None);
    }
    outcome
}

/// Horn (Telex `w`, VNI `7`), and with `breve_on_a` the Telex `w` breve on `a`.
fn horn(word: &mut [Glyph], syllable: &Syllable, breve_on_a: bool) -> Outcome {
    if let Some(u_index) = uo_pair(word, syllable) {
        let o_index = u_index + 1;
        if mark_at(word, o_index) == Some(Mark::Horn) {
            set_mark(word, u_index, Mark::None);
            set_mark(word, o_index, Mark::None);
            return Outcome::Undone;
        }
        set_mark(word, o_index, Mark::Horn);
        // `uơ` alone at the end is a word (`thuở`, `huơ`); with anything after it, or a `ư`
        // already typed (`uwow`), it is `ươ` (`trường`, `người`, `rượu`).
        if mark_at(word, u_index) == Some(Mark::Horn) || o_index + 1 < word.len() {
            set_mark(word, u_index, Mark::Horn);
        }
        return Outcome::Applied;
    }
    // `mua` + horn is `mưa`, not `muă`: `uă` only occurs after `q`, where the `u` is part of the
    // initial and the cluster is just `a`.
    let vowels: Vec<usize> = syllable.vowels().collect();
    if let [.., u_index, a_index] = vowels.as_slice()
        && base_at(word, *u_index) == Some('u')
        && base_at(word, *a_index) == Some('a')
        && mark_at(word, *a_index) == Some(Mark::None)
        && !syllable.has_final()
    {
        return toggle_mark(word, Some(*u_index), Mark::Horn);
    }
    if breve_on_a && let Some(index) = last_vowel(word, syllable, 'a') {
        return toggle_mark(word, Some(index), Mark::Breve);
    }
    if let Some(index) = last_vowel(word, syllable, 'o') {
        return toggle_mark(word, Some(index), Mark::Horn);
    }
    // The first `u`: `ưu` (`cứu`), `ưi` (`gửi`).
    let first_u = syllable.vowels().find(|index| base_at(word, *index) == Some('u'));
    toggle_mark(word, first_u, Mark::Horn)
}

fn stroke(word: &mut [Glyph]) -> Outcome {
    match word.first_mut().and_then(|glyph| glyph.letter_mut()) {
        Some(letter) if letter.base == 'd' && letter.mark == Mark::None => {
            letter.mark = Mark::Stroke;
            Outcome::Applied
        }
        Some(letter) if letter.base == 'd' => {
            letter.mark = Mark::None;
            Outcome::Undone
        }
        _ => Outcome::NotApplicable,
    }
}

/// Sets `mark` on the letter at `target`, or removes it if it is already there.
fn toggle_mark(word: &mut [Glyph], target: Option<usize>, mark: Mark) -> Outcome {
    let Some(index) = target else {
        return Outcome::NotApplicable;
    };
    if mark_at(word, index) == Some(mark) {
        set_mark(word, index, Mark::None);
        Outcome::Undone
    } else {
        set_mark(word, index, mark);
        Outcome::Applied
    }
}

/// The index of the `u` in a `u` + `o` pair inside the vowel cluster.
fn uo_pair(word: &[Glyph], syllable: &Syllable) -> Option<usize> {
    let vowels = syllable.vowels();
    vowels.clone().find(|index| {
        vowels.contains(&(index + 1)) && base_at(word, *index) == Some('u') && base_at(word, index + 1) == Some('o')
    })
}

fn last_vowel(word: &[Glyph], syllable: &Syllable, base: char) -> Option<usize> {
    syllable.vowels().rev().find(|index| base_at(word, *index) == Some(base))
}

fn base_at(word: &[Glyph], index: usize) -> Option<char> {
    word.get(index).and_then(|glyph| glyph.letter()).map(|letter| letter.base)
}

fn mark_at(word: &[Glyph], index: usize) -> Option<Mark> {
    word.get(index).and_then(|glyph| glyph.letter()).map(|letter| letter.mark)
}

fn set_mark(word: &mut [Glyph], index: usize, mark: Mark) {
    if let Some(letter) = word.get_mut(index).and_then(|glyph| glyph.letter_mut()) {
        letter.mark = mark;
    }
}
