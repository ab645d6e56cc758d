//! The conventions one by one, on hand-made lines.

use super::*;

fn plain(text: &str) -> Line {
    Line { index: 1, chars: text.chars().map(|c| (c, Look::default())).collect(), ..Line::default() }
}

fn text_of(marked: &Marked) -> String {
    marked.text.iter().map(|(c, _)| *c).collect()
}

#[test]
fn question_starts_in_every_spelling() {
    let start = question_start("Câu 12. Cho hàm số").unwrap();
    assert_eq!((start.number, start.level, start.stem_from), (12, None, 8));
    assert_eq!(question_start("Câu 3: Tính").unwrap().number, 3);
    assert_eq!(question_start("Bài 4) Giải").unwrap().number, 4);
    assert_eq!(question_start("Question 7. What").unwrap().number, 7);
    assert_eq!(question_start("CÂU 1. Hoa").unwrap().number, 1);
    let tagged = question_start("Câu 5 [VD]. Một vật").unwrap();
    assert_eq!((tagged.number, tagged.level), (5, Some(Level::VanDung)));
    assert_eq!(&"Câu 5 [VD]. Một vật".chars().skip(tagged.stem_from).collect::<String>(), "Một vật");
    assert_eq!(question_start("Câu 6. [VDC] Tìm m").unwrap().level, Some(Level::VanDungCao));
    assert_eq!(question_start("Câu 2 (NB): Chọn").unwrap().level, Some(Level::Biet));
    assert!(question_start("Câu hỏi sau đây").is_none());
    assert!(question_start("Câu 3a là").is_none());
    assert!(question_start("Cho câu 3.").is_none());
}

#[test]
fn part_headings_by_words_then_by_number() {
    assert_eq!(
        part_heading("PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn"),
        Some((1, Some(PartKind::SingleChoice)))
    );
    assert_eq!(part_heading("PHẦN II. Câu trắc nghiệm đúng sai."), Some((2, Some(PartKind::TrueFalse))));
    assert_eq!(part_heading("Phần 3: Trả lời ngắn"), Some((3, Some(PartKind::ShortAnswer))));
    assert_eq!(part_heading("PHẦN III"), Some((3, Some(PartKind::ShortAnswer))));
    assert_eq!(part_heading("II. TỰ LUẬN (3 điểm)"), Some((2, Some(PartKind::Essay))));
    assert_eq!(part_heading("PHẦN 4. Đọc hiểu"), Some((4, None)));
    assert_eq!(part_heading("I."), None, "a bare numeral with nothing after is not a heading");
    assert_eq!(part_heading("Phân tích"), None);
    assert_eq!(part_heading("Cho x."), None);
}

#[test]
fn keyword_lines() {
    assert_eq!(topic_line("Chủ đề: Hàm số bậc hai").as_deref(), Some("Hàm số bậc hai"));
    assert_eq!(topic_line("Chu de:"), None);
    assert_eq!(explanation_start("Lời giải: Ta có x = 2").as_deref(), Some("Ta có x = 2"));
    assert_eq!(explanation_start("Hướng dẫn giải").as_deref(), Some(""));
    assert_eq!(explanation_start("Giải thích vì sao"), None);
    assert_eq!(answer_line("Đáp án: 2,5; 2.5"), Some(vec!["2,5".to_owned(), "2.5".to_owned()]));
    assert_eq!(answer_line("ĐÁP ÁN: -1."), Some(vec!["-1".to_owned()]));
    assert_eq!(answer_line("Đáp ứng: x"), None);
    assert!(end_line("------ HẾT ------"));
    assert!(end_line("HẾT."));
    assert!(!end_line("Hết giờ làm bài thì nộp"));
}

#[test]
fn options_one_per_line_or_several_on_one() {
    let marks = CorrectMarks::default();
    let one = marked_items(&plain("A. 2"), true, 'A', marks).unwrap();
    assert_eq!((one.len(), one[0].letter, text_of(&one[0])), (1, 'A', "2".to_owned()));
    let four = marked_items(&plain("A. 1\tB. 2   C) x + 3 D.4"), true, 'A', marks).unwrap();
    let letters: Vec<char> = four.iter().map(|m| m.letter).collect();
    assert_eq!(letters, ['A', 'B', 'C', 'D']);
    assert_eq!(four.iter().map(text_of).collect::<Vec<_>>(), ["1", "2", "x + 3", "4"]);
    // `C.` and `D.` continue an earlier line's `A.` `B.`.
    assert_eq!(marked_items(&plain("C. 5\tD. 6"), true, 'C', marks).unwrap().len(), 2);
    assert!(marked_items(&plain("C. 5"), true, 'D', marks).is_none(), "a letter already used starts nothing");
    // Letters out of sequence are text of the option before.
    let text = marked_items(&plain("A. điểm B. và C"), true, 'A', marks).unwrap();
    assert_eq!(text.len(), 2);
    assert!(marked_items(&plain("Ai là"), true, 'A', marks).is_none());
    assert!(marked_items(&plain("A.B.C là tam giác"), true, 'A', marks).is_none());
}

#[test]
fn correct_and_pinned_marks() {
    let mut line = plain("A. 1\t*B. 2\t#C. Cả hai\t#!D. 4");
    let under = Look { underline: true, ..Look::default() };
    line.chars[0].1 = under;
    let all = marked_items(&line, true, 'A', CorrectMarks::default()).unwrap();
    assert_eq!(all.iter().map(|m| m.correct).collect::<Vec<_>>(), [true, true, false, true]);
    assert_eq!(all.iter().map(|m| m.pinned).collect::<Vec<_>>(), [false, false, true, true]);
    let only_star = CorrectMarks::parse("star").unwrap();
    let stars = marked_items(&line, true, 'A', only_star).unwrap();
    assert_eq!(stars.iter().map(|m| m.correct).collect::<Vec<_>>(), [false, true, false, true]);
    // Red text of the option (not its letter) counts as red.
    let mut red = plain("C. đúng rồi");
    for (_, look) in red.chars.iter_mut().skip(3) {
        look.red = true;
    }
    assert!(marked_items(&red, true, 'A', CorrectMarks::default()).unwrap()[0].correct);
    assert!(!marked_items(&red, true, 'A', CorrectMarks::parse("underline").unwrap()).unwrap()[0].correct);
}

#[test]
fn statements_are_lower_case() {
    let items = marked_items(&plain("a) Hàm số đồng biến."), false, 'a', CorrectMarks::default()).unwrap();
    assert_eq!((items[0].letter, text_of(&items[0])), ('a', "Hàm số đồng biến.".to_owned()));
    assert!(marked_items(&plain("a) x"), true, 'A', CorrectMarks::default()).is_none());
}

#[test]
fn mark_lists() {
    assert_eq!(
        CorrectMarks::parse("underline,red").unwrap(),
        CorrectMarks { underline: true, red: true, highlight: false, star: false }
    );
    assert_eq!(CorrectMarks::parse("all").unwrap(), CorrectMarks::default());
    assert!(CorrectMarks::parse("bold").unwrap_err().contains("bold"));
    assert!(CorrectMarks::parse("").is_err());
}
