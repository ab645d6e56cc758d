//! Keyboard operation of the exam, for students who cannot or would rather not use a mouse:
//! letters A, B, C, … answer (toggle for pick-any), ↑/↓ move the chosen option, Đ/S keys (`D`
//! and `S`) answer true/false questions, PageUp/PageDown or Ctrl+←/→ move between questions, F
//! flags. Nothing here runs while a text answer has the keyboard: there the keys are letters.

use super::super::{State, UiCommand};
use egui::{Key, Modifiers};
use phongthi_protocol::{Answer, PresentedBody};

const LETTERS: [Key; 8] = [Key::A, Key::B, Key::C, Key::D, Key::E, Key::F, Key::G, Key::H];

/// Reads the exam's keys and pushes what they ask for.
pub(super) fn exam_keys(ui: &egui::Ui, state: &State, commands: &mut Vec<UiCommand>) {
    if ui.ctx().text_edit_focused() {
        return;
    }
    let numbers: Vec<u32> = state.form.iter().flat_map(|f| f.questions().map(|q| q.number)).collect();
    let position = numbers.iter().position(|n| *n == state.current);
    let pressed = |key: Key, modifiers: Modifiers| ui.input_mut(|input| input.consume_key(modifiers, key));
    let previous = pressed(Key::PageUp, Modifiers::NONE) || pressed(Key::ArrowLeft, Modifiers::COMMAND);
    let next = pressed(Key::PageDown, Modifiers::NONE) || pressed(Key::ArrowRight, Modifiers::COMMAND);
    let target = match (position, previous, next) {
        (Some(p), true, false) => p.checked_sub(1).and_then(|p| numbers.get(p)),
        (Some(p), false, true) => numbers.get(p + 1),
        _ => None,
    };
    if let Some(number) = target {
        commands.push(UiCommand::Select(*number));
        return;
    }
    let Some(question) = state.form.as_ref().and_then(|form| form.question(state.current)) else { return };
    let number = question.number;
    let chosen: Vec<u8> = match state.answers.get(&number) {
        Some(Answer::Choices(chosen)) => chosen.clone(),
        _ => Vec::new(),
    };
    match &question.body {
        PresentedBody::SingleChoice { options } => {
            let count = options.len().min(LETTERS.len());
            let mut pick = LETTERS[..count].iter().position(|key| pressed(*key, Modifiers::NONE));
            let current = chosen.first().map(|c| usize::from(*c));
            if pressed(Key::ArrowDown, Modifiers::NONE) {
                pick = Some(current.map_or(0, |c| (c + 1).min(count.saturating_sub(1))));
            } else if pressed(Key::ArrowUp, Modifiers::NONE) {
                pick = Some(current.map_or(0, |c| c.saturating_sub(1)));
            }
            if let Some(index) = pick.and_then(|p| u8::try_from(p).ok())
                && chosen != [index]
            {
                commands.push(UiCommand::Answer { number, answer: Answer::Choices(vec![index]) });
            }
        }
        PresentedBody::MultipleResponse { options } => {
            let count = options.len().min(LETTERS.len());
            if let Some(index) = LETTERS[..count].iter().position(|key| pressed(*key, Modifiers::NONE))
                && let Ok(index) = u8::try_from(index)
            {
                let mut next: Vec<u8> = chosen.iter().copied().filter(|c| *c != index).collect();
                if !chosen.contains(&index) {
                    next.push(index);
                    next.sort_unstable();
                }
                let answer = if next.is_empty() { Answer::Cleared } else { Answer::Choices(next) };
                commands.push(UiCommand::Answer { number, answer });
            }
        }
        PresentedBody::TrueFalse => {
            if pressed(Key::D, Modifiers::NONE) {
                commands.push(UiCommand::Answer { number, answer: Answer::TrueFalse(true) });
            } else if pressed(Key::S, Modifiers::NONE) {
                commands.push(UiCommand::Answer { number, answer: Answer::TrueFalse(false) });
            }
        }
        _ => {}
    }
    // F flags — after the letters, so a sixth option F of a long question still answers.
    if pressed(Key::F, Modifiers::NONE) {
        commands.push(UiCommand::ToggleFlag(number));
    }
}
