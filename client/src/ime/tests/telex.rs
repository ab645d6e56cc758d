//! Telex: words with every tone and every special vowel, free order of marks, undo, case, the
//! old tone style, and text that must pass through untouched.

use super::check_table;
use crate::ime::InputMethod::Telex;
use crate::ime::ToneStyle;

/// Keys and the word they give, from school vocabulary (Toán, Vật lí, Hoá học, Ngữ văn).
const WORDS: &[(&str, &str)] = &[
    // The six tones on a bare vowel.
    ("a", "a"),
    ("as", "á"),
    ("af", "à"),
    ("ar", "ả"),
    ("ax", "ã"),
    ("aj", "ạ"),
    // Every special vowel on its own.
    ("aa", "â"),
    ("aw", "ă"),
    ("ee", "ê"),
    ("oo", "ô"),
    ("ow", "ơ"),
    ("uw", "ư"),
    ("w", "ư"),
    ("dd", "đ"),
    // Words.
    ("tieengs", "tiếng"),
    ("vieetj", "việt"),
    ("nguwowif", "người"),
    ("ddaay", "đây"),
    ("khoong", "không"),
    ("hoaf", "hoà"),
    ("quar", "quả"),
    ("quaarn", "quẩn"),
    ("giuwx", "giữ"),
    ("giwx", "giữ"),
    ("thuyr", "thuỷ"),
    ("truwowngf", "trường"),
    ("hocj", "học"),
    ("sinh", "sinh"),
    ("toans", "toán"),
    ("vaatj", "vật"),
    ("lis", "lí"),
    ("hoas", "hoá"),
    ("ddeef", "đề"),
    ("caau", "câu"),
    ("hoir", "hỏi"),
    ("ddaps", "đáp"),
    ("ans", "án"),
    ("ddungs", "đúng"),
    ("sai", "sai"),
    ("phaanf", "phần"),
    ("trawcs", "trắc"),
    ("nghieemj", "nghiệm"),
    ("tuwj", "tự"),
    ("luaajn", "luận"),
    ("mowis", "mới"),
    ("cuxng", "cũng"),
    ("nhuwngx", "những"),
    ("ngayf", "ngày"),
    ("thangs", "tháng"),
    ("nawm", "năm"),
    ("dduwowngf", "đường"),
    ("thawngr", "thẳng"),
    ("gocs", "góc"),
    ("vuoong", "vuông"),
    ("giacs", "giác"),
    ("ddieemr", "điểm"),
    ("khoangr", "khoảng"),
    ("cachs", "cách"),
    ("soos", "số"),
    ("nguyeen", "nguyên"),
    ("toois", "tối"),
    ("muwa", "mưa"),
    ("cuwus", "cứu"),
    ("ruwowuj", "rượu"),
    ("khuyeens", "khuyến"),
    ("quyeets", "quyết"),
    ("ngoaif", "ngoài"),
    ("xoays", "xoáy"),
    ("khuyur", "khuỷu"),
    ("ngoeoj", "ngoẹo"),
    ("khoer", "khoẻ"),
    ("yeeu", "yêu"),
    ("nhieeuf", "nhiều"),
    ("thuowr", "thuở"),
    ("huow", "huơ"),
    ("quoocs", "quốc"),
    ("quow", "quơ"),
    ("gif", "gì"),
    ("ginf", "gìn"),
    ("giaf", "già"),
    ("gieesng", "giếng"),
    ("xoawn", "xoăn"),
    ("tuaanf", "tuần"),
    ("thuees", "thuế"),
    ("guwir", "gửi"),
    ("huwu", "hưu"),
    ("nghix", "nghĩ"),
    ("nghiax", "nghĩa"),
    ("mias", "mía"),
    ("muaf", "mùa"),
    ("nuis", "núi"),
    ("chaos", "cháo"),
    ("maus", "máu"),
    ("mays", "máy"),
    ("tinhs", "tính"),
    ("keos", "kéo"),
    ("keeu", "kêu"),
    ("ddoongf", "đồng"),
    ("howpj", "hợp"),
    ("taapj", "tập"),
    ("roongx", "rỗng"),
    ("laf", "là"),
    ("ddoanj", "đoạn"),
    ("bawngf", "bằng"),
    ("phuwowng", "phương"),
    ("trinhf", "trình"),
    ("hamf", "hàm"),
    ("thij", "thị"),
    ("luyeenj", "luyện"),
    ("vaanx", "vẫn"),
    ("ddaats", "đất"),
    ("nuwowcs", "nước"),
    ("uoongs", "uống"),
    ("oong", "ông"),
    ("awn", "ăn"),
    ("tw", "tư"),
    ("nhw", "như"),
    ("ddwowngf", "đường"),
    ("khuya", "khuya"),
    ("khuyar", "khuỷa"), // `uya`: the tone goes on `y`, the main vowel between glide and off-glide
    ("huynhf", "huỳnh"),
    ("quys", "quý"),
    ("thuys", "thuý"),
    ("ngoawcj", "ngoặc"),
    ("loaif", "loài"),
    ("ddiaj", "địa"),
    ("lys", "lý"),
    ("kyx", "kỹ"),
    ("chuwx", "chữ"),
    ("giuwax", "giữa"),
    ("cuwar", "cửa"),
    ("tuwowi", "tươi"),
    ("buwowms", "bướm"),
    ("luwowix", "lưỡi"),
    ("nguwowcj", "ngược"),
    ("booong", "boong"),
    ("sooocs", "soóc"),
    ("xooong", "xoong"),
];

#[test]
fn types_every_tone_and_special_vowel_in_school_words() {
    assert!(WORDS.len() >= 80);
    check_table(Telex, ToneStyle::Modern, WORDS);
}

#[test]
fn marks_and_tones_may_come_anywhere_after_the_vowels() {
    check_table(
        Telex,
        ToneStyle::Modern,
        &[
            ("tiengse", "tiếng"),
            ("tieesng", "tiếng"),
            ("tiengsee", "tiénge"), // a second `e` after `ê` undoes the circumflex, like `aaa`
            ("vietej", "việt"),
            ("vieejt", "việt"),
            ("vietje", "việt"),
            ("truongwf", "trường"),
            ("truowngf", "trường"),
            ("nguoiwf", "người"),
            ("nguowif", "người"),
            ("nguwoif", "người"), // `ưo` + anything is completed to `ươ`
            ("truwongf", "trường"),
            ("truwofng", "trường"),
            ("ruouwj", "rượu"),
            ("khongo", "không"),
            ("canaf", "cần"),
            ("moiws", "mới"),
            ("hoafn", "hoàn"), // the tone moves to `a` once `n` makes `oa` closed
            ("dod", "đo"),
            ("dieemd", "điêm"),
            ("giaf", "già"),
            ("gifa", "già"), // `gì` + `a`: the `i` joins the initial and the tone moves to `a`
            ("asf", "à"),    // another tone replaces the first
            ("hocjs", "hóc"),
            ("asz", "a"),
            ("tieengsz", "tiêng"),
            ("thuoowr", "thuở"), // `w` on `ô` turns it into `ơ`
        ],
    );
}

#[test]
fn a_modifier_typed_again_undoes_itself_and_types_the_letter() {
    check_table(
        Telex,
        ToneStyle::Modern,
        &[
            ("ass", "as"),
            ("asss", "ass"), // once undone, the key is a letter for the rest of the word
            ("aff", "af"),
            ("arr", "ar"),
            ("axx", "ax"),
            ("ajj", "aj"),
            ("aaa", "aa"),
            ("eee", "ee"),
            ("ooo", "oo"),
            ("aww", "aw"),
            ("oww", "ow"),
            ("uww", "uw"),
            ("ww", "w"),
            ("Ww", "W"),
            ("www", "ww"),
            ("ddd", "dd"),
            ("dddd", "ddd"),
            ("uoww", "uow"),
            ("tieengss", "tiêngs"),
            ("muwaw", "muaw"),
            ("az", "az"), // nothing to remove: `z` is a letter
            ("classs", "classs"),
        ],
    );
}

#[test]
fn keeps_the_case_of_the_keys() {
    check_table(
        Telex,
        ToneStyle::Modern,
        &[
            ("VIEETJ NAM", "VIỆT NAM"),
            ("Ddaf", "Đà"),
            ("DDAF", "ĐÀ"),
            ("dD", "đ"),
            ("Tieengs Vieetj", "Tiếng Việt"),
            ("NGUWOWIF", "NGƯỜI"),
            ("TRUWOWNGF", "TRƯỜNG"),
            ("HOAF", "HOÀ"),
            ("Quoocs", "Quốc"),
            ("GIUWX", "GIỮ"),
            ("W", "Ư"),
            ("aA", "â"),
            ("ASS", "AS"),
            ("ThuwR", "Thử"),
        ],
    );
}

#[test]
fn old_style_puts_the_tone_on_the_first_vowel_of_open_oa_oe_uy() {
    check_table(
        Telex,
        ToneStyle::Old,
        &[
            ("hoaf", "hòa"),
            ("thuys", "thúy"),
            ("khoer", "khỏe"),
            ("thuyr", "thủy"),
            ("hoas hocj", "hóa học"),
            // Everything else is the same in both styles.
            ("hoafn", "hoàn"),
            ("quar", "quả"),
            ("ngoaif", "ngoài"),
            ("muaf", "mùa"),
            ("toans", "toán"),
            ("huynhf", "huỳnh"),
            ("nguwowif", "người"),
        ],
    );
}

#[test]
fn english_words_numbers_and_formulas_pass_through() {
    let texts = [
        "xs",
        "self",
        "class",
        "hello",
        "next",
        "text",
        "google",
        "web",
        "window",
        "example",
        "email@example.com",
        "log",
        "tan",
        "H2O",
        "CO2",
        "x^2",
        "2,5",
        "-1,5",
        "3,14",
        "10^-3",
        "f(x)=2x+1",
        "x1 + x2 = 5",
        "2as",
        "0,25 + 0,75 = 1",
        "https://example.invalid/a?b=c",
    ];
    let unchanged: Vec<(&str, &str)> = texts.iter().map(|text| (*text, *text)).collect();
    check_table(Telex, ToneStyle::Modern, &unchanged);
}

#[test]
fn types_sentences_with_spaces_and_punctuation() {
    check_table(
        Telex,
        ToneStyle::Modern,
        &[
            ("Taapj howpj roongx laf gif?", "Tập hợp rỗng là gì?"),
            (
                "Tinhs gias trij cuar bieeur thuwcs A = 2x + 1 khi x = 3.",
                "Tính giá trị của biểu thức A = 2x + 1 khi x = 3.",
            ),
            ("Cho tam giacs ABC vuoong taij A.", "Cho tam giác ABC vuông tại A."),
            ("Vaanj toocs cuar xe laf 36 km/h.", "Vận tốc của xe là 36 km/h."),
            ("Nuwowcs cos coong thuwcs hoas hocj laf H2O.", "Nước có công thức hoá học là H2O."),
            (
                "Ddoois vowis mooxi meenhj ddeef, hayx xets tinhs ddungs - sai.",
                "Đối với mỗi mệnh đề, hãy xét tính đúng - sai.",
            ),
            ("(a) Ddungs; (b) Sai!\nHeets.", "(a) Đúng; (b) Sai!\nHết."),
        ],
    );
}
