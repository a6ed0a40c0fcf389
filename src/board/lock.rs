//! One writer per election directory: an exclusive lock on `DIR/board.lock`, held for the
//! writer's life (the operating system releases it when the process ends, however it ends).
//!
//! The holder writes who it is into the file (`{"pid": …, "serving": URL or null}`), so that
//! a second writer is refused with a message naming the process and the address it serves
//! on. Readers never take the lock.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::BoardError;

pub const LOCK_FILE: &str = "board.lock";

/// The writer's hold on a directory; released when dropped.
#[derive(Debug)]
pub struct WriterLock {
    file: File,
    path: PathBuf,
}

fn io(path: &Path, e: std::io::Error) -> BoardError {
    BoardError::Io(format!("{}: {e}", path.display()))
}

#[cfg(unix)]
fn try_lock(file: &File) -> std::io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(unix))]
fn try_lock(file: &File) -> std::io::Result<bool> {
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(std::fs::TryLockError::WouldBlock) => Ok(false),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Who holds a lock, in words, from what it wrote into the file.
fn describe_holder(text: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(text.trim()).unwrap_or_default();
    match (value["pid"].as_u64(), value["serving"].as_str()) {
        (Some(pid), Some(url)) => format!("process {pid}, serving on {url}"),
        (Some(pid), None) => format!("process {pid}"),
        _ => "a process that has not said which yet".into(),
    }
}

impl WriterLock {
    /// Takes the lock on `dir` (which must exist), or says who holds it.
    pub fn acquire(dir: &Path) -> Result<WriterLock, BoardError> {
        let path = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| io(&path, e))?;
        if !try_lock(&file).map_err(|e| io(&path, e))? {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            return Err(BoardError::Busy { dir: dir.display().to_string(), holder: describe_holder(&text) });
        }
        let lock = WriterLock { file, path };
        lock.announce(None)?;
        Ok(lock)
    }

    /// Records this process as the holder, and the URL it serves the board on, if any.
    pub fn announce(&self, serving: Option<&str>) -> Result<(), BoardError> {
        let text = serde_json::json!({"pid": std::process::id(), "serving": serving}).to_string();
        let mut file = &self.file;
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(text.as_bytes()))
            .and_then(|()| file.sync_data())
            .map_err(|e| io(&self.path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holders_are_named_in_words() {
        assert_eq!(
            describe_holder(r#"{"pid":12,"serving":"http://127.0.0.1:8080"}"#),
            "process 12, serving on http://127.0.0.1:8080"
        );
        assert_eq!(describe_holder(r#"{"pid":12,"serving":null}"#), "process 12");
        assert_eq!(describe_holder(""), "a process that has not said which yet");
    }

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = std::env::temp_dir().join(format!("dauys-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let first = WriterLock::acquire(&dir).unwrap();
        first.announce(Some("http://127.0.0.1:1")).unwrap();
        let err = WriterLock::acquire(&dir).unwrap_err().to_string();
        let pid = std::process::id();
        assert!(err.contains(&format!("process {pid}, serving on http://127.0.0.1:1")), "{err}");
        drop(first);
        let again = WriterLock::acquire(&dir).unwrap();
        drop(again);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
