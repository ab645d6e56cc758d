//! Items → a QTI 3.0 content package: `imsmanifest.xml`, one `qti-assessment-item` per item
//! under `items/`, each item's images under `items/media/NNNN/` (one folder per item, because
//! two items may carry different figures of the same name).
//!
//! Coverage: single choice, multiple response, true/false (a two-choice interaction marked
//! `phongthi-true-false`), short text, numeric with exact values, matching, essay and
//! description. Skipped with a reason: true/false clusters (QTI could ask them as a
//! `qti-match-interaction` of statements × Đúng/Sai, but neither Basic template can score the
//! Ministry's 10/25/50/100 % table, so the exported item would score differently; we would rather
//! say so), numeric answers with a tolerance or a range (Basic templates compare exactly),
//! HTML texts that are not well-formed XHTML, and image names that cannot be a package path.
//!
//! Texts travel byte for byte: the stem sits in `<div data-phongthi-part="stem"
//! data-phongthi-format="…">` (QTI 3.0 allows `data-` attributes), non-HTML texts are escaped,
//! and multiple-response mappings carry our percentages, so that [`super::import`] gives back
//! items with the same content hash.

use super::content::{FORMAT, PART, PLUGINFILE};
use super::item::{FOUR_CHAR, TRUE_FALSE};
use super::tree;
use crate::Skipped;
use phongthi_items::{Body, Choice, Fraction, Item, MatchScoring, NumericValue, TextFormat};
use quick_xml::escape::escape;
use std::io::Write as _;
use zip::write::SimpleFileOptions;

const NAMESPACE: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0";
const MANIFEST_NAMESPACE: &str = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1";
const TEMPLATES: &str = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/";

/// A QTI 3.0 package.
#[derive(Clone, Debug)]
pub struct QtiExport {
    /// The zip's bytes.
    pub bytes: Vec<u8>,
    /// Items QTI (at the Basic level) cannot express, with the reason.
    pub skipped: Vec<Skipped>,
}

/// Why a package could not be written (only the zip writer can fail, in memory).
#[derive(Debug, thiserror::Error)]
#[error("không ghi được gói QTI: {0} / cannot write the QTI package: {0}")]
pub struct QtiExportError(#[from] zip::result::ZipError);

/// Writes `items` as a QTI 3.0 package.
pub fn export(items: &[Item]) -> Result<QtiExport, QtiExportError> {
    let mut skipped = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut resources = String::new();
    for (index, item) in items.iter().enumerate() {
        let number = format!("{:04}", index + 1);
        let identifier = format!("item-{number}");
        let media_dir = format!("media/{number}/");
        let xml = match write_item(item, &identifier, &media_dir) {
            Ok(xml) => xml,
            Err(reason) => {
                skipped.push(Skipped { index, reason });
                continue;
            }
        };
        let path = format!("items/{identifier}.xml");
        resources.push_str(&format!(
            "    <resource identifier=\"{identifier}\" type=\"imsqti_item_xmlv3p0\" href=\"{path}\">\n      <file href=\"{path}\"/>\n"
        ));
        files.push((path, xml.into_bytes()));
        for image in &item.images {
            let path = format!("items/{media_dir}{}", image.name);
            resources.push_str(&format!("      <file href=\"{}\"/>\n", escape(path.as_str())));
            files.push((path, image.bytes.clone()));
        }
        resources.push_str("    </resource>\n");
    }
    let manifest = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest xmlns=\"{MANIFEST_NAMESPACE}\" identifier=\"phongthi-export\">\n  \
         <metadata>\n    <schema>QTI Package</schema>\n    <schemaversion>3.0.0</schemaversion>\n  </metadata>\n  \
         <organizations/>\n  <resources>\n{resources}  </resources>\n</manifest>\n"
    );
    files.insert(0, ("imsmanifest.xml".to_owned(), manifest.into_bytes()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in &files {
        writer.start_file(name.as_str(), options)?;
        writer.write_all(bytes).map_err(zip::result::ZipError::Io)?;
    }
    Ok(QtiExport { bytes: writer.finish()?.into_inner(), skipped })
}

/// The texts of one item, written for its format.
struct Writer<'a> {
    format: TextFormat,
    media_dir: &'a str,
}

impl Writer<'_> {
    /// `text` as element content: HTML as it is (checked to be XHTML, image references pointed
    /// into the package), any other format escaped.
    fn text(&self, text: &str) -> Result<String, String> {
        if self.format != TextFormat::Html {
            return Ok(escape(text).into_owned());
        }
        if tree::parse(&format!("<x>{text}</x>")).is_err() {
            return Err("văn bản HTML không phải XHTML hợp lệ (QTI cần XML) / \
                        the HTML text is not well-formed XHTML, which QTI requires"
                .to_owned());
        }
        Ok(text.replace(&format!("src=\"{PLUGINFILE}"), &format!("src=\"{}", self.media_dir)))
    }
}

fn write_item(item: &Item, identifier: &str, media_dir: &str) -> Result<String, String> {
    if let Some(bad) = item.images.iter().find(|i| {
        i.name.is_empty()
            || i.name == "."
            || i.name == ".."
            || i.name.contains(['/', '\\', '&', '<', '>', '"', '\'', '?', '#', '%'])
    }) {
        return Err(format!(
            "tên ảnh \"{0}\" không dùng được trong gói / the image name \"{0}\" cannot be a package path",
            bad.name
        ));
    }
    let w = Writer { format: item.format, media_dir };
    let mut declarations = String::new();
    let mut interaction = String::new();
    let mut template = None;
    match &item.body {
        Body::SingleChoice { options } | Body::MultipleResponse { options } => {
            let single = matches!(item.body, Body::SingleChoice { .. });
            let ids: Vec<String> = (1..=options.len()).map(|i| format!("C{i}")).collect();
            let exact = options.iter().all(|o| o.fraction == Fraction::ZERO || o.fraction.is_full());
            let correct: Vec<&str> = ids
                .iter()
                .zip(options)
                .filter(|(_, o)| o.fraction > Fraction::ZERO)
                .map(|(id, _)| id.as_str())
                .collect();
            let mapping = (!(single && exact))
                .then(|| ids.iter().zip(options).map(|(id, o)| entry(id, o.fraction, None)).collect::<String>());
            declarations =
                declaration(if single { "single" } else { "multiple" }, "identifier", &correct, mapping.as_deref());
            template = Some(if mapping.is_some() { "map_response" } else { "match_correct" });
            interaction = choice_interaction(&w, options, &ids, if single { 1 } else { 0 }, None)?;
        }
        Body::TrueFalse { answer } => {
            let options: Vec<Choice> = [("Đúng", *answer), ("Sai", !*answer)]
                .into_iter()
                .map(|(text, right)| Choice {
                    text: text.to_owned(),
                    fraction: if right { Fraction::ONE } else { Fraction::ZERO },
                    pinned: true,
                    feedback: None,
                })
                .collect();
            let ids = ["true".to_owned(), "false".to_owned()];
            declarations = declaration("single", "identifier", &[if *answer { "true" } else { "false" }], None);
            template = Some("match_correct");
            let plain = Writer { format: TextFormat::Plain, media_dir };
            interaction = choice_interaction(&plain, &options, &ids, 1, Some(TRUE_FALSE))?;
        }
        Body::TrueFalseCluster { .. } => {
            return Err("QTI Basic không chấm được bảng điểm câu đúng/sai chùm (10/25/50/100 %) / \
                        QTI's Basic templates cannot score a true/false cluster's credit table"
                .to_owned());
        }
        Body::ShortText { answers, case_sensitive } => {
            let correct: Vec<&str> =
                answers.iter().filter(|a| a.fraction.is_full()).map(|a| a.text.as_str()).take(1).collect();
            let mapping: String = answers.iter().map(|a| entry(&a.text, a.fraction, Some(*case_sensitive))).collect();
            declarations = declaration("single", "string", &correct, Some(&mapping));
            template = Some("map_response");
            interaction = "<qti-text-entry-interaction response-identifier=\"RESPONSE\"/>".to_owned();
        }
        Body::Numeric { answers, four_char_rule } => {
            let mut mapping = String::new();
            let mut correct = Vec::new();
            for answer in answers {
                let NumericValue::Exact { value, tolerance } = &answer.value else {
                    return Err(range_reason());
                };
                if !tolerance.is_zero() {
                    return Err(range_reason());
                }
                if answer.fraction.is_full() && correct.is_empty() {
                    correct.push(value.to_string());
                }
                mapping.push_str(&entry(&value.to_string(), answer.fraction, None));
            }
            let correct: Vec<&str> = correct.iter().map(String::as_str).collect();
            declarations = declaration("single", "float", &correct, Some(&mapping));
            template = Some("map_response");
            let class = if *four_char_rule { format!(" class=\"{FOUR_CHAR}\"") } else { String::new() };
            interaction = format!("<qti-text-entry-interaction{class} response-identifier=\"RESPONSE\"/>");
        }
        Body::Matching { pairs, distractors, scoring } => {
            let mut targets: Vec<&str> = Vec::new();
            for pair in pairs {
                if !targets.contains(&pair.answer.as_str()) {
                    targets.push(&pair.answer);
                }
            }
            for distractor in distractors {
                if targets.contains(&distractor.as_str()) {
                    return Err("một phương án nhiễu trùng với một đáp án / a distractor repeats an answer".to_owned());
                }
                targets.push(distractor);
            }
            let pair_values: Vec<String> = pairs
                .iter()
                .enumerate()
                .map(|(i, p)| format!("P{} T{}", i + 1, targets.iter().position(|t| *t == p.answer).unwrap_or(0) + 1))
                .collect();
            let correct: Vec<&str> = pair_values.iter().map(String::as_str).collect();
            let mapping = matches!(scoring, MatchScoring::PerPair).then(|| {
                pair_values
                    .iter()
                    .map(|v| format!("<qti-map-entry map-key=\"{v}\" mapped-value=\"1\"/>"))
                    .collect::<String>()
            });
            declarations = declaration("multiple", "directedPair", &correct, mapping.as_deref());
            template = Some(if mapping.is_some() { "map_response" } else { "match_correct" });
            let mut out = format!(
                "<qti-match-interaction response-identifier=\"RESPONSE\" shuffle=\"true\" max-associations=\"{}\">\n<qti-simple-match-set>\n",
                pairs.len()
            );
            for (i, pair) in pairs.iter().enumerate() {
                out.push_str(&format!(
                    "<qti-simple-associable-choice identifier=\"P{}\" match-max=\"1\">{}</qti-simple-associable-choice>\n",
                    i + 1,
                    w.text(&pair.prompt)?
                ));
            }
            out.push_str("</qti-simple-match-set>\n<qti-simple-match-set>\n");
            for (i, target) in targets.iter().enumerate() {
                out.push_str(&format!(
                    "<qti-simple-associable-choice identifier=\"T{}\" match-max=\"0\">{}</qti-simple-associable-choice>\n",
                    i + 1,
                    w.text(target)?
                ));
            }
            out.push_str("</qti-simple-match-set>\n</qti-match-interaction>");
            interaction = out;
        }
        Body::Essay => {
            declarations =
                "<qti-response-declaration identifier=\"RESPONSE\" cardinality=\"single\" base-type=\"string\"/>\n"
                    .to_owned();
            interaction = "<qti-extended-text-interaction response-identifier=\"RESPONSE\"/>".to_owned();
        }
        Body::Description => {}
    }
    let title = item.name.as_deref().map(|n| format!(" title=\"{}\"", escape(n))).unwrap_or_default();
    let format = item.format.name();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<qti-assessment-item xmlns=\"{NAMESPACE}\" identifier=\"{identifier}\"{title} \
         adaptive=\"false\" time-dependent=\"false\">\n{declarations}"
    );
    if template.is_some() || item.meta.points.is_some() {
        // The item's points travel as SCORE's normal maximum (metadata, not content).
        let maximum = item.meta.points.map(|p| format!(" normal-maximum=\"{p}\"")).unwrap_or_default();
        out.push_str(&format!(
            "<qti-outcome-declaration identifier=\"SCORE\" cardinality=\"single\" base-type=\"float\"{maximum}/>\n"
        ));
    }
    out.push_str(&format!(
        "<qti-item-body>\n<div {PART}=\"stem\" {FORMAT}=\"{format}\">{}</div>\n",
        w.text(&item.stem)?
    ));
    if !interaction.is_empty() {
        // A text entry is inline content: it needs a block around it.
        if interaction.starts_with("<qti-text-entry") {
            out.push_str(&format!("<p>{interaction}</p>\n"));
        } else {
            out.push_str(&interaction);
            out.push('\n');
        }
    }
    if let Some(tail) = &item.stem_tail {
        out.push_str(&format!("<div {PART}=\"tail\">{}</div>\n", w.text(tail)?));
    }
    out.push_str("</qti-item-body>\n");
    if let Some(template) = template {
        out.push_str(&format!("<qti-response-processing template=\"{TEMPLATES}{template}.xml\"/>\n"));
    }
    out.push_str("</qti-assessment-item>\n");
    Ok(out)
}

fn range_reason() -> String {
    "đáp án số có sai số hoặc khoảng giá trị; mẫu chấm QTI Basic chỉ so bằng / \
     a numeric answer with a tolerance or range; QTI's Basic templates compare exactly"
        .to_owned()
}

/// `<qti-map-entry>` with our percentage as the mapped value.
fn entry(key: &str, fraction: Fraction, case_sensitive: Option<bool>) -> String {
    let case = case_sensitive.map(|c| format!(" case-sensitive=\"{c}\"")).unwrap_or_default();
    format!("<qti-map-entry map-key=\"{}\" mapped-value=\"{fraction}\"{case}/>", escape(key))
}

fn declaration(cardinality: &str, base_type: &str, correct: &[&str], mapping: Option<&str>) -> String {
    let mut out = format!(
        "<qti-response-declaration identifier=\"RESPONSE\" cardinality=\"{cardinality}\" base-type=\"{base_type}\">\n"
    );
    if !correct.is_empty() {
        out.push_str("<qti-correct-response>");
        for value in correct {
            out.push_str(&format!("<qti-value>{}</qti-value>", escape(*value)));
        }
        out.push_str("</qti-correct-response>\n");
    }
    if let Some(mapping) = mapping {
        out.push_str(&format!("<qti-mapping default-value=\"0\">{mapping}</qti-mapping>\n"));
    }
    out.push_str("</qti-response-declaration>\n");
    out
}

fn choice_interaction(
    w: &Writer<'_>,
    options: &[Choice],
    ids: &[String],
    max: usize,
    class: Option<&str>,
) -> Result<String, String> {
    let all_pinned = options.iter().all(|o| o.pinned);
    let class = class.map(|c| format!(" class=\"{c}\"")).unwrap_or_default();
    let mut out = format!(
        "<qti-choice-interaction{class} response-identifier=\"RESPONSE\" shuffle=\"{}\" max-choices=\"{max}\">\n",
        !all_pinned
    );
    for (id, option) in ids.iter().zip(options) {
        let fixed = if option.pinned { " fixed=\"true\"" } else { "" };
        let feedback = match &option.feedback {
            Some(f) => format!(
                "<qti-feedback-inline outcome-identifier=\"FEEDBACK\" identifier=\"{id}\" show-hide=\"show\">{}</qti-feedback-inline>",
                w.text(f)?
            ),
            None => String::new(),
        };
        out.push_str(&format!(
            "<qti-simple-choice identifier=\"{id}\"{fixed}>{}{feedback}</qti-simple-choice>\n",
            w.text(&option.text)?
        ));
    }
    out.push_str("</qti-choice-interaction>");
    Ok(out)
}
