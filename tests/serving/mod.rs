//! A board served in a thread of the test's own process, on a loopback port the system picks:
//! the one in-process server of the HTTP tests (`server.rs`, `roles.rs`, `attacks_desk.rs`,
//! `fuzz_parsers.rs`, the watcher's), and a hostile board in front of it.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;

pub struct Server {
    pub url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    #[allow(dead_code)]
    pub fn start(dir: &Path) -> Server {
        Server::start_with(dir, dauys::board::server::Options::default())
    }

    pub fn start_with(dir: &Path, options: dauys::board::server::Options) -> Server {
        let dir = dir.to_path_buf();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready, addr) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                ready.send(listener.local_addr().unwrap()).unwrap();
                dauys::board::server::serve_with(dir, listener, options, async move {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            });
        });
        let addr = addr.recv().unwrap();
        Server { url: format!("http://{addr}"), stop: Some(stop), thread: Some(thread) }
    }

    /// Stops serving and waits for the server's thread (a panic there fails the test).
    pub fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.thread.take().unwrap().join().unwrap();
    }
}

/// What a hostile board does to an answer: the body to send and the `content-length` to claim.
#[allow(dead_code)] // only the watcher's tests use a hostile board
pub type Tamper = Arc<dyn Fn(&str, Vec<u8>) -> (Vec<u8>, usize) + Send + Sync>;

/// A board in front of a real one: every GET is passed on and its answer given to `tamper`
/// (path, body), which gives the body to send and the `content-length` to claim.
#[allow(dead_code)]
pub fn hostile_proxy(target: String, tamper: Tamper) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let client = dauys::board::client::BoardClient::new(&target);
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let line = String::from_utf8_lossy(&request).lines().next().unwrap_or("").to_string();
            let path = line.split(' ').nth(1).unwrap_or("/").to_string();
            let (status, body) = client.request("GET", &path, None).unwrap();
            let (body, length) = tamper(&path, body);
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
        }
    });
    format!("http://{addr}")
}
