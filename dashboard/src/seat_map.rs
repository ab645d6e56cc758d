//! The seat map: the room as it stands, one tile per seat in the roster's rows and columns. Each
//! tile shows the seat, form, student, progress, last save and alerts (icon and word, over a
//! colour). Only the rows on screen are drawn, so a whole school's roster stays smooth; a class
//! picker, an alert filter and a search narrow it.

use super::alerts::{Alert, alerts_of, calm_state};
use super::clock::clock_time;
use super::state::{Lang, SeatFilter, State, UiCommand};
use egui::{Color32, RichText};
use phongthi_items::text::fold_for_search;
use phongthi_server::SeatStatus;

/// A tile's size in points (before large mode's zoom).
const TILE: egui::Vec2 = egui::vec2(178.0, 92.0);

/// Whether `seat` passes the filter and the search.
pub fn shown(seat: &SeatStatus, alerts: &[Alert], filter: SeatFilter, folded_search: &str) -> bool {
    let by_filter = match filter {
        SeatFilter::All => true,
        SeatFilter::AnyAlert => !alerts.is_empty(),
        SeatFilter::Only(alert) => alerts.contains(&alert),
        SeatFilter::NotIn => !seat.logged_in,
        SeatFilter::Submitted => seat.receipt_code.is_some(),
    };
    by_filter
        && (folded_search.is_empty()
            || seat.student_id.contains(folded_search)
            || fold_for_search(&seat.full_name).contains(folded_search))
}

fn filter_label(filter: SeatFilter, lang: Lang) -> String {
    match filter {
        SeatFilter::All => lang.t("Tất cả", "All").to_owned(),
        SeatFilter::AnyAlert => format!("‼ {}", lang.t("Có cảnh báo", "Any alert")),
        SeatFilter::Only(alert) => format!("{} {}", alert.icon(), alert.label(lang)),
        SeatFilter::NotIn => format!("∘ {}", lang.t("Chưa vào", "Not in")),
        SeatFilter::Submitted => format!("√ {}", lang.t("Đã nộp", "Submitted")),
    }
}

/// The tile's text: seat and form, name, progress and last save, alerts.
pub fn tile_text(seat: &SeatStatus, alerts: &[Alert], lang: Lang) -> String {
    let (_, icon, word) = calm_state(seat, lang);
    let label = seat.seat.as_deref().unwrap_or("—");
    let saved = seat.last_save_ms.map(clock_time).unwrap_or_else(|| "—".to_owned());
    let mut text = format!(
        "{icon} {label} · {} {}\n{}\n{}/{} · {} {saved}",
        lang.t("Đề", "Form"),
        seat.form,
        seat.full_name,
        seat.answered,
        seat.questions,
        lang.t("lưu", "saved"),
    );
    match alerts.first() {
        Some(first) => {
            text.push('\n');
            text.push_str(&format!("{} {}", first.icon(), first.label(lang)));
            for more in &alerts[1..] {
                text.push_str(&format!(" {}", more.icon()));
            }
        }
        None => {
            text.push('\n');
            text.push_str(word);
        }
    }
    text
}

/// Draws the seat map.
pub fn show(ui: &mut egui::Ui, state: &mut State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    let Some(status) = &state.status else {
        ui.label(lang.t("Đang kết nối máy chủ…", "Connecting to the server…"));
        return;
    };
    let classes: std::collections::BTreeSet<&str> = status.seats.iter().map(|s| s.class.as_str()).collect();
    let mut class = state.class.clone();
    let mut filter = state.filter;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(lang.t("Lớp/phòng:", "Class/room:"));
        egui::ComboBox::from_id_salt("class")
            .selected_text(class.clone().unwrap_or_else(|| lang.t("Tất cả", "All").to_owned()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut class, None, lang.t("Tất cả", "All"));
                for name in &classes {
                    ui.selectable_value(&mut class, Some((*name).to_owned()), *name);
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(lang.t("Lọc:", "Filter:"));
        let combo =
            egui::ComboBox::from_id_salt("filter").selected_text(filter_label(filter, lang)).show_ui(ui, |ui| {
                let mut options = vec![SeatFilter::All, SeatFilter::AnyAlert];
                options.extend(Alert::ALL.map(SeatFilter::Only));
                options.extend([SeatFilter::NotIn, SeatFilter::Submitted]);
                for option in options {
                    ui.selectable_value(&mut filter, option, filter_label(option, lang));
                }
            });
        combo.response.labelled_by(label.id);
        let label = ui.label(lang.t("Tìm học sinh:", "Find a student:"));
        ui.add(egui::TextEdit::singleline(&mut state.search).id_salt("search").desired_width(180.0))
            .labelled_by(label.id);
    });
    if class != state.class {
        commands.push(UiCommand::SetClass(class));
    }
    if filter != state.filter {
        commands.push(UiCommand::SetFilter(filter));
    }

    let now_ms = status.now_ms;
    let in_room = status.seats.iter().filter(|s| s.connected).count();
    let submitted = status.seats.iter().filter(|s| s.receipt_code.is_some()).count();
    let alerting = status
        .seats
        .iter()
        .filter(|s| !alerts_of(s, now_ms, state.integrity.contains(&s.student_id)).is_empty())
        .count();
    ui.label(format!(
        "{}: {in_room}/{} · {}: {submitted} · ‼ {}: {alerting}",
        lang.t("Đang kết nối", "Online"),
        status.seats.len(),
        lang.t("Đã nộp", "Submitted"),
        lang.t("Cảnh báo", "Alerts"),
    ));
    ui.separator();

    let search = fold_for_search(state.search.trim());
    let spacing = ui.spacing().item_spacing.y;
    egui::ScrollArea::both().auto_shrink([false, false]).show_rows(
        ui,
        TILE.y + spacing,
        state.grid.rows.len(),
        |ui, range| {
            for row in range {
                let (Some(cells), Some(name)) = (state.grid.rows.get(row), state.grid.row_names.get(row)) else {
                    continue;
                };
                ui.horizontal(|ui| {
                    ui.add_sized(egui::vec2(36.0, TILE.y), egui::Label::new(RichText::new(name).strong()));
                    for cell in cells {
                        let seat = cell.and_then(|index| status.seats.get(index));
                        let Some(seat) = seat else {
                            ui.allocate_space(TILE);
                            continue;
                        };
                        let alerts = alerts_of(seat, now_ms, state.integrity.contains(&seat.student_id));
                        if !shown(seat, &alerts, state.filter, &search) {
                            ui.allocate_space(TILE);
                            continue;
                        }
                        let fill = alerts.first().map(|a| a.colour()).unwrap_or_else(|| calm_state(seat, lang).0);
                        let selected = state.selected.as_deref() == Some(seat.student_id.as_str());
                        let text = RichText::new(tile_text(seat, &alerts, lang)).color(Color32::WHITE);
                        let mut button =
                            egui::Button::new(text).fill(fill).min_size(TILE).wrap_mode(egui::TextWrapMode::Wrap);
                        if selected {
                            button = button.stroke(egui::Stroke::new(3.0, Color32::YELLOW));
                        }
                        if ui.add_sized(TILE, button).clicked() {
                            commands.push(UiCommand::Select(Some(seat.student_id.clone())));
                        }
                    }
                });
            }
        },
    );
}
