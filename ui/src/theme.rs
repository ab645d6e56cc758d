//! The two looks of the window: egui's light theme with large text, and a high-contrast theme
//! (white and yellow on black, thick outlines) for students with low vision. The choice is kept
//! for the whole session, on every screen; zoom (Ctrl +/−/0 or the bar's buttons) likewise.

/// Visuals for `high_contrast`.
pub fn visuals(high_contrast: bool) -> egui::Visuals {
    if !high_contrast {
        return egui::Visuals::light();
    }
    let mut visuals = egui::Visuals::dark();
    let (black, white, yellow) = (egui::Color32::BLACK, egui::Color32::WHITE, egui::Color32::YELLOW);
    visuals.override_text_color = Some(white);
    visuals.panel_fill = black;
    visuals.window_fill = black;
    visuals.extreme_bg_color = black;
    visuals.faint_bg_color = egui::Color32::from_gray(20);
    visuals.selection.bg_fill = egui::Color32::from_rgb(0, 70, 200);
    visuals.selection.stroke = egui::Stroke::new(2.0, yellow);
    visuals.hyperlink_color = yellow;
    visuals.warn_fg_color = yellow;
    for (widgets, outline) in [
        (&mut visuals.widgets.noninteractive, white),
        (&mut visuals.widgets.inactive, white),
        (&mut visuals.widgets.hovered, yellow),
        (&mut visuals.widgets.active, yellow),
        (&mut visuals.widgets.open, yellow),
    ] {
        widgets.bg_fill = black;
        widgets.weak_bg_fill = black;
        widgets.bg_stroke = egui::Stroke::new(2.0, outline);
        widgets.fg_stroke = egui::Stroke::new(2.0, outline);
    }
    visuals
}

/// How the bar's zoom buttons change the size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zoom {
    /// Larger (Ctrl +).
    In,
    /// Smaller (Ctrl −).
    Out,
    /// Back to 100 % (Ctrl 0).
    Reset,
}

/// Applies a zoom step to the context (the same steps as egui's own Ctrl +/− keys).
pub fn zoom(ctx: &egui::Context, step: Zoom) {
    match step {
        Zoom::In => egui::gui_zoom::zoom_in(ctx),
        Zoom::Out => egui::gui_zoom::zoom_out(ctx),
        Zoom::Reset => ctx.set_zoom_factor(1.0),
    }
}
