//! Log output of the binaries (proctor, exam client, loadgen's proctor): warnings and errors to
//! stderr, where systemd's journal or the terminal keeps them. Without this, a store error
//! during an exam ("answer not stored") would be reported to nobody.
//!
//! `PHONGTHI_LOG` chooses more or less, in `tracing`'s target syntax: `info`,
//! `warn,phongthi_server=debug`, `off`. A spec that does not parse is said once on stderr and
//! the default is used, so a typo never silences the log.

use std::str::FromStr;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The environment variable that sets what is logged.
pub const LOG_ENV: &str = "PHONGTHI_LOG";

/// The filter for `spec` (the variable's value, if set), and a complaint when it did not parse.
pub fn log_filter(spec: Option<&str>) -> (Targets, Option<String>) {
    let default = Targets::new().with_default(LevelFilter::WARN);
    match spec.map(str::trim).filter(|s| !s.is_empty()) {
        None => (default, None),
        Some(spec) => match Targets::from_str(spec) {
            Ok(targets) => (targets, None),
            Err(error) => (
                default,
                Some(format!(
                    "{LOG_ENV}={spec:?} không đọc được ({error}); ghi cảnh báo và lỗi / \
                     {LOG_ENV}={spec:?} does not parse ({error}); logging warnings and errors"
                )),
            ),
        },
    }
}

/// Sends log events to stderr, filtered by [`LOG_ENV`]. Call once, first thing in `main`; a
/// second call (another logger already set) changes nothing.
#[expect(clippy::print_stderr, reason = "a bad log spec cannot be reported through the log it configures")]
pub fn init_logging() {
    let spec = std::env::var(LOG_ENV).ok();
    let (filter, complaint) = log_filter(spec.as_deref());
    if let Some(complaint) = complaint {
        eprintln!("{complaint}");
    }
    let layer = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(false);
    let _ = tracing_subscriber::registry().with(layer).with(filter).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;

    #[test]
    fn warnings_by_default_and_the_variable_chooses_more() {
        let (filter, complaint) = log_filter(None);
        assert!(complaint.is_none());
        assert!(filter.would_enable("phongthi_server", &Level::WARN));
        assert!(!filter.would_enable("phongthi_server", &Level::INFO));

        let (filter, _) = log_filter(Some("warn,phongthi_net=info"));
        assert!(filter.would_enable("phongthi_net::endpoint", &Level::INFO));
        assert!(!filter.would_enable("quinn", &Level::INFO));
    }

    #[test]
    fn a_spec_that_does_not_parse_keeps_the_default_and_says_so() {
        let (filter, complaint) = log_filter(Some("phongthi_net=loud"));
        assert!(filter.would_enable("phongthi_net", &Level::WARN));
        assert!(!filter.would_enable("phongthi_net", &Level::INFO));
        assert!(complaint.is_some_and(|c| c.contains("PHONGTHI_LOG") && c.contains("does not parse")));
    }
}
