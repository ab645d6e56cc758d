//! Text rules: everything stored is Unicode NFC, answers are compared after NFC, and search folds
//! Vietnamese diacritics so `menh de` finds `Mệnh đề`.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Normalises to NFC. Text typed with combining marks (common from some IMEs and Word) becomes
/// the same code points as precomposed text.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// Lower-case, NFD, combining marks removed, and `đ` → `d`: the key search and fuzzy matching use.
pub fn fold_for_search(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// Normalises a short-text answer for comparison: NFC, trimmed, inner whitespace collapsed, and
/// lower-cased unless the item is case-sensitive.
pub fn normalize_answer(text: &str, case_sensitive: bool) -> String {
    let collapsed = nfc(text).split_whitespace().collect::<Vec<_>>().join(" ");
    if case_sensitive { collapsed } else { collapsed.to_lowercase() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_joins_combining_marks() {
        let decomposed = "Tie\u{0302}\u{0301}ng Vie\u{0323}\u{0302}t";
        assert_eq!(nfc(decomposed), "Tiếng Việt");
    }

    #[test]
    fn folding_removes_every_vietnamese_mark() {
        assert_eq!(fold_for_search("Mệnh đề ĐÚNG, Vận dụng cao"), "menh de dung, van dung cao");
        let folded = fold_for_search("ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ");
        assert!(folded.chars().all(|c| "aeiouy".contains(c)), "{folded}");
    }

    #[test]
    fn answers_compare_after_nfc_and_case() {
        assert_eq!(normalize_answer("  Tập   RỖNG ", false), normalize_answer("tập rỗng", false));
        assert_ne!(normalize_answer("Rỗng", true), normalize_answer("rỗng", true));
    }
}
