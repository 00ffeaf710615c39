//! Configuration problems with their place in the file: every problem found
//! is kept, so that one `wirewatch check` run lists them all.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One problem at a line and column (both 1-based, the column in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// The problems found in one file, collected while its source is at hand.
pub struct Problems<'a> {
    file: &'a Path,
    source: &'a str,
    found: Vec<Problem>,
    /// Byte offset of every line start, built on first use: every topic
    /// records its line, and scanning the source from its start for each
    /// one made a file of 100,000 topics take minutes.
    lines: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Problems<'a> {
    pub fn new(file: &'a Path, source: &'a str) -> Self {
        Problems {
            file,
            source,
            found: Vec::new(),
            lines: std::cell::OnceCell::new(),
        }
    }

    /// 1-based line and character column of a byte offset, by binary
    /// search over the line starts.
    fn place(&self, offset: usize) -> (usize, usize) {
        let starts = self.lines.get_or_init(|| line_starts(self.source));
        let offset = char_floor(self.source, offset);
        // `starts[0]` is 0, so at least one start is <= offset.
        let line = starts.partition_point(|&start| start <= offset);
        let line_start = starts[line - 1];
        (line, self.source[line_start..offset].chars().count() + 1)
    }

    /// Record a problem at a byte range of the source.
    pub fn push(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.push_at(span.start, message);
    }

    /// Record a problem at a byte offset of the source.
    pub fn push_at(&mut self, offset: usize, message: impl Into<String>) {
        let (line, column) = self.place(offset);
        self.found.push(Problem {
            file: self.file.to_path_buf(),
            line,
            column,
            message: message.into(),
        });
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.place(offset).0
    }

    /// The byte offset of the `column`-th character (1-based) of the string
    /// literal whose opening quote is at `start`, so that an error inside a
    /// query points at its place in the file. Escapes are rare in queries and
    /// are counted as typed.
    pub fn offset_in_string(&self, start: usize, column: usize) -> usize {
        let rest = self.source.get(start..).unwrap_or("");
        let quote = if rest.starts_with("'''") || rest.starts_with("\"\"\"") {
            3
        } else {
            usize::from(rest.starts_with(['\'', '"']))
        };
        let inner = &rest[quote..];
        let skip: usize = inner
            .chars()
            .take(column.saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        start + quote + skip
    }

    /// The byte offset of the start of the `line`-th line (1-based) of the
    /// string literal whose opening quote is at `start`, so that an error in
    /// a multi-line value (a template) points at its line in the file. A
    /// newline right after `"""` or `'''` is not part of the value (TOML).
    pub fn offset_of_line_in_string(&self, start: usize, line: usize) -> usize {
        let rest = self.source.get(start..).unwrap_or("");
        let mut quote = if rest.starts_with("'''") || rest.starts_with("\"\"\"") {
            3
        } else {
            usize::from(rest.starts_with(['\'', '"']))
        };
        if quote == 3 && rest[3..].starts_with('\n') {
            quote += 1;
        }
        let inner = &rest[quote..];
        let skip: usize = inner
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        start + quote + skip
    }

    /// Record a problem found in another file (a template file) while
    /// checking this one.
    pub fn push_elsewhere(&mut self, problem: Problem) {
        self.found.push(problem);
    }

    pub fn into_vec(self) -> Vec<Problem> {
        self.found
    }
}

/// The byte offset of every line's start: 0 and each offset after a `\n`.
fn line_starts(source: &str) -> Vec<usize> {
    let newlines = memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1);
    std::iter::once(0).chain(newlines).collect()
}

/// `offset` clamped to the source and moved back to a char boundary.
fn char_floor(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// 1-based line and character column of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = char_floor(source, offset);
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::{Problems, line_column};
    use std::path::Path;

    #[test]
    fn lines_inside_a_multi_line_string_map_to_file_lines() {
        let src = "a = 1\nt = '''\none\ntwo {{\n'''\n";
        let p = Problems::new(Path::new("x.toml"), src);
        let start = src.find("'''").unwrap();
        assert_eq!(
            line_column(src, p.offset_of_line_in_string(start, 1)),
            (3, 1)
        );
        assert_eq!(
            line_column(src, p.offset_of_line_in_string(start, 2)),
            (4, 1)
        );
        let single = "t = \"{{\"\n";
        let p = Problems::new(Path::new("x.toml"), single);
        assert_eq!(
            line_column(single, p.offset_of_line_in_string(4, 1)),
            (1, 6)
        );
    }

    #[test]
    fn offsets_map_to_lines_and_character_columns() {
        let src = "a = 1\nbé = 'x'\n";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 6), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_column(src, src.rfind('=').unwrap()), (2, 4));
    }

    #[test]
    fn the_line_index_agrees_with_scanning() {
        let src = "a = 1\nbé = 'x'\n\nc\n";
        let p = Problems::new(Path::new("x.toml"), src);
        for offset in 0..=src.len() + 2 {
            assert_eq!(p.place(offset), line_column(src, offset), "{offset}");
        }
    }
}
