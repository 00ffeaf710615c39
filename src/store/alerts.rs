//! Fired alerts and the per-sink outbox.

use sled::Transactional;
use sled::transaction::ConflictableTransactionError;

use super::{Store, StoreError, decode, pair};
use crate::model::Alert;

impl Store {
    /// Record that `alert.topic` fired on `alert.group` and queue the alert for
    /// each sink, atomically. Returns false (and writes nothing) when the topic
    /// already fired on that group.
    pub fn fire(&self, alert: &Alert, sinks: &[String]) -> Result<bool, StoreError> {
        let fired_key = pair(&alert.topic, &alert.group.0);
        let value = serde_json::to_vec(alert).map_err(StoreError::encode("fired"))?;
        let result = (&self.fired, &self.outbox).transaction(|(fired, outbox)| {
            if fired.get(&fired_key)?.is_some() {
                return Ok(false);
            }
            fired.insert(fired_key.as_slice(), value.as_slice())?;
            for sink in sinks {
                outbox.insert(pair(sink, &alert.id.0), value.as_slice())?;
            }
            Ok::<bool, ConflictableTransactionError<()>>(true)
        });
        result.map_err(|e| StoreError::Transaction(format!("{e:?}")))
    }

    /// Every alert raised so far, in key order.
    pub fn fired(&self) -> impl Iterator<Item = Result<Alert, StoreError>> + '_ {
        self.fired.iter().map(|entry| {
            let (key, value) = entry.map_err(StoreError::sled("fired"))?;
            decode("fired", &key, &value)
        })
    }

    /// Alerts waiting for delivery to `sink`, oldest key first.
    pub fn pending(&self, sink: &str, limit: usize) -> Result<Vec<Alert>, StoreError> {
        let prefix = pair(sink, "");
        self.outbox
            .scan_prefix(prefix)
            .take(limit)
            .map(|entry| {
                let (key, value) = entry.map_err(StoreError::sled("outbox"))?;
                decode("outbox", &key, &value)
            })
            .collect()
    }

    /// Remove an alert from a sink's queue once the sink acknowledged it.
    pub fn delivered(&self, sink: &str, alert: &Alert) -> Result<(), StoreError> {
        self.outbox
            .remove(pair(sink, &alert.id.0))
            .map_err(StoreError::sled("outbox"))?;
        Ok(())
    }
}
