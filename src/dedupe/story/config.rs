//! The tunables of story clustering and why they have their defaults.

/// Tunables of story clustering.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryConfig {
    /// Seconds after a story's newest member during which it attracts
    /// write-ups of its event (default 48 h: outlets write up one event
    /// within a day or two; a later statement on the same topic is a new
    /// story).
    pub window_secs: u64,
    /// Minimal link score between a new group and a member of a story: the
    /// cosine of their vectors plus the quotation bonus (default 0.38).
    pub threshold: f32,
    /// What shared quotations add to the cosine at most (default 0.25).
    /// Write-ups of one statement quote the same sentences of it; a later
    /// statement on the same topic is quoted in other words, however
    /// similar the vocabulary around the quotes.
    pub quote_bonus: f32,
    /// Shared quotation shingles (runs of four quoted words) that earn the
    /// whole bonus (default 12, one shared quoted sentence); fewer earn a
    /// proportional part.
    pub quote_shingles: usize,
    /// Minimal cosine between a new group and a story of two or more
    /// members as a whole (the sum of their vectors; default 0.20). A group that resembles one
    /// member but not the rest does not extend the story, so stories do
    /// not drift from one event to the next through single links.
    pub centroid_threshold: f32,
    /// Minimal number of distinctive names or numbers (capitalised words
    /// inside a sentence, runs of them, numbers) that a new group shares
    /// with the member it joins (default 2). Function words are never
    /// capitalised inside a sentence, so texts in one language do not join
    /// for sharing them.
    pub min_shared_names: usize,
    /// Terms kept per group (default 40).
    pub terms: usize,
    /// Terms per group entered in the inverted index (default 12).
    pub index_terms: usize,
    /// Words of the body read after the title (default 150).
    pub lead_words: usize,
    /// Weight of a title word relative to a body word (default 3).
    pub title_weight: f32,
    /// Weight of a name in the lead relative to another word (default 2):
    /// names say more about the event than the words around them.
    pub name_weight: f32,
    /// Groups a term may index before it is skipped as too common (default 256).
    pub posting_cap: usize,
    /// Document count at which the frequency table is halved (default 100,000).
    pub df_horizon: u32,
    /// Terms found in more than this share of documents are function words
    /// of some language and ignored (default 0.08), once at least
    /// [`StoryConfig::df_min_docs`] documents are counted and if in more
    /// than [`StoryConfig::stop_min_df`] of them.
    pub stop_share: f32,
    /// Documents a function word is in at least (default 6; see
    /// [`StoryConfig::stop_share`]).
    pub stop_min_df: u32,
    /// Documents counted before [`StoryConfig::stop_share`] applies
    /// (default 10).
    pub df_min_docs: u32,
}

impl Default for StoryConfig {
    fn default() -> StoryConfig {
        StoryConfig {
            window_secs: 48 * 3600,
            threshold: 0.38,
            quote_bonus: 0.25,
            quote_shingles: 12,
            centroid_threshold: 0.20,
            min_shared_names: 2,
            terms: 40,
            index_terms: 12,
            lead_words: 150,
            title_weight: 3.0,
            name_weight: 2.0,
            posting_cap: 256,
            df_horizon: 100_000,
            stop_share: 0.08,
            stop_min_df: 6,
            df_min_docs: 10,
        }
    }
}
