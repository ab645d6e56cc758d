//! The current question and the input its kind needs.
//!
//! Options are lettered A, B, C, … in the form's order and answered by index (0 = A); Đúng/Sai
//! rows for true/false and clusters; typed answers go through the built-in input method; a
//! numeric answer under the 4-character rule takes at most 4 characters from `-`, digits and `,`.
//! Texts go through [`math::show`], so `$...$` formulas are typeset; the accessible names of
//! options hold the plain reading of their formulas (`B. x = 1/2`), never LaTeX.

use super::super::ime_field::{self, FieldKind};
use super::super::{Lang, State, UiCommand};
use super::super::{images, markup, math};
use crate::ime::InputMethod;
use phongthi_protocol::{Answer, PresentedBody, PresentedQuestion};

/// `A`, `B`, … for option `index`.
fn option_letter(index: usize) -> char {
    u8::try_from(index).ok().and_then(|i| b'A'.checked_add(i)).map_or('?', char::from)
}

/// `a)`, `b)`, … for statement `index`.
fn statement_letter(index: usize) -> char {
    u8::try_from(index).ok().and_then(|i| b'a'.checked_add(i)).map_or('?', char::from)
}

fn points_text(lang: Lang, milli: i64) -> String {
    // Points are thousandths: show them as the teacher wrote them (0,25 điểm), without floats.
    let (whole, fraction) = (milli / 1000, (milli % 1000).abs());
    let mut text = whole.to_string();
    if fraction != 0 {
        let digits = format!("{fraction:03}");
        text.push(',');
        text.push_str(digits.trim_end_matches('0'));
    }
    format!("{text} {}", lang.t("điểm", "points"))
}

/// A radio button (pick one) or a check box (pick any).
#[derive(Clone, Copy, PartialEq, Eq)]
enum ChoiceKind {
    One,
    Many,
}

/// One lettered option; `true` when clicked. An option with a formula is the letter's button
/// followed by the typeset text (clicking either answers), and the button's accessible name is
/// the whole option in plain reading.
fn choice(ui: &mut egui::Ui, selected: bool, kind: ChoiceKind, letter: char, text: &str) -> bool {
    let mut checked = selected;
    if !math::has_math(text) {
        let label = format!("{letter}. {text}");
        return match kind {
            ChoiceKind::One => ui.radio(selected, label).clicked(),
            ChoiceKind::Many => ui.checkbox(&mut checked, label).clicked(),
        };
    }
    ui.horizontal(|ui| {
        let (button, role) = match kind {
            ChoiceKind::One => (ui.radio(selected, format!("{letter}.")), egui::Role::RadioButton),
            ChoiceKind::Many => (ui.checkbox(&mut checked, format!("{letter}.")), egui::Role::CheckBox),
        };
        let spoken = format!("{letter}. {}", math::plain_text(text));
        button.widget_info(|| egui::WidgetInfo::selected(role, true, selected, &spoken));
        let words = math::show(ui, text, egui::Sense::click());
        button.clicked() || words.clicked()
    })
    .inner
}

fn choices(answer: Option<&Answer>) -> Vec<u8> {
    match answer {
        Some(Answer::Choices(chosen)) => chosen.clone(),
        _ => Vec::new(),
    }
}

pub(super) fn show(ui: &mut egui::Ui, state: &mut State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    let Some(question) = state.form.as_ref().and_then(|form| form.question(state.current)).cloned() else {
        return;
    };
    let number = question.number;
    ui.horizontal(|ui| {
        ui.heading(format!("{} {number}", lang.t("Câu", "Question")));
        ui.label(points_text(lang, question.points_milli));
    });
    ui.add_space(8.0);
    // Figures first: the markup pass would drop their <img> tags.
    let (stem, figures) = images::take_references(&question.stem);
    let stem = markup::readable(&question.format, &stem);
    let stem_label = math::show(ui, &stem, egui::Sense::hover());
    let form_images = state.form.as_ref().map(|form| form.images.as_slice()).unwrap_or_default();
    for figure in &figures {
        ui.add_space(6.0);
        images::show(ui, form_images, figure);
    }
    ui.add_space(12.0);
    let answer = state.answers.get(&number).cloned();
    let mut changed: Option<Answer> = None;
    match &question.body {
        PresentedBody::SingleChoice { options } => {
            let chosen = choices(answer.as_ref());
            for (index, option) in options.iter().enumerate() {
                let selected = chosen.first().is_some_and(|c| usize::from(*c) == index);
                if choice(
                    ui,
                    selected,
                    ChoiceKind::One,
                    option_letter(index),
                    &markup::readable(&question.format, option),
                ) && let Ok(index) = u8::try_from(index)
                {
                    changed = Some(Answer::Choices(vec![index]));
                }
            }
        }
        PresentedBody::MultipleResponse { options } => {
            let chosen = choices(answer.as_ref());
            for (index, option) in options.iter().enumerate() {
                let Ok(index_u8) = u8::try_from(index) else { continue };
                let was_checked = chosen.contains(&index_u8);
                if choice(
                    ui,
                    was_checked,
                    ChoiceKind::Many,
                    option_letter(index),
                    &markup::readable(&question.format, option),
                ) {
                    let checked = !was_checked;
                    let mut next: Vec<u8> = chosen.iter().copied().filter(|c| *c != index_u8).collect();
                    if checked {
                        next.push(index_u8);
                        next.sort_unstable();
                    }
                    changed = Some(if next.is_empty() { Answer::Cleared } else { Answer::Choices(next) });
                }
            }
        }
        PresentedBody::TrueFalse => {
            let value = match answer {
                Some(Answer::TrueFalse(value)) => Some(value),
                _ => None,
            };
            ui.horizontal(|ui| {
                for (truth, label) in [(true, lang.t("Đúng", "True")), (false, lang.t("Sai", "False"))] {
                    if ui.radio(value == Some(truth), label).clicked() {
                        changed = Some(Answer::TrueFalse(truth));
                    }
                }
            });
        }
        PresentedBody::TrueFalseCluster { statements } => {
            let mut values = match answer {
                Some(Answer::Cluster(values)) if values.len() == statements.len() => values,
                _ => vec![None; statements.len()],
            };
            egui::Grid::new(("cluster", number)).num_columns(3).spacing([16.0, 10.0]).show(ui, |ui| {
                for (index, statement) in statements.iter().enumerate() {
                    let statement = markup::readable(&question.format, statement);
                    math::show(ui, &format!("{}) {statement}", statement_letter(index)), egui::Sense::hover());
                    for (truth, label) in [(true, lang.t("Đúng", "True")), (false, lang.t("Sai", "False"))] {
                        if ui.radio(values[index] == Some(truth), label).clicked() {
                            values[index] = Some(truth);
                            changed = Some(Answer::Cluster(values.clone()));
                        }
                    }
                    ui.end_row();
                }
            });
        }
        PresentedBody::ShortText | PresentedBody::Essay | PresentedBody::Numeric { .. } => {
            let kind = match question.body {
                PresentedBody::Essay => FieldKind::MultiLine,
                PresentedBody::Numeric { four_char_rule: true } => FieldKind::FourCharNumber,
                PresentedBody::Numeric { four_char_rule: false } => FieldKind::Number,
                _ => FieldKind::SingleLine,
            };
            typed_answer(ui, state, &question, kind, stem_label.id, commands);
        }
        PresentedBody::Matching { prompts, answers } => {
            let mut values = match answer {
                Some(Answer::Matching(values)) if values.len() == prompts.len() => values,
                _ => vec![None; prompts.len()],
            };
            egui::Grid::new(("matching", number)).num_columns(2).spacing([16.0, 10.0]).show(ui, |ui| {
                for (index, prompt) in prompts.iter().enumerate() {
                    math::show(ui, prompt, egui::Sense::hover());
                    // A combo box draws plain text: formulas in their plain reading.
                    let shown = values[index]
                        .and_then(|a| answers.get(usize::from(a)))
                        .map(|text| math::plain_text(text))
                        .unwrap_or_else(|| lang.t("(chọn)", "(choose)").to_owned());
                    egui::ComboBox::from_id_salt(("matching", number, index)).selected_text(shown).show_ui(ui, |ui| {
                        for (answer_index, text) in answers.iter().enumerate() {
                            let Ok(answer_index) = u8::try_from(answer_index) else { continue };
                            let text = math::plain_text(text);
                            if ui.selectable_label(values[index] == Some(answer_index), text).clicked() {
                                values[index] = Some(answer_index);
                                changed = Some(Answer::Matching(values.clone()));
                            }
                        }
                    });
                    ui.end_row();
                }
            });
        }
        PresentedBody::Description => {}
    }
    if let Some(tail) = &question.stem_tail {
        math::show(ui, tail, egui::Sense::hover());
    }
    let answerable = question.body != PresentedBody::Description;
    if answerable && state.is_answered(number) {
        ui.add_space(12.0);
        if ui.button(lang.t("Xóa câu trả lời", "Clear the answer")).clicked() {
            if let Some(field) = state.text_fields.get_mut(&number) {
                field.set_text("");
                field.edited_at = None;
            }
            changed = Some(Answer::Cleared);
        }
    }
    if let Some(answer) = changed {
        commands.push(UiCommand::Answer { number, answer });
    }
}

fn typed_answer(
    ui: &mut egui::Ui,
    state: &mut State,
    question: &PresentedQuestion,
    kind: FieldKind,
    label_id: egui::Id,
    commands: &mut Vec<UiCommand>,
) {
    let lang = state.lang;
    let number = question.number;
    let hint = match kind {
        FieldKind::FourCharNumber => {
            lang.t("Tối đa 4 ký tự: dấu -, chữ số, dấu phẩy", "At most 4 characters: -, digits, decimal comma")
        }
        FieldKind::Number => lang.t("Nhập số, dấu phẩy thập phân", "Type a number, decimal comma"),
        FieldKind::SingleLine | FieldKind::MultiLine => match state.typing {
            InputMethod::Telex => lang.t("Gõ Telex (Ctrl+Space: đổi kiểu gõ)", "Telex typing (Ctrl+Space: switch)"),
            InputMethod::Vni => lang.t("Gõ VNI (Ctrl+Space: đổi kiểu gõ)", "VNI typing (Ctrl+Space: switch)"),
            InputMethod::Off => {
                lang.t("Không bỏ dấu tiếng Việt (Ctrl+Space: đổi kiểu gõ)", "No Vietnamese marks (Ctrl+Space: switch)")
            }
        },
    };
    let Some(field) = state.text_fields.get_mut(&number) else { return };
    let response = ime_field::show(ui, field, super::answer_field_id(number), kind, label_id);
    ui.small(hint);
    if response.lost_focus() {
        commands.push(UiCommand::CommitText(number));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_points_read_as_on_paper() {
        assert_eq!((option_letter(0), option_letter(3)), ('A', 'D'));
        assert_eq!((statement_letter(0), statement_letter(3)), ('a', 'd'));
        let check = |milli, expected: &str| assert_eq!(points_text(Lang::Vi, milli), expected);
        check(250, "0,25 điểm");
        check(1000, "1 điểm");
        check(500, "0,5 điểm");
        check(100, "0,1 điểm");
    }
}
