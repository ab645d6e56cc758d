//! The department's statistics report (báo cáo thống kê điểm): per class the count sitting,
//! mean, median, standard deviation and band counts, then a bar chart of the bands over the
//! whole exam, and the signatures of whoever compiles and approves it.

use super::layout::{heading, signatures};
use super::{ExamResults, ReportError, vietnamese_date};
use crate::export::rows::format_tenths;
use crate::stats::{BANDS, ExamStats, GroupStats, exam_stats, format_optional};
use phongthi_pdf::table::{Column, draw_table};
use phongthi_pdf::{A4_HEIGHT, A4_WIDTH, Align, Document, MARGIN, Style};

/// The report's file name for the exam `exam_hex`.
pub fn file_name(exam_hex: &str) -> String {
    format!("thong-ke-{exam_hex}.pdf")
}

/// Lays out and writes the report; `school` heads the page when not empty.
pub fn department_report(results: &ExamResults, school: &str) -> Result<Vec<u8>, ReportError> {
    let stats = exam_stats(&results.rows);
    let mut document = Document::new(&format!("Thống kê điểm — {}", results.title))?;
    document.add_page();
    let date_line = format!("Ngày thi: {} · Mã kỳ thi: {}", vietnamese_date(&results.date), results.exam.to_hex());
    let top = heading(&mut document, school, "BÁO CÁO THỐNG KÊ ĐIỂM", &results.title, &date_line);

    let mut columns = vec![
        Column::new("Lớp", 55.0, Align::Left),
        Column::new("Sĩ số", 35.0, Align::Right),
        Column::new("Dự thi", 38.0, Align::Right),
        Column::new("Vắng", 35.0, Align::Right),
        Column::new("TB", 37.0, Align::Right),
        Column::new("Trung vị", 45.0, Align::Right),
        Column::new("ĐLC", 37.0, Align::Right),
    ];
    let band_width = (A4_WIDTH - 2.0 * MARGIN - columns.iter().map(|c| c.width).sum::<f32>()) / 5.0;
    columns.extend(BANDS.iter().map(|band| Column::new(&band.label(','), band_width, Align::Right)));
    let mut rows: Vec<Vec<String>> = stats.classes.iter().map(|group| table_row(group, None)).collect();
    rows.push(table_row(&stats.overall, Some("Tổng")));
    let mut y = draw_table(&mut document, MARGIN, top, &columns, &rows);
    y += 14.0;
    let note = "TB: điểm trung bình; ĐLC: độ lệch chuẩn (tổng thể, chia n). Điểm đã làm tròn 0,1 như sổ điểm.";
    document.text(MARGIN, y, note, Style::regular(8.5));
    y += 24.0;

    if y + CHART_HEIGHT + 60.0 > A4_HEIGHT - MARGIN {
        document.add_page();
        y = MARGIN;
    }
    y = bar_chart(&mut document, y, &stats);
    if y + 90.0 > A4_HEIGHT - MARGIN {
        document.add_page();
        y = MARGIN;
    }
    signatures(&mut document, y + 10.0, &["Người lập báo cáo", "Tổ trưởng chuyên môn"]);
    Ok(document.finish()?)
}

fn table_row(group: &GroupStats, label: Option<&str>) -> Vec<String> {
    let summary = &group.summary;
    let class =
        label.map_or_else(|| if group.class.is_empty() { "—".to_owned() } else { group.class.clone() }, str::to_owned);
    let mut row = vec![
        class,
        group.enrolled.to_string(),
        summary.count().to_string(),
        group.absent.to_string(),
        format_optional(summary.mean(), ','),
        format_optional(summary.median(), ','),
        format_optional(summary.std_dev(), ','),
    ];
    row.extend(summary.bands.iter().map(u32::to_string));
    row
}

/// The chart's plotting height, in points.
const CHART_HEIGHT: f32 = 170.0;

/// A bar per band over the whole exam, each labelled with its count and share; returns the `y`
/// under the chart.
fn bar_chart(document: &mut Document, top: f32, stats: &ExamStats) -> f32 {
    document.text(MARGIN, top, "Phân bố điểm toàn kỳ thi", Style::bold(11.0));
    let summary = &stats.overall.summary;
    let total = summary.count();
    let highest = summary.bands.iter().copied().max().unwrap_or(0).max(1);
    let plot_top = top + 28.0;
    let baseline = plot_top + CHART_HEIGHT;
    let left = MARGIN + 20.0;
    let width = A4_WIDTH - 2.0 * MARGIN - 40.0;
    let slot = width / BANDS.len() as f32;
    document.line((left, baseline), (left + width, baseline), 0.8);
    for (index, band) in BANDS.iter().enumerate() {
        let count = summary.bands[index];
        let height = CHART_HEIGHT * count as f32 / highest as f32;
        let x = left + slot * index as f32 + slot * 0.2;
        let bar_width = slot * 0.6;
        if count > 0 {
            document.rect(x, baseline - height, bar_width, height, Some(0.35 + 0.1 * index as f32), true);
        }
        let centre = x + bar_width / 2.0;
        let share = format!("{} ({} %)", count, format_tenths(share_tenths(count, total), ','));
        document.text(centre, baseline - height - 5.0, &share, Style::regular(9.0).aligned(Align::Center));
        document.text(centre, baseline + 13.0, &band.label(','), Style::regular(9.5).aligned(Align::Center));
    }
    baseline + 30.0
}

/// `count` out of `total` in tenths of a percent, rounded half-up: ⌊(2000·count + total) / 2·total⌋.
fn share_tenths(count: u32, total: usize) -> i64 {
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    if total == 0 {
        return 0;
    }
    (2000 * i64::from(count) + total) / (2 * total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_half_up() {
        assert_eq!(share_tenths(1, 3), 333);
        assert_eq!(share_tenths(2, 3), 667);
        assert_eq!(share_tenths(1, 8), 125);
        assert_eq!(share_tenths(1, 16), 63); // 6.25 % → 6.3 %
        assert_eq!(share_tenths(0, 0), 0);
    }
}
