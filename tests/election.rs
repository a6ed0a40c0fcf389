//! Whole elections on one machine: results against plaintext counting, re-votes under both
//! policies, challenged ballots, the board's rejections, receipts, and the exported record.

use std::path::PathBuf;

use dauys::crypto::elgamal::KeyPair;
use dauys::crypto::group::{Fingerprint, SecretScalar};
use dauys::election::ballot::Ballot;
use dauys::election::counting::Outcome;
use dauys::election::credential::{Credential, CredentialList};
use dauys::election::manifest::{Manifest, RevotePolicy};
use dauys::log::event::Event;
use dauys::log::merkle::{Frontier, verify_consistency};
use dauys::log::record;
use dauys::runner::{LocalElection, NATIONAL_MANIFEST, VoterPlan, ballots_for, expected_counts};
use rand::RngExt;

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("dauys-test-{name}-{}-{}", std::process::id(), rand::rng().random::<u32>()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A manifest with one contest of every kind.
fn all_kinds(revote: RevotePolicy) -> Manifest {
    let policy = match revote {
        RevotePolicy::LastCounts => "last_counts",
        RevotePolicy::Refused => "refused",
    };
    let opt = |id: &str| format!(r#"{{"id":"{id}","label":{{"en":"{id}","kk":"{id}","ru":"{id}"}}}}"#);
    let against =
        r#"{"against_all":true,"id":"against","label":{"en":"Against all","kk":"Барлығына қарсы","ru":"Против всех"}}"#;
    let t = r#"{"en":"t","kk":"t","ru":"t"}"#;
    let json = format!(
        r#"{{"version":1,"election_id":"kinds","title":{t},"trustees":{{"count":3,"threshold":2}},"revote":"{policy}",
        "contests":[
          {{"id":"ref","kind":"referendum","title":{t},"options":[{},{}]}},
          {{"id":"pres","kind":"majority","title":{t},"options":[{},{},{},{against}]}},
          {{"id":"mayor","kind":"plurality","title":{t},"options":[{},{}]}},
          {{"id":"council","kind":"approval","title":{t},"min":0,"max":2,"winners":2,"options":[{},{},{}]}},
          {{"id":"list","kind":"party_list","title":{t},"seats":10,"threshold_percent":5,"options":[{},{},{},{against}]}}
        ]}}"#,
        opt("yes"),
        opt("no"),
        opt("a"),
        opt("b"),
        opt("c"),
        opt("x"),
        opt("y"),
        opt("p"),
        opt("q"),
        opt("r"),
        opt("l1"),
        opt("l2"),
        opt("l3"),
    );
    Manifest::from_json(&json).unwrap()
}

fn random_marks(m: &Manifest) -> Vec<Vec<u64>> {
    let mut rng = rand::rng();
    m.contests
        .iter()
        .map(|c| {
            let n = c.options.len();
            let mut marks = vec![0; n];
            let (lo, hi) = c.sum_bounds();
            let k = rng.random_range(lo..=hi) as usize;
            let mut picked = 0;
            while picked < k {
                let i = rng.random_range(0..n);
                if marks[i] == 0 {
                    marks[i] = 1;
                    picked += 1;
                }
            }
            marks
        })
        .collect()
}

struct Run {
    election: LocalElection,
    plans: Vec<VoterPlan>,
    dir: PathBuf,
}

fn run(manifest: Manifest, voters: usize, name: &str) -> Run {
    let mut rng = rand::rng();
    let dir = temp_dir(name);
    let id = manifest.election_id.clone();
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let creds: Vec<Credential> = (0..voters).map(|_| Credential::generate(&mut rng)).collect();
    let keys: Vec<KeyPair> = creds.iter().map(|c| c.key_pair(&id)).collect();
    election.open(CredentialList::new(keys.iter().map(|k| k.public).collect()).unwrap(), &mut rng).unwrap();
    let plans: Vec<VoterPlan> = keys
        .into_iter()
        .enumerate()
        .map(|(i, key)| VoterPlan {
            key,
            marks: random_marks(&manifest),
            earlier: (i % 4 == 1).then(|| random_marks(&manifest)),
            challenge: i % 5 == 2,
        })
        .collect();
    let events = ballots_for(election.params(), &plans, &dauys::runner::draw_seed(&mut rand::rng()), |_| {}).unwrap();
    for r in election.post(events, &mut rng, |_| {}).unwrap() {
        r.unwrap();
    }
    Run { election, plans, dir }
}

#[test]
fn every_contest_kind_matches_plaintext_counting() {
    let mut r = run(all_kinds(RevotePolicy::LastCounts), 24, "kinds");
    let mut rng = rand::rng();
    r.election.close(&mut rng).unwrap();
    let result = r.election.tally(&[3, 1], &mut rng).unwrap();
    let expected = expected_counts(r.election.params(), &r.plans);
    assert_eq!(result.ballots, 24, "one counted ballot per voter, whatever the re-votes and challenges");
    for (contest, counts) in result.contests.iter().zip(&expected) {
        assert_eq!(&contest.counts, counts, "contest {}", contest.id);
    }
    // Outcomes follow the counting rules (checked in detail in unit tests); spot-check shapes.
    assert!(matches!(result.contests[0].outcome, Outcome::Referendum { .. }));
    assert!(matches!(result.contests[1].outcome, Outcome::Elected { .. } | Outcome::Runoff { .. }));
    assert!(matches!(&result.contests[3].outcome, Outcome::Winners { winners } if winners.len() == 2));
    match &result.contests[4].outcome {
        Outcome::Seats { seats, .. } => assert_eq!(seats.iter().map(|s| s.seats).sum::<u32>(), 10),
        other => panic!("{other:?}"),
    }
    let state = r.election.board.state();
    assert_eq!(state.spoiled, 5, "voters 2, 7, 12, 17, 22 challenged first");
    assert_eq!(state.cast, 24 + 6, "six voters re-voted");
    std::fs::remove_dir_all(&r.dir).unwrap();
}

#[test]
fn revotes_refused_by_policy_and_rejections_change_nothing() {
    let manifest = all_kinds(RevotePolicy::Refused);
    let mut rng = rand::rng();
    let dir = temp_dir("refused");
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let voters: Vec<KeyPair> = (0..3).map(|_| Credential::generate(&mut rng).key_pair("kinds")).collect();
    election.open(CredentialList::new(voters.iter().map(|k| k.public).collect()).unwrap(), &mut rng).unwrap();
    let params = election.params().clone();
    let marks = random_marks(&manifest);
    let (first, first_secrets) = Ballot::encrypt(&params, &voters[0], &marks, &mut rng).unwrap();
    election.board.append(Event::Cast(Box::new(first.clone())), &mut rng).unwrap();

    let outsider = KeyPair::generate(&mut rng);
    let (stranger, _) = Ballot::encrypt(&params, &outsider, &marks, &mut rng).unwrap();
    let (second, _) = Ballot::encrypt(&params, &voters[0], &marks, &mut rng).unwrap();
    let mut bad_proof = Ballot::encrypt(&params, &voters[1], &marks, &mut rng).unwrap().0;
    bad_proof.contests[0].option_proofs[0].0.responses[0] += curve25519_dalek::scalar::Scalar::ONE;
    // A cheating voter re-signs the tampered ballot, so that only the proof is wrong.
    let t = dauys::crypto::transcript::ballot_signature(&params.fingerprint, &bad_proof.digest(), &voters[1].public);
    bad_proof.signature = dauys::crypto::schnorr::SchnorrProof::prove(t, &voters[1].secret, &mut rng);
    let mut unsigned = Ballot::encrypt(&params, &voters[1], &marks, &mut rng).unwrap().0;
    unsigned.contests[0].option_proofs[0].0.responses[0] += curve25519_dalek::scalar::Scalar::ONE;
    let mut other_election = Ballot::encrypt(&params, &voters[2], &marks, &mut rng).unwrap().0;
    other_election.election = Fingerprint([9; 32]);
    let (challenged, secrets) = Ballot::encrypt(&params, &voters[1], &marks, &mut rng).unwrap();
    let mut wrong_opening = challenged.challenge(secrets);
    wrong_opening.opening.contests[0].marks.reverse();
    // A voter's device that challenges a ballot and then casts it anyway.
    let (both, both_secrets) = Ballot::encrypt(&params, &voters[2], &marks, &mut rng).unwrap();
    election.board.challenge(&both.challenge(both_secrets)).unwrap();
    let size = election.board.len();
    let root = election.board.root(size).unwrap();
    let cases: Vec<(Event, &str)> = vec![
        (Event::Cast(Box::new(stranger)), "not in the credential list"),
        (Event::Cast(Box::new(second)), "refuses revotes"),
        (Event::Cast(Box::new(first.clone())), "posted before"),
        (Event::Cast(Box::new(bad_proof)), "validity proof"),
        (Event::Cast(Box::new(unsigned)), "signature does not verify"),
        (Event::Cast(Box::new(other_election)), "another election"),
        (Event::Cast(Box::new(both.clone())), "a challenged ballot is never cast"),
        // Challenged ballots never enter the log while voting is open, not even valid ones.
        (Event::Spoiled(Box::new(wrong_opening.clone())), "held by the board until voting closes"),
        (
            Event::Tally(dauys::election::tally::EncryptedTally { ballots: 1, contests: vec![], turnout: vec![] }),
            "not allowed while voting",
        ),
    ];
    for (event, reason) in cases {
        let err = election.board.append(event, &mut rng).unwrap_err().to_string();
        assert!(err.contains(reason), "expected {reason:?} in {err}");
        assert_eq!(election.board.len(), size, "a rejected event changed the log");
        assert_eq!(election.board.root(size).unwrap(), root);
    }
    // The challenge queue checks what the log would.
    let (again, again_secrets) = Ballot::encrypt(&params, &voters[2], &marks, &mut rng).unwrap();
    let held = again.challenge(again_secrets);
    for (spoiled, reason) in [
        (wrong_opening, "does not open"),
        (first.challenge(first_secrets), "a cast ballot cannot be challenged"),
        (held.clone(), ""),
        (held, "posted before"),
    ] {
        match election.board.challenge(&spoiled) {
            Ok(_) => assert!(reason.is_empty(), "{reason}"),
            Err(e) => assert!(!reason.is_empty() && e.to_string().contains(reason), "expected {reason:?} in {e}"),
        }
        assert_eq!(election.board.len(), size, "a challenged ballot entered the log before close");
    }
    // Malformed input never reaches the board: it does not parse.
    assert!(serde_json::from_str::<Event>(r#"{"kind":"cast","payload":{"contests":[]}}"#).is_err());

    election.close(&mut rng).unwrap();
    assert_eq!(election.board.state().spoiled, 2, "both held challenged ballots were published at close");
    let (late, _) = Ballot::encrypt(&params, &voters[1], &marks, &mut rng).unwrap();
    let err = election.board.append(Event::Cast(Box::new(late)), &mut rng).unwrap_err().to_string();
    assert!(err.contains("not allowed after voting closed"), "{err}");
    let (late, late_secrets) = Ballot::encrypt(&params, &voters[1], &marks, &mut rng).unwrap();
    let err = election.board.challenge(&late.challenge(late_secrets)).unwrap_err().to_string();
    assert!(err.contains("only while voting is open"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn challenged_ballots_are_published_in_one_batch_at_close_in_digest_order() {
    let manifest = all_kinds(RevotePolicy::LastCounts);
    let mut rng = rand::rng();
    let dir = temp_dir("challenged");
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let voters: Vec<KeyPair> = (0..6).map(|_| Credential::generate(&mut rng).key_pair("kinds")).collect();
    election.open(CredentialList::new(voters.iter().map(|k| k.public).collect()).unwrap(), &mut rng).unwrap();
    let params = election.params().clone();
    // Six voters challenge a ballot, each right before casting one; the challenges arrive in
    // descending order of their ciphertext digests, so publishing by arrival would show it.
    let mut pairs: Vec<_> = voters
        .iter()
        .map(|v| {
            let marks = random_marks(&manifest);
            let (challenged, secrets) = Ballot::encrypt(&params, v, &marks, &mut rng).unwrap();
            let cast = Ballot::encrypt(&params, v, &marks, &mut rng).unwrap().0;
            (challenged.challenge(secrets), cast)
        })
        .collect();
    pairs.sort_by_key(|(s, _)| std::cmp::Reverse(s.ciphertext_digest()));
    let opened = election.board.len();
    for (challenged, cast) in &pairs {
        election.board.challenge(challenged).unwrap();
        election.board.append(Event::Cast(Box::new(cast.clone())), &mut rng).unwrap();
    }
    assert_eq!(election.board.len(), opened + 6, "only the cast ballots are in the log while voting is open");
    // Held across a restart of the board.
    drop(election.board);
    election.board = dauys::board::store::Board::open(&dir).unwrap();
    assert_eq!(election.board.held_challenged(), 6);
    election.close(&mut rng).unwrap();
    let mut kinds = Vec::new();
    let mut published = Vec::new();
    election
        .board
        .for_each_leaf(opened, |_, leaf| {
            let event: Event = serde_json::from_str(leaf).unwrap();
            kinds.push(event.kind());
            if let Event::Spoiled(s) = event {
                published.push(s.ciphertext_digest());
            }
            Ok(())
        })
        .unwrap();
    let expected: Vec<&str> = ["cast"; 6].into_iter().chain(["spoiled"; 6]).chain(["close"]).collect();
    assert_eq!(kinds, expected, "one batch of challenged ballots, right before close");
    let mut ascending = published.clone();
    ascending.sort();
    assert_eq!(published, ascending, "in ascending digest order");
    let arrival: Vec<[u8; 32]> = pairs.iter().map(|(s, _)| s.ciphertext_digest()).collect();
    assert_ne!(published, arrival, "not in the order they arrived");
    assert_eq!(election.board.held_challenged(), 0);
    // The record passes the verifier, whose check 2.1 holds the board to this order.
    election.tally(&[1, 2], &mut rng).unwrap();
    election.board.export(&dir.join("record")).unwrap();
    let report = dauys::verify::verify(&dir.join("record"), &Default::default()).unwrap();
    assert!(report.valid(), "{:?}", report.failed());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn receipts_hold_against_later_checkpoints_and_the_record_reproduces_the_log() {
    let mut r = run(serde_json::from_str::<Manifest>(NATIONAL_MANIFEST).unwrap(), 12, "record");
    let mut rng = rand::rng();
    // A voter's receipt from a late ballot.
    let (ballot, _) = Ballot::encrypt(r.election.params(), &r.plans[3].key, &r.plans[3].marks, &mut rng).unwrap();
    let receipt = r.election.board.append(Event::Cast(Box::new(ballot)), &mut rng).unwrap();
    let setup = r.election.board.setup_fingerprint();
    let board_key = r.election.board.board_key();
    receipt.verify(&setup, &board_key).unwrap();
    r.election.close(&mut rng).unwrap();
    let result = r.election.tally(&[1, 2, 5], &mut rng).unwrap();
    assert_eq!(result.ballots, 12);

    // Later: the final checkpoint includes the receipt's leaf, and is consistent with the
    // checkpoint in the receipt.
    let last = r.election.board.latest_checkpoint().unwrap().clone();
    let proof = r.election.board.inclusion_proof(receipt.index, last.size).unwrap();
    dauys::log::merkle::verify_inclusion(receipt.index, last.size, &receipt.leaf_hash, &proof, &last.root).unwrap();
    let consistency = r.election.board.consistency_proof(receipt.checkpoint.size, last.size).unwrap();
    verify_consistency(receipt.checkpoint.size, last.size, &consistency, &receipt.checkpoint.root, &last.root).unwrap();

    // The exported record: header, every event line, every checkpoint, the same root.
    let out = r.dir.join("record");
    r.election.board.export(&out).unwrap();
    let header = record::read_header(&out).unwrap();
    assert_eq!(header.checkpoint, last);
    let mut frontier = Frontier::new();
    for line in record::events(&out).unwrap() {
        let (_, line) = line.unwrap();
        let event: Event = serde_json::from_str(&line).unwrap();
        assert_eq!(event.to_leaf(), line, "record lines are canonical");
        frontier.push(dauys::log::merkle::leaf_hash(line.as_bytes()));
    }
    assert_eq!(frontier.len(), header.size);
    assert_eq!(frontier.root(), last.root);
    let checkpoints = record::checkpoints(&out).unwrap();
    assert!(checkpoints.iter().all(|c| c.verify(&setup, &board_key).is_ok()));
    // Nothing in the record identifies a voter: no roll, no IIN, no credential string.
    let text = std::fs::read_to_string(out.join(record::EVENTS_FILE)).unwrap();
    assert!(!text.contains("iin"));
    // A second writer is refused while the first holds the board. Once it is gone, reopening
    // loads the stored state without replaying the ballots, and a full replay agrees with it.
    let refused = dauys::board::store::Board::open(&r.dir).err().expect("a second writer").to_string();
    assert!(refused.contains(&format!("another writer (process {})", std::process::id())), "{refused}");
    let counted = r.election.board.state().counted();
    drop(r.election);
    let reopened = dauys::board::store::Board::open(&r.dir).unwrap();
    assert_eq!(reopened.len(), header.size);
    assert_eq!(reopened.root(header.size).unwrap(), last.root);
    assert_eq!(reopened.latest_checkpoint(), Some(&last));
    assert_eq!((reopened.state().counted(), reopened.state().result.as_ref()), (counted, Some(&result)));
    let check = dauys::board::check::check(&r.dir).unwrap();
    assert!(check.consistent(), "{:?}", check.differences);
    assert_eq!((check.events, check.counted), (header.size, 12));
    std::fs::remove_dir_all(&r.dir).unwrap();
}

#[test]
fn wrong_tallies_and_results_are_rejected() {
    let mut r = run(all_kinds(RevotePolicy::LastCounts), 6, "wrong-tally");
    let mut rng = rand::rng();
    // A wrong tally arriving in one batch with the close is still checked against the ballots.
    let manifest = r.election.params().manifest.clone();
    let board = &mut r.election.board;
    let honest = {
        let mut acc = dauys::election::tally::TallyAccumulator::new(&manifest);
        for (_, b) in board.cast_ballots().unwrap() {
            acc.add(0, &b);
        }
        acc.finish()
    };
    let mut forged = honest.clone();
    forged.contests[0].swap(0, 1);
    forged.ballots = board.state().counted();
    let out = board.append_batch(vec![Event::Close, Event::Tally(forged)], &mut rng).unwrap();
    assert!(out[0].is_ok());
    let err = out[1].as_ref().unwrap_err().to_string();
    assert!(err.contains("not the sum of the counted ballots"), "{err}");
    let tally = board.compute_tally().unwrap();
    let mut swapped = tally.clone();
    swapped.contests[0].swap(0, 1);
    let err = board.append(Event::Tally(swapped), &mut rng).unwrap_err().to_string();
    assert!(err.contains("not the sum of the counted ballots"), "{err}");
    let mut miscounted = tally.clone();
    miscounted.ballots += 1;
    assert!(board.append(Event::Tally(miscounted), &mut rng).is_err());
    board.append(Event::Tally(tally.clone()), &mut rng).unwrap();

    let params = r.election.params().clone();
    let ceremony = r.election.ceremony().unwrap();
    let d1 = r.election.trustees[0].decrypt(&params, &ceremony, &tally, true, &mut rng).unwrap();
    let d3 = r.election.trustees[2].decrypt(&params, &ceremony, &tally, true, &mut rng).unwrap();
    let lots = |d: &[&dauys::election::tally::TrusteeDecryption]| {
        let root = r.election.board.state().close_root.unwrap();
        let reveals: Vec<_> = d.iter().map(|d| (d.trustee, d.lot_seed.unwrap())).collect();
        dauys::election::counting::lot_seed(&params.fingerprint, &root, &reveals)
    };
    let result =
        dauys::election::tally::decrypt_result(&params, &tally, &[d1.clone(), d3.clone()], &lots(&[&d1, &d3])).unwrap();
    let board = &mut r.election.board;
    // A decryption under another trustee's name fails its proofs.
    let impostor = dauys::election::tally::TrusteeDecryption { trustee: 2, ..d1.clone() };
    assert!(board.append(Event::Decryption(impostor), &mut rng).is_err());
    board.append(Event::Decryption(d1), &mut rng).unwrap();
    let err = board.append(Event::Result(result.clone()), &mut rng).unwrap_err().to_string();
    assert!(err.contains("1 trustee(s) decrypted, the threshold is 2"), "{err}");
    board.append(Event::Decryption(d3), &mut rng).unwrap();

    let mut recount = result.clone();
    recount.contests[0].counts[0] += 1;
    let err = board.append(Event::Result(recount), &mut rng).unwrap_err().to_string();
    assert!(err.contains("is not what the tally decrypts to"), "{err}");
    let mut overturned = result.clone();
    let Outcome::Referendum { adopted } = overturned.contests[0].outcome else { panic!("a referendum") };
    overturned.contests[0].outcome = Outcome::Referendum { adopted: !adopted };
    let err = board.append(Event::Result(overturned), &mut rng).unwrap_err().to_string();
    assert!(err.contains("does not follow from the counts"), "{err}");
    board.append(Event::Result(result), &mut rng).unwrap();
    std::fs::remove_dir_all(&r.dir).unwrap();
}

#[test]
fn only_the_recipient_can_complain() {
    let mut rng = rand::rng();
    let dir = temp_dir("complaints");
    let mut election = LocalElection::setup(&dir, all_kinds(RevotePolicy::LastCounts), &mut rng).unwrap();
    let board = &mut election.board;
    let len = board.len();
    // No evidence: refused (it would otherwise block trustee 2's real complaint about dealer 1).
    let bare = dauys::crypto::threshold::dkg::Complaint {
        dealer: 1,
        proof: None,
        recipient: 2,
        shared: dauys::crypto::group::Element::generator(),
        signature: None,
    };
    let err = board.append(Event::Complaint(bare.clone()), &mut rng).unwrap_err().to_string();
    assert!(err.contains("without evidence"), "{err}");
    // Evidence made without trustee 2's transport secret: its proof fails.
    let fake = dauys::crypto::dleq::ChaumPedersenProof::prove(
        dauys::crypto::transcript::complaint(
            &board.setup_fingerprint(),
            1,
            2,
            &bare.shared,
            &bare.shared,
            &bare.shared,
        ),
        bare.shared.point(),
        &SecretScalar::random(&mut rng),
        &mut rng,
    );
    let err = board
        .append(Event::Complaint(dauys::crypto::threshold::dkg::Complaint { proof: Some(fake), ..bare }), &mut rng)
        .unwrap_err()
        .to_string();
    assert!(err.contains("proof does not verify"), "{err}");
    assert_eq!(board.len(), len);
    std::fs::remove_dir_all(&dir).unwrap();
}
