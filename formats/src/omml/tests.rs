//! Word-shaped OMML snippets (properties, `w:rPr` and `m:ctrlPr` as Word writes them, no
//! namespace declarations) with the exact LaTeX expected; every output must parse with the exam
//! client's typesetter.

use proptest::prelude::*;

use super::{OmmlError, to_latex};

/// Word's usual run: Cambria Math run properties, then the text.
fn r(text: &str) -> String {
    format!(
        r#"<m:r><w:rPr><w:rFonts w:ascii="Cambria Math" w:hAnsi="Cambria Math"/></w:rPr><m:t xml:space="preserve">{text}</m:t></m:r>"#
    )
}

/// An upright run (`m:sty p`), as Word writes function names.
fn p(text: &str) -> String {
    format!(
        r#"<m:r><m:rPr><m:sty m:val="p"/></m:rPr><w:rPr><w:rFonts w:ascii="Cambria Math"/></w:rPr><m:t>{text}</m:t></m:r>"#
    )
}

const CTRL: &str =
    r#"<m:ctrlPr><w:rPr><w:rFonts w:ascii="Cambria Math" w:hAnsi="Cambria Math"/><w:i/></w:rPr></m:ctrlPr>"#;

fn math(inner: &str) -> String {
    format!("<m:oMath>{inner}</m:oMath>")
}

fn frac(num: &str, den: &str) -> String {
    format!("<m:f><m:fPr>{CTRL}</m:fPr><m:num>{num}</m:num><m:den>{den}</m:den></m:f>")
}

fn sup(base: &str, script: &str) -> String {
    format!("<m:sSup><m:sSupPr>{CTRL}</m:sSupPr><m:e>{base}</m:e><m:sup>{script}</m:sup></m:sSup>")
}

fn sub(base: &str, script: &str) -> String {
    format!("<m:sSub><m:sSubPr>{CTRL}</m:sSubPr><m:e>{base}</m:e><m:sub>{script}</m:sub></m:sSub>")
}

fn sqrt(body: &str) -> String {
    format!(r#"<m:rad><m:radPr><m:degHide m:val="1"/>{CTRL}</m:radPr><m:deg/><m:e>{body}</m:e></m:rad>"#)
}

fn paren(body: &str) -> String {
    format!("<m:d><m:dPr>{CTRL}</m:dPr><m:e>{body}</m:e></m:d>")
}

/// Converts, checks the exact LaTeX and that the typesetter accepts it.
#[track_caller]
fn check(xml: &str, expected: &str) {
    let latex = to_latex(xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    assert_eq!(latex, expected, "{xml}");
    if let Err(error) = phongthi_ui::math::parse(&latex) {
        panic!("typesetter refuses {latex:?}: {error}");
    }
}

#[test]
fn runs_map_symbols_to_commands() {
    check(&math(&r("α+β≤γ≠δ±1")), "\\alpha+\\beta\\le\\gamma\\ne\\delta\\pm1");
    check(&math(&r("x∈ℝ, A⊂B∪C∩∅")), "x\\in\\mathbb{R},A\\subset B\\cup C\\cap\\emptyset");
    check(&math(&r("2×3÷4·5−1")), "2\\times3\\div4\\cdot5-1");
    check(&math(&r("∀x∃y:x→∞⇒y⇔z")), "\\forall x\\exists y:x\\to\\infty\\Rightarrow y\\Leftrightarrow z");
    check(
        &math(&r("∆ABC, AB⊥CD, a∥b, x≈y≡z, ∠A")),
        "\\Delta ABC,AB\\perp CD,a\\parallel b,x\\approx y\\equiv z,\\angle A",
    );
    check(&math(&r("f′(x)")), "f'(x)");
    check(&math(&r("x∓y ∉ ≥")), "x\\mp y\\notin\\ge");
    check(&math(&r("πr")), "\\pi r");
}

#[test]
fn special_characters_are_escaped() {
    check(&math(&r("{a}%&amp;#$_")), "\\{a\\}\\%\\&\\#\\$\\_");
    check(&math(&r("a^b")), "aˆb");
    check(&math(&r("3,14")), "3{,}14");
    // Characters without a command are kept (the typesetter draws them as symbols).
    check(&math(&r("⌀∬")), "⌀∬");
    // Pasted mathematical italic letters and Word's invisible operators.
    check(&math(&r("𝑥\u{2061}\u{2062}𝑦")), "xy");
}

#[test]
fn degrees() {
    check(&math(&r("30°")), "30^{\\circ}");
    check(&math(&sup(&r("60"), &r("0"))), "{60}^{0}");
    check(&math(&sup(&r("45"), &r("∘"))), "{45}^{\\circ}");
    check(&math(&sup(&r("x"), &r("°"))), "x^{\\circ}");
    check(&math(&r("°")), "{}^{\\circ}");
}

#[test]
fn vietnamese_words_become_text() {
    check(&math(&r("x&gt;0 với mọi x∈ℝ")), "x>0\\text{ với mọi }x\\in\\mathbb{R}");
    check(&math(&r("x=1 khi và chỉ khi y=2")), "x=1\\text{ khi và chỉ khi }y=2");
    check(&math(&format!(r#"<m:r><m:rPr><m:nor/></m:rPr><m:t>(loại)</m:t></m:r>{}"#, r("x"))), "\\text{(loại)}x");
    check(&math(r#"<m:r><m:rPr><m:nor/></m:rPr><m:t>{a}</m:t></m:r>"#), "\\{\\text{a}\\}");
    // Upright units and differentials.
    check(&math(&format!("{}{}", r("5"), p("cm"))), "5\\text{cm}");
    check(&math(&format!("{}{}", r("f(x)"), p("d"))), "f(x)\\mathrm{d}");
    // ASCII letters in italic stay variables.
    check(&math(&r("abc")), "abc");
}

#[test]
fn alphabets() {
    let run = |scr: &str, text: &str| {
        format!(r#"<m:r><m:rPr><m:scr m:val="{scr}"/><m:sty m:val="p"/></m:rPr><m:t>{text}</m:t></m:r>"#)
    };
    check(&math(&run("double-struck", "N")), "\\mathbb{N}");
    check(&math(&run("script", "F")), "\\mathcal{F}");
    check(&math(r#"<m:r><m:rPr><m:sty m:val="b"/></m:rPr><m:t>u</m:t></m:r>"#), "\\mathbf{u}");
}

#[test]
fn fractions() {
    check(&math(&frac(&r("1"), &r("2"))), "\\frac{1}{2}");
    check(
        &math(&format!(
            r#"<m:f><m:fPr><m:type m:val="lin"/>{CTRL}</m:fPr><m:num>{}</m:num><m:den>{}</m:den></m:f>"#,
            r("a"),
            r("b")
        )),
        "a/b",
    );
    check(
        &math(&format!(
            r#"<m:f><m:fPr><m:type m:val="skw"/></m:fPr><m:num>{}</m:num><m:den>{}</m:den></m:f>"#,
            r("1"),
            r("4")
        )),
        "1/4",
    );
    check(&math(&frac(&r("x+1"), &frac(&r("1"), &r("x")))), "\\frac{x+1}{\\frac{1}{x}}");
}

#[test]
fn radicals() {
    check(&math(&sqrt(&r("2"))), "\\sqrt{2}");
    check(
        &math(&format!(r#"<m:rad><m:radPr>{CTRL}</m:radPr><m:deg>{}</m:deg><m:e>{}</m:e></m:rad>"#, r("3"), r("8"))),
        "\\sqrt[3]{8}",
    );
    // An empty degree without `m:degHide` is a square root too.
    check(&math(&format!("<m:rad><m:deg/><m:e>{}</m:e></m:rad>", r("x"))), "\\sqrt{x}");
    check(&math(&format!("<m:rad><m:deg>{}</m:deg><m:e>{}</m:e></m:rad>", r("]"), r("x"))), "\\sqrt[{]}]{x}");
}

#[test]
fn scripts() {
    check(&math(&sup(&r("x"), &r("2"))), "x^{2}");
    check(&math(&sub(&r("u"), &r("n+1"))), "u_{n+1}");
    check(
        &math(&format!(
            "<m:sSubSup><m:sSubSupPr>{CTRL}</m:sSubSupPr><m:e>{}</m:e><m:sub>{}</m:sub><m:sup>{}</m:sup></m:sSubSup>",
            r("x"),
            r("1"),
            r("2")
        )),
        "x_{1}^{2}",
    );
    check(
        &math(&format!(
            "<m:sPre><m:sPrePr>{CTRL}</m:sPrePr><m:sub>{}</m:sub><m:sup>{}</m:sup><m:e>{}</m:e></m:sPre>",
            r("6"),
            r("14"),
            r("C")
        )),
        "{}_{6}^{14}C",
    );
    // A base of several atoms is braced; a scripted base too, so no double script.
    check(&math(&sup(&r("ab"), &r("2"))), "{ab}^{2}");
    check(&math(&sup(&sup(&r("x"), &r("2")), &r("3"))), "{x^{2}}^{3}");
    check(&math(&sup(&paren(&r("x+1")), &r("2"))), "\\left(x+1\\right)^{2}");
    check(&math(&sup(&r("f"), &r("′"))), "f^{\\prime}");
}

#[test]
fn nested_fraction_in_radical_in_superscript() {
    check(&math(&sup(&r("e"), &sqrt(&frac(&r("1"), &r("x"))))), "e^{\\sqrt{\\frac{1}{x}}}");
}

#[test]
fn quadratic_formula() {
    let numerator = format!("{}{}", r("-b±"), sqrt(&format!("{}{}", sup(&r("b"), &r("2")), r("-4ac"))));
    let xml = math(&format!("{}{}", sub(&r("x"), &r("1,2")), r("=") + &frac(&numerator, &r("2a"))));
    check(&xml, "x_{1{,}2}=\\frac{-b\\pm\\sqrt{b^{2}-4ac}}{2a}");
}

#[test]
fn delimiters() {
    check(&math(&paren(&r("a+b"))), "\\left(a+b\\right)");
    let d = |beg: &str, end: &str, body: &str| {
        format!(
            r#"<m:d><m:dPr><m:begChr m:val="{beg}"/><m:endChr m:val="{end}"/>{CTRL}</m:dPr><m:e>{body}</m:e></m:d>"#
        )
    };
    check(&math(&d("[", "]", &r("0;1"))), "\\left[0;1\\right]");
    check(&math(&d("[", ")", &r("0;1"))), "\\left[0;1\\right)");
    check(&math(&d("|", "|", &r("x"))), "\\left|x\\right|");
    check(&math(&d("{", "}", &r("1;2"))), "\\left\\{1;2\\right\\}");
    check(&math(&d("⟨", "⟩", &r("u"))), "\\left\\langle u\\right\\rangle");
    check(&math(&d("‖", "‖", &r("u"))), "\\left\\|u\\right\\|");
    check(&math(&d("⌊", "⌋", &r("x"))), "⌊x⌋");
    check(&math(&d("", "", &r("x"))), "x");
    check(&math(&d("{", "", &r("x"))), "\\left\\{x\\right.");
    // Several elements with the default separator, and with a chosen one.
    check(&math(&format!("<m:d><m:e>{}</m:e><m:e>{}</m:e></m:d>", r("x"), r("y"))), "\\left(x\\mid y\\right)");
    check(
        &math(&format!(r#"<m:d><m:dPr><m:sepChr m:val=";"/></m:dPr><m:e>{}</m:e><m:e>{}</m:e></m:d>"#, r("1"), r("2"))),
        "\\left(1;2\\right)",
    );
}

#[test]
fn system_of_two_equations() {
    let xml = math(&format!(
        r#"<m:d><m:dPr><m:begChr m:val="{{"/><m:endChr m:val=""/>{CTRL}</m:dPr><m:e><m:eqArr><m:eqArrPr><m:ctrlPr/></m:eqArrPr><m:e>{}</m:e><m:e>{}</m:e></m:eqArr></m:e></m:d>"#,
        r("x+y&amp;=3"),
        r("2x-y&amp;=0")
    ));
    check(&xml, "\\begin{cases}x+y=3\\\\2x-y=0\\end{cases}");
    // A bracket of alternatives (Vietnamese "hoặc" systems): the subset has no such
    // environment, so the rows sit side by side behind a tall bracket.
    let alternatives = math(&format!(
        r#"<m:d><m:dPr><m:begChr m:val="["/><m:endChr m:val=""/></m:dPr><m:e><m:eqArr><m:e>{}</m:e><m:e>{}</m:e></m:eqArr></m:e></m:d>"#,
        r("x=1"),
        r("x=2")
    ));
    check(&alternatives, "\\left[x=1\\quad x=2\\right.");
    // An equation array on its own: rows side by side.
    check(&math(&format!("<m:eqArr><m:e>{}</m:e><m:e>{}</m:e></m:eqArr>", r("a=1"), r("b=2"))), "a=1\\quad b=2");
}

#[test]
fn matrix_two_by_two() {
    let cell = |t: &str| format!("<m:e>{}</m:e>", r(t));
    let m = format!(
        r#"<m:m><m:mPr><m:mcs><m:mc><m:mcPr><m:count m:val="2"/><m:mcJc m:val="center"/></m:mcPr></m:mc></m:mcs>{CTRL}</m:mPr><m:mr>{}{}</m:mr><m:mr>{}{}</m:mr></m:m>"#,
        cell("1"),
        cell("2"),
        cell("3"),
        cell("4")
    );
    check(&math(&paren(&m)), "\\left(1\\quad2;\\quad3\\quad4\\right)");
}

#[test]
fn n_ary_operators() {
    let nary = |pr: &str, lower: &str, upper: &str, body: &str| {
        format!(
            "<m:nary><m:naryPr>{pr}{CTRL}</m:naryPr><m:sub>{lower}</m:sub><m:sup>{upper}</m:sup><m:e>{body}</m:e></m:nary>"
        )
    };
    check(
        &math(&nary(r#"<m:chr m:val="∑"/><m:limLoc m:val="undOvr"/>"#, &r("i=1"), &r("n"), &sup(&r("i"), &r("2")))),
        "\\sum_{i=1}^{n}i^{2}",
    );
    check(
        &math(&nary("", &r("0"), &r("1"), &format!("{}{}{}", r("f(x)"), p("d"), r("x")))),
        "\\int_{0}^{1}f(x)\\mathrm{d}x",
    );
    check(
        &math(&nary(r#"<m:chr m:val="∏"/><m:subHide m:val="1"/><m:supHide m:val="1"/>"#, "", "", &r("a"))),
        "\\prod a",
    );
    check(&math(&nary(r#"<m:chr m:val="∮"/><m:supHide m:val="on"/>"#, &r("C"), "", &r("F"))), "∮_{C}F");
}

#[test]
fn functions_and_limits() {
    let func = |name: &str, arg: &str| {
        format!("<m:func><m:funcPr>{CTRL}</m:funcPr><m:fName>{name}</m:fName><m:e>{arg}</m:e></m:func>")
    };
    check(&math(&func(&p("sin"), &r("x"))), "\\sin x");
    check(&math(&func(&p("cos"), &paren(&r("2x")))), "\\cos\\left(2x\\right)");
    check(&math(&func(&sup(&p("tan"), &r("2")), &r("α"))), "\\tan^{2}\\alpha");
    check(&math(&func(&p("tg"), &r("x"))), "\\operatorname{tg}x");
    check(&math(&func(&p("ln"), &r("x"))), "\\ln x");
    let lim = format!(
        "<m:limLow><m:limLowPr>{CTRL}</m:limLowPr><m:e>{}</m:e><m:lim>{}</m:lim></m:limLow>",
        p("lim"),
        r("x→0")
    );
    check(&math(&func(&lim, &frac(&func(&p("sin"), &r("x")), &r("x")))), "\\lim_{x\\to0}\\frac{\\sin x}{x}");
    check(&math(&format!("<m:limUpp><m:e>{}</m:e><m:lim>{}</m:lim></m:limUpp>", r("="), r("def"))), "=^{def}");
}

#[test]
fn accents_and_bars() {
    let acc = |chr: Option<&str>, body: &str| {
        let pr = chr.map(|c| format!(r#"<m:chr m:val="{c}"/>"#)).unwrap_or_default();
        format!("<m:acc><m:accPr>{pr}{CTRL}</m:accPr><m:e>{body}</m:e></m:acc>")
    };
    check(&math(&acc(Some("\u{20D7}"), &r("u"))), "\\vec{u}");
    check(&math(&acc(Some("\u{20D7}"), &r("AB"))), "\\overrightarrow{AB}");
    check(
        &math(&format!("{}{}", acc(Some("\u{20D7}"), &r("a")), r("+") + &acc(Some("\u{20D7}"), &r("b")))),
        "\\vec{a}+\\vec{b}",
    );
    check(&math(&acc(None, &r("A"))), "\\hat{A}");
    check(&math(&acc(None, &r("ABC"))), "\\widehat{ABC}");
    check(&math(&acc(Some("\u{305}"), &r("x"))), "\\bar{x}");
    check(&math(&acc(Some("\u{303}"), &r("x"))), "x^{˜}");
    let bar = |pos: &str, body: &str| {
        format!(r#"<m:bar><m:barPr><m:pos m:val="{pos}"/>{CTRL}</m:barPr><m:e>{body}</m:e></m:bar>"#)
    };
    check(&math(&bar("top", &r("AB"))), "\\overline{AB}");
    check(&math(&bar("bot", &r("AB"))), "AB");
    check(&math(&format!("<m:bar><m:e>{}</m:e></m:bar>", r("x"))), "x");
}

#[test]
fn group_characters_boxes_and_phantoms() {
    check(
        &math(&format!("<m:groupChr><m:groupChrPr>{CTRL}</m:groupChrPr><m:e>{}</m:e></m:groupChr>", r("a+b"))),
        "a+b",
    );
    check(
        &math(&format!(
            r#"<m:groupChr><m:groupChrPr><m:chr m:val="→"/><m:vertJc m:val="bot"/></m:groupChrPr><m:e>{}</m:e></m:groupChr>"#,
            r("t°")
        )),
        "\\to^{t^{\\circ}}",
    );
    check(
        &math(&format!(
            r#"<m:groupChr><m:groupChrPr><m:chr m:val="←"/><m:pos m:val="top"/></m:groupChrPr><m:e>{}</m:e></m:groupChr>"#,
            r("x")
        )),
        "\\leftarrow_{x}",
    );
    check(&math(&format!("<m:box><m:boxPr><m:opEmu m:val=\"1\"/></m:boxPr><m:e>{}</m:e></m:box>", r("=="))), "==");
    check(&math(&format!("<m:borderBox><m:borderBoxPr/><m:e>{}</m:e></m:borderBox>", r("x=1"))), "x=1");
    check(&math(&format!("<m:phant><m:e>{}</m:e></m:phant>", r("x"))), "x");
    check(&math(&format!(r#"<m:phant><m:phantPr><m:show m:val="0"/></m:phantPr><m:e>{}</m:e></m:phant>"#, r("x"))), "");
}

#[test]
fn paragraphs_prefixes_and_noise() {
    let para = format!(
        "<m:oMathPara><m:oMathParaPr><m:jc m:val=\"center\"/></m:oMathParaPr>{}{}</m:oMathPara>",
        math(&r("a=1")),
        math(&r("b=2"))
    );
    check(&para, "a=1 \\quad b=2");
    // Any prefix, or none; bookmarks and proofing marks are skipped.
    check("<oMath><r><t>x</t></r></oMath>", "x");
    check("<mml:oMath><mml:r><mml:t>y</mml:t></mml:r></mml:oMath>", "y");
    check(&math(&format!(r#"<w:bookmarkStart w:id="0" w:name="a"/>{}<w:bookmarkEnd w:id="0"/>"#, r("z"))), "z");
    check(&math(&r("&#945;&#x3b2;")), "\\alpha\\beta");
    // Decomposed Vietnamese (from some IMEs) is composed first.
    check(&math(&r("vo\u{31b}\u{301}i x")), "\\text{với }x");
}

#[test]
fn unreadable_xml_is_an_error() {
    assert!(matches!(to_latex("<m:oMath><m:r><m:t>x</m:r></m:oMath>"), Err(OmmlError::Xml(_))));
    assert!(matches!(to_latex("<m:oMath><m:r><m:t>x"), Err(OmmlError::Xml(_))));
    assert!(matches!(to_latex("<m:oMath>&nbsp;</m:oMath>"), Err(OmmlError::Xml(_))));
    assert_eq!(to_latex("<w:p/>"), Err(OmmlError::NotMath("p".into())));
    assert_eq!(to_latex(""), Err(OmmlError::NotMath(String::new())));
    let message = to_latex("<m:oMath><m:r>").unwrap_err().to_string();
    assert!(
        message.starts_with("công thức Word không đọc được: ") && message.contains(" / unreadable Word equation: ")
    );
}

#[test]
fn nesting_is_capped_and_what_passes_typesets() {
    let mut xml = r("x");
    let mut depth = 0;
    let deepest = loop {
        let next = sup(&r("y"), &frac(&xml, &r("2")));
        match to_latex(&math(&next)) {
            Ok(latex) => {
                phongthi_ui::math::parse(&latex).unwrap_or_else(|e| panic!("depth {depth}: {e}: {latex}"));
                xml = next;
                depth += 1;
            }
            Err(error) => break error,
        }
        assert!(depth < 100);
    };
    assert_eq!(deepest, OmmlError::TooDeep);
    // Cases inside cases inside delimiters: the costliest structures still typeset to the cap.
    let mut xml = r("x");
    loop {
        let next = format!(
            r#"<m:d><m:dPr><m:begChr m:val="{{"/><m:endChr m:val=""/></m:dPr><m:e><m:eqArr><m:e>{}</m:e><m:e>{}</m:e></m:eqArr></m:e></m:d>"#,
            paren(&xml),
            r("y")
        );
        match to_latex(&math(&next)) {
            Ok(latex) => {
                phongthi_ui::math::parse(&latex).unwrap_or_else(|e| panic!("{e}: {latex}"));
                xml = next;
            }
            Err(error) => {
                assert_eq!(error, OmmlError::TooDeep);
                break;
            }
        }
    }
    let hostile = format!("{}{}", "<m:e>".repeat(10_000), "</m:e>".repeat(10_000));
    assert_eq!(to_latex(&math(&hostile)), Err(OmmlError::TooDeep));
}

#[test]
fn every_symbol_command_typesets_as_one_symbol() {
    for (c, tex) in super::symbols::COMMANDS {
        let nodes = phongthi_ui::math::parse(tex).unwrap_or_else(|e| panic!("{c} → {tex}: {e}"));
        assert!(!nodes.is_empty(), "{c} → {tex}");
    }
    for name in super::symbols::OPERATORS {
        phongthi_ui::math::parse(&format!("\\{name}")).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// Pieces for generated equations: every structure, and text with every kind of character.
fn arbitrary_math() -> impl Strategy<Value = String> {
    let text = prop::sample::select(vec![
        "x", "ab", "12", "3,5", "với", "khi", "α", "°", "′", "{", "}", "$", "&amp;", "\\", "^", "_", "%", "→", "∑",
        "lim", "sin", "tg", "⌊", " ", "[", "]", "x y", "&lt;", "'", "~", "#", "d",
    ]);
    let leaf = (text, 0..4u8).prop_map(|(t, style)| match style {
        0 => r(t),
        1 => p(t),
        2 => format!("<m:r><m:rPr><m:nor/></m:rPr><m:t>{t}</m:t></m:r>"),
        _ => format!(r#"<m:r><m:rPr><m:scr m:val="double-struck"/></m:rPr><m:t>{t}</m:t></m:r>"#),
    });
    leaf.prop_recursive(6, 64, 3, |inner| {
        let chr = prop::sample::select(vec!["", "(", ")", "[", "{", "}", "|", "‖", "⟨", "⌊", "∑", "∫", "→", "\u{20D7}", "\u{303}", "ab", "&amp;"]);
        (prop::collection::vec(inner, 1..3), 0..17u8, chr, chr_bool()).prop_map(|(kids, kind, chr, flag)| {
            let a = kids.first().cloned().unwrap_or_default();
            let b = kids.get(1).cloned().unwrap_or_default();
            let hide = if flag { r#"<m:subHide m:val="1"/><m:degHide/>"# } else { "" };
            match kind {
                0 => frac(&a, &b),
                1 => format!(r#"<m:f><m:fPr><m:type m:val="lin"/></m:fPr><m:num>{a}</m:num><m:den>{b}</m:den></m:f>"#),
                2 => format!("<m:rad><m:radPr>{hide}</m:radPr><m:deg>{b}</m:deg><m:e>{a}</m:e></m:rad>"),
                3 => sup(&a, &b),
                4 => format!("<m:sSubSup><m:e>{a}</m:e><m:sub>{b}</m:sub><m:sup>{a}</m:sup></m:sSubSup>"),
                5 => format!("<m:sPre><m:sub>{a}</m:sub><m:sup>{b}</m:sup><m:e>{a}</m:e></m:sPre>"),
                6 => format!(r#"<m:d><m:dPr><m:begChr m:val="{chr}"/><m:endChr m:val="{chr}"/><m:sepChr m:val="{chr}"/></m:dPr><m:e>{a}</m:e><m:e>{b}</m:e></m:d>"#),
                7 => format!(r#"<m:d><m:dPr><m:begChr m:val="{{"/><m:endChr m:val=""/></m:dPr><m:e><m:eqArr><m:e>{a}</m:e><m:e>{b}</m:e></m:eqArr></m:e></m:d>"#),
                8 => format!(r#"<m:nary><m:naryPr><m:chr m:val="{chr}"/>{hide}</m:naryPr><m:sub>{a}</m:sub><m:sup>{b}</m:sup><m:e>{a}</m:e></m:nary>"#),
                9 => format!("<m:m><m:mr><m:e>{a}</m:e><m:e>{b}</m:e></m:mr><m:mr><m:e>{b}</m:e></m:mr></m:m>"),
                10 => format!(r#"<m:acc><m:accPr><m:chr m:val="{chr}"/></m:accPr><m:e>{a}</m:e></m:acc>"#),
                11 => format!(r#"<m:bar><m:barPr><m:pos m:val="top"/></m:barPr><m:e>{a}</m:e></m:bar>"#),
                12 => format!("<m:func><m:fName>{a}</m:fName><m:e>{b}</m:e></m:func>"),
                13 => format!("<m:limLow><m:e>{a}</m:e><m:lim>{b}</m:lim></m:limLow>"),
                14 => format!(r#"<m:groupChr><m:groupChrPr><m:chr m:val="{chr}"/></m:groupChrPr><m:e>{a}</m:e></m:groupChr>"#),
                15 => format!("<m:eqArr><m:e>{a}</m:e><m:e>{b}</m:e></m:eqArr>"),
                _ => format!("<m:box><m:e>{a}{b}</m:e></m:box>"),
            }
        })
    })
}

fn chr_bool() -> impl Strategy<Value = bool> {
    any::<bool>()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever Word-shaped structure comes in, the LaTeX that comes out typesets.
    #[test]
    fn generated_equations_typeset(inner in arbitrary_math()) {
        let latex = to_latex(&math(&inner));
        match latex {
            Ok(latex) => prop_assert!(phongthi_ui::math::parse(&latex).is_ok(), "{} → {}", inner, latex),
            Err(error) => prop_assert_eq!(error, OmmlError::TooDeep),
        }
    }

    /// Mutated and arbitrary input never panics, and an Ok always typesets.
    #[test]
    fn mutated_xml_never_panics(inner in arbitrary_math(), cut in any::<prop::sample::Index>(), junk in "[<>/&;a-z:=\"' ]{0,6}") {
        let xml = math(&inner);
        let at = cut.index(xml.len() + 1);
        let at = (0..=at).rev().find(|i| xml.is_char_boundary(*i)).unwrap_or(0);
        for candidate in [format!("{}{}{}", &xml[..at], junk, &xml[at..]), xml[..at].to_owned()] {
            if let Ok(latex) = to_latex(&candidate) {
                prop_assert!(phongthi_ui::math::parse(&latex).is_ok(), "{} → {}", candidate, latex);
            }
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC{0,80}") {
        if let Ok(latex) = to_latex(&text) {
            prop_assert!(phongthi_ui::math::parse(&latex).is_ok(), "{} → {}", text, latex);
        }
    }
}
