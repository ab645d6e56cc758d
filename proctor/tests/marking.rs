//! Blind manual marking end to end: an exam with two essays and two choice questions, real signed
//! answer events and a stored submission, then `marking::list_essays` (codes, not names), marks
//! validated exactly, the score recomputed in milli-points, the audit entry, the export's note and
//! OneRoster's `partially graded` → `fully graded`, and `proctor mark` through the binary.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

mod support;

use phongthi_crypto::{
    AnswerSheet, ChainWriter, ExamId, JournalSecret, KdfParams, Passphrase, Receipt, SessionId, SigningKey, sheet_hash,
};
use phongthi_formats::template;
use phongthi_items::{ItemId, ItemKind, MilliPoints};
use phongthi_protocol::Answer;
use phongthi_question_bank::assembly::{Candidate, assemble};
use phongthi_question_bank::blueprint::Blueprint;
use phongthi_question_bank::bundle::ExamBundle;
use phongthi_question_bank::exam::Exam;
use phongthi_question_bank::forms::make_forms;
use phongthi_results::export::load_rows;
use phongthi_results::grading::grade;
use phongthi_results::marking::{MarkingError, NewMark, list_essays, marking_code, progress, record_mark};
use phongthi_results::publish::payload::score_status;
use phongthi_store::admin::{add_exam, import_roster, open_store};
use phongthi_store::datadir::DataDir;
use phongthi_store::{NewSession, ScoreRecord, Submission};
use std::process::Command;

const QUESTIONS: &str = "subject,grade,topic,level,kind,stem,a,b,c,d,answer,tolerance,pin
Ngữ văn,10,Đọc hiểu,Biết,single_choice,\"Tác giả của \"\"Truyện Kiều\"\" là ai?\",Nguyễn Du,Hồ Xuân Hương,Nguyễn Trãi,Tố Hữu,A,,
Ngữ văn,10,Đọc hiểu,Biết,single_choice,\"\"\"Bình Ngô đại cáo\"\" được viết năm nào?\",1428,1418,1427,1438,A,,
Ngữ văn,10,Viết,Vận dụng,essay,\"Viết đoạn văn (khoảng 200 chữ) về lòng biết ơn thầy cô.\",,,,,,,
Ngữ văn,10,Viết,Vận dụng cao,essay,\"Phân tích hình ảnh người lính trong bài thơ \"\"Tây Tiến\"\".\",,,,,,,
";

const BLUEPRINT: &str = r#"
title = "Kiểm tra cuối kỳ I — Ngữ văn 10"
subject = "Ngữ văn"
grade = 10
duration_minutes = 90
scale = 10
rounding_step = 0.1

[forms]
count = 1
code_start = 101
code_step = 1

[[part]]
name = "Phần I. Đọc hiểu"
kind = "single_choice"
points_each = 1.0
cells = [{ topic = "Đọc hiểu", level = "Biết", count = 2 }]

[[part]]
name = "Phần II. Viết"
kind = "essay"
points_each = 4.0
cells = [
  { topic = "Viết", level = "Vận dụng", count = 1 },
  { topic = "Viết", level = "Vận dụng cao", count = 1 },
]
"#;

const ROSTER: &str = "STT,Mã học sinh,Họ và tên,Lớp,Ngày sinh
1,0123456789,Nguyễn Văn An,10A1,05/03/2010
2,0123456790,Trần Thị Bích Ngọc,10A1,17/11/2010
";

struct Setup {
    _dir: tempfile::TempDir,
    data: DataDir,
    exam_id: ExamId,
    session: SessionId,
}

/// Nguyễn Văn An answers question 1 right, question 2 wrong, and both essays; he submits.
async fn setup() -> (Setup, Exam) {
    let dir = tempfile::tempdir().unwrap();
    let report = template::import_csv("cau-hoi.csv", QUESTIONS.as_bytes());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let candidates: Vec<Candidate> = report
        .items
        .into_iter()
        .enumerate()
        .map(|(i, item)| Candidate { id: ItemId::new(i as i64 + 1), item, usage_count: 0 })
        .collect();
    let blueprint = Blueprint::parse("ma-tran.toml", BLUEPRINT).unwrap();
    let test = assemble(&blueprint, &candidates, 7).unwrap();
    let forms = make_forms(&test, blueprint.forms(), 7);
    let exam = Exam::new(test, forms).unwrap();
    let exam_id = ExamId::generate().unwrap();
    let (teacher, reviewer) = (SigningKey::generate().unwrap(), SigningKey::generate().unwrap());
    let statements = phongthi_store::demo::approve_all(&exam, &teacher, &reviewer).unwrap();
    let bundle = ExamBundle { exam_id, created_ms: 1_795_300_000_000, exam: exam.clone(), statements };
    let passphrase = Passphrase::new("mật khẩu đề văn");
    let sealed = bundle.seal(&teacher, &passphrase, KdfParams::with_iterations(1_000).unwrap()).unwrap();
    let bundle_path = dir.path().join("van-10.exam");
    std::fs::write(&bundle_path, sealed).unwrap();
    let data = DataDir::new(dir.path().join("proctor"));
    data.init(&[], None).unwrap();
    let (store, identity) = open_store(&data, None).unwrap();
    // A teacher the school has not listed: accepted for this exam only, as `--trust-once` does;
    // the subject group's reviewer is listed, as approvals count only from listed keys.
    let head =
        phongthi_store::TrustedSigner {
            key: reviewer.public_key(), name: "Tổ trưởng tổ Văn".into(), added_ms: 0
        };
    store.trust_signer(head, "proctor").await.unwrap();
    let options = phongthi_store::admin::AddOptions { trust_once: true, practice: false };
    add_exam(&store, &identity, &bundle_path, &passphrase, options).await.unwrap();
    let roster_path = dir.path().join("ds.csv");
    std::fs::write(&roster_path, ROSTER).unwrap();
    import_roster(&store, &roster_path).await.unwrap();

    let form = &exam.forms()[0];
    let key = SigningKey::generate().unwrap();
    let session = SessionId::generate().unwrap();
    store
        .create_session(
            NewSession {
                id: session,
                exam: exam_id,
                student_id: "0123456789".into(),
                form_index: 0,
                session_key: key.public_key(),
                journal_secret: JournalSecret::from_bytes([5; 32]),
                created_ms: 1_795_336_200_000,
            },
            None,
        )
        .await
        .unwrap();
    // The presented option order decides which index is right: find it through grading.
    let mut answers: Vec<(u32, Answer)> = Vec::new();
    let mut choice_seen = 0;
    for (index, question) in form.questions.iter().enumerate() {
        let number = index as u32 + 1;
        match exam.items()[&question.item].kind() {
            ItemKind::Essay => {
                answers.push((number, Answer::Text(format!("Bài làm câu {number}: Em xin trình bày…\nDòng hai."))));
            }
            _ => {
                choice_seen += 1;
                let want_right = choice_seen == 1;
                let pick = (0u8..4)
                    .find(|p| {
                        let graded = grade(&exam, form, &[(number, Answer::Choices(vec![*p]))]).unwrap();
                        (graded.raw > MilliPoints::ZERO) == want_right
                    })
                    .unwrap();
                answers.push((number, Answer::Choices(vec![pick])));
            }
        }
    }
    let mut chain = ChainWriter::new(session);
    // An essay first typed, then cleared and typed again: the last event wins.
    let first_essay = answers.iter().find(|(_, a)| matches!(a, Answer::Text(_))).unwrap().0;
    for (number, answer) in [(first_essay, Answer::Text("nháp".into())), (first_essay, Answer::Cleared)]
        .into_iter()
        .chain(answers.iter().cloned())
    {
        let event = chain.next(&key, number, answer.encode(), 1_000).unwrap();
        store.append_event(event, 1_795_336_300_000).await.unwrap();
    }
    let graded = grade(&exam, form, &answers).unwrap();
    assert_eq!(graded.raw, MilliPoints::from_milli(1_000));
    assert_eq!(graded.pending_manual.len(), 2);
    let sheet = AnswerSheet {
        session,
        exam: exam_id,
        form_index: 0,
        student_id: "0123456789".into(),
        chain_head: chain.head(),
        event_count: chain.len(),
        started_ms: 1_795_336_200_000,
        submitted_ms: 1_795_341_000_000,
        responses: Vec::new(),
    }
    .sign(&key)
    .unwrap();
    let receipt = Receipt {
        exam: exam_id,
        session,
        student_id: "0123456789".into(),
        sheet_hash: sheet_hash(&sheet),
        received_ms: 1_795_341_000_000,
    }
    .sign(&identity)
    .unwrap();
    let per_question: Vec<String> = graded.per_question.iter().map(ToString::to_string).collect();
    let score = ScoreRecord {
        raw_milli: graded.raw.milli(),
        max_milli: graded.max.milli(),
        scaled_milli: graded.scaled.milli(),
        per_question_json: serde_json::to_string(&per_question).unwrap(),
        scored_ms: 1_795_341_000_000,
    };
    store.record_submission(Submission { sheet, receipt, score }).await.unwrap();
    store.close().unwrap();
    (Setup { _dir: dir, data, exam_id, session }, exam)
}

#[tokio::test]
async fn essays_are_listed_blind_marked_exactly_and_audited() {
    let (setup, exam) = setup().await;
    let (store, _) = open_store(&setup.data, None).unwrap();
    let reader = store.reader().unwrap();
    let code = marking_code(&setup.session);

    let pending = list_essays(&reader, &setup.exam_id, false, false).unwrap();
    assert_eq!(pending.len(), 2);
    assert!(pending.iter().all(|e| e.code == code && e.student_id.is_none() && e.mark.is_none()));
    assert!(pending.iter().all(|e| e.max == MilliPoints::from_milli(4_000)));
    assert!(pending[0].answer.starts_with("Bài làm câu") && pending[0].answer.contains("Dòng hai"), "{:?}", pending[0]);
    assert!(pending.iter().any(|e| e.prompt.contains("Tây Tiến")));
    let revealed = list_essays(&reader, &setup.exam_id, false, true).unwrap();
    assert_eq!(revealed[0].student_id.as_deref(), Some("0123456789"));

    // Partially graded until both essays are marked.
    let (_, rows) = load_rows(&reader, &setup.exam_id, 0).unwrap();
    let an = rows.iter().find(|r| r.student_id == "0123456789").unwrap();
    assert_eq!((an.unmarked_essays, score_status(an)), (2, "partially graded"));

    let mark = |question: u32, points: &str| NewMark {
        code: code.to_lowercase(),
        question,
        points: points.into(),
        comment: "Bố cục rõ, ý còn thiếu".into(),
        marker: "cô Hạnh".into(),
    };
    let (q1, q2) = (pending[0].question, pending[1].question);
    // Refusals: too many points, too precise, not a number, not an essay, unknown code.
    for bad in ["4.25", "1.125", "mười", "-1"] {
        let error = record_mark(&store, &setup.exam_id, mark(q1, bad), 1).await.unwrap_err();
        assert!(matches!(error, MarkingError::BadPoints { .. }), "{bad}: {error}");
        assert!(error.to_string().contains("0 to 4"), "{error}");
    }
    let choice = (1..=4).find(|q| ![q1, q2].contains(q)).unwrap();
    let error = record_mark(&store, &setup.exam_id, mark(choice, "1"), 1).await.unwrap_err();
    assert!(matches!(error, MarkingError::NotAnEssay { .. }), "{error}");
    let error = record_mark(&store, &setup.exam_id, NewMark { code: "M-00000000".into(), ..mark(q1, "1") }, 1)
        .await
        .unwrap_err();
    assert!(matches!(error, MarkingError::UnknownCode(_)), "{error}");

    // 1 (choice) + 2.75 = 3.75 of 10 → 3.75 on the 10-point scale rounds half-up to 3.8.
    let first = record_mark(&store, &setup.exam_id, mark(q1, "2,75"), 1_795_400_000_000).await.unwrap();
    assert_eq!(first.old_scaled, Some(MilliPoints::from_milli(1_000)));
    assert_eq!(first.new_scaled, MilliPoints::from_milli(3_800));
    // A changed mark replaces the old one: 1 + 3 + 4 = 8.
    record_mark(&store, &setup.exam_id, mark(q1, "3"), 1_795_400_001_000).await.unwrap();
    let last = record_mark(&store, &setup.exam_id, mark(q2, "4"), 1_795_400_002_000).await.unwrap();
    assert_eq!(last.new_scaled, MilliPoints::from_milli(8_000));
    let stored = reader.scores_of_exam(&setup.exam_id).unwrap();
    assert_eq!((stored[0].score.raw_milli, stored[0].score.scaled_milli), (8_000, 8_000));
    assert!(stored[0].score.per_question_json.contains("\"3\"") && stored[0].score.per_question_json.contains("\"4\""));

    let done = progress(&reader, &setup.exam_id).unwrap();
    assert_eq!((done.essays, done.marked, done.sheets_pending), (2, 2, 0));
    assert!(list_essays(&reader, &setup.exam_id, false, false).unwrap().is_empty());
    assert_eq!(
        list_essays(&reader, &setup.exam_id, true, false).unwrap()[0].mark,
        Some(MilliPoints::from_milli(3_000))
    );
    let (_, rows) = load_rows(&reader, &setup.exam_id, 0).unwrap();
    let an = rows.iter().find(|r| r.student_id == "0123456789").unwrap();
    assert_eq!((an.unmarked_essays, score_status(an), an.score_tenths), (0, "fully graded", Some(80)));

    let audit = reader.audit_entries().unwrap();
    let marks: Vec<_> = audit.iter().filter(|e| e.entry.action == "essay.mark").collect();
    assert_eq!(marks.len(), 3, "refused marks leave no entry");
    assert_eq!(marks[1].entry.actor, "cô Hạnh");
    let detail: serde_json::Value = serde_json::from_str(&marks[1].entry.detail).unwrap();
    assert_eq!((detail["old_points"].as_str(), detail["new_points"].as_str()), (Some("2.75"), Some("3")));
    assert_eq!((detail["old_score"].as_str(), detail["new_score"].as_str()), (Some("3.8"), Some("4")));
    reader.verify_audit(&store.proctor_key()).unwrap();
    drop(exam);
    drop(reader);
    store.close().unwrap();
}

#[tokio::test]
async fn proctor_mark_lists_blind_and_records_through_the_binary() {
    let (setup, _) = setup().await;
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_proctor"))
            .arg("--data")
            .arg(setup.data.path())
            .args(["--lang", "en", "mark", "--exam", &setup.exam_id.to_hex()])
            .args(args)
            .output()
            .unwrap()
    };
    let listed = run(&[]);
    let stdout = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let code = marking_code(&setup.session);
    assert!(stdout.contains(&code) && stdout.contains("Tây Tiến"), "{stdout}");
    assert!(!stdout.contains("0123456789") && !stdout.contains("Nguyễn Văn An"), "blind: {stdout}");
    assert!(stdout.contains("Progress: 0/2"), "{stdout}");
    assert!(String::from_utf8_lossy(&run(&["--reveal"]).stdout).contains("0123456789"));

    let (store, _) = open_store(&setup.data, None).unwrap();
    let question = list_essays(&store.reader().unwrap(), &setup.exam_id, false, false).unwrap()[0].question.to_string();
    store.close().unwrap();
    let marked = run(&["--code", &code, "--item", &question, "--points", "2.5", "--marker", "thầy Minh"]);
    assert!(marked.status.success(), "{}", String::from_utf8_lossy(&marked.stderr));
    assert!(
        String::from_utf8_lossy(&marked.stdout).contains("score 1 → 3.5"),
        "{}",
        String::from_utf8_lossy(&marked.stdout)
    );
    let results = Command::new(env!("CARGO_BIN_EXE_proctor"))
        .arg("--data")
        .arg(setup.data.path())
        .args(["--lang", "en", "results", "--exam", &setup.exam_id.to_hex()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&results.stdout).into_owned();
    assert!(stdout.contains("3.5/10") && stdout.contains("(1 essays to mark)"), "{stdout}");
    let refused = run(&["--code", &code, "--item", &question, "--points", "9"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("are not valid for question"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

#[tokio::test]
async fn publishing_sends_partially_graded_then_only_the_marked_result() {
    use phongthi_results::publish::{ClientSecret, PublishTarget, RetryPolicy, publish_exam};
    use support::gradebook::{CLIENT_ID, CLIENT_SECRET, Gradebook};
    let (setup, _) = setup().await;
    let server = Gradebook::start();
    let target = PublishTarget::new(&server.url(), None, CLIENT_ID).unwrap();
    let policy = RetryPolicy::default();
    let (store, _) = open_store(&setup.data, None).unwrap();
    let first = publish_exam(&store, &setup.exam_id, &target, ClientSecret::new(CLIENT_SECRET), &policy, "giám thị")
        .await
        .unwrap();
    assert_eq!((first.delivered, first.pending), (4, 0), "category, line item, two results: {first:?}");
    let key = ("results".to_owned(), format!("phongthi-{}-0123456789", setup.exam_id.to_hex()));
    let body = server.with(|s| s.bodies[&key].clone());
    assert_eq!((body["scoreStatus"].as_str(), body["score"].to_string().as_str()), (Some("partially graded"), "1.0"));

    let code = marking_code(&setup.session);
    let essays = list_essays(&store.reader().unwrap(), &setup.exam_id, false, false).unwrap();
    for (essay, points) in essays.iter().zip(["3", "2.5"]) {
        let mark = NewMark {
            code: code.clone(),
            question: essay.question,
            points: points.into(),
            comment: String::new(),
            marker: "cô Hạnh".into(),
        };
        record_mark(&store, &setup.exam_id, mark, 1_795_400_000_000).await.unwrap();
    }
    let second = publish_exam(&store, &setup.exam_id, &target, ClientSecret::new(CLIENT_SECRET), &policy, "giám thị")
        .await
        .unwrap();
    assert_eq!((second.queued, second.unchanged, second.delivered), (1, 3, 1), "{second:?}");
    let body = server.with(|s| s.bodies[&key].clone());
    assert_eq!((body["scoreStatus"].as_str(), body["score"].to_string().as_str()), (Some("fully graded"), "6.5"));
    server.with(|s| assert!(s.violations.is_empty(), "{:?}", s.violations));
    store.close().unwrap();
}

/// The dashboard's way: a mark through the running server's `RoomHandle`, written by the
/// server's own store (one audit chain), and the reasons for a refusal come back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_marks_through_the_running_server() {
    let (setup, _) = setup().await;
    let options = phongthi_server::ServeOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..phongthi_server::ServeOptions::default()
    };
    let serving = phongthi_server::serve(setup.data.clone(), None, options).await.unwrap();
    let handle = serving.handle();
    let code = marking_code(&setup.session);
    let pending = list_essays(&handle.reader().unwrap(), &setup.exam_id, false, false).unwrap();
    let question = pending[0].question;
    let mark = |points: &str| NewMark {
        code: code.clone(),
        question,
        points: points.into(),
        comment: String::new(),
        marker: "giám thị (bảng điều khiển)".into(),
    };
    let refused = handle.mark(mark("9")).await.unwrap_err();
    assert!(refused.to_string().contains("0 to 4"), "{refused}");
    let outcome = handle.mark(mark("3")).await.unwrap();
    assert_eq!(outcome.student_id, "0123456789");
    let reader = handle.reader().unwrap();
    assert_eq!(progress(&reader, &setup.exam_id).unwrap().marked, 1);
    serving.shutdown().await;

    let (store, identity) = open_store(&setup.data, None).unwrap();
    let reader = store.reader().unwrap();
    reader.verify_audit(&identity.public_key()).unwrap();
    assert!(reader.audit_entries().unwrap().iter().any(|e| e.entry.actor == "giám thị (bảng điều khiển)"));
}
