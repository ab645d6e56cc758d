//! The results as a OneRoster 1.2 CSV binding ZIP (gradebook files only), for student
//! information systems that speak the open standard.
//!
//! The ZIP holds, at its root, `manifest.csv`, `categories.csv`, `lineItems.csv` and
//! `results.csv`: UTF-8 without BOM, headers in the binding's order, CRLF records. The export is
//! a **bulk** set: `status` and `dateLastModified` are empty, and the manifest marks the three
//! data files `bulk` and every other file of the binding `absent`.
//!
//! Identifiers are stable, so exporting the same exam twice yields the same sourcedIds and a
//! system can upsert: the category is `phongthi-<exam>`, a line item (one per class, since a
//! OneRoster line item belongs to one class) is `phongthi-<exam>-<class>`, a result is
//! `phongthi-<exam>-<student id>`. Classes and student ids are percent-encoded where they hold
//! anything but `A–Z a–z 0–9 - . _ ~`, which keeps the ids ASCII and one-to-one. The student's
//! sourcedId is the student id (mã định danh), the key Vietnamese school systems share; the
//! class's is its name (Phòng Thi knows no other). No academic session or school is known, so
//! those columns are empty.
//!
//! `scoreStatus` is `fully graded`, `partially graded` (a sheet whose essays are not all marked
//! yet, see `marking`) or `not submitted`; [`score_status`] is shared with `publish`.
//!
//! Dates (`assignDate`, `dueDate`, `scoreDate`) are calendar days in Vietnam time (UTC+7, no
//! daylight saving): an exam at 06:30 belongs to that day, not to the previous UTC day.

use super::ExportError;
use super::rows::{ExportRow, RowStatus, format_tenths};
use std::io::Write;
use zip::write::SimpleFileOptions;

/// Every file of the OneRoster 1.2 CSV binding, in the binding's order, as named in
/// `manifest.csv` (`file.<name>`).
pub const BINDING_FILES: [&str; 21] = [
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItemLearningObjectiveIds",
    "lineItems",
    "lineItemScoreScales",
    "orgs",
    "resources",
    "resultLearningObjectiveIds",
    "results",
    "resultScoreScales",
    "roles",
    "scoreScales",
    "userProfiles",
    "userResources",
    "users",
];

/// The binding files this export holds.
pub const PRESENT_FILES: [&str; 3] = ["categories", "lineItems", "results"];

/// `categories.csv` header.
pub const CATEGORIES_HEADER: [&str; 5] = ["sourcedId", "status", "dateLastModified", "title", "weight"];

/// `lineItems.csv` header.
pub const LINE_ITEMS_HEADER: [&str; 13] = [
    "sourcedId",
    "status",
    "dateLastModified",
    "title",
    "description",
    "assignDate",
    "dueDate",
    "classSourcedId",
    "categorySourcedId",
    "academicSessionSourcedId",
    "resultValueMin",
    "resultValueMax",
    "schoolSourcedId",
];

/// `results.csv` header.
pub const RESULTS_HEADER: [&str; 15] = [
    "sourcedId",
    "status",
    "dateLastModified",
    "lineItemSourcedId",
    "studentSourcedId",
    "scoreStatus",
    "score",
    "scoreDate",
    "comment",
    "textScore",
    "classSourcedId",
    "inProgress",
    "incomplete",
    "late",
    "missing",
];

/// `source.systemName` in the manifest.
pub const SYSTEM_NAME: &str = "Phòng Thi";
/// `source.systemCode` in the manifest.
pub const SYSTEM_CODE: &str = "phongthi";

/// What the OneRoster files say about the exam itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExamFacts {
    /// The exam id as 32 hex digits.
    pub exam_hex: String,
    /// The exam's title.
    pub title: String,
    /// The top of the score scale in milli-points (10 000 for the 10-point scale).
    pub scale_milli: i64,
    /// When the exam was added to the proctor (the line items' assignDate).
    pub assigned_ms: u64,
    /// When the export is made (dueDate and the scoreDate of results without a score).
    pub exported_ms: u64,
}

/// `scoreStatus` of a row: `fully graded`, `partially graded` (essays not yet marked) or
/// `not submitted`.
pub fn score_status(row: &ExportRow) -> &'static str {
    match row.status {
        RowStatus::Graded if row.unmarked_essays > 0 => "partially graded",
        RowStatus::Graded => "fully graded",
        RowStatus::NotSubmitted | RowStatus::Absent => "not submitted",
    }
}

/// `s` with every byte outside `A–Z a–z 0–9 - . _ ~` percent-encoded.
pub fn id_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for byte in s.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The category's sourcedId.
pub fn category_id(exam_hex: &str) -> String {
    format!("phongthi-{exam_hex}")
}

/// The sourcedId of the line item of `class` (no suffix for rows without a class).
pub fn line_item_id(exam_hex: &str, class: &str) -> String {
    if class.is_empty() { format!("phongthi-{exam_hex}") } else { format!("phongthi-{exam_hex}-{}", id_part(class)) }
}

/// The sourcedId of `student_id`'s result.
pub fn result_id(exam_hex: &str, student_id: &str) -> String {
    format!("phongthi-{exam_hex}-{}", id_part(student_id))
}

/// Vietnam's offset from UTC.
const VIETNAM_OFFSET_MS: u64 = 7 * 3_600_000;

/// (year, month, day, hour, minute, second) in Vietnam time of `ms` since the Unix epoch.
pub fn vietnam_civil(ms: u64) -> (i64, u32, u32, u32, u32, u32) {
    utc_civil(ms + VIETNAM_OFFSET_MS)
}

/// `YYYY-MM-DDThh:mm:ss.sssZ` in UTC: OneRoster's DateTime (`dateLastModified`, `assignDate`).
pub fn iso_datetime_utc(ms: u64) -> String {
    let (year, month, day, hour, minute, second) = utc_civil(ms);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{:03}Z", ms % 1000)
}

/// (year, month, day, hour, minute, second) in UTC of `ms` since the Unix epoch.
pub fn utc_civil(ms: u64) -> (i64, u32, u32, u32, u32, u32) {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let of_day = secs % 86_400;
    // Days to civil date (proleptic Gregorian), Howard Hinnant's algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, (of_day / 3600) as u32, ((of_day % 3600) / 60) as u32, (of_day % 60) as u32)
}

/// `YYYY-MM-DD` in Vietnam time.
pub fn iso_date(ms: u64) -> String {
    let (year, month, day, ..) = vietnam_civil(ms);
    format!("{year:04}-{month:02}-{day:02}")
}

fn csv_bytes<const N: usize>(header: [&str; N], records: &[[String; N]], file: &str) -> Result<Vec<u8>, ExportError> {
    let failed = |detail: String| ExportError::Encode { file: file.to_owned(), detail };
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(header).map_err(|e| failed(e.to_string()))?;
    for record in records {
        writer.write_record(record).map_err(|e| failed(e.to_string()))?;
    }
    writer.into_inner().map_err(|e| failed(e.to_string()))
}

/// The four CSV files, by file name, in the order they go into the ZIP.
pub fn oneroster_files(facts: &ExamFacts, rows: &[ExportRow]) -> Result<Vec<(String, Vec<u8>)>, ExportError> {
    let mut manifest =
        vec![["manifest.version".to_owned(), "1.0".to_owned()], ["oneroster.version".to_owned(), "1.2".to_owned()]];
    for name in BINDING_FILES {
        let mode = if PRESENT_FILES.contains(&name) { "bulk" } else { "absent" };
        manifest.push([format!("file.{name}"), mode.to_owned()]);
    }
    manifest.push(["source.systemName".to_owned(), SYSTEM_NAME.to_owned()]);
    manifest.push(["source.systemCode".to_owned(), SYSTEM_CODE.to_owned()]);

    let category = category_id(&facts.exam_hex);
    let categories = vec![[category.clone(), String::new(), String::new(), facts.title.clone(), String::new()]];

    let mut classes: Vec<&str> = Vec::new();
    for row in rows {
        if !classes.contains(&row.class.as_str()) {
            classes.push(&row.class);
        }
    }
    let assigned = iso_date(facts.assigned_ms);
    let due = iso_date(facts.exported_ms);
    let scale = format_tenths(facts.scale_milli.div_euclid(100), '.');
    let line_items: Vec<[String; 13]> = classes
        .iter()
        .map(|class| {
            [
                line_item_id(&facts.exam_hex, class),
                String::new(),
                String::new(),
                facts.title.clone(),
                format!("Phòng Thi {}", facts.exam_hex),
                assigned.clone(),
                due.clone(),
                (*class).to_owned(),
                category.clone(),
                String::new(),
                "0.0".to_owned(),
                scale.clone(),
                String::new(),
            ]
        })
        .collect();

    let results: Vec<[String; 15]> = rows
        .iter()
        .map(|row| {
            let graded = row.status == RowStatus::Graded;
            let score_status = score_status(row);
            let score = row.score_tenths.map(|tenths| format_tenths(tenths, '.')).unwrap_or_default();
            [
                result_id(&facts.exam_hex, &row.student_id),
                String::new(),
                String::new(),
                line_item_id(&facts.exam_hex, &row.class),
                row.student_id.clone(),
                score_status.to_owned(),
                score,
                iso_date(row.scored_ms.unwrap_or(facts.exported_ms)),
                row.note.clone(),
                String::new(),
                row.class.clone(),
                "false".to_owned(),
                "false".to_owned(),
                "false".to_owned(),
                (!graded).to_string(),
            ]
        })
        .collect();

    Ok(vec![
        ("manifest.csv".to_owned(), csv_bytes(["propertyName", "value"], &manifest, "manifest.csv")?),
        ("categories.csv".to_owned(), csv_bytes(CATEGORIES_HEADER, &categories, "categories.csv")?),
        ("lineItems.csv".to_owned(), csv_bytes(LINE_ITEMS_HEADER, &line_items, "lineItems.csv")?),
        ("results.csv".to_owned(), csv_bytes(RESULTS_HEADER, &results, "results.csv")?),
    ])
}

/// The ZIP of [`oneroster_files`], deflated, each entry stamped with the export time (Vietnam
/// local time, as ZIP times are local).
pub fn oneroster_zip(facts: &ExamFacts, rows: &[ExportRow]) -> Result<Vec<u8>, ExportError> {
    let files = oneroster_files(facts, rows)?;
    let failed = |detail: String| ExportError::Encode { file: "zip".to_owned(), detail };
    let (year, month, day, hour, minute, second) = vietnam_civil(facts.exported_ms);
    let stamp = u16::try_from(year)
        .ok()
        .and_then(|year| {
            zip::DateTime::from_date_and_time(year, month as u8, day as u8, hour as u8, minute as u8, second as u8).ok()
        })
        .unwrap_or_default();
    let options =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).last_modified_time(stamp);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in &files {
        writer.start_file(name.as_str(), options).map_err(|e| failed(e.to_string()))?;
        writer.write_all(bytes).map_err(|e| failed(e.to_string()))?;
    }
    Ok(writer.finish().map_err(|e| failed(e.to_string()))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_ascii_and_one_to_one() {
        assert_eq!(id_part("10A1"), "10A1");
        assert_eq!(id_part("Lớp 10"), "L%E1%BB%9Bp%2010");
        assert_eq!(id_part("a%b"), "a%25b");
        assert_eq!(line_item_id("ab", ""), "phongthi-ab");
        assert_eq!(line_item_id("ab", "10A1"), "phongthi-ab-10A1");
        assert_eq!(result_id("ab", "0123456789"), "phongthi-ab-0123456789");
    }

    #[test]
    fn a_sheet_with_unmarked_essays_is_partially_graded() {
        let row = |id: &str, unmarked_essays: usize, status: RowStatus| ExportRow {
            number: 1,
            student_id: id.to_owned(),
            full_name: "Nguyễn Văn An".to_owned(),
            class: "10A1".to_owned(),
            score_tenths: (status == RowStatus::Graded).then_some(35),
            status,
            note: String::new(),
            scored_ms: Some(1_795_390_200_000),
            unmarked_essays,
        };
        let rows = [row("1", 2, RowStatus::Graded), row("2", 0, RowStatus::Graded), row("3", 0, RowStatus::Absent)];
        let facts = ExamFacts {
            exam_hex: "ab".to_owned(),
            title: "Ngữ văn 10".to_owned(),
            scale_milli: 10_000,
            assigned_ms: 0,
            exported_ms: 0,
        };
        let files = oneroster_files(&facts, &rows).unwrap();
        let results = String::from_utf8(files[3].1.clone()).unwrap();
        let statuses: Vec<&str> = results.lines().skip(1).map(|line| line.split(',').nth(5).unwrap()).collect();
        assert_eq!(statuses, ["partially graded", "fully graded", "not submitted"]);
    }

    #[test]
    fn dates_are_vietnam_days() {
        // 2026-11-22 23:30 UTC is 06:30 on the 23rd in Hà Nội.
        assert_eq!(iso_date(1_795_390_200_000), "2026-11-23");
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(vietnam_civil(951_782_400_000), (2000, 2, 29, 7, 0, 0));
        assert_eq!(iso_datetime_utc(1_795_390_200_123), "2026-11-22T23:30:00.123Z");
    }
}
