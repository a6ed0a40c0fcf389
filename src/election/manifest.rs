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
//!
//! Where voters do not all decide the same contests (a Mazhilis district, a maslikhat), the
//! manifest lists its `districts` (the places: the country, regions, single-member districts,
//! local units), gives every contest its district, and lists the `ballot_styles`: which
//! contests each style carries and which precincts of the roll vote on it. Without styles
//! there is one implicit style, [`IMPLICIT_STYLE`], with every contest and every precinct:
//! [`Manifest::styles`] gives the styles that apply either way.

use std::collections::{BTreeMap, HashMap};

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
    /// The district (`Manifest::districts`) whose voters decide the contest: required when the
    /// manifest lists districts, absent when it does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
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

/// What kind of place a district is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistrictKind {
    /// The whole country (at most one).
    National,
    /// A region (oblys) or a city of republican significance.
    Region,
    /// A single-member electoral district (Mazhilis or maslikhat).
    District,
    /// A district, town or rural unit of local government.
    Local,
}

/// A place whose voters decide some contests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct District {
    pub id: String,
    pub kind: DistrictKind,
    /// The district that contains this one; absent for a root (the national district).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub title: Label,
}

/// A ballot style: the contests one ballot carries, and the precincts of the roll whose
/// voters get it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BallotStyle {
    /// Contest ids, in manifest order.
    pub contests: Vec<String>,
    pub id: String,
    /// Precinct names exactly as the roll writes them (`D07-114`); may be empty (an election
    /// without a roll).
    pub precincts: Vec<String>,
}

/// The id of the one style of a manifest without `ballot_styles`.
pub const IMPLICIT_STYLE: &str = "all";

/// A ballot style as it applies: one of the manifest's, or the implicit one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style<'a> {
    /// Its position in [`Manifest::styles`].
    pub index: usize,
    pub id: &'a str,
    /// The indices of its contests in `Manifest::contests`, ascending.
    pub contests: Vec<usize>,
    pub precincts: Precincts<'a>,
}

/// The precincts whose voters get a style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precincts<'a> {
    /// Every precinct: the implicit style.
    Any,
    /// These precincts only.
    Listed(&'a [String]),
}

impl Style<'_> {
    pub fn has_precinct(&self, precinct: &str) -> bool {
        match self.precincts {
            Precincts::Any => true,
            Precincts::Listed(list) => list.iter().any(|p| p == precinct),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Which contests each ballot style carries (`specs/record.md` §2.6). Absent: one implicit
    /// style, [`IMPLICIT_STYLE`], with every contest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ballot_styles: Option<Vec<BallotStyle>>,
    /// The Ed25519 key (RFC 8032 encoding) of the CA that certifies citizens' signing keys,
    /// for an election whose voters register (`specs/protocol.md` §14): the roll must name
    /// this key, so that nobody who runs the election can certify keys of its own choosing.
    /// Absent for an election whose open event lists the credentials.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::crypto::group::hex_bytes32_option")]
    pub citizen_ca: Option<[u8; 32]>,
    pub contests: Vec<Contest>,
    /// The places whose voters decide the contests (`specs/record.md` §2.6). Absent: one
    /// national district, unnamed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub districts: Option<Vec<District>>,
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
/// Districts in the manifest.
pub const MAX_DISTRICTS: usize = 256;
/// Ballot styles in the manifest.
pub const MAX_STYLES: usize = 256;
/// Precincts on all ballot styles together (Kazakhstan has about 10 000).
pub const MAX_PRECINCTS: usize = 16_384;
/// Bytes (UTF-8) of one precinct name.
pub const MAX_PRECINCT_BYTES: usize = 64;

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

/// A precinct name: 1 to [`MAX_PRECINCT_BYTES`] bytes, without control characters (below
/// U+0020) or white space at either end (the roll trims its fields, so such a name could never
/// match one).
fn check_precinct(field: String, name: &str) -> Result<(), ElectionError> {
    if name.is_empty() || name.len() > MAX_PRECINCT_BYTES {
        return Err(field_error(
            field,
            format!("a precinct name has 1 to {MAX_PRECINCT_BYTES} bytes, found {}", name.len()),
        ));
    }
    if name.bytes().any(|b| b < b' ') {
        return Err(field_error(field, format!("{name:?} has a control character")));
    }
    if name.trim() != name {
        return Err(field_error(field, format!("{name:?} begins or ends with white space")));
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
        self.check_districts()?;
        self.check_styles()
    }

    /// The districts, then each contest's district (`specs/record.md` §2.6).
    fn check_districts(&self) -> Result<(), ElectionError> {
        let Some(districts) = &self.districts else {
            if let Some(i) = self.contests.iter().position(|c| c.district.is_some()) {
                return Err(field_error(format!("contests[{i}].district"), "the manifest lists no districts"));
            }
            return Ok(());
        };
        let n = districts.len();
        if n == 0 || n > MAX_DISTRICTS {
            return Err(field_error(
                "districts".into(),
                format!("must list 1 to {MAX_DISTRICTS} districts, found {n}"),
            ));
        }
        for (k, d) in districts.iter().enumerate() {
            check_id(format!("districts[{k}].id"), &d.id)?;
            if let Some(j) = districts[..k].iter().position(|e| e.id == d.id) {
                return Err(field_error(format!("districts[{k}].id"), format!("{:?} is also districts[{j}]", d.id)));
            }
            check_label(format!("districts[{k}].title"), &d.title)?;
        }
        let index = |id: &str| districts.iter().position(|d| d.id == id);
        let mut national = None;
        for (k, d) in districts.iter().enumerate() {
            if d.kind == DistrictKind::National {
                if let Some(j) = national {
                    return Err(field_error(
                        format!("districts[{k}].kind"),
                        format!("a second national district (the first is districts[{j}])"),
                    ));
                }
                national = Some(k);
                if d.parent.is_some() {
                    return Err(field_error(format!("districts[{k}].parent"), "the national district has no parent"));
                }
            }
            if let Some(parent) = &d.parent
                && index(parent).is_none()
            {
                return Err(field_error(format!("districts[{k}].parent"), format!("unknown district {parent:?}")));
            }
        }
        // Every parent exists, so a walk up from a district reaches a root within n steps,
        // unless the district lies on a cycle: then the walk comes back to it.
        for (k, d) in districts.iter().enumerate() {
            let mut path = vec![d.id.as_str()];
            let mut at = d;
            while let Some(parent) = at.parent.as_deref()
                && path.len() <= n
            {
                path.push(parent);
                if parent == d.id {
                    return Err(field_error(
                        format!("districts[{k}].parent"),
                        format!("districts contain each other: {}", path.join(" → ")),
                    ));
                }
                at = &districts[index(parent).expect("every parent was found above")];
            }
        }
        for (i, c) in self.contests.iter().enumerate() {
            let field = format!("contests[{i}].district");
            let Some(id) = &c.district else {
                return Err(field_error(field, "required when the manifest lists districts"));
            };
            if index(id).is_none() {
                return Err(field_error(field, format!("unknown district {id:?}")));
            }
        }
        if self.ballot_styles.is_none() {
            let first = &self.contests[0].district;
            if let Some(i) = self.contests.iter().position(|c| c.district != *first) {
                return Err(field_error(
                    format!("contests[{i}].district"),
                    format!(
                        "without ballot_styles every voter gets every contest, so every contest must be in one \
                         district (contests[0]'s, {:?})",
                        first.as_deref().unwrap_or_default()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The ballot styles: their contests, and a style for each precinct (`specs/record.md` §2.6).
    fn check_styles(&self) -> Result<(), ElectionError> {
        let Some(styles) = &self.ballot_styles else { return Ok(()) };
        if styles.is_empty() || styles.len() > MAX_STYLES {
            return Err(field_error(
                "ballot_styles".into(),
                format!("must list 1 to {MAX_STYLES} styles, found {}", styles.len()),
            ));
        }
        let precincts: usize = styles.iter().map(|s| s.precincts.len()).sum();
        if precincts > MAX_PRECINCTS {
            return Err(field_error(
                "ballot_styles".into(),
                format!("{precincts} precincts in all, at most {MAX_PRECINCTS} are allowed"),
            ));
        }
        let mut on_a_style = vec![false; self.contests.len()];
        let mut contest_sets: BTreeMap<Vec<usize>, usize> = BTreeMap::new();
        let mut precinct_style: HashMap<&str, usize> = HashMap::new();
        for (s, style) in styles.iter().enumerate() {
            let at = format!("ballot_styles[{s}]");
            check_id(format!("{at}.id"), &style.id)?;
            if let Some(r) = styles[..s].iter().position(|o| o.id == style.id) {
                return Err(field_error(format!("{at}.id"), format!("{:?} is also ballot_styles[{r}]", style.id)));
            }
            if style.contests.is_empty() {
                return Err(field_error(format!("{at}.contests"), "a style carries at least one contest"));
            }
            let mut indices: Vec<usize> = Vec::with_capacity(style.contests.len().min(self.contests.len()));
            for (j, id) in style.contests.iter().enumerate() {
                let field = format!("{at}.contests[{j}]");
                let Some(c) = self.contest_index(id) else {
                    return Err(field_error(field, format!("unknown contest {id:?}")));
                };
                if indices.contains(&c) {
                    return Err(field_error(field, format!("{id:?} appears twice")));
                }
                if let Some(&last) = indices.last()
                    && c < last
                {
                    return Err(field_error(
                        field,
                        format!("{id:?} is out of manifest order: it comes before {:?}", self.contests[last].id),
                    ));
                }
                indices.push(c);
                on_a_style[c] = true;
            }
            if let Some(r) = contest_sets.insert(indices, s) {
                return Err(field_error(format!("{at}.contests"), format!("the same contests as ballot_styles[{r}]")));
            }
            for (p, name) in style.precincts.iter().enumerate() {
                let field = format!("{at}.precincts[{p}]");
                check_precinct(field.clone(), name)?;
                if let Some(r) = precinct_style.insert(name, s) {
                    let place =
                        if r == s { "earlier on this style".to_string() } else { format!("on ballot_styles[{r}]") };
                    return Err(field_error(field, format!("precinct {name:?} is already {place}")));
                }
            }
        }
        if let Some(i) = on_a_style.iter().position(|on| !on) {
            return Err(field_error(
                "ballot_styles".into(),
                format!("contest {:?} (contests[{i}]) is on no ballot style", self.contests[i].id),
            ));
        }
        Ok(())
    }

    /// The ballot styles that apply: the manifest's, or the implicit one ([`IMPLICIT_STYLE`],
    /// every contest, every precinct). On a valid manifest every style carries at least one
    /// contest, each once and in manifest order, and every contest is on some style.
    pub fn styles(&self) -> Vec<Style<'_>> {
        match &self.ballot_styles {
            None => vec![Style {
                index: 0,
                id: IMPLICIT_STYLE,
                contests: (0..self.contests.len()).collect(),
                precincts: Precincts::Any,
            }],
            Some(styles) => styles
                .iter()
                .enumerate()
                .map(|(index, s)| Style {
                    index,
                    id: &s.id,
                    contests: s.contests.iter().filter_map(|c| self.contest_index(c)).collect(),
                    precincts: Precincts::Listed(&s.precincts),
                })
                .collect(),
        }
    }

    /// The style of a voter in `precinct` (as the roll writes it): the one style that lists it,
    /// or the implicit style; `None` if no style lists it.
    pub fn style_of_precinct(&self, precinct: &str) -> Option<Style<'_>> {
        self.styles().into_iter().find(|s| s.has_precinct(precinct))
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
        let all = Style {
            index: 0,
            id: IMPLICIT_STYLE,
            contests: (0..self.contests.len()).collect(),
            precincts: Precincts::Any,
        };
        self.style_marks_fit(&all, marks)
    }

    /// The style called `id` (without building every style: a verifier asks once a ballot).
    pub fn style(&self, id: &str) -> Option<Style<'_>> {
        match &self.ballot_styles {
            None => (id == IMPLICIT_STYLE).then(|| self.styles().swap_remove(0)),
            Some(styles) => styles.iter().position(|s| s.id == id).map(|index| {
                let s = &styles[index];
                Style {
                    index,
                    id: &s.id,
                    contests: s.contests.iter().filter_map(|c| self.contest_index(c)).collect(),
                    precincts: Precincts::Listed(&s.precincts),
                }
            }),
        }
    }

    /// Checks marks per contest of `style` and option against every bound.
    pub fn style_marks_fit(&self, style: &Style<'_>, marks: &[Vec<u64>]) -> Result<(), ElectionError> {
        if marks.len() != style.contests.len() {
            return Err(ElectionError::Choice(format!(
                "{} contests marked, the ballot of style {:?} has {}",
                marks.len(),
                style.id,
                style.contests.len()
            )));
        }
        for (contest, m) in style.contests.iter().map(|&c| &self.contests[c]).zip(marks) {
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
        let all = Style {
            index: 0,
            id: IMPLICIT_STYLE,
            contests: (0..self.contests.len()).collect(),
            precincts: Precincts::Any,
        };
        self.style_marks(&all, choices)
    }

    /// [`Manifest::marks`] for the contests of `style`: every one of them named, no other.
    pub fn style_marks(
        &self,
        style: &Style<'_>,
        choices: &BTreeMap<String, Vec<String>>,
    ) -> Result<Vec<Vec<u64>>, ElectionError> {
        let contests: Vec<&Contest> = style.contests.iter().map(|&i| &self.contests[i]).collect();
        let ids = |items: &mut dyn Iterator<Item = &str>| items.collect::<Vec<_>>().join(", ");
        for id in choices.keys() {
            if !contests.iter().any(|c| &c.id == id) {
                return Err(ElectionError::Choice(format!(
                    "no contest {id:?} on this ballot; its contests: {}",
                    ids(&mut contests.iter().map(|c| c.id.as_str()))
                )));
            }
        }
        let missing: Vec<&str> =
            contests.iter().filter(|c| !choices.contains_key(&c.id)).map(|c| c.id.as_str()).collect();
        if !missing.is_empty() {
            return Err(ElectionError::Choice(format!(
                "no choice for contest(s) {}: choose in every contest (`--choice {}=` leaves one empty where \
                 it allows that)",
                missing.join(", "),
                missing[0]
            )));
        }
        contests
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
            ballot_styles: None,
            citizen_ca: None,
            districts: None,
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
                    district: None,
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
                    district: None,
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

    /// A mixed election: a national list, and two single-member districts, one style each.
    pub(crate) fn mixed() -> Manifest {
        let mut m = sample();
        let district = |id: &str, kind, parent: Option<&str>| District {
            id: id.into(),
            kind,
            parent: parent.map(Into::into),
            title: Label::same(id),
        };
        m.districts = Some(vec![
            district("kz", DistrictKind::National, None),
            district("d1", DistrictKind::District, Some("kz")),
            district("d2", DistrictKind::District, Some("kz")),
        ]);
        let plurality = |id: &str, district: &str| Contest {
            district: Some(district.into()),
            id: id.into(),
            kind: ContestKind::Plurality,
            options: ["a", "b", "against"]
                .iter()
                .map(|o| ContestOption { against_all: *o == "against", id: o.to_string(), label: Label::same(o) })
                .collect(),
            title: Label::same(id),
            max: None,
            min: None,
            seats: None,
            threshold_percent: None,
            winners: None,
        };
        m.contests[0].district = Some("kz".into());
        m.contests.truncate(1);
        m.contests.push(plurality("c1", "d1"));
        m.contests.push(plurality("c2", "d2"));
        let style = |id: &str, contests: &[&str], precincts: &[&str]| BallotStyle {
            contests: contests.iter().map(|c| c.to_string()).collect(),
            id: id.into(),
            precincts: precincts.iter().map(|p| p.to_string()).collect(),
        };
        m.ballot_styles =
            Some(vec![style("s1", &["ref", "c1"], &["D01-001", "D01-002"]), style("s2", &["ref", "c2"], &["D02-001"])]);
        m
    }

    #[test]
    fn district_and_style_rules_name_the_field() {
        mixed().validate().unwrap();
        type Change = Box<dyn Fn(&mut Manifest)>;
        let d = |f: fn(&mut Vec<District>)| -> Change { Box::new(move |m| f(m.districts.as_mut().unwrap())) };
        let s = |f: fn(&mut Vec<BallotStyle>)| -> Change { Box::new(move |m| f(m.ballot_styles.as_mut().unwrap())) };
        let c = |f: fn(&mut Vec<Contest>)| -> Change { Box::new(move |m| f(&mut m.contests)) };
        let m = |f: fn(&mut Manifest)| -> Change { Box::new(f) };
        let cases: Vec<(Change, &str, &str)> = vec![
            (d(|v| v.clear()), "districts", "must list 1 to 256 districts, found 0"),
            (
                d(|v| {
                    let last = v[2].clone();
                    v.extend((0..254).map(|i| District { id: format!("x{i}"), ..last.clone() }))
                }),
                "districts",
                "found 257",
            ),
            (d(|v| v[1].id = "D1".into()), "districts[1].id", "must be 1 to 64 characters"),
            (d(|v| v[2].id = "d1".into()), "districts[2].id", "\"d1\" is also districts[1]"),
            (d(|v| v[0].title.ru = "a\nb".into()), "districts[0].title.ru", "a control character"),
            (d(|v| v[2].kind = DistrictKind::National), "districts[2].kind", "a second national district"),
            (d(|v| v[0].parent = Some("d1".into())), "districts[0].parent", "the national district has no parent"),
            (d(|v| v[1].parent = Some("d9".into())), "districts[1].parent", "unknown district \"d9\""),
            (d(|v| v[1].parent = Some("d1".into())), "districts[1].parent", "contain each other: d1 → d1"),
            (
                d(|v| {
                    v[1].parent = Some("d2".into());
                    v[2].parent = Some("d1".into());
                }),
                "districts[1].parent",
                "contain each other: d1 → d2 → d1",
            ),
            (c(|v| v[1].district = None), "contests[1].district", "required when the manifest lists districts"),
            (c(|v| v[2].district = Some("d-31".into())), "contests[2].district", "unknown district \"d-31\""),
            (
                m(|m| {
                    m.districts = None;
                    m.contests.iter_mut().skip(1).for_each(|c| c.district = None);
                }),
                "contests[0].district",
                "the manifest lists no districts",
            ),
            (
                m(|m| m.ballot_styles = None),
                "contests[1].district",
                "without ballot_styles every voter gets every contest",
            ),
            (s(|v| v.clear()), "ballot_styles", "must list 1 to 256 styles, found 0"),
            (
                s(|v| {
                    let last = v[1].clone();
                    v.extend((0..255).map(|i| BallotStyle { id: format!("x{i}"), precincts: vec![], ..last.clone() }))
                }),
                "ballot_styles",
                "found 257",
            ),
            (
                s(|v| v[1].precincts = (0..MAX_PRECINCTS - 1).map(|i| format!("P{i}")).collect()),
                "ballot_styles",
                "16385 precincts in all, at most 16384",
            ),
            (s(|v| v[0].id = "S1".into()), "ballot_styles[0].id", "must be 1 to 64 characters"),
            (s(|v| v[1].id = "s1".into()), "ballot_styles[1].id", "\"s1\" is also ballot_styles[0]"),
            (s(|v| v[0].contests.clear()), "ballot_styles[0].contests", "at least one contest"),
            (s(|v| v[1].contests[1] = "d-31".into()), "ballot_styles[1].contests[1]", "unknown contest \"d-31\""),
            (s(|v| v[0].contests.push("c1".into())), "ballot_styles[0].contests[2]", "\"c1\" appears twice"),
            (
                s(|v| v[0].contests.reverse()),
                "ballot_styles[0].contests[1]",
                "\"ref\" is out of manifest order: it comes before \"c1\"",
            ),
            (
                s(|v| v[1].contests = v[0].contests.clone()),
                "ballot_styles[1].contests",
                "the same contests as ballot_styles[0]",
            ),
            (s(|v| v[0].precincts[1] = String::new()), "ballot_styles[0].precincts[1]", "1 to 64 bytes, found 0"),
            (s(|v| v[0].precincts[1] = "п".repeat(33)), "ballot_styles[0].precincts[1]", "found 66"),
            (s(|v| v[0].precincts[0] = "D01\t001".into()), "ballot_styles[0].precincts[0]", "a control character"),
            (s(|v| v[0].precincts[0] = " D01-001".into()), "ballot_styles[0].precincts[0]", "white space"),
            (
                s(|v| v[1].precincts[0] = "D01-002".into()),
                "ballot_styles[1].precincts[0]",
                "precinct \"D01-002\" is already on ballot_styles[0]",
            ),
            (
                s(|v| v[0].precincts[1] = "D01-001".into()),
                "ballot_styles[0].precincts[1]",
                "already earlier on this style",
            ),
            (
                s(|v| v.iter_mut().for_each(|s| drop(s.contests.remove(0)))),
                "ballot_styles",
                "contest \"ref\" (contests[0]) is on no ballot style",
            ),
        ];
        for (change, field, reason) in cases {
            let mut m = mixed();
            change(&mut m);
            let err = m.validate().map_or_else(|e| e.to_string(), |()| format!("valid, for {field}: {reason}"));
            assert!(err.starts_with(&format!("manifest {field}: ")), "expected {field}, got: {err}");
            assert!(err.contains(reason), "expected {reason:?}, got: {err}");
            // The same through the reader, which validates what it decodes.
            assert_eq!(Manifest::from_json(&m.to_canonical_json()).unwrap_err().to_string(), err);
        }
        // At the limits, and what the rules allow.
        let mut full = mixed();
        full.ballot_styles.as_mut().unwrap()[1].precincts = (0..MAX_PRECINCTS - 2).map(|i| format!("P{i}")).collect();
        full.validate().unwrap();
        let mut no_districts = mixed();
        no_districts.districts = None;
        no_districts.contests.iter_mut().for_each(|c| c.district = None);
        no_districts.validate().unwrap();
        let mut one_district = sample();
        one_district.districts = Some(vec![District {
            id: "city".into(),
            kind: DistrictKind::Local,
            parent: None,
            title: Label::same("City"),
        }]);
        one_district.contests.iter_mut().for_each(|c| c.district = Some("city".into()));
        one_district.validate().unwrap();
        let mut no_precincts = mixed();
        no_precincts.ballot_styles.as_mut().unwrap().iter_mut().for_each(|s| s.precincts.clear());
        no_precincts.validate().unwrap();
        // Decoding errors name the member.
        let json = mixed().to_canonical_json();
        for (text, field) in [
            (json.replace("\"kind\":\"national\"", "\"kind\":\"country\""), "districts[0].kind"),
            (json.replace("\"id\":\"s2\"", "\"id\":\"s2\",\"colour\":1"), "ballot_styles[1].colour"),
            (json.replace(",\"precincts\":[\"D02-001\"]", ""), "ballot_styles[1]"),
        ] {
            let err = Manifest::from_json(&text).unwrap_err().to_string();
            assert!(err.starts_with(&format!("manifest {field}")), "expected {field}, got: {err}");
        }
    }

    #[test]
    fn the_effective_styles() {
        // Without styles: one implicit style, every contest, every precinct.
        let plain = sample();
        let styles = plain.styles();
        assert_eq!(
            styles,
            vec![Style { index: 0, id: IMPLICIT_STYLE, contests: vec![0, 1], precincts: Precincts::Any }]
        );
        assert_eq!(plain.style_of_precinct("Almaty-114").map(|s| s.index), Some(0));
        let m = mixed();
        let styles = m.styles();
        assert_eq!(
            styles.iter().map(|s| (s.id, s.contests.clone())).collect::<Vec<_>>(),
            [("s1", vec![0, 1]), ("s2", vec![0, 2])]
        );
        assert_eq!(m.style_of_precinct("D02-001").map(|s| s.id), Some("s2"));
        assert_eq!(m.style_of_precinct("D01-002").map(|s| s.index), Some(0));
        assert_eq!(m.style_of_precinct("D03-001"), None, "a precinct on no style");
        assert_eq!(m.style_of_precinct("d01-002"), None, "names are compared exactly");
    }

    #[test]
    fn the_new_members_are_canonical_and_bound_by_the_fingerprint() {
        // A manifest without districts and styles writes none of the new members: its
        // canonical JSON, and so F_s, are what they were.
        let plain = sample().to_canonical_json();
        for member in ["\"ballot_styles\"", "\"districts\"", "\"district\"", "\"precincts\""] {
            assert!(!plain.contains(member), "{member} in {plain}");
        }
        let m = mixed();
        let json = m.to_canonical_json();
        assert!(
            json.starts_with("{\"ballot_styles\":[{\"contests\":[\"ref\",\"c1\"],\"id\":\"s1\",\"precincts\":"),
            "{json}"
        );
        assert!(json.contains("\"districts\":[{\"id\":\"kz\",\"kind\":\"national\",\"title\":"), "{json}");
        assert!(json.contains("{\"district\":\"d1\",\"id\":\"c1\","), "{json}");
        assert!(json.contains("{\"id\":\"d1\",\"kind\":\"district\",\"parent\":\"kz\","), "{json}");
        assert_eq!(Manifest::from_json(&json).unwrap(), m);
        let changes: [fn(&mut Manifest); 4] = [
            |m| m.ballot_styles.as_mut().unwrap()[1].precincts[0] = "D02-002".into(),
            |m| m.ballot_styles.as_mut().unwrap().swap(0, 1),
            |m| m.contests[2].district = Some("d1".into()),
            |m| m.districts.as_mut().unwrap()[2].kind = DistrictKind::Local,
        ];
        for change in changes {
            let mut other = m.clone();
            change(&mut other);
            other.validate().unwrap();
            assert_ne!(other.setup_fingerprint(), m.setup_fingerprint());
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Styles drawn at random (which contests, which of a few precinct names): the
        /// manifest is valid exactly when every style carries a contest, no two carry the
        /// same ones, every contest is on a style and no precinct is on two; then the
        /// effective styles carry each of their contests once, in manifest order, and every
        /// precinct finds its own style.
        #[test]
        fn styles_cover_every_contest_once(
            contests in 1usize..6,
            drawn in proptest::collection::vec((0u8..64, proptest::collection::vec(0u8..12, 0..4)), 1..6),
        ) {
            let mut m = sample();
            let template = m.contests[0].clone();
            m.contests = (0..contests).map(|i| Contest { id: format!("c{i}"), ..template.clone() }).collect();
            let mask = |bits: u8| bits & ((1u8 << contests) - 1);
            m.ballot_styles = Some(
                drawn
                    .iter()
                    .enumerate()
                    .map(|(s, (bits, precincts))| BallotStyle {
                        contests: (0..contests).filter(|i| mask(*bits) >> i & 1 == 1).map(|i| format!("c{i}")).collect(),
                        id: format!("s{s}"),
                        precincts: precincts.iter().map(|p| format!("P{p}")).collect(),
                    })
                    .collect(),
            );
            let masks: Vec<u8> = drawn.iter().map(|(bits, _)| mask(*bits)).collect();
            let names: Vec<u8> = drawn.iter().flat_map(|(_, p)| p.iter().copied()).collect();
            let expected = masks.iter().all(|&b| b != 0)
                && masks.iter().enumerate().all(|(i, b)| !masks[..i].contains(b))
                && masks.iter().fold(0, |all, b| all | b) == mask(u8::MAX)
                && names.iter().enumerate().all(|(i, p)| !names[..i].contains(p));
            proptest::prop_assert_eq!(m.validate().is_ok(), expected, "{:?}", m.validate());
            if expected {
                let styles = m.styles();
                let mut covered = vec![false; contests];
                for (style, (bits, precincts)) in styles.iter().zip(&drawn) {
                    proptest::prop_assert!(style.contests.windows(2).all(|w| w[0] < w[1]));
                    proptest::prop_assert_eq!(
                        style.contests.clone(),
                        (0..contests).filter(|i| mask(*bits) >> i & 1 == 1).collect::<Vec<_>>()
                    );
                    style.contests.iter().for_each(|&c| covered[c] = true);
                    for p in precincts {
                        proptest::prop_assert_eq!(m.style_of_precinct(&format!("P{p}")).map(|s| s.index), Some(style.index));
                    }
                }
                proptest::prop_assert!(covered.iter().all(|c| *c));
                proptest::prop_assert_eq!(m.style_of_precinct("P12"), None);
            }
        }
    }

    /// Every file in `specs/examples/` is a valid manifest whose canonical form reads back.
    #[test]
    fn every_example_is_a_valid_manifest() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/examples");
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let m = Manifest::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(Manifest::from_json(&m.to_canonical_json()).unwrap(), m, "{}", path.display());
            names.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
        names.sort();
        assert_eq!(
            names,
            [
                "demo-manifest.json",
                "kurultai-manifest.json",
                "maslikhat-manifest.json",
                "mazhilis-2023-manifest.json",
                "mazhilis-manifest.json",
                "national-manifest.json"
            ]
        );
    }

    /// The contests of a manifest with the kind of their district.
    fn district_kinds(m: &Manifest) -> Vec<(ContestKind, DistrictKind)> {
        let districts = m.districts.as_deref().unwrap();
        m.contests
            .iter()
            .map(|c| {
                let d = districts.iter().find(|d| Some(&d.id) == c.district.as_ref()).unwrap();
                (c.kind, d.kind)
            })
            .collect()
    }

    #[test]
    fn the_mixed_examples_have_their_shape() {
        let m = Manifest::from_json(include_str!("../../specs/examples/mazhilis-2023-manifest.json")).unwrap();
        let kinds = district_kinds(&m);
        let list: Vec<&Contest> = m.contests.iter().filter(|c| c.kind == ContestKind::PartyList).collect();
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].seats, list[0].threshold_percent), (Some(69), Some(5)));
        assert_eq!(kinds[0], (ContestKind::PartyList, DistrictKind::National));
        assert!(list[0].options.iter().any(|o| o.against_all), "against-all is in the base of the threshold");
        let single: Vec<&Contest> = m.contests[1..].iter().collect();
        assert_eq!(single.len(), 29);
        for (c, kind) in single.iter().zip(&kinds[1..]) {
            assert_eq!(*kind, (ContestKind::Plurality, DistrictKind::District), "{}", c.id);
            assert_eq!(c.options.iter().filter(|o| o.against_all).count(), 1, "{}", c.id);
            assert!((4..=6).contains(&c.options.len()), "{}: 3 to 5 candidates", c.id);
        }
        // 29 styles: the national list and one district each; every district on exactly one.
        let styles = m.styles();
        assert_eq!(styles.len(), 29);
        for (k, style) in styles.iter().enumerate() {
            assert_eq!(style.contests, [0, k + 1]);
        }
        let d7 = m.style_of_precinct("D07-114").unwrap();
        assert_eq!(m.contests[d7.contests[1]].district.as_deref(), Some("d07"));

        let m = Manifest::from_json(include_str!("../../specs/examples/maslikhat-manifest.json")).unwrap();
        let kinds = district_kinds(&m);
        assert_eq!(kinds[0], (ContestKind::PartyList, DistrictKind::Region));
        assert!(kinds[1..].iter().all(|k| *k == (ContestKind::Plurality, DistrictKind::District)));
        let region = &m.districts.as_ref().unwrap()[0];
        assert!(m.districts.as_ref().unwrap()[1..].iter().all(|d| d.parent.as_ref() == Some(&region.id)));
        assert!(m.styles().iter().enumerate().all(|(k, s)| s.contests == [0, k + 1]));

        let m = Manifest::from_json(include_str!("../../specs/examples/kurultai-manifest.json")).unwrap();
        assert_eq!(district_kinds(&m), [(ContestKind::PartyList, DistrictKind::National)]);
        assert_eq!(m.contests[0].seats, Some(145));
        assert_eq!(m.styles().len(), 1, "one national list: the implicit style");
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
