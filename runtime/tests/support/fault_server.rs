//! A loopback HTTP/1.1 server that misbehaves on purpose, the way networks do.
//!
//! Written on a bare `TcpListener` rather than with hyper or wiremock because the faults are
//! what a well-behaved HTTP server library cannot be told to do: close the socket after reading
//! a request without answering, promise a `Content-Length` and send half of it, or stall. Each
//! request is read whole (headers, then a `Content-Length` body) and handed to a handler that
//! returns a [`Reply`]; the server then carries the reply out on the socket. Keep-alive is
//! honoured, so a close hits a connection the client's pool would reuse.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One request as read from the socket.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// The path without the query.
    pub path: String,
    /// Query pairs, percent-decoded.
    pub query: Vec<(String, String)>,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A whole answer.
    Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Closes the connection without a byte of answer.
    Close,
    /// Sends the status line, the headers with the full `Content-Length`, and only the first
    /// half of the body, then closes the connection.
    CutBody {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Waits, then carries out the inner reply (if the client is still there).
    Stall(Duration, Box<Reply>),
}

impl Reply {
    pub fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::Answer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    pub fn status(status: u16, headers: &[(&str, &str)]) -> Reply {
        Reply::Answer {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: Vec::new(),
        }
    }

    /// The same answer with its body cut in half.
    pub fn cut(self) -> Reply {
        match self {
            Reply::Answer {
                status,
                headers,
                body,
            } => Reply::CutBody {
                status,
                headers,
                body,
            },
            other => other,
        }
    }
}

type Handler = dyn Fn(Received) -> Pin<Box<dyn Future<Output = Reply> + Send>> + Send + Sync;

/// A running server; stops when dropped.
pub struct FaultServer {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultServer {
    /// Serves on a free loopback port, calling `handler` for every request.
    pub async fn start<F, Fut>(handler: F) -> FaultServer
    where
        F: Fn(Received) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply> + Send + 'static,
    {
        let handler: Arc<Handler> = Arc::new(move |request| Box::pin(handler(request)));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    continue;
                };
                let handler = Arc::clone(&handler);
                tokio::spawn(async move {
                    let _ = serve_connection(socket, handler).await;
                });
            }
        });
        FaultServer { addr, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Serves requests on one connection until it closes or a reply closes it.
async fn serve_connection(socket: TcpStream, handler: Arc<Handler>) -> std::io::Result<()> {
    let mut reader = BufReader::new(socket);
    loop {
        let Some(request) = read_request(&mut reader).await? else {
            return Ok(());
        };
        let mut reply = handler(request).await;
        while let Reply::Stall(wait, inner) = reply {
            tokio::time::sleep(wait).await;
            reply = *inner;
        }
        let socket = reader.get_mut();
        match reply {
            Reply::Answer {
                status,
                headers,
                body,
            } => {
                socket
                    .write_all(&head(status, &headers, body.len()))
                    .await?;
                socket.write_all(&body).await?;
                socket.flush().await?;
            }
            Reply::Close => {
                socket.shutdown().await?;
                return Ok(());
            }
            Reply::CutBody {
                status,
                headers,
                body,
            } => {
                socket
                    .write_all(&head(status, &headers, body.len()))
                    .await?;
                socket.write_all(&body[..body.len() / 2]).await?;
                socket.flush().await?;
                socket.shutdown().await?;
                return Ok(());
            }
            Reply::Stall(..) => unreachable!("stalls are unwrapped above"),
        }
    }
}

fn head(status: u16, headers: &[(String, String)], length: usize) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("content-length: {length}\r\n\r\n"));
    head.into_bytes()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Reads one request; `None` when the client closed the connection between requests.
async fn read_request(reader: &mut BufReader<TcpStream>) -> std::io::Result<Option<Received>> {
    let mut line = String::new();
    if reader.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await?;
    let url = url::Url::parse(&format!("http://loopback{target}")).expect("request target");
    Ok(Some(Received {
        method,
        path: url.path().to_owned(),
        query: url.query_pairs().into_owned().collect(),
        headers,
        body,
    }))
}
