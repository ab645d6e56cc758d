//! The exam: the input method switch, countdown and save indicator on top, the question navigator
//! on the left, the current question in the middle, flag / previous / next / submit at the bottom.

use super::super::{Lang, State, UiCommand};
use super::{keys, question, typing};
use crate::net::Link;
use phongthi_protocol::LocalTime;
use std::time::Duration;

/// `mm:ss`, or `h:mm:ss` from an hour up.
pub(super) fn clock_text(remaining: Duration) -> String {
    let seconds = remaining.as_secs();
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 { format!("{hours}:{minutes:02}:{seconds:02}") } else { format!("{minutes:02}:{seconds:02}") }
}

fn countdown(lang: Lang, state: &State, now: LocalTime) -> String {
    if let Some(remaining) = state.paused {
        return format!("{} — {} {}", lang.t("Tạm dừng", "Paused"), lang.t("còn", "left"), clock_text(remaining));
    }
    match state.deadline {
        Some(deadline) => {
            let remaining = Duration::from_millis(deadline.0.saturating_sub(now.0));
            format!("{} {}", lang.t("Còn lại", "Time left"), clock_text(remaining))
        }
        None => String::new(),
    }
}

fn save_text(lang: Lang, state: &State) -> String {
    let offline = !matches!(state.link, Some(Link::Online) | None);
    if offline {
        return lang
            .t("Mất kết nối — bài làm vẫn được lưu trên máy", "Offline — answers are kept on this PC")
            .to_owned();
    }
    if state.save.unacked > 0 {
        format!("{} ({})", lang.t("Đang lưu…", "Saving…"), state.save.unacked)
    } else {
        lang.t("Đã lưu", "Saved").to_owned()
    }
}

/// The accessible name of a navigator button: the number and its state in words.
fn navigator_label(lang: Lang, number: u32, answered: bool, flagged: bool) -> String {
    let status = match (answered, flagged) {
        (true, false) => lang.t("đã trả lời", "answered"),
        (false, false) => lang.t("chưa trả lời", "unanswered"),
        (true, true) => lang.t("đã trả lời, đánh dấu", "answered, flagged"),
        (false, true) => lang.t("chưa trả lời, đánh dấu", "unanswered, flagged"),
    };
    format!("{} {number}: {status}", lang.t("Câu", "Question"))
}

fn navigator(ui: &mut egui::Ui, state: &State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    let Some(form) = &state.form else { return };
    egui::ScrollArea::vertical().show(ui, |ui| {
        for part in &form.parts {
            ui.label(&part.name);
            ui.horizontal_wrapped(|ui| {
                for question in &part.questions {
                    let number = question.number;
                    let answered = state.is_answered(number);
                    let flagged = state.flagged.contains(&number);
                    let visuals = ui.visuals();
                    let fill = match (answered, flagged) {
                        (_, true) => visuals.warn_fg_color.gamma_multiply(0.4),
                        (true, false) => visuals.selection.bg_fill,
                        (false, false) => visuals.widgets.inactive.weak_bg_fill,
                    };
                    let text = if flagged { format!("{number}*") } else { number.to_string() };
                    let button = egui::Button::new(text)
                        .fill(fill)
                        .selected(number == state.current)
                        .min_size(egui::vec2(44.0, 36.0));
                    let response = ui.add(button);
                    let label = navigator_label(lang, number, answered, flagged);
                    response.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::Button, true, number == state.current, &label)
                    });
                    if response.on_hover_text(&label).clicked() {
                        commands.push(UiCommand::Select(number));
                    }
                }
            });
        }
    });
}

pub(super) fn show(ui: &mut egui::Ui, state: &mut State, now: LocalTime, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    typing::shortcut(ui, state, commands);
    keys::exam_keys(ui, state, commands);
    egui::Panel::top("exam_status").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let Some(form) = &state.form {
                ui.label(format!("{} — {} {}", form.exam_title, lang.t("Mã đề", "Form"), form.form_code));
            }
            ui.separator();
            typing::switch(ui, state, commands);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(egui::RichText::new(countdown(lang, state, now)).size(24.0).strong());
                ui.separator();
                ui.label(save_text(lang, state));
            });
        });
    });
    egui::Panel::left("exam_navigator").default_size(220.0).show(ui, |ui| {
        navigator(ui, state, commands);
    });
    egui::Panel::bottom("exam_actions").show(ui, |ui| {
        ui.horizontal(|ui| {
            let numbers: Vec<u32> = state.form.iter().flat_map(|f| f.questions().map(|q| q.number)).collect();
            let position = numbers.iter().position(|n| *n == state.current);
            let previous = position.and_then(|p| p.checked_sub(1)).and_then(|p| numbers.get(p));
            let next = position.and_then(|p| numbers.get(p + 1));
            if ui.add_enabled(previous.is_some(), egui::Button::new(lang.t("Câu trước", "Previous"))).clicked()
                && let Some(number) = previous
            {
                commands.push(UiCommand::Select(*number));
            }
            if ui.add_enabled(next.is_some(), egui::Button::new(lang.t("Câu sau", "Next"))).clicked()
                && let Some(number) = next
            {
                commands.push(UiCommand::Select(*number));
            }
            let mut flagged = state.flagged.contains(&state.current);
            if ui.checkbox(&mut flagged, lang.t("Đánh dấu để xem lại", "Flag for review")).clicked() {
                commands.push(UiCommand::ToggleFlag(state.current));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(lang.t("Nộp bài", "Submit")).clicked() {
                    commands.push(UiCommand::ReviewBeforeSubmit);
                }
            });
        });
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| question::show(ui, state, commands));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_shows_minutes_and_hours() {
        let check = |seconds, expected: &str| assert_eq!(clock_text(Duration::from_secs(seconds)), expected);
        check(0, "00:00");
        check(59, "00:59");
        check(45 * 60 + 7, "45:07");
        check(3600 + 5 * 60 + 9, "1:05:09");
    }
}
