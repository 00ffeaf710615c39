//! Fired alerts and the per-sink outbox.
//!
//! Outbox keys are `sink, 0, sequence number`, so each sink's queue is
//! delivered in the order events were raised.

use sled::Transactional;
use sled::transaction::ConflictableTransactionError;

use super::{Store, StoreError, decode, pair};
use crate::model::{Alert, Event};

/// An event waiting in a sink's queue.
#[derive(Debug, Clone)]
pub struct Queued {
    key: Vec<u8>,
    pub event: Event,
}

impl Store {
    /// Record that `alert.topic` fired on `key` (the alert's group, or its
    /// story for topics that fire per story) and queue the alert for each
    /// sink, atomically. Returns false (and writes nothing) when the topic
    /// already fired on that key.
    pub fn fire(&self, alert: &Alert, key: &str, sinks: &[String]) -> Result<bool, StoreError> {
        let fired_key = pair(&alert.topic, key);
        let value = serde_json::to_vec(alert).map_err(StoreError::encode("fired"))?;
        let event = serde_json::to_vec(&Event::Alert(alert.clone()))
            .map_err(StoreError::encode("outbox"))?;
        let keys = self.outbox_keys(sinks)?;
        let result = (&self.fired, &self.outbox).transaction(|(fired, outbox)| {
            if fired.get(&fired_key)?.is_some() {
                return Ok(false);
            }
            fired.insert(fired_key.as_slice(), value.as_slice())?;
            for key in &keys {
                outbox.insert(key.as_slice(), event.as_slice())?;
            }
            Ok::<bool, ConflictableTransactionError<()>>(true)
        });
        result.map_err(|e| StoreError::Transaction(format!("{e:?}")))
    }

    /// The alert `topic` raised on `key`, if it fired.
    pub fn fired_on(&self, topic: &str, key: &str) -> Result<Option<Alert>, StoreError> {
        super::get(&self.fired, "fired", &pair(topic, key))
    }

    /// Queue an event other than an alert (a follow-up) for each sink.
    pub fn queue(&self, event: &Event, sinks: &[String]) -> Result<(), StoreError> {
        let value = serde_json::to_vec(event).map_err(StoreError::encode("outbox"))?;
        let mut batch = sled::Batch::default();
        for key in self.outbox_keys(sinks)? {
            batch.insert(key, value.as_slice());
        }
        self.outbox
            .apply_batch(batch)
            .map_err(StoreError::sled("outbox"))
    }

    fn outbox_keys(&self, sinks: &[String]) -> Result<Vec<Vec<u8>>, StoreError> {
        let seq = self.db.generate_id().map_err(StoreError::sled("outbox"))?;
        Ok(sinks
            .iter()
            .map(|sink| {
                let mut key = pair(sink, "");
                key.extend_from_slice(&seq.to_be_bytes());
                key
            })
            .collect())
    }

    /// Every alert raised so far, in key order.
    pub fn fired(&self) -> impl Iterator<Item = Result<Alert, StoreError>> + '_ {
        self.fired.iter().map(|entry| {
            let (key, value) = entry.map_err(StoreError::sled("fired"))?;
            decode("fired", &key, &value)
        })
    }

    /// Events waiting for delivery to `sink`, oldest first.
    pub fn pending(&self, sink: &str, limit: usize) -> Result<Vec<Queued>, StoreError> {
        self.outbox
            .scan_prefix(pair(sink, ""))
            .take(limit)
            .map(|entry| {
                let (key, value) = entry.map_err(StoreError::sled("outbox"))?;
                let event = decode("outbox", &key, &value)?;
                Ok(Queued {
                    key: key.to_vec(),
                    event,
                })
            })
            .collect()
    }

    /// Remove an event from its sink's queue once the sink acknowledged it.
    pub fn delivered(&self, queued: &Queued) -> Result<(), StoreError> {
        self.outbox
            .remove(&queued.key)
            .map_err(StoreError::sled("outbox"))?;
        Ok(())
    }
}
