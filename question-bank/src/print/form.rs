//! One mã đề as schools hand it out: the two-column header, the candidate's lines, the parts
//! with their instructions, questions "Câu N." in the form's order with their options in 4, 2
//! or 1 columns by width, "Trang i/n - Mã đề …" on every page and "------ HẾT ------" at the end.

use super::page::{Mark, Pages, Row, SIDE, TOP, WIDTH};
use super::rich::{Block, Glued, Inline, Line, blocks, single_line_width, wrap};
use super::text::wrap as wrap_plain;
use super::wording;
use super::{Header, PrintError};
use crate::exam::Exam;
use crate::forms::{Form, FormQuestion, letter};
use phongthi_items::{Body, Item, ItemId, ItemKind};
use phongthi_pdf::{A4_HEIGHT, Align, Document, Picture, PictureId, Style};
use std::collections::HashMap;

/// Size of question text.
const SIZE: f32 = 11.5;
/// Height of one text line.
const LINE: f32 = 15.5;

/// The PDF of `form` of `exam`.
pub fn form_pdf(exam: &Exam, form: &Form, header: &Header) -> Result<Vec<u8>, PrintError> {
    let mut document = Document::new(&format!("{} - {}", header.exam_name, wording::form_label(form.code.as_str())))?;
    let figures = Figures::add(&mut document, exam, form)?;
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
        pages.block(question_rows(&document, &figures, index + 1, item, question));
        if index + 1 == count {
            pages.skip(6.0);
        }
    }
    let mut end = Row { height: 2.0 * LINE, ..Row::default() };
    end.marks.push(text(SIDE + WIDTH / 2.0, LINE * 1.2, wording::END, Style::bold(SIZE).aligned(Align::Center)));
    pages.block(vec![end]);
    let label = wording::form_label(form.code.as_str());
    pages.draw(&mut document, |document, index, count| {
        if index == 0 {
            document.text(
                SIDE + 100.0,
                TOP + 44.0,
                &wording::page_count(count),
                Style::regular(10.0).aligned(Align::Center),
            );
        }
        let y = A4_HEIGHT - 30.0;
        document.line((SIDE, y - 12.0), (SIDE + WIDTH, y - 12.0), 0.4);
        document.text(
            SIDE + WIDTH / 2.0,
            y,
            &format!("{} {}/{count}{}", wording::PAGE, index + 1, wording::footer_suffix(&label)),
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
    for line in wrap_plain(document, std::slice::from_ref(&header.exam_name), right_width, 0.0, 12.0) {
        pages.mark(text(right_centre, ry, &line, centred(12.0, true)));
        ry += 15.0;
    }
    pages.mark(text(right_centre, ry, &fit(&header.subject, right_width, 11.5), centred(11.5, true)));
    ry += 15.0;
    let time = wording::working_time(header.minutes);
    pages.mark(text(right_centre, ry, &fit(&time, right_width, 10.0), centred(10.0, false)));
    let top = (ry + 14.0).max(y + 58.0);
    // The candidate's lines on the left, the boxed form code on the right.
    let dots = "………………………………………………………";
    pages.mark(text(SIDE, top + 14.0, &format!("{} {dots}", wording::CANDIDATE_NAME), Style::regular(11.0)));
    pages.mark(text(
        SIDE,
        top + 32.0,
        &format!("{} {}", wording::CANDIDATE_NUMBER, &dots[..dots.len() * 2 / 3]),
        Style::regular(11.0),
    ));
    let label = wording::form_label(form.code.as_str());
    let box_width = document.text_width(&label, 12.5) + 24.0;
    let box_x = SIDE + WIDTH - box_width;
    pages.mark(Mark::Rect { x: box_x, y: top + 6.0, width: box_width, height: 26.0 });
    pages.mark(text(box_x + box_width / 2.0, top + 24.0, &label, Style::bold(12.5).aligned(Align::Center)));
    pages.skip(top + 46.0 - TOP);
}

fn part_heading(document: &Document, exam: &Exam, part: usize, kind: ItemKind, first: usize, last: usize) -> Vec<Row> {
    let name = exam.parts().get(part).map_or("", |p| p.name.as_str());
    let mut rows = vec![Row { height: 6.0, ..Row::default() }];
    for line in wrap_plain(document, &[name.to_uppercase()], WIDTH, 0.0, SIZE) {
        rows.push(Row { height: LINE, marks: vec![text(SIDE, LINE - 4.0, &line, Style::bold(SIZE))] });
    }
    for line in wrap_plain(document, &[wording::instructions(kind, first, last)], WIDTH, 0.0, SIZE) {
        rows.push(Row { height: LINE, marks: vec![text(SIDE, LINE - 4.0, &line, Style::regular(SIZE))] });
    }
    rows
}

/// The pictures of the form's items, added to the document once each, by item and file name.
pub(crate) struct Figures {
    by_name: HashMap<(ItemId, String), (PictureId, f32)>,
}

impl Figures {
    /// Decodes every figure of the form's items into `document`; a picture that cannot be read
    /// is an error naming the question and the file (a paper never silently lacks a figure).
    pub(crate) fn add(document: &mut Document, exam: &Exam, form: &Form) -> Result<Figures, PrintError> {
        let mut by_name = HashMap::new();
        for (index, question) in form.questions.iter().enumerate() {
            let Some(item) = exam.items().get(&question.item) else { continue };
            for image in &item.images {
                if by_name.contains_key(&(question.item, image.name.clone())) {
                    continue;
                }
                let picture = Picture::decode(&image.name, &image.bytes)
                    .map_err(|error| PrintError::Figure { question: index + 1, error })?;
                let aspect = picture.aspect();
                by_name.insert((question.item, image.name.clone()), (document.add_picture(picture), aspect));
            }
        }
        Ok(Figures { by_name })
    }

    /// The rows of figure `name` of `item`, centred, at most 60 % of the width and 180 points
    /// high (about 6 cm); a name the item does not carry prints as a boxed placeholder.
    fn rows(&self, document: &Document, item: &ItemId, name: &str) -> Vec<Row> {
        let Some(&(id, aspect)) = self.by_name.get(&(*item, name.to_owned())) else {
            return figure_placeholder(document, name);
        };
        let pixels = document.picture_info(id).map_or(300.0, |p| p.width as f32);
        // At 96 dpi, as Word sizes a pasted picture, then capped.
        let mut width = (pixels * 0.75).min(WIDTH * 0.6);
        let mut height = width / aspect;
        if height > 180.0 {
            height = 180.0;
            width = height * aspect;
        }
        let x = SIDE + (WIDTH - width) / 2.0;
        vec![Row { height: height + 8.0, marks: vec![Mark::Picture { id, x, y: 4.0, width, height }] }]
    }
}

/// Rows of one laid-out line at `x`: runs of words as one text each, formulas typeset.
fn line_row(line: &Line, x: f32, style: Style) -> Row {
    let baseline = (LINE - 4.0).max(line.ascent + 2.0);
    let height = (baseline + line.descent + 1.5).max(LINE);
    let mut marks = Vec::new();
    let mut run: Option<(f32, String)> = None;
    let flush = |run: &mut Option<(f32, String)>, marks: &mut Vec<Mark>| {
        if let Some((at, words)) = run.take() {
            marks.push(text(x + at, baseline, &words, style));
        }
    };
    for (at, inline) in &line.pieces {
        match inline {
            Inline::Word(word) => match &mut run {
                Some((_, words)) => {
                    words.push(' ');
                    words.push_str(word);
                }
                None => run = Some((*at, word.clone())),
            },
            Inline::Math(formula) => {
                flush(&mut run, &mut marks);
                marks.push(Mark::Math { x: x + at, y: baseline, formula: formula.clone() });
            }
        }
    }
    flush(&mut run, &mut marks);
    Row { height, marks }
}

/// What a text prints as: its lines and figures, the first line after `label` in bold.
fn text_rows(
    document: &Document,
    figures: &Figures,
    item: &ItemId,
    label: Option<(&str, f32)>,
    x: f32,
    width: f32,
    text: &str,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut label = label;
    for block in blocks(document, text, SIZE) {
        match block {
            Block::Figure(name) => rows.extend(figures.rows(document, item, &name)),
            Block::Text(inlines) => {
                let indent = label.map_or(0.0, |(_, indent)| indent);
                for (index, line) in wrap(document, &inlines, width, indent, SIZE).iter().enumerate() {
                    let shift = if index == 0 { indent } else { 0.0 };
                    let mut row = line_row(line, x + shift, Style::regular(SIZE));
                    if let Some((label, _)) = label.take() {
                        let baseline = (LINE - 4.0).max(line.ascent + 2.0);
                        row.marks.push(text_mark(x, baseline, label));
                    }
                    rows.push(row);
                }
            }
        }
    }
    if let Some((label, _)) = label {
        rows.insert(0, Row { height: LINE, marks: vec![text_mark(x, LINE - 4.0, label)] });
    }
    rows
}

fn text_mark(x: f32, y: f32, label: &str) -> Mark {
    text(x, y, label, Style::bold(SIZE))
}

/// The question as rows: "Câu N." and the stem, its figures, then its options.
fn question_rows(
    document: &Document,
    figures: &Figures,
    number: usize,
    item: &Item,
    question: &FormQuestion,
) -> Vec<Row> {
    let mut stem = item.stem.clone();
    if let Some(tail) = &item.stem_tail {
        stem = format!("{stem} ________ {tail}");
    }
    let label = wording::question_label(number);
    let label_width = document.text_width(&label, SIZE) + 5.0;
    let id = &question.item;
    let mut rows = text_rows(document, figures, id, Some((&label, label_width)), SIDE, WIDTH, &stem);
    for image in &item.images {
        if !stem.contains(&image.name) {
            rows.extend(figures.rows(document, id, &image.name));
        }
    }
    let choice = |texts: Vec<&String>| options(document, figures, id, texts);
    match &item.body {
        Body::SingleChoice { options } | Body::MultipleResponse { options } => {
            let texts = question.option_order.iter().filter_map(|&i| options.get(usize::from(i))).map(|o| &o.text);
            rows.extend(choice(texts.collect()));
        }
        Body::TrueFalseCluster { statements, .. } => {
            for (index, statement) in statements.iter().enumerate() {
                let label = format!("{})", letter(index).to_ascii_lowercase());
                rows.extend(hanging(document, figures, id, &label, &statement.text));
            }
        }
        Body::Matching { pairs, distractors, .. } => {
            for (index, pair) in pairs.iter().enumerate() {
                rows.extend(hanging(document, figures, id, &format!("{})", index + 1), &pair.prompt));
            }
            let answers: Vec<&String> = pairs.iter().map(|p| &p.answer).chain(distractors.iter()).collect();
            let texts = question.option_order.iter().filter_map(|&i| answers.get(usize::from(i)).copied());
            rows.extend(choice(texts.collect()));
        }
        Body::Essay => {
            rows.push(Row { height: LINE, ..Row::default() });
        }
        _ => {}
    }
    rows.push(Row { height: 3.0, ..Row::default() });
    rows
}

/// A boxed placeholder where a figure the item does not carry was referred to.
fn figure_placeholder(document: &Document, name: &str) -> Vec<Row> {
    let label = wording::figure_placeholder(name);
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
fn hanging(document: &Document, figures: &Figures, item: &ItemId, label: &str, body: &str) -> Vec<Row> {
    let indent = 22.0;
    let mut rows = text_rows(document, figures, item, None, SIDE + 10.0 + indent, WIDTH - indent - 10.0, body);
    match rows.first_mut() {
        Some(first) if !first.marks.iter().any(|m| matches!(m, Mark::Picture { .. })) => {
            let baseline = first.marks.iter().find_map(baseline_of).unwrap_or(LINE - 4.0);
            first.marks.push(text_mark(SIDE + 10.0, baseline, label));
        }
        _ => rows.insert(0, Row { height: LINE, marks: vec![text_mark(SIDE + 10.0, LINE - 4.0, label)] }),
    }
    rows
}

fn baseline_of(mark: &Mark) -> Option<f32> {
    match mark {
        Mark::Text { y, .. } | Mark::Math { y, .. } => Some(*y),
        _ => None,
    }
}

/// Options in 4, 2 or 1 columns: the most columns in which every option fits on one line (an
/// option with a figure or several paragraphs takes a line of its own).
fn options(document: &Document, figures: &Figures, item: &ItemId, texts: Vec<&String>) -> Vec<Row> {
    if texts.is_empty() {
        return Vec::new();
    }
    let indent = 10.0;
    let label_width = 20.0;
    let usable = WIDTH - indent;
    let laid: Vec<Vec<Block>> = texts.iter().map(|t| blocks(document, t, SIZE)).collect();
    let single: Vec<Option<&Vec<Glued>>> = laid
        .iter()
        .map(|blocks| match blocks.as_slice() {
            [Block::Text(inlines)] => Some(inlines),
            [] => None,
            _ => None,
        })
        .collect();
    let widest = single
        .iter()
        .map(|inlines| inlines.map_or(f32::INFINITY, |i| single_line_width(document, i, SIZE)))
        .fold(0.0_f32, f32::max);
    let columns = [4_usize, 2]
        .into_iter()
        .find(|&n| n <= texts.len().max(2) && widest + label_width + 8.0 <= usable / n as f32)
        .unwrap_or(1);
    if columns == 1 {
        let mut rows = Vec::new();
        for (index, text) in texts.iter().enumerate() {
            rows.extend(hanging(document, figures, item, &format!("{}.", letter(index)), text));
        }
        return rows;
    }
    let column_width = usable / columns as f32;
    single
        .chunks(columns)
        .enumerate()
        .map(|(chunk, options)| {
            let mut row = Row { height: LINE, marks: Vec::new() };
            let lines: Vec<Line> = options
                .iter()
                .map(|inlines| wrap(document, inlines.map_or(&[][..], |i| i.as_slice()), f32::INFINITY, 0.0, SIZE))
                .filter_map(|lines| lines.into_iter().next())
                .collect();
            // One baseline for the row: the tallest option's.
            let ascent = lines.iter().map(|l| l.ascent).fold(0.78 * SIZE, f32::max);
            let descent = lines.iter().map(|l| l.descent).fold(0.22 * SIZE, f32::max);
            for (offset, line) in lines.into_iter().enumerate() {
                let x = SIDE + indent + offset as f32 * column_width;
                let aligned = Line { ascent, descent, ..line };
                let placed = line_row(&aligned, x + label_width, Style::regular(SIZE));
                let baseline = (LINE - 4.0).max(ascent + 2.0);
                row.height = row.height.max(placed.height);
                row.marks.extend(placed.marks);
                row.marks.push(text_mark(x, baseline, &format!("{}.", letter(chunk * columns + offset))));
            }
            row
        })
        .collect()
}
