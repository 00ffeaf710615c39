//! Alerts held for a digest. A topic with a digest window does not queue its
//! alerts for the sinks; it records "fired" and holds the alert in the
//! `held` tree in one transaction, so a held alert is as durable as a queued
//! one. When the window ends, the held alerts of the topic leave the tree in
//! the same transaction that queues the digest for each sink: a crash either
//! keeps them held (and the digest is made after the restart) or has queued
//! it, never neither.
//!
//! Keys are `topic, 0, sequence number`, so a topic's alerts are read in the
//! order they were raised.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::ConflictableTransactionError;

use super::alerts::Delivery;
use super::{Store, StoreError, decode, pair};
use crate::model::{Alert, Event};

/// An alert waiting for its topic's digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Held {
    pub alert: Alert,
    /// The sinks the topic routed the alert to when it fired.
    pub sinks: Vec<String>,
    /// When it was held, in milliseconds since the Unix epoch.
    pub held_at_ms: u64,
}

/// A held alert with its place in the tree.
#[derive(Debug, Clone)]
pub struct HeldEntry {
    key: Vec<u8>,
    pub held: Held,
}

impl Store {
    /// Record that `held.alert.topic` fired on `key` and hold the alert for
    /// the topic's digest, atomically. Returns false (and writes nothing)
    /// when the topic already fired on that key.
    pub fn fire_held(&self, held: &Held, key: &str) -> Result<bool, StoreError> {
        let fired_key = pair(&held.alert.topic, key);
        let fired_value = serde_json::to_vec(&held.alert).map_err(StoreError::encode("fired"))?;
        let value = serde_json::to_vec(held).map_err(StoreError::encode("held"))?;
        let seq = self.db.generate_id().map_err(StoreError::sled("held"))?;
        let mut held_key = pair(&held.alert.topic, "");
        held_key.extend_from_slice(&seq.to_be_bytes());
        let result = (&self.fired, &self.held).transaction(|(fired, held_tree)| {
            if fired.get(&fired_key)?.is_some() {
                return Ok(false);
            }
            fired.insert(fired_key.as_slice(), fired_value.as_slice())?;
            held_tree.insert(held_key.as_slice(), value.as_slice())?;
            Ok::<bool, ConflictableTransactionError<()>>(true)
        });
        result.map_err(|e| StoreError::Transaction(format!("{e:?}")))
    }

    /// Every held alert, grouped by topic, each topic's in raised order.
    pub fn held(&self) -> Result<BTreeMap<String, Vec<HeldEntry>>, StoreError> {
        let mut topics: BTreeMap<String, Vec<HeldEntry>> = BTreeMap::new();
        for entry in self.held.iter() {
            let (key, value) = entry.map_err(StoreError::sled("held"))?;
            let held: Held = decode("held", &key, &value)?;
            topics
                .entry(held.alert.topic.clone())
                .or_default()
                .push(HeldEntry {
                    key: key.to_vec(),
                    held,
                });
        }
        Ok(topics)
    }

    /// Replace held entries by queued events in one transaction: each
    /// `(event, sink)` is queued and every entry in `entries` is released.
    pub fn release(
        &self,
        entries: &[HeldEntry],
        events: &[(Event, String)],
    ) -> Result<(), StoreError> {
        let mut queued = Vec::with_capacity(events.len());
        for (event, sink) in events {
            let value = serde_json::to_vec(&Delivery::new(event.clone()))
                .map_err(StoreError::encode("outbox"))?;
            let key = self.outbox_keys(std::slice::from_ref(sink))?.remove(0);
            queued.push((key, value));
        }
        let result = (&self.held, &self.outbox).transaction(|(held, outbox)| {
            for entry in entries {
                held.remove(entry.key.as_slice())?;
            }
            for (key, value) in &queued {
                outbox.insert(key.as_slice(), value.as_slice())?;
            }
            Ok::<(), ConflictableTransactionError<()>>(())
        });
        result.map_err(|e| StoreError::Transaction(format!("{e:?}")))
    }

    /// How many alerts are held for digests, over all topics.
    pub fn held_len(&self) -> usize {
        self.held.len()
    }
}
