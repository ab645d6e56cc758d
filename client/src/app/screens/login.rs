//! Login: student id, room code, and the PIN when the roster has one.

use super::super::ime_field::{self, FieldKind, TextField};
use super::super::{Lang, State, UiCommand};

/// One labelled field; returns whether Enter was pressed in it.
fn field(ui: &mut egui::Ui, label: &str, text: &mut TextField, id: &str) -> bool {
    // The field points at its label, so screen readers (and tests) find it by that name.
    let label_response = ui.label(label);
    let response = ime_field::show(ui, text, egui::Id::unique(("login", id)), FieldKind::SingleLine, label_response.id);
    ui.end_row();
    response.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter))
}

pub(super) fn show(ui: &mut egui::Ui, state: &mut State, commands: &mut Vec<UiCommand>) {
    let lang: Lang = state.lang;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading(state.welcome_title.as_deref().unwrap_or(&state.lab.exam_title));
            ui.add_space(20.0);
        });
        let mut submitted = false;
        egui::Grid::new("login_grid").num_columns(2).spacing([12.0, 12.0]).show(ui, |ui| {
            submitted |= field(ui, lang.t("Mã học sinh", "Student id"), &mut state.login.student_id, "student_id");
            submitted |= field(ui, lang.t("Mã phòng", "Room code"), &mut state.login.room_code, "room_code");
            if state.login.pin_required {
                submitted |= field(ui, lang.t("Mã PIN", "PIN"), &mut state.login.pin, "pin");
            }
        });
        ui.add_space(12.0);
        if ui.button(lang.t("Vào phòng thi", "Enter the exam room")).clicked() || submitted {
            commands.push(UiCommand::LogIn);
        }
        if let Some(message) = &state.login.message {
            ui.colored_label(ui.visuals().error_fg_color, message);
        }
    });
}
