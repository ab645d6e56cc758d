//! Publishing to a real OneRoster 1.2 grade book on loopback (`support/gradebook.rs`): the happy
//! path, an outage mid-publish and recovery, 429/5xx retries with `Retry-After`, a proctor
//! restart that sends nothing twice and loses nothing, a re-publish after a score changed, a 4xx
//! marked failed with the server's message, and clear errors for bad settings.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

mod support;

use phongthi_crypto::{ExamId, SessionId};
use phongthi_results::publish::{ClientSecret, PublishError, PublishTarget, RetryPolicy, publish_exam, publish_status};
use phongthi_store::admin::open_store;
use phongthi_store::datadir::DataDir;
use phongthi_store::demo::{ROSTER_CSV, exam_day};
use phongthi_store::{OutboxState, ScoreRecord, Store};
use std::time::Duration;
use support::gradebook::{CLIENT_ID, CLIENT_SECRET, Gradebook, Scripted};

/// Fast retries so the tests take seconds; the real defaults are in `RetryPolicy::default`.
fn quick() -> RetryPolicy {
    RetryPolicy {
        first_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        max_retry_after: Duration::from_secs(2),
        give_up_after: Duration::from_secs(20),
    }
}

struct Day {
    _dir: tempfile::TempDir,
    data: DataDir,
    exam: ExamId,
    sessions: Vec<(String, SessionId)>,
}

/// An exam day from the example files: three of the five students scored, one logged in
/// without submitting, one absent.
async fn day() -> Day {
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 2, ROSTER_CSV).await.unwrap();
    let (store, _) = open_store(&day.data, None).unwrap();
    let students =
        [("0123456789", Some(7_250)), ("0123456791", Some(10_000)), ("0123456793", Some(9_000)), ("0123456790", None)];
    let sessions = support::sessions::scored(&store, day.exam_id, 0, &students).await;
    store.close().unwrap();
    Day { data: day.data, exam: day.exam_id, sessions, _dir: dir }
}

/// A score graded again at `at` (a later mark, a corrected sheet).
fn score(milli: i64, at: u64) -> ScoreRecord {
    ScoreRecord { scored_ms: at, ..support::sessions::score(milli) }
}

fn open(day: &Day) -> Store {
    open_store(&day.data, None).unwrap().0
}

fn target(server: &Gradebook) -> PublishTarget {
    PublishTarget::new(&server.url(), None, CLIENT_ID).unwrap()
}

fn secret() -> ClientSecret {
    ClientSecret::new(CLIENT_SECRET)
}

/// 1 category + 1 line item (class 10A1) + 5 results.
const OBJECTS: u32 = 7;

fn result_key(day: &Day, student: &str) -> (String, String) {
    ("results".to_owned(), format!("phongthi-{}-{student}", day.exam.to_hex()))
}

#[tokio::test]
async fn happy_path_sends_every_object_once_with_the_binding_fields() {
    let day = day().await;
    let server = Gradebook::start();
    let store = open(&day);
    let report = publish_exam(&store, &day.exam, &target(&server), secret(), &quick(), "giám thị").await.unwrap();
    assert_eq!((report.queued, report.delivered, report.pending, report.refused), (7, 7, 0, 0), "{report:?}");
    server.with(|s| {
        assert!(s.violations.is_empty(), "{:?}", s.violations);
        assert_eq!(s.tokens_issued, 1, "the token is reused");
        assert!(s.puts.values().all(|n| *n == 1), "{:?}", s.puts);
        assert_eq!(s.puts.values().sum::<u32>(), OBJECTS);
        // Order: category, then the line item, then the results.
        let paths: Vec<&str> = s.log.iter().filter(|l| l.1 == "PUT").map(|l| l.2.as_str()).collect();
        assert!(paths[0].contains("/categories/") && paths[1].contains("/lineItems/"), "{paths:?}");
        assert!(paths[2..].iter().all(|p| p.contains("/results/")), "{paths:?}");
    });
    let an = server.with(|s| s.bodies[&result_key(&day, "0123456789")].clone());
    assert_eq!(an["scoreStatus"], "fully graded");
    assert_eq!(an["score"].to_string(), "7.3", "7.25 rounds half-up to 7.3");
    assert_eq!(an["student"]["sourcedId"], "0123456789");
    assert_eq!(an["lineItem"]["sourcedId"], format!("phongthi-{}-10A1", day.exam.to_hex()));
    assert_eq!(an["scoreDate"], "2026-11-22");
    let absent = server.with(|s| s.bodies[&result_key(&day, "0123456792")].clone());
    assert_eq!(absent["scoreStatus"], "not submitted");
    assert_eq!(absent["comment"], "Vắng");
    assert!(absent.get("score").is_none());

    // Status, and the audit log holds both ends of the run without the secret.
    let reader = store.reader().unwrap();
    let (entries, summary) = publish_status(&reader, &day.exam, None).unwrap();
    assert_eq!((summary.done, summary.pending, summary.failed), (7, 0, 0));
    assert!(entries.iter().all(|e| e.state == OutboxState::Done && e.attempts == 1));
    let audit = reader.audit_entries().unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.entry.action.as_str()).collect();
    assert!(actions.ends_with(&["publish.start", "publish.end"]), "{actions:?}");
    assert!(audit.iter().all(|e| !e.entry.detail.contains(CLIENT_SECRET)));
    reader.verify_audit(&store.proctor_key()).unwrap();

    // Publishing again sends nothing: everything is unchanged and done.
    let again = publish_exam(&store, &day.exam, &target(&server), secret(), &quick(), "giám thị").await.unwrap();
    assert_eq!((again.queued, again.unchanged, again.delivered), (0, 7, 0));
    assert_eq!(server.total_puts(), OBJECTS);
    store.close().unwrap();
    // The secret is nowhere in the database file.
    let bytes = std::fs::read(day.data.path().join("proctor.sqlite")).unwrap();
    assert!(!bytes.windows(CLIENT_SECRET.len()).any(|w| w == CLIENT_SECRET.as_bytes()));
}

#[tokio::test]
async fn retries_429_and_5xx_honouring_retry_after() {
    let day = day().await;
    let server = Gradebook::start();
    server.with(|s| {
        s.script.push_back(Scripted { status: 503, retry_after: None, body: "bảo trì".into() });
        s.script.push_back(Scripted { status: 429, retry_after: Some(1), body: "chậm lại".into() });
        s.script.push_back(Scripted { status: 500, retry_after: None, body: String::new() });
    });
    let store = open(&day);
    let report = publish_exam(&store, &day.exam, &target(&server), secret(), &quick(), "giám thị").await.unwrap();
    assert_eq!((report.delivered, report.retries, report.pending), (7, 3, 0), "{report:?}");
    server.with(|s| {
        assert!(s.violations.is_empty(), "{:?}", s.violations);
        assert!(s.puts.values().all(|n| *n == 1), "{:?}", s.puts);
        let puts: Vec<_> = s.log.iter().filter(|l| l.1 == "PUT").collect();
        let after_429 = puts.iter().position(|l| l.3 == 429).unwrap();
        let waited = puts[after_429 + 1].0 - puts[after_429].0;
        assert!(waited >= Duration::from_secs(1), "Retry-After: 1 honoured, waited {waited:?}");
    });
    let (entries, _) = publish_status(&store.reader().unwrap(), &day.exam, None).unwrap();
    assert_eq!(entries[0].attempts, 4, "the category took three retries");
}

#[tokio::test]
async fn an_outage_leaves_entries_pending_and_the_next_run_finishes() {
    let day = day().await;
    let server = Gradebook::start();
    // Two objects get through, then the grade book goes down.
    let store = open(&day);
    let policy = RetryPolicy { give_up_after: Duration::from_millis(600), ..quick() };
    server.with(|s| s.down_after_puts = Some(2));
    let report = publish_exam(&store, &day.exam, &target(&server), secret(), &policy, "giám thị").await.unwrap();
    assert!(report.pending > 0 && report.stopped.is_some(), "{report:?}");
    let (entries, summary) = publish_status(&store.reader().unwrap(), &day.exam, None).unwrap();
    assert_eq!(summary.done + summary.pending, 7);
    let waiting = entries.iter().find(|e| e.state == OutboxState::Pending).unwrap();
    assert!(waiting.last_error.as_deref().unwrap().contains("cannot reach"), "{waiting:?}");
    assert!(waiting.attempts >= 1);

    server.with(|s| s.down = false);
    let report = publish_exam(&store, &day.exam, &target(&server), secret(), &quick(), "giám thị").await.unwrap();
    assert_eq!((report.queued, report.pending), (0, 0), "nothing new queued, the rest resumed: {report:?}");
    server.with(|s| {
        assert!(s.violations.is_empty(), "{:?}", s.violations);
        assert_eq!(s.puts.len() as u32, OBJECTS, "every object arrived");
        assert!(s.puts.values().all(|n| *n == 1), "none twice: {:?}", s.puts);
    });
}

#[tokio::test]
async fn a_restart_sends_nothing_twice_and_loses_nothing() {
    let day = day().await;
    let server = Gradebook::start();
    // First proctor process: the grade book is down from the start; the run gives up quickly.
    {
        let store = open(&day);
        server.with(|s| s.down = true);
        let policy = RetryPolicy { give_up_after: Duration::from_millis(200), ..quick() };
        let report = publish_exam(&store, &day.exam, &target(&server), secret(), &policy, "giám thị").await.unwrap();
        assert_eq!((report.queued, report.delivered), (7, 0));
        // Then a crash: everything dropped without an orderly close of the run.
        drop(store);
    }
    server.with(|s| s.down = false);
    // Second process: the queue is still there, and one more score arrived in the meantime.
    let store = open(&day);
    let late = day.sessions.iter().find(|(s, _)| s == "0123456790").unwrap().1;
    store.record_score(late, score(5_500, 1_795_339_000_000), None).await.unwrap();
    let report = publish_exam(&store, &day.exam, &target(&server), secret(), &quick(), "giám thị").await.unwrap();
    assert_eq!(report.queued, 1, "only the changed result is queued again: {report:?}");
    assert_eq!(report.pending, 0);
    server.with(|s| {
        assert!(s.violations.is_empty(), "{:?}", s.violations);
        assert_eq!(s.puts.len() as u32, OBJECTS);
        assert!(s.puts.values().all(|n| *n == 1), "{:?}", s.puts);
    });
    let late_body = server.with(|s| s.bodies[&result_key(&day, "0123456790")].clone());
    assert_eq!(late_body["score"].to_string(), "5.5");
    // The superseded version stays as history, failed, and is not counted.
    let (entries, summary) = publish_status(&store.reader().unwrap(), &day.exam, None).unwrap();
    assert_eq!((summary.done, summary.pending, summary.failed), (7, 0, 0));
    assert_eq!(entries.len(), 8);
    store.close().unwrap();
}

#[tokio::test]
async fn a_changed_score_is_sent_again_and_only_it() {
    let day = day().await;
    let server = Gradebook::start();
    let store = open(&day);
    publish_exam(&store, &day.exam, &target(&server), secret(), &quick(), "giám thị").await.unwrap();
    let an = day.sessions[0].1;
    store.record_score(an, score(8_250, 1_795_340_000_000), None).await.unwrap();
    let report = publish_exam(&store, &day.exam, &target(&server), secret(), &quick(), "giám thị").await.unwrap();
    assert_eq!((report.queued, report.unchanged, report.delivered), (1, 6, 1), "{report:?}");
    server.with(|s| {
        assert_eq!(s.puts[&result_key(&day, "0123456789")], 2);
        assert_eq!(s.puts.values().sum::<u32>(), OBJECTS + 1);
        assert_eq!(s.bodies[&result_key(&day, "0123456789")]["score"].to_string(), "8.3");
    });
}

#[tokio::test]
async fn a_refused_result_is_failed_with_the_servers_message_and_the_rest_goes_on() {
    let day = day().await;
    let server = Gradebook::start();
    server.with(|s| s.refuse_student = Some("0123456791".into()));
    let store = open(&day);
    let report = publish_exam(&store, &day.exam, &target(&server), secret(), &quick(), "giám thị").await.unwrap();
    assert_eq!((report.delivered, report.refused, report.pending), (6, 1, 0), "{report:?}");
    let (entries, summary) = publish_status(&store.reader().unwrap(), &day.exam, None).unwrap();
    assert_eq!(summary.failed, 1);
    let failed = entries.iter().find(|e| e.state == OutboxState::Failed).unwrap();
    assert_eq!(failed.last_status, Some(422));
    assert_eq!(failed.attempts, 1, "no retry of a 4xx");
    let error = failed.last_error.as_deref().unwrap();
    assert!(error.contains("HTTP 422") && error.contains("student not enrolled"), "{error}");
}

#[tokio::test]
async fn a_revoked_token_is_replaced_once_and_bad_credentials_stop_the_run() {
    let day = day().await;
    let server = Gradebook::start();
    let store = open(&day);
    server.with(|s| s.revoke_next = true);
    let report = publish_exam(&store, &day.exam, &target(&server), secret(), &quick(), "giám thị").await.unwrap();
    assert_eq!(report.delivered, 7);
    assert_eq!(server.with(|s| s.tokens_issued), 2, "a 401 fetches one new token");

    let other = tempfile::tempdir().unwrap();
    let fresh = day_in(other.path()).await;
    let store2 = open(&fresh);
    let wrong = ClientSecret::new("sai-mật-khẩu");
    let error = publish_exam(&store2, &fresh.exam, &target(&server), wrong, &quick(), "giám thị").await.unwrap_err();
    assert!(matches!(error, PublishError::Unauthorized(_)), "{error}");
    assert!(error.to_string().contains("refuses the client id/secret"), "{error}");
    assert!(!error.to_string().contains("sai-mật-khẩu"));
    let (_, summary) = publish_status(&store2.reader().unwrap(), &fresh.exam, None).unwrap();
    assert_eq!(summary.pending, 7, "nothing lost: all still pending");
}

async fn day_in(dir: &std::path::Path) -> Day {
    let exam_day = exam_day(dir, 2, ROSTER_CSV).await.unwrap();
    Day { data: exam_day.data, exam: exam_day.exam_id, sessions: Vec::new(), _dir: tempfile::tempdir().unwrap() }
}

#[test]
fn bad_settings_are_refused_clearly() {
    for url in ["gradebook.truong.edu.vn", "ftp://x", "http://", "http://:80", "https://a.vn/x?y=1"] {
        let error = PublishTarget::new(url, None, CLIENT_ID).unwrap_err();
        assert!(error.to_string().contains("bad grade-book URL"), "{url}: {error}");
    }
    let target = PublishTarget::new("http://10.0.0.5:8080/api/", None, CLIENT_ID).unwrap();
    assert_eq!(target.base_url, "http://10.0.0.5:8080/api");
    assert_eq!(target.token_url, "http://10.0.0.5:8080/api/token");
    assert!(!format!("{target:?}").contains("secret"));
    let missing = ClientSecret::from_file(std::path::Path::new("/khong/co/secret.txt")).err().unwrap();
    assert!(missing.to_string().contains("/khong/co/secret.txt"), "{missing}");
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("secret.txt");
    std::fs::write(&empty, "\n").unwrap();
    let error = ClientSecret::from_file(&empty).err().unwrap();
    assert!(error.to_string().contains("empty"), "{error}");
}

#[tokio::test]
async fn proctor_publish_and_its_status_through_the_binary() {
    let day = day().await;
    let server = Gradebook::start();
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("client-secret.txt");
    std::fs::write(&secret_file, format!("{CLIENT_SECRET}\n")).unwrap();
    let exam = day.exam.to_hex();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_proctor"))
            .arg("--data")
            .arg(day.data.path())
            .args(["--lang", "en", "publish", "--exam", &exam])
            .args(args)
            .output()
            .unwrap()
    };
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    server.with(|s| s.refuse_student = Some("0123456792".into()));
    let url = server.url();
    let secret_arg = secret_file.to_str().unwrap();
    let published = run(&["--oneroster", &url, "--client-id", CLIENT_ID, "--client-secret-file", secret_arg]);
    assert!(published.status.success(), "{}", text(&published.stderr));
    let stdout = text(&published.stdout);
    assert!(stdout.contains("Queued: 7, Unchanged: 0, Published: 6, Refused: 1, Pending: 0"), "{stdout}");
    assert!(!stdout.contains(CLIENT_SECRET) && !text(&published.stderr).contains(CLIENT_SECRET));

    let status = run(&["--status"]);
    assert!(status.status.success(), "{}", text(&status.stderr));
    let stdout = text(&status.stdout);
    assert!(stdout.contains("Published: 6, Pending: 0, Failed: 1"), "{stdout}");
    assert!(
        stdout.contains("failed") && stdout.contains("HTTP 422") && stdout.contains("student not enrolled"),
        "{stdout}"
    );

    // Clear errors: a URL without a scheme, a missing secret file, a missing option.
    let bad = run(&["--oneroster", "gradebook.local", "--client-id", CLIENT_ID, "--client-secret-file", secret_arg]);
    assert!(
        !bad.status.success() && text(&bad.stderr).contains("must start with http:// or https://"),
        "{}",
        text(&bad.stderr)
    );
    let missing = run(&["--oneroster", &url, "--client-id", CLIENT_ID, "--client-secret-file", "/khong/co/tep"]);
    assert!(!missing.status.success() && text(&missing.stderr).contains("/khong/co/tep"), "{}", text(&missing.stderr));
    let incomplete = run(&["--oneroster", &url]);
    assert!(
        !incomplete.status.success() && text(&incomplete.stderr).contains("--client-id"),
        "{}",
        text(&incomplete.stderr)
    );
}

#[tokio::test]
async fn https_goes_through_rustls_and_a_failed_handshake_is_a_retryable_error() {
    // The loopback server speaks plain HTTP: an https:// URL makes rustls (ring provider) try a
    // handshake, which fails, and the entries stay pending with the reason, nothing panics.
    let day = day().await;
    let server = Gradebook::start();
    let store = open(&day);
    let tls = PublishTarget::new(&format!("https://{}", server.addr), None, CLIENT_ID).unwrap();
    let policy = RetryPolicy { give_up_after: Duration::from_millis(300), ..quick() };
    let report = publish_exam(&store, &day.exam, &tls, secret(), &policy, "giám thị").await.unwrap();
    assert_eq!((report.delivered, report.pending), (0, 7), "{report:?}");
    let (entries, _) = publish_status(&store.reader().unwrap(), &day.exam, None).unwrap();
    let error = entries[0].last_error.as_deref().unwrap();
    assert!(error.contains("cannot reach") && error.contains("https://"), "{error}");
    assert_eq!(server.total_puts(), 0);
}

#[tokio::test]
async fn an_outage_within_a_run_is_ridden_out_by_the_retries() {
    let day = day().await;
    let server = Gradebook::start();
    server.with(|s| s.down_after_puts = Some(3));
    // Back up once the publisher has hit the outage twice.
    let state = server.state.clone();
    let healer = std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        while std::time::Instant::now() < deadline {
            {
                let mut s = state.lock().unwrap();
                if s.dropped_while_down >= 2 {
                    s.down = false;
                    return true;
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        false
    });
    let store = open(&day);
    let report = publish_exam(&store, &day.exam, &target(&server), secret(), &quick(), "giám thị").await.unwrap();
    assert!(healer.join().unwrap(), "the publisher never hit the outage");
    assert_eq!((report.delivered, report.pending), (7, 0), "{report:?}");
    assert!(report.retries >= 2, "{report:?}");
    server.with(|s| assert!(s.puts.values().all(|n| *n == 1) && s.puts.len() as u32 == OBJECTS, "{:?}", s.puts));
}

#[tokio::test]
async fn a_second_publish_at_the_same_time_is_refused() {
    let day = day().await;
    let server = Gradebook::start();
    // The first run is held up by a grade book that asks to wait a second.
    server.with(|s| s.script.push_back(Scripted { status: 429, retry_after: Some(1), body: String::new() }));
    let store = std::sync::Arc::new(open(&day));
    let first = {
        let (store, target, exam) = (store.clone(), target(&server), day.exam);
        tokio::spawn(async move { publish_exam(&store, &exam, &target, secret(), &quick(), "giám thị").await })
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while server.with(|s| s.log.iter().all(|l| l.3 != 429)) {
        assert!(std::time::Instant::now() < deadline, "the first run never started");
        tokio::task::yield_now().await;
    }
    let second = publish_exam(&store, &day.exam, &target(&server), secret(), &quick(), "giám thị").await.unwrap_err();
    assert!(matches!(second, PublishError::Busy), "{second}");
    assert!(second.to_string().contains("another publish is running"), "{second}");
    let report = first.await.unwrap().unwrap();
    assert_eq!(report.delivered, 7);
    // Once it is over, the next run may go.
    let again = publish_exam(&store, &day.exam, &target(&server), secret(), &quick(), "giám thị").await.unwrap();
    assert_eq!(again.unchanged, 7);
    assert!(server.with(|s| s.puts.values().all(|n| *n == 1)));
}

#[tokio::test]
async fn a_vietnamese_class_name_keeps_its_sourced_id_through_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let roster = "STT,Mã học sinh,Họ và tên,Lớp,Ngày sinh\n1,0123456789,Nguyễn Văn An,10 Chuyên Toán,05/03/2010\n";
    let exam_day = exam_day(dir.path(), 2, roster).await.unwrap();
    let server = Gradebook::start();
    let (store, _) = open_store(&exam_day.data, None).unwrap();
    let report =
        publish_exam(&store, &exam_day.exam_id, &target(&server), secret(), &quick(), "giám thị").await.unwrap();
    assert_eq!(report.delivered, 3, "{report:?}");
    let exam = exam_day.exam_id.to_hex();
    let line_item = format!("phongthi-{exam}-10%20Chuy%C3%AAn%20To%C3%A1n");
    server.with(|s| {
        assert!(s.violations.is_empty(), "{:?}", s.violations);
        assert!(s.puts.contains_key(&("lineItems".to_owned(), line_item.clone())), "{:?}", s.puts);
        let result = &s.bodies[&("results".to_owned(), format!("phongthi-{exam}-0123456789"))];
        assert_eq!(result["lineItem"]["sourcedId"], line_item);
        assert_eq!(result["class"]["sourcedId"], "10 Chuyên Toán");
    });
}
