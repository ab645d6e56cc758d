//! The XML beneath the layout: a paragraph's properties, runs with their look, complex fields
//! (`PAGE`, `NUMPAGES`) and the footer part that uses them.
//!
//! Property elements are written in the schema's order (`w:pPr`: style, keep, borders, tabs,
//! spacing, indent, alignment; `w:rPr`: bold, italic, size, underline, border, vertical
//! alignment): Word rejects a document whose properties are out of order.

use super::super::PrintError;
use super::body::{Look, Para};
use super::xml::{NAMESPACES, Xml};

pub(super) fn paragraph_start(xml: &mut Xml, para: &Para) {
    xml.open("w:p", &[]).open("w:pPr", &[]);
    if let Some(style) = para.style {
        xml.empty("w:pStyle", &[("w:val", style)]);
    }
    if para.keep_next {
        xml.empty("w:keepNext", &[]);
    }
    if para.rule_above {
        xml.open("w:pBdr", &[]);
        xml.empty("w:top", &[("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")]);
        xml.close("w:pBdr");
    }
    if !para.tabs.is_empty() {
        xml.open("w:tabs", &[]);
        for (kind, position, leader) in para.tabs {
            let position = position.to_string();
            let mut attributes = vec![("w:val", *kind), ("w:pos", position.as_str())];
            if let Some(leader) = leader {
                attributes.push(("w:leader", leader));
            }
            xml.empty("w:tab", &attributes);
        }
        xml.close("w:tabs");
    }
    if para.before.is_some() || para.after.is_some() {
        let (before, after) = (para.before.map(|b| b.to_string()), para.after.map(|a| a.to_string()));
        let mut attributes = Vec::new();
        if let Some(before) = &before {
            attributes.push(("w:before", before.as_str()));
        }
        if let Some(after) = &after {
            attributes.push(("w:after", after.as_str()));
        }
        xml.empty("w:spacing", &attributes);
    }
    if para.indent.is_some() || para.right.is_some() {
        let (left, hanging) = para.indent.unwrap_or((0, 0));
        let (left, hanging, right) = (left.to_string(), hanging.to_string(), para.right.unwrap_or(0).to_string());
        xml.empty("w:ind", &[("w:left", &left), ("w:right", &right), ("w:hanging", &hanging)]);
    }
    if let Some(align) = para.align {
        xml.empty("w:jc", &[("w:val", align)]);
    }
    xml.close("w:pPr");
}

pub(super) fn run_properties(xml: &mut Xml, look: Look) {
    let plain = !look.bold && !look.italic && !look.underline && look.size.is_none() && !look.boxed;
    if plain && look.vertical.is_none() {
        return;
    }
    xml.open("w:rPr", &[]);
    if look.bold {
        xml.empty("w:b", &[]).empty("w:bCs", &[]);
    }
    if look.italic {
        xml.empty("w:i", &[]).empty("w:iCs", &[]);
    }
    if let Some(size) = look.size {
        let size = size.to_string();
        xml.empty("w:sz", &[("w:val", &size)]).empty("w:szCs", &[("w:val", &size)]);
    }
    if look.underline {
        xml.empty("w:u", &[("w:val", "single")]);
    }
    if look.boxed {
        xml.empty("w:bdr", &[("w:val", "single"), ("w:sz", "8"), ("w:space", "2"), ("w:color", "auto")]);
    }
    if let Some(vertical) = look.vertical {
        xml.empty("w:vertAlign", &[("w:val", vertical)]);
    }
    xml.close("w:rPr");
}

pub(super) fn run(xml: &mut Xml, text: &str, look: Look) {
    if text.is_empty() {
        return;
    }
    xml.open("w:r", &[]);
    run_properties(xml, look);
    xml.element("w:t", &[("xml:space", "preserve")], text).close("w:r");
}

/// A complex field (begin, instruction, separate, result, end), which Word and LibreOffice
/// both recompute when they lay the document out.
pub(super) fn field(xml: &mut Xml, instruction: &str, shown: &str, look: Look) {
    let mark = |xml: &mut Xml, kind: &str| {
        xml.open("w:r", &[]);
        run_properties(xml, look);
        xml.empty("w:fldChar", &[("w:fldCharType", kind)]).close("w:r");
    };
    mark(xml, "begin");
    xml.open("w:r", &[]);
    run_properties(xml, look);
    xml.element("w:instrText", &[("xml:space", "preserve")], &format!(" {instruction} ")).close("w:r");
    mark(xml, "separate");
    run(xml, shown, look);
    mark(xml, "end");
}

/// `word/footer1.xml`: a rule, then "Trang {PAGE}/{NUMPAGES}" and `suffix` (" - Mã đề 101").
pub(super) fn footer(page_word: &str, suffix: &str) -> Result<Vec<u8>, PrintError> {
    let mut xml = Xml::new();
    xml.open("w:ftr", &NAMESPACES[..3]);
    paragraph_start(
        &mut xml,
        &Para { style: Some("Footer"), rule_above: true, align: Some("center"), ..Para::default() },
    );
    let look = Look { size: Some(20), ..Look::default() };
    run(&mut xml, &format!("{page_word} "), look);
    field(&mut xml, "PAGE", "1", look);
    run(&mut xml, "/", look);
    field(&mut xml, "NUMPAGES", "1", look);
    run(&mut xml, suffix, look);
    xml.close("w:p").close("w:ftr");
    xml.finish()
}
