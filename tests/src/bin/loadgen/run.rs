//! The coordinator: set up an exam day and a proctor, start the students, press Start once all
//! have their packages, run the drills during the answering phase, wait for every student,
//! stop the proctor, check its store and write the report.

use crate::check::check;
use crate::hostile::{Tally, attacker};
use crate::options::{Fault, Options};
use crate::proctor::ProctorProcess;
use crate::proxy::Proxy;
use crate::report::{Faults, Percentiles, Report, machine};
use crate::student::{self, Ctx, Outcome, Plan, Progress};
use anyhow::{Context, bail, ensure};
use phongthi_net::LabConfig;
use phongthi_server::control::{self, Command as Ctl};
use phongthi_store::Reader;
use phongthi_store::demo::{exam_day, roster_csv};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};

/// Where the proctor is and who sits the exam.
struct Setup {
    data_dir: PathBuf,
    lab: LabConfig,
    room_code: String,
    students: Vec<String>,
    spare: Vec<String>,
    proctor: Option<ProctorProcess>,
}

/// Runs the load test; `Ok(false)` when the run completed but did not pass.
pub(crate) async fn run(options: Options) -> anyhow::Result<bool> {
    ensure!(options.clients > 0, "--clients must be at least 1");
    ensure!(options.fault_share <= 100, "--fault-share is a percentage (0–100)");
    let restarts = options.faults.iter().any(|f| matches!(f, Fault::KillProctor | Fault::DiskFull));
    ensure!(!(restarts && options.lab.is_some()), "kill-proctor and disk-full need loadgen's own proctor (drop --lab)");
    let power_cut = options.faults.contains(&Fault::PowerCut);
    ensure!(
        !(power_cut && (options.lab.is_some() || options.no_journal)),
        "power-cut needs loadgen's own proctor and the clients' journals (drop --lab and --no-journal)"
    );
    let wall = Instant::now();
    let work = tempfile::Builder::new().prefix("phongthi-loadgen-").tempdir().context("temporary folder")?;
    let hostile =
        if options.faults.contains(&Fault::Hostile) { (options.clients * options.fault_share / 100).max(2) } else { 0 };
    let mut setup = match &options.lab {
        Some(lab) => existing_proctor(&options, lab)?,
        None => own_proctor(work.path(), options.clients, hostile).await?,
    };
    ensure!(
        setup.students.len() >= options.clients,
        "the roster has {} students, fewer than --clients {}",
        setup.students.len(),
        options.clients
    );
    eprintln!("loadgen: {} students, proctor at {}", options.clients, setup.lab.address);
    if let Some(grant) = setup.proctor.as_ref().map(|p| p.receive_buffer)
        && grant.is_short()
        && options.clients >= 1000
    {
        eprintln!(
            "loadgen: the proctor's UDP receive buffer is {} KiB of {} KiB asked: a login storm of this size \
             will lose packets (raise net.core.rmem_max: deploy/linux/99-phongthi-proctor.conf)",
            grant.granted >> 10,
            grant.asked >> 10
        );
    }

    let endpoint_count = if options.endpoints == 0 { options.clients.div_ceil(500).max(1) } else { options.endpoints };
    let endpoints =
        (0..endpoint_count).map(|_| phongthi_net::client_endpoint(setup.lab.address)).collect::<Result<Vec<_>, _>>()?;
    let proxy = if options.faults.contains(&Fault::Partition) {
        Some(Proxy::start(setup.lab.address).await.context("start the partition relay")?)
    } else {
        None
    };
    let step = 100 / options.fault_share.max(1);
    let plan = |i: usize| Plan {
        proxied: proxy.is_some() && i.is_multiple_of(step),
        seat_move: options.faults.contains(&Fault::SeatMove) && (i + step / 2).is_multiple_of(step),
    };
    let (progress, mut progress_rx) = mpsc::unbounded_channel();
    let (power, power_cut_rx) = watch::channel(None);
    let (ended, ended_rx) = watch::channel(None);
    ensure!(!options.end_during_partition || proxy.is_some(), "--end-during-partition needs --fault partition");
    let ctx = Arc::new(Ctx {
        lab: setup.lab.clone(),
        proxied_lab: proxy.as_ref().map(|p| LabConfig { address: p.addr, ..setup.lab.clone() }),
        room_code: setup.room_code.clone(),
        data_dir: setup.data_dir.clone(),
        journal_root: (!options.no_journal).then(|| work.path().join("journals")),
        endpoints,
        answers: options.answers_per_client,
        think: Duration::from_millis(options.think_ms),
        seed: options.seed,
        epoch: Instant::now(),
        progress,
        power_cut: power_cut_rx,
        ends_early: options.end_during_partition,
        ended: ended_rx,
    });
    let mut plans = Vec::new();
    let mut joins = Vec::new();
    for (i, id) in setup.students.iter().take(options.clients).enumerate() {
        plans.push(plan(i));
        joins.push(tokio::spawn(student::run(Arc::clone(&ctx), i, id.clone(), plan(i))));
    }

    // Everyone logged in with the package, or done (failed): then Start.
    let (mut ready, mut finished) = (0, 0);
    while ready + finished < options.clients {
        match tokio::time::timeout(Duration::from_secs(900), progress_rx.recv()).await {
            Ok(Some(Progress::Ready)) => ready += 1,
            Ok(Some(Progress::Finished)) => finished += 1,
            Ok(Some(Progress::Opened(_))) => {}
            _ => bail!("students stopped reporting before Start ({ready} ready, {finished} failed)"),
        }
    }
    eprintln!("loadgen: {ready} ready after {:.2} s; Start", ctx.epoch.elapsed().as_secs_f64());
    let start_at = Instant::now();
    let reply = control::send(&setup.data_dir, Ctl::Start).await.context("press Start")?;
    ensure!(reply.ok, "Start refused: {}", reply.message);
    let mut last_open = start_at;
    let mut opened = 0;
    while opened + finished < options.clients {
        match tokio::time::timeout(Duration::from_secs(600), progress_rx.recv()).await {
            Ok(Some(Progress::Opened(at))) => {
                opened += 1;
                last_open = last_open.max(at);
            }
            Ok(Some(Progress::Finished)) => finished += 1,
            Ok(Some(Progress::Ready)) => {}
            _ => bail!("students stopped reporting after Start"),
        }
    }
    let start_to_all_keys = last_open.duration_since(start_at);

    // Drills, while the students answer.
    let (stop_attack, stop_rx) = watch::channel(false);
    let attackers: Vec<_> = setup
        .spare
        .iter()
        .take(hostile)
        .map(|id| tokio::spawn(attacker(setup.lab.clone(), setup.room_code.clone(), id.clone(), stop_rx.clone())))
        .collect();
    let phase = Duration::from_millis(options.think_ms * options.answers_per_client as u64);
    let mut faults =
        Faults { drills: options.faults.iter().map(|f| f.name().to_owned()).collect(), ..Faults::default() };
    let all = futures_join(joins);
    let drills = drills(&options, &mut setup, proxy.as_ref(), phase, &mut faults, &power, &ended);
    let (outcomes, drilled) = tokio::join!(all, drills);
    drilled?;
    let _ = stop_attack.send(true);
    let mut tally = Tally::default();
    for join in attackers {
        if let Ok(t) = join.await {
            tally.attacks += t.attacks;
            tally.refused += t.refused;
        }
    }
    faults.hostile_attacks = tally.attacks;
    faults.hostile_refused = tally.refused;
    faults.partitioned_clients = plans.iter().filter(|p| p.proxied).count();
    faults.datagrams_dropped = proxy.as_ref().map_or(0, |p| p.dropped.load(std::sync::atomic::Ordering::Relaxed));
    let outcomes = outcomes?;
    let ended_at = *ended.borrow();

    // Stop the proctor, then check its store.
    let (usage, survived) = match setup.proctor.take() {
        Some(mut proctor) => {
            faults.proctor_starts = proctor.starts;
            let alive = proctor.alive();
            (proctor.stop().await?, alive)
        }
        None => (Default::default(), true),
    };
    faults.proctor_survived = survived;
    let findings = check(&setup.data_dir, &outcomes)?;
    let report =
        build_report(&options, &outcomes, start_at, start_to_all_keys, usage, faults, findings, wall, ended_at);
    println!("{}", serde_json::to_string_pretty(&report)?);
    eprint!("{}", report.summary());
    let passed = report.passed();
    if !passed {
        // Keep the evidence.
        let kept = work.keep();
        eprintln!("loadgen: kept {} for inspection", kept.display());
    }
    Ok(passed)
}

async fn futures_join(joins: Vec<tokio::task::JoinHandle<Outcome>>) -> anyhow::Result<Vec<Outcome>> {
    let mut outcomes = Vec::with_capacity(joins.len());
    for join in joins {
        outcomes.push(join.await.context("a student task panicked")?);
    }
    Ok(outcomes)
}

/// The drills, on a timeline over the answering phase.
async fn drills(
    options: &Options,
    setup: &mut Setup,
    proxy: Option<&Proxy>,
    phase: Duration,
    faults: &mut Faults,
    power: &watch::Sender<Option<Instant>>,
    ended: &watch::Sender<Option<Instant>>,
) -> anyhow::Result<()> {
    let hold = Duration::from_secs(options.fault_seconds);
    if let Some(proxy) = proxy {
        tokio::time::sleep(phase / 5).await;
        eprintln!("loadgen: partition: cutting {}% of the students off for {} s", options.fault_share, hold.as_secs());
        proxy.set_cut(true);
        if options.end_during_partition {
            // Late enough in the outage that the cut PCs have gone quiet (12 s without a
            // heartbeat, or QUIC's 10 s idle timeout): the room must wait for their journals.
            tokio::time::sleep(hold * 3 / 4).await;
            eprintln!("loadgen: the proctor ends the exam while they are cut off");
            let at = Instant::now();
            let reply = control::send(&setup.data_dir, Ctl::End).await.context("press End")?;
            ensure!(reply.ok, "End refused: {}", reply.message);
            let _ = ended.send(Some(at));
            tokio::time::sleep(hold / 4).await;
        } else {
            tokio::time::sleep(hold).await;
        }
        proxy.set_cut(false);
    }
    let Some(proctor) = setup.proctor.as_mut() else { return Ok(()) };
    if options.faults.contains(&Fault::KillProctor) {
        tokio::time::sleep(phase / 3).await;
        eprintln!("loadgen: kill -9 the proctor, restart it on the same data directory");
        proctor.kill_and_restart(false).await?;
    }
    if options.faults.contains(&Fault::PowerCut) {
        tokio::time::sleep(phase / 3).await;
        eprintln!("loadgen: power cut: every client process and the proctor killed together; all restart");
        let _ = power.send(Some(Instant::now()));
        proctor.kill_and_restart(false).await?;
    }
    if options.faults.contains(&Fault::DiskFull) {
        tokio::time::sleep(phase / 3).await;
        eprintln!("loadgen: disk full: the proctor's store can grow no more for {} s", hold.as_secs());
        proctor.kill_and_restart(true).await?;
        // Clients find the restarted proctor after their idle timeout; the store fills with
        // their first writes. Hold the full disk `hold` past the alarm.
        let give_up = Instant::now() + Duration::from_secs(60);
        while !faults.disk_full_alarm && Instant::now() < give_up {
            tokio::time::sleep(Duration::from_millis(250)).await;
            if let Ok(reply) = control::send(&setup.data_dir, Ctl::Status).await
                && !reply.data["store_alarm"].is_null()
            {
                faults.disk_full_alarm = true;
                eprintln!("loadgen: the proctor raised its store alarm");
            }
        }
        tokio::time::sleep(hold).await;
        eprintln!("loadgen: disk space back: restart the proctor without the limit");
        proctor.kill_and_restart(false).await?;
    }
    Ok(())
}

async fn own_proctor(dir: &Path, clients: usize, spare: usize) -> anyhow::Result<Setup> {
    let roster = roster_csv(clients + spare);
    let day = exam_day(dir, 4, &roster).await.map_err(|e| anyhow::anyhow!("exam set-up: {e}"))?;
    let ids: Vec<String> = roster.lines().skip(1).filter_map(|l| l.split(',').nth(1)).map(str::to_owned).collect();
    let lab_out = dir.join("lab.toml");
    let proctor = ProctorProcess::start(day.data.path(), &lab_out).await?;
    let lab = LabConfig::load(&lab_out)?;
    Ok(Setup {
        data_dir: day.data.path().to_path_buf(),
        lab,
        room_code: proctor.room_code.clone(),
        students: ids[..clients].to_vec(),
        spare: ids[clients..].to_vec(),
        proctor: Some(proctor),
    })
}

fn existing_proctor(options: &Options, lab: &Path) -> anyhow::Result<Setup> {
    let data_dir = options.data.clone().context("--data")?;
    let reader = Reader::open_in(&data_dir)?;
    let students: Vec<String> = reader.students()?.into_iter().map(|s| s.student_id).collect();
    let spare = students[options.clients.min(students.len())..].to_vec();
    Ok(Setup {
        data_dir,
        lab: LabConfig::load(lab)?,
        room_code: options.room_code.clone().context("--room-code")?,
        students,
        spare,
        proctor: None,
    })
}

#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the fields
fn build_report(
    options: &Options,
    outcomes: &[Outcome],
    start_at: Instant,
    start_to_all_keys: Duration,
    usage: crate::proctor::Usage,
    mut faults: Faults,
    findings: crate::check::Findings,
    wall: Instant,
    ended_at: Option<Instant>,
) -> Report {
    let mut ack_us: Vec<u32> = outcomes.iter().flat_map(|o| o.ack_us.iter().copied()).collect();
    let events_acked = ack_us.len() as u64;
    let last_ack = outcomes.iter().filter_map(|o| o.last_ack).max().unwrap_or(start_at);
    let answering = last_ack.duration_since(start_at).as_secs_f64();
    faults.reconnects = outcomes.iter().map(|o| u64::from(o.reconnects)).sum();
    faults.seat_moves = outcomes.iter().filter(|o| o.seat_moved).count();
    faults.approvals_needed = outcomes.iter().filter(|o| o.approval_needed).count();
    if let Some(end) = ended_at {
        faults.late_answers_accepted =
            outcomes.iter().flat_map(|o| o.sent.iter()).filter(|s| s.acked && s.at >= end).count();
        faults.late_answers_refused = outcomes.iter().flat_map(|o| o.sent.iter()).filter(|s| s.refused_late).count();
        faults.lost_before_end = outcomes.iter().flat_map(|o| o.sent.iter()).filter(|s| s.at < end && !s.acked).count();
    }
    faults.back_after_power_cut = outcomes.iter().filter(|o| o.back_after_power_cut.is_some()).count();
    faults.last_back_s = outcomes.iter().filter_map(|o| o.back_after_power_cut).max().unwrap_or_default().as_secs_f64();
    faults.offline_reasons = tally(outcomes.iter().flat_map(|o| o.offline.iter()));
    let mut problems: Vec<String> = outcomes.iter().filter_map(|o| o.error.clone()).take(10).collect();
    problems.extend(findings.examples.iter().cloned());
    if faults.drills.iter().any(|d| d == "disk-full") && !faults.disk_full_alarm {
        problems.push("disk-full: the proctor never raised its store alarm".into());
    }
    let mut login_us: Vec<u32> = outcomes
        .iter()
        .filter_map(|o| o.ready_after)
        .map(|d| u32::try_from(d.as_micros()).unwrap_or(u32::MAX))
        .collect();
    Report {
        clients: options.clients,
        connected: outcomes.iter().filter(|o| o.admitted_after.is_some()).count(),
        login_s: outcomes.iter().filter_map(|o| o.ready_after).max().unwrap_or_default().as_secs_f64(),
        login_ms: Percentiles::of(&mut login_us),
        start_to_all_keys_ms: start_to_all_keys.as_secs_f64() * 1000.0,
        ack_ms: Percentiles::of(&mut ack_us),
        events_acked,
        events_per_s: if answering > 0.0 { events_acked as f64 / answering } else { 0.0 },
        submitted: outcomes.iter().filter(|o| o.receipt_code.is_some()).count(),
        receipts_verified: outcomes.iter().filter(|o| o.receipt_verified).count(),
        lost_answers: findings.lost_answers,
        broken_chains: findings.broken_chains,
        receipt_mismatches: findings.receipt_mismatches,
        failed_clients: outcomes.iter().filter(|o| o.error.is_some()).count(),
        proctor_rss_mb: usage.peak_rss_mb,
        proctor_cpu_s: usage.cpu_s,
        wall_s: wall.elapsed().as_secs_f64(),
        faults,
        machine: machine(),
        problems,
    }
}

/// Counts equal reasons, most frequent first, at most five.
fn tally<'a>(reasons: impl Iterator<Item = &'a String>) -> Vec<(String, u64)> {
    let mut counts: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for reason in reasons {
        *counts.entry(reason.as_str()).or_default() += 1;
    }
    let mut sorted: Vec<(String, u64)> = counts.into_iter().map(|(r, n)| (r.to_owned(), n)).collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sorted.truncate(5);
    sorted
}
