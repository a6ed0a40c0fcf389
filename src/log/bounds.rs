//! The longest canonical line each event kind can take, from the manifest and the trustee
//! and credential counts. The verifier refuses a longer line before parsing it (check 1.1),
//! so no line costs more than its bound (`specs/record.md` §10.2 states the formulas).
//!
//! Every point, scalar and hash is a 64-digit hex string, so the canonical JSON of a
//! well-formed event has a length fixed by its shape; only integers vary, and they are
//! counted at their longest (10 digits for a `u32`, 20 for a `u64`). In the notation of the
//! spec, for a JSON object of members `k_i: v_i` and an array of `m` values:
//!
//! ```text
//! obj(k_1: v_1, …, k_j: v_j) = 2 + Σ (|k_i| + 3 + v_i) + (j − 1)
//! list(m × v)                = 2 + m·v + max(m − 1, 0)
//! ```

/// The most trustees a manifest may name (`1 ≤ threshold ≤ count ≤ 255`), each with an identity key.
const MAX_TRUSTEES: u64 = 255;

use crate::election::manifest::{
    Contest, MAX_BALLOT_OPTIONS, MAX_CONTESTS, MAX_DISTRICTS, MAX_ID_LEN, MAX_LABEL_BYTES, MAX_PRECINCT_BYTES,
    MAX_PRECINCTS, MAX_STYLES, Manifest,
};

/// A quoted 64-digit hex string (a point, scalar, hash or fingerprint).
const H: u64 = 66;
/// The longest `u32` and `u64` in decimal.
const U32: u64 = 10;
const U64: u64 = 20;
/// A quoted 128-digit hex string (an Ed25519 signature).
const SIGNATURE: u64 = 130;

fn obj(members: &[(&str, u64)]) -> u64 {
    2 + members.iter().map(|(k, v)| k.len() as u64 + 3 + v).sum::<u64>() + members.len() as u64 - 1
}

fn list(count: u64, each: u64) -> u64 {
    2 + count * each + count.saturating_sub(1)
}

/// A list of values of different lengths.
fn list_of(items: impl IntoIterator<Item = u64>) -> u64 {
    let (n, sum) = items.into_iter().fold((0u64, 0u64), |(n, s), v| (n + 1, s + v));
    2 + sum + n.saturating_sub(1)
}

/// `{"kind":"KIND","payload":P}`.
fn envelope(kind: &str, payload: u64) -> u64 {
    obj(&[("kind", kind.len() as u64 + 2), ("payload", payload)])
}

fn ciphertext() -> u64 {
    obj(&[("alpha", H), ("beta", H)])
}

fn schnorr() -> u64 {
    obj(&[("commitment", H), ("response", H)])
}

fn chaum_pedersen() -> u64 {
    obj(&[("commitments", list(2, H)), ("response", H)])
}

/// A disjunctive (range) proof of `k ≥ 1` branches.
fn range_proof(k: u64) -> u64 {
    obj(&[("challenges", list(k - 1, H)), ("commitments", list(k, list(2, H))), ("responses", list(k, H))])
}

/// A contest as the bounds see it: its options and the branches of its sum proof.
#[derive(Debug, Clone, Copy)]
struct Shape {
    options: u64,
    branches: u64,
    /// The longest id among the contest's and its options' (quoted).
    id: u64,
}

impl Shape {
    fn of(c: &Contest) -> Shape {
        let (lo, hi) = c.sum_bounds();
        let longest = c.options.iter().map(|o| o.id.len()).chain([c.id.len()]).max().unwrap_or(0);
        Shape { options: c.options.len() as u64, branches: hi.saturating_sub(lo) + 1, id: longest as u64 + 2 }
    }
}

/// The longest canonical line of each event kind, in bytes, without its newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineBounds {
    pub setup: u64,
    pub transport_key: u64,
    pub dealing: u64,
    pub complaint: u64,
    pub ready: u64,
    pub roll: u64,
    pub registration: u64,
    pub registration_close: u64,
    pub shuffle: u64,
    pub open: u64,
    pub cast: u64,
    pub spoiled: u64,
    pub close: u64,
    pub tally: u64,
    pub decryption: u64,
    pub result: u64,
    /// A line that does not begin as an event does (`{"kind":"KIND"`): it is never
    /// canonical, and it is parsed only to say why, up to this length.
    pub unknown: u64,
}

/// The most bytes of a line that does not begin as an event: parsed only to name the fault.
pub const MAX_UNKNOWN_LINE: u64 = 64 * 1024;

/// The longest label: three texts of at most [`MAX_LABEL_BYTES`] bytes, each escaped to at most
/// twice its length (no control characters, so only `"` and `\` are escaped).
fn label() -> u64 {
    let text = 2 + 2 * MAX_LABEL_BYTES as u64;
    obj(&[("en", text), ("kk", text), ("ru", text)])
}

/// The longest canonical manifest the limits allow (`specs/record.md` §2.1, §2.6): 64
/// contests, 1024 options in all, 256 districts, 256 ballot styles each carrying 64 contests,
/// 16 384 precincts, every member present at its longest. Every term is affine in a contest's
/// options and in a style's precincts (while each style has one), so how the 1024 options and
/// the precincts are spread does not change the total.
pub fn max_manifest() -> u64 {
    let id = MAX_ID_LEN as u64 + 2;
    let option = obj(&[("against_all", 4), ("id", id), ("label", label())]);
    let contest_without_options = |options: u64| {
        obj(&[
            ("district", id),
            ("id", id),
            ("kind", "party_list".len() as u64 + 2),
            ("max", U32),
            ("min", U32),
            ("options", list(options, option)),
            ("seats", U32),
            ("threshold_percent", U32),
            ("title", label()),
            ("winners", U32),
        ])
    };
    let (c, w) = (MAX_CONTESTS as u64, MAX_BALLOT_OPTIONS as u64);
    let contests = list_of((0..c).map(|i| contest_without_options(w / c + u64::from(i < w % c))));
    let district = obj(&[("id", id), ("kind", "national".len() as u64 + 2), ("parent", id), ("title", label())]);
    // A precinct name escapes to at most twice its bytes (no control characters).
    let precinct = 2 + 2 * MAX_PRECINCT_BYTES as u64;
    let (s, p) = (MAX_STYLES as u64, MAX_PRECINCTS as u64);
    let style =
        |precincts: u64| obj(&[("contests", list(c, id)), ("id", id), ("precincts", list(precincts, precinct))]);
    obj(&[
        ("ballot_styles", list_of((0..s).map(|i| style(p / s + u64::from(i < p % s))))),
        ("citizen_ca", H),
        ("contests", contests),
        ("districts", list(MAX_DISTRICTS as u64, district)),
        ("election_id", id),
        ("revote", "last_counts".len() as u64 + 2),
        ("title", label()),
        ("trustees", obj(&[("count", U32), ("identities", list(MAX_TRUSTEES, H)), ("threshold", U32)])),
        ("version", U32),
    ])
}

impl LineBounds {
    /// The bounds when no valid manifest is known (before the setup event, or after one that
    /// fails check 1.2): those of the largest manifest the limits allow, with 255 trustees,
    /// a threshold of 255, and the open event's [`crate::log::record::MAX_LINE`].
    pub fn without_manifest() -> Self {
        let (c, w) = (MAX_CONTESTS as u64, MAX_BALLOT_OPTIONS as u64);
        // Every contest an approval of min 0 and max = its options: the most sum-proof branches.
        let shapes: Vec<Shape> = (0..c)
            .map(|i| {
                let options = w / c + u64::from(i < w % c);
                Shape { options, branches: options + 1, id: MAX_ID_LEN as u64 + 2 }
            })
            .collect();
        // One style (the longest ballot has every contest), its id at the longest.
        let all = vec![(MAX_ID_LEN as u64 + 2, (0..shapes.len()).collect())];
        Self::from_shapes(&shapes, &all, Some(MAX_ID_LEN as u64 + 2), 255, 255)
    }

    /// The bounds for a valid manifest, before the credential list is known.
    pub fn for_manifest(manifest: &Manifest) -> Self {
        let shapes: Vec<Shape> = manifest.contests.iter().map(Shape::of).collect();
        let styles: Vec<(u64, Vec<usize>)> =
            manifest.styles().into_iter().map(|s| (s.id.len() as u64 + 2, s.contests)).collect();
        // A registration names its style only where there are several.
        let named = (styles.len() > 1).then(|| styles.iter().map(|(id, _)| *id).max().unwrap_or(0));
        let (n, t) = (u64::from(manifest.trustees.count), u64::from(manifest.trustees.threshold));
        Self::from_shapes(&shapes, &styles, named, n, t)
    }

    /// The bounds once the roll has fixed the number of citizens who may register: a shuffle
    /// permutes at most that many credentials, and a second roll is no longer than the first.
    pub fn with_roll(mut self, citizens: u64) -> Self {
        self.roll = roll(citizens);
        self.shuffle = shuffle(citizens);
        self
    }

    /// The bounds once the first `open` event has fixed the number of credentials: a second
    /// `open` cannot be longer than one with the same number.
    pub fn with_credentials(mut self, credentials: u64, trustees: u64) -> Self {
        self.open = open(credentials, trustees);
        self
    }

    /// `styles`: per ballot style, its id's JSON length and its contests (indices into
    /// `shapes`); a cast or challenged ballot is as long as the longest style's.
    /// `registration_style`: the longest style id's JSON length a registration may name, if it
    /// names one.
    fn from_shapes(
        shapes: &[Shape],
        styles: &[(u64, Vec<usize>)],
        registration_style: Option<u64>,
        n: u64,
        t: u64,
    ) -> Self {
        let ciphertexts = |s: &Shape| list(s.options, ciphertext());
        let contest = |s: &Shape| {
            obj(&[
                ("ciphertexts", ciphertexts(s)),
                ("option_proofs", list(s.options, range_proof(2))),
                ("sum_proof", range_proof(s.branches)),
            ])
        };
        let on = |contests: &[usize]| contests.iter().map(|&c| &shapes[c]).collect::<Vec<_>>();
        let cast = styles
            .iter()
            .map(|(id, contests)| {
                obj(&[
                    ("contests", list_of(on(contests).into_iter().map(contest))),
                    ("credential", H),
                    ("election", H),
                    ("signature", schnorr()),
                    ("style", *id),
                ])
            })
            .max()
            .unwrap_or(0);
        let opened = |s: &Shape| obj(&[("marks", list(s.options, U64)), ("nonces", list(s.options, H))]);
        let spoiled = styles
            .iter()
            .map(|(id, contests)| {
                obj(&[
                    ("contests", list_of(on(contests).into_iter().map(ciphertexts))),
                    ("opening", obj(&[("contests", list_of(on(contests).into_iter().map(opened)))])),
                    ("style", *id),
                ])
            })
            .max()
            .unwrap_or(0);
        let tally = if styles.len() > 1 {
            obj(&[
                ("ballots", U64),
                ("contests", list_of(shapes.iter().map(ciphertexts))),
                ("turnout", list(styles.len() as u64, U64)),
            ])
        } else {
            obj(&[("ballots", U64), ("contests", list_of(shapes.iter().map(ciphertexts)))])
        };
        let share = obj(&[("proof", chaum_pedersen()), ("share", H), ("trustee", U32)]);
        let decryption = obj(&[
            ("lot_seed", H),
            ("shares", list_of(shapes.iter().map(|s| list(s.options, share)))),
            ("signature", schnorr()),
            ("trustee", U32),
        ]);
        let result_contest = |s: &Shape| {
            let seats = obj(&[("party", s.id), ("seats", U32)]);
            let decision = |name: &str| ("decision", name.len() as u64 + 2);
            let outcome = [
                obj(&[decision("seats"), ("passed", list(s.options, s.id)), ("seats", list(s.options, seats))]),
                obj(&[decision("winners"), ("winners", list(s.options, s.id))]),
                obj(&[decision("runoff"), ("candidates", list(2, s.id))]),
                obj(&[decision("elected"), ("winner", s.id)]),
                obj(&[decision("referendum"), ("adopted", 5)]),
                obj(&[decision("not_elected")]),
            ]
            .into_iter()
            .max()
            .unwrap_or(0);
            obj(&[("counts", list(s.options, U64)), ("id", s.id), ("outcome", outcome)])
        };
        let result = obj(&[("ballots", U64), ("contests", list_of(shapes.iter().map(result_contest)))]);
        let encrypted_share =
            obj(&[("ciphertext", 96 + 2), ("ephemeral", H), ("proof", schnorr()), ("recipient", U32)]);
        LineBounds {
            setup: envelope("setup", obj(&[("board_key", H), ("manifest", max_manifest())])),
            transport_key: envelope(
                "transport_key",
                obj(&[("key", H), ("proof", schnorr()), ("signature", schnorr()), ("trustee", U32)]),
            ),
            dealing: envelope(
                "dealing",
                obj(&[
                    ("commitments", list(t, H)),
                    ("dealer", U32),
                    ("proofs", list(t, schnorr())),
                    ("shares", list(n, encrypted_share)),
                    ("signature", schnorr()),
                ]),
            ),
            complaint: envelope(
                "complaint",
                obj(&[
                    ("dealer", U32),
                    ("proof", chaum_pedersen()),
                    ("recipient", U32),
                    ("shared", H),
                    ("signature", schnorr()),
                ]),
            ),
            ready: envelope(
                "ready",
                obj(&[
                    ("joint_key", H),
                    ("lot_commitment", H),
                    ("proof", schnorr()),
                    ("signature", schnorr()),
                    ("trustee", U32),
                ]),
            ),
            // Until the roll fixes the number of citizens.
            roll: super::record::MAX_LINE as u64,
            registration: envelope("registration", {
                let mut members = vec![
                    ("citizen", obj(&[("certificate", obj(&[("identity", H), ("signature", SIGNATURE)])), ("key", H)])),
                    ("credential", H),
                    ("proof", schnorr()),
                    ("pseudonym", H),
                    ("signature", SIGNATURE),
                ];
                // The style, named in an election of several.
                if let Some(id) = registration_style {
                    members.push(("style", id));
                }
                obj(&members)
            }),
            registration_close: obj(&[("kind", "registration_close".len() as u64 + 2)]),
            shuffle: shuffle(0),
            // Until the first open event fixes the number of credentials.
            open: super::record::MAX_LINE as u64,
            cast: envelope("cast", cast),
            spoiled: envelope("spoiled", spoiled),
            close: obj(&[("kind", "close".len() as u64 + 2)]),
            tally: envelope("tally", tally),
            decryption: envelope("decryption", decryption),
            result: envelope("result", result),
            unknown: MAX_UNKNOWN_LINE,
        }
    }

    /// The bound for a line of `kind` (`None`: a line that does not begin as an event does).
    pub fn of(&self, kind: Option<&str>) -> u64 {
        match kind {
            Some("setup") => self.setup,
            Some("transport_key") => self.transport_key,
            Some("dealing") => self.dealing,
            Some("complaint") => self.complaint,
            Some("ready") => self.ready,
            Some("roll") => self.roll,
            Some("registration") => self.registration,
            Some("registration_close") => self.registration_close,
            Some("shuffle") => self.shuffle,
            Some("open") => self.open,
            Some("cast") => self.cast,
            Some("spoiled") => self.spoiled,
            Some("close") => self.close,
            Some("tally") => self.tally,
            Some("decryption") => self.decryption,
            Some("result") => self.result,
            _ => self.unknown,
        }
    }

    /// The longest line of any kind but `open`, `roll` and `shuffle` (whose bounds are the
    /// number of citizens' and credentials').
    pub fn longest_but_lists(&self) -> u64 {
        [
            self.setup,
            self.transport_key,
            self.dealing,
            self.complaint,
            self.ready,
            self.registration,
            self.registration_close,
            self.cast,
            self.spoiled,
            self.close,
            self.tally,
            self.decryption,
            self.result,
            self.unknown,
        ]
        .into_iter()
        .max()
        .unwrap_or(0)
    }
}

/// A roll of `citizens` pseudonyms, each with its style (at most [`MAX_STYLES`], so 3 digits).
fn roll(citizens: u64) -> u64 {
    let style = (MAX_STYLES - 1).to_string().len() as u64;
    envelope(
        "roll",
        obj(&[("ca_key", H), ("count", U64), ("pseudonyms", list(citizens, H)), ("styles", list(citizens, style))]),
    )
}

/// A shuffle of `credentials` credentials: the output and the proof's five lists of one
/// value per credential (`specs/protocol.md` §13.7).
fn shuffle(credentials: u64) -> u64 {
    let per = |name: &'static str| (name, list(credentials, H));
    let proof = obj(&[
        per("chain"),
        per("chain_commitments"),
        per("chain_responses"),
        per("permutation"),
        per("permuted_responses"),
        ("s1", H),
        ("s2", H),
        ("s3", H),
        ("s4", H),
        ("t1", H),
        ("t2", H),
        ("t3", H),
        ("t4", H),
        ("t5", H),
    ]);
    envelope(
        "shuffle",
        obj(&[
            ("list", U32),
            ("new_base", H),
            ("output", list(credentials, H)),
            ("proof", proof),
            ("shuffler", U32),
            ("signature", schnorr()),
        ]),
    )
}

/// What an open event's `style_credentials` (one list per style) may add to the single
/// `credentials` list of as many credentials: the longer key, and `],[` between lists.
pub const STYLE_LISTS_SLACK: u64 = ("style_credentials".len() - "credentials".len()) as u64 + 2 + 3 * MAX_STYLES as u64;

fn open(credentials: u64, trustees: u64) -> u64 {
    STYLE_LISTS_SLACK
        + envelope(
            "open",
            obj(&[
                ("credentials", list(credentials, H)),
                ("joint_key", H),
                ("quorum", 4),
                ("verification_keys", list(trustees, H)),
            ]),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::group::SecretScalar;
    use crate::election::ballot::Ballot;
    use crate::election::ballot::tests::election;
    use crate::election::manifest::{
        BallotStyle, ContestKind, ContestOption, District, DistrictKind, IMPLICIT_STYLE, Label, RevotePolicy,
        TrusteeCount,
    };
    use crate::election::tally::{ElectionResult, TallyAccumulator, TrusteeDecryption};
    use crate::log::event::{Event, Open};

    /// Digits the bounds count for integers that the sample events write with fewer.
    fn slack(digits_counted: u64, digits_written: u64, how_many: u64) -> u64 {
        (digits_counted - digits_written) * how_many
    }

    #[test]
    fn the_formulas_give_the_lengths_of_real_lines() {
        // The sample manifest: a referendum, and an approval of 3 options (sum proof of 3 branches).
        let (params, voters) = election(2);
        let mut rng = rand::rng();
        let b = LineBounds::for_manifest(&params.manifest);
        let w = params.manifest.ballot_width() as u64;
        let (ballot, secrets) = Ballot::encrypt(&params, &voters[0], &[vec![1, 0], vec![0, 1, 1]], &mut rng).unwrap();
        let spoiled = Event::Spoiled(Box::new(ballot.challenge(secrets)));
        assert_eq!(Event::Cast(Box::new(ballot.clone())).to_leaf().len() as u64, b.cast);
        // Marks are written with one digit; the bound allows 20.
        assert_eq!(spoiled.to_leaf().len() as u64 + slack(20, 1, w), b.spoiled);
        let mut acc = TallyAccumulator::new(&params.manifest);
        acc.add(0, &ballot);
        let tally = acc.finish();
        assert_eq!(Event::Tally(tally.clone()).to_leaf().len() as u64 + slack(20, 1, 1), b.tally);
        let secret = SecretScalar::random(&mut rng);
        let d = TrusteeDecryption::create(&params, 3, &secret, &tally, Some([7; 32]), &mut rng);
        let d = crate::crypto::threshold::signed::SeatSigned::sign(d, &params.setup, &secret, &mut rng);
        assert_eq!(Event::Decryption(d).to_leaf().len() as u64 + slack(10, 1, w + 1), b.decryption);
        let open = Open {
            credentials: Some(params.lists[0].credentials.clone()),
            joint_key: *params.key.element(),
            quorum: true,
            style_credentials: None,
            verification_keys: params.verification_keys.clone(),
        };
        let n = params.verification_keys.len() as u64;
        let with = b.clone().with_credentials(params.credential_count() as u64, n);
        assert_eq!(Event::Open(Box::new(open)).to_leaf().len() as u64 + STYLE_LISTS_SLACK, with.open);
        let key = crate::crypto::threshold::dkg::TransportSecret::generate(2, &mut rng).publish(
            &params.setup,
            &crate::crypto::group::SecretScalar::random(&mut rng),
            &mut rng,
        );
        assert_eq!(Event::TransportKey(key).to_leaf().len() as u64 + slack(10, 1, 1), b.transport_key);
        assert_eq!(Event::Close.to_leaf().len() as u64, b.close);
        let result = ElectionResult { ballots: 1, contests: vec![] };
        assert!(Event::Result(result).to_leaf().len() as u64 <= b.result);
    }

    /// A manifest at every limit: 64 contests, 1024 options, labels of 1024 quotes (each
    /// written `\"`), ids of 64 bytes.
    fn largest(kind: ContestKind, every_member: bool) -> Manifest {
        let quotes = "\"".repeat(MAX_LABEL_BYTES);
        let label = Label { en: quotes.clone(), kk: quotes.clone(), ru: quotes };
        let id = |i: usize| format!("{i:0>64}");
        let per = MAX_BALLOT_OPTIONS / MAX_CONTESTS;
        let some = |v: u32| every_member.then_some(v);
        let (styles, precincts) = (MAX_STYLES, MAX_PRECINCTS);
        Manifest {
            ballot_styles: every_member.then(|| {
                (0..styles)
                    .map(|s| BallotStyle {
                        contests: (0..MAX_CONTESTS).map(id).collect(),
                        id: id(s),
                        precincts: vec![
                            "\"".repeat(MAX_PRECINCT_BYTES);
                            precincts / styles + usize::from(s < precincts % styles)
                        ],
                    })
                    .collect()
            }),
            citizen_ca: every_member
                .then(|| ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key().to_bytes()),
            contests: (0..MAX_CONTESTS)
                .map(|c| Contest {
                    district: every_member.then(|| id(c)),
                    id: id(c),
                    kind,
                    max: Some(if every_member { u32::MAX } else { per as u32 }),
                    min: Some(if every_member { u32::MAX } else { 0 }),
                    options: (0..per)
                        .map(|o| ContestOption { against_all: every_member, id: id(o), label: label.clone() })
                        .collect(),
                    seats: some(u32::MAX),
                    threshold_percent: some(u32::MAX),
                    title: label.clone(),
                    winners: Some(if every_member { u32::MAX } else { 1 }),
                })
                .collect(),
            districts: every_member.then(|| {
                (0..MAX_DISTRICTS)
                    .map(|d| District {
                        id: id(d),
                        kind: DistrictKind::National,
                        parent: Some(id(d)),
                        title: label.clone(),
                    })
                    .collect()
            }),
            election_id: id(0),
            revote: RevotePolicy::LastCounts,
            title: label,
            trustees: TrusteeCount {
                count: if every_member { u32::MAX } else { 255 },
                identities: (1..=MAX_TRUSTEES)
                    .map(|i| {
                        let point = crate::crypto::group::mul_g(&curve25519_dalek::scalar::Scalar::from(i));
                        crate::crypto::group::Element::from_point(point)
                    })
                    .collect(),
                threshold: if every_member { u32::MAX } else { 255 },
            },
            version: if every_member { u32::MAX } else { 1 },
        }
    }

    #[test]
    fn no_manifest_within_the_limits_is_longer() {
        // Every member present at its longest: exactly the bound (no valid manifest has all).
        assert_eq!(largest(ContestKind::PartyList, true).to_canonical_json().len() as u64, max_manifest());
        // The figures of `specs/record.md` §10.2.
        assert_eq!(max_manifest(), 11_753_440);
        assert_eq!(LineBounds::without_manifest().setup, 11_753_559);
        assert_eq!(LineBounds::without_manifest().cast, 983_101);
        // The longest valid manifest: 64 approval contests of 16 options, every label at its limit.
        let valid = largest(ContestKind::Approval, false);
        valid.validate().unwrap();
        assert!((valid.to_canonical_json().len() as u64) < max_manifest());
        // Its lines are the longest any valid manifest gives, but for the style its ballots
        // name: the implicit "all" here, an id of 64 bytes at most (61 more) in a manifest
        // that declares its styles.
        let (mine, none) = (LineBounds::for_manifest(&valid), LineBounds::without_manifest());
        // Its registrations name no style; a declared style's member is `,"style":` and the id.
        let longest_id = (MAX_ID_LEN - IMPLICIT_STYLE.len()) as u64;
        let style_member = (r#","style":"#.len() + MAX_ID_LEN + 2) as u64;
        let adjusted = LineBounds {
            cast: mine.cast + longest_id,
            spoiled: mine.spoiled + longest_id,
            registration: mine.registration + style_member,
            ..mine
        };
        assert_eq!(adjusted, none);
        // One option more, or one byte more in a label, and the manifest is refused.
        let mut wider = valid.clone();
        wider.contests[0].options.push(ContestOption { against_all: false, id: "x".into(), label: Label::same("x") });
        assert!(wider.validate().unwrap_err().to_string().contains("1025 options in all"));
        let mut longer = valid;
        longer.title.kk.push('x');
        assert!(longer.validate().unwrap_err().to_string().contains("title.kk"));
    }
}
