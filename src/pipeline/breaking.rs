//! Breaking events (`[alerts] breaking_outlets`, `breaking_within`): when
//! one story appears in many outlets within a short time, whether as copies
//! of one wire text or as their own write-ups, it is breaking, whatever the
//! topics say. After an article is stored, the distinct feeds that carried
//! any group of its story within the period are counted; reaching the rule
//! queues one `breaking` event for the story to every sink.
//!
//! The mark that a story was reported sits on its groups' records: every
//! group in the story when it is reported is marked, and a story with a
//! marked group is not reported again (a group that joins later finds its
//! marked siblings).

use std::collections::BTreeSet;

use crate::config::BreakingRule;
use crate::model::{AlertId, Article, Breaking, Event, now_rfc3339, rfc3339_secs, unix_now};
use crate::store::{GroupRecord, StoreError};

use super::Context;
use super::grouping::Grouping;

/// The distinct feeds of `record`'s members first seen at or after `since`.
fn recent_outlets(record: &GroupRecord, since: u64) -> BTreeSet<String> {
    record
        .members
        .iter()
        .filter(|m| rfc3339_secs(&m.first_seen).is_some_and(|at| at >= since))
        .map(|m| m.feed.clone())
        .collect()
}

/// Queues a breaking event for `article`'s story if it just met the rule
/// and none was queued for it before; returns whether it did.
pub(super) fn check(
    ctx: &Context,
    grouping: &Grouping,
    article: &Article,
) -> Result<bool, StoreError> {
    let Some(rule) = ctx.config.borrow().alerts.breaking else {
        return Ok(false);
    };
    // Articles are placed one at a time (the placer owns the grouping), so
    // of two copies stored at once only the first sees the story unreported.
    let mut ids = grouping.story_groups(article.story);
    if !ids.contains(&article.group) {
        // A group placed by its exact body can be older than the story index.
        ids.push(article.group);
    }
    let mut records = Vec::with_capacity(ids.len());
    for id in &ids {
        if let Some(record) = ctx.store.group(id)? {
            if record.breaking_reported {
                return Ok(false);
            }
            records.push(record);
        }
    }
    if records.iter().map(|r| r.members.len()).sum::<usize>() < rule.outlets {
        return Ok(false);
    }
    let since = unix_now().saturating_sub(rule.within.as_secs());
    let per_group: Vec<BTreeSet<String>> =
        records.iter().map(|r| recent_outlets(r, since)).collect();
    let outlets: BTreeSet<String> = per_group.iter().flatten().cloned().collect();
    if outlets.len() < rule.outlets {
        return Ok(false);
    }
    // The group carried by the most outlets leads the event.
    let Some((lead, _)) = records
        .iter()
        .zip(&per_group)
        .max_by_key(|(record, outlets)| (outlets.len(), record.members.len()))
    else {
        return Ok(false);
    };
    let event = breaking(ctx, lead, &outlets, records.len(), rule)?;
    // Queued before the groups are marked: a crash in between sends it
    // twice under one id (which receivers drop), never not at all.
    ctx.store.queue(&Event::Breaking(event), &ctx.sink_names)?;
    ctx.outbox_ready.iter().for_each(|n| n.notify_one());
    for mut record in records {
        record.breaking_reported = true;
        ctx.store.put_group(&record)?;
    }
    tracing::info!(story = %article.story, groups = ids.len(), outlets = outlets.len(), "breaking story; event queued");
    Ok(true)
}

fn breaking(
    ctx: &Context,
    lead: &GroupRecord,
    outlets: &BTreeSet<String>,
    groups: usize,
    rule: BreakingRule,
) -> Result<Breaking, StoreError> {
    let representative = ctx.store.article(&lead.representative)?;
    let (title, url) = representative.map_or_else(
        || (String::new(), lead.representative.clone()),
        |a| (a.title, a.url),
    );
    Ok(Breaking {
        id: AlertId::for_firing(Breaking::LABEL, &lead.story.to_string()),
        group: lead.id,
        story: lead.story,
        groups,
        title,
        url,
        feeds: outlets.iter().cloned().collect(),
        within_secs: rule.within.as_secs(),
        raised_at: now_rfc3339(),
    })
}
