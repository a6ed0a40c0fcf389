//! The bulletin board's log as data: its events and their legal order, the RFC 6962 Merkle
//! tree over them, and signed checkpoints. Pure library code: the board stores and serves
//! it, the observers' verifier checks it.

pub mod bounds;
pub mod checkpoint;
pub mod event;
pub mod keys;
pub mod merkle;
pub mod record;
pub mod registration;
pub mod state;

/// Whether `text` is exactly what dauys writes for `value` (its canonical JSON), compared
/// while serializing, without building the string.
pub fn is_canonical<T: serde::Serialize>(value: &T, text: &str) -> bool {
    struct Compare<'a>(&'a [u8]);
    impl std::io::Write for Compare<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            match self.0.strip_prefix(buf) {
                Some(rest) => {
                    self.0 = rest;
                    Ok(buf.len())
                }
                None => Err(std::io::Error::other("differs")),
            }
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut rest = Compare(text.as_bytes());
    serde_json::to_writer(&mut rest, value).is_ok() && rest.0.is_empty()
}

#[cfg(test)]
mod tests {
    #[test]
    fn canonical_means_byte_for_byte() {
        let value = serde_json::json!({"a": 1, "b": [true, "x"]});
        assert!(super::is_canonical(&value, r#"{"a":1,"b":[true,"x"]}"#));
        for other in [r#"{"a":1,"b":[true,"x"]} "#, r#"{"a":1, "b":[true,"x"]}"#, r#"{"a":1,"b":[true,"x"#, ""] {
            assert!(!super::is_canonical(&value, other), "{other:?}");
        }
    }
}
