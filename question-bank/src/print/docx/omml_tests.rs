//! The LaTeX → OMML writer checked against the project's own Word importer
//! (`phongthi_formats::omml`, OMML → LaTeX): every formula of the table must come back as the
//! same formula (same symbols, fractions, radicals, scripts, accents and systems; spacing and
//! grouping braces aside), through the OMML structure it is meant to use. A proptest feeds
//! arbitrary formulas and checks that nothing panics, the XML is well-formed and the importer
//! reads it.

use super::omml::write_math;
use super::xml::Xml;
use phongthi_ui::math::{Accent, Node, parse};
use proptest::prelude::*;

/// A formula's OMML, as a `<m:oMath>` snippet the importer accepts.
fn omml(source: &str) -> String {
    let nodes = parse(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let mut xml = Xml::fragment();
    write_math(&mut xml, &nodes);
    String::from_utf8(xml.finish().unwrap()).unwrap()
}

/// A formula with the differences that do not change it removed: groups flattened (a script's
/// base is a row either way), spaces dropped, `\left( … \right)` as its two brackets around
/// the content, the cells of a system's row side by side.
#[derive(Debug, PartialEq)]
enum Shape {
    Symbol(String),
    Text(String),
    Fraction(Vec<Shape>, Vec<Shape>),
    Root(Option<Vec<Shape>>, Vec<Shape>),
    Scripts(Vec<Shape>, Option<Vec<Shape>>, Option<Vec<Shape>>),
    Accent(Accent, Vec<Shape>),
    Cases(Vec<Vec<Shape>>),
}

fn shape(nodes: &[Node]) -> Vec<Shape> {
    let mut out = Vec::new();
    for node in nodes {
        match node {
            Node::Symbol { text, .. } => out.push(Shape::Symbol(text.clone())),
            Node::Text(text) => out.push(Shape::Text(text.clone())),
            Node::Group(nodes) => out.extend(shape(nodes)),
            Node::Space(_) => {}
            Node::Fraction { numerator, denominator } => {
                out.push(Shape::Fraction(shape(numerator), shape(denominator)))
            }
            Node::Root { degree, radicand } => out.push(Shape::Root(degree.as_deref().map(shape), shape(radicand))),
            Node::Scripts { base, sup, sub } => out.push(Shape::Scripts(
                shape(std::slice::from_ref(base.as_ref())),
                sub.as_deref().map(shape),
                sup.as_deref().map(shape),
            )),
            Node::Delimited { open, body, close } => {
                if !open.is_empty() {
                    out.push(Shape::Symbol(open.clone()));
                }
                out.extend(shape(body));
                if !close.is_empty() {
                    out.push(Shape::Symbol(close.clone()));
                }
            }
            Node::Accent { accent, body } => out.push(Shape::Accent(*accent, shape(body))),
            Node::Cases(rows) => {
                out.push(Shape::Cases(rows.iter().map(|cells| cells.iter().flat_map(|c| shape(c)).collect()).collect()))
            }
        }
    }
    out
}

/// Formulas school papers carry, and the OMML element each must be written with.
const CASES: &[(&str, &str)] = &[
    ("\\frac{1}{2}", "<m:f>"),
    ("\\dfrac{x+1}{x-1} > 0", "<m:f>"),
    ("\\frac{\\sqrt{a^2+b^2}}{2}", "<m:rad>"),
    ("\\sqrt{2}", "<m:degHide m:val=\"1\"/>"),
    ("\\sqrt[3]{8} = 2", "<m:deg>"),
    ("x^2 - 5x + 6 = 0", "<m:sSup>"),
    ("a_n = a_1 + (n-1)d", "<m:sSub>"),
    ("x_1^2 + x_2^2", "<m:sSubSup>"),
    ("{x^2}^3", "<m:sSup><m:e><m:sSup>"),
    ("30^\\circ", "<m:sup><m:r><m:t xml:space=\"preserve\">∘</m:t>"),
    ("\\left( \\frac{a}{b} \\right)^2", "<m:begChr m:val=\"(\"/>"),
    ("\\left[ 0; 1 \\right)", "<m:endChr m:val=\")\"/>"),
    ("\\left| x - 1 \\right| < 2", "<m:begChr m:val=\"|\"/>"),
    ("\\left. F(x) \\right|_{0}^{1}", "<m:begChr m:val=\"\"/>"),
    ("\\left\\{ x \\mid x > 0 \\right\\}", "<m:begChr m:val=\"{\"/>"),
    ("(3; 5]", "<m:endChr m:val=\"]\"/>"),
    ("A = \\{1; 2; 3\\}", "<m:begChr m:val=\"{\"/><m:endChr m:val=\"}\"/>"),
    ("\\langle a, b \\rangle", "<m:begChr m:val=\"⟨\"/>"),
    ("f(x) = \\sin(x + 1)", "<m:func>"),
    ("|x| < 2{,}5", "<m:t xml:space=\"preserve\">|x|&lt;2,5</m:t>"),
    ("\\overline{AB} = \\overline{CD}", "<m:pos m:val=\"top\"/>"),
    ("\\overline{P}", "<m:chr m:val=\"\u{305}\"/>"),
    ("\\bar{x} = 5", "<m:acc>"),
    ("\\vec{u} + \\overrightarrow{AB}", "<m:chr m:val=\"\u{20D7}\"/>"),
    ("\\widehat{ABC} = 90^\\circ", "<m:chr m:val=\"\u{302}\"/>"),
    ("\\sum_{i=1}^{n} i^2 = \\frac{n(n+1)(2n+1)}{6}", "<m:chr m:val=\"∑\"/><m:limLoc m:val=\"undOvr\"/>"),
    ("\\int_0^1 f(x)\\,dx = 1", "<m:limLoc m:val=\"subSup\"/>"),
    ("\\prod_{k=1}^{n} k = n!", "<m:nary>"),
    ("\\int x\\,dx", "<m:subHide m:val=\"1\"/><m:supHide m:val=\"1\"/>"),
    ("\\lim_{x \\to 0} \\frac{\\sin x}{x} = 1", "<m:limLow>"),
    ("\\sin^2 x + \\cos^2 x = 1", "<m:fName><m:sSup>"),
    ("\\log_2 8 = 3", "<m:fName><m:sSub>"),
    ("\\operatorname{tg} x = \\frac{\\sin x}{\\cos x}", "<m:t xml:space=\"preserve\">tg</m:t>"),
    ("\\int_0^1 \\mathrm{d}x", "<m:sty m:val=\"p\"/>"),
    ("\\begin{cases} x & x \\ge 0 \\\\ -x & x < 0 \\end{cases}", "<m:eqArr>"),
    ("\\forall x \\in \\mathbb{R}, x^2 \\ge 0", "<m:t xml:space=\"preserve\">∀x∈ℝ,</m:t>"),
    ("\\exists x \\in \\mathbb{Z}, x^2 \\ne 2", "∃x∈ℤ,"),
    ("x > 0 \\text{ với mọi } x", "<m:nor/>"),
    ("\\alpha + \\beta = \\pi", "α+β=π"),
    ("x = \\pm 1", "x=±1"),
    ("\\Delta ABC \\sim \\Delta A'B'C'", "Δ"),
    ("f'(x) = 2x", "f′"),
    ("\\mathbf{u} \\cdot \\mathbf{v} = 0", "𝐮⋅𝐯=0"),
    ("A \\setminus (B \\cup C) = (A \\setminus B) \\cap (A \\setminus C)", "∖"),
    ("CuSO_4", "<m:sSub>"),
    ("e^{i\\pi} + 1 = 0", "<m:sup>"),
    ("3 \\cdot 10^8", "<m:t xml:space=\"preserve\">3⋅1</m:t></m:r><m:sSup>"),
];

#[test]
fn formulas_read_back_through_the_word_importer_as_the_same_formula() {
    let mut failures = Vec::new();
    for (source, element) in CASES {
        let xml = omml(source);
        if !xml.contains(element) {
            failures.push(format!("{source}: no {element} in\n{xml}"));
            continue;
        }
        let latex = match phongthi_formats::omml::to_latex(&xml) {
            Ok(latex) => latex,
            Err(e) => {
                failures.push(format!("{source}: {e}\n{xml}"));
                continue;
            }
        };
        let back = match parse(&latex) {
            Ok(back) => back,
            Err(e) => {
                failures.push(format!("{source} → {latex}: {e}"));
                continue;
            }
        };
        let original = parse(source).unwrap();
        if shape(&back) != shape(&original) {
            failures.push(format!("{source} → {latex}\n{xml}\n{:?}\n{:?}", shape(&back), shape(&original)));
        }
    }
    // Every failing formula at once: one fix often concerns several.
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_system_has_no_ampersand_libreoffice_would_draw_as_logical_and() {
    let xml = omml("\\begin{cases} x & x \\ge 0 \\\\ -x & x < 0 \\end{cases}");
    assert!(xml.contains("<m:eqArr>") && !xml.contains("&amp;"), "{xml}");
    // The cells apart by spaces LibreOffice keeps: ordinary text, not a maths run.
    assert!(xml.contains("<m:nor/>") && xml.contains("\u{2003}\u{2003}</m:t>"), "{xml}");
}

#[test]
fn letters_are_ascii_in_the_runs_and_word_italicises_them() {
    let xml = omml("x + y");
    assert!(xml.contains("<m:t xml:space=\"preserve\">x+y</m:t>"), "{xml}");
    assert!(!xml.contains('𝑥'), "{xml}");
}

#[test]
fn an_unpaired_bracket_is_ordinary_text() {
    // LibreOffice would read a lone bracket in a maths run as an unclosed group.
    let xml = omml("x)");
    assert!(xml.contains("<m:nor/>") && !xml.contains("<m:d>"), "{xml}");
    let latex = phongthi_formats::omml::to_latex(&xml).unwrap();
    assert_eq!(shape(&parse(&latex).unwrap()), shape(&parse("x)").unwrap()));
}

/// Reads `xml` to its end: every tag closed in order, attributes and references valid.
pub(super) fn well_formed(xml: &str) -> Result<(), String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0usize;
    loop {
        match reader.read_event().map_err(|e| format!("{e} at {}", reader.buffer_position()))? {
            Event::Start(start) => {
                depth += 1;
                for attribute in start.attributes() {
                    attribute.map_err(|e| e.to_string())?;
                }
            }
            Event::Empty(empty) => {
                for attribute in empty.attributes() {
                    attribute.map_err(|e| e.to_string())?;
                }
            }
            Event::End(_) => depth = depth.checked_sub(1).ok_or("a closing tag too many")?,
            Event::GeneralRef(reference) => {
                let known = reference.resolve_char_ref().map_err(|e| e.to_string())?.is_some()
                    || quick_xml::escape::resolve_predefined_entity(&reference).is_some();
                if !known {
                    return Err(format!("unknown entity &{};", &*reference));
                }
            }
            Event::Text(text) => {
                let text = text.xml10_content();
                if let Some(bad) = text.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
                    return Err(format!("control character {:?}", bad));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth == 0 { Ok(()) } else { Err(format!("{depth} elements left open")) }
}

/// Pieces of LaTeX school formulas are made of, well-formed or not.
fn token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "x",
        "2",
        "+",
        "-",
        "=",
        "<",
        ",",
        ";",
        "'",
        "|",
        "&",
        "\\\\",
        " ",
        "{",
        "}",
        "^",
        "_",
        "(",
        ")",
        "[",
        "]",
        "\\{",
        "\\}",
        "\\frac",
        "\\sqrt",
        "\\sqrt[3]",
        "\\left(",
        "\\right)",
        "\\left.",
        "\\right|",
        "\\sum",
        "\\int",
        "\\prod",
        "\\lim",
        "\\sin",
        "\\log",
        "\\operatorname{tg}",
        "\\mathrm{d}",
        "\\mathbb{R}",
        "\\text{với}",
        "\\begin{cases}",
        "\\end{cases}",
        "\\overline",
        "\\vec",
        "\\hat",
        "\\,",
        "\\quad",
        "\\alpha",
        "\\le",
        "\\in",
        "\\langle",
        "\\rangle",
        "\\circ",
        "\\cdot",
        "\u{0}",
        "\u{7}",
        "\u{FFFF}",
        "&amp;",
        "]]>",
        "\"",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_formula_gives_well_formed_omml_the_importer_reads(tokens in prop::collection::vec(token(), 0..40)) {
        let source: String = tokens.concat();
        check(&source)?;
    }

    #[test]
    fn any_text_at_all_gives_well_formed_omml(source in any::<String>()) {
        check(&source)?;
    }
}

fn check(source: &str) -> Result<(), TestCaseError> {
    let Ok(nodes) = parse(source) else { return Ok(()) };
    let mut xml = Xml::fragment();
    write_math(&mut xml, &nodes);
    let xml = String::from_utf8(xml.finish().map_err(|e| TestCaseError::fail(e.to_string()))?)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    well_formed(&xml).map_err(|e| TestCaseError::fail(format!("{source:?}: {e}\n{xml}")))?;
    match phongthi_formats::omml::to_latex(&xml) {
        Ok(latex) => {
            prop_assert!(parse(&latex).is_ok(), "{source:?} → {latex:?} does not parse");
        }
        // Deep formulas cost more XML levels than LaTeX groups; refusing them is the importer's
        // guard against hostile files, not a fault of the writer.
        Err(phongthi_formats::omml::OmmlError::TooDeep) => {}
        Err(error) => return Err(TestCaseError::fail(format!("{source:?}: {error}\n{xml}"))),
    }
    Ok(())
}

/// The formulas of `text`, parsed and shaped.
fn formulas(text: &str) -> Vec<Vec<Shape>> {
    phongthi_ui::math::split(text)
        .into_iter()
        .filter_map(|segment| match segment {
            phongthi_ui::math::Segment::Math(source) => Some(shape(&parse(&source).unwrap())),
            phongthi_ui::math::Segment::Text(_) => None,
        })
        .collect()
}

#[test]
fn a_printed_paper_imports_back_with_the_same_formulas() {
    use crate::blueprint::FormSpec;
    use crate::forms::make_forms;
    use crate::test_fixtures::{single_choice, test_of};
    use phongthi_items::{Body, Level};
    let questions: &[(&str, [&str; 4])] = &[
        ("Rút gọn $\\frac{x^2 - 1}{x - 1}$ với $x \\ne 1$", ["$x + 1$", "$x - 1$", "$\\sqrt{x}$", "$x^2$"]),
        (
            "Giá trị của $\\sqrt[3]{8} + \\left( \\frac{1}{2} \\right)^2$ là",
            ["$\\frac{9}{4}$", "$2$", "$a_n$", "$x_1^2$"],
        ),
        ("Tập $A = \\{1; 2; 3\\}$ và $B = (3; 5]$", ["$A \\cap B$", "$\\overline{AB}$", "$\\vec{u}$", "$\\sin^2 x$"]),
    ];
    let items: Vec<_> =
        questions.iter().map(|(stem, options)| single_choice("Đại số", Level::Hieu, stem, options, 0, &[])).collect();
    let test = test_of(vec![(1000, items)]);
    let forms = make_forms(&test, &FormSpec::default(), 3);
    let exam = crate::exam::Exam::new(test, forms).unwrap();
    let form = &exam.forms()[0];
    let header = crate::print::Header {
        department: "SỞ GD&ĐT HÀ NỘI".to_owned(),
        school: "TRƯỜNG THPT CHU VĂN AN".to_owned(),
        exam_name: "ĐỀ KIỂM TRA".to_owned(),
        subject: "Môn: Toán 10".to_owned(),
        minutes: 45,
    };
    let bytes = super::form_docx(&exam, form, &header).unwrap();
    let import =
        |bytes: &[u8]| phongthi_formats::docx::import("de.docx", bytes, phongthi_formats::docx::WordOptions::default());
    // The paper carries no key: the importer finds every question without a correct option.
    let report = import(&bytes);
    assert_eq!(report.import.errors.len(), form.questions.len(), "{:?}", report.import.errors);
    assert!(report.import.errors.iter().all(|e| e.message.contains("no option marked correct")));
    // Marked as a teacher would (`*A.`), it imports whole.
    let report = import(&star_option_a(&bytes));
    assert!(report.import.errors.is_empty(), "{:?}", report.import.errors);
    assert_eq!(report.import.items.len(), form.questions.len());
    for (imported, question) in report.import.items.iter().zip(&form.questions) {
        let printed = &exam.items()[&question.item];
        assert_eq!(formulas(&imported.stem), formulas(&printed.stem), "{} → {}", printed.stem, imported.stem);
        let (Body::SingleChoice { options: back }, Body::SingleChoice { options }) = (&imported.body, &printed.body)
        else {
            panic!("{:?}", imported.body)
        };
        // In the form's order, as printed.
        for (letter, &authored) in question.option_order.iter().enumerate() {
            let printed = &options[usize::from(authored)].text;
            assert_eq!(formulas(&back[letter].text), formulas(printed), "{printed} → {}", back[letter].text);
        }
    }
}

/// `bytes` with every option A marked correct by a star, the package otherwise as written.
fn star_option_a(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let parts = super::reading::Parts::of(bytes);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in &parts.0 {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        if name == "word/document.xml" {
            let marked = parts.text(name).replace(">A.</w:t>", ">*A.</w:t>");
            zip.write_all(marked.as_bytes()).unwrap();
        } else {
            zip.write_all(content).unwrap();
        }
    }
    zip.finish().unwrap().into_inner()
}
