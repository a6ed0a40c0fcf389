//! Checks 1.3–1.7: the key ceremony, the trustees' ready events and the opening of voting.
//! Dealings are checked when read, ready events against the ceremony as the log stood when
//! they were posted, the rest when `open` is read.

use super::*;

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
        let (_, setup_fp) = self.setup.as_ref()?;
        let params = self.setup.as_ref()?.0.manifest.threshold_params();
        let keys: Vec<Element> = self.keys_by_trustee().iter().map(|k| k.key).collect();
        d.verify(setup_fp, &params, &keys).err().map(|e| e.to_string())
    }

    /// 1.7, for one ready event: bound to the ceremony's outcome as the log stood then, its
    /// proof against that outcome's `VK_j`, not a repeat (as the board admits it).
    pub(super) fn ready(&mut self, index: u64, r: Ready) {
        let Some((setup, setup_fp)) = self.setup.clone() else {
            self.check(Check::KeyShares).fail(format!("event {index}: a ready event without a setup"));
            return;
        };
        let params = setup.manifest.threshold_params();
        let who = format!("trustee {}'s ready event (event {index})", r.trustee);
        self.check(Check::KeyShares).count += 1;
        if params.check_index(r.trustee, "trustee").is_err() {
            self.check(Check::KeyShares).fail(format!("{who}: not a trustee number"));
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
                self.check(Check::KeyShares).fail(format!("{who}: the ceremony had no outcome yet ({e})"));
                return;
            }
        };
        let (joint_key, vk) = current;
        let fault = if r.joint_key != joint_key {
            Some("it is bound to another joint key than the ceremony's at that point".to_string())
        } else if r.verify(&setup_fp, &vk).is_err() {
            Some("its proof of knowledge of the key share does not verify".to_string())
        } else if self.readies.iter().any(|(o, v)| o.trustee == r.trustee && o.joint_key == r.joint_key && *v == vk) {
            Some("a second ready event for the same keys".to_string())
        } else {
            None
        };
        match fault {
            Some(why) => self.check(Check::KeyShares).fail(format!("{who}: {why}")),
            None => self.readies.push((r, vk)),
        }
    }

    /// Voting opens: the ceremony is checked and the election's parameters fixed.
    pub(super) fn open(&mut self, index: u64, open: crate::log::event::Open) {
        let Some((setup, setup_fp)) = self.setup.clone() else {
            self.check(Check::JointKey).fail(format!("event {index}: voting opens without a setup"));
            return;
        };
        let params = setup.manifest.threshold_params();
        self.transport_keys.sort_by_key(|k| k.trustee);
        // 1.3: transport keys, one per trustee 1..n, each with its proof.
        {
            let mut batch = BatchVerifier::new();
            let numbers: Vec<u32> = self.transport_keys.iter().map(|k| k.trustee).collect();
            let expected: Vec<u32> = (1..=params.trustees).collect();
            let keys = self.transport_keys.clone();
            let c = self.check(Check::TransportKeys);
            c.count = keys.len() as u64;
            if numbers != expected {
                c.fail(format!("transport keys of trustees {numbers:?}, expected {expected:?}"));
            }
            for (i, k) in keys.iter().enumerate() {
                if k.key == Element::identity() {
                    c.fail(format!("trustee {}'s transport key is the identity", k.trustee));
                }
                if let Some(first) = keys[..i].iter().find(|o| o.key == k.key) {
                    c.fail(format!(
                        "trustees {} and {} published the same transport key: one party in two seats",
                        first.trustee, k.trustee
                    ));
                }
                let t = crate::crypto::transcript::transport_key_pok(&setup_fp, k.trustee, &k.key);
                k.proof.add_to_batch(t, &k.key, &mut batch);
            }
            if let Err(CryptoError::BatchFailed { failed }) = batch.verify() {
                for i in failed {
                    c.fail(format!("trustee {}'s proof of knowledge does not verify", keys[i].trustee));
                }
            }
        }
        // 1.4: dealings (public checks: coefficient and ephemeral proofs), no commitment shared
        // between dealers, complaints judged, enough qualified dealers.
        let ceremony = outcome(&setup_fp, &params, &self.transport_keys, &self.dealings, &self.complaints);
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
                c.fail(format!("dealer {dealer}: {fault}"));
            }
            if let Err(e) = &ceremony {
                c.fail(e.to_string());
            }
        }
        // Complaints, as the board admits them: from a trustee, with a valid proof, once.
        let complaints = self.complaints.clone();
        let mut seen = std::collections::HashSet::new();
        for complaint in &complaints {
            let who = format!("complaint by trustee {} about dealer {}", complaint.recipient, complaint.dealer);
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
                        &setup_fp,
                        complaint.dealer,
                        complaint.recipient,
                        &ephemeral,
                        &key,
                        &complaint.shared,
                    );
                    proof.verify(t, &ephemeral, &key, &complaint.shared).err().map(|_| "its proof does not verify")
                }
                (Some(_), Some(_), None) => Some("it has no evidence"),
                _ => Some("no such trustee or dealing"),
            };
            if let Some(why) = fault {
                self.check(Check::Dealings).fail(format!("{who}: {why}"));
            }
            if !seen.insert((complaint.dealer, complaint.recipient)) {
                self.check(Check::Dealings).fail(format!("{who}: posted twice"));
            }
        }
        // 1.7: every trustee (or, where the operator opened with a quorum, at least t) proved
        // it holds its key share for the final keys.
        if let Ok(ceremony) = &ceremony {
            let ready = crate::log::state::ready_for(&self.readies, &ceremony.joint_key, &ceremony.verification_keys);
            let missing: Vec<u32> = (1..=params.trustees).filter(|j| !ready.contains_key(j)).collect();
            let c = self.check(Check::KeyShares);
            if !missing.is_empty() && !open.quorum {
                c.fail(format!(
                    "trustee(s) {missing:?} have no ready event for the final joint key, and voting opened without \
                     the quorum option"
                ));
            }
            if ready.len() < params.threshold as usize {
                c.fail(format!(
                    "only {} trustee(s) ready for the final joint key at open, the threshold is {}",
                    ready.len(),
                    params.threshold
                ));
            }
            c.note = if missing.is_empty() {
                format!("all {} trustees ready for the final joint key", params.trustees)
            } else {
                format!(
                    "opened with a quorum: {} of {} trustees ready for the final joint key, missing {missing:?}",
                    ready.len(),
                    params.trustees
                )
            };
            self.ready = ready;
        }
        // 1.5: the published keys are the ceremony's.
        if let Ok(ceremony) = &ceremony {
            let c = self.check(Check::JointKey);
            c.count = 1 + open.verification_keys.len() as u64;
            if ceremony.joint_key != open.joint_key {
                c.fail("the joint key is not the sum of the qualified dealers' constant terms");
            }
            if ceremony.verification_keys != open.verification_keys {
                c.fail("the verification keys are not those the commitments imply");
            }
        }
        if open.joint_key == Element::identity() {
            self.check(Check::JointKey).fail("the joint key is the identity element");
        }
        // 1.6: the credential list (and the end of 1.9).
        let Some((base, list)) = self.final_credentials(&setup.manifest, open.credentials) else { return };
        // The list is moved, not copied: it can hold millions of entries.
        match ElectionParams::with_base(setup.manifest, open.joint_key, open.verification_keys, list, base) {
            Ok(p) => {
                self.all_cast = Some(TallyAccumulator::new(&p.manifest));
                self.params = Some(std::sync::Arc::new(p));
            }
            Err(e) => self.check(Check::JointKey).fail(e.to_string()),
        }
    }
}
