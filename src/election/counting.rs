//! Counting rules: from a contest's decrypted counts to its outcome.
//!
//! All arithmetic is on integers; no rule depends on the order of the options in the
//! manifest. Where a rule needs to order options with equal standing, it draws lots: option
//! `o` of contest `c` precedes option `p` when
//!
//! ```text
//! SHA-256("dauys/lot/v1" ‖ fingerprint ‖ c ‖ 0x00 ‖ o)  <  SHA-256("dauys/lot/v1" ‖ fingerprint ‖ c ‖ 0x00 ‖ p)
//! ```
//!
//! compared as big-endian byte strings. The seed exists only after voting closed, so nobody
//! can grind the election's parameters until the lots fall their way:
//!
//! ```text
//! commitment_j = SHA-256("dauys/lot-commitment/v1" ‖ F_s ‖ u64_le(j) ‖ seed_j)   in trustee j's ready event
//! seed         = SHA-256("dauys/lot-seed/v1" ‖ F_e ‖ root at close ‖ u64_le(k)
//!                        ‖ for each revealed seed_j, ascending j: u64_le(j) ‖ seed_j)
//! ```
//!
//! where "root at close" is the Merkle root of the log up to and including the `close` event
//! and the reveals are those of the decryption events before the result
//! (`specs/record.md` §8.1 says which, and what bias remains).
//!
//! **Against all** counts in the votes cast and never wins. In a `plurality` contest (a
//! single-member Mazhilis or maslikhat district) the candidates with most votes win even when
//! against-all has more: the Constitutional Law "On elections in the Republic of Kazakhstan"
//! (art. 9, para. 2, as amended on 5 November 2022, No. 156-VII) elects the candidate for whom
//! more of the voters who took part voted "compared to other candidates", and provides no
//! repeat election when against-all leads (`specs/record.md` §8.4).

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ElectionError;
use super::manifest::{Contest, ContestKind};
use crate::crypto::group::Fingerprint;

/// A trustee's commitment to its lot seed (posted in its ready event, before voting opens).
pub fn lot_commitment(setup: &Fingerprint, trustee: u32, seed: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"dauys/lot-commitment/v1");
    h.update(setup.as_bytes());
    h.update(u64::from(trustee).to_le_bytes());
    h.update(seed);
    h.finalize().into()
}

/// The seed of every lot of an election: its fingerprint, the log's root at close and the
/// trustees' revealed seeds, `(trustee, seed)` in any order (absorbed by ascending trustee).
pub fn lot_seed(election: &Fingerprint, close_root: &[u8; 32], reveals: &[(u32, [u8; 32])]) -> Fingerprint {
    let mut reveals = reveals.to_vec();
    reveals.sort_by_key(|(j, _)| *j);
    let mut h = Sha256::new();
    h.update(b"dauys/lot-seed/v1");
    h.update(election.as_bytes());
    h.update(close_root);
    h.update((reveals.len() as u64).to_le_bytes());
    for (j, seed) in &reveals {
        h.update(u64::from(*j).to_le_bytes());
        h.update(seed);
    }
    Fingerprint(h.finalize().into())
}

/// The lot of one option.
pub fn lot(seed: &Fingerprint, contest: &str, option: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"dauys/lot/v1");
    h.update(seed.as_bytes());
    h.update(contest.as_bytes());
    h.update([0u8]);
    h.update(option.as_bytes());
    h.finalize().into()
}

/// The decision of one contest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case", deny_unknown_fields)]
pub enum Outcome {
    /// Referendum: adopted iff `yes > no`, i.e. yes has more than half of the valid votes.
    Referendum { adopted: bool },
    /// Majority: a candidate with more than half of the votes cast.
    Elected { winner: String },
    /// Majority without one: the two leading candidates go to a second round.
    Runoff { candidates: [String; 2] },
    /// Majority with one candidate who does not reach half: nobody is elected.
    NotElected,
    /// Plurality and approval: the options with most votes.
    Winners { winners: Vec<String> },
    /// Party list: the parties over the threshold, and the seats of each (in manifest order,
    /// parties without seats omitted).
    Seats { passed: Vec<String>, seats: Vec<PartySeats> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartySeats {
    pub party: String,
    pub seats: u32,
}

/// Candidates (every option but "against all") ordered by votes, then by lot.
fn ranked<'a>(contest: &'a Contest, counts: &[u64], seed: &Fingerprint) -> Vec<(usize, &'a str)> {
    let mut order: Vec<(usize, &str)> =
        contest.options.iter().enumerate().filter(|(_, o)| !o.against_all).map(|(i, o)| (i, o.id.as_str())).collect();
    order.sort_by(|a, b| counts[b.0].cmp(&counts[a.0]).then_with(|| by_lot(seed, &contest.id, a.1, b.1)));
    order
}

fn by_lot(seed: &Fingerprint, contest: &str, a: &str, b: &str) -> Ordering {
    lot(seed, contest, a).cmp(&lot(seed, contest, b))
}

/// The outcome of `contest` from its `counts` (one per option, manifest order). `seed` is the
/// election's lot seed ([`lot_seed`]). A contest that breaks its kind's rules (§2.2 of
/// `specs/record.md`: no candidate, a referendum without exactly two options, a party list
/// without seats) or counts of another shape give an error, never a panic: the verifier may
/// meet them in a hostile record.
pub fn outcome(contest: &Contest, counts: &[u64], seed: &Fingerprint) -> Result<Outcome, ElectionError> {
    let broken = |reason: String| ElectionError::Manifest { field: format!("contest {:?}", contest.id), reason };
    if counts.len() != contest.options.len() {
        return Err(broken(format!("{} counts for {} options", counts.len(), contest.options.len())));
    }
    // The sum of up to 1024 counts below 2^64 fits in 128 bits.
    let cast: u128 = counts.iter().map(|&c| u128::from(c)).sum();
    Ok(match contest.kind {
        ContestKind::Referendum => match counts {
            [yes, no] => Outcome::Referendum { adopted: yes > no },
            _ => return Err(broken("a referendum has exactly two options".into())),
        },
        ContestKind::Majority => {
            let order = ranked(contest, counts, seed);
            let Some(&(first, name)) = order.first() else {
                return Err(broken("a majority contest needs a candidate".into()));
            };
            if u128::from(counts[first]) * 2 > cast {
                Outcome::Elected { winner: name.to_string() }
            } else if let Some(&(_, second)) = order.get(1) {
                Outcome::Runoff { candidates: [name.to_string(), second.to_string()] }
            } else {
                Outcome::NotElected
            }
        }
        ContestKind::Plurality | ContestKind::Approval => {
            let k = contest.winners.unwrap_or(1) as usize;
            let winners = ranked(contest, counts, seed).into_iter().take(k).map(|(_, id)| id.to_string()).collect();
            Outcome::Winners { winners }
        }
        ContestKind::PartyList => {
            let (Some(seats), Some(threshold)) = (contest.seats, contest.threshold_percent) else {
                return Err(broken("a party list needs seats and threshold_percent".into()));
            };
            party_list(contest, counts, cast, seats, threshold, seed)
        }
    })
}

/// The Mazhilis method. A party passes with at least `threshold_percent` of the votes cast
/// (against-all votes included); `quota = V / S` for `V` the votes of the passing parties;
/// each passing party gets `⌊votes / quota⌋ = ⌊votes·S / V⌋` seats; the seats left go one
/// each to the largest remainders `votes·S − seats·V`, equal remainders by lot.
fn party_list(
    contest: &Contest,
    counts: &[u64],
    cast: u128,
    seats: u32,
    threshold: u32,
    seed: &Fingerprint,
) -> Outcome {
    let s = u128::from(seats);
    let threshold = u128::from(threshold);
    let passed: Vec<usize> = (0..counts.len())
        .filter(|&i| {
            !contest.options[i].against_all && counts[i] > 0 && u128::from(counts[i]) * 100 >= threshold * cast
        })
        .collect();
    let v: u128 = passed.iter().map(|&i| u128::from(counts[i])).sum();
    let mut seats = vec![0u128; counts.len()];
    // `passed` is empty exactly when `v` is 0, so nothing below divides by zero.
    for &i in &passed {
        seats[i] = u128::from(counts[i]) * s / v;
    }
    let left = s - seats.iter().sum::<u128>();
    let remainder = |i: usize| u128::from(counts[i]) * s - seats[i] * v;
    let mut order = passed.clone();
    let id = |i: usize| contest.options[i].id.as_str();
    order.sort_by(|&a, &b| remainder(b).cmp(&remainder(a)).then_with(|| by_lot(seed, &contest.id, id(a), id(b))));
    for &i in order.iter().take(left as usize) {
        seats[i] += 1;
    }
    Outcome::Seats {
        passed: passed.iter().map(|&i| contest.options[i].id.clone()).collect(),
        seats: (0..counts.len())
            .filter(|&i| seats[i] > 0)
            .map(|i| PartySeats { party: contest.options[i].id.clone(), seats: seats[i] as u32 })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::election::manifest::{ContestOption, Label};

    const SEED: Fingerprint = Fingerprint([7; 32]);

    fn contest(kind: ContestKind, ids: &[&str]) -> Contest {
        Contest {
            district: None,
            id: "c".into(),
            kind,
            options: ids
                .iter()
                .map(|id| ContestOption { against_all: *id == "against", id: id.to_string(), label: Label::same(id) })
                .collect(),
            title: Label::same("c"),
            max: None,
            min: None,
            seats: None,
            threshold_percent: None,
            winners: None,
        }
    }

    fn party_list(seats: u32, threshold: u32, ids: &[&str]) -> Contest {
        Contest { seats: Some(seats), threshold_percent: Some(threshold), ..contest(ContestKind::PartyList, ids) }
    }

    fn seats_of(o: &Outcome) -> Vec<(&str, u32)> {
        match o {
            Outcome::Seats { seats, .. } => seats.iter().map(|p| (p.party.as_str(), p.seats)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn referendum_needs_more_than_half() {
        let c = contest(ContestKind::Referendum, &["yes", "no"]);
        assert_eq!(outcome(&c, &[51, 49], &SEED).unwrap(), Outcome::Referendum { adopted: true });
        assert_eq!(outcome(&c, &[50, 50], &SEED).unwrap(), Outcome::Referendum { adopted: false });
        assert_eq!(outcome(&c, &[0, 0], &SEED).unwrap(), Outcome::Referendum { adopted: false });
    }

    #[test]
    fn majority_elects_or_sends_to_a_runoff() {
        let c = contest(ContestKind::Majority, &["a", "b", "c", "against"]);
        assert_eq!(outcome(&c, &[51, 30, 10, 9], &SEED).unwrap(), Outcome::Elected { winner: "a".into() });
        // Exactly half is not more than half; against-all votes count in the votes cast.
        assert_eq!(
            outcome(&c, &[50, 30, 10, 10], &SEED).unwrap(),
            Outcome::Runoff { candidates: ["a".into(), "b".into()] }
        );
        assert_eq!(
            outcome(&c, &[20, 45, 30, 5], &SEED).unwrap(),
            Outcome::Runoff { candidates: ["b".into(), "c".into()] }
        );
        // Against all leads: it is never a candidate.
        assert_eq!(
            outcome(&c, &[10, 20, 30, 40], &SEED).unwrap(),
            Outcome::Runoff { candidates: ["c".into(), "b".into()] }
        );
        let single = contest(ContestKind::Majority, &["a", "against"]);
        assert_eq!(outcome(&single, &[5, 5], &SEED).unwrap(), Outcome::NotElected);
        assert_eq!(outcome(&single, &[6, 5], &SEED).unwrap(), Outcome::Elected { winner: "a".into() });
    }

    #[test]
    fn ties_are_broken_by_lot_not_by_order() {
        let c = contest(ContestKind::Majority, &["a", "b", "c"]);
        let lots: Vec<[u8; 32]> = ["a", "b", "c"].iter().map(|o| lot(&SEED, "c", o)).collect();
        let runoff = outcome(&c, &[40, 30, 30], &SEED).unwrap();
        let second = if lots[1] < lots[2] { "b" } else { "c" };
        assert_eq!(runoff, Outcome::Runoff { candidates: ["a".into(), second.into()] });
        // The same tie with the options listed in the other order gives the same decision.
        let reversed = contest(ContestKind::Majority, &["c", "b", "a"]);
        assert_eq!(outcome(&reversed, &[30, 30, 40], &SEED).unwrap(), runoff);
        // Another seed may decide otherwise; some seed does.
        let flips = (0..64u8).any(|s| outcome(&c, &[40, 30, 30], &Fingerprint([s; 32])).unwrap() != runoff);
        assert!(flips);
    }

    #[test]
    fn plurality_and_approval_take_the_top_k() {
        let c = Contest { winners: Some(2), ..contest(ContestKind::Approval, &["a", "b", "c", "d"]) };
        assert_eq!(
            outcome(&c, &[5, 9, 7, 1], &SEED).unwrap(),
            Outcome::Winners { winners: vec!["b".into(), "c".into()] }
        );
        let p = contest(ContestKind::Plurality, &["a", "b", "against"]);
        assert_eq!(outcome(&p, &[3, 4, 10], &SEED).unwrap(), Outcome::Winners { winners: vec!["b".into()] });
    }

    #[test]
    fn against_all_never_wins_a_plurality() {
        let c = contest(ContestKind::Plurality, &["a", "b", "c", "against"]);
        let winners = |counts: &[u64]| match outcome(&c, counts, &SEED).unwrap() {
            Outcome::Winners { winners } => winners,
            other => panic!("{other:?}"),
        };
        // Against all leads, even with more than half: the leading candidate is elected.
        assert_eq!(winners(&[10, 25, 5, 60]), ["b"]);
        assert_eq!(winners(&[30, 20, 10, 30]), ["a"], "a tie with against-all elects the candidate");
        // Against all leads and the candidates tie: the lot decides among them, as always.
        let first_by_lot = |ids: &[&str]| ids.iter().copied().min_by_key(|o| lot(&SEED, "c", o)).unwrap().to_string();
        assert_eq!(winners(&[20, 20, 5, 55]), [first_by_lot(&["a", "b"])]);
        // Every vote against all: a candidate is still elected, by lot among all of them.
        assert_eq!(winners(&[0, 0, 0, 9]), [first_by_lot(&["a", "b", "c"])]);
        assert_eq!(winners(&[0, 0, 0, 0]), [first_by_lot(&["a", "b", "c"])]);
        // Two seats: against all takes none of them.
        let two = Contest { winners: Some(2), ..c.clone() };
        assert_eq!(
            outcome(&two, &[3, 9, 1, 50], &SEED).unwrap(),
            Outcome::Winners { winners: vec!["b".into(), "a".into()] }
        );
        // The outcome does not depend on where against-all stands in the manifest.
        let moved = contest(ContestKind::Plurality, &["against", "c", "b", "a"]);
        assert_eq!(outcome(&moved, &[60, 5, 25, 10], &SEED).unwrap(), Outcome::Winners { winners: vec!["b".into()] });
    }

    #[test]
    fn the_kurultai_example_allocates_145_seats() {
        let manifest =
            crate::election::manifest::Manifest::from_json(include_str!("../../specs/examples/kurultai-manifest.json"))
                .unwrap();
        let c = &manifest.contests[0];
        // Parties A–H, then against all: cast = 8,600,000, so 5 % is 430,000.
        let counts = [4_100_000, 1_300_000, 900_000, 700_000, 600_000, 350_000, 250_000, 120_000, 280_000];
        let o = outcome(c, &counts, &SEED).unwrap();
        let Outcome::Seats { passed, .. } = &o else { panic!("{o:?}") };
        assert_eq!(passed, &["party-a", "party-b", "party-c", "party-d", "party-e"], "F at 4.07 % does not pass");
        // V = 7,600,000; v·145/V: a 78.22, b 24.80, c 17.17, d 13.36, e 11.45: 143 seats by
        // quota, the 2 left to the largest remainders, b (.80) and e (.45).
        assert_eq!(
            seats_of(&o),
            vec![("party-a", 78), ("party-b", 25), ("party-c", 17), ("party-d", 13), ("party-e", 12)]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// For any seat count and votes: every seat is allocated when a party passes, and each
        /// passing party gets its quota's whole part or one more (Hare quota, largest remainder).
        #[test]
        fn a_party_list_allocates_every_seat(
            seats in 1u32..=10_000,
            threshold in 0u32..100,
            counts in proptest::collection::vec(0u64..5_000_000, 2..10),
        ) {
            let ids: Vec<String> = (0..counts.len()).map(|i| if i == 0 { "against".into() } else { format!("p{i}") }).collect();
            let c = party_list(seats, threshold, &ids.iter().map(String::as_str).collect::<Vec<_>>());
            let o = outcome(&c, &counts, &SEED).unwrap();
            let Outcome::Seats { passed, seats: won } = &o else { panic!("{o:?}") };
            let cast: u128 = counts.iter().map(|&v| u128::from(v)).sum();
            let index = |id: &str| ids.iter().position(|i| i == id).unwrap();
            let v: u128 = passed.iter().map(|p| u128::from(counts[index(p)])).sum();
            for p in passed {
                let votes = u128::from(counts[index(p)]);
                proptest::prop_assert!(p != "against" && votes > 0 && votes * 100 >= u128::from(threshold) * cast);
            }
            let total: u32 = won.iter().map(|s| s.seats).sum();
            proptest::prop_assert_eq!(total, if passed.is_empty() { 0 } else { seats });
            for s in won {
                let quota = u128::from(counts[index(&s.party)]) * u128::from(seats) / v;
                proptest::prop_assert!(passed.contains(&s.party));
                proptest::prop_assert!(u128::from(s.seats) == quota || u128::from(s.seats) == quota + 1, "{:?}", s);
            }
        }
    }

    #[test]
    fn mazhilis_quota_and_largest_remainder() {
        // 2023-like: 69 seats, 5 %, against-all counts in the votes cast.
        let c = party_list(69, 5, &["a", "b", "c", "d", "e", "against"]);
        let counts = [3_400_000, 560_000, 430_000, 540_000, 300_000, 200_000];
        let cast: u64 = counts.iter().sum(); // 5,430,000; 5 % is 271,500
        let o = outcome(&c, &counts, &SEED).unwrap();
        let Outcome::Seats { passed, .. } = &o else { panic!() };
        assert_eq!(passed, &["a", "b", "c", "d", "e"]);
        // V = 5,230,000; a: 3,400,000·69/V = 44.856… → 44, b: 7.387… → 7, c: 5.672… → 5,
        // d: 7.124… → 7, e: 3.957… → 3; 66 seats, 3 left to the remainders .957 (e), .856 (a), .672 (c).
        assert_eq!(seats_of(&o), vec![("a", 45), ("b", 7), ("c", 6), ("d", 7), ("e", 4)]);
        assert_eq!(seats_of(&o).iter().map(|s| s.1).sum::<u32>(), 69);
        assert!(cast > 0);
    }

    #[test]
    fn threshold_edges() {
        // 1000 votes cast: 5 % is exactly 50 votes.
        let c = party_list(10, 5, &["a", "b", "c", "against"]);
        let o = outcome(&c, &[850, 50, 49, 51], &SEED).unwrap();
        let Outcome::Seats { passed, .. } = &o else { panic!() };
        assert_eq!(passed, &["a", "b"], "exactly 5 % passes, 4.9 % does not, against-all never does");
        // The 7 % threshold of before 2023 excludes b.
        let old = party_list(10, 7, &["a", "b", "c", "against"]);
        assert_eq!(seats_of(&outcome(&old, &[850, 50, 49, 51], &SEED).unwrap()), vec![("a", 10)]);
        // Nobody passes: no seats.
        let none = party_list(10, 50, &["a", "b", "c"]);
        assert_eq!(outcome(&none, &[40, 30, 30], &SEED).unwrap(), Outcome::Seats { passed: vec![], seats: vec![] });
        // No votes at all.
        assert_eq!(outcome(&c, &[0, 0, 0, 0], &SEED).unwrap(), Outcome::Seats { passed: vec![], seats: vec![] });
    }

    #[test]
    fn the_lot_seed_depends_on_every_input() {
        let reveals = [(1, [1u8; 32]), (3, [3u8; 32])];
        let base = lot_seed(&SEED, &[9; 32], &reveals);
        assert_eq!(base, lot_seed(&SEED, &[9; 32], &[(3, [3u8; 32]), (1, [1u8; 32])]), "order of the reveals");
        assert_ne!(base, lot_seed(&Fingerprint([8; 32]), &[9; 32], &reveals));
        assert_ne!(base, lot_seed(&SEED, &[8; 32], &reveals));
        assert_ne!(base, lot_seed(&SEED, &[9; 32], &reveals[..1]), "a withheld reveal");
        assert_ne!(base, lot_seed(&SEED, &[9; 32], &[(1, [1u8; 32]), (3, [4u8; 32])]));
        assert_ne!(base, lot_seed(&SEED, &[9; 32], &[(2, [1u8; 32]), (3, [3u8; 32])]), "whose reveal");
        assert_ne!(lot_commitment(&SEED, 1, &[1; 32]), lot_commitment(&SEED, 2, &[1; 32]));
        assert_ne!(lot_commitment(&SEED, 1, &[1; 32]), lot_commitment(&Fingerprint([8; 32]), 1, &[1; 32]));
    }

    #[test]
    fn equal_remainders_go_by_lot() {
        // Three equal parties, 4 seats: one seat each, the fourth by lot.
        let c = party_list(4, 5, &["a", "b", "c"]);
        let o = outcome(&c, &[100, 100, 100], &SEED).unwrap();
        let first = ["a", "b", "c"].into_iter().min_by_key(|p| lot(&SEED, "c", p)).unwrap();
        for (party, seats) in seats_of(&o) {
            assert_eq!(seats, if party == first { 2 } else { 1 }, "{party}");
        }
    }

    #[test]
    fn broken_contests_are_errors_not_panics() {
        // What a hostile record's manifest may hold after it fails validation.
        let one_option_referendum = contest(ContestKind::Referendum, &["yes"]);
        assert!(outcome(&one_option_referendum, &[3], &SEED).is_err());
        let only_against_all = contest(ContestKind::Majority, &["against"]);
        assert!(outcome(&only_against_all, &[3], &SEED).is_err());
        let no_seats = contest(ContestKind::PartyList, &["a", "b"]);
        assert!(outcome(&no_seats, &[1, 2], &SEED).is_err());
        let c = contest(ContestKind::Majority, &["a", "b"]);
        assert!(outcome(&c, &[1, 2, 3], &SEED).is_err(), "counts of another shape");
        // Counts whose sum overflows 64 bits.
        assert_eq!(outcome(&c, &[u64::MAX, u64::MAX - 1], &SEED).unwrap(), Outcome::Elected { winner: "a".into() });
        assert_eq!(
            outcome(&c, &[u64::MAX, u64::MAX], &SEED).unwrap(),
            Outcome::Runoff {
                candidates: if lot(&SEED, "c", "a") < lot(&SEED, "c", "b") {
                    ["a".into(), "b".into()]
                } else {
                    ["b".into(), "a".into()]
                }
            }
        );
        let p = party_list(3, 5, &["a", "b"]);
        assert_eq!(seats_of(&outcome(&p, &[u64::MAX, u64::MAX], &SEED).unwrap()).iter().map(|s| s.1).sum::<u32>(), 3);
    }
}
