//! Turns the chosen containers into paragraphs: block elements and `<br><br>`
//! split paragraphs, whitespace is collapsed, boilerplate containers and
//! paragraphs are dropped, and the edges of the result are trimmed of
//! non-story lines (see `clean::trim_edges`).
//!
//! The walk is a linear scan of the pre-order arena with a stack of the ends
//! of open block elements, so it needs no recursion.

use crate::extract::clean;
use crate::extract::dom::{AUTHOR_BOX, DNode, Dom, EMPH, IN_LINK, META};
use crate::extract::names::Tag;
use crate::extract::score::{Stats, excluded};

/// Text above which an element named like an author box is not one.
const AUTHOR_BOX_CHARS: u32 = 600;

/// What the renderer needs besides the arena.
pub struct Ctx<'s> {
    /// Statistics under the active junk mask.
    pub stats: &'s [Stats],
    /// Candidate scores (`NaN` = none).
    pub score: &'s [f32],
    /// Junk flags to honour.
    pub mask: u16,
    /// Apply Readability's conditional container cleaning.
    pub clean: bool,
    /// The page title: a paragraph repeating it is not body text.
    pub title: Option<&'s str>,
}

/// One rendered paragraph with the character counts the cleaning rules use.
#[derive(Default)]
pub struct Para {
    /// Collapsed text.
    pub text: String,
    /// Characters (whitespace runs count as one).
    pub chars: u32,
    /// Whitespace-separated words (see `words`).
    word_count: u32,
    /// Characters inside links.
    pub link: u32,
    /// Characters of the link(s) the paragraph opens with, before any
    /// other text (a teaser starts with its headline link).
    pub lead_link: u32,
    /// Byte length of `text` at the end of that leading link.
    pub lead_end: usize,
    /// Characters inside dateline/byline elements.
    pub meta: u32,
    /// Characters inside `<em>`/`<i>`/`<small>`.
    pub emph: u32,
    /// The paragraph is a heading.
    pub heading: bool,
    /// The paragraph is a top-level (`<h1>`) heading.
    pub h1: bool,
    /// The paragraph is (part of) a list item.
    pub list: bool,
    /// An image precedes it with no text in between (caption position).
    pub after_img: bool,
    /// Trailing whitespace seen (a space is due before the next word).
    space: bool,
    /// A single `<br>` seen (a line break is due before the next word).
    br: bool,
}

impl Para {
    /// Number of whitespace-separated words.
    pub fn words(&self) -> usize {
        self.word_count as usize
    }

    /// Share of the characters that carry `part`.
    pub fn share(&self, part: u32) -> f32 {
        if self.chars == 0 {
            0.0
        } else {
            part as f32 / self.chars as f32
        }
    }
}

/// Walk state: the paragraph being assembled and the finished ones.
struct Out<'c, 's> {
    ctx: &'c Ctx<'s>,
    cur: Para,
    paras: Vec<Para>,
    /// Open list items around the current position.
    in_li: u32,
    /// An image was seen since the last text.
    img: bool,
    /// A comment section began: nothing after it is the article.
    stopped: bool,
}

/// Renders `roots` (in document order) into cleaned paragraphs.
pub fn render(dom: &Dom, ctx: &Ctx, roots: &[u32]) -> Vec<Para> {
    let mut o = Out {
        ctx,
        cur: Para::default(),
        paras: Vec::new(),
        in_li: 0,
        img: false,
        stopped: false,
    };
    for &root in roots {
        if o.stopped {
            break;
        }
        o.walk(dom, root);
    }
    let mut paras = o.paras;
    clean::trim_edges(&mut paras);
    paras
}

impl Out<'_, '_> {
    /// Emits the subtree of `root`.
    fn walk(&mut self, dom: &Dom, root: u32) {
        let end = dom.nodes[root as usize].end;
        // Ends of open block elements, and whether each is a list item.
        let mut open: Vec<(u32, bool)> = Vec::new();
        let mut i = root;
        while i < end {
            while let Some(&(e, li)) = open.last() {
                if e > i {
                    break;
                }
                open.pop();
                self.flush();
                self.in_li -= u32::from(li);
            }
            let n = &dom.nodes[i as usize];
            if self.opens_comments(dom, i, n) {
                self.stopped = true;
                break;
            }
            if excluded(n, self.ctx.mask) || (i != root && self.dropped(dom, i, n)) {
                if n.tag.is_block() {
                    self.flush();
                }
                i = n.end;
                continue;
            }
            match n.tag {
                Tag::Text => self.push_text(n, self.ctx.stats[i as usize].chars),
                Tag::Br => self.on_br(),
                Tag::Img => self.img = true,
                Tag::Cell => self.cur.space = true,
                t if t.is_block() => {
                    self.flush();
                    self.cur.heading = matches!(t, Tag::Heading(_));
                    self.cur.h1 = t == Tag::Heading(1);
                    let li = t == Tag::Li;
                    self.in_li += u32::from(li);
                    open.push((n.end, li));
                }
                _ => {}
            }
            i += 1;
        }
        for (_, li) in open.drain(..).rev() {
            self.flush();
            self.in_li -= u32::from(li);
        }
        self.flush();
    }

    /// Whether `i` is the heading of a comment section that follows the
    /// story in the same container ("12 Comments", "Leave a Reply"); only
    /// once some story text was seen.
    fn opens_comments(&self, dom: &Dom, i: u32, n: &DNode) -> bool {
        let seen = !self.paras.is_empty() || !self.cur.text.is_empty();
        seen && matches!(n.tag, Tag::Heading(_)) && clean::comments_heading(dom, i)
    }

    /// Conditional removal of a sub-container, author box or
    /// negative-weight heading.
    fn dropped(&self, dom: &Dom, i: u32, n: &DNode) -> bool {
        if !self.ctx.clean {
            return false;
        }
        match n.tag {
            Tag::Heading(_) => n.weight < 0,
            Tag::Img | Tag::Embed | Tag::Input => false,
            // An author box is small; a large element with such a class
            // name is a page wrapper and stays.
            _ if n.flags & AUTHOR_BOX != 0
                && self.ctx.stats[i as usize].chars < AUTHOR_BOX_CHARS =>
            {
                true
            }
            _ => clean::drop_container(dom, self.ctx.stats, self.ctx.score, i),
        }
    }

    /// Appends a text run of `chars` characters, collapsing whitespace.
    fn push_text(&mut self, n: &DNode, chars: u32) {
        let cur = &mut self.cur;
        let t = n.text;
        if t.starts_with(char::is_whitespace) {
            cur.space = true;
        }
        for word in t.split_whitespace() {
            if cur.text.is_empty() {
                cur.after_img = self.img;
                cur.list = self.in_li > 0;
            } else if cur.br {
                cur.text.push('\n');
            } else if cur.space {
                cur.text.push(' ');
            }
            cur.br = false;
            cur.space = true;
            cur.text.push_str(word);
            cur.word_count += 1;
            self.img = false;
        }
        if !t.is_empty() {
            cur.space = t.ends_with(char::is_whitespace);
        }
        if n.flags & IN_LINK != 0 {
            if cur.lead_link == cur.chars {
                cur.lead_link += chars;
                cur.lead_end = cur.text.len();
            }
            cur.link += chars;
        }
        cur.chars += chars;
        if n.flags & META != 0 {
            cur.meta += chars;
        }
        if n.flags & EMPH != 0 {
            cur.emph += chars;
        }
    }

    /// One `<br>` is a line break; two in a row end the paragraph.
    fn on_br(&mut self) {
        if self.cur.br {
            self.flush();
        } else {
            self.cur.br = true;
        }
    }

    /// Closes the current paragraph, keeping it unless it is boilerplate.
    fn flush(&mut self) {
        let para = std::mem::take(&mut self.cur);
        if para.text.is_empty() {
            return;
        }
        // The title repeated in the body (as a heading or a title-styled
        // paragraph) is not body text.
        if para.words() <= 40 && self.ctx.title.is_some_and(|t| same_words(t, &para.text)) {
            return;
        }
        if clean::drop_paragraph(&para) {
            return;
        }
        self.paras.push(para);
    }
}

/// Whether `a` and `b` have the same letters and digits, ignoring case,
/// spacing and punctuation.
fn same_words(a: &str, b: &str) -> bool {
    // Compared lazily: most paragraphs differ from the title at once.
    fn key(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
    }
    key(a).eq(key(b))
}
