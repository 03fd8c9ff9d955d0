//! `aes-search serve` run for real on a free port and asked over plain HTTP, as a browser or
//! a program would: for the embedded server's tests (`tests/server.rs`) and the cluster's
//! (`tests/opensearch.rs`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::TestEnv;

/// The admin token the tests start servers with.
pub const TOKEN: &str = "jeton-de-test-123";

/// A running `aes-search serve`, stopped when dropped.
pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `aes-search serve --addr 127.0.0.1:0 ARGS...` in `env` and reads the address it
/// prints.
pub fn serve(env: &TestEnv, args: &[&str]) -> Server {
    let mut all = vec!["serve", "--addr", "127.0.0.1:0"];
    all.extend_from_slice(args);
    let mut child = env
        .command(&all)
        .env_remove("AES_SEARCH_ADMIN_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aes-search serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the address");
    let addr = line
        .trim()
        .strip_prefix("aes-search: listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    Server { child, addr }
}

/// An answer: status, headers (lowercase names) and body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A JSON error of this status and code.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert_eq!(self.json()["error"]["code"], code, "{}", self.body);
        assert!(self.json()["error"]["message"].is_string());
    }
}

impl Server {
    /// One request, `target` sent as written (so that tests can send raw `../`).
    pub fn request(&self, method: &str, target: &str, headers: &[&str], body: &[u8]) -> Answer {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        let mut head = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for h in headers {
            head.push_str(h);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).expect("send");
        // A refused body may be answered before it is all sent.
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        parse_answer(&raw)
    }

    pub fn get(&self, target: &str) -> Answer {
        self.request("GET", target, &[], b"")
    }

    /// `POST /api/sync` with the admin token, then `GET /api/sync` until it ended well.
    pub fn sync_and_wait(&self) {
        let bearer = format!("Authorization: Bearer {TOKEN}");
        let started = self.request("POST", "/api/sync", &[&bearer], b"");
        assert_eq!(started.status, 202, "{}", started.body);
        eventually("the sync ends", || {
            let status = self.request("GET", "/api/sync", &[&bearer], b"").json();
            status["running"] == false && status["last"]["ok"] == true
        });
    }

    pub fn search(&self, params: &str) -> Value {
        let answer = self.get(&format!("/api/search?{params}"));
        assert_eq!(answer.status, 200, "{params}: {}", answer.body);
        answer.json()
    }
}

fn parse_answer(raw: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Answer {
        status,
        headers,
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// Polls `check` every 200 ms for up to a minute (a bound, not a timing assertion).
pub fn eventually(what: &str, check: impl FnMut() -> bool) {
    within(Duration::from_secs(60), what, check);
}

/// Polls `check` every 200 ms for up to `bound`.
pub fn within(bound: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + bound;
    while Instant::now() < deadline {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{what}: not within {bound:?}");
}
