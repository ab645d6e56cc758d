//! The words printed on a paper, in one place so the PDF and the Word document say the same
//! thing: the candidate's lines, the parts' instructions in the 2025 wording, the end mark, the
//! footer and the key sheet's signature block.
//!
//! The PDF layout (`form`, `key`, and the XLSX key) and the Word writer (`docx`) both take
//! their words from here, so a change of wording reaches every printed file at once.

use phongthi_items::ItemKind;

/// Under the exam name: the working time, as every Vietnamese paper words it.
pub(crate) fn working_time(minutes: u32) -> String {
    format!("Thời gian làm bài: {minutes} phút, không kể thời gian phát đề")
}

/// The candidate writes a name after this.
pub(crate) const CANDIDATE_NAME: &str = "Họ, tên thí sinh:";
/// The candidate writes the exam number after this.
pub(crate) const CANDIDATE_NUMBER: &str = "Số báo danh:";

/// The boxed form code ("Mã đề 101").
pub(crate) fn form_label(code: &str) -> String {
    format!("Mã đề {code}")
}

/// A question's number ("Câu 3.").
pub(crate) fn question_label(number: usize) -> String {
    format!("Câu {number}.")
}

/// Before and after the page count under the school's name: "(Đề có 3 trang)". In two pieces
/// because the Word document puts a page-count field between them.
pub(crate) const PAGE_COUNT: (&str, &str) = ("(Đề có ", " trang)");

/// "(Đề có 3 trang)" when the count is known.
pub(crate) fn page_count(pages: usize) -> String {
    format!("{}{pages}{}", PAGE_COUNT.0, PAGE_COUNT.1)
}

/// The footer's first word, before "i/n".
pub(crate) const PAGE: &str = "Trang";

/// What follows "Trang i/n" in the footer: " - Mã đề 101", or " - ĐÁP ÁN" on the key sheet.
pub(crate) fn footer_suffix(what: &str) -> String {
    format!(" - {what}")
}

/// Where a figure the item does not carry was referred to.
pub(crate) fn figure_placeholder(name: &str) -> String {
    format!("[Hình: {name}]")
}

/// The last line of a form.
pub(crate) const END: &str = "------ HẾT ------";

/// Instructions of a part, as the 2025 papers word them.
pub(crate) fn instructions(kind: ItemKind, first: usize, last: usize) -> String {
    let range = format!("Thí sinh trả lời từ câu {first} đến câu {last}.");
    match kind {
        ItemKind::SingleChoice => format!("{range} Mỗi câu hỏi thí sinh chỉ chọn một phương án."),
        ItemKind::MultipleResponse => format!("{range} Mỗi câu hỏi có thể có nhiều phương án đúng."),
        ItemKind::TrueFalseCluster => {
            format!("{range} Trong mỗi ý a), b), c), d) ở mỗi câu, thí sinh chọn đúng hoặc sai.")
        }
        ItemKind::TrueFalse => format!("{range} Thí sinh chọn đúng hoặc sai."),
        ItemKind::Essay => format!("{range} Thí sinh trình bày lời giải vào giấy làm bài."),
        _ => range,
    }
}

/// Under the key sheet's title: "Môn: Toán 10 - Thời gian làm bài: 45 phút".
pub(crate) fn key_subject_line(subject: &str, minutes: u32) -> String {
    format!("{subject} - Thời gian làm bài: {minutes} phút")
}

/// The key sheet's title.
pub(crate) const KEY_TITLE: &str = "ĐÁP ÁN";
/// The key table's first column head.
pub(crate) const KEY_QUESTION: &str = "Câu";

/// The key table's head of a form's column ("Mã 101").
pub(crate) fn key_column(code: &str) -> String {
    format!("Mã {code}")
}
/// Under the key table when the exam has true/false clusters.
pub(crate) const KEY_CLUSTER_NOTE: &str = "Câu đúng/sai: Đ (đúng) hoặc S (sai) cho các ý a), b), c), d) theo thứ tự.";
/// Above the signatures.
pub(crate) const DATE_LINE: &str = "Ngày …… tháng …… năm 20……";
/// Who made the test signs on the left.
pub(crate) const AUTHOR: &str = "NGƯỜI RA ĐỀ";
/// The subject group's leader signs on the right.
pub(crate) const LEADER: &str = "TỔ TRƯỞNG CHUYÊN MÔN";
/// Under each signature title.
pub(crate) const SIGN_HINT: &str = "(Ký và ghi rõ họ tên)";
