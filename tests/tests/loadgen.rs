//! The CI-sized load run and every fault drill, through the `loadgen` binary exactly as a person
//! runs it. These assert what must always hold (nothing acknowledged is lost, every receipt
//! verifies, every student finishes, every drill did happen), never timings: those are
//! measured by release runs and written down in README "Performance".

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

use serde_json::Value;
use std::process::Command;

fn loadgen(args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_loadgen")).args(args).output().expect("run loadgen");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "loadgen {args:?} failed ({:?}):\n{stderr}", output.status);
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report on stdout");
    assert_eq!(report["lost_answers"], 0, "{stderr}");
    assert_eq!(report["broken_chains"], 0, "{stderr}");
    assert_eq!(report["failed_clients"], 0, "{stderr}");
    assert_eq!(report["receipts_verified"], report["clients"], "{stderr}");
    assert!(stderr.contains("lost_answers: 0"), "a human summary on stderr: {stderr}");
    report
}

/// A drill with enough answering time for clients to notice a dead proctor (10 s idle timeout)
/// and keep answering after they are back.
fn drill(fault: &str, extra: &[&str]) -> Value {
    let mut args = vec!["--clients", "40", "--answers-per-client", "30", "--think-ms", "700", "--fault", fault];
    args.extend_from_slice(extra);
    let report = loadgen(&args);
    assert_eq!(report["faults"]["drills"][0], fault);
    assert_eq!(report["faults"]["proctor_survived"], true);
    report
}

#[test]
fn three_hundred_students_lose_nothing() {
    let report = loadgen(&["--clients", "300", "--answers-per-client", "6", "--think-ms", "400"]);
    assert_eq!(report["connected"], 300);
    assert_eq!(report["submitted"], 300);
    assert_eq!(report["events_acked"], 1800);
    for field in ["login_s", "start_to_all_keys_ms", "events_per_s", "proctor_rss_mb", "proctor_cpu_s"] {
        assert!(report[field].as_f64().is_some_and(|v| v > 0.0), "{field} is measured: {report}");
    }
    assert!(report["ack_ms"]["p99"].as_f64().unwrap() >= report["ack_ms"]["p50"].as_f64().unwrap());
}

#[test]
fn drill_kill_proctor_mid_exam() {
    let report = drill("kill-proctor", &[]);
    assert_eq!(report["faults"]["proctor_starts"], 2);
    assert!(report["faults"]["reconnects"].as_u64().unwrap() >= 40, "every student reconnected: {report}");
}

#[test]
fn drill_partition_some_students() {
    let report = drill("partition", &["--fault-seconds", "12"]);
    assert_eq!(report["faults"]["partitioned_clients"], 4);
    assert!(report["faults"]["datagrams_dropped"].as_u64().unwrap() > 0, "{report}");
    assert!(report["faults"]["reconnects"].as_u64().unwrap() >= 4, "the cut students came back: {report}");
}

#[test]
fn drill_seat_move_after_a_crash() {
    let report = drill("seat-move", &[]);
    assert_eq!(report["faults"]["seat_moves"], 4);
}

#[test]
fn drill_disk_full_on_the_proctor() {
    let report = drill("disk-full", &["--fault-seconds", "3"]);
    assert_eq!(report["faults"]["disk_full_alarm"], true);
    assert_eq!(report["faults"]["proctor_starts"], 3);
}

#[test]
fn drill_hostile_traffic() {
    let report = drill("hostile", &[]);
    let attacks = report["faults"]["hostile_attacks"].as_u64().unwrap();
    assert!(attacks >= 20, "the attackers kept attacking: {report}");
    assert_eq!(report["faults"]["hostile_refused"].as_u64().unwrap(), attacks);
}

#[test]
fn drill_power_cut_of_the_whole_lab() {
    let report = drill("power-cut", &[]);
    assert_eq!(report["faults"]["proctor_starts"], 2);
    assert_eq!(report["faults"]["approvals_needed"], 0, "no PC waited for the proctor: {report}");
    assert_eq!(report["faults"]["back_after_power_cut"], 40, "every student came back: {report}");
    assert!(report["faults"]["last_back_s"].as_f64().unwrap() > 0.0, "{report}");
}

#[test]
fn drill_partition_across_the_end_of_the_exam() {
    let report = drill("partition", &["--fault-seconds", "20", "--end-during-partition"]);
    assert_eq!(report["faults"]["partitioned_clients"], 4);
    assert_eq!(report["faults"]["lost_before_end"], 0, "every answer made before the end counts: {report}");
    let late = report["faults"]["late_answers_accepted"].as_u64().unwrap()
        + report["faults"]["late_answers_refused"].as_u64().unwrap();
    assert!(late > 0, "the cut students answered after the end, unaware: {report}");
    assert_eq!(report["submitted"], 40);
}
