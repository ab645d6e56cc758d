//! The store's errors: every failure names what was being done and, where there is one, the
//! item, so `qbank` can tell a teacher exactly what went wrong.

use phongthi_items::{ItemError, ItemId, Status};

/// What the store was doing when SQLite failed, for the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Opening the file and setting the connection up.
    Open,
    /// Reading or upgrading the schema.
    Migrate,
    /// Importing items.
    Import,
    /// Reading items.
    Read,
    /// Searching or listing items.
    Search,
    /// Changing an item's review status.
    Review,
    /// Counting the tests an item was used in.
    RecordUsage,
}

impl Operation {
    /// What it is, in Vietnamese.
    pub fn vietnamese(self) -> &'static str {
        match self {
            Operation::Open => "mở ngân hàng câu hỏi",
            Operation::Migrate => "nâng cấp cấu trúc ngân hàng câu hỏi",
            Operation::Import => "nhập câu hỏi",
            Operation::Read => "đọc câu hỏi",
            Operation::Search => "tìm câu hỏi",
            Operation::Review => "duyệt câu hỏi",
            Operation::RecordUsage => "ghi số lần dùng câu hỏi",
        }
    }

    /// What it is, in English.
    pub fn english(self) -> &'static str {
        match self {
            Operation::Open => "opening the question bank",
            Operation::Migrate => "upgrading the question bank's schema",
            Operation::Import => "importing items",
            Operation::Read => "reading items",
            Operation::Search => "searching items",
            Operation::Review => "reviewing items",
            Operation::RecordUsage => "recording item usage",
        }
    }
}

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite itself failed (file unreadable, disk full, database locked by another program...).
    #[error("lỗi SQLite khi {} / SQLite error while {}: {source}", .operation.vietnamese(), .operation.english())]
    Sqlite {
        /// What the store was doing.
        operation: Operation,
        /// SQLite's own error.
        #[source]
        source: rusqlite::Error,
    },
    /// No item has this number.
    #[error("không có câu hỏi số {0} / there is no item {0}")]
    NotFound(ItemId),
    /// The review workflow does not allow this change of status.
    #[error(
        "câu hỏi {id}: không thể chuyển từ «{}» sang «{}» / item {id}: cannot go from {} to {}",
        .from.vietnamese(), .to.vietnamese(), .from.ascii(), .to.ascii()
    )]
    BadTransition {
        /// The item.
        id: ItemId,
        /// Its current status.
        from: Status,
        /// The status asked for.
        to: Status,
    },
    /// Approving or rejecting without saying who reviewed.
    #[error("câu hỏi {0}: cần tên người duyệt / item {0}: the reviewer's name is required")]
    MissingReviewer(ItemId),
    /// An author approving their own item.
    #[error(
        "câu hỏi {id} «{stem}»: tác giả không được tự duyệt câu hỏi của mình ({}) / item {id} «{stem}»: an author \
         cannot approve their own item ({})",
        .how.vietnamese(), .how.english()
    )]
    SelfApproval {
        /// The item.
        id: ItemId,
        /// The first words of its stem.
        stem: String,
        /// How the reviewer was recognised as the author.
        how: SelfApproval,
    },
    /// Signing a review statement failed (a name and comment too long to sign).
    #[error("câu hỏi {id}: không ký được / item {id}: cannot sign: {source}")]
    Sign {
        /// The item.
        id: ItemId,
        /// Why.
        #[source]
        source: phongthi_crypto::Error,
    },
    /// Rejecting without saying why: the author needs the reason to fix the item.
    #[error("câu hỏi {0}: cần ghi lí do từ chối / item {0}: a rejection needs a comment")]
    MissingComment(ItemId),
    /// An item given to [`crate::store::import_items`] breaks an item rule; nothing was imported.
    #[error("câu hỏi thứ {} trong danh sách nhập không hợp lệ / item {} of the import is invalid: {source}", .index + 1, .index + 1)]
    InvalidItem {
        /// 0-based position in the slice given to the import.
        index: usize,
        /// The broken rule.
        #[source]
        source: ItemError,
    },
    /// The item could not be written as JSON (should not happen for a valid item).
    #[error("không ghi được câu hỏi dạng JSON / cannot encode the item as JSON: {0}")]
    Encode(#[source] serde_json::Error),
    /// A stored row does not read back: edited by hand, or written by a broken program.
    #[error("dữ liệu câu hỏi {id} bị hỏng / item {id} is corrupt in the database: {detail}")]
    Corrupt {
        /// The item.
        id: ItemId,
        /// What does not parse.
        detail: String,
    },
    /// The database was written by a newer Phòng Thi whose schema this program does not know.
    #[error(
        "ngân hàng câu hỏi có cấu trúc phiên bản {found}, chương trình này chỉ biết đến phiên bản {supported}; \
         hãy cập nhật Phòng Thi / the question bank has schema version {found} but this program knows \
         only up to {supported}; update Phòng Thi"
    )]
    NewerSchema {
        /// `PRAGMA user_version` of the file.
        found: i64,
        /// The newest version this code can open.
        supported: i64,
    },
    /// The file is an SQLite database of another program, not a question bank.
    #[error(
        "tệp này không phải ngân hàng câu hỏi Phòng Thi (application_id {application_id}) / \
         this file is not a Phòng Thi question bank (application_id {application_id})"
    )]
    NotABank {
        /// `PRAGMA application_id` of the file.
        application_id: i64,
    },
}

/// How [`StoreError::SelfApproval`] recognised the reviewer as the item's author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelfApproval {
    /// The reviewer's key signed the item as its author (its fingerprint).
    Key(String),
    /// The reviewer's name is the item's author's or a submitter's (that name).
    Name(String),
}

impl SelfApproval {
    fn vietnamese(&self) -> String {
        match self {
            SelfApproval::Key(fingerprint) => format!("cùng khóa ký {fingerprint}"),
            SelfApproval::Name(name) => format!("cùng tên «{name}»"),
        }
    }

    fn english(&self) -> String {
        match self {
            SelfApproval::Key(fingerprint) => format!("same signing key {fingerprint}"),
            SelfApproval::Name(name) => format!("same name «{name}»"),
        }
    }
}

/// Attaches the [`Operation`] to a rusqlite result.
pub(crate) trait ResultExt<T> {
    /// Turns a rusqlite error into [`StoreError::Sqlite`] for `operation`.
    fn during(self, operation: Operation) -> Result<T, StoreError>;
}

impl<T> ResultExt<T> for rusqlite::Result<T> {
    fn during(self, operation: Operation) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Sqlite { operation, source })
    }
}
