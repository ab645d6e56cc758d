//! The waiting room: who is logged in, where, which form, the rules, and whether the sealed
//! package has arrived. Nothing to do here but wait for the proctor's Start.

use super::super::{PackageState, State};

pub(super) fn show(ui: &mut egui::Ui, state: &State) {
    let lang = state.lang;
    egui::CentralPanel::default().show(ui, |ui| {
        let Some(admission) = &state.admission else { return };
        ui.vertical_centered(|ui| {
            ui.add_space(20.0);
            ui.heading(&admission.exam_title);
        });
        ui.add_space(20.0);
        egui::Grid::new("waiting_grid").num_columns(2).spacing([16.0, 8.0]).show(ui, |ui| {
            let mut row = |label: &str, value: &str| {
                ui.label(label);
                ui.strong(value);
                ui.end_row();
            };
            row(lang.t("Họ và tên", "Full name"), &admission.full_name);
            row(lang.t("Lớp", "Class"), &admission.class);
            if let Some(seat) = &admission.seat {
                row(lang.t("Chỗ ngồi", "Seat"), seat);
            }
            row(lang.t("Mã đề", "Form code"), &admission.form_code);
            row(
                lang.t("Thời gian làm bài", "Duration"),
                &format!("{} {}", admission.duration_minutes, lang.t("phút", "minutes")),
            );
        });
        ui.add_space(16.0);
        ui.label(lang.t("Nội quy", "Rules"));
        ui.label(&admission.rules);
        ui.add_space(16.0);
        let package = match &state.package {
            PackageState::Waiting => lang.t("Đang nhận đề thi…", "Receiving the exam…").to_owned(),
            PackageState::Verified => lang
                .t("Đã nhận đề thi. Chờ giám thị bắt đầu.", "Exam received. Waiting for the proctor to start.")
                .to_owned(),
            PackageState::Refused(reason) => {
                format!("{}: {reason}", lang.t("Đề thi không hợp lệ", "Exam package refused"))
            }
        };
        ui.label(package);
    });
}
