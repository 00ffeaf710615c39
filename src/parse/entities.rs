//! HTML's named character references (`&eacute;`, `&nbsp;`, …), which feeds
//! use freely although XML knows only five. The table is the HTML
//! standard's, as html5ever ships it.

/// The text a named reference stands for, `name` without `&` and `;`.
pub fn named(name: &str) -> Option<String> {
    let key = format!("{name};");
    let &(first, second) = markup5ever::data::NAMED_ENTITIES.get(key.as_str())?;
    let mut out: String = char::from_u32(first).into_iter().collect();
    out.extend(char::from_u32(second).filter(|_| second != 0));
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn html_entities_resolve_and_unknown_ones_do_not() {
        assert_eq!(super::named("eacute").as_deref(), Some("é"));
        assert_eq!(super::named("nbsp").as_deref(), Some("\u{a0}"));
        assert_eq!(super::named("nosuch"), None);
    }
}
