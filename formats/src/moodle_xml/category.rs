//! Moodle category paths (`$course$/top/Toán 10/Mệnh đề`): which part the bank keeps, and how
//! a `/` inside a category name is written (`//`, as Moodle does).

/// The category the following questions belong to: the path as the bank keeps it (context and
/// `top` removed, `//` escapes kept) and its last segment, which becomes the topic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Category {
    /// `Toán 10/Mệnh đề`, or `None` for the top of the question bank.
    pub(super) path: Option<String>,
    /// `Mệnh đề`.
    pub(super) topic: Option<String>,
}

impl Category {
    /// Reads a Moodle category path: drops a leading context (`$course$`, `$system$`, …) and a
    /// following `top`, which every Moodle bank has and which says nothing about the topic.
    pub(super) fn from_moodle_path(path: &str) -> Self {
        let mut segments = split(path);
        if segments.first().is_some_and(|s| s.len() >= 2 && s.starts_with('$') && s.ends_with('$')) {
            segments.remove(0);
        }
        if segments.first().is_some_and(|s| s == "top") {
            segments.remove(0);
        }
        let topic = segments.last().cloned();
        let path = (!segments.is_empty()).then(|| join(&segments));
        Self { path, topic }
    }

    /// The category an exported item goes in: its own category, else its topic as a one-segment
    /// category, so the topic survives the round trip either way.
    pub(super) fn for_export(category: Option<&str>, topic: Option<&str>) -> Option<String> {
        match (category, topic) {
            (Some(path), _) if !split(path).is_empty() => Some(join(&split(path))),
            (_, Some(topic)) if !topic.trim().is_empty() => Some(join(&[topic.trim().to_owned()])),
            _ => None,
        }
    }

    /// The path Moodle writes for a category under the course's `top`.
    pub(super) fn moodle_path(path: Option<&str>) -> String {
        match path {
            Some(path) => format!("$course$/top/{path}"),
            None => "$course$/top".to_owned(),
        }
    }
}

/// Splits on single `/`, turning `//` back into a `/` inside a name; empty segments are dropped.
fn split(path: &str) -> Vec<String> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '/' {
            if chars.peek() == Some(&'/') {
                chars.next();
                current.push('/');
            } else {
                segments.push(std::mem::take(&mut current));
            }
        } else {
            current.push(c);
        }
    }
    segments.push(current);
    segments.into_iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
}

/// The inverse of [`split`].
fn join(segments: &[String]) -> String {
    segments.iter().map(|s| s.replace('/', "//")).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str, expected_path: Option<&str>, expected_topic: Option<&str>) {
        let category = Category::from_moodle_path(path);
        assert_eq!(category.path.as_deref(), expected_path, "{path}");
        assert_eq!(category.topic.as_deref(), expected_topic, "{path}");
    }

    #[test]
    fn context_and_top_are_dropped() {
        check("$course$/top/Toán 10/Mệnh đề", Some("Toán 10/Mệnh đề"), Some("Mệnh đề"));
        check("$system$/top/Vật lí 11", Some("Vật lí 11"), Some("Vật lí 11"));
        check("$course$/Hóa học", Some("Hóa học"), Some("Hóa học"));
        check("Toán 10/ Hàm số ", Some("Toán 10/Hàm số"), Some("Hàm số"));
        check("$course$/top", None, None);
        check("", None, None);
    }

    #[test]
    fn double_slash_is_a_slash_inside_a_name() {
        check("$course$/top/Toán//Tin/Phân số 1//2", Some("Toán//Tin/Phân số 1//2"), Some("Phân số 1/2"));
        assert_eq!(Category::for_export(None, Some("Tỉ số a/b")), Some("Tỉ số a//b".to_owned()));
    }
}
