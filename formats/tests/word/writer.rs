//! The project's own `.docx` fixture writer: a minimal but complete WordprocessingML package
//! (content types, relationships, document, numbering, media), written the way Word lays its
//! parts out, so the importer's tests describe a paper in a few lines. LibreOffice opens what
//! this writes (the LibreOffice test converts it), which keeps the writer honest.

#![allow(dead_code)] // each test binary uses part of it

use std::io::Write;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const M: &str = "http://schemas.openxmlformats.org/officeDocument/2006/math";
const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const PIC: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";

/// One run (or run-level object) of a paragraph, as XML.
#[derive(Clone, Debug)]
pub(crate) struct Run(pub String);

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn run(properties: &str, text: &str) -> Run {
    let rpr = if properties.is_empty() { String::new() } else { format!("<w:rPr>{properties}</w:rPr>") };
    Run(format!(r#"<w:r>{rpr}<w:t xml:space="preserve">{}</w:t></w:r>"#, escape(text)))
}

/// Plain text.
pub(crate) fn t(text: &str) -> Run {
    run("", text)
}
/// Bold.
pub(crate) fn b(text: &str) -> Run {
    run("<w:b/>", text)
}
/// Underlined (single).
pub(crate) fn u(text: &str) -> Run {
    run(r#"<w:u w:val="single"/>"#, text)
}
/// Red text.
pub(crate) fn red(text: &str) -> Run {
    run(r#"<w:color w:val="FF0000"/>"#, text)
}
/// Yellow highlight.
pub(crate) fn hl(text: &str) -> Run {
    run(r#"<w:highlight w:val="yellow"/>"#, text)
}
/// Superscript.
pub(crate) fn sup(text: &str) -> Run {
    run(r#"<w:vertAlign w:val="superscript"/>"#, text)
}
/// A tab.
pub(crate) fn tab() -> Run {
    Run("<w:r><w:tab/></w:r>".to_owned())
}
/// A Word equation: `inner` is the content of `m:oMath`.
pub(crate) fn math(inner: &str) -> Run {
    Run(format!("<m:oMath>{inner}</m:oMath>"))
}
/// An OMML text run.
pub(crate) fn mr(text: &str) -> String {
    format!("<m:r><m:t>{}</m:t></m:r>", escape(text))
}

/// A document being written.
#[derive(Default)]
pub(crate) struct Doc {
    body: String,
    media: Vec<(String, Vec<u8>)>,
    numbering: Option<String>,
}

impl Doc {
    /// An empty document.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A paragraph of runs.
    pub(crate) fn p(&mut self, runs: &[Run]) -> &mut Self {
        self.body.push_str(&paragraph("", runs));
        self
    }

    /// A paragraph of plain text.
    pub(crate) fn line(&mut self, text: &str) -> &mut Self {
        self.p(&[t(text)])
    }

    /// A paragraph with a style (`Heading1`).
    pub(crate) fn styled(&mut self, style: &str, runs: &[Run]) -> &mut Self {
        self.body.push_str(&paragraph(&format!(r#"<w:pStyle w:val="{style}"/>"#), runs));
        self
    }

    /// A paragraph in Word's list `num_id` at level `ilvl`.
    pub(crate) fn numbered(&mut self, num_id: u32, ilvl: u8, runs: &[Run]) -> &mut Self {
        let ppr = format!(r#"<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>"#);
        self.body.push_str(&paragraph(&ppr, runs));
        self
    }

    /// A table: rows of cells, each cell one paragraph of runs.
    pub(crate) fn table(&mut self, rows: &[Vec<Vec<Run>>]) -> &mut Self {
        self.body.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>");
        for row in rows {
            self.body.push_str("<w:tr>");
            for cell in row {
                self.body.push_str("<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr>");
                self.body.push_str(&paragraph("", cell));
                self.body.push_str("</w:tc>");
            }
            self.body.push_str("</w:tr>");
        }
        self.body.push_str("</w:tbl>");
        self
    }

    /// Sets `word/numbering.xml` to a list (`w:numId` 1) whose level 0 draws `question` (e.g.
    /// `Câu %1.`) and level 1 draws upper-case letters `%2.`.
    pub(crate) fn question_numbering(&mut self, question: &str) -> &mut Self {
        self.numbering = Some(format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="{question}"/><w:lvlJc w:val="left"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%2."/><w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
        ));
        self
    }

    /// An inline picture run; `name` is its file in `word/media/`.
    pub(crate) fn picture(&mut self, name: &str, bytes: &[u8]) -> Run {
        self.media.push((name.to_owned(), bytes.to_vec()));
        let id = format!("rIdImg{}", self.media.len());
        let n = self.media.len();
        Run(format!(
            r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="914400" cy="914400"/><wp:docPr id="{n}" name="Picture {n}"/><a:graphic><a:graphicData uri="{PIC}"><pic:pic><pic:nvPicPr><pic:cNvPr id="{n}" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
        ))
    }

    /// A MathType-style OLE object whose preview picture is `name` in `word/media/`.
    pub(crate) fn mathtype(&mut self, name: &str, bytes: &[u8]) -> Run {
        self.media.push((name.to_owned(), bytes.to_vec()));
        let id = format!("rIdImg{}", self.media.len());
        Run(format!(
            r##"<w:r><w:object w:dxaOrig="1200" w:dyaOrig="600"><v:shape id="_x0000_i1025" type="#_x0000_t75" style="width:60pt;height:30pt" o:ole=""><v:imagedata r:id="{id}" o:title=""/></v:shape><o:OLEObject Type="Embed" ProgID="Equation.DSMT4" ShapeID="_x0000_i1025" DrawAspect="Content" ObjectID="_1234" r:id="rIdOle"/></w:object></w:r>"##
        ))
    }

    /// The `.docx` bytes.
    pub(crate) fn bytes(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        let mut put = |name: &str, bytes: &[u8]| {
            zip.start_file(name, options).unwrap();
            zip.write_all(bytes).unwrap();
        };
        let mut types = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="emf" ContentType="image/x-emf"/><Default Extension="wmf" ContentType="image/x-wmf"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
        );
        if self.numbering.is_some() {
            types.push_str(r#"<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>"#);
        }
        types.push_str("</Types>");
        put("[Content_Types].xml", types.as_bytes());
        put(
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        );
        let mut rels = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        if self.numbering.is_some() {
            rels.push_str(r#"<Relationship Id="rIdNum" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>"#);
        }
        for (i, (name, _)) in self.media.iter().enumerate() {
            rels.push_str(&format!(
                r#"<Relationship Id="rIdImg{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/{name}"/>"#,
                i + 1
            ));
        }
        rels.push_str("</Relationships>");
        put("word/_rels/document.xml.rels", rels.as_bytes());
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:m="{M}" xmlns:wp="{WP}" xmlns:a="{A}" xmlns:pic="{PIC}" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><w:body>{}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr></w:body></w:document>"#,
            self.body
        );
        put("word/document.xml", document.as_bytes());
        if let Some(numbering) = &self.numbering {
            put("word/numbering.xml", numbering.as_bytes());
        }
        for (name, bytes) in &self.media {
            put(&format!("word/media/{name}"), bytes);
        }
        zip.finish().unwrap().into_inner()
    }
}

fn paragraph(properties: &str, runs: &[Run]) -> String {
    let ppr = if properties.is_empty() { String::new() } else { format!("<w:pPr>{properties}</w:pPr>") };
    let body: String = runs.iter().map(|r| r.0.as_str()).collect();
    format!("<w:p>{ppr}{body}</w:p>")
}

/// A valid 1×1 grey PNG (signature, IHDR, IDAT, IEND with their CRCs), written out by hand: the
/// formats crate links no image encoder, and the importer checks a picture's type by its name.
pub(crate) fn png() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    out.extend_from_slice(&crc_input);
    out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
