//! `dauys demo`: a whole election on one machine, on the embedded default manifest or on any
//! manifest (`--manifest FILE`), ballot styles included.
//!
//! Five trustees (or the manifest's) run the key ceremony through the board and each proves
//! it holds its key share (the rehearsal); a synthetic national CA certifies every citizen of
//! a synthetic roll (the manifest's `citizen_ca` is replaced by it), the citizens spread over
//! the ballot styles (citizen `i` in style `i mod #styles`), the registrar posts the roll's
//! pseudonyms, every citizen registers a credential it made itself in its style, and trustees
//! shuffle each style's credential list in turn (so that no file and no party short of every
//! shuffler links a citizen to the credential on its ballot); voters cast their style's
//! contests (the default manifest: a referendum, a presidential race, a 69-seat party list
//! and one of two single-member districts), some of them re-voting and some challenging a
//! ballot first (held by the board and published at close); voting closes; a quorum of
//! trustees decrypts the totals; the result is posted, its ties broken by lots seeded after
//! close, and the record exported to `DIR/record`. The decrypted counts are checked, contest
//! by contest, against the plaintext choices the simulated voters made.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rand::RngExt;
use rayon::prelude::*;

use crate::election::citizen_ca::SyntheticCaIssuer;
use crate::election::manifest::{ContestKind, Lang, Manifest};
use crate::election::report::result_table;
use crate::runner::{DEMO_MANIFEST, LocalElection, RunError, VoterPlan, expected_counts, per_shuffler};

/// How the simulated voters lean in the default manifest's national contests (weights per
/// option); other contests get weights drawn at random for the run.
const LEANINGS: [(&str, &[u32]); 3] =
    [("referendum", &[58, 42]), ("president", &[41, 27, 14, 9, 9]), ("mazhilis", &[50, 11, 9, 8, 7, 6, 3, 2, 4])];

/// Shares of voters who re-vote, and who challenge a ballot before casting, in percent.
const REVOTE_PERCENT: u32 = 5;
const CHALLENGE_PERCENT: u32 = 3;

fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("   {msg:<22} [{bar:30}] {pos}/{len} ({per_sec}, {eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

fn pick(weights: &[u32], rng: &mut impl rand::Rng) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.random_range(0..total);
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// Per contest, the weights of its options: [`LEANINGS`] where they fit, else a candidate
/// 5 to 60 and an against-all option 1 to 8.
fn leanings(manifest: &Manifest, rng: &mut impl rand::Rng) -> Vec<Vec<u32>> {
    manifest
        .contests
        .iter()
        .map(|c| match LEANINGS.iter().find(|(id, w)| *id == c.id && w.len() == c.options.len()) {
            Some((_, weights)) => weights.to_vec(),
            None => c
                .options
                .iter()
                .map(|o| if o.against_all { rng.random_range(1..=8) } else { rng.random_range(5..=60) })
                .collect(),
        })
        .collect()
}

/// A ballot's marks for the contests `contests` (manifest indices, a style's): one option of
/// each single-choice contest, and between `min` and `max` distinct options of an approval
/// contest, each drawn by the leanings.
fn random_marks(
    manifest: &Manifest,
    contests: &[usize],
    leanings: &[Vec<u32>],
    rng: &mut impl rand::Rng,
) -> Vec<Vec<u64>> {
    contests
        .iter()
        .map(|&ci| {
            let contest = &manifest.contests[ci];
            let mut weights = leanings[ci].clone();
            let (lo, hi) = contest.sum_bounds();
            let k = if contest.kind == ContestKind::Approval { rng.random_range(lo..=hi) } else { 1 };
            let mut marks = vec![0u64; weights.len()];
            for _ in 0..k {
                let choice = pick(&weights, rng);
                marks[choice] = 1;
                weights[choice] = 0;
            }
            marks
        })
        .collect()
}

/// A fresh directory for a demo run under the system's temporary directory.
pub fn default_dir() -> PathBuf {
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    std::env::temp_dir().join(format!("dauys-demo-{stamp}-{}", std::process::id()))
}

/// What a demo run leaves to its caller.
pub struct DemoRun {
    /// The exported record.
    pub record: PathBuf,
    /// The synthetic roll's IINs: in no file of the demo's directory (tests audit that).
    pub iins: Vec<String>,
    /// The posted result.
    pub result: crate::election::tally::ElectionResult,
    /// How many ballot styles the manifest has.
    pub styles: usize,
    /// The tally's counted ballots per style ([`crate::election::tally::EncryptedTally::turnout_per_style`]).
    pub turnout: Vec<u64>,
}

/// Runs the demo on the default manifest in `dir` with `voters` voters, reporting to `out`.
/// Returns the record's path.
pub fn run(dir: &Path, voters: usize, out: &mut impl Write) -> Result<PathBuf, RunError> {
    Ok(run_audited(dir, voters, out)?.record)
}

/// [`run`], also returning the roll's IINs.
pub fn run_audited(dir: &Path, voters: usize, out: &mut impl Write) -> Result<DemoRun, RunError> {
    run_manifest(dir, Manifest::from_json(DEMO_MANIFEST)?, voters, out)
}

/// The demo on `manifest` (`dauys demo --manifest FILE`): its `citizen_ca` is replaced by the
/// demo's synthetic CA and its trustees' identities by the demo's trustees.
pub fn run_manifest(dir: &Path, manifest: Manifest, voters: usize, out: &mut impl Write) -> Result<DemoRun, RunError> {
    run_manifest_in(dir, manifest, voters, Lang::En, out)
}

/// [`run`] reporting in `lang`.
pub fn run_in(dir: &Path, voters: usize, lang: Lang, out: &mut impl Write) -> Result<PathBuf, RunError> {
    Ok(run_manifest_in(dir, Manifest::from_json(DEMO_MANIFEST)?, voters, lang, out)?.record)
}

/// [`run_manifest`] reporting in `lang` (`locales/*/cli.ftl`), its result table too.
pub fn run_manifest_in(
    dir: &Path,
    mut manifest: Manifest,
    voters: usize,
    lang: Lang,
    out: &mut impl Write,
) -> Result<DemoRun, RunError> {
    let io = |e: std::io::Error| RunError::Other(e.to_string());
    let words = crate::locale::Words::of(lang);
    let say = |id: &str, args: &[(&str, fluent_bundle::FluentValue)]| words.with(id, args);
    let seconds = |d: std::time::Duration| words.decimal(d.as_secs_f64(), 2);
    let mut rng = rand::rng();
    // The synthetic national CA that certifies the demo's citizens: the manifest names it.
    let ca = SyntheticCaIssuer::generate(&mut rng);
    manifest.citizen_ca = Some(ca.public().key);
    let (n, t) = (manifest.trustees.count, manifest.trustees.threshold);
    let styles: Vec<(String, Vec<usize>)> =
        manifest.styles().into_iter().map(|s| (s.id.to_string(), s.contests)).collect();
    let start = Instant::now();
    let title = manifest.title.get(lang);
    let said = say(
        "demo-title",
        &[("title", title.into()), ("voters", voters.into()), ("dir", dir.display().to_string().into())],
    );
    writeln!(out, "{said}").map_err(io)?;

    writeln!(out, "{}", say("demo-ceremony", &[("n", n.into()), ("t", t.into())])).map_err(io)?;
    let mut election = LocalElection::setup(dir, manifest.clone(), &mut rng)?;
    let ceremony = election.ceremony()?;
    let said = say(
        "demo-joint-key",
        &[("key", ceremony.joint_key.to_hex().into()), ("dealers", ceremony.qualified.len().into())],
    );
    writeln!(out, "   {said}").map_err(io)?;
    let said = say("demo-rehearsal", &[("ready", election.board.state().readies.len().into()), ("n", n.into())]);
    writeln!(out, "   {said}").map_err(io)?;

    writeln!(out, "{}", say("demo-registration", &[("voters", voters.into())])).map_err(io)?;
    if styles.len() > 1 {
        writeln!(out, "   {}", say("demo-styles", &[("styles", styles.len().into())])).map_err(io)?;
    }
    let registered = election.register_and_open_reported(&ca, voters, 0, &mut rng)?;
    let report = &registered.report;
    let said = say(
        "demo-registered",
        &[
            ("voters", voters.into()),
            ("registrations", election.board.state().registration.registrations().into()),
            ("seconds", seconds(report.registration).into()),
        ],
    );
    writeln!(out, "   {said}").map_err(io)?;
    let shufflers = per_shuffler(&report.shuffles);
    for s in &shufflers {
        let said = say(
            "demo-shuffled",
            &[
                ("trustee", s.trustee.into()),
                ("credentials", s.credentials.into()),
                ("lists", s.lists.into()),
                ("prove", seconds(s.prove).into()),
                ("check", seconds(s.check).into()),
            ],
        );
        writeln!(out, "   {said}").map_err(io)?;
    }
    writeln!(out, "   {}", say("demo-unlinkable", &[("shufflers", shufflers.len().into())])).map_err(io)?;
    let said = say(
        "demo-open",
        &[
            ("credentials", election.params().credential_count().into()),
            ("fingerprint", crate::crypto::group::to_hex(election.params().fingerprint.as_bytes()).into()),
        ],
    );
    writeln!(out, "   {said}").map_err(io)?;

    let said = say("demo-voting", &[("revote", REVOTE_PERCENT.into()), ("challenge", CHALLENGE_PERCENT.into())]);
    writeln!(out, "{said}").map_err(io)?;
    let leanings = leanings(&manifest, &mut rng);
    let plans: Vec<VoterPlan> = registered
        .keys
        .into_par_iter()
        .zip(registered.styles)
        .map(|(key, style)| {
            let mut rng = rand::rng();
            let contests = &styles[style].1;
            VoterPlan {
                key,
                marks: random_marks(&manifest, contests, &leanings, &mut rng),
                earlier: (rng.random_range(0..100) < REVOTE_PERCENT)
                    .then(|| random_marks(&manifest, contests, &leanings, &mut rng)),
                challenge: rng.random_range(0..100) < CHALLENGE_PERCENT,
            }
        })
        .collect();
    let voting = bar(plans.len() as u64, &words.get("demo-bar"));
    let rejected = election.vote(&plans, &mut rng, |n| voting.set_position(n))?;
    voting.finish_and_clear();
    if let Some(rejection) = rejected.first() {
        return Err(RunError::Other(format!("the board refused a demo ballot: {rejection}")));
    }
    let state = election.board.state();
    let said = say(
        "demo-cast",
        &[
            ("cast", state.cast.into()),
            ("counted", state.counted().into()),
            ("superseded", (state.cast - state.counted()).into()),
            ("challenged", election.board.held_challenged().into()),
        ],
    );
    writeln!(out, "   {said}").map_err(io)?;

    // The quorum: every other trustee from the first (1, 3, 5 of five), then the rest.
    let mut decrypting: Vec<u32> = (1..=n).step_by(2).chain((2..=n).step_by(2)).take(t as usize).collect();
    decrypting.sort_unstable();
    let names = decrypting.iter().map(u32::to_string).collect::<Vec<_>>();
    let names = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            say("demo-and", &[("first", rest.join(", ").into()), ("last", last.as_str().into())])
        }
        _ => names.join(""),
    };
    writeln!(out, "{}", say("demo-close", &[("trustees", names.into()), ("count", decrypting.len().into())]))
        .map_err(io)?;
    election.close(&mut rng)?;
    writeln!(out, "   {}", say("demo-challenged", &[("count", election.board.state().spoiled.into())])).map_err(io)?;
    let tally_start = Instant::now();
    election.post_tally(&mut rng)?;
    let check_dir = dir.join("trustee-check");
    election.check_tally(&check_dir)?;
    std::fs::remove_dir_all(&check_dir).map_err(io)?;
    writeln!(out, "   {}", words.get("demo-checked")).map_err(io)?;
    let result = election.decrypt(&decrypting, &mut rng)?;
    writeln!(out, "   {}", say("demo-decrypted", &[("seconds", seconds(tally_start.elapsed()).into())])).map_err(io)?;

    let record = dir.join("record");
    election.board.export(&record)?;
    let expected = expected_counts(election.params(), &plans);
    let turnout = election.board.state().tally.as_ref().map(|t| t.turnout_per_style()).unwrap_or_default();
    writeln!(out, "\n{}", result_table(&manifest, &result, &turnout, lang)).map_err(io)?;
    for ((contest, r), expected) in manifest.contests.iter().zip(&result.contests).zip(&expected) {
        if r.counts != *expected {
            return Err(RunError::Other(format!(
                "contest {:?}: the decrypted counts {:?} differ from the voters' plaintext choices {expected:?}",
                contest.id, r.counts
            )));
        }
    }
    writeln!(out, "{}", words.get("demo-equal")).map_err(io)?;
    let said =
        say("demo-record", &[("events", election.board.len().into()), ("path", record.display().to_string().into())]);
    writeln!(out, "{said}").map_err(io)?;
    writeln!(out, "{}", say("run-done", &[("seconds", seconds(start.elapsed()).into())])).map_err(io)?;
    Ok(DemoRun { record, iins: registered.iins, result, styles: styles.len(), turnout })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_runs_and_its_counts_match() {
        let dir = default_dir().with_extension("unit");
        let mut out = Vec::new();
        let record = run(&dir, 30, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("equal the plaintext choices"), "{text}");
        assert!(record.join(crate::log::record::HEADER_FILE).exists());
        colliding_truncated_digests_give_the_full_digests_verdict(&record);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The verifier's duplicate checks with every truncated digest forced equal: the honest
    /// record (re-votes and challenged ballots included) still passes them, and a ballot cast
    /// twice is found exactly once, as with real digests.
    fn colliding_truncated_digests_give_the_full_digests_verdict(record: &Path) {
        use crate::verify::{Check, Options, verify};
        let duplicates = |dir: &Path| {
            let report = verify(dir, &Options::default()).unwrap();
            let failures = |c: Check| -> Vec<String> {
                report.outcome(c).unwrap().failures.iter().map(ToString::to_string).collect()
            };
            (failures(Check::NoDuplicates), failures(Check::SpoiledNotCast), report.valid())
        };
        crate::verify::engine::collide_truncated_digests(true);
        assert_eq!(duplicates(record), (vec![], vec![], true));
        let events = record.join(crate::log::record::EVENTS_FILE);
        let lines: Vec<String> = std::fs::read_to_string(&events).unwrap().lines().map(String::from).collect();
        let close = lines.iter().position(|l| l == r#"{"kind":"close"}"#).unwrap();
        let cast = lines.iter().position(|l| l.starts_with(r#"{"kind":"cast""#)).unwrap();
        let mut twice = lines.clone();
        twice.insert(close, lines[cast].clone());
        std::fs::write(&events, twice.join("\n") + "\n").unwrap();
        let expected = vec![format!("ballot at event {close}: the same ballot was cast before")];
        assert_eq!(duplicates(record).0, expected);
        crate::verify::engine::collide_truncated_digests(false);
        assert_eq!(duplicates(record).0, expected);
        std::fs::write(&events, lines.join("\n") + "\n").unwrap();
    }
}
