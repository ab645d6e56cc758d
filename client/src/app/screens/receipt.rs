//! The receipt: the short code the student writes down or shows the proctor, in large type.

use super::super::State;

pub(super) fn show(ui: &mut egui::Ui, state: &State) {
    let lang = state.lang;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(lang.t("Đã nộp bài", "Submitted"));
            ui.add_space(20.0);
            ui.label(lang.t("Mã biên nhận", "Receipt code"));
            if let Some(code) = &state.receipt_code {
                ui.label(egui::RichText::new(code).size(64.0).monospace().strong());
            }
            ui.add_space(20.0);
            ui.label(lang.t(
                "Hãy ghi lại mã này. Bạn có thể rời phòng khi giám thị cho phép.",
                "Write this code down. You may leave when the proctor allows.",
            ));
        });
    });
}
