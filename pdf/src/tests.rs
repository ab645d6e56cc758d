//! PDFs written and read back: structure, page count, the text through the ToUnicode map, and
//! the embedded subset holding the Vietnamese glyphs.

use super::table::{Column, draw_table, fit};
use super::*;
use proptest::prelude::*;

const VIETNAMESE: &str = "Đặng Thị Ắng Ẫn Ỡ Ự Ỹ — đề kiểm tra: ắ ặ ẫ ỡ ự ỹ Đ đ ơ ư";

fn written(document: Document) -> Vec<u8> {
    document.finish().unwrap()
}

#[test]
fn a_page_of_vietnamese_reads_back() {
    let mut document = Document::new("Phiếu điểm").unwrap();
    document.text(MARGIN, 80.0, VIETNAMESE, Style::regular(12.0));
    document.text(MARGIN, 100.0, "Trường THPT Nguyễn Trãi", Style::bold(14.0));
    document.line((MARGIN, 110.0), (300.0, 110.0), 0.5);
    document.rect(MARGIN, 120.0, 100.0, 40.0, Some(0.5), true);
    let pdf = written(document);
    assert!(pdf.starts_with(b"%PDF-1."));
    assert!(String::from_utf8_lossy(&pdf).trim_end().ends_with("%%EOF"));
    assert!(String::from_utf8_lossy(&pdf).contains("trailer"));
    assert_eq!(inspect::page_count(&pdf), Some(1));
    let pages = inspect::page_texts(&pdf).unwrap();
    assert_eq!(pages, vec![vec![VIETNAMESE.to_owned(), "Trường THPT Nguyễn Trãi".to_owned()]]);
    // The font is embedded as a subset (tag + name) with its file, not referenced by name.
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("+NotoSans-Regular"));
    assert!(text.contains("/FontFile2"));
    assert!(text.contains("/Identity-H"));
}

#[test]
fn decomposed_text_is_drawn_with_precomposed_glyphs() {
    let mut document = Document::new("NFC").unwrap();
    // "ệ" as e + combining circumflex + combining dot below.
    document.text(MARGIN, 80.0, "Nguye\u{0302}\u{0323}n", Style::regular(12.0));
    let pages = inspect::page_texts(&written(document)).unwrap();
    assert_eq!(pages[0], vec!["Nguyện".to_owned()]);
}

#[test]
fn every_vietnamese_letter_has_a_glyph() {
    let document = Document::new("glyphs").unwrap();
    let letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy";
    for base in letters.chars().chain(letters.to_uppercase().chars()) {
        for mark in ["", "\u{0300}", "\u{0301}", "\u{0303}", "\u{0309}", "\u{0323}"] {
            use unicode_normalization::UnicodeNormalization;
            let letter: String = format!("{base}{mark}").nfc().collect();
            for character in letter.chars().filter(|c| !matches!(c, '\u{0300}'..='\u{036F}')) {
                assert!(document.has_glyph(character), "{letter:?}");
            }
        }
    }
}

#[test]
fn the_subset_is_much_smaller_than_the_font() {
    let mut document = Document::new("size").unwrap();
    document.text(MARGIN, 80.0, VIETNAMESE, Style::regular(12.0));
    let pdf = written(document);
    assert!(pdf.len() < 30_000, "{} bytes", pdf.len());
}

#[test]
fn same_document_same_bytes() {
    let make = || {
        let mut document = Document::new("Bảng điểm").unwrap();
        document.text(MARGIN, 80.0, VIETNAMESE, Style::bold(12.0).aligned(Align::Center));
        written(document)
    };
    assert_eq!(make(), make());
}

#[test]
fn no_pages_is_an_error() {
    let document = Document::new("trống").unwrap();
    assert!(matches!(document.finish(), Err(PdfError::NoPages)));
}

#[test]
fn a_long_table_breaks_across_pages_and_repeats_its_header() {
    let mut document = Document::new("Danh sách").unwrap();
    document.add_page();
    let columns = [Column::new("STT", 40.0, Align::Right), Column::new("Họ và tên", 200.0, Align::Left)];
    let rows: Vec<Vec<String>> = (1..=100).map(|n| vec![n.to_string(), format!("Nguyễn Thị Ánh {n}")]).collect();
    let end = draw_table(&mut document, MARGIN, 120.0, &columns, &rows);
    assert!(end > MARGIN && end < A4_HEIGHT - MARGIN);
    let pdf = written(document);
    let pages = inspect::page_texts(&pdf).unwrap();
    assert_eq!(inspect::page_count(&pdf), Some(pages.len()));
    assert!(pages.len() >= 3, "{} pages", pages.len());
    for page in &pages {
        assert_eq!(page[0..2], ["STT".to_owned(), "Họ và tên".to_owned()]);
    }
    let all: Vec<&String> = pages.iter().flatten().collect();
    assert!(all.iter().any(|line| *line == "Nguyễn Thị Ánh 100"));
    assert_eq!(all.iter().filter(|line| line.starts_with("Nguyễn Thị Ánh ")).count(), 100);
}

#[test]
fn too_long_cells_are_cut_with_an_ellipsis() {
    let document = Document::new("fit").unwrap();
    let cut = fit(&document, "Nguyễn Hoàng Phương Thảo Nguyên Khánh", 60.0, 10.0);
    assert!(cut.ends_with('…'));
    assert!(document.text_width(&cut, 10.0) <= 60.0);
    assert_eq!(fit(&document, "An", 60.0, 10.0), "An");
}

#[test]
fn inspect_refuses_what_is_not_a_pdf() {
    assert_eq!(inspect::page_texts(b"not a pdf"), None);
    assert_eq!(inspect::page_texts(b"%PDF-1.7\n"), None);
    assert_eq!(inspect::page_count(b"%PDF-1.7\n%%EOF"), None);
}

proptest! {
    #[test]
    fn inspect_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut framed = b"%PDF-1.7\n".to_vec();
        framed.extend(&bytes);
        framed.extend(b"\n%%EOF");
        let _ = inspect::page_texts(&framed);
        let _ = inspect::page_count(&framed);
    }

    #[test]
    fn any_text_reads_back(text in "[a-zA-ZàáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵĐƠƯ ()\\\\0-9]{1,40}") {
        let mut document = Document::new("prop").unwrap();
        document.text(MARGIN, 80.0, &text, Style::regular(11.0));
        let pages = inspect::page_texts(&document.finish().unwrap()).unwrap();
        prop_assert_eq!(&pages[0][0], &text);
    }
}

#[test]
fn math_symbols_fall_back_to_noto_sans_math_only_when_used() {
    let mut plain = Document::new("Không có ký hiệu").unwrap();
    plain.text(MARGIN, 80.0, VIETNAMESE, Style::regular(12.0));
    assert!(!String::from_utf8_lossy(&written(plain)).contains("NotoSansMath"));

    let mut maths = Document::new("Ký hiệu").unwrap();
    assert!(maths.has_glyph('∀') && maths.has_glyph('∈') && maths.has_glyph('≥'));
    let narrow = maths.text_width("x", 12.0);
    assert!(maths.text_width("∀x ∈ ℝ", 12.0) > 3.0 * narrow, "the fallback's advances count");
    maths.text(MARGIN, 80.0, "∀x ∈ ℝ, x² ≥ 0", Style::regular(12.0));
    let pdf = written(maths);
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("+NotoSans-Regular") && text.contains("+NotoSansMath-Regular"));
    assert!(text.contains("/F2"));
}
