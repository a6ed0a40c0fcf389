//! What the registration events establish, and whether the next one is admissible
//! (`specs/record.md` §6.9): the roll, each citizen's registration, the close, and each
//! trustee's shuffle, up to the final list and base that voting opens with.
//!
//! | event | checks |
//! | --- | --- |
//! | roll | pseudonyms strictly ascending, count theirs, CA key an Ed25519 key; with several styles one style each, a manifest's |
//! | registration | pseudonym on the roll and not registered before; citizen key certified by the roll's CA and not used before; style one of the manifest's (named iff it has several), the roll's for its pseudonym; credential not the identity and not registered before (in any style); citizen's signature over (F_s, P, X[, style]); proof of knowledge of x |
//! | registration_close | at least one registration |
//! | shuffle | list a style's; shuffler a trustee with a transport key, not shuffled this list before; its signature by that key; the proof, from the style's registered list (ascending) and `g`, or from the list's previous shuffle's output and base |
//! | open | no list of its own; for each style with registrations, at least `max(t, min(2, n))` distinct shufflers of its list |

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::crypto::group::{Element, Fingerprint};
use crate::crypto::threshold::ThresholdParams;
use crate::crypto::threshold::dkg::TransportKey;
use crate::election::credential::CredentialList;
use crate::election::registration::{Authenticator, Pseudonym, Registration, Roll, SyntheticCa};
use crate::election::unlinking::{CredentialShuffle, min_shufflers};

#[derive(Debug, Default)]
pub struct RegistrationState {
    pub roll: Option<Roll>,
    /// The manifest's ballot style ids, in order (set with the roll); one credential list each.
    styles: Vec<String>,
    pseudonyms: HashSet<Pseudonym>,
    citizen_keys: HashSet<[u8; 32]>,
    /// Every registered credential, whatever its style: none registers twice.
    all_registered: HashSet<[u8; 32]>,
    /// The registered credentials per style, ascending: each style's first shuffle's input.
    registered: Vec<BTreeSet<[u8; 32]>>,
    pub closed: bool,
    /// Per style, the trustees who shuffled its list, in order.
    pub shufflers: Vec<Vec<u32>>,
    /// Per style, its last shuffle's base and output.
    shuffled: Vec<Option<(Element, CredentialList)>>,
}

impl RegistrationState {
    pub fn registrations(&self) -> u64 {
        self.all_registered.len() as u64
    }

    /// The registrations per style, in manifest order.
    pub fn registrations_per_style(&self) -> Vec<u64> {
        self.registered.iter().map(|r| r.len() as u64).collect()
    }

    /// The fewest distinct trustees that shuffled any list with registrations (0 if none did):
    /// voting may open once this reaches the minimum.
    pub fn fewest_shufflers(&self) -> usize {
        (0..self.styles.len())
            .filter(|&l| !self.registered[l].is_empty())
            .map(|l| self.shufflers[l].len())
            .min()
            .unwrap_or(0)
    }

    /// The ballot style ids the lists are for (empty before the roll).
    pub fn styles(&self) -> &[String] {
        &self.styles
    }

    /// Whether the pseudonym registered (for a voter checking its own registration).
    pub fn is_registered(&self, pseudonym: &Pseudonym) -> bool {
        self.pseudonyms.contains(pseudonym)
    }

    /// The roll, for an election whose manifest names `citizen_ca` (else there is none to
    /// post): its CA key must be that one. `styles`: the manifest's ballot style ids.
    pub fn roll(&mut self, roll: &Roll, citizen_ca: Option<&[u8; 32]>, styles: Vec<String>) -> Result<(), String> {
        let Some(ca) = citizen_ca else {
            return Err("the manifest names no citizen CA (`citizen_ca`): this election registers no one".into());
        };
        if &roll.ca_key != ca {
            return Err("the roll's CA key is not the citizen CA the manifest names".into());
        }
        roll.check().map_err(|e| e.to_string())?;
        roll.check_styles(styles.len()).map_err(|e| e.to_string())?;
        self.roll = Some(roll.clone());
        self.registered = vec![BTreeSet::new(); styles.len()];
        self.shufflers = vec![Vec::new(); styles.len()];
        self.shuffled = vec![None; styles.len()];
        self.styles = styles;
        Ok(())
    }

    /// The index of the style a registration names: none in an election of one style, one of
    /// the manifest's otherwise.
    pub fn style_of(&self, r: &Registration) -> Result<usize, String> {
        match (&r.style, self.styles.len()) {
            (None, 1) => Ok(0),
            (Some(s), 1) => {
                Err(format!("the registration names ballot style {s:?}; this election has one style, named by none"))
            }
            (None, _) => Err("the registration names no ballot style; this election has several".into()),
            (Some(s), _) => {
                self.styles.iter().position(|id| id == s).ok_or_else(|| {
                    format!("the registration names ballot style {s:?}, which the manifest does not have")
                })
            }
        }
    }

    /// A registration. Refused, not superseding, for a pseudonym that registered already:
    /// `specs/protocol.md` §14.3 says why.
    pub fn registration(&mut self, setup: &Fingerprint, r: &Registration, full: bool) -> Result<(), String> {
        let roll = self.roll.as_ref().ok_or("no roll")?;
        if !roll.contains(&r.pseudonym) {
            return Err("the pseudonym is not on the roll".into());
        }
        if self.pseudonyms.contains(&r.pseudonym) {
            return Err("this pseudonym has registered already: one registration per roll entry".into());
        }
        if self.citizen_keys.contains(&r.citizen.key) {
            return Err("this citizen key registered another pseudonym: one key, one roll entry".into());
        }
        let style = self.style_of(r)?;
        let entry = roll.style_of(&r.pseudonym).ok_or("the pseudonym is not on the roll")?;
        if style != entry {
            return Err(format!(
                "the registration names ballot style {:?}; the roll gives its pseudonym style {:?}",
                self.styles[style], self.styles[entry]
            ));
        }
        if r.credential == Element::identity() {
            return Err("the credential is the identity element, which anyone can sign for".into());
        }
        if self.all_registered.contains(r.credential.as_bytes()) {
            return Err("this credential is registered already".into());
        }
        if full {
            SyntheticCa { key: roll.ca_key }.check_certificate(&r.citizen).map_err(|e| e.to_string())?;
            r.check_signature(setup).map_err(|e| e.to_string())?;
            r.check_proof(setup).map_err(|e| e.to_string())?;
        }
        self.pseudonyms.insert(r.pseudonym);
        self.citizen_keys.insert(r.citizen.key);
        self.all_registered.insert(r.credential.to_bytes());
        self.registered[style].insert(r.credential.to_bytes());
        Ok(())
    }

    pub fn close(&mut self) -> Result<(), String> {
        if self.all_registered.is_empty() {
            return Err("no registration: there is nothing to shuffle".into());
        }
        self.closed = true;
        Ok(())
    }

    /// The next shuffle's input for the only list (of an election of one style).
    pub fn input(&self) -> (Element, CredentialList) {
        self.input_of(0)
    }

    /// The next shuffle's input for list `list`: `(g, its registered credentials)` first, then
    /// its last shuffle's. Empty for a list with no registration, or out of range.
    pub fn input_of(&self, list: usize) -> (Element, CredentialList) {
        match self.shuffled.get(list) {
            Some(Some((base, list))) => (*base, list.clone()),
            _ => (
                Element::generator(),
                CredentialList::from_encodings(
                    self.registered.get(list).map(|r| r.iter().copied().collect()).unwrap_or_default(),
                )
                .expect("registered credentials are distinct points, none the identity"),
            ),
        }
    }

    pub fn shuffle(
        &mut self,
        setup: &Fingerprint,
        params: &ThresholdParams,
        transport_keys: &BTreeMap<u32, TransportKey>,
        s: &CredentialShuffle,
        full: bool,
    ) -> Result<(), String> {
        params.check_index(s.shuffler, "shuffler").map_err(|e| e.to_string())?;
        let key = transport_keys
            .get(&s.shuffler)
            .ok_or_else(|| format!("shuffler {} has posted no transport key to sign with", s.shuffler))?;
        let list = s.list as usize;
        let Some(id) = self.styles.get(list) else {
            return Err(format!(
                "list {list}: the manifest has {} ballot style(s), numbered from 0",
                self.styles.len()
            ));
        };
        if self.shufflers[list].contains(&s.shuffler) {
            return Err(format!("trustee {} has shuffled already (list {list}, style {id:?})", s.shuffler));
        }
        let (base, input) = self.input_of(list);
        if input.is_empty() {
            return Err(format!("list {list} (style {id:?}) has no registered credential to shuffle"));
        }
        if s.output.len() != input.len() {
            return Err(format!("{} credentials out for {} in", s.output.len(), input.len()));
        }
        if full {
            s.check_signature(setup, &key.key).map_err(|e| e.to_string())?;
            s.check_proof(setup, &base, input.as_slice()).map_err(|e| e.to_string())?;
        }
        s.output.check().map_err(|e| e.to_string())?;
        self.shufflers[list].push(s.shuffler);
        self.shuffled[list] = Some((s.new_base, s.output.clone()));
        Ok(())
    }

    /// What voting opens with in an election of one style: its final base and list.
    pub fn final_list(&self, params: &ThresholdParams) -> Result<(Element, CredentialList), String> {
        let mut lists = self.final_lists(params)?;
        match lists.len() {
            1 => Ok(lists.remove(0)),
            n => Err(format!("{n} credential lists, one per ballot style: not one")),
        }
    }

    /// What voting opens with: per style, the final base and list, once enough trustees
    /// shuffled each list that has credentials (a style nobody registered in has an empty
    /// list under `g`).
    pub fn final_lists(&self, params: &ThresholdParams) -> Result<Vec<(Element, CredentialList)>, String> {
        let need = min_shufflers(params);
        let mut out = Vec::with_capacity(self.styles.len());
        for (l, id) in self.styles.iter().enumerate() {
            let shuffled = self.shufflers[l].len();
            match &self.shuffled[l] {
                Some(last) if shuffled >= need => out.push(last.clone()),
                None if self.registered[l].is_empty() => out.push(self.input_of(l)),
                _ => {
                    let which =
                        if self.styles.len() == 1 { String::new() } else { format!("list {l} (style {id:?}): ") };
                    return Err(format!(
                        "{which}{shuffled} trustee(s) shuffled the credentials; at least {need} distinct ones must before voting opens"
                    ));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::group::SecretScalar;
    use crate::crypto::shuffle::ShuffleProof;
    use crate::crypto::shuffle::prove::ShuffleWitness;
    use crate::election::citizen_ca::{CitizenKeys, SyntheticCaIssuer};
    use crate::election::manifest::Manifest;
    use crate::election::manifest::tests::sample;
    use crate::election::registration::Pseudonym;
    use crate::election::trustee::TrusteeSecrets;
    use crate::log::event::{Event, Setup};
    use crate::log::state::{LogState, Verification};

    struct World {
        state: LogState,
        setup: Fingerprint,
        ca: SyntheticCaIssuer,
        trustees: Vec<TrusteeSecrets>,
        citizens: Vec<(Pseudonym, CitizenKeys)>,
    }

    fn apply(state: &mut LogState, event: Event) -> Result<(), String> {
        state.apply(&event, Verification::Full).map_err(|e| e.to_string())
    }

    /// The log after the setup of `manifest` with 3 trustees of their own keys and a citizen
    /// CA: the state, F_s, the CA and the trustees.
    fn set_up(mut manifest: Manifest) -> (LogState, Fingerprint, SyntheticCaIssuer, Vec<TrusteeSecrets>) {
        let mut rng = rand::rng();
        let trustees: Vec<TrusteeSecrets> = (1..=3).map(|i| TrusteeSecrets::new(i, &mut rng)).collect();
        let ca = SyntheticCaIssuer::generate(&mut rng);
        manifest.trustees.identities = trustees.iter().map(TrusteeSecrets::identity_key).collect();
        manifest.citizen_ca = Some(ca.public().key);
        let setup = manifest.setup_fingerprint();
        let mut state = LogState::new();
        let board_key = SecretScalar::random(&mut rng).public();
        apply(&mut state, Event::Setup(Box::new(Setup { board_key, manifest }))).unwrap();
        (state, setup, ca, trustees)
    }

    /// Setup (3 trustees, t = 2), every transport key, a roll of `n` citizens.
    fn world(n: usize) -> World {
        let mut rng = rand::rng();
        let (mut state, setup, ca, trustees) = set_up(sample());
        for t in &trustees {
            apply(&mut state, Event::TransportKey(t.transport_key(&setup, &mut rng))).unwrap();
        }
        let mut citizens: Vec<(Pseudonym, CitizenKeys)> =
            (0..n).map(|i| (Pseudonym([i as u8 + 1; 32]), ca.issue(&format!("iin{i}"), &mut rng))).collect();
        citizens.sort_by_key(|(p, _)| *p);
        let roll = Roll {
            styles: Vec::new(),
            ca_key: ca.public().key,
            count: n as u64,
            pseudonyms: citizens.iter().map(|c| c.0).collect(),
        };
        apply(&mut state, Event::Roll(Box::new(roll))).unwrap();
        World { state, setup, ca, trustees, citizens }
    }

    fn secret() -> SecretScalar {
        SecretScalar::random(&mut rand::rng())
    }

    fn credential() -> Element {
        SecretScalar::random(&mut rand::rng()).public()
    }

    fn register_all(w: &mut World) {
        for (p, keys) in &w.citizens {
            let r = keys.register(&w.setup, *p, &secret(), &mut rand::rng());
            apply(&mut w.state, Event::Registration(Box::new(r))).unwrap();
        }
    }

    fn shuffle_by(w: &World, trustee: usize) -> CredentialShuffle {
        let (base, input) = w.state.registration.input();
        w.trustees[trustee].shuffle(&w.setup, &base, &input, &mut rand::rng()).unwrap()
    }

    /// With ballot styles the roll gives each pseudonym its precinct's style, and a
    /// registration must name that style: neither a citizen nor the registrar's desk can move
    /// a voter to another district's contests (`specs/protocol.md` §14.4).
    #[test]
    fn a_registration_must_name_its_roll_entrys_style() {
        let mut rng = rand::rng();
        let maslikhat = Manifest::from_json(include_str!("../../specs/examples/maslikhat-manifest.json")).unwrap();
        let (mut state, setup, ca, _) = set_up(maslikhat);
        let citizens: Vec<CitizenKeys> = (0..3).map(|i| ca.issue(&format!("iin{i}"), &mut rng)).collect();
        let p = |i: u8| Pseudonym([i + 1; 32]);
        let roll = |styles: Vec<u8>| {
            let pseudonyms = vec![p(0), p(1), p(2)];
            Event::Roll(Box::new(Roll { ca_key: ca.public().key, count: 3, pseudonyms, styles }))
        };
        for (styles, why) in [
            (vec![], "the roll gives 0 styles for 3 pseudonyms"),
            (vec![0, 1], "the roll gives 2 styles for 3 pseudonyms"),
            (vec![0, 6, 1], "roll entry 1: style 6, the manifest has 6 (0 to 5)"),
        ] {
            let refused = apply(&mut state, roll(styles)).unwrap_err();
            assert!(refused.contains(why), "{refused}");
        }
        apply(&mut state, roll(vec![0, 1, 5])).unwrap();
        let register = |i: u8, style: Option<&str>| {
            let r = citizens[i as usize].register_in(&setup, p(i), style, &secret(), &mut rand::rng());
            Event::Registration(Box::new(r))
        };
        // Another district's style, signed by the citizen itself: refused.
        let moved = apply(&mut state, register(0, Some("m02"))).unwrap_err();
        assert!(moved.contains(r#"names ballot style "m02"; the roll gives its pseudonym style "m01""#), "{moved}");
        let unnamed = apply(&mut state, register(1, None)).unwrap_err();
        assert!(unnamed.contains("names no ballot style"), "{unnamed}");
        for (i, style) in [(0, "m01"), (1, "m02"), (2, "m06")] {
            apply(&mut state, register(i, Some(style))).unwrap();
        }
        assert_eq!(state.registration.registrations_per_style(), vec![1, 1, 0, 0, 0, 1]);
    }

    #[test]
    fn a_roll_of_one_style_names_none() {
        let roll = Roll { ca_key: [0; 32], count: 1, pseudonyms: vec![Pseudonym([1; 32])], styles: vec![0] };
        let refused = roll.check_styles(1).unwrap_err().to_string();
        assert!(refused.contains("this election has one ballot style"), "{refused}");
        assert!(Roll { styles: vec![], ..roll.clone() }.check_styles(1).is_ok());
        // A record whose manifest lists no style at all (1.2 fails; the verifier goes on).
        let none = roll.check_styles(0).unwrap_err().to_string();
        assert!(none.contains("the manifest has no ballot style"), "{none}");
    }

    /// The strongest attack of the review (specs/protocol.md §14.6): a registrar (or board)
    /// posts the roll under a CA key of its own, certifies keys for abstainers and registers
    /// credentials it knows. The manifest names the citizen CA, so F_s binds it.
    #[test]
    fn a_roll_must_name_the_manifests_citizen_ca() {
        let mut rng = rand::rng();
        let trustees: Vec<TrusteeSecrets> = (1..=3).map(|i| TrusteeSecrets::new(i, &mut rng)).collect();
        let (ca, rogue) = (SyntheticCaIssuer::generate(&mut rng), SyntheticCaIssuer::generate(&mut rng));
        let roll = |key| {
            Event::Roll(Box::new(Roll {
                styles: Vec::new(),
                ca_key: key,
                count: 1,
                pseudonyms: vec![Pseudonym([1; 32])],
            }))
        };
        for (named, posted, why) in [
            (Some(ca.public().key), rogue.public().key, "not the citizen CA the manifest names"),
            (None, ca.public().key, "names no citizen CA"),
            (Some(ca.public().key), ca.public().key, ""),
        ] {
            let mut manifest = sample();
            manifest.trustees.identities = trustees.iter().map(TrusteeSecrets::identity_key).collect();
            manifest.citizen_ca = named;
            let mut state = LogState::new();
            let board_key = SecretScalar::random(&mut rng).public();
            apply(&mut state, Event::Setup(Box::new(Setup { board_key, manifest }))).unwrap();
            match apply(&mut state, roll(posted)) {
                Err(e) => assert!(!why.is_empty() && e.contains(why), "{e}"),
                Ok(()) => assert!(why.is_empty(), "a roll under the wrong CA was admitted"),
            }
        }
    }

    #[test]
    fn registrations_are_refused_unless_signed_certified_on_the_roll_and_fresh() {
        let mut w = world(3);
        let (p0, k0) = (&w.citizens[0].0, &w.citizens[0].1);
        let good = k0.register(&w.setup, *p0, &secret(), &mut rand::rng());
        let refuse = |state: &mut LogState, r: Registration, why: &str| {
            let err = apply(state, Event::Registration(Box::new(r))).unwrap_err();
            assert!(err.contains(why), "{err} (expected: {why})");
        };
        let mut forged = good.clone();
        forged.signature[0] ^= 1;
        refuse(&mut w.state, forged, "signature does not verify");
        // Signed for another election.
        let elsewhere = k0.sign(&Fingerprint([1; 32]), *p0, good.credential, good.proof);
        refuse(&mut w.state, elsewhere, "signature does not verify");
        // A key certified by another CA (the registrar's own, say).
        let rogue = SyntheticCaIssuer::generate(&mut rand::rng()).issue("iin0", &mut rand::rng());
        refuse(&mut w.state, rogue.register(&w.setup, *p0, &secret(), &mut rand::rng()), "certificate");
        // Not on the roll.
        refuse(
            &mut w.state,
            k0.register(&w.setup, Pseudonym([99; 32]), &secret(), &mut rand::rng()),
            "not on the roll",
        );
        refuse(&mut w.state, k0.sign(&w.setup, *p0, Element::identity(), good.proof), "identity");
        apply(&mut w.state, Event::Registration(Box::new(good.clone()))).unwrap();
        // Two registrations for one pseudonym: the second is refused, even by another key.
        let (p1, k1) = (w.citizens[1].0, &w.citizens[1].1);
        refuse(&mut w.state, k1.register(&w.setup, *p0, &secret(), &mut rand::rng()), "registered already");
        refuse(&mut w.state, good.clone(), "registered already");
        // One citizen key for two roll entries.
        refuse(&mut w.state, k0.register(&w.setup, p1, &secret(), &mut rand::rng()), "another pseudonym");
        // A credential registered already (copied from the board).
        refuse(&mut w.state, k1.sign(&w.setup, p1, good.credential, good.proof), "credential is registered already");
        apply(&mut w.state, Event::Registration(Box::new(k1.register(&w.setup, p1, &secret(), &mut rand::rng()))))
            .unwrap();
        assert_eq!(w.state.registration.registrations(), 2);
        apply(&mut w.state, Event::RegistrationClose).unwrap();
        // After close: no registration, and no second close.
        let (p2, k2) = (w.citizens[2].0, &w.citizens[2].1);
        let late =
            apply(&mut w.state, Event::Registration(Box::new(k2.register(&w.setup, p2, &secret(), &mut rand::rng()))));
        assert!(late.unwrap_err().contains("not allowed after registration closed"));
        assert!(apply(&mut w.state, Event::RegistrationClose).is_err());
    }

    /// The strongest attack on unlinking by a registrant (a voter, or the registrar with a
    /// citizen key it controls): register `k·X_b` for a victim's published `X_b`, then find
    /// the pair `(Y, k·Y)` in the final list. It needs a proof of knowledge of the related
    /// credential's secret, which the attacker cannot make; the victim's proof does not move.
    #[test]
    fn a_related_credential_cannot_be_registered() {
        let mut w = world(2);
        let (pb, kb) = (w.citizens[0].0, &w.citizens[0].1);
        let victim = kb.register(&w.setup, pb, &secret(), &mut rand::rng());
        apply(&mut w.state, Event::Registration(Box::new(victim.clone()))).unwrap();
        let (pa, ka) = (w.citizens[1].0, &w.citizens[1].1);
        let k = curve25519_dalek::scalar::Scalar::from(7u64);
        let related = Element::from_point(victim.credential.point() * k);
        for proof in [victim.proof, ka.register(&w.setup, pa, &secret(), &mut rand::rng()).proof] {
            let attack = ka.sign(&w.setup, pa, related, proof);
            let err = apply(&mut w.state, Event::Registration(Box::new(attack))).unwrap_err();
            assert!(err.contains("proof of knowledge"), "{err}");
        }
        // Without the proof check (a board replaying what it verified) the same event passes:
        // the check, not something else, is what stops it.
        let attack = ka.sign(&w.setup, pa, related, victim.proof);
        assert!(w.state.apply(&Event::Registration(Box::new(attack)), Verification::Trusted).is_ok());
    }

    #[test]
    fn closing_with_no_registration_is_refused() {
        let mut w = world(1);
        assert!(apply(&mut w.state, Event::RegistrationClose).unwrap_err().contains("no registration"));
    }

    #[test]
    fn shuffles_are_refused_unless_proved_signed_chained_and_by_distinct_trustees() {
        let mut w = world(4);
        register_all(&mut w);
        apply(&mut w.state, Event::RegistrationClose).unwrap();
        let params = sample().threshold_params();
        assert!(
            w.state.registration.final_list(params.as_ref().unwrap()).unwrap_err().contains("0 trustee(s) shuffled")
        );
        let refuse = |state: &mut LogState, s: CredentialShuffle, why: &str| {
            let err = apply(state, Event::Shuffle(Box::new(s))).unwrap_err();
            assert!(err.contains(why), "{err} (expected: {why})");
        };
        let first = shuffle_by(&w, 0);
        // Posted in another trustee's name: its signature (and proof context) are trustee 1's.
        let mut renamed = first.clone();
        renamed.shuffler = 2;
        refuse(&mut w.state, renamed, "signature does not verify");
        let mut bad_proof = first.clone();
        bad_proof.proof.s1 += curve25519_dalek::scalar::Scalar::ONE;
        refuse(&mut w.state, bad_proof, "signature does not verify"); // the signature covers the proof
        // A cheating shuffler re-signs what it changed: the proof catches it.
        let resigned = |s: CredentialShuffle, w: &World| resign(w, 0, s);
        let mut dropped = first.clone();
        let mut fewer: Vec<[u8; 32]> = dropped.output.as_slice().to_vec();
        fewer.pop();
        dropped.output = CredentialList::from_encodings(fewer).unwrap();
        let dropped = resigned(dropped, &w);
        refuse(&mut w.state, dropped, "credentials out for");
        let mut replaced = first.clone();
        let mut swapped: Vec<[u8; 32]> = replaced.output.as_slice().to_vec();
        swapped[0] = credential().to_bytes();
        replaced.output = CredentialList::from_encodings(swapped).unwrap();
        let replaced = resigned(replaced, &w);
        refuse(&mut w.state, replaced, "proof");
        // A valid shuffle of another list (a proof reused from elsewhere).
        let other = CredentialList::new((0..4).map(|_| credential()).collect()).unwrap();
        let foreign = w.trustees[0].shuffle(&w.setup, &Element::generator(), &other, &mut rand::rng()).unwrap();
        refuse(&mut w.state, foreign, "proof");
        apply(&mut w.state, Event::Shuffle(Box::new(first))).unwrap();
        // The same trustee twice: refused, so one party cannot make up the minimum alone.
        let again = shuffle_by(&w, 0);
        refuse(&mut w.state, again, "shuffled already");
        assert!(w.state.registration.final_list(params.as_ref().unwrap()).unwrap_err().contains("at least 2"));
        let second = shuffle_by(&w, 1);
        apply(&mut w.state, Event::Shuffle(Box::new(second.clone()))).unwrap();
        let (base, list) = w.state.registration.final_list(params.as_ref().unwrap()).unwrap();
        assert_eq!((base, list.len()), (second.new_base, 4));
        assert!(
            apply(
                &mut w.state,
                Event::Registration(Box::new(w.citizens[0].1.register(
                    &w.setup,
                    w.citizens[0].0,
                    &secret(),
                    &mut rand::rng()
                )))
            )
            .is_err()
        );
    }

    /// One element raised by a different exponent, with a proof made from the honest witness
    /// and the statement changed: the prover never checks, so this plays a cheating shuffler.
    #[test]
    fn one_element_with_another_exponent_is_caught() {
        let mut w = world(3);
        register_all(&mut w);
        apply(&mut w.state, Event::RegistrationClose).unwrap();
        let (base, input) = w.state.registration.input();
        let s = SecretScalar::random(&mut rand::rng());
        let mut raised: Vec<([u8; 32], u32)> = input
            .iter()
            .zip(0u32..)
            .map(|(x, j)| {
                let p = Element::from_bytes("x", x).unwrap();
                (Element::from_point(p.point() * s.expose()).to_bytes(), j)
            })
            .collect();
        let p0 = Element::from_bytes("x", &input.as_slice()[0]).unwrap();
        raised[0].0 = Element::from_point(p0.point() * (s.expose() + curve25519_dalek::scalar::Scalar::ONE)).to_bytes();
        raised.sort();
        let output: Vec<[u8; 32]> = raised.iter().map(|r| r.0).collect();
        let witness =
            ShuffleWitness::new(SecretScalar::new(*s.expose()), raised.iter().map(|r| r.1).collect()).unwrap();
        let new_base = Element::from_point(base.point() * s.expose());
        let context = crate::crypto::shuffle::ShuffleContext { fingerprint: w.setup, shuffler: 1, list: 0 };
        let proof =
            ShuffleProof::prove(&context, &base, input.as_slice(), &new_base, &output, &witness, &mut rand::rng())
                .unwrap();
        let cheat = CredentialShuffle {
            list: 0,
            new_base,
            output: CredentialList::from_encodings(output).unwrap(),
            proof,
            shuffler: 1,
            signature: crate::crypto::schnorr::SchnorrProof {
                commitment: Element::identity(),
                response: Default::default(),
            },
        };
        let cheat = resign(&w, 0, cheat);
        let err = apply(&mut w.state, Event::Shuffle(Box::new(cheat))).unwrap_err();
        assert!(err.contains("proof"), "{err}");
    }

    /// The shuffle signed again by trustee `t` (index into the world's trustees).
    fn resign(w: &World, t: usize, mut s: CredentialShuffle) -> CredentialShuffle {
        let key = w.trustees[t].signing_key();
        s.signature = crate::crypto::schnorr::SchnorrProof::prove(
            crate::crypto::transcript::trustee_event_signature(
                &w.setup,
                s.shuffler,
                "shuffle",
                &s.digest(),
                &key.public(),
            ),
            key,
            &mut rand::rng(),
        );
        s
    }

    #[test]
    fn a_registration_from_the_synthetic_ca_names_its_identity_only_with_the_opening() {
        let w = world(1);
        let keys = &w.citizens[0].1;
        assert!(w.ca.public().check_identity(&keys.citizen, &keys.opening, "iin0").is_ok());
        assert!(w.ca.public().check_identity(&keys.citizen, &keys.opening, "iin1").is_err());
    }
}
