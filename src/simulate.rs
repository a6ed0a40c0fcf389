//! `dauys simulate`: given vote counts replayed exactly through the whole cryptographic
//! pipeline — how researchers run a published result, or a synthetic national election,
//! through the system. Registration runs as in the demo: every simulated citizen, certified by
//! a synthetic CA, registers a credential it made, and the minimum number of trustees shuffle
//! the list before voting opens.
//!
//! The votes file is JSON, contest id → option id → count:
//!
//! ```json
//! {"referendum": {"yes": 5100, "no": 3900}, "president": {"candidate-a": 4000, …}}
//! ```
//!
//! Every contest of the manifest must appear; options left out count 0. Each ballot marks one
//! option of every single-choice contest on it, so such a contest's total is the number of
//! ballots of the styles that carry it. With ballot styles (a Mazhilis district, a
//! maslikhat), each style's ballots follow from a single-choice contest that only that style
//! carries (a district's contest); a style without one gets its ballots from the optional
//! `"turnout"` member, style id → ballots:
//!
//! ```json
//! {"party-list": {"party-a": 700, …}, "district-01": {"candidate-a": 20, …}, …,
//!  "turnout": {"d30": 150}}
//! ```
//!
//! (or the simulation is refused, naming the style); a contest carried by several styles (the
//! national list) must total the sum of their ballots, and its marks are dealt at random over
//! those ballots. Without styles every single-choice contest has the same total, the number
//! of ballots. Approval contests' marks are dealt round-robin over the ballots that carry
//! them (so no ballot gets an option twice) and must then fit every ballot's bounds; a
//! manifest that names a contest `turnout` cannot give the member.
//!
//! [`Options`] add what a real election has beside the counted ballots: voters who re-vote
//! (an earlier ballot, another of the deck's, replaced by the one that counts), who challenge
//! a ballot first (opened, never counted), and registered citizens who abstain; and a seed
//! that makes the whole run, and so its record, reproducible.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rand::seq::SliceRandom;
use rand::{CryptoRng, Rng, RngExt, SeedableRng};
use rayon::prelude::*;

use crate::election::ElectionError;
use crate::election::credential::Credential;
use crate::election::manifest::RevotePolicy;
use crate::election::manifest::{ContestKind, Lang, Manifest};
use crate::election::report::result_table;
use crate::election::result_data::{result_csv, result_json};
use crate::runner::{LocalElection, RunError, VOTE_CHUNK, VoterPlan};

pub type Votes = BTreeMap<String, BTreeMap<String, u64>>;

/// The votes file's member that gives ballots per style (where no contest is named so).
pub const TURNOUT: &str = "turnout";

fn votes_error(reason: impl Into<String>) -> ElectionError {
    ElectionError::Choice(format!("votes file: {}", reason.into()))
}

/// Per contest, the counts in manifest option order, after checking every id (the
/// [`TURNOUT`] member aside, where no contest has that id).
fn counts_in_order(manifest: &Manifest, votes: &Votes) -> Result<Vec<Vec<u64>>, ElectionError> {
    for id in votes.keys() {
        if manifest.contest_index(id).is_none() && id != TURNOUT {
            return Err(votes_error(format!("no contest {id:?} in the manifest")));
        }
    }
    manifest
        .contests
        .iter()
        .map(|c| {
            let given = votes.get(&c.id).ok_or_else(|| votes_error(format!("contest {:?} is missing", c.id)))?;
            if let Some(unknown) = given.keys().find(|o| c.option_index(o).is_none()) {
                return Err(votes_error(format!("contest {:?} has no option {unknown:?}", c.id)));
            }
            Ok(c.options.iter().map(|o| given.get(&o.id).copied().unwrap_or(0)).collect())
        })
        .collect()
}

/// The ballots of each style (in [`Manifest::styles`] order): from a single-choice contest
/// that only that style carries (each of its ballots marks one option, so the contest's total
/// is the style's ballots), else from the votes file's [`TURNOUT`]; then every single-choice
/// contest of several styles must total their ballots.
fn ballots_per_style(manifest: &Manifest, votes: &Votes, counts: &[Vec<u64>]) -> Result<Vec<u64>, ElectionError> {
    let styles = manifest.styles();
    let turnout = if manifest.contest_index(TURNOUT).is_none() { votes.get(TURNOUT) } else { None };
    if let Some(unknown) = turnout.into_iter().flat_map(|t| t.keys()).find(|id| manifest.style(id).is_none()) {
        let ids: Vec<&str> = styles.iter().map(|s| s.id).collect();
        return Err(votes_error(format!("turnout: no ballot style {unknown:?}; the styles: {}", ids.join(", "))));
    }
    let single = |c: usize| manifest.contests[c].kind != ContestKind::Approval;
    let carriers = |c: usize| styles.iter().filter(|s| s.contests.contains(&c)).count();
    let total = |c: usize| counts[c].iter().sum::<u64>();
    let mut ballots = Vec::with_capacity(styles.len());
    for style in &styles {
        let own: Vec<usize> = style.contests.iter().copied().filter(|&c| single(c) && carriers(c) == 1).collect();
        let mut n = match own.first() {
            Some(&first) => {
                if let Some(&other) = own.iter().find(|&&c| total(c) != total(first)) {
                    return Err(votes_error(format!(
                        "contests {:?} and {:?} are both on the ballots of style {:?} alone, so they need the same \
                         number of ballots: {:?} has {}, {:?} has {}",
                        manifest.contests[first].id,
                        manifest.contests[other].id,
                        style.id,
                        manifest.contests[first].id,
                        total(first),
                        manifest.contests[other].id,
                        total(other)
                    )));
                }
                Some(total(first))
            }
            None => None,
        };
        if let Some(&given) = turnout.and_then(|t| t.get(style.id)) {
            match n {
                Some(found) if found != given => {
                    return Err(votes_error(format!(
                        "turnout: style {:?} is given {given} ballots, its contest {:?} has {found}",
                        style.id, manifest.contests[own[0]].id
                    )));
                }
                _ => n = Some(given),
            }
        }
        // One style: approval contests alone give the ballots as their most marked option.
        if n.is_none() && styles.len() == 1 {
            n = counts.iter().flat_map(|c| c.iter().copied()).max();
        }
        let n = n.ok_or_else(|| {
            votes_error(format!(
                "ballot style {:?} has no single-choice contest of its own: give its ballots as \
                 \"{TURNOUT}\": {{\"{}\": N}}",
                style.id, style.id
            ))
        })?;
        ballots.push(n);
    }
    for (c, contest) in manifest.contests.iter().enumerate() {
        if !single(c) {
            continue;
        }
        let expected = styles
            .iter()
            .zip(&ballots)
            .filter(|(s, _)| s.contests.contains(&c))
            .fold(0u64, |sum, (_, n)| sum.saturating_add(*n));
        if total(c) != expected {
            return Err(votes_error(format!(
                "contest {:?} needs the same number of ballots as the styles that carry it: expected {expected}, \
                 found {}",
                contest.id,
                total(c)
            )));
        }
    }
    Ok(ballots)
}

/// Every ballot's marks, such that the totals are exactly the votes file's, kept compactly
/// (a few bytes a ballot, not a vector of vectors) so that a national simulation can hold
/// them. The deck's entries are laid out style by style (style `s`'s `n_s` ballots, then the
/// next style's); a contest's ballots are the entries of the styles that carry it, in that
/// order. Per single-choice contest the option each of its ballots marks, shuffled (so its
/// marks are dealt at random over the ballots of every style that carries it); per approval
/// contest only the counts (its `j`-th ballot gets the `j`-th, `(j + N)`-th, … of the marks
/// laid out option by option, `N` its ballots, so no ballot gets an option twice); and a
/// random order in which the entries are cast.
#[derive(Debug)]
pub struct Deck {
    contests: Vec<DeckContest>,
    /// Per style, its contests (manifest indices) and where its entries start.
    styles: Vec<(Vec<usize>, u32)>,
    /// The ballot cast `k`-th is deck entry `order[k]`.
    order: Vec<u32>,
}

#[derive(Debug)]
struct DeckContest {
    /// Per style that carries the contest, where its entries start among the contest's ballots.
    at: Vec<Option<u32>>,
    marks: DeckMarks,
}

#[derive(Debug)]
enum DeckMarks {
    /// The option each of the contest's ballots marks (at most [`crate::election::manifest::MAX_OPTIONS`]).
    Single { options: usize, marked: Vec<u8> },
    /// Per option, where its marks start in the layout; the total; the contest's ballots.
    Approval { starts: Vec<u64>, total: u64, ballots: u64 },
}

impl Deck {
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The style of deck entry `entry`: the last style whose entries start at or before it.
    fn entry_style(&self, entry: u32) -> usize {
        self.styles.partition_point(|(_, start)| *start <= entry) - 1
    }

    /// The style (its index in [`Manifest::styles`]) of the ballot cast `k`-th.
    pub fn style(&self, k: usize) -> usize {
        self.entry_style(self.order[k])
    }

    /// The marks of the ballot cast `k`-th, per contest of its style and option.
    pub fn marks(&self, k: usize) -> Vec<Vec<u64>> {
        self.entry_marks(self.order[k])
    }

    /// The marks of another ballot of the same style as the one cast `k`-th (the next entry
    /// of its style, cyclically): a re-voter's earlier ballot.
    pub fn earlier_marks(&self, k: usize) -> Vec<Vec<u64>> {
        let entry = self.order[k];
        let style = self.entry_style(entry);
        let start = self.styles[style].1;
        let end = self.styles.get(style + 1).map_or(self.order.len() as u32, |s| s.1);
        self.entry_marks(if entry + 1 < end { entry + 1 } else { start })
    }

    fn entry_marks(&self, entry: u32) -> Vec<Vec<u64>> {
        let style = self.entry_style(entry);
        let (contests, start) = &self.styles[style];
        let local = u64::from(entry - start);
        contests
            .iter()
            .map(|&c| {
                let contest = &self.contests[c];
                let j = u64::from(contest.at[style].expect("a style's contests carry it")) + local;
                match &contest.marks {
                    DeckMarks::Single { options, marked } => {
                        (0..*options).map(|o| u64::from(o == usize::from(marked[j as usize]))).collect()
                    }
                    DeckMarks::Approval { starts, total, ballots } => {
                        let mut marks = vec![0u64; starts.len()];
                        for m in (j..*total).step_by(*ballots as usize) {
                            // The option whose marks span m: the last start at or below it.
                            marks[starts.partition_point(|s| *s <= m) - 1] = 1;
                        }
                        marks
                    }
                }
            })
            .collect()
    }
}

/// The deck of ballots whose totals are exactly `votes`, shuffled with `rng`.
pub fn ballots_from_votes<R: Rng + ?Sized>(
    manifest: &Manifest,
    votes: &Votes,
    rng: &mut R,
) -> Result<Deck, ElectionError> {
    let counts = counts_in_order(manifest, votes)?;
    let per_style = ballots_per_style(manifest, votes, &counts)?;
    let n: u64 =
        per_style.iter().try_fold(0u64, |a, b| a.checked_add(*b)).ok_or_else(|| votes_error("too many ballots"))?;
    if n == 0 {
        return Err(votes_error("no ballots"));
    }
    let n = u32::try_from(n).map_err(|_| votes_error("too many ballots"))?;
    let styles = manifest.styles();
    let starts: Vec<u32> = per_style.iter().scan(0u32, |at, k| Some(std::mem::replace(at, *at + *k as u32))).collect();
    let mut contests = Vec::with_capacity(manifest.contests.len());
    for (c, (contest, counts)) in manifest.contests.iter().zip(&counts).enumerate() {
        let mut ballots = 0u32;
        let at: Vec<Option<u32>> = styles
            .iter()
            .zip(&per_style)
            .map(|(s, k)| {
                s.contests.contains(&c).then(|| {
                    ballots += *k as u32;
                    ballots - *k as u32
                })
            })
            .collect();
        let marks = if contest.kind == ContestKind::Approval {
            let b = u64::from(ballots);
            if counts.iter().any(|&k| k > b) {
                return Err(votes_error(format!(
                    "contest {:?}: an option has more marks than there are ballots ({b})",
                    contest.id
                )));
            }
            let total: u64 = counts.iter().sum();
            let (lo, hi) = contest.sum_bounds();
            // No ballot carries the contest: it fits only without marks.
            let (fewest, most) = total.checked_div(b).map_or((lo, lo), |f| (f, total.div_ceil(b)));
            if (b == 0 && total > 0) || fewest < lo || most > hi {
                return Err(votes_error(format!(
                    "contest {:?}: {total} marks over {b} ballots do not fit {lo}..={hi} per ballot",
                    contest.id
                )));
            }
            let starts = counts.iter().scan(0u64, |at, k| Some(std::mem::replace(at, *at + k))).collect();
            DeckMarks::Approval { starts, total, ballots: b }
        } else {
            let mut marked: Vec<u8> =
                counts.iter().enumerate().flat_map(|(o, &k)| std::iter::repeat_n(o as u8, k as usize)).collect();
            marked.shuffle(rng);
            DeckMarks::Single { options: contest.options.len(), marked }
        };
        contests.push(DeckContest { at, marks });
    }
    let mut order: Vec<u32> = (0..n).collect();
    order.shuffle(rng);
    let styles = styles.into_iter().zip(starts).map(|(s, start)| (s.contests, start)).collect();
    Ok(Deck { contests, styles, order })
}

/// The simulated voter `i`'s credential: derived from a secret seed of this run, so that it
/// can be derived again when the voter registers and when it casts instead of being kept for
/// the whole run.
fn voter_credential(seed: &[u8; 32], i: usize) -> Credential {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new().chain_update(seed).chain_update((i as u64).to_le_bytes()).finalize();
    let hex = crate::crypto::group::to_hex(&digest[..16]);
    Credential::parse(&hex).expect("32 hex digits")
}

/// How a simulation runs, beyond the votes file.
#[derive(Debug, Clone)]
pub struct Options {
    /// Seeds every random choice of the run from `ChaCha20Rng::seed_from_u64(seed)`: the
    /// trustees' and the board's keys, the CA, the citizens and their credentials, the
    /// ballots' encryption and proofs, the deck's order, who re-votes and challenges, and the
    /// lots. The same seed, manifest, votes and options give the same record, byte for byte.
    /// Every secret of the run then follows from the seed: for research only. Without a
    /// seed, the OS-seeded generator (`rand::rng()`).
    pub seed: Option<u64>,
    /// The share of voters (0 to 1) who first cast another ballot, replaced by the one that
    /// counts (the manifest must let the last ballot count).
    pub revote: f64,
    /// The share of voters (0 to 1) who challenge a ballot before casting (it is opened at
    /// close and never counted).
    pub challenge: f64,
    /// The share of registered citizens (0 to 1, below 1) who do not vote: `n / (1 − a)`
    /// citizens register, rounded, for the votes file's `n` ballots.
    pub abstention: f64,
    /// Where to write the result as JSON ([`result_json`]).
    pub json: Option<PathBuf>,
    /// Where to write the result as CSV ([`result_csv`]).
    pub csv: Option<PathBuf>,
    /// The language of the printed table and of the CSV's labels.
    pub lang: Lang,
}

impl Default for Options {
    fn default() -> Self {
        Options { seed: None, revote: 0.0, challenge: 0.0, abstention: 0.0, json: None, csv: None, lang: Lang::En }
    }
}

impl Options {
    fn check(&self, manifest: &Manifest) -> Result<(), RunError> {
        let rate = |name: &str, r: f64, below_one: bool| {
            if !(0.0..=1.0).contains(&r) || (below_one && r >= 1.0) {
                let range = if below_one { "0 to less than 1" } else { "0 to 1" };
                return Err(RunError::Other(format!("--{name} {r}: a share of {range}, e.g. 0.05")));
            }
            Ok(())
        };
        rate("revote-rate", self.revote, false)?;
        rate("challenge-rate", self.challenge, false)?;
        rate("abstention-rate", self.abstention, true)?;
        if self.revote > 0.0 && manifest.revote == RevotePolicy::Refused {
            return Err(RunError::Other(format!(
                "--revote-rate: the manifest of {:?} refuses a second ballot (\"revote\": \"refused\")",
                manifest.election_id
            )));
        }
        Ok(())
    }
}

/// What a simulation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulated {
    /// The record's directory.
    pub record: PathBuf,
    /// Citizens registered, ballots counted, voters who re-voted, ballots challenged.
    pub registered: usize,
    pub counted: usize,
    pub revoted: usize,
    pub challenged: usize,
}

/// Runs the simulation in `dir`.
pub fn run(
    manifest_path: &Path,
    votes_path: &Path,
    dir: &Path,
    options: &Options,
    out: &mut impl Write,
) -> Result<Simulated, RunError> {
    match options.seed {
        Some(seed) => {
            run_with(manifest_path, votes_path, dir, options, out, &mut rand_chacha::ChaCha20Rng::seed_from_u64(seed))
        }
        None => run_with(manifest_path, votes_path, dir, options, out, &mut rand::rng()),
    }
}

/// The share `rate` of `n`, rounded to the nearest whole number.
fn abstainers(n: usize, rate: f64) -> usize {
    (n as f64 * rate / (1.0 - rate)).round() as usize
}

fn run_with<R: CryptoRng + ?Sized>(
    manifest_path: &Path,
    votes_path: &Path,
    dir: &Path,
    options: &Options,
    out: &mut impl Write,
    rng: &mut R,
) -> Result<Simulated, RunError> {
    let io = |e: std::io::Error| RunError::Other(e.to_string());
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| RunError::Other(format!("{}: {e}", p.display())));
    let mut manifest = Manifest::from_json(&read(manifest_path)?)?;
    options.check(&manifest)?;
    let votes: Votes = serde_json::from_str(&read(votes_path)?)
        .map_err(|e| RunError::Other(format!("{}: {e}", votes_path.display())))?;
    let deck = ballots_from_votes(&manifest, &votes, rng)?;
    let n = deck.len();
    let registered = n + abstainers(n, options.abstention);
    let start = Instant::now();
    // What this run says, in the language of its table.
    let words = crate::locale::Words::of(options.lang);
    let seconds = |d: std::time::Duration| words.decimal(d.as_secs_f64(), 2);
    let title = words.with(
        "simulate-title",
        &[
            ("n", n.into()),
            ("election", format!("{:?}", manifest.election_id).into()),
            ("dir", dir.display().to_string().into()),
        ],
    );
    writeln!(out, "{title}").map_err(io)?;
    if let Some(seed) = options.seed {
        writeln!(out, "   {}", words.with("simulate-seed", &[("seed", seed.into())])).map_err(io)?;
    }

    // Voters' credentials and plans are made a chunk at a time when they register and when
    // they cast, from a seed and the deck, never all at once.
    let seed = crate::runner::draw_seed(rng);
    let id = manifest.election_id.clone();
    // The simulator plays the national CA too: the manifest names its synthetic CA.
    let ca = crate::election::citizen_ca::SyntheticCaIssuer::generate(rng);
    manifest.citizen_ca = Some(ca.public().key);
    let mut election = LocalElection::setup(dir, manifest.clone(), rng)?;
    writeln!(out, "   {}", words.with("simulate-ceremony", &[("seconds", seconds(start.elapsed()).into())]))
        .map_err(io)?;
    // Voter i < n registers in the style of the ballot it casts; the abstainers are dealt
    // round-robin over the styles.
    let styles = manifest.styles().len();
    let style = |i: usize| if i < n { deck.style(i) } else { (i - n) % styles };
    let (iins, took) =
        election.register_styled(&ca, registered, |i| voter_credential(&seed, i).key_pair(&id).secret, style, rng)?;
    drop(iins);
    let secs = took.as_secs_f64();
    let said = words.with(
        "simulate-registered",
        &[
            ("registered", registered.into()),
            ("seconds", words.decimal(secs, 1).into()),
            ("rate", words.decimal(registered as f64 / secs, 0).into()),
        ],
    );
    writeln!(out, "   {said}").map_err(io)?;
    for s in crate::runner::per_shuffler(&election.shuffle_credentials(0, rng)?) {
        let (prove, check) = (s.prove.as_secs_f64(), s.check.as_secs_f64());
        let said = words.with(
            "simulate-shuffled",
            &[
                ("trustee", s.trustee.into()),
                ("credentials", s.credentials.into()),
                ("lists", s.lists.into()),
                ("prove", words.decimal(prove, 1).into()),
                ("check", words.decimal(check, 1).into()),
            ],
        );
        writeln!(out, "   {said}").map_err(io)?;
    }
    election.open_registered(rng)?;
    let said =
        words.with("simulate-open", &[("registered", registered.into()), ("seconds", seconds(start.elapsed()).into())]);
    writeln!(out, "   {said}").map_err(io)?;

    let params = election.params().clone();
    let bar = indicatif::ProgressBar::new(n as u64);
    let cast = Instant::now();
    let (mut revoted, mut challenged) = (0, 0);
    for first in (0..n).step_by(VOTE_CHUNK) {
        let chunk = first..n.min(first + VOTE_CHUNK);
        // Who re-votes and who challenges, drawn in voter order from the run's generator.
        let acts: Vec<(bool, bool)> =
            chunk.clone().map(|_| (rng.random_bool(options.revote), rng.random_bool(options.challenge))).collect();
        revoted += acts.iter().filter(|a| a.0).count();
        challenged += acts.iter().filter(|a| a.1).count();
        let plans: Vec<VoterPlan> = chunk
            .into_par_iter()
            .map(|i| {
                let (revote, challenge) = acts[i - first];
                VoterPlan {
                    key: params.voter_key_in(deck.style(i), &voter_credential(&seed, i)),
                    marks: deck.marks(i),
                    earlier: revote.then(|| deck.earlier_marks(i)),
                    challenge,
                }
            })
            .collect();
        let rejected = election.vote(&plans, rng, |_| {})?;
        if let Some(r) = rejected.first() {
            return Err(RunError::Other(format!("the board refused a ballot: {r}")));
        }
        bar.set_position((first + plans.len()) as u64);
    }
    bar.finish_and_clear();
    let secs = cast.elapsed().as_secs_f64();
    let said = words.with(
        "simulate-cast",
        &[
            ("n", n.into()),
            ("seconds", words.decimal(secs, 1).into()),
            ("rate", words.decimal(n as f64 / secs, 0).into()),
        ],
    );
    writeln!(out, "   {said}").map_err(io)?;
    let said = words.with(
        "simulate-behaviour",
        &[
            ("revoted", revoted.into()),
            ("challenged", challenged.into()),
            ("abstained", (registered - n).into()),
            ("registered", registered.into()),
            ("turnout", words.decimal(100.0 * n as f64 / registered as f64, 2).into()),
        ],
    );
    writeln!(out, "   {said}").map_err(io)?;
    election.close(rng)?;
    let t = manifest.trustees.threshold;
    let decrypting: Vec<u32> = (1..=t).collect();
    let result = election.tally(&decrypting, rng)?;
    let expected = counts_in_order(&manifest, &votes)?;
    for ((contest, r), expected) in manifest.contests.iter().zip(&result.contests).zip(&expected) {
        if r.counts != *expected {
            return Err(RunError::Other(format!(
                "contest {:?}: the decrypted counts {:?} differ from the votes file's {expected:?}",
                contest.id, r.counts
            )));
        }
    }
    let turnout = election.board.state().tally.as_ref().map(|t| t.turnout_per_style()).unwrap_or_default();
    let per_style = ballots_per_style(&manifest, &votes, &expected)?;
    if turnout != per_style {
        return Err(RunError::Other(format!(
            "the tally's turnout per style {turnout:?} differs from the votes file's {per_style:?}"
        )));
    }
    let record = dir.join("record");
    election.board.export(&record)?;
    writeln!(out, "\n{}", result_table(&manifest, &result, &turnout, options.lang)).map_err(io)?;
    let said = words.with("simulate-equal", &[("record", record.display().to_string().into())]);
    writeln!(out, "{said}").map_err(io)?;
    write_result_files(&manifest, &result, &turnout, options.json.as_deref(), options.csv.as_deref(), options.lang)?;
    writeln!(out, "{}", words.with("run-done", &[("seconds", seconds(start.elapsed()).into())])).map_err(io)?;
    Ok(Simulated { record, registered, counted: n, revoted, challenged })
}

/// Writes the result as JSON to `json` and as CSV to `csv`, where given (`dauys result` and
/// `dauys simulate`).
pub fn write_result_files(
    manifest: &Manifest,
    result: &crate::election::tally::ElectionResult,
    turnout: &[u64],
    json: Option<&Path>,
    csv: Option<&Path>,
    lang: Lang,
) -> Result<(), RunError> {
    let write = |path: &Path, text: String| {
        std::fs::write(path, text).map_err(|e| RunError::Other(format!("{}: {e}", path.display())))
    };
    if let Some(path) = json {
        let text = serde_json::to_string_pretty(&result_json(manifest, result, turnout)).expect("serializes") + "\n";
        write(path, text)?;
    }
    if let Some(path) = csv {
        write(path, result_csv(manifest, result, turnout, lang))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{DEMO_MANIFEST, NATIONAL_MANIFEST};

    fn votes(json: &str) -> Votes {
        serde_json::from_str(json).unwrap()
    }

    /// The totals of every ballot of the deck, per contest and option, after checking that
    /// each ballot fits its style, and each style's ballots.
    fn deal(m: &Manifest, v: &Votes) -> (Vec<Vec<u64>>, Vec<u64>) {
        let deck = ballots_from_votes(m, v, &mut rand::rng()).unwrap();
        let styles = m.styles();
        let mut totals: Vec<Vec<u64>> = m.contests.iter().map(|c| vec![0; c.options.len()]).collect();
        let mut per_style = vec![0u64; styles.len()];
        for k in 0..deck.len() {
            let style = &styles[deck.style(k)];
            per_style[style.index] += 1;
            for marks in [deck.marks(k), deck.earlier_marks(k)] {
                m.style_marks_fit(style, &marks).unwrap();
            }
            for (&c, marks) in style.contests.iter().zip(deck.marks(k)) {
                for (x, y) in totals[c].iter_mut().zip(marks) {
                    *x += y;
                }
            }
        }
        (totals, per_style)
    }

    #[test]
    fn ballots_reproduce_the_counts_exactly() {
        let m = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
        let v = votes(
            r#"{"referendum":{"yes":7,"no":3},"president":{"candidate-a":4,"candidate-b":4,"against-all":2},
                "mazhilis":{"party-a":5,"party-c":4,"against-all":1}}"#,
        );
        let (totals, per_style) = deal(&m, &v);
        assert_eq!(per_style, [10]);
        assert_eq!(totals, counts_in_order(&m, &v).unwrap());
    }

    /// Two districts of 6 and 4 ballots: each style's ballots come from its district's
    /// contest, the national contests' 10 marks are dealt over both, and every ballot holds
    /// exactly its style's contests.
    #[test]
    fn styles_get_their_district_s_ballots_and_share_the_national_marks() {
        let m = Manifest::from_json(DEMO_MANIFEST).unwrap();
        let v = votes(
            r#"{"referendum":{"yes":7,"no":3},"president":{"candidate-a":4,"candidate-b":4,"against-all":2},
                "mazhilis":{"party-a":5,"party-c":4,"against-all":1},
                "district-01":{"candidate-a":5,"against-all":1},"district-02":{"candidate-b":3,"candidate-c":1}}"#,
        );
        for _ in 0..20 {
            let (totals, per_style) = deal(&m, &v);
            assert_eq!(per_style, [6, 4]);
            assert_eq!(totals, counts_in_order(&m, &v).unwrap());
        }
    }

    /// The demo manifest with a third style, "national", of the national contests alone: its
    /// ballots can only come from the votes file's turnout.
    fn with_a_national_style() -> Manifest {
        let mut m = Manifest::from_json(DEMO_MANIFEST).unwrap();
        m.ballot_styles.as_mut().unwrap().push(crate::election::manifest::BallotStyle {
            contests: vec!["referendum".into(), "president".into(), "mazhilis".into()],
            id: "national".into(),
            precincts: vec!["ABROAD-1".into()],
        });
        m.validate().unwrap();
        m
    }

    const TWELVE: &str = r#""referendum":{"yes":7,"no":5},"president":{"candidate-a":12},"mazhilis":{"party-a":12},
        "district-01":{"candidate-a":5,"against-all":1},"district-02":{"candidate-b":3,"candidate-c":1}"#;

    #[test]
    fn a_style_without_a_contest_of_its_own_takes_its_ballots_from_the_turnout() {
        let m = with_a_national_style();
        let v = votes(&format!(r#"{{{TWELVE},"turnout":{{"national":2}}}}"#));
        let (totals, per_style) = deal(&m, &v);
        assert_eq!(per_style, [6, 4, 2]);
        assert_eq!(totals, counts_in_order(&m, &v).unwrap());
        // The turnout may repeat what a district's contest says.
        let v = votes(&format!(r#"{{{TWELVE},"turnout":{{"national":2,"d01":6}}}}"#));
        assert_eq!(deal(&m, &v).1, [6, 4, 2]);
    }

    #[test]
    fn inconsistent_votes_are_refused_with_the_contest_or_style_named() {
        let national = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
        let demo = Manifest::from_json(DEMO_MANIFEST).unwrap();
        let three = with_a_national_style();
        let d = r#""district-01":{"candidate-a":1},"district-02":{"candidate-a":1}"#;
        let cases = [
            (
                &national,
                r#"{"referendum":{"yes":1},"president":{"candidate-a":2},"mazhilis":{"party-a":1}}"#.to_string(),
                "same number of ballots",
            ),
            (&national, r#"{"referendum":{"yes":1},"president":{"candidate-a":1}}"#.into(), "\"mazhilis\" is missing"),
            (
                &national,
                r#"{"referendum":{"maybe":1},"president":{"candidate-a":1},"mazhilis":{"party-a":1}}"#.into(),
                "no option \"maybe\"",
            ),
            (
                &national,
                r#"{"referendum":{"yes":1},"president":{"candidate-a":1},"mazhilis":{"party-a":1},"senate":{}}"#.into(),
                "no contest \"senate\"",
            ),
            // The national contests carry both districts' ballots: 2, not 3.
            (
                &demo,
                format!(
                    r#"{{"referendum":{{"yes":3}},"president":{{"candidate-a":2}},"mazhilis":{{"party-a":2}},{d}}}"#
                ),
                "contest \"referendum\" needs the same number of ballots as the styles that carry it: expected 2, \
                 found 3",
            ),
            (&three, format!("{{{TWELVE}}}"), "ballot style \"national\" has no single-choice contest of its own"),
            (&three, format!(r#"{{{TWELVE},"turnout":{{"abroad":2}}}}"#), "turnout: no ballot style \"abroad\""),
            (
                &three,
                format!(r#"{{{TWELVE},"turnout":{{"national":2,"d02":5}}}}"#),
                "style \"d02\" is given 5 ballots, its contest \"district-02\" has 4",
            ),
        ];
        for (m, json, expected) in cases {
            let err = ballots_from_votes(m, &votes(&json), &mut rand::rng()).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
        }
    }
}
