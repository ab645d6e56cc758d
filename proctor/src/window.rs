//! Opening the dashboard window from `serve` and `demo`: only when asked for (no `--headless`),
//! built in (feature `dashboard`) and a display exists; otherwise the server runs headless and
//! says why.

use phongthi_question_bank::i18n::Lang;
use phongthi_server::Serving;
use std::path::PathBuf;

/// Whether the dashboard can be shown: not `--headless`, built in, and a display exists. Says
/// why not.
pub(crate) fn wanted(lang: Lang, headless: bool) -> bool {
    let t = |vi, en| lang.t(vi, en);
    if headless {
        return false;
    }
    #[cfg(feature = "dashboard")]
    {
        if phongthi_dashboard::display_available() {
            return true;
        }
        println!(
            "{}",
            t(
                "Không có màn hình (DISPLAY/WAYLAND_DISPLAY): chạy không giao diện; dùng `proctor ctl` và `proctor status`.",
                "No display (DISPLAY/WAYLAND_DISPLAY): running headless; use `proctor ctl` and `proctor status`."
            )
        );
        false
    }
    #[cfg(not(feature = "dashboard"))]
    {
        println!(
            "{}",
            t(
                "Bản này không có bảng điều khiển đồ họa; dùng `proctor ctl` và `proctor status`.",
                "This build has no dashboard window; use `proctor ctl` and `proctor status`."
            )
        );
        false
    }
}

/// Runs the dashboard over `serving` on this (the main) thread until the proctor closes it.
#[cfg(feature = "dashboard")]
pub(crate) fn run(lang: Lang, serving: &Serving, export_dir: PathBuf) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Handle::current();
    let room = serving.handle();
    let title = serving.exam_title.clone();
    // Windowing needs the main thread; the server's tasks keep running on the runtime's workers.
    tokio::task::block_in_place(|| phongthi_dashboard::run_window(&runtime, room, export_dir, lang, &title))
        .map_err(|e| anyhow::anyhow!("{}: {e}", lang.t("không mở được bảng điều khiển", "cannot open the dashboard")))
}

/// Without the feature there is no window ([`wanted`] is always `false`).
#[cfg(not(feature = "dashboard"))]
pub(crate) fn run(_lang: Lang, _serving: &Serving, _export_dir: PathBuf) -> anyhow::Result<()> {
    Ok(())
}
