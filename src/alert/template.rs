//! Webhook bodies from a user's minijinja template. The template sees the
//! event's own fields (as in the JSON body) plus conveniences: `site` (the
//! article's host), `terms` (the matched query terms), and for a follow-up
//! the copy's `url`, `title`, `feed` and `published` at the top level; a
//! digest's `alerts` carry `site` and `terms` too, and `count` says how
//! many there are. Output is not escaped: a JSON template uses the
//! `tojson` filter for strings.

use minijinja::Environment;
use minijinja::value::{Serde, Value};
use serde_json::{Map, Value as Json, json};

use super::text::site_of;
use crate::model::{Alert, Event};

/// The name the template is registered under in its environment.
const NAME: &str = "body";

/// A compiled body template.
pub struct Template {
    env: Result<Environment<'static>, String>,
}

impl Template {
    /// Compile `source`. The config loader already checked its syntax, so
    /// a failure here is kept and reported by every delivery.
    pub fn new(source: &str) -> Template {
        let mut env = Environment::new();
        let env = env
            .add_template_owned(NAME, source.to_string())
            .map(|()| env)
            .map_err(|e| e.to_string());
        Template { env }
    }

    /// The body for `event`.
    pub fn render(&self, event: &Event) -> Result<String, String> {
        let env = self.env.as_ref().map_err(Clone::clone)?;
        let template = env.get_template(NAME).map_err(|e| e.to_string())?;
        template
            .render(Value::from(Serde(context(event))))
            .map_err(|e| e.to_string())
    }
}

/// The variables a template sees for `event`.
pub fn context(event: &Event) -> Json {
    let mut fields = match serde_json::to_value(event) {
        Ok(Json::Object(map)) => map,
        _ => Map::new(),
    };
    match event {
        Event::Alert(alert) => add_alert_extras(&mut fields, alert),
        Event::FollowUp(follow) => {
            let a = &follow.article;
            fields.insert("url".into(), json!(a.url));
            fields.insert("canonical_url".into(), json!(a.canonical_url));
            fields.insert("title".into(), json!(a.title));
            fields.insert("feed".into(), json!(a.feed));
            fields.insert("published".into(), json!(a.published));
            fields.insert("site".into(), json!(site_of(&a.url)));
        }
        Event::Digest(digest) => {
            let alerts: Vec<Json> = digest
                .alerts
                .iter()
                .map(|alert| {
                    let mut map = match serde_json::to_value(alert) {
                        Ok(Json::Object(map)) => map,
                        _ => Map::new(),
                    };
                    add_alert_extras(&mut map, alert);
                    Json::Object(map)
                })
                .collect();
            fields.insert("count".into(), json!(alerts.len()));
            fields.insert("alerts".into(), Json::Array(alerts));
        }
        // Its fields (feed, last_item_at, …) are in the event itself.
        Event::Silence(_) | Event::Breaking(_) => {}
    }
    Json::Object(fields)
}

fn add_alert_extras(fields: &mut Map<String, Json>, alert: &Alert) {
    fields.insert("site".into(), json!(site_of(&alert.url)));
    fields.insert("terms".into(), json!(alert.matched));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AlertId, GroupId, StoryId};

    fn alert() -> Alert {
        Alert {
            id: AlertId("abc".into()),
            topic: "bridges".into(),
            url: "https://www.example.org/a".into(),
            canonical_url: "https://example.org/a".into(),
            title: "A \"quoted\" title".into(),
            published: None,
            feed: "https://example.org/feed".into(),
            group: GroupId(7),
            story: StoryId(7),
            snippet: String::new(),
            matched: vec!["bridge".into(), "harbour".into()],
            raised_at: "2026-01-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn renders_event_fields_and_conveniences() {
        let template = Template::new(
            r#"{"t": {{ title|tojson }}, "site": "{{ site }}", "terms": "{{ terms|join(",") }}", "e": "{{ event }}"}"#,
        );
        let body = template.render(&Event::Alert(alert())).expect("renders");
        let value: Json = serde_json::from_str(&body).expect("valid JSON");
        assert_eq!(value["t"], "A \"quoted\" title");
        assert_eq!(value["site"], "example.org");
        assert_eq!(value["terms"], "bridge,harbour");
        assert_eq!(value["e"], "alert");
    }

    #[test]
    fn a_broken_template_fails_every_delivery_with_its_reason() {
        let template = Template::new("{{ title ");
        let err = template.render(&Event::Alert(alert())).unwrap_err();
        assert!(err.contains("syntax error"), "{err}");
    }
}
