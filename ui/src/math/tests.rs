//! The maths typesetter: the parser on a table of what teachers write, the plain reading, the
//! layout's geometry with fixed widths, a proptest that no input panics, and every symbol drawn
//! by the embedded fonts.

use super::*;
use proptest::prelude::*;

/// A stand-in for the fonts: every character half an em wide.
struct HalfEm;

impl Measure for HalfEm {
    fn width(&mut self, text: &str, size: f32) -> f32 {
        0.5 * size * text.chars().count() as f32
    }
}

#[test]
fn the_subset_teachers_write_reads_as_printed() {
    let table = [
        (r"x^2 - 5x + 6 = 0", "x² − 5x + 6 = 0"),
        (r"\frac{1}{2}", "1/2"),
        (r"\dfrac{x+1}{x-1}", "(x + 1)/(x − 1)"),
        (r"\sqrt{2}", "√2"),
        (r"\sqrt[3]{8} = 2", "∛8 = 2"),
        (r"a_1 + a_{n}", "a₁ + a_n"),
        (r"x_1^2", "x₁²"),
        (r"\alpha + \beta = \pi", "α + β = π"),
        (r"-3 \le x \le 5", "−3 ≤ x ≤ 5"),
        (r"x \in \mathbb{R}", "x ∈ ℝ"),
        (r"a \ne b \Rightarrow a^2 \ge 0", "a ≠ b ⇒ a² ≥ 0"),
        (r"\left( -\infty ; 2 \right)", "(−∞; 2)"),
        (r"\overrightarrow{AB} \perp \overrightarrow{CD}", "→AB ⊥ →CD"),
        (r"\widehat{ABC} = 30^\circ", "∠ABC = 30°"),
        (r"\overline{AB} \parallel d", "‾AB ∥ d"),
        (r"\text{với } x > 0", "với x > 0"),
        (r"\begin{cases} x + y = 3 \\ x - y = 1 \end{cases}", "{ x + y = 3; x − y = 1 }"),
        (r"2 \cdot 3 \times 4 \div 6 \pm 1", "2 ⋅ 3 × 4 ÷ 6 ± 1"),
        (r"\sin x + \cos x", "sin x + cos x"),
        (r"\triangle ABC \approx \angle A", "△ABC ≈ ∠A"),
        (r"x \to \infty \Leftrightarrow y", "x → ∞ ⇔ y"),
        (r"(-∞; 2)", "(−∞; 2)"),
        (r"\{1; 2; 3\}", "{1; 2; 3}"),
    ];
    for (source, expected) in table {
        let nodes = parse(source).unwrap_or_else(|error| panic!("{source}: {error}"));
        assert_eq!(plain::plain(&nodes), expected, "{source}");
    }
}

#[test]
fn input_outside_the_subset_is_an_error_naming_why() {
    let table = [
        (r"\frac{1}", MathError::MissingArgument("frac".into())),
        (r"x^", MathError::MissingArgument("^".into())),
        (r"{x + 1", MathError::UnbalancedBraces),
        (r"x + 1}", MathError::UnbalancedBraces),
        (r"\left( x", MathError::UnmatchedDelimiter),
        (r"x \right)", MathError::UnmatchedDelimiter),
        (r"\left< x \right>", MathError::UnmatchedDelimiter),
        (r"\begin{matrix} 1 \end{matrix}", MathError::UnknownEnvironment("matrix".into())),
        (r"\begin{cases} x", MathError::UnknownEnvironment("cases".into())),
        (r"\foo", MathError::UnknownCommand("foo".into())),
        (r"\mathfrak{g}", MathError::UnknownCommand("mathfrak".into())),
        (r"x^2^3", MathError::DoubleScript),
        (r"\text x", MathError::MissingArgument("text".into())),
        (r"\sqrt", MathError::MissingArgument("sqrt".into())),
    ];
    for (source, expected) in table {
        assert_eq!(parse(source), Err(expected), "{source}");
    }
    assert_eq!(parse(&"{".repeat(200)), Err(MathError::TooDeep));
    assert_eq!(parse(&r"\sqrt".repeat(200)), Err(MathError::TooDeep));
}

#[test]
fn formulas_are_found_between_dollars_and_parentheses() {
    let table: [(&str, Vec<Segment>); 6] = [
        (
            "Giải $x+1=0$.",
            vec![Segment::Text("Giải ".into()), Segment::Math("x+1=0".into()), Segment::Text(".".into())],
        ),
        (r"Biết \(a>0\)", vec![Segment::Text("Biết ".into()), Segment::Math("a>0".into())]),
        ("$$y=2$$", vec![Segment::Math("y=2".into())]),
        ("Giá 5$ một quyển", vec![Segment::Text("Giá 5$ một quyển".into())]),
        (r"Giá \$5 và $x$", vec![Segment::Text("Giá $5 và ".into()), Segment::Math("x".into())]),
        ("$ $ rỗng", vec![Segment::Text("$ $ rỗng".into())]),
    ];
    for (text, expected) in table {
        assert_eq!(split(text), expected, "{text}");
    }
    assert!(has_math("Cho $x$"));
    assert!(!has_math("Số 1 là số nguyên tố."));
    assert_eq!(
        plain_text(r"Tính $\frac{1}{2} + \foo$ nhé"),
        r"Tính $\frac{1}{2} + \foo$ nhé",
        "fallback is the source"
    );
    assert_eq!(plain_text(r"Tính $\frac{1}{2}$ nhé"), "Tính 1/2 nhé");
}

#[test]
fn a_fraction_stacks_around_the_axis_and_scripts_shrink() {
    let size = 20.0;
    let one = layout(&parse("1").unwrap_or_default(), size, &mut HalfEm);
    let half = layout(&parse(r"\frac{1}{2}").unwrap_or_default(), size, &mut HalfEm);
    assert!(half.ascent > one.ascent && half.descent > one.descent, "taller than a digit both ways");
    let texts: Vec<(String, f32, egui::Vec2)> = half
        .pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Text { text, size, at } => Some((text.clone(), *size, *at)),
            Piece::Line { .. } => None,
        })
        .collect();
    assert_eq!(texts.len(), 2);
    assert!(texts[0].2.y < 0.0 && texts[1].2.y > texts[0].2.y, "numerator above the denominator");
    assert!(texts[0].1 < size, "the numerator is smaller");
    let bars = half.pieces.iter().filter(|p| matches!(p, Piece::Line { .. })).count();
    assert_eq!(bars, 1, "one bar");

    let square = layout(&parse("x^2").unwrap_or_default(), size, &mut HalfEm);
    let Some(Piece::Text { size: script_size, at, .. }) = square.pieces.get(1) else { panic!("{square:?}") };
    assert!(*script_size < size && at.y < 0.0, "raised and smaller");
    let root = layout(&parse(r"\sqrt{x}").unwrap_or_default(), size, &mut HalfEm);
    assert!(root.width > 0.5 * size, "the sign takes room");
    assert!(matches!(root.pieces.first(), Some(Piece::Line { points, .. }) if points.len() == 5));
}

#[test]
fn every_symbol_in_the_tables_has_a_glyph() {
    use egui_kittest::Harness;
    let mut all: String = symbols::COMMANDS.iter().map(|(_, text, _)| *text).collect();
    all.extend(('a'..='z').chain('A'..='Z').map(|c| plain::plain(&[symbols::character(c)])));
    for alphabet in ["mathbb", "mathbf", "mathcal"] {
        let letters: String = ('A'..='Z').chain('a'..='z').chain('0'..='9').collect();
        for node in symbols::alphabet(alphabet, &letters).unwrap_or_default() {
            if let Node::Symbol { text, .. } = node {
                all.push_str(&text);
            }
        }
    }
    let italic: String = parse("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        .unwrap_or_default()
        .into_iter()
        .filter_map(|node| match node {
            Node::Symbol { text, .. } => Some(text),
            _ => None,
        })
        .collect();
    all.push_str(&italic);
    all.push_str("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿ₀₁₂₃₄₅₆₇₈₉₊₋√∛∜‾");
    // The harness panics on a glyph no installed font has.
    let mut harness = Harness::builder().with_context_setup(crate::fonts::install).build_ui(move |ui| {
        ui.label(&all);
    });
    harness.run();
}

proptest! {
    #[test]
    fn no_input_panics(source in r"[\\{}\[\]^_$&a-z0-9 ()+=-]{0,60}|\\(frac|sqrt|left|right|begin|end|text|mathbb)[{}a-z\\&()\[\]^_ ]{0,30}") {
        let text = format!("Cho ${source}$ và \\({source}\\)");
        let _ = plain_text(&text);
        if let Ok(nodes) = parse(&source) {
            let boxed = layout(&nodes, 18.0, &mut HalfEm);
            prop_assert!(boxed.width.is_finite() && boxed.ascent.is_finite() && boxed.descent.is_finite());
        }
    }

    #[test]
    fn any_unicode_text_splits_without_loss(text in "\\PC{0,80}") {
        let rebuilt: usize = split(&text).iter().map(|s| match s { Segment::Text(t) | Segment::Math(t) => t.len() }).sum();
        prop_assert!(rebuilt <= text.len());
        let _ = plain_text(&text);
    }
}
