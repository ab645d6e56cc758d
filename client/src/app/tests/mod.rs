//! The exam window driven by `egui_kittest`: widgets found by accessible role and label, driver
//! events fed straight in, commands read from the channel the network task would read. No
//! network, no GPU. The harness panics on any glyph the fonts lack, so Vietnamese fixtures also
//! check the embedded font.

use super::{App, Clock, LabSummary, Lang, Screen, TypingMemory, fonts};
use crate::net::{Command, DriverEvent, DriverHandle, Link, Login};
use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use phongthi_protocol::{
    Admission, Answer, ClientEvent, LocalTime, Phase, PresentedBody, PresentedForm, PresentedImage, PresentedPart,
    PresentedQuestion, Refusal, WireSecret,
};
use std::cell::RefCell;
use std::rc::Rc;
use tokio::sync::mpsc;

mod typing;

const EXAM_TITLE: &str = "Kiểm tra giữa kỳ I — Toán 10";

/// The app in a harness, with the far ends of the driver's channels.
struct Rig {
    harness: Harness<'static, App>,
    logins: Rc<RefCell<Vec<Login>>>,
    commands: Option<mpsc::Receiver<Command>>,
    events: Option<mpsc::Sender<DriverEvent>>,
    spare: Rc<RefCell<Option<DriverHandle>>>,
}

impl Rig {
    fn new() -> Rig {
        let (command_tx, command_rx) = mpsc::channel(64);
        let (event_tx, event_rx) = mpsc::channel(64);
        let spare = Rc::new(RefCell::new(Some(DriverHandle { commands: command_tx, events: event_rx })));
        let logins = Rc::new(RefCell::new(Vec::new()));
        let (launcher_spare, launcher_logins) = (spare.clone(), logins.clone());
        let launcher = Box::new(move |login: Login| {
            launcher_logins.borrow_mut().push(login);
            launcher_spare.borrow_mut().take().ok_or_else(|| "no more drivers in this test".to_owned())
        });
        let lab = LabSummary { exam_title: EXAM_TITLE.into(), address: "192.168.1.10:4433".into() };
        let mut app = App::new(lab, Lang::Vi, launcher);
        app.set_clock(Clock::Fixed(LocalTime(0)));
        let harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 900.0))
            .with_context_setup(fonts::install)
            .build_ui_state(|ui, app: &mut App| app.show(ui), app);
        Rig { harness, logins, commands: Some(command_rx), events: Some(event_tx), spare }
    }

    /// Logs in as `student_id` through the login screen's fields and button.
    fn log_in(&mut self, student_id: &str) {
        self.harness.get_by_role_and_label(Role::Button, "Đăng nhập").click();
        self.harness.run();
        self.type_into("Mã học sinh", student_id);
        self.type_into("Mã phòng", "TOAN10");
        self.harness.get_by_role_and_label(Role::Button, "Vào phòng thi").click();
        self.harness.run();
    }

    fn type_into(&mut self, label: &str, text: &str) {
        self.harness.get_by_label(label).focus();
        self.harness.run();
        self.harness.get_by_label(label).type_text(text);
        self.harness.run();
    }

    /// Feeds events through the channel, as the network task would.
    fn send(&mut self, events: impl IntoIterator<Item = DriverEvent>) {
        let sender = self.events.clone();
        for event in events {
            match &sender {
                Some(sender) if self.spare.borrow().is_none() => {
                    sender.try_send(event).ok();
                }
                _ => self.harness.state_mut().handle_event(event),
            }
        }
        self.harness.run();
    }

    /// Logged in, admitted, package verified, the form open and running.
    fn in_exam() -> Rig {
        Rig::in_exam_as("HS10A3-017", admission(), TypingMemory::nowhere())
    }

    /// [`Rig::in_exam`] for `student_id`, admitted with `admission`, input methods remembered
    /// in `memory`.
    fn in_exam_as(student_id: &str, admission: Admission, memory: TypingMemory) -> Rig {
        let mut rig = Rig::new();
        rig.harness.state_mut().set_typing_memory(memory);
        rig.log_in(student_id);
        rig.send([
            DriverEvent::Link(Link::Online),
            session(ClientEvent::Welcome { exam_title: EXAM_TITLE.into(), pin_required: false }),
            session(ClientEvent::Admitted(Box::new(admission))),
            session(ClientEvent::PackageVerified),
            session(ClientEvent::FormReady(Box::new(form()))),
            session(ClientEvent::Running { deadline: LocalTime(45 * 60 * 1000) }),
        ]);
        assert_eq!(rig.harness.state().state().screen(), Screen::Exam);
        rig
    }

    /// Every command the app sent so far.
    fn commands(&mut self) -> Vec<Command> {
        let mut commands = Vec::new();
        if let Some(receiver) = self.commands.as_mut() {
            while let Ok(command) = receiver.try_recv() {
                commands.push(command);
            }
        }
        commands
    }

    fn answers_sent(&mut self) -> Vec<(u32, Answer)> {
        self.commands()
            .into_iter()
            .filter_map(|command| match command {
                Command::Answer { number, answer } => Some((number, answer)),
                _ => None,
            })
            .collect()
    }
}

fn session(event: ClientEvent) -> DriverEvent {
    DriverEvent::Session(event)
}

fn admission() -> Admission {
    Admission {
        session_id: [3; 16],
        full_name: "Nguyễn Thị Ánh Tuyết".into(),
        class: "10A3".into(),
        seat: Some("Dãy B — máy 12".into()),
        form_code: "101".into(),
        exam_title: EXAM_TITLE.into(),
        rules: "Không dùng điện thoại. Không rời khỏi cửa sổ bài thi.".into(),
        typing: phongthi_protocol::InputMethod::Telex,
        duration_minutes: 45,
        journal_secret: WireSecret([9; 32]),
        next_seq: 0,
        chain_head: [0; 32],
        answers: Vec::new(),
        phase: Phase::Waiting,
    }
}

fn question(number: u32, points_milli: i64, stem: &str, body: PresentedBody) -> PresentedQuestion {
    PresentedQuestion { number, points_milli, format: "plain".into(), stem: stem.into(), stem_tail: None, body }
}

fn form() -> PresentedForm {
    let options = |texts: [&str; 4]| texts.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
    PresentedForm {
        exam_title: EXAM_TITLE.into(),
        form_code: "101".into(),
        parts: vec![
            PresentedPart {
                name: "Phần I. Trắc nghiệm nhiều lựa chọn".into(),
                questions: vec![
                    question(
                        1,
                        250,
                        "Tập nghiệm của phương trình $x^2 - 5x + 6 = 0$ là",
                        PresentedBody::SingleChoice { options: options(["{1; 6}", "{2; 3}", "{-2; -3}", "∅"]) },
                    ),
                    question(
                        2,
                        250,
                        "Mệnh đề nào sau đây đúng?",
                        PresentedBody::SingleChoice {
                            options: options([
                                "Số 1 là số nguyên tố.",
                                "Mọi số chẵn đều chia hết cho 4.",
                                "Tổng ba góc của một tam giác bằng 180°.",
                                "Hình thoi có hai đường chéo bằng nhau.",
                            ]),
                        },
                    ),
                ],
            },
            PresentedPart {
                name: "Phần II. Trắc nghiệm đúng sai".into(),
                questions: vec![question(
                    3,
                    1000,
                    "Cho hàm số bậc hai $y = x^2 - 4x + 3$.",
                    PresentedBody::TrueFalseCluster {
                        statements: options([
                            "Đồ thị hàm số có trục đối xứng $x = 2$.",
                            "Hàm số đồng biến trên khoảng $(-∞; 2)$.",
                            "Đỉnh của parabol là điểm $(2; -1)$.",
                            "Đồ thị cắt trục hoành tại hai điểm phân biệt.",
                        ]),
                    },
                )],
            },
            PresentedPart {
                name: "Phần III. Trả lời ngắn".into(),
                questions: vec![
                    question(
                        4,
                        500,
                        "Tính giá trị nhỏ nhất của $y = x^2 - 3x + 1$ (làm tròn đến hàng phần mười).",
                        PresentedBody::Numeric { four_char_rule: true },
                    ),
                    question(5, 500, "Viết tên tiếng Việt của hình có bốn cạnh bằng nhau.", PresentedBody::ShortText),
                    question(
                        6,
                        250,
                        r"Rút gọn $\frac{1}{2} + \frac{1}{3}$ với $x \in \mathbb{R}$.",
                        PresentedBody::SingleChoice {
                            options: options([r"$\frac{5}{6}$", r"$\frac{2}{5}$", r"$\sqrt{2}$", "Không rút gọn được"]),
                        },
                    ),
                    PresentedQuestion {
                        format: "html".into(),
                        ..question(
                            7,
                            0,
                            "<p>Quan sát đồ thị dưới đây.</p><p><img src=\"@@PLUGINFILE@@/dothi.png\" \
                             alt=\"Đồ thị hàm số y = x² − 4x + 3\"></p><img src=\"@@PLUGINFILE@@/mach.svg\" \
                             alt=\"Sơ đồ mạch điện\">",
                            PresentedBody::Description,
                        )
                    },
                ],
            },
        ],
        images: vec![
            PresentedImage { name: "dothi.png".into(), bytes: png(320, 200) },
            PresentedImage { name: "mach.svg".into(), bytes: b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec() },
        ],
    }
}

/// A PNG of `width` × `height` pixels.
fn png(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbaImage::from_pixel(width, height, image::Rgba([20, 90, 200, 255]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    pixels.write_to(&mut bytes, image::ImageFormat::Png).expect("encode a PNG in memory");
    bytes.into_inner()
}

#[test]
fn connect_screen_shows_the_lab_then_login_has_fields_and_button() {
    let mut rig = Rig::new();
    rig.harness.get_by_label(EXAM_TITLE);
    rig.harness.get_by_label("Máy giám thị: 192.168.1.10:4433");
    rig.harness.get_by_label("Chưa kết nối");
    rig.log_in("HS10A3-017");
    let logins = rig.logins.borrow().clone();
    assert_eq!(logins.len(), 1);
    assert_eq!((logins[0].student_id.as_str(), logins[0].room_code.as_str()), ("HS10A3-017", "TOAN10"));
    assert_eq!(logins[0].pin, None);
    assert_eq!(rig.harness.state().state().screen(), Screen::Connect);
    rig.send([DriverEvent::Link(Link::Connecting)]);
    rig.harness.get_by_label("Đang kết nối…");
    rig.send([DriverEvent::Link(Link::WrongProctor("sai dấu vân tay".into()))]);
    rig.harness.get_by_label_contains("Máy giám thị không đúng");
}

#[test]
fn login_refused_for_a_pin_shows_the_pin_field() {
    let mut rig = Rig::new();
    rig.harness.get_by_role_and_label(Role::Button, "Đăng nhập").click();
    rig.harness.run();
    assert!(rig.harness.query_by_label("Mã PIN").is_none(), "no PIN field until the roster asks for one");
    rig.harness.get_by_role_and_label(Role::Button, "Vào phòng thi").click();
    rig.harness.run();
    rig.harness.get_by_label("Nhập mã học sinh và mã phòng.");
    rig.log_in_fields_only();
    rig.send([
        session(ClientEvent::Welcome { exam_title: EXAM_TITLE.into(), pin_required: true }),
        session(ClientEvent::Refused(Refusal::WrongPin)),
    ]);
    assert_eq!(rig.harness.state().state().screen(), Screen::Login);
    rig.harness.get_by_label("Sai mã PIN hoặc chưa nhập.");
    rig.harness.get_by_label("Mã PIN");
}

impl Rig {
    fn log_in_fields_only(&mut self) {
        self.type_into("Mã học sinh", "HS10A3-017");
        self.type_into("Mã phòng", "TOAN10");
        self.harness.get_by_role_and_label(Role::Button, "Vào phòng thi").click();
        self.harness.run();
    }
}

#[test]
fn a_closed_exam_shows_the_error_screen() {
    let mut rig = Rig::new();
    rig.log_in("HS10A3-017");
    rig.send([session(ClientEvent::Refused(Refusal::ExamClosed))]);
    assert_eq!(rig.harness.state().state().screen(), Screen::Error);
    rig.harness.get_by_label("Buổi thi đã đóng hoặc chưa mở.");
    rig.harness.get_by_role_and_label(Role::Button, "Quay lại đăng nhập").click();
    rig.harness.run();
    assert_eq!(rig.harness.state().state().screen(), Screen::Login);
}

#[test]
fn an_unknown_build_refused_in_strict_mode_says_so_and_whom_to_ask() {
    let mut rig = Rig::new();
    rig.log_in("HS10A3-017");
    rig.send([session(ClientEvent::Refused(Refusal::IntegrityMismatch))]);
    assert_eq!(rig.harness.state().state().screen(), Screen::Error);
    rig.harness.get_by_label("Phần mềm thi trên máy này không có trong danh sách giám thị cho phép: hãy báo giám thị.");
}

#[test]
fn waiting_room_shows_name_class_seat_form_and_rules() {
    let mut rig = Rig::new();
    rig.log_in("HS10A3-017");
    rig.send([session(ClientEvent::Admitted(Box::new(admission())))]);
    assert_eq!(rig.harness.state().state().screen(), Screen::Waiting);
    for text in [
        EXAM_TITLE,
        "Nguyễn Thị Ánh Tuyết",
        "10A3",
        "Dãy B — máy 12",
        "101",
        "45 phút",
        "Không dùng điện thoại. Không rời khỏi cửa sổ bài thi.",
        "Đang nhận đề thi…",
    ] {
        rig.harness.get_by_label(text);
    }
    rig.send([session(ClientEvent::PackageVerified)]);
    rig.harness.get_by_label("Đã nhận đề thi. Chờ giám thị bắt đầu.");
}

#[test]
fn clicking_option_b_answers_choice_one() {
    let mut rig = Rig::in_exam();
    rig.commands();
    rig.harness.get_by_role_and_label(Role::RadioButton, "B. {2; 3}").click();
    rig.harness.run();
    assert_eq!(rig.answers_sent(), vec![(1, Answer::Choices(vec![1]))]);
    assert_eq!(rig.harness.state().state().answers().get(&1), Some(&Answer::Choices(vec![1])));
}

#[test]
fn countdown_and_saved_indicator_follow_the_driver() {
    let mut rig = Rig::in_exam();
    rig.harness.get_by_label("Còn lại 45:00");
    rig.harness.get_by_label("Đã lưu");
    rig.send([session(ClientEvent::Saved { seq: 1, unacked: 2 })]);
    rig.harness.get_by_label("Đang lưu… (2)");
    rig.send([DriverEvent::Link(Link::Offline("mạng bị ngắt".into()))]);
    rig.harness.get_by_label("Mất kết nối — bài làm vẫn được lưu trên máy");
}

#[test]
fn a_cluster_row_answers_its_own_statement() {
    let mut rig = Rig::in_exam();
    rig.harness.get_by_role_and_label(Role::Button, "Câu 3: chưa trả lời").click();
    rig.harness.run();
    rig.harness.get_by_label("b) Hàm số đồng biến trên khoảng (−∞; 2).");
    rig.commands();
    let sai: Vec<_> = rig.harness.get_all_by_role_and_label(Role::RadioButton, "Sai").collect();
    assert_eq!(sai.len(), 4, "one Đúng/Sai row per statement");
    sai[1].click();
    rig.harness.run();
    let dung: Vec<_> = rig.harness.get_all_by_role_and_label(Role::RadioButton, "Đúng").collect();
    dung[0].click();
    rig.harness.run();
    assert_eq!(
        rig.answers_sent(),
        vec![
            (3, Answer::Cluster(vec![None, Some(false), None, None])),
            (3, Answer::Cluster(vec![Some(true), Some(false), None, None])),
        ]
    );
}

#[test]
fn the_numeric_field_refuses_a_fifth_character() {
    let mut rig = Rig::in_exam();
    rig.harness.get_by_role_and_label(Role::Button, "Câu 4: chưa trả lời").click();
    rig.harness.run();
    let stem = "Tính giá trị nhỏ nhất của y = x² − 3x + 1 (làm tròn đến hàng phần mười).";
    rig.type_into(stem, "-1.25");
    let field = rig.harness.state_mut().state_mut().text_field_mut(4).map(|f| f.text());
    assert_eq!(field.as_deref(), Some("-1,2"), "a point is the decimal comma; the 5th character is refused");
    rig.type_into(stem, "5x");
    rig.harness.get_by_role_and_label(Role::Button, "Câu 5: chưa trả lời").click();
    rig.harness.run();
    assert_eq!(rig.answers_sent(), vec![(4, Answer::Text("-1,2".into()))], "saved once, when leaving the question");
}

#[test]
fn short_answers_are_typed_with_telex() {
    let mut rig = Rig::in_exam();
    rig.harness.get_by_role_and_label(Role::Button, "Câu 5: chưa trả lời").click();
    rig.harness.run();
    rig.type_into("Viết tên tiếng Việt của hình có bốn cạnh bằng nhau.", "hinhf thoi");
    let text = rig.harness.state_mut().state_mut().text_field_mut(5).map(|f| f.text());
    assert_eq!(text.as_deref(), Some("hình thoi"));
    assert!(rig.harness.state().state().flagged().is_empty(), "the f of hinhf is a letter, not the flag key");
    rig.harness.get_by_role_and_label(Role::Button, "Nộp bài").click();
    rig.harness.run();
    assert_eq!(rig.answers_sent(), vec![(5, Answer::Text("hình thoi".into()))]);
}

#[test]
fn the_navigator_marks_answered_and_flagged_questions() {
    let mut rig = Rig::in_exam();
    rig.harness.get_by_role_and_label(Role::Button, "Câu 1: chưa trả lời");
    rig.harness.get_by_role_and_label(Role::RadioButton, "A. {1; 6}").click();
    rig.harness.run();
    rig.harness.get_by_role_and_label(Role::Button, "Câu 1: đã trả lời");
    rig.harness.get_by_role_and_label(Role::Button, "Câu 2: chưa trả lời").click();
    rig.harness.run();
    rig.harness.get_by_role_and_label(Role::CheckBox, "Đánh dấu để xem lại").click();
    rig.harness.run();
    rig.harness.get_by_role_and_label(Role::Button, "Câu 2: chưa trả lời, đánh dấu");
    assert!(rig.harness.state().state().flagged().contains(&2));
}

#[test]
fn submit_confirmation_lists_unanswered_and_flagged_then_submits() {
    let mut rig = Rig::in_exam();
    rig.harness.get_by_role_and_label(Role::RadioButton, "C. {-2; -3}").click();
    rig.harness.run();
    rig.harness.get_by_role_and_label(Role::CheckBox, "Đánh dấu để xem lại").click();
    rig.harness.run();
    rig.harness.get_by_role_and_label(Role::Button, "Nộp bài").click();
    rig.harness.run();
    assert_eq!(rig.harness.state().state().screen(), Screen::ConfirmSubmit);
    rig.harness.get_by_label("Câu chưa trả lời: 2, 3, 4, 5, 6");
    rig.harness.get_by_label("Câu đánh dấu xem lại: 1");
    rig.commands();
    rig.harness.get_by_role_and_label(Role::Button, "Nộp bài").click();
    rig.harness.run();
    assert_eq!(rig.commands(), vec![Command::Submit]);
    rig.send([session(ClientEvent::Receipt { receipt: vec![1, 2, 3], code: "K7Q-2M9D".into() })]);
    assert_eq!(rig.harness.state().state().screen(), Screen::Receipt);
    rig.harness.get_by_label("K7Q-2M9D");
    rig.harness.get_by_label("Mã biên nhận");
    assert_eq!(rig.commands(), vec![Command::Shutdown], "the network task stops after the receipt");
    assert!(rig.harness.state().may_close());
}

#[test]
fn english_labels_are_one_click_away() {
    let mut rig = Rig::new();
    rig.harness.get_by_role_and_label(Role::Button, "English").click();
    rig.harness.run();
    rig.harness.get_by_role_and_label(Role::Button, "Log in").click();
    rig.harness.run();
    rig.harness.get_by_label("Student id");
    rig.harness.get_by_role_and_label(Role::Button, "Tiếng Việt");
}

#[test]
fn math_is_typeset_not_shown_as_latex() {
    let mut rig = Rig::in_exam();
    rig.harness.get_by_role_and_label(Role::Button, "Câu 6: chưa trả lời").click();
    rig.harness.run();
    rig.harness.get_by_label("Rút gọn 1/2 + 1/3 với x ∈ ℝ.");
    for raw in ["\\frac", "$", "\\mathbb"] {
        assert!(rig.harness.query_by_label_contains(raw).is_none(), "{raw} shown raw");
    }
    rig.commands();
    rig.harness.get_by_role_and_label(Role::RadioButton, "A. 5/6").click();
    rig.harness.run();
    rig.harness.get_by_role_and_label(Role::RadioButton, "C. √2");
    assert_eq!(rig.answers_sent(), vec![(6, Answer::Choices(vec![0]))]);
}

#[test]
fn the_exam_is_operated_from_the_keyboard() {
    let mut rig = Rig::in_exam();
    rig.commands();
    rig.harness.key_press(egui::Key::B);
    rig.harness.run();
    assert_eq!(rig.answers_sent(), vec![(1, Answer::Choices(vec![1]))]);
    rig.harness.key_press(egui::Key::ArrowDown);
    rig.harness.run();
    assert_eq!(rig.answers_sent(), vec![(1, Answer::Choices(vec![2]))], "↓ moves to the next option");
    rig.harness.key_press(egui::Key::F);
    rig.harness.run();
    assert!(rig.harness.state().state().flagged().contains(&1));
    rig.harness.get_by_role_and_label(Role::Button, "Câu 1: đã trả lời, đánh dấu");
    rig.harness.key_press(egui::Key::PageDown);
    rig.harness.run();
    assert_eq!(rig.harness.state().state().current(), 2);
    rig.harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::ArrowRight);
    rig.harness.run();
    assert_eq!(rig.harness.state().state().current(), 3);
    rig.harness.key_press(egui::Key::PageUp);
    rig.harness.run();
    rig.harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::ArrowLeft);
    rig.harness.run();
    assert_eq!(rig.harness.state().state().current(), 1);
    rig.harness.key_press(egui::Key::PageUp);
    rig.harness.run();
    assert_eq!(rig.harness.state().state().current(), 1, "nothing before the first question");
}

#[test]
fn high_contrast_and_zoom_hold_for_the_session() {
    let mut rig = Rig::new();
    assert!(!rig.harness.ctx.global_style().visuals.dark_mode);
    rig.harness.get_by_label("Tương phản cao").click();
    rig.harness.run();
    assert!(rig.harness.state().state().high_contrast());
    assert_eq!(rig.harness.ctx.global_style().visuals.panel_fill, egui::Color32::BLACK);
    rig.harness.get_by_role_and_label(Role::Button, "Phóng to (Ctrl +)").click();
    rig.harness.run();
    let zoomed = rig.harness.ctx.zoom_factor();
    assert!(zoomed > 1.0, "{zoomed}");
    rig.log_in("HS10A3-017");
    rig.send([session(ClientEvent::Admitted(Box::new(admission())))]);
    assert_eq!(rig.harness.state().state().screen(), Screen::Waiting);
    assert_eq!(rig.harness.ctx.global_style().visuals.panel_fill, egui::Color32::BLACK, "still high contrast");
    assert!((rig.harness.ctx.zoom_factor() - zoomed).abs() < f32::EPSILON, "still zoomed");
    rig.harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num0);
    rig.harness.run();
    assert!((rig.harness.ctx.zoom_factor() - 1.0).abs() < f32::EPSILON, "Ctrl 0 resets");
    rig.harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Minus);
    rig.harness.run();
    assert!(rig.harness.ctx.zoom_factor() < 1.0, "Ctrl − zooms out");
    rig.harness.get_by_role_and_label(Role::Button, "Cỡ chữ mặc định (Ctrl 0)").click();
    rig.harness.run();
    rig.harness.get_by_role_and_label(Role::Button, "Thu nhỏ (Ctrl −)");
    rig.harness.get_by_label("Tương phản cao").click();
    rig.harness.run();
    assert!(!rig.harness.ctx.global_style().visuals.dark_mode);
}

/// Every control a student can operate has an accessible name, on each screen of the exam.
#[test]
fn every_control_has_an_accessible_name() {
    use egui_kittest::kittest::by;
    let unnamed = |rig: &Rig| {
        rig.harness
            .query_all(by().predicate(|node| {
                matches!(
                    node.role(),
                    Role::Button | Role::RadioButton | Role::CheckBox | Role::TextInput | Role::ComboBox | Role::Image
                ) && node.label().is_none_or(|label| label.trim().is_empty())
            }))
            .map(|node| format!("{node:?}"))
            .collect::<Vec<_>>()
    };
    let mut rig = Rig::new();
    assert_eq!(unnamed(&rig), Vec::<String>::new(), "connect screen");
    rig.harness.get_by_role_and_label(Role::Button, "Đăng nhập").click();
    rig.harness.run();
    assert_eq!(unnamed(&rig), Vec::<String>::new(), "login screen");
    let mut rig = Rig::in_exam();
    for number in 1..=7 {
        rig.harness.get_by_role_and_label(Role::Button, &format!("Câu {number}: chưa trả lời")).click();
        rig.harness.run();
        assert_eq!(unnamed(&rig), Vec::<String>::new(), "question {number}");
    }
    rig.harness.get_by_role_and_label(Role::Button, "Nộp bài").click();
    rig.harness.run();
    assert_eq!(unnamed(&rig), Vec::<String>::new(), "submit confirmation");
}

#[test]
fn figures_are_drawn_with_their_alt_text_and_a_broken_one_says_so() {
    let mut rig = Rig::in_exam();
    rig.harness.get_by_role_and_label(Role::Button, "Câu 7: chưa trả lời").click();
    rig.harness.run();
    rig.harness.get_by_label("Quan sát đồ thị dưới đây.");
    let figure = rig.harness.get_by_role_and_label(Role::Image, "Đồ thị hàm số y = x² − 4x + 3");
    let size = figure.rect().size();
    assert!((size.x - 320.0).abs() < 1.0 && (size.y - 200.0).abs() < 1.0, "drawn at its size: {size:?}");
    rig.harness.get_by_label_contains("[Sơ đồ mạch điện] — không đọc được hình mach.svg");
    assert!(rig.harness.query_by_label_contains("<p>").is_none(), "no tags shown");
    assert!(rig.harness.query_by_label_contains("@@PLUGINFILE@@").is_none());
}

#[test]
fn leaving_the_window_and_pasting_are_reported_as_incidents() {
    use phongthi_protocol::IncidentKind;
    use std::time::Duration;
    let mut rig = Rig::in_exam();
    rig.commands();
    let app = rig.harness.state_mut();
    app.set_clock(Clock::Fixed(LocalTime(60_000)));
    app.report_window(false, false);
    app.set_clock(Clock::Fixed(LocalTime(64_200)));
    app.report_window(true, true);
    let key = |key| egui::Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::COMMAND,
    };
    let mut input = egui::RawInput {
        events: vec![egui::Event::Paste("đáp án B".into()), key(egui::Key::V), egui::Event::Text("x".into())],
        ..Default::default()
    };
    app.filter_input(&mut input);
    assert_eq!(input.events, vec![egui::Event::Text("x".into())], "clipboard events never reach egui");
    rig.harness.run();
    let incidents: Vec<(IncidentKind, Duration)> = rig
        .commands()
        .into_iter()
        .filter_map(|command| match command {
            Command::Incident { kind, duration, .. } => Some((kind, duration)),
            _ => None,
        })
        .collect();
    assert_eq!(
        incidents,
        vec![
            (IncidentKind::FocusLost, Duration::from_millis(4_200)),
            (IncidentKind::FullscreenExit, Duration::from_millis(4_200)),
            (IncidentKind::ClipboardAttempt, Duration::ZERO),
        ],
        "paste and Ctrl+V together are one attempt"
    );
}

#[test]
fn machine_hints_are_reported_once_admitted() {
    use phongthi_protocol::IncidentKind;
    let mut rig = Rig::new();
    rig.harness.state_mut().set_machine_hints(vec!["DMI product_name = VirtualBox".into()]);
    rig.log_in("HS10A3-017");
    rig.send([session(ClientEvent::Admitted(Box::new(admission())))]);
    let hints: Vec<_> = rig
        .commands()
        .into_iter()
        .filter(|command| matches!(command, Command::Incident { kind: IncidentKind::VirtualMachineHint, .. }))
        .collect();
    assert_eq!(hints.len(), 1);
    rig.send([session(ClientEvent::Admitted(Box::new(admission())))]);
    assert!(rig.commands().is_empty(), "once per session");
}

#[test]
fn a_second_monitor_is_reported_once_admitted_and_one_is_not() {
    use phongthi_protocol::IncidentKind;
    let monitors_reported = |count: usize| {
        let mut rig = Rig::new();
        rig.harness.state_mut().set_connected_monitors(count);
        rig.log_in("HS10A3-017");
        rig.send([session(ClientEvent::Admitted(Box::new(admission())))]);
        rig.commands()
            .into_iter()
            .filter_map(|command| match command {
                Command::Incident { kind: IncidentKind::MultipleMonitors, detail, .. } => Some(detail),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(monitors_reported(2), vec!["2 màn hình đang kết nối / 2 monitors connected".to_owned()]);
    assert!(monitors_reported(1).is_empty());
    assert!(monitors_reported(0).is_empty(), "unknown is not reported");
}

#[test]
fn readiness_lists_the_checks_then_a_practice_shows_only_what_was_answered() {
    use super::readiness::CheckId;
    let mut rig = Rig::new();
    let (results, receiver) = std::sync::mpsc::channel();
    rig.harness.state_mut().start_readiness(receiver);
    rig.harness.run();
    assert_eq!(rig.harness.state().state().screen(), Screen::Readiness);
    rig.harness.get_by_label("Phông chữ tiếng Việt và ký hiệu toán");
    rig.harness.get_by_label("ĐẠT");
    results.send((CheckId::Proctor, Err("192.168.1.10:4433: hết thời gian".into()))).ok();
    results.send((CheckId::Journal, Ok("/var/lib/phongthi — ghi được / writable".into()))).ok();
    rig.harness.run();
    rig.harness.get_by_label("LỖI");
    rig.harness.get_by_label("192.168.1.10:4433: hết thời gian");
    rig.harness.get_by_role_and_label(Role::Button, "Làm bài thử (3 câu, không chấm điểm)").click();
    rig.harness.run();
    assert_eq!(rig.harness.state().state().screen(), Screen::Exam);
    rig.harness.get_by_role_and_label(Role::RadioButton, "A. 3/4").click();
    rig.harness.run();
    rig.harness.get_by_role_and_label(Role::Button, "Câu 2: chưa trả lời").click();
    rig.harness.run();
    rig.type_into("Gõ tên nước ta bằng Telex: Vieetj Nam → Việt Nam.", "Vieetj Nam");
    rig.harness.get_by_role_and_label(Role::Button, "Nộp bài").click();
    rig.harness.run();
    rig.harness.get_by_role_and_label(Role::Button, "Nộp bài").click();
    rig.harness.run();
    assert_eq!(rig.harness.state().state().screen(), Screen::PracticeDone);
    rig.harness.get_by_label("Câu 1: A");
    rig.harness.get_by_label("Câu 2: Việt Nam");
    rig.harness.get_by_label("Câu 3: (chưa trả lời)");
    rig.harness.get_by_label("Bài làm thử không chấm điểm.");
    assert!(rig.commands().is_empty(), "a practice sends nothing to any proctor");
    assert!(rig.logins.borrow().is_empty());
}
