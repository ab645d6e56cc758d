//! A small but real OneRoster 1.2 grade-book server for the publish tests, on loopback: std
//! `TcpListener`, one thread per connection, a minimal HTTP/1.1 parser (request line, headers,
//! `Content-Length` body, `Connection: close`).
//!
//! It checks what a strict grade book checks: the token request (POST, HTTP Basic with the
//! expected client, `grant_type=client_credentials`, the gradebook scope), Bearer tokens it
//! issued, the binding's paths, and the JSON bodies (wrapper key, field spellings, sourcedId equal
//! to the path's, `scoreStatus` vocabulary with spaces). Anything wrong is answered 400 and
//! recorded in `violations`. It can be scripted to be down (connections closed unanswered) or to
//! answer the next requests with a given status and `Retry-After`, and counts PUTs per sourcedId.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub const CLIENT_ID: &str = "truong-thpt-chu-van-an";
pub const CLIENT_SECRET: &str = "bí-mật-sổ-điểm-2026";
pub const SCOPE: &str = "https://purl.imsglobal.org/spec/or/v1p2/scope/gradebook.createput";
const PREFIX: &str = "/ims/oneroster/gradebook/v1p2/";
const SCORE_STATUSES: [&str; 5] = ["exempt", "fully graded", "not submitted", "partially graded", "submitted"];

/// A scripted answer for the next PUT.
#[derive(Clone, Debug)]
pub struct Scripted {
    pub status: u16,
    pub retry_after: Option<u64>,
    pub body: String,
}

#[derive(Default)]
pub struct State {
    pub down: bool,
    pub script: VecDeque<Scripted>,
    /// Accepted PUTs per (collection, sourcedId).
    pub puts: BTreeMap<(String, String), u32>,
    /// The last accepted body per (collection, sourcedId).
    pub bodies: BTreeMap<(String, String), serde_json::Value>,
    /// Every request seen: (time, method, path, status answered).
    pub log: Vec<(Instant, String, String, u16)>,
    pub tokens_issued: u32,
    pub violations: Vec<String>,
    /// Refuse results of this student id with 422.
    pub refuse_student: Option<String>,
    /// Answer the next PUT with 401 (a token revoked early).
    pub revoke_next: bool,
    /// Go down by itself after this many accepted PUTs (an outage mid-publish).
    pub down_after_puts: Option<u32>,
    /// Connections dropped unanswered while down.
    pub dropped_while_down: u32,
    valid_tokens: Vec<String>,
}

pub struct Gradebook {
    pub addr: SocketAddr,
    pub state: Arc<Mutex<State>>,
}

impl Gradebook {
    pub fn start() -> Gradebook {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let state = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        Gradebook { addr, state }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    pub fn total_puts(&self) -> u32 {
        self.with(|s| s.puts.values().sum())
    }
}

struct Request {
    method: String,
    path: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = BTreeMap::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
    }
    let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request { method, path, headers, body })
}

fn respond(mut stream: TcpStream, status: u16, extra: &[(&str, String)], body: &str) {
    let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    head.push_str("Content-Type: application/json\r\n");
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        if bytes[i] == b'%'
            && let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let Some(request) = read_request(&stream) else { return };
    {
        let mut s = state.lock().unwrap();
        if s.down {
            // Down: the connection is closed without an answer.
            s.dropped_while_down += 1;
            drop(stream);
            return;
        }
    }
    let (status, extra, body) = answer(&request, state);
    state.lock().unwrap().log.push((Instant::now(), request.method.clone(), request.path.clone(), status));
    respond(stream, status, &extra, &body);
}

fn bad(state: &Mutex<State>, why: String) -> (u16, Vec<(&'static str, String)>, String) {
    state.lock().unwrap().violations.push(why.clone());
    (400, vec![], serde_json::json!({ "imsx_codeMajor": "failure", "imsx_description": why }).to_string())
}

fn answer(request: &Request, state: &Mutex<State>) -> (u16, Vec<(&'static str, String)>, String) {
    use base64::Engine as _;
    if request.path == "/token" {
        if request.method != "POST" {
            return bad(state, format!("token: method {}", request.method));
        }
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
        );
        if request.headers.get("authorization") != Some(&expected) {
            return (401, vec![], r#"{"error":"invalid_client"}"#.to_owned());
        }
        let form = String::from_utf8_lossy(&request.body).into_owned();
        let fields: BTreeMap<String, String> = form
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (percent_decode(k), percent_decode(&v.replace('+', " "))))
            .collect();
        if fields.get("grant_type").map(String::as_str) != Some("client_credentials")
            || fields.get("scope").map(String::as_str) != Some(SCOPE)
        {
            return bad(state, format!("token: form {form}"));
        }
        let mut s = state.lock().unwrap();
        s.tokens_issued += 1;
        let token = format!("token-{}", s.tokens_issued);
        s.valid_tokens.push(token.clone());
        return (
            200,
            vec![],
            serde_json::json!({ "access_token": token, "token_type": "bearer", "expires_in": 3600 }).to_string(),
        );
    }
    let Some(rest) = request.path.strip_prefix(PREFIX) else {
        return bad(state, format!("path {}", request.path));
    };
    let Some((collection, raw_id)) = rest.split_once('/') else {
        return bad(state, format!("path {}", request.path));
    };
    let wrapper = match collection {
        "categories" => "category",
        "lineItems" => "lineItem",
        "results" => "result",
        _ => return bad(state, format!("collection {collection}")),
    };
    if request.method != "PUT" {
        return bad(state, format!("method {}", request.method));
    }
    {
        let mut s = state.lock().unwrap();
        let bearer = request.headers.get("authorization").and_then(|v| v.strip_prefix("Bearer ")).map(str::to_owned);
        if s.revoke_next {
            s.revoke_next = false;
            s.valid_tokens.clear();
        }
        if !bearer.is_some_and(|t| s.valid_tokens.contains(&t)) {
            return (401, vec![], r#"{"imsx_description":"bad token"}"#.to_owned());
        }
        if let Some(scripted) = s.script.pop_front() {
            let extra = scripted.retry_after.map(|r| vec![("Retry-After", r.to_string())]).unwrap_or_default();
            return (scripted.status, extra, scripted.body);
        }
    }
    let sourced_id = percent_decode(raw_id);
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&request.body) else {
        return bad(state, format!("{sourced_id}: not JSON"));
    };
    let Some(object) = json.get(wrapper).and_then(|o| o.as_object()) else {
        return bad(state, format!("{sourced_id}: no {wrapper:?} wrapper"));
    };
    if object.get("sourcedId").and_then(|v| v.as_str()) != Some(sourced_id.as_str()) {
        return bad(state, format!("{sourced_id}: sourcedId differs from the path"));
    }
    let required: &[&str] = match wrapper {
        "category" => &["status", "dateLastModified", "title"],
        "lineItem" => &[
            "status",
            "dateLastModified",
            "title",
            "assignDate",
            "dueDate",
            "class",
            "category",
            "resultValueMin",
            "resultValueMax",
        ],
        _ => &["status", "dateLastModified", "lineItem", "student", "scoreStatus", "scoreDate"],
    };
    for field in required {
        if !object.contains_key(*field) {
            return bad(state, format!("{sourced_id}: missing {field}"));
        }
    }
    let allowed: &[&str] = match wrapper {
        "category" => &["sourcedId", "status", "dateLastModified", "title"],
        "lineItem" => &[
            "sourcedId",
            "status",
            "dateLastModified",
            "title",
            "description",
            "assignDate",
            "dueDate",
            "class",
            "school",
            "category",
            "resultValueMin",
            "resultValueMax",
        ],
        _ => &[
            "sourcedId",
            "status",
            "dateLastModified",
            "lineItem",
            "student",
            "class",
            "score",
            "scoreStatus",
            "scoreDate",
            "comment",
        ],
    };
    for key in object.keys() {
        if !allowed.contains(&key.as_str()) {
            return bad(state, format!("{sourced_id}: unknown field {key}"));
        }
    }
    if wrapper == "result" {
        let status = object.get("scoreStatus").and_then(|v| v.as_str()).unwrap_or_default();
        if !SCORE_STATUSES.contains(&status) {
            return bad(state, format!("{sourced_id}: scoreStatus {status:?}"));
        }
        if object.get("score").is_some_and(|s| !s.is_number()) {
            return bad(state, format!("{sourced_id}: score is not a number"));
        }
        let student = object
            .get("student")
            .and_then(|s| s.get("sourcedId"))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        if state.lock().unwrap().refuse_student.as_deref() == Some(student.as_str()) {
            return (
                422,
                vec![],
                serde_json::json!({ "imsx_codeMajor": "failure", "imsx_description": format!("học sinh {student} không thuộc lớp / student not enrolled") }).to_string(),
            );
        }
    }
    let mut s = state.lock().unwrap();
    let key = (collection.to_owned(), sourced_id);
    *s.puts.entry(key.clone()).or_default() += 1;
    s.bodies.insert(key, serde_json::Value::Object(object.clone()));
    if s.down_after_puts.is_some_and(|n| s.puts.values().sum::<u32>() >= n) {
        s.down = true;
        s.down_after_puts = None;
    }
    (201, vec![], String::new())
}
