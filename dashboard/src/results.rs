//! Results after submission: the score table (sortable by name or score), a histogram of scores
//! (one bar per whole point), the share of full marks per question, and the export buttons (CSV,
//! XLSX, OneRoster, each with its signed manifest, as `proctor export` writes them).

use super::state::{Lang, ResultRow, ResultsData, SortBy, State, UiCommand};
use egui_plot::{Bar, BarChart, Plot};
use phongthi_results::export::ExportFormat;
use phongthi_results::export::rows::format_tenths;

/// Students per whole point: bin `k` holds scores from `k` up to (not including) `k + 1`, the
/// top bin also the full score.
pub fn histogram(rows: &[ResultRow], scale_tenths: i64) -> Vec<u32> {
    let bins = usize::try_from(scale_tenths.max(10) / 10).unwrap_or(10);
    let mut counts = vec![0u32; bins];
    for tenths in rows.iter().filter_map(|r| r.score_tenths) {
        let bin = usize::try_from(tenths.max(0) / 10).unwrap_or(0).min(bins - 1);
        counts[bin] += 1;
    }
    counts
}

/// The rows in the order asked for (stable: ties keep class-list order; no score sorts last).
pub fn sorted(rows: &[ResultRow], by: SortBy, descending: bool) -> Vec<&ResultRow> {
    let mut out: Vec<&ResultRow> = rows.iter().collect();
    match by {
        SortBy::ClassList => {}
        SortBy::Name => out.sort_by_key(|r| phongthi_store::roster::vietnamese_collation_key(&r.full_name)),
        SortBy::Score => out.sort_by_key(|r| r.score_tenths.map_or(i64::MAX, |s| -s)),
    }
    if descending {
        if by == SortBy::Score {
            // Scores already come highest first; "descending" turns that round, still last for no score.
            out.sort_by_key(|r| r.score_tenths.unwrap_or(i64::MAX));
        } else {
            out.reverse();
        }
    }
    out
}

fn sort_button(ui: &mut egui::Ui, state: &State, by: SortBy, label: &str, commands: &mut Vec<UiCommand>) {
    let arrow = match (state.sort_by == by, state.sort_descending) {
        (false, _) => "",
        (true, false) => " ↑",
        (true, true) => " ↓",
    };
    if ui.button(format!("{label}{arrow}")).clicked() {
        commands.push(UiCommand::SortBy(by));
    }
}

/// Draws the results.
pub fn show(ui: &mut egui::Ui, state: &State, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    let Some(results) = &state.results else {
        ui.label(lang.t("Chưa có bài nộp.", "No submissions yet."));
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(lang.t("Xuất kết quả:", "Export results:"));
        for (format, label) in [
            (ExportFormat::Csv, "CSV (SMAS/vnEdu)"),
            (ExportFormat::Xlsx, "XLSX"),
            (ExportFormat::OneRoster, "OneRoster 1.2"),
        ] {
            if ui.button(label).clicked() {
                commands.push(UiCommand::ExportResults(format));
            }
        }
    });
    let graded = results.rows.iter().filter(|r| r.score_tenths.is_some()).count();
    ui.label(format!("{graded}/{} {}", results.rows.len(), lang.t("học sinh có điểm", "students scored")));
    ui.columns(2, |columns| {
        score_table(&mut columns[0], state, results, commands);
        charts(&mut columns[1], lang, results);
    });
}

fn score_table(ui: &mut egui::Ui, state: &State, results: &ResultsData, commands: &mut Vec<UiCommand>) {
    let lang = state.lang;
    ui.horizontal(|ui| {
        ui.label(lang.t("Sắp xếp:", "Sort:"));
        sort_button(ui, state, SortBy::ClassList, lang.t("Danh sách lớp", "Class list"), commands);
        sort_button(ui, state, SortBy::Name, lang.t("Tên", "Name"), commands);
        sort_button(ui, state, SortBy::Score, lang.t("Điểm", "Score"), commands);
    });
    let rows = sorted(&results.rows, state.sort_by, state.sort_descending);
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    egui::ScrollArea::vertical().id_salt("scores").show_rows(ui, row_height, rows.len(), |ui, range| {
        egui::Grid::new("scores").striped(true).num_columns(5).show(ui, |ui| {
            for heading in [
                lang.t("Mã HS", "Student"),
                lang.t("Họ và tên", "Name"),
                lang.t("Lớp", "Class"),
                lang.t("Điểm", "Score"),
                lang.t("Ghi chú", "Note"),
            ] {
                ui.strong(heading);
            }
            ui.end_row();
            for row in &rows[range] {
                ui.label(&row.student_id);
                ui.label(&row.full_name);
                ui.label(&row.class);
                ui.label(row.score_tenths.map(|t| format_tenths(t, ',')).unwrap_or_default());
                ui.label(if row.note.is_empty() { row.raw.clone() } else { row.note.clone() });
                ui.end_row();
            }
        });
    });
}

fn charts(ui: &mut egui::Ui, lang: Lang, results: &ResultsData) {
    ui.strong(lang.t("Phổ điểm", "Score histogram"));
    let counts = histogram(&results.rows, results.scale_tenths);
    let bars: Vec<Bar> = counts
        .iter()
        .enumerate()
        .map(|(bin, count)| Bar::new(bin as f64 + 0.5, f64::from(*count)).width(0.9))
        .collect();
    Plot::new("histogram").height(180.0).allow_scroll(false).allow_drag(false).allow_zoom(false).show(ui, |plot| {
        plot.bar_chart(BarChart::new(lang.t("Số học sinh", "Students"), bars));
    });
    ui.strong(lang.t("Tỉ lệ đúng từng câu (đề đầu tiên)", "Full marks per question (first form)"));
    egui::ScrollArea::vertical().id_salt("questions").show(ui, |ui| {
        egui::Grid::new("questions").striped(true).num_columns(2).show(ui, |ui| {
            for stat in &results.questions {
                ui.label(format!("{} {}", lang.t("Câu", "Q"), stat.number));
                ui.add(egui::ProgressBar::new(stat.percent() as f32 / 100.0).text(format!(
                    "{} % ({}/{})",
                    stat.percent(),
                    stat.full_marks,
                    stat.graded
                )));
                ui.end_row();
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, score: Option<i64>) -> ResultRow {
        ResultRow {
            student_id: format!("01{}", name.len()),
            full_name: name.into(),
            class: "10A1".into(),
            score_tenths: score,
            raw: String::new(),
            note: String::new(),
        }
    }

    #[test]
    fn histogram_bins_whole_points_with_full_marks_in_the_top_bin() {
        let rows =
            [row("An", Some(73)), row("Bình", Some(100)), row("Châu", None), row("Dũng", Some(0)), row("Em", Some(79))];
        let counts = histogram(&rows, 100);
        assert_eq!(counts.len(), 10);
        assert_eq!(counts[7], 2);
        assert_eq!(counts[9], 1);
        assert_eq!(counts[0], 1);
        assert_eq!(counts.iter().sum::<u32>(), 4);
    }

    #[test]
    fn sorting_by_score_keeps_missing_scores_last() {
        let rows = [row("Nguyễn Văn An", Some(73)), row("Phạm Minh Châu", None), row("Đặng Thùy Dương", Some(90))];
        let names = |v: Vec<&ResultRow>| v.iter().map(|r| r.full_name.clone()).collect::<Vec<_>>();
        assert_eq!(names(sorted(&rows, SortBy::Score, false)), ["Đặng Thùy Dương", "Nguyễn Văn An", "Phạm Minh Châu"]);
        assert_eq!(names(sorted(&rows, SortBy::Score, true)), ["Nguyễn Văn An", "Đặng Thùy Dương", "Phạm Minh Châu"]);
        assert_eq!(names(sorted(&rows, SortBy::Name, false)), ["Nguyễn Văn An", "Phạm Minh Châu", "Đặng Thùy Dương"]);
    }
}
