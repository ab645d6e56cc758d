use super::*;
use crate::test_fixtures::{EXAMPLE_BLUEPRINT, example_blueprint};
use proptest::prelude::*;

/// A 15-minute Vật lí 11 test; the line numbers of the error table below refer to it.
const BASE: &str = r#"title = "Kiểm tra 15 phút — Vật lí 11"
subject = "Vật lí"
grade = 11
duration_minutes = 15
scale = 10
rounding_step = 0.1

[forms]
count = 2
code_start = 101
code_step = 1

[[part]]
name = "Phần I"
kind = "single_choice"
points_each = 0.5
cells = [
  { topic = "Dao động", level = "Biết", count = 2 },
  { topic = "Sóng cơ", level = "Hiểu", count = 2 },
]
"#;

fn with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from:?} is not in BASE");
    BASE.replacen(from, to, 1)
}

fn milli(m: i64) -> MilliPoints {
    MilliPoints::from_milli(m)
}

#[test]
fn the_example_blueprint_parses_as_is() {
    let blueprint = example_blueprint();
    assert_eq!(blueprint.title(), "Kiểm tra giữa kỳ I — Toán 10");
    assert_eq!(blueprint.subject(), "Toán");
    assert_eq!(blueprint.grade(), 10);
    assert_eq!(blueprint.duration_minutes(), 45);
    assert_eq!(blueprint.scale(), milli(10_000));
    assert_eq!(blueprint.rounding_step(), milli(100));
    assert_eq!(blueprint.forms(), &FormSpec { count: 4, code_start: 101, code_step: 1, code_prefix: String::new() });
    let kinds: Vec<ItemKind> = blueprint.parts().iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [ItemKind::SingleChoice, ItemKind::TrueFalseCluster, ItemKind::Numeric]);
    let counts: Vec<u64> = blueprint.parts().iter().map(Part::item_count).collect();
    assert_eq!(counts, [6, 2, 2]);
    assert_eq!(blueprint.parts()[0].cells[0], Cell { topic: "Mệnh đề".to_owned(), level: Level::Biet, count: 2 });
    assert_eq!(blueprint.parts()[1].cells[0].level, Level::VanDung);
    assert_eq!(blueprint.total_points(), milli(10_000));
}

#[test]
fn defaults_apply_when_keys_are_absent() {
    let text = BASE.replace("scale = 10\n", "").replace("rounding_step = 0.1\n", "");
    let text = text.replace("[forms]\ncount = 2\ncode_start = 101\ncode_step = 1\n", "");
    let blueprint = Blueprint::parse("vatli.toml", &text).unwrap();
    assert_eq!(blueprint.scale(), milli(10_000));
    assert_eq!(blueprint.rounding_step(), milli(100));
    assert_eq!(blueprint.forms(), &FormSpec::default());
    assert_eq!(blueprint.total_points(), milli(2_000));
}

#[test]
fn points_and_steps_become_exact_values() {
    #[track_caller]
    fn check(from: &str, to: &str, read: fn(&Blueprint) -> MilliPoints, expected: i64) {
        let blueprint = Blueprint::parse("vatli.toml", &with(from, to)).unwrap();
        assert_eq!(read(&blueprint), milli(expected), "{to}");
    }
    let step = |b: &Blueprint| b.rounding_step();
    let points = |b: &Blueprint| b.parts()[0].points_each;
    let scale = |b: &Blueprint| b.scale();
    check("rounding_step = 0.1", "rounding_step = 0.25", step, 250);
    check("rounding_step = 0.1", "rounding_step = 0.5", step, 500);
    check("rounding_step = 0.1", "rounding_step = 0.01", step, 10);
    check("rounding_step = 0.1", "rounding_step = 0.001", step, 1);
    check("rounding_step = 0.1", "rounding_step = 1", step, 1000);
    check("rounding_step = 0.1", "rounding_step = \"0,25\"", step, 250);
    check("rounding_step = 0.1", "rounding_step = \"0.2\"", step, 200);
    check("points_each = 0.5", "points_each = 0.1", points, 100);
    check("points_each = 0.5", "points_each = 0.3", points, 300);
    check("points_each = 0.5", "points_each = 0.125", points, 125);
    check("points_each = 0.5", "points_each = 2", points, 2000);
    check("points_each = 0.5", "points_each = 2.5e-1", points, 250);
    check("points_each = 0.5", "points_each = \" 0,75 \"", points, 750);
    check("scale = 10", "scale = 100", scale, 100_000);
    check("scale = 10", "scale = 10.0", scale, 10_000);
}

#[test]
fn optional_form_prefix_and_cluster_table_are_read() {
    let text = with("code_step = 1", "code_step = 2\ncode_prefix = \" T11-\"")
        .replace("kind = \"single_choice\"", "kind = \"true_false_cluster\"\ncluster_table = [10, \"25\", 50.0, 100]");
    let blueprint = Blueprint::parse("vatli.toml", &text).unwrap();
    assert_eq!(blueprint.forms().code_prefix, "T11-");
    assert_eq!(blueprint.forms().code_step, 2);
    assert_eq!(blueprint.parts()[0].cluster_table, Some(ClusterTable::graduation_exam()));
}

#[test]
fn text_is_stored_as_nfc() {
    let decomposed = "Dao \u{0111}o\u{0323}\u{0302}ng"; // "Dao động" typed with combining marks
    let blueprint = Blueprint::parse("vatli.toml", &with("Dao động", decomposed)).unwrap();
    assert_eq!(blueprint.parts()[0].cells[0].topic, "Dao động");
}

#[test]
fn invalid_values_name_file_line_column_part_and_cell() {
    #[track_caller]
    fn check(from: &str, to: &str, at: &str, context: &str, problem: BlueprintProblem) {
        let error = Blueprint::parse("vatli.toml", &with(from, to)).unwrap_err();
        let BlueprintError::Invalid { at: location, context: found_context, problem: found } = &error else {
            panic!("{to:?}: expected a validation error, got {error}");
        };
        assert_eq!(found, &problem, "{to:?}");
        assert_eq!(location.to_string(), format!("vatli.toml:{at}"), "{to:?}");
        assert!(found_context.starts_with(context), "{to:?}: context {found_context:?}");
        let message = error.to_string();
        assert!(message.starts_with(&format!("vatli.toml:{at}: {context}")), "{message}");
        assert!(message.contains(" / "), "bilingual: {message}");
    }
    use BlueprintProblem::*;
    let part = "phần 1 «Phần I»: ";
    check("grade = 11", "grade = 13", "3:9", "", BadGrade(13));
    check("grade = 11", "grade = 0", "3:9", "", BadGrade(0));
    check("duration_minutes = 15", "duration_minutes = 0", "4:20", "", BadDuration(0));
    check("title = \"Kiểm tra 15 phút — Vật lí 11\"", "title = \"  \"", "1:9", "", Empty("title"));
    check("subject = \"Vật lí\"", "subject = \"\"", "2:11", "", Empty("subject"));
    check("scale = 10", "scale = 0", "5:9", "", NotPositive { field: "scale", value: "0".to_owned() });
    check(
        "rounding_step = 0.1",
        "rounding_step = 0",
        "6:17",
        "",
        NotPositive { field: "rounding_step", value: "0".to_owned() },
    );
    check(
        "rounding_step = 0.1",
        "rounding_step = -0.1",
        "6:17",
        "",
        NotPositive { field: "rounding_step", value: "-0.1".to_owned() },
    );
    check(
        "rounding_step = 0.1",
        "rounding_step = 0.0001",
        "6:17",
        "",
        TooPrecise { field: "rounding_step", value: "0.0001".to_owned() },
    );
    check(
        "rounding_step = 0.1",
        "rounding_step = 0.3",
        "6:17",
        "",
        StepDoesNotDivideScale { scale: milli(10_000), step: milli(300) },
    );
    check(
        "rounding_step = 0.1",
        "rounding_step = true",
        "6:17",
        "",
        NotANumber { field: "rounding_step", found: "true".to_owned() },
    );
    check(
        "rounding_step = 0.1",
        "rounding_step = \"một\"",
        "6:17",
        "",
        NotANumber { field: "rounding_step", found: "\"một\"".to_owned() },
    );
    check(
        "rounding_step = 0.1",
        "rounding_step = nan",
        "6:17",
        "",
        NotANumber { field: "rounding_step", found: "NaN".to_owned() },
    );
    check(
        "scale = 10\nrounding_step = 0.1\n",
        "scale = 10.05\n",
        "5:9",
        "",
        StepDoesNotDivideScale { scale: milli(10_050), step: milli(100) },
    );
    check("count = 2\n", "count = 0\n", "9:9", "", BadFormCount(0));
    check("count = 2\n", "count = 1000\n", "9:9", "", BadFormCount(1000));
    check("code_start = 101", "code_start = -1", "10:14", "", BadFormNumber { field: "code_start", min: 0, value: -1 });
    check("code_step = 1", "code_step = 0", "11:13", "", BadFormNumber { field: "code_step", min: 1, value: 0 });
    check("code_start = 101", "code_start = 4294967295", "11:13", "", FormCodesOverflow);
    check(
        "kind = \"single_choice\"",
        "kind = \"multiple_choice\"",
        "15:8",
        part,
        UnknownKind("multiple_choice".to_owned()),
    );
    check("kind = \"single_choice\"", "kind = \"description\"", "15:8", part, DescriptionPart);
    check(
        "points_each = 0.5",
        "points_each = 0.3333",
        "16:15",
        part,
        TooPrecise { field: "points_each", value: "0.3333".to_owned() },
    );
    check(
        "points_each = 0.5",
        "points_each = -1",
        "16:15",
        part,
        NotPositive { field: "points_each", value: "-1".to_owned() },
    );
    check(
        "points_each = 0.5",
        "points_each = 1e300",
        "16:15",
        part,
        NotANumber { field: "points_each", found: "1e300".to_owned() },
    );
    check("name = \"Phần I\"", "name = \"\"", "14:8", "phần 1 «»: ", Empty("name"));
    let first_cell = "phần 1 «Phần I», ô 1: ";
    let second_cell = "phần 1 «Phần I», ô 2: ";
    check("level = \"Hiểu\"", "level = \"Nhớ\"", "19:32", second_cell, UnknownLevel("Nhớ".to_owned()));
    check("\"Biết\", count = 2", "\"Biết\", count = 0", "18:49", first_cell, BadCount(0));
    check("\"Biết\", count = 2", "\"Biết\", count = -4", "18:49", first_cell, BadCount(-4));
    check("topic = \"Dao động\"", "topic = \" \"", "18:13", first_cell, Empty("topic"));
    check(
        "cells = [\n  { topic = \"Dao động\", level = \"Biết\", count = 2 },\n  { topic = \"Sóng cơ\", level = \"Hiểu\", count = 2 },\n]",
        "cells = []",
        "17:9",
        part,
        NoCells,
    );
    check(
        "points_each = 0.5",
        "points_each = 0.5\ncluster_table = [10, 25, 50, 100]",
        "17:17",
        part,
        ClusterTableOnWrongKind,
    );
    let cluster = |table: &str| format!("kind = \"true_false_cluster\"\ncluster_table = {table}");
    check("kind = \"single_choice\"", &cluster("[10, 50, 25, 100]"), "16:17", part, BadClusterTable);
    check("kind = \"single_choice\"", &cluster("[10, 25, 50]"), "16:17", part, BadClusterTable);
    check("kind = \"single_choice\"", &cluster("[]"), "16:17", part, BadClusterTable);
    check("kind = \"single_choice\"", &cluster("[10, 25, 50, 101]"), "16:30", part, BadPercentage("101".to_owned()));
    check("kind = \"single_choice\"", &cluster("[-10, 25, 50, 100]"), "16:18", part, BadPercentage("-10".to_owned()));
    check(
        "kind = \"single_choice\"",
        &cluster("[10, 25, \"nửa\", 100]"),
        "16:26",
        part,
        NotANumber { field: "cluster_table", found: "\"nửa\"".to_owned() },
    );
}

#[test]
fn a_blueprint_without_parts_is_refused() {
    let text = &BASE[..BASE.find("[[part]]").unwrap()];
    let error = Blueprint::parse("vatli.toml", text).unwrap_err();
    assert!(matches!(error, BlueprintError::Invalid { problem: BlueprintProblem::NoParts, .. }), "{error}");
}

#[test]
fn toml_errors_carry_the_parsers_position() {
    #[track_caller]
    fn check(from: &str, to: &str, at: &str, message_part: &str) {
        let error = Blueprint::parse("vatli.toml", &with(from, to)).unwrap_err();
        let BlueprintError::Syntax { message, .. } = &error else { panic!("{to:?}: {error}") };
        assert!(message.contains(message_part), "{to:?}: {message}");
        assert_eq!(error.location().to_string(), format!("vatli.toml:{at}"), "{to:?}: {error}");
        assert!(error.to_string().starts_with(&format!("vatli.toml:{at}: lỗi TOML / TOML error: ")));
    }
    check("grade = 11", "grade = ", "3:9", "");
    check("grade = 11", "grade = \"mười một\"", "3:9", "string");
    check("code_step = 1", "code_step = 1\ncode_prefx = \"T\"", "12:1", "code_prefx");
    check("points_each = 0.5", "point_each = 0.5", "16:1", "point_each");
    check("count = 2 }", "count = 2, note = \"x\" }", "18:52", "note");
}

#[test]
fn missing_required_keys_are_named() {
    for key in ["title", "subject", "grade", "duration_minutes"] {
        let line = BASE.lines().find(|l| l.starts_with(key)).unwrap();
        let text = BASE.replacen(&format!("{line}\n"), "", 1);
        let error = Blueprint::parse("vatli.toml", &text).unwrap_err();
        assert!(matches!(&error, BlueprintError::Syntax { message, .. } if message.contains(key)), "{key}: {error}");
    }
}

#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let text = format!("\u{FEFF}{}", EXAMPLE_BLUEPRINT.replace('\n', "\r\n"));
    assert_eq!(Blueprint::parse("blueprint.toml", &text).unwrap(), example_blueprint());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = Blueprint::parse("x.toml", &text);
    }

    #[test]
    fn mutated_blueprints_never_panic(cut in 0usize..600, insert in "[\\[\\]{}=\",. a-zĐđ0-9\n-]{0,6}") {
        let mut text = BASE.to_owned();
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.insert_str(at, &insert);
        if let Err(error) = Blueprint::parse("x.toml", &text) {
            prop_assert!(error.location().line >= 1);
        }
    }

    #[test]
    fn points_written_any_way_are_exact(m in 1i64..1_000_000, style in 0u8..3) {
        let value = MilliPoints::from_milli(m).to_string();
        let written = match style {
            0 => if value.contains('.') { value.clone() } else { format!("{value}.0") },
            1 => format!("\"{}\"", value.replace('.', ",")),
            _ => format!("\"{value}\""),
        };
        let blueprint = Blueprint::parse("x.toml", &with("points_each = 0.5", &format!("points_each = {written}"))).unwrap();
        prop_assert_eq!(blueprint.parts()[0].points_each, MilliPoints::from_milli(m));
        prop_assert_eq!(blueprint.total_points(), MilliPoints::from_milli(4 * m));
    }
}
