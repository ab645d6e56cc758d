//! Blind marking of essay answers (F5): each answered essay of a submitted sheet under its
//! opaque marking code, never the student's name, with the question, the answer, the points
//! possible, and fields for the mark and a comment. Saving goes through the room's own store
//! (`RoomHandle::mark`), which grades the sheet again exactly and writes the audit chain, as
//! `proctor mark` does.

use super::state::{Lang, MarkingData, State, UiCommand};
use phongthi_results::marking::{EssayAnswer, NewMark};

/// The marker named in the audit chain for marks given in the dashboard.
pub const MARKER: &str = "giám thị (bảng điều khiển)";

/// Draws the panel.
pub fn show(ui: &mut egui::Ui, state: &mut State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    let Some(data) = state.marking.clone() else {
        ui.label(lang.t("Chưa có bài tự luận nào đã nộp.", "No submitted essay answers yet."));
        return;
    };
    ui.heading(lang.t("Chấm tự luận (chấm ẩn danh)", "Essay marking (blind)"));
    ui.label(progress_line(&data, lang));
    ui.checkbox(&mut state.show_marked, lang.t("Hiện cả câu đã chấm", "Show marked answers too"));
    ui.separator();
    let show_marked = state.show_marked;
    egui::ScrollArea::vertical().show(ui, |ui| {
        for essay in data.essays.iter().filter(|e| show_marked || e.mark.is_none()) {
            essay_card(ui, state, essay, commands);
            ui.separator();
        }
    });
}

fn progress_line(data: &MarkingData, lang: Lang) -> String {
    let p = data.progress;
    format!(
        "{}: {}/{} · {}: {}",
        lang.t("Đã chấm", "Marked"),
        p.marked,
        p.essays,
        lang.t("Bài còn chờ chấm", "Sheets waiting"),
        p.sheets_pending
    )
}

fn essay_card(ui: &mut egui::Ui, state: &mut State, essay: &EssayAnswer, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    let key = (essay.code.clone(), essay.question);
    ui.label(
        egui::RichText::new(format!("{} · {} {}", essay.code, lang.t("Câu", "Question"), essay.question)).strong(),
    );
    ui.label(&essay.prompt);
    ui.group(|ui| {
        ui.label(&essay.answer);
    });
    let (points, comment) = state.mark_inputs.entry(key).or_default();
    ui.horizontal(|ui| {
        let max = format!("/ {}", essay.max);
        let given = essay.mark.map(|m| format!(" ({}: {m})", lang.t("đã cho", "given"))).unwrap_or_default();
        ui.label(lang.t("Điểm", "Points"));
        let label =
            format!("{} {} {} {}", lang.t("Điểm", "Points"), essay.code, lang.t("câu", "question"), essay.question);
        ui.add(egui::TextEdit::singleline(points).desired_width(60.0).hint_text("0,5")).labelled_by_text(&label);
        ui.label(format!("{max}{given}"));
        ui.label(lang.t("Nhận xét", "Comment"));
        let label = format!("{} {} {}", lang.t("Nhận xét", "Comment"), essay.code, essay.question);
        ui.add(egui::TextEdit::singleline(comment).desired_width(260.0)).labelled_by_text(&label);
        let save = format!("{} {} {}", lang.t("Lưu điểm", "Save mark"), essay.code, essay.question);
        if ui.add_enabled(!points.trim().is_empty(), egui::Button::new(save)).clicked() {
            commands.push(UiCommand::Mark(NewMark {
                code: essay.code.clone(),
                question: essay.question,
                points: points.trim().to_owned(),
                comment: comment.trim().to_owned(),
                marker: MARKER.to_owned(),
            }));
        }
    });
}

/// Extension for labelling a text field by a string (for screen readers and the tests).
trait LabelledByText {
    fn labelled_by_text(self, label: &str) -> egui::Response;
}

impl LabelledByText for egui::Response {
    fn labelled_by_text(self, label: &str) -> egui::Response {
        self.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, label));
        self
    }
}
