//! `word/styles.xml` and `word/settings.xml`: Times New Roman 12 pt in Vietnamese as the
//! document default (what schools type their papers in; where it is missing LibreOffice
//! substitutes a font it has, Liberation Serif if installed, else a serif such as Noto Serif,
//! so lines may break elsewhere than in Word), a few named styles a teacher editing the paper recognises
//! (part heading, question, footer, grid table), and Word 2013+ compatibility so Word does
//! not open the file in compatibility mode. Child elements follow the schema's order: Word
//! refuses a part whose children are out of order.

use super::super::PrintError;
use super::xml::{NAMESPACES, Xml};

/// Body text size in half-points (12 pt).
pub(super) const BODY_SIZE: &str = "24";

/// The font of every run (ASCII, Vietnamese Latin, complex scripts, East Asian).
const FONT: &str = "Times New Roman";

pub(super) fn styles() -> Result<Vec<u8>, PrintError> {
    let mut xml = Xml::new();
    xml.open("w:styles", &NAMESPACES[..1]);
    xml.open("w:docDefaults", &[]).open("w:rPrDefault", &[]).open("w:rPr", &[]);
    xml.empty("w:rFonts", &[("w:ascii", FONT), ("w:hAnsi", FONT), ("w:eastAsia", FONT), ("w:cs", FONT)]);
    xml.empty("w:sz", &[("w:val", BODY_SIZE)]).empty("w:szCs", &[("w:val", BODY_SIZE)]);
    xml.empty("w:lang", &[("w:val", "vi-VN"), ("w:eastAsia", "en-US"), ("w:bidi", "ar-SA")]);
    xml.close("w:rPr").close("w:rPrDefault");
    xml.open("w:pPrDefault", &[]).open("w:pPr", &[]);
    xml.empty("w:spacing", &[("w:after", "0"), ("w:line", "264"), ("w:lineRule", "auto")]);
    xml.close("w:pPr").close("w:pPrDefault").close("w:docDefaults");

    paragraph_style(&mut xml, "Normal", "Normal", None, |_| {}, |_| {});
    paragraph_style(
        &mut xml,
        "PartHeading",
        "Phần (tiêu đề)",
        Some("Normal"),
        |xml| {
            xml.empty("w:keepNext", &[]).empty("w:spacing", &[("w:before", "160"), ("w:after", "20")]);
        },
        |xml| {
            xml.empty("w:b", &[]).empty("w:bCs", &[]);
        },
    );
    paragraph_style(
        &mut xml,
        "Question",
        "Câu hỏi",
        Some("Normal"),
        |xml| {
            xml.empty("w:spacing", &[("w:before", "100")]).empty("w:jc", &[("w:val", "both")]);
        },
        |_| {},
    );
    paragraph_style(
        &mut xml,
        "Footer",
        "footer",
        Some("Normal"),
        |xml| {
            xml.empty("w:jc", &[("w:val", "center")]);
        },
        |xml| {
            xml.empty("w:sz", &[("w:val", "20")]).empty("w:szCs", &[("w:val", "20")]);
        },
    );

    xml.open("w:style", &[("w:type", "table"), ("w:default", "1"), ("w:styleId", "TableNormal")]);
    xml.empty("w:name", &[("w:val", "Normal Table")]).empty("w:uiPriority", &[("w:val", "99")]);
    xml.open("w:tblPr", &[]).empty("w:tblInd", &[("w:w", "0"), ("w:type", "dxa")]);
    cell_margins(&mut xml);
    xml.close("w:tblPr").close("w:style");

    xml.open("w:style", &[("w:type", "table"), ("w:styleId", "TableGrid")]);
    xml.empty("w:name", &[("w:val", "Table Grid")]).empty("w:basedOn", &[("w:val", "TableNormal")]);
    xml.open("w:tblPr", &[]).open("w:tblBorders", &[]);
    for side in ["w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"] {
        xml.empty(side, &[("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "auto")]);
    }
    xml.close("w:tblBorders").close("w:tblPr").close("w:style");
    xml.close("w:styles");
    xml.finish()
}

fn cell_margins(xml: &mut Xml) {
    xml.open("w:tblCellMar", &[]);
    for (side, width) in [("w:top", "0"), ("w:left", "85"), ("w:bottom", "0"), ("w:right", "85")] {
        xml.empty(side, &[("w:w", width), ("w:type", "dxa")]);
    }
    xml.close("w:tblCellMar");
}

fn paragraph_style(
    xml: &mut Xml,
    id: &str,
    name: &str,
    based_on: Option<&str>,
    paragraph: impl FnOnce(&mut Xml),
    run: impl FnOnce(&mut Xml),
) {
    let mut attributes = vec![("w:type", "paragraph"), ("w:styleId", id)];
    if based_on.is_none() {
        attributes.insert(1, ("w:default", "1"));
    }
    xml.open("w:style", &attributes);
    xml.empty("w:name", &[("w:val", name)]);
    if let Some(parent) = based_on {
        xml.empty("w:basedOn", &[("w:val", parent)]);
    }
    xml.empty("w:qFormat", &[]);
    xml.open("w:pPr", &[]);
    paragraph(xml);
    xml.close("w:pPr").open("w:rPr", &[]);
    run(xml);
    xml.close("w:rPr").close("w:style");
}

pub(super) fn settings() -> Result<Vec<u8>, PrintError> {
    let mut xml = Xml::new();
    xml.open("w:settings", &[NAMESPACES[0], NAMESPACES[2]]);
    xml.empty("w:defaultTabStop", &[("w:val", "720")]);
    xml.empty("w:characterSpacingControl", &[("w:val", "doNotCompress")]);
    xml.open("w:compat", &[]);
    xml.empty(
        "w:compatSetting",
        &[("w:name", "compatibilityMode"), ("w:uri", "http://schemas.microsoft.com/office/word"), ("w:val", "15")],
    );
    xml.close("w:compat");
    // Word's own equation defaults: Cambria Math, integrals with limits beside, sums with limits
    // above and below.
    xml.open("m:mathPr", &[]);
    for (name, value) in [
        ("m:mathFont", "Cambria Math"),
        ("m:brkBin", "before"),
        ("m:brkBinSub", "--"),
        ("m:smallFrac", "0"),
        ("m:lMargin", "0"),
        ("m:rMargin", "0"),
        ("m:defJc", "centerGroup"),
        ("m:wrapIndent", "1440"),
        ("m:intLim", "subSup"),
        ("m:naryLim", "undOvr"),
    ] {
        xml.empty(name, &[("m:val", value)]);
    }
    xml.close("m:mathPr").close("w:settings");
    xml.finish()
}
