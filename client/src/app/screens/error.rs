//! The error screen: a refusal or a fatal problem, in words, with the way back to login.

use super::super::{State, UiCommand};

pub(super) fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(lang.t("Không vào được phòng thi", "Cannot continue"));
            ui.add_space(20.0);
            if let Some(message) = &state.login.message {
                ui.colored_label(ui.visuals().error_fg_color, message);
            }
            ui.add_space(20.0);
            if state.admission.is_none() && ui.button(lang.t("Quay lại đăng nhập", "Back to login")).clicked() {
                commands.push(UiCommand::BackToLogin);
            }
        });
    });
}
