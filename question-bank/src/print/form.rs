//! One mã đề as schools hand it out: the two-column header, the candidate's lines, the parts
//! with their instructions, questions "Câu N." in the form's order with their options in 4, 2
//! or 1 columns by width, "Trang i/n - Mã đề …" on every page and "------ HẾT ------" at the end.

use super::page::{Mark, Pages, Row, SIDE, TOP, WIDTH};
use super::text::{printable, wrap};
use super::{Header, PrintError};
use crate::exam::Exam;
use crate::forms::{Form, FormQuestion, letter};
use phongthi_items::{Body, Item, ItemKind};
use phongthi_pdf::{A4_HEIGHT, Align, Document, Style};

/// Size of question text.
const SIZE: f32 = 11.5;
/// Height of one text line.
const LINE: f32 = 15.5;

/// The PDF of `form` of `exam`.
pub fn form_pdf(exam: &Exam, form: &Form, header: &Header) -> Result<Vec<u8>, PrintError> {
    let mut document = Document::new(&format!("{} - Mã đề {}", header.exam_name, form.code))?;
    let mut pages = Pages::new();
    draw_header(&document, &mut pages, header, form);
    let mut part = None;
    let count = form.questions.len();
    for (index, question) in form.questions.iter().enumerate() {
        let Some(item) = exam.items().get(&question.item) else { continue };
        if part != Some(question.part) {
            part = Some(question.part);
            let last = form.questions.iter().rposition(|q| q.part == question.part).unwrap_or(index);
            pages.block(part_heading(&document, exam, question.part, item.kind(), index + 1, last + 1));
        }
        pages.block(question_rows(&document, index + 1, item, question));
        if index + 1 == count {
            pages.skip(6.0);
        }
    }
    let mut end = Row { height: 2.0 * LINE, ..Row::default() };
    end.marks.push(text(SIDE + WIDTH / 2.0, LINE * 1.2, "------ HẾT ------", Style::bold(SIZE).aligned(Align::Center)));
    pages.block(vec![end]);
    let code = form.code.to_string();
    pages.draw(&mut document, |document, index, count| {
        if index == 0 {
            document.text(
                SIDE + 100.0,
                TOP + 44.0,
                &format!("(Đề có {count} trang)"),
                Style::regular(10.0).aligned(Align::Center),
            );
        }
        let y = A4_HEIGHT - 30.0;
        document.line((SIDE, y - 12.0), (SIDE + WIDTH, y - 12.0), 0.4);
        document.text(
            SIDE + WIDTH / 2.0,
            y,
            &format!("Trang {}/{count} - Mã đề {code}", index + 1),
            Style::regular(9.5).aligned(Align::Center),
        );
    });
    Ok(document.finish()?)
}

fn text(x: f32, y: f32, text: &str, style: Style) -> Mark {
    Mark::Text { x, y, text: text.to_owned(), style }
}

fn draw_header(document: &Document, pages: &mut Pages, header: &Header, form: &Form) {
    let left_centre = SIDE + 100.0;
    let right_centre = SIDE + 200.0 + (WIDTH - 200.0) / 2.0;
    let centred = |size, bold: bool| {
        let style = if bold { Style::bold(size) } else { Style::regular(size) };
        style.aligned(Align::Center)
    };
    let fit = |t: &str, width: f32, size: f32| phongthi_pdf::table::fit(document, t, width, size);
    let y = TOP;
    pages.mark(text(left_centre, y + 10.0, &fit(&header.department, 200.0, 11.0), centred(11.0, false)));
    pages.mark(text(left_centre, y + 25.0, &fit(&header.school, 200.0, 11.0), centred(11.0, true)));
    pages.mark(Mark::Line { from: (left_centre - 40.0, y + 30.0), to: (left_centre + 40.0, y + 30.0) });
    // "(Đề có n trang)" goes under it when the page count is known (`form_pdf`).
    let right_width = WIDTH - 200.0;
    let mut ry = y + 10.0;
    for line in wrap(document, std::slice::from_ref(&header.exam_name), right_width, 0.0, 12.0) {
        pages.mark(text(right_centre, ry, &line, centred(12.0, true)));
        ry += 15.0;
    }
    pages.mark(text(right_centre, ry, &fit(&header.subject, right_width, 11.5), centred(11.5, true)));
    ry += 15.0;
    let time = format!("Thời gian làm bài: {} phút, không kể thời gian phát đề", header.minutes);
    pages.mark(text(right_centre, ry, &fit(&time, right_width, 10.0), centred(10.0, false)));
    let top = (ry + 14.0).max(y + 58.0);
    // The candidate's lines on the left, the boxed form code on the right.
    let dots = "………………………………………………………";
    pages.mark(text(SIDE, top + 14.0, &format!("Họ, tên thí sinh: {dots}"), Style::regular(11.0)));
    pages.mark(text(SIDE, top + 32.0, &format!("Số báo danh: {}", &dots[..dots.len() * 2 / 3]), Style::regular(11.0)));
    let label = format!("Mã đề {}", form.code);
    let box_width = document.text_width(&label, 12.5) + 24.0;
    let box_x = SIDE + WIDTH - box_width;
    pages.mark(Mark::Rect { x: box_x, y: top + 6.0, width: box_width, height: 26.0 });
    pages.mark(text(box_x + box_width / 2.0, top + 24.0, &label, Style::bold(12.5).aligned(Align::Center)));
    pages.skip(top + 46.0 - TOP);
}

/// Instructions of a part, as the 2025 papers word them.
fn instructions(kind: ItemKind, first: usize, last: usize) -> String {
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

fn part_heading(document: &Document, exam: &Exam, part: usize, kind: ItemKind, first: usize, last: usize) -> Vec<Row> {
    let name = exam.parts().get(part).map_or("", |p| p.name.as_str());
    let mut rows = vec![Row { height: 6.0, ..Row::default() }];
    for line in wrap(document, &[name.to_uppercase()], WIDTH, 0.0, SIZE) {
        rows.push(Row { height: LINE, marks: vec![text(SIDE, LINE - 4.0, &line, Style::bold(SIZE))] });
    }
    for line in wrap(document, &[instructions(kind, first, last)], WIDTH, 0.0, SIZE) {
        rows.push(Row { height: LINE, marks: vec![text(SIDE, LINE - 4.0, &line, Style::regular(SIZE))] });
    }
    rows
}

/// The question as rows: "Câu N." and the wrapped stem, figure placeholders, then its options.
fn question_rows(document: &Document, number: usize, item: &Item, question: &FormQuestion) -> Vec<Row> {
    let mut stem = item.stem.clone();
    if let Some(tail) = &item.stem_tail {
        stem = format!("{stem} ________ {tail}");
    }
    let paragraphs = printable(&stem);
    let label = format!("Câu {number}.");
    let label_width = document.text_width(&label, SIZE) + 5.0;
    let mut rows = Vec::new();
    for (index, line) in wrap(document, &paragraphs, WIDTH, label_width, SIZE).into_iter().enumerate() {
        let mut row = Row { height: LINE, marks: Vec::new() };
        if index == 0 {
            row.marks.push(text(SIDE, LINE - 4.0, &label, Style::bold(SIZE)));
            row.marks.push(text(SIDE + label_width, LINE - 4.0, &line, Style::regular(SIZE)));
        } else {
            row.marks.push(text(SIDE, LINE - 4.0, &line, Style::regular(SIZE)));
        }
        rows.push(row);
    }
    for image in &item.images {
        if !stem.contains(&image.name) {
            rows.extend(figure_placeholder(document, &image.name));
        }
    }
    let labelled = |labels: &mut dyn FnMut(usize) -> String, texts: Vec<String>| options(document, labels, texts);
    match &item.body {
        Body::SingleChoice { options } | Body::MultipleResponse { options } => {
            let texts = question
                .option_order
                .iter()
                .filter_map(|&i| options.get(usize::from(i)))
                .map(|o| printable(&o.text).join(" "))
                .collect();
            rows.extend(labelled(&mut |i| format!("{}.", letter(i)), texts));
        }
        Body::TrueFalseCluster { statements, .. } => {
            let texts = statements.iter().map(|s| printable(&s.text).join(" ")).collect::<Vec<_>>();
            for (index, statement) in texts.into_iter().enumerate() {
                let label = format!("{})", letter(index).to_ascii_lowercase());
                rows.extend(hanging(document, &label, &statement));
            }
        }
        Body::Matching { pairs, distractors, .. } => {
            for (index, pair) in pairs.iter().enumerate() {
                rows.extend(hanging(document, &format!("{})", index + 1), &printable(&pair.prompt).join(" ")));
            }
            let answers: Vec<&String> = pairs.iter().map(|p| &p.answer).chain(distractors.iter()).collect();
            let texts = question
                .option_order
                .iter()
                .filter_map(|&i| answers.get(usize::from(i)))
                .map(|a| printable(a).join(" "))
                .collect();
            rows.extend(labelled(&mut |i| format!("{}.", letter(i)), texts));
        }
        Body::Essay => {
            rows.push(Row { height: LINE, ..Row::default() });
        }
        _ => {}
    }
    rows.push(Row { height: 3.0, ..Row::default() });
    rows
}

/// A boxed placeholder where a figure goes: the PDF writer cannot place images yet.
fn figure_placeholder(document: &Document, name: &str) -> Vec<Row> {
    let label = format!("[Hình: {name}]");
    let width = document.text_width(&label, 10.0) + 20.0;
    let x = SIDE + (WIDTH - width) / 2.0;
    vec![Row {
        height: 34.0,
        marks: vec![
            Mark::Rect { x, y: 4.0, width, height: 26.0 },
            text(x + width / 2.0, 21.0, &label, Style::regular(10.0).aligned(Align::Center)),
        ],
    }]
}

/// A label with its text wrapped in a hanging indent ("a) …").
fn hanging(document: &Document, label: &str, body: &str) -> Vec<Row> {
    let indent = 22.0;
    wrap(document, &[body.to_owned()], WIDTH - indent - 10.0, 0.0, SIZE)
        .into_iter()
        .enumerate()
        .map(|(index, line)| {
            let mut marks = vec![text(SIDE + 10.0 + indent, LINE - 4.0, &line, Style::regular(SIZE))];
            if index == 0 {
                marks.push(text(SIDE + 10.0, LINE - 4.0, label, Style::bold(SIZE)));
            }
            Row { height: LINE, marks }
        })
        .collect()
}

/// Options in 4, 2 or 1 columns: the most columns in which every option fits on one line.
fn options(document: &Document, labels: &mut dyn FnMut(usize) -> String, texts: Vec<String>) -> Vec<Row> {
    if texts.is_empty() {
        return Vec::new();
    }
    let indent = 10.0;
    let label_width = 20.0;
    let usable = WIDTH - indent;
    let widest = texts.iter().map(|t| document.text_width(t, SIZE)).fold(0.0_f32, f32::max);
    let columns = [4_usize, 2]
        .into_iter()
        .find(|&n| n <= texts.len().max(2) && widest + label_width + 8.0 <= usable / n as f32)
        .unwrap_or(1);
    if columns == 1 {
        let mut rows = Vec::new();
        for (index, option) in texts.iter().enumerate() {
            rows.extend(hanging(document, &labels(index), option));
        }
        return rows;
    }
    let column_width = usable / columns as f32;
    texts
        .chunks(columns)
        .enumerate()
        .map(|(chunk, options)| {
            let mut marks = Vec::new();
            for (offset, option) in options.iter().enumerate() {
                let x = SIDE + indent + offset as f32 * column_width;
                marks.push(text(x, LINE - 4.0, &labels(chunk * columns + offset), Style::bold(SIZE)));
                marks.push(text(x + label_width, LINE - 4.0, option, Style::regular(SIZE)));
            }
            Row { height: LINE, marks }
        })
        .collect()
}
