//! Every error path: one bad question gives one error naming file, line and (where known)
//! column, in Vietnamese then English, and the rest of the file still imports.

use phongthi_formats::gift;

/// `gift` must give exactly one error, at `at` (`file:line[:column]`), whose message contains
/// `fragment`, and no items.
fn check(gift: &str, at: &str, fragment: &str) {
    let report = gift::import("loi.gift", gift);
    assert!(report.items.is_empty(), "no item expected from:\n{gift}\ngot {:#?}", report.items);
    assert_eq!(report.errors.len(), 1, "one error expected from:\n{gift}\ngot {:#?}", report.errors);
    let error = &report.errors[0];
    assert_eq!(error.at.to_string(), at, "{error}");
    assert!(error.message.contains(fragment), "{error:?} should mention {fragment:?}");
    assert!(error.message.contains(" / "), "message should be Vietnamese / English: {error}");
    assert!(error.to_string().starts_with(at), "{error}");
}

#[test]
fn braces_that_do_not_pair() {
    check("Gia tốc là {#9,8", "loi.gift:1:12", "không có } đóng");
    check("Câu dẫn\ndòng hai có { mở\n=a", "loi.gift:2:13", "no closing }");
    check("Nhiệt độ sôi của nước là 100 °C}", "loi.gift:1:32", "} without an opening {");
    check("a } b {T}", "loi.gift:1:3", "không có { mở");
    check("Tính {=2 {3}}", "loi.gift:1:10", "inside the answer block");
    check("Điền {=a} và {=b}", "loi.gift:1:14", "one answer block");
}

#[test]
fn names_and_format_tags() {
    check("::Câu 1 Vận tốc là gì? {}", "loi.gift:1:1", "no closing ::");
    check("::C1:: [latex]$x^2$ {}", "loi.gift:1:8", "unknown format tag [latex]");
}

#[test]
fn answers_and_credits() {
    check("Thủ đô của Pháp là {Paris}", "loi.gift:1:21", "must start with = (right) or ~ (wrong)");
    check("Chọn {=a ~%abc%b}", "loi.gift:1:11", "not a number");
    check("Chọn {=a ~%150%b}", "loi.gift:1:11", "grade 1.5 (150%) is not a valid Moodle grade");
    check("Chọn {=a ~%33%b}", "loi.gift:1:11", "điểm 0.33 (33%) không phải mức điểm hợp lệ");
    check("Chọn {~%50%a ~%50%b ~%50%c}", "loi.gift:1:6", "they add up to 150%");
    check("Chọn {~%40%a ~%20%b ~c}", "loi.gift:1:6", "they add up to 60%");
    check("Chọn {=a ~%50 b}", "loi.gift:1:11", "no closing %");
    check("Chọn {~a}", "loi.gift:1:6", "at least 2 options are needed, found 1");
}

#[test]
fn matching_pairs() {
    check("Ghép {=a -> 1 =b 2}", "loi.gift:1:15", "no -> between its sides");
    check("Ghép {\n  =a -> 1\n  =b ->\n}", "loi.gift:3:3", "nothing after ->");
    check("Ghép {=a -> 1 #hay =b -> 2}", "loi.gift:1:15", "matching: per-answer feedback");
    check("Ghép {=a -> 1 = -> 2}", "loi.gift:1:6", "at least 2 pairs, found 1");
}

#[test]
fn numbers() {
    check("Tính {#abc}", "loi.gift:1:8", "not a valid number \"abc\"");
    check("Tính {#}", "loi.gift:1:7", "a number is missing");
    check("Tính {#5..3}", "loi.gift:1:8", "empty numeric range");
    check("Tính {#1..x}", "loi.gift:1:11", "not a valid number \"x\"");
    check("Tính {#5:-1}", "loi.gift:1:9", "tolerance must not be negative");
    check("Tính {#5:}", "loi.gift:1:9", "a number is missing");
    check("Tính {#=5 ~4}", "loi.gift:1:11", "each numerical answer starts with =");
    check("Tính {#=5 ~%50%4}", "loi.gift:1:11", "any other answer");
    check("Tính {#=5 =%x%4}", "loi.gift:1:12", "not a number");
}

#[test]
fn comment_conventions() {
    check("// level: Khó\nCâu {T}", "loi.gift:1:11", "unknown level \"Khó\"");
    check("// points: abc\nCâu {T}", "loi.gift:1:12", "not a number");
    check("// points: 0,3333\nCâu {T}", "loi.gift:1:12", "at most 3 decimals");
    check("// points: -1\nCâu {T}", "loi.gift:1:12", "must not be negative");
    check("// pin: D1\nChọn {=a ~b ~c ~d}", "loi.gift:1:10", "found \"1\"");
    check("// pin: E\nChọn {=a ~b ~c ~d}", "loi.gift:1:9", "no option E to pin (the question has 4 options)");
    check("// pin: A\nCâu {T}", "loi.gift:1:9", "only choice questions");
    check("// scoring: four-char, fast\nCâu {#4}", "loi.gift:1:24", "unknown scoring rule \"fast\"");
    check("// scoring: four-char\nCâu {T}", "loi.gift:1:13", "only for numerical questions");
    check("// scoring: case-sensitive\nCâu {#4}", "loi.gift:1:13", "only for short-answer questions");
    check("// scoring: all-or-nothing\nCâu {=a}", "loi.gift:1:13", "only for matching questions");
}

#[test]
fn items_that_fail_validation_are_reported_at_their_first_line() {
    check("// level: Biết\n\nChọn {=a =b ~c}", "loi.gift:3", "several correct options");
    check("Chọn {~a ~b}", "loi.gift:1:6", "they add up to 0%");
    check("::Tên:: {T}", "loi.gift:1", "the question has no text");
    check("Điền {=%50%a}", "loi.gift:1", "no accepted answer earns full credit");
    check("Chọn {=a ~}", "loi.gift:1", "an option or answer is empty");
}

#[test]
fn reading_continues_after_a_bad_question() {
    let text = "$CATEGORY: Vật lí 10\n\nCâu 1 {T}\n\nCâu 2 {#9,8:abc}\n\n// level: Khó\nCâu 3 {F}\n\nCâu 4 {=a ~b}\n";
    let report = gift::import("ly10.gift", text);
    let stems: Vec<_> = report.items.iter().map(|item| item.stem.as_str()).collect();
    assert_eq!(stems, ["Câu 1", "Câu 4"]);
    let places: Vec<_> = report.errors.iter().map(|error| error.at.to_string()).collect();
    assert_eq!(places, ["ly10.gift:5:13", "ly10.gift:7:11"]);
    assert_eq!(report.items[1].meta.topic.as_deref(), Some("Vật lí 10"));
}
