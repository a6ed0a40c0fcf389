//! What a trustee checks before it decrypts: the record it is given, verified up to the tally.
//!
//! A trustee's decryption share opens whatever ciphertext it is applied to. A board that
//! posted one voter's ciphertexts (or the difference of two tallies) as "the tally" would get
//! that vote decrypted. So a trustee decrypts only a tally that the observers' verifier
//! accepts: every check of groups 1 (setup, ceremony, ready), 2 (the log and its
//! checkpoints), 3 (ballots), 4 (challenged ballots) and 5.1 (the tally is the sum of the
//! counted ballots, recomputed) must pass. Checks of what comes after the tally
//! (decryptions, result) are not required: they cannot pass yet.
//!
//! These checks cannot see a board that shows the trustees a log other than the voters'
//! (a fork, say one that keeps a single voter's ballot): its tally is then the honest sum of
//! that log. Against that, a trustee also passes the checkpoints it or the witnesses saw
//! during voting (options 7.1 and 7.3), and those checks must pass too.

use std::collections::BTreeSet;
use std::path::Path;

use super::checks::Check;
use super::engine::{Options, Report, verify};
use crate::crypto::threshold::dkg::{CeremonyOutcome, Complaint, Dealing, Ready, TransportKey, outcome};
use crate::election::params::ElectionParams;
use crate::election::tally::EncryptedTally;
use crate::log::event::{Event, Open, Setup};
use crate::log::record;

/// A tally that passed every check before decryption, with what a trustee needs to decrypt it.
pub struct CheckedTally {
    pub params: ElectionParams,
    pub ceremony: CeremonyOutcome,
    pub tally: EncryptedTally,
    /// The trustees whose ready event counted: each must reveal its lot seed when it decrypts.
    pub ready: BTreeSet<u32>,
}

/// Whether a check must pass before a trustee decrypts (the optional checks 7.x run only when
/// their option is given, and then must pass too).
pub fn required_before_decrypting(check: Check) -> bool {
    check == Check::TallySum || ["1.", "2.", "3.", "4.", "7."].iter().any(|group| check.id().starts_with(group))
}

/// The checks required before decrypting that did not pass: failed, or not run (a check that
/// did not run has not passed), each with why.
fn unmet(report: &Report) -> Vec<String> {
    report
        .checks
        .iter()
        .filter(|c| required_before_decrypting(c.check) && !c.passed())
        .map(|c| {
            let what = if c.failed() { c.detail() } else { format!("not run, {}", c.detail()) };
            format!("check {} ({}): {what}", c.check.id(), c.check.name(Default::default()))
        })
        .collect()
}

/// Verifies the record in `dir` up to its tally (with `options`: checkpoints seen during
/// voting, witnesses) and returns the tally, or says which checks failed or did not run, and
/// why: a required check that did not run has not passed.
pub fn checked_tally(dir: &Path, options: &Options) -> Result<CheckedTally, String> {
    let report = verify(dir, options).map_err(|e| format!("the record cannot be read: {e}"))?;
    let failed = unmet(&report);
    if !failed.is_empty() {
        return Err(format!(
            "the record fails or leaves unchecked {} check(s) before the tally: {}",
            failed.len(),
            failed.join("; ")
        ));
    }
    let mut setup: Option<Setup> = None;
    let (mut keys, mut dealings, mut complaints, mut readies) =
        (Vec::<TransportKey>::new(), Vec::<Dealing>::new(), Vec::<Complaint>::new(), Vec::<Ready>::new());
    let mut open: Option<Open> = None;
    let mut last_shuffles: Vec<Option<crate::election::unlinking::CredentialShuffle>> = Vec::new();
    let mut tally: Option<EncryptedTally> = None;
    for item in record::events(dir).map_err(|e| e.to_string())? {
        let (_, line) = item.map_err(|e| e.to_string())?;
        // Ballots were checked above; only the ceremony, the opening and the tally are needed.
        if line.starts_with(r#"{"kind":"cast""#) || line.starts_with(r#"{"kind":"spoiled""#) {
            continue;
        }
        match serde_json::from_str::<Event>(&line).map_err(|e| e.to_string())? {
            Event::Setup(s) => setup = Some(*s),
            Event::TransportKey(k) => keys.push(k),
            Event::Dealing(d) => dealings.push(d),
            Event::Complaint(c) => complaints.push(c),
            Event::Ready(r) => readies.push(r),
            Event::Shuffle(s) => {
                // A list beyond the manifest's styles is refused when the params are built.
                let list = (s.list as usize).min(crate::election::manifest::MAX_STYLES);
                if last_shuffles.len() <= list {
                    last_shuffles.resize(list + 1, None);
                }
                last_shuffles[list] = Some(*s);
            }
            Event::Open(o) => open = Some(*o),
            Event::Tally(t) => {
                tally = Some(t);
                break;
            }
            _ => {}
        }
    }
    let setup = setup.ok_or("the record has no setup")?;
    let open = open.ok_or("voting never opened")?;
    let tally = tally.ok_or("the record has no tally yet")?;
    let setup_fp = setup.manifest.setup_fingerprint();
    let params_t = setup.manifest.threshold_params().map_err(|e| e.to_string())?;
    keys.sort_by_key(|k| k.trustee);
    let ceremony = outcome(&setup_fp, &params_t, &keys, &dealings, &complaints).map_err(|e| e.to_string())?;
    let ready = readies
        .iter()
        .filter(|r| r.joint_key == ceremony.joint_key)
        .filter(|r| {
            r.trustee
                .checked_sub(1)
                .and_then(|i| ceremony.verification_keys.get(i as usize))
                .is_some_and(|vk| r.verify(&setup_fp, vk).is_ok())
        })
        .map(|r| r.trustee)
        .collect();
    let params = open.params(setup.manifest, last_shuffles).map_err(|e| e.to_string())?;
    Ok(CheckedTally { params, ceremony, tally, ready })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::checks::CheckOutcome;

    fn report(outcomes: impl IntoIterator<Item = CheckOutcome>) -> Report {
        Report { checks: outcomes.into_iter().collect(), summary: Default::default() }
    }

    #[test]
    fn a_required_check_that_did_not_run_has_not_passed() {
        let passed = |c| CheckOutcome::new(c);
        let not_run = |c, why: &'static str| {
            let mut o = CheckOutcome::new(c);
            o.skip(crate::verify::Finding::new(why));
            o
        };
        let all_passed = report(Check::ALL.iter().map(|&c| passed(c)));
        assert!(unmet(&all_passed).is_empty());
        // Not run, found nothing wrong: still unmet, and said so.
        let unmet_checks = unmet(&report([passed(Check::Setup), not_run(Check::BallotSignature, "skip-no-params")]));
        assert_eq!(unmet_checks.len(), 1, "{unmet_checks:?}");
        assert!(
            unmet_checks[0].contains("check 3.")
                && unmet_checks[0].contains("not run, because no election parameters (1.5 failed)")
        );
        // Checks after the tally cannot have run yet: not required.
        assert!(
            unmet(&report([not_run(Check::Counts, "skip-no-result"), not_run(Check::Outcomes, "skip-no-result")]))
                .is_empty()
        );
        // 5.1 and the optional 7.x are required.
        assert_eq!(
            unmet(&report([
                not_run(Check::TallySum, "skip-no-tally"),
                not_run(Check::ObserverCheckpoint, "skip-no-board-key")
            ]))
            .len(),
            2
        );
    }
}
