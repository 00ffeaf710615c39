use super::parse;

fn rfc3339(text: &str) -> Option<String> {
    parse(text).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

#[test]
fn the_spellings_feeds_use_are_read() {
    let cases = [
        ("Thu, 08 Jul 2004 23:56:58 GMT", "2004-07-08T23:56:58Z"),
        ("Thu, 8 Jul 2004 23:56:58 +0200", "2004-07-08T21:56:58Z"),
        ("Thu, 08 Jul 04 23:56:58 EDT", "2004-07-09T03:56:58Z"),
        ("Thursday, 08 July 2004 23:56 MET", "2004-07-08T22:56:00Z"),
        ("08 Jul 2004", "2004-07-08T00:00:00Z"),
        ("Thu, 08 Jul 2004 23:56:58 PT", "2004-07-09T07:56:58Z"),
        ("Thu Jul  8 23:56:58 2004", "2004-07-08T23:56:58Z"),
        ("July 8, 2004 11:56 PM", "2004-07-08T23:56:00Z"),
        ("08-Jul-2004 23:56:58 -05:00", "2004-07-09T04:56:58Z"),
        ("2004-07-08 23:56:58", "2004-07-08T23:56:58Z"),
        ("2004-07-08T23:56:58.123-04:00", "2004-07-09T03:56:58Z"),
        ("2004-07-08T23:56Z", "2004-07-08T23:56:00Z"),
        ("2004-07-08", "2004-07-08T00:00:00Z"),
        ("20040708", "2004-07-08T00:00:00Z"),
        ("2004-07", "2004-07-01T00:00:00Z"),
        ("Thu, 08 Jul 2004 23:56:58 GMT+01:00", "2004-07-08T22:56:58Z"),
    ];
    for (text, want) in cases {
        assert_eq!(rfc3339(text).as_deref(), Some(want), "{text}");
    }
}

/// feedparser returns a date for each of these; none names a real instant,
/// so wirewatch gives none rather than invent one.
#[test]
fn invalid_dates_give_no_date_where_feedparser_invents_one() {
    for text in [
        "2003-12-31T25:14:55Z",
        "2003-12-31T10:61:55Z",
        "2003-12-31T10:14:61Z",
        "22013",
        "2013-01-27-01",
        "2013-01-28T11:30:00-06:00Textra",
        "2013-xx-27",
        "2013-01-28T09:xx:00Z",
        "2013-01-28T09:00:00+00:xx",
        "9999-12-31T23:59:59-99:99",
        "",
        "soon",
        "Thu, 31 Feb 2004 10:00:00 GMT",
    ] {
        assert_eq!(rfc3339(text), None, "{text}");
    }
}
