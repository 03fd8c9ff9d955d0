//! The missing-words rule, the same for every backend: a keyword query with half its units or
//! more found in no passage answers nothing, with a notice naming them.

/// The units no passage holds, when they are at least half of the query's: passages that hold
/// only the rest answer another query ("radio" for "radio Mastodon"), so there is nothing to
/// show. A question's words are a description, and a longer query keeps its partial matches, as
/// in Elasticsearch's `minimum_should_match`. `units`: each unit as typed, and whether some
/// passage holds it (units of only stop words left out).
pub(crate) fn missing_half<'a>(
    units: impl IntoIterator<Item = (&'a str, bool)>,
    question: bool,
) -> Vec<&'a str> {
    if question {
        return Vec::new();
    }
    let (mut missing, mut all) = (Vec::new(), 0);
    for (typed, found) in units {
        all += 1;
        if !found {
            missing.push(typed);
        }
    }
    if missing.len() * 2 >= all {
        missing
    } else {
        Vec::new()
    }
}

/// The notice of a query left unanswered by [`missing_half`].
pub(crate) fn notice(missing: &[&str]) -> String {
    let quoted: Vec<String> = missing.iter().map(|w| format!("{w:?}")).collect();
    format!("no passage holds {}", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_the_units_or_more_found_nowhere_answer_nothing() {
        // (units and whether found, a question, the units named)
        type Case<'a> = (&'a [(&'a str, bool)], bool, &'a [&'a str]);
        let table: &[Case] = &[
            (
                &[("radio", true), ("mastodon", false)],
                false,
                &["mastodon"],
            ),
            (&[("radio", true), ("mastodon", false)], true, &[]),
            (&[("a", true), ("b", true), ("c", false)], false, &[]),
            (
                &[("a", false), ("b", false), ("c", true)],
                false,
                &["a", "b"],
            ),
            (&[("barrage", true)], false, &[]),
            (&[("zzz", false)], false, &["zzz"]),
            (&[], false, &[]),
        ];
        for (units, question, expected) in table {
            assert_eq!(
                missing_half(units.iter().copied(), *question),
                *expected,
                "{units:?}"
            );
        }
    }

    #[test]
    fn the_notice_quotes_each_unit() {
        assert_eq!(
            notice(&["radio", "\"a b\""]),
            r#"no passage holds "radio", "\"a b\"""#
        );
    }
}
