//! The JSON bodies of the OneRoster 1.2 gradebook REST binding, from the same rows and the same
//! sourcedIds as the OneRoster CSV export (`export::oneroster`), so a school that imported the
//! CSV and later publishes gets upserts, not duplicates.
//!
//! Bodies are wrapped as the binding's `{"category": {...}}`, `{"lineItem": {...}}` and
//! `{"result": {...}}`. They are a pure function of what is stored, never of the time of the
//! run: `dateLastModified` is when the object last changed (the exam's arrival for the category
//! and line items, the score's time for a result), `dueDate` is the exam day. That is what lets
//! the outbox compare bodies and send again only what changed.
//!
//! `score` and `resultValueMax` are JSON numbers: tenths divided by ten, both exact integers, so
//! the double is the nearest one to the decimal (8.3) and serde_json prints it as `8.3`; no
//! arithmetic on points happens in floating point (as for the XLSX cells).

use crate::export::ExportRow;
pub use crate::export::oneroster::score_status;
use crate::export::oneroster::{ExamFacts, category_id, iso_date, iso_datetime_utc, line_item_id, result_id};
use phongthi_store::OutboxRequest;
use serde_json::{Value, json};

/// The object kinds, in the order they are sent.
pub const KIND_CATEGORY: &str = "category";
/// A line item (one per class).
pub const KIND_LINE_ITEM: &str = "lineItem";
/// A student's result.
pub const KIND_RESULT: &str = "result";

/// The URL path segment (the binding's collection) of an object kind.
pub fn collection(kind: &str) -> Option<&'static str> {
    match kind {
        KIND_CATEGORY => Some("categories"),
        KIND_LINE_ITEM => Some("lineItems"),
        KIND_RESULT => Some("results"),
        _ => None,
    }
}

fn tenths_number(tenths: i64) -> Value {
    // Exact integers divided once: the nearest double to the decimal (see the module doc).
    serde_json::Number::from_f64(tenths as f64 / 10.0).map_or(Value::Null, Value::Number)
}

fn guid_ref(sourced_id: &str) -> Value {
    json!({ "sourcedId": sourced_id })
}

/// Every request of a publish, in sending order: the category, the line items (one per class, in
/// the rows' order), then one result per row. `school` is the school's sourcedId when known.
pub fn requests(facts: &ExamFacts, rows: &[ExportRow], school: Option<&str>) -> Vec<OutboxRequest> {
    let changed = iso_datetime_utc(facts.assigned_ms);
    let category = category_id(&facts.exam_hex);
    let mut out = vec![OutboxRequest {
        kind: KIND_CATEGORY.to_owned(),
        sourced_id: category.clone(),
        body: json!({ "category": {
            "sourcedId": category, "status": "active", "dateLastModified": changed, "title": facts.title,
        }})
        .to_string(),
    }];

    let mut classes: Vec<&str> = Vec::new();
    for row in rows {
        if !classes.contains(&row.class.as_str()) {
            classes.push(&row.class);
        }
    }
    for class in classes {
        let id = line_item_id(&facts.exam_hex, class);
        let mut item = json!({
            "sourcedId": id, "status": "active", "dateLastModified": changed,
            "title": facts.title, "description": format!("Phòng Thi {}", facts.exam_hex),
            "assignDate": changed, "dueDate": changed,
            "category": guid_ref(&category),
            "resultValueMin": tenths_number(0), "resultValueMax": tenths_number(facts.scale_milli.div_euclid(100)),
        });
        if !class.is_empty() {
            item["class"] = guid_ref(class);
        }
        if let Some(school) = school {
            item["school"] = guid_ref(school);
        }
        out.push(OutboxRequest {
            kind: KIND_LINE_ITEM.to_owned(),
            sourced_id: id,
            body: json!({ "lineItem": item }).to_string(),
        });
    }

    for row in rows {
        let id = result_id(&facts.exam_hex, &row.student_id);
        let when = row.scored_ms.unwrap_or(facts.assigned_ms);
        let mut result = json!({
            "sourcedId": id, "status": "active", "dateLastModified": iso_datetime_utc(when),
            "lineItem": guid_ref(&line_item_id(&facts.exam_hex, &row.class)),
            "student": guid_ref(&row.student_id),
            "scoreStatus": score_status(row),
            "scoreDate": iso_date(when),
            "comment": row.note,
        });
        if let Some(tenths) = row.score_tenths {
            result["score"] = tenths_number(tenths);
        }
        if !row.class.is_empty() {
            result["class"] = guid_ref(&row.class);
        }
        out.push(OutboxRequest {
            kind: KIND_RESULT.to_owned(),
            sourced_id: id,
            body: json!({ "result": result }).to_string(),
        });
    }
    out
}
