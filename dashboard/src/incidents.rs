//! The incident log: every incident the room recorded (focus lost, full screen left, offline,
//! seat-move requests, refused logins, unknown builds), newest first, with time, seat, student
//! and detail; filterable by kind and by text, and exportable as CSV (UTF-8 with BOM for Excel).

use super::clock::clock_time;
use super::state::{Lang, State, UiCommand};
use phongthi_items::text::fold_for_search;
use phongthi_server::RoomHandle;
use phongthi_store::IncidentRecord;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// An incident kind in words.
pub fn kind_label(kind: &str, lang: Lang) -> String {
    let known = match kind {
        "FocusLost" => Some(("↗ Rời cửa sổ thi", "↗ Left the exam window")),
        "FullscreenExit" => Some(("⊡ Thoát toàn màn hình", "⊡ Left full screen")),
        "SeatMoveRequested" => Some(("⇄ Xin đổi máy", "⇄ Seat move request")),
        "Rejoined" => Some(("↻ Vào lại sau khi khởi động lại", "↻ Rejoined after a restart")),
        "LateAnswers" => Some(("⏱ Câu trả lời đến sau hạn (đã nhận)", "⏱ Late answers accepted")),
        "Disconnected" => Some(("⊘ Mất kết nối", "⊘ Disconnected")),
        "IntegrityMismatch" => Some(("‼ Bản máy khách lạ", "‼ Unknown client build")),
        "LoginRefused" => Some(("⊗ Từ chối đăng nhập", "⊗ Login refused")),
        "StoreFailed" => Some(("‼ Lỗi ghi đĩa", "‼ Storing failed")),
        _ => None,
    };
    match known {
        Some((vi, en)) => lang.t(vi, en).to_owned(),
        None => kind.to_owned(),
    }
}

/// Whether `incident` passes the kind filter and the (folded) search text.
pub fn matches(
    incident: &IncidentRecord,
    kind: Option<&str>,
    folded_search: &str,
    name_of: &dyn Fn(&str) -> String,
) -> bool {
    let i = &incident.incident;
    if kind.is_some_and(|k| k != i.kind) {
        return false;
    }
    if folded_search.is_empty() {
        return true;
    }
    let student = i.student_id.as_deref().unwrap_or_default();
    student.contains(folded_search)
        || fold_for_search(&name_of(student)).contains(folded_search)
        || fold_for_search(&i.detail).contains(folded_search)
}

/// Draws the incident log.
pub fn show(ui: &mut egui::Ui, state: &mut State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    let kinds: BTreeSet<&str> = state.incidents.iter().map(|i| i.incident.kind.as_str()).collect();
    let mut kind = state.incident_kind.clone();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(lang.t("Loại:", "Kind:"));
        egui::ComboBox::from_id_salt("incident-kind")
            .selected_text(
                kind.as_deref().map(|k| kind_label(k, lang)).unwrap_or_else(|| lang.t("Tất cả", "All").to_owned()),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut kind, None, lang.t("Tất cả", "All"));
                for k in &kinds {
                    ui.selectable_value(&mut kind, Some((*k).to_owned()), kind_label(k, lang));
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(lang.t("Tìm:", "Search:"));
        ui.add(egui::TextEdit::singleline(&mut state.incident_search).id_salt("incident-search").desired_width(180.0))
            .labelled_by(label.id);
        if ui.button(lang.t("Xuất CSV", "Export CSV")).clicked() {
            commands.push(UiCommand::ExportIncidents);
        }
    });
    state.incident_kind = kind;
    let seats = state.status.as_ref().map(|s| s.seats.as_slice()).unwrap_or_default();
    let name_of = |id: &str| seats.iter().find(|s| s.student_id == id).map(|s| s.full_name.clone()).unwrap_or_default();
    let seat_of = |id: &str| seats.iter().find(|s| s.student_id == id).and_then(|s| s.seat.clone()).unwrap_or_default();
    let search = fold_for_search(state.incident_search.trim());
    let shown: Vec<&IncidentRecord> = state
        .incidents
        .iter()
        .rev()
        .filter(|i| matches(i, state.incident_kind.as_deref(), &search, &name_of))
        .collect();
    ui.label(format!("{} {}", shown.len(), lang.t("sự cố", "incidents")));
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    egui::ScrollArea::both().auto_shrink([false, false]).show_rows(ui, row_height, shown.len(), |ui, range| {
        egui::Grid::new("incidents").striped(true).num_columns(6).show(ui, |ui| {
            for heading in [
                lang.t("Giờ", "Time"),
                lang.t("Ghế", "Seat"),
                lang.t("Mã HS", "Student"),
                lang.t("Họ và tên", "Name"),
                lang.t("Sự cố", "Incident"),
                lang.t("Chi tiết", "Detail"),
            ] {
                ui.strong(heading);
            }
            ui.end_row();
            for incident in &shown[range] {
                let i = &incident.incident;
                let student = i.student_id.as_deref().unwrap_or_default();
                ui.label(clock_time(i.at_ms));
                ui.label(seat_of(student));
                ui.label(student);
                ui.label(name_of(student));
                ui.label(kind_label(&i.kind, lang));
                let mut detail = i.detail.clone();
                if i.duration_ms > 0 {
                    detail = format!("{} s {detail}", i.duration_ms / 1000);
                }
                ui.label(detail);
                ui.end_row();
            }
        });
    });
}

/// Writes the whole incident log to `su-co-<exam>.csv` in `dir` (created if needed), whole or
/// absent; returns its path.
pub fn export_csv(room: &RoomHandle, dir: &Path) -> Result<PathBuf, String> {
    let reader = room.reader().map_err(|e| e.to_string())?;
    let incidents = reader.incidents(None).map_err(|e| e.to_string())?;
    let students = reader.students().map_err(|e| e.to_string())?;
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let header = ["STT", "Giờ", "Ghế", "Mã học sinh", "Họ và tên", "Loại", "Thời lượng (giây)", "Chi tiết"];
    out.write_record(header).map_err(|e| e.to_string())?;
    for (number, record) in incidents.iter().enumerate() {
        let i = &record.incident;
        let id = i.student_id.clone().unwrap_or_default();
        let student = students.iter().find(|s| s.student_id == id);
        out.write_record([
            (number + 1).to_string(),
            clock_time(i.at_ms),
            student.and_then(|s| s.seat.clone()).unwrap_or_default(),
            id.clone(),
            student.map(|s| s.full_name.clone()).unwrap_or_default(),
            i.kind.clone(),
            (i.duration_ms / 1000).to_string(),
            i.detail.clone(),
        ])
        .map_err(|e| e.to_string())?;
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(out.into_inner().map_err(|e| e.to_string())?);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(format!("su-co-{}.csv", room.exam_id()));
    let temporary = tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(temporary.path(), &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    temporary.persist(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}
