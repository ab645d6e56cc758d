//! The proctor's actions: Start, Pause/Resume, Extend (room or one student), approve or deny a
//! seat move (or every pending one at once), force-submit, End — the commands of `proctor ctl`. Every one goes through a
//! confirmation that names what it does and to whom; the room task carries it out and writes it
//! to the audit chain.

use super::alerts::alerts_of;
use super::clock::clock_time;
use super::state::{Confirmation, Lang, State, UiCommand};
use egui::RichText;
use phongthi_protocol::ClockState;
use phongthi_server::SeatStatus;
use phongthi_server::control::Command;

/// The label an action is known by (buttons, notices).
pub fn action_label(command: &Command, lang: Lang) -> String {
    match command {
        Command::Start => lang.t("Bắt đầu", "Start").to_owned(),
        Command::Pause => lang.t("Tạm dừng", "Pause").to_owned(),
        Command::Resume => lang.t("Tiếp tục", "Resume").to_owned(),
        Command::End => lang.t("Kết thúc", "End").to_owned(),
        Command::Extend { minutes, student: None } => {
            format!("{} +{minutes}", lang.t("Gia hạn cả phòng", "Extend room"))
        }
        Command::Extend { minutes, student: Some(_) } => format!("{} +{minutes}", lang.t("Gia hạn", "Extend")),
        Command::ApproveMove { .. } => lang.t("Cho đổi máy", "Approve move").to_owned(),
        Command::ApproveMoves { .. } => lang.t("Cho đổi máy tất cả", "Approve all moves").to_owned(),
        Command::DenyMove { .. } => lang.t("Từ chối đổi máy", "Deny move").to_owned(),
        Command::ForceSubmit { .. } => lang.t("Thu bài", "Force submit").to_owned(),
        Command::Status => lang.t("Tình trạng", "Status").to_owned(),
    }
}

/// The confirmation question for `command`, naming the student (`name`) where there is one.
pub fn confirmation(command: Command, name: Option<&str>, lang: Lang) -> Confirmation {
    let who = name.unwrap_or_default();
    let question = match &command {
        Command::Start => lang.t("Bắt đầu bài thi cho cả phòng?", "Start the exam for the whole room?").to_owned(),
        Command::Pause => lang.t("Tạm dừng bài thi của cả phòng?", "Pause the exam for the whole room?").to_owned(),
        Command::Resume => lang.t("Cho cả phòng làm bài tiếp?", "Resume the exam for the whole room?").to_owned(),
        Command::End => lang
            .t(
                "Kết thúc bài thi? Bài chưa nộp sẽ được thu từ các câu đã lưu.",
                "End the exam? Unsubmitted work is collected from the stored answers.",
            )
            .to_owned(),
        Command::Extend { minutes, student: None } => {
            format!(
                "{} {minutes} {}?",
                lang.t("Gia hạn cả phòng thêm", "Extend the whole room by"),
                lang.t("phút", "minutes")
            )
        }
        Command::Extend { minutes, student: Some(_) } => {
            format!(
                "{} {who} {} {minutes} {}?",
                lang.t("Gia hạn cho", "Extend"),
                lang.t("thêm", "by"),
                lang.t("phút", "minutes")
            )
        }
        Command::ApproveMove { .. } => {
            format!("{} {who} {}?", lang.t("Cho", "Let"), lang.t("làm tiếp trên máy mới", "continue on the new PC"))
        }
        Command::ApproveMoves { .. } => lang
            .t(
                "Cho mọi học sinh đang chờ đổi máy làm tiếp trên máy mới?",
                "Let every student waiting for a seat move continue on the new PC?",
            )
            .to_owned(),
        Command::DenyMove { .. } => format!("{} {who}?", lang.t("Từ chối đổi máy của", "Deny the seat move of")),
        Command::ForceSubmit { .. } => {
            format!("{} {who} {}?", lang.t("Thu bài của", "Collect the work of"), lang.t("ngay bây giờ", "now"))
        }
        Command::Status => String::new(),
    };
    Confirmation { question, command }
}

/// The room's buttons (top bar).
pub fn room_bar(ui: &mut egui::Ui, state: &mut State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    let clock = state.status.as_ref().map(|s| s.state);
    let mut ask = |ui: &mut egui::Ui, enabled: bool, command: Command| {
        if ui.add_enabled(enabled, egui::Button::new(action_label(&command, lang))).clicked() {
            commands.push(UiCommand::Confirm(confirmation(command, None, lang)));
        }
    };
    ask(ui, clock == Some(ClockState::NotStarted), Command::Start);
    if clock == Some(ClockState::Paused) {
        ask(ui, true, Command::Resume);
    } else {
        ask(ui, clock == Some(ClockState::Running), Command::Pause);
    }
    let label = ui.label(lang.t("Gia hạn:", "Extend by:"));
    ui.add(egui::DragValue::new(&mut state.extend_minutes).range(1..=120).suffix(lang.t(" phút", " min")))
        .labelled_by(label.id);
    let minutes = state.extend_minutes;
    ask(
        ui,
        matches!(clock, Some(ClockState::Running | ClockState::Paused)),
        Command::Extend { minutes, student: None },
    );
    ask(ui, matches!(clock, Some(ClockState::Running | ClockState::Paused)), Command::End);
    // After a power cut every PC of the room may ask at once: one confirmation for all of them.
    let pending = state.status.as_ref().map_or(0, |s| s.seats.iter().filter(|seat| seat.move_pending).count());
    if pending > 0 {
        let label = format!("{} ({pending})", action_label(&Command::ApproveMoves { room: None }, lang));
        if ui.button(label).clicked() {
            commands.push(UiCommand::Confirm(confirmation(Command::ApproveMoves { room: None }, None, lang)));
        }
    }
}

/// The selected student's details and actions (side panel).
pub fn student_panel(ui: &mut egui::Ui, state: &State, seat: &SeatStatus, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    ui.heading(&seat.full_name);
    let dash = || "—".to_owned();
    egui::Grid::new("student").num_columns(2).show(ui, |ui| {
        let mut row = |name: &str, value: String| {
            ui.label(name);
            ui.label(value);
            ui.end_row();
        };
        row(lang.t("Mã HS", "Student id"), seat.student_id.clone());
        row(lang.t("Lớp", "Class"), seat.class.clone());
        row(lang.t("Ghế", "Seat"), seat.seat.clone().unwrap_or_else(dash));
        row(lang.t("Mã đề", "Form"), seat.form.clone());
        row(lang.t("Đã làm", "Answered"), format!("{}/{}", seat.answered, seat.questions));
        row(lang.t("Lưu lần cuối", "Last save"), seat.last_save_ms.map(clock_time).unwrap_or_else(dash));
        row(lang.t("Gia hạn", "Extension"), format!("{} {}", seat.extension_minutes, lang.t("phút", "min")));
        row(lang.t("Biên nhận", "Receipt"), seat.receipt_code.clone().unwrap_or_else(dash));
    });
    let now = state.status.as_ref().map(|s| s.now_ms).unwrap_or(0);
    for alert in alerts_of(seat, now, state.integrity.contains(&seat.student_id)) {
        ui.label(RichText::new(format!("{} {}", alert.icon(), alert.label(lang))).color(alert.colour()).strong());
    }
    ui.separator();
    let running = matches!(state.status.as_ref().map(|s| s.state), Some(ClockState::Running | ClockState::Paused));
    let student = seat.student_id.clone();
    let name = Some(seat.full_name.as_str());
    let mut ask = |ui: &mut egui::Ui, enabled: bool, command: Command| {
        if ui.add_enabled(enabled, egui::Button::new(action_label(&command, lang))).clicked() {
            commands.push(UiCommand::Confirm(confirmation(command, name, lang)));
        }
    };
    let open = seat.receipt_code.is_none();
    ask(ui, open && running, Command::Extend { minutes: state.extend_minutes, student: Some(student.clone()) });
    ask(ui, seat.move_pending, Command::ApproveMove { student: student.clone() });
    ask(ui, seat.move_pending, Command::DenyMove { student: student.clone() });
    ask(ui, open && seat.logged_in && running, Command::ForceSubmit { student });
    if ui.button(lang.t("Đóng", "Close")).clicked() {
        commands.push(UiCommand::Select(None));
    }
}

/// The confirmation dialog, while an action waits for it.
pub fn confirmation_modal(ctx: &egui::Context, state: &State, commands: &mut Vec<UiCommand>) {
    let Some(confirming) = &state.confirming else { return };
    let lang = state.lang;
    let modal = egui::Modal::new(egui::Id::unique("phongthi-dashboard-confirm")).show(ctx, |ui| {
        ui.heading(lang.t("Xác nhận", "Confirm"));
        ui.label(RichText::new(&confirming.question).size(18.0));
        ui.horizontal(|ui| {
            if ui.button(format!("√ {}", action_label(&confirming.command, lang))).clicked() {
                commands.push(UiCommand::Confirmed);
            }
            if ui.button(lang.t("Hủy", "Cancel")).clicked() {
                commands.push(UiCommand::Cancel);
            }
        });
    });
    if modal.should_close() {
        commands.push(UiCommand::Cancel);
    }
}
