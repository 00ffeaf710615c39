//! The five seed articles (real coverage of one 2019 KCNA statement and a
//! later one), compiled into the binary and turned into article pages with
//! ordinary site chrome around the story, so the demo needs no network.

/// A seed article: its headline, body paragraphs and the page chrome around it.
#[derive(Debug, Clone)]
pub struct Seed {
    /// The seed's file stem, e.g. `000_492b3f3a1e2b6a54`.
    pub id: &'static str,
    pub title: String,
    pub paragraphs: Vec<String>,
    /// Lines that are not the story (site blurbs, captions, prompts, teasers).
    pub chrome: Vec<String>,
    pub published: &'static str,
}

/// Where each seed's headline and body sit (1-based lines, inclusive), and
/// which lines inside the body are photo captions.
struct Cut {
    id: &'static str,
    text: &'static str,
    title: usize,
    body: (usize, usize),
    captions: &'static [usize],
    published: &'static str,
}

const CUTS: &[Cut] = &[
    Cut {
        id: "000_492b3f3a1e2b6a54",
        text: include_str!("../../seeds/000_492b3f3a1e2b6a54.txt"),
        title: 5,
        body: (10, 30),
        captions: &[],
        published: "2019-10-24T08:10:00Z",
    },
    Cut {
        id: "001_886c5204d1676e86",
        text: include_str!("../../seeds/001_886c5204d1676e86.txt"),
        title: 5,
        body: (11, 60),
        captions: &[15, 16, 32, 33, 47, 48],
        published: "2019-10-24T09:25:00Z",
    },
    Cut {
        id: "002_3dea8673548db76d",
        text: include_str!("../../seeds/002_3dea8673548db76d.txt"),
        title: 5,
        body: (9, 25),
        captions: &[],
        published: "2019-10-24T10:40:00Z",
    },
    Cut {
        id: "003_70b5c2bd2ece4fed",
        text: include_str!("../../seeds/003_70b5c2bd2ece4fed.txt"),
        title: 1,
        body: (7, 27),
        captions: &[],
        published: "2019-11-18T06:05:00Z",
    },
    Cut {
        id: "004_fd1ccbb12aba344c",
        text: include_str!("../../seeds/004_fd1ccbb12aba344c.txt"),
        title: 1,
        body: (4, 16),
        captions: &[],
        published: "2019-11-18T11:30:00Z",
    },
];

/// All five seeds, in order.
pub fn seeds() -> Vec<Seed> {
    CUTS.iter().map(seed).collect()
}

fn seed(cut: &Cut) -> Seed {
    let lines: Vec<&str> = cut.text.lines().collect();
    let mut paragraphs = Vec::new();
    let mut chrome = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() || n == cut.title {
            continue;
        }
        let in_body = (cut.body.0..=cut.body.1).contains(&n) && !cut.captions.contains(&n);
        if in_body {
            paragraphs.push(line.to_string())
        } else {
            chrome.push(line.to_string())
        }
    }
    Seed {
        id: cut.id,
        title: lines
            .get(cut.title - 1)
            .map_or("", |l| l.trim())
            .to_string(),
        paragraphs,
        chrome,
        published: cut.published,
    }
}

/// Escape text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Seed {
    /// The article page: navigation, the story, then the rest of the chrome
    /// as captions, prompts and related links, as news sites lay them out.
    pub fn page(&self) -> String {
        let paragraphs: String = self
            .paragraphs
            .iter()
            .map(|p| format!("<p>{}</p>\n", escape(p)))
            .collect();
        let chrome: String = self
            .chrome
            .iter()
            .map(|c| format!("<li><a href=\"/\">{}</a></li>\n", escape(c)))
            .collect();
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | Seed News</title>\
             <meta property=\"article:published_time\" content=\"{published}\"></head><body>\
             <nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li><li><a href=\"/asia\">Asia</a></li></ul></nav>\
             <main><article><h1>{title}</h1>\n{paragraphs}</article>\
             <aside class=\"related\"><h2>More stories</h2><ul>{chrome}</ul></aside></main>\
             <footer><p>© Seed News. All rights reserved.</p></footer></body></html>",
            title = escape(&self.title),
            published = self.published,
        )
    }

    /// The story as plain text, paragraphs separated by blank lines.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }
}

#[cfg(test)]
mod tests {
    use super::seeds;

    #[test]
    fn every_seed_has_a_title_and_a_body() {
        let seeds = seeds();
        assert_eq!(seeds.len(), 5);
        for seed in &seeds {
            assert!(!seed.title.is_empty(), "{}", seed.id);
            assert!(seed.paragraphs.len() >= 5, "{}", seed.id);
        }
        assert!(
            seeds[0]
                .title
                .starts_with("North Korea: Trump-Kim Relations")
        );
        assert!(seeds[1].paragraphs.iter().all(|p| !p.starts_with("FILE -")));
    }
}
