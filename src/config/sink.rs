//! Validating `[[sink]]` tables: the type, the keys that type takes (a key
//! another type would use is an error, not silently ignored), URLs, and the
//! body template of a webhook, whose syntax errors are reported at their
//! line in the config file or in the template file, at load time rather
//! than at the first delivery.

use std::path::Path;

use super::raw::{RawSink, SpannedStr};
use super::report::{Problem, Problems};
use super::validate::http_url;
use super::{PresetConfig, Service, SinkConfig, SinkKind, WebhookConfig};

/// The keys each type takes besides `type` and `name`.
const KEYS: &[(&str, &[&str])] = &[
    (
        "webhook",
        &["url", "secret", "template", "template_file", "content_type"],
    ),
    ("log", &[]),
    ("slack", &["url"]),
    ("discord", &["url", "username"]),
    ("mattermost", &["url", "username", "channel"]),
    ("ntfy", &["url", "token", "priority", "tags"]),
];

/// Every sink that is valid; problems of the others are recorded.
pub(super) fn sinks(base: &Path, raw: &[RawSink], p: &mut Problems) -> Vec<SinkConfig> {
    let mut sinks = Vec::new();
    for (i, sink) in raw.iter().enumerate() {
        let kind_name = sink.kind.get_ref().as_str();
        let Some((_, keys)) = KEYS.iter().find(|(name, _)| *name == kind_name) else {
            let names: Vec<&str> = KEYS.iter().map(|(name, _)| *name).collect();
            p.push(
                sink.kind.span(),
                format!(
                    "unknown sink type `{kind_name}`; expected one of: {}",
                    names.join(", ")
                ),
            );
            continue;
        };
        if !foreign_keys(sink, keys, p) {
            continue;
        }
        let kind = match kind_name {
            "log" => Some(SinkKind::Log),
            "webhook" => webhook(base, sink, p).map(SinkKind::Webhook),
            "slack" => preset(Service::Slack, sink, p),
            "discord" => preset(Service::Discord, sink, p),
            "mattermost" => preset(Service::Mattermost, sink, p),
            _ => preset(Service::Ntfy, sink, p),
        };
        let name = sink
            .name
            .as_ref()
            .map_or_else(|| format!("{kind_name}-{}", i + 1), |n| n.get_ref().clone());
        sinks.extend(kind.map(|kind| SinkConfig { name, kind }));
    }
    sinks
}

/// Report keys set on a sink whose type does not take them; true when
/// there are none.
fn foreign_keys(sink: &RawSink, allowed: &[&str], p: &mut Problems) -> bool {
    let spans = [
        ("url", sink.url.as_ref().map(|v| v.span())),
        ("secret", sink.secret.as_ref().map(|v| v.span())),
        ("template", sink.template.as_ref().map(|v| v.span())),
        (
            "template_file",
            sink.template_file.as_ref().map(|v| v.span()),
        ),
        ("content_type", sink.content_type.as_ref().map(|v| v.span())),
        ("username", sink.username.as_ref().map(|v| v.span())),
        ("channel", sink.channel.as_ref().map(|v| v.span())),
        ("token", sink.token.as_ref().map(|v| v.span())),
        ("priority", sink.priority.as_ref().map(|v| v.span())),
        ("tags", sink.tags.as_ref().map(|v| v.span())),
    ];
    let mut clean = true;
    for (key, span) in spans {
        let Some(span) = span.filter(|_| !allowed.contains(&key)) else {
            continue;
        };
        clean = false;
        let takes = match allowed.is_empty() {
            true => "no other keys".to_string(),
            false => allowed.join(", "),
        };
        p.push(
            span,
            format!(
                "`{key}` does not apply to a {} sink (it takes: {takes})",
                sink.kind.get_ref()
            ),
        );
    }
    clean
}

fn url(sink: &RawSink, p: &mut Problems) -> Option<url::Url> {
    match &sink.url {
        Some(url) => http_url(url, p),
        None => {
            p.push(
                sink.kind.span(),
                format!("a {} sink needs `url`", sink.kind.get_ref()),
            );
            None
        }
    }
}

fn webhook(base: &Path, sink: &RawSink, p: &mut Problems) -> Option<WebhookConfig> {
    let url = url(sink, p);
    let template = match (&sink.template, &sink.template_file) {
        (Some(_), Some(file)) => {
            p.push(
                file.span(),
                "give either `template` or `template_file`, not both",
            );
            return None;
        }
        (Some(inline), None) => Some(inline_template(inline, p)?),
        (None, Some(file)) => Some(file_template(base, file, p)?),
        (None, None) => None,
    };
    if template.is_none()
        && let Some(content_type) = &sink.content_type
    {
        p.push(
            content_type.span(),
            "`content_type` applies to a templated body; give `template` or `template_file`",
        );
        return None;
    }
    let content_type = sink
        .content_type
        .as_ref()
        .map_or("application/json", |c| c.get_ref().as_str());
    // A header value is visible ASCII, spaces and tabs (RFC 9110 §5.5).
    let printable = |b: u8| b == b'\t' || (0x20..0x7f).contains(&b);
    if content_type.is_empty() || !content_type.bytes().all(printable) {
        let span = sink.content_type.as_ref().map_or(0..0, |c| c.span());
        p.push(
            span,
            format!("`{content_type}` is not a valid header value"),
        );
        return None;
    }
    Some(WebhookConfig {
        url: url?,
        secret: sink.secret.as_ref().map(|s| s.get_ref().clone()),
        template,
        content_type: content_type.to_string(),
    })
}

/// Why a template does not compile, and at which of its lines (1-based).
fn template_error(source: &str) -> Option<(usize, String)> {
    let env = minijinja::Environment::new();
    let err = env.template_from_str(source).err()?;
    let what = err
        .detail()
        .map_or_else(|| err.kind().to_string(), str::to_string);
    Some((err.line().unwrap_or(1), what))
}

fn inline_template(value: &SpannedStr, p: &mut Problems) -> Option<String> {
    let source = value.get_ref();
    if let Some((line, what)) = template_error(source) {
        let offset = p.offset_of_line_in_string(value.span().start, line);
        p.push_at(offset, format!("bad template (its line {line}): {what}"));
        return None;
    }
    Some(source.clone())
}

fn file_template(base: &Path, value: &SpannedStr, p: &mut Problems) -> Option<String> {
    let path = base.join(value.get_ref());
    let source = match std::fs::read_to_string(&path) {
        Ok(source) => source,
        Err(err) => {
            p.push(
                value.span(),
                format!("cannot read template {}: {err}", path.display()),
            );
            return None;
        }
    };
    if let Some((line, what)) = template_error(&source) {
        p.push_elsewhere(Problem {
            file: path,
            line,
            column: 1,
            message: format!("bad template: {what}"),
        });
        return None;
    }
    Some(source)
}

fn preset(service: Service, sink: &RawSink, p: &mut Problems) -> Option<SinkKind> {
    let url = url(sink, p);
    let text = |v: &Option<SpannedStr>| v.as_ref().map(|v| v.get_ref().clone());
    let priority = match &sink.priority {
        Some(value) => Some(priority(value, p)?),
        None => None,
    };
    let tags = sink
        .tags
        .as_ref()
        .map_or_else(Vec::new, |t| t.get_ref().clone());
    Some(SinkKind::Preset(PresetConfig {
        service,
        url: url?,
        username: text(&sink.username),
        channel: text(&sink.channel),
        token: text(&sink.token),
        priority,
        tags,
    }))
}

/// ntfy's priorities: 1 to 5, or their names.
fn priority(value: &toml::Spanned<toml::Value>, p: &mut Problems) -> Option<u8> {
    let found = match value.get_ref() {
        toml::Value::Integer(n @ 1..=5) => u8::try_from(*n).ok(),
        toml::Value::String(name) => match name.as_str() {
            "1" | "min" => Some(1),
            "2" | "low" => Some(2),
            "3" | "default" => Some(3),
            "4" | "high" => Some(4),
            "5" | "max" | "urgent" => Some(5),
            _ => None,
        },
        _ => None,
    };
    if found.is_none() {
        p.push(
            value.span(),
            format!(
                "`priority` must be 1 to 5 or min, low, default, high, max, urgent; not {}",
                value.get_ref()
            ),
        );
    }
    found
}
