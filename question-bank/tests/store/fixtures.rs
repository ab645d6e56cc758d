//! Vietnamese items used across the store tests, and a fresh bank to put them in.

use phongthi_items::{
    Body, Choice, ClusterTable, Fraction, Image, Item, Level, MatchPair, MatchScoring, Metadata, MilliPoints,
    NumericAnswer, NumericValue, SourceRef, Statement, TextAnswer,
};
use phongthi_question_bank::store::{self, Connection};
use rust_decimal::Decimal;
use tempfile::TempDir;

/// A new, empty bank in its own directory (kept alive by the returned `TempDir`).
pub(crate) fn bank() -> (TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = store::open(dir.path().join("nganhang.sqlite")).unwrap();
    (dir, conn)
}

/// Ten milliseconds past 2025-09-05 07:00 in Hà Nội, the first day of the school year.
pub(crate) const NOW: i64 = 1_757_030_400_010;

/// A small PNG-like file (only the bytes matter to the store).
pub(crate) fn venn_png() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\nbieu-do-ven".to_vec()
}

/// Another file.
pub(crate) fn axes_png() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\nhe-truc-toa-do".to_vec()
}

pub(crate) fn choice(text: &str, correct: bool) -> Choice {
    Choice {
        text: text.to_owned(),
        fraction: if correct { Fraction::ONE } else { Fraction::ZERO },
        pinned: false,
        feedback: None,
    }
}

fn meta(subject: &str, topic: &str, level: Level, author: &str, line: u32) -> Metadata {
    Metadata {
        subject: Some(subject.to_owned()),
        grade: Some(10),
        topic: Some(topic.to_owned()),
        level: Some(level),
        tags: vec!["HK1".to_owned()],
        author: Some(author.to_owned()),
        source: Some(SourceRef { file: "de-kiem-tra.gift".to_owned(), line }),
        points: None,
        category: None,
        idnumber: None,
    }
}

/// Toán 10, Mệnh đề, Biết: single choice.
pub(crate) fn menh_de() -> Item {
    let mut item = Item::new(
        "Trong các câu sau, câu nào là mệnh đề?",
        Body::SingleChoice {
            options: vec![
                choice("Hôm nay trời đẹp quá!", false),
                choice("$2 + 3 = 5$", true),
                choice("Bạn đi đâu đấy?", false),
                choice("$x + 1 > 0$", false),
            ],
        },
    );
    item.name = Some("MĐ-01".to_owned());
    item.meta = meta("Toán", "Mệnh đề", Level::Biet, "Nguyễn Văn An", 1);
    item.meta.points = Some(MilliPoints::from_milli(250));
    item
}

/// Toán 10, Tập hợp, Hiểu: true/false cluster with a Venn diagram.
pub(crate) fn tap_hop() -> Item {
    let statement = |text: &str, correct| Statement { text: text.to_owned(), correct };
    let mut item = Item::new(
        "Cho hai tập hợp $A = \\{1; 2; 3\\}$ và $B = \\{2; 3; 4\\}$ như hình @@PLUGINFILE@@/venn.png.",
        Body::TrueFalseCluster {
            statements: vec![
                statement("$A \\cap B = \\{2; 3\\}$", true),
                statement("$A \\cup B$ có 5 phần tử", false),
                statement("$1 \\in A \\setminus B$", true),
                statement("$B \\subset A$", false),
            ],
            table: ClusterTable::graduation_exam(),
        },
    );
    item.images = vec![Image { name: "venn.png".to_owned(), bytes: venn_png() }];
    item.meta = meta("Toán", "Tập hợp", Level::Hieu, "Nguyễn Văn An", 9);
    item
}

/// Toán 10, Tập hợp, Vận dụng: the same Venn diagram under another name, plus a second image.
pub(crate) fn tap_hop_hinh() -> Item {
    let mut item = Item::new(
        "Dựa vào hình @@PLUGINFILE@@/hinh1.png và @@PLUGINFILE@@/truc.png, tập hợp $A \\cap B$ có bao nhiêu phần tử?",
        Body::SingleChoice {
            options: vec![choice("1", false), choice("2", true), choice("3", false), choice("4", false)],
        },
    );
    item.images = vec![
        Image { name: "hinh1.png".to_owned(), bytes: venn_png() },
        Image { name: "truc.png".to_owned(), bytes: axes_png() },
    ];
    item.meta = meta("Toán", "Tập hợp", Level::VanDung, "Lê Thị Cúc", 20);
    item
}

/// Vật lí 10, Động lượng, Vận dụng: numeric (Phần III).
pub(crate) fn dong_luong() -> Item {
    let mut item = Item::new(
        "Một vật có khối lượng 2 kg chuyển động với vận tốc 3 m/s. Động lượng của vật bằng bao nhiêu kg·m/s?",
        Body::Numeric {
            answers: vec![NumericAnswer {
                value: NumericValue::Exact { value: Decimal::new(6, 0), tolerance: Decimal::ZERO },
                fraction: Fraction::ONE,
            }],
            four_char_rule: true,
        },
    );
    item.meta = meta("Vật lí", "Động lượng", Level::VanDung, "Trần Thị Bình", 3);
    item
}

/// Hóa học 10, Phản ứng oxi hóa – khử, Biết: single choice.
pub(crate) fn oxi_hoa_khu() -> Item {
    let mut item = Item::new(
        "Trong phản ứng oxi hóa – khử, chất khử là chất",
        Body::SingleChoice {
            options: vec![
                choice("nhường electron.", true),
                choice("nhận electron.", false),
                choice("không thay đổi số oxi hóa.", false),
                choice("tạo thành kết tủa.", false),
            ],
        },
    );
    item.meta = meta("Hóa học", "Phản ứng oxi hóa – khử", Level::Biet, "Phạm Minh Đức", 5);
    item
}

/// Hóa học 10, Phản ứng oxi hóa – khử, Hiểu: short text.
pub(crate) fn so_oxi_hoa() -> Item {
    let mut item = Item::new(
        "Số oxi hóa của lưu huỳnh trong $H_2SO_4$ là",
        Body::ShortText {
            answers: vec![TextAnswer { text: "+6".to_owned(), fraction: Fraction::ONE }],
            case_sensitive: false,
        },
    );
    item.meta = meta("Hóa học", "Phản ứng oxi hóa – khử", Level::Hieu, "Phạm Minh Đức", 12);
    item
}

/// Vật lí 10, Động lượng, Biết: matching quantities to units.
pub(crate) fn don_vi() -> Item {
    let pair = |prompt: &str, answer: &str| MatchPair { prompt: prompt.to_owned(), answer: answer.to_owned() };
    let mut item = Item::new(
        "Ghép mỗi đại lượng với đơn vị của nó.",
        Body::Matching {
            pairs: vec![pair("Động lượng", "kg·m/s"), pair("Xung lượng của lực", "N·s")],
            distractors: vec!["J".to_owned()],
            scoring: MatchScoring::PerPair,
        },
    );
    item.meta = meta("Vật lí", "Động lượng", Level::Biet, "Trần Thị Bình", 30);
    item
}

/// Every fixture, in import order.
pub(crate) fn all() -> Vec<Item> {
    vec![menh_de(), tap_hop(), tap_hop_hinh(), dong_luong(), oxi_hoa_khu(), so_oxi_hoa(), don_vi()]
}
