//! The readiness list (`--readiness`) and, after the practice, what the student answered.

use super::super::readiness::CheckId;
use super::super::{State, UiCommand};
use phongthi_protocol::{Answer, PresentedBody};

pub(super) fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading(lang.t("Kiểm tra máy trước ngày thi", "Readiness check before exam day"));
        ui.add_space(12.0);
        let Some(checks) = &state.readiness else { return };
        // One block per check: status and name, then the detail wrapped below (addresses and
        // error messages are long).
        for id in CheckId::ALL {
            let (vi, en) = id.names();
            ui.horizontal(|ui| {
                match checks.get(id) {
                    None => ui.label(lang.t("Đang kiểm tra…", "Checking…")),
                    Some(Ok(_)) => ui.strong(lang.t("ĐẠT", "PASS")),
                    Some(Err(_)) => ui.colored_label(ui.visuals().error_fg_color, lang.t("LỖI", "FAIL")),
                };
                ui.label(lang.t(vi, en));
            });
            if let Some(Ok(detail) | Err(detail)) = checks.get(id) {
                ui.add(egui::Label::new(egui::RichText::new(detail).small()).wrap());
            }
            ui.add_space(8.0);
        }
        ui.add_space(20.0);
        if ui.button(lang.t("Làm bài thử (3 câu, không chấm điểm)", "Practice (3 questions, not scored)")).clicked()
        {
            commands.push(UiCommand::StartPractice);
        }
    });
}

/// What the student answered, as they would read it; nothing is marked right or wrong.
fn answer_text(state: &State, number: u32) -> String {
    let lang = state.lang;
    let body = state.form.as_ref().and_then(|form| form.question(number)).map(|q| &q.body);
    let answer = state.answers.get(&number);
    match (body, answer) {
        (_, None | Some(Answer::Cleared)) => lang.t("(chưa trả lời)", "(no answer)").to_owned(),
        (
            Some(PresentedBody::SingleChoice { .. } | PresentedBody::MultipleResponse { .. }),
            Some(Answer::Choices(c)),
        ) => c.iter().map(|index| char::from(b'A'.saturating_add(*index)).to_string()).collect::<Vec<_>>().join(", "),
        (_, Some(Answer::TrueFalse(true))) => lang.t("Đúng", "True").to_owned(),
        (_, Some(Answer::TrueFalse(false))) => lang.t("Sai", "False").to_owned(),
        (_, Some(Answer::Text(text))) => text.clone(),
        (_, Some(other)) => format!("{other:?}"),
    }
}

pub(super) fn show_practice_done(ui: &mut egui::Ui, state: &State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading(lang.t("Bạn đã trả lời", "You answered"));
        ui.label(lang.t("Bài làm thử không chấm điểm.", "The practice is not scored."));
        ui.add_space(12.0);
        let numbers: Vec<u32> = state.form.iter().flat_map(|f| f.questions().map(|q| q.number)).collect();
        for number in numbers {
            ui.label(format!("{} {number}: {}", lang.t("Câu", "Question"), answer_text(state, number)));
        }
        ui.add_space(20.0);
        if ui.button(lang.t("Quay lại danh sách kiểm tra", "Back to the checks")).clicked() {
            commands.push(UiCommand::BackToReadiness);
        }
    });
}
