//! Date normalisation to RFC 3339: ISO 8601 variants, RFC 2822 style dates,
//! and `/YYYY/MM/DD/` style dates in URLs. A missing offset means UTC.

/// A parsed calendar date and time with an offset in minutes.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct DateTime {
    y: u32,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    s: u32,
    off: i32,
}

impl DateTime {
    /// Whether all fields are in range.
    fn valid(&self) -> bool {
        (1900..=2200).contains(&self.y)
            && (1..=12).contains(&self.mo)
            && (1..=31).contains(&self.d)
            && self.h < 24
            && self.mi < 60
            && self.s < 61
            && self.off.abs() < 24 * 60
    }

    /// RFC 3339 text.
    fn format(&self) -> String {
        let base = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.y, self.mo, self.d, self.h, self.mi, self.s
        );
        if self.off == 0 {
            return base + "Z";
        }
        let sign = if self.off < 0 { '-' } else { '+' };
        let a = self.off.abs();
        format!("{base}{sign}{:02}:{:02}", a / 60, a % 60)
    }
}

/// Normalises a date string to RFC 3339, or `None` if it can't be read.
pub fn normalize(s: &str) -> Option<String> {
    let s = s.trim();
    let dt = parse_iso(s).or_else(|| parse_rfc2822(s))?;
    dt.valid().then(|| dt.format())
}

/// Reads a leading run of ASCII digits (at most `max`) as a number.
fn num(b: &[u8], pos: &mut usize, min: usize, max: usize) -> Option<u32> {
    let start = *pos;
    while *pos < b.len() && *pos - start < max && b[*pos].is_ascii_digit() {
        *pos += 1;
    }
    if *pos - start < min {
        return None;
    }
    b[start..*pos]
        .iter()
        .try_fold(0u32, |a, &c| Some(a * 10 + u32::from(c - b'0')))
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|±HH[:MM]]`, also with `/` separators.
fn parse_iso(s: &str) -> Option<DateTime> {
    let b = s.as_bytes();
    let mut p = 0;
    let mut dt = DateTime {
        y: num(b, &mut p, 4, 4)?,
        ..Default::default()
    };
    let sep = *b.get(p)?;
    if sep != b'-' && sep != b'/' {
        return None;
    }
    p += 1;
    dt.mo = num(b, &mut p, 1, 2)?;
    (b.get(p) == Some(&sep)).then_some(())?;
    p += 1;
    dt.d = num(b, &mut p, 1, 2)?;
    if matches!(b.get(p), Some(b'T' | b't' | b' ')) && b.get(p + 1).is_some_and(u8::is_ascii_digit)
    {
        p += 1;
        parse_time(b, &mut p, &mut dt)?;
    }
    dt.off = parse_offset(&b[p..]).unwrap_or(0);
    Some(dt)
}

/// `HH:MM[:SS[.fff]]` at `p`.
fn parse_time(b: &[u8], p: &mut usize, dt: &mut DateTime) -> Option<()> {
    dt.h = num(b, p, 1, 2)?;
    (b.get(*p) == Some(&b':')).then_some(())?;
    *p += 1;
    dt.mi = num(b, p, 2, 2)?;
    if b.get(*p) == Some(&b':') {
        *p += 1;
        dt.s = num(b, p, 2, 2)?;
    }
    if matches!(b.get(*p), Some(b'.' | b',')) {
        *p += 1;
        num(b, p, 1, 9)?;
    }
    Some(())
}

/// `Z`, `±HH:MM`, `±HHMM`, `±HH`, or a few zone names; minutes east of UTC.
fn parse_offset(rest: &[u8]) -> Option<i32> {
    let t = rest.trim_ascii();
    let sign = match t.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return zone_name(t),
    };
    let digits: Vec<u8> = t[1..]
        .iter()
        .copied()
        .filter(u8::is_ascii_digit)
        .take(4)
        .collect();
    let mut p = 0;
    let h = num(&digits, &mut p, 1, 2)? as i32;
    let m = num(&digits, &mut p, 0, 2).unwrap_or(0) as i32;
    Some(sign * (h * 60 + m))
}

/// Common zone abbreviations (US zones appear on many news sites).
fn zone_name(t: &[u8]) -> Option<i32> {
    let z = std::str::from_utf8(t).ok()?.to_ascii_uppercase();
    Some(match z.as_str() {
        "Z" | "UT" | "UTC" | "GMT" => 0,
        "EST" => -300,
        "EDT" => -240,
        "CST" => -360,
        "CDT" => -300,
        "MST" => -420,
        "MDT" => -360,
        "PST" => -480,
        "PDT" => -420,
        "CET" => 60,
        "CEST" => 120,
        "BST" => 60,
        _ => return None,
    })
}

/// `[Wkd, ]DD Mon YYYY [HH:MM[:SS]] [zone]` and `Mon DD, YYYY`.
fn parse_rfc2822(s: &str) -> Option<DateTime> {
    let s = s
        .split_once(',')
        .filter(|(a, _)| a.len() <= 9 && !a.contains(' '))
        .map_or(s, |x| x.1);
    let mut parts = s.split_whitespace();
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    let mut dt = DateTime::default();
    if let Some(mo) = month(a) {
        dt.mo = mo;
        dt.d = b.trim_end_matches(',').parse().ok()?;
    } else {
        dt.d = a.parse().ok()?;
        dt.mo = month(b)?;
    }
    dt.y = c.parse().ok()?;
    if let Some(time) = parts.next() {
        let mut p = 0;
        if parse_time(time.as_bytes(), &mut p, &mut dt).is_some() {
            let zone: String = parts.collect::<Vec<_>>().join(" ");
            dt.off = parse_offset(zone.as_bytes()).unwrap_or(0);
        }
    }
    Some(dt)
}

/// English month name or abbreviation to 1..=12.
fn month(s: &str) -> Option<u32> {
    const M: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let l = s.get(..3)?.to_ascii_lowercase();
    M.iter().position(|m| *m == l).map(|i| i as u32 + 1)
}

/// A `/YYYY/MM/DD/` or `YYYY-MM-DD` date in a URL path, as RFC 3339.
pub fn from_url_path(path: &str) -> Option<String> {
    let segs: Vec<&str> = path.split('/').collect();
    for w in segs.windows(3) {
        let ok = w[0].len() == 4 && w[1].len() <= 2 && w[2].len() <= 2;
        let all_digits = w
            .iter()
            .all(|x| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit()));
        if ok && all_digits {
            let joined = format!("{}-{}-{}", w[0], w[1], w[2]);
            if let Some(d) = normalize(&joined) {
                return Some(d);
            }
        }
    }
    segs.iter().find_map(|seg| iso_in_segment(seg))
}

/// A `YYYY-MM-DD` embedded in one path segment (e.g. `story-2019-10-24.html`).
fn iso_in_segment(seg: &str) -> Option<String> {
    let b = seg.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let shape = w.iter().enumerate().all(|(k, c)| match k {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        let bounded = i == 0 || !b[i - 1].is_ascii_digit();
        if shape && bounded {
            normalize(std::str::from_utf8(w).ok()?)
        } else {
            None
        }
    })
}
