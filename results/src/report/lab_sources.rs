//! Gathering the lab sheet's facts from the data directory, the store and `lab.toml` (see
//! [`super::lab_sheet`] for where each comes from and why), failing with what to run when one
//! is missing.

use super::ReportError;
use super::lab_sheet::{LabSheet, login_slips};
use phongthi_crypto::ExamId;
use phongthi_net::LabConfig;
use phongthi_store::Reader;
use phongthi_store::datadir::DataDir;
use phongthi_store::roster::Roster;
use std::collections::BTreeMap;
use std::path::Path;

/// Where to take what the data directory does not hold.
#[derive(Default)]
pub struct LabSources<'a> {
    /// The exam (default: the one added last, as `serve` chooses).
    pub exam: Option<ExamId>,
    /// The `lab.toml` written by `serve --lab-config-out`.
    pub lab_config: Option<&'a Path>,
    /// The address by hand (`192.168.1.10:4433`), instead of or over `lab.toml`'s.
    pub address: Option<String>,
    /// The roster file again, for its PINs.
    pub roster: Option<&'a Roster>,
}

fn missing(vi: &str, en: &str) -> ReportError {
    ReportError::LabSheet(format!("{vi} / {en}"))
}

/// Gathers the lab sheet of the served exam.
pub fn gather_lab_sheet(data: &DataDir, reader: &Reader, sources: &LabSources<'_>) -> Result<LabSheet, ReportError> {
    let exams = reader.exams()?;
    let record = match &sources.exam {
        Some(id) => exams
            .into_iter()
            .find(|record| record.id == *id)
            .ok_or_else(|| missing(&format!("không có kỳ thi {id}"), &format!("no exam {id}")))?,
        None => exams
            .into_iter()
            .max_by_key(|record| record.added_ms)
            .ok_or_else(|| missing("chưa có đề thi; chạy `proctor exam add`", "no exam yet; run `proctor exam add`"))?,
    };
    let code_path = data.path().join(format!("room-{}.code", record.id));
    let room_code = std::fs::read_to_string(&code_path).map(|code| code.trim().to_owned()).unwrap_or_default();
    if room_code.is_empty() {
        return Err(missing(
            &format!("chưa có mã phòng ({}): chạy `proctor serve` cho kỳ thi này một lần", code_path.display()),
            &format!("no room code yet ({}): run `proctor serve` for this exam once", code_path.display()),
        ));
    }
    let certificate = data.certificate().map_err(|e| missing(&e.to_string(), "run `proctor init`"))?;
    let fingerprint = certificate.fingerprint();
    let lab = match sources.lab_config {
        Some(path) => Some(LabConfig::load(path).map_err(|e| ReportError::LabSheet(e.to_string()))?),
        None => None,
    };
    if let Some(lab) = &lab
        && lab.fingerprint != fingerprint
    {
        return Err(missing(
            "vân tay trong lab.toml khác chứng chỉ của thư mục dữ liệu này (lab.toml của máy khác?)",
            "the fingerprint in lab.toml differs from this data directory's certificate (another proctor's lab.toml?)",
        ));
    }
    let address = match (&sources.address, &lab) {
        (Some(address), _) => address.trim().to_owned(),
        (None, Some(lab)) => lab.address.to_string(),
        (None, None) => {
            return Err(missing(
                "cần địa chỉ máy giám thị: --lab-config lab.toml (do `proctor serve --lab-config-out` ghi) hoặc --address HOST:PORT",
                "the proctor's address is needed: --lab-config lab.toml (written by `proctor serve --lab-config-out`) or --address HOST:PORT",
            ));
        }
    };
    let students = reader.students()?;
    if students.is_empty() {
        return Err(ReportError::NoRoster);
    }
    let mut pins = BTreeMap::new();
    if let Some(roster) = sources.roster {
        for student in &roster.students {
            if let Some(pin) = &student.pin {
                pins.insert(student.id.as_str().to_owned(), pin.clone());
            }
        }
    }
    let mut stale = Vec::new();
    let slips = login_slips(&students, |student| {
        let pin = pins.get(&student.student_id)?;
        let hash = phongthi_protocol::pin_hash(&student.student_id, pin.expose_secret());
        if student.pin_hash.as_deref() == Some(hash.as_slice()) {
            Some(pin.clone())
        } else {
            stale.push(student.student_id.clone());
            None
        }
    });
    if !stale.is_empty() {
        return Err(missing(
            &format!("PIN trong tệp danh sách khác PIN đã nhập cho: {}", stale.join(", ")),
            &format!("the roster file's PIN differs from the imported one for: {}", stale.join(", ")),
        ));
    }
    Ok(LabSheet {
        exam_title: record.title,
        practice: record.practice,
        address,
        fingerprint: fingerprint.to_string(),
        room_code,
        slips,
    })
}
