//! Dates written in other languages than English, as feeds from Greece,
//! Hungary and Korea write them, turned into the English or ISO spelling
//! that `date` reads. Korean blog platforms write local time without a
//! zone; it is Korea's (+09:00).

/// Greek month and day abbreviations, and Hungarian month names.
const WORDS: &[(&str, &str)] = &[
    ("Ιαν", "Jan"),
    ("Φεβ", "Feb"),
    ("Μάώ", "Mar"),
    ("Μάρ", "Mar"),
    ("Μαρ", "Mar"),
    ("Απρ", "Apr"),
    ("Μάι", "May"),
    ("Μαϊ", "May"),
    ("Μαι", "May"),
    ("Ιούν", "Jun"),
    ("Ιον", "Jun"),
    ("Ιούλ", "Jul"),
    ("Ιολ", "Jul"),
    ("Αύγ", "Aug"),
    ("Αυγ", "Aug"),
    ("Σεπ", "Sep"),
    ("Οκτ", "Oct"),
    ("Νοέ", "Nov"),
    ("Νοε", "Nov"),
    ("Δεκ", "Dec"),
    ("Κυρ", "Sun"),
    ("Δευ", "Mon"),
    ("Τρι", "Tue"),
    ("Τετ", "Wed"),
    ("Πεμ", "Thu"),
    ("Παρ", "Fri"),
    ("Σαβ", "Sat"),
    ("január", "01"),
    ("február", "02"),
    ("március", "03"),
    ("április", "04"),
    ("május", "05"),
    ("június", "06"),
    ("július", "07"),
    ("augusztus", "08"),
    ("szeptember", "09"),
    ("október", "10"),
    ("november", "11"),
    ("december", "12"),
];

/// The date with foreign words replaced; ASCII text comes back as it was.
pub fn to_english(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        return text.into();
    }
    let mut out = text.to_string();
    for (word, english) in WORDS {
        if out.contains(word) {
            out = out.replace(word, english);
        }
    }
    korean(&out).unwrap_or(out).into()
}

/// `2004년 05월 28일 01:31:15` and `2004-05-25 오후 11:23:17` (오후 = PM).
fn korean(text: &str) -> Option<String> {
    let marked = ["년", "월", "일", "오전", "오후"]
        .iter()
        .any(|m| text.contains(m));
    if !marked {
        return None;
    }
    let mut out = text
        .replace("년", "-")
        .replace("월", "-")
        .replace("일", " ");
    let meridiem = if out.contains("오후") {
        " PM"
    } else if out.contains("오전") {
        " AM"
    } else {
        ""
    };
    out = out.replace("오후", "").replace("오전", "");
    let out: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let out = out.replace("- ", "-");
    Some(format!("{out}{meridiem} +09:00"))
}
