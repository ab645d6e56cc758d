//! The report: JSON on stdout with the fields `performance.md` names, and a human summary on
//! stderr.

use serde::Serialize;

/// Acknowledgement latency percentiles (ms).
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub(crate) struct Percentiles {
    pub(crate) p50: f64,
    pub(crate) p95: f64,
    pub(crate) p99: f64,
    pub(crate) max: f64,
}

impl Percentiles {
    /// From latencies in microseconds (sorted here).
    pub(crate) fn of(micros: &mut [u32]) -> Self {
        micros.sort_unstable();
        let at = |q: f64| -> f64 {
            if micros.is_empty() {
                return 0.0;
            }
            // Nearest rank: the smallest value with at least q of the samples at or below it.
            let rank = ((q * micros.len() as f64).ceil() as usize).clamp(1, micros.len());
            f64::from(micros[rank - 1]) / 1000.0
        };
        Self { p50: at(0.50), p95: at(0.95), p99: at(0.99), max: at(1.0) }
    }
}

/// What the drills did.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Faults {
    pub(crate) drills: Vec<String>,
    pub(crate) proctor_starts: u32,
    pub(crate) reconnects: u64,
    /// Why links dropped or attempts failed, most frequent first: (reason, times).
    pub(crate) offline_reasons: Vec<(String, u64)>,
    pub(crate) partitioned_clients: usize,
    pub(crate) datagrams_dropped: u64,
    pub(crate) seat_moves: usize,
    pub(crate) disk_full_alarm: bool,
    pub(crate) hostile_attacks: u64,
    pub(crate) hostile_refused: u64,
    pub(crate) proctor_survived: bool,
    /// Power cut: students whose restarted client had to wait for a seat-move approval.
    pub(crate) approvals_needed: usize,
    /// Power cut: students back (admitted again) after it.
    pub(crate) back_after_power_cut: usize,
    /// Power cut: from the cut to the last student back, in seconds.
    pub(crate) last_back_s: f64,
    /// End during a partition: answers made after the end but within its grace, accepted late.
    pub(crate) late_answers_accepted: usize,
    /// End during a partition: answers made after the end and its grace, refused with a reason.
    pub(crate) late_answers_refused: usize,
    /// End during a partition: answers made before the end that never counted (must be 0).
    pub(crate) lost_before_end: usize,
}

/// The whole report.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Report {
    pub(crate) clients: usize,
    pub(crate) connected: usize,
    pub(crate) login_s: f64,
    pub(crate) start_to_all_keys_ms: f64,
    /// Per student: run start → admitted with the package (the login storm's shape).
    pub(crate) login_ms: Percentiles,
    pub(crate) ack_ms: Percentiles,
    pub(crate) events_acked: u64,
    pub(crate) events_per_s: f64,
    pub(crate) submitted: usize,
    pub(crate) receipts_verified: usize,
    pub(crate) lost_answers: u64,
    pub(crate) broken_chains: u64,
    pub(crate) receipt_mismatches: u64,
    pub(crate) failed_clients: usize,
    pub(crate) proctor_rss_mb: f64,
    pub(crate) proctor_cpu_s: f64,
    pub(crate) wall_s: f64,
    pub(crate) faults: Faults,
    pub(crate) machine: String,
    pub(crate) problems: Vec<String>,
}

impl Report {
    /// Whether the run proves what it must: nothing lost, every receipt good, everyone done.
    pub(crate) fn passed(&self) -> bool {
        self.lost_answers == 0
            && self.broken_chains == 0
            && self.receipt_mismatches == 0
            && self.failed_clients == 0
            && self.receipts_verified == self.clients
            && (self.faults.hostile_attacks == self.faults.hostile_refused)
            && self.faults.proctor_survived
            && (self.faults.disk_full_alarm || !self.faults.drills.iter().any(|d| d == "disk-full"))
            && self.faults.lost_before_end == 0
            && (!self.faults.drills.iter().any(|d| d == "power-cut")
                || (self.faults.approvals_needed == 0 && self.faults.back_after_power_cut == self.clients))
    }

    /// The human summary (stderr).
    pub(crate) fn summary(&self) -> String {
        let mut s = format!(
            "loadgen: {} học sinh / students on {}\n\
             login storm: {} connected in {:.2} s (p50 {:.0} ms, p95 {:.0} ms)\n\
             start: every form key in {:.0} ms\n\
             answers: {} acknowledged, {:.0}/s; ack p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms\n\
             submitted {}, receipts verified {}\n\
             proctor: peak RSS {:.0} MB, CPU {:.1} s; wall {:.1} s\n",
            self.clients,
            self.machine,
            self.connected,
            self.login_s,
            self.login_ms.p50,
            self.login_ms.p95,
            self.start_to_all_keys_ms,
            self.events_acked,
            self.events_per_s,
            self.ack_ms.p50,
            self.ack_ms.p95,
            self.ack_ms.p99,
            self.ack_ms.max,
            self.submitted,
            self.receipts_verified,
            self.proctor_rss_mb,
            self.proctor_cpu_s,
            self.wall_s,
        );
        if !self.faults.drills.is_empty() {
            let f = &self.faults;
            s.push_str(&format!(
                "drills {:?}: proctor started {}×, {} reconnects, {} cut off ({} datagrams dropped), {} seat moves, \
                 disk-full alarm {}, hostile {} / {} refused, proctor survived {}\n",
                f.drills,
                f.proctor_starts,
                f.reconnects,
                f.partitioned_clients,
                f.datagrams_dropped,
                f.seat_moves,
                f.disk_full_alarm,
                f.hostile_refused,
                f.hostile_attacks,
                f.proctor_survived
            ));
        }
        if self.faults.drills.iter().any(|d| d == "power-cut") {
            let f = &self.faults;
            s.push_str(&format!(
                "power cut: {} / {} students back without approval, {} approvals needed, last back {:.1} s after the cut\n",
                f.back_after_power_cut, self.clients, f.approvals_needed, f.last_back_s
            ));
        }
        if self.faults.late_answers_accepted + self.faults.late_answers_refused + self.faults.lost_before_end > 0 {
            let f = &self.faults;
            s.push_str(&format!(
                "end during the outage: {} answers made before the end lost, {} made after it accepted within the grace, {} refused\n",
                f.lost_before_end, f.late_answers_accepted, f.late_answers_refused
            ));
        }
        if !self.faults.offline_reasons.is_empty() {
            s.push_str(&format!("links lost or attempts failed ({} reconnects):\n", self.faults.reconnects));
            for (reason, times) in &self.faults.offline_reasons {
                s.push_str(&format!("  {times}× {reason}\n"));
            }
        }
        s.push_str(&format!(
            "lost_answers: {}  broken chains: {}  receipt mismatches: {}  failed clients: {}  → {}\n",
            self.lost_answers,
            self.broken_chains,
            self.receipt_mismatches,
            self.failed_clients,
            if self.passed() { "ĐẠT / PASS" } else { "KHÔNG ĐẠT / FAIL" }
        ));
        for problem in &self.problems {
            s.push_str(&format!("  - {problem}\n"));
        }
        s
    }
}

/// CPU model and core count, for the report.
pub(crate) fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned()))
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    match udp_receive_buffer_cap() {
        Some(cap) => format!("{cores} cores, {model}, net.core.rmem_max {} KiB", cap >> 10),
        None => format!("{cores} cores, {model}"),
    }
}

/// Linux's cap on a socket's receive buffer, for the machine line: it decides whether a login
/// storm loses packets (see `phongthi_net::SOCKET_BUFFER_BYTES`).
fn udp_receive_buffer_cap() -> Option<usize> {
    std::fs::read_to_string("/proc/sys/net/core/rmem_max").ok()?.trim().parse().ok()
}
