//! The operators of a formula that take what follows as their argument: ∑ ∏ ∫ … as `m:nary`
//! with their limits, and named functions (`sin`, `log_2`, `lim_{x→0}`) as `m:func`, their
//! scripts on the name (`m:limLow` for a limit under `lim`).

use super::super::xml::Xml;
use super::{Look, part, run};
use phongthi_ui::math::{Class, Node};

/// Operators Word draws as `m:nary`, with where their limits go.
pub(super) const NARY: &[(&str, &str)] = &[
    ("∑", "undOvr"),
    ("∏", "undOvr"),
    ("∐", "undOvr"),
    ("⋃", "undOvr"),
    ("⋂", "undOvr"),
    ("∫", "subSup"),
    ("∬", "subSup"),
    ("∭", "subSup"),
    ("∮", "subSup"),
];

/// Operators whose subscript Word puts under the name (`lim` with `x → 0` below).
const LIMIT_OPERATORS: &[&str] = &["lim", "max", "min", "sup", "inf"];

/// An operator that takes what follows as its argument.
pub(super) enum Operator<'a> {
    /// ∑, ∫, … with optional limits.
    Nary { symbol: &'a str, limits: &'static str, sub: Option<&'a [Node]>, sup: Option<&'a [Node]> },
    /// `sin`, `log_2`, `lim_{x→0}`, `\operatorname{tg}`.
    Function,
}

pub(super) fn operator(node: &Node) -> Option<Operator<'_>> {
    let (base, sub, sup) = match node {
        Node::Scripts { base, sub, sup } => (base.as_ref(), sub.as_deref(), sup.as_deref()),
        other => (other, None, None),
    };
    let Node::Symbol { text, class } = base else { return None };
    if let Some((symbol, limits)) = NARY.iter().find(|(symbol, _)| symbol == text) {
        return Some(Operator::Nary { symbol, limits, sub, sup });
    }
    let named = *class == Class::Operator || text.chars().filter(char::is_ascii_alphabetic).count() > 1;
    named.then_some(Operator::Function)
}

/// How many of `nodes` an operator takes: up to a relation, a binary operator or punctuation
/// outside brackets, or the bracket that closes around the operator. A function stops at the
/// next function (`sin x cos x`); a sum may hold another sum.
pub(super) fn operand(nodes: &[Node], nary: bool) -> usize {
    let mut depth = 0usize;
    for (index, node) in nodes.iter().enumerate() {
        match node {
            Node::Symbol { class: Class::Open, .. } => depth += 1,
            Node::Symbol { class: Class::Close, .. } => {
                if depth == 0 {
                    return index;
                }
                depth -= 1;
            }
            Node::Symbol { class: Class::Relation | Class::Binary | Class::Punctuation, .. } if depth == 0 => {
                return index;
            }
            _ if depth == 0 && !nary && index > 0 && matches!(operator(node), Some(Operator::Function)) => {
                return index;
            }
            _ => {}
        }
    }
    nodes.len()
}

pub(super) fn nary(
    xml: &mut Xml,
    symbol: &str,
    limits: &str,
    sub: Option<&[Node]>,
    sup: Option<&[Node]>,
    body: &[Node],
) {
    xml.open("m:nary", &[]).open("m:naryPr", &[]);
    xml.empty("m:chr", &[("m:val", symbol)]).empty("m:limLoc", &[("m:val", limits)]);
    if sub.is_none() {
        xml.empty("m:subHide", &[("m:val", "1")]);
    }
    if sup.is_none() {
        xml.empty("m:supHide", &[("m:val", "1")]);
    }
    xml.close("m:naryPr");
    part(xml, "m:sub", sub.unwrap_or_default());
    part(xml, "m:sup", sup.unwrap_or_default());
    part(xml, "m:e", body);
    xml.close("m:nary");
}

/// The name of a function with its scripts: `lim` with its limit below, `log` with its base.
pub(super) fn function_name(xml: &mut Xml, node: &Node) {
    let (base, sub, sup) = match node {
        Node::Scripts { base, sub, sup } => (base.as_ref(), sub.as_deref(), sup.as_deref()),
        other => (other, None, None),
    };
    let name = |xml: &mut Xml| {
        if let Node::Symbol { text, .. } = base {
            run(xml, text, Look::Upright);
        }
    };
    match (sub, sup) {
        (Some(limit), None) if matches!(base, Node::Symbol { text, .. } if LIMIT_OPERATORS.contains(&text.as_str())) => {
            xml.open("m:limLow", &[]).open("m:e", &[]);
            name(xml);
            xml.close("m:e");
            part(xml, "m:lim", limit);
            xml.close("m:limLow");
        }
        (None, None) => name(xml),
        (sub, sup) => {
            let element = scripts_element(sub.is_some(), sup.is_some());
            xml.open(element, &[]).open("m:e", &[]);
            name(xml);
            xml.close("m:e");
            if let Some(sub) = sub {
                part(xml, "m:sub", sub);
            }
            if let Some(sup) = sup {
                part(xml, "m:sup", sup);
            }
            xml.close(element);
        }
    }
}

pub(super) fn scripts_element(sub: bool, sup: bool) -> &'static str {
    match (sub, sup) {
        (true, true) => "m:sSubSup",
        (true, false) => "m:sSub",
        _ => "m:sSup",
    }
}
