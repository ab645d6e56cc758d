//! VNI: the same coverage as Telex with digit keys, plus digits that must stay digits.

use super::check_table;
use crate::ime::InputMethod::Vni;
use crate::ime::ToneStyle;

/// Keys and the word they give.
const WORDS: &[(&str, &str)] = &[
    ("a1", "á"),
    ("a2", "à"),
    ("a3", "ả"),
    ("a4", "ã"),
    ("a5", "ạ"),
    ("a6", "â"),
    ("a8", "ă"),
    ("e6", "ê"),
    ("o6", "ô"),
    ("o7", "ơ"),
    ("u7", "ư"),
    ("d9", "đ"),
    ("tie6ng1", "tiếng"),
    ("vie6t5", "việt"),
    ("ngu7o7i2", "người"),
    ("nguoi72", "người"),
    ("d9a6y", "đây"),
    ("kho6ng", "không"),
    ("hoa2", "hoà"),
    ("qua3", "quả"),
    ("giu74", "giữ"),
    ("thuy3", "thuỷ"),
    ("tru7o7ng2", "trường"),
    ("truo7ng2", "trường"),
    ("ho5c", "học"),
    ("toa1n", "toán"),
    ("va6t5", "vật"),
    ("li1", "lí"),
    ("hoa1", "hoá"),
    ("d9e62", "đề"),
    ("ca6u", "câu"),
    ("ho3i", "hỏi"),
    ("d9a1p", "đáp"),
    ("a1n", "án"),
    ("d9u1ng", "đúng"),
    ("pha6n2", "phần"),
    ("tra8c1", "trắc"),
    ("nghie6m5", "nghiệm"),
    ("tu75", "tự"),
    ("lua6n5", "luận"),
    ("mo7i1", "mới"),
    ("cu4ng", "cũng"),
    ("nhu7ng4", "những"),
    ("nga2y", "ngày"),
    ("tha1ng", "tháng"),
    ("na8m", "năm"),
    ("d9u7o7ng2", "đường"),
    ("tha8ng3", "thẳng"),
    ("go1c", "góc"),
    ("vuo6ng", "vuông"),
    ("gia1c", "giác"),
    ("d9ie6m3", "điểm"),
    ("khoa3ng", "khoảng"),
    ("ca1ch", "cách"),
    ("so61", "số"),
    ("nguye6n", "nguyên"),
    ("to6i1", "tối"),
    ("mu7a", "mưa"),
    ("mua7", "mưa"),
    ("cu7u1", "cứu"),
    ("ru7o7u5", "rượu"),
    ("ruou75", "rượu"),
    ("khuye6n1", "khuyến"),
    ("quye6t1", "quyết"),
    ("ngoai2", "ngoài"),
    ("xoay1", "xoáy"),
    ("khuyu3", "khuỷu"),
    ("ngoeo5", "ngoẹo"),
    ("khoe3", "khoẻ"),
    ("ye6u", "yêu"),
    ("nhie6u2", "nhiều"),
    ("thuo73", "thuở"),
    ("huo7", "huơ"),
    ("quo6c1", "quốc"),
    ("gi2", "gì"),
    ("gin2", "gìn"),
    ("gia2", "già"),
    ("gie6ng1", "giếng"),
    ("xoa8n", "xoăn"),
    ("tua6n2", "tuần"),
    ("thue61", "thuế"),
    ("gu7i3", "gửi"),
    ("hu7u", "hưu"),
    ("nghi4", "nghĩ"),
    ("nghia4", "nghĩa"),
    ("mia1", "mía"),
    ("mua2", "mùa"),
    ("nui1", "núi"),
    ("chao1", "cháo"),
    ("mau1", "máu"),
    ("may1", "máy"),
    ("tinh1", "tính"),
    ("keo1", "kéo"),
    ("ke6u", "kêu"),
    ("d9o6ng2", "đồng"),
    ("ho7p5", "hợp"),
    ("ta6p5", "tập"),
    ("ro6ng4", "rỗng"),
    ("la2", "là"),
    ("d9oa5n", "đoạn"),
    ("ba8ng2", "bằng"),
    ("phu7o7ng", "phương"),
    ("phuong7", "phương"),
    ("huynh2", "huỳnh"),
    ("quy1", "quý"),
    ("ngoa8c5", "ngoặc"),
    ("ky4", "kỹ"),
    ("chu74", "chữ"),
    ("giu7a4", "giữa"),
    ("cu7a3", "cửa"),
    ("tu7o7i", "tươi"),
    ("nu7o7c1", "nước"),
    ("uo6ng1", "uống"),
    ("o6ng", "ông"),
    ("a8n", "ăn"),
    ("boong", "boong"),
];

#[test]
fn types_every_tone_and_special_vowel_in_school_words() {
    assert!(WORDS.len() >= 80);
    check_table(Vni, ToneStyle::Modern, WORDS);
}

#[test]
fn marks_and_tones_may_come_anywhere_after_the_vowels() {
    check_table(
        Vni,
        ToneStyle::Modern,
        &[
            ("tieng61", "tiếng"),
            ("tieng16", "tiếng"),
            ("vie5t6", "việt"),
            ("viet56", "việt"),
            ("truong72", "trường"),
            ("tru7ong2", "trường"),
            ("di9", "đi"),
            ("dung91", "đúng"),
            ("hoa2n", "hoàn"),
            ("a12", "à"),
            ("a10", "a"),
        ],
    );
}

#[test]
fn a_key_typed_again_undoes_itself_and_types_the_digit() {
    check_table(
        Vni,
        ToneStyle::Modern,
        &[
            ("a11", "a1"),
            ("a22", "a2"),
            ("a33", "a3"),
            ("a44", "a4"),
            ("a55", "a5"),
            ("a66", "a6"),
            ("a88", "a8"),
            ("o77", "o7"),
            ("u77", "u7"),
            ("d99", "d9"),
            ("tie6ng11", "tiêng1"),
            ("uo77", "uo7"),
            ("a0", "a0"), // nothing to remove: the digit stays
            ("a111", "a11"),
        ],
    );
}

#[test]
fn keeps_the_case_of_the_keys() {
    check_table(
        Vni,
        ToneStyle::Modern,
        &[
            ("VIE6T5 NAM", "VIỆT NAM"),
            ("D9a2", "Đà"),
            ("NGU7O7I2", "NGƯỜI"),
            ("Tie6ng1 Vie6t5", "Tiếng Việt"),
            ("Quo6c1", "Quốc"),
        ],
    );
}

#[test]
fn old_style_puts_the_tone_on_the_first_vowel_of_open_oa_oe_uy() {
    check_table(
        Vni,
        ToneStyle::Old,
        &[
            ("hoa2", "hòa"),
            ("thuy1", "thúy"),
            ("khoe3", "khỏe"),
            ("hoa2n", "hoàn"),
            ("qua3", "quả"),
            ("ngoai2", "ngoài"),
        ],
    );
}

#[test]
fn numbers_and_formulas_pass_through() {
    let texts = [
        "2,5",
        "-1,5",
        "0,25",
        "x^2",
        "3x2",
        "x2",
        "2a1",
        "10^-3",
        "H2O",
        "x1 + x2 = 5",
        "y = 3x - 7",
        "2024",
        "a1b", // `á` + `b` is not Vietnamese: the keys come back
        "class",
        "self",
    ];
    let unchanged: Vec<(&str, &str)> = texts.iter().map(|text| (*text, *text)).collect();
    check_table(Vni, ToneStyle::Modern, &unchanged);
}

#[test]
fn types_sentences_with_spaces_and_punctuation() {
    check_table(
        Vni,
        ToneStyle::Modern,
        &[
            ("Ta6p5 ho7p5 ro6ng4 la2 gi2?", "Tập hợp rỗng là gì?"),
            ("Va6n5 to6c1 cu3a xe la2 36 km/h.", "Vận tốc của xe là 36 km/h."),
            (
                "Nghie6m5 cu3a phu7o7ng tri2nh x^2 - 4 = 0 la2 x = 2; x = -2.",
                "Nghiệm của phương trình x^2 - 4 = 0 là x = 2; x = -2.",
            ),
        ],
    );
}
