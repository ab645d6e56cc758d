//! Word equations (OMML, the `m:` elements of `word/document.xml`, ECMA-376 Part 1 §22.1) turned
//! into the LaTeX subset the exam client typesets (`phongthi_ui::math::parse`).
//!
//! Teachers write their tests in Word, so an importer of `.docx` meets every formula as OMML. The
//! converter is best effort on purpose: a construct the typesetter cannot draw keeps its source
//! characters (an underbar becomes its content, a matrix a row of cells), because a student can
//! still read that, while refusing the whole question would lose it. Only XML that cannot be read
//! at all, or nesting deep enough to be hostile, is an [`OmmlError`].
//!
//! `tree` reads the snippet (namespace prefixes ignored: the declarations live on the document
//! root, not in the snippet), `convert` walks the structures, `text` turns runs into symbols and
//! words, `symbols` maps Unicode maths characters to commands, `row` joins the pieces.

mod convert;
mod row;
mod symbols;
mod text;
mod tree;

#[cfg(test)]
mod tests;

/// Deepest XML nesting accepted (property subtrees included); Word's own equations stay far
/// below, and a cap keeps hostile input from exhausting the stack.
pub const MAX_DEPTH: usize = 32;

/// Deepest nesting of maths structures accepted. The typesetter allows 24 levels of groups and
/// every structure costs at most one level per element, plus one at a leaf, so 22 always fits.
const MAX_STRUCTURE_DEPTH: usize = 22;

/// Why a Word equation could not be converted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OmmlError {
    /// The XML is malformed (unclosed element, bad entity, …).
    #[error("công thức Word không đọc được: {0} / unreadable Word equation: {0}")]
    Xml(String),
    /// The snippet is not an `<m:oMath>` or `<m:oMathPara>` element.
    #[error(
        "không phải công thức Word: gặp <{0}> thay vì <m:oMath> / not a Word equation: found <{0}> instead of <m:oMath>"
    )]
    NotMath(String),
    /// Elements nested deeper than the caps.
    #[error("công thức Word lồng nhau quá sâu / Word equation nested too deeply")]
    TooDeep,
}

/// Converts one `<m:oMath>…</m:oMath>` or `<m:oMathPara>…</m:oMathPara>` element, cut verbatim
/// out of `document.xml`, into LaTeX without the surrounding `$` (the caller adds them). The
/// result is NFC, like all stored text.
pub fn to_latex(xml: &str) -> Result<String, OmmlError> {
    let roots = tree::parse(xml)?;
    if roots.is_empty() {
        return Err(OmmlError::NotMath(String::new()));
    }
    if let Some(other) = roots.iter().find(|root| root.name != "oMath" && root.name != "oMathPara") {
        return Err(OmmlError::NotMath(other.name.clone()));
    }
    convert::convert(&roots)
}
