//! The OMML structures (fractions, radicals, scripts, delimiters, n-ary operators, …) turned into
//! LaTeX atoms.
//!
//! Every element the walk enters counts towards [`MAX_STRUCTURE_DEPTH`], so what comes out nests
//! no deeper than the typesetter accepts. What the subset cannot draw is written as its content
//! (best effort) rather than refused; the module documentation of `omml` says why.

use super::row::Row;
use super::symbols;
use super::text::{self, Ctx};
use super::tree::Element;
use super::{MAX_STRUCTURE_DEPTH, OmmlError};

/// Converts the top-level `oMath`/`oMathPara` elements; several equations sit side by side.
pub(super) fn convert(roots: &[Element]) -> Result<String, OmmlError> {
    let mut walk = Walk { depth: 0 };
    let mut equations = Vec::new();
    for root in roots {
        collect_equations(root, &mut equations);
    }
    let mut rendered = Vec::new();
    for equation in equations {
        let row = walk.content(equation, Ctx::default())?;
        if !row.is_empty() {
            rendered.push(row.render());
        }
    }
    Ok(phongthi_items::text::nfc(&rendered.join(" \\quad ")))
}

/// The `oMath` elements of an `oMathPara` (each a line in Word), or the element itself.
fn collect_equations<'a>(element: &'a Element, out: &mut Vec<&'a Element>) {
    if element.name == "oMathPara" {
        for child in element.children_named("oMath") {
            out.push(child);
        }
    } else {
        out.push(element);
    }
}

struct Walk {
    depth: usize,
}

/// Property elements and what Word adds around runs: nothing to draw.
fn ignored(name: &str) -> bool {
    name.ends_with("Pr")
        || matches!(
            name,
            "bookmarkStart"
                | "bookmarkEnd"
                | "proofErr"
                | "permStart"
                | "permEnd"
                | "delText"
                | "instrText"
                | "lastRenderedPageBreak"
        )
}

impl Walk {
    fn enter(&mut self) -> Result<(), OmmlError> {
        self.depth += 1;
        if self.depth > MAX_STRUCTURE_DEPTH { Err(OmmlError::TooDeep) } else { Ok(()) }
    }

    /// The children of `element` as one row.
    fn content(&mut self, element: &Element, ctx: Ctx) -> Result<Row, OmmlError> {
        self.enter()?;
        let mut row = Row::default();
        for child in &element.children {
            self.element(child, ctx, &mut row)?;
        }
        self.depth -= 1;
        Ok(row)
    }

    /// The content of child `name`, empty when it is missing.
    fn part(&mut self, element: &Element, name: &str, ctx: Ctx) -> Result<Row, OmmlError> {
        match element.child(name) {
            Some(child) => self.content(child, ctx),
            None => Ok(Row::default()),
        }
    }

    fn element(&mut self, element: &Element, ctx: Ctx, row: &mut Row) -> Result<(), OmmlError> {
        if ignored(&element.name) {
            return Ok(());
        }
        self.enter()?;
        let done = self.structure(element, ctx, row);
        self.depth -= 1;
        done
    }

    fn structure(&mut self, element: &Element, ctx: Ctx, row: &mut Row) -> Result<(), OmmlError> {
        match element.name.as_str() {
            "r" => text::run(element, ctx, row),
            // A `t` outside a run (some generators): plain maths text.
            "t" => text::run(&Element { children: vec![element.clone()], ..Element::default() }, ctx, row),
            "f" => self.fraction(element, ctx, row)?,
            "rad" => self.radical(element, ctx, row)?,
            "sSup" | "sSub" | "sSubSup" => {
                let base = self.part(element, "e", ctx)?;
                let sub = self.part(element, "sub", ctx)?;
                let sup = self.part(element, "sup", ctx)?;
                row.attach(&base, Some(&sub), Some(&sup));
            }
            "sPre" => {
                let sub = self.part(element, "sub", ctx)?;
                let sup = self.part(element, "sup", ctx)?;
                row.attach(&Row::default(), Some(&sub), Some(&sup));
                row.extend(self.part(element, "e", ctx)?);
            }
            "d" => self.delimiters(element, ctx, row)?,
            "nary" => self.nary(element, ctx, row)?,
            "m" => self.matrix(element, ctx, row)?,
            "eqArr" => {
                let rows = self.equation_rows(element, ctx)?;
                join(row, rows, "\\quad");
            }
            "acc" => self.accent(element, ctx, row)?,
            "bar" => {
                let body = self.part(element, "e", ctx)?;
                // The default position is the bottom (ECMA-376 §22.1.2.83); the subset has no
                // underline, so an underbar keeps only its content.
                if element.property("barPr", "pos").flatten() == Some("top") {
                    row.push(format!("\\overline{{{}}}", body.render()));
                } else {
                    row.extend(body);
                }
            }
            "func" => {
                let name = self.part(element, "fName", Ctx { function_name: true, ..ctx })?;
                row.extend(name);
                row.extend(self.part(element, "e", ctx)?);
            }
            "limLow" | "limUpp" => {
                let base = self.part(element, "e", ctx)?;
                let limit = self.part(element, "lim", Ctx { function_name: false, ..ctx })?;
                if element.name == "limLow" {
                    row.attach(&base, Some(&limit), None);
                } else {
                    row.attach(&base, None, Some(&limit));
                }
            }
            "groupChr" => self.group_character(element, ctx, row)?,
            "phant" => {
                // A phantom with `m:show` off takes space but draws nothing.
                let hidden = matches!(element.property("phantPr", "show"), Some(Some("0" | "off" | "false")));
                if !hidden {
                    row.extend(self.part(element, "e", ctx)?);
                }
            }
            // `box`, `borderBox`, `e`, `oMath` inside a run of text, unknown wrappers: their
            // content.
            _ => {
                for child in &element.children {
                    self.element(child, ctx, row)?;
                }
            }
        }
        Ok(())
    }

    fn fraction(&mut self, element: &Element, ctx: Ctx, row: &mut Row) -> Result<(), OmmlError> {
        let numerator = self.part(element, "num", ctx)?;
        let denominator = self.part(element, "den", ctx)?;
        match element.property("fPr", "type").flatten() {
            // Linear and skewed fractions are written a/b in Word too.
            Some("lin" | "skw") => {
                row.extend(numerator);
                row.push("/");
                row.extend(denominator);
            }
            // `bar` (the default) and `noBar`, which the subset can only draw with a bar.
            _ => row.push(format!("\\frac{{{}}}{{{}}}", numerator.render(), denominator.render())),
        }
        Ok(())
    }

    fn radical(&mut self, element: &Element, ctx: Ctx, row: &mut Row) -> Result<(), OmmlError> {
        let degree = self.part(element, "deg", ctx)?;
        let radicand = self.part(element, "e", ctx)?.render();
        if element.flag("radPr", "degHide") || degree.is_empty() {
            row.push(format!("\\sqrt{{{radicand}}}"));
        } else {
            let degree = degree.render();
            // A `]` in the degree would end the optional argument early.
            let degree = if degree.contains(']') { format!("{{{degree}}}") } else { degree };
            row.push(format!("\\sqrt[{degree}]{{{radicand}}}"));
        }
        Ok(())
    }

    fn delimiters(&mut self, element: &Element, ctx: Ctx, row: &mut Row) -> Result<(), OmmlError> {
        let property = |name: &str, default: &str| match element.property("dPr", name) {
            None | Some(None) => default.to_owned(),
            Some(Some(value)) => value.to_owned(),
        };
        let (open, close, separator) = (property("begChr", "("), property("endChr", ")"), property("sepChr", "|"));
        let items: Vec<&Element> = element.children_named("e").collect();
        if open == "{" && close.is_empty() && items.len() == 1 {
            let arrays: Vec<&Element> = items[0].children.iter().filter(|c| !ignored(&c.name)).collect();
            if let [array] = arrays.as_slice()
                && array.name == "eqArr"
            {
                // A system of equations: the subset's `cases` draws the brace itself.
                self.enter()?;
                self.enter()?;
                let rows = self.equation_rows(array, ctx);
                self.depth -= 2;
                let rows: Vec<String> = rows?.iter().map(Row::render).collect();
                row.push(format!("\\begin{{cases}}{}\\end{{cases}}", rows.join("\\\\")));
                return Ok(());
            }
        }
        let mut body = Row::default();
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                match separator.as_str() {
                    "|" | "∣" => body.push("\\mid"),
                    other => other.chars().for_each(|c| text::character(c, &mut body)),
                }
            }
            body.extend(self.content(item, ctx)?);
        }
        match (symbols::delimiter(&open), symbols::delimiter(&close)) {
            (Some("."), Some(".")) => row.extend(body),
            (Some(left), Some(right)) => {
                let body = body.render();
                // `\left\langle x`, not the unknown command `\langlex`.
                let gap = if left.ends_with(|c: char| c.is_ascii_alphabetic())
                    && body.starts_with(|c: char| c.is_ascii_alphabetic())
                {
                    " "
                } else {
                    ""
                };
                row.push(format!("\\left{left}{gap}{body}\\right{right}"));
            }
            // No tall form (⌊ ⌋): the characters as they are.
            _ => {
                open.chars().for_each(|c| text::character(c, row));
                row.extend(body);
                close.chars().for_each(|c| text::character(c, row));
            }
        }
        Ok(())
    }

    fn equation_rows(&mut self, array: &Element, ctx: Ctx) -> Result<Vec<Row>, OmmlError> {
        let ctx = Ctx { eq_array: true, ..ctx };
        array.children_named("e").map(|e| self.content(e, ctx)).collect()
    }

    fn nary(&mut self, element: &Element, ctx: Ctx, row: &mut Row) -> Result<(), OmmlError> {
        let operator = match element.property("naryPr", "chr") {
            // Without `m:chr` the operator is an integral (ECMA-376 §22.1.2.20).
            None | Some(None) => "∫".to_owned(),
            Some(Some(value)) => value.to_owned(),
        };
        let mut base = Row::default();
        operator.chars().for_each(|c| text::character(c, &mut base));
        let sub = if element.flag("naryPr", "subHide") { Row::default() } else { self.part(element, "sub", ctx)? };
        let sup = if element.flag("naryPr", "supHide") { Row::default() } else { self.part(element, "sup", ctx)? };
        row.attach(&base, Some(&sub), Some(&sup));
        row.extend(self.part(element, "e", ctx)?);
        Ok(())
    }

    /// The subset has no matrix environment: cells side by side, rows separated by semicolons,
    /// inside whatever delimiters Word put around the matrix.
    fn matrix(&mut self, element: &Element, ctx: Ctx, row: &mut Row) -> Result<(), OmmlError> {
        let mut rows = Vec::new();
        for matrix_row in element.children_named("mr") {
            self.enter()?;
            let cells: Result<Vec<Row>, OmmlError> =
                matrix_row.children_named("e").map(|e| self.content(e, ctx)).collect();
            self.depth -= 1;
            let mut line = Row::default();
            join(&mut line, cells?, "\\quad");
            rows.push(line);
        }
        join(row, rows, ";\\quad");
        Ok(())
    }

    fn accent(&mut self, element: &Element, ctx: Ctx, row: &mut Row) -> Result<(), OmmlError> {
        let body = self.part(element, "e", ctx)?;
        let mark = match element.property("accPr", "chr") {
            // Without `m:chr` the accent is a circumflex (ECMA-376 §22.1.2.20).
            None | Some(None) => "\u{302}".to_owned(),
            Some(Some(value)) => value.to_owned(),
        };
        let (short, wide) = match mark.as_str() {
            "\u{302}" | "^" | "ˆ" => ("hat", "widehat"),
            "\u{20D7}" | "\u{20D1}" | "→" => ("vec", "overrightarrow"),
            "\u{305}" | "\u{304}" | "¯" | "‾" => ("bar", "overline"),
            _ => {
                // A tilde, a dot or another mark without a command: raised after its content.
                let mut raised = Row::default();
                mark.chars().map(symbols::spacing_accent).for_each(|c| text::character(c, &mut raised));
                row.attach(&body, None, Some(&raised));
                return Ok(());
            }
        };
        let command = if body.is_atom() { short } else { wide };
        row.push(format!("\\{command}{{{}}}", body.render()));
        Ok(())
    }

    /// `m:groupChr`: a brace under or over its content, or an arrow with words over it.
    fn group_character(&mut self, element: &Element, ctx: Ctx, row: &mut Row) -> Result<(), OmmlError> {
        let body = self.part(element, "e", ctx)?;
        let character = match element.property("groupChrPr", "chr") {
            None | Some(None) => "\u{23DF}".to_owned(),
            Some(Some(value)) => value.to_owned(),
        };
        let brace = character.chars().all(|c| matches!(c, '\u{23DC}'..='\u{23E1}' | '\u{FE37}' | '\u{FE38}'));
        if brace {
            // The subset has no under- or overbrace: the content alone.
            row.extend(body);
            return Ok(());
        }
        let mut base = Row::default();
        character.chars().for_each(|c| text::character(c, &mut base));
        // The default position puts the character below the content (ECMA-376 §22.1.2.84).
        if element.property("groupChrPr", "pos").flatten() == Some("top") {
            row.attach(&base, Some(&body), None);
        } else {
            row.attach(&base, None, Some(&body));
        }
        Ok(())
    }
}

/// Appends `rows` to `row` with `separator` between them.
fn join(row: &mut Row, rows: Vec<Row>, separator: &str) {
    for (index, item) in rows.into_iter().enumerate() {
        if index > 0 {
            row.push(separator);
        }
        row.extend(item);
    }
}
