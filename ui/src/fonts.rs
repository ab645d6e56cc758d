//! The font every text of our windows is drawn with: Noto Sans, embedded in the binary.
//!
//! egui's default fonts lack most Vietnamese letters with two marks (U+1EA0–U+1EF9: ạ ả ấ ầ …
//! ỹ), and a lab PC may have no suitable system font, so every window carries its own
//! (SIL OFL; source and licence in `ui/assets/fonts/`). It goes first in both families, then Noto Sans
//! Math for the symbols of maths questions (∅ ∈ ℝ ≤ …, shown as typed until math is typeset);
//! egui's own fonts stay behind them as fallback for the few symbols widgets draw.

use std::sync::Arc;

/// The name the font is registered under.
pub const NOTO_SANS: &str = "NotoSans-Regular";

/// The name the maths fallback font is registered under.
pub const NOTO_SANS_MATH: &str = "NotoSansMath-Regular";

/// The font files.
const NOTO_SANS_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSans-Regular.ttf");
const NOTO_SANS_MATH_REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSansMath-Regular.ttf");

/// egui's font definitions with Noto Sans first for proportional and monospace text.
pub fn font_definitions() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(NOTO_SANS.to_owned(), Arc::new(egui::FontData::from_static(NOTO_SANS_REGULAR)));
    fonts.font_data.insert(NOTO_SANS_MATH.to_owned(), Arc::new(egui::FontData::from_static(NOTO_SANS_MATH_REGULAR)));
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        let names = fonts.families.entry(family).or_default();
        names.insert(0, NOTO_SANS_MATH.to_owned());
        names.insert(0, NOTO_SANS.to_owned());
    }
    fonts
}

/// Installs the fonts on a context (once, at start-up).
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(font_definitions());
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    /// Every precomposed Vietnamese letter with a dot below or hook above (U+1EA0–U+1EF9), plus
    /// the others of the alphabet: the harness panics on any glyph the fonts lack.
    #[test]
    fn every_vietnamese_letter_has_a_glyph() {
        let extended: String = ('\u{1EA0}'..='\u{1EF9}').collect();
        let basic = "ĂăÂâĐđÊêÔôƠơƯư ÀÁÃÈÉÌÍÒÓÕÙÚÝàáãèéìíòóõùúý ĨĩŨũ";
        let sample = "Kiểm tra giữa kỳ I — Toán 10: Đúng/Sai, Hóa học, Vật lí";
        let maths = "x ∈ ℝ, S = ∅, a ≤ b ⇒ √a ≤ √b, (−∞; 2), α + β = π, 30°";
        let texts = [extended.clone(), basic.to_owned(), sample.to_owned(), maths.to_owned()];
        let shown = texts.clone();
        let mut harness = Harness::builder().with_context_setup(install).build_ui(move |ui| {
            for text in &shown {
                ui.label(text);
                ui.monospace(text);
            }
        });
        harness.run();
        for text in &texts {
            assert_eq!(harness.get_all_by_label(text).count(), 2, "{text}");
        }
        assert_eq!(extended.chars().count(), 0x1EF9 - 0x1EA0 + 1);
    }

    #[test]
    fn noto_sans_then_math_come_first_in_both_families() {
        let fonts = font_definitions();
        for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
            assert_eq!(fonts.families[&family][..2], [NOTO_SANS.to_owned(), NOTO_SANS_MATH.to_owned()]);
        }
    }
}
