//! The bulletin board's Merkle tree: RFC 6962 / RFC 9162 §2.1 with SHA-256.
//!
//! ```text
//! MTH({})       = SHA-256()
//! MTH({d})      = SHA-256(0x00 ‖ d)                              (leaf hash)
//! MTH(D[0:n])   = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n]))     k = largest power of 2 < n
//! ```
//!
//! The root, inclusion proofs and consistency proofs are computed from the hashes of complete
//! subtrees (`node(level, i)` = `MTH(D[i·2^level : (i+1)·2^level])`), wherever a [`Nodes`]
//! keeps them: [`Tree`] in memory (level by level, `2n` hashes for `n` leaves), the board in
//! its database. [`verify_inclusion`] and [`verify_consistency`] are the RFC 9162 §2.1.3.2 and
//! §2.1.4.2 algorithms, on public data only; [`Frontier`] computes a root while streaming the
//! leaves in `O(log n)` memory, as the observer's verifier does, and names every complete
//! subtree as it is completed, as the board stores them.

use sha2::{Digest, Sha256};
use thiserror::Error;

pub type Hash = [u8; 32];

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MerkleError {
    #[error("leaf index {index} is not below the tree size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("tree size {size} is larger than the log ({len} entries)")]
    SizeOutOfRange { size: u64, len: u64 },
    #[error("consistency between sizes {first} and {second} cannot be proven: {reason}")]
    BadSizes { first: u64, second: u64, reason: &'static str },
    #[error("the {what} is {found} bytes, not 32")]
    BadHashLength { what: &'static str, found: usize },
    #[error("proof has the wrong number of hashes for sizes ({0})")]
    BadProofLength(String),
    #[error("the proof does not lead to the {0}")]
    RootMismatch(&'static str),
}

/// `SHA-256(0x00 ‖ data)`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree, `SHA-256()`.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The largest power of two strictly below `n` (for `n ≥ 2`).
fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// Where the hashes of a tree's complete subtrees are kept. `node(level, index)` is
/// `MTH(D[index·2^level : (index+1)·2^level])`; the functions below ask only for subtrees
/// complete within the size they are given, which the caller checks is at most the tree's.
pub trait Nodes {
    type Error: From<MerkleError>;
    fn node(&self, level: u32, index: u64) -> Result<Hash, Self::Error>;
}

/// `MTH(D[start:end])` from complete subtrees: `O(log n)` of them.
fn subtree<N: Nodes + ?Sized>(nodes: &N, start: u64, end: u64) -> Result<Hash, N::Error> {
    let len = end - start;
    if len == 0 {
        return Ok(empty_root());
    }
    if len.is_power_of_two() && start.is_multiple_of(len) {
        let level = len.trailing_zeros();
        return nodes.node(level, start >> level);
    }
    let k = split(len);
    Ok(node_hash(&subtree(nodes, start, start + k)?, &subtree(nodes, start + k, end)?))
}

/// The root of the first `size` leaves.
pub fn root_of<N: Nodes + ?Sized>(nodes: &N, size: u64) -> Result<Hash, N::Error> {
    subtree(nodes, 0, size)
}

/// RFC 6962 `PATH(index, D[0:size])`, leaf to root.
pub fn inclusion_proof_of<N: Nodes + ?Sized>(nodes: &N, index: u64, size: u64) -> Result<Vec<Hash>, N::Error> {
    if index >= size {
        return Err(MerkleError::IndexOutOfRange { index, size }.into());
    }
    let mut proof = Vec::new();
    let (mut start, mut end) = (0, size);
    // Walk down from the root, recording the sibling subtree at each split.
    while end - start > 1 {
        let k = split(end - start);
        if index < start + k {
            proof.push(subtree(nodes, start + k, end)?);
            end = start + k;
        } else {
            proof.push(subtree(nodes, start, start + k)?);
            start += k;
        }
    }
    proof.reverse();
    Ok(proof)
}

/// RFC 6962 `PROOF(first, D[0:second])`, for `0 < first ≤ second`.
pub fn consistency_proof_of<N: Nodes + ?Sized>(nodes: &N, first: u64, second: u64) -> Result<Vec<Hash>, N::Error> {
    if first == 0 || first > second {
        return Err(MerkleError::BadSizes { first, second, reason: "need 0 < first ≤ second" }.into());
    }
    let mut proof = Vec::new();
    let (mut start, mut end, mut m, mut complete) = (0, second, first, true);
    // SUBPROOF(m, D[start:end], complete), iteratively.
    while m != end - start {
        let k = split(end - start);
        if m <= k {
            proof.push(subtree(nodes, start + k, end)?);
            end = start + k;
        } else {
            proof.push(subtree(nodes, start, start + k)?);
            start += k;
            m -= k;
            complete = false;
        }
    }
    if !complete {
        proof.push(subtree(nodes, start, end)?);
    }
    proof.reverse();
    Ok(proof)
}

/// An append-only Merkle tree with every complete subtree's hash kept.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// `levels[k][i]` = hash of leaves `[i·2^k, (i+1)·2^k)`.
    levels: Vec<Vec<Hash>>,
}

impl Tree {
    pub fn new() -> Self {
        Tree { levels: vec![Vec::new()] }
    }

    /// Number of leaves.
    pub fn len(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends a leaf by its leaf hash; returns its index.
    pub fn push(&mut self, leaf: Hash) -> u64 {
        if self.levels.is_empty() {
            self.levels.push(Vec::new());
        }
        self.levels[0].push(leaf);
        let index = self.len() - 1;
        // Every subtree this leaf completes gets its hash.
        let mut level = 0;
        while self.levels[level].len().is_multiple_of(2) {
            let n = self.levels[level].len();
            let parent = node_hash(&self.levels[level][n - 2], &self.levels[level][n - 1]);
            if self.levels.len() == level + 1 {
                self.levels.push(Vec::new());
            }
            self.levels[level + 1].push(parent);
            level += 1;
        }
        index
    }

    /// The leaf hash at `index`.
    pub fn leaf(&self, index: u64) -> Option<&Hash> {
        self.levels.first()?.get(index as usize)
    }

    fn check_size(&self, size: u64) -> Result<(), MerkleError> {
        if size > self.len() {
            return Err(MerkleError::SizeOutOfRange { size, len: self.len() });
        }
        Ok(())
    }

    /// The root of the first `size` leaves.
    pub fn root(&self, size: u64) -> Result<Hash, MerkleError> {
        self.check_size(size)?;
        root_of(self, size)
    }

    /// RFC 6962 `PATH(index, D[0:size])`, leaf to root.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, MerkleError> {
        self.check_size(size)?;
        inclusion_proof_of(self, index, size)
    }

    /// RFC 6962 `PROOF(first, D[0:second])`, for `0 < first ≤ second`.
    pub fn consistency_proof(&self, first: u64, second: u64) -> Result<Vec<Hash>, MerkleError> {
        self.check_size(second)?;
        consistency_proof_of(self, first, second)
    }
}

impl Nodes for Tree {
    type Error = MerkleError;

    fn node(&self, level: u32, index: u64) -> Result<Hash, MerkleError> {
        let stored = self.levels.get(level as usize).and_then(|l| l.get(index as usize));
        stored.copied().ok_or(MerkleError::SizeOutOfRange { size: (index + 1) << level, len: self.len() })
    }
}

fn as_hash(what: &'static str, bytes: &[u8]) -> Result<Hash, MerkleError> {
    bytes.try_into().map_err(|_| MerkleError::BadHashLength { what, found: bytes.len() })
}

/// RFC 9162 §2.1.3.2: does `proof` show the leaf with hash `leaf` at `index` in the tree of
/// `size` leaves with root `root`?
pub fn verify_inclusion(index: u64, size: u64, leaf: &[u8], proof: &[Hash], root: &[u8]) -> Result<(), MerkleError> {
    if index >= size {
        return Err(MerkleError::IndexOutOfRange { index, size });
    }
    let mut r = as_hash("leaf hash", leaf)?;
    let root = as_hash("root", root)?;
    let (mut f, mut s) = (index, size - 1);
    for p in proof {
        if s == 0 {
            return Err(MerkleError::BadProofLength(format!("index {index}, size {size}: too long")));
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(MerkleError::BadProofLength(format!("index {index}, size {size}: too short")));
    }
    if r != root {
        return Err(MerkleError::RootMismatch("root"));
    }
    Ok(())
}

/// RFC 9162 §2.1.4.2: does `proof` show that the tree of `first` leaves with root
/// `first_root` is a prefix of the tree of `second` leaves with root `second_root`?
///
/// Equal sizes need an empty proof and equal roots; a first size of 0 proves nothing and is
/// refused.
pub fn verify_consistency(
    first: u64,
    second: u64,
    proof: &[Hash],
    first_root: &[u8],
    second_root: &[u8],
) -> Result<(), MerkleError> {
    if first == 0 {
        return Err(MerkleError::BadSizes { first, second, reason: "the empty tree is a prefix of every tree" });
    }
    if first > second {
        return Err(MerkleError::BadSizes { first, second, reason: "the first tree is larger" });
    }
    if first == second {
        if !proof.is_empty() {
            return Err(MerkleError::BadProofLength(format!("{first} = {second}: must be empty")));
        }
        return if first_root == second_root { Ok(()) } else { Err(MerkleError::RootMismatch("same-size root")) };
    }
    let (first_root, second_root) = (as_hash("first root", first_root)?, as_hash("second root", second_root)?);
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if first.is_power_of_two() {
        path.push(first_root);
    }
    path.extend_from_slice(proof);
    if proof.is_empty() {
        return Err(MerkleError::BadProofLength(format!("{first} < {second}: empty")));
    }
    let (mut f, mut s) = (first - 1, second - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (path[0], path[0]);
    for c in &path[1..] {
        if s == 0 {
            return Err(MerkleError::BadProofLength(format!("{first} < {second}: too long")));
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(MerkleError::BadProofLength(format!("{first} < {second}: too short")));
    }
    if fr != first_root {
        return Err(MerkleError::RootMismatch("first root"));
    }
    if sr != second_root {
        return Err(MerkleError::RootMismatch("second root"));
    }
    Ok(())
}

/// The right edge of a tree being built leaf by leaf: the roots of its complete subtrees,
/// largest first. Enough to compute the root in `O(log n)` memory.
#[derive(Debug, Clone, Default)]
pub struct Frontier {
    size: u64,
    /// `(height, hash)` of each complete subtree on the right edge, largest first.
    peaks: Vec<(u32, Hash)>,
}

impl Frontier {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> u64 {
        self.size
    }

    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// The right edge of a tree of `size` leaves, from its stored complete subtrees: the one
    /// at each level where `size` has a bit set.
    pub fn resume<N: Nodes + ?Sized>(nodes: &N, size: u64) -> Result<Frontier, N::Error> {
        let mut peaks = Vec::new();
        for height in (0..64u32).rev().filter(|h| size >> h & 1 == 1) {
            peaks.push((height, nodes.node(height, (size >> height) - 1)?));
        }
        Ok(Frontier { size, peaks })
    }

    pub fn push(&mut self, leaf: Hash) {
        self.push_completing(leaf, |_, _, _| {});
    }

    /// Appends a leaf and calls `completed(level, index, hash)` for every subtree it completes,
    /// the leaf itself (level 0) first: what [`Nodes`] must then hold.
    pub fn push_completing(&mut self, leaf: Hash, mut completed: impl FnMut(u32, u64, &Hash)) {
        let end = self.size + 1;
        completed(0, self.size, &leaf);
        let mut node = (0u32, leaf);
        while let Some(&(height, hash)) = self.peaks.last() {
            if height != node.0 {
                break;
            }
            self.peaks.pop();
            node = (height + 1, node_hash(&hash, &node.1));
            completed(node.0, (end >> node.0) - 1, &node.1);
        }
        self.peaks.push(node);
        self.size = end;
    }

    /// The root of the leaves pushed so far: the peaks folded right to left.
    pub fn root(&self) -> Hash {
        let mut iter = self.peaks.iter().rev();
        let Some(&(_, mut acc)) = iter.next() else { return empty_root() };
        for (_, hash) in iter {
            acc = node_hash(hash, &acc);
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(n: u64) -> Tree {
        let mut t = Tree::new();
        for i in 0..n {
            t.push(leaf_hash(&i.to_le_bytes()));
        }
        t
    }

    /// MTH straight from the definition, for comparison.
    fn reference_root(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => empty_root(),
            1 => leaves[0],
            n => {
                let k = split(n as u64) as usize;
                node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
            }
        }
    }

    #[test]
    fn roots_proofs_and_frontier_agree_for_every_small_size() {
        let t = tree(70);
        let leaves: Vec<Hash> = (0..70).map(|i| *t.leaf(i).unwrap()).collect();
        let mut frontier = Frontier::new();
        assert_eq!(frontier.root(), empty_root());
        for size in 1..=70u64 {
            frontier.push(leaves[size as usize - 1]);
            let root = t.root(size).unwrap();
            assert_eq!(root, reference_root(&leaves[..size as usize]), "size {size}");
            assert_eq!(frontier.root(), root, "frontier at size {size}");
            for index in 0..size {
                let proof = t.inclusion_proof(index, size).unwrap();
                verify_inclusion(index, size, &leaves[index as usize], &proof, &root).unwrap();
                assert!(verify_inclusion(index, size, &leaves[(index as usize + 1) % 70], &proof, &root).is_err());
            }
            for first in 1..=size {
                let proof = t.consistency_proof(first, size).unwrap();
                let first_root = t.root(first).unwrap();
                verify_consistency(first, size, &proof, &first_root, &root).unwrap();
                if first < size {
                    assert!(verify_consistency(first, size, &proof, &root, &root).is_err());
                }
            }
        }
        assert!(t.root(71).is_err());
        assert!(t.inclusion_proof(70, 70).is_err());
        assert!(t.consistency_proof(0, 5).is_err());
    }

    /// Complete subtrees as the board keeps them: only those a frontier reported.
    struct Stored(std::collections::HashMap<(u32, u64), Hash>);

    impl Nodes for Stored {
        type Error = MerkleError;
        fn node(&self, level: u32, index: u64) -> Result<Hash, MerkleError> {
            self.0.get(&(level, index)).copied().ok_or(MerkleError::RootMismatch("a missing node"))
        }
    }

    #[test]
    fn nodes_reported_by_the_frontier_serve_the_same_proofs_and_resume_it() {
        let t = tree(70);
        let mut stored = Stored(Default::default());
        let mut frontier = Frontier::new();
        for size in 1..=70u64 {
            let mut reported = Vec::new();
            frontier.push_completing(*t.leaf(size - 1).unwrap(), |level, index, hash| {
                reported.push((level, index));
                assert!(stored.0.insert((level, index), *hash).is_none(), "({level}, {index}) reported twice");
            });
            // A leaf completes exactly one subtree per trailing one bit of its index, plus itself.
            assert_eq!(reported.len() as u32, (size - 1).trailing_ones() + 1, "size {size}");
            assert_eq!(root_of(&stored, size).unwrap(), t.root(size).unwrap(), "size {size}");
            for index in (0..size).step_by(7) {
                assert_eq!(inclusion_proof_of(&stored, index, size).unwrap(), t.inclusion_proof(index, size).unwrap());
            }
            for first in (1..=size).step_by(5) {
                assert_eq!(
                    consistency_proof_of(&stored, first, size).unwrap(),
                    t.consistency_proof(first, size).unwrap()
                );
            }
            let resumed = Frontier::resume(&stored, size).unwrap();
            assert_eq!((resumed.len(), resumed.root()), (size, frontier.root()), "resumed at {size}");
        }
        // Every node of the in-memory tree, and nothing else, was reported.
        let all: usize = t.levels.iter().map(Vec::len).sum();
        assert_eq!(stored.0.len(), all);
        assert!(inclusion_proof_of(&stored, 70, 70).is_err());
        assert!(consistency_proof_of(&stored, 0, 70).is_err());
    }
}
