//! The sets and maps a log state keeps per ballot (the digests it has seen, the last ballot
//! of each credential). They grow with the log, so their owner chooses where the committed
//! part lives: tests and tools keep everything in memory; the board keeps it in its database
//! ([`CommittedKeys`]) and only what was added since its last commit here, so that opening a
//! board reads no ballot and a failed commit is undone by forgetting the additions.
//!
//! ```text
//! contains(k)  = k ∈ added  ∨  k ∈ committed
//! len          = |committed| + |added ∖ committed|
//! commit()     : committed ← committed ∪ added   (the owner has written `added`), added ← ∅
//! rollback()   : added ← ∅
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

/// Keys are 32-byte digests or encodings.
pub type Key = [u8; 32];

/// The committed part of a key index, kept outside this process's memory.
pub trait CommittedKeys: Send {
    /// The value stored under `key` (0 in a set), or `None` when it is not stored.
    fn get(&self, key: &Key) -> Result<Option<u64>, String>;
}

/// A map from keys to `u64` (a set stores 0): what a [`KeySet`] or [`KeyMap`] holds.
#[derive(Default)]
pub struct KeyIndex {
    map: bool,
    committed: Option<Box<dyn CommittedKeys>>,
    committed_len: u64,
    added: HashMap<Key, u64>,
    /// Keys in `added` that are not committed.
    fresh: u64,
    /// The first failure to read the committed part; see [`KeyIndex::take_fault`].
    fault: OnceLock<String>,
}

impl std::fmt::Debug for KeyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyIndex")
            .field("len", &self.len())
            .field("added", &self.added.len())
            .field("stored", &self.committed.is_some())
            .finish()
    }
}

impl KeyIndex {
    /// Whether values matter (a map) or not (a set).
    pub fn is_map(&self) -> bool {
        self.map
    }

    /// Keeps the committed part in `committed`, which holds `len` keys; forgets anything added.
    pub fn attach(&mut self, committed: Box<dyn CommittedKeys>, len: u64) {
        self.committed = Some(committed);
        self.committed_len = len;
        self.added.clear();
        self.fresh = 0;
    }

    pub fn len(&self) -> u64 {
        match self.committed {
            Some(_) => self.committed_len + self.fresh,
            None => self.added.len() as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What was added since the last commit (everything, without a committed part), in no
    /// particular order.
    pub fn added(&self) -> impl Iterator<Item = (&Key, u64)> {
        self.added.iter().map(|(k, v)| (k, *v))
    }

    /// The owner has written [`KeyIndex::added`] to the committed part.
    pub fn commit(&mut self) {
        if self.committed.is_some() {
            self.committed_len += self.fresh;
            self.added.clear();
            self.fresh = 0;
        }
    }

    /// Forgets what was added since the last commit.
    pub fn rollback(&mut self) {
        self.added.clear();
        self.fresh = 0;
    }

    /// A failure to read the committed part since the last call. While one is pending, lookups
    /// answered "present" (so the state refused rather than admitted); the owner must treat
    /// the whole step as failed.
    pub fn take_fault(&mut self) -> Option<String> {
        self.fault.take()
    }

    fn get(&self, key: &Key) -> Option<u64> {
        if let Some(v) = self.added.get(key) {
            return Some(*v);
        }
        match self.committed.as_ref()?.get(key) {
            Ok(v) => v,
            Err(e) => {
                let _ = self.fault.set(e);
                Some(u64::MAX)
            }
        }
    }

    fn insert(&mut self, key: Key, value: u64) -> Option<u64> {
        let old = self.get(&key);
        match old {
            // Already there with this value: nothing changes (and nothing is to be written).
            Some(v) if v == value => {}
            Some(_) => {
                self.added.insert(key, value);
            }
            None => {
                self.fresh += 1;
                self.added.insert(key, value);
            }
        }
        old
    }
}

/// A set of keys (the state's `HashSet`s, wherever they are kept).
#[derive(Debug, Default)]
pub struct KeySet(KeyIndex);

impl KeySet {
    pub fn contains(&self, key: &Key) -> bool {
        self.0.get(key).is_some()
    }

    /// Adds `key`; whether it was new.
    pub fn insert(&mut self, key: Key) -> bool {
        self.0.insert(key, 0).is_none()
    }

    pub fn len(&self) -> usize {
        self.0.len() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn index_mut(&mut self) -> &mut KeyIndex {
        &mut self.0
    }
}

/// A map from keys to log indices (the state's `HashMap`s, wherever they are kept).
#[derive(Debug)]
pub struct KeyMap(KeyIndex);

impl Default for KeyMap {
    fn default() -> Self {
        KeyMap(KeyIndex { map: true, ..KeyIndex::default() })
    }
}

impl KeyMap {
    pub fn get(&self, key: &Key) -> Option<u64> {
        self.0.get(key)
    }

    pub fn contains_key(&self, key: &Key) -> bool {
        self.0.get(key).is_some()
    }

    /// Sets `key` to `value`; the value it had.
    pub fn insert(&mut self, key: Key, value: u64) -> Option<u64> {
        self.0.insert(key, value)
    }

    pub fn len(&self) -> usize {
        self.0.len() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn index_mut(&mut self) -> &mut KeyIndex {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A committed part that is a shared map, and can be made to fail.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<(HashMap<Key, u64>, bool)>>);

    impl CommittedKeys for Shared {
        fn get(&self, key: &Key) -> Result<Option<u64>, String> {
            let inner = self.0.lock().unwrap();
            if inner.1 {
                return Err("the disk is gone".into());
            }
            Ok(inner.0.get(key).copied())
        }
    }

    impl Shared {
        fn write(&self, index: &KeyIndex) {
            let mut inner = self.0.lock().unwrap();
            for (k, v) in index.added() {
                inner.0.insert(*k, v);
            }
        }
    }

    #[test]
    fn in_memory_sets_and_maps_behave_as_hash_sets_and_maps() {
        let mut set = KeySet::default();
        assert!(set.insert([1; 32]));
        assert!(!set.insert([1; 32]));
        assert!(set.contains(&[1; 32]) && !set.contains(&[2; 32]));
        assert_eq!(set.len(), 1);
        set.index_mut().commit(); // nothing is stored elsewhere: still in memory
        assert!(set.contains(&[1; 32]));
        let mut map = KeyMap::default();
        assert_eq!(map.insert([1; 32], 5), None);
        assert_eq!(map.insert([1; 32], 9), Some(5));
        assert_eq!((map.get(&[1; 32]), map.len()), (Some(9), 1));
        assert!(map.index_mut().is_map() && !set.index_mut().is_map());
    }

    #[test]
    fn committed_additions_stay_and_rolled_back_ones_go() {
        let store = Shared::default();
        let mut map = KeyMap::default();
        map.index_mut().attach(Box::new(store.clone()), 0);
        map.insert([1; 32], 3);
        map.insert([2; 32], 4);
        store.write(map.index_mut());
        map.index_mut().commit();
        assert_eq!(map.index_mut().added().count(), 0, "committed additions leave memory");
        assert_eq!((map.len(), map.get(&[1; 32])), (2, Some(3)));
        // A re-vote replaces a committed key: the count does not grow.
        assert_eq!(map.insert([1; 32], 7), Some(3));
        map.insert([3; 32], 8);
        assert_eq!(map.len(), 3);
        map.index_mut().rollback();
        assert_eq!((map.len(), map.get(&[1; 32]), map.get(&[3; 32])), (2, Some(3), None));
        // Inserting what is committed already changes nothing, so nothing is written twice.
        let stored_set = Shared::default();
        stored_set.0.lock().unwrap().0.extend([([1; 32], 0), ([2; 32], 0)]);
        let mut set = KeySet::default();
        set.index_mut().attach(Box::new(stored_set), 2);
        assert!(!set.insert([2; 32]));
        assert_eq!(map.insert([2; 32], 4), Some(4));
        assert_eq!((set.index_mut().added().count(), map.index_mut().added().count(), set.len()), (0, 0, 2));
    }

    #[test]
    fn a_failing_store_refuses_and_reports() {
        let store = Shared::default();
        let mut set = KeySet::default();
        set.index_mut().attach(Box::new(store.clone()), 0);
        store.0.lock().unwrap().1 = true;
        assert!(set.contains(&[9; 32]), "an unreadable store answers present, so nothing is admitted twice");
        assert_eq!(set.index_mut().take_fault().as_deref(), Some("the disk is gone"));
        assert_eq!(set.index_mut().take_fault(), None);
    }
}
