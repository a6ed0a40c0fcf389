//! A board served in a thread of the test's own process, on a loopback port the system picks:
//! the one in-process server of the HTTP tests (`server.rs`, `roles.rs`, `attacks_desk.rs`,
//! `fuzz_parsers.rs`).

use std::path::Path;
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
