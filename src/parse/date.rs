//! Feed dates as feeds write them. Two families cover nearly all: W3C/ISO
//! 8601 (`2004-07-08T23:56:58Z`, `2004-07-08 23:56:58`, `20040708`,
//! `2004-07`) and RFC 822 with its variants (two-digit years, full day and
//! month names, no seconds, no time, `MET`/`PT` zone names, asctime order).
//! A string that is not a real instant (hour 25, minute 61, trailing junk)
//! gives no date rather than an invented one. A missing zone means UTC.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// The instant a feed date names, if it names one.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() || text.len() > 80 {
        return None;
    }
    let text = super::date_words::to_english(text);
    iso(&text).or_else(|| words(&text))
}

/// W3C-DTF / ISO 8601: a date, optionally `T` or a space and a time, then
/// an optional zone; nothing may follow.
fn iso(text: &str) -> Option<DateTime<Utc>> {
    let (date, rest) = iso_date(text)?;
    let rest = match rest.strip_prefix(['T', 't', ' ']) {
        Some(r) => r.trim_start(),
        None if rest.is_empty() => return at(date, NaiveTime::MIN, 0),
        None => return None,
    };
    let (time, rest) = clock(rest)?;
    let offset = zone(rest.trim_start())?;
    at(date, time, offset)
}

/// `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-MM` or `YYYY`, and what follows.
fn iso_date(text: &str) -> Option<(NaiveDate, &str)> {
    let digits = |s: &str, n: usize| -> Option<u32> {
        let part = s.get(..n)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let year = digits(text, 4)? as i32;
    let rest = &text[4..];
    if let Some(r) = rest.strip_prefix('-')
        && let Some(ordinal) = digits(r, 3)
        && !r[3..].starts_with(|c: char| c.is_ascii_digit())
    {
        let date = NaiveDate::from_yo_opt(year, ordinal)?;
        return Some((date, &r[3..]));
    }
    let (month, day, rest) = if let Some(r) = rest.strip_prefix(['-', '/']) {
        let month = digits(r, 2)?;
        match r[2..].strip_prefix(['-', '/']) {
            Some(r) => (month, digits(r, 2)?, &r[2..]),
            None => (month, 1, &r[2..]),
        }
    } else if let (Some(month), Some(day)) = (digits(rest, 2), digits(rest.get(2..)?, 2)) {
        (month, day, &rest[4..])
    } else {
        (1, 1, rest)
    };
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((NaiveDate::from_ymd_opt(year, month, day)?, rest))
}

/// `hh:mm[:ss[.frac]]`, and what follows.
fn clock(text: &str) -> Option<(NaiveTime, &str)> {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.' || c == ','))
        .unwrap_or(text.len());
    let (spec, rest) = text.split_at(end);
    let (hms, frac) = match spec.split_once(['.', ',']) {
        Some((hms, frac)) => (hms, frac),
        None => (spec, ""),
    };
    let hms = match hms.len() {
        4 | 6 if !hms.contains(':') => basic_time(hms),
        _ => hms.to_string(),
    };
    let parts: Vec<u32> = hms
        .split(':')
        .map(|p| (p.len() <= 2 && !p.is_empty()).then(|| p.parse().ok())?)
        .collect::<Option<_>>()?;
    let nanos = match frac {
        "" => 0,
        f if f.bytes().all(|b| b.is_ascii_digit()) => {
            let f = &f[..f.len().min(9)];
            f.parse::<u32>().ok()? * 10u32.pow(9 - f.len() as u32)
        }
        _ => return None,
    };
    let time = match parts[..] {
        [h, m] => NaiveTime::from_hms_opt(h, m, 0)?,
        [h, m, s] => NaiveTime::from_hms_nano_opt(h, m, s.min(59), nanos).filter(|_| s <= 60)?,
        _ => return None,
    };
    Some((time, rest))
}

/// `hhmm` or `hhmmss` (ISO 8601's basic format) as `hh:mm[:ss]`.
fn basic_time(digits: &str) -> String {
    let pairs: Vec<&str> = (0..digits.len())
        .step_by(2)
        .filter_map(|i| digits.get(i..i + 2))
        .collect();
    pairs.join(":")
}

/// A zone: empty (UTC), `Z`, `±hh:mm`, `±hhmm`, `±hh`, a name, or a name
/// with an offset (`GMT+01:00`). Seconds east of UTC.
fn zone(text: &str) -> Option<i32> {
    if text.is_empty() {
        return Some(0);
    }
    if let Some(sign) = text.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
        if digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (h, m) = match digits.len() {
            1 | 2 => (digits.parse::<i32>().ok()?, 0),
            3 | 4 => {
                let split = digits.len() - 2;
                (digits[..split].parse().ok()?, digits[split..].parse().ok()?)
            }
            _ => return None,
        };
        if h > 23 || m > 59 {
            return None;
        }
        let secs = h * 3600 + m * 60;
        return Some(if sign == '-' { -secs } else { secs });
    }
    let split = text.find(['+', '-']).unwrap_or(text.len());
    let base = named_zone(&text[..split])?;
    Some(
        base + if split < text.len() {
            zone(&text[split..])?
        } else {
            0
        },
    )
}

/// Zone names seen in feeds, in hours east of UTC.
fn named_zone(name: &str) -> Option<i32> {
    let hours = match name.to_ascii_uppercase().as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "WET" => 0,
        "EST" | "ET" | "CDT" => -5,
        "EDT" | "AST" => -4,
        "ADT" => -3,
        "CST" | "CT" | "MDT" => -6,
        "MST" | "MT" | "PDT" => -7,
        "PST" | "PT" | "AKDT" => -8,
        "AKST" => -9,
        "HST" => -10,
        "MET" | "CET" | "BST" | "WEST" => 1,
        "MEST" | "CEST" | "EET" => 2,
        "EEST" | "MSK" => 3,
        "JST" | "KST" => 9,
        "AEST" => 10,
        "NZST" => 12,
        _ => return None,
    };
    Some(hours * 3600)
}

fn at(date: NaiveDate, time: NaiveTime, offset: i32) -> Option<DateTime<Utc>> {
    let zone = FixedOffset::east_opt(offset)?;
    let local = zone
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .single()?;
    Some(local.with_timezone(&Utc))
}

/// The parts of a date written in words, in any usual order.
#[derive(Default)]
struct Parts {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    time: Option<NaiveTime>,
    offset: Option<i32>,
    pm: Option<bool>,
}

/// RFC 822 and its relatives: `Thu, 8 Jul 2004 23:56:58 +0000`, `8 July
/// 2004`, `Thursday, July 8, 2004 11:56 PM EDT`, asctime `Thu Jul  8
/// 23:56:58 2004`, `08-Jul-2004`. Every word must be understood.
fn words(text: &str) -> Option<DateTime<Utc>> {
    let mut parts = Parts::default();
    for token in text
        .split([' ', ',', '\t', '\n', '\r'])
        .filter(|t| !t.is_empty())
    {
        let pieces: Vec<&str> = if token.contains(char::is_alphabetic)
            && token.contains('-')
            && !token.starts_with(['+', '-'])
        {
            token.split('-').collect()
        } else {
            vec![token]
        };
        for piece in pieces {
            take(&mut parts, piece.trim_end_matches('.'))?;
        }
    }
    let mut time = parts.time.unwrap_or(NaiveTime::MIN);
    if let Some(pm) = parts.pm {
        time = meridiem(time, pm)?;
    }
    let date = NaiveDate::from_ymd_opt(parts.year?, parts.month?, parts.day?)?;
    at(date, time, parts.offset.unwrap_or(0))
}

/// Fits one word into the date; None when it is not part of a date.
fn take(parts: &mut Parts, token: &str) -> Option<()> {
    let lower = token.to_ascii_lowercase();
    if let Some(month) = month(&lower) {
        return set(&mut parts.month, month);
    }
    if weekday(&lower) {
        return Some(());
    }
    match lower.as_str() {
        "am" | "a.m" => return set(&mut parts.pm, false),
        "pm" | "p.m" => return set(&mut parts.pm, true),
        _ => {}
    }
    if token.contains(':') && parts.time.is_none() {
        let (time, rest) = clock(token)?;
        parts.time = Some(time);
        if !rest.is_empty() {
            parts.offset = Some(zone(rest)?);
        }
        return Some(());
    }
    if token.bytes().all(|b| b.is_ascii_digit()) {
        return number(parts, token);
    }
    if let Some((date, "")) = iso_date(token) {
        use chrono::Datelike;
        set(&mut parts.year, date.year())?;
        set(&mut parts.month, date.month())?;
        return set(&mut parts.day, date.day());
    }
    set(&mut parts.offset, zone(token)?)
}

fn number(parts: &mut Parts, token: &str) -> Option<()> {
    let value: u32 = token.parse().ok()?;
    match token.len() {
        4 => set(&mut parts.year, value as i32),
        1 | 2 if parts.day.is_none() => set(&mut parts.day, value),
        2 if parts.year.is_none() => {
            let year = value as i32 + if value < 90 { 2000 } else { 1900 };
            set(&mut parts.year, year)
        }
        _ => None,
    }
}

/// Sets a part once; a second value for it means this is not a date.
fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

fn meridiem(time: NaiveTime, pm: bool) -> Option<NaiveTime> {
    use chrono::Timelike;
    let hour = time.hour();
    if !(1..=12).contains(&hour) {
        return None;
    }
    let hour = match (pm, hour) {
        (false, 12) => 0,
        (true, 12) => 12,
        (true, h) => h + 12,
        (false, h) => h,
    };
    time.with_hour(hour)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// `jan`, `january`, `sept`…: 1-based.
fn month(word: &str) -> Option<u32> {
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let index = MONTHS
        .iter()
        .position(|m| *m == word)
        .or_else(|| FULL.iter().position(|m| *m == word))
        .or_else(|| (word == "sept").then_some(8))?;
    Some(index as u32 + 1)
}

fn weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    const FULL: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    DAYS.contains(&word) || FULL.contains(&word) || ["tues", "thur", "thurs"].contains(&word)
}

#[cfg(test)]
mod tests;
