//! Breaking events (`[alerts] breaking_outlets`, `breaking_within`): when
//! copies of one text appear in many outlets within a short time, the story
//! is breaking, whatever the topics say. After a copy joins a group, the
//! distinct feeds that carried it within the period are counted; reaching
//! the rule queues one `breaking` event for the group to every sink.

use std::collections::BTreeSet;

use crate::config::BreakingRule;
use crate::model::{AlertId, Breaking, Event, GroupId, now_rfc3339, rfc3339_secs, unix_now};
use crate::store::{GroupRecord, StoreError};

use super::Context;

/// The distinct feeds of `record`'s members first seen at or after `since`.
fn recent_outlets(record: &GroupRecord, since: u64) -> BTreeSet<String> {
    record
        .members
        .iter()
        .filter(|m| rfc3339_secs(&m.first_seen).is_some_and(|at| at >= since))
        .map(|m| m.feed.clone())
        .collect()
}

/// Queues a breaking event for `group` if it just met the rule and none
/// was queued for it before; returns whether it did.
pub(super) fn check(ctx: &Context, group: &GroupId) -> Result<bool, StoreError> {
    let Some(rule) = ctx.config.borrow().alerts.breaking else {
        return Ok(false);
    };
    // Copies from two feeds can join at once; under the lock that placing
    // takes, only the first sees the group unreported.
    let _placing = ctx.grouping.lock().unwrap_or_else(|e| e.into_inner());
    let Some(mut record) = ctx.store.group(group)? else {
        return Ok(false);
    };
    if record.breaking_reported || record.members.len() < rule.outlets {
        return Ok(false);
    }
    let since = unix_now().saturating_sub(rule.within.as_secs());
    let outlets = recent_outlets(&record, since);
    if outlets.len() < rule.outlets {
        return Ok(false);
    }
    let event = breaking(ctx, &record, &outlets, rule)?;
    // Queued before it is marked: a crash in between sends it twice under
    // one id (which receivers drop), never not at all.
    ctx.store.queue(&Event::Breaking(event), &ctx.sink_names)?;
    ctx.outbox_ready.iter().for_each(|n| n.notify_one());
    record.breaking_reported = true;
    ctx.store.put_group(&record)?;
    tracing::info!(group = %group.0, outlets = outlets.len(), "breaking story; event queued");
    Ok(true)
}

fn breaking(
    ctx: &Context,
    record: &GroupRecord,
    outlets: &BTreeSet<String>,
    rule: BreakingRule,
) -> Result<Breaking, StoreError> {
    let representative = ctx.store.article(&record.representative)?;
    let (title, url) = representative.map_or_else(
        || (String::new(), record.representative.clone()),
        |a| (a.title, a.url),
    );
    Ok(Breaking {
        id: AlertId::for_firing(Breaking::LABEL, &record.id.0),
        group: record.id.clone(),
        story: record.story.clone(),
        title,
        url,
        feeds: outlets.iter().cloned().collect(),
        within_secs: rule.within.as_secs(),
        raised_at: now_rfc3339(),
    })
}
