//! Class-list order on a realistic 10A1 list, checked by hand: given name first (letters in the
//! Vietnamese alphabet, then tone), then from the family name on; equal names keep file order.

use super::*;

/// The 10A1 list in the order a homeroom teacher would print it.
const SORTED_10A1: [&str; 20] = [
    "Nguyễn Văn An",
    // Same given name: the family name decides (Lê before Trần).
    "Lê Minh Anh",
    "Trần Thị Ngọc Anh",
    // Same letters, sắc after ngang, whatever the family name.
    "Dương Thị Ánh",
    "Hoàng Gia Bảo",
    // â before ư.
    "Võ Thị Cẩm",
    "Phạm Quốc Cường",
    // i before ư; then đ after every d.
    "Bùi Thị Diệu",
    "Đặng Thùy Dương",
    "Nguyễn Minh Đức",
    // A word before its extensions, a before ă.
    "Nguyễn Thu Hà",
    "Trương Thu Hà",
    "Lý Thanh Hải",
    "Đỗ Thị Hằng",
    "Ngô Quang Huy",
    "Phan Thị Huyền",
    "Nguyễn Thị Mai",
    "Nguyễn Hoàng Nam",
    "Trịnh Bảo Ngọc",
    "Đinh Công Thành",
];

#[test]
fn class_list_order() {
    // The file order: alphabetical by family name, as a careless export gives it.
    let mut file_order = SORTED_10A1.to_vec();
    file_order.sort_unstable();
    assert_ne!(file_order, SORTED_10A1, "the test must start from a different order");
    let csv: String = std::iter::once("STT,Mã HS,Họ và tên,Lớp\n".to_owned())
        .chain(file_order.iter().enumerate().map(|(index, name)| format!("{},HS{index:02},{name},10A1\n", index + 1)))
        .collect();
    let roster = Roster::import_csv("10A1.csv", csv.as_bytes()).unwrap().sorted();
    let names: Vec<&str> = roster.students.iter().map(|s| s.full_name.as_str()).collect();
    assert_eq!(names, SORTED_10A1);
}

#[test]
fn same_names_keep_file_order() {
    let csv = "Mã HS,Họ và tên\n03,Nguyễn Văn An\n01,Lê Thị Bình\n02,NGUYỄN VĂN AN\n04,Nguyễn Văn An\n";
    let roster = Roster::import_csv("10A1.csv", csv.as_bytes()).unwrap().sorted();
    let ids: Vec<&str> = roster.students.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["03", "02", "04", "01"]);
}
