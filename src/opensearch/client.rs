//! The cluster's REST API over blocking HTTP, in one place: timeouts, the next node when one does
//! not answer, backoff when the cluster says it is busy (429, 503), and one clear line when it
//! cannot be used at all.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::error::{Error, Result};

/// How many times a busy answer (429, 503) is retried before it counts as the answer.
const BUSY_RETRIES: u32 = 6;
/// The first wait after a busy answer; each next one doubles, up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(4);

/// An HTTP method of the REST API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Put,
    Post,
    Delete,
    Head,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }
}

/// An answer: the HTTP status and the body (JSON, or `Null` when there is none).
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: Value,
}

/// A connection to one cluster through one or more of its nodes.
pub(crate) struct Client {
    agent: ureq::Agent,
    /// Node addresses, without a trailing slash (credentials included, if given).
    nodes: Vec<String>,
    /// The node tried first: the last one that answered.
    current: AtomicUsize,
    /// Retries after a busy answer, counted for the report of a sync.
    pub(crate) busy_retries: AtomicUsize,
}

impl Client {
    /// `urls`: one address or several separated by commas (nodes of the same cluster), each
    /// `http://[user:password@]host:port`.
    pub(crate) fn new(urls: &str) -> Result<Client> {
        let nodes: Vec<String> = urls
            .split(',')
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty())
            .collect();
        let bad = nodes.iter().find(|u| !u.starts_with("http://"));
        if nodes.is_empty() || bad.is_some() {
            return Err(Error::Cluster {
                url: shown(bad.map_or(urls, |b| b.as_str())),
                message: "not an address of the form http://host:port".into(),
            });
        }
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(3))
            .timeout(Duration::from_secs(120))
            .build();
        Ok(Client {
            agent,
            nodes,
            current: AtomicUsize::new(0),
            busy_retries: AtomicUsize::new(0),
        })
    }

    /// The address of the node in use, without credentials, for messages.
    pub(crate) fn shown_url(&self) -> String {
        shown(&self.nodes[self.current.load(Ordering::Relaxed) % self.nodes.len()])
    }

    /// An error about the cluster as a whole.
    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error::Cluster {
            url: self.shown_url(),
            message: message.into(),
        }
    }

    /// Sends a request and returns whatever status the cluster answered with, after retrying
    /// busy answers with backoff and trying every node once when one does not answer. Refused
    /// credentials are an error here, since nothing else can be done with them.
    pub(crate) fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
        content_type: &str,
    ) -> Result<Answer> {
        let mut wait = FIRST_BACKOFF;
        let mut busy = 0;
        loop {
            let answer = self.send_once(method, path, body, content_type)?;
            if !matches!(answer.status, 429 | 503) || busy >= BUSY_RETRIES {
                if matches!(answer.status, 401 | 403) {
                    return Err(self.error(format!(
                        "the cluster refused the credentials (HTTP {})",
                        answer.status
                    )));
                }
                return Ok(answer);
            }
            busy += 1;
            self.busy_retries.fetch_add(1, Ordering::Relaxed);
            std::thread::sleep(wait);
            wait = (wait * 2).min(MAX_BACKOFF);
        }
    }

    /// Like [`Client::send`] with a JSON body, failing on any status of 400 and above.
    pub(crate) fn json(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value> {
        let text = body.map(Value::to_string);
        let answer = self.send(method, path, text.as_deref(), "application/json")?;
        self.ok(answer)
    }

    /// The body of a successful answer, or the cluster's reason as an error.
    pub(crate) fn ok(&self, answer: Answer) -> Result<Value> {
        if answer.status < 400 {
            return Ok(answer.body);
        }
        Err(self.error(format!("HTTP {}: {}", answer.status, reason(&answer.body))))
    }

    fn send_once(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
        content_type: &str,
    ) -> Result<Answer> {
        let first = self.current.load(Ordering::Relaxed);
        let mut last_error = String::new();
        for k in 0..self.nodes.len() {
            let i = (first + k) % self.nodes.len();
            let request = self
                .agent
                .request(method.name(), &format!("{}{path}", self.nodes[i]))
                .set("Content-Type", content_type);
            let result = match body {
                Some(b) => request.send_string(b),
                None => request.call(),
            };
            let response = match result {
                Ok(r) => r,
                Err(ureq::Error::Status(_, r)) => r,
                Err(ureq::Error::Transport(t)) => {
                    last_error = t.to_string();
                    continue;
                }
            };
            self.current.store(i, Ordering::Relaxed);
            let status = response.status();
            let text = response.into_string().unwrap_or_default();
            let body = serde_json::from_str(&text).unwrap_or(Value::Null);
            return Ok(Answer { status, body });
        }
        Err(self.error(format!(
            "the cluster does not answer ({})",
            last_line(&last_error)
        )))
    }
}

/// The cluster's own reason for an error answer, in one line.
pub(crate) fn reason(body: &Value) -> String {
    let error = &body["error"];
    let text = error["reason"]
        .as_str()
        .or_else(|| error.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| body.to_string());
    match error["type"].as_str() {
        Some(kind) => format!("{kind}: {text}"),
        None => text,
    }
}

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or(text).trim()
}

/// An address without its credentials.
fn shown(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host_end = rest.find('/').unwrap_or(rest.len());
            let host = &rest[..host_end];
            let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
            format!("{scheme}://{host}{}", &rest[host_end..])
        }
        None => url.to_string(),
    }
}

/// A node on a local port for tests: it answers each request with the next of `answers`
/// (status, JSON body), one connection each, after reading the whole request. Returns its
/// address.
#[cfg(test)]
pub(super) fn test_node(answers: Vec<(u16, String)>) -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    std::thread::spawn(move || {
        for (status, body) in answers {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(&stream);
            let (mut line, mut length) = (String::new(), 0);
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
                line.clear();
            }
            let _ = reader.read_exact(&mut vec![0; length]);
            let _ = write!(
                &stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_reach_a_message() {
        let table = [
            ("http://elastic:secret@db:9200", "http://db:9200"),
            ("http://db:9200/prefix", "http://db:9200/prefix"),
            ("http://u:p@w@db:9200", "http://db:9200"),
            ("db:9200", "db:9200"),
        ];
        for (url, expected) in table {
            assert_eq!(shown(url), expected, "{url}");
        }
    }

    #[test]
    fn addresses_are_checked() {
        assert!(Client::new("http://127.0.0.1:9200, http://127.0.0.1:9201/").is_ok());
        for bad in ["", "127.0.0.1:9200", "https://x:9200", "http://a:1,ftp://b"] {
            let err = Client::new(bad).err().map(|e| e.to_string());
            assert!(err.is_some_and(|e| e.contains("http://host:port")), "{bad}");
        }
    }

    #[test]
    fn a_busy_node_is_asked_again() {
        // (the node's answers, the answer returned, busy answers retried)
        let table: &[(&[u16], u16, usize)] = &[
            (&[200], 200, 0),
            (&[429, 200], 200, 1),
            (&[429, 503, 429, 200], 200, 3),
            (&[404], 404, 0),
        ];
        for (statuses, status, retried) in table {
            let answers = statuses.iter().map(|&s| (s, format!("{{\"status\":{s}}}")));
            let client = Client::new(&test_node(answers.collect())).unwrap();
            let answer = client
                .send(Method::Get, "/", None, "application/json")
                .unwrap();
            assert_eq!(answer.status, *status, "{statuses:?}");
            assert_eq!(answer.body["status"], *status, "{statuses:?}");
            assert_eq!(
                client.busy_retries.load(Ordering::Relaxed),
                *retried,
                "{statuses:?}"
            );
        }
    }

    #[test]
    fn the_reason_is_the_clusters_own() {
        let table = [
            (
                serde_json::json!({"error": {"type": "mapper_parsing_exception", "reason": "bad date"}}),
                "mapper_parsing_exception: bad date",
            ),
            (serde_json::json!({"error": "no handler"}), "no handler"),
            (serde_json::json!({"x": 1}), r#"{"x":1}"#),
        ];
        for (body, expected) in table {
            assert_eq!(reason(&body), expected);
        }
    }
}
