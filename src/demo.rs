//! `dauys demo`: a whole election on the embedded default manifest, on one machine.
//!
//! Five trustees run the key ceremony through the board (any three can decrypt) and each
//! proves it holds its key share (the rehearsal); a synthetic national CA certifies every
//! citizen of a synthetic roll, the registrar posts the roll's pseudonyms, every citizen
//! registers a credential it made itself, and three trustees shuffle the credential list in
//! turn (so that no file and no party short of every shuffler links a citizen to the
//! credential on its ballot); voters cast ballots for a referendum, a presidential race and a 69-seat party
//! list, some of them re-voting and some challenging a ballot first (held by the board and
//! published at close); voting closes; three trustees decrypt the totals; the result is
//! posted, its ties broken by lots seeded after close, and the record exported to
//! `DIR/record`. The decrypted counts are checked against the
//! plaintext choices the simulated voters made.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rand::RngExt;
use rayon::prelude::*;

use crate::election::citizen_ca::SyntheticCaIssuer;
use crate::election::manifest::{Lang, Manifest};
use crate::election::report::result_table;
use crate::runner::{DEMO_MANIFEST, LocalElection, RunError, VoterPlan, expected_counts};

/// How the simulated voters lean, per contest of the demo manifest (weights per option).
const LEANINGS: [&[u32]; 3] = [&[58, 42], &[41, 27, 14, 9, 9], &[50, 11, 9, 8, 7, 6, 3, 2, 4]];

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

fn random_marks(manifest: &Manifest, rng: &mut impl rand::Rng) -> Vec<Vec<u64>> {
    manifest
        .contests
        .iter()
        .zip(LEANINGS)
        .map(|(c, weights)| {
            let choice = pick(weights, rng);
            (0..c.options.len()).map(|i| u64::from(i == choice)).collect()
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
}

/// Runs the demo in `dir` with `voters` voters, reporting to `out`. Returns the record's path.
pub fn run(dir: &Path, voters: usize, out: &mut impl Write) -> Result<PathBuf, RunError> {
    Ok(run_audited(dir, voters, out)?.record)
}

/// [`run`], also returning the roll's IINs.
pub fn run_audited(dir: &Path, voters: usize, out: &mut impl Write) -> Result<DemoRun, RunError> {
    let io = |e: std::io::Error| RunError::Other(e.to_string());
    let mut rng = rand::rng();
    // The synthetic national CA that certifies the demo's citizens: the manifest names it.
    let ca = SyntheticCaIssuer::generate(&mut rng);
    let mut manifest: Manifest = Manifest::from_json(DEMO_MANIFEST)?;
    manifest.citizen_ca = Some(ca.public().key);
    let start = Instant::now();
    writeln!(out, "dauys demo: {} — {voters} voters, in {}", manifest.title.en, dir.display()).map_err(io)?;

    writeln!(out, "1. Key ceremony on the board: 5 trustees, any 3 can decrypt").map_err(io)?;
    let mut election = LocalElection::setup(dir, manifest.clone(), &mut rng)?;
    let ceremony = election.ceremony()?;
    writeln!(out, "   joint key {}, {} qualified dealers", ceremony.joint_key.to_hex(), ceremony.qualified.len())
        .map_err(io)?;
    writeln!(
        out,
        "   rehearsal: {} of 5 trustees proved they hold their key shares (ready), lot seeds committed",
        election.board.state().readies.len()
    )
    .map_err(io)?;

    writeln!(
        out,
        "2. Registration: a synthetic national CA certifies {voters} citizens; each makes its own credential"
    )
    .map_err(io)?;
    let registered = election.register_and_open_reported(&ca, voters, 0, &mut rng)?;
    let report = &registered.report;
    writeln!(
        out,
        "   the registrar posted the roll's {voters} pseudonyms (no IIN); {} signed registrations checked and posted \
         in {:.1?}; registration closed",
        election.board.state().registration.registrations(),
        report.registration
    )
    .map_err(io)?;
    for s in &report.shuffles {
        writeln!(
            out,
            "   shuffle by trustee {}: {} credentials re-based and permuted, proved in {:.1?}, checked by the board in {:.1?}",
            s.trustee, s.credentials, s.prove, s.check
        )
        .map_err(io)?;
    }
    writeln!(
        out,
        "   no one, the registrar included, can link a voter to a credential unless every shuffler colludes ({} shufflers)",
        report.shuffles.len()
    )
    .map_err(io)?;
    writeln!(
        out,
        "   voting open on the last shuffle's {} credentials; election fingerprint {}",
        election.params().credential_count(),
        crate::crypto::group::to_hex(election.params().fingerprint.as_bytes())
    )
    .map_err(io)?;

    writeln!(out, "3. Voting: {REVOTE_PERCENT} % re-vote, {CHALLENGE_PERCENT} % challenge a ballot first")
        .map_err(io)?;
    let plans: Vec<VoterPlan> = registered
        .keys
        .into_par_iter()
        .map(|key| {
            let mut rng = rand::rng();
            VoterPlan {
                key,
                marks: random_marks(&manifest, &mut rng),
                earlier: (rng.random_range(0..100) < REVOTE_PERCENT).then(|| random_marks(&manifest, &mut rng)),
                challenge: rng.random_range(0..100) < CHALLENGE_PERCENT,
            }
        })
        .collect();
    let voting = bar(plans.len() as u64, "encrypt, prove, cast");
    let rejected = election.vote(&plans, &mut rng, |n| voting.set_position(n))?;
    voting.finish_and_clear();
    if let Some(rejection) = rejected.first() {
        return Err(RunError::Other(format!("the board refused a demo ballot: {rejection}")));
    }
    let state = election.board.state();
    writeln!(
        out,
        "   {} ballots cast ({} count, {} superseded by a re-vote), {} challenged (held by the board until close)",
        state.cast,
        state.counted(),
        state.cast - state.counted(),
        election.board.held_challenged()
    )
    .map_err(io)?;

    writeln!(out, "4. Close, tally, and decryption by trustees 1, 3 and 5").map_err(io)?;
    election.close(&mut rng)?;
    writeln!(
        out,
        "   the {} challenged ballot(s) were published in one batch just before close",
        election.board.state().spoiled
    )
    .map_err(io)?;
    let tally_start = Instant::now();
    election.post_tally(&mut rng)?;
    let check_dir = dir.join("trustee-check");
    election.check_tally(&check_dir)?;
    std::fs::remove_dir_all(&check_dir).map_err(io)?;
    writeln!(
        out,
        "   the trustees verified the record up to the tally (dauys-verify, checks 1.1–5.1) before decrypting"
    )
    .map_err(io)?;
    let result = election.decrypt(&[1, 3, 5], &mut rng)?;
    writeln!(out, "   decrypted and posted in {:.1?}", tally_start.elapsed()).map_err(io)?;

    let record = dir.join("record");
    election.board.export(&record)?;
    let expected = expected_counts(election.params(), &plans);
    let counts: Vec<Vec<u64>> = result.contests.iter().map(|c| c.counts.clone()).collect();
    writeln!(out, "\n{}", result_table(&manifest, &result, Lang::En)).map_err(io)?;
    if counts != expected {
        return Err(RunError::Other("the decrypted counts differ from the voters' plaintext choices".into()));
    }
    writeln!(out, "The decrypted totals equal the plaintext choices of the simulated voters; no ballot was decrypted.")
        .map_err(io)?;
    writeln!(out, "Election record ({} events): {}", election.board.len(), record.display()).map_err(io)?;
    writeln!(out, "Done in {:.1?}.", start.elapsed()).map_err(io)?;
    Ok(DemoRun { record, iins: registered.iins })
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
            let failures = |c: Check| report.outcome(c).unwrap().failures.clone();
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
