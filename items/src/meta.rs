//! What a teacher and the subject group know about an item besides its content: subject, topic,
//! cognitive level, authorship, where it came from, and its place in the review workflow.

use super::points::MilliPoints;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Cognitive level of the blueprint (ma trận đề) columns, Official Letter 7991/BGDĐT-GDTrH.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Biết — know / recall.
    Biet,
    /// Hiểu — understand.
    Hieu,
    /// Vận dụng — apply.
    VanDung,
    /// Vận dụng cao — apply at a high level (older practice, still common).
    VanDungCao,
}

impl Level {
    /// All levels in blueprint order.
    pub const ALL: [Level; 4] = [Level::Biet, Level::Hieu, Level::VanDung, Level::VanDungCao];

    /// Accepts the Vietnamese names (any case, NFC or not) and the ASCII spellings
    /// `biet`, `hieu`, `van-dung`, `van-dung-cao`, plus `van dung` / `van_dung`.
    pub fn parse(text: &str) -> Option<Self> {
        let folded = super::text::fold_for_search(text).replace(['_', '-'], " ");
        let words: Vec<&str> = folded.split_whitespace().collect();
        match words.as_slice() {
            ["biet"] | ["nhan", "biet"] => Some(Level::Biet),
            ["hieu"] | ["thong", "hieu"] => Some(Level::Hieu),
            ["van", "dung"] => Some(Level::VanDung),
            ["van", "dung", "cao"] => Some(Level::VanDungCao),
            _ => None,
        }
    }

    /// The Vietnamese name teachers write.
    pub fn vietnamese(self) -> &'static str {
        match self {
            Level::Biet => "Biết",
            Level::Hieu => "Hiểu",
            Level::VanDung => "Vận dụng",
            Level::VanDungCao => "Vận dụng cao",
        }
    }

    /// The stable ASCII spelling used in `--json` output and on the command line.
    pub fn ascii(self) -> &'static str {
        match self {
            Level::Biet => "biet",
            Level::Hieu => "hieu",
            Level::VanDung => "van-dung",
            Level::VanDungCao => "van-dung-cao",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.vietnamese())
    }
}

/// Where an item stands in the subject group's review (tổ chuyên môn duyệt).
///
/// `draft → submitted → approved | rejected → retired`; a rejected item goes back to draft when
/// its author edits it, and only approved items are drawn into tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Being written; not visible to assembly.
    Draft,
    /// Waiting for the subject group's review.
    Submitted,
    /// Approved for use in tests.
    Approved,
    /// Sent back with a comment.
    Rejected,
    /// No longer used (kept for the history of past tests).
    Retired,
}

impl Status {
    /// All statuses, in workflow order.
    pub const ALL: [Status; 5] =
        [Status::Draft, Status::Submitted, Status::Approved, Status::Rejected, Status::Retired];

    /// The stable ASCII name (`draft`, `submitted`, ...).
    pub fn ascii(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Retired => "retired",
        }
    }

    /// The Vietnamese name shown to teachers.
    pub fn vietnamese(self) -> &'static str {
        match self {
            Status::Draft => "Nháp",
            Status::Submitted => "Chờ duyệt",
            Status::Approved => "Đã duyệt",
            Status::Rejected => "Bị từ chối",
            Status::Retired => "Ngừng dùng",
        }
    }

    /// Parses the ASCII name.
    pub fn parse(text: &str) -> Option<Self> {
        Status::ALL.into_iter().find(|s| s.ascii().eq_ignore_ascii_case(text.trim()))
    }

    /// Whether the workflow allows moving from `self` to `next`.
    pub fn can_become(self, next: Status) -> bool {
        use Status::*;
        matches!(
            (self, next),
            (Draft, Submitted)
                | (Rejected, Submitted)
                | (Submitted, Approved)
                | (Submitted, Rejected)
                | (Approved, Retired)
                | (Rejected, Draft)
                | (Retired, Approved)
        )
    }
}

/// The file and line an item was imported from, so a teacher can find it again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// File name as given on the command line.
    pub file: String,
    /// 1-based line of the item's first line.
    pub line: u32,
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Classification and bookkeeping of an item. Everything is optional at import time: the
/// command line (`--subject`, `--topic`, ...) fills what a file does not say.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Subject (môn), e.g. `Toán`.
    pub subject: Option<String>,
    /// Grade (khối), 1–12.
    pub grade: Option<u8>,
    /// Topic / content unit (chủ đề), the blueprint's rows.
    pub topic: Option<String>,
    /// Cognitive level, the blueprint's columns.
    pub level: Option<Level>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Author (người soạn).
    pub author: Option<String>,
    /// Where it was imported from.
    pub source: Option<SourceRef>,
    /// Default points when a blueprint does not fix them.
    pub points: Option<MilliPoints>,
    /// Moodle/GIFT category path as written (`Toán 10/Mệnh đề`), kept for export round-trips.
    pub category: Option<String>,
    /// Moodle's `idnumber` (GIFT `// [id:…]`), the school's own code for the question; kept so
    /// exports carry it back. Metadata, so not part of [`crate::Item::content_hash`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idnumber: Option<String>,
}
