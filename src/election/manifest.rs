//! The manifest: what is being decided, by whom, under which rules. Versioned JSON, validated
//! on load with errors that name the field (`contests[2].seats: …`).
//!
//! Every contest is a list of options; a ballot carries one ciphertext per option, and the
//! bounds its proofs are checked against come from here:
//!
//! | kind | marks per option | marks per contest | outcome |
//! | --- | --- | --- | --- |
//! | `referendum` | 0..=1 | exactly 1 | adopted iff yes > no |
//! | `majority` | 0..=1 | exactly 1 | winner with > 50 % of votes cast, else a runoff of the two leaders |
//! | `plurality` | 0..=1 | exactly 1 | the `winners` options with most votes |
//! | `approval` | 0..=1 | `min..=max` | the `winners` options with most votes |
//! | `party_list` | 0..=1 | exactly 1 | `seats` seats by threshold, quota and largest remainder |

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ElectionError;
use crate::crypto::group::{Element, Fingerprint};
use crate::crypto::threshold::ThresholdParams;

pub const MANIFEST_VERSION: u32 = 1;

/// Text in the three languages of the election: Kazakh, Russian, English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub en: String,
    pub kk: String,
    pub ru: String,
}

impl Label {
    /// The same text in all three languages (names, which are not translated).
    pub fn same(text: &str) -> Self {
        Label { en: text.into(), kk: text.into(), ru: text.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    Kk,
    Ru,
    #[default]
    En,
}

/// What happens when a credential casts a second ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevotePolicy {
    /// Every ballot is accepted; only the last one of each credential counts.
    LastCounts,
    /// A second ballot from the same credential is refused.
    Refused,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContestKind {
    Referendum,
    Majority,
    Plurality,
    Approval,
    PartyList,
}

impl ContestKind {
    /// The name the manifest uses.
    pub fn name(self) -> &'static str {
        match self {
            ContestKind::Referendum => "referendum",
            ContestKind::Majority => "majority",
            ContestKind::Plurality => "plurality",
            ContestKind::Approval => "approval",
            ContestKind::PartyList => "party_list",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContestOption {
    /// Marks an "against all" option: it counts in the votes cast but wins nothing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub against_all: bool,
    pub id: String,
    pub label: Label,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contest {
    pub id: String,
    pub kind: ContestKind,
    /// `approval` only: the most options a voter may mark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// `approval` only: the fewest options a voter may mark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    pub options: Vec<ContestOption>,
    /// `party_list` only: seats to allocate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seats: Option<u32>,
    /// `party_list` only: the share of the votes cast, in percent, a party needs for seats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_percent: Option<u32>,
    pub title: Label,
    /// `plurality` and `approval`: how many options win (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub winners: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrusteeCount {
    pub count: u32,
    /// Each trustee's identity public key `I_1 … I_n`, in seat order: the key that signs the
    /// seat's transport key (`specs/protocol.md` §7.8). Required in a setup event (so by
    /// `dauys board init`); a draft manifest may leave it out for a tool that plays every
    /// trustee and names them itself (the demo, the simulator).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identities: Vec<Element>,
    pub threshold: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The Ed25519 key (RFC 8032 encoding) of the CA that certifies citizens' signing keys,
    /// for an election whose voters register (`specs/protocol.md` §14): the roll must name
    /// this key, so that nobody who runs the election can certify keys of its own choosing.
    /// Absent for an election whose open event lists the credentials.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::crypto::group::hex_bytes32_option")]
    pub citizen_ca: Option<[u8; 32]>,
    pub contests: Vec<Contest>,
    pub election_id: String,
    pub revote: RevotePolicy,
    pub title: Label,
    pub trustees: TrusteeCount,
    pub version: u32,
}

/// Limits that keep a manifest (and so every ballot, proof and event line) of bounded size.
pub const MAX_CONTESTS: usize = 64;
/// Options in one contest.
pub const MAX_OPTIONS: usize = 128;
/// Options in all contests together: the ciphertexts of one ballot.
pub const MAX_BALLOT_OPTIONS: usize = 1024;
/// Bytes (UTF-8) of one text of a label.
pub const MAX_LABEL_BYTES: usize = 1024;
pub const MAX_ID_LEN: usize = 64;

fn field_error(field: String, reason: impl Into<String>) -> ElectionError {
    ElectionError::Manifest { field, reason: reason.into() }
}

fn check_id(field: String, id: &str) -> Result<(), ElectionError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'-');
    if ok {
        Ok(())
    } else {
        Err(field_error(field, format!("{id:?} must be 1 to {MAX_ID_LEN} characters of a-z, 0-9, '_' or '-'")))
    }
}

/// A label's three texts: each at most [`MAX_LABEL_BYTES`] bytes, without control characters
/// (below U+0020), so that its canonical JSON takes at most twice its bytes (only `"` and `\`
/// are then escaped).
fn check_label(field: String, label: &Label) -> Result<(), ElectionError> {
    for (lang, text) in [("en", &label.en), ("kk", &label.kk), ("ru", &label.ru)] {
        if text.len() > MAX_LABEL_BYTES {
            return Err(field_error(format!("{field}.{lang}"), format!("longer than {MAX_LABEL_BYTES} bytes")));
        }
        if text.bytes().any(|b| b < b' ') {
            return Err(field_error(format!("{field}.{lang}"), "a control character"));
        }
    }
    Ok(())
}

impl Contest {
    /// `(lo, hi)` marks allowed on one option.
    pub fn option_bounds(&self) -> (u64, u64) {
        (0, 1)
    }

    /// `(lo, hi)` marks allowed in the contest as a whole.
    pub fn sum_bounds(&self) -> (u64, u64) {
        match self.kind {
            ContestKind::Approval => (u64::from(self.min.unwrap_or(0)), u64::from(self.max.unwrap_or(1))),
            _ => (1, 1),
        }
    }

    pub fn option_index(&self, id: &str) -> Option<usize> {
        self.options.iter().position(|o| o.id == id)
    }

    fn validate(&self, at: &str) -> Result<(), ElectionError> {
        let f = |name: &str| format!("{at}.{name}");
        check_id(f("id"), &self.id)?;
        check_label(f("title"), &self.title)?;
        let n = self.options.len();
        if n == 0 || n > MAX_OPTIONS {
            return Err(field_error(f("options"), format!("must list 1 to {MAX_OPTIONS} options, found {n}")));
        }
        for (i, o) in self.options.iter().enumerate() {
            check_id(format!("{at}.options[{i}].id"), &o.id)?;
            if self.options[..i].iter().any(|p| p.id == o.id) {
                return Err(field_error(format!("{at}.options[{i}].id"), format!("{:?} appears twice", o.id)));
            }
            check_label(format!("{at}.options[{i}].label"), &o.label)?;
        }
        let against_all = self.options.iter().filter(|o| o.against_all).count();
        let candidates = n - against_all;
        let forbid = |name: &str, present: bool| -> Result<(), ElectionError> {
            if present {
                Err(field_error(f(name), format!("not allowed in a {} contest", self.kind.name())))
            } else {
                Ok(())
            }
        };
        if self.kind != ContestKind::PartyList {
            forbid("seats", self.seats.is_some())?;
            forbid("threshold_percent", self.threshold_percent.is_some())?;
        }
        if self.kind != ContestKind::Approval {
            forbid("min", self.min.is_some())?;
            forbid("max", self.max.is_some())?;
        }
        if !matches!(self.kind, ContestKind::Plurality | ContestKind::Approval) {
            forbid("winners", self.winners.is_some())?;
        }
        if against_all > 1 {
            return Err(field_error(f("options"), "at most one option may be against_all"));
        }
        match self.kind {
            ContestKind::Referendum => {
                let ids: Vec<&str> = self.options.iter().map(|o| o.id.as_str()).collect();
                if ids != ["yes", "no"] || against_all > 0 {
                    return Err(field_error(f("options"), "a referendum has exactly the options \"yes\" then \"no\""));
                }
            }
            ContestKind::Majority => {
                if candidates < 1 {
                    return Err(field_error(f("options"), "needs at least one candidate"));
                }
            }
            ContestKind::Plurality | ContestKind::Approval => {
                let winners = self.winners.unwrap_or(1) as usize;
                if winners == 0 || winners > candidates {
                    return Err(field_error(f("winners"), format!("must be 1 to {candidates} (the candidates)")));
                }
                if self.kind == ContestKind::Approval {
                    if against_all > 0 {
                        return Err(field_error(f("options"), "an approval contest has no against_all option"));
                    }
                    let Some(min) = self.min else {
                        return Err(field_error(f("min"), "an approval contest needs min"));
                    };
                    let Some(max) = self.max else {
                        return Err(field_error(f("max"), "an approval contest needs max"));
                    };
                    if min > max || max as usize > n || max == 0 {
                        return Err(field_error(
                            f("max"),
                            format!("need min ≤ max, 1 ≤ max ≤ {n}, found {min} and {max}"),
                        ));
                    }
                }
            }
            ContestKind::PartyList => {
                match self.seats {
                    Some(s) if (1..=10_000).contains(&s) => {}
                    _ => return Err(field_error(f("seats"), "a party_list contest needs 1 to 10000 seats")),
                }
                match self.threshold_percent {
                    Some(p) if p < 100 => {}
                    _ => {
                        return Err(field_error(
                            f("threshold_percent"),
                            "a party_list contest needs a threshold below 100",
                        ));
                    }
                }
                if candidates < 1 {
                    return Err(field_error(f("options"), "needs at least one party"));
                }
            }
        }
        Ok(())
    }
}

impl Manifest {
    /// Parses and validates a manifest.
    pub fn from_json(text: &str) -> Result<Self, ElectionError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let manifest: Manifest = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            field_error(if path == "." { "manifest".into() } else { path }, e.inner().to_string())
        })?;
        de.end().map_err(|e| field_error("manifest".into(), e.to_string()))?;
        manifest.validate()?;
        Ok(manifest)
    }

    /// The canonical JSON form (sorted keys, no whitespace), which the setup fingerprint hashes.
    pub fn to_canonical_json(&self) -> String {
        serde_json::to_string(self).expect("a manifest always serializes")
    }

    pub fn validate(&self) -> Result<(), ElectionError> {
        if self.version != MANIFEST_VERSION {
            return Err(field_error(
                "version".into(),
                format!("unsupported version {}, expected {MANIFEST_VERSION}", self.version),
            ));
        }
        check_id("election_id".into(), &self.election_id)?;
        if let Some(key) = &self.citizen_ca {
            ed25519_dalek::VerifyingKey::from_bytes(key)
                .map_err(|_| field_error("citizen_ca".into(), "not an Ed25519 public key"))?;
        }
        self.threshold_params()?;
        check_label("title".into(), &self.title)?;
        if !self.trustees.identities.is_empty() {
            self.check_identities()?;
        }
        if self.contests.is_empty() || self.contests.len() > MAX_CONTESTS {
            return Err(field_error("contests".into(), format!("must list 1 to {MAX_CONTESTS} contests")));
        }
        let width = self.ballot_width();
        if width > MAX_BALLOT_OPTIONS {
            return Err(field_error(
                "contests".into(),
                format!("{width} options in all, at most {MAX_BALLOT_OPTIONS} are allowed"),
            ));
        }
        for (i, c) in self.contests.iter().enumerate() {
            c.validate(&format!("contests[{i}]"))?;
            if self.contests[..i].iter().any(|d| d.id == c.id) {
                return Err(field_error(format!("contests[{i}].id"), format!("{:?} appears twice", c.id)));
            }
        }
        Ok(())
    }

    /// The trustees' identity keys are all there (one per seat), none the identity element,
    /// no two equal (one party in two seats). A setup requires this; a draft need not.
    pub fn check_identities(&self) -> Result<(), ElectionError> {
        let ids = &self.trustees.identities;
        let field = || "trustees.identities".to_string();
        if ids.len() != self.trustees.count as usize {
            return Err(field_error(
                field(),
                format!("must list the identity keys of all {} trustees, found {}", self.trustees.count, ids.len()),
            ));
        }
        for (i, id) in ids.iter().enumerate() {
            if *id == Element::identity() {
                return Err(field_error(field(), format!("trustee {}'s identity key is the identity element", i + 1)));
            }
            if let Some(j) = ids[..i].iter().position(|o| o == id) {
                return Err(field_error(
                    field(),
                    format!("trustees {} and {} have the same identity key", j + 1, i + 1),
                ));
            }
        }
        Ok(())
    }

    /// The identity key of seat `trustee` (1-based), if the manifest names it.
    pub fn identity(&self, trustee: u32) -> Option<&Element> {
        trustee.checked_sub(1).and_then(|i| self.trustees.identities.get(i as usize))
    }

    /// The trustees' count and threshold, checked (`1 ≤ threshold ≤ count ≤ 255`): an error
    /// names `trustees` for a manifest that breaks the rule.
    pub fn threshold_params(&self) -> Result<ThresholdParams, ElectionError> {
        ThresholdParams::new(self.trustees.count, self.trustees.threshold)
            .map_err(|e| field_error("trustees".into(), e.to_string()))
    }

    pub fn contest_index(&self, id: &str) -> Option<usize> {
        self.contests.iter().position(|c| c.id == id)
    }

    /// The setup fingerprint: `SHA-256("dauys/setup/v1" ‖ u64_le(len) ‖ canonical manifest)`.
    /// It binds the key ceremony's proofs, before the joint key exists.
    pub fn setup_fingerprint(&self) -> Fingerprint {
        let json = self.to_canonical_json();
        let mut h = Sha256::new();
        h.update(b"dauys/setup/v1");
        h.update((json.len() as u64).to_le_bytes());
        h.update(json.as_bytes());
        Fingerprint(h.finalize().into())
    }

    /// The number of ciphertexts in one ballot.
    pub fn ballot_width(&self) -> usize {
        self.contests.iter().map(|c| c.options.len()).sum()
    }

    /// Checks marks per contest and option (as ballots carry them) against every bound.
    pub fn marks_fit(&self, marks: &[Vec<u64>]) -> Result<(), ElectionError> {
        if marks.len() != self.contests.len() {
            return Err(ElectionError::Choice(format!(
                "{} contests marked, the ballot has {}",
                marks.len(),
                self.contests.len()
            )));
        }
        for (contest, m) in self.contests.iter().zip(marks) {
            let (lo, hi) = contest.sum_bounds();
            let (olo, ohi) = contest.option_bounds();
            // Each mark is bounded before they are added, so the sum cannot overflow.
            let fits = m.len() == contest.options.len() && m.iter().all(|x| (olo..=ohi).contains(x)) && {
                let total: u64 = m.iter().sum();
                (lo..=hi).contains(&total)
            };
            if !fits {
                return Err(ElectionError::Choice(format!("marks for contest {:?} do not fit its rules", contest.id)));
            }
        }
        Ok(())
    }

    /// Choices by option id (`contest id → option ids marked`) into marks per option. Every
    /// contest must be named, with an empty list where the voter leaves one empty (a contest
    /// forgotten is not a blank vote); an unknown id is refused with the valid ones.
    pub fn marks(&self, choices: &BTreeMap<String, Vec<String>>) -> Result<Vec<Vec<u64>>, ElectionError> {
        let ids = |items: &mut dyn Iterator<Item = &str>| items.collect::<Vec<_>>().join(", ");
        for id in choices.keys() {
            if self.contest_index(id).is_none() {
                return Err(ElectionError::Choice(format!(
                    "no contest {id:?} in this election; its contests: {}",
                    ids(&mut self.contests.iter().map(|c| c.id.as_str()))
                )));
            }
        }
        let missing: Vec<&str> =
            self.contests.iter().filter(|c| !choices.contains_key(&c.id)).map(|c| c.id.as_str()).collect();
        if !missing.is_empty() {
            return Err(ElectionError::Choice(format!(
                "no choice for contest(s) {}: choose in every contest (`--choice {}=` leaves one empty where \
                 it allows that)",
                missing.join(", "),
                missing[0]
            )));
        }
        self.contests
            .iter()
            .map(|c| {
                let picked = choices.get(&c.id).map(Vec::as_slice).unwrap_or(&[]);
                let mut marks = vec![0u64; c.options.len()];
                for id in picked {
                    let i = c.option_index(id).ok_or_else(|| {
                        ElectionError::Choice(format!(
                            "contest {:?} has no option {id:?}; its options: {}",
                            c.id,
                            ids(&mut c.options.iter().map(|o| o.id.as_str()))
                        ))
                    })?;
                    if marks[i] == 1 {
                        return Err(ElectionError::Choice(format!("option {id:?} of {:?} marked twice", c.id)));
                    }
                    marks[i] = 1;
                }
                let (lo, hi) = c.sum_bounds();
                let n = picked.len() as u64;
                if n < lo || n > hi {
                    return Err(ElectionError::Choice(format!(
                        "contest {:?} takes {} mark(s), found {n}",
                        c.id,
                        if lo == hi { lo.to_string() } else { format!("{lo} to {hi}") }
                    )));
                }
                Ok(marks)
            })
            .collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample() -> Manifest {
        let opt = |id: &str| ContestOption { against_all: false, id: id.into(), label: Label::same(id) };
        Manifest {
            citizen_ca: None,
            version: MANIFEST_VERSION,
            election_id: "test-2026".into(),
            title: Label::same("Test"),
            trustees: TrusteeCount {
                count: 3,
                identities: (1..=3u64)
                    .map(|i| {
                        Element::from_point(crate::crypto::group::mul_g(&curve25519_dalek::scalar::Scalar::from(i)))
                    })
                    .collect(),
                threshold: 2,
            },
            revote: RevotePolicy::LastCounts,
            contests: vec![
                Contest {
                    id: "ref".into(),
                    kind: ContestKind::Referendum,
                    options: vec![opt("yes"), opt("no")],
                    title: Label::same("Q"),
                    max: None,
                    min: None,
                    seats: None,
                    threshold_percent: None,
                    winners: None,
                },
                Contest {
                    id: "board".into(),
                    kind: ContestKind::Approval,
                    options: vec![opt("a"), opt("b"), opt("c")],
                    title: Label::same("B"),
                    max: Some(2),
                    min: Some(0),
                    seats: None,
                    threshold_percent: None,
                    winners: Some(2),
                },
            ],
        }
    }

    #[test]
    fn round_trip_and_canonical() {
        let m = sample();
        let json = m.to_canonical_json();
        let back = Manifest::from_json(&json).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.to_canonical_json(), json);
        assert_eq!(back.setup_fingerprint(), m.setup_fingerprint());
        let mut other = m.clone();
        other.contests[1].max = Some(3);
        assert_ne!(other.setup_fingerprint(), m.setup_fingerprint());
    }

    #[test]
    fn identities_are_one_per_seat_and_distinct() {
        let m = sample();
        m.check_identities().unwrap();
        let mut draft = m.clone();
        draft.trustees.identities.clear();
        draft.validate().unwrap();
        assert!(draft.check_identities().unwrap_err().to_string().contains("all 3 trustees, found 0"));
        assert_ne!(draft.setup_fingerprint(), m.setup_fingerprint(), "F_s binds the identities");
        let mut short = m.clone();
        short.trustees.identities.pop();
        assert!(short.validate().unwrap_err().to_string().starts_with("manifest trustees.identities:"));
        let mut twice = m.clone();
        twice.trustees.identities[2] = twice.trustees.identities[0];
        assert!(twice.validate().unwrap_err().to_string().contains("trustees 1 and 3 have the same"));
        let mut zero = m.clone();
        zero.trustees.identities[1] = Element::identity();
        assert!(zero.validate().unwrap_err().to_string().contains("trustee 2's identity key"));
        let mut swapped = m.clone();
        swapped.trustees.identities.swap(0, 1);
        assert_ne!(swapped.setup_fingerprint(), m.setup_fingerprint());
    }

    #[test]
    fn errors_name_the_field() {
        let json = sample().to_canonical_json();
        let cases = [
            (json.replace("\"max\":2", "\"max\":4"), "contests[1].max"),
            (json.replace("\"seats\"", "\"x\"").replace("\"max\":2", "\"max\":2,\"seats\":3"), "contests[1].seats"),
            (json.replace("\"id\":\"b\"", "\"id\":\"a\""), "contests[1].options[1].id"),
            (json.replace("\"id\":\"no\"", "\"id\":\"nope\""), "contests[0].options"),
            (json.replace("\"threshold\":2", "\"threshold\":4"), "trustees"),
            (json.replace("\"version\":1", "\"version\":2"), "version"),
            (json.replace("\"kind\":\"approval\"", "\"kind\":\"ranked\""), "contests[1].kind"),
            (json.replace("\"winners\":2", "\"winners\":2,\"colour\":1"), "contests[1].colour"),
            (json.replace("\"election_id\":\"test-2026\"", "\"election_id\":\"Test 2026\""), "election_id"),
            (format!("{json} trailing"), "manifest"),
            (json[..json.len() - 3].to_string(), "manifest"),
        ];
        for (text, field) in cases {
            let err = Manifest::from_json(&text).unwrap_err();
            assert!(err.to_string().starts_with(&format!("manifest {field}:")), "expected {field}, got: {err}");
        }
    }

    #[test]
    fn choices_to_marks() {
        let m = sample();
        let pick = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
            pairs.iter().map(|(c, o)| (c.to_string(), o.iter().map(|s| s.to_string()).collect())).collect()
        };
        assert_eq!(
            m.marks(&pick(&[("ref", &["no"]), ("board", &["a", "c"])])).unwrap(),
            vec![vec![0, 1], vec![1, 0, 1]]
        );
        // An approval contest left empty must be said so; forgotten, it is refused.
        assert_eq!(m.marks(&pick(&[("ref", &["yes"]), ("board", &[])])).unwrap(), vec![vec![1, 0], vec![0, 0, 0]]);
        let forgotten = m.marks(&pick(&[("ref", &["yes"])])).unwrap_err().to_string();
        assert!(forgotten.contains("no choice for contest(s) board"), "{forgotten}");
        let typo = m.marks(&pick(&[("ref", &["yess"]), ("board", &[])])).unwrap_err().to_string();
        assert!(typo.contains("no option \"yess\"; its options: yes, no"), "{typo}");
        let contest = m.marks(&pick(&[("rf", &["yes"])])).unwrap_err().to_string();
        assert!(contest.contains("its contests: ref, board"), "{contest}");
        for bad in [
            pick(&[("ref", &[])]),
            pick(&[("ref", &["yes", "no"])]),
            pick(&[("ref", &["maybe"])]),
            pick(&[("ref", &["yes"]), ("board", &["a", "b", "c"])]),
            pick(&[("ref", &["yes"]), ("board", &["a", "a"])]),
            pick(&[("ref", &["yes"]), ("other", &["a"])]),
        ] {
            assert!(m.marks(&bad).is_err(), "{bad:?}");
        }
        // Hostile marks (a challenged ballot's opening) are refused without overflow.
        assert!(m.marks_fit(&[vec![u64::MAX, 1], vec![0, 0, 0]]).is_err());
        assert!(m.marks_fit(&[vec![1, 0], vec![u64::MAX, u64::MAX, 2]]).is_err());
    }
}
