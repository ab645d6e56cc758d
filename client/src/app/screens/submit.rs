//! The submit confirmation: what is still unanswered or flagged, then submit or go back.

use super::super::{State, UiCommand};

fn numbers(label: &str, numbers: &[u32]) -> String {
    let list: Vec<String> = numbers.iter().map(u32::to_string).collect();
    format!("{label}: {}", list.join(", "))
}

pub(super) fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading(lang.t("Nộp bài?", "Submit?"));
        ui.add_space(12.0);
        let unanswered = state.unanswered();
        if unanswered.is_empty() {
            ui.label(lang.t("Bạn đã trả lời tất cả các câu.", "You have answered every question."));
        } else {
            ui.label(numbers(lang.t("Câu chưa trả lời", "Unanswered questions"), &unanswered));
        }
        let flagged: Vec<u32> = state.flagged.iter().copied().collect();
        if !flagged.is_empty() {
            ui.label(numbers(lang.t("Câu đánh dấu xem lại", "Flagged for review"), &flagged));
        }
        ui.add_space(12.0);
        ui.label(lang.t("Sau khi nộp, bạn không sửa được bài nữa.", "Once submitted, answers cannot be changed."));
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            if ui.button(lang.t("Quay lại làm bài", "Back to the questions")).clicked() {
                commands.push(UiCommand::BackToExam);
            }
            if ui.button(lang.t("Nộp bài", "Submit")).clicked() {
                commands.push(UiCommand::ConfirmSubmit);
            }
        });
    });
}

pub(super) fn show_sending(ui: &mut egui::Ui, state: &State) {
    let lang = state.lang;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(lang.t("Đang nộp bài…", "Submitting…"));
            ui.label(super::link_text(lang, state.link.as_ref()));
        });
    });
}
