//! What the fuzzers share: a seeded generator and the mutations of JSON and bytes.

#![allow(dead_code)]

/// SplitMix64: a seeded generator, so that every case can be replayed from (seed, case).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    pub fn chance(&mut self, one_in: u64) -> bool {
        self.next().is_multiple_of(one_in)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A random JSON value to put somewhere.
pub fn random_value(rng: &mut Rng, like: &serde_json::Value) -> serde_json::Value {
    use serde_json::{Value, json};
    let hex = |rng: &mut Rng, n: usize| (0..n).map(|_| format!("{:x}", rng.below(16))).collect::<String>();
    match rng.below(14) {
        0 => json!(0),
        1 => json!(1),
        2 => json!(-1),
        3 => json!(u32::MAX as u64 + rng.below(2) as u64),
        4 => json!(u64::MAX),
        5 => serde_json::from_str("18446744073709551616").unwrap_or(Value::Null),
        6 => json!(0.5),
        7 => json!(""),
        8 => json!(hex(rng, 64)),
        9 => json!(*rng.pick(&[
            "00".repeat(32),
            "ff".repeat(32),
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f".to_string(),
            "01".to_string() + &"00".repeat(31)
        ])),
        10 => {
            let n = *rng.pick(&[63, 65, 96, 128]);
            json!(hex(rng, n))
        }
        11 => Value::Null,
        12 => json!([]),
        _ => match like {
            Value::Bool(b) => json!(!b),
            Value::Number(n) => json!(n.as_u64().map_or(0, |x| x.wrapping_add(1))),
            Value::String(s) => {
                let mut t = s.clone();
                if !t.is_empty() {
                    let at = rng.below(t.len());
                    if t.is_char_boundary(at) && t.is_char_boundary(at + 1) && t.as_bytes()[at].is_ascii_hexdigit() {
                        let c = t.as_bytes()[at];
                        t.replace_range(at..at + 1, if c == b'0' { "1" } else { "0" });
                    }
                }
                json!(t)
            }
            other => other.clone(),
        },
    }
}

/// Every path to a node of `v`, as a list of object keys and array indices.
fn nodes(v: &serde_json::Value, path: &mut Vec<serde_json::Value>, out: &mut Vec<Vec<serde_json::Value>>) {
    out.push(path.clone());
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                path.push(serde_json::Value::String(k.clone()));
                nodes(x, path, out);
                path.pop();
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(serde_json::json!(i));
                nodes(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at_path<'a>(v: &'a mut serde_json::Value, path: &[serde_json::Value]) -> &'a mut serde_json::Value {
    path.iter().fold(v, |v, step| match step {
        serde_json::Value::String(k) => v.get_mut(k.as_str()).unwrap(),
        i => v.get_mut(i.as_u64().unwrap() as usize).unwrap(),
    })
}

/// One JSON-level change to a line: a value replaced, a member removed or added, an array
/// shortened, lengthened or reordered. The line is written back in serde's form (sorted keys).
pub fn mutate_json(line: &[u8], rng: &mut Rng) -> Option<(Vec<u8>, String)> {
    use serde_json::Value;
    let mut v: Value = serde_json::from_slice(line).ok()?;
    let mut all = Vec::new();
    nodes(&v, &mut vec![], &mut all);
    let path = rng.pick(&all).clone();
    let node = at_path(&mut v, &path);
    let what = match (rng.below(4), &mut *node) {
        (0, Value::Object(m)) if !m.is_empty() => {
            let k = m.keys().nth(rng.below(m.len())).unwrap().clone();
            m.remove(&k);
            format!("removed member {k}")
        }
        (1, Value::Object(m)) => {
            m.insert("extra".into(), Value::from(1));
            "added a member".into()
        }
        (0, Value::Array(a)) if !a.is_empty() => {
            a.remove(rng.below(a.len()));
            "dropped an array element".into()
        }
        (1, Value::Array(a)) if !a.is_empty() => {
            let x = a[rng.below(a.len())].clone();
            let times = *rng.pick(&[1, 2, 100]);
            for _ in 0..times {
                a.push(x.clone());
            }
            format!("repeated an array element {times} times")
        }
        (2, Value::Array(a)) if a.len() > 1 => {
            let (i, j) = (rng.below(a.len()), rng.below(a.len()));
            a.swap(i, j);
            "swapped array elements".into()
        }
        _ => {
            let like = node.clone();
            *node = random_value(rng, &like);
            format!("replaced the value at {}", serde_json::to_string(&path).unwrap())
        }
    };
    Some((serde_json::to_vec(&v).unwrap(), what))
}

/// One random change to bytes: a bit flipped, a byte set, inserted or removed.
pub fn mutate_bytes(bytes: &mut Vec<u8>, rng: &mut Rng) -> String {
    let at = rng.below(bytes.len().max(1));
    let byte = rng.next() as u8;
    match rng.below(4) {
        0 if !bytes.is_empty() => {
            bytes[at] ^= 1 << rng.below(8);
            format!("bit flipped at {at}")
        }
        1 if !bytes.is_empty() => {
            bytes[at] = byte;
            format!("byte {at} set to {byte:#04x}")
        }
        2 => {
            bytes.insert(at.min(bytes.len()), byte);
            format!("byte {byte:#04x} inserted at {at}")
        }
        _ if !bytes.is_empty() => {
            bytes.remove(at);
            format!("byte {at} removed")
        }
        _ => "nothing".into(),
    }
}
