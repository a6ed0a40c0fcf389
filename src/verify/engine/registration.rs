//! Checks 1.8 (roll and registrations) and 1.9 (credential shuffles), and the final list that
//! check 1.6 and the ballots' check 3.2 use (`specs/verifier.md`).
//!
//! The verifier applies the same admission rules as the board ([`RegistrationState`]); an
//! event the rules refuse fails its check with the reason and changes nothing, so every later
//! event is judged against what was admissible before it.

use std::collections::BTreeMap;

use super::*;
use crate::election::credential::CredentialList;
use crate::election::params::StyleList;
use crate::election::registration::{Registration, Roll};
use crate::election::unlinking::{CredentialShuffle, min_shufflers};
use crate::log::registration::RegistrationState;

impl Engine<'_> {
    pub(super) fn roll(&mut self, index: u64, roll: Roll) {
        if self.registration.roll.is_some() {
            self.check(Check::Registrations).fail(Finding::new("fail-second-roll").event(index));
            return;
        }
        let manifest = self.setup.as_ref().map(|(s, _)| &s.manifest);
        let ca = manifest.and_then(|m| m.citizen_ca);
        let styles = manifest.map(|m| m.styles().iter().map(|s| s.id.to_string()).collect()).unwrap_or_default();
        match self.registration.roll(&roll, ca.as_ref(), styles) {
            Ok(()) => self.bounds = self.bounds.clone().with_roll(roll.count),
            Err(e) => self.check(Check::Registrations).fail(Finding::new("fail-roll").event(index).reason(e)),
        }
    }

    pub(super) fn registration(&mut self, index: u64, r: Registration) {
        self.check(Check::Registrations).count += 1;
        let Some((_, setup)) = &self.setup else { return };
        let setup = *setup;
        if self.registration.roll.is_none() {
            self.check(Check::Registrations).fail(Finding::new("fail-registration-without-roll").event(index));
            return;
        }
        let full = !self.proven_covers(index, Check::Registrations);
        if let Err(e) = self.registration.registration(&setup, &r, full) {
            self.check(Check::Registrations).fail(Finding::new("fail-registration").event(index).reason(e));
            self.proof_failures.push(index);
        }
    }

    pub(super) fn registration_close(&mut self, index: u64) {
        if let Err(e) = self.registration.close() {
            self.check(Check::Registrations).fail(Finding::new("fail-registration-close").event(index).reason(e));
        }
    }

    /// Called only with a valid manifest (check 1.2): the shufflers are its trustees.
    pub(super) fn shuffle(&mut self, index: u64, s: CredentialShuffle) {
        self.check(Check::Shuffles).count += 1;
        let Some((setup, fp)) = &self.setup else { return };
        let fp = *fp;
        let Ok(params) = setup.manifest.threshold_params() else { return };
        let mut keys = BTreeMap::new();
        for k in &self.transport_keys {
            keys.entry(k.trustee).or_insert_with(|| k.clone());
        }
        let full = !self.proven_covers(index, Check::Shuffles);
        if let Err(e) = self.registration.shuffle(&fp, &params, &keys, &s, full) {
            self.check(Check::Shuffles).fail(Finding::new("fail-shuffle").event(index).trustee(s.shuffler).reason(e));
            self.proof_failures.push(index);
        }
    }

    /// Check 1.6 and the end of 1.9: per ballot style, the list and base voting opens with.
    /// With a roll, each style's last shuffle's output (the open event carries none), from at
    /// least the minimum number of distinct shufflers, with as many credentials as the style's
    /// registrations; without one, the open event's lists under `g`.
    pub(super) fn final_credentials(
        &mut self,
        manifest: &Manifest,
        in_open: Option<Vec<CredentialList>>,
    ) -> Option<Vec<StyleList>> {
        let registrations = self.registration.registrations_per_style();
        let has_roll = self.registration.roll.is_some();
        let Ok(params) = manifest.threshold_params() else { return None };
        let shuffled = self.registration.final_lists(&params);
        let c = self.check(Check::CredentialList);
        match (in_open, has_roll) {
            (Some(_), false) if manifest.citizen_ca.is_some() => {
                c.fail(Finding::new("fail-list-unregistered-with-ca"));
                None
            }
            (Some(lists), false) => {
                c.count = lists.iter().map(|l| l.len() as u64).sum();
                for (s, list) in lists.iter().enumerate() {
                    if let Err(e) = list.check() {
                        c.fail(list_finding(&style_ids(manifest), lists.len(), s, e));
                    }
                }
                if lists.iter().all(CredentialList::is_empty) {
                    c.fail(Finding::new("fail-list-empty"));
                }
                c.note = Some(Finding::new("note-list-unregistered"));
                Some(
                    lists
                        .into_iter()
                        .map(|credentials| StyleList { credentials, base: Element::generator() })
                        .collect(),
                )
            }
            (Some(_), true) => {
                c.fail(Finding::new("fail-list-in-open-after-registration"));
                None
            }
            (None, false) => {
                c.fail(Finding::new("fail-no-list"));
                None
            }
            (None, true) => match shuffled {
                Ok(lists) => {
                    c.count = lists.iter().map(|(_, l)| l.len() as u64).sum();
                    for (s, ((_, list), registered)) in lists.iter().zip(&registrations).enumerate() {
                        if list.len() as u64 != *registered {
                            let id = style_ids(manifest).get(s).cloned().unwrap_or_else(|| s.to_string());
                            c.fail(
                                Finding::new("fail-final-list-size")
                                    .arg("list", id)
                                    .expected(*registered)
                                    .found(list.len()),
                            );
                        }
                    }
                    Some(lists.into_iter().map(|(base, credentials)| StyleList { credentials, base }).collect())
                }
                Err(e) => {
                    let need = min_shufflers(&params);
                    self.check(Check::Shuffles)
                        .fail(Finding::new("fail-shuffles-at-open").arg("minimum", need).reason(e));
                    self.check(Check::CredentialList).fail(Finding::new("fail-no-final-list"));
                    None
                }
            },
        }
    }
}

impl Engine<'_> {
    /// 1.8 and 1.9 at the end of the record: what they say when they had nothing to check, or
    /// could not run.
    pub(super) fn finish_registration(&mut self) {
        if self.registration.roll.is_none() {
            for c in [Check::Registrations, Check::Shuffles] {
                if self.check(c).count == 0 {
                    self.check(c).note = Some(Finding::new("note-no-roll"));
                }
            }
            return;
        }
        if !self.manifest_valid {
            let why = self.no_params();
            self.check(Check::Shuffles).skip(why);
        } else if self.opened.is_none() {
            let why = self.no_open();
            self.check(Check::Shuffles).skip(why);
        }
        let registrations = self.registration.registrations();
        let Some(roll) = self.registration.roll.as_ref() else { return };
        // Nothing in the setup names the CA (protocol §14.6): the note shows the key the
        // certificates were checked under, for an observer to compare with the CA's own.
        let (count, ca) = (roll.count, crate::crypto::group::to_hex(&roll.ca_key));
        // A voter's anonymity set is its style's list (protocol §14.4): the smallest is shown.
        let per_style = self.registration.registrations_per_style();
        let smallest = per_style.iter().enumerate().filter(|(_, n)| **n > 0).min_by_key(|(_, n)| **n);
        let note = match smallest {
            Some((style, n)) if per_style.len() > 1 => Finding::new("note-registered-styles")
                .arg("fewest", *n)
                .arg("style", self.registration.styles()[style].as_str()),
            _ => Finding::new("note-registered"),
        };
        let note = note.arg("registered", registrations).arg("roll", count).arg("ca", ca);
        self.check(Check::Registrations).note = Some(note);
    }
}

/// Kept with the engine: the registration state as the board keeps it.
pub(super) type State = RegistrationState;

/// A credential list's own fault (1.6): which ballot style's list, where there are several.
pub(super) fn list_finding(styles: &[String], lists: usize, style: usize, e: impl std::fmt::Display) -> Finding {
    if lists < 2 {
        return Finding::new("fail-list").reason(e);
    }
    let id = styles.get(style).cloned().unwrap_or_else(|| style.to_string());
    Finding::new("fail-style-list").arg("list", id).reason(e)
}

/// The manifest's ballot style ids, in order.
pub(super) fn style_ids(manifest: &Manifest) -> Vec<String> {
    manifest.styles().iter().map(|s| s.id.to_string()).collect()
}
