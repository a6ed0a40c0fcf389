//! The key ceremony through the board, attacked by a minority of trustees: every message the
//! board admits during the ceremony (dealings with copied or shifted ephemerals, reused
//! proofs, one party in two seats, complaints after the trustees are ready), the ready rule
//! at open, and the lot seeds revealed at decryption.

use curve25519_dalek::scalar::Scalar;
use dauys::board::store::Board;
use dauys::crypto::group::{Element, SecretScalar, mul_g};
use dauys::crypto::schnorr::SchnorrProof;
use dauys::crypto::threshold::dkg::{EncryptedShare, Polynomial, TransportSecret, open_share};
use dauys::crypto::threshold::signed::SeatSigned;
use dauys::election::ballot::Ballot;
use dauys::election::credential::{Credential, CredentialList};
use dauys::log::event::{Event, Open};
use dauys::runner::{LocalElection, ceremony_outcome, post_all};

mod key_ceremony;
use key_ceremony::{Ceremonies, deal, ready, receive_all, undecryptable_share};

const SETUP: Ceremonies = Ceremonies { election_id: "ceremony" };

fn open_event(board: &Board, quorum: bool) -> Event {
    let c = ceremony_outcome(board).unwrap();
    let mut rng = rand::rng();
    let voters: Vec<_> = (0..3).map(|_| Credential::generate(&mut rng).public("ceremony")).collect();
    Event::Open(Box::new(Open {
        credentials: Some(CredentialList::new(voters).unwrap()),
        joint_key: c.joint_key,
        quorum,
        style_credentials: None,
        verification_keys: c.verification_keys,
    }))
}

#[test]
fn a_corrupt_dealer_cannot_make_an_honest_complaint_open_another_share() {
    let mut rng = rand::rng();
    let (dir, mut board, mut trustees) = SETUP.keys_posted("oracle");
    // Trustee 2 is corrupt. Honest dealer 1 deals first; trustee 2 sees its dealing.
    let d1 = deal(&board, &mut trustees[0]);
    post_all(&mut board, vec![Event::Dealing(d1.clone())], &mut rng).unwrap();
    let honest = deal(&board, &mut trustees[1]);
    let target = &d1.shares[2]; // dealer 1's share to honest trustee 3
    let delta = mul_g(&Scalar::from(5u64));
    for (what, ephemeral, proof) in [
        ("copied ephemeral, reused proof", target.ephemeral, target.proof),
        ("shifted ephemeral, reused proof", Element::from_point(target.ephemeral.point() + delta), target.proof),
        (
            "copied ephemeral, made-up proof",
            target.ephemeral,
            SchnorrProof { commitment: target.proof.commitment, response: target.proof.response + Scalar::ONE },
        ),
    ] {
        let mut forged = honest.clone();
        forged.shares[2] = EncryptedShare { ephemeral, proof, ..forged.shares[2].clone() };
        let err = board.append(Event::Dealing(forged), &mut rng).unwrap_err().to_string();
        assert!(err.contains("ephemeral proof(s) of the shares to trustee(s) [3]"), "{what}: {err}");
    }
    // What trustee 2 can post: its own ephemeral, proved, over a share that does not decrypt,
    // so that trustee 3 complains.
    let r = SecretScalar::random(&mut rng);
    let mut forged = honest.clone();
    forged.shares[2] = undecryptable_share(&board, 2, &honest.shares[2], &r);
    let forged = forged.sign(&board.setup_fingerprint(), trustees[1].signing_key(), &mut rng);
    post_all(&mut board, vec![Event::Dealing(forged)], &mut rng).unwrap();
    let d3 = deal(&board, &mut trustees[2]);
    post_all(&mut board, vec![Event::Dealing(d3)], &mut rng).unwrap();
    let complaints = receive_all(&board, &mut trustees);
    assert_eq!(complaints.len(), 1, "only trustee 3 complains, about dealer 2");
    let Event::Complaint(c) = &complaints[0] else { panic!() };
    assert_eq!((c.dealer, c.recipient), (2, 3));
    let e3 = board.state().transport_keys[&3].key;
    assert_eq!(c.shared, Element::from_point(r.expose() * e3.point()), "S = r·E_3: the dealer knew it");
    assert!(open_share(&board.setup_fingerprint(), 1, target, &e3, &c.shared).is_none(), "it opens nothing else");
    post_all(&mut board, complaints, &mut rng).unwrap();
    assert_eq!(ceremony_outcome(&board).unwrap().qualified, vec![1, 3]);
    // The election goes on without dealer 2, and its record verifies.
    let events: Vec<Event> = trustees.iter().map(|t| ready(&board, t)).collect();
    post_all(&mut board, events, &mut rng).unwrap();
    let mut election = LocalElection { board, trustees };
    let voter = Credential::generate(&mut rng).key_pair("ceremony");
    election.open(CredentialList::new(vec![voter.public]).unwrap(), &mut rng).unwrap();
    let (ballot, _) = Ballot::encrypt(election.params(), &voter, &[vec![1, 0]], &mut rng).unwrap();
    election.board.append(Event::Cast(Box::new(ballot)), &mut rng).unwrap();
    election.close(&mut rng).unwrap();
    assert_eq!(election.tally(&[2, 3], &mut rng).unwrap().contests[0].counts, vec![1, 0]);
    election.board.export(&dir.join("record")).unwrap();
    let report = dauys::verify::verify(&dir.join("record"), &Default::default()).unwrap();
    assert!(report.valid(), "{:?}", report.failed());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn one_party_may_not_take_two_seats_on_the_board() {
    let mut rng = rand::rng();
    let dir = SETUP.temp_dir("seats");
    // One party holds the identity keys of seats 1 and 2.
    let identities: Vec<SecretScalar> = (0..3).map(|_| SecretScalar::random(&mut rng)).collect();
    let mut manifest = SETUP.manifest();
    manifest.trustees.identities = identities.iter().map(SecretScalar::public).collect();
    let mut board = Board::create(&dir, manifest, &mut rng).unwrap();
    let setup = board.setup_fingerprint();
    let one = TransportSecret::generate(1, &mut rng);
    post_all(&mut board, vec![Event::TransportKey(one.publish(&setup, &identities[0], &mut rng))], &mut rng).unwrap();
    // The same secret, proved for seat 2.
    let two = TransportSecret::from_secret(2, one.secret().clone());
    let two = two.publish(&setup, &identities[1], &mut rng);
    let err = board.append(Event::TransportKey(two), &mut rng).unwrap_err().to_string();
    assert!(err.contains("trustee 2's transport key is trustee 1's"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();

    let (dir, mut board, mut trustees) = SETUP.keys_posted("commitments");
    let d1 = deal(&board, &mut trustees[0]);
    post_all(&mut board, vec![Event::Dealing(d1)], &mut rng).unwrap();
    // Seat 2 deals a polynomial with seat 1's constant term: only seat 1's holder knows it.
    let mut coefficients = vec![SecretScalar::random(&mut rng), SecretScalar::random(&mut rng)];
    let file: serde_json::Value = serde_json::from_str(&trustees[0].to_json()).unwrap();
    let a0 = dauys::crypto::group::scalar_from_hex("a0", file["polynomial"][0].as_str().unwrap()).unwrap();
    coefficients[0] = SecretScalar::new(a0);
    let keys: Vec<_> = board.state().transport_keys.values().cloned().collect();
    let copy = Polynomial::from_coefficients(coefficients).deal(&board.setup_fingerprint(), 2, &keys, &mut rng).sign(
        &board.setup_fingerprint(),
        trustees[1].signing_key(),
        &mut rng,
    );
    let err = board.append(Event::Dealing(copy), &mut rng).unwrap_err().to_string();
    assert!(err.contains("dealers 1 and 2 published the same coefficient commitment"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn voting_opens_only_when_trustees_proved_their_shares() {
    let mut rng = rand::rng();
    let dir = SETUP.temp_dir("ready");
    let manifest = SETUP.manifest();
    let mut election = LocalElection::ceremony_without_ready(&dir, manifest, &mut rng).unwrap();
    let board = &mut election.board;
    let open = open_event(board, false);
    let err = board.append(open, &mut rng).unwrap_err().to_string();
    assert!(err.contains("trustee(s) [1, 2, 3] have not proved possession"), "{err}");

    let good = ready(board, &election.trustees[0]);
    let Event::Ready(r) = &good else { panic!() };
    let mut bad_proof = r.clone();
    bad_proof.proof.response += Scalar::ONE;
    let mut other_key = r.clone();
    other_key.joint_key = Element::generator();
    // Trustee 2 claims trustee 1's proof.
    let stolen = dauys::crypto::threshold::dkg::Ready { trustee: 2, ..r.clone() };
    for (event, reason) in [
        (Event::Ready(bad_proof), "does not verify"),
        (Event::Ready(other_key), "another joint key"),
        (Event::Ready(stolen), "does not verify"),
    ] {
        let err = board.append(event, &mut rng).unwrap_err().to_string();
        assert!(err.contains(reason), "expected {reason:?} in {err}");
    }
    post_all(board, vec![good.clone()], &mut rng).unwrap();
    let err = board.append(good, &mut rng).unwrap_err().to_string();
    assert!(err.contains("already ready"), "{err}");
    // One ready trustee is below the threshold, quorum or not.
    let open = open_event(board, true);
    let err = board.append(open, &mut rng).unwrap_err().to_string();
    assert!(err.contains("only 1 trustee(s) ready"), "{err}");
    let event = ready(board, &election.trustees[1]);
    post_all(board, vec![event], &mut rng).unwrap();
    let open = open_event(board, false);
    let err = board.append(open, &mut rng).unwrap_err().to_string();
    assert!(err.contains("trustee(s) [3] have not proved possession"), "{err}");
    // The operator's explicit quorum: recorded in the open event.
    let open = open_event(board, true);
    post_all(board, vec![open], &mut rng).unwrap();
    let leaf = board.for_each_leaf(board.len() - 1, |_, leaf| {
        assert!(leaf.contains(r#""quorum":true"#), "{leaf}");
        Ok(())
    });
    leaf.unwrap();

    // Decryptions: a ready trustee reveals its committed lot seed; trustee 3 (not ready) may
    // still decrypt, without a seed.
    election.close(&mut rng).unwrap();
    election.post_tally(&mut rng).unwrap();
    let params = election.params().clone();
    let ceremony = election.ceremony().unwrap();
    let tally = election.board.state().tally.clone().unwrap();
    let t = &election.trustees;
    let d1_hidden = t[0].decrypt(&params, &ceremony, &tally, false, &mut rng).unwrap();
    let mut d1_wrong = t[0].decrypt(&params, &ceremony, &tally, true, &mut rng).unwrap();
    d1_wrong.lot_seed = Some([9; 32]);
    let d1_wrong = d1_wrong.sign(&election.board.setup_fingerprint(), t[0].signing_key(), &mut rng);
    let d3_reveal = t[2].decrypt(&params, &ceremony, &tally, true, &mut rng).unwrap();
    let d2 = t[1].decrypt(&params, &ceremony, &tally, true, &mut rng).unwrap();
    for (d, reason) in [
        (d1_hidden, "must reveal it"),
        (d1_wrong, "does not match the commitment"),
        (d3_reveal, "no ready event that counted"),
    ] {
        let err = election.board.append(Event::Decryption(d), &mut rng).unwrap_err().to_string();
        assert!(err.contains(reason), "expected {reason:?} in {err}");
    }
    // Trustees 1 (ready) and 3 (not ready) make t = 2 decryptions, but only one reveals a seed:
    // a coalition of t − 1 could know the lots' seed. The result waits for a second reveal.
    let err = election.decrypt(&[1, 3], &mut rng).unwrap_err().to_string();
    assert!(err.contains("only 1 decryption(s) reveal a committed lot seed"), "{err}");
    dauys::runner::post_all(&mut election.board, vec![Event::Decryption(d2)], &mut rng).unwrap();
    let result = dauys::runner::result_of(election.board.state()).unwrap();
    dauys::runner::post_all(&mut election.board, vec![Event::Result(result.clone())], &mut rng).unwrap();
    assert_eq!(result.ballots, 0);
    election.board.export(&dir.join("record")).unwrap();
    let report = dauys::verify::verify(&dir.join("record"), &Default::default()).unwrap();
    assert!(report.valid(), "{:?}", report.failed());
    let note = report.outcome(dauys::verify::Check::KeyShares).unwrap().detail();
    assert!(note.contains("2 of 3") && note.contains("missing 3"), "{note}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_complaint_after_the_trustees_are_ready_voids_their_ready_events() {
    let mut rng = rand::rng();
    let (dir, mut board, mut trustees) = SETUP.keys_posted("late");
    // Trustees 2 and 3 collude: dealer 3 sends trustee 2 a bad share, trustee 2 keeps the
    // complaint until trustees 1 and 3 are ready, then posts it to change the joint key.
    let d1 = deal(&board, &mut trustees[0]);
    let d2 = deal(&board, &mut trustees[1]);
    let mut d3 = deal(&board, &mut trustees[2]);
    d3.shares[1] = undecryptable_share(&board, 3, &d3.shares[1], &SecretScalar::random(&mut rng));
    let d3 = d3.sign(&board.setup_fingerprint(), trustees[2].signing_key(), &mut rng);
    post_all(&mut board, vec![Event::Dealing(d1), Event::Dealing(d2), Event::Dealing(d3)], &mut rng).unwrap();
    let mut complaints = receive_all(&board, &mut trustees);
    assert_eq!(complaints.len(), 1);
    let first = vec![ready(&board, &trustees[0]), ready(&board, &trustees[2])];
    post_all(&mut board, first, &mut rng).unwrap();
    let before = ceremony_outcome(&board).unwrap();
    post_all(&mut board, vec![complaints.remove(0)], &mut rng).unwrap();
    let after = ceremony_outcome(&board).unwrap();
    assert_eq!(after.qualified, vec![1, 2]);
    assert_ne!(before.joint_key, after.joint_key);
    // The earlier ready events were for the old key: none counts, even with a quorum.
    let open = open_event(&board, true);
    let err = board.append(open, &mut rng).unwrap_err().to_string();
    assert!(err.contains("only 0 trustee(s) ready"), "{err}");
    // Honest trustees post again, for the new key (a second ready is admitted for new keys).
    let again: Vec<Event> = trustees.iter().map(|t| ready(&board, t)).collect();
    post_all(&mut board, again, &mut rng).unwrap();
    let open = open_event(&board, false);
    post_all(&mut board, vec![open], &mut rng).unwrap();
    let mut election = LocalElection { board, trustees };
    election.close(&mut rng).unwrap();
    election.tally(&[1, 3], &mut rng).unwrap();
    election.board.export(&dir.join("record")).unwrap();
    let report = dauys::verify::verify(&dir.join("record"), &Default::default()).unwrap();
    assert!(report.valid(), "{:?}", report.failed());
    std::fs::remove_dir_all(&dir).unwrap();
}
