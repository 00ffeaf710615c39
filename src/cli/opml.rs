//! `wirewatch feeds import` / `export`: the feed list to and from OPML, the
//! format feed readers exchange subscriptions in. Import prints `[[feed]]`
//! tables to add to the config (the config stays the user's file, never
//! rewritten behind their back); export prints the config's feeds as OPML.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use quick_xml::escape::escape;
use wirewatch::config::Config;
use wirewatch::parse::opml::parse_opml;

/// Prints every feed of an OPML file as a `[[feed]]` table.
pub fn import(file: &Path) -> anyhow::Result<()> {
    let xml =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let feeds = parse_opml(&file.display().to_string(), None, &xml)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "# {} feeds imported from {}",
        feeds.len(),
        file.display()
    )?;
    for feed in feeds {
        writeln!(out, "\n[[feed]]\nurl = {}", toml_string(feed.url.as_str()))?;
        if let Some(title) = feed.title.filter(|t| !t.trim().is_empty()) {
            writeln!(out, "name = {}", toml_string(title.trim()))?;
        }
    }
    Ok(out.flush()?)
}

/// Prints the config's `[[feed]]`s as an OPML 2.0 document.
pub fn export(config: &Config) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<opml version="2.0">"#)?;
    writeln!(
        out,
        "  <head><title>wirewatch feeds</title></head>\n  <body>"
    )?;
    for feed in &config.feeds {
        let title = feed.name.as_deref().unwrap_or(feed.url.as_str());
        writeln!(
            out,
            r#"    <outline type="rss" text="{0}" title="{0}" xmlUrl="{1}"/>"#,
            escape(title),
            escape(feed.url.as_str())
        )?;
    }
    writeln!(out, "  </body>\n</opml>")?;
    Ok(out.flush()?)
}

/// A TOML basic string with every needed escape.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
