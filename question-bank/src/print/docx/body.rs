//! The body of `word/document.xml` being written: paragraphs with their properties, runs of
//! words with emphasis, item texts (words, Word equations and pictures), borderless or grid
//! tables, page fields and the A4 section. The XML of properties, runs, fields and the footer
//! part is [`super::runs`].

use super::super::{PrintError, wording};
use super::markup::{Emphasis, Piece, paragraphs};
use super::omml::write_math;
use super::package::{FOOTER_REL, Package};
use super::picture::{self, EMU_PER_TWIP, MAX_HEIGHT, MAX_WIDTH};
use super::runs::{field, paragraph_start, run};
use super::xml::{NAMESPACES, Xml};
use phongthi_items::{Image, TextFormat};

/// A4 in twentieths of a point (twips).
pub(super) const PAGE_WIDTH: u32 = 11_906;
const PAGE_HEIGHT: u32 = 16_838;
/// Left and right margins: the PDF's 45 pt.
pub(super) const SIDE: u32 = 900;
/// Top margin: the PDF's 40 pt.
const TOP: u32 = 800;
/// Bottom margin, the footer included: the PDF's 55 pt.
const BOTTOM: u32 = 1_100;
/// From the page's bottom edge to the footer.
const FOOTER_DISTANCE: u32 = 425;
/// Between the margins.
pub(super) const TEXT_WIDTH: u32 = PAGE_WIDTH - 2 * SIDE;
/// A table cell's left plus right margin (the table style's 85 twips each side).
pub(super) const CELL_MARGINS: u32 = 170;

/// Paragraph properties.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Para {
    /// A style of `styles.xml` (`Question`, `PartHeading`).
    pub(super) style: Option<&'static str>,
    /// Kept on the page of the next paragraph (a stem with its options).
    pub(super) keep_next: bool,
    /// A rule above the paragraph, between the indents.
    pub(super) rule_above: bool,
    /// Tab stops: (`left`/`right`/`center`, position, leader `dot` or none).
    pub(super) tabs: &'static [(&'static str, u32, Option<&'static str>)],
    /// Space before, in twips.
    pub(super) before: Option<u32>,
    /// Space after, in twips.
    pub(super) after: Option<u32>,
    /// Left indent and hanging indent of the first line, in twips.
    pub(super) indent: Option<(u32, u32)>,
    /// Right indent, in twips.
    pub(super) right: Option<u32>,
    /// `left`, `center`, `right`, `both`.
    pub(super) align: Option<&'static str>,
}

/// Run properties.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Look {
    /// Bold.
    pub(super) bold: bool,
    /// Italic.
    pub(super) italic: bool,
    /// Underlined.
    pub(super) underline: bool,
    /// Size in half-points when not the body's 12 pt.
    pub(super) size: Option<u32>,
    /// A box around the words (the form code).
    pub(super) boxed: bool,
    /// `superscript` or `subscript`.
    pub(super) vertical: Option<&'static str>,
}

impl Look {
    pub(super) const BOLD: Look =
        Look { bold: true, italic: false, underline: false, size: None, boxed: false, vertical: None };
    pub(super) const ITALIC: Look = Look { bold: false, italic: true, ..Look::BOLD };

    fn with(self, emphasis: Emphasis) -> Look {
        let vertical = if emphasis.superscript {
            Some("superscript")
        } else if emphasis.subscript {
            Some("subscript")
        } else {
            self.vertical
        };
        Look {
            bold: self.bold || emphasis.bold,
            italic: self.italic || emphasis.italic,
            underline: self.underline || emphasis.underline,
            vertical,
            ..self
        }
    }
}

/// `word/document.xml` and the package its pictures go to.
pub(super) struct Body {
    pub(super) xml: Xml,
    pub(super) package: Package,
}

impl Body {
    /// A document with its body open.
    pub(super) fn new() -> Body {
        let mut xml = Xml::new();
        xml.open("w:document", NAMESPACES).open("w:body", &[]);
        Body { xml, package: Package::default() }
    }

    /// Closes the body with the A4 section (margins as the PDF's, footer on every page) and
    /// returns the document part and the package.
    pub(super) fn finish(mut self) -> Result<(Vec<u8>, Package), PrintError> {
        let xml = &mut self.xml;
        xml.open("w:sectPr", &[]);
        xml.empty("w:footerReference", &[("w:type", "default"), ("r:id", FOOTER_REL)]);
        xml.empty("w:pgSz", &[("w:w", &PAGE_WIDTH.to_string()), ("w:h", &PAGE_HEIGHT.to_string())]);
        let (top, side, bottom, footer) =
            (TOP.to_string(), SIDE.to_string(), BOTTOM.to_string(), FOOTER_DISTANCE.to_string());
        xml.empty(
            "w:pgMar",
            &[
                ("w:top", &top),
                ("w:right", &side),
                ("w:bottom", &bottom),
                ("w:left", &side),
                ("w:header", &footer),
                ("w:footer", &footer),
                ("w:gutter", "0"),
            ],
        );
        xml.close("w:sectPr").close("w:body").close("w:document");
        Ok((self.xml.finish()?, self.package))
    }

    /// Opens a paragraph.
    pub(super) fn open(&mut self, para: &Para) {
        paragraph_start(&mut self.xml, para);
    }

    /// Closes the paragraph.
    pub(super) fn close(&mut self) {
        self.xml.close("w:p");
    }

    /// A paragraph of one run.
    pub(super) fn line(&mut self, para: &Para, text: &str, look: Look) {
        self.open(para);
        run(&mut self.xml, text, look);
        self.close();
    }

    /// A run of words.
    pub(super) fn run(&mut self, text: &str, look: Look) {
        run(&mut self.xml, text, look);
    }

    /// A tab character.
    pub(super) fn tab(&mut self) {
        self.xml.open("w:r", &[]).empty("w:tab", &[]).close("w:r");
    }

    /// A field (`PAGE`, `NUMPAGES`) with `shown` as its last computed value.
    pub(super) fn field(&mut self, instruction: &str, shown: &str, look: Look) {
        field(&mut self.xml, instruction, shown, look);
    }

    /// Item text as paragraphs with `para`'s properties; `label` ("Câu 3.", "A.") starts the
    /// first, bold, followed by `after_label` (a space or a tab). Pictures are at most
    /// `width` twips wide. Every paragraph but the last keeps with the next; the last does when
    /// `keep_last`.
    #[allow(clippy::too_many_arguments)] // one call per kind of line; a struct would only rename them
    pub(super) fn rich(
        &mut self,
        para: &Para,
        label: Option<(&str, &str)>,
        text: &str,
        format: TextFormat,
        images: &[Image],
        width: u32,
        keep_last: bool,
    ) {
        let mut pieces = paragraphs(text, format);
        if pieces.is_empty() {
            pieces.push(Vec::new());
        }
        let count = pieces.len();
        for (index, paragraph) in pieces.iter().enumerate() {
            let keep_next = para.keep_next || index + 1 < count || keep_last;
            let labelled = index == 0 && label.is_some();
            if !labelled && matches!(paragraph.as_slice(), [Piece::Picture(_)]) {
                // A figure of its own, centred as on the PDF booklet.
                self.open(&Para { keep_next, align: Some("center"), before: Some(60), ..*para });
            } else {
                self.open(&Para { keep_next, ..*para });
            }
            if index == 0
                && let Some((label, after)) = label
            {
                run(&mut self.xml, label, Look::BOLD);
                if after == "\t" {
                    self.tab();
                } else {
                    run(&mut self.xml, after, Look::default());
                }
            }
            self.pieces(paragraph, images, width);
            self.close();
        }
    }

    /// The pieces of one paragraph as runs, equations and pictures.
    pub(super) fn pieces(&mut self, pieces: &[Piece], images: &[Image], width: u32) {
        for piece in pieces {
            match piece {
                Piece::Words(words, emphasis) => run(&mut self.xml, words, Look::default().with(*emphasis)),
                Piece::Formula(source) => match phongthi_ui::math::parse(source) {
                    Ok(nodes) => write_math(&mut self.xml, &nodes),
                    // Outside the subset: the source as typed, which a reader can still follow.
                    Err(_) => run(&mut self.xml, &format!("${source}$"), Look::default()),
                },
                Piece::Picture(name) => self.picture(name, images, width),
            }
        }
    }

    /// The picture `name` of `images`, at most `width` twips wide (and the PDF's caps);
    /// `[Hình: name]` when the item carries no picture of that name, as on the PDF.
    pub(super) fn picture(&mut self, name: &str, images: &[Image], width: u32) {
        let room = (u64::from(width.min(MAX_WIDTH)) * EMU_PER_TWIP, MAX_HEIGHT);
        let found = images.iter().find(|image| image.name == name);
        let drawn =
            found.is_some_and(|image| picture::write(&mut self.xml, &mut self.package, name, &image.bytes, room));
        if !drawn {
            run(&mut self.xml, &wording::figure_placeholder(name), Look::ITALIC);
        }
    }

    /// Opens a table of `widths` twips, indented by `indent`; `grid` draws every border.
    pub(super) fn table(&mut self, widths: &[u32], indent: u32, grid: bool) {
        let xml = &mut self.xml;
        xml.open("w:tbl", &[]).open("w:tblPr", &[]);
        if grid {
            xml.empty("w:tblStyle", &[("w:val", "TableGrid")]);
        }
        let total: u32 = widths.iter().sum();
        xml.empty("w:tblW", &[("w:w", &total.to_string()), ("w:type", "dxa")]);
        xml.empty("w:tblInd", &[("w:w", &indent.to_string()), ("w:type", "dxa")]);
        if !grid {
            xml.open("w:tblBorders", &[]);
            for side in ["w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"] {
                xml.empty(side, &[("w:val", "nil")]);
            }
            xml.close("w:tblBorders");
        }
        xml.empty("w:tblLayout", &[("w:type", "fixed")]);
        xml.empty("w:tblLook", &[("w:val", "0000"), ("w:firstRow", "0"), ("w:lastRow", "0"), ("w:noHBand", "1")]);
        xml.close("w:tblPr").open("w:tblGrid", &[]);
        for width in widths {
            xml.empty("w:gridCol", &[("w:w", &width.to_string())]);
        }
        xml.close("w:tblGrid");
    }

    /// Opens a row that is never split across pages; `header` repeats it on every page.
    pub(super) fn row(&mut self, header: bool) {
        self.xml.open("w:tr", &[]).open("w:trPr", &[]).empty("w:cantSplit", &[]);
        if header {
            self.xml.empty("w:tblHeader", &[]);
        }
        self.xml.close("w:trPr");
    }

    /// Opens a cell `width` twips wide.
    pub(super) fn cell(&mut self, width: u32) {
        self.xml.open("w:tc", &[]).open("w:tcPr", &[]);
        self.xml.empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
        self.xml.close("w:tcPr");
    }

    /// Closes a cell (which must hold at least one paragraph).
    pub(super) fn end_cell(&mut self) {
        self.xml.close("w:tc");
    }

    /// Closes a row.
    pub(super) fn end_row(&mut self) {
        self.xml.close("w:tr");
    }

    /// Closes the table, and writes a paragraph one point high after it. LibreOffice does not
    /// keep a paragraph right after a table with the next one (a part's heading stayed alone at
    /// the foot of a page, its questions on the next), and Word wants a paragraph after the
    /// last table of a document; the spacer does both without showing.
    pub(super) fn end_table(&mut self) {
        self.xml.close("w:tbl");
        self.xml.open("w:p", &[]).open("w:pPr", &[]);
        let exact = [("w:before", "0"), ("w:after", "0"), ("w:line", "20"), ("w:lineRule", "exact")];
        self.xml.empty("w:spacing", &exact).close("w:pPr").close("w:p");
    }
}
