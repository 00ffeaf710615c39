//! Fired alerts, the per-sink outbox and the dead-letter tree.
//!
//! Outbox and dead-letter keys are `sink, 0, sequence number`, so each
//! sink's queue reads oldest first. A value is a
//! `Delivery`: the event and how its delivery has gone so far.

use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::ConflictableTransactionError;

use super::{Store, StoreError, decode, pair};
use crate::model::{Alert, Event};

/// An event on its way to one sink.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub event: Event,
    /// Failed attempts so far.
    #[serde(default)]
    pub attempts: u32,
    /// Unix time of the first failed attempt.
    #[serde(default)]
    pub failing_since: Option<u64>,
    /// Why the last attempt failed.
    #[serde(default)]
    pub last_error: Option<String>,
    /// Unix time of the next attempt on the event's own schedule (a
    /// receiver that is down is probed sooner, and a start tries at once).
    #[serde(default)]
    pub next_attempt: Option<u64>,
}

impl Delivery {
    pub(super) fn new(event: Event) -> Delivery {
        Delivery {
            event,
            attempts: 0,
            failing_since: None,
            last_error: None,
            next_attempt: None,
        }
    }
}

/// A delivery waiting in a sink's queue (or among the dead letters).
#[derive(Debug, Clone)]
pub struct Queued {
    key: Vec<u8>,
    pub delivery: Delivery,
}

impl Queued {
    /// Its key in the outbox: unique, and in the order events were raised.
    pub fn key(&self) -> &[u8] {
        &self.key
    }

    /// The sink the delivery is for.
    pub fn sink(&self) -> String {
        let name = self.key.split(|b| *b == 0).next().unwrap_or_default();
        String::from_utf8_lossy(name).into_owned()
    }
}

impl Store {
    /// Record that `alert.topic` fired on `key` (the alert's group, or its
    /// story for topics that fire per story) and queue the alert for each
    /// sink, atomically. Returns false (and writes nothing) when the topic
    /// already fired on that key.
    pub fn fire(&self, alert: &Alert, key: &str, sinks: &[String]) -> Result<bool, StoreError> {
        let fired_key = pair(&alert.topic, key);
        let value = serde_json::to_vec(alert).map_err(StoreError::encode("fired"))?;
        let delivery = Delivery::new(Event::Alert(alert.clone()));
        let queued = serde_json::to_vec(&delivery).map_err(StoreError::encode("outbox"))?;
        let keys = self.outbox_keys(sinks)?;
        let result = (&self.fired, &self.outbox).transaction(|(fired, outbox)| {
            if fired.get(&fired_key)?.is_some() {
                return Ok(false);
            }
            fired.insert(fired_key.as_slice(), value.as_slice())?;
            for key in &keys {
                outbox.insert(key.as_slice(), queued.as_slice())?;
            }
            Ok::<bool, ConflictableTransactionError<()>>(true)
        });
        let fired = result.map_err(|e| StoreError::Transaction(format!("{e:?}")))?;
        if fired {
            self.durable("fired")?;
        }
        Ok(fired)
    }

    /// Wait until every write so far is on disk. Called once an event is
    /// queued: a receiver may have it a few milliseconds later, and a
    /// kill -9 must not make the daemon forget that it raised it (and then
    /// raise it again, or not at all). Events are few; the cost is one
    /// fsync each.
    fn durable(&self, tree: &'static str) -> Result<(), StoreError> {
        self.db.flush().map_err(StoreError::sled(tree))?;
        Ok(())
    }

    /// After group `from` merged into `into`: if `topic` fired on `from`
    /// and not on `into`, record it as fired on `into` too (nothing is
    /// queued), so that the merged group does not alert again. Returns
    /// whether it recorded one.
    pub fn carry_fired(
        &self,
        topic: &str,
        from: crate::model::GroupId,
        into: crate::model::GroupId,
    ) -> Result<bool, StoreError> {
        let Some(mut alert) = self.fired_on(topic, &from.to_string())? else {
            return Ok(false);
        };
        alert.group = into;
        let into = into.to_string();
        let value = serde_json::to_vec(&alert).map_err(StoreError::encode("fired"))?;
        let swapped = self
            .fired
            .compare_and_swap(pair(topic, &into), None as Option<&[u8]>, Some(value))
            .map_err(StoreError::sled("fired"))?;
        Ok(swapped.is_ok())
    }

    /// The alert `topic` raised on `key`, if it fired.
    pub fn fired_on(&self, topic: &str, key: &str) -> Result<Option<Alert>, StoreError> {
        super::get(&self.fired, "fired", &pair(topic, key))
    }

    /// Queue an event other than an alert (a follow-up) for each sink.
    pub fn queue(&self, event: &Event, sinks: &[String]) -> Result<(), StoreError> {
        let value = serde_json::to_vec(&Delivery::new(event.clone()))
            .map_err(StoreError::encode("outbox"))?;
        let mut batch = sled::Batch::default();
        for key in self.outbox_keys(sinks)? {
            batch.insert(key, value.as_slice());
        }
        self.outbox
            .apply_batch(batch)
            .map_err(StoreError::sled("outbox"))?;
        self.durable("outbox")
    }

    pub(super) fn outbox_keys(&self, sinks: &[String]) -> Result<Vec<Vec<u8>>, StoreError> {
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

    /// Deliveries waiting for `sink`, oldest first.
    pub fn pending(&self, sink: &str, limit: usize) -> Result<Vec<Queued>, StoreError> {
        scan(&self.outbox, "outbox", &pair(sink, ""), limit)
    }

    /// Deliveries queued for every sink, in sink then raised order.
    pub fn outbox_len(&self) -> usize {
        self.outbox.len()
    }

    /// Deliveries waiting for `sink`.
    pub fn outbox_depth(&self, sink: &str) -> usize {
        self.outbox.scan_prefix(pair(sink, "")).count()
    }

    /// Remove a delivery from its sink's queue once the sink acknowledged it.
    pub fn delivered(&self, queued: &Queued) -> Result<(), StoreError> {
        self.outbox
            .remove(&queued.key)
            .map_err(StoreError::sled("outbox"))?;
        Ok(())
    }

    /// Record a failed attempt; the delivery stays in its queue.
    pub fn failed(&self, queued: &Queued) -> Result<(), StoreError> {
        let value = serde_json::to_vec(&queued.delivery).map_err(StoreError::encode("outbox"))?;
        self.outbox
            .insert(&queued.key, value)
            .map_err(StoreError::sled("outbox"))?;
        Ok(())
    }

    /// Move a delivery that ran out of retries to the dead letters, atomically.
    pub fn bury(&self, queued: &Queued) -> Result<(), StoreError> {
        let value = serde_json::to_vec(&queued.delivery).map_err(StoreError::encode("dead"))?;
        let result = (&self.outbox, &self.dead).transaction(|(outbox, dead)| {
            outbox.remove(queued.key.as_slice())?;
            dead.insert(queued.key.as_slice(), value.as_slice())?;
            Ok::<(), ConflictableTransactionError<()>>(())
        });
        result.map_err(|e| StoreError::Transaction(format!("{e:?}")))
    }

    /// Dead letters of every sink (or of one), oldest first.
    pub fn dead(&self, sink: Option<&str>) -> Result<Vec<Queued>, StoreError> {
        let prefix = sink.map(|s| pair(s, "")).unwrap_or_default();
        scan(&self.dead, "dead", &prefix, usize::MAX)
    }

    /// Put dead letters (of one sink, or all) back at the end of their
    /// sinks' queues with a fresh retry budget; returns how many.
    pub fn replay(&self, sink: Option<&str>) -> Result<usize, StoreError> {
        let dead = self.dead(sink)?;
        for queued in &dead {
            let value = serde_json::to_vec(&Delivery::new(queued.delivery.event.clone()))
                .map_err(StoreError::encode("outbox"))?;
            let key = self.outbox_keys(&[queued.sink()])?.remove(0);
            let result = (&self.outbox, &self.dead).transaction(|(outbox, dead)| {
                dead.remove(queued.key.as_slice())?;
                outbox.insert(key.as_slice(), value.as_slice())?;
                Ok::<(), ConflictableTransactionError<()>>(())
            });
            result.map_err(|e| StoreError::Transaction(format!("{e:?}")))?;
        }
        Ok(dead.len())
    }
}

fn scan(
    tree: &sled::Tree,
    name: &'static str,
    prefix: &[u8],
    limit: usize,
) -> Result<Vec<Queued>, StoreError> {
    tree.scan_prefix(prefix)
        .take(limit)
        .map(|entry| {
            let (key, value) = entry.map_err(StoreError::sled(name))?;
            Ok(Queued {
                delivery: decode(name, &key, &value)?,
                key: key.to_vec(),
            })
        })
        .collect()
}
