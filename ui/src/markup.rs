//! Texts in `html` or `moodle` format (imported from Moodle XML) reach the client with their
//! tags: shown as plain paragraphs here, tags dropped, `<br>` and `</p>` as line breaks, the
//! common entities decoded. Image tags are taken out before this (see `images`).

/// The text a student reads from a text of `format` (`plain` and `markdown` pass through).
pub fn readable(format: &str, text: &str) -> String {
    if !matches!(format, "html" | "moodle") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            let tag = rest[1..end].trim().to_ascii_lowercase();
            let breaks = tag.starts_with("br") || tag == "/p" || tag == "/div" || tag == "/li";
            if breaks && !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            rest = &rest[end + 1..];
            continue;
        }
        if c == '&'
            && let Some((entity, length)) = entity(rest)
        {
            out.push(entity);
            rest = &rest[length..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.trim_end().to_owned()
}

fn entity(text: &str) -> Option<(char, usize)> {
    const ENTITIES: &[(&str, char)] =
        &[("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\''), ("&nbsp;", '\u{a0}')];
    ENTITIES.iter().find(|(name, _)| text.starts_with(name)).map(|(name, c)| (*c, name.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn moodle_paragraphs_become_lines() {
        let html = "<p>Quan sát hình dưới đây.</p><p>Cho <b>x &lt; 3</b> &amp; y&nbsp;&gt; 0</p>";
        assert_eq!(readable("html", html), "Quan sát hình dưới đây.\nCho x < 3 & y\u{a0}> 0");
        assert_eq!(readable("moodle", "a<br/>b"), "a\nb");
        assert_eq!(readable("plain", "<b>x</b>"), "<b>x</b>", "plain text keeps its angle brackets");
        assert_eq!(readable("html", "x < 3 và không đóng"), "x < 3 và không đóng");
    }

    proptest! {
        #[test]
        fn any_markup_reads_without_panicking(text in "\\PC{0,80}") {
            let _ = readable("html", &text);
        }
    }
}
