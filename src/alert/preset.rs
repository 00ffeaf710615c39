//! Sinks for chat and push services (Slack, Discord, Mattermost, ntfy):
//! each event becomes the request the service documents for its incoming
//! webhooks, and goes through the same POST and answer mapping as the
//! generic webhook, so queueing, retries and dead letters work alike.

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};

use super::{DeliveryError, discord, mattermost, ntfy, post, slack};
use crate::config::{PresetConfig, Service};
use crate::model::Event;
use crate::net::HttpClient;

/// A configured preset sink.
pub struct Preset {
    config: PresetConfig,
    client: HttpClient,
}

impl Preset {
    pub fn new(config: PresetConfig, client: HttpClient) -> Preset {
        Preset { config, client }
    }

    pub async fn deliver(&self, sink: &str, event: &Event) -> Result<(), DeliveryError> {
        let (headers, body) = self
            .request(event)
            .map_err(|reason| DeliveryError::new(sink, reason, false))?;
        post::send(&self.client, sink, &self.config.url, headers, body).await
    }

    /// The headers and body `event` is sent with.
    fn request(&self, event: &Event) -> Result<(HeaderMap, Vec<u8>), String> {
        let c = &self.config;
        let json = match c.service {
            Service::Slack => slack::payload(event),
            Service::Discord => discord::payload(event, c.username.as_deref()),
            Service::Mattermost => {
                mattermost::payload(event, c.username.as_deref(), c.channel.as_deref())
            }
            Service::Ntfy => {
                let (pairs, body) = ntfy::request(event, c);
                let mut headers = HeaderMap::new();
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                );
                for (name, value) in pairs {
                    let value =
                        HeaderValue::from_str(&value).map_err(|e| format!("header {name}: {e}"))?;
                    headers.insert(HeaderName::from_static(name), value);
                }
                return Ok((headers, body.into_bytes()));
            }
        };
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let body = serde_json::to_vec(&json).map_err(|e| e.to_string())?;
        Ok((headers, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Alert, AlertId, Digest, GroupId, StoryId};

    fn alert(i: usize) -> Alert {
        Alert {
            id: AlertId(format!("a{i}")),
            topic: "harbours".into(),
            url: format!("https://www.example.org/story-{i}"),
            canonical_url: format!("https://example.org/story-{i}"),
            title: format!("Story {i}: {}", "ünïcode words ".repeat(20)),
            published: None,
            feed: "https://example.org/feed".into(),
            group: GroupId(i as u64),
            story: StoryId::default(),
            snippet: "x".repeat(5000),
            matched: vec!["harbour".into()],
            raised_at: "2026-01-01T00:00:00Z".into(),
        }
    }

    fn digest(n: usize) -> Event {
        let alerts: Vec<Alert> = (0..n).map(alert).collect();
        Event::Digest(Digest {
            id: Digest::id_for("harbours", alerts.iter().map(|a| &a.id)),
            topic: "harbours".into(),
            from: "2026-01-01T00:00:00Z".into(),
            until: "2026-01-01T01:00:00Z".into(),
            alerts,
        })
    }

    fn ntfy_config() -> PresetConfig {
        PresetConfig {
            service: Service::Ntfy,
            url: "https://ntfy.example/t".parse().unwrap(),
            username: None,
            channel: None,
            token: None,
            priority: None,
            tags: vec![],
        }
    }

    #[test]
    fn a_large_digest_stays_within_every_service_limit() {
        let event = digest(500);
        let slack = slack::payload(&event);
        assert!(slack["blocks"].as_array().unwrap().len() <= 50);
        assert!(
            slack["text"]
                .as_str()
                .unwrap()
                .starts_with("500 new stories")
        );
        let discord = discord::payload(&event, None);
        let description = discord["embeds"][0]["description"].as_str().unwrap();
        assert!(description.chars().count() <= discord::DESCRIPTION_MAX);
        assert!(description.starts_with("- [Story 0: "), "{description}");
        assert!(description.ends_with("more"), "{description}");
        let mattermost = mattermost::payload(&event, None, None);
        assert!(mattermost["text"].as_str().unwrap().chars().count() <= 16383);
        let config = ntfy_config();
        let (headers, body) = ntfy::request(&event, &config);
        assert!(body.len() <= 4096);
        assert!(headers.iter().all(|(_, v)| v.is_ascii()));
    }

    #[test]
    fn every_preset_names_a_silent_feed_and_its_last_item() {
        let event = Event::Silence(crate::model::Silence {
            id: AlertId("s1".into()),
            feed: "https://news.example/feed.xml".into(),
            feed_name: Some("Harbour Times – Ålesund".into()),
            last_item_at: "2026-01-01T00:00:00Z".into(),
            expected_within_secs: 8 * 3600,
            raised_at: "2026-01-01T09:00:00Z".into(),
        });
        let slack = slack::payload(&event).to_string();
        let discord = discord::payload(&event, None).to_string();
        let mattermost = mattermost::payload(&event, None, None).to_string();
        for text in [&slack, &discord, &mattermost] {
            assert!(text.contains("Feed silent: Harbour Times"), "{text}");
            assert!(
                text.contains("2026-01-01T00:00:00Z") && text.contains("8h"),
                "{text}"
            );
        }
        let config = ntfy_config();
        let (headers, body) = ntfy::request(&event, &config);
        assert!(body.contains("https://news.example/feed.xml"), "{body}");
        assert!(headers.iter().all(|(_, v)| v.is_ascii()), "{headers:?}");
    }

    #[test]
    fn every_preset_links_a_breaking_story_and_counts_its_outlets() {
        let event = Event::Breaking(crate::model::Breaking {
            id: AlertId("b1".into()),
            group: GroupId(1),
            story: StoryId(1),
            groups: 2,
            title: "Council votes <now> & later".into(),
            url: "https://wire.example/bridge".into(),
            feeds: vec![
                "https://wire.example/feed.xml".into(),
                "https://www.herald.example/rss".into(),
                "https://courier.example/atom".into(),
            ],
            within_secs: 3600,
            raised_at: "2026-01-01T09:00:00Z".into(),
        });
        let slack = slack::payload(&event).to_string();
        assert!(slack.contains("&lt;now&gt; &amp; later"), "{slack}");
        let discord = discord::payload(&event, None);
        assert_eq!(discord["embeds"][0]["url"], "https://wire.example/bridge");
        let mattermost = mattermost::payload(&event, None, None).to_string();
        for text in [&slack, &discord.to_string(), &mattermost] {
            assert!(
                text.contains("Carried by 3 outlets in 2 versions within 1h"),
                "{text}"
            );
            assert!(text.contains("herald.example"), "{text}");
        }
    }

    #[test]
    fn a_single_alert_fits_discord_limits() {
        let event = Event::Alert(alert(1));
        let discord = discord::payload(&event, Some("wirewatch"));
        let embed = &discord["embeds"][0];
        assert!(embed["title"].as_str().unwrap().chars().count() <= discord::TITLE_MAX);
        assert_eq!(
            embed["description"].as_str().unwrap().chars().count(),
            discord::DESCRIPTION_MAX
        );
        assert_eq!(embed["timestamp"], "2026-01-01T00:00:00Z");
    }
}
