//! The dashboard's line to the server: a background task on the server's tokio runtime that
//! polls the room (status twice a second, the incident log, results after each new submission)
//! and carries out the proctor's actions through the [`RoomHandle`]. The window talks to it only
//! with `try_send`/`try_recv`, so a slow store never stalls a frame.

use super::state::{Action, MarkingData, QuestionStat, ResultRow, ResultsData, Update};
use phongthi_items::MilliPoints;
use phongthi_question_bank::exam::Exam;
use phongthi_results::export::{DecimalMark, build_rows};
use phongthi_server::control::Reply;
use phongthi_server::{ExportRequest, RoomHandle};
use phongthi_store::Reader;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc;

/// How often the room is polled.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The window's ends of the channels.
pub struct Link {
    /// Actions to carry out (`try_send`).
    pub actions: mpsc::Sender<Action>,
    /// What the server reported (`try_recv`).
    pub updates: mpsc::Receiver<Update>,
}

/// Starts the background task on `runtime`; `export_dir` is where exports are written.
/// `repaint` is called after each update so the window redraws without input.
pub fn spawn(
    runtime: &tokio::runtime::Handle,
    room: RoomHandle,
    export_dir: PathBuf,
    repaint: Box<dyn Fn() + Send + Sync>,
) -> Link {
    let (actions_tx, actions_rx) = mpsc::channel(32);
    let (updates_tx, updates_rx) = mpsc::channel(64);
    runtime.spawn(run(room, export_dir, actions_rx, updates_tx, repaint));
    Link { actions: actions_tx, updates: updates_rx }
}

async fn run(
    room: RoomHandle,
    export_dir: PathBuf,
    mut actions: mpsc::Receiver<Action>,
    updates: mpsc::Sender<Update>,
    repaint: Box<dyn Fn() + Send + Sync>,
) {
    let mut tick = tokio::time::interval(POLL_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut incidents_seen = None;
    let mut submitted_seen = None;
    loop {
        let update_list = tokio::select! {
            action = actions.recv() => {
                let Some(action) = action else { return };
                act(&room, &export_dir, action).await
            }
            _ = tick.tick() => poll(&room, &mut incidents_seen, &mut submitted_seen).await,
        };
        for update in update_list {
            if updates.send(update).await.is_err() {
                return;
            }
        }
        repaint();
    }
}

async fn act(room: &RoomHandle, export_dir: &std::path::Path, action: Action) -> Vec<Update> {
    if let Action::Mark(mark) = action {
        let done = match room.mark(mark.clone()).await {
            Ok(outcome) => Update::Notice(format!(
                "√ Đã lưu điểm / mark saved: {} câu {}: {} → {}",
                mark.code,
                mark.question,
                outcome.old_scaled.map(|s| s.to_string()).unwrap_or_else(|| "—".into()),
                outcome.new_scaled,
            )),
            Err(e) => Update::Notice(format!("⨯ {} câu {}: {e}", mark.code, mark.question)),
        };
        let mut updates = vec![done];
        updates.extend(read_marking(room).await);
        return updates;
    }
    vec![act_other(room, export_dir, action).await]
}

async fn act_other(room: &RoomHandle, export_dir: &std::path::Path, action: Action) -> Update {
    match action {
        Action::Mark(_) => Update::Notice(String::new()),
        Action::LabSheet => {
            let (room, dir) = (room.clone(), export_dir.to_path_buf());
            let written = tokio::task::spawn_blocking(move || write_lab_sheet(&room, &dir)).await;
            match written {
                Ok(Ok(path)) => {
                    Update::Notice(format!("Đã ghi phiếu phòng máy / lab sheet written: {}", path.display()))
                }
                Ok(Err(e)) => Update::Notice(e),
                Err(e) => Update::Notice(e.to_string()),
            }
        }
        Action::Control(label, command) => match room.command(command).await {
            Ok(reply) => Update::ActionDone(label, reply),
            Err(e) => Update::ActionDone(label, Reply { ok: false, message: e.to_string(), data: Default::default() }),
        },
        Action::ExportResults(format) => {
            let request = ExportRequest { format, decimal: DecimalMark::Comma, out_dir: export_dir.to_path_buf() };
            match room.export(request).await {
                Ok(report) => Update::Notice(format!("Đã xuất / exported: {}", report.files.join(", "))),
                Err(e) => Update::Notice(e.to_string()),
            }
        }
        Action::ExportIncidents => {
            let (room, dir) = (room.clone(), export_dir.to_path_buf());
            let written = tokio::task::spawn_blocking(move || super::incidents::export_csv(&room, &dir)).await;
            match written {
                Ok(Ok(path)) => Update::Notice(format!("Đã xuất / exported: {}", path.display())),
                Ok(Err(e)) => Update::Notice(e),
                Err(e) => Update::Notice(e.to_string()),
            }
        }
    }
}

async fn poll(
    room: &RoomHandle,
    incidents_seen: &mut Option<usize>,
    submitted_seen: &mut Option<usize>,
) -> Vec<Update> {
    let status = match room.status().await {
        Ok(status) => status,
        Err(e) => return vec![Update::Notice(e.to_string())],
    };
    let submitted = status.seats.iter().filter(|s| s.receipt_code.is_some()).count();
    let reload_results = *submitted_seen != Some(submitted);
    let room_for_reads = room.clone();
    let reads = tokio::task::spawn_blocking(move || {
        let reader = room_for_reads.reader().map_err(|e| e.to_string())?;
        let incidents = reader.incidents(None).map_err(|e| e.to_string())?;
        let results = if reload_results { Some(read_results(&reader, &room_for_reads)?) } else { None };
        Ok::<_, String>((incidents, results))
    })
    .await;
    let mut updates = vec![Update::Status(Box::new(status))];
    match reads {
        Ok(Ok((incidents, results))) => {
            if *incidents_seen != Some(incidents.len()) {
                *incidents_seen = Some(incidents.len());
                updates.push(Update::Incidents(incidents));
            }
            if let Some(results) = results {
                *submitted_seen = Some(submitted);
                updates.push(Update::Results(Box::new(results)));
                updates.extend(read_marking(room).await);
            }
        }
        Ok(Err(e)) => updates.push(Update::Notice(e)),
        Err(e) => updates.push(Update::Notice(e.to_string())),
    }
    updates
}

/// Writes `phieu-phong-may-<exam>.pdf` (address, fingerprint, room code, login slips) into `dir`.
pub fn write_lab_sheet(room: &RoomHandle, dir: &std::path::Path) -> Result<PathBuf, String> {
    let pdf = room.lab_sheet_pdf().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let name = format!("phieu-phong-may-{}.pdf", room.exam_id().to_hex());
    phongthi_results::export::manifest::write_whole(dir, &name, &pdf).map_err(|e| e.to_string())?;
    Ok(dir.join(name))
}

/// Reads the essays to mark (blind) and the progress, off the async threads.
async fn read_marking(room: &RoomHandle) -> Option<Update> {
    let room = room.clone();
    let read = tokio::task::spawn_blocking(move || {
        let reader = room.reader().map_err(|e| e.to_string())?;
        let exam = room.exam_id();
        let essays = phongthi_results::marking::list_essays(&reader, &exam, true, false).map_err(|e| e.to_string())?;
        let progress = phongthi_results::marking::progress(&reader, &exam).map_err(|e| e.to_string())?;
        Ok::<_, String>(MarkingData { essays, progress })
    })
    .await;
    match read {
        Ok(Ok(data)) => Some(Update::Marking(Box::new(data))),
        Ok(Err(e)) => Some(Update::Notice(e)),
        Err(e) => Some(Update::Notice(e.to_string())),
    }
}

/// Reads the results of the room's exam: one row per roster student (as the exports have them)
/// and, per question of the first form, how many sheets got full marks.
pub fn read_results(reader: &Reader, room: &RoomHandle) -> Result<ResultsData, String> {
    let exam_id = room.exam_id();
    let record = reader.exam(&exam_id).map_err(|e| e.to_string())?.ok_or("no exam")?;
    let exam: Exam = serde_json::from_str(&record.exam_json).map_err(|e| e.to_string())?;
    let students = reader.students().map_err(|e| e.to_string())?;
    let sessions = reader.sessions_of_exam(&exam_id).map_err(|e| e.to_string())?;
    let scores = reader.scores_of_exam(&exam_id).map_err(|e| e.to_string())?;
    let raw_of = |id: &str| {
        scores
            .iter()
            .find(|s| s.student_id == id)
            .map(|s| {
                format!("{}/{}", MilliPoints::from_milli(s.score.raw_milli), MilliPoints::from_milli(s.score.max_milli))
            })
            .unwrap_or_default()
    };
    let rows = build_rows(&students, &sessions, &scores)
        .into_iter()
        .map(|row| ResultRow {
            raw: raw_of(&row.student_id),
            note: row.note,
            student_id: row.student_id,
            full_name: row.full_name,
            class: row.class,
            score_tenths: row.score_tenths,
        })
        .collect();
    let questions = question_stats(&exam, &sessions, &scores);
    Ok(ResultsData {
        rows,
        questions,
        scale_tenths: phongthi_results::export::rows::milli_to_tenths(exam.scale().milli()),
    })
}

/// Full marks per question, counted by item so that shuffled forms add up, and numbered as on
/// the first form.
fn question_stats(
    exam: &Exam,
    sessions: &[phongthi_store::SessionProgress],
    scores: &[phongthi_store::StoredScore],
) -> Vec<QuestionStat> {
    let Some(first) = exam.forms().first() else { return Vec::new() };
    let mut stats: Vec<QuestionStat> =
        (1..=first.questions.len()).map(|number| QuestionStat { number, full_marks: 0, graded: 0 }).collect();
    for score in scores {
        let form_index = sessions.iter().find(|s| s.session.id == score.session).map(|s| s.session.form_index);
        let Some(form) = form_index.and_then(|i| exam.forms().get(i as usize)) else { continue };
        let points: Vec<String> = serde_json::from_str(&score.score.per_question_json).unwrap_or_default();
        for (question, earned) in form.questions.iter().zip(&points) {
            let Some(position) = first.questions.iter().position(|q| q.item == question.item) else { continue };
            if let Some(stat) = stats.get_mut(position) {
                stat.graded += 1;
                if earned.parse::<MilliPoints>().is_ok_and(|e| e == question.points) {
                    stat.full_marks += 1;
                }
            }
        }
    }
    stats
}
