//! Checks 1.3–1.7: the key ceremony, the trustees' ready events and the opening of voting.
//! Dealings are checked when read, ready events against the ceremony as the log stood when
//! they were posted, the rest when `open` is read.

use super::*;
use crate::crypto::threshold::ThresholdParams;
use crate::crypto::threshold::signed::SeatSigned;

impl Engine<'_> {
    /// The transport keys read so far, by trustee number.
    fn keys_by_trustee(&self) -> Vec<TransportKey> {
        let mut keys = self.transport_keys.clone();
        keys.sort_by_key(|k| k.trustee);
        keys
    }

    /// Why a dealing fails its public checks (protocol §7.2), against the transport keys read
    /// before it; `None` if it passes.
    pub(super) fn dealing_fault(&self, d: &Dealing) -> Option<String> {
        let (setup, setup_fp) = self.setup.as_ref()?;
        let params = setup.manifest.threshold_params().ok()?;
        let keys: Vec<Element> = self.keys_by_trustee().iter().map(|k| k.key).collect();
        d.verify(setup_fp, &params, &keys).err().map(|e| e.to_string()).or_else(|| {
            let key = d.dealer.checked_sub(1).and_then(|i| keys.get(i as usize))?;
            d.verify_signature(setup_fp, key).err().map(|e| e.to_string())
        })
    }

    /// 1.7, for one ready event: bound to the ceremony's outcome as the log stood then, its
    /// proof against that outcome's `VK_j`, not a repeat (as the board admits it).
    pub(super) fn ready(&mut self, index: u64, r: Ready) {
        let Some((setup, setup_fp)) = self.setup.clone() else {
            self.check(Check::KeyShares).fail(Finding::new("fail-ready-without-setup").event(index));
            return;
        };
        let Ok(params) = setup.manifest.threshold_params() else { return };
        let who = |code| Finding::new(code).event(index).trustee(r.trustee);
        self.check(Check::KeyShares).count += 1;
        if params.check_index(r.trustee, "trustee").is_err() {
            self.check(Check::KeyShares).fail(who("fail-ready-not-a-trustee"));
            return;
        }
        let keys = self.keys_by_trustee();
        let valid: Vec<Dealing> = self
            .dealings
            .iter()
            .zip(&self.dealing_faults)
            .filter(|(_, fault)| fault.is_none())
            .map(|(d, _)| d.clone())
            .collect();
        let current = match qualify(&setup_fp, &params, &keys, &valid, &self.complaints, false) {
            Ok(q) => (q.joint_key(), q.verification_key(r.trustee)),
            Err(e) => {
                self.check(Check::KeyShares).fail(who("fail-ready-no-outcome").reason(e));
                return;
            }
        };
        let (joint_key, vk) = current;
        let fault = if r.joint_key != joint_key {
            Some(who("fail-ready-other-key"))
        } else if r.verify(&setup_fp, &vk).is_err() {
            Some(who("fail-ready-proof"))
        } else if let Err(e) = r.verify_signature(&setup_fp, &keys[r.trustee as usize - 1].key) {
            Some(who("fail-ready-signature").reason(e))
        } else if self.readies.iter().any(|(o, v)| o.trustee == r.trustee && o.joint_key == r.joint_key && *v == vk) {
            Some(who("fail-ready-twice"))
        } else {
            None
        };
        match fault {
            Some(f) => self.check(Check::KeyShares).fail(f),
            None => self.readies.push((r, vk)),
        }
    }

    /// Voting opens: the ceremony is checked and the election's parameters fixed. Called only
    /// with a valid manifest (check 1.2).
    pub(super) fn open(&mut self, open: Open) {
        let Some((setup, setup_fp)) = self.setup.clone() else { return };
        let Ok(params) = setup.manifest.threshold_params() else { return };
        self.ceremony_messages(&setup_fp, &params, true);
        // 1.4: the outcome: no repeated dealer, no commitment shared between dealers,
        // complaints judged, enough qualified dealers.
        let ceremony = outcome(&setup_fp, &params, &self.transport_keys, &self.dealings, &self.complaints);
        if let Err(e) = &ceremony {
            self.check(Check::Dealings).fail(Finding::new("fail-ceremony").reason(e));
        }
        if ceremony.is_err() {
            self.check(Check::JointKey).skip(Finding::new("skip-no-ceremony-outcome"));
            self.check(Check::KeyShares).skip(Finding::new("skip-no-ceremony-outcome"));
        }
        // 1.7: every trustee (or, where the operator opened with a quorum, at least t) proved
        // it holds its key share for the final keys.
        if let Ok(ceremony) = &ceremony {
            let ready = crate::log::state::ready_for(&self.readies, &ceremony.joint_key, &ceremony.verification_keys);
            let missing: Vec<u32> = (1..=params.trustees).filter(|j| !ready.contains_key(j)).collect();
            let c = self.check(Check::KeyShares);
            if !missing.is_empty() && !open.quorum {
                c.fail(Finding::new("fail-not-ready").arg("trustees", list(&missing)).arg("missing", missing.len()));
            }
            if ready.len() < params.threshold as usize {
                c.fail(Finding::new("fail-ready-below-threshold").expected(params.threshold).found(ready.len()));
            }
            c.note = Some(if missing.is_empty() {
                Finding::new("note-all-ready").arg("trustees", params.trustees)
            } else {
                Finding::new("note-quorum-ready")
                    .arg("ready", ready.len())
                    .arg("trustees", params.trustees)
                    .arg("missing", list(&missing))
            });
            self.ready = ready;
        }
        // 1.5: the published keys are the ceremony's.
        if let Ok(ceremony) = &ceremony {
            let c = self.check(Check::JointKey);
            c.count = 1 + open.verification_keys.len() as u64;
            if ceremony.joint_key != open.joint_key {
                c.fail(Finding::new("fail-joint-key"));
            }
            if ceremony.verification_keys != open.verification_keys {
                c.fail(Finding::new("fail-verification-keys"));
            }
        }
        if open.joint_key == Element::identity() {
            self.check(Check::JointKey).fail(Finding::new("fail-joint-key-identity"));
        }
        // 1.6: the credential list (and the end of 1.9).
        let in_open = match open.lists(&setup.manifest) {
            Ok(lists) => lists,
            Err(e) => {
                self.check(Check::CredentialList).fail(Finding::new("fail-open-lists").reason(e));
                return;
            }
        };
        let Some(lists) = self.final_credentials(&setup.manifest, in_open) else { return };
        // The lists are moved, not copied: they can hold millions of entries.
        match ElectionParams::with_lists(setup.manifest, open.joint_key, open.verification_keys, lists) {
            Ok(p) => {
                self.all_cast = Some(TallyAccumulator::new(&p.manifest));
                self.params = Some(std::sync::Arc::new(p));
            }
            Err(e @ crate::election::ElectionError::Credential(_)) => {
                self.check(Check::CredentialList).fail(Finding::new("fail-list").reason(e))
            }
            Err(e) => self.check(Check::JointKey).fail(Finding::new("fail-params").reason(e)),
        }
    }

    /// 1.3 and 1.4, message by message: every transport key with its proof, every dealing's
    /// public checks (made when it was read), every complaint as the board admits it. With
    /// `complete`, also that every trustee posted a transport key (when voting opens); without,
    /// as far as the record goes (it stops before voting opens).
    pub(super) fn ceremony_messages(&mut self, setup_fp: &Fingerprint, params: &ThresholdParams, complete: bool) {
        self.transport_keys.sort_by_key(|k| k.trustee);
        let identities: Vec<Element> =
            self.setup.as_ref().map(|(s, _)| s.manifest.trustees.identities.clone()).unwrap_or_default();
        // 1.3: each transport key with its proof and its signature by the seat's identity key
        // (one batch; `items` names each equation).
        {
            let mut batch = BatchVerifier::new();
            let mut items: Vec<(u32, &'static str)> = Vec::new();
            let numbers: Vec<u32> = self.transport_keys.iter().map(|k| k.trustee).collect();
            let expected: Vec<u32> = (1..=params.trustees).collect();
            let keys = self.transport_keys.clone();
            let c = self.check(Check::TransportKeys);
            c.count = keys.len() as u64;
            if complete && numbers != expected {
                c.fail(Finding::new("fail-transport-key-seats").expected(list(&expected)).found(list(&numbers)));
            }
            for (i, k) in keys.iter().enumerate() {
                if k.key == Element::identity() {
                    c.fail(Finding::new("fail-transport-key-identity").trustee(k.trustee));
                }
                if let Some(first) = keys[..i].iter().find(|o| o.key == k.key) {
                    c.fail(Finding::new("fail-transport-key-shared").arg("first", first.trustee).trustee(k.trustee));
                }
                let t = crate::crypto::transcript::transport_key_pok(setup_fp, k.trustee, &k.key);
                k.proof.add_to_batch(t, &k.key, &mut batch);
                items.push((k.trustee, "fail-transport-key-proof"));
                match k.trustee.checked_sub(1).and_then(|i| identities.get(i as usize)) {
                    Some(identity) => match k.add_signature_to_batch(setup_fp, identity, &mut batch) {
                        Ok(()) => items.push((k.trustee, "fail-transport-key-signature")),
                        Err(e) => c.fail(Finding::new("fail-transport-key").trustee(k.trustee).reason(e)),
                    },
                    None => c.fail(Finding::new("fail-seat-without-identity").trustee(k.trustee)),
                }
            }
            if let Err(CryptoError::BatchFailed { failed }) = batch.verify() {
                for i in failed {
                    let (trustee, code) = items[i];
                    c.fail(Finding::new(code).trustee(trustee));
                }
            }
        }
        // 1.4: dealings (public checks: coefficient and ephemeral proofs, made when read).
        {
            let faults: Vec<(u32, String)> = self
                .dealings
                .iter()
                .zip(&self.dealing_faults)
                .filter_map(|(d, f)| f.clone().map(|f| (d.dealer, f)))
                .collect();
            let count = self.dealings.len() as u64;
            let c = self.check(Check::Dealings);
            c.count = count;
            for (dealer, fault) in faults {
                c.fail(Finding::new("fail-dealing").arg("dealer", dealer).reason(fault));
            }
        }
        // Complaints, as the board admits them: from a trustee, with a valid proof, once.
        let complaints = self.complaints.clone();
        let mut seen = std::collections::HashSet::new();
        for complaint in &complaints {
            let who = |code| Finding::new(code).trustee(complaint.recipient).arg("dealer", complaint.dealer);
            let key = self.transport_keys.iter().find(|k| k.trustee == complaint.recipient).map(|k| k.key);
            let share = self
                .dealings
                .iter()
                .find(|d| d.dealer == complaint.dealer)
                .and_then(|d| d.shares.iter().find(|s| s.recipient == complaint.recipient))
                .map(|s| s.ephemeral);
            let fault = match (key, share, &complaint.proof) {
                (Some(key), Some(ephemeral), Some(proof)) => {
                    let t = crate::crypto::transcript::complaint(
                        setup_fp,
                        complaint.dealer,
                        complaint.recipient,
                        &ephemeral,
                        &key,
                        &complaint.shared,
                    );
                    let signature = complaint.verify_signature(setup_fp, &key);
                    match proof.verify(t, &ephemeral, &key, &complaint.shared) {
                        Err(_) => Some("fail-complaint-proof"),
                        Ok(()) if signature.is_err() => Some("fail-complaint-signature"),
                        Ok(()) => None,
                    }
                }
                (Some(_), Some(_), None) => Some("fail-complaint-no-evidence"),
                _ => Some("fail-complaint-unknown"),
            };
            if let Some(code) = fault {
                self.check(Check::Dealings).fail(who(code));
            }
            if !seen.insert((complaint.dealer, complaint.recipient)) {
                self.check(Check::Dealings).fail(who("fail-complaint-posted-twice"));
            }
        }
    }

    /// The ceremony of a record that stops before voting opens: what it holds is checked.
    pub(super) fn ceremony_so_far(&mut self) {
        let Some((setup, setup_fp)) = self.setup.clone() else { return };
        let Ok(params) = setup.manifest.threshold_params() else { return };
        self.ceremony_messages(&setup_fp, &params, false);
    }

    /// 1.6 without a valid manifest: the open event's own list, which needs none (after a roll
    /// the list is the last shuffle's, which needs the trustees' parameters).
    pub(super) fn credential_list(&mut self, open: &Open) {
        let lists: Vec<&crate::election::credential::CredentialList> =
            match (&open.credentials, &open.style_credentials) {
                (Some(list), None) => vec![list],
                (None, Some(lists)) => lists.iter().collect(),
                _ => {
                    let why = self.no_params();
                    self.check(Check::CredentialList).skip(why);
                    return;
                }
            };
        let styles = self.setup.as_ref().map(|(s, _)| super::registration::style_ids(&s.manifest)).unwrap_or_default();
        let c = self.check(Check::CredentialList);
        c.count = lists.iter().map(|l| l.len() as u64).sum();
        for (s, list) in lists.iter().enumerate() {
            if let Err(e) = list.check() {
                c.fail(super::registration::list_finding(&styles, lists.len(), s, e));
            }
        }
        if lists.iter().all(|l| l.is_empty()) {
            c.fail(Finding::new("fail-list-empty"));
        }
    }
}
