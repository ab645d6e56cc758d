//! Formulas as Word equations: the exam client's parsed LaTeX ([`Node`]s) written as OMML
//! (`m:oMath`, ECMA-376 Part 1 §22.1), so a teacher opening the paper in Word or LibreOffice
//! finds real equations to edit, not pictures or linear text.
//!
//! The mapping is the inverse of the Word importer's (`phongthi_formats::omml`), and the tests
//! check that a formula written here reads back as the same formula:
//! fractions `m:f`, radicals `m:rad`, scripts `m:sSup`/`m:sSub`/`m:sSubSup`, `\left…\right`
//! `m:d`, accents `m:acc` (a wide bar `m:bar`), `cases` an `m:eqArr` in a brace as Word writes a
//! system, ∑ ∏ ∫ `m:nary` and named operators (`sin`, `lim`) `m:func`. Letters go out as ASCII
//! (Word italicises maths letters itself); upright ones carry `m:sty p`, `\text` `m:nor`.
//!
//! Brackets that pair up in a row, `(3; 5]` included, become `m:d` as Word's editor makes them
//! (they grow with their content, and LibreOffice, which reads a bracket in a run as the start
//! of a group, would otherwise show an error mark); a bracket without its partner is written
//! as ordinary text.
//!
//! [`operators`] writes ∑, ∫, … and named functions. An n-ary operator or a function takes as
//! its argument (`m:e`) what follows it up to the next relation, binary operator or
//! punctuation outside brackets, as a reader would group it; the importer flattens it back, so
//! the grouping changes nothing but Word's spacing.

mod operators;

use super::xml::Xml;
use operators::{NARY, Operator, function_name, nary, operand, operator, scripts_element};
use phongthi_ui::math::{Accent, Class, Node};

/// Writes one formula as `<m:oMath>…</m:oMath>`.
pub(super) fn write_math(xml: &mut Xml, nodes: &[Node]) {
    xml.open("m:oMath", &[]);
    row(xml, nodes);
    xml.close("m:oMath");
}

/// Characters of consecutive plain symbols, written as one `m:r`.
#[derive(Default)]
struct Pending(String);

impl Pending {
    fn flush(&mut self, xml: &mut Xml) {
        if !self.0.is_empty() {
            run(xml, &std::mem::take(&mut self.0), Look::Maths);
        }
    }
}

/// How a run is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Look {
    /// Maths: letters italic.
    Maths,
    /// Upright letters (`m:sty p`): operator names, `\mathrm`.
    Upright,
    /// Ordinary text inside the formula (`m:nor`): `\text{với}`.
    Words,
}

fn run(xml: &mut Xml, text: &str, look: Look) {
    xml.open("m:r", &[]);
    match look {
        Look::Maths => {}
        Look::Upright => {
            xml.open("m:rPr", &[]).empty("m:sty", &[("m:val", "p")]).close("m:rPr");
        }
        Look::Words => {
            xml.open("m:rPr", &[]).empty("m:nor", &[]).close("m:rPr");
            // Words in the body font, not Cambria Math.
            xml.open("w:rPr", &[]);
            xml.empty("w:rFonts", &[("w:ascii", "Times New Roman"), ("w:hAnsi", "Times New Roman")]);
            xml.close("w:rPr");
        }
    }
    xml.element("m:t", &[("xml:space", "preserve")], text).close("m:r");
}

/// A row of nodes, merging plain symbols into runs and giving operators their arguments.
fn row(xml: &mut Xml, nodes: &[Node]) {
    // Braces only group for LaTeX; spliced in, `\mathbb{R}` joins the run around it and a
    // bracket pairs with its partner inside a group.
    if nodes.iter().any(|node| matches!(node, Node::Group(_))) {
        let mut flat = Vec::with_capacity(nodes.len());
        splice(nodes, &mut flat);
        return row_of(xml, &flat);
    }
    row_of(xml, nodes);
}

fn splice(nodes: &[Node], out: &mut Vec<Node>) {
    for node in nodes {
        match node {
            Node::Group(inner) => splice(inner, out),
            other => out.push(other.clone()),
        }
    }
}

fn row_of(xml: &mut Xml, nodes: &[Node]) {
    let mut pending = Pending::default();
    let mut at = 0;
    while at < nodes.len() {
        let node = &nodes[at];
        at += 1;
        if let Some(opening) = bracket(node, Class::Open) {
            pending.flush(xml);
            match closing(&nodes[at..]) {
                Some(end) => {
                    let closer = bracket(&nodes[at + end], Class::Close).unwrap_or_default();
                    delimited(xml, opening, closer, |xml| part(xml, "m:e", &nodes[at..at + end]));
                    at += end + 1;
                }
                None => run(xml, opening, Look::Words),
            }
            continue;
        }
        if let Some(closer) = bracket(node, Class::Close) {
            // A closing bracket without its opening one (the pairs were taken above).
            pending.flush(xml);
            run(xml, closer, Look::Words);
            continue;
        }
        if let Some(text) = plain(node) {
            pending.0.push_str(&text);
            continue;
        }
        pending.flush(xml);
        match operator(node) {
            Some(Operator::Nary { symbol, limits, sub, sup }) => {
                let take = operand(&nodes[at..], true);
                nary(xml, symbol, limits, sub, sup, &nodes[at..at + take]);
                at += take;
            }
            Some(Operator::Function) => {
                let take = operand(&nodes[at..], false);
                xml.open("m:func", &[]).open("m:fName", &[]);
                function_name(xml, node);
                xml.close("m:fName").open("m:e", &[]);
                row(xml, &nodes[at..at + take]);
                xml.close("m:e").close("m:func");
                at += take;
            }
            None => structure(xml, node),
        }
    }
    pending.flush(xml);
}

/// The text of a bracket symbol of `class` (`(` `[` `\{` `⟨` open, their mirrors close).
fn bracket(node: &Node, class: Class) -> Option<&str> {
    match node {
        Node::Symbol { text, class: found }
            if *found == class && matches!(text.as_str(), "(" | "[" | "{" | "⟨" | ")" | "]" | "}" | "⟩") =>
        {
            Some(text)
        }
        _ => None,
    }
}

/// Where the bracket closing the one just before `nodes` is, brackets nesting in between.
fn closing(nodes: &[Node]) -> Option<usize> {
    let mut depth = 0usize;
    for (index, node) in nodes.iter().enumerate() {
        if bracket(node, Class::Open).is_some() {
            depth += 1;
        } else if bracket(node, Class::Close).is_some() {
            if depth == 0 {
                return Some(index);
            }
            depth -= 1;
        }
    }
    None
}

/// The run text of a symbol drawn as plain maths (italic letters back to ASCII), or `None`.
fn plain(node: &Node) -> Option<String> {
    match node {
        Node::Symbol { text, class } if *class != Class::Operator && !has_ascii_letter(text) => {
            if NARY.iter().any(|(symbol, _)| symbol == text) {
                return None;
            }
            Some(text.chars().map(ascii_letter).collect())
        }
        Node::Space(em) => Some(space(em.0).to_owned()),
        _ => None,
    }
}

/// Upright ASCII letters: `\mathrm{d}`, `\operatorname{tg}` (maths letters are stored italic).
fn has_ascii_letter(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_alphabetic())
}

/// Mathematical italic letters (𝑥) as ASCII: in Word a maths letter is italic by default.
fn ascii_letter(c: char) -> char {
    let code = u32::from(c);
    let letter = match code {
        0x1D434..=0x1D44D => u32::from('A') + (code - 0x1D434),
        0x1D44E..=0x1D467 => u32::from('a') + (code - 0x1D44E),
        0x210E => u32::from('h'),
        _ => return c,
    };
    char::from_u32(letter).unwrap_or(c)
}

/// A space command as the Unicode space of about its width; Word draws it, the importer drops
/// it (the typesetter spaces by atom class anyway).
fn space(em: f32) -> &'static str {
    match em {
        e if e <= 0.0 => "",
        e if e < 0.2 => "\u{2009}",
        e if e < 0.3 => "\u{2005}",
        e if e < 1.5 => "\u{2003}",
        _ => "\u{2003}\u{2003}",
    }
}

/// `<name>row</name>`.
fn part(xml: &mut Xml, name: &str, nodes: &[Node]) {
    xml.open(name, &[]);
    row(xml, nodes);
    xml.close(name);
}

/// A node that is not a plain symbol nor an operator.
fn structure(xml: &mut Xml, node: &Node) {
    match node {
        Node::Symbol { text, .. } => run(xml, text, Look::Upright),
        Node::Text(text) => run(xml, text, Look::Words),
        // Spliced into their row by `row`.
        Node::Group(nodes) => row(xml, nodes),
        Node::Space(_) => {}
        Node::Fraction { numerator, denominator } => {
            xml.open("m:f", &[]);
            part(xml, "m:num", numerator);
            part(xml, "m:den", denominator);
            xml.close("m:f");
        }
        Node::Root { degree, radicand } => {
            xml.open("m:rad", &[]);
            match degree {
                Some(degree) => part(xml, "m:deg", degree),
                None => {
                    xml.open("m:radPr", &[]).empty("m:degHide", &[("m:val", "1")]).close("m:radPr");
                    xml.empty("m:deg", &[]);
                }
            }
            part(xml, "m:e", radicand);
            xml.close("m:rad");
        }
        Node::Scripts { base, sup, sub } => {
            let element = scripts_element(sub.is_some(), sup.is_some());
            xml.open(element, &[]);
            part(xml, "m:e", std::slice::from_ref(base.as_ref()));
            if let Some(sub) = sub {
                part(xml, "m:sub", sub);
            }
            if let Some(sup) = sup {
                part(xml, "m:sup", sup);
            }
            xml.close(element);
        }
        Node::Delimited { open, body, close } => delimited(xml, open, close, |xml| part(xml, "m:e", body)),
        Node::Accent { accent, body } => {
            let wide = !matches!(body.as_slice(), [Node::Symbol { .. }]);
            if *accent == Accent::Bar && wide {
                // Word's overline over several letters is a bar on top, not a stretched accent.
                xml.open("m:bar", &[]).open("m:barPr", &[]).empty("m:pos", &[("m:val", "top")]).close("m:barPr");
                part(xml, "m:e", body);
                xml.close("m:bar");
                return;
            }
            let mark = match accent {
                Accent::Bar => "\u{305}",
                Accent::Arrow => "\u{20D7}",
                Accent::Hat => "\u{302}",
            };
            xml.open("m:acc", &[]).open("m:accPr", &[]).empty("m:chr", &[("m:val", mark)]).close("m:accPr");
            part(xml, "m:e", body);
            xml.close("m:acc");
        }
        Node::Cases(rows) => delimited(xml, "{", "", |xml| {
            // A system as Word writes one: an equation array in a left brace, one row per
            // line. The cells of a row are set apart by two em spaces as ordinary text, not by
            // Word's `&` alignment mark: LibreOffice reads that `&` as a character and draws
            // "∧" (logical and) in the middle of the row, and it drops spaces in a maths run.
            // A school system is read row by row; the columns need not align.
            xml.open("m:e", &[]).open("m:eqArr", &[]);
            for cells in rows {
                xml.open("m:e", &[]);
                for (index, cell) in cells.iter().enumerate() {
                    if index > 0 {
                        run(xml, "\u{2003}\u{2003}", Look::Words);
                    }
                    row(xml, cell);
                }
                xml.close("m:e");
            }
            xml.close("m:eqArr").close("m:e");
        }),
    }
}

fn delimited(xml: &mut Xml, open: &str, close: &str, body: impl FnOnce(&mut Xml)) {
    xml.open("m:d", &[]).open("m:dPr", &[]);
    xml.empty("m:begChr", &[("m:val", open)]).empty("m:endChr", &[("m:val", close)]);
    xml.close("m:dPr");
    body(xml);
    xml.close("m:d");
}
